import Fluent
import Foundation
import PropDeskCore

/// S0 3.1 and S0 3.2 as duties (PLT-1): rectifications done by their due day, month by month;
/// the year's culture plan approved and its events held as planned.
struct CustomerRelationsDuties: DutyMeasurer {
    static let rectificationsOnTime = Duty(
        id: "S0-3.1-rectifications-on-time", citation: "S0 3.1",
        title: Message(zh: "共性问题按期整改", en: "Rectifications of common issues done on time"),
        asks: Message(zh: "对客户访谈中关注的共性问题制定整改措施,按计划完成日期落实并公示", en: "Measures against the common issues customers raise are done by their due day and published"),
        scope: .community, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "customer_relations")

    static let culturePlan = Duty(
        id: "S0-3.2-culture-plan", citation: "S0 3.2",
        title: Message(zh: "年度社区文化活动按计划开展", en: "The year's culture plan approved and its events held"),
        asks: Message(zh: "编制年度社区文化建设计划并经批准,按计划开展小区活动,保留活动记录", en: "An approved yearly culture plan; its events held as planned, with records"),
        scope: .community, period: .year, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "customer_relations")

    var duties: [Duty] { [Self.rectificationsOnTime, Self.culturePlan] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let store = CustomerRelationsStore(db: db, now: { place.asOf }, publish: { _, _ in throw DomainError.forbidden })
        switch duty.id {
        case Self.culturePlan.id:
            return try await culture(store, place)
        default:
            return try await onTime(store, place)
        }
    }

    /// Rectifications due in the month (their due day over by `asOf`): done by the day.
    private func onTime(_ store: CustomerRelationsStore, _ place: DutyPlace) async throws -> DutyMeasurement {
        let due = try await store.rectifications(community: place.communityID, dueFrom: place.from, until: min(place.until, place.asOf))
        let path = "/c/\(place.communityID.uuidString)/issues"
        let records = due.map { r in
            RecordLink(label: "\(r.dueDay) · \(r.ownerName) · \(r.onTime ? "按期完成" : r.status == .done ? "逾期完成" : "逾期未完成") · \(r.measure.prefix(30))",
                       path: path, missed: !r.onTime)
        }.sorted { $0.missed && !$1.missed }
        return DutyMeasurement(numerator: due.filter(\.onTime).count, denominator: due.count, records: Array(records.prefix(50)), allRecordsPath: path)
    }

    /// The year's events whose day is over by `asOf`: held (recorded); none count while the plan
    /// is not approved.
    private func culture(_ store: CustomerRelationsStore, _ place: DutyPlace) async throws -> DutyMeasurement {
        let path = "/c/\(place.communityID.uuidString)/culture?year=\(place.period.prefix(4))"
        guard let year = Int(place.period.prefix(4)), let plan = try await store.plan(community: place.communityID, year: year) else {
            return DutyMeasurement(numerator: 0, denominator: 1, records: [RecordLink(label: "未编制年度文化活动计划", path: path, missed: true)], allRecordsPath: path)
        }
        let today = PatrolCoverage.day(of: place.asOf, timeZone: place.timeZone).label
        let due = try await store.events(plan: plan.id).filter { $0.day < today }
        guard plan.status == .approved else {
            return DutyMeasurement(numerator: 0, denominator: max(1, due.count),
                                   records: [RecordLink(label: "年度计划\(plan.status.title.zhHans),尚未批准", path: path, missed: true)], allRecordsPath: path)
        }
        let records = due.map { e in
            RecordLink(label: "\(e.day) · \(e.title) · \(e.held ? "已开展,\(e.attendance ?? 0) 人参加" : "未见活动记录")", path: path, missed: !e.held)
        }.sorted { $0.missed && !$1.missed }
        return DutyMeasurement(numerator: due.filter(\.held).count, denominator: due.count, records: records, allRecordsPath: path)
    }
}
