import Foundation

/// Years of work orders for one community, played through the real `OrderMachine` in memory —
/// no database, no network — so `propdesk generate` can write a million realistic orders in
/// minutes (benchmarks at scale, RUN-6). Every order has the timeline a real one would have:
/// registered by the front desk, dispatched, accepted, checked in, done, signed off and rated,
/// a sample visited back; a few arrive late and raise their alerts, a few are cancelled, paid
/// services are priced and settled. Orders whose next step would lie in the future stay open.
///
/// Same seed, same orders: identifiers come from the seed too.
public struct ScaleHistory: Sendable {
    /// Who lives where and who works there: what the history needs of the registry.
    public struct Cast: Sendable {
        public struct Household: Sendable {
            public let unit: PropertyUnit
            public let person: Person
        }
        public let community: Community
        public let households: [Household]
        public let desk: [Assignee]
        public let engineers: [Assignee]
        public let manager: Assignee

        public init(community: Community, households: [Household], desk: [Assignee], engineers: [Assignee], manager: Assignee) {
            self.community = community
            self.households = households
            self.desk = desk
            self.engineers = engineers
            self.manager = manager
        }

        /// The cast of one community of generated registry data.
        public init?(_ data: DemoData, community: Community) {
            let units = Dictionary(uniqueKeysWithValues: data.units.filter { $0.communityID == community.id }.map { ($0.id, $0) })
            let households = data.residents.compactMap { h -> Household? in
                guard h.person.communityID == community.id, let u = units[h.occupancy.unitID] else { return nil }
                return Household(unit: u, person: h.person)
            }
            let staff = data.staff.map(\.account).filter { $0.scopes.contains { $0.communityID == community.id } }
            func people(_ role: Role) -> [Assignee] { staff.filter { $0.role == role }.map { Assignee(id: $0.id, name: $0.displayName) } }
            guard !households.isEmpty, let manager = people(.csManager).first, !people(.frontDesk).isEmpty, !people(.engineer).isEmpty else { return nil }
            self.init(community: community, households: households, desk: people(.frontDesk), engineers: people(.engineer), manager: manager)
        }
    }

    /// What one call to `make` produced, ready to be written in bulk.
    public struct Batch: Sendable {
        public var orders: [WorkOrder] = []
        public var events: [OrderEvent] = []
        public var clocks: [SLAClock] = []
        public var alerts: [Alert] = []
        public init() {}
    }

    public let contract: ServiceContract
    public init(contract: ServiceContract = ServiceContract()) { self.contract = contract }

    /// `count` orders numbered from `firstSeq`, created evenly at random between `from` and `to`,
    /// with their steps as far as `now`. Then `overdue` unattended help calls made two hours
    /// before `now`: nobody dispatched them, so each has a response and an arrival clock due —
    /// work for the sweeper.
    public func make(_ cast: Cast, firstSeq: Int, count: Int, from: Date, to: Date, now: Date, overdue: Int = 0, seed: UInt64) -> Batch {
        var rng = SeededRandom(seed: seed)
        var ids = SeededRandom(seed: seed ^ 0x5CA1E)
        func uuid() -> UUID { UUID.seeded(&ids) }
        let machine = OrderMachine(contract: contract)
        var batch = Batch()
        let span = max(1, to.timeIntervalSince(from))
        // Creation times ascending, so numbers rise with time as they do in real life.
        let times = (0..<count).map { _ in from.addingTimeInterval(Double.random(in: 0..<span, using: &rng)) }.sorted()
        for (i, createdAt) in times.enumerated() {
            let t = play(cast, seq: firstSeq + i, at: createdAt, now: now, machine: machine, rng: &rng, uuid: uuid)
            batch.add(t, uuid: uuid)
        }
        for j in 0..<overdue {
            let h = cast.households[Int(rng.next() % UInt64(cast.households.count))]
            let desk = cast.desk[j % cast.desk.count]
            let draft = OrderDraft(communityID: cast.community.id, kind: .help, channel: .hotline, category: .security, unitID: h.unit.id,
                                   buildingID: h.unit.buildingID, areaID: h.unit.areaID, location: "", requesterID: h.person.id,
                                   contactName: h.person.name, contactPhone: h.person.phone, description: "老人被锁在门外,请帮忙联系开锁")
            let at = now.addingTimeInterval(-7200 + Double(j % 600))
            let seq = firstSeq + count + j
            if let t = try? machine.open(draft, id: uuid(), number: WorkOrder.number(code: cast.community.code, seq: seq, at: at, timeZone: cast.community.timeZone),
                                         seq: seq, owner: cast.manager, by: Actor(userID: desk.id, name: desk.name), at: at) {
                batch.add((t.order, t.events, t.clocks, t.alerts), uuid: uuid)
            }
        }
        return batch
    }

