import Foundation

// Fees and arrears (FEE-1 … FEE-5, S2 4.5, S4 篇3/篇4). Money is integer fen everywhere.
// PropDesk records what is billed and paid; it is not a payment gateway.

/// How a fee item is charged.
public enum FeeBasis: String, Sendable, Codable, CaseIterable {
    /// fen per m² of floor area per month (物业管理费) — the management fee.
    case perAreaMonth = "per_area_month"
    /// a fixed amount per unit per month (parking, rubbish, …).
    case perUnitMonth = "per_unit_month"
    /// charged once, when it happens (paid services, replacement cards …); never in a billing run.
    case oneOff = "one_off"

    public var label: Message {
        switch self {
        case .perAreaMonth: Message(zh: "按建筑面积每月", en: "Per m² per month")
        case .perUnitMonth: Message(zh: "按户每月", en: "Per unit per month")
        case .oneOff: Message(zh: "一次性", en: "One-off")
        }
    }
}

/// 收费项目 — one line of the community's public fee schedule (FEE-1, FEE-5, S0 1.1).
public struct FeeItem: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    /// Short code, unique in the community ("MGMT-R", "PARK").
    public var code: String
    public var name: String
    public var basis: FeeBasis
    /// Which units it is billed to; nil = every unit (only meaningful for monthly items).
    public var unitKind: UnitKind?
    /// perAreaMonth: fen per m² per month; otherwise fen per unit (per month or once).
    public var rateFen: Int
    /// 收费依据 — the price approval document or contract clause, shown on the public schedule.
    public var legalBasis: String
    /// Whether custody units (FD-2) pay their agreement's share (70 %) of this item.
    public var custodyDiscount: Bool
    /// First and last month billed ("yyyy-MM"); nil last = open-ended.
    public var fromMonth: String
    public var untilMonth: String?
    public var active: Bool
    public var createdAt: Date

    public init(id: UUID = UUID(), communityID: UUID, code: String, name: String, basis: FeeBasis, unitKind: UnitKind?, rateFen: Int,
                legalBasis: String, custodyDiscount: Bool, fromMonth: String, untilMonth: String? = nil, active: Bool = true, createdAt: Date) {
        self.id = id; self.communityID = communityID; self.code = code; self.name = name; self.basis = basis; self.unitKind = unitKind
        self.rateFen = rateFen; self.legalBasis = legalBasis; self.custodyDiscount = custodyDiscount; self.fromMonth = fromMonth
        self.untilMonth = untilMonth; self.active = active; self.createdAt = createdAt
    }

    /// Whether a monthly billing run for `month` bills this item to a unit of `kind`.
    public func bills(month: String, kind: UnitKind) -> Bool {
        guard active, basis != .oneOff, fromMonth <= month, untilMonth.map({ month <= $0 }) ?? true else { return false }
        return unitKind == nil || unitKind == kind
    }

    /// The monthly amount for one unit, in fen (FEE-1). The rounding rule, stated once:
    /// area (hundredths of m²) × rate (fen per m²) / 100, then × the custody share / 1000,
    /// each step rounded to the nearest fen with halves rounded up, once per bill.
    public func monthlyAmount(area: FloorArea, custodyPerMille: Int?) -> Int {
        let base = basis == .perAreaMonth ? FeeMath.roundedDivision(area.hundredths * rateFen, by: 100) : rateFen
        guard custodyDiscount, let share = custodyPerMille else { return base }
        return FeeMath.roundedDivision(base * share, by: 1000)
    }

    /// Checks an item before it is saved: a code, a name, a legal basis, a sane rate and months.
    public func validated() throws -> FeeItem {
        var v = self
        v.code = code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        v.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        v.legalBasis = legalBasis.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...16).contains(v.code.count), v.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw DomainError.invalid(field: "code", Message(zh: "编码请用 1–16 位字母、数字或 -", en: "The code is 1–16 letters, digits or -"))
        }
        guard (1...60).contains(v.name.count) else {
            throw DomainError.invalid(field: "name", Message(zh: "请填写收费项目名称(60 字以内)", en: "Give the item a name (up to 60 characters)"))
        }
        guard (2...200).contains(v.legalBasis.count) else {
            throw DomainError.invalid(field: "legalBasis", Message(zh: "请填写收费依据(物价批复文号或合同条款)", en: "Give the legal basis (the price approval or contract clause)"))
        }
        guard (0...10_000_000).contains(rateFen) else {
            throw DomainError.invalid(field: "rate", Message(zh: "单价须在 0 至 10 万元之间", en: "The rate must be between 0 and 100,000 yuan"))
        }
        guard FeeMonth.isValid(fromMonth), untilMonth.map(FeeMonth.isValid) ?? true, untilMonth.map({ fromMonth <= $0 }) ?? true else {
            throw DomainError.invalid(field: "fromMonth", Message(zh: "起止月份请写成 2026-01,且起始不晚于结束", en: "Months are written 2026-01, the first not after the last"))
        }
        return v
    }
}

