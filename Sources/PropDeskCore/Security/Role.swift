/// Who a signed-in person is in the service center (SPEC §0).
public enum Role: String, Sendable, Codable, CaseIterable {
    /// 系统管理员 — accounts, communities, configuration.
    case admin
    /// 物业服务中心负责人 — approves, sees everything in the center.
    case centerHead = "center_head"
    /// 客户服务部门负责人 — assigns areas, reviews logs, inspects.
    case csManager = "cs_manager"
    /// 前台客服 / 客服助理 — registers requests, dispatches, calls back.
    case frontDesk = "front_desk"
    /// 区域客户主任 — patrols an area, visits households.
    case areaSupervisor = "area_supervisor"
    /// 维修人员 — does work orders.
    case engineer
    /// 财务 — bills, payments, arrears.
    case finance
    /// 业主 / 住户 — the portal.
    case resident

    public var title: Message {
        switch self {
        case .admin: Message(zh: "系统管理员", en: "Administrator")
        case .centerHead: Message(zh: "物业服务中心负责人", en: "Center head")
        case .csManager: Message(zh: "客户服务部门负责人", en: "Customer-service manager")
        case .frontDesk: Message(zh: "前台客服", en: "Front desk")
        case .areaSupervisor: Message(zh: "区域客户主任", en: "Area supervisor")
        case .engineer: Message(zh: "维修人员", en: "Engineer")
        case .finance: Message(zh: "财务", en: "Finance")
        case .resident: Message(zh: "业主/住户", en: "Resident")
        }
    }

    public var isStaff: Bool { self != .resident }
}

/// What a role may do. A route names the permission it needs; `AccessPolicy` decides.
public enum Permission: String, Sendable, CaseIterable {
    /// Read communities, buildings, areas, units, people (masked).
    case readRegistry
    /// Create and change buildings, areas, units.
    case editStructure
    /// Create and change people and their links to units.
    case editPeople
    /// Create communities.
    case manageCommunities
    /// Create and change accounts.
    case manageUsers
    /// See the staff list of a community.
    case readUsers
    /// Bulk import and export of the registry (REG-4).
    case importExport
    /// See a person's full phone number (audited, SEC-3).
    case revealPhone
    /// See a person's full ID document number (audited, SEC-3).
    case revealIDNumber
    /// Read the audit trail (SEC-4).
    case readAudit
    /// Register requests (INT-1, INT-3).
    case createOrders
    /// See work orders, alerts and incidents of the scope.
    case readOrders
    /// Dispatch, reassign, hold and cancel (INT-15).
    case dispatchOrders
    /// Take, accept, contact, check in, complete; price and extras of paid services (INT-5, INT-10).
    case doWork
    /// Return visits and reopening (INT-12, INT-19).
    case reviewOrders
    /// Answer any complaint (not only one's own) and withdraw one logged by mistake (S0 2.5).
    case handleComplaints
    /// Settle paid services with a receipt number (INT-10).
    case settleOrders
    /// Open and close incidents (INT-16).
    case manageIncidents
    /// The price list and dispatch rules (INT-10, INT-15).
    case manageServices
    /// The service contract: time targets, hours, escalation (INT-6).
    case manageContract
    /// Walk patrol rounds and record checkpoint visits; see patrol coverage (FLD-3).
    case patrol
    /// Checkpoints, their checklists and QR labels (FLD-3).
    case managePatrols
    /// Register renovation files and collect their documents and deposit (FLD-4, S4 篇3).
    case registerRenovations
    /// Approve a renovation once its file is complete (FLD-4).
    case approveRenovations
    /// Inspect renovations; notices, stop measures and reports on violations (FLD-4, S0 5).
    case inspectRenovations
    /// Visit households and keep the daily work log (FLD-5, FLD-6): the area supervisor.
    case visitHouseholds
    /// Draft the area assignment table (FLD-1), post contact cards (FLD-2).
    case manageAssignments
    /// Approve the area assignment table (FLD-1, S2 3.2): the center head.
    case approveAssignments
    /// Review supervisors' logs, inspect areas (FLD-6, FLD-7): the CS manager.
    case superviseAreas
    /// Call households back to check visit records (FLD-7, S2 4.9.3): the front desk.
    case spotCheckVisits
    /// Write the front desk's duty log and hand the desk over (FD-3, FD-4).
    case keepDutyLog
    /// Run a unit's move-in: documents, agreements, hand-over, joint inspection (FD-1).
    case handleMoveIns
    /// Keep vacant units in custody: agreements, meter readings, exterior checks (FD-2).
    case keepCustody
    /// Open a unit's resident file (REG-5); its scanned documents need `readResidentDocuments`.
    case readResidentFiles
    /// See the scanned documents in a resident file (ID copies, contracts) — every view audited (REG-5, SEC-3).
    case readResidentDocuments
    /// See money: bills, payments, arrears, deposits, the collection rate (FEE-1 … FEE-4, INT-17).
    case readFees
    /// Take payments and deposits, issue receipts, close one's own day (FEE-1, FEE-2).
    case collectFees
    /// The fee schedule, billing runs, credit notes, opening balances, voids, refunds, arrears lists (FEE-1 … FEE-5).
    case manageFees
    /// Chase arrears: log calls, visits and letters, receive the area's lists (S2 4.5).
    case chaseArrears
    /// See the customer-relations records: notices, surveys and their statistics, interviews, rectifications, the culture plan (CR-1 … CR-4).
    case readCustomerRelations
    /// Publish, change and withdraw notices; keep the physical board (CR-1, S2 3.1.6).
    case publishNotices
    /// Keep the physical notice board: confirm a notice put up or an expired one taken down (CR-1, S2 3.1 item 6).
    case keepNoticeBoard
    /// Write questionnaires, open and close surveys (CR-2).
    case manageSurveys
    /// Enter a household's answers from a paper form (CR-2).
    case enterSurveyResponses
    /// Record customer interviews (CR-3, S0 3.1).
    case recordInterviews
    /// Group interview points into common issues, set rectifications, plan community culture events (CR-3, CR-4).
    case manageCustomerRelations
    /// Approve the year's community culture plan (CR-4).
    case approveCulturePlan
    /// The month at a glance: dashboards, exports, the printable monthly report (REP-1).
    case readDashboards

