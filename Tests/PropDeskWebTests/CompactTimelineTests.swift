import FluentKit
import Foundation
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb
import PropDeskCore

/// Timelines are stored compactly on SQLite (issue 19, storage; migration 0031): hashes as their
/// 32 bytes, the table kept in the order of its key without a rowid. A file from before is copied
/// into that form at start-up, and every chain still verifies (PLT-3).
final class CompactTimelineTests: XCTestCase {
    /// Stored hashes by form: "blob 32", "blob 0" (a chain's first entry follows nothing), "text 64" …
    func hashForms(_ sql: any SQLDatabase) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for column in ["hash", "prev_hash"] {
            for r in try await sql.raw("""
                SELECT typeof(\(ident: column)) || ' ' || length(\(ident: column)) AS form, COUNT(*) AS n FROM timeline_entries GROUP BY 1
                """).all() {
                out["\(column) " + (try r.decode(column: "form", as: String.self)), default: 0] += try r.decode(column: "n", as: Int.self)
            }
        }
        return out
    }

    func tableSQL(_ sql: any SQLDatabase) async throws -> String {
        try await sql.raw("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'timeline_entries'").first()!.decode(column: "sql", as: String.self)
    }

    func testPLT3_timelinesAreStoredAsHashBytesInKeyOrderAndAnOlderFileIsCopiedWithEveryChainStillSealed() async throws {
        try await withWorld { app, world in
            guard app.db.isSQLite else { return }
            let sql = app.db as! any SQLDatabase
            let community = world.a.community.id
            let desk = PropDeskCore.Actor.console("test")
            let written = try await app.store.dutyLog.write(community: community, text: "9:05 2栋停水,已通知工程部", shift: .day, by: desk)
            let order = try XCTUnwrap(world.a.orders.first)
            let timeline = try await app.store.timelines.entries(.workOrder, order.id)
            XCTAssertGreaterThan(timeline.count, 1)
            let total = try await app.store.timelines.count()

            // Written by the stores: every hash its 32 bytes, a first entry's "previous" empty.
            let forms = try await hashForms(sql)
            XCTAssertEqual(Set(forms.keys), ["hash blob 32", "prev_hash blob 32", "prev_hash blob 0"])
            XCTAssertEqual(forms["hash blob 32"], total)
            let compact = try await tableSQL(sql)
            XCTAssertTrue(compact.contains("WITHOUT ROWID"), compact)
            let sealed = try await app.store.timelines.verify()
            XCTAssertEqual(sealed.entries, total)
            XCTAssertEqual(sealed.findings.count, 0)

            // A file from before 0031: hashes as 64 characters, a rowid table with its id as key.
            try await CompactTimelines().revert(on: app.db)
            let asText = try await hashForms(sql)
            XCTAssertEqual(Set(asText.keys), ["hash text 64", "prev_hash text 64", "prev_hash text 0"])
            let older = try await tableSQL(sql)
            XCTAssertFalse(older.contains("WITHOUT ROWID"), older)
            let readAsText = try await app.store.timelines.entries(.workOrder, order.id)
            XCTAssertEqual(readAsText, timeline)

            // The migration copies it: the same entries, hashes as bytes, every chain sealed.
            try await CompactTimelines().prepare(on: app.db)
            let copied = try await hashForms(sql)
            XCTAssertEqual(copied, forms)
            let readAgain = try await app.store.timelines.entries(.workOrder, order.id)
            XCTAssertEqual(readAgain, timeline)
            let after = try await app.store.timelines.verify()
            XCTAssertEqual(after.entries, total)
            XCTAssertEqual(after.findings.count, 0)

            // The copy left the old table's pages free inside the file: `propdesk compact` returns them.
            let compaction = try await app.store.compaction.compact()
            let compacted = try XCTUnwrap(compaction)
            XCTAssertGreaterThan(compacted.freeBefore, 0)
            XCTAssertLessThan(compacted.after, compacted.before)
            let afterCompact = try await app.store.timelines.verify()
            XCTAssertEqual(afterCompact.entries, total)
            XCTAssertEqual(afterCompact.findings.count, 0)

            // The id keeps its unique index: a duty-log form sent again is found, and no id is taken twice.
            let again = try await app.store.dutyLog.write(community: community, text: "9:05 2栋停水,已通知工程部", shift: .day, entryID: written.id, by: desk)
            XCTAssertEqual(again, written)
            let indexes = try await sql.raw("SELECT name FROM pragma_index_list('timeline_entries') WHERE \"unique\" = 1").all()
                .map { try $0.decode(column: "name", as: String.self) }
            XCTAssertTrue(indexes.contains("timeline_entries_id"), "\(indexes)")
            let plan = try await sql.raw("EXPLAIN QUERY PLAN SELECT * FROM timeline_entries WHERE id = \(bind: written.id)").all()
                .map { try $0.decode(column: "detail", as: String.self) }.joined()
            XCTAssertTrue(plan.contains("timeline_entries_id"), plan)

            // Chains go on after the copy, and a changed hash is still named by verify.
            let next = try await app.store.dutyLog.write(community: community, text: "10:00 巡查完毕", shift: .day, by: desk)
            XCTAssertEqual(next.seq, written.seq + 1)
            XCTAssertEqual(next.prevHash, written.hash)
            try await sql.raw("UPDATE timeline_entries SET hash = randomblob(32) WHERE id = \(bind: written.id)").run()
            let broken = try await app.store.timelines.verify()
            XCTAssertEqual(broken.findings.map(\.entry.id), [written.id])
        }
    }
}
