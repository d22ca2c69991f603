import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 调度看板 (INT-6, INT-7, INT-15, INT-16): the community's live orders by state with their
/// running clocks, filters, dispatch from the card, who is free, the front desk's callback
/// tasks, alerts to acknowledge and open incidents with their caller script. New orders, steps
/// and alerts arrive without reloading: the script re-reads `#board-live` on each live event.
enum BoardPage {
    enum S {
        static let columns: [(Message, [OrderStatus])] = [
            (Message(zh: "待派工", en: "To dispatch"), [.received]),
            (Message(zh: "已派工", en: "Dispatched"), [.dispatched]),
            (Message(zh: "处理中", en: "In progress"), [.accepted, .contacted, .onSite]),
            (Message(zh: "待验收/回访", en: "Sign-off & visit"), [.completed, .visitPending]),
            (Message(zh: "挂起", en: "On hold"), [.onHold]),
        ]
        static let workload = Message(zh: "维修人员手上工单", en: "Who is free")
        static let more = Message(zh: "还有更多,请用筛选缩小范围", en: "More orders: narrow the filters")
        static let emergencyOnly = Message(zh: "仅紧急", en: "Emergencies")
        static let dispatchShort = Message(zh: "派工", en: "Dispatch")
        static let script = Message(zh: "来电话术", en: "Script for callers")
        static let buildingsAffected = Message(zh: "影响楼栋数", en: "Buildings")
        static let linked = Message(zh: "已关联来电", en: "Linked calls")
        static let clear = Message(zh: "清除筛选", en: "Clear")
        static let alertsShown = 8
        static let moreAlerts = Message(zh: "更早的提醒见各工单详情", en: "Older alerts are on each order's page")
        static let emergencies = Message(zh: "紧急工单", en: "Emergencies")
        static let whoIsFree = Message(zh: "谁有空", en: "Who is free")
        static let idle = Message(zh: "空闲", en: "free")
        static func holding(_ n: Int) -> Message { Message(zh: "手上 \(n) 单", en: "\(n) open") }
        static let soundOn = Message(zh: "新紧急单响铃:开", en: "Sound for new emergencies: on")
        static let soundOff = Message(zh: "新紧急单响铃:关", en: "Sound for new emergencies: off")
        static let onEmergency = Message(zh: "处理紧急中", en: "on an emergency")
        static let backlog = Message(zh: "超时超过 1 天的积压工单", en: "Backlog: late by more than a day")
    }

    struct Query: Content {
        var area: String?
        var kind: String?
        var priority: String?
        var assignee: String?
    }

    static func render(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readOrders)
        let lang = req.language
        let q = try req.query.decode(Query.self)
        let cid = scope.community.id
        var filter = WorkOrderStore.OrderFilter(statuses: S.columns.flatMap(\.1), visibleAreas: scope.areas)
        filter.kind = q.kind.flatMap(RequestKind.init(rawValue:))
        filter.priority = q.priority.flatMap(Priority.init(rawValue:))
        filter.areaID = q.area.flatMap(UUID.init(uuidString:))
        filter.assigneeID = q.assignee.flatMap(UUID.init(uuidString:))
        let page = try await req.store.orders.list(community: cid, filter: filter, page: try PageQuery(page: 1, per: PageQuery.maxPer))
        let contract = try await req.store.orders.contract(community: cid)
        let time = LocalTime(scope.community.timeZone)
        let now = req.application.propdesk.now()
        let units = try await OrderViews.unitLabels(page.items.map(\.order), req)
        let canDispatch = scope.policy.has(.dispatchOrders)
        let workload = try await req.store.orders.workload(community: cid)
        let alerts = try await req.store.alerts.alerts(community: cid, visibleAreas: scope.areas, openOnly: true, for: nil, limit: 50)
        let incidents = try await req.store.orders.incidents(community: cid, openOnly: true)
        let canManageIncidents = scope.policy.has(.manageIncidents) && scope.areas == nil
        let buildings = canManageIncidents ? try await req.store.registry.buildings(community: cid) : []
        let back = req.url.path + (req.url.query.map { "?" + $0 } ?? "")

