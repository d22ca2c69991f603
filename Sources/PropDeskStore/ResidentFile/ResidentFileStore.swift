import Fluent
import Foundation
import PropDeskCore

/// 住户档案 (REG-5, S4 篇3): one unit's file read together — its occupants, move-ins with their
/// documents, agreements and joint inspection, custody agreements, renovation files with their
/// documents, parking permits and access cards, the keys the center holds, its
/// requests, household visits and visitors. Confidential (SEC-3): the caller checks who may
/// open it; every view of a document in it is written to the audit trail here.
public struct ResidentFile: Sendable {
    public var unit: UnitDetail
    public var moveIns: [MoveInCase]
    /// Each move-in's scans and signatures (ID copies, contract, agreements, the inspection sign-off).
    public var moveInDocuments: [UUID: [Evidence]]
    public var custody: [CustodyAgreement]
    public var custodyDocuments: [UUID: [Evidence]]
    public var renovations: [Renovation]
    /// Each renovation's scanned documents and signatures (its photos are field evidence, not file documents).
    public var renovationDocuments: [UUID: [Evidence]]
    public var passes: [UnitPass]
    public var keys: KeyHolding
    /// Newest first.
    public var keyMovements: [KeyMovement]
    /// The most recent requests of the unit, newest first.
    public var orders: [WorkOrder]
    public var ordersTotal: Int
    public var householdVisits: [HouseholdVisit]
    /// Visitors who named this unit, newest first; ID numbers masked.
    public var visitors: [Visitor]
}

public struct ResidentFileStore: Sendable {
    let db: any Database
    let cipher: FieldCipher
    let now: @Sendable () -> Date

    /// The subjects whose documents belong to a resident file (S4 篇3: 入住验房表, 协议, 装修申请表):
    /// a view of one of their documents or signatures is audited, and the move-in's (ID copies,
    /// contracts) need `readResidentDocuments`.
    public static let documentKinds: Set<SubjectKind> = [.moveIn, .renovation, .custodyAgreement]
    public static let restrictedKinds: Set<SubjectKind> = [.moveIn]

    /// True when a view of this file must be audited: a document or signature of a resident-file subject.
    public static func isFileDocument(_ e: Evidence) -> Bool {
        documentKinds.contains(e.subjectKind) && (restrictedKinds.contains(e.subjectKind) || e.kind != .photo)
    }

    /// One unit's file. `visibleAreas` limits the requests to an area supervisor's areas.
    public func file(unit id: UUID, visibleAreas: Set<UUID>?, recentOrders: Int = 20) async throws -> ResidentFile? {
        guard let unit = try await RegistryStore(db: db, cipher: cipher, now: now).unit(id) else { return nil }
        let community = unit.unit.communityID
        let renovations = try await RenovationModel.query(on: db).filter(\.$communityID == community).filter(\.$unitID == id)
            .sort(\.$createdAt, .descending).limit(100).all().map(\.domain)
        let evidence = EvidenceStore(db: db, now: now)
        let moveIns = try await MoveInStore(db: db, now: now, outbox: false).cases(unit: id, community: community)
        var moveInDocuments: [UUID: [Evidence]] = [:]
        for c in moveIns { moveInDocuments[c.id] = try await evidence.list(.moveIn, c.id) }
        let custody = try await CustodyStore(db: db, now: now).agreements(unit: id, community: community)
        var custodyDocuments: [UUID: [Evidence]] = [:]
        for a in custody { custodyDocuments[a.id] = try await evidence.list(.custodyAgreement, a.id) }
        var documents: [UUID: [Evidence]] = [:]
        for r in renovations { documents[r.id] = try await evidence.list(.renovation, r.id).filter { $0.kind != .photo } }
        let keys = KeyStore(db: db, now: now)
        let movements = try await keys.movements(community: community, unit: id, limit: 500)
        var filter = WorkOrderStore.OrderFilter(unitID: id)
        filter.visibleAreas = visibleAreas
        let orders = try await WorkOrderStore(db: db, now: now, outbox: false).list(community: community, filter: filter,
                                                                                     page: try PageQuery(page: 1, per: max(1, min(recentOrders, PageQuery.maxPer))))
        let visits = try await HouseholdVisitModel.query(on: db).filter(\.$unitID == id).filterCommunityBesideANarrowerKey(community)
            .sort(\.$at, .descending).limit(50).all().map { $0.domain(filed: []) }
        let visitors = try await VisitorModel.query(on: db).filter(\.$communityID == community).filter(\.$unitID == id)
            .sort(\.$inAt, .descending).limit(100).all().map(\.domain)
        return ResidentFile(unit: unit, moveIns: moveIns, moveInDocuments: moveInDocuments, custody: custody, custodyDocuments: custodyDocuments, renovations: renovations, renovationDocuments: documents,
                            passes: try await PassStore(db: db, now: now).passes(community: community, unit: id),
                            keys: KeyHolding.replay(unit: id, movements), keyMovements: movements,
                            orders: orders.items.map(\.order), ordersTotal: orders.total, householdVisits: visits, visitors: visitors)
    }

    /// The unit a resident-file subject belongs to, for the audit entry of a document view.
    public func unit(of kind: SubjectKind, _ id: UUID) async throws -> UUID? {
        switch kind {
        case .renovation: return try await RenovationModel.find(id, on: db)?.unitID
        case .moveIn: return try await MoveInModel.find(id, on: db)?.unitID
        case .custodyAgreement: return try await CustodyAgreementModel.find(id, on: db)?.unitID
        default: return nil
        }
    }

    /// A document or signature of a resident file was shown to `actor` (SEC-3): who, when, which
    /// document, of which subject and unit.
    public func documentViewed(_ e: Evidence, unit: UUID?, by actor: Actor) async throws {
        var what: [String: String] = ["document": e.kind.rawValue, "subjectKind": e.subjectKind.rawValue, "subjectId": e.subjectID.uuidString]
        if !e.caption.isEmpty { what["caption"] = e.caption }
        if let unit {
            what["unitId"] = unit.uuidString
            what["unit"] = try await RegistryStore.unitLabels([unit], on: db)[unit]
        }
        try await AuditLog(db: db).record(actor, .reveal, entity: "evidence", id: e.id, community: e.communityID, after: what, at: now())
    }
}
