import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Daily work logs (FLD-6, S2 4.8): opened by the first thing a supervisor records or writes in
/// a day; written to, handed over and reviewed by entries on their hash-chained timelines.
/// Each log has a review clock due at the end of the next working day of the contract's
/// calendar; a reply stops it, its expiry alerts the CS manager.
public struct WorkLogStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// The supervisor's log of the day `at` falls on, opened now if it was not yet.
    public func open(for actor: Actor, community: UUID, at: Date) async throws -> WorkLog {
        guard let user = actor.userID else { throw DomainError.forbidden }
        let days = try await WorkOrderStore(db: db, now: now, outbox: false).workingDays(community: community)
        let key = days.dayKey(at)
        if let found = try await WorkLogModel.query(on: db).filter(\.$supervisorID == user).filter(\.$day == key).first() { return found.domain }
        guard let span = days.day(key) else { throw DomainError.invalid(field: "day", Message(zh: "日期不正确", en: "Not a valid day")) }
        let table = try await AssignmentStore(db: db, now: now).inForce(community: community)
        var area = table?.areas(of: user).own.first
        if area == nil {
            area = try await UserScopeModel.query(on: db).filter(\.$userID == user).filter(\.$communityID == community).all().compactMap(\.areaID).first
        }
        let log = WorkLog(communityID: community, areaID: area, supervisorID: user, supervisorName: actor.name, day: key, dayStart: span.start, dayEnd: span.end,
                          reviewDueAt: days.endOfWorkingDay(1, after: span.start))
        let inserted = try await sql.raw("""
            INSERT INTO work_logs (id, community_id, area_id, supervisor_id, supervisor_name, day, day_start, day_end, review_due_at)
            VALUES (\(bind: log.id), \(bind: community), \(bind: log.areaID), \(bind: user), \(bind: actor.name), \(bind: key), \(bind: span.start),
                    \(bind: span.end), \(bind: log.reviewDueAt))
            ON CONFLICT DO NOTHING RETURNING id
            """).first()
        guard inserted != nil else {
            // Another request of the same person opened it a moment ago.
            guard let found = try await WorkLogModel.query(on: db).filter(\.$supervisorID == user).filter(\.$day == key).first() else {
                throw DomainError.notFound(Noun.workLog)
            }
            return found.domain
        }
        try await ClockRows.startDeadline(.workLog, log.id, community: community, from: span.start, due: log.reviewDueAt, on: db)
        try await TimelineStore(db: db).append([Self.entry(log, "opened", actor, at, note: nil, data: ["day": key])], newSubjects: true)
        return log
    }

    /// Opens the day's log when the actor is an area supervisor (a patrol visit or a household
    /// visit is the first thing of their day); others keep no log.
    func openIfSupervisor(_ actor: Actor, community: UUID, at: Date) async throws {
        guard let id = actor.userID, try await sql.select().column("role").from(UserModel.schema).where("id", .equal, id).first()?
                .decode(column: "role", as: String.self) == Role.areaSupervisor.rawValue else { return }
        // Open already (the day's first record opened it): one plain read, no model.
        let key = try await WorkOrderStore(db: db, now: now, outbox: false).workingDays(community: community).dayKey(at)
        guard try await sql.select().column("id").from(WorkLogModel.schema).where("community_id", .equal, community).where("supervisor_id", .equal, id)
                .where("day", .equal, key).first() == nil
        else { return }
        _ = try await open(for: actor, community: community, at: at)
    }

    /// Opens the caller's log for today in a transaction of its own.
    public func today(for actor: Actor, community: UUID) async throws -> WorkLog {
        let at = now()
        let now = self.now
        return try await db.writeTransaction { tx in try await WorkLogStore(db: tx, now: now).open(for: actor, community: community, at: at) }
    }

    public func log(_ id: UUID) async throws -> WorkLog? { try await WorkLogModel.find(id, on: db)?.domain }

    public func log(supervisor: UUID, day: String) async throws -> WorkLog? {
        try await WorkLogModel.query(on: db).filter(\.$supervisorID == supervisor).filter(\.$day == day).first()?.domain
    }

    /// Logs of a community whose day began in [from, until), newest first.
    public func logs(community: UUID, areas: Set<UUID>?, supervisor: UUID? = nil, from: Date, until: Date, limit: Int = 2000) async throws -> [WorkLog] {
        let q = WorkLogModel.query(on: db).filter(\.$communityID == community).filter(\.$dayStart >= from).filter(\.$dayStart < until)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        if let supervisor { q.filter(\.$supervisorID == supervisor) }
        return try await q.sort(\.$dayStart, .descending).sort(\.$supervisorName).limit(limit).all().map(\.domain)
    }

    /// Logs whose day is over and that nobody has replied to yet: the CS manager's queue,
    /// the most overdue first.
    public func toReview(community: UUID, areas: Set<UUID>?) async throws -> [WorkLog] {
        let q = WorkLogModel.query(on: db).filter(\.$communityID == community).filter(\.$reviewedAt == nil).filter(\.$dayEnd <= now())
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        return try await q.sort(\.$reviewDueAt).limit(500).all().map(\.domain)
    }

    public func entries(_ log: WorkLog) async throws -> [TimelineEntry] { try await TimelineStore(db: db).entries(.workLog, log.id) }

    /// A handover to a stand-in (S2 4.8.2): both see it, in the giver's log and on the stand-in's page.
    public struct Handover: Sendable {
        public let logID: UUID
        public let fromName: String
        public let toID: UUID
        public let toName: String
        public let at: Date
        public let items: String
    }

    public func handovers(to user: UUID, since: Date) async throws -> [Handover] {
        try await WorkLogHandoverModel.query(on: db).filter(\.$toID == user).filter(\.$at >= since).sort(\.$at, .descending).limit(50).all()
            .map { Handover(logID: $0.logID, fromName: $0.fromName, toID: $0.toID, toName: $0.toName, at: $0.at, items: $0.items) }
    }

    public func handovers(log: UUID) async throws -> [Handover] {
        try await WorkLogHandoverModel.query(on: db).filter(\.$logID == log).sort(\.$at).all()
            .map { Handover(logID: $0.logID, fromName: $0.fromName, toID: $0.toID, toName: $0.toName, at: $0.at, items: $0.items) }
    }

    /// Writes in a log: the supervisor a note, an issue or a handover to `to` (their own log
    /// only; after the day, the entry is marked as added later); the CS manager a review
    /// reply, which settles the review clock. Nothing already written changes.
    /// `entryID` comes from the form (made when it was drawn): sent twice — a double tap, a
    /// retry — it writes once and hands back the first entry.
    public func write(_ kind: WorkLogEntryKind, _ raw: String, in logID: UUID, handoverTo to: UUID? = nil, entryID: UUID = UUID(),
                      by actor: Actor) async throws -> TimelineEntry {
        guard kind == .review || WorkLogEntryKind.written.contains(kind) else {
            throw DomainError.invalid(field: "kind", Message(zh: "只能写工作记录、问题、交接或审阅回复", en: "Write a note, an issue, a handover or a review"))
        }
        let text = try Validate.text(raw, field: "text", max: 2000, required: true)
        let at = now()
        let now = self.now
        do {
            return try await append(kind, text, in: logID, handoverTo: to, entryID: entryID, at: at, now: now, by: actor)
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The form's id is already an entry of another record (a form id reused): refused, nothing written.
            throw DomainError(.conflict, code: "entry_id_in_use", Message(zh: "该表单编号已用于其他记录,请刷新页面后重新填写",
                                                                          en: "This form's id is already used by another record; reload the page and write it again"))
        }
    }

    private func append(_ kind: WorkLogEntryKind, _ text: String, in logID: UUID, handoverTo to: UUID?, entryID: UUID, at: Date,
                        now: @escaping @Sendable () -> Date, by actor: Actor) async throws -> TimelineEntry {
        try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(WorkLogModel.self, logID) else { throw DomainError.notFound(Noun.workLog) }
            let log = m.domain
            if let first = try await TimelineStore(db: tx).entries(.workLog, log.id).first(where: { $0.id == entryID }) { return first }
            var data: [String: String] = [:]
            if kind != .review {
                guard log.supervisorID == actor.userID else {
                    throw DomainError(.forbidden, code: "not_your_log", Message(zh: "只有记录人本人可以在此记录中填写", en: "Only the supervisor writes in their own log"))
                }
                if at >= log.dayEnd { data["late"] = "1" }
            }
            if kind == .handover {
                guard let to, to != actor.userID,
                      let person = try await AssignmentStore(db: tx, now: now).supervisors(community: log.communityID).first(where: { $0.id == to }) else {
                    throw DomainError.invalid(field: "to", Message(zh: "请选择本小区在职的顶岗区域客户主任", en: "Choose an active area supervisor of this community as stand-in"))
                }
                let h = WorkLogHandoverModel()
                h.id = UUID(); h.communityID = log.communityID; h.logID = log.id; h.fromName = actor.name; h.toID = to; h.toName = person.name; h.at = at; h.items = text
                try await h.create(on: tx)
                data["to"] = person.name
            }
            if kind == .review {
                data["reviewer"] = actor.name
                if log.reviewedAt == nil {
                    m.reviewedAt = at
                    m.reviewedBy = actor.name
                    try await m.update(on: tx)
                    data["onTime"] = at <= log.reviewDueAt ? "1" : "0"
                    try await ClockRows.stopDeadline(.workLog, log.id, community: log.communityID, at: at, on: tx)
                }
            }
            var entry = Self.entry(log, kind.rawValue, actor, at, note: text, data: data)
            entry.id = entryID
            let appended = try await TimelineStore(db: tx).append([entry])
            return appended[0]
        }
    }

    /// An entry another record writes into the log of `supervisor` on the day of `at`, if
    /// that log exists (an inspection, a spot check that failed).
    func note(_ kind: WorkLogEntryKind, supervisor: UUID, community: UUID, day at: Date, text: String, by actor: Actor, time: Date,
              data: [String: String]) async throws -> WorkLog? {
        guard let timeZone = try await db.timeZone(ofCommunity: community) else { return nil }
        let key = WorkingDays(ServiceHours(timeZone: timeZone)).dayKey(at)
        guard let log = try await log(supervisor: supervisor, day: key) else { return nil }
        _ = try await TimelineStore(db: db).append([Self.entry(log, kind.rawValue, actor, time, note: text, data: data)])
        return log
    }

    /// What the day's own records say: the rounds the supervisor walked and the households
    /// visited — shown in the log, never typed again.
    public func dayRecords(_ log: WorkLog) async throws -> (rounds: [PatrolRound], visits: [HouseholdVisit]) {
        let rounds = try await PatrolRoundModel.query(on: db).filter(\.$patrollerID == log.supervisorID).filter(\.$startedAt >= log.dayStart)
            .filter(\.$startedAt < log.dayEnd).sort(\.$startedAt).all().map(\.domain)
        let visits = try await VisitStore(db: db, now: now, outbox: false).visits(community: log.communityID, areas: nil, by: log.supervisorID,
                                                                                from: log.dayStart, until: log.dayEnd)
        return (rounds, visits.reversed())
    }

    static func entry(_ log: WorkLog, _ kind: String, _ actor: Actor, _ at: Date, note: String?, data: [String: String]) -> TimelineEntry {
        TimelineEntry(subjectKind: .workLog, subjectID: log.id, communityID: log.communityID, seq: 0, kind: kind, actorID: actor.userID, actorName: actor.name,
                      at: at, note: note, data: data)
    }

    static func subject(_ log: WorkLog) -> SubjectRef {
        SubjectRef(kind: .workLog, id: log.id, communityID: log.communityID, areaID: log.areaID, label: "工作记录 · \(log.supervisorName) · \(log.day)")
    }
}

