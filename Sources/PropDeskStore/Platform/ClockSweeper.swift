import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// What one capability does for its subjects on the platform (PLT-2): fire their due clocks and
/// note on them that someone saw one of their alerts. Registered once, in `Platform`.
public protocol SubjectHandler: Sendable {
    var kind: SubjectKind { get }
    /// Fires these due clocks inside the sweeper's transaction `tx`, which already holds their
    /// rows. A handler that cannot take one now (its subject is held by another process) leaves
    /// it as it is and counts it as skipped: the next round takes it.
    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport
    /// Notes on the subject's timeline that someone acknowledged one of its alerts.
    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws
}

/// What one sweep did.
public struct SweepReport: Sendable, Equatable {
    public var fired = 0
    public var alerts = 0
    public var closed = 0
    public var skipped = 0
    public init() {}

    public mutating func add(_ other: SweepReport) {
        fired += other.fired
        alerts += other.alerts
        closed += other.closed
        skipped += other.skipped
    }
}

/// The one sweeper (INT-6, INT-7, INT-18, PLT-2, RUN-2): finds the clocks whose next firing time
/// has come through the partial index `sla_clocks_due`, holds them, and hands each kind's batch
/// to its handler — all in one transaction, written as a few bulk statements, so a thousand due
/// clocks fire in one round (docs/PERFORMANCE.md, P4). On PostgreSQL the clock rows are taken
/// with `FOR UPDATE SKIP LOCKED` and the due condition is checked again on the locked row, so
/// however many processes sweep, each firing happens exactly once.
public struct ClockSweeper: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    let handlers: [SubjectKind: any SubjectHandler]

    /// Fires up to `limit` due clocks. Should the batch fail, each clock is tried in its own
    /// transaction, so one bad clock cannot hold back the others (inside another transaction —
    /// the demo's simulated day — each in a savepoint of it).
    public func sweep(limit: Int = 200) async throws -> SweepReport {
        let at = now()
        guard try await !dueClocks(limit: 1, at: at).isEmpty else { return SweepReport() }
        do {
            return try await db.isolatedWriteTransaction { tx in try await self.fire(on: tx, at: at, limit: limit, only: nil) }
        } catch {
            var report = SweepReport()
            var firstError: (any Error)?
            for candidate in try await dueClocks(limit: limit, at: at) {
                do {
                    report.add(try await db.isolatedWriteTransaction { tx in try await self.fire(on: tx, at: at, limit: 1, only: candidate.clockID) })
                } catch {
                    firstError = firstError ?? error
                }
            }
            if let firstError, report.fired == 0 { throw firstError }
            return report
        }
    }

    private func fire(on tx: any Database, at: Date, limit: Int, only: UUID?) async throws -> SweepReport {
        let sql = tx as! any SQLDatabase
        let lock = tx.writers.lockClause(skipLocked: true)
        let columns = SQLKit.SQLList(OrderRows.clockColumns.map { SQLIdentifier($0) })
        let rows: [any SQLRow]
        if let only {
            rows = try await sql.raw("""
                SELECT \(columns) FROM sla_clocks WHERE id = \(bind: only) AND next_fire_at <= \(bind: at)\(unsafeRaw: lock)
                """).all()
        } else {
            rows = try await sql.raw("""
                SELECT \(columns) FROM sla_clocks WHERE next_fire_at <= \(bind: at)
                ORDER BY next_fire_at LIMIT \(unsafeRaw: String(max(1, min(limit, 10_000))))\(unsafeRaw: lock)
                """).all()
        }
        let clocks = try rows.map(OrderRows.clock)
        var report = SweepReport()
        // Kinds in the order their first clock fell due: an order's late arrival is on record
        // before the duty that counts it is decided, when both fall in one round.
        let groups = Dictionary(grouping: clocks, by: \.subjectKind)
        var kinds: [SubjectKind] = []
        for c in clocks where !kinds.contains(c.subjectKind) { kinds.append(c.subjectKind) }
        for kind in kinds {
            let batch = groups[kind] ?? []
            if let handler = handlers[kind] {
                report.add(try await handler.fire(batch, at: at, on: tx))
            } else {
                // Nothing can ever fire these: park them instead of meeting them every round.
                try await sql.raw("UPDATE sla_clocks SET next_fire_at = NULL WHERE id IN (\(binds: batch.map { $0.id as any Encodable & Sendable }))").run()
                report.skipped += batch.count
            }
        }
        return report
    }

    /// The sweeper's first look: which clocks' next firing time has come (by `at`, default now),
    /// oldest first — two columns of the partial index `sla_clocks_due`, read as plain rows, so
    /// it costs what is due, not what is stored. `propdesk bench sweep` times exactly this (P4).
    public func dueClocks(limit: Int, at: Date? = nil) async throws -> [(clockID: UUID, subjectID: UUID)] {
        try await (db as! any SQLDatabase).select().column("id").column("subject_id").from("sla_clocks")
            .where("next_fire_at", .lessThanOrEqual, at ?? now())
            .orderBy("next_fire_at").limit(limit).all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "subject_id", as: UUID.self)) }
    }

    /// When the next clock is due (so the background service can sleep until then).
    public func nextDue() async throws -> Date? {
        try await (db as! any SQLDatabase).select().column("next_fire_at").from("sla_clocks").where("next_fire_at", .isNot, SQLLiteral.null)
            .orderBy("next_fire_at").limit(1).first()?.decode(column: "next_fire_at", as: Date.self)
    }
}
