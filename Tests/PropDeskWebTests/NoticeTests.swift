import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// The notice board (CR-1, S0 3.4, S2 3.1.6) on a real database, with the background sweeper
/// run by hand on a simulated clock.
final class NoticeTests: XCTestCase {
    static func shanghai(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    func to(_ clock: TestClock, _ date: Date) { clock.advance(minutes: date.timeIntervalSince(clock.now) / 60) }

    func draft(_ w: World, _ title: String, buildings: [UUID] = [], area: UUID? = nil, from: Date, until: Date, kind: NoticeKind = .service,
               source: String? = nil, formID: UUID? = nil) -> NoticeDraft {
        NoticeDraft(communityID: w.a.community.id, kind: kind, title: title, body: "\(title)正文", buildingIDs: buildings, areaID: area, startsAt: from,
                    expiresAt: until, source: source, formID: formID)
    }

    func measure(_ app: Application, _ duty: String, _ community: UUID, _ month: String) async throws -> DutyMeasurement {
        let rows = try await app.store.duties.scorecard(community: community, month: month, timeZone: "Asia/Shanghai", only: [duty])
        return try XCTUnwrap(rows.first).measurement
    }

    func titles(_ res: XCTHTTPResponse) throws -> [String] {
        (try res.json() as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    /// A notice expiring at the end of today is on the resident's portal until then and gone just
    /// after, even before any sweep; the sweeper writes "expired" on its timeline; it is on the
    /// desk's take-down list; still on the board at the end of the next day, the sweeper raises
    /// an alert to the front desk, and taking it down stops the clock.
    func testCR1_aNoticeExpiringTodayLeavesThePortalAfterItsExpiryAndIsOnTheTakeDownList() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let cid = w.a.community.id
            let n = try await app.store.notices.publish(draft(w, "1栋今晚停水", buildings: [w.a.buildings[0].id], from: Self.shanghai(20, 0),
                                                              until: Self.shanghai(21, 0), kind: .utilityCut), by: desk)
            let board = try await app.call(.GET, "/c/\(cid)/notices/board?day=2026-11-20", as: "a.desk", in: w)
            XCTAssertEqual(board.status, .ok)
            XCTAssertTrue(board.text.contains("1栋今晚停水"), "to put up today")
            let posted = try await app.call(.POST, "/c/\(cid)/notices/\(n.id)/posted", as: "a.desk", in: w, contentType: .urlEncodedForm, bytes: Array("day=2026-11-20".utf8))
            XCTAssertEqual(posted.status, .seeOther)
            let postedAgain = try await app.store.notices.markPosted(n.id, by: desk)
            XCTAssertNotNil(postedAgain.postedAt)

            var portal = try await app.call(.GET, "/portal/notices", as: "13800001000", in: w)
            XCTAssertTrue(portal.text.contains("1栋今晚停水"), "current: on the portal")
            var api = try await app.call(.GET, "/api/v1/me/notices", as: "13800001000", in: w)
            XCTAssertEqual(try titles(api), ["1栋今晚停水"])
            // 23:59 it still shows, and it is on today's take-down list already.
            to(clock, Self.shanghai(20, 23, 59))
            let today = try await app.store.notices.boardWork(community: cid, day: "2026-11-20", areas: nil)
            XCTAssertEqual(today.takeDown.map(\.id), [n.id])
            XCTAssertEqual(today.putUp.count, 0)

            // Just after midnight, before any sweep: off the portal.
            to(clock, Self.shanghai(21, 0, 1))
            portal = try await app.call(.GET, "/portal/notices", as: "13800001000", in: w)
            XCTAssertFalse(portal.text.contains("1栋今晚停水"), "expired: off the portal")
            api = try await app.call(.GET, "/api/v1/me/notices", as: "13800001000", in: w)
            XCTAssertEqual(try titles(api), [])
            let expiredNow = try await app.store.notices.notice(n.id)
            XCTAssertEqual(expiredNow?.state(at: clock.now), .expired)

            // The real sweeper: "expired" on the timeline, no alert yet.
            _ = try await app.store.clocks.sweep(limit: 500)
            var timeline = try await app.store.notices.timeline(n.id)
            XCTAssertEqual(timeline.map(\.kind), ["published", "posted", "expired"])
            let desksList = try await app.call(.GET, "/c/\(cid)/notices/board?day=2026-11-21", as: "a.desk", in: w)
            XCTAssertTrue(desksList.text.contains("1栋今晚停水"), "on the desk's take-down list the next day")
            let boardAPI = try await app.call(.GET, "/api/v1/communities/\(cid)/notice-board?day=2026-11-21", as: "a.desk", in: w)
            let work = try XCTUnwrap(try boardAPI.json() as? [String: Any])
            XCTAssertEqual((work["takeDown"] as? [[String: Any]])?.compactMap { $0["id"] as? String }, [n.id.uuidString])

            // The end of the next day passes with it still on the board: an alert to the desk.
            to(clock, Self.shanghai(21, 23, 59))
            _ = try await app.store.clocks.sweep(limit: 500)
            var raised = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: true, for: nil, limit: 50).filter { $0.subjectID == n.id }
            XCTAssertEqual(raised.count, 0, "not before the end of the next day")
            timeline = try await app.store.notices.timeline(n.id)
            XCTAssertEqual(timeline.last?.kind, "expired")
            to(clock, Self.shanghai(22, 0, 5))
            _ = try await app.store.clocks.sweep(limit: 500)
            let alerts = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: true, for: nil, limit: 50).filter { $0.subjectID == n.id }
            XCTAssertEqual(alerts.count, 1)
            XCTAssertEqual(alerts.first?.level, .frontDesk)
            XCTAssertEqual(alerts.first?.kind, .deadlinePassed)
            XCTAssertEqual(alerts.first?.areaID, w.a.areas[0].id)
            timeline = try await app.store.notices.timeline(n.id)
            XCTAssertEqual(timeline.last?.kind, "take_down_overdue")

            // Taken down through the board's button; nothing more fires, and the day's list is empty.
            let down = try await app.call(.POST, "/c/\(cid)/notices/\(n.id)/taken-down", as: "a.desk", in: w, contentType: .urlEncodedForm, bytes: [])
            XCTAssertEqual(down.status, .seeOther)
            let after = try await app.store.notices.notice(n.id)
            XCTAssertNotNil(after?.takenDownAt)
            to(clock, Self.shanghai(25, 9))
            _ = try await app.store.clocks.sweep(limit: 500)
            timeline = try await app.store.notices.timeline(n.id)
            XCTAssertEqual(timeline.map(\.kind), ["published", "posted", "expired", "take_down_overdue", "taken_down"])
            raised = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: false, for: nil, limit: 50).filter { $0.subjectID == n.id }
            XCTAssertEqual(raised.count, 1)
            let later = try await app.store.notices.boardWork(community: cid, day: "2026-11-25", areas: nil)
            XCTAssertEqual(later.takeDown.count, 0)
            // The duty counts it as taken down late.
            let month = try await measure(app, NoticeDuties.expiredRemoved.id, cid, "2026-11")
            XCTAssertEqual(month.numerator, 0)
            XCTAssertEqual(month.denominator, 1)
        }
    }

    /// A resident sees their building's notices first, then the community's; never another
    /// building's (nor another area's).
    func testCR1_aResidentOfAnotherBuildingDoesNotSeeABuildingNotice() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let from = Self.shanghai(20, 0), until = Self.shanghai(27, 0)
            _ = try await app.store.notices.publish(draft(w, "全小区消防演练", from: from, until: until, kind: .safety), by: desk)
            clock.advance(minutes: 1)
            _ = try await app.store.notices.publish(draft(w, "2栋电梯检修", buildings: [w.a.buildings[1].id], from: from, until: until), by: desk)
            _ = try await app.store.notices.publish(draft(w, "西区绿化修剪", area: w.a.areas[1].id, from: from, until: until), by: desk)
            _ = try await app.store.notices.publish(draft(w, "1栋外墙清洗", buildings: [w.a.buildings[0].id], from: from, until: until), by: desk)
            // Resident 13800001000 lives in 1栋 (east area).
            let api = try await app.call(.GET, "/api/v1/me/notices", as: "13800001000", in: w)
            XCTAssertEqual(api.status, .ok)
            XCTAssertEqual(try titles(api), ["1栋外墙清洗", "全小区消防演练"], "their building's first, then the community's; not 2栋's nor the west area's")
            let page = try await app.call(.GET, "/portal/notices", as: "13800001000", in: w)
            XCTAssertFalse(page.text.contains("2栋电梯检修"))
            XCTAssertTrue(page.text.contains("1栋外墙清洗"))
            // A resident cannot read the staff list nor a notice by id.
            let staff = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/notices", as: "13800001000", in: w)
            XCTAssertNotEqual(staff.status, .ok)
            // The store's single-building call ranks the same way.
            let other = try await app.store.notices.current(community: w.a.community.id, building: w.a.buildings[1].id, at: clock.now)
            XCTAssertEqual(other.map(\.title), ["2栋电梯检修", "西区绿化修剪", "全小区消防演练"])
        }
    }

    /// An area supervisor sees community-wide notices and those reaching their area — lists, the
    /// page, the API and the board's work; another area's notice is "not found"; they may confirm
    /// the board but not publish.
    func testCR1_areaSupervisorSeesOnlyTheirAreasNotices() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let cid = w.a.community.id
            let from = Self.shanghai(20, 0), until = Self.shanghai(27, 0)
            let whole = try await app.store.notices.publish(draft(w, "全小区停电通知", from: from, until: until, kind: .utilityCut), by: desk)
            let east = try await app.store.notices.publish(draft(w, "1栋水箱清洗", buildings: [w.a.buildings[0].id], from: from, until: until), by: desk)
            let west = try await app.store.notices.publish(draft(w, "2栋楼道粉刷", buildings: [w.a.buildings[1].id], from: from, until: until), by: desk)
            let list = try await app.call(.GET, "/api/v1/communities/\(cid)/notices", as: "a.supervisor", in: w)
            XCTAssertEqual(list.status, .ok)
            XCTAssertEqual(Set(try titles(list)), ["全小区停电通知", "1栋水箱清洗"])
            let managers = try await app.call(.GET, "/api/v1/communities/\(cid)/notices", as: "a.manager", in: w)
            XCTAssertEqual(Set(try titles(managers)), ["全小区停电通知", "1栋水箱清洗", "2栋楼道粉刷"])
            let page = try await app.call(.GET, "/c/\(cid)/notices", as: "a.supervisor", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertFalse(page.text.contains("2栋楼道粉刷"))
            XCTAssertFalse(page.text.contains("notice-form"), "no publish form for a supervisor")
            for path in ["/c/\(cid)/notices/\(west.id)", "/api/v1/notices/\(west.id)"] {
                let r = try await app.call(.GET, path, as: "a.supervisor", in: w)
                XCTAssertEqual(r.status, .notFound, path)
            }
            let mine = try await app.call(.GET, "/api/v1/notices/\(east.id)", as: "a.supervisor", in: w)
            XCTAssertEqual(mine.status, .ok)
            let board = try await app.store.notices.boardWork(community: cid, day: "2026-11-20", areas: [w.a.areas[0].id])
            XCTAssertEqual(Set(board.putUp.map(\.id)), [whole.id, east.id])
            // The board: theirs yes, the other area's no; publishing no.
            let put = try await app.call(.POST, "/api/v1/notices/\(east.id)/posted", as: "a.supervisor", in: w)
            XCTAssertEqual(put.status, .ok)
            let putWest = try await app.call(.POST, "/api/v1/notices/\(west.id)/posted", as: "a.supervisor", in: w)
            XCTAssertEqual(putWest.status, .notFound)
            let publish = try await app.call(.POST, "/api/v1/communities/\(cid)/notices", as: "a.supervisor", in: w,
                json: #"{"kind":"service","title":"越权","body":"越权","startsAt":"2026-11-20T00:00:00Z","expiresAt":"2026-11-21T00:00:00Z"}"#)
            XCTAssertEqual(publish.status, .forbidden)
            // An engineer sees no notices at all.
            let engineer = try await app.call(.GET, "/api/v1/communities/\(cid)/notices", as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
        }
    }

    /// A form sent twice publishes once (formID), a source publishes once (an incident's notice
    /// asked for twice, through the API and the board's incident form), bad input changes nothing.
    func testCR1_publishIsIdempotentByFormIDAndBySource() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let cid = w.a.community.id
            let formID = UUID()
            let fields = "formId=\(formID)&kind=activity&title=%E9%87%8D%E9%98%B3%E8%8A%82%E6%B4%BB%E5%8A%A8&body=%E6%AC%A2%E8%BF%8E%E5%8F%82%E5%8A%A0&startsOn=2026-11-20&expiresOn=2026-11-25&buildingIds[]=\(w.a.buildings[0].id)"
            for _ in 0..<2 {
                let r = try await app.call(.POST, "/c/\(cid)/notices", as: "a.desk", in: w, contentType: .urlEncodedForm, bytes: Array(fields.utf8))
                XCTAssertEqual(r.status, .seeOther)
            }
            var all = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 50)
            XCTAssertEqual(all.map(\.id), [formID], "a form sent twice publishes once")
            XCTAssertEqual(all.first?.expiresAt, Self.shanghai(26, 0), "the last day's end")
            let again = try await app.store.notices.publish(draft(w, "改了标题也一样", from: Self.shanghai(20, 0), until: Self.shanghai(21, 0), formID: formID), by: desk)
            XCTAssertEqual(again.title, "重阳节活动")

            let report = draft(w, "2026年10月物业服务工作报告", from: Self.shanghai(20, 0), until: Self.shanghai(30, 0), kind: .workReport, source: "report:2026-10")
            let r1 = try await app.store.notices.publish(report, by: desk)
            let r2 = try await app.store.notices.publish(report, by: desk)
            XCTAssertEqual(r1.id, r2.id, "one notice per source")

            // The incident → notice in one step, asked twice.
            let incident = try XCTUnwrap(w.a.incident)
            let first = try await app.call(.POST, "/api/v1/incidents/\(incident.id)/notice", as: "a.desk", in: w)
            XCTAssertEqual(first.status, .created, first.text)
            let second = try await app.call(.POST, "/api/v1/incidents/\(incident.id)/notice", as: "a.desk", in: w)
            let o1 = try XCTUnwrap(try first.json() as? [String: Any]), o2 = try XCTUnwrap(try second.json() as? [String: Any])
            XCTAssertEqual(o1["id"] as? String, o2["id"] as? String)
            XCTAssertEqual(o1["kind"] as? String, "utility_cut")
            XCTAssertEqual(o1["buildingIds"] as? [String], [w.a.buildings[1].id.uuidString])
            XCTAssertEqual(o1["source"] as? String, "incident:\(incident.id.uuidString.lowercased())")
            // The board's incident form with the box ticked: a new incident and its notice.
            let form = "title=%E5%81%9C%E7%94%B5&category=electricity&script=%E6%8A%A2%E4%BF%AE%E4%B8%AD&alsoNotice=1&noticeFormId=\(UUID())&buildingIds[]=\(w.a.buildings[0].id)&back=/"
            let made = try await app.call(.POST, "/c/\(cid)/incidents", as: "a.desk", in: w, contentType: .urlEncodedForm, bytes: Array(form.utf8))
            XCTAssertEqual(made.status, .seeOther)
            all = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 50)
            XCTAssertEqual(all.filter { $0.source?.hasPrefix("incident:") ?? false }.count, 2)
            XCTAssertEqual(all.count, 4)

            // Bad input: refused in both languages, nothing written.
            for bad in [draft(w, "", from: Self.shanghai(20, 0), until: Self.shanghai(21, 0)),
                        draft(w, "倒过来", from: Self.shanghai(21, 0), until: Self.shanghai(20, 0)),
                        draft(w, "别的小区楼栋", buildings: [w.b.buildings[0].id], from: Self.shanghai(20, 0), until: Self.shanghai(21, 0))] {
                do {
                    _ = try await app.store.notices.publish(bad, by: desk)
                    XCTFail("accepted: \(bad.title)")
                } catch let e as DomainError {
                    XCTAssertTrue(["invalid_input", "not_found"].contains(e.code))
                    XCTAssertFalse(e.message.zhHans.isEmpty || e.message.en.isEmpty)
                }
            }
            let count = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 50).count
            XCTAssertEqual(count, 4)
        }
    }

    /// S0 3.4: a month with a work report keeps the duty, a month without misses it; withdrawing
    /// takes a notice off the portal at once, and the A4 sheet has the standard layout.
    func testCR1_workReportDutyWithdrawalAndPrint() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let cid = w.a.community.id
            let report = try await app.store.notices.publish(draft(w, "10月工作报告", from: Self.shanghai(5, 0), until: Self.shanghai(30, 0), kind: .workReport,
                                                                   source: "report:2026-10"), by: desk)
            let nov = try await measure(app, NoticeDuties.workReport.id, cid, "2026-11")
            XCTAssertEqual(nov.numerator, 1)
            let oct = try await measure(app, NoticeDuties.workReport.id, cid, "2026-10")
            XCTAssertEqual(oct.numerator, 0)
            let sheet = try await app.call(.GET, "/c/\(cid)/notices/\(report.id)/print", as: "a.desk", in: w)
            XCTAssertEqual(sheet.status, .ok)
            for part in ["公 告", "10月工作报告", "翠湖花园 物业服务中心", "2026年11月5日", "(盖章)"] { XCTAssertTrue(sheet.text.contains(part), part) }

            let withdrawn = try await app.call(.POST, "/api/v1/notices/\(report.id)/withdrawal", as: "a.manager", in: w, json: #"{"reason":"数据有误,重新发布"}"#)
            XCTAssertEqual(withdrawn.status, .ok)
            XCTAssertEqual((try withdrawn.json() as? [String: Any])?["state"] as? String, "withdrawn")
            let api = try await app.call(.GET, "/api/v1/me/notices", as: "13800001000", in: w)
            XCTAssertEqual(try titles(api), [])
            let noReason = try await app.call(.POST, "/api/v1/notices/\(report.id)/withdrawal", as: "a.engineer", in: w, json: #"{"reason":"x"}"#)
            XCTAssertEqual(noReason.status, .forbidden)
        }
    }

    /// The demo's year of notices tells a true story: eleven monthly work reports (one month
    /// missed, and the duty says so), cuts, safety and activities, some expired notices taken
    /// down late; the one still on the board is alerted by the sweeper; the timelines verify.
    func testCR1_theDemoWritesAYearOfNoticesWithAMissedReportAndLateTakeDowns() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            try await NoticeDemo.write(community: cid, asOf: clock.now, seed: 7, on: app.store)
            try await NoticeDemo.write(community: cid, asOf: clock.now, seed: 7, on: app.store)
            let all = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 1000)
            XCTAssertEqual(all.filter { $0.kind == .workReport }.count, 11, "written once, one month missed")
            XCTAssertGreaterThan(all.filter { $0.kind == .utilityCut }.count, 10)
            XCTAssertTrue(all.contains { $0.kind == .safety } && all.contains { $0.kind == .activity })
            let missed = try await measure(app, NoticeDuties.workReport.id, cid, "2026-05")
            XCTAssertEqual(missed.numerator, 0, "the seventh month back has no report")
            let kept = try await measure(app, NoticeDuties.workReport.id, cid, "2026-06")
            XCTAssertEqual(kept.numerator, 1)
            var late = 0
            for m in 1...10 {
                let r = try await measure(app, NoticeDuties.expiredRemoved.id, cid, String(format: "2026-%02d", m))
                late += (r.denominator ?? 0) - r.numerator
            }
            XCTAssertGreaterThan(late, 0, "some expired notices came down late")
            let work = try await app.store.notices.boardWork(community: cid, day: "2026-11-20", areas: nil)
            XCTAssertTrue(work.takeDown.contains { $0.title == "电动车充电安全提示" })
            _ = try await app.store.clocks.sweep(limit: 500)
            let alerts = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: true, for: nil, limit: 100).filter { $0.subjectKind == .notice }
            XCTAssertEqual(alerts.map(\.subjectLabel), ["电动车充电安全提示"])
            let verified = try await app.store.timelines.verify()
            XCTAssertEqual(verified.findings.count, 0)
        }
    }

    // MARK: Attack review (issue 18)

    /// A notice's source is the server's (CR-1): the desk sending "report:2026-10" or
    /// "incident:<id>" over the API gets a plain notice without a source, and the real monthly
    /// report and the real incident notice are published as their own notices, not handed the
    /// desk's. A hand-made work_report notice does not keep S0 3.4; the published report does.
    func testCR1_aClientCannotSetANoticesSourceAndTakeOverTheRealOne() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let incident = try XCTUnwrap(w.a.incident)
            var fakes: [String] = []
            for source in ["report:2026-10", "incident:\(incident.id.uuidString.lowercased())", "rectification:\(UUID().uuidString.lowercased())"] {
                let json = #"{"kind":"work_report","title":"假报告","body":"假的","startsAt":"2026-11-20T01:00:00Z","expiresAt":"2026-11-27T01:00:00Z","source":"\#(source)"}"#
                let r = try await app.call(.POST, "/api/v1/communities/\(cid)/notices", as: "a.desk", in: w, json: json)
                XCTAssertEqual(r.status, .created, r.text)
                let o = try XCTUnwrap(try r.json() as? [String: Any])
                XCTAssertNil(o["source"], "the client's source is not taken: \(o)")
                fakes.append(try XCTUnwrap(o["id"] as? String))
            }
            let stored = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 50)
            XCTAssertTrue(stored.allSatisfy { $0.source == nil }, "\(stored.map(\.source))")
            // A hand-made work report is not the month's report.
            var nov = try await measure(app, NoticeDuties.workReport.id, cid, "2026-11")
            XCTAssertEqual(nov.numerator, 0, "hand-made work_report notices do not keep S0 3.4")

            // The real incident notice is its own notice.
            let real = try await app.call(.POST, "/api/v1/incidents/\(incident.id)/notice", as: "a.desk", in: w)
            XCTAssertEqual(real.status, .created, real.text)
            let ro = try XCTUnwrap(try real.json() as? [String: Any])
            XCTAssertFalse(fakes.contains(ro["id"] as? String ?? ""))
            XCTAssertEqual(ro["source"] as? String, "incident:\(incident.id.uuidString.lowercased())")

            // The head's October report is published as itself, and keeps November's duty.
            let posted = try await app.call(.POST, "/c/\(cid)/reports/monthly/publish", as: "a.head", in: w, contentType: .urlEncodedForm,
                                            bytes: Array("month=2026-10&days=30&formId=\(UUID())".utf8))
            XCTAssertEqual(posted.status, .seeOther)
            let location = (posted.headers.first(name: .location) ?? "").lowercased()
            XCTAssertFalse(fakes.contains { location.contains($0.lowercased()) }, location)
            let reports = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 50).filter { $0.source == "report:2026-10" }
            XCTAssertEqual(reports.count, 1)
            XCTAssertTrue(location.hasSuffix(reports.first?.id.uuidString.lowercased() ?? "-"), location)
            nov = try await measure(app, NoticeDuties.workReport.id, cid, "2026-11")
            XCTAssertEqual(nov.numerator, 1)
        }
    }

    /// Parallel publishes of one source, and of one form over the API, make one notice and all
    /// get it back (no 500 from the unique index on PostgreSQL).
    func testCR1_parallelPublishesOfOneSourceOrOneFormMakeOneNotice() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let cid = w.a.community.id
            let report = draft(w, "2026年10月物业服务工作报告", from: Self.shanghai(20, 0), until: Self.shanghai(30, 0), kind: .workReport, source: "report:2026-10")
            let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<12 {
                    var d = report
                    d.formID = UUID()
                    group.addTask { try await app.store.notices.publish(d, by: desk).id }
                }
                return try await group.reduce(into: [UUID]()) { $0.append($1) }
            }
            XCTAssertEqual(ids.count, 12)
            XCTAssertEqual(Set(ids).count, 1, "one notice per source")

            let formID = UUID()
            let json = #"{"formId":"\#(formID)","kind":"service","title":"电梯保养","body":"周五电梯保养","startsAt":"2026-11-20T01:00:00Z","expiresAt":"2026-11-22T01:00:00Z"}"#
            let headers = w.headers("a.desk")
            let path = "/api/v1/communities/\(cid)/notices"
            let answers = try await withThrowingTaskGroup(of: (UInt, String).self) { [headers] group in
                for _ in 0..<12 {
                    group.addTask {
                        let res = try await app.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: json))
                        let id = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])?["id"] as? String
                        return (res.status.code, id ?? String(decoding: Data(res.body.readableBytesView), as: UTF8.self))
                    }
                }
                return try await group.reduce(into: [(UInt, String)]()) { $0.append($1) }
            }
            XCTAssertTrue(answers.allSatisfy { $0.0 == 201 }, "\(answers)")
            XCTAssertEqual(Set(answers.map(\.1)), [formID.uuidString], "\(answers)")
            let all = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 50)
            XCTAssertEqual(all.count, 2)
        }
    }

    /// Absurd dates are refused with a clear message in both languages (CR-1): a start in year 0,
    /// 99999 or 2100, a window wholly in 1990, an expiry three years after the start.
    func testCR1_absurdNoticeDatesAreRefusedInBothLanguages() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            func post(_ from: String, _ until: String, language: String = "zh-Hans") async throws -> XCTHTTPResponse {
                let json = #"{"kind":"service","title":"日期","body":"日期","startsAt":"\#(from)","expiresAt":"\#(until)"}"#
                return try await app.call(.POST, "/api/v1/communities/\(cid)/notices", as: "a.desk", in: w, json: json, language: language)
            }
            // Not even a date the contract reads: refused before it reaches the board.
            for (from, until) in [("0000-01-01T00:00:00Z", "0000-01-02T00:00:00Z"), ("99999-01-01T00:00:00Z", "99999-01-02T00:00:00Z")] {
                let r = try await post(from, until)
                XCTAssertTrue([400, 422].contains(r.status.code), "\(from): \(r.status) \(r.text)")
            }
            let cases: [(String, String, String)] = [
                ("2100-01-01T00:00:00Z", "2100-01-05T00:00:00Z", "startsAt"),
                ("1990-01-01T00:00:00Z", "1990-02-01T00:00:00Z", "startsAt"),
                ("0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z", "startsAt"),
                ("2026-11-20T01:00:00Z", "2029-11-20T01:00:00Z", "expiresAt"),
                ("2026-11-20T01:00:00Z", "2026-11-19T01:00:00Z", "expiresAt"),
            ]
            for (from, until, field) in cases {
                let zh = try await post(from, until)
                XCTAssertEqual(zh.status, .unprocessableEntity, "\(from) … \(until): \(zh.text)")
                let en = try await post(from, until, language: "en")
                XCTAssertEqual(en.status, .unprocessableEntity)
                let zo = try XCTUnwrap(try zh.json() as? [String: Any]), eo = try XCTUnwrap(try en.json() as? [String: Any])
                XCTAssertEqual(zo["code"] as? String, "invalid_input")
                XCTAssertTrue("\(zo)".contains(field), "\(zo)")
                XCTAssertNotEqual(zo["message"] as? String, eo["message"] as? String)
            }
            do {
                _ = try await app.store.notices.publish(draft(w, "远期", from: Self.shanghai(20, 0).addingTimeInterval(400 * 86_400),
                                                              until: Self.shanghai(20, 0).addingTimeInterval(401 * 86_400)), by: who(w, "a.desk"))
                XCTFail("a start more than a year ahead was accepted")
            } catch let e as DomainError {
                XCTAssertEqual(e.code, "invalid_input")
                XCTAssertTrue(e.message.zhHans.contains("一年") && e.message.en.contains("year"), "\(e.message)")
            }
            // A notice inside the bounds is still published.
            let ok = try await post("2026-11-20T01:00:00Z", "2027-06-01T00:00:00Z")
            XCTAssertEqual(ok.status, .created, ok.text)
            let all = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 50)
            XCTAssertEqual(all.count, 1)
        }
    }
}
