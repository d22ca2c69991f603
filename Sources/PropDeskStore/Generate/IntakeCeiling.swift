import Fluent
import Foundation
import PropDeskCore
import SQLKit

/// The limit of "acknowledged means stored" on this machine (issue 19): the rows one intake
/// writes — the order, its clocks, its timeline and its live event — committed one transaction
/// at a time through the same driver and write path as the server, with the server's durability
/// settings. No HTTP, no reads, no checks: what is left is the commit, and on SQLite its fsync.
/// Intake throughput is compared with this figure (docs/PERFORMANCE.md, P1).
public struct IntakeCeiling: Sendable {
    let db: any Database
    public init(db: any Database) { self.db = db }

    public struct Result: Sendable {
        public let commits: Int
        public let seconds: Double
        public var perSecond: Double { seconds > 0 ? Double(commits) / seconds : 0 }
    }

    /// Commits `commits` intakes' rows in the first community (by code) on one of its units, one
    /// after another, then deletes them again in one transaction.
    public func run(commits: Int) async throws -> Result {
        let sql = db as! any SQLDatabase
        guard let c = try await sql.raw("SELECT id, code, time_zone FROM communities ORDER BY code LIMIT 1").first(),
              let u = try await sql.raw("SELECT id FROM units WHERE community_id = \(bind: try c.decode(column: "id", as: UUID.self)) LIMIT 1").first()
        else { throw DomainError.conflict(code: "no_data", Message(zh: "数据库中没有小区或房屋", en: "The database has no community or unit")) }
        let community = try c.decode(column: "id", as: UUID.self)
        let unit = try u.decode(column: "id", as: UUID.self)
        let last = try await sql.raw("SELECT MAX(seq) AS last FROM work_orders WHERE community_id = \(bind: community)").first()?
            .decode(column: "last", as: Int?.self) ?? 0
        let machine = OrderMachine(contract: ServiceContract())
        let actor = Actor(userID: nil, name: "bench ceiling")
        let draft = OrderDraft(communityID: community, kind: .repair, channel: .hotline, unitID: unit, description: "卫生间漏水 (bench ceiling)")
        var written: [UUID] = []
        let started = ContinuousClock.now
        for i in 1...max(1, commits) {
            let at = Date()
            let t = try machine.open(draft, number: "BENCH-\(last + i)", seq: last + i, by: actor, at: at)
            try await db.writeTransaction { tx in
                try await BulkRows.insert(WorkOrderModel.schema, BulkRows.orderColumns, [BulkRows.row(t.order)], on: tx)
                try await BulkRows.insert(SLAClockModel.schema, BulkRows.clockColumns, t.clocks.map(BulkRows.row), on: tx)
                try await TimelineStore(db: tx).append(t.events.map(TimelineEntry.init), newSubjects: true)
                try await BulkRows.insert(LiveEventModel.schema, BulkRows.liveColumns,
                                          [[community, t.order.areaID, unit, "bench.ceiling", "{}", at] as BulkRows.Row], on: tx)
            }
            written.append(t.order.id)
        }
        let elapsed = ContinuousClock.now - started
        let ids = written
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            for chunk in ids.chunked(into: 500) {
                let ids = chunk.map { $0 as any Encodable & Sendable }
                try await sql.raw("DELETE FROM timeline_entries WHERE subject_kind = 'work_order' AND subject_id IN (\(binds: ids))").run()
                try await sql.raw("DELETE FROM sla_clocks WHERE subject_id IN (\(binds: ids))").run()
                try await sql.raw("DELETE FROM work_orders WHERE id IN (\(binds: ids))").run()
            }
            try await sql.raw("DELETE FROM live_events WHERE kind = 'bench.ceiling'").run()
        }
        let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(commits: written.count, seconds: s)
    }
}
