import Fluent
import Foundation
import PropDeskCore

/// S2 4.8.2 as a duty (PLT-1): every supervisor's log reviewed — replied to by the CS manager —
/// by the end of the next working day. A month's value: logs due in it that were replied to in
/// time, out of those due (by now); each late or unreviewed log is listed first.
struct WorkLogDuties: DutyMeasurer {
    static let reviewed = Duty(
        id: "S2-4.8.2-log-reviewed", citation: "S2 4.8.2",
        title: Message(zh: "次日审阅区域客户主任工作记录并回复", en: "Supervisors' logs reviewed and replied to the next working day"),
        asks: Message(zh: "客户服务部门负责人每天上班时必须先认真审阅上一天各区域客户主任的记录表,并在记录表中予以明确回复",
                      en: "Each working day the CS manager first reviews the previous day's supervisors' logs and replies in them"),
        scope: .area, period: .withinWorkingDays(1), target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "work_logs")

    var duties: [Duty] { [Self.reviewed] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let asOf = min(place.asOf, place.until)
        let q = WorkLogModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$reviewDueAt >= place.from).filter(\.$reviewDueAt < place.until)
        if let area = place.areaID { q.filter(\.$areaID == area) }
        let logs = try await q.sort(\.$reviewDueAt).all().map(\.domain).filter { $0.reviewedAt != nil || $0.reviewDueAt <= asOf }
        var misses: [RecordLink] = [], kept: [RecordLink] = []
        for log in logs {
            let path = "/logs/\(log.id.uuidString)"
            if log.reviewedOnTime {
                kept.append(RecordLink(label: "\(log.day) · \(log.supervisorName)", path: path, missed: false))
            } else {
                misses.append(RecordLink(label: "\(log.day) · \(log.supervisorName)\(log.reviewedAt == nil ? "(未审阅)" : "(逾期审阅)")", path: path, missed: true))
            }
        }
        return DutyMeasurement(numerator: kept.count, denominator: logs.count, records: Array((misses + kept.reversed()).prefix(WorkOrderDuties.recordLimit)))
    }
}
