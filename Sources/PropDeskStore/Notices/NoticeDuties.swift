import Fluent
import Foundation
import PropDeskCore

/// The notice board's clauses as duties (PLT-1): S0 3.4 — a service work report published on
/// the board every month (the monthly report, published as a notice with source
/// "report:<yyyy-MM>"; hand-written work_report notices do not count); S2 3.1.6 — expired
/// notices collected from the board, each within a day of coming off (by the end of the next
/// day), per area and month.
struct NoticeDuties: DutyMeasurer {
    static let workReport = Duty(
        id: "S0-3.4-work-report", citation: "S0 3.4",
        title: Message(zh: "每月在公告栏发布物业服务工作报告", en: "A service work report on the notice board every month"),
        asks: Message(zh: "在小区公共区域显著位置设立公告栏,定期(每月)发布物业服务工作报告",
                      en: "A notice board in a prominent public place, with the property service work report published on it regularly (monthly)"),
        scope: .community, period: .month, target: .countAtLeast(1), owner: .csManager, capability: "notices")
    static let expiredRemoved = Duty(
        id: "S2-3.1-expired-notices-removed", citation: "S2 3.1.6",
        title: Message(zh: "过期公告及时揭下", en: "Expired notices taken down in time"),
        asks: Message(zh: "区域客户主任负责公告栏的张贴与过期公告的回收:每份过期或撤回的公告在次日结束前从公告栏揭下",
                      en: "The area supervisor keeps the notice board: every expired or withdrawn notice is taken down by the end of the next day"),
        scope: .area, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "notices")

    /// The source prefix of a published monthly report ("report:<yyyy-MM>").
    static let reportSource = "report:"

    var duties: [Duty] { [Self.workReport, Self.expiredRemoved] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let path = "/c/\(place.communityID.uuidString)/notices"
        switch duty.id {
        case Self.workReport.id:
            // Only the monthly report published from the records (REP-1, source "report:<yyyy-MM>",
            // which the server alone sets) counts: a hand-written work_report notice is still a
            // notice on the board, but anyone who may publish could write one with nothing in it,
            // so it cannot keep S0 3.4 on its own.
            let reports = try await NoticeModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$kind == NoticeKind.workReport.rawValue)
                .filter(\.$startsAt >= place.from).filter(\.$startsAt < place.until).filter(\.$createdAt <= place.asOf).sort(\.$startsAt).all()
                .filter { $0.source?.hasPrefix(Self.reportSource) ?? false }
            return DutyMeasurement(numerator: reports.count, denominator: nil, records: reports.prefix(WorkOrderDuties.recordLimit).map { m in
                RecordLink(label: "\(AssignmentDuties.day(m.startsAt, place.timeZone)) · \(m.title)", path: "\(path)/\(m.id?.uuidString ?? "")", missed: false)
            })
        default:
            // Notices that were on the board and whose take-down fell due in the month (and has
            // come by `asOf`), each taken down by then or not.
            let asOf = min(place.asOf, place.until)
            let rows = try await NoticeModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$postedAt != nil)
                .filter(\.$expiresAt >= place.from.addingTimeInterval(-3 * 86_400)).filter(\.$startsAt < place.until).all()
            var kept: [RecordLink] = [], misses: [RecordLink] = []
            for m in rows where place.areaID.map({ a in m.reach.isEmpty || m.reach.contains(a) }) ?? true {
                let n = m.domain
                guard n.postedAt.map({ $0 < n.endedAt }) ?? false else { continue }
                let due = NoticeStore.takeDownDue(n, timeZone: place.timeZone)
                guard due >= place.from, due < place.until else { continue }
                let onTime = n.takenDownAt.map { $0 <= due } ?? false
                guard n.takenDownAt != nil || due <= asOf else { continue }
                let label = "\(AssignmentDuties.day(n.endedAt.addingTimeInterval(-1), place.timeZone)) · \(n.title)"
                if onTime {
                    kept.append(RecordLink(label: label, path: "\(path)/\(n.id.uuidString)", missed: false))
                } else {
                    misses.append(RecordLink(label: label + (n.takenDownAt == nil ? "(未揭下)" : "(逾期揭下)"), path: "\(path)/\(n.id.uuidString)", missed: true))
                }
            }
            return DutyMeasurement(numerator: kept.count, denominator: kept.count + misses.count,
                                   records: Array((misses + kept).prefix(WorkOrderDuties.recordLimit)))
        }
    }
}
