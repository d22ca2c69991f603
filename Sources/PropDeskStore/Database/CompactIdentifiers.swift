import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Identifiers on SQLite are stored as their 16 bytes (a blob), not as 36 characters of text
/// (issue 19): every row, index and foreign key that holds one shrinks by 20 bytes, and the
/// file at a million orders by about half. PostgreSQL has its own `uuid` type and is not touched.
///
/// The SQLite driver asks a value whether it converts itself (`SQLiteDataConvertible`) before
/// encoding it as text; UUID answers with its bytes. Reading takes both forms, but a lookup binds
/// the bytes and finds no row still stored as text: a file written before `CompactIdentifiers` is
/// rewritten by it at start-up, before any request. Blobs sort byte by byte, which is the order of
/// the upper-case text they replace: keyset pages and `ORDER BY id` are unchanged.
extension UUID: @retroactive SQLiteDataConvertible {
    public init?(sqliteData: SQLiteData) {
        switch sqliteData {
        case .blob(let buffer):
            guard buffer.readableBytes == 16 else { return nil }
            self.init(uuid: buffer.withUnsafeReadableBytes { $0.loadUnaligned(as: uuid_t.self) })
        case .text(let text):
            guard let id = UUID(uuidString: text) else { return nil }
            self = id
        default:
            return nil
        }
    }

    /// Copied straight from the value's 16 bytes (through an array of them it was 4 % of the
    /// demo's time, issue 19).
    public var sqliteData: SQLiteData? {
        withUnsafeBytes(of: uuid) { .blob(ByteBuffer(bytes: $0)) }
    }
}

/// Rewrites every identifier a SQLite file stored as text into its 16 bytes: each column
/// declared `UUID` (how Fluent declares them) of every table, one UPDATE per table, all in one
/// transaction. Foreign keys are not checked statement by statement (a key and the keys pointing
/// at it change in different statements, and each check would scan the child tables) but once,
/// whole, before the commit: a broken reference undoes everything. A text that is not an
/// identifier is left as it is. A new file has nothing to rewrite; PostgreSQL has nothing to do.
/// On an existing file the rewrite touches every row, so the write-ahead log grows to about the
/// file's size until the commit, and the file shrinks only after a `VACUUM`.
struct CompactIdentifiers: AsyncMigration {
    var name: String { "0028_CompactIdentifiers" }

    func prepare(on db: any Database) async throws {
        guard !db.isPostgres else { return }
        try await Self.rewriting(db, to: "blob")
    }

    func revert(on db: any Database) async throws {
        guard !db.isPostgres else { return }
        try await Self.rewriting(db, to: "text")
    }

    struct BrokenReferences: Error, CustomStringConvertible {
        let count: Int
        var description: String { "0028_CompactIdentifiers: \(count) references would no longer find their rows; nothing was changed" }
    }

    /// The rewrite on one connection, foreign keys off around one transaction and checked in it.
    static func rewriting(_ db: any Database, to form: String) async throws {
        try await db.withConnection { conn in
            let sql = conn as! any SQLDatabase
            try await sql.raw("PRAGMA foreign_keys = OFF").run()
            do {
                try await conn.transaction { tx in
                    try await rewrite(tx, to: form)
                    let broken = try await (tx as! any SQLDatabase).raw("PRAGMA foreign_key_check").all()
                    guard broken.isEmpty else { throw BrokenReferences(count: broken.count) }
                }
            } catch {
                try? await sql.raw("PRAGMA foreign_keys = ON").run()
                throw error
            }
            try await sql.raw("PRAGMA foreign_keys = ON").run()
        }
    }

    /// Every `UUID` column of every table from text to blob (or back), inside the caller's transaction.
    static func rewrite(_ db: any Database, to form: String) async throws {
        let sql = db as! any SQLDatabase
        for table in try await tables(sql) {
            let columns = try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table))").all()
                .filter { (try? $0.decode(column: "type", as: String.self).uppercased()) == "UUID" }
                .map { try $0.decode(column: "name", as: String.self) }
            guard !columns.isEmpty else { continue }
            let sets = columns.map { c -> String in
                let q = BulkRows.quoted(c)
                return form == "blob"
                    ? "\(q) = CASE WHEN typeof(\(q)) = 'text' AND length(\(q)) = 36 AND unhex(replace(\(q), '-', '')) IS NOT NULL "
                        + "THEN unhex(replace(\(q), '-', '')) ELSE \(q) END"
                    // Back to Fluent's text form: upper-case hex in 8-4-4-4-12 groups.
                    : "\(q) = CASE WHEN typeof(\(q)) = 'blob' AND length(\(q)) = 16 THEN substr(hex(\(q)), 1, 8) || '-' || substr(hex(\(q)), 9, 4) || '-' "
                        + "|| substr(hex(\(q)), 13, 4) || '-' || substr(hex(\(q)), 17, 4) || '-' || substr(hex(\(q)), 21, 12) ELSE \(q) END"
            }
            try await sql.raw(SQLQueryString("UPDATE " + BulkRows.quoted(table) + " SET " + sets.joined(separator: ", "))).run()
        }
    }

    static func tables(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }
}
