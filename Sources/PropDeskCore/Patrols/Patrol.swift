import Foundation

/// What an area supervisor looks at on a patrol (FLD-3; S2 3.1 1 a–d, S2 4.2.6): the standard's
/// own list, so a checklist is made of these and a failed item knows what kind of work it is.
public enum PatrolCategory: String, Sendable, Codable, CaseIterable {
    case cleaning, greening, lighting
    case doorsWindows = "doors_windows"
    case elevators, corridors, roof
    case streetLights = "street_lights"
    case facades, recreation, roads, drains, signs

    public var title: Message {
        switch self {
        case .cleaning: Message(zh: "清洁卫生", en: "Cleaning")
        case .greening: Message(zh: "绿化养护", en: "Greening")
        case .lighting: Message(zh: "公共照明", en: "Lighting")
        case .doorsWindows: Message(zh: "门窗", en: "Doors & windows")
        case .elevators: Message(zh: "电梯", en: "Elevators")
        case .corridors: Message(zh: "公共通道", en: "Corridors")
        case .roof: Message(zh: "天面", en: "Roof")
        case .streetLights: Message(zh: "路灯照明", en: "Street lights")
        case .facades: Message(zh: "楼宇外墙", en: "Facades")
        case .recreation: Message(zh: "康体休闲设施", en: "Recreation facilities")
        case .roads: Message(zh: "道路", en: "Roads")
        case .drains: Message(zh: "排水井/渠", en: "Drains")
        case .signs: Message(zh: "标识牌、路牌", en: "Signs")
        }
    }

    /// The question a new checklist item asks, until the CS manager words it for the place.
    public var defaultCheck: Message {
        switch self {
        case .cleaning: Message(zh: "地面、墙面清洁,无垃圾堆放", en: "Floors and walls clean, no rubbish left")
        case .greening: Message(zh: "绿植修剪整齐,无枯死、无裸土", en: "Plants trimmed, none dead, no bare soil")
        case .lighting: Message(zh: "公共照明灯具完好、亮灯正常", en: "Common lights intact and working")
        case .doorsWindows: Message(zh: "门窗、门禁完好,开关正常", en: "Doors, windows and access control intact and working")
        case .elevators: Message(zh: "电梯运行正常,轿厢整洁,年检标志有效", en: "Elevator running, car clean, inspection certificate valid")
        case .corridors: Message(zh: "通道畅通,无杂物占用", en: "Corridors clear, nothing stored in them")
        case .roof: Message(zh: "天面无积水、无杂物,防水完好", en: "Roof without standing water or debris, waterproofing intact")
        case .streetLights: Message(zh: "路灯完好、按时亮灯", en: "Street lights intact and on at night")
        case .facades: Message(zh: "外墙无脱落、无渗水、无违章搭建", en: "Facade without falling pieces, leaks or illegal additions")
        case .recreation: Message(zh: "康体设施完好、安全,无尖锐破损", en: "Recreation equipment intact and safe, nothing sharp or broken")
        case .roads: Message(zh: "路面平整,无坑洼、无积水", en: "Road surface even, no potholes or standing water")
        case .drains: Message(zh: "排水井盖完好,排水通畅无堵塞", en: "Drain covers intact, drains flowing freely")
        case .signs: Message(zh: "标识牌、路牌齐全清晰", en: "Signs complete and legible")
        }
    }

    /// What a failed item is about, for the work order it becomes (INT-4).
    public var orderCategory: Category {
        switch self {
        case .cleaning: .cleaning
        case .greening: .greening
        case .lighting, .streetLights: .electricity
        case .doorsWindows: .doorWindow
        case .elevators: .elevator
        case .drains: .water
        case .corridors, .roof, .facades, .recreation, .roads, .signs: .publicFacility
        }
    }
}

/// One question of a checkpoint's checklist: "楼道照明完好" under lighting.
public struct ChecklistItem: Sendable, Codable, Equatable {
    /// Stable within its checkpoint ("1", "2" …), so a result names the item even after the
    /// wording changes.
    public var id: String
    public var category: PatrolCategory
    public var text: String

    public init(id: String, category: PatrolCategory, text: String) {
        self.id = id
        self.category = category
        self.text = text
    }
}