        // Most urgent first inside a column: emergencies, then the clock closest to its end.
        func urgency(_ v: WorkOrderStore.OrderView) -> (Int, Date) {
            (v.order.priority == .emergency ? 0 : v.order.priority == .urgent ? 1 : 2, OrderViews.headline(v.clocks)?.dueAt ?? .distantFuture)
        }
        // Orders late by more than a day are a backlog to work through, not today's board.
        func longLate(_ v: WorkOrderStore.OrderView) -> Bool {
            guard let c = OrderViews.headline(v.clocks), c.pausedAt == nil else { return false }
            return now.timeIntervalSince(c.dueAt) > 86_400
        }
        let today = page.items.filter { !longLate($0) }
        let backlog = page.items.filter(longLate).sorted { urgency($0) < urgency($1) }
        let rules = canDispatch ? try await req.store.orders.rules(community: cid) : []
        let onEmergency = Set(page.items.filter { $0.order.priority == .emergency && $0.order.status.isOpen }.compactMap(\.order.assigneeID))
        let load = Dictionary(uniqueKeysWithValues: workload.map { ($0.0.id, $0.1) })
        func suggested(_ o: WorkOrder) -> UUID? {
            DispatchRule.suggest(rules, category: o.category, areaID: o.areaID, everyone: workload.map(\.0), load: load, onEmergency: onEmergency)?.id
        }
        func cards(_ items: [WorkOrderStore.OrderView]) -> [BodyNode] {
            items.map { card($0, units: units, contract: contract, now: now, time: time, workload: canDispatch ? workload : [],
                             suggested: suggested($0.order), back: back, lang) }
        }
        let columns: [BodyNode] = S.columns.map { title, statuses in
            let items = today.filter { statuses.contains($0.order.status) }.sorted { urgency($0) < urgency($1) }
            return H.el("section", [("class", "column"), ("data-column", statuses[0].rawValue)], [
                H.el("h2", [], text: "\(title.text(lang)) (\(items.count))"),
            ] + cards(items))
        }
        let callbackTasks = try await CallbackTasks.open(alerts, req)
        var live: [BodyNode] = [
            topStrip(page.items, incidents: incidents, workload: workload, onEmergency: onEmergency, units: units, contract: contract, now: now, cid: cid, lang),
            H.el("div", [("class", "board"), ("id", "board")], columns),
        ]
        if !backlog.isEmpty {
            live.append(H.el("details", [("class", "card backlog"), ("id", "backlog")], [
                H.el("summary", [], text: "\(S.backlog.text(lang)) (\(backlog.count))"),
                H.el("div", [("class", "backlog-cards")], cards(backlog)),
            ]))
        }
        if page.total > page.items.count { live.append(H.el("p", [("class", "notice")], text: S.more.text(lang))) }

        let others = alerts.filter { $0.kind != .callback }
        var side: [BodyNode] = [
            H.el("section", [("class", "card"), ("id", "callbacks")], [H.el("h2", [], text: "\(Strings.callbacks.text(lang)) (\(callbackTasks.count))"),
                                                                     CallbackTasks.list(callbackTasks, time: time, back: back, canReveal: scope.policy.has(.revealPhone), lang)]),
            // The newest few: an alert older than that has already escalated into a newer one.
            H.el("section", [("class", "card"), ("id", "alerts")], [H.el("h2", [], text: "\(Strings.alerts.text(lang)) (\(others.count))"),
                                                                  AlertViews.list(Array(others.prefix(S.alertsShown)), time: time, back: back, lang)]
                 + (others.count > S.alertsShown ? [H.el("p", [("class", "muted")], text: S.moreAlerts.text(lang))] : [])),
        ]
        side.append(H.el("section", [("class", "card"), ("id", "incidents")], [H.el("h2", [], text: Strings.incidents.text(lang))] + (incidents.isEmpty
            ? [H.el("p", [("class", "muted")], text: Strings.nothing.text(lang))]
            : incidents.map { i in
                H.el("div", [("class", "incident")], [
                    H.el("h3", [], text: "\(i.title) · \(i.category.title.text(lang))"),
                    H.el("p", [("class", "muted")], text: "\(time.format(i.startsAt)) – \(i.endsAt.map { time.format($0) } ?? "…") · \(S.buildingsAffected.text(lang)) \(i.buildingIDs.count) · \(S.linked.text(lang)) \(i.linkedOrders)"),
                    H.el("blockquote", [("class", "script")], [H.el("strong", [], text: S.script.text(lang) + ":"), .text(" " + i.script)]),
                ])
            }) + (canManageIncidents ? IncidentForms.forms(incidents, buildings: buildings, cid: cid, back: back, lang) : [])))
        side.append(H.el("section", [("class", "card"), ("id", "workload")], [
            H.el("h2", [], text: S.workload.text(lang)),
            H.el("ul", [("class", "workload")], workload.map { who, n in
                H.el("li", [("class", n == 0 ? "free" : "")], [H.link(who.name, Routes.boardOf(cid, assignee: who.id)), H.el("span", [("class", "count")], text: String(n))])
            }),
        ]))
        live.append(H.el("aside", [("class", "board-side")], side))

