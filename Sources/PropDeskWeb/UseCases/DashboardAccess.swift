import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The dashboard's one place for who may see what and where its numbers come from (REP-1):
/// pages, the printable monthly report and the API all call it. Every figure is read through
/// the same store calls as the month summary (`ReportStore.monthSummary`), the scorecard
/// (`DutyStore.scorecard`) and the fees (`FeeStore.collectionRate`), so they cannot disagree.
enum DashboardAccess {
    /// The scorecard rows the dashboard shows: household visits, key-spot patrols, the collection rate.
    static let dutyIDs: [String] = ["S2-4.3.1-monthly-visits", "S2-4.2.1-key-spots-daily", "S4-fee-collection-95"]

    /// Who is looking, at which month and which area.
    struct Ask {
        let community: Community
        /// The caller's areas when limited to some (an area supervisor), else nil.
        let reach: Set<UUID>?
        let month: String
        let areaID: UUID?
        /// The areas the caller may pick.
        let areas: [Area]
        var area: Area? { areaID.flatMap { id in areas.first { $0.id == id } } }
        /// What the order figures are narrowed to.
        var visibleAreas: Set<UUID>? { areaID.map { [$0] } }
    }

    /// Head and CS manager: the community or one of its areas; an area supervisor: one of their
    /// own areas (their first when none is named); an area they do not hold is "not found".
    static func ask(community: Community, reach: Set<UUID>?, month raw: String?, area rawArea: String?, _ req: Request) async throws -> Ask {
        let month = try ReportPeriod.month(raw, timeZone: community.timeZone, now: req.application.propdesk.now())
        let all = try await req.store.registry.areas(community: community.id)
        let areas = reach.map { mine in all.filter { mine.contains($0.id) } } ?? all
        var areaID: UUID?
        if let rawArea, !rawArea.isEmpty {
            guard let id = UUID(uuidString: rawArea), areas.contains(where: { $0.id == id }) else { throw DomainError.notFound(Noun.area) }
            areaID = id
        } else if reach != nil {
            guard let first = areas.first else { throw DomainError.forbidden }
            areaID = first.id
        }
        return Ask(community: community, reach: reach, month: month, areaID: areaID, areas: areas)
    }

    /// A page's ask: `/c/:cid/...?month=&area=` with `readDashboards`.
    static func ask(_ req: Request) async throws -> (ConsoleScope, Ask) {
        let scope = try await ConsoleScope.resolve(req, .readDashboards)
        let a = try await ask(community: scope.community, reach: scope.areas, month: req.query[String.self, at: "month"],
                              area: req.query[String.self, at: "area"], req)
        return (scope, a)
    }

    /// Everything the dashboard shows for one ask.
    struct Figures {
        let ask: Ask
        let asOf: Date
        let summary: MonthSummary
        let ages: OpenOrderAges
        let returnVisits: ReturnVisitFigures
        let collection: CollectionRate
        let duties: [DutyResult]
        let trend: [MonthTrend]
        var complaints: Int { summary.byKind.first { $0.kind == .complaint }?.orders ?? 0 }
    }

    static func figures(_ a: Ask, _ req: Request) async throws -> Figures {
        let store = req.store
        let c = a.community
        let now = req.application.propdesk.now()
        let summary = try await store.reports.monthSummary(community: c.id, month: a.month, timeZone: c.timeZone, visibleAreas: a.visibleAreas)
        let ages = try await store.reports.openOrderAges(community: c.id, visibleAreas: a.visibleAreas, at: now)
        let visits = try await store.reports.returnVisits(community: c.id, month: a.month, timeZone: c.timeZone, visibleAreas: a.visibleAreas)
        let collection = try await store.fees.collectionRate(community: c.id, area: a.areaID, month: a.month)
        let rows = try await store.duties.scorecard(community: c.id, month: a.month, timeZone: c.timeZone, areaID: a.areaID, only: Set(dutyIDs))
        let duties = dutyIDs.compactMap { id in rows.first { $0.duty.id == id } }
        var trend = try await store.reports.trend(community: c.id, endingWith: a.month, count: 12, timeZone: c.timeZone, visibleAreas: a.visibleAreas)
        for i in trend.indices {
            trend[i].collectionPerMille = try await store.fees.collectionRate(community: c.id, area: a.areaID, month: trend[i].month).perMille
        }
        return Figures(ask: a, asOf: now, summary: summary, ages: ages, returnVisits: visits, collection: collection, duties: duties, trend: trend)
    }

    // MARK: Tables (shown on the page, exported as CSV / XLSX)

