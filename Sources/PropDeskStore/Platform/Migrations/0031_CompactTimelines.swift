import Fluent
import SQLKit

/// Timelines stored compactly on SQLite (issue 19), in one copy of the table:
/// - each hash is its 32 bytes, not 64 characters (`ChainHash`);
/// - the table is kept in the order of its key — subject kind, subject, number — `WITHOUT ROWID`:
///   one subject's entries lie together, reading a timeline or its chain end is one range of the
///   table itself, and the separate index of that key (at a million orders 280 MB) is gone. The
///   entry's id keeps a unique index of its own (a duty-log form sent again is found by it).
///
/// Measured on a tenth of the benchmark data (665,130 entries): 257 MB → 198 MB with the
/// indexes, copied by this migration. The copy needs the table's size again free on disk until
/// the commit; the old pages are reused by later writes, and `propdesk compact` returns them.
/// PostgreSQL keeps its timelines as they are (its keys include the community, `DistributeByCommunity`).
struct CompactTimelines: AsyncMigration {
    var name: String { "0031_CompactTimelines" }

    /// The store's columns in its order, each hash through `convert`.
    static func select(hashes convert: (String) -> String) -> String {
        TimelineStore.columns.map { $0 == "hash" || $0 == "prev_hash" ? convert($0) : "\"\($0)\"" }.joined(separator: ", ")
    }

    /// Every column but the id and the hashes, as 0008 declared them.
    static let fields = """
        "subject_kind" TEXT NOT NULL, "subject_id" UUID NOT NULL, "community_id" UUID NOT NULL, \
        "seq" INTEGER NOT NULL, "kind" TEXT NOT NULL, "actor_id" UUID, "actor_name" TEXT NOT NULL, "at" REAL NOT NULL, "note" TEXT, \
        "from_state" TEXT, "to_state" TEXT, "data" TEXT NOT NULL
        """

    func prepare(on db: any Database) async throws {
        guard !db.isPostgres else { return }
        // A hash still stored as text becomes its bytes; anything else (never written by
        // PropDesk) is copied as it is, so that `verify` still names its entry.
        func bytes(_ column: String) -> String {
            "CASE WHEN typeof(\(column)) = 'text' THEN coalesce(unhex(\(column)), \(column)) ELSE \(column) END"
        }
        try await Self.copy(on: db, into: """
            CREATE TABLE "timeline_entries_copy" ("id" UUID NOT NULL, \(Self.fields), "prev_hash" BLOB NOT NULL, "hash" BLOB NOT NULL,
            PRIMARY KEY ("subject_kind", "subject_id", "seq")) WITHOUT ROWID
            """, select: Self.select(hashes: bytes),
            index: "CREATE UNIQUE INDEX \"timeline_entries_id\" ON \"timeline_entries\" (\"id\")")
    }

    func revert(on db: any Database) async throws {
        guard !db.isPostgres else { return }
        func text(_ column: String) -> String { "CASE WHEN typeof(\(column)) = 'blob' THEN lower(hex(\(column))) ELSE \(column) END" }
        try await Self.copy(on: db, into: """
            CREATE TABLE "timeline_entries_copy" ("id" UUID PRIMARY KEY, \(Self.fields), \
            "prev_hash" TEXT NOT NULL, "hash" TEXT NOT NULL, \
            CONSTRAINT "uq:timeline_entries.subject_kind+timeline_entries.subject_id+timeline_entries.seq" UNIQUE ("subject_kind", "subject_id", "seq"))
            """, select: Self.select(hashes: text), index: nil)
    }

    /// Builds the table again as `create` says, in key order, its hashes read through `select`.
    static func copy(on db: any Database, into create: String, select: String, index: String?) async throws {
        try await RebuildSQLiteTable.rebuild("timeline_entries", on: db, create: create, columns: TimelineStore.columns, select: select,
                                             order: "\"subject_kind\", \"subject_id\", \"seq\"", indexes: index.map { [$0] } ?? [])
    }
}
