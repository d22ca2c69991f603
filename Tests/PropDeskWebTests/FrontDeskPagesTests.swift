import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import XCTVapor
@testable import PropDeskWeb

/// The desk's keys, visitors and passes pages (FD-5, FD-6, FD-7) and the resident file (REG-5)
/// through the pages, on a real database.
final class FrontDeskPagesTests: XCTestCase {
    static func shanghai(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    func form(_ app: Application, _ path: String, as user: String, in w: World, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
    }

    /// The numbers a holdings row of the key page shows for a unit: on the board, lent.
    func row(_ html: String, _ label: String) -> (onBoard: Int, lent: Int)? {
        guard let r = html.range(of: #"data-unit="\#(label)" data-on-board="(\d+)" data-lent="(\d+)""#, options: .regularExpression) else { return nil }
        let numbers = html[r].split(separator: "\"").compactMap { Int($0) }
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }

    /// FD-5: receive 3, lend 2, return 1 through the page's forms (a receipt sent twice is
    /// recorded once); the page shows what KeyStore.holdings replays from the ledger; a loan
    /// past its due time turns red; another community's board is not found.
    func testFD5_whoHoldsWhatNowMatchesTheMovements() async throws {
        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let path = Routes.keyMovements(cid)
            let unit = w.a.units[0]
            let building = w.a.buildings[0].id.uuidString
            let receipt = UUID().uuidString
            let receive = [("kind", "received"), ("movementId", receipt), ("buildingId", building), ("room", "1201"), ("party", "业主王建国"), ("count", "3")]
            for _ in 0..<2 {
                let r = try await form(app, path, as: "a.desk", in: w, receive)
                XCTAssertEqual(r.status, .seeOther, r.text)
            }
            clock.advance(minutes: 10)
            let lend = try await form(app, path, as: "a.desk", in: w, [
                ("kind", "lent"), ("movementId", UUID().uuidString), ("buildingId", building), ("room", "1201"), ("party", "装修工人张师傅"),
                ("idKind", "resident_id"), ("idLast4", "002x"), ("purpose", "进户测量"), ("count", "2"), ("expectedBack", "2026-11-10T17:00"),
            ])
            XCTAssertEqual(lend.status, .seeOther)
            clock.advance(minutes: 10)
            let back = try await form(app, path, as: "a.desk", in: w, [
                ("kind", "returned"), ("movementId", UUID().uuidString), ("unitId", unit.id.uuidString), ("party", "装修工人张师傅"), ("count", "1"),
            ])
            XCTAssertEqual(back.status, .seeOther)
            let tooMany = try await form(app, path, as: "a.desk", in: w, [
                ("kind", "lent"), ("movementId", UUID().uuidString), ("unitId", unit.id.uuidString), ("party", "某人"), ("idKind", "resident_id"),
                ("idLast4", "1234"), ("purpose", "看房"), ("count", "5"), ("expectedBack", "2026-11-10T17:00"),
            ])
            XCTAssertEqual(tooMany.status, .seeOther, "refused with a message, nothing recorded")

            let movements = try await app.store.keys.movements(community: cid)
            XCTAssertEqual(movements.map(\.kind), [.returned, .lent, .received], "the receipt sent twice is recorded once; the refused loan not at all")
            XCTAssertEqual(movements[1].idChecked, "居民身份证 后四位 002X", "only the kind and the last four characters are kept")
            let holdings = try await app.store.keys.holdings(community: cid)
            XCTAssertEqual(holdings.count, 1)
            let h = try XCTUnwrap(holdings.first)
            XCTAssertEqual(h.onBoard, 2)
            XCTAssertEqual(h.loans.map(\.count), [1])

            let page = try await app.call(.GET, Routes.keys(cid), as: "a.desk", in: w)
            XCTAssertEqual(page.status, .ok)
            let shown = try XCTUnwrap(row(page.text, "1栋-1201"), "the unit's row is on the page")
            XCTAssertEqual(shown.onBoard, h.onBoard)
            XCTAssertEqual(shown.lent, h.loans.map(\.count).reduce(0, +))
            XCTAssertTrue(page.text.contains("装修工人张师傅 × 1"))
            XCTAssertFalse(page.text.contains("error overdue"), "not due yet")
            clock.advance(minutes: 9 * 60)
            let late = try await app.call(.GET, Routes.keys(cid), as: "a.desk", in: w)
            XCTAssertTrue(late.text.contains("error overdue"), "a loan past its due time is shown in red")
            let printed = try await app.call(.GET, Routes.keysPrint(cid), as: "a.desk", in: w)
            XCTAssertEqual(printed.status, .ok)
            XCTAssertTrue(printed.text.contains("业主王建国"))

            // The monthly count through the page: one key missing is recorded as a difference.
            let count = try await form(app, Routes.keyCount(cid), as: "a.desk", in: w, [("counted[\(unit.id.uuidString)]", "1"), ("note", "少一把")])
            XCTAssertEqual(count.status, .seeOther)
            let counts = try await app.store.keys.reconciliations(community: cid, from: Self.shanghai(1, 0), until: Self.shanghai(30, 0))
            XCTAssertEqual(counts.map(\.differences), [1])

            let other = try await app.call(.GET, Routes.keys(w.b.community.id), as: "a.desk", in: w)
            XCTAssertEqual(other.status, .notFound)
            let otherPost = try await form(app, Routes.keyMovements(w.b.community.id), as: "a.desk", in: w, receive)
            XCTAssertEqual(otherPost.status, .notFound)
            let foreignUnit = try await form(app, path, as: "a.desk", in: w, [("kind", "received"), ("unitId", w.b.units[0].id.uuidString), ("party", "某人"), ("count", "1")])
            XCTAssertEqual(foreignUnit.status, .seeOther)
            let bMoves = try await app.store.keys.movements(community: w.b.community.id)
            XCTAssertFalse(bMoves.contains { $0.party == "某人" }, "a unit of another community is not found")
            let engineer = try await app.call(.GET, Routes.keys(cid), as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
        }
    }

    /// FD-7 / SEC-3: a visitor registered at the desk; no page a desk, supervisor, engineer,
    /// manager or head can open shows the whole ID number; a reveal needs a purpose and a role
    /// that may reveal, shows the number once and is audited with the purpose.
    func testFD7_visitorIDNumbersNeverAppearUnmaskedToRolesThatMayNotReveal() async throws {
        let clock = TestClock(Self.shanghai(12, 14))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let number = World.idNumber
            let visitorID = UUID()
            let fields = [("visitorId", visitorID.uuidString), ("name", "赵六"), ("idType", "resident_id"), ("idNumber", number),
                          ("buildingId", w.a.buildings[0].id.uuidString), ("room", "1201"), ("host", "王建国"), ("purpose", "探亲"), ("phone", "13912345678")]
            for _ in 0..<2 {
                let r = try await form(app, Routes.visitors(cid), as: "a.desk", in: w, fields)
                XCTAssertEqual(r.status, .seeOther)
            }
            let list = try await app.store.visitors.visitors(community: cid, from: Self.shanghai(12, 0), until: Self.shanghai(13, 0))
            XCTAssertEqual(list.map(\.id), [visitorID], "a registration sent twice is stored once")
            XCTAssertEqual(list.first?.unitID, w.a.units[0].id)

            let pages = [Routes.visitors(cid), Routes.visitors(cid, day: "2026-11-12"), Routes.residentFile(w.a.units[0].id), Routes.keys(cid)]
            for user in ["a.desk", "a.supervisor", "a.engineer", "a.manager", "a.head", "a.finance"] {
                for path in pages {
                    let r = try await app.call(.GET, path, as: user, in: w)
                    XCTAssertFalse(r.text.contains(number), "\(user) saw the whole number on \(path)")
                    XCTAssertFalse(r.text.contains(String(number.prefix(14))), "\(user) saw most of the number on \(path)")
                }
            }
            let desk = try await app.call(.GET, Routes.visitors(cid), as: "a.desk", in: w)
            XCTAssertTrue(desk.text.contains(Mask.idNumber(number)), "the masked number is shown")
            XCTAssertTrue(desk.text.contains(Routes.visitorReveal(visitorID)), "the desk may reveal")
            let file = try await app.call(.GET, Routes.residentFile(w.a.units[0].id), as: "a.supervisor", in: w)
            XCTAssertEqual(file.status, .ok)
            XCTAssertTrue(file.text.contains("赵六"))
            XCTAssertFalse(file.text.contains(Routes.visitorReveal(visitorID)))

            let audited = { try await app.store.audit.entries(entityID: visitorID).filter { $0.action == .reveal } }
            let noPurpose = try await form(app, Routes.visitorReveal(visitorID), as: "a.desk", in: w, [("purpose", " ")])
            XCTAssertEqual(noPurpose.status, .seeOther)
            XCTAssertFalse(noPurpose.text.contains(number))
            for user in ["a.supervisor", "a.engineer", "b.head"] {
                let r = try await form(app, Routes.visitorReveal(visitorID), as: user, in: w, [("purpose", "核实")])
                XCTAssertTrue([.forbidden, .notFound].contains(r.status), "\(user): \(r.status)")
                XCTAssertFalse(r.text.contains(number))
            }
            let none = try await audited()
            XCTAssertEqual(none.count, 0, "nothing revealed, nothing audited")
            let shown = try await form(app, Routes.visitorReveal(visitorID), as: "a.desk", in: w, [("purpose", "派出所协查")])
            XCTAssertEqual(shown.status, .ok)
            XCTAssertTrue(shown.text.contains(number))
            let entries = try await audited()
            XCTAssertEqual(entries.count, 1)
            XCTAssertTrue(entries.first?.actorName.contains("派出所协查") == true, "the purpose is on the audit entry")
            XCTAssertEqual(entries.first?.actorID, w.accounts["a.desk"]?.id)

            let leave = try await form(app, Routes.visitorLeave(visitorID), as: "a.desk", in: w, [])
            XCTAssertEqual(leave.status, .seeOther)
            let left = try await app.store.visitors.visitor(visitorID)
            XCTAssertNotNil(left?.outAt)
            let other = try await app.call(.GET, Routes.visitors(w.b.community.id), as: "a.desk", in: w)
            XCTAssertEqual(other.status, .notFound)
        }
    }

    /// FD-6: a permit issued (the same form twice stores one), renewed; a card reported lost and
    /// replaced by a new number, the lost one kept with its history; permits ending within 30
    /// days are listed, a renewed one no longer; another community's pass is not found.
    func testFD6_issueRenewAndLostAndReplacedKeepHistoryAndExpiringIsListed() async throws {
        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let unit = w.a.units[0].id
            let building = w.a.buildings[0].id.uuidString
            func issue(_ kind: String, _ number: String, plate: String = "", until: String) async throws -> XCTHTTPResponse {
                try await form(app, Routes.passes(cid), as: "a.desk", in: w, [("kind", kind), ("buildingId", building), ("room", "1201"), ("number", number),
                                                                              ("plate", plate), ("holder", "王建国"), ("validFrom", "2026-11-01"), ("validUntil", until)])
            }
            for _ in 0..<2 { _ = try await issue("parking_permit", "CHHY-P-0001", plate: "粤B12345", until: "2026-11-30") }
            _ = try await issue("parking_permit", "CHHY-P-0002", plate: "粤BD12345", until: "2026-12-05")
            _ = try await issue("access_card", "MJ-0001", until: "2027-10-31")
            let bad = try await issue("parking_permit", "CHHY-P-0003", plate: "12345", until: "2026-12-05")
            XCTAssertEqual(bad.status, .seeOther)
            var passes = try await app.store.passes.passes(community: cid, unit: unit)
            XCTAssertEqual(passes.map(\.number).sorted(), ["CHHY-P-0001", "CHHY-P-0002", "MJ-0001"], "a number is issued once; a bad plate changes nothing")
            let permit = try XCTUnwrap(passes.first { $0.number == "CHHY-P-0001" })
            let card = try XCTUnwrap(passes.first { $0.number == "MJ-0001" })

            var page = try await app.call(.GET, Routes.passes(cid), as: "a.desk", in: w)
            let expiring = page.text.components(separatedBy: "id=\"passes-expiring\"").dropFirst().first?.components(separatedBy: "</section>").first ?? ""
            XCTAssertTrue(expiring.contains("CHHY-P-0001") && expiring.contains("CHHY-P-0002"))
            XCTAssertFalse(expiring.contains("MJ-0001"))

            let renewed = try await form(app, Routes.passStep(permit.id, "renew"), as: "a.desk", in: w, [("validUntil", "2027-11-30")])
            XCTAssertEqual(renewed.status, .seeOther)
            let lost = try await form(app, Routes.passStep(card.id, "lost"), as: "a.desk", in: w, [("newNumber", "MJ-0002")])
            XCTAssertEqual(lost.status, .seeOther)
            passes = try await app.store.passes.passes(community: cid, unit: unit)
            XCTAssertEqual(passes.first { $0.number == "CHHY-P-0001" }?.validUntil, "2027-11-30")
            XCTAssertEqual(passes.first { $0.number == "MJ-0001" }?.status, .lost, "the lost card stays, marked lost")
            let replacement = try XCTUnwrap(passes.first { $0.number == "MJ-0002" })
            XCTAssertEqual(replacement.replaces, card.id)
            XCTAssertEqual(replacement.status, .active)

            page = try await app.call(.GET, Routes.passes(cid), as: "a.desk", in: w)
            let after = page.text.components(separatedBy: "id=\"passes-expiring\"").dropFirst().first?.components(separatedBy: "</section>").first ?? ""
            XCTAssertFalse(after.contains("CHHY-P-0001"), "renewed: no longer ending soon")
            XCTAssertTrue(after.contains("CHHY-P-0002"))
            let history = try await app.call(.GET, Routes.passes(cid, unit: unit), as: "a.desk", in: w)
            for event in ["data-event=\"issued\"", "data-event=\"renewed\"", "data-event=\"lost\"", "data-event=\"replacement_issued\"", "MJ-0001", "MJ-0002"] {
                XCTAssertTrue(history.text.contains(event), "the unit's history shows \(event)")
            }
            let printed = try await app.call(.GET, Routes.passPrint(permit.id), as: "a.desk", in: w)
            XCTAssertEqual(printed.status, .ok)
            XCTAssertTrue(printed.text.contains("粤B12345"))
            let file = try await app.call(.GET, Routes.residentFile(unit), as: "a.desk", in: w)
            XCTAssertTrue(file.text.contains("MJ-0002") && file.text.contains("MJ-0001"), "the resident file lists the unit's passes")

            let foreign = try await form(app, Routes.passStep(permit.id, "revoke"), as: "b.head", in: w, [("reason", "x")])
            XCTAssertEqual(foreign.status, .notFound)
            let foreignPrint = try await app.call(.GET, Routes.passPrint(permit.id), as: "b.head", in: w)
            XCTAssertEqual(foreignPrint.status, .notFound)
            let still = try await app.store.passes.pass(permit.id)
            XCTAssertEqual(still?.status, .active)
        }
    }

