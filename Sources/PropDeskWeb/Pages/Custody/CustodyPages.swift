import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Units in custody in pages (FD-2, S4 篇1 1⑥), for the front desk: the units in custody with
/// this month's use against the agreed limits (over in red), the last exterior check and whether
/// this week's is done; the heavy-rain buttons and the rain checks still open; the form to sign a
/// unit in. One agreement: its readings, checks, alerts, scanned agreement and record, with the
/// forms for a monthly reading, an exterior check, and ending the custody.
enum CustodyPages {
    enum S {
        static let title = Message(zh: "房屋托管", en: "Units in custody")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let owner = Message(zh: "业主", en: "Owner")
        static let ownerPhone = Message(zh: "业主电话", en: "Owner's phone")
        static let since = Message(zh: "托管期", en: "In custody")
        static let thisMonth = Message(zh: "本月读数", en: "This month's reading")
        static let water = Message(zh: "水表读数 (m³)", en: "Water meter (m³)")
        static let electricity = Message(zh: "电表读数 (kWh)", en: "Electricity meter (kWh)")
        static let waterUsed = Message(zh: "用水 / 限额 (m³)", en: "Water used / limit (m³)")
        static let electricityUsed = Message(zh: "用电 / 限额 (kWh)", en: "Electricity used / limit (kWh)")
        static let notRead = Message(zh: "本月未抄表", en: "Not read this month")
        static let lastCheck = Message(zh: "最近户外巡查", en: "Last exterior check")
        static let thisWeek = Message(zh: "本周巡查", en: "This week's check")
        static let weekDone = Message(zh: "已完成", en: "Done")
        static let weekDue = Message(zh: "待巡查", en: "Due")
        static let never = Message(zh: "尚未巡查", en: "Never checked")
        static let none = Message(zh: "目前没有托管中的房屋。", en: "No units in custody.")
        static let open = Message(zh: "签订托管协议", en: "Sign a custody agreement")
        static let roomLabel = Message(zh: "房号(楼栋-房号,如 1栋-1201)", en: "Unit (building-room, like 1栋-1201)")
        static let startDay = Message(zh: "托管开始日", en: "First day")
        static let endDay = Message(zh: "托管截止日(可不填)", en: "Last day (optional)")
        static let baseline = Message(zh: "签约时共同抄表", en: "Meters read together at signing")
        static let waterLimit = Message(zh: "每月用水限额 (m³)", en: "Monthly water limit (m³)")
        static let electricityLimit = Message(zh: "每月用电限额 (kWh)", en: "Monthly electricity limit (kWh)")
        static let fee = Message(zh: "物业管理费", en: "Management fee")
        static let feeRate = Message(zh: "按全额的 %@ 收取", en: "%@ of the full fee")
        static let note = Message(zh: "备注", en: "Note")
        static let rain = Message(zh: "大雨巡查", en: "Heavy rain")
        static let warn = Message(zh: "大雨预警", en: "Heavy-rain warning")
        static let rainOver = Message(zh: "雨停", en: "Rain over")
        static let warningOpen = Message(zh: "大雨预警中:%@ 发出", en: "Heavy-rain warning since %@")
        static let noWarning = Message(zh: "当前没有大雨预警。", en: "No heavy-rain warning.")
        static let openChecks = Message(zh: "待完成的雨前/雨后巡查", en: "Rain checks still open")
        static let noOpenChecks = Message(zh: "没有待完成的雨前/雨后巡查。", en: "No rain checks open.")
        static let due = Message(zh: "期限", en: "Due")
        static let waitingRain = Message(zh: "雨停后 24 小时内", en: "Within 24 hours of the rain stopping")
        static let ended = Message(zh: "已结束的托管", en: "Ended agreements")
        static let readings = Message(zh: "抄表记录", en: "Meter readings")
        static let month = Message(zh: "月份", en: "Month")
        static let baselineRow = Message(zh: "签约底数", en: "At signing")
        static let by = Message(zh: "抄表人", en: "Read by")
        static let record = Message(zh: "登记读数", en: "Record the reading")
        static let checks = Message(zh: "户外巡查", en: "Exterior checks")
        static let kind = Message(zh: "巡查类型", en: "Kind")
        static let findings = Message(zh: "巡查情况(发现问题请写明处理情况)", en: "What was found (and what was done about a problem)")
        static let problem = Message(zh: "发现问题", en: "Problem found")
        static let ownerNotified = Message(zh: "已通知业主", en: "Owner told")
        static let recordCheck = Message(zh: "登记巡查", en: "Record the check")
        static let done = Message(zh: "完成", en: "Done")
        static let notDone = Message(zh: "未完成", en: "Not done")
        static let cancelled = Message(zh: "已取消", en: "Cancelled")
        static let end = Message(zh: "结束托管", en: "End the custody")
        static let endedOn = Message(zh: "托管已结束", en: "Custody ended")
        static let alerts = Message(zh: "提醒", en: "Alerts")
        static let timeline = Message(zh: "记录(防篡改)", en: "Record (tamper-evident)")
        static let opened = Message(zh: "已签订托管协议", en: "Custody agreement signed")
        static let saved = Message(zh: "已登记", en: "Saved")
        static let back = Message(zh: "返回房屋托管", en: "Back to units in custody")
        static let agreementScan = Message(zh: "《托管协议》扫描件", en: "The signed agreement")
    }

