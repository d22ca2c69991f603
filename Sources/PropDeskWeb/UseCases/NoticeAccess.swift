import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may do what on the notice board (CR-1), the one path the pages and the API share:
/// readers see the community's notices (an area supervisor only the community-wide ones and
/// those reaching their areas); publishing and withdrawing need `publishNotices` over the whole
/// community; the board's work (put up, taken down) needs `keepNoticeBoard`. A notice the caller
/// cannot reach is "not found".
enum NoticeAccess {
    /// The community and, for an area-limited caller, the areas they see.
    static func community(_ raw: String, _ permission: Permission, _ req: Request) throws -> (UUID, [UUID]?) {
        let (id, areas) = try Scoped.community(raw, permission, req)
        return (id, areas.map { Array($0) })
    }

    /// A notice of the community `raw` (when given) the caller may see with `permission`.
    static func notice(_ raw: String, community: String? = nil, _ permission: Permission, _ req: Request) async throws -> Notice {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let n = try await req.store.notices.notice(id) else { throw DomainError.notFound(Noun.notice) }
        if let community, UUID(uuidString: community) != n.communityID { throw DomainError.notFound(Noun.notice) }
        switch policy.reach(n.communityID) {
        case .none: throw DomainError.notFound(Noun.notice)
        case .whole: return n
        case .areas(let areas):
            let reach = try await req.store.notices.reach(n.id)
            guard reach.isEmpty || reach.contains(where: areas.contains) else { throw DomainError.notFound(Noun.notice) }
            return n
        }
    }

    /// Publishes for a caller who may publish in the whole community.
    static func publish(_ draft: NoticeDraft, _ req: Request) async throws -> Notice {
        _ = try Scoped.community(draft.communityID.uuidString, .publishNotices, req, wholeCommunity: true)
        return try await req.store.notices.publish(draft, by: req.actor)
    }

    /// An incident as a notice in one step (CR-1, INT-16): the incident's buildings, its script.
    static func fromIncident(_ raw: String, formID: UUID?, _ req: Request) async throws -> Notice {
        let i = try await Scoped.incident(raw, .publishNotices, req)
        return try await publish(NoticeDraft.from(i, at: req.application.propdesk.now(), formID: formID), req)
    }

    static func withdraw(_ raw: String, community: String? = nil, reason: String, _ req: Request) async throws -> Notice {
        let n = try await notice(raw, community: community, .publishNotices, req)
        _ = try Scoped.community(n.communityID.uuidString, .publishNotices, req, wholeCommunity: true)
        return try await req.store.notices.withdraw(n.id, reason: reason, by: req.actor)
    }

    /// The board's work (S2 3.1.6): "put up" or "taken down".
    static func board(_ raw: String, community: String? = nil, postedNotTakenDown posted: Bool, _ req: Request) async throws -> Notice {
        let n = try await notice(raw, community: community, .keepNoticeBoard, req)
        return posted ? try await req.store.notices.markPosted(n.id, by: req.actor) : try await req.store.notices.markTakenDown(n.id, by: req.actor)
    }

    /// The portal's notices for a resident: their buildings' first, then the community's.
    static func portal(_ req: Request) async throws -> (Community?, [Notice]) {
        let p = try req.requirePrincipal()
        guard p.role == .resident else { throw DomainError.forbidden }
        let (community, _) = try await ConsoleScope.current(req)
        guard let c = community else { return (nil, []) }
        var buildings: [UUID] = []
        for id in p.unitIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            if let d = try await req.store.registry.unit(id), d.unit.communityID == c.id { buildings.append(d.unit.buildingID) }
        }
        return (c, try await req.store.notices.current(community: c.id, buildings: buildings, at: req.application.propdesk.now()))
    }
}
