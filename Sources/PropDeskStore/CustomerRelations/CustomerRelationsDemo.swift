import Fluent
import Foundation
import PropDeskCore

/// The demo's customer relations of one community (CR-3, CR-4): a year of interviews (a few a
/// month, written in one transaction), five common issues grouped from them with their measures —
/// one done late, one still open past its due day (the sweeper alerts its owner) — the results
/// published on the board, and this year's culture plan approved in January with eight events,
/// those past held and recorded except one.
enum CustomerRelationsDemo {
    /// Themes customers raise; the first five become the common issues.
    static let themes: [(issue: String, topic: InterviewTopic, says: [String], measure: String, done: String)] = [
        ("地库照明不足", .facilities, ["地库 B1 层灯坏了好几盏,晚上很暗", "地下车库太暗,停车不安全", "车库照明时好时坏"],
         "更换地库 B1、B2 层灯管为 LED,增设感应照明,每周巡查一次", "已更换 LED 灯管 126 支、感应灯 40 盏,巡查表已纳入周计划"),
        ("快递堆放大堂", .service, ["快递堆在大堂,进出不方便", "大堂快递太乱,老人容易绊倒"],
         "与快递公司协商,在东门增设智能快递柜,大堂不再堆放", "东门智能快递柜已投用,大堂已清理"),
        ("西区停车位紧张", .parking, ["西区晚上找不到车位", "访客车辆占用业主车位", "西区消防通道有车乱停"],
         "重新划线增加车位 12 个,访客车辆登记限时停放,夜间巡查消防通道", ""),
        ("电梯故障频繁", .repair, ["3栋电梯上个月停了两次", "电梯经常异响", "电梯维修太慢"],
         "督促维保单位全面检修 3、5 栋电梯,更换曳引钢丝绳,故障 30 分钟内到场", ""),
        ("绿化修剪不及时", .greening, ["楼下树枝挡住窗户", "草坪太久没剪,蚊子多"],
         "制定季度修剪计划,夏季每月修剪一次,并喷洒灭蚊药", "已修剪遮窗树枝 35 处,草坪每月修剪,灭蚊药每两周喷洒一次"),
    ]

    static let others: [(String, InterviewTopic)] = [
        ("希望多组织亲子活动", .other), ("保洁阿姨很负责,表扬", .cleaning), ("物业费能否线上缴纳", .fees), ("门岗态度很好", .security),
        ("楼道有小广告", .cleaning), ("儿童乐园设施有点旧", .facilities),
    ]

