import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

extension Routes {
    // Satisfaction surveys (CR-2).
    static func surveys(_ community: UUID) -> String { "/c/\(community.uuidString)/surveys" }
    static func survey(_ community: UUID, _ id: UUID) -> String { "/c/\(community.uuidString)/surveys/\(id.uuidString)" }
    static func surveyOpen(_ community: UUID, _ id: UUID) -> String { survey(community, id) + "/open" }
    static func surveyClose(_ community: UUID, _ id: UUID) -> String { survey(community, id) + "/close" }
    static func surveyPaper(_ community: UUID, _ id: UUID) -> String { survey(community, id) + "/paper" }
    static let portalSurveys = "/portal/surveys"
    static func portalSurvey(_ id: UUID) -> String { "/portal/surveys/\(id.uuidString)" }
}

/// Satisfaction surveys in pages (CR-2, S0 3.3): the list and the questionnaire builder, one
/// survey's live counts, statistics table per question and area with SVG charts, the comparison
/// with the previous closed survey and the CSV/XLSX export, and the paper-form entry.
enum SurveyPages {
    enum S {
        static let title = Message(zh: "满意度调查", en: "Satisfaction surveys")
        static let none = Message(zh: "还没有满意度调查。", en: "No surveys yet.")
        static let create = Message(zh: "新建问卷", en: "New questionnaire")
        static let surveyTitle = Message(zh: "调查名称", en: "Title")
        static let titleHint = Message(zh: "例:2026 年下半年业主满意度调查", en: "e.g. Residents' satisfaction survey, 2nd half 2026")
        static let period = Message(zh: "调查期间", en: "Period")
        static let periodHint = Message(zh: "2026、2026-H2 或 2026-11", en: "2026, 2026-H2 or 2026-11")
        static let scope = Message(zh: "调查范围", en: "Households asked")
        static let scopeHint = Message(zh: "不勾选即全小区", en: "None ticked: the whole community")
        static let wholeCommunity = Message(zh: "全小区", en: "Whole community")
        static let questions = Message(zh: "问题", en: "Questions")
        static let questionsHint = Message(zh: "题号相同的问题会与上一次调查对比;空行不保存;选项用“/”分隔", en: "Questions with the same code are compared with the previous survey; blank rows are skipped; separate options with “/”")
        static let code = Message(zh: "题号", en: "Code")
        static let kind = Message(zh: "题型", en: "Kind")
        static let text = Message(zh: "题目", en: "Question")
        static let options = Message(zh: "选项", en: "Options")
        static let required = Message(zh: "必答", en: "Required")
        static let save = Message(zh: "保存问卷(草稿)", en: "Save the questionnaire (draft)")
        static let created = Message(zh: "问卷已保存为草稿", en: "Questionnaire saved as a draft")
        static let status = Message(zh: "状态", en: "Status")
        static let responses = Message(zh: "回收", en: "Answered")
        static let open = Message(zh: "开始调查", en: "Open the survey")
        static let close = Message(zh: "结束调查并归档统计表", en: "Close and archive the statistics")
        static let closeConfirm = Message(zh: "结束后不再接受答卷,统计结果将冻结归档。确定结束?", en: "No answers are accepted after closing and the results are frozen. Close now?")
        static let opened = Message(zh: "调查已开始", en: "The survey is open")
        static let closed = Message(zh: "调查已结束,统计表已归档", en: "The survey is closed; its statistics are archived")
        static let frozen = Message(zh: "统计表已于结束时冻结归档", en: "Statistics frozen when the survey was closed")
        static let live = Message(zh: "实时统计(调查进行中)", en: "Live statistics (survey open)")
        static let counts = Message(zh: "回收情况", en: "Responses")
        static let area = Message(zh: "区域", en: "Area")
        static let all = Message(zh: "全部", en: "All")
        static let noArea = Message(zh: "未分区域", en: "No area")
        static let households = Message(zh: "调查户数", en: "Households asked")
        static let answered = Message(zh: "已答户数", en: "Answered")
        static let rate = Message(zh: "回收率", en: "Response rate")
        static let portal = Message(zh: "网上填写", en: "Portal")
        static let paper = Message(zh: "纸质录入", en: "Paper")
        static let statistics = Message(zh: "调查统计表", en: "Statistics table")
        static let rounding = Message(zh: "占比按本题作答户数计算,千分位四舍五入;平均分保留两位小数;满意率 = 选 4 分、5 分的户数占比;多选题占比之和可超过 100%。",
                                      en: "Shares are of the households that answered the question, rounded half up to 0.1%; means to 0.01; satisfied = share answering 4 or 5; a multiple choice may add up to more than 100%.")
        static let mean = Message(zh: "平均分", en: "Mean")
        static let satisfied = Message(zh: "满意率", en: "Satisfied")
        static let textAnswers = Message(zh: "条文字意见", en: "written answers")
        static let chartMeans = Message(zh: "各项平均分(按区域)", en: "Mean score per question and area")
        static let chartMeansSummary = Message(zh: "各满意度问题的平均分(1–5 分),每个区域一组柱", en: "The mean (1–5) of each satisfaction question, one bar per area")
        static let chartSatisfied = Message(zh: "各项满意率(按区域)", en: "Satisfied share per question and area")
        static let chartSatisfiedSummary = Message(zh: "选 4 分、5 分的户数占比,每个区域一组柱", en: "The share answering 4 or 5, one bar per area")
        static let comparison = Message(zh: "与上次调查对比", en: "Compared with the previous survey")
        static let noPrevious = Message(zh: "没有更早的已结束调查可对比。", en: "No earlier closed survey to compare with.")
        static let before = Message(zh: "上次", en: "Before")
        static let now = Message(zh: "本次", en: "Now")
        static let change = Message(zh: "变化", en: "Change")
        static let paperEntry = Message(zh: "录入纸质问卷", en: "Enter a paper form")
        static let unit = Message(zh: "房屋(输入楼栋或房号选择)", en: "Unit (type the building or room)")
        static let unknownUnit = Message(zh: "没有这个房屋,请从列表中选择", en: "No such unit: pick one from the list")
        static let saveAnswers = Message(zh: "保存这份问卷", en: "Save this form")
        static let saved = Message(zh: "已保存", en: "Saved")
        static let again = Message(zh: "这份问卷已保存过,未重复登记", en: "This form was saved already; nothing was added twice")
        static let notOpen = Message(zh: "调查未在进行中,不能录入。", en: "The survey is not open: nothing can be entered.")
        static let enteredBy = Message(zh: "录入人", en: "Entered by")
        static let remaining = Message(zh: "未答户数", en: "Households not yet answered")
        static let export = Message(zh: "导出", en: "Export")
        static let choose = Message(zh: "请选择", en: "Choose")
        static let recent = Message(zh: "最近的文字意见", en: "Recent written answers")
    }

