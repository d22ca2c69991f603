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
    /// Whether each statement on a distributed table names one community (RUN-5): PostgreSQL,
    /// which a company distributes by community (docs/SCALE-OUT.md), where a statement that
    /// spans communities asks every node and `FOR UPDATE` across nodes is refused. SQLite is one
    /// file on one node: there a batch across communities is one statement, not one per community.
    var namesOneCommunity: Bool { get }
}

public struct SQLiteWriters: WriterDialect {
    public init() {}
    public func lockClause(skipLocked: Bool) -> String { "" }
    public var locksRows: Bool { false }
    public var namesOneCommunity: Bool { false }
}

public struct PostgresWriters: WriterDialect {
    public init() {}
    public func lockClause(skipLocked: Bool) -> String { skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE" }
    public var locksRows: Bool { true }
    public var namesOneCommunity: Bool { true }
}

extension Database {
    /// Whether the rows an OFFSET skips are read from the table, not only from the index the
    /// page is ordered by: PostgreSQL fetches each skipped row to test its visibility, so a deep
    /// page is found by its keys first (`WorkOrderStore.list`); SQLite skips them in the index.
    public var offsetReadsSkippedRows: Bool { isPostgres }

    /// The writer dialect of this connection's database.
    public var writers: any WriterDialect { isPostgres ? PostgresWriters() : SQLiteWriters() }

    /// Of `ids` in `table` — rows of `community` — those this transaction now holds: all of them
    /// on SQLite; on PostgreSQL the rows locked here, skipping (when asked) rows another
    /// transaction holds. The community is named in the lock (RUN-5): distributed by community,
    /// the statement goes to the one node that keeps those rows; by id alone it would ask every
    /// node, and a distributed PostgreSQL refuses `FOR UPDATE` across nodes. A row of another
    /// community is not held.
    public func lockRows(_ table: String, community: UUID, ids: [UUID], skipLocked: Bool) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let w = writers
        guard w.locksRows else { return Set(ids) }
        let sql = self as! any SQLDatabase
        var held = Set<UUID>()
        for chunk in ids.chunked(into: 1000) {
            let rows = try await sql.raw("""
                SELECT id FROM \(ident: table) WHERE community_id = \(bind: community) AND id IN (\(binds: chunk.map { $0 as any Encodable & Sendable })) \
                ORDER BY id\(unsafeRaw: w.lockClause(skipLocked: skipLocked))
                """).all()
            for r in rows { held.insert(try r.decode(column: "id", as: UUID.self)) }
        }
        return held
    }

    /// Locks the row `id` of a reference table (`Distribution.referenceTables`: communities,
    /// users …), which every node keeps a copy of, so the lock needs no community.
    public func lockReferenceRow(_ table: String, id: UUID) async throws {
        guard writers.locksRows else { return }
        _ = try await (self as! any SQLDatabase).raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").all()
    }

    /// A community's time zone, in which its days, months and deadlines are counted; nil when
    /// there is no such community. One column as a plain row: read on every patrol visit and
    /// log entry, where a whole community model cost several times more (issue 19, the demo).
    public func timeZone(ofCommunity id: UUID) async throws -> String? {
        try await (self as! any SQLDatabase).select().column("time_zone").from(CommunityModel.schema).where("id", .equal, id).first()?
            .decode(column: "time_zone", as: String.self)
    }

    /// The community of row `id` in `table` (a distributed table), nil when there is no such row:
    /// the one read by id alone a caller pays when a URL names only the id (RUN-5).
    public func communityOf(_ table: String, id: UUID) async throws -> UUID? {
        try await (self as! any SQLDatabase).select().column("community_id").from(table).where("id", .equal, id).first()?
            .decode(column: "community_id", as: UUID.self)
    }

    /// The row `id` of `M`, read and held for the rest of this transaction (RUN-2, RUN-5); nil when
    /// there is none (or it is not in `community`, when given). On PostgreSQL it is one statement,
    /// `SELECT … WHERE community_id = $c AND id = $id FOR UPDATE`; a caller that does not know the
    /// community yet (a URL names only the id) pays one read of it first. On SQLite, where the
    /// write transaction holds the whole file, it is a plain read.
    public func lockedFind<M: CommunityRow>(_ type: M.Type, _ id: UUID, community: UUID? = nil) async throws -> M? {
        guard writers.locksRows else {
            guard let m = try await M.find(id, on: self), community == nil || m.communityID == community else { return nil }
            return m
        }
        let sql = self as! any SQLDatabase
        var owner = community
        if owner == nil { owner = try await communityOf(M.schema, id: id) }
        guard let owner else { return nil }
        return try await sql.select().column("*").from(M.schema).where("community_id", .equal, owner).where("id", .equal, id)
            .for(.update).first(decodingFluent: M.self)
    }
}

/// A model of a table distributed by community (RUN-5): its rows carry `community_id`.
public protocol CommunityRow: Model where IDValue == UUID {
    var communityID: UUID { get }
}
