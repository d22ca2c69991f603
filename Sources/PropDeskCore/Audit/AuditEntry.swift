import Foundation

/// One change or one reveal of personal data (SEC-3, SEC-4): who, when, what, before and after.
/// Entries are only ever appended.
public struct AuditEntry: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable {
        case create, update, delete, reveal, importBatch = "import", export, signIn = "sign_in"
    }

    public var id: UUID
    public var communityID: UUID?
    public var actorID: UUID?
    public var actorName: String
    public var at: Date
    public var entity: String
    public var entityID: UUID?
    public var action: Action
    /// JSON of the record before and after, with personal data masked.
    public var before: String?
    public var after: String?

    public init(id: UUID = UUID(), communityID: UUID?, actorID: UUID?, actorName: String, at: Date, entity: String,
                entityID: UUID?, action: Action, before: String? = nil, after: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.actorID = actorID
        self.actorName = actorName
        self.at = at
        self.entity = entity
        self.entityID = entityID
        self.action = action
        self.before = before
        self.after = after
    }

    /// Canonical JSON (sorted keys, ISO-8601 dates) so before/after compare line by line.
    public static func snapshot<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}

/// Who is acting, for the audit trail: a signed-in user, or a command run at the console.
public struct Actor: Sendable, Equatable {
    public let userID: UUID?
    public let name: String
    public init(userID: UUID?, name: String) {
        self.userID = userID
        self.name = name
    }

    public static func console(_ command: String) -> Actor { Actor(userID: nil, name: "console:\(command)") }
}
