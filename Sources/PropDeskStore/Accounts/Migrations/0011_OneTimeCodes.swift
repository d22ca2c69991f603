import Fluent
import FluentSQL
import SQLKit

/// A resident who forgot the password gets a one-time code from the desk (INT-14): the code is
/// the password until it is used to set a new one, and no longer than a day.
struct OneTimeCodes: AsyncMigration {
    var name: String { "0011_OneTimeCodes" }

    func prepare(on db: any Database) async throws {
        try await db.schema("users").field("must_change_password", .bool, .required, .sql(.default(false))).update()
        try await db.schema("users").field("password_expires_at", .datetime).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("users").deleteField("password_expires_at").update()
        try await db.schema("users").deleteField("must_change_password").update()
    }
}
