import Foundation

/// Who is taking the unit over at move-in (FD-1, S4 篇1 1①): decides which documents the desk
/// must see.
public enum BuyerKind: String, Sendable, Codable, CaseIterable {
    /// 业主本人办理
    case individual
    /// 业主委托他人代为办理
    case proxy
    /// 单位购买
    case company

    public var title: Message {
        switch self {
        case .individual: Message(zh: "业主本人", en: "Owner in person")
        case .proxy: Message(zh: "委托代办", en: "By proxy")
        case .company: Message(zh: "单位购买", en: "Company purchase")
        }
    }
}

/// A document the desk checks and files at move-in (FD-1, S4 篇1 1① and ⑦): each a scan kept
/// as evidence on the case.
public enum MoveInDocument: String, Sendable, Codable, CaseIterable {
    case ownerID = "owner_id"
    case moveInNotice = "move_in_notice"
    case purchaseContract = "purchase_contract"
    case proxyID = "proxy_id"
    case authorisation
    case companyCertificate = "company_certificate"
    case businessLicence = "business_licence"

    public var title: Message {
        switch self {
        case .ownerID: Message(zh: "业主身份证", en: "Owner's ID card")
        case .moveInNotice: Message(zh: "入住通知单", en: "Move-in notice")
        case .purchaseContract: Message(zh: "房屋买卖契约", en: "Purchase contract")
        case .proxyID: Message(zh: "受托人身份证", en: "Proxy's ID card")
        case .authorisation: Message(zh: "委托书", en: "Letter of authorisation")
        case .companyCertificate: Message(zh: "单位证明", en: "Company certificate")
        case .businessLicence: Message(zh: "营业执照", en: "Business licence")
        }
    }

    /// What the desk must see (S4 篇1 1①): the owner's ID, the move-in notice and the contract;
    /// by proxy also the proxy's ID and the letter; a company also its certificate and business
    /// licence; a commercial unit (商铺, S4 篇3 9 商业网点入伙) always its business licence.
    public static func required(buyer: BuyerKind, commercial: Bool) -> [MoveInDocument] {
        var out: [MoveInDocument] = [.ownerID, .moveInNotice, .purchaseContract]
        switch buyer {
        case .individual: break
        case .proxy: out += [.proxyID, .authorisation]
        case .company: out += [.companyCertificate, .businessLicence]
        }
        if commercial && !out.contains(.businessLicence) { out.append(.businessLicence) }
        return out
    }
}

/// An agreement signed at move-in (FD-1, S4 篇1 1②, 篇3 (2)B): each needs the owner's signature.
public enum MoveInAgreement: String, Sendable, Codable, CaseIterable {
    case ownersCovenant = "owners_covenant"
    case renovationRules = "renovation_rules"

    public var title: Message {
        switch self {
        case .ownersCovenant: Message(zh: "业主公约", en: "Owners' covenant")
        case .renovationRules: Message(zh: "装修管理规定(已知悉)", en: "Renovation rules acknowledged")
        }
    }
}

/// Which item of the checklist a file on the case is (the scan of a document, the signature of an
/// agreement, the owner's sign-off of the inspection): the key under which the store records the
/// evidence id. The raw values of documents and agreements are distinct, so one key names one item.
public enum MoveInFileItem: Sendable, Equatable, Hashable {
    case document(MoveInDocument)
    case agreement(MoveInAgreement)
    /// 业主在房屋质量验收登记表上签字确认 (S4 篇1 1⑤).
    case inspectionSignOff

    public var key: String {
        switch self {
        case .document(let d): d.rawValue
        case .agreement(let a): a.rawValue
        case .inspectionSignOff: "inspection_sign_off"
        }
    }

    public init?(key: String) {
        if let d = MoveInDocument(rawValue: key) { self = .document(d) }
        else if let a = MoveInAgreement(rawValue: key) { self = .agreement(a) }
        else if key == "inspection_sign_off" { self = .inspectionSignOff }
        else { return nil }
    }

