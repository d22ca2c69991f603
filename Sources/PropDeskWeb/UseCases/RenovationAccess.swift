import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and act on renovation files (SEC-2, FLD-4): the front desk registers and
/// collects documents, the CS manager approves, the area supervisor inspects and handles
/// violations — each only in their community and, for a supervisor, their areas. A file outside
/// the caller's scope is "not found". The one path for the API and the pages.
enum RenovationAccess {
    /// Whoever may take part in renovation files at all.
    static let readers: [Permission] = [.registerRenovations, .approveRenovations, .inspectRenovations]

    static func requireAny(_ policy: AccessPolicy) throws {
        guard readers.contains(where: policy.has) else { throw DomainError.forbidden }
    }

    /// A file the caller may see, and with `permission` act on.
    static func renovation(_ raw: String, _ req: Request, _ permission: Permission? = nil) async throws -> Renovation {
        let (_, policy) = try req.requireStaff()
        if let permission { try policy.requireRole(permission) } else { try requireAny(policy) }
        guard let id = UUID(uuidString: raw), let r = try await req.store.renovations.renovation(id),
              policy.canSee(community: r.communityID, area: r.areaID) else { throw DomainError.notFound(Noun.renovation) }
        return r
    }

    /// A violation (and its file) the caller may see, and with `permission` act on.
    static func violation(_ raw: String, _ req: Request, _ permission: Permission? = nil) async throws -> (RenovationViolation, Renovation) {
        let (_, policy) = try req.requireStaff()
        if let permission { try policy.requireRole(permission) } else { try requireAny(policy) }
        guard let id = UUID(uuidString: raw), let v = try await req.store.renovations.violation(id),
              policy.canSee(community: v.communityID, area: v.areaID),
              let r = try await req.store.renovations.renovation(v.renovationID) else { throw DomainError.notFound(Noun.violation) }
        return (v, r)
    }

    /// A community's files the caller may see.
    static func list(community raw: String, _ req: Request) async throws -> (UUID, [Renovation]) {
        let (_, policy) = try req.requireStaff()
        try requireAny(policy)
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(Noun.community) }
        let areas: Set<UUID>?
        switch policy.reach(id) {
        case .none: throw DomainError.notFound(Noun.community)
        case .whole: areas = nil
        case .areas(let a): areas = a
        }
        return (id, try await req.store.renovations.renovations(community: id, areas: areas))
    }

    /// Registers a file for a unit the caller may reach.
    static func register(community raw: String, _ a: RenovationStore.Application, _ req: Request) async throws -> Renovation {
        let (community, areas) = try Scoped.community(raw, .registerRenovations, req)
        if let areas {
            guard let unit = try await req.store.registry.unit(a.unitID), unit.unit.areaID.map(areas.contains) ?? false else { throw DomainError.notFound(Noun.unit) }
        }
        return try await req.store.renovations.register(a, community: community, by: req.actor)
    }

    /// A scanned document for one item of the checklist, as evidence on the file.
    static func addDocument(_ r: Renovation, document: RenovationDocument, bytes: [UInt8], fileName: String, _ req: Request) async throws -> Evidence? {
        guard r.status != .closed else { throw DomainError.conflict(code: "renovation_closed", Message(zh: "装修档案已结案", en: "The renovation file is closed")) }
        let caption = "\(document.rawValue) · \(document.title.zhHans)" + (fileName.isEmpty ? "" : " · \(fileName.prefix(80))")
        let upload = try EvidenceStore.check(bytes, kind: .document, caption: caption, signedBy: nil, field: "file")
        let subject = SubjectRef(kind: .renovation, id: r.id, communityID: r.communityID, areaID: r.areaID, label: r.number)
        return try await req.store.evidence.attach([upload], to: subject, by: req.actor).first
    }
}
