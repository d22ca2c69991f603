import Foundation

/// SQLite has one writer at a time: two transactions that both read and then write make one of
/// them fail with "database is locked". Inside one process PropDesk lines such writes up here
/// instead, so a double click or two engineers at once never turn into an error. PostgreSQL
/// does not need it: row locks order the writers there.
actor WriteQueue {
    static let shared = WriteQueue()
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
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }
}
