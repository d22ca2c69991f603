import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Incidents on the board (INT-16): announce a water or power cut with the script the desk reads
/// to callers, and close it — which closes every request linked to it with the note.
enum IncidentForms {
    enum S {
        static let announce = Message(zh: "发布突发事件", en: "Announce an incident")
        static let title = Message(zh: "标题", en: "Title")
        static let titleHint = Message(zh: "例:3栋计划停水", en: "e.g. Building 3 water cut")
        static let buildings = Message(zh: "影响楼栋", en: "Buildings affected")
        static let script = Message(zh: "来电话术", en: "Script for callers")
        static let endsAt = Message(zh: "预计结束", en: "Expected end")
        static let publish = Message(zh: "发布", en: "Announce")
        static let close = Message(zh: "结束事件并通知关联来电", en: "Close and inform linked callers")
        static let closingNote = Message(zh: "结束说明", en: "Closing note")
    }

    /// The incident card's forms for someone who may manage incidents in the whole community.
    static func forms(_ incidents: [Incident], buildings: [Building], cid: UUID, back: String, _ lang: Language) -> [BodyNode] {
        var out: [BodyNode] = incidents.map { i in
            H.form(Routes.closeIncident(i.id), [("class", "step"), ("id", "close-incident-\(i.id.uuidString.prefix(8))")], [
                H.field("\(S.closingNote.text(lang)) · \(i.title)", "close-\(i.id.uuidString)", H.input([("type", "text"), ("id", "close-\(i.id.uuidString)"), ("name", "note"), ("required", "required"), ("maxlength", "500")])),
                H.hidden("back", back), H.button(S.close.text(lang), primary: false),
            ])
        }
        out.append(H.el("details", [("class", "announce")], [
            H.el("summary", [], text: S.announce.text(lang)),
            H.form(Routes.incidents(cid), [("id", "incident-form")], [
                H.field(S.title.text(lang), "incident-title", H.input([("type", "text"), ("id", "incident-title"), ("name", "title"), ("required", "required"), ("maxlength", "100"), ("placeholder", S.titleHint.text(lang))])),
                H.field(Strings.category.text(lang), "incident-category", H.select("incident-category", name: "category", Category.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: Category.water.rawValue)),
                H.el("fieldset", [("class", "buildings")], [H.el("legend", [], text: S.buildings.text(lang))] + buildings.map { b in
                    H.el("label", [("class", "check")], [H.input([("type", "checkbox"), ("name", "buildingIds[]"), ("value", b.id.uuidString)]), .text(" " + b.name)])
                }),
                H.field(S.endsAt.text(lang), "incident-ends", H.input([("type", "datetime-local"), ("id", "incident-ends"), ("name", "endsAt")])),
                H.field(S.script.text(lang), "incident-script", H.el("textarea", [("id", "incident-script"), ("name", "script"), ("rows", "3"), ("required", "required"), ("maxlength", "1000")], [])),
                // CR-1: the incident on the notice board in the same step.
                H.el("label", [("class", "check")], [H.input([("type", "checkbox"), ("name", "alsoNotice"), ("value", "1"), ("id", "incident-notice")]),
                                                     .text(" " + NoticePages.S.fromIncident.text(lang))]),
                H.hidden("noticeFormId", UUID().uuidString),
                H.hidden("back", back), H.button(S.publish.text(lang), [("id", "incident-submit")]),
            ]),
        ]))
        return out
    }

    struct Form: Content {
        var title: String?
        var category: String?
        var buildingIds: [String]?
        var endsAt: String?
        var script: String?
        var note: String?
        var back: String?
        var alsoNotice: String?
        var noticeFormId: String?
    }

    /// POST /c/:cid/incidents
    static func create(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageIncidents)
        let form = try req.content.decode(Form.self)
        let back = Paths.safe(form.back, fallback: Routes.board(scope.community.id.uuidString))
        do {
            guard scope.areas == nil else { throw DomainError.forbidden }
            let category = try Category(rawValue: form.category ?? "").orThrow(field: "category", Message(zh: "请选择类别", en: "Choose a category"))
            let buildings = Set(try (form.buildingIds ?? []).map { try Parse.uuid($0, field: "buildingIds") })
            let known = Set(try await req.store.registry.buildings(community: scope.community.id).map(\.id))
            guard buildings.isSubset(of: known) else { throw DomainError.notFound(Noun.building) }
            let now = req.application.propdesk.now()
            let incident = try await req.store.orders.createIncident(Incident(
                communityID: scope.community.id, title: form.title ?? "", category: category, buildingIDs: Array(buildings), startsAt: now,
                endsAt: try LocalTime(scope.community.timeZone).parse(form.endsAt ?? "", field: "endsAt"), script: form.script ?? "",
                createdByName: req.actor.name, createdAt: now), by: req.actor)
            if form.alsoNotice == "1" {
                let formID = try IntakePage.nonEmpty(form.noticeFormId).map { try Parse.uuid($0, field: "noticeFormId") }
                _ = try await NoticeAccess.fromIncident(incident.id.uuidString, formID: formID, req)
                Flash.set(req, Message(zh: "已发布:\(incident.title),并已发布公告", en: "Announced: \(incident.title); also published as a notice"))
            } else {
                Flash.set(req, Message(zh: "已发布:\(incident.title)", en: "Announced: \(incident.title)"))
            }
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }

    /// POST /incidents/:iid/close
    static func close(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let back = Paths.safe(form.back, fallback: "/")
        do {
            let i = try await Scoped.incident(req.parameters.get("iid") ?? "", .manageIncidents, req)
            let closed = try await req.store.orders.closeIncident(i.id, note: form.note ?? "", by: req.actor)
            Flash.set(req, Message(zh: "已结束:\(closed.title),关联来电 \(closed.linkedOrders) 个已通知", en: "Closed: \(closed.title); \(closed.linkedOrders) linked caller(s) informed"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }
}
