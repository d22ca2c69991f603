import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 服务标准与时限 (INT-4, INT-6, INT-7, INT-12, INT-18): a community's service contract in one
/// page — time targets per kind and priority in minutes, service hours and holidays, escalation
/// steps, the callback, auto-close, return-visit share and the center's own emergency words.
/// Saved through the same store call as the API's PUT, validated the same way, audited with
/// before and after; the next order registered uses it.
enum ContractPage {
    enum S {
        static let targets = Message(zh: "时限(分钟,留空表示无此时限)", en: "Time targets (minutes; blank: none)")
        static let anyKind = Message(zh: "任意类型", en: "Any kind")
        static let anyPriority = Message(zh: "任意紧急程度", en: "Any priority")
        static let response = Message(zh: "响应", en: "Response")
        static let arrival = Message(zh: "到场", en: "Arrival")
        static let completion = Message(zh: "完成", en: "Completion")
        static let hoursOnly = Message(zh: "仅计服务时间", en: "Service hours only")
        static let hours = Message(zh: "服务时间", en: "Service hours")
        static let opens = Message(zh: "上班(HH:mm)", en: "Opens (HH:mm)")
        static let closes = Message(zh: "下班(HH:mm)", en: "Closes (HH:mm)")
        static let weekdays = Message(zh: "工作日", en: "Working days")
        static let holidays = Message(zh: "节假日(每行一个 2026-10-01)", en: "Holidays (one per line, 2026-10-01)")
        static let escalation = Message(zh: "超时升级(分钟,逗号分隔:责任人, 客服部门负责人, 中心负责人)", en: "Escalation after the due time (minutes, comma-separated: assignee, CS manager, center head)")
        static let callbackAfter = Message(zh: "派工后多久无人到场即回电(分钟)", en: "Callback when nobody is on site after (minutes)")
        static let autoClose = Message(zh: "完工后未验收自动关闭(天)", en: "Close unanswered completed orders after (days)")
        static let returnVisit = Message(zh: "回访比例(%)", en: "Return-visit share (%)")
        static let dissatisfied = Message(zh: "评分不高于此视为不满意", en: "Ratings at or below this are dissatisfied")
        static let keywords = Message(zh: "本中心的紧急关键词(每行:关键词,类别 如 化粪池满溢,water)", en: "The center's emergency words (one per line: word,category e.g. septic overflow,water)")
        static let save = Message(zh: "保存服务标准", en: "Save the contract")
        static let saved = Message(zh: "服务标准已保存,新工单按新标准计时", en: "Contract saved; new orders are timed by it")
        static let days = ["一", "二", "三", "四", "五", "六", "日"]
        static let daysEn = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    }

    static func scope(_ req: Request) async throws -> Community {
        try await AdminScope.community(req, anyOf: [.manageContract]).0
    }

