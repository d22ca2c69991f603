import Fluent
import Foundation
import PropDeskCore

/// S2 4.9.2 and 4.9.3 as duties (PLT-1): each area inspected by the CS manager at least twice a
/// month; at least 10 % of each area's visit records of the month checked by a call back.
struct SupervisionDuties: DutyMeasurer {
    static let inspections = Duty(
        id: "S2-4.9.2-area-inspections", citation: "S2 4.9.2",
        title: Message(zh: "每月对每个责任区域至少检查二次", en: "Each area inspected at least twice a month"),
        asks: Message(zh: "客户服务部门负责人对每个区域客户主任的责任区域每月至少二次全面检查,对照其记录表检查日常巡查工作质量",
                      en: "The CS manager inspects each supervisor's area at least twice a month, against the supervisor's log"),
        scope: .area, period: .month, target: .shareAtLeast(perMille: 1000), owner: .centerHead, capability: "supervision")
    static let spotChecks = Duty(
        id: "S2-4.9.3-visit-spot-checks", citation: "S2 4.9.3",
        title: Message(zh: "每月抽查核实家访记录不低于 10%", en: "At least 10% of visit records checked by call back each month"),
        asks: Message(zh: "每月安排前台人员对各区域客户主任记录表中的家访、电话访问记录进行抽查核实,抽查比例不得低于 10%",
                      en: "Each month the front desk calls back at least 10% of each supervisor's visit records to check them"),
        scope: .area, period: .month, target: .shareAtLeast(perMille: SpotCheckSample.perMille), owner: .csManager, capability: "supervision")

    var duties: [Duty] { [Self.inspections, Self.spotChecks] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let areaRows = try await AreaModel.query(on: db).filter(\.$communityID == place.communityID).sort(\.$name).all()
        let areas = areaRows.filter { a in place.areaID.map { $0 == a.id } ?? true }
        let c = place.communityID.uuidString
        var num = 0, den = 0
        var misses: [RecordLink] = [], kept: [RecordLink] = []
        if duty.id == Self.inspections.id {
            let store = SupervisionStore(db: db, now: { place.asOf })
            let done = Dictionary(grouping: try await store.inspections(community: place.communityID, areas: nil, from: place.from, until: place.until), by: \.areaID)
            for a in areas {
                guard let id = a.id else { continue }
                let n = done[id]?.count ?? 0
                num += place.areaID == nil ? min(n, AreaInspection.perMonth) : n
                den += AreaInspection.perMonth
                let link = RecordLink(label: "\(a.name):检查 \(n) 次 / 应 \(AreaInspection.perMonth) 次", path: "/c/\(c)/supervision?month=\(place.period)",
                                      missed: n < AreaInspection.perMonth)
                if link.missed { misses.append(link) } else { kept.append(link) }
            }
        } else {
            let visits = try await VisitStore(db: db, now: { place.asOf }, outbox: false)
                .facts(community: place.communityID, areas: Set(areas.compactMap(\.id)), from: place.from, until: place.until)
            let checks = try await SupervisionStore(db: db, now: { place.asOf }).checks(community: place.communityID, areas: nil, from: place.from, until: place.until)
            let verified = Dictionary(grouping: checks.filter { $0.outcome?.verifies == true }, by: \.areaID)
            let failed = checks.filter { $0.outcome == .notHappened }
            for (id, list) in Dictionary(grouping: visits, by: \.areaID) {
                let name = areaRows.first { $0.id == id }?.name ?? ""
                let n = verified[id]?.count ?? 0
                num += n
                den += list.count
                let ok = n * 1000 >= SpotCheckSample.perMille * list.count
                let link = RecordLink(label: "\(name):核实 \(n) 条 / 家访记录 \(list.count) 条", path: "/c/\(c)/spot-checks?month=\(place.period)", missed: !ok)
                if ok { kept.append(link) } else { misses.append(link) }
            }
            for f in failed {
                misses.append(RecordLink(label: "抽查不属实:\(f.supervisorName) · \(AssignmentDuties.day(f.visitedAt, place.timeZone))",
                                         path: "/c/\(c)/spot-checks?month=\(place.period)", missed: true))
            }
        }
        return DutyMeasurement(numerator: num, denominator: den, records: Array((misses + kept).prefix(WorkOrderDuties.recordLimit)))
    }
}
