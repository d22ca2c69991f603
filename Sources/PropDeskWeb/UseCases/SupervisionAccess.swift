import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and do what with the supervisor's records (SEC-2; FLD-1, FLD-2, FLD-5 … FLD-7):
/// the one path for the API and the pages. A supervisor reaches their own areas and their own
/// logs; the CS manager and the center head the whole community; the front desk the call list.
/// Anything outside the caller's reach is "not found".
enum SupervisionAccess {
    /// Who may read visit records and quotas: supervisors (their areas), the CS manager, the
    /// head, the desk (for spot checks).
    static let visitReaders: [Permission] = [.visitHouseholds, .superviseAreas, .spotCheckVisits]

    /// The community and the caller's areas in it, for the first of `permissions` they hold.
    static func community(_ raw: String, _ permissions: [Permission], _ req: Request, wholeCommunity: Bool = false) throws -> (UUID, Set<UUID>?) {
        let (_, policy) = try req.requireStaff()
        guard let p = permissions.first(where: policy.has) else { throw DomainError.forbidden }
        return try Scoped.community(raw, p, req, wholeCommunity: wholeCommunity)
    }

    // MARK: Visits (FLD-5)

    static func recordVisit(community raw: String, _ input: VisitStore.VisitInput, _ req: Request) async throws -> VisitStore.Recorded {
        let (community, areas) = try Scoped.community(raw, .visitHouseholds, req)
        return try await req.store.visits.record(input, community: community, areas: areas, by: req.actor)
    }

    static func visit(_ raw: String, _ req: Request) async throws -> HouseholdVisit {
        let (_, policy) = try req.requireStaff()
        guard visitReaders.contains(where: policy.has) else { throw DomainError.forbidden }
        guard let id = UUID(uuidString: raw), let v = try await req.store.visits.visit(id),
              policy.canSee(community: v.communityID, area: v.areaID) else { throw DomainError.notFound(Noun.householdVisit) }
        return v
    }

    // MARK: Logs (FLD-6)

    /// A log the caller may read: their own, one handed over to them, or — for the CS manager
    /// and the head — any of the community.
    static func log(_ raw: String, _ req: Request) async throws -> WorkLog {
        let (p, policy) = try req.requireStaff()
        guard let id = UUID(uuidString: raw), let log = try await req.store.workLogs.log(id) else { throw DomainError.notFound(Noun.workLog) }
        if log.supervisorID == p.userID, policy.has(.visitHouseholds) { return log }
        if policy.has(.superviseAreas), policy.canSee(community: log.communityID, area: log.areaID) { return log }
        if policy.has(.visitHouseholds), try await req.store.workLogs.handovers(log: log.id).contains(where: { $0.toID == p.userID }) { return log }
        throw DomainError.notFound(Noun.workLog)
    }

    /// Writes in a log: the supervisor in their own (note, issue, handover), the CS manager a review.
    static func write(_ raw: String, kind: WorkLogEntryKind, text: String, to: UUID?, entryID: UUID?, _ req: Request) async throws -> TimelineEntry {
        let log = try await log(raw, req)
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(kind == .review ? .superviseAreas : .visitHouseholds)
        return try await req.store.workLogs.write(kind, text, in: log.id, handoverTo: to, entryID: entryID ?? UUID(), by: req.actor)
    }

    /// The caller's log of today (opened by writing in it).
    static func writeToday(community raw: String, kind: WorkLogEntryKind, text: String, to: UUID?, entryID: UUID?, _ req: Request) async throws -> (WorkLog, TimelineEntry) {
        let (community, _) = try Scoped.community(raw, .visitHouseholds, req)
        guard WorkLogEntryKind.written.contains(kind) else { throw DomainError.forbidden }
        // Checked before the log is opened: a refused entry leaves no empty log behind.
        _ = try Validate.text(text, field: "text", max: 2000, required: true)
        let log = try await req.store.workLogs.today(for: req.actor, community: community)
        return (log, try await req.store.workLogs.write(kind, text, in: log.id, handoverTo: to, entryID: entryID ?? UUID(), by: req.actor))
    }

    // MARK: Tables and cards (FLD-1, FLD-2)

    /// A table the caller may read (every staff member of the community may: it is public).
    static func table(_ raw: String, _ req: Request) async throws -> AssignmentTable {
        let (_, policy) = try req.requireStaff()
        guard let id = UUID(uuidString: raw), let t = try await req.store.assignments.table(id),
              policy.reach(t.communityID) != .none else { throw DomainError.notFound(Noun.assignmentTable) }
        return t
    }

