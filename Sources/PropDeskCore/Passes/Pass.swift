import Foundation

/// 停车证 and 门禁卡/智能卡 (FD-6, S0 1.3, S4 4.17): passes issued per unit, with validity,
/// a plate number for parking permits, a card number for access cards; renewed, revoked, or
/// reported lost and replaced by a new number — every step kept as history.
public enum PassKind: String, Sendable, Codable, CaseIterable {
    case parkingPermit = "parking_permit"
    case accessCard = "access_card"

    public var title: Message {
        switch self {
        case .parkingPermit: Message(zh: "停车证", en: "Parking permit")
        case .accessCard: Message(zh: "门禁卡", en: "Access card")
        }
    }
}

public enum PassStatus: String, Sendable, Codable, CaseIterable {
    case active, revoked
    /// Reported lost; a new pass replaces it.
    case lost

    public var title: Message {
        switch self {
        case .active: Message(zh: "有效", en: "Active")
        case .revoked: Message(zh: "已注销", en: "Revoked")
        case .lost: Message(zh: "已挂失", en: "Reported lost")
        }
    }
}

public struct UnitPass: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var kind: PassKind
    /// "CHHY-P-0012" or the card's printed number.
    public var number: String
    /// Parking permits only: "粤B12345".
    public var plate: String
    public var holder: String
    /// "2026-11-01" … "2027-10-31", in the community's calendar.
    public var validFrom: String
    public var validUntil: String
    public var status: PassStatus
    /// A replacement names the pass it replaces.
    public var replaces: UUID?
    public var issuedAt: Date

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, kind: PassKind, number: String, plate: String, holder: String, validFrom: String,
                validUntil: String, status: PassStatus = .active, replaces: UUID? = nil, issuedAt: Date) {
        self.id = id
        self.communityID = communityID
        self.unitID = unitID
        self.kind = kind
        self.number = number
        self.plate = plate
        self.holder = holder
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.status = status
        self.replaces = replaces
        self.issuedAt = issuedAt
    }

    /// "粤B12345", "粤BD12345" (new energy): a province, a letter, 5 or 6 letters and digits.
    public static func plate(_ raw: String) throws -> String {
        let p = raw.replacingOccurrences(of: " ", with: "").uppercased()
        let provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
        guard p.count == 7 || p.count == 8, let first = p.first, provinces.contains(first),
              p.dropFirst().allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), p.dropFirst().first?.isLetter == true else {
            throw DomainError.invalid(field: "plate", Message(zh: "车牌号格式不正确(例:粤B12345)", en: "Not a plate number (e.g. 粤B12345)"))
        }
        return p
    }

    /// Valid on `day` ("yyyy-MM-dd"): active, and the day within its dates.
    public func valid(on day: String) -> Bool { status == .active && validFrom <= day && day <= validUntil }
}

extension SubjectKind {
    /// A parking permit or access card (FD-6).
    public static let unitPass = SubjectKind(rawValue: "unit_pass")
}
