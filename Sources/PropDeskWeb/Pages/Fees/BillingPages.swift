import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The finance workspace (收费): links to the fee pages the caller may use. Helpers of other
/// fee screens (payments, deposits, arrears, the collection rate) add their link to `links`.
enum FeesHome {
    struct Link: Sendable {
        let key: String
        let title: Message
        let permission: Permission
        let href: @Sendable (UUID) -> String
    }

    // MARK: The workspace's links — other fee screens append their entry here.
    static let links: [Link] = [
        Link(key: "fee-runs", title: BillingPages.S.runs, permission: .manageFees, href: { Routes.feeRuns($0) }),
        Link(key: "fee-items", title: BillingPages.S.items, permission: .manageFees, href: { Routes.feeItems($0) }),
        Link(key: "fee-opening", title: BillingPages.S.opening, permission: .manageFees, href: { Routes.feeOpening($0) }),
        Link(key: "fee-schedule", title: BillingPages.S.schedule, permission: .readFees, href: { Routes.feeSchedule($0) }),
        Link(key: "fee-cashier", title: PaymentPages.S.cashierDay, permission: .collectFees, href: { Routes.cashier($0) }),
        Link(key: "fee-deposits", title: DepositPages.S.title, permission: .readFees, href: { Routes.deposits($0) }),
        Link(key: "arrears", title: ArrearsPages.S.title, permission: .readFees, href: { Routes.arrears($0) }),
        Link(key: "arrears-lists", title: ArrearsPages.S.lists, permission: .readFees, href: { Routes.arrearsLists($0) }),
        Link(key: "arrears-long-term", title: ArrearsPages.S.longTerm, permission: .readFees, href: { Routes.arrearsLongTerm($0) }),
        Link(key: "collection-rate", title: ArrearsPages.S.rate, permission: .readFees, href: { Routes.collectionRate($0) }),
    ]

    /// GET /c/:cid/fees
    static func render(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readFees)
        let lang = req.language
        let c = scope.community
        let mine = links.filter { scope.policy.has($0.permission) && ($0.permission != .manageFees || scope.areas == nil) }
        var kids: [BodyNode] = [
            H.el("ul", [("class", "card links"), ("id", "fees-links")], mine.map { l in
                H.el("li", [], [H.link(l.title.text(lang), l.href(c.id), [("id", "link-\(l.key)")])])
            }),
        ]
        // Finance: whether this month is billed, and the next month's preview one click away (FEE-1).
        if scope.policy.has(.manageFees), scope.areas == nil {
            let month = FeeStoreMonth.current(c, req), next = FeeMonth.adding(1, to: month)
            let billed = Set(try await req.store.fees.runs(community: c.id).map(\.period))
            kids.append(H.el("section", [("class", "card"), ("id", "billing-status")], [
                H.el("h2", [], text: BillingPages.S.runs.text(lang)),
                H.el("ul", [], [month, next].map { m in
                    H.el("li", [("data-period", m), ("data-billed", billed.contains(m) ? "yes" : "no")], [
                        .text("\(m) · \((billed.contains(m) ? BillingPages.S.billed : BillingPages.S.notBilled).text(lang)) · "),
                        H.link(BillingPages.S.showPreview.text(lang), Routes.feeRuns(c.id, period: m), [("id", "preview-\(m)")]),
                    ])
                }),
            ]))
        }
        // The schedule in force, with each item's legal basis (FEE-5): what every fee screen charges.
        let items = try await req.store.fees.items(community: c.id).filter(\.active)
        kids.append(H.el("section", [("class", "card"), ("id", "workspace-schedule")], [
            H.el("h2", [], text: BillingPages.S.schedule.text(lang)),
            BillingPages.scheduleTable("schedule-items", items, lang),
            H.el("p", [], [H.link(BillingPages.S.publicPage.text(lang), Routes.feeSchedule(c.id), [("id", "public-schedule-link")])]),
        ]))
        return Layout.page(title: BillingPages.S.workspace, request: req, frame: scope.frame, communities: scope.communities, kids)
    }
}