    private typealias Played = (order: WorkOrder, events: [OrderEvent], clocks: [SLAClock], alerts: [Alert])

    /// One order from the call to its close, stopping at the first step that would be after `now`.
    private func play(_ cast: Cast, seq: Int, at createdAt: Date, now: Date, machine: OrderMachine,
                      rng: inout SeededRandom, uuid: () -> UUID) -> Played {
        let (kind, category, texts) = SampleRequests.pick(using: &rng)
        let text = texts[Int(rng.next() % UInt64(texts.count))]
        let h = cast.households[Int(rng.next() % UInt64(cast.households.count))]
        let deskPerson = cast.desk[Int(rng.next() % UInt64(cast.desk.count))]
        let desk = Actor(userID: deskPerson.id, name: deskPerson.name)
        let engineer = cast.engineers[Int(rng.next() % UInt64(cast.engineers.count))]
        let worker = Actor(userID: engineer.id, name: engineer.name)
        let resident = Actor(userID: nil, name: h.person.name)
        let channels: [Channel] = [.hotline, .hotline, .hotline, .walkIn, .portal, .portal, .wechat, .ownersGroup]
        let channel = channels[Int(rng.next() % UInt64(channels.count))]
        let listPrice = kind == .paidService ? 5000 + Int(rng.next() % 20) * 500 : nil
        let draft = OrderDraft(communityID: cast.community.id, kind: kind, channel: channel, category: category, unitID: h.unit.id,
                               buildingID: h.unit.buildingID, areaID: h.unit.areaID, location: "", requesterID: h.person.id,
                               contactName: h.person.name, contactPhone: h.person.phone, description: text, listPrice: listPrice)
        let number = WorkOrder.number(code: cast.community.code, seq: seq, at: createdAt, timeZone: cast.community.timeZone)
        guard let opened = try? machine.open(draft, id: uuid(), number: number, seq: seq, owner: cast.manager, by: desk, at: createdAt) else {
            preconditionFailure("a sample request was refused: \(text)")
        }
        var p: Played = (opened.order, opened.events, opened.clocks, opened.alerts)
        var clock = createdAt
        func minutes(_ range: ClosedRange<Int>) -> TimeInterval { Double(Int.random(in: range, using: &rng) * 60) }
        /// Applies one step `after` seconds later; false when that moment has not come yet.
        func step(_ action: OrderAction, by actor: Actor, after: TimeInterval) -> Bool {
            let at = clock.addingTimeInterval(after)
            guard at <= now else { return false }
            // Clocks that ran out before this step fire first, as the sweeper would have fired them.
            fireDue(before: at, machine: machine, &p, uuid: uuid)
            guard let t = try? machine.apply(action, to: p.order, clocks: p.clocks, by: actor, at: at, nextEventSeq: (p.events.last?.seq ?? 0) + 1) else {
                return false
            }
            p.order = t.order
            p.events += t.events
            p.clocks = t.clocks
            p.alerts += t.alerts
            clock = at
            return true
        }
        let emergency = p.order.priority == .emergency
        if kind == .paidService, !step(.agreePrice(fen: listPrice ?? 5000), by: desk, after: minutes(1...3)) { return p }
        guard step(.dispatch(engineer), by: desk, after: minutes(emergency ? 1...3 : 2...12)) else { return p }
        // One in a hundred is called off: the resident fixed it, or it was a mistake.
        if rng.next() % 100 == 0 {
            _ = step(.cancel(reason: "业户来电取消:已自行处理"), by: desk, after: minutes(5...60))
            return p
        }
        guard step(.accept, by: worker, after: minutes(emergency ? 1...3 : 1...15)) else { return p }
        if p.clocks.contains(where: { $0.kind == .arrival }) {
            let target = Double(p.clocks.first { $0.kind == .arrival }?.targetSeconds ?? 3600)
            // About three in a hundred arrive late; the rest within the target.
            let late = rng.next() % 100 < 3
            let travel = late ? target + minutes(5...60) : Double.random(in: 0.2...0.9, using: &rng) * target
            guard step(.checkIn, by: worker, after: max(60, travel - clock.timeIntervalSince(createdAt))) else { return p }
        }
        guard step(.complete(note: "已处理完毕,现场已清理"), by: worker, after: minutes(emergency ? 20...90 : 15...120)) else { return p }
        // Most residents sign off within a day; some never answer and the order closes itself (INT-18).
        if rng.next() % 10 == 0 {
            guard step(.autoClose, by: Actor(userID: nil, name: "PropDesk"), after: Double(contract.autoCloseDays * 86400)) else { return p }
        } else {
            let ratings = [5, 5, 5, 5, 4, 4, 4, 3]
            let rating = ratings[Int(rng.next() % UInt64(ratings.count))]
            guard step(.signOff(rating: rating, comment: rating == 5 ? "师傅很专业" : "", onResidentDevice: rng.next() % 2 == 0),
                       by: resident, after: minutes(10...1440)) else { return p }
        }
        if p.order.status == .visitPending {
            let visit = ReturnVisit(method: .phone, satisfied: true, answer: "业户表示满意")
            guard step(.returnVisit(visit), by: Actor(userID: cast.manager.id, name: cast.manager.name), after: minutes(60...4320)) else { return p }
        }
        if kind == .paidService {
            _ = step(.settle(receipt: "R\(seq)"), by: desk, after: minutes(5...600))
        }
        return p
    }

