import Fluent
import FluentSQL
import SQLKit

/// The notice board (CR-1): one row per notice, with its physical life on the board.
/// `building_ids` / `area_ids` are JSON lists (the buildings asked for, and the areas the
/// notice reaches, for area supervisors' scope); both empty: the whole community.
struct CreateNotices: AsyncMigration {
    var name: String { "0025_Notices" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("notices")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("building_ids", .string, .required)
            .field("area_id", .uuid)
            .field("area_ids", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("source", .string)
            .field("published_by_id", .uuid)
            .field("published_by_name", .string, .required)
            .field("created_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .field("withdraw_reason", .string)
            .field("posted_at", .datetime)
            .field("posted_by_name", .string)
            .field("taken_down_at", .datetime)
            .field("taken_down_by_name", .string)
            .create()
        try await sql.raw("CREATE INDEX notices_community ON notices (community_id, expires_at)").run()
        try await sql.raw("CREATE UNIQUE INDEX notices_source ON notices (community_id, source) WHERE source IS NOT NULL").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("notices").delete()
    }
}
