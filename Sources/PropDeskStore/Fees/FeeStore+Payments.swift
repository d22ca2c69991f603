import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Payments, receipts, voids, deposits and the cashiers' daily close (FEE-1, FEE-2; S4 篇3 (3)).
/// Every movement of money gets a receipt numbered gap-free per community and year: the number
/// is taken from `receipt_counters` inside the transaction that writes the receipt, so a payment
/// that fails leaves no hole and two cashiers at the same moment get consecutive numbers (the
/// counter row's lock orders them on PostgreSQL; the write queue on SQLite). The caller has
/// decided that the actor may take money (or void, refund, forfeit) in the community.
extension FeeStore {
    /// One payment as the cashier records it (FEE-1). `formID` is made when the form is drawn,
    /// so a form sent twice issues one receipt.
    public struct Payment: Sendable {
        public var unitID: UUID
        public var amountFen: Int
        public var method: PaymentMethod
        public var reference: String
        public var payer: String
        /// The bills to pay, in order; nil or empty = the oldest first.
        public var billIDs: [UUID]?
        public var formID: UUID?

        public init(unitID: UUID, amountFen: Int, method: PaymentMethod, reference: String, payer: String, billIDs: [UUID]? = nil, formID: UUID? = nil) {
            self.unitID = unitID; self.amountFen = amountFen; self.method = method; self.reference = reference; self.payer = payer
            self.billIDs = billIDs; self.formID = formID
        }
    }

    /// 日结 — one cashier's takings of one day, reconciled to their receipts (FEE-1).
    public struct DailyClose: Sendable, Equatable, Identifiable, Codable {
        public var id: UUID
        public var communityID: UUID
        public var cashierID: UUID?
        public var cashierName: String
        public var day: String
        /// Receipts counted (not voided) and voided at the time of the close.
        public var receipts: Int
        public var voided: Int
        /// Net takings: receipts in, refunds out (negative), forfeits zero.
        public var totalFen: Int
        /// Net takings per method (`PaymentMethod.rawValue` → fen).
        public var byMethod: [String: Int]
        public var countedCashFen: Int
        /// counted cash − the cash the receipts say (negative = short).
        public var differenceFen: Int
        public var note: String
        public var closedAt: Date
        public var closedByName: String

        public var expectedCashFen: Int { byMethod[PaymentMethod.cash.rawValue] ?? 0 }
    }

    // MARK: Payments

