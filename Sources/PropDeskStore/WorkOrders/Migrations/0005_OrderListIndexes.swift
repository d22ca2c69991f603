import Fluent
import FluentSQL
import SQLKit

/// Indexes for the order lists at a million orders (INT-6, INT-15; docs/PERFORMANCE.md, P3).
/// Every list sorts by (created_at, seq): with seq in the index the order comes from the index
/// and a deep page no longer reads every row above it to break ties; filters by area and kind
/// get their own so that the page count is an index-only range instead of a scan of the
/// community's orders.
struct OrderListIndexes: AsyncMigration {
    var name: String { "0005_OrderListIndexes" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.drop(index: "work_orders_community_created").run()
        try await sql.drop(index: "work_orders_community_status").run()
        try await sql.create(index: "work_orders_community_created").on("work_orders").column("community_id").column("created_at").column("seq").run()
        try await sql.create(index: "work_orders_community_status").on("work_orders").column("community_id").column("status").column("created_at").column("seq").run()
        try await sql.create(index: "work_orders_community_area").on("work_orders").column("community_id").column("area_id").column("created_at").column("seq").run()
        try await sql.create(index: "work_orders_community_kind").on("work_orders").column("community_id").column("kind").column("created_at").column("seq").run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for name in ["work_orders_community_kind", "work_orders_community_area", "work_orders_community_status", "work_orders_community_created"] {
            try await sql.drop(index: name).run()
        }
        try await sql.create(index: "work_orders_community_status").on("work_orders").column("community_id").column("status").column("created_at").run()
        try await sql.create(index: "work_orders_community_created").on("work_orders").column("community_id").column("created_at").run()
    }
}