/// Billing in pages (FEE-1, FEE-5): the fee items, the billing run with its preview and the
/// history of runs, one bill with its credit notes, the opening-balance import, and the public
/// fee schedule with each item's legal basis (S0 1.1).
enum BillingPages {
    enum S {
        static let workspace = Message(zh: "收费", en: "Fees")
        static let items = Message(zh: "收费项目", en: "Fee items")
        static let runs = Message(zh: "出账", en: "Billing runs")
        static let opening = Message(zh: "导入期初欠费", en: "Import opening balances")
        static let schedule = Message(zh: "收费公示", en: "Public fee schedule")
        static let publicPage = Message(zh: "公示页面(业主无需登录即可查看)", en: "The public page (anyone can open it without signing in)")
        static let billed = Message(zh: "已出账", en: "billed")
        static let notBilled = Message(zh: "尚未出账", en: "not billed yet")
        static let code = Message(zh: "编码", en: "Code")
        static let name = Message(zh: "名称", en: "Name")
        static let basis = Message(zh: "计费方式", en: "Basis")
        static let unitKind = Message(zh: "适用房屋", en: "Units")
        static let allUnits = Message(zh: "全部房屋", en: "All units")
        static let rate = Message(zh: "单价", en: "Rate")
        static let rateYuan = Message(zh: "单价(元)", en: "Rate (yuan)")
        static let custodyShare = Message(zh: "托管房按协议比例", en: "custody share applies")
        static let legalBasis = Message(zh: "收费依据(物价批复文号或合同条款)", en: "Legal basis (price approval or contract clause)")
        static let custody = Message(zh: "托管房屋按协议比例收取(如 70%)", en: "Units in custody pay their agreement's share (e.g. 70 %)")
        static let from = Message(zh: "起始月份", en: "First month")
        static let until = Message(zh: "截止月份(可不填)", en: "Last month (optional)")
        static let active = Message(zh: "启用", en: "Active")
        static let inactive = Message(zh: "停用", en: "Inactive")
        static let save = Message(zh: "保存", en: "Save")
        static let saved = Message(zh: "已保存", en: "Saved")
        static let newItem = Message(zh: "新增收费项目", en: "New fee item")
        static let edit = Message(zh: "修改", en: "Edit")
        static let noItems = Message(zh: "还没有收费项目。", en: "No fee items yet.")
        static let period = Message(zh: "账期", en: "Period")
        static let showPreview = Message(zh: "预览", en: "Preview")
        static let preview = Message(zh: "出账预览(尚未保存)", en: "Preview (nothing saved yet)")
        static let units = Message(zh: "房屋数", en: "Units")
        static let bills = Message(zh: "账单数", en: "Bills")
        static let amount = Message(zh: "金额", en: "Amount")
        static let already = Message(zh: "本期已出账单", en: "Bills of this period already issued")
        static let total = Message(zh: "合计", en: "Total")
        static let run = Message(zh: "出账", en: "Run billing")
        static let ran = Message(zh: "已出账", en: "Billing done")
        static let history = Message(zh: "出账记录", en: "Billing runs")
        static let noRuns = Message(zh: "还没有出过账。", en: "No billing runs yet.")
        static let at = Message(zh: "时间", en: "When")
        static let by = Message(zh: "操作人", en: "By")
        static let created = Message(zh: "新建账单", en: "Bills created")
        static let rounding = Message(zh: "计费规则:建筑面积 × 单价,四舍五入到分;托管房屋再乘协议比例,四舍五入到分。",
                                      en: "Rule: floor area × rate, rounded to the fen (halves up); a unit in custody then × its share, rounded to the fen.")
        static let bill = Message(zh: "账单", en: "Bill")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let item = Message(zh: "项目", en: "Item")
        static let origin = Message(zh: "来源", en: "Origin")
        static let credited = Message(zh: "已红冲", en: "Credited")
        static let paid = Message(zh: "已缴", en: "Paid")
        static let outstanding = Message(zh: "未缴", en: "Outstanding")
        static let note = Message(zh: "说明", en: "Note")
        static let creditNotes = Message(zh: "红冲记录", en: "Credit notes")
        static let noCredit = Message(zh: "没有红冲记录。", en: "No credit notes.")
        static let credit = Message(zh: "红冲", en: "Issue a credit note")
        static let creditAmount = Message(zh: "红冲金额(元)", en: "Credit (yuan)")
        static let reason = Message(zh: "原因", en: "Reason")
        static let credited_ = Message(zh: "已红冲:账单金额不变,未缴金额已减少", en: "Credited: the bill's amount stays, what is owed went down")
        static let neverEdited = Message(zh: "已出具的账单不能修改,更正请用红冲。", en: "An issued bill is never edited; corrections are credit notes.")
        static let file = Message(zh: "Excel 工作簿(.xlsx,读取第一个工作表)或 CSV 文件(UTF-8 或 GBK);列:楼栋, 房号, 金额, 起始月份, 月数, 说明",
                                  en: "Excel workbook (.xlsx, its first sheet is read) or CSV file (UTF-8 or GBK); columns: building, room, amount, since, months, note")
        static let encoding = Message(zh: "编码", en: "Encoding")
        static let auto = Message(zh: "自动识别", en: "Detect")
        static let upload = Message(zh: "导入", en: "Import")
        static let imported = Message(zh: "导入完成", en: "Imported")
        static let failed = Message(zh: "导入失败,没有保存任何数据", en: "Import failed: nothing was kept")
        static let line = Message(zh: "第 %d 行", en: "Line %d")
        static let openingHelp = Message(zh: "每行的金额平均分摊到起始月份起的各月(分为单位,余数计入第一个月);同一文件重复导入不会重复出账。",
                                         en: "Each line's amount is spread evenly over the months from its first month (in fen, the remainder on the first month); importing the same file again adds nothing.")
        static let lines = Message(zh: "行数", en: "Lines")
        static let existing = Message(zh: "已存在(未重复出账)", en: "Already there (not billed again)")
        static let publicNote = Message(zh: "以下为本小区经核准的收费项目、标准及收费依据。", en: "The approved fee items of this community, their rates and legal basis.")
        static let perM2 = Message(zh: "元/m²·月", en: "yuan per m² per month")
        static let perUnit = Message(zh: "元/户·月", en: "yuan per unit per month")
        static let once = Message(zh: "元/次", en: "yuan each time")
    }

