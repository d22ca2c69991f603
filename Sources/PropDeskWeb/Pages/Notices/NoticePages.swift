import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The notice board in pages (CR-1, S0 3.4, S2 3.1.6): the list by state with the publish form
/// (to the community, an area or some buildings), one notice with its timeline and the board's
/// confirmations, the day's board work (put up / take down), and the A4 sheet in the standard
/// notice layout.
enum NoticePages {
    enum S {
        static let title = Message(zh: "公告栏", en: "Notice board")
        static let publish = Message(zh: "发布公告", en: "Publish a notice")
        static let kind = Message(zh: "类别", en: "Kind")
        static let heading = Message(zh: "标题", en: "Title")
        static let body = Message(zh: "正文", en: "Text")
        static let starts = Message(zh: "开始日期", en: "First day")
        static let expires = Message(zh: "到期日期(当天结束时下架)", en: "Last day (taken off at its end)")
        static let area = Message(zh: "区域(可选)", en: "Area (optional)")
        static let wholeCommunity = Message(zh: "全小区", en: "Whole community")
        static let buildings = Message(zh: "楼栋(不选则为全小区或所选区域)", en: "Buildings (none: the whole community or the chosen area)")
        static let published = Message(zh: "已发布", en: "Published")
        static let none = Message(zh: "暂无公告。", en: "No notices.")
        static let all = Message(zh: "全部", en: "All")
        static let state = Message(zh: "状态", en: "State")
        static let audience = Message(zh: "范围", en: "For")
        static let period = Message(zh: "公告期", en: "Shown")
        static let board = Message(zh: "公告栏工作", en: "Board work")
        static let putUp = Message(zh: "今日待张贴", en: "To put up")
        static let takeDown = Message(zh: "今日待揭下", en: "To take down")
        static let confirmPosted = Message(zh: "确认已张贴", en: "Confirm put up")
        static let confirmTakenDown = Message(zh: "确认已揭下", en: "Confirm taken down")
        static let posted = Message(zh: "已张贴", en: "Put up")
        static let notPosted = Message(zh: "未张贴", en: "Not put up")
        static let takenDown = Message(zh: "已揭下", en: "Taken down")
        static let overdue = Message(zh: "逾期未揭下", en: "Overdue")
        static let withdraw = Message(zh: "撤回公告", en: "Withdraw")
        static let reason = Message(zh: "撤回原因", en: "Reason")
        static let withdrawn = Message(zh: "已撤回", en: "Withdrawn")
        static let print = Message(zh: "打印(A4)", en: "Print (A4)")
        static let timeline = Message(zh: "记录", en: "History")
        static let nothing = Message(zh: "无。", en: "Nothing.")
        static let source = Message(zh: "来源", en: "Source")
        static let publishedBy = Message(zh: "发布人", en: "Published by")
        static let noticeWord = Message(zh: "通 知", en: "NOTICE")
        static let announceWord = Message(zh: "公 告", en: "ANNOUNCEMENT")
        static let seal = Message(zh: "(盖章)", en: "(seal)")
        static let center = Message(zh: "物业服务中心", en: "Property service center")
        static let fromIncident = Message(zh: "同时发布为公告", en: "Also publish as a notice")
        static let portalTitle = Message(zh: "小区公告", en: "Notices")
        static let portalNone = Message(zh: "目前没有公告。", en: "No notices at the moment.")
        static let forYourBuilding = Message(zh: "本楼栋", en: "Your building")
        static let until = Message(zh: "有效期至", en: "Until")
        static let day = Message(zh: "日期", en: "Day")
    }

    /// Who a notice is for, in words.
    static func audience(_ n: Notice, buildings: [UUID: String], areas: [UUID: String], _ lang: Language) -> String {
        if !n.buildingIDs.isEmpty { return n.buildingIDs.map { buildings[$0] ?? "?" }.sorted().joined(separator: "、") }
        if let a = n.areaID { return areas[a] ?? "?" }
        return S.wholeCommunity.text(lang)
    }

    /// The shown window: the first day and the last day (the expiry is the end of that day).
    static func period(_ n: Notice, _ time: LocalTime) -> String {
        "\(time.format(n.startsAt, "yyyy-MM-dd")) — \(time.format(n.expiresAt.addingTimeInterval(-1), "yyyy-MM-dd"))"
    }

    static func boardState(_ n: Notice, _ lang: Language) -> String {
        if n.takenDownAt != nil { return S.takenDown.text(lang) }
        return n.postedAt == nil ? S.notPosted.text(lang) : S.posted.text(lang)
    }

