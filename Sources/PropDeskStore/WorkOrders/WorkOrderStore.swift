import Crypto
import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Reads and writes of work orders (INT-1 … INT-19). Each write runs `OrderMachine` inside one
/// transaction that also appends the timeline, saves the clocks, raises alerts, queues webhook
/// deliveries and the live event: all of it is stored, or none of it.
public struct WorkOrderStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    /// Whether alerts are also queued for the outbound webhook.
    let outbox: Bool

    var sql: any SQLDatabase { db as! any SQLDatabase }
    var isPostgres: Bool { db.isPostgres }
    static let system = Actor(userID: nil, name: "PropDesk")

    /// Runs a write transaction, in line with the process's other writes on SQLite.
    /// With a community: lined up with that community's other intakes (PostgreSQL's group commit per community).
    func writing<T: Sendable>(community: UUID? = nil, _ body: @escaping @Sendable (WorkOrderStore) async throws -> T) async throws -> T {
        let (now, outbox) = (self.now, self.outbox)
        return try await db.writeTransaction(community: community) { tx in try await body(WorkOrderStore(db: tx, now: now, outbox: outbox)) }
    }

    // MARK: Contract (INT-6)

    /// The community's service contract, read on every call (another process may have changed
    /// it); the decoding is reused while the stored text is the same.
    public func contract(community: UUID) async throws -> ServiceContract {
        guard let row = try await sql.select().column("body").from(ServiceContractModel.schema).where("community_id", .equal, community).first()
        else { return ServiceContract() }
        return ContractCache.shared.contract(community, body: try row.decode(column: "body", as: String.self))
    }

    /// The service contracts of several communities in one read (a sweep's round spans many).
    func contracts(communities: Set<UUID>) async throws -> [UUID: ServiceContract] {
        var out: [UUID: ServiceContract] = [:]
        for chunk in Array(communities).chunked(into: 1000) {
            let rows = try await sql.select().column("community_id").column("body").from(ServiceContractModel.schema)
                .where("community_id", .in, Array(chunk)).all()
            for r in rows {
                let community = try r.decode(column: "community_id", as: UUID.self)
                out[community] = ContractCache.shared.contract(community, body: try r.decode(column: "body", as: String.self))
            }
        }
        for c in communities where out[c] == nil { out[c] = ServiceContract() }
        return out
    }

    /// The community's working days: its contract's service hours in its time zone — the day a
    /// work log or the duty log belongs to, and the working day its signature is due by.
    func workingDays(community: UUID) async throws -> WorkingDays {
        guard let timeZone = try await db.timeZone(ofCommunity: community) else { throw DomainError.notFound(Noun.community) }
        var hours = try await contract(community: community).hours
        hours.timeZone = timeZone
        return WorkingDays(hours)
    }

    public func setContract(_ contract: ServiceContract, community: UUID, by actor: Actor) async throws -> ServiceContract {
        let c = try contract.validated()
        if let liaison = c.warrantyLiaisonID { _ = try await assignee(liaison, community: community) }
        let before = try await self.contract(community: community)
        let at = now()
        try await db.writeTransaction { tx in
            let m = try await ServiceContractModel.query(on: tx).filter(\.$communityID == community).first() ?? ServiceContractModel()
            if m.id == nil { m.id = UUID(); m.communityID = community }
            m.body = AuditEntry.snapshot(c)
            m.updatedAt = at
            try await m.save(on: tx)
            try await AuditLog(db: tx).record(actor, .update, entity: "service_contract", id: m.id, community: community, before: before, after: c, at: at)
        }
        return c
    }

    // MARK: Intake (INT-1 … INT-4, SEC-5)

    public struct Created: Sendable {
        public let order: WorkOrder
        /// false: the Idempotency-Key was seen before and this is the first order, unchanged.
        public let created: Bool
        /// The new order's clocks and its community's contract, as written: the answer needs no
        /// second read (nil for a replayed order).
        public var clocks: [SLAClock]? = nil
        public var contract: ServiceContract? = nil
    }

    public func create(_ draft: OrderDraft, idempotencyKey: String? = nil, photos: [PhotoStore.Upload] = [], by actor: Actor) async throws -> Created {
        let key = try idempotencyKey.flatMap { try Self.checkKey($0) }
        let fingerprint = Self.fingerprint(draft)
        // A key seen before is found by its unique index when the order is stored (below), not by
        // a read ahead of every intake (issue 19: one statement less each). An intake refused for
        // its content looks for the key before saying so: a repeated request gets the first order
        // back even if its unit has gone since, and one that reuses a key for another request is
        // told that, whatever else is wrong with it.
        do {
            return try await store(draft, key: key, fingerprint: fingerprint, photos: photos, by: actor)
        } catch let refused as DomainError {
            if let key, let uid = actor.userID, let first = try await byKey(uid, key, draft.communityID) { return try Self.replay(first, fingerprint) }
            throw refused
        }
    }

    private func store(_ draft: OrderDraft, key: String?, fingerprint: String, photos: [PhotoStore.Upload], by actor: Actor) async throws -> Created {
        let draft = try await resolvePlace(draft)
        let at = now()
        for attempt in 1...3 {
            do {
                // In the community's line (written in bulk with the intakes beside it on PostgreSQL),
                // unless photos come along: their evidence rows are written at once, and the
                // order's row would not be there yet.
                let (order, clocks, contract) = try await writing(community: photos.isEmpty ? draft.communityID : nil) { s in
                    let (order, clocks, contract) = try await s.insert(draft, key: key, fingerprint: fingerprint, contract: nil, by: actor, at: at)
                    if !photos.isEmpty { _ = try await PhotoStore(db: s.db, now: s.now).attach(photos, to: order, by: actor, at: at) }
                    return (order, clocks, contract)
                }
                return Created(order: order, created: true, clocks: clocks.currentRound, contract: contract)
            } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
                // A double click that raced the first request: hand back the first order.
                if let key, let uid = actor.userID, let first = try await byKey(uid, key, draft.communityID) { return try Self.replay(first, fingerprint) }
                // Two processes took the same number: try the next one.
                if attempt == 3 { throw error }
            }
        }
        throw DomainError(.internalError, code: "create_failed", Message(zh: "工单保存失败,请重试", en: "The order could not be saved; please retry"))
    }

    /// Registers an order inside another capability's write transaction (a patrol finding
    /// becomes an order with its visit, or neither is kept): the same place checks, numbering,
    /// classification, clocks, timeline and live event as `create`.
    func createInside(_ draft: OrderDraft, photos: [PhotoStore.Upload], by actor: Actor, at: Date) async throws -> WorkOrder {
        let draft = try await resolvePlace(draft)
        let (order, _, _) = try await insert(draft, key: nil, fingerprint: "", contract: nil, by: actor, at: at)
        _ = try await PhotoStore(db: db, now: now).attach(photos, to: order, by: actor, at: at)
        return order
    }

    static func checkKey(_ raw: String) throws -> String? {
        let k = raw.trimmingCharacters(in: .whitespaces)
        if k.isEmpty { return nil }
        guard k.count <= 100 else {
            throw DomainError.invalid(field: "Idempotency-Key", Message(zh: "Idempotency-Key 最多 100 个字符", en: "Idempotency-Key is longer than 100 characters"))
        }
        return k
    }

    static func fingerprint(_ d: OrderDraft) -> String {
        let parts = [d.communityID.uuidString, d.kind.rawValue, d.channel.rawValue, d.unitID?.uuidString ?? "", d.location,
                     d.contactPhone, d.description, d.priority?.rawValue ?? "", d.category?.rawValue ?? ""]
        return Hex.lowercase(SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8)))
    }

    static func replay(_ first: (WorkOrder, String?), _ fingerprint: String) throws -> Created {
        guard first.1 == nil || first.1 == fingerprint else {
            throw DomainError(.invalidInput, code: "idempotency_key_reused",
                Message(zh: "此 Idempotency-Key 已用于另一条不同的诉求", en: "This Idempotency-Key was already used for a different request"))
        }
        return Created(order: first.0, created: false)
    }

    /// An idempotency key is one account's within one community (RUN-5: unique keys include the community).
    private func byKey(_ userID: UUID, _ key: String, _ community: UUID) async throws -> (WorkOrder, String?)? {
        guard let r = try await sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema)
            .where("community_id", .equal, community).where("created_by_id", .equal, userID).where("idempotency_key", .equal, key).limit(1).plainRows().first else { return nil }
        return (try OrderRows.order(r), try r.string("idempotency_fingerprint"))
    }

    /// One row's columns by id, read as plain values (no model reflection); nil: no such row.
    private func row(_ table: String, _ id: UUID, _ columns: String...) async throws -> (any SQLRow)? {
        try await sql.select().columns(columns).from(table).where("id", .equal, id).first()
    }

    /// Fills building and area from the unit, and checks every reference lies in the community.
    private func resolvePlace(_ draft: OrderDraft) async throws -> OrderDraft {
        var d = draft
        // A unit's building and area are the registry's own, in its community: read with the unit,
        // not checked again. A building or area named without a unit is checked.
        var placeChecked = false
        if let unitID = d.unitID {
            guard let u = try await row(UnitModel.schema, unitID, "community_id", "building_id", "area_id"),
                  try u.decode(column: "community_id", as: UUID.self) == d.communityID else { throw DomainError.notFound(Noun.unit) }
            d.buildingID = try u.decode(column: "building_id", as: UUID.self)
            d.areaID = try u.decode(column: "area_id", as: UUID?.self)
            placeChecked = d.areaID != nil
        }
        if !placeChecked, let buildingID = d.buildingID {
            guard let b = try await row(BuildingModel.schema, buildingID, "community_id", "area_id"),
                  try b.decode(column: "community_id", as: UUID.self) == d.communityID else { throw DomainError.notFound(Noun.building) }
            let buildingArea = try b.decode(column: "area_id", as: UUID?.self)
            if d.areaID == nil || d.areaID == buildingArea { d.areaID = buildingArea; placeChecked = true }
        }
        if !placeChecked, let areaID = d.areaID {
            guard let a = try await row(AreaModel.schema, areaID, "community_id"),
                  try a.decode(column: "community_id", as: UUID.self) == d.communityID else { throw DomainError.notFound(Noun.area) }
        }
        if let pid = d.requesterID {
            guard let p = try await row(PersonModel.schema, pid, "community_id", "name", "phone"),
                  try p.decode(column: "community_id", as: UUID.self) == d.communityID else { throw DomainError.notFound(Noun.person) }
            if d.contactName.trimmingCharacters(in: .whitespaces).isEmpty { d.contactName = try p.decode(column: "name", as: String.self) }
            if d.contactPhone.trimmingCharacters(in: .whitespaces).isEmpty { d.contactPhone = try p.decode(column: "phone", as: String.self) }
        }
        if let itemID = d.catalogueItemID {
            guard let item = try await CatalogueItemModel.find(itemID, on: db), item.communityID == d.communityID, item.active else {
                throw DomainError.notFound(Noun.catalogueItem)
            }
            guard d.kind == .paidService else {
                throw DomainError.invalid(field: "catalogueItemId", Message(zh: "只有有偿服务可选价目表项目", en: "Only a paid service takes a catalogue item"))
            }
            d.listPrice = item.priceFen
        }
        return d
    }

    /// Inside a transaction: numbers the order, links it to a matching incident (INT-16),
    /// names a complaint's owner (INT-8), dispatches by rule or to the warranty liaison
    /// (INT-15, INT-9), and stores everything.
    /// `contract`: nil to read it with the community's number (inside the transaction: the
    /// contract the order is classified and timed by is the one stored when it is numbered).
    private func insert(_ draft: OrderDraft, key: String?, fingerprint: String, contract given: ServiceContract?, by actor: Actor,
                        at: Date) async throws -> (WorkOrder, [SLAClock], ServiceContract) {
        // Numbers are per community and gap-free: on PostgreSQL the community row is locked while
        // the next one is taken, so concurrent intakes in one community queue here instead of
        // colliding on the number (the benchmark's 16 parallel desks hit that; other communities
        // are not held up). SQLite's writes are in line already.
        let place = try await numbering(draft.communityID)
        let contract = given ?? place.contract
        let verdict = contract.classifier.classify(draft.description)
        let category = draft.category ?? verdict.category
        let seq = place.last + 1
        GroupBatch.current?.communities[draft.communityID]?.last = seq
        let number = WorkOrder.number(code: place.code, seq: seq, at: at, timeZone: place.timeZone)
        let machine = OrderMachine(contract: contract)
        var incident: IncidentModel?
        if place.openIncidents > 0 {
            let openIncidents = try await IncidentModel.query(on: db).filter(\.$communityID == draft.communityID)
                .filter(\.$closedAt == nil).filter(\.$category == category.rawValue).all()
            incident = openIncidents.first { $0.domain.absorbs(kind: draft.kind, category: category, buildingID: draft.buildingID, at: at) }
        }
        let hasRules = place.rules > 0
        var owner: Assignee?
        if draft.kind == .complaint {
            // INT-8: a complaint always has a named owner — the CS manager, else the center head.
            owner = try await firstAccount(role: .csManager, community: draft.communityID)
            if owner == nil { owner = try await firstAccount(role: .centerHead, community: draft.communityID) }
            guard owner != nil else {
                throw DomainError.conflict(code: "complaint_no_owner",
                    Message(zh: "本小区没有客服经理或服务中心主任,投诉将无人负责:请先为小区设置其中一个账号",
                            en: "This community has no CS manager or center head, so a complaint would have no owner: create one of these accounts first"))
            }
        }
        var t = try machine.open(draft, number: number, seq: seq, incidentID: incident?.id, owner: owner, by: actor, at: at)
        if incident == nil, t.order.kind.needsVisit {
            if t.order.kind == .warranty, let liaison = contract.warrantyLiaisonID,
               let who = try? await assignee(liaison, community: draft.communityID) {
                t = try machine.continuing(t, with: .dispatch(who), by: Actor(userID: nil, name: "PropDesk: 地产保修联络人 / warranty liaison"), at: at)
            } else if hasRules, let rule = DispatchRule.pick(try await rules(community: draft.communityID), category: t.order.category, areaID: t.order.areaID),
                      let (who, moved) = rule.next() {
                t = try machine.continuing(t, with: .dispatch(who), by: Actor(userID: nil, name: "PropDesk: 派工规则 / rule \(rule.name)"), at: at)
                if let m = try await DispatchRuleModel.find(rule.id, on: db) { m.cursor = moved.cursor; try await m.update(on: db) }
            }
        }
        try await BulkRows.insert(WorkOrderModel.schema, BulkRows.orderColumns,
                                  [BulkRows.row(t.order, idempotencyKey: key, fingerprint: key == nil ? nil : fingerprint)], on: db)
        if let incident {
            incident.linkedOrders += 1
            try await incident.update(on: db)
        }
        var order = t.order
        order.complaintID = try await persist(t, existingClocks: [:], contract: contract, kind: "order.created", at: at) ?? order.complaintID
        return (order, t.clocks, contract)
    }

    /// One read for the number, the service contract, and whether the community has open incidents
    /// or dispatch rules at all (mostly it has neither, and they are not read). On PostgreSQL the lock comes
    /// first, in its own statement: a statement that waited for a lock still reads with the
    /// snapshot it started with, and would miss the number taken by the transaction it waited
    /// for. In a PostgreSQL group commit (`GroupBatch`) the community is locked and read once for
    /// the group, which then counts its numbers itself.
    private func numbering(_ communityID: UUID) async throws -> GroupBatch.Community {
        if let known = GroupBatch.current?.communities[communityID] { return known }
        if isPostgres { _ = try await sql.raw("SELECT id FROM communities WHERE id = \(bind: communityID) FOR UPDATE").first() }
        guard let row = try await sql.raw("""
            SELECT c.code AS code, c.time_zone AS time_zone,
                   (SELECT MAX(o.seq) FROM work_orders o WHERE o.community_id = c.id) AS last,
                   (SELECT COUNT(*) FROM incidents i WHERE i.community_id = c.id AND i.closed_at IS NULL) AS incidents,
                   (SELECT COUNT(*) FROM dispatch_rules r WHERE r.community_id = c.id) AS rules,
                   (SELECT s.body FROM service_contracts s WHERE s.community_id = c.id) AS contract
            FROM communities c WHERE c.id = \(bind: communityID)
            """).first() else { throw DomainError.notFound(Noun.community) }
        let contract = try row.decode(column: "contract", as: String?.self).map { ContractCache.shared.contract(communityID, body: $0) } ?? ServiceContract()
        let community = GroupBatch.Community(
            code: try row.decode(column: "code", as: String.self), timeZone: try row.decode(column: "time_zone", as: String.self),
            last: try row.decode(column: "last", as: Int?.self) ?? 0, openIncidents: try row.decode(column: "incidents", as: Int.self),
            rules: try row.decode(column: "rules", as: Int.self), contract: contract)
        GroupBatch.current?.communities[communityID] = community
        return community
    }

    private func firstAccount(role: Role, community: UUID) async throws -> Assignee? {
        try await staff(community: community, role: role).first.map { Assignee(id: $0.id!, name: $0.displayName) }
    }

    /// Active accounts scoped to the community (of one role, when given), by username.
    func staff(community: UUID, role: Role? = nil) async throws -> [UserModel] {
        let ids = try await UserScopeModel.query(on: db).filter(\.$communityID == community).all().map(\.userID)
        guard !ids.isEmpty else { return [] }
        let q = UserModel.query(on: db).filter(\.$id ~~ Set(ids)).filter(\.$active == true)
        if let role { q.filter(\.$role == role.rawValue) }
        return try await q.sort(\.$username).all()
    }

    /// Where the order's timeline ends, and the number its next event takes: read once for a
    /// step, which numbers its events by it and seals them after it.
    func chainEnd(_ order: WorkOrder) async throws -> (known: TimelineStore.ChainEnds, nextSeq: Int) {
        let ends = try await TimelineStore(db: db).chainEnds([(.workOrder, order.id, order.communityID)])
        return (ends, (ends[TimelineStore.SubjectKey(kind: SubjectKind.workOrder.rawValue, id: order.id)]?.seq ?? 0) + 1)
    }

    /// A staff member of this community who can hold an order.
    /// One plain statement: the account with a scope in the community (every dispatch asks).
    public func assignee(_ userID: UUID, community: UUID) async throws -> Assignee {
        let row = try await sql.raw("""
            SELECT u.display_name AS display_name, u.role AS role FROM users u
            WHERE u.id = \(bind: userID) AND u.active = \(bind: true)
              AND EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = u.id AND s.community_id = \(bind: community))
            """).first()
        guard let row, let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
              [.engineer, .areaSupervisor, .frontDesk, .csManager, .centerHead].contains(role)
        else { throw DomainError.notFound(Noun.user) }
        return Assignee(id: userID, name: try row.decode(column: "display_name", as: String.self))
    }

    // MARK: Steps (INT-5 …)

    /// Applies one step to an order, under a row lock, and stores its consequences.
    @discardableResult
    /// `community`, when the caller has read the order already, is the order's: its lock then
    /// costs one statement, not two (RUN-5).
    public func perform(_ action: OrderAction, on orderID: UUID, community: UUID? = nil, photos: [PhotoStore.Upload] = [],
                        evidence: [EvidenceStore.Upload] = [], by actor: Actor) async throws -> WorkOrder {
        guard let (_, after) = try await perform(on: orderID, community: community, photos: photos, evidence: evidence, deciding: { _ in (action, actor) }) else {
            throw DomainError.notFound(Noun.order)
        }
        return after
    }

    /// Applies the step `decide` chooses from the order as it stands under its lock — nil: no
    /// step, nothing written — and returns the order before and after it. For a caller whose
    /// step depends on the order (the demo's "whoever holds it"), without reading it twice.
    public func perform(on orderID: UUID, community: UUID? = nil, photos: [PhotoStore.Upload] = [], evidence: [EvidenceStore.Upload] = [],
                        deciding decide: @escaping @Sendable (WorkOrder) -> (OrderAction, Actor)?) async throws -> (before: WorkOrder, after: WorkOrder)? {
        let at = now()
        return try await writing { s in
            guard try await s.lock(orderID, community: community, skipLocked: false), let order = try await s.orders([orderID])[orderID],
                  community == nil || order.communityID == community else {
                throw DomainError.notFound(Noun.order)
            }
            guard let (action, actor) = decide(order) else { return nil }
            let after = try await s.apply(action, to: order, by: actor, at: at)
            _ = try await PhotoStore(db: s.db, now: s.now).attach(photos, to: after, by: actor, at: at)
            // The step and its signatures stand or fall together.
            _ = try await EvidenceStore(db: s.db, now: s.now).attach(evidence, to: PhotoStore.subject(after), by: actor, at: at, limit: Evidence.maxPerSubject)
            return (order, after)
        }
    }

    /// Locks the order row (PostgreSQL) so steps on one order happen one after another across
    /// processes. SQLite serialises writers by itself. Returns false when `skipLocked` and another
    /// process holds it, and when there is no such order in `community`. The lock names the
    /// order's community (RUN-5); a caller that does not know it yet pays one read of it.
    func lock(_ orderID: UUID, community: UUID?, skipLocked: Bool) async throws -> Bool {
        guard db.writers.locksRows else { return true }
        var owner = community
        if owner == nil { owner = try await db.communityOf(WorkOrderModel.schema, id: orderID) }
        guard let owner else { return false }
        return !(try await db.lockRows(WorkOrderModel.schema, community: owner, ids: [orderID], skipLocked: skipLocked)).isEmpty
    }

    /// Runs one step on an order read inside the caller's write transaction (under its lock) and
    /// stores the order, clocks, timeline, alerts and live event it produced, as plain rows.
    func apply(_ action: OrderAction, to order: WorkOrder, by actor: Actor, at: Date) async throws -> WorkOrder {
        let clocks = try await sql.select().column(OrderRows.clockList).from(SLAClockModel.schema)
            .where("subject_id", .equal, order.id).whereCommunity(order.communityID, besideANarrowerKeyOn: db).plainRows().map(OrderRows.clock)
        let chain = try await chainEnd(order)
        let contract = try await contract(community: order.communityID)
        let t = try OrderMachine(contract: contract).apply(action, to: order, clocks: clocks, by: actor, at: at, nextEventSeq: chain.nextSeq)
        try await OrderRows.update(t.order, on: db)
        try await closeCallbackTasks(after: action, from: order.status, t.order, by: actor, at: at)
        var after = t.order
        after.complaintID = try await persist(t, existingClocks: Dictionary(uniqueKeysWithValues: clocks.map { ($0.id, $0) }),
                                              contract: contract, kind: "order.changed", chain: chain.known, at: at)
            ?? after.complaintID
        if case .settle = action { try await FeeStore(db: db, now: now).postSettledService(after) }
        return after
    }

    /// The caller's full number for someone who has to ring them (a callback, a return visit):
    /// written to the audit trail with who asked and why before it is shown (SEC-3).
    public func revealPhone(of orderID: UUID, purpose: String, by actor: Actor) async throws -> String {
        let purpose = try Validate.text(purpose, field: "purpose", max: 200, required: true)
        guard let o = try await order(orderID) else { throw DomainError.notFound(Noun.order) }
        guard !o.contactPhone.isEmpty else {
            throw DomainError.conflict(code: "no_phone", Message(zh: "该工单没有联系电话", en: "This order has no phone number"))
        }
        try await AuditLog(db: db).record(actor, .reveal, entity: "work_order", id: o.id, community: o.communityID,
                                          after: ["fields": "contactPhone", "purpose": purpose, "order": o.number], at: now())
        return o.contactPhone
    }

    /// The desk's callback tasks (S4 4.9) end with a call that reached someone, and age out by
    /// themselves once the engineer is there or the order is over: nobody should ring a resident
    /// to explain a delay that is no longer one.
    private func closeCallbackTasks(after action: OrderAction, from before: OrderStatus, _ o: WorkOrder, by actor: Actor, at: Date) async throws {
        let stillWaiting = OrderStatus.awaitingArrival
        let note: String
        var by = actor
        if case .callBack(let outcome, let text) = action {
            guard outcome.closesTask else { return }
            note = [outcome.title.zhHans, text].filter { !$0.isEmpty }.joined(separator: " · ")
        } else if (stillWaiting.contains(before) || before == .onHold) && !stillWaiting.contains(o.status) {
            note = "工单已\(o.status.title.zhHans),无需回电 / No callback needed: the order is \(o.status.title.en.lowercased())"
            by = Self.system
        } else {
            return
        }
        try await AlertModel.query(on: db).filter(\.$subjectKind == SubjectKind.workOrder.rawValue).filter(\.$subjectID == o.id)
            .filterCommunityBesideANarrowerKey(o.communityID).filter(\.$kind == AlertKind.callback.rawValue).filter(\.$acknowledgedAt == nil)
            .set(\.$acknowledgedAt, to: at).set(\.$acknowledgedByID, to: by.userID).set(\.$acknowledgedByName, to: by.name)
            .set(\.$acknowledgeNote, to: String(note.prefix(500))).update()
    }

    /// Saves what a transition produced besides the order row itself; returns the id of a
    /// complaint it opened.
    @discardableResult
    private func persist(_ t: Transition, existingClocks: [UUID: SLAClock], contract: ServiceContract, kind: String,
                         chain known: TimelineStore.ChainEnds? = nil, at: Date) async throws -> UUID? {
        let changed = t.clocks.filter { c in existingClocks[c.id].map { $0 != c } ?? false }
        try await ClockRows.save(changed, on: db)
        try await BulkRows.insert(SLAClockModel.schema, BulkRows.clockColumns, t.clocks.filter { existingClocks[$0.id] == nil }.map(BulkRows.row), on: db)
        // A new order has no timeline yet: its chain starts here without reading for its end.
        try await TimelineStore(db: db).append(t.events.map(TimelineEntry.init), newSubjects: existingClocks.isEmpty && kind == "order.created", known: known)
        try await raise(t.alerts, order: t.order, at: at, event: (kind, t.events))
        if let draft = t.complaint {
            // INT-19: the dissatisfied resident's matter becomes a complaint with a named owner.
            let (complaint, _, _) = try await insert(draft, key: nil, fingerprint: "", contract: contract, by: Self.system, at: at)
            try await sql.update(WorkOrderModel.schema).set("complaint_id", to: complaint.id).where("id", .equal, t.order.id).run()
            return complaint.id
        }
        return nil
    }

    /// Stores the alerts, their webhook deliveries and the live events (the order's own last,
    /// when given), each kind in one insert.
    func raise(_ alerts: [Alert], order: WorkOrder, at: Date, event: (kind: String, events: [OrderEvent])? = nil) async throws {
        // The alerts' events first, then the order's: a board that follows the stream ends on the order's state.
        var live = alerts.map { liveRow(alert: $0, order: order, at: at) }
        if let event { live.append(liveRow(event.kind, order: order, unit: order.unitID, events: event.events, alert: nil, at: at)) }
        try await BulkRows.insert(AlertModel.schema, BulkRows.alertColumns, alerts.map(BulkRows.row), on: db)
        if outbox { try await BulkRows.insert(WebhookDeliveryModel.schema, BulkRows.webhookColumns, alerts.map { BulkRows.webhookRow($0, order: order, at: at) }, on: db) }
        try await BulkRows.insert(LiveEventModel.schema, BulkRows.liveColumns, live, on: db)
    }

    // MARK: Reads

    public struct OrderFilter: Sendable {
        public var statuses: [OrderStatus]?
        public var kind: RequestKind?
        public var priority: Priority?
        public var areaID: UUID?
        /// The reader's areas (an area supervisor); nil: the whole community.
        public var visibleAreas: Set<UUID>?
        public var assigneeID: UUID?
        public var overdue: Bool
        /// A resident's units.
        public var unitIDs: Set<UUID>?
        public var unitID: UUID?
        public var incidentID: UUID?
        /// Only orders open for engineers to take (抢单, INT-15).
        public var inPool: Bool?
        /// Received at or after / before these instants (the request register, INT-13).
        public var createdFrom: Date?
        public var createdBefore: Date?
        /// What someone typed to find an order (INT-3): its number, digits of the caller's phone,
        /// or words of the description or place; `textUnits` are the units the registry's search
        /// found for the same text (a room number, a resident's name or phone).
        public var text: String?
        public var textUnits: [UUID] = []
        /// A resident's view (SEC-2): their units' orders and those they reported themselves
        /// (a corridor light of their building), never the center's internal ones — a complaint
        /// the center opened from a low rating is the center's work, not the resident's request.
        public var resident: (units: Set<UUID>, person: UUID?)?

        /// Whether any condition on the order's own columns is set — everything above but
        /// `overdue` (a field added above belongs here too). Without one, the late orders are
        /// counted from their clocks alone (`list`).
        var narrowsOrders: Bool {
            statuses != nil || kind != nil || priority != nil || areaID != nil || visibleAreas != nil || assigneeID != nil
                || unitIDs != nil || unitID != nil || incidentID != nil || inPool != nil || createdFrom != nil || createdBefore != nil
                || text != nil || resident != nil
        }

        public init(statuses: [OrderStatus]? = nil, kind: RequestKind? = nil, priority: Priority? = nil, areaID: UUID? = nil,
                    visibleAreas: Set<UUID>? = nil, assigneeID: UUID? = nil, overdue: Bool = false, unitIDs: Set<UUID>? = nil,
                    unitID: UUID? = nil, incidentID: UUID? = nil) {
            self.statuses = statuses
            self.kind = kind
            self.priority = priority
            self.areaID = areaID
            self.visibleAreas = visibleAreas
            self.assigneeID = assigneeID
            self.overdue = overdue
            self.unitIDs = unitIDs
            self.unitID = unitID
            self.incidentID = incidentID
        }
    }

    /// How a typed text finds orders: a whole order number by its running number (indexed) and
    /// the number itself; digits by the caller's phone, the running number and the registry's
    /// units; words by description, place and contact name.
    public struct OrderSearch: Sendable {
        public enum Shape: Equatable, Sendable { case number(String, seq: Int), digits(String), words(String) }
        public let shape: Shape

        public init(_ raw: String) {
            let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let upper = t.uppercased()
            let parts = upper.split(separator: "-")
            if parts.count == 3, parts[1].count == 4, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
               parts[2].allSatisfy({ $0.isASCII && $0.isNumber }), let seq = Int(parts[2]), seq < Int(Int32.max) {
                shape = .number(upper, seq: seq)
            } else if !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) {
                shape = .digits(t)
            } else {
                // LIKE's own characters are taken literally by dropping them.
                shape = .words(String(t.filter { !"%_\\".contains($0) }.prefix(60)))
            }
        }

        func apply<B: SQLPredicateBuilder>(to b: B, units: [UUID]) {
            switch shape {
            case .number(let n, let seq):
                b.where("seq", .equal, seq).where("number", .equal, n)
            case .digits(let d):
                b.where { g in
                    g.where("contact_phone", .like, "%\(d)%")
                    if d.count <= 9, let seq = Int(d) { g.orWhere("seq", .equal, seq) }
                    if !units.isEmpty { g.orWhere("unit_id", .in, units) }
                    return g
                }
            case .words(let w):
                b.where { g in
                    g.where("description", .like, "%\(w)%").orWhere("location", .like, "%\(w)%").orWhere("contact_name", .equal, w)
                    if !units.isEmpty { g.orWhere("unit_id", .in, units) }
                    return g
                }
            }
        }
    }

    /// An order with its clocks of the current round.
    public struct OrderView: Sendable {
        public let order: WorkOrder
        public let clocks: [SLAClock]
    }

    /// Newest first. "Overdue" starts from the running clocks past their due time (the partial index
    /// `sla_clocks_running`, which holds every column the filter needs) and joins each late order
    /// by its key, so it costs in proportion to what is late, not to the number of orders; the late
    /// orders' identifiers stay inside the database instead of coming out and going back as a
    /// thousand binds twice (issue 19, P3). Rows are read without Fluent models (see `OrderRows`).
    public func list(community: UUID, filter f: OrderFilter, page: PageQuery) async throws -> Paged<OrderView> {
        var late: (any SQLExpression)?
        let at = now()
        if f.overdue {
            late = Self.lateClocks(SQLSubqueryBuilder().distinct().column("subject_id").from(SLAClockModel.schema), at: at)
                .where("community_id", .equal, community).query
        }
        // An empty set matches nothing (and "IN ()" is not SQL).
        if f.visibleAreas?.isEmpty == true || f.unitIDs?.isEmpty == true || f.statuses?.isEmpty == true {
            return Paged(items: [], page: page.page, per: page.per, total: 0)
        }
        // A unit's, an incident's and an engineer's open orders are read by that key's own index,
        // the community named beside it (`whereCommunity(_:besideANarrowerKeyOn:)`): on SQLite an
        // engineer's two open orders were found by walking the community's 10,000 (6.9 ms → 0.05
        // ms at a million). All of an engineer's orders, a quarter of the community's, are found
        // sooner by that walk (0.25 ms; 4.7 ms by their index and a sort), but counted by their
        // index (10.7 → 2.0 ms).
        let narrow = f.unitID != nil || f.unitIDs != nil || f.incidentID != nil
        let pageByOwnIndex = narrow || (f.assigneeID != nil && f.statuses != nil)
        let countByOwnIndex = narrow || f.assigneeID != nil
        func filtered<B: SQLPredicateBuilder>(_ b: B, counting: Bool = false) -> B {
            if counting ? countByOwnIndex : pageByOwnIndex {
                b.whereCommunity(community, besideANarrowerKeyOn: db)
            } else {
                b.where("community_id", .equal, community)
            }
            if let s = f.statuses { b.where("status", .in, s.map(\.rawValue)) }
            if let k = f.kind { b.where("kind", .equal, k.rawValue) }
            if let p = f.priority { b.where("priority", .equal, p.rawValue) }
            if let a = f.areaID { b.where("area_id", .equal, a) }
            if let areas = f.visibleAreas { b.where("area_id", .in, Array(areas)) }
            if let a = f.assigneeID { b.where("assignee_id", .equal, a) }
            if let units = f.unitIDs { b.where("unit_id", .in, Array(units)) }
            if let u = f.unitID { b.where("unit_id", .equal, u) }
            if let i = f.incidentID { b.where("incident_id", .equal, i) }
            if let pool = f.inPool { b.where("in_pool", .equal, pool) }
            if let from = f.createdFrom { b.where("created_at", .greaterThanOrEqual, from) }
            if let before = f.createdBefore { b.where("created_at", .lessThan, before) }
            if let t = f.text { OrderSearch(t).apply(to: b, units: f.textUnits) }
            if let r = f.resident {
                b.where { g in
                    if !r.units.isEmpty { g.where("unit_id", .in, Array(r.units)) } else { g.where(SQLLiteral.boolean(false)) }
                    if let person = r.person { g.orWhere("requester_id", .equal, person) }
                    return g
                }
                b.where { $0.where("kind", .notEqual, RequestKind.complaint.rawValue).orWhere("parent_id", .is, SQLLiteral.null) }
            }
            return b
        }
        /// The orders, or only the late ones: their clocks first, each order found by its key.
        func from(_ b: SQLSelectBuilder) -> SQLSelectBuilder {
            guard let late else { return b.from(WorkOrderModel.schema) }
            return b.from(SQLAlias(late, as: SQLIdentifier("late")))
                .join(WorkOrderModel.schema, on: SQLColumn("id", table: WorkOrderModel.schema), .equal, SQLColumn("subject_id", table: "late"))
        }
        // The board's "all late orders" counts the late clocks' orders in the clocks' own index,
        // without reading an order (at 7,000 late orders a third of the list's time).
        func count() async throws -> Int {
            let counted: SQLSelectBuilder
            if let late, !f.narrowsOrders { counted = sql.select().from(SQLAlias(late, as: SQLIdentifier("late"))) } else { counted = filtered(from(sql.select()), counting: true) }
            return try await counted.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        guard late != nil else {
            let rows: [PlainRow]
            if page.offset > 0, db.offsetReadsSkippedRows {
                // A later page where the rows an OFFSET skips are read from the table (PostgreSQL):
                // the page's numbers first, from the list's index alone, then its orders by number.
                // Page 250 read 5,000 orders to show 20 (10 ms → 0.8 ms at 11,500 orders in a
                // community, docs/PERFORMANCE.md).
                let numbers = filtered(SQLSubqueryBuilder().column("seq").from(WorkOrderModel.schema))
                    .orderBy("created_at", .descending).orderBy("seq", .descending).limit(page.per).offset(page.offset)
                rows = try await sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema)
                    .where("community_id", .equal, community).where("seq", .in, numbers.query)
                    .orderBy("created_at", .descending).orderBy("seq", .descending).plainRows()
            } else {
                rows = try await filtered(from(sql.select().column(OrderRows.orderList)))
                    .orderBy("created_at", .descending).orderBy("seq", .descending).limit(page.per).offset(page.offset).plainRows()
            }
            // A page shorter than asked for is the list's end: it says how many there are, and
            // no count is run (a unit's orders, an engineer's own, an incident's: most lists).
            let total = rows.count < page.per && (!rows.isEmpty || page.offset == 0) ? page.offset + rows.count : try await count()
            return Paged(items: try await views(rows.map(OrderRows.order)), page: page.page, per: page.per, total: total)
        }
        let total = try await count()
        if page.offset >= total { return Paged(items: [], page: page.page, per: page.per, total: total) }
        if total > Self.fewLateOrders, let newest = try await newestLate(at: at, total: total, page: page, filtered: { filtered($0) }) {
            return Paged(items: try await views(newest), page: page.page, per: page.per, total: total)
        }
        let rows = try await filtered(from(sql.select().column(OrderRows.orderList)))
            .orderBy("created_at", .descending).orderBy("seq", .descending).limit(page.per).offset(page.offset).plainRows()
        return Paged(items: try await views(rows.map(OrderRows.order)), page: page.page, per: page.per, total: total)
    }

    /// Up to this many late orders are joined by key and sorted (a cost in proportion to them);
    /// more, and the newest orders are walked first (`newestLate`).
    public static let fewLateOrders = 200

    /// What makes a running clock of an order late (the overdue filter): a response, arrival or
    /// completion clock, neither stopped nor paused, past its due time. Columns named with their
    /// table: the same conditions test one order's clocks inside a query on the orders.
    static func lateClocks<B: SQLPredicateBuilder>(_ b: B, at: Date) -> B {
        let clock = { SQLColumn($0, table: SLAClockModel.schema) }
        return b.where(clock("subject_kind"), .equal, SQLBind(SubjectKind.workOrder.rawValue))
            .where(clock("stopped_at"), .is, SQLLiteral.null).where(clock("paused_at"), .is, SQLLiteral.null)
            .where(clock("due_at"), .lessThan, SQLBind(at))
            .where(clock("kind"), .in, SQLGroupExpression([ClockKind.response, .arrival, .completion].map { SQLBind($0.rawValue) }))
    }

    /// How many of the filter's newest orders a page of late orders walks before it gives up and
    /// joins the late ones: room for the page's end with one order in twenty late, but never more
    /// than 100 past the number of late orders. Testing an order walked costs about what reading a
    /// late order in the join does, so a longer walk — a deep page, the late ones spread over the
    /// whole history — would cost more than the join it then falls back to (the last page of 1,557
    /// late among 11,500 orders: 40 ms walking them all, 8 ms walking 1,657 and joining;
    /// docs/PERFORMANCE.md).
    static func walkWindow(page: PageQuery, late total: Int) -> Int {
        100 + min(20 * (page.offset + page.per), total)
    }

    /// A page of late orders when many are late — a busy morning, when the late ones are the
    /// newest: the filter's orders are walked newest first (its list index), each tested for a late
    /// clock by its key, and the walk stops at the page's end or at the `window`-th newest order. The
    /// page then costs what it shows plus the orders walked, not a join and sort of every late order
    /// (1,557 late in a community of 11,500 orders: 7.5 ms → 0.5 ms, docs/PERFORMANCE.md). nil when
    /// the window held too few of them (the late ones are old): the caller joins them all.
    private func newestLate(at: Date, total: Int, page: PageQuery,
                            filtered: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [WorkOrder]? {
        let window = Self.walkWindow(page: page, late: total)
        // The window's oldest order: the walk stops there. None: the filter has fewer orders.
        let floor = try await filtered(sql.select().column("created_at").from(WorkOrderModel.schema))
            .orderBy("created_at", .descending).orderBy("seq", .descending).limit(1).offset(window).first()?
            .decode(column: "created_at", as: Date.self)
        let probe = Self.lateClocks(SQLSubqueryBuilder().column(SQLLiteral.numeric("1")).from(SLAClockModel.schema), at: at)
            .where(SQLColumn("subject_id", table: SLAClockModel.schema), .equal, SQLColumn("id", table: WorkOrderModel.schema))
        // RUN-5: distributed by community, the probe names the order's community. On one SQLite
        // file that narrows nothing, and it makes SQLite's planner prefer the running clocks'
        // index (a range over the whole community) to the clocks of the one order.
        if db.writers.namesOneCommunity {
            probe.where(SQLColumn("community_id", table: SLAClockModel.schema), .equal, SQLColumn("community_id", table: WorkOrderModel.schema))
        }
        // "LIMIT 1 OFFSET 0": PostgreSQL would otherwise turn the test into a join of all the late
        // clocks (a hash of them, then every late order by key — the cost this walk avoids); with
        // an OFFSET it keeps the subquery as a test of each order walked.
        let isLate = SQLExists(probe.limit(1).offset(0).query)
        let q = filtered(sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema)).where(isLate)
        if let floor { q.where("created_at", SQLBinaryOperator.greaterThanOrEqual, SQLBind(floor)) }
        let rows = try await q.orderBy("created_at", SQLDirection.descending).orderBy("seq", SQLDirection.descending)
            .limit(page.per).offset(page.offset).plainRows()
        // Complete: a full page (everything below the window is older), the whole filter walked,
        // or every late order up to this page's end found.
        guard rows.count == page.per || floor == nil || page.offset + rows.count >= total else { return nil }
        return try rows.map(OrderRows.order)
    }

    public func view(_ order: WorkOrder) async throws -> OrderView {
        try await views([order])[0]
    }

    func views(_ orders: [WorkOrder]) async throws -> [OrderView] {
        guard !orders.isEmpty else { return [] }
        let rows = try await sql.select().column(OrderRows.clockList).from(SLAClockModel.schema)
            .where("community_id", .in, Array(Set(orders.map(\.communityID)))).where("subject_id", .in, orders.map(\.id)).plainRows()
        let clocks = Dictionary(grouping: try rows.map(OrderRows.clock), by: \.subjectID)
        return orders.map { OrderView(order: $0, clocks: (clocks[$0.id] ?? []).currentRound) }
    }

    public func order(_ id: UUID) async throws -> WorkOrder? { try await orders([id])[id] }

    /// Several orders by id, in one read of plain rows.
    public func orders(_ ids: Set<UUID>) async throws -> [UUID: WorkOrder] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema).where("id", .in, Array(ids)).plainRows()
        return Dictionary(uniqueKeysWithValues: try rows.map(OrderRows.order).map { ($0.id, $0) })
    }

    /// The order's unit: what else is open there, recent complaints — shown, never blocking (INT-17).
    public struct UnitContext: Sendable {
        public let openOrders: [WorkOrder]
        public let recentComplaints: [WorkOrder]
        /// What the unit still owes and for how many months (INT-17): 0 when nothing; nil when the
        /// fees could not be read. Shown to staff who may see money, never blocking a request.
        public let arrearsFen: Int?
        public let arrearsMonths: Int?
    }

    public struct OrderDetail: Sendable {
        public let order: WorkOrder
        public let events: [OrderEvent]
        public let clocks: [SLAClock]
        public let alerts: [Alert]
        public let context: UnitContext?
        public let contract: ServiceContract
    }

    public func detail(_ id: UUID) async throws -> OrderDetail? {
        guard let o = try await order(id) else { return nil }
        async let events = TimelineStore(db: db).entries(.workOrder, id)
        async let clocks = sql.select().column(OrderRows.clockList).from(SLAClockModel.schema).where("subject_id", .equal, id)
            .whereCommunity(o.communityID, besideANarrowerKeyOn: db).orderBy("started_at").plainRows().map(OrderRows.clock)
        async let alerts = AlertModel.query(on: db).filter(\.$subjectID == id).filterCommunityBesideANarrowerKey(o.communityID).sort(\.$raisedAt).all()
        var context: UnitContext?
        if let unitID = o.unitID { context = try await unitContext(unitID, community: o.communityID, excluding: id) }
        return OrderDetail(order: o, events: try await events.compactMap(OrderEvent.init), clocks: try await clocks,
                           alerts: try await alerts.map(\.domain), context: context, contract: try await contract(community: o.communityID))
    }

    /// A unit's open orders, recent complaints and arrears (INT-17), each read by the unit's own
    /// index with its community named beside it (RUN-5).
    public func unitContext(_ unitID: UUID, community: UUID, excluding: UUID? = nil) async throws -> UnitContext {
        let open = try await sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema).where("unit_id", .equal, unitID)
            .whereCommunity(community, besideANarrowerKeyOn: db)
            .where("status", .in, OrderStatus.open.map(\.rawValue)).orderBy("created_at", .descending).limit(20).plainRows()
            .map(OrderRows.order).filter { $0.id != excluding }
        let since = now().addingTimeInterval(-180 * 86400)
        let complaints = try await sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema).where("unit_id", .equal, unitID)
            .whereCommunity(community, besideANarrowerKeyOn: db)
            .where("kind", .equal, RequestKind.complaint.rawValue).where("created_at", .greaterThanOrEqual, since)
            .orderBy("created_at", .descending).limit(10).plainRows().map(OrderRows.order).filter { $0.id != excluding }
        // INT-17: one indexed read of the unit's open bills; if it fails the context says "unknown"
        // and the request goes on.
        let arrears: UnitArrears??
        do { arrears = .some(try await FeeStore(db: db, now: now).unitArrears(unitID, community: community)) } catch { arrears = nil }
        return UnitContext(openOrders: open, recentComplaints: complaints, arrearsFen: arrears.map { $0?.outstandingFen ?? 0 },
                           arrearsMonths: arrears.map { $0?.months ?? 0 })
    }

    /// Engineers of the community and how many open orders each holds (INT-15: who is free).
    public func workload(community: UUID) async throws -> [(Assignee, Int)] {
        let engineers = try await staff(community: community, role: .engineer).sorted { $0.displayName < $1.displayName }
        let rows = try await sql.select().column("assignee_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("work_orders").where("community_id", .equal, community)
            .where("status", .in, OrderStatus.open.map(\.rawValue)).where("assignee_id", .isNot, SQLLiteral.null)
            .groupBy("assignee_id").all()
        var counts: [UUID: Int] = [:]
        for r in rows { counts[try r.decode(column: "assignee_id", as: UUID.self)] = try r.decode(column: "n", as: Int.self) }
        return engineers.map { (Assignee(id: $0.id!, name: $0.displayName), counts[$0.id!] ?? 0) }
    }

    // MARK: Alerts (INT-7)

    // MARK: Live events (INT-7, RUN-2)

    /// Alerts are for staff: published without a unit, so residents' streams never carry them.
    func publish(alert a: Alert, order o: WorkOrder, at: Date, kind: String = "alert.raised") async throws {
        try await BulkRows.insert(LiveEventModel.schema, BulkRows.liveColumns, [liveRow(alert: a, order: o, at: at, kind: kind)], on: db)
    }

    func liveRow(_ kind: String, order o: WorkOrder, unit: UUID?, events: [OrderEvent], alert: LivePayload.AlertPart?, at: Date) -> BulkRows.Row {
        let payload = LivePayload(type: kind, orderId: o.id, number: o.number, status: o.status.rawValue, priority: o.priority.rawValue,
                                  kind: o.kind.rawValue, assigneeId: o.assigneeID, unitId: unit, events: events.map(\.kind.rawValue), alert: alert)
        return [o.communityID, o.areaID, unit, kind, payload.json, at]
    }

    /// A raised alert's live event: for staff, so without a unit.
    func liveRow(alert a: Alert, order o: WorkOrder, at: Date, kind: String = "alert.raised") -> BulkRows.Row {
        liveRow(kind, order: o, unit: nil, events: [], alert: .init(id: a.id, kind: a.kind.rawValue, level: a.level.rawValue,
            targetUserId: a.targetUserID, message: a.message.zhHans, messageEn: a.message.en), at: at)
    }

    public struct LiveEvent: Sendable {
        public let id: Int
        public let communityID: UUID
        public let areaID: UUID?
        public let unitID: UUID?
        public let kind: String
        public let payload: String
    }

    /// Live events after `id`, oldest first: what a process has not pushed yet.
    /// Events past the cursor: newer than its last id, or one of the ids it is still waiting for.
    public func liveEvents(after cursor: LiveCursor, limit: Int = 500) async throws -> [LiveEvent] {
        let missing = cursor.missing
        let q = LiveEventModel.query(on: db)
        if missing.isEmpty {
            q.filter(\.$id > cursor.last)
        } else {
            q.group(.or) { $0.filter(\.$id > cursor.last).filter(\.$id ~~ missing) }
        }
        return try await q.sort(\.$id).limit(limit).all().map {
            LiveEvent(id: $0.id!, communityID: $0.communityID, areaID: $0.areaID, unitID: $0.unitID, kind: $0.kind, payload: $0.payload)
        }
    }

    public func lastLiveEventID() async throws -> Int {
        try await LiveEventModel.query(on: db).max(\.$id) ?? 0
    }

    /// Live events are for open pages; a day later they are history the timeline already keeps.
    /// The newest stays: on SQLite an emptied table hands out its ids again from 1, and an open
    /// page's cursor, already past them, would never see another event (a board on the wall of a
    /// quiet night fell silent for good after the hourly prune).
    public func pruneLiveEvents(olderThan: Date) async throws {
        guard let newest = try await LiveEventModel.query(on: db).max(\.$id) else { return }
        try await LiveEventModel.query(on: db).filter(\.$at < olderThan).filter(\.$id < newest).delete()
    }
}

