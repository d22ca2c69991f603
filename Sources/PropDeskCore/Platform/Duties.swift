import Foundation

/// One measurable clause of the standards (PLT-1): "emergencies on site within 15 minutes"
/// (S0 2.3), "≥ 3 % of households visited each month" (S2 4.3.1). A duty says what is asked, of
/// whom, per which period and to which target; its measure is computed from the records by the
/// capability that owns them, and each period ends met, missed, or — while still running — in
/// progress or at risk. The standards scorecard (REP-2) is the list of these, with their values.
public struct Duty: Sendable, Identifiable, Equatable {
    /// Stable, URL-safe: "S0-2.3-emergency-arrival".
    public let id: String
    /// Where the clause is: "S0 2.3", "S4 4.9".
    public let citation: String
    public let title: Message
    /// What the clause asks, as an auditor reads it.
    public let asks: Message
    public let scope: DutyScope
    public let period: DutyPeriod
    public let target: DutyTarget
    /// Who is alerted first when a period is missed; the INT-7 chain goes on from there.
    public let owner: AlertLevel
    /// The capability that registered it ("work_orders", "patrols" …): where its records live.
    public let capability: String

    public init(id: String, citation: String, title: Message, asks: Message, scope: DutyScope, period: DutyPeriod, target: DutyTarget,
                owner: AlertLevel, capability: String) {
        self.id = id
        self.citation = citation
        self.title = title
        self.asks = asks
        self.scope = scope
        self.period = period
        self.target = target
        self.owner = owner
        self.capability = capability
    }

    /// The outcome of one period with this measurement: decided when the period is over; before
    /// that in progress, or at risk when the value so far is short of the target.
    public func outcome(_ m: DutyMeasurement, periodOver: Bool) -> DutyOutcome {
        guard let meets = target.isMet(by: m) else { return .noRecords }
        if periodOver { return meets ? .met : .missed }
        return meets ? .inProgress : .atRisk
    }
}

/// Whose duty it is: the whole community, each area, or each person (a supervisor's log).
public enum DutyScope: String, Sendable, Codable, CaseIterable {
    case community, area, person

    public var title: Message {
        switch self {
        case .community: Message(zh: "小区", en: "Community")
        case .area: Message(zh: "区域", en: "Area")
        case .person: Message(zh: "个人", en: "Person")
        }
    }
}

/// How often the clause is judged.
public enum DutyPeriod: Sendable, Equatable, Codable {
    case day, week, month, year
    /// Within N working days of an event (a staff change → a new assignment table in 3).
    case withinWorkingDays(Int)
    /// Within N calendar days of an event (a new contact card posted within 3, S2 4.1.2).
    case withinDays(Int)

    /// Whether the scorecard shows it month by month: a daily or weekly clause is judged over
    /// the month's days (weeks), so one missed day misses the month's row too.
    /// Event clauses are judged over the events falling due in the month.
    public var judgedMonthly: Bool { self != .year }

    public var title: Message {
        switch self {
        case .day: Message(zh: "每日", en: "Daily")
        case .week: Message(zh: "每周", en: "Weekly")
        case .month: Message(zh: "每月", en: "Monthly")
        case .year: Message(zh: "每年", en: "Yearly")
        case .withinWorkingDays(let n): Message(zh: "事件后\(n)个工作日内", en: "Within \(n) working days of the event")
        case .withinDays(let n): Message(zh: "事件后\(n)天内", en: "Within \(n) days of the event")
        }
    }
}

/// The target of a duty: a share of the records (in per mille, so 3 % is 30 and 100 % is 1000)
/// at least or at most, or a count at least.
public enum DutyTarget: Sendable, Equatable, Codable {
    case shareAtLeast(perMille: Int)
    case shareAtMost(perMille: Int)
    case countAtLeast(Int)

