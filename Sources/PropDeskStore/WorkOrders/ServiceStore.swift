import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Incidents (INT-16), the paid-service catalogue (INT-10), dispatch rules (INT-15) and the
/// webhook outbox: the things around orders.
extension WorkOrderStore {
    // MARK: Incidents

    public func incidents(community: UUID, openOnly: Bool) async throws -> [Incident] {
        let q = IncidentModel.query(on: db).filter(\.$communityID == community)
        if openOnly { q.filter(\.$closedAt == nil) }
        return try await q.sort(\.$createdAt, .descending).limit(200).all().map(\.domain)
    }

    public func incident(_ id: UUID) async throws -> Incident? { try await IncidentModel.find(id, on: db)?.domain }

    public func createIncident(_ incident: Incident, by actor: Actor) async throws -> Incident {
        let i = try incident.validated()
        for b in i.buildingIDs {
            guard let m = try await BuildingModel.find(b, on: db), m.communityID == i.communityID else { throw DomainError.notFound(Noun.building) }
        }
        let at = now()
        try await db.writeTransaction { tx in
            try await IncidentModel(i).create(on: tx)
            try await AuditLog(db: tx).record(actor, .create, entity: "incident", id: i.id, community: i.communityID, after: i, at: at)
        }
        return i
    }

    /// Closes an incident and every request linked to it, each with the closing note on its
    /// timeline, so every caller is informed (INT-16).
    public func closeIncident(_ id: UUID, note: String, by actor: Actor) async throws -> Incident {
        let note = try Validate.name(note, field: "note", max: 500)
        let at = now()
        return try await writing { s in
            let tx = s.db
            guard let m = try await IncidentModel.find(id, on: tx) else { throw DomainError.notFound(Noun.incident) }
            guard m.closedAt == nil else {
                throw DomainError.conflict(code: "incident_closed", Message(zh: "该突发事件已关闭", en: "This incident is already closed"))
            }
            let before = m.domain
            m.closedAt = at
            m.closingNote = note
            try await m.update(on: tx)
            let linked = try await WorkOrderModel.query(on: tx).filter(\.$incidentID == id).filter(\.$status == OrderStatus.received.rawValue).all()
            for o in linked {
                guard try await s.lock(o.id!, community: o.communityID, skipLocked: false), let fresh = try await s.orders([o.id!])[o.id!] else { continue }
                _ = try await s.apply(.resolveByIncident(note: note), to: fresh, by: actor, at: at)
            }
            try await AuditLog(db: tx).record(actor, .update, entity: "incident", id: id, community: m.communityID, before: before, after: m.domain, at: at)
            return m.domain
        }
    }

    // MARK: Catalogue (INT-10)

    public func catalogue(community: UUID, activeOnly: Bool) async throws -> [CatalogueItem] {
        let q = CatalogueItemModel.query(on: db).filter(\.$communityID == community)
        if activeOnly { q.filter(\.$active == true) }
        return try await q.sort(\.$code).all().map(\.domain)
    }

    public func addCatalogueItem(_ item: CatalogueItem, by actor: Actor) async throws -> CatalogueItem {
        let c = try item.validated()
        let (cid, code) = (c.communityID, c.code)
        if try await CatalogueItemModel.query(on: db).filter(\.$communityID == cid).filter(\.$code == code).first() != nil {
            throw DomainError.conflict(code: "duplicate_code", Message(zh: "项目编号 \(code) 已存在", en: "Item code \(code) already exists"))
        }
        let at = now()
        try await db.writeTransaction { tx in
            try await CatalogueItemModel(c).create(on: tx)
            try await AuditLog(db: tx).record(actor, .create, entity: "catalogue_item", id: c.id, community: c.communityID,
                                              after: ["code": c.code, "name": c.name.zhHans, "price": String(c.price)], at: at)
        }
        return c
    }

