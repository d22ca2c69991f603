import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Customer interviews, common issues and rectifications (CR-3, S0 3.1) and the year's culture
/// plan (CR-4, S0 3.2) over JSON: the same use cases (`CustomerRelationsAccess`) and store as the
/// pages. Money in fen; an event's photos go to the evidence operation (subject culture_event).
extension APIHandler {
    static func interview(_ i: Interview) throws -> Components.Schemas.Interview {
        .init(id: i.id.uuidString, communityId: i.communityID.uuidString, areaId: i.areaID?.uuidString, unitId: i.unitID?.uuidString, unitLabel: i.unitLabel,
              person: i.person, channel: try convert(i.channel), at: i.at, byName: i.byName,
              points: try i.points.map {
                  .init(id: $0.id.uuidString, interviewId: $0.interviewID.uuidString, text: $0.text, topic: try convert($0.topic), issueId: $0.issueID?.uuidString)
              })
    }

    static func commonIssue(_ i: CommonIssue) throws -> Components.Schemas.CommonIssue {
        .init(id: i.id.uuidString, communityId: i.communityID.uuidString, areaId: i.areaID?.uuidString, title: i.title, topic: try convert(i.topic),
              pointCount: i.pointCount, createdAt: i.createdAt, byName: i.byName)
    }

    static func rectification(_ r: Rectification, at now: Date) throws -> Components.Schemas.Rectification {
        .init(id: r.id.uuidString, issueId: r.issueID.uuidString, communityId: r.communityID.uuidString, areaId: r.areaID?.uuidString, measure: r.measure,
              ownerId: r.ownerID.uuidString, ownerName: r.ownerName, dueDay: r.dueDay, dueAt: r.dueAt, status: try convert(r.status),
              overdue: r.isOverdue(at: now), doneLate: r.doneLate, createdAt: r.createdAt, doneAt: r.doneAt, doneNote: r.doneNote, doneBy: r.doneByName,
              noticeId: r.noticeID?.uuidString)
    }

    static func culturePlan(_ p: CulturePlan) throws -> Components.Schemas.CulturePlan {
        .init(id: p.id.uuidString, communityId: p.communityID.uuidString, year: p.year, title: p.title, goals: p.goals, budget: p.budgetFen,
              status: try convert(p.status), createdAt: p.createdAt, createdBy: p.createdByName, submittedAt: p.submittedAt, approvedAt: p.approvedAt,
              approvedBy: p.approvedByName)
    }

    static func cultureEvent(_ e: CultureEvent) -> Components.Schemas.CultureEvent {
        .init(id: e.id.uuidString, planId: e.planID.uuidString, communityId: e.communityID.uuidString, title: e.title, day: e.day, place: e.place,
              budget: e.budgetFen, held: e.held, attendance: e.attendance, record: e.record, recordedAt: e.recordedAt, recordedBy: e.recordedByName)
    }

    // MARK: Interviews (CR-3, S0 3.1)

    func listInterviews(_ input: Operations.ListInterviews.Input) async throws -> Operations.ListInterviews.Output {
        let req = try RequestContext.current
        let (id, areas) = try CustomerRelationsAccess.community(input.path.communityId, .readCustomerRelations, req)
        guard let c = try await req.store.registry.community(id) else { throw DomainError.notFound(Noun.community) }
        let month = try ReportPeriod.month(input.query.month, timeZone: c.timeZone, now: req.application.propdesk.now())
        return .ok(.init(body: .json(try await CustomerRelationsAccess.interviews(c, areas: areas, month: month, req).map(Self.interview))))
    }

