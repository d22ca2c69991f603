import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and act on units in custody (SEC-2, FD-2): the front desk, the CS manager and the
/// center head (`keepCustody`) for everything in their community; an area supervisor (`patrol`)
/// may open an agreement of a unit in their areas and record its exterior checks. An agreement
/// outside the caller's reach is "not found". The one path for the pages and the API.
enum CustodyAccess {
    /// An agreement the caller may see; `checking` also lets an area supervisor in (to record a check).
    static func agreement(_ raw: String, _ req: Request, checking: Bool = false) async throws -> CustodyAgreement {
        let (_, policy) = try req.requireStaff()
        guard policy.has(.keepCustody) || (checking && policy.has(.patrol)) else { throw DomainError.forbidden }
        guard let id = UUID(uuidString: raw), let a = try await req.store.custody.agreement(id),
              policy.canSee(community: a.communityID, area: a.areaID) else { throw DomainError.notFound(Noun.custodyAgreement) }
        return a
    }

    /// Signs a unit of the community into custody; the unit is named as the desk says it ("1栋-1201").
    static func open(community raw: String, roomLabel: String, _ o: CustodyStore.Opening, _ req: Request) async throws -> CustodyAgreement {
        let (cid, _) = try Scoped.community(raw, .keepCustody, req, wholeCommunity: true)
        guard let unit = try await req.store.custody.unit(community: cid, label: roomLabel) else {
            throw DomainError.invalid(field: "unit", Message(zh: "没有房号 \(roomLabel.prefix(60)),请按“楼栋-房号”填写,如 1栋-1201",
                                                             en: "No unit \(roomLabel.prefix(60)); write building-room, like 1栋-1201"))
        }
        var o = o
        o.unitID = unit
        return try await req.store.custody.open(o, community: cid, by: req.actor)
    }

    /// Signs a unit of the community into custody, the unit named by its id (the API).
    static func open(community raw: String, _ o: CustodyStore.Opening, _ req: Request) async throws -> CustodyAgreement {
        let (cid, _) = try Scoped.community(raw, .keepCustody, req, wholeCommunity: true)
        return try await req.store.custody.open(o, community: cid, by: req.actor)
    }

    /// The subject of an agreement, for evidence (the scanned 《托管协议》) and alerts.
    static func subject(_ a: CustodyAgreement, _ req: Request) async throws -> SubjectRef {
        let label = try await req.store.registry.unitLabels([a.unitID])[a.unitID] ?? ""
        return SubjectRef(kind: .custodyAgreement, id: a.id, communityID: a.communityID, areaID: a.areaID, label: "托管 \(label)")
    }
}
