import Foundation

/// One community's (or one area's) month at a glance (REP-1): how many requests of each kind,
/// how many clocks met their targets, and the median and 90th-percentile response, arrival and
/// completion times — the figures a center head reads every month and shows an auditor
/// (S0 2.3: emergencies on site within 15 minutes).
public struct MonthSummary: Sendable, Equatable {
    public struct KindCount: Sendable, Equatable {
        public let kind: RequestKind
        public let orders: Int
        public let emergencies: Int
        public init(kind: RequestKind, orders: Int, emergencies: Int) {
            self.kind = kind
            self.orders = orders
            self.emergencies = emergencies
        }
    }

    /// One clock as the summary needs it.
    public struct ClockRow: Sendable, Equatable {
        public let kind: ClockKind
        public let priority: Priority
        public let startedAt: Date
        public let dueAt: Date
        public let stoppedAt: Date?
        public let breachedAt: Date?
        public let heldSeconds: Int
        public init(kind: ClockKind, priority: Priority, startedAt: Date, dueAt: Date, stoppedAt: Date?, breachedAt: Date?, heldSeconds: Int) {
            self.kind = kind
            self.priority = priority
            self.startedAt = startedAt
            self.dueAt = dueAt
            self.stoppedAt = stoppedAt
            self.breachedAt = breachedAt
            self.heldSeconds = heldSeconds
        }

        /// nil while still running and not yet late: not decided.
        var met: Bool? {
            if breachedAt != nil { return false }
            guard let stoppedAt else { return nil }
            return stoppedAt <= dueAt
        }

        var seconds: Int? { stoppedAt.map { max(0, Int($0.timeIntervalSince(startedAt)) - heldSeconds) } }
    }

    public struct ClockFigures: Sendable, Equatable {
        public let kind: ClockKind
        /// Only emergencies, or every priority.
        public let emergencyOnly: Bool
        /// Clocks decided: stopped, or already late.
        public let decided: Int
        public let met: Int
        public let medianSeconds: Int?
        public let p90Seconds: Int?
        /// Met per hundred decided, one decimal; nil when nothing was decided.
        public var attainmentPercent: Double? { decided == 0 ? nil : (Double(met * 1000 / decided)) / 10 }
    }

    public let month: String
    public let from: Date
    public let until: Date
    public let orders: Int
    public let byKind: [KindCount]
    public let clocks: [ClockFigures]
    public let ratings: Int
    public let averageRating: Double?

    public init(month: String, from: Date, until: Date, byKind: [KindCount], clocks rows: [ClockRow], ratings: Int, ratingSum: Int) {
        self.month = month
        self.from = from
        self.until = until
        self.byKind = byKind.filter { $0.orders > 0 }.sorted { ($0.orders, $1.kind.rawValue) > ($1.orders, $0.kind.rawValue) }
        orders = byKind.reduce(0) { $0 + $1.orders }
        self.ratings = ratings
        averageRating = ratings == 0 ? nil : (Double(ratingSum * 100 / ratings)) / 100
        var figures: [ClockFigures] = []
        for emergencyOnly in [false, true] {
            for kind in [ClockKind.response, .arrival, .completion] {
                let mine = rows.filter { $0.kind == kind && (!emergencyOnly || $0.priority == .emergency) }
                let decided = mine.compactMap(\.met)
                let times = mine.compactMap(\.seconds).sorted()
                figures.append(ClockFigures(kind: kind, emergencyOnly: emergencyOnly, decided: decided.count, met: decided.filter { $0 }.count,
                                            medianSeconds: Self.percentile(times, 50), p90Seconds: Self.percentile(times, 90)))
            }
        }
        clocks = figures
    }

    /// Nearest-rank percentile of ascending values: the smallest value with at least p% of the
    /// values at or below it.
    public static func percentile(_ sorted: [Int], _ p: Int) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, (sorted.count * p + 99) / 100)
        return sorted[min(sorted.count, rank) - 1]
    }

    /// "2026-10" → the first instant of that month and of the next, in the community's time zone.
    public static func range(month: String, timeZone: String) throws -> (from: Date, until: Date) {
        let parts = month.split(separator: "-", omittingEmptySubsequences: false)
        guard month.count == 7, month.allSatisfy({ $0 == "-" || ($0.isASCII && $0.isNumber) }), parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              (2000...2100).contains(y), (1...12).contains(m) else {
            throw DomainError.invalid(field: "month", Message(zh: "月份格式应为 YYYY-MM,例如 2026-10", en: "The month must look like YYYY-MM, for example 2026-10"))
        }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let from = cal.date(from: DateComponents(year: y, month: m, day: 1))!
        let until = cal.date(byAdding: .month, value: 1, to: from)!
        return (from, until)
    }
}
