import Foundation

/// How a household was reached (S2 4.3): at the door, or by phone when nobody was at home.
public enum VisitMode: String, Sendable, Codable, CaseIterable {
    case door, phone

    public var title: Message {
        switch self {
        case .door: Message(zh: "上门家访", en: "Door visit")
        case .phone: Message(zh: "电话访问", en: "Phone visit")
        }
    }
}

/// An opinion a household raised on a visit, filed as a request of its kind (S2 4.3.4).
public struct RaisedItem: Sendable, Equatable, Codable {
    public var kind: RequestKind
    public var text: String

    public init(kind: RequestKind, text: String) {
        self.kind = kind
        self.text = text
    }

    /// The kinds a visit files: what households raise at the door.
    public static let kinds: [RequestKind] = [.repair, .complaint, .suggestion, .inquiry, .help, .query, .dispute, .violation]
}

/// What the front desk's call back found (S2 4.9.3).
public enum SpotCheckOutcome: String, Sendable, Codable, CaseIterable {
    /// The household confirms the visit and what was said.
    case confirmed
    /// The household says nobody came (or called): a finding on the supervisor's record, and
    /// the visit no longer counts.
    case notHappened = "not_happened"
    /// Nobody answered: call again.
    case unreachable

    public var title: Message {
        switch self {
        case .confirmed: Message(zh: "属实", en: "Confirmed")
        case .notHappened: Message(zh: "不属实(未家访)", en: "Did not happen")
        case .unreachable: Message(zh: "未接通,再打", en: "No answer, call again")
        }
    }

    /// Whether the call settled the question.
    public var verifies: Bool { self != .unreachable }
}

/// 家访/电话访问记录 (FLD-5): one household, who, when, how, who was met, what was raised.
public struct HouseholdVisit: Sendable, Equatable, Identifiable {
    public struct Filed: Sendable, Equatable, Codable {
        public var orderID: UUID
        public var number: String
        public var kind: RequestKind
        public init(orderID: UUID, number: String, kind: RequestKind) {
            self.orderID = orderID
            self.number = number
            self.kind = kind
        }
    }

    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID
    public var unitID: UUID
    public var byID: UUID?
    public var byName: String
    public var at: Date
    public var mode: VisitMode
    public var met: String
    public var notes: String
    public var filed: [Filed]
    /// What the front desk's spot check found, when it has been checked.
    public var check: SpotCheckOutcome?

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID, unitID: UUID, byID: UUID?, byName: String, at: Date, mode: VisitMode, met: String,
                notes: String, filed: [Filed] = [], check: SpotCheckOutcome? = nil) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.unitID = unitID
        self.byID = byID
        self.byName = byName
        self.at = at
        self.mode = mode
        self.met = met
        self.notes = notes
        self.filed = filed
        self.check = check
    }

    /// A visit the desk found did not happen counts for nothing.
    public var counts: Bool { check != .notHappened }
}

/// The visit quotas of an area with `households` households (S2 4.3.1, 4.3.3): ≥ 3 % of them
/// each month and ≥ 36 % over the year, both rounded up; phone visits at most 30 % of the
/// year's required visits (rounded down: 30 % is a ceiling).
public struct VisitQuota: Sendable, Equatable {
    public let households: Int

    public init(households: Int) { self.households = max(0, households) }

    /// ⌈3 % × households⌉: 400 → 12.
    public var monthly: Int { (households * 3 + 99) / 100 }
    /// ⌈36 % × households⌉: 400 → 144.
    public var yearly: Int { (households * 36 + 99) / 100 }
    /// ⌊30 % × the year's required visits⌋: 400 → 43.
    public var phoneCap: Int { yearly * 30 / 100 }
}

/// Progress of one area against its quotas: households visited this month and this year (each
/// counted once, visits found false left out), how many of the year's by phone only.
public struct VisitProgress: Sendable, Equatable {
    public let areaID: UUID
    public let quota: VisitQuota
    public let month: Int
    public let year: Int
    public let phoneYear: Int
    /// Days left in the month, today included.
    public let daysLeft: Int

    public init(areaID: UUID, quota: VisitQuota, month: Int, year: Int, phoneYear: Int, daysLeft: Int) {
        self.areaID = areaID
        self.quota = quota
        self.month = month
        self.year = year
        self.phoneYear = phoneYear
        self.daysLeft = daysLeft
    }

    /// Households still to visit this month to reach the quota.
    public var monthLeft: Int { max(0, quota.monthly - month) }

    /// Counts the visits of an area: distinct households per period; a household reached at
    /// the door at least once this year is not a phone household.
    public static func count(_ visits: [HouseholdVisit], monthFrom: Date, monthUntil: Date) -> (month: Int, year: Int, phoneYear: Int) {
        let real = visits.filter(\.counts)
        let month = Set(real.filter { $0.at >= monthFrom && $0.at < monthUntil }.map(\.unitID)).count
        let door = Set(real.filter { $0.mode == .door }.map(\.unitID))
        let all = Set(real.map(\.unitID))
        return (month, all.count, all.subtracting(door).count)
    }
}

extension SubjectKind {
    /// A household visit (FLD-5): its record, the desk's call back, its photos.
    public static let householdVisit = SubjectKind(rawValue: "household_visit")
}
