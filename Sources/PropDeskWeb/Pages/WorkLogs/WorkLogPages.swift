import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The daily work log in pages (FLD-6, S2 4.8): today's log on the supervisor's phone — the
/// day's rounds and visits read from their records, what they write, handovers to and from the
/// stand-in — and one log's page, where the CS manager replies the next working day. Entries
/// are only ever added; after the day they are marked as added later.
enum WorkLogPages {
    enum S {
        static let title = Message(zh: "工作记录", en: "Work log")
        static let day = Message(zh: "日期", en: "Day")
        static let records = Message(zh: "当天记录(取自巡查和家访,不需重填)", en: "The day's records (from patrols and visits, not typed again)")
        static let rounds = Message(zh: "巡查", en: "Rounds")
        static let visits = Message(zh: "家访", en: "Visits")
        static let written = Message(zh: "记录内容", en: "Entries")
        static let nothing = Message(zh: "暂无。", en: "Nothing yet.")
        static let write = Message(zh: "添加记录", en: "Add an entry")
        static let kind = Message(zh: "类型", en: "Kind")
        static let text = Message(zh: "内容", en: "Text")
        static let to = Message(zh: "交接给(顶岗人)", en: "Hand over to (stand-in)")
        static let add = Message(zh: "保存", en: "Save")
        static let review = Message(zh: "审阅回复", en: "Reply (review)")
        static let reviewIt = Message(zh: "审阅并回复", en: "Review and reply")
        static let reviewed = Message(zh: "已审阅", en: "Reviewed")
        static let notReviewed = Message(zh: "待审阅", en: "Awaiting review")
        static let overdue = Message(zh: "逾期未审阅", en: "Review overdue")
        static let dueBy = Message(zh: "审阅期限", en: "Review due by")
        static let handedToMe = Message(zh: "交接给我的事项", en: "Handed over to me")
        static let recent = Message(zh: "近期工作记录", en: "Recent logs")
        static let late = Message(zh: "补记", en: "added later")
        static let saved = Message(zh: "已记录", en: "Saved")
        static let supervisor = Message(zh: "区域客户主任", en: "Supervisor")
        static let timeline = Message(zh: "记录(防篡改)", en: "Record (tamper-evident)")
    }

    /// GET /log — today's log of the caller.
    static func today(_ req: Request) async throws -> Response {
        let place = try await VisitPages.place(req)
        let lang = req.language
        let community = place.scope.community
        let user = place.scope.principal.userID
        let now = req.application.propdesk.now()
        let time = LocalTime(community.timeZone)
        let day = PatrolCoverage.day(of: now, timeZone: community.timeZone)
        let key = time.format(now, "yyyy-MM-dd")
        let existing = try await req.store.workLogs.log(supervisor: user, day: key)
        // Today's records show before anything is written: a log not yet opened is read the same way.
        let shape = existing ?? WorkLog(communityID: community.id, areaID: nil, supervisorID: user, supervisorName: place.scope.principal.displayName, day: key,
                                        dayStart: day.start, dayEnd: day.end, reviewDueAt: day.end)
        let table = try await req.store.assignments.inForce(community: community.id)
        let standIn = table?.rows.first { $0.supervisorID == user }?.standInID
        let supervisors = try await req.store.assignments.supervisors(community: community.id).filter { $0.id != user }
        var kids: [BodyNode] = [H.el("p", [], text: "\(S.day.text(lang)):\(key)")]
        kids.append(try await body(shape, exists: existing != nil, req, time: time))
        kids.append(H.el("section", [("class", "card")], [
            H.el("h2", [], text: S.write.text(lang)),
            writeForm(Routes.log, kinds: WorkLogEntryKind.written, supervisors: supervisors.map { ($0.id, $0.name) }, standIn: standIn, lang),
        ]))
        let handed = try await req.store.workLogs.handovers(to: user, since: now.addingTimeInterval(-14 * 86400))
        kids.append(H.el("section", [("class", "card"), ("id", "handed-to-me")], [
            H.el("h2", [], text: "\(S.handedToMe.text(lang)) (\(handed.count))"),
            handed.isEmpty ? H.el("p", [("class", "muted")], text: S.nothing.text(lang)) : H.el("ul", [], handed.map { h in
                H.el("li", [], [H.link("\(time.format(h.at, "MM-dd HH:mm")) · \(OrderViews.person(h.fromName, lang)):\(h.items)", Routes.workLog(h.logID))])
            }),
        ]))
        let recent = try await req.store.workLogs.logs(community: community.id, areas: nil, supervisor: user, from: now.addingTimeInterval(-30 * 86400), until: now, limit: 14)
        kids.append(H.el("section", [("class", "card")], [
            H.el("h2", [], text: S.recent.text(lang)),
            H.el("ul", [("id", "recent-logs")], recent.map { l in H.el("li", [], [H.link("\(l.day) · \(status(l, now: now).text(lang))", Routes.workLog(l.id))]) }),
        ]))
        return Layout.page(title: S.title, request: req, frame: place.scope.frame, communities: place.scope.communities, kids)
    }

