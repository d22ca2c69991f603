import Foundation
import PropDeskCore
import Vapor

/// 登录: staff and residents sign in with username (residents: phone) and password (SEC-1).
enum SignInPage {
    struct Form: Content { var username: String?; var password: String?; var next: String? }

    static func render(_ req: Request, error: DomainError?, username: String, status: HTTPResponseStatus = .ok) -> Response {
        let lang = req.language
        let next = req.query[String.self, at: "next"] ?? ""
        var kids: [BodyNode] = [H.el("p", [("class", "muted")], text: Strings.tagline.text(lang))]
        if let error {
            kids.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "signin-error")], text: error.message.text(lang)))
        }
        kids.append(H.el("form", [("method", "post"), ("action", Routes.login), ("class", "card narrow")], [
            H.el("label", [("for", "username")], text: Strings.username.text(lang)),
            H.input([("id", "username"), ("name", "username"), ("type", "text"), ("value", username), ("autocomplete", "username"),
                     ("required", "required"), ("autofocus", "autofocus")]),
            H.el("label", [("for", "password")], text: Strings.password.text(lang)),
            H.input([("id", "password"), ("name", "password"), ("type", "password"), ("autocomplete", "current-password"), ("required", "required")]),
            H.input([("type", "hidden"), ("name", "next"), ("value", next)]),
            H.el("button", [("type", "submit"), ("class", "primary")], text: Strings.signIn.text(lang)),
        ]))
        return Layout.page(title: Strings.signIn, request: req, status: status, kids)
    }

    static func submit(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let username = form.username ?? ""
        do {
            let principal = try await SignIn.authenticate(username: username, password: form.password ?? "", on: req)
            try await SessionLife.begin(req, userID: principal.userID)
            if principal.mustChangePassword { return req.redirect(to: Routes.password) }
            return req.redirect(to: Paths.safe(form.next, fallback: "/"))
        } catch let e as DomainError {
            return render(req, error: e, username: username, status: LocalizedErrorMiddleware.status(e.kind))
        }
    }
}
