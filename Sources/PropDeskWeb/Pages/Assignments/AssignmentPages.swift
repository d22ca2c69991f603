import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Assignment tables and lobby contact cards in pages (FLD-1, FLD-2, S2 3.2, 4.1): the table
/// in force and its versions, staff changes waiting for a new one, the CS manager's draft form
/// (prefilled from the table in force or the registry), the center head's approval, the
/// printable table; the cards each approval issues, printable for the lobby board, with the
/// supervisor's photo, marked as posted.
enum AssignmentPages {
    enum S {
        static let title = Message(zh: "区域管理服务工作分配表", en: "Area assignment table")
        static let inForce = Message(zh: "执行中的分配表", en: "Table in force")
        static let noneInForce = Message(zh: "尚无已批准的分配表。", en: "No approved table yet.")
        static let versions = Message(zh: "各版本", en: "Versions")
        static let draft = Message(zh: "拟制新的分配表", en: "Draft a new table")
        static let area = Message(zh: "区域", en: "Area")
        static let supervisor = Message(zh: "区域客户主任", en: "Supervisor")
        static let standIn = Message(zh: "顶岗人", en: "Stand-in")
        static let mobile = Message(zh: "手机", en: "Mobile")
        static let workPhone = Message(zh: "工作电话", en: "Work phone")
        static let households = Message(zh: "户数", en: "Households")
        static let keySpots = Message(zh: "重点部位", en: "Key spots")
        static let note = Message(zh: "说明", en: "Note")
        static let save = Message(zh: "保存草稿", en: "Save the draft")
        static let submit = Message(zh: "报中心负责人批准", en: "Submit for approval")
        static let approve = Message(zh: "批准执行", en: "Approve")
        static let returnIt = Message(zh: "退回修改", en: "Return")
        static let reason = Message(zh: "批示/退回原因", en: "Remark / reason for returning")
        static let print = Message(zh: "打印分配表", en: "Print the table")
        static let status = Message(zh: "状态", en: "Status")
        static let drafted = Message(zh: "拟制", en: "Drafted")
        static let decided = Message(zh: "审批", en: "Decided")
        static let cards = Message(zh: "大堂公告联系卡", en: "Lobby contact cards")
        static let printCards = Message(zh: "打印联系卡", en: "Print the cards")
        static let posted = Message(zh: "已张贴", en: "Posted")
        static let markPosted = Message(zh: "已张贴到大堂公告栏", en: "Posted on the lobby board")
        static let due = Message(zh: "须在此前张贴", en: "To be posted by")
        static let overdue = Message(zh: "逾期未张贴", en: "Overdue")
        static let photo = Message(zh: "照片", en: "Photo")
        static let uploadPhoto = Message(zh: "上传照片", en: "Upload the photo")
        static let hotline = Message(zh: "24 小时服务热线请致电前台", en: "For the 24-hour hotline call the front desk")
        static let history = Message(zh: "历史联系卡", en: "Earlier cards")
        static let staffChanges = Message(zh: "人员变动", en: "Staff changes")
        static let changeDue = Message(zh: "新表期限", en: "New table due")
        static let resolved = Message(zh: "已由新表解决", en: "Settled by a new table")
        static let timeline = Message(zh: "记录(防篡改)", en: "Record (tamper-evident)")
        static let noCards = Message(zh: "批准分配表后生成联系卡。", en: "Cards are issued when a table is approved.")
    }

    static func rowsTable(_ rows: [AssignmentRow], _ lang: Language) -> BodyNode {
        H.el("table", [("class", "list assignment-table")], [
            H.el("thead", [], [H.el("tr", [], [S.area, S.supervisor, S.standIn, S.mobile, S.workPhone, S.households, S.keySpots].map { H.el("th", [], text: $0.text(lang)) })]),
            H.el("tbody", [], rows.map { r in
                H.el("tr", [], [r.areaName, r.supervisorName, r.standInName, r.mobile, r.workPhone, String(r.households), r.keySpots].map { H.el("td", [], text: $0) })
            }),
        ])
    }

