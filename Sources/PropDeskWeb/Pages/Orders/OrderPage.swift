import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 工单详情 (INT-5 … INT-19): the timeline, the clocks against their targets, photos, price and
/// acceptance, and a form for exactly the steps this person may take now. Staff, engineers on a
/// phone and residents all use this one page; what it shows follows `OrderAccess`.
enum OrderPage {
    enum S {
        static let facts = Message(zh: "工单信息", en: "Details")
        static let foundOn = Message(zh: "巡查发现于", en: "Found on patrol at")
        static let clocks = Message(zh: "时限", en: "Time limits")
        static let target = Message(zh: "目标", en: "Target")
        static let due = Message(zh: "截止", en: "Due")
        static let state = Message(zh: "状态", en: "State")
        static let round = Message(zh: "轮次", en: "Round")
        static let timeline = Message(zh: "处理过程", en: "Timeline")
        static let actions = Message(zh: "可以进行的操作", en: "What you can do now")
        static let noActions = Message(zh: "当前没有需要您处理的操作。", en: "Nothing for you to do on this order now.")
        static let context = Message(zh: "该房屋的其他情况", en: "This unit")
        static let openOrders = Message(zh: "未完成工单", en: "Open orders")
        static let complaints = Message(zh: "近期投诉", en: "Recent complaints")
        static let arrearsUnknown = Message(zh: "欠费情况暂时无法读取(不影响受理)", en: "Arrears could not be read just now (never blocks a request)")
        static let noArrears = Message(zh: "无欠费", en: "No arrears")
        static let neverBlocks = Message(zh: "仅供参考,不影响受理", en: "for information; never blocks a request")
        static let call = Message(zh: "拨打业户电话", en: "Call the resident")
        static let money = Message(zh: "有偿服务费用", en: "Paid service")
        static let listPrice = Message(zh: "价目表价格", en: "List price")
        static let agreed = Message(zh: "约定价格", en: "Agreed price")
        static let extras = Message(zh: "追加费用", en: "Extras")
        static let total = Message(zh: "合计", en: "Total")
        static let receipt = Message(zh: "收据号", en: "Receipt")
        static let rated = Message(zh: "业户评价", en: "Resident's rating")
        static let owner = Message(zh: "投诉负责人", en: "Complaint owner")
        static let printDispatch = Message(zh: "打印派工单", en: "Print dispatch sheet")
        static let printFeedback = Message(zh: "打印反馈单", en: "Print feedback form")
        static let amountYuan = Message(zh: "金额(元)", en: "Amount (yuan)")
        static let consentBy = Message(zh: "同意人(业户姓名)", en: "Agreed by (resident)")
        static let method = Message(zh: "回访方式", en: "Method")
        static let byPhone = Message(zh: "电话", en: "Phone")
        static let inPerson = Message(zh: "上门", en: "In person")
        static let satisfied = Message(zh: "业户是否满意", en: "Is the resident satisfied?")
        static let yes = Message(zh: "满意", en: "Satisfied")
        static let no = Message(zh: "不满意", en: "Not satisfied")
        static let answer = Message(zh: "业户原话", en: "Resident's answer")
        static let ifBad = Message(zh: "不满意时", en: "If not satisfied")
        static let toReopen = Message(zh: "重新处理", en: "Reopen")
        static let toComplaint = Message(zh: "转为投诉", en: "Open a complaint")
        static let dispatchTo = Message(zh: "派给", en: "Dispatch to")
        static let byRule = Message(zh: "按规则派工", en: "Dispatch by rule")
        static let toPool = Message(zh: "放入抢单池", en: "Open for taking")
        static let handTo = Message(zh: "请把手机交给业户验收并评分", en: "Hand the phone to the resident to sign off and rate")
        static let stars = Message(zh: "星", en: "stars")
        static let caption = Message(zh: "照片说明", en: "Caption")
        static let noPhotos = Message(zh: "还没有照片。", en: "No photos yet.")
        static let incident = Message(zh: "关联突发事件", en: "Incident")
        static let parent = Message(zh: "原工单", en: "Original order")
        static let complaintLink = Message(zh: "由此产生的投诉", en: "Complaint opened from this")
        static let heldFor = Message(zh: "挂起原因", en: "On hold because")
        static let photoAlt = Message(zh: "工单照片", en: "Order photo")
        static let withdraw = Message(zh: "撤销工单", en: "Withdraw the order")
        static let verdict = Message(zh: "验收结果", en: "Your verdict")
        static let accept = Message(zh: "验收通过", en: "Accept the work")
        static let rejectIt = Message(zh: "验收不通过(请写明原因)", en: "Reject it (say why)")
        static let commentOrReason = Message(zh: "评价或不通过的原因", en: "Comment, or why it is rejected")
        static let residentSigns = Message(zh: "请业户在框内签名", en: "Resident, please sign in the box")
        static let confirm = Message(zh: "确认", en: "Confirm")
        static let onDevice = Message(zh: "业户本人签字(在 %@ 的手机上)", en: "Signed by the resident on %@'s phone")
        static let withdrawMistake = Message(zh: "撤销误登的投诉", en: "Withdraw a complaint logged by mistake")
        static let answerGiven = Message(zh: "答复内容", en: "The answer given")
        static let opinion = Message(zh: "处理意见", en: "Findings and action taken")
        static let replyToResident = Message(zh: "回复业主", en: "Answer to the resident")
    }

