import Fluent
import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// `propdesk serve [--host] [--port] [--demo]`: migrates, optionally fills the demo, prints how to
/// sign in, then serves (RUN-1, RUN-3).
struct ServeCommandWithSetup: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "host", help: "Address to listen on (default 127.0.0.1, or PROPDESK_HOST)") var host: String?
        @Option(name: "port", help: "Port to listen on (default 8080, or PROPDESK_PORT)") var port: Int?
        @Flag(name: "demo", help: "Fill an empty database with the demo service center first") var demo: Bool
        @Option(name: "demo-days", help: "Days of demo history to play back (default 60)") var demoDays: Int?
        init() {}
    }

    var help: String { "Run PropDesk: migrate, optionally load the demo, and serve the console, portal and API." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let config = app.propdesk.config
        let host = signature.host ?? config.host
        let port = signature.port ?? config.port
        guard (1...65535).contains(port) else { throw AppConfig.Invalid(variable: "--port", value: String(port), expected: "1-65535") }
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        try await app.autoMigrate()
        if signature.demo {
            try await DemoCommand.fillIfEmpty(app, console: context.console, days: signature.demoDays ?? 60)
        }
        context.console.print("PropDesk on \(config.database.redacted)")
        if let file = try await app.store.compaction.size(), FileCompaction.worthCompacting(bytes: file.bytes, free: file.free) {
            context.console.print("\(file.free / 1_000_000) MB of this file are free pages (left by an upgrade): stop the server and run `propdesk compact` to give them back.")
        }
        context.console.print("Open http://\(host):\(port)/ in a browser.")
        let credentials = (config.dataDirectory as NSString).appendingPathComponent("demo-credentials.txt")
        if FileManager.default.fileExists(atPath: credentials) {
            context.console.print("Demo accounts and their password: \(credentials)")
        } else if try await app.store.accounts.accounts(community: nil).isEmpty {
            context.console.print("No accounts yet: create one with `propdesk user create --username admin --role admin --name 管理员`, or run `propdesk serve --demo`.")
        }
        // Clocks, escalations and webhook deliveries run beside the server for as long as the
        // application lives (INT-6, INT-7): owned by its lifecycle and stopped at shutdown, not by
        // this scope — Vapor's serve command returns as soon as the server listens.
        BackgroundWork(app: app, interval: config.sweepInterval).startForApplicationLifetime()
        var input = CommandInput(arguments: ["propdesk", "--hostname", host, "--port", String(port)])
        try await app.servers.asyncCommand.run(using: context, signature: try ServeCommand.Signature(from: &input))
    }
}

/// `propdesk migrate`: brings the schema up to date without asking.
struct MigrateNowCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Apply all pending database migrations." }
    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        context.console.print("Migrations are up to date on \(context.application.propdesk.config.database.redacted).")
    }
}

