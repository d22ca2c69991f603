import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// The supervisor's records over JSON (FLD-1, FLD-5 … FLD-7): the same use cases as the pages.
extension APIHandler {
    /// The month asked for (this month when left out) and its range, in the community's zone.
    private func month(_ raw: String?, community: UUID, _ req: Request) async throws -> (String, Date, Date, String) {
        guard let c = try await req.store.registry.community(community) else { throw DomainError.notFound(Noun.community) }
        let month = try ReportPeriod.month(raw, timeZone: c.timeZone, now: req.application.propdesk.now())
        let (from, until) = try MonthSummary.range(month: month, timeZone: c.timeZone)
        return (month, from, until, c.timeZone)
    }

    func listHouseholdVisits(_ input: Operations.ListHouseholdVisits.Input) async throws -> Operations.ListHouseholdVisits.Output {
        let req = try RequestContext.current
        var (community, areas) = try SupervisionAccess.community(input.path.communityId, SupervisionAccess.visitReaders, req)
        if let raw = input.query.areaId {
            let a = try Parse.uuid(raw, field: "areaId")
            if let mine = areas, !mine.contains(a) { throw DomainError.notFound(Noun.area) }
            areas = [a]
        }
        let (_, from, until, _) = try await month(input.query.month, community: community, req)
        let visits = try await req.store.visits.visits(community: community, areas: areas, from: from, until: until, limit: 2000)
        return .ok(.init(body: .json(try visits.map(Self.visit))))
    }