        let region = H.el("div", [("id", "board-live"), ("data-refresh", "1")], live)

        let areas = try await req.store.registry.areas(community: cid, only: scope.areas)
        let filters = H.el("form", [("method", "get"), ("class", "filters"), ("id", "board-filters")], [
            H.field(Strings.area.text(lang), "f-area", H.select("f-area", name: "area", [("", Strings.all.text(lang))] + areas.map { ($0.id.uuidString, $0.name) }, selected: q.area)),
            H.field(Strings.kind.text(lang), "f-kind", H.select("f-kind", name: "kind", [("", Strings.all.text(lang))] + RequestKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: q.kind)),
            H.field(Strings.priority.text(lang), "f-priority", H.select("f-priority", name: "priority", [("", Strings.all.text(lang))] + Priority.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: q.priority)),
            H.field(Strings.assignee.text(lang), "f-assignee", H.select("f-assignee", name: "assignee", [("", Strings.all.text(lang))] + workload.map { ($0.0.id.uuidString, $0.0.name) }, selected: q.assignee)),
            H.el("div", [("class", "filter-buttons")], [H.button(Strings.filter.text(lang), [("id", "apply-filters")], primary: false),
                                                        H.link(S.clear.text(lang), req.url.path)]),
        ])
        var frame = scope.frame
        frame.live = true
        frame.bodyClass = "wide"
        return Layout.page(title: Message(zh: "\(scope.community.name) · 调度看板", en: "\(scope.community.name) · Dispatch board"), request: req, frame: frame,
                           communities: scope.communities, [filters, region])
    }

    /// What needs eyes first: emergencies still open, incidents under way, and who is free to go.
    static func topStrip(_ views: [WorkOrderStore.OrderView], incidents: [Incident], workload: [(Assignee, Int)], onEmergency: Set<UUID>,
                         units: [UUID: String], contract: ServiceContract, now: Date, cid: UUID, _ lang: Language) -> BodyNode {
        let emergencies = views.filter { $0.order.priority == .emergency && $0.order.status.isOpen }
            .sorted { (OrderViews.headline($0.clocks)?.dueAt ?? .distantFuture) < (OrderViews.headline($1.clocks)?.dueAt ?? .distantFuture) }
        let free = workload.sorted { ($0.1, onEmergency.contains($0.0.id) ? 1 : 0) < ($1.1, onEmergency.contains($1.0.id) ? 1 : 0) }
        return H.el("div", [("class", "top-strip"), ("id", "top-strip")], [
            H.el("section", [("class", "strip emergencies" + (emergencies.isEmpty ? "" : " alarm")), ("id", "strip-emergencies"),
                             ("data-count", String(emergencies.count))], [
                H.el("h2", [], text: "\(S.emergencies.text(lang)) (\(emergencies.count))"),
                H.el("button", [("type", "button"), ("id", "sound-toggle"), ("class", "secondary small"), ("aria-pressed", "false"),
                                ("data-on", S.soundOn.text(lang)), ("data-off", S.soundOff.text(lang))], text: S.soundOff.text(lang)),
                emergencies.isEmpty ? H.el("p", [("class", "muted")], text: Strings.nothing.text(lang))
                    : H.el("ul", [], emergencies.prefix(6).map { v in
                        H.el("li", [], [H.link(v.order.number, Routes.order(v.order.id)), .text(" " + OrderViews.place(v.order, units: units) + " "),
                                        v.order.assigneeName.map { H.el("span", [("class", "muted")], text: $0 + " ") } ?? .text(""),
                                        OrderViews.headline(v.clocks).map { OrderViews.clock($0, now: now, hours: contract.hours, lang) } ?? .text("")])
                    }),
            ]),
            H.el("section", [("class", "strip"), ("id", "strip-incidents")], [
                H.el("h2", [], text: "\(Strings.incidents.text(lang)) (\(incidents.count))"),
                incidents.isEmpty ? H.el("p", [("class", "muted")], text: Strings.nothing.text(lang))
                    : H.el("ul", [], incidents.prefix(3).map { H.el("li", [], text: $0.title) }),
            ]),
            H.el("section", [("class", "strip"), ("id", "strip-free")], [
                H.el("h2", [], text: S.whoIsFree.text(lang)),
                H.el("ul", [("class", "free-list")], free.prefix(6).map { who, n in
                    H.el("li", [("class", n == 0 ? "free" : ""), ("data-engineer", who.id.uuidString)], [
                        H.link(who.name, Routes.boardOf(cid, assignee: who.id)),
                        H.el("span", [("class", "count")], text: n == 0 ? S.idle.text(lang) : S.holding(n).text(lang)),
                    ] + (onEmergency.contains(who.id) ? [H.el("span", [("class", "badge prio-emergency")], text: S.onEmergency.text(lang))] : []))
                }),
            ]),
        ])
    }

    static func card(_ v: WorkOrderStore.OrderView, units: [UUID: String], contract: ServiceContract, now: Date, time: LocalTime,
                     workload: [(Assignee, Int)], suggested: UUID?, back: String, _ lang: Language) -> BodyNode {
        let o = v.order
        var kids: [BodyNode] = [
            H.el("div", [("class", "card-top")], [H.link(o.number, Routes.order(o.id), [("class", "number")]), OrderViews.priorityBadge(o.priority, lang)]),
            H.el("div", [("class", "what")], text: "\(o.kind.title.text(lang)) · \(o.description.prefix(60))"),
            H.el("div", [("class", "muted")], text: [OrderViews.place(o, units: units), o.assigneeName ?? (o.inPool ? Strings.pool.text(lang) : Strings.nobody.text(lang))]
                .filter { !$0.isEmpty }.joined(separator: " · ")),
        ]
        if let c = OrderViews.headline(v.clocks) { kids.append(OrderViews.clock(c, now: now, hours: contract.hours, lang)) }
        if o.status == .received, !workload.isEmpty {
            kids.append(H.form(Routes.orderStep(o.id, "dispatch"), [("class", "quick-dispatch")], [
                H.el("label", [("for", "qd-\(o.number)"), ("class", "sr-only")], text: S.dispatchShort.text(lang)),
                H.select("qd-\(o.number)", name: "assigneeId", workload.map { ($0.0.id.uuidString, "\($0.0.name) (\($0.1))") }, selected: suggested?.uuidString),
                H.hidden("mode", "person"), H.hidden("back", back),
                H.el("button", [("type", "submit"), ("class", "secondary small")], text: S.dispatchShort.text(lang)),
            ]))
        }
        return H.el("article", [("class", "order-card prio-\(o.priority.rawValue)"), ("data-order-number", o.number), ("data-status", o.status.rawValue)], kids)
    }

    /// A piece of a page for the script to put in place (the intake's typeahead and context).
    static func fragment(_ node: BodyNode) -> Response {
        let response = Response(status: .ok, body: .init(string: node.render()))
        response.headers.contentType = .html
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}

