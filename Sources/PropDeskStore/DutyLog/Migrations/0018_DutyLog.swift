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
        for t in ["visitors", "key_reconciliations", "key_movements", "shift_handovers", "duty_log_days"] { try await db.schema(t).delete() }
    }
}
