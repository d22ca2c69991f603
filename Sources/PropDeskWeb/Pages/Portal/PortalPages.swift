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
        static let where_ = Message(zh: "具体位置(公共区域必填)", en: "Where exactly (needed for a common area)")
        static let whereHint = Message(zh: "例如:3 楼电梯厅的灯", en: "e.g. the light by the 3rd-floor lifts")
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
        if let c = community {
            var filter = WorkOrderStore.OrderFilter()
            filter.resident = (p.unitIDs, p.personID)
            items = try await req.store.orders.list(community: c.id, filter: filter, page: try PageQuery(page: 1, per: 50)).items
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
            H.el("p", [], [H.link(PortalFeesPages.S.title.text(lang), Routes.portalFees, [("id", "my-fees-link")])]),
            H.el("div", [("id", "live-region"), ("data-refresh", Routes.portal)], [list]),
        ])
    }

    struct ReportForm: Content {
        var unitId: String?
        var kind: String?
        var description: String?
        var catalogueItemId: String?
        var location: String?
        var idempotencyKey: String?
    }

    /// The places a resident may report for: their units, and the common areas of the buildings
    /// they live in (a corridor light, the lift) — "building:<id>" in the form.
    static func places(_ p: Principal, _ req: Request, _ lang: Language) async throws -> [(String, String)] {
        var units: [(String, String)] = []
        var buildings: [UUID: String] = [:]
        for id in p.unitIDs {
            guard let d = try await req.store.registry.unit(id) else { continue }
            units.append((id.uuidString, d.label))
            buildings[d.unit.buildingID] = d.buildingName
        }
        return units.sorted { $0.1 < $1.1 } + buildings.sorted { $0.value < $1.value }.map {
            ("building:\($0.key.uuidString)", Message(zh: "\($0.value) 公共区域(走廊、电梯、楼道灯…)", en: "\($0.value) common areas (corridor, lift, stair lights…)").text(lang))
        }
    }

    /// GET /portal/report
    static func report(_ req: Request, form: ReportForm = ReportForm(), error: DomainError? = nil) async throws -> Response {
        let p = try requireResident(req)
        let lang = req.language
        let (community, _) = try await ConsoleScope.current(req)
        let places = try await places(p, req, lang)
        let catalogue = try await community.asyncMap { try await req.store.orders.catalogue(community: $0.id, activeOnly: true) } ?? []
        var kids: [BodyNode] = [H.el("p", [("class", "notice")], text: S.emergencyTip.text(lang))]
        if let error { kids.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "report-error")], text: error.message.text(lang))) }
        kids.append(H.form(Routes.portalReport, [("enctype", "multipart/form-data"), ("class", "card"), ("id", "report-form")], [
            H.field(S.whichUnit.text(lang), "report-unit", H.select("report-unit", name: "unitId", places, selected: form.unitId)),
            H.field(S.where_.text(lang), "report-location", H.input([("type", "text"), ("id", "report-location"), ("name", "location"), ("maxlength", "200"),
                                                                    ("value", form.location ?? ""), ("placeholder", S.whereHint.text(lang))])),
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
            let place = IntakePage.nonEmpty(form.unitId) ?? ""
            let building = place.hasPrefix("building:") ? try Parse.uuid(String(place.dropFirst(9)), field: "unitId") : nil
            let draft = OrderDraft(communityID: community, kind: kind, channel: .portal,
                                   unitID: building == nil ? try IntakePage.nonEmpty(form.unitId).map { try Parse.uuid($0, field: "unitId") } : nil,
                                   buildingID: building, location: form.location ?? "", requesterID: p.personID,
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
