import Fluent
import Foundation
import PropDeskCore

/// The visit clauses of S2 4.3 as duties (PLT-1): ≥ 3 % of an area's households visited each
/// month, ≥ 36 % over the year, phone visits at most 30 % of the year's required visits. For
/// one area the value is households visited out of those required; for the whole community,
/// the sum over its areas of what each area achieved (capped at its own quota) out of the sum
/// of the quotas — so one area short fails the community too.
struct VisitDuties: DutyMeasurer {
    static let monthly = Duty(
        id: "S2-4.3.1-monthly-visits", citation: "S2 4.3.1",
        title: Message(zh: "每月家访不少于总户数的 3%", en: "At least 3% of households visited each month"),
        asks: Message(zh: "区域客户主任每月按不少于责任区域内总户数 3% 的比例抽样,对业户实行上门家访(按户计,向上取整)",
                      en: "Each month the area supervisor visits at least 3% of the area's households (counted per household, rounded up)"),
        scope: .area, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "household_visits")
    static let yearly = Duty(
        id: "S2-4.3.1-annual-coverage", citation: "S2 4.3.1",
        title: Message(zh: "全年家访覆盖率不低于 36%", en: "At least 36% of households visited over the year"),
        asks: Message(zh: "全年上门家访的覆盖率不得低于 36%(按户计,向上取整)", en: "Over the year, visits reach at least 36% of the area's households (rounded up)"),
        scope: .area, period: .year, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "household_visits")
    static let phoneCap = Duty(
        id: "S2-4.3.3-phone-cap", citation: "S2 4.3.3",
        title: Message(zh: "全年电话访问不超过应家访户数的 30%", en: "Phone visits at most 30% of the year's required visits"),
        asks: Message(zh: "业户无人在家时可电话访问,但全年电话访问的户数不得超过本责任区域全年应家访业户总数的 30%",
                      en: "Phone visits (when nobody is at home) may not exceed 30% of the households the area must visit in the year"),
        scope: .area, period: .year, target: .shareAtMost(perMille: 300), owner: .csManager, capability: "household_visits")

    var duties: [Duty] { [Self.monthly, Self.yearly, Self.phoneCap] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let store = VisitStore(db: db, now: { place.asOf }, outbox: false)
        let (households, _) = try await store.households(community: place.communityID)
        let areaRows = try await AreaModel.query(on: db).filter(\.$communityID == place.communityID).sort(\.$name).all()
        let areas = areaRows.filter { a in place.areaID.map { $0 == a.id } ?? true }
        // A year seen from a past month is counted up to that month's end, not beyond it (the
        // scorecard hands the month's end, or now, as `asOf`; a visit saved this very second counts).
        let upTo = duty.period == .year ? min(place.until, max(place.asOf, place.from).addingTimeInterval(1)) : place.until
        let visits = try await store.facts(community: place.communityID, areas: Set(areas.compactMap(\.id)), from: place.from, until: upTo)
        let byArea = Dictionary(grouping: visits, by: \.areaID)
        var num = 0, den = 0
        var misses: [RecordLink] = [], kept: [RecordLink] = []
        let period = duty.period == .year ? DutyStore.month(of: min(place.asOf, place.until.addingTimeInterval(-1)), timeZone: place.timeZone) : place.period
        for a in areas {
            guard let id = a.id else { continue }
            let quota = VisitQuota(households: households[id] ?? 0)
            let n = VisitProgress.count(byArea[id] ?? [], monthFrom: place.from, monthUntil: place.until)
            let path = "/c/\(place.communityID.uuidString)/visits?area=\(id.uuidString)&month=\(period)"
            let (value, required, ok): (Int, Int, Bool)
            switch duty.id {
            case Self.monthly.id: (value, required, ok) = (n.month, quota.monthly, n.month >= quota.monthly)
            case Self.yearly.id: (value, required, ok) = (n.year, quota.yearly, n.year >= quota.yearly)
            default: (value, required, ok) = (n.phoneYear, quota.yearly, n.phoneYear <= quota.phoneCap)
            }
            guard required > 0 else { continue }
            if place.areaID != nil || duty.id == Self.phoneCap.id { num += value } else { num += min(value, required) }
            den += required
            let label = duty.id == Self.phoneCap.id
                ? "\(a.name):电话访问 \(value) 户 / 上限 \(quota.phoneCap) 户(应家访 \(required) 户)"
                : "\(a.name):已访 \(value) 户 / 应访 \(required) 户(共 \(quota.households) 户)"
            if ok { kept.append(RecordLink(label: label, path: path, missed: false)) } else { misses.append(RecordLink(label: label, path: path, missed: true)) }
        }
        return DutyMeasurement(numerator: num, denominator: den, records: misses + kept)
    }
}
