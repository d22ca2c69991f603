import Crypto
import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// The background service (INT-6, INT-7, RUN-2): due clocks fire exactly once across processes,
/// live events reach open pages on any process, alerts reach the center's webhook.
final class BackgroundTests: XCTestCase {

    /// On PostgreSQL a second app with its own connection pool, as a second process would be;
    /// on in-memory SQLite (one process by nature) the same app again.
    func secondProcess(_ app: Application, _ clock: TestClock) async throws -> Application {
        isPostgres ? try await TestApp.make(now: clock.read, reset: false) : app
    }

    func emergencies(_ app: Application, _ w: World, count: Int) async throws -> [WorkOrder] {
        var out: [WorkOrder] = []
        for i in 0..<count {
            out.append(try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline,
                unitID: w.a.units[i % 2].id, description: "水管爆裂 #\(i)"), by: Actor.console("test")).order)
        }
        return out
    }

    func testRUN2_twoSweepersOnOneDatabaseFireEachDueClockExactlyOnce() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let orders = try await emergencies(app, w, count: 40)
            // Past the 5-minute response target of every one of them, before any other target.
            clock.advance(minutes: 6)
            let other = try await secondProcess(app, clock)
            func drain(_ a: Application) async throws -> SweepReport {
                var total = SweepReport()
                for _ in 0..<10 {
                    let r = try await a.store.clocks.sweep(limit: 7)
                    total.fired += r.fired
                    total.alerts += r.alerts
                    total.skipped += r.skipped
                    if r.fired == 0 && r.skipped == 0 { break }
                }
                return total
            }
            async let one = drain(app)
            async let two = drain(other)
            let (r1, r2) = try await (one, two)
            if other !== app { try await other.asyncShutdown() }
            XCTAssertEqual(r1.fired + r2.fired, 40, "sweeper 1: \(r1), sweeper 2: \(r2)")
            XCTAssertEqual(r1.alerts + r2.alerts, 40)
            var perOrder: [Int] = []
            for o in orders {
                let d = try await app.store.orders.detail(o.id)!
                perOrder.append(d.alerts.filter { $0.kind == .overdue }.count)
                XCTAssertEqual(d.clocks.first { $0.kind == .response }?.level, 1)
                XCTAssertEqual(d.events.filter { $0.kind == .alerted }.count, 1)
            }
            XCTAssertEqual(perOrder, Array(repeating: 1, count: 40))
            // And nothing fires again.
            let v1 = try await app.store.clocks.sweep().fired
            XCTAssertEqual(v1, 0)
        }
    }

    /// RUN-2, RUN-5: while one process holds a batch of due clocks, a second sweeper takes the
    /// next ones — not the held ones, skipped — so two processes drain a backlog together. (The
    /// sweeper holds clocks community by community; a version that held exactly the clocks its
    /// first, unlocked look had found fired none here.)
    func testRUN2_aSecondSweeperTakesTheNextDueClocksWhileAnotherHoldsTheFirst() async throws {
        try XCTSkipUnless(isPostgres, "only PostgreSQL has two writers at once; SQLite's take turns")
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            _ = try await emergencies(app, w, count: 20)
            clock.advance(minutes: 6)
            let other = try await secondProcess(app, clock)
            let (locked, release) = AsyncStream.makeStream(of: Void.self)
            let (done, finish) = AsyncStream.makeStream(of: Void.self)
            let community = w.a.community.id
            let now = clock.now
            async let holder: Int = app.db.transaction { tx in
                let held = try await (tx as! any SQLDatabase).raw("""
                    SELECT id FROM sla_clocks WHERE community_id = \(bind: community) AND next_fire_at <= \(bind: now)
                    ORDER BY next_fire_at LIMIT 7 FOR UPDATE
                    """).all().count
                release.yield()
                for await _ in done { break }
                return held
            }
            for await _ in locked { break }
            let second = try await other.store.clocks.sweep(limit: 7)
            finish.yield()
            let held = try await holder
            try await other.asyncShutdown()
            XCTAssertEqual(held, 7)
            XCTAssertEqual(second.fired, 7, "the next seven due, while the first seven are held")
            let rest = try await app.store.clocks.sweep(limit: 100)
            XCTAssertEqual(rest.fired, 13, "and each of the twenty exactly once")
        }
    }

    func testINT7_RUN2_liveEventsReachOpenStreamsInScopeOnAnyProcess() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let other = try await secondProcess(app, clock)
            let desk = try await app.store.accounts.principal(userID: w.accounts["a.desk"]!.id)!
            let bHead = try await app.store.accounts.principal(userID: w.accounts["b.head"]!.id)!
            let resident = try await app.store.accounts.principal(userID: w.accounts["13800001000"]!.id)!
            let deskStream = other.liveHub.subscribe(LiveFilter(principal: desk, community: nil), for: .seconds(3))
            let strangerStream = other.liveHub.subscribe(LiveFilter(principal: bHead, community: nil), for: .seconds(3))
            let residentStream = other.liveHub.subscribe(LiveFilter(principal: resident, community: nil), for: .seconds(3))
            try await Task.sleep(for: .milliseconds(200))
            // Made through the first process, seen through the second.
            let mine = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline,
                unitID: w.a.units[0].id, description: "阳台漏水"), by: Actor.console("test")).order
            let neighbour = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline,
                unitID: w.a.units[1].id, description: "门铃坏了"), by: Actor.console("test")).order
            func collect(_ s: AsyncStream<ArraySlice<UInt8>>) async -> String {
                var text = ""
                for await chunk in s { text += String(decoding: chunk, as: UTF8.self) }
                return text
            }
            async let d = collect(deskStream)
            async let s = collect(strangerStream)
            async let r = collect(residentStream)
            let (deskText, strangerText, residentText) = await (d, s, r)
            if other !== app { try await other.asyncShutdown() }
            XCTAssertTrue(deskText.contains("event: order.created"), deskText)
            XCTAssertTrue(deskText.contains(mine.number) && deskText.contains(neighbour.number))
            XCTAssertFalse(strangerText.contains("order.created"), "community B sees nothing of A")
            XCTAssertTrue(residentText.contains(mine.number), "a resident follows their own unit")
            XCTAssertFalse(residentText.contains(neighbour.number), "and nobody else's")
        }
    }

    /// On PostgreSQL ids are taken at insert and seen at commit: an event whose transaction
    /// commits after a newer one's must still reach the open page (a reader of `id > last` lost it).
    /// A page open across the hourly prune of a quiet day: the prune takes every event, and the
    /// next change must still reach it (on SQLite an emptied table gave its ids out again from 1,
    /// below the stream's cursor, and the board fell silent).
    func testINT7_aStreamOpenAcrossThePruneOfAQuietDayStillGetsTheNextChange() async throws {
        let clock = TestClock(Date())
        try await withWorld(now: clock.read) { app, w in
            let manager = try await app.store.accounts.principal(userID: w.accounts["a.manager"]!.id)!
            _ = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline,
                unitID: w.a.units[0].id, description: "楼道灯不亮"), by: Actor.console("test"))
            let before = try await app.store.orders.lastLiveEventID()
            XCTAssertGreaterThan(before, 0)
            let stream = app.liveHub.subscribe(LiveFilter(principal: manager, community: nil), for: .seconds(3))
            try await Task.sleep(for: .milliseconds(500))
            // A day and more later, the prune of events older than a day.
            try await app.store.orders.pruneLiveEvents(olderThan: Date().addingTimeInterval(3600))
            let created = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline,
                unitID: w.a.units[0].id, description: "阳台漏水"), by: Actor.console("test"))
            let after = try await app.store.orders.lastLiveEventID()
            XCTAssertGreaterThan(after, before, "an id of the pruned events came back")
            var text = ""
            for await chunk in stream { text += String(decoding: chunk, as: UTF8.self) }
            XCTAssertTrue(text.contains(created.order.id.uuidString), "the open stream missed the change after the prune: \(text)")
        }
    }

    func testINT7_RUN2_aLiveEventCommittedLateIsStillDelivered() async throws {
        try XCTSkipUnless(isPostgres, "only PostgreSQL commits concurrent writers out of id order; SQLite has one writer")
        let clock = TestClock(Date())
        try await withWorld(now: clock.read) { app, w in
            let other = try await secondProcess(app, clock)
            let manager = try await app.store.accounts.principal(userID: w.accounts["a.manager"]!.id)!
            let stream = app.liveHub.subscribe(LiveFilter(principal: manager, community: nil), for: .seconds(4))
            try await Task.sleep(for: .milliseconds(300))
            let payload = #"{"type":"order.changed"}"#
            // A slow transaction takes an id first and commits last …
            async let slow: Void = other.db.transaction { tx in
                try await (tx as! any SQLDatabase).raw("""
                    INSERT INTO live_events (community_id, area_id, unit_id, kind, payload, at)
                    VALUES (\(bind: w.a.community.id), NULL, NULL, 'late.one', \(bind: payload), \(bind: Date()))
                    """).run()
                try await Task.sleep(for: .milliseconds(1500))
            }
            try await Task.sleep(for: .milliseconds(300))
            // … while a newer event commits at once and is delivered first.
            _ = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline,
                unitID: w.a.units[0].id, description: "阳台漏水"), by: Actor.console("test"))
            try await slow
            var text = ""
            for await chunk in stream { text += String(decoding: chunk, as: UTF8.self) }
            try await other.asyncShutdown()
            XCTAssertTrue(text.contains("event: order.created"), text)
            XCTAssertTrue(text.contains("event: late.one"), "the late commit was lost: \(text)")
            XCTAssertEqual(text.components(separatedBy: "event: late.one").count - 1, 1, "delivered once")
        }
    }

    func testINT7_theEventStreamAnswersInScope() async throws {
        try await withWorld { app, w in
            let res = try await app.call(.GET, "/api/v1/events?seconds=1", as: "a.desk", in: w)
            XCTAssertEqual(res.status, .ok)
            XCTAssertEqual(res.headers.contentType?.description.hasPrefix("text/event-stream"), true, "\(res.headers)")
            XCTAssertTrue(res.text.contains(": connected"))
            let v2 = try await app.call(.GET, "/api/v1/events?seconds=1&communityId=\(w.b.community.id)", as: "a.desk", in: w).status
            XCTAssertEqual(v2, .notFound)
            let v3 = try await app.call(.GET, "/api/v1/events?seconds=1", as: "a.finance", in: w).status
            XCTAssertEqual(v3, .ok)
            let v4 = try await app.call(.GET, "/api/v1/events?seconds=1", as: "admin", in: w).status
            XCTAssertEqual(v4, .forbidden)
        }
    }

    /// A receiver standing in for the center's SMS gateway: fails the first call of every
    /// delivery, then accepts it.
    actor Receiver {
        var all: [(headers: HTTPHeaders, body: String)] = []
        func record(_ h: HTTPHeaders, _ b: String) -> Int {
            let id = h.first(name: "X-PropDesk-Delivery")
            let seen = all.contains { $0.headers.first(name: "X-PropDesk-Delivery") == id }
            all.append((h, b))
            return seen ? 200 : 503
        }
        func calls(about number: String) -> [(headers: HTTPHeaders, body: String)] { all.filter { $0.body.contains(number) } }
    }

    func testINT7_alertsGoToTheWebhookSignedAndRetriedWithBackOff() async throws {
        let receiver = Receiver()
        let gateway = try await Application.make(.testing)
        gateway.http.server.configuration.hostname = "127.0.0.1"
        gateway.http.server.configuration.port = 0
        gateway.post("hook") { req async throws -> Response in
            let body = req.body.string ?? ""
            return Response(status: HTTPResponseStatus(statusCode: await receiver.record(req.headers, body)))
        }
        try gateway.server.start()
        let port = try XCTUnwrap(gateway.http.server.shared.localAddress?.port)
        let secret = "a-shared-secret-of-the-center"
        let clock = TestClock()
        do {
            try await withWorld(now: clock.read, adjust: {
                $0.webhookURL = URL(string: "http://127.0.0.1:\(port)/hook")
                $0.webhookSecret = secret
            }) { app, w in
                // A complaint raises an alert to the CS manager at once (INT-8).
                let complaint = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .complaint, channel: .walkIn,
                    unitID: w.a.units[0].id, description: "投诉保安夜间不巡逻"), by: Actor.console("test")).order
                let alert = try await app.store.orders.detail(complaint.id)!.alerts.first!
                let work = BackgroundWork(app: app, interval: 1)
                await work.deliverWebhooks()
                var record = try await app.store.orders.deliveries(alert: alert.id)
                XCTAssertEqual(record.first?.attempts, 1)
                XCTAssertEqual(record.first?.lastStatus, 503)
                XCTAssertNil(record.first?.deliveredAt)
                XCTAssertEqual(record.first?.nextAttemptAt, clock.now.addingTimeInterval(30), "first retry after 30 s")
                await work.deliverWebhooks()
                let v5 = await receiver.calls(about: complaint.number).count
                XCTAssertEqual(v5, 1, "not before its time")
                clock.advance(minutes: 0.6)
                await work.deliverWebhooks()
                record = try await app.store.orders.deliveries(alert: alert.id)
                XCTAssertEqual(record.first?.attempts, 2)
                XCTAssertNotNil(record.first?.deliveredAt)
                let calls = await receiver.calls(about: complaint.number)
                XCTAssertEqual(calls.count, 2)
                let last = calls[1]
                XCTAssertTrue(last.body.contains(complaint.number))
                let ts = try XCTUnwrap(last.headers.first(name: "X-PropDesk-Timestamp"))
                let mac = HMAC<SHA256>.authenticationCode(for: Data("\(ts).\(last.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
                XCTAssertEqual(last.headers.first(name: "X-PropDesk-Signature"), "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
                XCTAssertEqual(last.headers.first(name: "X-PropDesk-Delivery"), calls[0].headers.first(name: "X-PropDesk-Delivery"))
                await work.deliverWebhooks()
                let v6 = await receiver.calls(about: complaint.number).count
                XCTAssertEqual(v6, 2, "delivered once")
            }
        } catch {
            await gateway.server.shutdown()
            try? await gateway.asyncShutdown()
            throw error
        }
        await gateway.server.shutdown()
        try await gateway.asyncShutdown()
    }
}