/// `propdesk demo`: fills an empty database with the demo service center (RUN-3).
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "days", help: "Days of history to play back (default 60)") var days: Int?
        init() {}
    }
    var help: String { "Fill an empty database with a realistic demo: 2 communities, ~2,000 households, staff of every role." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        let empty = try await context.application.store.isEmpty()
        let interrupted = try await context.application.store.setting(Self.loadingKey) == "loading"
        guard empty || interrupted else {
            context.console.print("The database is not empty: the demo is loaded only into an empty one.")
            return
        }
        try await Self.fillIfEmpty(context.application, console: context.console, days: signature.days ?? 60)
    }

    /// The demo on an empty database; a load that was interrupted (the process killed during the
    /// minutes of playback) is recognised by its marker and done again from the start.
    static func fillIfEmpty(_ app: Application, console: any Console, days: Int) async throws {
        if try await app.store.setting(loadingKey) == "loading" {
            console.print("An earlier demo load did not finish: emptying the database and loading the demo again…")
            try await app.autoRevert()
            try await app.autoMigrate()
        }
        guard try await app.store.isEmpty() else { return }
        try await fill(app, console: console, days: days)
    }

    static let loadingKey = "demo"

    static func fill(_ app: Application, console: any Console, days: Int = 60) async throws {
        guard (0...365).contains(days) else { throw AppConfig.Invalid(variable: "--days", value: String(days), expected: "0-365") }
        let demo = DemoData.make()
        let password = Self.randomPassword()
        let hash = try await SignIn.hash(password, on: app)
        // The password is written before the long playback, so it is never lost with an
        // interrupted load; the marker says the load is under way until it has finished.
        try writeCredentials(app, demo: demo, password: password)
        try await app.store.setSetting(loadingKey, "loading")
        let progress = ProgressLine()
        console.print("Loading the demo service center…")
        try await DemoLoader(store: app.store).load(demo, passwordHash: hash, progress: progress.update)
        progress.finish()
        console.print("Playing back \(days) days of requests through the real work-order machine…")
        let history = ProgressLine()
        let orders = try await DemoHistory(store: app.store, days: days, perDay: 5).load(progress: history.update)
        history.finish()
        console.print("Demo history: \(orders) requests over \(days) days, with their timelines, clocks, alerts and return visits.")
        try await app.store.setSetting(loadingKey, "loaded")
        let path = credentialsPath(app)
        console.print("Demo loaded: \(demo.communities.count) communities, \(demo.units.count) units, \(demo.residents.count) residents, \(demo.staff.count) staff.")
        console.print("Sign in as admin, chhy.desk1, chhy.supervisor1, … with the password \(password) (kept in \(path)).")
    }

    static func credentialsPath(_ app: Application) -> String {
        (app.propdesk.config.dataDirectory as NSString).appendingPathComponent("demo-credentials.txt")
    }

    static func writeCredentials(_ app: Application, demo: DemoData, password: String) throws {
        try FileManager.default.createDirectory(atPath: app.propdesk.config.dataDirectory, withIntermediateDirectories: true)
        var text = "PropDesk demo accounts — every account below uses the password: \(password)\n\n"
        for a in demo.staff.map(\.account) + demo.residentAccounts {
            text += "\(a.username.padding(toLength: 24, withPad: " ", startingAt: 0)) \(a.role.title.en) / \(a.role.title.zhHans)  \(a.displayName)\n"
        }
        let path = credentialsPath(app)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw AppConfig.Invalid(variable: "PROPDESK_DATA_DIR", value: app.propdesk.config.dataDirectory, expected: "a writable directory")
        }
    }

    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return (0..<3).map { _ in String((0..<4).map { _ in alphabet.randomElement()! }) }.joined(separator: "-")
    }
}

/// `propdesk user create`: the first administrator, or any account (REG-3). The password is read
/// from PROPDESK_NEW_PASSWORD or asked for without echo — never a flag in shell history.
struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create") var action: String
        @Option(name: "username") var username: String?
        @Option(name: "role", help: "admin, center_head, cs_manager, front_desk, area_supervisor, engineer, finance") var role: String?
        @Option(name: "name", help: "Display name") var name: String?
        @Option(name: "community", help: "Community code (not for admin)") var community: String?
        @Option(name: "area", help: "Area name inside the community (area supervisors)") var area: String?
        @Option(name: "badge", help: "Badge / licence number") var badge: String?
        init() {}
    }
    var help: String { "Manage accounts: `user create --username U --role R --name N [--community CODE] [--area NAME]`." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "create" else { throw AppConfig.Invalid(variable: "action", value: signature.action, expected: "create") }
        let app = context.application
        try await app.autoMigrate()
        guard let username = signature.username, let roleText = signature.role, let role = Role(rawValue: roleText), role != .resident else {
            throw AppConfig.Invalid(variable: "--username/--role", value: signature.role ?? "", expected: "a username and a staff role")
        }
        var scopes: [Scope] = []
        if let code = signature.community {
            guard let c = try await app.store.registry.communities(visible: nil).first(where: { $0.community.code == code.uppercased() }) else {
                throw AppConfig.Invalid(variable: "--community", value: code, expected: "an existing community code")
            }
            var areaID: UUID?
            if let areaName = signature.area {
                guard let a = try await app.store.registry.areas(community: c.community.id).first(where: { $0.name == areaName }) else {
                    throw AppConfig.Invalid(variable: "--area", value: areaName, expected: "an area of \(code)")
                }
                areaID = a.id
            }
            scopes = [Scope(communityID: c.community.id, areaID: areaID)]
        }
        let password: String
        if let env = ProcessInfo.processInfo.environment["PROPDESK_NEW_PASSWORD"], !env.isEmpty {
            password = env
        } else {
            password = context.console.ask("Password for \(username) (at least 10 characters):", isSecure: true)
        }
        _ = try Validate.password(password)
        let account = UserAccount(username: username, displayName: signature.name ?? username, role: role, scopes: scopes, badgeNumber: signature.badge)
        let created = try await app.store.accounts.create(account, passwordHash: try await SignIn.hash(password, on: app), by: .console("user create"))
        context.console.print("Created \(created.role.rawValue) \(created.username).")
    }
}