    enum T {
        static let figure = Message(zh: "指标", en: "Figure")
        static let value = Message(zh: "数值", en: "Value")
        static let count = Message(zh: "数量", en: "Count")
        static let month = Message(zh: "月份", en: "Month")
        static let orders = Message(zh: "工单数", en: "Orders")
        static let complaints = Message(zh: "投诉", en: "Complaints")
        static let ratings = Message(zh: "评价数", en: "Ratings")
        static let averageRating = Message(zh: "平均评分", en: "Average rating")
        static let response = Message(zh: "响应达标率", en: "Response on time")
        static let arrival = Message(zh: "到场达标率", en: "Arrival on time")
        static let completion = Message(zh: "完成达标率", en: "Completion on time")
        static let collection = Message(zh: "收费率", en: "Collection rate")
        static let openOrders = Message(zh: "未结工单", en: "Open orders")
        static let emergencies = Message(zh: "紧急", en: "Emergencies")
        static let decided = Message(zh: "已判定", en: "Decided")
        static let met = Message(zh: "达标", en: "Met")
        static let attainment = Message(zh: "达标率", en: "On time")
        static let median = Message(zh: "中位数(分钟)", en: "Median (minutes)")
        static let p90 = Message(zh: "90 分位(分钟)", en: "90th percentile (minutes)")
        static let returnVisits = Message(zh: "回访", en: "Return visits")
        static let satisfied = Message(zh: "回访满意", en: "Satisfied on return visit")
        static let due = Message(zh: "应收(元)", en: "Due (yuan)")
        static let collected = Message(zh: "已收(元)", en: "Collected (yuan)")
        static let figuresTitle = Message(zh: "月度指标", en: "Month figures")
        static let trendTitle = Message(zh: "近 12 个月趋势", en: "Last 12 months")
        static func clock(_ kind: ClockKind) -> Message {
            switch kind {
            case .response: Message(zh: "响应", en: "Response")
            case .arrival: Message(zh: "到场", en: "Arrival")
            case .completion: Message(zh: "完成", en: "Completion")
            default: kind.title
            }
        }
        static let allPriorities = Message(zh: "全部优先级", en: "All priorities")
        static let emergencyOnly = Message(zh: "仅紧急", en: "Emergencies only")
    }

    /// A percent with one decimal (97.5) as per mille (975), for typed cells.
    static func perMille(_ percent: Double?) -> TableExport.Cell {
        percent.map { .perMille(Int(($0 * 10).rounded())) } ?? .empty
    }

    static func minutes(_ seconds: Int?) -> TableExport.Cell { seconds.map { .integer(($0 + 30) / 60) } ?? .empty }

    /// The month's figures as one table: what the page shows, row by row.
    static func figuresTable(_ f: Figures, _ lang: Language) -> TableExport {
        let s = f.summary
        var rows: [[TableExport.Cell]] = [
            [.text(T.orders.text(lang)), .integer(s.orders)],
            [.text(T.complaints.text(lang)), .integer(f.complaints)],
            [.text(T.openOrders.text(lang)), .integer(f.ages.total)],
        ]
        rows += OpenOrderAges.Band.allCases.map { [.text(T.openOrders.text(lang) + " · " + $0.title.text(lang)), .integer(f.ages.count($0))] }
        for c in s.clocks {
            let name = T.clock(c.kind).text(lang) + " · " + (c.emergencyOnly ? T.emergencyOnly : T.allPriorities).text(lang)
            rows.append([.text(name + " · " + T.attainment.text(lang)), perMille(c.attainmentPercent)])
            rows.append([.text(name + " · " + T.median.text(lang)), minutes(c.medianSeconds)])
            rows.append([.text(name + " · " + T.p90.text(lang)), minutes(c.p90Seconds)])
        }
        rows.append([.text(T.ratings.text(lang)), .integer(s.ratings)])
        rows.append([.text(T.averageRating.text(lang)), s.averageRating.map { .hundredths(Int(($0 * 100).rounded())) } ?? .empty])
        rows.append([.text(T.returnVisits.text(lang)), .integer(f.returnVisits.visits)])
        rows.append([.text(T.satisfied.text(lang)), f.returnVisits.perMille.map { .perMille($0) } ?? .empty])
        rows.append([.text(T.due.text(lang)), .fen(f.collection.dueFen)])
        rows.append([.text(T.collected.text(lang)), .fen(f.collection.collectedFen)])
        rows.append([.text(T.collection.text(lang)), f.collection.perMille.map { .perMille($0) } ?? .empty])
        for r in f.duties {
            rows.append([.text("\(r.duty.citation) \(r.duty.title.text(lang))"), r.measurement.perMille.map { .perMille($0) } ?? .integer(r.measurement.numerator)])
        }
        return TableExport(title: title(f, T.figuresTitle, lang), headers: [T.figure.text(lang), T.value.text(lang)], rows: rows)
    }

    /// The 12-month trend as one table, a row per month.
    static func trendTable(_ f: Figures, _ lang: Language) -> TableExport {
        TableExport(title: title(f, T.trendTitle, lang),
                    headers: [T.month, T.orders, T.complaints, T.ratings, T.averageRating, T.response, T.arrival, T.completion, T.collection].map { $0.text(lang) },
                    rows: f.trend.map { m in
                        [.text(m.month), .integer(m.orders), .integer(m.complaints), .integer(m.ratings),
                         m.averageRating.map { .hundredths(Int(($0 * 100).rounded())) } ?? .empty,
                         perMille(m.attainmentPercent(.response)), perMille(m.attainmentPercent(.arrival)), perMille(m.attainmentPercent(.completion)),
                         m.collectionPerMille.map { .perMille($0) } ?? .empty]
                    })
    }

    static func title(_ f: Figures, _ what: Message, _ lang: Language) -> String {
        "\(f.ask.community.name)\(f.ask.area.map { " · " + $0.name } ?? "") \(f.ask.month) \(what.text(lang))"
    }

    /// `?table=figures|trend` (default figures).
    static func table(_ raw: String?, _ f: Figures, _ lang: Language) throws -> (TableExport, String) {
        let base = "dashboard-\(f.ask.month)"
        switch raw ?? "figures" {
        case "", "figures": return (figuresTable(f, lang), base)
        case "trend": return (trendTable(f, lang), base + "-trend")
        default: throw DomainError.invalid(field: "table", Message(zh: "表格只能是 figures 或 trend", en: "The table must be figures or trend"))
        }
    }
}
