import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// Move-ins (FD-1, S4 篇1 1 and 篇3) on a real database: documents by buyer kind, completion
/// refused naming what is missing, defects → warranty orders → re-inspection → the owner's
/// sign-off, keys in the key ledger, and the pages seen only within the desk's community.
final class MoveInTests: XCTestCase {
    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    /// A distinct PDF per name (evidence is kept once per content, so each scan must differ).
    static func pdf(_ name: String) -> [UInt8] { Array("%PDF-1.4\n% \(name)\n%%EOF".utf8) }
    static func png(_ name: String) -> [UInt8] { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(name.utf8) }

    func open(_ app: Application, _ w: World, unit: UUID, _ kind: BuyerKind, name: String = "王建国") async throws -> MoveInCase {
        try await app.store.moveIns.open(.init(caseID: UUID(), unitID: unit, buyerKind: kind, buyerName: name, buyerPhone: "13800001000"),
                                         community: w.a.community.id, by: who(w, "a.desk"))
    }

    func scan(_ app: Application, _ w: World, _ c: MoveInCase, _ doc: MoveInDocument) async throws {
        let upload = try EvidenceStore.check(Self.pdf("\(c.id) \(doc.rawValue)"), kind: .document, caption: "", signedBy: nil)
        _ = try await app.store.moveIns.addFile(c.id, item: .document(doc), upload: upload, fileName: "\(doc.rawValue).pdf", by: who(w, "a.desk"))
    }

    func sign(_ app: Application, _ w: World, _ c: MoveInCase, _ item: MoveInFileItem) async throws -> MoveInCase {
        let upload = try EvidenceStore.check(Self.png("\(c.id) \(item.key)"), kind: .signature, caption: "", signedBy: c.buyerName)
        return try await app.store.moveIns.addFile(c.id, item: item, upload: upload, by: who(w, "a.desk"))
    }

    /// Everything but the documents and the inspection: the form, the agreements, the hand-over, the fees.
    func paperwork(_ app: Application, _ w: World, _ c: MoveInCase) async throws {
        let desk = who(w, "a.desk")
        _ = try await app.store.moveIns.register(c.id, ResidentRegistration(ownerName: c.buyerName, phone: "13800001000", householdMembers: 3,
                                                                           emergencyContact: "王芳", emergencyPhone: "13900002222"), by: desk)
        for a in MoveInAgreement.allCases { _ = try await sign(app, w, c, .agreement(a)) }
        _ = try await app.store.moveIns.handOver(c.id, MoveInHandover(keys: 2, handbook: true, drawings: true), by: desk)
        _ = try await app.store.moveIns.noteFees(c.id, MoveInFees(managementFeeFrom: "2026-11-01", managementFeeFen: 26_850, movingDepositFen: 100_000,
                                                                  utilitiesDepositFen: 50_000), by: desk)
    }

