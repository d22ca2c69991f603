import Crypto
import Foundation
import PropDeskCore
import Vapor

/// Request bodies have a limit per kind of route, checked before a byte is read (SEC-5): a
/// stranger's 200 MB sign-in is answered 413 from its Content-Length alone; a body sent without
/// one (chunked) is read only up to the limit.
struct BodyLimitMiddleware: AsyncMiddleware {
    /// JSON API calls and page forms.
    static let standard = 1 << 20
    /// A registry CSV for `…/import` (REG-4).
    static let csvImport = 32 << 20
    /// Photo uploads from the order page and the resident's report: 12 photos of up to 8 MB each
    /// are refused one by one by their own check (Photos), the whole body here.
    static let photos = 100 << 20
    static let evidence = EvidenceKind.document.maxBytes + (64 << 10)

    static func limit(for request: Request) -> Int {
        let path = request.url.path
        if path.hasPrefix("/api/v1/communities/"), path.hasSuffix("/import") { return csvImport }
        if path == "/portal/report" || (path.hasPrefix("/orders/") && path.hasSuffix("/photos")) { return photos }
        // One file per request, up to the largest kind (a 20 MB scanned document).
        if path.hasPrefix("/api/v1/subjects/"), path.hasSuffix("/evidence") { return evidence }
        if path.hasPrefix("/subjects/"), path.hasSuffix("/documents") { return evidence }
        // A drawn signature comes as a data URL: a third larger than its PNG.
        if path.hasPrefix("/subjects/"), path.hasSuffix("/signature") { return 2 << 20 }
        return standard
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let limit = Self.limit(for: request)
        if let declared = request.headers.first(name: .contentLength) {
            guard let length = Int(declared), length >= 0 else {
                throw DomainError.invalid(field: "Content-Length", Message(zh: "Content-Length 无效", en: "Content-Length is not valid"))
            }
            if length > limit { throw DomainError.tooLarge(limitBytes: limit) }
        } else if request.headers.contains(name: .transferEncoding) {
            // No length given: read at most the limit (Vapor answers 413 past it).
            _ = try await request.body.collect(max: limit).get()
        }
        return try await next.respond(to: request)
    }
}

/// Whether the request reached us over HTTPS: directly, or through a proxy PropDesk was told to
/// trust (`PROPDESK_TRUSTED_PROXIES`) that says so in X-Forwarded-Proto.
extension Request {
    var isHTTPS: Bool {
        if url.scheme == "https" { return true }
        guard let ip = remoteAddress?.ipAddress, application.propdesk.config.trustedProxies.contains(ip) else { return false }
        return headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }

    /// This site's own origin as a browser names it: scheme, host and port.
    var ownOrigin: String? {
        let trusted = remoteAddress?.ipAddress.map { application.propdesk.config.trustedProxies.contains($0) } ?? false
        guard let host = (trusted ? headers.first(name: "X-Forwarded-Host") : nil) ?? headers.first(name: .host) else { return nil }
        return (isHTTPS ? "https://" : "http://") + host.lowercased()
    }
}

/// Headers on every answer: no MIME sniffing, no referrer to other sites, not framed, and over
/// HTTPS every cookie Secure and HSTS.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if !response.headers.contains(name: "Content-Security-Policy") {
            // Pages set their own policy (Layout); everything else may not be framed or run anything.
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'")
        }
        if request.isHTTPS || request.application.propdesk.config.secureCookies {
            for (name, var cookie) in response.cookies.all {
                cookie.isSecure = true
                response.cookies[name] = cookie
            }
        }
        if request.isHTTPS {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        return response
    }
}

/// The session's form token (CSRF, the synchroniser-token pattern): made at sign-in, sent with
/// every page form as the hidden field `_csrf` (H.el adds it to each POST form) and by app.js as
/// the header X-CSRF-Token.
enum FormToken {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"

