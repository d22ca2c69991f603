import Fluent
import Foundation
import PropDeskCore

final class FeeItemModel: Model, @unchecked Sendable {
    static let schema = "fee_items"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "basis") var basis: String
    @OptionalField(key: "unit_kind") var unitKind: String?
    @Field(key: "rate_fen") var rateFen: Int
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "custody_discount") var custodyDiscount: Bool
    @Field(key: "from_month") var fromMonth: String
    @OptionalField(key: "until_month") var untilMonth: String?
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    init() {}

    init(_ i: FeeItem) {
        id = i.id; communityID = i.communityID; code = i.code; name = i.name; basis = i.basis.rawValue; unitKind = i.unitKind?.rawValue
        rateFen = i.rateFen; legalBasis = i.legalBasis; custodyDiscount = i.custodyDiscount; fromMonth = i.fromMonth; untilMonth = i.untilMonth
        active = i.active; createdAt = i.createdAt
    }

    var domain: FeeItem {
        FeeItem(id: id!, communityID: communityID, code: code, name: name, basis: FeeBasis(rawValue: basis) ?? .oneOff,
                unitKind: unitKind.flatMap(UnitKind.init(rawValue:)), rateFen: rateFen, legalBasis: legalBasis, custodyDiscount: custodyDiscount,
                fromMonth: fromMonth, untilMonth: untilMonth, active: active, createdAt: createdAt)
    }
}

extension FeeItemModel: BackupTable {}

final class BillingRunModel: Model, @unchecked Sendable {
    static let schema = "billing_runs"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "period") var period: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "by_name") var byName: String
    @Field(key: "bills_created") var billsCreated: Int
    @Field(key: "total_fen") var totalFen: Int64
    init() {}
}

extension BillingRunModel: BackupTable {}

final class BillModel: Model, @unchecked Sendable {
    static let schema = "bills"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "item_id") var itemID: UUID?
    @Field(key: "item_name") var itemName: String
    @Field(key: "period") var period: String
    @Field(key: "origin") var origin: String
    @Field(key: "key") var key: String
    @Field(key: "amount_fen") var amountFen: Int
    @Field(key: "credited_fen") var creditedFen: Int
    @Field(key: "paid_fen") var paidFen: Int
    @Field(key: "outstanding_fen") var outstandingFen: Int
    @OptionalField(key: "run_id") var runID: UUID?
    @Field(key: "note") var note: String
    @Field(key: "created_at") var createdAt: Date
    init() {}

    init(_ b: Bill) {
        id = b.id; communityID = b.communityID; areaID = b.areaID; unitID = b.unitID; itemID = b.itemID; itemName = b.itemName; period = b.period
        origin = b.origin.rawValue; key = b.key; amountFen = b.amountFen; creditedFen = b.creditedFen; paidFen = b.paidFen
        outstandingFen = b.outstandingFen; runID = b.runID; note = b.note; createdAt = b.createdAt
    }

    var domain: Bill {
        Bill(id: id!, communityID: communityID, areaID: areaID, unitID: unitID, itemID: itemID, itemName: itemName, period: period,
             origin: BillOrigin(rawValue: origin) ?? .run, key: key, amountFen: amountFen, creditedFen: creditedFen, paidFen: paidFen,
             runID: runID, note: note, createdAt: createdAt)
    }
}

extension BillModel: BackupTable {}

final class CreditNoteModel: Model, @unchecked Sendable {
    static let schema = "credit_notes"
    @ID(key: .id) var id: UUID?
    @Field(key: "bill_id") var billID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "amount_fen") var amountFen: Int
    @Field(key: "reason") var reason: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "by_name") var byName: String
    @OptionalField(key: "form_id") var formID: UUID?
    init() {}
}

extension CreditNoteModel: BackupTable {}

