import Fluent
import Foundation
import PropDeskCore

/// S0 3.3 as a duty (PLT-1): the community's satisfaction survey is held and its statistics kept
/// at least once a year. The value is the response rate of the last survey closed in the year —
/// households answered out of households asked — and the year is met when a survey was closed
/// with at least one answer; a year without a closed survey counts nothing out of the
/// community's households (0 %, missed).
struct SurveyDuties: DutyMeasurer {
    static let yearly = Duty(
        id: "S0-3.3-satisfaction-survey", citation: "S0 3.3",
        title: Message(zh: "每年至少开展一次满意度调查并建档", en: "A satisfaction survey held and archived at least once a year"),
        asks: Message(zh: "定期开展小区客户对物业服务工作的满意度调查,有调查统计表并建档保存(数值为当年最近一次已结束调查的回收率)",
                      en: "Survey the households' satisfaction with the property services regularly, with a statistics table kept on file (value: the response rate of the year's last closed survey)"),
        scope: .community, period: .year, target: .shareAtLeast(perMille: 1), owner: .csManager, capability: "surveys")

    var duties: [Duty] { [Self.yearly] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let store = SurveyStore(db: db, now: { place.asOf })
        let closed = try await SurveyModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$status == SurveyStatus.closed.rawValue)
            .filter(\.$closedAt >= place.from).filter(\.$closedAt < place.until).filter(\.$closedAt <= place.asOf).sort(\.$closedAt, .descending).all()
        var records: [RecordLink] = []
        var last: (Int, Int)?
        for m in closed {
            guard let s = try await store.survey(m.id!) else { continue }
            var stats = try await store.statistics(s)
            if let area = place.areaID { stats = stats.restricted(to: [area]) }
            if last == nil { last = (stats.responded, stats.households) }
            records.append(RecordLink(label: "\(s.title)(\(s.period)):回收 \(stats.responded) 户 / \(stats.households) 户 \(SurveyStatistics.percent(stats.ratePerMille))",
                                      path: "/c/\(place.communityID.uuidString)/surveys/\(s.id.uuidString)", missed: stats.responded == 0))
        }
        if let (n, d) = last { return DutyMeasurement(numerator: n, denominator: d, records: records, allRecordsPath: "/c/\(place.communityID.uuidString)/surveys") }
        let households = try await AssignmentStore(db: db, now: { place.asOf }).households(community: place.communityID)
        let d = place.areaID.map { households[$0] ?? 0 } ?? households.values.reduce(0, +)
        return DutyMeasurement(numerator: 0, denominator: d, records: [], allRecordsPath: "/c/\(place.communityID.uuidString)/surveys")
    }
}