    func recordHouseholdVisit(_ input: Operations.RecordHouseholdVisit.Input) async throws -> Operations.RecordHouseholdVisit.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let raised = try (b.raised ?? []).map { RaisedItem(kind: try convert($0.kind), text: $0.text) }
        let r = try await SupervisionAccess.recordVisit(community: input.path.communityId, .init(
            visitID: try Parse.uuid(b.visitId, field: "visitId"), unitID: try Parse.uuid(b.unitId, field: "unitId"), mode: try convert(b.mode),
            met: b.met, notes: b.notes ?? "", raised: raised), req)
        return .created(.init(body: .json(try Self.visit(r.visit))))
    }

    static func visit(_ v: HouseholdVisit) throws -> Components.Schemas.HouseholdVisit {
        .init(id: v.id.uuidString, communityId: v.communityID.uuidString, areaId: v.areaID.uuidString, unitId: v.unitID.uuidString, byName: v.byName, at: v.at,
              mode: try convert(v.mode), met: v.met, notes: v.notes, check: try v.check.map { try convert($0) },
              filed: try v.filed.map { .init(orderId: $0.orderID.uuidString, orderNumber: $0.number, kind: try convert($0.kind)) })
    }

    func getVisitQuotas(_ input: Operations.GetVisitQuotas.Input) async throws -> Operations.GetVisitQuotas.Output {
        let req = try RequestContext.current
        let (community, areas) = try SupervisionAccess.community(input.path.communityId, SupervisionAccess.visitReaders, req)
        let (month, _, _, zone) = try await month(input.query.month, community: community, req)
        let ids = try await req.store.registry.areas(community: community).map(\.id).filter { areas?.contains($0) ?? true }
        let (households, fromTable) = try await req.store.visits.households(community: community)
        let progress = try await req.store.visits.progress(community: community, areas: ids, month: month, timeZone: zone, households: households)
        return .ok(.init(body: .json(progress.map { p in
            .init(areaId: p.areaID.uuidString, households: p.quota.households, monthlyRequired: p.quota.monthly, monthVisited: p.month,
                  yearlyRequired: p.quota.yearly, yearVisited: p.year, phoneCap: p.quota.phoneCap, phoneOnlyThisYear: p.phoneYear, daysLeft: p.daysLeft,
                  fromApprovedTable: fromTable)
        })))
    }

    func listWorkLogs(_ input: Operations.ListWorkLogs.Input) async throws -> Operations.ListWorkLogs.Output {
        let req = try RequestContext.current
        let (p, policy) = try req.requireStaff()
        let (community, areas) = try SupervisionAccess.community(input.path.communityId, [.superviseAreas, .visitHouseholds], req)
        let (_, from, until, _) = try await month(input.query.month, community: community, req)
        let mine = policy.has(.superviseAreas) ? nil : p.userID
        let logs = try await req.store.workLogs.logs(community: community, areas: mine == nil ? areas : nil, supervisor: mine, from: from, until: until)
        let now = req.application.propdesk.now()
        return .ok(.init(body: .json(logs.map { l in
            .init(id: l.id.uuidString, communityId: l.communityID.uuidString, areaId: l.areaID?.uuidString, supervisorId: l.supervisorID.uuidString,
                  supervisorName: l.supervisorName, day: l.day, reviewDueAt: l.reviewDueAt, reviewedAt: l.reviewedAt, reviewedBy: l.reviewedBy,
                  reviewOverdue: l.reviewLate(at: now))
        })))
    }

    private func entryInput(_ b: Components.Schemas.NewWorkLogEntry) throws -> (WorkLogEntryKind, UUID?, UUID?) {
        guard let kind = WorkLogEntryKind(rawValue: b.kind.rawValue) else { throw DomainError.invalid(field: "kind", Message(zh: "记录类型不正确", en: "Unknown kind")) }
        return (kind, try b.to.map { try Parse.uuid($0, field: "to") }, try b.entryId.map { try Parse.uuid($0, field: "entryId") })
    }

    static func entry(_ e: TimelineEntry) -> Components.Schemas.WorkLogEntry {
        .init(seq: e.seq, kind: e.kind, actorName: e.actorName, at: e.at, text: e.note ?? "", to: e.data["to"], addedLater: e.data["late"] == "1", hash: e.hash)
    }

    func addTodaysWorkLogEntry(_ input: Operations.AddTodaysWorkLogEntry.Input) async throws -> Operations.AddTodaysWorkLogEntry.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let (kind, to, entryID) = try entryInput(b)
        let (_, e) = try await SupervisionAccess.writeToday(community: input.path.communityId, kind: kind, text: b.text, to: to, entryID: entryID, req)
        return .created(.init(body: .json(Self.entry(e))))
    }

    func listWorkLogEntries(_ input: Operations.ListWorkLogEntries.Input) async throws -> Operations.ListWorkLogEntries.Output {
        let req = try RequestContext.current
        let log = try await SupervisionAccess.log(input.path.logId, req)
        return .ok(.init(body: .json(try await req.store.workLogs.entries(log).map(Self.entry))))
    }

    func addWorkLogEntry(_ input: Operations.AddWorkLogEntry.Input) async throws -> Operations.AddWorkLogEntry.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let (kind, to, entryID) = try entryInput(b)
        return .created(.init(body: .json(Self.entry(try await SupervisionAccess.write(input.path.logId, kind: kind, text: b.text, to: to, entryID: entryID, req)))))
    }

    static func table(_ t: AssignmentTable) throws -> Components.Schemas.AssignmentTable {
        .init(id: t.id.uuidString, communityId: t.communityID.uuidString, version: t.version, status: try convert(t.status), rows: t.rows.map { r in
            .init(areaId: r.areaID.uuidString, areaName: r.areaName, supervisorId: r.supervisorID.uuidString, supervisorName: r.supervisorName,
                  standInId: r.standInID?.uuidString, standInName: r.standInName, mobile: r.mobile, workPhone: r.workPhone, households: r.households, keySpots: r.keySpots)
        }, note: t.note, draftedBy: t.draftedBy, draftedAt: t.draftedAt, submittedAt: t.submittedAt, decidedBy: t.decidedBy, decidedAt: t.decidedAt,
              decisionNote: t.decisionNote)
    }

    func listAssignmentTables(_ input: Operations.ListAssignmentTables.Input) async throws -> Operations.ListAssignmentTables.Output {
        let req = try RequestContext.current
        let (community, _) = try Scoped.community(input.path.communityId, .readUsers, req)
        return .ok(.init(body: .json(try await req.store.assignments.tables(community: community).map(Self.table))))
    }

    func draftAssignmentTable(_ input: Operations.DraftAssignmentTable.Input) async throws -> Operations.DraftAssignmentTable.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let rows = try b.rows.map { r in
            AssignmentRow(areaID: try Parse.uuid(r.areaId, field: "areaId"), areaName: "", supervisorID: try Parse.uuid(r.supervisorId, field: "supervisorId"),
                          supervisorName: "", standInID: try r.standInId.map { try Parse.uuid($0, field: "standInId") }, standInName: "", mobile: r.mobile,
                          workPhone: r.workPhone ?? "", households: r.households, keySpots: r.keySpots)
        }
        return .created(.init(body: .json(try Self.table(try await SupervisionAccess.draft(community: input.path.communityId, rows: rows, note: b.note ?? "", req)))))
    }

    func submitAssignmentTable(_ input: Operations.SubmitAssignmentTable.Input) async throws -> Operations.SubmitAssignmentTable.Output {
        let req = try RequestContext.current
        return .ok(.init(body: .json(try Self.table(try await SupervisionAccess.submit(input.path.tableId, req)))))
    }

    func decideAssignmentTable(_ input: Operations.DecideAssignmentTable.Input) async throws -> Operations.DecideAssignmentTable.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try Self.table(try await SupervisionAccess.decide(input.path.tableId, approve: b.approve, note: b.note ?? "", req)))))
    }

    func recordAreaInspection(_ input: Operations.RecordAreaInspection.Input) async throws -> Operations.RecordAreaInspection.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let i = try await SupervisionAccess.inspect(id: try b.inspectionId.map { try Parse.uuid($0, field: "inspectionId") }, community: input.path.communityId, area: try Parse.uuid(b.areaId, field: "areaId"), matchesLog: b.matchesLog,
                                                    findings: b.findings, photos: [], req)
        return .created(.init(body: .json(.init(id: i.id.uuidString, communityId: i.communityID.uuidString, areaId: i.areaID.uuidString, logId: i.logID?.uuidString,
                                                inspectorName: i.inspectorName, at: i.at, matchesLog: i.matchesLog, findings: i.findings))))
    }

    func listSpotChecks(_ input: Operations.ListSpotChecks.Input) async throws -> Operations.ListSpotChecks.Output {
        let req = try RequestContext.current
        let (community, areas) = try Scoped.community(input.path.communityId, .spotCheckVisits, req)
        let (_, from, until, _) = try await month(input.query.month, community: community, req)
        return .ok(.init(body: .json(try await req.store.supervision.checks(community: community, areas: areas, from: from, until: until).map(Self.spotCheck))))
    }

    static func spotCheck(_ s: SpotCheck) throws -> Components.Schemas.SpotCheck {
        .init(id: s.id.uuidString, areaId: s.areaID.uuidString, visitId: s.visitID.uuidString, unitId: s.unitID.uuidString, supervisorName: s.supervisorName,
              visitedAt: s.visitedAt, mode: try convert(s.mode), outcome: try s.outcome.map { try convert($0) }, note: s.note, calledAt: s.calledAt, calledBy: s.calledBy)
    }

    func drawSpotChecks(_ input: Operations.DrawSpotChecks.Input) async throws -> Operations.DrawSpotChecks.Output {
        let req = try RequestContext.current
        let (community, _) = try Scoped.community(input.path.communityId, .spotCheckVisits, req, wholeCommunity: true)
        let (month, _, _, _) = try await month(input.query.month, community: community, req)
        guard let d = try await SupervisionAccess.draw(community: input.path.communityId, month: month, req) else {
            return .ok(.init(body: .json(.init(month: month, picked: 0, reproduces: true))))
        }
        return .ok(.init(body: .json(.init(id: d.id.uuidString, month: month, seed: String(d.seed), picked: d.plans.map(\.picked.count).reduce(0, +),
                                           reproduces: d.reproduces))))
    }

    func recordSpotCheckOutcome(_ input: Operations.RecordSpotCheckOutcome.Input) async throws -> Operations.RecordSpotCheckOutcome.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try Self.spotCheck(try await SupervisionAccess.call(input.path.spotCheckId, outcome: try convert(b.outcome), note: b.note ?? "", req)))))
    }
}
