import Foundation

/// 项目/小区 — every record in PropDesk belongs to exactly one community (RUN-5).
public struct Community: Sendable, Codable, Equatable {
    public var id: UUID
    public var code: String
    public var name: String
    public var address: String
    /// IANA zone the community's screens show times in; storage stays UTC.
    public var timeZone: String

    public init(id: UUID = UUID(), code: String, name: String, address: String = "", timeZone: String = "Asia/Shanghai") {
        self.id = id
        self.code = code
        self.name = name
        self.address = address
        self.timeZone = timeZone
    }
}

/// 责任区域 — a group of buildings that one area supervisor looks after (REG-1, FLD-1).
public struct Area: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var name: String

    public init(id: UUID = UUID(), communityID: UUID, name: String) {
        self.id = id
        self.communityID = communityID
        self.name = name
    }
}

/// 楼栋.
public struct Building: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID?
    public var name: String
    public var floors: Int

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID? = nil, name: String, floors: Int) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.name = name
        self.floors = floors
    }
}

public enum UnitKind: String, Sendable, Codable, CaseIterable {
    case residential
    /// 商铺
    case commercial
    /// 车位
    case parking

    public var title: Message {
        switch self {
        case .residential: Message(zh: "住宅", en: "Residential")
        case .commercial: Message(zh: "商铺", en: "Commercial")
        case .parking: Message(zh: "车位", en: "Parking")
        }
    }

    /// Accepts the English code or the Chinese word, as people write them in spreadsheets.
    public init?(loose text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let k = UnitKind(rawValue: t) { self = k; return }
        switch t {
        case "住宅", "住房": self = .residential
        case "商铺", "商业", "底商": self = .commercial
        case "车位", "停车位": self = .parking
        default: return nil
        }
    }
}

/// Floor area (建筑面积) in hundredths of a square metre: integers, so a fee per m² computes
/// exactly in fen.
public struct FloorArea: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public let hundredths: Int

    public init(hundredths: Int) { self.hundredths = hundredths }

    /// Parses "89.5", "89.50", "120" — at most two decimals, more than zero, below 100,000 m².
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        // At most 7 digits before the point: anything longer is out of range anyway, and the
        // multiplication below can then never overflow (a huge number once trapped the process).
        guard (1...2).contains(parts.count), (1...7).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              let whole = Int(parts[0]) else { return nil }
        var cents = 0
        if parts.count == 2 {
            let frac = parts[1]
            guard (1...2).contains(frac.count), frac.allSatisfy(\.isNumber), frac.allSatisfy(\.isASCII) else { return nil }
            cents = Int(frac.count == 1 ? frac + "0" : String(frac)) ?? 0
        }
        let value = whole * 100 + cents
        guard value > 0, value < 10_000_000 else { return nil }
        self.hundredths = value
    }

    public var description: String {
        let cents = hundredths % 100
        return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public var squareMetres: Double { Double(hundredths) / 100 }

    public static func < (a: FloorArea, b: FloorArea) -> Bool { a.hundredths < b.hundredths }
}

/// 房号 — a residential flat, a shop or a parking space.
public struct PropertyUnit: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var buildingID: UUID
    /// Copied from the building so that area-scoped reads filter on one column.
    public var areaID: UUID?
    public var roomNumber: String
    public var floor: Int
    public var kind: UnitKind
    public var floorArea: FloorArea

    public init(id: UUID = UUID(), communityID: UUID, buildingID: UUID, areaID: UUID?, roomNumber: String,
                floor: Int, kind: UnitKind, floorArea: FloorArea) {
        self.id = id
        self.communityID = communityID
        self.buildingID = buildingID
        self.areaID = areaID
        self.roomNumber = roomNumber
        self.floor = floor
        self.kind = kind
        self.floorArea = floorArea
    }

    /// "3栋-1201": what the front desk says and types.
    public static func label(building: String, room: String) -> String { "\(building)-\(room)" }
}

public enum PersonKind: String, Sendable, Codable, CaseIterable {
    case individual
    /// A company that owns or rents a unit (单位业主).
    case company
}

/// How a person holds a unit.
public enum OccupantRelation: String, Sendable, Codable, CaseIterable {
    /// 业主
    case owner
    /// 租户
    case tenant
    /// 家庭成员
    case family

    public var title: Message {
        switch self {
        case .owner: Message(zh: "业主", en: "Owner")
        case .tenant: Message(zh: "租户", en: "Tenant")
        case .family: Message(zh: "家庭成员", en: "Family")
        }
    }

    public init?(loose text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let r = OccupantRelation(rawValue: t) { self = r; return }
        switch t {
        case "业主", "产权人", "单位业主": self = .owner
        case "租户", "租客", "承租人": self = .tenant
        case "家属", "家庭成员", "家人": self = .family
        default: return nil
        }
    }
}

public enum IDDocumentType: String, Sendable, Codable, CaseIterable {
    /// 居民身份证 — 18 characters with a check digit (GB 11643).
    case residentID = "resident_id"
    case passport
    /// 港澳台居民通行证 / 居住证 and the like.
    case permit
    /// 统一社会信用代码 for companies.
    case businessLicence = "business_licence"
}

/// 住户 — owners, tenants, family members, companies (REG-2). The ID number itself never sits in
/// this type in clear: the store holds it encrypted and hands out only the masked form.
public struct Person: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var kind: PersonKind
    public var name: String
    public var phone: String
    public var idDocumentType: IDDocumentType?
    /// Masked ID number, e.g. "**************1234"; `nil` when none is on file.
    public var idNumberMasked: String?

    public init(id: UUID = UUID(), communityID: UUID, kind: PersonKind = .individual, name: String, phone: String,
                idDocumentType: IDDocumentType? = nil, idNumberMasked: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.kind = kind
        self.name = name
        self.phone = phone
        self.idDocumentType = idDocumentType
        self.idNumberMasked = idNumberMasked
    }
}

/// A person's link to a unit.
public struct Occupancy: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var personID: UUID
    public var relation: OccupantRelation

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, personID: UUID, relation: OccupantRelation) {
        self.id = id
        self.communityID = communityID
        self.unitID = unitID
        self.personID = personID
        self.relation = relation
    }
}

/// A staff or resident account (REG-3). Password hashes live only in the store.
public struct UserAccount: Sendable, Codable, Equatable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var scopes: [Scope]
    /// 持证上岗: the badge or licence number shown on the staff card.
    public var badgeNumber: String?
    public var phone: String?
    public var personID: UUID?
    public var language: Language
    public var active: Bool

    public init(id: UUID = UUID(), username: String, displayName: String, role: Role, scopes: [Scope],
                badgeNumber: String? = nil, phone: String? = nil, personID: UUID? = nil,
                language: Language = .zhHans, active: Bool = true) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scopes = scopes
        self.badgeNumber = badgeNumber
        self.phone = phone
        self.personID = personID
        self.language = language
        self.active = active
    }
}
