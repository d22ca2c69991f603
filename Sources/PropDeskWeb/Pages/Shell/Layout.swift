import Foundation
import Plot
import PropDeskCore
import Vapor

typealias BodyNode = Node<HTML.BodyContext>

/// Small typed builders over Plot: text is always escaped, attributes are explicit.
enum H {
    static func el(_ name: String, _ attrs: [(String, String)] = [], _ kids: [BodyNode] = []) -> BodyNode {
        // A void element: "<br></br>" would read as two line breaks.
        if name == "br" && kids.isEmpty { return .selfClosedElement(named: "br", attributes: attrs.map { Attribute<HTML.BodyContext>(name: $0.0, value: $0.1) }) }
        // Every POST form of a signed-in page carries the session's form token (CSRF), whoever builds it.
        var kids = kids
        if name == "form", attrs.contains(where: { $0.0 == "method" && $0.1.lowercased() == "post" }), let token = FormToken.current {
            kids.insert(hidden(FormToken.field, token), at: 0)
        }
        // An empty `value` is meaningful (the "all" option of a filter); other empty attributes are dropped.
        return .element(named: name, nodes: attrs.map { BodyNode.attribute(named: $0.0, value: $0.1, ignoreIfValueIsEmpty: $0.0 != "value") } + kids)
    }
    static func el(_ name: String, _ attrs: [(String, String)] = [], text: String) -> BodyNode {
        el(name, attrs, [.text(text)])
    }
    static func input(_ attrs: [(String, String)]) -> BodyNode {
        .selfClosedElement(named: "input", attributes: attrs.map { Attribute<HTML.BodyContext>(name: $0.0, value: $0.1, ignoreIfValueIsEmpty: $0.0 != "value") })
    }
    static func link(_ text: String, _ href: String, _ attrs: [(String, String)] = []) -> BodyNode {
        el("a", [("href", href)] + attrs, text: text)
    }
    static func hidden(_ name: String, _ value: String) -> BodyNode {
        input([("type", "hidden"), ("name", name), ("value", value)])
    }
    /// A labelled field: the label's `for` and the control's `id` always match.
    static func field(_ label: String, _ id: String, _ control: BodyNode, hint: String? = nil) -> BodyNode {
        el("div", [("class", "field")], [el("label", [("for", id)], text: label), control] + (hint.map { [el("small", [("class", "muted")], text: $0)] } ?? []))
    }
    static func select(_ id: String, name: String, _ options: [(value: String, label: String)], selected: String?, _ attrs: [(String, String)] = []) -> BodyNode {
        el("select", [("id", id), ("name", name)] + attrs, options.map { o in
            el("option", [("value", o.value)] + (o.value == selected ? [("selected", "selected")] : []), text: o.label)
        })
    }
    static func button(_ text: String, _ attrs: [(String, String)] = [], primary: Bool = true) -> BodyNode {
        el("button", [("type", "submit"), ("class", primary ? "primary" : "secondary")] + attrs, text: text)
    }
    /// A POST form to one of our own routes.
    static func form(_ action: String, _ attrs: [(String, String)] = [], _ kids: [BodyNode]) -> BodyNode {
        el("form", [("method", "post"), ("action", action)] + attrs, kids)
    }
}

/// What a page adds to the shared frame: the community it is about, live updates, a body class.
struct Frame {
    var community: Community?
    /// The page listens to live events (the board, an order, the portal).
    var live = false
    var bodyClass = ""
    /// A printable form: no header, A4 print CSS.
    var print = false
}

/// The page frame every screen shares: the header with navigation by role, the community
/// switcher and the language switch; one CSS file and one small script, both served by us.
enum Layout {
    static func page(title: Message, request: Request, status: HTTPResponseStatus = .ok, frame: Frame = Frame(), communities: [Community] = [],
                     _ content: [BodyNode]) -> Response {
        // The frame's own forms (sign-out) carry the form token even on an error page, which the
        // error middleware renders outside the request's context.
        RequestContext.$request.withValue(request) { framed(title: title, request: request, status: status, frame: frame, communities: communities, content) }
    }

