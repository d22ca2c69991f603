import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The front desk's duty log and shift handover in pages (FD-3, FD-4), usable on a tablet: the
/// day's entries (a correction shows the entry it corrects, which stays as written), the form to
/// add one, the CS manager's signature once the day is over; handovers waiting for the next shift
/// with the assets counted and the open items, and the form to hand over.
enum DutyLogPages {
    enum S {
        static let title = Message(zh: "值班日志", en: "Duty log")
        static let add = Message(zh: "记录", en: "Write")
        static let text = Message(zh: "发生了什么", en: "What happened")
        static let shift = Message(zh: "班次", en: "Shift")
        static let corrects = Message(zh: "更正第几条(不改原记录)", en: "Corrects entry no. (the original stays)")
        static let none = Message(zh: "暂无记录。", en: "No entries yet.")
        static let sign = Message(zh: "检查并签字确认", en: "Checked: sign")
        static let signed = Message(zh: "已签字", en: "Signed")
        static let notSigned = Message(zh: "未签字", en: "Not signed")
        static let dueBy = Message(zh: "签字期限", en: "To be signed by")
        static let correction = Message(zh: "更正第 %@ 条", en: "Corrects no. %@")
        static let handover = Message(zh: "交接班", en: "Shift handover")
        static let handOver = Message(zh: "交班", en: "Hand over")
        static let take = Message(zh: "接班确认", en: "Take over")
        static let assets = Message(zh: "物品清点", en: "Assets counted")
        static let items = Message(zh: "需跟进事项(每行一条,重要事项以 ! 开头,已完成以 ✓ 开头)", en: "Open items (one per line; start important ones with !, finished ones with ✓)")
        static let anomalies = Message(zh: "异常情况", en: "Anomalies")
        static let carry = Message(zh: "接手", en: "I take it over")
        static let waiting = Message(zh: "待接班", en: "Waiting for the next shift")
        static let saved = Message(zh: "已记录", en: "Saved")
        static let important = Message(zh: "重要", en: "Important")
    }

    static func dayKey(_ req: Request, _ community: Community) throws -> String {
        try ReportPeriod.day(req.query[String.self, at: "day"], timeZone: community.timeZone, now: req.application.propdesk.now())
    }

    /// GET /c/:cid/duty-log?day=
    static func render(_ req: Request) async throws -> Response {
        // The desk's registers are the whole community's: an area-limited caller has none (SEC-2).
        _ = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        let scope = try await ConsoleScope.resolve(req, .keepDutyLog)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let key = try dayKey(req, c)
        let now = req.application.propdesk.now()
        let today = key == time.format(now, "yyyy-MM-dd")
        let day = try await req.store.dutyLog.day(community: c.id, key: key)
        let entries = try await day.asyncMap { try await req.store.dutyLog.entries($0) } ?? []
        var kids: [BodyNode] = [H.el("form", [("method", "get"), ("action", Routes.dutyLog(c.id)), ("class", "inline")], [
            H.input([("type", "date"), ("name", "day"), ("value", key), ("id", "log-day")]), H.button("→", primary: false),
        ])]
        if let day {
            let state = day.signedAt.map { "\(S.signed.text(lang)) \(OrderViews.person(day.signedBy ?? "", lang)) \(time.format($0))" }
                ?? "\(S.notSigned.text(lang)) · \(S.dueBy.text(lang)) \(time.format(day.signDueAt))"
            kids.append(H.el("p", [("id", "log-signature"), ("class", day.signedAt == nil && now >= day.signDueAt ? "error" : "muted")], text: state))
        }
        kids.append(entries.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("ol", [("class", "log-entries"), ("id", "duty-entries")], entries.map { e in
            var line = "#\(e.seq) \(time.format(e.at, "HH:mm")) · \(e.shift.title.text(lang)) · \(OrderViews.person(e.writtenBy, lang)) · "
            if let n = e.corrects { line += S.correction.text(lang).replacingOccurrences(of: "%@", with: String(n)) + ":" }
            return H.el("li", [("id", "entry-\(e.seq)"), ("class", e.corrects == nil ? "" : "correction")], text: line + e.text + " · \(e.hash.prefix(8))")
        }))
        if today {
            kids.append(H.form(Routes.dutyLog(c.id), [("id", "duty-form"), ("class", "card log-form")], [
                H.hidden("entryId", UUID().uuidString),
                H.field(S.shift.text(lang), "duty-shift", H.select("duty-shift", name: "shift", DeskShift.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil)),
                H.field(S.text.text(lang), "duty-text", H.el("textarea", [("id", "duty-text"), ("name", "text"), ("rows", "3"), ("maxlength", "2000"), ("required", "required")])),
                H.field(S.corrects.text(lang), "duty-corrects", H.select("duty-corrects", name: "corrects", [("", "—")] + entries.map { (String($0.seq), "#\($0.seq)") }, selected: "")),
                H.button(S.add.text(lang), [("id", "duty-save")]),
            ]))
        }
        if let day, day.signedAt == nil, now >= day.dayEnd, scope.policy.has(.superviseAreas) {
            kids.append(H.form(Routes.dutyLogSign(day.id), [("id", "sign-form")], [H.button(S.sign.text(lang), [("id", "sign-log")])]))
        }
        kids.append(H.el("p", [], [H.link(S.handover.text(lang), Routes.handover(c.id), [("id", "to-handover")])]))
        return Layout.page(title: Message(zh: "\(S.title.zhHans) · \(key)", en: "\(S.title.en) · \(key)"), request: req, frame: scope.frame,
                           communities: scope.communities, kids)
    }

