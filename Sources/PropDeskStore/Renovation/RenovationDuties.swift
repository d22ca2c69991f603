import Fluent
import Foundation
import PropDeskCore

/// The renovation clause as a duty (PLT-1; S2 4.2.2, S0 5.4): every renovation in progress is
/// inspected at its set frequency — daily in a hand-over period. A month's value is the share of
/// inspection windows (one per `inspectEveryDays` days of each approved file) that had one; each
/// miss links to the file.
struct RenovationDuties: DutyMeasurer {
    static let inspected = Duty(
        id: "S2-4.2.2-renovation-inspection", citation: "S2 4.2.2",
        title: Message(zh: "装修单元按频次巡查", en: "Renovating units inspected as often as set"),
        asks: Message(zh: "每个装修单元按规定频次巡查并作好记录;集中装修期每个装修单元每天至少巡查一次",
                      en: "Each renovating unit is inspected as often as set and the visit recorded; at least daily in a hand-over period"),
        scope: .area, period: .day, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "renovation")

    var duties: [Duty] { [Self.inspected] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let asOf = min(place.asOf, place.until)
        let days = PatrolCoverage.days(from: place.from, until: place.until, endedBy: asOf, timeZone: place.timeZone)
        guard let first = days.first, let last = days.last else { return DutyMeasurement(numerator: 0, denominator: 0) }
        let q = RenovationModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$approvedAt != nil).filter(\.$approvedAt < last.end)
        if let area = place.areaID { q.filter(\.$areaID == area) }
        let files = try await q.all().map(\.domain).filter { ($0.closedAt ?? .distantFuture) > first.start }
        let store = RenovationStore(db: db, now: { asOf })
        let times = try await store.inspectionTimes(files.map(\.id), from: first.start, until: last.end)
        var met = 0, judged = 0
        var misses: [RecordLink] = [], kept: [RecordLink] = []
        for r in files {
            guard let approved = r.approvedAt else { continue }
            // Windows of `inspectEveryDays` whole days from the day after approval, while open.
            let open = days.filter { $0.start >= approved && $0.end <= (r.closedAt.map { PatrolCoverage.day(of: $0, timeZone: place.timeZone).start } ?? .distantFuture) }
            let every = max(1, r.inspectEveryDays)
            for window in stride(from: 0, to: open.count, by: every).map({ Array(open[$0..<min($0 + every, open.count)]) }) where window.count == every {
                guard let from = window.first?.start, let until = window.last?.end else { continue }
                judged += 1
                let path = "/renovations/\(r.id.uuidString)"
                let label = "\(r.number) · \(window.first?.label ?? "")"
                if (times[r.id] ?? []).contains(where: { $0 >= from && $0 < until }) {
                    met += 1
                    kept.append(RecordLink(label: label, path: path, missed: false))
                } else {
                    misses.append(RecordLink(label: label, path: path, missed: true))
                }
            }
        }
        return DutyMeasurement(numerator: met, denominator: judged, records: Array((misses + kept.reversed()).prefix(WorkOrderDuties.recordLimit)))
    }
}
