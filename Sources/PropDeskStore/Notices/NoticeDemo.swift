import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The demo's notice board of one community (CR-1, S0 3.4, S2 3.1.6): a year of notices written
/// in one transaction — the monthly service work report (one month missed), water and power
/// cuts for single buildings, safety notices, community activities and service notices — each
/// put up on the board the day it starts and taken down after it ends, most within a day,
/// some late; one expired notice is still on the board (the sweeper alerts the desk).
enum NoticeDemo {
    static let cuts: [(String, String, NoticeKind)] = [
        ("计划停水通知", "因二次供水水箱清洗消毒,当日 9:00–17:00 停水,请提前储水。", .utilityCut),
        ("计划停电通知", "因供电局线路检修,当日 8:30–12:00 停电,电梯暂停运行,请合理安排出行。", .utilityCut),
        ("燃气管道检测通知", "燃气公司将入户检测燃气管道,请业户当日留人在家配合。", .utilityCut),
    ]
    static let safety: [(String, String)] = [
        ("春节期间安全用火提示", "春节期间请勿在楼道、阳台燃放烟花爆竹,外出请关闭燃气阀门。"),
        ("台风天气防范提示", "台风将于近日登陆,请收起阳台花盆、晾晒物品,关好门窗。"),
        ("夏季用电安全提示", "请勿私拉电线为电动车充电,电动车请停放至指定充电区域。"),
        ("冬季消防安全提示", "楼道严禁堆放杂物,保持消防通道畅通;小区将于本月组织消防演练。"),
    ]
    static let activities: [(String, String)] = [
        ("元宵节猜灯谜活动", "元宵节晚 7:00 在中心广场举办猜灯谜活动,欢迎业户参加。"),
        ("植树节认养绿植活动", "植树节当天上午在东门绿地开展认养绿植活动,名额 50 户。"),
        ("端午节包粽子活动", "端午节前在会所举办包粽子亲子活动,请到服务中心报名。"),
        ("暑期少儿书画班", "暑期少儿书画班 7 月开课,每周六上午,免费参加。"),
        ("中秋游园晚会", "中秋节晚在中心广场举办游园晚会,有猜谜、抽奖。"),
        ("重阳节敬老活动", "重阳节为 70 岁以上长者上门送慰问品,请家属到服务中心登记。"),
        ("冬至包饺子活动", "冬至当天在会所举办包饺子活动,欢迎参加。"),
        ("新春写春联送福字", "春节前在服务中心门前为业户免费写春联、送福字。"),
    ]