    /// Takes a payment for a unit: in one write transaction locks the unit, allocates the amount
    /// to its open bills (oldest first unless bills are chosen; more than is owed is refused —
    /// PropDesk holds no credit), issues the next receipt number and updates the bills.
    public func pay(_ p: Payment, community: UUID, by actor: Actor) async throws -> Receipt {
        let reference = try Self.reference(p.reference, method: p.method)
        let payer = try Validate.text(p.payer, field: "payer", max: 60, required: false)
        guard p.amountFen > 0, p.amountFen <= 100_000_000 else {
            throw DomainError.invalid(field: "amount", Message(zh: "缴费金额须大于 0", en: "The amount must be more than zero"))
        }
        let c = try await self.community(community)
        let unit = try await self.unit(p.unitID, community: community)
        if let formID = p.formID, let first = try await receipt(formID: formID) { return try Self.paymentReplay(first, unit: p.unitID) }
        let at = now()
        let day = Self.day(at, timeZone: c.timeZone)
        try await refuseIfClosed(community: community, cashierName: actor.name, day: day)
        do {
            return try await db.writeTransaction { tx in
                _ = try await tx.lockRows(UnitModel.schema, community: community, ids: [p.unitID], skipLocked: false)
                try await FeeStore(db: tx, now: { at }).refuseIfClosed(community: community, cashierName: actor.name, day: day)
                let open = try await BillModel.query(on: tx).filter(\.$unitID == p.unitID).filterCommunityBesideANarrowerKey(community).filter(\.$outstandingFen > 0).all().map(\.domain)
                let chosen = (p.billIDs?.isEmpty ?? true) ? nil : p.billIDs
                let lines = try PaymentAllocation.allocate(p.amountFen, to: open, chosen: chosen)
                let number = try await Self.nextNumber(community: community, year: Self.year(day), on: tx)
                let receipt = Receipt(communityID: community, year: Self.year(day), number: number, kind: .payment, unitID: p.unitID,
                                      areaID: unit.areaID, amountFen: p.amountFen, method: p.method, reference: reference, payer: payer,
                                      cashierID: actor.userID, cashierName: actor.name, issuedAt: at, day: day)
                try await ReceiptModel(receipt, formID: p.formID).create(on: tx)
                let bills = Dictionary(uniqueKeysWithValues: open.map { ($0.id, $0) })
                let sql = tx as! any SQLDatabase
                for (billID, fen) in lines {
                    let a = PaymentAllocationModel()
                    a.receiptID = receipt.id; a.billID = billID; a.communityID = community; a.areaID = bills[billID]?.areaID
                    a.period = bills[billID]?.period ?? ""; a.amountFen = fen; a.paidAt = at; a.voided = false
                    try await a.create(on: tx)
                    try await sql.raw("UPDATE bills SET paid_fen = paid_fen + \(bind: fen), outstanding_fen = outstanding_fen - \(bind: fen) WHERE id = \(bind: billID)").run()
                }
                return receipt
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let formID = p.formID, let first = try await receipt(formID: formID) { return try Self.paymentReplay(first, unit: p.unitID) }
            throw error
        }
    }

    /// Voids a receipt (FEE-1): the reason is recorded on it, its number stays taken, and a
    /// payment's money goes back to the bills it paid. Only once. Deposit receipts are not voided:
    /// a deposit taken by mistake is refunded.
    public func void(receipt id: UUID, reason: String, by actor: Actor) async throws -> Receipt {
        let reason = try Validate.text(reason, field: "reason", max: 200, required: true)
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(ReceiptModel.self, id) else { throw DomainError.notFound(Noun.receipt) }
            if m.voidedAt != nil && m.voidReason == reason { return m.domain }   // the same void sent again
            guard m.voidedAt == nil else {
                throw DomainError.conflict(code: "receipt_voided", Message(zh: "收据 \(m.domain.printedNumber) 已作废", en: "Receipt \(m.domain.printedNumber) is already void"))
            }
            guard m.kind == ReceiptKind.payment.rawValue else {
                throw DomainError.conflict(code: "deposit_receipt", Message(zh: "押金收据不能作废;误收的押金请办理退还", en: "A deposit receipt is not voided; refund a deposit taken by mistake"))
            }
            m.voidedAt = at; m.voidedByName = actor.name; m.voidReason = reason
            try await m.save(on: tx)
            let allocations = try await PaymentAllocationModel.query(on: tx).filter(\.$receiptID == id).filter(\.$voided == false).all()
            let sql = tx as! any SQLDatabase
            for a in allocations {
                a.voided = true
                try await a.save(on: tx)
                try await sql.raw("UPDATE bills SET paid_fen = paid_fen - \(bind: a.amountFen), outstanding_fen = outstanding_fen + \(bind: a.amountFen) WHERE id = \(bind: a.billID)").run()
            }
            return m.domain
        }
    }

    public func receipt(_ id: UUID) async throws -> Receipt? { try await ReceiptModel.find(id, on: db)?.domain }

    func receipt(formID: UUID) async throws -> ReceiptModel? { try await ReceiptModel.query(on: db).filter(\.$formID == formID).first() }

