import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// The dashboard as JSON and its tables as CSV / XLSX (REP-1): the same figures as the page,
/// for the same people — center head and CS manager (the community or an area), an area
/// supervisor (one of their areas).
extension APIHandler {
    func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        let req = try RequestContext.current
        let a = try await dashboardAsk(input.path.communityId, month: input.query.month, area: input.query.areaId, req)
        let f = try await DashboardAccess.figures(a, req)
        let lang = req.language
        let s = f.summary
        return .ok(.init(body: .json(.init(
            month: a.month, areaId: a.areaID?.uuidString, asOf: f.asOf,
            summary: .init(
                month: s.month, from: s.from, until: s.until, orders: s.orders,
                byKind: try s.byKind.map { .init(kind: try convert($0.kind), orders: $0.orders, emergencies: $0.emergencies) },
                clocks: try s.clocks.map {
                    .init(kind: try convert($0.kind), emergencyOnly: $0.emergencyOnly, decided: $0.decided, met: $0.met,
                          attainmentPercent: $0.attainmentPercent, medianSeconds: $0.medianSeconds, p90Seconds: $0.p90Seconds)
                },
                ratings: s.ratings, averageRating: s.averageRating),
            openOrders: .init(total: f.ages.total, bands: OpenOrderAges.Band.allCases.map {
                .init(band: $0.rawValue, title: $0.title.text(lang), count: f.ages.count($0))
            }),
            complaints: f.complaints,
            returnVisits: .init(visits: f.returnVisits.visits, satisfied: f.returnVisits.satisfied, satisfiedPerMille: f.returnVisits.perMille),
            collectionRate: .init(dueFen: f.collection.dueFen, collectedFen: f.collection.collectedFen, perMille: f.collection.perMille),
            duties: try f.duties.map { r in
                .init(dutyId: r.duty.id, citation: r.duty.citation, title: r.duty.title.text(lang), asks: r.duty.asks.text(lang),
                      scope: try convert(r.duty.scope), period: r.duty.period.title.text(lang), target: r.duty.target.text.text(lang),
                      value: r.measurement.valueText, numerator: r.measurement.numerator, denominator: r.measurement.denominator,
                      outcome: try convert(r.outcome),
                      records: r.measurement.records.prefix(100).map { .init(label: $0.label, path: $0.path, missed: $0.missed) })
            },
            trend: f.trend.map {
                .init(month: $0.month, orders: $0.orders, complaints: $0.complaints, ratings: $0.ratings, averageRating: $0.averageRating,
                      responsePercent: $0.attainmentPercent(.response), arrivalPercent: $0.attainmentPercent(.arrival),
                      completionPercent: $0.attainmentPercent(.completion), collectionPerMille: $0.collectionPerMille)
            }))))
    }

    func exportDashboard(_ input: Operations.ExportDashboard.Input) async throws -> Operations.ExportDashboard.Output {
        let req = try RequestContext.current
        let a = try await dashboardAsk(input.path.communityId, month: input.query.month, area: input.query.areaId, req)
        let f = try await DashboardAccess.figures(a, req)
        let (table, _) = try DashboardAccess.table(input.query.table?.rawValue, f, req.language)
        switch input.query.format ?? .csv {
        case .csv:
            return .ok(.init(body: .csv(HTTPBody(table.csvData()))))
        case .xlsx:
            return .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(try ExportResponse.workbook(table)))))
        }
    }

    /// The dashboard's scope for an API caller: `readDashboards`, the community's reach, then the area.
    private func dashboardAsk(_ rawCommunity: String, month: String, area: String?, _ req: Request) async throws -> DashboardAccess.Ask {
        let (communityID, reach) = try Scoped.community(rawCommunity, .readDashboards, req)
        guard let community = try await req.store.registry.community(communityID) else { throw DomainError.notFound(Noun.community) }
        return try await DashboardAccess.ask(community: community, reach: reach, month: month, area: area, req)
    }
}
