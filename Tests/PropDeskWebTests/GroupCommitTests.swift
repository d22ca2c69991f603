import FluentKit
import Foundation
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// Group commit (issue 19): on SQLite the write transactions waiting together share one commit,
/// each in its own savepoint — one that fails is undone alone and gets its own error, the others
/// are stored, and every caller is answered after the commit. On PostgreSQL each is a plain
/// transaction; the outcomes must be the same.
final class GroupCommitTests: XCTestCase {
    struct Refused: Error, Equatable { let n: Int }

    actor Gate {
        private var opened = false
        private(set) var arrived = 0
        /// True for the first caller only.
        func first() -> Bool { defer { opened = true }; return !opened }
        func arrive() { arrived += 1 }
    }

    func testRUN1_parallelWritesShareACommitAndOneThatFailsIsUndoneAlone() async throws {
        let app = try await TestApp.make()
        do {
            let db = app.db
            let sqlite = db.isSQLite
            let (commits, written) = await (WriteQueue.shared.commits, WriteQueue.shared.written)
            let gate = Gate()
            let writes = 60
            // Every third write fails after its insert; the first to run waits until all others wait behind it.
            let outcomes = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
                for n in 0..<writes {
                    group.addTask {
                        do {
                            await gate.arrive()
                            let v = try await db.writeTransaction { tx -> Int in
                                // The first write to run holds its transaction open until every
                                // other has been sent (each is queued right after it arrives).
                                if sqlite, await gate.first() {
                                    let until = Date().addingTimeInterval(10)
                                    while await gate.arrived < writes, Date() < until { try await Task.sleep(for: .milliseconds(5)) }
                                    try await Task.sleep(for: .milliseconds(100))
                                }
                                try await (tx as! any SQLDatabase).raw("INSERT INTO settings (key, value) VALUES (\(bind: "group-\(n)"), \(bind: "v"))").run()
                                if n % 3 == 0 { throw Refused(n: n) }
                                return n
                            }
                            return (n, .success(v))
                        } catch let e as Refused {
                            return (n, .failure(e))
                        } catch {
                            XCTFail("\(n): \(error)")
                            return (n, .failure(Refused(n: -1)))
                        }
                    }
                }
                var all: [Int: Result<Int, Refused>] = [:]
                for await (n, r) in group { all[n] = r }
                return all
            }
            for n in 0..<writes {
                XCTAssertEqual(outcomes[n], n % 3 == 0 ? .failure(Refused(n: n)) : .success(n), "write \(n) got another's outcome")
            }
            let stored = try await (db as! any SQLDatabase).raw("SELECT key FROM settings WHERE key LIKE 'group-%'").all()
                .map { try $0.decode(column: "key", as: String.self) }
            XCTAssertEqual(Set(stored), Set((0..<writes).filter { $0 % 3 != 0 }.map { "group-\($0)" }),
                           "exactly the writes that did not fail are stored, each once")
            if sqlite {
                let (c, w) = await (WriteQueue.shared.commits - commits, WriteQueue.shared.written - written)
                XCTAssertEqual(w, writes)
                XCTAssertLessThanOrEqual(c, 3, "\(writes) writes waiting together took \(c) commits")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