    /// What a receipt paid: each bill and the fen allocated to it (voided allocations included — the receipt says it is void).
    public func allocations(receipt id: UUID) async throws -> [(bill: Bill, fen: Int)] {
        let rows = try await PaymentAllocationModel.query(on: db).filter(\.$receiptID == id).all()
        let bills = try await BillModel.query(on: db).filter(\.$id ~~ rows.map(\.billID)).all()
        let byID = Dictionary(uniqueKeysWithValues: bills.map { ($0.id!, $0.domain) })
        return rows.compactMap { a in byID[a.billID].map { (bill: $0, fen: a.amountFen) } }
            .sorted { ($0.bill.period, $0.bill.itemName) < ($1.bill.period, $1.bill.itemName) }
    }

    /// A unit's receipts, newest first.
    public func receipts(unit: UUID, community: UUID) async throws -> [Receipt] {
        try await ReceiptModel.query(on: db).filter(\.$unitID == unit).filterCommunityBesideANarrowerKey(community).sort(\.$issuedAt, .descending).limit(500).all().map(\.domain)
    }

    /// The receipts of a community's day ("yyyy-MM-dd"), of one cashier or all, in number order.
    public func receipts(community: UUID, day: String, cashierName: String?) async throws -> [Receipt] {
        let q = ReceiptModel.query(on: db).filter(\.$communityID == community).filter(\.$day == day)
        if let cashierName { q.filter(\.$cashierName == cashierName) }
        return try await q.sort(\.$year).sort(\.$number).all().map(\.domain)
    }

    /// The unit's open bills (outstanding > 0), oldest first — what a payment can pay.
    public func openBills(unit: UUID, community: UUID) async throws -> [Bill] {
        try await BillModel.query(on: db).filter(\.$unitID == unit).filterCommunityBesideANarrowerKey(community).filter(\.$outstandingFen > 0).all().map(\.domain)
            .sorted { ($0.period, $0.createdAt, $0.itemName) < ($1.period, $1.createdAt, $1.itemName) }
    }

    // MARK: The daily close

