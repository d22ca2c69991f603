import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Customer interviews and their rectifications (CR-3, S0 3.1), the year's culture plan and its
/// events (CR-4, S0 3.2). Interviews keep the points customers raised; points shared by several
/// customers are grouped into a common issue; each issue gets rectification measures with an owner
/// and a due day (a deadline clock alerts the owner when it passes); a measure done stops its
/// clock and its result is published on the notice board. The caller has decided that the actor
/// may see and act in the community and the areas it passes (`areas` nil: the whole community).
public struct CustomerRelationsStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    /// Publishes on the notice board (CR-1): `store.notices.publish`, idempotent by source.
    let publish: @Sendable (NoticeDraft, Actor) async throws -> Notice

    public init(db: any Database, now: @escaping @Sendable () -> Date, publish: @escaping @Sendable (NoticeDraft, Actor) async throws -> Notice) {
        self.db = db
        self.now = now
        self.publish = publish
    }

    /// Whether a record of `area` is seen by a caller limited to `areas`: records of no area
    /// (a community-wide meeting, a community-wide issue) are seen by every reader.
    public static func visible(_ area: UUID?, to areas: Set<UUID>?) -> Bool {
        guard let areas, let area else { return true }
        return areas.contains(area)
    }

    // MARK: Interviews (S0 3.1 "保留客户访谈记录")

    /// One interview as it is recorded. `interviewID` is made when the form is drawn: a form sent
    /// twice saves one interview.
    public struct InterviewInput: Sendable {
        public var interviewID: UUID
        /// The household spoken with; nil for a meeting.
        public var unitID: UUID?
        /// The area of a meeting without a unit (nil: the whole community).
        public var areaID: UUID?
        /// Where a meeting took place (used when there is no unit).
        public var place: String
        public var person: String
        public var channel: InterviewChannel
        /// When it took place; nil: now.
        public var at: Date?
        public var points: [(text: String, topic: InterviewTopic)]

        public init(interviewID: UUID, unitID: UUID?, areaID: UUID? = nil, place: String = "", person: String, channel: InterviewChannel, at: Date? = nil,
                    points: [(text: String, topic: InterviewTopic)]) {
            self.interviewID = interviewID
            self.unitID = unitID
            self.areaID = areaID
            self.place = place
            self.person = person
            self.channel = channel
            self.at = at
            self.points = points
        }
    }

    public func record(_ input: InterviewInput, community: UUID, areas: Set<UUID>?, by actor: Actor) async throws -> Interview {
        try await recordInterview(input, community: community, areas: areas, by: actor).interview
    }

    /// `record`, telling whether this call saved the interview (`created`) or found it saved by an
    /// earlier or a simultaneous sending of the same form.
    public func recordInterview(_ input: InterviewInput, community: UUID, areas: Set<UUID>?, by actor: Actor) async throws -> (interview: Interview, created: Bool) {
        func sameForm(_ first: Interview) throws -> (interview: Interview, created: Bool) {
            guard first.communityID == community, first.unitID == input.unitID else {
                throw DomainError.conflict(code: "interview_id_reused", Message(zh: "此表单编号已用于另一次访谈", en: "This form's id was already used for another interview"))
            }
            return (first, false)
        }
        if let first = try await interview(input.interviewID) { return try sameForm(first) }
        let person = try Validate.text(input.person, field: "person", max: 60, required: true)
        let points = try input.points.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map { p in
            (text: try Validate.text(p.text, field: "points", max: 500, required: true), topic: p.topic)
        }
        guard !points.isEmpty else {
            throw DomainError.invalid(field: "points", Message(zh: "请至少记录一条客户意见", en: "Record at least one point the customer raised"))
        }
        guard points.count <= Interview.maxPoints else {
            throw DomainError.invalid(field: "points", Message(zh: "一次访谈最多记录 \(Interview.maxPoints) 条意见", en: "At most \(Interview.maxPoints) points per interview"))
        }
        let at = now()
        let when = input.at ?? at
        guard when <= at.addingTimeInterval(600), when > at.addingTimeInterval(-400 * 86400) else {
            throw DomainError.invalid(field: "at", Message(zh: "访谈时间不能在将来,也不能早于一年多以前", en: "The interview cannot be in the future or more than a year ago"))
        }
        var areaID: UUID?, unitLabel: String
        if let unitID = input.unitID {
            guard let unit = try await UnitModel.find(unitID, on: db), unit.communityID == community,
                  areas.map({ a in unit.areaID.map(a.contains) ?? false }) ?? true else { throw DomainError.notFound(Noun.unit) }
            areaID = unit.areaID
            unitLabel = try await RegistryStore.unitLabels([unitID], on: db)[unitID] ?? unit.roomNumber
        } else {
            guard input.channel == .meeting else {
                throw DomainError.invalid(field: "unitId", Message(zh: "上门或电话访谈请选择房屋", en: "Choose the household for a visit or a phone interview"))
            }
            if let a = input.areaID {
                guard let area = try await AreaModel.find(a, on: db), area.communityID == community else { throw DomainError.notFound(Noun.area) }
            }
            // An area-limited recorder holds meetings in their own areas only.
            if let areas { guard let a = input.areaID, areas.contains(a) else { throw DomainError.notFound(Noun.area) } }
            areaID = input.areaID
            unitLabel = try Validate.text(input.place, field: "place", max: 60, required: true)
        }
        let interview = Interview(id: input.interviewID, communityID: community, areaID: areaID, unitID: input.unitID, unitLabel: unitLabel, person: person,
                                  channel: input.channel, at: when, byID: actor.userID, byName: actor.name,
                                  points: points.map { InterviewPoint(interviewID: input.interviewID, text: $0.text, topic: $0.topic) })
        do {
            try await db.writeTransaction { tx in
                try await InterviewModel(interview).create(on: tx)
                for (i, p) in interview.points.enumerated() { try await InterviewPointModel(p, community: community, seq: i + 1).create(on: tx) }
                try await AuditLog(db: tx).record(actor, .create, entity: "interview", id: interview.id, community: community,
                                                  after: ["unit": interview.unitLabel, "channel": interview.channel.rawValue, "points": String(points.count)], at: at)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await self.interview(input.interviewID) { return try sameForm(first) }
            throw error
        }
        return (interview, true)
    }

    public func interview(_ id: UUID) async throws -> Interview? {
        guard let m = try await InterviewModel.find(id, on: db) else { return nil }
        let points = try await InterviewPointModel.query(on: db).filter(\.$interviewID == id).sort(\.$seq).all().map(\.domain)
        return m.domain(points: points)
    }

    /// Interviews of a community in [from, until), newest first, with their points.
    public func interviews(community: UUID, areas: Set<UUID>?, from: Date, until: Date, limit: Int = 500) async throws -> [Interview] {
        let q = InterviewModel.query(on: db).filter(\.$communityID == community).filter(\.$at >= from).filter(\.$at < until)
        if let areas { q.group(.or) { $0.filter(\.$areaID ~~ Array(areas)).filter(\.$areaID == nil) } }
        let rows = try await q.sort(\.$at, .descending).limit(limit).all()
        let ids = rows.compactMap(\.id)
        var points: [UUID: [InterviewPoint]] = [:]
        if !ids.isEmpty {
            for p in try await InterviewPointModel.query(on: db).filter(\.$interviewID ~~ ids).sort(\.$seq).all() { points[p.interviewID, default: []].append(p.domain) }
        }
        return rows.map { $0.domain(points: points[$0.id!] ?? []) }
    }

    /// A point not yet grouped, with where it came from.
    public struct OpenPoint: Sendable {
        public let point: InterviewPoint
        public let interview: Interview
    }

    /// The points not yet grouped into a common issue (the last year's), newest first.
    public func ungroupedPoints(community: UUID, areas: Set<UUID>?, limit: Int = 300) async throws -> [OpenPoint] {
        let points = try await InterviewPointModel.query(on: db).filter(\.$communityID == community).filter(\.$issueID == nil).all()
        guard !points.isEmpty else { return [] }
        let from = now().addingTimeInterval(-400 * 86400)
        let interviews = try await InterviewModel.query(on: db).filter(\.$id ~~ Set(points.map(\.interviewID))).filter(\.$at >= from).all()
            .filter { Self.visible($0.areaID, to: areas) }
        let byID = Dictionary(uniqueKeysWithValues: interviews.map { ($0.id!, $0.domain(points: [])) })
        return points.compactMap { p in byID[p.interviewID].map { OpenPoint(point: p.domain, interview: $0) } }
            .sorted { $0.interview.at > $1.interview.at }.prefix(limit).map { $0 }
    }

    // MARK: Common issues (S0 3.1 "客户关注的共性问题")

    static func title(_ raw: String) throws -> String { try Validate.text(raw, field: "title", max: 60, required: true) }

    /// Groups points into a new common issue. `id` is made when the form is drawn: a form sent twice
    /// makes one issue.
    public func createIssue(id: UUID, community: UUID, areaID: UUID?, title: String, topic: InterviewTopic, pointIDs: [UUID], areas: Set<UUID>?,
                            by actor: Actor) async throws -> CommonIssue {
        func sameForm(_ first: CommonIssue) throws -> CommonIssue {
            guard first.communityID == community else { throw DomainError.conflict(code: "issue_id_reused", Message(zh: "表单编号已被使用", en: "This form's id was used already")) }
            return first
        }
        if let first = try await issue(id) { return try sameForm(first) }
        let title = try Self.title(title)
        if let a = areaID {
            guard let area = try await AreaModel.find(a, on: db), area.communityID == community, Self.visible(a, to: areas) else { throw DomainError.notFound(Noun.area) }
        } else if areas != nil {
            throw DomainError.invalid(field: "areaId", Message(zh: "请选择责任区域", en: "Choose the area"))
        }
        let at = now()
        let issue = CommonIssue(id: id, communityID: community, areaID: areaID, title: title, topic: topic, pointCount: 0, createdAt: at, byName: actor.name)
        do {
            try await db.writeTransaction { tx in
                try await CommonIssueModel(issue).create(on: tx)
                try await Self.link(pointIDs, to: issue, areas: areas, on: tx)
                try await AuditLog(db: tx).record(actor, .create, entity: "common_issue", id: id, community: community, after: ["title": title], at: at)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same form sent at the same time: the first sending made the issue.
            if let first = try await self.issue(id) { return try sameForm(first) }
            throw error
        }
        return try await self.issue(id) ?? issue
    }

    /// Adds points to an existing issue (a point already grouped elsewhere stays where it is).
    public func group(_ pointIDs: [UUID], into issueID: UUID, areas: Set<UUID>?, by actor: Actor) async throws -> CommonIssue {
        guard let issue = try await issue(issueID) else { throw DomainError.notFound(Noun.subject) }
        try await db.writeTransaction { tx in try await Self.link(pointIDs, to: issue, areas: areas, on: tx) }
        return try await self.issue(issueID) ?? issue
    }

    static func link(_ pointIDs: [UUID], to issue: CommonIssue, areas: Set<UUID>?, on tx: any Database) async throws {
        guard !pointIDs.isEmpty else { return }
        guard pointIDs.count <= 200 else {
            throw DomainError.invalid(field: "pointIds", Message(zh: "一次最多归并 200 条意见", en: "At most 200 points at a time"))
        }
        let points = try await InterviewPointModel.query(on: tx).filter(\.$id ~~ pointIDs).filter(\.$communityID == issue.communityID).all()
        let interviews = Dictionary(uniqueKeysWithValues: try await InterviewModel.query(on: tx).filter(\.$id ~~ Set(points.map(\.interviewID))).all()
            .map { ($0.id!, $0.areaID) })
        // A point of another community or outside the caller's areas is "not found".
        guard points.count == Set(pointIDs).count, points.allSatisfy({ Self.visible(interviews[$0.interviewID] ?? nil, to: areas) }) else {
            throw DomainError.notFound(Noun.subject)
        }
        let ids = points.filter { $0.issueID == nil }.compactMap(\.id)
        guard !ids.isEmpty else { return }
        try await InterviewPointModel.query(on: tx).filter(\.$id ~~ ids).filter(\.$issueID == nil).set(\.$issueID, to: issue.id).update()
    }

    public func issue(_ id: UUID) async throws -> CommonIssue? {
        guard let m = try await CommonIssueModel.find(id, on: db) else { return nil }
        return m.domain(count: try await InterviewPointModel.query(on: db).filter(\.$issueID == id).count())
    }

    /// A community's common issues, newest first, with how many points each groups.
    public func issues(community: UUID, areas: Set<UUID>?, limit: Int = 200) async throws -> [CommonIssue] {
        let rows = try await CommonIssueModel.query(on: db).filter(\.$communityID == community).sort(\.$createdAt, .descending).limit(limit).all()
            .filter { Self.visible($0.areaID, to: areas) }
        let ids = rows.compactMap(\.id)
        var counts: [UUID: Int] = [:]
        if !ids.isEmpty {
            for p in try await InterviewPointModel.query(on: db).filter(\.$issueID ~~ ids).all() { if let i = p.issueID { counts[i, default: 0] += 1 } }
        }
        return rows.map { $0.domain(count: counts[$0.id!] ?? 0) }
    }

    /// The points grouped into an issue, with their interviews.
    public func points(issue: UUID) async throws -> [OpenPoint] {
        let points = try await InterviewPointModel.query(on: db).filter(\.$issueID == issue).all()
        guard !points.isEmpty else { return [] }
        let byID = Dictionary(uniqueKeysWithValues: try await InterviewModel.query(on: db).filter(\.$id ~~ Set(points.map(\.interviewID))).all()
            .map { ($0.id!, $0.domain(points: [])) })
        return points.compactMap { p in byID[p.interviewID].map { OpenPoint(point: p.domain, interview: $0) } }.sorted { $0.interview.at < $1.interview.at }
    }

    // MARK: Rectifications (S0 3.1 "制定整改措施并落实公示")

    static func subject(_ r: Rectification, label: String) -> SubjectRef {
        SubjectRef(kind: .rectification, id: r.id, communityID: r.communityID, areaID: r.areaID, label: label)
    }

    static func entry(_ r: Rectification, _ kind: String, _ actor: Actor, _ at: Date, note: String? = nil, data: [String: String] = [:]) -> TimelineEntry {
        TimelineEntry(subjectKind: .rectification, subjectID: r.id, communityID: r.communityID, seq: 0, kind: kind, actorID: actor.userID, actorName: actor.name,
                      at: at, note: note, data: data)
    }

    /// Sets a measure against an issue: its owner (a staff member of the community), its due day
    /// (today or later, within a year). Starts the deadline clock that alerts the owner when the
    /// day ends with the measure still open. `id` made with the form: sent twice, set once.
    public func rectify(issue issueID: UUID, id: UUID, measure: String, ownerID: UUID, dueDay: String, by actor: Actor) async throws -> Rectification {
        func sameForm(_ first: Rectification) throws -> Rectification {
            guard first.issueID == issueID else { throw DomainError.conflict(code: "rectification_id_reused", Message(zh: "表单编号已被使用", en: "This form's id was used already")) }
            return first
        }
        if let first = try await rectification(id) { return try sameForm(first) }
        guard let issue = try await issue(issueID), let c = try await CommunityModel.find(issue.communityID, on: db) else { throw DomainError.notFound(Noun.subject) }
        let measure = try Validate.text(measure, field: "measure", max: 1000, required: true)
        guard let owner = try await UserModel.find(ownerID, on: db), owner.active, Self.mayOwn(owner.role),
              try await UserScopeModel.query(on: db).filter(\.$userID == ownerID).filter(\.$communityID == issue.communityID).count() > 0 else {
            throw DomainError.invalid(field: "ownerId", Message(zh: "责任人应为本小区在职的客服人员(可查看客户关系记录的岗位)", en: "The owner must be an active member of this community's customer-service staff (a role that sees the customer-relations records)"))
        }
        let at = now()
        guard let due = PatrolCoverage.day(dueDay.trimmingCharacters(in: .whitespaces), timeZone: c.timeZone) else {
            throw DomainError.invalid(field: "dueDay", Message(zh: "完成日期格式应为 2026-11-30", en: "A due day looks like 2026-11-30"))
        }
        guard due.end > at, due.start < at.addingTimeInterval(366 * 86400) else {
            throw DomainError.invalid(field: "dueDay", Message(zh: "完成日期应在今天至一年之内", en: "The due day must be between today and a year from now"))
        }
        let r = Rectification(id: id, issueID: issueID, communityID: issue.communityID, areaID: issue.areaID, measure: measure, ownerID: ownerID,
                              ownerName: owner.displayName, dueDay: due.label, dueAt: due.end, createdAt: at)
        do {
            try await db.writeTransaction { tx in
                try await RectificationModel(r).create(on: tx)
                try await TimelineStore(db: tx).append([Self.entry(r, "created", actor, at, data: [
                    "issue": issue.title, "measure": measure, "owner": r.ownerName, "dueDay": r.dueDay])])
                try await ClockRows.startDeadline(.rectification, r.id, community: r.communityID, from: at, due: r.dueAt, on: tx)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same form sent at the same time: the first sending set the measure and its clock.
            if let first = try await rectification(id) { return try sameForm(first) }
            throw error
        }
        return r
    }

    /// Who may own a measure: the community's active staff whose role can open the issues page and
    /// mark the measure done (readCustomerRelations) — an owner who could not would only collect alerts.
    public func owners(community: UUID) async throws -> [Assignee] {
        let ids = try await UserScopeModel.query(on: db).filter(\.$communityID == community).all().map(\.userID)
        guard !ids.isEmpty else { return [] }
        return try await UserModel.query(on: db).filter(\.$id ~~ Set(ids)).filter(\.$active == true)
            .sort(\.$displayName).all().filter { Self.mayOwn($0.role) }.map { Assignee(id: $0.id!, name: $0.displayName) }
    }

    static func mayOwn(_ role: String) -> Bool {
        Role(rawValue: role).map { Permission.granted(to: $0).contains(.readCustomerRelations) } ?? false
    }

    public func rectification(_ id: UUID) async throws -> Rectification? { try await RectificationModel.find(id, on: db)?.domain }

    /// A community's rectifications (of some areas, of one issue), by due day.
    public func rectifications(community: UUID, areas: Set<UUID>?, issue: UUID? = nil, limit: Int = 500) async throws -> [Rectification] {
        let q = RectificationModel.query(on: db).filter(\.$communityID == community)
        if let issue { q.filter(\.$issueID == issue) }
        return try await q.sort(\.$dueAt).limit(limit).all().map(\.domain).filter { Self.visible($0.areaID, to: areas) }
    }

    /// Rectifications due in [from, until): what S0 3.1's duty judges.
    public func rectifications(community: UUID, dueFrom from: Date, until: Date) async throws -> [Rectification] {
        try await RectificationModel.query(on: db).filter(\.$communityID == community).filter(\.$dueAt > from).filter(\.$dueAt <= until)
            .sort(\.$dueAt).all().map(\.domain)
    }

    /// Marks a measure done: its clock stops and the result is published on the notice board
    /// (kind 整改公示, source "rectification:<id>", to the issue's area or the whole community). Sent
    /// again, nothing changes — and a publication that failed the first time is made now.
    public func done(_ id: UUID, note: String, by actor: Actor) async throws -> Rectification {
        guard var r = try await rectification(id), let issue = try await issue(r.issueID) else { throw DomainError.notFound(Noun.subject) }
        var doneBy: Actor?
        if r.status == .open {
            let note = try Validate.text(note, field: "note", max: 1000, required: true)
            let at = now()
            r.status = .done
            r.doneAt = at
            r.doneNote = note
            r.doneByName = actor.name
            let done = r
            let changed = try await db.writeTransaction { tx -> Bool in
                _ = try await tx.lockRows("rectifications", community: done.communityID, ids: [id], skipLocked: false)
                guard try await RectificationModel.query(on: tx).filter(\.$id == id).filter(\.$status == RectificationStatus.open.rawValue).count() == 1 else { return false }
                try await RectificationModel.query(on: tx).filter(\.$id == id).set(\.$status, to: RectificationStatus.done.rawValue).set(\.$doneAt, to: at)
                    .set(\.$doneNote, to: note).set(\.$doneByName, to: actor.name).update()
                try await ClockRows.stopDeadline(.rectification, id, community: done.communityID, at: at, on: tx)
                try await TimelineStore(db: tx).append([Self.entry(done, "done", actor, at, note: note, data: [
                    "dueDay": done.dueDay, "late": done.doneLate ? "yes" : "no"])])
                return true
            }
            r = changed ? done : (try await rectification(id) ?? done)
            if changed { doneBy = actor }
        }
        guard r.noticeID == nil else { return r }
        // The notice is published by whoever marked the measure done (CR-3), not by whichever
        // request — a repeat, a simultaneous one — reaches the board first.
        let publisher: Actor
        if let doneBy { publisher = doneBy } else { publisher = try await markedDoneBy(r) }
        let notice = try await publish(Self.notice(r, issue: issue), publisher)
        try await RectificationModel.query(on: db).filter(\.$id == id).set(\.$noticeID, to: notice.id).update()
        r.noticeID = notice.id
        return r
    }

    /// Who marked a measure done, as its timeline's "done" entry says.
    func markedDoneBy(_ r: Rectification) async throws -> Actor {
        let entries = try await TimelineStore(db: db).entries(.rectification, r.id)
        if let e = entries.last(where: { $0.kind == "done" }) { return Actor(userID: e.actorID, name: e.actorName) }
        return Actor(userID: nil, name: r.doneByName ?? "")
    }

    /// What the board says when a measure is done (S0 3.1 "落实公示"): two weeks up.
    static func notice(_ r: Rectification, issue: CommonIssue) -> NoticeDraft {
        let at = r.doneAt ?? Date()
        let title = String("整改公示:\(issue.title)".prefix(NoticeDraft.maxTitle))
        let body = """
            各位业主、住户:

            针对近期客户访谈中反映的「\(issue.title)」问题(共 \(issue.pointCount) 条意见),服务中心制定了以下整改措施:
            \(r.measure)

            整改完成情况:\(r.doneNote ?? "")
            责任人:\(r.ownerName);计划完成日期:\(r.dueDay)。

            感谢您的理解与支持,如有意见请联系服务中心。
            """
        return NoticeDraft(communityID: r.communityID, kind: .rectification, title: title, body: String(body.prefix(NoticeDraft.maxBody)), areaID: r.areaID,
                           startsAt: at, expiresAt: at.addingTimeInterval(14 * 86400), source: "rectification:\(r.id.uuidString)")
    }

    // MARK: The culture plan (S0 3.2 "编制年度社区文化建设计划,按计划开展小区活动")

    static let notDraft = DomainError.conflict(code: "plan_not_draft", Message(zh: "计划已提交,不能再修改", en: "The plan is submitted; it cannot be changed"))

    /// Drafts the year's plan; a community has one plan a year (sent twice: the first is returned).
    public func draftPlan(community: UUID, year: Int, title: String, goals: String, budgetFen: Int, by actor: Actor) async throws -> CulturePlan {
        let year = try CustomerRelationsInput.year(year)
        if let first = try await plan(community: community, year: year) { return first }
        let title = try Self.title(title)
        let goals = try Validate.text(goals, field: "goals", max: 2000, required: false)
        let budget = try CustomerRelationsInput.fen(budgetFen, field: "budgetFen")
        let at = now()
        let p = CulturePlan(id: UUID(), communityID: community, year: year, title: title, goals: goals, budgetFen: budget, createdAt: at, createdByName: actor.name)
        do {
            try await db.writeTransaction { tx in
                try await CulturePlanModel(p).create(on: tx)
                try await AuditLog(db: tx).record(actor, .create, entity: "culture_plan", id: p.id, community: community, after: ["year": String(year)], at: at)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await plan(community: community, year: year) { return first }
            throw error
        }
        return p
    }

    public func plan(_ id: UUID) async throws -> CulturePlan? { try await CulturePlanModel.find(id, on: db)?.domain }

    public func plan(community: UUID, year: Int) async throws -> CulturePlan? {
        try await CulturePlanModel.query(on: db).filter(\.$communityID == community).filter(\.$year == year).first()?.domain
    }

    /// How many events a year's plan may hold (CR-4).
    static let maxEvents = 60

    /// Plans an event in a draft plan; its day must fall in the plan's year. `id` made with the form.
    /// The plan's row is locked while the event is added, so that a submission checks either all
    /// of the events added before it or none added after it, and the 60-event cap holds.
    public func planEvent(plan planID: UUID, id: UUID, title: String, day: String, place: String, budgetFen: Int, by actor: Actor) async throws -> CultureEvent {
        @Sendable func sameForm(_ first: CultureEvent) throws -> CultureEvent {
            guard first.planID == planID else { throw DomainError.conflict(code: "event_id_reused", Message(zh: "表单编号已被使用", en: "This form's id was used already")) }
            return first
        }
        if let first = try await event(id) { return try sameForm(first) }
        guard let p = try await plan(planID), let c = try await CommunityModel.find(p.communityID, on: db) else { throw DomainError.notFound(Noun.subject) }
        guard p.status == .draft else { throw Self.notDraft }
        let title = try Self.title(title)
        let place = try Validate.text(place, field: "place", max: 100, required: true)
        let budget = try CustomerRelationsInput.fen(budgetFen, field: "budgetFen")
        guard let d = PatrolCoverage.day(day.trimmingCharacters(in: .whitespaces), timeZone: c.timeZone), d.label.hasPrefix("\(p.year)-") else {
            throw DomainError.invalid(field: "day", Message(zh: "活动日期应为计划年度内的日期,如 \(p.year)-05-01", en: "The day must be in the plan's year, like \(p.year)-05-01"))
        }
        let e = CultureEvent(id: id, planID: planID, communityID: p.communityID, title: title, day: d.label, place: place, budgetFen: budget)
        do {
            return try await db.writeTransaction { tx in
                _ = try await tx.lockRows("culture_plans", community: p.communityID, ids: [planID], skipLocked: false)
                // The same form sent at the same time waited for the lock: the first sending added it.
                if let first = try await CultureEventModel.find(id, on: tx)?.domain { return try sameForm(first) }
                guard let held = try await CulturePlanModel.find(planID, on: tx), held.status == CulturePlanStatus.draft.rawValue else { throw Self.notDraft }
                guard try await CultureEventModel.query(on: tx).filter(\.$planID == planID).count() < Self.maxEvents else {
                    throw DomainError.invalid(field: "day", Message(zh: "一个年度计划最多 \(Self.maxEvents) 项活动", en: "At most \(Self.maxEvents) events in a year's plan"))
                }
                try await CultureEventModel(e).create(on: tx)
                return e
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await event(id) { return try sameForm(first) }
            throw error
        }
    }

    public func event(_ id: UUID) async throws -> CultureEvent? { try await CultureEventModel.find(id, on: db)?.domain }

    public func events(plan: UUID) async throws -> [CultureEvent] {
        try await CultureEventModel.query(on: db).filter(\.$planID == plan).sort(\.$day).all().map(\.domain)
    }

    /// Submits the draft for the center head's approval: it must plan at least one event and its
    /// events' budgets must fit in the year's budget. The checks and the change are made under the
    /// plan's row lock (no event slips in after the budget check); a plan no longer a draft — the
    /// same submission sent twice — comes back as it is, with nothing written.
    public func submit(plan planID: UUID, by actor: Actor) async throws -> CulturePlan {
        guard let first = try await plan(planID) else { throw DomainError.notFound(Noun.subject) }
        guard first.status == .draft else { return first }
        let at = now()
        return try await db.writeTransaction { tx in
            _ = try await tx.lockRows("culture_plans", community: first.communityID, ids: [planID], skipLocked: false)
            guard var p = try await CulturePlanModel.find(planID, on: tx)?.domain else { throw DomainError.notFound(Noun.subject) }
            guard p.status == .draft else { return p }
            let events = try await CultureEventModel.query(on: tx).filter(\.$planID == planID).all()
            guard !events.isEmpty else {
                throw DomainError.invalid(field: "events", Message(zh: "计划中至少要有一项活动", en: "The plan needs at least one event"))
            }
            let sum = events.map(\.budgetFen).reduce(0, +)
            guard sum <= p.budgetFen else {
                throw DomainError.invalid(field: "budgetFen", Message(
                    zh: "活动预算合计 \(CustomerRelationsInput.yuan(sum)) 元,超出年度预算 \(CustomerRelationsInput.yuan(p.budgetFen)) 元",
                    en: "The events' budgets add up to \(CustomerRelationsInput.yuan(sum)) yuan, more than the year's \(CustomerRelationsInput.yuan(p.budgetFen))"))
            }
            try await CulturePlanModel.query(on: tx).filter(\.$id == planID).filter(\.$status == CulturePlanStatus.draft.rawValue)
                .set(\.$status, to: CulturePlanStatus.submitted.rawValue).set(\.$submittedAt, to: at).update()
            try await AuditLog(db: tx).record(actor, .update, entity: "culture_plan", id: planID, community: p.communityID, before: ["status": "draft"],
                                              after: ["status": "submitted"], at: at)
            p.status = .submitted
            p.submittedAt = at
            return p
        }
    }

    static let notSubmitted = DomainError.conflict(code: "plan_not_submitted", Message(zh: "计划尚未提交审批", en: "The plan has not been submitted"))

    /// The center head's decision on a submitted plan (the caller checked the head's permission):
    /// approved, or returned to draft for changes. Made under the plan's row lock, so that of
    /// decisions sent at once exactly one is written (one audit entry); a different decision
    /// arriving after it is a conflict, the same approval again returns the approved plan.
    public func decide(plan planID: UUID, approve: Bool, by actor: Actor) async throws -> CulturePlan {
        guard let first = try await plan(planID) else { throw DomainError.notFound(Noun.subject) }
        if first.status == .approved && approve { return first }
        guard first.status == .submitted else { throw Self.notSubmitted }
        let at = now()
        let to: CulturePlanStatus = approve ? .approved : .draft
        return try await db.writeTransaction { tx in
            _ = try await tx.lockRows("culture_plans", community: first.communityID, ids: [planID], skipLocked: false)
            guard var p = try await CulturePlanModel.find(planID, on: tx)?.domain else { throw DomainError.notFound(Noun.subject) }
            if p.status == .approved && approve { return p }
            guard p.status == .submitted else { throw Self.notSubmitted }
            let q = CulturePlanModel.query(on: tx).filter(\.$id == planID).filter(\.$status == CulturePlanStatus.submitted.rawValue).set(\.$status, to: to.rawValue)
            if approve { q.set(\.$approvedAt, to: at).set(\.$approvedByName, to: actor.name) }
            try await q.update()
            try await AuditLog(db: tx).record(actor, .update, entity: "culture_plan", id: planID, community: p.communityID, before: ["status": "submitted"],
                                              after: ["status": to.rawValue], at: at)
            p.status = to
            if approve { p.approvedAt = at; p.approvedByName = actor.name }
            return p
        }
    }

    /// Records a held event of an approved plan (S0 3.2 "保留活动开展记录"): attendance, what
    /// happened, photos as evidence on the event. Written again, the record is corrected.
    public func recordEvent(_ id: UUID, attendance: Int, record: String, photos: [EvidenceStore.Upload], by actor: Actor) async throws -> CultureEvent {
        guard var e = try await event(id), let p = try await plan(e.planID), let c = try await CommunityModel.find(e.communityID, on: db) else {
            throw DomainError.notFound(Noun.subject)
        }
        guard p.status == .approved else {
            throw DomainError.conflict(code: "plan_not_approved", Message(zh: "年度计划尚未批准", en: "The year's plan is not approved yet"))
        }
        let at = now()
        guard let day = PatrolCoverage.day(e.day, timeZone: c.timeZone), day.start <= at else {
            throw DomainError.invalid(field: "record", Message(zh: "活动尚未开始,不能登记记录", en: "The event has not taken place yet"))
        }
        guard (0...100_000).contains(attendance) else {
            throw DomainError.invalid(field: "attendance", Message(zh: "参与人数应在 0 至 100000 之间", en: "Attendance must be between 0 and 100,000"))
        }
        let record = try Validate.text(record, field: "record", max: 2000, required: true)
        e.attendance = attendance
        e.record = record
        e.recordedAt = at
        e.recordedByName = actor.name
        let held = e
        try await db.writeTransaction { tx in
            try await CultureEventModel.query(on: tx).filter(\.$id == id).set(\.$attendance, to: attendance).set(\.$record, to: record)
                .set(\.$recordedAt, to: at).set(\.$recordedByName, to: actor.name).update()
            let subject = SubjectRef(kind: .cultureEvent, id: id, communityID: held.communityID, areaID: nil, label: "\(held.day) \(held.title)")
            _ = try await EvidenceStore(db: tx, now: { at }).attach(photos, to: subject, by: actor, limit: Evidence.maxPerSubject)
        }
        return held
    }
}

/// Fires the due day of a rectification (CR-3): if it is still open, its owner is alerted and the
/// rectification's timeline says so; a done one stopped its clock already.
struct RectificationDeadlines: SubjectHandler {
    var kind: SubjectKind { .rectification }

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        var report = SweepReport()
        for c in clocks {
            try await ClockRows.breach(c, on: tx)
            guard let r = try await tx.lockedFind(RectificationModel.self, c.subjectID, community: c.communityID)?.domain, r.status == .open else {
                report.skipped += 1
                continue
            }
            let title = try await CommonIssueModel.find(r.issueID, on: tx)?.title ?? ""
            let alert = Alert(communityID: r.communityID, subjectKind: .rectification, subjectID: r.id, subjectLabel: "整改 · \(title)", areaID: r.areaID,
                              kind: .deadlinePassed, clockKind: c.kind, level: .assignee, targetUserID: r.ownerID, raisedAt: at, dueAt: c.dueAt)
            try await AlertModel(alert).create(on: tx)
            try await TimelineStore(db: tx).append([CustomerRelationsStore.entry(r, "deadline_passed", DutyStore.system, at, note: alert.message.zhHans,
                                                                                 data: ["owner": r.ownerName, "dueDay": r.dueDay])])
            try await LiveEvents.publish(alert: alert, subject: alert.subject, on: tx, at: at)
            report.fired += 1
            report.alerts += 1
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        guard let r = try await RectificationModel.find(alert.subjectID, on: tx)?.domain else { return }
        try await TimelineStore(db: tx).append([CustomerRelationsStore.entry(r, "acknowledged", actor, at, note: alert.acknowledgeNote,
                                                                             data: ["alert": alert.kind.rawValue])])
    }
}