/// Integer arithmetic for money.
public enum FeeMath {
    /// a / b rounded to the nearest integer, halves away from zero (b > 0).
    public static func roundedDivision(_ a: Int, by b: Int) -> Int {
        let q = a / b, r = a % b
        if 2 * abs(r) >= b { return a >= 0 ? q + 1 : q - 1 }
        return q
    }

    /// Collected / due in per-mille, rounded down (so 94.96 % never shows as 95 %); nil when nothing is due.
    public static func perMille(_ part: Int, of whole: Int) -> Int? {
        guard whole > 0 else { return nil }
        return Int((Int64(part) * 1000) / Int64(whole))
    }
}

/// Billing months, "yyyy-MM".
public enum FeeMonth {
    public static func isValid(_ s: String) -> Bool {
        let p = s.split(separator: "-")
        guard s.count == 7, p.count == 2, let y = Int(p[0]), let m = Int(p[1]), p[0].count == 4, p[1].count == 2 else { return false }
        return (2000...2100).contains(y) && (1...12).contains(m)
    }

    /// The month `n` months after `month` (n may be negative).
    public static func adding(_ n: Int, to month: String) -> String {
        let p = month.split(separator: "-")
        let index = (Int(p[0]) ?? 2000) * 12 + (Int(p[1]) ?? 1) - 1 + n
        return String(format: "%04d-%02d", index / 12, index % 12 + 1)
    }

    /// How many months from `a` to `b` (b − a).
    public static func distance(from a: String, to b: String) -> Int {
        func index(_ s: String) -> Int { let p = s.split(separator: "-"); return (Int(p[0]) ?? 2000) * 12 + (Int(p[1]) ?? 1) - 1 }
        return index(b) - index(a)
    }

    /// The months of `month`'s year up to and including it ("2026-01" … month).
    public static func yearToDate(_ month: String) -> [String] {
        let first = String(month.prefix(4)) + "-01"
        return (0...max(0, distance(from: first, to: month))).map { adding($0, to: first) }
    }
}

/// Why a bill exists.
public enum BillOrigin: String, Sendable, Codable {
    /// created by a monthly billing run
    case run
    /// an opening balance imported from the old finance system
    case opening
    /// a one-off charge (a settled paid service, INT-10)
    case oneOff = "one_off"
}

/// 账单 — what one unit owes for one item and month. Never edited once issued: corrections are
/// credit notes; `outstandingFen` is what is still owed after payments and credits.
public struct Bill: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID?
    public var unitID: UUID
    public var itemID: UUID?
    /// The item's name when billed (the schedule may change later).
    public var itemName: String
    public var period: String
    public var origin: BillOrigin
    /// What makes the bill unique in its community ("run:<unit>:<item>:<month>", "order:<id>", "opening:<unit>:<n>").
    public var key: String
    public var amountFen: Int
    public var creditedFen: Int
    public var paidFen: Int
    public var outstandingFen: Int { amountFen - creditedFen - paidFen }
    public var runID: UUID?
    public var note: String
    public var createdAt: Date

    public init(id: UUID = UUID(), communityID: UUID, areaID: UUID?, unitID: UUID, itemID: UUID?, itemName: String, period: String, origin: BillOrigin,
                key: String, amountFen: Int, creditedFen: Int = 0, paidFen: Int = 0, runID: UUID?, note: String = "", createdAt: Date) {
        self.id = id; self.communityID = communityID; self.areaID = areaID; self.unitID = unitID; self.itemID = itemID; self.itemName = itemName
        self.period = period; self.origin = origin; self.key = key; self.amountFen = amountFen; self.creditedFen = creditedFen; self.paidFen = paidFen
        self.runID = runID; self.note = note; self.createdAt = createdAt
    }

    public static func runKey(unit: UUID, item: UUID, month: String) -> String { "run:\(unit.uuidString):\(item.uuidString):\(month)" }
}