    /// A company buyer brings its certificate and business licence (S4 篇1 1①): with everything
    /// else done, completion is refused naming exactly the licence; with it, the case completes and
    /// stands in the unit's resident file with its scans and signatures.
    func testFD1_companyBuyerWithoutBusinessLicenceCannotComplete() async throws {
        try await withWorld { app, w in
            let desk = who(w, "a.desk")
            let unit = w.a.units[0].id
            let c = try await open(app, w, unit: unit, .company, name: "翠湖贸易有限公司")
            XCTAssertEqual(c.requiredDocuments, [.ownerID, .moveInNotice, .purchaseContract, .companyCertificate, .businessLicence])
            for d in c.requiredDocuments where d != .businessLicence { try await scan(app, w, c, d) }
            try await paperwork(app, w, c)
            _ = try await app.store.moveIns.inspect(c.id, formID: UUID(), meters: MeterReadings(waterThousandths: 12_345, electricityThousandths: 678_900,
                                                                                                   gasThousandths: nil), defects: [], by: desk)
            _ = try await sign(app, w, c, .inspectionSignOff)

            let e = await refusal(try await app.store.moveIns.complete(c.id, by: desk))
            XCTAssertEqual(e?.kind, .conflict)
            XCTAssertEqual(e?.code, "move_in_incomplete")
            XCTAssertEqual(e?.message.zhHans, "还缺:营业执照")
            XCTAssertEqual(e?.message.en, "Still missing: Business licence")
            let stillOpen = try await app.store.moveIns.moveIn(c.id)
            XCTAssertNotEqual(stillOpen?.status, .completed)

            try await scan(app, w, c, .businessLicence)
            let done = try await app.store.moveIns.complete(c.id, by: desk)
            XCTAssertEqual(done.status, .completed)
            XCTAssertNotNil(done.completedAt)
            // The resident file's view: the unit's cases, newest first, and their files as evidence.
            let filed = try await app.store.moveIns.cases(unit: unit, community: w.a.community.id)
            XCTAssertEqual(filed.map(\.id), [c.id])
            XCTAssertEqual(filed.first?.status, .completed)
            let files = try await app.store.evidence.list(.moveIn, c.id)
            XCTAssertEqual(files.filter { $0.kind == .document }.count, 5)
            XCTAssertEqual(files.filter { $0.kind == .signature }.count, 3)
            XCTAssertTrue(files.contains { $0.caption.hasPrefix("business_licence ") })
            // The record is sealed and complete.
            let entries = try await app.store.timelines.entries(.moveIn, c.id)
            XCTAssertEqual(entries.first?.kind, "opened")
            XCTAssertEqual(entries.last?.kind, "completed")
            let verified = try await app.store.timelines.verify()
            XCTAssertEqual(verified.findings.count, 0)
            // Completed: nothing more changes.
            let late = await refusal(try await app.store.moveIns.register(c.id, ResidentRegistration(ownerName: "x", phone: "13800001000", householdMembers: 1,
                                                                                                      emergencyContact: "y", emergencyPhone: "13800001001"), by: desk))
            XCTAssertEqual(late?.code, "move_in_completed")
        }
    }

    /// A commercial unit (商铺, S4 篇3 9) needs the business licence even when its owner comes in
    /// person; a residential unit of an individual does not.
    func testFD1_commercialUnitNeedsBusinessLicenceEvenForAnIndividual() async throws {
        XCTAssertTrue(MoveInDocument.required(buyer: .individual, commercial: true).contains(.businessLicence))
        XCTAssertFalse(MoveInDocument.required(buyer: .individual, commercial: false).contains(.businessLicence))
        XCTAssertEqual(MoveInDocument.required(buyer: .proxy, commercial: false), [.ownerID, .moveInNotice, .purchaseContract, .proxyID, .authorisation])
        XCTAssertEqual(MoveInDocument.required(buyer: .company, commercial: true).filter { $0 == .businessLicence }.count, 1)
        try await withWorld { app, w in
            let a = w.a
            let shop = try await app.store.registry.createUnit(PropertyUnit(communityID: a.community.id, buildingID: a.buildings[0].id, areaID: nil, roomNumber: "S101",
                                                                            floor: 1, kind: .commercial, floorArea: FloorArea(hundredths: 12_000)), by: Actor.console("test"))
            let c = try await open(app, w, unit: shop.id, .individual)
            XCTAssertTrue(c.commercial)
            XCTAssertTrue(c.requiredDocuments.contains(.businessLicence))
            XCTAssertTrue(c.missing().contains { $0.key == "business_licence" && $0.title.zhHans == "营业执照" })
            for d in [MoveInDocument.ownerID, .moveInNotice, .purchaseContract] { try await scan(app, w, c, d) }
            let e = await refusal(try await app.store.moveIns.complete(c.id, by: who(w, "a.desk")))
            XCTAssertTrue(e?.message.zhHans.contains("营业执照") == true, e?.message.zhHans ?? "")

            let home = try await open(app, w, unit: a.units[1].id, .individual, name: "李秀英")
            XCTAssertFalse(home.requiredDocuments.contains(.businessLicence))
            let notNeeded = await refusal(try await scan(app, w, home, .businessLicence))
            XCTAssertEqual(notNeeded?.code, "invalid_input")
        }
    }