    static func minutes(_ seconds: Int?) -> String { seconds.map { String($0 / 60) } ?? "" }
    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    /// GET /admin/c/:cid/contract
    static func render(_ req: Request) async throws -> Response {
        let community = try await scope(req)
        let lang = req.language
        let c = try await req.store.orders.contract(community: community.id)
        func num(_ name: String, _ value: String, _ id: String) -> BodyNode {
            H.input([("type", "number"), ("min", "0"), ("name", name), ("value", value), ("id", id), ("class", "short")])
        }
        let kinds = [("", S.anyKind.text(lang))] + RequestKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }
        let prios = [("", S.anyPriority.text(lang))] + Priority.allCases.map { ($0.rawValue, $0.title.text(lang)) }
        // Every rule, and two blank rows to add one.
        let rows = c.targets.map(Optional.some) + [nil, nil]
        let targetRows: [BodyNode] = [H.el("tr", [], [Strings.kind, Strings.priority, S.response, S.arrival, S.completion, S.hoursOnly].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]
            + rows.enumerated().map { i, t in
                H.el("tr", [("data-target", String(i))], [
                    H.el("td", [], [H.select("t\(i)-kind", name: "t\(i).kind", kinds, selected: t?.kind?.rawValue ?? "", [("aria-label", Strings.kind.text(lang))])]),
                    H.el("td", [], [H.select("t\(i)-priority", name: "t\(i).priority", prios, selected: t?.priority?.rawValue ?? "", [("aria-label", Strings.priority.text(lang))])]),
                    H.el("td", [], [num("t\(i).response", minutes(t?.response), "t\(i)-response")]),
                    H.el("td", [], [num("t\(i).arrival", minutes(t?.arrival), "t\(i)-arrival")]),
                    H.el("td", [], [num("t\(i).completion", minutes(t?.completion), "t\(i)-completion")]),
                    H.el("td", [], [H.input([("type", "checkbox"), ("name", "t\(i).hoursOnly"), ("value", "1"), ("aria-label", S.hoursOnly.text(lang))] + (t?.serviceHoursOnly == true ? [("checked", "checked")] : []))]),
                ])
            }
        let escalation = Priority.allCases.map { p in
            H.field("\(p.title.text(lang)) · \(S.escalation.text(lang))", "esc-\(p.rawValue)",
                    H.input([("type", "text"), ("id", "esc-\(p.rawValue)"), ("name", "esc.\(p.rawValue)"), ("value", (c.escalationSteps[p] ?? []).map { String($0 / 60) }.joined(separator: ","))]))
        }
        let form = H.form(Routes.adminContract(community.id), [("id", "contract-form"), ("class", "card")], [
            H.el("h2", [], text: S.targets.text(lang)),
            H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "targets")], targetRows)]),
            H.hidden("rows", String(rows.count)),
            H.el("h2", [], text: S.hours.text(lang)),
            H.field(S.opens.text(lang), "opens", H.input([("type", "time"), ("id", "opens"), ("name", "opens"), ("value", clock(c.hours.opens))])),
            H.field(S.closes.text(lang), "closes", H.input([("type", "time"), ("id", "closes"), ("name", "closes"), ("value", clock(c.hours.closes))])),
            H.el("fieldset", [("class", "weekdays")], [H.el("legend", [], text: S.weekdays.text(lang))] + (1...7).map { d in
                H.el("label", [], [H.input([("type", "checkbox"), ("name", "weekday[]"), ("value", String(d))] + (c.hours.weekdays.contains(d) ? [("checked", "checked")] : [])),
                                   .text(" " + (lang == .zhHans ? "周" + S.days[d - 1] : S.daysEn[d - 1]))])
            }),
            H.field(S.holidays.text(lang), "holidays", H.el("textarea", [("id", "holidays"), ("name", "holidays"), ("rows", "3")], text: c.hours.holidays.sorted().joined(separator: "\n"))),
        ] + escalation + [
            H.field(S.callbackAfter.text(lang), "callbackAfter", num("callbackAfter", minutes(c.callbackAfter), "callbackAfter")),
            H.field(S.autoClose.text(lang), "autoCloseDays", num("autoCloseDays", String(c.autoCloseDays), "autoCloseDays")),
            H.field(S.returnVisit.text(lang), "returnVisitPercent", num("returnVisitPercent", String(c.returnVisitPercent), "returnVisitPercent")),
            H.field(S.dissatisfied.text(lang), "dissatisfiedAtOrBelow", num("dissatisfiedAtOrBelow", String(c.dissatisfiedAtOrBelow), "dissatisfiedAtOrBelow")),
            H.field(S.keywords.text(lang), "keywords", H.el("textarea", [("id", "keywords"), ("name", "keywords"), ("rows", "4")],
                                                           text: c.emergencyKeywords.map { "\($0.text),\($0.category.rawValue)" }.joined(separator: "\n"))),
            H.button(S.save.text(lang), [("id", "do-save-contract")]),
        ])
        return Layout.page(title: Message(zh: "\(community.name) · 服务标准与时限", en: "\(community.name) · Service contract"), request: req,
                           frame: Frame(community: community, bodyClass: "wide"), [form])
    }

    /// POST /admin/c/:cid/contract — all or nothing: a bad field changes nothing and says which.
    static func save(_ req: Request) async throws -> Response {
        let community = try await scope(req)
        let back = Routes.adminContract(community.id)
        do {
            let before = try await req.store.orders.contract(community: community.id)
            // Read as plain pairs: the rows are numbered fields (t0.arrival …), the weekdays repeat.
            var fields: [String: String] = [:]
            var weekdays: [String] = []
            for pair in (req.body.string ?? "").split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
                guard let name = kv.first else { continue }
                let value = kv.count > 1 ? kv[1] : ""
                if name == "weekday[]" { weekdays.append(value) } else { fields[name] = value }
            }
            let contract = try parse(fields, weekdays: weekdays, keeping: before)
            _ = try await req.store.orders.setContract(contract, community: community.id, by: req.actor)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            req.logger.notice("contract refused: \(e.code) \(e.message.en)")
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }

    /// A field as the page labels it: "t2.arrival" is row 3's arrival target.
    static func label(_ key: String) -> Message {
        let named: [String: Message] = [
            "response": S.response, "arrival": S.arrival, "completion": S.completion, "callbackAfter": S.callbackAfter,
            "autoCloseDays": S.autoClose, "returnVisitPercent": S.returnVisit, "dissatisfiedAtOrBelow": S.dissatisfied,
        ]
        let parts = key.split(separator: ".")
        if parts.count == 2, parts[0].hasPrefix("t"), let row = Int(parts[0].dropFirst()), let m = named[String(parts[1])] {
            return Message(zh: "第 \(row + 1) 行\(m.zhHans)", en: "Row \(row + 1) \(m.en.lowercased())")
        }
        return named[key] ?? Message(zh: key, en: key)
    }

    static func parse(_ f: [String: String], weekdays: [String], keeping before: ServiceContract) throws -> ServiceContract {
        func minutes(_ key: String, required: Bool = false) throws -> Int? {
            let raw = (f[key] ?? "").trimmingCharacters(in: .whitespaces)
            if raw.isEmpty {
                if required { throw DomainError.invalid(field: key, Message(zh: "请填写\(label(key).zhHans)", en: "Fill in \(label(key).en)")) }
                return nil
            }
            guard let n = Int(raw), (0...525_600).contains(n) else {
                throw DomainError.invalid(field: key, Message(zh: "\(label(key).zhHans)应为 0 到 525600 之间的分钟数", en: "\(label(key).en) must be minutes between 0 and 525600"))
            }
            return n
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let n = Int((f[key] ?? "").trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                throw DomainError.invalid(field: key, Message(zh: "\(label(key).zhHans)应在 \(range.lowerBound) 到 \(range.upperBound) 之间", en: "\(label(key).en) must be between \(range.lowerBound) and \(range.upperBound)"))
            }
            return n
        }
        func hhmm(_ key: String) throws -> Int {
            let parts = (f[key] ?? "").split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else {
                throw DomainError.invalid(field: key, Message(zh: "时间格式应为 08:30", en: "Write the time as 08:30"))
            }
            return h * 60 + m
        }
        let count = min(try integer("rows", 0...200), 200)
        var targets: [ServiceContract.Target] = []
        for i in 0..<count {
            let r = try minutes("t\(i).response"), a = try minutes("t\(i).arrival"), c = try minutes("t\(i).completion")
            let kind = f["t\(i).kind"].flatMap { RequestKind(rawValue: $0) }, prio = f["t\(i).priority"].flatMap { Priority(rawValue: $0) }
            if r == nil && a == nil && c == nil && kind == nil && prio == nil { continue }
            targets.append(.init(kind: kind, priority: prio, response: r.map { $0 * 60 }, arrival: a.map { $0 * 60 }, completion: c.map { $0 * 60 },
                                 serviceHoursOnly: f["t\(i).hoursOnly"] == "1"))
        }
        var steps: [Priority: [Int]] = [:]
        for p in Priority.allCases {
            let raw = (f["esc.\(p.rawValue)"] ?? "").split(whereSeparator: { $0 == "," || $0 == "," || $0 == " " })
            if raw.isEmpty { steps[p] = before.escalationSteps[p]; continue }
            steps[p] = try raw.map {
                guard let n = Int($0), (0...525_600).contains(n) else {
                    throw DomainError.invalid(field: "escalationSteps", Message(zh: "升级时间应为分钟数,用逗号分隔", en: "Escalation steps are minutes, comma-separated"))
                }
                return n * 60
            }
        }
        let holidays = Set((f["holidays"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        for h in holidays where h.count != 10 || h.split(separator: "-").count != 3 {
            throw DomainError.invalid(field: "holidays", Message(zh: "节假日格式应为 2026-10-01:\(h)", en: "Write holidays as 2026-10-01: \(h)"))
        }
        let keywords = try (f["keywords"] ?? "").split(whereSeparator: \.isNewline).compactMap { line -> Classifier.Keyword? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else { return nil }
            let parts = t.split(whereSeparator: { $0 == "," || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let cat = PropDeskCore.Category(rawValue: parts[1]) else {
                throw DomainError.invalid(field: "emergencyKeywords", Message(zh: "每行写 关键词,类别(如 water):\(t)", en: "Write each line as word,category (e.g. water): \(t)"))
            }
            return Classifier.Keyword(parts[0], cat)
        }
        return ServiceContract(
            targets: targets,
            hours: ServiceHours(opens: try hhmm("opens"), closes: try hhmm("closes"), weekdays: Set(weekdays.compactMap { Int($0) }), holidays: holidays,
                                timeZone: before.hours.timeZone),
            escalationSteps: steps, callbackAfter: (try minutes("callbackAfter", required: true) ?? 20) * 60,
            autoCloseDays: try integer("autoCloseDays", 1...90), returnVisitPercent: try integer("returnVisitPercent", 0...100),
            dissatisfiedAtOrBelow: try integer("dissatisfiedAtOrBelow", 1...5), emergencyKeywords: keywords, warrantyLiaisonID: before.warrantyLiaisonID)
    }
}