/// How money was paid. Recorded, never processed.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    case cash, card, bank
    case wechat, alipay

    public var label: Message {
        switch self {
        case .cash: Message(zh: "现金", en: "Cash")
        case .card: Message(zh: "刷卡", en: "Card")
        case .bank: Message(zh: "银行转账", en: "Bank transfer")
        case .wechat: Message(zh: "微信", en: "WeChat Pay")
        case .alipay: Message(zh: "支付宝", en: "Alipay")
        }
    }

    /// Everything but cash carries the transaction's reference.
    public var needsReference: Bool { self != .cash }
}

/// What a receipt is for. Every movement of money has one, numbered gap-free per community and year.
public enum ReceiptKind: String, Sendable, Codable, CaseIterable {
    case payment
    case depositIn = "deposit_in"
    case depositRefund = "deposit_refund"
    case depositForfeit = "deposit_forfeit"

    public var label: Message {
        switch self {
        case .payment: Message(zh: "缴费", en: "Payment")
        case .depositIn: Message(zh: "收押金", en: "Deposit received")
        case .depositRefund: Message(zh: "退押金", en: "Deposit refunded")
        case .depositForfeit: Message(zh: "押金转扣", en: "Deposit forfeited")
        }
    }

    /// Cash that leaves the drawer (a refund) counts negative in the day's takings.
    public var sign: Int { self == .depositRefund ? -1 : (self == .depositForfeit ? 0 : 1) }
}

/// 收据 — one numbered receipt. A void is recorded on it with a reason; its number is never reused.
public struct Receipt: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var year: Int
    public var number: Int
    public var kind: ReceiptKind
    public var unitID: UUID
    public var areaID: UUID?
    public var amountFen: Int
    public var method: PaymentMethod
    public var reference: String
    public var payer: String
    public var cashierID: UUID?
    public var cashierName: String
    public var issuedAt: Date
    /// The cashier's local day ("yyyy-MM-dd"), for the daily close.
    public var day: String
    public var depositID: UUID?
    public var voidedAt: Date?
    public var voidedByName: String?
    public var voidReason: String?
    public var closeID: UUID?

    public init(id: UUID = UUID(), communityID: UUID, year: Int, number: Int, kind: ReceiptKind, unitID: UUID, areaID: UUID?, amountFen: Int,
                method: PaymentMethod, reference: String, payer: String, cashierID: UUID?, cashierName: String, issuedAt: Date, day: String,
                depositID: UUID? = nil, voidedAt: Date? = nil, voidedByName: String? = nil, voidReason: String? = nil, closeID: UUID? = nil) {
        self.id = id; self.communityID = communityID; self.year = year; self.number = number; self.kind = kind; self.unitID = unitID
        self.areaID = areaID; self.amountFen = amountFen; self.method = method; self.reference = reference; self.payer = payer
        self.cashierID = cashierID; self.cashierName = cashierName; self.issuedAt = issuedAt; self.day = day; self.depositID = depositID
        self.voidedAt = voidedAt; self.voidedByName = voidedByName; self.voidReason = voidReason; self.closeID = closeID
    }

    /// "2026-000123": the year and the number, as printed.
    public var printedNumber: String { String(format: "%04d-%06d", year, number) }
    public var voided: Bool { voidedAt != nil }
}