/// `propdesk import FILE --community CODE [--dry-run] [--encoding gbk]` (REG-4, RUN-6).
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "community", help: "Community code") var community: String?
        @Option(name: "encoding", help: "utf-8 or gbk (default: detected)") var encoding: String?
        @Flag(name: "dry-run", help: "Check and report what would change; write nothing") var dryRun: Bool
        init() {}
    }
    var help: String { "Import buildings, units and residents from CSV (UTF-8 or GBK) or an .xlsx workbook, all or nothing." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let community = try await CommunityArgument.resolve(signature.community, app)
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw AppConfig.Invalid(variable: "file", value: signature.file, expected: "a readable file")
        }
        let bytes = [UInt8](data)
        let encoding = try signature.encoding.map(EncodingArgument.parse)
        do {
            let plan = try RegistryImport.plan(rows: try ImportFile.rows(bytes, encoding: encoding))
            let progress = ProgressLine()
            let report = try await app.store.importer.apply(plan, community: community, dryRun: signature.dryRun, by: .console("import"), progress: { progress.update("rows", $0, $1) })
            progress.finish()
            context.console.print((signature.dryRun ? "Dry run — nothing written. Would have: " : "Imported: ") + ReportText.describe(report))
        } catch let e as DomainError {
            context.console.error(e.message.en)
            for d in e.details.prefix(200) { context.console.error("  line \(d.line.map(String.init) ?? "-")\(d.field.map { " [\($0)]" } ?? ""): \(d.message.en)") }
            throw ExitError()
        }
    }
}

/// `propdesk export FILE --community CODE [--encoding gbk] [--with-id-numbers]` (REG-4).
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "community") var community: String?
        @Option(name: "encoding", help: "utf-8 (default) or gbk") var encoding: String?
        @Flag(name: "with-id-numbers", help: "Write ID numbers in clear (recorded in the audit trail)") var withIDNumbers: Bool
        init() {}
    }
    var help: String { "Export a community's registry as CSV in the import format." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let community = try await CommunityArgument.resolve(signature.community, app)
        let encoding = try signature.encoding.map(EncodingArgument.parse) ?? .utf8
        let text = try await RegistryCSV.export(app.store, community: community, revealIDNumbers: signature.withIDNumbers, revealPhones: true, language: .zhHans, by: .console("export"))
        let rows = text.unicodeScalars.filter { $0 == "\n" }.count - 1
        let bytes = try encoding.encode(text)
        guard FileManager.default.createFile(atPath: signature.file, contents: Data(bytes)) else {
            throw AppConfig.Invalid(variable: "file", value: signature.file, expected: "a writable path")
        }
        context.console.print("Wrote \(rows) rows to \(signature.file) (\(encoding.rawValue)).")
    }
}

/// `propdesk backup FILE` and `propdesk restore FILE` (SEC-6).
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature { @Argument(name: "file") var file: String; init() {} }
    var help: String { "Write the whole database to one file (JSON lines, restorable into SQLite or PostgreSQL)." }
    func run(using context: CommandContext, signature: Signature) async throws {
        let progress = ProgressLine()
        let counts = try await context.application.store.backup.write(to: signature.file, at: Date(), progress: progress.update)
        progress.finish()
        context.console.print("Backup written to \(signature.file): \(counts.values.reduce(0, +)) rows in \(counts.count) tables.")
    }
}

struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature { @Argument(name: "file") var file: String; init() {} }
    var help: String { "Restore a backup into an empty database and verify every table's row count." }
    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let progress = ProgressLine()
        let counts = try await app.store.backup.restore(from: signature.file, progress: progress.update)
        progress.finish()
        context.console.print("Restored and verified: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}

/// `propdesk verify`: walks every hash-chained timeline (PLT-3) and names the first entry of
/// each chain that was changed or removed behind PropDesk's back. Exits non-zero when one is.
struct VerifyCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Check that no record kept tamper-evident was changed or removed (PLT-3)." }

    struct Broken: Error, CustomStringConvertible {
        let count: Int
        var description: String { "\(count) timeline(s) broken" }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let progress = ProgressLine()
        let total = try await context.application.store.timelines.count()
        let result = try await context.application.store.timelines.verify(progress: { progress.update("entries", $0, total) })
        progress.finish()
        for f in result.findings {
            let e = f.entry
            context.console.print("BROKEN \(e.subjectKind.rawValue) \(e.subjectID.uuidString) entry \(e.seq) (id \(e.id.uuidString), \(e.kind), \(ISO8601DateFormatter().string(from: e.at))): \(f.problem.title.en) / \(f.problem.title.zhHans)")
        }
        context.console.print("Checked \(result.entries) entries in \(result.subjects) timelines: " + (result.findings.isEmpty ? "all intact." : "\(result.findings.count) broken."))
        if !result.findings.isEmpty { throw Broken(count: result.findings.count) }
    }
}

/// `propdesk compact`: a SQLite file written anew without its free pages (after an upgrade whose
/// migration copied a large table). The server must be stopped.
struct CompactCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Return a SQLite file's free pages to the disk (after an upgrade); run it with the server stopped." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        guard let r = try await context.application.store.compaction.compact() else {
            context.console.print("PostgreSQL reclaims free space itself (autovacuum): nothing to do.")
            return
        }
        func mb(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        context.console.print("\(context.application.propdesk.config.database.redacted): \(mb(r.before)) → \(mb(r.after)) (\(mb(r.freeBefore)) were free pages).")
    }
}

enum EncodingArgument {
    static func parse(_ name: String) throws -> TextEncoding {
        guard let e = TextEncoding(name: name) else { throw AppConfig.Invalid(variable: "--encoding", value: name, expected: "utf-8 or gbk") }
        return e
    }
}

/// A command that has already told the user what went wrong.
struct ExitError: Error, CustomStringConvertible { var description: String { "failed" } }

/// What the console shows for an error that ends a command; `nil` when it was already shown.
public func consoleMessage(for error: any Error) -> String? {
    switch error {
    case is ExitError: nil
    case let e as DomainError: e.message.en + (e.details.isEmpty ? "" : "\n" + e.details.map { "  \($0.line.map { "line \($0): " } ?? "")\($0.message.en)" }.joined(separator: "\n"))
    default: String(describing: error)
    }
}

enum CommunityArgument {
    static func resolve(_ code: String?, _ app: Application) async throws -> UUID {
        guard let code, let c = try await app.store.registry.communities(visible: nil).first(where: { $0.community.code == code.uppercased() }) else {
            throw AppConfig.Invalid(variable: "--community", value: code ?? "", expected: "an existing community code")
        }
        return c.community.id
    }
}

enum ReportText {
    static func describe(_ r: RegistryImportReport) -> String {
        "\(r.areasCreated) areas, \(r.buildingsCreated) buildings, \(r.unitsCreated) units created, \(r.unitsUpdated) updated, \(r.unitsUnchanged) unchanged; \(r.peopleCreated) people and \(r.linksCreated) unit links created (\(r.linksUnchanged) already there)."
    }
}

extension Application {
    /// The commands of the `propdesk` executable.
    public func registerPropDeskCommands() {
        asyncCommands.use(ServeCommandWithSetup(), as: "serve", isDefault: true)
        asyncCommands.use(MigrateNowCommand(), as: "migrate")
        asyncCommands.use(DemoCommand(), as: "demo")
        asyncCommands.use(UserCommand(), as: "user")
        asyncCommands.use(ImportCommand(), as: "import")
        asyncCommands.use(ExportCommand(), as: "export")
        asyncCommands.use(BackupCommand(), as: "backup")
        asyncCommands.use(RestoreCommand(), as: "restore")
        asyncCommands.use(VerifyCommand(), as: "verify")
        asyncCommands.use(CompactCommand(), as: "compact")
        asyncCommands.use(GenerateCommand(), as: "generate")
        asyncCommands.use(BenchCommand(), as: "bench")
    }
}