    // MARK: The community's units in custody

    /// GET /c/:cid/custody
    static func list(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .keepCustody)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let now = req.application.propdesk.now()
        let today = PatrolCoverage.day(of: now, timeZone: c.timeZone).label
        let month = String(today.prefix(7))
        let week = PatrolCoverage.week(of: now, timeZone: c.timeZone)
        let store = req.store.custody
        let all = try await store.agreements(community: c.id, areas: scope.areas)
        let active = all.filter { $0.endedAt == nil && $0.covers(today) }
        let ended = all.filter { $0.endedAt != nil || ($0.endDay.map { $0 < today } ?? false) }
        let latest = try await store.latestReadings(active.map(\.id))
        let last = try await store.lastChecks(community: c.id)
        let open = try await store.openRainChecks(community: c.id, areas: scope.areas)
        let warning = try await store.openRainWarning(community: c.id)
        let labels = try await req.store.registry.unitLabels(Set(all.map(\.unitID)))
        var kids: [BodyNode] = []

        var rain: [BodyNode] = [H.el("h2", [], text: S.rain.text(lang))]
        if let warning {
            rain.append(H.el("p", [("class", "error"), ("id", "rain-warning")], text: S.warningOpen.text(lang).replacingOccurrences(of: "%@", with: time.format(warning.issuedAt))))
            rain.append(H.form(Routes.custodyRainOver(c.id), [("class", "inline")], [H.button(S.rainOver.text(lang), [("id", "rain-over")], primary: false)]))
        } else {
            rain.append(H.el("p", [("class", "muted"), ("id", "rain-warning")], text: S.noWarning.text(lang)))
            rain.append(H.form(Routes.custodyRain(c.id), [("class", "inline")], [H.button(S.warn.text(lang), [("id", "rain-warn")])]))
        }
        rain.append(H.el("h3", [], text: S.openChecks.text(lang)))
        rain.append(open.isEmpty ? H.el("p", [("class", "muted")], text: S.noOpenChecks.text(lang)) : H.el("ul", [("id", "open-rain-checks")], open.map { chk in
            let late = chk.dueAt.map { $0 < now } ?? false
            let due = chk.dueAt.map { time.format($0) } ?? S.waitingRain.text(lang)
            return H.el("li", [("class", late ? "overdue" : ""), ("data-kind", chk.kind.rawValue)], [
                H.link("\(labels[chk.unitID] ?? "") · \(chk.kind.title.text(lang))", Routes.custody(chk.agreementID)),
                .text(" · \(S.due.text(lang)) \(due)"),
            ])
        }))
        kids.append(H.el("section", [("class", "card"), ("id", "rain")], rain))