    /// REG-5 / SEC-3: each view of a resident-file document through GET /evidence/:eid writes an
    /// audit row naming the document and its unit, and is never cached; the file shows document
    /// links only to roles with `readResidentDocuments`; a role that may not see the document gets
    /// no bytes and leaves no row; the file of another community's unit is not found.
    func testREG5_everyViewOfAResidentFileDocumentIsAudited() async throws {
        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let unit = w.a.units[0]
            let desk = who(w, "a.desk")
            let renovation = try await app.store.renovations.register(RenovationStore.Application(
                unitID: unit.id, applicant: "王建国", applicantPhone: "13800001000", contractor: "美家装饰工程有限公司", contractorPhone: "13911112222",
                works: "厨卫翻新", startsOn: "2026-11-20", endsOn: "2027-01-20", inspectEveryDays: 1), community: w.a.community.id, by: desk)
            let scan = EvidenceTests.pdf + Array("% application\n".utf8)
            let upload = try EvidenceStore.check(scan, kind: .document, caption: "装修申请表", signedBy: nil)
            let subject = SubjectRef(kind: .renovation, id: renovation.id, communityID: renovation.communityID, areaID: renovation.areaID, label: renovation.number)
            let attached = try await app.store.evidence.attach([upload], to: subject, by: desk)
            let document = try XCTUnwrap(attached.first)
            let moveIn = try await app.store.moveIns.open(.init(caseID: UUID(), unitID: unit.id, buyerKind: .individual, buyerName: "王建国", buyerPhone: "13800001000"),
                                                          community: w.a.community.id, by: desk)
            let idCopy = try EvidenceStore.check(EvidenceTests.pdf + Array("% owner id\n".utf8), kind: .document, caption: "业主身份证复印件", signedBy: nil)
            let attachedToMoveIn = try await app.store.evidence.attach([idCopy], to: MoveInStore.subject(moveIn, label: "1栋-1201"), by: desk)
            let moveInDoc = try XCTUnwrap(attachedToMoveIn.first)
            let views = { try await app.store.audit.entries(entityID: document.id).filter { $0.action == .reveal } }

            // The file: links for the desk, a count only for the supervisor; none for others.
            let deskFile = try await app.call(.GET, Routes.residentFile(unit.id), as: "a.desk", in: w)
            XCTAssertEqual(deskFile.status, .ok)
            XCTAssertTrue(deskFile.text.contains(Routes.evidence(document.id)))
            XCTAssertTrue(deskFile.text.contains(Routes.evidence(moveInDoc.id)))
            XCTAssertTrue(deskFile.text.contains(renovation.number))
            XCTAssertTrue(deskFile.text.contains("id=\"file-confidential\""), "the page says there is no bulk export")
            let supervisorFile = try await app.call(.GET, Routes.residentFile(unit.id), as: "a.supervisor", in: w)
            XCTAssertEqual(supervisorFile.status, .ok)
            XCTAssertFalse(supervisorFile.text.contains("/evidence/"), "no document links without readResidentDocuments")
            XCTAssertTrue(supervisorFile.text.contains("documents-hidden"))
            for (user, path, status) in [("a.engineer", Routes.residentFile(unit.id), HTTPStatus.forbidden),
                                         ("b.head", Routes.residentFile(unit.id), .notFound),
                                         ("a.supervisor", Routes.residentFile(w.a.units[2].id), .notFound),
                                         ("a.desk", Routes.residentFile(w.b.units[0].id), .notFound)] {
                let r = try await app.call(.GET, path, as: user, in: w)
                XCTAssertEqual(r.status, status, "\(user) \(path)")
            }
            let noneYet = try await views()
            XCTAssertEqual(noneYet.count, 0, "showing the file is not a view of the document")

            // Each view through /evidence/:eid is audited and not cached.
            for n in 1...2 {
                let r = try await app.call(.GET, Routes.evidence(document.id), as: "a.desk", in: w)
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(Array(r.body.readableBytesView), scan)
                XCTAssertEqual(r.headers.first(name: .cacheControl), "no-store")
                let rows = try await views()
                XCTAssertEqual(rows.count, n)
            }
            let viewed = try await views()
            let row = try XCTUnwrap(viewed.first)
            XCTAssertEqual(row.actorID, w.accounts["a.desk"]?.id)
            XCTAssertEqual(row.entity, "evidence")
            XCTAssertEqual(row.communityID, w.a.community.id)
            let after = row.after ?? ""
            for part in ["1栋-1201", unit.id.uuidString, renovation.id.uuidString, "renovation", "装修申请表"] {
                XCTAssertTrue(after.contains(part), "the audit row names \(part): \(after)")
            }

            // Those who may not see it get no bytes and leave no row.
            for user in ["a.engineer", "b.head", "a.finance"] {
                let r = try await app.call(.GET, Routes.evidence(document.id), as: user, in: w)
                XCTAssertTrue([.forbidden, .notFound].contains(r.status), "\(user): \(r.status)")
                XCTAssertFalse(r.text.contains("%PDF"))
            }
            let still = try await views()
            XCTAssertEqual(still.count, 2)

            // A move-in's document: never to a role without readResidentDocuments, and any view
            // that sends the bytes leaves its row.
            let moveInViews = { try await app.store.audit.entries(entityID: moveInDoc.id).filter { $0.action == .reveal } }
            for user in ["a.supervisor", "a.engineer", "b.head"] {
                let r = try await app.call(.GET, Routes.evidence(moveInDoc.id), as: user, in: w)
                XCTAssertTrue([.forbidden, .notFound].contains(r.status), "\(user): \(r.status)")
                XCTAssertFalse(r.text.contains("%PDF"))
            }
            let none = try await moveInViews()
            XCTAssertEqual(none.count, 0)
            let shown = try await app.call(.GET, Routes.evidence(moveInDoc.id), as: "a.desk", in: w)
            XCTAssertEqual(shown.status, .ok)
            let rows = try await moveInViews()
            XCTAssertEqual(rows.count, 1, "bytes out means one audit row")
            XCTAssertTrue(rows.first?.after?.contains("1栋-1201") == true, "the row names the unit: \(rows.first?.after ?? "")")
            XCTAssertTrue(rows.first?.after?.contains(moveIn.id.uuidString) == true)
        }
    }
}
