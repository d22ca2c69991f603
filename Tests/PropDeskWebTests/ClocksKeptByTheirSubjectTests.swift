import FluentKit
import Foundation
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb
import PropDeskCore

/// SLA clocks kept by their subject on SQLite (issue 19, the file size; migration 0036): the
/// table is held in the order of `(subject_id, id)` with no index of the id alone, so a statement
/// that named a clock by its id alone would walk every clock of the file. These tests read the
/// plan of every statement a day of clock work sends, and move a world's clocks back and forth
/// between both shapes with nothing lost.
final class ClocksKeptByTheirSubjectTests: XCTestCase {
    func testRUN1_P4_clocksAreKeptByTheirSubjectAndNoStatementOfADaysClockWorkWalksThem() async throws {
        try XCTSkipIf(isPostgres, "PostgreSQL keeps its clocks by (community_id, id), distributed by community (0030)")
        try await withLoggedWorld { app, w, log in
            let sql = app.db as! any SQLDatabase
            let table = try await sql.raw("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'sla_clocks'").first()?
                .decode(column: "sql", as: String.self) ?? ""
            XCTAssertTrue(table.contains("PRIMARY KEY (\"subject_id\", \"id\")") && table.hasSuffix("WITHOUT ROWID"), table)
            let indexes = try await sql.raw("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sla_clocks'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            XCTAssertEqual(Set(indexes), ["sla_clocks_due", "sla_clocks_running", "sla_clocks_due_by_community"], "no index of the id or the subject alone")

            // A day of clock work: orders registered and stepped, a complaint, the sweeper three
            // days on (response and arrival clocks, deadlines of other subjects), an alert
            // acknowledged, deadlines stopped (a duty log signed, a rectification done), and the
            // reads of clocks: an order's detail, the overdue list, the month's summary, the ages.
            let test = PropDeskCore.Actor.console("test")
            let store = app.store
            let draft = OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[0].id, description: "卫生间水管爆裂")
            let first = try await store.orders.create(draft, by: test).order
            _ = try await store.orders.perform(.cancel(reason: "业户来电取消"), on: first.id, by: test)
            let left = try await store.orders.create(draft, by: test).order
            let engineer = try XCTUnwrap(w.accounts["a.engineer"])
            let held = try await store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .walkIn, unitID: w.a.units[1].id,
                                                                description: "客厅灯不亮"), by: test).order
            _ = try await store.orders.perform(.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), on: held.id, community: held.communityID, by: test)
            _ = try await store.orders.perform(.hold(reason: "等待配件到货"), on: held.id, community: held.communityID, by: test)
            _ = try await store.orders.create(OrderDraft(communityID: w.b.community.id, kind: .complaint, channel: .walkIn, unitID: w.b.units[0].id,
                                                         description: "投诉保安夜间不巡逻"), by: test)
            let later = Store(db: app.db, cipher: store.cipher, now: { Date().addingTimeInterval(3 * 86400) }, webhookEnabled: true)
            let swept = try await later.clocks.sweep(limit: 1000)
            XCTAssertGreaterThan(swept.fired, 0)
            XCTAssertGreaterThan(swept.alerts, 0)
            _ = try await later.orders.perform(.resume, on: held.id, community: held.communityID, by: test)
            if let alert = w.a.alertID { _ = try? await store.alerts.acknowledge(alert, note: "已致电业户", by: test) }
            _ = try await later.dutyLog.sign(try XCTUnwrap(w.b.dutyDay).id, note: "", by: test)
            _ = try await store.customerRelations.done(try XCTUnwrap(w.b.rectification).id, note: "已整改", by: test)
            if let n = w.b.notice { _ = try? await store.notices.markTakenDown(n.id, by: test) }
            let month = String(ISO8601DateFormatter().string(from: Date()).prefix(7))
            _ = try await store.orders.detail(left.id)
            let overdue = try await later.orders.list(community: w.a.community.id, filter: .init(overdue: true), page: try PageQuery(page: 1, per: 20))
            XCTAssertTrue(overdue.items.contains { $0.order.id == left.id }, "the order nobody came to is late")
            _ = try await store.reports.monthSummary(community: w.a.community.id, month: month, timeZone: w.a.community.timeZone, visibleAreas: nil)
            _ = try await store.reports.openOrderAges(community: w.a.community.id, visibleAreas: nil, at: Date())
            let fresh = try await store.clocks.sweep(limit: 1000)
            XCTAssertEqual(fresh.fired, 0, "nothing fired twice")

            // Every statement that named the clocks, and how SQLite reads each.
            let statements = Set(log.statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { $0.contains("sla_clocks") && !$0.hasPrefix("INSERT") && !$0.hasPrefix("EXPLAIN") })
            var walks: [String] = []
            for statement in statements {
                let plan = try await sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + statement)).all().map { try $0.decode(column: "detail", as: String.self) }
                let names = Self.names(ofClocksIn: statement)
                for line in plan where names.contains(where: { line == "SCAN \($0)" || line.hasPrefix("SCAN \($0) ") }) {
                    walks.append("\(line) ← \(statement)")
                }
            }
            XCTAssertEqual(walks, [], "statements that walk every clock")
            let shapes: [(String, (String) -> Bool)] = [
                ("an order's clocks read by the order", { $0.hasPrefix("SELECT") && $0.contains("WHERE \"subject_id\" = ") }),
                ("a step's clocks written back one by one", { $0.hasPrefix("UPDATE \"sla_clocks\"") && $0.contains("\"subject_id\" = ") }),
                ("the sweeper's first look", { $0.contains("\"next_fire_at\" <= ") && $0.contains("LIMIT") }),
                ("the sweeper's held read", { $0.hasPrefix("SELECT") && $0.contains("subject_id IN (") && $0.contains("+id IN (") }),
                ("fired clocks written back in bulk", { $0.hasPrefix("UPDATE sla_clocks") && $0.contains("CASE id") && $0.contains("+id IN (") }),
                ("a deadline stopped", { $0.hasPrefix("UPDATE sla_clocks SET stopped_at") }),
                ("the overdue list", { $0.contains("work_orders") && $0.contains("due_at") }),
            ]
            for (what, matches) in shapes {
                XCTAssertTrue(statements.contains(where: matches), "no statement for \(what) among \(statements.count)")
            }
        }
    }

    /// Back to a table of row numbers with its two indexes, and forward again: every clock and
    /// every column is as it was, and a sweep still finds what is due.
    func testRUN1_clocksMoveBetweenBothShapesWithNothingLost() async throws {
        try XCTSkipIf(isPostgres, "the migration changes nothing on PostgreSQL")
        try await withWorld { app, w in
            let sql = app.db as! any SQLDatabase
            _ = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                             description: "卫生间水管爆裂"), by: .console("test"))
            func clocks() async throws -> [SLAClock] {
                let select = "SELECT " + BulkRows.list(OrderRows.clockColumns) + " FROM sla_clocks ORDER BY id"
                return try await sql.raw(SQLQueryString(select)).plainRows().map(OrderRows.clock)
            }
            func schema() async throws -> String {
                try await sql.raw("SELECT group_concat(sql, ' ; ') AS s FROM sqlite_schema WHERE tbl_name = 'sla_clocks'").first()?.decode(column: "s", as: String.self) ?? ""
            }
            let before = try await clocks()
            XCTAssertGreaterThan(before.count, 3)
            try await ClocksKeptByTheirSubject().revert(on: app.db)
            let back = try await schema()
            XCTAssertFalse(back.contains("WITHOUT ROWID"), back)
            XCTAssertTrue(back.contains("sla_clocks_order"), back)
            let reverted = try await clocks()
            XCTAssertEqual(reverted, before)
            try await ClocksKeptByTheirSubject().prepare(on: app.db)
            let forward = try await schema()
            XCTAssertTrue(forward.contains("WITHOUT ROWID") && !forward.contains("sla_clocks_order"), forward)
            let again = try await clocks()
            XCTAssertEqual(again, before)
            let later = Store(db: app.db, cipher: app.store.cipher, now: { Date().addingTimeInterval(3 * 86400) }, webhookEnabled: false)
            let fired = try await later.clocks.sweep(limit: 1000).fired
            XCTAssertGreaterThan(fired, 0)
        }
    }

    /// The names a statement gives the clocks table: itself and any alias (`sla_clocks c`).
    static func names(ofClocksIn statement: String) -> [String] {
        let keywords: Set<String> = ["WHERE", "SET", "ON", "JOIN", "LEFT", "INNER", "GROUP", "ORDER", "LIMIT", "AND", "USING", "WITH"]
        var names = ["sla_clocks"]
        let pattern = try! NSRegularExpression(pattern: "\"?sla_clocks\"?\\s+(?:AS\\s+)?\"?([A-Za-z_]+)\"?")
        let ns = statement as NSString
        for m in pattern.matches(in: statement, range: NSRange(location: 0, length: ns.length)) {
            let alias = ns.substring(with: m.range(at: 1))
            if !keywords.contains(alias.uppercased()) { names.append(alias) }
        }
        return names
    }
}
