import FluentKit
import Foundation
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// RUN-5: every row carries its community, and on PostgreSQL the migrated schema could be
/// distributed by `community_id` (Citus) table by table: `Distribution.problems` names any table
/// that could not. docs/SCALE-OUT.md is the plan.
final class DistributionTests: XCTestCase {
    /// The tables that must carry a community: every table but the reference and coordinator ones.
    func distributedTables(_ app: Application) async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        if app.db.isPostgres { return try await Distribution.distributed(sql) }
        return try await CompactIdentifiers.tables(sql).filter(Distribution.isDistributed)
    }

    /// Tables without a `community_id` column, and how many rows have none, by table.
    func rowsWithoutCommunity(_ app: Application) async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        var out: [String] = []
        for table in try await distributedTables(app) {
            let columns: [String] = app.db.isPostgres
                ? try await sql.raw("SELECT column_name::text AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)")
                    .all().map { try $0.decode(column: "name", as: String.self) }
                : try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) }
            guard columns.contains("community_id") else { out.append("\(table): no community_id"); continue }
            let n = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE community_id IS NULL").first()!.decode(column: "n", as: Int.self)
            if n > 0 { out.append("\(table): \(n) rows without a community") }
        }
        return out
    }

    /// The same photo on an order of each community: its bytes are kept once per community.
    func attachOnePhotoToBothCommunities(_ app: Application, _ world: World) async throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 7, 7, 7]
        let upload = try EvidenceStore.check(png, kind: .photo, caption: "", signedBy: nil)
        for order in [world.a.orders[0], world.b.orders[0]] {
            try await app.store.evidence.attach([upload], to: PhotoStore.subject(order), by: .console("test"))
        }
        let blobs = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(DISTINCT community_id) AS n FROM evidence_blobs WHERE digest = \(bind: upload.digestText)")
            .first()!.decode(column: "n", as: Int.self)
        XCTAssertEqual(blobs, 2)
    }

    func testRUN5_everyTableCouldBeDistributedByCommunityAndEveryRowOfTheWorldCarriesOne() async throws {
        try await withWorld { app, world in
            let sql = app.db as! any SQLDatabase
            try await attachOnePhotoToBothCommunities(app, world)
            let tables = try await distributedTables(app)
            XCTAssertGreaterThanOrEqual(tables.count, 70)
            for t in ["work_orders", "timeline_entries", "evidence_blobs", "renovation_inspections", "move_in_files", "arrears_list_lines", "audit_entries"] {
                XCTAssertTrue(tables.contains(t), t)
            }
            // Every capability's store wrote the world: not one row without its community.
            let counts = try await app.store.backup.counts()
            for t in ["arrears_list_lines", "evidence_blobs", "audit_entries"] { XCTAssertGreaterThan(counts[t] ?? 0, 0, t) }
            let missing = try await rowsWithoutCommunity(app)
            XCTAssertEqual(missing, [])
            // An installation-wide audit entry (a password reset) is filed under the installation, and reads as none.
            let reset = try await sql.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE community_id = \(bind: Distribution.installation)").first()!
                .decode(column: "n", as: Int.self)
            let admin = try await app.store.audit.entries(limit: 500)
            XCTAssertFalse(admin.contains { $0.communityID == Distribution.installation })
            XCTAssertEqual(admin.filter { $0.communityID == nil }.count, reset)
            let scoped = try await app.store.audit.entries(communityIDs: [world.a.community.id], limit: 500)
            XCTAssertTrue(scoped.allSatisfy { $0.communityID == world.a.community.id })
            guard app.db.isPostgres else { return }
            let problems = try await Distribution.problems(sql)
            XCTAssertEqual(problems, [], "tables that could not be distributed by community_id")
            // The keys themselves: an order's primary key, a reference into units, an idempotency key.
            // The community comes last, so that a read by id alone still has its index.
            let keys = try await Distribution.keys(sql)
            let unindexed = keys.filter { k in k.kind == "p" && k.table != "evidence_blobs" && k.columns.contains("community_id") && k.columns.first != "id" }.map { k in k.table }
            XCTAssertEqual(unindexed, [], "every primary key starts with the id, so a read by id alone keeps its index")
            XCTAssertEqual(keys.first { $0.table == "work_orders" && $0.kind == "p" }?.columns, ["id", "community_id"])
            XCTAssertEqual(keys.first { $0.table == "occupancies" && $0.kind == "f" && $0.parent == "units" }?.columns, ["unit_id", "community_id"])
            XCTAssertEqual(keys.first { $0.name == "work_orders_idempotency" }?.columns, ["community_id", "created_by_id", "idempotency_key"])
        }
    }

    func testRUN5_theSchemaTestNamesEveryTableThatCouldNotBeDistributed() async throws {
        try await withWorld { app, _ in
            guard app.db.isPostgres else { return }   // the catalogue read is PostgreSQL's; SQLite is never distributed
            let sql = app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE stray_notes (id uuid PRIMARY KEY, note text)").run()
            try await sql.raw("CREATE TABLE stray_marks (id uuid PRIMARY KEY, community_id uuid, code text UNIQUE)").run()
            try await sql.raw("""
                CREATE TABLE stray_links (community_id uuid NOT NULL, id uuid NOT NULL, order_id uuid, PRIMARY KEY (community_id, id),
                                          FOREIGN KEY (order_id, community_id) REFERENCES work_orders (id, community_id))
                """).run()
            try await sql.raw("CREATE TABLE stray_bad_links (community_id uuid NOT NULL, id uuid NOT NULL, order_id uuid, PRIMARY KEY (community_id, id))").run()
            try await sql.raw("ALTER TABLE work_orders ADD CONSTRAINT work_orders_lone_id UNIQUE (id)").run()
            try await sql.raw("ALTER TABLE stray_bad_links ADD CONSTRAINT stray_bad_links_order FOREIGN KEY (order_id) REFERENCES work_orders (id)").run()
            let problems = try await Distribution.problems(sql)
            try await sql.raw("DROP TABLE stray_notes, stray_marks, stray_links, stray_bad_links").run()
            try await sql.raw("ALTER TABLE work_orders DROP CONSTRAINT work_orders_lone_id").run()
            XCTAssertEqual(Set(problems), [
                "stray_notes: no community_id column",
                "stray_notes: primary key (id) without community_id",
                "stray_marks: community_id may be NULL",
                "stray_marks: primary key (id) without community_id",
                "stray_marks: unique key stray_marks_code_key (code) without community_id",
                "stray_bad_links: reference stray_bad_links_order to work_orders does not pair community_id with community_id",
                "work_orders: unique key work_orders_lone_id (id) without community_id",
            ])
            let after = try await Distribution.problems(sql)
            XCTAssertEqual(after, [])
        }
    }

    /// The migration on a world written before it: keys re-made with the community, every child
    /// row's community taken from its parent (PostgreSQL checks each pairing as it adds the key),
    /// and nothing lost; back and forth.
    func testRUN5_migration0030RekeysAWorldWrittenBeforeItWithNothingLost() async throws {
        try await withWorld { app, world in
            let sql = app.db as! any SQLDatabase
            try await attachOnePhotoToBothCommunities(app, world)
            let counts = try await app.store.backup.counts()
            let orderIDs = Set(world.a.orders.map(\.id) + world.b.orders.map(\.id))
            let before = try await app.store.orders.orders(orderIDs)
            let evidence = try await sql.raw("SELECT id FROM evidence").all().map { try $0.decode(column: "id", as: UUID.self) }
            XCTAssertFalse(evidence.isEmpty)

            // Undone as an upgrade would find it: the later migration that remade one of its
            // indexes first (PostgreSQL's tests share one schema per process).
            try await IndexOnlyWhatIsSet().revert(on: app.db)
            try await DistributeByCommunity().revert(on: app.db)
            do {
                let missing = try await rowsWithoutCommunity(app)
                XCTAssertTrue(missing.contains("arrears_list_lines: no community_id"), "\(missing)")
                XCTAssertTrue(missing.contains { $0.hasPrefix("audit_entries: ") }, "\(missing)")
                if app.db.isPostgres {
                    let problems = try await Distribution.problems(sql)
                    XCTAssertTrue(problems.contains("work_orders: primary key (id) without community_id"), "\(problems)")
                    XCTAssertTrue(problems.contains("users: reference table points at people, which is not a reference table (users_person_id_fkey)"))
                }
            } catch {
                try await DistributeByCommunity().prepare(on: app.db)
                try await IndexOnlyWhatIsSet().prepare(on: app.db)
                throw error
            }
            try await DistributeByCommunity().prepare(on: app.db)
            try await IndexOnlyWhatIsSet().prepare(on: app.db)

            let missing = try await rowsWithoutCommunity(app)
            XCTAssertEqual(missing, [])
            if app.db.isPostgres {
                let problems = try await Distribution.problems(sql)
                XCTAssertEqual(problems, [])
            }
            let countsAfter = try await app.store.backup.counts()
            XCTAssertEqual(countsAfter, counts)
            let after = try await app.store.orders.orders(orderIDs)
            XCTAssertEqual(after, before)
            for id in evidence {
                let content = try await app.store.evidence.content(id)
                XCTAssertNotNil(content, "the bytes of \(id) are found in its community")
            }
            let chains = try await app.store.timelines.verify()
            XCTAssertGreaterThan(chains.entries, 0)
            XCTAssertEqual(chains.findings.count, 0)
        }
    }

    /// A backup written before 0030 — no community on the child rows, installation audit entries
    /// without one, each file's bytes once for the installation, header version 1 — restores with
    /// every row given its community and the shared photo's bytes in both communities.
    func testRUN5_SEC6_aBackupFromBefore0030RestoresWithEveryRowInItsCommunity() async throws {
        let file = NSTemporaryDirectory() + "propdesk-v1-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var counts: [String: Int] = [:]
        try await withWorld { app, world in
            try await attachOnePhotoToBothCommunities(app, world)
            counts = try await app.store.backup.write(to: file, at: Date())
        }
        // Rewrite it as the previous release wrote it.
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        var header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        var out: [String] = []
        var digests = Set<String>()
        for line in lines.dropFirst() {
            var o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var r = try XCTUnwrap(o["r"] as? [String: Any])
            switch o["t"] as? String {
            case "renovation_inspections", "move_in_files", "arrears_list_lines":
                r["communityID"] = nil
                r["community_id"] = nil
            case "audit_entries":
                if (r["communityID"] as? String)?.uppercased() == Distribution.installation.uuidString { r["communityID"] = NSNull() }
            case "evidence_blobs":
                guard digests.insert(r["digest"] as! String).inserted else { continue }
                r["communityID"] = nil
            default: break
            }
            o["r"] = r
            out.append(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        }
        var headerCounts = try XCTUnwrap(header["counts"] as? [String: Int])
        headerCounts["evidence_blobs"] = digests.count
        header["counts"] = headerCounts
        header["version"] = 1
        let v1 = [String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]), as: UTF8.self)] + out
        try (v1.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(digests.count, 1)

        let fresh = try await TestApp.make()
        do {
            let restored = try await fresh.store.backup.restore(from: file)
            XCTAssertEqual(restored["evidence_blobs"], 2, "the shared photo's bytes in each of its two communities")
            for (table, n) in counts where table != "evidence_blobs" { XCTAssertEqual(restored[table], n, table) }
            let missing = try await rowsWithoutCommunity(fresh)
            XCTAssertEqual(missing, [])
            let installation = try await fresh.store.audit.entries(limit: 500).filter { $0.communityID == nil }.count
            XCTAssertGreaterThan(installation, 0)
            for id in try await (fresh.db as! any SQLDatabase).raw("SELECT id FROM evidence").all().map({ try $0.decode(column: "id", as: UUID.self) }) {
                let content = try await fresh.store.evidence.content(id)
                XCTAssertNotNil(content)
            }
        } catch {
            try? await fresh.asyncShutdown()
            throw error
        }
        try await fresh.asyncShutdown()
    }
}
