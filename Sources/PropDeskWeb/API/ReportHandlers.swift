import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Reports (REP-1): for the people who review the service — center head, CS manager, front
/// desk, and area supervisors for their own areas.
extension APIHandler {
    func getMonthSummary(_ input: Operations.GetMonthSummary.Input) async throws -> Operations.GetMonthSummary.Output {
        let req = try RequestContext.current
        let (communityID, areas) = try Scoped.community(input.path.communityId, .reviewOrders, req)
        guard let community = try await req.store.registry.community(communityID) else { throw DomainError.notFound(Noun.community) }
        let s = try await req.store.reports.monthSummary(community: communityID, month: input.query.month, timeZone: community.timeZone, visibleAreas: areas)
        return .ok(.init(body: .json(.init(
            month: s.month, from: s.from, until: s.until, orders: s.orders,
            byKind: try s.byKind.map { .init(kind: try convert($0.kind), orders: $0.orders, emergencies: $0.emergencies) },
            clocks: try s.clocks.map {
                .init(kind: try convert($0.kind), emergencyOnly: $0.emergencyOnly, decided: $0.decided, met: $0.met,
                      attainmentPercent: $0.attainmentPercent, medianSeconds: $0.medianSeconds, p90Seconds: $0.p90Seconds)
            },
            ratings: s.ratings, averageRating: s.averageRating))))
    }
}