    static func status(_ l: WorkLog, now: Date) -> Message {
        if let recorded = l.reviewedBy {
            let (zh, en) = (OrderViews.person(recorded, .zhHans), OrderViews.person(recorded, .en))
            return Message(zh: "\(S.reviewed.zhHans)(\(zh))", en: "\(S.reviewed.en) (\(en))")
        }
        return l.reviewLate(at: now) ? S.overdue : S.notReviewed
    }

    /// The day's records and the entries of a log.
    static func body(_ log: WorkLog, exists: Bool, _ req: Request, time: LocalTime) async throws -> BodyNode {
        let lang = req.language
        let (rounds, visits) = try await req.store.workLogs.dayRecords(log)
        let labels = try await req.store.registry.unitLabels(Set(visits.map(\.unitID)))
        let entries = exists ? try await req.store.workLogs.entries(log).filter { $0.kind != "opened" } : []
        return H.el("div", [("class", "work-log")], [
            H.el("section", [("class", "card"), ("id", "day-records")], [
                H.el("h2", [], text: S.records.text(lang)),
                H.el("h3", [], text: "\(S.rounds.text(lang)) (\(rounds.count))"),
                rounds.isEmpty ? H.el("p", [("class", "muted")], text: S.nothing.text(lang)) : H.el("ul", [], rounds.map { r in
                    H.el("li", [], [H.link("\(time.format(r.startedAt, "HH:mm")) \(r.scope.title.text(lang))\(r.finishedAt.map { "–\(time.format($0, "HH:mm"))" } ?? "")",
                                           Routes.patrolRound(r.id))])
                }),
                H.el("h3", [], text: "\(S.visits.text(lang)) (\(visits.count))"),
                visits.isEmpty ? H.el("p", [("class", "muted")], text: S.nothing.text(lang)) : VisitPages.visitList(visits, labels: labels, time: time, lang),
            ]),
            H.el("section", [("class", "card"), ("id", "log-entries")], [
                H.el("h2", [], text: S.written.text(lang)),
                entries.isEmpty ? H.el("p", [("class", "muted")], text: S.nothing.text(lang)) : H.el("ol", [("class", "log-entries")], entries.map { e in
                    let kind = WorkLogEntryKind(rawValue: e.kind)?.title ?? RenovationPages.eventTitle(e.kind)
                    var text = "\(time.format(e.at, "MM-dd HH:mm")) · \(OrderViews.person(e.actorName, lang)) · \(kind.text(lang))"
                    if let to = e.data["to"] { text += " → \(to)" }
                    if e.data["late"] == "1" { text += "(\(S.late.text(lang)))" }
                    if let n = e.note { text += ":\(n)" }
                    return H.el("li", [("data-kind", e.kind), ("class", "entry-\(e.kind)")], text: text + " · \(e.hash.prefix(8))")
                }),
            ]),
        ])
    }

    static func writeForm(_ action: String, kinds: [WorkLogEntryKind], supervisors: [(UUID, String)], standIn: UUID?, _ lang: Language) -> BodyNode {
        var kids: [BodyNode] = [H.hidden("entryId", UUID().uuidString)]
        if kinds.count > 1 {
            kids.append(H.field(S.kind.text(lang), "entry-kind", H.select("entry-kind", name: "kind", kinds.map { ($0.rawValue, $0.title.text(lang)) }, selected: kinds.first?.rawValue)))
        } else if let k = kinds.first {
            kids.append(H.hidden("kind", k.rawValue))
        }
        kids.append(H.field((kinds == [.review] ? S.review : S.text).text(lang), "entry-text",
                            H.el("textarea", [("id", "entry-text"), ("name", "text"), ("rows", "3"), ("maxlength", "2000"), ("required", "required")])))
        if kinds.contains(.handover) {
            kids.append(H.field(S.to.text(lang), "entry-to", H.select("entry-to", name: "to", [("", "—")] + supervisors.map { ($0.0.uuidString, $0.1) },
                                                                       selected: standIn?.uuidString)))
        }
        kids.append(H.button((kinds == [.review] ? S.reviewIt : S.add).text(lang), [("id", kinds == [.review] ? "review-log" : "add-entry")]))
        return H.form(action, [("class", "log-form")], kids)
    }

