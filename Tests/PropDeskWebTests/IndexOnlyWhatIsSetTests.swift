import FluentKit
import Foundation
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb
import PropDeskCore

/// Indexes hold only the rows that carry what they look up (issue 19, the file size; migration
/// 0035): an order's idempotency key and incident, and on SQLite the ids of the entries whose
/// forms bring their own (duty log, work log). What the full indexes found and refused, the
/// partial ones still find and refuse, on both databases.
final class IndexOnlyWhatIsSetTests: XCTestCase {
    /// Each index's definition as the database keeps it.
    func definitions(_ app: Application) async throws -> [String: String] {
        let sql = app.db as! any SQLDatabase
        let rows = app.db.isPostgres
            ? try await sql.raw("SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema()").all()
            : try await sql.raw("SELECT name, sql AS def FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").all()
        var out: [String: String] = [:]
        for r in rows { out[try r.decode(column: "name", as: String.self)] = try r.decode(column: "def", as: String.self) }
        return out
    }

    func testRUN1_partialIndexesOfKeysIncidentsAndFormIdsStillFindAndStillRefuseWhatTheFullOnesDid() async throws {
        try await withWorld { app, world in
            let sql = app.db as! any SQLDatabase
            let sqlite = !app.db.isPostgres
            let defs = try await definitions(app)
            XCTAssertTrue(defs["work_orders_idempotency"]?.contains("idempotency_key IS NOT NULL") == true, "\(defs["work_orders_idempotency"] ?? "none")")
            XCTAssertTrue(defs["work_orders_incident"]?.contains("incident_id IS NOT NULL") == true, "\(defs["work_orders_incident"] ?? "none")")
            if sqlite {
                XCTAssertTrue(defs["timeline_entries_id"]?.contains("WHERE subject_kind = 'duty_log_day' OR subject_kind = 'work_log'") == true,
                              "\(defs["timeline_entries_id"] ?? "none")")
            }

            // An idempotency key: the same form twice is one order; the database still refuses a
            // second order with the same desk, community and key.
            let a = world.a
            let desk = Actor(userID: world.accounts["a.desk"]!.id, name: "a.desk")
            let draft = OrderDraft(communityID: a.community.id, kind: .repair, channel: .hotline, unitID: a.units[0].id, description: "卫生间地漏堵塞")
            let first = try await app.store.orders.create(draft, idempotencyKey: "form-7", by: desk).order
            let again = try await app.store.orders.create(draft, idempotencyKey: "form-7", by: desk).order
            XCTAssertEqual(again.id, first.id)
            let other = try await app.store.orders.create(draft, by: desk).order
            XCTAssertNotEqual(other.id, first.id)
            do {
                try await sql.raw("""
                    UPDATE work_orders SET idempotency_key = 'form-7', created_by_id = \(bind: desk.userID!) WHERE id = \(bind: other.id)
                    """).run()
                XCTFail("a second order took the key")
            } catch {
                XCTAssertTrue((error as? any DatabaseError)?.isConstraintFailure == true, "\(error)")
            }
            if sqlite {
                let plan = try await sql.raw("""
                    EXPLAIN QUERY PLAN SELECT id FROM work_orders WHERE community_id = \(bind: a.community.id) AND created_by_id = \(bind: desk.userID!)
                      AND idempotency_key = \(bind: "form-7")
                    """).all().map { try $0.decode(column: "detail", as: String.self) }.joined()
                XCTAssertTrue(plan.contains("work_orders_idempotency"), plan)
            }

            // An incident: the water cut of a's building 2 absorbs a water request there, and the
            // incident's list finds it.
            let incident = try XCTUnwrap(a.incident)
            let unit = try XCTUnwrap(a.units.first { $0.buildingID == a.buildings[1].id })
            let absorbed = try await app.store.orders.create(OrderDraft(communityID: a.community.id, kind: .repair, channel: .hotline, category: .water,
                                                                        unitID: unit.id, description: "家里停水了"), by: desk).order
            XCTAssertEqual(absorbed.incidentID, incident.id)
            let listed = try await app.store.orders.list(community: a.community.id, filter: .init(incidentID: incident.id), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(listed.items.map(\.order.id), [absorbed.id])
            if sqlite {
                let plan = try await sql.raw("EXPLAIN QUERY PLAN SELECT id FROM work_orders WHERE incident_id = \(bind: incident.id)").all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined()
                XCTAssertTrue(plan.contains("work_orders_incident"), plan)
            }

            // Form ids: a duty-log form sent again is found and written once; a work-log form's id
            // sent as a duty-log entry (same community) is refused, and the other way round.
            let b = world.b
            let head = Actor(userID: world.accounts["b.head"]!.id, name: "b.head")
            let written = try await app.store.dutyLog.write(community: b.community.id, text: "10:20 3栋电梯困人,已通知维保", shift: .day, by: head)
            let resent = try await app.store.dutyLog.write(community: b.community.id, text: "10:20 3栋电梯困人,已通知维保", shift: .day, entryID: written.id, by: head)
            XCTAssertEqual(resent, written)
            let log = try XCTUnwrap(b.log)
            let supervisor = Actor(userID: world.accounts["bb.supervisor"]!.id, name: "bb.supervisor")
            let note = try await app.store.workLogs.write(.note, "巡查3栋电梯厅", in: log.id, by: supervisor)
            let asDuty = await refusal(try await app.store.dutyLog.write(community: b.community.id, text: "借用编号", shift: .day, entryID: note.id, by: head))
            XCTAssertEqual(asDuty?.code, "entry_id_reused")
            let asNote = await refusal(try await app.store.workLogs.write(.note, "借用编号", in: log.id, entryID: written.id, by: supervisor))
            XCTAssertEqual(asNote?.code, "entry_id_in_use")
            let dutyEntries = try await app.store.timelines.entries(.dutyLogDay, try XCTUnwrap(b.dutyDay).id)
            XCTAssertEqual(dutyEntries.filter { $0.id == written.id }.count, 1)
            XCTAssertFalse(dutyEntries.contains { $0.note == "借用编号" })
            if sqlite {
                let plan = try await sql.raw("""
                    EXPLAIN QUERY PLAN SELECT id FROM timeline_entries WHERE subject_kind = 'duty_log_day' AND id = \(bind: written.id)
                    """).all().map { try $0.decode(column: "detail", as: String.self) }.joined()
                XCTAssertTrue(plan.contains("timeline_entries_id"), plan)
            }

            // Back to the full indexes and forward again: nothing is lost, and the lookups still answer.
            try await IndexOnlyWhatIsSet().revert(on: app.db)
            let full = try await definitions(app)
            XCTAssertFalse(full["work_orders_idempotency"]?.contains("IS NOT NULL") ?? true)
            try await IndexOnlyWhatIsSet().prepare(on: app.db)
            let replayed = try await app.store.orders.create(draft, idempotencyKey: "form-7", by: desk).order
            XCTAssertEqual(replayed.id, first.id)
            let found = try await app.store.timelines.entry(written.id, of: .dutyLogDay)
            XCTAssertEqual(found, written)
            let verified = try await app.store.timelines.verify()
            XCTAssertEqual(verified.findings.count, 0)
        }
    }
}