    static func draft(community raw: String, rows: [AssignmentRow], note: String, _ req: Request) async throws -> AssignmentTable {
        let (community, _) = try Scoped.community(raw, .manageAssignments, req, wholeCommunity: true)
        return try await req.store.assignments.draft(community: community, rows: rows, note: note, by: req.actor)
    }

    static func submit(_ raw: String, _ req: Request) async throws -> AssignmentTable {
        let t = try await table(raw, req)
        _ = try Scoped.community(t.communityID.uuidString, .manageAssignments, req, wholeCommunity: true)
        return try await req.store.assignments.submit(t.id, by: req.actor)
    }

    static func decide(_ raw: String, approve: Bool, note: String, _ req: Request) async throws -> AssignmentTable {
        let t = try await table(raw, req)
        _ = try Scoped.community(t.communityID.uuidString, .approveAssignments, req, wholeCommunity: true)
        return try await req.store.assignments.decide(t.id, approve: approve, note: note, by: req.actor)
    }

    static func card(_ raw: String, _ req: Request) async throws -> ContactCard {
        let (_, policy) = try req.requireStaff()
        guard let id = UUID(uuidString: raw), let c = try await req.store.assignments.card(id),
              policy.reach(c.communityID) != .none else { throw DomainError.notFound(Noun.contactCard) }
        return c
    }

    /// A card the caller may add the supervisor's photo to: the CS manager or the head.
    static func markCardAccess(_ raw: String, _ req: Request) async throws -> ContactCard {
        let c = try await card(raw, req)
        _ = try Scoped.community(c.communityID.uuidString, .manageAssignments, req, wholeCommunity: true)
        return c
    }

    /// Printed or posted: the CS manager, the head, or the desk (who puts notices up).
    static func markCard(_ raw: String, posted: Bool, _ req: Request) async throws -> ContactCard {
        let c = try await card(raw, req)
        _ = try community(c.communityID.uuidString, [.manageAssignments, .spotCheckVisits], req, wholeCommunity: true)
        return try await req.store.assignments.mark(c.id, posted: posted, by: req.actor)
    }

    // MARK: Supervision (FLD-7)

    static func inspect(id: UUID?, community raw: String, area: UUID, matchesLog: Bool, findings: String, photos: [EvidenceStore.Upload],
                        _ req: Request) async throws -> AreaInspection {
        let (community, areas) = try Scoped.community(raw, .superviseAreas, req)
        if let areas, !areas.contains(area) { throw DomainError.notFound(Noun.area) }
        return try await req.store.supervision.inspect(id: id ?? UUID(), community: community, area: area, matchesLog: matchesLog, findings: findings, photos: photos, by: req.actor)
    }

    static func draw(community raw: String, month: String, _ req: Request) async throws -> SupervisionStore.Draw? {
        let (community, _) = try Scoped.community(raw, .spotCheckVisits, req, wholeCommunity: true)
        guard let c = try await req.store.registry.community(community) else { throw DomainError.notFound(Noun.community) }
        _ = try MonthSummary.range(month: month, timeZone: c.timeZone)
        return try await req.store.supervision.draw(community: community, month: month, timeZone: c.timeZone, by: req.actor)
    }

    static func check(_ raw: String, _ req: Request) async throws -> SpotCheck {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.spotCheckVisits)
        guard let id = UUID(uuidString: raw), let s = try await req.store.supervision.check(id),
              policy.canSee(community: s.communityID, area: s.areaID) else { throw DomainError.notFound(Noun.spotCheck) }
        return s
    }

    static func call(_ raw: String, outcome: SpotCheckOutcome, note: String, _ req: Request) async throws -> SpotCheck {
        let s = try await check(raw, req)
        return try await req.store.supervision.call(s.id, outcome: outcome, note: note, by: req.actor)
    }

    /// The household's number for the call back: the owner's (or first occupant's), written to
    /// the audit trail with the purpose.
    static func revealForCall(_ raw: String, _ req: Request) async throws -> (name: String, phone: String) {
        let s = try await check(raw, req)
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.revealPhone)
        guard let unit = try await req.store.registry.unit(s.unitID), let who = unit.occupants.first?.person else {
            throw DomainError.conflict(code: "no_occupant", Message(zh: "该房屋没有登记住户电话", en: "No occupant with a phone is registered for this unit"))
        }
        let (phone, _) = try await req.store.registry.reveal(person: who.id, phone: true, idNumber: false, by: req.actor)
        return (who.name, phone ?? "")
    }
}
