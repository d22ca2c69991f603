import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// A year (or any number of months) of fees for the demo and for `propdesk generate` (RUN-3,
/// issue 17 item 10): the community's fee schedule, a real billing run on the first of each month
/// (`FeeStore.runBilling`, the code finance runs), and the payments residents made — written in
/// bulk, because thousands of households paying every month are too many transactions to play
/// one by one. The bulk rows are the ones `FeeStore.pay` writes: a receipt numbered gap-free per
/// community and year in the order of payment, its allocations to whole bills, the bills' paid
/// and outstanding amounts, and the year's receipt counter.
///
/// How households pay (a true story, with misses): most pay each month's bill within the month;
/// some pay every quarter, some two months late, some stopped paying a few months ago and a few
/// more than six months ago (long-term arrears, S2 4.5.3). `slowArea` — one area of the community —
/// has more of the latter, so its collection rate ends a little under 95 % (S4 篇4).
public enum FeeHistory {
    /// The schedule every demo and generated community publishes (FEE-1, FEE-5).
    public static func items(community: UUID, from month: String, at: Date) -> [FeeItem] {
        [
            FeeItem(communityID: community, code: "MGMT-R", name: "住宅物业服务费", basis: .perAreaMonth, unitKind: .residential, rateFen: 235,
                    legalBasis: "深发改〔2024〕118号《关于住宅物业服务收费标准的批复》;前期物业服务合同第五条", custodyDiscount: true,
                    fromMonth: month, createdAt: at),
            FeeItem(communityID: community, code: "MGMT-C", name: "商铺物业服务费", basis: .perAreaMonth, unitKind: .commercial, rateFen: 480,
                    legalBasis: "深发改〔2024〕118号;商铺物业服务合同第四条", custodyDiscount: false, fromMonth: month, createdAt: at),
            FeeItem(communityID: community, code: "PARK", name: "车位管理服务费", basis: .perUnitMonth, unitKind: .parking, rateFen: 8000,
                    legalBasis: "深价〔2023〕56号《机动车停放服务收费标准》", custodyDiscount: false, fromMonth: month, createdAt: at),
            FeeItem(communityID: community, code: "CARD", name: "门禁卡补办工本费", basis: .oneOff, unitKind: nil, rateFen: 2000,
                    legalBasis: "前期物业服务合同第十二条;收费项目一览表", custodyDiscount: false, fromMonth: month, createdAt: at),
        ]
    }

    /// How one household pays.
    enum Habit {
        case prompt
        case quarterly
        case late(months: Int)
        case stopped(monthsAgo: Int)
    }

    /// The habit of the `index`-th household of its group (the slow area, or the others). The draw is
    /// a low-discrepancy sequence, not a random number: each habit's share of a few hundred households
    /// is then what the table says to within a household or two, so the slow area's collection rate
    /// lands a little under 95 % on every load instead of on most (a random draw put it at 95.3 % once).
    static func habit(slow: Bool, index: Int) -> Habit {
        let golden = 0.6180339887498949
        let r = (Double(index) * golden + 0.5).truncatingRemainder(dividingBy: 1)
        let (long, short, late, quarterly) = slow ? (0.045, 0.05, 0.06, 0.08) : (0.015, 0.02, 0.03, 0.06)
        switch r {
        case ..<long: return .stopped(monthsAgo: 7 + index % 5)
        case ..<(long + short): return .stopped(monthsAgo: 1 + index % 4)
        case ..<(long + short + late): return .late(months: 2)
        case ..<(long + short + late + quarterly): return .quarterly
        default: return .prompt
        }
    }

    struct BillRow { let id: UUID; let unit: UUID; let area: UUID?; let period: String; let owed: Int }
    struct PaymentEvent { let unit: UUID; let area: UUID?; let bills: [BillRow]; let at: Date }