    static func areaName(_ id: UUID?, _ areas: [Area], _ lang: Language) -> String {
        guard let id else { return S.noArea.text(lang) }
        return areas.first { $0.id == id }?.name ?? "—"
    }

    static func scopeText(_ s: Survey, _ areas: [Area], _ lang: Language) -> String {
        s.areaIDs.isEmpty ? S.wholeCommunity.text(lang) : s.areaIDs.map { areaName($0, areas, lang) }.joined(separator: "、")
    }

    // MARK: List and builder

    /// GET /c/:cid/surveys — the community's surveys; the head and the CS manager also draft here.
    static func list(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations)
        let lang = req.language
        let community = scope.community
        let (_, _, surveys) = try await SurveyAccess.list(community: community.id.uuidString, req)
        let areas = try await req.store.registry.areas(community: community.id)
        var rows: [BodyNode] = []
        for s in surveys {
            let counts = try await req.store.surveys.counts(survey: s.id)
            let answered = counts.byArea.filter { k, _ in scope.areas.map { mine in k.map(mine.contains) ?? false } ?? true }.values.reduce(0, +)
            rows.append(H.el("tr", [("id", "survey-\(s.id.uuidString.prefix(8))")], [
                H.el("td", [], [H.link(s.title, Routes.survey(community.id, s.id))]), H.el("td", [], text: s.period),
                H.el("td", [], text: scopeText(s, areas, lang)), H.el("td", [], text: s.status.title.text(lang)), H.el("td", [("class", "num")], text: "\(answered)"),
            ]))
        }
        var kids: [BodyNode] = [surveys.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("div", [("class", "table-wrap card")], [
            H.el("table", [("class", "list"), ("id", "surveys")], [
                H.el("thead", [], [H.el("tr", [], [S.surveyTitle, S.period, S.scope, S.status, S.responses].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]),
                H.el("tbody", [], rows),
            ]),
        ])]
        if scope.policy.has(.manageSurveys), scope.areas == nil {
            // The builder starts from the last questionnaire (same codes: comparable) or the standard one.
            let template = surveys.first?.questions ?? SurveyQuestion.standard
            kids.append(builder(community: community, areas: areas, template: template, lang))
        }
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func builder(community: Community, areas: [Area], template: [SurveyQuestion], _ lang: Language) -> BodyNode {
        let rows = min(30, template.count + 4)
        var qs: [BodyNode] = []
        for i in 0..<rows {
            let q = i < template.count ? template[i] : nil
            qs.append(H.el("tr", [], [
                H.el("td", [], [H.input([("name", "qCode[k\(i)]"), ("id", "q-code-\(i)"), ("maxlength", "20"), ("size", "8"), ("value", q?.code ?? ""),
                                         ("aria-label", "\(S.code.text(lang)) \(i + 1)")])]),
                H.el("td", [], [H.select("q-kind-\(i)", name: "qKind[k\(i)]", SurveyQuestionKind.allCases.map { ($0.rawValue, $0.title.text(lang)) },
                                         selected: q?.kind.rawValue ?? SurveyQuestionKind.scale.rawValue, [("aria-label", "\(S.kind.text(lang)) \(i + 1)")])]),
                H.el("td", [], [H.input([("name", "qText[k\(i)]"), ("id", "q-text-\(i)"), ("maxlength", "200"), ("value", q?.text ?? ""),
                                         ("aria-label", "\(S.text.text(lang)) \(i + 1)")])]),
                H.el("td", [], [H.input([("name", "qOptions[k\(i)]"), ("id", "q-options-\(i)"), ("maxlength", "700"), ("value", q?.options.joined(separator: "/") ?? ""),
                                         ("aria-label", "\(S.options.text(lang)) \(i + 1)")])]),
                H.el("td", [], [H.input([("type", "checkbox"), ("name", "qRequired[k\(i)]"), ("value", "1"), ("id", "q-required-\(i)"),
                                         ("aria-label", "\(S.required.text(lang)) \(i + 1)")] + ((q?.required ?? true) ? [("checked", "checked")] : []))]),
            ]))
        }
        return H.el("section", [("class", "card")], [
            H.el("h2", [], text: S.create.text(lang)),
            H.form(Routes.surveys(community.id), [("id", "survey-builder")], [
                H.hidden("surveyId", UUID().uuidString),
                H.field(S.surveyTitle.text(lang), "survey-title", H.input([("id", "survey-title"), ("name", "title"), ("required", "required"), ("maxlength", "100"),
                                                                           ("placeholder", S.titleHint.text(lang))])),
                H.field(S.period.text(lang), "survey-period", H.input([("id", "survey-period"), ("name", "period"), ("required", "required"), ("maxlength", "7"),
                                                                       ("placeholder", S.periodHint.text(lang))])),
                H.el("fieldset", [], [H.el("legend", [], text: "\(S.scope.text(lang))(\(S.scopeHint.text(lang)))")] + areas.map { a in
                    H.el("label", [("class", "choice")], [H.input([("type", "checkbox"), ("name", "areaIds[]"), ("value", a.id.uuidString)]), .text(" " + a.name)])
                }),
                H.el("h3", [], text: S.questions.text(lang)),
                H.el("p", [("class", "muted")], text: S.questionsHint.text(lang)),
                H.el("div", [("class", "table-wrap")], [H.el("table", [("class", "list"), ("id", "question-rows")], [
                    H.el("thead", [], [H.el("tr", [], [S.code, S.kind, S.text, S.options, S.required].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]),
                    H.el("tbody", [], qs),
                ])]),
                H.button(S.save.text(lang), [("id", "save-survey")]),
            ]),
        ])
    }

    struct BuilderForm: Content {
        var surveyId: String?
        var title: String?
        var period: String?
        var areaIds: [String]?
        var qCode: [String: String]?
        var qKind: [String: String]?
        var qText: [String: String]?
        var qOptions: [String: String]?
        var qRequired: [String: String]?
    }

    /// The builder's rows as questions: a row without a code and a text is skipped.
    static func questions(_ f: BuilderForm) throws -> [SurveyQuestion] {
        var out: [SurveyQuestion] = []
        for i in 0..<30 {
            let k = "k\(i)"
            let code = (f.qCode?[k] ?? "").trimmingCharacters(in: .whitespaces)
            let text = (f.qText?[k] ?? "").trimmingCharacters(in: .whitespaces)
            if code.isEmpty && text.isEmpty { continue }
            guard let kind = SurveyQuestionKind(rawValue: f.qKind?[k] ?? "") else {
                throw DomainError.invalid(field: "questions.kind", Message(zh: "第 \(i + 1) 行请选择题型", en: "Row \(i + 1): choose a kind"))
            }
            let options = (f.qOptions?[k] ?? "").split(whereSeparator: { $0 == "/" || $0 == "/" }).map(String.init)
            out.append(SurveyQuestion(code: code, kind: kind, text: text, options: options, required: f.qRequired?[k] != nil))
        }
        return out
    }

    /// POST /c/:cid/surveys — saves the questionnaire as a draft; resent, it is saved once.
    static func create(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageSurveys)
        let community = scope.community
        do {
            let f = try req.content.decode(BuilderForm.self)
            let id = try Parse.uuid(f.surveyId ?? "", field: "surveyId")
            let areas = try (f.areaIds ?? []).filter { !$0.isEmpty }.map { try Parse.uuid($0, field: "areaIds") }
            let s = try await SurveyAccess.create(community: community.id.uuidString,
                                                  .init(id: id, title: f.title ?? "", period: f.period ?? "", areaIDs: areas, questions: try questions(f)), req)
            Flash.set(req, S.created)
            return req.redirect(to: Routes.survey(community.id, s.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.surveys(community.id), redirectType: .normal)
        }
    }

    // MARK: One survey

    /// GET /c/:cid/surveys/:surveyId — counts, statistics per question and area with charts, the
    /// comparison; `?format=csv|xlsx` downloads the statistics table.
    static func show(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations)
        let (s, areasLimit) = try await SurveyAccess.survey(req.parameters.get("surveyId") ?? "", .readCustomerRelations, req,
                                                            community: scope.community.id.uuidString)
        let format = try ExportFormat.requested(req)
        let lang = req.language
        let community = scope.community
        let areas = try await req.store.registry.areas(community: community.id)
        let (stats, comparison) = try await SurveyAccess.statistics(s, areas: areasLimit, req)
        if let format {
            return try ExportResponse.response(exportTable(s, stats, areas: areas, lang), format: format, name: "survey-\(s.period)")
        }
        let time = LocalTime(community.timeZone)
        var head: [BodyNode] = [
            H.el("p", [("id", "survey-status")], text: "\(S.period.text(lang)) \(s.period) · \(S.scope.text(lang)):\(scopeText(s, areas, lang)) · \(S.status.text(lang)):\(s.status.title.text(lang))"
                + (s.closedAt.map { " · \(time.format($0)) \(s.closedByName ?? "")" } ?? "")),
        ]
        var actions: [BodyNode] = []
        if scope.policy.has(.manageSurveys), areasLimit == nil {
            if s.status == .draft {
                actions.append(H.form(Routes.surveyOpen(community.id, s.id), [("class", "inline")], [H.button(S.open.text(lang), [("id", "open-survey")])]))
            } else if s.status == .open {
                actions.append(H.form(Routes.surveyClose(community.id, s.id), [("class", "inline")],
                                      [H.el("small", [("class", "muted")], text: S.closeConfirm.text(lang) + " "), H.button(S.close.text(lang), [("id", "close-survey")])]))
            }
        }
        if s.status == .open, scope.policy.has(.enterSurveyResponses) {
            actions.append(H.link(S.paperEntry.text(lang), Routes.surveyPaper(community.id, s.id), [("class", "button"), ("id", "paper-entry")]))
        }
        let base = Routes.survey(community.id, s.id)
        actions.append(H.el("span", [], [.text("\(S.export.text(lang)):"), H.link("CSV", base + "?format=csv", [("id", "export-csv")]), .text(" · "),
                                         H.link("XLSX", base + "?format=xlsx", [("id", "export-xlsx")])]))
        head.append(H.el("p", [("class", "actions")], actions))
        let counts = try await req.store.surveys.counts(survey: s.id)
        head.append(countsSection(stats, portal: counts.portal, paper: counts.paper, areas: areas, frozen: s.status == .closed, lang))
        head.append(chartsSection(s, stats, areas: areas, lang))
        head.append(statisticsSection(stats, areas: areas, lang))
        let texts = try await recentTexts(s, areasLimit, req)
        if !texts.isEmpty {
            head.append(H.el("section", [("class", "card"), ("id", "survey-texts")], [
                H.el("h2", [], text: S.recent.text(lang)),
                H.el("ul", [], texts.map { H.el("li", [], text: $0) }),
            ]))
        }
        head.append(comparisonSection(comparison, lang))
        return Layout.page(title: Message(zh: s.title, en: s.title), request: req, frame: scope.frame, communities: scope.communities, head)
    }

    static func recentTexts(_ s: Survey, _ areas: Set<UUID>?, _ req: Request) async throws -> [String] {
        let textCodes = Set(s.questions.filter { $0.kind == .text }.map(\.code))
        guard !textCodes.isEmpty else { return [] }
        let rs = try await req.store.surveys.responses(survey: s.id, areas: areas)
        return Array(rs.flatMap { r in r.answers.filter { textCodes.contains($0.code) }.compactMap(\.text) }.prefix(30))
    }

    static func countsSection(_ stats: SurveyStatistics, portal: Int, paper: Int, areas: [Area], frozen: Bool, _ lang: Language) -> BodyNode {
        H.el("section", [("class", "card"), ("id", "survey-counts")], [
            H.el("h2", [], text: S.counts.text(lang)),
            H.el("p", [("class", "muted")], text: (frozen ? S.frozen : S.live).text(lang)
                 + " · \(S.portal.text(lang)) \(portal) · \(S.paper.text(lang)) \(paper)"),
            H.el("table", [("class", "list"), ("id", "survey-rate")], [
                H.el("thead", [], [H.el("tr", [], [S.area, S.households, S.answered, S.rate].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]),
                H.el("tbody", [], stats.areas.map { a in
                    H.el("tr", [], [H.el("td", [], text: areaName(a.areaID, areas, lang)), H.el("td", [("class", "num")], text: "\(a.households)"),
                                    H.el("td", [("class", "num")], text: "\(a.responded)"), H.el("td", [("class", "num")], text: SurveyStatistics.percent(a.ratePerMille))])
                } + [H.el("tr", [("class", "total")], [H.el("th", [("scope", "row")], text: S.all.text(lang)), H.el("td", [("class", "num")], text: "\(stats.households)"),
                                                       H.el("td", [("class", "num")], text: "\(stats.responded)"),
                                                       H.el("td", [("class", "num"), ("id", "survey-rate-all")], text: SurveyStatistics.percent(stats.ratePerMille))])]),
            ]),
        ])
    }

    /// Two bar charts of the scale questions (mean, satisfied share) — the table below holds the
    /// same numbers.
    static func chartsSection(_ s: Survey, _ stats: SurveyStatistics, areas: [Area], _ lang: Language) -> BodyNode {
        let scale = stats.questions.filter { $0.kind == .scale }
        guard !scale.isEmpty else { return H.el("div", []) }
        let labels = scale.map { "\($0.code)" }
        let areaIDs = stats.areas.compactMap(\.areaID)
        let groups: [(String, (SurveyStatistics.QuestionStats) -> SurveyStatistics.Cell?)] =
            [(S.all.text(lang), { $0.all })] + areaIDs.map { a in (areaName(a, areas, lang), { q in q.byArea.first { $0.areaID == a } }) }
        let means = SVGChart(id: "survey-means", title: S.chartMeans.text(lang), summary: S.chartMeansSummary.text(lang), labels: labels,
                             series: groups.map { name, cell in ChartSeries(name: name, values: scale.map { q in cell(q)?.meanHundredths.map { Double($0) / 100 } }) },
                             decimals: 2, maximum: 5)
        let satisfied = SVGChart(id: "survey-satisfied", title: S.chartSatisfied.text(lang), summary: S.chartSatisfiedSummary.text(lang), labels: labels,
                                 series: groups.map { name, cell in ChartSeries(name: name, values: scale.map { q in cell(q)?.satisfiedPerMille.map { Double($0) / 10 } }) },
                                 unit: "%", decimals: 1, maximum: 100)
        return H.el("section", [("class", "card charts"), ("id", "survey-charts")], [
            H.el("div", [("class", "chart")], [.raw(means.bars())]),
            H.el("div", [("class", "chart")], [.raw(satisfied.bars())]),
        ])
    }

    static func statisticsSection(_ stats: SurveyStatistics, areas: [Area], _ lang: Language) -> BodyNode {
        var kids: [BodyNode] = [H.el("h2", [], text: S.statistics.text(lang)), H.el("p", [("class", "muted")], text: S.rounding.text(lang))]
        for q in stats.questions {
            kids.append(H.el("h3", [], text: "\(q.code) · \(q.text)(\(q.kind.title.text(lang)))"))
            if q.kind == .text {
                kids.append(H.el("p", [("id", "q-\(q.code)-texts")], text: "\(q.texts) \(S.textAnswers.text(lang))"))
                continue
            }
            let labels = q.kind == .scale ? (1...5).map { "\($0) \(SurveyQuestionKind.scaleLabels[$0 - 1].text(lang))" } : q.options
            var header: [String] = [S.area.text(lang), S.answered.text(lang)] + labels
            if q.kind == .scale { header += [S.mean.text(lang), S.satisfied.text(lang)] }
            let cells = [q.all] + q.byArea
            kids.append(H.el("div", [("class", "table-wrap")], [H.el("table", [("class", "list stats"), ("id", "q-\(q.code)")], [
                H.el("thead", [], [H.el("tr", [], header.map { H.el("th", [("scope", "col")], text: $0) })]),
                H.el("tbody", [], cells.map { c in
                    var tds: [BodyNode] = [H.el("th", [("scope", "row")], text: c.areaID == nil ? S.all.text(lang) : areaName(c.areaID, areas, lang)),
                                           H.el("td", [("class", "num")], text: "\(c.answered)")]
                    tds += zip(c.counts, c.perMille).map { n, p in H.el("td", [("class", "num")], text: "\(n)(\(SurveyStatistics.percent(p)))") }
                    if q.kind == .scale {
                        tds += [H.el("td", [("class", "num mean")], text: SurveyStatistics.mean(c.meanHundredths)),
                                H.el("td", [("class", "num")], text: SurveyStatistics.percent(c.satisfiedPerMille))]
                    }
                    return H.el("tr", [("data-area", c.areaID?.uuidString ?? "all")], tds)
                }),
            ])]))
        }
        return H.el("section", [("class", "card"), ("id", "survey-statistics")], kids)
    }

    static func comparisonSection(_ c: SurveyComparison?, _ lang: Language) -> BodyNode {
        guard let c else {
            return H.el("section", [("class", "card"), ("id", "survey-comparison")], [H.el("h2", [], text: S.comparison.text(lang)),
                                                                                   H.el("p", [("class", "muted")], text: S.noPrevious.text(lang))])
        }
        let header = [S.code, S.text].map { $0.text(lang) } + ["\(S.mean.text(lang)) \(S.before.text(lang))", "\(S.mean.text(lang)) \(S.now.text(lang))", S.change.text(lang),
                                                               "\(S.satisfied.text(lang)) \(S.before.text(lang))", "\(S.satisfied.text(lang)) \(S.now.text(lang))", S.change.text(lang)]
        return H.el("section", [("class", "card"), ("id", "survey-comparison")], [
            H.el("h2", [], text: "\(S.comparison.text(lang)):\(c.previousTitle)"),
            H.el("p", [], text: "\(S.rate.text(lang)):\(SurveyStatistics.percent(c.rateBefore)) → \(SurveyStatistics.percent(c.rateNow))"),
            H.el("div", [("class", "table-wrap")], [H.el("table", [("class", "list")], [
                H.el("thead", [], [H.el("tr", [], header.map { H.el("th", [("scope", "col")], text: $0) })]),
                H.el("tbody", [], c.rows.map { r in
                    H.el("tr", [("id", "cmp-\(r.code)")], [
                        H.el("td", [], text: r.code), H.el("td", [], text: r.text),
                        H.el("td", [("class", "num")], text: SurveyStatistics.mean(r.meanBefore)), H.el("td", [("class", "num")], text: SurveyStatistics.mean(r.meanNow)),
                        H.el("td", [("class", "num")], text: SurveyComparison.signedMean(r.meanChange)),
                        H.el("td", [("class", "num")], text: SurveyStatistics.percent(r.satisfiedBefore)), H.el("td", [("class", "num")], text: SurveyStatistics.percent(r.satisfiedNow)),
                        H.el("td", [("class", "num")], text: SurveyComparison.signedPercent(r.satisfiedChange)),
                    ])
                }),
            ])]),
        ])
    }

    /// The statistics table as an export: one row per question, area and choice, the scale's
    /// mean and satisfied share on each of its rows.
    static func exportTable(_ s: Survey, _ stats: SurveyStatistics, areas: [Area], _ lang: Language) -> TableExport {
        var rows: [[TableExport.Cell]] = []
        for q in stats.questions where q.kind != .text {
            let labels = q.kind == .scale ? (1...5).map { "\($0) \(SurveyQuestionKind.scaleLabels[$0 - 1].text(lang))" } : q.options
            for c in [q.all] + q.byArea {
                let area = c.areaID == nil ? S.all.text(lang) : areaName(c.areaID, areas, lang)
                for (i, label) in labels.enumerated() where i < c.counts.count {
                    rows.append([.text(q.code), .text(q.text), .text(area), .integer(c.answered), .text(label), .integer(c.counts[i]),
                                 c.perMille[i].map { .perMille($0) } ?? .empty, .text(q.kind == .scale ? SurveyStatistics.mean(c.meanHundredths) : ""),
                                 q.kind == .scale ? (c.satisfiedPerMille.map { .perMille($0) } ?? .empty) : .empty])
                }
            }
        }
        return TableExport(title: "\(s.title)(\(s.period))", headers: [S.code, S.text, S.area, S.answered, S.options].map { $0.text(lang) }
                           + [Message(zh: "选择户数", en: "Chosen by").text(lang), Message(zh: "占比", en: "Share").text(lang), S.mean.text(lang), S.satisfied.text(lang)],
                           rows: rows)
    }

    static func open(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageSurveys)
        let raw = req.parameters.get("surveyId") ?? ""
        do {
            let s = try await SurveyAccess.open(raw, req, community: scope.community.id.uuidString)
            Flash.set(req, S.opened)
            return req.redirect(to: Routes.survey(scope.community.id, s.id), redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.surveys(scope.community.id), redirectType: .normal)
        }
    }

    static func close(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .manageSurveys)
        let raw = req.parameters.get("surveyId") ?? ""
        do {
            let s = try await SurveyAccess.close(raw, req, community: scope.community.id.uuidString)
            Flash.set(req, S.closed)
            return req.redirect(to: Routes.survey(scope.community.id, s.id), redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.surveys(scope.community.id), redirectType: .normal)
        }
    }

