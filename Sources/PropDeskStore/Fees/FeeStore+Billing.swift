import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

// Billing (FEE-1, FEE-5): the fee schedule, monthly billing runs, bills, credit notes (红冲),
// one-off bills of settled paid services (INT-10) and opening balances from the old system.
// An issued bill's amount never changes: a correction is a credit note beside it.
extension FeeStore {
    // MARK: The fee schedule

    /// The community's fee items, by code (the public schedule shows the active ones).
    public func items(community: UUID) async throws -> [FeeItem] {
        try await FeeItemModel.query(on: db).filter(\.$communityID == community).sort(\.$code).all().map(\.domain)
    }

    public func item(_ id: UUID) async throws -> FeeItem? {
        try await FeeItemModel.find(id, on: db)?.domain
    }

    /// Creates an item, or updates the item with the same id in the same community. Bills
    /// already issued keep their amounts: a new rate applies from the next run.
    public func saveItem(_ item: FeeItem, by actor: Actor) async throws -> FeeItem {
        let v = try item.validated()
        _ = try await community(v.communityID)
        let at = now()
        do {
            return try await db.writeTransaction { tx in
                if let m = try await FeeItemModel.find(v.id, on: tx) {
                    guard m.communityID == v.communityID else { throw DomainError.notFound(Noun.feeItem) }
                    let before = m.domain
                    var saved = v
                    saved.createdAt = before.createdAt
                    try await Self.checkCodeFree(saved, on: tx)
                    let n = FeeItemModel(saved)
                    m.code = n.code; m.name = n.name; m.basis = n.basis; m.unitKind = n.unitKind; m.rateFen = n.rateFen
                    m.legalBasis = n.legalBasis; m.custodyDiscount = n.custodyDiscount; m.fromMonth = n.fromMonth; m.untilMonth = n.untilMonth
                    m.active = n.active
                    try await m.update(on: tx)
                    try await AuditLog(db: tx).record(actor, .update, entity: "fee_item", id: saved.id, community: saved.communityID,
                                                      before: before, after: saved, at: at)
                    return saved
                }
                var created = v
                created.createdAt = at
                try await Self.checkCodeFree(created, on: tx)
                try await FeeItemModel(created).create(on: tx)
                try await AuditLog(db: tx).record(actor, .create, entity: "fee_item", id: created.id, community: created.communityID, after: created, at: at)
                return created
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            throw Self.codeTaken(v.code)
        }
    }

    static func checkCodeFree(_ item: FeeItem, on db: any Database) async throws {
        if let other = try await FeeItemModel.query(on: db).filter(\.$communityID == item.communityID).filter(\.$code == item.code).first(),
           other.id != item.id { throw codeTaken(item.code) }
    }

    static func codeTaken(_ code: String) -> DomainError {
        DomainError.conflict(code: "fee_code_taken", Message(zh: "收费项目编码 \(code) 已被使用", en: "The item code \(code) is already used"))
    }

    // MARK: Billing runs

    /// What a run for one period would create (and what is already billed), per item.
    public struct BillingPreview: Sendable {
        public struct Line: Sendable {
            public let item: FeeItem
            public let bills: Int
            public let fen: Int
        }
        public let period: String
        /// Units of the community.
        public let units: Int
        /// Bills the run would create now.
        public let bills: Int
        public let totalFen: Int
        /// Bills of the period that exist already (a run for it was made before).
        public let alreadyBilled: Int
        public let lines: [Line]
    }

    /// One billing run: who ran it, for which month, and how many bills it really created
    /// (0 for a repeated run).
    public struct BillingRun: Sendable, Equatable {
        public let id: UUID
        public let communityID: UUID
        public let period: String
        public let billsCreated: Int
        public let totalFen: Int
        public let createdAt: Date
        public let byName: String
    }

    /// One bill a run would write.
    struct PlannedBill {
        let unitID: UUID
        let areaID: UUID?
        let item: Int
        let amount: Int
    }

    /// The bills of a period as the schedule and the registry make them: every unit × every
    /// monthly item that applies to its kind; a unit in custody on any day of the month (FD-2)
    /// pays its agreement's share of the items with `custodyDiscount`.
    func plan(community: UUID, period: String) async throws -> (units: Int, items: [FeeItem], bills: [PlannedBill]) {
        let items = try await self.items(community: community).filter { $0.active && $0.basis != .oneOff && $0.rateFen > 0 }
        let units = try await sql.select().columns("id", "area_id", "kind", "floor_area_hundredths").from(UnitModel.schema)
            .where("community_id", .equal, community).all()
        let first = period + "-01", last = period + "-31"
        let custody = try await sql.select().columns("unit_id", "fee_rate_per_mille").from(CustodyAgreementModel.schema)
            .where("community_id", .equal, community).where("start_day", .lessThanOrEqual, last)
            .where(group: { $0.where("end_day", .is, SQLLiteral.null).orWhere("end_day", .greaterThanOrEqual, first) })
            .all()
        var share: [UUID: Int] = [:]
        for r in custody { share[try r.decode(column: "unit_id", as: UUID.self)] = try r.decode(column: "fee_rate_per_mille", as: Int.self) }
        let applying = (0..<items.count).map { i in (i, UnitKind.allCases.filter { items[i].bills(month: period, kind: $0) }) }
        var bills: [PlannedBill] = []
        bills.reserveCapacity(units.count * max(1, items.count))
        for r in units {
            let id = try r.decode(column: "id", as: UUID.self)
            let area = try r.decode(column: "area_id", as: UUID?.self)
            let kind = UnitKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .residential
            let floor = FloorArea(hundredths: try r.decode(column: "floor_area_hundredths", as: Int.self))
            for (i, kinds) in applying where kinds.contains(kind) {
                let amount = items[i].monthlyAmount(area: floor, custodyPerMille: share[id])
                if amount > 0 { bills.append(PlannedBill(unitID: id, areaID: area, item: i, amount: amount)) }
            }
        }
        return (units.count, items, bills)
    }

    /// The keys of the period's bills that exist already.
    func billedKeys(community: UUID, period: String, on db: (any Database)? = nil) async throws -> Set<String> {
        let sql = (db ?? self.db) as! any SQLDatabase
        let rows = try await sql.select().column("key").from(BillModel.schema).where("community_id", .equal, community)
            .where("period", .equal, period).where("origin", .equal, BillOrigin.run.rawValue).all()
        return Set(try rows.map { try $0.decode(column: "key", as: String.self) })
    }

    /// A month a run may bill: a real month, and not later than next month.
    func checkPeriod(_ period: String, community c: CommunityModel) throws {
        guard FeeMonth.isValid(period) else {
            throw DomainError.invalid(field: "period", Message(zh: "账期请写成 2026-01 这样的月份", en: "Write the period as a month, like 2026-01"))
        }
        let next = FeeMonth.adding(1, to: Self.month(now(), timeZone: c.timeZone))
        guard period <= next else {
            throw DomainError.invalid(field: "period", Message(zh: "最多只能出具下个月(\(next))的账单", en: "Bills can be issued up to next month (\(next)) at most"))
        }
    }

    /// What a run for `period` would create; writes nothing.
    public func preview(community: UUID, period: String) async throws -> BillingPreview {
        try checkPeriod(period, community: try await self.community(community))
        let (units, items, planned) = try await plan(community: community, period: period)
        let billed = try await billedKeys(community: community, period: period)
        var count = [Int](repeating: 0, count: items.count), fen = [Int](repeating: 0, count: items.count)
        var existing = 0
        for b in planned {
            if billed.contains(Bill.runKey(unit: b.unitID, item: items[b.item].id, month: period)) { existing += 1; continue }
            count[b.item] += 1
            fen[b.item] += b.amount
        }
        return BillingPreview(period: period, units: units, bills: count.reduce(0, +), totalFen: fen.reduce(0, +), alreadyBilled: existing,
                              lines: items.indices.map { BillingPreview.Line(item: items[$0], bills: count[$0], fen: fen[$0]) })
    }

    static let billColumns = ["id", "community_id", "area_id", "unit_id", "item_id", "item_name", "period", "origin", "key", "amount_fen",
                              "credited_fen", "paid_fen", "outstanding_fen", "run_id", "note", "created_at"]

    static func row(_ b: Bill) -> [any Encodable & Sendable] {
        [b.id, b.communityID, b.areaID, b.unitID, b.itemID, b.itemName, b.period, b.origin.rawValue, b.key, b.amountFen,
         b.creditedFen, b.paidFen, b.outstandingFen, b.runID, b.note, b.createdAt]
    }

    /// Writes bills with multi-row `INSERT … ON CONFLICT (community_id, key) DO NOTHING`: a bill
    /// that exists already (an earlier run, a concurrent one) is left as it is.
    /// Inserts the bills whose key is new in their community and returns how many were written
    /// and their total: the databases say which rows went in (`RETURNING`), so nothing is
    /// counted again from the table afterwards.
    @discardableResult
    static func insertIgnoringExisting(_ bills: [Bill], on db: any Database) async throws -> (count: Int, fen: Int) {
        let sql = db as! any SQLDatabase
        var (count, fen) = (0, 0)
        for chunk in bills.chunked(into: max(1, BulkInsert.maxBinds / billColumns.count)) {
            let q = sql.insert(into: BillModel.schema).columns(billColumns).ignoringConflicts(with: ["community_id", "key"])
            for b in chunk { q.values(row(b)) }
            for r in try await q.returning("amount_fen").all() {
                count += 1
                fen += try r.decode(column: "amount_fen", as: Int.self)
            }
        }
        return (count, fen)
    }

    /// The monthly billing run (FEE-1): one bill per unit and item for the period. Running it
    /// again creates nothing new — each bill's key is unique in the community.
    public func runBilling(community: UUID, period: String, by actor: Actor) async throws -> BillingRun {
        try checkPeriod(period, community: try await self.community(community))
        let (_, items, planned) = try await plan(community: community, period: period)
        let runID = UUID(), at = now()
        return try await db.writeTransaction { tx in
            let billed = try await self.billedKeys(community: community, period: period, on: tx)
            var bills: [Bill] = []
            bills.reserveCapacity(planned.count)
            for p in planned {
                let item = items[p.item]
                let key = Bill.runKey(unit: p.unitID, item: item.id, month: period)
                if billed.contains(key) { continue }
                bills.append(Bill(communityID: community, areaID: p.areaID, unitID: p.unitID, itemID: item.id, itemName: item.name, period: period,
                                  origin: .run, key: key, amountFen: p.amount, runID: runID, createdAt: at))
            }
            let (created, fen) = try await Self.insertIgnoringExisting(bills, on: tx)
            let m = BillingRunModel()
            m.id = runID; m.communityID = community; m.period = period; m.createdAt = at; m.byName = actor.name
            m.billsCreated = created; m.totalFen = Int64(fen)
            try await m.create(on: tx)
            try await AuditLog(db: tx).record(actor, .create, entity: "billing_run", id: runID, community: community,
                                              after: ["period": period, "billsCreated": String(created), "totalFen": String(fen)], at: at)
            return BillingRun(id: runID, communityID: community, period: period, billsCreated: created, totalFen: fen, createdAt: at, byName: actor.name)
        }
    }

    /// The community's billing runs, newest first.
    public func runs(community: UUID) async throws -> [BillingRun] {
        try await BillingRunModel.query(on: db).filter(\.$communityID == community).sort(\.$createdAt, .descending).limit(500).all().map {
            BillingRun(id: $0.id!, communityID: $0.communityID, period: $0.period, billsCreated: $0.billsCreated, totalFen: Int($0.totalFen),
                       createdAt: $0.createdAt, byName: $0.byName)
        }
    }

    // MARK: Bills

    /// A unit's bills, newest period first.
    public func bills(unit: UUID, community: UUID) async throws -> [Bill] {
        try await BillModel.query(on: db).filter(\.$unitID == unit).filterCommunityBesideANarrowerKey(community).sort(\.$period, .descending).sort(\.$itemName).limit(2000).all().map(\.domain)
    }

    public func bill(_ id: UUID) async throws -> Bill? {
        try await BillModel.find(id, on: db)?.domain
    }

    /// 红冲 — a correction of a bill, recorded beside it.
    public struct CreditNote: Sendable, Equatable {
        public let id: UUID
        public let billID: UUID
        public let amountFen: Int
        public let reason: String
        public let createdAt: Date
        public let byName: String
    }

    public func creditNotes(bill: UUID) async throws -> [CreditNote] {
        try await CreditNoteModel.query(on: db).filter(\.$billID == bill).sort(\.$createdAt).all().map {
            CreditNote(id: $0.id!, billID: $0.billID, amountFen: $0.amountFen, reason: $0.reason, createdAt: $0.createdAt, byName: $0.byName)
        }
    }

    /// Credits part or all of what a bill still owes, with a reason. The bill's amount stays as
    /// issued; its credited and outstanding amounts change in the same transaction as the note.
    /// A form sent twice (the same `formID`) records one note.
    public func creditNote(bill: UUID, amountFen: Int, reason: String, formID: UUID?, by actor: Actor) async throws -> Bill {
        let reason = try Validate.text(reason, field: "reason", max: 500, required: true)
        guard amountFen > 0 else {
            throw DomainError.invalid(field: "amount", Message(zh: "红冲金额须大于 0", en: "The credit must be more than zero"))
        }
        if let formID, let first = try await CreditNoteModel.query(on: db).filter(\.$formID == formID).first() {
            guard first.billID == bill, let b = try await self.bill(bill) else {
                throw DomainError.conflict(code: "form_id_reused", Message(zh: "此表单编号已用于另一张账单", en: "This form's id was already used for another bill"))
            }
            return b
        }
        let at = now()
        do {
            return try await db.writeTransaction { tx in
                // The unit first, as a payment locks it: a payment reads the unit's open bills under
                // that lock, so a credit taken meanwhile would let the two together pay more than owed.
                guard let found = try await BillModel.find(bill, on: tx) else { throw DomainError.notFound(Noun.bill) }
                _ = try await tx.lockRows(UnitModel.schema, community: found.communityID, ids: [found.unitID], skipLocked: false)
                guard let m = try await tx.lockedFind(BillModel.self, bill, community: found.communityID) else { throw DomainError.notFound(Noun.bill) }
                guard amountFen <= m.outstandingFen else {
                    throw DomainError.invalid(field: "amount", Message(zh: "红冲金额不能超过未缴金额 \(Money.yuan(m.outstandingFen))",
                                                                       en: "The credit cannot exceed the \(Money.yuan(m.outstandingFen)) still owed"))
                }
                let note = CreditNoteModel()
                note.id = UUID(); note.billID = bill; note.communityID = m.communityID; note.unitID = m.unitID; note.amountFen = amountFen
                note.reason = reason; note.createdAt = at; note.byName = actor.name; note.formID = formID
                try await note.create(on: tx)
                m.creditedFen += amountFen
                m.outstandingFen = m.amountFen - m.creditedFen - m.paidFen
                try await m.update(on: tx)
                try await AuditLog(db: tx).record(actor, .create, entity: "credit_note", id: note.id, community: m.communityID,
                                                  after: ["bill": m.key, "amountFen": String(amountFen), "reason": reason], at: at)
                return m.domain
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let formID, let first = try await CreditNoteModel.query(on: db).filter(\.$formID == formID).first(), first.billID == bill,
               let b = try await self.bill(bill) { return b }
            throw error
        }
    }

    /// A one-off bill (a settled paid service, INT-10), once per `key`: posting the same key
    /// again hands back the bill already there.
    public func postOneOff(community: UUID, unit: UUID, itemName: String, amountFen: Int, key: String, note: String) async throws -> Bill {
        let bill = try await oneOffBill(community: community, unit: unit, itemName: itemName, amountFen: amountFen, key: key, note: note)
        _ = try await db.writeTransaction { tx in try await Self.insertIgnoringExisting([bill], on: tx) }
        guard let m = try await BillModel.query(on: db).filter(\.$communityID == community).filter(\.$key == key).first() else {
            throw DomainError.notFound(Noun.bill)
        }
        return m.domain
    }

    /// The one-off bill as it would be issued now, checked.
    func oneOffBill(community: UUID, unit: UUID, itemName: String, amountFen: Int, key: String, note: String) async throws -> Bill {
        let name = try Validate.text(itemName, field: "itemName", max: 60, required: true)
        guard (1...100_000_000).contains(amountFen) else {
            throw DomainError.invalid(field: "amount", Message(zh: "金额须在 0 至 100 万元之间", en: "The amount must be between 0 and 1,000,000 yuan"))
        }
        let u = try await self.unit(unit, community: community)
        let at = now()
        let period = Self.month(at, timeZone: try await self.community(community).timeZone)
        return Bill(communityID: community, areaID: u.areaID, unitID: unit, itemID: nil, itemName: name, period: period, origin: .oneOff,
                    key: key, amountFen: amountFen, runID: nil, note: String(note.prefix(500)), createdAt: at)
    }

    // MARK: Opening balances

    /// Imports opening balances (期初欠费): every line's unit must exist in the community, or
    /// nothing is written and every bad line is reported. Each line becomes one bill per month
    /// it covers, keyed "opening:<unit>:<month>", so importing the same file again adds nothing.
    public func importOpeningBalances(_ plan: OpeningBalancePlan, community: UUID, by actor: Actor) async throws -> OpeningBalanceReport {
        _ = try await self.community(community)
        let buildings = try await BuildingModel.query(on: db).filter(\.$communityID == community).all()
        let buildingByName = Dictionary(buildings.map { ($0.name, $0.id!) }, uniquingKeysWith: { a, _ in a })
        var units: [String: (id: UUID, area: UUID?)] = [:]
        let rows = try await sql.select().columns("id", "area_id", "building_id", "room_number").from(UnitModel.schema)
            .where("community_id", .equal, community).all()
        for r in rows {
            units["\(try r.decode(column: "building_id", as: UUID.self))|\(try r.decode(column: "room_number", as: String.self))"] =
                (try r.decode(column: "id", as: UUID.self), try r.decode(column: "area_id", as: UUID?.self))
        }
        var problems: [DomainError.Detail] = []
        let at = now()
        var bills: [Bill] = []
        for line in plan.lines {
            guard let b = buildingByName[line.building] else {
                problems.append(.init(line: line.line, field: "building", message: Message(zh: "本小区没有楼栋:\(line.building)", en: "No such building here: \(line.building)")))
                continue
            }
            guard let u = units["\(b)|\(line.room)"] else {
                problems.append(.init(line: line.line, field: "room", message: Message(zh: "\(line.building) 没有房号:\(line.room)", en: "\(line.building) has no room \(line.room)")))
                continue
            }
            let note = line.note.isEmpty ? "期初欠费 / Opening balance" : line.note
            for (p, fen) in zip(line.periods, line.amounts) {
                bills.append(Bill(communityID: community, areaID: u.area, unitID: u.id, itemID: nil, itemName: "期初欠费 / Opening balance", period: p,
                                  origin: .opening, key: "opening:\(u.id.uuidString):\(p)", amountFen: fen, runID: nil, note: note, createdAt: at))
            }
        }
        guard problems.isEmpty else { throw OpeningBalanceImport.rejected(problems) }
        let all = bills
        return try await db.writeTransaction { tx in
            let keys = Set(all.map(\.key))
            var existing = Set<String>()
            let sql = tx as! any SQLDatabase
            for chunk in Array(keys).chunked(into: 500).map(Array.init) {
                for r in try await sql.select().column("key").from(BillModel.schema).where("community_id", .equal, community)
                    .where("key", .in, chunk).all() { existing.insert(try r.decode(column: "key", as: String.self)) }
            }
            let fresh = all.filter { !existing.contains($0.key) }
            try await Self.insertIgnoringExisting(fresh, on: tx)
            var report = OpeningBalanceReport()
            report.lines = plan.lines.count
            report.billsCreated = fresh.count
            report.billsExisting = all.count - fresh.count
            report.totalFen = fresh.reduce(0) { $0 + $1.amountFen }
            try await AuditLog(db: tx).record(actor, .importBatch, entity: "opening_balances", id: nil, community: community, after: report, at: at)
            return report
        }
    }
}

extension FeeStore {
    /// INT-10: a paid service settled on its order is billed to the unit as a one-off item, in the
    /// settlement's own transaction (this store's `db` is that transaction: no second one is
    /// opened inside it), once per order ("order:<id>"). An order without a unit or a price bills
    /// nothing; the settlement never fails for want of a fee item.
    func postSettledService(_ order: WorkOrder) async throws {
        guard let unit = order.unitID, let total = order.total, (1...100_000_000).contains(total) else { return }
        var name = "有偿服务 / Paid service"
        if let id = order.catalogueItemID, let item = try await CatalogueItemModel.find(id, on: db) { name = String(item.nameZh.prefix(60)) }
        var bill = try await oneOffBill(community: order.communityID, unit: unit, itemName: name, amountFen: total, key: "order:\(order.id.uuidString)",
                                        note: "\(order.number) · 有偿服务结算时已收款 / Paid when the service was settled")
        // The resident paid when the order was settled (INT-10, with the order's own receipt): the
        // one-off bill is the account's record of it, never a debt.
        bill.paidFen = total
        try await Self.insertIgnoringExisting([bill], on: db)
    }
}
