import Crypto
import Fluent
import FluentSQL
import SQLKit
import Foundation
import PropDeskCore

/// Accounts, sign-in state and API tokens (REG-3, SEC-1). Password hashing is injected, so the
/// slow hash lives with the web framework and tests can use a cheap cost.
public struct AccountStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    public struct Credentials: Sendable {
        public let account: UserAccount
        public let passwordHash: String
    }

    public func credentials(username: String) async throws -> Credentials? {
        guard let m = try await UserModel.query(on: db).filter(\.$username == username.lowercased()).first() else { return nil }
        return Credentials(account: m.domain(scopes: try await scopes(m.id!)), passwordHash: m.passwordHash)
    }

    // MARK: Sign-in lock-out (SEC-1)

    /// Counts one sign-in attempt for `username` — known or not — before its password is checked,
    /// and throws `locked` while the name is locked. Read and write happen under the row's lock
    /// (PostgreSQL) or in the write queue (SQLite), so parallel guesses are counted one by one:
    /// of thirty at once, five are checked and the rest are refused. Returns the state after
    /// counting; a failed check then only has to ask `throttle.check` of it.
    public func countSignInAttempt(username: String, throttle: SignInThrottle) async throws -> SignInThrottle.State {
        let key = Self.throttleKey(username)
        let at = now()
        return try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.raw("INSERT INTO sign_in_throttles (key, failures, first_failure_at, locked_until) VALUES (\(bind: key), 0, 0, 0) ON CONFLICT (key) DO NOTHING").run()
            let lock = tx.isPostgres ? " FOR UPDATE" : ""
            guard let row = try await sql.raw("SELECT failures, first_failure_at, locked_until FROM sign_in_throttles WHERE key = \(bind: key)\(unsafeRaw: lock)").first() else {
                return SignInThrottle.State()
            }
            func date(_ column: String) throws -> Date? {
                let seconds = try row.decode(column: column, as: Int.self)
                return seconds == 0 ? nil : Date(timeIntervalSince1970: Double(seconds))
            }
            let before = SignInThrottle.State(failures: try row.decode(column: "failures", as: Int.self),
                                              firstFailureAt: try date("first_failure_at"), lockedUntil: try date("locked_until"))
            try throttle.check(before, now: at)
            let after = throttle.recordingFailure(before, now: at)
            func seconds(_ d: Date?) -> Int { d.map { Int($0.timeIntervalSince1970.rounded(.up)) } ?? 0 }
            try await sql.raw("""
                UPDATE sign_in_throttles SET failures = \(bind: after.failures), first_failure_at = \(bind: seconds(after.firstFailureAt)),
                locked_until = \(bind: seconds(after.lockedUntil)) WHERE key = \(bind: key)
                """).run()
            return after
        }
    }

    /// A good password clears the count.
    public func clearSignInAttempts(username: String) async throws {
        let key = Self.throttleKey(username)
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).raw("DELETE FROM sign_in_throttles WHERE key = \(bind: key)").run()
        }
    }

    /// Forgets counts that can no longer lock anyone (the background work calls it hourly), so
    /// names typed once do not pile up.
    public func pruneSignInAttempts(throttle: SignInThrottle) async throws {
        let at = Int(now().timeIntervalSince1970)
        let windowStart = at - Int(throttle.window)
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).raw("""
                DELETE FROM sign_in_throttles WHERE locked_until < \(bind: at) AND first_failure_at < \(bind: windowStart)
                """).run()
        }
    }

    static func throttleKey(_ username: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(username.trimmingCharacters(in: .whitespaces).lowercased().utf8)))
    }

    public func account(_ id: UUID) async throws -> UserAccount? {
        guard let m = try await UserModel.find(id, on: db) else { return nil }
        return m.domain(scopes: try await scopes(id))
    }

    private func scopes(_ userID: UUID) async throws -> [Scope] {
        try await UserScopeModel.query(on: db).filter(\.$userID == userID).all().map(\.domain)
    }

    /// The principal a session resolves to; `nil` for an unknown or disabled account. Read on every
    /// request, so as plain rows (no Fluent models, whose reflection was most of the cost of signing
    /// a request in; docs/PERFORMANCE.md), and the account with its scopes in one read (a join) —
    /// a resident's units in a second (issue 19).
    public func principal(userID: UUID) async throws -> Principal? {
        try await principal(rows: sql.raw("\(unsafeRaw: Self.principalRead) WHERE u.id = \(bind: userID)").all())
    }

    /// The principal a bearer token stands for, in the same one read (token, account, scopes);
    /// nil for an unknown or expired token or an account no longer active.
    public func principal(forToken token: String) async throws -> Principal? {
        let rows = try await sql.raw("\(unsafeRaw: Self.principalByToken) WHERE t.token_hash = \(bind: Self.hash(token))").all()
        guard let first = rows.first, try first.decode(column: "expires_at", as: Date.self) > now() else { return nil }
        return try await principal(rows: rows)
    }

    private var sql: any SQLDatabase { db as! any SQLDatabase }

    /// The account's columns and its scopes (a left join: an admin has none). Written as SQL text
    /// once: built through SQLKit's builder, its table-qualified columns were serialised (and
    /// escaped) again on every request, a twentieth of an intake's CPU (issue 19).
    private static let principalColumns = """
        u.id AS uid, u.username, u.display_name, u.role, u.person_id, u.language, u.active, u.must_change_password, \
        s.community_id, s.area_id
        """
    private static let principalRead = """
        SELECT \(principalColumns) FROM \(UserModel.schema) u LEFT JOIN \(UserScopeModel.schema) s ON s.user_id = u.id
        """
    private static let principalByToken = """
        SELECT \(principalColumns), t.expires_at FROM \(APITokenModel.schema) t JOIN \(UserModel.schema) u ON u.id = t.user_id \
        LEFT JOIN \(UserScopeModel.schema) s ON s.user_id = u.id
        """

    private func principal(rows: [any SQLRow]) async throws -> Principal? {
        guard let u = rows.first, try u.decode(column: "active", as: Bool.self) else { return nil }
        let userID = try u.decode(column: "uid", as: UUID.self)
        let role = Role(rawValue: try u.decode(column: "role", as: String.self)) ?? .resident
        let personID = try u.decode(column: "person_id", as: UUID?.self)
        let scopes = try rows.compactMap { row -> Scope? in
            guard let community = try row.decode(column: "community_id", as: UUID?.self) else { return nil }
            return Scope(communityID: community, areaID: try row.decode(column: "area_id", as: UUID?.self))
        }
        var units: Set<UUID> = []
        // A resident's units: their person's, in the communities they are scoped to (RUN-5).
        if role == .resident, let personID, !scopes.isEmpty {
            units = Set(try await sql.select().column("unit_id").from(OccupancyModel.schema).where("person_id", .equal, personID)
                .whereCommunities(Set(scopes.map(\.communityID)), besideANarrowerKeyOn: db).all()
                .map { try $0.decode(column: "unit_id", as: UUID.self) })
        }
        return Principal(userID: userID, username: try u.decode(column: "username", as: String.self),
                         displayName: try u.decode(column: "display_name", as: String.self), role: role, scopes: scopes,
                         personID: personID, unitIDs: units, language: Language(code: try u.decode(column: "language", as: String.self)) ?? .zhHans,
                         mustChangePassword: try u.decode(column: "must_change_password", as: Bool.self))
    }

    public func accounts(community: UUID?) async throws -> [UserAccount] {
        var ids: [UUID]? = nil
        if let community { ids = try await UserScopeModel.query(on: db).filter(\.$communityID == community).all().map(\.userID) }
        let q = UserModel.query(on: db).sort(\.$username)
        if let ids { q.filter(\.$id ~~ Set(ids)) }
        let users = try await q.all()
        let scopes = Dictionary(grouping: try await UserScopeModel.query(on: db).filter(\.$userID ~~ users.compactMap(\.id)).all(), by: \.userID)
        return users.map { $0.domain(scopes: (scopes[$0.id!] ?? []).map(\.domain)) }
    }

    public func create(_ account: UserAccount, passwordHash: String, by actor: Actor) async throws -> UserAccount {
        var a = account
        a.username = try Validate.username(a.username)
        a.displayName = try Validate.name(a.displayName, field: "displayName")
        if a.role != .admin && a.scopes.isEmpty {
            throw DomainError.invalid(field: "scopes", Message(zh: "除管理员外,账户必须至少分配一个小区", en: "Every account but an administrator needs at least one community"))
        }
        if a.role == .resident && a.personID == nil {
            throw DomainError.invalid(field: "personId", Message(zh: "住户账户必须关联住户档案", en: "A resident account must be linked to a person"))
        }
        for s in a.scopes {
            guard try await CommunityModel.find(s.communityID, on: db) != nil else { throw DomainError.notFound(Noun.community) }
            if let areaID = s.areaID {
                guard let area = try await AreaModel.find(areaID, on: db), area.communityID == s.communityID else { throw DomainError.notFound(Noun.area) }
            }
        }
        // The person must exist in one of the account's communities (on PostgreSQL no foreign key
        // says so since migration 0030: an account is a reference table, a person is distributed).
        if let personID = a.personID {
            guard let person = try await PersonModel.find(personID, on: db), a.scopes.contains(where: { $0.communityID == person.communityID })
            else { throw DomainError.notFound(Noun.person) }
        }
        let username = a.username
        if try await UserModel.query(on: db).filter(\.$username == username).first() != nil {
            throw DomainError.conflict(code: "duplicate_username", Message(zh: "用户名 \(username) 已被使用", en: "Username \(username) is taken"))
        }
        let at = now(), created = a
        try await db.writeTransaction { tx in
            try await UserModel(created, passwordHash: passwordHash, at: at).create(on: tx)
            for s in created.scopes { try await UserScopeModel(userID: created.id, scope: s).create(on: tx) }
            try await AuditLog(db: tx).record(actor, .create, entity: "user", id: created.id, community: created.scopes.first?.communityID, after: created, at: at)
        }
        return a
    }

    /// A change an administrator makes to an account (role, scopes, name, active), audited with
    /// before and after. The last active administrator can be neither demoted nor deactivated:
    /// nobody could then manage accounts at all.
    public struct Change: Sendable {
        public var displayName: String?
        public var role: Role?
        public var scopes: [Scope]?
        public var active: Bool?
        public var badgeNumber: String?
        public init(displayName: String? = nil, role: Role? = nil, scopes: [Scope]? = nil, active: Bool? = nil, badgeNumber: String? = nil) {
            self.displayName = displayName
            self.role = role
            self.scopes = scopes
            self.active = active
            self.badgeNumber = badgeNumber
        }
    }

    public func update(_ id: UUID, _ change: Change, by actor: Actor) async throws -> UserAccount {
        let at = now()
        return try await db.writeTransaction { tx in
            try await tx.lockReferenceRow(UserModel.schema, id: id)
            guard let m = try await UserModel.find(id, on: tx) else {
                throw DomainError.notFound(Noun.user)
            }
            let store = AccountStore(db: tx, now: now)
            let before = m.domain(scopes: try await store.scopes(id))
            var after = before
            if let n = change.displayName { after.displayName = try Validate.name(n, field: "displayName") }
            if let r = change.role { after.role = r }
            if let sc = change.scopes { after.scopes = sc }
            if let a = change.active { after.active = a }
            if let b = change.badgeNumber { after.badgeNumber = b.isEmpty ? nil : try Validate.text(b, field: "badgeNumber", max: 40, required: false) }
            if after.role == .resident && before.role != .resident {
                throw DomainError.invalid(field: "role", Message(zh: "员工账户不能改为住户账户", en: "A staff account cannot become a resident account"))
            }
            if before.role == .resident && after.role != .resident {
                throw DomainError.invalid(field: "role", Message(zh: "住户账户不能改为员工账户", en: "A resident account cannot become a staff account"))
            }
            if after.role != .admin && after.scopes.isEmpty {
                throw DomainError.invalid(field: "scopes", Message(zh: "除管理员外,账户必须至少分配一个小区", en: "Every account but an administrator needs at least one community"))
            }
            for sc in after.scopes {
                guard try await CommunityModel.find(sc.communityID, on: tx) != nil else { throw DomainError.notFound(Noun.community) }
                if let areaID = sc.areaID {
                    guard let area = try await AreaModel.find(areaID, on: tx), area.communityID == sc.communityID else { throw DomainError.notFound(Noun.area) }
                }
            }
            if before.role == .admin && before.active && (after.role != .admin || !after.active) {
                let others = try await UserModel.query(on: tx).filter(\.$role == Role.admin.rawValue).filter(\.$active == true).filter(\.$id != id).count()
                guard others > 0 else {
                    throw DomainError.conflict(code: "last_admin", Message(zh: "这是最后一个有效的管理员账户,不能停用或改变角色", en: "This is the last active administrator: it cannot be deactivated or given another role"))
                }
            }
            guard after != before else { return before }
            m.displayName = after.displayName
            m.role = after.role.rawValue
            m.active = after.active
            m.badgeNumber = after.badgeNumber
            try await m.update(on: tx)
            if after.scopes != before.scopes {
                try await UserScopeModel.query(on: tx).filter(\.$userID == id).delete()
                for sc in after.scopes { try await UserScopeModel(userID: id, scope: sc).create(on: tx) }
            }
            if !after.active { try await APITokenModel.query(on: tx).filter(\.$userID == id).delete() }
            // A supervisor named in an approved table left, moved or changed post (S2 4.1.1).
            try await AssignmentStore(db: tx, now: now).noteStaffChange(before: before, after: after, at: at)
            try await AuditLog(db: tx).record(actor, .update, entity: "user", id: id, community: after.scopes.first?.communityID ?? before.scopes.first?.communityID,
                                              before: before, after: after, at: at)
            return after
        }
    }

    /// Sets a new password (an administrator's reset, or a one-time code the desk gives a
    /// resident); unlocks the account. The hash is never written to the audit trail.
    public func setPassword(_ id: UUID, hash: String, by actor: Actor) async throws {
        let at = now()
        try await db.writeTransaction { tx in
            guard let m = try await UserModel.find(id, on: tx) else { throw DomainError.notFound(Noun.user) }
            m.passwordHash = hash
            m.mustChangePassword = false
            m.passwordExpiresAt = nil
            m.failedSignIns = 0
            m.firstFailureAt = nil
            m.lockedUntil = nil
            try await m.update(on: tx)
            try await APITokenModel.query(on: tx).filter(\.$userID == id).delete()
            try await AuditLog(db: tx).record(actor, .update, entity: "user", id: id, community: nil, after: ["password": "reset"], at: at)
        }
    }

    /// A one-time code for a resident who forgot the password (INT-14): it signs in once, for a
    /// day, and then only to set a new password. The desk reads it to the resident; the trail
    /// records who issued it, never the code.
    public func issueOneTimeCode(person: UUID, hash: @Sendable (String) async throws -> String, by actor: Actor) async throws -> (account: UserAccount, code: String) {
        guard let m = try await UserModel.query(on: db).filter(\.$personID == person).filter(\.$role == Role.resident.rawValue).first() else {
            throw DomainError.conflict(code: "no_portal_account", Message(zh: "该住户还没有门户账户", en: "This resident has no portal account yet"))
        }
        guard m.active else {
            throw DomainError.conflict(code: "account_inactive", Message(zh: "该账户已停用", en: "This account is deactivated"))
        }
        var rng = SystemRandomNumberGenerator()
        let code = (0..<10).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
        let hashed = try await hash(code)
        let at = now()
        try await db.writeTransaction { tx in
            guard let u = try await UserModel.find(m.id, on: tx) else { throw DomainError.notFound(Noun.user) }
            u.passwordHash = hashed
            u.mustChangePassword = true
            u.passwordExpiresAt = at.addingTimeInterval(86_400)
            u.failedSignIns = 0
            u.firstFailureAt = nil
            u.lockedUntil = nil
            try await u.update(on: tx)
            try await APITokenModel.query(on: tx).filter(\.$userID == m.id!).delete()
            try await AuditLog(db: tx).record(actor, .update, entity: "user", id: m.id, community: nil, after: ["password": "one-time code issued"], at: at)
        }
        return (m.domain(scopes: try await scopes(m.id!)), code)
    }

    /// Whether a password has run out (a one-time code after its day).
    public func passwordExpired(_ id: UUID) async throws -> Bool {
        guard let m = try await UserModel.find(id, on: db), let until = m.passwordExpiresAt else { return false }
        return until < now()
    }

    /// The person's own new password, replacing a one-time code.
    public func setOwnPassword(_ id: UUID, hash: String) async throws {
        let at = now()
        try await db.writeTransaction { tx in
            guard let m = try await UserModel.find(id, on: tx) else { throw DomainError.notFound(Noun.user) }
            m.passwordHash = hash
            m.mustChangePassword = false
            m.passwordExpiresAt = nil
            try await m.update(on: tx)
            try await AuditLog(db: tx).record(Actor(userID: id, name: m.displayName), .update, entity: "user", id: id, community: nil,
                                              after: ["password": "changed by its owner"], at: at)
        }
    }

    /// Inserts many accounts sharing one password hash (the demo): one transaction, no audit noise.
    public func createMany(_ accounts: [UserAccount], passwordHash: String) async throws {
        let at = now()
        try await db.writeTransaction { tx in
            for chunk in accounts.chunked(into: 200) {
                try await chunk.map { UserModel($0, passwordHash: passwordHash, at: at) }.create(on: tx)
                try await chunk.flatMap { a in a.scopes.map { UserScopeModel(userID: a.id, scope: $0) } }.create(on: tx)
            }
        }
    }

    public func setLanguage(_ language: Language, for userID: UUID) async throws {
        guard let m = try await UserModel.find(userID, on: db) else { return }
        m.language = language.rawValue
        try await m.update(on: db)
    }

    // MARK: Bearer tokens

    public static let tokenLifetime: TimeInterval = 30 * 24 * 3600

    /// A new random token; only its hash is kept. The caller sees the token once.
    public func issueToken(for userID: UUID) async throws -> (token: String, expiresAt: Date) {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let token = "pd_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let at = now(), expires = at.addingTimeInterval(Self.tokenLifetime)
        try await APITokenModel(userID: userID, tokenHash: Self.hash(token), createdAt: at, expiresAt: expires).create(on: db)
        return (token, expires)
    }

    public func revokeToken(_ token: String) async throws {
        try await APITokenModel.query(on: db).filter(\.$tokenHash == Self.hash(token)).delete()
    }

    static func hash(_ token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(token.utf8)))
    }
}
