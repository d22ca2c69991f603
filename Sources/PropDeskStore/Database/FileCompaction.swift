import Fluent
import FluentSQL
import Foundation

/// Returns a SQLite file's free pages to the disk (`propdesk compact`). A migration that copies or
/// rewrites a large table (0028 the identifiers, 0031 the timelines) leaves the file at its old
/// size or larger, with the freed pages inside it for later writes; `VACUUM` writes the file anew
/// without them. It needs the file's size again free on disk while it runs, and the database to
/// itself: run it with the server stopped. PostgreSQL reclaims space with its own autovacuum, and
/// this does nothing there.
public struct FileCompaction: Sendable {
    let db: any Database

    public struct Result: Sendable, Equatable {
        /// Bytes of the file before and after, and the free pages it held before.
        public var before: Int64
        public var after: Int64
        public var freeBefore: Int64
    }

    /// nil on PostgreSQL.
    public func compact() async throws -> Result? {
        guard db.isSQLite else { return nil }
        return try await db.withConnection { conn in
            let sql = conn as! any SQLDatabase
            let (before, free) = try await Self.size(sql)
            try await sql.raw("VACUUM").run()
            let (after, _) = try await Self.size(sql)
            return Result(before: before, after: after, freeBefore: free)
        }
    }

    /// A SQLite file's bytes and those of its free pages; nil on PostgreSQL.
    public func size() async throws -> (bytes: Int64, free: Int64)? {
        guard db.isSQLite else { return nil }
        return try await Self.size(db as! any SQLDatabase)
    }

    /// Worth a word at start-up: a quarter of the file, and at least 50 MB, is free pages (after
    /// an upgrade's copy). New pages taken from the free list each rewrite a page of the list as
    /// well: a migrated file wrote ~50 % more per intake until compacted (docs/PERFORMANCE.md).
    public static func worthCompacting(bytes: Int64, free: Int64) -> Bool { free >= 50_000_000 && free * 4 >= bytes }

    /// The file's bytes and those of its free pages, from SQLite's own counts.
    static func size(_ sql: any SQLDatabase) async throws -> (bytes: Int64, free: Int64) {
        func pragma(_ name: String) async throws -> Int64 {
            try await sql.raw(SQLQueryString("PRAGMA \(unsafeRaw: name)")).first()?.decode(column: name, as: Int64.self) ?? 0
        }
        let page = try await pragma("page_size")
        return (try await pragma("page_count") * page, try await pragma("freelist_count") * page)
    }
}
