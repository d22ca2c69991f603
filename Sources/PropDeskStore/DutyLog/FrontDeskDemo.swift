import Fluent
import Foundation
import PropDeskCore

/// The demo's front desk (FD-3 … FD-7), played through the stores as the desk would: the last
/// five weeks of the duty log — the day shift and the night shift writing what happened, now and
/// then a correction that points at the entry it corrects — with a handover at 08:00 and 20:00
/// (the incoming person twice takes over an important item still open); the CS manager signs
/// each day's log the next morning, except two days nobody signed and one signed late;
/// keys received for three vacant units, lent to contractors and returned, one loan still out
/// and overdue; the key board counted on the first working day of each month (last month's
/// count found a difference); visitors every day, two still inside today; parking permits and
/// access cards, one renewed, one lost and replaced, two expiring within the month.
enum FrontDeskDemo {
    /// One step, played on the simulated clock's store.
    struct Act: Sendable {
        let play: @Sendable (Store) async throws -> Void
    }

    static let zone = "Asia/Shanghai"
    static let dayEntries = [
        "接 %@ 业户来电报修卫生间漏水,已派单维修", "%@ 业户来访咨询装修手续,已告知所需资料", "快递员送件至前台,已通知 %@ 业户领取",
        "巡查发现 %@ 楼道灯不亮,已报工程部", "%@ 业户来电投诉楼上噪音,已转区域主任跟进", "接收 %@ 业户寄存物品一件,已登记",
        "%@ 业户来前台领取门禁卡", "协助 %@ 业户联系开锁服务",
    ]
    static let nightEntries = ["夜间巡查大堂、电梯厅正常", "22:40 %@ 业户来电反映停车场有车辆报警,已通知秩序维护员查看", "凌晨接报 %@ 门口积水,已通知值班工程师"]
    static let visitorNames = ["李强", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴丹"]
    static let purposes = ["探亲访友", "送货上门", "家政服务", "维修上门", "看房"]

    /// Local day `d` after `start`, at `hour` local time.
    static func at(_ start: Date, day d: Int, hour: Double) -> Date { SupervisionDemo.at(start, day: d, hour: hour) }

    static func idNumber(_ k: Int) -> String {
        let first17 = "44030519" + String(format: "%02d", 70 + k % 25) + String(format: "%02d", 1 + k % 12) + String(format: "%02d", 1 + k % 28) + String(format: "%03d", 100 + k % 900)
        return first17 + String(ResidentIDNumber.checkCharacter(first17: first17) ?? "0")
    }

    /// The plan of one community: (when, what).
    static func plan(community cid: UUID, desks: [Actor], manager: Actor, units: [(id: UUID, label: String)], vacant: [UUID], start: Date, end: Date, days: Int,
                     rng: inout SeededRandom) -> [(Date, Act)] {
        guard desks.count >= 2, !units.isEmpty else { return [] }
        var out: [(Date, Act)] = []
        let (dayDesk, nightDesk) = (desks[0], desks[1])
        let logDays = min(days, 35)
        let first = days - logDays
        let working = WorkingDays(ServiceHours(timeZone: zone))
        let unsigned: Set<Int> = [days - 9, days - 20]
        let lateSigned = days - 15
        func label(_ rng: inout SeededRandom) -> String { units[Int.random(in: 0..<units.count, using: &rng)].label }

        for d in first...days {
            let morning = at(start, day: d, hour: 8)
            guard morning < end else { break }
            // The night desk hands over to the day desk at 08:00; the day desk back at 20:00.
            let carried = d % 11 == 3
            let nightItems: [ShiftHandover.OpenItem] = [
                .init(text: "\(label(&rng)) 业户预约今天上午领取钥匙", important: false),
                .init(text: "\(label(&rng)) 漏水工单待工程部回复", important: carried, resolved: !carried),
            ]
            out.append((morning, Act { s in
                let h = try await s.dutyLog.handOver(community: cid, shift: .night, assets: ShiftHandover.defaultAssets.map { .init(name: $0, ok: true) },
                                                     items: nightItems, anomalies: "", by: nightDesk)
                _ = try await s.dutyLog.take(h.id, carryOver: carried ? [1] : [], by: dayDesk)
            }))
            for k in 0..<Int.random(in: 3...5, using: &rng) {
                let text = String(format: dayEntries[Int.random(in: 0..<dayEntries.count, using: &rng)], label(&rng))
                out.append((at(start, day: d, hour: 9 + Double(k) * 1.7 + Double.random(in: 0...0.8, using: &rng)), Act { s in
                    _ = try await s.dutyLog.write(community: cid, text: text, shift: .day, by: dayDesk)
                }))
            }
            if d % 7 == 2 {
                // A slip corrected the way the register wants it: a new entry pointing at the old one.
                out.append((at(start, day: d, hour: 17.5), Act { s in
                    guard let day = try await s.dutyLog.day(community: cid, key: working.dayKey(s.now())),
                          let last = try await s.dutyLog.entries(day).last(where: { $0.corrects == nil }) else { return }
                    _ = try await s.dutyLog.write(community: cid, text: "更正:上一条房号记录有误,应为同栋另一户,已核实", shift: .day, corrects: last.seq, by: dayDesk)
                }))
            }
            let evening = at(start, day: d, hour: 20)
            if evening < end {
                out.append((evening, Act { s in
                    let h = try await s.dutyLog.handOver(community: cid, shift: .day, assets: ShiftHandover.defaultAssets.map { .init(name: $0, ok: true) },
                                                         items: [.init(text: "今日访客均已离开,钥匙板已核对", important: false, resolved: true)], anomalies: "", by: dayDesk)
                    _ = try await s.dutyLog.take(h.id, carryOver: [], by: nightDesk)
                }))
                let text = String(format: nightEntries[Int.random(in: 0..<nightEntries.count, using: &rng)], label(&rng))
                out.append((at(start, day: d, hour: 22.7), Act { s in _ = try await s.dutyLog.write(community: cid, text: text, shift: .night, by: nightDesk) }))
            }
            // The CS manager signs the day's log the next morning (S4 4.8).
            guard !unsigned.contains(d) else { continue }
            // "每天检查": weekends too, by whoever of the two managers is on.
            var sign = at(start, day: d + 1, hour: 9.5)
            if d == lateSigned { sign = sign.addingTimeInterval(2 * 86400) }
            if sign < end {
                out.append((sign, Act { s in
                    let key = working.dayKey(at(start, day: d, hour: 12))
                    guard let day = try await s.dutyLog.day(community: cid, key: key) else { return }
                    _ = try await s.dutyLog.sign(day.id, note: "", by: manager)
                }))
            }
        }

        // Keys held for vacant units (FD-5).
        let keyUnits = Array(vacant.prefix(3))
        for (i, u) in keyUnits.enumerated() {
            out.append((at(start, day: first + i, hour: 10), Act { s in
                _ = try await s.keys.record(.init(unitID: u, kind: .received, count: 2 + i, party: "业主 \(visitorNames[i])"), community: cid, by: dayDesk)
            }))
        }
        if keyUnits.count == 3 {
            for (k, d) in stride(from: first + 4, to: days - 2, by: 6).enumerated() {
                let u = keyUnits[k % 3]
                let party = ["鑫达装饰 王师傅", "顺通管道 李师傅", "安居家政 陈阿姨"][k % 3]
                out.append((at(start, day: d, hour: 9.2), Act { s in
                    _ = try await s.keys.record(.init(unitID: u, kind: .lent, count: 1, party: party, idChecked: "身份证 尾号 \(4021 + k)", purpose: "业主委托入户检修",
                                                      expectedBack: s.now().addingTimeInterval(8 * 3600)), community: cid, by: dayDesk)
                }))
                out.append((at(start, day: d, hour: 16.5), Act { s in
                    _ = try await s.keys.record(.init(unitID: u, kind: .returned, count: 1, party: party), community: cid, by: dayDesk)
                }))
            }
            // Still out, two days overdue.
            out.append((at(start, day: max(first, days - 3), hour: 9), Act { s in
                _ = try await s.keys.record(.init(unitID: keyUnits[0], kind: .lent, count: 1, party: "鑫达装饰 王师傅", idChecked: "身份证 尾号 4021",
                                                  purpose: "业主委托开窗通风", expectedBack: s.now().addingTimeInterval(24 * 3600)), community: cid, by: dayDesk)
            }))
        }
        // The monthly count (S4 4.12), the first working day of each month after the keys arrived.
        var lastMonth = ""
        for d in stride(from: first + 3, through: days, by: 1) {
            let noon = at(start, day: d, hour: 11)
            guard noon < end else { break }
            let month = DutyStore.month(of: noon, timeZone: zone)
            guard month != lastMonth, SupervisionDemo.weekday(noon) <= 5 else { continue }
            if lastMonth.isEmpty { lastMonth = month; continue }
            lastMonth = month
            let short = d < days - 20
            out.append((noon, Act { s in
                let holdings = try await s.keys.holdings(community: cid)
                var counted = Dictionary(uniqueKeysWithValues: holdings.map { ($0.unitID, $0.onBoard) })
                if short, let u = holdings.first?.unitID { counted[u] = max(0, (counted[u] ?? 0) - 1) }
                _ = try await s.keys.reconcile(community: cid, counted: counted, note: short ? "\(units.first?.label ?? "") 少一把,已联系业主确认由业主自行取走" : "账实相符",
                                               by: manager)
            }))
        }

        // Visitors (FD-7): two or three a day; today's last two are still inside.
        for d in first...days {
            for k in 0..<Int.random(in: 2...3, using: &rng) {
                let inAt = at(start, day: d, hour: 10 + Double(k) * 3 + Double.random(in: 0...1, using: &rng))
                guard inAt < end else { continue }
                let n = d * 3 + k
                let unit = units[n % units.count]
                let stays = inAt.addingTimeInterval(Double(Int.random(in: 30...150, using: &rng)) * 60)
                let arrival = VisitorStore.Arrival(name: visitorNames[n % visitorNames.count], idType: .residentID, idNumber: idNumber(n), unitID: unit.id,
                                                   host: "\(unit.label) 业户", purpose: purposes[n % purposes.count], phone: "139\(String(format: "%08d", 10_000_000 + n * 7919 % 89_999_999))")
                out.append((inAt, Act { s in
                    let v = try await s.visitors.arrive(arrival, community: cid, by: dayDesk)
                    if stays < end { _ = try await s.visitors.leave(v.id, community: cid, by: dayDesk) }
                }))
            }
        }

        // Two still inside as the demo ends.
        for k in 0..<2 {
            let unit = units[(k * 7) % units.count]
            let arrival = VisitorStore.Arrival(name: ["孙丽", "马超"][k], idType: .residentID, idNumber: idNumber(900 + k), unitID: unit.id, host: "\(unit.label) 业户",
                                               purpose: purposes[k], phone: "")
            out.append((end.addingTimeInterval(Double(-90 + k * 45) * 60), Act { s in _ = try await s.visitors.arrive(arrival, community: cid, by: dayDesk) }))
        }

        // Parking permits and access cards (FD-6).
        let passUnits = Array(units.prefix(10))
        let plates = ["粤B3K5F2", "粤B7M21Q", "粤BD12345", "粤B9Q8W7", "粤A6T3R1", "湘A2C9D8", "粤B5E6F7", "粤B1H2J3"]
        let issued = at(start, day: first, hour: 10.5)
        let working0 = WorkingDays(ServiceHours(timeZone: zone))
        for (i, u) in passUnits.enumerated() {
            let from = working0.dayKey(issued)
            // Two permits end within the month, the rest in a year.
            let until = working0.dayKey(end.addingTimeInterval(i < 2 ? Double(10 + i * 8) * 86400 : 330 * 86400))
            out.append((issued.addingTimeInterval(Double(i) * 600), Act { s in
                if i < plates.count {
                    _ = try await s.passes.issue(.init(unitID: u.id, kind: .parkingPermit, number: String(format: "P-%04d", 101 + i), plate: plates[i],
                                                       holder: "\(u.label) 业户", validFrom: from, validUntil: until), community: cid, by: dayDesk)
                }
                _ = try await s.passes.issue(.init(unitID: u.id, kind: .accessCard, number: String(format: "C-%06d", 310_001 + i), plate: "",
                                                   holder: "\(u.label) 业户", validFrom: from, validUntil: working0.dayKey(end.addingTimeInterval(700 * 86400))),
                                             community: cid, by: dayDesk)
            }))
        }
        out.append((at(start, day: max(first, days - 6), hour: 14), Act { s in
            guard let p = try await s.passes.passes(community: cid).first(where: { $0.number == "P-0103" }) else { return }
            _ = try await s.passes.renew(p.id, until: working0.dayKey(end.addingTimeInterval(400 * 86400)), by: dayDesk)
        }))
        out.append((at(start, day: max(first, days - 4), hour: 15), Act { s in
            guard let p = try await s.passes.passes(community: cid).first(where: { $0.number == "C-310004" }) else { return }
            _ = try await s.passes.replaceLost(p.id, newNumber: "C-310104", by: dayDesk)
        }))
        out += moveIns(community: cid, desk: dayDesk, units: Array(vacant.dropFirst(3).prefix(3)), start: start, end: end, days: days)
        out += custody(community: cid, desk: dayDesk, nightDesk: nightDesk, units: Array(vacant.dropFirst(6).prefix(2)), start: start, end: end, days: days)
        return out
    }

    /// A drawn signature (a real PNG), made distinct per signer so each is its own file.
    static func signature(_ who: String) -> [UInt8] {
        Array(Data(base64Encoded: "\(signaturePNG)") ?? Data()) + Array("PropDesk demo signature: \(who)".utf8)
    }

    static let signaturePNG = "iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAAAAAAQgWH5AAAA+klEQVR42u2WYQrDMAiFPcS7/1VTxgbRaPQ12xgD+6OU9tVPjTHK+NElDW5wgxv8TTAeV6n4PBglGJRrJ+CR20VJ9gKhuDm4VpyDU7vPT7nCuSYcNzMLBjzvPHhTHa5uSoURCBdwYhaMa15Bg0cJHurBilmwKkEl1X9pu16xlrB2DQ5s/o/ANqDI1twA2Lk5X8vG8WAT2YBm+vyuwZqrHAxfgjuwkcctLM5JUNUuub7ZmFDi3WtSgawqZV0JbGvThQqma+wkcqM1jmVxi8MDQb8KGwgLpg/D1KDcOf5uHv+vxagHARwMEscjhLw3wJznpKfMBje4wf8HvgBByiGwLFNztAAAAABJRU5ErkJggg=="

    static func scan(_ d: MoveInDocument, _ k: Int) throws -> EvidenceStore.Upload {
        try EvidenceStore.check(Array("%PDF-1.4\n% PropDesk demo scan: \(d.rawValue) \(k)\n%%EOF\n".utf8), kind: .document, caption: "", signedBy: nil)
    }

    static func sign(_ who: String) throws -> EvidenceStore.Upload { try EvidenceStore.check(signature(who), kind: .signature, caption: "", signedBy: who) }

    /// Move-ins (FD-1): one completed three weeks ago (or on the first day of a short demo), a
    /// company buyer's stuck at the inspection — the business licence not brought yet and a
    /// leaking window waiting for the developer's repair — and one opened today by proxy.
    static func moveIns(community cid: UUID, desk: Actor, units: [UUID], start: Date, end: Date, days: Int) -> [(Date, Act)] {
        guard units.count == 3 else { return [] }
        var out: [(Date, Act)] = []
        let working = WorkingDays(ServiceHours(timeZone: zone))
        let done = max(0, days - 21), stuck = max(0, days - 6)
        let ids = (UUID(), UUID(), UUID())
        // The completed one: 业主本人, no defects found.
        out.append((at(start, day: done, hour: 9.5), Act { s in
            let c = try await s.moveIns.open(.init(caseID: ids.0, unitID: units[0], buyerKind: .individual, buyerName: "林晓东", buyerPhone: "13612340001"),
                                             community: cid, by: desk)
            for d in c.requiredDocuments { _ = try await s.moveIns.addFile(c.id, item: .document(d), upload: try scan(d, 0), by: desk) }
            _ = try await s.moveIns.register(c.id, .init(ownerName: "林晓东", phone: "13612340001", householdMembers: 3, emergencyContact: "林母",
                                                         emergencyPhone: "13612340002"), by: desk)
            for a in MoveInAgreement.allCases { _ = try await s.moveIns.addFile(c.id, item: .agreement(a), upload: try sign("林晓东\(a.rawValue)"), by: desk) }
            _ = try await s.moveIns.handOver(c.id, .init(keys: 3, handbook: true, drawings: true), by: desk)
            _ = try await s.moveIns.noteFees(c.id, .init(managementFeeFrom: working.dayKey(s.now()), managementFeeFen: 31_500, movingDepositFen: 100_000,
                                                         utilitiesDepositFen: 50_000), by: desk)
        }))
        out.append((at(start, day: done, hour: 14), Act { s in
            _ = try await s.moveIns.inspect(ids.0, formID: UUID(), meters: .init(waterThousandths: 3_250, electricityThousandths: 12_800, gasThousandths: 410),
                                            defects: [], by: desk)
            _ = try await s.moveIns.addFile(ids.0, item: .inspectionSignOff, upload: try sign("林晓东验房"), by: desk)
            _ = try await s.moveIns.complete(ids.0, by: desk)
        }))
        // The company's: everything but the licence; a defect at the inspection → a warranty order.
        out.append((at(start, day: stuck, hour: 10), Act { s in
            let c = try await s.moveIns.open(.init(caseID: ids.1, unitID: units[1], buyerKind: .company, buyerName: "深圳市华景投资有限公司",
                                                   buyerPhone: "13612340011"), community: cid, by: desk)
            for d in c.requiredDocuments where d != .businessLicence { _ = try await s.moveIns.addFile(c.id, item: .document(d), upload: try scan(d, 1), by: desk) }
            _ = try await s.moveIns.register(c.id, .init(ownerName: "华景投资 周经理", phone: "13612340011", householdMembers: 2, emergencyContact: "行政部 吴小姐",
                                                         emergencyPhone: "13612340012"), by: desk)
            for a in MoveInAgreement.allCases { _ = try await s.moveIns.addFile(c.id, item: .agreement(a), upload: try sign("周经理\(a.rawValue)"), by: desk) }
            _ = try await s.moveIns.handOver(c.id, .init(keys: 2, handbook: true, drawings: false), by: desk)
        }))
        out.append((at(start, day: stuck, hour: 15), Act { s in
            _ = try await s.moveIns.inspect(ids.1, formID: UUID(), meters: .init(waterThousandths: 1_020, electricityThousandths: 5_600, gasThousandths: nil),
                                            defects: ["主卧窗户密封条脱落,雨天渗水"], by: desk)
        }))
        // Today's, by proxy: two documents so far.
        let today = end.addingTimeInterval(-2 * 3600)
        if today > at(start, day: stuck, hour: 16) {
            out.append((today, Act { s in
                let c = try await s.moveIns.open(.init(caseID: ids.2, unitID: units[2], buyerKind: .proxy, buyerName: "郑美玲", buyerPhone: "13612340021"),
                                                 community: cid, by: desk)
                for d in [MoveInDocument.ownerID, .proxyID] { _ = try await s.moveIns.addFile(c.id, item: .document(d), upload: try scan(d, 2), by: desk) }
            }))
        }
        return out
    }

    /// Custody (FD-2): two vacant units signed in on the first day; monthly readings (one unit's
    /// water up 6.2 m³ this month — over its 5 m³, an alert at once); weekly exterior checks, one
    /// week forgotten for the second unit; a heavy-rain warning ten days ago, the before-rain
    /// checks done, one after-rain check never done.
    static func custody(community cid: UUID, desk: Actor, nightDesk: Actor, units: [UUID], start: Date, end: Date, days: Int) -> [(Date, Act)] {
        guard units.count == 2 else { return [] }
        var out: [(Date, Act)] = []
        let working = WorkingDays(ServiceHours(timeZone: zone))
        let ids = (UUID(), UUID())
        let first = max(0, days - 45)
        out.append((at(start, day: first, hour: 9), Act { s in
            let day = working.dayKey(s.now())
            _ = try await s.custody.open(.init(agreementID: ids.0, unitID: units[0], ownerName: "何建华", ownerPhone: "13712340001", startDay: day,
                                               water: 15_300, electricity: 102_000, note: "业主长期在外地工作,委托管理处托管"), community: cid, by: desk)
            _ = try await s.custody.open(.init(agreementID: ids.1, unitID: units[1], ownerName: "宋雅琴", ownerPhone: "13712340002", startDay: day,
                                               water: 8_800, electricity: 65_400), community: cid, by: desk)
        }))
        // Monthly readings on the first working day of each new month, for the month before.
        var lastMonth = DutyStore.month(of: at(start, day: first, hour: 12), timeZone: zone)
        var water = (15_300, 8_800), power = (102_000, 65_400)
        for d in (first + 1)...max(first + 1, days) {
            let noon = at(start, day: d, hour: 10)
            guard noon < end else { break }
            let month = DutyStore.month(of: noon, timeZone: zone)
            guard month != lastMonth, SupervisionDemo.weekday(noon) <= 5 else { continue }
            let closing = lastMonth
            lastMonth = month
            water = (water.0 + 900, water.1 + 300); power = (power.0 + 6_000, power.1 + 4_500)
            let (w, p) = (water, power)
            out.append((noon, Act { s in
                _ = try await s.custody.record(.init(month: closing, water: w.0, electricity: p.0), agreement: ids.0, by: desk)
                _ = try await s.custody.record(.init(month: closing, water: w.1, electricity: p.1), agreement: ids.1, by: desk)
            }))
        }
        // This month's reading, taken early: the first unit's water is up 6.2 m³ (a running cistern).
        let (w, p) = (water, power)
        out.append((end.addingTimeInterval(-5 * 3600), Act { s in
            let month = DutyStore.month(of: s.now(), timeZone: zone)
            _ = try await s.custody.record(.init(month: month, water: w.0 + 6_200, electricity: p.0 + 3_000, note: "水表走动明显,疑似马桶水箱漏水"),
                                           agreement: ids.0, by: desk)
        }))
        // Weekly exterior checks on Wednesdays; the second unit's forgotten once, three weeks ago.
        for d in first...days {
            let noon = at(start, day: d, hour: 15)
            guard noon < end, SupervisionDemo.weekday(noon) == 3 else { continue }
            let skipSecond = d >= days - 24 && d < days - 17
            out.append((noon, Act { s in
                _ = try await s.custody.check(.init(kind: .weekly, findings: "门窗关闭完好,外墙无渗水"), agreement: ids.0, by: desk)
                if !skipSecond { _ = try await s.custody.check(.init(kind: .weekly, findings: "门窗关闭完好,阳台无积水"), agreement: ids.1, by: desk) }
            }))
        }
        // A heavy-rain warning ten days ago.
        let rain = max(first + 1, days - 10)
        if at(start, day: rain + 1, hour: 12) < end {
            out.append((at(start, day: rain, hour: 13), Act { s in _ = try await s.custody.warnOfRain(community: cid, by: desk) }))
            out.append((at(start, day: rain, hour: 15), Act { s in
                _ = try await s.custody.check(.init(kind: .beforeRain, findings: "门窗已关闭,地漏畅通"), agreement: ids.0, by: desk)
                _ = try await s.custody.check(.init(kind: .beforeRain, findings: "阳台杂物已移开,门窗已关闭"), agreement: ids.1, by: desk)
            }))
            out.append((at(start, day: rain + 1, hour: 7), Act { s in _ = try await s.custody.rainOver(community: cid, by: nightDesk) }))
            out.append((at(start, day: rain + 1, hour: 10), Act { s in
                _ = try await s.custody.check(.init(kind: .afterRain, findings: "雨后外墙、窗台无渗水"), agreement: ids.0, by: desk)
            }))
        }
        return out
    }
}
