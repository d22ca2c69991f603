import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and act on interviews, common issues, rectifications and the culture plan (SEC-2,
/// CR-3, CR-4): readers see their community, an area supervisor only the records of their areas
/// (records of no area are the whole community's and seen by every reader); a record outside the
/// caller's reach is "not found". The one path for the API and the pages.
enum CustomerRelationsAccess {
    /// The community and the caller's areas (nil: all), with `permission`.
    static func community(_ raw: String, _ permission: Permission, _ req: Request) throws -> (UUID, Set<UUID>?) {
        try Scoped.community(raw, permission, req)
    }

    /// The caller's areas in a community (nil: all); nil reach → "not found".
    static func areas(_ community: UUID, _ policy: AccessPolicy) throws -> Set<UUID>? {
        switch policy.reach(community) {
        case .none: throw DomainError.notFound(Noun.subject)
        case .whole: return nil
        case .areas(let a): return a
        }
    }

    static func sees(_ community: UUID, _ area: UUID?, _ policy: AccessPolicy) -> Bool {
        switch policy.reach(community) {
        case .none: return false
        case .whole: return true
        case .areas(let a): return CustomerRelationsStore.visible(area, to: a)
        }
    }

    static func interview(_ raw: String, _ req: Request) async throws -> Interview {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.readCustomerRelations)
        guard let id = UUID(uuidString: raw), let i = try await req.store.customerRelations.interview(id), sees(i.communityID, i.areaID, policy) else {
            throw DomainError.notFound(Noun.subject)
        }
        return i
    }

    /// An issue the caller may see, and with `permission` act on.
    static func issue(_ raw: String, _ req: Request, _ permission: Permission = .readCustomerRelations) async throws -> CommonIssue {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let i = try await req.store.customerRelations.issue(id), sees(i.communityID, i.areaID, policy) else {
            throw DomainError.notFound(Noun.subject)
        }
        return i
    }

    /// A rectification the caller may see; `acting`: also mark done — the CS manager or head, or
    /// its owner.
    static func rectification(_ raw: String, _ req: Request, acting: Bool = false) async throws -> Rectification {
        let (p, policy) = try req.requireStaff()
        try policy.requireRole(.readCustomerRelations)
        guard let id = UUID(uuidString: raw), let r = try await req.store.customerRelations.rectification(id), sees(r.communityID, r.areaID, policy) else {
            throw DomainError.notFound(Noun.subject)
        }
        if acting, !policy.has(.manageCustomerRelations), r.ownerID != p.userID { throw DomainError.forbidden }
        return r
    }

    /// A culture plan of a community the caller reaches, and with `permission` acts on.
    static func plan(_ raw: String, _ req: Request, _ permission: Permission = .readCustomerRelations) async throws -> CulturePlan {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let p = try await req.store.customerRelations.plan(id), policy.reach(p.communityID) != .none else {
            throw DomainError.notFound(Noun.subject)
        }
        return p
    }

    static func event(_ raw: String, _ req: Request, _ permission: Permission = .readCustomerRelations) async throws -> CultureEvent {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let e = try await req.store.customerRelations.event(id), policy.reach(e.communityID) != .none else {
            throw DomainError.notFound(Noun.subject)
        }
        return e
    }

    // MARK: Use cases: the pages and the API do these the same way

    /// A month's interviews the caller may see, newest first (CR-3, S0 3.1); a malformed month is
    /// refused.
    static func interviews(_ c: Community, areas: Set<UUID>?, month: String, _ req: Request) async throws -> [Interview] {
        let range = try MonthSummary.range(month: month, timeZone: c.timeZone)
        return try await req.store.customerRelations.interviews(community: c.id, areas: areas, from: range.from, until: range.until)
    }

    /// The unit of a building's room, as a form names it; an empty room names none (a meeting).
    static func unit(community: UUID, building raw: String?, room: String?, _ req: Request) async throws -> UUID? {
        let room = (room ?? "").trimmingCharacters(in: .whitespaces)
        guard !room.isEmpty else { return nil }
        let building = try Parse.uuid(raw ?? "", field: "buildingId")
        guard let u = try await req.store.renovations.unit(community: community, building: building, room: room) else {
            throw DomainError.invalid(field: "room", Message(zh: "该楼栋没有房号 \(room)", en: "The building has no room \(room)"))
        }
        return u
    }

    /// Records an interview (CR-3, S0 3.1 "保留客户访谈记录"); the caller holds `recordInterviews` in
    /// `community` with `areas`. The same form (interview id) sent again saves nothing more:
    /// `created` is false and the first interview comes back — "not found" if it is beyond the
    /// caller's reach.
    static func record(_ input: CustomerRelationsStore.InterviewInput, community: UUID, areas: Set<UUID>?, _ req: Request) async throws -> (interview: Interview, created: Bool) {
        // `created` says whether this request saved it: of the same form sent at once, only one did.
        let r = try await req.store.customerRelations.recordInterview(input, community: community, areas: areas, by: req.actor)
        guard CustomerRelationsStore.visible(r.interview.areaID, to: areas) else { throw DomainError.notFound(Noun.subject) }
        return r
    }

    /// Points not yet grouped into a common issue, for those who group them (CR-3).
    static func ungroupedPoints(community: UUID, areas: Set<UUID>?, _ req: Request) async throws -> [CustomerRelationsStore.OpenPoint] {
        try await req.store.customerRelations.ungroupedPoints(community: community, areas: areas)
    }

    /// The common issues the caller may see, newest first, with how many points each groups.
    static func issues(community: UUID, areas: Set<UUID>?, _ req: Request) async throws -> [CommonIssue] {
        try await req.store.customerRelations.issues(community: community, areas: areas)
    }

    /// The measures the caller may see (of one issue, when given), by due day.
    static func rectifications(community: UUID, areas: Set<UUID>?, issue: UUID? = nil, _ req: Request) async throws -> [Rectification] {
        try await req.store.customerRelations.rectifications(community: community, areas: areas, issue: issue)
    }

    /// Groups points into a new common issue (CR-3, S0 3.1 "客户关注的共性问题"). The same form
    /// (issue id) sent again makes one issue.
    static func createIssue(id: UUID, community: UUID, areas: Set<UUID>?, areaID: UUID?, title: String, topic: InterviewTopic, points: [UUID],
                            _ req: Request) async throws -> CommonIssue {
        let i = try await req.store.customerRelations.createIssue(id: id, community: community, areaID: areaID, title: title, topic: topic, pointIDs: points,
                                                                  areas: areas, by: req.actor)
        guard CustomerRelationsStore.visible(i.areaID, to: areas) else { throw DomainError.notFound(Noun.subject) }
        return i
    }

    /// Adds points to an existing issue the caller manages; `community`, when given, must be the
    /// issue's (a form of one community naming another's issue finds nothing).
    static func group(_ points: [UUID], into raw: String, community: UUID?, _ req: Request) async throws -> CommonIssue {
        let issue = try await issue(raw, req, .manageCustomerRelations)
        if let community, issue.communityID != community { throw DomainError.notFound(Noun.subject) }
        let (_, policy) = try req.requireStaff()
        return try await req.store.customerRelations.group(points, into: issue.id, areas: try areas(issue.communityID, policy), by: req.actor)
    }

    /// Sets a measure against an issue the caller manages (CR-3): owner, due day, a deadline clock.
    static func rectify(_ issue: CommonIssue, id: UUID, measure: String, ownerID: UUID, dueDay: String, _ req: Request) async throws -> Rectification {
        try await req.store.customerRelations.rectify(issue: issue.id, id: id, measure: measure, ownerID: ownerID, dueDay: dueDay, by: req.actor)
    }

    /// Marks a measure done (the caller passed `rectification(_:_:acting: true)`): the clock stops and
    /// the result is published on the notice board once, however often it is sent.
    static func done(_ r: Rectification, note: String, _ req: Request) async throws -> Rectification {
        try await req.store.customerRelations.done(r.id, note: note, by: req.actor)
    }

    /// The year's plan of a community (nil: not drafted yet) and its events by day (CR-4).
    static func planFile(community: UUID, year: Int, _ req: Request) async throws -> (plan: CulturePlan?, events: [CultureEvent]) {
        let crs = req.store.customerRelations
        guard let plan = try await crs.plan(community: community, year: year) else { return (nil, []) }
        return (plan, try await crs.events(plan: plan.id))
    }

    /// Drafts the year's plan (CR-4, S0 3.2); one a year: sent again, the first comes back.
    static func draftPlan(community: UUID, year: Int, title: String, goals: String, budgetFen: Int, _ req: Request) async throws -> CulturePlan {
        try await req.store.customerRelations.draftPlan(community: community, year: year, title: title, goals: goals, budgetFen: budgetFen, by: req.actor)
    }

    /// Plans an event in a draft plan the caller manages; the same form (event id) plans it once.
    static func addEvent(_ plan: CulturePlan, id: UUID, title: String, day: String, place: String, budgetFen: Int, _ req: Request) async throws -> CultureEvent {
        try await req.store.customerRelations.planEvent(plan: plan.id, id: id, title: title, day: day, place: place, budgetFen: budgetFen, by: req.actor)
    }

    /// Submits a draft plan for the center head's approval.
    static func submit(_ plan: CulturePlan, _ req: Request) async throws -> CulturePlan {
        try await req.store.customerRelations.submit(plan: plan.id, by: req.actor)
    }

    /// The center head's decision (the caller passed `plan(_:_:.approveCulturePlan)`).
    static func decide(_ plan: CulturePlan, approve: Bool, _ req: Request) async throws -> CulturePlan {
        try await req.store.customerRelations.decide(plan: plan.id, approve: approve, by: req.actor)
    }

    /// Records a held event of the approved plan (S0 3.2 "保留活动开展记录"); photos, when any, are
    /// evidence on the event (the API sends them to the evidence operation instead).
    static func recordEvent(_ e: CultureEvent, attendance: Int, record: String, photos: [EvidenceStore.Upload], _ req: Request) async throws -> CultureEvent {
        try await req.store.customerRelations.recordEvent(e.id, attendance: attendance, record: record, photos: photos, by: req.actor)
    }

    static func eventSubject(_ e: CultureEvent) -> SubjectRef {
        SubjectRef(kind: .cultureEvent, id: e.id, communityID: e.communityID, areaID: nil, label: "\(e.day) \(e.title)")
    }

    static func rectificationSubject(_ r: Rectification) -> SubjectRef {
        SubjectRef(kind: .rectification, id: r.id, communityID: r.communityID, areaID: r.areaID, label: String(r.measure.prefix(30)))
    }
}
