import Fluent
import FluentSQL
import SQLKit

/// PostgreSQL only: the order lists and the overdue reads are index-only scans, and an index-only
/// scan visits the table for every row not yet marked all-visible — the newest orders, the ones
/// every page walks first, and the ones being dispatched, checked in and closed all day. By default
/// autovacuum marks them only after inserts or updates of a fifth of the table (200,000 rows at a
/// million orders). Here it comes after every 1,000, whatever the table's size: such a vacuum skips
/// the pages already all-visible (56 ms on a million orders). Page 250 of a community's list went
/// 6.0 → 0.8 ms after it, with 3,490 of its 5,000 entries fetched from the table before
/// (docs/PERFORMANCE.md, thirteenth session). SQLite has no visibility map: nothing to do there.
struct VacuumListTablesOften: AsyncMigration {
    var name: String { "0034_VacuumListTablesOften" }

    /// The tables whose index-only reads serve the lists: the orders and their clocks.
    static let tables = ["work_orders", "sla_clocks"]
    static let settings = ["autovacuum_vacuum_scale_factor": "0", "autovacuum_vacuum_threshold": "1000",
                           "autovacuum_vacuum_insert_scale_factor": "0", "autovacuum_vacuum_insert_threshold": "1000"]

    func prepare(on db: any Database) async throws {
        guard db.isPostgres else { return }
        let set = Self.settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
        for table in Self.tables {
            try await (db as! any SQLDatabase).raw("ALTER TABLE \(unsafeRaw: table) SET (\(unsafeRaw: set))").run()
        }
    }

    func revert(on db: any Database) async throws {
        guard db.isPostgres else { return }
        let names = Self.settings.keys.sorted().joined(separator: ", ")
        for table in Self.tables {
            try await (db as! any SQLDatabase).raw("ALTER TABLE \(unsafeRaw: table) RESET (\(unsafeRaw: names))").run()
        }
    }
}
