import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Patrols (FLD-3, FLD-8): checkpoints and their checklists, rounds, visits saved one checkpoint
/// at a time, failed items that become work orders, and coverage. The caller has decided that
/// the actor may see and act in the checkpoint's community and area.
public struct PatrolStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    let outbox: Bool
    var sql: any SQLDatabase { db as! any SQLDatabase }

    // MARK: Checkpoints

    /// A checkpoint as the CS manager writes it.
    public struct CheckpointDraft: Sendable {
        public var areaID: UUID
        public var buildingID: UUID?
        public var name: String
        public var location: String
        public var keySpot: Bool
        public var items: [ChecklistItem]

        public init(areaID: UUID, buildingID: UUID?, name: String, location: String, keySpot: Bool, items: [ChecklistItem]) {
            self.areaID = areaID
            self.buildingID = buildingID
            self.name = name
            self.location = location
            self.keySpot = keySpot
            self.items = items
        }
    }

    func checked(_ d: CheckpointDraft, community: UUID) async throws -> CheckpointDraft {
        var d = d
        d.name = try Validate.name(d.name, field: "name", max: 40)
        d.location = try Validate.text(d.location, field: "location", max: 200, required: true)
        guard let area = try await AreaModel.find(d.areaID, on: db), area.communityID == community else { throw DomainError.notFound(Noun.area) }
        if let b = d.buildingID {
            guard let building = try await BuildingModel.find(b, on: db), building.communityID == community else { throw DomainError.notFound(Noun.building) }
        }
        guard !d.items.isEmpty, d.items.count <= 30 else {
            throw DomainError.invalid(field: "checklist", Message(zh: "检查清单应有 1 至 30 项", en: "A checklist has 1 to 30 items"))
        }
        d.items = try d.items.enumerated().map { i, item in
            ChecklistItem(id: String(i + 1), category: item.category, text: try Validate.text(item.text, field: "checklist", max: 80, required: true))
        }
        return d
    }

    public func addCheckpoint(_ draft: CheckpointDraft, community: UUID, by actor: Actor) async throws -> Checkpoint {
        let d = try await checked(draft, community: community)
        let at = now()
        for attempt in 1...5 {
            // A code is unique within its community by the key, and across the installation by this
            // look (a printed code is scanned without its community; RUN-5 keeps keys per community).
            let code = Checkpoint.newCode()
            guard try await CheckpointModel.query(on: db).filter(\.$code == code).count() == 0 else { continue }
            let c = Checkpoint(communityID: community, areaID: d.areaID, buildingID: d.buildingID, code: code, name: d.name,
                               location: d.location, keySpot: d.keySpot, items: d.items, createdAt: at)
            do {
                try await db.writeTransaction { tx in
                    try await CheckpointModel(c).create(on: tx)
                    try await AuditLog(db: tx).record(actor, .create, entity: "patrol_checkpoint", id: c.id, community: community, after: c.auditView, at: at)
                }
                return c
            } catch where (error as? any DatabaseError)?.isConstraintFailure == true && attempt < 5 {
                continue  // the random code was taken: draw another
            }
        }
        throw DomainError(.internalError, code: "checkpoint_code", Message(zh: "检查点编号生成失败,请重试", en: "No free checkpoint code; please retry"))
    }

    /// Changes a checkpoint's place, name, key-spot flag or checklist. Its code (on printed
    /// labels) stays; past visits keep the answers they gave.
    public func changeCheckpoint(_ id: UUID, _ draft: CheckpointDraft, by actor: Actor) async throws -> Checkpoint {
        guard let before = try await checkpoint(id) else { throw DomainError.notFound(Noun.checkpoint) }
        let d = try await checked(draft, community: before.communityID)
        var after = before
        after.areaID = d.areaID
        after.buildingID = d.buildingID
        after.name = d.name
        after.location = d.location
        after.keySpot = d.keySpot
        after.items = d.items
        let at = now()
        let changed = after
        try await db.writeTransaction { tx in
            try await CheckpointModel.query(on: tx).filter(\.$id == id)
                .set(\.$areaID, to: changed.areaID).set(\.$buildingID, to: changed.buildingID).set(\.$name, to: changed.name)
                .set(\.$location, to: changed.location).set(\.$keySpot, to: changed.keySpot).set(\.$items, to: AuditEntry.snapshot(changed.items)).update()
            try await AuditLog(db: tx).record(actor, .update, entity: "patrol_checkpoint", id: id, community: before.communityID,
                                              before: before.auditView, after: changed.auditView, at: at)
        }
        return after
    }

    /// Takes a checkpoint off the route from now on; its history stays.
    public func retireCheckpoint(_ id: UUID, by actor: Actor) async throws -> Checkpoint {
        guard var c = try await checkpoint(id) else { throw DomainError.notFound(Noun.checkpoint) }
        guard c.retiredAt == nil else { return c }
        let at = now()
        let before = c
        c.retiredAt = at
        let retired = c
        try await db.writeTransaction { tx in
            try await CheckpointModel.query(on: tx).filter(\.$id == id).set(\.$retiredAt, to: at).update()
            try await AuditLog(db: tx).record(actor, .update, entity: "patrol_checkpoint", id: id, community: retired.communityID,
                                              before: before.auditView, after: retired.auditView, at: at)
        }
        return retired
    }

    public func checkpoint(_ id: UUID) async throws -> Checkpoint? { try await CheckpointModel.find(id, on: db)?.domain }

    public func checkpoint(code raw: String) async throws -> Checkpoint? {
        guard let code = Checkpoint.normalizedCode(raw) else { return nil }
        return try await CheckpointModel.query(on: db).filter(\.$code == code).first()?.domain
    }

    /// A community's checkpoints (of some areas), on the route now unless `retired` too, by
    /// area, key spots first, then name.
    public func checkpoints(community: UUID, areas: Set<UUID>? = nil, retired: Bool = false) async throws -> [Checkpoint] {
        let q = CheckpointModel.query(on: db).filter(\.$communityID == community)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        if !retired { q.filter(\.$retiredAt == nil) }
        return try await q.all().map(\.domain).sorted { ($0.areaID.uuidString, $0.keySpot ? 0 : 1, $0.name) < ($1.areaID.uuidString, $1.keySpot ? 0 : 1, $1.name) }
    }

    // MARK: Rounds

    public func round(_ id: UUID) async throws -> PatrolRound? { try await PatrolRoundModel.find(id, on: db)?.domain }

    /// Starts a round of an area, or hands back the caller's round of that area and scope that
    /// is still open today (a second tap, a reloaded page).
    public func startRound(community: UUID, area: UUID, scope: RoundScope, by actor: Actor) async throws -> PatrolRound {
        guard let a = try await AreaModel.find(area, on: db), a.communityID == community else { throw DomainError.notFound(Noun.area) }
        let at = now()
        let today = try await day(of: at, community: community)
        let now = self.now
        let outbox = self.outbox
        return try await db.writeTransaction { tx in
            try await PatrolStore(db: tx, now: now, outbox: outbox).openRound(community: community, area: area, scope: scope, since: today.start, by: actor, at: at)
        }
    }

    func openRound(community: UUID, area: UUID, scope: RoundScope?, since: Date, by actor: Actor, at: Date) async throws -> PatrolRound {
        let q = PatrolRoundModel.query(on: db).filter(\.$areaID == area).filter(\.$patrollerID == actor.userID)
            .filter(\.$finishedAt == nil).filter(\.$startedAt >= since).sort(\.$startedAt, .descending)
        if let scope { q.filter(\.$scope == scope.rawValue) }
        if let open = try await q.first() { return open.domain }
        let r = PatrolRound(communityID: community, areaID: area, scope: scope ?? .full, patrollerID: actor.userID, patrollerName: actor.name, startedAt: at)
        try await PatrolRoundModel(r).create(on: db)
        try await TimelineStore(db: db).append([TimelineEntry(subjectKind: .patrolRound, subjectID: r.id, communityID: community, seq: 0, kind: "started",
                                                              actorID: actor.userID, actorName: actor.name, at: at, note: nil,
                                                              data: ["scope": r.scope.rawValue, "area": area.uuidString])], newSubjects: true)
        return r
    }

    /// Ends a round; only its patroller ends it, once.
    public func finishRound(_ id: UUID, by actor: Actor) async throws -> PatrolRound {
        guard var r = try await round(id) else { throw DomainError.notFound(Noun.patrolRound) }
        guard r.patrollerID == actor.userID else { throw DomainError.forbidden }
        guard r.finishedAt == nil else { return r }
        let at = now()
        r.finishedAt = at
        let done = r
        try await db.writeTransaction { tx in
            _ = try await tx.lockRows("patrol_rounds", community: done.communityID, ids: [id], skipLocked: false)
            try await PatrolRoundModel.query(on: tx).filter(\.$id == id).filter(\.$finishedAt == nil).set(\.$finishedAt, to: at).update()
            let visits = try await PatrolVisitModel.query(on: tx).filter(\.$roundID == id).count()
            try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .patrolRound, subjectID: id, communityID: done.communityID, seq: 0,
                                                                  kind: "finished", actorID: actor.userID, actorName: actor.name, at: at, note: nil,
                                                                  data: ["visits": String(visits)])])
        }
        return done
    }

    /// The caller's rounds still open today.
    public func openRounds(of userID: UUID, community: UUID) async throws -> [PatrolRound] {
        let today = try await day(of: now(), community: community)
        return try await PatrolRoundModel.query(on: db).filter(\.$patrollerID == userID).filter(\.$communityID == community)
            .filter(\.$finishedAt == nil).filter(\.$startedAt >= today.start).sort(\.$startedAt).all().map(\.domain)
    }

    // MARK: Visits (FLD-3) and findings (FLD-8)

    /// One checkpoint done: the answers, a note, photos. `visitID` comes from the form (made
    /// when the page was drawn), so a resubmitted form — a double tap, a retry after the
    /// connection dropped — finds the visit it already saved and creates nothing new.
    public struct VisitInput: Sendable {
        public var visitID: UUID
        public var roundID: UUID?
        public var results: [ItemResult]
        public var note: String
        public var photos: [EvidenceStore.Upload]

        public init(visitID: UUID, roundID: UUID?, results: [ItemResult], note: String, photos: [EvidenceStore.Upload]) {
            self.visitID = visitID
            self.roundID = roundID
            self.results = results
            self.note = note
            self.photos = photos
        }
    }

    public struct Recorded: Sendable {
        public let visit: CheckpointVisit
        /// false: this visit was saved before and is handed back unchanged.
        public let created: Bool
    }

    public func record(_ input: VisitInput, at checkpoint: Checkpoint, by actor: Actor) async throws -> Recorded {
        guard checkpoint.retiredAt == nil else {
            throw DomainError.conflict(code: "checkpoint_retired", Message(zh: "此检查点已停用", en: "This checkpoint is no longer on the route"))
        }
        let results = try CheckpointVisit.checkResults(input.results, against: checkpoint)
        let note = try Validate.text(input.note, field: "note", max: 1000, required: false)
        // A form sent again (a retry) names a visit that exists; a fresh one is looked for by a
        // plain read of its id, not a whole model.
        if try await visitExists(input.visitID, community: checkpoint.communityID), let first = try await visit(input.visitID) { return try Self.replay(first, checkpoint) }
        let at = now()
        let today = try await day(of: at, community: checkpoint.communityID)
        let (now, outbox) = (self.now, self.outbox)
        do {
            return try await db.writeTransaction { tx in
                try await PatrolStore(db: tx, now: now, outbox: outbox).insertVisit(input, results: results, note: note, at: checkpoint, since: today.start,
                                                                                  by: actor, time: at)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same form raced itself on another connection: hand back what the first saved.
            if let first = try await visit(input.visitID) { return try Self.replay(first, checkpoint) }
            throw error
        }
    }

    static func replay(_ first: CheckpointVisit, _ checkpoint: Checkpoint) throws -> Recorded {
        guard first.checkpointID == checkpoint.id else {
            throw DomainError.conflict(code: "visit_id_reused", Message(zh: "此表单编号已用于另一个检查点", en: "This form's id was already used for another checkpoint"))
        }
        return Recorded(visit: first, created: false)
    }

    private func insertVisit(_ input: VisitInput, results: [ItemResult], note: String, at checkpoint: Checkpoint, since: Date, by actor: Actor,
                             time at: Date) async throws -> Recorded {
        var round: PatrolRound
        if let rid = input.roundID {
            guard let r = try await self.round(rid), r.communityID == checkpoint.communityID else { throw DomainError.notFound(Noun.patrolRound) }
            guard r.patrollerID == actor.userID else { throw DomainError.forbidden }
            round = r
            if r.finishedAt != nil || r.areaID != checkpoint.areaID || r.startedAt < since {
                // A finished or old round, or another area's: the visit goes on today's open round here.
                round = try await openRound(community: checkpoint.communityID, area: checkpoint.areaID, scope: nil, since: since, by: actor, at: at)
            }
        } else {
            round = try await openRound(community: checkpoint.communityID, area: checkpoint.areaID, scope: nil, since: since, by: actor, at: at)
        }
        _ = try await db.lockRows("patrol_rounds", community: round.communityID, ids: [round.id], skipLocked: false)
        if let doneID = try await sql.select().column("id").from(PatrolVisitModel.schema).where("round_id", .equal, round.id)
            .where("checkpoint_id", .equal, checkpoint.id).where("community_id", .equal, checkpoint.communityID).first()?.decode(column: "id", as: UUID.self), let done = try await visit(doneID) {
            // Done on this round already (from another tab): the first answers stand.
            return Recorded(visit: done, created: false)
        }
        var visit = CheckpointVisit(id: input.visitID, roundID: round.id, checkpointID: checkpoint.id, communityID: checkpoint.communityID,
                                    areaID: checkpoint.areaID, at: at, byID: actor.userID, byName: actor.name, results: results, note: note)
        try await PatrolVisitModel(visit).create(on: db)
        let subject = SubjectRef(kind: .patrolVisit, id: visit.id, communityID: checkpoint.communityID, areaID: checkpoint.areaID,
                                 label: "\(checkpoint.code) · \(checkpoint.name)")
        _ = try await EvidenceStore(db: db, now: now).attach(input.photos, to: subject, by: actor, at: at, limit: Evidence.maxPerSubject)
        let orders = WorkOrderStore(db: db, now: now, outbox: outbox)
        // The contract is read only when an item failed: most visits find nothing.
        if !visit.failed.isEmpty {
            let classifier = try await orders.contract(community: checkpoint.communityID).classifier
            for failed in visit.failed {
                guard let item = checkpoint.items.first(where: { $0.id == failed.itemID }) else { continue }
                let draft = Self.orderDraft(for: item, failed, at: checkpoint, classifier: classifier, by: actor)
                let order = try await orders.createInside(draft, photos: input.photos, by: actor, at: at)
                let f = PatrolFinding(visitID: visit.id, checkpointID: checkpoint.id, itemID: item.id, orderID: order.id, orderNumber: order.number,
                                      priority: order.priority)
                try await PatrolFindingModel(f, communityID: checkpoint.communityID).create(on: db)
                visit.findings.append(f)
            }
        }
        // The day's work log opens with the first thing the supervisor does (FLD-6).
        try await WorkLogStore(db: db, now: now).openIfSupervisor(actor, community: checkpoint.communityID, at: at)
        try await TimelineStore(db: db).append([TimelineEntry(
            subjectKind: .patrolRound, subjectID: round.id, communityID: checkpoint.communityID, seq: 0, kind: "visited", actorID: actor.userID,
            actorName: actor.name, at: at, note: note.isEmpty ? nil : note,
            data: ["visit": visit.id.uuidString, "checkpoint": checkpoint.code, "name": checkpoint.name, "failed": String(visit.failed.count),
                   "orders": visit.findings.map(\.orderNumber).joined(separator: " ")])])
        return Recorded(visit: visit, created: true)
    }

    /// The work order a failed item becomes (FLD-3): a repair of the item's kind, from the
    /// patrol channel, at the checkpoint. What the supervisor wrote decides the priority by the
    /// INT-4 dictionary, so "水管爆裂" is an emergency with its 15-minute clock at once (FLD-8).
    static func orderDraft(for item: ChecklistItem, _ result: ItemResult, at checkpoint: Checkpoint, classifier: Classifier, by actor: Actor) -> OrderDraft {
        let verdict = classifier.classify(result.note)
        return OrderDraft(communityID: checkpoint.communityID, kind: .repair, channel: .patrol, category: item.category.orderCategory,
                          priority: verdict.priority, unitID: nil, buildingID: checkpoint.buildingID, areaID: checkpoint.areaID,
                          location: "\(checkpoint.name) · \(checkpoint.location)", contactName: actor.name,
                          description: "\(result.note)(巡查发现 \(checkpoint.code) · \(item.category.title.zhHans):\(item.text))")
    }

    /// Whether visit `id` was saved (in `community`, RUN-5).
    func visitExists(_ id: UUID, community: UUID) async throws -> Bool {
        try await sql.select().column("id").from(PatrolVisitModel.schema).where("community_id", .equal, community).where("id", .equal, id).first() != nil
    }

    public func visit(_ id: UUID) async throws -> CheckpointVisit? {
        guard let m = try await PatrolVisitModel.find(id, on: db) else { return nil }
        return m.domain(findings: try await findings(visit: id))
    }

    func findings(visit: UUID) async throws -> [PatrolFinding] {
        try await PatrolFindingModel.query(on: db).filter(\.$visitID == visit).all().map(\.domain).sorted { $0.itemID < $1.itemID }
    }

    /// A round's visits, in the order they were made.
    public func visits(round: UUID) async throws -> [CheckpointVisit] {
        let models = try await PatrolVisitModel.query(on: db).filter(\.$roundID == round).sort(\.$at).all()
        let found = try await PatrolFindingModel.query(on: db).filter(\.$visitID ~~ models.compactMap(\.id)).all().map(\.domain)
        return models.map { m in m.domain(findings: found.filter { $0.visitID == m.id }) }
    }

    /// The last visits of a checkpoint, newest first.
    public func visits(checkpoint: UUID, limit: Int = 10) async throws -> [CheckpointVisit] {
        let models = try await PatrolVisitModel.query(on: db).filter(\.$checkpointID == checkpoint).sort(\.$at, .descending).limit(limit).all()
        let found = try await PatrolFindingModel.query(on: db).filter(\.$visitID ~~ models.compactMap(\.id)).all().map(\.domain)
        return models.map { m in m.domain(findings: found.filter { $0.visitID == m.id }) }
    }

    /// Findings whose orders are not finished yet, of these checkpoints: what the next round
    /// looks at again.
    public func openFindings(checkpoints ids: [UUID]) async throws -> [OpenFinding] {
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT f.checkpoint_id AS checkpoint_id, f.item_id AS item_id, f.order_id AS order_id, f.order_number AS order_number,
                   f.priority AS priority, o.status AS status, o.description AS description, o.created_at AS created_at
            FROM patrol_findings f JOIN work_orders o ON o.id = f.order_id
            WHERE f.checkpoint_id IN (\(binds: ids.map { $0 as any Encodable & Sendable })) AND o.status NOT IN ('closed', 'cancelled')
            ORDER BY o.created_at
            """).all()
        return try rows.map { r in
            OpenFinding(checkpointID: try r.decode(column: "checkpoint_id", as: UUID.self), itemID: try r.decode(column: "item_id", as: String.self),
                        orderID: try r.decode(column: "order_id", as: UUID.self), orderNumber: try r.decode(column: "order_number", as: String.self),
                        priority: Priority(rawValue: try r.decode(column: "priority", as: String.self)) ?? .normal,
                        status: OrderStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .received,
                        description: try r.decode(column: "description", as: String.self), createdAt: try r.decode(column: "created_at", as: Date.self))
        }
    }

    public struct OpenFinding: Sendable {
        public let checkpointID: UUID
        public let itemID: String
        public let orderID: UUID
        public let orderNumber: String
        public let priority: Priority
        public let status: OrderStatus
        public let description: String
        public let createdAt: Date
    }

    /// The patrol finding an order came from, for the link back from the order.
    public func finding(order: UUID) async throws -> (PatrolFinding, Checkpoint)? {
        guard let f = try await PatrolFindingModel.query(on: db).filter(\.$orderID == order).first()?.domain,
              let c = try await checkpoint(f.checkpointID) else { return nil }
        return (f, c)
    }

    // MARK: Coverage (FLD-3, S2 4.2.1)

    /// When each checkpoint was visited in [from, until).
    public func visitTimes(community: UUID, area: UUID?, from: Date, until: Date) async throws -> [UUID: [Date]] {
        var scope: SQLQueryString = "community_id = \(bind: community) AND at >= \(bind: from) AND at < \(bind: until)"
        if let area { scope += " AND area_id = \(bind: area)" }
        var out: [UUID: [Date]] = [:]
        for r in try await sql.raw("SELECT checkpoint_id, at FROM patrol_visits WHERE \(scope)").all() {
            out[try r.decode(column: "checkpoint_id", as: UUID.self), default: []].append(try r.decode(column: "at", as: Date.self))
        }
        return out
    }

    /// Who answers for an area's patrols (S2 3.1): its active area supervisors, by name.
    public func responsible(areas: [UUID]) async throws -> [UUID: [String]] {
        guard !areas.isEmpty else { return [:] }
        let scopes = try await UserScopeModel.query(on: db).filter(\.$areaID ~~ areas).all()
        let users = try await UserModel.query(on: db).filter(\.$id ~~ scopes.map(\.userID)).filter(\.$role == Role.areaSupervisor.rawValue)
            .filter(\.$active == true).all()
        var out: [UUID: [String]] = [:]
        for s in scopes { if let area = s.areaID, let u = users.first(where: { $0.id == s.userID }) { out[area, default: []].append(u.displayName) } }
        return out
    }

    func day(of date: Date, community: UUID) async throws -> PatrolCoverage.Span {
        guard let timeZone = try await db.timeZone(ofCommunity: community) else { throw DomainError.notFound(Noun.community) }
        return PatrolCoverage.day(of: date, timeZone: timeZone)
    }
}

extension Checkpoint {
    /// What the audit trail keeps of a checkpoint.
    var auditView: [String: String] {
        ["code": code, "name": name, "location": location, "area": areaID.uuidString, "building": buildingID?.uuidString ?? "",
         "keySpot": keySpot ? "yes" : "no", "checklist": checklistText, "retiredAt": retiredAt.map { "\($0)" } ?? ""]
    }
}