    /// Fires the clocks that came due before `at`, with their alerts and timeline entries.
    private func fireDue(before at: Date, machine: OrderMachine, _ p: inout Played, uuid: () -> UUID) {
        let due = p.clocks.indices.filter { p.clocks[$0].isRunning && (p.clocks[$0].nextFireAt.map { $0 < at } ?? false) }
        for i in due.sorted(by: { p.clocks[$0].nextFireAt! < p.clocks[$1].nextFireAt! }) {
            let fireAt = min(p.clocks[i].nextFireAt!.addingTimeInterval(30), at)
            let (clock, alerts, _) = machine.fire(p.clocks[i], of: p.order, at: fireAt)
            p.clocks[i] = clock
            var seq = (p.events.last?.seq ?? 0) + 1
            for a in alerts {
                p.events.append(OrderEvent(orderID: p.order.id, communityID: p.order.communityID, seq: seq, kind: .alerted, actorID: nil,
                                           actorName: "PropDesk", at: fireAt, from: p.order.status, to: p.order.status, note: a.message.zhHans,
                                           data: ["alert": a.kind.rawValue, "level": a.level.rawValue, "clock": a.clockKind?.rawValue ?? ""]))
                seq += 1
            }
            p.alerts += alerts
        }
    }
}

extension ScaleHistory.Batch {
    /// Keeps one row per clock and gives events, clocks and alerts identifiers from the seed.
    fileprivate mutating func add(_ p: (order: WorkOrder, events: [OrderEvent], clocks: [SLAClock], alerts: [Alert]), uuid: () -> UUID) {
        orders.append(p.order)
        for var e in p.events { e.id = uuid(); events.append(e) }
        var seen = Set<UUID>()
        for var c in p.clocks.reversed() where seen.insert(c.id).inserted { c.id = uuid(); clocks.append(c) }
        for var a in p.alerts { a.id = uuid(); alerts.append(a) }
    }
}

extension UUID {
    /// A version-4 UUID from a seeded generator: the same seed gives the same identifiers.
    public static func seeded<R: RandomNumberGenerator>(_ rng: inout R) -> UUID {
        let a = rng.next(), b = rng.next()
        var bytes = withUnsafeBytes(of: a.bigEndian) { Array($0) } + withUnsafeBytes(of: b.bigEndian) { Array($0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
