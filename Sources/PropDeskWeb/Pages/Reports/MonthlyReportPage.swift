import Foundation
import Plot
import PropDeskCore
import PropDeskStore
import Vapor

/// The monthly service work report (服务工作月报, REP-1, S0 3.4 "periodic service work report"):
/// the dashboard's figures for the whole community on A4, for the owners' committee, and — one
/// button — published on the notice board as a `work_report` notice (source "report:<yyyy-MM>",
/// so publishing twice posts it once).
enum MonthlyReportPage {
    enum S {
        static let title = Message(zh: "月度服务工作报告", en: "Monthly service work report")
        static let center = Message(zh: "客户服务中心", en: "Customer service center")
        static let intro = Message(zh: "本报告由系统根据本月记录生成,数字与数据看板、规范符合度一致。",
                                   en: "Generated from this month's records; the numbers are the dashboard's and the scorecard's own.")
        static let seal = Message(zh: "客户服务中心(盖章)", en: "Customer service center (seal)")
        static let date = Message(zh: "日期", en: "Date")
        static let print = Message(zh: "打印", en: "Print")
        static let back = Message(zh: "返回数据看板", en: "Back to the dashboard")
        static let publish = Message(zh: "发布到公告栏", en: "Publish on the notice board")
        static let published = Message(zh: "月度工作报告已发布到公告栏", en: "The monthly work report is on the notice board")
        static let days = Message(zh: "公示天数", en: "Days on the board")
        static let notOver = Message(zh: "本月尚未结束,月末之后可发布到公告栏", en: "This month is not over yet: it can go on the notice board once it has ended")
        static let wholeOnly = Message(zh: "月度工作报告面向全小区,仅中心主任和客服经理可查看", en: "The monthly report covers the whole community: for the center head and the CS manager")
        static func noticeTitle(_ month: String, _ lang: PropDeskCore.Language) -> String {
            Message(zh: "\(month) 客户服务工作报告", en: "Customer service work report \(month)").text(lang)
        }
    }

    /// Only whole-community readers: the report speaks for the center to the owners' committee.
    static func ask(_ req: Request) async throws -> (ConsoleScope, DashboardAccess.Ask) {
        let scope = try await ConsoleScope.resolve(req, .readDashboards)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let a = try await DashboardAccess.ask(community: scope.community, reach: nil, month: req.query[String.self, at: "month"], area: nil, req)
        return (scope, a)
    }

    /// GET /c/:cid/reports/monthly?month=2026-10
    static func render(_ req: Request) async throws -> Response {
        let (scope, a) = try await ask(req)
        let f = try await DashboardAccess.figures(a, req)
        let lang = req.language
        let time = LocalTime(a.community.timeZone)
        var actions: [BodyNode] = [
            H.link(S.back.text(lang), Routes.dashboard(a.community.id, month: a.month)),
            H.el("button", [("type", "button"), ("class", "secondary"), ("data-print", "1"), ("id", "print-report")], text: S.print.text(lang)),
        ]
        if scope.policy.has(.publishNotices), isOver(a.month, timeZone: a.community.timeZone, at: req.application.propdesk.now()) {
            actions.append(H.form(Routes.publishMonthlyReport(a.community.id), [("class", "inline-form"), ("id", "publish-report")], [
                H.hidden("month", a.month),
                H.hidden("formId", UUID().uuidString),
                H.field(S.days.text(lang), "report-days", H.input([("type", "number"), ("id", "report-days"), ("name", "days"), ("min", "1"), ("max", "90"), ("value", "30")])),
                H.button(S.publish.text(lang)),
            ]))
        } else if scope.policy.has(.publishNotices) {
            actions.append(H.el("span", [("class", "muted"), ("id", "report-not-over")], text: S.notOver.text(lang)))
        }
        let sheet = H.el("div", [("class", "sheet monthly-report"), ("id", "monthly-report")], [
            H.el("p", [("class", "sheet-org")], text: "\(a.community.name) \(S.center.text(lang))"),
            H.el("h2", [], text: S.noticeTitle(a.month, lang)),
            H.el("p", [("class", "muted")], text: S.intro.text(lang)),
            H.el("p", [("id", "report-summary")], text: summary(f, lang)),
        ] + DashboardPage.body(f, lang) + [
            H.el("p", [("class", "seal-line")], text: "\(S.seal.text(lang))    \(S.date.text(lang)):\(time.format(f.asOf, "yyyy-MM-dd"))"),
        ])
        return Layout.page(title: S.title, request: req, frame: Frame(community: a.community, print: true),
                           [H.el("div", [("class", "no-print print-links")], actions), sheet])
    }