    /// GET /c/:cid/assignments
    static func list(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readUsers)
        let lang = req.language
        let cid = scope.community.id
        let time = LocalTime(scope.community.timeZone)
        let now = req.application.propdesk.now()
        let tables = try await req.store.assignments.tables(community: cid)
        let current = tables.first { $0.status == .approved }
        var kids: [BodyNode] = [
            H.el("p", [], [H.link(S.cards.text(lang), Routes.contactCards(cid))]),
            H.el("h2", [], text: S.inForce.text(lang) + (current.map { " · V\($0.version)" } ?? "")),
            current.map { rowsTable($0.rows, lang) } ?? H.el("p", [("class", "muted")], text: S.noneInForce.text(lang)),
            H.el("h2", [], text: S.versions.text(lang)),
            H.el("ul", [("id", "table-versions")], tables.map { t in
                H.el("li", [], [H.link("V\(t.version) · \(t.status.title.text(lang)) · \(OrderViews.person(t.draftedBy, lang)) \(time.format(t.draftedAt))", Routes.assignment(t.id))])
            }),
        ]
        let changes = try await req.store.assignments.staffChanges(community: cid)
        kids.append(H.el("h2", [], text: S.staffChanges.text(lang)))
        kids.append(H.el("ul", [("id", "staff-changes")], changes.prefix(20).map { c in
            let state = c.resolvedAt != nil ? S.resolved.text(lang) : (c.overdue(at: now) ? S.overdue.text(lang) : "")
            return H.el("li", [("class", c.overdue(at: now) ? "overdue" : "")],
                        text: "\(OrderViews.person(c.userName, lang)) · \(c.kind.title.text(lang)) · \(time.format(c.at)) · \(S.changeDue.text(lang)) \(time.format(c.dueAt)) \(state)")
        }))
        if scope.policy.has(.manageAssignments) {
            let proposal = try await req.store.assignments.proposal(community: cid)
            let people = try await req.store.assignments.supervisors(community: cid)
            let options = people.map { ($0.id.uuidString, $0.name) }
            var rows: [BodyNode] = []
            for (i, r) in proposal.enumerated() {
                let k = "r\(i)"
                rows.append(H.el("fieldset", [("class", "assignment-row card")], [
                    H.el("legend", [], text: r.areaName), H.hidden("areaId[\(k)]", r.areaID.uuidString),
                    H.field(S.supervisor.text(lang), "sup-\(i)", H.select("sup-\(i)", name: "supervisorId[\(k)]", options, selected: r.supervisorID.uuidString)),
                    H.field(S.standIn.text(lang), "stand-\(i)", H.select("stand-\(i)", name: "standInId[\(k)]", [("", "—")] + options, selected: r.standInID?.uuidString ?? "")),
                    H.field(S.mobile.text(lang), "mobile-\(i)", H.input([("id", "mobile-\(i)"), ("name", "mobile[\(k)]"), ("value", r.mobile), ("maxlength", "20"), ("required", "required")])),
                    H.field(S.workPhone.text(lang), "work-\(i)", H.input([("id", "work-\(i)"), ("name", "workPhone[\(k)]"), ("value", r.workPhone), ("maxlength", "20")])),
                    H.field(S.households.text(lang), "hh-\(i)", H.input([("id", "hh-\(i)"), ("name", "households[\(k)]"), ("value", String(r.households)), ("inputmode", "numeric")])),
                    H.field(S.keySpots.text(lang), "spots-\(i)", H.input([("id", "spots-\(i)"), ("name", "keySpots[\(k)]"), ("value", r.keySpots), ("maxlength", "500"), ("required", "required")])),
                ]))
            }
            kids.append(H.el("section", [("class", "card"), ("id", "draft")], [
                H.el("h2", [], text: S.draft.text(lang)),
                H.form(Routes.assignments(cid), [("id", "draft-form")], rows + [
                    H.field(S.note.text(lang), "draft-note", H.input([("id", "draft-note"), ("name", "note"), ("maxlength", "500")])),
                    H.button(S.save.text(lang), [("id", "save-draft")]),
                ]),
            ]))
        }
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    struct DraftForm: Content {
        var areaId: [String: String]?
        var supervisorId: [String: String]?
        var standInId: [String: String]?
        var mobile: [String: String]?
        var workPhone: [String: String]?
        var households: [String: String]?
        var keySpots: [String: String]?
        var note: String?
    }

