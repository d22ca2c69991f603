import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Supervision in pages (FLD-7, FLD-1, FLD-6): the CS manager's review queue — logs to reply
/// to, tables to approve, staff changes and cards waiting, inspections due per area with the
/// inspection form, quota and spot-check progress — and the front desk's call list of the
/// month's sample of visit records, with an audited "show number".
enum SupervisionPages {
    enum S {
        static let title = Message(zh: "区域督导", en: "Supervision")
        static let toReview = Message(zh: "待审阅的工作记录", en: "Logs to review")
        static let noneToReview = Message(zh: "没有待审阅的工作记录。", en: "No logs waiting.")
        static let tables = Message(zh: "区域工作分配表", en: "Assignment tables")
        static let toApprove = Message(zh: "待批准", en: "To approve")
        static let changes = Message(zh: "人员变动(三个工作日内须批准新表)", en: "Staff changes (a new table within 3 working days)")
        static let cards = Message(zh: "待张贴的联系卡(三天内)", en: "Contact cards to post (within 3 days)")
        static let inspections = Message(zh: "本月现场检查(每区域至少 2 次)", en: "Inspections this month (at least 2 per area)")
        static let inspect = Message(zh: "记录现场检查", en: "Record an inspection")
        static let area = Message(zh: "区域", en: "Area")
        static let matches = Message(zh: "与工作记录相符", en: "Matches the log")
        static let differs = Message(zh: "与工作记录不符", en: "Differs from the log")
        static let findings = Message(zh: "检查情况", en: "Findings")
        static let photos = Message(zh: "照片", en: "Photos")
        static let save = Message(zh: "保存", en: "Save")
        static let quotas = Message(zh: "家访进度", en: "Visit quotas")
        static let spotChecks = Message(zh: "家访抽查回访", en: "Visit spot checks")
        static let overdue = Message(zh: "逾期", en: "overdue")
        static let due = Message(zh: "期限", en: "due")
        static let nothing = Message(zh: "无。", en: "None.")
        static let inspected = Message(zh: "已记录现场检查", en: "Inspection recorded")
        static let drawTitle = Message(zh: "抽取本月回访名单", en: "Draw this month's call list")
        static let draw = Message(zh: "抽取(不少于 10%)", en: "Draw (at least 10%)")
        static let drawn = Message(zh: "已抽取", en: "Drawn")
        static let nothingToDraw = Message(zh: "各区域已达到 10% 的抽查比例,无需再抽", en: "Every area has its 10% already; nothing to draw")
        static let seed = Message(zh: "随机种子", en: "Seed")
        static let reproduces = Message(zh: "按种子复现:一致 ✓", en: "Re-drawn from the seed: identical ✓")
        static let differsDraw = Message(zh: "按种子复现:不一致", en: "Re-drawn from the seed: differs")
        static let callList = Message(zh: "回访名单", en: "Call list")
        static let show = Message(zh: "显示号码", en: "Show number")
        static let outcome = Message(zh: "核实结果", en: "Outcome")
        static let note = Message(zh: "业户所述", en: "What the household said")
        static let record = Message(zh: "保存结果", en: "Save the outcome")
        static let verified = Message(zh: "已核实", en: "Checked")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let visited = Message(zh: "家访时间", en: "Visited")
        static let supervisor = Message(zh: "区域客户主任", en: "Supervisor")
        static let mode = Message(zh: "方式", en: "How")
        static let records = Message(zh: "区域客户主任本月记录", en: "Supervisors' records this month")
        static let visitsDone = Message(zh: "家访", en: "Visits")
        static let logs = Message(zh: "工作记录", en: "Logs")
        static let checksFailed = Message(zh: "抽查不属实", en: "Spot checks failed")
        static let missingLogs = Message(zh: "缺记录的工作日", en: "Working days without a log")
        static let inspectionsDiffer = Message(zh: "检查与记录不符", en: "Inspections not matching the log")
        static let onTime = Message(zh: "按时审阅", en: "reviewed in time")
        static let late = Message(zh: "逾期审阅", en: "late")
        static let waiting = Message(zh: "待审阅", en: "waiting")
    }

