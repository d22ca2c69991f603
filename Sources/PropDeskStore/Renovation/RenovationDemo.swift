import Foundation
import PropDeskCore

/// The demo's renovations (FLD-4), played through the store like the desk and the supervisor
/// would: one finished — a violation on the way, noticed, stopped and corrected, then the
/// completion inspection closed it; one in progress, inspected most days (a day missed); one
/// still collecting its documents.
enum RenovationDemo {
    enum Act: Sendable {
        case register(RenovationStore.Application, Actor)
        case document(RenovationDocument, Actor)
        case details(depositFen: Int, protection: String, Actor)
        case approve(Actor)
        case inspect(passed: Bool, note: String, completion: Bool, Actor)
        case notice(rule: String, requirement: String, days: Int, Actor)
        case step(RenovationViolation.Step, note: String, authority: String?, Actor)
    }

    /// A scanned page: a tiny PDF, different per file so each is kept as its own.
    static func scan(_ doc: RenovationDocument, _ number: Int) -> [UInt8] {
        Array("%PDF-1.4\n% PropDesk demo scan: \(doc.rawValue) \(number)\n%%EOF\n".utf8)
    }

    /// The plans: (when, which file, what), relative to the demo's first day.
    static func plan(units: [UUID], desk: Actor, manager: Actor, supervisor: Actor, start: Date, days: Int) -> [(Date, Int, Act)] {
        guard units.count >= 3 else { return [] }
        var out: [(Date, Int, Act)] = []
        let day = { (d: Int, h: Double) in Calendar(identifier: .gregorian).startOfDay(for: start).addingTimeInterval(Double(d) * 86400 + h * 3600) }
        let fmt = { (d: Date) -> String in
            var c = Calendar(identifier: .gregorian); c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let x = c.dateComponents([.year, .month, .day], from: d)
            return String(format: "%04d-%02d-%02d", x.year!, x.month!, x.day!)
        }
        func file(_ k: Int, from d0: Int, length: Int, unit: UUID, works: String, approve: Bool) {
            out.append((day(d0, 2), k, .register(.init(unitID: unit, applicant: ["陈志明", "刘芳", "赵磊"][k % 3], applicantPhone: "1390000\(String(format: "%04d", 2000 + k))",
                contractor: ["深圳市安居装饰工程有限公司", "美家居装饰设计工作室", "宏达建筑装饰公司"][k % 3], contractorPhone: "0755-8888\(String(format: "%04d", 1000 + k))",
                works: works, startsOn: fmt(day(d0 + 1, 2)), endsOn: fmt(day(d0 + length, 2)), depositFen: 0, inspectEveryDays: 1), desk)))
            let docs = approve ? RenovationDocument.allCases : Array(RenovationDocument.allCases.prefix(3))
            for (i, doc) in docs.enumerated() { out.append((day(d0, 2.2 + Double(i) * 0.05), k, .document(doc, desk))) }
            if approve {
                out.append((day(d0, 2.6), k, .details(depositFen: 300_000, protection: "电梯轿厢已加装防护板,楼道地面铺设保护膜,建筑垃圾袋装定点堆放", desk)))
                out.append((day(d0, 3), k, .approve(manager)))
            }
        }
        // The finished one: 12 days of works (fewer in a short demo), a wall knocked through a third
        // of the way in, noticed, stopped and put right, then the completion inspection.
        let length = days >= 24 ? 12 : max(1, days - 1)
        let a = days >= 24 ? days - 24 : 0
        let p = max(1, length / 3)
        let roomy = length >= 6
        file(0, from: a, length: length, unit: units[0], works: "厨卫翻新、更换地板、重做水电", approve: true)
        for d in 1...length where !(roomy && d == min(9, length - 1)) {
            let problem = d == p
            out.append((day(a + d, 2.5), 0, .inspect(passed: !problem, note: problem ? "发现擅自拆除客厅与阳台之间的墙体" : "", completion: false, supervisor)))
        }
        out.append((day(a + p, 2.6), 0, .notice(rule: "《住宅室内装饰装修管理办法》第五条:不得拆改承重墙及阳台与房间之间的墙体", requirement: "立即停止拆除,按原设计恢复墙体", days: 3, supervisor)))
        out.append((day(a + p + (roomy ? 1 : 0), roomy ? 2.5 : 4), 0, .step(.stop, note: "现场责令施工人员停止拆除作业,业主已到场确认", authority: nil, supervisor)))
        out.append((day(a + p + (roomy ? 3 : 0), roomy ? 2.5 : 5), 0, .step(.correct, note: "墙体已按原设计恢复,复查合格", authority: nil, supervisor)))
        out.append((day(a + length, 6), 0, .inspect(passed: true, note: "完工验收合格,可退还押金", completion: true, supervisor)))
        // The one in progress: approved a week ago, one day missed.
        let b = max(0, days - 8)
        file(1, from: b, length: 20, unit: units[1], works: "墙面翻新、定制衣柜", approve: true)
        for d in 1..<min(8, max(2, days)) where d != 5 { out.append((day(b + d, 3), 1, .inspect(passed: true, note: "", completion: false, supervisor))) }
        // The one still collecting documents.
        file(2, from: max(0, days - 2), length: 30, unit: units[2], works: "全屋装修", approve: false)
        return out
    }
}