/// The last receipt number issued per community and year; bumped in the transaction that
/// issues the receipt, so a rolled-back payment never leaves a gap.
final class ReceiptCounterModel: Model, @unchecked Sendable {
    static let schema = "receipt_counters"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "last_number") var lastNumber: Int
    init() {}
}

extension ReceiptCounterModel: BackupTable {}

final class ReceiptModel: Model, @unchecked Sendable {
    static let schema = "receipts"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "number") var number: Int
    @Field(key: "kind") var kind: String
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "amount_fen") var amountFen: Int
    @Field(key: "method") var method: String
    @Field(key: "reference") var reference: String
    @Field(key: "payer") var payer: String
    @OptionalField(key: "cashier_id") var cashierID: UUID?
    @Field(key: "cashier_name") var cashierName: String
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "day") var day: String
    @OptionalField(key: "deposit_id") var depositID: UUID?
    @OptionalField(key: "voided_at") var voidedAt: Date?
    @OptionalField(key: "voided_by_name") var voidedByName: String?
    @OptionalField(key: "void_reason") var voidReason: String?
    @OptionalField(key: "close_id") var closeID: UUID?
    @OptionalField(key: "form_id") var formID: UUID?
    init() {}

    init(_ r: Receipt, formID: UUID?) {
        id = r.id; communityID = r.communityID; year = r.year; number = r.number; kind = r.kind.rawValue; unitID = r.unitID; areaID = r.areaID
        amountFen = r.amountFen; method = r.method.rawValue; reference = r.reference; payer = r.payer; cashierID = r.cashierID
        cashierName = r.cashierName; issuedAt = r.issuedAt; day = r.day; depositID = r.depositID; voidedAt = r.voidedAt
        voidedByName = r.voidedByName; voidReason = r.voidReason; closeID = r.closeID; self.formID = formID
    }

    var domain: Receipt {
        Receipt(id: id!, communityID: communityID, year: year, number: number, kind: ReceiptKind(rawValue: kind) ?? .payment, unitID: unitID,
                areaID: areaID, amountFen: amountFen, method: PaymentMethod(rawValue: method) ?? .cash, reference: reference, payer: payer,
                cashierID: cashierID, cashierName: cashierName, issuedAt: issuedAt, day: day, depositID: depositID, voidedAt: voidedAt,
                voidedByName: voidedByName, voidReason: voidReason, closeID: closeID)
    }
}

extension ReceiptModel: BackupTable {}

final class PaymentAllocationModel: Model, @unchecked Sendable {
    static let schema = "payment_allocations"
    @ID(key: .id) var id: UUID?
    @Field(key: "receipt_id") var receiptID: UUID
    @Field(key: "bill_id") var billID: UUID
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "period") var period: String
    @Field(key: "amount_fen") var amountFen: Int
    @Field(key: "paid_at") var paidAt: Date
    @Field(key: "voided") var voided: Bool
    init() {}
}

extension PaymentAllocationModel: BackupTable {}

final class DepositModel: Model, @unchecked Sendable {
    static let schema = "deposits"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "amount_fen") var amountFen: Int
    @Field(key: "status") var status: String
    @OptionalField(key: "renovation_id") var renovationID: UUID?
    @Field(key: "payer") var payer: String
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "received_by_name") var receivedByName: String
    @OptionalField(key: "settled_at") var settledAt: Date?
    @OptionalField(key: "settled_by_name") var settledByName: String?
    @OptionalField(key: "settle_reason") var settleReason: String?
    init() {}

    init(_ d: Deposit) {
        id = d.id; communityID = d.communityID; unitID = d.unitID; areaID = d.areaID; kind = d.kind.rawValue; amountFen = d.amountFen
        status = d.status.rawValue; renovationID = d.renovationID; payer = d.payer; receivedAt = d.receivedAt; receivedByName = d.receivedByName
        settledAt = d.settledAt; settledByName = d.settledByName; settleReason = d.settleReason
    }

    var domain: Deposit {
        Deposit(id: id!, communityID: communityID, unitID: unitID, areaID: areaID, kind: DepositKind(rawValue: kind) ?? .moving, amountFen: amountFen,
                status: DepositStatus(rawValue: status) ?? .held, renovationID: renovationID, payer: payer, receivedAt: receivedAt,
                receivedByName: receivedByName, settledAt: settledAt, settledByName: settledByName, settleReason: settleReason)
    }
}