    static func month(_ req: Request, _ community: Community) throws -> String {
        try ReportPeriod.month(req.query[String.self, at: "month"], timeZone: community.timeZone, now: req.application.propdesk.now())
    }

    /// GET /c/:cid/supervision?month= — the CS manager's (and head's) queue.
    static func render(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        let scope = try await ConsoleScope.resolve(req, policy.has(.superviseAreas) ? .superviseAreas : .approveAssignments)
        let lang = req.language
        let community = scope.community
        let cid = community.id
        let now = req.application.propdesk.now()
        let time = LocalTime(community.timeZone)
        let month = try month(req, community)
        let (from, until) = try MonthSummary.range(month: month, timeZone: community.timeZone)
        let areas = try await req.store.registry.areas(community: cid).filter { scope.areas?.contains($0.id) ?? true }
        var kids: [BodyNode] = [H.el("p", [], [H.link(S.tables.text(lang), Routes.assignments(cid)), .text(" · "),
                                                H.link(AssignmentPages.S.cards.text(lang), Routes.contactCards(cid)), .text(" · "),
                                                H.link(S.spotChecks.text(lang), Routes.spotChecks(cid, month: month)), .text(" · "),
                                                H.link(VisitPages.S.records.text(lang), Routes.communityVisits(cid, month: month)), .text(" · "),
                                                H.link(ScorecardPage.S.title.text(lang), Routes.scorecard(cid, month: month))])]
        // Logs to reply to, the most overdue first.
        let logs = try await req.store.workLogs.toReview(community: cid, areas: scope.areas)
        kids.append(H.el("section", [("class", "card"), ("id", "logs-to-review")], [
            H.el("h2", [], text: "\(S.toReview.text(lang)) (\(logs.count))"),
            logs.isEmpty ? H.el("p", [("class", "muted")], text: S.noneToReview.text(lang)) : H.el("ul", [], logs.map { l in
                let late = l.reviewLate(at: now)
                return H.el("li", [("class", late ? "overdue" : "")], [
                    H.link("\(l.day) · \(OrderViews.person(l.supervisorName, lang))", Routes.workLog(l.id)),
                    .text(" · \(S.due.text(lang)) \(time.format(l.reviewDueAt))"),
                    late ? H.el("strong", [("class", "error")], text: " \(S.overdue.text(lang))") : .text(""),
                ])
            }),
        ]))
        // Tables to approve, staff changes, cards.
        let tables = try await req.store.assignments.tables(community: cid).filter { $0.status == .submitted }
        let changes = try await req.store.assignments.staffChanges(community: cid).filter { $0.resolvedAt == nil }
        let cards = try await req.store.assignments.latestCards(community: cid).values.filter { $0.postedAt == nil }.sorted { $0.areaName < $1.areaName }
        kids.append(H.el("section", [("class", "card"), ("id", "assignment-queue")], [
            H.el("h2", [], text: S.tables.text(lang)),
            H.el("h3", [], text: "\(S.toApprove.text(lang)) (\(tables.count))"),
            tables.isEmpty ? H.el("p", [("class", "muted")], text: S.nothing.text(lang)) : H.el("ul", [], tables.map { t in
                H.el("li", [], [H.link("V\(t.version) · \(OrderViews.person(t.draftedBy, lang)) · \(time.format(t.draftedAt))", Routes.assignment(t.id))])
            }),
            H.el("h3", [], text: "\(S.changes.text(lang)) (\(changes.count))"),
            changes.isEmpty ? H.el("p", [("class", "muted")], text: S.nothing.text(lang)) : H.el("ul", [("id", "staff-changes")], changes.map { c in
                H.el("li", [("class", c.overdue(at: now) ? "overdue" : "")], text: "\(OrderViews.person(c.userName, lang)) · \(c.kind.title.text(lang)) · \(time.format(c.at)) · \(S.due.text(lang)) \(time.format(c.dueAt))"
                     + (c.overdue(at: now) ? " · \(S.overdue.text(lang))" : ""))
            }),
            H.el("h3", [], text: "\(S.cards.text(lang)) (\(cards.count))"),
            cards.isEmpty ? H.el("p", [("class", "muted")], text: S.nothing.text(lang)) : H.el("ul", [], cards.map { c in
                H.el("li", [("class", now >= c.dueAt ? "overdue" : "")], [H.link("\(c.areaName) · \(c.supervisorName) · \(S.due.text(lang)) \(time.format(c.dueAt))", Routes.contactCards(cid))])
            }),
        ]))
        // Inspections per area, and the form.
        let done = Dictionary(grouping: try await req.store.supervision.inspections(community: cid, areas: scope.areas, from: from, until: until), by: \.areaID)
        var rows: [BodyNode] = []
        for a in areas {
            let list = done[a.id] ?? []
            rows.append(H.el("tr", [("class", list.count < AreaInspection.perMonth ? "short" : "")], [
                H.el("td", [], text: a.name), H.el("td", [], text: "\(list.count) / \(AreaInspection.perMonth)"),
                H.el("td", [], list.map { i in
                    H.el("div", [], [.text("\(time.format(i.at, "MM-dd HH:mm")) · \((i.matchesLog ? S.matches : S.differs).text(lang)) · \(i.findings) ")]
                                    + (i.logID.map { [H.link(WorkLogPages.S.title.text(lang), Routes.workLog($0))] } ?? []))
                }),
            ]))
        }
        var section: [BodyNode] = [H.el("h2", [], text: S.inspections.text(lang)),
                                   H.el("table", [("class", "list"), ("id", "inspections")], [H.el("tbody", [], rows)])]
        if policy.has(.superviseAreas) {
            section.append(H.form(Routes.inspections(cid), [("enctype", "multipart/form-data"), ("id", "inspection-form")], [
                H.el("h3", [], text: S.inspect.text(lang)), H.hidden("inspectionId", UUID().uuidString),
                H.field(S.area.text(lang), "inspect-area", H.select("inspect-area", name: "areaId", areas.map { ($0.id.uuidString, $0.name) }, selected: nil)),
                H.el("fieldset", [], [H.el("legend", [], text: S.outcome.text(lang)),
                                      H.el("label", [], [H.input([("type", "radio"), ("name", "matchesLog"), ("value", "yes"), ("checked", "checked")]), .text(" " + S.matches.text(lang))]),
                                      H.el("label", [], [H.input([("type", "radio"), ("name", "matchesLog"), ("value", "no")]), .text(" " + S.differs.text(lang))])]),
                H.field(S.findings.text(lang), "inspect-findings", H.el("textarea", [("id", "inspect-findings"), ("name", "findings"), ("rows", "3"), ("maxlength", "2000"), ("required", "required")])),
                H.field(S.photos.text(lang), "inspect-photos", H.input([("id", "inspect-photos"), ("name", "photos[]"), ("type", "file"), ("accept", "image/*"), ("multiple", "multiple")])),
                H.button(S.save.text(lang), [("id", "save-inspection")]),
            ]))
        }
        kids.append(H.el("section", [("class", "card")], section))
        // Each supervisor's record of the month: visits, logs and their review, what the checks found.
        kids.append(try await records(scope, areas: areas, from: from, until: until, now: now, req))
        // Quotas and spot checks per area.
        let (households, fromTable) = try await req.store.visits.households(community: cid)
        let progress = try await req.store.visits.progress(community: cid, areas: areas.map(\.id), month: month, timeZone: community.timeZone, households: households)
        kids.append(H.el("section", [("class", "card"), ("id", "quotas")], [H.el("h2", [], text: S.quotas.text(lang)),
                                                                           VisitPages.progressCards(progress, areas: areas, fromTable: fromTable, lang)]))
        return Layout.page(title: Message(zh: "\(S.title.zhHans) · \(month)", en: "\(S.title.en) · \(month)"), request: req, frame: scope.frame,
                           communities: scope.communities, kids)
    }

