import Foundation

/// What a notice on the board is about (CR-1, S0 3.4): the kinds the board and the portal group by.
public enum NoticeKind: String, CaseIterable, Codable, Sendable {
    case service
    case utilityCut = "utility_cut"
    case safety
    case workReport = "work_report"
    case activity
    case rectification

    public var title: Message {
        switch self {
        case .service: Message(zh: "服务通知", en: "Service notice")
        case .utilityCut: Message(zh: "停水停电", en: "Water / power cut")
        case .safety: Message(zh: "安全提示", en: "Safety notice")
        case .workReport: Message(zh: "物业服务工作报告", en: "Service work report")
        case .activity: Message(zh: "社区活动", en: "Community activity")
        case .rectification: Message(zh: "整改公示", en: "Rectification result")
        }
    }
}

/// Where a notice stands, computed from the clock (CR-1: "expired notices are withdrawn
/// automatically"), so the portal never shows an expired notice even between sweeps.
public enum NoticeState: String, CaseIterable, Codable, Sendable {
    case scheduled, current, expired, withdrawn

    public var title: Message {
        switch self {
        case .scheduled: Message(zh: "待发布", en: "Scheduled")
        case .current: Message(zh: "公告中", en: "Current")
        case .expired: Message(zh: "已过期", en: "Expired")
        case .withdrawn: Message(zh: "已撤回", en: "Withdrawn")
        }
    }
}

/// A notice as it is asked for (CR-1): to the whole community, an area, or some buildings.
/// `source` names what it comes from ("incident:<uuid>", "rectification:<uuid>",
/// "culture:<uuid>", "report:<yyyy-MM>"); one notice per source. `formID` makes a form
/// sent twice publish once.
public struct NoticeDraft: Sendable {
    public var communityID: UUID
    public var kind: NoticeKind
    public var title: String
    public var body: String
    /// Empty: the whole community (or the whole area when `areaID` is set).
    public var buildingIDs: [UUID]
    public var areaID: UUID?
    public var startsAt: Date
    public var expiresAt: Date
    public var source: String?
    public var formID: UUID?

    public init(communityID: UUID, kind: NoticeKind, title: String, body: String, buildingIDs: [UUID] = [], areaID: UUID? = nil,
                startsAt: Date, expiresAt: Date, source: String? = nil, formID: UUID? = nil) {
        self.communityID = communityID
        self.kind = kind
        self.title = title
        self.body = body
        self.buildingIDs = buildingIDs
        self.areaID = areaID
        self.startsAt = startsAt
        self.expiresAt = expiresAt
        self.source = source
        self.formID = formID
    }

    /// The longest a title and a body may be (an A4 sheet).
    public static let maxTitle = 60
    public static let maxBody = 4000

    /// How far from now a notice may start, and how long it may stay up: a year each (CR-1).
    public static let maxStartOffset: TimeInterval = 366 * 86_400
    public static let maxDuration: TimeInterval = 366 * 86_400

    /// Checks the draft at `now` (CR-1): a title and a text of sane length, a start within a
    /// year before or after now, an expiry after the start and at most a year later, so that no
    /// notice dated in year 0, 1990 or 2100 reaches the board. Bad input → `DomainError.invalid`,
    /// in both languages.
    public func validate(at now: Date) throws {
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { throw DomainError.invalid(field: "title", Message(zh: "标题不能为空", en: "The title must not be empty")) }
        if t.count > Self.maxTitle {
            throw DomainError.invalid(field: "title", Message(zh: "标题不能超过 \(Self.maxTitle) 字", en: "The title must be at most \(Self.maxTitle) characters"))
        }
        let b = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if b.isEmpty { throw DomainError.invalid(field: "body", Message(zh: "正文不能为空", en: "The text must not be empty")) }
        if b.count > Self.maxBody {
            throw DomainError.invalid(field: "body", Message(zh: "正文不能超过 \(Self.maxBody) 字", en: "The text must be at most \(Self.maxBody) characters"))
        }
        if abs(startsAt.timeIntervalSince(now)) > Self.maxStartOffset {
            throw DomainError.invalid(field: "startsAt", Message(zh: "开始时间须在当前时间前后一年之内", en: "The start must lie within a year before or after now"))
        }
        if expiresAt <= startsAt {
            throw DomainError.invalid(field: "expiresAt", Message(zh: "到期时间必须晚于开始时间", en: "The expiry must be after the start"))
        }
        if expiresAt.timeIntervalSince(startsAt) > Self.maxDuration {
            throw DomainError.invalid(field: "expiresAt", Message(zh: "公告期不能超过一年", en: "A notice may stay up for at most a year"))
        }
        if let s = source, s.isEmpty || s.count > 80 {
            throw DomainError.invalid(field: "source", Message(zh: "来源标识无效", en: "The source is not valid"))
        }
    }
}

