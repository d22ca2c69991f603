import Fluent
import FluentSQL
import SQLKit

/// Patrols (FLD-3): checkpoints with their checklists, rounds, the visits of a round (one per
/// checkpoint and round, so a resubmitted form finds the first), and the findings that became
/// work orders (one per visit and item, so a failed item makes exactly one order).
struct CreatePatrols: AsyncMigration {
    var name: String { "0012_Patrols" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("patrol_checkpoints")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid, .required, .references("areas", "id"))
            .field("building_id", .uuid, .references("buildings", "id"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("location", .string, .required)
            .field("key_spot", .bool, .required)
            .field("items", .string, .required)
            .field("created_at", .datetime, .required)
            .field("retired_at", .datetime)
            .unique(on: "code")
            .create()
        try await sql.raw("CREATE INDEX patrol_checkpoints_area ON patrol_checkpoints (community_id, area_id)").run()
        try await db.schema("patrol_rounds")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid, .required, .references("areas", "id"))
            .field("scope", .string, .required)
            .field("patroller_id", .uuid)
            .field("patroller_name", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
        try await sql.raw("CREATE INDEX patrol_rounds_patroller ON patrol_rounds (patroller_id, started_at)").run()
        try await db.schema("patrol_visits")
            .id()
            .field("round_id", .uuid, .required, .references("patrol_rounds", "id"))
            .field("checkpoint_id", .uuid, .required, .references("patrol_checkpoints", "id"))
            .field("community_id", .uuid, .required)
            .field("area_id", .uuid, .required)
            .field("at", .datetime, .required)
            .field("by_id", .uuid)
            .field("by_name", .string, .required)
            .field("results", .string, .required)
            .field("note", .string, .required)
            .unique(on: "round_id", "checkpoint_id")
            .create()
        try await sql.raw("CREATE INDEX patrol_visits_area_at ON patrol_visits (community_id, area_id, at)").run()
        try await sql.raw("CREATE INDEX patrol_visits_checkpoint ON patrol_visits (checkpoint_id, at)").run()
        try await db.schema("patrol_findings")
            .id()
            .field("visit_id", .uuid, .required, .references("patrol_visits", "id"))
            .field("checkpoint_id", .uuid, .required)
            .field("community_id", .uuid, .required)
            .field("item_id", .string, .required)
            .field("order_id", .uuid, .required, .references("work_orders", "id"))
            .field("order_number", .string, .required)
            .field("priority", .string, .required)
            .unique(on: "visit_id", "item_id")
            .create()
        try await sql.raw("CREATE INDEX patrol_findings_checkpoint ON patrol_findings (checkpoint_id)").run()
        try await sql.raw("CREATE INDEX patrol_findings_order ON patrol_findings (order_id)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["patrol_findings", "patrol_visits", "patrol_rounds", "patrol_checkpoints"] { try await db.schema(t).delete() }
    }
}
