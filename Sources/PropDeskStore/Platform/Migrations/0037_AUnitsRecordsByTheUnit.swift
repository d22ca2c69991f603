import Fluent
import SQLKit

/// A unit's visitors, passes and renovations read by the unit (RUN-5, P3). The resident file
/// (REG-5) asks each table for one unit of one community; these three had an index of the
/// community alone, so each read walked all the community's rows — a visitor log grows by
/// thousands a year. Each index leads with the community (the distribution column), then the unit
/// and the order the file lists them in, on both databases. A visitor without a unit (a
/// delivery to the management office) is not in its index.
struct AUnitsRecordsByTheUnit: AsyncMigration {
    var name: String { "0037_AUnitsRecordsByTheUnit" }

    static let indexes = [
        ("visitors_unit", "visitors (community_id, unit_id, in_at) WHERE unit_id IS NOT NULL"),
        ("unit_passes_unit", "unit_passes (community_id, unit_id, issued_at)"),
        ("renovations_unit", "renovations (community_id, unit_id, created_at)"),
    ]

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for (name, on) in Self.indexes { try await sql.raw(SQLQueryString("CREATE INDEX " + name + " ON " + on)).run() }
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for (name, _) in Self.indexes { try await sql.raw(SQLQueryString("DROP INDEX " + name)).run() }
    }
}
