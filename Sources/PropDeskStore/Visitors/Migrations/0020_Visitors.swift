import Fluent
import FluentSQL
import SQLKit

/// Visitor registration (FD-7), the ID number sealed.
struct CreateVisitors: AsyncMigration {
    var name: String { "0020_Visitors" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("visitors")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("name", .string, .required)
            .field("id_type", .string, .required)
            .field("id_number_sealed", .string, .required)
            .field("id_number_masked", .string, .required)
            .field("unit_id", .uuid)
            .field("host", .string, .required)
            .field("purpose", .string, .required)
            .field("phone", .string, .required)
            .field("in_at", .datetime, .required)
            .field("out_at", .datetime)
            .field("registered_by", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX visitors_community_in ON visitors (community_id, in_at)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["visitors"] { try await db.schema(t).delete() }
    }
}
