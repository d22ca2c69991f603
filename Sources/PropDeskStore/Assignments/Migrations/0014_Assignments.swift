import Fluent
import FluentSQL
import SQLKit

/// Assignment tables (FLD-1), staff changes waiting for a new table (S2 4.1.1) and lobby
/// contact cards (FLD-2). A table's rows are kept with it, as one JSON document per version:
/// a version is read and approved whole, never row by row.
struct CreateAssignments: AsyncMigration {
    var name: String { "0014_Assignments" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("assignment_tables")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("rows", .string, .required)
            .field("note", .string, .required)
            .field("drafted_by_id", .uuid)
            .field("drafted_by", .string, .required)
            .field("drafted_at", .datetime, .required)
            .field("submitted_at", .datetime)
            .field("decided_by_id", .uuid)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .unique(on: "community_id", "version")
            .create()
        try await db.schema("staff_changes")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("user_id", .uuid, .required)
            .field("user_name", .string, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("resolved_by_table_id", .uuid)
            .field("resolved_at", .datetime)
            .create()
        try await sql.raw("CREATE INDEX staff_changes_community ON staff_changes (community_id, due_at)").run()
        try await db.schema("contact_cards")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid, .required)
            .field("area_name", .string, .required)
            .field("table_id", .uuid, .required)
            .field("supervisor_id", .uuid, .required)
            .field("supervisor_name", .string, .required)
            .field("mobile", .string, .required)
            .field("work_phone", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("printed_at", .datetime)
            .field("posted_at", .datetime)
            .field("posted_by", .string)
            .create()
        try await sql.raw("CREATE INDEX contact_cards_community ON contact_cards (community_id, area_id, issued_at)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["contact_cards", "staff_changes", "assignment_tables"] { try await db.schema(t).delete() }
    }
}
