import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 我的工单: the engineer's phone view. What I hold, most urgent first, with its clock and the
/// next step as one big button; below, what is open in the pool for me to take (INT-15).
enum MyOrdersPage {
    enum S {
        static let mine = Message(zh: "我手上的工单", en: "Orders I hold")
        static let poolTitle = Message(zh: "抢单池", en: "Open to take")
        static let empty = Message(zh: "目前没有工单。", en: "No orders right now.")
    }

    static func render(_ req: Request) async throws -> Response {
        let (p, policy) = try req.requireStaff()
        try policy.requireRole(.doWork)
        let lang = req.language
        let (current, communities) = try await ConsoleScope.current(req)
        var kids: [BodyNode] = []
        var mine: [(WorkOrderStore.OrderView, ServiceContract, LocalTime)] = []
        var pool: [(WorkOrderStore.OrderView, ServiceContract, LocalTime)] = []
        for c in communities where policy.reach(c.id) != .none {
            let areas: Set<UUID>? = { if case .areas(let a) = policy.reach(c.id) { return a }; return nil }()
            let contract = try await req.store.orders.contract(community: c.id)
            let time = LocalTime(c.timeZone)
            let statuses: [OrderStatus] = [.dispatched, .accepted, .contacted, .onSite, .completed, .onHold]
            let held = try await req.store.orders.list(community: c.id, filter: .init(statuses: statuses, visibleAreas: areas, assigneeID: p.userID),
                                                       page: try PageQuery(page: 1, per: PageQuery.maxPer))
            mine += held.items.map { ($0, contract, time) }
            var poolFilter = WorkOrderStore.OrderFilter(statuses: [.received], visibleAreas: areas)
            poolFilter.inPool = true
            let open = try await req.store.orders.list(community: c.id, filter: poolFilter, page: try PageQuery(page: 1, per: 30))
            pool += open.items.map { ($0, contract, time) }
        }
        let now = req.application.propdesk.now()
        let units = try await OrderViews.unitLabels((mine + pool).map(\.0.order), req)
        func item(_ v: WorkOrderStore.OrderView, _ contract: ServiceContract, _ time: LocalTime) -> BodyNode {
            let o = v.order
            let next = OrderAccess.allowed(o, clocks: v.clocks, contract: contract, principal: p)
                .first { ["take", "accept", "check-in", "complete", "sign-off", "resume"].contains($0) }
            var kids: [BodyNode] = [
                H.el("div", [("class", "card-top")], [H.link(o.number, Routes.order(o.id), [("class", "number")]),
                                                      OrderViews.statusBadge(o.status, lang), OrderViews.priorityBadge(o.priority, lang)]),
                H.el("div", [("class", "what")], text: "\(OrderViews.place(o, units: units)) · \(o.description.prefix(80))"),
            ]
            if let c = OrderViews.headline(v.clocks) { kids.append(OrderViews.clock(c, now: now, hours: contract.hours, lang)) }
            if let next, ["take", "accept", "check-in", "resume"].contains(next) {
                let title: OrderAction = next == "take" ? .take(Assignee(id: p.userID, name: "")) : next == "accept" ? .accept : next == "check-in" ? .checkIn : .resume
                kids.append(H.form(Routes.orderStep(o.id, next), [("class", "big-step")], [
                    H.hidden("back", Routes.my), H.el("button", [("type", "submit"), ("class", "primary big"), ("id", "\(next)-\(o.number)")], text: OrderPage.sentence(title.title.text(lang))),
                ]))
            } else if next != nil {
                kids.append(H.link(Strings.open.text(lang), Routes.order(o.id), [("class", "button big")]))
            }
            return H.el("article", [("class", "order-card prio-\(o.priority.rawValue)"), ("data-order-number", o.number)], kids)
        }
        let urgent = { (a: (WorkOrderStore.OrderView, ServiceContract, LocalTime), b: (WorkOrderStore.OrderView, ServiceContract, LocalTime)) -> Bool in
            (OrderViews.headline(a.0.clocks)?.dueAt ?? .distantFuture) < (OrderViews.headline(b.0.clocks)?.dueAt ?? .distantFuture)
        }
        kids.append(H.el("section", [("id", "my-orders"), ("class", "stack")], [H.el("h2", [], text: "\(S.mine.text(lang)) (\(mine.count))")]
            + (mine.isEmpty ? [H.el("p", [("class", "muted")], text: S.empty.text(lang))] : mine.sorted(by: urgent).map { item($0.0, $0.1, $0.2) })))
        kids.append(H.el("section", [("id", "pool"), ("class", "stack")], [H.el("h2", [], text: "\(S.poolTitle.text(lang)) (\(pool.count))")]
            + (pool.isEmpty ? [H.el("p", [("class", "muted")], text: S.empty.text(lang))] : pool.sorted(by: urgent).map { item($0.0, $0.1, $0.2) })))
        return Layout.page(title: Strings.myOrders, request: req, frame: Frame(community: current, live: true, bodyClass: "phone-first"),
                           [H.el("div", [("id", "live-region"), ("data-refresh", Routes.my)], kids)])
    }
}