    static func names(_ req: Request, _ c: UUID) async throws -> ([UUID: String], [UUID: String], [Building], [Area]) {
        let buildings = try await req.store.registry.buildings(community: c)
        let areas = try await req.store.registry.areas(community: c)
        return (Dictionary(buildings.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                Dictionary(areas.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), buildings, areas)
    }

    /// GET /c/:cid/notices?state=
    static func list(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let state = req.query[String.self, at: "state"].flatMap(NoticeState.init(rawValue:))
        let notices = try await req.store.notices.notices(community: c.id, state: state, areas: scope.areas.map { Array($0) }, limit: 200)
        let now = req.application.propdesk.now()
        let (bnames, anames, buildings, areas) = try await names(req, c.id)
        var kids: [BodyNode] = [
            H.el("p", [], [H.link(S.board.text(lang), Routes.noticeBoard(c.id), [("id", "to-board"), ("class", "button secondary")])]),
            H.el("nav", [("class", "filters"), ("id", "notice-states")], [H.link(S.all.text(lang), Routes.notices(c.id))] + NoticeState.allCases.map { s in
                H.link(s.title.text(lang), Routes.notices(c.id, state: s.rawValue), state == s ? [("aria-current", "page")] : [])
            }),
        ]
        kids.append(notices.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("div", [("class", "table-wrap card")], [
            H.el("table", [("id", "notices")], [H.el("tr", [], [S.heading, S.kind, S.audience, S.period, S.state, S.board].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]
                + notices.map { n in
                    H.el("tr", [("data-notice", n.id.uuidString)], [
                        H.el("td", [], [H.link(n.title, Routes.notice(c.id, n.id))]), H.el("td", [], text: n.kind.title.text(lang)),
                        H.el("td", [], text: audience(n, buildings: bnames, areas: anames, lang)), H.el("td", [], text: period(n, time)),
                        H.el("td", [], text: n.state(at: now).title.text(lang)), H.el("td", [], text: boardState(n, lang)),
                    ])
                }),
        ]))
        if scope.policy.has(.publishNotices), scope.areas == nil {
            kids.append(publishForm(c, buildings: buildings, areas: areas, time: time, now: now, lang))
        }
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func publishForm(_ c: Community, buildings: [Building], areas: [Area], time: LocalTime, now: Date, _ lang: Language) -> BodyNode {
        let today = time.format(now, "yyyy-MM-dd")
        let week = time.format(now.addingTimeInterval(7 * 86_400), "yyyy-MM-dd")
        return H.el("details", [("class", "card"), ("id", "publish")], [
            H.el("summary", [], text: S.publish.text(lang)),
            H.form(Routes.notices(c.id), [("id", "notice-form")], [
                H.hidden("formId", UUID().uuidString),
                H.field(S.kind.text(lang), "notice-kind", H.select("notice-kind", name: "kind", NoticeKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: NoticeKind.service.rawValue)),
                H.field(S.heading.text(lang), "notice-title", H.input([("type", "text"), ("id", "notice-title"), ("name", "title"), ("required", "required"), ("maxlength", String(NoticeDraft.maxTitle))])),
                H.field(S.body.text(lang), "notice-body", H.el("textarea", [("id", "notice-body"), ("name", "body"), ("rows", "6"), ("required", "required"), ("maxlength", String(NoticeDraft.maxBody))], [])),
                H.field(S.starts.text(lang), "notice-starts", H.input([("type", "date"), ("id", "notice-starts"), ("name", "startsOn"), ("value", today), ("required", "required")])),
                H.field(S.expires.text(lang), "notice-expires", H.input([("type", "date"), ("id", "notice-expires"), ("name", "expiresOn"), ("value", week), ("required", "required")])),
                H.field(S.area.text(lang), "notice-area", H.select("notice-area", name: "areaId", [("", S.wholeCommunity.text(lang))] + areas.map { ($0.id.uuidString, $0.name) }, selected: "")),
                H.el("fieldset", [("class", "buildings")], [H.el("legend", [], text: S.buildings.text(lang))] + buildings.map { b in
                    H.el("label", [("class", "check")], [H.input([("type", "checkbox"), ("name", "buildingIds[]"), ("value", b.id.uuidString)]), .text(" " + b.name)])
                }),
                H.button(S.publish.text(lang), [("id", "notice-submit")]),
            ]),
        ])
    }

    struct Form: Content {
        var formId: String?
        var kind: String?
        var title: String?
        var body: String?
        var startsOn: String?
        var expiresOn: String?
        var areaId: String?
        var buildingIds: [String]?
        var reason: String?
        var day: String?
    }

    /// A form's days as the notice's window: from the start of the first day to the end of the last.
    static func window(_ startsOn: String?, _ expiresOn: String?, timeZone: String) throws -> (Date, Date) {
        guard let s = PatrolCoverage.day(startsOn ?? "", timeZone: timeZone) else {
            throw DomainError.invalid(field: "startsOn", Message(zh: "请填写开始日期", en: "Give the first day"))
        }
        guard let e = PatrolCoverage.day(expiresOn ?? "", timeZone: timeZone) else {
            throw DomainError.invalid(field: "expiresOn", Message(zh: "请填写到期日期", en: "Give the last day"))
        }
        return (s.start, e.end)
    }

    /// POST /c/:cid/notices
    static func publish(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .publishNotices)
        let c = scope.community
        do {
            guard scope.areas == nil else { throw DomainError.forbidden }
            let f = try req.content.decode(Form.self)
            let kind = try NoticeKind(rawValue: f.kind ?? "").orThrow(field: "kind", Message(zh: "请选择类别", en: "Choose a kind"))
            let (starts, expires) = try window(f.startsOn, f.expiresOn, timeZone: c.timeZone)
            let draft = NoticeDraft(communityID: c.id, kind: kind, title: f.title ?? "", body: f.body ?? "",
                                    buildingIDs: try (f.buildingIds ?? []).map { try Parse.uuid($0, field: "buildingIds") },
                                    areaID: try IntakePage.nonEmpty(f.areaId).map { try Parse.uuid($0, field: "areaId") },
                                    startsAt: starts, expiresAt: expires, source: nil,
                                    formID: try IntakePage.nonEmpty(f.formId).map { try Parse.uuid($0, field: "formId") })
            let n = try await NoticeAccess.publish(draft, req)
            Flash.set(req, Message(zh: "\(S.published.zhHans):\(n.title)", en: "\(S.published.en): \(n.title)"))
            return req.redirect(to: Routes.notice(c.id, n.id), redirectType: .normal)
        } catch let e as DomainError where e.kind == .invalidInput || e.kind == .conflict {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.notices(c.id), redirectType: .normal)
        }
    }

    /// GET /c/:cid/notices/:nid — one notice: its facts, its history, what may be done now.
    static func detail(_ req: Request) async throws -> Response {
        let n = try await NoticeAccess.notice(req.parameters.get("nid") ?? "", community: req.parameters.get("cid"), .readCustomerRelations, req)
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations, community: n.communityID)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let now = req.application.propdesk.now()
        let (bnames, anames, _, _) = try await names(req, c.id)
        let state = n.state(at: now)
        let timeline = try await req.store.notices.timeline(n.id)
        var facts: [(Message, String)] = [(S.kind, n.kind.title.text(lang)), (S.audience, audience(n, buildings: bnames, areas: anames, lang)),
                                          (S.period, period(n, time)), (S.state, state.title.text(lang)), (S.board, boardState(n, lang)),
                                          (S.publishedBy, "\(OrderViews.person(n.publishedByName, lang)) \(time.format(n.createdAt))")]
        if let s = n.source { facts.append((S.source, s)) }
        if let w = n.withdrawnAt { facts.append((S.withdrawn, "\(time.format(w)) · \(n.withdrawReason ?? "")")) }
        var kids: [BodyNode] = [
            H.el("p", [], [H.link(S.print.text(lang), Routes.noticePrint(c.id, n.id), [("id", "notice-print"), ("class", "button secondary")]), .text(" "),
                           H.link(S.title.text(lang), Routes.notices(c.id))]),
            H.el("table", [("class", "form-table"), ("id", "notice-facts")], facts.map { H.el("tr", [], [H.el("th", [], text: $0.0.text(lang)), H.el("td", [], text: $0.1)]) }),
            H.el("div", [("class", "card notice-body"), ("id", "notice-body")], n.body.split(separator: "\n", omittingEmptySubsequences: false).map { H.el("p", [], text: String($0)) }),
        ]
        if scope.policy.has(.keepNoticeBoard) {
            if n.postedAt == nil, !n.isOver(at: now) {
                kids.append(H.form(Routes.noticeStep(c.id, n.id, "posted"), [("id", "posted-form")], [H.button(S.confirmPosted.text(lang), [("id", "confirm-posted")])]))
            } else if n.postedAt != nil, n.takenDownAt == nil {
                kids.append(H.form(Routes.noticeStep(c.id, n.id, "taken-down"), [("id", "taken-down-form")], [H.button(S.confirmTakenDown.text(lang), [("id", "confirm-taken-down")])]))
            }
        }
        if scope.policy.has(.publishNotices), scope.areas == nil, state == .current || state == .scheduled {
            kids.append(H.form(Routes.noticeStep(c.id, n.id, "withdraw"), [("id", "withdraw-form"), ("class", "card")], [
                H.field(S.reason.text(lang), "withdraw-reason", H.input([("type", "text"), ("id", "withdraw-reason"), ("name", "reason"), ("required", "required"), ("maxlength", "200")])),
                H.button(S.withdraw.text(lang), [("id", "withdraw-submit")], primary: false),
            ]))
        }
        kids.append(H.el("h2", [], text: S.timeline.text(lang)))
        kids.append(H.el("ol", [("class", "log-entries"), ("id", "notice-timeline")], timeline.map { e in
            H.el("li", [], text: "\(time.format(e.at)) · \(OrderViews.person(e.actorName, lang)) · \(step(e.kind).text(lang))" + (e.note.map { " · \($0)" } ?? ""))
        }))
        return Layout.page(title: Message(zh: "公告 · \(n.title)", en: "Notice · \(n.title)"), request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func step(_ kind: String) -> Message {
        switch kind {
        case "published": S.published
        case "withdrawn": S.withdrawn
        case "posted": S.posted
        case "taken_down": S.takenDown
        case "expired": NoticeState.expired.title
        case "take_down_overdue": S.overdue
        case "acknowledged": Message(zh: "提醒已确认", en: "Alert acknowledged")
        default: Message(zh: kind, en: kind)
        }
    }

    /// POST /c/:cid/notices/:nid/withdraw
    static func withdraw(_ req: Request) async throws -> Response {
        let n = try await NoticeAccess.notice(req.parameters.get("nid") ?? "", community: req.parameters.get("cid"), .publishNotices, req)
        do {
            let f = try req.content.decode(Form.self)
            _ = try await NoticeAccess.withdraw(n.id.uuidString, reason: f.reason ?? "", req)
            Flash.set(req, S.withdrawn)
        } catch let e as DomainError where e.kind == .invalidInput || e.kind == .conflict {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.notice(n.communityID, n.id), redirectType: .normal)
    }

    /// POST /c/:cid/notices/:nid/posted and …/taken-down — the board's confirmations; `back`
    /// returns to the board work of the day.
    static func boardStep(_ req: Request, posted: Bool) async throws -> Response {
        let n = try await NoticeAccess.notice(req.parameters.get("nid") ?? "", community: req.parameters.get("cid"), .keepNoticeBoard, req)
        let f = try? req.content.decode(Form.self)
        do {
            _ = try await NoticeAccess.board(n.id.uuidString, postedNotTakenDown: posted, req)
            Flash.set(req, posted ? S.posted : S.takenDown)
        } catch let e as DomainError where e.kind == .invalidInput || e.kind == .conflict {
            Flash.set(req, e.message, error: true)
        }
        if let day = f?.day, PatrolCoverage.day(day, timeZone: "Asia/Shanghai") != nil {
            return req.redirect(to: Routes.noticeBoard(n.communityID, day: day), redirectType: .normal)
        }
        return req.redirect(to: Routes.notice(n.communityID, n.id), redirectType: .normal)
    }

    /// GET /c/:cid/notices/board?day= — the day's board work (S2 3.1.6).
    static func board(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .keepNoticeBoard)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let now = req.application.propdesk.now()
        let day = try ReportPeriod.day(req.query[String.self, at: "day"], timeZone: c.timeZone, now: now)
        let work = try await req.store.notices.boardWork(community: c.id, day: day, areas: scope.areas.map { Array($0) })
        let (bnames, anames, _, _) = try await names(req, c.id)
        func rows(_ list: [Notice], id: String, step: String, button: Message) -> BodyNode {
            list.isEmpty ? H.el("p", [("class", "muted"), ("id", id)], text: S.nothing.text(lang)) : H.el("ul", [("class", "portal-list"), ("id", id)], list.map { n in
                let late = !n.isOver(at: now) ? false : now > NoticeStore.takeDownDue(n, timeZone: c.timeZone)
                return H.el("li", [("data-notice", n.id.uuidString), ("class", late ? "error" : "")], [
                    H.link(n.title, Routes.notice(c.id, n.id)),
                    H.el("div", [("class", "muted")], text: "\(n.kind.title.text(lang)) · \(audience(n, buildings: bnames, areas: anames, lang)) · \(period(n, time))"
                        + (late ? " · \(S.overdue.text(lang))" : "")),
                    H.form(Routes.noticeStep(c.id, n.id, step), [("class", "inline")], [H.hidden("day", day), H.button(button.text(lang), [("id", "\(step)-\(n.id.uuidString.prefix(8))")])]),
                ])
            })
        }
        return Layout.page(title: Message(zh: "\(S.board.zhHans) · \(day)", en: "\(S.board.en) · \(day)"), request: req, frame: scope.frame, communities: scope.communities, [
            H.el("form", [("method", "get"), ("action", Routes.noticeBoard(c.id)), ("class", "inline")], [
                H.field(S.day.text(lang), "board-day", H.input([("type", "date"), ("name", "day"), ("value", day), ("id", "board-day")])), H.button("→", primary: false),
            ]),
            H.el("h2", [], text: S.putUp.text(lang)), rows(work.putUp, id: "put-up", step: "posted", button: S.confirmPosted),
            H.el("h2", [], text: S.takeDown.text(lang)), rows(work.takeDown, id: "take-down", step: "taken-down", button: S.confirmTakenDown),
            H.el("p", [], [H.link(S.title.text(lang), Routes.notices(c.id))]),
        ])
    }

    /// GET /c/:cid/notices/:nid/print — the A4 sheet in the standard notice layout: 通知 or 公告,
    /// the title, the text, the service center's name, the date and the seal line.
    static func print(_ req: Request) async throws -> Response {
        let n = try await NoticeAccess.notice(req.parameters.get("nid") ?? "", community: req.parameters.get("cid"), .readCustomerRelations, req)
        let lang = req.language
        let c = try await req.store.registry.community(n.communityID)
        let time = LocalTime(c?.timeZone ?? "Asia/Shanghai")
        let word = ([.service, .utilityCut, .safety] as [NoticeKind]).contains(n.kind) ? S.noticeWord : S.announceWord
        let date = lang == .zhHans ? time.format(n.startsAt, "yyyy年M月d日") : time.format(n.startsAt, "d MMMM yyyy")
        return PrintForms.sheet(req, title: Message(zh: n.title, en: n.title), community: nil, [
            H.el("h2", [("class", "notice-word"), ("id", "notice-word")], text: word.text(lang)),
            H.el("h3", [("class", "notice-title")], text: n.title),
            H.el("div", [("class", "notice-text"), ("id", "notice-text")], n.body.split(separator: "\n", omittingEmptySubsequences: false).map { H.el("p", [], text: String($0)) }),
            H.el("p", [("class", "notice-until")], text: "\(S.until.text(lang)) \(time.format(n.expiresAt.addingTimeInterval(-1), "yyyy-MM-dd"))"),
            H.el("p", [("class", "notice-sign"), ("id", "notice-sign")], text: "\(c?.name ?? "") \(S.center.text(lang))"),
            H.el("p", [("class", "notice-sign")], text: date),
            H.el("p", [("class", "notice-sign")], text: S.seal.text(lang)),
        ])
    }

    /// GET /portal/notices — the resident's notices: their buildings' first, then the community's.
    static func portal(_ req: Request) async throws -> Response {
        let (community, notices) = try await NoticeAccess.portal(req)
        let lang = req.language
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let list: BodyNode = notices.isEmpty ? H.el("p", [("class", "muted")], text: S.portalNone.text(lang)) : H.el("ul", [("class", "portal-list"), ("id", "portal-notices")], notices.map { n in
            H.el("li", [("data-notice", n.id.uuidString)], [
                H.el("strong", [], text: n.title), .text(" "), H.el("span", [("class", "badge")], text: n.kind.title.text(lang)),
                H.el("div", [("class", "muted")], text: "\(n.buildingIDs.isEmpty && n.areaID == nil ? S.wholeCommunity.text(lang) : S.forYourBuilding.text(lang)) · \(S.until.text(lang)) \(time.format(n.expiresAt.addingTimeInterval(-1), "yyyy-MM-dd"))"),
                H.el("div", [], n.body.split(separator: "\n", omittingEmptySubsequences: false).map { H.el("p", [], text: String($0)) }),
            ])
        })
        return Layout.page(title: S.portalTitle, request: req, frame: Frame(community: community, bodyClass: "phone-first"), [list])
    }
}
