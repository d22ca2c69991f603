import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// The standards scorecard as JSON (REP-2): the same rows as the page, for the same people —
/// center head, CS manager, front desk, and an area supervisor for one of their areas.
extension APIHandler {
    func getScorecard(_ input: Operations.GetScorecard.Input) async throws -> Operations.GetScorecard.Output {
        let req = try RequestContext.current
        let (communityID, areas) = try Scoped.community(input.path.communityId, .reviewOrders, req)
        guard let community = try await req.store.registry.community(communityID) else { throw DomainError.notFound(Noun.community) }
        var areaID: UUID?
        if let raw = input.query.areaId {
            guard let id = UUID(uuidString: raw), areas?.contains(id) ?? true,
                  try await req.store.registry.areas(community: communityID, only: [id]).first != nil else { throw DomainError.notFound(Noun.area) }
            areaID = id
        } else if let areas {
            guard let first = try await req.store.registry.areas(community: communityID, only: areas).first else { throw DomainError.forbidden }
            areaID = first.id
        }
        let lang = req.language
        let (from, until) = try MonthSummary.range(month: input.query.month, timeZone: community.timeZone)
        let rows = try await req.store.duties.scorecard(community: communityID, month: input.query.month, timeZone: community.timeZone, areaID: areaID)
        return .ok(.init(body: .json(.init(
            month: input.query.month, areaId: areaID?.uuidString, from: from, until: until,
            rows: try rows.map { r in
                .init(dutyId: r.duty.id, citation: r.duty.citation, title: r.duty.title.text(lang), asks: r.duty.asks.text(lang),
                      scope: try convert(r.duty.scope), period: r.duty.period.title.text(lang), target: r.duty.target.text.text(lang),
                      value: r.measurement.valueText, numerator: r.measurement.numerator, denominator: r.measurement.denominator,
                      outcome: try convert(r.outcome),
                      records: r.measurement.records.map { .init(label: $0.label, path: $0.path, missed: $0.missed) })
            }))))
    }
}
