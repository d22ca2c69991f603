import XCTest
@testable import PropDeskCore

/// INT-7: a running clock that passes its target raises an alert to the assignee, then the CS
/// manager, then the center head (emergency steps: 0, 5, 15 minutes after the due time).
final class EscalationTests: XCTestCase {
    private func dispatchedEmergency() throws -> OrderWalk {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        return walk
    }

    func testINT7_nothingFiresBeforeTheTarget() throws {
        var walk = try dispatchedEmergency()
        XCTAssertTrue(walk.fire(.arrival, at: WO.plus(14.99)).alerts.isEmpty)
        XCTAssertEqual(walk.clock(.arrival)?.level, 0)
        XCTAssertNil(walk.clock(.arrival)?.breachedAt)
    }

    func testINT7_emergencyArrivalEscalatesAssigneeThenCSManagerThenCenterHead() throws {
        var walk = try dispatchedEmergency()

        let first = walk.fire(.arrival, at: WO.plus(15))
        XCTAssertNil(first.action)
        XCTAssertEqual(first.alerts.count, 1)
        let toAssignee = try XCTUnwrap(first.alerts.first)
        XCTAssertEqual(toAssignee.kind, .overdue)
        XCTAssertEqual(toAssignee.clockKind, .arrival)
        XCTAssertEqual(toAssignee.level, .assignee)
        XCTAssertEqual(toAssignee.targetUserID, WO.engineerID)
        XCTAssertEqual(toAssignee.dueAt, WO.plus(15))
        XCTAssertEqual(toAssignee.raisedAt, WO.plus(15))
        XCTAssertEqual(toAssignee.communityID, WO.communityID)
        XCTAssertEqual(toAssignee.areaID, WO.areaID)
        XCTAssertFalse(toAssignee.message.zhHans.isEmpty)
        XCTAssertFalse(toAssignee.message.en.isEmpty)
        XCTAssertEqual(walk.clock(.arrival)?.level, 1)
        XCTAssertEqual(walk.clock(.arrival)?.breachedAt, WO.plus(15))
        XCTAssertEqual(walk.clock(.arrival)?.nextFireAt, WO.plus(20))
        // The clock keeps running after a breach: it is still to be stopped by the check-in.
        XCTAssertTrue(walk.clock(.arrival)!.isRunning)

        // Fired again before the next step: nothing new.
        XCTAssertTrue(walk.fire(.arrival, at: WO.plus(19)).alerts.isEmpty)

        let second = walk.fire(.arrival, at: WO.plus(20))
        XCTAssertEqual(second.alerts.map(\.level), [.csManager])
        XCTAssertNil(second.alerts.first?.targetUserID)
        XCTAssertEqual(walk.clock(.arrival)?.level, 2)
        XCTAssertEqual(walk.clock(.arrival)?.nextFireAt, WO.plus(30))

        let third = walk.fire(.arrival, at: WO.plus(30))
        XCTAssertEqual(third.alerts.map(\.level), [.centerHead])
        XCTAssertNil(third.alerts.first?.targetUserID)
        XCTAssertEqual(walk.clock(.arrival)?.level, 3)
        XCTAssertNil(walk.clock(.arrival)?.nextFireAt)

        // Nothing more to say, however late.
        XCTAssertTrue(walk.fire(.arrival, at: WO.plus(600)).alerts.isEmpty)
        XCTAssertEqual(walk.alerts.map(\.level), [.assignee, .csManager, .centerHead])
    }

    func testINT7_afterALongDowntimeOneFiringCatchesUpEveryLevel() throws {
        var walk = try dispatchedEmergency()
        let late = WO.plus(3 * 60)
        let fired = walk.fire(.arrival, at: late)
        XCTAssertEqual(fired.alerts.map(\.level), [.assignee, .csManager, .centerHead])
        XCTAssertEqual(fired.alerts.map(\.kind), [.overdue, .overdue, .overdue])
        XCTAssertTrue(fired.alerts.allSatisfy { $0.raisedAt == late })
        XCTAssertEqual(walk.clock(.arrival)?.level, 3)
        XCTAssertEqual(walk.clock(.arrival)?.breachedAt, WO.plus(15))
        XCTAssertNil(walk.clock(.arrival)?.nextFireAt)
    }

    func testINT7_undispatchedOrdersFirstAlertGoesToTheFrontDesk() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        let fired = walk.fire(.response, at: WO.plus(5))
        XCTAssertEqual(fired.alerts.count, 1)
        XCTAssertEqual(fired.alerts.first?.level, .frontDesk)
        XCTAssertNil(fired.alerts.first?.targetUserID)
        XCTAssertEqual(fired.alerts.first?.clockKind, .response)
        XCTAssertEqual(walk.fire(.response, at: WO.plus(10)).alerts.map(\.level), [.csManager])
    }

    func testINT7_normalPriorityUsesItsOwnSteps() throws {
        // Normal: 0, 2 h, 8 h after the due time (wall time once overdue).
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), at: WO.local(2026, 9, 22, 9, 0))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.local(2026, 9, 22, 9, 1))
        XCTAssertEqual(walk.fire(.arrival, at: WO.local(2026, 9, 22, 11, 0)).alerts.map(\.level), [.assignee])
        XCTAssertEqual(walk.clock(.arrival)?.nextFireAt, WO.local(2026, 9, 22, 13, 0))
        XCTAssertEqual(walk.fire(.arrival, at: WO.local(2026, 9, 22, 19, 0)).alerts.map(\.level), [.csManager, .centerHead])
    }

    func testINT7_contractEscalationStepsAreHonoured() throws {
        let machine = OrderMachine(contract: ServiceContract(escalationSteps: [.emergency: [0, 60]]))
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"), machine: machine)
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        XCTAssertEqual(walk.fire(.arrival, at: WO.plus(16)).alerts.map(\.level), [.assignee, .csManager])
        XCTAssertNil(walk.clock(.arrival)?.nextFireAt)
    }

    func testINT7_stoppedClockNeverEscalates() throws {
        var walk = try dispatchedEmergency()
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(12))
        XCTAssertTrue(walk.fire(.arrival, at: WO.plus(60)).alerts.isEmpty)
        XCTAssertEqual(walk.clock(.arrival)?.met, true)
    }

    func testINT7_alertsAreAddressedToThePersonOrTheRole() throws {
        var walk = try dispatchedEmergency()
        let alerts = walk.fire(.arrival, at: WO.plus(30)).alerts
        let engineer = Principal(userID: WO.engineerID, username: "wang", displayName: "王师傅", role: .engineer,
                                 scopes: [Scope(communityID: WO.communityID)])
        let manager = Principal(userID: WO.csManagerID, username: "chen", displayName: "陈经理", role: .csManager,
                                scopes: [Scope(communityID: WO.communityID)])
        XCTAssertTrue(alerts[0].isFor(engineer))
        XCTAssertFalse(alerts[0].isFor(manager))
        XCTAssertTrue(alerts[1].isFor(manager))
        XCTAssertFalse(alerts[1].isFor(engineer))
    }
}
