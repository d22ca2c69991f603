import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Arrears in pages (FEE-3, FEE-4, S2 4.5, S4 篇4): the area's arrears list (finance prepares the
/// month's list, the supervisor receives it and logs reminders from the phone), the long-term
/// report with the reminder shortfalls, a unit's reminder log, the printable reminder letter and
/// the collection rate per area and month. Who may do what: `ArrearsAccess`.
enum ArrearsPages {
    enum S {
        static let title = Message(zh: "欠费", en: "Arrears")
        static let lists = Message(zh: "欠费清单与长期欠费报告", en: "Arrears lists and long-term reports")
        static let longTerm = Message(zh: "长期欠费报告与催缴", en: "Long-term arrears and reminders")
        static let rate = Message(zh: "收费率", en: "Collection rate")
        static let area = Message(zh: "区域", en: "Area")
        static let allAreas = Message(zh: "全部区域", en: "All areas")
        static let month = Message(zh: "月份", en: "Month")
        static let show = Message(zh: "显示", en: "Show")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let owed = Message(zh: "欠费金额", en: "Owed")
        static let months = Message(zh: "欠费月数", en: "Months")
        static let oldest = Message(zh: "最早欠费月份", en: "Oldest month")
        static let longBadge = Message(zh: "长期欠费", en: "Long term")
        static let none = Message(zh: "没有欠费。", en: "No arrears.")
        static let total = Message(zh: "合计", en: "Total")
        static let unitsCount = Message(zh: "户", en: "units")
        static let prepare = Message(zh: "出具本月欠费清单", en: "Prepare this month's list")
        static let prepareLong = Message(zh: "形成长期欠费报告", en: "Prepare the long-term report")
        static let prepared = Message(zh: "已出具", en: "Prepared")
        static let receive = Message(zh: "签收", en: "Receive")
        static let received = Message(zh: "已签收", en: "Received")
        static let notReceived = Message(zh: "未签收", en: "Not received")
        static let notPrepared = Message(zh: "本月清单尚未出具", en: "This month's list is not prepared yet")
        static let kind = Message(zh: "类别", en: "Kind")
        static let by = Message(zh: "经办人", en: "By")
        static let when = Message(zh: "时间", en: "When")
        static let open = Message(zh: "查看", en: "Open")
        static let reminders = Message(zh: "催缴记录", en: "Reminders")
        static let letter = Message(zh: "催缴函", en: "Reminder letter")
        static let log = Message(zh: "记录催缴", en: "Log a reminder")
        static let how = Message(zh: "方式", en: "How")
        static let outcome = Message(zh: "结果", en: "Outcome")
        static let note = Message(zh: "备注", en: "Note")
        static let save = Message(zh: "保存", en: "Save")
        static let saved = Message(zh: "已记录催缴", en: "Reminder logged")
        static let listPrepared = Message(zh: "清单已出具", en: "List prepared")
        static let listReceived = Message(zh: "清单已签收", en: "List received")
        static let tenDays = Message(zh: "S2 4.5.1:区域客户主任须在每月前十天内掌握本区域的欠费清单。",
                                     en: "S2 4.5.1: the area supervisor has the area's arrears list within the first ten days of the month.")
        static let longRule = Message(zh: "S2 4.5.3/4.5.4:欠费超过半年为长期欠费;区域客户主任与财务核对后每月提交长期欠费报告(客户服务经理签收);长期欠费户每周电话催缴一次,有人居住的每月上门两次(家中无人不计)。",
                                      en: "S2 4.5.3/4.5.4: more than six months owed is long term; each month the supervisor, after checking with finance, submits the long-term report (the CS manager receives it); each long-term unit is called every week and, when someone lives there, visited twice a month (a visit finding nobody home does not count).")
        static let livedIn = Message(zh: "有人居住", en: "Lived in")
        static let weeksMissed = Message(zh: "未电话催缴的周", en: "Weeks without a call")
        static let visits = Message(zh: "有效上门", en: "Visits (someone home)")
        static let ok = Message(zh: "达标", en: "Met")
        static let short = Message(zh: "不足", en: "Short")
        static let yes = Message(zh: "是", en: "Yes")
        static let no = Message(zh: "否", en: "No")
        static let due = Message(zh: "应收", en: "Due")
        static let collected = Message(zh: "已收", en: "Collected")
        static let target = Message(zh: "目标", en: "Target")
        static let community = Message(zh: "全小区", en: "Whole community")
        static let byMonth = Message(zh: "逐月累计收费率", en: "Cumulative rate month by month")
        static let more = Message(zh: "仅显示欠费最多的前 500 户。", en: "Only the 500 units owing most are shown.")
        static let owner = Message(zh: "业主", en: "Owner")
        static let period = Message(zh: "所属月份", en: "Month")
        static let item = Message(zh: "收费项目", en: "Item")
        static let letterTitle = Message(zh: "物业服务费催缴通知书", en: "Reminder of fees owed")
        static let letterBody = Message(
            zh: "尊敬的业主:您好!经核对,贵户截至本通知发出之日尚欠下列物业服务费用。请于收到本通知之日起十五日内缴纳;如已缴纳,请忽略本通知,并请出示收据以便核对。",
            en: "Dear owner, our records show that the fees below are still owed for your unit. Please pay them within fifteen days of this notice; if you have paid already, please disregard it and show us the receipt.")
        static let howToPay = Message(
            zh: "缴费方式:请到服务中心前台缴纳(现金、刷卡、银行转账、微信或支付宝),缴费后当场开具收据。如有疑问请与服务中心联系。",
            en: "How to pay: at the service center's front desk (cash, card, bank transfer, WeChat Pay or Alipay); a receipt is issued on the spot. Please contact the service center with any question.")
        static let issued = Message(zh: "发出日期", en: "Date")
        static let nothingOwed = Message(zh: "该户目前没有欠费。", en: "This unit owes nothing now.")
    }

