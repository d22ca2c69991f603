import Foundation

/// Where an area assignment table stands (FLD-1, S2 3.2, 4.1.1): drafted by the CS manager,
/// submitted, approved by the center head (then in force until the next one is approved) or
/// returned with a reason.
public enum AssignmentStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, approved, returned, superseded

    public var title: Message {
        switch self {
        case .draft: Message(zh: "草稿", en: "Draft")
        case .submitted: Message(zh: "待批准", en: "Awaiting approval")
        case .approved: Message(zh: "已批准,执行中", en: "Approved, in force")
        case .returned: Message(zh: "已退回", en: "Returned")
        case .superseded: Message(zh: "已被新表取代", en: "Superseded")
        }
    }
}

/// One area's line of the assignment table: who looks after it, who stands in, how to reach
/// them (published on the lobby card, FLD-2), how many households it has (the visit quotas
/// are counted from this, FLD-5) and its key spots (S2 4.2.1).
public struct AssignmentRow: Sendable, Codable, Equatable {
    public var areaID: UUID
    public var areaName: String
    public var supervisorID: UUID
    public var supervisorName: String
    public var standInID: UUID?
    public var standInName: String
    public var mobile: String
    public var workPhone: String
    public var households: Int
    public var keySpots: String

    public init(areaID: UUID, areaName: String, supervisorID: UUID, supervisorName: String, standInID: UUID?, standInName: String,
                mobile: String, workPhone: String, households: Int, keySpots: String) {
        self.areaID = areaID
        self.areaName = areaName
        self.supervisorID = supervisorID
        self.supervisorName = supervisorName
        self.standInID = standInID
        self.standInName = standInName
        self.mobile = mobile
        self.workPhone = workPhone
        self.households = households
        self.keySpots = keySpots
    }

    /// What the lobby card shows; a change of any of it means a new card (S2 4.1.2).
    public var cardFace: String { [supervisorID.uuidString, supervisorName, mobile, workPhone].joined(separator: "|") }
}

/// 区域管理服务工作分配表 (FLD-1): one version of a community's areas → supervisors.
public struct AssignmentTable: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    /// 1, 2, 3 … per community.
    public var version: Int
    public var status: AssignmentStatus
    public var rows: [AssignmentRow]
    public var note: String
    public var draftedByID: UUID?
    public var draftedBy: String
    public var draftedAt: Date
    public var submittedAt: Date?
    public var decidedByID: UUID?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionNote: String?

    public init(id: UUID = UUID(), communityID: UUID, version: Int, status: AssignmentStatus = .draft, rows: [AssignmentRow], note: String,
                draftedByID: UUID?, draftedBy: String, draftedAt: Date, submittedAt: Date? = nil, decidedByID: UUID? = nil, decidedBy: String? = nil,
                decidedAt: Date? = nil, decisionNote: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.version = version
        self.status = status
        self.rows = rows
        self.note = note
        self.draftedByID = draftedByID
        self.draftedBy = draftedBy
        self.draftedAt = draftedAt
        self.submittedAt = submittedAt
        self.decidedByID = decidedByID
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionNote = decisionNote
    }

    public func row(area: UUID) -> AssignmentRow? { rows.first { $0.areaID == area } }

    /// The areas a person answers for in this table: as supervisor, or as stand-in.
    public func areas(of user: UUID) -> (own: [UUID], standIn: [UUID]) {
        (rows.filter { $0.supervisorID == user }.map(\.areaID), rows.filter { $0.standInID == user }.map(\.areaID))
    }

    /// Checks a draft: every row a known area once, a supervisor, a stand-in who is someone
    /// else, households 0…100 000, key spots named.
    public static func check(_ rows: [AssignmentRow]) throws -> [AssignmentRow] {
        guard !rows.isEmpty, rows.count <= 200 else {
            throw DomainError.invalid(field: "rows", Message(zh: "分配表应有 1 至 200 个区域", en: "A table has 1 to 200 areas"))
        }
        guard Set(rows.map(\.areaID)).count == rows.count else {
            throw DomainError.invalid(field: "rows", Message(zh: "一个区域在表中只能出现一次", en: "Each area appears once in a table"))
        }
        return try rows.map { r in
            var r = r
            if r.standInID == r.supervisorID {
                throw DomainError.invalid(field: "standIn", Message(zh: "\(r.areaName):顶岗人不能是区域客户主任本人", en: "\(r.areaName): the stand-in must be someone else"))
            }
            guard (0...100_000).contains(r.households) else {
                throw DomainError.invalid(field: "households", Message(zh: "\(r.areaName):户数应在 0 至 100000 之间", en: "\(r.areaName): households must be 0 to 100000"))
            }
            r.mobile = try Validate.text(r.mobile, field: "mobile", max: 20, required: true)
            r.workPhone = try Validate.text(r.workPhone, field: "workPhone", max: 20, required: false)
            r.keySpots = try Validate.text(r.keySpots, field: "keySpots", max: 500, required: true)
            return r
        }
    }
}

