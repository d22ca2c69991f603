import Foundation
import PropDeskCore
import XCTVapor
@testable import PropDeskWeb

final class SignInAndPagesTests: XCTestCase {
    func signIn(_ app: Application, _ username: String, _ password: String, language: String = "en") async throws -> XCTHTTPResponse {
        try await app.signInForToken(username, password, language: language)
    }

    func testPasswordSignInGivesATokenAndWrongPasswordsLockTheAccount_SEC1() async throws {
        try await withWorld { app, w in
            let ok = try await signIn(app, "a.desk", World.password)
            XCTAssertEqual(ok.status, .created)
            let grant = try XCTUnwrap(try ok.json() as? [String: Any])
            let token = try XCTUnwrap(grant["token"] as? String)
            var h = HTTPHeaders()
            h.bearerAuthorization = .init(token: token)
            let me = try await app.sendRequest(.GET, "/api/v1/me", headers: h)
            XCTAssertTrue(me.text.contains("front_desk"))

            for _ in 1...4 {
                let bad = try await signIn(app, "a.desk", "wrong-password")
                XCTAssertEqual(bad.status, .unauthorized)
                XCTAssertTrue(bad.text.contains("Wrong username or password"))
            }
            let fifth = try await signIn(app, "a.desk", "wrong-password")
            XCTAssertEqual(fifth.status, .locked)
            let right = try await signIn(app, "a.desk", World.password, language: "zh-Hans")
            XCTAssertEqual(right.status, .locked, "even the right password waits out the lock")
            XCTAssertTrue(right.text.contains("账户已锁定"))
            let unknown = try await signIn(app, "nobody-here", "whatever")
            XCTAssertEqual(unknown.status, .unauthorized)
        }
    }

    func testStaffSignInOnThePageAndSeeTheirCommunitiesInEitherLanguage_RUN1() async throws {
        try await withWorld { app, w in
            var h = HTTPHeaders()
            h.replaceOrAdd(name: .accept, value: "text/html,application/xhtml+xml")
            let login = try await app.sendRequest(.GET, "/login", headers: h)
            XCTAssertEqual(login.status, .ok)
            XCTAssertTrue(login.text.contains("用户名"))
            XCTAssertTrue(login.text.contains("/assets/app.css"))

            var form = h
            form.contentType = .urlEncodedForm
            let wrong = try await app.sendRequest(.POST, "/login", headers: form, body: ByteBuffer(string: "username=a.head&password=nope"))
            XCTAssertEqual(wrong.status, .unauthorized)
            XCTAssertTrue(wrong.text.contains("用户名或密码错误"))

            let posted = try await app.sendRequest(.POST, "/login", headers: form, body: ByteBuffer(string: "username=a.head&password=\(World.password)&next=/"))
            XCTAssertEqual(posted.status, .seeOther)
            let cookie = try XCTUnwrap(posted.headers.setCookie?["propdesk-session"])
            XCTAssertTrue(cookie.isHTTPOnly)
            var session = h
            session.cookie = ["propdesk-session": cookie]
            // The center head lands on the dashboard (REP-1); the list of communities stays one link away.
            let landing = try await app.sendRequest(.GET, "/", headers: session)
            XCTAssertEqual(landing.headers.first(name: .location), "/c/\(w.a.community.id)/dashboard")
            let home = try await app.sendRequest(.GET, "/?all=1", headers: session)
            XCTAssertEqual(home.status, .ok)
            XCTAssertTrue(home.text.contains("翠湖花园"))
            XCTAssertFalse(home.text.contains("锦绣家园"), "a center head of A does not see B")
            XCTAssertTrue(home.text.contains("物业服务中心负责人"))

            let switched = try await app.sendRequest(.GET, "/lang?to=en&back=/", headers: session)
            XCTAssertEqual(switched.status, .seeOther)
            let english = try await app.sendRequest(.GET, "/?all=1", headers: session)
            XCTAssertTrue(english.text.contains("My communities"), String(english.text.prefix(600)))
            XCTAssertTrue(english.text.contains("Center head"))
            var apiHeaders = session
            apiHeaders.replaceOrAdd(name: .accept, value: "application/json")
            let api = try await app.sendRequest(.GET, "/api/v1/me", headers: apiHeaders)
            XCTAssertEqual(api.status, .ok, "the session also signs API calls from our own pages")

            var signOut = session
            signOut.contentType = .urlEncodedForm
            let token = try XCTUnwrap(HardeningTests.formToken(in: english.text), "the sign-out form carries the form token")
            let out = try await app.sendRequest(.POST, "/logout", headers: signOut, body: ByteBuffer(string: "_csrf=\(token)"))
            XCTAssertEqual(out.status, .seeOther)
            let after = try await app.sendRequest(.GET, "/", headers: session)
            XCTAssertEqual(after.status, .seeOther, "signed out: back to the sign-in page")
        }
    }

    func testOpenRedirectsAreRefused_SEC5() async throws {
        try await withWorld { app, w in
            let res = try await app.sendRequest(.GET, "/lang?to=en&back=//evil.example")
            XCTAssertEqual(res.headers.first(name: .location), "/")
            let bad = try await app.sendRequest(.GET, "/lang?to=klingon")
            XCTAssertEqual(bad.status, .unprocessableEntity)
        }
    }

    func testConfigurationNamesTheBadVariable_RUN1() throws {
        XCTAssertThrowsError(try AppConfig.fromEnvironment(["PROPDESK_PORT": "eighty"])) { error in
            XCTAssertTrue("\(error)".contains("PROPDESK_PORT"))
        }
        XCTAssertThrowsError(try AppConfig.fromEnvironment(["DATABASE_URL": "mysql://x"])) { error in
            XCTAssertTrue("\(error)".contains("DATABASE_URL"))
        }
        XCTAssertThrowsError(try AppConfig.fromEnvironment(["PROPDESK_DATA_KEY": "short"])) { error in
            XCTAssertTrue("\(error)".contains("PROPDESK_DATA_KEY"))
        }
        let ok = try AppConfig.fromEnvironment(["PROPDESK_PORT": "9000", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db"])
        XCTAssertEqual(ok.port, 9000)
        XCTAssertTrue(ok.database.isPostgres)
        XCTAssertFalse(ok.database.redacted.contains(":p@"))
        XCTAssertEqual(try AppConfig.fromEnvironment([:]).database, .sqlite(path: "data/propdesk.sqlite"))
    }
}
