import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Printable forms (INT-13): 需求登记表, 派工单, 反馈单. Each fits one A4 page (print CSS), filled
/// from the record, with blank lines where a pen is expected.
enum PrintForms {
    enum S {
        static let dispatchSheet = Message(zh: "派工单", en: "Dispatch sheet")
        static let feedbackForm = Message(zh: "反馈单", en: "Feedback form")
        static let registerTitle = Message(zh: "需求登记表", en: "Request register")
        static let date = Message(zh: "日期", en: "Date")
        static let workDone = Message(zh: "处理情况", en: "Work done")
        static let materials = Message(zh: "用料及费用", en: "Materials and cost")
        static let arrived = Message(zh: "到场时间", en: "Arrived at")
        static let finished = Message(zh: "完工时间", en: "Finished at")
        static let engineerSign = Message(zh: "维修人员签字", en: "Engineer's signature")
        static let residentSign = Message(zh: "业户签字", en: "Resident's signature")
        static let satisfaction = Message(zh: "满意度", en: "Satisfaction")
        static let levels = Message(zh: "□ 非常满意  □ 满意  □ 一般  □ 不满意", en: "□ Very satisfied  □ Satisfied  □ Fair  □ Dissatisfied")
        static let opinion = Message(zh: "意见或建议", en: "Comments")
        static let visit = Message(zh: "回访记录", en: "Return visit")
        static let visitor = Message(zh: "回访人", en: "Visited by")
        static let printIt = Message(zh: "打印本页", en: "Print this page")
        static let count = Message(zh: "共", en: "Total")
        static let day = Message(zh: "选择日期", en: "Day")
        static let show = Message(zh: "显示", en: "Show")
    }

    static func sheet(_ req: Request, title: Message, community: Community?, _ kids: [BodyNode]) -> Response {
        let lang = req.language
        return Layout.page(title: title, request: req, frame: Frame(community: community, print: true), [
            H.el("p", [("class", "no-print")], [H.el("button", [("type", "button"), ("class", "secondary"), ("data-print", "1"), ("id", "print-button")], text: S.printIt.text(lang)),
                                                 .text(" "), H.link(Strings.back.text(lang), Routes.home)]),
            H.el("div", [("class", "sheet")], [H.el("p", [("class", "sheet-org")], text: community?.name ?? "")] + kids),
        ])
    }

    static func facts(_ rows: [(Message, String)], _ lang: Language) -> BodyNode {
        H.el("table", [("class", "form-table")], rows.map { H.el("tr", [], [H.el("th", [], text: $0.0.text(lang)), H.el("td", [], text: $0.1)]) })
    }

    static func blanks(_ rows: [Message], _ lang: Language, tall: Bool = false) -> BodyNode {
        H.el("table", [("class", "form-table")], rows.map { H.el("tr", [("class", tall ? "tall" : "")], [H.el("th", [], text: $0.text(lang)), H.el("td", [], text: "")]) })
    }