    /// Bills `months` months (the current one included) and pays them as the habits say, up to `asOf`.
    /// Returns (bills, receipts) written.
    @discardableResult
    public static func write(community: UUID, months: Int, asOf: Date, cashiers: [Actor], slowArea: UUID?, seed: UInt64,
                             on db: any Database) async throws -> (bills: Int, receipts: Int) {
        guard months > 0, let c = try await CommunityModel.find(community, on: db) else { return (0, 0) }
        let tz = c.timeZone
        let current = FeeStore.month(asOf, timeZone: tz)
        let first = FeeMonth.adding(-(months - 1), to: current)
        let schedule = try await FeeStore(db: db, now: { asOf }).items(community: community)
        if schedule.isEmpty {
            try await BulkInsert.run(items(community: community, from: first, at: firstInstant(of: first, tz)).map(FeeItemModel.init), on: db)
        }
        var bills = 0
        for k in 0..<months {
            let month = FeeMonth.adding(k, to: first)
            let at = firstInstant(of: month, tz).addingTimeInterval(9 * 3600)
            guard at <= asOf else { break }
            bills += try await FeeStore(db: db, now: { at }).runBilling(community: community, period: month, by: Actor(userID: nil, name: "财务 / Finance"))
                .billsCreated
        }
        let receipts = try await pay(community: community, timeZone: tz, current: current, asOf: asOf, cashiers: cashiers, slowArea: slowArea,
                                     seed: seed, on: db)
        return (bills, receipts)
    }

