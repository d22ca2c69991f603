import Foundation

/// 房屋托管 (FD-2, S4 篇1 1⑥): a vacant unit the center keeps for its owner under a signed
/// 《托管协议》. The management fee is charged at 70 % (`feeRatePerMille`, read by fees); the water
/// and electricity meters are read at signing and every month, and a month that used more than
/// the agreement allows (water ≤ 5 m³, electricity ≤ 20 kWh unless agreed otherwise) raises an
/// alert at once; the unit is checked from outside every week and before and after heavy rain.
///
/// Meter values are integers in thousandths of the meter's unit: water in litres (1 m³ = 1000),
/// electricity in watt-hours (1 kWh = 1000), so "123.456" on the dial is 123456.
public struct CustodyAgreement: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    /// Copied from the unit, so an area supervisor's reach is one column.
    public var areaID: UUID?
    public var ownerName: String
    /// Digits only.
    public var ownerPhone: String
    /// "2026-11-05" in the community's time zone: the first day in custody.
    public var startDay: String
    /// The last day in custody: agreed at signing, or the day the desk ended it; nil while open-ended.
    public var endDay: String?
    /// The share of the full management fee charged while in custody, in per mille (700 = 70 %).
    public var feeRatePerMille: Int
    /// Most water a month may use, in litres (5000 = 5 m³).
    public var waterLimit: Int
    /// Most electricity a month may use, in watt-hours (20000 = 20 kWh).
    public var electricityLimit: Int
    public var note: String
    public var createdAt: Date
    public var createdByName: String
    public var endedAt: Date?
    public var endedByName: String?

    public static let defaultFeeRatePerMille = 700
    public static let defaultWaterLimit = 5_000
    public static let defaultElectricityLimit = 20_000

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, areaID: UUID?, ownerName: String, ownerPhone: String, startDay: String, endDay: String? = nil,
                feeRatePerMille: Int = defaultFeeRatePerMille, waterLimit: Int = defaultWaterLimit, electricityLimit: Int = defaultElectricityLimit,
                note: String = "", createdAt: Date, createdByName: String, endedAt: Date? = nil, endedByName: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.unitID = unitID
        self.areaID = areaID
        self.ownerName = ownerName
        self.ownerPhone = ownerPhone
        self.startDay = startDay
        self.endDay = endDay
        self.feeRatePerMille = feeRatePerMille
        self.waterLimit = waterLimit
        self.electricityLimit = electricityLimit
        self.note = note
        self.createdAt = createdAt
        self.createdByName = createdByName
        self.endedAt = endedAt
        self.endedByName = endedByName
    }

    /// Whether the unit is in custody on a day ("2026-11-20"; day keys compare as text).
    public func covers(_ day: String) -> Bool { startDay <= day && endDay.map { day <= $0 } ?? true }

    /// Whether it covers every day from `first` to `last`.
    public func covers(from first: String, to last: String) -> Bool { startDay <= first && endDay.map { last <= $0 } ?? true }
}

