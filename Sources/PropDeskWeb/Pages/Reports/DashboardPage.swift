import Foundation
import Plot
import PropDeskCore
import PropDeskStore
import Vapor

/// 数据看板 (REP-1): a community's (or one area's) month — the open backlog by age, SLA
/// attainment with median and 90th-percentile times, satisfaction, return visits, complaints,
/// household-visit and patrol coverage, the collection rate, and the last 12 months. Each chart
/// is drawn on the server as SVG beside a table of the same numbers; each table downloads as
/// CSV or XLSX (`?table=figures|trend&format=csv|xlsx`). The landing screen of the center
/// head, the CS manager and (for their areas) the area supervisors.
enum DashboardPage {
    enum S {
        static let title = Message(zh: "数据看板", en: "Dashboard")
        static let month = Message(zh: "月份", en: "Month")
        static let area = Message(zh: "区域", en: "Area")
        static let wholeCommunity = Message(zh: "全小区", en: "Whole community")
        static let show = Message(zh: "查看", en: "Show")
        static let csv = Message(zh: "导出 CSV", en: "Export CSV")
        static let xlsx = Message(zh: "导出 Excel", en: "Export Excel")
        static let trendCSV = Message(zh: "趋势 CSV", en: "Trend CSV")
        static let trendXLSX = Message(zh: "趋势 Excel", en: "Trend Excel")
        static let monthlyReport = Message(zh: "月度工作报告(打印)", en: "Monthly work report (print)")
        static let scorecard = Message(zh: "规范符合度", en: "Standards scorecard")
        static let backlog = Message(zh: "未结工单(按已开时长)", en: "Open orders by age")
        static let backlogNote = Message(zh: "截至现在仍未关闭、未取消的工单。", en: "Orders neither closed nor cancelled, as of now.")
        static let sla = Message(zh: "时限达标(本月受理的工单)", en: "On time (orders registered this month)")
        static let satisfaction = Message(zh: "满意度与投诉", en: "Satisfaction and complaints")
        static let coverage = Message(zh: "家访、巡查与收费", en: "Visits, patrols and fees")
        static let trend = Message(zh: "近 12 个月", en: "Last 12 months")
        static let band = Message(zh: "时长", en: "Age")
        static let clock = Message(zh: "时限", en: "Clock")
        static let priority = Message(zh: "范围", en: "Priorities")
        static let target = Message(zh: "目标", en: "Target")
        static let outcome = Message(zh: "结果", en: "Outcome")
        static let none = Message(zh: "—", en: "—")
        static let slaChart = Message(zh: "各时限达标率(%)", en: "On-time share per clock (%)")
        static let slaChartDesc = Message(zh: "响应、到场、完成三个时限的达标率,全部工单与紧急工单分列。", en: "Share of response, arrival and completion clocks met, all orders and emergencies side by side.")
        static let backlogChartDesc = Message(zh: "未结工单按已开时长分组的数量。", en: "Open orders counted by how long they have been open.")
        static let trendChartDesc = Message(zh: "近 12 个月每月的工单、投诉、达标率、评分与收费率。", en: "Orders, complaints, on-time shares, ratings and the collection rate in each of the last 12 months.")
    }

