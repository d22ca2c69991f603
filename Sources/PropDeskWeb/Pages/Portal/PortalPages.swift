import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The resident portal (INT-14, INT-10, INT-11): my requests and every step in my language,
/// reporting a problem for one of my units with photos, and the public price list.
enum PortalPages {
    enum S {
        static let mine = Message(zh: "我的报事记录", en: "My requests")
        static let none = Message(zh: "您还没有报事记录。", en: "You have not reported anything yet.")
        static let newReport = Message(zh: "我要报事", en: "Report a problem")
        static let whichUnit = Message(zh: "哪套房屋", en: "Which unit")
        static let what = Message(zh: "发生了什么", en: "What happened")
        static let whatHint = Message(zh: "例如:卫生间天花板漏水,滴到地上", en: "e.g. the bathroom ceiling is leaking onto the floor")
        static let kinds: [RequestKind] = [.repair, .complaint, .inquiry, .suggestion, .help, .paidService, .dispute, .violation]
        static let service = Message(zh: "有偿服务项目(可选)", en: "Paid service (optional)")
        static let noService = Message(zh: "不是有偿服务", en: "Not a paid service")
        static let send = Message(zh: "提交", en: "Send")
        static let sent = Message(zh: "已提交,工单号", en: "Sent; your order number is")
        static let priceTitle = Message(zh: "有偿服务价目表", en: "Paid-service price list")
        static let priceNote = Message(zh: "价格公开,上门前确认;额外费用须经您同意。", en: "Prices are public and agreed before work; any extra cost needs your consent.")
        static let item = Message(zh: "服务项目", en: "Service")
        static let per = Message(zh: "单位", en: "Per")
        static let price = Message(zh: "价格", en: "Price")
        static let emergencyTip = Message(zh: "紧急情况(水管爆裂、停电、燃气泄漏等)请直接拨打服务中心 24 小时电话。", en: "In an emergency (burst pipe, power cut, gas leak) also call the service center's 24-hour line.")
    }

    static func requireResident(_ req: Request) throws -> Principal {
        let p = try req.requirePrincipal()
        guard p.role == .resident else { throw DomainError.forbidden }
        return p
    }

    /// GET /portal — my requests, newest first, each with its status; live.
    static func home(_ req: Request) async throws -> Response {
        let p = try requireResident(req)
        let lang = req.language
        let (community, _) = try await ConsoleScope.current(req)
        var items: [WorkOrderStore.OrderView] = []
        if let c = community, !p.unitIDs.isEmpty {
            items = try await req.store.orders.list(community: c.id, filter: .init(unitIDs: p.unitIDs), page: try PageQuery(page: 1, per: 50)).items
        }
        let units = try await OrderViews.unitLabels(items.map(\.order), req)
        let myUnits = try await req.store.registry.unitLabels(p.unitIDs).values.sorted()
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let list: BodyNode = items.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("ul", [("class", "portal-list"), ("id", "my-requests")], items.map { v in
            let o = v.order
            return H.el("li", [("data-order-number", o.number)], [
                H.el("a", [("href", Routes.order(o.id)), ("class", "row-link")], [
                    H.el("strong", [], text: o.number), .text(" "), OrderViews.statusBadge(o.status, lang),
                    H.el("div", [], text: "\(o.kind.title.text(lang)) · \(OrderViews.place(o, units: units))"),
                    H.el("div", [("class", "muted")], text: "\(time.format(o.createdAt)) · \(o.description.prefix(60))"),
                ]),
            ])
        })
        return Layout.page(title: S.mine, request: req, frame: Frame(community: community, live: true, bodyClass: "phone-first"), [
            H.el("p", [("class", "muted"), ("id", "my-units")], text: "\(Strings.residentHome.text(lang)):\(myUnits.joined(separator: "、"))"),
            H.el("p", [], [H.link("＋ " + S.newReport.text(lang), Routes.portalReport, [("class", "button primary big"), ("id", "new-report")])]),
            H.el("div", [("id", "live-region"), ("data-refresh", Routes.portal)], [list]),
        ])
    }

    struct ReportForm: Content {
        var unitId: String?
        var kind: String?
        var description: String?
        var catalogueItemId: String?
        var idempotencyKey: String?
    }

