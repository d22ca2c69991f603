import Foundation

/// The open work orders by how long they have been open (REP-1 "open orders by age"), as of now.
public struct OpenOrderAges: Sendable, Equatable {
    /// An age band, half-open: [lowerHours, upperHours).
    public enum Band: String, Sendable, CaseIterable, Codable {
        case underDay = "under_1d", oneToThreeDays = "1d_3d", threeToSevenDays = "3d_7d", oneToFourWeeks = "7d_30d", overMonth = "over_30d"

        public var title: Message {
            switch self {
            case .underDay: Message(zh: "不足 1 天", en: "Under 1 day")
            case .oneToThreeDays: Message(zh: "1–3 天", en: "1–3 days")
            case .threeToSevenDays: Message(zh: "3–7 天", en: "3–7 days")
            case .oneToFourWeeks: Message(zh: "7–30 天", en: "7–30 days")
            case .overMonth: Message(zh: "30 天以上", en: "Over 30 days")
            }
        }

        /// The band of an order open for `seconds`.
        public static func of(seconds: Int) -> Band {
            switch seconds {
            case ..<86_400: .underDay
            case ..<(3 * 86_400): .oneToThreeDays
            case ..<(7 * 86_400): .threeToSevenDays
            case ..<(30 * 86_400): .oneToFourWeeks
            default: .overMonth
            }
        }
    }

    public let counts: [Band: Int]
    public init(counts: [Band: Int]) { self.counts = counts }
    public var total: Int { counts.values.reduce(0, +) }
    public func count(_ band: Band) -> Int { counts[band] ?? 0 }
}

/// Return visits (回访) of the orders registered in a month and how many residents were satisfied.
public struct ReturnVisitFigures: Sendable, Equatable {
    public let visits: Int
    public let satisfied: Int
    public init(visits: Int, satisfied: Int) {
        self.visits = visits
        self.satisfied = satisfied
    }
    /// Satisfied per mille of the visits; nil when there were none.
    public var perMille: Int? { visits == 0 ? nil : satisfied * 1000 / visits }
}

/// One month of the 12-month trend, counted the way `MonthSummary` counts (orders registered in
/// the month; a clock is decided once stopped or late, met when stopped by its due time).
public struct MonthTrend: Sendable, Equatable {
    public let month: String
    public var orders: Int = 0
    public var complaints: Int = 0
    public var ratings: Int = 0
    public var ratingSum: Int = 0
    public var decided: [ClockKind: Int] = [:]
    public var met: [ClockKind: Int] = [:]
    /// Of the year's bills to this month, paid by its end (FEE-4), per mille.
    public var collectionPerMille: Int?

    public init(month: String) { self.month = month }

    /// Met per hundred decided with one decimal — the same rounding as `MonthSummary.ClockFigures`.
    public func attainmentPercent(_ kind: ClockKind) -> Double? {
        let d = decided[kind] ?? 0
        return d == 0 ? nil : Double((met[kind] ?? 0) * 1000 / d) / 10
    }

    /// The same rounding as `MonthSummary.averageRating` (down to 0.01).
    public var averageRating: Double? { ratings == 0 ? nil : Double(ratingSum * 100 / ratings) / 100 }

    /// The first month a report may ask for (`MonthSummary.range` accepts 2000-01 … 2100-12).
    public static let firstMonth = 2000 * 12

    /// The `count` months ending with `month`, oldest first: "2026-10", 3 → 2026-08, 2026-09, 2026-10.
    /// Clamped at 2000-01: the trend of "2000-03" is 2000-01 … 2000-03, never a month of 1999.
    public static func months(endingWith month: String, count: Int) -> [String] {
        let parts = month.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return [month] }
        let last = y * 12 + (m - 1)
        let first = max(last - (max(1, count) - 1), min(firstMonth, last))
        return (first...last).map { k in
            let mm = k % 12 + 1
            return "\(k / 12)-" + (mm < 10 ? "0" : "") + "\(mm)"
        }
    }
}
