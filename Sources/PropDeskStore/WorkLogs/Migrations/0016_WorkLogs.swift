import Fluent
import FluentSQL
import SQLKit

/// Daily work logs (FLD-6): one per supervisor and day; what is written in them is on their
/// hash-chained timelines. Handovers to the stand-in are indexed by whom they are for.
struct CreateWorkLogs: AsyncMigration {
    var name: String { "0016_WorkLogs" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("work_logs")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid)
            .field("supervisor_id", .uuid, .required)
            .field("supervisor_name", .string, .required)
            .field("day", .string, .required)
            .field("day_start", .datetime, .required)
            .field("day_end", .datetime, .required)
            .field("review_due_at", .datetime, .required)
            .field("reviewed_at", .datetime)
            .field("reviewed_by", .string)
            .unique(on: "supervisor_id", "day")
            .create()
        try await sql.raw("CREATE INDEX work_logs_community_due ON work_logs (community_id, review_due_at)").run()
        try await db.schema("work_log_handovers")
            .id()
            .field("community_id", .uuid, .required)
            .field("log_id", .uuid, .required, .references("work_logs", "id"))
            .field("from_name", .string, .required)
            .field("to_id", .uuid, .required)
            .field("to_name", .string, .required)
            .field("at", .datetime, .required)
            .field("items", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX work_log_handovers_to ON work_log_handovers (to_id, at)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["work_log_handovers", "work_logs"] { try await db.schema(t).delete() }
    }
}
