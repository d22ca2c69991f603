import Foundation

/// A community's service contract as far as requests are concerned (INT-6, INT-7, INT-9,
/// INT-12, INT-18): time targets per kind × priority, service hours and holidays, escalation
/// steps, the no-show callback, auto-close and return-visit sampling, and extra emergency words.
/// Defaults come from the standards; a center changes them to match its contract.
public struct ServiceContract: Sendable, Codable, Equatable {
    /// Targets in seconds for one kind (nil: any kind) and one priority (nil: any priority).
    /// The most specific rule wins: kind + priority, then priority, then kind, then neither.
    public struct Target: Sendable, Codable, Equatable {
        public var kind: RequestKind?
        public var priority: Priority?
        public var response: Int?
        public var arrival: Int?
        public var completion: Int?
        /// `true`: counted only in service hours (not on holidays); `false`: around the clock.
        public var serviceHoursOnly: Bool

        public init(kind: RequestKind? = nil, priority: Priority? = nil, response: Int?, arrival: Int?, completion: Int?, serviceHoursOnly: Bool) {
            self.kind = kind
            self.priority = priority
            self.response = response
            self.arrival = arrival
            self.completion = completion
            self.serviceHoursOnly = serviceHoursOnly
        }
    }

    public var targets: [Target]
    public var hours: ServiceHours
    /// After a clock passes its target: [assignee, CS manager, center head] seconds after the
    /// due time, per priority.
    public var escalationSteps: [Priority: [Int]]
    /// A dispatched repair with nobody on site after this long → the front desk calls the
    /// resident (S4 4.9: 20 minutes).
    public var callbackAfter: Int
    /// A completed order the resident neither accepts nor rejects closes after this (INT-18).
    public var autoCloseDays: Int
    /// Share of completed non-complaint orders that get a return visit (INT-12, ≥ 10).
    public var returnVisitPercent: Int
    /// Ratings at or below this count as dissatisfied (INT-19).
    public var dissatisfiedAtOrBelow: Int
    /// The center's own emergency words (INT-4).
    public var emergencyKeywords: [Classifier.Keyword]
    /// The developer's liaison: warranty orders go to this account (INT-9).
    public var warrantyLiaisonID: UUID?

    public init(targets: [Target] = ServiceContract.standardTargets, hours: ServiceHours = ServiceHours(),
                escalationSteps: [Priority: [Int]] = ServiceContract.standardEscalation, callbackAfter: Int = 20 * 60,
                autoCloseDays: Int = 7, returnVisitPercent: Int = 10, dissatisfiedAtOrBelow: Int = 2,
                emergencyKeywords: [Classifier.Keyword] = [], warrantyLiaisonID: UUID? = nil) {
        self.targets = targets
        self.hours = hours
        self.escalationSteps = escalationSteps
        self.callbackAfter = callbackAfter
        self.autoCloseDays = autoCloseDays
        self.returnVisitPercent = returnVisitPercent
        self.dissatisfiedAtOrBelow = dissatisfiedAtOrBelow
        self.emergencyKeywords = emergencyKeywords
        self.warrantyLiaisonID = warrantyLiaisonID
    }

    private static let minute = 60, hour = 3600, day = 86400

    /// S0 2.3: an emergency has staff on site within 15 minutes, day and night. The rest are
    /// typical contract figures; the contract overrides them.
    public static let standardTargets: [Target] = [
        Target(priority: .emergency, response: 5 * minute, arrival: 15 * minute, completion: 4 * hour, serviceHoursOnly: false),
        Target(kind: .repair, priority: .urgent, response: 10 * minute, arrival: 60 * minute, completion: 8 * hour, serviceHoursOnly: false),
        Target(kind: .repair, response: 30 * minute, arrival: 2 * hour, completion: 24 * hour, serviceHoursOnly: true),
        Target(kind: .help, response: 10 * minute, arrival: 30 * minute, completion: 4 * hour, serviceHoursOnly: false),
        Target(kind: .paidService, response: 30 * minute, arrival: 4 * hour, completion: 2 * day, serviceHoursOnly: true),
        Target(kind: .warranty, response: 1 * day, arrival: 3 * day, completion: 15 * day, serviceHoursOnly: true),
        Target(kind: .complaint, response: 30 * minute, arrival: nil, completion: 3 * day, serviceHoursOnly: true),
        Target(kind: .dispute, response: 30 * minute, arrival: 4 * hour, completion: 3 * day, serviceHoursOnly: true),
        Target(kind: .violation, response: 30 * minute, arrival: 2 * hour, completion: 3 * day, serviceHoursOnly: true),
        Target(response: 30 * minute, arrival: nil, completion: 1 * day, serviceHoursOnly: true),
    ]

