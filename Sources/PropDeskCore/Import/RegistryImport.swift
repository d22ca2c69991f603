import Foundation

/// The registry file (REG-4): one row per unit, or per unit and resident — a unit with three
/// residents takes three rows. Headers may be English or Chinese; columns may come in any order.
public enum RegistryColumn: String, CaseIterable, Sendable {
    case building, room, floor, kind, floorArea = "floor_area", area
    case residentName = "resident_name", relation, phone, idType = "id_type", idNumber = "id_number"

    public var chinese: String {
        switch self {
        case .building: "楼栋"
        case .room: "房号"
        case .floor: "楼层"
        case .kind: "类型"
        case .floorArea: "建筑面积"
        case .area: "责任区域"
        case .residentName: "住户姓名"
        case .relation: "关系"
        case .phone: "电话"
        case .idType: "证件类型"
        case .idNumber: "证件号码"
        }
    }

    public func header(_ language: Language) -> String { language == .zhHans ? chinese : rawValue }

    static func match(_ header: String) -> RegistryColumn? {
        let h = header.trimmingCharacters(in: .whitespaces)
        return allCases.first { $0.rawValue == h.lowercased() || $0.chinese == h }
    }

    static let required: [RegistryColumn] = [.building, .room, .kind, .floorArea]
}

/// What a valid file asks for, checked as a whole before anything is written.
public struct RegistryImportPlan: Sendable, Equatable {
    public struct UnitRow: Sendable, Equatable {
        public let line: Int
        public let building: String
        public let area: String?
        public let room: String
        public let floor: Int
        public let kind: UnitKind
        public let floorArea: FloorArea
    }

    public struct ResidentRow: Sendable, Equatable {
        public let line: Int
        public let building: String
        public let room: String
        public let name: String
        public let kind: PersonKind
        public let relation: OccupantRelation
        public let phone: String
        public let idType: IDDocumentType?
        /// Validated, in clear: the store encrypts it before it touches disk.
        public let idNumber: String?
    }

    public var units: [UnitRow] = []
    public var residents: [ResidentRow] = []

    /// Buildings in first-seen order with the area the file gives them.
    public var buildings: [(name: String, area: String?)] {
        var seen = Set<String>()
        return units.compactMap { seen.insert($0.building).inserted ? ($0.building, $0.area) : nil }
    }

    public static func == (a: Self, b: Self) -> Bool { a.units == b.units && a.residents == b.residents }
}

public enum RegistryImport {
    public static let maxRows = 500_000

    /// Reads and checks every row; on any bad row throws one error listing every bad row with its
    /// line number and reason, so the file can be fixed in one pass and nothing is half-written.
    public static func plan(csv text: String) throws -> RegistryImportPlan {
        try plan(rows: try CSV.parse(text))
    }