/// A notice on the board (公告栏, CR-1, S0 3.4, S2 3.1.6) with its physical life: put up on the
/// board by the desk or the area supervisor, and taken down once expired or withdrawn.
public struct Notice: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var kind: NoticeKind
    public var title: String
    public var body: String
    public var buildingIDs: [UUID]
    public var areaID: UUID?
    public var startsAt: Date
    public var expiresAt: Date
    public var source: String?
    public var publishedByName: String
    public var createdAt: Date
    public var withdrawnAt: Date?
    public var withdrawReason: String?
    public var postedAt: Date?
    public var postedByName: String?
    public var takenDownAt: Date?
    public var takenDownByName: String?

    public init(id: UUID, communityID: UUID, kind: NoticeKind, title: String, body: String, buildingIDs: [UUID], areaID: UUID?,
                startsAt: Date, expiresAt: Date, source: String?, publishedByName: String, createdAt: Date,
                withdrawnAt: Date? = nil, withdrawReason: String? = nil, postedAt: Date? = nil, postedByName: String? = nil,
                takenDownAt: Date? = nil, takenDownByName: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.kind = kind
        self.title = title
        self.body = body
        self.buildingIDs = buildingIDs
        self.areaID = areaID
        self.startsAt = startsAt
        self.expiresAt = expiresAt
        self.source = source
        self.publishedByName = publishedByName
        self.createdAt = createdAt
        self.withdrawnAt = withdrawnAt
        self.withdrawReason = withdrawReason
        self.postedAt = postedAt
        self.postedByName = postedByName
        self.takenDownAt = takenDownAt
        self.takenDownByName = takenDownByName
    }

    /// The state at `at`: withdrawn wins, then the notice's own window [startsAt, expiresAt).
    public func state(at: Date) -> NoticeState {
        if let w = withdrawnAt, w <= at { return .withdrawn }
        if at < startsAt { return .scheduled }
        if at >= expiresAt { return .expired }
        return .current
    }

    /// Off the portal and due to come off the board: expired or withdrawn at `at`.
    public func isOver(at: Date) -> Bool {
        let s = state(at: at)
        return s == .expired || s == .withdrawn
    }

    /// When it stopped being shown: the withdrawal or the expiry, whichever came first.
    public var endedAt: Date { min(withdrawnAt ?? expiresAt, expiresAt) }

    /// For the whole community (no buildings and no area).
    public var isCommunityWide: Bool { buildingIDs.isEmpty && areaID == nil }
}

extension NoticeDraft {
    /// An incident (INT-16) as a notice in one step (CR-1): a water, power or gas cut is a
    /// utility-cut notice, anything else a safety notice; to the incident's buildings (none: the
    /// whole community), from now until the incident's expected end (a day when it has none).
    /// Its source is "incident:<id>", so it is published once however often it is asked.
    public static func from(_ i: Incident, at now: Date, formID: UUID? = nil) -> NoticeDraft {
        let kind: NoticeKind = [.water, .electricity, .gas].contains(i.category) ? .utilityCut : .safety
        let start = min(now, i.startsAt)
        let end = i.endsAt.map { max($0, now.addingTimeInterval(3600)) } ?? now.addingTimeInterval(86_400)
        let body = i.script.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? i.title : i.script
        return NoticeDraft(communityID: i.communityID, kind: kind, title: String(i.title.prefix(maxTitle)), body: body, buildingIDs: i.buildingIDs,
                           startsAt: start, expiresAt: end, source: "incident:\(i.id.uuidString.lowercased())", formID: formID)
    }
}

extension SubjectKind {
    /// A notice on the board (CR-1).
    public static let notice = SubjectKind(rawValue: "notice")
}
