import Foundation

/// What a renovation file must hold before it is approved (FLD-4; S0 5.3 "各类书面资料必须齐全",
/// S4 篇3): each a scanned document attached to the file, and the deposit received.
public enum RenovationDocument: String, Sendable, Codable, CaseIterable {
    case applicationForm = "application_form"
    case drawings
    case contractorLicence = "contractor_licence"
    case workerIDs = "worker_ids"
    case ownerCommitment = "owner_commitment"

    public var title: Message {
        switch self {
        case .applicationForm: Message(zh: "装修申请表", en: "Renovation application form")
        case .drawings: Message(zh: "装修平面图/施工图", en: "Floor plan and drawings")
        case .contractorLicence: Message(zh: "施工单位营业执照及资质", en: "Contractor's licence")
        case .workerIDs: Message(zh: "施工人员身份证复印件", en: "Workers' ID copies")
        case .ownerCommitment: Message(zh: "业主装修承诺书", en: "Owner's commitment")
        }
    }

    /// How a scanned document names the item it is for: its caption starts with the code
    /// ("drawings · 平面图.pdf"), so the checklist is read from the file's evidence.
    public func matches(caption: String) -> Bool {
        caption == rawValue || caption.hasPrefix(rawValue + " ")
    }
}

/// Where a renovation file stands (FLD-4).
public enum RenovationStatus: String, Sendable, Codable, CaseIterable {
    /// Registered, documents being collected.
    case applied
    /// Approved: the permit is on the door, works may go on; inspected as often as set.
    case approved
    /// Completion inspection passed; the file is closed.
    case closed

    public var title: Message {
        switch self {
        case .applied: Message(zh: "申请中", en: "Applied")
        case .approved: Message(zh: "施工中", en: "Approved, in progress")
        case .closed: Message(zh: "已验收结案", en: "Closed")
        }
    }
}

/// One renovation project of one unit (FLD-4, S0 5, S4 篇3): its file from application to
/// completion. The documents are evidence on it; its inspections and violations are records of
/// their own; its steps are on its hash-chained timeline.
public struct Renovation: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var buildingID: UUID
    public var areaID: UUID?
    /// "ZX-CHHY-2611-003": printed on the permit.
    public var number: String
    public var applicant: String
    public var applicantPhone: String
    public var contractor: String
    public var contractorPhone: String
    /// What will be done: "厨卫翻新、更换地板".
    public var works: String
    public var startsOn: String
    public var endsOn: String
    /// Renovation deposit received, in fen (the fees issue posts it as a deposit).
    public var depositFen: Int
    /// Inspect every N days while works go on (S2 4.2.2: daily in a hand-over period).
    public var inspectEveryDays: Int
    /// How the common areas are protected (lift car lined, corridor floor covered …).
    public var protection: String
    public var status: RenovationStatus
    public var createdAt: Date
    public var approvedAt: Date?
    public var approvedByName: String?
    public var closedAt: Date?

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, buildingID: UUID, areaID: UUID?, number: String, applicant: String, applicantPhone: String,
                contractor: String, contractorPhone: String, works: String, startsOn: String, endsOn: String, depositFen: Int, inspectEveryDays: Int,
                protection: String = "", status: RenovationStatus = .applied, createdAt: Date, approvedAt: Date? = nil, approvedByName: String? = nil,
                closedAt: Date? = nil) {
        self.id = id
        self.communityID = communityID
        self.unitID = unitID
        self.buildingID = buildingID
        self.areaID = areaID
        self.number = number
        self.applicant = applicant
        self.applicantPhone = applicantPhone
        self.contractor = contractor
        self.contractorPhone = contractorPhone
        self.works = works
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.depositFen = depositFen
        self.inspectEveryDays = inspectEveryDays
        self.protection = protection
        self.status = status
        self.createdAt = createdAt
        self.approvedAt = approvedAt
        self.approvedByName = approvedByName
        self.closedAt = closedAt
    }

    /// What still stands in the way of approval: documents without a scan, the deposit, the
    /// common-area protection. Empty: it may be approved.
    public func missing(documentCaptions: [String]) -> [Message] {
        var out = RenovationDocument.allCases.filter { doc in !documentCaptions.contains(where: doc.matches) }.map(\.title)
        if depositFen <= 0 { out.append(Message(zh: "装修押金", en: "Renovation deposit")) }
        if protection.trimmingCharacters(in: .whitespaces).isEmpty { out.append(Message(zh: "公共区域保护措施", en: "Common-area protection")) }
        return out
    }

    /// "2026-11-03": a plain date, checked.
    public static func date(_ raw: String, field: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "-").compactMap { Int($0) }
        guard t.count == 10, parts.count == 3, (2000...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            throw DomainError.invalid(field: field, Message(zh: "日期格式应为 2026-11-03", en: "A date looks like 2026-11-03"))
        }
        return t
    }
}