    static func month(_ req: Request, _ community: Community) throws -> String {
        try ReportPeriod.month(req.query[String.self, at: "month"], timeZone: community.timeZone, now: req.application.propdesk.now())
    }

    /// The areas the caller may read, and the chosen one (`?area=`) among them.
    static func areas(_ req: Request, _ scope: ConsoleScope) async throws -> (all: [Area], chosen: Area?) {
        let all = try await req.store.registry.areas(community: scope.community.id).filter { scope.areas?.contains($0.id) ?? true }
        guard let raw = req.query[String.self, at: "area"], !raw.isEmpty else { return (all, nil) }
        guard let a = all.first(where: { $0.id.uuidString == raw.uppercased() }) else { throw DomainError.notFound(Noun.area) }
        return (all, a)
    }

    static func filter(_ action: String, areas: [Area], chosen: Area?, month: String, allowAll: Bool, _ lang: Language) -> BodyNode {
        H.el("form", [("method", "get"), ("action", action), ("class", "filters")], [
            H.field(S.area.text(lang), "f-area", H.select("f-area", name: "area", (allowAll ? [("", S.allAreas.text(lang))] : []) + areas.map { ($0.id.uuidString, $0.name) },
                                                          selected: chosen?.id.uuidString ?? "")),
            H.field(S.month.text(lang), "f-month", H.input([("id", "f-month"), ("name", "month"), ("type", "month"), ("value", month)])),
            H.button(S.show.text(lang), primary: false),
        ])
    }

