import Fluent
import Foundation
import PropDeskCore
import SQLKit

/// Months of realistic requests for the demo (RUN-3): every kind and channel, emergencies with a
/// few late arrivals, callbacks, holds, paid services with receipts, complaints, return visits,
/// an incident — all made by the real `OrderMachine` through the real store on a simulated
/// clock, with the real sweeper firing clocks as time passes. Orders whose next step would be in
/// the future stay open, so the boards show work in progress.
public struct DemoHistory: Sendable {
    let store: Store
    let days: Int
    let perDay: Int
    let seed: UInt64

    public init(store: Store, days: Int = 90, perDay: Int = 6, seed: UInt64 = 20261123) {
        self.store = store
        self.days = days
        self.perDay = perDay
        self.seed = seed
    }

    final class SimClock: @unchecked Sendable {
        private let lock = NSLock()
        private var t: Date
        init(_ t: Date) { self.t = t }
        var now: Date { lock.withLock { t } }
        func set(_ d: Date) { lock.withLock { t = max(t, d) } }
        /// Back to where a simulated day began, should its transaction be run again.
        func reset(to d: Date) { lock.withLock { t = d } }
    }

    /// One planned step: at `at`, do `action` to the `plan`th order.
    struct Step: Sendable {
        let at: Date
        let plan: Int
        let action: Action
    }

    enum Action: Sendable {
        case create(OrderDraft, Actor)
        case act(OrderAction, Actor)
        case incident(Incident, Actor)
        case closeIncident(String, Actor)
        /// A patrol checkpoint done (FLD-3); a failed item's order becomes the plan's order.
        case patrol(PatrolDemo.Visit)
        /// A step of a renovation file (FLD-4); `plan` names the file.
        case renovation(RenovationDemo.Act)
        /// A supervisor's record or the manager's supervision (FLD-1 … FLD-7) in a community.
        case supervision(SupervisionDemo.Act, UUID)
        /// A step at the front desk (FD-1 … FD-7).
        case desk(FrontDeskDemo.Act)
    }

    struct People {
        var desk: [Assignee] = []
        var engineers: [Assignee] = []
        var supervisors: [Assignee] = []
        var finance: [Assignee] = []
        var managers: [Assignee] = []
        var residents: [(unit: UUID, person: UUID, building: UUID, user: Assignee?)] = []
    }

