import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The standards scorecard (REP-2, PLT-1): every registered duty of a community (or one area)
/// for a month — citation, what it asks, value, target, outcome and the records behind the
/// number — as a page, as CSV, and (in `ScorecardAPI`) as JSON. What a center shows an auditor.
enum ScorecardPage {
    enum S {
        static let title = Message(zh: "规范符合度", en: "Standards scorecard")
        static let month = Message(zh: "月份", en: "Month")
        static let area = Message(zh: "区域", en: "Area")
        static let wholeCommunity = Message(zh: "全小区", en: "Whole community")
        static let show = Message(zh: "查看", en: "Show")
        static let csv = Message(zh: "导出 CSV", en: "Export CSV")
        static let citation = Message(zh: "条款", en: "Clause")
        static let duty = Message(zh: "要求", en: "What it asks")
        static let period = Message(zh: "周期", en: "Period")
        static let value = Message(zh: "数值", en: "Value")
        static let target = Message(zh: "目标", en: "Target")
        static let outcome = Message(zh: "结果", en: "Outcome")
        static let records = Message(zh: "记录", en: "Records")
        static let more = Message(zh: "更多", en: "more")
        static let intro = Message(zh: "每一行是规范中一条可衡量的条款,数值由本月记录计算;红色链接为未达标的记录。",
                                   en: "Each row is one measurable clause of the standards, computed from this month's records; red links are the records that fell short.")
    }

    /// The scope and month a request asks for: an area supervisor sees one of their areas.
    struct Ask {
        let scope: ConsoleScope
        let month: String
        let areaID: UUID?
        let areas: [Area]
    }

    static func ask(_ req: Request) async throws -> Ask {
        let scope = try await ConsoleScope.resolve(req, .reviewOrders)
        let month = try ReportPeriod.month(req.query[String.self, at: "month"], timeZone: scope.community.timeZone, now: req.application.propdesk.now())
        let all = try await req.store.registry.areas(community: scope.community.id)
        let areas = scope.areas.map { mine in all.filter { mine.contains($0.id) } } ?? all
        var areaID = try (req.query[String.self, at: "area"]).flatMap { raw -> UUID? in
            guard !raw.isEmpty else { return nil }
            guard let id = UUID(uuidString: raw), areas.contains(where: { $0.id == id }) else { throw DomainError.notFound(Noun.area) }
            return id
        }
        if scope.areas != nil && areaID == nil {
            guard let first = areas.first else { throw DomainError.forbidden }
            areaID = first.id
        }
        return Ask(scope: scope, month: month, areaID: areaID, areas: areas)
    }

    /// GET /c/:cid/scorecard?month=2026-11&area=
    static func render(_ req: Request) async throws -> Response {
        let a = try await ask(req)
        let lang = req.language
        let cid = a.scope.community.id
        let rows = try await req.store.duties.scorecard(community: cid, month: a.month, timeZone: a.scope.community.timeZone, areaID: a.areaID)
        let periods = try await req.store.duties.periods(community: cid, month: a.month).filter { $0.areaID == a.areaID }
        var areaOptions: [(value: String, label: String)] = a.scope.areas == nil ? [("", S.wholeCommunity.text(lang))] : []
        areaOptions += a.areas.map { ($0.id.uuidString, $0.name) }
        let head = [S.citation, S.duty, S.period, S.value, S.target, S.outcome, S.records]
        return Layout.page(title: S.title, request: req, frame: a.scope.frame, communities: a.scope.communities, [
            H.el("h2", [], text: "\(a.scope.community.name) · \(a.month)"),
            H.el("p", [("class", "muted")], text: S.intro.text(lang)),
            H.el("form", [("method", "get"), ("class", "inline-form")], [
                H.field(S.month.text(lang), "scorecard-month", H.input([("type", "month"), ("id", "scorecard-month"), ("name", "month"), ("value", a.month)])),
                H.field(S.area.text(lang), "scorecard-area", H.select("scorecard-area", name: "area", areaOptions, selected: a.areaID?.uuidString ?? "")),
                H.button(S.show.text(lang), primary: false),
                H.link(S.csv.text(lang), Routes.scorecardCSV(cid, month: a.month, area: a.areaID), [("id", "scorecard-csv"), ("class", "button secondary")]),
            ]),
            H.el("table", [("class", "register scorecard"), ("id", "scorecard")], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + rows.map { r in
                H.el("tr", [("id", "duty-\(r.duty.id)"), ("data-outcome", r.outcome.rawValue)], [
                    H.el("td", [], [periods.first { $0.dutyID == r.duty.id }.map { H.link(r.duty.citation, Routes.subject(.dutyPeriod, $0.id), [("class", "period")]) }
                                    ?? H.el("span", [], text: r.duty.citation)]),
                    H.el("td", [], [H.el("strong", [], text: r.duty.title.text(lang)), H.el("br"), H.el("small", [("class", "muted")], text: r.duty.asks.text(lang))]),
                    H.el("td", [], text: r.duty.period.title.text(lang)),
                    H.el("td", [("class", "value")], text: r.measurement.valueText),
                    H.el("td", [], text: r.duty.target.text.text(lang)),
                    H.el("td", [], [H.el("span", [("class", "badge outcome-\(r.outcome.rawValue)")], text: r.outcome.title.text(lang))]),
                    H.el("td", [("class", "records")], records(r.measurement, lang)),
                ])
            }),
        ])
    }

