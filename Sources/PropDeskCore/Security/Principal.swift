import Foundation

/// One assignment of an account to a community, optionally narrowed to one area (责任区域).
public struct Scope: Sendable, Hashable, Codable {
    public let communityID: UUID
    /// `nil` means the whole community.
    public let areaID: UUID?

    public init(communityID: UUID, areaID: UUID? = nil) {
        self.communityID = communityID
        self.areaID = areaID
    }
}

/// How much of one community a principal can see.
public enum CommunityReach: Sendable, Equatable {
    case none
    case whole
    /// Only these areas (an area supervisor).
    case areas(Set<UUID>)
}

/// Who is asking: resolved once per request from a session or a bearer token.
public struct Principal: Sendable {
    public let userID: UUID
    public let username: String
    public let displayName: String
    public let role: Role
    public let scopes: [Scope]
    /// For residents: the person record and the units they hold.
    public let personID: UUID?
    public let unitIDs: Set<UUID>
    public let language: Language
    /// Signed in with a one-time code: nothing but setting a new password until that is done.
    public let mustChangePassword: Bool

    public init(userID: UUID, username: String, displayName: String, role: Role, scopes: [Scope],
                personID: UUID? = nil, unitIDs: Set<UUID> = [], language: Language = .zhHans, mustChangePassword: Bool = false) {
        self.mustChangePassword = mustChangePassword
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scopes = scopes
        self.personID = personID
        self.unitIDs = unitIDs
        self.language = language
    }
}

/// The single place that answers "may this principal do that, there?" (SEC-2).
/// Administrators work across the company; everyone else only inside their scopes.
public struct AccessPolicy: Sendable {
    public let principal: Principal

    public init(_ principal: Principal) { self.principal = principal }

    public func has(_ permission: Permission) -> Bool {
        Permission.granted(to: principal.role).contains(permission)
    }

    public func reach(_ communityID: UUID) -> CommunityReach {
        if principal.role == .admin { return .whole }
        let mine = principal.scopes.filter { $0.communityID == communityID }
        if mine.isEmpty { return .none }
        if mine.contains(where: { $0.areaID == nil }) { return .whole }
        return .areas(Set(mine.compactMap(\.areaID)))
    }

    /// Communities this principal may see at all; `nil` means every community (administrators).
    public var visibleCommunityIDs: Set<UUID>? {
        principal.role == .admin ? nil : Set(principal.scopes.map(\.communityID))
    }

    /// Throws `forbidden` when the role lacks the permission, `notFound` when the thing lies
    /// outside the principal's scope — so a stranger cannot even learn that it exists.
    public func require(_ permission: Permission, community communityID: UUID, area areaID: UUID? = nil,
                        thing: Message) throws {
        guard has(permission) else { throw DomainError.forbidden }
        guard canSee(community: communityID, area: areaID) else { throw DomainError.notFound(thing) }
    }

    /// Whether a record of this community (and area, when it has one) is inside the scope.
    /// A supervisor sees a record without an area (community-wide) only if assigned to the
    /// whole community.
    public func canSee(community communityID: UUID, area areaID: UUID?) -> Bool {
        switch reach(communityID) {
        case .none: false
        case .whole: true
        case .areas(let areas): areaID.map(areas.contains) ?? false
        }
    }

    public func requireRole(_ permission: Permission) throws {
        guard has(permission) else { throw DomainError.forbidden }
    }
}
