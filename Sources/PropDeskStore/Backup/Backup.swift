import Fluent
import Foundation
import PropDeskCore

/// Backup and restore of the whole database with one command each (SEC-6). The file is JSON
/// lines: a header with the row count of every table, then one line per row in dependency order.
/// It is the same on SQLite and PostgreSQL, so a backup from one restores into the other; a
/// restore then counts every table again and fails unless the counts match the header.
public struct Backup: Sendable {
    let db: any Database

    public struct Header: Codable, Sendable {
        public var format = "propdesk-backup"
        public var version = 1
        public var createdAt: Date
        public var counts: [String: Int]
    }

    struct Line<M: Codable>: Codable { let t: String; let r: M }
    struct TableOnly: Decodable { let t: String }

    /// The tables, parents before children. Sessions are not kept: people sign in again. Live events are transient.
    static let tables: [any BackupTable.Type] = [
        CommunityModel.self, AreaModel.self, BuildingModel.self, UnitModel.self, PersonModel.self, OccupancyModel.self,
        SearchTermModel.self, UserModel.self, UserScopeModel.self, APITokenModel.self, AuditEntryModel.self,
        ServiceContractModel.self, CatalogueItemModel.self, DispatchRuleModel.self, IncidentModel.self, WorkOrderModel.self,
        OrderEventModel.self, SLAClockModel.self, AlertModel.self, WebhookDeliveryModel.self, OrderPhotoModel.self, OrderPhotoBlobModel.self,
    ]

    public func counts() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for t in Self.tables { out[t.schema] = try await t.count(on: db) }
        return out
    }

    public func write(to path: String, at: Date, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> [String: Int] {
        let counts = try await counts()
        FileManager.default.createFile(atPath: path + ".partial", contents: nil)
        guard let out = FileHandle(forWritingAtPath: path + ".partial") else {
            throw DomainError(.invalidInput, code: "backup_unwritable", Message(zh: "无法写入备份文件 \(path)", en: "Cannot write the backup file \(path)"))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try out.write(contentsOf: encoder.encode(Header(createdAt: at, counts: counts)) + Data("\n".utf8))
        for t in Self.tables {
            try await t.dump(on: db, encoder: encoder) { data, done in
                try out.write(contentsOf: data)
                progress?(t.schema, done, counts[t.schema] ?? 0)
            }
        }
        try out.synchronize()
        try out.close()
        // Only a complete file takes the final name: an interrupted backup never looks whole.
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
        return counts
    }

    /// Restores into an empty, migrated database inside one transaction, then verifies counts.
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
        try await db.transaction { tx in
            var batch: [Data] = []
            var table: (any BackupTable.Type)?
            var done: [String: Int] = [:]
            func flush() async throws {
                guard let t = table, !batch.isEmpty else { return }
                try await t.insert(batch, decoder: decoder, on: tx)
                done[t.schema, default: 0] += batch.count
                progress?(t.schema, done[t.schema]!, header.counts[t.schema] ?? 0)
                batch.removeAll(keepingCapacity: true)
            }
            while let line = try lines.next() {
                let name = try decoder.decode(TableOnly.self, from: line).t
                guard let t = byName[name] else {
                    throw DomainError(.invalidInput, code: "backup_bad", Message(zh: "备份含未知的表 \(name)", en: "The backup has an unknown table \(name)"))
                }
                if t.schema != table?.schema { try await flush(); table = t }
                batch.append(line)
                if batch.count == 500 { try await flush() }
            }
            try await flush()
            let after = try await Backup(db: tx).counts()
            for (name, n) in header.counts where after[name] != n {
                throw DomainError.conflict(code: "restore_mismatch", Message(zh: "恢复后 \(name) 有 \(after[name] ?? 0) 行,备份中为 \(n) 行",
                                                                           en: "After restore \(name) has \(after[name] ?? 0) rows, the backup has \(n)"))
            }
        }
        return header.counts
    }
}

protocol BackupTable {
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
extension OrderEventModel: BackupTable {}
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
extension AuditEntryModel: BackupTable {}
extension OrderPhotoModel: BackupTable {}
extension OrderPhotoBlobModel: BackupTable {}

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
