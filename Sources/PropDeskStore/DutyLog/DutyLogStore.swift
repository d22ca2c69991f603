import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The front desk's duty log (FD-3) and shift handovers (FD-4). The log has no update and no
/// delete — not here, not in any route: an entry is appended to the day's hash-chained
/// timeline, a correction is another entry naming the one it corrects. The caller has decided
/// the actor may act at the community's desk.
public struct DutyLogStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// The community's log of the day `at` falls on, opened now if it was not yet, with the
    /// clock that waits for the CS manager's signature (the end of the next working day).
    func open(community: UUID, at: Date) async throws -> DutyLogDay {
        let days = try await WorkOrderStore(db: db, now: now, outbox: false).workingDays(community: community)
        let key = days.dayKey(at)
        if let found = try await DutyLogDayModel.query(on: db).filter(\.$communityID == community).filter(\.$day == key).first() { return found.domain }
        guard let span = days.day(key) else { throw DomainError.invalid(field: "day", Message(zh: "日期不正确", en: "Not a valid day")) }
        let log = DutyLogDay(communityID: community, day: key, dayStart: span.start, dayEnd: span.end, signDueAt: days.endOfWorkingDay(1, after: span.start))
        let inserted = try await sql.raw("""
            INSERT INTO duty_log_days (id, community_id, day, day_start, day_end, sign_due_at)
            VALUES (\(bind: log.id), \(bind: community), \(bind: key), \(bind: span.start), \(bind: span.end), \(bind: log.signDueAt))
            ON CONFLICT DO NOTHING RETURNING id
            """).first()
        guard inserted != nil else {
            guard let found = try await DutyLogDayModel.query(on: db).filter(\.$communityID == community).filter(\.$day == key).first() else {
                throw DomainError.notFound(Noun.dutyLog)
            }
            return found.domain
        }
        try await ClockRows.startDeadline(.dutyLogDay, log.id, community: community, from: span.start, due: log.signDueAt, on: db)
        return log
    }

    /// Appends an entry to today's log; with `corrects`, a correction of that entry of the same
    /// day (the original stays as it was). `entryID` comes from the form: sent twice, it is
    /// written once.
    public func write(community: UUID, text raw: String, shift: DeskShift, corrects: Int? = nil, entryID: UUID = UUID(), by actor: Actor) async throws -> TimelineEntry {
        let text = try Validate.text(raw, field: "text", max: 2000, required: true)
        // Sent again (a retry, perhaps after midnight): the entry as first written.
        if let sent = try await TimelineStore(db: db).entry(entryID, of: .dutyLogDay) {
            guard sent.communityID == community else { throw Self.idReused }
            return sent
        }
        do {
            return try await append(community: community, text: text, shift: shift, corrects: corrects, entryID: entryID, by: actor)
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The id is another record's (PostgreSQL's key of every entry is its id and community).
            throw Self.idReused
        }
    }

    static let idReused = DomainError.conflict(code: "entry_id_reused", Message(zh: "此表单编号已用于另一条记录", en: "This form's id was already used for another record"))

    private func append(community: UUID, text: String, shift: DeskShift, corrects: Int?, entryID: UUID, by actor: Actor) async throws -> TimelineEntry {
        let at = now()
        let now = self.now
        return try await db.writeTransaction { tx in
            let log = try await DutyLogStore(db: tx, now: now).open(community: community, at: at)
            _ = try await tx.lockRows(DutyLogDayModel.schema, community: community, ids: [log.id], skipLocked: false)
            let timeline = TimelineStore(db: tx)
            let existing = try await timeline.entries(.dutyLogDay, log.id)
            if let first = existing.first(where: { $0.id == entryID }) { return first }
            var data = ["shift": shift.rawValue]
            if let corrects {
                guard existing.contains(where: { $0.seq == corrects && ($0.kind == "entry" || $0.kind == "correction") }) else {
                    throw DomainError.invalid(field: "corrects", Message(zh: "今天的值班日志没有第 \(corrects) 条记录", en: "Today's log has no entry \(corrects)"))
                }
                data["corrects"] = String(corrects)
            }
            var entry = TimelineEntry(subjectKind: .dutyLogDay, subjectID: log.id, communityID: community, seq: 0, kind: corrects == nil ? "entry" : "correction",
                                      actorID: actor.userID, actorName: actor.name, at: at, note: text, data: data)
            entry.id = entryID
            return try await timeline.append([entry])[0]
        }
    }

    public func day(_ id: UUID) async throws -> DutyLogDay? { try await DutyLogDayModel.find(id, on: db)?.domain }

    public func day(community: UUID, key: String) async throws -> DutyLogDay? {
        try await DutyLogDayModel.query(on: db).filter(\.$communityID == community).filter(\.$day == key).first()?.domain
    }

    public func days(community: UUID, from: Date, until: Date) async throws -> [DutyLogDay] {
        try await DutyLogDayModel.query(on: db).filter(\.$communityID == community).filter(\.$dayStart >= from).filter(\.$dayStart < until)
            .sort(\.$dayStart, .descending).all().map(\.domain)
    }

    public func entries(_ day: DutyLogDay) async throws -> [DutyLogEntry] {
        try await TimelineStore(db: db).entries(.dutyLogDay, day.id).compactMap(DutyLogEntry.init)
    }

    /// The CS manager checks and signs a day's log once the day is over (S4 4.8); once.
    public func sign(_ id: UUID, note raw: String, by actor: Actor) async throws -> DutyLogDay {
        let note = try Validate.text(raw, field: "note", max: 500, required: false)
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(DutyLogDayModel.self, id) else { throw DomainError.notFound(Noun.dutyLog) }
            guard m.signedAt == nil else { return m.domain }
            guard at >= m.dayEnd else {
                throw DomainError.conflict(code: "day_not_over", Message(zh: "当天的值班日志要到次日才能签字确认", en: "A day's log is signed once the day is over"))
            }
            m.signedAt = at
            m.signedBy = actor.name
            try await m.update(on: tx)
            try await ClockRows.stopDeadline(.dutyLogDay, id, community: m.communityID, at: at, on: tx)
            _ = try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .dutyLogDay, subjectID: id, communityID: m.communityID, seq: 0, kind: "signed",
                                                                      actorID: actor.userID, actorName: actor.name, at: at, note: note.isEmpty ? nil : note,
                                                                      data: ["onTime": at <= m.signDueAt ? "1" : "0"])])
            return m.domain
        }
    }

    // MARK: Handovers (FD-4)

    /// The outgoing person hands the desk over: assets counted, open items, anomalies. Items
    /// they finished are marked resolved; an important one still open must be taken over by the
    /// incoming person for the handover to complete.
    /// `id` is the form's own: a handover sent twice (a double click, a retry) is stored once.
    public func handOver(community: UUID, shift: DeskShift, assets: [ShiftHandover.AssetCheck], items: [ShiftHandover.OpenItem], anomalies: String,
                         id: UUID = UUID(), by actor: Actor) async throws -> ShiftHandover {
        let (a, checked, n) = try ShiftHandover.check(assets: assets, items: items, anomalies: anomalies)
        if let sent = try await handover(id) {
            guard sent.communityID == community else { throw DomainError.notFound(Noun.handover) }
            return sent
        }
        // Only the incoming person takes an item over.
        let i = checked.map { ShiftHandover.OpenItem(text: $0.text, important: $0.important, resolved: $0.resolved) }
        let at = now()
        let h = ShiftHandover(id: id, communityID: community, shift: shift, fromID: actor.userID, fromName: actor.name, assets: a, items: i, anomalies: n, handedAt: at)
        do {
            try await db.writeTransaction { tx in
                try await ShiftHandoverModel(h).create(on: tx)
                _ = try await TimelineStore(db: tx).append([Self.entry(h, "handed_over", actor, at, data: ["items": String(h.items.count),
                                                                                                         "assetsMissing": String(h.assets.filter { !$0.ok }.count)])])
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // Sent twice at once: the first one stands.
            guard let sent = try await handover(id), sent.communityID == community else { throw error }
            return sent
        }
        return h
    }

    /// The incoming person takes the desk: they confirm (signed in as themselves) and take
    /// over, by position, the important items still open that they will carry. A handover with
    /// an important item neither finished nor taken over is refused, naming it.
    public func take(_ id: UUID, carryOver: Set<Int>, by actor: Actor) async throws -> ShiftHandover {
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(ShiftHandoverModel.self, id) else { throw DomainError.notFound(Noun.handover) }
            var h = m.domain
            if h.takenAt != nil { return h }
            guard h.fromID != actor.userID else {
                throw DomainError.conflict(code: "handover_self", Message(zh: "接班人须是另一位值班人员", en: "The incoming person must be someone else"))
            }
            for k in carryOver where h.items.indices.contains(k) && !h.items[k].resolved { h.items[k].carriedOverBy = actor.name }
            if let blocking = h.items.first(where: \.blocks) {
                throw DomainError.conflict(code: "important_item_open", Message(
                    zh: "重要事项未完成,不能完成交接班:\(blocking.text)(请交班人处理完毕,或由接班人勾选“接手”)",
                    en: "An important item is not finished: \(blocking.text) (finish it first, or the incoming person takes it over)"))
            }
            h.toID = actor.userID
            h.toName = actor.name
            h.takenAt = at
            m.toID = h.toID; m.toName = h.toName; m.takenAt = at; m.items = AuditEntry.snapshot(h.items)
            try await m.update(on: tx)
            _ = try await TimelineStore(db: tx).append([Self.entry(h, "taken_over", actor, at, data: ["carried": String(h.items.filter { $0.carriedOverBy != nil }.count)])])
            return h
        }
    }

    public func handover(_ id: UUID) async throws -> ShiftHandover? { try await ShiftHandoverModel.find(id, on: db)?.domain }

    /// The handovers still waiting for the incoming person, and the latest taken ones.
    public func handovers(community: UUID, limit: Int = 20) async throws -> [ShiftHandover] {
        try await ShiftHandoverModel.query(on: db).filter(\.$communityID == community).sort(\.$handedAt, .descending).limit(limit).all().map(\.domain)
    }

    static func entry(_ h: ShiftHandover, _ kind: String, _ actor: Actor, _ at: Date, data: [String: String]) -> TimelineEntry {
        TimelineEntry(subjectKind: .shiftHandover, subjectID: h.id, communityID: h.communityID, seq: 0, kind: kind, actorID: actor.userID, actorName: actor.name,
                      at: at, note: nil, data: data)
    }
}
