import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// Customer interviews, common issues and rectifications (CR-3, S0 3.1) and the culture plan
/// (CR-4, S0 3.2) on a real database.
final class CustomerRelationsTests: XCTestCase {
    static func shanghai(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute))!
    }

    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    func form(_ fields: [(String, String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Array(fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&").utf8)
    }

    /// An interview of units[0] (area 0) with two points, grouped into an issue with a measure
    /// owned by `owner`, due `dueDay`.
    func seed(_ app: Application, _ w: World, owner: String, dueDay: String) async throws -> (Interview, CommonIssue, Rectification) {
        let cid = w.a.community.id
        let manager = who(w, "a.manager")
        let crs = app.store.customerRelations
        let interview = try await crs.record(.init(interviewID: UUID(), unitID: w.a.units[0].id, person: "王先生", channel: .visit,
                                                   points: [("地库照明太暗", .facilities), ("快递堆在大堂", .service)]), community: cid, areas: nil, by: manager)
        let issue = try await crs.createIssue(id: UUID(), community: cid, areaID: w.a.areas[0].id, title: "地库照明不足", topic: .facilities,
                                              pointIDs: [interview.points[0].id], areas: nil, by: manager)
        let r = try await crs.rectify(issue: issue.id, id: UUID(), measure: "更换地库 B1 层全部灯管为 LED", ownerID: w.accounts[owner]!.id, dueDay: dueDay, by: manager)
        return (interview, issue, r)
    }

    /// S0 3.1: a measure still open when its due day ends alerts its owner — the real sweeper
    /// with a shifted clock, once — and its timeline says so; a measure done in time never does.
    func testCR3_aRectificationPastItsDueDayAlertsItsOwner() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let (_, _, late) = try await seed(app, w, owner: "a.supervisor", dueDay: "2026-11-22")
            let (_, _, kept) = try await seed(app, w, owner: "a.desk", dueDay: "2026-11-22")
            _ = try await app.store.customerRelations.done(kept.id, note: "已全部更换", by: who(w, "a.desk"))
            XCTAssertEqual(late.dueAt, Self.shanghai(11, 23, 0), "due at the end of the due day in the community's time zone")

            func rectificationAlerts(_ store: Store) async throws -> [Alert] {
                try await store.alerts.alerts(community: w.a.community.id, visibleAreas: nil, openOnly: false, for: nil, limit: 500)
                    .filter { $0.subjectKind == .rectification }
            }
            // Still within the due day: nothing fires for it.
            let before = Store(db: app.db, cipher: app.store.cipher, now: { Self.shanghai(11, 22, 23, 59) })
            _ = try await before.clocks.sweep(limit: 500)
            let none = try await rectificationAlerts(before)
            XCTAssertEqual(none.count, 0)

            let after = Store(db: app.db, cipher: app.store.cipher, now: { Self.shanghai(11, 23, 0, 5) })
            for _ in 0..<5 where try await after.clocks.sweep(limit: 500).fired > 0 {}
            let alerts = try await rectificationAlerts(after)
            XCTAssertEqual(alerts.count, 1, "only the open measure alerts")
            let alert = try XCTUnwrap(alerts.first)
            XCTAssertEqual(alert.subjectID, late.id)
            XCTAssertEqual(alert.kind, .deadlinePassed)
            XCTAssertEqual(alert.targetUserID, w.accounts["a.supervisor"]!.id, "the owner is alerted, by name")
            XCTAssertTrue(alert.message.zhHans.contains("整改"), alert.message.zhHans)
            XCTAssertTrue(alert.isFor(Principal(userID: w.accounts["a.supervisor"]!.id, username: "a.supervisor", displayName: "a.supervisor", role: .areaSupervisor, scopes: w.accounts["a.supervisor"]!.scopes)))
            XCTAssertFalse(alert.isFor(Principal(userID: w.accounts["a.desk"]!.id, username: "a.desk", displayName: "a.desk", role: .frontDesk, scopes: w.accounts["a.desk"]!.scopes)))
            let entries = try await app.store.timelines.entries(.rectification, late.id)
            XCTAssertEqual(entries.map(\.kind), ["created", "deadline_passed"])
            // A later sweep adds nothing.
            let later = Store(db: app.db, cipher: app.store.cipher, now: { Self.shanghai(11, 24, 9) })
            for _ in 0..<5 where try await later.clocks.sweep(limit: 500).fired > 0 {}
            let still = try await rectificationAlerts(later)
            XCTAssertEqual(still.count, 1)
        }
    }

    /// S0 3.1 "落实公示": done stops the clock and publishes the result on the notice board once —
    /// a second submit (a double tap, a retry) publishes nothing more.
    func testCR3_doneStopsTheClockAndPublishesANoticeOnce() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let (_, issue, r) = try await seed(app, w, owner: "a.desk", dueDay: "2026-11-25")
            // The owner marks it done through the page, twice.
            for _ in 0..<2 {
                let res = try await app.call(.POST, "/rectifications/\(r.id)/done", as: "a.desk", in: w, contentType: .urlEncodedForm,
                                             bytes: form([("note", "B1 层 120 支灯管已更换为 LED")]))
                XCTAssertEqual(res.status, .seeOther, res.text)
            }
            let done = try await app.store.customerRelations.rectification(r.id)
            XCTAssertEqual(done?.status, .done)
            XCTAssertFalse(done?.doneLate ?? true)
            let notices = try await app.store.notices.notices(community: w.a.community.id, state: nil, areas: nil, limit: 100)
                .filter { $0.source == "rectification:\(r.id.uuidString)" }
            XCTAssertEqual(notices.count, 1, "published once")
            XCTAssertEqual(notices.first?.id, done?.noticeID)
            XCTAssertEqual(notices.first?.kind, .rectification)
            XCTAssertEqual(notices.first?.areaID, issue.areaID)
            XCTAssertTrue(notices.first?.body.contains("B1 层 120 支灯管已更换为 LED") ?? false)
            let again = try await app.store.customerRelations.done(r.id, note: "再次提交", by: who(w, "a.manager"))
            XCTAssertEqual(again.noticeID, done?.noticeID)
            XCTAssertEqual(again.doneNote, "B1 层 120 支灯管已更换为 LED", "a second submit changes nothing")
            // The clock stopped: after the due day nothing fires.
            let after = Store(db: app.db, cipher: app.store.cipher, now: { Self.shanghai(11, 27, 9) })
            for _ in 0..<5 where try await after.clocks.sweep(limit: 500).fired > 0 {}
            let alerts = try await after.alerts.alerts(community: w.a.community.id, visibleAreas: nil, openOnly: false, for: nil, limit: 500)
            XCTAssertFalse(alerts.contains { $0.subjectID == r.id })
            // Someone else who is neither the owner nor a manager may not mark a measure done.
            let (_, _, other) = try await seed(app, w, owner: "a.manager", dueDay: "2026-11-25")
            let bySupervisor = try await app.call(.POST, "/rectifications/\(other.id)/done", as: "a.supervisor", in: w, contentType: .urlEncodedForm,
                                                  bytes: form([("note", "x")]))
            XCTAssertEqual(bySupervisor.status, .forbidden)
            let still = try await app.store.customerRelations.rectification(other.id)
            XCTAssertEqual(still?.status, .open)
        }
    }

    /// S0 3.2: the CS manager drafts and submits the plan; only the center head approves it.
    func testCR4_onlyTheCenterHeadApprovesTheCulturePlan() async throws {
        let clock = TestClock(Self.shanghai(1, 8, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let draft = try await app.call(.POST, "/c/\(cid)/culture", as: "a.manager", in: w, contentType: .urlEncodedForm,
                                           bytes: form([("year", "2026"), ("title", "2026年度社区文化建设计划"), ("goals", "邻里和睦"), ("budget", "20000")]))
            XCTAssertEqual(draft.status, .seeOther)
            let made = try await app.store.customerRelations.plan(community: cid, year: 2026)
            let plan = try XCTUnwrap(made)
            XCTAssertEqual(plan.budgetFen, 2_000_000)
            let event = try await app.call(.POST, "/culture-plans/\(plan.id)/events", as: "a.manager", in: w, contentType: .urlEncodedForm,
                                           bytes: form([("eventId", UUID().uuidString), ("title", "元宵猜灯谜"), ("day", "2026-03-03"), ("place", "中心花园"), ("budget", "3000")]))
            XCTAssertEqual(event.status, .seeOther)
            // An event outside the plan's year is refused.
            do {
                _ = try await app.store.customerRelations.planEvent(plan: plan.id, id: UUID(), title: "跨年晚会", day: "2027-01-01", place: "会所", budgetFen: 0,
                                                                    by: who(w, "a.manager"))
                XCTFail("an event of another year was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }
            let submit = try await app.call(.POST, "/culture-plans/\(plan.id)/submit", as: "a.manager", in: w, contentType: .urlEncodedForm, bytes: [])
            XCTAssertEqual(submit.status, .seeOther)
            for user in ["a.manager", "a.desk", "a.supervisor", "a.engineer", "b.head"] {
                let res = try await app.call(.POST, "/culture-plans/\(plan.id)/decide", as: user, in: w, contentType: .urlEncodedForm,
                                             bytes: form([("decision", "approve")]))
                XCTAssertTrue([403, 404].contains(res.status.code), "\(user) answered \(res.status.code)")
                let p = try await app.store.customerRelations.plan(plan.id)
                XCTAssertEqual(p?.status, .submitted, "\(user) may not approve")
            }
            let byHead = try await app.call(.POST, "/culture-plans/\(plan.id)/decide", as: "a.head", in: w, contentType: .urlEncodedForm,
                                            bytes: form([("decision", "approve")]))
            XCTAssertEqual(byHead.status, .seeOther)
            let approved = try await app.store.customerRelations.plan(plan.id)
            XCTAssertEqual(approved?.status, .approved)
            XCTAssertTrue(approved?.approvedByName?.hasPrefix("a.head") ?? false)
            let page = try await app.call(.GET, "/c/\(cid)/culture?year=2026", as: "a.head", in: w)
            XCTAssertTrue(page.text.contains("元宵猜灯谜"))
            XCTAssertTrue(page.text.contains("已批准"))

            // The event is held and recorded; the year's duty counts it.
            clock.advance(minutes: 60 * 24 * 60)
            let e = try await app.store.customerRelations.events(plan: plan.id)
            _ = try await app.store.customerRelations.recordEvent(e[0].id, attendance: 120, record: "猜中灯谜 300 条", photos: [], by: who(w, "a.manager"))
            let m = try await CustomerRelationsDuties().measure(CustomerRelationsDuties.culturePlan, at: DutyPlace(
                communityID: cid, areaID: nil, period: "2026", from: Self.shanghai(1, 1, 0), until: Self.shanghai(12, 31, 23), timeZone: "Asia/Shanghai",
                asOf: clock.now), on: app.db)
            XCTAssertEqual(m.numerator, 1)
            XCTAssertEqual(m.denominator, 1)
        }
    }

    /// An area supervisor sees interviews and issues of their area and of the whole community,
    /// never of another area: those are "not found"; they record interviews only in their area.
    func testCR3_areaSupervisorSeesOnlyTheirAreas() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let manager = who(w, "a.manager")
            let crs = app.store.customerRelations
            let mine = try await crs.record(.init(interviewID: UUID(), unitID: w.a.units[0].id, person: "东区业主", channel: .phone,
                                                  points: [("东区绿化修剪不及时", .greening)]), community: cid, areas: nil, by: manager)
            let theirs = try await crs.record(.init(interviewID: UUID(), unitID: w.a.units[2].id, person: "西区业主", channel: .visit,
                                                    points: [("西区停车位不够", .parking)]), community: cid, areas: nil, by: manager)
            let westIssue = try await crs.createIssue(id: UUID(), community: cid, areaID: w.a.areas[1].id, title: "西区停车难", topic: .parking,
                                                      pointIDs: [theirs.points[0].id], areas: nil, by: manager)
            let westMeasure = try await crs.rectify(issue: westIssue.id, id: UUID(), measure: "西区划线增加 12 个车位", ownerID: w.accounts["a.manager"]!.id,
                                                    dueDay: "2026-12-10", by: manager)
            let eastIssue = try await crs.createIssue(id: UUID(), community: cid, areaID: w.a.areas[0].id, title: "东区绿化", topic: .greening,
                                                      pointIDs: [mine.points[0].id], areas: nil, by: manager)

            let interviews = try await app.call(.GET, "/c/\(cid)/interviews", as: "a.supervisor", in: w)
            XCTAssertEqual(interviews.status, .ok)
            XCTAssertTrue(interviews.text.contains("东区绿化修剪不及时"))
            XCTAssertFalse(interviews.text.contains("西区停车位不够"))
            let issues = try await app.call(.GET, "/c/\(cid)/issues", as: "a.supervisor", in: w)
            XCTAssertTrue(issues.text.contains("东区绿化"))
            XCTAssertFalse(issues.text.contains("西区停车难"))
            XCTAssertFalse(issues.text.contains("西区划线增加"))
            let managerView = try await app.call(.GET, "/c/\(cid)/issues", as: "a.manager", in: w)
            XCTAssertTrue(managerView.text.contains("西区停车难"))

            // Another area's measure is "not found", even to its would-be owner's peers.
            let done = try await app.call(.POST, "/rectifications/\(westMeasure.id)/done", as: "a.supervisor", in: w, contentType: .urlEncodedForm,
                                          bytes: form([("note", "x")]))
            XCTAssertEqual(done.status, .notFound)
            // Recording in another area's unit is refused; in their own, saved.
            let west = try await app.call(.POST, "/c/\(cid)/interviews", as: "a.supervisor", in: w, contentType: .urlEncodedForm, bytes: form([
                ("interviewId", UUID().uuidString), ("channel", "visit"), ("buildingId", w.a.buildings[1].id.uuidString), ("room", "1201"),
                ("person", "越界"), ("topic[i0]", "repair"), ("point[i0]", "越界记录"),
            ]))
            XCTAssertEqual(west.status, .seeOther)
            let east = try await app.call(.POST, "/c/\(cid)/interviews", as: "a.supervisor", in: w, contentType: .urlEncodedForm, bytes: form([
                ("interviewId", UUID().uuidString), ("channel", "visit"), ("buildingId", w.a.buildings[0].id.uuidString), ("room", "1202"),
                ("person", "李女士"), ("topic[i0]", "cleaning"), ("point[i0]", "楼道保洁不到位"),
            ]))
            XCTAssertEqual(east.status, .seeOther)
            let (from, until) = (Self.shanghai(11, 1, 0), Self.shanghai(12, 1, 0))
            let all = try await crs.interviews(community: cid, areas: nil, from: from, until: until)
            XCTAssertFalse(all.flatMap(\.points).contains { $0.text == "越界记录" })
            XCTAssertTrue(all.flatMap(\.points).contains { $0.text == "楼道保洁不到位" })
            // The supervisor cannot group points (managers only), nor group another area's point at the store.
            do {
                _ = try await crs.group([theirs.points[0].id], into: eastIssue.id, areas: [w.a.areas[0].id], by: who(w, "a.supervisor"))
                XCTFail("a point of another area was grouped")
            } catch let e as DomainError { XCTAssertEqual(e.code, "not_found") }
            // Community B's reader sees nothing of A.
            let other = try await app.call(.GET, "/c/\(cid)/issues", as: "b.head", in: w)
            XCTAssertEqual(other.status, .notFound)
        }
    }

    /// S0 3.1 as a duty: measures due in the month, done by their day; one done late and one
    /// still open count against it.
    func testCR3_rectificationsOnTimeDutyCountsLateAndOpenMeasures() async throws {
        let clock = TestClock(Self.shanghai(11, 2, 9))
        try await withWorld(now: clock.read) { app, w in
            let crs = app.store.customerRelations
            let (_, _, onTime) = try await seed(app, w, owner: "a.desk", dueDay: "2026-11-05")
            let (_, _, late) = try await seed(app, w, owner: "a.desk", dueDay: "2026-11-06")
            _ = try await seed(app, w, owner: "a.desk", dueDay: "2026-11-07")
            _ = try await crs.done(onTime.id, note: "按期完成", by: who(w, "a.desk"))
            clock.advance(minutes: 60 * 24 * 6)
            _ = try await crs.done(late.id, note: "逾期完成", by: who(w, "a.desk"))
            let m = try await CustomerRelationsDuties().measure(CustomerRelationsDuties.rectificationsOnTime, at: DutyPlace(
                communityID: w.a.community.id, areaID: nil, period: "2026-11", from: Self.shanghai(11, 1, 0), until: Self.shanghai(12, 1, 0),
                timeZone: "Asia/Shanghai", asOf: Self.shanghai(12, 1, 0)), on: app.db)
            XCTAssertEqual(m.numerator, 1)
            XCTAssertEqual(m.denominator, 3)
            XCTAssertEqual(CustomerRelationsDuties.rectificationsOnTime.outcome(m, periodOver: true), .missed)
            XCTAssertEqual(m.records.filter(\.missed).count, 2)
        }
    }

    /// A measure's owner must be able to open it and mark it done: an engineer (no customer-relations
    /// records) or a resident is refused as owner, in both languages, and nothing is written.
    func testCR3_anOwnerWhoCouldNotSeeTheMeasureIsRefused() async throws {
        try await withWorld { app, w in
            for owner in ["a.engineer", "a.finance", "13800001000"] {
                do {
                    _ = try await seed(app, w, owner: owner, dueDay: "2026-12-31")
                    XCTFail("\(owner) accepted as the owner of a measure")
                } catch let e as DomainError {
                    XCTAssertTrue(e.message.zhHans.contains("责任人") && e.message.en.contains("owner"), "\(e)")
                }
            }
            let written = try await RectificationModel.query(on: app.db).filter(\.$communityID == w.a.community.id).count()
            XCTAssertEqual(written, 0)
            let owners = try await app.store.customerRelations.owners(community: w.a.community.id).map(\.name)
            XCTAssertFalse(owners.contains(w.accounts["a.engineer"]!.displayName), "\(owners)")
            XCTAssertTrue(owners.contains(w.accounts["a.desk"]!.displayName), "\(owners)")
        }
    }

    /// The demo tells a true story: a year of interviews, five issues with their measures (one
    /// done late, one open past due — its owner is alerted by the sweeper), results published, and
    /// an approved plan with eight events of which the past ones are held but one.
    func testCR3_theDemoWritesAYearOfInterviewsIssuesAndAnApprovedPlan() async throws {
        let clock = TestClock(Self.shanghai(11, 28, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            try await CustomerRelationsDemo.write(community: cid, asOf: clock.now, seed: 7, on: app.store)
            let crs = app.store.customerRelations
            let interviews = try await crs.interviews(community: cid, areas: nil, from: Self.shanghai(1, 1, 0).addingTimeInterval(-60 * 86400), until: clock.now)
            XCTAssertGreaterThanOrEqual(interviews.count, 36)
            let issues = try await crs.issues(community: cid, areas: nil)
            XCTAssertEqual(issues.count, 5)
            let measures = try await crs.rectifications(community: cid, areas: nil)
            XCTAssertEqual(measures.filter(\.doneLate).count, 1)
            XCTAssertEqual(measures.filter { $0.isOverdue(at: clock.now) }.count, 1)
            XCTAssertEqual(measures.filter { $0.noticeID != nil }.count, 3)
            let plan = try await crs.plan(community: cid, year: 2026)
            XCTAssertEqual(plan?.status, .approved)
            let events = try await crs.events(plan: plan!.id)
            XCTAssertEqual(events.count, 8)
            XCTAssertEqual(events.filter(\.held).count, 6)
            for _ in 0..<5 where try await app.store.clocks.sweep(limit: 500).fired > 0 {}
            let alerts = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: true, for: nil, limit: 500).filter { $0.subjectKind == .rectification }
            XCTAssertEqual(alerts.count, 1)
            let page = try await app.call(.GET, "/c/\(cid)/issues", as: "a.manager", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("地库照明不足"))
        }
    }

    // MARK: The JSON API (tag customer-relations): the same use cases as the pages

    /// CR-3 over JSON: the same interview form sent twice (a retry on a bad connection) records
    /// one interview; the second answer is 200 with the first interview, unchanged.
    func testCR3_anInterviewRecordedTwiceOverTheAPIIsOneInterview() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let id = UUID()
            let body = #"{"interviewId":"\#(id)","unitId":"\#(w.a.units[0].id)","person":"赵阿姨","channel":"visit","points":[{"text":"电梯噪音大","topic":"facilities"},{"text":"垃圾清运太晚","topic":"cleaning"}]}"#
            let first = try await app.call(.POST, "/api/v1/communities/\(cid)/interviews", as: "a.supervisor", in: w, json: body)
            XCTAssertEqual(first.status, .created, first.text)
            let again = try await app.call(.POST, "/api/v1/communities/\(cid)/interviews", as: "a.supervisor", in: w,
                                           json: body.replacingOccurrences(of: "电梯噪音大", with: "改过的意见"))
            XCTAssertEqual(again.status, .ok, again.text)
            let one = try XCTUnwrap(try first.json() as? [String: Any])
            let two = try XCTUnwrap(try again.json() as? [String: Any])
            XCTAssertEqual(one["id"] as? String, id.uuidString)
            XCTAssertEqual(two["id"] as? String, id.uuidString)
            XCTAssertEqual((two["points"] as? [[String: Any]])?.map { $0["text"] as? String }, ["电梯噪音大", "垃圾清运太晚"], "the first interview, unchanged")
            let all = try await app.store.customerRelations.interviews(community: cid, areas: nil, from: Self.shanghai(11, 1, 0), until: Self.shanghai(12, 1, 0))
            XCTAssertEqual(all.filter { $0.id == id }.count, 1)
            XCTAssertEqual(all.flatMap(\.points).filter { $0.interviewID == id }.count, 2)
            let list = try await app.call(.GET, "/api/v1/communities/\(cid)/interviews?month=2026-11", as: "a.manager", in: w)
            XCTAssertEqual(list.status, .ok)
            XCTAssertEqual((try list.json() as? [[String: Any]])?.filter { $0["id"] as? String == id.uuidString }.count, 1)
            // Its points wait to be grouped, and group into one issue over the API.
            let open = try await app.call(.GET, "/api/v1/communities/\(cid)/ungrouped-points", as: "a.manager", in: w)
            let points = try XCTUnwrap(try open.json() as? [[String: Any]]).compactMap { $0["id"] as? String }
            XCTAssertEqual(points.count, 2)
            let issue = try await app.call(.POST, "/api/v1/communities/\(cid)/issues", as: "a.manager", in: w,
                                           json: #"{"issueId":"\#(UUID())","title":"环境卫生","topic":"cleaning","pointIds":["\#(points[0])","\#(points[1])"]}"#)
            XCTAssertEqual(issue.status, .created, issue.text)
            XCTAssertEqual((try issue.json() as? [String: Any])?["pointCount"] as? Int, 2)
            // A supervisor may record but not group; a bad month is refused in both languages.
            let bySupervisor = try await app.call(.GET, "/api/v1/communities/\(cid)/ungrouped-points", as: "a.supervisor", in: w)
            XCTAssertEqual(bySupervisor.status, .forbidden)
            let badMonth = try await app.call(.GET, "/api/v1/communities/\(cid)/interviews?month=2026-13", as: "a.manager", in: w)
            XCTAssertEqual(badMonth.status.code, 422, badMonth.text)
        }
    }

    /// CR-3 over JSON: a measure marked done twice stops its clock and publishes one notice.
    func testCR3_aRectificationDoneOverTheAPIPublishesOneNotice() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let (_, issue, _) = try await seed(app, w, owner: "a.manager", dueDay: "2026-11-25")
            let made = try await app.call(.POST, "/api/v1/issues/\(issue.id)/rectifications", as: "a.manager", in: w,
                                          json: #"{"rectificationId":"\#(UUID())","measure":"地库加装 40 盏感应灯","ownerId":"\#(w.accounts["a.desk"]!.id)","dueDay":"2026-11-28"}"#)
            XCTAssertEqual(made.status, .created, made.text)
            let rid = try XCTUnwrap((try made.json() as? [String: Any])?["id"] as? String)
            var noticeIDs: [String] = []
            for _ in 0..<2 {
                let res = try await app.call(.POST, "/api/v1/rectifications/\(rid)/done", as: "a.desk", in: w, json: #"{"note":"感应灯已全部安装"}"#)
                XCTAssertEqual(res.status, .ok, res.text)
                let r = try XCTUnwrap(try res.json() as? [String: Any])
                XCTAssertEqual(r["status"] as? String, "done")
                noticeIDs.append(try XCTUnwrap(r["noticeId"] as? String))
            }
            XCTAssertEqual(Set(noticeIDs).count, 1)
            let notices = try await app.store.notices.notices(community: cid, state: nil, areas: nil, limit: 100).filter { $0.source == "rectification:\(rid)" }
            XCTAssertEqual(notices.count, 1, "published once")
            XCTAssertEqual(notices.first?.id.uuidString, noticeIDs.first)
            XCTAssertTrue(notices.first?.body.contains("感应灯已全部安装") ?? false)
            let list = try await app.call(.GET, "/api/v1/communities/\(cid)/rectifications?issueId=\(issue.id)", as: "a.head", in: w)
            let rows = try XCTUnwrap(try list.json() as? [[String: Any]])
            XCTAssertEqual(rows.count, 2)
            XCTAssertEqual(rows.first { $0["id"] as? String == rid }?["status"] as? String, "done")
        }
    }

    /// CR-4 over JSON: the CS manager drafts, plans and submits; the CS manager's decision is 403 and
    /// changes nothing; the center head approves; a held event is recorded without photos.
    func testCR4_onlyTheCenterHeadApprovesThePlanOverTheAPI() async throws {
        let clock = TestClock(Self.shanghai(1, 8, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let draft = try await app.call(.POST, "/api/v1/communities/\(cid)/culture-plan", as: "a.manager", in: w,
                                           json: #"{"year":2026,"title":"2026年度社区文化建设计划","goals":"邻里和睦","budget":2000000}"#)
            XCTAssertEqual(draft.status, .created, draft.text)
            let pid = try XCTUnwrap((try draft.json() as? [String: Any])?["id"] as? String)
            let eventID = UUID()
            for _ in 0..<2 {
                let e = try await app.call(.POST, "/api/v1/culture-plans/\(pid)/events", as: "a.manager", in: w,
                                           json: #"{"eventId":"\#(eventID)","title":"新年邻里联欢会","day":"2026-01-08","place":"会所","budget":300000}"#)
                XCTAssertEqual(e.status, .created, e.text)
            }
            let submit = try await app.call(.POST, "/api/v1/culture-plans/\(pid)/submit", as: "a.manager", in: w)
            XCTAssertEqual(submit.status, .ok, submit.text)
            XCTAssertEqual((try submit.json() as? [String: Any])?["status"] as? String, "submitted")
            let byManager = try await app.call(.POST, "/api/v1/culture-plans/\(pid)/decision", as: "a.manager", in: w, json: #"{"approve":true}"#)
            XCTAssertEqual(byManager.status, .forbidden, byManager.text)
            let still = try await app.store.customerRelations.plan(try XCTUnwrap(UUID(uuidString: pid)))
            XCTAssertEqual(still?.status, .submitted, "the CS manager's decision changed nothing")
            let byHead = try await app.call(.POST, "/api/v1/culture-plans/\(pid)/decision", as: "a.head", in: w, json: #"{"approve":true}"#)
            XCTAssertEqual(byHead.status, .ok, byHead.text)
            XCTAssertEqual((try byHead.json() as? [String: Any])?["status"] as? String, "approved")
            let file = try await app.call(.GET, "/api/v1/communities/\(cid)/culture-plan?year=2026", as: "a.supervisor", in: w)
            XCTAssertEqual(file.status, .ok, file.text)
            let json = try XCTUnwrap(try file.json() as? [String: Any])
            XCTAssertEqual((json["plan"] as? [String: Any])?["status"] as? String, "approved")
            XCTAssertEqual((json["events"] as? [[String: Any]])?.count, 1, "the event sent twice is planned once")
            XCTAssertEqual(json["eventsBudget"] as? Int, 300000)
            // The event is today: it is recorded (photos go to the evidence operation).
            let held = try await app.call(.POST, "/api/v1/culture-events/\(eventID)/record", as: "a.manager", in: w, json: #"{"attendance":120,"record":"120 位业主参加"}"#)
            XCTAssertEqual(held.status, .ok, held.text)
            XCTAssertEqual((try held.json() as? [String: Any])?["held"] as? Bool, true)
        }
    }

    /// SEC-2 over JSON: an area supervisor gets "not found" for another area's measure and
    /// interview, and does not see them listed.
    func testCR3_aSupervisorGets404ForAnotherAreasRectificationOverTheAPI() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let manager = who(w, "a.manager")
            let crs = app.store.customerRelations
            let west = try await crs.record(.init(interviewID: UUID(), unitID: w.a.units[2].id, person: "西区业主", channel: .visit,
                                                  points: [("西区停车位不够", .parking)]), community: cid, areas: nil, by: manager)
            let issue = try await crs.createIssue(id: UUID(), community: cid, areaID: w.a.areas[1].id, title: "西区停车难", topic: .parking,
                                                  pointIDs: [west.points[0].id], areas: nil, by: manager)
            let r = try await crs.rectify(issue: issue.id, id: UUID(), measure: "西区划线增加 12 个车位", ownerID: w.accounts["a.supervisor"]!.id,
                                          dueDay: "2026-12-10", by: manager)
            let done = try await app.call(.POST, "/api/v1/rectifications/\(r.id)/done", as: "a.supervisor", in: w, json: #"{"note":"x"}"#)
            XCTAssertEqual(done.status, .notFound, done.text)
            let after = try await crs.rectification(r.id)
            XCTAssertEqual(after?.status, .open)
            let interview = try await app.call(.GET, "/api/v1/interviews/\(west.id)", as: "a.supervisor", in: w)
            XCTAssertEqual(interview.status, .notFound)
            let measure = try await app.call(.POST, "/api/v1/issues/\(issue.id)/rectifications", as: "a.supervisor", in: w,
                                             json: #"{"rectificationId":"\#(UUID())","measure":"x","ownerId":"\#(w.accounts["a.supervisor"]!.id)","dueDay":"2026-12-10"}"#)
            XCTAssertTrue([403, 404].contains(measure.status.code), "\(measure.status.code)")
            for path in ["rectifications", "issues"] {
                let list = try await app.call(.GET, "/api/v1/communities/\(cid)/\(path)", as: "a.supervisor", in: w)
                XCTAssertEqual(list.status, .ok)
                XCTAssertFalse(list.text.contains(r.id.uuidString), path)
                XCTAssertFalse(list.text.contains("西区停车难"), path)
            }
            // The manager sees it; the supervisor's own interview is seen.
            let managerView = try await app.call(.GET, "/api/v1/communities/\(cid)/rectifications", as: "a.manager", in: w)
            XCTAssertTrue(managerView.text.contains(r.id.uuidString))
        }
    }

    // MARK: Forms and decisions sent at the same time

    func count(_ app: Application, _ query: SQLQueryString) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(query)").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    /// CR-3: the same issue form and the same measure form sent eight times at once make one
    /// issue and one measure with one deadline clock; every sending gets that record back.
    func testCR3_theSameIssueAndMeasureFormsSentAtOnceMakeOneRecordAndOneClock() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let manager = who(w, "a.manager")
            let crs = app.store.customerRelations
            let interview = try await crs.record(.init(interviewID: UUID(), unitID: w.a.units[0].id, person: "王先生", channel: .visit,
                                                       points: [("地库照明太暗", .facilities)]), community: cid, areas: nil, by: manager)
            let area = w.a.areas[0].id
            let point = interview.points[0].id
            let issueID = UUID()
            let issues = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await crs.createIssue(id: issueID, community: cid, areaID: area, title: "地库照明不足", topic: .facilities, pointIDs: [point],
                                                  areas: nil, by: manager).id
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0.append($1) }
            }
            XCTAssertEqual(issues, Array(repeating: issueID, count: 8), "every sending gets the one issue")
            let issueRows = try await count(app, "common_issues WHERE id = \(bind: issueID)")
            XCTAssertEqual(issueRows, 1)
            let issueAudit = try await app.store.audit.entries(entityID: issueID).filter { $0.entity == "common_issue" }
            XCTAssertEqual(issueAudit.count, 1)
            let grouped = try await crs.issue(issueID)
            XCTAssertEqual(grouped?.pointCount, 1)

            let measureID = UUID()
            let owner = w.accounts["a.supervisor"]!.id
            let measures = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await crs.rectify(issue: issueID, id: measureID, measure: "更换地库灯管", ownerID: owner, dueDay: "2026-11-30", by: manager).id
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0.append($1) }
            }
            XCTAssertEqual(measures, Array(repeating: measureID, count: 8))
            let measureRows = try await count(app, "rectifications WHERE id = \(bind: measureID)")
            XCTAssertEqual(measureRows, 1)
            let clocks = try await count(app, "sla_clocks WHERE subject_id = \(bind: measureID)")
            XCTAssertEqual(clocks, 1, "one deadline clock")
            let created = try await TimelineStore(db: app.db).entries(.rectification, measureID).filter { $0.kind == "created" }
            XCTAssertEqual(created.count, 1)
            // The same id on another issue is still refused.
            let other = try await crs.createIssue(id: UUID(), community: cid, areaID: area, title: "另一问题", topic: .service, pointIDs: [], areas: nil, by: manager)
            do {
                _ = try await crs.rectify(issue: other.id, id: measureID, measure: "x", ownerID: owner, dueDay: "2026-11-30", by: manager)
                XCTFail("a measure's id was reused on another issue")
            } catch let e as DomainError { XCTAssertEqual(e.code, "rectification_id_reused") }
        }
    }

    /// CR-3 over JSON: of the same interview form sent eight times at once, exactly one answer is
    /// 201 (the one that saved it), the others 200 with the same interview.
    func testCR3_onlyTheRequestThatSavedAnInterviewAnswers201() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let id = UUID()
            let body = #"{"interviewId":"\#(id)","unitId":"\#(w.a.units[0].id)","person":"赵阿姨","channel":"visit","points":[{"text":"电梯噪音大","topic":"facilities"}]}"#
            let answers = try await withThrowingTaskGroup(of: (UInt, String).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let r = try await app.call(.POST, "/api/v1/communities/\(cid)/interviews", as: "a.manager", in: w, json: body)
                        return (r.status.code, ((try? r.json()) as? [String: Any])?["id"] as? String ?? r.text)
                    }
                }
                return try await group.reduce(into: [(UInt, String)]()) { $0.append($1) }
            }
            XCTAssertEqual(answers.filter { $0.0 == 201 }.count, 1, "\(answers.map(\.0))")
            XCTAssertEqual(answers.filter { $0.0 == 200 }.count, 7, "\(answers.map(\.0))")
            XCTAssertTrue(answers.allSatisfy { $0.1 == id.uuidString }, "\(answers.map(\.1))")
            let rows = try await count(app, "interviews WHERE id = \(bind: id)")
            XCTAssertEqual(rows, 1)
            let points = try await count(app, "interview_points WHERE interview_id = \(bind: id)")
            XCTAssertEqual(points, 1)
        }
    }

    /// CR-3: the board's notice of a done measure is published by whoever marked it done — also
    /// when the first publication failed and someone else's repeat publishes it, and when several
    /// people mark it done at once.
    func testCR3_theDoneNoticeIsPublishedByWhoMarkedTheMeasureDone() async throws {
        let clock = TestClock(Self.shanghai(11, 20, 9))
        try await withWorld(now: clock.read) { app, w in
            func publisher(_ r: Rectification) async throws -> (UUID?, String)? {
                let row = try await (app.db as! any SQLDatabase).raw("SELECT published_by_id, published_by_name FROM notices WHERE source = \(bind: "rectification:\(r.id.uuidString)")").all()
                XCTAssertEqual(row.count, 1, "one notice")
                return try row.first.map { (try $0.decode(column: "published_by_id", as: UUID?.self), try $0.decode(column: "published_by_name", as: String.self)) }
            }
            // The board was down when the desk marked it done; the manager's repeat publishes it.
            let (_, _, first) = try await seed(app, w, owner: "a.desk", dueDay: "2026-11-30")
            let boardDown = CustomerRelationsStore(db: app.db, now: clock.read, publish: { _, _ in throw DomainError.forbidden })
            do {
                _ = try await boardDown.done(first.id, note: "已全部更换", by: who(w, "a.desk"))
                XCTFail("the publication did not fail")
            } catch let e as DomainError { XCTAssertEqual(e.code, "forbidden") }
            let repeated = try await app.store.customerRelations.done(first.id, note: "再提交一次", by: who(w, "a.manager"))
            XCTAssertEqual(repeated.doneByName, "a.desk")
            XCTAssertNotNil(repeated.noticeID)
            let byDesk = try await publisher(first)
            XCTAssertEqual(byDesk?.0, w.accounts["a.desk"]!.id)
            XCTAssertEqual(byDesk?.1, "a.desk")

            // Four people mark another measure done at once: the notice names the one whose mark won.
            let (_, _, second) = try await seed(app, w, owner: "a.supervisor", dueDay: "2026-11-30")
            let crs = app.store.customerRelations
            let people = ["a.desk", "a.manager", "a.supervisor", "a.head"].map { who(w, $0) }
            let answers = try await withThrowingTaskGroup(of: Rectification.self) { group in
                for p in people { group.addTask { try await crs.done(second.id, note: "\(p.name) 完成", by: p) } }
                return try await group.reduce(into: [Rectification]()) { $0.append($1) }
            }
            let final = try await crs.rectification(second.id)
            let doneBy = try XCTUnwrap(final?.doneByName)
            XCTAssertTrue(answers.allSatisfy { $0.doneByName == doneBy && $0.status == .done }, "\(answers.map(\.doneByName))")
            let notice = try await publisher(second)
            XCTAssertEqual(notice?.1, doneBy)
            XCTAssertEqual(notice?.0, w.accounts[doneBy]!.id)
            let marks = try await TimelineStore(db: app.db).entries(.rectification, second.id).filter { $0.kind == "done" }
            XCTAssertEqual(marks.count, 1)
        }
    }

    /// CR-4: the same event form sent eight times at once plans one event; eighty different
    /// events sent at once stop at the 60-event cap.
    func testCR4_eventsSentAtOnceAreAddedOnceAndStopAtSixty() async throws {
        let clock = TestClock(Self.shanghai(1, 8, 9))
        try await withWorld(now: clock.read) { app, w in
            let manager = who(w, "a.manager")
            let crs = app.store.customerRelations
            let plan = try await crs.draftPlan(community: w.a.community.id, year: 2026, title: "2026年度文化计划", goals: "", budgetFen: 100_000_000, by: manager)
            let eventID = UUID()
            let same = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await crs.planEvent(plan: plan.id, id: eventID, title: "元宵猜灯谜", day: "2026-03-03", place: "中心花园", budgetFen: 100, by: manager).id }
                }
                return try await group.reduce(into: [UUID]()) { $0.append($1) }
            }
            XCTAssertEqual(same, Array(repeating: eventID, count: 8))
            let one = try await count(app, "culture_events WHERE id = \(bind: eventID)")
            XCTAssertEqual(one, 1)

            let refusals = try await withThrowingTaskGroup(of: String?.self) { group in
                for i in 0..<80 {
                    group.addTask {
                        do {
                            _ = try await crs.planEvent(plan: plan.id, id: UUID(), title: "活动 \(i)", day: "2026-04-01", place: "会所", budgetFen: 100, by: manager)
                            return nil
                        } catch let e as DomainError { return e.code }
                    }
                }
                return try await group.reduce(into: [String]()) { if let c = $1 { $0.append(c) } }
            }
            let events = try await crs.events(plan: plan.id)
            XCTAssertEqual(events.count, 60, "the cap holds")
            XCTAssertEqual(refusals.count, 21, "\(refusals)")
            XCTAssertTrue(refusals.allSatisfy { $0 == "invalid_input" }, "\(refusals)")
        }
    }

    /// CR-4: a submission racing with events being added checks the events the plan ends up
    /// with — no event slips in after the budget check — and submissions sent at once are
    /// written once.
    func testCR4_noEventSlipsInAfterTheBudgetCheckOfASubmission() async throws {
        let clock = TestClock(Self.shanghai(1, 8, 9))
        try await withWorld(now: clock.read) { app, w in
            let manager = who(w, "a.manager")
            let crs = app.store.customerRelations
            let plan = try await crs.draftPlan(community: w.a.community.id, year: 2026, title: "2026年度文化计划", goals: "", budgetFen: 100_000, by: manager)
            _ = try await crs.planEvent(plan: plan.id, id: UUID(), title: "元宵猜灯谜", day: "2026-03-03", place: "中心花园", budgetFen: 50_000, by: manager)
            let outcome = try await withThrowingTaskGroup(of: (submitted: Int, added: Int).self) { group in
                for i in 0..<20 {
                    if i % 5 == 0 {
                        group.addTask { ((try? await crs.submit(plan: plan.id, by: manager))?.status == .submitted ? 1 : 0, 0) }
                    }
                    group.addTask {
                        let e = try? await crs.planEvent(plan: plan.id, id: UUID(), title: "活动 \(i)", day: "2026-04-01", place: "会所", budgetFen: 10_000, by: manager)
                        return (0, e == nil ? 0 : 1)
                    }
                }
                return try await group.reduce(into: (submitted: 0, added: 0)) { $0.submitted += $1.submitted; $0.added += $1.added }
            }
            let final = try await crs.plan(plan.id)
            let events = try await crs.events(plan: plan.id)
            XCTAssertEqual(events.count, 1 + outcome.added, "every event answered as added is in the plan")
            if final?.status == .submitted {
                XCTAssertLessThanOrEqual(events.map(\.budgetFen).reduce(0, +), 100_000, "the submitted plan's events fit its budget")
            }
            XCTAssertEqual(final?.status == .submitted ? 4 : 0, outcome.submitted, "every submission answers with the plan's final status")
            let audit = try await app.store.audit.entries(entityID: plan.id).filter { $0.entity == "culture_plan" && $0.action == .update }
            XCTAssertEqual(audit.count, final?.status == .submitted ? 1 : 0, "one submission is written")
            // Submitted, nothing more is added.
            if final?.status == .submitted {
                do {
                    _ = try await crs.planEvent(plan: plan.id, id: UUID(), title: "晚到的活动", day: "2026-05-01", place: "会所", budgetFen: 0, by: manager)
                    XCTFail("an event was added to a submitted plan")
                } catch let e as DomainError { XCTAssertEqual(e.code, "plan_not_draft") }
            }
        }
    }

    /// CR-4: approvals and returns sent at once: exactly one decision is written (one audit entry),
    /// every answer that is not a conflict shows the plan's final status, and the conflicts say so
    /// in both languages.
    func testCR4_decisionsSentAtOnceWriteExactlyOneDecision() async throws {
        let clock = TestClock(Self.shanghai(1, 8, 9))
        try await withWorld(now: clock.read) { app, w in
            let manager = who(w, "a.manager")
            let head = who(w, "a.head")
            let crs = app.store.customerRelations
            for round in 0..<3 {
                let plan = try await crs.draftPlan(community: w.a.community.id, year: 2026 + round, title: "年度文化计划", goals: "", budgetFen: 100_000, by: manager)
                _ = try await crs.planEvent(plan: plan.id, id: UUID(), title: "活动", day: "\(2026 + round)-03-03", place: "会所", budgetFen: 50_000, by: manager)
                _ = try await crs.submit(plan: plan.id, by: manager)
                let answers = try await withThrowingTaskGroup(of: Result<CulturePlanStatus, DomainError>.self) { group in
                    for i in 0..<10 {
                        group.addTask {
                            do { return .success(try await crs.decide(plan: plan.id, approve: (i + round) % 2 == 0, by: head).status) }
                            catch let e as DomainError { return .failure(e) }
                        }
                    }
                    return try await group.reduce(into: [Result<CulturePlanStatus, DomainError>]()) { $0.append($1) }
                }
                let decided = try await crs.plan(plan.id)
                let final = try XCTUnwrap(decided?.status)
                XCTAssertNotEqual(final, .submitted)
                for a in answers {
                    switch a {
                    case .success(let status): XCTAssertEqual(status, final, "an answer differs from the plan's final status")
                    case .failure(let e):
                        XCTAssertEqual(e.kind, .conflict)
                        XCTAssertEqual(e.code, "plan_not_submitted")
                        XCTAssertFalse(e.message.zhHans.isEmpty)
                        XCTAssertFalse(e.message.en.isEmpty)
                    }
                }
                let decisions = try await app.store.audit.entries(entityID: plan.id).filter { $0.entity == "culture_plan" && ($0.after ?? "").contains(final.rawValue) }
                XCTAssertEqual(decisions.count, 1, "exactly one decision is written")
                let written = try await app.store.audit.entries(entityID: plan.id).filter { $0.entity == "culture_plan" && $0.action == .update }
                XCTAssertEqual(written.count, 2, "one submission and one decision")
            }
        }
    }
}