/// Fires the review deadline of a log (S2 4.8.2): not replied to by the end of the next
/// working day, it is flagged and the CS manager alerted (then the center head, by the INT-7
/// chain of duties at the month's end).
struct WorkLogReviews: SubjectHandler {
    var kind: SubjectKind { .workLog }

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        var report = SweepReport()
        for c in clocks {
            try await ClockRows.breach(c, on: tx)
            guard let log = try await tx.lockedFind(WorkLogModel.self, c.subjectID, community: c.communityID)?.domain, log.reviewedAt == nil else {
                report.skipped += 1
                continue
            }
            let subject = WorkLogStore.subject(log)
            let alert = Alert.about(subject, .deadlinePassed, clock: c, level: .csManager, at: at)
            try await AlertModel(alert).create(on: tx)
            try await TimelineStore(db: tx).append([WorkLogStore.entry(log, "review_overdue", DutyStore.system, at, note: alert.message.zhHans,
                                                                       data: ["alert": alert.kind.rawValue])])
            try await LiveEvents.publish(alert: alert, subject: subject, on: tx, at: at)
            report.fired += 1
            report.alerts += 1
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        guard let log = try await WorkLogModel.find(alert.subjectID, on: tx)?.domain else { return }
        try await TimelineStore(db: tx).append([WorkLogStore.entry(log, "acknowledged", actor, at, note: alert.acknowledgeNote, data: ["alert": alert.kind.rawValue])])
    }
}