    static func make() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined()
    }

    /// The token of the signed-in session of the request being answered, for the page it renders.
    static var current: String? {
        guard let req = RequestContext.request, case .session = req.storage[AuthMethodKey.self], req.hasSession else { return nil }
        if let t = req.session.data["csrf"] { return t }
        // A session from before tokens existed gets one now.
        let t = make()
        req.session.data["csrf"] = t
        return t
    }

}

/// Compares secrets (form tokens, the metrics token) in time that does not depend on where they differ.
enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Refuses a change that did not come from our own pages (CSRF). Any unsafe request that names
/// another origin — other scheme, host or port — is refused; a cookie-authenticated one must also
/// carry this session's form token. Bearer-token API clients carry no cookie and are not at risk.
struct FormProtectionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else { return try await next.respond(to: request) }
        if case .bearer = request.storage[AuthMethodKey.self] { return try await next.respond(to: request) }
        if let origin = request.headers.first(name: .origin), origin.lowercased() != request.ownOrigin {
            throw DomainError.staleForm
        }
        if request.headers.first(name: "Sec-Fetch-Site")?.lowercased() == "cross-site" { throw DomainError.staleForm }
        // Signing in needs no token (there may be no session yet, or a stale one): it makes a new
        // session with a new token, and the origin check above still applies.
        guard case .session = request.storage[AuthMethodKey.self], request.url.path != "/login" else { return try await next.respond(to: request) }
        guard let expected = request.session.data["csrf"] else { throw DomainError.staleForm }
        var sent = request.headers.first(name: FormToken.header)
        if sent == nil, let type = request.headers.contentType, type == .urlEncodedForm || type.type == "multipart" {
            _ = try await request.body.collect(max: BodyLimitMiddleware.limit(for: request)).get()
            sent = try? request.content.get(String.self, at: FormToken.field)
        }
        guard let sent, ConstantTime.equal(sent, expected) else { throw DomainError.staleForm }
        return try await next.respond(to: request)
    }
}

/// Signing in and out (SEC-1): a new session id each time, so an id known before sign-in — planted
/// by someone else, or left from another person's session — is worth nothing after it.
enum SessionLife {
    static func begin(_ req: Request, userID: UUID) async throws {
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
        }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data["uid"] = userID.uuidString
        req.session.data["csrf"] = FormToken.make()
    }

    static func end(_ req: Request) {
        req.session.destroy()
    }
}

/// The contract has no nullable fields: an optional field is left out, never `null`. The decoder
/// would read `null` as "absent" and accept what the contract forbids, so a null under a field
/// name is refused here, naming the field (SEC-5). Keys that cannot be one of our field names
/// (every field of the contract is camelCase ASCII) are extra properties the contract lets a
/// client send, and are left alone like the decoder leaves them.
struct JSONNullGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard [.POST, .PUT, .PATCH].contains(request.method), request.headers.contentType == .json else { return try await next.respond(to: request) }
        let body = try await request.body.collect(max: BodyLimitMiddleware.limit(for: request)).get()
        if let body, let json = try? JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed]), let field = Self.firstNull(in: json, at: "") {
            throw DomainError.invalid(field: field, Message(zh: "\(field) 不能为 null:不需要时请省略该字段", en: "\(field) must not be null: leave the field out instead"))
        }
        return try await next.respond(to: request)
    }

    static func isFieldName(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func firstNull(in value: Any, at path: String) -> String? {
        switch value {
        case is NSNull: return path.isEmpty ? "body" : path
        case let object as [String: Any]:
            for (key, item) in object.sorted(by: { $0.key < $1.key }) where isFieldName(key) {
                if let found = firstNull(in: item, at: path.isEmpty ? key : "\(path).\(key)") { return found }
            }
        case let array as [Any]:
            for (i, item) in array.enumerated() {
                if let found = firstNull(in: item, at: "\(path)[\(i)]") { return found }
            }
        default: break
        }
        return nil
    }
}