    static func origin(_ o: BillOrigin) -> Message {
        switch o {
        case .run: Message(zh: "月度出账", en: "Billing run")
        case .opening: Message(zh: "期初欠费", en: "Opening balance")
        case .oneOff: Message(zh: "一次性收费", en: "One-off")
        }
    }

    static func rateText(_ i: FeeItem, _ lang: Language) -> String {
        let per = i.basis == .perAreaMonth ? S.perM2 : (i.basis == .perUnitMonth ? S.perUnit : S.once)
        return Money.yuan(i.rateFen) + " " + per.text(lang)
    }

    static func table(_ id: String, _ head: [Message], _ rows: [BodyNode], _ lang: Language) -> BodyNode {
        H.el("div", [("class", "table-wrap")], [H.el("table", [("id", id)], [
            H.el("thead", [], [H.el("tr", [], head.map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]),
            H.el("tbody", [], rows),
        ])])
    }

    static func text(_ label: Message, _ id: String, _ name: String, value: String = "", required: Bool = false, max: Int, mode: String = "", _ lang: Language) -> BodyNode {
        var attrs: [(String, String)] = [("type", "text"), ("id", id), ("name", name), ("value", value), ("maxlength", String(max))]
        if required { attrs.append(("required", "required")) }
        if !mode.isEmpty { attrs.append(("inputmode", mode)) }
        return H.field(label.text(lang), id, H.input(attrs))
    }

    // MARK: Fee items

    /// GET /c/:cid/fees/items
    static func items(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageFees)
        guard scope.areas == nil else { throw DomainError.forbidden }
        return try await itemsPage(scope, req, editing: nil)
    }

