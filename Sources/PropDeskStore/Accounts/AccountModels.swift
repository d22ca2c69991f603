import Fluent
import Foundation
import PropDeskCore

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: String
    @OptionalField(key: "badge_number") var badgeNumber: String?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "language") var language: String
    @Field(key: "active") var active: Bool
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "failed_sign_ins") var failedSignIns: Int
    @OptionalField(key: "first_failure_at") var firstFailureAt: Date?
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @OptionalField(key: "password_expires_at") var passwordExpiresAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    init(_ u: UserAccount, passwordHash: String, at: Date) {
        id = u.id; username = u.username; displayName = u.displayName; role = u.role.rawValue; badgeNumber = u.badgeNumber
        phone = u.phone; personID = u.personID; language = u.language.rawValue; active = u.active
        self.passwordHash = passwordHash; failedSignIns = 0; createdAt = at; mustChangePassword = false
    }

    func domain(scopes: [Scope]) -> UserAccount {
        UserAccount(id: id!, username: username, displayName: displayName, role: Role(rawValue: role) ?? .resident, scopes: scopes,
                    badgeNumber: badgeNumber, phone: phone, personID: personID, language: Language(code: language) ?? .zhHans, active: active)
    }
}

final class UserScopeModel: Model, @unchecked Sendable {
    static let schema = "user_scopes"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    init() {}
    init(userID: UUID, scope: Scope) { id = UUID(); self.userID = userID; communityID = scope.communityID; areaID = scope.areaID }
    var domain: Scope { Scope(communityID: communityID, areaID: areaID) }
}

/// A bearer token for API clients; only its SHA-256 is stored.
final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
    init(userID: UUID, tokenHash: String, createdAt: Date, expiresAt: Date) {
        id = UUID(); self.userID = userID; self.tokenHash = tokenHash; self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

final class AuditEntryModel: Model, @unchecked Sendable {
    static let schema = "audit_entries"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "community_id") var communityID: UUID?
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "at") var at: Date
    @Field(key: "entity") var entity: String
    @OptionalField(key: "entity_id") var entityID: UUID?
    @Field(key: "action") var action: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    init() {}
    init(_ e: AuditEntry) {
        id = e.id; communityID = e.communityID ?? Distribution.installation; actorID = e.actorID; actorName = e.actorName; at = e.at; entity = e.entity
        entityID = e.entityID; action = e.action.rawValue; before = e.before; after = e.after
    }
    var domain: AuditEntry {
        AuditEntry(id: id!, communityID: communityID == Distribution.installation ? nil : communityID, actorID: actorID, actorName: actorName, at: at, entity: entity,
                   entityID: entityID, action: AuditEntry.Action(rawValue: action) ?? .update, before: before, after: after)
    }
}