    /// POST /c/:cid/assignments — a new draft.
    static func draft(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .manageAssignments, req, wholeCommunity: true)
        do {
            let f = try req.content.decode(DraftForm.self)
            let keys = (f.areaId ?? [:]).keys.sorted { (Int($0.dropFirst()) ?? 0) < (Int($1.dropFirst()) ?? 0) }
            let rows = try keys.map { k -> AssignmentRow in
                let stand = f.standInId?[k] ?? ""
                guard let hh = Int((f.households?[k] ?? "").trimmingCharacters(in: .whitespaces)) else {
                    throw DomainError.invalid(field: "households", Message(zh: "户数须是整数", en: "Households must be a whole number"))
                }
                return AssignmentRow(areaID: try Parse.uuid(f.areaId?[k] ?? "", field: "areaId"), areaName: "",
                                     supervisorID: try Parse.uuid(f.supervisorId?[k] ?? "", field: "supervisorId"), supervisorName: "",
                                     standInID: stand.isEmpty ? nil : try Parse.uuid(stand, field: "standInId"), standInName: "",
                                     mobile: f.mobile?[k] ?? "", workPhone: f.workPhone?[k] ?? "", households: hh, keySpots: f.keySpots?[k] ?? "")
            }
            let t = try await SupervisionAccess.draft(community: raw, rows: rows, note: f.note ?? "", req)
            Flash.set(req, Message(zh: "已保存分配表草稿 V\(t.version)", en: "Draft V\(t.version) saved"))
            return req.redirect(to: Routes.assignment(t.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.assignments(cid), redirectType: .normal)
        }
    }

    /// GET /assignments/:id
    static func show(_ req: Request) async throws -> Response {
        let t = try await SupervisionAccess.table(req.parameters.get("id") ?? "", req)
        let (_, policy) = try req.requireStaff()
        let lang = req.language
        guard let community = try await req.store.registry.community(t.communityID) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        var kids: [BodyNode] = [
            PrintForms.facts([(S.status, t.status.title.text(lang)), (S.drafted, "\(OrderViews.person(t.draftedBy, lang)) \(time.format(t.draftedAt))"),
                              (S.decided, t.decidedAt.map { "\(OrderViews.person(t.decidedBy ?? "", lang)) \(time.format($0))\(t.decisionNote.map { " · \($0)" } ?? "")" } ?? "—"),
                              (S.note, t.note)], lang),
            rowsTable(t.rows, lang),
            H.el("p", [], [H.link(S.print.text(lang), Routes.assignmentPrint(t.id), [("id", "print-table")])]),
        ]
        if [.draft, .returned].contains(t.status), policy.has(.manageAssignments) {
            kids.append(H.form(Routes.assignmentSubmit(t.id), [], [H.button(S.submit.text(lang), [("id", "submit-table")])]))
        }
        if t.status == .submitted, policy.has(.approveAssignments) {
            kids.append(H.form(Routes.assignmentDecide(t.id), [("id", "decide-form")], [
                H.field(S.reason.text(lang), "decide-note", H.input([("id", "decide-note"), ("name", "note"), ("maxlength", "500")])),
                H.el("button", [("type", "submit"), ("name", "decision"), ("value", "approve"), ("class", "primary"), ("id", "approve-table")], text: S.approve.text(lang)),
                H.el("button", [("type", "submit"), ("name", "decision"), ("value", "return"), ("class", "secondary"), ("id", "return-table")], text: S.returnIt.text(lang)),
            ]))
        }
        kids.append(H.el("h2", [], text: S.timeline.text(lang)))
        kids.append(RenovationPages.timeline(try await req.store.timelines.entries(.assignmentTable, t.id), time, lang))
        return Layout.page(title: Message(zh: "\(S.title.zhHans) V\(t.version)", en: "\(S.title.en) V\(t.version)"), request: req, frame: Frame(community: community), kids)
    }

