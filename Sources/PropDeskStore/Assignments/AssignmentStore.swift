import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Assignment tables (FLD-1, S2 3.2, 4.1.1), the staff changes that call for a new one and the
/// lobby contact cards each approved table issues (FLD-2, S2 4.1.2). The caller has decided the
/// actor may act in the community.
public struct AssignmentStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { db as! any SQLDatabase }

    // MARK: Tables

    public func table(_ id: UUID) async throws -> AssignmentTable? { try await AssignmentTableModel.find(id, on: db)?.domain }

    /// Every version of a community's table, newest first.
    public func tables(community: UUID) async throws -> [AssignmentTable] {
        try await AssignmentTableModel.query(on: db).filter(\.$communityID == community).sort(\.$version, .descending).all().map(\.domain)
    }

    /// The approved table in force: the newest approved version.
    public func inForce(community: UUID) async throws -> AssignmentTable? {
        try await AssignmentTableModel.query(on: db).filter(\.$communityID == community).filter(\.$status == AssignmentStatus.approved.rawValue)
            .sort(\.$version, .descending).first()?.domain
    }

    /// What a new draft starts from: the table in force, or — for the first table — the
    /// registry: each area's supervisor from the accounts, its households (residential and
    /// commercial units) and its key spots from the patrol checkpoints.
    public func proposal(community: UUID) async throws -> [AssignmentRow] {
        let areas = try await AreaModel.query(on: db).filter(\.$communityID == community).sort(\.$name).all()
        let current = try await inForce(community: community)
        let supervisors = try await self.supervisors(community: community)
        let counts = try await households(community: community)
        let spots = try await CheckpointModel.query(on: db).filter(\.$communityID == community).filter(\.$keySpot == true).filter(\.$retiredAt == nil).all()
        var rows: [AssignmentRow] = []
        for a in areas {
            guard let id = a.id else { continue }
            if var r = current?.row(area: id) {
                r.areaName = a.name
                r.households = counts[id] ?? r.households
                rows.append(r)
                continue
            }
            let own = supervisors.filter { $0.areas.contains(id) }
            guard let s = own.first ?? supervisors.first else { continue }
            let standIn = supervisors.first { $0.id != s.id }
            rows.append(AssignmentRow(areaID: id, areaName: a.name, supervisorID: s.id, supervisorName: s.name, standInID: standIn?.id,
                                      standInName: standIn?.name ?? "", mobile: s.phone, workPhone: "", households: counts[id] ?? 0,
                                      keySpots: spots.filter { $0.areaID == id }.map(\.name).sorted().joined(separator: "、")))
        }
        return rows
    }

    /// The community's active area supervisors: who may be named in a table.
    public struct Supervisor: Sendable, Equatable {
        public let id: UUID
        public let name: String
        public let phone: String
        /// The areas their account reaches.
        public let areas: Set<UUID>
    }

    public func supervisors(community: UUID) async throws -> [Supervisor] {
        let scopes = try await UserScopeModel.query(on: db).filter(\.$communityID == community).all()
        let users = try await UserModel.query(on: db).filter(\.$id ~~ Set(scopes.map(\.userID))).filter(\.$role == Role.areaSupervisor.rawValue)
            .filter(\.$active == true).sort(\.$displayName).all()
        return users.compactMap { u in
            guard let id = u.id else { return nil }
            return Supervisor(id: id, name: u.displayName, phone: u.phone ?? "", areas: Set(scopes.filter { $0.userID == id }.compactMap(\.areaID)))
        }
    }

    /// Households per area: the residential and commercial units of its buildings.
    public func households(community: UUID) async throws -> [UUID: Int] {
        var out: [UUID: Int] = [:]
        for r in try await sql.raw("""
            SELECT area_id, COUNT(*) AS n FROM units WHERE community_id = \(bind: community) AND area_id IS NOT NULL AND kind <> 'parking' GROUP BY area_id
            """).all() {
            out[try r.decode(column: "area_id", as: UUID.self)] = try r.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// A new version, drafted by the CS manager. Each row must name an area of the community
    /// and active area supervisors of it; names are taken from the accounts.
    public func draft(community: UUID, rows input: [AssignmentRow], note: String, by actor: Actor) async throws -> AssignmentTable {
        var rows = try AssignmentTable.check(input)
        let note = try Validate.text(note, field: "note", max: 500, required: false)
        let areas = Dictionary(uniqueKeysWithValues: try await AreaModel.query(on: db).filter(\.$communityID == community).all().compactMap { a in a.id.map { ($0, a.name) } })
        let people = Dictionary(uniqueKeysWithValues: try await supervisors(community: community).map { ($0.id, $0) })
        for i in rows.indices {
            guard let name = areas[rows[i].areaID] else { throw DomainError.notFound(Noun.area) }
            rows[i].areaName = name
            guard let s = people[rows[i].supervisorID] else {
                throw DomainError.invalid(field: "supervisorId", Message(zh: "\(name):区域客户主任须是本小区在职的区域客户主任", en: "\(name): the supervisor must be an active area supervisor of this community"))
            }
            rows[i].supervisorName = s.name
            if let stand = rows[i].standInID {
                guard let p = people[stand] else {
                    throw DomainError.invalid(field: "standInId", Message(zh: "\(name):顶岗人须是本小区在职的区域客户主任", en: "\(name): the stand-in must be an active area supervisor of this community"))
                }
                rows[i].standInName = p.name
            } else {
                rows[i].standInName = ""
            }
        }
        let at = now()
        let table = rows
        return try await db.writeTransaction { tx in
            let last = try await AssignmentTableModel.query(on: tx).filter(\.$communityID == community).max(\.$version) ?? 0
            let t = AssignmentTable(communityID: community, version: last + 1, rows: table, note: note, draftedByID: actor.userID, draftedBy: actor.name, draftedAt: at)
            try await AssignmentTableModel(t).create(on: tx)
            try await TimelineStore(db: tx).append([Self.entry(t, "drafted", actor, at, note: note.isEmpty ? nil : note, data: ["version": String(t.version)])])
            return t
        }
    }

    /// The CS manager hands a draft (or a returned one) to the center head.
    public func submit(_ id: UUID, by actor: Actor) async throws -> AssignmentTable {
        try await change(id, from: [.draft, .returned], by: actor) { t, at in
            t.status = .submitted
            t.submittedAt = at
            return ("submitted", nil)
        }
    }

    /// The center head approves (the table is in force from now; the one before is superseded;
    /// open staff changes are settled; a card is issued for every area whose card changes) or
    /// returns it with a reason.
    public func decide(_ id: UUID, approve: Bool, note raw: String, by actor: Actor) async throws -> AssignmentTable {
        let note = try Validate.text(raw, field: "note", max: 500, required: !approve)
        let now = self.now
        return try await change(id, from: [.submitted], by: actor) { t, at in
            t.decidedByID = actor.userID
            t.decidedBy = actor.name
            t.decidedAt = at
            t.decisionNote = note.isEmpty ? nil : note
            t.status = approve ? .approved : .returned
            return (approve ? "approved" : "returned", note.isEmpty ? nil : note)
        } after: { t, tx, at in
            guard approve else { return }
            let store = AssignmentStore(db: tx, now: now)
            try await store.putInForce(t, at: at)
        }
    }

    private func change(_ id: UUID, from: Set<AssignmentStatus>, by actor: Actor,
                        _ body: @escaping @Sendable (inout AssignmentTable, Date) throws -> (String, String?),
                        after: (@Sendable (AssignmentTable, any Database, Date) async throws -> Void)? = nil) async throws -> AssignmentTable {
        let at = now()
        return try await db.writeTransaction { tx in
            guard var t = try await tx.lockedFind(AssignmentTableModel.self, id)?.domain else { throw DomainError.notFound(Noun.assignmentTable) }
            guard from.contains(t.status) else {
                throw DomainError.conflict(code: "assignment_status", Message(zh: "此分配表当前为「\(t.status.title.zhHans)」,不能这样操作",
                                                                               en: "This table is \(t.status.title.en.lowercased()): that step does not apply"))
            }
            let (kind, note) = try body(&t, at)
            try await AssignmentTableModel.query(on: tx).filter(\.$id == id).set(\.$status, to: t.status.rawValue).set(\.$submittedAt, to: t.submittedAt)
                .set(\.$decidedByID, to: t.decidedByID).set(\.$decidedBy, to: t.decidedBy).set(\.$decidedAt, to: t.decidedAt)
                .set(\.$decisionNote, to: t.decisionNote).update()
            try await TimelineStore(db: tx).append([Self.entry(t, kind, actor, at, note: note, data: ["status": t.status.rawValue])])
            try await after?(t, tx, at)
            return t
        }
    }

    /// An approved table comes into force: the one before is superseded, open staff changes of
    /// the community are settled by it, and each area whose card face changed gets a new card
    /// to post within three days (S2 4.1.2) with its deadline clock.
    func putInForce(_ t: AssignmentTable, at: Date) async throws {
        try await AssignmentTableModel.query(on: db).filter(\.$communityID == t.communityID).filter(\.$status == AssignmentStatus.approved.rawValue)
            .filter(\.$id != t.id).set(\.$status, to: AssignmentStatus.superseded.rawValue).update()
        let open = try await StaffChangeModel.query(on: db).filter(\.$communityID == t.communityID).filter(\.$resolvedAt == nil).all()
        for c in open {
            c.resolvedAt = at
            c.resolvedByTableID = t.id
            try await c.update(on: db)
            try await ClockRows.stopDeadline(.staffChange, c.id!, community: c.communityID, at: at, on: db)
            try await TimelineStore(db: db).append([TimelineEntry(subjectKind: .staffChange, subjectID: c.id!, communityID: t.communityID, seq: 0, kind: "resolved",
                                                                  actorID: nil, actorName: t.decidedBy ?? "", at: at, note: nil,
                                                                  data: ["table": t.id.uuidString, "version": String(t.version)])])
        }
        let cards = try await latestCards(community: t.communityID)
        for row in t.rows where cards[row.areaID]?.cardFace != row.cardFace {
            let card = ContactCard(communityID: t.communityID, areaID: row.areaID, areaName: row.areaName, tableID: t.id, supervisorID: row.supervisorID,
                                   supervisorName: row.supervisorName, mobile: row.mobile, workPhone: row.workPhone, issuedAt: at,
                                   dueAt: at.addingTimeInterval(TimeInterval(ContactCard.daysToPost * 86400)))
            try await ContactCardModel(card).create(on: db)
            try await ClockRows.startDeadline(.contactCard, card.id, community: t.communityID, from: at, due: card.dueAt, on: db)
        }
    }

    static func entry(_ t: AssignmentTable, _ kind: String, _ actor: Actor, _ at: Date, note: String?, data: [String: String]) -> TimelineEntry {
        TimelineEntry(subjectKind: .assignmentTable, subjectID: t.id, communityID: t.communityID, seq: 0, kind: kind, actorID: actor.userID,
                      actorName: actor.name, at: at, note: note, data: data)
    }

    static func subject(_ t: AssignmentTable) -> SubjectRef {
        SubjectRef(kind: .assignmentTable, id: t.id, communityID: t.communityID, areaID: nil, label: "分配表 V\(t.version)")
    }

    // MARK: Staff changes (S2 4.1.1)

    /// Called inside an account change: if the account is named in a table in force and it was
    /// deactivated, moved to other areas or given another role, a staff change is recorded per
    /// community, due three working days later by the contract's calendar, with its clock.
    func noteStaffChange(before: UserAccount, after: UserAccount, at: Date) async throws {
        let kind: StaffChange.Kind
        if before.active && !after.active { kind = .deactivated }
        else if before.role != after.role { kind = .roleChanged }
        else if Set(before.scopes) != Set(after.scopes) { kind = .moved }
        else { return }
        for community in Set(before.scopes.map(\.communityID)) {
            guard let table = try await inForce(community: community) else { continue }
            let named = table.rows.contains { $0.supervisorID == before.id || $0.standInID == before.id }
            guard named else { continue }
            if kind == .moved {
                // Still reaching every area they are named for: nothing changed for the table.
                let reach = Set(after.scopes.filter { $0.communityID == community }.map(\.areaID))
                let needed = table.rows.filter { $0.supervisorID == before.id || $0.standInID == before.id }.map { Optional($0.areaID) }
                if reach.contains(nil) || needed.allSatisfy(reach.contains) { continue }
            }
            let hours = try await WorkOrderStore(db: db, now: now, outbox: false).contract(community: community).hours
            let due = WorkingDays(hours).endOfWorkingDay(StaffChange.workingDays, after: at)
            let change = StaffChange(communityID: community, userID: before.id, userName: before.displayName, kind: kind, at: at, dueAt: due)
            try await StaffChangeModel(change).create(on: db)
            try await ClockRows.startDeadline(.staffChange, change.id, community: community, from: at, due: due, on: db)
            try await TimelineStore(db: db).append([TimelineEntry(subjectKind: .staffChange, subjectID: change.id, communityID: community, seq: 0,
                                                                  kind: "recorded", actorID: nil, actorName: DutyStore.system.name, at: at,
                                                                  note: "\(before.displayName):\(kind.title.zhHans)",
                                                                  data: ["user": before.id.uuidString, "kind": kind.rawValue])])
        }
    }

    public func staffChanges(community: UUID, from: Date? = nil, until: Date? = nil) async throws -> [StaffChange] {
        let q = StaffChangeModel.query(on: db).filter(\.$communityID == community)
        if let from { q.filter(\.$dueAt >= from) }
        if let until { q.filter(\.$at < until) }
        return try await q.sort(\.$at, .descending).limit(500).all().map(\.domain)
    }

    public func staffChange(_ id: UUID) async throws -> StaffChange? { try await StaffChangeModel.find(id, on: db)?.domain }

    // MARK: Contact cards (FLD-2, S2 4.1.2)

    /// The newest card of each area.
    public func latestCards(community: UUID) async throws -> [UUID: ContactCard] {
        var out: [UUID: ContactCard] = [:]
        for c in try await ContactCardModel.query(on: db).filter(\.$communityID == community).sort(\.$issuedAt).all().map(\.domain) { out[c.areaID] = c }
        return out
    }

    public func cards(community: UUID, from: Date? = nil, until: Date? = nil) async throws -> [ContactCard] {
        let q = ContactCardModel.query(on: db).filter(\.$communityID == community)
        if let from { q.filter(\.$dueAt >= from) }
        if let until { q.filter(\.$issuedAt < until) }
        return try await q.sort(\.$issuedAt, .descending).limit(500).all().map(\.domain)
    }

    public func card(_ id: UUID) async throws -> ContactCard? { try await ContactCardModel.find(id, on: db)?.domain }

    /// Marks a card printed (the print page does it) or posted on the lobby board (the desk or
    /// the CS manager, after putting it up). Posting stops its clock. Both only once.
    public func mark(_ id: UUID, posted: Bool, by actor: Actor) async throws -> ContactCard {
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(ContactCardModel.self, id) else { throw DomainError.notFound(Noun.contactCard) }
            if posted {
                guard m.postedAt == nil else { return m.domain }
                m.postedAt = at
                m.postedBy = actor.name
                if m.printedAt == nil { m.printedAt = at }
                try await ClockRows.stopDeadline(.contactCard, id, community: m.communityID, at: at, on: tx)
            } else {
                guard m.printedAt == nil else { return m.domain }
                m.printedAt = at
            }
            try await m.update(on: tx)
            try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .contactCard, subjectID: id, communityID: m.communityID, seq: 0,
                                                                  kind: posted ? "posted" : "printed", actorID: actor.userID, actorName: actor.name, at: at,
                                                                  note: nil, data: ["area": m.areaName])])
            return m.domain
        }
    }

    public static func subject(_ c: ContactCard) -> SubjectRef {
        SubjectRef(kind: .contactCard, id: c.id, communityID: c.communityID, areaID: c.areaID, label: "联系卡 · \(c.areaName) · \(c.supervisorName)")
    }

    static func subject(_ c: StaffChange) -> SubjectRef {
        SubjectRef(kind: .staffChange, id: c.id, communityID: c.communityID, areaID: nil, label: "人员变动 · \(c.userName)")
    }
}

