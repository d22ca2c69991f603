import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Patrols over JSON (FLD-3, FLD-8): the same use cases as the supervisor's pages.
extension APIHandler {
    func listCheckpoints(_ input: Operations.ListCheckpoints.Input) async throws -> Operations.ListCheckpoints.Output {
        let req = try RequestContext.current
        let (_, points) = try await PatrolAccess.checkpoints(community: input.path.communityId, req)
        return .ok(.init(body: .json(try points.map(Self.checkpoint))))
    }

    func createCheckpoint(_ input: Operations.CreateCheckpoint.Input) async throws -> Operations.CreateCheckpoint.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let draft = PatrolStore.CheckpointDraft(
            areaID: try Parse.uuid(b.areaId, field: "areaId"), buildingID: try b.buildingId.map { try Parse.uuid($0, field: "buildingId") },
            name: b.name, location: b.location, keySpot: b.keySpot ?? false,
            items: try b.items.enumerated().map { i, item in ChecklistItem(id: String(i + 1), category: try convert(item.category), text: item.text) })
        return .created(.init(body: .json(try Self.checkpoint(try await PatrolAccess.addCheckpoint(community: input.path.communityId, draft, req)))))
    }

    func startPatrolRound(_ input: Operations.StartPatrolRound.Input) async throws -> Operations.StartPatrolRound.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = try await PatrolAccess.startRound(community: input.path.communityId, area: b.areaId, scope: b.scope.rawValue, req)
        return .created(.init(body: .json(.init(id: r.id.uuidString, communityId: r.communityID.uuidString, areaId: r.areaID.uuidString,
                                                scope: try convert(r.scope), patrollerName: r.patrollerName, startedAt: r.startedAt, finishedAt: r.finishedAt))))
    }

    func recordCheckpointVisit(_ input: Operations.RecordCheckpointVisit.Input) async throws -> Operations.RecordCheckpointVisit.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let recorded = try await PatrolAccess.record(
            input.path.checkpointId, visitID: try Parse.uuid(b.visitId, field: "visitId"), roundID: try b.roundId.map { try Parse.uuid($0, field: "roundId") },
            results: b.results.map { ItemResult(itemID: $0.itemId, passed: $0.passed, note: $0.note ?? "") }, note: b.note ?? "", photos: [], req)
        let v = recorded.visit
        return .created(.init(body: .json(.init(
            id: v.id.uuidString, roundId: v.roundID.uuidString, checkpointId: v.checkpointID.uuidString, at: v.at, byName: v.byName, note: v.note,
            results: v.results.map { .init(itemId: $0.itemID, passed: $0.passed, note: $0.note) },
            findings: try v.findings.map { .init(itemId: $0.itemID, orderId: $0.orderID.uuidString, orderNumber: $0.orderNumber, priority: try convert($0.priority)) }))))
    }

    func getPatrolCoverage(_ input: Operations.GetPatrolCoverage.Input) async throws -> Operations.GetPatrolCoverage.Output {
        let req = try RequestContext.current
        let (communityID, areas) = try Scoped.community(input.path.communityId, .patrol, req)
        let area = try Parse.uuid(input.query.areaId, field: "areaId")
        if let areas, !areas.contains(area) { throw DomainError.notFound(Noun.area) }
        guard let community = try await req.store.registry.community(communityID),
              try await req.store.registry.areas(community: communityID, only: [area]).first != nil else { throw DomainError.notFound(Noun.area) }
        let zone = community.timeZone
        let now = req.application.propdesk.now()
        let day = try input.query.day.map { try PatrolCoverage.day($0, timeZone: zone).orThrow(field: "day", Message(zh: "日期格式应为 2026-11-23", en: "A date looks like 2026-11-23")) }
            ?? PatrolCoverage.day(of: now, timeZone: zone)
        let week = PatrolCoverage.week(of: day.start, timeZone: zone)
        let points = try await req.store.patrols.checkpoints(community: communityID, areas: [area], retired: true)
        let visits = try await req.store.patrols.visitTimes(community: communityID, area: area, from: week.start, until: week.end)
        func ref(_ c: Checkpoint) -> Components.Schemas.CheckpointRef { .init(id: c.id.uuidString, code: c.code, name: c.name, keySpot: c.keySpot) }
        return .ok(.init(body: .json(.init(
            areaId: area.uuidString, day: day.label, week: week.label,
            keySpotsDue: PatrolCoverage.due(points, in: day, keySpotsOnly: true).count,
            keySpotsMissed: PatrolCoverage.missed(points, visitedAt: visits, in: day, keySpotsOnly: true).map(ref),
            checkpointsDue: PatrolCoverage.due(points, in: week, keySpotsOnly: false).count,
            checkpointsNotVisitedThisWeek: PatrolCoverage.missed(points, visitedAt: visits, in: week, keySpotsOnly: false).map(ref)))))
    }

    static func checkpoint(_ c: Checkpoint) throws -> Components.Schemas.Checkpoint {
        .init(id: c.id.uuidString, communityId: c.communityID.uuidString, areaId: c.areaID.uuidString, buildingId: c.buildingID?.uuidString, code: c.code,
              name: c.name, location: c.location, keySpot: c.keySpot,
              items: try c.items.map { .init(id: $0.id, category: try convert($0.category), text: $0.text) }, createdAt: c.createdAt)
    }
}