    /// 区域客户主任记录: per supervisor of the table in force (or with an area), the month's door
    /// and phone visits, logs (replied in time, late, waiting), spot checks that found a visit
    /// did not happen, and inspections of their area that did not match their log.
    static func records(_ scope: ConsoleScope, areas: [Area], from: Date, until: Date, now: Date, _ req: Request) async throws -> BodyNode {
        let lang = req.language
        let cid = scope.community.id
        let table = try await req.store.assignments.inForce(community: cid)
        let people = try await req.store.assignments.supervisors(community: cid)
        var who: [(id: UUID, name: String, areas: [UUID])] = []
        for p in people {
            let own = table?.areas(of: p.id).own ?? Array(p.areas)
            let shown = own.filter { a in areas.contains { $0.id == a } }
            if !shown.isEmpty { who.append((p.id, p.name, shown)) }
        }
        let visits = try await req.store.visits.facts(community: cid, areas: scope.areas, from: from, until: until)
        let logs = try await req.store.workLogs.logs(community: cid, areas: nil, from: from, until: until, limit: 5000)
        let inspections = try await req.store.supervision.inspections(community: cid, areas: scope.areas, from: from, until: until)
        // The working days of the month already over (S2 4.8.1: a log every working day).
        var hours = try await req.store.orders.contract(community: cid).hours
        hours.timeZone = scope.community.timeZone
        let calendar = WorkingDays(hours)
        var workingDays: [String] = []
        var day = from
        while day < min(now, until), workingDays.count < 40 {
            let key = calendar.dayKey(day.addingTimeInterval(12 * 3600))
            if let span = calendar.day(key) {
                if span.end <= now, calendar.isWorkingDay(span.start.addingTimeInterval(12 * 3600)) { workingDays.append(key) }
                day = span.end
            } else { break }
        }
        let head = [S.supervisor, S.area, S.visitsDone, S.logs, S.missingLogs, S.checksFailed, S.inspectionsDiffer]
        return H.el("section", [("class", "card"), ("id", "supervisor-records")], [
            H.el("h2", [], text: S.records.text(lang)),
            H.el("table", [("class", "list")], [
                H.el("thead", [], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })]),
                H.el("tbody", [], who.map { p in
                    let mine = visits.filter { $0.byID == p.id }
                    let door = mine.filter { $0.mode == .door }.count
                    let failed = mine.filter { $0.check == .notHappened }.count
                    let own = logs.filter { $0.supervisorID == p.id }
                    let onTime = own.filter(\.reviewedOnTime).count
                    let late = own.filter { $0.reviewedAt != nil && !$0.reviewedOnTime }.count
                    let waiting = own.filter { $0.reviewedAt == nil }.count
                    let differ = inspections.filter { p.areas.contains($0.areaID) && !$0.matchesLog }.count
                    let kept = Set(own.map(\.day))
                    let missing = workingDays.filter { !kept.contains($0) }
                    let names = areas.filter { p.areas.contains($0.id) }.map(\.name).joined(separator: "、")
                    return H.el("tr", [("class", failed + differ + late + missing.count > 0 ? "short" : "")], [
                        H.el("td", [], text: p.name), H.el("td", [], text: names),
                        H.el("td", [], text: "\(mine.count)(\(VisitMode.door.title.text(lang)) \(door) · \(VisitMode.phone.title.text(lang)) \(mine.count - door))"),
                        H.el("td", [], text: "\(own.count):\(S.onTime.text(lang)) \(onTime) · \(S.late.text(lang)) \(late) · \(S.waiting.text(lang)) \(waiting)"),
                        H.el("td", [("title", missing.joined(separator: " "))], text: String(missing.count)),
                        H.el("td", [], text: String(failed)), H.el("td", [], text: String(differ)),
                    ])
                }),
            ]),
        ])
    }

    struct InspectionForm: Content { var areaId: String?; var matchesLog: String?; var findings: String?; var inspectionId: String? }

    /// POST /c/:cid/inspections
    static func inspect(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .superviseAreas, req)
        do {
            let f = try req.content.decode(InspectionForm.self)
            let area = try Parse.uuid(f.areaId ?? "", field: "areaId")
            let id = try (f.inspectionId ?? "").isEmpty ? nil : Parse.uuid(f.inspectionId ?? "", field: "inspectionId")
            _ = try await SupervisionAccess.inspect(id: id, community: raw, area: area, matchesLog: f.matchesLog != "no", findings: f.findings ?? "",
                                                    photos: try RenovationPages.photos(req, caption: S.inspect.zhHans), req)
            Flash.set(req, S.inspected)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.supervision(cid), redirectType: .normal)
    }

    // MARK: Spot checks (S2 4.9.3)

    /// GET /c/:cid/spot-checks?month= — the desk's call list.
    static func spotChecks(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .spotCheckVisits)
        let lang = req.language
        let community = scope.community
        let cid = community.id
        let time = LocalTime(community.timeZone)
        let month = try month(req, community)
        let (from, until) = try MonthSummary.range(month: month, timeZone: community.timeZone)
        let checks = try await req.store.supervision.checks(community: cid, areas: scope.areas, from: from, until: until)
        let draws = try await req.store.supervision.draws(community: cid, month: month)
        let labels = try await req.store.registry.unitLabels(Set(checks.map(\.unitID)))
        let areas = try await req.store.registry.areas(community: cid)
        let visits = try await req.store.visits.facts(community: cid, areas: scope.areas, from: from, until: until)
        var kids: [BodyNode] = []
        // Progress per area: checked / visits.
        let perArea = Dictionary(grouping: visits, by: \.areaID)
        kids.append(H.el("table", [("class", "list"), ("id", "spot-progress")], areas.filter { perArea[$0.id] != nil }.map { a in
            let n = checks.filter { $0.areaID == a.id && $0.outcome?.verifies == true }.count
            let total = perArea[a.id]?.count ?? 0
            return H.el("tr", [("class", n * 1000 >= SpotCheckSample.perMille * total ? "" : "short")], [
                H.el("td", [], text: a.name), H.el("td", [], text: "\(S.verified.text(lang)) \(n) / \(total) (≥ \(SpotCheckSample.required(total)))"),
            ])
        }))
        if scope.areas == nil {
            kids.append(H.form(Routes.spotCheckDraw(cid), [("id", "draw-form")], [H.hidden("month", month), H.button(S.draw.text(lang), [("id", "draw")])]))
        }
        kids.append(H.el("ul", [("id", "draws"), ("class", "muted")], draws.map { d in
            H.el("li", [], text: "\(S.drawn.text(lang)) \(time.format(d.drawnAt)) · \(OrderViews.person(d.drawnBy, lang)) · \(S.seed.text(lang)) \(d.seed) · "
                 + "\(d.plans.map(\.picked.count).reduce(0, +)) · \((d.reproduces ? S.reproduces : S.differsDraw).text(lang))")
        }))
        kids.append(H.el("h2", [], text: "\(S.callList.text(lang)) (\(checks.count))"))
        kids.append(H.el("ul", [("class", "call-list"), ("id", "call-list")], checks.map { c in
            var item: [BodyNode] = [H.el("strong", [], text: labels[c.unitID] ?? ""),
                                    .text(" · \(S.supervisor.text(lang)) \(OrderViews.person(c.supervisorName, lang)) · \(time.format(c.visitedAt)) · \(c.mode.title.text(lang))")]
            if let o = c.outcome {
                item.append(H.el("span", [("class", o == .notHappened ? "badge bad" : "badge")], text: " \(o.title.text(lang))\(c.note.isEmpty ? "" : ":\(c.note)")"))
            }
            if c.outcome?.verifies != true {
                item.append(H.form(Routes.spotCheckReveal(c.id), [("class", "inline")], [H.button(S.show.text(lang), [("id", "reveal-\(c.id.uuidString.prefix(8))")], primary: false)]))
                item.append(H.form(Routes.spotCheck(c.id), [("class", "call-outcome"), ("id", "call-\(c.id.uuidString.prefix(8))")], [
                    H.el("fieldset", [], [H.el("legend", [], text: S.outcome.text(lang))] + SpotCheckOutcome.allCases.map { o in
                        H.el("label", [("class", "choice")], [H.input([("type", "radio"), ("name", "outcome"), ("value", o.rawValue), ("required", "required")]), .text(" " + o.title.text(lang))])
                    }),
                    H.field(S.note.text(lang), "note-\(c.id.uuidString.prefix(8))", H.input([("id", "note-\(c.id.uuidString.prefix(8))"), ("name", "note"), ("maxlength", "1000")])),
                    H.button(S.record.text(lang)),
                ]))
            }
            return H.el("li", [("class", "card")], item)
        }))
        return Layout.page(title: Message(zh: "\(S.spotChecks.zhHans) · \(month)", en: "\(S.spotChecks.en) · \(month)"), request: req, frame: scope.frame,
                           communities: scope.communities, kids)
    }

    /// POST /c/:cid/spot-checks/draw
    static func draw(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .spotCheckVisits, req, wholeCommunity: true)
        let month = (try? req.content.get(String.self, at: "month")) ?? ""
        do {
            if let d = try await SupervisionAccess.draw(community: raw, month: month, req) {
                let n = d.plans.map(\.picked.count).reduce(0, +)
                Flash.set(req, Message(zh: "已抽取 \(n) 条家访记录(种子 \(d.seed))", en: "Drew \(n) visit records (seed \(d.seed))"))
            } else {
                Flash.set(req, S.nothingToDraw)
            }
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.spotChecks(cid, month: month.isEmpty ? nil : month), redirectType: .normal)
    }

    struct CallForm: Content { var outcome: String?; var note: String? }

    /// POST /spot-checks/:id — the call's outcome.
    static func call(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("id") ?? ""
        let check = try await SupervisionAccess.check(raw, req)
        do {
            let f = try req.content.decode(CallForm.self)
            guard let outcome = SpotCheckOutcome(rawValue: f.outcome ?? "") else {
                throw DomainError.invalid(field: "outcome", Message(zh: "请选择核实结果", en: "Choose an outcome"))
            }
            let s = try await SupervisionAccess.call(raw, outcome: outcome, note: f.note ?? "", req)
            Flash.set(req, Message(zh: "已记录:\(s.outcome?.title.zhHans ?? "")", en: "Saved: \(s.outcome?.title.en ?? "")"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return try await backToList(check, req)
    }

    /// POST /spot-checks/:id/reveal — the household's number, audited.
    static func reveal(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("id") ?? ""
        let check = try await SupervisionAccess.check(raw, req)
        do {
            let (name, phone) = try await SupervisionAccess.revealForCall(raw, req)
            Flash.set(req, Message(zh: "\(name):\(phone)(已记入审计)", en: "\(name): \(phone) (written to the audit trail)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return try await backToList(check, req)
    }

    static func backToList(_ c: SpotCheck, _ req: Request) async throws -> Response {
        let tz = try await req.store.registry.community(c.communityID)?.timeZone ?? "Asia/Shanghai"
        return req.redirect(to: Routes.spotChecks(c.communityID, month: DutyStore.month(of: c.visitedAt, timeZone: tz)) + "#call-\(c.id.uuidString.prefix(8))",
                            redirectType: .normal)
    }
}
