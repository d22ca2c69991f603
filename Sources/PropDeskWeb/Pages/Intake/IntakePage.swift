import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 来电受理 (INT-1 … INT-4, INT-17): one screen for a phone call. Type part of a room number,
/// name or phone; pick the caller with the arrow keys; write what happened while the emergency
/// badge listens; the unit's open orders and complaints show beside the form; Ctrl+Enter saves
/// and the order number is on screen. Everything works from the keyboard.
enum IntakePage {
    enum S {
        static let find = Message(zh: "查找房屋或来电人(房号、姓名或电话的一部分)", en: "Find the unit or caller (part of a room number, name or phone)")
        static let findPlaceholder = Message(zh: "例:1201、张、8001", en: "e.g. 1201, Zhang, 8001")
        static let chosen = Message(zh: "已选择", en: "Chosen")
        static let noneChosen = Message(zh: "未选择房屋(公共区域请填写位置)", en: "No unit chosen (for a common area, write the location)")
        static let auto = Message(zh: "自动判断", en: "Automatic")
        static let save = Message(zh: "登记工单 (Ctrl+Enter)", en: "Register (Ctrl+Enter)")
        static let created = Message(zh: "已登记", en: "Registered")
        static let answerNow = Message(zh: "当场答复(咨询、建议、质疑填写后即办结)", en: "Answered now (an inquiry, suggestion or query closes with it)")
        static let answerHint = Message(zh: "例如:物业费每月 25 日前缴纳", en: "e.g. the fee is due by the 25th of each month")
        /// The arrival target of an emergency repair in this community's contract (S0 2.3: at most 15 minutes).
        static func emergency(_ contract: ServiceContract) -> Message {
            guard let seconds = contract.target(kind: .repair, priority: .emergency).arrival else { return Message(zh: "紧急", en: "EMERGENCY") }
            let minutes = max(1, (seconds + 59) / 60)
            return Message(zh: "紧急:\(minutes) 分钟内到场", en: "EMERGENCY: on site within \(minutes) minutes")
        }
        static let contextHint = Message(zh: "选择房屋后,这里显示该房屋未完成的工单和近期投诉。", en: "Once a unit is chosen, its open orders and recent complaints show here.")
        static let noMatch = Message(zh: "没有找到,请换个关键词", en: "No match; try other words")
        static let keys = Message(zh: "↑↓ 选择,回车确认;Ctrl+Enter 提交", en: "↑↓ to choose, Enter to pick; Ctrl+Enter to save")
        static let openOrder = Message(zh: "查看工单", en: "Open the order")
        static let assignedTo = Message(zh: "已派给", en: "Dispatched to")
        static let occupants = Message(zh: "住户", en: "Occupants")
    }

    struct Form: Content {
        var unitId: String?
        var requesterId: String?
        var unitLabel: String?
        var contactName: String?
        var contactPhone: String?
        var kind: String?
        var channel: String?
        var priority: String?
        var description: String?
        var location: String?
        var expectedAt: String?
        var answer: String?
        var idempotencyKey: String?
    }

