import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Password sign-in for pages and API clients (SEC-1): a slow hash, the same work for unknown
/// usernames (no hint which exists), and lock-out after repeated failures.
enum SignIn {
    static let throttle = SignInThrottle()
    /// Verified against when the username is unknown, so both paths cost one bcrypt.
    static let decoyHash = try! Bcrypt.hash("propdesk-decoy-password", cost: 4)

    static func authenticate(username: String, password: String, on req: Request) async throws -> Principal {
        let accounts = req.store.accounts
        let now = req.application.propdesk.now()
        guard let cred = try await accounts.credentials(username: username.trimmingCharacters(in: .whitespaces)) else {
            _ = try await verify(password, hash: decoyHash, on: req)
            throw DomainError.badCredentials
        }
        try throttle.check(cred.throttle, now: now)
        guard cred.account.active, try await verify(password, hash: cred.passwordHash, on: req) else {
            let state = throttle.recordingFailure(cred.throttle, now: now)
            try await accounts.saveThrottle(state, for: cred.account.id)
            try throttle.check(state, now: now)
            throw DomainError.badCredentials
        }
        if cred.throttle != .init() { try await accounts.saveThrottle(.init(), for: cred.account.id) }
        guard let principal = try await accounts.principal(userID: cred.account.id) else { throw DomainError.badCredentials }
        return principal
    }

    static func verify(_ password: String, hash: String, on req: Request) async throws -> Bool {
        try await req.application.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }

    static func hash(_ password: String, on app: Application) async throws -> String {
        let cost = app.propdesk.config.bcryptCost
        return try await app.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }
}
