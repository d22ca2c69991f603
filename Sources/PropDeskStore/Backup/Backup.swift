import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Backup and restore of the whole database with one command each (SEC-6). The file is JSON
/// lines: a header with the row count of every table, then one line per row in dependency order.
/// It is the same on SQLite and PostgreSQL, so a backup from one restores into the other; a
/// restore then counts every table again and fails unless the counts match the header.
public struct Backup: Sendable {
    let db: any Database

    public struct Header: Codable, Sendable {
        public var format = "propdesk-backup"
        /// 2 since migration 0030: a file's bytes once per community (1: once for the installation).
        public var version = 2
        public var createdAt: Date
        public var counts: [String: Int]
    }

    struct Line<M: Codable>: Codable { let t: String; let r: M }
    struct TableOnly: Decodable { let t: String }

    /// The tables, parents before children. Sessions are not kept: people sign in again. Live events are transient.
    static let tables: [any BackupTable.Type] = Capabilities.all.flatMap(\.backupTables)

    public func counts() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for t in Self.tables { out[t.schema] = try await t.count(on: db) }
        return out
    }

    /// Writes every table from one snapshot of the database: a server writing meanwhile changes
    /// nothing of what is read (one read transaction — SQLite's WAL keeps it a snapshot,
    /// PostgreSQL runs it REPEATABLE READ), so the header's counts and the rows always agree and
    /// every child's parent is in the file.
    public func write(to path: String, at: Date, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> [String: Int] {
        _ = FileManager.default.createFile(atPath: path + ".partial", contents: nil)
        guard let out = FileHandle(forWritingAtPath: path + ".partial") else {
            throw DomainError(.invalidInput, code: "backup_unwritable", Message(zh: "无法写入备份文件 \(path)", en: "Cannot write the backup file \(path)"))
        }
        let counts = try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            if tx.isPostgres {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            let snapshot = Backup(db: tx)
            let counts = try await snapshot.counts()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try out.write(contentsOf: encoder.encode(Header(createdAt: at, counts: counts)) + Data("\n".utf8))
            for t in Self.tables {
                try await t.dump(on: tx, encoder: encoder) { data, done in
                    try out.write(contentsOf: data)
                    progress?(t.schema, done, counts[t.schema] ?? 0)
                }
            }
            return counts
        }
        try out.synchronize()
        try out.close()
        // Only a complete file takes the final name: an interrupted backup never looks whole.
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
        return counts
    }

    /// Restores into an empty, migrated database inside one transaction, then verifies counts;
    /// returns the rows restored, by table.
    public func restore(from path: String, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> [String: Int] {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw DomainError(.notFound, code: "backup_missing", Message(zh: "找不到备份文件 \(path)", en: "Backup file not found: \(path)"))
        }
        defer { try? input.close() }
        let existing = try await counts().values.reduce(0, +)
        guard existing == 0 else {
            throw DomainError.conflict(code: "restore_not_empty", Message(zh: "目标数据库不是空的,拒绝恢复(请使用新的数据库)", en: "The target database is not empty; restore into a new database"))
        }
        let lines = LineReader(handle: input)
        let decoder = JSONDecoder()
        guard let first = try lines.next(), let header = try? decoder.decode(Header.self, from: first), header.format == "propdesk-backup" else {
            throw DomainError(.invalidInput, code: "backup_bad", Message(zh: "不是 PropDesk 备份文件", en: "Not a PropDesk backup file"))
        }
        let byName = Dictionary(uniqueKeysWithValues: Self.tables.map { ($0.schema, $0) })
        return try await db.transaction { tx in
            var batch: [Data] = []
            var table: (any BackupTable.Type)?
            var done: [String: Int] = [:]
            var lineNumber = 1
            var batchFirstLine = 2
            func flush() async throws {
                guard let t = table, !batch.isEmpty else { return }
                try await Self.insert(batch, into: t, firstLine: batchFirstLine, decoder: decoder, on: tx)
                done[t.schema, default: 0] += batch.count
                progress?(t.schema, done[t.schema]!, header.counts[t.schema] ?? 0)
                batch.removeAll(keepingCapacity: true)
            }
            while let line = try lines.next() {
                lineNumber += 1
                guard let name = try? decoder.decode(TableOnly.self, from: line).t else {
                    throw DomainError(.invalidInput, code: "backup_bad", Message(zh: "备份第 \(lineNumber) 行无法读取", en: "Line \(lineNumber) of the backup cannot be read"))
                }
                guard let t = byName[name] else {
                    throw DomainError(.invalidInput, code: "backup_bad", Message(zh: "备份含未知的表 \(name)", en: "The backup has an unknown table \(name)"))
                }
                if t.schema != table?.schema { try await flush(); table = t }
                if batch.isEmpty { batchFirstLine = lineNumber }
                batch.append(line)
                if batch.count == 500 { try await flush() }
            }
            try await flush()
            let after = try await Backup(db: tx).counts()
            // A backup from before 0030 held each file's bytes once; they are now kept once per
            // community that holds them, so their count is not the header's.
            for (name, n) in header.counts where after[name] != n && !(header.version < 2 && name == EvidenceBlobTable.schema) {
                throw DomainError.conflict(code: "restore_mismatch", Message(zh: "恢复后 \(name) 有 \(after[name] ?? 0) 行,备份中为 \(n) 行",
                                                                           en: "After restore \(name) has \(after[name] ?? 0) rows, the backup has \(n)"))
            }
            return after
        }
    }
}

extension Backup {
    struct RowID: Decodable { struct R: Decodable { let id: UUID? }; let r: R }

