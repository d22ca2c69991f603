import XCTest
@testable import PropDeskCore

/// INT-6: three timed steps (response, arrival, completion) per kind × priority from the
/// community's contract; emergencies 15 minutes to site, 24/7 (S0 2.3); others on service
/// hours; time on hold stops the clock; a resident's later expected time moves arrival.
final class SLAClockTests: XCTestCase {
    private let minute: TimeInterval = 60

    func testINT6_emergencyOrderGetsResponseArrivalAndCompletionClocks() throws {
        let walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        XCTAssertEqual(Set(walk.clocks.map(\.kind)), [.response, .arrival, .completion])
        XCTAssertEqual(walk.clocks.count, 3)
        for clock in walk.clocks {
            XCTAssertEqual(clock.subjectID, walk.order.id)
            XCTAssertEqual(clock.communityID, WO.communityID)
            XCTAssertEqual(clock.round, 1)
            XCTAssertEqual(clock.startedAt, WO.t0)
            XCTAssertFalse(clock.serviceHoursOnly)
            XCTAssertEqual(clock.nextFireAt, clock.dueAt)
            XCTAssertEqual(clock.level, 0)
            XCTAssertTrue(clock.isRunning)
            XCTAssertNil(clock.met)
        }
        XCTAssertEqual(walk.clock(.response)?.dueAt, WO.plus(5))
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.plus(15))
        XCTAssertEqual(walk.clock(.arrival)?.targetSeconds, 900)
        XCTAssertEqual(walk.clock(.completion)?.dueAt, WO.plus(4 * 60))
    }

    func testINT6_emergencyArrivalIsFifteenMinutesEvenAt3AMOnAHoliday() throws {
        // National Day, a holiday in this community's contract, outside service hours.
        let machine = OrderMachine(contract: ServiceContract(hours: ServiceHours(weekdays: Set(1...5), holidays: ["2026-10-01"])))
        let threeAM = WO.local(2026, 10, 1, 3, 0)
        let walk = try OrderWalk(WO.draft(.repair, "楼上返水,室内返水严重"), machine: machine, at: threeAM)
        XCTAssertEqual(walk.order.priority, .emergency)
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.local(2026, 10, 1, 3, 15))
        XCTAssertEqual(walk.clock(.response)?.dueAt, WO.local(2026, 10, 1, 3, 5))
        XCTAssertEqual(walk.clock(.completion)?.dueAt, WO.local(2026, 10, 1, 7, 0))
    }

    func testINT6_emergencyOfAnyKindIsAlways24x7EvenIfTheContractSaysServiceHours() throws {
        var contract = ServiceContract()
        contract.targets.insert(ServiceContract.Target(priority: .emergency, response: 300, arrival: 900, completion: 3600,
                                                       serviceHoursOnly: true), at: 0)
        let walk = try OrderWalk(WO.draft(.repair, "停电了"), machine: OrderMachine(contract: contract),
                                 at: WO.local(2026, 9, 22, 23, 0))
        XCTAssertEqual(walk.clock(.arrival)?.serviceHoursOnly, false)
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.local(2026, 9, 22, 23, 15))
    }

    func testINT6_normalRepairAt1750HasItsTwoHourArrivalDueNextDayAt1020() throws {
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), at: WO.local(2026, 9, 22, 17, 50))
        XCTAssertEqual(walk.order.priority, .normal)
        let arrival = try XCTUnwrap(walk.clock(.arrival))
        XCTAssertTrue(arrival.serviceHoursOnly)
        XCTAssertEqual(arrival.targetSeconds, 2 * 3600)
        XCTAssertEqual(arrival.dueAt, WO.local(2026, 9, 23, 10, 20))
        XCTAssertEqual(arrival.nextFireAt, WO.local(2026, 9, 23, 10, 20))
        // 30 minutes response: 10 today, 20 tomorrow.
        XCTAssertEqual(walk.clock(.response)?.dueAt, WO.local(2026, 9, 23, 8, 50))
        // 24 hours of clock time at 9.5 hours a day: 10 min + 9.5 h + 9.5 h + 4 h 50 min.
        XCTAssertEqual(walk.clock(.completion)?.dueAt, WO.local(2026, 9, 25, 13, 20))
    }

    func testINT6_normalRepairSkipsHolidays() throws {
        let machine = OrderMachine(contract: ServiceContract(hours: ServiceHours(holidays: ["2026-10-01"])))
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), machine: machine, at: WO.local(2026, 9, 30, 17, 50))
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.local(2026, 10, 2, 10, 20))
    }

    func testINT6_urgentRepairRunsAroundTheClock() throws {
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水", priority: .urgent), at: WO.local(2026, 9, 22, 23, 0))
        XCTAssertEqual(walk.clock(.arrival)?.serviceHoursOnly, false)
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.local(2026, 9, 23, 0, 0))
    }

    func testINT6_kindsWithoutAVisitHaveNoArrivalClock() throws {
        let inquiry = try OrderWalk(WO.draft(.inquiry, "请问物业费怎么交"))
        XCTAssertEqual(Set(inquiry.clocks.map(\.kind)), [.response, .completion])
    }

    func testINT6_holdPausesEveryRunningClockAndResumeMovesDueByTheTimeHeld() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        XCTAssertEqual(Set(walk.clocks.map(\.kind)), [.response, .arrival, .completion, .callback])
        let before = Dictionary(uniqueKeysWithValues: walk.clocks.map { ($0.kind, $0.dueAt) })

        try walk.apply(.hold(reason: "等业主回家开门"), by: WO.engineerActor, at: WO.plus(5))
        XCTAssertEqual(walk.order.status, .onHold)
        XCTAssertEqual(walk.order.heldFrom, .dispatched)
        XCTAssertEqual(walk.order.holdReason, "等业主回家开门")
        XCTAssertEqual(walk.events.last?.kind, .held)
        XCTAssertEqual(walk.events.last?.note, "等业主回家开门")
        for clock in walk.clocks {
            XCTAssertFalse(clock.isRunning, "\(clock.kind)")
            XCTAssertEqual(clock.pausedAt, WO.plus(5), "\(clock.kind)")
            XCTAssertNil(clock.nextFireAt, "\(clock.kind)")
            XCTAssertEqual(clock.remainingAtPause, Int(before[clock.kind]!.timeIntervalSince(WO.plus(5))), "\(clock.kind)")
            XCTAssertEqual(clock.secondsLeft(at: WO.plus(30), hours: ServiceHours()), clock.remainingAtPause)
        }
        // A paused clock never fires.
        XCTAssertTrue(walk.fire(.arrival, at: WO.plus(60)).alerts.isEmpty)

        try walk.apply(.resume, by: WO.engineerActor, at: WO.plus(35))
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertNil(walk.order.heldFrom)
        XCTAssertNil(walk.order.holdReason)
        XCTAssertEqual(walk.events.last?.kind, .resumed)
        for clock in walk.clocks {
            XCTAssertTrue(clock.isRunning, "\(clock.kind)")
            XCTAssertEqual(clock.dueAt, before[clock.kind]!.addingTimeInterval(30 * minute), "\(clock.kind)")
            XCTAssertEqual(clock.nextFireAt, clock.dueAt, "\(clock.kind)")
            XCTAssertEqual(clock.heldSeconds, 30 * 60, "\(clock.kind)")
            XCTAssertNil(clock.pausedAt)
            XCTAssertNil(clock.remainingAtPause)
        }
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.plus(45))
    }

    func testINT6_holdOnAServiceHoursClockKeepsTheClockTimeLeft() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), at: WO.local(2026, 9, 22, 9, 0))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.local(2026, 9, 22, 9, 5))
        try walk.apply(.hold(reason: "等待配件"), by: WO.frontDesk, at: WO.local(2026, 9, 22, 10, 0))
        XCTAssertEqual(walk.clock(.arrival)?.remainingAtPause, 3600)
        try walk.apply(.resume, by: WO.frontDesk, at: WO.local(2026, 9, 22, 17, 30))
        // One hour of clock time left: 30 minutes today, 30 tomorrow from 08:30.
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.local(2026, 9, 23, 9, 0))
        XCTAssertEqual(walk.clock(.arrival)?.heldSeconds, 7 * 3600 + 1800)
    }

    func testINT6_holdFromOnSiteResumesOnSite() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(10))
        try walk.apply(.hold(reason: "等待配件"), by: WO.engineerActor, at: WO.plus(20))
        XCTAssertEqual(walk.order.heldFrom, .onSite)
        // Stopped clocks stay stopped, running ones pause.
        XCTAssertTrue(walk.clock(.arrival)!.isStopped)
        XCTAssertNotNil(walk.clock(.completion)?.pausedAt)
        try walk.apply(.resume, by: WO.engineerActor, at: WO.plus(60))
        XCTAssertEqual(walk.order.status, .onSite)
        XCTAssertTrue(walk.clock(.arrival)!.isStopped)
    }

    func testINT6_expectedTimeLaterThanTheTargetPushesArrival() throws {
        let expected = WO.local(2026, 9, 23, 15, 0)
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水", expectedAt: expected), at: WO.local(2026, 9, 22, 9, 0))
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, expected)
        XCTAssertEqual(walk.clock(.arrival)?.nextFireAt, expected)
        // Response is not moved by the resident's wish.
        XCTAssertEqual(walk.clock(.response)?.dueAt, WO.local(2026, 9, 22, 9, 30))
    }

    func testINT6_expectedTimeEarlierThanTheTargetChangesNothing() throws {
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水", expectedAt: WO.local(2026, 9, 22, 9, 30)),
                                 at: WO.local(2026, 9, 22, 9, 0))
        XCTAssertEqual(walk.clock(.arrival)?.dueAt, WO.local(2026, 9, 22, 11, 0))
    }

    func testINT6_acceptStopsResponseAndCheckInStopsArrivalAndRecordsWhetherMet() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: WO.engineerActor, at: WO.plus(3))
        XCTAssertEqual(walk.clock(.response)?.stoppedAt, WO.plus(3))
        XCTAssertEqual(walk.clock(.response)?.met, true)
        XCTAssertNil(walk.clock(.response)?.nextFireAt)
        // Late by two minutes.
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(17))
        XCTAssertEqual(walk.clock(.arrival)?.stoppedAt, WO.plus(17))
        XCTAssertEqual(walk.clock(.arrival)?.breachedAt, WO.plus(15))
        XCTAssertEqual(walk.clock(.arrival)?.met, false)
        XCTAssertTrue(walk.clock(.completion)!.isRunning)
    }

    func testINT6_clocksSurviveARestartAsCodableValues() throws {
        let walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        let data = try JSONEncoder().encode(walk.clocks)
        XCTAssertEqual(try JSONDecoder().decode([SLAClock].self, from: data), walk.clocks)
    }
}

