import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who is asking, resolved once per request by `PrincipalMiddleware`.
struct PrincipalKey: StorageKey { typealias Value = Principal }
struct AuthMethodKey: StorageKey { typealias Value = AuthMethod }

enum AuthMethod: Sendable { case session, bearer(String) }

/// The Vapor request, visible to the generated API handlers (which see only HTTP types) through a
/// task-local, as swift-openapi-vapor recommends.
enum RequestContext {
    @TaskLocal static var request: Request?

    static var current: Request {
        get throws {
            guard let r = request else { throw Abort(.internalServerError, reason: "no request in context") }
            return r
        }
    }
}

struct RequestContextMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await RequestContext.$request.withValue(request) { try await next.respond(to: request) }
    }
}

extension Request {
    var principal: Principal? { storage[PrincipalKey.self] }

    func requirePrincipal() throws -> Principal {
        guard let p = principal else { throw DomainError.unauthenticated }
        // Signed in with a one-time code: only the new-password page until it is set.
        guard !p.mustChangePassword else {
            throw DomainError(.forbidden, code: "password_change_required", Message(zh: "请先设置新密码", en: "Set a new password first"))
        }
        return p
    }

    func requireStaff() throws -> (Principal, AccessPolicy) {
        let p = try requirePrincipal()
        guard p.role.isStaff else { throw DomainError.forbidden }
        return (p, AccessPolicy(p))
    }

    var store: Store { application.propdesk.store(on: db) }

    /// The language to answer in. An API client that sends Accept-Language gets that; pages
    /// follow the signed-in user's choice, else the `lang` cookie, else Accept-Language.
    var language: Language {
        if url.path.hasPrefix("/api/"), let header = headers.first(name: .acceptLanguage) {
            return Language.preferred(acceptLanguage: header)
        }
        if let p = principal { return p.language }
        if let c = cookies["lang"]?.string, let l = Language(code: c) { return l }
        return Language.preferred(acceptLanguage: headers.first(name: .acceptLanguage))
    }

    var actor: Actor {
        guard let p = principal else { return Actor(userID: nil, name: "anonymous") }
        return Actor(userID: p.userID, name: "\(p.displayName) (\(p.username))")
    }
}

/// Resolves a bearer token or a session to a principal; never rejects (routes decide).
struct PrincipalMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let accounts = request.store.accounts
        if let bearer = request.headers.bearerAuthorization?.token {
            if let p = try await accounts.principal(forToken: bearer) {
                request.storage[PrincipalKey.self] = p
                request.storage[AuthMethodKey.self] = .bearer(bearer)
            }
        } else if request.hasSession, let raw = request.session.data["uid"], let uid = UUID(uuidString: raw) {
            if let p = try await accounts.principal(userID: uid) {
                request.storage[PrincipalKey.self] = p
                request.storage[AuthMethodKey.self] = .session
            } else {
                request.session.destroy()
            }
        }
        return try await next.respond(to: request)
    }
}

/// The API answers 401 to an anonymous caller before anything else is read, so no parameter or
/// body parsing happens for a stranger (SEC-2). Signing in is the one open door.
struct APIAuthGate: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.principal == nil && !(request.method == .POST && request.url.path == "/api/v1/auth/token") {
            throw DomainError.unauthenticated
        }
        return try await next.respond(to: request)
    }
}