    public var title: Message {
        switch self {
        case .document(let d): d.title
        case .agreement(let a): a.title
        case .inspectionSignOff: Message(zh: "业主验房签字", en: "Owner's inspection sign-off")
        }
    }

    /// A scan (a document) or a drawn signature (an agreement, the sign-off).
    public var isSignature: Bool { if case .document = self { false } else { true } }
}

/// Where a move-in stands (FD-1): documents and forms being done; the joint inspection
/// recorded (defects being repaired and re-inspected); everything done and filed.
public enum MoveInStatus: String, Sendable, Codable, CaseIterable {
    case open
    case inspecting
    case completed

    public var title: Message {
        switch self {
        case .open: Message(zh: "办理中", en: "In progress")
        case .inspecting: Message(zh: "验房整改中", en: "Inspection and repairs")
        case .completed: Message(zh: "已完成入住", en: "Completed")
        }
    }
}

/// 住户登记表 (S4 篇1 1②, 篇3 (2)B b 业主家庭情况登记表).
public struct ResidentRegistration: Sendable, Equatable, Codable {
    public var ownerName: String
    public var phone: String
    /// Everyone living in the unit, the owner included.
    public var householdMembers: Int
    public var emergencyContact: String
    public var emergencyPhone: String

    public init(ownerName: String, phone: String, householdMembers: Int, emergencyContact: String, emergencyPhone: String) {
        self.ownerName = ownerName
        self.phone = phone
        self.householdMembers = householdMembers
        self.emergencyContact = emergencyContact
        self.emergencyPhone = emergencyPhone
    }
}

/// What was handed to the owner (S4 篇1 1③): keys (also in the key ledger), 住户手册, 房屋水电图.
public struct MoveInHandover: Sendable, Equatable, Codable {
    public var keys: Int
    public var handbook: Bool
    public var drawings: Bool

    public init(keys: Int, handbook: Bool, drawings: Bool) {
        self.keys = keys
        self.handbook = handbook
        self.drawings = drawings
    }
}

/// The first fees, noted at move-in (S4 篇1 1④, 篇3 (3)): the management fee from the date of
/// the move-in notice, the moving deposit and the water/electricity deposit, all in fen. Only
/// noted here: the fees capability posts them.
public struct MoveInFees: Sendable, Equatable, Codable {
    /// "2026-11-01": the management fee is charged from this day.
    public var managementFeeFrom: String
    /// The monthly management fee, in fen.
    public var managementFeeFen: Int
    public var movingDepositFen: Int
    public var utilitiesDepositFen: Int

    public init(managementFeeFrom: String, managementFeeFen: Int, movingDepositFen: Int, utilitiesDepositFen: Int) {
        self.managementFeeFrom = managementFeeFrom
        self.managementFeeFen = managementFeeFen
        self.movingDepositFen = movingDepositFen
        self.utilitiesDepositFen = utilitiesDepositFen
    }
}

/// The meters read together with the owner at the joint inspection (S4 篇1 1⑤ "查抄水表、电表、
/// 煤气表底数并共同确认"). A reading is kept as an integer in thousandths of its unit (m³, kWh):
/// "123.456" is 123456 — exact, with no floating point in storage. Gas is nil for a unit without
/// a gas meter.
public struct MeterReadings: Sendable, Equatable, Codable {
    public var waterThousandths: Int
    public var electricityThousandths: Int
    public var gasThousandths: Int?

    public init(waterThousandths: Int, electricityThousandths: Int, gasThousandths: Int?) {
        self.waterThousandths = waterThousandths
        self.electricityThousandths = electricityThousandths
        self.gasThousandths = gasThousandths
    }

    /// Most a meter shows: 99 999 999.999.
    public static let maxThousandths = 99_999_999_999

