import Fluent
import FluentSQL
import SQLKit

/// Indexes that hold only the rows they can find (issue 19, the file size). Three indexes kept an
/// entry for every row although only a few rows carry what they look up:
///
/// - `work_orders_idempotency`: only an order registered with an `Idempotency-Key` (a retried form
///   or API call) has one — 14,798 of 1,024,798 orders in the benchmark file; the index took 47 MB
///   of the SQLite file for them.
/// - `work_orders_incident`: only an order absorbed by an incident (INT-16) names one — none of the
///   million; 10 MB.
/// - `timeline_entries_id` (SQLite): only two forms bring their own entry id, so that one sent
///   twice is written once — the duty log's (FD-3) and the supervisor's work log (FLD-6). Every
///   other entry's id is made by PropDesk and looked up by nothing; the index took 368 MB at 6.8
///   million entries. Now it holds those two subjects' entries: still unique among them (a form's
///   id reused for another log is refused), and `TimelineStore.entry(_:of:)` names the kind as a
///   literal, which SQLite needs to choose a partial index. A new subject whose form brings its
///   own entry id adds its kind here. PostgreSQL keeps its primary key `(id, community_id)`.
///
/// Each stays unique where it was: a key is still used once per desk and community. `x = ?`
/// implies `x IS NOT NULL`, so both databases use the two partial indexes of orders for the
/// lookups that used them before, whatever value is bound.
struct IndexOnlyWhatIsSet: AsyncMigration {
    var name: String { "0035_IndexOnlyWhatIsSet" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP INDEX work_orders_idempotency").run()
        try await sql.raw("""
            CREATE UNIQUE INDEX work_orders_idempotency ON work_orders (community_id, created_by_id, idempotency_key) WHERE idempotency_key IS NOT NULL
            """).run()
        try await sql.raw("DROP INDEX work_orders_incident").run()
        try await sql.raw("CREATE INDEX work_orders_incident ON work_orders (incident_id) WHERE incident_id IS NOT NULL").run()
        guard !db.isPostgres else { return }
        try await sql.raw("DROP INDEX timeline_entries_id").run()
        try await sql.raw("""
            CREATE UNIQUE INDEX timeline_entries_id ON timeline_entries (id) WHERE subject_kind = 'duty_log_day' OR subject_kind = 'work_log'
            """).run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP INDEX work_orders_idempotency").run()
        try await sql.raw("CREATE UNIQUE INDEX work_orders_idempotency ON work_orders (community_id, created_by_id, idempotency_key)").run()
        try await sql.raw("DROP INDEX work_orders_incident").run()
        try await sql.raw("CREATE INDEX work_orders_incident ON work_orders (incident_id)").run()
        guard !db.isPostgres else { return }
        try await sql.raw("DROP INDEX timeline_entries_id").run()
        try await sql.raw("CREATE UNIQUE INDEX timeline_entries_id ON timeline_entries (id)").run()
    }
}