extension DepositModel: BackupTable {}

final class DailyCloseModel: Model, @unchecked Sendable {
    static let schema = "daily_closes"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "cashier_id") var cashierID: UUID?
    @Field(key: "cashier_name") var cashierName: String
    @Field(key: "day") var day: String
    @Field(key: "receipts") var receipts: Int
    @Field(key: "voided") var voided: Int
    @Field(key: "total_fen") var totalFen: Int
    /// JSON object: method → fen.
    @Field(key: "by_method") var byMethod: String
    @Field(key: "counted_cash_fen") var countedCashFen: Int
    @Field(key: "difference_fen") var differenceFen: Int
    @Field(key: "note") var note: String
    @Field(key: "closed_at") var closedAt: Date
    @Field(key: "closed_by_name") var closedByName: String
    init() {}
}

extension DailyCloseModel: BackupTable {}

final class ArrearsListModel: Model, @unchecked Sendable {
    static let schema = "arrears_lists"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @Field(key: "month") var month: String
    /// "list" (S2 4.5.1, the month's arrears) or "long_term" (S2 4.5.3, over six months).
    @Field(key: "kind") var kind: String
    @Field(key: "units") var units: Int
    @Field(key: "total_fen") var totalFen: Int
    @Field(key: "prepared_at") var preparedAt: Date
    @Field(key: "prepared_by_name") var preparedByName: String
    @OptionalField(key: "received_at") var receivedAt: Date?
    @OptionalField(key: "received_by_name") var receivedByName: String?
    init() {}
}

extension ArrearsListModel: BackupTable {}

final class ArrearsListLineModel: Model, @unchecked Sendable {
    static let schema = "arrears_list_lines"
    @ID(key: .id) var id: UUID?
    /// The list's community (RUN-5); optional only so that a backup from before 0030 still reads.
    @OptionalField(key: "community_id") var communityID: UUID?
    @Field(key: "list_id") var listID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "outstanding_fen") var outstandingFen: Int
    @Field(key: "months") var months: Int
    @Field(key: "oldest_period") var oldestPeriod: String
    init() {}
}

extension ArrearsListLineModel: CommunityChild {
    static var parentSchema: String { ArrearsListModel.schema }
    var parentID: UUID { listID }
}

final class ArrearsReminderModel: Model, @unchecked Sendable {
    static let schema = "arrears_reminders"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "outcome") var outcome: String
    @Field(key: "at") var at: Date
    @OptionalField(key: "by_id") var byID: UUID?
    @Field(key: "by_name") var byName: String
    @Field(key: "note") var note: String
    @OptionalField(key: "form_id") var formID: UUID?
    init() {}

    init(_ r: ArrearsReminder, formID: UUID?) {
        id = r.id; communityID = r.communityID; unitID = r.unitID; areaID = r.areaID; kind = r.kind.rawValue; outcome = r.outcome.rawValue
        at = r.at; byID = r.byID; byName = r.byName; note = r.note; self.formID = formID
    }

    var domain: ArrearsReminder {
        ArrearsReminder(id: id!, communityID: communityID, unitID: unitID, areaID: areaID, kind: ReminderKind(rawValue: kind) ?? .phone,
                        outcome: ReminderOutcome(rawValue: outcome) ?? .noAnswer, at: at, byID: byID, byName: byName, note: note)
    }
}

extension ArrearsReminderModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension ArrearsListModel: CommunityRow {}
extension BillModel: CommunityRow {}
extension ReceiptModel: CommunityRow {}
extension DepositModel: CommunityRow {}