/// One reading of both meters. The baseline is read at signing (查抄水表、电表读数); each later
/// reading closes a month ("2026-11") and carries what was used since the reading before it.
public struct MeterReading: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var agreementID: UUID
    public var communityID: UUID
    public var unitID: UUID
    /// "2026-11": the month the reading closes (the baseline: the month of signing).
    public var month: String
    public var baseline: Bool
    /// Litres on the water meter.
    public var water: Int
    /// Watt-hours on the electricity meter.
    public var electricity: Int
    /// Used since the reading before (nil for the baseline).
    public var waterUsed: Int?
    public var electricityUsed: Int?
    /// What the agreement allowed since the reading before: the monthly limit times the months
    /// the reading covers (one, or more when a month was skipped).
    public var waterAllowed: Int
    public var electricityAllowed: Int
    public var readAt: Date
    public var byName: String
    public var note: String

    public init(id: UUID = UUID(), agreementID: UUID, communityID: UUID, unitID: UUID, month: String, baseline: Bool, water: Int, electricity: Int,
                waterUsed: Int? = nil, electricityUsed: Int? = nil, waterAllowed: Int, electricityAllowed: Int, readAt: Date, byName: String, note: String = "") {
        self.id = id
        self.agreementID = agreementID
        self.communityID = communityID
        self.unitID = unitID
        self.month = month
        self.baseline = baseline
        self.water = water
        self.electricity = electricity
        self.waterUsed = waterUsed
        self.electricityUsed = electricityUsed
        self.waterAllowed = waterAllowed
        self.electricityAllowed = electricityAllowed
        self.readAt = readAt
        self.byName = byName
        self.note = note
    }

    public var waterOver: Bool { (waterUsed ?? 0) > waterAllowed }
    public var electricityOver: Bool { (electricityUsed ?? 0) > electricityAllowed }
    public var isOver: Bool { waterOver || electricityOver }

    /// The next reading after `previous` (in order: the baseline, then the months), checked: a
    /// later month, and meters that did not run backwards. Used is the difference; allowed is
    /// the limit times the months covered (from a baseline, its own month counts too).
    public static func next(after previous: MeterReading, agreement: CustodyAgreement, id: UUID = UUID(), month: String, water: Int, electricity: Int,
                            at: Date, by: String, note: String = "") throws -> MeterReading {
        guard let months = MonthKey.distance(from: previous.month, to: month) else {
            throw DomainError.invalid(field: "month", Message(zh: "月份格式应为 2026-11", en: "A month looks like 2026-11"))
        }
        // The baseline is read during its month, so a reading closing that same month covers it.
        let covered = previous.baseline ? months + 1 : months
        guard covered > 0 else {
            throw DomainError.conflict(code: "reading_month_taken", Message(
                zh: "\(month) 的读数不能早于或重复上次抄表(\(previous.month))", en: "The reading for \(month) must come after the last one (\(previous.month))"))
        }
        guard water >= previous.water else {
            throw DomainError.invalid(field: "water", Message(zh: "水表读数 \(MeterValue.text(water)) 小于上次的 \(MeterValue.text(previous.water))",
                                                              en: "The water meter reads \(MeterValue.text(water)), less than last time's \(MeterValue.text(previous.water))"))
        }
        guard electricity >= previous.electricity else {
            throw DomainError.invalid(field: "electricity", Message(
                zh: "电表读数 \(MeterValue.text(electricity)) 小于上次的 \(MeterValue.text(previous.electricity))",
                en: "The electricity meter reads \(MeterValue.text(electricity)), less than last time's \(MeterValue.text(previous.electricity))"))
        }
        return MeterReading(id: id, agreementID: agreement.id, communityID: agreement.communityID, unitID: agreement.unitID, month: month, baseline: false,
                            water: water, electricity: electricity, waterUsed: water - previous.water, electricityUsed: electricity - previous.electricity,
                            waterAllowed: agreement.waterLimit * covered, electricityAllowed: agreement.electricityLimit * covered, readAt: at, byName: by, note: note)
    }
}

/// Meter values as the desk types and reads them: "123.456" ⇄ 123456 thousandths.
public enum MeterValue {
    /// Most a value may be: 99 999 999.999 on the dial.
    public static let maximum = 99_999_999_999

    /// A non-negative number with at most three decimals, in thousandths.
    public static func parse(_ raw: String, field: String) throws -> Int {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard (1...2).contains(parts.count), digits(parts[0]), parts[0].count <= 8, parts.count == 1 || (digits(parts[1]) && parts[1].count <= 3),
              let whole = Int(parts[0]) else {
            throw DomainError.invalid(field: field, Message(zh: "读数应为数字,最多三位小数,如 123.456", en: "A reading is a number with up to three decimals, like 123.456"))
        }
        let fraction = parts.count == 2 ? Int(parts[1].padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0 : 0
        return whole * 1000 + fraction
    }

    /// 106000 → "106", 105500 → "105.5".
    public static func text(_ v: Int) -> String {
        let sign = v < 0 ? "-" : ""
        let a = abs(v)
        guard a % 1000 != 0 else { return "\(sign)\(a / 1000)" }
        var frac = String(format: "%03d", a % 1000)
        while frac.hasSuffix("0") { frac.removeLast() }
        return "\(sign)\(a / 1000).\(frac)"
    }
}

/// Month keys ("2026-11").
public enum MonthKey {
    static func parts(_ key: String) -> (Int, Int)? {
        let p = key.split(separator: "-")
        guard key.count == 7, p.count == 2, let y = Int(p[0]), let m = Int(p[1]), (2000...2100).contains(y), (1...12).contains(m) else { return nil }
        return (y, m)
    }

