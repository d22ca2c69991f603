import XCTest
@testable import PropDeskCore

/// INT-10: paid convenience services (S3) — the price is agreed before work, any extra cost needs
/// the resident's consent, recorded; settlement after acceptance with a receipt number.
final class PaidServiceTests: XCTestCase {
    private func paidOrder(seq: Int = 1) throws -> OrderWalk {
        try OrderWalk(WO.draft(.paidService, "上门疏通下水道", listPrice: 8_000), seq: seq)
    }

    func testINT10_fullPaidServiceFromPriceToReceipt() throws {
        var walk = try paidOrder()
        XCTAssertEqual(walk.order.listPrice, 8_000)
        XCTAssertNil(walk.order.total)
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        try walk.apply(.agreePrice(fen: 8_000), by: WO.engineerActor, at: WO.plus(3))
        XCTAssertEqual(walk.order.agreedPrice, 8_000)
        XCTAssertEqual(walk.order.status, .accepted)
        XCTAssertEqual(walk.events.last?.kind, .priceAgreed)
        XCTAssertEqual(walk.events.last?.data["agreedPrice"], "8000")
        XCTAssertEqual(walk.events.last?.data["listPrice"], "8000")

        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(30))
        try walk.apply(.addExtra(fen: 1_500, note: "更换存水弯", consentBy: "张先生"), by: WO.engineerActor, at: WO.plus(40))
        XCTAssertEqual(walk.order.extras, 1_500)
        XCTAssertEqual(walk.order.total, 9_500)
        XCTAssertEqual(walk.events.last?.kind, .extraConsented)
        XCTAssertEqual(walk.events.last?.data["consentBy"], "张先生")
        XCTAssertEqual(walk.events.last?.data["amount"], "1500")
        XCTAssertEqual(walk.events.last?.note, "更换存水弯")
        try walk.apply(.addExtra(fen: 500, note: "加装密封圈", consentBy: "张先生"), by: WO.engineerActor, at: WO.plus(45))
        XCTAssertEqual(walk.order.total, 10_000)

        try walk.apply(.complete(note: "已疏通"), by: WO.engineerActor, at: WO.plus(60))
        // Not before acceptance.
        assertIllegal(expectDomainError(try walk.apply(.settle(receipt: "SJ-0001"), by: WO.frontDesk, at: WO.plus(61))))
        try walk.apply(.signOff(rating: 5, comment: "", onResidentDevice: true), by: WO.resident, at: WO.plus(65))
        XCTAssertEqual(walk.order.status, .closed)

        assertInvalid(expectDomainError(try walk.apply(.settle(receipt: "  "), by: WO.frontDesk, at: WO.plus(70))), field: "receiptNumber")
        try walk.apply(.settle(receipt: "SJ-2026-0001"), by: WO.frontDesk, at: WO.plus(70))
        XCTAssertEqual(walk.order.receiptNumber, "SJ-2026-0001")
        XCTAssertEqual(walk.order.settledAt, WO.plus(70))
        XCTAssertEqual(walk.events.last?.kind, .settled)
        XCTAssertEqual(walk.events.last?.data["total"], "10000")
        XCTAssertEqual(walk.events.last?.data["receiptNumber"], "SJ-2026-0001")