    /// Takes an item off the public list (or back on): a price once charged stays on record.
    public func setCatalogueItemActive(_ id: UUID, community: UUID, active: Bool, by actor: Actor) async throws -> CatalogueItem {
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await CatalogueItemModel.find(id, on: tx), m.communityID == community else { throw DomainError.notFound(Noun.catalogueItem) }
            let before = m.active
            m.active = active
            try await m.update(on: tx)
            try await AuditLog(db: tx).record(actor, .update, entity: "catalogue_item", id: id, community: community,
                                              before: ["active": before], after: ["active": active], at: at)
            return m.domain
        }
    }

    // MARK: Dispatch rules (INT-15)

    /// Removes a rule; orders it dispatched keep their engineer.
    public func removeRule(_ id: UUID, community: UUID, by actor: Actor) async throws {
        let at = now()
        try await db.writeTransaction { tx in
            guard let m = try await DispatchRuleModel.find(id, on: tx), m.communityID == community else { throw DomainError.notFound(Noun.rule) }
            let before = m.domain
            try await m.delete(on: tx)
            try await AuditLog(db: tx).record(actor, .delete, entity: "dispatch_rule", id: id, community: community, before: before, at: at)
        }
    }

    public func rules(community: UUID) async throws -> [DispatchRule] {
        try await DispatchRuleModel.query(on: db).filter(\.$communityID == community).sort(\.$position).all().map(\.domain)
    }

    public func addRule(name: String, category: PropDeskCore.Category?, areaID: UUID?, memberIDs: [UUID], community: UUID, by actor: Actor) async throws -> DispatchRule {
        let name = try Validate.name(name, field: "name", max: 60)
        guard !memberIDs.isEmpty, memberIDs.count <= 50, Set(memberIDs).count == memberIDs.count else {
            throw DomainError.invalid(field: "memberIds", Message(zh: "请指定 1 到 50 名不重复的人员", en: "Name 1 to 50 different people"))
        }
        if let areaID {
            guard let a = try await AreaModel.find(areaID, on: db), a.communityID == community else { throw DomainError.notFound(Noun.area) }
        }
        var members: [Assignee] = []
        for id in memberIDs { members.append(try await assignee(id, community: community)) }
        let position = (try await DispatchRuleModel.query(on: db).filter(\.$communityID == community).max(\.$position) ?? 0) + 1
        let rule = DispatchRule(communityID: community, position: position, name: name, category: category, areaID: areaID, members: members)
        let at = now()
        try await db.writeTransaction { tx in
            try await DispatchRuleModel(rule).create(on: tx)
            try await AuditLog(db: tx).record(actor, .create, entity: "dispatch_rule", id: rule.id, community: community, after: rule, at: at)
        }
        return rule
    }

    // MARK: Webhook outbox

    public struct Delivery: Sendable {
        public let id: UUID
        public let payload: String
        public let attempts: Int
    }

    /// Takes up to `limit` due deliveries for this process, leasing them for `lease` seconds so
    /// no other process sends them meanwhile (SKIP LOCKED on PostgreSQL). They are taken
    /// community by community, each claim naming its community (RUN-5): distributed by
    /// community, it goes to the one node that keeps those deliveries.
    public func claimDeliveries(limit: Int, lease: TimeInterval) async throws -> [Delivery] {
        let at = now()
        let until = at.addingTimeInterval(lease)
        let lock: SQLQueryString = isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        // The window of the oldest due: from each of its communities as many as it had there,
        // so every community's oldest go first, and a second process takes the next ones.
        let due = try await sql.raw("""
            SELECT community_id FROM webhook_deliveries WHERE next_attempt_at <= \(bind: at) ORDER BY next_attempt_at LIMIT \(literal: max(1, limit))
            """).all().map { try $0.decode(column: "community_id", as: UUID.self) }
        var claimed: [Delivery] = []
        for (community, count) in Distribution.byCommunity(due) where claimed.count < limit {
            let take = min(count, limit - claimed.count)
            let rows = try await sql.raw("""
                UPDATE webhook_deliveries SET next_attempt_at = \(bind: until)
                WHERE community_id = \(bind: community) AND id IN (SELECT id FROM webhook_deliveries
                    WHERE community_id = \(bind: community) AND next_attempt_at <= \(bind: at) ORDER BY next_attempt_at LIMIT \(literal: take)\(lock))
                RETURNING id, payload, attempts
                """).all()
            claimed += try rows.map {
                Delivery(id: try $0.decode(column: "id", as: UUID.self), payload: try $0.decode(column: "payload", as: String.self),
                         attempts: try $0.decode(column: "attempts", as: Int.self))
            }
        }
        return claimed
    }

    /// Records one attempt; a failure is retried after 30 s, 1, 2, 4 … minutes, 10 attempts in all.
    public func recordDelivery(_ id: UUID, status: Int?, error: String?) async throws {
        guard let m = try await WebhookDeliveryModel.find(id, on: db) else { return }
        let at = now()
        m.attempts += 1
        m.lastStatus = status
        m.lastError = error.map { String($0.prefix(500)) }
        if let status, (200..<300).contains(status) {
            m.deliveredAt = at
            m.nextAttemptAt = nil
        } else {
            m.nextAttemptAt = m.attempts >= Self.maxAttempts ? nil : at.addingTimeInterval(Self.backoff(attempt: m.attempts))
        }
        try await m.update(on: db)
    }

    public static let maxAttempts = 10
    public static func backoff(attempt: Int) -> TimeInterval { 30 * pow(2, Double(max(0, min(attempt - 1, 10)))) }

    public struct DeliveryRecord: Sendable {
        public let alertID: UUID
        public let attempts: Int
        public let deliveredAt: Date?
        public let nextAttemptAt: Date?
        public let lastStatus: Int?
        public let lastError: String?
    }

    public func deliveries(alert: UUID) async throws -> [DeliveryRecord] {
        try await WebhookDeliveryModel.query(on: db).filter(\.$alertID == alert).all().map {
            DeliveryRecord(alertID: $0.alertID, attempts: $0.attempts, deliveredAt: $0.deliveredAt, nextAttemptAt: $0.nextAttemptAt,
                           lastStatus: $0.lastStatus, lastError: $0.lastError)
        }
    }
}