/// 押金 (FEE-2, S4 篇3 (3)).
public enum DepositKind: String, Sendable, Codable, CaseIterable {
    /// 搬迁押金 — moving in or out
    case moving
    /// 装修押金
    case renovation
    /// 水电押金 — until the utilities take over billing
    case utilities

    public var label: Message {
        switch self {
        case .moving: Message(zh: "搬迁押金", en: "Moving deposit")
        case .renovation: Message(zh: "装修押金", en: "Renovation deposit")
        case .utilities: Message(zh: "水电押金", en: "Water and electricity deposit")
        }
    }
}

public enum DepositStatus: String, Sendable, Codable, CaseIterable {
    case held, refunded, forfeited

    public var label: Message {
        switch self {
        case .held: Message(zh: "在押", en: "Held")
        case .refunded: Message(zh: "已退", en: "Refunded")
        case .forfeited: Message(zh: "已扣", en: "Forfeited")
        }
    }
}

public struct Deposit: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var areaID: UUID?
    public var kind: DepositKind
    public var amountFen: Int
    public var status: DepositStatus
    /// The renovation it secures, when it is a renovation deposit (refunded only once it is closed without open violations).
    public var renovationID: UUID?
    public var payer: String
    public var receivedAt: Date
    public var receivedByName: String
    public var settledAt: Date?
    public var settledByName: String?
    public var settleReason: String?

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, areaID: UUID?, kind: DepositKind, amountFen: Int, status: DepositStatus = .held,
                renovationID: UUID?, payer: String, receivedAt: Date, receivedByName: String, settledAt: Date? = nil, settledByName: String? = nil,
                settleReason: String? = nil) {
        self.id = id; self.communityID = communityID; self.unitID = unitID; self.areaID = areaID; self.kind = kind; self.amountFen = amountFen
        self.status = status; self.renovationID = renovationID; self.payer = payer; self.receivedAt = receivedAt; self.receivedByName = receivedByName
        self.settledAt = settledAt; self.settledByName = settledByName; self.settleReason = settleReason
    }
}

/// How the supervisor chased a unit in arrears (S2 4.5.2, 4.5.4).
public enum ReminderKind: String, Sendable, Codable, CaseIterable {
    case phone
    /// 上门 — a door visit
    case visit
    /// 催缴函 — a printed reminder letter delivered
    case letter

    public var label: Message {
        switch self {
        case .phone: Message(zh: "电话催缴", en: "Phone call")
        case .visit: Message(zh: "上门催缴", en: "Door visit")
        case .letter: Message(zh: "催缴函", en: "Reminder letter")
        }
    }
}

public enum ReminderOutcome: String, Sendable, Codable, CaseIterable {
    case promised
    case refused
    case noAnswer = "no_answer"
    case nobodyHome = "nobody_home"
    case paid

    public var label: Message {
        switch self {
        case .promised: Message(zh: "承诺缴费", en: "Promised to pay")
        case .refused: Message(zh: "拒绝缴费", en: "Refused")
        case .noAnswer: Message(zh: "无人接听", en: "No answer")
        case .nobodyHome: Message(zh: "家中无人", en: "Nobody home")
        case .paid: Message(zh: "已缴清", en: "Paid")
        }
    }
}

public struct ArrearsReminder: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var areaID: UUID?
    public var kind: ReminderKind
    public var outcome: ReminderOutcome
    public var at: Date
    public var byID: UUID?
    public var byName: String
    public var note: String

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, areaID: UUID?, kind: ReminderKind, outcome: ReminderOutcome, at: Date,
                byID: UUID?, byName: String, note: String) {
        self.id = id; self.communityID = communityID; self.unitID = unitID; self.areaID = areaID; self.kind = kind; self.outcome = outcome
        self.at = at; self.byID = byID; self.byName = byName; self.note = note
    }
}

/// One unit's arrears: what it still owes and for how many months (FEE-3).
public struct UnitArrears: Sendable, Codable, Equatable {
    public var unitID: UUID
    public var areaID: UUID?
    public var outstandingFen: Int
    /// Distinct billing months with something still owed.
    public var months: Int
    public var oldestPeriod: String

