import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// The front desk's registers over JSON (FD-3 … FD-7): the same use cases and stores as the
/// pages. The duty log has no route that edits or deletes an entry: there is none to call.
extension APIHandler {
    /// The day asked for (today when left out) in the community's time zone, as its key and range.
    private func deskDay(_ raw: String?, community: UUID, _ req: Request) async throws -> (String, Date, Date) {
        guard let c = try await req.store.registry.community(community) else { throw DomainError.notFound(Noun.community) }
        let days = WorkingDays(ServiceHours(timeZone: c.timeZone))
        let key = raw ?? days.dayKey(req.application.propdesk.now())
        guard let (start, end) = days.day(key) else { throw DomainError.invalid(field: "day", Message(zh: "日期格式应为 YYYY-MM-DD", en: "A day is YYYY-MM-DD")) }
        return (key, start, end)
    }

    // MARK: Duty log (FD-3)

    func getDutyLog(_ input: Operations.GetDutyLog.Input) async throws -> Operations.GetDutyLog.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        let (key, _, _) = try await deskDay(input.query.day, community: community, req)
        guard let day = try await req.store.dutyLog.day(community: community, key: key) else {
            return .ok(.init(body: .json(.init(communityId: community.uuidString, day: key, entries: []))))
        }
        return .ok(.init(body: .json(try await Self.dutyLogDay(day, req))))
    }

    static func dutyLogDay(_ d: DutyLogDay, _ req: Request) async throws -> Components.Schemas.DutyLogDay {
        .init(id: d.id.uuidString, communityId: d.communityID.uuidString, day: d.day, signDueAt: d.signDueAt, signedAt: d.signedAt, signedBy: d.signedBy,
              entries: try await req.store.dutyLog.entries(d).map(Self.dutyLogEntry))
    }

    static func dutyLogEntry(_ e: DutyLogEntry) -> Components.Schemas.DutyLogEntry {
        .init(seq: e.seq, at: e.at, shift: e.shift == .night ? .night : .day, text: e.text, writtenBy: e.writtenBy, corrects: e.corrects, hash: e.hash)
    }

    func writeDutyLogEntry(_ input: Operations.WriteDutyLogEntry.Input) async throws -> Operations.WriteDutyLogEntry.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let shift: DeskShift = try convert(b.shift)
        let id = try b.entryId.map { try Parse.uuid($0, field: "entryId") } ?? UUID()
        let e = try await req.store.dutyLog.write(community: community, text: b.text, shift: shift, corrects: b.corrects, entryID: id, by: req.actor)
        guard let entry = DutyLogEntry(e) else { throw DomainError.notFound(Noun.dutyLog) }
        return .created(.init(body: .json(Self.dutyLogEntry(entry))))
    }

    func signDutyLog(_ input: Operations.SignDutyLog.Input) async throws -> Operations.SignDutyLog.Output {
        let req = try RequestContext.current
        var note = ""
        if case .json(let b) = input.body { note = b.note ?? "" }
        let day = try await FrontDeskAccess.sign(input.path.dayId, note: note, req)
        return .ok(.init(body: .json(try await Self.dutyLogDay(day, req))))
    }

    // MARK: Shift handover (FD-4)

    static func handover(_ h: ShiftHandover) -> Components.Schemas.ShiftHandover {
        .init(id: h.id.uuidString, communityId: h.communityID.uuidString, shift: h.shift == .night ? .night : .day, fromName: h.fromName, toName: h.toName,
              assets: h.assets.map { .init(name: $0.name, ok: $0.ok, note: $0.note) },
              items: h.items.map { .init(text: $0.text, important: $0.important, resolved: $0.resolved, carriedOverBy: $0.carriedOverBy) },
              anomalies: h.anomalies, handedAt: h.handedAt, takenAt: h.takenAt)
    }

    func listShiftHandovers(_ input: Operations.ListShiftHandovers.Input) async throws -> Operations.ListShiftHandovers.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        return .ok(.init(body: .json(try await req.store.dutyLog.handovers(community: community, limit: 50).map(Self.handover))))
    }

    func handOverShift(_ input: Operations.HandOverShift.Input) async throws -> Operations.HandOverShift.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let h = try await req.store.dutyLog.handOver(
            community: community, shift: try convert(b.shift), assets: b.assets.map { .init(name: $0.name, ok: $0.ok, note: $0.note ?? "") },
            items: (b.items ?? []).map { .init(text: $0.text, important: $0.important, resolved: $0.resolved ?? false) }, anomalies: b.anomalies ?? "",
            id: try b.handoverId.map { try Parse.uuid($0, field: "handoverId") } ?? UUID(), by: req.actor)
        return .created(.init(body: .json(Self.handover(h))))
    }

    func takeOverShift(_ input: Operations.TakeOverShift.Input) async throws -> Operations.TakeOverShift.Output {
        let req = try RequestContext.current
        let h = try await FrontDeskAccess.handover(input.path.handoverId, req)
        var carry: Set<Int> = []
        if case .json(let b) = input.body { carry = Set(b.carryOver ?? []) }
        return .ok(.init(body: .json(Self.handover(try await req.store.dutyLog.take(h.id, carryOver: carry, by: req.actor)))))
    }

    // MARK: Keys (FD-5)

    static func keyHolding(_ h: KeyHolding, labels: [UUID: String]) -> Components.Schemas.KeyHolding {
        .init(unitId: h.unitID.uuidString, unitLabel: labels[h.unitID], onBoard: h.onBoard,
              loans: h.loans.map { .init(party: $0.party, count: $0.count, since: $0.since, expectedBack: $0.expectedBack) })
    }

    static func keyMovement(_ m: KeyMovement) throws -> Components.Schemas.KeyMovement {
        .init(id: m.id.uuidString, unitId: m.unitID.uuidString, kind: try convert(m.kind), count: m.count, party: m.party, idChecked: m.idChecked,
              purpose: m.purpose, expectedBack: m.expectedBack, at: m.at, byName: m.byName)
    }

    func getKeyLedger(_ input: Operations.GetKeyLedger.Input) async throws -> Operations.GetKeyLedger.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        let holdings = try await req.store.keys.holdings(community: community)
        let labels = try await req.store.registry.unitLabels(Set(holdings.map(\.unitID)))
        return .ok(.init(body: .json(.init(holdings: holdings.map { Self.keyHolding($0, labels: labels) },
                                           movements: try await req.store.keys.movements(community: community, limit: 200).map(Self.keyMovement)))))
    }

    func recordKeyMovement(_ input: Operations.RecordKeyMovement.Input) async throws -> Operations.RecordKeyMovement.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let (m, h) = try await req.store.keys.record(.init(unitID: try Parse.uuid(b.unitId, field: "unitId"), kind: try convert(b.kind), count: b.count,
                                                            party: b.party, idChecked: b.idChecked ?? "", purpose: b.purpose ?? "", expectedBack: b.expectedBack,
                                                            id: try b.movementId.map { try Parse.uuid($0, field: "movementId") }),
                                                      community: community, by: req.actor)
        return .created(.init(body: .json(.init(movement: try Self.keyMovement(m), holding: Self.keyHolding(h, labels: [:])))))
    }

    func countKeyBoard(_ input: Operations.CountKeyBoard.Input) async throws -> Operations.CountKeyBoard.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        var counted: [UUID: Int] = [:]
        for c in b.counted { counted[try Parse.uuid(c.unitId, field: "counted.unitId")] = c.count }
        let differences = try await req.store.keys.reconcile(community: community, counted: counted, note: b.note ?? "", by: req.actor)
        return .created(.init(body: .json(differences.map { .init(unitId: $0.unitID.uuidString, ledger: $0.ledger, counted: $0.counted) })))
    }

    // MARK: Visitors (FD-7)

    static func visitor(_ v: Visitor) -> Components.Schemas.Visitor {
        .init(id: v.id.uuidString, communityId: v.communityID.uuidString, name: v.name, idType: v.idType.rawValue, idNumberMasked: v.idNumberMasked,
              unitId: v.unitID?.uuidString, host: v.host, purpose: v.purpose, phone: v.phone.isEmpty ? nil : Mask.phone(v.phone), inAt: v.inAt, outAt: v.outAt,
              registeredBy: v.registeredBy)
    }

    func listVisitors(_ input: Operations.ListVisitors.Input) async throws -> Operations.ListVisitors.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        let (_, from, until) = try await deskDay(input.query.day, community: community, req)
        return .ok(.init(body: .json(try await req.store.visitors.visitors(community: community, from: from, until: until).map(Self.visitor))))
    }

    func registerVisitor(_ input: Operations.RegisterVisitor.Input) async throws -> Operations.RegisterVisitor.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let v = try await req.store.visitors.arrive(.init(name: b.name, idType: try convert(b.idType), idNumber: b.idNumber,
                                                          unitID: try b.unitId.map { try Parse.uuid($0, field: "unitId") }, host: b.host, purpose: b.purpose,
                                                          phone: b.phone ?? "", visitorID: try b.visitorId.map { try Parse.uuid($0, field: "visitorId") }),
                                                    community: community, by: req.actor)
        return .created(.init(body: .json(Self.visitor(v))))
    }

    func signOutVisitor(_ input: Operations.SignOutVisitor.Input) async throws -> Operations.SignOutVisitor.Output {
        let req = try RequestContext.current
        let v = try await FrontDeskAccess.visitor(input.path.visitorId, req)
        return .ok(.init(body: .json(Self.visitor(try await req.store.visitors.leave(v.id, community: v.communityID, by: req.actor)))))
    }

    func revealVisitorID(_ input: Operations.RevealVisitorID.Input) async throws -> Operations.RevealVisitorID.Output {
        let req = try RequestContext.current
        return .ok(.init(body: .json(.init(idNumber: try await FrontDeskAccess.revealVisitorID(input.path.visitorId, req)))))
    }

    // MARK: Passes (FD-6)

    static func pass(_ p: UnitPass) throws -> Components.Schemas.UnitPass {
        .init(id: p.id.uuidString, communityId: p.communityID.uuidString, unitId: p.unitID.uuidString, kind: try convert(p.kind), number: p.number, plate: p.plate,
              holder: p.holder, validFrom: p.validFrom, validUntil: p.validUntil, status: try convert(p.status), replaces: p.replaces?.uuidString, issuedAt: p.issuedAt)
    }

    func listPasses(_ input: Operations.ListPasses.Input) async throws -> Operations.ListPasses.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        let passes: [UnitPass]
        if let days = input.query.expiringWithinDays {
            let (today, _, _) = try await deskDay(nil, community: community, req)
            passes = try await req.store.passes.expiring(community: community, today: today, within: days)
        } else {
            passes = try await req.store.passes.passes(community: community, unit: try input.query.unitId.map { try Parse.uuid($0, field: "unitId") })
        }
        return .ok(.init(body: .json(try passes.map(Self.pass))))
    }

    func issuePass(_ input: Operations.IssuePass.Input) async throws -> Operations.IssuePass.Output {
        let req = try RequestContext.current
        let community = try FrontDeskAccess.community(input.path.communityId, .keepDutyLog, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let p = try await req.store.passes.issue(.init(unitID: try Parse.uuid(b.unitId, field: "unitId"), kind: try convert(b.kind), number: b.number,
                                                       plate: b.plate ?? "", holder: b.holder, validFrom: b.validFrom, validUntil: b.validUntil),
                                                 community: community, by: req.actor)
        return .created(.init(body: .json(try Self.pass(p))))
    }

    func renewPass(_ input: Operations.RenewPass.Input) async throws -> Operations.RenewPass.Output {
        let req = try RequestContext.current
        let p = try await FrontDeskAccess.pass(input.path.passId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try Self.pass(try await req.store.passes.renew(p.id, until: b.validUntil, by: req.actor)))))
    }

    func revokePass(_ input: Operations.RevokePass.Input) async throws -> Operations.RevokePass.Output {
        let req = try RequestContext.current
        let p = try await FrontDeskAccess.pass(input.path.passId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try Self.pass(try await req.store.passes.revoke(p.id, reason: b.reason, by: req.actor)))))
    }

    func replaceLostPass(_ input: Operations.ReplaceLostPass.Input) async throws -> Operations.ReplaceLostPass.Output {
        let req = try RequestContext.current
        let p = try await FrontDeskAccess.pass(input.path.passId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .created(.init(body: .json(try Self.pass(try await req.store.passes.replaceLost(p.id, newNumber: b.number, by: req.actor)))))
    }
}
