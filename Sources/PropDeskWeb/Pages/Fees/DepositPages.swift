import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Deposits in pages (FEE-2, S4 篇3 (3)): the community's deposits and the receive form, one
/// deposit with its receipts and — for finance — refund (on its condition) or forfeit (with the
/// reason). Every movement has a numbered receipt.
enum DepositPages {
    enum S {
        static let title = Message(zh: "押金管理", en: "Deposits")
        static let kind = Message(zh: "押金类别", en: "Kind")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let amount = Message(zh: "金额", en: "Amount")
        static let status = Message(zh: "状态", en: "Status")
        static let payer = Message(zh: "交款人", en: "Paid by")
        static let received = Message(zh: "收取时间", en: "Received")
        static let none = Message(zh: "暂无押金。", en: "No deposits.")
        static let receive = Message(zh: "收取押金", en: "Receive a deposit")
        static let building = Message(zh: "楼栋", en: "Building")
        static let room = Message(zh: "房号", en: "Room")
        static let amountYuan = Message(zh: "金额(元)", en: "Amount (yuan)")
        static let renovation = Message(zh: "装修档案(装修押金必选)", en: "Renovation file (for a renovation deposit)")
        static let noRenovation = Message(zh: "不是装修押金", en: "Not a renovation deposit")
        static let all = Message(zh: "全部", en: "All")
        static let show = Message(zh: "显示", en: "Show")
        static let refund = Message(zh: "退还押金", en: "Refund the deposit")
        static let forfeit = Message(zh: "押金转扣", en: "Forfeit the deposit")
        static let reason = Message(zh: "依据/原因", en: "Ground / reason")
        static let refundHint = Message(zh: "例:搬迁完毕,公共设施无损坏;水电托收已办理", en: "e.g. moved out, no damage; utilities taken over")
        static let blocked = Message(zh: "暂不能退还:", en: "Cannot be refunded yet: ")
        static let settled = Message(zh: "处理", en: "Settled")
        static let receipts = Message(zh: "收据", en: "Receipts")
        static let method = Message(zh: "退款方式", en: "Refunded by")
        static let reference = Message(zh: "交易流水号(非现金必填)", en: "Transaction reference (not cash)")
    }

    static func table(_ deposits: [Deposit], _ lang: Language, _ time: LocalTime, units: [UUID: String]?, links: Bool) -> BodyNode {
        guard !deposits.isEmpty else { return H.el("p", [("class", "muted")], text: S.none.text(lang)) }
        var head = [S.kind, S.amount, S.status, S.payer, S.received]
        if units != nil { head.insert(S.unit, at: 0) }
        return H.el("table", [("class", "register"), ("id", "deposits")], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + deposits.map { d in
            var cells: [BodyNode] = [
                H.el("td", [], links ? [H.link(d.kind.label.text(lang), Routes.deposit(d.id))] : [.text(d.kind.label.text(lang))]),
                H.el("td", [("class", "num")], text: Money.yuan(d.amountFen)), H.el("td", [], text: d.status.label.text(lang)),
                H.el("td", [], text: d.payer), H.el("td", [], text: time.format(d.receivedAt)),
            ]
            if let units { cells.insert(H.el("td", [], text: units[d.unitID] ?? ""), at: 0) }
            return H.el("tr", [("data-deposit", d.id.uuidString), ("data-status", d.status.rawValue)], cells)
        })
    }