    static func write(community cid: UUID, asOf end: Date, seed: UInt64, on store: Store) async throws {
        let db = store.db
        guard try await InterviewModel.query(on: db).filter(\.$communityID == cid).count() == 0,
              let c = try await CommunityModel.find(cid, on: db) else { return }
        let scopes = try await UserScopeModel.query(on: db).filter(\.$communityID == cid).all()
        let users = try await UserModel.query(on: db).filter(\.$id ~~ Set(scopes.map(\.userID))).filter(\.$active == true).sort(\.$username).all()
        func first(_ role: Role) -> Actor? { users.first { $0.role == role.rawValue }.map { Actor(userID: $0.id, name: $0.displayName) } }
        guard let manager = first(.csManager), let head = first(.centerHead) ?? first(.csManager) else { return }
        let owners = [first(.areaSupervisor), first(.frontDesk), first(.areaSupervisor), manager, first(.frontDesk)].map { $0 ?? manager }
        let units = try await UnitModel.query(on: db).filter(\.$communityID == cid).filter(\.$kind == UnitKind.residential.rawValue)
            .sort(\.$roomNumber).limit(300).all()
        guard !units.isEmpty else { return }
        let labels = try await RegistryStore.unitLabels(Set(units.compactMap(\.id)), on: db)
        var rng = SeededRandom(seed: seed)

        // A year of interviews, three or four a month, written at once.
        var interviews: [Interview] = []
        var themed: [Int: [UUID]] = [:]
        for month in 0..<12 {
            for k in 0..<(3 + Int.random(in: 0...1, using: &rng)) {
                let at = end.addingTimeInterval(-Double(365 - month * 30 - k * 7 - Int.random(in: 0...5, using: &rng)) * 86400 + 3600 * Double(Int.random(in: 0...6, using: &rng)))
                let unit = units[Int.random(in: 0..<units.count, using: &rng)]
                let id = UUID()
                var points: [InterviewPoint] = []
                let theme = Int.random(in: 0..<themes.count, using: &rng)
                let t = themes[theme]
                let p = InterviewPoint(interviewID: id, text: t.says[Int.random(in: 0..<t.says.count, using: &rng)], topic: t.topic)
                points.append(p)
                themed[theme, default: []].append(p.id)
                if Bool.random(using: &rng) {
                    let o = others[Int.random(in: 0..<others.count, using: &rng)]
                    points.append(InterviewPoint(interviewID: id, text: o.0, topic: o.1))
                }
                let channel: InterviewChannel = k % 3 == 2 ? .phone : .visit
                interviews.append(Interview(id: id, communityID: cid, areaID: unit.areaID, unitID: unit.id, unitLabel: labels[unit.id!] ?? unit.roomNumber,
                                            person: ["业主王先生", "业主李女士", "住户陈阿姨", "业主张先生", "租户刘女士"][Int.random(in: 0..<5, using: &rng)],
                                            channel: channel, at: min(at, end.addingTimeInterval(-3600)), byID: manager.userID, byName: manager.name, points: points))
            }
        }
        let written = interviews
        try await db.writeTransaction { tx in
            for i in written { try await InterviewModel(i).create(on: tx) }
            for i in written {
                for (n, p) in i.points.enumerated() { try await InterviewPointModel(p, community: cid, seq: n + 1).create(on: tx) }
            }
        }

        // Five common issues, each with its measure: (days before `end` it was set, due, done; nil = open).
        let story: [(set: Int, due: Int, done: Int?)] = [(150, 120, 125), (200, 170, 160), (60, 12, nil), (40, -20, nil), (90, 60, 62)]
        // Areas of the issues: the first area for the west car park (the "less looked after" one), else the whole community.
        let area = try await AreaModel.query(on: db).filter(\.$communityID == cid).sort(\.$name).first()?.id
        for (k, t) in themes.enumerated() {
            let s = story[k]
            let setAt = end.addingTimeInterval(-Double(s.set) * 86400)
            let sim = Store(db: db, cipher: store.cipher, now: { setAt })
            let crs = sim.customerRelations
            let issue = try await crs.createIssue(id: UUID(), community: cid, areaID: k == 2 ? area : nil, title: t.issue, topic: t.topic,
                                                  pointIDs: themed[k] ?? [], areas: nil, by: manager)
            let due = PatrolCoverage.day(of: end.addingTimeInterval(-Double(s.due) * 86400), timeZone: c.timeZone).label
            let r = try await crs.rectify(issue: issue.id, id: UUID(), measure: t.measure, ownerID: owners[k].userID ?? manager.userID!, dueDay: due, by: manager)
            // The owner reports it done — once late — and the result goes on the board, put up and later taken down.
            if let doneDays = s.done {
                let doneAt = end.addingTimeInterval(-Double(doneDays) * 86400 + 3600 * 5)
                let done = Store(db: db, cipher: store.cipher, now: { doneAt })
                let finished = try await done.customerRelations.done(r.id, note: t.done, by: owners[k])
                if let n = finished.noticeID {
                    _ = try await Store(db: db, cipher: store.cipher, now: { doneAt.addingTimeInterval(3 * 3600) }).notices.markPosted(n, by: owners[1])
                    _ = try await Store(db: db, cipher: store.cipher, now: { doneAt.addingTimeInterval(14 * 86400 + 3 * 3600) }).notices.markTakenDown(n, by: owners[1])
                }
            }
        }

        // This year's culture plan, approved by the center head in January; eight events.
        let time = PatrolCoverage.day(of: end, timeZone: c.timeZone)
        guard let year = Int(time.label.prefix(4)), let jan = PatrolCoverage.day("\(year)-01-06", timeZone: c.timeZone) else { return }
        let draftAt = jan.start.addingTimeInterval(10 * 3600)
        let planning = Store(db: db, cipher: store.cipher, now: { draftAt }).customerRelations
        let plan = try await planning.draftPlan(community: cid, year: year, title: "\(year)年度社区文化建设计划",
                                                goals: "营造和谐邻里氛围,配合街道文明社区创建,全年开展活动不少于 8 次", budgetFen: 6_000_000, by: manager)
        let events: [(String, String, String, Int, Int, String)] = [
            ("元宵节猜灯谜", "02-28", "中心花园", 300_000, 160, "挂出灯谜 300 条,发放元宵 400 份"),
            ("学雷锋义务维修", "03-05", "会所门口", 100_000, 85, "工程部为业户义务维修小家电 42 件"),
            ("春季植树活动", "03-12", "西区绿地", 500_000, 60, "亲子家庭共植树苗 50 株"),
            ("端午包粽子比赛", "05-31", "会所多功能厅", 600_000, 120, "12 组家庭参赛,评出一二三等奖"),
            ("暑期儿童安全课堂", "07-20", "会所多功能厅", 400_000, 0, ""),
            ("中秋邻里游园会", "09-27", "中心花园", 1_500_000, 420, "游园摊位 10 个,文艺演出 8 个节目"),
            ("重阳敬老慰问", "10-29", "各楼栋", 800_000, 75, "走访 70 岁以上老人 75 户,送上慰问品"),
            ("新春写春联送福", "12-20", "会所门口", 500_000, 0, ""),
        ]
        var planned: [CultureEvent] = []
        for e in events {
            planned.append(try await planning.planEvent(plan: plan.id, id: UUID(), title: e.0, day: "\(year)-\(e.1)", place: e.2, budgetFen: e.3, by: manager))
        }
        _ = try await Store(db: db, cipher: store.cipher, now: { draftAt.addingTimeInterval(2 * 86400) }).customerRelations.submit(plan: plan.id, by: manager)
        _ = try await Store(db: db, cipher: store.cipher, now: { draftAt.addingTimeInterval(4 * 86400) }).customerRelations.decide(plan: plan.id, approve: true, by: head)
        // Held and recorded the same evening — but the summer safety class was never recorded (a miss).
        for (e, plan) in zip(planned, events) where !plan.5.isEmpty {
            guard let day = PatrolCoverage.day(e.day, timeZone: c.timeZone), day.start.addingTimeInterval(20 * 3600) < end else { continue }
            let evening = day.start.addingTimeInterval(20 * 3600)
            _ = try await Store(db: db, cipher: store.cipher, now: { evening }).customerRelations.recordEvent(e.id, attendance: plan.4, record: plan.5, photos: [], by: manager)
        }
    }
}
