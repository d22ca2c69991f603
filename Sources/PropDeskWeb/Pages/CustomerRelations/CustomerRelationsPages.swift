import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Customer interviews, common issues with their rectifications (CR-3, S0 3.1) and the year's
/// culture plan (CR-4, S0 3.2) in pages, usable on a phone: short forms, one column, each form
/// with an id made when it is drawn so a double tap saves once.
enum CustomerRelationsPages {
    enum S {
        static let interviews = Message(zh: "客户访谈", en: "Customer interviews")
        static let issues = Message(zh: "共性问题与整改", en: "Common issues and rectifications")
        static let culture = Message(zh: "社区文化活动", en: "Community culture plan")
        static let record = Message(zh: "记录访谈", en: "Record an interview")
        static let channel = Message(zh: "方式", en: "How")
        static let building = Message(zh: "楼栋", en: "Building")
        static let room = Message(zh: "房号(座谈会可不填)", en: "Room (leave empty for a meeting)")
        static let place = Message(zh: "座谈会地点", en: "Meeting place")
        static let area = Message(zh: "责任区域", en: "Area")
        static let wholeCommunity = Message(zh: "全小区", en: "Whole community")
        static let person = Message(zh: "受访人", en: "Spoken with")
        static let point = Message(zh: "客户意见 %@", en: "Point %@")
        static let topic = Message(zh: "类别", en: "Topic")
        static let when = Message(zh: "时间", en: "When")
        static let household = Message(zh: "房屋/地点", en: "Household / place")
        static let points = Message(zh: "客户意见", en: "Points raised")
        static let by = Message(zh: "访谈人", en: "Interviewer")
        static let none = Message(zh: "暂无记录。", en: "Nothing recorded yet.")
        static let save = Message(zh: "保存", en: "Save")
        static let saved = Message(zh: "已保存", en: "Saved")
        static let month = Message(zh: "月份", en: "Month")
        static let grouped = Message(zh: "已归入共性问题", en: "Grouped")
        static let ungrouped = Message(zh: "待归类的客户意见", en: "Points not yet grouped")
        static let newIssue = Message(zh: "归为新的共性问题", en: "Group as a new common issue")
        static let addToIssue = Message(zh: "归入已有问题", en: "Add to an existing issue")
        static let title = Message(zh: "标题", en: "Title")
        static let count = Message(zh: "反映次数", en: "Raised")
        static let measure = Message(zh: "整改措施", en: "Measure")
        static let owner = Message(zh: "责任人", en: "Owner")
        static let dueDay = Message(zh: "计划完成日期", en: "Due day")
        static let status = Message(zh: "状态", en: "Status")
        static let addMeasure = Message(zh: "制定整改措施", en: "Set a measure")
        static let done = Message(zh: "登记完成并公示", en: "Done: publish the result")
        static let doneNote = Message(zh: "完成情况", en: "What was done")
        static let overdue = Message(zh: "已逾期", en: "Overdue")
        static let late = Message(zh: "逾期完成", en: "Done late")
        static let published = Message(zh: "已公示", en: "Published")
        static let plan = Message(zh: "年度文化建设计划", en: "The year's culture plan")
        static let draftPlan = Message(zh: "编制年度计划", en: "Draft the year's plan")
        static let year = Message(zh: "年度", en: "Year")
        static let goals = Message(zh: "工作目标", en: "Goals")
        static let budget = Message(zh: "预算(元)", en: "Budget (yuan)")
        static let events = Message(zh: "活动安排", en: "Events")
        static let addEvent = Message(zh: "添加活动", en: "Add an event")
        static let eventTitle = Message(zh: "活动名称", en: "Event")
        static let day = Message(zh: "日期", en: "Day")
        static let eventPlace = Message(zh: "地点", en: "Place")
        static let attendance = Message(zh: "参加人数", en: "Attendance")
        static let eventRecord = Message(zh: "活动记录", en: "Record")
        static let photos = Message(zh: "照片", en: "Photos")
        static let held = Message(zh: "已开展", en: "Held")
        static let planned = Message(zh: "计划中", en: "Planned")
        static let submit = Message(zh: "提交审批", en: "Submit for approval")
        static let approve = Message(zh: "批准", en: "Approve")
        static let returnDraft = Message(zh: "退回修改", en: "Return for changes")
        static let recordEvent = Message(zh: "登记活动记录", en: "Record the event")
        static let noPlan = Message(zh: "本年度尚未编制计划。", en: "No plan for this year yet.")
        static let approvedBy = Message(zh: "批准人", en: "Approved by")
        static let total = Message(zh: "活动预算合计", en: "Events' budgets")
    }

