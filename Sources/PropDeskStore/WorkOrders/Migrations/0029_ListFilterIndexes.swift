import Fluent
import FluentSQL
import SQLKit

/// Two list filters answered from an index alone (issue 19, P3):
/// - The area list's index carries the status too: "area X, closed" — the filter the area
///   supervisor uses most — is counted from the index. Before, its count read every order of the
///   area from the table to look at its status: ~3,000 row reads at a million orders. Status is the
///   last column, so the area list without a status still walks the index newest first.
/// - The running clocks' partial index carries what the overdue filter asks of a clock (its kind,
///   subject kind, pause and subject), so finding the late orders reads no clock rows.
struct ListFilterIndexes: AsyncMigration {
    var name: String { "0029_ListFilterIndexes" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.drop(index: "work_orders_community_area").run()
        try await sql.create(index: "work_orders_community_area").on("work_orders")
            .column("community_id").column("area_id").column("created_at").column("seq").column("status").run()
        try await sql.drop(index: "sla_clocks_running").run()
        try await sql.raw("""
            CREATE INDEX sla_clocks_running ON sla_clocks (community_id, due_at, subject_kind, kind, paused_at, subject_id) WHERE stopped_at IS NULL
            """).run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.drop(index: "work_orders_community_area").run()
        try await sql.create(index: "work_orders_community_area").on("work_orders")
            .column("community_id").column("area_id").column("created_at").column("seq").run()
        try await sql.drop(index: "sla_clocks_running").run()
        try await sql.raw("CREATE INDEX sla_clocks_running ON sla_clocks (community_id, due_at) WHERE stopped_at IS NULL").run()
    }
}