    /// Checks rows already split into fields (a CSV file, or a workbook's first sheet: `ImportFile`).
    public static func plan(rows: [CSV.Row]) throws -> RegistryImportPlan {
        guard let header = rows.first else {
            throw DomainError(.invalidInput, code: "import_empty", Message(zh: "文件是空的", en: "The file is empty"))
        }
        var index: [RegistryColumn: Int] = [:]
        var problems: [DomainError.Detail] = []
        for (i, name) in header.fields.enumerated() {
            guard let col = RegistryColumn.match(name) else {
                problems.append(.init(line: header.line, field: name, message: Message(zh: "未知的列:\(name)", en: "Unknown column: \(name)")))
                continue
            }
            index[col] = i
        }
        for col in RegistryColumn.required where index[col] == nil {
            problems.append(.init(line: header.line, field: col.rawValue,
                message: Message(zh: "缺少必需的列:\(col.chinese)", en: "Missing required column: \(col.rawValue)")))
        }
        guard problems.isEmpty else { throw rejected(problems) }
        guard rows.count - 1 <= maxRows else {
            throw DomainError(.invalidInput, code: "import_too_large",
                Message(zh: "文件超过 \(maxRows) 行,请分批导入", en: "The file has more than \(maxRows) rows; import it in parts"))
        }

        var plan = RegistryImportPlan()
        var unitByKey: [String: RegistryImportPlan.UnitRow] = [:]
        var areaOfBuilding: [String: (area: String?, line: Int)] = [:]
        var residentKeys = Set<String>()

        for row in rows.dropFirst() {
            func value(_ c: RegistryColumn) -> String {
                guard let i = index[c], i < row.fields.count else { return "" }
                return row.fields[i].trimmingCharacters(in: .whitespaces)
            }
            var rowProblems: [DomainError.Detail] = []
            func fail(_ c: RegistryColumn, _ m: Message) { rowProblems.append(.init(line: row.line, field: c.rawValue, message: m)) }

            let building = value(.building), room = value(.room)
            if building.isEmpty { fail(.building, Message(zh: "楼栋为空", en: "building is empty")) }
            if room.isEmpty { fail(.room, Message(zh: "房号为空", en: "room is empty")) }
            if building.count > 30 { fail(.building, Message(zh: "楼栋名称过长", en: "building name is too long")) }
            if room.count > 20 { fail(.room, Message(zh: "房号过长", en: "room number is too long")) }
            let kind = UnitKind(loose: value(.kind))
            if kind == nil { fail(.kind, Message(zh: "类型无效:\(value(.kind))(应为 住宅/商铺/车位)", en: "invalid kind: \(value(.kind)) (residential, commercial or parking)")) }
            let area = FloorArea(text: value(.floorArea))
            if area == nil { fail(.floorArea, Message(zh: "建筑面积无效:\(value(.floorArea))", en: "invalid floor area: \(value(.floorArea))")) }
            var floor = 1
            let floorText = value(.floor)
            if floorText.isEmpty {
                floor = derivedFloor(room: room)
            } else if let f = Int(floorText), (-5...200).contains(f) {
                floor = f
            } else {
                fail(.floor, Message(zh: "楼层无效:\(floorText)", en: "invalid floor: \(floorText)"))
            }
            let areaName = value(.area).isEmpty ? nil : value(.area)

            if rowProblems.isEmpty, let kind, let area {
                let unit = RegistryImportPlan.UnitRow(line: row.line, building: building, area: areaName, room: room,
                                                      floor: floor, kind: kind, floorArea: area)
                let key = building + "\u{1}" + room
                if let earlier = unitByKey[key] {
                    if earlier.kind != unit.kind || earlier.floorArea != unit.floorArea || earlier.floor != unit.floor {
                        fail(.room, Message(zh: "与第 \(earlier.line) 行的同一房屋信息不一致", en: "disagrees with line \(earlier.line) about the same unit"))
                    }
                } else {
                    unitByKey[key] = unit
                    plan.units.append(unit)
                }
                if let seen = areaOfBuilding[building] {
                    if let a = areaName, let s = seen.area, a != s {
                        fail(.area, Message(zh: "与第 \(seen.line) 行的楼栋责任区域不一致", en: "gives the building another area than line \(seen.line)"))
                    } else if seen.area == nil, areaName != nil {
                        areaOfBuilding[building] = (areaName, row.line)
                    }
                } else {
                    areaOfBuilding[building] = (areaName, row.line)
                }
            }

            let name = value(.residentName)
            let anyResidentField = [.residentName, .relation, .phone, .idType, .idNumber].contains { !value($0).isEmpty }
            if anyResidentField {
                if name.isEmpty { fail(.residentName, Message(zh: "住户姓名为空", en: "resident name is empty")) }
                if name.count > 60 { fail(.residentName, Message(zh: "住户姓名过长", en: "resident name is too long")) }
                let relation = value(.relation).isEmpty ? OccupantRelation.owner : OccupantRelation(loose: value(.relation))
                if relation == nil { fail(.relation, Message(zh: "关系无效:\(value(.relation))(应为 业主/租户/家庭成员)", en: "invalid relation: \(value(.relation)) (owner, tenant or family)")) }
                var phone = ""
                do { phone = try Validate.phone(value(.phone)) } catch let e as DomainError {
                    fail(.phone, e.details.first?.message ?? e.message)
                }
                var idType: IDDocumentType?
                var idNumber: String?
                // A masked number ("**************1234", as exports made without the reveal
                // permission carry) means "keep what is on file".
                if !value(.idNumber).isEmpty, !value(.idNumber).hasPrefix("*") {
                    idType = value(.idType).isEmpty ? .residentID : idDocumentType(loose: value(.idType))
                    if let t = idType {
                        do { idNumber = try Validate.idNumber(value(.idNumber), type: t) } catch let e as DomainError {
                            fail(.idNumber, e.details.first?.message ?? e.message)
                        }
                    } else {
                        fail(.idType, Message(zh: "证件类型无效:\(value(.idType))", en: "invalid document type: \(value(.idType))"))
                    }
                }
                let key = [building, room, name, phone].joined(separator: "\u{1}")
                if rowProblems.isEmpty, !residentKeys.insert(key).inserted {
                    fail(.residentName, Message(zh: "同一房屋的同一住户重复出现", en: "the same resident appears twice for this unit"))
                }
                if rowProblems.isEmpty, let relation {
                    plan.residents.append(.init(line: row.line, building: building, room: room, name: name,
                        kind: idType == .businessLicence ? .company : .individual, relation: relation, phone: phone,
                        idType: idType, idNumber: idNumber))
                }
            }
            problems += rowProblems
        }
        guard problems.isEmpty else { throw rejected(problems) }
        guard !plan.units.isEmpty else {
            throw DomainError(.invalidInput, code: "import_empty", Message(zh: "文件没有数据行", en: "The file has no data rows"))
        }
        return plan
    }

