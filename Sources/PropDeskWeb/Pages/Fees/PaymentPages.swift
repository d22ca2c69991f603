import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Payments in pages (FEE-1): a unit's account (open bills, receipts, deposits, the payment
/// form), one receipt with its lines and the void form, the printed receipt, and the cashier's
/// day with the daily close. The desk and finance take money; finance voids.
enum PaymentPages {
    enum S {
        static let account = Message(zh: "房屋账户", en: "Unit account")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let owed = Message(zh: "欠费合计", en: "Total owed")
        static let openBills = Message(zh: "未结账单", en: "Open bills")
        static let noBills = Message(zh: "没有未结账单。", en: "No open bills.")
        static let period = Message(zh: "月份", en: "Month")
        static let item = Message(zh: "收费项目", en: "Item")
        static let amount = Message(zh: "金额", en: "Amount")
        static let credited = Message(zh: "红冲", en: "Credited")
        static let paid = Message(zh: "已缴", en: "Paid")
        static let outstanding = Message(zh: "未缴", en: "Outstanding")
        static let choose = Message(zh: "只缴所选", en: "Pay only these")
        static let pay = Message(zh: "收款", en: "Take a payment")
        static let amountYuan = Message(zh: "金额(元)", en: "Amount (yuan)")
        static let method = Message(zh: "付款方式", en: "Method")
        static let reference = Message(zh: "交易流水号(非现金必填)", en: "Transaction reference (not cash)")
        static let payer = Message(zh: "缴款人", en: "Paid by")
        static let chooseHint = Message(zh: "不勾选账单时,按月份从早到晚冲抵;多收的款项不作预存。", en: "Without a choice the oldest bills are paid first; PropDesk holds no credit.")
        static let receipts = Message(zh: "收据", en: "Receipts")
        static let noReceipts = Message(zh: "暂无收据。", en: "No receipts yet.")
        static let number = Message(zh: "收据号", en: "Number")
        static let issued = Message(zh: "开具时间", en: "Issued")
        static let kind = Message(zh: "类别", en: "Kind")
        static let status = Message(zh: "状态", en: "Status")
        static let valid = Message(zh: "有效", en: "Valid")
        static let void = Message(zh: "已作废", en: "Void")
        static let deposits = Message(zh: "押金", en: "Deposits")
        static let receipt = Message(zh: "收据", en: "Receipt")
        static let receiptTitle = Message(zh: "收款收据", en: "Receipt")
        static let cashier = Message(zh: "收款人", en: "Cashier")
        static let lines = Message(zh: "冲抵明细", en: "Paid against")
        static let total = Message(zh: "合计", en: "Total")
        static let print = Message(zh: "打印收据", en: "Print the receipt")
        static let voidIt = Message(zh: "作废收据", en: "Void the receipt")
        static let reason = Message(zh: "作废原因", en: "Reason")
        static let voidStamp = Message(zh: "作废", en: "VOID")
        static let voidedBy = Message(zh: "作废人", en: "Voided by")
        static let inClose = Message(zh: "已计入日结", en: "In a daily close")
        static let voidClosed = Message(zh: "此收据已计入日结,作废后日结中会标出。", en: "This receipt is in a daily close; the close will show the void.")
        static let day = Message(zh: "收款日", en: "Day")
        static let cashierDay = Message(zh: "收款与日结", en: "Cashier's day")
        static let everyone = Message(zh: "全部收款人", en: "Every cashier")
        static let show = Message(zh: "显示", en: "Show")
        static let byMethod = Message(zh: "按付款方式汇总(退款为负,作废不计)", en: "Totals by method (refunds negative, voids left out)")
        static let voidedCount = Message(zh: "作废张数", en: "Voided")
        static let close = Message(zh: "日结", en: "Close the day")
        static let counted = Message(zh: "清点现金(元)", en: "Cash counted (yuan)")
        static let note = Message(zh: "备注", en: "Note")
        static let expectedCash = Message(zh: "应有现金", en: "Cash expected")
        static let difference = Message(zh: "差额(实点 − 应有)", en: "Difference (counted − expected)")
        static let closedBy = Message(zh: "日结人", en: "Closed by")
        static let closes = Message(zh: "日结记录", en: "Daily closes")
        static let voidAfter = Message(zh: "日结后作废的收据", en: "Voided after the close")
        static let notClosed = Message(zh: "尚未日结。", en: "Not closed yet.")
        static let whichCashier = Message(zh: "收款人", en: "Cashier")
        static let capital = Message(zh: "人民币(大写)", en: "Amount in Chinese capitals")
        static let dayClosed = Message(zh: "您今天已日结,不能再收款或收押金;今天还要收的款请交财务办理。",
                                       en: "You have closed your day: no more payments or deposits today; finance can take what is still to be paid.")
    }