    struct EntryForm: Content { var text: String?; var shift: String?; var corrects: String?; var entryId: String? }

    /// POST /c/:cid/duty-log
    static func write(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .keepDutyLog, req, wholeCommunity: true)
        do {
            let f = try req.content.decode(EntryForm.self)
            guard let shift = DeskShift(rawValue: f.shift ?? "day") else {
                throw DomainError.invalid(field: "shift", Message(zh: "班次只能是白班或夜班", en: "A shift is day or night"))
            }
            let corrects = try (f.corrects ?? "").isEmpty ? nil : Int(f.corrects ?? "").orThrow(field: "corrects", Message(zh: "更正的条目编号应为数字", en: "The entry number is a number"))
            let id = try (f.entryId ?? "").isEmpty ? UUID() : Parse.uuid(f.entryId ?? "", field: "entryId")
            _ = try await req.store.dutyLog.write(community: cid, text: f.text ?? "", shift: shift, corrects: corrects, entryID: id, by: req.actor)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.dutyLog(cid), redirectType: .normal)
    }

    /// POST /duty-log/:id/sign — the CS manager's signature (S4 4.8).
    static func sign(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.superviseAreas)
        guard let id = UUID(uuidString: req.parameters.get("id") ?? ""), let day = try await req.store.dutyLog.day(id),
              policy.canSee(community: day.communityID, area: nil), policy.reach(day.communityID) == .whole else { throw DomainError.notFound(Noun.dutyLog) }
        do {
            _ = try await req.store.dutyLog.sign(id, note: "", by: req.actor)
            Flash.set(req, S.signed)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.dutyLog(day.communityID) + "?day=\(day.day)", redirectType: .normal)
    }
}