        let twice = expectDomainError(try walk.apply(.settle(receipt: "SJ-2026-0002"), by: WO.frontDesk, at: WO.plus(71)))
        XCTAssertEqual(twice?.kind, .conflict)
        XCTAssertEqual(twice?.code, "cannot_settle")
        XCTAssertEqual(walk.order.receiptNumber, "SJ-2026-0001")
    }

    func testINT10_settleWhileAwaitingReturnVisitIsAllowed() throws {
        var walk = try paidOrder(seq: 10)
        try walk.apply(.agreePrice(fen: 5_000), by: WO.frontDesk, at: WO.plus(1))
        let done = try walk.walkToCompleted(from: WO.plus(2))
        try walk.apply(.signOff(rating: 5, comment: "", onResidentDevice: true), by: WO.resident, at: WO.plus(1, done))
        XCTAssertEqual(walk.order.status, .visitPending)
        try walk.apply(.settle(receipt: "SJ-0009"), by: WO.frontDesk, at: WO.plus(2, done))
        XCTAssertEqual(walk.order.total, 5_000)
    }

    func testINT10_completingWithoutAnAgreedPriceIsRefused() throws {
        var walk = try paidOrder()
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(30))
        let error = expectDomainError(try walk.apply(.complete(note: "已疏通"), by: WO.engineerActor, at: WO.plus(60)))
        XCTAssertEqual(error?.kind, .conflict)
        XCTAssertEqual(error?.code, "price_not_agreed")
        XCTAssertFalse(error?.message.zhHans.isEmpty ?? true)
        XCTAssertFalse(error?.message.en.isEmpty ?? true)
        XCTAssertEqual(walk.order.status, .onSite)
    }

    func testINT10_priceIsAgreedBeforeWorkNotOnSite() throws {
        var walk = try paidOrder()
        // Allowed from registration up to contacting the resident.
        try walk.apply(.agreePrice(fen: 6_000), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(2))
        try walk.apply(.agreePrice(fen: 7_000), by: WO.frontDesk, at: WO.plus(3))
        XCTAssertEqual(walk.order.agreedPrice, 7_000)
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(30))
        assertIllegal(expectDomainError(try walk.apply(.agreePrice(fen: 9_000), by: WO.engineerActor, at: WO.plus(31))))
        XCTAssertEqual(walk.order.agreedPrice, 7_000)
    }

    func testINT10_extraCostOnlyOnSiteAndOnlyWithConsent() throws {
        var walk = try paidOrder()
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        try walk.apply(.agreePrice(fen: 8_000), by: WO.engineerActor, at: WO.plus(3))
        // Not before arriving.
        assertIllegal(expectDomainError(try walk.apply(.addExtra(fen: 1_000, note: "材料", consentBy: "张先生"), by: WO.engineerActor,
                                                       at: WO.plus(4))))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(30))
        assertInvalid(expectDomainError(try walk.apply(.addExtra(fen: 1_000, note: "材料", consentBy: " "), by: WO.engineerActor,
                                                       at: WO.plus(31))), field: "consentBy")
        assertInvalid(expectDomainError(try walk.apply(.addExtra(fen: 1_000, note: "", consentBy: "张先生"), by: WO.engineerActor,
                                                       at: WO.plus(31))), field: "note")
        assertInvalid(expectDomainError(try walk.apply(.addExtra(fen: 0, note: "材料", consentBy: "张先生"), by: WO.engineerActor,
                                                       at: WO.plus(31))), field: "amount")
        assertInvalid(expectDomainError(try walk.apply(.addExtra(fen: -100, note: "材料", consentBy: "张先生"), by: WO.engineerActor,
                                                       at: WO.plus(31))), field: "amount")
        XCTAssertEqual(walk.order.extras, 0)
        XCTAssertEqual(walk.order.total, 8_000)
    }

    func testINT10_extraNeedsAnAgreedBasePrice() throws {
        var walk = try paidOrder()
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(30))
        let error = expectDomainError(try walk.apply(.addExtra(fen: 1_000, note: "材料", consentBy: "张先生"), by: WO.engineerActor,
                                                     at: WO.plus(31)))
        XCTAssertEqual(error?.code, "price_not_agreed")
    }

    func testINT10_priceMustBeSensible() throws {
        var walk = try paidOrder()
        assertInvalid(expectDomainError(try walk.apply(.agreePrice(fen: -1), by: WO.frontDesk, at: WO.plus(1))), field: "agreedPrice")
        assertInvalid(expectDomainError(try walk.apply(.agreePrice(fen: 100_000_001), by: WO.frontDesk, at: WO.plus(1))), field: "agreedPrice")
        assertInvalid(expectDomainError(try OrderWalk(WO.draft(.paidService, "上门疏通下水道", listPrice: -5))), field: "listPrice")
    }

    func testINT10_priceStepsOnARepairAreNotPaidService() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        for action: OrderAction in [.agreePrice(fen: 100), .addExtra(fen: 100, note: "x", consentBy: "y"), .settle(receipt: "R1")] {
            let error = expectDomainError(try walk.apply(action, by: WO.frontDesk, at: WO.plus(1)))
            XCTAssertEqual(error?.kind, .conflict, action.name)
            XCTAssertEqual(error?.code, "not_paid_service", action.name)
        }
    }

    func testINT10_cancelledPaidServiceCannotBeSettled() throws {
        var walk = try paidOrder()
        try walk.apply(.agreePrice(fen: 5_000), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.cancel(reason: "业主不需要了"), by: WO.frontDesk, at: WO.plus(2))
        assertIllegal(expectDomainError(try walk.apply(.settle(receipt: "R1"), by: WO.frontDesk, at: WO.plus(3))))
    }

    func testINT10_moneyIsShownInYuan() {
        XCTAssertEqual(Money.yuan(9_500), "¥95.00")
        XCTAssertEqual(Money.yuan(5), "¥0.05")
        XCTAssertEqual(Money.yuan(-1_234), "-¥12.34")
    }
}