    /// Closes one cashier's day (FEE-1): totals per method from their receipts of the day
    /// (refunds negative, voided ones left out and counted), the cash counted and the difference.
    /// Once per cashier and day; the receipts are marked with the close.
    public func closeDay(community: UUID, cashierName: String, day: String, countedCashFen: Int, note: String, by actor: Actor) async throws -> DailyClose {
        let note = try Validate.text(note, field: "note", max: 500, required: false)
        let cashierName = try Validate.text(cashierName, field: "cashierName", max: 60, required: true)
        guard Self.isDayKey(day) else {
            throw DomainError.invalid(field: "day", Message(zh: "日期请写成 2026-11-30", en: "Write the day as 2026-11-30"))
        }
        guard (0...100_000_000).contains(countedCashFen) else {
            throw DomainError.invalid(field: "countedCash", Message(zh: "请填写清点的现金金额", en: "Give the cash counted"))
        }
        _ = try await self.community(community)
        if try await close(community: community, cashierName: cashierName, day: day) != nil { throw Self.alreadyClosed(cashierName, day) }
        let at = now()
        do {
            return try await db.writeTransaction { tx in
                let receipts = try await ReceiptModel.query(on: tx).filter(\.$communityID == community).filter(\.$day == day)
                    .filter(\.$cashierName == cashierName).all()
                let live = receipts.filter { $0.voidedAt == nil }
                var byMethod: [String: Int] = [:]
                for r in live { byMethod[r.method, default: 0] += (ReceiptKind(rawValue: r.kind)?.sign ?? 1) * r.amountFen }
                let close = DailyClose(id: UUID(), communityID: community, cashierID: receipts.first?.cashierID, cashierName: cashierName, day: day,
                                       receipts: live.count, voided: receipts.count - live.count, totalFen: byMethod.values.reduce(0, +),
                                       byMethod: byMethod, countedCashFen: countedCashFen,
                                       differenceFen: countedCashFen - (byMethod[PaymentMethod.cash.rawValue] ?? 0),
                                       note: note, closedAt: at, closedByName: actor.name)
                try await DailyCloseModel(close).create(on: tx)
                let sql = tx as! any SQLDatabase
                if !receipts.isEmpty {
                    try await sql.raw("UPDATE receipts SET close_id = \(bind: close.id) WHERE id IN (\(binds: receipts.map { $0.id! as any Encodable & Sendable }))").run()
                }
                return close
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            throw Self.alreadyClosed(cashierName, day)
        }
    }

    public func close(_ id: UUID) async throws -> DailyClose? { try await DailyCloseModel.find(id, on: db)?.domain }

    public func close(community: UUID, cashierName: String, day: String) async throws -> DailyClose? {
        try await DailyCloseModel.query(on: db).filter(\.$communityID == community).filter(\.$cashierName == cashierName).filter(\.$day == day).first()?.domain
    }

    /// The closes of a community, of one day or the latest 200, newest first.
    public func closes(community: UUID, day: String?) async throws -> [DailyClose] {
        let q = DailyCloseModel.query(on: db).filter(\.$communityID == community)
        if let day { q.filter(\.$day == day) }
        return try await q.sort(\.$closedAt, .descending).limit(200).all().map(\.domain)
    }

    // MARK: Deposits (FEE-2, S4 篇3 (3))

    /// Receives a deposit with its receipt (kind deposit_in). A renovation deposit names the
    /// renovation file of the same unit. `formID` makes a resend return the same pair.
    public func receiveDeposit(community: UUID, unit unitID: UUID, kind: DepositKind, amountFen: Int, method: PaymentMethod, reference: String, payer: String,
                               renovationID: UUID?, formID: UUID?, by actor: Actor) async throws -> (Deposit, Receipt) {
        let reference = try Self.reference(reference, method: method)
        let payer = try Validate.text(payer, field: "payer", max: 60, required: true)
        guard amountFen > 0, amountFen <= 100_000_000 else {
            throw DomainError.invalid(field: "amount", Message(zh: "押金金额须大于 0", en: "The deposit must be more than zero"))
        }
        let c = try await self.community(community)
        let unit = try await self.unit(unitID, community: community)
        switch (kind, renovationID) {
        case (.renovation, nil):
            throw DomainError.invalid(field: "renovationId", Message(zh: "装修押金须对应一份装修档案", en: "A renovation deposit belongs to a renovation file"))
        case (.renovation, let rid?):
            guard let r = try await RenovationModel.find(rid, on: db), r.unitID == unitID, r.communityID == community else {
                throw DomainError.invalid(field: "renovationId", Message(zh: "该房屋没有这份装修档案", en: "The unit has no such renovation file"))
            }
        case (_, .some):
            throw DomainError.invalid(field: "renovationId", Message(zh: "只有装修押金对应装修档案", en: "Only a renovation deposit names a renovation file"))
        default: break
        }
        if let formID, let first = try await receipt(formID: formID) { return try await depositReplay(first, unit: unitID) }
        let at = now()
        let day = Self.day(at, timeZone: c.timeZone)
        try await refuseIfClosed(community: community, cashierName: actor.name, day: day)
        do {
            return try await db.writeTransaction { tx in
                let deposit = Deposit(communityID: community, unitID: unitID, areaID: unit.areaID, kind: kind, amountFen: amountFen, renovationID: renovationID,
                                      payer: payer, receivedAt: at, receivedByName: actor.name)
                try await DepositModel(deposit).create(on: tx)
                let number = try await Self.nextNumber(community: community, year: Self.year(day), on: tx)
                let receipt = Receipt(communityID: community, year: Self.year(day), number: number, kind: .depositIn, unitID: unitID,
                                      areaID: unit.areaID, amountFen: amountFen, method: method, reference: reference, payer: payer, cashierID: actor.userID,
                                      cashierName: actor.name, issuedAt: at, day: day, depositID: deposit.id)
                try await ReceiptModel(receipt, formID: formID).create(on: tx)
                return (deposit, receipt)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let formID, let first = try await receipt(formID: formID) { return try await depositReplay(first, unit: unitID) }
            throw error
        }
    }

    /// Refunds a held deposit with a receipt (kind deposit_refund), on its condition (S4 篇3 (3)):
    /// a renovation deposit once its file is closed (completion accepted) with no open violation;
    /// a moving or utilities deposit with the reason (搬迁完毕, 托收已办理 …). Once.
    public func refundDeposit(_ id: UUID, reason: String, method: PaymentMethod = .cash, reference: String = "", by actor: Actor) async throws -> (Deposit, Receipt) {
        let reference = try Self.reference(reference, method: method)
        var reason = try Validate.text(reason, field: "reason", max: 200, required: false)
        guard let d = try await deposit(id) else { throw DomainError.notFound(Noun.deposit) }
        if d.kind == .renovation {
            try await requireRenovationSettled(d)
            if reason.isEmpty { reason = "装修已验收结案,无未结违章" }
        } else if reason.isEmpty {
            throw DomainError.invalid(field: "reason", Message(zh: "请写明退还依据,例如:搬迁完毕、水电托收已办理", en: "Give the ground for the refund, e.g. moved out, utilities taken over"))
        }
        return try await settle(id, to: .refunded, kind: .depositRefund, reason: reason, method: method, reference: reference, by: actor)
    }

    /// Forfeits a held deposit (转扣) with the reason and a receipt (kind deposit_forfeit). Once.
    public func forfeitDeposit(_ id: UUID, reason: String, by actor: Actor) async throws -> (Deposit, Receipt) {
        let reason = try Validate.text(reason, field: "reason", max: 200, required: true)
        return try await settle(id, to: .forfeited, kind: .depositForfeit, reason: reason, method: nil, reference: "", by: actor)
    }

    public func deposit(_ id: UUID) async throws -> Deposit? { try await DepositModel.find(id, on: db)?.domain }

    /// A community's deposits (of one status or all), newest first.
    public func deposits(community: UUID, status: DepositStatus?) async throws -> [Deposit] {
        let q = DepositModel.query(on: db).filter(\.$communityID == community)
        if let status { q.filter(\.$status == status.rawValue) }
        return try await q.sort(\.$receivedAt, .descending).limit(1000).all().map(\.domain)
    }

    public func deposits(unit: UUID, community: UUID) async throws -> [Deposit] {
        try await DepositModel.query(on: db).filter(\.$unitID == unit).filterCommunityBesideANarrowerKey(community).sort(\.$receivedAt, .descending).all().map(\.domain)
    }

    /// The receipts of a deposit (received, refunded or forfeited), in number order.
    public func receipts(deposit: UUID) async throws -> [Receipt] {
        try await ReceiptModel.query(on: db).filter(\.$depositID == deposit).sort(\.$year).sort(\.$number).all().map(\.domain)
    }

    /// Why a renovation deposit may not be refunded yet, or nil when it may.
    public func refundBlocker(_ d: Deposit) async throws -> Message? {
        guard d.kind == .renovation else { return nil }
        guard let rid = d.renovationID, let r = try await RenovationModel.find(rid, on: db) else {
            return Message(zh: "找不到对应的装修档案", en: "The renovation file is missing")
        }
        guard r.status == RenovationStatus.closed.rawValue else {
            return Message(zh: "装修尚未验收结案,押金不能退还", en: "The renovation is not closed (completion not accepted); the deposit cannot be refunded")
        }
        let open = try await RenovationViolationModel.query(on: db).filter(\.$renovationID == rid).all()
            .filter { (ViolationStatus(rawValue: $0.status) ?? .noticed).isOpen }
        if let v = open.first {
            return Message(zh: "装修违章 \(v.number) 尚未整改,押金不能退还", en: "Violation \(v.number) is still open; the deposit cannot be refunded")
        }
        return nil
    }

    // MARK: Inside

    func requireRenovationSettled(_ d: Deposit) async throws {
        if let why = try await refundBlocker(d) { throw DomainError.conflict(code: "deposit_condition", why) }
    }

    /// Moves a held deposit to refunded / forfeited and issues its receipt, in one transaction.
    func settle(_ id: UUID, to status: DepositStatus, kind: ReceiptKind, reason: String, method: PaymentMethod?, reference: String,
                by actor: Actor) async throws -> (Deposit, Receipt) {
        guard let first = try await DepositModel.find(id, on: db) else { throw DomainError.notFound(Noun.deposit) }
        let c = try await self.community(first.communityID)
        let at = now()
        let day = Self.day(at, timeZone: c.timeZone)
        if kind == .depositRefund { try await refuseIfClosed(community: c.id!, cashierName: actor.name, day: day) }
        let received = try await ReceiptModel.query(on: db).filter(\.$depositID == id).filter(\.$kind == ReceiptKind.depositIn.rawValue).first()
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(DepositModel.self, id, community: first.communityID) else { throw DomainError.notFound(Noun.deposit) }
            if m.status == status.rawValue && m.settleReason == reason,   // the same request sent again
               let first = try await ReceiptModel.query(on: tx).filter(\.$depositID == id).filter(\.$kind == kind.rawValue).first() {
                return (m.domain, first.domain)
            }
            guard m.status == DepositStatus.held.rawValue else {
                let now = DepositStatus(rawValue: m.status) ?? .held
                throw DomainError.conflict(code: "deposit_settled", Message(zh: "该押金已\(now.label.zhHans)", en: "The deposit is already \(now.label.en.lowercased())"))
            }
            if kind == .depositRefund, let why = try await FeeStore(db: tx, now: { at }).refundBlocker(m.domain) {   // checked again inside
                throw DomainError.conflict(code: "deposit_condition", why)
            }
            m.status = status.rawValue; m.settledAt = at; m.settledByName = actor.name; m.settleReason = reason
            try await m.save(on: tx)
            let number = try await Self.nextNumber(community: m.communityID, year: Self.year(day), on: tx)
            let receipt = Receipt(communityID: m.communityID, year: Self.year(day), number: number, kind: kind, unitID: m.unitID, areaID: m.areaID,
                                  amountFen: m.amountFen, method: method ?? received.flatMap { PaymentMethod(rawValue: $0.method) } ?? .cash,
                                  reference: method == nil ? "" : reference, payer: m.payer, cashierID: actor.userID, cashierName: actor.name,
                                  issuedAt: at, day: day, depositID: id)
            try await ReceiptModel(receipt, formID: nil).create(on: tx)
            return (m.domain, receipt)
        }
    }

    /// The next receipt number of a community's year, taken inside the caller's transaction
    /// (so a rolled-back write returns it): the counter row is made once, then bumped; the
    /// bump's row lock orders concurrent cashiers on PostgreSQL.
    static func nextNumber(community: UUID, year: Int, on tx: any Database) async throws -> Int {
        let sql = tx as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO receipt_counters (id, community_id, year, last_number) VALUES (\(bind: UUID()), \(bind: community), \(bind: year), 0)
            ON CONFLICT (community_id, year) DO NOTHING
            """).run()
        guard let row = try await sql.raw("""
            UPDATE receipt_counters SET last_number = last_number + 1 WHERE community_id = \(bind: community) AND year = \(bind: year) RETURNING last_number
            """).first() else { throw DomainError.conflict(code: "receipt_counter", Message(zh: "收据编号分配失败,请重试", en: "No receipt number could be taken; try again")) }
        return try row.decode(column: "last_number", as: Int.self)
    }

    /// A cashier whose day is closed takes no more money that day.
    func refuseIfClosed(community: UUID, cashierName: String, day: String) async throws {
        if try await close(community: community, cashierName: cashierName, day: day) != nil {
            throw DomainError.conflict(code: "day_closed", Message(zh: "\(cashierName) 的 \(day) 已日结,不能再收款", en: "\(cashierName)'s \(day) is closed; no more money can be taken that day"))
        }
    }

    static func alreadyClosed(_ cashier: String, _ day: String) -> DomainError {
        DomainError.conflict(code: "day_closed", Message(zh: "\(cashier) 的 \(day) 已日结", en: "\(cashier)'s \(day) is already closed"))
    }

    /// Cash needs no reference; every other method carries the transaction's (FEE-1).
    static func reference(_ raw: String, method: PaymentMethod) throws -> String {
        let r = try Validate.text(raw, field: "reference", max: 80, required: false)
        if method.needsReference && r.isEmpty {
            throw DomainError.invalid(field: "reference", Message(zh: "\(method.label.zhHans)须填写交易流水号", en: "\(method.label.en) needs the transaction reference"))
        }
        return r
    }

    static func replay(_ first: ReceiptModel, unit: UUID) throws -> Receipt {
        guard first.unitID == unit else {
            throw DomainError.conflict(code: "form_id_reused", Message(zh: "此表单编号已用于另一户的收款", en: "This form's id was already used for another unit's payment"))
        }
        return first.domain
    }

    /// A payment form sent again: the receipt it issued, never a deposit's.
    static func paymentReplay(_ first: ReceiptModel, unit: UUID) throws -> Receipt {
        let r = try replay(first, unit: unit)
        guard r.kind == .payment else {
            throw DomainError.conflict(code: "form_id_reused", Message(zh: "此表单编号已用于另一笔收款", en: "This form's id was already used for another payment"))
        }
        return r
    }

    func depositReplay(_ first: ReceiptModel, unit: UUID) async throws -> (Deposit, Receipt) {
        let r = try Self.replay(first, unit: unit)
        guard r.kind == .depositIn, let did = r.depositID, let d = try await deposit(did) else {
            throw DomainError.conflict(code: "form_id_reused", Message(zh: "此表单编号已用于另一笔收款", en: "This form's id was already used for another payment"))
        }
        return (d, r)
    }

    static func year(_ day: String) -> Int { Int(day.prefix(4)) ?? 2000 }

    /// Whether `s` is a day key "yyyy-MM-dd".
    public static func isDayKey(_ s: String) -> Bool {
        let p = s.split(separator: "-")
        return s.count == 10 && p.count == 3 && p.allSatisfy { $0.allSatisfy(\.isNumber) } && FeeMonth.isValid(String(s.prefix(7)))
            && (1...31).contains(Int(p[2]) ?? 0)
    }
}

extension DailyCloseModel {
    convenience init(_ c: FeeStore.DailyClose) {
        self.init()
        id = c.id; communityID = c.communityID; cashierID = c.cashierID; cashierName = c.cashierName; day = c.day; receipts = c.receipts
        voided = c.voided; totalFen = c.totalFen; countedCashFen = c.countedCashFen; differenceFen = c.differenceFen; note = c.note
        closedAt = c.closedAt; closedByName = c.closedByName
        let data = (try? JSONEncoder.sorted.encode(c.byMethod)) ?? Data("{}".utf8)
        byMethod = String(decoding: data, as: UTF8.self)
    }

    var domain: FeeStore.DailyClose {
        let methods = (try? JSONDecoder().decode([String: Int].self, from: Data(byMethod.utf8))) ?? [:]
        return FeeStore.DailyClose(id: id!, communityID: communityID, cashierID: cashierID, cashierName: cashierName, day: day, receipts: receipts,
                                   voided: voided, totalFen: totalFen, byMethod: methods, countedCashFen: countedCashFen, differenceFen: differenceFen,
                                   note: note, closedAt: closedAt, closedByName: closedByName)
    }
}

private extension JSONEncoder {
    static var sorted: JSONEncoder { let e = JSONEncoder(); e.outputFormatting = .sortedKeys; return e }
}
