import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Password sign-in for pages and API clients (SEC-1): a slow hash, the same work for unknown
/// usernames (no hint which exists), and lock-out after repeated failures.
enum SignIn {
    static let throttle = SignInThrottle()

    /// Known and unknown names take the same path: the attempt is counted (and refused while the
    /// name is locked), then one bcrypt of the configured cost runs — against the account's hash,
    /// or against a decoy of the same cost — and only then is the account looked at. So the answer
    /// and its time say nothing about which usernames exist.
    static func authenticate(username: String, password: String, on req: Request) async throws -> Principal {
        let accounts = req.store.accounts
        let name = username.trimmingCharacters(in: .whitespaces)
        let counted = try await accounts.countSignInAttempt(username: name, throttle: throttle)
        let cred = try await accounts.credentials(username: name)
        let matches = try await verify(password, hash: cred?.passwordHash ?? req.application.propdesk.decoyHash, on: req)
        guard matches, let cred, cred.account.active, let principal = try await accounts.principal(userID: cred.account.id) else {
            try throttle.check(counted, now: req.application.propdesk.now())
            throw DomainError.badCredentials
        }
        // A one-time code lasts a day.
        if principal.mustChangePassword, try await accounts.passwordExpired(principal.userID) {
            throw DomainError.badCredentials
        }
        try await accounts.clearSignInAttempts(username: name)
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
