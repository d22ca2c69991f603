import Fluent
import FluentSQL
import SQLKit

/// The front desk's duty log (FD-3) — one row per community and day, its entries on the hash-
/// chained timeline — and shift handovers (FD-4).
struct CreateDutyLog: AsyncMigration {
    var name: String { "0018_DutyLog" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("duty_log_days")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("day", .string, .required)
            .field("day_start", .datetime, .required)
            .field("day_end", .datetime, .required)
            .field("sign_due_at", .datetime, .required)
            .field("signed_at", .datetime)
            .field("signed_by", .string)
            .unique(on: "community_id", "day")
            .create()
        try await db.schema("shift_handovers")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("shift", .string, .required)
            .field("from_id", .uuid)
            .field("from_name", .string, .required)
            .field("to_id", .uuid)
            .field("to_name", .string)
            .field("assets", .string, .required)
            .field("items", .string, .required)
            .field("anomalies", .string, .required)
            .field("handed_at", .datetime, .required)
            .field("taken_at", .datetime)
            .create()
        try await sql.raw("CREATE INDEX shift_handovers_community ON shift_handovers (community_id, handed_at)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["shift_handovers", "duty_log_days"] { try await db.schema(t).delete() }
    }
}