    public init(unitID: UUID, areaID: UUID?, outstandingFen: Int, months: Int, oldestPeriod: String) {
        self.unitID = unitID; self.areaID = areaID; self.outstandingFen = outstandingFen; self.months = months; self.oldestPeriod = oldestPeriod
    }

    /// 长期欠费 — more than six months owed (S2 4.5.3: 欠费时间超过半年).
    public static let longTermMonths = 6
    public var isLongTerm: Bool { months > Self.longTermMonths }
}

/// Allocates a payment to bills, oldest first unless bills are chosen (FEE-1).
public enum PaymentAllocation {
    /// `bills` are the unit's open bills; `chosen` (if any) are paid first, in their given order, then nothing else.
    /// Returns (bill id, fen) pairs; throws when the amount exceeds what those bills still owe — PropDesk does not
    /// hold unallocated credit (prepayment is a bill for the coming months, issued by a billing run first).
    public static func allocate(_ amount: Int, to bills: [Bill], chosen: [UUID]? = nil) throws -> [(UUID, Int)] {
        guard amount > 0 else {
            throw DomainError.invalid(field: "amount", Message(zh: "缴费金额须大于 0", en: "The amount must be more than zero"))
        }
        let open = bills.filter { $0.outstandingFen > 0 }
        let ordered: [Bill]
        if let chosen, !chosen.isEmpty {
            // A bill named twice would be paid twice over (its outstanding counted twice).
            guard Set(chosen).count == chosen.count else {
                throw DomainError.invalid(field: "bills", Message(zh: "同一张账单不能重复选择", en: "A bill is chosen more than once"))
            }
            let byID = Dictionary(uniqueKeysWithValues: open.map { ($0.id, $0) })
            ordered = try chosen.map { id in
                guard let b = byID[id] else {
                    throw DomainError.invalid(field: "bills", Message(zh: "所选账单不存在或已结清", en: "A chosen bill does not exist or is already paid"))
                }
                return b
            }
        } else {
            ordered = open.sorted { ($0.period, $0.createdAt, $0.itemName) < ($1.period, $1.createdAt, $1.itemName) }
        }
        let owed = ordered.reduce(0) { $0 + $1.outstandingFen }
        guard amount <= owed else {
            throw DomainError.invalid(field: "amount", Message(
                zh: "缴费金额 \(Money.yuan(amount)) 超过所欠 \(Money.yuan(owed));多收的款项不能作为预存,请先出具后续月份的账单",
                en: "The amount \(Money.yuan(amount)) is more than the \(Money.yuan(owed)) owed; PropDesk holds no unallocated credit — bill the coming months first"))
        }
        var left = amount
        var result: [(UUID, Int)] = []
        for b in ordered where left > 0 {
            let take = min(left, b.outstandingFen)
            result.append((b.id, take))
            left -= take
        }
        return result
    }
}

/// The collection rate (FEE-4, S4 篇4): of what was billed for the months of the year so far,
/// how much had been paid by the end of the month. Credits reduce what is due; voided receipts
/// count for nothing.
public struct CollectionRate: Sendable, Codable, Equatable {
    public var dueFen: Int
    public var collectedFen: Int
    public var perMille: Int? { FeeMath.perMille(collectedFen, of: dueFen) }
    public static let targetPerMille = 950

    public init(dueFen: Int, collectedFen: Int) { self.dueFen = dueFen; self.collectedFen = collectedFen }

    public static let definition = Message(
        zh: "收费率 = 本年 1 月至所选月份的物业服务费等周期性账单(含期初欠费,不含有偿服务等一次性收费)在所选月底前已收金额 ÷ 同期应收金额(应收已扣除红冲;已作废的收据不计)。目标 ≥ 95%。",
        en: "Collection rate = amount paid by the end of the chosen month against the periodic bills (management fee and the like, opening balances included, one-off charges such as paid services not) of January up to that month ÷ the amount due for them (credit notes deducted; voided receipts count for nothing). Target ≥ 95 %.")
}