/// The shift handover in pages (FD-4, S4 4.7).
enum HandoverPages {
    /// Open items as the outgoing person types them: one per line, "!" for important, "✓" for
    /// finished.
    static func items(_ text: String) -> [ShiftHandover.OpenItem] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { line in
            var t = Substring(line)
            var important = false, resolved = false
            while let c = t.first, ["!", "!", "✓"].contains(c) {
                if c == "✓" { resolved = true } else { important = true }
                t = t.dropFirst()
            }
            return ShiftHandover.OpenItem(text: t.trimmingCharacters(in: .whitespaces), important: important, resolved: resolved)
        }
    }

    /// GET /c/:cid/handover
    static func render(_ req: Request) async throws -> Response {
        // The desk's registers are the whole community's: an area-limited caller has none (SEC-2).
        _ = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        let scope = try await ConsoleScope.resolve(req, .keepDutyLog)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let me = scope.principal.userID
        let list = try await req.store.dutyLog.handovers(community: c.id)
        var kids: [BodyNode] = []
        for h in list {
            var box: [BodyNode] = [H.el("h2", [], text: "\(h.shift.title.text(lang)) · \(OrderViews.person(h.fromName, lang)) · \(time.format(h.handedAt))"
                                        + (h.takenAt.map { " → \(OrderViews.person(h.toName ?? "", lang)) \(time.format($0))" } ?? " · \(DutyLogPages.S.waiting.text(lang))"))]
            box.append(H.el("ul", [("class", "assets")], h.assets.map { a in
                H.el("li", [("class", a.ok ? "" : "error")], text: "\(a.ok ? "✓" : "✗") \(a.name)\(a.note.isEmpty ? "" : ":\(a.note)")")
            }))
            if !h.anomalies.isEmpty { box.append(H.el("p", [], text: "\(DutyLogPages.S.anomalies.text(lang)):\(h.anomalies)")) }
            if h.takenAt == nil, h.fromID != me {
                var form: [BodyNode] = []
                for (i, item) in h.items.enumerated() {
                    let label = "\(item.important ? "【\(DutyLogPages.S.important.text(lang))】" : "")\(item.resolved ? "✓ " : "")\(item.text)"
                    if item.important && !item.resolved {
                        form.append(H.el("label", [("class", "choice")], [H.input([("type", "checkbox"), ("name", "carry[i\(i)]"), ("value", "1"), ("id", "carry-\(h.id.uuidString.prefix(8))-\(i)")]),
                                                                          .text(" \(label) · \(DutyLogPages.S.carry.text(lang))")]))
                    } else {
                        form.append(H.el("p", [], text: label))
                    }
                }
                form.append(H.button(DutyLogPages.S.take.text(lang), [("id", "take-\(h.id.uuidString.prefix(8))")]))
                box.append(H.form(Routes.handoverTake(h.id), [("class", "take-form")], form))
            } else {
                box.append(H.el("ul", [], h.items.map { item in
                    H.el("li", [], text: "\(item.important ? "【\(DutyLogPages.S.important.text(lang))】" : "")\(item.resolved ? "✓ " : "")\(item.text)\(item.carriedOverBy.map { " → \(OrderViews.person($0, lang))" } ?? "")")
                }))
            }
            kids.append(H.el("section", [("class", "card handover"), ("id", "handover-\(h.id.uuidString.prefix(8))")], box))
        }
        var form: [BodyNode] = [
            H.field(DutyLogPages.S.shift.text(lang), "handover-shift", H.select("handover-shift", name: "shift", DeskShift.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil)),
            H.el("h3", [], text: DutyLogPages.S.assets.text(lang)),
        ]
        for (i, name) in ShiftHandover.defaultAssets.enumerated() {
            form.append(H.el("div", [("class", "asset-row")], [
                H.el("label", [], [H.input([("type", "checkbox"), ("name", "ok[i\(i)]"), ("value", "1"), ("checked", "checked"), ("id", "asset-\(i)")]), .text(" \(name)")]),
                H.hidden("asset[i\(i)]", name),
                H.input([("name", "note[i\(i)]"), ("id", "asset-note-\(i)"), ("maxlength", "200"), ("aria-label", name)]),
            ]))
        }
        form += [
            H.field(DutyLogPages.S.items.text(lang), "handover-items", H.el("textarea", [("id", "handover-items"), ("name", "items"), ("rows", "4"), ("maxlength", "5000")])),
            H.field(DutyLogPages.S.anomalies.text(lang), "handover-anomalies", H.el("textarea", [("id", "handover-anomalies"), ("name", "anomalies"), ("rows", "2"), ("maxlength", "1000")])),
            H.hidden("handoverId", UUID().uuidString),
            H.button(DutyLogPages.S.handOver.text(lang), [("id", "hand-over")]),
        ]
        // Handovers waiting for the incoming person first: on a tablet they are what the next shift opens the page for.
        kids.append(H.form(Routes.handover(c.id), [("id", "handover-form"), ("class", "card")], [H.el("h2", [], text: DutyLogPages.S.handOver.text(lang))] + form))
        return Layout.page(title: DutyLogPages.S.handover, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    struct HandoverForm: Content {
        var shift: String?
        var asset: [String: String]?
        var ok: [String: String]?
        var note: [String: String]?
        var items: String?
        var anomalies: String?
        var handoverId: String?
    }

    /// POST /c/:cid/handover
    static func handOver(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .keepDutyLog, req, wholeCommunity: true)
        do {
            let f = try req.content.decode(HandoverForm.self)
            guard let shift = DeskShift(rawValue: f.shift ?? "day") else {
                throw DomainError.invalid(field: "shift", Message(zh: "班次只能是白班或夜班", en: "A shift is day or night"))
            }
            let keys = (f.asset ?? [:]).keys.sorted { (Int($0.dropFirst()) ?? 0) < (Int($1.dropFirst()) ?? 0) }
            let assets = keys.map { k in ShiftHandover.AssetCheck(name: f.asset?[k] ?? "", ok: f.ok?[k] == "1", note: f.note?[k] ?? "") }
            let id = try (f.handoverId ?? "").isEmpty ? UUID() : Parse.uuid(f.handoverId ?? "", field: "handoverId")
            _ = try await req.store.dutyLog.handOver(community: cid, shift: shift, assets: assets, items: items(f.items ?? ""), anomalies: f.anomalies ?? "",
                                                     id: id, by: req.actor)
            Flash.set(req, Message(zh: "已交班,等待接班人确认", en: "Handed over; waiting for the next shift to confirm"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.handover(cid), redirectType: .normal)
    }

    struct TakeForm: Content { var carry: [String: String]? }

    /// POST /handovers/:id/take — the incoming person confirms.
    static func take(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.keepDutyLog)
        guard let id = UUID(uuidString: req.parameters.get("id") ?? ""), let h = try await req.store.dutyLog.handover(id),
              policy.reach(h.communityID) == .whole else { throw DomainError.notFound(Noun.handover) }
        do {
            let f = try req.content.decode(TakeForm.self)
            let carry = Set((f.carry ?? [:]).filter { $0.value == "1" }.keys.compactMap { Int($0.dropFirst()) })
            _ = try await req.store.dutyLog.take(id, carryOver: carry, by: req.actor)
            Flash.set(req, Message(zh: "已接班", en: "Taken over"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.handover(h.communityID), redirectType: .normal)
    }
}
