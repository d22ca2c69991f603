import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The resident's side of a satisfaction survey (CR-2): the open surveys asking my household, and
/// the questionnaire — answered once per household, the answer kept in my name.
enum PortalSurveyPages {
    enum S {
        static let title = Message(zh: "满意度调查", en: "Satisfaction survey")
        static let none = Message(zh: "目前没有需要您填写的调查。", en: "There is no survey for you to answer now.")
        static let answer = Message(zh: "填写问卷", en: "Answer")
        static let done = Message(zh: "已填写", en: "Answered")
        static let whichUnit = Message(zh: "为哪套房屋填写", en: "For which home")
        static let allDone = Message(zh: "您的房屋都已填写过本次调查,感谢参与!", en: "Your household has answered this survey. Thank you!")
        static let closed = Message(zh: "本次调查已结束,感谢关注。", en: "This survey has closed. Thank you.")
        static let intro = Message(zh: "每户填写一次;您的回答将用于改进物业服务。", en: "One answer per household; your answers help us improve our service.")
        static let send = Message(zh: "提交问卷", en: "Send")
        static let thanks = Message(zh: "问卷已提交,感谢您的参与!", en: "Thank you: your answers were received.")
    }

    /// GET /portal/surveys
    static func list(_ req: Request) async throws -> Response {
        _ = try SurveyAccess.resident(req)
        let lang = req.language
        let (community, _) = try await ConsoleScope.current(req)
        let open = try await SurveyAccess.residentOpen(req)
        let labels = try await req.store.registry.unitLabels(Set(open.flatMap { $0.1.map(\.unit) }))
        let body: BodyNode = open.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("ul", [("class", "portal-list"), ("id", "my-surveys")], open.map { s, units in
            H.el("li", [], [
                H.el("strong", [], text: "\(s.title)(\(s.period))"),
                H.el("div", [], units.map { u in
                    H.el("span", [], text: "\(labels[u.unit] ?? ""):\((u.answered ? S.done : S.answer).text(lang)) ")
                }),
                units.allSatisfy(\.answered) ? H.el("span", [("class", "badge")], text: S.done.text(lang))
                    : H.link(S.answer.text(lang), Routes.portalSurvey(s.id), [("class", "button primary big"), ("id", "answer-\(s.id.uuidString.prefix(8))")]),
            ])
        })
        return Layout.page(title: S.title, request: req, frame: Frame(community: community, bodyClass: "phone-first"), [body])
    }

    /// GET /portal/surveys/:surveyId — the questionnaire for one of my households not yet answered.
    static func form(_ req: Request) async throws -> Response {
        let (s, units) = try await SurveyAccess.residentSurvey(req.parameters.get("surveyId") ?? "", req)
        let lang = req.language
        let (community, _) = try await ConsoleScope.current(req)
        let frame = Frame(community: community, bodyClass: "phone-first")
        let title = Message(zh: s.title, en: s.title)
        guard s.status == .open else { return Layout.page(title: title, request: req, frame: frame, [H.el("p", [("id", "survey-closed")], text: S.closed.text(lang))]) }
        var pending: [(String, String)] = []
        let labels = try await req.store.registry.unitLabels(Set(units))
        for u in units where try await req.store.surveys.response(survey: s.id, unit: u, community: s.communityID) == nil { pending.append((u.uuidString, labels[u] ?? "")) }
        guard !pending.isEmpty else {
            return Layout.page(title: title, request: req, frame: frame, [H.el("p", [("id", "survey-answered")], text: S.allDone.text(lang))])
        }
        let unitField: BodyNode = pending.count == 1 ? H.hidden("unitId", pending[0].0)
            : H.field(S.whichUnit.text(lang), "survey-unit", H.select("survey-unit", name: "unitId", pending, selected: nil))
        return Layout.page(title: title, request: req, frame: frame, [
            H.el("p", [("class", "muted")], text: S.intro.text(lang)),
            H.form(Routes.portalSurvey(s.id), [("id", "portal-survey-form"), ("class", "card")], [H.hidden("responseId", UUID().uuidString), unitField]
                   + SurveyPages.questionFields(s, lang) + [H.button(S.send.text(lang), [("id", "send-survey"), ("class", "primary big")])]),
        ])
    }

    /// POST /portal/surveys/:surveyId — the answer, in my name; a resent form is stored once, a
    /// second answer for the same household is refused.
    static func submit(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("surveyId") ?? ""
        let (s, _) = try await SurveyAccess.residentSurvey(raw, req)
        do {
            let f = try req.content.decode(SurveyPages.AnswerForm.self)
            let input = SurveyStore.Answering(responseID: try Parse.uuid(f.responseId ?? "", field: "responseId"), unitID: try Parse.uuid(f.unitId ?? "", field: "unitId"),
                                              answers: try SurveyPages.answers(f, s))
            _ = try await SurveyAccess.answerAsResident(raw, input, req)
            Flash.set(req, S.thanks)
            return req.redirect(to: Routes.portalSurveys, redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.portalSurvey(s.id), redirectType: .normal)
        }
    }
}
