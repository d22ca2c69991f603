import FluentKit
import FluentSQLiteDriver
import Foundation
import SQLKit

/// SQLite has one writer at a time: two transactions that both read and then write make one of
/// them fail with "database is locked". Inside one process PropDesk lines every write
/// transaction up here instead (`Database.writeTransaction`), so a double click, two engineers at
/// once or a fuzzer's parallel requests never turn into an error. PostgreSQL does not need it:
/// row locks order the writers there.
///
/// Group commit (issue 19): the write transactions waiting at the moment one commit ends are taken
/// together into the next — one `BEGIN`, each in its own `SAVEPOINT` (so one that fails is rolled
/// back alone and gets its error), one `COMMIT`, one fsync — and every caller is answered only after
/// that commit: "acknowledged means stored" holds for each of them. With nobody waiting, a write is
/// a group of one and runs exactly as before. Should a group fail as a whole (its commit, or the
/// database busy through every retry), each of its writes is run again alone, so no write fails
/// because another one shared its commit.
///
/// Intakes (`writeTransaction(community:)`) are grouped apart and written in bulk (`commitBatch`,
/// `GroupBatch`): their rows sent together, no savepoints. On PostgreSQL, where other writes do not
/// come here, that is done per community: each intake holds its community's row from its number
/// to its commit, so intakes of one community would wait for each other's fsync one by one. Lined
/// up per community instead, those waiting take one lock, one transaction and one fsync
/// together, and communities still commit side by side (a line each).
actor WriteQueue {
    static let shared = WriteQueue()
    /// Set while a write runs in the queue, so a write transaction inside another one (a store
    /// calling a store) runs in place instead of waiting for itself.
    @TaskLocal static var held = false
    /// The most writes one commit takes: on SQLite, and on PostgreSQL per community (lower there:
    /// a group's live events are uncommitted ids other communities' commits pass, and the live
    /// boards' cursor keeps track of at most `LiveCursor.maxGaps` of them).
    static let groupLimit = 64
    static let communityGroupLimit = 16

    typealias Outcome = Result<any Sendable, any Error>

    struct Job: Sendable {
        let db: any Database
        /// Which line the write waits in: each line commits one group at a time, lines side by side.
        let line: String
        /// Only writes of the same group (the same SQLite file, the same community) share a commit; nil: alone.
        let group: String?
        /// Written in bulk (`commitBatch`): an intake, whose inserts are gathered and sent with its group's.
        let bulk: Bool
        let body: @Sendable (any Database) async throws -> any Sendable
        let finish: @Sendable (Outcome) -> Void
    }

    /// The file (or the named in-memory database) behind a pooled SQLite `Database`, read from the
    /// driver's connection source. `nil` if the driver is not laid out as expected: such a write
    /// then commits alone, as before group commit.
    static func file(of db: any Database) -> String? {
        (Mirror(reflecting: db).descendant("database", "pool", "source", "actualURL") as? URL)?.absoluteString
    }

    private var waiting: [String: [Job]] = [:]
    private var draining: Set<String> = []

    /// Runs `body` in the next group commit of its line on `db` and answers once that commit is
    /// durable. SQLite: every write of the process in one line, grouped by file (one writer at a
    /// time) and by whether it is written in bulk. PostgreSQL: a line per `group` (a community).
    func run<T: Sendable>(on db: any Database, group: String? = nil, bulk: Bool = false,
                          _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let sqlite = db.isSQLite
        let job = { (done: CheckedContinuation<any Sendable, any Error>) in
            Job(db: db, line: sqlite ? "sqlite" : "postgres:" + (group ?? UUID().uuidString),
                group: sqlite ? Self.file(of: db).map { bulk ? $0 + "#bulk" : $0 } : group, bulk: bulk,
                body: { try await body($0) }, finish: { done.resume(with: $0) })
        }
        let value = try await withCheckedThrowingContinuation { (done: CheckedContinuation<any Sendable, any Error>) in
            let j = job(done)
            waiting[j.line, default: []].append(j)
            if draining.insert(j.line).inserted {
                // Detached: the writes of many requests run here, none with another's task locals.
                Task.detached { await self.drain(j.line) }
            }
        }
        return value as! T
    }

    /// The first write waiting in the line and those behind it of the same group, in their order.
    private func next(_ line: String) -> [Job] {
        guard let first = waiting[line]?.first else {
            draining.remove(line)
            waiting[line] = nil
            return []
        }
        var group = [first]
        var rest: [Job] = []
        for job in waiting[line, default: []].dropFirst() {
            let limit = first.db.isSQLite ? Self.groupLimit : Self.communityGroupLimit
            if group.count < limit, let key = first.group, job.group == key { group.append(job) } else { rest.append(job) }
        }
        waiting[line] = rest
        return group
    }

    private func drain(_ line: String) async {
        while true {
            let group = next(line)
            guard let first = group.first else { return }
            if first.bulk {
                let made = await Self.commitBatch(group, on: first.db)
                batchedStatements += made.statements
                runAlone += made.alone
                commits += made.commits
            } else {
                await Self.commit(group, on: first.db)
                commits += 1
            }
            written += group.count
        }
    }

    /// Commits made (on PostgreSQL's community lines each one a write run again alone made too)
    /// and writes they held, since the process started (a test reads them); on those lines also
    /// the multi-row inserts that wrote them and the writes run again alone after their group failed.
    private(set) var commits = 0
    private(set) var written = 0
    private(set) var batchedStatements = 0
    private(set) var runAlone = 0

    /// A group written in bulk (intakes: of one community on PostgreSQL, of the file on SQLite): its
    /// writes one after another in one transaction, their inserts gathered (`GroupBatch`) and sent
    /// together (one statement on PostgreSQL, one multi-row INSERT per table on SQLite), then one COMMIT.
    /// No savepoints: should any write fail, or the gathered inserts (a double click's second
    /// intake in the same group), the transaction is undone whole — nothing of it was stored —
    /// and each write is run again alone, getting its own outcome. An error at PostgreSQL's COMMIT
    /// is different: the group may be stored (run again, an intake without an idempotency key
    /// could be stored twice), so each caller gets the error. SQLite's COMMIT is all or nothing.
    /// Returns the multi-row statements sent, the writes run again alone and the commits made.
    private static func commitBatch(_ group: [Job], on db: any Database, attempt: Int = 0) async -> (statements: Int, alone: Int, commits: Int) {
        let batch = GroupBatch()
        do {
            // The task-locals are bound inside the transaction's closure: PostgreSQL's driver runs
            // that closure in a task of its own, which would not see values bound around it.
            let values = try await db.transaction { tx -> [any Sendable] in
                try await $held.withValue(true) {
                    try await GroupBatch.$current.withValue(batch) {
                        var values: [any Sendable] = []
                        for job in group { values.append(try await job.body(tx)) }
                        try await batch.flush(on: tx)
                        return values
                    }
                }
            }
            for (job, value) in zip(group, values) { job.finish(.success(value)) }
            return (batch.statements, 0, 1)
        } catch where isBusy(error) && attempt < 5 {
            // SQLite: a write outside the queue (a session being saved) made the snapshot stale.
            await db.eventLoop.pause(seconds: 0.01 * Double(attempt + 1))
            return await commitBatch(group, on: db, attempt: attempt + 1)
        } catch {
            guard !batch.flushed || db.isSQLite else {
                for job in group { job.finish(.failure(error)) }
                return (batch.statements, 0, 0)
            }
            if group.count == 1 {
                group[0].finish(.failure(error))
                return (0, 0, 0)
            }
            var made = (statements: 0, alone: group.count, commits: 0)
            for job in group {
                let one = await commitBatch([job], on: job.db)
                made.statements += one.statements
                made.commits += one.commits
            }
            return made
        }
    }

    static func isBusy(_ error: any Error) -> Bool {
        guard let e = error as? SQLiteError else { return false }
        return [.busy, .busyInSnapshot, .locked].contains(e.reason)
    }

    /// One transaction for a SQLite group of other writes (not written in bulk), each in a savepoint;
    /// each write's outcome is handed over after the commit.
    private static func commit(_ group: [Job], on db: any Database) async {
        var attempt = 0
        while true {
            do {
                let outcomes = try await $held.withValue(true) {
                    try await db.transaction { tx -> [Outcome] in
                        if group.count == 1 { return [.success(try await group[0].body(tx))] }
                        let sql = tx as! any SQLDatabase
                        var outcomes: [Outcome] = []
                        for job in group {
                            try await sql.raw("SAVEPOINT write_queue_job").run()
                            do {
                                let value = try await job.body(tx)
                                try await sql.raw("RELEASE SAVEPOINT write_queue_job").run()
                                outcomes.append(.success(value))
                            } catch {
                                // Busy: the whole group is tried again (below). Anything else is
                                // this write's own failure: it is undone alone.
                                if isBusy(error) { throw error }
                                try await sql.raw("ROLLBACK TO SAVEPOINT write_queue_job").run()
                                try await sql.raw("RELEASE SAVEPOINT write_queue_job").run()
                                outcomes.append(.failure(error))
                            }
                        }
                        return outcomes
                    }
                }
                for (job, outcome) in zip(group, outcomes) { job.finish(outcome) }
                return
            } catch where isBusy(error) && attempt < 5 {
                // A write outside the queue (a session being saved) made the snapshot stale.
                attempt += 1
                await db.eventLoop.pause(seconds: 0.01 * Double(attempt))
            } catch {
                if group.count == 1 {
                    group[0].finish(.failure(error))
                } else {
                    for job in group { await commit([job], on: job.db) }
                }
                return
            }
        }
    }
}

