import Fluent
import Foundation
import PropDeskCore

/// The arrears clauses of S2 4.5 and the 95 % collection rate of S4 篇4 as duties (PLT-1), per
/// area and month. For the whole community an area-scoped duty sums its areas, so one area short
/// fails the community too.
struct FeeDuties: DutyMeasurer {
    static let listReceived = Duty(
        id: "S2-4.5.1-arrears-list", citation: "S2 4.5.1",
        title: Message(zh: "每月前 10 天掌握区域欠费清单", en: "The area's arrears list known in the first 10 days"),
        asks: Message(zh: "区域客户主任每月的前十天内,须掌握责任区域内业户的欠费清单(财务出具,区域客户主任签收)",
                      en: "In the first ten days of each month the area supervisor has the area's arrears list (prepared by finance, received by the supervisor)"),
        scope: .area, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "fees")
    static let longTermReport = Duty(
        id: "S2-4.5.3-long-term-report", citation: "S2 4.5.3",
        title: Message(zh: "每月提交长期欠费报告", en: "The long-term arrears report submitted every month"),
        asks: Message(zh: "欠费超过半年的业户,区域客户主任每月与财务核对后形成长期欠费报告,提交客户服务经理(经理签收)",
                      en: "Each month the area supervisor, after checking with finance, reports the units more than six months in arrears to the CS manager (who receives it)"),
        scope: .area, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "fees")
    static let reminders = Duty(
        id: "S2-4.5.4-arrears-reminders", citation: "S2 4.5.4",
        title: Message(zh: "长期欠费户每周电话催缴、每月两次上门", en: "Long-term arrears: a call every week, two door visits a month"),
        asks: Message(zh: "对长期欠费业户每周至少电话催缴一次;业户有人在家的,每月至少二次上门催缴(上门而家中无人的不计)",
                      en: "Each long-term unit is called at least once a week and, when someone lives there, visited at least twice a month (a visit finding nobody home does not count)"),
        scope: .area, period: .month, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "fees")
    static let collection = Duty(
        id: "S4-fee-collection-95", citation: "S4 篇4",
        title: Message(zh: "收费率不低于 95%", en: "Collection rate at least 95%"),
        asks: CollectionRate.definition,
        scope: .area, period: .month, target: .shareAtLeast(perMille: CollectionRate.targetPerMille), owner: .centerHead, capability: "fees")

    var duties: [Duty] { [Self.listReceived, Self.longTermReport, Self.reminders, Self.collection] }

    /// The first ten days: a list received before the 11th, 00:00 in the community's time zone.
    static func tenthDayEnd(from: Date, timeZone: String) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(byAdding: .day, value: 10, to: from) ?? from
    }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let store = FeeStore(db: db, now: { place.asOf })
        let cid = place.communityID.uuidString
        let areaRows = try await AreaModel.query(on: db).filter(\.$communityID == place.communityID).sort(\.$name).all()
        let areas = areaRows.filter { a in place.areaID.map { $0 == a.id } ?? true }
        let names = Dictionary(uniqueKeysWithValues: areaRows.compactMap { a in a.id.map { ($0, a.name) } })
        switch duty.id {
        case Self.listReceived.id, Self.longTermReport.id:
            let kind: ArrearsListKind = duty.id == Self.listReceived.id ? .list : .longTerm
            let deadline = kind == .list ? Self.tenthDayEnd(from: place.from, timeZone: place.timeZone) : place.until
            let lists = Dictionary(try await store.lists(community: place.communityID, areas: place.areaID.map { [$0] }, month: place.period, kind: kind)
                .map { ($0.areaID, $0) }, uniquingKeysWith: { a, _ in a })
            var num = 0
            var misses: [RecordLink] = [], kept: [RecordLink] = []
            for a in areas {
                guard let id = a.id else { continue }
                let l = lists[id]
                let ok = l?.receivedAt.map { $0 < deadline } ?? false
                let state: String
                if let l, let r = l.receivedAt { state = "\(l.preparedByName) 出具,\(l.receivedByName ?? "") \(AssignmentDuties.day(r, place.timeZone)) 签收" }
                else if let l { state = "\(l.preparedByName) 已出具,未签收" }
                else { state = "未出具" }
                let path = l.map { "/arrears-lists/\($0.id.uuidString)" } ?? "/c/\(cid)/arrears/lists?area=\(id.uuidString)&month=\(place.period)"
                let link = RecordLink(label: "\(a.name):\(place.period) \(kind.label.zhHans) · \(state)", path: path, missed: !ok)
                if ok { num += 1; kept.append(link) } else { misses.append(link) }
            }
            return DutyMeasurement(numerator: num, denominator: areas.count, records: misses + kept,
                                   allRecordsPath: "/c/\(cid)/arrears/lists?month=\(place.period)")
        case Self.reminders.id:
            let rows = try await store.reminderShortfalls(community: place.communityID, area: place.areaID, month: place.period, asOf: place.asOf)
            let labels = try await RegistryStore.unitLabels(Set(rows.map(\.arrears.unitID)), on: db)
            let records = rows.prefix(200).map { s in
                var gaps: [String] = []
                if !s.weeksWithoutCall.isEmpty { gaps.append("第 \(s.weeksWithoutCall.map(String.init).joined(separator: "、")) 周未电话催缴") }
                if s.visitsMissing > 0 { gaps.append("上门 \(s.visits)/\(ReminderRules.visitsPerMonth) 次") }
                let area = s.arrears.areaID.flatMap { names[$0] } ?? ""
                return RecordLink(label: "\(area) \(labels[s.arrears.unitID] ?? "") · 欠 \(Money.yuan(s.arrears.outstandingFen)) \(s.arrears.months) 个月 · "
                                  + (gaps.isEmpty ? "已按要求催缴" : gaps.joined(separator: ";")),
                                  path: "/units/\(s.arrears.unitID.uuidString)/reminders", missed: !s.met)
            }
            return DutyMeasurement(numerator: rows.filter(\.met).count, denominator: rows.count, records: Array(records),
                                   allRecordsPath: "/c/\(cid)/arrears/long-term?month=\(place.period)")
        default:
            let rate = try await store.collectionRate(community: place.communityID, area: place.areaID, month: place.period)
            var records: [RecordLink] = []
            for a in areas where place.areaID == nil {
                guard let id = a.id else { continue }
                let r = try await store.collectionRate(community: place.communityID, area: id, month: place.period)
                guard r.dueFen > 0 else { continue }
                let ok = (r.perMille ?? 0) >= CollectionRate.targetPerMille
                records.append(RecordLink(label: "\(a.name):\(r.perMille.map(DutyTarget.percent) ?? "—")(\(Money.yuan(r.collectedFen)) / \(Money.yuan(r.dueFen)))",
                                          path: "/c/\(cid)/collection-rate?month=\(place.period)", missed: !ok))
            }
            records.sort { $0.missed && !$1.missed }
            return DutyMeasurement(numerator: rate.collectedFen, denominator: rate.dueFen, records: records,
                                   allRecordsPath: "/c/\(cid)/collection-rate?month=\(place.period)")
        }
    }
}
