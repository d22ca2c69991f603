import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The customer-relations workspace (客户关系, CR-1 … CR-4): one entry in the menu, and from here
/// the notice board and the day's board work, the surveys, the interviews, the common issues
/// with their rectifications and the culture plan — each link shown only to whoever may use it.
enum RelationsHome {
    enum S {
        static let title = Message(zh: "客户关系", en: "Customer relations")
        static let lead = Message(zh: "公告栏、满意度调查、客户访谈与整改、社区文化活动(《客户服务标准》第 3 条)。",
                                  en: "Notice board, satisfaction surveys, customer interviews and rectifications, community culture (S0 clause 3).")
        static let noticesNote = Message(zh: "发布、到期自动撤下,张贴与回收(S0 3.4,区域主任职责)", en: "Publish, withdrawn at expiry, put up and taken down (S0 3.4)")
        static let boardNote = Message(zh: "今天要张贴、要撤下的公告", en: "What to put up and take down today")
        static let surveysNote = Message(zh: "问卷、业户作答与纸质录入、统计与图表(S0 3.3)", en: "Questionnaires, answers and paper forms, statistics and charts (S0 3.3)")
        static let interviewsNote = Message(zh: "访谈记录与业户提出的问题(S0 3.1)", en: "Interview records and the points raised (S0 3.1)")
        static let issuesNote = Message(zh: "共性问题、整改措施、责任人与期限,完成后公示(S0 3.1)", en: "Common issues, measures, owners and due dates, published when done (S0 3.1)")
        static let cultureNote = Message(zh: "年度社区文化活动计划与活动记录(S0 3.2)", en: "The year's community culture plan and its events (S0 3.2)")
    }

    struct Link: Sendable {
        let key: String
        let title: Message
        let note: Message
        let permission: Permission
        let href: @Sendable (UUID) -> String
    }

    static let links: [Link] = [
        Link(key: "notices", title: NoticePages.S.title, note: S.noticesNote, permission: .readCustomerRelations, href: { Routes.notices($0) }),
        Link(key: "notice-board", title: NoticePages.S.board, note: S.boardNote, permission: .keepNoticeBoard, href: { Routes.noticeBoard($0) }),
        Link(key: "surveys", title: SurveyPages.S.title, note: S.surveysNote, permission: .readCustomerRelations, href: { Routes.surveys($0) }),
        Link(key: "interviews", title: CustomerRelationsPages.S.interviews, note: S.interviewsNote, permission: .readCustomerRelations, href: { Routes.interviews($0) }),
        Link(key: "issues", title: CustomerRelationsPages.S.issues, note: S.issuesNote, permission: .readCustomerRelations, href: { Routes.issues($0) }),
        Link(key: "culture", title: CustomerRelationsPages.S.culture, note: S.cultureNote, permission: .readCustomerRelations, href: { Routes.culture($0) }),
    ]

    /// GET /c/:cid/relations
    static func render(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations)
        let lang = req.language
        let mine = links.filter { scope.policy.has($0.permission) }
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, [
            H.el("p", [("class", "muted")], text: S.lead.text(lang)),
            H.el("ul", [("class", "card links"), ("id", "relations-links")], mine.map { l in
                H.el("li", [], [H.link(l.title.text(lang), l.href(scope.community.id), [("id", "link-\(l.key)")]),
                                H.el("div", [("class", "muted")], text: l.note.text(lang))])
            }),
        ])
    }
}