    /// The receive form: for one unit (its account page) or by building and room (the list).
    static func receiveForm(_ community: UUID, unit: UUID?, buildings: [Building] = [], renovations: [(UUID, String)] = [], lang: Language, open: Bool) -> BodyNode {
        var fields: [BodyNode] = [H.hidden("formId", UUID().uuidString)]
        if let unit {
            fields.append(H.hidden("unitId", unit.uuidString))
        } else {
            fields.append(H.field(S.building.text(lang), "dep-building", H.select("dep-building", name: "buildingId", buildings.map { ($0.id.uuidString, $0.name) }, selected: nil)))
            fields.append(H.field(S.room.text(lang), "dep-room", H.input([("type", "text"), ("id", "dep-room"), ("name", "room"), ("required", "required"), ("maxlength", "20")])))
        }
        fields += [
            H.field(S.kind.text(lang), "dep-kind", H.select("dep-kind", name: "kind", DepositKind.allCases.map { ($0.rawValue, $0.label.text(lang)) }, selected: nil)),
            H.field(S.amountYuan.text(lang), "dep-amount", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "dep-amount"), ("name", "amount"), ("required", "required")])),
            H.field(PaymentPages.S.method.text(lang), "dep-method", H.select("dep-method", name: "method", PaymentPages.labels(lang), selected: PaymentMethod.cash.rawValue)),
            H.field(PaymentPages.S.reference.text(lang), "dep-reference", H.input([("type", "text"), ("id", "dep-reference"), ("name", "reference"), ("maxlength", "80")])),
            H.field(S.payer.text(lang), "dep-payer", H.input([("type", "text"), ("id", "dep-payer"), ("name", "payer"), ("required", "required"), ("maxlength", "60")])),
        ]
        if unit == nil || !renovations.isEmpty {
            fields.append(H.field(S.renovation.text(lang), "dep-renovation", renovations.isEmpty
                ? H.input([("type", "text"), ("id", "dep-renovation"), ("name", "renovationId"), ("placeholder", S.noRenovation.text(lang))])
                : H.select("dep-renovation", name: "renovationId", [("", S.noRenovation.text(lang))] + renovations.map { ($0.0.uuidString, $0.1) }, selected: nil)))
        }
        fields.append(H.button(S.receive.text(lang), [("id", "deposit-submit")]))
        return H.el("details", [("class", "card"), ("id", "receive-deposit")] + (open ? [("open", "open")] : []), [
            H.el("summary", [], text: S.receive.text(lang)), H.form(Routes.deposits(community), [("id", "deposit-form")], fields),
        ])
    }

    /// GET /c/:cid/deposits?status= — the community's deposits (of the areas the caller reaches).
    static func list(_ req: Request) async throws -> Response {
        let (cid, areas) = try Scoped.community(req.parameters.get("cid") ?? "", .readFees, req)
        let (_, policy) = try req.requireStaff()
        let lang = req.language
        guard let community = try await req.store.registry.community(cid) else { throw DomainError.notFound(Noun.community) }
        let status = req.query[String.self, at: "status"].flatMap(DepositStatus.init(rawValue:))
        let deposits = try await req.store.fees.deposits(community: cid, status: status).filter { d in areas.map { a in d.areaID.map(a.contains) ?? false } ?? true }
        let units = try await req.store.registry.unitLabels(Set(deposits.map(\.unitID)))
        let time = LocalTime(community.timeZone)
        var kids: [BodyNode] = [
            H.form(Routes.deposits(cid), [("method", "get"), ("class", "inline"), ("id", "deposit-filter")], [
                H.field(S.status.text(lang), "dep-status", H.select("dep-status", name: "status", [("", S.all.text(lang))] + DepositStatus.allCases.map { ($0.rawValue, $0.label.text(lang)) },
                                                                   selected: status?.rawValue ?? "")),
                H.button(S.show.text(lang), primary: false),
            ]),
            table(deposits, lang, time, units: units, links: true),
        ]
        if policy.has(.collectFees), try await PaymentPages.closedToday(community, req) {
            kids.append(PaymentPages.dayClosedNotice(lang))
        } else if policy.has(.collectFees) {
            let buildings = try await req.store.registry.buildings(community: cid, areas: areas)
            let files = try await req.store.renovations.renovations(community: cid, areas: areas, open: nil)
            let labels = try await req.store.registry.unitLabels(Set(files.map(\.unitID)))
            kids.append(receiveForm(cid, unit: nil, buildings: buildings, renovations: files.map { ($0.id, "\($0.number) · \(labels[$0.unitID] ?? "")") }, lang: lang, open: deposits.isEmpty))
        }
        let communities = try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
        return Layout.page(title: S.title, request: req, frame: Frame(community: community), communities: communities, kids)
    }

    struct ReceiveForm: Content {
        var formId: String?
        var unitId: String?
        var buildingId: String?
        var room: String?
        var kind: String?
        var amount: String?
        var method: String?
        var reference: String?
        var payer: String?
        var renovationId: String?
    }

    /// POST /c/:cid/deposits — receives a deposit and shows it.
    static func receive(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .collectFees, req)
        var back = Routes.deposits(cid)
        do {
            let f = try req.content.decode(ReceiveForm.self)
            let unit: UUID
            if let u = f.unitId, !u.isEmpty {
                unit = try await PaymentAccess.unit(u, .collectFees, req).unit.id
                back = Routes.unitAccount(unit)
            } else {
                let building = try Parse.uuid(f.buildingId ?? "", field: "buildingId")
                let room = try Validate.text(f.room ?? "", field: "room", max: 20, required: true)
                guard let u = try await req.store.renovations.unit(community: cid, building: building, room: room) else {
                    throw DomainError.invalid(field: "room", Message(zh: "该楼栋没有房号 \(room)", en: "The building has no room \(room)"))
                }
                unit = try await PaymentAccess.unit(u.uuidString, .collectFees, req).unit.id
            }
            guard let kind = DepositKind(rawValue: f.kind ?? "") else {
                throw DomainError.invalid(field: "kind", Message(zh: "请选择押金类别", en: "Choose the kind of deposit"))
            }
            guard let method = PaymentMethod(rawValue: f.method ?? "") else {
                throw DomainError.invalid(field: "method", Message(zh: "请选择付款方式", en: "Choose how it was paid"))
            }
            let renovation = try f.renovationId.flatMap { $0.isEmpty ? nil : try Parse.uuid($0, field: "renovationId") }
            let (d, r) = try await req.store.fees.receiveDeposit(community: cid, unit: unit, kind: kind, amountFen: try Money.fen(fromYuan: f.amount ?? "", field: "amount"),
                                                                 method: method, reference: f.reference ?? "", payer: f.payer ?? "", renovationID: renovation,
                                                                 formID: try f.formId.flatMap { $0.isEmpty ? nil : try Parse.uuid($0, field: "formId") }, by: req.actor)
            Flash.set(req, Message(zh: "已收取\(d.kind.label.zhHans) \(Money.yuan(d.amountFen)),收据 \(r.printedNumber)",
                                   en: "\(d.kind.label.en) of \(Money.yuan(d.amountFen)) received; receipt \(r.printedNumber)"))
            return req.redirect(to: Routes.deposit(d.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: back, redirectType: .normal)
        }
    }

    /// GET /deposits/:id — the deposit, its receipts, and (finance) refund or forfeit.
    static func show(_ req: Request) async throws -> Response {
        let d = try await PaymentAccess.deposit(req.parameters.get("id") ?? "", .readFees, req)
        let (_, policy) = try req.requireStaff()
        let lang = req.language
        guard let community = try await req.store.registry.community(d.communityID) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        let units = try await req.store.registry.unitLabels([d.unitID])
        let receipts = try await req.store.fees.receipts(deposit: d.id)
        var rows: [(Message, String)] = [(S.unit, units[d.unitID] ?? ""), (S.kind, d.kind.label.text(lang)), (S.amount, Money.yuan(d.amountFen)),
                                         (S.status, d.status.label.text(lang)), (S.payer, d.payer), (S.received, "\(time.format(d.receivedAt)) · \(OrderViews.person(d.receivedByName, lang))")]
        if let rid = d.renovationID, let r = try await req.store.renovations.renovation(rid) { rows.append((Message(zh: "装修档案", en: "Renovation file"), r.number)) }
        if let at = d.settledAt { rows.append((S.settled, "\(time.format(at)) · \(OrderViews.person(d.settledByName ?? "", lang)) · \(d.settleReason ?? "")")) }
        var kids: [BodyNode] = [
            H.el("p", [], [H.link(S.title.text(lang), Routes.deposits(d.communityID)), .text(" · "), H.link(PaymentPages.S.account.text(lang), Routes.unitAccount(d.unitID))]),
            H.el("section", [("class", "card")], [H.el("dl", [("class", "facts"), ("id", "deposit-facts"), ("data-status", d.status.rawValue)],
                                                       rows.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) })]),
            H.el("h2", [], text: S.receipts.text(lang)),
            PaymentPages.receiptsTable(receipts, lang, time, id: "deposit-receipts"),
        ]
        if d.status == .held && policy.has(.manageFees) {
            let blocker = try await req.store.fees.refundBlocker(d)
            var refund: [BodyNode] = []
            if let blocker { refund.append(H.el("p", [("class", "error"), ("id", "refund-blocked")], text: S.blocked.text(lang) + blocker.text(lang))) }
            refund.append(H.form(Routes.depositRefund(d.id), [("id", "refund-form")], [
                H.field(S.reason.text(lang), "refund-reason", H.input([("type", "text"), ("id", "refund-reason"), ("name", "reason"), ("maxlength", "200"),
                                                                     ("placeholder", S.refundHint.text(lang))] + (d.kind == .renovation ? [] : [("required", "required")]))),
                H.field(S.method.text(lang), "refund-method", H.select("refund-method", name: "method", PaymentPages.labels(lang), selected: PaymentMethod.cash.rawValue)),
                H.field(S.reference.text(lang), "refund-reference", H.input([("type", "text"), ("id", "refund-reference"), ("name", "reference"), ("maxlength", "80")])),
                H.button(S.refund.text(lang), [("id", "refund-submit")] + (blocker == nil ? [] : [("disabled", "disabled")])),
            ]))
            kids.append(H.el("details", [("class", "card"), ("id", "refund"), ("open", "open")], [H.el("summary", [], text: S.refund.text(lang))] + refund))
            kids.append(H.el("details", [("class", "card"), ("id", "forfeit")], [
                H.el("summary", [], text: S.forfeit.text(lang)),
                H.form(Routes.depositForfeit(d.id), [("id", "forfeit-form")], [
                    H.field(S.reason.text(lang), "forfeit-reason", H.input([("type", "text"), ("id", "forfeit-reason"), ("name", "reason"), ("required", "required"), ("maxlength", "200")])),
                    H.button(S.forfeit.text(lang), [("id", "forfeit-submit")], primary: false),
                ]),
            ]))
        }
        let communities = try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
        return Layout.page(title: Message(zh: "押金 · \(units[d.unitID] ?? "")", en: "Deposit · \(units[d.unitID] ?? "")"), request: req,
                           frame: Frame(community: community), communities: communities, kids)
    }

    struct SettleForm: Content {
        var reason: String?
        var method: String?
        var reference: String?
    }

    /// POST /deposits/:id/refund — finance; refused with the reason while the condition is not met.
    static func refund(_ req: Request) async throws -> Response {
        let d = try await PaymentAccess.deposit(req.parameters.get("id") ?? "", .manageFees, req)
        do {
            let f = try req.content.decode(SettleForm.self)
            let method = PaymentMethod(rawValue: f.method ?? "") ?? .cash
            let (_, r) = try await req.store.fees.refundDeposit(d.id, reason: f.reason ?? "", method: method, reference: f.reference ?? "", by: req.actor)
            Flash.set(req, Message(zh: "押金已退还,收据 \(r.printedNumber)", en: "Deposit refunded; receipt \(r.printedNumber)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.deposit(d.id), redirectType: .normal)
    }

    /// POST /deposits/:id/forfeit — finance, with the reason.
    static func forfeit(_ req: Request) async throws -> Response {
        let d = try await PaymentAccess.deposit(req.parameters.get("id") ?? "", .manageFees, req)
        do {
            let f = try req.content.decode(SettleForm.self)
            let (_, r) = try await req.store.fees.forfeitDeposit(d.id, reason: f.reason ?? "", by: req.actor)
            Flash.set(req, Message(zh: "押金已转扣,收据 \(r.printedNumber)", en: "Deposit forfeited; receipt \(r.printedNumber)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.deposit(d.id), redirectType: .normal)
    }
}
