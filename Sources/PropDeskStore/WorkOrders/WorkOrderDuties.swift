import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The work-order clauses of the standards as duties (PLT-1), measured from the orders, clocks
/// and alerts of a month. Their values are the month summary's own figures (REP-1), so the
/// scorecard and `GET …/summary` always agree.
struct WorkOrderDuties: DutyMeasurer {
    static let emergencyArrival = Duty(
        id: "S0-2.3-emergency-arrival", citation: "S0 2.3",
        title: Message(zh: "紧急维修15分钟内到场", en: "Emergencies on site within 15 minutes"),
        asks: Message(zh: "水管爆裂、关键部位漏水、室内返水、停电等紧急情况,维修人员须在15分钟内到达现场并处理",
                      en: "Burst pipes, leaks at key points, back-flow into homes, power cuts: an engineer on site within 15 minutes"),
        scope: .community, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "work_orders")
    static let contractArrival = Duty(
        id: "S0-2.3-contract-arrival", citation: "S0 2.3",
        title: Message(zh: "其他维修按约定时间到场", en: "Other repairs on site by the agreed time"),
        asks: Message(zh: "其他情况依据合同约定时间到达现场并处理", en: "Everything else: on site and handled within the time the service contract agrees"),
        scope: .community, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "work_orders")
    static let noShowCallback = Duty(
        id: "S4-4.9-no-show-callback", citation: "S4 4.9",
        title: Message(zh: "20分钟未到场致电业户", en: "Call the resident when nobody is on site after 20 minutes"),
        asks: Message(zh: "若工程人员在20分钟内未到达现场,须致电业户解释原因,并跟进完工时间",
                      en: "If no engineer is on site 20 minutes after dispatch, call the resident, explain why and follow up on the finish time"),
        scope: .community, period: .month, target: .shareAtLeast(perMille: 1000), owner: .frontDesk, capability: "work_orders")

    var duties: [Duty] { [Self.emergencyArrival, Self.contractArrival, Self.noShowCallback] }

    /// How many records a scorecard row lists at most (the misses first).
    static let recordLimit = 100

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let sql = db as! any SQLDatabase
        let areas = place.areaID.map { Set([$0]) }
        switch duty.id {
        case Self.emergencyArrival.id, Self.contractArrival.id:
            let summary = try await ReportStore(db: db).monthSummary(community: place.communityID, month: place.period, timeZone: place.timeZone, visibleAreas: areas)
            let all = summary.clocks.first { $0.kind == .arrival && !$0.emergencyOnly }
            let emergency = summary.clocks.first { $0.kind == .arrival && $0.emergencyOnly }
            let emergencyOnly = duty.id == Self.emergencyArrival.id
            let met = emergencyOnly ? (emergency?.met ?? 0) : (all?.met ?? 0) - (emergency?.met ?? 0)
            let decided = emergencyOnly ? (emergency?.decided ?? 0) : (all?.decided ?? 0) - (emergency?.decided ?? 0)
            var scope: SQLQueryString = "o.community_id = \(bind: place.communityID) AND o.created_at >= \(bind: place.from) AND o.created_at < \(bind: place.until)"
            if let a = place.areaID { scope += " AND o.area_id = \(bind: a)" }
            scope += emergencyOnly ? " AND o.priority = 'emergency'" : " AND o.priority <> 'emergency'"
            // An emergency month is short: every one is listed. Other arrivals: the late ones.
            let late: SQLQueryString = emergencyOnly ? "" : " AND (c.breached_at IS NOT NULL OR c.stopped_at > c.due_at)"
            let rows = try await sql.raw("""
                SELECT o.id AS id, o.number AS number, c.breached_at AS breached_at, c.stopped_at AS stopped_at, c.due_at AS due_at
                FROM work_orders o JOIN sla_clocks c ON c.subject_id = o.id AND c.subject_kind = 'work_order'
                WHERE \(scope) AND o.status <> 'cancelled' AND c.kind = 'arrival'\(late)
                  AND (c.breached_at IS NOT NULL OR c.stopped_at IS NOT NULL)
                ORDER BY o.created_at LIMIT \(unsafeRaw: String(Self.recordLimit))
                """).all()
            let records = try rows.map { r -> RecordLink in
                let stopped = try r.decode(column: "stopped_at", as: Date?.self)
                let missed = try r.decode(column: "breached_at", as: Date?.self) != nil || (stopped.map { $0 > (try r.decode(column: "due_at", as: Date.self)) } ?? false)
                return RecordLink(label: try r.decode(column: "number", as: String.self), path: "/orders/\(try r.decode(column: "id", as: UUID.self).uuidString)", missed: missed)
            }
            return DutyMeasurement(numerator: met, denominator: decided, records: records.sorted { $0.missed && !$1.missed })
        case Self.noShowCallback.id:
            var scope: SQLQueryString = "a.community_id = \(bind: place.communityID) AND a.raised_at >= \(bind: place.from) AND a.raised_at < \(bind: place.until)"
            if let a = place.areaID { scope += " AND a.area_id = \(bind: a)" }
            let counts = try await sql.raw("""
                SELECT COUNT(*) AS n, COUNT(a.acknowledged_at) AS called FROM alerts a
                WHERE \(scope) AND a.subject_kind = 'work_order' AND a.kind = 'callback'
                """).first()
            let rows = try await sql.raw("""
                SELECT a.subject_id AS id, a.subject_label AS number, a.acknowledged_at AS acknowledged_at FROM alerts a
                WHERE \(scope) AND a.subject_kind = 'work_order' AND a.kind = 'callback'
                ORDER BY CASE WHEN a.acknowledged_at IS NULL THEN 0 ELSE 1 END, a.raised_at LIMIT \(unsafeRaw: String(Self.recordLimit))
                """).all()
            let records = try rows.map { r in
                RecordLink(label: try r.decode(column: "number", as: String.self), path: "/orders/\(try r.decode(column: "id", as: UUID.self).uuidString)",
                           missed: try r.decode(column: "acknowledged_at", as: Date?.self) == nil)
            }
            return DutyMeasurement(numerator: try counts?.decode(column: "called", as: Int.self) ?? 0,
                                   denominator: try counts?.decode(column: "n", as: Int.self) ?? 0, records: records)
        default:
            return DutyMeasurement(numerator: 0, denominator: 0)
        }
    }
}
