import XCTest
@testable import PropDeskCore

/// INT-12: every complaint and a configurable sample (default ≥ 10 %) of other completed orders
/// get a return visit, recorded with the resident's answer; a bad answer reopens or escalates
/// (INT-19).
final class ReturnVisitTests: XCTestCase {

    // MARK: Sampling

    func testINT12_tenPercentSamplesExactlyTenOfEveryHundredConsecutiveOrders() {
        for start in [1, 2, 37, 100, 101, 999, 12_345] {
            let hits = (start..<(start + 100)).filter { OrderMachine.sampled(seq: $0, percent: 10) }
            XCTAssertEqual(hits.count, 10, "from \(start)")
        }
        XCTAssertEqual((1...100).filter { OrderMachine.sampled(seq: $0, percent: 10) }, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    }

    func testINT12_twentyFivePercentSamplesExactlyTwentyFive() {
        for start in [1, 51, 77, 1_000] {
            let hits = (start..<(start + 100)).filter { OrderMachine.sampled(seq: $0, percent: 25) }
            XCTAssertEqual(hits.count, 25, "from \(start)")
        }
    }

    func testINT12_edgeSharesAndSeqs() {
        XCTAssertFalse(OrderMachine.sampled(seq: 0, percent: 100))
        XCTAssertFalse(OrderMachine.sampled(seq: -5, percent: 100))
        XCTAssertTrue((1...100).allSatisfy { OrderMachine.sampled(seq: $0, percent: 100) })
        XCTAssertEqual((1...100).filter { OrderMachine.sampled(seq: $0, percent: 33) }.count, 33)
    }

    func testINT12_openingUsesTheContractShare() throws {
        XCTAssertTrue(try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 10).order.returnVisitRequired)
        XCTAssertFalse(try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 11).order.returnVisitRequired)
        let quarter = OrderMachine(contract: ServiceContract(returnVisitPercent: 25))
        XCTAssertTrue(try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), machine: quarter, seq: 4).order.returnVisitRequired)
        XCTAssertFalse(try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), machine: quarter, seq: 5).order.returnVisitRequired)
    }

    // MARK: Visits

    /// A sampled repair, done and signed off, waiting for its return visit.
    private func pending() throws -> (OrderWalk, Date) {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 10)
        let done = try walk.walkToCompleted()
        try walk.apply(.signOff(rating: 4, comment: "", onResidentDevice: true), by: WO.resident, at: WO.plus(5, done))
        XCTAssertEqual(walk.order.status, .visitPending)
        return (walk, WO.plus(24 * 60, done))
    }

    func testINT12_satisfiedReturnVisitClosesWithReasonReturned() throws {
        var (walk, at) = try pending()
        try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "修好了,很满意")), by: WO.frontDesk, at: at)
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.closeReason, "returned")
        XCTAssertEqual(walk.order.closedAt, at)
        let event = try XCTUnwrap(walk.events.last)
        XCTAssertEqual(event.kind, .returnVisited)
        XCTAssertEqual(event.note, "修好了,很满意")
        XCTAssertEqual(event.data["method"], "phone")
        XCTAssertEqual(event.data["satisfied"], "true")
        XCTAssertEqual(event.actorID, WO.frontDeskID)
        XCTAssertTrue(walk.alerts.isEmpty)
        // One return visit per order.
        let again = expectDomainError(try walk.apply(.returnVisit(ReturnVisit(method: .inPerson, satisfied: true, answer: "好")),
                                                     by: WO.frontDesk, at: WO.plus(1, at)))
        XCTAssertEqual(again?.kind, .conflict)
        XCTAssertEqual(again?.code, "already_visited")
    }

    func testINT12_INT19_badReturnVisitWithReopenReopensTheOrder() throws {
        var (walk, at) = try pending()
        let t = try walk.apply(.returnVisit(ReturnVisit(method: .inPerson, satisfied: false, answer: "又漏了", onDissatisfied: .reopen)),
                               by: WO.frontDesk, at: at)
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertEqual(walk.order.reopenCount, 1)
        XCTAssertNil(walk.order.closedAt)
        XCTAssertNil(walk.order.closeReason)
        XCTAssertEqual(t.events.map(\.kind), [.returnVisited, .reopened])
        XCTAssertEqual(t.events.first?.data["satisfied"], "false")
        XCTAssertEqual(t.alerts.map(\.kind), [.dissatisfied])
        XCTAssertEqual(t.alerts.map(\.level), [.csManager])
        XCTAssertNil(t.complaint)
        XCTAssertEqual(Set(walk.clocks.filter { $0.round == 2 }.map(\.kind)), [.arrival, .completion, .callback])
    }

    func testINT12_INT19_badReturnVisitWithComplaintClosesAndYieldsAComplaintDraft() throws {
        var (walk, at) = try pending()
        let t = try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: false, answer: "师傅乱收费", onDissatisfied: .complaint)),
                               by: WO.frontDesk, at: at)
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.closeReason, "returned")
        XCTAssertEqual(walk.order.reopenCount, 0)
        XCTAssertEqual(t.events.map(\.kind), [.returnVisited, .turnedIntoComplaint])
        let draft = try XCTUnwrap(t.complaint)
        XCTAssertEqual(draft.kind, .complaint)
        XCTAssertEqual(draft.parentID, walk.order.id)
        XCTAssertTrue(draft.description.contains("师傅乱收费"))
        XCTAssertEqual(t.alerts.map(\.kind), [.dissatisfied])
        XCTAssertEqual(t.alerts.map(\.level), [.csManager])
    }

    func testINT12_returnVisitNeedsAnAnswer() throws {
        var (walk, at) = try pending()
        assertInvalid(expectDomainError(try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: " ")),
                                                       by: WO.frontDesk, at: at)), field: "answer")
        XCTAssertEqual(walk.order.status, .visitPending)
    }

    func testINT12_returnVisitOnAnOrderStillInWorkIsIllegal() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: 10)
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        assertIllegal(expectDomainError(try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "好")),
                                                       by: WO.frontDesk, at: WO.plus(2))))
    }
}