/// Fires the deadlines of staff changes (a new table within three working days) and of contact
/// cards (posted within three days): still open, the CS manager is alerted and the record
/// says so; a table approved or a card posted stopped its clock already.
struct AssignmentDeadlines: SubjectHandler {
    let kind: SubjectKind

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        var report = SweepReport()
        for c in clocks {
            try await ClockRows.breach(c, on: tx)
            let subject: SubjectRef?
            if kind == .staffChange {
                subject = try await StaffChangeModel.find(c.subjectID, on: tx).flatMap { $0.resolvedAt == nil ? AssignmentStore.subject($0.domain) : nil }
            } else {
                subject = try await ContactCardModel.find(c.subjectID, on: tx).flatMap { $0.postedAt == nil ? AssignmentStore.subject($0.domain) : nil }
            }
            guard let subject else {
                report.skipped += 1
                continue
            }
            let alert = Alert.about(subject, .deadlinePassed, clock: c, level: .csManager, at: at)
            try await AlertModel(alert).create(on: tx)
            try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: kind, subjectID: c.subjectID, communityID: c.communityID, seq: 0,
                                                                  kind: "deadline_passed", actorID: nil, actorName: DutyStore.system.name, at: at,
                                                                  note: alert.message.zhHans, data: ["alert": alert.kind.rawValue])])
            try await LiveEvents.publish(alert: alert, subject: subject, on: tx, at: at)
            report.fired += 1
            report.alerts += 1
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: kind, subjectID: alert.subjectID, communityID: alert.communityID, seq: 0,
                                                              kind: "acknowledged", actorID: actor.userID, actorName: actor.name, at: at,
                                                              note: alert.acknowledgeNote, data: ["alert": alert.kind.rawValue])])
    }
}
