import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// The holes the black-box drills found (issue 11), each closed by a test that would have failed
/// before: no input traps the process, lock-out cannot be outrun, sign-in says nothing about which
/// names exist, sessions and forms cannot be planted or forged, redirects stay on this site.
final class HardeningTests: XCTestCase {
    // MARK: Paging (SEC-5)

    func testSEC5_extremePageAndPerOnEveryListAnswer4xxOrAnEmptyPage() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id
            let lists = ["/api/v1/communities/\(c)/orders", "/api/v1/communities/\(c)/units", "/api/v1/communities/\(c)/people"]
            let queries = ["page=9223372036854775807&per=2", "page=2432902008176640000&per=91", "page=-9223372036854775808&per=100",
                           "page=0", "page=1&per=0", "page=1&per=101", "page=1&per=9223372036854775807",
                           "page=99999999999999999999999&per=1", "page=abc", "page=1000001&per=100"]
            for list in lists {
                for q in queries {
                    let r = try await app.call(.GET, "\(list)?\(q)", as: "a.manager", in: w)
                    XCTAssertTrue((400..<500).contains(r.status.code), "\(list)?\(q) answered \(r.status): \(r.text.prefix(200))")
                    XCTAssertFalse(r.text.contains("DecodingError"), "no raw decoder text: \(r.text.prefix(200))")
                }
                // The last page allowed, far past the end of the list: an empty page, not an error.
                let last = try await app.call(.GET, "\(list)?page=\(PageQuery.maxPage)&per=\(PageQuery.maxPer)", as: "a.manager", in: w)
                XCTAssertEqual(last.status, .ok, "\(list): \(last.text.prefix(200))")
                let items = try XCTUnwrap((try last.json() as? [String: Any])?["items"] as? [Any])
                XCTAssertTrue(items.isEmpty)
            }
            XCTAssertEqual(try PageQuery(page: PageQuery.maxPage, per: PageQuery.maxPer).offset, (PageQuery.maxPage - 1) * PageQuery.maxPer)
        }
    }

    /// A month, year or day that cannot be read is refused on every page that takes one, in the
    /// user's language — never silently replaced by the current one (the attack of issue 18 saw this
    /// month's interviews shown under `?month=2026-13`). Left out, the current one is shown.
    func testSEC5_aMalformedPeriodOnAnyPageIsRefusedNotReplacedByTheCurrentOne() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id.uuidString
            let pages: [(user: String, path: String, field: String)] = [
                ("a.head", "/c/\(c)/interviews?month=", "month"), ("a.head", "/c/\(c)/culture?year=", "year"),
                ("a.desk", "/c/\(c)/notices/board?day=", "day"), ("a.head", "/c/\(c)/dashboard?month=", "month"),
                ("a.head", "/c/\(c)/reports/monthly?month=", "month"), ("a.head", "/c/\(c)/scorecard?month=", "month"),
                ("a.manager", "/c/\(c)/supervision?month=", "month"), ("a.head", "/c/\(c)/visits?month=", "month"),
                ("a.finance", "/c/\(c)/collection-rate?month=", "month"), ("a.finance", "/c/\(c)/arrears/lists?month=", "month"),
                ("a.desk", "/c/\(c)/duty-log?day=", "day"), ("a.desk", "/c/\(c)/visitors?day=", "day"),
                ("a.finance", "/c/\(c)/cashier?day=", "day"),
            ]
            let bad = ["month": ["2026-13", "2026-1", "abcd-ef", "2026-11-01", "99999-01"], "year": ["abc", "1999", "20266", "-1"],
                       "day": ["2026-02-30", "2026-11", "tomorrow", "2026-11-31"]]
            for (user, path, field) in pages {
                let fine = try await app.call(.GET, path.replacingOccurrences(of: "?\(field)=", with: ""), as: user, in: w)
                XCTAssertEqual(fine.status, .ok, "\(path) with no \(field): \(fine.text.prefix(300))")
                for value in bad[field] ?? [] {
                    let r = try await app.call(.GET, path + value, as: user, in: w)
                    XCTAssertEqual(r.status, .unprocessableEntity, "\(path)\(value) answered \(r.status)")
                    XCTAssertTrue(r.text.contains(field == "year" ? "年份" : field == "day" ? "日期" : "月份"), "\(path)\(value): \(r.text.prefix(300))")
                }
            }
            // The API says the same.
            let api = try await app.call(.GET, "/api/v1/communities/\(c)/interviews?month=2026-13", as: "a.head", in: w)
            XCTAssertEqual(api.status, .unprocessableEntity, api.text.prefix(300).description)
        }
    }

    // MARK: Sign-in (SEC-1)

    func signIn(_ app: Application, _ username: String, _ password: String) async throws -> XCTHTTPResponse {
        try await app.signInForToken(username, password)
    }

    func testSEC1_thirtyParallelWrongPasswordsLockTheAccount() async throws {
        try await withWorld { app, w in
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<30 { group.addTask { try await app.signInForToken("a.desk", "wrong-password").status.code } }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            XCTAssertEqual(statuses.count, 30)
            XCTAssertTrue(statuses.allSatisfy { $0 == 401 || $0 == 423 }, "\(statuses)")
            XCTAssertLessThanOrEqual(statuses.filter { $0 == 401 }.count, 4, "at most four wrong passwords are answered before the lock: \(statuses.sorted())")
            XCTAssertGreaterThanOrEqual(statuses.filter { $0 == 423 }.count, 26)
            let right = try await signIn(app, "a.desk", World.password)
            XCTAssertEqual(right.status, .locked, "the right password waits out the lock")
            // Another name is not affected.
            let other = try await signIn(app, "a.head", World.password)
            XCTAssertEqual(other.status, .created)
        }
    }

    func testSEC1_knownAndUnknownUsernamesGetTheSameAnswersAndTheSameWork() async throws {
        try await withWorld(adjust: { $0.bcryptCost = 8 }) { app, w in
            // The decoy is hashed at the configured cost, like every real password.
            XCTAssertTrue(app.propdesk.decoyHash.hasPrefix("$2b$08$") || app.propdesk.decoyHash.hasPrefix("$2a$08$"), app.propdesk.decoyHash)
            let known = try await signIn(app, "a.engineer", "wrong-password")
            let unknown = try await signIn(app, "no.such.user", "wrong-password")
            XCTAssertEqual(known.status, .unauthorized)
            XCTAssertEqual(unknown.status, known.status)
            XCTAssertEqual(try unknown.json() as? [String: String], try known.json() as? [String: String])
            // Both are locked after the same number of tries, with the same answer.
            var knownStatuses: [UInt] = [], unknownStatuses: [UInt] = []
            for _ in 0..<5 {
                knownStatuses.append(try await signIn(app, "a.engineer", "wrong-password").status.code)
                unknownStatuses.append(try await signIn(app, "no.such.user", "wrong-password").status.code)
            }
            XCTAssertEqual(knownStatuses, unknownStatuses)
            XCTAssertEqual(knownStatuses.last, 423)
            // And the same work: one bcrypt of the same cost each (a 40× gap before; bcrypt's
            // jitter and a busy machine stay well inside 3×).
            func median(_ user: String) async throws -> Double {
                var times: [Double] = []
                for i in 0..<3 {
                    let start = Date()
                    _ = try await signIn(app, "\(user)\(i)", "wrong-password")
                    times.append(Date().timeIntervalSince(start))
                }
                return times.sorted()[1]
            }
            let hash = try await SignIn.hash(World.password, on: app)
            for i in 0..<3 {
                _ = try await app.store.accounts.create(UserAccount(username: "timing\(i)", displayName: "t", role: .engineer,
                    scopes: [Scope(communityID: w.a.community.id)]), passwordHash: hash, by: .console("test"))
            }
            let knownTime = try await median("timing"), unknownTime = try await median("ghost")
            XCTAssertLessThan(max(knownTime, unknownTime) / min(knownTime, unknownTime), 3, "known \(knownTime) s, unknown \(unknownTime) s")
        }
    }

    // MARK: Sessions, forms and redirects (SEC-1, SEC-2)

    func page(_ app: Application, _ method: HTTPMethod, _ path: String, cookie: HTTPCookies.Value? = nil, form: String? = nil,
              origin: String? = nil) async throws -> XCTHTTPResponse {
        var h = HTTPHeaders()
        h.replaceOrAdd(name: .accept, value: "text/html")
        h.replaceOrAdd(name: .host, value: "127.0.0.1:8080")
        if let cookie { h.cookie = ["propdesk-session": cookie] }
        if let origin { h.replaceOrAdd(name: .origin, value: origin) }
        if form != nil { h.contentType = .urlEncodedForm }
        return try await app.sendRequest(method, path, headers: h, body: form.map { ByteBuffer(string: $0) })
    }

    func pageSignIn(_ app: Application, _ user: String, cookie: HTTPCookies.Value? = nil, next: String = "/") async throws -> (XCTHTTPResponse, HTTPCookies.Value) {
        let r = try await page(app, .POST, "/login", cookie: cookie, form: "username=\(user)&password=\(World.password)&next=\(next)")
        XCTAssertEqual(r.status, .seeOther, r.text.prefix(300).description)
        return (r, try XCTUnwrap(r.headers.setCookie?["propdesk-session"]))
    }

    static func formToken(in html: String) -> String? {
        guard let r = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    func testSEC1_aSessionIDFromBeforeSignInDoesNotSurviveIt() async throws {
        try await withWorld { app, w in
            let (_, first) = try await pageSignIn(app, "a.desk")
            // Someone signs in on a browser that carries that cookie (planted, or left behind).
            let (_, second) = try await pageSignIn(app, "a.head", cookie: first)
            XCTAssertNotEqual(first.string, second.string, "a new session id at sign-in")
            let stale = try await page(app, .GET, "/", cookie: first)
            XCTAssertEqual(stale.status, .seeOther, "the old id signs nobody in any more")
            let fresh = try await page(app, .GET, "/?all=1", cookie: second)
            XCTAssertEqual(fresh.status, .ok)
            XCTAssertTrue(fresh.text.contains("a.head"))
            // Signing out ends the session for good — also from an error page, whose sign-out
            // form carries the token like every other.
            let refused = try await page(app, .GET, "/my", cookie: second)
            XCTAssertEqual(refused.status, .forbidden)
            let token = try XCTUnwrap(Self.formToken(in: refused.text), "the error page's sign-out form carries the token")
            XCTAssertEqual(Self.formToken(in: fresh.text), token)
            let out = try await page(app, .POST, "/logout", cookie: second, form: "_csrf=\(token)")
            XCTAssertEqual(out.status, .seeOther)
            let afterOut = try await page(app, .GET, "/", cookie: second)
            XCTAssertEqual(afterOut.status, .seeOther)
        }
    }

    func testSEC5_redirectTargetsFromInputStayOnThisSite() async throws {
        try await withWorld { app, w in
            for back in ["/%5Cevil.example/x", "//evil.example", "https://evil.example", "/\\evil.example", "%2F%2Fevil.example"] {
                let r = try await page(app, .GET, "/lang?to=en&back=\(back)")
                XCTAssertEqual(r.headers.first(name: .location), "/", "back=\(back)")
            }
            for next in ["/%5Cevil.example", "//evil.example", "http://evil.example"] {
                let (r, _) = try await pageSignIn(app, "a.desk", next: next)
                XCTAssertEqual(r.headers.first(name: .location), "/", "next=\(next)")
            }
            let (ok, _) = try await pageSignIn(app, "a.desk", next: "/my")
            XCTAssertEqual(ok.headers.first(name: .location), "/my")
        }
    }

    func testSEC2_aPageFormWithoutTheTokenOrFromAnotherOriginIsRefusedAndChangesNothing() async throws {
        try await withWorld { app, w in
            let (_, cookie) = try await pageSignIn(app, "a.manager")
            let board = try await page(app, .GET, "/c/\(w.a.community.id)/board", cookie: cookie)
            XCTAssertEqual(board.status, .ok)
            let token = try XCTUnwrap(Self.formToken(in: board.text), "every POST form carries the token")
            XCTAssertTrue(board.text.contains(#"<meta name="csrf-token" content="\#(token)""#), "app.js finds the token for its own POSTs")
            let order = w.a.orders[0].id
            func incidents() async throws -> Int { try await app.store.orders.incidents(community: w.a.community.id, openOnly: false).count }
            let before = try await incidents()
            let path = "/c/\(w.a.community.id)/incidents"
            let fields = "title=%E5%81%9C%E7%94%B5&category=electricity&script=%E7%A8%8D%E5%80%99&back=/"
            let cases: [(String, String?, String)] = [
                ("no token", nil, fields),
                ("a wrong token", nil, fields + "&_csrf=" + String(repeating: "0", count: token.count)),
                ("another port", "http://127.0.0.1:9999", fields + "&_csrf=\(token)"),
                ("another host", "http://127", fields + "&_csrf=\(token)"),
                ("another scheme", "https://127.0.0.1:8080", fields + "&_csrf=\(token)"),
            ]
            for (what, origin, body) in cases {
                let r = try await page(app, .POST, path, cookie: cookie, form: body, origin: origin)
                XCTAssertEqual(r.status, .forbidden, what)
                XCTAssertTrue(r.text.contains("表单已失效"), "\(what): \(r.text.prefix(300))")
            }
            let unchanged = try await incidents()
            XCTAssertEqual(unchanged, before, "nothing was changed")
            // A step on an order, the most harmful form, is refused the same way.
            let cancel = try await page(app, .POST, "/orders/\(order)/step/cancel", cookie: cookie, form: "reason=csrf&back=/")
            XCTAssertEqual(cancel.status, .forbidden)
            // From our own page, with the token: done.
            let ok = try await page(app, .POST, path, cookie: cookie, form: fields + "&_csrf=\(token)", origin: "http://127.0.0.1:8080")
            XCTAssertEqual(ok.status, .seeOther, ok.text.prefix(300).description)
            let changed = try await incidents()
            XCTAssertEqual(changed, before + 1)
        }
    }

    // MARK: Headers, metrics, methods (SEC-5)

    func testSEC5_everyAnswerForbidsSniffingAndMetricsNeedTheirToken() async throws {
        try await withWorld(adjust: { $0.metricsToken = "metrics-token-0123456789" }) { app, w in
            for path in ["/login", "/livez", "/assets/app.js", "/api/v1/me", "/openapi.yaml", "/no-such-page"] {
                let r = try await app.sendRequest(.GET, path)
                XCTAssertEqual(r.headers.first(name: "X-Content-Type-Options"), "nosniff", path)
                XCTAssertEqual(r.headers.first(name: "Referrer-Policy"), "same-origin", path)
                XCTAssertNotNil(r.headers.first(name: "Content-Security-Policy"), path)
            }
            let anonymous = try await app.sendRequest(.GET, "/metrics")
            XCTAssertEqual(anonymous.status, .unauthorized)
            var h = HTTPHeaders()
            h.bearerAuthorization = .init(token: "metrics-token-0123456789")
            let metrics = try await app.sendRequest(.GET, "/metrics", headers: h)
            XCTAssertEqual(metrics.status, .ok)
            XCTAssertTrue(metrics.text.contains("http_requests_total"))
            let trace = try await app.sendRequest(.TRACE, "/api/v1/me")
            XCTAssertEqual(trace.status, .methodNotAllowed)
        }
        try await withWorld { app, w in
            let off = try await app.sendRequest(.GET, "/metrics")
            XCTAssertEqual(off.status, .notFound, "without a configured token /metrics is off")
        }
    }

    func testSEC5_behindATrustedHTTPSProxyTheSessionCookieIsSecure() async throws {
        try await withWorld(adjust: { $0.trustedProxies = ["127.0.0.1"] }) { app, w in
            var h = HTTPHeaders()
            h.contentType = .urlEncodedForm
            h.replaceOrAdd(name: "X-Forwarded-Proto", value: "https")
            let r = try await app.sendRequest(.POST, "/login", headers: h, body: ByteBuffer(string: "username=a.desk&password=\(World.password)"))
            // XCTVapor's in-memory requests come from no address: the proxy is not trusted, so not Secure.
            XCTAssertEqual(r.headers.setCookie?["propdesk-session"]?.isSecure, false)
        }
        try await withWorld(adjust: { $0.secureCookies = true }) { app, w in
            var h = HTTPHeaders()
            h.contentType = .urlEncodedForm
            let r = try await app.sendRequest(.POST, "/login", headers: h, body: ByteBuffer(string: "username=a.desk&password=\(World.password)"))
            XCTAssertEqual(r.headers.setCookie?["propdesk-session"]?.isSecure, true)
        }
    }

    // MARK: Defects found in review (INT-8, INT-11)

    func testINT8_aComplaintIsOwnedByTheCenterHeadWhenThereIsNoCSManagerAndRefusedWhenNobodyCanOwnIt() async throws {
        try await withWorld { app, w in
            // Community B has a center head and no CS manager.
            let found = try await app.store.orders.order(w.b.orders[1].id)
            let complaint = try XCTUnwrap(found)
            XCTAssertEqual(complaint.ownerID, w.accounts["b.head"]?.id)
            // A third community with nobody to own a complaint.
            let admin = Actor.console("test")
            let c = try await app.store.registry.createCommunity(Community(code: "CCC", name: "无人小区"), by: admin)
            let draft = OrderDraft(communityID: c.id, kind: .complaint, channel: .walkIn, location: "大门口", description: "投诉门岗无人值守")
            do {
                _ = try await app.store.orders.create(draft, by: admin)
                XCTFail("a complaint with nobody to own it was accepted")
            } catch let e as DomainError {
                XCTAssertEqual(e.code, "complaint_no_owner")
            }
            let count = try await app.store.orders.list(community: c.id, filter: .init(), page: try PageQuery(page: 1, per: 10)).total
            XCTAssertEqual(count, 0, "nothing was written")
        }
    }

    func testINT11_aReportWhosePhotosAreRefusedKeepsNoOrderEither() async throws {
        try await withWorld { app, w in
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
            let uploads = try PhotoStore.check((0..<13).map { i in (bytes: png + [UInt8(i)], caption: "") })
            let draft = OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .portal, unitID: w.a.units[0].id, description: "卫生间漏水")
            let before = try await app.store.orders.list(community: w.a.community.id, filter: .init(), page: try PageQuery(page: 1, per: 10)).total
            do {
                _ = try await app.store.orders.create(draft, photos: uploads, by: .console("test"))
                XCTFail("13 photos were accepted")
            } catch let e as DomainError {
                XCTAssertEqual(e.code, "invalid_input")
            }
            let after = try await app.store.orders.list(community: w.a.community.id, filter: .init(), page: try PageQuery(page: 1, per: 10)).total
            XCTAssertEqual(after, before, "the order was not kept without its photos")
            let twelve = try await app.store.orders.create(draft, photos: Array(uploads.prefix(12)), by: .console("test")).order
            let kept = try await app.store.photos.photos(order: twelve.id)
            XCTAssertEqual(kept.count, 12)
        }
    }

    // MARK: Backup while the server writes (SEC-6)

    actor Counter { var n = 0; func add() { n += 1 } }

    func testSEC6_aBackupTakenWhileOrdersAreWrittenRestoresIntoSQLiteAndPostgreSQLWithEqualCounts() async throws {
        let (source, w, _) = try await ServedDatabase.world()
        let path = NSTemporaryDirectory() + "propdesk-backup-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var targets: [Application] = []
        do {
            let written = Counter()
            let writers = (0..<2).map { i in
                Task {
                    while !Task.isCancelled {
                        let draft = OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[i].id, description: "水管爆裂 \(i)")
                        if (try? await source.store.orders.create(draft, by: .console("writer"))) != nil { await written.add() }
                    }
                }
            }
            while await written.n < 5 { try await Task.sleep(for: .milliseconds(20)) }
            let startedAt = await written.n
            let counts = try await source.store.backup.write(to: path, at: Date())
            let during = await written.n - startedAt
            for t in writers { t.cancel() }
            for t in writers { _ = await t.value }
            XCTAssertGreaterThan(counts["sla_clocks"] ?? 0, 0)
            if ServedDatabase.postgresURL != nil { XCTAssertGreaterThan(during, 0, "orders were written while the backup ran") }

            // Into SQLite …
            let sqlite = try await TestApp.make(adjust: { $0.database = .sqliteInMemory })
            targets.append(sqlite)
            let restoredsqlite = try await sqlite.store.backup.restore(from: path)
            let recountedsqlite = try await sqlite.store.backup.counts()
            XCTAssertEqual(restoredsqlite, counts)
            XCTAssertEqual(recountedsqlite, counts)
            // … and into PostgreSQL, a database of its own beside the test database.
            if let pg = ServedDatabase.postgresURL, var url = URLComponents(string: pg) {
                let name = "propdesk_restore_test"
                let admin = source.db as! any SQLDatabase
                try await admin.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run()
                try await admin.raw("CREATE DATABASE \(unsafeRaw: name)").run()
                url.path = "/" + name
                let postgres = try await TestApp.make(adjust: { $0.database = .postgres(url: url.string!) })
                targets.append(postgres)
                let restoredpostgres = try await postgres.store.backup.restore(from: path)
                let recountedpostgres = try await postgres.store.backup.counts()
                XCTAssertEqual(restoredpostgres, counts)
                XCTAssertEqual(recountedpostgres, counts)
            }
            // A restore that the database refuses names the table and the row.
            let broken = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.contains(#""t":"communities""#) }
            let brokenPath = path + ".broken"
            try broken.joined(separator: "\n").write(toFile: brokenPath, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: brokenPath) }
            let empty = try await TestApp.make(adjust: { $0.database = .sqliteInMemory })
            targets.append(empty)
            do {
                _ = try await empty.store.backup.restore(from: brokenPath)
                XCTFail("a backup without its communities restored")
            } catch let e as DomainError {
                XCTAssertTrue(e.message.en.contains("table areas"), e.message.en)
                XCTAssertTrue(e.message.en.contains("line "), e.message.en)
            }
        } catch {
            for t in targets { try? await t.asyncShutdown() }
            try? await source.asyncShutdown()
            throw error
        }
        for t in targets { try await t.asyncShutdown() }
        try await source.asyncShutdown()
    }

    func testSEC2_aResidentDoesNotSeeTheCentersEscalationsInTheTimeline() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline,
                unitID: w.a.units[0].id, description: "水管爆裂"), by: .console("test")).order
            clock.advance(minutes: 30)
            _ = try await app.store.clocks.sweep()
            func kinds(_ user: String) async throws -> [String] {
                let r = try await app.call(.GET, "/api/v1/orders/\(order.id)", as: user, in: w)
                XCTAssertEqual(r.status, .ok, r.text)
                let timeline = try XCTUnwrap((try r.json() as? [String: Any])?["timeline"] as? [[String: Any]])
                return timeline.compactMap { $0["kind"] as? String }
            }
            let staff = try await kinds("a.manager"), resident = try await kinds("13800001000")
            XCTAssertTrue(staff.contains("alerted"), "\(staff)")
            XCTAssertFalse(resident.contains("alerted"), "\(resident)")
            XCTAssertTrue(resident.contains("created"))
            let page = try await app.call(.GET, "/orders/\(order.id)", as: "13800001000", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertFalse(page.text.contains(#"data-event="alerted""#))
        }
    }

    // MARK: The contract and the server agree (SEC-5; schemathesis found these)

    func testSEC5_theServerRefusesWhatTheContractRefusesAndAcceptsWhatItAccepts() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id
            func status(_ method: HTTPMethod, _ path: String, as user: String = "a.head", json: String? = nil) async throws -> UInt {
                try await app.call(method, path, as: user, in: w, json: json).status.code
            }
            // A floor area past any building once overflowed and killed the process.
            let huge = try await status(.PATCH, "/api/v1/units/\(w.a.units[0].id)", json: #"{"floorArea":"100000000000000000"}"#)
            XCTAssertEqual(huge, 422)
            // Bounds are refused, not clamped.
            for path in ["/api/v1/communities/\(c)/alerts?limit=0", "/api/v1/communities/\(c)/alerts?limit=501", "/api/v1/audit?limit=0",
                         "/api/v1/events?seconds=0", "/api/v1/events?seconds=3601",
                         "/api/v1/communities/\(c)/search?q=" + String(repeating: "1", count: 41),
                         "/api/v1/communities/\(c)/orders?status=%2C", "/api/v1/communities/\(c)/summary?month=-2026-%2B1-"] {
                let code = try await status(.GET, path, as: path.contains("/audit") ? "admin" : "a.head")
                XCTAssertEqual(code, 422, path)
            }
            let long = try await status(.POST, "/api/v1/communities/\(c)/classify", as: "a.desk", json: #"{"text":"\#(String(repeating: "漏", count: 2001))"}"#)
            XCTAssertEqual(long, 422)
            let nothing = try await status(.POST, "/api/v1/people/\(w.a.people[0].person.id)/reveal", as: "a.head", json: #"{"fields":[]}"#)
            XCTAssertEqual(nothing, 422)
            let twice = try await status(.POST, "/api/v1/communities/\(c)/people", json:
                #"{"name":"赵六","phone":"13800009999","units":[{"unitId":"\#(w.a.units[0].id)","relation":"owner"},{"unitId":"\#(w.a.units[0].id)","relation":"tenant"}]}"#)
            XCTAssertEqual(twice, 422, "the same unit twice is the caller's mistake, not a malformed request or a 500")
            // An optional field is left out, never null: the contract has no nullable fields.
            let null = try await app.call(.POST, "/api/v1/communities/\(c)/incidents", as: "a.manager", in: w,
                json: #"{"title":"停电","category":"electricity","script":"请稍候","startsAt":"2026-11-29T10:00:00Z","endsAt":null}"#)
            XCTAssertEqual(null.status, .unprocessableEntity)
            XCTAssertTrue(null.text.contains("endsAt"), null.text)
            // A browser's toISOString() has milliseconds: accepted.
            let incident = try await status(.POST, "/api/v1/communities/\(c)/incidents", as: "a.manager",
                json: #"{"title":"停电","category":"electricity","script":"请稍候","startsAt":"2026-11-29T10:00:00.500Z"}"#)
            XCTAssertEqual(incident, 201)
            // A path we serve, asked with a method it does not answer: 405 and what it does answer.
            let put = try await app.call(.PUT, "/api/v1/me", as: "a.desk", in: w, json: "{}")
            XCTAssertEqual(put.status, .methodNotAllowed)
            XCTAssertEqual(put.headers.first(name: .allow), "GET, HEAD")
            let unknown = try await app.call(.GET, "/api/v1/no-such-thing", as: "a.desk", in: w)
            XCTAssertEqual(unknown.status, .notFound)
        }
    }

    // MARK: Parallel writes (SEC-5, RUN-1)

    func testSEC5_parallelWritesOfEveryKindNeverFailWithDatabaseIsLocked() async throws {
        // A file database with its pool of connections, as `serve` runs it (PostgreSQL on that pass).
        let (app, w, _) = try await ServedDatabase.world()
        do {
            let c = w.a.community.id
            let calls: [(HTTPMethod, String, String, String)] = (0..<12).flatMap { i -> [(HTTPMethod, String, String, String)] in [
                (.POST, "/api/v1/communities/\(c)/buildings", "a.head", #"{"name":"\#(10 + i)栋","floors":18}"#),
                (.POST, "/api/v1/communities/\(c)/people", "a.head", #"{"name":"并发\#(i)","phone":"1390000\#(String(format: "%04d", 2000 + i))","units":[]}"#),
                (.PATCH, "/api/v1/units/\(w.a.units[i % 3].id)", "a.head", #"{"floor":\#(i % 20 + 1)}"#),
                (.POST, "/api/v1/communities/\(c)/orders", "a.desk", #"{"kind":"repair","channel":"hotline","unitId":"\#(w.a.units[i % 3].id)","description":"水管漏水 \#(i)"}"#),
                (.POST, "/api/v1/communities/\(c)/incidents", "a.manager", #"{"title":"停水 \#(i)","category":"water","script":"稍候"}"#),
            ] }
            let statuses = try await withThrowingTaskGroup(of: (String, UInt, String).self) { group in
                for (method, path, user, json) in calls {
                    group.addTask {
                        let r = try await app.call(method, path, as: user, in: w, json: json)
                        return ("\(method) \(path)", r.status.code, r.text)
                    }
                }
                return try await group.reduce(into: [(String, UInt, String)]()) { $0.append($1) }
            }
            XCTAssertEqual(statuses.count, calls.count)
            for (what, code, text) in statuses where !(200..<300).contains(code) {
                XCTFail("\(what) answered \(code): \(text.prefix(300))")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