    /// POST /c/:cid/reports/monthly/publish — the report as a `work_report` notice for the whole community.
    static func publish(_ req: Request) async throws -> Response {
        let (scope, _) = try await ask(req)
        try scope.policy.requireRole(.publishNotices)
        struct Form: Content { var month: String?; var days: String?; var formId: String? }
        let form = try req.content.decode(Form.self)
        let community = scope.community
        let now = req.application.propdesk.now()
        // A month that does not parse goes back to the report of this month, with the error shown there.
        let back = form.month.flatMap { (try? MonthSummary.range(month: $0, timeZone: community.timeZone)) != nil ? $0 : nil }
        do {
            let a = try await DashboardAccess.ask(community: community, reach: nil, month: form.month, area: nil, req)
            try requireOver(a.month, timeZone: community.timeZone, at: now)
            let days = Int(form.days ?? "30") ?? 0
            guard (1...90).contains(days) else {
                throw DomainError.invalid(field: "days", Message(zh: "公示天数应为 1 到 90", en: "Days on the board: 1 to 90"))
            }
            let f = try await DashboardAccess.figures(a, req)
            let lang = req.language
            let notice = try await req.store.notices.publish(NoticeDraft(
                communityID: a.community.id, kind: .workReport, title: S.noticeTitle(a.month, lang),
                body: noticeBody(f, lang), startsAt: now, expiresAt: now.addingTimeInterval(Double(days) * 86_400),
                source: "report:\(a.month)", formID: form.formId.flatMap(UUID.init(uuidString:))), by: req.actor)
            Flash.set(req, S.published)
            return req.redirect(to: Routes.notice(a.community.id, notice.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.monthlyReport(community.id, month: back), redirectType: .normal)
        }
    }

    /// Whether `month` has ended at `now` in the community's time zone: only then is its work
    /// report complete, and only then may it go on the board (S0 3.4).
    static func isOver(_ month: String, timeZone: String, at now: Date) -> Bool {
        guard let range = try? MonthSummary.range(month: month, timeZone: timeZone) else { return false }
        return range.until <= now
    }

    static func requireOver(_ month: String, timeZone: String, at now: Date) throws {
        guard isOver(month, timeZone: timeZone, at: now) else {
            throw DomainError.invalid(field: "month", Message(zh: "\(month) 尚未结束,月末之后才能发布该月的工作报告",
                                                              en: "\(month) is not over yet: its work report can be published once the month has ended"))
        }
    }

    /// The month in three sentences: orders and complaints, time targets and satisfaction, visits, patrols and fees.
    static func summary(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> String {
        let s = f.summary
        func pct(_ kind: ClockKind) -> String {
            s.clocks.first { $0.kind == kind && !$0.emergencyOnly }?.attainmentPercent.map { String(format: "%.1f%%", $0) } ?? "—"
        }
        let rating = s.averageRating.map { String(format: "%.2f", $0) } ?? "—"
        let satisfied = f.returnVisits.perMille.map(DutyTarget.percent) ?? "—"
        let collection = f.collection.perMille.map(DutyTarget.percent) ?? "—"
        let duties = f.duties.map { "\($0.duty.title.text(lang)) \($0.measurement.valueText)" }.joined(separator: lang == .zhHans ? ";" : "; ")
        return Message(
            zh: "本月受理工单 \(s.orders) 件,其中投诉 \(f.complaints) 件;响应达标率 \(pct(.response)),到场达标率 \(pct(.arrival)),完成达标率 \(pct(.completion))。评价 \(s.ratings) 次,平均 \(rating) 分;回访 \(f.returnVisits.visits) 次,满意 \(satisfied)。\(duties);本年收费率 \(collection)。目前未结工单 \(f.ages.total) 件。",
            en: "This month \(s.orders) requests were registered, \(f.complaints) of them complaints; \(pct(.response)) answered, \(pct(.arrival)) on site and \(pct(.completion)) completed on time. \(s.ratings) ratings averaged \(rating); \(f.returnVisits.visits) return visits, \(satisfied) satisfied. \(duties); collection rate for the year \(collection). \(f.ages.total) orders are open now."
        ).text(lang)
    }

    /// The notice's text: the summary and the 12-month trend of orders and on-time completion, as plain lines.
    static func noticeBody(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> String {
        let T = DashboardAccess.T.self
        var lines = [summary(f, lang), "", "\(T.trendTitle.text(lang)):"]
        for m in f.trend {
            lines.append("\(m.month)  \(T.orders.text(lang)) \(m.orders) · \(T.complaints.text(lang)) \(m.complaints) · \(T.completion.text(lang)) "
                         + (m.attainmentPercent(.completion).map { String(format: "%.1f%%", $0) } ?? "—"))
        }
        return String(lines.joined(separator: "\n").prefix(NoticeDraft.maxBody))
    }
}
