import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// What users run: the real `propdesk serve` process, over HTTP (RUN-2, INT-6, INT-7). The last
/// round's sweeper stopped right after start-up while every in-process test was green; these
/// tests only pass when the running server does the background work by itself.
final class ServeProcessTests: XCTestCase {
    func testINT7_theRunningServerFiresADueClockByItselfAndTheAlertIsInTheAPI() async throws {
        let (app, world, url) = try await ServedDatabase.world()
        let server: ServedProcess
        do {
            server = try await ServedProcess.start(databaseURL: url, environment: ["PROPDESK_SWEEP_SECONDS": "1", "PROPDESK_TRUSTED_PROXIES": "127.0.0.1"],
                                            client: app.client)
        } catch { try? await app.asyncShutdown(); throw error }
        defer { server.stop() }
        do {
            let c = world.a.community.id
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> ClientResponse {
                try await app.client.send(method, headers: world.headers(user), to: URI(string: server.base + path)) { req in
                    if let json { req.body = ByteBuffer(string: json) }
                }
            }
            // An emergency registered over HTTP, as the front desk does.
            let created = try await call(.POST, "/api/v1/communities/\(c)/orders", as: "a.desk",
                json: #"{"kind":"repair","channel":"hotline","unitId":"\#(world.a.units[0].id)","description":"厨房水管爆裂,水流不止"}"#)
            XCTAssertEqual(created.status, .created, created.body.map { String(buffer: $0) } ?? "")
            let order = try JSONDecoder().decode(OrderID.self, from: created.body ?? ByteBuffer())
            func alertsForOrder() async throws -> [AlertSeen] {
                let r = try await call(.GET, "/api/v1/communities/\(c)/alerts", as: "a.manager")
                XCTAssertEqual(r.status, .ok)
                return try JSONDecoder().decode([AlertSeen].self, from: r.body ?? ByteBuffer()).filter { $0.orderId == order.id }
            }
            let before = try await alertsForOrder().filter { $0.kind == "overdue" }
            XCTAssertEqual(before.count, 0, "no clock is late yet")
            // Its response clock is 5 minutes from now; move the clock 20 minutes into the past in
            // the database, as a drill would, without touching the server.
            try await Self.moveResponseClock(of: order.id, dueAt: Date().addingTimeInterval(-20 * 60), on: app.db as! any SQLDatabase)
            // The server's own sweeper (every second) must fire it and raise the alert.
            let overdue = try await Self.within30Seconds { try await alertsForOrder().filter { $0.kind == "overdue" } }
            // 20 minutes late is past every step of the chain: the desk (nobody holds it yet), the
            // CS manager and the center head are alerted at once, by one firing of the clock.
            XCTAssertEqual(overdue.count, 3, "the running server did not fire the due clock within 30 s; its log:\n\(server.log.suffix(3000))")
            XCTAssertEqual(Set(overdue.compactMap(\.clockKind)), ["response"])
            XCTAssertTrue(server.log.contains("sweeper: 1 clocks fired"), "the sweep is logged")
            // SEC-5: a 5 MB body is refused from its Content-Length as soon as its first kilobyte
            // arrives (Vapor hands a request on with its first body bytes); the rest is never sent …
            let announced = server.raw("POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(5 << 20)\r\n\r\n"
                                       + String(repeating: "{", count: 1024))
            XCTAssertTrue(announced.hasPrefix("HTTP/1.1 413"), "answered before the body was read: \(announced.prefix(300))")
            XCTAssertTrue(announced.contains("too_large"), String(announced.prefix(600)))
            // A CSV import has its own, larger limit, and says what it is.
            let csv = server.raw("POST /api/v1/communities/\(c)/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: \(40 << 20)\r\n\r\n"
                                 + String(repeating: "x", count: 1024))
            XCTAssertTrue(csv.hasPrefix("HTTP/1.1 413"), String(csv.prefix(300)))
            XCTAssertTrue(csv.contains("32 MB"), String(csv.prefix(600)))
            // … and a page number that once overflowed and killed the process is a 4xx; it lives on.
            for q in ["page=9223372036854775807&per=2", "per=91&page=2432902008176640000"] {
                let r = try await call(.GET, "/api/v1/communities/\(c)/orders?\(q)", as: "a.desk")
                XCTAssertTrue((400..<500).contains(r.status.code), "\(q): \(r.status)")
                let units = try await call(.GET, "/api/v1/communities/\(c)/units?\(q)", as: "13800001000")
                XCTAssertTrue((400..<500).contains(units.status.code), "\(q): \(units.status)")
            }
            // SEC-5: behind the trusted proxy (this loopback address) that says HTTPS, the session
            // cookie is Secure and HSTS is on; without the header, not.
            // (Raw requests: an HTTP client would follow the redirect and hide the cookie.)
            func signIn(forwardedProto: String?) -> String {
                let body = "username=a.desk&password=\(World.password)"
                return server.raw("POST /login HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                  + (forwardedProto.map { "X-Forwarded-Proto: \($0)\r\n" } ?? "")
                                  + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
            }
            func sessionCookie(_ response: String) -> String? {
                response.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: propdesk-session=") }
            }
            let overHTTPS = signIn(forwardedProto: "https")
            XCTAssertTrue(overHTTPS.hasPrefix("HTTP/1.1 303"), String(overHTTPS.prefix(400)))
            XCTAssertEqual(sessionCookie(overHTTPS)?.contains("; Secure"), true, String(overHTTPS.prefix(800)))
            XCTAssertTrue(overHTTPS.lowercased().contains("strict-transport-security: max-age="))
            let overHTTP = signIn(forwardedProto: nil)
            XCTAssertTrue(overHTTP.hasPrefix("HTTP/1.1 303"), String(overHTTP.prefix(400)))
            XCTAssertEqual(sessionCookie(overHTTP)?.contains("; Secure"), false, String(overHTTP.prefix(800)))
            XCTAssertTrue(server.process.isRunning)
            let live = try await app.client.get(URI(string: server.base + "/livez"))
            XCTAssertEqual(live.status, .ok)
            // Stopped with SIGTERM, the server shuts down cleanly (the background work ends with it).
            server.stop()
            XCTAssertEqual(server.process.terminationStatus, 0, server.log.suffix(2000).description)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Time is tested on the running server with its clock shifted (`faketime`, as RECIPES.md
    /// says), and that server must still do its timed work: Dispatch's timers under `Task.sleep`
    /// never fire in such a process, so its sweeper swept once at start-up and then slept for good,
    /// and no live event reached an open page. A day ahead, this server must push the new order to
    /// a listener, end that stream when asked, and fire a clock that falls due after it started.
    func testINT7_aServerWithItsClockADayAheadStillSweepsAndPushesLiveEvents() async throws {
        let faketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
        guard FileManager.default.fileExists(atPath: faketime) else {
            return XCTFail("\(faketime) is missing: scripts/test installs Debian's faketime (apt-get install faketime)")
        }
        let shift: TimeInterval = 86400
        let (app, world, url) = try await ServedDatabase.world()
        let server: ServedProcess
        do {
            server = try await ServedProcess.start(databaseURL: url, environment: [
                "PROPDESK_SWEEP_SECONDS": "1", "LD_PRELOAD": faketime, "FAKETIME": "+1d", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            ], client: app.client)
        } catch { try? await app.asyncShutdown(); throw error }
        defer { server.stop() }
        do {
            let c = world.a.community.id
            // A CS manager's open board listens for five seconds.
            let listen = URI(string: server.base + "/api/v1/events?communityId=\(c)&seconds=5")
            let managerHeaders = world.headers("a.manager", json: false)
            let client = app.client
            let began = Date()
            async let stream = client.send(.GET, headers: managerHeaders, to: listen) { $0.timeout = .seconds(30) }
            try await Task.sleep(for: .milliseconds(1500))
            let created = try await app.client.send(.POST, headers: world.headers("a.desk"), to: URI(string: server.base + "/api/v1/communities/\(c)/orders")) {
                $0.body = ByteBuffer(string: #"{"kind":"repair","channel":"hotline","unitId":"\#(world.a.units[0].id)","description":"厨房水管爆裂,水流不止"}"#)
            }
            XCTAssertEqual(created.status, .created, created.body.map { String(buffer: $0) } ?? "")
            let order = try JSONDecoder().decode(OrderID.self, from: created.body ?? ByteBuffer())
            let events = try await stream
            let waited = Date().timeIntervalSince(began)
            let text = events.body.map { String(buffer: $0) } ?? ""
            XCTAssertTrue(text.contains("event: order.created") && text.contains(order.id.uuidString),
                          "the listener got the new order live: \(text.prefix(600)); the server's log:\n\(server.log.suffix(2000))")
            XCTAssertTrue((4.5..<25).contains(waited), "the stream ended after its five seconds, not \(waited) s")
            // The server's day-ahead response clock, moved 20 minutes into ITS past: a later sweep fires it.
            try await Self.moveResponseClock(of: order.id, dueAt: Date().addingTimeInterval(shift - 20 * 60), on: app.db as! any SQLDatabase)
            let overdue = try await Self.within30Seconds {
                let r = try await app.client.get(URI(string: server.base + "/api/v1/communities/\(c)/alerts"), headers: world.headers("a.manager"))
                XCTAssertEqual(r.status, .ok)
                return try JSONDecoder().decode([AlertSeen].self, from: r.body ?? ByteBuffer()).filter { $0.orderId == order.id && $0.kind == "overdue" }
            }
            XCTAssertEqual(overdue.count, 3, "a sweep after start-up fired the clock; the server's log:\n\(server.log.suffix(3000))")
            server.stop()
            XCTAssertEqual(server.process.terminationStatus, 0, "stopped cleanly: \(server.log.suffix(2000))")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Moves an order's response clock so that it fell due at `due`, in the database, as a drill
    /// would, without touching the server.
    static func moveResponseClock(of order: UUID, dueAt due: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("sla_clocks")
            .set("started_at", to: SQLBind(due.addingTimeInterval(-60)))
            .set("due_at", to: SQLBind(due))
            .set("next_fire_at", to: SQLBind(due))
            .where("subject_id", .equal, SQLBind(order))
            .where("kind", .equal, SQLBind("response"))
            .run()
    }

    /// Reads every half second until the answer is not empty, for at most 30 seconds.
    static func within30Seconds<T>(_ read: () async throws -> [T]) async throws -> [T] {
        let deadline = Date().addingTimeInterval(30)
        var found: [T] = []
        while Date() < deadline {
            found = try await read()
            if !found.isEmpty { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return found
    }

    struct OrderID: Decodable { let id: UUID }
    struct AlertSeen: Decodable { let orderId: UUID; let kind: String; let clockKind: String? }

    /// Nothing acknowledged is ever lost (issue 19 item 6, RUN-1, SEC-5): sixteen desks register
    /// orders over HTTP while the server is killed with SIGKILL — no shutdown, no flush. A second
    /// server on the same database must hold every order that was answered 201, each once; and the
    /// requests caught in flight, sent again with their idempotency keys, are stored once more at
    /// most (the whole "a retry after a crash" story), with gap-free numbers.
    func testRUN1_aServerKilledMidStreamHasEveryAcknowledgedOrderAfterItsRestart() async throws {
        let (app, world, url) = try await ServedDatabase.world()
        do {
            let c = world.a.community.id
            let units = world.a.units.map(\.id)
            let first = try await ServedProcess.start(databaseURL: url, client: app.client)
            defer { first.stop() }
            let acknowledged = Ledger()
            let (client, desk, ordersURL) = (app.client, world.headers("a.desk"), first.base + "/api/v1/communities/\(c)/orders")
            // Each desk sends one order after another, each with its own key, until the server is gone.
            let desks = (0..<16).map { d in
                Task { () -> [(key: String, body: String)] in
                    var unanswered: [(key: String, body: String)] = []
                    for n in 0..<10_000 {
                        let key = "kill-\(d)-\(n)-\(UUID().uuidString)"
                        var headers = desk
                        headers.replaceOrAdd(name: "Idempotency-Key", value: key)
                        let body = #"{"kind":"repair","channel":"hotline","unitId":"\#(units[(d * 7 + n) % units.count])","description":"压测:断电前第 \#(n) 单"}"#
                        do {
                            let r = try await client.post(URI(string: ordersURL), headers: headers) {
                                $0.body = ByteBuffer(string: body)
                            }
                            guard r.status == .created, let id = try? JSONDecoder().decode(OrderID.self, from: r.body ?? ByteBuffer()).id else {
                                unanswered.append((key, body))
                                break
                            }
                            await acknowledged.add(id)
                        } catch {
                            unanswered.append((key, body))   // the connection died with the process: not acknowledged
                            break
                        }
                    }
                    return unanswered
                }
            }
            // Mid-stream: once a good number is acknowledged and the desks are still sending.
            let deadline = Date().addingTimeInterval(60)
            while await acknowledged.count < 60, Date() < deadline, first.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            let atKill = await acknowledged.count
            XCTAssertGreaterThanOrEqual(atKill, 60, "the server acknowledged too few orders to test anything; its log:\n\(first.log.suffix(2000))")
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            XCTAssertEqual(first.process.terminationReason, .uncaughtSignal, "killed, not stopped")
            var inFlight: [(key: String, body: String)] = []
            for d in desks { inFlight += await d.value }
            let ids = await acknowledged.ids
            XCTAssertEqual(Set(ids).count, ids.count, "each acknowledged order is a different order")

            // A new server on the same database, as a service manager restarts it.
            let second = try await ServedProcess.start(databaseURL: url, client: app.client)
            defer { second.stop() }
            let sql = app.db as! any SQLDatabase
            var stored = Set<UUID>()
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                for row in try await sql.select().column("id").from("work_orders").where("id", .in, chunk).all() {
                    stored.insert(try row.decode(column: "id", as: UUID.self))
                }
            }
            XCTAssertEqual(stored.count, ids.count, "acknowledged but lost: \(Set(ids).subtracting(stored).prefix(5))")
            // The restarted server serves them: one read back over HTTP.
            if let last = ids.last {
                let r = try await app.client.get(URI(string: second.base + "/api/v1/orders/\(last)"), headers: world.headers("a.desk"))
                XCTAssertEqual(r.status, .ok, r.body.map { String(buffer: $0) } ?? "")
            }
            // The requests the kill cut off, sent again with their keys: each is stored exactly once.
            let before = try await orderCount(sql, c)
            for (key, body) in inFlight {
                var headers = world.headers("a.desk")
                headers.replaceOrAdd(name: "Idempotency-Key", value: key)
                for _ in 0..<2 {
                    let r = try await app.client.post(URI(string: second.base + "/api/v1/communities/\(c)/orders"), headers: headers) {
                        $0.body = ByteBuffer(string: body)
                    }
                    XCTAssertTrue([.created, .ok].contains(r.status), "\(key): \(r.status) \(r.body.map { String(buffer: $0) } ?? "")")
                }
            }
            let after = try await orderCount(sql, c)
            XCTAssertLessThanOrEqual(after - before, inFlight.count, "a retried key was stored twice")
            // Numbers stay gap-free and unique through the crash (INT-1).
            let numbers = try await sql.select().column("seq").from("work_orders").where("community_id", .equal, SQLBind(c)).all()
                .map { try $0.decode(column: "seq", as: Int.self) }.sorted()
            XCTAssertEqual(numbers, numbers.first.map { Array($0..<$0 + numbers.count) } ?? [], "numbers have a gap or a repeat after the crash")
            XCTAssertTrue(second.process.isRunning)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// RUN-3, issue 19 item 4: a `serve --demo` killed with SIGKILL in the middle of its load (the
    /// newcomer who gave up waiting, a machine that lost power) has already saved its password, and
    /// the next `serve --demo` loads the demo again from the start — never "the database is not
    /// empty". Both are the real binary on one data directory and one empty database of their own:
    /// a SQLite file, or on the PostgreSQL pass a database created beside the suite's and dropped after.
    func testRUN3_aDemoLoadKilledMidwayKeepsItsPasswordAndTheNextStartLoadsItCleanly() async throws {
        let dir = NSTemporaryDirectory() + "propdesk-demo-kill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let admin = try await TestApp.make()
        do {
            let sql = admin.db as! any SQLDatabase
            var database = DatabaseSettings.sqlite(path: dir + "/propdesk.sqlite")
            var url = "sqlite://" + dir + "/propdesk.sqlite"
            var created: String?
            if let pg = ServedDatabase.postgresURL, var parts = URLComponents(string: pg) {
                let name = "propdesk_demo_\(UUID().uuidString.prefix(8).lowercased())"
                try await sql.raw(SQLQueryString("CREATE DATABASE \(unsafeRaw: name)")).run()
                created = name
                parts.path = "/" + name
                url = parts.string ?? pg
                database = .postgres(url: url)
            }
            do {
                try await killDemoLoadThenStartAgain(url: url, database: database, dir: dir, client: admin.client)
            } catch {
                // PostgreSQL's errors describe themselves only when reflected.
                XCTFail(String(reflecting: error))
                if let created { try? await sql.raw(SQLQueryString("DROP DATABASE IF EXISTS \(unsafeRaw: created) WITH (FORCE)")).run() }
                throw error
            }
            if let created {
                // FORCE cannot end an autovacuum worker busy in that database (the list tables are
                // vacuumed after every 1,000 writes, 0034) for a role outside pg_signal_backend:
                // "must be a member of the role whose process is being terminated" (CI, 2026-12-03).
                // The worker is done in moments; try again.
                for attempt in 1...40 {
                    do {
                        try await sql.raw(SQLQueryString("DROP DATABASE IF EXISTS \(unsafeRaw: created) WITH (FORCE)")).run()
                        break
                    } catch where attempt < 40 {
                        try await Task.sleep(for: .milliseconds(250))
                    }
                }
            }
        } catch {
            try? await admin.asyncShutdown()
            throw error
        }
        try await admin.asyncShutdown()
    }

    private func killDemoLoadThenStartAgain(url: String, database: DatabaseSettings, dir: String, client: any Client) async throws {
        let credentials = dir + "/demo-credentials.txt"
        let demo = ["--demo", "--demo-days", "2"]
        let first = try await ServedProcess.start(databaseURL: url, arguments: demo, dataDirectory: dir, ready: nil, client: client)
        defer { first.stop() }
        // The password is on disk before the long part begins.
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: credentials), Date() < deadline, first.process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
        }
        let saved = try String(contentsOfFile: credentials, encoding: .utf8)
        XCTAssertTrue(saved.contains("chhy.desk1"), saved)
        // Watch the file beside the server (the migrations are done once the password is saved) and
        // kill as soon as the load has committed something: a half-loaded database.
        let half = try await TestApp.make(reset: false) { $0.database = database }
        do {
            while try await half.store.isEmpty(), Date() < deadline, first.process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
            XCTAssertTrue(first.process.isRunning, "the load ended before it could be interrupted:\n\(first.log.suffix(2000))")
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            XCTAssertEqual(first.process.terminationReason, .uncaughtSignal)
            // What the kill left: a half-loaded database, marked as such.
            let marker = try await half.store.setting(DemoCommand.loadingKey)
            XCTAssertEqual(marker, "loading", "killed during the load")
            let empty = try await half.store.isEmpty()
            XCTAssertFalse(empty, "something was written before the kill")
        } catch {
            try? await half.asyncShutdown()
            throw error
        }
        try await half.asyncShutdown()

        // The next start loads the demo again, cleanly, and serves it.
        let second = try await ServedProcess.start(databaseURL: url, arguments: demo, dataDirectory: dir, ready: 300, client: client)
        defer { second.stop() }
        XCTAssertTrue(second.log.contains("An earlier demo load did not finish"), second.log.suffix(2000).description)
        XCTAssertFalse(second.log.contains("not empty"), second.log.suffix(2000).description)
        let text = try String(contentsOfFile: credentials, encoding: .utf8)
        let password = try XCTUnwrap(text.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let signIn = try await client.post(URI(string: second.base + "/api/v1/auth/token")) {
            try $0.content.encode(["username": "chhy.desk1", "password": password])
        }
        XCTAssertEqual(signIn.status, .created, "the password in \(credentials) signs in: \(signIn.body.map { String(buffer: $0) } ?? "")")
        let signedIn = try JSONSerialization.jsonObject(with: Data(buffer: signIn.body ?? ByteBuffer())) as? [String: Any]
        let token = try XCTUnwrap(signedIn?["token"] as? String)
        let communities = try await client.get(URI(string: second.base + "/api/v1/communities"), headers: ["Authorization": "Bearer \(token)"])
        XCTAssertEqual(communities.status, .ok)
        let list = try JSONSerialization.jsonObject(with: Data(buffer: communities.body ?? ByteBuffer())) as? [[String: Any]]
        XCTAssertEqual(list?.count, 1, "the desk's one community, loaded once")

        let done = try await TestApp.make(reset: false) { $0.database = database }
        do {
            let marker = try await done.store.setting(DemoCommand.loadingKey)
            XCTAssertEqual(marker, "loaded")
            let all = try await done.store.registry.communities(visible: nil)
            XCTAssertEqual(all.map(\.community.code).sorted(), DemoData.make().communities.map(\.code).sorted(), "each demo community once")
            let orders = try await done.store.orders.list(community: all[0].community.id, filter: .init(), page: try PageQuery(page: 1, per: 1))
            XCTAssertGreaterThan(orders.total, 0, "the history was played again")
        } catch {
            try? await done.asyncShutdown()
            throw error
        }
        try await done.asyncShutdown()
    }

    private func orderCount(_ sql: any SQLDatabase, _ community: UUID) async throws -> Int {
        try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("work_orders")
            .where("community_id", .equal, SQLBind(community)).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The orders the server answered 201, collected from the desks' tasks.
    actor Ledger {
        private(set) var ids: [UUID] = []
        var count: Int { ids.count }
        func add(_ id: UUID) { ids.append(id) }
    }

    /// PLT-3 as an operator runs it: `propdesk verify` on the database says all is intact, and
    /// after an order's step is changed in SQL behind PropDesk's back it names that entry and
    /// exits non-zero (so a cron job or a script notices).
    func testPLT3_propdeskVerifyNamesATamperedStepAndExitsNonZero() async throws {
        let (app, world, url) = try await ServedDatabase.world()
        do {
            let order = try await app.store.orders.create(OrderDraft(communityID: world.a.community.id, kind: .repair, channel: .hotline,
                                                                     unitID: world.a.units[0].id, description: "厨房水管爆裂"), by: Actor.console("test")).order
            func verify() throws -> (Int32, String) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: ServedProcess.binary)
                p.arguments = ["verify"]
                var env = ProcessInfo.processInfo.environment
                env["DATABASE_URL"] = url
                env["PROPDESK_DATA_DIR"] = NSTemporaryDirectory() + "propdesk-verify-\(UUID().uuidString)"
                env["PROPDESK_DATA_KEY"] = TestApp.key
                p.environment = env
                let out = Pipe()
                p.standardOutput = out
                p.standardError = out
                try p.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                return (p.terminationStatus, String(decoding: data, as: UTF8.self))
            }
            let (clean, cleanText) = try verify()
            XCTAssertEqual(clean, 0, cleanText)
            XCTAssertTrue(cleanText.contains("all intact"), cleanText)
            try await (app.db as! any SQLDatabase).raw("""
                UPDATE timeline_entries SET actor_name = 'someone else' WHERE subject_id = \(bind: order.id) AND seq = 1
                """).run()
            let (broken, brokenText) = try verify()
            XCTAssertNotEqual(broken, 0, brokenText)
            XCTAssertTrue(brokenText.contains("BROKEN work_order \(order.id.uuidString) entry 1"), brokenText)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
