import Fluent
import SQLKit

/// Accounts, their scopes, API tokens (REG-3, SEC-1) and the audit trail (SEC-4).
struct CreateAccounts: AsyncMigration {
    var name: String { "0002_CreateAccounts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("badge_number", .string)
            .field("phone", .string)
            .field("person_id", .uuid, .references("people", "id"))
            .field("language", .string, .required)
            .field("active", .bool, .required)
            .field("password_hash", .string, .required)
            .field("failed_sign_ins", .int, .required)
            .field("first_failure_at", .datetime)
            .field("locked_until", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "username")
            .create()
        try await db.schema("user_scopes")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid, .references("areas", "id"))
            .create()
        try await db.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await db.schema("audit_entries")
            .id()
            .field("community_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("at", .datetime, .required)
            .field("entity", .string, .required)
            .field("entity_id", .uuid)
            .field("action", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .create()
        let sql = db as! any SQLDatabase
        try await sql.create(index: "user_scopes_user").on("user_scopes").column("user_id").run()
        try await sql.create(index: "user_scopes_community").on("user_scopes").column("community_id").run()
        try await sql.create(index: "audit_entries_entity").on("audit_entries").column("entity_id").column("at").run()
        try await sql.create(index: "audit_entries_community_at").on("audit_entries").column("community_id").column("at").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["audit_entries", "api_tokens", "user_scopes", "users"] { try await db.schema(table).delete() }
    }
}
