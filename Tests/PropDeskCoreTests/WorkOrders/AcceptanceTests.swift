import XCTest
@testable import PropDeskCore

/// INT-11: the resident signs off, rates 1–5 and comments; a failed acceptance reopens the order.
/// INT-19: a failed acceptance or a bad rating reopens the order or turns it into a complaint
/// with the CS manager notified — never just a number.
final class AcceptanceTests: XCTestCase {
    private func completed(seq: Int = 1) throws -> (OrderWalk, Date) {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), seq: seq)
        let done = try walk.walkToCompleted()
        return (walk, done)
    }

    func testINT11_INT19_rejectAtSignOffReopensWithANewRoundOfClocks() throws {
        var (walk, done) = try completed()
        let at = WO.plus(30, done)
        let roundOne = walk.clocks
        XCTAssertEqual(Set(roundOne.map(\.kind)), [.response, .arrival, .completion, .callback, .autoClose])

        let t = try walk.apply(.reject(rating: 2, comment: "还在滴水", onResidentDevice: true), by: WO.resident, at: at)
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertEqual(walk.order.assigneeID, WO.engineerID)
        XCTAssertEqual(walk.order.reopenCount, 1)
        XCTAssertTrue(walk.order.returnVisitRequired)
        XCTAssertNil(walk.order.completedAt)
        XCTAssertNil(walk.order.closedAt)
        XCTAssertEqual(walk.order.rating, 2)
        XCTAssertEqual(walk.order.ratingComment, "还在滴水")

        // Round one is kept, every clock of it stopped; the auto-close stops now.
        let old = walk.clocks.filter { $0.round == 1 }
        XCTAssertEqual(old.count, roundOne.count)
        XCTAssertTrue(old.allSatisfy(\.isStopped))
        XCTAssertEqual(walk.clock(.autoClose)?.stoppedAt, at)
        // Round two: arrival and completion again (someone already holds it, so no response),
        // plus the no-show callback for a repair.
        let fresh = walk.clocks.filter { $0.round == 2 }
        XCTAssertEqual(Set(fresh.map(\.kind)), [.arrival, .completion, .callback])
        XCTAssertTrue(fresh.allSatisfy { $0.isRunning && $0.startedAt == at })
        XCTAssertEqual(walk.clock(.callback, round: 2)?.dueAt, WO.plus(20, at))

        XCTAssertEqual(t.events.map(\.kind), [.rejected, .reopened])
        XCTAssertEqual(t.events.first?.data["rating"], "2")
        XCTAssertEqual(t.events.first?.data["onResidentDevice"], "true")
        XCTAssertEqual(t.events.first?.note, "还在滴水")
        XCTAssertTrue(t.events.allSatisfy { $0.from == .completed && $0.to == .dispatched && $0.actorID == WO.residentID })

        XCTAssertEqual(t.alerts.count, 1)
        XCTAssertEqual(t.alerts.first?.kind, .dissatisfied)
        XCTAssertEqual(t.alerts.first?.level, .csManager)
        XCTAssertNil(t.alerts.first?.targetUserID)
        XCTAssertNil(t.complaint)

        // The second round runs like the first: check in again, complete, sign off.
        try walk.apply(.checkIn, by: WO.engineerActor, at: WO.plus(15, at))
        XCTAssertEqual(walk.clock(.arrival, round: 2)?.met, true)
        try walk.apply(.complete(note: "更换整个龙头"), by: WO.engineerActor, at: WO.plus(40, at))
        XCTAssertNotNil(walk.clock(.autoClose, round: 2))
        try walk.apply(.signOff(rating: 5, comment: "", onResidentDevice: true), by: WO.resident, at: WO.plus(45, at))
        // A reopened order always gets a return visit.
        XCTAssertEqual(walk.order.status, .visitPending)
    }

    func testINT11_rejectNeedsAComment() throws {
        var (walk, done) = try completed()
        assertInvalid(expectDomainError(try walk.apply(.reject(rating: 2, comment: " ", onResidentDevice: true), by: WO.resident,
                                                       at: WO.plus(1, done))), field: "comment")
        XCTAssertEqual(walk.order.status, .completed)
    }

    func testINT11_ratingMustBeOneToFive() throws {
        var (walk, done) = try completed()
        for rating in [0, 6, -1] {
            assertInvalid(expectDomainError(try walk.apply(.signOff(rating: rating, comment: "", onResidentDevice: true), by: WO.resident,
                                                           at: WO.plus(1, done))), field: "rating")
            assertInvalid(expectDomainError(try walk.apply(.reject(rating: rating, comment: "不好", onResidentDevice: true), by: WO.resident,
                                                           at: WO.plus(1, done))), field: "rating")
        }
        XCTAssertEqual(walk.order.status, .completed)
        for rating in 1...5 {
            XCTAssertNoThrow(try walk.machine.apply(.signOff(rating: rating, comment: "", onResidentDevice: true), to: walk.order,
                                                    clocks: walk.clocks, by: WO.resident, at: WO.plus(1, done), nextEventSeq: 7))
        }
    }

    func testINT19_ratingOfOneAtSignOffOpensAComplaintDraftAndAlertsTheCSManager() throws {
        var (walk, done) = try completed()
        let t = try walk.apply(.signOff(rating: 1, comment: "态度很差", onResidentDevice: true), by: WO.resident, at: WO.plus(5, done))
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.rating, 1)
        XCTAssertEqual(t.events.map(\.kind), [.signedOff, .turnedIntoComplaint])
        XCTAssertEqual(t.events.map(\.seq), [7, 8])

        let draft = try XCTUnwrap(t.complaint)
        XCTAssertEqual(draft.kind, .complaint)
        XCTAssertEqual(draft.parentID, walk.order.id)
        XCTAssertEqual(draft.communityID, WO.communityID)
        XCTAssertEqual(draft.unitID, WO.unitID)
        XCTAssertEqual(draft.requesterID, WO.residentID)
        XCTAssertEqual(draft.contactPhone, "13800138000")
        XCTAssertEqual(draft.category, walk.order.category)
        XCTAssertEqual(draft.priority, .urgent)
        XCTAssertTrue(draft.description.contains(walk.order.number), draft.description)
        XCTAssertTrue(draft.description.contains("态度很差"), draft.description)

        XCTAssertEqual(t.alerts.map(\.kind), [.dissatisfied])
        XCTAssertEqual(t.alerts.map(\.level), [.csManager])

        // The draft opens as a real complaint with its own owner and return visit (INT-8).
        let complaint = try OrderWalk(draft, seq: 2, owner: WO.csManager, at: WO.plus(6, done))
        XCTAssertEqual(complaint.order.kind, .complaint)
        XCTAssertEqual(complaint.order.parentID, walk.order.id)
        XCTAssertEqual(complaint.order.ownerID, WO.csManagerID)
        XCTAssertTrue(complaint.order.returnVisitRequired)
        XCTAssertEqual(complaint.order.priority, .urgent)
    }

    func testINT19_ratingAtTheDissatisfactionLineCountsAsDissatisfied() throws {
        // Default line: 2 and below.
        var (two, done) = try completed()
        let bad = try two.apply(.signOff(rating: 2, comment: "一般般", onResidentDevice: false), by: WO.engineerActor, at: WO.plus(1, done))
        XCTAssertNotNil(bad.complaint)
        var (three, done3) = try completed()
        let fair = try three.apply(.signOff(rating: 3, comment: "", onResidentDevice: false), by: WO.engineerActor, at: WO.plus(1, done3))
        XCTAssertNil(fair.complaint)
        XCTAssertTrue(fair.alerts.isEmpty)
        XCTAssertEqual(fair.events.map(\.kind), [.signedOff])
    }

    func testINT19_contractDissatisfactionLineIsHonoured() throws {
        let machine = OrderMachine(contract: ServiceContract(dissatisfiedAtOrBelow: 3))
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"), machine: machine)
        let done = try walk.walkToCompleted()
        let t = try walk.apply(.signOff(rating: 3, comment: "", onResidentDevice: true), by: WO.resident, at: WO.plus(1, done))
        XCTAssertNotNil(t.complaint)
    }

    func testINT11_signOffStopsTheAutoCloseClock() throws {
        var (walk, done) = try completed()
        try walk.apply(.signOff(rating: 5, comment: "", onResidentDevice: true), by: WO.resident, at: WO.plus(60, done))
        XCTAssertEqual(walk.clock(.autoClose)?.stoppedAt, WO.plus(60, done))
        XCTAssertNil(walk.fire(.autoClose, at: WO.plus(8 * 24 * 60, done)).action)
    }
}
