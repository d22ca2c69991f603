import Foundation

/// The CS manager's inspection of an area against its supervisor's log (FLD-7, S2 4.9.2).
public struct AreaInspection: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID
    /// The area supervisor's log of that day, when there is one.
    public var logID: UUID?
    public var inspectorID: UUID?
    public var inspectorName: String
    public var at: Date
    /// Whether what was found matches the log.
    public var matchesLog: Bool
    public var findings: String

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID, logID: UUID?, inspectorID: UUID?, inspectorName: String, at: Date, matchesLog: Bool,
                findings: String) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.logID = logID
        self.inspectorID = inspectorID
        self.inspectorName = inspectorName
        self.at = at
        self.matchesLog = matchesLog
        self.findings = findings
    }

    /// ≥ 2 a month per area (S2 4.9.2).
    public static let perMonth = 2
}

/// One visit drawn for a call back (FLD-7, S2 4.9.3).
public struct SpotCheck: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var drawID: UUID
    public var communityID: UUID
    public var areaID: UUID
    public var visitID: UUID
    public var unitID: UUID
    public var supervisorName: String
    public var visitedAt: Date
    public var mode: VisitMode
    public var outcome: SpotCheckOutcome?
    public var note: String
    public var calledAt: Date?
    public var calledBy: String?

    public init(id: UUID = UUID(), drawID: UUID, communityID: UUID, areaID: UUID, visitID: UUID, unitID: UUID, supervisorName: String, visitedAt: Date,
                mode: VisitMode, outcome: SpotCheckOutcome? = nil, note: String = "", calledAt: Date? = nil, calledBy: String? = nil) {
        self.id = id
        self.drawID = drawID
        self.communityID = communityID
        self.areaID = areaID
        self.visitID = visitID
        self.unitID = unitID
        self.supervisorName = supervisorName
        self.visitedAt = visitedAt
        self.mode = mode
        self.outcome = outcome
        self.note = note
        self.calledAt = calledAt
        self.calledBy = calledBy
    }
}

/// The monthly random sample of visit records for call backs (S2 4.9.3): per area, at least
/// ⌈10 %⌉ of the month's visits, drawn from those not drawn before. Random, and reproducible
/// for an auditor: the seed and the population (in a stated order) are kept, and the same
/// seed on the same population draws the same visits.
public enum SpotCheckSample {
    public static let perMille = 100

    /// ⌈10 % × n⌉.
    public static func required(_ n: Int) -> Int { (n * perMille + 999) / 1000 }

    /// The visits to add to an area's sample: `population` in its recorded order (the month's
    /// visits of the area), `drawn` those already in earlier draws. Picks what is missing to
    /// reach ⌈10 %⌉ of the population by a partial Fisher–Yates shuffle of the undrawn visits
    /// driven by SplitMix64(seed).
    public static func draw(population: [UUID], drawn: Set<UUID>, seed: UInt64) -> [UUID] {
        let have = population.filter(drawn.contains).count
        let need = required(population.count) - have
        guard need > 0 else { return [] }
        var pool = population.filter { !drawn.contains($0) }
        var rng = SplitMix64(seed: seed)
        for i in 0..<min(need, pool.count) {
            let j = i + Int(rng.next() % UInt64(pool.count - i))
            pool.swapAt(i, j)
        }
        return Array(pool.prefix(need))
    }

    /// A seed for a new draw, from the system's random source.
    public static func newSeed() -> UInt64 { UInt64.random(in: 1...UInt64(Int64.max)) }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small, well-mixed generator whose whole state is
/// its seed — what makes a draw reproducible on any machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SubjectKind {
    /// The CS manager's inspection of an area (FLD-7); photos are evidence on it.
    public static let areaInspection = SubjectKind(rawValue: "area_inspection")
}
