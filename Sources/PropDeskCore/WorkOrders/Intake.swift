import Foundation

/// What a resident asks for (INT-2; S0 2.6, S2 3.1).
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    case inquiry, suggestion, repair, help, complaint, query, dispute, violation
    case paidService = "paid_service"
    case warranty

    public var title: Message {
        switch self {
        case .inquiry: Message(zh: "咨询", en: "Inquiry")
        case .suggestion: Message(zh: "建议", en: "Suggestion")
        case .repair: Message(zh: "报修", en: "Repair")
        case .help: Message(zh: "求助", en: "Help")
        case .complaint: Message(zh: "投诉", en: "Complaint")
        case .query: Message(zh: "质疑", en: "Query")
        case .dispute: Message(zh: "邻里纠纷", en: "Neighbour dispute")
        case .violation: Message(zh: "违章举报", en: "Violation report")
        case .paidService: Message(zh: "有偿服务", en: "Paid service")
        case .warranty: Message(zh: "地产保修", en: "Developer warranty")
        }
    }

    /// Kinds that send someone to a place, so they have an arrival clock.
    public var needsVisit: Bool { [.repair, .help, .paidService, .warranty].contains(self) }
}

/// How the request reached the center (INT-1; S0 2.2, S3 二.1).
public enum Channel: String, Sendable, Codable, CaseIterable {
    case hotline
    case walkIn = "walk_in"
    case portal
    case wechat
    case ownersGroup = "owners_group"
    case onSite = "on_site"
    case patrol
    /// Raised by a household on the area supervisor's visit (FLD-5, S2 4.3.4).
    case householdVisit = "household_visit"

    public var title: Message {
        switch self {
        case .hotline: Message(zh: "24小时热线", en: "Hotline")
        case .walkIn: Message(zh: "前台来访", en: "Front desk walk-in")
        case .portal: Message(zh: "住户门户", en: "Resident portal")
        case .wechat: Message(zh: "微信", en: "WeChat")
        case .ownersGroup: Message(zh: "业主群", en: "Owners' group")
        case .onSite: Message(zh: "现场", en: "On site")
        case .patrol: Message(zh: "巡查发现", en: "Staff patrol")
        case .householdVisit: Message(zh: "家访反映", en: "Household visit")
        }
    }
}

/// What the request is about (INT-4).
public enum Category: String, Sendable, Codable, CaseIterable {
    case water, electricity, gas
    case doorWindow = "door_window"
    case elevator, cleaning, greening, security, noise, fees, parking
    case publicFacility = "public_facility"
    case other

    public var title: Message {
        switch self {
        case .water: Message(zh: "水", en: "Water")
        case .electricity: Message(zh: "电", en: "Electricity")
        case .gas: Message(zh: "燃气", en: "Gas")
        case .doorWindow: Message(zh: "门窗", en: "Doors & windows")
        case .elevator: Message(zh: "电梯", en: "Elevator")
        case .cleaning: Message(zh: "保洁", en: "Cleaning")
        case .greening: Message(zh: "绿化", en: "Greening")
        case .security: Message(zh: "安全", en: "Security")
        case .noise: Message(zh: "噪音", en: "Noise")
        case .fees: Message(zh: "收费", en: "Fees")
        case .parking: Message(zh: "停车", en: "Parking")
        case .publicFacility: Message(zh: "公共设施", en: "Public facilities")
        case .other: Message(zh: "其他", en: "Other")
        }
    }
}

/// How soon (INT-4). Emergencies are the S0 2.3 list: 15 minutes to site, day and night.
public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    case emergency, urgent, normal, low

    public var title: Message {
        switch self {
        case .emergency: Message(zh: "紧急", en: "Emergency")
        case .urgent: Message(zh: "加急", en: "Urgent")
        case .normal: Message(zh: "一般", en: "Normal")
        case .low: Message(zh: "低", en: "Low")
        }
    }

    private var rank: Int { Priority.allCases.firstIndex(of: self)! }
    public static func < (a: Priority, b: Priority) -> Bool { a.rank > b.rank }
}
extension Priority: CodingKeyRepresentable {}