    static func labels(_ lang: Language, _ methods: [PaymentMethod] = PaymentMethod.allCases) -> [(value: String, label: String)] {
        methods.map { ($0.rawValue, $0.label.text(lang)) }
    }

    static func today(_ timeZone: String, _ req: Request) -> String {
        WorkingDays(ServiceHours(timeZone: timeZone)).dayKey(req.application.propdesk.now())
    }

    /// Whether the caller has closed today's takings: a closed day takes no more money (the forms make way for a notice).
    static func closedToday(_ community: Community?, _ req: Request) async throws -> Bool {
        guard let community else { return false }
        return try await req.store.fees.closes(community: community.id, day: today(community.timeZone, req)).contains { $0.cashierName == req.actor.name }
    }

    static func dayClosedNotice(_ lang: Language) -> BodyNode {
        H.el("p", [("class", "notice"), ("id", "day-closed")], text: S.dayClosed.text(lang))
    }

    static func frameCommunities(_ req: Request) async throws -> [Community] {
        guard let (_, policy) = try? req.requireStaff() else { return [] }
        return try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
    }

    static func receiptsTable(_ receipts: [Receipt], _ lang: Language, _ time: LocalTime, units: [UUID: String]? = nil, id: String) -> BodyNode {
        var head = [S.number, S.issued, S.kind, S.method, S.amount, S.payer, S.status]
        if units != nil { head.insert(S.unit, at: 2) }
        return H.el("table", [("class", "register"), ("id", id)], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + receipts.map { r in
            var cells: [BodyNode] = [
                H.el("td", [], [H.link(r.printedNumber, Routes.receipt(r.id))]), H.el("td", [], text: time.format(r.issuedAt)),
                H.el("td", [], text: r.kind.label.text(lang)), H.el("td", [], text: r.method.label.text(lang)),
                H.el("td", [("class", "num")], text: Money.yuan(r.kind.sign < 0 ? -r.amountFen : r.amountFen)), H.el("td", [], text: r.payer),
                H.el("td", [], text: r.voided ? S.void.text(lang) : S.valid.text(lang)),
            ]
            if let units { cells.insert(H.el("td", [], text: units[r.unitID] ?? ""), at: 2) }
            return H.el("tr", [("data-number", r.printedNumber), ("data-voided", r.voided ? "yes" : "no")], cells)
        })
    }

    // MARK: A unit's account

