import XCTest
@testable import PropDeskCore

/// The non-repair paths at the desk (S1 2.4, S0 2.5, S4 4.9) on the pure machine: an inquiry
/// answered there and then, a complaint that ends only with its reply and return visit, the
/// callback recorded with what was heard — and whom the board proposes for an order.
final class DeskStepsTests: XCTestCase {
    func testINT5_anInquiryAnsweredAtTheDeskClosesWithItsClocksMet() throws {
        var walk = try OrderWalk(WO.draft(.inquiry, "物业费截止日期?"))
        XCTAssertNotNil(walk.clock(.response))
        try walk.apply(.answer(note: "每月 25 日前"), by: WO.frontDesk, at: WO.plus(2))
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.closeReason, "answered")
        XCTAssertEqual(walk.order.outcome, "每月 25 日前")
        XCTAssertFalse(walk.order.returnVisitRequired)
        XCTAssertEqual(walk.clock(.response)?.met, true)
        XCTAssertTrue(walk.clocks.allSatisfy(\.isStopped))
        XCTAssertEqual(walk.events.last?.kind, .answered)
    }

    func testINT5_onlyInquiriesSuggestionsAndQueriesAreAnsweredAtOnce() throws {
        for kind in RequestKind.allCases {
            var walk = try OrderWalk(WO.draft(kind, "说明一下情况"))
            let answered = (try? walk.apply(.answer(note: "已答复"), by: WO.frontDesk, at: WO.plus(1))) != nil
            XCTAssertEqual(answered, [.inquiry, .suggestion, .query].contains(kind), kind.rawValue)
        }
        var blank = try OrderWalk(WO.draft(.inquiry, "停车怎么办理?"))
        XCTAssertThrowsError(try blank.apply(.answer(note: "  "), by: WO.frontDesk, at: WO.plus(1)))
        XCTAssertEqual(blank.order.status, .received, "a refused step changes nothing")
    }

    func testINT8_aComplaintCannotBeWithdrawnUnlessLoggedByMistake() throws {
        var walk = try OrderWalk(WO.draft(.complaint, "保安态度差"), owner: WO.csManager)
        XCTAssertThrowsError(try walk.apply(.cancel(reason: "业户不追究了"), by: WO.frontDesk, at: WO.plus(1))) { e in
            XCTAssertEqual((e as? DomainError)?.code, "complaint_needs_return_visit")
        }
        try walk.apply(.cancel(reason: "误登:其实是咨询", loggedByMistake: true), by: WO.frontDesk, at: WO.plus(2))
        XCTAssertEqual(walk.order.status, .cancelled)
        XCTAssertEqual(walk.order.closeReason, "logged_by_mistake")
        XCTAssertEqual(walk.events.last?.data["loggedByMistake"], "true")
    }

    func testINT8_aComplaintIsRepliedToThenVisitedBackAndReopensIfTheResidentIsNotSatisfied() throws {
        var walk = try OrderWalk(WO.draft(.complaint, "楼道堆放杂物"), owner: WO.csManager)
        XCTAssertThrowsError(try walk.apply(.reply(opinion: "已核实", reply: ""), by: WO.frontDesk, at: WO.plus(1)))
        try walk.apply(.reply(opinion: "已核实,通知清理", reply: "三天内清理完毕"), by: WO.frontDesk, at: WO.plus(60))
        XCTAssertEqual(walk.order.status, .visitPending)
        XCTAssertEqual(walk.order.outcome, "三天内清理完毕")
        XCTAssertEqual(walk.events.last?.data["opinion"], "已核实,通知清理")
        XCTAssertEqual(walk.clock(.completion)?.met, true)
        // Answered, not yet visited: it can no longer be withdrawn.
        XCTAssertThrowsError(try walk.apply(.cancel(reason: "x", loggedByMistake: true), by: WO.frontDesk, at: WO.plus(61)))
        try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: false, answer: "还没清理")), by: WO.frontDesk, at: WO.plus(3 * 24 * 60))
        XCTAssertEqual(walk.order.status, .received)
        XCTAssertNil(walk.order.outcome, "a reopened complaint waits for a new reply")
        try walk.apply(.reply(opinion: "已清理", reply: "杂物已清理"), by: WO.frontDesk, at: WO.plus(4 * 24 * 60))
        try walk.apply(.returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "满意")), by: WO.frontDesk, at: WO.plus(5 * 24 * 60))
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.outcome, "杂物已清理")
        XCTAssertThrowsError(try OrderWalk(WO.draft(.repair, "灯不亮")).machine.apply(.reply(opinion: "a", reply: "b"),
            to: try OrderWalk(WO.draft(.repair, "灯不亮")).order, clocks: [], by: WO.frontDesk, at: WO.plus(1), nextEventSeq: 2))
    }

    func testINT7_aCallbackIsRecordedOnTheTimelineAndHiddenFromTheResident() throws {
        var walk = try OrderWalk(WO.draft(.repair, "水龙头滴水"))
        try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))
        let before = walk.order.status
        try walk.apply(.callBack(.noAnswer, note: ""), by: WO.frontDesk, at: WO.plus(22))
        try walk.apply(.callBack(.reached, note: "已解释"), by: WO.frontDesk, at: WO.plus(25))
        XCTAssertEqual(walk.order.status, before, "a call changes no state")
        let calls = walk.events.filter { $0.kind == .calledBack }
        XCTAssertEqual(calls.map { $0.data["outcome"] }, ["no_answer", "reached"])
        XCTAssertTrue(calls.allSatisfy { !$0.isShownToResidents })
        XCTAssertFalse(CallbackOutcome.noAnswer.closesTask)
        XCTAssertTrue(CallbackOutcome.engineerArrived.closesTask)
    }

    func testINT15_theBoardProposesTheLeastLoadedRuleMemberAndAvoidsOneOnAnEmergency() {
        let a = Assignee(id: WO.uuid(21), name: "甲"), b = Assignee(id: WO.uuid(22), name: "乙"), c = Assignee(id: WO.uuid(23), name: "丙")
        let everyone = [a, b, c]
        let water = DispatchRule(communityID: WO.communityID, position: 1, name: "水电班", category: .water, areaID: nil, members: [b, c])
        // No rule: the least loaded of everyone, first in order on a tie.
        XCTAssertEqual(DispatchRule.suggest([], category: .doorWindow, areaID: nil, everyone: everyone, load: [a.id: 3, b.id: 0, c.id: 0]), b)
        // A rule: only its members, the least loaded first.
        XCTAssertEqual(DispatchRule.suggest([water], category: .water, areaID: nil, everyone: everyone, load: [a.id: 0, b.id: 2, c.id: 1]), c)
        // Already on an emergency: proposed last even when holding fewer orders.
        XCTAssertEqual(DispatchRule.suggest([water], category: .water, areaID: nil, everyone: everyone, load: [b.id: 0, c.id: 1], onEmergency: [b.id]), c)
        XCTAssertNil(DispatchRule.suggest([], category: .water, areaID: nil, everyone: [], load: [:]))
    }
}
