import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// Payments, receipts, voids, the daily close and deposits (FEE-1, FEE-2) on a real database
/// (SQLite, or PostgreSQL when DATABASE_URL is set — the gap-free numbering test is then truly
/// concurrent): allocation, over-payment refused, gap-free numbers, voids keeping their number,
/// resends, the close reconciled by hand, deposit conditions, and who may see money.
final class FeePaymentTests: XCTestCase {
    func who(_ w: World, _ username: String) -> Actor {
        Actor(userID: w.accounts[username]!.id, name: "\(w.accounts[username]!.displayName) (\(username))")
    }

    /// A bill of community A's `unit`, written directly (billing runs are another helper's).
    @discardableResult
    func bill(_ app: Application, _ w: World, unit: Int = 0, period: String, fen: Int, item: String = "物业管理费") async throws -> UUID {
        let u = w.a.units[unit]
        let area = try await app.store.registry.unit(u.id)?.unit.areaID
        let id = UUID()
        let sql = app.db as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO bills (id, community_id, area_id, unit_id, item_id, item_name, period, origin, key, amount_fen, credited_fen, paid_fen,
                               outstanding_fen, run_id, note, created_at)
            VALUES (\(bind: id), \(bind: u.communityID), \(bind: area), \(bind: u.id), NULL, \(bind: item), \(bind: period), 'opening',
                    \(bind: "test:\(id.uuidString)"), \(bind: fen), 0, 0, \(bind: fen), NULL, '', \(bind: Date()))
            """).run()
        return id
    }

    /// (paid, outstanding) of a bill, read straight from its row.
    func state(_ app: Application, _ id: UUID) async throws -> (paid: Int, outstanding: Int) {
        let sql = app.db as! any SQLDatabase
        let row = try await sql.raw("SELECT paid_fen, outstanding_fen, amount_fen, credited_fen FROM bills WHERE id = \(bind: id)").first()
        let r = try XCTUnwrap(row)
        let paid = try r.decode(column: "paid_fen", as: Int.self), outstanding = try r.decode(column: "outstanding_fen", as: Int.self)
        XCTAssertEqual(try r.decode(column: "amount_fen", as: Int.self) - (try r.decode(column: "credited_fen", as: Int.self)) - paid, outstanding,
                       "outstanding_fen is kept equal to amount − credited − paid")
        return (paid, outstanding)
    }

    /// Rows of `table` in community A (the world has fee records of its own in B).
    func count(_ app: Application, _ table: String, _ w: World) async throws -> Int {
        let sql = app.db as! any SQLDatabase
        return try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE community_id = \(bind: w.a.community.id)").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    func form(_ app: Application, _ path: String, as user: String, in w: World, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
        let body = fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
        return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
    }

    func cash(_ w: World, unit: Int = 0, _ fen: Int, bills: [UUID]? = nil, form: UUID? = nil) -> FeeStore.Payment {
        FeeStore.Payment(unitID: w.a.units[unit].id, amountFen: fen, method: .cash, reference: "", payer: "王建国", billIDs: bills, formID: form)
    }

    // MARK: Allocation

    func testFEE1_aPaymentLargerThanWhatIsOwedIsRefusedAndChangesNothing() async throws {
        try await withWorld { app, w in
            let jan = try await bill(app, w, period: "2026-01", fen: 10_000)
            let feb = try await bill(app, w, period: "2026-02", fen: 20_000)
            let refused = await refusal(try await app.store.fees.pay(cash(w, 30_001), community: w.a.community.id, by: who(w, "a.desk")))
            XCTAssertEqual(refused?.kind, .invalidInput)
            XCTAssertTrue(refused?.message.zhHans.contains("超过所欠") ?? false, refused?.message.zhHans ?? "")
            XCTAssertTrue(refused?.message.en.contains("no unallocated credit") ?? false, refused?.message.en ?? "")
            let janState = try await state(app, jan), febState = try await state(app, feb)
            XCTAssertEqual(janState.outstanding, 10_000)
            XCTAssertEqual(febState.outstanding, 20_000)
            let receipts = try await count(app, "receipts", w), allocations = try await count(app, "payment_allocations", w)
            XCTAssertEqual(receipts, 0)
            XCTAssertEqual(allocations, 0)
            // Chosen bills count only what they owe: 10 000 chosen, 10 001 refused.
            let chosen = await refusal(try await app.store.fees.pay(cash(w, 10_001, bills: [jan]), community: w.a.community.id, by: who(w, "a.desk")))
            XCTAssertEqual(chosen?.kind, .invalidInput)
            // Non-cash needs its reference.
            let noRef = await refusal(try await app.store.fees.pay(FeeStore.Payment(unitID: w.a.units[0].id, amountFen: 100, method: .wechat, reference: " ", payer: ""),
                                                                    community: w.a.community.id, by: who(w, "a.desk")))
            XCTAssertEqual(noRef?.kind, .invalidInput)
            // The refused attempts took no number: the first receipt is number 1.
            let first = try await app.store.fees.pay(cash(w, 30_000), community: w.a.community.id, by: who(w, "a.desk"))
            XCTAssertEqual(first.number, 1)
            XCTAssertEqual(first.printedNumber, "\(first.year)-000001")
            let janAfter = try await state(app, jan), febAfter = try await state(app, feb)
            XCTAssertEqual(janAfter.outstanding, 0)
            XCTAssertEqual(febAfter.outstanding, 0)
        }
    }

    func testFEE1_aPaymentIsAllocatedToTheOldestBillsFirst() async throws {
        try await withWorld { app, w in
            let mar = try await bill(app, w, period: "2026-03", fen: 10_000)
            let jan = try await bill(app, w, period: "2026-01", fen: 10_000)
            let feb = try await bill(app, w, period: "2026-02", fen: 10_000)
            let other = try await bill(app, w, unit: 1, period: "2025-12", fen: 10_000)
            let r = try await app.store.fees.pay(cash(w, 15_000), community: w.a.community.id, by: who(w, "a.desk"))
            let s = (try await state(app, jan), try await state(app, feb), try await state(app, mar), try await state(app, other))
            XCTAssertEqual(s.0.paid, 10_000)
            XCTAssertEqual(s.1.paid, 5_000)
            XCTAssertEqual(s.1.outstanding, 5_000)
            XCTAssertEqual(s.2.paid, 0)
            XCTAssertEqual(s.3.paid, 0, "another unit's bill is never touched")
            let lines = try await app.store.fees.allocations(receipt: r.id)
            XCTAssertEqual(lines.map(\.bill.period), ["2026-01", "2026-02"])
            XCTAssertEqual(lines.map(\.fen), [10_000, 5_000])
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT period, area_id FROM payment_allocations WHERE receipt_id = \(bind: r.id) ORDER BY period").all()
            XCTAssertEqual(try rows.map { try $0.decode(column: "period", as: String.self) }, ["2026-01", "2026-02"])
            XCTAssertEqual(try rows.first?.decode(column: "area_id", as: UUID?.self), w.a.areas[0].id, "allocations carry the area for the collection rate")
        }
    }

    func testFEE1_chosenBillsArePaidInsteadOfTheOldest() async throws {
        try await withWorld { app, w in
            let jan = try await bill(app, w, period: "2026-01", fen: 10_000)
            let park = try await bill(app, w, period: "2026-03", fen: 15_000, item: "停车费")
            let r = try await app.store.fees.pay(cash(w, 15_000, bills: [park]), community: w.a.community.id, by: who(w, "a.desk"))
            let janState = try await state(app, jan), parkState = try await state(app, park)
            XCTAssertEqual(janState.paid, 0, "the older bill was not chosen")
            XCTAssertEqual(parkState.outstanding, 0)
            let lines = try await app.store.fees.allocations(receipt: r.id)
            XCTAssertEqual(lines.map(\.bill.id), [park])
            // A bill of another unit cannot be chosen.
            let foreign = try await bill(app, w, unit: 1, period: "2026-01", fen: 5_000)
            let refused = await refusal(try await app.store.fees.pay(cash(w, 5_000, bills: [foreign]), community: w.a.community.id, by: who(w, "a.desk")))
            XCTAssertEqual(refused?.kind, .invalidInput)
        }
    }

    // MARK: Gap-free numbers

    func testFEE1_receiptNumbersHaveNoGapWhenTwoCashiersPayAtOnce() async throws {
        try await withWorld { app, w in
            for unit in 0..<3 { try await bill(app, w, unit: unit, period: "2026-01", fen: 1_000_000) }
            let community = w.a.community.id
            let cashiers = [who(w, "a.desk"), who(w, "a.finance")]
            let payments = 24
            let store = app.store.fees
            let numbers = try await withThrowingTaskGroup(of: Int?.self) { group in
                for i in 0..<payments {
                    let p = FeeStore.Payment(unitID: w.a.units[i % 3].id, amountFen: 100 + i, method: .cash, reference: "", payer: "业主", formID: UUID())
                    let cashier = cashiers[i % 2]
                    group.addTask { try await store.pay(p, community: community, by: cashier).number }
                }
                // Refused payments in the middle of it take no number.
                for _ in 0..<4 {
                    let p = FeeStore.Payment(unitID: w.a.units[0].id, amountFen: 99_000_000, method: .cash, reference: "", payer: "业主")
                    group.addTask { (try? await store.pay(p, community: community, by: cashiers[0]))?.number }
                }
                var all: [Int] = []
                for try await n in group { if let n { all.append(n) } }
                return all
            }
            XCTAssertEqual(numbers.sorted(), Array(1...payments), "numbers 1…\(payments), no gap, no duplicate")
            let sql = app.db as! any SQLDatabase
            let last = try await sql.raw("SELECT last_number FROM receipt_counters WHERE community_id = \(bind: community)").first()?.decode(column: "last_number", as: Int.self)
            XCTAssertEqual(last, payments)
            let paid = try await sql.raw("SELECT CAST(SUM(paid_fen) AS BIGINT) AS s FROM bills WHERE community_id = \(bind: community)").first()?.decode(column: "s", as: Int.self)
            XCTAssertEqual(paid, (0..<payments).reduce(0) { $0 + 100 + $1 }, "every payment reached its bill exactly once")
            // Another community counts on its own.
            let b = try await app.store.registry.unit(w.b.units[0].id)
            let sqlB = app.db as! any SQLDatabase
            let billB = UUID()
            try await sqlB.raw("""
                INSERT INTO bills (id, community_id, area_id, unit_id, item_id, item_name, period, origin, key, amount_fen, credited_fen, paid_fen, outstanding_fen, run_id, note, created_at)
                VALUES (\(bind: billB), \(bind: w.b.community.id), \(bind: b?.unit.areaID), \(bind: w.b.units[0].id), NULL, '物业管理费', '2026-01', 'opening', 'test:b', 500, 0, 0, 500, NULL, '', \(bind: Date()))
                """).run()
            let before = try await sqlB.raw("SELECT last_number FROM receipt_counters WHERE community_id = \(bind: w.b.community.id)").first()?.decode(column: "last_number", as: Int.self) ?? 0
            let rb = try await store.pay(FeeStore.Payment(unitID: w.b.units[0].id, amountFen: 500, method: .cash, reference: "", payer: "B"),
                                         community: w.b.community.id, by: Actor(userID: w.accounts["b.head"]!.id, name: "b.head"))
            XCTAssertEqual(rb.number, before + 1)
        }
    }

    func testFEE1_aVoidedReceiptKeepsItsNumberAndTheNextPaymentGetsTheNext() async throws {
        try await withWorld { app, w in
            let jan = try await bill(app, w, period: "2026-01", fen: 10_000)
            let community = w.a.community.id
            let first = try await app.store.fees.pay(cash(w, 6_000), community: community, by: who(w, "a.desk"))
            XCTAssertEqual(first.number, 1)
            let paidState = try await state(app, jan)
            XCTAssertEqual(paidState.outstanding, 4_000)
            let noReason = await refusal(try await app.store.fees.void(receipt: first.id, reason: "  ", by: who(w, "a.finance")))
            XCTAssertEqual(noReason?.kind, .invalidInput)
            let voided = try await app.store.fees.void(receipt: first.id, reason: "收款方式录错", by: who(w, "a.finance"))
            XCTAssertTrue(voided.voided)
            XCTAssertEqual(voided.number, 1)
            XCTAssertEqual(voided.voidReason, "收款方式录错")
            let back = try await state(app, jan)
            XCTAssertEqual(back.paid, 0, "the money went back to the bill")
            XCTAssertEqual(back.outstanding, 10_000)
            let sql = app.db as! any SQLDatabase
            let live = try await sql.raw("SELECT COUNT(*) AS n FROM payment_allocations WHERE receipt_id = \(bind: first.id) AND voided = \(bind: false)").first()?.decode(column: "n", as: Int.self)
            XCTAssertEqual(live, 0, "its allocations are marked voided")
            // The same void sent again answers the same; another void of it is refused.
            let again = try await app.store.fees.void(receipt: first.id, reason: "收款方式录错", by: who(w, "a.finance"))
            XCTAssertEqual(again.voidedAt?.timeIntervalSince1970 ?? 0, voided.voidedAt?.timeIntervalSince1970 ?? 1, accuracy: 0.01)
            let twice = await refusal(try await app.store.fees.void(receipt: first.id, reason: "再次作废", by: who(w, "a.finance")))
            XCTAssertEqual(twice?.code, "receipt_voided")
            let still = try await state(app, jan)
            XCTAssertEqual(still.outstanding, 10_000, "a second void gives nothing back twice")
            // The next payment gets the next number; number 1 stays the voided receipt.
            let next = try await app.store.fees.pay(FeeStore.Payment(unitID: w.a.units[0].id, amountFen: 6_000, method: .wechat, reference: "WX0001", payer: "王建国"),
                                                    community: community, by: who(w, "a.desk"))
            XCTAssertEqual(next.number, 2)
            let one = try await app.store.fees.receipt(first.id)
            XCTAssertEqual(one?.number, 1)
            XCTAssertEqual(one?.voided, true)
            // Printed with its number and the VOID stamp.
            let print = try await app.call(.GET, "/receipts/\(first.id.uuidString)/print", as: "a.finance", in: w)
            XCTAssertEqual(print.status, .ok)
            XCTAssertTrue(print.text.contains("\(first.year)-000001"))
            XCTAssertTrue(print.text.contains(#"id="void-stamp""#))
            XCTAssertTrue(print.text.contains(w.a.community.name))
            let printNext = try await app.call(.GET, "/receipts/\(next.id.uuidString)/print", as: "a.desk", in: w)
            XCTAssertFalse(printNext.text.contains(#"id="void-stamp""#))
            // The desk does not void.
            let desk = try await form(app, "/receipts/\(next.id.uuidString)/void", as: "a.desk", in: w, [("reason", "试试")])
            XCTAssertEqual(desk.status, .forbidden)
        }
    }

    func testFEE1_aPaymentFormSentTwiceIssuesOneReceipt() async throws {
        try await withWorld { app, w in
            let jan = try await bill(app, w, period: "2026-01", fen: 10_000)
            let formID = UUID()
            let path = "/units/\(w.a.units[0].id.uuidString)/payments"
            let fields = [("formId", formID.uuidString), ("amount", "80.50"), ("method", "cash"), ("reference", ""), ("payer", "王建国")]
            let one = try await form(app, path, as: "a.desk", in: w, fields)
            let two = try await form(app, path, as: "a.desk", in: w, fields)
            XCTAssertEqual(one.status, .seeOther, one.text)
            XCTAssertEqual(two.status, .seeOther)
            XCTAssertEqual(one.headers.first(name: .location), two.headers.first(name: .location), "both answers show the same receipt")
            XCTAssertTrue(one.headers.first(name: .location)?.hasPrefix("/receipts/") ?? false)
            let receipts = try await count(app, "receipts", w)
            XCTAssertEqual(receipts, 1)
            let s = try await state(app, jan)
            XCTAssertEqual(s.paid, 8_050)
            // Over the API with the same form id: the same receipt; for another unit: a conflict.
            let api = try await app.call(.POST, "/api/v1/units/\(w.a.units[0].id.uuidString)/payments", as: "a.desk", in: w,
                                         json: #"{"formId":"\#(formID.uuidString)","amount":8050,"method":"cash"}"#)
            XCTAssertEqual(api.status, .created, api.text)
            XCTAssertTrue(api.text.replacingOccurrences(of: " ", with: "").contains("\"number\":1,"), api.text)
            try await bill(app, w, unit: 1, period: "2026-01", fen: 10_000)
            let reused = await refusal(try await app.store.fees.pay(cash(w, unit: 1, 100, form: formID), community: w.a.community.id, by: who(w, "a.desk")))
            XCTAssertEqual(reused?.kind, .conflict)
            let after = try await count(app, "receipts", w)
            XCTAssertEqual(after, 1)
            // The account page shows the receipt and the payment form with a fresh form id.
            let page = try await app.call(.GET, "/units/\(w.a.units[0].id.uuidString)/account", as: "a.desk", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(#"id="payment-form""#))
            XCTAssertFalse(page.text.contains(formID.uuidString))
        }
    }

    // MARK: The daily close

    func testFEE1_theDailyCloseReconcilesToTheReceipts() async throws {
        try await withWorld { app, w in
            try await bill(app, w, period: "2026-01", fen: 100_000)
            let c = w.a.community.id
            let desk = who(w, "a.desk")
            let a = try await app.store.fees.pay(cash(w, 12_000), community: c, by: desk)
            _ = try await app.store.fees.pay(FeeStore.Payment(unitID: w.a.units[0].id, amountFen: 8_000, method: .wechat, reference: "WX42001", payer: "王建国"),
                                             community: c, by: desk)
            let wrong = try await app.store.fees.pay(cash(w, 5_000), community: c, by: desk)
            _ = try await app.store.fees.void(receipt: wrong.id, reason: "重复收款", by: who(w, "a.finance"))
            let (moving, _) = try await app.store.fees.receiveDeposit(community: c, unit: w.a.units[0].id, kind: .moving, amountFen: 30_000, method: .cash,
                                                                       reference: "", payer: "王建国", renovationID: nil, formID: UUID(), by: desk)
            _ = try await app.store.fees.refundDeposit(moving.id, reason: "搬迁完毕,公共设施无损坏", by: desk)
            let (utilities, _) = try await app.store.fees.receiveDeposit(community: c, unit: w.a.units[0].id, kind: .utilities, amountFen: 20_000, method: .card,
                                                                          reference: "POS-778", payer: "王建国", renovationID: nil, formID: UUID(), by: desk)
            _ = try await app.store.fees.forfeitDeposit(utilities.id, reason: "欠缴水电费抵扣", by: who(w, "a.finance"))
            // Someone else's takings are not the desk's.
            try await bill(app, w, unit: 1, period: "2026-01", fen: 50_000)
            _ = try await app.store.fees.pay(cash(w, unit: 1, 7_000), community: c, by: who(w, "a.finance"))
            // By hand: cash 12 000 + 30 000 − 30 000 = 12 000; WeChat 8 000; card 20 000 (the forfeit moves no money);
            // total 40 000; 5 valid receipts of the desk, 1 voided (the forfeit is the finance's receipt).
            let day = a.day
            let res = try await form(app, "/c/\(c.uuidString)/cashier/close", as: "a.desk", in: w, [("day", day), ("countedCash", "119.50"), ("note", "少 5 毛")])
            XCTAssertEqual(res.status, .seeOther, res.text)
            let loaded = try await app.store.fees.close(community: c, cashierName: desk.name, day: day)
            let close = try XCTUnwrap(loaded)
            XCTAssertEqual(close.byMethod, ["cash": 12_000, "wechat": 8_000, "card": 20_000])
            XCTAssertEqual(close.totalFen, 40_000)
            XCTAssertEqual(close.receipts, 5)
            XCTAssertEqual(close.voided, 1)
            XCTAssertEqual(close.expectedCashFen, 12_000)
            XCTAssertEqual(close.countedCashFen, 11_950)
            XCTAssertEqual(close.differenceFen, -50)
            let mine = try await app.store.fees.receipts(community: c, day: day, cashierName: desk.name)
            XCTAssertEqual(mine.count, 6)
            XCTAssertTrue(mine.allSatisfy { $0.closeID == close.id }, "the desk's receipts carry the close")
            let theirs = try await app.store.fees.receipts(community: c, day: day, cashierName: who(w, "a.finance").name)
            XCTAssertTrue(theirs.allSatisfy { $0.closeID == nil })
            // One close per cashier and day; no more money that day.
            let again = await refusal(try await app.store.fees.closeDay(community: c, cashierName: desk.name, day: day, countedCashFen: 0, note: "", by: desk))
            XCTAssertEqual(again?.code, "day_closed")
            let late = await refusal(try await app.store.fees.pay(cash(w, 100), community: c, by: desk))
            XCTAssertEqual(late?.code, "day_closed")
            // Finance voids a closed receipt: the close shows it.
            _ = try await app.store.fees.void(receipt: a.id, reason: "业主退款,改日重收", by: who(w, "a.finance"))
            let page = try await app.call(.GET, "/c/\(c.uuidString)/cashier?day=\(day)&cashier=\(desk.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                          as: "a.finance", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(#"id="voided-after-close""#), "the close shows the receipt voided after it")
            XCTAssertTrue(page.text.contains(a.printedNumber))
            // The API lists it.
            let api = try await app.call(.GET, "/api/v1/communities/\(c.uuidString)/daily-closes?day=\(day)", as: "a.desk", in: w)
            XCTAssertEqual(api.status, .ok, api.text)
            XCTAssertTrue(api.text.replacingOccurrences(of: " ", with: "").contains("\"difference\":-50"), api.text)
            let engineer = try await app.call(.GET, "/c/\(c.uuidString)/cashier", as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
        }
    }

    // MARK: Deposits (FEE-2)

    func renovation(_ app: Application, _ w: World) async throws -> Renovation {
        let desk = who(w, "a.desk")
        let r = try await app.store.renovations.register(RenovationStore.Application(
            unitID: w.a.units[0].id, applicant: "王建国", applicantPhone: "13800001000", contractor: "美家装饰工程有限公司",
            contractorPhone: "13911112222", works: "厨卫翻新", startsOn: "2026-11-20", endsOn: "2027-01-20", inspectEveryDays: 1),
            community: w.a.community.id, by: desk)
        let uploads = try RenovationDocument.allCases.map {
            try EvidenceStore.check(EvidenceTests.pdf + Array("% \($0.rawValue)\n".utf8), kind: .document, caption: "\($0.rawValue) · \($0.title.zhHans)", signedBy: nil)
        }
        try await app.store.evidence.attach(uploads, to: SubjectRef(kind: .renovation, id: r.id, communityID: r.communityID, areaID: r.areaID, label: r.number), by: desk)
        _ = try await app.store.renovations.update(r.id, depositFen: 200_000, protection: "电梯轿厢已加装防护板", inspectEveryDays: nil, by: desk)
        return try await app.store.renovations.approve(r.id, by: who(w, "a.manager"))
    }

    func testFEE2_aRenovationDepositIsRefundedOnlyOnceTheRenovationIsClosedWithoutOpenViolations() async throws {
        try await withWorld { app, w in
            let r = try await renovation(app, w)
            let c = w.a.community.id
            let noFile = await refusal(try await app.store.fees.receiveDeposit(community: c, unit: w.a.units[0].id, kind: .renovation, amountFen: 200_000, method: .cash,
                                                                                reference: "", payer: "王建国", renovationID: nil, formID: nil, by: who(w, "a.desk")))
            XCTAssertEqual(noFile?.kind, .invalidInput)
            let (d, receipt) = try await app.store.fees.receiveDeposit(community: c, unit: w.a.units[0].id, kind: .renovation, amountFen: 200_000, method: .cash,
                                                                        reference: "", payer: "王建国", renovationID: r.id, formID: UUID(), by: who(w, "a.desk"))
            XCTAssertEqual(d.status, .held)
            XCTAssertEqual(receipt.kind, .depositIn)
            XCTAssertEqual(receipt.depositID, d.id)
            // Works going on: refused, with the reason.
            let open = await refusal(try await app.store.fees.refundDeposit(d.id, reason: "", by: who(w, "a.finance")))
            XCTAssertEqual(open?.code, "deposit_condition")
            XCTAssertTrue(open?.message.zhHans.contains("尚未验收结案") ?? false, open?.message.zhHans ?? "")
            // A violation is open: refused, and the message names it (the file forced closed to test this check alone).
            let v = try await app.store.renovations.issueNotice(renovation: r.id, rule: "擅自拆改承重墙", requirement: "恢复原状", deadline: Date().addingTimeInterval(3 * 86400),
                                                                photos: [], by: who(w, "a.supervisor"))
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE renovations SET status = 'closed' WHERE id = \(bind: r.id)").run()
            let violation = await refusal(try await app.store.fees.refundDeposit(d.id, reason: "", by: who(w, "a.finance")))
            XCTAssertEqual(violation?.code, "deposit_condition")
            XCTAssertTrue(violation?.message.zhHans.contains(v.number) ?? false, violation?.message.zhHans ?? "")
            // Over HTTP the finance is sent back with the reason; nothing changed.
            let http = try await form(app, "/deposits/\(d.id.uuidString)/refund", as: "a.finance", in: w, [("reason", ""), ("method", "cash")])
            XCTAssertEqual(http.status, .seeOther)
            let held = try await app.store.fees.deposit(d.id)
            XCTAssertEqual(held?.status, .held)
            let receiptsBefore = try await count(app, "receipts", w)
            XCTAssertEqual(receiptsBefore, 1)
            // Corrected and the completion accepted: refunded, with a receipt.
            try await sql.raw("UPDATE renovations SET status = 'approved' WHERE id = \(bind: r.id)").run()
            _ = try await app.store.renovations.step(v.id, .correct, note: "已恢复原状", authority: nil, photos: [], by: who(w, "a.supervisor"))
            _ = try await app.store.renovations.inspect(r.id, passed: true, note: "验收合格", completion: true, photos: [], by: who(w, "a.supervisor"))
            let page = try await app.call(.GET, "/deposits/\(d.id.uuidString)", as: "a.finance", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertFalse(page.text.contains(#"id="refund-blocked""#))
            let desk = try await form(app, "/deposits/\(d.id.uuidString)/refund", as: "a.desk", in: w, [("reason", ""), ("method", "cash")])
            XCTAssertEqual(desk.status, .forbidden, "finance refunds, the desk does not")
            let (after, refund) = try await app.store.fees.refundDeposit(d.id, reason: "", by: who(w, "a.finance"))
            XCTAssertEqual(after.status, .refunded)
            XCTAssertEqual(refund.kind, .depositRefund)
            XCTAssertEqual(refund.amountFen, 200_000)
            XCTAssertEqual(refund.number, receipt.number + 1)
            let twice = await refusal(try await app.store.fees.forfeitDeposit(d.id, reason: "再扣", by: who(w, "a.finance")))
            XCTAssertEqual(twice?.code, "deposit_settled")
        }
    }

    func testFEE2_aDepositIsForfeitedOnlyWithAReasonAndMovingDepositsNeedTheGround() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id
            let (d, _) = try await app.store.fees.receiveDeposit(community: c, unit: w.a.units[1].id, kind: .moving, amountFen: 100_000, method: .wechat,
                                                                  reference: "WX9", payer: "李秀英", renovationID: nil, formID: UUID(), by: who(w, "a.desk"))
            let noGround = await refusal(try await app.store.fees.refundDeposit(d.id, reason: " ", by: who(w, "a.finance")))
            XCTAssertEqual(noGround?.kind, .invalidInput)
            let noReason = await refusal(try await app.store.fees.forfeitDeposit(d.id, reason: "", by: who(w, "a.finance")))
            XCTAssertEqual(noReason?.kind, .invalidInput)
            let res = try await form(app, "/deposits/\(d.id.uuidString)/forfeit", as: "a.finance", in: w, [("reason", "搬运撞坏电梯轿厢壁板,押金抵扣维修费")])
            XCTAssertEqual(res.status, .seeOther)
            let after = try await app.store.fees.deposit(d.id)
            XCTAssertEqual(after?.status, .forfeited)
            XCTAssertEqual(after?.settleReason, "搬运撞坏电梯轿厢壁板,押金抵扣维修费")
            let receipts = try await app.store.fees.receipts(deposit: d.id)
            XCTAssertEqual(receipts.map(\.kind), [.depositIn, .depositForfeit])
            XCTAssertEqual(receipts.map(\.number), [1, 2])
            let refund = await refusal(try await app.store.fees.refundDeposit(d.id, reason: "搬迁完毕", by: who(w, "a.finance")))
            XCTAssertEqual(refund?.code, "deposit_settled")
            // A deposit receipt is not voided.
            let void = await refusal(try await app.store.fees.void(receipt: receipts[0].id, reason: "误收", by: who(w, "a.finance")))
            XCTAssertEqual(void?.kind, .conflict)
            // The list page shows it.
            let list = try await app.call(.GET, "/c/\(c.uuidString)/deposits?status=forfeited", as: "a.finance", in: w)
            XCTAssertEqual(list.status, .ok)
            XCTAssertTrue(list.text.contains(d.id.uuidString))
        }
    }

    // MARK: Who sees money

    func testFEE1_aResidentSeesOnlyTheirOwnBills() async throws {
        try await withWorld { app, w in
            try await bill(app, w, unit: 0, period: "2026-01", fen: 10_000, item: "物业管理费甲")
            try await bill(app, w, unit: 1, period: "2026-01", fen: 20_000, item: "物业管理费乙")
            let mine = try await app.store.fees.pay(cash(w, unit: 0, 4_000), community: w.a.community.id, by: who(w, "a.desk"))
            let theirs = try await app.store.fees.pay(cash(w, unit: 1, 5_000), community: w.a.community.id, by: who(w, "a.desk"))
            let resident = "13800001000"
            let own = try await app.call(.GET, "/units/\(w.a.units[0].id.uuidString)/account", as: resident, in: w)
            XCTAssertEqual(own.status, .ok, own.text)
            XCTAssertTrue(own.text.contains("物业管理费甲"))
            XCTAssertFalse(own.text.contains(#"id="payment-form""#), "a resident does not take payments")
            let other = try await app.call(.GET, "/units/\(w.a.units[1].id.uuidString)/account", as: resident, in: w)
            XCTAssertEqual(other.status, .notFound)
            let portal = try await app.call(.GET, "/portal/fees", as: resident, in: w)
            XCTAssertEqual(portal.status, .ok, portal.text)
            XCTAssertTrue(portal.text.contains("物业管理费甲"))
            XCTAssertTrue(portal.text.contains(mine.printedNumber))
            XCTAssertFalse(portal.text.contains("物业管理费乙"))
            XCTAssertFalse(portal.text.contains(theirs.printedNumber))
            XCTAssertTrue(portal.text.contains(#"id="fee-schedule-link""#))
            let print = try await app.call(.GET, "/receipts/\(mine.id.uuidString)/print", as: resident, in: w)
            XCTAssertEqual(print.status, .ok)
            let foreign = try await app.call(.GET, "/receipts/\(theirs.id.uuidString)", as: resident, in: w)
            XCTAssertEqual(foreign.status, .notFound)
            let api = try await app.call(.GET, "/api/v1/units/\(w.a.units[1].id.uuidString)/receipts", as: resident, in: w)
            XCTAssertEqual(api.status, .notFound)
            let pay = try await form(app, "/units/\(w.a.units[0].id.uuidString)/payments", as: resident, in: w, [("amount", "10"), ("method", "cash")])
            XCTAssertNotEqual(pay.status, .seeOther, "a resident cannot record a payment")
            let count = try await count(app, "receipts", w)
            XCTAssertEqual(count, 2)
        }
    }

    func testFEE1_anEngineerCannotSeeAReceiptFinanceCan() async throws {
        try await withWorld { app, w in
            try await bill(app, w, period: "2026-01", fen: 10_000)
            let r = try await app.store.fees.pay(cash(w, 10_000), community: w.a.community.id, by: who(w, "a.desk"))
            for path in ["/receipts/\(r.id.uuidString)", "/receipts/\(r.id.uuidString)/print", "/units/\(w.a.units[0].id.uuidString)/account",
                         "/api/v1/receipts/\(r.id.uuidString)"] {
                let res = try await app.call(.GET, path, as: "a.engineer", in: w)
                XCTAssertEqual(res.status, .forbidden, path)
                XCTAssertFalse(res.text.contains(r.printedNumber), path)
            }
            let finance = try await app.call(.GET, "/receipts/\(r.id.uuidString)", as: "a.finance", in: w)
            XCTAssertEqual(finance.status, .ok)
            XCTAssertTrue(finance.text.contains(r.printedNumber))
            XCTAssertTrue(finance.text.contains(#"id="void-form""#))
            let api = try await app.call(.GET, "/api/v1/receipts/\(r.id.uuidString)", as: "a.finance", in: w)
            XCTAssertEqual(api.status, .ok)
            XCTAssertTrue(api.text.replacingOccurrences(of: " ", with: "").contains("\"amount\":10000"), api.text)
            let other = try await app.call(.GET, "/receipts/\(r.id.uuidString)", as: "b.head", in: w)
            XCTAssertEqual(other.status, .notFound, "another community's receipt is not found")
        }
    }

    // MARK: Review (issue 17, wave 2)

    /// A bill named twice in billIds was counted twice as owed and paid twice over: its
    /// outstanding went below zero. Now refused, nothing written, no number taken.
    func testFEE1_aBillChosenTwiceIsRefusedAndNeverPaidTwice() async throws {
        try await withWorld { app, w in
            let jan = try await bill(app, w, period: "2026-01", fen: 10_000)
            let refused = await refusal(try await app.store.fees.pay(cash(w, 20_000, bills: [jan, jan]), community: w.a.community.id, by: who(w, "a.desk")))
            XCTAssertEqual(refused?.kind, .invalidInput)
            XCTAssertEqual(refused?.details.first?.field, "bills")
            XCTAssertFalse(refused?.message.zhHans.isEmpty ?? true)
            let s = try await state(app, jan)
            XCTAssertEqual(s.paid, 0)
            XCTAssertEqual(s.outstanding, 10_000)
            let receipts = try await count(app, "receipts", w), allocations = try await count(app, "payment_allocations", w)
            XCTAssertEqual(receipts, 0)
            XCTAssertEqual(allocations, 0)
            // Over the API too: a clear error, not a crash.
            let res = try await app.call(.POST, "/api/v1/units/\(w.a.units[0].id)/payments", as: "a.desk", in: w,
                                         json: #"{"formId":"\#(UUID())","amount":20000,"method":"cash","billIds":["\#(jan)","\#(jan)"]}"#)
            XCTAssertEqual(res.status, .unprocessableEntity, res.text)
            let after = try await state(app, jan)
            XCTAssertEqual(after.outstanding, 10_000)
        }
    }

    /// A payment form whose id was already used for a deposit of the same unit handed back the
    /// deposit's receipt as if it were the payment's. Now refused as a reused form id.
    func testFEE1_aDepositsFormIdIsNotReplayedAsAPayment() async throws {
        try await withWorld { app, w in
            let jan = try await bill(app, w, period: "2026-01", fen: 10_000)
            let formID = UUID()
            _ = try await app.store.fees.receiveDeposit(community: w.a.community.id, unit: w.a.units[0].id, kind: .moving, amountFen: 50_000, method: .cash,
                                                        reference: "", payer: "王建国", renovationID: nil, formID: formID, by: who(w, "a.desk"))
            let refused = await refusal(try await app.store.fees.pay(cash(w, 10_000, form: formID), community: w.a.community.id, by: who(w, "a.desk")))
            XCTAssertEqual(refused?.code, "form_id_reused")
            let s = try await state(app, jan)
            XCTAssertEqual(s.outstanding, 10_000)
        }
    }

    /// Finance could close the day of any name, a blank one or one of a megabyte.
    func testFEE1_aDailyCloseNamesACashier() async throws {
        try await withWorld { app, w in
            for name in ["   ", String(repeating: "名", count: 61)] {
                let refused = await refusal(try await app.store.fees.closeDay(community: w.a.community.id, cashierName: name, day: "2026-01-05",
                                                                              countedCashFen: 0, note: "", by: who(w, "a.finance")))
                XCTAssertEqual(refused?.details.first?.field, "cashierName")
                XCTAssertFalse(refused?.message.zhHans.contains("cashierName") ?? true, "the Chinese message names the field in Chinese")
            }
            let closes = try await count(app, "daily_closes", w)
            XCTAssertEqual(closes, 0)
        }
    }
}