/// A change of staff that makes the table in force out of date (S2 4.1.1): a named supervisor
/// or stand-in deactivated, moved to other areas, or given another role. A new table must be
/// approved within three working days.
public struct StaffChange: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case deactivated, moved
        case roleChanged = "role_changed"

        public var title: Message {
            switch self {
            case .deactivated: Message(zh: "账户停用", en: "Account deactivated")
            case .moved: Message(zh: "调整负责区域", en: "Moved to other areas")
            case .roleChanged: Message(zh: "岗位变更", en: "Role changed")
            }
        }
    }

    public var id: UUID
    public var communityID: UUID
    public var userID: UUID
    public var userName: String
    public var kind: Kind
    public var at: Date
    public var dueAt: Date
    public var resolvedByTableID: UUID?
    public var resolvedAt: Date?

    public init(id: UUID = UUID(), communityID: UUID, userID: UUID, userName: String, kind: Kind, at: Date, dueAt: Date,
                resolvedByTableID: UUID? = nil, resolvedAt: Date? = nil) {
        self.id = id
        self.communityID = communityID
        self.userID = userID
        self.userName = userName
        self.kind = kind
        self.at = at
        self.dueAt = dueAt
        self.resolvedByTableID = resolvedByTableID
        self.resolvedAt = resolvedAt
    }

    public func overdue(at now: Date) -> Bool { resolvedAt.map { $0 > dueAt } ?? (now >= dueAt) }
    public static let workingDays = 3
}

/// The supervisor's card on the lobby notice board (FLD-2, S2 4.1.2): generated from the
/// approved table; printed and marked as posted within three days of the change.
public struct ContactCard: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID
    public var areaName: String
    public var tableID: UUID
    public var supervisorID: UUID
    public var supervisorName: String
    public var mobile: String
    public var workPhone: String
    public var issuedAt: Date
    public var dueAt: Date
    public var printedAt: Date?
    public var postedAt: Date?
    public var postedBy: String?

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID, areaName: String, tableID: UUID, supervisorID: UUID, supervisorName: String,
                mobile: String, workPhone: String, issuedAt: Date, dueAt: Date, printedAt: Date? = nil, postedAt: Date? = nil, postedBy: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.areaName = areaName
        self.tableID = tableID
        self.supervisorID = supervisorID
        self.supervisorName = supervisorName
        self.mobile = mobile
        self.workPhone = workPhone
        self.issuedAt = issuedAt
        self.dueAt = dueAt
        self.printedAt = printedAt
        self.postedAt = postedAt
        self.postedBy = postedBy
    }

    public static let daysToPost = 3
    public var cardFace: String { [supervisorID.uuidString, supervisorName, mobile, workPhone].joined(separator: "|") }
}

/// Working days by the service calendar of the contract (its weekdays and holidays): "within
/// three working days", "reviewed the next working day".
public struct WorkingDays: Sendable {
    public let hours: ServiceHours
    let calendar: Calendar

    public init(_ hours: ServiceHours) {
        self.hours = hours
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: hours.timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        calendar = c
    }

    public func isWorkingDay(_ day: Date) -> Bool {
        let weekday = (calendar.component(.weekday, from: day) + 5) % 7 + 1   // 1 = Monday
        return hours.weekdays.contains(weekday) && !hours.holidays.contains(Self.key(day, calendar))
    }

    /// The end (next local midnight) of the n-th working day after the day `date` falls on.
    public func endOfWorkingDay(_ n: Int, after date: Date) -> Date {
        var day = calendar.startOfDay(for: date)
        var left = n
        for _ in 0..<800 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            if isWorkingDay(day) { left -= 1 }
            if left <= 0 { break }
        }
        return calendar.date(byAdding: .day, value: 1, to: day)!
    }

    /// "2026-11-27" for the local day of `date`.
    public func dayKey(_ date: Date) -> String { Self.key(date, calendar) }

    /// The local day "yyyy-MM-dd" as [start, end).
    public func day(_ key: String) -> (start: Date, end: Date)? {
        let p = key.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, key.count == 10, let start = calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2])),
              Self.key(start, calendar) == key else { return nil }
        return (start, calendar.date(byAdding: .day, value: 1, to: start)!)
    }

    static func key(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        // Not `String(format:)` (Core Foundation's formatter): every patrol visit, log entry and receipt asks.
        return ClockCalendar.dayKey(c.year!, c.month!, c.day!)
    }
}

extension SubjectKind {
    /// An assignment table version (FLD-1): drafted, submitted, approved or returned.
    public static let assignmentTable = SubjectKind(rawValue: "assignment_table")
    /// A staff change waiting for a new approved table (S2 4.1.1).
    public static let staffChange = SubjectKind(rawValue: "staff_change")
    /// A lobby contact card to be posted (FLD-2); its photo is evidence on it.
    public static let contactCard = SubjectKind(rawValue: "contact_card")
}
