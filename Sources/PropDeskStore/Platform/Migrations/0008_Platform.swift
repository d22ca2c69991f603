import Fluent
import FluentSQL
import SQLKit

/// The platform under every capability (PLT-1 … PLT-3). Clocks and alerts now belong to a
/// subject of any kind, not to a work order: the existing rows are moved by renaming their
/// `order_id` / `order_number` columns and marking them `work_order`, on both databases. New:
/// the hash-chained timeline of subjects other than orders, and the periods of each duty in
/// each community or area with their outcomes.
struct CreatePlatform: AsyncMigration {
    var name: String { "0008_Platform" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE sla_clocks RENAME COLUMN order_id TO subject_id").run()
        try await sql.raw("ALTER TABLE sla_clocks ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'work_order'").run()
        try await sql.raw("ALTER TABLE alerts RENAME COLUMN order_id TO subject_id").run()
        try await sql.raw("ALTER TABLE alerts RENAME COLUMN order_number TO subject_label").run()
        try await sql.raw("ALTER TABLE alerts ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'work_order'").run()

        try await db.schema("timeline_entries")
            .id()
            .field("subject_kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("community_id", .uuid, .required)
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("at", .datetime, .required)
            .field("note", .string)
            .field("from_state", .string)
            .field("to_state", .string)
            .field("data", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "subject_kind", "subject_id", "seq")
            .create()

        try await db.schema("duty_periods")
            .id()
            .field("duty_id", .string, .required)
            .field("community_id", .uuid, .required)
            .field("area_id", .uuid)
            // The area's id, or "" for the whole community: one period per duty, place and month.
            .field("scope_key", .string, .required)
            .field("period", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("outcome", .string)
            .field("numerator", .int)
            .field("denominator", .int)
            .field("decided_at", .datetime)
            .unique(on: "duty_id", "community_id", "scope_key", "period")
            .create()
        try await sql.create(index: "duty_periods_community").on("duty_periods").column("community_id").column("period").run()
        // Alerts of one subject (an order's, a duty period's) in the order they were raised.
        try await sql.create(index: "alerts_subject").on("alerts").column("subject_kind").column("subject_id").run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("duty_periods").delete()
        try await db.schema("timeline_entries").delete()
        try await sql.raw("DROP INDEX alerts_subject").run()
        try await sql.raw("ALTER TABLE alerts DROP COLUMN subject_kind").run()
        try await sql.raw("ALTER TABLE alerts RENAME COLUMN subject_label TO order_number").run()
        try await sql.raw("ALTER TABLE alerts RENAME COLUMN subject_id TO order_id").run()
        try await sql.raw("ALTER TABLE sla_clocks DROP COLUMN subject_kind").run()
        try await sql.raw("ALTER TABLE sla_clocks RENAME COLUMN subject_id TO order_id").run()
    }
}
