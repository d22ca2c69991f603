import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// REP-1 month summary over the API, and RUN-6 `propdesk generate` on the suite's database.
final class ReportAndScaleTests: XCTestCase {
    func month(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year!, c.month!)
    }

    func testMonthSummaryCountsTheMonthWithinTheCallersScope_REP1() async throws {
        try await withWorld { app, world in
            let c = world.a.community.id
            let store = app.store
            let engineer = try XCTUnwrap(world.accounts["a.engineer"])
            let manager = Actor(userID: world.accounts["a.manager"]!.id, name: "a.manager")
            let worker = Actor(userID: engineer.id, name: engineer.displayName)
            // An emergency reached in time, in area 0.
            let o = try await store.orders.create(OrderDraft(communityID: c, kind: .repair, channel: .hotline, unitID: world.a.units[0].id,
                                                             description: "卫生间水管爆裂,水流不止"), by: manager).order
            _ = try await store.orders.perform(.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), on: o.id, by: manager)
            _ = try await store.orders.perform(.checkIn, on: o.id, by: worker)
            // And an everyday one in the other area.
            _ = try await store.orders.create(OrderDraft(communityID: c, kind: .repair, channel: .walkIn, unitID: world.a.units[2].id,
                                                         description: "客厅插座没电"), by: manager)
            let thisMonth = month(app.propdesk.now())
            let path = "/api/v1/communities/\(c)/summary?month=\(thisMonth)"

            let res = try await app.call(.GET, path, as: "a.manager", in: world)
            XCTAssertEqual(res.status, .ok, res.text)
            let body = try XCTUnwrap(try res.json() as? [String: Any])
            let (from, until) = try MonthSummary.range(month: thisMonth, timeZone: world.a.community.timeZone)
            let expected = try await WorkOrderCountInTest.count(app, community: c, from: from, until: until)
            XCTAssertEqual(body["orders"] as? Int, expected)
            XCTAssertGreaterThanOrEqual(expected, 4)
            let clocks = try XCTUnwrap(body["clocks"] as? [[String: Any]])
            let arrival = try XCTUnwrap(clocks.first { $0["kind"] as? String == "arrival" && $0["emergencyOnly"] as? Bool == true })
            XCTAssertEqual(arrival["decided"] as? Int, 1)
            XCTAssertEqual(arrival["met"] as? Int, 1)
            XCTAssertEqual(arrival["attainmentPercent"] as? Double, 100)
            let kinds = try XCTUnwrap(body["byKind"] as? [[String: Any]])
            XCTAssertEqual(kinds.first { $0["kind"] as? String == "repair" }?["emergencies"] as? Int, 2)

            // An area supervisor sees their areas only; other roles and communities are refused.
            let own = try await app.call(.GET, path, as: "a.supervisor", in: world)
            XCTAssertEqual(own.status, .ok)
            XCTAssertLessThan(try XCTUnwrap((try own.json() as? [String: Any])?["orders"] as? Int), expected)
            for (user, status) in [("a.engineer", HTTPStatus.forbidden), ("a.finance", .forbidden), ("13800001000", .forbidden), ("b.head", .notFound), (nil, .unauthorized)] as [(String?, HTTPStatus)] {
                let r = try await app.call(.GET, path, as: user, in: world)
                XCTAssertEqual(r.status, status, "\(user ?? "anonymous"): \(r.text)")
            }
            let bad = try await app.call(.GET, "/api/v1/communities/\(c)/summary?month=2026-13", as: "a.manager", in: world)
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.text.contains("YYYY-MM"), bad.text)
        }
    }

    /// The benchmark's parallel desks found this on PostgreSQL: intakes in one community raced
    /// for the same number and failed after three tries. Now they queue on the community row.
    func testParallelIntakesInOneCommunityEachGetTheirOwnNumber_INT1() async throws {
        try await withWorld { app, world in
            let c = world.a.community.id
            let desk = Actor(userID: world.accounts["a.desk"]!.id, name: "a.desk")
            let store = app.store
            let units = world.a.units
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        try await store.orders.create(OrderDraft(communityID: c, kind: .repair, channel: .hotline, unitID: units[i % units.count].id,
                                                                 description: "客厅插座没电 \(i)"), idempotencyKey: "parallel-\(i)", by: desk).order.seq
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            XCTAssertEqual(numbers.count, 12)
            XCTAssertEqual(Set(numbers).count, 12, "every intake has its own number")
            XCTAssertEqual(numbers.sorted(), Array((numbers.min()!)...(numbers.min()! + 11)), "and the numbers have no gaps")
        }
    }

    /// Issue 19, P3: a later page is read by its numbers first on PostgreSQL (the list's index
    /// alone), then its orders by number (RUN-5: both name the community). Every page of every
    /// filter holds exactly the orders of its place in the whole list, read here in one query.
    func testRUN5_P3_laterPagesOfEveryFilterHoldTheirPlaceInTheWholeList() async throws {
        let app = try await TestApp.make()
        do {
            let size = ScaleGenerator.Size.forTest(communities: 2, units: 40, people: 100, orders: 300, due: 8)
            _ = try await app.store.generator.generate(size, passwordHash: "x")
            let community = try await app.store.registry.communities(visible: nil)[0].community.id
            let sql = app.db as! any SQLDatabase
            let area = try await sql.raw("SELECT area_id FROM work_orders WHERE community_id = \(bind: community) AND area_id IS NOT NULL LIMIT 1")
                .first()!.decode(column: "area_id", as: UUID.self)
            var filters: [(String, WorkOrderStore.OrderFilter, SQLQueryString)] = [("all", .init(), "")]
            filters.append(("closed", .init(statuses: [.closed]), " AND status = 'closed'"))
            filters.append(("an area", .init(areaID: area), " AND area_id = \(bind: area)"))
            filters.append(("complaints", .init(kind: .complaint), " AND kind = 'complaint'"))
            for (name, filter, condition) in filters {
                let whole = try await sql.raw("SELECT id FROM work_orders WHERE community_id = \(bind: community)" + condition + " ORDER BY created_at DESC, seq DESC")
                    .all().map { try $0.decode(column: "id", as: UUID.self) }
                XCTAssertGreaterThan(whole.count, 7, name)
                var paged: [UUID] = []
                for p in 1...(whole.count / 7 + 2) {
                    let page = try await app.store.orders.list(community: community, filter: filter, page: try PageQuery(page: p, per: 7))
                    XCTAssertEqual(page.total, whole.count, name)
                    XCTAssertEqual(page.items.map(\.order.id), Array(whole.dropFirst((p - 1) * 7).prefix(7)), "\(name), page \(p)")
                    paged += page.items.map(\.order.id)
                }
                XCTAssertEqual(paged, whole, name)
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    func testGenerateWritesWholeCommunitiesAndMoreOrdersKeepTheWorkDueFlat_RUN6() async throws {
        let app = try await TestApp.make()
        do {
            let size = ScaleGenerator.Size.forTest(communities: 2, units: 40, people: 100, orders: 300, due: 8)
            let generator = app.store.generator
            let report = try await generator.generate(size, passwordHash: try await SignIn.hash(World.password, on: app))
            XCTAssertEqual(report.communities, 2)
            XCTAssertEqual(report.units, 40)
            XCTAssertEqual(report.orders, 304, "300 orders of history and 4 unattended calls")
            XCTAssertGreaterThan(report.events, 4 * 300)
            let summaries = try await app.store.registry.communities(visible: nil)
            XCTAssertEqual(summaries.map(\.units).reduce(0, +), 40)
            XCTAssertEqual(summaries.map(\.people).reduce(0, +), report.people)
            let desk = try await app.store.accounts.accounts(community: summaries[0].community.id).first { $0.username == "c001.desk1" }
            let principal = try await app.store.accounts.principal(userID: try XCTUnwrap(desk).id)
            XCTAssertEqual(principal?.role, .frontDesk)
            await XCTAssertThrowsErrorAsync(try await generator.generate(size, passwordHash: "x"), "only into an empty database")

            let page = try await app.store.orders.list(community: summaries[0].community.id, filter: .init(), page: try PageQuery(page: 1, per: 5))
            XCTAssertEqual(page.total, 152)
            let due = try await app.store.clocks.dueClocks(limit: 1000)
            XCTAssertGreaterThanOrEqual(due.count, 8)
            var swept = try await app.store.clocks.sweep(limit: 1000)
            XCTAssertEqual(swept.fired, due.count, "the sweeper fires exactly what was due")
            let left = try await app.store.clocks.dueClocks(limit: 1000).count
            XCTAssertEqual(left, 0)

            // Doubling the table adds as much work due as before, and numbers carry on.
            let more = try await generator.addOrders(size, orders: 300)
            XCTAssertEqual(more.orders, 304)
            XCTAssertEqual(more.communities, 0, "the registry is not written twice")
            let after = try await app.store.orders.list(community: summaries[0].community.id, filter: .init(), page: try PageQuery(page: 1, per: 5))
            XCTAssertEqual(after.total, 304)
            let dueAgain = try await app.store.clocks.dueClocks(limit: 1000).count
            XCTAssertGreaterThanOrEqual(dueAgain, 8)
            XCTAssertLessThan(dueAgain, 8 + 8)
            swept = try await app.store.clocks.sweep(limit: 1000)
            XCTAssertEqual(swept.fired, dueAgain)

            // A generated month has figures.
            let older = try await app.store.orders.list(community: summaries[0].community.id, filter: .init(), page: try PageQuery(page: 2, per: 100))
            let sample = try XCTUnwrap(older.items.first?.order.createdAt)
            let s = try await app.store.reports.monthSummary(community: summaries[0].community.id, month: month(sample), timeZone: "Asia/Shanghai", visibleAreas: nil)
            XCTAssertGreaterThan(s.orders, 0)
            XCTAssertGreaterThan(s.clocks.first { $0.kind == .response && !$0.emergencyOnly }?.decided ?? 0, 0)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

enum WorkOrderCountInTest {
    static func count(_ app: Application, community: UUID, from: Date, until: Date) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM work_orders WHERE community_id = \(bind: community) AND created_at >= \(bind: from) AND created_at < \(bind: until)")
            .first()!.decode(column: "n", as: Int.self)
    }
}
