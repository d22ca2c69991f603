import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// A clock the test moves by hand, shared by the app and the sweeper.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(minutes: Double) { lock.withLock { current = current.addingTimeInterval(minutes * 60) } }
    var read: @Sendable () -> Date { { [unowned self] in self.now } }
}

/// INT-1 … INT-19 through the JSON API on a real database, with the background sweeper run by
/// hand on a simulated clock.
final class WorkOrderTests: XCTestCase {
    func object(_ res: XCTHTTPResponse, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        guard let o = try res.json() as? [String: Any] else {
            XCTFail("not an object: \(res.status) \(res.text.prefix(300))", file: file, line: line)
            return [:]
        }
        return o
    }

    func create(_ app: Application, _ w: World, as user: String = "a.desk", unit: Int = 0, kind: String = "repair", text: String,
                key: String? = nil, extra: String = "") async throws -> [String: Any] {
        var headers = w.headers(user)
        if let key { headers.add(name: "Idempotency-Key", value: key) }
        let body = #"{"kind":"\#(kind)","channel":"hotline","unitId":"\#(w.a.units[unit].id)","description":"\#(text)"\#(extra)}"#
        let res = try await app.sendRequest(.POST, "/api/v1/communities/\(w.a.community.id)/orders", headers: headers, body: ByteBuffer(string: body))
        XCTAssertTrue([200, 201].contains(res.status.code), res.text)
        return try object(res)
    }

    func step(_ app: Application, _ w: World, _ id: Any?, _ path: String, as user: String, json: String? = nil) async throws -> XCTHTTPResponse {
        try await app.call(.POST, "/api/v1/orders/\(id as! String)/\(path)", as: user, in: w, json: json ?? "{}")
    }

    func clockOf(_ order: [String: Any], _ kind: String) -> [String: Any]? {
        (order["clocks"] as? [[String: Any]])?.first { $0["kind"] as? String == kind }
    }

    func alerts(_ app: Application, _ w: World, as user: String, mine: Bool = true) async throws -> [[String: Any]] {
        let res = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/alerts?mine=\(mine)", as: user, in: w)
        XCTAssertEqual(res.status, .ok, res.text)
        return (try res.json() as? [[String: Any]]) ?? []
    }

    // MARK: INT-4, INT-6

