import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// Billing (FEE-1, FEE-5, INT-10) on a real database: the schedule, billing runs and their
/// preview, credit notes, opening balances, one-off bills of paid services and who may do what.
final class FeeBillingTests: XCTestCase {
    static let console = Actor.console("test")

    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    /// The management fee of a community: ¥2.35 per m² per month, custody units at their share.
    func managementFee(_ app: Application, community: UUID, month: String, custody: Bool = true) async throws -> FeeItem {
        try await app.store.fees.saveItem(FeeItem(communityID: community, code: "MGMT", name: "物业管理费", basis: .perAreaMonth, unitKind: nil, rateFen: 235,
                                                  legalBasis: "穗价函〔2024〕18号", custodyDiscount: custody, fromMonth: month, createdAt: Date()), by: Self.console)
    }

    func thisMonth(_ app: Application, _ c: Community) -> String {
        String(WorkingDays(ServiceHours(timeZone: c.timeZone)).dayKey(app.propdesk.now()).prefix(7))
    }

    /// Bills of community A (the world gives B bills of its own).
    func billCount(_ app: Application, _ w: World) async throws -> Int {
        try await BillModel.query(on: app.db).filter(\.$communityID == w.a.community.id).count()
    }

    func testFEE1_aSecondBillingRunForTheSamePeriodCreatesNothing() async throws {
        try await withWorld { app, w in
            let c = w.a.community
            let m = thisMonth(app, c)
            _ = try await managementFee(app, community: c.id, month: m)
            let first = try await app.store.fees.runBilling(community: c.id, period: m, by: Self.console)
            XCTAssertEqual(first.billsCreated, 3)
            XCTAssertEqual(first.totalFen, 3 * 21_033)
            let second = try await app.store.fees.runBilling(community: c.id, period: m, by: Self.console)
            XCTAssertEqual(second.billsCreated, 0, "a second run for the same period creates nothing")
            XCTAssertEqual(second.totalFen, 0)
            let total = try await billCount(app, w)
            XCTAssertEqual(total, 3)
            let runs = try await app.store.fees.runs(community: c.id)
            XCTAssertEqual(runs.map(\.billsCreated).sorted(), [0, 3])
            // A month beyond next month, or no month at all, is refused.
            for bad in [FeeMonth.adding(2, to: m), "2026-13", "next"] {
                do {
                    _ = try await app.store.fees.runBilling(community: c.id, period: bad, by: Self.console)
                    XCTFail("period \(bad) was accepted")
                } catch let e as DomainError { XCTAssertEqual(e.details.first?.field, "period") }
            }
        }
    }

    /// The rounding rule: area × rate rounded to the fen, halves up; then the custody share.
    func testFEE1_roundingOfAHandComputedExample() async throws {
        let item = FeeItem(communityID: UUID(), code: "MGMT", name: "物业管理费", basis: .perAreaMonth, unitKind: nil, rateFen: 235,
                           legalBasis: "穗价函〔2024〕18号", custodyDiscount: true, fromMonth: "2026-01", createdAt: Date())
        // 89.55 m² × ¥2.35 = ¥210.4425 → 21044 fen.
        XCTAssertEqual(item.monthlyAmount(area: FloorArea(hundredths: 8955), custodyPerMille: nil), 21_044)
        // 89.50 m² × ¥2.35 = ¥210.325 → a half fen, rounded up to 21033.
        XCTAssertEqual(item.monthlyAmount(area: FloorArea(hundredths: 8950), custodyPerMille: nil), 21_033)
        // In custody at 70 %: 21033 × 0.7 = 14723.1 → 14723.
        XCTAssertEqual(item.monthlyAmount(area: FloorArea(hundredths: 8950), custodyPerMille: 700), 14_723)
        try await withWorld { app, w in
            let c = w.a.community
            let m = thisMonth(app, c)
            _ = try await managementFee(app, community: c.id, month: m)
            _ = try await app.store.fees.runBilling(community: c.id, period: m, by: Self.console)
            let bills = try await app.store.fees.bills(unit: w.a.units[0].id, community: w.a.community.id)
            XCTAssertEqual(bills.map(\.amountFen), [21_033])
            XCTAssertEqual(bills.first?.outstandingFen, 21_033)
        }
    }

