import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and record what on patrols (SEC-2, FLD-3): the one path for the API and the pages.
/// A supervisor reaches only the checkpoints of their own areas; a checkpoint, round or visit
/// outside the caller's scope is "not found".
enum PatrolAccess {
    /// A checkpoint by id or by its printed code, when the caller may patrol it.
    static func checkpoint(_ raw: String, _ req: Request, _ permission: Permission = .patrol) async throws -> Checkpoint {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        let found: Checkpoint?
        if let id = UUID(uuidString: raw) { found = try await req.store.patrols.checkpoint(id) } else { found = try await req.store.patrols.checkpoint(code: raw) }
        guard let c = found, policy.canSee(community: c.communityID, area: c.areaID) else { throw DomainError.notFound(Noun.checkpoint) }
        return c
    }

    /// A round the caller may see.
    static func round(_ raw: String, _ req: Request) async throws -> PatrolRound {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.patrol)
        guard let id = UUID(uuidString: raw), let r = try await req.store.patrols.round(id),
              policy.canSee(community: r.communityID, area: r.areaID) else { throw DomainError.notFound(Noun.patrolRound) }
        return r
    }

    /// A visit the caller may see (its photos are evidence on it).
    static func visit(_ raw: String, _ req: Request) async throws -> CheckpointVisit {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.patrol)
        guard let id = UUID(uuidString: raw), let v = try await req.store.patrols.visit(id),
              policy.canSee(community: v.communityID, area: v.areaID) else { throw DomainError.notFound(Noun.subject) }
        return v
    }

    /// Starts (or rejoins today's) round of an area the caller patrols.
    static func startRound(community raw: String, area areaRaw: String, scope scopeRaw: String, _ req: Request) async throws -> PatrolRound {
        let (community, areas) = try Scoped.community(raw, .patrol, req)
        let area = try Parse.uuid(areaRaw, field: "areaId")
        if let areas, !areas.contains(area) { throw DomainError.notFound(Noun.area) }
        guard let scope = RoundScope(rawValue: scopeRaw) else {
            throw DomainError.invalid(field: "scope", Message(zh: "巡查范围只能是 重点部位 或 全面", en: "A round's scope is key_spots or full"))
        }
        return try await req.store.patrols.startRound(community: community, area: area, scope: scope, by: req.actor)
    }

    /// Records one checkpoint done: the answers, a note, photos; failed items become orders.
    static func record(_ checkpointRaw: String, visitID: UUID, roundID: UUID?, results: [ItemResult], note: String,
                       photos: [EvidenceStore.Upload], _ req: Request) async throws -> PatrolStore.Recorded {
        let checkpoint = try await checkpoint(checkpointRaw, req)
        if let roundID { _ = try await round(roundID.uuidString, req) }
        return try await req.store.patrols.record(.init(visitID: visitID, roundID: roundID, results: results, note: note, photos: photos),
                                                  at: checkpoint, by: req.actor)
    }

    /// The checkpoints of a community the caller may see (an area supervisor: their areas).
    static func checkpoints(community raw: String, _ req: Request) async throws -> (UUID, [Checkpoint]) {
        let (community, areas) = try Scoped.community(raw, .patrol, req)
        return (community, try await req.store.patrols.checkpoints(community: community, areas: areas))
    }

    /// Adds a checkpoint to an area (the CS manager, FLD-3).
    static func addCheckpoint(community raw: String, _ draft: PatrolStore.CheckpointDraft, _ req: Request) async throws -> Checkpoint {
        let (community, _) = try Scoped.community(raw, .managePatrols, req, wholeCommunity: true)
        return try await req.store.patrols.addCheckpoint(draft, community: community, by: req.actor)
    }
}