struct LivePayload: Codable, Sendable {
    struct AlertPart: Codable, Sendable {
        let id: UUID
        let kind: String
        let level: String
        let targetUserId: UUID?
        let message: String
        let messageEn: String
    }
    let type: String
    let orderId: UUID
    let number: String
    let status: String
    let priority: String
    let kind: String
    let assigneeId: UUID?
    let unitId: UUID?
    let events: [String]
    let alert: AlertPart?

    /// The payload as JSON text, written directly: the same text as `AuditEntry.snapshot(self)`
    /// (sorted keys), which a test checks, at a fraction of its cost on every intake and fired clock.
    var json: String {
        var j = JSONText()
        j.object("alert", alert.map { a in
            var p = JSONText()
            p.uuid("id", a.id)
            p.string("kind", a.kind)
            p.string("level", a.level)
            p.string("message", a.message)
            p.string("messageEn", a.messageEn)
            p.uuid("targetUserId", a.targetUserId)
            return p.done()
        })
        j.uuid("assigneeId", assigneeId)
        j.strings("events", events)
        j.string("kind", kind)
        j.string("number", number)
        j.uuid("orderId", orderId)
        j.string("priority", priority)
        j.string("status", status)
        j.string("type", type)
        j.uuid("unitId", unitId)
        return j.done()
    }
}

/// What the center's gateway receives for each alert.
struct WebhookPayload: Codable, Sendable {
    let type: String
    let alertId: UUID
    let communityId: UUID
    let orderId: UUID
    let orderNumber: String
    let kind: String
    let level: String
    let targetUserId: UUID?
    let raisedAt: Date
    let dueAt: Date?
    let priority: String
    let message: String
    let messageEn: String

    init(alert a: Alert, order o: WorkOrder) {
        type = "alert.raised"; alertId = a.id; communityId = a.communityID; orderId = o.id; orderNumber = o.number; kind = a.kind.rawValue
        level = a.level.rawValue; targetUserId = a.targetUserID; raisedAt = a.raisedAt; dueAt = a.dueAt; priority = o.priority.rawValue
        message = a.message.zhHans; messageEn = a.message.en
    }
}