    public static let standardEscalation: [Priority: [Int]] = [
        .emergency: [0, 5 * minute, 15 * minute],
        .urgent: [0, 30 * minute, 2 * hour],
        .normal: [0, 2 * hour, 8 * hour],
        .low: [0, 8 * hour, 2 * day],
    ]

    /// The rule for this kind and priority, most specific first.
    public func target(kind: RequestKind, priority: Priority) -> Target {
        let order: [(RequestKind?, Priority?)] = [(kind, priority), (nil, priority), (kind, nil), (nil, nil)]
        for (k, p) in order {
            if let t = targets.first(where: { $0.kind == k && $0.priority == p }) { return t }
        }
        return Target(response: 30 * 60, arrival: nil, completion: 86400, serviceHoursOnly: true)
    }

    public func escalation(for priority: Priority) -> [Int] {
        let steps = escalationSteps[priority] ?? ServiceContract.standardEscalation[priority] ?? [0]
        return steps.isEmpty ? [0] : steps
    }

    public var classifier: Classifier { Classifier(extra: emergencyKeywords) }

    /// Checks a contract before it is stored.
    public func validated() throws -> ServiceContract {
        func bad(_ field: String, _ zh: String, _ en: String) -> DomainError { DomainError.invalid(field: field, Message(zh: zh, en: en)) }
        for t in targets {
            for v in [t.response, t.arrival, t.completion].compactMap({ $0 }) where v <= 0 || v > 365 * 86400 {
                throw bad("targets", "时限必须大于 0 且不超过一年", "Targets must be more than 0 and at most a year")
            }
        }
        // S0 2.3: every emergency, of whatever kind, has someone on site within 15 minutes.
        let emergencyRules = targets.filter { $0.priority == .emergency }
        if !emergencyRules.contains(where: { $0.kind == nil })
            || emergencyRules.contains(where: { ($0.arrival ?? .max) > 15 * 60 || $0.serviceHoursOnly }) {
            throw bad("targets", "紧急情况须有全天候、不超过 15 分钟的到场时限(S0 2.3)", "Emergencies need a round-the-clock arrival target of at most 15 minutes (S0 2.3)")
        }
        guard (1...30 * 60).contains(callbackAfter) else { throw bad("callbackAfter", "回电提醒时间应在 1 秒到 30 分钟之间", "Callback time must be between 1 second and 30 minutes") }
        guard (1...90).contains(autoCloseDays) else { throw bad("autoCloseDays", "自动关闭天数应在 1 到 90 之间", "Auto-close days must be between 1 and 90") }
        guard (10...100).contains(returnVisitPercent) else { throw bad("returnVisitPercent", "回访比例不得低于 10%", "The return-visit share must be at least 10%") }
        guard (1...4).contains(dissatisfiedAtOrBelow) else { throw bad("dissatisfiedAtOrBelow", "不满意分数线应在 1 到 4 之间", "The dissatisfaction line must be between 1 and 4") }
        for steps in escalationSteps.values where steps.isEmpty || steps.count > 3 || steps != steps.sorted() || steps.contains(where: { $0 < 0 }) {
            throw bad("escalationSteps", "升级步骤应为 1 到 3 个递增的非负秒数", "Escalation steps must be 1 to 3 non-negative, increasing seconds")
        }
        _ = try hours.validated()
        for k in emergencyKeywords where k.text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw bad("emergencyKeywords", "紧急关键词不能为空", "Emergency keywords must not be empty")
        }
        return self
    }
}