/// A place on an area's patrol route (FLD-3): a lobby, a playground, a roof. Key spots (S2 4.2.1:
/// lobbies, renovating floors, common-area works, main recreation places) are visited every day,
/// every checkpoint of the area every week. It carries a short code, printed under its QR code.
public struct Checkpoint: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID
    /// The building it is in; nil for a common area outside buildings.
    public var buildingID: UUID?
    /// Six characters from `Checkpoint.codeAlphabet`, unique across the installation.
    public var code: String
    public var name: String
    public var location: String
    public var keySpot: Bool
    public var items: [ChecklistItem]
    public var createdAt: Date
    /// When it was taken off the route; it is not due after that.
    public var retiredAt: Date?

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID, buildingID: UUID?, code: String, name: String, location: String, keySpot: Bool,
                items: [ChecklistItem], createdAt: Date, retiredAt: Date? = nil) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.buildingID = buildingID
        self.code = code
        self.name = name
        self.location = location
        self.keySpot = keySpot
        self.items = items
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    /// Letters and digits that cannot be mistaken for one another when typed from a label
    /// (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
    public static let codeAlphabet = Array("ACDEFGHJKMNPQRTUVWXY34679")
    public static let codeLength = 6

    public static func newCode() -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<codeLength).map { _ in codeAlphabet.randomElement(using: &g)! })
    }

    /// A code as typed on a phone: case and spaces forgiven; nil when it cannot be one.
    public static func normalizedCode(_ raw: String) -> String? {
        let c = raw.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard c.count == codeLength, c.allSatisfy(codeAlphabet.contains) else { return nil }
        return c
    }

    /// Whether it was on the route during the whole of [from, until).
    public func isDue(from: Date, until: Date) -> Bool {
        createdAt <= from && (retiredAt.map { $0 >= until } ?? true)
    }

    /// The checklist as the CS manager typed it: one item per line, "category: text" or only
    /// the category's name (its default check is used); at most 30 items.
    public static func parseChecklist(_ raw: String) throws -> [ChecklistItem] {
        var items: [ChecklistItem] = []
        for line in raw.split(whereSeparator: \.isNewline) {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else { continue }
            let parts = t.replacingOccurrences(of: "：", with: ":").split(separator: ":", maxSplits: 1)
            let head = parts.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? t
            guard let category = PatrolCategory.named(head) else {
                throw DomainError.invalid(field: "checklist", Message(
                    zh: "检查项“\(t)”的类别不认识:应以 \(PatrolCategory.allCases.map(\.title.zhHans).joined(separator: "、")) 之一开头",
                    en: "Checklist line “\(t)” does not start with a known category: one of \(PatrolCategory.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            let text = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
            let wording = try Validate.text(text.isEmpty ? category.defaultCheck.zhHans : text, field: "checklist", max: 80, required: true)
            items.append(ChecklistItem(id: String(items.count + 1), category: category, text: wording))
        }
        guard !items.isEmpty else {
            throw DomainError.invalid(field: "checklist", Message(zh: "检查清单至少要有一项", en: "The checklist needs at least one item"))
        }
        guard items.count <= 30 else {
            throw DomainError.invalid(field: "checklist", Message(zh: "检查清单最多 30 项", en: "A checklist has at most 30 items"))
        }
        return items
    }

    /// The checklist in the form `parseChecklist` reads.
    public var checklistText: String { items.map { "\($0.category.title.zhHans): \($0.text)" }.joined(separator: "\n") }
}

extension PatrolCategory {
    /// By its code ("lighting") or its name in either language ("公共照明", "Lighting").
    public static func named(_ raw: String) -> PatrolCategory? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        return allCases.first { $0.rawValue == t.lowercased() || $0.title.zhHans == t || $0.title.en.lowercased() == t.lowercased() }
    }
}

/// What a round covers (S2 4.2.1): the day's key spots, or the whole area (weekly).
public enum RoundScope: String, Sendable, Codable, CaseIterable {
    case keySpots = "key_spots"
    case full

    public var title: Message {
        switch self {
        case .keySpots: Message(zh: "重点部位巡查", en: "Key-spot round")
        case .full: Message(zh: "全面巡查", en: "Full round")
        }
    }
}

/// One walk of an area by its supervisor: checkpoints in any order, each saved as it is done.
public struct PatrolRound: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID
    public var scope: RoundScope
    public var patrollerID: UUID?
    public var patrollerName: String
    public var startedAt: Date
    public var finishedAt: Date?

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID, scope: RoundScope, patrollerID: UUID?, patrollerName: String, startedAt: Date,
                finishedAt: Date? = nil) {
        self.id = id
        self.communityID = communityID
        self.areaID = areaID
        self.scope = scope
        self.patrollerID = patrollerID
        self.patrollerName = patrollerName
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// The answer to one checklist item at one visit.
public struct ItemResult: Sendable, Codable, Equatable {
    public var itemID: String
    public var passed: Bool
    public var note: String

    public init(itemID: String, passed: Bool, note: String = "") {
        self.itemID = itemID
        self.passed = passed
        self.note = note
    }
}

/// A failed item that became a work order (FLD-3, FLD-8): the link both ways.
public struct PatrolFinding: Sendable, Equatable, Codable {
    public var visitID: UUID
    public var checkpointID: UUID
    public var itemID: String
    public var orderID: UUID
    public var orderNumber: String
    public var priority: Priority

    public init(visitID: UUID, checkpointID: UUID, itemID: String, orderID: UUID, orderNumber: String, priority: Priority) {
        self.visitID = visitID
        self.checkpointID = checkpointID
        self.itemID = itemID
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.priority = priority
    }
}

/// One checkpoint done on a round, timestamped by the server (never by the phone).
public struct CheckpointVisit: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var roundID: UUID
    public var checkpointID: UUID
    public var communityID: UUID
    public var areaID: UUID
    public var at: Date
    public var byID: UUID?
    public var byName: String
    public var results: [ItemResult]
    public var note: String
    public var findings: [PatrolFinding]

    public init(id: UUID = UUID(), roundID: UUID, checkpointID: UUID, communityID: UUID, areaID: UUID, at: Date, byID: UUID?, byName: String,
                results: [ItemResult], note: String, findings: [PatrolFinding] = []) {
        self.id = id
        self.roundID = roundID
        self.checkpointID = checkpointID
        self.communityID = communityID
        self.areaID = areaID
        self.at = at
        self.byID = byID
        self.byName = byName
        self.results = results
        self.note = note
        self.findings = findings
    }

    public var failed: [ItemResult] { results.filter { !$0.passed } }

    /// Checks the answers against the checklist: every item answered once, nothing else, a note
    /// on each failed item (what is wrong becomes the work order's description).
    public static func checkResults(_ results: [ItemResult], against checkpoint: Checkpoint) throws -> [ItemResult] {
        var seen = Set<String>()
        var checked: [ItemResult] = []
        for r in results {
            guard let item = checkpoint.items.first(where: { $0.id == r.itemID }) else {
                throw DomainError.invalid(field: "results", Message(zh: "检查项 \(r.itemID) 不在此检查点的清单中", en: "Item \(r.itemID) is not on this checkpoint's checklist"))
            }
            guard seen.insert(r.itemID).inserted else {
                throw DomainError.invalid(field: "results", Message(zh: "检查项“\(item.text)”填了两次", en: "Item “\(item.text)” is answered twice"))
            }
            let note = try Validate.text(r.note, field: "note", max: 500, required: false)
            if !r.passed && note.isEmpty {
                throw DomainError.invalid(field: "results", Message(zh: "不合格项“\(item.text)”请写明问题", en: "Say what is wrong with the failed item “\(item.text)”"))
            }
            checked.append(ItemResult(itemID: r.itemID, passed: r.passed, note: note))
        }
        let missing = checkpoint.items.filter { !seen.contains($0.id) }
        if let first = missing.first {
            throw DomainError.invalid(field: "results", Message(zh: "还有 \(missing.count) 项未检查,如“\(first.text)”", en: "\(missing.count) item(s) not answered yet, such as “\(first.text)”"))
        }
        return checked
    }
}

extension SubjectKind {
    /// A patrol round (FLD-3): its timeline holds each checkpoint done, hash-chained.
    public static let patrolRound = SubjectKind(rawValue: "patrol_round")
    /// One checkpoint visit: its photos are evidence on it.
    public static let patrolVisit = SubjectKind(rawValue: "patrol_visit")
}
