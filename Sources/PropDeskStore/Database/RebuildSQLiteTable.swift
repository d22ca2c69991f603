import FluentKit
import SQLKit

/// A SQLite table built again in another shape (SQLite cannot change a table's key in place):
/// the new table is created beside it as `<table>_copy`, filled in `order` — a table kept in the
/// order of its key is written page after page, full — put in the table's place and indexed, in
/// one transaction. The copy needs the table's size free on disk until the commit; the old
/// pages are reused by later writes, and `propdesk compact` returns them. Used by the
/// migrations that keep a big table by its key (0031 timelines, 0036 clocks).
enum RebuildSQLiteTable {
    /// `create` makes `<table>_copy`; `select` reads `columns` from the old table (by default the
    /// columns themselves); `indexes` are created once the copy has the table's name.
    static func rebuild(_ table: String, on db: any Database, create: String, columns: [String], select: String? = nil,
                        order: String, indexes: [String]) async throws {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.raw(SQLQueryString(create)).run()
            let fill = "INSERT INTO \"\(table)_copy\" (\(list)) SELECT \(select ?? list) FROM \"\(table)\" ORDER BY \(order)"
            try await sql.raw(SQLQueryString(fill)).run()
            let drop = "DROP TABLE \"\(table)\"", rename = "ALTER TABLE \"\(table)_copy\" RENAME TO \"\(table)\""
            try await sql.raw(SQLQueryString(drop)).run()
            try await sql.raw(SQLQueryString(rename)).run()
            for index in indexes { try await sql.raw(SQLQueryString(index)).run() }
        }
    }
}