        if active.isEmpty {
            kids.append(H.el("p", [("class", "muted")], text: S.none.text(lang)))
        } else {
            let head = [S.unit, S.owner, S.since, S.thisMonth, S.waterUsed, S.electricityUsed, S.lastCheck, S.thisWeek].map { H.el("th", [], text: $0.text(lang)) }
            let rows: [BodyNode] = active.map { a in
                let r = latest[a.id].flatMap { $0.month == month && !$0.baseline ? $0 : nil }
                let check = last[a.id]
                let weekDone = check?.doneAt.map { $0 >= week.start } ?? false
                return H.el("tr", [("id", "custody-\(a.id.uuidString.prefix(8))")], [
                    H.el("td", [], [H.link(labels[a.unitID] ?? "", Routes.custody(a.id))]),
                    H.el("td", [], text: a.ownerName),
                    H.el("td", [], text: "\(a.startDay) – \(a.endDay ?? "")"),
                    H.el("td", [], text: r.map { "\($0.month) · \(time.format($0.readAt, "MM-dd"))" } ?? S.notRead.text(lang)),
                    usedCell(r?.waterUsed, r?.waterAllowed ?? a.waterLimit, over: r?.waterOver ?? false),
                    usedCell(r?.electricityUsed, r?.electricityAllowed ?? a.electricityLimit, over: r?.electricityOver ?? false),
                    H.el("td", [], text: check.flatMap { c in c.doneAt.map { "\(time.format($0)) · \(c.kind.title.text(lang))\(c.problem ? " ⚠" : "")" } } ?? S.never.text(lang)),
                    H.el("td", [("class", weekDone ? "" : "over")], text: (weekDone ? S.weekDone : S.weekDue).text(lang)),
                ])
            }
            kids.append(H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "custody-units")], [H.el("thead", [], [H.el("tr", [], head)]), H.el("tbody", [], rows)])]))
        }

        kids.append(H.form(Routes.custodyList(c.id), [("id", "custody-open-form"), ("class", "card")], [
            H.el("h2", [], text: S.open.text(lang)),
            H.hidden("agreementId", UUID().uuidString),
            textField(S.roomLabel, "custody-unit", "unit", required: true, max: 60, lang),
            textField(S.owner, "custody-owner", "ownerName", required: true, max: 40, lang),
            textField(S.ownerPhone, "custody-phone", "ownerPhone", required: true, max: 20, type: "tel", lang),
            H.field(S.startDay.text(lang), "custody-start", H.input([("type", "date"), ("id", "custody-start"), ("name", "startDay"), ("value", today), ("required", "required")])),
            H.field(S.endDay.text(lang), "custody-end", H.input([("type", "date"), ("id", "custody-end"), ("name", "endDay")])),
            H.el("h3", [], text: S.baseline.text(lang)),
            textField(S.water, "custody-water", "water", required: true, max: 13, mode: "decimal", lang),
            textField(S.electricity, "custody-electricity", "electricity", required: true, max: 13, mode: "decimal", lang),
            textField(S.waterLimit, "custody-water-limit", "waterLimit", value: MeterValue.text(CustodyAgreement.defaultWaterLimit), required: true, max: 10, mode: "decimal", lang),
            textField(S.electricityLimit, "custody-electricity-limit", "electricityLimit", value: MeterValue.text(CustodyAgreement.defaultElectricityLimit),
                      required: true, max: 10, mode: "decimal", lang),
            H.el("p", [("class", "muted")], text: "\(S.fee.text(lang)):" + S.feeRate.text(lang).replacingOccurrences(of: "%@", with: DutyTarget.percent(CustodyAgreement.defaultFeeRatePerMille))),
            H.field(S.note.text(lang), "custody-note", H.el("textarea", [("id", "custody-note"), ("name", "note"), ("rows", "2"), ("maxlength", "500")])),
            H.button(S.open.text(lang), [("id", "custody-open")]),
        ]))
        if !ended.isEmpty {
            kids.append(H.el("section", [("class", "card"), ("id", "custody-ended")], [
                H.el("h2", [], text: S.ended.text(lang)),
                H.el("ul", [], ended.prefix(50).map { a in
                    H.el("li", [], [H.link("\(labels[a.unitID] ?? "") · \(a.ownerName) · \(a.startDay) – \(a.endDay ?? "")", Routes.custody(a.id))])
                }),
            ]))
        }
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func usedCell(_ used: Int?, _ allowed: Int, over: Bool) -> BodyNode {
        H.el("td", [("class", over ? "num over" : "num")], text: "\(used.map(MeterValue.text) ?? "—") / \(MeterValue.text(allowed))")
    }

    static func textField(_ label: Message, _ id: String, _ name: String, value: String = "", required: Bool, max: Int, type: String = "text", mode: String = "",
                          _ lang: Language) -> BodyNode {
        var attrs: [(String, String)] = [("type", type), ("id", id), ("name", name), ("value", value), ("maxlength", String(max))]
        if required { attrs.append(("required", "required")) }
        if !mode.isEmpty { attrs.append(("inputmode", mode)) }
        return H.field(label.text(lang), id, H.input(attrs))
    }

    struct OpenForm: Content {
        var agreementId: String?
        var unit: String?
        var ownerName: String?
        var ownerPhone: String?
        var startDay: String?
        var endDay: String?
        var water: String?
        var electricity: String?
        var waterLimit: String?
        var electricityLimit: String?
        var note: String?
    }

    /// POST /c/:cid/custody — signs a unit into custody.
    static func open(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .keepCustody, req, wholeCommunity: true)
        do {
            let f = try req.content.decode(OpenForm.self)
            let id = try (f.agreementId ?? "").isEmpty ? UUID() : Parse.uuid(f.agreementId ?? "", field: "agreementId")
            let end = (f.endDay ?? "").trimmingCharacters(in: .whitespaces)
            let o = CustodyStore.Opening(
                agreementID: id, unitID: UUID(), ownerName: f.ownerName ?? "", ownerPhone: f.ownerPhone ?? "", startDay: f.startDay ?? "",
                endDay: end.isEmpty ? nil : end, water: try MeterValue.parse(f.water ?? "", field: "water"),
                electricity: try MeterValue.parse(f.electricity ?? "", field: "electricity"),
                waterLimit: try MeterValue.parse(f.waterLimit ?? "5", field: "waterLimit"),
                electricityLimit: try MeterValue.parse(f.electricityLimit ?? "20", field: "electricityLimit"), note: f.note ?? "")
            let a = try await CustodyAccess.open(community: raw, roomLabel: f.unit ?? "", o, req)
            Flash.set(req, S.opened)
            return req.redirect(to: Routes.custody(a.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.custodyList(cid), redirectType: .normal)
        }
    }

    /// POST /c/:cid/custody/rain — 大雨预警: rain checks for every unit in custody.
    static func warn(_ req: Request) async throws -> Response {
        let (cid, _) = try Scoped.community(req.parameters.get("cid") ?? "", .keepCustody, req, wholeCommunity: true)
        let (_, opened) = try await req.store.custody.warnOfRain(community: cid, by: req.actor)
        Flash.set(req, Message(zh: "已发出大雨预警,开出 \(opened) 项雨前/雨后巡查", en: "Heavy-rain warning issued; \(opened) rain checks opened"))
        return req.redirect(to: Routes.custodyList(cid), redirectType: .normal)
    }

    /// POST /c/:cid/custody/rain-over — 雨停: the after-rain checks fall due.
    static func rainOver(_ req: Request) async throws -> Response {
        let (cid, _) = try Scoped.community(req.parameters.get("cid") ?? "", .keepCustody, req, wholeCommunity: true)
        do {
            _ = try await req.store.custody.rainOver(community: cid, by: req.actor)
            Flash.set(req, Message(zh: "已标记雨停:请在 24 小时内完成雨后巡查", en: "Rain marked over: do the after-rain checks within 24 hours"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.custodyList(cid), redirectType: .normal)
    }

    // MARK: One agreement

    /// GET /custody/:id
    static func show(_ req: Request) async throws -> Response {
        let a = try await CustodyAccess.agreement(req.parameters.get("id") ?? "", req, checking: true)
        let (_, policy) = try req.requireStaff()
        let keeper = policy.has(.keepCustody)
        let lang = req.language
        guard let community = try await req.store.registry.community(a.communityID) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        let now = req.application.propdesk.now()
        let label = try await req.store.registry.unitLabels([a.unitID])[a.unitID] ?? ""
        let readings = try await req.store.custody.readings(agreement: a.id)
        let checks = try await req.store.custody.checks(agreement: a.id)
        let alerts = try await req.store.alerts.alerts(of: .custodyAgreement, a.id)
        let entries = try await req.store.timelines.entries(.custodyAgreement, a.id)
        let subject = try await CustodyAccess.subject(a, req)
        let files = try await req.store.evidence.list(.custodyAgreement, a.id)
        let active = a.endedAt == nil
        var kids: [BodyNode] = []
        if keeper { kids.append(H.el("p", [], [H.link(S.back.text(lang), Routes.custodyList(a.communityID))])) }
        let facts: [(Message, String)] = [
            (S.owner, a.ownerName), (S.ownerPhone, Mask.phone(a.ownerPhone)), (S.since, "\(a.startDay) – \(a.endDay ?? "")"),
            (S.fee, S.feeRate.text(lang).replacingOccurrences(of: "%@", with: DutyTarget.percent(a.feeRatePerMille))),
            (S.waterLimit, MeterValue.text(a.waterLimit)), (S.electricityLimit, MeterValue.text(a.electricityLimit)),
        ] + (a.note.isEmpty ? [] : [(S.note, a.note)]) + (a.endedAt.map { [(S.endedOn, "\(time.format($0)) · \(OrderViews.person(a.endedByName ?? "", lang))")] } ?? [])
        kids.append(H.el("section", [("class", "card")], [H.el("dl", [("class", "facts"), ("id", "custody-facts")], facts.map {
            H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)])
        })]))

        // Readings, oldest first, as taken.
        let head = [S.month, S.water, S.waterUsed, S.electricity, S.electricityUsed, S.by].map { H.el("th", [], text: $0.text(lang)) }
        let rows: [BodyNode] = readings.map { r in
            H.el("tr", [("class", r.isOver ? "failed" : ""), ("data-month", r.month)], [
                H.el("td", [], text: r.baseline ? "\(r.month) · \(S.baselineRow.text(lang))" : r.month),
                H.el("td", [("class", "num")], text: MeterValue.text(r.water)),
                r.baseline ? H.el("td", [], text: "—") : usedCell(r.waterUsed, r.waterAllowed, over: r.waterOver),
                H.el("td", [("class", "num")], text: MeterValue.text(r.electricity)),
                r.baseline ? H.el("td", [], text: "—") : usedCell(r.electricityUsed, r.electricityAllowed, over: r.electricityOver),
                H.el("td", [], text: "\(OrderViews.person(r.byName, lang)) · \(time.format(r.readAt))"),
            ])
        }
        var readingKids: [BodyNode] = [H.el("h2", [], text: S.readings.text(lang)),
                                       H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "custody-readings")], [H.el("thead", [], [H.el("tr", [], head)]), H.el("tbody", [], rows)])])]
        if keeper && active {
            readingKids.append(H.form(Routes.custodyReadings(a.id), [("id", "reading-form"), ("class", "inline-form")], [
                H.hidden("readingId", UUID().uuidString),
                H.field(S.month.text(lang), "reading-month", H.input([("type", "month"), ("id", "reading-month"), ("name", "month"), ("value", time.format(now, "yyyy-MM")), ("required", "required")])),
                textField(S.water, "reading-water", "water", required: true, max: 13, mode: "decimal", lang),
                textField(S.electricity, "reading-electricity", "electricity", required: true, max: 13, mode: "decimal", lang),
                textField(S.note, "reading-note", "note", required: false, max: 500, lang),
                H.button(S.record.text(lang), [("id", "reading-save")]),
            ]))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "readings")], readingKids))

        // Exterior checks: open rain checks first, each with its own form.
        var checkKids: [BodyNode] = [H.el("h2", [], text: S.checks.text(lang))]
        checkKids.append(H.el("ul", [("id", "custody-checks")], checks.map { c in
            var line = "\(c.kind.title.text(lang))"
            if let due = c.dueAt { line += " · \(S.due.text(lang)) \(time.format(due))" } else if c.kind == .afterRain && c.isOpen { line += " · \(S.waitingRain.text(lang))" }
            if let done = c.doneAt {
                line += " · \(S.done.text(lang)) \(time.format(done)) \(OrderViews.person(c.byName ?? "", lang))"
                if c.problem { line += " · ⚠ \(S.problem.text(lang))" }
                if c.ownerNotified { line += " · \(S.ownerNotified.text(lang))" }
                if !c.findings.isEmpty { line += " · \(c.findings)" }
            } else {
                line += " · " + (c.cancelledAt == nil ? S.notDone : S.cancelled).text(lang)
            }
            let late = (c.isOpen && (c.dueAt.map { $0 < now } ?? false)) || (c.doneAt != nil && !c.doneOnTime)
            var item: [BodyNode] = [.text(line)]
            if c.isOpen && active && !(c.kind == .afterRain && c.dueAt == nil) { item.append(checkForm(a, id: c.id, kind: c.kind, suffix: "-\(c.id.uuidString.prefix(8))", lang)) }
            return H.el("li", [("class", late ? "overdue" : ""), ("data-kind", c.kind.rawValue), ("id", "check-\(c.id.uuidString.prefix(8))")], item)
        }))
        if active { checkKids.append(checkForm(a, id: UUID(), kind: nil, suffix: "", lang)) }
        kids.append(H.el("section", [("class", "card"), ("id", "checks")], checkKids))

        if !alerts.isEmpty {
            kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.alerts.text(lang)), H.el("ul", [("id", "custody-alerts")], alerts.map { al in
                H.el("li", [("data-alert-kind", al.kind.rawValue)], text: "\(time.format(al.raisedAt)) · \(al.message.text(lang))")
            })]))
        }
        kids.append(EvidencePages.section(files, subject: subject, canAdd: keeper, time: time, lang, title: S.agreementScan))
        kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.timeline.text(lang)), RenovationPages.timeline(entries, time, lang)]))
        if keeper && active {
            kids.append(H.form(Routes.custodyEnd(a.id), [("id", "custody-end-form"), ("class", "inline-form")], [
                textField(S.note, "end-note", "note", required: false, max: 500, lang),
                H.button(S.end.text(lang), [("id", "custody-end")], primary: false),
            ]))
        }
        return Layout.page(title: Message(zh: "\(S.title.zhHans) · \(label)", en: "\(S.title.en) · \(label)"), request: req, frame: Frame(community: community), kids)
    }

    /// The form of one exterior check: for an open rain check (its id and kind fixed), or a new one.
    static func checkForm(_ a: CustodyAgreement, id: UUID, kind: CustodyCheckKind?, suffix: String, _ lang: Language) -> BodyNode {
        var kids: [BodyNode] = [H.hidden("checkId", id.uuidString)]
        if let kind {
            kids.append(H.hidden("kind", kind.rawValue))
        } else {
            kids.append(H.field(S.kind.text(lang), "check-kind\(suffix)", H.select("check-kind\(suffix)", name: "kind",
                                                                                 CustodyCheckKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil)))
        }
        kids += [
            H.field(S.findings.text(lang), "check-findings\(suffix)", H.el("textarea", [("id", "check-findings\(suffix)"), ("name", "findings"), ("rows", "2"), ("maxlength", "1000")])),
            H.el("label", [("class", "choice")], [H.input([("type", "checkbox"), ("name", "problem"), ("value", "1"), ("id", "check-problem\(suffix)")]), .text(" \(S.problem.text(lang))")]),
            H.el("label", [("class", "choice")], [H.input([("type", "checkbox"), ("name", "ownerNotified"), ("value", "1"), ("id", "check-notified\(suffix)")]),
                                                  .text(" \(S.ownerNotified.text(lang))")]),
            H.button(kind.map { "\($0.title.text(lang)) · \(S.done.text(lang))" } ?? S.recordCheck.text(lang), [("id", "check-save\(suffix)")]),
        ]
        return H.form(Routes.custodyChecks(a.id), [("class", "check-form"), ("id", "check-form\(suffix)")], kids)
    }

    struct ReadingForm: Content { var readingId: String?; var month: String?; var water: String?; var electricity: String?; var note: String? }

    /// POST /custody/:id/readings
    static func reading(_ req: Request) async throws -> Response {
        let a = try await CustodyAccess.agreement(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(ReadingForm.self)
            let id = try (f.readingId ?? "").isEmpty ? UUID() : Parse.uuid(f.readingId ?? "", field: "readingId")
            let r = try await req.store.custody.record(.init(readingID: id, month: (f.month ?? "").trimmingCharacters(in: .whitespaces),
                                                             water: try MeterValue.parse(f.water ?? "", field: "water"),
                                                             electricity: try MeterValue.parse(f.electricity ?? "", field: "electricity"), note: f.note ?? ""),
                                                       agreement: a.id, by: req.actor)
            if r.isOver {
                let over = CustodyStore.overText(r)
                Flash.set(req, Message(zh: "已登记;\(over.zhHans),已提醒前台安排入户查看并通知业主", en: "Saved; \(over.en) — the desk is alerted to check inside and tell the owner"),
                          error: true)
            } else {
                Flash.set(req, S.saved)
            }
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.custody(a.id), redirectType: .normal)
    }

    struct CheckForm: Content { var checkId: String?; var kind: String?; var findings: String?; var problem: String?; var ownerNotified: String? }

    /// POST /custody/:id/checks — the desk, or an area supervisor of the unit's area.
    static func check(_ req: Request) async throws -> Response {
        let a = try await CustodyAccess.agreement(req.parameters.get("id") ?? "", req, checking: true)
        do {
            let f = try req.content.decode(CheckForm.self)
            guard let kind = CustodyCheckKind(rawValue: f.kind ?? "weekly") else {
                throw DomainError.invalid(field: "kind", Message(zh: "巡查类型不正确", en: "Unknown kind of check"))
            }
            let id = try (f.checkId ?? "").isEmpty ? UUID() : Parse.uuid(f.checkId ?? "", field: "checkId")
            _ = try await req.store.custody.check(.init(checkID: id, kind: kind, findings: f.findings ?? "", problem: f.problem == "1",
                                                        ownerNotified: f.ownerNotified == "1"), agreement: a.id, by: req.actor)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.custody(a.id), redirectType: .normal)
    }

    struct EndForm: Content { var note: String? }

    /// POST /custody/:id/end
    static func end(_ req: Request) async throws -> Response {
        let a = try await CustodyAccess.agreement(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(EndForm.self)
            _ = try await req.store.custody.end(a.id, note: f.note ?? "", by: req.actor)
            Flash.set(req, S.endedOn)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.custody(a.id), redirectType: .normal)
    }
}