    /// "123.456" (at most three decimals) → 123456; empty → nil.
    public static func parse(_ raw: String, field: String, title: Message) throws -> Int? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts[0].count <= 8, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || (parts[1].count <= 3 && parts[1].allSatisfy({ $0.isASCII && $0.isNumber })),
              let whole = Int(parts[0]) else {
            throw DomainError.invalid(field: field, Message(zh: "\(title.zhHans)读数格式应为 1234 或 1234.567", en: "\(title.en) reading looks like 1234 or 1234.567"))
        }
        let fraction = parts.count == 2 ? Int(String(parts[1]).padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0 : 0
        return whole * 1000 + fraction
    }

    /// 123456 → "123.456".
    public static func format(_ thousandths: Int) -> String {
        String(format: "%d.%03d", thousandths / 1000, thousandths % 1000)
    }
}

/// The joint inspection (联合验房, S4 篇1 1⑤): who inspected, when, the meters.
public struct MoveInInspection: Sendable, Equatable {
    public var at: Date
    public var byName: String
    public var meters: MeterReadings

    public init(at: Date, byName: String, meters: MeterReadings) {
        self.at = at
        self.byName = byName
        self.meters = meters
    }
}

/// A quality problem found at the joint inspection (S4 篇1 1⑤): filed as a developer-warranty work
/// order (INT-2 地产保修), re-inspected once the order is done.
public struct MoveInDefect: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var caseID: UUID
    public var text: String
    public var orderID: UUID
    public var orderNumber: String
    public var reinspectedAt: Date?
    public var reinspectedBy: String?

    public init(id: UUID = UUID(), caseID: UUID, text: String, orderID: UUID, orderNumber: String, reinspectedAt: Date? = nil, reinspectedBy: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.text = text
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.reinspectedAt = reinspectedAt
        self.reinspectedBy = reinspectedBy
    }

    public var passed: Bool { reinspectedAt != nil }

    /// An order's work is done and may be re-inspected (维修部复检合格后 … 再次验收). A withdrawn
    /// order (a duplicate, fixed another way) must not block the move-in for ever: the desk and
    /// the owner look again on site, and only a defect that passes is signed off.
    public static func reinspectable(_ status: OrderStatus) -> Bool { [.completed, .visitPending, .closed, .cancelled].contains(status) }
}

/// A file on the case and the item of the checklist it is.
public struct MoveInFile: Sendable, Equatable {
    public var item: MoveInFileItem
    public var evidenceID: UUID
    public var at: Date

    public init(item: MoveInFileItem, evidenceID: UUID, at: Date) {
        self.item = item
        self.evidenceID = evidenceID
        self.at = at
    }
}

/// One thing still missing before a move-in may be completed, named in both languages.
public struct MoveInMissing: Sendable, Equatable {
    /// Stable: "business_licence", "registration", "defect:<id>" …
    public var key: String
    public var title: Message

    public init(key: String, title: Message) {
        self.key = key
        self.title = title
    }
}

