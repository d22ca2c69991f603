import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Reports over the work orders (REP-1). Each reads one community's orders of one period
/// through the (community_id, created_at) index, so a month costs what that month holds, not
/// what the database holds.
public struct ReportStore: Sendable {
    let db: any Database
    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Counts by kind, ratings, and every response / arrival / completion clock of the orders
    /// registered in `month` (clocks of cancelled orders were stopped, not met, so they are left out) (YYYY-MM, the community's local time); `visibleAreas` narrows it
    /// to an area supervisor's areas.
    public func monthSummary(community: UUID, month: String, timeZone: String, visibleAreas: Set<UUID>?) async throws -> MonthSummary {
        let (from, until) = try MonthSummary.range(month: month, timeZone: timeZone)
        var scope: SQLQueryString = "o.community_id = \(bind: community) AND o.created_at >= \(bind: from) AND o.created_at < \(bind: until)"
        if let areas = visibleAreas {
            guard !areas.isEmpty else { return MonthSummary(month: month, from: from, until: until, byKind: [], clocks: [], ratings: 0, ratingSum: 0) }
            scope += " AND o.area_id IN (\(binds: areas.map { $0 as any Encodable & Sendable }))"
        }
        let kinds = try await sql.raw("""
            SELECT o.kind AS kind, COUNT(*) AS n, COUNT(CASE WHEN o.priority = 'emergency' THEN 1 END) AS emergencies,
                   COUNT(o.rating) AS rated, CAST(COALESCE(SUM(o.rating), 0) AS BIGINT) AS rating_sum
            FROM work_orders o WHERE \(scope) GROUP BY o.kind
            """).all()
        var byKind: [MonthSummary.KindCount] = []
        var (ratings, ratingSum) = (0, 0)
        for row in kinds {
            guard let kind = RequestKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            byKind.append(.init(kind: kind, orders: try row.decode(column: "n", as: Int.self), emergencies: try row.decode(column: "emergencies", as: Int.self)))
            ratings += try row.decode(column: "rated", as: Int.self)
            ratingSum += try row.decode(column: "rating_sum", as: Int.self)
        }
        let clockRows = try await sql.raw("""
            SELECT c.kind AS kind, o.priority AS priority, c.started_at AS started_at, c.due_at AS due_at, c.stopped_at AS stopped_at,
                   c.breached_at AS breached_at, c.held_seconds AS held_seconds
            FROM work_orders o JOIN sla_clocks c ON c.subject_id = o.id AND c.subject_kind = 'work_order'
            WHERE \(scope) AND o.status <> 'cancelled' AND c.kind IN ('response', 'arrival', 'completion')
            """).all()
        let clocks = try clockRows.compactMap { row -> MonthSummary.ClockRow? in
            guard let kind = ClockKind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let priority = Priority(rawValue: try row.decode(column: "priority", as: String.self)) else { return nil }
            return MonthSummary.ClockRow(kind: kind, priority: priority, startedAt: try row.decode(column: "started_at", as: Date.self),
                                         dueAt: try row.decode(column: "due_at", as: Date.self),
                                         stoppedAt: try row.decode(column: "stopped_at", as: Date?.self),
                                         breachedAt: try row.decode(column: "breached_at", as: Date?.self),
                                         heldSeconds: try row.decode(column: "held_seconds", as: Int.self))
        }
        return MonthSummary(month: month, from: from, until: until, byKind: byKind, clocks: clocks, ratings: ratings, ratingSum: ratingSum)
    }
}