    static func render(_ req: Request, form: Form = Form(), error: DomainError? = nil) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .createOrders)
        let lang = req.language
        let cid = scope.community.id.uuidString
        var kids: [BodyNode] = []
        if let created = req.query[String.self, at: "created"].flatMap(UUID.init(uuidString:)), let o = try await req.store.orders.order(created),
           o.communityID == scope.community.id {
            // The number once, big; then what became of it.
            var text = "\(S.created.text(lang)) · \(o.status.title.text(lang))"
            if let a = o.assigneeName { text += " · \(S.assignedTo.text(lang)) \(a)" }
            kids.append(H.el("div", [("class", "created"), ("role", "status"), ("id", "created")], [
                H.el("strong", [("class", "order-number"), ("id", "created-number")], text: o.number),
                H.el("span", [], text: " " + text + " "),
                H.link(S.openOrder.text(lang), Routes.order(o.id), [("id", "created-link")]),
            ]))
        }
        if let error {
            kids.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "intake-error")], text: error.message.text(lang)))
        }
        let chosen = !(form.unitId ?? "").isEmpty
        let emergency = S.emergency(try await req.store.orders.contract(community: scope.community.id)).text(lang)
        let formNode = H.form(Routes.intake(cid), [("id", "intake-form"), ("class", "card intake"), ("data-search", Routes.intakeSearch(cid)),
                                                   ("data-context", Routes.intakeContext(cid)), ("data-classify", "/api/v1/communities/\(cid)/classify")], [
            H.field(S.find.text(lang), "caller-search", H.input([("type", "search"), ("id", "caller-search"), ("autocomplete", "off"), ("autofocus", "autofocus"),
                                                              ("placeholder", S.findPlaceholder.text(lang)), ("role", "combobox"), ("aria-expanded", "false"),
                                                              ("aria-controls", "caller-results"), ("aria-autocomplete", "list")]), hint: S.keys.text(lang)),
            H.el("ul", [("id", "caller-results"), ("role", "listbox"), ("class", "results"), ("data-empty", S.noMatch.text(lang))], []),
            H.el("p", [("id", "caller-chosen"), ("class", chosen ? "chosen" : "muted"), ("data-none", S.noneChosen.text(lang)), ("data-label", S.chosen.text(lang))],
                 text: chosen ? "\(S.chosen.text(lang)):\(form.unitLabel ?? "")" : S.noneChosen.text(lang)),
            H.hidden("unitId", form.unitId ?? ""), H.hidden("requesterId", form.requesterId ?? ""), H.hidden("unitLabel", form.unitLabel ?? ""),
            H.el("div", [("class", "row")], [
                H.field(Strings.contact.text(lang), "contactName", H.input([("type", "text"), ("id", "contactName"), ("name", "contactName"), ("value", form.contactName ?? ""), ("maxlength", "50")])),
                H.field(Strings.phone.text(lang), "contactPhone", H.input([("type", "tel"), ("id", "contactPhone"), ("name", "contactPhone"), ("value", form.contactPhone ?? ""), ("maxlength", "20")])),
            ]),
            H.el("div", [("class", "row")], [
                H.field(Strings.kind.text(lang), "kind", H.select("kind", name: "kind", RequestKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: form.kind ?? RequestKind.repair.rawValue)),
                H.field(Strings.channel.text(lang), "channel", H.select("channel", name: "channel", PropDeskCore.Channel.allCases.filter { $0 != .portal }.map { ($0.rawValue, $0.title.text(lang)) },
                                                                      selected: form.channel ?? PropDeskCore.Channel.hotline.rawValue)),
                H.field(Strings.priority.text(lang), "priority", H.select("priority", name: "priority", [("", S.auto.text(lang))] + Priority.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: form.priority ?? "")),
            ]),
            H.field(Strings.description.text(lang), "description", H.el("textarea", [("id", "description"), ("name", "description"), ("rows", "3"), ("required", "required"), ("maxlength", "2000")],
                                                                      text: form.description ?? "")),
            H.el("p", [("id", "emergency-badge"), ("class", "badge emergency"), ("hidden", "hidden"), ("role", "alert"), ("data-text", emergency),
                                 ("data-urgent", Priority.urgent.title.text(lang))], text: emergency),
            H.el("div", [("class", "row")], [
                H.field(Strings.location.text(lang), "location", H.input([("type", "text"), ("id", "location"), ("name", "location"), ("value", form.location ?? ""), ("maxlength", "200")])),
                H.field(Strings.expectedAt.text(lang), "expectedAt", H.input([("type", "datetime-local"), ("id", "expectedAt"), ("name", "expectedAt"), ("value", form.expectedAt ?? "")])),
            ]),
            // S1 2.4: an inquiry answered on the phone is registered and closed in this one form.
            H.field(S.answerNow.text(lang), "answer-now", H.el("textarea", [("id", "answer-now"), ("name", "answer"), ("rows", "2"), ("maxlength", "2000"),
                                                                         ("placeholder", S.answerHint.text(lang))], text: form.answer ?? "")),
            // One key per form: a double click or a retried POST registers the call once (SEC-5).
            H.hidden("idempotencyKey", form.idempotencyKey ?? UUID().uuidString),
            H.button(S.save.text(lang), [("id", "intake-submit")]),
        ])
        kids.append(H.el("div", [("class", "intake-grid")], [
            formNode,
            H.el("aside", [("class", "card"), ("id", "intake-context"), ("aria-live", "polite")], [
                H.el("p", [("class", "muted")], text: S.contextHint.text(lang)),
            ]),
        ]))
        var frame = scope.frame
        frame.live = false
        return Layout.page(title: Message(zh: "\(scope.community.name) · 来电受理", en: "\(scope.community.name) · Intake"), request: req,
                           status: error.map { LocalizedErrorMiddleware.status($0.kind) } ?? .ok, frame: frame, communities: scope.communities, kids)
    }

    /// POST /c/:cid/intake — registers the request; a refusal re-shows the form with what was typed.
    static func submit(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .createOrders)
        let form = try req.content.decode(Form.self)
        do {
            let kind = try RequestKind(rawValue: form.kind ?? "").orThrow(field: "kind", Message(zh: "请选择类型", en: "Choose a kind"))
            let channel = try PropDeskCore.Channel(rawValue: form.channel ?? "phone").orThrow(field: "channel", Message(zh: "请选择渠道", en: "Choose a channel"))
            let priority = (form.priority ?? "").isEmpty ? nil : try Priority(rawValue: form.priority!).orThrow(field: "priority", Message(zh: "紧急程度不对", en: "Unknown priority"))
            let time = LocalTime(scope.community.timeZone)
            let draft = OrderDraft(communityID: scope.community.id, kind: kind, channel: channel, priority: priority,
                                   unitID: try nonEmpty(form.unitId).map { try Parse.uuid($0, field: "unitId") },
                                   location: form.location ?? "", requesterID: try nonEmpty(form.requesterId).map { try Parse.uuid($0, field: "requesterId") },
                                   contactName: form.contactName ?? "", contactPhone: form.contactPhone ?? "", description: form.description ?? "",
                                   expectedAt: try time.parse(form.expectedAt ?? "", field: "expectedAt"))
            let answer = nonEmpty(form.answer)
            if answer != nil && !OrderMachine.answerable.contains(kind) {
                throw DomainError.invalid(field: "answer", Message(zh: "只有咨询、建议和质疑可以当场答复办结;\(kind.title.zhHans)请登记后派工处理", en: "Only inquiries, suggestions and queries are answered at once; register the \(kind.title.en.lowercased()) and dispatch it"))
            }
            if let answer { _ = try Validate.text(answer, field: "answerGiven", max: 2000, required: true) }
            let result = try await OrderAccess.create(draft, idempotencyKey: nonEmpty(form.idempotencyKey), req)
            if let answer, result.order.status == .received {
                _ = try await OrderAccess.perform(result.order.id.uuidString, req) { _, _, _ in .answer(note: answer) }
            }
            return req.redirect(to: Routes.intakeCreated(scope.community.id, result.order.id), redirectType: .normal)
        } catch let e as DomainError {
            return try await render(req, form: form, error: e)
        }
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }

    /// GET /c/:cid/intake/search?q= — the typeahead's options, in the caller's scope.
    static func search(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .createOrders)
        let q = req.query[String.self, at: "q"] ?? ""
        let lang = req.language
        // An order number typed into the box finds the order (INT-3).
        if case .number = WorkOrderStore.OrderSearch(q).shape {
            var filter = WorkOrderStore.OrderFilter(visibleAreas: scope.areas)
            try await FindOrders.text(String(q.prefix(60)), into: &filter, community: scope.community.id, areas: scope.areas, req)
            let found = try await req.store.orders.list(community: scope.community.id, filter: filter, page: try PageQuery(page: 1, per: 5)).items.map(\.order)
            return BoardPage.fragment(H.el("ul", [], found.enumerated().map { i, o in
                H.el("li", [("role", "option"), ("id", "hit-\(i)"), ("class", "order-hit"), ("data-href", Routes.order(o.id))], [
                    H.el("strong", [], text: "\(Strings.order.text(lang)) \(o.number)"),
                    H.el("span", [], text: " " + [o.status.title.text(lang), o.kind.title.text(lang), String(o.description.prefix(30))].joined(separator: " · ")),
                ])
            }))
        }
        let hits = try await req.store.registry.search(community: scope.community.id, areas: scope.areas, query: String(q.prefix(50)))
        return BoardPage.fragment(H.el("ul", [], hits.enumerated().map { i, h in
            H.el("li", [("role", "option"), ("id", "hit-\(i)"), ("data-unit", h.unitID.uuidString), ("data-person", h.personID?.uuidString ?? ""),
                        ("data-label", h.unitLabel), ("data-name", h.personName ?? "")], [
                H.el("strong", [], text: h.unitLabel),
                H.el("span", [], text: " " + [h.personName, h.relation?.title.text(lang), h.phoneMasked].compactMap { $0 }.joined(separator: " · ")),
            ])
        }))
    }

    /// GET /c/:cid/intake/context?unit= — what the desk should know about this unit (INT-17).
    static func context(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .createOrders)
        guard let id = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)), let unit = try await req.store.registry.unit(id),
              unit.unit.communityID == scope.community.id, AccessPolicy(scope.principal).canSee(community: unit.unit.communityID, area: unit.unit.areaID)
        else { throw DomainError.notFound(Noun.unit) }
        let lang = req.language
        let c = try await req.store.orders.unitContext(id, community: unit.unit.communityID)
        // An incident already covering the caller's building: read its script (INT-16).
        let now = req.application.propdesk.now()
        let incidents = try await req.store.orders.incidents(community: scope.community.id, openOnly: true)
            .filter { $0.buildingIDs.isEmpty || $0.buildingIDs.contains(unit.unit.buildingID) }.filter { $0.startsAt <= now }
        return BoardPage.fragment(H.el("div", [], incidents.map { i in
            H.el("blockquote", [("class", "script incident-script"), ("id", "incident-script")], [
                H.el("strong", [], text: "\(Strings.incidents.text(lang)) · \(i.title) · \(BoardPage.S.script.text(lang)):"), .text(" " + i.script),
            ])
        } + [
            H.el("h2", [], text: unit.label),
            H.el("p", [("class", "muted")], text: "\(unit.unit.kind.title.text(lang)) · \(unit.unit.floorArea) m²"),
            H.el("p", [], text: "\(S.occupants.text(lang)):" + unit.occupants.map { "\($0.person.name)(\($0.relation.title.text(lang)))" }.joined(separator: "、")),
            OrderPage.contextSection(c, unit: id, lang, money: scope.policy.has(.readFees)),
        ]))
    }
}

extension Optional {
    func orThrow(field: String, _ message: Message) throws -> Wrapped {
        guard let v = self else { throw DomainError.invalid(field: field, message) }
        return v
    }
}
