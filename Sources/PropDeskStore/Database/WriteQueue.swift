import FluentKit
import FluentSQLiteDriver
import Foundation
import SQLKit

/// SQLite has one writer at a time: two transactions that both read and then write make one of
/// them fail with "database is locked". Inside one process PropDesk lines every write
/// transaction up here instead (`Database.writeTransaction`), so a double click, two engineers at
/// once or a fuzzer's parallel requests never turn into an error. PostgreSQL does not need it:
/// row locks order the writers there.
actor WriteQueue {
    static let shared = WriteQueue()
    /// Set while a task holds the queue, so a write transaction inside another one (a store
    /// calling a store) runs in place instead of waiting for itself.
    @TaskLocal static var held = false
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private func acquire() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await Self.$held.withValue(true) { try await body() }
            release()
            return value
        } catch {
            release()
            throw error
        }
    }
}

extension Database {
    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }
    var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }

    /// A write transaction: on SQLite in line with the process's other writes (and tried again
    /// should a write outside the queue — a session being saved — have made its snapshot stale);
    /// on PostgreSQL a plain transaction, ordered by its row locks.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard isSQLite else { return try await transaction(body) }
        if WriteQueue.held { return try await transaction(body) }
        return try await WriteQueue.shared.run {
            var attempt = 0
            while true {
                do {
                    return try await self.transaction(body)
                } catch let e as SQLiteError where [.busy, .busyInSnapshot, .locked].contains(e.reason) && attempt < 5 {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(10 * attempt))
                }
            }
        }
    }
}