/// INT-18: a completed order that the resident neither accepts nor rejects closes itself after
/// a configurable number of days (default 7), recorded as such.
final class AutoCloseTests: XCTestCase {
    func testINT18_completingStartsAnAutoCloseClockDueAfterSevenDays() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        let done = try walk.walkToCompleted()
        let clock = try XCTUnwrap(walk.clock(.autoClose))
        XCTAssertEqual(clock.startedAt, done)
        XCTAssertEqual(clock.dueAt, done.addingTimeInterval(7 * 86400))
        XCTAssertEqual(clock.nextFireAt, clock.dueAt)
        XCTAssertFalse(clock.serviceHoursOnly)
        XCTAssertTrue(clock.isRunning)
    }

    func testINT18_firingTheAutoCloseClockClosesTheOrderWithReasonAuto() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 1)
        let done = try walk.walkToCompleted()
        let due = done.addingTimeInterval(7 * 86400)
        XCTAssertNil(walk.fire(.autoClose, at: due.addingTimeInterval(-1)).action)

        let fired = walk.fire(.autoClose, at: due)
        XCTAssertEqual(fired.action, .autoClose)
        XCTAssertTrue(fired.alerts.isEmpty)
        XCTAssertNil(walk.clock(.autoClose)?.nextFireAt)
        // The sweeper does not ask twice.
        XCTAssertNil(walk.fire(.autoClose, at: due.addingTimeInterval(60)).action)

        try walk.apply(.autoClose, by: WO.sweeper, at: due)
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.closeReason, "auto")
        XCTAssertEqual(walk.order.closedAt, due)
        XCTAssertNil(walk.order.rating)
        XCTAssertEqual(walk.events.last?.kind, .autoClosed)
        XCTAssertEqual(walk.events.last?.data["days"], "7")
        XCTAssertEqual(walk.events.last?.actorName, "console:sweeper")
        XCTAssertNil(walk.events.last?.actorID)
        XCTAssertEqual(walk.clock(.autoClose)?.stoppedAt, due)
        assertIllegal(expectDomainError(try walk.apply(.autoClose, by: WO.sweeper, at: due)))
    }

    func testINT18_autoCloseOfASampledOrderWaitsForItsReturnVisit() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 10)
        let done = try walk.walkToCompleted()
        let due = done.addingTimeInterval(7 * 86400)
        XCTAssertEqual(walk.fire(.autoClose, at: due).action, .autoClose)
        try walk.apply(.autoClose, by: WO.sweeper, at: due)
        XCTAssertEqual(walk.order.status, .visitPending)
        XCTAssertNil(walk.order.closedAt)
        XCTAssertNil(walk.order.closeReason)
    }

    func testINT18_contractAutoCloseDaysAreHonoured() throws {
        let machine = OrderMachine(contract: ServiceContract(autoCloseDays: 3))
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), machine: machine)
        let done = try walk.walkToCompleted()
        XCTAssertEqual(walk.clock(.autoClose)?.dueAt, done.addingTimeInterval(3 * 86400))
        try walk.apply(.autoClose, by: WO.sweeper, at: done.addingTimeInterval(3 * 86400))
        XCTAssertEqual(walk.events.last?.data["days"], "3")
    }

    func testINT18_autoCloseDoesNothingWhenTheOrderIsNoLongerCompleted() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        let done = try walk.walkToCompleted()
        // Reopened by the front desk, yet the sweeper still holds the old clock value.
        let stale = try XCTUnwrap(walk.clock(.autoClose))
        try walk.apply(.reopen(reason: "业主来电仍有问题"), by: WO.frontDesk, at: WO.plus(60, done))
        let result = walk.machine.fire(stale, of: walk.order, at: done.addingTimeInterval(7 * 86400))
        XCTAssertNil(result.action)
        XCTAssertTrue(result.alerts.isEmpty)
    }
}
