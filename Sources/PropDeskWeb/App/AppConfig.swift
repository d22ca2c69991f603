import Foundation
import PropDeskCore
import PropDeskStore

/// Everything PropDesk reads from its environment (README, "Configuration"). A bad value stops
/// start-up with a message that names the variable.
public struct AppConfig: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var dataDirectory: String = "data"
    public var database: DatabaseSettings = .sqlite(path: "data/propdesk.sqlite")
    /// Base64 of 32 bytes; when absent, read from or generated into `<data>/secret.key`.
    public var dataKeyBase64: String?
    public var bcryptCost: Int = 12
    /// Secure cookies when served over HTTPS behind a proxy.
    public var secureCookies: Bool = false
    /// Where alerts are also POSTed (the center's SMS / WeChat gateway), and the HMAC-SHA256 key.
    public var webhookURL: URL?
    public var webhookSecret: String?
    /// How often the background service looks for due clocks, in seconds.
    public var sweepInterval: Double = 5
    /// Addresses of reverse proxies whose X-Forwarded-Proto / X-Forwarded-Host are believed.
    public var trustedProxies: Set<String> = []
    /// The bearer token Prometheus must send for /metrics; without one /metrics is off.
    public var metricsToken: String?

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public let variable: String
        public let value: String
        public let expected: String
        public var description: String { "\(variable)=\(value) is not valid: expected \(expected)" }
    }

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var c = AppConfig()
        if let v = env["PROPDESK_HOST"], !v.isEmpty { c.host = v }
        if let v = env["PROPDESK_PORT"], !v.isEmpty {
            guard let p = Int(v), (1...65535).contains(p) else { throw Invalid(variable: "PROPDESK_PORT", value: v, expected: "a port number 1-65535") }
            c.port = p
        }
        if let v = env["PROPDESK_DATA_DIR"], !v.isEmpty { c.dataDirectory = v }
        do {
            c.database = try DatabaseSettings.from(databaseURL: env["DATABASE_URL"], dataDirectory: c.dataDirectory)
        } catch let e as DomainError {
            throw Invalid(variable: "DATABASE_URL", value: "…", expected: e.message.en)
        }
        if let v = env["PROPDESK_DATA_KEY"], !v.isEmpty {
            guard let d = Data(base64Encoded: v), d.count == 32 else {
                throw Invalid(variable: "PROPDESK_DATA_KEY", value: "(hidden)", expected: "base64 of 32 random bytes (openssl rand -base64 32)")
            }
            c.dataKeyBase64 = v
        }
        if let v = env["PROPDESK_BCRYPT_COST"], !v.isEmpty {
            guard let n = Int(v), (4...31).contains(n) else { throw Invalid(variable: "PROPDESK_BCRYPT_COST", value: v, expected: "an integer 4-31") }
            c.bcryptCost = n
        }
        if let v = env["PROPDESK_SECURE_COOKIES"], !v.isEmpty {
            guard let b = ["1": true, "true": true, "0": false, "false": false][v.lowercased()] else {
                throw Invalid(variable: "PROPDESK_SECURE_COOKIES", value: v, expected: "true or false")
            }
            c.secureCookies = b
        }
        if let v = env["PROPDESK_WEBHOOK_URL"], !v.isEmpty {
            guard let u = URL(string: v), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
                throw Invalid(variable: "PROPDESK_WEBHOOK_URL", value: v, expected: "an http(s) URL")
            }
            guard let secret = env["PROPDESK_WEBHOOK_SECRET"], secret.count >= 16 else {
                throw Invalid(variable: "PROPDESK_WEBHOOK_SECRET", value: "(hidden)", expected: "a shared secret of at least 16 characters when PROPDESK_WEBHOOK_URL is set")
            }
            c.webhookURL = u
            c.webhookSecret = secret
        }
        if let v = env["PROPDESK_SWEEP_SECONDS"], !v.isEmpty {
            guard let d = Double(v), d >= 0.2, d <= 300 else { throw Invalid(variable: "PROPDESK_SWEEP_SECONDS", value: v, expected: "seconds between 0.2 and 300") }
            c.sweepInterval = d
        }
        if let v = env["PROPDESK_TRUSTED_PROXIES"], !v.isEmpty {
            let list = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard list.allSatisfy({ $0.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" } }) else {
                throw Invalid(variable: "PROPDESK_TRUSTED_PROXIES", value: v, expected: "comma-separated IP addresses, e.g. 127.0.0.1")
            }
            c.trustedProxies = Set(list)
        }
        if let v = env["PROPDESK_METRICS_TOKEN"], !v.isEmpty {
            guard v.count >= 16 else { throw Invalid(variable: "PROPDESK_METRICS_TOKEN", value: "(hidden)", expected: "a token of at least 16 characters") }
            c.metricsToken = v
        }
        return c
    }

    /// The data key: configured, or kept in the data directory (created 0600 on first start).
    public func loadCipher() throws -> FieldCipher {
        if let b64 = dataKeyBase64, let d = Data(base64Encoded: b64) { return try FieldCipher(keyBytes: Array(d)) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let path = (dataDirectory as NSString).appendingPathComponent("secret.key")
        if !fm.fileExists(atPath: path) {
            let key = FieldCipher.newKeyBase64()
            guard fm.createFile(atPath: path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw Invalid(variable: "PROPDESK_DATA_DIR", value: dataDirectory, expected: "a writable directory")
            }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let d = Data(base64Encoded: text) else {
            throw Invalid(variable: "PROPDESK_DATA_DIR", value: path, expected: "secret.key holding base64 of 32 bytes")
        }
        return try FieldCipher(keyBytes: Array(d))
    }
}
