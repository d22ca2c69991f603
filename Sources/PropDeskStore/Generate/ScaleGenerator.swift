import Fluent
import Foundation
import SQLKit
import PropDeskCore

/// `propdesk generate` (RUN-6): a large property company's data for benchmarks — by default
/// 100 communities, 100,000 units, 300,000 people and 1,000,000 work orders over three years —
/// deterministic from a seed and written with multi-row inserts, one transaction per
/// community, so an interrupted run leaves whole communities and nothing half-written.
public struct ScaleGenerator: Sendable {
    public struct Size: Sendable, Equatable {
        public var communities = 100
        public var units = 100_000
        public var people = 300_000
        public var orders = 1_000_000
        public var years = 3
        /// Clocks due for the sweeper when the data is written (two per unattended call).
        public var dueClocks = 1_000
        public var seed: UInt64 = 20261124
        /// Months of fees — a billing run each month and the households' payments (FEE-1, issue 17).
        public var feeMonths = 12
        public init() {}

        public func validated() throws -> Size {
            func bad(_ field: String, _ zh: String, _ en: String) -> DomainError { DomainError.invalid(field: field, Message(zh: zh, en: en)) }
            guard (1...10_000).contains(communities) else { throw bad("communities", "社区数应在 1 到 10000 之间", "Communities must be between 1 and 10,000") }
            guard units >= communities * 4, units <= 10_000_000 else { throw bad("units", "每个社区至少 4 户,总数不超过 1000 万", "At least 4 units per community and at most 10 million") }
            guard people >= units, people <= 5 * units else { throw bad("people", "人数应为户数的 1 到 5 倍", "People must be 1 to 5 times the units") }
            guard (0...50_000_000).contains(orders) else { throw bad("orders", "工单数应在 0 到 5000 万之间", "Orders must be between 0 and 50 million") }
            guard (1...20).contains(years) else { throw bad("years", "年数应在 1 到 20 之间", "Years must be between 1 and 20") }
            guard (0...60).contains(feeMonths) else { throw bad("feeMonths", "收费月数应在 0 到 60 之间", "Fee months must be between 0 and 60") }
            guard (0...1_000_000).contains(dueClocks) else { throw bad("due", "到期时钟数应在 0 到 100 万之间", "Due clocks must be between 0 and 1,000,000") }
            return self
        }
    }

    public struct Report: Sendable {
        public var communities = 0, units = 0, people = 0, accounts = 0
        public var orders = 0, events = 0, clocks = 0, alerts = 0
        public var bills = 0, receipts = 0
    }

    let store: Store
    public init(store: Store) { self.store = store }

    static let namePrefixes = ["翠湖", "锦绣", "阳光", "碧水", "金域", "华庭", "御景", "星河", "海悦", "紫荆"]
    static let nameSuffixes = ["花园", "家园", "苑", "名邸", "雅居", "新城", "公馆", "华府", "山庄", "湾"]

    /// The registry of community `index`: the same for the same size and seed, every time.
    static func registry(_ size: Size, index i: Int) -> DemoData {
        let perCommunity = size.units / size.communities + (i < size.units % size.communities ? 1 : 0)
        let floors = max(1, min(25, perCommunity / 4))
        let towers = max(1, perCommunity / (floors * 4))
        let name = namePrefixes[i % 10] + nameSuffixes[(i / 10) % 10] + (i >= 100 ? "\(i / 100 + 1)期" : "")
        let plan = DemoData.Plan(code: String(format: "C%03d", i + 1), name: name, address: "深圳市第 \(i + 1) 号地块",
                                 towers: towers, floors: floors, flatsPerFloor: 4, shops: 0, parking: 0,
                                 areaNames: ["一区", "二区", "三区", "四区"])
        var layout = DemoData.Layout()
        let extra = max(0, Int((Double(size.people) / Double(size.units) - 1).rounded()))
        layout.occupiedPercent = 100
        layout.extraOccupants = max(0, extra - 1)...(extra + 1)
        layout.phoneSerialStart = i * 100_000
        layout.residentAccountsPerCommunity = 1
        layout.withAdmin = i == 0
        return DemoData.make(seed: size.seed &+ UInt64(i) &* 7919, plans: [plan], layout: layout)
    }

    /// The last order number of every community that has orders: one read of `work_orders_number`.
    static func lastSeqs(on db: any Database) async throws -> [UUID: Int] {
        var out: [UUID: Int] = [:]
        for r in try await (db as! any SQLDatabase).raw("SELECT community_id, MAX(seq) AS seq FROM work_orders GROUP BY community_id").plainRows() {
            out[try r.uuid(required: "community_id")] = try r.int(required: "seq")
        }
        return out
    }

    /// How many of `total` fall to community `i` of `n`.
    static func share(_ total: Int, _ i: Int, _ n: Int) -> Int { total / n + (i < total % n ? 1 : 0) }

