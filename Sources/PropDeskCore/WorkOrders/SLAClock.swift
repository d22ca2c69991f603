import Foundation

/// The timed steps of an order (INT-6) and the two timers that act on their own: the S4 4.9
/// no-show callback and the INT-18 auto-close.
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

    public var title: Message {
        switch self {
        case .response: Message(zh: "响应", en: "Response")
        case .arrival: Message(zh: "到场", en: "Arrival on site")
        case .completion: Message(zh: "完成", en: "Completion")
        case .callback: Message(zh: "未到场回电", en: "No-show callback")
        case .autoClose: Message(zh: "自动关闭", en: "Auto-close")
        }
    }

    /// Clocks measured against a target and escalated when late.
    public var isTarget: Bool { [.response, .arrival, .completion].contains(self) }
}

/// One running (or finished) clock of one order. Clocks are stored with their next firing time,
/// so they survive restarts and the sweeper finds what is due by an index, not by a scan.
public struct SLAClock: Sendable, Codable, Equatable {
    public var id: UUID
    public var orderID: UUID
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

    public init(id: UUID = UUID(), orderID: UUID, communityID: UUID, kind: ClockKind, round: Int, targetSeconds: Int,
                serviceHoursOnly: Bool, startedAt: Date, dueAt: Date, pausedAt: Date? = nil, remainingAtPause: Int? = nil,
                heldSeconds: Int = 0, stoppedAt: Date? = nil, breachedAt: Date? = nil, level: Int = 0, nextFireAt: Date?) {
        self.id = id
        self.orderID = orderID
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
        return SLAClock(orderID: order.id, communityID: order.communityID, kind: kind, round: round, targetSeconds: target,
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

/// Who an alert is for (INT-7): the assignee first, then the CS manager, then the center head;
/// the front desk for callbacks (S4 4.9).
public enum AlertLevel: String, Sendable, Codable, CaseIterable {
    case assignee
    case csManager = "cs_manager"
    case centerHead = "center_head"
    case frontDesk = "front_desk"

    public var title: Message {
        switch self {
        case .assignee: Message(zh: "责任人", en: "Assignee")
        case .csManager: Message(zh: "客服部门负责人", en: "CS manager")
        case .centerHead: Message(zh: "服务中心负责人", en: "Center head")
        case .frontDesk: Message(zh: "前台", en: "Front desk")
        }
    }

    /// The role that sees alerts of this level (the assignee's alerts go to the person).
    public var role: Role? {
        switch self {
        case .assignee: nil
        case .csManager: .csManager
        case .centerHead: .centerHead
        case .frontDesk: .frontDesk
        }
    }

    static func escalation(_ level: Int) -> AlertLevel {
        switch level {
        case ...1: .assignee
        case 2: .csManager
        default: .centerHead
        }
    }
}

public enum AlertKind: String, Sendable, Codable, CaseIterable {
    /// A clock passed its target (INT-7).
    case overdue
    /// Call the resident: nobody on site `callbackAfter` (20 minutes by S4 4.9) after dispatch.
    case callback
    /// A dissatisfied resident: a complaint was opened or the order reopened (INT-19).
    case dissatisfied
    /// A new complaint needs its owner (INT-8).
    case complaint
}

/// One alert, and who saw it (INT-7). Alerts are never deleted; acknowledging records who and when.
public struct Alert: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var orderID: UUID
    public var orderNumber: String
    public var areaID: UUID?
    public var kind: AlertKind
    public var clockKind: ClockKind?
    public var level: AlertLevel
    /// A person (the assignee); otherwise everyone of `level.role` in the community.
    public var targetUserID: UUID?
    public var raisedAt: Date
    public var dueAt: Date?
    public var acknowledgedByID: UUID?
    public var acknowledgedByName: String?
    public var acknowledgedAt: Date?
    public var acknowledgeNote: String?

    public init(id: UUID = UUID(), communityID: UUID, orderID: UUID, orderNumber: String, areaID: UUID?, kind: AlertKind,
                clockKind: ClockKind?, level: AlertLevel, targetUserID: UUID?, raisedAt: Date, dueAt: Date?,
                acknowledgedByID: UUID? = nil, acknowledgedByName: String? = nil, acknowledgedAt: Date? = nil, acknowledgeNote: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.areaID = areaID
        self.kind = kind
        self.clockKind = clockKind
        self.level = level
        self.targetUserID = targetUserID
        self.raisedAt = raisedAt
        self.dueAt = dueAt
        self.acknowledgedByID = acknowledgedByID
        self.acknowledgedByName = acknowledgedByName
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgeNote = acknowledgeNote
    }

    static func about(_ order: WorkOrder, _ kind: AlertKind, clock: SLAClock? = nil, level: AlertLevel, at now: Date) -> Alert {
        let target = level == .assignee ? order.assigneeID : nil
        // An order nobody holds yet: its first alert goes to the front desk that dispatches.
        let level = (level == .assignee && target == nil) ? .frontDesk : level
        return Alert(communityID: order.communityID, orderID: order.id, orderNumber: order.number, areaID: order.areaID, kind: kind,
                     clockKind: clock?.kind, level: level, targetUserID: target, raisedAt: now, dueAt: clock?.dueAt)
    }

    /// Whether this alert is addressed to the principal (by person or by role).
    public func isFor(_ principal: Principal) -> Bool {
        if let targetUserID { return targetUserID == principal.userID }
        return level.role == principal.role
    }

    /// What the alert says, in both languages.
    public var message: Message {
        switch kind {
        case .overdue:
            let step = clockKind?.title ?? Message(zh: "", en: "")
            return Message(zh: "工单 \(orderNumber) \(step.zhHans)超时,已通知\(level.title.zhHans)",
                           en: "Order \(orderNumber): \(step.en.lowercased()) is overdue; \(level.title.en) alerted")
        case .callback:
            // The wait before this alert is the contract's (`callbackAfter`, S4 4.9 says 20 minutes).
            return Message(zh: "工单 \(orderNumber) 派工后在约定时间内仍无人到场:请致电业户解释原因并约定时间",
                           en: "Order \(orderNumber): nobody on site within the agreed time after dispatch — call the resident, explain and agree a time")
        case .dissatisfied:
            return Message(zh: "工单 \(orderNumber) 业户不满意,已重新处理或转为投诉", en: "Order \(orderNumber): the resident is dissatisfied; reopened or turned into a complaint")
        case .complaint:
            return Message(zh: "新投诉 \(orderNumber) 待处理", en: "New complaint \(orderNumber) needs its owner")
        }
    }
}