    /// The first instant of a month in a time zone.
    static func firstInstant(of month: String, _ tz: String) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: tz) ?? TimeZone(identifier: "Asia/Shanghai")!
        let p = month.split(separator: "-").compactMap { Int($0) }
        return cal.date(from: DateComponents(year: p.first, month: p.count > 1 ? p[1] : 1, day: 1)) ?? Date(timeIntervalSince1970: 0)
    }

    /// The payments of every household of the community, as bulk rows.
    static func pay(community: UUID, timeZone tz: String, current: String, asOf: Date, cashiers: [Actor], slowArea: UUID?, seed: UInt64,
                    on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().columns("id", "unit_id", "area_id", "period", "amount_fen", "credited_fen", "paid_fen").from(BillModel.schema)
            .where("community_id", .equal, community).where("outstanding_fen", .greaterThan, 0).orderBy("unit_id").orderBy("period").all()
        var byUnit: [UUID: [BillRow]] = [:]
        var order: [UUID] = []
        for r in rows {
            let unit = try r.decode(column: "unit_id", as: UUID.self)
            let owed = try r.decode(column: "amount_fen", as: Int.self) - r.decode(column: "credited_fen", as: Int.self) - r.decode(column: "paid_fen", as: Int.self)
            if byUnit[unit] == nil { order.append(unit) }
            byUnit[unit, default: []].append(BillRow(id: try r.decode(column: "id", as: UUID.self), unit: unit,
                                                     area: try r.decode(column: "area_id", as: UUID?.self),
                                                     period: try r.decode(column: "period", as: String.self), owed: owed))
        }
        var rng = SeededRandom(seed: seed)
        var events: [PaymentEvent] = []
        var counted = (slow: 0, others: 0)
        for unit in order {
            let bills = byUnit[unit] ?? []
            guard let firstBill = bills.first else { continue }
            let slow = firstBill.area != nil && firstBill.area == slowArea
            let index = slow ? counted.slow : counted.others
            if slow { counted.slow += 1 } else { counted.others += 1 }
            let habit = habit(slow: slow, index: index)
            var groups: [(Date, [BillRow])] = []
            for b in bills {
                let start = firstInstant(of: b.period, tz)
                let age = FeeMonth.distance(from: b.period, to: current)
                let day = Double(Int.random(in: 2...24, using: &rng)) * 86400 + Double(Int.random(in: 9...19, using: &rng)) * 3600
                switch habit {
                case .prompt:
                    groups.append((start.addingTimeInterval(day), [b]))
                case .late(let n):
                    groups.append((firstInstant(of: FeeMonth.adding(n, to: b.period), tz).addingTimeInterval(day), [b]))
                case .stopped(let ago):
                    if age >= ago { groups.append((start.addingTimeInterval(day), [b])) }
                case .quarterly:
                    // Paid with the quarter's last month, in its first weeks.
                    let month = Int(b.period.suffix(2)) ?? 1
                    let quarterEnd = FeeMonth.adding((3 - (month - 1) % 3) % 3, to: b.period)
                    let at = firstInstant(of: quarterEnd, tz).addingTimeInterval(day)
                    if let last = groups.last, last.0 == at { groups[groups.count - 1].1.append(b) } else { groups.append((at, [b])) }
                }
            }
            for (at, paid) in groups where at <= asOf { events.append(PaymentEvent(unit: unit, area: paid[0].area, bills: paid, at: at)) }
        }
        events.sort { $0.at < $1.at }
        guard !events.isEmpty, !cashiers.isEmpty else { return 0 }

        var counters: [Int: Int] = [:]
        for r in try await sql.select().columns("year", "last_number").from(ReceiptCounterModel.schema).where("community_id", .equal, community).all() {
            counters[try r.decode(column: "year", as: Int.self)] = try r.decode(column: "last_number", as: Int.self)
        }
        // One calendar for every payment's day (its first four digits are the receipt's year).
        let days = WorkingDays(ServiceHours(timeZone: tz))
        let methods: [(PaymentMethod, Int)] = [(.wechat, 45), (.alipay, 20), (.bank, 15), (.cash, 12), (.card, 8)]
        var receiptRows: [BulkRows.Row] = []
        var allocationRows: [BulkRows.Row] = []
        var paidBills: [UUID] = []
        for e in events {
            let day = days.dayKey(e.at)
            let year = Int(day.prefix(4)) ?? 0
            let number = (counters[year] ?? 0) + 1
            counters[year] = number
            var pick = Int.random(in: 0..<100, using: &rng)
            let method = methods.first { pick -= $0.1; return pick < 0 }?.0 ?? .wechat
            let prefix = method == .wechat ? "WX" : method == .alipay ? "ZFB" : method == .bank ? "YH" : "POS"
            let reference = method.needsReference ? prefix + Int.random(in: 0..<1_000_000_000_000, using: &rng).zeroPadded(12) : ""
            let cashier = cashiers[Int.random(in: 0..<cashiers.count, using: &rng)]
            let total = e.bills.reduce(0) { $0 + $1.owed }
            let receipt = UUID()
            receiptRows.append([receipt, community, year, number, ReceiptKind.payment.rawValue, e.unit, e.area, total, method.rawValue, reference,
                                "业主 / Owner", cashier.userID, cashier.name, e.at, day, nil as UUID?, nil as Date?,
                                nil as String?, nil as String?, nil as UUID?, nil as UUID?])
            for b in e.bills {
                allocationRows.append([UUID(), receipt, b.id, community, b.area, b.period, b.owed, e.at, false])
                paidBills.append(b.id)
            }
        }
        let (receiptRowsDone, allocationRowsDone, paidBillsDone, countersDone) = (receiptRows, allocationRows, paidBills, counters)
        try await db.transaction { tx in
            try await BulkRows.insert(ReceiptModel.schema, receiptColumns, receiptRowsDone, on: tx)
            try await BulkRows.insert(PaymentAllocationModel.schema, allocationColumns, allocationRowsDone, on: tx)
            let txSQL = tx as! any SQLDatabase
            for chunk in paidBillsDone.chunked(into: 5000) {
                try await txSQL.update(BillModel.schema).set(SQLIdentifier("paid_fen"), to: SQLRaw("amount_fen - credited_fen"))
                    .set("outstanding_fen", to: 0).where("id", .in, Array(chunk)).run()
            }
            for (year, last) in countersDone {
                try await txSQL.delete(from: ReceiptCounterModel.schema).where("community_id", .equal, community).where("year", .equal, year).run()
                try await txSQL.insert(into: ReceiptCounterModel.schema).columns("id", "community_id", "year", "last_number")
                    .values(UUID(), community, year, last).run()
            }
        }
        return receiptRows.count
    }

    /// The columns of `receipts` and `payment_allocations` in the models' order (a test reads bulk rows back through the models).
    static let receiptColumns = ["id", "community_id", "year", "number", "kind", "unit_id", "area_id", "amount_fen", "method", "reference", "payer",
                                 "cashier_id", "cashier_name", "issued_at", "day", "deposit_id", "voided_at", "voided_by_name", "void_reason",
                                 "close_id", "form_id"]
    static let allocationColumns = ["id", "receipt_id", "bill_id", "community_id", "area_id", "period", "amount_fen", "paid_at", "voided"]
}
