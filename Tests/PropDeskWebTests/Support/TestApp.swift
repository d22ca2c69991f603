import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// Builds the real app on a real database: SQLite by default, PostgreSQL when DATABASE_URL is set
/// (the first test of the process drops and migrates its public schema; every later one empties
/// its tables, which gives the same fresh database much faster).
///
/// On SQLite every test gets its own file, configured as `propdesk serve` configures one (WAL, one
/// writer connection, the same pragmas), copied from a file this process migrated once and kept in
/// memory-backed storage (`/dev/shm`). Migrating each test's database took 0.6 s of every test, and
/// SQLite's "in memory" database is a file under /tmp that is synced on every commit (sqlite-kit
/// fakes it so that a pool can share it) and never removed.
enum TestApp {
    /// The PostgreSQL databases (by URL) this process has migrated from scratch.
    final class Migrated: @unchecked Sendable {
        private let lock = NSLock()
        private var urls: Set<String> = []
        func contains(_ url: String) -> Bool { lock.withLock { urls.contains(url) } }
        func insert(_ url: String) { _ = lock.withLock { urls.insert(url) } }
    }
    static let migrated = Migrated()

    static let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()

    /// `reset: false` joins the database another test app already set up (a second process).
    /// `statements` logs every statement the app sends: its logger is in place before any
    /// connection is opened (a connection keeps the logger it was opened with).
    static func make(now: @escaping @Sendable () -> Date = { Date() }, reset: Bool = true, statements: StatementLog? = nil,
                     adjust: (inout AppConfig) -> Void = { _ in }) async throws -> Application {
        let app = try await Application.make(.testing)
        if let statements { app.logger = statements.logger }
        var config = AppConfig()
        config.bcryptCost = 4
        config.dataKeyBase64 = key
        // One directory per test process: the SQLite and PostgreSQL passes run side by side.
        config.dataDirectory = NSTemporaryDirectory() + "propdesk-tests-\(ProcessInfo.processInfo.processIdentifier)"
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            config.database = .postgres(url: url)
        } else {
            config.database = .sqliteInMemory
        }
        adjust(&config)
        var copied: String?
        if reset, case .sqliteInMemory = config.database {
            do {
                let path = try await SQLiteTemplate.copy()
                config.database = .sqlite(path: path)
                copied = path
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
        if let copied { app.lifecycle.use(SQLiteTemplate.Removal(path: copied)) }
        do {
            try await configure(app, config, now: now)
            if config.database.isPostgres && reset {
                let sql = app.db as! any SQLDatabase
                if case .postgres(let url) = config.database, migrated.contains(url) {
                    // The schema this process migrated is still there: emptying its tables is the
                    // same fresh database for a fraction of the cost of migrating again.
                    let tables = try await sql.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_fluent_migrations'")
                        .all().map { try $0.decode(column: "tablename", as: String.self) }
                    try await sql.raw(SQLQueryString("TRUNCATE " + tables.map { "\"\($0)\"" }.joined(separator: ", ") + " RESTART IDENTITY CASCADE")).run()
                } else {
                    try await sql.raw("DROP SCHEMA public CASCADE").run()
                    try await sql.raw("CREATE SCHEMA public").run()
                }
            }
            try await app.autoMigrate()
            if reset, case .postgres(let url) = config.database { migrated.insert(url) }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }
}

/// The migrated SQLite file each test's database is copied from: made once per test process, in
/// a directory of its own that the process removes as it exits.
enum SQLiteTemplate {
    static let directory: String = {
        let shm = "/dev/shm"
        let base = FileManager.default.isWritableFile(atPath: shm) ? shm : NSTemporaryDirectory()
        return (base as NSString).appendingPathComponent("propdesk-tests-\(ProcessInfo.processInfo.processIdentifier)")
    }()

    private static let template = Task<String, any Error> {
        let fm = FileManager.default
        // Directories left by test processes that died without exiting.
        let parent = (directory as NSString).deletingLastPathComponent
        for name in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix("propdesk-tests-") {
            if let pid = Int32(name.dropFirst("propdesk-tests-".count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? fm.removeItem(atPath: (parent as NSString).appendingPathComponent(name))
            }
        }
        try? fm.removeItem(atPath: directory)
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: SQLiteTemplate.directory) }
        let path = (directory as NSString).appendingPathComponent("template.sqlite")
        let app = try await TestApp.make(reset: false) { $0.database = .sqlite(path: path) }  // migrates it
        do {
            // Everything into the main file, so that a copy of it alone is the whole database.
            try await (app.db as! any SQLDatabase).raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        return path
    }

    /// A fresh copy of the migrated template.
    static func copy() async throws -> String {
        let template = try await template.value
        let path = (directory as NSString).appendingPathComponent("\(UUID().uuidString).sqlite")
        try FileManager.default.copyItem(atPath: template, toPath: path)
        return path
    }

    /// Removes a test's copy (and its WAL files) when its app shuts down.
    struct Removal: LifecycleHandler {
        let path: String
        func shutdownAsync(_ application: Application) async {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
}

/// Two communities, A and B, each with two areas, buildings, units and residents, and an account
/// of every staff role in A (plus a resident and a center head of B).
struct World {
    struct Side {
        var community: Community
        var areas: [Area]
        var buildings: [Building]
        var units: [PropertyUnit]
        var people: [PersonDetail]
        /// An emergency repair on units[0] and a complaint on units[1] (which raises an alert).
        var orders: [WorkOrder] = []
        var incident: Incident?
        var alertID: UUID?
        /// A weekly (not key-spot) patrol checkpoint in areas[1].
        var checkpoint: Checkpoint?
        /// B only: an approved assignment table, its card of areas[1], a household visit in
        /// areas[1] by b.supervisor (so their work log of the day), and a spot check of it.
        var table: AssignmentTable?
        var card: ContactCard?
        var visit: HouseholdVisit?
        var log: WorkLog?
        var spotCheck: SpotCheck?
        /// B only: the front desk's registers (FD-3 … FD-7): today's duty log, a handover
        /// waiting, keys held for units[0], a visitor inside and an access card of units[0].
        var dutyDay: DutyLogDay?
        var handover: ShiftHandover?
        var visitor: Visitor?
        var pass: UnitPass?
        /// B only: a move-in of units[1] in progress (FD-1).
        var moveIn: MoveInCase?
        /// B only: units[2] in custody since today (FD-2).
        var custody: CustodyAgreement?
        /// B only: the fee schedule's management fee, this month's bill of units[0] partly paid
        /// by a receipt, a moving deposit of units[1], the arrears list of areas[1] and a
        /// reminder call to units[2] (FEE-1 … FEE-3).
        var feeItem: FeeItem?
        var bill: Bill?
        var receipt: Receipt?
        var deposit: Deposit?
        var arrearsList: ArrearsList?
        /// B only: a notice to building 2 (areas[1]), current until a week from now (CR-1).
        var notice: Notice?
        /// B only: an open satisfaction survey of the whole community with a paper answer of units[2] (CR-2).
        var survey: Survey?
        /// B only: an interview of units[2] (areas[1]), its point grouped into an issue of areas[1] with
        /// an open rectification owned by b.head; this year's approved culture plan with an event today (CR-3, CR-4).
        var interview: Interview?
        var issue: CommonIssue?
        var rectification: Rectification?
        var culturePlan: CulturePlan?
        var cultureEvent: CultureEvent?
    }

    var a: Side
    var b: Side
    /// Bearer tokens by username.
    var tokens: [String: String] = [:]
    var accounts: [String: UserAccount] = [:]
    static let password = "correct-horse-battery"
    static let idNumber = "11010519491231002X"

    static func build(_ app: Application) async throws -> World {
        let store = app.store
        let admin = Actor.console("test")
        func side(_ code: String, _ name: String) async throws -> Side {
            let c = try await store.registry.createCommunity(Community(code: code, name: name), by: admin)
            let a1 = try await store.registry.createArea(Area(communityID: c.id, name: "\(code)东区"), by: admin)
            let a2 = try await store.registry.createArea(Area(communityID: c.id, name: "\(code)西区"), by: admin)
            let b1 = try await store.registry.createBuilding(Building(communityID: c.id, areaID: a1.id, name: "1栋", floors: 18), by: admin)
            let b2 = try await store.registry.createBuilding(Building(communityID: c.id, areaID: a2.id, name: "2栋", floors: 18), by: admin)
            var units: [PropertyUnit] = []
            for (b, room) in [(b1, "1201"), (b1, "1202"), (b2, "1201")] {
                units.append(try await store.registry.createUnit(PropertyUnit(communityID: c.id, buildingID: b.id, areaID: nil, roomNumber: room, floor: 12,
                                                                              kind: .residential, floorArea: FloorArea(hundredths: 8950)), by: admin))
            }
            let phoneBase = code == "AAA" ? "1380000" : "1390000"
            var people: [PersonDetail] = []
            for (i, (name, unit)) in [("王建国", units[0]), ("李秀英", units[1]), ("张伟", units[2])].enumerated() {
                people.append(try await store.registry.createPerson(.init(communityID: c.id, kind: .individual, name: code == "AAA" ? name : name + "B",
                    phone: phoneBase + String(format: "%04d", 1000 + i), idType: .residentID, idNumber: i == 0 ? idNumber : nil,
                    units: [(unit.id, .owner)]), by: admin))
            }
            return Side(community: c, areas: [a1, a2], buildings: [b1, b2], units: units, people: people)
        }
        var world = World(a: try await side("AAA", "翠湖花园"), b: try await side("BBB", "锦绣家园"))
        let hash = try await SignIn.hash(password, on: app)
        let whole = [Scope(communityID: world.a.community.id)]
        let defs: [(String, Role, [Scope], UUID?)] = [
            ("admin", .admin, [], nil),
            ("a.head", .centerHead, whole, nil),
            ("a.manager", .csManager, whole, nil),
            ("a.desk", .frontDesk, whole, nil),
            ("a.supervisor", .areaSupervisor, [Scope(communityID: world.a.community.id, areaID: world.a.areas[0].id)], nil),
            ("a.engineer", .engineer, whole, nil),
            ("a.finance", .finance, whole, nil),
            ("13800001000", .resident, whole, world.a.people[0].person.id),
            ("b.head", .centerHead, [Scope(communityID: world.b.community.id)], nil),
            ("bb.supervisor", .areaSupervisor, [Scope(communityID: world.b.community.id, areaID: world.b.areas[1].id)], nil),
        ]
        for (username, role, scopes, person) in defs {
            let account = try await store.accounts.create(UserAccount(username: username, displayName: username, role: role, scopes: scopes, personID: person),
                                                          passwordHash: hash, by: admin)
            world.accounts[username] = account
            world.tokens[username] = try await store.accounts.issueToken(for: account.id).token
        }
        for key in [\World.a, \World.b] as [WritableKeyPath<World, Side>] {
            let side = world[keyPath: key]
            let c = side.community.id
            let repair = try await store.orders.create(OrderDraft(communityID: c, kind: .repair, channel: .hotline, unitID: side.units[0].id,
                requesterID: side.people[0].person.id, description: "厨房水管爆裂,水流不止"), by: admin).order
            let complaint = try await store.orders.create(OrderDraft(communityID: c, kind: .complaint, channel: .walkIn, unitID: side.units[1].id,
                requesterID: side.people[1].person.id, description: "投诉楼道长期堆放杂物"), by: admin).order
            world[keyPath: key].orders = [repair, complaint]
            // Cancelled, so their clocks never fire into the tests' alert counts.
            for o in [repair, complaint] { try await store.orders.perform(.cancel(reason: "测试数据", loggedByMistake: true), on: o.id, by: admin) }
            let now = app.propdesk.now()
            world[keyPath: key].incident = try await store.orders.createIncident(Incident(communityID: c, title: "2栋计划停水", category: .water,
                buildingIDs: [side.buildings[1].id], startsAt: now, endsAt: nil, script: "2栋今日停水检修,预计18:00恢复。",
                createdByName: "test", createdAt: now), by: admin)
            world[keyPath: key].checkpoint = try await store.patrols.addCheckpoint(.init(
                areaID: side.areas[1].id, buildingID: side.buildings[1].id, name: "\(side.community.code)天面", location: "2栋楼顶", keySpot: false,
                items: [ChecklistItem(id: "1", category: .roof, text: "天面无积水")]), community: c, by: admin)
            world[keyPath: key].alertID = try await store.alerts.alerts(community: c, visibleAreas: nil, openOnly: true, for: nil, limit: 10).first?.id
        }
        // B's supervisor records (FLD-1 … FLD-7), for the walk of every route.
        let b = world.b
        let sup = world.accounts["bb.supervisor"]!
        let supActor = Actor(userID: sup.id, name: sup.displayName)
        let head = Actor(userID: world.accounts["b.head"]!.id, name: "b.head")
        let rows = b.areas.map { AssignmentRow(areaID: $0.id, areaName: $0.name, supervisorID: sup.id, supervisorName: "", standInID: nil, standInName: "",
                                                mobile: "13900009999", workPhone: "", households: 100, keySpots: "大堂") }
        let draft = try await store.assignments.draft(community: b.community.id, rows: rows, note: "", by: head)
        _ = try await store.assignments.submit(draft.id, by: head)
        world.b.table = try await store.assignments.decide(draft.id, approve: true, note: "", by: head)
        world.b.card = try await store.assignments.latestCards(community: b.community.id)[b.areas[1].id]
        let visit = try await store.visits.record(.init(visitID: UUID(), unitID: b.units[2].id, mode: .door, met: "业主B", notes: "BBB家访", raised: []),
                                                  community: b.community.id, areas: nil, by: supActor).visit
        world.b.visit = visit
        world.b.log = try await store.workLogs.log(supervisor: sup.id, day: WorkingDays(ServiceHours()).dayKey(visit.at))
        let month = DutyStore.month(of: visit.at, timeZone: b.community.timeZone)
        _ = try await store.supervision.draw(community: b.community.id, month: month, timeZone: b.community.timeZone, seed: 1, by: head)
        let (from, until) = try MonthSummary.range(month: month, timeZone: b.community.timeZone)
        world.b.spotCheck = try await store.supervision.checks(community: b.community.id, areas: nil, from: from, until: until).first
        // B's front desk (FD-3 … FD-7).
        let bc = b.community.id
        _ = try await store.dutyLog.write(community: bc, text: "BBB值班记录", shift: .day, by: head)
        world.b.dutyDay = try await store.dutyLog.day(community: bc, key: WorkingDays(ServiceHours(timeZone: b.community.timeZone)).dayKey(app.propdesk.now()))
        world.b.handover = try await store.dutyLog.handOver(community: bc, shift: .day, assets: [.init(name: "电脑", ok: true)], items: [], anomalies: "", by: head)
        _ = try await store.keys.record(.init(unitID: b.units[0].id, kind: .received, count: 2, party: "业主B"), community: bc, by: head)
        world.b.visitor = try await store.visitors.arrive(.init(name: "访客乙", idType: .passport, idNumber: "E12345678", unitID: b.units[0].id, host: "业主B",
                                                                purpose: "BBB来访", phone: ""), community: bc, by: head)
        world.b.pass = try await store.passes.issue(.init(unitID: b.units[0].id, kind: .accessCard, number: "BBB-0001", plate: "", holder: "业主B",
                                                          validFrom: "2026-01-01", validUntil: "2027-12-31"), community: bc, by: head)
        world.b.moveIn = try await store.moveIns.open(.init(caseID: UUID(), unitID: b.units[1].id, buyerKind: .individual, buyerName: "BBB入住业主",
                                                              buyerPhone: "13900001001"), community: bc, by: head)
        world.b.custody = try await store.custody.open(.init(unitID: b.units[2].id, ownerName: "BBB托管业主", ownerPhone: "13900001002",
                                                             startDay: try await store.custody.today(community: bc), water: 1_000, electricity: 1_000),
                                                       community: bc, by: head)
        // B's fees (FEE-1 … FEE-3).
        let now = app.propdesk.now()
        let feeMonth = DutyStore.month(of: now, timeZone: b.community.timeZone)
        world.b.feeItem = try await store.fees.saveItem(FeeItem(communityID: bc, code: "MGMT-R", name: "住宅物业服务费", basis: .perAreaMonth, unitKind: .residential,
                                                                rateFen: 235, legalBasis: "BBB物价批复〔2024〕1号", custodyDiscount: true,
                                                                fromMonth: FeeMonth.adding(-1, to: feeMonth), createdAt: now), by: head)
        _ = try await store.fees.runBilling(community: bc, period: feeMonth, by: head)
        world.b.bill = try await store.fees.bills(unit: b.units[0].id, community: b.community.id).first
        world.b.receipt = try await store.fees.pay(.init(unitID: b.units[0].id, amountFen: 1000, method: .cash, reference: "", payer: "BBB缴费人"),
                                                   community: bc, by: head)
        world.b.deposit = try await store.fees.receiveDeposit(community: bc, unit: b.units[1].id, kind: .moving, amountFen: 100_000, method: .cash,
                                                              reference: "", payer: "BBB押金人", renovationID: nil, formID: nil, by: head).0
        world.b.arrearsList = try await store.fees.prepareList(community: bc, area: b.areas[1].id, month: feeMonth, kind: .list, by: head)
        _ = try await store.fees.remind(community: bc, unit: b.units[2].id, kind: .phone, outcome: .promised, note: "BBB催缴电话", formID: nil, by: head)
        // B's notice board (CR-1).
        world.b.notice = try await store.notices.publish(NoticeDraft(communityID: bc, kind: .service, title: "BBB公告", body: "BBB公告正文",
                                                                     buildingIDs: [b.buildings[1].id], startsAt: now, expiresAt: now.addingTimeInterval(7 * 86_400)),
                                                         by: head)
        // B's satisfaction survey (CR-2).
        let survey = try await store.surveys.create(.init(id: UUID(), title: "BBB满意度调查", period: "2026-H2", areaIDs: [],
                                                          questions: [SurveyQuestion(code: "overall", kind: .scale, text: "BBB总体满意度")]), community: bc, by: head)
        world.b.survey = try await store.surveys.open(survey.id, by: head)
        _ = try await store.surveys.answer(.init(responseID: UUID(), unitID: b.units[2].id, answers: [SurveyAnswer(code: "overall", choices: [4])]),
                                           survey: survey.id, as: .paper(head))
        // B's interviews, common issue, rectification and culture plan (CR-3, CR-4).
        let crs = store.customerRelations
        let interview = try await crs.record(.init(interviewID: UUID(), unitID: b.units[2].id, person: "BBB受访人", channel: .visit,
                                                   points: [("BBB访谈意见", .parking)]), community: bc, areas: nil, by: head)
        world.b.interview = interview
        world.b.issue = try await crs.createIssue(id: UUID(), community: bc, areaID: b.areas[1].id, title: "BBB共性问题", topic: .parking,
                                                  pointIDs: interview.points.map(\.id), areas: nil, by: head)
        let today = PatrolCoverage.day(of: now, timeZone: b.community.timeZone)
        let dueDay = PatrolCoverage.day(of: today.end.addingTimeInterval(6 * 86_400 + 3600), timeZone: b.community.timeZone).label
        world.b.rectification = try await crs.rectify(issue: world.b.issue!.id, id: UUID(), measure: "BBB整改措施", ownerID: head.userID!, dueDay: dueDay, by: head)
        let plan = try await crs.draftPlan(community: bc, year: Int(today.label.prefix(4)) ?? 2026, title: "BBB文化计划", goals: "", budgetFen: 100_000, by: head)
        world.b.cultureEvent = try await crs.planEvent(plan: plan.id, id: UUID(), title: "BBB文化活动", day: today.label, place: "BBB会所", budgetFen: 10_000, by: head)
        _ = try await crs.submit(plan: plan.id, by: head)
        world.b.culturePlan = try await crs.decide(plan: plan.id, approve: true, by: head)
        return world
    }

    /// Every staff username of community A, and the resident.
    static let usersOfA = ["a.head", "a.manager", "a.desk", "a.supervisor", "a.engineer", "a.finance", "13800001000"]

    func headers(_ username: String?, language: String = "zh-Hans", json: Bool = true) -> HTTPHeaders {
        var h = HTTPHeaders()
        if let username, let t = tokens[username] { h.bearerAuthorization = .init(token: t) }
        h.replaceOrAdd(name: .acceptLanguage, value: language)
        if json { h.contentType = .json }
        return h
    }
}

extension Application {
    func call(_ method: HTTPMethod, _ path: String, as user: String?, in world: World, json: String? = nil,
              language: String = "zh-Hans", contentType: HTTPMediaType? = nil, bytes: [UInt8]? = nil) async throws -> XCTHTTPResponse {
        var headers = world.headers(user, language: language, json: json != nil)
        if let contentType { headers.contentType = contentType }
        var body: ByteBuffer?
        if let json { body = ByteBuffer(string: json) }
        if let bytes { body = ByteBuffer(bytes: bytes) }
        return try await sendRequest(method, path, headers: headers, body: body)
    }
}

extension Application {
    /// `POST /api/v1/auth/token` with a username and password, as an API client signs in.
    func signInForToken(_ username: String, _ password: String, language: String = "en") async throws -> XCTHTTPResponse {
        var h = HTTPHeaders()
        h.contentType = .json
        h.replaceOrAdd(name: .acceptLanguage, value: language)
        return try await sendRequest(.POST, "/api/v1/auth/token", headers: h,
                                     body: ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#))
    }
}

extension XCTHTTPResponse {
    var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
}

/// A test body that runs with a fresh app and always shuts it down.
func withWorld(now: @escaping @Sendable () -> Date = { Date() }, statements: StatementLog? = nil, adjust: (inout AppConfig) -> Void = { _ in },
               _ body: (Application, World) async throws -> Void) async throws {
    let app = try await TestApp.make(now: now, statements: statements, adjust: adjust)
    do {
        let world = try await World.build(app)
        try await body(app, world)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// A fresh app with the world, every statement it sends logged.
func withLoggedWorld(_ body: (Application, World, StatementLog) async throws -> Void) async throws {
    let log = StatementLog()
    try await withWorld(statements: log) { app, world in try await body(app, world, log) }
}

extension XCTestCase {
    /// Whether this pass runs on PostgreSQL (DATABASE_URL set), as `TestApp.make` decides.
    var isPostgres: Bool { !(ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty }

    /// The domain error an expression throws (a failure when it throws none, or another error).
    func refusal<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> DomainError? {
        do {
            _ = try await expression()
            XCTFail("accepted", file: file, line: line)
        } catch let e as DomainError {
            return e
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }
}
