import Fluent
import FluentSQL
import SQLKit

/// The key ledger (FD-5): movements per unit and the monthly counts of the board.
struct CreateKeys: AsyncMigration {
    var name: String { "0019_Keys" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("key_movements")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("kind", .string, .required)
            .field("count", .int, .required)
            .field("party", .string, .required)
            .field("id_checked", .string, .required)
            .field("purpose", .string, .required)
            .field("expected_back", .datetime)
            .field("at", .datetime, .required)
            .field("by_name", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX key_movements_unit ON key_movements (community_id, unit_id, at)").run()
        try await db.schema("key_reconciliations")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("at", .datetime, .required)
            .field("by_name", .string, .required)
            .field("units", .int, .required)
            .field("differences", .string, .required)
            .field("note", .string, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for t in ["key_reconciliations", "key_movements"] { try await db.schema(t).delete() }
    }
}
