import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Move-ins over JSON (FD-1): the same use cases and store as the pages.
extension APIHandler {
    static func moveIn(_ c: MoveInCase, _ lang: PropDeskCore.Language) throws -> Components.Schemas.MoveInCase {
        .init(id: c.id.uuidString, communityId: c.communityID.uuidString, unitId: c.unitID.uuidString, buyerKind: try convert(c.buyerKind), buyerName: c.buyerName,
              buyerPhone: c.buyerPhone.isEmpty ? nil : Mask.phone(c.buyerPhone), commercial: c.commercial, status: try convert(c.status), openedAt: c.openedAt,
              openedByName: c.openedByName, requiredDocuments: c.requiredDocuments.map(\.rawValue),
              files: c.files.map { .init(item: $0.item.key, evidenceId: $0.evidenceID.uuidString, at: $0.at) },
              registration: c.registration.map { .init(ownerName: $0.ownerName, phone: Mask.phone($0.phone), householdMembers: $0.householdMembers,
                                                       emergencyContact: $0.emergencyContact, emergencyPhone: Mask.phone($0.emergencyPhone)) },
              handover: c.handover.map { .init(keys: $0.keys, handbook: $0.handbook, drawings: $0.drawings) },
              fees: c.fees.map { .init(managementFeeFrom: $0.managementFeeFrom, managementFeeFen: $0.managementFeeFen, movingDepositFen: $0.movingDepositFen,
                                       utilitiesDepositFen: $0.utilitiesDepositFen) },
              inspection: c.inspection.map { .init(at: $0.at, byName: $0.byName, water: MeterReadings.format($0.meters.waterThousandths),
                                                   electricity: MeterReadings.format($0.meters.electricityThousandths),
                                                   gas: $0.meters.gasThousandths.map(MeterReadings.format)) },
              defects: c.defects.map { .init(id: $0.id.uuidString, text: $0.text, orderId: $0.orderID.uuidString, orderNumber: $0.orderNumber,
                                             reinspectedAt: $0.reinspectedAt, reinspectedBy: $0.reinspectedBy) },
              missing: c.missing().map { .init(key: $0.key, title: $0.title.text(lang)) },
              completedAt: c.completedAt, completedByName: c.completedByName)
    }

    func listMoveIns(_ input: Operations.ListMoveIns.Input) async throws -> Operations.ListMoveIns.Output {
        let req = try RequestContext.current
        let (community, areas) = try Scoped.community(input.path.communityId, .handleMoveIns, req)
        return .ok(.init(body: .json(try await req.store.moveIns.cases(community: community, areas: areas).map { try Self.moveIn($0, req.language) })))
    }

    func openMoveIn(_ input: Operations.OpenMoveIn.Input) async throws -> Operations.OpenMoveIn.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let c = try await MoveInAccess.open(community: input.path.communityId, .init(
            caseID: try Parse.uuid(b.caseId, field: "caseId"), unitID: try Parse.uuid(b.unitId, field: "unitId"), buyerKind: try convert(b.buyerKind),
            buyerName: b.buyerName, buyerPhone: b.buyerPhone), req)
        return .created(.init(body: .json(try Self.moveIn(c, req.language))))
    }

    func getMoveIn(_ input: Operations.GetMoveIn.Input) async throws -> Operations.GetMoveIn.Output {
        let req = try RequestContext.current
        return .ok(.init(body: .json(try Self.moveIn(try await MoveInAccess.moveIn(input.path.moveInId, req), req.language))))
    }

    func addMoveInFile(_ input: Operations.AddMoveInFile.Input) async throws -> Operations.AddMoveInFile.Output {
        let req = try RequestContext.current
        let c = try await MoveInAccess.moveIn(input.path.moveInId, req)
        guard let item = MoveInFileItem(key: input.query.item.rawValue), case .binary(let body) = input.body else { throw DomainError.forbidden }
        let bytes = try await [UInt8](collecting: body, upTo: BodyLimitMiddleware.evidence)
        let upload = try EvidenceStore.check(bytes, kind: item.isSignature ? .signature : .document, caption: "",
                                             signedBy: item.isSignature ? (input.query.signedBy ?? c.buyerName) : nil)
        return .created(.init(body: .json(try Self.moveIn(try await req.store.moveIns.addFile(c.id, item: item, upload: upload, by: req.actor), req.language))))
    }

    func registerMoveInResident(_ input: Operations.RegisterMoveInResident.Input) async throws -> Operations.RegisterMoveInResident.Output {
        let req = try RequestContext.current
        let c = try await MoveInAccess.moveIn(input.path.moveInId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = ResidentRegistration(ownerName: b.ownerName, phone: b.phone, householdMembers: b.householdMembers, emergencyContact: b.emergencyContact,
                                     emergencyPhone: b.emergencyPhone)
        return .ok(.init(body: .json(try Self.moveIn(try await req.store.moveIns.register(c.id, r, by: req.actor), req.language))))
    }

    func handOverMoveInItems(_ input: Operations.HandOverMoveInItems.Input) async throws -> Operations.HandOverMoveInItems.Output {
        let req = try RequestContext.current
        let c = try await MoveInAccess.moveIn(input.path.moveInId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let h = MoveInHandover(keys: b.keys, handbook: b.handbook, drawings: b.drawings)
        return .ok(.init(body: .json(try Self.moveIn(try await req.store.moveIns.handOver(c.id, h, by: req.actor), req.language))))
    }

    func noteMoveInFees(_ input: Operations.NoteMoveInFees.Input) async throws -> Operations.NoteMoveInFees.Output {
        let req = try RequestContext.current
        let c = try await MoveInAccess.moveIn(input.path.moveInId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let f = MoveInFees(managementFeeFrom: b.managementFeeFrom, managementFeeFen: b.managementFeeFen, movingDepositFen: b.movingDepositFen,
                           utilitiesDepositFen: b.utilitiesDepositFen)
        return .ok(.init(body: .json(try Self.moveIn(try await req.store.moveIns.noteFees(c.id, f, by: req.actor), req.language))))
    }

    func inspectMoveIn(_ input: Operations.InspectMoveIn.Input) async throws -> Operations.InspectMoveIn.Output {
        let req = try RequestContext.current
        let c = try await MoveInAccess.moveIn(input.path.moveInId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let meters = try MoveInAccess.meters(water: b.water, electricity: b.electricity, gas: b.gas ?? "")
        let done = try await req.store.moveIns.inspect(c.id, formID: try Parse.uuid(b.formId, field: "formId"), meters: meters, defects: b.defects ?? [], by: req.actor)
        return .ok(.init(body: .json(try Self.moveIn(done, req.language))))
    }

    func reinspectMoveInDefect(_ input: Operations.ReinspectMoveInDefect.Input) async throws -> Operations.ReinspectMoveInDefect.Output {
        let req = try RequestContext.current
        let c = try await MoveInAccess.moveIn(input.path.moveInId, req)
        let defect = try Parse.uuid(input.path.defectId, field: "defectId")
        return .ok(.init(body: .json(try Self.moveIn(try await req.store.moveIns.reinspect(c.id, defect: defect, by: req.actor), req.language))))
    }

    func completeMoveIn(_ input: Operations.CompleteMoveIn.Input) async throws -> Operations.CompleteMoveIn.Output {
        let req = try RequestContext.current
        let c = try await MoveInAccess.moveIn(input.path.moveInId, req)
        return .ok(.init(body: .json(try Self.moveIn(try await req.store.moveIns.complete(c.id, by: req.actor), req.language))))
    }
}