    /// GET /portal/report
    static func report(_ req: Request, form: ReportForm = ReportForm(), error: DomainError? = nil) async throws -> Response {
        let p = try requireResident(req)
        let lang = req.language
        let (community, _) = try await ConsoleScope.current(req)
        let labels = try await req.store.registry.unitLabels(p.unitIDs)
        let catalogue = try await community.asyncMap { try await req.store.orders.catalogue(community: $0.id, activeOnly: true) } ?? []
        var kids: [BodyNode] = [H.el("p", [("class", "notice")], text: S.emergencyTip.text(lang))]
        if let error { kids.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "report-error")], text: error.message.text(lang))) }
        kids.append(H.form(Routes.portalReport, [("enctype", "multipart/form-data"), ("class", "card"), ("id", "report-form")], [
            H.field(S.whichUnit.text(lang), "report-unit", H.select("report-unit", name: "unitId", labels.sorted { $0.value < $1.value }.map { ($0.key.uuidString, $0.value) }, selected: form.unitId)),
            H.field(Strings.kind.text(lang), "report-kind", H.select("report-kind", name: "kind", S.kinds.map { ($0.rawValue, $0.title.text(lang)) }, selected: form.kind ?? "repair")),
            H.field(S.what.text(lang), "report-description", H.el("textarea", [("id", "report-description"), ("name", "description"), ("rows", "4"), ("required", "required"),
                                                                             ("maxlength", "2000"), ("placeholder", S.whatHint.text(lang))], text: form.description ?? "")),
            H.field(S.service.text(lang), "report-service", H.select("report-service", name: "catalogueItemId", [("", S.noService.text(lang))] + catalogue.map {
                ($0.id.uuidString, "\($0.name.text(lang)) · \(Money.yuan($0.price))/\($0.unit.text(lang))")
            }, selected: form.catalogueItemId)),
            H.field(Strings.photos.text(lang), "report-photos", H.input([("type", "file"), ("id", "report-photos"), ("name", "photos[]"), ("accept", "image/*"), ("multiple", "multiple")])),
            H.hidden("idempotencyKey", form.idempotencyKey ?? UUID().uuidString),
            H.button(S.send.text(lang), [("id", "report-submit")]),
        ]))
        return Layout.page(title: S.newReport, request: req, status: error.map { LocalizedErrorMiddleware.status($0.kind) } ?? .ok,
                           frame: Frame(community: community, bodyClass: "phone-first"), kids)
    }

    /// POST /portal/report — the order is registered for my unit with the channel "portal";
    /// photos are checked first, so a bad file changes nothing.
    static func submitReport(_ req: Request) async throws -> Response {
        let p = try requireResident(req)
        let form = try req.content.decode(ReportForm.self)
        do {
            let photos = try PhotoStore.check(try Photos.files(req))
            guard let community = p.scopes.first?.communityID else { throw DomainError.forbidden }
            let kind = try RequestKind(rawValue: form.kind ?? "").orThrow(field: "kind", Message(zh: "请选择类型", en: "Choose a kind"))
            let draft = OrderDraft(communityID: community, kind: kind, channel: .portal,
                                   unitID: try IntakePage.nonEmpty(form.unitId).map { try Parse.uuid($0, field: "unitId") },
                                   description: form.description ?? "",
                                   catalogueItemID: try IntakePage.nonEmpty(form.catalogueItemId).map { try Parse.uuid($0, field: "catalogueItemId") })
            // The order and its photos in one transaction: a photo refused keeps no order either.
            let result = try await OrderAccess.create(draft, idempotencyKey: IntakePage.nonEmpty(form.idempotencyKey), photos: photos, req)
            Flash.set(req, Message(zh: "\(S.sent.zhHans) \(result.order.number)", en: "\(S.sent.en) \(result.order.number)"))
            return req.redirect(to: Routes.order(result.order.id), redirectType: .normal)
        } catch let e as DomainError {
            return try await report(req, form: form, error: e)
        }
    }

    /// GET /prices/:cid — the public price list (INT-10, S0 1.1): no sign-in needed.
    static func prices(_ req: Request) async throws -> Response {
        let lang = req.language
        let community: Community?
        if let raw = req.parameters.get("cid") {
            community = try await UUID(uuidString: raw).asyncMap { try await req.store.registry.community($0) } ?? nil
        } else {
            community = try await ConsoleScope.current(req).0
        }
        guard let community else { throw DomainError.notFound(Noun.community) }
        let items = try await req.store.orders.catalogue(community: community.id, activeOnly: true)
        return Layout.page(title: Message(zh: "\(community.name) · \(S.priceTitle.zhHans)", en: "\(community.name) · \(S.priceTitle.en)"), request: req,
                           frame: Frame(community: req.principal == nil ? nil : community, bodyClass: "phone-first"), [
            H.el("p", [("class", "muted")], text: S.priceNote.text(lang)),
            H.el("div", [("class", "table-wrap card")], [H.el("table", [("id", "prices")], [
                H.el("tr", [], [S.item, S.per, S.price].map { H.el("th", [("scope", "col")], text: $0.text(lang)) }),
            ] + items.map { i in
                H.el("tr", [], [H.el("td", [], text: i.name.text(lang)), H.el("td", [], text: i.unit.text(lang)), H.el("td", [("class", "num")], text: Money.yuan(i.price))])
            })]),
        ])
    }
}
