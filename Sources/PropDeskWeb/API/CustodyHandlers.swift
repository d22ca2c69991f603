import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Units in custody over JSON (FD-2): the same use cases and store as the pages.
extension APIHandler {
    static func custodyReading(_ r: MeterReading) -> Components.Schemas.CustodyReading {
        .init(id: r.id.uuidString, month: r.month, baseline: r.baseline, water: MeterValue.text(r.water), electricity: MeterValue.text(r.electricity),
              waterUsed: r.waterUsed.map(MeterValue.text), electricityUsed: r.electricityUsed.map(MeterValue.text), waterAllowed: MeterValue.text(r.waterAllowed),
              electricityAllowed: MeterValue.text(r.electricityAllowed), over: r.isOver, readAt: r.readAt, byName: r.byName)
    }

    static func custodyCheck(_ c: CustodyCheck) throws -> Components.Schemas.CustodyCheck {
        .init(id: c.id.uuidString, kind: try convert(c.kind), openedAt: c.openedAt, dueAt: c.dueAt, doneAt: c.doneAt, byName: c.byName, findings: c.findings,
              problem: c.problem, ownerNotified: c.ownerNotified)
    }

    static func custody(_ a: CustodyAgreement, label: String?, readings: [MeterReading], checks: [CustodyCheck]) throws -> Components.Schemas.CustodyAgreement {
        .init(id: a.id.uuidString, communityId: a.communityID.uuidString, unitId: a.unitID.uuidString, unitLabel: label, ownerName: a.ownerName,
              startDay: a.startDay, endDay: a.endDay, feeRatePerMille: a.feeRatePerMille, waterLimit: MeterValue.text(a.waterLimit),
              electricityLimit: MeterValue.text(a.electricityLimit), readings: readings.map(Self.custodyReading), checks: try checks.map(Self.custodyCheck))
    }

    func listCustodyAgreements(_ input: Operations.ListCustodyAgreements.Input) async throws -> Operations.ListCustodyAgreements.Output {
        let req = try RequestContext.current
        let (community, areas) = try Scoped.community(input.path.communityId, .keepCustody, req)
        let agreements = try await req.store.custody.agreements(community: community, areas: areas)
        let latest = try await req.store.custody.latestReadings(agreements.map(\.id))
        let labels = try await req.store.registry.unitLabels(Set(agreements.map(\.unitID)))
        return .ok(.init(body: .json(try agreements.map { a in
            try Self.custody(a, label: labels[a.unitID], readings: latest[a.id].map { [$0] } ?? [], checks: [])
        })))
    }

    func openCustodyAgreement(_ input: Operations.OpenCustodyAgreement.Input) async throws -> Operations.OpenCustodyAgreement.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let o = CustodyStore.Opening(
            agreementID: try Parse.uuid(b.agreementId, field: "agreementId"), unitID: try Parse.uuid(b.unitId, field: "unitId"), ownerName: b.ownerName,
            ownerPhone: b.ownerPhone, startDay: b.startDay, endDay: b.endDay, water: try MeterValue.parse(b.water, field: "water"),
            electricity: try MeterValue.parse(b.electricity, field: "electricity"), waterLimit: try MeterValue.parse(b.waterLimit ?? "5", field: "waterLimit"),
            electricityLimit: try MeterValue.parse(b.electricityLimit ?? "20", field: "electricityLimit"), note: b.note ?? "")
        let a = try await CustodyAccess.open(community: input.path.communityId, o, req)
        return .created(.init(body: .json(try Self.custody(a, label: nil, readings: try await req.store.custody.readings(agreement: a.id), checks: []))))
    }

    func getCustodyAgreement(_ input: Operations.GetCustodyAgreement.Input) async throws -> Operations.GetCustodyAgreement.Output {
        let req = try RequestContext.current
        let a = try await CustodyAccess.agreement(input.path.agreementId, req, checking: true)
        let label = try await req.store.registry.unitLabels([a.unitID])[a.unitID]
        return .ok(.init(body: .json(try Self.custody(a, label: label, readings: try await req.store.custody.readings(agreement: a.id),
                                                      checks: try await req.store.custody.checks(agreement: a.id)))))
    }

    func recordCustodyReading(_ input: Operations.RecordCustodyReading.Input) async throws -> Operations.RecordCustodyReading.Output {
        let req = try RequestContext.current
        let a = try await CustodyAccess.agreement(input.path.agreementId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = try await req.store.custody.record(.init(readingID: try Parse.uuid(b.readingId, field: "readingId"), month: b.month,
                                                         water: try MeterValue.parse(b.water, field: "water"),
                                                         electricity: try MeterValue.parse(b.electricity, field: "electricity"), note: b.note ?? ""),
                                                   agreement: a.id, by: req.actor)
        return .created(.init(body: .json(Self.custodyReading(r))))
    }

    func recordCustodyCheck(_ input: Operations.RecordCustodyCheck.Input) async throws -> Operations.RecordCustodyCheck.Output {
        let req = try RequestContext.current
        let a = try await CustodyAccess.agreement(input.path.agreementId, req, checking: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let c = try await req.store.custody.check(.init(checkID: try Parse.uuid(b.checkId, field: "checkId"), kind: try convert(b.kind), findings: b.findings ?? "",
                                                        problem: b.problem ?? false, ownerNotified: b.ownerNotified ?? false), agreement: a.id, by: req.actor)
        return .created(.init(body: .json(try Self.custodyCheck(c))))
    }

    func endCustodyAgreement(_ input: Operations.EndCustodyAgreement.Input) async throws -> Operations.EndCustodyAgreement.Output {
        let req = try RequestContext.current
        let a = try await CustodyAccess.agreement(input.path.agreementId, req)
        var note = ""
        if case .json(let b) = input.body { note = b.note ?? "" }
        let ended = try await req.store.custody.end(a.id, note: note, by: req.actor)
        return .ok(.init(body: .json(try Self.custody(ended, label: nil, readings: [], checks: []))))
    }

    func warnOfHeavyRain(_ input: Operations.WarnOfHeavyRain.Input) async throws -> Operations.WarnOfHeavyRain.Output {
        let req = try RequestContext.current
        let (community, _) = try Scoped.community(input.path.communityId, .keepCustody, req, wholeCommunity: true)
        let (w, opened) = try await req.store.custody.warnOfRain(community: community, by: req.actor)
        return .ok(.init(body: .json(.init(id: w.id.uuidString, issuedAt: w.issuedAt, overAt: w.overAt, opened: opened))))
    }

    func rainIsOver(_ input: Operations.RainIsOver.Input) async throws -> Operations.RainIsOver.Output {
        let req = try RequestContext.current
        let (community, _) = try Scoped.community(input.path.communityId, .keepCustody, req, wholeCommunity: true)
        let w = try await req.store.custody.rainOver(community: community, by: req.actor)
        return .ok(.init(body: .json(.init(id: w.id.uuidString, issuedAt: w.issuedAt, overAt: w.overAt, opened: 0))))
    }
}