    static func render(_ req: Request) async throws -> Response {
        let (order, p) = try await OrderAccess.load(req.parameters.get("oid") ?? "", req)
        guard let d = try await req.store.orders.detail(order.id) else { throw DomainError.notFound(Noun.order) }
        let lang = req.language
        let o = d.order
        let community = try await req.store.registry.community(o.communityID)
        let time = LocalTime(community?.timeZone ?? d.contract.hours.timeZone)
        let now = req.application.propdesk.now()
        let units = try await OrderViews.unitLabels([o], req)
        let photos = try await req.store.photos.photos(order: o.id)
        let files = try await req.store.evidence.list(.workOrder, o.id)
        let current = d.clocks.currentRound
        let callbackOpen = d.alerts.contains { $0.kind == .callback && $0.acknowledgedAt == nil } && OrderStatus.awaitingArrival.contains(o.status)
        let allowed = OrderAccess.allowed(o, clocks: current, contract: d.contract, principal: p).filter { $0 != "call-back" || callbackOpen }
        let engineers = allowed.contains(where: { ["dispatch", "reassign"].contains($0) }) ? try await req.store.orders.workload(community: o.communityID) : []
        let fullPhone = o.assigneeID == p.userID || p.role == .resident
        let path = Routes.order(o.id)

        var head: [BodyNode] = [
            OrderViews.statusBadge(o.status, lang), OrderViews.priorityBadge(o.priority, lang),
            H.el("span", [("class", "badge")], text: o.kind.title.text(lang)), H.el("span", [("class", "badge")], text: o.category.title.text(lang)),
        ]
        if let k = o.emergencyKeyword { head.append(H.el("span", [("class", "badge emergency")], text: "⚠ \(k)")) }
        if let c = OrderViews.headline(current) { head.append(OrderViews.clock(c, now: now, hours: d.contract.hours, lang)) }

        var facts: [(Message, String)] = [
            (Strings.unit, OrderViews.place(o, units: units)), (Strings.description, o.description),
            (Strings.contact, [o.contactName, fullPhone ? o.contactPhone : Mask.phone(o.contactPhone)].filter { !$0.isEmpty }.joined(separator: " ")),
            (Strings.channel, o.channel.title.text(lang)), (Strings.takenBy, OrderViews.person(o.createdByName, lang)), (Strings.received, time.format(o.createdAt)),
            (Strings.assignee, o.assigneeName ?? (o.inPool ? Strings.pool.text(lang) : Strings.nobody.text(lang))),
        ]
        if let e = o.expectedAt { facts.append((Strings.expectedAt, time.format(e))) }
        if let owner = o.ownerName { facts.append((S.owner, owner)) }
        if let r = o.holdReason, o.status == .onHold { facts.append((S.heldFor, r)) }
        var factNodes: [BodyNode] = facts.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) }
        for (label, id) in [(S.parent, o.parentID), (S.complaintLink, o.complaintID)] where p.role != .resident {
            if let id, let linked = try await req.store.orders.order(id) {
                factNodes.append(H.el("div", [], [H.el("dt", [], text: label.text(lang)), H.el("dd", [], [H.link(linked.number, Routes.order(id))])]))
            }
        }
        // A patrol finding links back to its checkpoint and round (FLD-3).
        if o.channel == .patrol, p.role != .resident, let (f, c) = try await req.store.patrols.finding(order: o.id), let v = try await req.store.patrols.visit(f.visitID) {
            factNodes.append(H.el("div", [("id", "patrol-finding")], [H.el("dt", [], text: S.foundOn.text(lang)), H.el("dd", [], [
                .text("\(c.name) · \(c.code) · \(c.items.first { $0.id == f.itemID }?.text ?? "") "),
                H.link(PatrolPages.S.round.text(lang), Routes.patrolRound(v.roundID) + "#visit-\(v.id.uuidString.prefix(8))"),
            ])]))
        }
        // A request raised on a household visit links back to the visit's records (FLD-5).
        if o.channel == .householdVisit, p.role != .resident, let v = try await req.store.visits.visit(order: o.id) {
            factNodes.append(H.el("div", [("id", "visit-origin")], [H.el("dt", [], text: PropDeskCore.Channel.householdVisit.title.text(lang)), H.el("dd", [], [
                .text("\(OrderViews.person(v.byName, lang)) · \(v.mode.title.text(lang)) · \(v.met) "),
                H.link(VisitPages.S.records.text(lang), Routes.communityVisits(v.communityID, area: v.areaID)),
            ])]))
        }
        if !fullPhone, !o.contactPhone.isEmpty, p.role != .resident, AccessPolicy(p).has(.revealPhone) {
            factNodes.append(H.el("div", [], [H.el("dt", [], text: ""), H.el("dd", [], [H.form(Routes.revealPhone(o.id), [("class", "inline reveal-phone"), ("id", "reveal-phone")], [
                H.el("label", [("for", "reveal-purpose")], text: CallbackTasks.S.purpose.text(lang)),
                H.input([("type", "text"), ("name", "purpose"), ("id", "reveal-purpose"), ("maxlength", "200"), ("required", "required")]),
                H.hidden("back", path),
                H.el("button", [("type", "submit"), ("class", "secondary small")], text: CallbackTasks.S.reveal.text(lang)),
            ])])]))
        }
        if fullPhone, !o.contactPhone.isEmpty, p.role != .resident {
            factNodes.append(H.el("div", [], [H.el("dt", [], text: ""), H.el("dd", [], [H.link(S.call.text(lang), "tel:\(o.contactPhone)", [("class", "button"), ("id", "call-resident")])])]))
        }

        var kids: [BodyNode] = [
            H.el("div", [("class", "order-head"), ("id", "order-head")], head),
            H.el("div", [("class", "order-grid")], [
                H.el("section", [("class", "card"), ("id", "actions")], [H.el("h2", [], text: S.actions.text(lang))] + actions(allowed, o, engineers, path, lang, p)),
                H.el("section", [("class", "card")], [H.el("h2", [], text: S.facts.text(lang)), H.el("dl", [("class", "facts")], factNodes)]),
            ]),
        ]
        if o.listPrice != nil || o.agreedPrice != nil {
            var money: [(Message, String)] = []
            if let l = o.listPrice { money.append((S.listPrice, Money.yuan(l))) }
            if let a = o.agreedPrice { money.append((S.agreed, Money.yuan(a))) }
            if o.extras > 0 { money.append((S.extras, Money.yuan(o.extras))) }
            if let t = o.total { money.append((S.total, Money.yuan(t))) }
            if let r = o.receiptNumber { money.append((S.receipt, r)) }
            kids.append(H.el("section", [("class", "card"), ("id", "money")], [H.el("h2", [], text: S.money.text(lang)),
                H.el("dl", [("class", "facts")], money.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) })]))
        }
        if let r = o.rating {
            kids.append(H.el("section", [("class", "card"), ("id", "rating")], [H.el("h2", [], text: S.rated.text(lang)),
                H.el("p", [("class", "stars"), ("aria-label", "\(r)/5")], text: String(repeating: "★", count: r) + String(repeating: "☆", count: 5 - r)),
                H.el("p", [], text: o.ratingComment ?? "")]))
        }
        if p.role == .resident {
            // A plain status with the next step and when, instead of the center's clock table.
            kids.insert(H.el("p", [("class", "notice next-step"), ("id", "next-step")], text: nextStep(o, clock: OrderViews.headline(current), time: time).text(lang)), at: 1)
        } else {
        kids.append(H.el("section", [("class", "card")], [
            H.el("h2", [], text: S.clocks.text(lang)),
            H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "clocks")], [
                H.el("tr", [], [S.round, Strings.kind, S.target, S.due, S.state].map { H.el("th", [("scope", "col")], text: $0.text(lang)) }),
            ] + d.clocks.filter { $0.kind != .callback }.map { c in
                H.el("tr", [], [
                    H.el("td", [("class", "num")], text: String(c.round)), H.el("td", [], text: c.kind.title.text(lang)),
                    H.el("td", [("class", "num")], text: OrderViews.duration(c.targetSeconds, lang)), H.el("td", [], text: time.format(c.dueAt)),
                    H.el("td", [], [OrderViews.clock(c, now: now, hours: d.contract.hours, lang)]),
                ])
            })]),
        ]))
        }
        kids.append(photoSection(photos, o, path, lang))
        kids.append(EvidencePages.section(files, subject: PhotoStore.subject(o), canAdd: ![.closed, .cancelled].contains(o.status), time: time, lang))
        kids.append(H.el("section", [("class", "card")], [
            H.el("h2", [], text: S.timeline.text(lang)),
            H.el("ol", [("class", "timeline"), ("id", "timeline")], d.events.filter { p.role != .resident || $0.isShownToResidents }.map { e in
                H.el("li", [("data-event", e.kind.rawValue)], [
                    H.el("time", [("datetime", ISO.string(e.at))], text: time.format(e.at, "MM-dd HH:mm")),
                    H.el("strong", [], text: e.kind.title.text(lang)),
                    H.el("span", [("class", "muted")], text: e.data["onResidentDevice"] == "true"
                         ? String(format: S.onDevice.text(lang), OrderViews.person(e.actorName, lang)) : OrderViews.person(e.actorName, lang)),
                ] + ((e.note ?? "").isEmpty ? [] : [H.el("div", [("class", "note")], text: e.note ?? "")]))
            }),
        ]))
        if p.role != .resident {
            if !d.alerts.isEmpty {
                kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: Strings.alerts.text(lang)), AlertViews.list(d.alerts, time: time, back: path, lang)]))
            }
            if let c = d.context {
                kids.append(contextSection(c, unit: o.unitID, lang, residentFile: AccessPolicy(p).has(.readResidentFiles), money: AccessPolicy(p).has(.readFees)))
            }
            kids.append(H.el("p", [("class", "print-links")], [
                H.link(S.printDispatch.text(lang), "\(path)/print/dispatch", [("id", "print-dispatch")]), .text(" · "),
                H.link(S.printFeedback.text(lang), "\(path)/print/feedback", [("id", "print-feedback")]),
            ]))
        }
        var frame = Frame(community: community, live: true, bodyClass: "order-page")
        frame.bodyClass += p.role == .resident ? " resident" : ""
        return Layout.page(title: Message(zh: "工单 \(o.number)", en: "Order \(o.number)"), request: req, frame: frame,
                           [H.el("div", [("id", "live-region"), ("data-order", o.id.uuidString), ("data-refresh", path)], kids)])
    }

    /// Buttons in sentence case: the actions' titles are written to sit inside a sentence
    /// ("you cannot accept now"), a button starts with a capital.
    static func sentence(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    /// What happens next, for the resident, in plain words with the time it is due.
    static func nextStep(_ o: WorkOrder, clock: SLAClock?, time: LocalTime) -> Message {
        let by = clock.map { time.format($0.dueAt, "MM-dd HH:mm") }
        let who = o.assigneeName ?? ""
        switch o.status {
        case .received:
            return Message(zh: "服务中心已收到,正在安排人员" + (by.map { ",\($0) 前答复您" } ?? "") + "。",
                           en: "The service center has it and is finding someone" + (by.map { "; you hear from us by \($0)" } ?? "") + ".")
        case .dispatched, .accepted, .contacted:
            if clock?.kind == .arrival {
                return Message(zh: "\(who.isEmpty ? "维修人员" : who) 将上门处理" + (by.map { ",预计 \($0) 前到场" } ?? "") + "。",
                               en: "\(who.isEmpty ? "An engineer" : who) is coming" + (by.map { ", on site by \($0)" } ?? "") + ".")
            }
            return Message(zh: "\(who.isEmpty ? "服务中心" : who) 正在处理" + (by.map { ",预计 \($0) 前完成" } ?? "") + "。",
                           en: "\(who.isEmpty ? "The service center" : who) is working on it" + (by.map { "; done by \($0)" } ?? "") + ".")
        case .onSite: return Message(zh: "维修人员已到场处理。", en: "The engineer is on site.")
        case .completed: return Message(zh: "已完成,请验收并评价;如有问题请选择验收不通过。", en: "Done: please sign off and rate it, or reject it if something is wrong.")
        case .visitPending: return Message(zh: "已处理完毕,服务中心会回访您。", en: "Done; the service center will call you to check.")
        case .closed: return Message(zh: "已办结。" + (o.outcome.map { "答复:\($0)" } ?? ""), en: "Closed." + (o.outcome.map { " Answer: \($0)" } ?? ""))
        case .cancelled: return Message(zh: "已撤销。", en: "Withdrawn.")
        case .onHold: return Message(zh: "暂缓处理:\(o.holdReason ?? "")", en: "On hold: \(o.holdReason ?? "")")
        }
    }

    /// The unit's arrears (INT-17) for staff who may see money; nothing at all for the others.
    static func arrearsLine(_ c: WorkOrderStore.UnitContext, unit: UUID?, _ lang: Language) -> BodyNode {
        guard let fen = c.arrearsFen else { return H.el("p", [("class", "muted"), ("id", "unit-arrears")], text: S.arrearsUnknown.text(lang)) }
        guard fen > 0 else { return H.el("p", [("class", "muted"), ("id", "unit-arrears")], text: "\(S.noArrears.text(lang))(\(S.neverBlocks.text(lang)))") }
        let months = c.arrearsMonths ?? 0
        let long = months > UnitArrears.longTermMonths
        let text = Message(zh: "欠费 \(Money.yuan(fen)),共 \(months) 个月\(long ? "(长期欠费)" : "")", en: "Arrears \(Money.yuan(fen)) over \(months) months\(long ? " (long term)" : "")")
        return H.el("p", [("class", long ? "arrears long-term" : "arrears"), ("id", "unit-arrears")], [
            H.el("strong", [], text: text.text(lang)), .text("(\(S.neverBlocks.text(lang)))"),
        ] + (unit.map { [.text(" "), H.link(Message(zh: "催缴记录", en: "Reminders").text(lang), Routes.unitReminders($0))] } ?? []))
    }

    static func contextSection(_ c: WorkOrderStore.UnitContext, unit: UUID?, _ lang: Language, residentFile: Bool = false, money: Bool = false) -> BodyNode {
        func list(_ orders: [WorkOrder]) -> BodyNode {
            orders.isEmpty ? H.el("p", [("class", "muted")], text: Strings.nothing.text(lang))
                : H.el("ul", [], orders.map { o in
                    H.el("li", [], [H.link(o.number, Routes.order(o.id)), .text(" \(o.status.title.text(lang)) · \(o.description.prefix(40))")])
                })
        }
        return H.el("section", [("class", "card"), ("id", "unit-context")], [
            H.el("h2", [], text: S.context.text(lang)),
            H.el("h3", [], text: S.openOrders.text(lang)), list(c.openOrders),
            H.el("h3", [], text: S.complaints.text(lang)), list(c.recentComplaints),
        ] + (money ? [arrearsLine(c, unit: unit, lang)] : [])
          + (unit.map { [H.el("p", [], [H.link(OrderSearchPage.S.history.text(lang), Routes.unitHistory($0), [("class", "unit-history")])])] } ?? [])
          + (residentFile ? unit.map { [H.el("p", [], [H.link(ResidentFilePages.S.link.text(lang), Routes.residentFile($0), [("class", "resident-file-link")])])] } ?? [] : []))
    }

    static func photoSection(_ photos: [OrderPhoto], _ o: WorkOrder, _ path: String, _ lang: Language) -> BodyNode {
        var kids: [BodyNode] = [H.el("h2", [], text: Strings.photos.text(lang))]
        kids.append(photos.isEmpty ? H.el("p", [("class", "muted")], text: S.noPhotos.text(lang)) : H.el("div", [("class", "photos"), ("id", "photos")], photos.map { ph in
            H.el("figure", [], [
                H.el("a", [("href", "\(path)/photos/\(ph.id.uuidString)")], [
                    .selfClosedElement(named: "img", attributes: [.init(name: "src", value: "\(path)/photos/\(ph.id.uuidString)"),
                                                                  .init(name: "alt", value: ph.caption.isEmpty ? S.photoAlt.text(lang) : ph.caption),
                                                                  .init(name: "loading", value: "lazy")]),
                ]),
                H.el("figcaption", [], text: [ph.caption, OrderViews.person(ph.uploadedByName, lang)].filter { !$0.isEmpty }.joined(separator: " · ")),
            ])
        }))
        if ![.closed, .cancelled].contains(o.status) {
            kids.append(H.form("\(path)/photos", [("enctype", "multipart/form-data"), ("class", "inline-form"), ("id", "photo-form")], [
                H.field(Strings.addPhotos.text(lang), "photo-files", H.input([("type", "file"), ("id", "photo-files"), ("name", "photos[]"), ("accept", "image/*"), ("multiple", "multiple")])),
                H.field(S.caption.text(lang), "photo-caption", H.input([("type", "text"), ("id", "photo-caption"), ("name", "caption"), ("maxlength", "200")])),
                H.hidden("back", path),
                H.button(Strings.upload.text(lang), [("id", "photo-upload")], primary: false),
            ]))
        }
        return H.el("section", [("class", "card")], kids)
    }

    // MARK: Action forms: one per step this person may take now, and only those.

    static func actions(_ allowed: [String], _ o: WorkOrder, _ engineers: [(Assignee, Int)], _ path: String, _ lang: Language, _ p: Principal) -> [BodyNode] {
        guard !allowed.isEmpty else { return [H.el("p", [("class", "muted"), ("id", "no-actions")], text: S.noActions.text(lang))] }
        func step(_ name: String, _ title: Message, _ fields: [BodyNode] = [], primary: Bool = true, multipart: Bool = false) -> BodyNode {
            H.form("\(path)/step/\(name)", [("class", "step"), ("id", "step-\(name)")] + (multipart ? [("enctype", "multipart/form-data")] : []),
                   fields + [H.hidden("back", path), H.button(sentence(title.text(lang)), [("id", "do-\(name)")], primary: primary)])
        }
        func text(_ name: String, _ label: Message, _ id: String, required: Bool = false, area: Bool = false) -> BodyNode {
            let attrs: [(String, String)] = [("id", id), ("name", name), ("maxlength", "1000")] + (required ? [("required", "required")] : [])
            return H.field(label.text(lang), id, area ? H.el("textarea", attrs + [("rows", "2")], []) : H.input([("type", "text")] + attrs))
        }
        func stars(_ id: String) -> BodyNode {
            H.el("fieldset", [("class", "stars-input"), ("id", id)], [H.el("legend", [], text: Strings.rating.text(lang))] + (1...5).reversed().map { n in
                H.el("label", [("class", "star")], [
                    H.input([("type", "radio"), ("name", "rating"), ("value", String(n)), ("id", "\(id)-\(n)"), ("required", "required")]),
                    .text(" \(n) \(S.stars.text(lang))"),
                ])
            })
        }
        let people = engineers.map { ($0.0.id.uuidString, "\($0.0.name) (\($0.1))") }
        var out: [BodyNode] = []
        let title = { (a: OrderAction) in a.title }
        for name in allowed {
            switch name {
            case "dispatch":
                out.append(H.form("\(path)/step/dispatch", [("class", "step"), ("id", "step-dispatch")], [
                    H.field(S.dispatchTo.text(lang), "dispatch-to", H.select("dispatch-to", name: "assigneeId", people, selected: nil)),
                    H.hidden("back", path),
                    H.el("button", [("type", "submit"), ("name", "mode"), ("value", "person"), ("class", "primary"), ("id", "do-dispatch")], text: sentence(OrderAction.dispatch(Assignee(id: UUID(), name: "")).title.text(lang))),
                    H.el("button", [("type", "submit"), ("name", "mode"), ("value", "rule"), ("class", "secondary"), ("id", "do-dispatch-rule")], text: S.byRule.text(lang)),
                    H.el("button", [("type", "submit"), ("name", "mode"), ("value", "pool"), ("class", "secondary"), ("id", "do-dispatch-pool")], text: S.toPool.text(lang)),
                ]))
            case "take": out.append(step("take", title(.take(Assignee(id: UUID(), name: "")))))
            case "reassign":
                out.append(step("reassign", title(.reassign(Assignee(id: UUID(), name: ""), reason: "")), [
                    H.field(S.dispatchTo.text(lang), "reassign-to", H.select("reassign-to", name: "assigneeId", people, selected: o.assigneeID?.uuidString)),
                    text("reason", Strings.reason, "reassign-reason", required: true),
                ], primary: false))
            case "accept": out.append(step("accept", title(.accept)))
            case "contact": out.append(step("contact", title(.contact(note: "")), [text("note", Strings.note, "contact-note")], primary: false))
            case "check-in": out.append(step("check-in", title(.checkIn)))
            case "complete":
                out.append(step("complete", title(.complete(note: "")), [
                    text("note", Strings.note, "complete-note", required: true, area: true),
                    H.field(Strings.photos.text(lang), "complete-photos", H.input([("type", "file"), ("id", "complete-photos"), ("name", "photos[]"), ("accept", "image/*"), ("multiple", "multiple"), ("capture", "environment")])),
                ], multipart: true))
            case "sign-off" where p.role != .resident:
                // On the engineer's phone, handed to the resident: one choice, one set of stars,
                // the resident's own signature (INT-11).
                out.append(H.form("\(path)/step/handover", [("class", "step handover"), ("id", "step-handover")], [
                    H.el("p", [("class", "notice")], text: S.handTo.text(lang)),
                    H.el("fieldset", [("class", "choice"), ("id", "handover-choice")], [
                        H.el("legend", [], text: S.verdict.text(lang)),
                        H.el("label", [], [H.input([("type", "radio"), ("name", "verdict"), ("value", "accept"), ("id", "verdict-accept"), ("checked", "checked")]), .text(" " + S.accept.text(lang))]),
                        H.el("label", [], [H.input([("type", "radio"), ("name", "verdict"), ("value", "reject"), ("id", "verdict-reject")]), .text(" " + S.rejectIt.text(lang))]),
                    ]),
                    stars("handover-rating"),
                    text("comment", S.commentOrReason, "handover-comment"),
                    H.field(EvidencePages.S.signer.text(lang), "handover-signer", H.input([("type", "text"), ("id", "handover-signer"), ("name", "signedBy"), ("maxlength", "50"),
                                                                                           ("value", o.contactName)])),
                    H.el("p", [("class", "muted")], text: S.residentSigns.text(lang)),
                    H.el("canvas", [("id", "handover-pad"), ("class", "signature-pad"), ("width", "600"), ("height", "200"), ("aria-label", EvidencePages.S.signHere.text(lang))]),
                    H.hidden("signature", ""), H.hidden("back", path),
                    H.el("div", [("class", "row")], [
                        H.el("button", [("type", "button"), ("class", "secondary small signature-clear"), ("id", "handover-clear")], text: EvidencePages.S.clear.text(lang)),
                        H.button(S.confirm.text(lang), [("id", "do-handover")]),
                    ]),
                ]))
            case "reject" where p.role != .resident:
                break
            case "sign-off", "reject":
                let isSign = name == "sign-off"
                var fields: [BodyNode] = []
                if isSign && p.role != .resident { fields.append(H.el("p", [("class", "notice")], text: S.handTo.text(lang))) }
                fields.append(stars("\(name)-rating"))
                fields.append(text("comment", Strings.comment, "\(name)-comment", required: !isSign))
                out.append(step(name, isSign ? title(.signOff(rating: 5, comment: "", onResidentDevice: true)) : title(.reject(rating: 1, comment: "", onResidentDevice: true)),
                                fields, primary: isSign))
            case "return-visit":
                out.append(step("return-visit", title(.returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: ""))), [
                    H.field(S.method.text(lang), "visit-method", H.select("visit-method", name: "method", [("phone", S.byPhone.text(lang)), ("in_person", S.inPerson.text(lang))], selected: "phone")),
                    H.field(S.satisfied.text(lang), "visit-satisfied", H.select("visit-satisfied", name: "satisfied", [("yes", S.yes.text(lang)), ("no", S.no.text(lang))], selected: "yes")),
                    text("answer", S.answer, "visit-answer", required: true),
                    H.field(S.ifBad.text(lang), "visit-bad", H.select("visit-bad", name: "onDissatisfied", [("reopen", S.toReopen.text(lang)), ("complaint", S.toComplaint.text(lang))], selected: "reopen")),
                ]))
            case "hold": out.append(step("hold", title(.hold(reason: "")), [text("reason", Strings.reason, "hold-reason", required: true)], primary: false))
            case "resume": out.append(step("resume", title(.resume)))
            case "cancel":
                // Out of the way: withdrawing is never the first button a clerk sees.
                let mistake = o.kind == .complaint
                out.append(H.el("details", [("class", "withdraw"), ("id", "withdraw")], [
                    H.el("summary", [], text: (mistake ? S.withdrawMistake : S.withdraw).text(lang)),
                    step("cancel", mistake ? S.withdrawMistake : title(.cancel(reason: "")),
                         [text("reason", Strings.reason, "cancel-reason", required: true)] + (mistake ? [H.hidden("loggedByMistake", "yes")] : []), primary: false),
                ]))
            case "answer":
                out.append(step("answer", title(.answer(note: "")), [text("answer", S.answerGiven, "answer-text", required: true, area: true)]))
            case "reply":
                out.append(step("reply", title(.reply(opinion: "", reply: "")), [
                    text("opinion", S.opinion, "reply-opinion", required: true, area: true),
                    text("reply", S.replyToResident, "reply-text", required: true, area: true),
                ]))
            case "call-back":
                out.append(H.el("div", [("class", "step"), ("id", "step-call-back")], CallbackTasks.forms(o, back: path, canReveal: false, lang)))
            case "reopen": out.append(step("reopen", title(.reopen(reason: "")), [text("reason", Strings.reason, "reopen-reason", required: true)], primary: false))
            case "price": out.append(step("price", title(.agreePrice(fen: 0)), [text("amount", S.amountYuan, "price-amount", required: true)], primary: false))
            case "extras":
                out.append(step("extras", title(.addExtra(fen: 0, note: "", consentBy: "")), [
                    text("amount", S.amountYuan, "extra-amount", required: true), text("note", Strings.note, "extra-note", required: true),
                    text("consentBy", S.consentBy, "extra-consent", required: true),
                ], primary: false))
            case "settle": out.append(step("settle", title(.settle(receipt: "")), [text("receipt", S.receipt, "settle-receipt", required: true)]))
            default: break
            }
        }
        return out
    }
}