    /// GET /units/:unitId/account — open bills, receipts, deposits; the payment form for the desk and finance.
    static func account(_ req: Request) async throws -> Response {
        let d = try await PaymentAccess.unit(req.parameters.get("unitId") ?? "", .readFees, req)
        let p = try req.requirePrincipal()
        let lang = req.language
        let unitID = d.unit.id
        let community = try await req.store.registry.community(d.unit.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let open = try await req.store.fees.openBills(unit: unitID, community: d.unit.communityID)
        let receipts = try await req.store.fees.receipts(unit: unitID, community: d.unit.communityID)
        let deposits = try await req.store.fees.deposits(unit: unitID, community: d.unit.communityID)
        let staff = p.role.isStaff
        let closed = staff && AccessPolicy(p).has(.collectFees) ? try await closedToday(community, req) : false
        let canCollect = staff && AccessPolicy(p).has(.collectFees) && !closed
        let owed = open.reduce(0) { $0 + $1.outstandingFen }
        var kids: [BodyNode] = [
            H.el("section", [("class", "card")], [H.el("dl", [("class", "facts")], [
                H.el("div", [], [H.el("dt", [], text: S.unit.text(lang)), H.el("dd", [], text: d.label)]),
                H.el("div", [], [H.el("dt", [], text: S.owed.text(lang)), H.el("dd", [("id", "owed")], text: Money.yuan(owed))]),
            ])]),
            H.el("h2", [], text: S.openBills.text(lang)),
        ]
        if open.isEmpty {
            kids.append(H.el("p", [("class", "muted"), ("id", "no-bills")], text: S.noBills.text(lang)))
        } else {
            var head = [S.period, S.item, S.amount, S.credited, S.paid, S.outstanding]
            if canCollect { head.append(S.choose) }
            kids.append(H.el("table", [("class", "register"), ("id", "open-bills")], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + open.map { b in
                var cells: [BodyNode] = [
                    H.el("td", [], text: b.period), H.el("td", [], staff ? [H.link(b.itemName, Routes.bill(b.id))] : [.text(b.itemName)]),
                    H.el("td", [("class", "num")], text: Money.yuan(b.amountFen)), H.el("td", [("class", "num")], text: Money.yuan(b.creditedFen)),
                    H.el("td", [("class", "num")], text: Money.yuan(b.paidFen)), H.el("td", [("class", "num")], text: Money.yuan(b.outstandingFen)),
                ]
                if canCollect {
                    cells.append(H.el("td", [], [H.input([("type", "checkbox"), ("name", "billIds[]"), ("value", b.id.uuidString), ("form", "payment-form"),
                                                          ("aria-label", "\(S.choose.text(lang)) \(b.period) \(b.itemName)")])]))
                }
                return H.el("tr", [("data-bill", b.id.uuidString), ("data-period", b.period)], cells)
            }))
        }
        if canCollect {
            kids.append(H.el("details", [("class", "card"), ("id", "pay")] + (open.isEmpty ? [] : [("open", "open")]), [
                H.el("summary", [], text: S.pay.text(lang)),
                H.form(Routes.unitPayments(unitID), [("id", "payment-form")], [
                    H.hidden("formId", UUID().uuidString),
                    H.field(S.amountYuan.text(lang), "pay-amount", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "pay-amount"), ("name", "amount"),
                                                                          ("required", "required"), ("value", owed > 0 ? String(format: "%d.%02d", owed / 100, owed % 100) : "")])),
                    H.field(S.method.text(lang), "pay-method", H.select("pay-method", name: "method", labels(lang), selected: PaymentMethod.cash.rawValue)),
                    H.field(S.reference.text(lang), "pay-reference", H.input([("type", "text"), ("id", "pay-reference"), ("name", "reference"), ("maxlength", "80")])),
                    H.field(S.payer.text(lang), "pay-payer", H.input([("type", "text"), ("id", "pay-payer"), ("name", "payer"), ("maxlength", "60"),
                                                                    ("value", d.occupants.first?.person.name ?? "")])),
                    H.el("p", [("class", "muted")], text: S.chooseHint.text(lang)),
                    H.button(S.pay.text(lang), [("id", "pay-submit")]),
                ]),
            ]))
        }
        if closed { kids.append(dayClosedNotice(lang)) }
        kids.append(H.el("h2", [], text: S.receipts.text(lang)))
        kids.append(receipts.isEmpty ? H.el("p", [("class", "muted")], text: S.noReceipts.text(lang)) : receiptsTable(receipts, lang, time, id: "unit-receipts"))
        kids.append(H.el("h2", [], text: S.deposits.text(lang)))
        kids.append(DepositPages.table(deposits, lang, time, units: nil, links: staff))
        if canCollect, let community {
            kids.append(DepositPages.receiveForm(community.id, unit: unitID, lang: lang, open: false))
        }
        let communities = try await frameCommunities(req)
        return Layout.page(title: S.account, request: req, frame: Frame(community: community, bodyClass: staff ? "" : "phone-first"), communities: communities, kids)
    }

    struct PaymentForm: Content {
        var formId: String?
        var amount: String?
        var method: String?
        var reference: String?
        var payer: String?
        var billIds: [String]?
    }

    /// POST /units/:unitId/payments — takes the payment and shows its receipt.
    static func pay(_ req: Request) async throws -> Response {
        let d = try await PaymentAccess.unit(req.parameters.get("unitId") ?? "", .collectFees, req)
        do {
            let f = try req.content.decode(PaymentForm.self)
            let payment = try payment(f, unit: d.unit.id)
            let r = try await req.store.fees.pay(payment, community: d.unit.communityID, by: req.actor)
            Flash.set(req, Message(zh: "已收款 \(Money.yuan(r.amountFen)),收据 \(r.printedNumber)", en: "Received \(Money.yuan(r.amountFen)); receipt \(r.printedNumber)"))
            return req.redirect(to: Routes.receipt(r.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.unitAccount(d.unit.id), redirectType: .normal)
        }
    }

    static func payment(_ f: PaymentForm, unit: UUID) throws -> FeeStore.Payment {
        guard let method = PaymentMethod(rawValue: f.method ?? "") else {
            throw DomainError.invalid(field: "method", Message(zh: "请选择付款方式", en: "Choose how it was paid"))
        }
        let bills = try (f.billIds ?? []).filter { !$0.isEmpty }.map { try Parse.uuid($0, field: "billIds") }
        return FeeStore.Payment(unitID: unit, amountFen: try Money.fen(fromYuan: f.amount ?? "", field: "amount"), method: method,
                                reference: f.reference ?? "", payer: f.payer ?? "", billIDs: bills.isEmpty ? nil : bills,
                                formID: try f.formId.flatMap { $0.isEmpty ? nil : try Parse.uuid($0, field: "formId") })
    }

    // MARK: One receipt

    /// GET /receipts/:id — the receipt, what it paid, and (finance) the void form.
    static func show(_ req: Request) async throws -> Response {
        let r = try await PaymentAccess.receipt(req.parameters.get("id") ?? "", .readFees, req)
        let p = try req.requirePrincipal()
        let lang = req.language
        let community = try await req.store.registry.community(r.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let units = try await req.store.registry.unitLabels([r.unitID])
        let lines = try await req.store.fees.allocations(receipt: r.id)
        var kids: [BodyNode] = [
            H.el("p", [], [H.link(S.account.text(lang), Routes.unitAccount(r.unitID)), .text(" · "), H.link(S.print.text(lang), Routes.receiptPrint(r.id), [("id", "print-link")])]),
        ]
        if r.voided {
            kids.append(H.el("p", [("class", "error void-stamp"), ("id", "void-stamp")],
                             text: "\(S.voidStamp.text(lang)) · \(r.voidReason ?? "") · \(OrderViews.person(r.voidedByName ?? "", lang)) \(r.voidedAt.map { time.format($0) } ?? "")"))
        }
        kids.append(H.el("section", [("class", "card")], [details(r, units: units, time: time, lang: lang)]))
        if !lines.isEmpty { kids.append(linesTable(lines, lang)) }
        if p.role.isStaff, AccessPolicy(p).has(.manageFees), !r.voided, r.kind == .payment {
            var form: [BodyNode] = []
            if r.closeID != nil { form.append(H.el("p", [("class", "notice")], text: S.voidClosed.text(lang))) }
            form += [
                H.field(S.reason.text(lang), "void-reason", H.input([("type", "text"), ("id", "void-reason"), ("name", "reason"), ("required", "required"), ("maxlength", "200")])),
                H.button(S.voidIt.text(lang), [("id", "void-submit")], primary: false),
            ]
            kids.append(H.el("details", [("class", "card"), ("id", "void")], [H.el("summary", [], text: S.voidIt.text(lang)), H.form(Routes.receiptVoid(r.id), [("id", "void-form")], form)]))
        }
        let communities = try await frameCommunities(req)
        return Layout.page(title: Message(zh: "收据 \(r.printedNumber)", en: "Receipt \(r.printedNumber)"), request: req, frame: Frame(community: community),
                           communities: communities, kids)
    }

    static func details(_ r: Receipt, units: [UUID: String], time: LocalTime, lang: Language) -> BodyNode {
        var rows: [(Message, String)] = [
            (S.number, r.printedNumber), (S.unit, units[r.unitID] ?? ""), (S.kind, r.kind.label.text(lang)), (S.amount, Money.yuan(r.amountFen)),
            (S.method, r.method.label.text(lang)), (S.payer, r.payer), (S.cashier, OrderViews.person(r.cashierName, lang)), (S.issued, time.format(r.issuedAt)),
        ]
        if !r.reference.isEmpty { rows.insert((Message(zh: "交易流水号", en: "Reference"), r.reference), at: 5) }
        if r.closeID != nil { rows.append((S.inClose, r.day)) }
        return H.el("dl", [("class", "facts"), ("id", "receipt-facts")], rows.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) })
    }

    static func linesTable(_ lines: [(bill: Bill, fen: Int)], _ lang: Language) -> BodyNode {
        H.el("table", [("class", "register"), ("id", "receipt-lines")], [H.el("tr", [], [S.period, S.item, S.amount].map { H.el("th", [], text: $0.text(lang)) })]
            + lines.map { l in H.el("tr", [("data-bill", l.bill.id.uuidString)], [H.el("td", [], text: l.bill.period), H.el("td", [], text: l.bill.itemName),
                                                                                   H.el("td", [("class", "num")], text: Money.yuan(l.fen))]) }
            + [H.el("tr", [], [H.el("th", [], text: S.total.text(lang)), H.el("td", [], text: ""), H.el("td", [("class", "num")], text: Money.yuan(lines.reduce(0) { $0 + $1.fen }))])])
    }

    /// GET /receipts/:id/print — the printed receipt: number like 2026-000123, community, unit, lines, cashier; VOID stamp when voided.
    static func print(_ req: Request) async throws -> Response {
        let r = try await PaymentAccess.receipt(req.parameters.get("id") ?? "", .readFees, req)
        let lang = req.language
        let community = try await req.store.registry.community(r.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let units = try await req.store.registry.unitLabels([r.unitID])
        let lines = try await req.store.fees.allocations(receipt: r.id)
        var kids: [BodyNode] = [H.el("h2", [], text: "\(S.receiptTitle.text(lang)) No. \(r.printedNumber)")]
        if r.voided {
            kids.append(H.el("p", [("class", "void-stamp"), ("id", "void-stamp")], text: "\(S.voidStamp.zhHans) VOID · \(r.voidReason ?? "")"))
        }
        kids.append(PrintForms.facts([
            (S.number, r.printedNumber), (S.unit, units[r.unitID] ?? ""), (S.kind, r.kind.label.text(lang)), (S.payer, r.payer),
            (S.method, r.method.label.text(lang) + (r.reference.isEmpty ? "" : " · \(r.reference)")), (S.amount, Money.yuan(r.amountFen)),
            (S.capital, capital(r.amountFen)),
            (S.issued, time.format(r.issuedAt)), (S.cashier, OrderViews.person(r.cashierName, lang)),
        ], lang))
        if !lines.isEmpty { kids.append(linesTable(lines, lang)) }
        return PrintForms.sheet(req, title: S.receiptTitle, community: community, kids)
    }

    struct VoidForm: Content { var reason: String? }

    /// POST /receipts/:id/void — finance only; the reason is required; the number stays taken.
    static func voidReceipt(_ req: Request) async throws -> Response {
        let r = try await PaymentAccess.receipt(req.parameters.get("id") ?? "", .manageFees, req)
        do {
            let f = try req.content.decode(VoidForm.self)
            let v = try await req.store.fees.void(receipt: r.id, reason: f.reason ?? "", by: req.actor)
            Flash.set(req, Message(zh: "收据 \(v.printedNumber) 已作废", en: "Receipt \(v.printedNumber) is void"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.receipt(r.id), redirectType: .normal)
    }

    /// An amount in Chinese capital numerals as a printed receipt carries it (人民币大写), e.g. ¥1005.30 →
    /// 壹仟零伍元叁角整: digits with 拾佰仟 in groups of four (万, 亿), one 零 for each run of zeros inside.
    static func capital(_ amountFen: Int) -> String {
        let digits = Array("零壹贰叁肆伍陆柒捌玖").map(String.init), small = ["", "拾", "佰", "仟"], big = ["", "万", "亿", "万亿"]
        let fen = abs(amountFen)
        var yuan = fen / 100
        let jiao = fen / 10 % 10, cent = fen % 10
        var groups: [Int] = []
        while yuan > 0 { groups.append(yuan % 10000); yuan /= 10000 }
        var out = "", gap = false
        for (g, value) in groups.enumerated().reversed() {
            guard value > 0 else { gap = true; continue }
            if !out.isEmpty && (gap || value < 1000) { out += "零" }
            gap = false
            var part = "", zero = false
            for (i, power) in [1000, 100, 10, 1].enumerated() {
                let d = value / power % 10
                if d == 0 { zero = !part.isEmpty; continue }
                if zero { part += "零"; zero = false }
                part += digits[d] + small[3 - i]
            }
            out += part + big[min(g, big.count - 1)]
        }
        if !out.isEmpty { out += "元" }
        if jiao == 0 && cent == 0 { return (amountFen < 0 ? "负" : "") + (out.isEmpty ? "零元" : out) + "整" }
        if jiao > 0 { out += digits[jiao] + "角" } else if !out.isEmpty { out += "零" }
        out += cent > 0 ? digits[cent] + "分" : "整"
        return (amountFen < 0 ? "负" : "") + out
    }

    // MARK: The cashier's day and the daily close

    /// GET /c/:cid/cashier?day=&cashier= — the day's receipts of the caller (finance: of anyone or everyone), totals by method, closes.
    static func day(_ req: Request) async throws -> Response {
        let (cid, _) = try Scoped.community(req.parameters.get("cid") ?? "", .collectFees, req)
        let cashier = try PaymentAccess.cashierName(req.query[String.self, at: "cashier"], req)
        let (_, policy) = try req.requireStaff()
        let lang = req.language
        guard let community = try await req.store.registry.community(cid) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        let day = try ReportPeriod.day(req.query[String.self, at: "day"], timeZone: community.timeZone, now: req.application.propdesk.now())
        let receipts = try await req.store.fees.receipts(community: cid, day: day, cashierName: cashier)
        let closes = try await req.store.fees.closes(community: cid, day: day).filter { cashier == nil || $0.cashierName == cashier }
        let units = try await req.store.registry.unitLabels(Set(receipts.map(\.unitID)))
        var filter: [BodyNode] = [H.field(S.day.text(lang), "cashier-day", H.input([("type", "date"), ("id", "cashier-day"), ("name", "day"), ("value", day)]))]
        if policy.has(.manageFees) {
            // Finance picks one of the day's cashiers (names as stored, shown without the account).
            let all = cashier == nil ? receipts : try await req.store.fees.receipts(community: cid, day: day, cashierName: nil)
            let names = Set(all.map(\.cashierName) + (try await req.store.fees.closes(community: cid, day: day)).map(\.cashierName) + (cashier.map { [$0] } ?? []))
            filter.append(H.field(S.whichCashier.text(lang), "cashier-name", H.select("cashier-name", name: "cashier",
                [("", S.everyone.text(lang))] + names.sorted().map { ($0, OrderViews.person($0, lang)) }, selected: cashier ?? "")))
        }
        var kids: [BodyNode] = [H.form(Routes.cashier(cid), [("method", "get"), ("class", "inline"), ("id", "day-filter")], filter + [H.button(S.show.text(lang), primary: false)])]
        kids.append(H.el("h2", [], text: "\(S.receipts.text(lang)) · \(day) · \(cashier.map { OrderViews.person($0, lang) } ?? S.everyone.text(lang))"))
        kids.append(receipts.isEmpty ? H.el("p", [("class", "muted")], text: S.noReceipts.text(lang)) : receiptsTable(receipts, lang, time, units: units, id: "day-receipts"))
        var byMethod: [PaymentMethod: Int] = [:]
        for r in receipts where !r.voided { byMethod[r.method, default: 0] += r.kind.sign * r.amountFen }
        kids.append(H.el("h2", [], text: S.byMethod.text(lang)))
        kids.append(H.el("table", [("class", "register"), ("id", "day-totals")], PaymentMethod.allCases.filter { byMethod[$0] != nil }.map { m in
            H.el("tr", [("data-method", m.rawValue)], [H.el("th", [], text: m.label.text(lang)), H.el("td", [("class", "num")], text: Money.yuan(byMethod[m] ?? 0))])
        } + [H.el("tr", [("id", "day-total")], [H.el("th", [], text: S.total.text(lang)), H.el("td", [("class", "num")], text: Money.yuan(byMethod.values.reduce(0, +)))]),
             H.el("tr", [], [H.el("th", [], text: S.voidedCount.text(lang)), H.el("td", [("class", "num")], text: "\(receipts.filter(\.voided).count)")])]))
        kids.append(H.el("h2", [], text: S.closes.text(lang)))
        if closes.isEmpty { kids.append(H.el("p", [("class", "muted")], text: S.notClosed.text(lang))) }
        for c in closes {
            let voidedAfter = receipts.filter { $0.closeID == c.id && ($0.voidedAt.map { $0 > c.closedAt } ?? false) }
            var rows: [(Message, String)] = [(S.cashier, OrderViews.person(c.cashierName, lang)), (S.day, c.day), (S.receipts, "\(c.receipts)"), (S.voidedCount, "\(c.voided)")]
            rows += PaymentMethod.allCases.compactMap { m in c.byMethod[m.rawValue].map { (m.label, Money.yuan($0)) } }
            rows += [(S.total, Money.yuan(c.totalFen)), (S.expectedCash, Money.yuan(c.expectedCashFen)), (S.counted, Money.yuan(c.countedCashFen)),
                     (S.difference, Money.yuan(c.differenceFen)), (S.closedBy, "\(OrderViews.person(c.closedByName, lang)) \(time.format(c.closedAt))")]
            if !c.note.isEmpty { rows.append((S.note, c.note)) }
            var card: [BodyNode] = [H.el("dl", [("class", "facts")], rows.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) })]
            if !voidedAfter.isEmpty {
                card.append(H.el("p", [("class", "error"), ("id", "voided-after-close")],
                                 text: "\(S.voidAfter.text(lang)):" + voidedAfter.map { "\($0.printedNumber) \(Money.yuan($0.amountFen)) · \($0.voidReason ?? "")" }.joined(separator: ";")))
            }
            kids.append(H.el("section", [("class", "card daily-close"), ("data-cashier", c.cashierName)], card))
        }
        let closing = cashier ?? (policy.has(.manageFees) ? nil : req.actor.name)
        if let closing, !closes.contains(where: { $0.cashierName == closing }) {
            kids.append(H.el("details", [("class", "card"), ("id", "close")], [
                H.el("summary", [], text: "\(S.close.text(lang)) · \(OrderViews.person(closing, lang)) · \(day)"),
                H.form(Routes.cashierClose(cid), [("id", "close-form")], [
                    H.hidden("day", day), H.hidden("cashier", closing),
                    H.field(S.counted.text(lang), "close-counted", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "close-counted"), ("name", "countedCash"), ("required", "required")]),
                            hint: "\(S.expectedCash.text(lang)) \(Money.yuan(byMethod[.cash] ?? 0))"),
                    H.field(S.note.text(lang), "close-note", H.input([("type", "text"), ("id", "close-note"), ("name", "note"), ("maxlength", "500")])),
                    H.button(S.close.text(lang), [("id", "close-submit")]),
                ]),
            ]))
        }
        let communities = try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
        return Layout.page(title: S.cashierDay, request: req, frame: Frame(community: community), communities: communities, kids)
    }

    struct CloseForm: Content {
        var day: String?
        var cashier: String?
        var countedCash: String?
        var note: String?
    }

    /// POST /c/:cid/cashier/close — one close per cashier and day.
    static func closeDay(_ req: Request) async throws -> Response {
        let (cid, _) = try Scoped.community(req.parameters.get("cid") ?? "", .collectFees, req)
        let f = try req.content.decode(CloseForm.self)
        let cashier = try PaymentAccess.cashierName(f.cashier, req) ?? req.actor.name
        do {
            let c = try await req.store.fees.closeDay(community: cid, cashierName: cashier, day: f.day ?? "",
                                                      countedCashFen: try Money.fen(fromYuan: f.countedCash ?? "", field: "countedCash"),
                                                      note: f.note ?? "", by: req.actor)
            Flash.set(req, Message(zh: "已日结:合计 \(Money.yuan(c.totalFen)),现金差额 \(Money.yuan(c.differenceFen))",
                                   en: "Day closed: total \(Money.yuan(c.totalFen)), cash difference \(Money.yuan(c.differenceFen))"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.cashier(cid, day: f.day, cashier: AccessPolicy(try req.requirePrincipal()).has(.manageFees) ? cashier : nil), redirectType: .normal)
    }
}