    func testFEE1_aUnitInCustodyIsBilled70Percent() async throws {
        try await withWorld { app, w in
            let c = w.b.community
            let m = thisMonth(app, c)
            _ = try await managementFee(app, community: c.id, month: m)
            _ = try await app.store.fees.saveItem(FeeItem(communityID: c.id, code: "RUBBISH", name: "垃圾清运费", basis: .perUnitMonth, unitKind: .residential,
                                                          rateFen: 1_000, legalBasis: "物业服务合同第十二条", custodyDiscount: false, fromMonth: m, createdAt: Date()),
                                                  by: Self.console)
            _ = try await app.store.fees.runBilling(community: c.id, period: m, by: Self.console)
            let custody = try await app.store.fees.bills(unit: w.b.units[2].id, community: w.b.community.id)
            let mine: Set<String> = ["物业管理费", "垃圾清运费"]
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: custody.filter { mine.contains($0.itemName) }.map { ($0.itemName, $0.amountFen) }),
                           ["物业管理费": 14_723, "垃圾清运费": 1_000])
            let plain = try await app.store.fees.bills(unit: w.b.units[0].id, community: w.b.community.id)
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: plain.filter { mine.contains($0.itemName) }.map { ($0.itemName, $0.amountFen) }),
                           ["物业管理费": 21_033, "垃圾清运费": 1_000])
        }
    }

    func testFEE1_aPreviewWritesNothing() async throws {
        try await withWorld { app, w in
            let c = w.a.community
            let m = thisMonth(app, c)
            let item = try await managementFee(app, community: c.id, month: m)
            let p = try await app.store.fees.preview(community: c.id, period: m)
            XCTAssertEqual(p.units, 3)
            XCTAssertEqual(p.bills, 3)
            XCTAssertEqual(p.totalFen, 3 * 21_033)
            XCTAssertEqual(p.alreadyBilled, 0)
            XCTAssertEqual(p.lines.map(\.item.id), [item.id])
            let bills = try await billCount(app, w)
            XCTAssertEqual(bills, 0)
            let runs = try await app.store.fees.runs(community: c.id)
            XCTAssertTrue(runs.isEmpty)
            let api = try await app.call(.GET, "/api/v1/communities/\(c.id)/billing-runs/preview?period=\(m)", as: "a.finance", in: w)
            XCTAssertEqual(api.status, .ok, api.text)
            XCTAssertNotNil(try api.json() as? [String: Any])
            let after = try await billCount(app, w)
            XCTAssertEqual(after, 0)
            _ = try await app.store.fees.runBilling(community: c.id, period: m, by: Self.console)
            let again = try await app.store.fees.preview(community: c.id, period: m)
            XCTAssertEqual(again.bills, 0)
            XCTAssertEqual(again.alreadyBilled, 3)
        }
    }

    func testFEE1_aCreditNoteLeavesTheBillsAmountAndReducesWhatIsOwed() async throws {
        try await withWorld { app, w in
            let c = w.a.community
            let m = thisMonth(app, c)
            _ = try await managementFee(app, community: c.id, month: m)
            _ = try await app.store.fees.runBilling(community: c.id, period: m, by: Self.console)
            let firstBills = try await app.store.fees.bills(unit: w.a.units[0].id, community: w.a.community.id)
            let bill = try XCTUnwrap(firstBills.first)
            let form = UUID()
            let credited = try await app.store.fees.creditNote(bill: bill.id, amountFen: 1_033, reason: "面积复核更正", formID: form, by: who(w, "a.finance"))
            XCTAssertEqual(credited.amountFen, 21_033, "an issued bill's amount never changes")
            XCTAssertEqual(credited.creditedFen, 1_033)
            XCTAssertEqual(credited.outstandingFen, 20_000)
            let resent = try await app.store.fees.creditNote(bill: bill.id, amountFen: 1_033, reason: "面积复核更正", formID: form, by: who(w, "a.finance"))
            XCTAssertEqual(resent.outstandingFen, 20_000, "a form sent twice credits once")
            let notes = try await app.store.fees.creditNotes(bill: bill.id)
            XCTAssertEqual(notes.count, 1)
            let stored = try await BillModel.find(bill.id, on: app.db)
            XCTAssertEqual(stored?.outstandingFen, 20_000)
            do {
                _ = try await app.store.fees.creditNote(bill: bill.id, amountFen: 20_001, reason: "超额", formID: UUID(), by: who(w, "a.finance"))
                XCTFail("a credit above what is owed was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.details.first?.field, "amount") }
            do {
                _ = try await app.store.fees.creditNote(bill: bill.id, amountFen: 100, reason: " ", formID: UUID(), by: who(w, "a.finance"))
                XCTFail("a credit without a reason was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.details.first?.field, "reason") }
            // Over the API: finance may, the front desk may not.
            let desk = try await app.call(.POST, "/api/v1/bills/\(bill.id)/credit-notes", as: "a.desk", in: w,
                                          json: #"{"formId":"\#(UUID())","amount":100,"reason":"测试"}"#)
            XCTAssertEqual(desk.status, .forbidden)
            let fin = try await app.call(.POST, "/api/v1/bills/\(bill.id)/credit-notes", as: "a.finance", in: w,
                                         json: #"{"formId":"\#(UUID())","amount":100,"reason":"滞纳金减免"}"#)
            XCTAssertEqual(fin.status, .created, fin.text)
            let body = try XCTUnwrap(try fin.json() as? [String: Any])
            XCTAssertEqual(body["amount"] as? Int, 21_033)
            XCTAssertEqual(body["outstanding"] as? Int, 19_900)
            XCTAssertEqual((body["creditNotes"] as? [Any])?.count, 2)
        }
    }

    func testFEE1_openingBalancesAreAllOrNothingWithLineErrorsAndImportOnce() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id
            let bad = "楼栋,房号,金额,起始月份,月数,说明\n1栋,1201,100.00,2025-01,3,旧系统欠费\n1栋,9999,50,2025-01,1,\n2栋,1201,12.345,2025-13,0,\n"
            let refused = try await app.call(.POST, "/api/v1/communities/\(c)/opening-balances", as: "a.finance", in: w,
                                             contentType: HTTPMediaType(type: "text", subType: "csv"), bytes: Array(bad.utf8))
            XCTAssertEqual(refused.status, .unprocessableEntity, refused.text)
            let error = try XCTUnwrap(try refused.json() as? [String: Any])
            let details = try XCTUnwrap(error["details"] as? [[String: Any]])
            XCTAssertEqual(Set(details.compactMap { $0["line"] as? Int }), [4], "the format errors of line 4 are found first")
            XCTAssertEqual(Set(details.compactMap { $0["field"] as? String }), ["amount", "since", "months"])
            var count = try await billCount(app, w)
            XCTAssertEqual(count, 0, "nothing is written when any line is bad")

            let unknownRoom = "楼栋,房号,金额,起始月份,月数,说明\n1栋,1201,100.00,2025-01,3,旧系统欠费\n1栋,9999,50,2025-01,1,\n"
            do {
                _ = try await app.store.fees.importOpeningBalances(try OpeningBalanceImport.plan(csv: unknownRoom), community: c, by: Self.console)
                XCTFail("a line of a unit that does not exist was accepted")
            } catch let e as DomainError {
                XCTAssertEqual(e.details.map(\.line), [3])
                XCTAssertEqual(e.details.first?.field, "room")
                XCTAssertFalse(e.details.first?.message.en.isEmpty ?? true)
                XCTAssertFalse(e.details.first?.message.zhHans.isEmpty ?? true)
            }
            count = try await billCount(app, w)
            XCTAssertEqual(count, 0)

            let good = "building,room,amount,since,months,note\n1栋,1201,100.00,2025-01,3,旧系统欠费\n2栋,1201,50,2025-06,,\n"
            let first = try await app.call(.POST, "/api/v1/communities/\(c)/opening-balances", as: "a.finance", in: w,
                                           contentType: HTTPMediaType(type: "text", subType: "csv"), bytes: Array(good.utf8))
            XCTAssertEqual(first.status, .ok, first.text)
            let report = try XCTUnwrap(try first.json() as? [String: Any])
            XCTAssertEqual(report["billsCreated"] as? Int, 4)
            XCTAssertEqual(report["total"] as? Int, 15_000)
            let bills = try await app.store.fees.bills(unit: w.a.units[0].id, community: w.a.community.id)
            XCTAssertEqual(bills.map(\.period), ["2025-03", "2025-02", "2025-01"])
            XCTAssertEqual(bills.map(\.amountFen), [3_333, 3_333, 3_334], "split evenly, the remainder on the first month")
            XCTAssertTrue(bills.allSatisfy { $0.origin == .opening })
            let again = try await app.call(.POST, "/api/v1/communities/\(c)/opening-balances", as: "a.finance", in: w,
                                           contentType: HTTPMediaType(type: "text", subType: "csv"), bytes: Array(good.utf8))
            XCTAssertEqual(again.status, .ok, again.text)
            XCTAssertEqual((try again.json() as? [String: Any])?["billsCreated"] as? Int, 0, "the same file twice creates nothing new")
            XCTAssertEqual((try again.json() as? [String: Any])?["billsExisting"] as? Int, 4)
            count = try await billCount(app, w)
            XCTAssertEqual(count, 4)
        }
    }

    func testFEE5_thePublicScheduleShowsTheLegalBasisWithoutSignIn() async throws {
        try await withWorld { app, w in
            let c = w.a.community
            _ = try await managementFee(app, community: c.id, month: thisMonth(app, c))
            let page = try await app.call(.GET, "/c/\(c.id)/fee-schedule", as: nil, in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("穗价函〔2024〕18号"), "the legal basis is shown")
            XCTAssertTrue(page.text.contains("物业管理费"))
            XCTAssertTrue(page.text.contains("¥2.35"))
            XCTAssertTrue(OperationalRoutes.publicPaths.contains("/c/:cid/fee-schedule"))
            let unknown = try await app.call(.GET, "/c/\(UUID())/fee-schedule", as: nil, in: w)
            XCTAssertEqual(unknown.status, .notFound)
        }
    }

    func testINT10_settlingAPaidServicePostsOneOneOffBillOnce() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id
            let manager = who(w, "a.manager"), desk = who(w, "a.desk"), finance = who(w, "a.finance")
            let engineer = Assignee(id: w.accounts["a.engineer"]!.id, name: "a.engineer")
            let item = try await app.store.orders.addCatalogueItem(CatalogueItem(communityID: c, code: "SW01", name: Message(zh: "疏通下水道", en: "Drain unblocking"),
                                                                                  unit: Message(zh: "次", en: "job"), price: 8_000), by: manager)
            let order = try await app.store.orders.create(OrderDraft(communityID: c, kind: .paidService, channel: .walkIn, unitID: w.a.units[0].id,
                requesterID: w.a.people[0].person.id, description: "厨房下水道堵了,需要疏通", catalogueItemID: item.id), by: desk).order
            let eng = Actor(userID: engineer.id, name: engineer.name)
            try await app.store.orders.perform(.dispatch(engineer), on: order.id, by: desk)
            try await app.store.orders.perform(.agreePrice(fen: 8_000), on: order.id, by: eng)
            try await app.store.orders.perform(.checkIn, on: order.id, by: eng)
            try await app.store.orders.perform(.addExtra(fen: 1_500, note: "更换存水弯", consentBy: "王建国"), on: order.id, by: eng)
            try await app.store.orders.perform(.complete(note: "已疏通"), on: order.id, by: eng)
            try await app.store.orders.perform(.signOff(rating: 5, comment: "", onResidentDevice: true), on: order.id, by: who(w, "13800001000"))
            var bills = try await app.store.fees.bills(unit: w.a.units[0].id, community: w.a.community.id)
            XCTAssertTrue(bills.isEmpty, "nothing is billed before settlement")
            try await app.store.orders.perform(.settle(receipt: "SK-0001"), on: order.id, by: finance)
            bills = try await app.store.fees.bills(unit: w.a.units[0].id, community: w.a.community.id)
            XCTAssertEqual(bills.count, 1)
            XCTAssertEqual(bills.first?.origin, .oneOff)
            XCTAssertEqual(bills.first?.amountFen, 9_500)
            XCTAssertEqual(bills.first?.itemName, "疏通下水道")
            XCTAssertEqual(bills.first?.key, "order:\(order.id.uuidString)")
            // A second settlement is refused by the order, and posting the key again adds nothing.
            do {
                try await app.store.orders.perform(.settle(receipt: "SK-0002"), on: order.id, by: finance)
                XCTFail("settled twice")
            } catch let e as DomainError { XCTAssertEqual(e.code, "cannot_settle") }
            let again = try await app.store.fees.postOneOff(community: c, unit: w.a.units[0].id, itemName: "疏通下水道", amountFen: 9_500,
                                                            key: "order:\(order.id.uuidString)", note: "")
            XCTAssertEqual(again.id, bills.first?.id)
            let count = try await billCount(app, w)
            XCTAssertEqual(count, 1)
        }
    }

    func testFEE1_financeMayRunBillingAndTheFrontDeskMayNot() async throws {
        try await withWorld { app, w in
            let c = w.a.community
            let m = thisMonth(app, c)
            let item = #"{"itemId":"\#(UUID())","code":"mgmt","name":"物业管理费","basis":"per_area_month","rate":235,"legalBasis":"穗价函〔2024〕18号","fromMonth":"\#(m)"}"#
            let deskItem = try await app.call(.POST, "/api/v1/communities/\(c.id)/fee-items", as: "a.desk", in: w, json: item)
            XCTAssertEqual(deskItem.status, .forbidden)
            let created = try await app.call(.POST, "/api/v1/communities/\(c.id)/fee-items", as: "a.finance", in: w, json: item)
            XCTAssertEqual(created.status, .created, created.text)
            XCTAssertEqual((try created.json() as? [String: Any])?["code"] as? String, "MGMT")
            let list = try await app.call(.GET, "/api/v1/communities/\(c.id)/fee-items", as: "a.desk", in: w)
            XCTAssertEqual(list.status, .ok, "the front desk reads the schedule")
            let desk = try await app.call(.POST, "/api/v1/communities/\(c.id)/billing-runs", as: "a.desk", in: w, json: #"{"period":"\#(m)"}"#)
            XCTAssertEqual(desk.status, .forbidden)
            let deskPage = try await app.call(.GET, "/c/\(c.id)/fees/runs", as: "a.desk", in: w)
            XCTAssertEqual(deskPage.status, .forbidden)
            var count = try await billCount(app, w)
            XCTAssertEqual(count, 0)
            let run = try await app.call(.POST, "/api/v1/communities/\(c.id)/billing-runs", as: "a.finance", in: w, json: #"{"period":"\#(m)"}"#)
            XCTAssertEqual(run.status, .created, run.text)
            XCTAssertEqual((try run.json() as? [String: Any])?["billsCreated"] as? Int, 3)
            count = try await billCount(app, w)
            XCTAssertEqual(count, 3)
            let other = try await app.call(.POST, "/api/v1/communities/\(w.b.community.id)/billing-runs", as: "a.finance", in: w, json: #"{"period":"\#(m)"}"#)
            XCTAssertEqual(other.status, .notFound, "another community is not found")
            let page = try await app.call(.GET, "/c/\(c.id)/fees/runs?period=\(m)", as: "a.finance", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("billing-runs"))
            let home = try await app.call(.GET, "/c/\(c.id)/fees", as: "a.desk", in: w)
            XCTAssertEqual(home.status, .ok)
            XCTAssertFalse(home.text.contains("link-fee-runs"), "the desk is not offered billing runs")
        }
    }

    func testFEE1_anEngineerCannotSeeABill() async throws {
        try await withWorld { app, w in
            let c = w.a.community
            let m = thisMonth(app, c)
            _ = try await managementFee(app, community: c.id, month: m)
            _ = try await app.store.fees.runBilling(community: c.id, period: m, by: Self.console)
            let firstBills = try await app.store.fees.bills(unit: w.a.units[0].id, community: w.a.community.id)
            let bill = try XCTUnwrap(firstBills.first)
            for path in ["/api/v1/bills/\(bill.id)", "/bills/\(bill.id)", "/api/v1/units/\(w.a.units[0].id)/bills", "/c/\(c.id)/fees"] {
                let r = try await app.call(.GET, path, as: "a.engineer", in: w)
                XCTAssertTrue([.forbidden, .notFound].contains(r.status), "\(path): \(r.status)")
                XCTAssertFalse(r.text.contains("210.33"), path)
            }
            let finance = try await app.call(.GET, "/api/v1/bills/\(bill.id)", as: "a.finance", in: w)
            XCTAssertEqual(finance.status, .ok)
            XCTAssertEqual((try finance.json() as? [String: Any])?["amount"] as? Int, 21_033)
            let page = try await app.call(.GET, "/bills/\(bill.id)", as: "a.finance", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("¥210.33"))
            // The area supervisor of area 1 sees units[0] (1栋, area 1) but not units[2] (2栋, area 2).
            let own = try await app.call(.GET, "/api/v1/units/\(w.a.units[0].id)/bills", as: "a.supervisor", in: w)
            XCTAssertEqual(own.status, .ok)
            let farBills = try await app.store.fees.bills(unit: w.a.units[2].id, community: w.a.community.id)
            let far = try XCTUnwrap(farBills.first)
            let farBill = try await app.call(.GET, "/api/v1/bills/\(far.id)", as: "a.supervisor", in: w)
            XCTAssertEqual(farBill.status, .notFound)
        }
    }

    // MARK: Review (issue 17, wave 2)

    /// A credit note locked only its bill while a payment locks the unit and reads its open bills:
    /// on PostgreSQL a credit taken between that read and the payment's update left the bill
    /// paid and credited beyond its amount (outstanding below zero). Both now lock the unit first:
    /// of a full credit and a full payment at once, exactly one goes through.
    func testFEE1_aCreditNoteAndAPaymentAtOnceNeverTogetherExceedWhatIsOwed() async throws {
        try await withWorld { app, w in
            let store = app.store.fees
            let community = w.a.community.id
            let unit = w.a.units[0]
            let area = try await app.store.registry.unit(unit.id)?.unit.areaID
            for round in 0..<6 {
                let b = Bill(communityID: community, areaID: area, unitID: unit.id, itemID: nil, itemName: "物业管理费", period: "2026-0\(round + 1)",
                             origin: .opening, key: "test:race:\(round)", amountFen: 10_000, runID: nil, createdAt: app.propdesk.now())
                try await BillModel(b).create(on: app.db)
                let finance = who(w, "a.finance"), desk = who(w, "a.desk")
                async let credit: Bool = (try? await store.creditNote(bill: b.id, amountFen: 10_000, reason: "减免", formID: UUID(), by: finance)) != nil
                async let paid: Bool = (try? await store.pay(FeeStore.Payment(unitID: unit.id, amountFen: 10_000, method: .cash, reference: "", payer: "业主",
                                                                               billIDs: [b.id], formID: UUID()), community: community, by: desk)) != nil
                let (c, p) = await (credit, paid)
                XCTAssertTrue(c != p, "round \(round): exactly one of the credit and the payment goes through (credit \(c), payment \(p))")
                let found = try await BillModel.find(b.id, on: app.db)
                let m = try XCTUnwrap(found)
                XCTAssertEqual(m.outstandingFen, 0)
                XCTAssertEqual(m.amountFen - m.creditedFen - m.paidFen, m.outstandingFen)
                XCTAssertEqual(m.creditedFen + m.paidFen, 10_000, "round \(round)")
            }
        }
    }
}
