import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Small view functions every order screen shares: badges, clocks, times.
enum OrderViews {
    static func statusBadge(_ s: OrderStatus, _ lang: Language) -> BodyNode {
        H.el("span", [("class", "badge status-\(s.rawValue)"), ("data-status", s.rawValue)], text: s.title.text(lang))
    }

    static func priorityBadge(_ p: Priority, _ lang: Language) -> BodyNode {
        H.el("span", [("class", "badge prio-\(p.rawValue)")], text: p.title.text(lang))
    }

    /// The clock that matters now: arrival while nobody is there, then completion; else response.
    static func headline(_ clocks: [SLAClock]) -> SLAClock? {
        let running = clocks.filter { $0.stoppedAt == nil && [.response, .arrival, .completion].contains($0.kind) }
        return running.first { $0.kind == .arrival } ?? running.first { $0.kind == .completion } ?? running.first
    }

    /// A clock as text that the script keeps counting: time left, or how late; colour by urgency.
    static func clock(_ c: SLAClock, now: Date, hours: ServiceHours, _ lang: Language) -> BodyNode {
        if let stopped = c.stoppedAt {
            let ok = c.met ?? (stopped <= c.dueAt)
            return H.el("span", [("class", "clock \(ok ? "ok" : "late") stopped")], text: "\(c.kind.title.text(lang)) \(ok ? Strings.met.text(lang) : Strings.missed.text(lang))")
        }
        if c.pausedAt != nil {
            return H.el("span", [("class", "clock paused")], text: "\(c.kind.title.text(lang)) \(Strings.paused.text(lang))")
        }
        let left = Int(c.dueAt.timeIntervalSince(now))
        let urgency = left < 0 ? "late" : (Double(left) < Double(c.targetSeconds) * 0.5 || left < 600 ? "warn" : "ok")
        return H.el("span", [("class", "clock \(urgency)"), ("data-due", ISO.string(c.dueAt)), ("data-target", String(c.targetSeconds)),
                             ("data-label", c.kind.title.text(lang)), ("data-left", Strings.left.text(lang)), ("data-over", Strings.overdue.text(lang))],
                    text: "\(c.kind.title.text(lang)) \(left < 0 ? Strings.overdue.text(lang) : Strings.left.text(lang)) \(duration(abs(left), lang))")
    }

    /// A length of time as people say it: "52 天", "3 小时 5 分", "12 分", "40 秒" — the script's
    /// `human()` in app.js says it the same way while it counts.
    static func duration(_ seconds: Int, _ lang: Language) -> String {
        let zh = lang == .zhHans
        let d = seconds / 86_400, h = (seconds % 86_400) / 3600, m = (seconds % 3600) / 60
        func unit(_ n: Int, _ z: String, _ e: String) -> String { zh ? "\(n) \(z)" : "\(n) \(e)\(e.count > 1 && n != 1 && e != "min" ? "s" : "")" }
        if d >= 3 { return unit(d, "天", "day") }
        if d > 0 { return unit(d, "天", "day") + (h > 0 ? " " + unit(h, "小时", "h") : "") }
        if h > 0 { return unit(h, "小时", "h") + (m > 0 ? " " + unit(m, "分", "min") : "") }
        if m > 0 { return unit(m, "分", "min") }
        return unit(seconds, "秒", "s")
    }

    /// A person as pages name them: the name, without the account's username that the records
    /// keep for the audit trail ("陆娟 (chhy.desk1)" → "陆娟"), and no rule names.
    static func person(_ recorded: String, _ lang: Language) -> String {
        // PropDesk's own steps (a rule's dispatch, the sweeper, the console) read as the center's.
        if recorded.hasPrefix("PropDesk:") { return Message(zh: "自动派工", en: "Dispatched automatically").text(lang) }
        if recorded == "PropDesk" || recorded.hasPrefix("console:") { return Message(zh: "服务中心", en: "Service center").text(lang) }
        guard recorded.hasSuffix(")"), let open = recorded.range(of: " (", options: .backwards) else { return recorded }
        let inner = recorded[open.upperBound..<recorded.index(before: recorded.endIndex)]
        guard !inner.isEmpty, inner.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return recorded }
        return String(recorded[..<open.lowerBound])
    }

    /// Where: the unit, else the written location.
    static func place(_ o: WorkOrder, units: [UUID: String]) -> String {
        let unit = o.unitID.flatMap { units[$0] }
        return [unit, o.location.isEmpty ? nil : o.location].compactMap { $0 }.joined(separator: " · ")
    }

    /// The unit labels of these orders, in one read.
    static func unitLabels(_ orders: [WorkOrder], _ req: Request) async throws -> [UUID: String] {
        let ids = Set(orders.compactMap(\.unitID))
        return try await req.store.registry.unitLabels(ids)
    }
}

/// Times on screens: in the community's time zone, stored in UTC.
enum ISO {
    static func string(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }
}

struct LocalTime {
    let zone: TimeZone

    init(_ identifier: String) { zone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "Asia/Shanghai")! }

    func format(_ d: Date, _ pattern: String = "yyyy-MM-dd HH:mm") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = pattern
        return f.string(from: d)
    }

    /// Reads an `<input type=datetime-local>` value ("2026-11-23T14:30") in this zone.
    func parse(_ raw: String, field: String) throws -> Date? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        for pattern in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            f.dateFormat = pattern
            if let d = f.date(from: text) { return d }
        }
        throw DomainError.invalid(field: field, Message(zh: "时间格式应为 2026-11-23 14:30", en: "Write the time as 2026-11-23 14:30"))
    }

    /// The start of the day containing `d`, and of the next one.
    func day(_ d: Date) -> (Date, Date) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let start = cal.startOfDay(for: d)
        return (start, cal.date(byAdding: .day, value: 1, to: start)!)
    }
}
