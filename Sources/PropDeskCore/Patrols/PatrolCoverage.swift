import Foundation

/// Which checkpoints were missed, when (FLD-3, S2 4.2.1): each key spot of an area is due once
/// every day, every checkpoint once every week (Monday to Sunday), in the community's time
/// zone. Pure: the store reads checkpoints and visit times, this decides.
public enum PatrolCoverage {
    /// One day or one week, local to the community: [start, end).
    public struct Span: Sendable, Equatable, Hashable {
        public let start: Date
        public let end: Date
        /// "2026-11-03" (a day) or the Monday of a week.
        public let label: String
    }

    static func calendar(_ timeZone: String) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        cal.firstWeekday = 2
        return cal
    }

    static func label(_ date: Date, _ cal: Calendar) -> String {
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 2000, c.month ?? 1, c.day ?? 1)
    }

    /// The local day `date` falls in.
    public static func day(of date: Date, timeZone: String) -> Span {
        let cal = calendar(timeZone)
        let start = cal.startOfDay(for: date)
        let end = cal.date(byAdding: .day, value: 1, to: start)!
        return Span(start: start, end: end, label: label(start, cal))
    }

    /// The Monday-to-Sunday week `date` falls in.
    public static func week(of date: Date, timeZone: String) -> Span {
        let cal = calendar(timeZone)
        let day = cal.startOfDay(for: date)
        let weekday = cal.component(.weekday, from: day)  // 1 = Sunday
        let back = (weekday + 5) % 7
        let start = cal.date(byAdding: .day, value: -back, to: day)!
        return Span(start: start, end: cal.date(byAdding: .day, value: 7, to: start)!, label: label(start, cal))
    }

    /// A day by its label ("2026-11-03"); nil when it is not a date.
    public static func day(_ label: String, timeZone: String) -> Span? {
        let parts = label.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (2000...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let cal = calendar(timeZone)
        guard let date = cal.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)),
              cal.component(.day, from: date) == parts[2] else { return nil }
        return day(of: date, timeZone: timeZone)
    }

    /// Every whole day of [from, until) that has ended by `asOf`.
    public static func days(from: Date, until: Date, endedBy asOf: Date, timeZone: String) -> [Span] {
        var out: [Span] = []
        var d = day(of: from, timeZone: timeZone)
        while d.end <= until && d.end <= asOf && out.count < 400 {
            if d.start >= from { out.append(d) }
            d = day(of: d.end, timeZone: timeZone)
        }
        return out
    }

    /// Every week whose Sunday falls in [from, until) and that has ended by `asOf`: a month's
    /// weekly duty is judged on the weeks that end in it, so each week is judged once.
    public static func weeks(endingIn from: Date, until: Date, endedBy asOf: Date, timeZone: String) -> [Span] {
        var out: [Span] = []
        var w = week(of: from, timeZone: timeZone)
        while w.start < until && out.count < 60 {
            let lastDay = w.end.addingTimeInterval(-1)
            if lastDay >= from && lastDay < until && w.end <= asOf { out.append(w) }
            w = week(of: w.end, timeZone: timeZone)
        }
        return out
    }

    /// The checkpoints due in the span and not visited in it: the key spots for a day, every
    /// checkpoint for a week.
    public static func missed(_ checkpoints: [Checkpoint], visitedAt visits: [UUID: [Date]], in span: Span, keySpotsOnly: Bool) -> [Checkpoint] {
        due(checkpoints, in: span, keySpotsOnly: keySpotsOnly).filter { cp in
            !(visits[cp.id] ?? []).contains { $0 >= span.start && $0 < span.end }
        }
    }

    /// The checkpoints on the route for the whole span.
    public static func due(_ checkpoints: [Checkpoint], in span: Span, keySpotsOnly: Bool) -> [Checkpoint] {
        checkpoints.filter { (!keySpotsOnly || $0.keySpot) && $0.isDue(from: span.start, until: span.end) }
    }
}
