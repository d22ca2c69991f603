import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Supervision of the area supervisors (FLD-7, S2 4.9): the CS manager's inspections of each
/// area against its log, and the front desk's monthly call backs of a random sample of visit
/// records. The caller has decided the actor may act in the community (and area).
public struct SupervisionStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { db as! any SQLDatabase }

    // MARK: Inspections (S2 4.9.2)

    /// Records an inspection of an area, against the log its supervisor keeps today (the entry
    /// goes into that log, where the supervisor sees it); photos are evidence on it.
    /// `id` comes from the form: sent twice, the inspection is recorded once (a second one
    /// would count twice toward S2 4.9.2).
    public func inspect(id: UUID = UUID(), community: UUID, area: UUID, matchesLog: Bool, findings raw: String, photos: [EvidenceStore.Upload],
                        by actor: Actor) async throws -> AreaInspection {
        let findings = try Validate.text(raw, field: "findings", max: 2000, required: true)
        guard let a = try await AreaModel.find(area, on: db), a.communityID == community else { throw DomainError.notFound(Noun.area) }
        if let first = try await inspection(id) { return try Self.replay(first, community: community, area: area) }
        let at = now()
        let now = self.now
        do {
            return try await record(id: id, a, community: community, area: area, matchesLog: matchesLog, findings: findings, photos: photos, by: actor, at: at, now: now)
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await inspection(id) { return try Self.replay(first, community: community, area: area) }
            throw error
        }
    }

    static func replay(_ first: AreaInspection, community: UUID, area: UUID) throws -> AreaInspection {
        guard first.communityID == community, first.areaID == area else {
            throw DomainError.conflict(code: "inspection_id_reused", Message(zh: "此表单编号已用于另一次检查", en: "This form's id was already used for another inspection"))
        }
        return first
    }

    private func record(id: UUID, _ a: AreaModel, community: UUID, area: UUID, matchesLog: Bool, findings: String, photos: [EvidenceStore.Upload],
                        by actor: Actor, at: Date, now: @escaping @Sendable () -> Date) async throws -> AreaInspection {
        try await db.writeTransaction { tx in
            let supervisor = try await AssignmentStore(db: tx, now: now).inForce(community: community)?.row(area: area)?.supervisorID
            var inspection = AreaInspection(id: id, communityID: community, areaID: area, logID: nil, inspectorID: actor.userID, inspectorName: actor.name, at: at,
                                            matchesLog: matchesLog, findings: findings)
            if let supervisor {
                let text = "\(a.name):\(matchesLog ? "与记录相符" : "与记录不符") — \(findings)"
                inspection.logID = try await WorkLogStore(db: tx, now: now).note(.inspection, supervisor: supervisor, community: community, day: at, text: text,
                                                                                by: actor, time: at, data: ["inspection": inspection.id.uuidString])?.id
            }
            try await AreaInspectionModel(inspection).create(on: tx)
            let subject = SubjectRef(kind: .areaInspection, id: inspection.id, communityID: community, areaID: area, label: "现场检查 · \(a.name)")
            _ = try await EvidenceStore(db: tx, now: now).attach(photos, to: subject, by: actor, at: at, limit: Evidence.maxPerSubject)
            try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .areaInspection, subjectID: inspection.id, communityID: community, seq: 0,
                                                                  kind: "inspected", actorID: actor.userID, actorName: actor.name, at: at, note: findings,
                                                                  data: ["area": a.name, "matchesLog": matchesLog ? "1" : "0"])])
            return inspection
        }
    }

    public func inspection(_ id: UUID) async throws -> AreaInspection? { try await AreaInspectionModel.find(id, on: db)?.domain }

    public func inspections(community: UUID, areas: Set<UUID>?, from: Date, until: Date) async throws -> [AreaInspection] {
        let q = AreaInspectionModel.query(on: db).filter(\.$communityID == community).filter(\.$at >= from).filter(\.$at < until)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        return try await q.sort(\.$at, .descending).limit(1000).all().map(\.domain)
    }

    // MARK: Spot checks (S2 4.9.3)

    /// One area's part of a draw: the population in the order it was drawn from (visits by
    /// time, then id), the visits drawn before, and the picks.
    public struct DrawPlan: Sendable, Codable, Equatable {
        public var area: UUID
        public var population: [UUID]
        public var drawnBefore: [UUID]
        public var picked: [UUID]
    }

    public struct Draw: Sendable {
        public let id: UUID
        public let communityID: UUID
        public let month: String
        public let seed: UInt64
        public let plans: [DrawPlan]
        public let drawnAt: Date
        public let drawnBy: String

        /// Whether the same seed on the same population draws the same visits (for an auditor).
        public var reproduces: Bool {
            plans.enumerated().allSatisfy { i, p in
                SpotCheckSample.draw(population: p.population, drawn: Set(p.drawnBefore), seed: seed &+ UInt64(i)) == p.picked
            }
        }
    }

    /// Draws the month's call list: per area, enough visits not drawn before to reach ⌈10 %⌉
    /// of the month's visits so far. nil when every area has its share already.
    public func draw(community: UUID, month: String, timeZone: String, seed: UInt64 = SpotCheckSample.newSeed(), by actor: Actor) async throws -> Draw? {
        let (from, until) = try MonthSummary.range(month: month, timeZone: timeZone)
        let at = now()
        return try await db.writeTransaction { tx in
            // One draw at a time per community: two desks pressing at once draw once.
            try await tx.lockReferenceRow(CommunityModel.schema, id: community)
            let visits = try await HouseholdVisitModel.query(on: tx).filter(\.$communityID == community).filter(\.$at >= from).filter(\.$at < until)
                .sort(\.$at).sort(\.$id).all()
            let drawn = Set(try await SpotCheckModel.query(on: tx).filter(\.$visitID ~~ visits.compactMap(\.id)).all().map(\.visitID))
            var plans: [DrawPlan] = []
            // Each area draws with seed + its index, so areas do not mirror each other.
            for (area, list) in Dictionary(grouping: visits, by: \.areaID).sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                let population = list.compactMap(\.id)
                let before = population.filter(drawn.contains)
                let picked = SpotCheckSample.draw(population: population, drawn: Set(before), seed: seed &+ UInt64(plans.count))
                plans.append(DrawPlan(area: area, population: population, drawnBefore: before, picked: picked))
            }
            guard plans.contains(where: { !$0.picked.isEmpty }) else { return nil }
            let stored = plans
            let m = SpotCheckDrawModel()
            m.id = UUID(); m.communityID = community; m.month = month; m.seed = String(seed); m.plan = AuditEntry.snapshot(stored); m.drawnAt = at; m.drawnBy = actor.name
            try await m.create(on: tx)
            let byID = Dictionary(uniqueKeysWithValues: visits.map { ($0.id!, $0) })
            for plan in plans {
                for id in plan.picked {
                    guard let v = byID[id] else { continue }
                    try await SpotCheckModel(SpotCheck(drawID: m.id!, communityID: community, areaID: v.areaID, visitID: id, unitID: v.unitID,
                                                       supervisorName: v.byName, visitedAt: v.at, mode: VisitMode(rawValue: v.mode) ?? .door)).create(on: tx)
                }
            }
            try await AuditLog(db: tx).record(actor, .create, entity: "spot_check_draw", id: m.id, community: community,
                                              after: ["month": month, "seed": String(seed), "picked": String(plans.map(\.picked.count).reduce(0, +))], at: at)
            return Draw(id: m.id!, communityID: community, month: month, seed: seed, plans: stored, drawnAt: at, drawnBy: actor.name)
        }
    }

    /// The draws of a month, each with its plan (to show it reproduces).
    public func draws(community: UUID, month: String) async throws -> [Draw] {
        try await SpotCheckDrawModel.query(on: db).filter(\.$communityID == community).filter(\.$month == month).sort(\.$drawnAt).all().map { m in
            let plans = (try? JSONDecoder().decode([DrawPlan].self, from: Data(m.plan.utf8))) ?? []
            // The seed column was written by `draw` from a UInt64; anything else is not a draw of ours.
            return Draw(id: m.id!, communityID: m.communityID, month: m.month, seed: UInt64(m.seed) ?? 0, plans: plans, drawnAt: m.drawnAt, drawnBy: m.drawnBy)
        }
    }

    public func check(_ id: UUID) async throws -> SpotCheck? { try await SpotCheckModel.find(id, on: db)?.domain }

    /// The call list: checks of visits made in [from, until), of some areas, open ones first.
    public func checks(community: UUID, areas: Set<UUID>?, from: Date, until: Date) async throws -> [SpotCheck] {
        let q = SpotCheckModel.query(on: db).filter(\.$communityID == community).filter(\.$visitedAt >= from).filter(\.$visitedAt < until)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        return try await q.sort(\.$visitedAt).limit(2000).all().map(\.domain)
            .sorted { ($0.outcome?.verifies == true ? 1 : 0) < ($1.outcome?.verifies == true ? 1 : 0) }
    }

    /// The desk's call back: confirmed, did not happen (the visit stops counting and the
    /// supervisor's log of that day gets the finding), or nobody answered (call again). A
    /// settled check is not called again.
    public func call(_ id: UUID, outcome: SpotCheckOutcome, note raw: String, by actor: Actor) async throws -> SpotCheck {
        let note = try Validate.text(raw, field: "note", max: 1000, required: outcome == .notHappened)
        let at = now()
        let now = self.now
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(SpotCheckModel.self, id) else { throw DomainError.notFound(Noun.spotCheck) }
            if let done = m.outcome.flatMap(SpotCheckOutcome.init(rawValue:)), done.verifies {
                guard done == outcome else {
                    throw DomainError.conflict(code: "spot_check_done", Message(zh: "此抽查已有结果:\(done.title.zhHans)", en: "This spot check is settled already: \(done.title.en)"))
                }
                return m.domain
            }
            m.outcome = outcome.rawValue
            m.note = note
            m.calledAt = at
            m.calledBy = actor.name
            try await m.update(on: tx)
            if outcome.verifies {
                try await HouseholdVisitModel.query(on: tx).filter(\.$id == m.visitID).set(\.$checkOutcome, to: outcome.rawValue).update()
            }
            try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .householdVisit, subjectID: m.visitID, communityID: m.communityID, seq: 0,
                                                                  kind: "spot_check", actorID: actor.userID, actorName: actor.name, at: at,
                                                                  note: note.isEmpty ? nil : note, data: ["outcome": outcome.rawValue])])
            if outcome == .notHappened, let v = try await HouseholdVisitModel.find(m.visitID, on: tx), let supervisor = v.byID {
                let unit = try await RegistryStore.unitLabels([v.unitID], on: tx)[v.unitID] ?? ""
                _ = try await WorkLogStore(db: tx, now: now).note(.spotCheckFailed, supervisor: supervisor, community: v.communityID, day: v.at,
                                                                  text: "\(unit):前台回访核实,业户称未\(VisitMode(rawValue: v.mode) == .phone ? "接到电话访问" : "家访") — \(note)",
                                                                  by: actor, time: at, data: ["visit": m.visitID.uuidString, "check": id.uuidString])
            }
            return m.domain
        }
    }
}
