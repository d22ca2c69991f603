import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Household visits (FLD-5, S2 4.3): the records, the requests filed from them, the quotas and
/// the households not visited for longest. The caller has decided that the actor may visit
/// (or read) the areas it passes.
public struct VisitStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    let outbox: Bool
    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// One visit as the supervisor records it. `visitID` is made when the form is drawn, so a
    /// form sent twice (a double tap, a retry) saves one visit and files its requests once.
    public struct VisitInput: Sendable {
        public var visitID: UUID
        public var unitID: UUID
        public var mode: VisitMode
        public var met: String
        public var notes: String
        public var raised: [RaisedItem]

        public init(visitID: UUID, unitID: UUID, mode: VisitMode, met: String, notes: String, raised: [RaisedItem]) {
            self.visitID = visitID
            self.unitID = unitID
            self.mode = mode
            self.met = met
            self.notes = notes
            self.raised = raised
        }
    }

    public struct Recorded: Sendable {
        public let visit: HouseholdVisit
        /// false: this form was saved before and is handed back unchanged.
        public let created: Bool
    }

    /// Records a visit of a unit in one of `areas` (nil: any area of the community). Every
    /// opinion raised becomes one request of its kind, from channel 家访, linked to the visit,
    /// in the same transaction; the supervisor's log of the day is opened if it was not yet.
    public func record(_ input: VisitInput, community: UUID, areas: Set<UUID>?, by actor: Actor) async throws -> Recorded {
        let met = try Validate.text(input.met, field: "met", max: 60, required: true)
        let notes = try Validate.text(input.notes, field: "notes", max: 1000, required: false)
        guard input.raised.count <= 5 else {
            throw DomainError.invalid(field: "raised", Message(zh: "一次家访最多登记 5 条意见", en: "At most 5 opinions per visit"))
        }
        let raised = try input.raised.map { r -> RaisedItem in
            guard RaisedItem.kinds.contains(r.kind) else {
                throw DomainError.invalid(field: "raised.kind", Message(zh: "意见类别不适用于家访:\(r.kind.title.zhHans)", en: "Not a kind a visit files: \(r.kind.title.en)"))
            }
            return RaisedItem(kind: r.kind, text: try Validate.text(r.text, field: "raised.text", max: 500, required: true))
        }
        guard let unit = try await UnitModel.find(input.unitID, on: db), unit.communityID == community, let area = unit.areaID,
              areas.map({ $0.contains(area) }) ?? true else { throw DomainError.notFound(Noun.unit) }
        if let first = try await visit(input.visitID) { return try Self.replay(first, input) }
        let at = now()
        let (now, outbox) = (self.now, self.outbox)
        let label = try await RegistryStore.unitLabels([unit.id!], on: db)[unit.id!] ?? unit.roomNumber
        do {
            return try await db.writeTransaction { tx in
                var visit = HouseholdVisit(id: input.visitID, communityID: community, areaID: area, unitID: input.unitID, byID: actor.userID, byName: actor.name,
                                           at: at, mode: input.mode, met: met, notes: notes)
                try await HouseholdVisitModel(visit).create(on: tx)
                let orders = WorkOrderStore(db: tx, now: now, outbox: outbox)
                for item in raised {
                    let draft = OrderDraft(communityID: community, kind: item.kind, channel: .householdVisit, unitID: unit.id, buildingID: unit.buildingID,
                                           areaID: area, location: label, contactName: met, description: "\(item.text)(\(visit.mode.title.zhHans)反映)")
                    let order = try await orders.createInside(draft, photos: [], by: actor, at: at)
                    let filed = HouseholdVisit.Filed(orderID: order.id, number: order.number, kind: item.kind)
                    try await HouseholdVisitOrderModel(visit: visit.id, community: community, filed).create(on: tx)
                    visit.filed.append(filed)
                }
                try await TimelineStore(db: tx).append([TimelineEntry(
                    subjectKind: .householdVisit, subjectID: visit.id, communityID: community, seq: 0, kind: "recorded", actorID: actor.userID,
                    actorName: actor.name, at: at, note: notes.isEmpty ? nil : notes,
                    data: ["unit": label, "mode": visit.mode.rawValue, "met": met, "orders": visit.filed.map(\.number).joined(separator: " ")])])
                try await WorkLogStore(db: tx, now: now).openIfSupervisor(actor, community: community, at: at)
                return Recorded(visit: visit, created: true)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await visit(input.visitID) { return try Self.replay(first, input) }
            throw error
        }
    }

    static func replay(_ first: HouseholdVisit, _ input: VisitInput) throws -> Recorded {
        guard first.unitID == input.unitID else {
            throw DomainError.conflict(code: "visit_id_reused", Message(zh: "此表单编号已用于另一户的家访", en: "This form's id was already used for another household"))
        }
        return Recorded(visit: first, created: false)
    }

    public func visit(_ id: UUID) async throws -> HouseholdVisit? {
        guard let m = try await HouseholdVisitModel.find(id, on: db) else { return nil }
        return m.domain(filed: try await HouseholdVisitOrderModel.query(on: db).filter(\.$visitID == id).all().map(\.domain))
    }

    /// The visit an order was filed from, for the link back from the order.
    public func visit(order: UUID) async throws -> HouseholdVisit? {
        guard let link = try await HouseholdVisitOrderModel.query(on: db).filter(\.$orderID == order).first() else { return nil }
        return try await visit(link.visitID)
    }

    /// Visits of a community (some areas, one supervisor) in [from, until), newest first.
    public func visits(community: UUID, areas: Set<UUID>?, by: UUID? = nil, from: Date, until: Date, limit: Int = 5000) async throws -> [HouseholdVisit] {
        let q = HouseholdVisitModel.query(on: db).filter(\.$communityID == community).filter(\.$at >= from).filter(\.$at < until)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        if let by { q.filter(\.$byID == by) }
        let models = try await q.sort(\.$at, .descending).limit(limit).all()
        let filed = try await HouseholdVisitOrderModel.query(on: db).filter(\.$visitID ~~ models.compactMap(\.id)).all()
        let byVisit = Dictionary(grouping: filed, by: \.visitID)
        return models.map { $0.domain(filed: (byVisit[$0.id!] ?? []).map(\.domain)) }
    }

    /// The same visits read for counting (quotas, duties): plain rows, without their notes or
    /// the requests filed from them — a year of an area's visits in one indexed range read.
    public func facts(community: UUID, areas: Set<UUID>?, from: Date, until: Date) async throws -> [HouseholdVisit] {
        if let areas, areas.isEmpty { return [] }
        var scope: SQLQueryString = "community_id = \(bind: community) AND at >= \(bind: from) AND at < \(bind: until)"
        if let areas { scope += " AND area_id IN (\(binds: areas.map { $0 as any Encodable & Sendable }))" }
        return try await sql.raw("SELECT id, area_id, unit_id, by_id, by_name, at, mode, check_outcome FROM household_visits WHERE \(scope)").all().map { r in
            HouseholdVisit(id: try r.decode(column: "id", as: UUID.self), communityID: community, areaID: try r.decode(column: "area_id", as: UUID.self),
                           unitID: try r.decode(column: "unit_id", as: UUID.self), byID: try r.decode(column: "by_id", as: UUID?.self),
                           byName: try r.decode(column: "by_name", as: String.self), at: try r.decode(column: "at", as: Date.self),
                           mode: VisitMode(rawValue: try r.decode(column: "mode", as: String.self)) ?? .door, met: "", notes: "",
                           check: try r.decode(column: "check_outcome", as: String?.self).flatMap(SpotCheckOutcome.init(rawValue:)))
        }
    }

    /// Households per area for the quotas: the approved table's numbers (FLD-1), or — before a
    /// table is approved — the registry's.
    public func households(community: UUID) async throws -> (perArea: [UUID: Int], fromTable: Bool) {
        let assignments = AssignmentStore(db: db, now: now)
        if let t = try await assignments.inForce(community: community) {
            return (Dictionary(uniqueKeysWithValues: t.rows.map { ($0.areaID, $0.households) }), true)
        }
        return (try await assignments.households(community: community), false)
    }

    /// Progress of each area against its quotas for the month `month` ("2026-11") as of now.
    public func progress(community: UUID, areas: [UUID], month: String, timeZone: String, households: [UUID: Int]) async throws -> [VisitProgress] {
        let (from, until) = try MonthSummary.range(month: month, timeZone: timeZone)
        let year = try DutyStore.year(of: month, timeZone: timeZone)
        let at = min(now(), until)
        let visits = try await facts(community: community, areas: Set(areas), from: year.from, until: until)
        let byArea = Dictionary(grouping: visits, by: \.areaID)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let daysLeft = at >= until ? 0 : max(1, (cal.dateComponents([.day], from: cal.startOfDay(for: max(at, from)), to: until).day ?? 0))
        return areas.map { a in
            let n = VisitProgress.count(byArea[a] ?? [], monthFrom: from, monthUntil: until)
            return VisitProgress(areaID: a, quota: VisitQuota(households: households[a] ?? 0), month: n.month, year: n.year, phoneYear: n.phoneYear,
                                 daysLeft: daysLeft)
        }
    }

    /// The households of an area not visited for longest (never visited first): whom to see next.
    public func suggestions(community: UUID, area: UUID, limit: Int = 10) async throws -> [(unitID: UUID, lastVisit: Date?)] {
        let rows = try await sql.raw("""
            SELECT u.id AS id, MAX(v.at) AS last_at FROM units u LEFT JOIN household_visits v ON v.unit_id = u.id
            WHERE u.community_id = \(bind: community) AND u.area_id = \(bind: area) AND u.kind <> 'parking'
            GROUP BY u.id ORDER BY MAX(v.at) IS NOT NULL, MAX(v.at), u.id LIMIT \(unsafeRaw: String(max(1, min(limit, 50))))
            """).all()
        return try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "last_at", as: Date?.self)) }
    }

    /// The units of some areas, for the visit form's typeahead: label and id.
    public func units(community: UUID, areas: Set<UUID>?) async throws -> [(id: UUID, label: String)] {
        let q = UnitModel.query(on: db).filter(\.$communityID == community).filter(\.$kind != UnitKind.parking.rawValue)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        let ids = try await q.limit(20_000).all().compactMap(\.id)
        let labels = try await RegistryStore.unitLabels(Set(ids), on: db)
        return ids.map { ($0, labels[$0] ?? "") }.sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
    }

    static func subject(_ v: HouseholdVisit, label: String) -> SubjectRef {
        SubjectRef(kind: .householdVisit, id: v.id, communityID: v.communityID, areaID: v.areaID, label: label)
    }
}
