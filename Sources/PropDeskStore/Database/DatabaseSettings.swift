import Foundation
import PropDeskCore

/// Which database PropDesk runs on (RUN-1): an embedded SQLite file unless `DATABASE_URL`
/// names a PostgreSQL server.
public enum DatabaseSettings: Sendable, Equatable {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(url: String)

    /// Reads `DATABASE_URL`; a value that is neither postgres:// nor sqlite:// stops start-up.
    public static func from(databaseURL: String?, dataDirectory: String) throws -> DatabaseSettings {
        guard let raw = databaseURL?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return .sqlite(path: (dataDirectory as NSString).appendingPathComponent("propdesk.sqlite"))
        }
        if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard URL(string: raw)?.host != nil else { throw bad(raw) }
            return .postgres(url: raw)
        }
        if raw == "sqlite::memory:" { return .sqliteInMemory }
        if raw.hasPrefix("sqlite://") { return .sqlite(path: String(raw.dropFirst("sqlite://".count))) }
        throw bad(raw)
    }

    static func bad(_ raw: String) -> DomainError {
        let shown = raw.replacingOccurrences(of: #"//[^@/]*@"#, with: "//***@", options: .regularExpression)
        return DomainError(.invalidInput, code: "bad_database_url",
            Message(zh: "DATABASE_URL 无效:\(shown)(应为 postgres://用户:密码@主机:端口/库名 或 sqlite://路径)",
                    en: "DATABASE_URL is not valid: \(shown) (use postgres://user:password@host:port/db or sqlite://path)"))
    }

    public var isPostgres: Bool { if case .postgres = self { true } else { false } }

    /// For logs: never the password.
    public var redacted: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .sqliteInMemory: "sqlite::memory:"
        case .postgres(let url): url.replacingOccurrences(of: #"//[^@/]*@"#, with: "//***@", options: .regularExpression)
        }
    }
}
