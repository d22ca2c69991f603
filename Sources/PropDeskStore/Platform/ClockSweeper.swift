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
    /// Of `alerts`, the front desk's callback tasks (S4 4.9): someone must ring the resident.
    public var callbacks = 0
    public var closed = 0
    public var skipped = 0
    public init() {}

    public mutating func add(_ other: SweepReport) {
        fired += other.fired
        alerts += other.alerts
        callbacks += other.callbacks
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
        let due = try await dueClocks(limit: max(1, min(limit, 10_000)), at: at)
        guard !due.isEmpty else { return SweepReport() }
        do {
            return try await db.isolatedWriteTransaction { tx in try await self.fire(due, one: false, on: tx, at: at) }
        } catch {
            var report = SweepReport()
            var firstError: (any Error)?
            for candidate in due {
                do {
                    report.add(try await db.isolatedWriteTransaction { tx in try await self.fire([candidate], one: true, on: tx, at: at) })
                } catch {
                    firstError = firstError ?? error
                }
            }
            if let firstError, report.fired == 0 { throw firstError }
            return report
        }
    }

    /// Holds and fires clocks due. They are held community by community (RUN-5): each locking
    /// read names its community, so distributed by community it goes to the one node that keeps
    /// those clocks. From each community of the window found due it takes as many clocks as the
    /// window had there, oldest first, skipping those another process holds — so a second
    /// sweeper takes the next ones instead of none — and checks the due time again on the held
    /// row: a clock fired meanwhile is no longer due and is left alone. `one`: just the clock of
    /// the window (the retry of a batch that failed).
    private func fire(_ window: [DueClock], one: Bool, on tx: any Database, at: Date) async throws -> SweepReport {
        let sql = tx as! any SQLDatabase
        let lock = tx.writers.lockClause(skipLocked: true)
        let columns = SQLKit.SQLList(OrderRows.clockColumns.map { SQLIdentifier($0) })
        var clocks: [SLAClock] = []
        if !tx.writers.namesOneCommunity {
            // One file, one writer (SQLite): the window's clocks in one read, each still due.
            for chunk in (one ? [window[0]] : window).chunked(into: 1000) {
                let which = ClockRows.identified(subjects: chunk.map(\.subjectID), ids: chunk.map(\.clockID), on: tx)
                clocks += try await sql.raw("SELECT \(columns) FROM sla_clocks WHERE \(which) AND next_fire_at <= \(bind: at)").plainRows()
                    .map(OrderRows.clock)
            }
        }
        for (community, count) in Distribution.byCommunity(window.map(\.communityID)) where tx.writers.namesOneCommunity {
            let which: SQLQueryString = one
                ? "AND id = \(bind: window[0].clockID) AND next_fire_at <= \(bind: at)"
                : "AND next_fire_at <= \(bind: at) ORDER BY next_fire_at LIMIT \(unsafeRaw: String(count))"
            let rows = try await sql.raw("SELECT \(columns) FROM sla_clocks WHERE community_id = \(bind: community) \(which)\(unsafeRaw: lock)").plainRows()
            clocks += try rows.map(OrderRows.clock)
        }
        // Oldest due first, across the communities.
        clocks.sort { ($0.nextFireAt ?? at) < ($1.nextFireAt ?? at) }
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
                try await ClockRows.park(batch, on: tx)
                report.skipped += batch.count
            }
        }
        return report
    }

    /// The sweeper's first look: which clocks' next firing time has come (by `at`, default now),
    /// oldest first, with their communities — found through the partial index
    /// `sla_clocks_due` and read as plain rows, so it costs what is due, not what is stored. It
    /// holds nothing: `sweep` then holds them community by community. `propdesk bench sweep` times exactly this (P4).
    public func dueClocks(limit: Int, at: Date? = nil) async throws -> [DueClock] {
        try await (db as! any SQLDatabase).select().column("id").column("community_id").column("subject_id").from("sla_clocks")
            .where("next_fire_at", .lessThanOrEqual, at ?? now())
            .orderBy("next_fire_at").limit(limit).plainRows()
            .map { DueClock(clockID: try $0.uuid(required: "id"), communityID: try $0.uuid(required: "community_id"), subjectID: try $0.uuid(required: "subject_id")) }
    }

    /// A clock found due, before it is held.
    public struct DueClock: Sendable, Equatable {
        public let clockID: UUID
        public let communityID: UUID
        /// Clocks are kept by their subject (migration 0036): the held read names it.
        public let subjectID: UUID
    }

    /// When the next clock is due (so the background service can sleep until then).
    public func nextDue() async throws -> Date? {
        try await (db as! any SQLDatabase).select().column("next_fire_at").from("sla_clocks").where("next_fire_at", .isNot, SQLLiteral.null)
            .orderBy("next_fire_at").limit(1).first()?.decode(column: "next_fire_at", as: Date.self)
    }
}
