import Fluent
import Foundation
import PropDeskCore

/// The patrol clauses of S2 4.2.1 as duties (PLT-1): each key spot of an area visited every day,
/// every checkpoint of the area every week. A month's value is the share of area-days (area-
/// weeks) on which nothing due was missed; each miss is listed with the checkpoints left out and
/// links to that week's coverage grid.
struct PatrolDuties: DutyMeasurer {
    static let keySpotsDaily = Duty(
        id: "S2-4.2.1-key-spots-daily", citation: "S2 4.2.1",
        title: Message(zh: "重点部位每天巡查一次", en: "Key spots patrolled every day"),
        asks: Message(zh: "区域客户主任对责任区域重点部位每天巡查一次(大堂、装修楼层、公共维修作业区、主要休闲设施)",
                      en: "The area supervisor patrols every key spot of the area once a day (lobbies, renovating floors, common-area works, main recreation places)"),
        scope: .area, period: .day, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "patrols")
    static let fullWeekly = Duty(
        id: "S2-4.2.1-full-weekly", citation: "S2 4.2.1",
        title: Message(zh: "责任区域每周全面巡查一次", en: "Whole area patrolled every week"),
        asks: Message(zh: "每周对责任区域全面巡查一次:区域内每个检查点每周至少巡查一次",
                      en: "Once a week the whole area: every checkpoint of the area visited at least once a week"),
        scope: .area, period: .week, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "patrols")

    var duties: [Duty] { [Self.keySpotsDaily, Self.fullWeekly] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let daily = duty.id == Self.keySpotsDaily.id
        let asOf = min(place.asOf, place.until)
        let spans = daily
            ? PatrolCoverage.days(from: place.from, until: place.until, endedBy: asOf, timeZone: place.timeZone)
            : PatrolCoverage.weeks(endingIn: place.from, until: place.until, endedBy: asOf, timeZone: place.timeZone)
        guard let first = spans.first, let last = spans.last else { return DutyMeasurement(numerator: 0, denominator: 0) }
        let store = PatrolStore(db: db, now: { asOf }, outbox: false)
        let checkpoints = try await store.checkpoints(community: place.communityID, areas: place.areaID.map { [$0] }, retired: true)
        let visits = try await store.visitTimes(community: place.communityID, area: place.areaID, from: first.start, until: last.end)
        let responsible = try await store.responsible(areas: Array(Set(checkpoints.map(\.areaID))))
        let areaNames = Dictionary(uniqueKeysWithValues: try await AreaModel.query(on: db).filter(\.$communityID == place.communityID).all()
            .compactMap { a in a.id.map { ($0, a.name) } })
        var met = 0, judged = 0
        var misses: [RecordLink] = [], kept: [RecordLink] = []
        for (area, points) in Dictionary(grouping: checkpoints, by: \.areaID).sorted(by: { (areaNames[$0.key] ?? "") < (areaNames[$1.key] ?? "") }) {
            for span in spans {
                guard !PatrolCoverage.due(points, in: span, keySpotsOnly: daily).isEmpty else { continue }
                judged += 1
                let missed = PatrolCoverage.missed(points, visitedAt: visits, in: span, keySpotsOnly: daily)
                let week = daily ? PatrolCoverage.week(of: span.start, timeZone: place.timeZone).label : span.label
                let path = "/c/\(place.communityID.uuidString)/patrol/coverage?area=\(area.uuidString)&week=\(week)"
                let label = "\(span.label) · \(areaNames[area] ?? "")"
                if missed.isEmpty {
                    met += 1
                    kept.append(RecordLink(label: label, path: path, missed: false))
                } else {
                    // Who missed it (the area's supervisor), and what.
                    let who = (responsible[area] ?? []).joined(separator: "、")
                    misses.append(RecordLink(label: "\(label)\(who.isEmpty ? "" : "(\(who))"):\(missed.map(\.name).joined(separator: "、"))", path: path, missed: true))
                }
            }
        }
        return DutyMeasurement(numerator: met, denominator: judged, records: Array((misses + kept.reversed()).prefix(WorkOrderDuties.recordLimit)))
    }
}
