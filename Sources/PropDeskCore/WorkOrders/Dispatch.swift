import Foundation

/// Dispatch by rule (INT-15): category × area → a team (round-robin inside it) or one person.
/// A rule without a category or without an area matches any. The first matching rule by
/// position wins.
public struct DispatchRule: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var position: Int
    public var name: String
    public var category: Category?
    public var areaID: UUID?
    /// One person, or a team in round-robin order.
    public var members: [Assignee]
    /// Index of the member who got the last order.
    public var cursor: Int

    public init(id: UUID = UUID(), communityID: UUID, position: Int, name: String, category: Category?, areaID: UUID?,
                members: [Assignee], cursor: Int = -1) {
        self.id = id
        self.communityID = communityID
        self.position = position
        self.name = name
        self.category = category
        self.areaID = areaID
        self.members = members
        self.cursor = cursor
    }

    public func matches(category: Category, areaID: UUID?) -> Bool {
        (self.category == nil || self.category == category) && (self.areaID == nil || self.areaID == areaID)
    }

    /// The next member in turn, and the rule with its cursor moved.
    public func next() -> (Assignee, DispatchRule)? {
        guard !members.isEmpty else { return nil }
        var r = self
        r.cursor = (cursor + 1) % members.count
        return (members[r.cursor], r)
    }

    public static func pick(_ rules: [DispatchRule], category: Category, areaID: UUID?) -> DispatchRule? {
        rules.sorted { $0.position < $1.position }.first { $0.matches(category: category, areaID: areaID) && !$0.members.isEmpty }
    }

    /// Whom the board proposes for an order (INT-15): among the members of the rule that matches
    /// it — or everyone, when none does — the one holding the fewest open orders, in the rule's
    /// order on a tie. An engineer already holding an emergency is proposed last.
    public static func suggest(_ rules: [DispatchRule], category: Category, areaID: UUID?, everyone: [Assignee],
                               load: [UUID: Int], onEmergency: Set<UUID> = []) -> Assignee? {
        let known = Set(everyone.map(\.id))
        let members = pick(rules, category: category, areaID: areaID)?.members.filter { known.contains($0.id) } ?? []
        let pool = members.isEmpty ? everyone : members
        return pool.enumerated().min { a, b in
            let ka = (onEmergency.contains(a.element.id) ? 1 : 0, load[a.element.id] ?? 0, a.offset)
            let kb = (onEmergency.contains(b.element.id) ? 1 : 0, load[b.element.id] ?? 0, b.offset)
            return ka < kb
        }?.element
    }
}

/// A mass outage or notice (INT-16): one incident covers buildings (none listed: the whole
/// community) and a time window; matching requests are linked instead of dispatched again, and
/// the front desk reads the script to callers.
public struct Incident: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var title: String
    public var category: Category
    public var buildingIDs: [UUID]
    public var startsAt: Date
    public var endsAt: Date?
    /// What the front desk tells callers.
    public var script: String
    public var createdByName: String
    public var createdAt: Date
    public var closedAt: Date?
    public var closingNote: String?
    public var linkedOrders: Int

    public init(id: UUID = UUID(), communityID: UUID, title: String, category: Category, buildingIDs: [UUID], startsAt: Date,
                endsAt: Date?, script: String, createdByName: String, createdAt: Date, closedAt: Date? = nil,
                closingNote: String? = nil, linkedOrders: Int = 0) {
        self.id = id
        self.communityID = communityID
        self.title = title
        self.category = category
        self.buildingIDs = buildingIDs
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.script = script
        self.createdByName = createdByName
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.closingNote = closingNote
        self.linkedOrders = linkedOrders
    }

    public var isOpen: Bool { closedAt == nil }

    /// Whether a new request belongs to this incident: same category, a covered building
    /// (or the whole community), inside the window, incident still open. Only repairs and
    /// help requests are absorbed; a complaint about the outage is its own matter.
    public func absorbs(kind: RequestKind, category: Category, buildingID: UUID?, at now: Date) -> Bool {
        guard isOpen, kind == .repair || kind == .help || kind == .inquiry, category == self.category,
              now >= startsAt, endsAt.map({ now <= $0 }) ?? true else { return false }
        if buildingIDs.isEmpty { return true }
        return buildingID.map(buildingIDs.contains) ?? false
    }

    public func validated() throws -> Incident {
        var i = self
        i.title = try Validate.text(title, field: "title", max: 100, required: true)
        i.script = try Validate.text(script, field: "script", max: 2000, required: true)
        if let endsAt, endsAt <= startsAt {
            throw DomainError.invalid(field: "endsAt", Message(zh: "结束时间须晚于开始时间", en: "The end must be after the start"))
        }
        return i
    }
}

/// An entry of the published price list for paid convenience services (INT-10, S3).
public struct CatalogueItem: Sendable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var code: String
    public var name: Message
    public var unit: Message
    /// Price in fen.
    public var price: Int
    public var active: Bool

    public init(id: UUID = UUID(), communityID: UUID, code: String, name: Message, unit: Message, price: Int, active: Bool = true) {
        self.id = id
        self.communityID = communityID
        self.code = code
        self.name = name
        self.unit = unit
        self.price = price
        self.active = active
    }

    public func validated() throws -> CatalogueItem {
        var c = self
        c.code = try Validate.name(code, field: "code", max: 20).uppercased()
        c.name = Message(zh: try Validate.name(name.zhHans, field: "name", max: 60), en: try Validate.name(name.en, field: "name", max: 60))
        c.unit = Message(zh: try Validate.name(unit.zhHans, field: "unit", max: 20), en: try Validate.name(unit.en, field: "unit", max: 20))
        try OrderMachine.checkMoney(price, field: "price")
        return c
    }
}

/// Yuan with two decimals for people; fen everywhere else.
public enum Money {
    public static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let a = abs(fen)
        return "\(sign)¥\(a / 100).\(String(format: "%02d", a % 100))"
    }

    /// Reads what a person typed ("120", "120.5", "¥1,20.50" is refused) as fen; at most two
    /// decimals, never negative, at most one million yuan.
    public static func fen(fromYuan raw: String, field: String) throws -> Int {
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "￥", with: "")
        let bad = DomainError.invalid(field: field, Message(zh: "金额请写成元,最多两位小数,例如 120 或 85.50", en: "Write the amount in yuan with at most two decimals, e.g. 120 or 85.50"))
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              !parts[0].isEmpty, parts[0].count <= 7, parts.count == 1 || (1...2).contains(parts[1].count),
              let whole = Int(parts[0]) else { throw bad }
        let cents = parts.count == 2 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0
        let fen = whole * 100 + cents
        guard fen <= 100_000_000 else { throw bad }
        return fen
    }
}
