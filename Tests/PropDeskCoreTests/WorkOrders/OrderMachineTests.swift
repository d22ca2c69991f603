import XCTest
@testable import PropDeskCore

/// INT-5: the life cycle of a work order, each step timestamped with its actor, nothing erased;
/// reassign, hold, cancel, reopen; illegal transitions refused with a clear error.
final class OrderMachineTests: XCTestCase {

    // MARK: Happy path

    func testINT5_happyPathFromReceivedToClosedAppendsEveryStepInOrder() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 1)
        XCTAssertEqual(walk.order.status, .received)
        XCTAssertFalse(walk.order.returnVisitRequired)
        XCTAssertEqual(walk.order.version, 1)
        XCTAssertEqual(walk.order.createdByID, WO.frontDeskID)
        XCTAssertEqual(walk.order.createdAt, WO.t0)

        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(2))
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertEqual(walk.order.assigneeID, WO.engineerID)
        XCTAssertEqual(walk.order.assigneeName, "王师傅")
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(4))
        XCTAssertEqual(walk.order.status, .accepted)
        try walk.apply(.contact(note: "约好 30 分钟后上门"), by: WO.engineerActor, at: WO.plus(6))
        XCTAssertEqual(walk.order.status, .contacted)
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(30))
        XCTAssertEqual(walk.order.status, .onSite)
        try walk.apply(.complete(note: "更换角阀"), by: WO.engineerActor, at: WO.plus(60))
        XCTAssertEqual(walk.order.status, .completed)
        XCTAssertEqual(walk.order.completedAt, WO.plus(60))
        try walk.apply(.signOff(rating: 5, comment: "师傅很专业", onResidentDevice: true), by: WO.resident, at: WO.plus(62))
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.closeReason, "accepted")
        XCTAssertEqual(walk.order.closedAt, WO.plus(62))
        XCTAssertEqual(walk.order.rating, 5)
        XCTAssertEqual(walk.order.ratingComment, "师傅很专业")
        XCTAssertEqual(walk.order.version, 7)
        XCTAssertEqual(walk.order.updatedAt, WO.plus(62))

        let events = walk.events
        XCTAssertEqual(events.map(\.kind), [.created, .dispatched, .accepted, .contacted, .checkedIn, .completed, .signedOff])
        XCTAssertEqual(events.map(\.seq), Array(1...7))
        XCTAssertEqual(events.map(\.at), [WO.t0, WO.plus(2), WO.plus(4), WO.plus(6), WO.plus(30), WO.plus(60), WO.plus(62)])
        XCTAssertEqual(events.map(\.actorID), [WO.frontDeskID, WO.frontDeskID, WO.engineerID, WO.engineerID, WO.engineerID,
                                               WO.engineerID, WO.residentID])
        XCTAssertEqual(events.map(\.actorName), ["前台小李", "前台小李", "王师傅", "王师傅", "王师傅", "王师傅", "业主张先生"])
        XCTAssertEqual(events.map(\.from), [nil, .received, .dispatched, .accepted, .contacted, .onSite, .completed])
        XCTAssertEqual(events.map(\.to), [.received, .dispatched, .accepted, .contacted, .onSite, .completed, .closed])
        XCTAssertTrue(events.allSatisfy { $0.orderID == walk.order.id && $0.communityID == WO.communityID })
        XCTAssertEqual(events[1].data["assigneeId"], WO.engineerID.uuidString)
        XCTAssertEqual(events[3].note, "约好 30 分钟后上门")
        XCTAssertEqual(events[5].note, "更换角阀")
        XCTAssertEqual(events[6].data["rating"], "5")
        XCTAssertEqual(events[6].data["onResidentDevice"], "true")
        // Every clock is finished once the order is closed.
        XCTAssertTrue(walk.clocks.allSatisfy(\.isStopped))
    }

    func testINT5_sampledOrderGoesToReturnVisitThenCloses() throws {
        // At 10 %, seq 10 is in the sample.
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 10)
        XCTAssertTrue(walk.order.returnVisitRequired)
        let done = try walk.walkToCompleted()
        try walk.apply(.signOff(rating: 4, comment: "", onResidentDevice: false), by: WO.engineerActor, at: WO.plus(5, done))
        XCTAssertEqual(walk.order.status, .visitPending)
        XCTAssertNil(walk.order.closedAt)
        XCTAssertNil(walk.events.last?.note)
        XCTAssertNil(walk.events.last?.data["onResidentDevice"])
        try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "满意")), by: WO.frontDesk, at: WO.plus(60 * 24, done))
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.closeReason, "returned")
        XCTAssertEqual(walk.events.suffix(3).map(\.kind), [.completed, .signedOff, .returnVisited])
        XCTAssertEqual(walk.events.map(\.seq), Array(1...walk.events.count))
    }

    func testINT5_emergencyEngineerMayCheckInWithoutAcceptingFirst() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(9))
        XCTAssertEqual(walk.order.status, .onSite)
        XCTAssertEqual(walk.clock(.response)?.stoppedAt, WO.plus(9))
        XCTAssertEqual(walk.clock(.arrival)?.met, true)
    }

    func testINT5_visitKindCannotCompleteBeforeCheckingIn() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        assertIllegal(expectDomainError(try walk.apply(.complete(note: "done"), by: WO.engineerActor, at: WO.plus(3))))
    }

    func testINT5_kindWithoutAVisitCompletesWithoutCheckIn() throws {
        var walk = try OrderWalk(WO.draft(.inquiry, "请问物业费怎么交"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        assertIllegal(expectDomainError(try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(3))))
        try walk.apply(.complete(note: "已电话告知缴费方式"), by: WO.engineerActor, at: WO.plus(4))
        XCTAssertEqual(walk.order.status, .completed)
    }

    func testINT5_emergencyOfANonVisitKindCanBeCheckedInAndCompleted() throws {
        // An emergency always gets a 15-minute arrival clock (S0 2.3), whatever its kind; so
        // whoever goes must be able to check in, or the order could never be completed.
        var walk = try OrderWalk(WO.draft(.inquiry, "楼道停电了,什么时候来电?"))
        XCTAssertEqual(walk.order.priority, .emergency)
        XCTAssertNotNil(walk.clock(.arrival))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(10))
        XCTAssertEqual(walk.clock(.arrival)?.met, true)
        try walk.apply(.complete(note: "已恢复供电"), by: WO.engineerActor, at: WO.plus(30))
        XCTAssertEqual(walk.order.status, .completed)
    }

    func testINT6_disputeGetsItsContractArrivalClock() throws {
        // The standard contract gives disputes a 4-hour arrival target; a supervisor goes there.
        XCTAssertEqual(ServiceContract().target(kind: .dispute, priority: .normal).arrival, 4 * 3600)
        var walk = try OrderWalk(WO.draft(.dispute, "楼上装修声太吵"))
        XCTAssertNotNil(walk.clock(.arrival))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(30))
        XCTAssertEqual(walk.clock(.arrival)?.met, true)
        try walk.apply(.complete(note: "已协调"), by: WO.engineerActor, at: WO.plus(60))
        XCTAssertEqual(walk.order.status, .completed)
    }

    // MARK: Illegal transitions

    func testINT5_checkInOnAReceivedOrderIsIllegal() throws {
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        let error = expectDomainError(try walk.machine.apply(.checkIn, to: walk.order, clocks: walk.clocks, by: WO.engineerActor,
                                                             at: WO.plus(1), nextEventSeq: 2))
        assertIllegal(error)
        XCTAssertTrue(error?.message.zhHans.contains("已受理") ?? false, error?.message.zhHans ?? "")
        XCTAssertEqual(error?.message.en, "The order is received; you cannot check in on site now.")
    }

    func testINT5_completeOnACancelledOrderIsIllegal() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.cancel(reason: "业主已自行修好"), by: WO.frontDesk, at: WO.plus(2))
        assertIllegal(expectDomainError(try walk.apply(.complete(note: "done"), by: WO.engineerActor, at: WO.plus(3))))
        assertIllegal(expectDomainError(try walk.apply(.cancel(reason: "again"), by: WO.frontDesk, at: WO.plus(3))))
        assertIllegal(expectDomainError(try walk.apply(.reopen(reason: "again"), by: WO.frontDesk, at: WO.plus(3))))
    }

    func testINT5_resumeWhenNotOnHoldIsIllegal() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        assertIllegal(expectDomainError(try walk.apply(.resume, by: WO.frontDesk, at: WO.plus(1))))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        assertIllegal(expectDomainError(try walk.apply(.resume, by: WO.frontDesk, at: WO.plus(2))))
    }

    func testINT5_stepsOutOfOrderOnAReceivedOrderAreAllIllegal() throws {
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        let actions: [OrderAction] = [
            .accept, .contact(note: "x"), .checkIn, .complete(note: "x"),
            .signOff(rating: 5, comment: "", onResidentDevice: false), .reject(rating: 1, comment: "x", onResidentDevice: false),
            .returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "x")), .resume, .reopen(reason: "x"), .autoClose,
            .take(WO.engineer), .reassign(WO.otherEngineer, reason: "x"), .resolveByIncident(note: "x"), .hold(reason: "x"),
        ]
        for action in actions {
            let error = expectDomainError(try walk.machine.apply(action, to: walk.order, clocks: walk.clocks, by: WO.engineerActor,
                                                                 at: WO.plus(1), nextEventSeq: 2))
            XCTAssertEqual(error?.kind, .conflict, action.name)
            XCTAssertFalse(error?.message.zhHans.isEmpty ?? true, action.name)
            XCTAssertFalse(error?.message.en.isEmpty ?? true, action.name)
        }
    }

    func testINT5_dispatchingTwiceIsIllegal() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        assertIllegal(expectDomainError(try walk.apply(.dispatch(WO.otherEngineer), by: WO.frontDesk, at: WO.plus(2))))
    }

    func testINT5_closedOrderRefusesWork() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        let done = try walk.walkToCompleted()
        try walk.apply(.signOff(rating: 5, comment: "", onResidentDevice: true), by: WO.resident, at: WO.plus(1, done))
        for action: OrderAction in [.checkIn, .complete(note: "x"), .hold(reason: "x"), .cancel(reason: "x"), .autoClose,
                                    .signOff(rating: 5, comment: "", onResidentDevice: true)] {
            assertIllegal(expectDomainError(try walk.apply(action, by: WO.engineerActor, at: WO.plus(2, done))))
        }
    }

    // MARK: Only the assignee

    func testINT5_onlyTheAssigneeMayAcceptCheckInAndComplete() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        for intruder in [WO.otherEngineerActor, WO.frontDesk, PropDeskCore.Actor.console("x")] {
            let error = expectDomainError(try walk.apply(.accept, by: intruder, at: WO.plus(2)))
            XCTAssertEqual(error?.kind, .forbidden)
            XCTAssertEqual(error?.code, "not_assignee")
            XCTAssertFalse(error?.message.zhHans.isEmpty ?? true)
            XCTAssertFalse(error?.message.en.isEmpty ?? true)
        }
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        XCTAssertEqual(expectDomainError(try walk.apply(.contact(note: ""), by: WO.otherEngineerActor, at: WO.plus(3)))?.code, "not_assignee")
        XCTAssertEqual(expectDomainError(try walk.apply(.checkIn, by: WO.otherEngineerActor, at: WO.plus(3)))?.code, "not_assignee")
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(10))
        let error = expectDomainError(try walk.apply(.complete(note: "done"), by: WO.otherEngineerActor, at: WO.plus(20)))
        XCTAssertEqual(error?.kind, .forbidden)
        XCTAssertEqual(error?.code, "not_assignee")
        XCTAssertEqual(walk.order.status, .onSite)
    }

    // MARK: Reasons

    func testINT5_cancelNeedsAReason() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        assertInvalid(expectDomainError(try walk.apply(.cancel(reason: ""), by: WO.frontDesk, at: WO.plus(1))), field: "reason")
        assertInvalid(expectDomainError(try walk.apply(.cancel(reason: "  \n "), by: WO.frontDesk, at: WO.plus(1))), field: "reason")
        XCTAssertEqual(walk.order.status, .received)
    }

    func testINT5_holdNeedsAReason() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        assertInvalid(expectDomainError(try walk.apply(.hold(reason: " "), by: WO.engineerActor, at: WO.plus(2))), field: "reason")
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertTrue(walk.clocks.filter { !$0.isStopped }.allSatisfy(\.isRunning))
    }

    func testINT5_reopenAndReassignNeedAReason() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        assertInvalid(expectDomainError(try walk.apply(.reassign(WO.otherEngineer, reason: ""), by: WO.frontDesk, at: WO.plus(2))),
                      field: "reason")
        XCTAssertEqual(walk.order.assigneeID, WO.engineerID)

        var done = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        let at = try done.walkToCompleted()
        assertInvalid(expectDomainError(try done.apply(.reopen(reason: ""), by: WO.frontDesk, at: WO.plus(1, at))), field: "reason")
        XCTAssertEqual(done.order.status, .completed)
        try done.apply(.reopen(reason: "业主来电说仍然滴水"), by: WO.frontDesk, at: WO.plus(1, at))
        XCTAssertEqual(done.order.status, .dispatched)
        XCTAssertEqual(done.order.reopenCount, 1)
        XCTAssertEqual(done.events.last?.kind, .reopened)
    }

    func testINT5_cancelRecordsTheReasonAndStopsEveryClock() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.cancel(reason: "业主已自行关阀,明天再约"), by: WO.frontDesk, at: WO.plus(3))
        XCTAssertEqual(walk.order.status, .cancelled)
        XCTAssertEqual(walk.order.closeReason, "cancelled")
        XCTAssertEqual(walk.order.closedAt, WO.plus(3))
        XCTAssertEqual(walk.events.last?.kind, .cancelled)
        XCTAssertEqual(walk.events.last?.note, "业主已自行关阀,明天再约")
        XCTAssertEqual(walk.clocks.count, 4)
        XCTAssertTrue(walk.clocks.allSatisfy { $0.stoppedAt == WO.plus(3) && $0.nextFireAt == nil })
    }

    func testINT5_cancelWhileOnHoldStopsThePausedClocks() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.hold(reason: "等待配件"), by: WO.frontDesk, at: WO.plus(3))
        try walk.apply(.cancel(reason: "业主取消"), by: WO.frontDesk, at: WO.plus(13))
        XCTAssertTrue(walk.clocks.allSatisfy { $0.isStopped && $0.pausedAt == nil && $0.heldSeconds == 600 })
    }

    // MARK: Value semantics

    func testINT5_aRefusedStepLeavesTheOrderAndItsClocksUntouched() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        let order = walk.order
        let clocks = walk.clocks
        let events = walk.events
        _ = expectDomainError(try walk.apply(.complete(note: "done"), by: WO.engineerActor, at: WO.plus(2)))
        _ = expectDomainError(try walk.apply(.hold(reason: ""), by: WO.engineerActor, at: WO.plus(2)))
        _ = expectDomainError(try walk.apply(.accept, by: WO.otherEngineerActor, at: WO.plus(2)))
        XCTAssertEqual(walk.order, order)
        XCTAssertEqual(walk.clocks, clocks)
        XCTAssertEqual(walk.events, events)

        // And a successful step returns a new value without touching the one handed in.
        let t = try walk.machine.apply(.accept, to: order, clocks: clocks, by: WO.engineerActor, at: WO.plus(3), nextEventSeq: 3)
        XCTAssertEqual(t.order.status, .accepted)
        XCTAssertEqual(order.status, .dispatched)
        XCTAssertEqual(order.version, 2)
        XCTAssertTrue(clocks.allSatisfy { $0.stoppedAt == nil })
    }

    // MARK: Reassign and pool (INT-15 by hand)

    func testINT5_INT15_reassignKeepsTheHistoryAndSendsTheOrderBackToDispatched() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(2))
        try walk.apply(.reassign(WO.otherEngineer, reason: "王师傅请假"), by: WO.frontDesk, at: WO.plus(5))
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertEqual(walk.order.assigneeID, WO.otherEngineerID)
        XCTAssertEqual(walk.events.map(\.kind), [.created, .dispatched, .accepted, .reassigned])
        XCTAssertEqual(walk.events.last?.data["from"], "王师傅")
        XCTAssertEqual(walk.events.last?.data["assignee"], "赵师傅")
        XCTAssertEqual(walk.events.last?.note, "王师傅请假")
        // The old engineer can no longer act; the new one can.
        XCTAssertEqual(expectDomainError(try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(6)))?.code, "not_assignee")
        try walk.apply(.accept, by: WO.otherEngineerActor, at: WO.plus(6))
        // Reassigning to the same person is refused.
        XCTAssertEqual(expectDomainError(try walk.apply(.reassign(WO.otherEngineer, reason: "x"), by: WO.frontDesk, at: WO.plus(7)))?.code,
                       "same_assignee")
    }

    func testINT5_reassignWhileOnHoldResumesToDispatched() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(10))
        try walk.apply(.hold(reason: "等待配件"), by: WO.engineerActor, at: WO.plus(20))
        try walk.apply(.reassign(WO.otherEngineer, reason: "换人"), by: WO.frontDesk, at: WO.plus(30))
        XCTAssertEqual(walk.order.status, .onHold)
        try walk.apply(.resume, by: WO.frontDesk, at: WO.plus(40))
        XCTAssertEqual(walk.order.status, .dispatched)
    }

    // MARK: Intake checks (INT-3)

    func testINT3_openValidatesTheDraft() throws {
        assertInvalid(expectDomainError(try WO.standard.open(WO.draft(.repair, "   "), number: "N", seq: 1, by: WO.frontDesk, at: WO.t0)),
                      field: "description")
        var noPlace = WO.draft(.repair, "路灯不亮")
        noPlace.unitID = nil
        assertInvalid(expectDomainError(try WO.standard.open(noPlace, number: "N", seq: 1, by: WO.frontDesk, at: WO.t0)), field: "location")
        noPlace.location = "3 栋门口"
        XCTAssertNoThrow(try WO.standard.open(noPlace, number: "N", seq: 1, by: WO.frontDesk, at: WO.t0))
        var badPhone = WO.draft(.repair, "路灯不亮")
        badPhone.contactPhone = "12345"
        assertInvalid(expectDomainError(try WO.standard.open(badPhone, number: "N", seq: 1, by: WO.frontDesk, at: WO.t0)),
                      field: "contactPhone")
    }
}
