import Fluent
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import Vapor

/// `propdesk generate`: a large property company's data for benchmarks (RUN-6), by default
/// 100 communities, 100,000 units, 300,000 people and 1,000,000 work orders over three years.
/// `--more N` adds N orders to data generated before with the same flags.
struct GenerateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "communities", help: "Communities (default 100)") var communities: Int?
        @Option(name: "units", help: "Units in all (default 100000)") var units: Int?
        @Option(name: "people", help: "Residents in all (default 300000)") var people: Int?
        @Option(name: "orders", help: "Work orders in all (default 1000000)") var orders: Int?
        @Option(name: "years", help: "Years of history (default 3)") var years: Int?
        @Option(name: "due", help: "Clocks due for the sweeper when done (default 1000)") var due: Int?
        @Option(name: "seed", help: "Same seed, same data (default 20261124)") var seed: Int?
        @Option(name: "more", help: "Add this many orders to data generated before with the same flags") var more: Int?
        @Option(name: "fee-months", help: "Months of bills and payments (default 12; 0 = none)") var feeMonths: Int?
        init() {}
    }

    var help: String { "Generate benchmark data at scale into an empty database (or add orders with --more)." }

    func size(_ s: Signature) -> ScaleGenerator.Size {
        var size = ScaleGenerator.Size()
        if let v = s.communities { size.communities = v }
        if let v = s.units { size.units = v }
        if let v = s.people { size.people = v }
        if let v = s.orders { size.orders = v }
        if let v = s.years { size.years = v }
        if let v = s.due { size.dueClocks = v }
        if let v = s.seed { size.seed = UInt64(truncatingIfNeeded: v) }
        if let v = s.feeMonths { size.feeMonths = v }
        return size
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        // Generated data can be generated again: no fsync per community, and a big cache for the
        // random-order inserts into the UUID indexes. Only this process; the server is unaffected.
        try await app.sqlitePragmas(["PRAGMA synchronous = OFF", "PRAGMA cache_size = -524288"])
        let size = size(signature)
        let progress = ProgressLine()
        let started = Date()
        let report: ScaleGenerator.Report
        if let more = signature.more {
            context.console.print("Adding \(more) orders to the generated data on \(app.propdesk.config.database.redacted)…")
            report = try await app.store.generator.addOrders(size, orders: more, progress: progress.update)
        } else {
            let password = ProcessInfo.processInfo.environment["PROPDESK_NEW_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 } ?? DemoCommand.randomPassword()
            let hash = try await SignIn.hash(password, on: app)
            context.console.print("Generating \(size.communities) communities, \(size.units) units, \(size.people) people, \(size.orders) orders over \(size.years) years on \(app.propdesk.config.database.redacted)…")
            report = try await app.store.generator.generate(size, passwordHash: hash, progress: progress.update)
            let dir = app.propdesk.config.dataDirectory
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = (dir as NSString).appendingPathComponent("generated-credentials.txt")
            let text = "Generated accounts (c001 … c\(String(format: "%03d", size.communities))): admin, c001.head, c001.manager, c001.desk1, c001.supervisor1, c001.engineer1, …\npassword: \(password)\n"
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            context.console.print("Accounts: admin, c001.manager, c001.desk1, … — password in \(path)")
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        context.console.print(String(format: "Wrote %d communities, %d units, %d people, %d accounts, %d orders, %d timeline events, %d clocks, %d alerts, %d bills, %d receipts in %.1f s (%.0f orders/s).",
                                     report.communities, report.units, report.people, report.accounts, report.orders, report.events, report.clocks,
                                     report.alerts, report.bills, report.receipts, seconds, Double(report.orders) / max(seconds, 0.001)))
    }
}

/// `propdesk bench sweep`: the SLA sweeper on the data as it is (P4 in docs/PERFORMANCE.md).
/// Times the sweeper's query for due clocks (the first batch of 200, read only, several runs), then one real sweep that
/// fires every due clock — alerts, timeline, live events — and prints one JSON line.
struct BenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "sweep | fees | ceiling") var what: String
        @Option(name: "commits", help: "Intakes' rows committed one at a time by `bench ceiling` (default 2000)") var commits: Int?
        @Option(name: "runs", help: "Runs of the read-only query (default 15)") var runs: Int?
        @Option(name: "batch", help: "Clocks per sweep round, each round one transaction (default 200, as the server; 1 = a transaction per clock)") var batch: Int?
        init() {}
    }

    var help: String { "Benchmarks that run inside the process: `bench sweep` (the SLA sweeper), `bench fees` (billing runs, arrears lists), `bench ceiling` (intake's rows, one commit at a time: the durable limit). The HTTP ones are in scripts/bench." }

    func run(using context: CommandContext, signature: Signature) async throws {
        if signature.what == "fees" { return try await fees(context, runs: max(1, signature.runs ?? 15)) }
        if signature.what == "ceiling" {
            // The limit of durable intake: one intake's rows per commit, one commit at a time.
            let r = try await IntakeCeiling(db: context.application.db).run(commits: min(100_000, max(1, signature.commits ?? 2000)))
            let data = try JSONSerialization.data(withJSONObject: ["commits": r.commits, "seconds": r.seconds, "per_second": r.perSecond], options: [.sortedKeys])
            return context.console.print(String(decoding: data, as: UTF8.self))
        }
        guard signature.what == "sweep" else { throw AppConfig.Invalid(variable: "what", value: signature.what, expected: "sweep | fees | ceiling") }
        let app = context.application
        let store = app.store
        let runs = max(1, signature.runs ?? 15)
        let orders = try await WorkOrderCount.all(on: app.db)
        var findMs: [Double] = []
        var due = 0
        for _ in 0..<runs {
            let t = ContinuousClock.now
            due = try await store.clocks.dueClocks(limit: 200).count
            findMs.append(Self.ms(ContinuousClock.now - t))
        }
        let t = ContinuousClock.now
        var total = SweepReport()
        var rounds = 0
        let batch = max(1, signature.batch ?? 200)
        repeat {
            let r = try await store.clocks.sweep(limit: batch)
            total.add(r)
            rounds += 1
            if r.fired + r.skipped < batch { break }
        } while true
        let sweepMs = Self.ms(ContinuousClock.now - t)
        findMs.sort()
        let json: [String: Any] = [
            "orders": orders, "due_in_first_batch": due, "find_ms_median": findMs[findMs.count / 2], "find_ms_min": findMs[0],
            "fired": total.fired, "alerts": total.alerts, "sweep_ms": sweepMs, "rounds": rounds, "batch": batch,
            "per_clock_ms": total.fired == 0 ? 0 : sweepMs / Double(total.fired),
        ]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        context.console.print(String(decoding: data, as: UTF8.self))
    }

    /// FEE-1 and FEE-3 at scale: next month's billing run for every community (all units, the
    /// real `runBilling`), then the same runs again (they must create nothing), then the arrears
    /// list of areas (`FeeStore.arrears`, as the API answers it) `runs` times per area for up to
    /// 50 areas: one JSON line with the totals, the slowest single run and the list's p50/p95.
    func fees(_ context: CommandContext, runs: Int) async throws {
        let app = context.application
        let store = app.store
        let sql = app.db as! any SQLDatabase
        let communities = try await sql.raw("SELECT id, time_zone FROM communities ORDER BY code").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "time_zone", as: String.self)) }
        let units = try await sql.raw("SELECT COUNT(*) AS n FROM units").first()?.decode(column: "n", as: Int.self) ?? 0
        let bills = try await sql.raw("SELECT COUNT(*) AS n FROM bills").first()?.decode(column: "n", as: Int.self) ?? 0
        let who = Actor.console("bench")
        var created = 0, again = 0
        var slowest = 0.0
        var t = ContinuousClock.now
        for (cid, tz) in communities {
            let month = FeeMonth.adding(1, to: String(WorkingDays(ServiceHours(timeZone: tz)).dayKey(store.now()).prefix(7)))
            let one = ContinuousClock.now
            created += try await store.fees.runBilling(community: cid, period: month, by: who).billsCreated
            slowest = max(slowest, Self.ms(ContinuousClock.now - one))
        }
        let billingMs = Self.ms(ContinuousClock.now - t)
        t = ContinuousClock.now
        for (cid, tz) in communities {
            let month = FeeMonth.adding(1, to: String(WorkingDays(ServiceHours(timeZone: tz)).dayKey(store.now()).prefix(7)))
            again += try await store.fees.runBilling(community: cid, period: month, by: who).billsCreated
        }
        let againMs = Self.ms(ContinuousClock.now - t)
        let areas = try await sql.raw("SELECT id, community_id FROM areas ORDER BY id LIMIT 50").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "community_id", as: UUID.self)) }
        var listMs: [Double] = []
        var listed = 0
        for _ in 0..<runs {
            for (area, cid) in areas {
                let one = ContinuousClock.now
                listed = try await store.fees.arrears(community: cid, area: area).count
                listMs.append(Self.ms(ContinuousClock.now - one))
            }
        }
        listMs.sort()
        let p = { (q: Double) in listMs.isEmpty ? 0 : listMs[min(listMs.count - 1, Int(Double(listMs.count) * q))] }
        let json: [String: Any] = [
            "units": units, "bills_before": bills, "communities": communities.count, "billing_ms": billingMs, "billing_slowest_community_ms": slowest,
            "bills_created": created, "second_run_created": again, "second_run_ms": againMs, "arrears_lists": listMs.count,
            "arrears_p50_ms": p(0.5), "arrears_p95_ms": p(0.95), "arrears_units_last": listed,
        ]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        context.console.print(String(decoding: data, as: UTF8.self))
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}

enum WorkOrderCount {
    static func all(on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM work_orders").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
