import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Parking permits and access cards in pages (FD-6, S0 1.3, S4 4.17): issue for a unit with its
/// validity, renew, revoke, report lost and replace by a new number; a unit's history with each
/// pass's steps (its tamper-evident timeline); the passes ending within 30 days; a printable
/// permit for the windscreen.
enum PassPages {
    enum S {
        static let title = Message(zh: "停车证与门禁卡", en: "Permits and cards")
        static let issue = Message(zh: "办理停车证/门禁卡", en: "Issue a permit or card")
        static let kind = Message(zh: "类别", en: "Kind")
        static let number = Message(zh: "编号/卡号", en: "Number")
        static let plate = Message(zh: "车牌号(停车证)", en: "Plate (parking permit)")
        static let holder = Message(zh: "持证人", en: "Holder")
        static let validFrom = Message(zh: "有效期自", en: "Valid from")
        static let validUntil = Message(zh: "有效期至", en: "Valid until")
        static let status = Message(zh: "状态", en: "Status")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let expiring = Message(zh: "30 天内到期", en: "Ending within 30 days")
        static let noneExpiring = Message(zh: "30 天内没有到期的停车证或门禁卡。", en: "Nothing ends within 30 days.")
        static let all = Message(zh: "已发放", en: "Issued")
        static let none = Message(zh: "还没有发放记录。", en: "Nothing issued yet.")
        static let history = Message(zh: "该房屋的办理记录", en: "This unit's history")
        static let unitHistory = Message(zh: "房屋记录", en: "Unit history")
        static let renew = Message(zh: "续期", en: "Renew")
        static let newUntil = Message(zh: "续期至", en: "Renew until")
        static let revoke = Message(zh: "注销", en: "Revoke")
        static let reason = Message(zh: "注销原因", en: "Reason")
        static let lost = Message(zh: "挂失补办", en: "Report lost and replace")
        static let newNumber = Message(zh: "新编号/卡号", en: "New number")
        static let replaces = Message(zh: "补办,原证", en: "Replaces")
        static let print = Message(zh: "打印", en: "Print")
        static let printTitle = Message(zh: "车辆停放证", en: "Parking permit")
        static let saved = Message(zh: "已办理", en: "Done")
        static let printNote = Message(zh: "本证限本小区使用,请置于挡风玻璃左下方;过期、挂失或注销即作废。",
                                       en: "For this community only; display it at the lower left of the windscreen. Void once expired, reported lost or revoked.")
    }

    static func scope(_ req: Request) async throws -> ConsoleScope {
        _ = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        return try await ConsoleScope.resolve(req, .keepDutyLog)
    }

    static func stepTitle(_ kind: String) -> Message {
        switch kind {
        case "issued": Message(zh: "发放", en: "Issued")
        case "replacement_issued": Message(zh: "补办发放", en: "Issued as a replacement")
        case "renewed": Message(zh: "续期", en: "Renewed")
        case "revoked": Message(zh: "注销", en: "Revoked")
        case "lost": Message(zh: "挂失", en: "Reported lost")
        default: Message(zh: kind, en: kind)
        }
    }

