import Foundation

/// The survey statistics table (调查统计表, S0 3.3) — pure, so the numbers on the page, in the
/// export, in the frozen copy and in the tests are one computation.
///
/// Rounding (stated once): shares are per mille of the households that answered that question,
/// rounded half up (2 of 3 → 667 ‰ = 66.7 %); a scale's mean is in hundredths of a point, rounded
/// half up (4, 4, 5 → 4.33); "satisfied" is the share answering 4 or 5 on the scale. A multiple
/// question's shares may add up to more than 100 %. The response rate is households answered out
/// of households asked, per mille, rounded half up.
public struct SurveyStatistics: Sendable, Codable, Equatable {
    /// One area's households asked and answered (`areaID` nil: units without an area).
    public struct AreaCount: Sendable, Codable, Equatable {
        public var areaID: UUID?
        public var households: Int
        public var responded: Int
        public init(areaID: UUID?, households: Int, responded: Int) {
            self.areaID = areaID
            self.households = households
            self.responded = responded
        }
        public var ratePerMille: Int? { SurveyStatistics.perMille(responded, of: households) }
    }

    /// One question's numbers over one group of households (`areaID` nil: all of them).
    public struct Cell: Sendable, Codable, Equatable {
        public var areaID: UUID?
        /// Households that answered this question.
        public var answered: Int
        /// Per option (or per scale point 1…5): how many chose it.
        public var counts: [Int]
        /// The same per mille of `answered`, rounded half up (nil when nobody answered).
        public var perMille: [Int?]
        /// Scale only: the mean in hundredths (433 = 4.33).
        public var meanHundredths: Int?
        /// Scale only: per mille answering 4 or 5.
        public var satisfiedPerMille: Int?
    }

    public struct QuestionStats: Sendable, Codable, Equatable {
        public var code: String
        public var kind: SurveyQuestionKind
        public var text: String
        public var options: [String]
        /// The whole survey first, then one cell per area in `areas` order.
        public var all: Cell
        public var byArea: [Cell]
        /// Text answers (for a text question): how many, the rest is read on the responses.
        public var texts: Int
    }

    public var households: Int
    public var responded: Int
    public var areas: [AreaCount]
    public var questions: [QuestionStats]
    /// When it was computed (for a closed survey: when it was frozen).
    public var computedAt: Date

    public var ratePerMille: Int? { Self.perMille(responded, of: households) }

    /// n of d per mille, rounded half up; nil when d is 0.
    public static func perMille(_ n: Int, of d: Int) -> Int? {
        guard d > 0 else { return nil }
        return (n * 2000 + d) / (2 * d)
    }

    /// "66.7%", or "—".
    public static func percent(_ perMille: Int?) -> String {
        guard let p = perMille else { return "—" }
        return "\(p / 10).\(p % 10)%"
    }

    /// 433 → "4.33", or "—".
    public static func mean(_ hundredths: Int?) -> String {
        guard let h = hundredths else { return "—" }
        return String(format: "%d.%02d", h / 100, h % 100)
    }

    /// Computes the table. `households` are the households asked per area (the survey's scope);
    /// each response counts in its own area's column and in the whole.
    public static func compute(_ survey: Survey, responses: [SurveyResponse], households: [UUID: Int], at: Date) -> SurveyStatistics {
        let areaIDs = households.keys.sorted { $0.uuidString < $1.uuidString }
        let byArea = Dictionary(grouping: responses, by: \.areaID)
        var areas = areaIDs.map { AreaCount(areaID: $0, households: households[$0] ?? 0, responded: byArea[$0]?.count ?? 0) }
        // Answers from units without an area (or outside the listed areas) still count in the whole.
        let stray = responses.filter { r in r.areaID.map { households[$0] == nil } ?? true }.count
        if stray > 0 { areas.append(AreaCount(areaID: nil, households: 0, responded: stray)) }
        let questions = survey.questions.map { q -> QuestionStats in
            let all = cell(q, responses, area: nil)
            let cells = areaIDs.map { cell(q, byArea[$0] ?? [], area: $0) }
            let texts = q.kind == .text ? responses.filter { r in r.answers.contains { $0.code == q.code && !($0.text ?? "").isEmpty } }.count : 0
            return QuestionStats(code: q.code, kind: q.kind, text: q.text, options: q.options, all: all, byArea: cells, texts: texts)
        }
        return SurveyStatistics(households: households.values.reduce(0, +), responded: responses.count, areas: areas, questions: questions, computedAt: at)
    }