    /// A safe place to go back to after a form: one of our own paths.
    static func back(_ raw: String?, fallback: String) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return fallback }
        return raw
    }

    /// The quick reminder form (phone, visit or letter, outcome, note), with its form id.
    static func reminderForm(unit: UUID, back: String, _ lang: Language, compact: Bool) -> BodyNode {
        H.form(Routes.unitReminders(unit), [("class", compact ? "reminder-form inline" : "reminder-form"), ("id", "remind-\(unit.uuidString.prefix(8))")], [
            H.hidden("formId", UUID().uuidString), H.hidden("back", back),
            H.field(S.how.text(lang), "kind-\(unit.uuidString.prefix(8))", H.select("kind-\(unit.uuidString.prefix(8))", name: "kind",
                                                                                      ReminderKind.allCases.map { ($0.rawValue, $0.label.text(lang)) }, selected: "phone")),
            H.field(S.outcome.text(lang), "outcome-\(unit.uuidString.prefix(8))", H.select("outcome-\(unit.uuidString.prefix(8))", name: "outcome",
                                                                                              ReminderOutcome.allCases.map { ($0.rawValue, $0.label.text(lang)) }, selected: "promised")),
            H.field(S.note.text(lang), "note-\(unit.uuidString.prefix(8))", H.input([("id", "note-\(unit.uuidString.prefix(8))"), ("name", "note"), ("maxlength", "500")])),
            H.button(S.log.text(lang), [("class", "primary big")]),
        ])
    }

    /// A unit's pages from an arrears card: its account (where the desk takes the payment), reminders, letter.
    static func unitLinks(_ unit: UUID, _ lang: Language) -> BodyNode {
        H.el("p", [("class", "unit-links")], [
            H.link(PaymentPages.S.account.text(lang), Routes.unitAccount(unit), [("class", "account-link")]), .text(" · "),
            H.link(S.reminders.text(lang), Routes.unitReminders(unit), [("class", "reminders-link")]), .text(" · "),
            H.link(S.letter.text(lang), Routes.reminderLetter(unit), [("class", "letter-link")]),
        ])
    }

    /// The reminder form folded under its summary: a list of many units stays readable on the phone.
    static func foldedReminderForm(unit: UUID, back: String, _ lang: Language) -> BodyNode {
        H.el("details", [("class", "remind")], [H.el("summary", [], text: S.log.text(lang)), reminderForm(unit: unit, back: back, lang, compact: true)])
    }

    /// A wide table that scrolls sideways on a phone instead of widening the page.
    static func wrap(_ table: BodyNode) -> BodyNode { H.el("div", [("class", "table-wrap")], [table]) }

    // MARK: The area's arrears

    /// GET /c/:cid/arrears?area=&month= — the units owing, biggest first, with the month's list.
    static func arrears(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readFees)
        let lang = req.language
        let c = scope.community
        let month = try month(req, c)
        let (areas, chosen) = try await areas(req, scope)
        let shown = chosen.map { [$0] } ?? areas
        var rows: [UnitArrears] = []
        for a in shown { rows += try await req.store.fees.arrears(community: c.id, area: a.id) }
        rows.sort { $0.outstandingFen > $1.outstandingFen }
        let top = Array(rows.prefix(500))
        let labels = try await req.store.registry.unitLabels(Set(top.map(\.unitID)))
        let lists = try await req.store.fees.lists(community: c.id, areas: Set(shown.map(\.id)), month: month, kind: .list)
        let chase = scope.policy.has(.chaseArrears)
        let here = Routes.arrears(c.id, area: chosen?.id) + (chosen == nil ? "?" : "&") + "month=\(month)"
        var kids: [BodyNode] = [
            filter(Routes.arrears(c.id), areas: areas, chosen: chosen, month: month, allowAll: true, lang),
            H.el("p", [("class", "muted")], text: S.tenDays.text(lang)),
        ]
        // The month's list of each area shown: prepared? received? (S2 4.5.1)
        kids.append(H.el("ul", [("class", "list-status"), ("id", "list-status")], shown.map { a in
            let l = lists.first { $0.areaID == a.id }
            var line: [BodyNode] = [H.el("strong", [], text: "\(a.name) · \(month) ")]
            if let l {
                line.append(H.link("\(S.prepared.text(lang)) \(l.units) \(S.unitsCount.text(lang)) \(Money.yuan(l.totalFen))", Routes.arrearsList(l.id)))
                line.append(.text(" · " + (l.received ? "\(S.received.text(lang)) \(OrderViews.person(l.receivedByName ?? "", lang))" : S.notReceived.text(lang))))
                if ArrearsAccess.mayReceive(l, scope.policy) {
                    line.append(H.form(Routes.arrearsListReceive(l.id), [("class", "inline")], [H.hidden("back", here), H.button(S.receive.text(lang), [("id", "receive-\(a.id.uuidString.prefix(8))"), ("class", "primary big")])]))
                }
            } else {
                line.append(.text(S.notPrepared.text(lang)))
            }
            if ArrearsAccess.mayPrepare(.list, community: c.id, area: a.id, scope.policy), !(l?.received ?? false) {
                line.append(H.form(Routes.arrearsLists(c.id), [("class", "inline")], [
                    H.hidden("area", a.id.uuidString), H.hidden("month", month), H.hidden("kind", ArrearsListKind.list.rawValue), H.hidden("back", here),
                    H.button(S.prepare.text(lang), [("id", "prepare-\(a.id.uuidString.prefix(8))")], primary: false),
                ]))
            }
            return H.el("li", [], line)
        }))
        let total = rows.reduce(0) { $0 + $1.outstandingFen }
        kids.append(H.el("h2", [], text: "\(S.total.text(lang)) \(rows.count) \(S.unitsCount.text(lang)) · \(Money.yuan(total))"))
        if rows.isEmpty { kids.append(H.el("p", [("class", "muted")], text: S.none.text(lang))) }
        if rows.count > top.count { kids.append(H.el("p", [("class", "muted")], text: S.more.text(lang))) }
        // Cards rather than a wide table: the supervisor reads this on the phone.
        kids.append(H.el("ul", [("class", "arrears-list"), ("id", "arrears")], top.map { a in
            var card: [BodyNode] = [
                H.el("h3", [], text: labels[a.unitID] ?? ""),
                H.el("p", [], text: "\(S.owed.text(lang)) \(Money.yuan(a.outstandingFen)) · \(a.months) \(Message(zh: "个月", en: "months").text(lang)) · \(S.oldest.text(lang)) \(a.oldestPeriod)"),
            ]
            if a.isLongTerm { card.append(H.el("span", [("class", "badge bad")], text: S.longBadge.text(lang))) }
            card.append(unitLinks(a.unitID, lang))
            if chase { card.append(foldedReminderForm(unit: a.unitID, back: here, lang)) }
            return H.el("li", [("class", "card"), ("id", "arrears-\(a.unitID.uuidString.prefix(8))")], card)
        }))
        return Layout.page(title: Message(zh: "\(S.title.zhHans) · \(month)", en: "\(S.title.en) · \(month)"), request: req, frame: scope.frame,
                           communities: scope.communities, kids)
    }

    // MARK: Lists

    /// GET /c/:cid/arrears/lists?area=&month= — the prepared lists and reports.
    static func lists(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readFees)
        let lang = req.language
        let c = scope.community
        let (areas, chosen) = try await areas(req, scope)
        // Every month when left out; a malformed one is refused, not read as "every month".
        let month = try req.query[String.self, at: "month"].flatMap { $0.isEmpty ? nil : try ReportPeriod.month($0, timeZone: c.timeZone, now: req.application.propdesk.now()) }
        let lists = try await req.store.fees.lists(community: c.id, areas: chosen.map { [$0.id] } ?? scope.areas, month: month)
        let names = Dictionary(uniqueKeysWithValues: areas.map { ($0.id, $0.name) })
        let time = LocalTime(c.timeZone)
        return Layout.page(title: S.lists, request: req, frame: scope.frame, communities: scope.communities, [
            filter(Routes.arrearsLists(c.id), areas: areas, chosen: chosen, month: month ?? "", allowAll: true, lang),
            H.el("p", [("class", "muted")], text: S.tenDays.text(lang)),
            wrap(H.el("table", [("class", "list"), ("id", "arrears-lists")], [
                H.el("thead", [], [H.el("tr", [], [S.month, S.area, S.kind, S.unitsCount, S.owed, S.prepared, S.received, S.open].map { H.el("th", [], text: $0.text(lang)) })]),
                H.el("tbody", [], lists.map { l in
                    H.el("tr", [], [
                        H.el("td", [], text: l.month), H.el("td", [], text: names[l.areaID] ?? ""), H.el("td", [], text: l.kind.label.text(lang)),
                        H.el("td", [], text: "\(l.units)"), H.el("td", [], text: Money.yuan(l.totalFen)),
                        H.el("td", [], text: "\(time.format(l.preparedAt)) \(OrderViews.person(l.preparedByName, lang))"),
                        H.el("td", [], text: l.receivedAt.map { "\(time.format($0)) \(OrderViews.person(l.receivedByName ?? "", lang))" } ?? S.notReceived.text(lang)),
                        H.el("td", [], [H.link(S.open.text(lang), Routes.arrearsList(l.id))]),
                    ])
                }),
            ])),
        ])
    }

    struct PrepareForm: Content {
        var area: String?
        var month: String?
        var kind: String?
        var back: String?
    }

    /// POST /c/:cid/arrears/lists — prepares (or refreshes) an area's list or long-term report.
    static func prepare(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readFees)
        let f = try req.content.decode(PrepareForm.self)
        let fallback = Routes.arrearsLists(scope.community.id)
        do {
            guard let kind = ArrearsListKind(rawValue: f.kind ?? "") else {
                throw DomainError.invalid(field: "kind", Message(zh: "清单类别无效", en: "Unknown kind of list"))
            }
            let l = try await ArrearsAccess.prepare(community: scope.community.id.uuidString, area: f.area ?? "", month: f.month ?? "", kind: kind, req)
            Flash.set(req, Message(zh: "\(S.listPrepared.zhHans):\(l.units) 户,\(Money.yuan(l.totalFen))", en: "\(S.listPrepared.en): \(l.units) units, \(Money.yuan(l.totalFen))"))
        } catch let e as DomainError where e.kind == .invalidInput || e.kind == .conflict {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back(f.back, fallback: fallback), redirectType: .normal)
    }

    /// GET /arrears-lists/:id — one list with its lines.
    static func list(_ req: Request) async throws -> Response {
        let l = try await ArrearsAccess.list(req.parameters.get("id") ?? "", req)
        let scope = try await ConsoleScope.resolve(req, .readFees, community: l.communityID)
        let lang = req.language
        let labels = try await req.store.registry.unitLabels(Set(l.lines.map(\.unitID)))
        let area = try await req.store.registry.areas(community: l.communityID).first { $0.id == l.areaID }?.name ?? ""
        let time = LocalTime(scope.community.timeZone)
        var kids: [BodyNode] = [
            PrintForms.facts([(S.area, area), (S.month, l.month), (S.kind, l.kind.label.text(lang)), (S.unitsCount, "\(l.units)"), (S.owed, Money.yuan(l.totalFen)),
                              (S.prepared, "\(time.format(l.preparedAt)) \(OrderViews.person(l.preparedByName, lang))"),
                              (S.received, l.receivedAt.map { "\(time.format($0)) \(OrderViews.person(l.receivedByName ?? "", lang))" } ?? S.notReceived.text(lang))], lang),
        ]
        if ArrearsAccess.mayReceive(l, scope.policy) {
            kids.append(H.form(Routes.arrearsListReceive(l.id), [], [H.hidden("back", Routes.arrearsList(l.id)), H.button(S.receive.text(lang), [("id", "receive-list"), ("class", "primary big")])]))
        }
        kids.append(wrap(H.el("table", [("class", "list"), ("id", "list-lines")], [
            H.el("thead", [], [H.el("tr", [], [S.unit, S.owed, S.months, S.oldest, S.open].map { H.el("th", [], text: $0.text(lang)) })]),
            H.el("tbody", [], l.lines.map { a in
                H.el("tr", [("class", a.isLongTerm ? "long-term" : "")], [
                    H.el("td", [], text: labels[a.unitID] ?? ""), H.el("td", [], text: Money.yuan(a.outstandingFen)), H.el("td", [], text: "\(a.months)"),
                    H.el("td", [], text: a.oldestPeriod),
                    H.el("td", [], [unitLinks(a.unitID, lang)]),
                ])
            }),
        ])))
        return Layout.page(title: Message(zh: "\(l.kind.label.zhHans) · \(area) · \(l.month)", en: "\(l.kind.label.en) · \(area) · \(l.month)"), request: req,
                           frame: scope.frame, communities: scope.communities, kids)
    }

    struct BackForm: Content { var back: String? }

    /// POST /arrears-lists/:id/receive — the supervisor (or, for a report, the CS manager) receives it.
    static func receive(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("id") ?? ""
        let l = try await ArrearsAccess.receive(raw, req)
        Flash.set(req, S.listReceived)
        let f = try? req.content.decode(BackForm.self)
        return req.redirect(to: back(f?.back, fallback: Routes.arrearsList(l.id)), redirectType: .normal)
    }

    // MARK: The long-term report and the reminder shortfalls (S2 4.5.3, 4.5.4)

    /// GET /c/:cid/arrears/long-term?area=&month=
    static func longTerm(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readFees)
        let lang = req.language
        let c = scope.community
        let month = try month(req, c)
        let (areas, chosen) = try await areas(req, scope)
        let shown = chosen.map { [$0] } ?? areas
        let reports = try await req.store.fees.lists(community: c.id, areas: Set(shown.map(\.id)), month: month, kind: .longTerm)
        var rows: [ReminderShortfall] = []
        for a in shown { rows += try await req.store.fees.reminderShortfalls(community: c.id, area: a.id, month: month) }
        rows.sort { ($0.shortfall, $0.arrears.outstandingFen) > ($1.shortfall, $1.arrears.outstandingFen) }
        let labels = try await req.store.registry.unitLabels(Set(rows.map(\.arrears.unitID)))
        let here = Routes.arrearsLongTerm(c.id) + "?month=\(month)" + (chosen.map { "&area=\($0.id.uuidString)" } ?? "")
        let chase = scope.policy.has(.chaseArrears)
        return Layout.page(title: Message(zh: "\(S.longTerm.zhHans) · \(month)", en: "\(S.longTerm.en) · \(month)"), request: req, frame: scope.frame,
                           communities: scope.communities, [
            filter(Routes.arrearsLongTerm(c.id), areas: areas, chosen: chosen, month: month, allowAll: true, lang),
            H.el("p", [("class", "muted")], text: S.longRule.text(lang)),
            H.el("ul", [("class", "list-status"), ("id", "report-status")], shown.map { a in
                let r = reports.first { $0.areaID == a.id }
                var line: [BodyNode] = [H.el("strong", [], text: "\(a.name) · \(month) ")]
                if let r {
                    line.append(H.link("\(S.prepared.text(lang)) \(r.units) \(S.unitsCount.text(lang)) \(Money.yuan(r.totalFen))", Routes.arrearsList(r.id)))
                    line.append(.text(" · " + (r.received ? "\(S.received.text(lang)) \(OrderViews.person(r.receivedByName ?? "", lang))" : S.notReceived.text(lang))))
                    if ArrearsAccess.mayReceive(r, scope.policy) {
                        line.append(H.form(Routes.arrearsListReceive(r.id), [("class", "inline")], [H.hidden("back", here), H.button(S.receive.text(lang), [("id", "receive-report-\(a.id.uuidString.prefix(8))")])]))
                    }
                }
                if ArrearsAccess.mayPrepare(.longTerm, community: c.id, area: a.id, scope.policy), !(r?.received ?? false) {
                    line.append(H.form(Routes.arrearsLists(c.id), [("class", "inline")], [
                        H.hidden("area", a.id.uuidString), H.hidden("month", month), H.hidden("kind", ArrearsListKind.longTerm.rawValue), H.hidden("back", here),
                        H.button(S.prepareLong.text(lang), [("id", "prepare-long-\(a.id.uuidString.prefix(8))")], primary: false),
                    ]))
                }
                return H.el("li", [], line)
            }),
            H.el("ul", [("class", "arrears-list"), ("id", "shortfalls")], rows.map { s in
                var card: [BodyNode] = [
                    H.el("h3", [], text: labels[s.arrears.unitID] ?? ""),
                    H.el("p", [], text: "\(S.owed.text(lang)) \(Money.yuan(s.arrears.outstandingFen)) · \(s.arrears.months) \(Message(zh: "个月", en: "months").text(lang)) · \(S.livedIn.text(lang)):\((s.livedIn ? S.yes : S.no).text(lang))"),
                    H.el("p", [], text: "\(S.weeksMissed.text(lang)):\(s.weeksWithoutCall.isEmpty ? "—" : s.weeksWithoutCall.map(String.init).joined(separator: ", ")) · \(S.visits.text(lang)) \(s.visits)/\(s.livedIn ? ReminderRules.visitsPerMonth : 0)"),
                    H.el("span", [("class", s.met ? "badge" : "badge bad")], text: (s.met ? S.ok : S.short).text(lang)),
                    unitLinks(s.arrears.unitID, lang),
                ]
                if chase { card.append(foldedReminderForm(unit: s.arrears.unitID, back: here, lang)) }
                return H.el("li", [("class", s.met ? "card" : "card short"), ("id", "shortfall-\(s.arrears.unitID.uuidString.prefix(8))")], card)
            }),
        ])
    }

    // MARK: A unit's reminders and letter

    /// GET /units/:unitId/reminders — what the unit owes and every reminder, with the form.
    static func reminders(_ req: Request) async throws -> Response {
        let detail = try await ArrearsAccess.unit(req.parameters.get("unitId") ?? "", req)
        let scope = try await ConsoleScope.resolve(req, .readFees, community: detail.unit.communityID)
        let lang = req.language
        let owed = try await req.store.fees.unitArrears(detail.unit.id, community: detail.unit.communityID)
        let list = try await req.store.fees.reminders(unit: detail.unit.id, community: detail.unit.communityID)
        let time = LocalTime(scope.community.timeZone)
        var kids: [BodyNode] = [
            H.el("p", [("id", "unit-owed")], text: owed.map { "\(S.owed.text(lang)) \(Money.yuan($0.outstandingFen)) · \($0.months) \(Message(zh: "个月", en: "months").text(lang)) · \(S.oldest.text(lang)) \($0.oldestPeriod)" + ($0.isLongTerm ? " · \(S.longBadge.text(lang))" : "") } ?? S.nothingOwed.text(lang)),
            H.el("p", [], [H.link(PaymentPages.S.account.text(lang), Routes.unitAccount(detail.unit.id), [("id", "account-link")]), .text(" · "),
                           H.link(S.letter.text(lang), Routes.reminderLetter(detail.unit.id), [("id", "letter-link")])]),
        ]
        if scope.policy.has(.chaseArrears) {
            kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.log.text(lang)),
                                                              reminderForm(unit: detail.unit.id, back: Routes.unitReminders(detail.unit.id), lang, compact: false)]))
        }
        kids.append(wrap(H.el("table", [("class", "list"), ("id", "reminders")], [
            H.el("thead", [], [H.el("tr", [], [S.when, S.how, S.outcome, S.by, S.note].map { H.el("th", [], text: $0.text(lang)) })]),
            H.el("tbody", [], list.map { r in
                H.el("tr", [], [H.el("td", [], text: time.format(r.at)), H.el("td", [], text: r.kind.label.text(lang)), H.el("td", [], text: r.outcome.label.text(lang)),
                                H.el("td", [], text: OrderViews.person(r.byName, lang)), H.el("td", [], text: r.note)])
            }),
        ])))
        return Layout.page(title: Message(zh: "\(S.reminders.zhHans) · \(detail.label)", en: "\(S.reminders.en) · \(detail.label)"), request: req,
                           frame: scope.frame, communities: scope.communities, kids)
    }

    struct ReminderForm: Content {
        var formId: String?
        var kind: String?
        var outcome: String?
        var note: String?
        var back: String?
    }

    /// POST /units/:unitId/reminders — logs a reminder; a resent form saves it once.
    static func remind(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("unitId") ?? ""
        let f = try req.content.decode(ReminderForm.self)
        let fallback = "/units/\(raw)/reminders"
        do {
            guard let kind = ReminderKind(rawValue: f.kind ?? ""), let outcome = ReminderOutcome(rawValue: f.outcome ?? "") else {
                throw DomainError.invalid(field: "kind", Message(zh: "请选择催缴方式和结果", en: "Choose how and with what outcome"))
            }
            _ = try await ArrearsAccess.remind(unit: raw, kind: kind, outcome: outcome, note: f.note ?? "",
                                               formID: try Parse.uuid(f.formId ?? "", field: "formId"), req)
            Flash.set(req, S.saved)
        } catch let e as DomainError where e.kind == .invalidInput || e.kind == .conflict {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back(f.back, fallback: fallback), redirectType: .normal)
    }

    /// GET /units/:unitId/reminder-letter — 催缴函: the unit, its owner, what is owed by month, the total and how to pay.
    static func letter(_ req: Request) async throws -> Response {
        let detail = try await ArrearsAccess.unit(req.parameters.get("unitId") ?? "", req)
        let lang = req.language
        let community = try await req.store.registry.community(detail.unit.communityID)
        let open = try await req.store.fees.bills(unit: detail.unit.id, community: detail.unit.communityID).filter { $0.outstandingFen > 0 }.sorted { ($0.period, $0.itemName) < ($1.period, $1.itemName) }
        let owners = detail.occupants.filter { $0.relation == .owner }.map(\.person.name)
        let total = open.reduce(0) { $0 + $1.outstandingFen }
        let today = FeeStoreDay.day(req.application.propdesk.now(), timeZone: community?.timeZone ?? "Asia/Shanghai")
        return PrintForms.sheet(req, title: S.letterTitle, community: community, [
            H.el("h2", [], text: S.letterTitle.text(lang)),
            PrintForms.facts([(S.unit, detail.label), (S.owner, owners.joined(separator: "、")), (S.issued, today)], lang),
            H.el("p", [], text: S.letterBody.text(lang)),
            open.isEmpty ? H.el("p", [], text: S.nothingOwed.text(lang)) : H.el("table", [("class", "form-table"), ("id", "letter-bills")], [
                H.el("tr", [], [S.period, S.item, S.owed].map { H.el("th", [], text: $0.text(lang)) }),
            ] + open.map { b in
                H.el("tr", [], [H.el("td", [], text: b.period), H.el("td", [], text: b.itemName), H.el("td", [], text: Money.yuan(b.outstandingFen))])
            } + [H.el("tr", [], [H.el("th", [], text: S.total.text(lang)), H.el("td", [], text: ""), H.el("td", [("id", "letter-total")], text: Money.yuan(total))])]),
            H.el("p", [], text: S.howToPay.text(lang)),
            H.el("p", [("class", "sheet-sign")], text: "\(community?.name ?? "") \(Message(zh: "物业服务中心", en: "property service center").text(lang)) · \(today)"),
        ])
    }

    // MARK: The collection rate (FEE-4, S4 篇4)

    /// GET /c/:cid/collection-rate?month= — per area and for the community, year to date, with the definition.
    static func rate(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readFees)
        let lang = req.language
        let c = scope.community
        let month = try month(req, c)
        let (areas, _) = try await areas(req, scope)
        var rows: [(String, CollectionRate)] = []
        for a in areas { rows.append((a.name, try await req.store.fees.collectionRate(community: c.id, area: a.id, month: month))) }
        if scope.areas == nil { rows.append((S.community.text(lang), try await req.store.fees.collectionRate(community: c.id, area: nil, month: month))) }
        let months = FeeMonth.yearToDate(month)
        var grid: [[String]] = []
        for a in areas {
            var line = [a.name]
            for m in months { line.append(try await req.store.fees.collectionRate(community: c.id, area: a.id, month: m).perMille.map(DutyTarget.percent) ?? "—") }
            grid.append(line)
        }
        func status(_ r: CollectionRate) -> BodyNode {
            guard let pm = r.perMille else { return H.el("span", [("class", "muted")], text: "—") }
            let ok = pm >= CollectionRate.targetPerMille
            return H.el("span", [("class", ok ? "badge" : "badge bad")], text: (ok ? S.ok : S.short).text(lang))
        }
        return Layout.page(title: Message(zh: "\(S.rate.zhHans) · \(month)", en: "\(S.rate.en) · \(month)"), request: req, frame: scope.frame,
                           communities: scope.communities, [
            H.el("form", [("method", "get"), ("action", Routes.collectionRate(c.id)), ("class", "filters")], [
                H.field(S.month.text(lang), "f-month", H.input([("id", "f-month"), ("name", "month"), ("type", "month"), ("value", month)])),
                H.button(S.show.text(lang), primary: false),
            ]),
            H.el("p", [("id", "rate-definition"), ("class", "definition")], text: CollectionRate.definition.text(lang)),
            wrap(H.el("table", [("class", "list"), ("id", "collection-rate")], [
                H.el("thead", [], [H.el("tr", [], [S.area, S.due, S.collected, S.rate, S.target, S.ok].map { H.el("th", [], text: $0.text(lang)) })]),
                H.el("tbody", [], rows.map { name, r in
                    H.el("tr", [], [H.el("td", [], text: name), H.el("td", [], text: Money.yuan(r.dueFen)), H.el("td", [], text: Money.yuan(r.collectedFen)),
                                    H.el("td", [("class", "rate")], text: r.perMille.map(DutyTarget.percent) ?? "—"),
                                    H.el("td", [], text: "≥ \(DutyTarget.percent(CollectionRate.targetPerMille))"), H.el("td", [], [status(r)])])
                }),
            ])),
            H.el("h2", [], text: S.byMonth.text(lang)),
            wrap(H.el("table", [("class", "list"), ("id", "rate-by-month")], [
                H.el("thead", [], [H.el("tr", [], [H.el("th", [], text: S.area.text(lang))] + months.map { H.el("th", [], text: $0) })]),
                H.el("tbody", [], grid.map { line in H.el("tr", [], line.map { H.el("td", [], text: $0) }) }),
            ])),
        ])
    }
}

/// The community's local day of an instant, for dates printed on letters.
enum FeeStoreDay {
    static func day(_ at: Date, timeZone: String) -> String {
        LocalTime(timeZone).format(at, "yyyy-MM-dd")
    }
}
