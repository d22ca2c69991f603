import Fluent
import SQLKit

/// The SLA clocks kept by their subject on SQLite (issue 19, the file size). A clock was a row of
/// a table in the order of an internal row number, with two indexes beside it: its id (the
/// primary key) and its subject (`sla_clocks_order`) — at a million orders 4.6 million clocks,
/// 516 MB of rows and 118 + 119 MB of those two indexes. Every statement that reads or writes a
/// clock knows its subject: an order's detail, list and steps read its clocks by the order, and
/// the sweeper, a deadline and a notice write back clocks they read with their subject. So the
/// table is now kept in the order of `(subject_id, id)`, `WITHOUT ROWID`: one subject's clocks lie
/// together, reading them is one range of the table itself, and both indexes are gone. The due
/// index carries the community, so the sweeper's first look (P4) still reads the index alone.
///
/// Statements name the subject beside the id: `subject_id IN (…) AND +id IN (…)`
/// (`ClockRows.identified`); a statement by id alone would walk the table, which
/// `ClocksKeptByTheirSubjectTests` checks for every statement a day of clocks sends. PostgreSQL keeps
/// its clocks as they are (its keys include the community, `DistributeByCommunity`).
struct ClocksKeptByTheirSubject: AsyncMigration {
    var name: String { "0036_ClocksKeptByTheirSubject" }

    /// Every column in the store's order, with the types 0003 and 0008 gave them.
    static let fields = """
        "id" UUID NOT NULL, "subject_kind" TEXT NOT NULL DEFAULT 'work_order', "subject_id" UUID NOT NULL, "community_id" UUID NOT NULL, \
        "kind" TEXT NOT NULL, "round" INTEGER NOT NULL, "target_seconds" INTEGER NOT NULL, "service_hours_only" INTEGER NOT NULL, \
        "started_at" REAL NOT NULL, "due_at" REAL NOT NULL, "paused_at" REAL, "remaining_at_pause" INTEGER, "held_seconds" INTEGER NOT NULL, \
        "stopped_at" REAL, "breached_at" REAL, "level" INTEGER NOT NULL, "next_fire_at" REAL
        """

    /// The partial indexes both shapes keep (0029, 0033).
    static let partial = [
        "CREATE INDEX sla_clocks_running ON sla_clocks (community_id, due_at, subject_kind, kind, paused_at, subject_id) WHERE stopped_at IS NULL",
        "CREATE INDEX sla_clocks_due_by_community ON sla_clocks (community_id, next_fire_at) WHERE next_fire_at IS NOT NULL",
    ]

    func prepare(on db: any Database) async throws {
        guard !db.isPostgres else { return }
        try await Self.rebuild(on: db, key: "PRIMARY KEY (\"subject_id\", \"id\")) WITHOUT ROWID", fields: Self.fields, indexes: [
            "CREATE INDEX sla_clocks_due ON sla_clocks (next_fire_at, community_id) WHERE next_fire_at IS NOT NULL",
        ])
    }

    func revert(on db: any Database) async throws {
        guard !db.isPostgres else { return }
        let fields = Self.fields.replacingOccurrences(of: "\"id\" UUID NOT NULL", with: "\"id\" UUID PRIMARY KEY")
        try await Self.rebuild(on: db, key: "", fields: fields, indexes: [
            "CREATE INDEX \"sla_clocks_order\" ON \"sla_clocks\" (\"subject_id\")",
            "CREATE INDEX sla_clocks_due ON sla_clocks (next_fire_at) WHERE next_fire_at IS NOT NULL",
        ])
    }

    /// The clocks copied into a table of `fields` (and `key`, which closes the column list when
    /// given), in the order of their subject.
    static func rebuild(on db: any Database, key: String, fields: String, indexes: [String]) async throws {
        let create = "CREATE TABLE \"sla_clocks_copy\" (\(fields)" + (key.isEmpty ? ")" : ", " + key)
        try await RebuildSQLiteTable.rebuild("sla_clocks", on: db, create: create, columns: OrderRows.clockColumns,
                                             order: "\"subject_id\", \"id\"", indexes: partial + indexes)
    }
}
