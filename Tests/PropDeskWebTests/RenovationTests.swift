import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// Renovation files (FLD-4) on a real database: approval only with every document scanned,
/// violation notices that are never edited (a correction is a new, hash-chained entry), the
/// correction deadline as a clock that alerts the CS manager, notice → stop → report in order,
/// area scoping for supervisors, and the inspection duty counted in windows.
final class RenovationTests: XCTestCase {
    static let inspectionDuty = "S2-4.2.2-renovation-inspection"
    static let protection = "电梯轿厢已加装防护板,楼道地面铺设保护膜"
    static let rule = "擅自拆改承重墙"
    static let requirement = "立即停止拆改,恢复原状并提交结构安全鉴定"

    /// A local time in November 2026 in the communities' time zone.
    static func shanghai(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    /// A tiny PDF of its own for each document (the same bytes twice on one file are kept once).
    static func scan(_ doc: RenovationDocument) -> [UInt8] { EvidenceTests.pdf + Array("% \(doc.rawValue)\n".utf8) }

    func who(_ w: World, _ username: String) -> Actor {
        Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName)
    }

    /// A file registered by the desk for one of A's units (units[0], [1] are in areas[0], units[2] in areas[1]).
    func register(_ app: Application, _ w: World, unit: Int = 0, every: Int = 1) async throws -> Renovation {
        try await app.store.renovations.register(RenovationStore.Application(
            unitID: w.a.units[unit].id, applicant: "王建国", applicantPhone: "13800001000", contractor: "美家装饰工程有限公司",
            contractorPhone: "13911112222", works: "厨卫翻新、更换地板", startsOn: "2026-11-20", endsOn: "2027-01-20", inspectEveryDays: every),
            community: w.a.community.id, by: who(w, "a.desk"))
    }

    /// Scanned documents attached to the file through the store, captioned as the desk's form does.
    func attach(_ app: Application, _ w: World, _ r: Renovation, _ docs: [RenovationDocument]) async throws {
        let uploads = try docs.map { try EvidenceStore.check(Self.scan($0), kind: .document, caption: "\($0.rawValue) · \($0.title.zhHans)", signedBy: nil) }
        let subject = SubjectRef(kind: .renovation, id: r.id, communityID: r.communityID, areaID: r.areaID, label: r.number)
        try await app.store.evidence.attach(uploads, to: subject, by: who(w, "a.desk"))
    }

    /// A file with everything in order, approved by the CS manager.
    func approvedFile(_ app: Application, _ w: World, unit: Int = 0, every: Int = 1) async throws -> Renovation {
        let r = try await register(app, w, unit: unit, every: every)
        try await attach(app, w, r, RenovationDocument.allCases)
        _ = try await app.store.renovations.update(r.id, depositFen: 200_000, protection: Self.protection, inspectEveryDays: nil, by: who(w, "a.desk"))
        return try await app.store.renovations.approve(r.id, by: who(w, "a.manager"))
    }

    /// A written notice issued by the area supervisor, due `days` after `now`.
    func issue(_ app: Application, _ w: World, _ r: Renovation, days: Double, from now: Date, as user: String = "a.supervisor") async throws -> RenovationViolation {
        try await app.store.renovations.issueNotice(renovation: r.id, rule: Self.rule, requirement: Self.requirement,
                                                    deadline: now.addingTimeInterval(days * 86400), photos: [], by: who(w, user))
    }

    func form(_ app: Application, _ path: String, as user: String, in w: World, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
    }

