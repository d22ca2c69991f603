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

    static let columns = ["id", "subject_kind", "subject_id", "community_id", "seq", "kind", "actor_id", "actor_name", "at", "note", "data",
                          "prev_hash", "hash"]

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Appends entries to one subject's timeline inside the caller's write transaction (which
    /// must hold the subject, so two writers never take the same number). Their `seq`, `prevHash`
    /// and `hash` are set here.
    @discardableResult
    func append(_ entries: [TimelineEntry]) async throws -> [TimelineEntry] {
        guard let first = entries.first else { return [] }
        let last = try await sql.raw("""
            SELECT seq, hash FROM timeline_entries WHERE subject_kind = \(bind: first.subjectKind.rawValue) AND subject_id = \(bind: first.subjectID)
            ORDER BY seq DESC LIMIT 1
            """).first()
        var seq = try last?.decode(column: "seq", as: Int.self) ?? 0
        var previous = try last?.decode(column: "hash", as: String.self) ?? ""
        var sealed: [TimelineEntry] = []
        for var e in entries {
            seq += 1
            e.seq = seq
            e = TimelineChain.seal(e, after: previous, hash: Self.sha256)
            previous = e.hash
            sealed.append(e)
        }
        let q = sql.insert(into: "timeline_entries").columns(Self.columns)
        for e in sealed {
            q.values([e.id, e.subjectKind.rawValue, e.subjectID, e.communityID, e.seq, e.kind, e.actorID, e.actorName, e.at, e.note,
                      AuditEntry.snapshot(e.data), e.prevHash, e.hash] as [any Encodable & Sendable])
        }
        try await q.run()
        return sealed
    }

    /// One subject's timeline, oldest first.
    public func entries(_ kind: SubjectKind, _ id: UUID) async throws -> [TimelineEntry] {
        try await sql.select().columns(Self.columns).from("timeline_entries").where("subject_kind", .equal, kind.rawValue)
            .where("subject_id", .equal, id).orderBy("seq").all().map(Self.entry)
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
                             data: (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? ["": data],
                             prevHash: try r.decode(column: "prev_hash", as: String.self), hash: try r.decode(column: "hash", as: String.self))
    }

    public struct Verification: Sendable {
        public var subjects = 0
        public var entries = 0
        /// The first break of each broken chain.
        public var findings: [TimelineChain.Finding] = []
    }

    /// Walks every chain in (kind, subject, seq) order, a page at a time, and reports the first
    /// break of each broken one (PLT-3). Cost: one pass over the table, in pages of `page` rows.
    public func verify(page: Int = 5_000, progress: (@Sendable (Int) -> Void)? = nil) async throws -> Verification {
        var result = Verification()
        var after: (kind: String, id: UUID, seq: Int)?
        var current: (kind: String, id: UUID)?
        var chain: [TimelineEntry] = []
        var brokenSubject = false
        var last: (seq: Int, hash: String)?
        func close() {
            guard current != nil, !brokenSubject else { return }
            let (finding, end) = TimelineChain.check(chain, after: last, hash: Self.sha256)
            if let finding { result.findings.append(finding) }
            last = end
        }
        while true {
            let q = sql.select().columns(Self.columns).from("timeline_entries")
            if let a = after {
                q.where(group: { g in
                    g.where("subject_kind", .greaterThan, a.kind)
                        .orWhere(group: { $0.where("subject_kind", .equal, a.kind).where("subject_id", .greaterThan, a.id) })
                        .orWhere(group: { $0.where("subject_kind", .equal, a.kind).where("subject_id", .equal, a.id).where("seq", .greaterThan, a.seq) })
                })
            }
            let rows = try await q.orderBy("subject_kind").orderBy("subject_id").orderBy("seq").limit(page).all()
            if rows.isEmpty { break }
            for r in rows {
                let e = try Self.entry(r)
                if current?.kind != e.subjectKind.rawValue || current?.id != e.subjectID {
                    close()
                    current = (e.subjectKind.rawValue, e.subjectID)
                    chain = []
                    last = nil
                    brokenSubject = false
                    result.subjects += 1
                }
                chain.append(e)
                if chain.count >= 1_000 {
                    let (finding, end) = TimelineChain.check(chain, after: last, hash: Self.sha256)
                    if let finding, !brokenSubject { result.findings.append(finding); brokenSubject = true }
                    last = end
                    chain = []
                }
                result.entries += 1
                after = (e.subjectKind.rawValue, e.subjectID, e.seq)
            }
            progress?(result.entries)
        }
        close()
        return result
    }
}
