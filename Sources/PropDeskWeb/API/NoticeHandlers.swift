import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// The notice board over JSON (CR-1): the same use cases (`NoticeAccess`) and store as the pages.
extension APIHandler {
    static func notice(_ n: Notice, at now: Date) -> Components.Schemas.Notice {
        .init(id: n.id.uuidString, communityId: n.communityID.uuidString, kind: .init(rawValue: n.kind.rawValue) ?? .service, title: n.title, body: n.body,
              buildingIds: n.buildingIDs.map(\.uuidString), areaId: n.areaID?.uuidString, startsAt: n.startsAt, expiresAt: n.expiresAt,
              state: .init(rawValue: n.state(at: now).rawValue) ?? .current, source: n.source, publishedBy: n.publishedByName, createdAt: n.createdAt,
              withdrawnAt: n.withdrawnAt, withdrawReason: n.withdrawReason, postedAt: n.postedAt, postedBy: n.postedByName,
              takenDownAt: n.takenDownAt, takenDownBy: n.takenDownByName)
    }

    func listNotices(_ input: Operations.ListNotices.Input) async throws -> Operations.ListNotices.Output {
        let req = try RequestContext.current
        let (community, areas) = try NoticeAccess.community(input.path.communityId, .readCustomerRelations, req)
        let state = input.query.state.flatMap { NoticeState(rawValue: $0.rawValue) }
        let now = req.application.propdesk.now()
        let list = try await req.store.notices.notices(community: community, state: state, areas: areas, limit: 500)
        return .ok(.init(body: .json(list.map { Self.notice($0, at: now) })))
    }

    func publishNotice(_ input: Operations.PublishNotice.Input) async throws -> Operations.PublishNotice.Output {
        let req = try RequestContext.current
        let (community, _) = try Scoped.community(input.path.communityId, .publishNotices, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let kind: NoticeKind = try convert(b.kind)
        // A notice's source ("incident:…", "rectification:…", "report:…") is the server's own:
        // never taken from a client, or a hand-made notice could stand in for the real one (CR-1).
        let draft = NoticeDraft(communityID: community, kind: kind, title: b.title, body: b.body,
                                buildingIDs: try (b.buildingIds ?? []).map { try Parse.uuid($0, field: "buildingIds") },
                                areaID: try b.areaId.map { try Parse.uuid($0, field: "areaId") }, startsAt: b.startsAt, expiresAt: b.expiresAt,
                                source: nil, formID: try b.formId.map { try Parse.uuid($0, field: "formId") })
        let n = try await NoticeAccess.publish(draft, req)
        return .created(.init(body: .json(Self.notice(n, at: req.application.propdesk.now()))))
    }

    func getNoticeBoardWork(_ input: Operations.GetNoticeBoardWork.Input) async throws -> Operations.GetNoticeBoardWork.Output {
        let req = try RequestContext.current
        let (community, areas) = try NoticeAccess.community(input.path.communityId, .keepNoticeBoard, req)
        guard let c = try await req.store.registry.community(community) else { throw DomainError.notFound(Noun.community) }
        let now = req.application.propdesk.now()
        let day = input.query.day ?? PatrolCoverage.day(of: now, timeZone: c.timeZone).label
        let work = try await req.store.notices.boardWork(community: community, day: day, areas: areas)
        return .ok(.init(body: .json(.init(day: day, putUp: work.putUp.map { Self.notice($0, at: now) }, takeDown: work.takeDown.map { Self.notice($0, at: now) }))))
    }

    func getNotice(_ input: Operations.GetNotice.Input) async throws -> Operations.GetNotice.Output {
        let req = try RequestContext.current
        let n = try await NoticeAccess.notice(input.path.noticeId, .readCustomerRelations, req)
        return .ok(.init(body: .json(Self.notice(n, at: req.application.propdesk.now()))))
    }

    func withdrawNotice(_ input: Operations.WithdrawNotice.Input) async throws -> Operations.WithdrawNotice.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let n = try await NoticeAccess.withdraw(input.path.noticeId, reason: b.reason, req)
        return .ok(.init(body: .json(Self.notice(n, at: req.application.propdesk.now()))))
    }

    func markNoticePosted(_ input: Operations.MarkNoticePosted.Input) async throws -> Operations.MarkNoticePosted.Output {
        let req = try RequestContext.current
        let n = try await NoticeAccess.board(input.path.noticeId, postedNotTakenDown: true, req)
        return .ok(.init(body: .json(Self.notice(n, at: req.application.propdesk.now()))))
    }

    func markNoticeTakenDown(_ input: Operations.MarkNoticeTakenDown.Input) async throws -> Operations.MarkNoticeTakenDown.Output {
        let req = try RequestContext.current
        let n = try await NoticeAccess.board(input.path.noticeId, postedNotTakenDown: false, req)
        return .ok(.init(body: .json(Self.notice(n, at: req.application.propdesk.now()))))
    }

    func publishIncidentNotice(_ input: Operations.PublishIncidentNotice.Input) async throws -> Operations.PublishIncidentNotice.Output {
        let req = try RequestContext.current
        // Once per incident (the notice's source is the incident): no form id is needed for a retry.
        let n = try await NoticeAccess.fromIncident(input.path.incidentId, formID: nil, req)
        return .created(.init(body: .json(Self.notice(n, at: req.application.propdesk.now()))))
    }

    func listMyNotices(_ input: Operations.ListMyNotices.Input) async throws -> Operations.ListMyNotices.Output {
        let req = try RequestContext.current
        let (_, notices) = try await NoticeAccess.portal(req)
        let now = req.application.propdesk.now()
        return .ok(.init(body: .json(notices.map { Self.notice($0, at: now) })))
    }
}
