import Foundation

/// How a customer interview took place (CR-3, S0 3.1 客户访谈).
public enum InterviewChannel: String, Sendable, Codable, CaseIterable {
    case visit
    case phone
    case meeting

    public var title: Message {
        switch self {
        case .visit: Message(zh: "上门访谈", en: "Visit")
        case .phone: Message(zh: "电话访谈", en: "Phone")
        case .meeting: Message(zh: "座谈会", en: "Meeting")
        }
    }
}

/// What a point raised in an interview is about: common issues are grouped by it (CR-3).
public enum InterviewTopic: String, Sendable, Codable, CaseIterable {
    case repair
    case cleaning
    case greening
    case security
    case parking
    case fees
    case service
    case facilities
    case other

    public var title: Message {
        switch self {
        case .repair: Message(zh: "维修", en: "Repairs")
        case .cleaning: Message(zh: "保洁", en: "Cleaning")
        case .greening: Message(zh: "绿化", en: "Greening")
        case .security: Message(zh: "安全秩序", en: "Security")
        case .parking: Message(zh: "停车", en: "Parking")
        case .fees: Message(zh: "收费", en: "Fees")
        case .service: Message(zh: "服务态度", en: "Service")
        case .facilities: Message(zh: "公共设施", en: "Facilities")
        case .other: Message(zh: "其他", en: "Other")
        }
    }
}

/// One thing a customer said in an interview (CR-3); grouped later into a common issue.
public struct InterviewPoint: Sendable, Equatable, Identifiable, Codable {
    public var id: UUID
    public var interviewID: UUID
    public var text: String
    public var topic: InterviewTopic
    /// The common issue it was grouped into, once grouped.
    public var issueID: UUID?

    public init(id: UUID = UUID(), interviewID: UUID, text: String, topic: InterviewTopic, issueID: UUID? = nil) {
        self.id = id
        self.interviewID = interviewID
        self.text = text
        self.topic = topic
        self.issueID = issueID
    }
}

/// A customer interview (客户访谈记录, CR-3, S0 3.1 "保留客户访谈记录"): who of the staff spoke with
/// which household and person, when and how, and the points raised.
public struct Interview: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    /// The unit's area (or the area of a meeting); nil for a community-wide meeting.
    public var areaID: UUID?
    public var unitID: UUID?
    /// "3栋 1201", or the meeting's place.
    public var unitLabel: String
    /// The person spoken with ("王女士", "业主代表 5 人").
    public var person: String
    public var channel: InterviewChannel
    public var at: Date
    public var byID: UUID?
    public var byName: String
    public var points: [InterviewPoint]

    public init(id: UUID, communityID: UUID, areaID: UUID?, unitID: UUID?, unitLabel: String, person: String, channel: InterviewChannel, at: Date,
                byID: UUID?, byName: String, points: [InterviewPoint]) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.unitID = unitID
        self.unitLabel = unitLabel
        self.person = person
        self.channel = channel
        self.at = at
        self.byID = byID
        self.byName = byName
        self.points = points
    }

    /// At most this many points per interview (a phone form stays short).
    public static let maxPoints = 8
}

/// A concern several customers share (共性问题, CR-3): interview points grouped under a title.
public struct CommonIssue: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    /// The area it belongs to; nil for the whole community.
    public var areaID: UUID?
    public var title: String
    public var topic: InterviewTopic
    /// How many points were grouped into it.
    public var pointCount: Int
    public var createdAt: Date
    public var byName: String

    public init(id: UUID, communityID: UUID, areaID: UUID?, title: String, topic: InterviewTopic, pointCount: Int, createdAt: Date, byName: String) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.title = title
        self.topic = topic
        self.pointCount = pointCount
        self.createdAt = createdAt
        self.byName = byName
    }
}

public enum RectificationStatus: String, Sendable, Codable, CaseIterable {
    case open
    case done

    public var title: Message {
        switch self {
        case .open: Message(zh: "整改中", en: "Open")
        case .done: Message(zh: "已完成", en: "Done")
        }
    }
}

