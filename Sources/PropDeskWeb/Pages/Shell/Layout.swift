import Foundation
import Plot
import PropDeskCore
import Vapor

typealias BodyNode = Node<HTML.BodyContext>

/// Small typed builders over Plot: text is always escaped, attributes are explicit.
enum H {
    static func el(_ name: String, _ attrs: [(String, String)] = [], _ kids: [BodyNode] = []) -> BodyNode {
        .element(named: name, nodes: attrs.map { BodyNode.attribute(named: $0.0, value: $0.1) } + kids)
    }
    static func el(_ name: String, _ attrs: [(String, String)] = [], text: String) -> BodyNode {
        el(name, attrs, [.text(text)])
    }
    static func input(_ attrs: [(String, String)]) -> BodyNode {
        .selfClosedElement(named: "input", attributes: attrs.map { Attribute<HTML.BodyContext>(name: $0.0, value: $0.1) })
    }
    static func link(_ text: String, _ href: String, _ attrs: [(String, String)] = []) -> BodyNode {
        el("a", [("href", href)] + attrs, text: text)
    }
}

/// The page frame every screen shares: header with the user and language switch, one CSS file.
enum Layout {
    static func page(title: Message, request: Request, status: HTTPResponseStatus = .ok, _ content: [BodyNode]) -> Response {
        let lang = request.language
        let principal = request.principal
        var headerKids: [BodyNode] = [H.link(Strings.appName.text(lang), "/", [("class", "brand")])]
        if let p = principal {
            headerKids.append(H.el("span", [("class", "who")], text: "\(p.displayName) · \(p.role.title.text(lang))"))
        }
        headerKids.append(languageSwitch(request))
        if principal != nil {
            headerKids.append(H.el("form", [("method", "post"), ("action", "/logout"), ("class", "inline")], [
                H.el("button", [("type", "submit"), ("class", "link")], text: Strings.signOut.text(lang)),
            ]))
        }
        let html = HTML(
            .attribute(named: "lang", value: lang.rawValue),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title("\(title.text(lang)) · \(Strings.appName.text(lang))"),
                .stylesheet("/assets/app.css")
            ),
            .body(
                H.el("header", [("class", "top")], headerKids),
                H.el("main", [], [H.el("h1", [], text: title.text(lang))] + content)
            )
        )
        let response = Response(status: status, body: .init(string: html.render()))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .contentLanguage, value: lang.rawValue)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    static func languageSwitch(_ request: Request) -> BodyNode {
        let back = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
        let encoded = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        return H.el("nav", [("class", "lang"), ("aria-label", Strings.language.text(request.language))], PropDeskCore.Language.allCases.map { l in
            l == request.language
                ? H.el("strong", [], text: l == .zhHans ? "中文" : "English")
                : H.link(l == .zhHans ? "中文" : "English", "/lang?to=\(l.rawValue)&back=\(encoded)")
        })
    }
}
