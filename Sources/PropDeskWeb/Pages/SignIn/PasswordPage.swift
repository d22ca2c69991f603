import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 设置新密码 (SEC-1, INT-14): after signing in with a one-time code from the desk, the resident
/// sets their own password before anything else; and the desk's side — issuing the code.
enum PasswordPage {
    enum S {
        static let title = Message(zh: "设置新密码", en: "Set a new password")
        static let why = Message(zh: "您使用的是服务中心提供的一次性登录码,请设置自己的新密码。", en: "You signed in with a one-time code from the service center; set your own password now.")
        static let new = Message(zh: "新密码(至少 10 位)", en: "New password (10 characters or more)")
        static let again = Message(zh: "再输入一次", en: "Once more")
        static let save = Message(zh: "保存新密码", en: "Save the new password")
        static let mismatch = Message(zh: "两次输入的密码不一致", en: "The two passwords differ")
        static let saved = Message(zh: "新密码已设置", en: "Your new password is set")
        static let codeTitle = Message(zh: "一次性登录码", en: "One-time sign-in code")
        static let codeFor = Message(zh: "请告知业户:用手机号 %@ 和下面的登录码登录住户门户,24 小时内有效,登录后须设置新密码。此码只显示这一次。",
                                     en: "Tell the resident: sign in to the portal with phone %@ and the code below; it is valid for 24 hours, and a new password must be set at once. It is shown only this once.")
        static let issue = Message(zh: "发一次性登录码", en: "Issue a one-time code")
    }

    static func render(_ req: Request, error: DomainError? = nil) async throws -> Response {
        guard let p = req.principal else { throw DomainError.unauthenticated }
        let lang = req.language
        var kids: [BodyNode] = [H.el("p", [("class", "notice")], text: S.why.text(lang))]
        if let error { kids.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "password-error")], text: error.message.text(lang))) }
        kids.append(H.form(Routes.password, [("class", "card narrow"), ("id", "password-form")], [
            H.el("input", [("type", "hidden"), ("name", "username"), ("value", p.username), ("autocomplete", "username")], []),
            H.field(S.new.text(lang), "new-password", H.input([("type", "password"), ("id", "new-password"), ("name", "password"), ("required", "required"), ("autocomplete", "new-password")])),
            H.field(S.again.text(lang), "new-password-2", H.input([("type", "password"), ("id", "new-password-2"), ("name", "again"), ("required", "required"), ("autocomplete", "new-password")])),
            H.button(S.save.text(lang), [("id", "do-set-password")]),
        ]))
        return Layout.page(title: S.title, request: req, status: error.map { LocalizedErrorMiddleware.status($0.kind) } ?? .ok, kids)
    }

    struct Form: Content { var password: String?; var again: String? }

    /// POST /password
    static func submit(_ req: Request) async throws -> Response {
        guard let p = req.principal else { throw DomainError.unauthenticated }
        let f = try req.content.decode(Form.self)
        do {
            let password = try Validate.password(f.password ?? "")
            guard password == f.again else { throw DomainError.invalid(field: "again", S.mismatch) }
            try await req.store.accounts.setOwnPassword(p.userID, hash: try await SignIn.hash(password, on: req.application))
            Flash.set(req, S.saved)
            return req.redirect(to: Routes.home, redirectType: .normal)
        } catch let e as DomainError {
            return try await render(req, error: e)
        }
    }

    /// POST /people/:personId/one-time-code — the desk issues a code for a resident's portal
    /// account and reads it out; shown once, audited without the code.
    static func issue(_ req: Request) async throws -> Response {
        let detail = try await Scoped.person(req.parameters.get("personId") ?? "", .editPeople, req)
        let lang = req.language
        let app = req.application
        let (account, code) = try await req.store.accounts.issueOneTimeCode(person: detail.person.id, hash: { try await SignIn.hash($0, on: app) }, by: req.actor)
        let grouped = stride(from: 0, to: code.count, by: 4).map { i -> String in
            let start = code.index(code.startIndex, offsetBy: i), end = code.index(start, offsetBy: min(4, code.count - i))
            return String(code[start..<end])
        }.joined(separator: " ")
        let response = Layout.page(title: S.codeTitle, request: req, [
            H.el("section", [("class", "card narrow")], [
                H.el("p", [], text: String(format: S.codeFor.text(lang), account.username)),
                H.el("p", [("class", "one-time-code"), ("id", "one-time-code"), ("data-code", code)], text: grouped),
                H.el("p", [], [H.link("← " + Strings.back.text(lang), Routes.home)]),
            ]),
        ])
        return response
    }
}
