import Fluent
import Foundation
import PropDeskCore

/// The demo's satisfaction surveys (CR-2): per community, last year's second-half survey and this
/// period's, both closed, about 300 households each (portal and paper). One area — the last by
/// name — is clearly less satisfied, and worse than last time on repairs; the others improved a
/// little. Responses are written in bulk, one transaction per survey.
enum SurveyDemo {
    /// The residents' words, by how they felt.
    static let happy = ["保洁阿姨很负责,楼道每天都很干净", "客服中心态度好,办事快", "门岗对访客登记很认真", "希望继续保持", "绿化修剪得很漂亮"]
    static let unhappy = ["报修后等了三天才来人", "地下车库照明不足,晚上不安全", "楼道垃圾清运不及时,有异味", "电梯经常停用,维修太慢",
                          "外来车辆乱停,门岗不管", "投诉后没有回音"]

    static func write(community cid: UUID, manager: Actor, clerks: [Actor], asOf end: Date, seed: UInt64, on db: any Database) async throws {
        guard try await SurveyModel.query(on: db).filter(\.$communityID == cid).count() == 0, !clerks.isEmpty else { return }
        let areas = try await AreaModel.query(on: db).filter(\.$communityID == cid).sort(\.$name).all().compactMap(\.id)
        guard let weak = areas.last else { return }
        let units = try await UnitModel.query(on: db).filter(\.$communityID == cid).filter(\.$kind != UnitKind.parking.rawValue).sort(\.$id).all()
            .compactMap { u -> (UUID, UUID?)? in u.id.map { ($0, u.areaID) } }
        guard !units.isEmpty else { return }
        var residents: [UUID: (UUID, String)] = [:]
        let links = try await OccupancyModel.query(on: db).filter(\.$communityID == cid).sort(\.$id).all()
        let names = Dictionary(uniqueKeysWithValues: try await PersonModel.query(on: db).filter(\.$communityID == cid).all().compactMap { p in p.id.map { ($0, p.name) } })
        for l in links where residents[l.unitID] == nil { residents[l.unitID] = (l.personID, names[l.personID] ?? "业主") }
        var rng = SeededRandom(seed: seed)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let year = cal.component(.year, from: end)
        let half = cal.component(.month, from: end) >= 7 ? "H2" : "H1"
        let plans: [(title: String, period: String, opened: Date, closed: Date, better: Bool)] = [
            ("\(year - 1) 年下半年业主满意度调查", "\(year - 1)-H2", end.addingTimeInterval(-380 * 86_400), end.addingTimeInterval(-352 * 86_400), false),
            ("\(year) 年\(half == "H2" ? "下" : "上")半年业主满意度调查", "\(year)-\(half)", end.addingTimeInterval(-30 * 86_400), end.addingTimeInterval(-3 * 86_400), true),
        ]
        for plan in plans {
            let draft = SurveyStore(db: db, now: { plan.opened.addingTimeInterval(-86_400) })
            let s = try await draft.create(.init(id: UUID(), title: plan.title, period: plan.period, areaIDs: [], questions: SurveyQuestion.standard),
                                           community: cid, by: manager)
            _ = try await SurveyStore(db: db, now: { plan.opened }).open(s.id, by: manager)
            let picked = units.shuffled(using: &rng).prefix(min(units.count, 280 + Int.random(in: 0...40, using: &rng)))
            let span = plan.closed.timeIntervalSince(plan.opened) - 3600
            var responses: [SurveyResponse] = []
            for (unit, area) in picked {
                let isWeak = area == weak
                let at = plan.opened.addingTimeInterval(Double.random(in: 600...span, using: &rng))
                var answers: [SurveyAnswer] = []
                var low = 0
                for q in SurveyQuestion.standard where q.kind == .scale {
                    // Points 1…5 as indices 0…4; the weak area lower, on repairs worst of all and worse than last time.
                    var shift = isWeak ? (q.code == "repair" ? (plan.better ? -1.6 : -1.0) : -1.0) : (plan.better ? 0.2 : 0)
                    if q.code == "clean" && isWeak { shift -= 0.3 }
                    let point = max(0, min(4, Int((3.1 + shift + Double.random(in: -1.4...1.3, using: &rng)).rounded())))
                    if point <= 2 { low += 1 }
                    answers.append(SurveyAnswer(code: q.code, choices: [point]))
                }
                let wants = (0..<6).filter { i in Double.random(in: 0...1, using: &rng) < (isWeak && (i == 1 || i == 2) ? 0.6 : 0.15) }
                if !wants.isEmpty { answers.append(SurveyAnswer(code: "improve", choices: wants)) }
                if Double.random(in: 0...1, using: &rng) < 0.25 {
                    let pool = low >= 2 ? unhappy : happy
                    answers.append(SurveyAnswer(code: "opinion", text: pool[Int.random(in: 0..<pool.count, using: &rng)]))
                }
                let onPortal = residents[unit] != nil && Double.random(in: 0...1, using: &rng) < 0.55
                let clerk = clerks[Int.random(in: 0..<clerks.count, using: &rng)]
                responses.append(SurveyResponse(id: UUID(), surveyID: s.id, communityID: cid, unitID: unit, areaID: area, channel: onPortal ? .portal : .paper,
                                                personID: onPortal ? residents[unit]?.0 : nil, byName: onPortal ? residents[unit]?.1 ?? "业主" : clerk.name,
                                                byUserID: onPortal ? nil : clerk.userID, at: at, answers: answers))
            }
            let rows = responses
            try await db.writeTransaction { tx in try await SurveyStore.insert(rows, on: tx) }
            _ = try await SurveyStore(db: db, now: { plan.closed }).close(s.id, by: manager)
        }
    }
}
