import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Writes fired clocks back (PLT-2): what firing changes — level, breach, stop, next firing; a
/// fired clock is never paused, so nothing else moves — for a whole batch in a few statements
/// (one per 100 clocks of a community, each column a CASE on the id) instead of one statement
/// per clock. Every statement names the clocks' community (RUN-5), and finds its clocks by
/// their subject (`identified`).
enum ClockRows {
    /// `subject_id IN (…) AND id IN (…)`: clocks named by their subjects first. SQLite keeps
    /// clocks in the order of `(subject_id, id)` (migration 0036) with no index of the id alone:
    /// there the id is written `+id`, a condition on each of the subjects' few clocks that
    /// cannot choose an index (with both as keys SQLite would probe every pair). PostgreSQL finds
    /// them by its primary key `(community_id, id)`.
    static func identified(_ clocks: some Collection<SLAClock>, on db: any Database) -> SQLQueryString {
        identified(subjects: clocks.map(\.subjectID), ids: clocks.map(\.id), on: db)
    }

    /// One clock: its community (RUN-5), its subject and its id — the table's key on SQLite.
    static func identified(_ c: SLAClock) -> SQLQueryString {
        "community_id = \(bind: c.communityID) AND subject_id = \(bind: c.subjectID) AND id = \(bind: c.id)"
    }

    static func identified(subjects: [UUID], ids: [UUID], on db: any Database) -> SQLQueryString {
        let subjects = Array(Set(subjects)).map { $0 as any Encodable & Sendable }
        return "subject_id IN (\(binds: subjects)) AND \(unsafeRaw: db.isPostgres ? "id" : "+id") IN (\(binds: ids.map { $0 as any Encodable & Sendable }))"
    }

    /// A deadline on a record (a log's review, a card's posting, a violation's correction): one
    /// clock from `from` to `due`, fired once by the subject kind's handler.
    static func startDeadline(_ kind: SubjectKind, _ id: UUID, community: UUID, from: Date, due: Date, on db: any Database) async throws {
        let clock = SLAClock(subjectKind: kind, subjectID: id, communityID: community, kind: .deadline, round: 1,
                             targetSeconds: max(0, Int(due.timeIntervalSince(from))), serviceHoursOnly: false, startedAt: from, dueAt: due, nextFireAt: due)
        try await SLAClockModel(clock).create(on: db)
    }

    /// The record was settled in time (reviewed, posted, corrected): its running deadline stops.
    static func stopDeadline(_ kind: SubjectKind, _ id: UUID, community: UUID, at: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            UPDATE sla_clocks SET stopped_at = \(bind: at), next_fire_at = NULL
            WHERE community_id = \(bind: community) AND subject_kind = \(bind: kind.rawValue) AND subject_id = \(bind: id) AND stopped_at IS NULL
            """).run()
    }

    /// A handler fired a deadline that has passed: it is breached at its due time, at `level`,
    /// and fires no more.
    static func breach(_ c: SLAClock, level: Int = 1, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            UPDATE sla_clocks SET next_fire_at = NULL, level = \(bind: level), breached_at = \(bind: c.dueAt)
            WHERE \(identified(c))
            """).run()
    }

    /// Clocks that will fire no more (their subject is gone, settled, or no handler takes their
    /// kind); stopped at `at` when given.
    static func park(_ clocks: [SLAClock], stoppedAt at: Date? = nil, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for (community, theirs) in Dictionary(grouping: clocks, by: \.communityID) {
            for chunk in theirs.chunked(into: 1000) {
                let stop: SQLQueryString = at.map { ", stopped_at = \(bind: $0)" } ?? ""
                try await sql.raw("""
                    UPDATE sla_clocks SET next_fire_at = NULL\(stop)
                    WHERE community_id = \(bind: community) AND \(identified(chunk, on: db))
                    """).run()
            }
        }
    }

    /// Writes clocks a step changed (paused, resumed, stopped, restarted): every column but
    /// their identity, one UPDATE each — a step changes one to three.
    static func save(_ clocks: [SLAClock], on db: any Database) async throws {
        for c in clocks {
            try await BulkRows.update(SLAClockModel.schema, BulkRows.clockColumns, BulkRows.row(c), fixed: ["id", "subject_kind", "subject_id", "community_id"],
                                      community: c.communityID, id: c.id, subject: ("subject_id", c.subjectID), on: db)
        }
    }

    /// What the sweeper changes on many clocks at once: level, breach, stop and next firing.
    static func update(_ clocks: [SLAClock], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        // PostgreSQL types a CASE by its branches; a branch of nothing but NULLs needs saying.
        let (time, int) = db.isPostgres ? ("timestamptz", "bigint") : ("", "")
        // Where statements name one community (RUN-5), one update per community; else by hundreds.
        let groups = db.writers.namesOneCommunity ? Array(Dictionary(grouping: clocks, by: \.communityID).values) : [clocks]
        for chunk in groups.flatMap({ $0.chunked(into: 100) }) {
            var query: SQLQueryString = "UPDATE sla_clocks SET "
            func column(_ name: String, _ type: String, _ value: (SLAClock) -> (any Encodable & Sendable)) -> SQLQueryString {
                var s: SQLQueryString = "\(unsafeRaw: name) = CASE id"
                for c in chunk {
                    s += type.isEmpty ? " WHEN \(bind: c.id) THEN \(bind: value(c))" : " WHEN \(bind: c.id) THEN CAST(\(bind: value(c)) AS \(unsafeRaw: type))"
                }
                s += " END"
                return s
            }
            query += column("level", int, { $0.level })
            query += ", " as SQLQueryString
            query += column("breached_at", time, { $0.breachedAt })
            query += ", " as SQLQueryString
            query += column("stopped_at", time, { $0.stoppedAt })
            query += ", " as SQLQueryString
            query += column("next_fire_at", time, { $0.nextFireAt })
            query += db.writers.namesOneCommunity ? " WHERE community_id = \(bind: chunk.first!.communityID) AND " : " WHERE "
            query += identified(chunk, on: db)
            try await sql.raw(query).run()
        }
    }
}