/// Service hours of the center for non-emergency clocks: opening and closing time (minutes
/// after local midnight), the working weekdays (1 = Monday … 7 = Sunday) and holidays.
public struct ServiceHours: Sendable, Codable, Equatable {
    public var opens: Int
    public var closes: Int
    public var weekdays: Set<Int>
    /// Local dates "yyyy-MM-dd" on which the clock does not run.
    public var holidays: Set<String>
    public var timeZone: String

    public init(opens: Int = 8 * 60 + 30, closes: Int = 18 * 60, weekdays: Set<Int> = Set(1...7), holidays: Set<String> = [],
                timeZone: String = "Asia/Shanghai") {
        self.opens = opens
        self.closes = closes
        self.weekdays = weekdays
        self.holidays = holidays
        self.timeZone = timeZone
    }

    public func validated() throws -> ServiceHours {
        guard (0..<1440).contains(opens), (1...1440).contains(closes), opens < closes else {
            throw DomainError.invalid(field: "hours", Message(zh: "服务时间不正确", en: "Service hours are not valid"))
        }
        guard !weekdays.isEmpty, weekdays.allSatisfy({ (1...7).contains($0) }) else {
            throw DomainError.invalid(field: "hours.weekdays", Message(zh: "工作日应为 1(周一)到 7(周日)", en: "Weekdays run from 1 (Monday) to 7 (Sunday)"))
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw DomainError.invalid(field: "hours.timeZone", Message(zh: "未知时区:\(timeZone)", en: "Unknown time zone: \(timeZone)"))
        }
        return self
    }
}

/// Counts clock time: around the clock, or only inside service hours.
public struct ClockCalendar: Sendable {
    public let hours: ServiceHours?
    private let calendar: Calendar

    /// `hours == nil`: 24/7.
    public init(hours: ServiceHours?) {
        self.hours = hours
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: hours?.timeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
        self.calendar = c
    }

    /// The moment when `seconds` of clock time have passed after `start`.
    public func add(_ seconds: Int, to start: Date) -> Date {
        guard let hours else { return start.addingTimeInterval(TimeInterval(seconds)) }
        var left = TimeInterval(max(seconds, 0))
        var day = calendar.startOfDay(for: start)
        for _ in 0..<800 {
            if let (open, close) = window(of: day, hours) {
                let from = max(open, start)
                if from < close {
                    let available = close.timeIntervalSince(from)
                    if left <= available { return from.addingTimeInterval(left) }
                    left -= available
                }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return start.addingTimeInterval(TimeInterval(seconds))
    }

    /// Clock time between two moments (negative when `to` is before `from`).
    public func seconds(from: Date, to: Date) -> Int {
        guard let hours else { return Int(to.timeIntervalSince(from).rounded()) }
        if to < from { return -seconds(from: to, to: from) }
        var total: TimeInterval = 0
        var day = calendar.startOfDay(for: from)
        for _ in 0..<800 where day < to {
            if let (open, close) = window(of: day, hours) {
                let a = max(open, from), b = min(close, to)
                if a < b { total += b.timeIntervalSince(a) }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return Int(total.rounded())
    }

    /// "2026-10-01", as holidays are written.
    static func dayKey(_ y: Int, _ m: Int, _ d: Int) -> String { y.zeroPadded(4) + "-" + m.zeroPadded(2) + "-" + d.zeroPadded(2) }

    private func window(of day: Date, _ hours: ServiceHours) -> (Date, Date)? {
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
        let weekday = (c.weekday! + 5) % 7 + 1   // 1 = Monday
        guard hours.weekdays.contains(weekday) else { return nil }
        if !hours.holidays.isEmpty, hours.holidays.contains(Self.dayKey(c.year!, c.month!, c.day!)) { return nil }
        return (day.addingTimeInterval(TimeInterval(hours.opens * 60)), day.addingTimeInterval(TimeInterval(hours.closes * 60)))
    }
}
