import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// The year of fees that the demo and `propdesk generate` write in bulk (RUN-3, FEE-1): the rows
/// must be the ones the stores write one by one.
final class FeeDemoTests: XCTestCase {
    func testRUN3_theFeeDemoPlansAnyLengthOfHistory() {
        let end = DutyLogTests.shanghai(29, 18)
        let actor = { (n: String) in Actor(userID: UUID(), name: n) }
        let cast = FeeDemo.Cast(community: UUID(), desks: [actor("甲"), actor("乙")], finance: actor("财务"), manager: actor("主管"),
                                areas: [(UUID(), actor("主任一")), (UUID(), actor("主任二")), (UUID(), actor("主任三"))], lived: [UUID()])
        for days in [0, 1, 2, 3, 9, 40, 90] {
            let start = end.addingTimeInterval(-Double(days) * 86400)
            var rng = SeededRandom(seed: 7)
            let plan = FeeDemo.plan(cast, start: start, end: end, days: days, rng: &rng)
            XCTAssertEqual(plan.isEmpty, days == 0, "\(days) days")
            XCTAssertTrue(plan.allSatisfy { $0.0 >= start.addingTimeInterval(-7 * 86400) }, "\(days) days: a step long before the history")
        }
    }

    /// Twelve monthly runs for the world's three flats, paid in bulk: every receipt reads back
    /// through the model, numbers run 1…n per year without a gap, and every bill's outstanding
    /// amount is its amount less what its allocations paid.
    func testFEE1_theBulkYearOfFeesIsWhatTheStoresWouldWrite() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id
            let desk = Actor(userID: w.accounts["a.desk"]!.id, name: "a.desk")
            let now = app.propdesk.now()
            let written = try await FeeHistory.write(community: cid, months: 12, asOf: now, cashiers: [desk], slowArea: nil, seed: 11, on: app.db)
            // The month's bills are run at 09:00 on its first day: before that, the current month has none yet.
            let tz = w.a.community.timeZone
            let billedThisMonth = FeeHistory.firstInstant(of: FeeStore.month(now, timeZone: tz), tz).addingTimeInterval(9 * 3600) <= now
            XCTAssertEqual(written.bills, billedThisMonth ? 36 : 33, "one management-fee bill per flat and month")
            XCTAssertGreaterThan(written.receipts, 0)
            let receipts = try await ReceiptModel.query(on: app.db).filter(\.$communityID == cid).all().map(\.domain)
            XCTAssertEqual(receipts.count, written.receipts)
            for (year, ofYear) in Dictionary(grouping: receipts, by: \.year) {
                XCTAssertEqual(ofYear.map(\.number).sorted(), Array(1...ofYear.count), "receipts of \(year) numbered without a gap")
                XCTAssertTrue(zip(ofYear.sorted { $0.number < $1.number }, ofYear.sorted { $0.number < $1.number }.dropFirst())
                    .allSatisfy { $0.issuedAt <= $1.issuedAt }, "numbered in the order of payment")
            }
            let allocations = try await PaymentAllocationModel.query(on: app.db).filter(\.$communityID == cid).all()
            let paid = Dictionary(grouping: allocations, by: \.billID).mapValues { $0.reduce(0) { $0 + $1.amountFen } }
            for bill in try await BillModel.query(on: app.db).filter(\.$communityID == cid).all() {
                XCTAssertEqual(bill.paidFen, paid[bill.id!] ?? 0)
                XCTAssertEqual(bill.outstandingFen, bill.amountFen - bill.creditedFen - bill.paidFen)
            }
            XCTAssertEqual(receipts.reduce(0) { $0 + $1.amountFen }, allocations.reduce(0) { $0 + $1.amountFen })
            // The next payment at the desk continues the year's numbers.
            if let open = try await app.store.fees.arrears(community: cid, area: nil).first {
                let next = try await app.store.fees.pay(.init(unitID: open.unitID, amountFen: 1, method: .cash, reference: "", payer: "业主"),
                                                        community: cid, by: desk)
                let ofYear = receipts.filter { $0.year == next.year }
                XCTAssertEqual(next.number, ofYear.count + 1)
            }
        }
    }

    /// Next month's bills, issued ahead, are not arrears until their month comes (FEE-3, INT-17).
    func testFEE3_aBillIssuedAheadIsNotOwedBeforeItsMonth() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id
            let head = Actor(userID: w.accounts["a.head"]!.id, name: "a.head")
            let month = DutyStore.month(of: app.propdesk.now(), timeZone: w.a.community.timeZone)
            _ = try await app.store.fees.saveItem(FeeItem(communityID: cid, code: "MGMT-R", name: "住宅物业服务费", basis: .perAreaMonth, unitKind: .residential,
                                                          rateFen: 235, legalBasis: "物价批复", custodyDiscount: false, fromMonth: month,
                                                          createdAt: app.propdesk.now()), by: head)
            let ahead = try await app.store.fees.runBilling(community: cid, period: FeeMonth.adding(1, to: month), by: head)
            XCTAssertEqual(ahead.billsCreated, 3)
            let before = try await app.store.fees.arrears(community: cid, area: nil)
            XCTAssertTrue(before.isEmpty, "next month's bills counted as owed: \(before)")
            let unitBefore = try await app.store.fees.unitArrears(w.a.units[0].id, community: w.a.community.id)
            XCTAssertNil(unitBefore)
            _ = try await app.store.fees.runBilling(community: cid, period: month, by: head)
            let now = try await app.store.fees.arrears(community: cid, area: nil)
            XCTAssertEqual(now.count, 3)
            XCTAssertTrue(now.allSatisfy { $0.months == 1 && $0.oldestPeriod == month })
        }
    }
}
