import Foundation
import PropDeskCore
import Vapor

/// The community an administration page is about: the caller needs one of the permissions and
/// the whole community (not some areas of it), else 403 / 404 as everywhere (SEC-2).
enum AdminScope {
    static func community(_ req: Request, anyOf permissions: [Permission]) async throws -> (Community, AccessPolicy) {
        let (_, policy) = try req.requireStaff()
        guard permissions.contains(where: policy.has) else { throw DomainError.forbidden }
        guard let id = req.parameters.get("cid").flatMap(UUID.init(uuidString:)), policy.reach(id) == .whole,
              let c = try await req.store.registry.community(id) else { throw DomainError.notFound(Noun.community) }
        return (c, policy)
    }
}
