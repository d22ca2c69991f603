import Fluent
import FluentSQL
import SQLKit

/// Supervision (FLD-7): the CS manager's inspections of areas, the front desk's monthly draws
/// of visit records (with the seed and population that reproduce them) and the call backs.
struct CreateSupervision: AsyncMigration {
    var name: String { "0017_Supervision" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("area_inspections")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid, .required)
            .field("log_id", .uuid)
            .field("inspector_id", .uuid)
            .field("inspector_name", .string, .required)
            .field("at", .datetime, .required)
            .field("matches_log", .bool, .required)
            .field("findings", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX area_inspections_area_at ON area_inspections (community_id, area_id, at)").run()
        try await db.schema("spot_check_draws")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("month", .string, .required)
            .field("seed", .string, .required)
            .field("plan", .string, .required)
            .field("drawn_at", .datetime, .required)
            .field("drawn_by", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX spot_check_draws_month ON spot_check_draws (community_id, month)").run()
        try await db.schema("spot_checks")
            .id()
            .field("draw_id", .uuid, .required, .references("spot_check_draws", "id"))
            .field("community_id", .uuid, .required)
            .field("area_id", .uuid, .required)
            .field("visit_id", .uuid, .required, .references("household_visits", "id"))
            .field("unit_id", .uuid, .required)
            .field("supervisor_name", .string, .required)
            .field("visited_at", .datetime, .required)
            .field("mode", .string, .required)
            .field("outcome", .string)
            .field("note", .string, .required)
            .field("called_at", .datetime)
            .field("called_by", .string)
            .unique(on: "visit_id")
            .create()
        try await sql.raw("CREATE INDEX spot_checks_community ON spot_checks (community_id, visited_at)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["spot_checks", "spot_check_draws", "area_inspections"] { try await db.schema(t).delete() }
    }
}