    /// POST /assignments/:id/submit
    static func submit(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("id") ?? ""
        let t = try await SupervisionAccess.table(raw, req)
        do {
            _ = try await SupervisionAccess.submit(raw, req)
            Flash.set(req, Message(zh: "已报批", en: "Submitted for approval"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.assignment(t.id), redirectType: .normal)
    }

    struct DecideForm: Content { var decision: String?; var note: String? }

    /// POST /assignments/:id/decide — approve or return.
    static func decide(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("id") ?? ""
        let t = try await SupervisionAccess.table(raw, req)
        do {
            let f = try req.content.decode(DecideForm.self)
            guard ["approve", "return"].contains(f.decision ?? "") else {
                throw DomainError.invalid(field: "decision", Message(zh: "请选择批准或退回", en: "Approve or return"))
            }
            let done = try await SupervisionAccess.decide(raw, approve: f.decision == "approve", note: f.note ?? "", req)
            Flash.set(req, done.status == .approved ? Message(zh: "已批准,分配表 V\(done.version) 开始执行;请在三天内更新大堂联系卡",
                                                              en: "Approved: V\(done.version) is in force; republish the lobby cards within 3 days")
                                                    : Message(zh: "已退回", en: "Returned"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.assignment(t.id), redirectType: .normal)
    }

    /// GET /assignments/:id/print
    static func print(_ req: Request) async throws -> Response {
        let t = try await SupervisionAccess.table(req.parameters.get("id") ?? "", req)
        let lang = req.language
        let community = try await req.store.registry.community(t.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        return PrintForms.sheet(req, title: S.title, community: community, [
            H.el("h2", [], text: "\(S.title.text(lang)) V\(t.version)"),
            rowsTable(t.rows, lang),
            PrintForms.facts([(S.drafted, "\(OrderViews.person(t.draftedBy, lang)) \(time.format(t.draftedAt))"),
                              (S.decided, t.decidedAt.map { "\(OrderViews.person(t.decidedBy ?? "", lang)) \(time.format($0))" } ?? "")], lang),
        ])
    }

    // MARK: Contact cards (FLD-2)

    /// The photo of a card: the newest image on any card of the same supervisor.
    static func photos(_ cards: [ContactCard], _ req: Request) async throws -> [UUID: UUID] {
        var out: [UUID: UUID] = [:]
        for c in cards.sorted(by: { $0.issuedAt > $1.issuedAt }) where out[c.supervisorID] == nil {
            if let e = try await req.store.evidence.list(.contactCard, c.id).last(where: { $0.contentType.hasPrefix("image/") }) { out[c.supervisorID] = e.id }
        }
        return out
    }

    /// GET /c/:cid/contact-cards
    static func cards(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readUsers)
        let lang = req.language
        let cid = scope.community.id
        let time = LocalTime(scope.community.timeZone)
        let now = req.application.propdesk.now()
        let latest = try await req.store.assignments.latestCards(community: cid).values.sorted { $0.areaName < $1.areaName }
        let all = try await req.store.assignments.cards(community: cid)
        let photo = try await photos(all, req)
        let canPost = scope.policy.has(.manageAssignments) || scope.policy.has(.spotCheckVisits)
        var kids: [BodyNode] = [H.el("p", [], [H.link(S.printCards.text(lang), Routes.contactCardsPrint(cid), [("id", "print-cards")])])]
        if latest.isEmpty { kids.append(H.el("p", [("class", "muted")], text: S.noCards.text(lang))) }
        for c in latest {
            let files = try await req.store.evidence.list(.contactCard, c.id).filter { $0.contentType.hasPrefix("image/") }
            var box: [BodyNode] = [card(c, photo: photo[c.supervisorID], lang)]
            if let at = c.postedAt {
                box.append(H.el("p", [("class", "muted")], text: "\(S.posted.text(lang)) \(time.format(at)) · \(OrderViews.person(c.postedBy ?? "", lang))"))
            } else {
                box.append(H.el("p", [("class", now >= c.dueAt ? "error" : "muted")], text: "\(S.due.text(lang)) \(time.format(c.dueAt))\(now >= c.dueAt ? " · \(S.overdue.text(lang))" : "")"))
                if canPost { box.append(H.form(Routes.contactCardPosted(c.id), [], [H.button(S.markPosted.text(lang), [("id", "post-\(c.id.uuidString.prefix(8))")])])) }
            }
            if scope.policy.has(.manageAssignments) {
                // The supervisor's photo for the card: an image kept as evidence on the card.
                let k = c.id.uuidString.prefix(8)
                box.append(H.form(Routes.subject(.contactCard, c.id) + "/documents", [("enctype", "multipart/form-data"), ("class", "inline-form"), ("id", "photo-form-\(k)")], [
                    H.field(S.photo.text(lang) + (files.isEmpty ? "" : " (\(files.count))"), "photo-\(k)",
                            H.input([("type", "file"), ("id", "photo-\(k)"), ("name", "file"), ("accept", "image/*"), ("required", "required")])),
                    H.hidden("caption", "photo"),
                    H.button(S.uploadPhoto.text(lang), primary: false),
                ]))
            }
            kids.append(H.el("section", [("class", "card"), ("id", "card-\(c.areaID.uuidString.prefix(8))")], box))
        }
        let older = all.filter { c in !latest.contains { $0.id == c.id } }
        if !older.isEmpty {
            kids.append(H.el("h2", [], text: S.history.text(lang)))
            kids.append(H.el("ul", [], older.map { c in
                H.el("li", [], text: "\(c.areaName) · \(c.supervisorName) · \(c.mobile) · \(time.format(c.issuedAt))\(c.postedAt.map { " · \(S.posted.text(lang)) \(time.format($0))" } ?? "")")
            }))
        }
        return Layout.page(title: S.cards, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func card(_ c: ContactCard, photo: UUID?, _ lang: Language) -> BodyNode {
        H.el("div", [("class", "contact-card")], [
            photo.map { id in .selfClosedElement(named: "img", attributes: [.init(name: "src", value: Routes.evidence(id)), .init(name: "alt", value: c.supervisorName),
                                                                            .init(name: "class", value: "card-photo")]) } ?? H.el("div", [("class", "card-photo empty")], text: S.photo.text(lang)),
            H.el("div", [], [
                H.el("p", [("class", "card-area")], text: "\(c.areaName) · \(S.supervisor.text(lang))"),
                H.el("p", [("class", "card-name")], text: c.supervisorName),
                H.el("p", [], text: "\(S.mobile.text(lang)):\(c.mobile)"),
                H.el("p", [], text: "\(S.workPhone.text(lang)):\(c.workPhone.isEmpty ? "—" : c.workPhone)"),
                H.el("small", [], text: S.hotline.text(lang)),
            ]),
        ])
    }

    /// GET /c/:cid/contact-cards/print — the cards as they go on the lobby boards.
    static func printCards(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readUsers)
        let lang = req.language
        let latest = try await req.store.assignments.latestCards(community: scope.community.id).values.sorted { $0.areaName < $1.areaName }
        let photo = try await photos(Array(latest), req)
        return PrintForms.sheet(req, title: S.cards, community: scope.community, latest.map { card($0, photo: photo[$0.supervisorID], lang) })
    }

    /// POST /contact-cards/:id/posted
    static func posted(_ req: Request) async throws -> Response {
        let c = try await SupervisionAccess.markCard(req.parameters.get("id") ?? "", posted: true, req)
        Flash.set(req, Message(zh: "已记录张贴:\(c.areaName)", en: "Posted: \(c.areaName)"))
        return req.redirect(to: Routes.contactCards(c.communityID), redirectType: .normal)
    }
}
