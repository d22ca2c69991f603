import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Renovation files over JSON (FLD-4): the same use cases and checks as the pages.
extension APIHandler {
    func listRenovations(_ input: Operations.ListRenovations.Input) async throws -> Operations.ListRenovations.Output {
        let req = try RequestContext.current
        let (_, files) = try await RenovationAccess.list(community: input.path.communityId, req)
        return .ok(.init(body: .json(try files.map(Self.renovation))))
    }

    func registerRenovation(_ input: Operations.RegisterRenovation.Input) async throws -> Operations.RegisterRenovation.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = try await RenovationAccess.register(community: input.path.communityId, .init(
            unitID: try Parse.uuid(b.unitId, field: "unitId"), applicant: b.applicant, applicantPhone: b.applicantPhone, contractor: b.contractor,
            contractorPhone: b.contractorPhone, works: b.works, startsOn: b.startsOn, endsOn: b.endsOn, depositFen: b.depositFen ?? 0,
            inspectEveryDays: b.inspectEveryDays ?? 1), req)
        return .created(.init(body: .json(try Self.renovation(r))))
    }

    func getRenovation(_ input: Operations.GetRenovation.Input) async throws -> Operations.GetRenovation.Output {
        let req = try RequestContext.current
        let r = try await RenovationAccess.renovation(input.path.renovationId, req)
        let lang = req.language
        let scans = try await req.store.evidence.list(.renovation, r.id).filter { $0.kind == .document }
        var violations: [Components.Schemas.RenovationViolation] = []
        for v in try await req.store.renovations.violations(renovation: r.id) { violations.append(try await Self.violation(v, req)) }
        return .ok(.init(body: .json(.init(
            renovation: try Self.renovation(r),
            documents: try RenovationDocument.allCases.map { doc in
                let scan = scans.first { doc.matches(caption: $0.caption) }
                return .init(document: try convert(doc), title: doc.title.text(lang), received: scan != nil, evidenceId: scan?.id.uuidString)
            },
            missing: r.missing(documentCaptions: scans.map(\.caption)).map { $0.text(lang) },
            inspections: try await req.store.renovations.inspections(renovation: r.id).map(Self.inspection),
            violations: violations))))
    }

    func updateRenovation(_ input: Operations.UpdateRenovation.Input) async throws -> Operations.UpdateRenovation.Output {
        let req = try RequestContext.current
        let r = try await RenovationAccess.renovation(input.path.renovationId, req, .registerRenovations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try Self.renovation(try await req.store.renovations.update(
            r.id, depositFen: b.depositFen, protection: b.protection, inspectEveryDays: b.inspectEveryDays, by: req.actor)))))
    }

    func approveRenovation(_ input: Operations.ApproveRenovation.Input) async throws -> Operations.ApproveRenovation.Output {
        let req = try RequestContext.current
        let r = try await RenovationAccess.renovation(input.path.renovationId, req, .approveRenovations)
        return .ok(.init(body: .json(try Self.renovation(try await req.store.renovations.approve(r.id, by: req.actor)))))
    }

    func inspectRenovation(_ input: Operations.InspectRenovation.Input) async throws -> Operations.InspectRenovation.Output {
        let req = try RequestContext.current
        let r = try await RenovationAccess.renovation(input.path.renovationId, req, .inspectRenovations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let i = try await req.store.renovations.inspect(r.id, passed: b.passed, note: b.note ?? "", completion: b.completion ?? false, photos: [], by: req.actor)
        return .created(.init(body: .json(Self.inspection(i))))
    }

    func issueViolationNotice(_ input: Operations.IssueViolationNotice.Input) async throws -> Operations.IssueViolationNotice.Output {
        let req = try RequestContext.current
        let r = try await RenovationAccess.renovation(input.path.renovationId, req, .inspectRenovations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let v = try await req.store.renovations.issueNotice(renovation: r.id, rule: b.rule, requirement: b.requirement, deadline: b.deadline, photos: [], by: req.actor)
        return .created(.init(body: .json(try await Self.violation(v, req))))
    }

    func violationStep(_ input: Operations.ViolationStep.Input) async throws -> Operations.ViolationStep.Output {
        let req = try RequestContext.current
        let (v, _) = try await RenovationAccess.violation(input.path.violationId, req, .inspectRenovations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let step = try RenovationViolation.Step(rawValue: b.step.rawValue).orThrow(field: "step", Message(zh: "未知的步骤", en: "Unknown step"))
        let done = try await req.store.renovations.step(v.id, step, note: b.note, authority: b.authority, photos: [], by: req.actor)
        return .ok(.init(body: .json(try await Self.violation(done, req))))
    }

    func correctViolationNotice(_ input: Operations.CorrectViolationNotice.Input) async throws -> Operations.CorrectViolationNotice.Output {
        let req = try RequestContext.current
        let (v, _) = try await RenovationAccess.violation(input.path.violationId, req, .inspectRenovations)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        _ = try await req.store.renovations.correctNotice(v.id, rule: b.rule, requirement: b.requirement, deadline: b.deadline, reason: b.reason, by: req.actor)
        let after = try await req.store.renovations.violation(v.id) ?? v
        return .ok(.init(body: .json(try await Self.violation(after, req))))
    }

    static func renovation(_ r: Renovation) throws -> Components.Schemas.Renovation {
        .init(id: r.id.uuidString, communityId: r.communityID.uuidString, unitId: r.unitID.uuidString, areaId: r.areaID?.uuidString, number: r.number,
              applicant: r.applicant, contractor: r.contractor, works: r.works, startsOn: r.startsOn, endsOn: r.endsOn, depositFen: r.depositFen,
              inspectEveryDays: r.inspectEveryDays, protection: r.protection, status: try convert(r.status), createdAt: r.createdAt, approvedAt: r.approvedAt,
              approvedByName: r.approvedByName, closedAt: r.closedAt)
    }

    static func inspection(_ i: RenovationInspection) -> Components.Schemas.RenovationInspection {
        .init(id: i.id.uuidString, at: i.at, byName: i.byName, passed: i.passed, note: i.note, completion: i.completion)
    }

    static func violation(_ v: RenovationViolation, _ req: Request) async throws -> Components.Schemas.RenovationViolation {
        let n = try await req.store.renovations.notice(v.id)
        return .init(id: v.id.uuidString, renovationId: v.renovationID.uuidString, number: v.number, status: try convert(v.status), deadline: v.deadline,
                     rule: n?.rule ?? "", requirement: n?.requirement ?? "", createdAt: v.createdAt)
    }
}
