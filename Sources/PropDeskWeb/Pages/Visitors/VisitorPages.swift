import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Visitor reception in pages (FD-7, S1 篇三): register a visitor at the desk, the visitors
/// still inside with a button to sign them out, the day's register. ID numbers are shown masked
/// everywhere; a role that may reveal them gives a purpose and the store audits the reveal
/// (SEC-3); the whole number is shown once, on its own page, never kept in the session.
enum VisitorPages {
    enum S {
        static let title = Message(zh: "来访登记", en: "Visitors")
        static let register = Message(zh: "登记来访", en: "Register a visitor")
        static let name = Message(zh: "访客姓名", en: "Visitor's name")
        static let idType = Message(zh: "证件类型", en: "ID document")
        static let idNumber = Message(zh: "证件号码", en: "ID number")
        static let visits = Message(zh: "拜访对象", en: "Visiting")
        static let host = Message(zh: "被访人", en: "Whom they visit")
        static let purpose = Message(zh: "来访事由", en: "Purpose")
        static let phone = Message(zh: "联系电话", en: "Phone")
        static let inside = Message(zh: "尚未离开", en: "Still inside")
        static let noneInside = Message(zh: "今天登记的访客都已离开。", en: "Everyone registered today has left.")
        static let day = Message(zh: "当日来访", en: "The day's visitors")
        static let none = Message(zh: "当日没有来访登记。", en: "No visitors registered that day.")
        static let inAt = Message(zh: "来访时间", en: "In")
        static let outAt = Message(zh: "离开时间", en: "Out")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let by = Message(zh: "登记人", en: "Registered by")
        static let leave = Message(zh: "离开", en: "Sign out")
        static let reveal = Message(zh: "查看完整证件号", en: "Show the whole ID number")
        static let revealPurpose = Message(zh: "查看原因", en: "Purpose of the reveal")
        static let revealed = Message(zh: "完整证件号码(本次查看已记录)", en: "Whole ID number (this view is recorded)")
        static let registered = Message(zh: "已登记来访", en: "Visitor registered")
        static let left = Message(zh: "已登记离开", en: "Signed out")
        static let purposeNeeded = Message(zh: "请说明查看完整证件号的原因", en: "Say why the whole number is needed")
    }

    static func scope(_ req: Request) async throws -> ConsoleScope {
        _ = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        return try await ConsoleScope.resolve(req, .keepDutyLog)
    }

