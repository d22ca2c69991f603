import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 工单查询 (INT-3, INT-17): find an order by its number, digits of the caller's phone, a room,
/// a name or words, within dates, kind and status; and a unit's whole history — every order,
/// closed ones too, with how each ended.
enum OrderSearchPage {
    enum S {
        static let title = Message(zh: "工单查询", en: "Find orders")
        static let query = Message(zh: "工单号、电话后几位、房号、姓名或关键词", en: "Order number, phone digits, room, name or words")
        static let from = Message(zh: "受理日期从", en: "Received from")
        static let to = Message(zh: "到", en: "to")
        static let find = Message(zh: "查询", en: "Find")
        static let outcome = Message(zh: "结果", en: "Outcome")
        static let found = Message(zh: "找到", en: "Found")
        static let history = Message(zh: "房屋报事历史", en: "Unit history")
        static let noneFound = Message(zh: "没有符合条件的工单", en: "No order matches")
        static let prev = Message(zh: "上一页", en: "Previous")
        static let next = Message(zh: "下一页", en: "Next")
        static let openOnly = Message(zh: "未完成", en: "Open")
    }

    struct Query: Content {
        var q: String?
        var from: String?
        var to: String?
        var kind: String?
        var status: String?
        var page: Int?
    }

    /// GET /c/:cid/orders
    static func render(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readOrders)
        let lang = req.language
        let q = try req.query.decode(Query.self)
        let cid = scope.community.id
        let time = LocalTime(scope.community.timeZone)
        var filter = WorkOrderStore.OrderFilter(visibleAreas: scope.areas)
        filter.kind = q.kind.flatMap(RequestKind.init(rawValue:))
        if let s = q.status, !s.isEmpty { filter.statuses = s == "open" ? OrderStatus.open : OrderStatus(rawValue: s).map { [$0] } }
        var error: DomainError?
        var page: Paged<WorkOrderStore.OrderView>?
        do {
            try FindOrders.days(from: q.from, to: q.to, time: time, into: &filter)
            try await FindOrders.text(q.q, into: &filter, community: cid, areas: scope.areas, req)
            page = try await req.store.orders.list(community: cid, filter: filter, page: try PageQuery(page: q.page ?? 1, per: 50))
        } catch let e as DomainError { error = e }