/// Alerts with their acknowledge button (INT-7): who was told, when, and who saw it.
enum AlertViews {
    static func list(_ alerts: [Alert], time: LocalTime, back: String, _ lang: Language) -> BodyNode {
        guard !alerts.isEmpty else { return H.el("p", [("class", "muted")], text: Strings.nothing.text(lang)) }
        return H.el("ul", [("class", "alerts")], alerts.map { a in
            var kids: [BodyNode] = [
                H.el("span", [("class", "badge level-\(a.level.rawValue)")], text: a.level.title.text(lang)),
                H.link(a.subjectLabel, SubjectLinks.path(a.subject)),
                H.el("span", [], text: " " + a.message.text(lang)),
                H.el("time", [("class", "muted"), ("datetime", ISO.string(a.raisedAt))], text: " " + time.format(a.raisedAt, "MM-dd HH:mm")),
            ]
            if let who = a.acknowledgedByName {
                kids.append(H.el("span", [("class", "muted")], text: " ✓ \(OrderViews.person(who, lang))"))
            } else {
                kids.append(H.form(Routes.acknowledge(a.id), [("class", "inline")], [
                    H.hidden("back", back), H.el("button", [("type", "submit"), ("class", "secondary small"), ("data-alert", a.id.uuidString)], text: Strings.acknowledge.text(lang)),
                ]))
            }
            return H.el("li", [("class", a.acknowledgedAt == nil ? "open" : "seen"), ("data-alert-kind", a.kind.rawValue)], kids)
        })
    }

    /// POST /alerts/:aid/acknowledge
    static func acknowledge(_ req: Request) async throws -> Response {
        let back = Paths.safe(try? req.content.get(String.self, at: "back"), fallback: "/")
        do {
            let alert = try await Scoped.alert(req.parameters.get("aid") ?? "", req)
            _ = try await req.store.alerts.acknowledge(alert.id, note: "", by: req.actor)
            Flash.set(req, Message(zh: "已知悉提醒 \(alert.subjectLabel)", en: "Alert on \(alert.subjectLabel) acknowledged"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }
}