/// INT-6 / S4 4.9: a dispatched repair with nobody on site after 20 minutes → the front desk
/// calls the resident, explains and agrees a time.
final class CallbackClockTests: XCTestCase {
    func testINT6_S4_4_9_dispatchingARepairStartsACallbackClockDueTwentyMinutesLater() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), at: WO.local(2026, 9, 22, 9, 0))
        XCTAssertNil(walk.clock(.callback))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.local(2026, 9, 22, 9, 2))
        let callback = try XCTUnwrap(walk.clock(.callback))
        XCTAssertEqual(callback.dueAt, WO.local(2026, 9, 22, 9, 22))
        XCTAssertEqual(callback.nextFireAt, callback.dueAt)
        XCTAssertEqual(callback.targetSeconds, 20 * 60)
        XCTAssertFalse(callback.serviceHoursOnly)
    }

    func testINT6_S4_4_9_nobodyOnSiteAfterTwentyMinutesTellsTheFrontDeskToCall() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), at: WO.local(2026, 9, 22, 9, 0))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.local(2026, 9, 22, 9, 2))
        XCTAssertTrue(walk.fire(.callback, at: WO.local(2026, 9, 22, 9, 21, 59)).alerts.isEmpty)

        let fired = walk.fire(.callback, at: WO.local(2026, 9, 22, 9, 22))
        XCTAssertNil(fired.action)
        XCTAssertEqual(fired.alerts.count, 1)
        let alert = try XCTUnwrap(fired.alerts.first)
        XCTAssertEqual(alert.kind, .callback)
        XCTAssertEqual(alert.level, .frontDesk)
        XCTAssertEqual(alert.clockKind, .callback)
        XCTAssertNil(alert.targetUserID)
        XCTAssertEqual(alert.subjectID, walk.order.id)
        XCTAssertEqual(alert.subjectLabel, walk.order.number)
        XCTAssertEqual(alert.raisedAt, WO.local(2026, 9, 22, 9, 22))
        XCTAssertFalse(alert.message.zhHans.isEmpty)
        XCTAssertFalse(alert.message.en.isEmpty)
        // Once only.
        XCTAssertTrue(walk.clock(.callback)!.isStopped)
        XCTAssertTrue(walk.fire(.callback, at: WO.local(2026, 9, 22, 10, 0)).alerts.isEmpty)
    }

    func testINT6_S4_4_9_engineerOnSiteInTimeStopsTheCallback() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), at: WO.local(2026, 9, 22, 9, 0))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.local(2026, 9, 22, 9, 2))
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.local(2026, 9, 22, 9, 15))
        XCTAssertEqual(walk.clock(.callback)?.stoppedAt, WO.local(2026, 9, 22, 9, 15))
        XCTAssertNil(walk.clock(.callback)?.nextFireAt)
        XCTAssertTrue(walk.fire(.callback, at: WO.local(2026, 9, 22, 9, 22)).alerts.isEmpty)
    }

    func testINT6_S4_4_9_emergencyRepairAlsoGetsACallback() throws {
        var walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        XCTAssertEqual(walk.clock(.callback)?.dueAt, WO.plus(21))
    }

    func testINT6_S4_4_9_theCallbackIsForRepairsOnly() throws {
        var help = try OrderWalk(WO.draft(.help, "老人摔倒需要帮忙"))
        try help.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        XCTAssertNil(help.clock(.callback))
    }

    func testINT6_S4_4_9_contractCallbackTimeIsUsed() throws {
        let machine = OrderMachine(contract: ServiceContract(callbackAfter: 10 * 60))
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), machine: machine)
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        XCTAssertEqual(walk.clock(.callback)?.dueAt, WO.plus(11))
    }
}