    /// GET /c/:cid/dashboard?month=2026-10&area=&table=&format=
    static func render(_ req: Request) async throws -> Response {
        let (scope, a) = try await DashboardAccess.ask(req)
        let format = try ExportFormat.requested(req)
        let f = try await DashboardAccess.figures(a, req)
        let lang = req.language
        if let format {
            let (table, name) = try DashboardAccess.table(req.query[String.self, at: "table"], f, lang)
            return try ExportResponse.response(table, format: format, name: name)
        }
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, controls(a, lang) + body(f, lang))
    }

    /// The month / area pick and the downloads.
    static func controls(_ a: DashboardAccess.Ask, _ lang: PropDeskCore.Language) -> [BodyNode] {
        let cid = a.community.id
        var options: [(value: String, label: String)] = a.reach == nil ? [("", S.wholeCommunity.text(lang))] : []
        options += a.areas.map { ($0.id.uuidString, $0.name) }
        return [
            H.el("h2", [("id", "dashboard-title")], text: "\(a.community.name)\(a.area.map { " · " + $0.name } ?? "") · \(a.month)"),
            H.el("form", [("method", "get"), ("class", "inline-form no-print"), ("id", "dashboard-pick")], [
                H.field(S.month.text(lang), "dashboard-month", H.input([("type", "month"), ("id", "dashboard-month"), ("name", "month"), ("value", a.month)])),
                H.field(S.area.text(lang), "dashboard-area", H.select("dashboard-area", name: "area", options, selected: a.areaID?.uuidString ?? "")),
                H.button(S.show.text(lang), primary: false),
            ]),
            H.el("p", [("class", "print-links no-print")], [
                H.link(S.csv.text(lang), Routes.dashboard(cid, month: a.month, area: a.areaID, table: "figures", format: "csv"), [("id", "export-csv")]),
                H.el("span", [], text: " · "),
                H.link(S.xlsx.text(lang), Routes.dashboard(cid, month: a.month, area: a.areaID, table: "figures", format: "xlsx"), [("id", "export-xlsx")]),
                H.el("span", [], text: " · "),
                H.link(S.trendCSV.text(lang), Routes.dashboard(cid, month: a.month, area: a.areaID, table: "trend", format: "csv"), [("id", "export-trend-csv")]),
                H.el("span", [], text: " · "),
                H.link(S.trendXLSX.text(lang), Routes.dashboard(cid, month: a.month, area: a.areaID, table: "trend", format: "xlsx"), [("id", "export-trend-xlsx")]),
                H.el("span", [], text: " · "),
                H.link(S.scorecard.text(lang), Routes.scorecard(cid, month: a.month, area: a.areaID)),
            ] + (a.reach == nil ? [H.el("span", [], text: " · "), H.link(S.monthlyReport.text(lang), Routes.monthlyReport(cid, month: a.month), [("id", "monthly-report")])] : [])),
        ]
    }

    /// The sections, shared by the dashboard and the printable monthly report.
    static func body(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> [BodyNode] {
        [backlog(f, lang), sla(f, lang), satisfaction(f, lang), coverage(f, lang), trend(f, lang)]
    }

    static func num(_ n: Int) -> BodyNode { H.el("td", [("class", "num")], text: String(n)) }
    static func cell(_ s: String?) -> BodyNode { H.el("td", [("class", "num")], text: s ?? "—") }
    static func percent(_ p: Double?) -> String? { p.map { String(format: "%.1f%%", $0) } }
    static func minutes(_ s: Int?) -> String? { s.map { "\(($0 + 30) / 60)" } }
    static func head(_ titles: [Message], _ lang: PropDeskCore.Language) -> BodyNode {
        H.el("tr", [], titles.map { H.el("th", [("scope", "col")], text: $0.text(lang)) })
    }
    static func chart(_ svg: String) -> BodyNode { H.el("figure", [("class", "chart")], [.raw(svg)]) }

    static func backlog(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> BodyNode {
        let bands = OpenOrderAges.Band.allCases
        let svg = SVGChart(id: "chart-backlog", title: S.backlog.text(lang), summary: S.backlogChartDesc.text(lang),
                           labels: bands.map { $0.title.text(lang) },
                           series: [ChartSeries(name: DashboardAccess.T.openOrders.text(lang), values: bands.map { Double(f.ages.count($0)) })]).bars()
        return H.el("section", [("class", "card"), ("id", "backlog")], [
            H.el("h2", [], text: "\(S.backlog.text(lang)) · \(f.ages.total)"),
            H.el("p", [("class", "muted")], text: S.backlogNote.text(lang)),
            chart(svg),
            H.el("table", [("class", "register"), ("id", "backlog-table")], [head([S.band, DashboardAccess.T.count], lang)] + bands.map { b in
                H.el("tr", [("data-band", b.rawValue)], [H.el("td", [], text: b.title.text(lang)), num(f.ages.count(b))])
            }),
        ])
    }

    static func sla(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> BodyNode {
        let kinds: [ClockKind] = [.response, .arrival, .completion]
        func figures(_ emergency: Bool) -> [Double?] {
            kinds.map { k in f.summary.clocks.first { $0.kind == k && $0.emergencyOnly == emergency }?.attainmentPercent }
        }
        let svg = SVGChart(id: "chart-sla", title: S.slaChart.text(lang), summary: S.slaChartDesc.text(lang),
                           labels: kinds.map { DashboardAccess.T.clock($0).text(lang) },
                           series: [ChartSeries(name: DashboardAccess.T.allPriorities.text(lang), values: figures(false)),
                                    ChartSeries(name: DashboardAccess.T.emergencyOnly.text(lang), values: figures(true))],
                           unit: "%", decimals: 1, maximum: 100).bars()
        let T = DashboardAccess.T.self
        return H.el("section", [("class", "card"), ("id", "sla")], [
            H.el("h2", [], text: S.sla.text(lang)),
            chart(svg),
            H.el("div", [("class", "table-wrap")], [
                H.el("table", [("class", "register"), ("id", "sla-table")], [head([S.clock, S.priority, T.decided, T.met, T.attainment, T.median, T.p90], lang)]
                    + f.summary.clocks.map { c in
                        H.el("tr", [("data-clock", c.kind.rawValue), ("data-emergency", c.emergencyOnly ? "1" : "0")], [
                            H.el("td", [], text: T.clock(c.kind).text(lang)),
                            H.el("td", [], text: (c.emergencyOnly ? T.emergencyOnly : T.allPriorities).text(lang)),
                            num(c.decided), num(c.met), cell(percent(c.attainmentPercent)), cell(minutes(c.medianSeconds)), cell(minutes(c.p90Seconds)),
                        ])
                    }),
            ]),
        ])
    }

    static func satisfaction(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> BodyNode {
        let T = DashboardAccess.T.self
        let rows: [(String, Message, String?)] = [
            ("orders", T.orders, String(f.summary.orders)),
            ("complaints", T.complaints, String(f.complaints)),
            ("ratings", T.ratings, String(f.summary.ratings)),
            ("average-rating", T.averageRating, f.summary.averageRating.map { String(format: "%.2f", $0) }),
            ("return-visits", T.returnVisits, String(f.returnVisits.visits)),
            ("satisfied", T.satisfied, f.returnVisits.perMille.map(DutyTarget.percent)),
        ]
        return H.el("section", [("class", "card"), ("id", "satisfaction")], [
            H.el("h2", [], text: S.satisfaction.text(lang)),
            H.el("table", [("class", "register"), ("id", "satisfaction-table")], [head([T.figure, T.value], lang)] + rows.map { r in
                H.el("tr", [("data-figure", r.0)], [H.el("td", [], text: r.1.text(lang)), cell(r.2)])
            }),
        ])
    }

    static func coverage(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> BodyNode {
        let T = DashboardAccess.T.self
        return H.el("section", [("class", "card"), ("id", "coverage")], [
            H.el("h2", [], text: S.coverage.text(lang)),
            H.el("table", [("class", "register"), ("id", "coverage-table")], [head([T.figure, T.value, S.target, S.outcome], lang)] + f.duties.map { r in
                H.el("tr", [("id", "duty-\(r.duty.id)"), ("data-outcome", r.outcome.rawValue)], [
                    H.el("td", [], text: "\(r.duty.citation) \(r.duty.title.text(lang))"),
                    H.el("td", [("class", "value")], text: r.measurement.valueText),
                    H.el("td", [], text: r.duty.target.text.text(lang)),
                    H.el("td", [], [H.el("span", [("class", "badge outcome-\(r.outcome.rawValue)")], text: r.outcome.title.text(lang))]),
                ])
            } + [
                H.el("tr", [("data-figure", "collection")], [
                    H.el("td", [], text: "\(T.collection.text(lang)) (\(T.collected.text(lang)) \(Money.yuan(f.collection.collectedFen)) / \(T.due.text(lang)) \(Money.yuan(f.collection.dueFen)))"),
                    H.el("td", [("class", "value")], text: f.collection.perMille.map(DutyTarget.percent) ?? "—"),
                    H.el("td", [], text: "≥ " + DutyTarget.percent(CollectionRate.targetPerMille)),
                    H.el("td", [], text: ""),
                ]),
            ]),
        ])
    }

    static func trend(_ f: DashboardAccess.Figures, _ lang: PropDeskCore.Language) -> BodyNode {
        let T = DashboardAccess.T.self
        let labels = f.trend.map(\.month)
        func panel(_ id: String, _ title: Message, _ values: [Double?], unit: String = "", decimals: Int = 0, maximum: Double? = nil, target: Double? = nil) -> SVGChart {
            SVGChart(id: id, title: title.text(lang), summary: title.text(lang), labels: labels, series: [ChartSeries(name: title.text(lang), values: values)],
                     unit: unit, decimals: decimals, maximum: maximum, target: target)
        }
        let panels = [
            panel("t-orders", T.orders, f.trend.map { Double($0.orders) }),
            panel("t-complaints", T.complaints, f.trend.map { Double($0.complaints) }),
            panel("t-rating", T.averageRating, f.trend.map(\.averageRating), decimals: 2, maximum: 5),
            panel("t-response", T.response, f.trend.map { $0.attainmentPercent(.response) }, unit: "%", decimals: 1, maximum: 100),
            panel("t-completion", T.completion, f.trend.map { $0.attainmentPercent(.completion) }, unit: "%", decimals: 1, maximum: 100),
            panel("t-collection", T.collection, f.trend.map { $0.collectionPerMille.map { Double($0) / 10 } }, unit: "%", decimals: 1, maximum: 100, target: 95),
        ]
        let svg = SVGChart.smallMultiples(id: "chart-trend", title: S.trend.text(lang), summary: S.trendChartDesc.text(lang), panels: panels, columns: 3)
        return H.el("section", [("class", "card"), ("id", "trend")], [
            H.el("h2", [], text: S.trend.text(lang)),
            chart(svg),
            H.el("div", [("class", "table-wrap")], [
                H.el("table", [("class", "register"), ("id", "trend-table")],
                     [head([T.month, T.orders, T.complaints, T.ratings, T.averageRating, T.response, T.arrival, T.completion, T.collection], lang)]
                        + f.trend.map { m in
                            H.el("tr", [("data-month", m.month)], [
                                H.el("td", [], text: m.month), num(m.orders), num(m.complaints), num(m.ratings),
                                cell(m.averageRating.map { String(format: "%.2f", $0) }),
                                cell(percent(m.attainmentPercent(.response))), cell(percent(m.attainmentPercent(.arrival))),
                                cell(percent(m.attainmentPercent(.completion))), cell(m.collectionPerMille.map(DutyTarget.percent)),
                            ])
                        }),
            ]),
        ])
    }
}
