import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The front desk's callback tasks (S4 4.9): "call the resident and explain why the engineer is
/// not there yet". The desk reveals the number — audited, with a purpose (SEC-3) — rings, and
/// records 已回电 with what it heard; the outcome goes on the order's timeline. A call nobody
/// answered leaves the task open; a task whose engineer has arrived, or whose order is over,
/// is gone by itself.
enum CallbackTasks {
    enum S {
        static let reveal = Message(zh: "显示号码", en: "Show number")
        static let purpose = Message(zh: "查看原因", en: "Purpose")
        static let defaultPurpose = Message(zh: "回电解释原因", en: "Call back to explain the delay")
        static let calledBack = Message(zh: "已回电", en: "Called back")
        static let outcome = Message(zh: "回电结果", en: "Outcome")
        static let note = Message(zh: "备注", en: "Note")
        static let revealed = Message(zh: "号码(已记录查看)", en: "Number (the view is recorded)")
    }

    /// The open tasks whose orders still wait for their engineer, with those orders.
    static func open(_ alerts: [Alert], _ req: Request) async throws -> [(Alert, WorkOrder)] {
        let tasks = alerts.filter { $0.kind == .callback && $0.acknowledgedAt == nil }
        // The board is re-read on every live event: the tasks' orders in one read, not one each.
        let orders = try await req.store.orders.orders(Set(tasks.map(\.subjectID)))
        return tasks.compactMap { a in orders[a.subjectID].flatMap { OrderStatus.awaitingArrival.contains($0.status) ? (a, $0) : nil } }
    }

    static func list(_ tasks: [(Alert, WorkOrder)], time: LocalTime, back: String, canReveal: Bool, _ lang: Language) -> BodyNode {
        guard !tasks.isEmpty else { return H.el("p", [("class", "muted")], text: Strings.nothing.text(lang)) }
        return H.el("ul", [("class", "alerts callbacks")], tasks.map { a, o in
            H.el("li", [("class", "open callback-task"), ("data-alert-kind", "callback"), ("data-order-number", o.number)], [
                H.link(o.number, Routes.order(o.id)),
                H.el("span", [], text: " " + a.message.text(lang)),
                H.el("time", [("class", "muted"), ("datetime", ISO.string(a.raisedAt))], text: " " + time.format(a.raisedAt, "MM-dd HH:mm")),
                H.el("div", [("class", "muted")], text: [o.contactName, Mask.phone(o.contactPhone)].filter { !$0.isEmpty }.joined(separator: " ")),
            ] + forms(o, back: back, canReveal: canReveal, lang))
        })
    }

    /// 显示号码 and 已回电, for a task on the board or an order's page.
    static func forms(_ o: WorkOrder, back: String, canReveal: Bool, _ lang: Language) -> [BodyNode] {
        var out: [BodyNode] = []
        if canReveal && !o.contactPhone.isEmpty {
            out.append(H.form(Routes.revealPhone(o.id), [("class", "inline reveal-phone")], [
                H.el("label", [("class", "sr-only"), ("for", "purpose-\(o.number)")], text: S.purpose.text(lang)),
                H.input([("type", "text"), ("name", "purpose"), ("id", "purpose-\(o.number)"), ("maxlength", "200"), ("required", "required"),
                         ("value", S.defaultPurpose.text(lang)), ("class", "purpose")]),
                H.hidden("back", back),
                H.el("button", [("type", "submit"), ("class", "secondary small")], text: S.reveal.text(lang)),
            ]))
        }
        out.append(H.form(Routes.orderStep(o.id, "call-back"), [("class", "inline called-back")], [
            H.el("label", [("class", "sr-only"), ("for", "outcome-\(o.number)")], text: S.outcome.text(lang)),
            H.select("outcome-\(o.number)", name: "outcome", CallbackOutcome.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil),
            H.el("label", [("class", "sr-only"), ("for", "cb-note-\(o.number)")], text: S.note.text(lang)),
            H.input([("type", "text"), ("name", "note"), ("id", "cb-note-\(o.number)"), ("maxlength", "500"), ("placeholder", S.note.text(lang))]),
            H.hidden("back", back),
            H.el("button", [("type", "submit"), ("class", "primary small")], text: S.calledBack.text(lang)),
        ]))
        return out
    }

    /// POST /orders/:oid/reveal-phone — audited, then back with the number on screen once.
    static func reveal(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("oid") ?? ""
        let back = Paths.safe(try? req.content.get(String.self, at: "back"), fallback: "/orders/\(raw)")
        do {
            let phone = try await OrderAccess.revealPhone(raw, purpose: (try? req.content.get(String.self, at: "purpose")) ?? "", req)
            Flash.set(req, Message(zh: "\(phone.order) 联系电话:\(phone.number)(查看已记录)", en: "\(phone.order) phone: \(phone.number) (this view is recorded)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }
}