    // MARK: Answering (paper and portal share the questions' fields)

    /// The questionnaire's fields: a radio group per single or scale question, checkboxes for a
    /// multiple one, a text area for text.
    static func questionFields(_ s: Survey, _ lang: Language) -> [BodyNode] {
        s.questions.enumerated().map { i, q in
            let legend = H.el("legend", [], text: "\(i + 1). \(q.text)" + (q.required ? " *" : ""))
            switch q.kind {
            case .text:
                return H.field("\(i + 1). \(q.text)", "t-\(q.code)", H.el("textarea", [("id", "t-\(q.code)"), ("name", "t[\(q.code)]"), ("rows", "3"), ("maxlength", "500")], text: ""))
            case .multiple:
                return H.el("fieldset", [("class", "big-choice"), ("id", "q-\(q.code)")], [legend] + q.options.enumerated().map { j, o in
                    H.el("label", [("class", "choice")], [H.input([("type", "checkbox"), ("name", "mc[\(q.code)__\(j)]"), ("value", "1"), ("id", "mc-\(q.code)-\(j)")]), .text(" " + o)])
                })
            case .single, .scale:
                return H.el("fieldset", [("class", "big-choice"), ("id", "q-\(q.code)")], [legend] + q.choiceLabels(lang).enumerated().map { j, o in
                    H.el("label", [("class", "choice")], [H.input([("type", "radio"), ("name", "a[\(q.code)]"), ("value", "\(j)"), ("id", "a-\(q.code)-\(j)")]),
                                                         .text(" " + (q.kind == .scale ? "\(j + 1) \(o)" : o))])
                })
            }
        }
    }

