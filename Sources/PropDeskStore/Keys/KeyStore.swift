import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The key ledger (FD-5, S4 4.12): movements appended one by one, each checked against the
/// holding it changes (under a lock of the unit, so two desks cannot lend the same key); who
/// holds what now is replayed from them; the monthly count of the board against the ledger.
public struct KeyStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    public struct Movement: Sendable {
        public var unitID: UUID
        public var kind: KeyMovementKind
        public var count: Int
        public var party: String
        public var idChecked: String
        public var purpose: String
        public var expectedBack: Date?
        /// The form's own id: a movement sent twice (a double click, a retry) is recorded once (SEC-5).
        public var id: UUID?

        public init(unitID: UUID, kind: KeyMovementKind, count: Int, party: String, idChecked: String = "", purpose: String = "", expectedBack: Date? = nil,
                    id: UUID? = nil) {
            self.id = id
            self.unitID = unitID
            self.kind = kind
            self.count = count
            self.party = party
            self.idChecked = idChecked
            self.purpose = purpose
            self.expectedBack = expectedBack
        }
    }

    public func record(_ input: Movement, community: UUID, by actor: Actor) async throws -> (KeyMovement, KeyHolding) {
        guard (1...50).contains(input.count) else { throw DomainError.invalid(field: "count", Message(zh: "钥匙数量应在 1 至 50 把之间", en: "1 to 50 keys")) }
        let party = try Validate.name(input.party, field: "party", max: 40)
        let idChecked = try Validate.text(input.idChecked, field: "idChecked", max: 40, required: input.kind == .lent)
        // The ledger notes which ID was checked (its kind and last digits), never the number.
        guard !Self.holdsAnIDNumber(idChecked) else {
            throw DomainError.invalid(field: "idChecked", Message(zh: "只登记证件类型和末四位,如“身份证 尾号 1234”,不要登记完整证件号",
                                                                en: "Note the document and its last four characters (e.g. ID …1234), never the whole number"))
        }
        let purpose = try Validate.text(input.purpose, field: "purpose", max: 200, required: input.kind == .lent)
        guard let unit = try await UnitModel.find(input.unitID, on: db), unit.communityID == community else { throw DomainError.notFound(Noun.unit) }
        if let id = input.id, let sent = try await KeyMovementModel.find(id, on: db), sent.unitID != input.unitID || sent.communityID != community {
            throw DomainError.conflict(code: "movement_id_reused", Message(zh: "此表单编号已用于另一户的钥匙记录", en: "This form's id was already used for another unit's keys"))
        }
        let at = now()
        return try await db.writeTransaction { tx in
            _ = try await tx.lockRows(UnitModel.schema, community: community, ids: [input.unitID], skipLocked: false)
            let before = try await KeyMovementModel.query(on: tx).filter(\.$communityID == community).filter(\.$unitID == input.unitID).sort(\.$at).all().map(\.domain)
            var holding = KeyHolding.replay(unit: input.unitID, before)
            if let id = input.id, let sent = before.first(where: { $0.id == id }) { return (sent, holding) }
            let m = KeyMovement(id: input.id ?? UUID(), communityID: community, unitID: input.unitID, kind: input.kind, count: input.count, party: party, idChecked: idChecked,
                                purpose: purpose, expectedBack: input.expectedBack, at: at, byName: actor.name)
            try holding.apply(m)
            try await KeyMovementModel(m).create(on: tx)
            try await AuditLog(db: tx).record(actor, .create, entity: "key_movement", id: m.id, community: community,
                                              after: ["unit": input.unitID.uuidString, "kind": m.kind.rawValue, "count": String(m.count), "party": party], at: at)
            return (m, holding)
        }
    }

    public func movements(community: UUID, unit: UUID? = nil, limit: Int = 500) async throws -> [KeyMovement] {
        let q = KeyMovementModel.query(on: db).filter(\.$communityID == community)
        if let unit { q.filter(\.$unitID == unit) }
        return try await q.sort(\.$at, .descending).limit(limit).all().map(\.domain)
    }

    /// Who holds what now, per unit with keys held or lent.
    public func holdings(community: UUID) async throws -> [KeyHolding] {
        let all = try await KeyMovementModel.query(on: db).filter(\.$communityID == community).sort(\.$at).all().map(\.domain)
        return Dictionary(grouping: all, by: \.unitID).map { KeyHolding.replay(unit: $0.key, $0.value) }.filter { $0.total > 0 }
            .sorted { $0.unitID.uuidString < $1.unitID.uuidString }
    }

    /// The month's count: what is on the board per unit, against the ledger; the differences are
    /// kept with the count.
    public struct Difference: Sendable, Codable, Equatable {
        public var unitID: UUID
        public var ledger: Int
        public var counted: Int

        public init(unitID: UUID, ledger: Int, counted: Int) {
            self.unitID = unitID
            self.ledger = ledger
            self.counted = counted
        }
    }

    /// More than four letters or digits in a row: a document number, not its last digits.
    static func holdsAnIDNumber(_ text: String) -> Bool {
        var run = 0
        for c in text {
            run = c.isASCII && (c.isLetter || c.isNumber) ? run + 1 : 0
            if run > 4 { return true }
        }
        return false
    }

    public func reconcile(community: UUID, counted: [UUID: Int], note raw: String, by actor: Actor) async throws -> [Difference] {
        let note = try Validate.text(raw, field: "note", max: 500, required: false)
        guard counted.count <= 5000, counted.values.allSatisfy({ (0...50).contains($0) }) else {
            throw DomainError.invalid(field: "counted", Message(zh: "每户清点的钥匙数应在 0 至 50 把之间", en: "0 to 50 keys per unit"))
        }
        if !counted.isEmpty {
            let ours = try await UnitModel.query(on: db).filter(\.$communityID == community).filter(\.$id ~~ Array(counted.keys)).count()
            guard ours == counted.count else { throw DomainError.notFound(Noun.unit) }
        }
        let holdings = try await self.holdings(community: community)
        let units = Set(holdings.map(\.unitID)).union(counted.keys)
        let differences = units.compactMap { u -> Difference? in
            let ledger = holdings.first { $0.unitID == u }?.onBoard ?? 0
            let count = counted[u] ?? 0
            return ledger == count ? nil : Difference(unitID: u, ledger: ledger, counted: count)
        }.sorted { $0.unitID.uuidString < $1.unitID.uuidString }
        let m = KeyReconciliationModel()
        m.id = UUID(); m.communityID = community; m.at = now(); m.byName = actor.name; m.units = units.count
        m.differences = AuditEntry.snapshot(differences); m.note = note
        try await db.writeTransaction { tx in try await m.create(on: tx) }
        return differences
    }

    public func reconciliations(community: UUID, from: Date, until: Date) async throws -> [(at: Date, byName: String, differences: Int)] {
        try await KeyReconciliationModel.query(on: db).filter(\.$communityID == community).filter(\.$at >= from).filter(\.$at < until).sort(\.$at).all().map { m in
            (m.at, m.byName, ((try? JSONDecoder().decode([Difference].self, from: Data(m.differences.utf8))) ?? []).count)
        }
    }
}
