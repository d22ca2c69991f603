import Fluent
import FluentSQL
import SQLKit

/// Parking permits and access cards per unit (FD-6).
struct CreatePasses: AsyncMigration {
    var name: String { "0021_Passes" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("unit_passes")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("kind", .string, .required)
            .field("number", .string, .required)
            .field("plate", .string, .required)
            .field("holder", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string, .required)
            .field("status", .string, .required)
            .field("replaces", .uuid)
            .field("issued_at", .datetime, .required)
            .unique(on: "community_id", "kind", "number")
            .create()
        try await sql.raw("CREATE INDEX unit_passes_until ON unit_passes (community_id, status, valid_until)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["unit_passes"] { try await db.schema(t).delete() }
    }
}