    /// nil: nothing to judge (no records in the period).
    public func isMet(by m: DutyMeasurement) -> Bool? {
        switch self {
        case .shareAtLeast(let t):
            guard let d = m.denominator, d > 0 else { return nil }
            return m.numerator * 1000 >= t * d
        case .shareAtMost(let t):
            guard let d = m.denominator, d > 0 else { return nil }
            return m.numerator * 1000 <= t * d
        case .countAtLeast(let n):
            return m.numerator >= n
        }
    }

    public var text: Message {
        switch self {
        case .shareAtLeast(let t): Message(zh: "≥ \(Self.percent(t))", en: "≥ \(Self.percent(t))")
        case .shareAtMost(let t): Message(zh: "≤ \(Self.percent(t))", en: "≤ \(Self.percent(t))")
        case .countAtLeast(let n): Message(zh: "≥ \(n)", en: "≥ \(n)")
        }
    }

    /// 1000 → "100%", 975 → "97.5%".
    public static func percent(_ perMille: Int) -> String {
        perMille % 10 == 0 ? "\(perMille / 10)%" : "\(perMille / 10).\(abs(perMille % 10))%"
    }
}

/// What a period's records say: a count, or a count out of a total; and the records behind it
/// (the misses first), so an auditor can open each.
public struct DutyMeasurement: Sendable, Equatable {
    public var numerator: Int
    /// nil for a plain count.
    public var denominator: Int?
    /// The records behind the number, those that fall short first (at most a page of them).
    public var records: [RecordLink]
    /// A list of all the records counted, when there is one.
    public var allRecordsPath: String?

    public init(numerator: Int, denominator: Int?, records: [RecordLink] = [], allRecordsPath: String? = nil) {
        self.numerator = numerator
        self.denominator = denominator
        self.records = records
        self.allRecordsPath = allRecordsPath
    }

    /// "97.5% (39/40)", "12"; "—" when there is nothing to count.
    public var valueText: String {
        guard let d = denominator else { return "\(numerator)" }
        guard d > 0 else { return "—" }
        return "\(DutyTarget.percent(numerator * 1000 / d)) (\(numerator)/\(d))"
    }

    /// Per mille, rounded down (nil for a count or nothing counted).
    public var perMille: Int? {
        guard let d = denominator, d > 0 else { return nil }
        return numerator * 1000 / d
    }
}

/// A record behind a duty's number: what it is called and the page that shows it.
public struct RecordLink: Sendable, Equatable, Codable {
    public var label: String
    public var path: String
    /// Whether this record is one of the misses.
    public var missed: Bool

    public init(label: String, path: String, missed: Bool) {
        self.label = label
        self.path = path
        self.missed = missed
    }
}

public enum DutyOutcome: String, Sendable, Codable, CaseIterable {
    case met, missed
    case inProgress = "in_progress"
    case atRisk = "at_risk"
    case noRecords = "no_records"

    public var title: Message {
        switch self {
        case .met: Message(zh: "达标", en: "Met")
        case .missed: Message(zh: "未达标", en: "Missed")
        case .inProgress: Message(zh: "进行中", en: "In progress")
        case .atRisk: Message(zh: "有风险", en: "At risk")
        case .noRecords: Message(zh: "无记录", en: "No records")
        }
    }
}

/// One row of the scorecard: a duty, in one community (or area) and period, with its value.
public struct DutyResult: Sendable, Equatable {
    public let duty: Duty
    public let communityID: UUID
    public let areaID: UUID?
    /// "2026-11".
    public let period: String
    public let from: Date
    public let until: Date
    public let measurement: DutyMeasurement
    public let outcome: DutyOutcome

    public init(duty: Duty, communityID: UUID, areaID: UUID?, period: String, from: Date, until: Date, measurement: DutyMeasurement, at now: Date) {
        self.duty = duty
        self.communityID = communityID
        self.areaID = areaID
        self.period = period
        self.from = from
        self.until = until
        self.measurement = measurement
        outcome = duty.outcome(measurement, periodOver: now >= until)
    }

    /// How alerts and timelines name this duty's period: "S0 2.3 · 2026-11".
    public var label: String { "\(duty.citation) · \(period)" }
}