    /// GET /orders/:oid/print/dispatch — 派工单: what, where, who, by when; blanks for the work.
    static func dispatch(_ req: Request) async throws -> Response {
        let (o, p) = try await OrderAccess.load(req.parameters.get("oid") ?? "", req)
        guard p.role.isStaff else { throw DomainError.forbidden }
        let lang = req.language
        let community = try await req.store.registry.community(o.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let units = try await OrderViews.unitLabels([o], req)
        guard let detail = try await req.store.orders.detail(o.id) else { throw DomainError.notFound(Noun.order) }
        let clocks = detail.clocks.currentRound
        // The engineer's copy needs the number to ring: printed in full for whoever may reveal it,
        // and the print is in the audit trail like any reveal (SEC-3).
        var phone = Mask.phone(o.contactPhone)
        if !o.contactPhone.isEmpty, o.assigneeID == p.userID || AccessPolicy(p).has(.revealPhone) {
            phone = try await req.store.orders.revealPhone(of: o.id, purpose: "打印派工单 / Dispatch sheet printed", by: req.actor)
        }
        var rows: [(Message, String)] = [
            (Strings.order, o.number), (Strings.kind, "\(o.kind.title.text(lang)) · \(o.category.title.text(lang)) · \(o.priority.title.text(lang))"),
            (Strings.unit, OrderViews.place(o, units: units)), (Strings.contact, [o.contactName, phone].joined(separator: " ")),
            (Strings.description, o.description), (Strings.received, time.format(o.createdAt)), (Strings.takenBy, OrderViews.person(o.createdByName, lang)),
            (Strings.assignee, o.assigneeName ?? Strings.nobody.text(lang)),
        ]
        for c in clocks where [.arrival, .completion].contains(c.kind) { rows.append((c.kind.title, time.format(c.dueAt))) }
        if let e = o.expectedAt { rows.append((Strings.expectedAt, time.format(e))) }
        let arrived = detail.events.last { $0.kind == .checkedIn }?.at
        let workDone = o.completedAt == nil ? nil : detail.events.last { $0.kind == .completed }?.note
        return sheet(req, title: S.dispatchSheet, community: community, [
            H.el("h2", [], text: "\(S.dispatchSheet.text(lang)) \(o.number)"),
            facts(rows, lang), recorded([(S.arrived, arrived.map { time.format($0) }), (S.finished, o.completedAt.map { time.format($0) })], lang),
            recorded([(S.workDone, workDone), (S.materials, nil)], lang, tall: true),
            blanks([S.engineerSign, S.residentSign], lang),
        ])
    }

    /// Rows filled from the record where it has them, blank for the pen where it has not.
    static func recorded(_ rows: [(Message, String?)], _ lang: Language, tall: Bool = false) -> BodyNode {
        H.el("table", [("class", "form-table")], rows.map { H.el("tr", [("class", tall ? "tall" : "")], [H.el("th", [], text: $0.0.text(lang)), H.el("td", [], text: $0.1 ?? "")]) })
    }

    /// GET /orders/:oid/print/feedback — 反馈单: the work as recorded, then the resident's verdict.
    static func feedback(_ req: Request) async throws -> Response {
        let (o, p) = try await OrderAccess.load(req.parameters.get("oid") ?? "", req)
        guard p.role.isStaff else { throw DomainError.forbidden }
        let lang = req.language
        let community = try await req.store.registry.community(o.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let units = try await OrderViews.unitLabels([o], req)
        var rows: [(Message, String)] = [
            (Strings.order, o.number), (Strings.unit, OrderViews.place(o, units: units)), (Strings.description, o.description),
            (Strings.assignee, o.assigneeName ?? ""), (S.finished, o.completedAt.map { time.format($0) } ?? ""),
        ]
        if let t = o.total { rows.append((OrderPage.S.total, Money.yuan(t))) }
        if let r = o.rating { rows.append((Strings.rating, String(repeating: "★", count: r) + " " + (o.ratingComment ?? ""))) }
        return sheet(req, title: S.feedbackForm, community: community, [
            H.el("h2", [], text: "\(S.feedbackForm.text(lang)) \(o.number)"),
            facts(rows, lang), facts([(S.satisfaction, S.levels.text(lang))], lang), blanks([S.opinion, S.visit], lang, tall: true),
            blanks([S.residentSign, S.visitor, S.date], lang),
        ])
    }

    /// GET /c/:cid/print/register?day=2026-11-23 — 需求登记表: every request received that day.
    static func register(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readOrders)
        let lang = req.language
        let time = LocalTime(scope.community.timeZone)
        let dayText = req.query[String.self, at: "day"] ?? time.format(req.application.propdesk.now(), "yyyy-MM-dd")
        guard let day = try time.parse(dayText + "T00:00", field: "day") else { throw DomainError.invalid(field: "day", Message(zh: "请选择日期", en: "Choose a day")) }
        let (from, to) = time.day(day)
        var filter = WorkOrderStore.OrderFilter(visibleAreas: scope.areas)
        filter.createdFrom = from
        filter.createdBefore = to
        let page = try await req.store.orders.list(community: scope.community.id, filter: filter, page: try PageQuery(page: 1, per: PageQuery.maxPer))
        let orders = page.items.map(\.order).sorted { $0.createdAt < $1.createdAt }
        let units = try await OrderViews.unitLabels(orders, req)
        let head: [Message] = [Strings.order, Strings.received, Strings.channel, Strings.kind, Strings.unit, Strings.contact, Strings.description, Strings.assignee, Strings.status]
        return sheet(req, title: S.registerTitle, community: scope.community, [
            H.el("form", [("method", "get"), ("class", "no-print inline-form")], [
                H.field(S.day.text(lang), "register-day", H.input([("type", "date"), ("id", "register-day"), ("name", "day"), ("value", dayText)])),
                H.button(S.show.text(lang), primary: false),
            ]),
            H.el("h2", [], text: "\(S.registerTitle.text(lang)) · \(dayText) · \(S.count.text(lang)) \(page.total)"),
            H.el("table", [("class", "register"), ("id", "register")], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + orders.map { o in
                H.el("tr", [], [o.number, time.format(o.createdAt, "HH:mm"), o.channel.title.text(lang), o.kind.title.text(lang), OrderViews.place(o, units: units),
                                o.contactName, String(o.description.prefix(40)), o.assigneeName ?? "", o.status.title.text(lang)].map { H.el("td", [], text: $0) })
            }),
        ])
    }
}