        let form = H.el("form", [("method", "get"), ("class", "filters"), ("id", "order-search")], [
            H.field(S.query.text(lang), "s-q", H.input([("type", "search"), ("id", "s-q"), ("name", "q"), ("value", q.q ?? ""), ("maxlength", "60"), ("autofocus", "autofocus")])),
            H.field(S.from.text(lang), "s-from", H.input([("type", "date"), ("id", "s-from"), ("name", "from"), ("value", q.from ?? "")])),
            H.field(S.to.text(lang), "s-to", H.input([("type", "date"), ("id", "s-to"), ("name", "to"), ("value", q.to ?? "")])),
            H.field(Strings.kind.text(lang), "s-kind", H.select("s-kind", name: "kind", [("", Strings.all.text(lang))] + RequestKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: q.kind)),
            H.field(Strings.status.text(lang), "s-status", H.select("s-status", name: "status", [("", Strings.all.text(lang)), ("open", S.openOnly.text(lang))] + OrderStatus.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: q.status)),
            H.el("div", [("class", "filter-buttons")], [H.button(S.find.text(lang), [("id", "do-search")])]),
        ])
        var kids: [BodyNode] = [form]
        if let error { kids.append(H.el("p", [("class", "error"), ("role", "alert")], text: error.message.text(lang))) }
        if let page {
            let units = try await OrderViews.unitLabels(page.items.map(\.order), req)
            kids.append(H.el("p", [("class", "muted"), ("id", "found")], text: "\(S.found.text(lang)) \(page.total)"))
            kids.append(table(page.items.map(\.order), units: units, time: time, lang))
            var pager: [BodyNode] = []
            func link(_ n: Int, _ title: Message) -> BodyNode {
                var c = URLComponents()
                c.queryItems = [("q", q.q), ("from", q.from), ("to", q.to), ("kind", q.kind), ("status", q.status)].compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
                    + [URLQueryItem(name: "page", value: String(n))]
                return H.link(title.text(lang), Routes.orderSearch(cid) + "?" + (c.percentEncodedQuery ?? ""), [("class", "button small secondary")])
            }
            if page.page > 1 { pager.append(link(page.page - 1, S.prev)) }
            if page.page * page.per < page.total { pager.append(link(page.page + 1, S.next)) }
            if !pager.isEmpty { kids.append(H.el("p", [("class", "pager")], pager)) }
        }
        var frame = scope.frame
        frame.bodyClass = "wide"
        return Layout.page(title: S.title, request: req, frame: frame, communities: scope.communities, kids)
    }

    /// GET /units/:unitId/history — every order of one unit, newest first, with how it ended.
    static func history(_ req: Request) async throws -> Response {
        let detail = try await Scoped.unit(req.parameters.get("unitId") ?? "", .readOrders, req)
        let lang = req.language
        let community = try await req.store.registry.community(detail.unit.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let (_, policy) = try req.requireStaff()
        var filter = WorkOrderStore.OrderFilter(unitID: detail.unit.id)
        if case .areas(let a) = policy.reach(detail.unit.communityID) { filter.visibleAreas = a }
        let page = try await req.store.orders.list(community: detail.unit.communityID, filter: filter, page: try PageQuery(page: 1, per: PageQuery.maxPer))
        let kids: [BodyNode] = [
            H.el("p", [("class", "muted")], text: "\(detail.unit.kind.title.text(lang)) · \(detail.unit.floorArea) m² · "
                 + detail.occupants.map { "\($0.person.name)(\($0.relation.title.text(lang)))" }.joined(separator: "、")),
            H.el("p", [("class", "muted"), ("id", "found")], text: "\(S.found.text(lang)) \(page.total)"),
            table(page.items.map(\.order), units: [detail.unit.id: detail.label], time: time, lang),
        ] + ResidentFilePages.link(detail.unit.id, req) + (policy.has(.editPeople) ? [H.el("section", [("class", "card"), ("id", "occupants")], [H.el("h2", [], text: Strings.people.text(lang))] + detail.occupants.map { o in
            // A resident who forgot the portal password gets a one-time code from the desk (INT-14).
            H.form(Routes.oneTimeCode(o.person.id), [("class", "inline one-time-code-form")], [
                H.el("span", [], text: "\(o.person.name)(\(o.relation.title.text(lang))) "),
                H.button(PasswordPage.S.issue.text(lang), [("id", "issue-code-\(o.person.id.uuidString)")], primary: false),
            ])
        })] : [])
        return Layout.page(title: Message(zh: "\(S.history.zhHans) · \(detail.label)", en: "\(S.history.en) · \(detail.label)"), request: req,
                           frame: Frame(community: community), kids)
    }

    static func table(_ orders: [WorkOrder], units: [UUID: String], time: LocalTime, _ lang: Language) -> BodyNode {
        guard !orders.isEmpty else { return H.el("p", [("class", "muted"), ("id", "no-orders")], text: S.noneFound.text(lang)) }
        return H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "orders")], [
            H.el("tr", [], [Strings.order, Strings.received, Strings.kind, Strings.status, Strings.unit, Strings.description, Strings.assignee, S.outcome].map {
                H.el("th", [("scope", "col")], text: $0.text(lang))
            }),
        ] + orders.map { o in
            H.el("tr", [("data-order-number", o.number)], [
                H.el("td", [], [H.link(o.number, Routes.order(o.id))]),
                H.el("td", [], text: time.format(o.createdAt)),
                H.el("td", [], text: o.kind.title.text(lang)),
                H.el("td", [], [OrderViews.statusBadge(o.status, lang)]),
                H.el("td", [], text: OrderViews.place(o, units: units)),
                H.el("td", [], text: String(o.description.prefix(60))),
                H.el("td", [], text: o.assigneeName ?? ""),
                H.el("td", [], text: [o.rating.map { String(repeating: "★", count: $0) }, o.outcome.map { String($0.prefix(60)) }].compactMap { $0 }.joined(separator: " ")),
            ])
        })])
    }
}