    /// What `role` may do: the matrix below, built once (asked many times a request — each step
    /// offered on an order asks it; a set literal is hashed anew every time it is written).
    public static func granted(to role: Role) -> Set<Permission> { byRole[role] ?? [] }

    private static let byRole: [Role: Set<Permission>] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, matrix($0)) })

    /// The role matrix. Kept in one table so a reviewer can read who may do what at a glance.
    private static func matrix(_ role: Role) -> Set<Permission> {
        switch role {
        case .admin:
            [.readRegistry, .editStructure, .manageCommunities, .manageUsers, .readUsers, .importExport, .readAudit,
             .manageServices, .manageContract]
        case .centerHead:
            [.readRegistry, .editStructure, .editPeople, .readUsers, .importExport, .revealPhone, .revealIDNumber, .readAudit,
             .createOrders, .readOrders, .dispatchOrders, .reviewOrders, .handleComplaints, .manageIncidents, .manageServices, .manageContract,
             .patrol, .managePatrols, .registerRenovations, .approveRenovations, .inspectRenovations,
             .manageAssignments, .approveAssignments, .superviseAreas, .spotCheckVisits, .keepDutyLog,
             .handleMoveIns, .keepCustody, .readResidentFiles, .readResidentDocuments, .readFees, .manageFees, .chaseArrears, .readCustomerRelations, .publishNotices, .manageSurveys, .enterSurveyResponses, .recordInterviews, .manageCustomerRelations, .approveCulturePlan, .readDashboards, .keepNoticeBoard]
        case .csManager:
            [.readRegistry, .editStructure, .editPeople, .readUsers, .importExport, .revealPhone, .revealIDNumber,
             .createOrders, .readOrders, .dispatchOrders, .reviewOrders, .handleComplaints, .manageIncidents, .manageServices, .patrol, .managePatrols,
             .registerRenovations, .approveRenovations, .inspectRenovations, .manageAssignments, .superviseAreas, .spotCheckVisits, .keepDutyLog,
             .handleMoveIns, .keepCustody, .readResidentFiles, .readResidentDocuments, .readFees, .chaseArrears, .readCustomerRelations, .publishNotices, .manageSurveys, .enterSurveyResponses, .recordInterviews, .manageCustomerRelations, .readDashboards, .keepNoticeBoard]
        case .frontDesk:
            [.readRegistry, .editPeople, .readUsers, .revealPhone, .revealIDNumber,
             .createOrders, .readOrders, .dispatchOrders, .reviewOrders, .settleOrders, .manageIncidents, .registerRenovations, .spotCheckVisits, .keepDutyLog,
             .handleMoveIns, .keepCustody, .readResidentFiles, .readResidentDocuments, .readFees, .collectFees, .readCustomerRelations, .publishNotices, .enterSurveyResponses, .keepNoticeBoard]
        case .areaSupervisor:
            [.readRegistry, .revealPhone, .createOrders, .readOrders, .doWork, .reviewOrders, .patrol, .inspectRenovations, .visitHouseholds,
             .readResidentFiles, .readFees, .chaseArrears, .readCustomerRelations, .enterSurveyResponses, .recordInterviews, .readDashboards, .keepNoticeBoard]
        case .engineer:
            [.readRegistry, .revealPhone, .createOrders, .readOrders, .doWork]
        case .finance:
            [.readRegistry, .readOrders, .settleOrders, .readFees, .collectFees, .manageFees]
        case .resident:
            []
        }
    }
}
