import Foundation
import PropDeskCore
import Vapor

/// The routes of the pages. The full console and the resident portal grow from here.
enum Pages {
    static func register(_ app: Application) throws {
        app.get("login") { req in SignInPage.render(req, error: nil, username: "") }
        app.post("login") { req in try await SignInPage.submit(req) }
        app.post("logout") { req -> Response in
            req.session.destroy()
            return req.redirect(to: "/login")
        }
        app.get("lang") { req in try await switchLanguage(req) }
        app.get { req in try await HomePage.render(req) }
    }

    /// Remembers the choice in a cookie and, for a signed-in user, in the account.
    static func switchLanguage(_ req: Request) async throws -> Response {
        guard let code = req.query[String.self, at: "to"], let lang = Language(code: code) else {
            throw DomainError.invalid(field: "to", Message(zh: "不支持的语言", en: "Unsupported language"))
        }
        if let p = req.principal { try await req.store.accounts.setLanguage(lang, for: p.userID) }
        let back = req.query[String.self, at: "back"] ?? "/"
        // Only a path on this site: never an open redirect.
        let target = back.hasPrefix("/") && !back.hasPrefix("//") ? back : "/"
        let response = req.redirect(to: target)
        response.cookies["lang"] = HTTPCookies.Value(string: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func errorPage(_ error: DomainError, status: HTTPResponseStatus, request: Request) -> Response {
        let lang = request.language
        return Layout.page(title: Strings.error, request: request, status: status, [
            H.el("p", [("class", "error"), ("role", "alert")], text: error.message.text(lang)),
            H.link(Strings.back.text(lang), "/"),
        ])
    }
}
