import Fluent
import FluentSQL
import SQLKit

/// Sign-in lock-out state in its own table, one row per attempted username — known or not — so
/// that an unknown name is locked exactly like a real one (no hint which exists) and every
/// process of PropDesk shares one count (SEC-1). The key is the SHA-256 of the lower-cased name:
/// what strangers type into the username box is not kept. Times are whole seconds since 1970
/// (0: none), the same on both databases.
struct CreateSignInThrottles: AsyncMigration {
    var name: String { "0006_SignInThrottles" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("""
            CREATE TABLE sign_in_throttles (
                key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                first_failure_at BIGINT NOT NULL,
                locked_until BIGINT NOT NULL
            )
            """).run()
    }

    func revert(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("DROP TABLE sign_in_throttles").run()
    }
}