    static func records(_ m: DutyMeasurement, _ lang: Language) -> [BodyNode] {
        let shown = m.records.prefix(12)
        var out: [BodyNode] = shown.map { link in
            H.link(link.label, link.path, link.missed ? [("class", "missed"), ("data-missed", "1")] : [])
        }
        if m.records.count > shown.count { out.append(H.el("span", [("class", "muted")], text: " +\(m.records.count - shown.count) \(S.more.text(lang))")) }
        return out.flatMap { [$0, H.el("span", [], text: " ")] }
    }

    /// GET /c/:cid/scorecard.csv?month=2026-11&area= — the same rows, for Excel (UTF-8 with BOM).
    static func csv(_ req: Request) async throws -> Response {
        let a = try await ask(req)
        let lang = req.language
        let rows = try await req.store.duties.scorecard(community: a.scope.community.id, month: a.month, timeZone: a.scope.community.timeZone, areaID: a.areaID)
        var text = "\u{FEFF}" + CSV.line([S.citation, S.duty, S.period, S.value, S.target, S.outcome, S.records].map { $0.text(lang) } + ["numerator", "denominator", "duty_id"]) + "\r\n"
        for r in rows {
            text += CSV.line([r.duty.citation, r.duty.title.text(lang), r.duty.period.title.text(lang), r.measurement.valueText, r.duty.target.text.text(lang),
                              r.outcome.title.text(lang), r.measurement.records.filter(\.missed).map(\.label).joined(separator: " "),
                              String(r.measurement.numerator), r.measurement.denominator.map(String.init) ?? "", r.duty.id]) + "\r\n"
        }
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"scorecard-\(a.month).csv\"")
        return response
    }

    /// GET /subjects/:kind/:id — the page that shows a subject (PLT-2).
    static func subject(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw) else { throw DomainError.notFound(Noun.subject) }
        switch SubjectKind(rawValue: req.parameters.get("kind") ?? "") {
        case .workOrder:
            return req.redirect(to: Routes.order(id))
        case .dutyPeriod:
            guard let p = try await req.store.duties.period(id), policy.canSee(community: p.communityID, area: p.areaID) else {
                throw DomainError.notFound(Noun.subject)
            }
            return try await period(p, req)
        case .renovation:
            return req.redirect(to: Routes.renovation(try await RenovationAccess.renovation(id.uuidString, req).id))
        case .renovationViolation:
            let (v, r) = try await RenovationAccess.violation(id.uuidString, req)
            return req.redirect(to: Routes.renovation(r.id) + "#violation-\(v.number)")
        case .patrolRound:
            return req.redirect(to: Routes.patrolRound(try await PatrolAccess.round(id.uuidString, req).id))
        case .contactCard:
            return req.redirect(to: Routes.contactCards(try await SupervisionAccess.card(id.uuidString, req).communityID))
        case .workLog:
            return req.redirect(to: Routes.workLog(try await SupervisionAccess.log(id.uuidString, req).id))
        case .householdVisit:
            let v = try await SupervisionAccess.visit(id.uuidString, req)
            return req.redirect(to: Routes.communityVisits(v.communityID, area: v.areaID))
        case .assignmentTable:
            return req.redirect(to: Routes.assignment(try await SupervisionAccess.table(id.uuidString, req).id))
        case .staffChange, .areaInspection:
            let s = try await SubjectAccess.subject(req.parameters.get("kind") ?? "", id.uuidString, adding: false, req)
            return req.redirect(to: s.kind == .staffChange ? Routes.assignments(s.communityID) : Routes.supervision(s.communityID))
        case .moveIn:
            return req.redirect(to: Routes.moveIn(try await MoveInAccess.moveIn(id.uuidString, req, acting: false).id))
        case .patrolVisit:
            let v = try await PatrolAccess.visit(id.uuidString, req)
            return req.redirect(to: Routes.patrolRound(v.roundID) + "#visit-\(v.id.uuidString.prefix(8))")
        case .custodyAgreement, .custodyCheck:
            let s = try await SubjectAccess.subject(req.parameters.get("kind") ?? "", id.uuidString, adding: false, req)
            let agreement = s.kind == .custodyCheck ? try await req.store.custody.check(s.id)?.agreementID : s.id
            return req.redirect(to: Routes.custody(agreement ?? s.id) + (s.kind == .custodyCheck ? "#check-\(s.id.uuidString.prefix(8))" : ""))
        default:
            throw DomainError.notFound(Noun.subject)
        }
    }

    enum P {
        static let back = Message(zh: "返回规范符合度", en: "Back to the scorecard")
        static let timeline = Message(zh: "记录(防篡改)", en: "Record (tamper-evident)")
        static let alerts = Message(zh: "提醒", en: "Alerts")
        static let decided = Message(zh: "已判定", en: "Decided")
        static let alerted = Message(zh: "已提醒", en: "Alerted")
        static let acknowledged = Message(zh: "已确认", en: "Acknowledged")
        static let notDecided = Message(zh: "本期结束时判定", en: "Decided when the period ends")
    }

    /// The page of one duty's period (PLT-1): what it asks, its value, its hash-chained record
    /// (decided, alerted, acknowledged), its alerts and the evidence filed against it.
    static func period(_ p: DutyStore.Period, _ req: Request) async throws -> Response {
        let lang = req.language
        guard let community = try await req.store.registry.community(p.communityID),
              let duty = req.store.duties.duties.first(where: { $0.id == p.dutyID }) else { throw DomainError.notFound(Noun.subject) }
        let subject = try await SubjectAccess.subject(SubjectKind.dutyPeriod.rawValue, p.id.uuidString, adding: false, req)
        let time = LocalTime(community.timeZone)
        let rows = try await req.store.duties.scorecard(community: p.communityID, month: p.period, timeZone: community.timeZone, areaID: p.areaID)
        let row = rows.first { $0.duty.id == duty.id }
        let entries = try await req.store.timelines.entries(.dutyPeriod, p.id)
        let alerts = try await req.store.alerts.alerts(of: .dutyPeriod, p.id)
        let files = try await req.store.evidence.list(.dutyPeriod, p.id)
        let (_, policy) = try req.requireStaff()
        let outcome = p.outcome ?? row?.outcome
        let facts: [(Message, String)] = [
            (S.duty, duty.asks.text(lang)), (S.period, "\(duty.period.title.text(lang)) · \(p.period)"), (S.target, duty.target.text.text(lang)),
            (S.value, row?.measurement.valueText ?? "—"), (S.outcome, (outcome?.title.text(lang) ?? "") + (p.outcome == nil ? " (\(P.notDecided.text(lang)))" : "")),
        ]
        func title(_ kind: String) -> String {
            switch kind {
            case "decided": P.decided.text(lang)
            case "alerted": P.alerted.text(lang)
            case "acknowledged": P.acknowledged.text(lang)
            default: kind
            }
        }
        let page = Layout.page(title: S.title, request: req, frame: Frame(community: community), [
            H.el("h2", [("id", "period-title")], text: "\(duty.citation) \(duty.title.text(lang)) · \(p.period) · \(community.name)"),
            H.link(P.back.text(lang), Routes.scorecard(p.communityID, month: p.period, area: p.areaID) + "#duty-\(duty.id)"),
            H.el("section", [("class", "card")], [H.el("dl", [("class", "facts")], facts.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) })]),
            H.el("section", [("class", "card")], [
                H.el("h2", [], text: P.timeline.text(lang)),
                H.el("ol", [("class", "timeline"), ("id", "timeline")], entries.map { e in
                    H.el("li", [("data-event", e.kind)], [
                        H.el("time", [("datetime", ISO.string(e.at))], text: time.format(e.at, "MM-dd HH:mm")),
                        H.el("strong", [], text: " " + title(e.kind) + " "),
                        H.el("span", [], text: [e.actorName, e.data["outcome"].flatMap(DutyOutcome.init(rawValue:))?.title.text(lang), e.data["value"], e.note]
                            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")),
                    ])
                }),
            ]),
            H.el("section", [("class", "card")], [H.el("h2", [], text: P.alerts.text(lang)),
                AlertViews.list(alerts, time: time, back: Routes.subject(.dutyPeriod, p.id), lang)]),
            EvidencePages.section(files, subject: subject, canAdd: policy.has(.reviewOrders), time: time, lang),
        ])
        return page
    }
}