/// The measure taken against a common issue (整改措施, CR-3, S0 3.1 "制定整改措施并落实公示"): an
/// owner and a due day; a deadline clock alerts the owner when the day passes, and when done the
/// result is published on the notice board.
public struct Rectification: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var issueID: UUID
    public var communityID: UUID
    public var areaID: UUID?
    public var measure: String
    public var ownerID: UUID
    public var ownerName: String
    /// "2026-11-30" in the community's time zone.
    public var dueDay: String
    /// The end of the due day (UTC): the deadline clock fires then.
    public var dueAt: Date
    public var status: RectificationStatus
    public var createdAt: Date
    public var doneAt: Date?
    public var doneNote: String?
    public var doneByName: String?
    /// The notice that published the result.
    public var noticeID: UUID?

    public init(id: UUID, issueID: UUID, communityID: UUID, areaID: UUID?, measure: String, ownerID: UUID, ownerName: String, dueDay: String, dueAt: Date,
                status: RectificationStatus = .open, createdAt: Date, doneAt: Date? = nil, doneNote: String? = nil, doneByName: String? = nil,
                noticeID: UUID? = nil) {
        self.id = id
        self.issueID = issueID
        self.communityID = communityID
        self.areaID = areaID
        self.measure = measure
        self.ownerID = ownerID
        self.ownerName = ownerName
        self.dueDay = dueDay
        self.dueAt = dueAt
        self.status = status
        self.createdAt = createdAt
        self.doneAt = doneAt
        self.doneNote = doneNote
        self.doneByName = doneByName
        self.noticeID = noticeID
    }

    /// Done after its due day.
    public var doneLate: Bool { doneAt.map { $0 > dueAt } ?? false }

    /// Still open with its due day over.
    public func isOverdue(at now: Date) -> Bool { status == .open && now >= dueAt }

    /// Counts as done on time: done by the end of its due day.
    public var onTime: Bool { status == .done && !doneLate }
}

public enum CulturePlanStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case submitted
    case approved

    public var title: Message {
        switch self {
        case .draft: Message(zh: "草稿", en: "Draft")
        case .submitted: Message(zh: "待审批", en: "Submitted")
        case .approved: Message(zh: "已批准", en: "Approved")
        }
    }
}

/// The year's community culture plan (年度社区文化建设计划, CR-4, S0 3.2): drafted by the CS
/// manager, submitted, approved by the center head only; its events are planned in it.
public struct CulturePlan: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var year: Int
    public var title: String
    public var goals: String
    /// The year's budget in fen; the events' budgets must fit in it.
    public var budgetFen: Int
    public var status: CulturePlanStatus
    public var createdAt: Date
    public var createdByName: String
    public var submittedAt: Date?
    public var approvedAt: Date?
    public var approvedByName: String?

    public init(id: UUID, communityID: UUID, year: Int, title: String, goals: String, budgetFen: Int, status: CulturePlanStatus = .draft, createdAt: Date,
                createdByName: String, submittedAt: Date? = nil, approvedAt: Date? = nil, approvedByName: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.year = year
        self.title = title
        self.goals = goals
        self.budgetFen = budgetFen
        self.status = status
        self.createdAt = createdAt
        self.createdByName = createdByName
        self.submittedAt = submittedAt
        self.approvedAt = approvedAt
        self.approvedByName = approvedByName
    }
}

/// One event of the plan (小区活动, CR-4, S0 3.2 "保留活动开展记录"): planned with a day, a place and
/// a budget; once held, its attendance and record (photos are evidence on it).
public struct CultureEvent: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var planID: UUID
    public var communityID: UUID
    public var title: String
    /// "2026-05-01".
    public var day: String
    public var place: String
    public var budgetFen: Int
    public var attendance: Int?
    public var record: String?
    public var recordedAt: Date?
    public var recordedByName: String?

    public init(id: UUID, planID: UUID, communityID: UUID, title: String, day: String, place: String, budgetFen: Int, attendance: Int? = nil,
                record: String? = nil, recordedAt: Date? = nil, recordedByName: String? = nil) {
        self.id = id
        self.planID = planID
        self.communityID = communityID
        self.title = title
        self.day = day
        self.place = place
        self.budgetFen = budgetFen
        self.attendance = attendance
        self.record = record
        self.recordedAt = recordedAt
        self.recordedByName = recordedByName
    }

    /// Held: its record was written.
    public var held: Bool { recordedAt != nil }
}

/// Checks shared by the customer-relations forms; bad input → `DomainError.invalid`, both languages.
public enum CustomerRelationsInput {
    /// A money amount in fen: 0 … 10,000,000 yuan.
    public static func fen(_ fen: Int, field: String) throws -> Int {
        guard (0...1_000_000_000).contains(fen) else {
            throw DomainError.invalid(field: field, Message(zh: "金额应在 0 至 1000 万元之间(以分计)", en: "The amount must be between 0 and 10,000,000 yuan (in fen)"))
        }
        return fen
    }

    /// A year a plan may be for.
    public static func year(_ year: Int) throws -> Int {
        guard (2000...2100).contains(year) else {
            throw DomainError.invalid(field: "year", Message(zh: "年份应在 2000 至 2100 之间", en: "The year must be between 2000 and 2100"))
        }
        return year
    }

    /// "1,234.50" from fen.
    public static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let v = abs(fen)
        let whole = v / 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return sign + digits + grouped + String(format: ".%02d", v % 100)
    }
}

extension SubjectKind {
    /// A rectification of a common issue (CR-3): its deadline clock, its owner's alert.
    public static let rectification = SubjectKind(rawValue: "rectification")
    /// An event of the culture plan (CR-4): its photos.
    public static let cultureEvent = SubjectKind(rawValue: "culture_event")
}
