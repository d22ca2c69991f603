import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The order steps as page forms: each POST becomes one `OrderAction` and runs through the same
/// `OrderAccess.perform` as the API, so who may do what is decided in one place.
enum OrderSteps {
    /// Every field any step form may send; each step reads its own.
    struct Form: Content {
        var note: String?
        var reason: String?
        var rating: String?
        var comment: String?
        var mode: String?
        var assigneeId: String?
        var method: String?
        var satisfied: String?
        var answer: String?
        var onDissatisfied: String?
        var amount: String?
        var consentBy: String?
        var receipt: String?
        var opinion: String?
        var reply: String?
        var outcome: String?
        var loggedByMistake: String?
        var verdict: String?
        var signedBy: String?
        var signature: String?
        var back: String?
    }

    static func rating(_ raw: String?) throws -> Int {
        guard let r = raw.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), (1...5).contains(r) else {
            throw DomainError.invalid(field: "rating", Message(zh: "请选择 1 到 5 星的评分", en: "Choose a rating from 1 to 5 stars"))
        }
        return r
    }

    static func action(_ name: String, _ f: Form, order: WorkOrder, principal p: Principal, _ req: Request) async throws -> OrderAction {
        let me = Assignee(id: p.userID, name: p.displayName)
        let onResidentDevice = p.role != .resident
        switch name {
        case "dispatch": return try await OrderAccess.dispatchAction(mode: f.mode ?? "person", assignee: f.assigneeId, order: order, req)
        case "take": return .take(me)
        case "reassign":
            guard let raw = f.assigneeId, !raw.isEmpty else {
                throw DomainError.invalid(field: "assigneeId", Message(zh: "请选择改派给谁", en: "Choose whom to reassign to"))
            }
            return .reassign(try await req.store.orders.assignee(try Parse.uuid(raw, field: "assigneeId"), community: order.communityID), reason: f.reason ?? "")
        case "accept": return .accept
        case "contact": return .contact(note: f.note ?? "")
        case "check-in": return .checkIn
        case "complete": return .complete(note: f.note ?? "")
        case "sign-off": return .signOff(rating: try rating(f.rating), comment: f.comment ?? "", onResidentDevice: onResidentDevice)
        case "reject": return .reject(rating: try rating(f.rating), comment: f.comment ?? "", onResidentDevice: onResidentDevice)
        case "return-visit":
            guard let method = ReturnVisit.Method(rawValue: f.method ?? "phone") else { throw DomainError.invalid(field: "method", Message(zh: "回访方式不对", en: "Unknown visit method")) }
            guard let satisfied = f.satisfied.map({ $0 == "yes" }) else {
                throw DomainError.invalid(field: "satisfied", Message(zh: "请选择业户是否满意", en: "Choose whether the resident is satisfied"))
            }
            return .returnVisit(ReturnVisit(method: method, satisfied: satisfied, answer: f.answer ?? "",
                                            onDissatisfied: ReturnVisit.OnDissatisfied(rawValue: f.onDissatisfied ?? "reopen") ?? .reopen))
        case "hold": return .hold(reason: f.reason ?? "")
        case "resume": return .resume
        case "cancel": return .cancel(reason: f.reason ?? "", loggedByMistake: f.loggedByMistake == "yes" || order.kind == .complaint)
        case "handover":
            // The resident's choice on the engineer's phone.
            let rating = try rating(f.rating)
            return f.verdict == "reject" ? .reject(rating: rating, comment: f.comment ?? "", onResidentDevice: true)
                : .signOff(rating: rating, comment: f.comment ?? "", onResidentDevice: true)
        case "answer": return .answer(note: f.answer ?? "")
        case "reply": return .reply(opinion: f.opinion ?? "", reply: f.reply ?? "")
        case "call-back":
            guard let outcome = CallbackOutcome(rawValue: f.outcome ?? "") else {
                throw DomainError.invalid(field: "outcome", Message(zh: "请选择回电结果", en: "Choose what came of the call"))
            }
            return .callBack(outcome, note: f.note ?? "")
        case "reopen": return .reopen(reason: f.reason ?? "")
        case "price": return .agreePrice(fen: try Money.fen(fromYuan: f.amount ?? "", field: "amount"))
        case "extras": return .addExtra(fen: try Money.fen(fromYuan: f.amount ?? "", field: "amount"), note: f.note ?? "", consentBy: f.consentBy ?? "")
        case "settle": return .settle(receipt: f.receipt ?? "")
        default: throw DomainError.notFound(Noun.page)
        }
    }

    /// The signature drawn on the handover form: required to accept, kept when rejecting.
    static func signature(_ f: Form) throws -> [EvidenceStore.Upload] {
        guard let upload = try EvidencePages.signature(f.signature, signedBy: f.signedBy, caption: "业户验收签字 / Resident's sign-off") else {
            if f.verdict == "reject" { return [] }
            throw DomainError.invalid(field: "signature", Message(zh: "请业户在框内签名后再确认验收", en: "The resident must sign in the box to accept"))
        }
        return [upload]
    }

    /// POST /orders/:oid/step/:name — runs the step, then back to where the form was, with the
    /// outcome on screen. A refused step changes nothing and says why in the user's language.
    static func submit(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("oid") ?? ""
        let name = req.parameters.get("name") ?? ""
        let form = try req.content.decode(Form.self)
        let back = Paths.safe(form.back, fallback: "/orders/\(raw)")
        do {
            // Pictures are checked before the step, so a bad file changes nothing at all.
            let photos = name == "complete" ? try PhotoStore.check(try Photos.files(req)) : []
            // Accepting on the engineer's phone needs the resident's own signature (INT-11).
            let signatures = name == "handover" ? try signature(form) : []
            var title = Message(zh: "", en: "")
            // The step and its photos in one transaction.
            let after = try await OrderAccess.perform(raw, req, photos: photos, evidence: signatures) { order, p, req in
                let a = try await action(name, form, order: order, principal: p, req)
                title = a.title
                return a
            }
            Flash.set(req, Message(zh: "已\(title.zhHans) · \(after.number) · \(after.status.title.zhHans)",
                                   en: "Done: \(title.en) · \(after.number) · \(after.status.title.en)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }
}

/// Redirect targets from forms: only a path on this site, never an open redirect.
enum Paths {
    static func safe(_ raw: String?, fallback: String) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return fallback }
        return raw
    }
}