    /// Inserts one batch inside a savepoint. Should the database refuse it, the batch is rolled
    /// back to the savepoint and tried row by row to name the first row it refuses: table, line of
    /// the file, row id and the database's own words, instead of an opaque driver error.
    static func insert(_ batch: [Data], into table: any BackupTable.Type, firstLine: Int, decoder: JSONDecoder, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("SAVEPOINT restore_batch").run()
        do {
            try await table.insert(batch, decoder: decoder, on: db)
            try await sql.raw("RELEASE SAVEPOINT restore_batch").run()
            return
        } catch {
            try await sql.raw("ROLLBACK TO SAVEPOINT restore_batch").run()
        }
        for (i, line) in batch.enumerated() {
            try await sql.raw("SAVEPOINT restore_row").run()
            do {
                try await table.insert([line], decoder: decoder, on: db)
                try await sql.raw("RELEASE SAVEPOINT restore_row").run()
            } catch {
                try? await sql.raw("ROLLBACK TO SAVEPOINT restore_row").run()
                let id = (try? decoder.decode(RowID.self, from: line).r.id).flatMap { $0 }?.uuidString ?? "?"
                let reason = String(reflecting: error)
                throw DomainError(.invalidInput, code: "restore_row_refused",
                                  Message(zh: "恢复失败:表 \(table.schema) 第 \(firstLine + i) 行(id \(id))被数据库拒绝:\(reason)",
                                          en: "Restore failed: table \(table.schema), line \(firstLine + i) (id \(id)) was refused by the database: \(reason)"))
            }
        }
        throw DomainError(.invalidInput, code: "restore_row_refused",
                          Message(zh: "恢复失败:表 \(table.schema) 自第 \(firstLine) 行起的一批被数据库拒绝", en: "Restore failed: the batch of \(table.schema) from line \(firstLine) was refused by the database"))
    }
}

protocol BackupTable: Sendable {
    static var schema: String { get }
    static func count(on db: any Database) async throws -> Int
    static func dump(on db: any Database, encoder: JSONEncoder, write: (Data, Int) throws -> Void) async throws
    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws
}

extension BackupTable where Self: Model, IDValue == UUID {
    static func count(on db: any Database) async throws -> Int { try await query(on: db).count() }

    /// Keyset pages by id: each page costs the same however deep into the table it is.
    static func dump(on db: any Database, encoder: JSONEncoder, write: (Data, Int) throws -> Void) async throws {
        var last: UUID?
        var done = 0
        while true {
            let q = query(on: db).sort(\._$id).limit(1000)
            if let last { q.filter(\._$id > last) }
            let page = try await q.all()
            guard !page.isEmpty else { return }
            var data = Data()
            for row in page {
                data.append(try encoder.encode(Backup.Line(t: schema, r: row)))
                data.append(0x0A)
            }
            done += page.count
            try write(data, done)
            last = page.last?.id
        }
    }

    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws {
        let rows = try lines.map { try decoder.decode(Backup.Line<Self>.self, from: $0).r }
        try await rows.create(on: db)
    }
}

extension CommunityModel: BackupTable {}
extension ServiceContractModel: BackupTable {}
extension CatalogueItemModel: BackupTable {}
extension DispatchRuleModel: BackupTable {}
extension IncidentModel: BackupTable {}
extension WorkOrderModel: BackupTable {}
extension SLAClockModel: BackupTable {}
extension AlertModel: BackupTable {}
extension WebhookDeliveryModel: BackupTable {}
extension AreaModel: BackupTable {}
extension BuildingModel: BackupTable {}
extension UnitModel: BackupTable {}
extension PersonModel: BackupTable {}
extension OccupancyModel: BackupTable {}
extension SearchTermModel: BackupTable {}
extension UserModel: BackupTable {}
extension UserScopeModel: BackupTable {}
extension APITokenModel: BackupTable {}
extension AuditEntryModel: BackupTable {
    /// An installation-wide entry of a backup from before migration 0030 has no community: it gets the installation's.
    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws {
        let rows = try lines.map { try decoder.decode(Backup.Line<AuditEntryModel>.self, from: $0).r }
        for row in rows where row.communityID == nil { row.communityID = Distribution.installation }
        try await rows.create(on: db)
    }
}
extension EvidenceModel: BackupTable {}

/// Reads a file line by line in 1 MiB chunks.
final class LineReader: @unchecked Sendable {
    let handle: FileHandle
    var buffer = Data()
    var eof = false

    init(handle: FileHandle) { self.handle = handle }

    func next() throws -> Data? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<nl]
                buffer = buffer[(nl + 1)...]
                if line.isEmpty { continue }
                return Data(line)
            }
            if eof {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return Data(buffer)
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { eof = true } else { buffer.append(chunk) }
        }
    }
}

/// A child row that knew its community only through its parent before migration 0030 (RUN-5:
/// every row carries its community). A backup written before then names none: it is the
/// parent's, read from the parent rows restored before it.
protocol CommunityChild: Model, BackupTable where IDValue == UUID {
    static var parentSchema: String { get }
    var parentID: UUID { get }
    var communityID: UUID? { get set }
}

extension CommunityChild {
    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws {
        let rows = try lines.map { try decoder.decode(Backup.Line<Self>.self, from: $0).r }
        let missing = Set(rows.filter { $0.communityID == nil }.map(\.parentID))
        var community: [UUID: UUID] = [:]
        for chunk in Array(missing).chunked(into: 1000) {
            for r in try await (db as! any SQLDatabase).raw("""
                SELECT id, community_id FROM \(ident: parentSchema) WHERE id IN (\(binds: chunk.map { $0 as any Encodable & Sendable }))
                """).all() {
                community[try r.decode(column: "id", as: UUID.self)] = try r.decode(column: "community_id", as: UUID.self)
            }
        }
        for row in rows where row.communityID == nil { row.communityID = community[row.parentID] }
        try await rows.create(on: db)
    }
}