/// INT-8: complaints have a named owner, always get a return visit, and the CS manager hears of
/// each new one.
final class ComplaintTests: XCTestCase {
    func testINT8_complaintHasAnOwnerAlwaysAReturnVisitAndAlertsTheCSManager() throws {
        // seq 1 is outside the 10 % sample: the return visit comes from the kind alone.
        let walk = try OrderWalk(WO.draft(.complaint, "保安态度恶劣"), seq: 1, owner: WO.csManager)
        XCTAssertEqual(walk.order.kind, .complaint)
        XCTAssertTrue(walk.order.returnVisitRequired)
        XCTAssertEqual(walk.order.ownerID, WO.csManagerID)
        XCTAssertEqual(walk.order.ownerName, "客服经理陈")
        XCTAssertEqual(walk.alerts.count, 1)
        let alert = try XCTUnwrap(walk.alerts.first)
        XCTAssertEqual(alert.kind, .complaint)
        XCTAssertEqual(alert.level, .csManager)
        XCTAssertNil(alert.targetUserID)
        XCTAssertEqual(alert.subjectID, walk.order.id)
        XCTAssertFalse(alert.message.zhHans.isEmpty)
        XCTAssertFalse(alert.message.en.isEmpty)
        // A complaint has no arrival on site, only response and completion.
        XCTAssertEqual(Set(walk.clocks.map(\.kind)), [.response, .completion])
        XCTAssertEqual(walk.clock(.completion)?.targetSeconds, 3 * 86400)
    }

    func testINT8_ownerIsOnlyRecordedForComplaints() throws {
        let walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), owner: WO.csManager)
        XCTAssertNil(walk.order.ownerID)
        XCTAssertTrue(walk.alerts.isEmpty)
    }

    func testINT8_complaintRunsToAReturnVisitAndKeepsItsOutcome() throws {
        var walk = try OrderWalk(WO.draft(.complaint, "保安态度恶劣"), seq: 1, owner: WO.csManager)
        let manager = PropDeskCore.Actor(userID: WO.csManagerID, name: "客服经理陈")
        try walk.apply(.dispatch(WO.csManager), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: manager, at: WO.plus(5))
        try walk.apply(.complete(note: "已约谈保安班长并道歉"), by: manager, at: WO.plus(120))
        try walk.apply(.signOff(rating: 4, comment: "", onResidentDevice: false), by: manager, at: WO.plus(121))
        XCTAssertEqual(walk.order.status, .visitPending)
        try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "接受道歉")), by: WO.frontDesk, at: WO.plus(60 * 24))
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.outcome, "接受道歉")
    }

    func testINT8_INT19_dissatisfiedReturnVisitOnAComplaintReopensItRatherThanNestingComplaints() throws {
        var walk = try OrderWalk(WO.draft(.complaint, "保安态度恶劣"), seq: 1, owner: WO.csManager)
        let manager = PropDeskCore.Actor(userID: WO.csManagerID, name: "客服经理陈")
        try walk.apply(.dispatch(WO.csManager), by: WO.frontDesk, at: WO.plus(1))
        try walk.apply(.accept, by: manager, at: WO.plus(5))
        try walk.apply(.complete(note: "已约谈"), by: manager, at: WO.plus(120))
        try walk.apply(.signOff(rating: 3, comment: "", onResidentDevice: false), by: manager, at: WO.plus(121))
        let t = try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: false, answer: "没有改善", onDissatisfied: .complaint)),
                               by: WO.frontDesk, at: WO.plus(60 * 24))
        XCTAssertNil(t.complaint)
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertEqual(walk.order.reopenCount, 1)
        XCTAssertEqual(t.alerts.map(\.kind), [.dissatisfied])
    }
}