/// One inspection of a renovation: routine (S0 5.4) or the completion inspection.
public struct RenovationInspection: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var renovationID: UUID
    public var at: Date
    public var byID: UUID?
    public var byName: String
    public var passed: Bool
    public var note: String
    public var completion: Bool

    public init(id: UUID = UUID(), renovationID: UUID, at: Date, byID: UUID?, byName: String, passed: Bool, note: String, completion: Bool) {
        self.id = id
        self.renovationID = renovationID
        self.at = at
        self.byID = byID
        self.byName = byName
        self.passed = passed
        self.note = note
        self.completion = completion
    }
}

/// Where a violation stands (S0 5.1: 事前告知、事中制止、事后上报).
public enum ViolationStatus: String, Sendable, Codable, CaseIterable {
    /// Written notice issued with a deadline.
    case noticed
    /// Not corrected: works stopped.
    case stopped
    /// Reported in writing to the authority.
    case reported
    /// Put right; closed.
    case corrected

    public var title: Message {
        switch self {
        case .noticed: Message(zh: "已发整改通知", en: "Notice issued")
        case .stopped: Message(zh: "已制止施工", en: "Works stopped")
        case .reported: Message(zh: "已书面上报", en: "Reported to the authority")
        case .corrected: Message(zh: "已整改", en: "Corrected")
        }
    }

    public var isOpen: Bool { self != .corrected }
}

/// A violation found on a renovation (FLD-4, S0 5): the written notice (numbered, the rule
/// broken, a deadline), stop measures, and if not corrected a written report to the authority.
/// The notice's words live on the violation's hash-chained timeline — never edited; a
/// correction is a new entry that points at the one it corrects.
public struct RenovationViolation: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var renovationID: UUID
    public var communityID: UUID
    public var areaID: UUID?
    /// "WG-CHHY-2611-002": printed on the notice.
    public var number: String
    public var status: ViolationStatus
    public var deadline: Date
    public var createdAt: Date

    public init(id: UUID = UUID(), renovationID: UUID, communityID: UUID, areaID: UUID?, number: String, status: ViolationStatus, deadline: Date, createdAt: Date) {
        self.id = id
        self.renovationID = renovationID
        self.communityID = communityID
        self.areaID = areaID
        self.number = number
        self.status = status
        self.deadline = deadline
        self.createdAt = createdAt
    }

    /// The steps after the notice, and which state each leads from and to.
    public enum Step: String, Sendable, CaseIterable {
        case stop, report, correct

        public var title: Message {
            switch self {
            case .stop: Message(zh: "制止施工", en: "Stop the works")
            case .report: Message(zh: "书面上报主管部门", en: "Report in writing to the authority")
            case .correct: Message(zh: "确认已整改", en: "Confirm it is corrected")
            }
        }

        public var to: ViolationStatus {
            switch self {
            case .stop: .stopped
            case .report: .reported
            case .correct: .corrected
            }
        }

        /// stop only after a notice; report only once stopped (or noticed); correct at any
        /// open stage.
        public func allowed(from s: ViolationStatus) -> Bool {
            switch self {
            case .stop: s == .noticed
            case .report: s == .noticed || s == .stopped
            case .correct: s.isOpen
            }
        }
    }
}

extension SubjectKind {
    /// A renovation file (FLD-4): its documents, approval, inspections and close.
    public static let renovation = SubjectKind(rawValue: "renovation")
    /// A violation on a renovation: notice → stop → report, each with evidence.
    public static let renovationViolation = SubjectKind(rawValue: "renovation_violation")
}