    func recordInterview(_ input: Operations.RecordInterview.Input) async throws -> Operations.RecordInterview.Output {
        let req = try RequestContext.current
        let (community, areas) = try CustomerRelationsAccess.community(input.path.communityId, .recordInterviews, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let points = try b.points.map { p -> (text: String, topic: InterviewTopic) in
            let topic: InterviewTopic = try convert(p.topic)
            return (p.text, topic)
        }
        let form = CustomerRelationsStore.InterviewInput(
            interviewID: try Parse.uuid(b.interviewId, field: "interviewId"), unitID: try b.unitId.map { try Parse.uuid($0, field: "unitId") },
            areaID: try b.areaId.map { try Parse.uuid($0, field: "areaId") }, place: b.place ?? "", person: b.person, channel: try convert(b.channel),
            at: b.at, points: points)
        let r = try await CustomerRelationsAccess.record(form, community: community, areas: areas, req)
        let body = try Self.interview(r.interview)
        return r.created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func getInterview(_ input: Operations.GetInterview.Input) async throws -> Operations.GetInterview.Output {
        let req = try RequestContext.current
        return .ok(.init(body: .json(try Self.interview(try await CustomerRelationsAccess.interview(input.path.interviewId, req)))))
    }

    func listUngroupedPoints(_ input: Operations.ListUngroupedPoints.Input) async throws -> Operations.ListUngroupedPoints.Output {
        let req = try RequestContext.current
        let (community, areas) = try CustomerRelationsAccess.community(input.path.communityId, .manageCustomerRelations, req)
        let open = try await CustomerRelationsAccess.ungroupedPoints(community: community, areas: areas, req)
        return .ok(.init(body: .json(try open.map { o in
            .init(id: o.point.id.uuidString, interviewId: o.interview.id.uuidString, text: o.point.text, topic: try convert(o.point.topic),
                  areaId: o.interview.areaID?.uuidString, unitLabel: o.interview.unitLabel, person: o.interview.person, at: o.interview.at)
        })))
    }

    // MARK: Common issues and rectifications (CR-3, S0 3.1)

    func listCommonIssues(_ input: Operations.ListCommonIssues.Input) async throws -> Operations.ListCommonIssues.Output {
        let req = try RequestContext.current
        let (community, areas) = try CustomerRelationsAccess.community(input.path.communityId, .readCustomerRelations, req)
        return .ok(.init(body: .json(try await CustomerRelationsAccess.issues(community: community, areas: areas, req).map(Self.commonIssue))))
    }

    func createCommonIssue(_ input: Operations.CreateCommonIssue.Input) async throws -> Operations.CreateCommonIssue.Output {
        let req = try RequestContext.current
        let (community, areas) = try CustomerRelationsAccess.community(input.path.communityId, .manageCustomerRelations, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let issue = try await CustomerRelationsAccess.createIssue(
            id: try Parse.uuid(b.issueId, field: "issueId"), community: community, areas: areas, areaID: try b.areaId.map { try Parse.uuid($0, field: "areaId") },
            title: b.title, topic: try convert(b.topic), points: try b.pointIds.map { try Parse.uuid($0, field: "pointIds") }, req)
        return .created(.init(body: .json(try Self.commonIssue(issue))))
    }

    func groupIntoCommonIssue(_ input: Operations.GroupIntoCommonIssue.Input) async throws -> Operations.GroupIntoCommonIssue.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let points = try b.pointIds.map { try Parse.uuid($0, field: "pointIds") }
        let issue = try await CustomerRelationsAccess.group(points, into: input.path.issueId, community: nil, req)
        return .ok(.init(body: .json(try Self.commonIssue(issue))))
    }

    func createRectification(_ input: Operations.CreateRectification.Input) async throws -> Operations.CreateRectification.Output {
        let req = try RequestContext.current
        let issue = try await CustomerRelationsAccess.issue(input.path.issueId, req, .manageCustomerRelations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = try await CustomerRelationsAccess.rectify(issue, id: try Parse.uuid(b.rectificationId, field: "rectificationId"), measure: b.measure,
                                                          ownerID: try Parse.uuid(b.ownerId, field: "ownerId"), dueDay: b.dueDay, req)
        return .created(.init(body: .json(try Self.rectification(r, at: req.application.propdesk.now()))))
    }

    func listRectifications(_ input: Operations.ListRectifications.Input) async throws -> Operations.ListRectifications.Output {
        let req = try RequestContext.current
        let (community, areas) = try CustomerRelationsAccess.community(input.path.communityId, .readCustomerRelations, req)
        let issue = try input.query.issueId.map { try Parse.uuid($0, field: "issueId") }
        let now = req.application.propdesk.now()
        let list = try await CustomerRelationsAccess.rectifications(community: community, areas: areas, issue: issue, req)
        return .ok(.init(body: .json(try list.map { try Self.rectification($0, at: now) })))
    }

    func completeRectification(_ input: Operations.CompleteRectification.Input) async throws -> Operations.CompleteRectification.Output {
        let req = try RequestContext.current
        let r = try await CustomerRelationsAccess.rectification(input.path.rectificationId, req, acting: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let done = try await CustomerRelationsAccess.done(r, note: b.note, req)
        return .ok(.init(body: .json(try Self.rectification(done, at: req.application.propdesk.now()))))
    }

    // MARK: The culture plan (CR-4, S0 3.2)

    func getCulturePlan(_ input: Operations.GetCulturePlan.Input) async throws -> Operations.GetCulturePlan.Output {
        let req = try RequestContext.current
        let (id, _) = try CustomerRelationsAccess.community(input.path.communityId, .readCustomerRelations, req)
        guard let c = try await req.store.registry.community(id) else { throw DomainError.notFound(Noun.community) }
        let year = try ReportPeriod.year(input.query.year.map(String.init), timeZone: c.timeZone, now: req.application.propdesk.now())
        let file = try await CustomerRelationsAccess.planFile(community: id, year: year, req)
        return .ok(.init(body: .json(.init(year: year, plan: try file.plan.map(Self.culturePlan), events: file.events.map(Self.cultureEvent),
                                           eventsBudget: file.events.map(\.budgetFen).reduce(0, +)))))
    }

    func draftCulturePlan(_ input: Operations.DraftCulturePlan.Input) async throws -> Operations.DraftCulturePlan.Output {
        let req = try RequestContext.current
        let (community, _) = try CustomerRelationsAccess.community(input.path.communityId, .manageCustomerRelations, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let plan = try await CustomerRelationsAccess.draftPlan(community: community, year: b.year, title: b.title, goals: b.goals ?? "", budgetFen: b.budget, req)
        return .created(.init(body: .json(try Self.culturePlan(plan))))
    }

    func planCultureEvent(_ input: Operations.PlanCultureEvent.Input) async throws -> Operations.PlanCultureEvent.Output {
        let req = try RequestContext.current
        let plan = try await CustomerRelationsAccess.plan(input.path.planId, req, .manageCustomerRelations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let e = try await CustomerRelationsAccess.addEvent(plan, id: try Parse.uuid(b.eventId, field: "eventId"), title: b.title, day: b.day, place: b.place,
                                                           budgetFen: b.budget ?? 0, req)
        return .created(.init(body: .json(Self.cultureEvent(e))))
    }

    func submitCulturePlan(_ input: Operations.SubmitCulturePlan.Input) async throws -> Operations.SubmitCulturePlan.Output {
        let req = try RequestContext.current
        let plan = try await CustomerRelationsAccess.plan(input.path.planId, req, .manageCustomerRelations)
        return .ok(.init(body: .json(try Self.culturePlan(try await CustomerRelationsAccess.submit(plan, req)))))
    }

    func decideCulturePlan(_ input: Operations.DecideCulturePlan.Input) async throws -> Operations.DecideCulturePlan.Output {
        let req = try RequestContext.current
        let plan = try await CustomerRelationsAccess.plan(input.path.planId, req, .approveCulturePlan)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try Self.culturePlan(try await CustomerRelationsAccess.decide(plan, approve: b.approve, req)))))
    }

    func recordCultureEvent(_ input: Operations.RecordCultureEvent.Input) async throws -> Operations.RecordCultureEvent.Output {
        let req = try RequestContext.current
        let e = try await CustomerRelationsAccess.event(input.path.eventId, req, .manageCustomerRelations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let held = try await CustomerRelationsAccess.recordEvent(e, attendance: b.attendance, record: b.record, photos: [], req)
        return .ok(.init(body: .json(Self.cultureEvent(held))))
    }
}