    /// The file page's upload form: one scanned document for one item of the checklist.
    func upload(_ app: Application, _ w: World, _ r: Renovation, _ doc: RenovationDocument, as user: String) async throws -> XCTHTTPResponse {
        let boundary = "renovation-test"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\n\(doc.rawValue)\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(doc.rawValue).pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
        body += Self.scan(doc)
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return try await app.call(.POST, "/renovations/\(r.id.uuidString)/documents", as: user, in: w,
                                  contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]), bytes: body)
    }

    func drain(_ app: Application) async throws -> SweepReport {
        var total = SweepReport()
        for _ in 0..<20 {
            let r = try await app.store.clocks.sweep(limit: 1000)
            total.add(r)
            if r.fired == 0 { break }
        }
        return total
    }

    // MARK: Approval needs every document (S0 5.3)

    func testFLD4_aRenovationWithAMissingRequiredDocumentCannotBeApprovedAndTheMessageNamesIt() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let r = try await register(app, w)
            XCTAssertEqual(r.status, .applied)
            XCTAssertEqual(r.areaID, w.a.areas[0].id, "the file belongs to its unit's area")
            let four = RenovationDocument.allCases.filter { $0 != .ownerCommitment }
            XCTAssertEqual(four.count, 4)
            try await attach(app, w, r, four)
            _ = try await app.store.renovations.update(r.id, depositFen: 200_000, protection: Self.protection, inspectEveryDays: nil, by: who(w, "a.desk"))
            let captions = try await app.store.renovations.documentCaptions(r.id)
            XCTAssertEqual(captions.count, 4)
            let stored = try await app.store.renovations.renovation(r.id)
            XCTAssertEqual(stored?.depositFen, 200_000)
            XCTAssertEqual(stored?.missing(documentCaptions: captions).map(\.zhHans), ["业主装修承诺书"], "only the commitment is missing")

            // Through the store: refused, and the message names what is missing, in both languages.
            let refused = await refusal(try await app.store.renovations.approve(r.id, by: self.who(w, "a.manager")))
            XCTAssertEqual(refused?.kind, .conflict)
            XCTAssertEqual(refused?.code, "renovation_incomplete")
            let zh = refused?.message.zhHans ?? "", en = refused?.message.en ?? ""
            XCTAssertTrue(zh.contains("业主装修承诺书"), zh)
            XCTAssertTrue(en.contains("Owner's commitment"), en)
            for doc in four { XCTAssertFalse(zh.contains(doc.title.zhHans), "\(doc.rawValue) is received: \(zh)") }
            XCTAssertFalse(zh.contains("装修押金"), "the deposit is received: \(zh)")
            XCTAssertFalse(zh.contains("公共区域保护措施"), "the protection is recorded: \(zh)")

            // Over HTTP: the CS manager is sent back to the file, which is still only applied for.
            let path = "/renovations/\(r.id.uuidString)"
            let tried = try await app.call(.POST, path + "/approve", as: "a.manager", in: w)
            XCTAssertEqual(tried.status, .seeOther, String(tried.text.prefix(500)))
            XCTAssertEqual(tried.headers.first(name: .location), path)
            let still = try await app.store.renovations.renovation(r.id)
            XCTAssertEqual(still?.status, .applied)
            XCTAssertNil(still?.approvedAt)
            XCTAssertNil(still?.approvedByName)
            let page = try await app.call(.GET, path, as: "a.manager", in: w)
            XCTAssertEqual(page.status, .ok, String(page.text.prefix(500)))
            XCTAssertTrue(page.text.contains(#"data-document="owner_commitment" data-received="no""#))
            XCTAssertTrue(page.text.contains(#"data-document="drawings" data-received="yes""#))
            XCTAssertTrue(page.text.contains(#"id="approval-missing""#))

            // The front desk collects documents but does not approve.
            let desk = try await app.call(.POST, path + "/approve", as: "a.desk", in: w)
            XCTAssertEqual(desk.status, .forbidden)

            // The last document, from the file page's form: now it may be approved.
            let uploaded = try await upload(app, w, r, .ownerCommitment, as: "a.desk")
            XCTAssertEqual(uploaded.status, .seeOther, String(uploaded.text.prefix(500)))
            let all = try await app.store.renovations.documentCaptions(r.id)
            XCTAssertEqual(all.count, 5)
            XCTAssertTrue(all.contains { $0.hasPrefix("owner_commitment · 业主装修承诺书") }, "\(all)")
            let deskAgain = try await app.call(.POST, path + "/approve", as: "a.desk", in: w)
            XCTAssertEqual(deskAgain.status, .forbidden)
            let notYet = try await app.store.renovations.renovation(r.id)
            XCTAssertEqual(notYet?.status, .applied)

            clock.advance(minutes: 5)
            let approve = try await app.call(.POST, path + "/approve", as: "a.manager", in: w)
            XCTAssertEqual(approve.status, .seeOther, String(approve.text.prefix(500)))
            let loaded = try await app.store.renovations.renovation(r.id)
            let approved = try XCTUnwrap(loaded)
            XCTAssertEqual(approved.status, .approved)
            XCTAssertEqual(approved.approvedByName?.contains("a.manager"), true, approved.approvedByName ?? "nil")
            XCTAssertEqual(try XCTUnwrap(approved.approvedAt).timeIntervalSince(clock.now), 0, accuracy: 1)
            let entries = try await app.store.timelines.entries(.renovation, r.id)
            let approvedEntry = try XCTUnwrap(entries.first { $0.kind == "approved" }, "\(entries.map(\.kind))")
            XCTAssertEqual(approvedEntry.data["depositFen"], "200000")
            XCTAssertEqual(entries.filter { $0.kind == "approved" }.count, 1, "the refused attempts left no approval on the record")
            let permit = try await app.call(.GET, path + "/permit", as: "a.manager", in: w)
            XCTAssertEqual(permit.status, .ok)
            XCTAssertTrue(permit.text.contains(r.number))
        }
    }

    // MARK: Notices are never edited (PLT-3)

    func testFLD4_aViolationNoticeCannotBeEditedACorrectionIsANewEntryAndVerifyDetectsANoticeAlteredInSQL() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let r = try await approvedFile(app, w)
            clock.advance(minutes: 60)
            let v = try await issue(app, w, r, days: 3, from: clock.now)
            XCTAssertEqual(v.status, .noticed)
            XCTAssertEqual(v.renovationID, r.id)
            XCTAssertEqual(v.deadline, clock.now.addingTimeInterval(3 * 86400))
            let first = try await app.store.renovations.notice(v.id)
            let issued = try XCTUnwrap(first)
            XCTAssertEqual(issued.rule, Self.rule)
            XCTAssertEqual(issued.requirement, Self.requirement)
            XCTAssertEqual(issued.deadline.timeIntervalSince(v.deadline), 0, accuracy: 1)
            XCTAssertEqual(issued.seq, 1)
            XCTAssertNil(issued.corrects)
            let before = try await app.store.timelines.entries(.renovationViolation, v.id)
            XCTAssertEqual(before.map(\.kind), ["notice_issued"])
            XCTAssertEqual(before.first?.data["number"], v.number)
            XCTAssertEqual(before.first?.data["rule"], Self.rule)

            // A correction is a new entry that names the one it corrects; the original stays as it was.
            clock.advance(minutes: 30)
            let newDeadline = clock.now.addingTimeInterval(4 * 86400)
            let corrected = try await app.store.renovations.correctNotice(v.id, rule: "擅自拆改承重墙及外窗", requirement: "恢复原状", deadline: newDeadline,
                                                                         reason: "漏写了外窗", by: who(w, "a.supervisor"))
            XCTAssertEqual(corrected.corrects, issued.seq)
            XCTAssertEqual(corrected.seq, 2)
            let after = try await app.store.timelines.entries(.renovationViolation, v.id)
            XCTAssertEqual(after.map(\.kind), ["notice_issued", "notice_corrected"])
            XCTAssertEqual(after[0], before[0], "the issued notice is not touched")
            XCTAssertEqual(after[0].data, before[0].data)
            XCTAssertEqual(after[0].hash, before[0].hash)
            XCTAssertEqual(after[1].data["corrects"], String(issued.seq))
            XCTAssertEqual(after[1].data["rule"], "擅自拆改承重墙及外窗")
            XCTAssertEqual(after[1].note, "漏写了外窗")
            XCTAssertEqual(after[1].prevHash, after[0].hash)
            let current = try await app.store.renovations.notice(v.id)
            XCTAssertEqual(current?.rule, "擅自拆改承重墙及外窗")
            XCTAssertEqual(current?.requirement, "恢复原状")
            XCTAssertEqual(current?.corrects, 1)
            XCTAssertEqual(current?.seq, 2)
            XCTAssertEqual(try XCTUnwrap(current?.deadline).timeIntervalSince(newDeadline), 0, accuracy: 1)
            let moved = try await app.store.renovations.violation(v.id)
            XCTAssertEqual(try XCTUnwrap(moved?.deadline).timeIntervalSince(newDeadline), 0, accuracy: 1)

            // The printed notice shows the correction and says which entry it corrects.
            let printed = try await app.call(.GET, "/violations/\(v.id.uuidString)/notice", as: "a.supervisor", in: w)
            XCTAssertEqual(printed.status, .ok, String(printed.text.prefix(500)))
            XCTAssertTrue(printed.text.contains("擅自拆改承重墙及外窗"))
            XCTAssertTrue(printed.text.contains("更正第 1 条记录"))
            XCTAssertTrue(printed.text.contains(v.number))

            // No way to edit or remove a notice, in the pages or the API.
            let vid = v.id.uuidString
            let probes: [(HTTPMethod, String)] = [
                (.PUT, "/violations/\(vid)"), (.PATCH, "/violations/\(vid)"), (.DELETE, "/violations/\(vid)"),
                (.PUT, "/violations/\(vid)/notice"), (.DELETE, "/violations/\(vid)/notice"),
                (.PUT, "/api/v1/violations/\(vid)"), (.PATCH, "/api/v1/violations/\(vid)"), (.DELETE, "/api/v1/violations/\(vid)"),
                (.PUT, "/api/v1/violations/\(vid)/correction"), (.DELETE, "/api/v1/violations/\(vid)/correction"),
            ]
            for (method, path) in probes {
                let res = try await app.call(method, path, as: "a.head", in: w, json: #"{"rule":"改过的规定","requirement":"无"}"#)
                XCTAssertTrue([HTTPStatus.notFound, .methodNotAllowed].contains(res.status), "\(method) \(path): \(res.status)")
                let allow = res.headers.first(name: .allow) ?? ""
                XCTAssertFalse(["PUT", "PATCH", "DELETE"].contains { allow.contains($0) }, "\(method) \(path) allows \(allow)")
            }
            let untouched = try await app.store.timelines.entries(.renovationViolation, v.id)
            XCTAssertEqual(untouched, after)
            let stillCurrent = try await app.store.renovations.notice(v.id)
            XCTAssertEqual(stillCurrent, current)

            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")

            // The issued notice's words changed in SQL, behind PropDesk's back: verify names that entry.
            var altered = before[0].data
            altered["rule"] = "未发现违章"
            let sql = app.db as! any SQLDatabase
            try await sql.raw("""
                UPDATE timeline_entries SET data = \(bind: AuditEntry.snapshot(altered))
                WHERE subject_kind = 'renovation_violation' AND subject_id = \(bind: v.id) AND seq = 1
                """).run()
            let tampered = try await app.store.timelines.entries(.renovationViolation, v.id)
            XCTAssertEqual(tampered.first?.data["rule"], "未发现违章", "the row was changed")
            let result = try await app.store.timelines.verify()
            XCTAssertEqual(result.findings.count, 1, "\(result.findings)")
            XCTAssertEqual(result.findings.first?.entry.id, before[0].id)
            XCTAssertEqual(result.findings.first?.entry.subjectID, v.id)
            XCTAssertEqual(result.findings.first?.entry.subjectKind, .renovationViolation)
            XCTAssertEqual(result.findings.first?.entry.seq, 1)
            XCTAssertEqual(result.findings.first?.problem, .changed)
        }
    }

    // MARK: The correction deadline (PLT-1)

    func testFLD4_theCorrectionDeadlineIsAClockThatAlertsTheCSManager() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let r = try await approvedFile(app, w)
            let late = try await issue(app, w, r, days: 2, from: clock.now)
            let putRight = try await issue(app, w, r, days: 2, from: clock.now)
            XCTAssertNotEqual(late.number, putRight.number)

            // A day later the second one is put right; its clock stops.
            clock.advance(minutes: 24 * 60)
            let done = try await app.store.renovations.step(putRight.id, .correct, note: "已恢复原状,复查合格", authority: nil, photos: [], by: who(w, "a.supervisor"))
            XCTAssertEqual(done.status, .corrected)
            _ = try await drain(app)
            let early = try await app.store.alerts.alerts(of: .renovationViolation, late.id)
            XCTAssertTrue(early.isEmpty, "not due yet")

            // The deadline passes with the first one still open.
            clock.advance(minutes: 24 * 60 + 1)
            _ = try await drain(app)
            let alerts = try await app.store.alerts.alerts(of: .renovationViolation, late.id)
            XCTAssertEqual(alerts.map(\.kind), [.deadlinePassed])
            XCTAssertEqual(alerts.map(\.level), [.csManager])
            let alert = try XCTUnwrap(alerts.first)
            XCTAssertEqual(alert.subjectKind, .renovationViolation)
            XCTAssertEqual(alert.subjectID, late.id)
            XCTAssertEqual(alert.subjectLabel, late.number)
            XCTAssertEqual(alert.communityID, w.a.community.id)
            XCTAssertEqual(alert.areaID, w.a.areas[0].id)
            let entries = try await app.store.timelines.entries(.renovationViolation, late.id)
            XCTAssertEqual(entries.map(\.kind), ["notice_issued", "deadline_passed"])
            XCTAssertEqual(entries.last?.data["status"], "noticed")
            let open = try await app.store.renovations.violation(late.id)
            XCTAssertEqual(open?.status, .noticed, "the deadline alerts; it does not decide the step")

            // The one corrected in time raised nothing.
            let quiet = try await app.store.alerts.alerts(of: .renovationViolation, putRight.id)
            XCTAssertTrue(quiet.isEmpty, "\(quiet)")
            let quietEntries = try await app.store.timelines.entries(.renovationViolation, putRight.id)
            XCTAssertEqual(quietEntries.map(\.kind), ["notice_issued", "correct"])

            // Nothing fires twice.
            clock.advance(minutes: 24 * 60)
            _ = try await drain(app)
            let again = try await app.store.alerts.alerts(of: .renovationViolation, late.id)
            XCTAssertEqual(again.count, 1)
            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")
        }
    }

    // MARK: Notice, stop, report (S0 5.1) and the completion inspection

    func testFLD4_stopThenReportThenCorrectFollowTheOrderAndCompletionIsRefusedWhileAViolationIsOpen() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let supervisor = who(w, "a.supervisor")
            let r = try await approvedFile(app, w)
            let v = try await issue(app, w, r, days: 3, from: clock.now)

            // A written report names the authority it goes to.
            clock.advance(minutes: 10)
            let noAuthority = await refusal(try await app.store.renovations.step(v.id, .report, note: "已书面上报", authority: nil, photos: [], by: supervisor))
            XCTAssertEqual(noAuthority?.kind, .invalidInput)
            XCTAssertEqual(noAuthority?.details.first?.field, "authority")
            let blank = await refusal(try await app.store.renovations.step(v.id, .report, note: "已书面上报", authority: "  ", photos: [], by: supervisor))
            XCTAssertEqual(blank?.details.first?.field, "authority")
            let unchanged = try await app.store.renovations.violation(v.id)
            XCTAssertEqual(unchanged?.status, .noticed)

            // Stop after the notice, from the file page.
            let stop = try await form(app, "/violations/\(v.id.uuidString)/steps/stop", as: "a.supervisor", in: w, [("note", "已责令停工,暂扣切割工具")])
            XCTAssertEqual(stop.status, .seeOther, String(stop.text.prefix(500)))
            XCTAssertEqual(stop.headers.first(name: .location), "/renovations/\(r.id.uuidString)")
            let stopped = try await app.store.renovations.violation(v.id)
            XCTAssertEqual(stopped?.status, .stopped)
            // Not twice.
            let twice = await refusal(try await app.store.renovations.step(v.id, .stop, note: "再次制止", authority: nil, photos: [], by: supervisor))
            XCTAssertEqual(twice?.kind, .conflict)
            XCTAssertEqual(twice?.code, "violation_step")

            clock.advance(minutes: 60)
            let reported = try await app.store.renovations.step(v.id, .report, note: "逾期未整改,已书面上报", authority: "区住房和城乡建设局", photos: [], by: supervisor)
            XCTAssertEqual(reported.status, .reported)
            let stopAfterReport = await refusal(try await app.store.renovations.step(v.id, .stop, note: "制止", authority: nil, photos: [], by: supervisor))
            XCTAssertEqual(stopAfterReport?.kind, .conflict)

            // The completion inspection cannot close the file while the violation is open, and says which one.
            let refused = await refusal(try await app.store.renovations.inspect(r.id, passed: true, note: "", completion: true, photos: [], by: supervisor))
            XCTAssertEqual(refused?.kind, .conflict)
            XCTAssertEqual(refused?.code, "violations_open")
            XCTAssertTrue(refused?.message.zhHans.contains(v.number) == true, refused?.message.zhHans ?? "nil")
            XCTAssertTrue(refused?.message.en.contains(v.number) == true, refused?.message.en ?? "nil")
            let open = try await app.store.renovations.renovation(r.id)
            XCTAssertEqual(open?.status, .approved)
            XCTAssertNil(open?.closedAt)
            let none = try await app.store.renovations.inspections(renovation: r.id)
            XCTAssertTrue(none.isEmpty, "the refused inspection is not kept")

            // Put right: the violation closes, then the completion inspection closes the file.
            clock.advance(minutes: 24 * 60)
            let corrected = try await app.store.renovations.step(v.id, .correct, note: "已恢复原状,鉴定合格", authority: nil, photos: [], by: supervisor)
            XCTAssertEqual(corrected.status, .corrected)
            let again = await refusal(try await app.store.renovations.step(v.id, .correct, note: "再次确认", authority: nil, photos: [], by: supervisor))
            XCTAssertEqual(again?.kind, .conflict)
            let steps = try await app.store.timelines.entries(.renovationViolation, v.id)
            XCTAssertEqual(steps.map(\.kind), ["notice_issued", "stop", "report", "correct"])
            XCTAssertEqual(steps[1].data["from"], "noticed")
            XCTAssertEqual(steps[1].data["to"], "stopped")
            XCTAssertEqual(steps[2].data["authority"], "区住房和城乡建设局")
            XCTAssertEqual(steps[3].data["to"], "corrected")

            clock.advance(minutes: 30)
            let completion = try await app.store.renovations.inspect(r.id, passed: true, note: "", completion: true, photos: [], by: supervisor)
            XCTAssertTrue(completion.completion)
            XCTAssertTrue(completion.passed)
            let closed = try await app.store.renovations.renovation(r.id)
            XCTAssertEqual(closed?.status, .closed)
            XCTAssertEqual(try XCTUnwrap(closed?.closedAt).timeIntervalSince(clock.now), 0, accuracy: 1)
            let entries = try await app.store.timelines.entries(.renovation, r.id)
            XCTAssertEqual(Array(entries.map(\.kind).suffix(2)), ["completion_inspected", "closed"])
            XCTAssertTrue(entries.contains { $0.kind == "violation" && $0.data["violation"] == v.number })
            // A closed file takes no more notices.
            let late = await refusal(try await self.issue(app, w, r, days: 1, from: clock.now))
            XCTAssertEqual(late?.code, "renovation_closed")
            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")
        }
    }

    // MARK: Who may see a file (SEC-2)

    func testFLD4_aSupervisorOfAnotherAreaCannotSeeOrInspectTheRenovation() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let mine = try await approvedFile(app, w, unit: 0)
            let theirs = try await approvedFile(app, w, unit: 2)
            XCTAssertEqual(mine.areaID, w.a.areas[0].id)
            XCTAssertEqual(theirs.areaID, w.a.areas[1].id, "units[2] is in building 2, in areas[1]")
            let theirViolation = try await issue(app, w, theirs, days: 3, from: clock.now, as: "a.head")
            let theirPath = "/renovations/\(theirs.id.uuidString)"

            // Another area of the same community: not found, and nothing kept.
            let page = try await app.call(.GET, theirPath, as: "a.supervisor", in: w)
            XCTAssertEqual(page.status, .notFound)
            let inspect = try await form(app, theirPath + "/inspections", as: "a.supervisor", in: w, [("result", "pass"), ("note", "")])
            XCTAssertEqual(inspect.status, .notFound)
            let notice = try await form(app, theirPath + "/violations", as: "a.supervisor", in: w,
                                        [("rule", Self.rule), ("requirement", Self.requirement), ("deadline", "2026-11-25T10:00")])
            XCTAssertEqual(notice.status, .notFound)
            let printed = try await app.call(.GET, "/violations/\(theirViolation.id.uuidString)/notice", as: "a.supervisor", in: w)
            XCTAssertEqual(printed.status, .notFound)
            let step = try await form(app, "/violations/\(theirViolation.id.uuidString)/steps/stop", as: "a.supervisor", in: w, [("note", "制止")])
            XCTAssertEqual(step.status, .notFound)
            let kept = try await app.store.renovations.inspections(renovation: theirs.id)
            XCTAssertTrue(kept.isEmpty)
            let violations = try await app.store.renovations.violations(renovation: theirs.id)
            XCTAssertEqual(violations.map(\.id), [theirViolation.id])
            XCTAssertEqual(violations.first?.status, .noticed)

            // Another community's center head: not found either.
            let foreign = try await app.call(.GET, theirPath, as: "b.head", in: w)
            XCTAssertEqual(foreign.status, .notFound)
            let foreignMine = try await app.call(.GET, "/renovations/\(mine.id.uuidString)", as: "b.head", in: w)
            XCTAssertEqual(foreignMine.status, .notFound)
            let foreignApprove = try await app.call(.POST, theirPath + "/approve", as: "b.head", in: w)
            XCTAssertEqual(foreignApprove.status, .notFound)

            // The supervisor's own area: the file, its list and an inspection.
            let own = try await app.call(.GET, "/renovations/\(mine.id.uuidString)", as: "a.supervisor", in: w)
            XCTAssertEqual(own.status, .ok, String(own.text.prefix(500)))
            XCTAssertTrue(own.text.contains(mine.number))
            XCTAssertTrue(own.text.contains(#"id="inspection-form""#))
            let list = try await app.call(.GET, "/c/\(w.a.community.id.uuidString)/renovations", as: "a.supervisor", in: w)
            XCTAssertEqual(list.status, .ok, String(list.text.prefix(500)))
            XCTAssertTrue(list.text.contains(mine.number))
            XCTAssertFalse(list.text.contains(theirs.number), "the other area's file is not listed")
            let done = try await form(app, "/renovations/\(mine.id.uuidString)/inspections", as: "a.supervisor", in: w, [("result", "pass"), ("note", "")])
            XCTAssertEqual(done.status, .seeOther, String(done.text.prefix(500)))
            let recorded = try await app.store.renovations.inspections(renovation: mine.id)
            XCTAssertEqual(recorded.count, 1)
            XCTAssertEqual(recorded.first?.byID, w.accounts["a.supervisor"]!.id)
            XCTAssertEqual(recorded.first?.passed, true)
            // The whole community's head sees both.
            let head = try await app.call(.GET, theirPath, as: "a.head", in: w)
            XCTAssertEqual(head.status, .ok)
        }
    }

    // MARK: The inspection duty (S2 4.2.2)

    func testFLD4_theInspectionDutyCountsWindowsAndListsTheMissedFile() async throws {
        let clock = TestClock(Self.shanghai(10, 10))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id, area = w.a.areas[0].id, tz = w.a.community.timeZone
            XCTAssertEqual(tz, "Asia/Shanghai")
            let r = try await approvedFile(app, w, every: 1)
            XCTAssertEqual(r.inspectEveryDays, 1)
            XCTAssertEqual(r.approvedAt, Self.shanghai(10, 10))

            // 11 November: inspected.
            clock.advance(minutes: 24 * 60)
            let due = try await app.store.renovations.dueForInspection(community: cid, areas: [area], timeZone: tz, at: clock.now)
            XCTAssertEqual(due.map(\.id), [r.id])
            _ = try await app.store.renovations.inspect(r.id, passed: true, note: "", completion: false, photos: [], by: who(w, "a.supervisor"))
            let done = try await app.store.renovations.dueForInspection(community: cid, areas: [area], timeZone: tz, at: clock.now)
            XCTAssertTrue(done.isEmpty)
            let elsewhere = try await app.store.renovations.dueForInspection(community: cid, areas: [w.a.areas[1].id], timeZone: tz, at: clock.now)
            XCTAssertTrue(elsewhere.isEmpty)

            // 12 November: nobody comes. 13 November, noon: the month so far.
            clock.advance(minutes: 24 * 60)
            let missedToday = try await app.store.renovations.dueForInspection(community: cid, areas: [area], timeZone: tz, at: clock.now)
            XCTAssertEqual(missedToday.map(\.id), [r.id])
            clock.advance(minutes: 26 * 60)
            XCTAssertEqual(clock.now, Self.shanghai(13, 12))

            let card = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: tz, areaID: area)
            let row = try XCTUnwrap(card.first { $0.duty.id == Self.inspectionDuty }, "\(card.map(\.duty.id))")
            XCTAssertEqual(row.duty.citation, "S2 4.2.2")
            XCTAssertEqual(row.measurement.numerator, 1)
            XCTAssertEqual(row.measurement.denominator, 2, "11 and 12 November; not the day of approval, not today")
            let misses = row.measurement.records.filter(\.missed)
            XCTAssertEqual(misses.count, 1, "\(row.measurement.records)")
            let miss = try XCTUnwrap(misses.first)
            XCTAssertEqual(miss.path, "/renovations/\(r.id.uuidString)")
            XCTAssertTrue(miss.label.contains(r.number) && miss.label.contains("2026-11-12"), miss.label)
            let kept = try XCTUnwrap(row.measurement.records.first { !$0.missed })
            XCTAssertTrue(kept.label.contains("2026-11-11"), kept.label)

            // The other area has no renovation to inspect.
            let other = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: tz, areaID: w.a.areas[1].id)
            let otherRow = try XCTUnwrap(other.first { $0.duty.id == Self.inspectionDuty })
            XCTAssertEqual(otherRow.measurement.denominator, 0)

            // The miss links to the file.
            let linked = try await app.call(.GET, miss.path, as: "a.manager", in: w)
            XCTAssertEqual(linked.status, .ok)
            XCTAssertTrue(linked.text.contains(r.number))
        }
    }
}
