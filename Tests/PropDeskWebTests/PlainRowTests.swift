import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// P3, P4: the order lists, the boards and the sweeper read orders and clocks as plain rows —
/// each column converted by its type, not through `Decodable` (issue 19). Every column must come
/// back as it was written, set or empty, on both databases; a value that is not what its column
/// should hold is an error for that read, never a crash or a wrong order.
final class PlainRowTests: XCTestCase {
    func testP3_everyColumnOfAnOrderAndItsClocksReadsBackAsWrittenSetOrEmpty() async throws {
        try await withWorld { app, world in
            let c = world.a.community.id
            let at = Date(timeIntervalSince1970: 1_795_000_000)
            func t(_ minutes: Double) -> Date { at.addingTimeInterval(minutes * 60) }
            let full = WorkOrder(
                id: UUID(), communityID: c, number: "AAA-2611-90001", seq: 90001, kind: .paidService, channel: .wechat, category: .water,
                priority: .emergency, status: .onHold, heldFrom: .onSite, holdReason: "等配件 \"PPR\" 管", unitID: UUID(), buildingID: UUID(),
                areaID: UUID(), location: "3栋 地下室", requesterID: UUID(), contactName: "张三", contactPhone: "13800001111",
                description: "厨房水管爆裂 🚰", expectedAt: t(90), emergencyKeyword: "爆裂", createdByID: UUID(), createdByName: "前台",
                createdAt: t(0), updatedAt: t(30), assigneeID: UUID(), assigneeName: "王工", inPool: true, ownerID: UUID(), ownerName: "经理",
                incidentID: UUID(), parentID: UUID(), complaintID: UUID(), catalogueItemID: UUID(), listPrice: 8000, agreedPrice: 7500,
                extras: 1500, receiptNumber: "SK000001", settledAt: t(200), rating: 4, ratingComment: "好", returnVisitRequired: true,
                reopenCount: 2, completedAt: t(120), closedAt: t(300), closeReason: "已完成", outcome: "fixed", version: 9)
            let empty = WorkOrder(
                id: UUID(), communityID: c, number: "AAA-2611-90002", seq: 90002, kind: .inquiry, channel: .hotline, category: .other,
                priority: .normal, status: .received, heldFrom: nil, holdReason: nil, unitID: nil, buildingID: nil, areaID: nil, location: "",
                requesterID: nil, contactName: "", contactPhone: "", description: "?", expectedAt: nil, emergencyKeyword: nil,
                createdByID: nil, createdByName: "", createdAt: t(1), updatedAt: t(1), assigneeID: nil, assigneeName: nil, inPool: false,
                ownerID: nil, ownerName: nil, incidentID: nil, parentID: nil, complaintID: nil, catalogueItemID: nil, listPrice: nil,
                agreedPrice: nil, extras: 0, receiptNumber: nil, settledAt: nil, rating: nil, ratingComment: nil, returnVisitRequired: false,
                reopenCount: 0, completedAt: nil, closedAt: nil, closeReason: nil, outcome: nil, version: 0)
            let running = SLAClock(id: UUID(), subjectID: full.id, communityID: c, kind: .arrival, round: 2, targetSeconds: 900,
                                   serviceHoursOnly: true, startedAt: t(0), dueAt: t(15), pausedAt: t(5), remainingAtPause: 600, heldSeconds: 120,
                                   stoppedAt: t(20), breachedAt: t(16), level: 2, nextFireAt: t(25))
            let bare = SLAClock(id: UUID(), subjectID: empty.id, communityID: c, kind: .response, round: 1, targetSeconds: 1800,
                                serviceHoursOnly: false, startedAt: t(1), dueAt: t(31), pausedAt: nil, remainingAtPause: nil, heldSeconds: 0,
                                stoppedAt: nil, breachedAt: nil, level: 0, nextFireAt: nil)
            try await BulkRows.insert(WorkOrderModel.schema, BulkRows.orderColumns, [full, empty].map(BulkRows.row), on: app.db)
            try await BulkRows.insert(SLAClockModel.schema, BulkRows.clockColumns, [running, bare].map(BulkRows.row), on: app.db)

            let sql = app.db as! any SQLDatabase
            let rows = try await sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema).where("id", .equal, full.id).plainRows()
            XCTAssertEqual(rows.count, 1)
            XCTAssertTrue(rows.allSatisfy(\.readsDriverValues), "read from the driver's values, not through Decodable")
            let read = try await app.store.orders.orders([full.id, empty.id])
            XCTAssertEqual(read[full.id], full, "an order with every column set")
            XCTAssertEqual(read[empty.id], empty, "an order with every optional column empty")
            let views = try await app.store.orders.views([full, empty])
            XCTAssertEqual(views.map(\.clocks), [[running], [bare]])
            let list = try await app.store.orders.list(community: c, filter: .init(statuses: [.onHold]), page: try PageQuery(page: 1, per: 5))
            XCTAssertEqual(list.items.map(\.order), [full], "the list reads the same row")

            // A status no version of PropDesk writes: that read fails with an error naming the column.
            try await sql.update(WorkOrderModel.schema).set("status", to: "lost_in_space").where("id", .equal, empty.id).run()
            do {
                _ = try await app.store.orders.orders([empty.id])
                XCTFail("an unknown status was read as an order")
            } catch {
                XCTAssertTrue("\(error)".contains("status"), "\(error)")
            }
            let still = try await app.store.orders.orders([full.id])
            XCTAssertEqual(still[full.id], full, "the other orders still read")
        }
    }
    /// A page shorter than asked for is the list's end: its total is the page's offset and rows,
    /// with no count run (a unit's orders, an engineer's own, an incident's). A full page, or an
    /// empty one past the first, is counted as before. Both databases, the later-page path of
    /// PostgreSQL included.
    func testP3_aListThatEndsOnItsPageIsNotCountedAndItsTotalIsStillExact() async throws {
        try await withLoggedWorld { app, world, log in
            let a = world.a
            let desk = Actor(userID: world.accounts["a.desk"]!.id, name: "a.desk")
            let unit = a.units[2]
            for text in ["阳台门关不上", "卧室灯不亮", "厨房龙头滴水"] {
                _ = try await app.store.orders.create(OrderDraft(communityID: a.community.id, kind: .repair, channel: .hotline, unitID: unit.id,
                                                                 description: text), by: desk)
            }
            func list(page: Int, per: Int) async throws -> (ids: Int, total: Int, counts: Int) {
                let before = log.statements.count
                let p = try await app.store.orders.list(community: a.community.id, filter: .init(unitID: unit.id), page: try PageQuery(page: page, per: per))
                let counts = log.statements.dropFirst(before).filter { $0.contains("COUNT(*)") }.count
                return (p.items.count, p.total, counts)
            }
            let before = log.statements.count
            let whole = try await list(page: 1, per: 20)
            XCTAssertEqual(whole.ids, 3)
            XCTAssertEqual(whole.total, 3)
            XCTAssertEqual(whole.counts, 0, "a list that ends on its first page is not counted")
            if !app.db.isPostgres {
                // Without statistics SQLite would walk the community's list index to find the
                // unit's orders (10,000 orders for a dozen in the benchmark): the unit's own index.
                let page = try XCTUnwrap(log.statements.dropFirst(before).first { $0.contains("LIMIT") && $0.contains("unit_id") })
                let plan = try await queryPlan(page, app)
                XCTAssertTrue(plan.contains("work_orders_unit"), plan)
            }
            let last = try await list(page: 2, per: 2)
            XCTAssertEqual(last.ids, 1)
            XCTAssertEqual(last.total, 3)
            XCTAssertEqual(last.counts, 0, "nor one that ends on a later page")
            let first = try await list(page: 1, per: 2)
            XCTAssertEqual(first.ids, 2)
            XCTAssertEqual(first.total, 3)
            XCTAssertEqual(first.counts, 1, "a full page does not say how many follow: counted")
            let past = try await list(page: 5, per: 2)
            XCTAssertEqual(past.ids, 0)
            XCTAssertEqual(past.total, 3, "an empty page past the end still tells how many there are")
            XCTAssertEqual(past.counts, 1)
            let none = try await app.store.orders.list(community: a.community.id, filter: .init(unitID: world.b.units[0].id), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(none.total, 0)
        }
    }

    /// SQLite has no statistics of its indexes: given the community and a narrower key it took
    /// the community's list index and walked it. An engineer's open orders (two among a
    /// community's 10,000 at a million orders: 6.9 ms → 0.05 ms), an incident's orders and the
    /// count of all of an engineer's are read by their own index, as a unit's are (the test above).
    func testP3_anEngineersAndAnIncidentsOrdersAreReadByTheirOwnIndexOnSQLite() async throws {
        try XCTSkipIf(isPostgres, "PostgreSQL plans from its statistics")
        try await withLoggedWorld { app, world, log in
            let a = world.a
            let desk = Actor(userID: world.accounts["a.desk"]!.id, name: "a.desk")
            let engineer = world.accounts["a.engineer"]!
            let incident = try XCTUnwrap(a.incident)
            let order = try await app.store.orders.create(OrderDraft(communityID: a.community.id, kind: .repair, channel: .hotline, unitID: a.units[2].id,
                                                                     description: "卧室灯不亮"), by: desk).order
            try await app.store.orders.perform(.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), on: order.id, by: desk)
            func plan(_ filter: WorkOrderStore.OrderFilter, naming column: String) async throws -> (count: Int, plan: String) {
                let before = log.statements.count
                let p = try await app.store.orders.list(community: a.community.id, filter: filter, page: try PageQuery(page: 1, per: 20))
                let page = try XCTUnwrap(log.statements.dropFirst(before).first { $0.contains("LIMIT") && $0.contains(column) })
                let plan = try await queryPlan(page, app)
                return (p.total, plan)
            }
            let mine = try await plan(.init(statuses: Array(OrderStatus.open), assigneeID: engineer.id), naming: "assignee_id")
            XCTAssertEqual(mine.count, 1)
            XCTAssertTrue(mine.plan.contains("work_orders_assignee"), mine.plan)
            let incidents = try await plan(.init(incidentID: incident.id), naming: "incident_id")
            XCTAssertEqual(incidents.count, 0)
            XCTAssertTrue(incidents.plan.contains("work_orders_incident"), incidents.plan)
            // All of an engineer's orders (a full page, so counted): the count by their index.
            let before = log.statements.count
            let all = try await app.store.orders.list(community: a.community.id, filter: .init(assigneeID: engineer.id), page: try PageQuery(page: 1, per: 1))
            XCTAssertEqual(all.total, 1)
            let count = try XCTUnwrap(log.statements.dropFirst(before).first { $0.contains("COUNT(*)") })
            let countPlan = try await queryPlan(count, app)
            XCTAssertTrue(countPlan.contains("work_orders_assignee"), countPlan)
        }
    }

    /// A unit's context at the desk (INT-17: its open orders, recent complaints and arrears) names
    /// the community in every read (RUN-5) and is still read by the unit's own indexes on SQLite.
    func testRUN5_P3_aUnitsContextNamesItsCommunityAndReadsTheUnitsOwnIndexes() async throws {
        try await withLoggedWorld { app, world, log in
            let a = world.a
            let desk = Actor(userID: world.accounts["a.desk"]!.id, name: "a.desk")
            let order = try await app.store.orders.create(OrderDraft(communityID: a.community.id, kind: .repair, channel: .hotline, unitID: a.units[2].id,
                                                                     description: "卧室灯不亮"), by: desk).order
            let before = log.statements.count
            let context = try await app.store.orders.unitContext(a.units[2].id, community: a.community.id)
            XCTAssertEqual(context.openOrders.map(\.id), [order.id])
            let reads = log.statements.dropFirst(before).filter { $0.contains("FROM work_orders") || $0.contains("FROM \"work_orders\"") || $0.contains("FROM bills") }
            XCTAssertEqual(reads.count, 3, "open orders, complaints, arrears: \(reads)")
            for statement in reads {
                XCTAssertTrue(statement.contains("community_id"), "not scoped by its community: \(statement)")
                guard !app.db.isPostgres else { continue }
                let plan = try await queryPlan(statement, app)
                XCTAssertTrue(plan.contains("work_orders_unit") || plan.contains("bills_unit"), plan)
            }
            let other = try await app.store.orders.unitContext(a.units[2].id, community: world.b.community.id)
            XCTAssertTrue(other.openOrders.isEmpty, "a unit named with another community has nothing")
        }
    }

    /// RUN-5: a step of an order and its detail read the order's clocks and alerts with its
    /// community beside the order, and on SQLite still by the order (the clocks' key, the alerts'
    /// index of their subject).
    func testRUN5_anOrdersStepsAndDetailNameItsCommunityBesideTheOrder() async throws {
        try await withLoggedWorld { app, world, log in
            let a = world.a
            let desk = Actor(userID: world.accounts["a.desk"]!.id, name: "a.desk")
            let engineer = try XCTUnwrap(world.accounts["a.engineer"])
            let before = log.statements.count
            let order = try await app.store.orders.create(OrderDraft(communityID: a.community.id, kind: .repair, channel: .hotline, unitID: a.units[1].id,
                                                                     description: "厨房下水道堵塞"), by: desk).order
            _ = try await app.store.orders.perform(.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), on: order.id, community: a.community.id, by: desk)
            let detail = try await app.store.orders.detail(order.id)
            XCTAssertFalse(try XCTUnwrap(detail).clocks.isEmpty)
            let reads = log.statements.dropFirst(before).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { statement in
                let plain = statement.replacingOccurrences(of: "\"", with: "")
                return (plain.hasPrefix("SELECT") || plain.hasPrefix("UPDATE")) && (plain.contains("FROM sla_clocks") || plain.contains("FROM alerts")
                    || plain.hasPrefix("UPDATE alerts")) && plain.contains("subject_id = ")
            }
            XCTAssertGreaterThanOrEqual(reads.count, 3, "the step's clocks, the detail's clocks and alerts: \(reads)")
            for statement in Set(reads) {
                let condition = statement.components(separatedBy: " WHERE ").dropFirst().joined(separator: " WHERE ")
                XCTAssertTrue(condition.contains("community_id"), "not scoped by its community: \(statement)")
                guard !app.db.isPostgres else { continue }
                let plan = try await queryPlan(statement, app)
                XCTAssertTrue(plan.contains("subject_id=") && !plan.contains("SCAN "), "not read by the order: \(plan) ← \(statement)")
            }
        }
    }

    /// RUN-5: every read by a unit names the unit's community — its fees (bills, open bills,
    /// receipts, deposits, reminders, the month's reminder shortfalls), its resident file (move-ins,
    /// custody, keys, passes, renovations, visits, visitors, orders), a household's survey answer,
    /// the typeahead's residents — and on SQLite each still reads an index that leads with the unit
    /// (or with the community and the unit), never a walk of a table or of the community's index.
    func testRUN5_P3_everyReadByAUnitNamesItsCommunityAndKeepsTheUnitsIndex() async throws {
        try await withLoggedWorld { app, world, log in
            let (b, store) = (world.b, app.store)
            let before = log.statements.count
            for unit in b.units.prefix(3) {
                let bills = try await store.fees.bills(unit: unit.id, community: b.community.id)
                _ = try await store.fees.openBills(unit: unit.id, community: b.community.id)
                _ = try await store.fees.receipts(unit: unit.id, community: b.community.id)
                _ = try await store.fees.deposits(unit: unit.id, community: b.community.id)
                _ = try await store.fees.reminders(unit: unit.id, community: b.community.id)
                let file = try await store.residentFile.file(unit: unit.id, visibleAreas: nil)
                XCTAssertEqual(file?.unit.unit.id, unit.id)
                if let survey = b.survey { _ = try await store.surveys.response(survey: survey.id, unit: unit.id, community: b.community.id) }
                _ = try await store.registry.search(community: b.community.id, areas: nil, query: unit.roomNumber)
                if unit.id == b.units[0].id { XCTAssertFalse(bills.isEmpty, "the world billed this unit") }
            }
            let month = DutyStore.month(of: Date(), timeZone: b.community.timeZone)
            _ = try await store.fees.reminderShortfalls(community: b.community.id, area: nil, month: month)
            let reads = log.statements.dropFirst(before).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { statement in
                let plain = statement.replacingOccurrences(of: "\"", with: "")
                return plain.hasPrefix("SELECT") && (plain.contains("unit_id = ") || plain.contains("unit_id IN ("))
            }
            let tables = Set(reads.compactMap(StatementLog.table(of:)))
            XCTAssertTrue(tables.isSuperset(of: ["bills", "receipts", "deposits", "arrears_reminders", "move_ins", "custody_agreements", "key_movements",
                                                 "occupancies", "visitors", "unit_passes", "renovations", "household_visits", "work_orders"]),
                          "\(tables.sorted())")
            for statement in Set(reads) {
                let condition = statement.components(separatedBy: " WHERE ").dropFirst().joined(separator: " WHERE ")
                XCTAssertTrue(condition.contains("community_id"), "not scoped by its community: \(statement)")
                guard !app.db.isPostgres else { continue }
                let plan = try await queryPlan(statement, app)
                XCTAssertFalse(plan.split(separator: "|").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("SCAN ") }, "\(plan) ← \(statement)")
                XCTAssertTrue(plan.contains("unit_id="), "not read by the unit's index: \(plan) ← \(statement)")
            }
            let elsewhere = try await store.fees.bills(unit: b.units[0].id, community: world.a.community.id)
            XCTAssertTrue(elsewhere.isEmpty, "a unit named with another community has nothing")
            let deposits = try await store.fees.deposits(unit: b.units[1].id, community: world.a.community.id)
            XCTAssertTrue(deposits.isEmpty, "a unit named with another community has nothing")
        }
    }

    /// How SQLite reads a statement that was sent (its values unbound): the plan's lines joined.
    private func queryPlan(_ statement: String, _ app: Application) async throws -> String {
        try await (app.db as! any SQLDatabase).raw(SQLQueryString("EXPLAIN QUERY PLAN " + statement)).all()
            .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
    }
}
