import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The dashboard's figures that the month summary does not already give (REP-1): the open
/// backlog by age, return-visit results, and the 12-month trend — each one grouped query.
extension ReportStore {
    // Grouped by the output column's name: PostgreSQL would not match a repeated CASE whose binds are numbered anew.

    /// The orders still open (neither closed nor cancelled) by how long ago they were registered, as of `at`.
    public func openOrderAges(community: UUID, visibleAreas: Set<UUID>?, at: Date) async throws -> OpenOrderAges {
        var scope: SQLQueryString = "o.community_id = \(bind: community) AND o.status NOT IN ('closed', 'cancelled')"
        if let areas = visibleAreas {
            guard !areas.isEmpty else { return OpenOrderAges(counts: [:]) }
            scope += " AND o.area_id IN (\(binds: areas.map { $0 as any Encodable & Sendable }))"
        }
        let day = 86_400.0
        let band: SQLQueryString = """
            CASE WHEN o.created_at > \(bind: at.addingTimeInterval(-day)) THEN 0 WHEN o.created_at > \(bind: at.addingTimeInterval(-3 * day)) THEN 1 \
            WHEN o.created_at > \(bind: at.addingTimeInterval(-7 * day)) THEN 2 WHEN o.created_at > \(bind: at.addingTimeInterval(-30 * day)) THEN 3 ELSE 4 END
            """
        let rows = try await sql.raw("SELECT \(band) AS band, COUNT(*) AS n FROM work_orders o WHERE \(scope) GROUP BY band").all()
        let bands = OpenOrderAges.Band.allCases
        var counts: [OpenOrderAges.Band: Int] = [:]
        for row in rows {
            let i = try row.decode(column: "band", as: Int.self)
            guard bands.indices.contains(i) else { continue }
            counts[bands[i], default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return OpenOrderAges(counts: counts)
    }

    /// Return visits (回访) recorded on the orders registered in `month`, and how many found the resident satisfied.
    public func returnVisits(community: UUID, month: String, timeZone: String, visibleAreas: Set<UUID>?) async throws -> ReturnVisitFigures {
        let (from, until) = try MonthSummary.range(month: month, timeZone: timeZone)
        var scope: SQLQueryString = "o.community_id = \(bind: community) AND o.created_at >= \(bind: from) AND o.created_at < \(bind: until)"
        if let areas = visibleAreas {
            guard !areas.isEmpty else { return ReturnVisitFigures(visits: 0, satisfied: 0) }
            scope += " AND o.area_id IN (\(binds: areas.map { $0 as any Encodable & Sendable }))"
        }
        // The entry's facts are sorted-key JSON (AuditEntry.snapshot): {"method":"phone","satisfied":"true"}.
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n, COUNT(CASE WHEN t.data LIKE '%"satisfied":"true"%' THEN 1 END) AS satisfied
            FROM work_orders o JOIN timeline_entries t ON t.subject_id = o.id AND t.subject_kind = 'work_order'
            WHERE \(scope) AND t.kind = 'return_visited'
            """).first()
        return ReturnVisitFigures(visits: try row?.decode(column: "n", as: Int.self) ?? 0, satisfied: try row?.decode(column: "satisfied", as: Int.self) ?? 0)
    }

    /// The `count` months ending with `month`: orders, complaints, ratings and clock attainment
    /// per month, counted as `monthSummary` counts them, in two grouped queries over the whole
    /// span (each order is bucketed into its month by the months' local boundaries) — not one
    /// scan per month.
    public func trend(community: UUID, endingWith month: String, count: Int, timeZone: String, visibleAreas: Set<UUID>?) async throws -> [MonthTrend] {
        let months = MonthTrend.months(endingWith: month, count: min(max(count, 1), 36))
        var bounds: [Date] = []
        for m in months { bounds.append(try MonthSummary.range(month: m, timeZone: timeZone).from) }
        bounds.append(try MonthSummary.range(month: month, timeZone: timeZone).until)
        var trend = months.map(MonthTrend.init(month:))
        var scope: SQLQueryString = "o.community_id = \(bind: community) AND o.created_at >= \(bind: bounds[0]) AND o.created_at < \(bind: bounds[bounds.count - 1])"
        if let areas = visibleAreas {
            guard !areas.isEmpty else { return trend }
            scope += " AND o.area_id IN (\(binds: areas.map { $0 as any Encodable & Sendable }))"
        }
        // One month (2000-01, the first the range allows) is a single bucket: "CASE ELSE … END" is no SQL.
        var bucket: SQLQueryString = months.count == 1 ? "0" : "CASE"
        if months.count > 1 {
            for i in 1..<months.count { bucket += " WHEN o.created_at < \(bind: bounds[i]) THEN \(unsafeRaw: String(i - 1))" }
            bucket += " ELSE \(unsafeRaw: String(months.count - 1)) END"
        }
        let orders = try await sql.raw("""
            SELECT \(bucket) AS m, COUNT(*) AS n, COUNT(CASE WHEN o.kind = 'complaint' THEN 1 END) AS complaints,
                   COUNT(o.rating) AS rated, CAST(COALESCE(SUM(o.rating), 0) AS BIGINT) AS rating_sum
            FROM work_orders o WHERE \(scope) GROUP BY m
            """).all()
        for row in orders {
            let i = try row.decode(column: "m", as: Int.self)
            guard trend.indices.contains(i) else { continue }
            trend[i].orders = try row.decode(column: "n", as: Int.self)
            trend[i].complaints = try row.decode(column: "complaints", as: Int.self)
            trend[i].ratings = try row.decode(column: "rated", as: Int.self)
            trend[i].ratingSum = try row.decode(column: "rating_sum", as: Int.self)
        }
        // MonthSummary.ClockRow.met: late → missed; stopped by the due time → met; running and not late → undecided.
        let clocks = try await sql.raw("""
            SELECT \(bucket) AS m, c.kind AS kind,
                   COUNT(CASE WHEN c.breached_at IS NOT NULL OR c.stopped_at IS NOT NULL THEN 1 END) AS decided,
                   COUNT(CASE WHEN c.breached_at IS NULL AND c.stopped_at IS NOT NULL AND c.stopped_at <= c.due_at THEN 1 END) AS met
            FROM work_orders o JOIN sla_clocks c ON c.subject_id = o.id AND c.subject_kind = 'work_order'
            WHERE \(scope) AND o.status <> 'cancelled' AND c.kind IN ('response', 'arrival', 'completion')
            GROUP BY m, c.kind
            """).all()
        for row in clocks {
            let i = try row.decode(column: "m", as: Int.self)
            guard trend.indices.contains(i), let kind = ClockKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            trend[i].decided[kind] = try row.decode(column: "decided", as: Int.self)
            trend[i].met[kind] = try row.decode(column: "met", as: Int.self)
        }
        return trend
    }
}
