import Fluent
import Foundation
import PropDeskCore

/// The audit trail (SEC-4): appended in the same transaction as the change it records.
public struct AuditLog: Sendable {
    let db: any Database

    public func record(_ entry: AuditEntry) async throws {
        try await AuditEntryModel(entry).create(on: db)
    }

    func record(_ actor: Actor, _ action: AuditEntry.Action, entity: String, id: UUID?, community: UUID?,
                before: (any Encodable)? = nil, after: (any Encodable)? = nil, at: Date) async throws {
        try await record(AuditEntry(communityID: community, actorID: actor.userID, actorName: actor.name, at: at, entity: entity,
            entityID: id, action: action, before: before.map { AuditEntry.snapshot($0) }, after: after.map { AuditEntry.snapshot($0) }))
    }

    /// Newest first; filtered by record, or by community.
    public func entries(entityID: UUID? = nil, communityIDs: Set<UUID>? = nil, limit: Int = 100) async throws -> [AuditEntry] {
        let q = AuditEntryModel.query(on: db)
        if let entityID { q.filter(\.$entityID == entityID) }
        if let communityIDs { q.filter(\.$communityID ~~ communityIDs) }
        return try await q.sort(\.$at, .descending).limit(min(max(limit, 1), 500)).all().map(\.domain)
    }
}
