import Fluent
import Foundation
import PropDeskCore

/// The demo's supervisor records (FLD-1, FLD-2, FLD-5 … FLD-7), played through the stores as the
/// people would: the CS manager drafts the assignment table on the first day and the head
/// approves it; the desk posts the cards (one area's two days late); each supervisor visits
/// households on weekdays — about one in five by phone, one in six raising something that
/// becomes a request — and writes a closing note each working day; the manager replies to the
/// logs the next morning (one log a few days late) and inspects each area twice a month (one
/// area once, last month); the desk draws the month's call list near the month's end and
/// calls it back, and one visit turns out not to have happened. Last month, the second area
/// fell short of its 3 %. Three and a half weeks ago the temporary stand-in of the first area
/// left; the new table was approved a week later — two working days late.
enum SupervisionDemo {
    enum Act: Sendable {
        case table(manager: Actor, head: Actor, supervisors: [UUID: UUID], standIn: (area: UUID, user: UUID)?)
        case deactivate(UUID, Actor)
        case redraft(manager: Actor, replacing: UUID, with: UUID)
        case approveLatest(head: Actor)
        case postCards(Actor, exceptArea: UUID?)
        case postCard(area: UUID, Actor)
        case visit(VisitStore.VisitInput, Actor)
        case note(WorkLogEntryKind, String, Actor)
        case review(Actor, holdBack: (supervisor: UUID, day: String)?)
        case inspect(area: UUID, matches: Bool, findings: String, Actor)
        case spotChecks(month: String, Actor, falseOne: Bool)
    }

    static let zone = "Asia/Shanghai"
    static let notes = ["了解业户对保洁、绿化服务的意见,总体满意", "业户反映近期电梯运行平稳", "介绍社区活动安排,业户表示会参加",
                        "提醒业户注意阳台花盆防坠落", "业户对门岗服务态度表示满意", "了解业户装修计划,告知装修管理规定"]
    static let raised: [(RequestKind, String)] = [
        (.repair, "卫生间天花板渗水,疑似楼上防水问题"), (.suggestion, "建议在中心花园增加休闲座椅"),
        (.complaint, "楼上夜间装修噪音大,影响休息"), (.inquiry, "询问物业费是否可以按年缴纳"),
        (.repair, "入户门门禁卡失灵"), (.help, "家中老人行动不便,希望协助搬运大件物品"),
    ]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")

    /// Local day `d` after the demo's start, at `hour` local time.
    static func at(_ start: Date, day d: Int, hour: Double) -> Date {
        PatrolCoverage.day(of: start.addingTimeInterval(Double(d) * 86400), timeZone: zone).start.addingTimeInterval(hour * 3600)
    }