extension SQLDatabase {
    /// Runs `body` in a savepoint of the transaction under way: on any error what it wrote is
    /// undone — the rest of the transaction stays usable, on PostgreSQL too — and the error is
    /// thrown on.
    func savepoint<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        try await raw("SAVEPOINT \(unsafeRaw: name)").run()
        do {
            let result = try await body()
            try await raw("RELEASE SAVEPOINT \(unsafeRaw: name)").run()
            return result
        } catch {
            try await raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: name)").run()
            try await raw("RELEASE SAVEPOINT \(unsafeRaw: name)").run()
            throw error
        }
    }
}

extension Database {
    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }
    var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }

    /// A write transaction: on SQLite in line with the process's other writes, in a group commit
    /// with those waiting beside it (and tried again should a write outside the queue — a session
    /// being saved — have made its snapshot stale); on PostgreSQL a plain transaction, ordered by
    /// its row locks.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard isSQLite else { return try await transaction(body) }
        if WriteQueue.held { return try await transaction(body) }
        return try await WriteQueue.shared.run(on: self, body)
    }

    /// A write transaction that fails alone even when it runs inside another one (the demo
    /// plays a simulated day in one): there it is a savepoint of that transaction, undone on
    /// failure — a nested `writeTransaction` runs in place, and a failure would leave its
    /// writes behind (SQLite) or abort the whole transaction (PostgreSQL). Outside, as
    /// `writeTransaction`. For callers that recover from a failed write and go on, as the sweeper.
    func isolatedWriteTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard WriteQueue.held, let sql = self as? any SQLDatabase else { return try await writeTransaction(body) }
        return try await sql.savepoint("isolated_write") { try await transaction(body) }
    }

    /// An intake's write transaction, which takes its community's next number and only inserts:
    /// written in bulk with the intakes waiting beside it (`commitBatch`) — on PostgreSQL in its
    /// community's line, on SQLite in the file's line, apart from the other writes. Without a
    /// community, as `writeTransaction`.
    func writeTransaction<T: Sendable>(community: UUID?, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let community, !WriteQueue.held else { return try await writeTransaction(body) }
        return try await WriteQueue.shared.run(on: self, group: community.uuidString, bulk: true, body)
    }
}
