import Foundation

/// The timed steps of an order (INT-6), the two timers that act on their own (the S4 4.9
/// no-show callback and the INT-18 auto-close), and the plain deadline any other subject has
/// (a duty's period, a correction date) (PLT-2).
public enum ClockKind: String, Sendable, Codable, CaseIterable {
    /// Until someone accepts the order.
    case response
    /// Until the engineer checks in on site.
    case arrival
    /// Until the work is done.
    case completion
    /// Dispatched repair, nobody on site after 20 minutes → the front desk calls the resident.
    case callback
    /// Completed and neither accepted nor rejected → closes itself.
    case autoClose = "auto_close"
    /// Something must be done by a date: a duty's period ends, a violation must be corrected.
    case deadline

    public var title: Message {
        switch self {
        case .response: Message(zh: "响应", en: "Response")
        case .arrival: Message(zh: "到场", en: "Arrival on site")
        case .completion: Message(zh: "完成", en: "Completion")
        case .callback: Message(zh: "未到场回电", en: "No-show callback")
        case .autoClose: Message(zh: "自动关闭", en: "Auto-close")
        case .deadline: Message(zh: "期限", en: "Deadline")
        }
    }

    /// Clocks measured against a target and escalated when late.
    public var isTarget: Bool { [.response, .arrival, .completion, .deadline].contains(self) }
}

/// One running (or finished) clock of one subject (an order, a duty's period …). Clocks are
/// stored with their next firing time, so they survive restarts and the sweeper finds what is
/// due by an index, not by a scan; it hands each to the handler of its subject's kind.
public struct SLAClock: Sendable, Codable, Equatable {
    public var id: UUID
    public var subjectKind: SubjectKind
    public var subjectID: UUID
    public var communityID: UUID
    public var kind: ClockKind
    /// 1 for the first run; a reopened order starts round 2, and so on. Old rounds stay.
    public var round: Int
    public var targetSeconds: Int
    public var serviceHoursOnly: Bool
    public var startedAt: Date
    /// When the target is (or was, for a paused clock) reached.
    public var dueAt: Date
    public var pausedAt: Date?
    /// Clock time left when paused (negative: already late).
    public var remainingAtPause: Int?
    /// Wall time spent on hold, summed.
    public var heldSeconds: Int
    public var stoppedAt: Date?
    public var breachedAt: Date?
    /// 0: not escalated; 1: assignee alerted; 2: CS manager; 3: center head.
    public var level: Int
    /// When the sweeper must look at this clock next; nil when there is nothing to do.
    public var nextFireAt: Date?

    public var isRunning: Bool { stoppedAt == nil && pausedAt == nil }
    public var isStopped: Bool { stoppedAt != nil }

    /// Whether the step was done in time (nil while still running).
    public var met: Bool? {
        guard let stoppedAt else { return nil }
        return breachedAt == nil && stoppedAt <= dueAt
    }

    public init(id: UUID = .timeOrdered(), subjectKind: SubjectKind = .workOrder, subjectID: UUID, communityID: UUID, kind: ClockKind, round: Int, targetSeconds: Int,
                serviceHoursOnly: Bool, startedAt: Date, dueAt: Date, pausedAt: Date? = nil, remainingAtPause: Int? = nil,
                heldSeconds: Int = 0, stoppedAt: Date? = nil, breachedAt: Date? = nil, level: Int = 0, nextFireAt: Date?) {
        self.id = id
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.communityID = communityID
        self.kind = kind
        self.round = round
        self.targetSeconds = targetSeconds
        self.serviceHoursOnly = serviceHoursOnly
        self.startedAt = startedAt
        self.dueAt = dueAt
        self.pausedAt = pausedAt
        self.remainingAtPause = remainingAtPause
        self.heldSeconds = heldSeconds
        self.stoppedAt = stoppedAt
        self.breachedAt = breachedAt
        self.level = level
        self.nextFireAt = nextFireAt
    }

    static func start(_ kind: ClockKind, for order: WorkOrder, target: Int, serviceHoursOnly: Bool, round: Int,
                      at now: Date, hours: ServiceHours, notBefore: Date? = nil) -> SLAClock {
        let calendar = ClockCalendar(hours: serviceHoursOnly ? hours : nil)
        var due = calendar.add(target, to: now)
        if let notBefore, notBefore > due { due = notBefore }
        return SLAClock(subjectID: order.id, communityID: order.communityID, kind: kind, round: round, targetSeconds: target,
                        serviceHoursOnly: serviceHoursOnly, startedAt: now, dueAt: due, nextFireAt: due)
    }

    /// Time on hold stops the clock (INT-6): remember what was left.
    mutating func pause(at now: Date, hours: ServiceHours) {
        guard isRunning else { return }
        let calendar = ClockCalendar(hours: serviceHoursOnly ? hours : nil)
        remainingAtPause = calendar.seconds(from: now, to: dueAt)
        pausedAt = now
        nextFireAt = nil
    }

    mutating func resume(at now: Date, hours: ServiceHours, steps: [Int]) {
        guard stoppedAt == nil, let pausedAt, let left = remainingAtPause else { return }
        let held = max(0, now.timeIntervalSince(pausedAt))
        heldSeconds += Int(held.rounded())
        if left > 0 {
            dueAt = ClockCalendar(hours: serviceHoursOnly ? hours : nil).add(left, to: now)
        } else {
            dueAt = dueAt.addingTimeInterval(held)
        }
        self.pausedAt = nil
        remainingAtPause = nil
        nextFireAt = nextFiring(steps: steps)
    }

    mutating func stop(at now: Date) {
        guard stoppedAt == nil else { return }
        if let pausedAt { heldSeconds += Int(max(0, now.timeIntervalSince(pausedAt)).rounded()) }
        stoppedAt = now
        pausedAt = nil
        remainingAtPause = nil
        if breachedAt == nil, kind.isTarget, now > dueAt { breachedAt = dueAt }
        nextFireAt = nil
    }

    /// When the next escalation step is due: the first one at the due time, then each step.
    func nextFiring(steps: [Int]) -> Date? {
        guard kind.isTarget else { return level == 0 ? dueAt : nil }
        return level < steps.count ? dueAt.addingTimeInterval(TimeInterval(steps[level])) : nil
    }

    /// Seconds left (negative: overdue) at `now`, as a board shows it.
    public func secondsLeft(at now: Date, hours: ServiceHours) -> Int {
        if let remainingAtPause { return remainingAtPause }
        if let stoppedAt { return Int(dueAt.timeIntervalSince(stoppedAt).rounded()) }
        return ClockCalendar(hours: serviceHoursOnly ? hours : nil).seconds(from: now, to: dueAt)
    }
}

extension Array where Element == SLAClock {
    /// The clocks of the latest round (a reopened order starts a new one), in a stable order.
    public var currentRound: [SLAClock] {
        let round = map(\.round).max() ?? 1
        return filter { $0.round == round }.sorted { $0.kind.rawValue < $1.kind.rawValue }
    }
}