    /// GET /c/:cid/passes?unit=
    static func render(_ req: Request) async throws -> Response {
        let scope = try await scope(req)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let today = time.format(req.application.propdesk.now(), "yyyy-MM-dd")
        let unit = try req.query[String.self, at: "unit"].map { try Parse.uuid($0, field: "unit") }
        if let unit {
            guard let u = try await req.store.registry.unit(unit), u.unit.communityID == c.id else { throw DomainError.notFound(Noun.unit) }
        }
        let buildings = try await req.store.registry.buildings(community: c.id)
        let expiring = try await req.store.passes.expiring(community: c.id, today: today, within: 30)
        let shown = try await req.store.passes.passes(community: c.id, unit: unit)
        let labels = try await req.store.registry.unitLabels(Set((expiring + shown).map(\.unitID)))
        var kids: [BodyNode] = [H.form(Routes.passes(c.id), [("id", "pass-form"), ("class", "card")], [
            H.el("h2", [], text: S.issue.text(lang)),
            H.field(S.kind.text(lang), "ps-kind", H.select("ps-kind", name: "kind", PassKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: PassKind.parkingPermit.rawValue)),
            DeskForms.unitFields(buildings, prefix: "ps", lang),
            H.field(S.number.text(lang), "ps-number", H.input([("type", "text"), ("id", "ps-number"), ("name", "number"), ("required", "required"), ("maxlength", "30")])),
            H.field(S.plate.text(lang), "ps-plate", H.input([("type", "text"), ("id", "ps-plate"), ("name", "plate"), ("maxlength", "10"), ("placeholder", "粤B12345")])),
            H.field(S.holder.text(lang), "ps-holder", H.input([("type", "text"), ("id", "ps-holder"), ("name", "holder"), ("required", "required"), ("maxlength", "40")])),
            H.field(S.validFrom.text(lang), "ps-from", H.input([("type", "date"), ("id", "ps-from"), ("name", "validFrom"), ("required", "required"), ("value", today)])),
            H.field(S.validUntil.text(lang), "ps-until", H.input([("type", "date"), ("id", "ps-until"), ("name", "validUntil"), ("required", "required")])),
            H.button(S.issue.text(lang), [("id", "ps-submit")]),
        ])]
        kids.append(H.el("section", [("class", "card"), ("id", "passes-expiring")], [
            H.el("h2", [], text: S.expiring.text(lang)),
            expiring.isEmpty ? H.el("p", [("class", "muted")], text: S.noneExpiring.text(lang)) : table(expiring, labels: labels, community: c.id, today: today, steps: unit == nil, lang),
        ]))
        if let unit {
            var section: [BodyNode] = [H.el("h2", [], text: "\(S.history.text(lang)) · \(labels[unit] ?? "")"),
                                       H.el("p", [], [H.link(Strings.back.text(lang), Routes.passes(c.id))])]
            section.append(shown.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : table(shown, labels: labels, community: c.id, today: today, steps: true, lang))
            for p in shown {
                let entries = try await req.store.timelines.entries(.unitPass, p.id)
                section.append(H.el("div", [("class", "pass-history"), ("id", "history-\(p.number)")], [
                    H.el("h3", [], text: "\(p.kind.title.text(lang)) \(p.number)"),
                    H.el("ol", [("class", "timeline")], entries.map { e in
                        H.el("li", [("data-event", e.kind)], text: "\(time.format(e.at)) · \(stepTitle(e.kind).text(lang)) · \(OrderViews.person(e.actorName, lang))"
                             + (e.data.isEmpty ? "" : " · " + e.data.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))
                    }),
                ]))
            }
            kids.append(H.el("section", [("class", "card"), ("id", "unit-passes")], section))
        } else {
            kids.append(H.el("section", [("class", "card"), ("id", "passes-all")], [
                H.el("h2", [], text: S.all.text(lang)),
                shown.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : table(Array(shown.prefix(300)), labels: labels, community: c.id, today: today, steps: false, lang),
            ]))
        }
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    /// Passes as rows; with `steps`, an active pass carries its renew / revoke / lost forms.
    static func table(_ passes: [UnitPass], labels: [UUID: String], community: UUID, today: String, steps: Bool, _ lang: PropDeskCore.Language) -> BodyNode {
        H.el("div", [("class", "table-wrap")], [H.el("table", [("class", "register"), ("id", steps ? "" : "passes")], [
            H.el("tr", [], [S.unit, S.kind, S.number, S.plate, S.holder, S.validUntil, S.status, Message(zh: "", en: "")].map { H.el("th", [("scope", "col")], text: $0.text(lang)) }),
        ] + passes.map { p in
            let ending = p.status == .active && p.validUntil < today
            var actions: [BodyNode] = [H.link(S.unitHistory.text(lang), Routes.passes(community, unit: p.unitID)), .text(" ")]
            if p.kind == .parkingPermit, p.status == .active { actions += [H.link(S.print.text(lang), Routes.passPrint(p.id), [("id", "print-\(p.number)")]), .text(" ")] }
            if steps, p.status == .active { actions += stepForms(p, lang) }
            return H.el("tr", [("data-pass", p.number), ("data-status", p.status.rawValue)], [
                H.el("td", [], text: labels[p.unitID] ?? ""), H.el("td", [], text: p.kind.title.text(lang)), H.el("td", [], text: p.number),
                H.el("td", [], text: p.plate), H.el("td", [], text: p.holder),
                H.el("td", [("class", ending ? "error" : "")], text: "\(p.validFrom) – \(p.validUntil)"),
                H.el("td", [], text: p.status.title.text(lang) + (p.replaces == nil ? "" : " · \(S.replaces.text(lang))")),
                H.el("td", [], actions),
            ])
        })])
    }

    static func stepForms(_ p: UnitPass, _ lang: PropDeskCore.Language) -> [BodyNode] {
        let tag = p.number.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        func form(_ step: String, _ name: String, _ label: Message, type: String, _ button: Message) -> BodyNode {
            H.form(Routes.passStep(p.id, step), [("class", "inline"), ("id", "\(step)-\(tag)")], [
                H.el("label", [("class", "sr-only"), ("for", "\(step)-\(tag)-\(name)")], text: label.text(lang)),
                H.input([("type", type), ("id", "\(step)-\(tag)-\(name)"), ("name", name), ("required", "required"), ("maxlength", "200"), ("placeholder", label.text(lang))]),
                H.el("button", [("type", "submit"), ("class", "secondary small"), ("id", "\(step)-\(tag)-go")], text: button.text(lang)),
            ])
        }
        return [form("renew", "validUntil", S.newUntil, type: "date", S.renew), form("lost", "newNumber", S.newNumber, type: "text", S.lost),
                form("revoke", "reason", S.reason, type: "text", S.revoke)]
    }

    struct IssueForm: Content {
        var kind: String?
        var buildingId: String?
        var room: String?
        var number: String?
        var plate: String?
        var holder: String?
        var validFrom: String?
        var validUntil: String?
    }

    /// POST /c/:cid/passes — a number is issued once: the same form sent twice is refused the
    /// second time with "already issued" and stored once.
    static func issue(_ req: Request) async throws -> Response {
        let cid = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        do {
            let f = try req.content.decode(IssueForm.self)
            let kind = try PassKind(rawValue: f.kind ?? "").orThrow(field: "kind", Message(zh: "请选择停车证或门禁卡", en: "Choose a parking permit or an access card"))
            let unit = try await DeskForms.unit(id: nil, building: f.buildingId, room: f.room, community: cid, req)
            let p = try await req.store.passes.issue(.init(unitID: unit, kind: kind, number: f.number ?? "", plate: f.plate ?? "", holder: f.holder ?? "",
                                                           validFrom: f.validFrom ?? "", validUntil: f.validUntil ?? ""), community: cid, by: req.actor)
            Flash.set(req, Message(zh: "\(S.saved.zhHans):\(p.kind.title.zhHans) \(p.number)", en: "\(S.saved.en): \(p.kind.title.en) \(p.number)"))
            return req.redirect(to: Routes.passes(cid, unit: unit), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.passes(cid), redirectType: .normal)
        }
    }

    /// POST /passes/:id/{renew|revoke|lost}
    static func step(_ req: Request) async throws -> Response {
        let p = try await FrontDeskAccess.pass(req.parameters.get("id") ?? "", req)
        let step = req.parameters.get("step") ?? ""
        guard ["renew", "revoke", "lost"].contains(step) else { throw DomainError.notFound(Noun.page) }
        do {
            let field = { (name: String) in (try? req.content.get(String.self, at: name)) ?? "" }
            switch step {
            case "renew":
                let r = try await req.store.passes.renew(p.id, until: field("validUntil"), by: req.actor)
                Flash.set(req, Message(zh: "\(r.number) 已续期至 \(r.validUntil)", en: "\(r.number) renewed until \(r.validUntil)"))
            case "revoke":
                let r = try await req.store.passes.revoke(p.id, reason: field("reason"), by: req.actor)
                Flash.set(req, Message(zh: "\(r.number) 已注销", en: "\(r.number) revoked"))
            default:
                let r = try await req.store.passes.replaceLost(p.id, newNumber: field("newNumber"), by: req.actor)
                Flash.set(req, Message(zh: "\(p.number) 已挂失,补办 \(r.number)", en: "\(p.number) reported lost; replaced by \(r.number)"))
            }
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.passes(p.communityID, unit: p.unitID), redirectType: .normal)
    }

    /// GET /passes/:id/print — the permit for the windscreen.
    static func print(_ req: Request) async throws -> Response {
        let p = try await FrontDeskAccess.pass(req.parameters.get("id") ?? "", req)
        guard p.kind == .parkingPermit, p.status == .active else {
            throw DomainError.conflict(code: "pass_not_printable", Message(zh: "只能打印有效的停车证", en: "Only an active parking permit can be printed"))
        }
        let lang = req.language
        let community = try await req.store.registry.community(p.communityID)
        let labels = try await req.store.registry.unitLabels([p.unitID])
        return PrintForms.sheet(req, title: S.printTitle, community: community, [
            H.el("h2", [], text: S.printTitle.text(lang)),
            PrintForms.facts([(S.number, p.number), (S.plate, p.plate), (S.unit, labels[p.unitID] ?? ""), (S.holder, p.holder),
                              (S.validFrom, p.validFrom), (S.validUntil, p.validUntil)], lang),
            H.el("p", [], text: S.printNote.text(lang)),
        ])
    }
}
