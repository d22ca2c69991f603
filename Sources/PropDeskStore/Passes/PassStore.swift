import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Parking permits and access cards (FD-6): issue, renew, revoke, lost-and-replaced. A pass is
/// never edited away: each step is on its hash-chained timeline, a replacement is a new pass
/// naming the lost one.
public struct PassStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    public struct Issue: Sendable {
        public var unitID: UUID
        public var kind: PassKind
        public var number: String
        public var plate: String
        public var holder: String
        public var validFrom: String
        public var validUntil: String

        public init(unitID: UUID, kind: PassKind, number: String, plate: String, holder: String, validFrom: String, validUntil: String) {
            self.unitID = unitID
            self.kind = kind
            self.number = number
            self.plate = plate
            self.holder = holder
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    static func day(_ raw: String, field: String) throws -> String {
        guard WorkingDays(ServiceHours()).day(raw) != nil else {
            throw DomainError.invalid(field: field, Message(zh: "日期格式应为 2026-11-01", en: "A date looks like 2026-11-01"))
        }
        return raw
    }

    public func issue(_ input: Issue, community: UUID, replacing: UUID? = nil, by actor: Actor) async throws -> UnitPass {
        let number = try Validate.text(input.number, field: "number", max: 30, required: true)
        let plate = input.kind == .parkingPermit ? try UnitPass.plate(input.plate) : ""
        let holder = try Validate.name(input.holder, field: "holder", max: 40)
        let from = try Self.day(input.validFrom, field: "validFrom"), until = try Self.day(input.validUntil, field: "validUntil")
        guard from <= until else { throw DomainError.invalid(field: "validUntil", Message(zh: "有效期止须不早于起始日", en: "Valid until must not be before valid from")) }
        guard let unit = try await UnitModel.find(input.unitID, on: db), unit.communityID == community else { throw DomainError.notFound(Noun.unit) }
        let at = now()
        let pass = UnitPass(communityID: community, unitID: input.unitID, kind: input.kind, number: number, plate: plate, holder: holder, validFrom: from,
                            validUntil: until, replaces: replacing, issuedAt: at)
        do {
            try await db.writeTransaction { tx in
                try await UnitPassModel(pass).create(on: tx)
                _ = try await TimelineStore(db: tx).append([Self.entry(pass, replacing == nil ? "issued" : "replacement_issued", actor, at,
                                                                       data: ["number": number, "plate": plate, "until": until])])
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            throw DomainError.conflict(code: "pass_number_taken", Message(zh: "编号 \(number) 已经发出过", en: "Number \(number) was issued already"))
        }
        return pass
    }

    public func pass(_ id: UUID) async throws -> UnitPass? { try await UnitPassModel.find(id, on: db)?.domain }

    public func renew(_ id: UUID, until raw: String, by actor: Actor) async throws -> UnitPass {
        let until = try Self.day(raw, field: "validUntil")
        return try await change(id, by: actor, kind: "renewed", data: ["until": until]) { p in
            guard p.status == .active else { throw Self.notActive(p) }
            guard until > p.validUntil else {
                throw DomainError.invalid(field: "validUntil", Message(zh: "续期后的有效期须晚于 \(p.validUntil)", en: "Renewal must go beyond \(p.validUntil)"))
            }
            p.validUntil = until
        }
    }

    public func revoke(_ id: UUID, reason raw: String, by actor: Actor) async throws -> UnitPass {
        let reason = try Validate.text(raw, field: "reason", max: 200, required: true)
        return try await change(id, by: actor, kind: "revoked", data: ["reason": reason]) { p in
            guard p.status == .active else { throw Self.notActive(p) }
            p.status = .revoked
        }
    }

    /// Reported lost: the pass stops being valid and a new one (new number) replaces it — one
    /// transaction, the old pass locked and still active, so two desks (or a revoke at the same
    /// moment) cannot make two replacements or revive a revoked pass as lost.
    public func replaceLost(_ id: UUID, newNumber: String, by actor: Actor) async throws -> UnitPass {
        let number = try Validate.text(newNumber, field: "number", max: 30, required: true)
        let at = now()
        do {
            return try await db.writeTransaction { tx in
                guard let m = try await tx.lockedFind(UnitPassModel.self, id) else { throw DomainError.notFound(Noun.pass) }
                var old = m.domain
                guard old.status == .active else { throw Self.notActive(old) }
                let replacement = UnitPass(communityID: old.communityID, unitID: old.unitID, kind: old.kind, number: number, plate: old.plate, holder: old.holder,
                                           validFrom: old.validFrom, validUntil: old.validUntil, replaces: old.id, issuedAt: at)
                try await UnitPassModel(replacement).create(on: tx)
                old.status = .lost
                m.status = old.status.rawValue
                try await m.update(on: tx)
                _ = try await TimelineStore(db: tx).append([
                    Self.entry(replacement, "replacement_issued", actor, at, data: ["number": number, "plate": replacement.plate, "until": replacement.validUntil]),
                    Self.entry(old, "lost", actor, at, data: ["replacedBy": number]),
                ])
                return replacement
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            throw DomainError.conflict(code: "pass_number_taken", Message(zh: "编号 \(number) 已经发出过", en: "Number \(number) was issued already"))
        }
    }

    static func notActive(_ p: UnitPass) -> DomainError {
        DomainError.conflict(code: "pass_not_active", Message(zh: "\(p.number) 当前状态为「\(p.status.title.zhHans)」", en: "\(p.number) is \(p.status.title.en.lowercased())"))
    }

    private func change(_ id: UUID, by actor: Actor, kind: String, data: [String: String], _ body: @escaping @Sendable (inout UnitPass) throws -> Void) async throws -> UnitPass {
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(UnitPassModel.self, id) else { throw DomainError.notFound(Noun.pass) }
            var p = m.domain
            try body(&p)
            m.validUntil = p.validUntil
            m.status = p.status.rawValue
            try await m.update(on: tx)
            _ = try await TimelineStore(db: tx).append([Self.entry(p, kind, actor, at, data: data)])
            return p
        }
    }

    public func passes(community: UUID, unit: UUID? = nil) async throws -> [UnitPass] {
        let q = UnitPassModel.query(on: db).filter(\.$communityID == community)
        if let unit { q.filter(\.$unitID == unit) }
        return try await q.sort(\.$issuedAt, .descending).limit(1000).all().map(\.domain)
    }

    /// Active passes whose validity ends within `days` days of `today` (or has ended).
    public func expiring(community: UUID, today: String, within days: Int) async throws -> [UnitPass] {
        guard let start = WorkingDays(ServiceHours()).day(today)?.start else { return [] }
        let limit = WorkingDays(ServiceHours()).dayKey(start.addingTimeInterval(Double(max(0, min(days, 366))) * 86400 + 12 * 3600))
        return try await UnitPassModel.query(on: db).filter(\.$communityID == community).filter(\.$status == PassStatus.active.rawValue)
            .filter(\.$validUntil <= limit).sort(\.$validUntil).limit(500).all().map(\.domain)
    }

    static func entry(_ p: UnitPass, _ kind: String, _ actor: Actor, _ at: Date, data: [String: String]) -> TimelineEntry {
        TimelineEntry(subjectKind: .unitPass, subjectID: p.id, communityID: p.communityID, seq: 0, kind: kind, actorID: actor.userID, actorName: actor.name,
                      at: at, note: nil, data: data)
    }
}