    /// The joint inspection's defects each become a developer-warranty order linked to the case
    /// (S4 篇1 1⑤); the case cannot be completed, nor the owner sign off, until each is
    /// re-inspected — which waits for its order's work to be done — and the owner has signed.
    func testFD1_defectBecomesWarrantyOrderAndCaseStaysOpenUntilReinspectedAndSigned() async throws {
        try await withWorld { app, w in
            let desk = who(w, "a.desk")
            let unit = w.a.units[0].id
            let c = try await open(app, w, unit: unit, .individual)
            for d in c.requiredDocuments { try await scan(app, w, c, d) }
            try await paperwork(app, w, c)
            let form = UUID()
            let meters = MeterReadings(waterThousandths: 1_500, electricityThousandths: 23_450, gasThousandths: 800)
            let inspected = try await app.store.moveIns.inspect(c.id, formID: form, meters: meters,
                                                                defects: ["主卧窗户密封条脱落", "  ", "卫生间地漏堵塞"], by: desk)
            XCTAssertEqual(inspected.status, .inspecting)
            XCTAssertEqual(inspected.defects.map(\.text), ["主卧窗户密封条脱落", "卫生间地漏堵塞"])
            let orders = try await app.store.orders.orders(Set(inspected.defects.map(\.orderID)))
            XCTAssertEqual(orders.count, 2)
            for d in inspected.defects {
                let o = try XCTUnwrap(orders[d.orderID])
                XCTAssertEqual(o.kind, .warranty)
                XCTAssertEqual(o.channel, .walkIn)
                XCTAssertEqual(o.unitID, unit)
                XCTAssertEqual(o.number, d.orderNumber)
                XCTAssertTrue(o.description.contains(d.text))
            }
            // The same form sent again files nothing twice; another inspection is refused.
            let again = try await app.store.moveIns.inspect(c.id, formID: form, meters: meters, defects: ["主卧窗户密封条脱落"], by: desk)
            XCTAssertEqual(again.defects.map(\.id), inspected.defects.map(\.id))
            let second = await refusal(try await app.store.moveIns.inspect(c.id, formID: UUID(), meters: meters, defects: [], by: desk))
            XCTAssertEqual(second?.code, "move_in_inspected")
            let loaded = try await app.store.moveIns.moveIn(c.id)
            XCTAssertEqual(loaded?.inspection?.meters, meters)

            let blocked = await refusal(try await app.store.moveIns.complete(c.id, by: desk))
            XCTAssertEqual(blocked?.code, "move_in_incomplete")
            XCTAssertTrue(blocked?.message.zhHans.contains("缺陷复检:主卧窗户密封条脱落") == true, blocked?.message.zhHans ?? "")
            XCTAssertTrue(blocked?.message.zhHans.contains("业主验房签字") == true)
            let early = await refusal(try await self.sign(app, w, c, .inspectionSignOff))
            XCTAssertEqual(early?.code, "move_in_defect_open")
            let first = inspected.defects[0]
            let notDone = await refusal(try await app.store.moveIns.reinspect(c.id, defect: first.id, by: desk))
            XCTAssertEqual(notDone?.code, "warranty_order_open")

            // The engineer repairs both; each is re-inspected and passed.
            let engineer = try XCTUnwrap(w.accounts["a.engineer"])
            let worker = Actor(userID: engineer.id, name: engineer.displayName)
            for d in inspected.defects {
                _ = try await app.store.orders.perform(.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), on: d.orderID, by: who(w, "a.manager"))
                _ = try await app.store.orders.perform(.checkIn, on: d.orderID, by: worker)
                _ = try await app.store.orders.perform(.complete(note: "已更换/已疏通"), on: d.orderID, by: worker)
            }
            let afterFirst = try await app.store.moveIns.reinspect(c.id, defect: first.id, by: desk)
            XCTAssertTrue(afterFirst.defects[0].passed)
            XCTAssertFalse(afterFirst.defects[1].passed)
            let oneLeft = await refusal(try await app.store.moveIns.complete(c.id, by: desk))
            XCTAssertTrue(oneLeft?.message.zhHans.contains("卫生间地漏堵塞") == true)
            XCTAssertFalse(oneLeft?.message.zhHans.contains("主卧窗户密封条脱落") == true)
            _ = try await app.store.moveIns.reinspect(c.id, defect: inspected.defects[1].id, by: desk)

            let unsigned = await refusal(try await app.store.moveIns.complete(c.id, by: desk))
            XCTAssertEqual(unsigned?.message.zhHans, "还缺:业主验房签字")
            _ = try await self.sign(app, w, c, .inspectionSignOff)
            let done = try await app.store.moveIns.complete(c.id, by: desk)
            XCTAssertEqual(done.status, .completed)
            let kinds = try await app.store.timelines.entries(.moveIn, c.id).map(\.kind)
            XCTAssertEqual(kinds.filter { $0 == "reinspected" }.count, 2)
            XCTAssertTrue(kinds.contains("inspected"))
        }
    }

    /// A warranty order withdrawn (a duplicate, fixed another way) does not block the move-in for
    /// ever: its defect can be re-inspected on site, then the owner signs and the case completes.
    func testFD1_aWithdrawnWarrantyOrderStillLetsTheDefectBeReinspected() async throws {
        try await withWorld { app, w in
            let desk = who(w, "a.desk")
            let c = try await open(app, w, unit: w.a.units[1].id, .individual)
            for d in c.requiredDocuments { try await scan(app, w, c, d) }
            try await paperwork(app, w, c)
            let inspected = try await app.store.moveIns.inspect(c.id, formID: UUID(), meters: MeterReadings(waterThousandths: 1, electricityThousandths: 1,
                                                                gasThousandths: nil), defects: ["阳台地漏返水"], by: desk)
            let defect = try XCTUnwrap(inspected.defects.first)
            _ = try await app.store.orders.perform(.cancel(reason: "与开发商统一维修单重复", loggedByMistake: false), on: defect.orderID, by: who(w, "a.manager"))
            let passed = try await app.store.moveIns.reinspect(c.id, defect: defect.id, by: desk)
            XCTAssertTrue(passed.defects.allSatisfy(\.passed))
            _ = try await sign(app, w, c, .inspectionSignOff)
            let done = try await app.store.moveIns.complete(c.id, by: desk)
            XCTAssertEqual(done.status, .completed)
        }
    }

    /// The keys handed over at move-in are in the key ledger (FD-5): received from the developer
    /// and handed to the buyer, in order, so the board holds none of them; the same form sent
    /// again adds nothing, and a different count is refused.
    func testFD1_keysHandedOverAppearInTheKeyLedger() async throws {
        try await withWorld { app, w in
            let desk = who(w, "a.desk")
            let unit = w.a.units[1].id
            let c = try await open(app, w, unit: unit, .individual, name: "李秀英")
            let noneYet = await refusal(try await app.store.moveIns.handOver(c.id, MoveInHandover(keys: 0, handbook: false, drawings: false), by: desk))
            XCTAssertEqual(noneYet?.code, "invalid_input")
            let handed = try await app.store.moveIns.handOver(c.id, MoveInHandover(keys: 3, handbook: true, drawings: false), by: desk)
            XCTAssertEqual(handed.handover, MoveInHandover(keys: 3, handbook: true, drawings: false))
            let movements = try await app.store.keys.movements(community: w.a.community.id, unit: unit)
            XCTAssertEqual(movements.count, 2)
            let received = try XCTUnwrap(movements.first { $0.kind == .received })
            let back = try XCTUnwrap(movements.first { $0.kind == .handedBack })
            XCTAssertEqual(received.count, 3)
            XCTAssertEqual(received.party, "开发商")
            XCTAssertEqual(back.count, 3)
            XCTAssertEqual(back.party, "李秀英")
            XCTAssertLessThan(received.at, back.at)
            let holdings = try await app.store.keys.holdings(community: w.a.community.id)
            XCTAssertNil(holdings.first { $0.unitID == unit }, "every key went to the owner: the board holds none")

            let resent = try await app.store.moveIns.handOver(c.id, MoveInHandover(keys: 3, handbook: true, drawings: false), by: desk)
            XCTAssertEqual(resent.handover?.keys, 3)
            let drawings = try await app.store.moveIns.handOver(c.id, MoveInHandover(keys: 0, handbook: false, drawings: true), by: desk)
            XCTAssertEqual(drawings.handover, MoveInHandover(keys: 3, handbook: true, drawings: true))
            let after = try await app.store.keys.movements(community: w.a.community.id, unit: unit)
            XCTAssertEqual(after.count, 2, "nothing more in the ledger")
            let changed = await refusal(try await app.store.moveIns.handOver(c.id, MoveInHandover(keys: 5, handbook: true, drawings: true), by: desk))
            XCTAssertEqual(changed?.code, "keys_handed")
        }
    }

    /// The pages (SEC-2): the desk opens a case through the form (sent twice: one case), uploads a
    /// scan and sees the ✓, and completion through the button is refused naming what is missing;
    /// another community's center head gets 404 for the case, its steps, its print and its
    /// files; a role without move-ins is refused.
    func testFD1_anotherCommunitysDeskGets404() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id
            func form(_ path: String, as user: String, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
                let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
                return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
            }
            let list = try await app.call(.GET, "/c/\(cid)/move-ins", as: "a.desk", in: w)
            XCTAssertEqual(list.status, .ok)
            XCTAssertTrue(list.text.contains(#"id="move-in-form""#))
            let units = try await app.store.moveIns.units(community: cid, areas: nil)
            let label = try XCTUnwrap(units.first { $0.id == w.a.units[2].id }?.label)
            let caseID = UUID()
            let fields = [("caseId", caseID.uuidString), ("unit", label), ("buyerKind", "proxy"), ("buyerName", "张伟"), ("buyerPhone", "13800001002")]
            let opened = try await form("/c/\(cid)/move-ins", as: "a.desk", fields)
            XCTAssertEqual(opened.status, .seeOther)
            XCTAssertEqual(opened.headers.first(name: .location), "/move-ins/\(caseID.uuidString)")
            _ = try await form("/c/\(cid)/move-ins", as: "a.desk", fields)
            let cases = try await app.store.moveIns.cases(unit: w.a.units[2].id, community: w.a.community.id)
            XCTAssertEqual(cases.map(\.id), [caseID], "a form sent twice opens one case")

            let boundary = "move-in-test"
            var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\nproxy_id\r\n".utf8)
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"id.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
            body += Self.pdf("proxy id")
            body += Array("\r\n--\(boundary)--\r\n".utf8)
            let uploaded = try await app.call(.POST, "/move-ins/\(caseID)/documents", as: "a.desk", in: w,
                                              contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]), bytes: body)
            XCTAssertEqual(uploaded.status, .seeOther)
            let page = try await app.call(.GET, "/move-ins/\(caseID)", as: "a.desk", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(#"data-document="proxy_id" data-received="yes""#), "the scan is ticked")
            XCTAssertTrue(page.text.contains(#"data-document="authorisation" data-received="no""#))
            XCTAssertTrue(page.text.contains("还缺:"), "the checklist names what is missing")
            XCTAssertTrue(page.text.contains(#"class="signature-pad""#))
            let refused = try await form("/move-ins/\(caseID)/complete", as: "a.desk", [])
            XCTAssertEqual(refused.status, .seeOther)
            let still = try await app.store.moveIns.moveIn(caseID)
            XCTAssertEqual(still?.status, .open)
            let printed = try await app.call(.GET, "/move-ins/\(caseID)/print", as: "a.desk", in: w)
            XCTAssertEqual(printed.status, .ok)
            XCTAssertTrue(printed.text.contains("委托书"))

            let listed = try await app.store.evidence.list(.moveIn, caseID)
            let file = try XCTUnwrap(listed.first)
            let seen = try await app.call(.GET, "/evidence/\(file.id)", as: "a.desk", in: w)
            XCTAssertEqual(seen.status, .ok)

            // Another community's center head (who handles move-ins in B) finds nothing of A's.
            for path in ["/move-ins/\(caseID)", "/move-ins/\(caseID)/print", "/c/\(cid)/move-ins", "/evidence/\(file.id)", "/subjects/move_in/\(caseID)"] {
                let r = try await app.call(.GET, path, as: "b.head", in: w)
                XCTAssertEqual(r.status, .notFound, path)
            }
            for step in ["complete", "registration", "handover", "fees", "inspection"] {
                let r = try await form("/move-ins/\(caseID)/\(step)", as: "b.head", [])
                XCTAssertEqual(r.status, .notFound, step)
            }
            let stranger = try await form("/c/\(cid)/move-ins", as: "b.head", [("caseId", UUID().uuidString), ("unit", label), ("buyerKind", "individual"),
                                                                                 ("buyerName", "x"), ("buyerPhone", "13800001002")])
            XCTAssertEqual(stranger.status, .notFound)
            // An engineer does not handle move-ins.
            let engineer = try await app.call(.GET, "/move-ins/\(caseID)", as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
            let own = try await app.call(.GET, "/c/\(w.b.community.id)/move-ins", as: "b.head", in: w)
            XCTAssertEqual(own.status, .ok)
            XCTAssertFalse(own.text.contains(caseID.uuidString))
        }
    }
}
