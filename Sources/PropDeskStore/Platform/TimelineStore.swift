import Crypto
import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The hash-chained timeline of subjects (PLT-2, PLT-3): entries are only ever appended, each
/// sealed with the hash of the one before, and `verify` walks every chain to name the first
/// entry changed or removed behind PropDesk's back.
public struct TimelineStore: Sendable {
    let db: any Database
    var sql: any SQLDatabase { db as! any SQLDatabase }

    static let columns = ["id", "subject_kind", "subject_id", "community_id", "seq", "kind", "actor_id", "actor_name", "at", "note",
                          "from_state", "to_state", "data", "prev_hash", "hash"]

    static let columnList = SQLRaw(BulkRows.list(columns))

    static func row(_ e: TimelineEntry) -> BulkRows.Row {
        [e.id, e.subjectKind.rawValue, e.subjectID, e.communityID, e.seq, e.kind, e.actorID, e.actorName, e.at, e.note, e.fromState, e.toState,
         AuditEntry.snapshot(e.data), ChainHash(e.prevHash), ChainHash(e.hash)]
    }

    static func sha256(_ text: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(text.utf8)))
    }

    /// Appends entries to their subjects' timelines inside the caller's write transaction (which
    /// must hold the subjects, so two writers never take the same number): each subject's chain
    /// end is read in one query, the entries numbered and sealed in order, and written as one
    /// bulk insert. Returns them sealed. `newSubjects`: the subjects were created in this
    /// transaction, so their chains are known to be empty and are not read. `known`: the chain
    /// ends of every subject of `entries`, as the caller read them in this transaction (to
    /// number a step) — not read a second time.
    @discardableResult
    func append(_ entries: [TimelineEntry], newSubjects: Bool = false, known: ChainEnds? = nil) async throws -> [TimelineEntry] {
        guard !entries.isEmpty else { return [] }
        var ends: ChainEnds = [:]
        if let known { ends = known } else if !newSubjects { ends = try await chainEnds(entries.map { ($0.subjectKind, $0.subjectID, $0.communityID) }) }
        var sealed: [TimelineEntry] = []
        sealed.reserveCapacity(entries.count)
        for var e in entries {
            let key = SubjectKey(kind: e.subjectKind.rawValue, id: e.subjectID)
            let end = ends[key] ?? (0, "")
            e.seq = end.seq + 1
            e = TimelineChain.seal(e, after: end.hash, hash: Self.sha256)
            ends[key] = (e.seq, e.hash)
            sealed.append(e)
        }
        try await BulkRows.insert("timeline_entries", Self.columns, sealed.map(Self.row), on: db)
        return sealed
    }

    struct SubjectKey: Hashable { let kind: String; let id: UUID }

    /// Where subjects' chains end: the last number and hash of each (absent: no entries yet).
    typealias ChainEnds = [SubjectKey: (seq: Int, hash: String)]

    /// Seals the entries of subjects that have none stored yet (generated data): each subject's
    /// chain starts afresh, in the order given, keeping the numbers given.
    static func sealNew(_ entries: [TimelineEntry]) -> [TimelineEntry] {
        var out: [TimelineEntry] = []
        out.reserveCapacity(entries.count)
        for (_, chain) in Dictionary(grouping: entries, by: { SubjectKey(kind: $0.subjectKind.rawValue, id: $0.subjectID) }) {
            var previous = ""
            for e in chain.sorted(by: { $0.seq < $1.seq }) {
                let sealed = TimelineChain.seal(e, after: previous, hash: sha256)
                previous = sealed.hash
                out.append(sealed)
            }
        }
        return out
    }

    /// Where each subject's chain ends now: its last number and hash (absent: no entries yet).
    /// On PostgreSQL read community by community (RUN-5): each statement, and its inner look for
    /// the last number, names the community, so distributed by community it runs on one node.
    func chainEnds(_ subjects: [(kind: SubjectKind, id: UUID, community: UUID)]) async throws -> ChainEnds {
        var out: ChainEnds = [:]
        guard db.writers.namesOneCommunity else {
            // One file (SQLite): a kind's chain ends in one read, whatever their communities.
            for (kind, group) in Dictionary(grouping: subjects, by: { $0.kind.rawValue }) {
                for chunk in Array(Set(group.map(\.id))).chunked(into: 500) {
                    let rows = try await sql.raw("""
                        SELECT t.subject_id AS subject_id, t.seq AS seq, t.hash AS hash FROM timeline_entries t
                        WHERE t.subject_kind = \(bind: kind) AND t.subject_id IN (\(binds: chunk.map { $0 as any Encodable & Sendable }))
                          AND t.seq = (SELECT MAX(m.seq) FROM timeline_entries m WHERE m.subject_kind = t.subject_kind AND m.subject_id = t.subject_id)
                        """).all()
                    for r in rows { try Self.readEnd(r, kind: kind, into: &out) }
                }
            }
            return out
        }
        for (key, group) in Dictionary(grouping: subjects, by: { CommunityKind(kind: $0.kind.rawValue, community: $0.community) }) {
            for chunk in Array(Set(group.map(\.id))).chunked(into: 500) {
                let rows = try await sql.raw("""
                    SELECT t.subject_id AS subject_id, t.seq AS seq, t.hash AS hash FROM timeline_entries t
                    WHERE t.community_id = \(bind: key.community) AND t.subject_kind = \(bind: key.kind)
                      AND t.subject_id IN (\(binds: chunk.map { $0 as any Encodable & Sendable }))
                      AND t.seq = (SELECT MAX(m.seq) FROM timeline_entries m
                                   WHERE m.community_id = t.community_id AND m.subject_kind = t.subject_kind AND m.subject_id = t.subject_id)
                    """).all()
                for r in rows { try Self.readEnd(r, kind: key.kind, into: &out) }
            }
        }
        return out
    }

    private static func readEnd(_ r: any SQLRow, kind: String, into out: inout ChainEnds) throws {
        out[SubjectKey(kind: kind, id: try r.decode(column: "subject_id", as: UUID.self))] =
            (try r.decode(column: "seq", as: Int.self), try r.decode(column: "hash", as: ChainHash.self).hex)
    }

    private struct CommunityKind: Hashable {
        let kind: String
        let community: UUID
    }

    /// How many entries all timelines hold.
    public func count() async throws -> Int { try await PlainTable.count("timeline_entries", on: db) }

    /// One subject's timeline, oldest first.
    public func entries(_ kind: SubjectKind, _ id: UUID) async throws -> [TimelineEntry] {
        try await sql.select().column(Self.columnList).from("timeline_entries").where("subject_kind", .equal, kind.rawValue)
            .where("subject_id", .equal, id).orderBy("seq").all().map(Self.entry)
    }

    /// One entry of `kind` by its id (a form's own id, sent again). On SQLite only the entries of
    /// the subjects whose forms bring their own ids — the duty log and the work log — are indexed
    /// by id (`IndexOnlyWhatIsSet`); the kind is written into the statement as a literal, since
    /// SQLite chooses a partial index only for a condition it can read before the values are bound.
    public func entry(_ id: UUID, of kind: SubjectKind) async throws -> TimelineEntry? {
        try await sql.select().column(Self.columnList).from("timeline_entries")
            .where(SQLColumn("subject_kind"), .equal, SQLLiteral.string(kind.rawValue))
            .where("id", .equal, id).first().map(Self.entry)
    }

    static func entry(_ r: any SQLRow) throws -> TimelineEntry {
        let data = try r.decode(column: "data", as: String.self)
        return TimelineEntry(id: try r.decode(column: "id", as: UUID.self),
                             subjectKind: SubjectKind(rawValue: try r.decode(column: "subject_kind", as: String.self)),
                             subjectID: try r.decode(column: "subject_id", as: UUID.self),
                             communityID: try r.decode(column: "community_id", as: UUID.self),
                             seq: try r.decode(column: "seq", as: Int.self), kind: try r.decode(column: "kind", as: String.self),
                             actorID: try r.decode(column: "actor_id", as: UUID?.self), actorName: try r.decode(column: "actor_name", as: String.self),
                             at: try r.decode(column: "at", as: Date.self), note: try r.decode(column: "note", as: String?.self),
                             fromState: try r.decode(column: "from_state", as: String?.self), toState: try r.decode(column: "to_state", as: String?.self),
                             data: (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? ["": data],
                             prevHash: try r.decode(column: "prev_hash", as: ChainHash.self).hex, hash: try r.decode(column: "hash", as: ChainHash.self).hex)
    }

    public struct Verification: Sendable {
        public var subjects = 0
        public var entries = 0
        /// The first break of each broken chain.
        public var findings: [TimelineChain.Finding] = []
    }

    /// Walks every chain, kind by kind in (subject, seq) order, a page at a time, and reports the
    /// first break of each broken one (PLT-3). Pages follow the unique index (kind, subject, seq)
    /// by a row-value comparison, so the walk is one pass over the table however large it is.
    public func verify(page: Int = 5_000, progress: (@Sendable (Int) -> Void)? = nil) async throws -> Verification {
        var result = Verification()
        let kinds = try await sql.raw("SELECT DISTINCT subject_kind FROM timeline_entries").all().map { try $0.decode(column: "subject_kind", as: String.self) }
        let list = SQLKit.SQLList(Self.columns.map { SQLIdentifier($0) })
        let limit = String(max(1, min(page, 100_000)))
        for kind in kinds.sorted() {
            var after: (id: UUID, seq: Int)?
            var current: UUID?
            var chain: [TimelineEntry] = []
            var broken = false
            var last: (seq: Int, hash: String)?
            func check() {
                guard !broken, !chain.isEmpty else { chain = []; return }
                let (finding, end) = TimelineChain.check(chain, after: last, hash: Self.sha256)
                if let finding { result.findings.append(finding); broken = true }
                last = end
                chain = []
            }
            while true {
                let rows: [any SQLRow]
                if let a = after {
                    rows = try await sql.raw("""
                        SELECT \(list) FROM timeline_entries WHERE subject_kind = \(bind: kind) AND (subject_id, seq) > (\(bind: a.id), \(bind: a.seq))
                        ORDER BY subject_id, seq LIMIT \(unsafeRaw: limit)
                        """).all()
                } else {
                    rows = try await sql.raw("""
                        SELECT \(list) FROM timeline_entries WHERE subject_kind = \(bind: kind) ORDER BY subject_id, seq LIMIT \(unsafeRaw: limit)
                        """).all()
                }
                if rows.isEmpty { break }
                for r in rows {
                    let e = try Self.entry(r)
                    if current != e.subjectID {
                        check()
                        current = e.subjectID
                        last = nil
                        broken = false
                        result.subjects += 1
                    }
                    chain.append(e)
                    result.entries += 1
                    after = (e.subjectID, e.seq)
                }
                check()
                progress?(result.entries)
            }
        }
        return result
    }
}