    /// "1201" → 12, "502" → 5, "B1-08" → 1: how room numbers are written in China.
    static func derivedFloor(room: String) -> Int {
        let digits = room.reversed().prefix { $0.isNumber }.reversed()
        guard digits.count >= 3, let n = Int(String(digits)) else { return 1 }
        return max(1, min(200, n / 100))
    }

    static func idDocumentType(loose text: String) -> IDDocumentType? {
        if let t = IDDocumentType(rawValue: text.lowercased()) { return t }
        switch text {
        case "身份证", "居民身份证": return .residentID
        case "护照": return .passport
        case "通行证", "港澳通行证", "台胞证", "居住证": return .permit
        case "营业执照", "统一社会信用代码": return .businessLicence
        default: return nil
        }
    }

    static func rejected(_ problems: [DomainError.Detail]) -> DomainError {
        let lines = Set(problems.compactMap(\.line)).count
        return DomainError(.invalidInput, code: "import_rejected",
            Message(zh: "有 \(lines) 行存在错误,未导入任何数据", en: "\(lines) row(s) have errors; nothing was imported"),
            details: problems)
    }
}

/// What an import did, or — on a dry run — would do.
public struct RegistryImportReport: Sendable, Equatable, Codable {
    public var dryRun: Bool
    public var areasCreated = 0
    public var buildingsCreated = 0
    public var unitsCreated = 0
    public var unitsUpdated = 0
    public var unitsUnchanged = 0
    public var peopleCreated = 0
    public var linksCreated = 0
    public var linksUnchanged = 0

    public init(dryRun: Bool) { self.dryRun = dryRun }
}

/// The export file: the same columns the importer reads, so export → import round-trips.
public enum RegistryExport {
    public static let columns: [RegistryColumn] = [.building, .room, .floor, .kind, .floorArea, .area, .residentName, .relation, .phone, .idType, .idNumber]

    public static func header(_ language: Language) -> String {
        CSV.line(columns.map { $0.header(language) })
    }

    public struct Row: Sendable {
        public let building: String, room: String, floor: Int, kind: UnitKind, floorArea: FloorArea, area: String?
        public let resident: (name: String, relation: OccupantRelation, phone: String, idType: IDDocumentType?, idNumber: String?)?

        /// The same row with the phone masked, for an exporter who may not see phones.
        public var withMaskedPhone: Row {
            Row(building: building, room: room, floor: floor, kind: kind, floorArea: floorArea, area: area,
                resident: resident.map { ($0.name, $0.relation, Mask.phone($0.phone), $0.idType, $0.idNumber) })
        }

        public init(building: String, room: String, floor: Int, kind: UnitKind, floorArea: FloorArea, area: String?,
                    resident: (name: String, relation: OccupantRelation, phone: String, idType: IDDocumentType?, idNumber: String?)?) {
            self.building = building; self.room = room; self.floor = floor; self.kind = kind
            self.floorArea = floorArea; self.area = area; self.resident = resident
        }
    }

    public static func line(_ r: Row) -> String {
        CSV.line([r.building, r.room, String(r.floor), r.kind.rawValue, r.floorArea.description, r.area ?? "",
                  r.resident?.name ?? "", r.resident?.relation.rawValue ?? "", r.resident?.phone ?? "",
                  r.resident?.idType?.rawValue ?? "", r.resident?.idNumber ?? ""])
    }
}