    private static func framed(title: Message, request: Request, status: HTTPResponseStatus, frame: Frame, communities: [Community],
                               _ content: [BodyNode]) -> Response {
        let lang = request.language
        let principal = request.principal
        var bodyKids: [BodyNode] = []
        if !frame.print {
            var headerKids: [BodyNode] = [H.link(Strings.appName.text(lang), "/", [("class", "brand")])]
            if let p = principal {
                headerKids.append(Nav.bar(p, community: frame.community, request: request))
                if communities.count > 1, let current = frame.community { headerKids.append(Nav.switcher(communities, current: current, request: request)) }
                headerKids.append(H.el("span", [("class", "who")], text: "\(p.displayName) · \(p.role.title.text(lang))"))
            }
            headerKids.append(languageSwitch(request))
            if principal != nil {
                headerKids.append(H.el("form", [("method", "post"), ("action", Routes.logout), ("class", "inline")], [
                    H.el("button", [("type", "submit"), ("class", "link"), ("id", "sign-out")], text: Strings.signOut.text(lang)),
                ]))
            }
            bodyKids.append(H.el("header", [("class", "top")], headerKids))
        }
        var mainKids: [BodyNode] = [H.el("h1", [], text: title.text(lang))]
        if let flash = Flash.take(request) {
            mainKids.append(H.el("p", [("class", flash.isError ? "error" : "notice"), ("role", flash.isError ? "alert" : "status"), ("id", "flash")],
                                 text: flash.message.text(lang)))
        }
        bodyKids.append(H.el("main", [], mainKids + content))
        bodyKids.append(H.el("div", [("id", "live-status"), ("class", "live-status"), ("aria-live", "polite"),
                                     ("data-offline", Strings.liveOffline.text(lang))], []))
        bodyKids.append(.element(named: "script", nodes: [.attribute(named: "src", value: "/assets/app.js"), .attribute(named: "defer", value: "defer")]))
        var bodyAttrs: [(String, String)] = [("class", (frame.print ? "print " : "") + frame.bodyClass), ("data-lang", lang.rawValue)]
        if let p = request.principal { bodyAttrs.append(("data-user", p.userID.uuidString)) }
        if frame.live { bodyAttrs.append(("data-live", frame.community.map { "/api/v1/events?communityId=\($0.id.uuidString)" } ?? "/api/v1/events")) }
        let html = HTML(
            .attribute(named: "lang", value: lang.rawValue),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // app.js sends it as X-CSRF-Token with its own POSTs.
                .unwrap(FormToken.current) { .meta(.name("csrf-token"), .content($0)) },
                .title("\(title.text(lang)) · \(Strings.appName.text(lang))"),
                .stylesheet("/assets/app.css")
            ),
            .body(.group(bodyAttrs.map { BodyNode.attribute(named: $0.0, value: $0.1) } + bodyKids))
        )
        let response = Response(status: status, body: .init(string: html.render()))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .contentLanguage, value: lang.rawValue)
        response.headers.cacheControl = .init(noStore: true)
        // Nothing on a page may come from another host.
        response.headers.replaceOrAdd(name: "Content-Security-Policy",
                                      value: "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'")
        return response
    }

    static func languageSwitch(_ request: Request) -> BodyNode {
        let back = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
        let encoded = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        return H.el("nav", [("class", "lang"), ("aria-label", Strings.language.text(request.language))], PropDeskCore.Language.allCases.map { l in
            l == request.language
                ? H.el("strong", [], text: l == .zhHans ? "中文" : "English")
                : H.link(l == .zhHans ? "中文" : "English", Routes.language(l.rawValue, back: encoded), [("id", "lang-\(l.rawValue)")])
        })
    }
}

/// One message carried from a form POST to the page it redirects to.
struct Flash {
    let message: Message
    let isError: Bool

    static func set(_ req: Request, _ message: Message, error: Bool = false) {
        req.session.data["flash"] = (error ? "E" : "N") + message.zhHans + "\u{1F}" + message.en
    }

    static func take(_ req: Request) -> Flash? {
        guard req.hasSession, let raw = req.session.data["flash"] else { return nil }
        req.session.data["flash"] = nil
        let parts = raw.dropFirst().split(separator: "\u{1F}", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return Flash(message: Message(zh: String(parts[0]), en: String(parts[1])), isError: raw.first == "E")
    }
}
