import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Metrics
import OpenAPIRuntime
import OpenAPIVapor
import Prometheus
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import SQLKit
import Vapor

/// What the app keeps between requests.
public final class PropDeskServices: Sendable {
    public let config: AppConfig
    public let cipher: FieldCipher
    public let now: @Sendable () -> Date
    /// A hash of a random password at the configured cost: checked when a username is unknown,
    /// so that a wrong name costs exactly what a wrong password costs (SEC-1).
    let decoyHash: String

    init(config: AppConfig, cipher: FieldCipher, now: @escaping @Sendable () -> Date) throws {
        self.config = config
        self.cipher = cipher
        self.now = now
        self.decoyHash = try Bcrypt.hash(UUID().uuidString, cost: config.bcryptCost)
    }

    public func store(on db: any Database) -> Store { Store(db: db, cipher: cipher, now: now, webhookEnabled: config.webhookURL != nil) }
}

struct ServicesKey: StorageKey { typealias Value = PropDeskServices }

extension Application {
    /// Runs per-connection PRAGMAs on every SQLite connection: the pool holds one connection per
    /// event loop, so one statement on each loop reaches them all. Nothing on PostgreSQL.
    func sqlitePragmas(_ statements: [String]) async throws {
        guard case .sqlite = propdesk.config.database else { return }
        for loop in eventLoopGroup.makeIterator() {
            guard let db = databases.database(logger: logger, on: loop) as? any SQLDatabase else { continue }
            for statement in statements { try await db.raw(SQLQueryString(statement)).run() }
        }
    }
}

extension Application {
    public var propdesk: PropDeskServices {
        guard let s = storage[ServicesKey.self] else { fatalError("configure(_:) has not run") }
        return s
    }

    public var store: Store { propdesk.store(on: db) }
}

/// Builds the whole app from its configuration: database, migrations, sessions, middleware,
/// the JSON API, the pages and the operational routes. Tests call this with another database.
public func configure(_ app: Application, _ config: AppConfig, now: @escaping @Sendable () -> Date = { Date() }) async throws {
    let cipher = try config.loadCipher()
    app.storage[ServicesKey.self] = try PropDeskServices(config: config, cipher: cipher, now: now)
    app.storage[LiveHubKey.self] = LiveHub(app: app)

    switch config.database {
    case .sqlite(let path):
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
    }
    if case .sqlite = config.database, let sql = app.db as? any SQLDatabase {
        // Write-ahead logging: readers never wait for the writer, and a crash loses nothing committed.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        // A 64 MB page cache per connection instead of SQLite's 2 MB: at a million orders the
        // indexes' upper pages then stay in memory (docs/PERFORMANCE.md).
        // A write outside the write queue (a session saved, a token issued) waits up to 5 s for
        // the lock instead of failing at once with "database is locked".
        // Statement journals (a multi-row insert inside a transaction keeps one, to undo itself
        // alone) and temporary sort tables live in memory, not in files under /tmp: at a million
        // orders a sweep of 200 clocks wrote a tenth of its time into them (issue 19, P4).
        try await app.sqlitePragmas(["PRAGMA cache_size = -65536", "PRAGMA busy_timeout = 5000", "PRAGMA temp_store = MEMORY"])
    }
    for m in PropDeskMigrations.all { app.migrations.add(m) }
    app.migrations.add(SessionRecord.migration)

    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "propdesk-session"
    let secure = config.secureCookies
    app.sessions.configuration.cookieFactory = { id in
        .init(string: id.string, expires: Date().addingTimeInterval(12 * 3600), maxAge: 12 * 3600, path: "/",
              isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
    app.routes.defaultMaxBodySize = "32mb"
    // The webhook gateway may be slow or down: never hold a delivery longer than this.
    app.http.client.configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))

    // Outermost first. The body limit comes before anything reads a body; the security headers
    // wrap the sessions so they can mark the session cookie Secure; the form check needs the principal.
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(LocalizedErrorMiddleware())
    app.middleware.use(BodyLimitMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(PrincipalMiddleware())
    app.middleware.use(FormProtectionMiddleware())
    app.middleware.use(RequestContextMiddleware())

    try OperationalRoutes.register(app)
    try Pages.register(app)
    let transport = VaporTransport(routesBuilder: app.grouped(APIAuthGate(), JSONNullGuard()))
    // Compact JSON: the runtime's default pretty-prints every answer, which made a list of 20
    // orders half as large again (51 KB) for nobody to read (issue 19, P3). Keys stay sorted, so
    // the same data is always the same bytes.
    try APIHandler().registerHandlers(on: transport, serverURL: URL(string: "/api/v1")!,
                                      configuration: .init(dateTranscoder: LenientDates(), jsonEncodingOptions: [.sortedKeys]))
}

/// RFC 3339 dates read with or without fractional seconds (a browser's `toISOString()` sends
/// them) and written without, as the contract's examples show.
struct LenientDates: DateTranscoder {
    static let whole = ISO8601DateTranscoder.iso8601
    static let fractional = ISO8601DateTranscoder.iso8601WithFractionalSeconds

    func encode(_ date: Date) throws -> String { try RFC3339.utc(date) ?? Self.whole.encode(date) }

    func decode(_ text: String) throws -> Date {
        if let date = try? Self.whole.decode(text) { return date }
        return try Self.fractional.decode(text)
    }
}
