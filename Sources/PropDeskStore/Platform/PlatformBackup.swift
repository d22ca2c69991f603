import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Tables read and written as plain rows in backups (SEC-6): counted, and dumped in keyset
/// pages by their key, so each page costs the same however deep into the table it is.
enum PlainTable {
    static func count(_ table: String, on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func dump<Row: Codable, Key: Encodable & Sendable>(
        _ table: String, key: String, columns: [String], page size: Int = 1000, on db: any Database, encoder: JSONEncoder,
        write: (Data, Int) throws -> Void, row: (any SQLRow) throws -> Row, keyOf: (Row) -> Key
    ) async throws {
        let sql = db as! any SQLDatabase
        var last: Key?
        var done = 0
        while true {
            let q = sql.select().columns(columns).from(table).orderBy(key).limit(size)
            if let last { q.where(SQLIdentifier(key), .greaterThan, SQLBind(last)) }
            let page = try await q.all().map(row)
            guard let end = page.last else { return }
            var data = Data()
            for r in page { data.append(try encoder.encode(Backup.Line(t: table, r: r))); data.append(0x0A) }
            done += page.count
            try write(data, done)
            last = keyOf(end)
        }
    }
}

/// Timelines keep their hashes, so a restored database still verifies (PLT-3).
enum TimelineTable: BackupTable {
    static var schema: String { "timeline_entries" }
    static func count(on db: any Database) async throws -> Int { try await PlainTable.count(schema, on: db) }

    static func dump(on db: any Database, encoder: JSONEncoder, write: (Data, Int) throws -> Void) async throws {
        try await PlainTable.dump(schema, key: "id", columns: TimelineStore.columns, on: db, encoder: encoder, write: write, row: TimelineStore.entry, keyOf: \.id)
    }

    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws {
        let rows = try lines.map { try decoder.decode(Backup.Line<TimelineEntry>.self, from: $0).r }
        try await BulkRows.insert(schema, TimelineStore.columns, rows.map(TimelineStore.row), on: db)
    }
}

enum DutyPeriodTable: BackupTable {
    static var schema: String { "duty_periods" }
    static let columns = ["id", "duty_id", "community_id", "area_id", "scope_key", "period", "starts_at", "ends_at", "outcome", "numerator",
                          "denominator", "decided_at"]
    static func count(on db: any Database) async throws -> Int { try await PlainTable.count(schema, on: db) }

    static func dump(on db: any Database, encoder: JSONEncoder, write: (Data, Int) throws -> Void) async throws {
        try await PlainTable.dump(schema, key: "id", columns: columns, on: db, encoder: encoder, write: write, row: DutyStore.period, keyOf: \.id)
    }

    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws {
        let rows = try lines.map { try decoder.decode(Backup.Line<DutyStore.Period>.self, from: $0).r }
        try await BulkRows.insert(schema, columns, rows.map { p in
            [p.id, p.dutyID, p.communityID, p.areaID, p.areaID?.uuidString ?? "", p.period, p.startsAt, p.endsAt, p.outcome?.rawValue, p.numerator,
             p.denominator, p.decidedAt]
        }, on: db)
    }
}

/// The files' bytes, keyed by community and digest; a restore checks each digest again.
enum EvidenceBlobTable: BackupTable {
    static var schema: String { "evidence_blobs" }
    /// `communityID` is nil in a backup from before migration 0030, when a file's bytes were kept once for the installation.
    struct Row: Codable { let communityID: UUID?; let digest: String; let bytes: Data }
    static func count(on db: any Database) async throws -> Int { try await PlainTable.count(schema, on: db) }

    /// Keyset pages by the key, (community, digest): one digest can be held by several communities.
    static func dump(on db: any Database, encoder: JSONEncoder, write: (Data, Int) throws -> Void) async throws {
        let sql = db as! any SQLDatabase
        var last: (digest: String, community: UUID)?
        var done = 0
        while true {
            let after: SQLQueryString = last.map { "WHERE community_id > \(bind: $0.community) OR (community_id = \(bind: $0.community) AND digest > \(bind: $0.digest))" } ?? ""
            let page = try await sql.raw("SELECT community_id, digest, bytes FROM evidence_blobs \(after) ORDER BY community_id, digest LIMIT 50").all().map {
                Row(communityID: try $0.decode(column: "community_id", as: UUID.self), digest: try $0.decode(column: "digest", as: String.self),
                    bytes: try $0.decode(column: "bytes", as: Data.self))
            }
            guard let end = page.last, let community = end.communityID else { return }
            var data = Data()
            for r in page { data.append(try encoder.encode(Backup.Line(t: schema, r: r))); data.append(0x0A) }
            done += page.count
            try write(data, done)
            last = (end.digest, community)
        }
    }

    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws {
        let rows = try lines.map { try decoder.decode(Backup.Line<Row>.self, from: $0).r }
        for r in rows where EvidenceStore.digest(Array(r.bytes)) != r.digest {
            throw DomainError(.invalidInput, code: "restore_row_refused", Message(zh: "备份中的附件内容与其摘要不符:\(r.digest)", en: "A file in the backup does not match its digest: \(r.digest)"))
        }
        try await BulkRows.insert(schema, ["community_id", "digest", "bytes"], rows.compactMap { r in r.communityID.map { [$0, r.digest, r.bytes] } }, on: db)
        // From before 0030: the bytes go to every community whose evidence holds them (restored before them).
        for r in rows where r.communityID == nil {
            try await (db as! any SQLDatabase).raw("""
                INSERT INTO evidence_blobs (community_id, digest, bytes)
                SELECT DISTINCT community_id, \(bind: r.digest), \(bind: r.bytes) FROM evidence WHERE digest = \(bind: r.digest)
                """).run()
        }
    }
}