    /// Returns the number of orders made.
    public func load(progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> Int {
        let end = store.now()
        let start = end.addingTimeInterval(-Double(days) * 86400)
        let clock = SimClock(start)
        let sim = Store(db: store.db, cipher: store.cipher, now: { clock.now }, webhookEnabled: false)
        var rng = SeededRandom(seed: seed)
        var steps: [Step] = []
        var plans = 0
        var incidentPlans: [Int: UUID] = [:]
        var desks: [UUID: Assignee] = [:]
        var managers: [UUID: [Assignee]] = [:]

        for community in try await CommunityModel.query(on: store.db).sort(\.$code).all() {
            let cid = community.id!
            let people = try await self.people(cid)
            guard !people.engineers.isEmpty, !people.desk.isEmpty, !people.residents.isEmpty else { continue }
            desks[cid] = people.desk[0]
            managers[cid] = people.managers
            // The price list and a rule that sends water and electricity to the engineers in turn.
            try await catalogue(cid, by: Actor.console("demo"), on: sim)
            _ = try await sim.orders.addRule(name: "水电维修组 / Plumbing & electrical", category: .water, areaID: nil,
                                             memberIDs: people.engineers.prefix(3).map(\.id), community: cid, by: .console("demo"))
            _ = try await sim.orders.addRule(name: "电工 / Electricians", category: .electricity, areaID: nil,
                                             memberIDs: people.engineers.suffix(2).map(\.id), community: cid, by: .console("demo"))
            let items = try await sim.orders.catalogue(community: cid, activeOnly: true)

            // A planned water cut three weeks ago: requests from that building are absorbed.
            let cutDay = Calendar(identifier: .gregorian).startOfDay(for: end).addingTimeInterval(-21 * 86400 + 9 * 3600)
            if let building = people.residents.first?.building {
                let plan = plans; plans += 1
                let id = UUID()
                incidentPlans[plan] = id
                let desk = actor(people.desk[0])
                steps.append(Step(at: cutDay.addingTimeInterval(-600), plan: plan, action: .incident(Incident(
                    id: id, communityID: cid, title: "二次供水水箱清洗,计划停水 / Water tank cleaning: planned water cut", category: .water,
                    buildingIDs: [building], startsAt: cutDay.addingTimeInterval(-600), endsAt: cutDay.addingTimeInterval(6 * 3600),
                    script: "您好,该楼今日 9:00-15:00 因水箱清洗计划停水,已提前张贴通知,预计 15:00 恢复供水。/ The building's water is off 9:00-15:00 today for tank cleaning; it will be back by 15:00.",
                    createdByName: desk.name, createdAt: cutDay), desk)))
                steps.append(Step(at: cutDay.addingTimeInterval(6 * 3600 + 600), plan: plan, action: .closeIncident("已恢复供水 / Water is back", desk)))
                for k in 0..<4 {
                    let r = people.residents.filter { $0.building == building }.randomElement(using: &rng) ?? people.residents[0]
                    let p = plans; plans += 1
                    steps.append(Step(at: cutDay.addingTimeInterval(Double(20 + k * 37) * 60), plan: p, action: .create(OrderDraft(
                        communityID: cid, kind: .repair, channel: .hotline, category: .water, unitID: r.unit, requesterID: r.person,
                        description: "家里停水了,什么时候来水?"), desk)))
                }
            }

            // Patrols (FLD-3): each area's supervisor walks its checkpoints; findings become orders
            // that the desk dispatches and the supervisor accepts when done.
            steps += try await patrols(cid, people: people, from: start, plans: &plans, sim: sim, rng: &rng)
            // Renovations (FLD-4) in the first area that has a supervisor.
            if let supervisor = people.supervisors.first, let manager = people.managers.first,
               let scope = try await UserScopeModel.query(on: store.db).filter(\.$userID == supervisor.id).first(), let area = scope.areaID {
                let units = try await UnitModel.query(on: store.db).filter(\.$communityID == cid).filter(\.$areaID == area)
                    .filter(\.$kind == UnitKind.residential.rawValue).sort(\.$roomNumber).limit(40).all().compactMap(\.id)
                let picked = [units.first, units.dropFirst(13).first, units.dropFirst(27).first].compactMap { $0 }
                let base = plans
                for (at, k, act) in RenovationDemo.plan(units: picked, desk: actor(people.desk[0]), manager: actor(manager), supervisor: actor(supervisor),
                                                        start: start, days: days) {
                    steps.append(Step(at: at, plan: base + k, action: .renovation(act)))
                }
                plans += 3
            }

            // The supervisors' records and the manager's supervision (FLD-1, FLD-2, FLD-5 … FLD-7).
            steps += try await supervision(cid, people: people, from: start, until: end, plans: &plans, rng: &rng)
            // The front desk's registers (FD-3 … FD-7).
            steps += try await frontDesk(cid, people: people, from: start, until: end, plans: &plans, rng: &rng)
            // A year of fees, then the last weeks of chasing arrears at the desk and on the doorstep (FEE-1 … FEE-5).
            steps += try await fees(cid, people: people, from: start, until: end, plans: &plans, rng: &rng)
            // Two closed satisfaction surveys of ~300 households each, one area less satisfied (CR-2).
            try await SurveyDemo.write(community: cid, manager: actor(people.managers.first ?? people.desk[0]), clerks: (people.desk + people.supervisors).map(actor),
                                       asOf: end, seed: seed &+ UInt64(plans), on: store.db)
            // A year of customer interviews, common issues with their measures, the culture plan (CR-3, CR-4).
            try await CustomerRelationsDemo.write(community: cid, asOf: end, seed: seed &+ UInt64(plans) &+ 27, on: store)
            // A year of the notice board: monthly work reports (one month missed), cuts, safety, activities (CR-1).
            try await NoticeDemo.write(community: cid, asOf: end, seed: seed &+ UInt64(plans) &+ 41, on: store)

            for day in 0..<days {
                let dayStart = Calendar(identifier: .gregorian).startOfDay(for: start).addingTimeInterval(Double(day) * 86400)
                let count = perDay + Int.random(in: -2...2, using: &rng)
                for _ in 0..<max(1, count) {
                    let plan = plans; plans += 1
                    steps += self.plan(plan, day: dayStart, community: cid, people: people, items: items, rng: &rng)
                }
            }
        }

        steps.sort { $0.at < $1.at }
        // One write transaction per simulated day: the playback's ~12,000 writes share ~120
        // commits instead of each paying its own (issue 19, the demo). A step refused with a
        // DomainError is undone whole — all the calls it made — and its plan ends. Refusals are
        // rare (five in sixty days), so a day is first played without a savepoint per step (two
        // statements each, 13 % of the playback's); a refusal rolls that day back, and the day is
        // played again with a savepoint around every step. The day's state, the simulated clock
        // included, is a value kept only once the day is stored: a day run again starts from
        // where it began.
        var play = Playback(steps: steps, plans: plans, rng: rng, lastSweep: start, clockAt: clock.now)
        let (incidents, activeDesks, communityManagers) = (incidentPlans, desks, managers)
        let calendar = Self.calendar
        while play.n + 1 < play.steps.count {
            let dayEnd = calendar.startOfDay(for: play.steps[play.n + 1].at).addingTimeInterval(86400)
            let before = play
            @Sendable func day(savepoints: Bool) async throws -> Playback {
                try await store.db.writeTransaction { tx in
                    try await WriteQueue.$held.withValue(true) {
                        let sim = Store(db: tx, cipher: self.store.cipher, now: { clock.now }, webhookEnabled: false)
                        var day = before
                        clock.reset(to: before.clockAt)
                        while day.n + 1 < day.steps.count, day.steps[day.n + 1].at < dayEnd {
                            day.n += 1
                            try await self.play(&day, until: end, clock: clock, incidents: incidents, desks: activeDesks,
                                                managers: communityManagers, savepoints: savepoints, on: sim)
                        }
                        day.clockAt = clock.now
                        return day
                    }
                }
            }
            do {
                play = try await day(savepoints: false)
            } catch is StepRefused {
                play = try await day(savepoints: true)
            }
            progress?("requests", play.n, play.steps.count)
        }
        clock.set(end)
        try await sim.duties.openPeriods(at: end)
        _ = try await sim.clocks.sweep(limit: 5000)
        progress?("requests", play.steps.count, play.steps.count)
        return play.made
    }

    /// What the playback carries from one simulated day to the next.
    struct Playback: Sendable {
        var steps: [Step]
        var plans: Int
        var rng: SeededRandom
        var lastSweep: Date
        /// The simulated clock when the day ended.
        var clockAt: Date
        /// The step being played.
        var n = -1
        /// Each plan's order and its community.
        var ids: [Int: (id: UUID, community: UUID)] = [:]
        var renovationFiles: [Int: UUID] = [:]
        var renovationViolations: [Int: UUID] = [:]
        var dead: Set<Int> = []
        var openMonth = ""
        var made = 0
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        return c
    }()

    /// A step was refused in a day played without savepoints: the day is rolled back and played again with them.
    struct StepRefused: Error {}

    /// Plays `p.steps[p.n]` inside the day's transaction: first the sweeper and the month's duty
    /// periods as the clock moves on, then the step — in a savepoint when `savepoints`.
    private func play(_ p: inout Playback, until end: Date, clock: SimClock, incidents incidentPlans: [Int: UUID], desks: [UUID: Assignee],
                      managers: [UUID: [Assignee]], savepoints: Bool, on sim: Store) async throws {
        let step = p.steps[p.n]
        guard step.at <= end else { return }
        if step.at.timeIntervalSince(p.lastSweep) > 120 {
            clock.set(step.at)
            let month = DutyStore.month(of: step.at, timeZone: "Asia/Shanghai")
            if month != p.openMonth { try await sim.duties.openPeriods(at: step.at); p.openMonth = month }
            // A call-back alert is raised only by a sweep that fires an order's clock: the desk
            // looks at its alerts after a sweep that raised one (reading them after every sweep
            // took ~70 s of the demo's three minutes, issue 19; after every sweep that raised any
            // alert, 2.6 s of its minute).
            if try await sim.clocks.sweep(limit: 1000).callbacks > 0 { try await callBack(desks, on: sim) }
            p.lastSweep = step.at
        }
        clock.set(step.at)
        guard !p.dead.contains(step.plan) else { return }
        do {
            if savepoints {
                try await (sim.db as! any SQLDatabase).savepoint("demo_step") {
                    try await act(step, &p, incidents: incidentPlans, managers: managers, on: sim)
                }
            } else {
                try await act(step, &p, incidents: incidentPlans, managers: managers, on: sim)
            }
        } catch is DomainError {
            guard savepoints else { throw StepRefused() }
            // The order went another way (absorbed by an incident, closed by the sweeper …):
            // its remaining planned steps no longer apply.
            p.dead.insert(step.plan)
        }
    }

    /// What one step does, through the real store.
    private func act(_ step: Step, _ p: inout Playback, incidents incidentPlans: [Int: UUID], managers: [UUID: [Assignee]], on sim: Store) async throws {
        switch step.action {
        case .create(let draft, let who):
            p.ids[step.plan] = (try await sim.orders.create(draft, by: who).order.id, draft.communityID)
            p.made += 1
        case .act(let action, let who):
            // The order is read once, under its lock, and the step decided from it.
            guard let (id, community) = p.ids[step.plan], let (order, after) = try await sim.orders.perform(on: id, community: community, deciding: { order in
                // Only sampled orders and complaints get a return visit (INT-12).
                if case .returnVisit = action, !order.returnVisitRequired { return nil }
                guard who.name == Self.assignee.name else { return (action, who) }
                return order.assigneeID.map { (action, Actor(userID: $0, name: order.assigneeName ?? "")) }
            }) else { break }
            if let complaint = after.complaintID, order.complaintID == nil {
                // INT-19: the complaint a dissatisfied resident turned into is handled too.
                let plan = p.plans; p.plans += 1
                p.ids[plan] = (complaint, after.communityID)
                let manager = managers[after.communityID]?.randomElement(using: &p.rng)
                var t = step.at
                var extra: [Step] = []
                func then(_ minutes: ClosedRange<Int>, _ a: OrderAction, _ w: Actor) {
                    t = t.addingTimeInterval(Double(Int.random(in: minutes, using: &p.rng) * 60))
                    extra.append(Step(at: t, plan: plan, action: .act(a, w)))
                }
                if let manager {
                    let m = actor(manager)
                    then(10...60, .dispatch(manager), m)
                    then(5...30, .accept, m)
                    then(60...600, .contact(note: "已上门致歉并了解情况 / Visited, apologised and listened"), m)
                    then(600...2880, .reply(opinion: "核实属实:返工质量不达标 / Confirmed: the repair was not good enough",
                                            reply: "已安排返工并加强培训 / Rework done; staff retrained"), m)
                    then(600...2880, .returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "业户接受处理结果 / The resident accepts the outcome")), m)
                }
                for e in extra {
                    let at = p.steps[(p.n + 1)...].firstIndex { $0.at > e.at } ?? p.steps.count
                    p.steps.insert(e, at: at)
                }
            }
        case .incident(let incident, let who):
            _ = try await sim.orders.createIncident(incident, by: who)
        case .closeIncident(let note, let who):
            if let id = incidentPlans[step.plan] { _ = try await sim.orders.closeIncident(id, note: note, by: who) }
        case .supervision(let act, let community):
            try await SupervisionDemo.play(act, community: community, on: sim)
        case .desk(let act):
            try await act.play(sim)
        case .renovation(let act):
            try await playRenovation(act, plan: step.plan, files: &p.renovationFiles, violations: &p.renovationViolations, on: sim)
        case .patrol(let v):
            let recorded = try await sim.patrols.record(.init(visitID: UUID(), roundID: nil, results: v.results, note: v.note, photos: []),
                                                        at: v.checkpoint, by: v.who)
            if let f = recorded.visit.findings.first { p.ids[step.plan] = (f.orderID, v.checkpoint.communityID); p.made += 1 }
        }
    }

    private func actor(_ a: Assignee) -> Actor { Actor(userID: a.id, name: a.name) }

    /// One step of a demo renovation file, through the store as the desk or supervisor would.
    private func playRenovation(_ act: RenovationDemo.Act, plan: Int, files: inout [Int: UUID], violations: inout [Int: UUID], on sim: Store) async throws {
        let store = sim.renovations
        if case .register(let application, let who) = act {
            guard let unit = try await UnitModel.find(application.unitID, on: sim.db) else { return }
            files[plan] = try await store.register(application, community: unit.communityID, by: who).id
            return
        }
        guard let id = files[plan], let r = try await store.renovation(id) else { return }
        switch act {
        case .register:
            return
        case .document(let doc, let who):
            let upload = try EvidenceStore.check(RenovationDemo.scan(doc, plan), kind: .document, caption: "\(doc.rawValue) · \(doc.title.zhHans)", signedBy: nil)
            _ = try await sim.evidence.attach([upload], to: SubjectRef(kind: .renovation, id: id, communityID: r.communityID, areaID: r.areaID, label: r.number), by: who)
        case .details(let fen, let protection, let who):
            _ = try await store.update(id, depositFen: fen, protection: protection, inspectEveryDays: nil, by: who)
        case .approve(let who):
            _ = try await store.approve(id, by: who)
        case .inspect(let passed, let note, let completion, let who):
            _ = try await store.inspect(id, passed: passed, note: note, completion: completion, photos: [], by: who)
        case .notice(let rule, let requirement, let days, let who):
            violations[plan] = try await store.issueNotice(renovation: id, rule: rule, requirement: requirement,
                                                           deadline: sim.now().addingTimeInterval(Double(days) * 86400), photos: [], by: who).id
        case .step(let step, let note, let authority, let who):
            guard let v = violations[plan] else { return }
            _ = try await store.step(v, step, note: note, authority: authority, photos: [], by: who)
        }
    }

    /// The patrol story of one community (FLD-3): checkpoints from the first day, daily key-spot
    /// rounds and a weekly full round per area by its supervisor, with misses; a failed item's
    /// order is dispatched by the desk, done by an engineer and accepted by the supervisor; and
    /// ten days ago a burst pipe in the car park, an emergency the moment it was found (FLD-8).
    private func patrols(_ cid: UUID, people: People, from start: Date, plans: inout Int, sim: Store, rng: inout SeededRandom) async throws -> [Step] {
        guard let manager = people.managers.first, !people.supervisors.isEmpty, !people.engineers.isEmpty else { return [] }
        let checkpoints = try await PatrolDemo.checkpoints(community: cid, on: sim, by: actor(manager))
        let scopes = try await UserScopeModel.query(on: store.db).filter(\.$userID ~~ people.supervisors.map(\.id)).all()
        let zone = "Asia/Shanghai"
        var out: [Step] = []
        for (area, points) in Dictionary(grouping: checkpoints, by: \.areaID).sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            let owner = scopes.first { $0.areaID == area }.flatMap { s in people.supervisors.first { $0.id == s.userID } } ?? people.supervisors[0]
            let supervisor = actor(owner)
            let desk = actor(people.desk[0])
            for day in 0..<days {
                let span = PatrolCoverage.day(of: start.addingTimeInterval(Double(day + 1) * 86400), timeZone: zone)
                let weekday = Calendar(identifier: .gregorian).component(.weekday, from: span.start.addingTimeInterval(12 * 3600))
                var visits = PatrolDemo.day(span.start, checkpoints: points, supervisor: supervisor, weekday: weekday, rng: &rng)
                if day == days - 10, let garage = points.first(where: { $0.items.contains { $0.category == .drains } && !$0.keySpot }) {
                    let results = garage.items.map { ItemResult(itemID: $0.id, passed: $0.category != .drains, note: $0.category == .drains ? "地下车库水管爆裂,大量积水" : "") }
                    visits.append((span.start.addingTimeInterval(16 * 3600), PatrolDemo.Visit(checkpoint: garage, results: results, note: "已通知工程部关阀", who: supervisor)))
                }
                // Today's round is under way: on the day of the weekly full round (Wednesday) its
                // last checkpoint is still to walk, so the supervisor's 今天的巡查 always has one.
                if day == days - 1, Set(visits.map(\.1.checkpoint.id)).count == points.count { visits.removeLast() }
                for (at, v) in visits {
                    let plan = plans; plans += 1
                    out.append(Step(at: at, plan: plan, action: .patrol(v)))
                    guard v.results.contains(where: { !$0.passed }) else { continue }
                    let emergency = v.results.contains { $0.note.contains("爆裂") }
                    let failed = v.results.first { !$0.passed }.flatMap { r in v.checkpoint.items.first { $0.id == r.itemID } }
                    // Water and electricity go out by the community's rule at intake; the rest by hand.
                    let byRule = [.water, .electricity].contains(failed?.category.orderCategory ?? .other)
                    let engineer = people.engineers.randomElement(using: &rng)!
                    let worker = byRule ? Self.assignee : actor(engineer)
                    var t = at
                    func then(_ minutes: ClosedRange<Int>, _ action: OrderAction, _ who: Actor) {
                        t = t.addingTimeInterval(Double(Int.random(in: minutes, using: &rng) * 60))
                        out.append(Step(at: t, plan: plan, action: .act(action, who)))
                    }
                    if !byRule { then(emergency ? 1...2 : 5...40, .dispatch(engineer), desk) }
                    then(1...10, .accept, worker)
                    then(emergency ? 5...12 : 20...240, .checkIn, worker)
                    then(20...180, .complete(note: "已处理完毕 / Done"), worker)
                    then(60...1440, .signOff(rating: 5, comment: "巡查复核合格 / Checked on the next round", onResidentDevice: false), supervisor)
                }
            }
        }
        return out
    }

    /// The supervisor-records story of one community (see `SupervisionDemo`).
    private func supervision(_ cid: UUID, people: People, from start: Date, until end: Date, plans: inout Int, rng: inout SeededRandom) async throws -> [Step] {
        guard let desk = people.desk.first else { return [] }
        // The CS manager drafts, the center head approves (S2 3.2).
        let staff = try await UserModel.query(on: store.db).filter(\.$id ~~ people.managers.map(\.id)).all()
        let pick = { (role: Role) in staff.first { $0.role == role.rawValue }.map { Actor(userID: $0.id, name: $0.displayName) } }
        guard let manager = pick(.csManager), let head = pick(.centerHead) else { return [] }
        let scopes = try await UserScopeModel.query(on: store.db).filter(\.$userID ~~ people.supervisors.map(\.id)).all()
        var areas: [(area: UUID, supervisor: Actor, units: [UUID])] = []
        for a in try await AreaModel.query(on: store.db).filter(\.$communityID == cid).sort(\.$name).all() {
            guard let id = a.id, let owner = scopes.first(where: { $0.areaID == id }).flatMap({ s in people.supervisors.first { $0.id == s.userID } }) else { continue }
            let units = try await UnitModel.query(on: store.db).filter(\.$areaID == id).filter(\.$kind != UnitKind.parking.rawValue).sort(\.$id).all().compactMap(\.id)
            areas.append((id, actor(owner), units))
        }
        // A temporary stand-in for the first area, who will leave (a staff change, S2 4.1.1). The
        // account cannot sign in: it exists for the records.
        var temp: UUID?
        if let first = areas.first, let code = try await CommunityModel.find(cid, on: store.db)?.code {
            let account = UserAccount(username: "\(code.lowercased()).temp-standin", displayName: "临时顶岗 郑文", role: .areaSupervisor,
                                      scopes: [Scope(communityID: cid, areaID: first.area)], phone: "13700000001")
            try await store.accounts.createMany([account], passwordHash: "!")
            temp = account.id
        }
        // Each act its own plan: one refused does not stop the others.
        let acts = SupervisionDemo.plan(community: cid, areas: areas, temp: temp, desk: actor(desk), manager: manager, head: head, start: start, end: end,
                                        days: days, rng: &rng)
        defer { plans += acts.count }
        return acts.enumerated().map { [plans] i, a in Step(at: a.0, plan: plans + i, action: .supervision(a.1, cid)) }
    }

    /// The front desk's story of one community (see `FrontDeskDemo`): its units by label, the
    /// vacant ones (no occupant) for keys and custody.
    private func frontDesk(_ cid: UUID, people: People, from start: Date, until end: Date, plans: inout Int, rng: inout SeededRandom) async throws -> [Step] {
        let staff = try await UserModel.query(on: store.db).filter(\.$id ~~ people.managers.map(\.id)).all()
        guard let manager = staff.first(where: { $0.role == Role.csManager.rawValue }).map({ Actor(userID: $0.id, name: $0.displayName) }) else { return [] }
        let occupied = Set(people.residents.map(\.unit))
        let all = try await UnitModel.query(on: store.db).filter(\.$communityID == cid).filter(\.$kind == UnitKind.residential.rawValue)
            .sort(\.$roomNumber).limit(600).all()
        let labels = try await RegistryStore.unitLabels(Set(all.compactMap(\.id)), on: store.db)
        let units = all.compactMap { u in u.id.map { (id: $0, label: labels[$0] ?? u.roomNumber) } }
        let lived = units.filter { occupied.contains($0.id) }
        var vacant = units.map(\.id).filter { !occupied.contains($0) }
        if vacant.count < 3 { vacant = units.suffix(3).map(\.id) }
        let acts = FrontDeskDemo.plan(community: cid, desks: people.desk.map(actor), manager: manager, units: lived.isEmpty ? units : lived, vacant: vacant,
                                      start: start, end: end, days: days, rng: &rng)
        defer { plans += acts.count }
        return acts.enumerated().map { [plans] i, a in Step(at: a.0, plan: plans + i, action: .desk(a.1)) }
    }

    /// The fees of one community (see `FeeHistory` and `FeeDemo`): a year of bills and payments
    /// written before the story starts, then the acts of the last weeks.
    private func fees(_ cid: UUID, people: People, from start: Date, until end: Date, plans: inout Int, rng: inout SeededRandom) async throws -> [Step] {
        let staff = try await UserModel.query(on: store.db).filter(\.$id ~~ people.managers.map(\.id)).all()
        guard let finance = people.finance.first.map(actor),
              let manager = staff.first(where: { $0.role == Role.csManager.rawValue }).map({ Actor(userID: $0.id, name: $0.displayName) }) else { return [] }
        let scopes = try await UserScopeModel.query(on: store.db).filter(\.$userID ~~ people.supervisors.map(\.id)).all()
        let areas = try await AreaModel.query(on: store.db).filter(\.$communityID == cid).sort(\.$name).all().compactMap { a -> (UUID, Actor)? in
            guard let id = a.id, let owner = scopes.first(where: { $0.areaID == id }).flatMap({ s in people.supervisors.first { $0.id == s.userID } }) else { return nil }
            return (id, actor(owner))
        }
        try await FeeHistory.write(community: cid, months: 12, asOf: end, cashiers: (people.desk + people.finance).map(actor), slowArea: areas.first?.0,
                                   seed: seed &+ UInt64(plans), on: store.db)
        let cast = FeeDemo.Cast(community: cid, desks: people.desk.map(actor), finance: finance, manager: manager,
                                areas: areas.map { (area: $0.0, supervisor: $0.1) },
                                lived: Set(try await OccupancyModel.query(on: store.db).filter(\.$communityID == cid).all().map(\.unitID)))
        let acts = FeeDemo.plan(cast, start: start, end: end, days: days, rng: &rng)
        defer { plans += acts.count }
        return acts.enumerated().map { [plans] i, a in Step(at: a.0, plan: plans + i, action: .desk(a.1)) }
    }

    /// The front desk calls back most residents nobody reached in time (S4 4.9) and notes it on
    /// the alert; about one call in ten is forgotten, so the scorecard has a true story to tell.
    private func callBack(_ desks: [UUID: Assignee], on sim: Store) async throws {
        for (community, desk) in desks {
            for a in try await sim.alerts.alerts(community: community, visibleAreas: nil, openOnly: true, for: nil, limit: 50, kind: .callback) {
                guard a.id.uuid.15 % 10 != 0 else { continue }
                _ = try await sim.alerts.acknowledge(a.id, note: "已致电业户说明原因并约定时间", by: actor(desk))
            }
        }
    }

    /// "Whoever holds the order when the step comes" (a rule may have picked the engineer).
    static let assignee = Actor(userID: nil, name: "@assignee")

    private func people(_ community: UUID) async throws -> People {
        var p = People()
        let users = try await store.orders.staff(community: community)
        for u in users {
            let a = Assignee(id: u.id!, name: u.displayName)
            switch Role(rawValue: u.role) {
            case .frontDesk: p.desk.append(a)
            case .engineer: p.engineers.append(a)
            case .areaSupervisor: p.supervisors.append(a)
            case .finance: p.finance.append(a)
            case .csManager, .centerHead: p.managers.append(a)
            default: break
            }
        }
        let residentUsers = Dictionary(users.filter { $0.role == Role.resident.rawValue && $0.personID != nil }.map { ($0.personID!, $0) },
                                       uniquingKeysWith: { a, _ in a })
        let links = try await OccupancyModel.query(on: store.db).filter(\.$communityID == community).sort(\.$id).limit(600).all()
        let units = Dictionary(uniqueKeysWithValues: try await UnitModel.query(on: store.db).filter(\.$id ~~ Set(links.map(\.unitID))).all().map { ($0.id!, $0) })
        for l in links {
            guard let u = units[l.unitID], u.kind != UnitKind.parking.rawValue else { continue }
            p.residents.append((u.id!, l.personID, u.buildingID, residentUsers[l.personID].map { Assignee(id: $0.id!, name: $0.displayName) }))
        }
        return p
    }

    private func catalogue(_ community: UUID, by actor: Actor, on sim: Store) async throws {
        let items: [(String, String, String, String, String, Int)] = [
            ("PS01", "疏通下水道", "Drain unblocking", "次", "job", 8000),
            ("PS02", "更换水龙头(不含材料)", "Replace a tap (labour)", "个", "tap", 3000),
            ("PS03", "更换灯具(不含材料)", "Replace a light fitting (labour)", "个", "fitting", 2500),
            ("PS04", "空调清洗", "Air-conditioner cleaning", "台", "unit", 12000),
            ("PS05", "家庭保洁", "Home cleaning", "小时", "hour", 4500),
            ("PS06", "开锁(凭证件)", "Unlocking (with ID)", "次", "job", 5000),
        ]
        for (code, zh, en, uzh, uen, price) in items {
            _ = try await sim.orders.addCatalogueItem(CatalogueItem(communityID: community, code: code, name: Message(zh: zh, en: en),
                                                                   unit: Message(zh: uzh, en: uen), price: price), by: actor)
        }
    }


    /// One request and what the center does about it, minute by minute.
    private func plan(_ plan: Int, day: Date, community: UUID, people: People, items: [CatalogueItem], rng: inout SeededRandom) -> [Step] {
        let (kind, category, texts) = SampleRequests.pick(using: &rng)
        let text = texts.randomElement(using: &rng)!
        let resident = people.residents.randomElement(using: &rng)!
        let desk = actor(people.desk.randomElement(using: &rng)!)
        let engineer = people.engineers.randomElement(using: &rng)!
        let manager = actor(people.managers.randomElement(using: &rng) ?? people.desk[0])
        // Calls come mostly in the day, some at night.
        let hour = [7, 8, 9, 9, 10, 10, 11, 13, 14, 15, 15, 16, 17, 18, 19, 20, 21, 22, 23, 2].randomElement(using: &rng)!
        var t = day.addingTimeInterval(Double(hour * 3600 + Int.random(in: 0..<3600, using: &rng)))
        let channel: PropDeskCore.Channel = [.hotline, .hotline, .hotline, .walkIn, .portal, .portal, .wechat, .ownersGroup, .patrol].randomElement(using: &rng)!
        let byResident = channel == .portal && resident.user != nil
        let creator = byResident ? Actor(userID: resident.user!.id, name: resident.user!.name) : desk
        let item = kind == .paidService ? items.first { text.contains("疏通") ? $0.code == "PS01" : $0.code == "PS05" } : nil
        var out = [Step(at: t, plan: plan, action: .create(OrderDraft(
            communityID: community, kind: kind, channel: byResident ? .portal : channel, category: category, unitID: resident.unit,
            requesterID: resident.person, description: text, catalogueItemID: item?.id), creator))]
        func then(_ minutes: ClosedRange<Int>, _ action: OrderAction, _ who: Actor) {
            t = t.addingTimeInterval(Double(Int.random(in: minutes, using: &rng) * 60))
            out.append(Step(at: t, plan: plan, action: .act(action, who)))
        }
        let fieldPerson = (kind == .dispute || kind == .violation) ? (people.supervisors.randomElement(using: &rng) ?? engineer) : engineer
        let me = actor(fieldPerson)
        let emergency = Classifier().classify(text).emergency
        let visits = kind.needsVisit || kind == .dispute || kind == .violation
        let roll = Int.random(in: 0..<100, using: &rng)
        if roll < 3 {
            // A complaint is never simply called off: only one logged by mistake is withdrawn, by the manager (S0 2.5).
            if kind == .complaint {
                then(2...20, .cancel(reason: "前台误选为投诉,实为咨询 / Logged as a complaint by mistake", loggedByMistake: true), manager)
            } else {
                then(2...20, .cancel(reason: "业户来电取消 / The resident called to cancel"), desk)
            }
            return out
        }
        // Most inquiries, suggestions and queries are answered there and then by the desk (S1 2.4).
        if OrderMachine.answerable.contains(kind) && roll % 3 != 0 {
            then(1...6, .answer(note: "已当场答复业户 / Answered on the phone"), desk)
            return out
        }
        // Water and electricity repairs go out by rule; the rest by hand, a few to the open pool.
        // A rule matches these at intake (INT-15), so nobody dispatches them by hand.
        let byRule = (category == .water || category == .electricity) && kind.needsVisit
        var worker = byRule ? Self.assignee : me
        if kind == .complaint {
            worker = manager
            then(5...40, .dispatch(Assignee(id: manager.userID!, name: manager.name)), desk)
            then(5...60, .accept, manager)
            then(30...600, .contact(note: "已与业户沟通,了解诉求 / Talked with the resident"), manager)
            then(120...2880, .reply(opinion: "已约谈相关人员,限期整改 / Spoke with those involved; a deadline to put it right",
                                    reply: "已告知业户处理结果及整改时间 / Told the resident what was done and by when"), manager)
        } else if !visits {
            let supervisor = people.supervisors.randomElement(using: &rng) ?? engineer
            worker = actor(supervisor)
            then(3...30, .dispatch(supervisor), desk)
            then(2...60, .accept, worker)
            then(10...600, .complete(note: "已答复业户 / Answered"), worker)
        } else {
            if !byRule {
                if roll % 10 == 0 && !emergency {
                    then(2...10, .pool, desk)
                    then(3...15, .take(fieldPerson), me)
                } else {
                    then(emergency ? 1...3 : 2...8, .dispatch(fieldPerson), desk)
                    then(emergency ? 1...3 : 1...8, .accept, me)
                }
            } else {
                then(emergency ? 1...3 : 1...8, .accept, worker)
            }
            if kind == .paidService, let item {
                then(5...30, .agreePrice(fen: item.price), worker)
            }
            if !emergency && roll % 4 == 0 { then(2...15, .contact(note: "电话告知约 30 分钟到 / Called: there in about 30 minutes"), worker) }
            // Emergencies: mostly within 15 minutes; one in eight late.
            if emergency {
                then(roll % 8 == 0 ? 16...28 : 4...12, .checkIn, worker)
            } else {
                then(roll % 6 == 0 ? 20...90 : 3...10, .checkIn, worker)
            }
            if roll % 12 == 1 {
                then(10...40, .hold(reason: "等待配件到货 / Waiting for parts"), worker)
                then(600...2880, .resume, worker)
            }
            if kind == .paidService, roll % 3 == 0 {
                then(5...20, .addExtra(fen: 1500, note: "更换存水弯 / Replaced the trap", consentBy: "业主本人 / The owner"), worker)
            }
            then(15...150, .complete(note: "已处理完毕 / Done"), worker)
        }
        // Sign-off: most residents accept the same day, some reject, some never answer (INT-18).
        // A complaint has no sign-off: its reply is followed by the return visit.
        let answer = kind == .complaint ? 100 : Int.random(in: 0..<100, using: &rng)
        let signer = resident.user.map { Actor(userID: $0.id, name: $0.name) } ?? worker
        let onDevice = resident.user == nil
        if answer < 6 {
            then(30...600, .reject(rating: 2, comment: "问题没有解决 / Not fixed", onResidentDevice: onDevice), signer)
            then(60...600, visits ? .checkIn : .accept, worker)
            then(20...120, .complete(note: "返工处理完毕 / Redone"), worker)
            then(30...600, .signOff(rating: 4, comment: "这次好了 / Fine now", onResidentDevice: onDevice), signer)
        } else if answer < 90 {
            let rating = answer < 9 ? 2 : [3, 4, 4, 5, 5, 5].randomElement(using: &rng)!
            then(10...600, .signOff(rating: rating, comment: rating >= 4 ? "师傅很专业 / Very professional" : "一般 / So-so", onResidentDevice: onDevice), signer)
        }
        // Return visits by the front desk a day or two later (INT-12), and settlement (INT-10).
        let satisfied = Int.random(in: 0..<100, using: &rng) >= 8
        t = t.addingTimeInterval(Double(Int.random(in: 600...2880, using: &rng) * 60))
        out.append(Step(at: t, plan: plan, action: .act(.returnVisit(ReturnVisit(
            method: [.phone, .phone, .inPerson].randomElement(using: &rng)!, satisfied: satisfied,
            answer: satisfied ? "业户表示满意 / The resident is satisfied" : "业户反映问题仍然存在 / The resident says it is still wrong",
            onDissatisfied: .reopen)), desk)))
        if kind == .paidService, let cashier = people.finance.first ?? people.desk.first {
            t = t.addingTimeInterval(3600)
            out.append(Step(at: t, plan: plan, action: .act(.settle(receipt: "SK\(String(format: "%06d", plan))"), actor(cashier))))
        }
        return out
    }
}
