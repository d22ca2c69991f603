import Fluent
import FluentSQL
import Foundation
import SQLKit

/// What differs between the two databases when several writers meet (RUN-2): how rows are
/// locked and whether others may skip them. SQLite has one writer at a time (the write queue),
/// so its locks are no-ops; PostgreSQL locks rows, and a sweeper skips rows another process
/// holds instead of waiting for them.
public protocol WriterDialect: Sendable {
    /// Appended to a SELECT that must lock the rows it reads ("" when writers never meet).
    func lockClause(skipLocked: Bool) -> String
    /// Whether two processes can write at once (and so rows must be locked).
    var locksRows: Bool { get }
}

public struct SQLiteWriters: WriterDialect {
    public init() {}
    public func lockClause(skipLocked: Bool) -> String { "" }
    public var locksRows: Bool { false }
}

public struct PostgresWriters: WriterDialect {
    public init() {}
    public func lockClause(skipLocked: Bool) -> String { skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE" }
    public var locksRows: Bool { true }
}

extension Database {
    /// The writer dialect of this connection's database.
    public var writers: any WriterDialect { isPostgres ? PostgresWriters() : SQLiteWriters() }

    /// Of `ids` in `table`, those this transaction now holds: all of them on SQLite; on
    /// PostgreSQL the rows locked here, skipping (when asked) rows another transaction holds.
    public func lockRows(_ table: String, ids: [UUID], skipLocked: Bool) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let w = writers
        guard w.locksRows else { return Set(ids) }
        let sql = self as! any SQLDatabase
        var held = Set<UUID>()
        for chunk in ids.chunked(into: 1000) {
            let rows = try await sql.raw("SELECT id FROM \(ident: table) WHERE id IN (\(binds: chunk.map { $0 as any Encodable & Sendable })) ORDER BY id\(unsafeRaw: w.lockClause(skipLocked: skipLocked))").all()
            for r in rows { held.insert(try r.decode(column: "id", as: UUID.self)) }
        }
        return held
    }
}
