import Foundation

/// What kind of thing a clock, alert, timeline entry or piece of evidence belongs to (PLT-2).
/// Each capability names its own kinds and registers a handler for them (see the store's
/// `Platform`), so the sweeper, the alert list and the scorecard serve them all alike.
public struct SubjectKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A work order (INT-1 …).
    public static let workOrder = SubjectKind(rawValue: "work_order")
    /// One period of one duty in one community or area (PLT-1): "S0 2.3 · 2026-11".
    public static let dutyPeriod = SubjectKind(rawValue: "duty_period")

    public var description: String { rawValue }

    /// Letters, digits and underscores, at most 32: safe in a URL and a column.
    public var isWellFormed: Bool {
        (1...32).contains(rawValue.count) && rawValue.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" }
    }
}

/// Anything that can have a deadline, an alert, a history or evidence: a work order, a duty's
/// month, later a patrol round, a renovation, a bill. Carries what an alert or a scorecard row
/// needs to show it without reading the subject again.
public struct SubjectRef: Sendable, Hashable, Codable {
    public var kind: SubjectKind
    public var id: UUID
    public var communityID: UUID
    /// The area it belongs to, when it belongs to one (an area supervisor sees only theirs).
    public var areaID: UUID?
    /// How people name it: "CHHY-2611-00317", "S0 2.3 · 2026-11".
    public var label: String

    public init(kind: SubjectKind, id: UUID, communityID: UUID, areaID: UUID?, label: String) {
        self.kind = kind
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.label = label
    }
}