/// One unit's move-in (入住/入伙, FD-1, S4 篇1 1 and 篇3): documents checked by buyer kind, the
/// resident registration form, signed agreements, items handed over, first fees noted, the joint
/// inspection with meter readings, defects → warranty orders → re-inspection, the owner's
/// sign-off; completed only when nothing is missing, and then read by the unit's resident file.
/// Its scans and signatures are evidence on (.moveIn, id); its steps are on its hash-chained timeline.
public struct MoveInCase: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var buildingID: UUID
    public var areaID: UUID?
    public var buyerName: String
    public var buyerKind: BuyerKind
    public var buyerPhone: String
    /// The unit was commercial (商铺) when the case was opened: the business licence is required.
    public var commercial: Bool
    public var status: MoveInStatus
    public var openedAt: Date
    public var openedByName: String
    public var registration: ResidentRegistration?
    public var handover: MoveInHandover?
    public var fees: MoveInFees?
    public var inspection: MoveInInspection?
    public var defects: [MoveInDefect]
    public var files: [MoveInFile]
    public var completedAt: Date?
    public var completedByName: String?

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, buildingID: UUID, areaID: UUID?, buyerName: String, buyerKind: BuyerKind, buyerPhone: String,
                commercial: Bool, status: MoveInStatus = .open, openedAt: Date, openedByName: String, registration: ResidentRegistration? = nil,
                handover: MoveInHandover? = nil, fees: MoveInFees? = nil, inspection: MoveInInspection? = nil, defects: [MoveInDefect] = [],
                files: [MoveInFile] = [], completedAt: Date? = nil, completedByName: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.unitID = unitID
        self.buildingID = buildingID
        self.areaID = areaID
        self.buyerName = buyerName
        self.buyerKind = buyerKind
        self.buyerPhone = buyerPhone
        self.commercial = commercial
        self.status = status
        self.openedAt = openedAt
        self.openedByName = openedByName
        self.registration = registration
        self.handover = handover
        self.fees = fees
        self.inspection = inspection
        self.defects = defects
        self.files = files
        self.completedAt = completedAt
        self.completedByName = completedByName
    }

    public var requiredDocuments: [MoveInDocument] { MoveInDocument.required(buyer: buyerKind, commercial: commercial) }

    /// The latest file for an item of the checklist.
    public func file(_ item: MoveInFileItem) -> MoveInFile? { files.last { $0.item == item } }

    /// Everything still missing, in the order of the procedure (S4 篇1 1①–⑤). Empty: the case may
    /// be completed.
    public func missing() -> [MoveInMissing] {
        var out: [MoveInMissing] = []
        for d in requiredDocuments where file(.document(d)) == nil { out.append(MoveInMissing(key: d.rawValue, title: d.title)) }
        if registration == nil { out.append(MoveInMissing(key: "registration", title: Message(zh: "住户登记表", en: "Resident registration form"))) }
        for a in MoveInAgreement.allCases where file(.agreement(a)) == nil {
            out.append(MoveInMissing(key: a.rawValue, title: Message(zh: "\(a.title.zhHans)签字", en: "\(a.title.en): signature")))
        }
        if (handover?.keys ?? 0) < 1 { out.append(MoveInMissing(key: "keys", title: Message(zh: "钥匙交付", en: "Keys handed over"))) }
        if handover?.handbook != true { out.append(MoveInMissing(key: "handbook", title: Message(zh: "住户手册", en: "Residents' handbook"))) }
        if handover?.drawings != true { out.append(MoveInMissing(key: "drawings", title: Message(zh: "房屋水电图", en: "Water and electricity drawings"))) }
        if fees == nil { out.append(MoveInMissing(key: "fees", title: Message(zh: "首期费用登记", en: "First fees noted"))) }
        if inspection == nil { out.append(MoveInMissing(key: "inspection", title: Message(zh: "联合验房(水电气表读数)", en: "Joint inspection (meter readings)"))) }
        for d in defects where !d.passed {
            out.append(MoveInMissing(key: "defect:\(d.id.uuidString)", title: Message(zh: "缺陷复检:\(d.text)(\(d.orderNumber))", en: "Re-inspection of defect: \(d.text) (\(d.orderNumber))")))
        }
        if file(.inspectionSignOff) == nil {
            out.append(MoveInMissing(key: MoveInFileItem.inspectionSignOff.key, title: MoveInFileItem.inspectionSignOff.title))
        }
        return out
    }

    /// The refusal to complete while something is missing: "还缺:营业执照、住户登记表".
    public static func incomplete(_ missing: [MoveInMissing]) -> DomainError {
        DomainError.conflict(code: "move_in_incomplete", Message(
            zh: "还缺:" + missing.map(\.title.zhHans).joined(separator: "、"),
            en: "Still missing: " + missing.map(\.title.en).joined(separator: "; ")))
    }

    /// Short name for lists and the timeline: "王建国 · 业主本人".
    public var label: String { "\(buyerName) · \(buyerKind.title.zhHans)" }
}

extension SubjectKind {
    /// A unit's move-in (FD-1): its documents, agreements, inspection and completion.
    public static let moveIn = SubjectKind(rawValue: "move_in")
}