    /// Fills an empty database.
    public func generate(_ size: Size, passwordHash: String, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> Report {
        let size = try size.validated()
        guard try await store.isEmpty() else {
            throw DomainError.conflict(code: "not_empty", Message(zh: "数据库已有数据,生成数据只能写入空数据库(追加工单请用 --more)",
                                                                  en: "The database already has data; generate writes only into an empty one (add orders with --more)"))
        }
        return try await write(size, orders: size.orders, registry: true, passwordHash: passwordHash, progress: progress)
    }

    /// Adds `orders` more orders (and `size.dueClocks` more due clocks) to the communities an
    /// earlier `generate` with the same size and seed made: the table grows, the work due does not.
    public func addOrders(_ size: Size, orders: Int, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> Report {
        let size = try size.validated()
        let first = Self.registry(size, index: 0).communities[0]
        guard try await CommunityModel.find(first.id, on: store.db) != nil else {
            throw DomainError.conflict(code: "not_generated", Message(zh: "数据库中没有以相同规模和种子生成的数据", en: "The database holds no data generated with this size and seed"))
        }
        return try await write(size, orders: orders, registry: false, passwordHash: "", progress: progress)
    }

    private func write(_ size: Size, orders total: Int, registry: Bool, passwordHash: String,
                       progress: (@Sendable (String, Int, Int) -> Void)?) async throws -> Report {
        let now = store.now()
        let from = now.addingTimeInterval(-Double(size.years) * 365 * 86400)
        let history = ScaleHistory()
        var report = Report()
        let store = self.store
        // Where each community's numbers go on (--more), read before anything is written: read
        // while the previous community's transaction held the file, the next one's preparation
        // waited for a connection, and on a busy machine gave up after the pool's 10 seconds
        // ("connectionRequestTimeout" at community 79 of 100, 2026-12-03).
        let lastSeqs: [UUID: Int] = registry ? [:] : try await Self.lastSeqs(on: store.db)
        /// Community `i`'s registry and orders, made in memory: CPU work that runs on the other
        /// core while the previous community is being written.
        @Sendable func prepare(_ i: Int) async throws -> (DemoData, ScaleHistory.Batch)? {
            let data = Self.registry(size, index: i)
            let community = data.communities[0]
            guard let cast = ScaleHistory.Cast(data, community: community) else { return nil }
            let nextSeq = 1 + (lastSeqs[community.id] ?? 0)
            let batch = history.make(cast, firstSeq: nextSeq, count: Self.share(total, i, size.communities), from: from,
                                     to: now.addingTimeInterval(-60), now: now, overdue: Self.share(size.dueClocks / 2, i, size.communities),
                                     seed: size.seed ^ (UInt64(i) << 20) ^ UInt64(nextSeq))
            return (data, batch)
        }
        var next = Task { try await prepare(0) }
        for i in 0..<size.communities {
            let prepared = try await next.value
            if i + 1 < size.communities { next = Task.detached { try await prepare(i + 1) } }
            guard let (data, batch) = prepared else { continue }
            let (at, cipher) = (now, store.cipher)
            report.accounts += try await store.db.transaction { tx -> Int in
                let accounts = registry ? try await DemoLoader.insert(data, passwordHash: passwordHash, cipher: cipher, at: at, on: tx) : 0
                try await BulkRows.insert(WorkOrderModel.schema, BulkRows.orderColumns, batch.orders.map(BulkRows.row), on: tx)
                try await BulkRows.insert("timeline_entries", TimelineStore.columns, TimelineStore.sealNew(batch.events.map(TimelineEntry.init)).map(TimelineStore.row), on: tx)
                try await BulkRows.insert(SLAClockModel.schema, BulkRows.clockColumns, batch.clocks.map(BulkRows.row), on: tx)
                try await BulkRows.insert(AlertModel.schema, BulkRows.alertColumns, batch.alerts.map(BulkRows.row), on: tx)
                return accounts
            }
            if registry {
                report.communities += 1
                report.units += data.units.count
                report.people += data.residents.count
            }
            if registry, size.feeMonths > 0, let community = data.communities.first {
                // A year of bills and payments: the real billing run each month, the payments in bulk.
                let desk = data.staff.first { $0.account.role == .frontDesk }.map { Actor(userID: $0.account.id, name: $0.account.displayName) } ?? Actor(userID: nil, name: "前台 / Desk")
                let fees = try await FeeHistory.write(community: community.id, months: size.feeMonths, asOf: now, cashiers: [desk],
                                                      slowArea: data.areas.first?.id, seed: size.seed ^ UInt64(i), on: store.db)
                report.bills += fees.bills
                report.receipts += fees.receipts
            }
            report.orders += batch.orders.count
            report.events += batch.events.count
            report.clocks += batch.clocks.count
            report.alerts += batch.alerts.count
            progress?("communities", i + 1, size.communities)
        }
        try await AuditLog(db: store.db).record(.console("generate"), .importBatch, entity: "generate", id: nil, community: nil,
            after: ["communities": report.communities, "units": report.units, "people": report.people, "orders": report.orders], at: now)
        return report
    }
}
