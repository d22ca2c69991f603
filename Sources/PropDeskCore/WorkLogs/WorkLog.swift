import Foundation

/// 区域客户主任日工作记录 (FLD-6, S2 4.8): one per supervisor per working day. The day's rounds
/// and visits are read from their own records, not typed again; what the supervisor writes,
/// the handover to the stand-in and the CS manager's reply are entries on its hash-chained
/// timeline — added to, never edited.
public struct WorkLog: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    /// The area the supervisor answered for that day (from the approved table), if any.
    public var areaID: UUID?
    public var supervisorID: UUID
    public var supervisorName: String
    /// "2026-11-27", in the community's time zone.
    public var day: String
    public var dayStart: Date
    public var dayEnd: Date
    /// The end of the next working day: the CS manager must have replied by then (S2 4.8.2).
    public var reviewDueAt: Date
    public var reviewedAt: Date?
    public var reviewedBy: String?

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID?, supervisorID: UUID, supervisorName: String, day: String, dayStart: Date, dayEnd: Date,
                reviewDueAt: Date, reviewedAt: Date? = nil, reviewedBy: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.supervisorID = supervisorID
        self.supervisorName = supervisorName
        self.day = day
        self.dayStart = dayStart
        self.dayEnd = dayEnd
        self.reviewDueAt = reviewDueAt
        self.reviewedAt = reviewedAt
        self.reviewedBy = reviewedBy
    }

    public func reviewLate(at now: Date) -> Bool { reviewedAt.map { $0 > reviewDueAt } ?? (now >= reviewDueAt) }
    public var reviewedOnTime: Bool { reviewedAt.map { $0 <= reviewDueAt } ?? false }
}

/// What an entry of a work log is.
public enum WorkLogEntryKind: String, Sendable, Codable, CaseIterable {
    /// Something that happened, done or noted.
    case note
    /// An issue found that needs following up.
    case issue
    /// Before leave: open items handed to the stand-in (S2 4.8.2), seen in both logs.
    case handover
    /// The CS manager's reply (S2 4.8.2): reviewing the log.
    case review
    /// The CS manager's inspection of the area against this log (S2 4.9.2).
    case inspection
    /// The front desk's call back found a visit of this day did not happen (S2 4.9.3).
    case spotCheckFailed = "spot_check_failed"

    public var title: Message {
        switch self {
        case .note: Message(zh: "工作记录", en: "Note")
        case .issue: Message(zh: "问题与跟进", en: "Issue to follow up")
        case .handover: Message(zh: "交接给顶岗人", en: "Handed to the stand-in")
        case .review: Message(zh: "客服部门负责人审阅回复", en: "CS manager's review")
        case .inspection: Message(zh: "现场检查", en: "Inspection")
        case .spotCheckFailed: Message(zh: "抽查不属实", en: "Spot check failed")
        }
    }

    /// What the supervisor writes themselves.
    public static let written: [WorkLogEntryKind] = [.note, .issue, .handover]
}

extension SubjectKind {
    /// A supervisor's work log of one day (FLD-6).
    public static let workLog = SubjectKind(rawValue: "work_log")
}
