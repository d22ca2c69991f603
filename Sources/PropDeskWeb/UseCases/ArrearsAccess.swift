import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and chase arrears (FEE-3, FEE-4, SEC-2), the one path for the API and the pages:
/// - reading arrears, lists, reminders and the rate needs readFees; an area supervisor sees only
///   their areas; engineers have no readFees and see no money at all;
/// - the month's list (S2 4.5.1) is prepared by finance (manageFees over the whole community) and
///   received by the area's supervisor (chaseArrears reaching the area);
/// - the long-term report (S2 4.5.3) is prepared by the area's supervisor after checking with
///   finance (chaseArrears reaching the area; finance may prepare it too) and received by the CS
///   manager or the center head (chaseArrears over the whole community) — never by the
///   supervisor who submits it;
/// - reminders are logged with chaseArrears for a unit within reach.
enum ArrearsAccess {
    /// The community, and the areas an area-limited caller may read; a chosen area must be one of them.
    static func community(_ raw: String, area rawArea: String?, _ req: Request) async throws -> (community: UUID, areas: Set<UUID>?, area: UUID?) {
        let (community, areas) = try Scoped.community(raw, .readFees, req)
        guard let rawArea, !rawArea.isEmpty else { return (community, areas, nil) }
        let area = try Parse.uuid(rawArea, field: "areaId")
        guard areas.map({ $0.contains(area) }) ?? true, try await req.store.registry.areas(community: community).contains(where: { $0.id == area }) else {
            throw DomainError.notFound(Noun.area)
        }
        return (community, areas, area)
    }

    /// The arrears the caller may see: of one area, or of every area they reach.
    static func arrears(community raw: String, area rawArea: String?, _ req: Request) async throws -> (community: UUID, rows: [UnitArrears]) {
        let (community, areas, area) = try await community(raw, area: rawArea, req)
        if let area { return (community, try await req.store.fees.arrears(community: community, area: area)) }
        guard let areas else { return (community, try await req.store.fees.arrears(community: community, area: nil)) }
        var rows: [UnitArrears] = []
        for a in areas.sorted(by: { $0.uuidString < $1.uuidString }) { rows += try await req.store.fees.arrears(community: community, area: a) }
        return (community, rows.sorted { $0.outstandingFen > $1.outstandingFen })
    }

    /// A list the caller may read.
    static func list(_ raw: String, _ req: Request) async throws -> ArrearsList {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.readFees)
        guard let id = UUID(uuidString: raw), let l = try await req.store.fees.list(id),
              policy.canSee(community: l.communityID, area: l.areaID) else { throw DomainError.notFound(Noun.arrearsList) }
        return l
    }

    /// Whether the caller may prepare a list of this kind for an area (see the type's comment).
    static func mayPrepare(_ kind: ArrearsListKind, community: UUID, area: UUID, _ policy: AccessPolicy) -> Bool {
        switch kind {
        case .list: policy.has(.manageFees) && policy.reach(community) == .whole
        case .longTerm: (policy.has(.manageFees) && policy.reach(community) == .whole)
            || (policy.has(.chaseArrears) && policy.canSee(community: community, area: area))
        }
    }

    static func mayReceive(_ l: ArrearsList, _ policy: AccessPolicy) -> Bool {
        guard policy.has(.chaseArrears), !l.received else { return false }
        switch l.kind {
        case .list: return policy.canSee(community: l.communityID, area: l.areaID)
        case .longTerm: return policy.reach(l.communityID) == .whole
        }
    }

    static func prepare(community raw: String, area rawArea: String, month: String, kind: ArrearsListKind, _ req: Request) async throws -> ArrearsList {
        let (_, policy) = try req.requireStaff()
        guard policy.has(.manageFees) || policy.has(.chaseArrears) else { throw DomainError.forbidden }
        let (community, _, area) = try await community(raw, area: rawArea, req)
        guard let area else { throw DomainError.invalid(field: "areaId", Message(zh: "请选择区域", en: "Choose an area")) }
        guard mayPrepare(kind, community: community, area: area, policy) else { throw DomainError.forbidden }
        return try await req.store.fees.prepareList(community: community, area: area, month: month, kind: kind, by: req.actor)
    }

    static func receive(_ raw: String, _ req: Request) async throws -> ArrearsList {
        let l = try await list(raw, req)
        let (_, policy) = try req.requireStaff()
        // Only one who may receive it hears "received" back: a reader without chaseArrears is refused even then.
        guard policy.has(.chaseArrears) else { throw DomainError.forbidden }
        if l.received { return l }
        guard mayReceive(l, policy) else { throw DomainError.forbidden }
        return try await req.store.fees.receiveList(l.id, by: req.actor)
    }

    /// A unit the caller may read fees of.
    static func unit(_ raw: String, _ req: Request) async throws -> UnitDetail {
        try await Scoped.unit(raw, .readFees, req)
    }

    static func remind(unit raw: String, kind: ReminderKind, outcome: ReminderOutcome, note: String, formID: UUID?, _ req: Request) async throws -> ArrearsReminder {
        let detail = try await Scoped.unit(raw, .chaseArrears, req)
        return try await req.store.fees.remind(community: detail.unit.communityID, unit: detail.unit.id, kind: kind, outcome: outcome, note: note,
                                               formID: formID, by: req.actor)
    }

    /// The rate of the community (a whole-community reader) or one area.
    static func collectionRate(community raw: String, area rawArea: String?, month: String, _ req: Request) async throws -> (UUID, UUID?, CollectionRate) {
        let (community, areas, area) = try await community(raw, area: rawArea, req)
        if area == nil, areas != nil {
            throw DomainError.invalid(field: "areaId", Message(zh: "请选择您负责的区域", en: "Choose one of your areas"))
        }
        return (community, area, try await req.store.fees.collectionRate(community: community, area: area, month: month))
    }
}
