import FluentKit
import Foundation
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// Identifiers are 16-byte blobs on SQLite (issue 19, storage), written so by every capability,
/// and a file from before — identifiers as 36 characters of text — is rewritten in place by
/// migration 0028 with nothing lost. PostgreSQL keeps its native `uuid` columns.
final class CompactIdentifierTests: XCTestCase {
    /// Every column declared `UUID`, by table.
    func uuidColumns(_ sql: any SQLDatabase) async throws -> [(table: String, column: String)] {
        var out: [(String, String)] = []
        for table in try await CompactIdentifiers.tables(sql) {
            for r in try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table))").all()
            where try r.decode(column: "type", as: String.self).uppercased() == "UUID" {
                out.append((table, try r.decode(column: "name", as: String.self)))
            }
        }
        return out
    }

    /// How many stored identifiers are not in the given form ('blob' of 16 bytes or 'text' of 36).
    func misfits(_ sql: any SQLDatabase, _ columns: [(table: String, column: String)], form: String) async throws -> [String] {
        var out: [String] = []
        let length = form == "blob" ? 16 : 36
        for (table, column) in columns {
            let n = try await sql.raw("""
                SELECT COUNT(*) AS n FROM \(ident: table)
                WHERE \(ident: column) IS NOT NULL AND (typeof(\(ident: column)) <> \(bind: form) OR length(\(ident: column)) <> \(bind: length))
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            if n > 0 { out.append("\(table).\(column): \(n)") }
        }
        return out
    }

    func testRUN1_everyCapabilityStoresSixteenByteIdentifiersAndAnOlderTextFileIsRewrittenWithNothingLost() async throws {
        try await withWorld { app, world in
            let sql = app.db as! any SQLDatabase
            guard app.db.isSQLite else {
                // PostgreSQL: the identifiers are its own 16-byte `uuid` type, untouched by 0028.
                let type = try await sql.raw("""
                    SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'work_orders' AND column_name = 'id'
                    """).first()?.decode(column: "data_type", as: String.self)
                XCTAssertEqual(type, "uuid")
                return
            }
            let columns = try await uuidColumns(sql)
            XCTAssertGreaterThan(columns.count, 150, "every table's identifiers and references are declared UUID")
            // The world was written by every capability's own store: not one identifier as text.
            let ids = try await sql.raw("SELECT COUNT(*) AS n FROM work_orders").first()!.decode(column: "n", as: Int.self)
            XCTAssertGreaterThan(ids, 0)
            let textual = try await misfits(sql, columns, form: "blob")
            XCTAssertEqual(textual, [], "identifiers stored as something other than 16 bytes")

            // What the world reads as, before.
            let orderIDs = Set(world.a.orders.map(\.id))
            let before = try await app.store.orders.orders(orderIDs)
            let counts = try await app.store.backup.counts()
            let chains = try await app.store.timelines.verify()

            // A file from before 0028: every identifier back to text, as Fluent wrote them.
            try await CompactIdentifiers().revert(on: app.db)
            let asText = try await misfits(sql, columns, form: "text")
            XCTAssertEqual(asText, [])
            // Its identifiers still decode (the driver reads both forms), but a lookup by id binds
            // 16 bytes and finds nothing: that is why 0028 runs at start-up, before any request.
            let decoded = try await sql.raw("SELECT id FROM work_orders").all().map { try $0.decode(column: "id", as: UUID.self) }
            XCTAssertEqual(Set(decoded).intersection(orderIDs), orderIDs)
            let lookedUp = try await app.store.orders.orders(orderIDs)
            XCTAssertEqual(lookedUp.count, 0)

            // The migration rewrites it in place: every identifier 16 bytes, every reference intact.
            try await CompactIdentifiers().prepare(on: app.db)
            let rewritten = try await misfits(sql, columns, form: "blob")
            XCTAssertEqual(rewritten, [])
            let broken = try await sql.raw("PRAGMA foreign_key_check").all()
            XCTAssertEqual(broken.count, 0, "a reference that no longer finds its row")
            let readAgain = try await app.store.orders.orders(orderIDs)
            XCTAssertEqual(readAgain, before)
            let countsAfter = try await app.store.backup.counts()
            XCTAssertEqual(countsAfter, counts)
            let after = try await app.store.timelines.verify()
            XCTAssertEqual(after.entries, chains.entries)
            XCTAssertEqual(after.findings.count, 0)
            // And the stores go on finding rows by the identifiers they are handed.
            let first = try XCTUnwrap(world.a.orders.first)
            let detail = try await app.store.orders.order(first.id)
            XCTAssertEqual(detail?.number, first.number)
        }
    }
}