    struct AnswerForm: Content {
        var responseId: String?
        var unit: String?
        var unitId: String?
        var a: [String: String]?
        var mc: [String: String]?
        var t: [String: String]?
    }

    /// The form's answers, by question code; anything not on the questionnaire is ignored here
    /// and checked by `Survey.check`.
    static func answers(_ f: AnswerForm, _ s: Survey) throws -> [SurveyAnswer] {
        var out: [SurveyAnswer] = []
        for q in s.questions {
            switch q.kind {
            case .text:
                if let t = f.t?[q.code], !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(SurveyAnswer(code: q.code, text: t)) }
            case .multiple:
                let chosen = (f.mc ?? [:]).keys.compactMap { key -> Int? in
                    guard let r = key.range(of: "__", options: .backwards), key[..<r.lowerBound] == q.code else { return nil }
                    return Int(key[r.upperBound...])
                }
                if !chosen.isEmpty { out.append(SurveyAnswer(code: q.code, choices: chosen.sorted())) }
            case .single, .scale:
                guard let raw = f.a?[q.code], !raw.isEmpty else { continue }
                guard let n = Int(raw) else {
                    throw DomainError.invalid(field: "answers", Message(zh: "选择无效:\(q.code)", en: "Not a valid choice: \(q.code)"))
                }
                out.append(SurveyAnswer(code: q.code, choices: [n]))
            }
        }
        return out
    }

    /// GET /c/:cid/surveys/:surveyId/paper — one paper form at a time; the next one right after.
    static func paperForm(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .enterSurveyResponses)
        let (s, areas) = try await SurveyAccess.survey(req.parameters.get("surveyId") ?? "", .enterSurveyResponses, req, community: scope.community.id.uuidString)
        let lang = req.language
        guard s.status == .open else {
            return Layout.page(title: Message(zh: s.title, en: s.title), request: req, frame: scope.frame, communities: scope.communities,
                               [H.el("p", [("class", "notice"), ("id", "survey-not-open")], text: S.notOpen.text(lang))])
        }
        let units = try await req.store.surveys.units(s, areas: areas)
        let open = units.filter { !$0.answered }
        return Layout.page(title: Message(zh: "\(S.paperEntry.zhHans) · \(s.title)", en: "\(S.paperEntry.en) · \(s.title)"), request: req, frame: scope.frame,
                           communities: scope.communities, [
            H.el("p", [("class", "muted")], text: "\(S.remaining.text(lang)):\(open.count) / \(units.count) · \(S.enteredBy.text(lang)):\(scope.principal.displayName)"),
            H.form(Routes.surveyPaper(scope.community.id, s.id), [("id", "paper-form"), ("class", "card")], [
                H.hidden("responseId", UUID().uuidString),
                H.field(S.unit.text(lang), "paper-unit", H.input([("id", "paper-unit"), ("name", "unit"), ("list", "paper-units"), ("required", "required"),
                                                                   ("autocomplete", "off"), ("maxlength", "40")])),
                H.el("datalist", [("id", "paper-units")], open.map { H.el("option", [("value", $0.label)]) }),
            ] + questionFields(s, lang) + [H.button(S.saveAnswers.text(lang), [("id", "save-paper"), ("class", "primary big")])]),
        ])
    }

    /// POST /c/:cid/surveys/:surveyId/paper
    static func paperSubmit(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .enterSurveyResponses)
        let raw = req.parameters.get("surveyId") ?? ""
        let (s, areas) = try await SurveyAccess.survey(raw, .enterSurveyResponses, req, community: scope.community.id.uuidString)
        do {
            let f = try req.content.decode(AnswerForm.self)
            let responseID = try Parse.uuid(f.responseId ?? "", field: "responseId")
            let unit: UUID
            if let raw = f.unitId, !raw.isEmpty {
                unit = try Parse.uuid(raw, field: "unitId")
            } else {
                let wanted = (f.unit ?? "").trimmingCharacters(in: .whitespaces)
                guard let hit = try await req.store.surveys.units(s, areas: areas).first(where: { $0.label == wanted }) else {
                    throw DomainError.invalid(field: "unit", S.unknownUnit)
                }
                unit = hit.id
            }
            let r = try await SurveyAccess.enterPaper(raw, .init(responseID: responseID, unitID: unit, answers: try answers(f, s)), req,
                                                      community: scope.community.id.uuidString)
            let label = try await req.store.registry.unitLabels([unit])[unit] ?? ""
            Flash.set(req, r.created ? Message(zh: "\(S.saved.zhHans):\(label)", en: "\(S.saved.en): \(label)") : S.again)
        } catch let e as DomainError where e.kind != .notFound {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.surveyPaper(scope.community.id, s.id), redirectType: .normal)
    }
}