    struct EntryForm: Content { var kind: String?; var text: String?; var to: String?; var entryId: String? }

    static func entryInput(_ req: Request) throws -> (WorkLogEntryKind, String, UUID?, UUID?) {
        let f = try req.content.decode(EntryForm.self)
        guard let kind = WorkLogEntryKind(rawValue: f.kind ?? "note") else {
            throw DomainError.invalid(field: "kind", Message(zh: "记录类型不正确", en: "Unknown kind of entry"))
        }
        let to = try (f.to ?? "").isEmpty ? nil : Parse.uuid(f.to ?? "", field: "to")
        return (kind, f.text ?? "", to, try (f.entryId ?? "").isEmpty ? nil : Parse.uuid(f.entryId ?? "", field: "entryId"))
    }

    /// POST /log — writes in today's log (opening it).
    static func writeToday(_ req: Request) async throws -> Response {
        let place = try await VisitPages.place(req)
        do {
            let (kind, text, to, entryID) = try entryInput(req)
            _ = try await SupervisionAccess.writeToday(community: place.scope.community.id.uuidString, kind: kind, text: text, to: to, entryID: entryID, req)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.log, redirectType: .normal)
    }

    /// GET /logs/:id — one log; the CS manager's reply form, the supervisor's later additions.
    static func show(_ req: Request) async throws -> Response {
        let log = try await SupervisionAccess.log(req.parameters.get("id") ?? "", req)
        let (p, policy) = try req.requireStaff()
        let lang = req.language
        guard let community = try await req.store.registry.community(log.communityID) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        let now = req.application.propdesk.now()
        let handovers = try await req.store.workLogs.handovers(log: log.id)
        var kids: [BodyNode] = [
            PrintForms.facts([(S.supervisor, OrderViews.person(log.supervisorName, lang)), (S.day, log.day), (S.dueBy, time.format(log.reviewDueAt)),
                              (Message(zh: "状态", en: "Status"), status(log, now: now).text(lang))], lang),
            H.el("p", [("id", "log-status"), ("class", log.reviewLate(at: now) ? "error" : "muted")], text: status(log, now: now).text(lang)),
            try await body(log, exists: true, req, time: time),
        ]
        if !handovers.isEmpty {
            kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: WorkLogEntryKind.handover.title.text(lang)),
                                                             H.el("ul", [], handovers.map { H.el("li", [], text: "\(OrderViews.person($0.fromName, lang)) → \(OrderViews.person($0.toName, lang)):\($0.items)") })]))
        }
        if policy.has(.superviseAreas) {
            kids.append(H.el("section", [("class", "card"), ("id", "review")], [H.el("h2", [], text: S.review.text(lang)),
                                                                               writeForm(Routes.workLog(log.id), kinds: [.review], supervisors: [], standIn: nil, lang)]))
        }
        if log.supervisorID == p.userID {
            let supervisors = try await req.store.assignments.supervisors(community: log.communityID).filter { $0.id != p.userID }
            kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.write.text(lang)),
                                                             writeForm(Routes.workLog(log.id), kinds: WorkLogEntryKind.written,
                                                                       supervisors: supervisors.map { ($0.id, $0.name) }, standIn: nil, lang)]))
        }
        return Layout.page(title: Message(zh: "\(S.title.zhHans) · \(OrderViews.person(log.supervisorName, .zhHans)) · \(log.day)",
                                   en: "\(S.title.en) · \(OrderViews.person(log.supervisorName, .en)) · \(log.day)"),
                           request: req, frame: Frame(community: community), kids)
    }

    /// POST /logs/:id — a review reply or a later addition.
    static func write(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("id") ?? ""
        let log = try await SupervisionAccess.log(raw, req)
        do {
            let (kind, text, to, entryID) = try entryInput(req)
            _ = try await SupervisionAccess.write(raw, kind: kind, text: text, to: to, entryID: entryID, req)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.workLog(log.id), redirectType: .normal)
    }
}
