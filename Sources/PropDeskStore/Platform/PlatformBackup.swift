import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The platform's own tables in backups (SEC-6): timelines keep their hashes, so a restored
/// database still verifies (PLT-3).
enum TimelineTable: BackupTable {
    static var schema: String { "timeline_entries" }

    static func count(on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM timeline_entries").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func dump(on db: any Database, encoder: JSONEncoder, write: (Data, Int) throws -> Void) async throws {
        let sql = db as! any SQLDatabase
        var last: UUID?
        var done = 0
        while true {
            let q = sql.select().columns(TimelineStore.columns).from(schema).orderBy("id").limit(1000)
            if let last { q.where("id", .greaterThan, last) }
            let page = try await q.all().map(TimelineStore.entry)
            guard !page.isEmpty else { return }
            var data = Data()
            for e in page { data.append(try encoder.encode(Backup.Line(t: schema, r: e))); data.append(0x0A) }
            done += page.count
            try write(data, done)
            last = page.last?.id
        }
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

    static func count(on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM duty_periods").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func dump(on db: any Database, encoder: JSONEncoder, write: (Data, Int) throws -> Void) async throws {
        let sql = db as! any SQLDatabase
        var last: UUID?
        var done = 0
        while true {
            let q = sql.select().column("*").from(schema).orderBy("id").limit(1000)
            if let last { q.where("id", .greaterThan, last) }
            let page = try await q.all().map(DutyStore.period)
            guard !page.isEmpty else { return }
            var data = Data()
            for p in page { data.append(try encoder.encode(Backup.Line(t: schema, r: p))); data.append(0x0A) }
            done += page.count
            try write(data, done)
            last = page.last?.id
        }
    }

    static func insert(_ lines: [Data], decoder: JSONDecoder, on db: any Database) async throws {
        let rows = try lines.map { try decoder.decode(Backup.Line<DutyStore.Period>.self, from: $0).r }
        try await BulkRows.insert(schema, columns, rows.map { p in
            [p.id, p.dutyID, p.communityID, p.areaID, p.areaID?.uuidString ?? "", p.period, p.startsAt, p.endsAt, p.outcome?.rawValue, p.numerator,
             p.denominator, p.decidedAt]
        }, on: db)
    }
}
