import Fluent
import FluentSQL
import SQLKit

/// Small facts the installation keeps about itself, as key and value (for now: whether the demo
/// finished loading, so an interrupted load is recognised and redone).
struct CreateSettings: AsyncMigration {
    var name: String { "0007_Settings" }

    func prepare(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)").run()
    }

    func revert(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("DROP TABLE settings").run()
    }
}