    static func itemsPage(_ scope: ConsoleScope, _ req: Request, editing: FeeItem?) async throws -> Response {
        let lang = req.language
        let c = scope.community
        let items = try await req.store.fees.items(community: c.id)
        var kids: [BodyNode] = []
        if items.isEmpty {
            kids.append(H.el("p", [("class", "muted")], text: S.noItems.text(lang)))
        } else {
            kids.append(table("fee-items", [S.code, S.name, S.basis, S.unitKind, S.rate, S.legalBasis, S.from, S.active, S.edit], items.map { i in
                H.el("tr", [("id", "item-\(i.code)")], [
                    H.el("td", [], text: i.code), H.el("td", [], text: i.name), H.el("td", [], text: i.basis.label.text(lang)),
                    H.el("td", [], text: i.unitKind?.title.text(lang) ?? S.allUnits.text(lang)),
                    H.el("td", [("class", "num")], text: rateText(i, lang) + (i.custodyDiscount ? " · \(S.custodyShare.text(lang))" : "")),
                    H.el("td", [], text: i.legalBasis), H.el("td", [], text: "\(i.fromMonth) – \(i.untilMonth ?? "")"),
                    H.el("td", [], text: (i.active ? S.active : S.inactive).text(lang)),
                    H.el("td", [], [H.link(S.edit.text(lang), Routes.feeItem(c.id, i.id))]),
                ])
            }, lang))
        }
        kids.append(itemForm(c, editing, FeeStoreMonth.current(c, req), lang))
        kids.append(H.el("p", [], [H.link(S.schedule.text(lang), Routes.feeSchedule(c.id))]))
        return Layout.page(title: S.items, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func itemForm(_ c: Community, _ i: FeeItem?, _ month: String, _ lang: Language) -> BodyNode {
        let action = i.map { Routes.feeItem(c.id, $0.id) } ?? Routes.feeItems(c.id)
        var check: [(String, String)] = [("type", "checkbox"), ("name", "custodyDiscount"), ("value", "1"), ("id", "item-custody")]
        if i?.custodyDiscount ?? true { check.append(("checked", "checked")) }
        var active: [(String, String)] = [("type", "checkbox"), ("name", "active"), ("value", "1"), ("id", "item-active")]
        if i?.active ?? true { active.append(("checked", "checked")) }
        return H.form(action, [("class", "card"), ("id", "fee-item-form")], [
            H.el("h2", [], text: (i == nil ? S.newItem : S.edit).text(lang)),
            text(S.code, "item-code", "code", value: i?.code ?? "", required: true, max: 16, lang),
            text(S.name, "item-name", "name", value: i?.name ?? "", required: true, max: 60, lang),
            H.field(S.basis.text(lang), "item-basis", H.select("item-basis", name: "basis", FeeBasis.allCases.map { ($0.rawValue, $0.label.text(lang)) },
                                                                selected: i?.basis.rawValue ?? FeeBasis.perAreaMonth.rawValue)),
            H.field(S.unitKind.text(lang), "item-kind", H.select("item-kind", name: "unitKind", [("", S.allUnits.text(lang))] + UnitKind.allCases.map { ($0.rawValue, $0.title.text(lang)) },
                                                                  selected: i?.unitKind?.rawValue ?? "")),
            text(S.rateYuan, "item-rate", "rate", value: i.map { String(Money.yuan($0.rateFen).dropFirst()) } ?? "", required: true, max: 12, mode: "decimal", lang),
            text(S.legalBasis, "item-legal", "legalBasis", value: i?.legalBasis ?? "", required: true, max: 200, lang),
            text(S.from, "item-from", "fromMonth", value: i?.fromMonth ?? month, required: true, max: 7, lang),
            text(S.until, "item-until", "untilMonth", value: i?.untilMonth ?? "", max: 7, lang),
            H.el("label", [], [H.input(check), .text(" " + S.custody.text(lang))]),
            H.el("label", [], [H.input(active), .text(" " + S.active.text(lang))]),
            H.button(S.save.text(lang), [("id", "item-save")]),
        ])
    }

    struct ItemForm: Content {
        var code: String?
        var name: String?
        var basis: String?
        var unitKind: String?
        var rate: String?
        var legalBasis: String?
        var fromMonth: String?
        var untilMonth: String?
        var custodyDiscount: String?
        var active: String?

        func item(id: UUID, community: UUID, at: Date) throws -> FeeItem {
            guard let basis = FeeBasis(rawValue: basis ?? "") else {
                throw DomainError.invalid(field: "basis", Message(zh: "请选择计费方式", en: "Choose how the item is charged"))
            }
            let kind = (unitKind ?? "").isEmpty ? nil : UnitKind(rawValue: unitKind ?? "")
            let until = (untilMonth ?? "").trimmingCharacters(in: .whitespaces)
            return FeeItem(id: id, communityID: community, code: code ?? "", name: name ?? "", basis: basis, unitKind: kind,
                           rateFen: try Money.fen(fromYuan: rate ?? "", field: "rate"), legalBasis: legalBasis ?? "", custodyDiscount: custodyDiscount == "1",
                           fromMonth: (fromMonth ?? "").trimmingCharacters(in: .whitespaces), untilMonth: until.isEmpty ? nil : until,
                           active: active == "1", createdAt: at)
        }
    }

    /// POST /c/:cid/fees/items — a new item.
    static func createItem(_ req: Request) async throws -> Response {
        let cid = try FeeAccess.wholeCommunity(req.parameters.get("cid") ?? "", .manageFees, req)
        do {
            let f = try req.content.decode(ItemForm.self)
            _ = try await req.store.fees.saveItem(try f.item(id: UUID(), community: cid, at: req.application.propdesk.now()), by: req.actor)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.feeItems(cid), redirectType: .normal)
    }

    /// GET /c/:cid/fees/items/:itemId — the item in the form.
    static func editItem(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageFees)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let item = try await FeeAccess.item(req.parameters.get("itemId") ?? "", req)
        guard item.communityID == scope.community.id else { throw DomainError.notFound(Noun.feeItem) }
        return try await itemsPage(scope, req, editing: item)
    }

    /// POST /c/:cid/fees/items/:itemId — saves the item (bills already issued keep their amounts).
    static func updateItem(_ req: Request) async throws -> Response {
        let cid = try FeeAccess.wholeCommunity(req.parameters.get("cid") ?? "", .manageFees, req)
        let item = try await FeeAccess.item(req.parameters.get("itemId") ?? "", req)
        guard item.communityID == cid else { throw DomainError.notFound(Noun.feeItem) }
        do {
            let f = try req.content.decode(ItemForm.self)
            _ = try await req.store.fees.saveItem(try f.item(id: item.id, community: cid, at: item.createdAt), by: req.actor)
            Flash.set(req, S.saved)
            return req.redirect(to: Routes.feeItems(cid), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.feeItem(cid, item.id), redirectType: .normal)
        }
    }

    // MARK: Billing runs

    /// GET /c/:cid/fees/runs?period=yyyy-MM — the preview of a period and the runs so far.
    static func runs(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageFees)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let period = (try? req.query.get(String.self, at: "period")).map { String($0.prefix(7)) } ?? FeeStoreMonth.current(c, req)
        var kids: [BodyNode] = [
            H.el("form", [("method", "get"), ("action", Routes.feeRuns(c.id)), ("class", "card inline"), ("id", "preview-form")], [
                text(S.period, "run-period", "period", value: period, required: true, max: 7, lang),
                H.button(S.showPreview.text(lang), [("id", "show-preview")], primary: false),
            ]),
            H.el("p", [("class", "muted")], text: S.rounding.text(lang)),
        ]
        do {
            let p = try await req.store.fees.preview(community: c.id, period: period)
            var section: [BodyNode] = [
                H.el("h2", [], text: "\(S.preview.text(lang)) · \(p.period)"),
                H.el("dl", [("class", "facts"), ("id", "preview-facts")], [
                    (S.units, String(p.units)), (S.bills, String(p.bills)), (S.total, Money.yuan(p.totalFen)), (S.already, String(p.alreadyBilled)),
                ].map { m, v in H.el("div", [], [H.el("dt", [], text: m.text(lang)), H.el("dd", [("class", "num")], text: v)]) }),
                table("preview-lines", [S.item, S.rate, S.bills, S.amount], p.lines.map { l in
                    H.el("tr", [], [H.el("td", [], text: "\(l.item.code) · \(l.item.name)"), H.el("td", [("class", "num")], text: rateText(l.item, lang)),
                                    H.el("td", [("class", "num")], text: String(l.bills)), H.el("td", [("class", "num")], text: Money.yuan(l.fen))])
                }, lang),
            ]
            if p.bills > 0 {
                section.append(H.form(Routes.feeRuns(c.id), [("id", "run-form")], [H.hidden("period", p.period), H.button(S.run.text(lang), [("id", "run-billing")])]))
            }
            kids.append(H.el("section", [("class", "card"), ("id", "preview")], section))
        } catch let e as DomainError {
            kids.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "preview-error")], text: e.message.text(lang)))
        }
        let runs = try await req.store.fees.runs(community: c.id)
        kids.append(H.el("h2", [], text: S.history.text(lang)))
        kids.append(runs.isEmpty ? H.el("p", [("class", "muted")], text: S.noRuns.text(lang)) :
            table("billing-runs", [S.period, S.at, S.by, S.created, S.amount], runs.map { r in
                H.el("tr", [], [H.el("td", [], text: r.period), H.el("td", [], text: time.format(r.createdAt)), H.el("td", [], text: OrderViews.person(r.byName, lang)),
                                H.el("td", [("class", "num")], text: String(r.billsCreated)), H.el("td", [("class", "num")], text: Money.yuan(r.totalFen))])
            }, lang))
        return Layout.page(title: S.runs, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    struct RunForm: Content { var period: String? }

    /// POST /c/:cid/fees/runs — runs billing for the period (idempotent).
    static func run(_ req: Request) async throws -> Response {
        let cid = try FeeAccess.wholeCommunity(req.parameters.get("cid") ?? "", .manageFees, req)
        let period = String((try req.content.decode(RunForm.self).period ?? "").prefix(7))
        do {
            let r = try await req.store.fees.runBilling(community: cid, period: period, by: req.actor)
            Flash.set(req, Message(zh: "\(S.ran.zhHans):\(r.period) 新建 \(r.billsCreated) 张账单,合计 \(Money.yuan(r.totalFen))",
                                   en: "\(S.ran.en): \(r.period), \(r.billsCreated) bills created, \(Money.yuan(r.totalFen)) in all"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.feeRuns(cid, period: FeeMonth.isValid(period) ? period : nil), redirectType: .normal)
    }

    // MARK: One bill

    /// GET /bills/:id
    static func bill(_ req: Request) async throws -> Response {
        let b = try await FeeAccess.bill(req.parameters.get("id") ?? "", .readFees, req)
        let scope = try await ConsoleScope.resolve(req, .readFees, community: b.communityID)
        let lang = req.language
        let time = LocalTime(scope.community.timeZone)
        let label = try await req.store.registry.unitLabels([b.unitID])[b.unitID] ?? ""
        let notes = try await req.store.fees.creditNotes(bill: b.id)
        var kids: [BodyNode] = [
            H.el("dl", [("class", "facts"), ("id", "bill-facts")], [
                (S.unit, label), (S.item, b.itemName), (S.period, b.period), (S.origin, origin(b.origin).text(lang)),
                (S.amount, Money.yuan(b.amountFen)), (S.credited, Money.yuan(b.creditedFen)), (S.paid, Money.yuan(b.paidFen)),
                (S.outstanding, Money.yuan(b.outstandingFen)), (S.note, b.note),
            ].map { m, v in H.el("div", [], [H.el("dt", [], text: m.text(lang)), H.el("dd", [("id", "bill-\(m.en.lowercased())")], text: v)]) }),
            H.el("p", [("class", "muted")], text: S.neverEdited.text(lang)),
            H.el("h2", [], text: S.creditNotes.text(lang)),
            notes.isEmpty ? H.el("p", [("class", "muted")], text: S.noCredit.text(lang)) :
                table("credit-notes", [S.at, S.amount, S.reason, S.by], notes.map { n in
                    H.el("tr", [], [H.el("td", [], text: time.format(n.createdAt)), H.el("td", [("class", "num")], text: Money.yuan(n.amountFen)),
                                    H.el("td", [], text: n.reason), H.el("td", [], text: OrderViews.person(n.byName, lang))])
                }, lang),
        ]
        if scope.policy.has(.manageFees), b.outstandingFen > 0 {
            kids.append(H.form(Routes.billCredit(b.id), [("class", "card"), ("id", "credit-form")], [
                H.el("h2", [], text: S.credit.text(lang)),
                H.hidden("formId", UUID().uuidString),
                text(S.creditAmount, "credit-amount", "amount", required: true, max: 12, mode: "decimal", lang),
                H.field(S.reason.text(lang), "credit-reason", H.el("textarea", [("id", "credit-reason"), ("name", "reason"), ("rows", "2"), ("maxlength", "500"), ("required", "required")])),
                H.button(S.credit.text(lang), [("id", "credit-submit")]),
            ]))
        }
        return Layout.page(title: Message(zh: "\(S.bill.zhHans) · \(label) · \(b.period)", en: "\(S.bill.en) · \(label) · \(b.period)"), request: req,
                           frame: scope.frame, communities: scope.communities, kids)
    }

    struct CreditForm: Content {
        var formId: String?
        var amount: String?
        var reason: String?
    }

    /// POST /bills/:id/credit-notes
    static func creditNote(_ req: Request) async throws -> Response {
        let b = try await FeeAccess.bill(req.parameters.get("id") ?? "", .manageFees, req)
        do {
            let f = try req.content.decode(CreditForm.self)
            let formID = try (f.formId ?? "").isEmpty ? nil : Parse.uuid(f.formId ?? "", field: "formId")
            _ = try await req.store.fees.creditNote(bill: b.id, amountFen: try Money.fen(fromYuan: f.amount ?? "", field: "amount"), reason: f.reason ?? "",
                                                    formID: formID, by: req.actor)
            Flash.set(req, S.credited_)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.bill(b.id), redirectType: .normal)
    }

    // MARK: Opening balances

    /// GET /c/:cid/fees/opening
    static func opening(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageFees)
        guard scope.areas == nil else { throw DomainError.forbidden }
        return openingPage(scope, req, result: nil)
    }

    static func openingPage(_ scope: ConsoleScope, _ req: Request, result: BodyNode?) -> Response {
        let lang = req.language
        let form = H.form(Routes.feeOpening(scope.community.id), [("enctype", "multipart/form-data"), ("class", "card"), ("id", "opening-form")], [
            H.el("p", [("class", "muted")], text: S.openingHelp.text(lang)),
            H.field(S.file.text(lang), "opening-file", H.input([("type", "file"), ("id", "opening-file"), ("name", "file"), ("accept", ".csv,text/csv,.xlsx,\(ImportFile.xlsxContentType)"), ("required", "required")])),
            H.field(S.encoding.text(lang), "opening-encoding", H.select("opening-encoding", name: "encoding", [("", S.auto.text(lang)), ("utf-8", "UTF-8"), ("gbk", "GBK")], selected: "")),
            H.button(S.upload.text(lang), [("id", "opening-import")]),
        ])
        return Layout.page(title: S.opening, request: req, frame: scope.frame, communities: scope.communities, [form] + (result.map { [$0] } ?? []))
    }

    struct Upload: Content {
        var file: File?
        var encoding: String?
    }

    /// POST /c/:cid/fees/opening — all or nothing, with the per-line report on the same page.
    static func importOpening(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageFees)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let lang = req.language
        var out: [BodyNode] = []
        do {
            let f = try req.content.decode(Upload.self)
            guard let file = f.file, file.data.readableBytes > 0 else {
                throw DomainError.invalid(field: "file", Message(zh: "请选择要导入的文件", en: "Choose the file to import"))
            }
            let r = try await FeeAccess.importOpeningBalances(Array(file.data.readableBytesView), encoding: f.encoding, community: scope.community.id, req)
            out.append(H.el("p", [("class", "notice"), ("id", "opening-outcome")], text: S.imported.text(lang)))
            out.append(H.el("dl", [("class", "facts"), ("id", "opening-counts")], [
                (S.lines, String(r.lines)), (S.created, String(r.billsCreated)), (S.existing, String(r.billsExisting)), (S.total, Money.yuan(r.totalFen)),
            ].map { m, v in H.el("div", [], [H.el("dt", [], text: m.text(lang)), H.el("dd", [("class", "num")], text: v)]) }))
        } catch let e as DomainError {
            out.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "opening-outcome")], text: "\(S.failed.text(lang)):\(e.message.text(lang))"))
            if !e.details.isEmpty {
                out.append(H.el("ul", [("class", "import-errors"), ("id", "opening-errors")], e.details.prefix(200).map { d in
                    H.el("li", [], text: [d.line.map { String(format: S.line.text(lang), $0) }, d.field, d.message.text(lang)].compactMap { $0 }.joined(separator: " · "))
                }))
            }
        }
        return openingPage(scope, req, result: H.el("section", [("class", "card"), ("id", "opening-report")], out))
    }

    // MARK: The public fee schedule (FEE-5, S0 1.1)

    /// The active items as the public sees them: name, units, rate, legal basis.
    static func scheduleTable(_ id: String, _ items: [FeeItem], _ lang: Language) -> BodyNode {
        table(id, [S.name, S.unitKind, S.rate, S.legalBasis], items.map { i in
            H.el("tr", [("data-code", i.code)], [
                H.el("td", [], text: i.name),
                H.el("td", [], text: i.unitKind?.title.text(lang) ?? S.allUnits.text(lang)),
                H.el("td", [("class", "num")], text: rateText(i, lang)),
                H.el("td", [("class", "legal-basis")], text: i.legalBasis),
            ])
        }, lang)
    }

    /// GET /c/:cid/fee-schedule — no sign-in: every active item with its rate and legal basis.
    static func schedule(_ req: Request) async throws -> Response {
        let lang = req.language
        guard let id = UUID(uuidString: req.parameters.get("cid") ?? ""), let community = try await req.store.registry.community(id) else {
            throw DomainError.notFound(Noun.community)
        }
        let items = try await req.store.fees.items(community: id).filter(\.active)
        return Layout.page(title: Message(zh: "\(community.name) · \(S.schedule.zhHans)", en: "\(community.name) · \(S.schedule.en)"), request: req,
                           frame: Frame(community: req.principal == nil ? nil : community, bodyClass: "phone-first"), [
            H.el("p", [("class", "muted")], text: S.publicNote.text(lang)),
            scheduleTable("fee-schedule", items, lang),
            H.el("p", [("class", "muted")], text: S.rounding.text(lang)),
        ])
    }
}

/// The community's current month ("yyyy-MM"), for a form's default period.
enum FeeStoreMonth {
    static func current(_ c: Community, _ req: Request) -> String {
        String(WorkingDays(ServiceHours(timeZone: c.timeZone)).dayKey(req.application.propdesk.now()).prefix(7))
    }
}
