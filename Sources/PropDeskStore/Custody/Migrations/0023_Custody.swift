import Fluent
import FluentSQL
import SQLKit

/// Units in custody (FD-2): agreements, meter readings, exterior checks and heavy-rain warnings.
/// Meter values are integers in thousandths (litres, watt-hours).
struct CreateCustody: AsyncMigration {
    var name: String { "0023_Custody" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("custody_agreements")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("area_id", .uuid)
            .field("owner_name", .string, .required)
            .field("owner_phone", .string, .required)
            .field("start_day", .string, .required)
            .field("end_day", .string)
            .field("fee_rate_per_mille", .int, .required)
            .field("water_limit", .int, .required)
            .field("electricity_limit", .int, .required)
            .field("note", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by_name", .string, .required)
            .field("ended_at", .datetime)
            .field("ended_by_name", .string)
            .create()
        try await sql.raw("CREATE INDEX custody_agreements_unit ON custody_agreements (community_id, unit_id)").run()
        try await db.schema("rain_warnings")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("issued_at", .datetime, .required)
            .field("issued_by_name", .string, .required)
            .field("over_at", .datetime)
            .field("over_by_name", .string)
            .field("note", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX rain_warnings_community ON rain_warnings (community_id, issued_at)").run()
        try await db.schema("custody_readings")
            .id()
            .field("agreement_id", .uuid, .required, .references("custody_agreements", "id"))
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required)
            .field("month", .string, .required)
            .field("baseline", .bool, .required)
            .field("water", .int, .required)
            .field("electricity", .int, .required)
            .field("water_used", .int)
            .field("electricity_used", .int)
            .field("water_allowed", .int, .required)
            .field("electricity_allowed", .int, .required)
            .field("read_at", .datetime, .required)
            .field("by_name", .string, .required)
            .field("note", .string, .required)
            .unique(on: "agreement_id", "month", "baseline")
            .create()
        try await db.schema("custody_checks")
            .id()
            .field("agreement_id", .uuid, .required, .references("custody_agreements", "id"))
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required)
            .field("area_id", .uuid)
            .field("kind", .string, .required)
            .field("rain_warning_id", .uuid, .references("rain_warnings", "id"))
            .field("opened_at", .datetime, .required)
            .field("due_at", .datetime)
            .field("done_at", .datetime)
            .field("by_name", .string)
            .field("findings", .string, .required)
            .field("problem", .bool, .required)
            .field("owner_notified", .bool, .required)
            .field("cancelled_at", .datetime)
            .field("form_id", .uuid)
            .create()
        try await sql.raw("CREATE INDEX custody_checks_agreement ON custody_checks (agreement_id, opened_at)").run()
        try await sql.raw("CREATE INDEX custody_checks_community ON custody_checks (community_id, due_at)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["custody_checks", "custody_readings", "rain_warnings", "custody_agreements"] { try await db.schema(t).delete() }
    }
}
