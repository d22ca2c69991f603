import Fluent
import FluentSQL
import SQLKit

/// Renovation files (FLD-4): the file per unit and project, its inspections and its violations.
/// Documents are evidence on the file; notices and every later step are entries on the
/// violation's hash-chained timeline.
struct CreateRenovations: AsyncMigration {
    var name: String { "0013_Renovations" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("renovations")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("building_id", .uuid, .required)
            .field("area_id", .uuid)
            .field("number", .string, .required)
            .field("applicant", .string, .required)
            .field("applicant_phone", .string, .required)
            .field("contractor", .string, .required)
            .field("contractor_phone", .string, .required)
            .field("works", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("deposit_fen", .int64, .required)
            .field("inspect_every_days", .int, .required)
            .field("protection", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("approved_at", .datetime)
            .field("approved_by_name", .string)
            .field("closed_at", .datetime)
            .unique(on: "number")
            .create()
        try await sql.raw("CREATE INDEX renovations_community_status ON renovations (community_id, status)").run()
        try await db.schema("renovation_inspections")
            .id()
            .field("renovation_id", .uuid, .required, .references("renovations", "id"))
            .field("at", .datetime, .required)
            .field("by_id", .uuid)
            .field("by_name", .string, .required)
            .field("passed", .bool, .required)
            .field("note", .string, .required)
            .field("completion", .bool, .required)
            .create()
        try await sql.raw("CREATE INDEX renovation_inspections_at ON renovation_inspections (renovation_id, at)").run()
        try await db.schema("renovation_violations")
            .id()
            .field("renovation_id", .uuid, .required, .references("renovations", "id"))
            .field("community_id", .uuid, .required)
            .field("area_id", .uuid)
            .field("number", .string, .required)
            .field("status", .string, .required)
            .field("deadline", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "number")
            .create()
        try await sql.raw("CREATE INDEX renovation_violations_renovation ON renovation_violations (renovation_id)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["renovation_violations", "renovation_inspections", "renovations"] { try await db.schema(t).delete() }
    }
}
