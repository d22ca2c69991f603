import Foundation

/// 值班日志 (FD-3, S4 篇5 4.6): the front desk's log of one community and day. Its entries are
/// entries on the platform's hash-chained timeline — "不得撕页,记录不得涂改": nothing is edited
/// or deleted, by anyone, through any route; a correction is a new entry naming the one it
/// corrects, and `propdesk verify` names the first entry altered or removed behind PropDesk's
/// back. The CS manager checks and signs the day's log (S4 4.8).
public struct DutyLogDay: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    /// "2026-11-27", in the community's time zone.
    public var day: String
    public var dayStart: Date
    public var dayEnd: Date
    /// The CS manager must have signed it by then: the end of the next working day.
    public var signDueAt: Date
    public var signedAt: Date?
    public var signedBy: String?

    public init(id: UUID = UUID(), communityID: UUID, day: String, dayStart: Date, dayEnd: Date, signDueAt: Date, signedAt: Date? = nil,
                signedBy: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.day = day
        self.dayStart = dayStart
        self.dayEnd = dayEnd
        self.signDueAt = signDueAt
        self.signedAt = signedAt
        self.signedBy = signedBy
    }

    public var signedOnTime: Bool { signedAt.map { $0 <= signDueAt } ?? false }
}

/// A shift of the front desk (S4 4.7): the day shift and the night shift.
public enum DeskShift: String, Sendable, Codable, CaseIterable {
    case day, night

    public var title: Message {
        switch self {
        case .day: Message(zh: "白班", en: "Day shift")
        case .night: Message(zh: "夜班", en: "Night shift")
        }
    }
}

/// One entry of the duty log as it reads: what happened, when, who wrote it, on which shift,
/// and — for a correction — the number of the entry it corrects.
public struct DutyLogEntry: Sendable, Equatable {
    public var seq: Int
    public var at: Date
    public var shift: DeskShift
    public var text: String
    public var writtenBy: String
    public var corrects: Int?
    public var hash: String

    public init(seq: Int, at: Date, shift: DeskShift, text: String, writtenBy: String, corrects: Int?, hash: String) {
        self.seq = seq
        self.at = at
        self.shift = shift
        self.text = text
        self.writtenBy = writtenBy
        self.corrects = corrects
        self.hash = hash
    }

    /// Reads an entry of the log's timeline; nil for the log's own steps (opened, signed).
    public init?(_ e: TimelineEntry) {
        guard e.kind == "entry" || e.kind == "correction" else { return nil }
        self.init(seq: e.seq, at: e.at, shift: DeskShift(rawValue: e.data["shift"] ?? "") ?? .day, text: e.note ?? "", writtenBy: e.actorName,
                  corrects: e.data["corrects"].flatMap { Int($0) }, hash: e.hash)
    }
}

extension SubjectKind {
    /// The front desk's duty log of one day (FD-3).
    public static let dutyLogDay = SubjectKind(rawValue: "duty_log_day")
}