    static func write(community cid: UUID, asOf end: Date, seed: UInt64, on store: Store) async throws {
        let db = store.db
        // Once per community (other capabilities' demos publish their own notices: those do not count).
        guard try await NoticeModel.query(on: db).filter(\.$communityID == cid).filter(\.$kind == NoticeKind.workReport.rawValue).count() == 0,
              let c = try await CommunityModel.find(cid, on: db) else { return }
        let scopes = try await UserScopeModel.query(on: db).filter(\.$communityID == cid).all()
        let users = try await UserModel.query(on: db).filter(\.$id ~~ Set(scopes.map(\.userID))).filter(\.$active == true).sort(\.$username).all()
        func first(_ role: Role) -> Actor? { users.first { $0.role == role.rawValue }.map { Actor(userID: $0.id, name: $0.displayName) } }
        guard let manager = first(.csManager) ?? first(.centerHead) else { return }
        let desk = first(.frontDesk) ?? manager
        let board = first(.areaSupervisor) ?? desk
        let buildings = try await BuildingModel.query(on: db).filter(\.$communityID == cid).sort(\.$name).all()
        guard !buildings.isEmpty else { return }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: c.timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        var rng = SeededRandom(seed: seed)
        let today = cal.startOfDay(for: end)
        func day(_ d: Date, plus: Int) -> Date { cal.date(byAdding: .day, value: plus, to: cal.startOfDay(for: d)) ?? d }
        func key(_ d: Date) -> String {
            let p = cal.dateComponents([.year, .month], from: d)
            return String(format: "%04d-%02d", p.year ?? 2000, p.month ?? 1)
        }

        // What to publish: (kind, title, body, buildings, first day, days shown, source).
        var plan: [(NoticeKind, String, String, [BuildingModel], Date, Int, String?)] = []
        let thisMonth = cal.date(from: cal.dateComponents([.year, .month], from: end)) ?? today
        for back in 1...12 {
            guard let month = cal.date(byAdding: .month, value: -back, to: thisMonth) else { continue }
            let m = cal.component(.month, from: month)
            // S0 3.4: the month's work report in the first days of the next month — the seventh month back was missed.
            if back != 7 {
                let published = day(month, plus: cal.range(of: .day, in: .month, for: month)?.count ?? 30) .addingTimeInterval(Double(Int.random(in: 1...4, using: &rng)) * 86_400)
                plan.append((.workReport, "\(m)月物业服务工作报告",
                             "本月共受理报事报修 \(120 + Int.random(in: 0...60, using: &rng)) 件,按时完成率 \(92 + Int.random(in: 0...6, using: &rng))%;完成公共区域巡查、绿化修剪、消防设施检查;收费率 \(90 + Int.random(in: 0...7, using: &rng))%。详情请到服务中心查阅。",
                             [], published, 30, "report:\(key(month))"))
            }
            // One or two cuts a month, for a building.
            for _ in 0..<(1 + Int.random(in: 0...1, using: &rng)) {
                let cut = cuts[Int.random(in: 0..<cuts.count, using: &rng)]
                let b = buildings[Int.random(in: 0..<buildings.count, using: &rng)]
                plan.append((cut.2, "\(b.name)\(cut.0)", cut.1, [b], day(month, plus: Int.random(in: 3...25, using: &rng)), 2, nil))
            }
            if back % 3 == 0 {
                let s = safety[(back / 3) % safety.count]
                plan.append((.safety, s.0, s.1, [], day(month, plus: Int.random(in: 1...10, using: &rng)), 14, nil))
            }
            if back <= activities.count {
                let a = activities[back - 1]
                plan.append((.activity, a.0, a.1, [], day(month, plus: Int.random(in: 5...15, using: &rng)), 10, nil))
            }
        }
        // Now: a current service notice, a cut tomorrow, and a safety notice expired three days ago still on the board.
        plan.append((.service, "服务中心节假日值班安排", "节假日期间服务中心 8:30–17:30 值班,24 小时报修电话不变。", [], day(today, plus: -2), 10, nil))
        plan.append((.utilityCut, "\(buildings[0].name)计划停水通知", cuts[0].1, [buildings[0]], day(today, plus: 1), 1, nil))
        plan.append((.safety, "电动车充电安全提示", "请勿将电动车推入楼道、电梯充电。", [], day(today, plus: -13), 10, nil))

        var models: [NoticeModel] = []
        var entries: [TimelineEntry] = []
        var clocks: [(UUID, Date, Date)] = []
        for (i, p) in plan.enumerated() {
            let starts = p.4
            let expires = day(starts, plus: p.5)
            let id = UUID()
            let created = min(starts, end).addingTimeInterval(-3600 * Double(1 + Int.random(in: 0...20, using: &rng)))
            let by = p.0 == .workReport ? manager : desk
            var n = Notice(id: id, communityID: cid, kind: p.0, title: p.1, body: p.2, buildingIDs: p.3.compactMap(\.id), areaID: nil, startsAt: starts,
                           expiresAt: expires, source: p.6, publishedByName: by.name, createdAt: created)
            func entry(_ kind: String, _ who: Actor?, _ at: Date) -> TimelineEntry {
                TimelineEntry(subjectKind: .notice, subjectID: id, communityID: cid, seq: 0, kind: kind, actorID: who?.userID,
                              actorName: who?.name ?? DutyStore.system.name, at: at, note: kind == "published" ? p.1 : nil, data: [:])
            }
            entries.append(entry("published", by, created))
            if starts <= end {
                n.postedAt = starts.addingTimeInterval(3600 * Double(9 + Int.random(in: 0...2, using: &rng)))
                n.postedByName = board.name
                entries.append(entry("posted", board, n.postedAt ?? starts))
            }
            let stillUp = i == plan.count - 1
            if expires <= end {
                entries.append(entry("expired", nil, expires))
                // Most come down the morning after; about one in eight a few days late.
                let late = Int.random(in: 0..<8, using: &rng) == 0
                let down = expires.addingTimeInterval(3600 * Double(late ? 24 * Int.random(in: 2...4, using: &rng) + 10 : 9 + Int.random(in: 0...3, using: &rng)))
                if !stillUp && down <= end {
                    n.takenDownAt = down
                    n.takenDownByName = board.name
                    entries.append(entry("taken_down", board, down))
                } else {
                    clocks.append((id, created, NoticeStore.takeDownDue(n, timeZone: c.timeZone)))
                }
            } else {
                clocks.append((id, created, expires))
            }
            models.append(NoticeModel(n, areaIDs: Array(Set(p.3.compactMap(\.areaID))), publishedByID: by.userID))
        }
        let (rows, timeline, deadlines) = (models, entries.sorted { $0.at < $1.at }, clocks)
        try await db.writeTransaction { tx in
            try await rows.create(on: tx)
            _ = try await TimelineStore(db: tx).append(timeline)
            for (id, from, due) in deadlines {
                try await ClockRows.startDeadline(.notice, id, community: cid, from: from, due: due, on: tx)
            }
        }
        // The clock of a notice already expired and still on the board waits for the take-down.
        try await (db as! any SQLDatabase).raw("""
            UPDATE sla_clocks SET level = 1 WHERE subject_kind = \(bind: SubjectKind.notice.rawValue) AND community_id = \(bind: cid)
            AND subject_id IN (SELECT id FROM notices WHERE expires_at <= \(bind: end))
            """).run()
    }
}