    // MARK: Interviews

    static func month(_ req: Request, _ c: Community) throws -> String {
        try ReportPeriod.month(req.query[String.self, at: "month"], timeZone: c.timeZone, now: req.application.propdesk.now())
    }

    /// GET /c/:cid/interviews?month=
    static func interviews(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let key = try month(req, c)
        let list = try await CustomerRelationsAccess.interviews(c, areas: scope.areas, month: key, req)
        var kids: [BodyNode] = [H.el("form", [("method", "get"), ("action", Routes.interviews(c.id)), ("class", "inline")], [
            H.input([("type", "month"), ("name", "month"), ("value", key), ("id", "iv-month"), ("aria-label", S.month.text(lang))]), H.button("→", primary: false),
        ])]
        if scope.policy.has(.recordInterviews) {
            let buildings = try await req.store.registry.buildings(community: c.id, areas: scope.areas)
            let areas = try await req.store.registry.areas(community: c.id, only: scope.areas)
            var form: [BodyNode] = [
                H.hidden("interviewId", UUID().uuidString),
                H.field(S.channel.text(lang), "iv-channel", H.select("iv-channel", name: "channel", InterviewChannel.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil)),
                H.field(S.building.text(lang), "iv-building", H.select("iv-building", name: "buildingId", buildings.map { ($0.id.uuidString, $0.name) }, selected: nil)),
                H.field(S.room.text(lang), "iv-room", H.input([("type", "text"), ("id", "iv-room"), ("name", "room"), ("maxlength", "20")])),
                H.field(S.place.text(lang), "iv-place", H.input([("type", "text"), ("id", "iv-place"), ("name", "place"), ("maxlength", "60")])),
                H.field(S.area.text(lang), "iv-area", H.select("iv-area", name: "areaId",
                                                                (scope.areas == nil ? [("", S.wholeCommunity.text(lang))] : []) + areas.map { ($0.id.uuidString, $0.name) }, selected: nil)),
                H.field(S.person.text(lang), "iv-person", H.input([("type", "text"), ("id", "iv-person"), ("name", "person"), ("required", "required"), ("maxlength", "60")])),
            ]
            for i in 0..<3 {
                form.append(H.el("fieldset", [("class", "point")], [
                    H.el("legend", [], text: S.point.text(lang).replacingOccurrences(of: "%@", with: String(i + 1))),
                    H.select("iv-topic-\(i)", name: "topic[i\(i)]", InterviewTopic.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil,
                             [("aria-label", S.topic.text(lang))]),
                    H.el("textarea", [("id", "iv-point-\(i)"), ("name", "point[i\(i)]"), ("rows", "2"), ("maxlength", "500"), ("aria-label", S.points.text(lang))]
                         + (i == 0 ? [("required", "required")] : [])),
                ]))
            }
            form.append(H.button(S.save.text(lang), [("id", "iv-save")]))
            kids.append(H.el("details", [("class", "card"), ("id", "record-interview")] + (list.isEmpty ? [("open", "open")] : []), [
                H.el("summary", [], text: S.record.text(lang)), H.form(Routes.interviews(c.id), [("id", "interview-form"), ("class", "phone-form")], form),
            ]))
        }
        kids.append(list.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("ul", [("class", "interviews"), ("id", "interviews")], list.map { i in
            H.el("li", [("class", "card"), ("id", "interview-\(i.id.uuidString.prefix(8))")], [
                H.el("p", [], text: "\(time.format(i.at)) · \(i.channel.title.text(lang)) · \(i.unitLabel) · \(i.person) · \(S.by.text(lang)) \(OrderViews.person(i.byName, lang))"),
                H.el("ul", [], i.points.map { p in
                    H.el("li", [("class", p.issueID == nil ? "" : "grouped")], text: "【\(p.topic.title.text(lang))】\(p.text)\(p.issueID == nil ? "" : " · \(S.grouped.text(lang))")")
                }),
            ])
        }))
        return Layout.page(title: S.interviews, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    struct InterviewForm: Content {
        var interviewId: String?
        var channel: String?
        var buildingId: String?
        var room: String?
        var place: String?
        var areaId: String?
        var person: String?
        var topic: [String: String]?
        var point: [String: String]?
    }

    /// POST /c/:cid/interviews
    static func recordInterview(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, areas) = try CustomerRelationsAccess.community(raw, .recordInterviews, req)
        do {
            let f = try req.content.decode(InterviewForm.self)
            let input = try await interviewInput(f, community: cid, req)
            _ = try await CustomerRelationsAccess.record(input, community: cid, areas: areas, req)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.interviews(cid), redirectType: .normal)
    }

    static func interviewInput(_ f: InterviewForm, community: UUID, _ req: Request) async throws -> CustomerRelationsStore.InterviewInput {
        guard let channel = InterviewChannel(rawValue: f.channel ?? "visit") else {
            throw DomainError.invalid(field: "channel", Message(zh: "访谈方式无效", en: "Not a way of interviewing"))
        }
        let id = try (f.interviewId ?? "").isEmpty ? UUID() : Parse.uuid(f.interviewId ?? "", field: "interviewId")
        let unit = try await CustomerRelationsAccess.unit(community: community, building: f.buildingId, room: f.room, req)
        let area = try (f.areaId ?? "").isEmpty ? nil : Parse.uuid(f.areaId ?? "", field: "areaId")
        let keys = Set((f.point ?? [:]).keys).sorted { (Int($0.dropFirst()) ?? 0) < (Int($1.dropFirst()) ?? 0) }
        let points = try keys.map { k -> (text: String, topic: InterviewTopic) in
            guard let topic = InterviewTopic(rawValue: f.topic?[k] ?? "other") else {
                throw DomainError.invalid(field: "topic", Message(zh: "意见类别无效", en: "Not a topic"))
            }
            return (f.point?[k] ?? "", topic)
        }
        return .init(interviewID: id, unitID: unit, areaID: unit == nil ? area : nil, place: f.place ?? "", person: f.person ?? "", channel: channel, points: points)
    }

    // MARK: Common issues and rectifications

    static func issueCards(_ issues: [CommonIssue], _ card: (CommonIssue) async throws -> BodyNode) async throws -> [BodyNode] {
        var out: [BodyNode] = []
        for i in issues { out.append(try await card(i)) }
        return out
    }

    /// GET /c/:cid/issues
    static func issues(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let now = req.application.propdesk.now()
        let crs = req.store.customerRelations
        let issues = try await CustomerRelationsAccess.issues(community: c.id, areas: scope.areas, req)
        let all = try await CustomerRelationsAccess.rectifications(community: c.id, areas: scope.areas, req)
        let manage = scope.policy.has(.manageCustomerRelations)
        let owners = manage ? try await crs.owners(community: c.id) : []
        let areaNames = Dictionary(uniqueKeysWithValues: try await req.store.registry.areas(community: c.id).map { ($0.id, $0.name) })
        let me = scope.principal.userID
        var kids: [BodyNode] = []
        kids.append(issues.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("div", [("id", "issues")], try await issueCards(issues) { issue in
            var card: [BodyNode] = [H.el("h2", [], text: "\(issue.title) · \(issue.topic.title.text(lang)) · \(issue.areaID.flatMap { areaNames[$0] } ?? S.wholeCommunity.text(lang)) · \(S.count.text(lang)) \(issue.pointCount)")]
            let points = try await crs.points(issue: issue.id)
            card.append(H.el("details", [], [H.el("summary", [], text: S.points.text(lang))] + [H.el("ul", [], points.map { p in
                H.el("li", [], text: "\(time.format(p.interview.at, "yyyy-MM-dd")) · \(p.interview.unitLabel):\(p.point.text)")
            })]))
            for r in all.filter({ $0.issueID == issue.id }) {
                var state = r.status.title.text(lang)
                if r.isOverdue(at: now) { state = S.overdue.text(lang) } else if r.doneLate { state = S.late.text(lang) }
                var box: [BodyNode] = [H.el("p", [("class", r.isOverdue(at: now) ? "error" : "")],
                                            text: "\(S.measure.text(lang)):\(r.measure) · \(S.owner.text(lang)) \(OrderViews.person(r.ownerName, lang)) · \(S.dueDay.text(lang)) \(r.dueDay) · \(state)")]
                if let at = r.doneAt {
                    box.append(H.el("p", [], text: "\(time.format(at)) \(OrderViews.person(r.doneByName ?? "", lang)):\(r.doneNote ?? "")"))
                }
                if let n = r.noticeID { box.append(H.link(S.published.text(lang), Routes.notice(c.id, n), [("id", "notice-\(r.id.uuidString.prefix(8))")])) }
                if r.status == .open && (manage || r.ownerID == me) {
                    box.append(H.form(Routes.rectificationDone(r.id), [("class", "phone-form"), ("id", "done-\(r.id.uuidString.prefix(8))")], [
                        H.field(S.doneNote.text(lang), "dn-\(r.id.uuidString.prefix(8))", H.el("textarea", [("id", "dn-\(r.id.uuidString.prefix(8))"), ("name", "note"), ("rows", "2"), ("required", "required"), ("maxlength", "1000")])),
                        H.button(S.done.text(lang)),
                    ]))
                }
                card.append(H.el("div", [("class", "rectification"), ("data-status", r.status.rawValue), ("id", "rect-\(r.id.uuidString.prefix(8))")], box))
            }
            if manage {
                card.append(H.el("details", [], [H.el("summary", [], text: S.addMeasure.text(lang)),
                    H.form(Routes.issueRectifications(issue.id), [("class", "phone-form"), ("id", "measure-\(issue.id.uuidString.prefix(8))")], [
                        H.hidden("rectificationId", UUID().uuidString),
                        H.field(S.measure.text(lang), "ms-\(issue.id.uuidString.prefix(8))", H.el("textarea", [("id", "ms-\(issue.id.uuidString.prefix(8))"), ("name", "measure"), ("rows", "3"), ("required", "required"), ("maxlength", "1000")])),
                        H.field(S.owner.text(lang), "ow-\(issue.id.uuidString.prefix(8))", H.select("ow-\(issue.id.uuidString.prefix(8))", name: "ownerId", owners.map { ($0.id.uuidString, $0.name) }, selected: nil)),
                        H.field(S.dueDay.text(lang), "due-\(issue.id.uuidString.prefix(8))", H.input([("type", "date"), ("id", "due-\(issue.id.uuidString.prefix(8))"), ("name", "dueDay"), ("required", "required")])),
                        H.button(S.save.text(lang)),
                    ])]))
            }
            return H.el("section", [("class", "card issue"), ("id", "issue-\(issue.id.uuidString.prefix(8))")], card)
        }))
        if manage {
            let open = try await CustomerRelationsAccess.ungroupedPoints(community: c.id, areas: scope.areas, req)
            let areas = try await req.store.registry.areas(community: c.id, only: scope.areas)
            var form: [BodyNode] = [H.el("h2", [], text: S.ungrouped.text(lang))]
            form.append(open.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("ul", [("class", "choices"), ("id", "open-points")], open.map { p in
                H.el("li", [], [H.el("label", [("class", "choice")], [
                    H.input([("type", "checkbox"), ("name", "points[]"), ("value", p.point.id.uuidString), ("id", "pt-\(p.point.id.uuidString.prefix(8))")]),
                    .text(" 【\(p.point.topic.title.text(lang))】\(p.point.text) · \(p.interview.unitLabel) · \(time.format(p.interview.at, "yyyy-MM-dd"))"),
                ])])
            }))
            form += [
                H.hidden("issueId", UUID().uuidString),
                H.el("h3", [], text: S.newIssue.text(lang)),
                H.field(S.title.text(lang), "is-title", H.input([("type", "text"), ("id", "is-title"), ("name", "title"), ("maxlength", "60")])),
                H.field(S.topic.text(lang), "is-topic", H.select("is-topic", name: "topic", InterviewTopic.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil)),
                H.field(S.area.text(lang), "is-area", H.select("is-area", name: "areaId",
                                                                (scope.areas == nil ? [("", S.wholeCommunity.text(lang))] : []) + areas.map { ($0.id.uuidString, $0.name) }, selected: nil)),
                H.el("h3", [], text: S.addToIssue.text(lang)),
                H.field(S.addToIssue.text(lang), "is-existing", H.select("is-existing", name: "existing", [("", "—")] + issues.map { ($0.id.uuidString, $0.title) }, selected: "")),
                H.button(S.save.text(lang), [("id", "group-points")]),
            ]
            kids.append(H.form(Routes.issues(c.id), [("id", "group-form"), ("class", "card phone-form")], form))
        }
        return Layout.page(title: S.issues, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    struct GroupForm: Content { var points: [String]?; var issueId: String?; var title: String?; var topic: String?; var areaId: String?; var existing: String? }

    /// POST /c/:cid/issues — groups the chosen points into a new issue or an existing one.
    static func group(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, areas) = try CustomerRelationsAccess.community(raw, .manageCustomerRelations, req)
        do {
            let f = try req.content.decode(GroupForm.self)
            let points = try (f.points ?? []).map { try Parse.uuid($0, field: "points") }
            if let existing = f.existing, !existing.isEmpty {
                _ = try await CustomerRelationsAccess.group(points, into: existing, community: cid, req)
            } else {
                guard let topic = InterviewTopic(rawValue: f.topic ?? "other") else { throw DomainError.invalid(field: "topic", Message(zh: "类别无效", en: "Not a topic")) }
                let id = try (f.issueId ?? "").isEmpty ? UUID() : Parse.uuid(f.issueId ?? "", field: "issueId")
                let area = try (f.areaId ?? "").isEmpty ? nil : Parse.uuid(f.areaId ?? "", field: "areaId")
                _ = try await CustomerRelationsAccess.createIssue(id: id, community: cid, areas: areas, areaID: area, title: f.title ?? "", topic: topic,
                                                                  points: points, req)
            }
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.issues(cid), redirectType: .normal)
    }

    struct MeasureForm: Content { var rectificationId: String?; var measure: String?; var ownerId: String?; var dueDay: String? }

    /// POST /issues/:id/rectifications
    static func rectify(_ req: Request) async throws -> Response {
        let issue = try await CustomerRelationsAccess.issue(req.parameters.get("id") ?? "", req, .manageCustomerRelations)
        do {
            let f = try req.content.decode(MeasureForm.self)
            let id = try (f.rectificationId ?? "").isEmpty ? UUID() : Parse.uuid(f.rectificationId ?? "", field: "rectificationId")
            _ = try await CustomerRelationsAccess.rectify(issue, id: id, measure: f.measure ?? "", ownerID: try Parse.uuid(f.ownerId ?? "", field: "ownerId"),
                                                          dueDay: f.dueDay ?? "", req)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.issues(issue.communityID), redirectType: .normal)
    }

    struct DoneForm: Content { var note: String? }

    /// POST /rectifications/:id/done — the CS manager or the owner.
    static func done(_ req: Request) async throws -> Response {
        let r = try await CustomerRelationsAccess.rectification(req.parameters.get("id") ?? "", req, acting: true)
        do {
            let f = try req.content.decode(DoneForm.self)
            _ = try await CustomerRelationsAccess.done(r, note: f.note ?? "", req)
            Flash.set(req, Message(zh: "已登记完成,整改结果已在公告栏公示", en: "Done; the result is published on the notice board"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.issues(r.communityID), redirectType: .normal)
    }

    // MARK: The culture plan

    /// GET /c/:cid/culture?year=
    static func culture(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .readCustomerRelations)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let now = req.application.propdesk.now()
        let year = try ReportPeriod.year(req.query[String.self, at: "year"], timeZone: c.timeZone, now: now)
        let today = time.format(now, "yyyy-MM-dd")
        let manage = scope.policy.has(.manageCustomerRelations)
        var kids: [BodyNode] = [H.el("form", [("method", "get"), ("action", Routes.culture(c.id)), ("class", "inline")], [
            H.input([("type", "number"), ("name", "year"), ("value", String(year)), ("min", "2000"), ("max", "2100"), ("id", "cu-year"), ("aria-label", S.year.text(lang))]),
            H.button("→", primary: false),
        ])]
        let file = try await CustomerRelationsAccess.planFile(community: c.id, year: year, req)
        guard let plan = file.plan else {
            kids.append(H.el("p", [("class", "muted"), ("id", "no-plan")], text: S.noPlan.text(lang)))
            if manage {
                kids.append(H.form(Routes.culture(c.id), [("id", "plan-form"), ("class", "card phone-form")], [
                    H.el("h2", [], text: S.draftPlan.text(lang)),
                    H.hidden("year", String(year)),
                    H.field(S.title.text(lang), "pl-title", H.input([("type", "text"), ("id", "pl-title"), ("name", "title"), ("required", "required"), ("maxlength", "60"),
                                                                     ("value", "\(year)年度社区文化建设计划")])),
                    H.field(S.goals.text(lang), "pl-goals", H.el("textarea", [("id", "pl-goals"), ("name", "goals"), ("rows", "3"), ("maxlength", "2000")])),
                    H.field(S.budget.text(lang), "pl-budget", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "pl-budget"), ("name", "budget"), ("required", "required")])),
                    H.button(S.save.text(lang), [("id", "pl-save")]),
                ]))
            }
            return Layout.page(title: S.culture, request: req, frame: scope.frame, communities: scope.communities, kids)
        }
        let events = file.events
        let sum = events.map(\.budgetFen).reduce(0, +)
        var head = "\(plan.title) · \(plan.status.title.text(lang)) · \(S.budget.text(lang)) \(CustomerRelationsInput.yuan(plan.budgetFen)) · \(S.total.text(lang)) \(CustomerRelationsInput.yuan(sum))"
        if let by = plan.approvedByName, let at = plan.approvedAt { head += " · \(S.approvedBy.text(lang)) \(OrderViews.person(by, lang)) \(time.format(at, "yyyy-MM-dd"))" }
        kids.append(H.el("p", [("id", "plan-state"), ("data-status", plan.status.rawValue)], text: head))
        if !plan.goals.isEmpty { kids.append(H.el("p", [], text: "\(S.goals.text(lang)):\(plan.goals)")) }
        for e in events {
            var box: [BodyNode] = [H.el("h3", [], text: "\(e.day) · \(e.title) · \(e.place) · ¥\(CustomerRelationsInput.yuan(e.budgetFen)) · \(e.held ? S.held.text(lang) : S.planned.text(lang))")]
            if e.held {
                box.append(H.el("p", [], text: "\(S.attendance.text(lang)) \(e.attendance ?? 0) · \(e.record ?? "") · \(OrderViews.person(e.recordedByName ?? "", lang))"))
                box.append(EvidencePages.section(try await req.store.evidence.list(.cultureEvent, e.id), subject: CustomerRelationsAccess.eventSubject(e), canAdd: false,
                                                 time: time, lang, suffix: "-\(e.id.uuidString.prefix(8))", title: S.photos))
            }
            if plan.status == .approved, manage, e.day <= today {
                box.append(H.el("details", [], [H.el("summary", [], text: S.recordEvent.text(lang)),
                    H.form(Routes.cultureRecord(e.id), [("enctype", "multipart/form-data"), ("class", "phone-form"), ("id", "record-\(e.id.uuidString.prefix(8))")], [
                        H.field(S.attendance.text(lang), "at-\(e.id.uuidString.prefix(8))", H.input([("type", "number"), ("min", "0"), ("id", "at-\(e.id.uuidString.prefix(8))"), ("name", "attendance"), ("required", "required"), ("value", e.attendance.map(String.init) ?? "")])),
                        H.field(S.eventRecord.text(lang), "rc-\(e.id.uuidString.prefix(8))", H.el("textarea", [("id", "rc-\(e.id.uuidString.prefix(8))"), ("name", "record"), ("rows", "3"), ("required", "required"), ("maxlength", "2000")])),
                        H.field(S.photos.text(lang), "ph-\(e.id.uuidString.prefix(8))", H.input([("type", "file"), ("id", "ph-\(e.id.uuidString.prefix(8))"), ("name", "photos[]"), ("accept", "image/*"), ("multiple", "multiple")])),
                        H.button(S.save.text(lang)),
                    ])]))
            }
            kids.append(H.el("section", [("class", "card event"), ("id", "event-\(e.id.uuidString.prefix(8))"), ("data-held", e.held ? "1" : "0")], box))
        }
        if plan.status == .draft && manage {
            kids.append(H.form(Routes.cultureEvents(plan.id), [("id", "event-form"), ("class", "card phone-form")], [
                H.el("h2", [], text: S.addEvent.text(lang)),
                H.hidden("eventId", UUID().uuidString),
                H.field(S.eventTitle.text(lang), "ev-title", H.input([("type", "text"), ("id", "ev-title"), ("name", "title"), ("required", "required"), ("maxlength", "60")])),
                H.field(S.day.text(lang), "ev-day", H.input([("type", "date"), ("id", "ev-day"), ("name", "day"), ("required", "required"), ("min", "\(year)-01-01"), ("max", "\(year)-12-31")])),
                H.field(S.eventPlace.text(lang), "ev-place", H.input([("type", "text"), ("id", "ev-place"), ("name", "place"), ("required", "required"), ("maxlength", "100")])),
                H.field(S.budget.text(lang), "ev-budget", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "ev-budget"), ("name", "budget")])),
                H.button(S.addEvent.text(lang), [("id", "ev-save")]),
            ]))
            kids.append(H.form(Routes.cultureSubmit(plan.id), [("id", "submit-form")], [H.button(S.submit.text(lang), [("id", "plan-submit")])]))
        }
        if plan.status == .submitted && scope.policy.has(.approveCulturePlan) {
            kids.append(H.form(Routes.cultureDecide(plan.id), [("id", "decide-form"), ("class", "inline")], [
                H.el("button", [("type", "submit"), ("name", "decision"), ("value", "approve"), ("id", "plan-approve")], text: S.approve.text(lang)),
                H.el("button", [("type", "submit"), ("name", "decision"), ("value", "return"), ("id", "plan-return"), ("class", "secondary")], text: S.returnDraft.text(lang)),
            ]))
        }
        return Layout.page(title: Message(zh: "\(S.culture.zhHans) · \(year)", en: "\(S.culture.en) · \(year)"), request: req, frame: scope.frame,
                           communities: scope.communities, kids)
    }

    struct PlanForm: Content { var year: Int?; var title: String?; var goals: String?; var budget: String? }

    /// POST /c/:cid/culture — drafts the year's plan.
    static func draftPlan(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try CustomerRelationsAccess.community(raw, .manageCustomerRelations, req)
        var year: Int?
        do {
            let f = try req.content.decode(PlanForm.self)
            year = f.year
            _ = try await CustomerRelationsAccess.draftPlan(community: cid, year: f.year ?? 0, title: f.title ?? "", goals: f.goals ?? "",
                                                            budgetFen: try RenovationPages.fen(f.budget, field: "budget") ?? 0, req)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.culture(cid, year: year), redirectType: .normal)
    }

    struct EventForm: Content { var eventId: String?; var title: String?; var day: String?; var place: String?; var budget: String? }

    /// POST /culture-plans/:id/events
    static func addEvent(_ req: Request) async throws -> Response {
        let plan = try await CustomerRelationsAccess.plan(req.parameters.get("id") ?? "", req, .manageCustomerRelations)
        do {
            let f = try req.content.decode(EventForm.self)
            let id = try (f.eventId ?? "").isEmpty ? UUID() : Parse.uuid(f.eventId ?? "", field: "eventId")
            _ = try await CustomerRelationsAccess.addEvent(plan, id: id, title: f.title ?? "", day: f.day ?? "", place: f.place ?? "",
                                                           budgetFen: try RenovationPages.fen(f.budget, field: "budget") ?? 0, req)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.culture(plan.communityID, year: plan.year), redirectType: .normal)
    }

    /// POST /culture-plans/:id/submit
    static func submit(_ req: Request) async throws -> Response {
        let plan = try await CustomerRelationsAccess.plan(req.parameters.get("id") ?? "", req, .manageCustomerRelations)
        do {
            _ = try await CustomerRelationsAccess.submit(plan, req)
            Flash.set(req, Message(zh: "已提交服务中心负责人审批", en: "Submitted to the center head for approval"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.culture(plan.communityID, year: plan.year), redirectType: .normal)
    }

    struct DecideForm: Content { var decision: String? }

    /// POST /culture-plans/:id/decide — the center head only.
    static func decide(_ req: Request) async throws -> Response {
        let plan = try await CustomerRelationsAccess.plan(req.parameters.get("id") ?? "", req, .approveCulturePlan)
        do {
            let f = try req.content.decode(DecideForm.self)
            let p = try await CustomerRelationsAccess.decide(plan, approve: f.decision != "return", req)
            Flash.set(req, p.status == .approved ? Message(zh: "计划已批准", en: "The plan is approved") : Message(zh: "已退回修改", en: "Returned for changes"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.culture(plan.communityID, year: plan.year), redirectType: .normal)
    }

    struct RecordForm: Content { var attendance: String?; var record: String? }

    /// POST /culture-events/:id/record — attendance, what happened, photos.
    static func recordEvent(_ req: Request) async throws -> Response {
        let e = try await CustomerRelationsAccess.event(req.parameters.get("id") ?? "", req, .manageCustomerRelations)
        let year = Int(e.day.prefix(4))
        do {
            let f = try req.content.decode(RecordForm.self)
            guard let attendance = Int((f.attendance ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.invalid(field: "attendance", Message(zh: "参加人数应为数字", en: "Attendance is a number"))
            }
            let photos = try Photos.files(req).map { try EvidenceStore.check($0.bytes, kind: .photo, caption: "\(e.day) \(e.title)", signedBy: nil, field: "photos") }
            _ = try await CustomerRelationsAccess.recordEvent(e, attendance: attendance, record: f.record ?? "", photos: photos, req)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.culture(e.communityID, year: year), redirectType: .normal)
    }
}
