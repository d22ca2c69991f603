import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Arrears, the monthly lists, reminders and the collection rate over JSON (FEE-3, FEE-4): the
/// same use cases and store as the pages.
extension APIHandler {
    static func unitArrears(_ a: UnitArrears, label: String?) -> Components.Schemas.UnitArrears {
        .init(unitId: a.unitID.uuidString, unitLabel: label, areaId: a.areaID?.uuidString, outstanding: a.outstandingFen, months: a.months,
              oldestPeriod: a.oldestPeriod, longTerm: a.isLongTerm)
    }

    static func arrearsList(_ l: ArrearsList, _ req: Request) async throws -> Components.Schemas.ArrearsList {
        let labels = try await req.store.registry.unitLabels(Set(l.lines.map(\.unitID)))
        return .init(id: l.id.uuidString, communityId: l.communityID.uuidString, areaId: l.areaID.uuidString, month: l.month,
                     kind: try convert(l.kind), units: l.units, total: l.totalFen, preparedAt: l.preparedAt, preparedByName: l.preparedByName,
                     receivedAt: l.receivedAt, receivedByName: l.receivedByName, lines: l.lines.map { Self.unitArrears($0, label: labels[$0.unitID]) })
    }

    static func reminder(_ r: ArrearsReminder) throws -> Components.Schemas.ArrearsReminder {
        .init(id: r.id.uuidString, unitId: r.unitID.uuidString, kind: try convert(r.kind), outcome: try convert(r.outcome), at: r.at, byName: r.byName,
              note: r.note)
    }

    func listArrears(_ input: Operations.ListArrears.Input) async throws -> Operations.ListArrears.Output {
        let req = try RequestContext.current
        let (_, rows) = try await ArrearsAccess.arrears(community: input.path.communityId, area: input.query.areaId, req)
        let labels = try await req.store.registry.unitLabels(Set(rows.map(\.unitID)))
        return .ok(.init(body: .json(rows.map { Self.unitArrears($0, label: labels[$0.unitID]) })))
    }

    func listArrearsLists(_ input: Operations.ListArrearsLists.Input) async throws -> Operations.ListArrearsLists.Output {
        let req = try RequestContext.current
        let (community, areas, area) = try await ArrearsAccess.community(input.path.communityId, area: input.query.areaId, req)
        let lists = try await req.store.fees.lists(community: community, areas: area.map { [$0] } ?? areas, month: input.query.month)
        var out: [Components.Schemas.ArrearsList] = []
        for l in lists { out.append(try await Self.arrearsList(l, req)) }
        return .ok(.init(body: .json(out)))
    }

    func prepareArrearsList(_ input: Operations.PrepareArrearsList.Input) async throws -> Operations.PrepareArrearsList.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let l = try await ArrearsAccess.prepare(community: input.path.communityId, area: b.areaId, month: b.month, kind: try convert(b.kind), req)
        return .created(.init(body: .json(try await Self.arrearsList(l, req))))
    }

    func getArrearsList(_ input: Operations.GetArrearsList.Input) async throws -> Operations.GetArrearsList.Output {
        let req = try RequestContext.current
        return .ok(.init(body: .json(try await Self.arrearsList(try await ArrearsAccess.list(input.path.listId, req), req))))
    }

    func receiveArrearsList(_ input: Operations.ReceiveArrearsList.Input) async throws -> Operations.ReceiveArrearsList.Output {
        let req = try RequestContext.current
        return .ok(.init(body: .json(try await Self.arrearsList(try await ArrearsAccess.receive(input.path.listId, req), req))))
    }

    func listReminders(_ input: Operations.ListReminders.Input) async throws -> Operations.ListReminders.Output {
        let req = try RequestContext.current
        let detail = try await ArrearsAccess.unit(input.path.unitId, req)
        return .ok(.init(body: .json(try await req.store.fees.reminders(unit: detail.unit.id, community: detail.unit.communityID).map(Self.reminder))))
    }

    func logReminder(_ input: Operations.LogReminder.Input) async throws -> Operations.LogReminder.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = try await ArrearsAccess.remind(unit: input.path.unitId, kind: try convert(b.kind), outcome: try convert(b.outcome), note: b.note ?? "",
                                               formID: try Parse.uuid(b.formId, field: "formId"), req)
        return .created(.init(body: .json(try Self.reminder(r))))
    }

    func getCollectionRate(_ input: Operations.GetCollectionRate.Input) async throws -> Operations.GetCollectionRate.Output {
        let req = try RequestContext.current
        let (_, area, rate) = try await ArrearsAccess.collectionRate(community: input.path.communityId, area: input.query.areaId, month: input.query.month, req)
        return .ok(.init(body: .json(.init(month: input.query.month, areaId: area?.uuidString, due: rate.dueFen, collected: rate.collectedFen,
                                           perMille: rate.perMille, targetPerMille: CollectionRate.targetPerMille,
                                           definition: CollectionRate.definition.text(req.language)))))
    }
}
