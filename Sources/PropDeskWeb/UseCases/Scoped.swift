import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Scope checks shared by the handlers: resolve an id, check the permission and the community
/// or area reach, and answer 404 for what lies outside the caller's scope.
enum Scoped {
    /// Returns the community id and, for an area-limited caller, the areas they may see.
    static func community(_ raw: String, _ permission: Permission, _ req: Request, wholeCommunity: Bool = false) throws -> (UUID, Set<UUID>?) {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(Noun.community) }
        switch policy.reach(id) {
        case .none: throw DomainError.notFound(Noun.community)
        case .whole: return (id, nil)
        case .areas(let areas):
            if wholeCommunity { throw DomainError.forbidden }
            return (id, areas)
        }
    }

    /// An alert the staff caller may see (its community and area).
    static func alert(_ raw: String, _ req: Request) async throws -> Alert {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.readOrders)
        guard let id = UUID(uuidString: raw), let a = try await req.store.alerts.alert(id),
              policy.canSee(community: a.communityID, area: a.areaID) else { throw DomainError.notFound(Noun.alert) }
        return a
    }

    /// An incident of a community the caller may act on as a whole.
    static func incident(_ raw: String, _ permission: Permission, _ req: Request) async throws -> Incident {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let i = try await req.store.orders.incident(id),
              policy.canSee(community: i.communityID, area: nil) else { throw DomainError.notFound(Noun.incident) }
        return i
    }

    static func unit(_ raw: String, _ permission: Permission, _ req: Request) async throws -> UnitDetail {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let detail = try await req.store.registry.unit(id),
              policy.canSee(community: detail.unit.communityID, area: detail.unit.areaID) else { throw DomainError.notFound(Noun.unit) }
        return detail
    }

    static func person(_ raw: String, _ permission: Permission, _ req: Request) async throws -> PersonDetail {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let detail = try await req.store.registry.person(id) else { throw DomainError.notFound(Noun.person) }
        let visible: Bool
        switch policy.reach(detail.person.communityID) {
        case .none: visible = false
        case .whole: visible = true
        case .areas(let areas): visible = detail.holdings.contains { $0.areaID.map(areas.contains) ?? false }
        }
        guard visible else { throw DomainError.notFound(Noun.person) }
        return detail
    }
}
