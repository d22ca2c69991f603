import XCTest
@testable import PropDeskCore

/// Shared, fixed values for the work-order tests (INT-4 … INT-19). Time is always injected:
/// `WO.t0` plus offsets, or a fixed local time in Asia/Shanghai. Nothing reads the wall clock.
enum WO {
    /// Monday 2026-09-21 22:13:20 in Asia/Shanghai (14:13:20 UTC).
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// `minutes` after `base`.
    static func plus(_ minutes: Double, _ base: Date = t0) -> Date { base.addingTimeInterval(minutes * 60) }

    static let shanghai: TimeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// A fixed local wall time in Asia/Shanghai (the service hours' default zone).
    static func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    static func uuid(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))! }

    static let communityID = uuid(1)
    static let areaID = uuid(2)
    static let otherAreaID = uuid(3)
    static let buildingID = uuid(4)
    static let otherBuildingID = uuid(5)
    static let unitID = uuid(6)

    static let frontDeskID = uuid(10)
    static let engineerID = uuid(11)
    static let otherEngineerID = uuid(12)
    static let residentID = uuid(13)
    static let csManagerID = uuid(14)

    static let frontDesk = PropDeskCore.Actor(userID: frontDeskID, name: "前台小李")
    static let engineerActor = PropDeskCore.Actor(userID: engineerID, name: "王师傅")
    static let otherEngineerActor = PropDeskCore.Actor(userID: otherEngineerID, name: "赵师傅")
    static let resident = PropDeskCore.Actor(userID: residentID, name: "业主张先生")
    static let sweeper = PropDeskCore.Actor.console("sweeper")

    static let engineer = Assignee(id: engineerID, name: "王师傅")
    static let otherEngineer = Assignee(id: otherEngineerID, name: "赵师傅")
    static let csManager = Assignee(id: csManagerID, name: "客服经理陈")

    static let standard = OrderMachine(contract: ServiceContract())

    static func draft(_ kind: RequestKind = .repair, _ text: String, category: PropDeskCore.Category? = nil,
                      priority: Priority? = nil, expectedAt: Date? = nil, listPrice: Int? = nil,
                      buildingID: UUID? = WO.buildingID) -> OrderDraft {
        OrderDraft(communityID: communityID, kind: kind, channel: .hotline, category: category, priority: priority,
                   unitID: unitID, buildingID: buildingID, areaID: areaID, requesterID: residentID, contactName: "张先生",
                   contactPhone: "13800138000", description: text, expectedAt: expectedAt, listPrice: listPrice)
    }
}

/// One order walked through the machine: keeps the order, every clock, the whole timeline and
/// every alert, as the store would.
struct OrderWalk {
    let machine: OrderMachine
    var order: WorkOrder
    var clocks: [SLAClock]
    var events: [OrderEvent]
    var alerts: [Alert]
    var complaint: OrderDraft?

    init(_ draft: OrderDraft, machine: OrderMachine = WO.standard, seq: Int = 1, incidentID: UUID? = nil,
         owner: Assignee? = nil, by actor: PropDeskCore.Actor = WO.frontDesk, at now: Date = WO.t0) throws {
        self.machine = machine
        let t = try machine.open(draft, id: WO.uuid(1000 + seq), number: String(format: "CHHY-2609-%05d", seq), seq: seq,
                                 incidentID: incidentID, owner: owner, by: actor, at: now)
        order = t.order
        clocks = t.clocks
        events = t.events
        alerts = t.alerts
        complaint = t.complaint
    }

    @discardableResult
    mutating func apply(_ action: OrderAction, by actor: PropDeskCore.Actor, at now: Date) throws -> Transition {
        let t = try machine.apply(action, to: order, clocks: clocks, by: actor, at: now, nextEventSeq: events.count + 1)
        order = t.order
        clocks = t.clocks
        events += t.events
        alerts += t.alerts
        complaint = t.complaint
        return t
    }

    /// The clock of this kind and round.
    func clock(_ kind: ClockKind, round: Int = 1, file: StaticString = #filePath, line: UInt = #line) -> SLAClock? {
        let found = clocks.filter { $0.kind == kind && $0.round == round }
        XCTAssertLessThanOrEqual(found.count, 1, "more than one \(kind) clock in round \(round)", file: file, line: line)
        return found.first
    }

    /// Runs the sweeper on one clock at `now`, as the background service would.
    @discardableResult
    mutating func fire(_ kind: ClockKind, round: Int = 1, at now: Date,
                       file: StaticString = #filePath, line: UInt = #line) -> (alerts: [Alert], action: OrderAction?) {
        guard let i = clocks.firstIndex(where: { $0.kind == kind && $0.round == round }) else {
            XCTFail("no \(kind) clock in round \(round)", file: file, line: line)
            return ([], nil)
        }
        let result = machine.fire(clocks[i], of: order, at: now)
        clocks[i] = result.clock
        alerts += result.alerts
        return (result.alerts, result.action)
    }

    /// received → dispatched → accepted → contacted → on site → completed, one step a minute
    /// from `start`; returns the time of completion.
    @discardableResult
    mutating func walkToCompleted(from start: Date = WO.plus(1)) throws -> Date {
        try apply(.dispatch(WO.engineer), by: WO.frontDesk, at: start)
        try apply(.accept, by: WO.engineerActor, at: WO.plus(1, start))
        try apply(.contact(note: "十分钟后到"), by: WO.engineerActor, at: WO.plus(2, start))
        try apply(.checkIn, by: WO.engineerActor, at: WO.plus(10, start))
        let done = WO.plus(40, start)
        try apply(.complete(note: "已更换角阀"), by: WO.engineerActor, at: done)
        return done
    }
}

/// Checks that `error` is the refusal of an illegal step, with a message in both languages.
func assertIllegal(_ error: DomainError?, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(error?.kind, .conflict, file: file, line: line)
    XCTAssertEqual(error?.code, "illegal_transition", file: file, line: line)
    XCTAssertFalse(error?.message.zhHans.isEmpty ?? true, file: file, line: line)
    XCTAssertFalse(error?.message.en.isEmpty ?? true, file: file, line: line)
}

/// Checks that `error` is an invalid-input error about `field`.
func assertInvalid(_ error: DomainError?, field: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(error?.kind, .invalidInput, file: file, line: line)
    XCTAssertEqual(error?.code, "invalid_input", file: file, line: line)
    XCTAssertEqual(error?.details.first?.field, field, file: file, line: line)
    XCTAssertFalse(error?.message.zhHans.isEmpty ?? true, file: file, line: line)
    XCTAssertFalse(error?.message.en.isEmpty ?? true, file: file, line: line)
}