    func testINT4_INT6_burstPipeIsAnEmergencyWithA15MinuteArrivalTarget() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, text: "厨房水管爆裂,水流到客厅了")
            XCTAssertEqual(order["priority"] as? String, "emergency")
            XCTAssertEqual(order["category"] as? String, "water")
            XCTAssertEqual(order["emergencyKeyword"] as? String, "水管爆裂")
            let arrival = try XCTUnwrap(clockOf(order, "arrival"))
            XCTAssertEqual(arrival["targetSeconds"] as? Int, 900)
            XCTAssertEqual(arrival["serviceHoursOnly"] as? Bool, false)
            XCTAssertEqual(arrival["secondsLeft"] as? Int, 900)
            // The intake page asks the same dictionary as the desk types (INT-4).
            let c = try await app.call(.POST, "/api/v1/communities/\(w.a.community.id)/classify", as: "a.desk", in: w, json: #"{"text":"there is a burst pipe"}"#)
            XCTAssertEqual(try object(c)["emergency"] as? Bool, true)
            XCTAssertEqual(try object(c)["arrivalTargetSeconds"] as? Int, 900)
        }
    }

    /// INT-6, issue 19 (P3): "overdue" lists exactly the orders with a running clock past its due
    /// time — counted and paged like any list, and together with the other filters. An order whose
    /// engineer checked in is no longer late, however late it was; one not yet due is not late.
    func testINT6_theOverdueListHoldsExactlyTheLateOrdersWithTheOtherFiltersAndItsPages() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let c = w.a.community.id
            let store = app.store.orders
            let desk = Actor(userID: w.accounts["a.desk"]!.id, name: "a.desk")
            let engineer = w.accounts["a.engineer"]!
            let worker = Actor(userID: engineer.id, name: engineer.displayName)
            func order(_ unit: Int, _ text: String) async throws -> WorkOrder {
                try await store.create(OrderDraft(communityID: c, kind: .repair, channel: .hotline, unitID: w.a.units[unit].id, description: text), by: desk).order
            }
            // Three emergencies of three kinds (15 minutes to arrive, day and night; three of one
            // kind would be taken for an incident) and an ordinary repair.
            let bursts = [try await order(0, "厨房水管爆裂"), try await order(1, "电梯困人了"), try await order(2, "厨房燃气泄漏")]
            let ordinary = try await order(0, "门禁卡失灵")
            XCTAssertEqual(bursts.map(\.priority), [.emergency, .emergency, .emergency])
            let nothingYet = try await store.list(community: c, filter: .init(overdue: true), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(nothingYet.total, 0)
            XCTAssertEqual(nothingYet.items.count, 0)
            // The first burst's engineer is there in time; twenty minutes on, the other two are late.
            _ = try await store.perform(.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), on: bursts[0].id, by: desk)
            _ = try await store.perform(.accept, on: bursts[0].id, by: worker)
            _ = try await store.perform(.checkIn, on: bursts[0].id, by: worker)
            clock.advance(minutes: 20)
            let late = try await store.list(community: c, filter: .init(overdue: true), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(Set(late.items.map(\.order.id)), [bursts[1].id, bursts[2].id], "the late ones, each once")
            XCTAssertEqual(late.total, 2)
            XCTAssertFalse(late.items.contains { $0.order.id == ordinary.id }, "not due yet")
            XCTAssertEqual(late.items.map(\.order.id), [bursts[2].id, bursts[1].id], "newest first")
            // Paged: one per page, the second page holds the older one, the total stays 2.
            let second = try await store.list(community: c, filter: .init(overdue: true), page: try PageQuery(page: 2, per: 1))
            XCTAssertEqual(second.items.map(\.order.id), [bursts[1].id])
            XCTAssertEqual(second.total, 2)
            // Past the end: no order, and still the total (no row carries it there).
            let past = try await store.list(community: c, filter: .init(overdue: true), page: try PageQuery(page: 3, per: 1))
            XCTAssertEqual(past.items.count, 0)
            XCTAssertEqual(past.total, 2)
            // With the other filters: an area, a status, a kind that matches nothing.
            let area = try XCTUnwrap(bursts[1].areaID)
            let inArea = try await store.list(community: c, filter: .init(areaID: area, overdue: true), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(Set(inArea.items.map(\.order.id)), Set([bursts[1], bursts[2]].filter { $0.areaID == area }.map(\.id)))
            XCTAssertEqual(inArea.total, inArea.items.count)
            let received = try await store.list(community: c, filter: .init(statuses: [.received], overdue: true), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(received.total, 2)
            let complaints = try await store.list(community: c, filter: .init(kind: .complaint, overdue: true), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(complaints.total, 0)
            // The other community's desk sees none of them.
            let other = try await store.list(community: w.b.community.id, filter: .init(overdue: true), page: try PageQuery(page: 1, per: 20))
            XCTAssertEqual(other.total, 0)
            // Over HTTP, as the board asks it.
            let res = try await app.call(.GET, "/api/v1/communities/\(c)/orders?overdue=true&per=1", as: "a.desk", in: w)
            XCTAssertEqual(res.status, .ok, res.text)
            let page = try object(res)
            XCTAssertEqual(page["total"] as? Int, 2)
            XCTAssertEqual((page["items"] as? [[String: Any]])?.first?["id"] as? String, bursts[2].id.uuidString)
        }
    }

    /// INT-6, issue 19 (P3): with more than a few late orders (a busy morning) the overdue list
    /// walks the newest orders and tests each for a late clock, stopping at the page's end; when
    /// the newest are not late (the late ones are old) it joins all the late ones as before. Both
    /// give exactly the late orders, newest first, page by page, with and without another filter.
    func testINT6_P3_manyLateOrdersArePagedNewestFirstWhetherTheNewestOrTheOldestAreLate() async throws {
        let clock = TestClock()
        let log = StatementLog()
        let app = try await TestApp.make(now: clock.read, statements: log)
        do {
            let w = try await World.build(app)
            let c = w.a.community.id
            let store = app.store.orders
            let desk = Actor(userID: w.accounts["a.desk"]!.id, name: "a.desk")
            func orders(_ n: Int, _ text: String, secondsApart: Double = 0) async throws -> [WorkOrder] {
                var made: [WorkOrder] = []
                for i in 0..<n {
                    clock.advance(minutes: secondsApart / 60)
                    made.append(try await store.create(OrderDraft(communityID: c, kind: .repair, channel: .hotline, unitID: w.a.units[i % 2].id,
                                                                  description: "\(text) \(i)"), by: desk).order)
                }
                return made
            }
            func page(_ p: Int, _ per: Int, area: UUID? = nil) async throws -> Paged<WorkOrderStore.OrderView> {
                try await store.list(community: c, filter: .init(areaID: area, overdue: true), page: try PageQuery(page: p, per: per))
            }
            /// Whether the last list found its page by walking the newest orders, not by the join of all late ones.
            func walked(since before: Int) -> Bool {
                let statements = log.statements.dropFirst(before)
                return statements.contains { $0.contains("EXISTS") } && !statements.contains { $0.contains(#"AS "late""#) && $0.contains("JOIN") }
            }
            // Which statements ran is read on SQLite (PostgreSQL's pooled connections keep the logger they were made with).
            let postgres = (app.db as! any SQLDatabase).dialect.name == "postgresql"
            // The old ones a second apart: the walk's window ends at an order's time, and orders
            // registered in the same instant would all fall inside it.
            let old = try await orders(WorkOrderStore.fewLateOrders + 10, "门禁卡失灵", secondsApart: 1)
            clock.advance(minutes: 2 * 24 * 60)
            let new = try await orders(150, "楼道灯不亮")
            // The old ones are late, the new ones not yet: the newest window holds no late order.
            let newestOld = Array(old.reversed())
            for (p, per) in [(1, 1), (2, 1), (2, 7), (30, 7), (1, 20)] {
                let before = log.statements.count
                let got = try await page(p, per)
                XCTAssertEqual(got.total, old.count)
                XCTAssertEqual(got.items.map(\.order.id), newestOld.dropFirst((p - 1) * per).prefix(per).map(\.id), "page \(p) of \(per)")
                // The walk's window for the first two (the newest 120 and 140 orders) holds no late
                // one: the late ones are joined. The later pages' windows reach the old ones.
                if !postgres, per == 1 { XCTAssertFalse(walked(since: before), "page \(p): the newest are not late, the late ones are joined") }
                // Page 30 of 7 ends at the 210th late order: the walk stops 100 orders past the
                // number of late ones (the newest 310 of 360, 160 of them late) and the late ones
                // are joined, rather than walking the whole history.
                if !postgres, p == 30 { XCTAssertFalse(walked(since: before), "page 30: no walk longer than the late orders") }
            }
            // Two days on every one is late, the newest first.
            clock.advance(minutes: 2 * 24 * 60)
            let all = Array((old + new).reversed())
            for (p, per) in [(1, 5), (3, 5), (2, 20), (18, 20)] {
                let before = log.statements.count
                let got = try await page(p, per)
                XCTAssertEqual(got.total, all.count)
                XCTAssertEqual(got.items.map(\.order.id), all.dropFirst((p - 1) * per).prefix(per).map(\.id), "page \(p) of \(per)")
                if !postgres { XCTAssertTrue(walked(since: before), "page \(p) of \(per): the newest orders are walked") }
            }
            let past = try await page(100, 20)
            XCTAssertEqual(past.items.count, 0)
            XCTAssertEqual(past.total, all.count)
            // With an area: the late orders of that area only, counted and paged the same way.
            let area = try XCTUnwrap(w.a.units[1].areaID ?? old[1].areaID)
            let inArea = all.filter { $0.areaID == area }
            XCTAssertGreaterThan(inArea.count, WorkOrderStore.fewLateOrders / 2)
            let got = try await page(2, 10, area: area)
            XCTAssertEqual(got.total, inArea.count)
            XCTAssertEqual(got.items.map(\.order.id), inArea.dropFirst(10).prefix(10).map(\.id))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    // MARK: INT-7

    func testINT7_emergencyNotOnSiteAfter15MinutesEscalatesToManagerThenCenterHead() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, text: "3楼关键部位漏水")
            let engineer = w.accounts["a.engineer"]!.id
            let d = try await step(app, w, order["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            XCTAssertEqual(d.status, .ok, d.text)
            clock.advance(minutes: 1)
            // Accepted within the 5-minute response target: only the arrival clock is left to run late.
            let accepted = try await step(app, w, order["id"], "accept", as: "a.engineer")
            XCTAssertEqual(accepted.status, .ok)
            clock.advance(minutes: 13.9)
            var report = try await app.store.clocks.sweep()
            XCTAssertEqual(report.alerts, 0)
            clock.advance(minutes: 0.2)
            report = try await app.store.clocks.sweep()
            XCTAssertEqual(report.alerts, 1, "at 15 minutes the engineer is alerted")
            let toEngineer = try await alerts(app, w, as: "a.engineer").filter { $0["kind"] as? String == "overdue" }
            XCTAssertEqual(toEngineer.count, 1)
            XCTAssertEqual(toEngineer.first?["targetUserId"] as? String, engineer.uuidString)
            let v1 = try await alerts(app, w, as: "a.manager").filter { $0["kind"] as? String == "overdue" }.count
            XCTAssertEqual(v1, 0)
            // Standard steps for emergencies: CS manager 5 minutes after the target, center head 15.
            clock.advance(minutes: 5)
            report = try await app.store.clocks.sweep()
            let toManager = try await alerts(app, w, as: "a.manager").filter { $0["kind"] as? String == "overdue" }
            XCTAssertEqual(toManager.count, 1)
            XCTAssertEqual(toManager.first?["level"] as? String, "cs_manager")
            let v2 = try await alerts(app, w, as: "a.head").count
            XCTAssertEqual(v2, 0)
            clock.advance(minutes: 10)
            _ = try await app.store.clocks.sweep()
            let toHead = try await alerts(app, w, as: "a.head")
            XCTAssertEqual(toHead.count, 1)
            XCTAssertEqual(toHead.first?["level"] as? String, "center_head")
            // Nothing further, however often the sweeper runs.
            clock.advance(minutes: 60)
            let v3 = try await app.store.clocks.sweep().alerts
            XCTAssertEqual(v3, 0)
            // Who saw it is recorded (INT-7), once.
            let ack = try await app.call(.POST, "/api/v1/alerts/\(toManager[0]["id"] as! String)/acknowledge", as: "a.manager", in: w, json: #"{"note":"已电话督促"}"#)
            XCTAssertEqual(ack.status, .ok, ack.text)
            XCTAssertEqual(try object(ack)["acknowledgedByName"] as? String, "a.manager (a.manager)")
            let again = try await app.call(.POST, "/api/v1/alerts/\(toManager[0]["id"] as! String)/acknowledge", as: "a.head", in: w, json: "{}")
            XCTAssertEqual(try object(again)["acknowledgedByName"] as? String, "a.manager (a.manager)")
            let detail = try object(try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "a.manager", in: w))
            let kinds = (detail["timeline"] as! [[String: Any]]).map { $0["kind"] as! String }
            let escalations = (detail["timeline"] as! [[String: Any]]).filter {
                $0["kind"] as? String == "alerted" && ($0["data"] as? [String: String])?["alert"] == "overdue"
            }
            XCTAssertEqual(escalations.map { ($0["data"] as! [String: String])["level"]! }, ["assignee", "cs_manager", "center_head"])
            // The dispatched repair with nobody on site at 20 minutes also told the front desk to call (S4 4.9).
            XCTAssertEqual(kinds.filter { $0 == "alerted" }.count, 4)
            XCTAssertEqual(kinds.filter { $0 == "alert_acknowledged" }.count, 1)
            let arrival = try XCTUnwrap(clockOf(detail["order"] as! [String: Any], "arrival"))
            XCTAssertEqual(arrival["level"] as? Int, 3)
            XCTAssertNotNil(arrival["breachedAt"])
        }
    }

    // MARK: INT-6 (S4 4.9)

    func testINT6_S4_4_9_dispatchedRepairWithNobodyOnSiteAfter20MinutesTellsTheFrontDeskToCall() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, text: "卫生间水龙头一直滴水")
            XCTAssertEqual(order["priority"] as? String, "normal")
            let engineer = w.accounts["a.engineer"]!.id
            _ = try await step(app, w, order["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            clock.advance(minutes: 19)
            _ = try await app.store.clocks.sweep()
            let v4 = try await alerts(app, w, as: "a.desk").filter { $0["kind"] as? String == "callback" }.isEmpty
            XCTAssertTrue(v4)
            clock.advance(minutes: 1.1)
            _ = try await app.store.clocks.sweep()
            let tasks = try await alerts(app, w, as: "a.desk").filter { $0["kind"] as? String == "callback" }
            XCTAssertEqual(tasks.count, 1)
            XCTAssertEqual(tasks.first?["orderId"] as? String, order["id"] as? String)
            XCTAssertTrue((tasks.first?["message"] as? String ?? "").contains("致电业户"))
            // An engineer on site in time means no call.
            let second = try await create(app, w, unit: 1, text: "卧室灯不亮")
            _ = try await step(app, w, second["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            clock.advance(minutes: 10)
            let checked = try await step(app, w, second["id"], "check-in", as: "a.engineer")
            XCTAssertEqual(checked.status, .ok, checked.text)
            clock.advance(minutes: 30)
            _ = try await app.store.clocks.sweep()
            let v5 = try await alerts(app, w, as: "a.desk").filter { $0["kind"] as? String == "callback" }.count
            XCTAssertEqual(v5, 1)
        }
    }

    func testINT6_holdStopsTheClockAndResumeRestartsIt() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, text: "家里停电了")
            XCTAssertEqual(order["priority"] as? String, "emergency")
            let engineer = w.accounts["a.engineer"]!.id
            _ = try await step(app, w, order["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            _ = try await step(app, w, order["id"], "accept", as: "a.engineer")
            clock.advance(minutes: 5)
            let held = try await step(app, w, order["id"], "hold", as: "a.desk", json: #"{"reason":"业户不在家,约好 30 分钟后"}"#)
            XCTAssertEqual(held.status, .ok, held.text)
            XCTAssertEqual(try object(held)["status"] as? String, "on_hold")
            XCTAssertNotNil(clockOf(try object(held), "arrival")?["pausedAt"])
            clock.advance(minutes: 30)
            let v6 = try await app.store.clocks.sweep().alerts
            XCTAssertEqual(v6, 0, "no alert while on hold")
            let resumed = try object(try await step(app, w, order["id"], "resume", as: "a.desk"))
            XCTAssertEqual(resumed["status"] as? String, "accepted")
            let arrival = try XCTUnwrap(clockOf(resumed, "arrival"))
            XCTAssertEqual(arrival["secondsLeft"] as? Int, 600, "10 of the 15 minutes were left")
            XCTAssertEqual(arrival["heldSeconds"] as? Int, 1800)
            clock.advance(minutes: 9.9)
            let v7 = try await app.store.clocks.sweep().alerts
            XCTAssertEqual(v7, 0)
            clock.advance(minutes: 0.2)
            let v8 = try await app.store.clocks.sweep().alerts
            XCTAssertEqual(v8, 1)
        }
    }

    // MARK: INT-5, SEC-5

    func testINT5_anIllegalStepAnswers409InTheCallersLanguageAndChangesNothing() async throws {
        // A still clock: the order read before and after is compared whole, seconds left included.
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, text: "门禁卡失灵")
            let before = try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "a.desk", in: w).text
            let zh = try await step(app, w, order["id"], "check-in", as: "a.engineer")
            XCTAssertEqual(zh.status, .conflict)
            XCTAssertEqual(try object(zh)["code"] as? String, "illegal_transition")
            XCTAssertTrue((try object(zh)["message"] as? String ?? "").contains("已受理"), zh.text)
            let en = try await app.call(.POST, "/api/v1/orders/\(order["id"] as! String)/complete", as: "a.engineer", in: w,
                                        json: #"{"note":"done"}"#, language: "en")
            XCTAssertEqual(en.status, .conflict)
            XCTAssertEqual(try object(en)["message"] as? String, "The order is received; you cannot complete now.")
            let after = try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "a.desk", in: w).text
            XCTAssertEqual(after, before)
            // A step the role may not take at all is 403; an order of another community is 404.
            let v9 = try await step(app, w, order["id"], "settle", as: "a.engineer", json: #"{"receiptNumber":"R1"}"#).status
            XCTAssertEqual(v9, .forbidden)
            let v10 = try await step(app, w, w.b.orders[0].id.uuidString, "cancel", as: "a.desk", json: #"{"reason":"x"}"#).status
            XCTAssertEqual(v10, .notFound)
            // Bad input: a cancel without a reason is 422 and changes nothing.
            let v11 = try await step(app, w, order["id"], "cancel", as: "a.desk", json: #"{"reason":"  "}"#).status
            XCTAssertEqual(v11, .unprocessableEntity)
            let v12 = try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "a.desk", in: w).text
            XCTAssertEqual(v12, before)
        }
    }

    /// Issue 19: an intake's rows take identifiers that begin with their millisecond, so the
    /// next intake's rows land beside them in every index on the identifier.
    func testRUN1_anIntakesOrderClocksAndTimelineTakeTimeOrderedIdentifiers() async throws {
        try await withWorld { app, w in
            let first = try await create(app, w, text: "厨房水管爆裂,水流到客厅了")
            try await Task.sleep(for: .milliseconds(3))
            let second = try await create(app, w, unit: 1, text: "楼道声控灯不亮")
            let ids = try [first, second].map { try XCTUnwrap(UUID(uuidString: $0["id"] as? String ?? "")) }
            XCTAssertLessThan(ids[0].uuidString, ids[1].uuidString, "the later order sorts after the earlier one")
            let sql = app.db as! any SQLDatabase
            for id in ids {
                XCTAssertEqual(id.uuid.6 >> 4, 7, "an order's identifier is time-ordered (version 7)")
                let clocks = try await sql.raw("SELECT id FROM sla_clocks WHERE subject_id = \(bind: id)").all().map { try $0.decode(column: "id", as: UUID.self) }
                let entries = try await sql.raw("SELECT id FROM timeline_entries WHERE subject_id = \(bind: id)").all().map { try $0.decode(column: "id", as: UUID.self) }
                XCTAssertFalse(clocks.isEmpty)
                XCTAssertFalse(entries.isEmpty)
                for row in clocks + entries { XCTAssertEqual(row.uuid.6 >> 4, 7, "clocks and timeline entries too") }
            }
        }
    }

    func testSEC5_aRepeatedCreateWithTheSameIdempotencyKeyStoresOneOrder() async throws {
        try await withWorld { app, w in
            let first = try await create(app, w, text: "阳台下水道堵塞", key: "call-42")
            let second = try await create(app, w, text: "阳台下水道堵塞", key: "call-42")
            XCTAssertEqual(first["id"] as? String, second["id"] as? String)
            XCTAssertEqual(first["number"] as? String, second["number"] as? String)
            // A double click: ten at once still make one order.
            var headers = w.headers("a.desk")
            headers.add(name: "Idempotency-Key", value: "double-click")
            let path = "/api/v1/communities/\(w.a.community.id)/orders"
            let body = #"{"kind":"repair","channel":"hotline","unitId":"\#(w.a.units[0].id)","description":"电梯按钮失灵"}"#
            let burst: [String] = try await withThrowingTaskGroup(of: String.self) { [headers] group in
                for _ in 0..<10 {
                    group.addTask {
                        let res = try await app.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
                        let id = (try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])?["id"] as? String
                        return id ?? "status \(res.status.code) \(String(decoding: Data(res.body.readableBytesView), as: UTF8.self))"
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            XCTAssertEqual(Set(burst).count, 1, "\(burst)")
            let list = try object(try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/orders?per=100", as: "a.desk", in: w))
            let texts = (list["items"] as! [[String: Any]]).map { $0["description"] as! String }
            XCTAssertEqual(texts.filter { $0 == "阳台下水道堵塞" }.count, 1)
            XCTAssertEqual(texts.filter { $0 == "电梯按钮失灵" }.count, 1)
            // The same key for a different request is refused, not silently merged.
            var h = w.headers("a.desk")
            h.add(name: "Idempotency-Key", value: "call-42")
            let other = try await app.sendRequest(.POST, "/api/v1/communities/\(w.a.community.id)/orders", headers: h,
                body: ByteBuffer(string: #"{"kind":"repair","channel":"hotline","unitId":"\#(w.a.units[0].id)","description":"另一件事"}"#))
            XCTAssertEqual(other.status, .unprocessableEntity)
            XCTAssertEqual(try object(other)["code"] as? String, "idempotency_key_reused")
            // Also when the other request would be refused for itself (a unit of another
            // community): the key is looked for before the refusal is given (the intake no longer
            // reads it ahead, issue 19).
            let stray = try await app.sendRequest(.POST, "/api/v1/communities/\(w.a.community.id)/orders", headers: h,
                body: ByteBuffer(string: #"{"kind":"repair","channel":"hotline","unitId":"\#(w.b.units[0].id)","description":"另一件事"}"#))
            XCTAssertEqual(try object(stray)["code"] as? String, "idempotency_key_reused")
        }
    }

    // MARK: INT-11, INT-12, INT-19

    func testINT12_INT19_aBadReturnVisitReopensTheOrder() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            // Every order gets a return visit in this contract.
            let c = try object(try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/service-contract", as: "a.head", in: w))
            var contract = c
            contract["returnVisitPercent"] = 100
            let put = try await app.call(.PUT, "/api/v1/communities/\(w.a.community.id)/service-contract", as: "a.head", in: w,
                                         json: String(decoding: try JSONSerialization.data(withJSONObject: contract), as: UTF8.self))
            XCTAssertEqual(put.status, .ok, put.text)
            let order = try await create(app, w, text: "客厅插座没电")
            let engineer = w.accounts["a.engineer"]!.id
            for (path, user, body) in [("dispatch", "a.desk", #"{"mode":"person","assigneeId":"\#(engineer)"}"#), ("accept", "a.engineer", "{}"),
                                       ("contact", "a.engineer", #"{"note":"约 10 分钟到"}"#), ("check-in", "a.engineer", "{}"),
                                       ("complete", "a.engineer", #"{"note":"更换插座"}"#), ("sign-off", "13800001000", #"{"rating":4,"comment":"还行"}"#)] {
                clock.advance(minutes: 3)
                let r = try await step(app, w, order["id"], path, as: user, json: body)
                XCTAssertEqual(r.status, .ok, "\(path): \(r.text)")
            }
            let pending = try object(try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "a.desk", in: w))
            XCTAssertEqual((pending["order"] as! [String: Any])["status"] as? String, "visit_pending")
            let visit = try await step(app, w, order["id"], "return-visit", as: "a.desk",
                                       json: #"{"method":"phone","satisfied":false,"answer":"第二天又没电了","onDissatisfied":"reopen"}"#)
            XCTAssertEqual(visit.status, .ok, visit.text)
            let reopened = try object(visit)
            XCTAssertEqual(reopened["status"] as? String, "dispatched")
            XCTAssertEqual(reopened["reopenCount"] as? Int, 1)
            XCTAssertEqual(reopened["assigneeId"] as? String, engineer.uuidString)
            XCTAssertEqual(clockOf(reopened, "arrival")?["round"] as? Int, 2)
            let v13 = try await alerts(app, w, as: "a.manager").filter { $0["kind"] as? String == "dissatisfied" }.count
            XCTAssertEqual(v13, 1)
        }
    }

    func testINT19_aLowRatingTurnsIntoAComplaintWithItsOwner() async throws {
        try await withWorld { app, w in
            let order = try await create(app, w, text: "卫生间门锁坏了")
            let engineer = w.accounts["a.engineer"]!.id
            for (path, user, body) in [("dispatch", "a.desk", #"{"mode":"person","assigneeId":"\#(engineer)"}"#), ("check-in", "a.engineer", "{}"),
                                       ("complete", "a.engineer", #"{"note":"更换锁芯"}"#)] {
                let v14 = try await step(app, w, order["id"], path, as: user, json: body).status
                XCTAssertEqual(v14, .ok)
            }
            let signed = try object(try await step(app, w, order["id"], "sign-off", as: "13800001000", json: #"{"rating":1,"comment":"态度很差"}"#))
            let complaintID = try XCTUnwrap(signed["complaintId"] as? String)
            let complaint = try object(try await app.call(.GET, "/api/v1/orders/\(complaintID)", as: "a.manager", in: w))["order"] as! [String: Any]
            XCTAssertEqual(complaint["kind"] as? String, "complaint")
            XCTAssertEqual(complaint["ownerName"] as? String, "a.manager")
            XCTAssertEqual(complaint["parentId"] as? String, order["id"] as? String)
            XCTAssertEqual(complaint["returnVisitRequired"] as? Bool, true)
        }
    }

    // MARK: INT-16

    func testINT16_anIncidentAbsorbsAMatchingRequestAndClosingItInformsEveryCaller() async throws {
        try await withWorld { app, w in
            // The world's incident covers building 2 (units[2]) for water.
            let order = try await create(app, w, unit: 2, text: "家里没有水了")
            XCTAssertEqual(order["incidentId"] as? String, w.a.incident!.id.uuidString)
            XCTAssertEqual(order["status"] as? String, "received")
            XCTAssertEqual((order["clocks"] as? [Any])?.count, 0, "no clocks: the incident covers it")
            XCTAssertFalse((order["allowedActions"] as! [String]).contains("dispatch"))
            // A request in another building is dispatched as usual.
            let other = try await create(app, w, unit: 0, text: "家里没有水了")
            XCTAssertNil(other["incidentId"])
            let incidents = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/incidents?open=true", as: "a.desk", in: w)
            XCTAssertEqual((try incidents.json() as! [[String: Any]]).first?["linkedOrders"] as? Int, 1)
            let closed = try await app.call(.POST, "/api/v1/incidents/\(w.a.incident!.id)/close", as: "a.desk", in: w, json: #"{"note":"已恢复供水"}"#)
            XCTAssertEqual(closed.status, .ok, closed.text)
            let after = try object(try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "13800001000", in: w))
            // The resident of unit 0 cannot see unit 2's order…
            XCTAssertTrue(after.isEmpty || after["code"] as? String == "not_found")
            let staff = try object(try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "a.desk", in: w))
            let o = staff["order"] as! [String: Any]
            XCTAssertEqual(o["status"] as? String, "closed")
            XCTAssertEqual(o["closeReason"] as? String, "incident")
            XCTAssertEqual((staff["timeline"] as! [[String: Any]]).last?["note"] as? String, "已恢复供水")
        }
    }

    // MARK: INT-14, INT-10

    func testINT14_aResidentReportsForOwnUnitOnlyFollowsAndSignsOff() async throws {
        try await withWorld { app, w in
            let mine = try await app.call(.POST, "/api/v1/communities/\(w.a.community.id)/orders", as: "13800001000", in: w,
                json: #"{"kind":"repair","channel":"hotline","unitId":"\#(w.a.units[0].id)","description":"阳台窗户关不上"}"#)
            XCTAssertEqual(mine.status, .created, mine.text)
            XCTAssertEqual(try object(mine)["channel"] as? String, "portal")
            let notMine = try await app.call(.POST, "/api/v1/communities/\(w.a.community.id)/orders", as: "13800001000", in: w,
                json: #"{"kind":"repair","channel":"portal","unitId":"\#(w.a.units[1].id)","description":"别人家的窗户"}"#)
            XCTAssertEqual(notMine.status, .unprocessableEntity)
            let list = try object(try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/orders", as: "13800001000", in: w))
            let units = Set((list["items"] as! [[String: Any]]).map { $0["unitId"] as! String })
            XCTAssertEqual(units, [w.a.units[0].id.uuidString])
            // The complaint on unit 1 (another household) is invisible to this resident.
            let v15 = try await app.call(.GET, "/api/v1/orders/\(w.a.orders[1].id)", as: "13800001000", in: w).status
            XCTAssertEqual(v15, .notFound)
            // A resident cannot dispatch.
            let v16 = try await step(app, w, try object(mine)["id"], "dispatch", as: "13800001000", json: #"{"mode":"pool"}"#).status
            XCTAssertEqual(v16, .forbidden)
            // Engineers take from the pool (INT-15).
            let v17 = try await step(app, w, try object(mine)["id"], "dispatch", as: "a.desk", json: #"{"mode":"pool"}"#).status
            XCTAssertEqual(v17, .ok)
            let taken = try await step(app, w, try object(mine)["id"], "take", as: "a.engineer")
            XCTAssertEqual(try object(taken)["status"] as? String, "accepted")
            XCTAssertEqual(try object(taken)["contactPhone"] as? String, "13800001000", "the engineer who goes sees the full number")
            let asDesk = try object(try await app.call(.GET, "/api/v1/orders/\(try object(mine)["id"] as! String)", as: "a.desk", in: w))
            XCTAssertEqual((asDesk["order"] as! [String: Any])["contactPhone"] as? String, "138****1000")
        }
    }

    func testINT10_paidServiceFromPriceListToReceipt() async throws {
        try await withWorld { app, w in
            let item = try await app.call(.POST, "/api/v1/communities/\(w.a.community.id)/catalogue", as: "a.manager", in: w,
                json: #"{"code":"SW01","nameZh":"疏通下水道","nameEn":"Drain unblocking","unitZh":"次","unitEn":"job","price":8000}"#)
            XCTAssertEqual(item.status, .created, item.text)
            let prices = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/catalogue", as: "13800001000", in: w)
            XCTAssertEqual((try prices.json() as! [[String: Any]]).first?["priceText"] as? String, "¥80.00")
            let order = try await create(app, w, kind: "paid_service", text: "厨房下水道堵了,需要疏通",
                                         extra: #","catalogueItemId":"\#(try object(item)["id"] as! String)""#)
            XCTAssertEqual(order["listPrice"] as? Int, 8000)
            let engineer = w.accounts["a.engineer"]!.id
            let v18 = try await step(app, w, order["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#).status
            XCTAssertEqual(v18, .ok)
            let v19 = try await step(app, w, order["id"], "price", as: "a.engineer", json: #"{"agreedPrice":8000}"#).status
            XCTAssertEqual(v19, .ok)
            let v20 = try await step(app, w, order["id"], "check-in", as: "a.engineer").status
            XCTAssertEqual(v20, .ok)
            let extra = try await step(app, w, order["id"], "extras", as: "a.engineer", json: #"{"amount":1500,"note":"更换存水弯","consentBy":"王建国(业主)"}"#)
            XCTAssertEqual(try object(extra)["total"] as? Int, 9500, extra.text)
            let v21 = try await step(app, w, order["id"], "complete", as: "a.engineer", json: #"{"note":"已疏通"}"#).status
            XCTAssertEqual(v21, .ok)
            let v22 = try await step(app, w, order["id"], "settle", as: "a.finance", json: #"{"receiptNumber":"SK-0001"}"#).status
            XCTAssertEqual(v22, .conflict,
                           "settlement comes after acceptance")
            let v23 = try await step(app, w, order["id"], "sign-off", as: "13800001000", json: #"{"rating":5}"#).status
            XCTAssertEqual(v23, .ok)
            let settled = try await step(app, w, order["id"], "settle", as: "a.finance", json: #"{"receiptNumber":"SK-0001"}"#)
            XCTAssertEqual(try object(settled)["receiptNumber"] as? String, "SK-0001", settled.text)
            let v24 = try await step(app, w, order["id"], "settle", as: "a.finance", json: #"{"receiptNumber":"SK-0002"}"#).status
            XCTAssertEqual(v24, .conflict)
        }
    }
}