    public static func isValid(_ key: String) -> Bool { parts(key) != nil }

    /// Months from one key to another (negative when `to` is earlier); nil when either is not a month.
    public static func distance(from: String, to: String) -> Int? {
        guard let a = parts(from), let b = parts(to) else { return nil }
        return (b.0 - a.0) * 12 + (b.1 - a.1)
    }
}

/// Why an exterior check was made (每周及大雨前后安排人员对托管房进行户外巡查).
public enum CustodyCheckKind: String, Sendable, Codable, CaseIterable {
    case weekly
    case beforeRain = "before_rain"
    case afterRain = "after_rain"

    public var title: Message {
        switch self {
        case .weekly: Message(zh: "每周巡查", en: "Weekly check")
        case .beforeRain: Message(zh: "雨前巡查", en: "Before-rain check")
        case .afterRain: Message(zh: "雨后巡查", en: "After-rain check")
        }
    }
}

/// An exterior check of a unit in custody. A weekly one is recorded when it is made; a rain
/// check is opened by a heavy-rain warning with a due time (the after-rain one once the rain is
/// over) and done when the person who went records what they found. A problem found is handled
/// and the owner told (发现问题及时处理并通知业主).
public struct CustodyCheck: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var agreementID: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var areaID: UUID?
    public var kind: CustodyCheckKind
    public var rainWarningID: UUID?
    public var openedAt: Date
    /// Rain checks: by when it must be done (nil for an after-rain check while it still rains).
    public var dueAt: Date?
    public var doneAt: Date?
    public var byName: String?
    public var findings: String
    public var problem: Bool
    public var ownerNotified: Bool
    /// The agreement ended while the check was still open.
    public var cancelledAt: Date?

    public init(id: UUID = UUID(), agreementID: UUID, communityID: UUID, unitID: UUID, areaID: UUID?, kind: CustodyCheckKind, rainWarningID: UUID? = nil,
                openedAt: Date, dueAt: Date? = nil, doneAt: Date? = nil, byName: String? = nil, findings: String = "", problem: Bool = false,
                ownerNotified: Bool = false, cancelledAt: Date? = nil) {
        self.id = id
        self.agreementID = agreementID
        self.communityID = communityID
        self.unitID = unitID
        self.areaID = areaID
        self.kind = kind
        self.rainWarningID = rainWarningID
        self.openedAt = openedAt
        self.dueAt = dueAt
        self.doneAt = doneAt
        self.byName = byName
        self.findings = findings
        self.problem = problem
        self.ownerNotified = ownerNotified
        self.cancelledAt = cancelledAt
    }

    public var isOpen: Bool { doneAt == nil && cancelledAt == nil }
    public var doneOnTime: Bool { guard let doneAt else { return false }; return dueAt.map { doneAt <= $0 } ?? true }
}

/// A heavy-rain warning as the desk presses it (大雨预警): it opens a before-rain check, due
/// within `beforeRainHours`, and an after-rain check of every unit in custody; when the desk
/// marks the rain over (雨停) the after-rain checks fall due within `afterRainHours`.
public struct RainWarning: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var issuedAt: Date
    public var issuedByName: String
    public var overAt: Date?
    public var overByName: String?
    public var note: String

    /// Time enough to walk every unit in custody before the rain comes.
    public static let beforeRainHours = 6
    /// The day after the rain, to find leaks and blocked drains while they are fresh.
    public static let afterRainHours = 24

    public init(id: UUID = UUID(), communityID: UUID, issuedAt: Date, issuedByName: String, overAt: Date? = nil, overByName: String? = nil, note: String = "") {
        self.id = id
        self.communityID = communityID
        self.issuedAt = issuedAt
        self.issuedByName = issuedByName
        self.overAt = overAt
        self.overByName = overByName
        self.note = note
    }
}

extension SubjectKind {
    /// A custody agreement of one vacant unit (FD-2): its readings, checks and alerts.
    public static let custodyAgreement = SubjectKind(rawValue: "custody_agreement")
    /// A rain check of a unit in custody, with its deadline (FD-2).
    public static let custodyCheck = SubjectKind(rawValue: "custody_check")
}
