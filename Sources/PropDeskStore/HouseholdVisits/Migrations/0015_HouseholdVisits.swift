import Fluent
import FluentSQL
import SQLKit

/// Household visits (FLD-5) and the requests filed from what was raised on them.
struct CreateHouseholdVisits: AsyncMigration {
    var name: String { "0015_HouseholdVisits" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("household_visits")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid, .required)
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("by_id", .uuid)
            .field("by_name", .string, .required)
            .field("at", .datetime, .required)
            .field("mode", .string, .required)
            .field("met", .string, .required)
            .field("notes", .string, .required)
            .field("check_outcome", .string)
            .create()
        try await sql.raw("CREATE INDEX household_visits_area_at ON household_visits (community_id, area_id, at)").run()
        try await sql.raw("CREATE INDEX household_visits_unit ON household_visits (unit_id, at)").run()
        try await db.schema("household_visit_orders")
            .id()
            .field("visit_id", .uuid, .required, .references("household_visits", "id"))
            .field("community_id", .uuid, .required)
            .field("order_id", .uuid, .required)
            .field("order_number", .string, .required)
            .field("kind", .string, .required)
            .unique(on: "order_id")
            .create()
        try await sql.raw("CREATE INDEX household_visit_orders_visit ON household_visit_orders (visit_id)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["household_visit_orders", "household_visits"] { try await db.schema(t).delete() }
    }
}