    /// GET /c/:cid/visitors?day=
    static func render(_ req: Request) async throws -> Response {
        let scope = try await scope(req)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let key = try DutyLogPages.dayKey(req, c)
        let today = key == time.format(req.application.propdesk.now(), "yyyy-MM-dd")
        guard let range = WorkingDays(ServiceHours(timeZone: c.timeZone)).day(key) else { throw DomainError.notFound(Noun.page) }
        let list = try await req.store.visitors.visitors(community: c.id, from: range.start, until: range.end)
        let labels = try await req.store.registry.unitLabels(Set(list.compactMap(\.unitID)))
        let buildings = try await req.store.registry.buildings(community: c.id)
        let mayReveal = scope.policy.has(.revealIDNumber)
        var kids: [BodyNode] = []
        kids.append(H.form(Routes.visitors(c.id), [("id", "visitor-form"), ("class", "card")], [
            H.el("h2", [], text: S.register.text(lang)),
            H.hidden("visitorId", UUID().uuidString),
            H.field(S.name.text(lang), "vi-name", H.input([("type", "text"), ("id", "vi-name"), ("name", "name"), ("required", "required"), ("maxlength", "40")])),
            H.field(S.idType.text(lang), "vi-id-type", H.select("vi-id-type", name: "idType", IDDocumentType.allCases.filter { $0 != .businessLicence }.map { ($0.rawValue, DeskForms.title($0).text(lang)) },
                                                                selected: IDDocumentType.residentID.rawValue)),
            H.field(S.idNumber.text(lang), "vi-id-number", H.input([("type", "text"), ("id", "vi-id-number"), ("name", "idNumber"), ("required", "required"), ("maxlength", "30"), ("autocomplete", "off")])),
            H.el("h3", [], text: S.visits.text(lang)),
            DeskForms.unitFields(buildings, prefix: "vi", required: false, lang),
            H.field(S.host.text(lang), "vi-host", H.input([("type", "text"), ("id", "vi-host"), ("name", "host"), ("required", "required"), ("maxlength", "60")])),
            H.field(S.purpose.text(lang), "vi-purpose", H.input([("type", "text"), ("id", "vi-purpose"), ("name", "purpose"), ("required", "required"), ("maxlength", "200")])),
            H.field(S.phone.text(lang), "vi-phone", H.input([("type", "tel"), ("id", "vi-phone"), ("name", "phone"), ("maxlength", "20")])),
            H.button(S.register.text(lang), [("id", "vi-submit")]),
        ]))
        if today {
            let inside = list.filter(\.inside)
            kids.append(H.el("section", [("class", "card"), ("id", "visitors-inside")], [
                H.el("h2", [], text: "\(S.inside.text(lang)) (\(inside.count))"),
                inside.isEmpty ? H.el("p", [("class", "muted")], text: S.noneInside.text(lang)) : H.el("ul", [], inside.map { v in
                    H.el("li", [("data-visitor", v.id.uuidString)], [
                        .text("\(time.format(v.inAt, "HH:mm")) · \(v.name) · \(DeskForms.title(v.idType).text(lang)) \(v.idNumberMasked) · \(v.unitID.flatMap { labels[$0] } ?? "") \(v.host) "),
                        leaveForm(v, back: Routes.visitors(c.id), lang),
                    ])
                }),
            ]))
        }
        kids.append(H.el("form", [("method", "get"), ("action", Routes.visitors(c.id)), ("class", "inline")], [
            H.el("label", [("for", "visitor-day"), ("class", "sr-only")], text: S.day.text(lang)),
            H.input([("type", "date"), ("name", "day"), ("value", key), ("id", "visitor-day")]), H.button("→", primary: false),
        ]))
        kids.append(H.el("section", [("class", "card"), ("id", "visitors-day")], [H.el("h2", [], text: "\(S.day.text(lang)) · \(key)"), table(list, labels: labels, time: time,
            mayReveal: mayReveal, back: Routes.visitors(c.id, day: key), lang)]))
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func leaveForm(_ v: Visitor, back: String, prefix: String = "leave", _ lang: PropDeskCore.Language) -> BodyNode {
        H.form(Routes.visitorLeave(v.id), [("class", "inline"), ("id", "\(prefix)-\(v.id.uuidString.prefix(8))")], [
            H.hidden("back", back),
            H.el("button", [("type", "submit"), ("class", "secondary small"), ("id", "\(prefix)-\(v.id.uuidString.prefix(8))-go")], text: S.leave.text(lang)),
        ])
    }

    /// The day's register; also the resident file's list of a unit's visitors (masked numbers only).
    static func table(_ list: [Visitor], labels: [UUID: String], time: LocalTime, mayReveal: Bool, back: String, _ lang: PropDeskCore.Language) -> BodyNode {
        guard !list.isEmpty else { return H.el("p", [("class", "muted")], text: S.none.text(lang)) }
        return H.el("div", [("class", "table-wrap")], [H.el("table", [("class", "register"), ("id", "visitors")], [
            H.el("tr", [], [S.inAt, S.name, S.idNumber, S.unit, S.host, S.purpose, S.phone, S.outAt, S.by].map { H.el("th", [("scope", "col")], text: $0.text(lang)) }),
        ] + list.map { v in
            var idCell: [BodyNode] = [.text("\(DeskForms.title(v.idType).text(lang)) \(v.idNumberMasked)")]
            if mayReveal {
                let tag = String(v.id.uuidString.prefix(8))
                idCell.append(H.form(Routes.visitorReveal(v.id), [("class", "inline reveal-form"), ("id", "reveal-\(tag)")], [
                    H.el("label", [("class", "sr-only"), ("for", "reveal-\(tag)-purpose")], text: S.revealPurpose.text(lang)),
                    H.input([("type", "text"), ("name", "purpose"), ("id", "reveal-\(tag)-purpose"), ("required", "required"), ("maxlength", "200"),
                             ("placeholder", S.revealPurpose.text(lang))]),
                    H.el("button", [("type", "submit"), ("class", "secondary small"), ("id", "reveal-\(tag)-go")], text: S.reveal.text(lang)),
                ]))
            }
            return H.el("tr", [("data-visitor", v.id.uuidString), ("data-inside", v.inside ? "1" : "0")], [
                H.el("td", [], text: time.format(v.inAt)), H.el("td", [], text: v.name), H.el("td", [("class", "id-number")], idCell),
                H.el("td", [], text: v.unitID.flatMap { labels[$0] } ?? ""), H.el("td", [], text: v.host), H.el("td", [], text: v.purpose),
                H.el("td", [], text: v.phone.isEmpty ? "" : Mask.phone(v.phone)),
                H.el("td", [], v.outAt.map { [.text(time.format($0))] } ?? (back.isEmpty ? [] : [leaveForm(v, back: back, prefix: "leave-row", lang)])),
                H.el("td", [], text: OrderViews.person(v.registeredBy, lang)),
            ])
        })])
    }

    struct ArrivalForm: Content {
        var visitorId: String?
        var name: String?
        var idType: String?
        var idNumber: String?
        var buildingId: String?
        var room: String?
        var host: String?
        var purpose: String?
        var phone: String?
    }

    /// POST /c/:cid/visitors — a visitor comes in.
    static func arrive(_ req: Request) async throws -> Response {
        let cid = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        do {
            let f = try req.content.decode(ArrivalForm.self)
            let type = try IDDocumentType(rawValue: f.idType ?? "").orThrow(field: "idType", Message(zh: "请选择证件类型", en: "Choose the ID document"))
            let room = (f.room ?? "").trimmingCharacters(in: .whitespaces)
            let unit = room.isEmpty ? nil : try await DeskForms.unit(id: nil, building: f.buildingId, room: room, community: cid, req)
            let id = try (f.visitorId ?? "").isEmpty ? nil : Parse.uuid(f.visitorId ?? "", field: "visitorId")
            let v = try await req.store.visitors.arrive(.init(name: f.name ?? "", idType: type, idNumber: f.idNumber ?? "", unitID: unit, host: f.host ?? "",
                                                              purpose: f.purpose ?? "", phone: f.phone ?? "", visitorID: id), community: cid, by: req.actor)
            Flash.set(req, Message(zh: "\(S.registered.zhHans):\(v.name) \(v.idNumberMasked)", en: "\(S.registered.en): \(v.name) \(v.idNumberMasked)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.visitors(cid), redirectType: .normal)
    }

    /// POST /visitors/:id/leave
    static func leave(_ req: Request) async throws -> Response {
        let v = try await FrontDeskAccess.visitor(req.parameters.get("id") ?? "", req)
        let back = Paths.safe(try? req.content.get(String.self, at: "back"), fallback: Routes.visitors(v.communityID))
        do {
            let out = try await req.store.visitors.leave(v.id, community: v.communityID, by: req.actor)
            Flash.set(req, Message(zh: "\(S.left.zhHans):\(out.name)", en: "\(S.left.en): \(out.name)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }

    /// POST /visitors/:id/reveal — the whole number, for a role that may reveal ID numbers, with
    /// a purpose; audited by the store (who, when, why) and shown on this response only.
    static func reveal(_ req: Request) async throws -> Response {
        let v = try await FrontDeskAccess.visitor(req.parameters.get("id") ?? "", req)
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.revealIDNumber)
        let back = Routes.visitors(v.communityID, day: LocalTime((try await req.store.registry.community(v.communityID))?.timeZone ?? "Asia/Shanghai").format(v.inAt, "yyyy-MM-dd"))
        let lang = req.language
        let purpose: String
        do {
            purpose = try Validate.text((try? req.content.get(String.self, at: "purpose")) ?? "", field: "purpose", max: 200, required: true)
        } catch let e as DomainError {
            Flash.set(req, e.code == "invalid_input" ? S.purposeNeeded : e.message, error: true)
            return req.redirect(to: back, redirectType: .normal)
        }
        let actor = Actor(userID: req.actor.userID, name: "\(req.actor.name) — \(purpose)")
        let number = try await req.store.visitors.reveal(v.id, community: v.communityID, by: actor)
        return Layout.page(title: S.revealed, request: req, frame: Frame(community: try await req.store.registry.community(v.communityID)), [
            H.el("p", [], text: "\(v.name) · \(DeskForms.title(v.idType).text(lang))"),
            H.el("p", [("class", "revealed"), ("id", "revealed-number")], text: number),
            H.el("p", [("class", "muted")], text: "\(S.revealPurpose.text(lang)):\(purpose)"),
            H.el("p", [], [H.link(Strings.back.text(lang), back, [("id", "reveal-back")])]),
        ])
    }
}