    static func cell(_ q: SurveyQuestion, _ responses: [SurveyResponse], area: UUID?) -> Cell {
        let width = q.kind == .scale ? 5 : q.options.count
        var counts = Array(repeating: 0, count: width)
        var answered = 0
        for r in responses {
            guard let a = r.answers.first(where: { $0.code == q.code }) else { continue }
            if q.kind == .text {
                if !(a.text ?? "").isEmpty { answered += 1 }
                continue
            }
            let valid = a.choices.filter { (0..<width).contains($0) }
            guard !valid.isEmpty else { continue }
            answered += 1
            for c in Set(valid) { counts[c] += 1 }
        }
        var mean: Int?, satisfied: Int?
        if q.kind == .scale, answered > 0 {
            // Points are 1…5: index + 1.
            let sum = counts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
            mean = (sum * 200 + answered) / (2 * answered)
            satisfied = perMille(counts[3] + counts[4], of: answered)
        }
        return Cell(areaID: area, answered: answered, counts: counts, perMille: counts.map { perMille($0, of: answered) }, meanHundredths: mean,
                    satisfiedPerMille: satisfied)
    }

    /// The cell of a question for an area (nil: the whole).
    public func cell(_ code: String, area: UUID?) -> Cell? {
        guard let q = questions.first(where: { $0.code == code }) else { return nil }
        return area.map { a in q.byArea.first { $0.areaID == a } } ?? q.all
    }

    /// The same table seen by someone who may read only some areas (an area supervisor): the
    /// other areas' columns left out, the whole recomputed from what is left would mislead, so
    /// the whole is the sum of the visible areas' counts.
    public func restricted(to visible: Set<UUID>) -> SurveyStatistics {
        var s = self
        s.areas = areas.filter { $0.areaID.map(visible.contains) ?? false }
        s.households = s.areas.map(\.households).reduce(0, +)
        s.responded = s.areas.map(\.responded).reduce(0, +)
        s.questions = questions.map { q in
            var q = q
            q.byArea = q.byArea.filter { $0.areaID.map(visible.contains) ?? false }
            q.all = Self.sum(q.byArea, kind: q.kind, width: q.all.counts.count)
            return q
        }
        return s
    }

    /// Adds area cells together (the scale mean from the summed counts, so it stays exact).
    static func sum(_ cells: [Cell], kind: SurveyQuestionKind, width: Int) -> Cell {
        var counts = Array(repeating: 0, count: width)
        var answered = 0
        for c in cells {
            answered += c.answered
            for (i, n) in c.counts.enumerated() where i < width { counts[i] += n }
        }
        var mean: Int?, satisfied: Int?
        if kind == .scale, answered > 0, width == 5 {
            let sum = counts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
            mean = (sum * 200 + answered) / (2 * answered)
            satisfied = perMille(counts[3] + counts[4], of: answered)
        }
        return Cell(areaID: nil, answered: answered, counts: counts, perMille: counts.map { perMille($0, of: answered) }, meanHundredths: mean,
                    satisfiedPerMille: satisfied)
    }
}

/// The comparison with the previous closed survey of the same community (CR-2): question by
/// question (matched on code and kind), the scale's mean and satisfied share then and now.
public struct SurveyComparison: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var code: String
        public var text: String
        public var meanBefore: Int?
        public var meanNow: Int?
        public var satisfiedBefore: Int?
        public var satisfiedNow: Int?
        /// Hundredths of a point; positive is better.
        public var meanChange: Int? { meanNow.flatMap { n in meanBefore.map { n - $0 } } }
        /// Per mille points; positive is better.
        public var satisfiedChange: Int? { satisfiedNow.flatMap { n in satisfiedBefore.map { n - $0 } } }
    }

    public var previousID: UUID
    public var previousTitle: String
    public var rateBefore: Int?
    public var rateNow: Int?
    public var rows: [Row]

    /// Compares the scale questions both surveys share (same code, both scale) over the whole, or
    /// over one area.
    public static func compare(now: SurveyStatistics, before: SurveyStatistics, previous: Survey, area: UUID? = nil) -> SurveyComparison {
        let rows = now.questions.compactMap { q -> Row? in
            guard q.kind == .scale, let old = before.questions.first(where: { $0.code == q.code && $0.kind == .scale }) else { return nil }
            let cNow = area.map { a in q.byArea.first { $0.areaID == a } } ?? q.all
            let cOld = area.map { a in old.byArea.first { $0.areaID == a } } ?? old.all
            return Row(code: q.code, text: q.text, meanBefore: cOld?.meanHundredths, meanNow: cNow?.meanHundredths,
                       satisfiedBefore: cOld?.satisfiedPerMille, satisfiedNow: cNow?.satisfiedPerMille)
        }
        return SurveyComparison(previousID: previous.id, previousTitle: "\(previous.title)(\(previous.period))", rateBefore: before.ratePerMille,
                                rateNow: now.ratePerMille, rows: rows)
    }

    /// "+0.25" / "-0.10" / "—".
    public static func signedMean(_ h: Int?) -> String {
        guard let h else { return "—" }
        return (h >= 0 ? "+" : "-") + SurveyStatistics.mean(abs(h))
    }

    /// "+3.5%" / "-1.0%" / "—".
    public static func signedPercent(_ p: Int?) -> String {
        guard let p else { return "—" }
        return (p >= 0 ? "+" : "-") + SurveyStatistics.percent(abs(p))
    }
}