    static func weekday(_ date: Date) -> Int {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone)!
        return (c.component(.weekday, from: date) + 5) % 7 + 1
    }

    /// The plan of one community: (when, what).
    static func plan(community: UUID, areas: [(area: UUID, supervisor: Actor, units: [UUID])], temp: UUID?, desk: Actor, manager: Actor, head: Actor,
                     start: Date, end: Date, days: Int, rng: inout SeededRandom) -> [(Date, Act)] {
        var out: [(Date, Act)] = []
        guard !areas.isEmpty else { return out }
        let owners = Dictionary(uniqueKeysWithValues: areas.compactMap { a in a.supervisor.userID.map { (a.area, $0) } })
        out.append((at(start, day: 0, hour: 8.6), .table(manager: manager, head: head, supervisors: owners, standIn: temp.map { (areas[0].area, $0) })))
        // The temporary stand-in leaves (S2 4.1.1); the new table comes a week later.
        if let temp, days > 28, areas.count > 1, let other = areas[1].supervisor.userID {
            let leave = days - 25
            out.append((at(start, day: leave, hour: 11), .deactivate(temp, Actor.console("admin"))))
            out.append((at(start, day: leave + 6, hour: 10), .redraft(manager: manager, replacing: temp, with: other)))
            out.append((at(start, day: leave + 7, hour: 9), .approveLatest(head: head)))
        }
        let late = areas.count > 1 ? areas[1].area : nil
        out.append((at(start, day: 1, hour: 10), .postCards(desk, exceptArea: late)))
        if let late { out.append((at(start, day: 5, hour: 10), .postCard(area: late, desk))) }
        let thisMonth = DutyStore.month(of: end, timeZone: zone)
        // One log reviewed late: the first supervisor's, twelve days ago.
        let holdDay = max(1, days - 12)
        let hold = (supervisor: areas[0].supervisor.userID ?? UUID(), day: WorkingDays(ServiceHours(timeZone: zone)).dayKey(at(start, day: holdDay, hour: 12)))
        let order = areas.map { $0.units.shuffled(using: &rng) }
        var next = Array(repeating: 0, count: areas.count)
        var falseDone = false
        for d in stride(from: 1, through: days, by: 1) {
            let noon = at(start, day: d, hour: 12)
            guard noon < end else { break }
            let month = DutyStore.month(of: noon, timeZone: zone)
            let working = weekday(noon) <= 5
            // The manager replies to the logs every morning (one held back for three days).
            out.append((at(start, day: d, hour: 9.3), .review(manager, holdBack: d - holdDay < 3 ? hold : nil)))
            if working {
                for (i, a) in areas.enumerated() {
                    // About 11 visits a month per area; the second area only 5 last month.
                    let short = i == 1 && month != thisMonth
                    let chance = short ? 4 : 2
                    guard Int.random(in: 0..<chance, using: &rng) == 0, next[i] < order[i].count else {
                        out.append((at(start, day: d, hour: 17.5), .note(.note, "今日完成重点部位巡查,未安排家访", a.supervisor)))
                        continue
                    }
                    let unit = order[i][next[i]]
                    next[i] += 1
                    let mode: VisitMode = Int.random(in: 0..<5, using: &rng) == 0 ? .phone : .door
                    let met = "业主\(surnames.randomElement(using: &rng)!)\(Bool.random(using: &rng) ? "先生" : "女士")"
                    var items: [RaisedItem] = []
                    if Int.random(in: 0..<6, using: &rng) == 0, let r = raised.randomElement(using: &rng) { items.append(RaisedItem(kind: r.0, text: r.1)) }
                    let input = VisitStore.VisitInput(visitID: UUID(), unitID: unit, mode: mode, met: met, notes: notes.randomElement(using: &rng)!, raised: items)
                    out.append((at(start, day: d, hour: 14 + Double(Int.random(in: 0..<150, using: &rng)) / 60), .visit(input, a.supervisor)))
                    let issue = items.first.map { "家访中业户反映:\($0.text),已生成工单跟进" }
                    out.append((at(start, day: d, hour: 17.5), .note(issue == nil ? .note : .issue, issue ?? "今日巡查重点部位,家访 1 户,无异常", a.supervisor)))
                }
            }
            // Inspections on the 8th and 22nd of each month (the last area only once last month).
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(identifier: zone)!
            let dom = cal.component(.day, from: noon)
            if dom == 8 || dom == 22 {
                for (i, a) in areas.enumerated() where !(i == areas.count - 1 && dom == 22 && month != thisMonth) {
                    let matches = Int.random(in: 0..<5, using: &rng) != 0
                    out.append((at(start, day: d, hour: 10 + Double(i) * 0.5), .inspect(area: a.area, matches: matches,
                        findings: matches ? "大堂、楼道清洁良好,与工作记录相符" : "3栋楼道堆放杂物,工作记录未反映,已要求整改", manager)))
                }
            }
            // The call list near the month's end (and for this month, before the demo ends).
            if dom == 26 {
                out.append((at(start, day: d, hour: 15), .spotChecks(month: month, desk, falseOne: !falseDone)))
                falseDone = true
            }
        }
        return out
    }

    /// Plays one act on the simulated store.
    static func play(_ act: Act, community: UUID, on sim: Store) async throws {
        switch act {
        case .table(let manager, let head, let owners, let standIn):
            var rows = try await sim.assignments.proposal(community: community)
            guard !rows.isEmpty else { return }
            let phones = Dictionary(uniqueKeysWithValues: try await sim.assignments.supervisors(community: community).map { ($0.id, $0.phone) })
            for i in rows.indices {
                if let owner = owners[rows[i].areaID] {
                    rows[i].supervisorID = owner
                    rows[i].mobile = phones[owner] ?? rows[i].mobile
                }
                rows[i].workPhone = String(format: "0755-2688%04d", 1001 + i)
                if let s = standIn, rows[i].areaID == s.area { rows[i].standInID = s.user }
                if rows[i].standInID == rows[i].supervisorID { rows[i].standInID = owners.values.first { $0 != rows[i].supervisorID } }
            }
            let t = try await sim.assignments.draft(community: community, rows: rows, note: "按区域户数与人员特点拟定 / By households and staff", by: manager)
            _ = try await sim.assignments.submit(t.id, by: manager)
            _ = try await sim.assignments.decide(t.id, approve: true, note: "同意执行", by: head)
        case .deactivate(let user, let admin):
            _ = try await sim.accounts.update(user, .init(active: false), by: admin)
        case .redraft(let manager, let gone, let other):
            var rows = try await sim.assignments.proposal(community: community)
            for i in rows.indices where rows[i].standInID == gone { rows[i].standInID = other == rows[i].supervisorID ? nil : other }
            let t = try await sim.assignments.draft(community: community, rows: rows, note: "临时顶岗人离职,调整顶岗安排 / The temporary stand-in left", by: manager)
            _ = try await sim.assignments.submit(t.id, by: manager)
        case .approveLatest(let head):
            if let t = try await sim.assignments.tables(community: community).first, t.status == .submitted {
                _ = try await sim.assignments.decide(t.id, approve: true, note: "同意", by: head)
            }
        case .postCards(let desk, let except):
            for c in try await sim.assignments.latestCards(community: community).values where c.postedAt == nil && c.areaID != except {
                _ = try await sim.assignments.mark(c.id, posted: true, by: desk)
            }
        case .postCard(let area, let desk):
            if let c = try await sim.assignments.latestCards(community: community)[area], c.postedAt == nil {
                _ = try await sim.assignments.mark(c.id, posted: true, by: desk)
            }
        case .visit(let input, let who):
            _ = try await sim.visits.record(input, community: community, areas: nil, by: who)
        case .note(let kind, let text, let who):
            let log = try await sim.workLogs.today(for: who, community: community)
            _ = try await sim.workLogs.write(kind, text, in: log.id, by: who)
        case .review(let manager, let hold):
            for log in try await sim.workLogs.toReview(community: community, areas: nil) {
                if let hold, log.supervisorID == hold.supervisor, log.day == hold.day { continue }
                _ = try await sim.workLogs.write(.review, "已阅。请继续跟进记录中的事项 / Read; keep following up", in: log.id, by: manager)
            }
        case .inspect(let area, let matches, let findings, let manager):
            _ = try await sim.supervision.inspect(community: community, area: area, matchesLog: matches, findings: findings, photos: [], by: manager)
        case .spotChecks(let month, let desk, let falseOne):
            _ = try await sim.supervision.draw(community: community, month: month, timeZone: zone, seed: 20261126, by: desk)
            let (from, until) = try MonthSummary.range(month: month, timeZone: zone)
            var first = falseOne
            for c in try await sim.supervision.checks(community: community, areas: nil, from: from, until: until) where c.outcome == nil {
                if first {
                    first = false
                    _ = try await sim.supervision.call(c.id, outcome: .notHappened, note: "业户称本月无人上门,也未接到电话", by: desk)
                } else {
                    _ = try await sim.supervision.call(c.id, outcome: .confirmed, note: "业户确认家访属实", by: desk)
                }
            }
        }
    }
}
