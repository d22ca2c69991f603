import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and add to a subject (SEC-2, PLT-2), kind by kind: the one check the evidence API
/// and the subject pages share. A subject the caller may not see is "not found".
enum SubjectAccess {
    /// The subject, when the caller may see it; with `adding`, also when they may attach to it.
    static func subject(_ kindRaw: String, _ idRaw: String, adding: Bool, _ req: Request) async throws -> SubjectRef {
        switch SubjectKind(rawValue: kindRaw) {
        case .workOrder:
            let (order, _) = try await OrderAccess.load(idRaw, req)
            if adding, [.closed, .cancelled].contains(order.status) {
                throw DomainError.conflict(code: "order_closed", Message(zh: "工单已结束,不能再添加附件", en: "The order is finished; no more files can be added"))
            }
            return SubjectRef(kind: .workOrder, id: order.id, communityID: order.communityID, areaID: order.areaID, label: order.number)
        case .dutyPeriod:
            let (_, policy) = try req.requireStaff()
            try policy.requireRole(.reviewOrders)
            guard let id = UUID(uuidString: idRaw), let p = try await req.store.duties.period(id),
                  policy.canSee(community: p.communityID, area: p.areaID) else { throw DomainError.notFound(Noun.subject) }
            let citation = req.store.duties.duties.first { $0.id == p.dutyID }?.citation ?? p.dutyID
            return SubjectRef(kind: .dutyPeriod, id: p.id, communityID: p.communityID, areaID: p.areaID, label: "\(citation) · \(p.period)")
        case .patrolVisit:
            let v = try await PatrolAccess.visit(idRaw, req)
            let c = try await req.store.patrols.checkpoint(v.checkpointID)
            if adding, v.byID != req.principal?.userID { throw DomainError.forbidden }
            return SubjectRef(kind: .patrolVisit, id: v.id, communityID: v.communityID, areaID: v.areaID, label: "\(c?.code ?? "") · \(c?.name ?? "")")
        case .renovation:
            let r = try await RenovationAccess.renovation(idRaw, req, adding ? .registerRenovations : nil)
            return SubjectRef(kind: .renovation, id: r.id, communityID: r.communityID, areaID: r.areaID, label: r.number)
        case .renovationViolation:
            let (v, _) = try await RenovationAccess.violation(idRaw, req, adding ? .inspectRenovations : nil)
            return SubjectRef(kind: .renovationViolation, id: v.id, communityID: v.communityID, areaID: v.areaID, label: v.number)
        case .patrolRound:
            let r = try await PatrolAccess.round(idRaw, req)
            if adding { throw DomainError.forbidden }
            return SubjectRef(kind: .patrolRound, id: r.id, communityID: r.communityID, areaID: r.areaID, label: "\(r.scope.title.zhHans) · \(r.patrollerName)")
        case .contactCard:
            let c = adding ? try await SupervisionAccess.markCardAccess(idRaw, req) : try await SupervisionAccess.card(idRaw, req)
            return AssignmentStore.subject(c)
        case .workLog:
            let log = try await SupervisionAccess.log(idRaw, req)
            if adding { throw DomainError.forbidden }
            return SubjectRef(kind: .workLog, id: log.id, communityID: log.communityID, areaID: log.areaID, label: "\(log.supervisorName) · \(log.day)")
        case .householdVisit:
            let v = try await SupervisionAccess.visit(idRaw, req)
            if adding, v.byID != req.principal?.userID { throw DomainError.forbidden }
            return SubjectRef(kind: .householdVisit, id: v.id, communityID: v.communityID, areaID: v.areaID, label: v.byName)
        case .assignmentTable:
            let t = try await SupervisionAccess.table(idRaw, req)
            if adding { throw DomainError.forbidden }
            return SubjectRef(kind: .assignmentTable, id: t.id, communityID: t.communityID, areaID: nil, label: "V\(t.version)")
        case .staffChange:
            let (_, policy) = try req.requireStaff()
            guard let id = UUID(uuidString: idRaw), let c = try await req.store.assignments.staffChange(id), policy.reach(c.communityID) != .none,
                  policy.has(.manageAssignments) || policy.has(.approveAssignments) else { throw DomainError.notFound(Noun.subject) }
            if adding { throw DomainError.forbidden }
            return SubjectRef(kind: .staffChange, id: c.id, communityID: c.communityID, areaID: nil, label: c.userName)
        case .areaInspection:
            let (_, policy) = try req.requireStaff()
            try policy.requireRole(.superviseAreas)
            guard let id = UUID(uuidString: idRaw), let i = try await req.store.supervision.inspection(id),
                  policy.canSee(community: i.communityID, area: i.areaID) else { throw DomainError.notFound(Noun.subject) }
            if adding, i.inspectorID != req.principal?.userID { throw DomainError.forbidden }
            return SubjectRef(kind: .areaInspection, id: i.id, communityID: i.communityID, areaID: i.areaID, label: i.inspectorName)
        case .moveIn:
            // Seen by the desk that handles move-ins and by readers of resident-file documents;
            // added to only through the case's own forms, which record which item each file is.
            let c = try await MoveInAccess.moveIn(idRaw, req, acting: false)
            if adding { throw DomainError.forbidden }
            return try await MoveInAccess.subject(c, req)
        case .custodyAgreement:
            // The scanned 《托管协议》: added by the desk; an area supervisor of the unit's area may see it.
            return try await CustodyAccess.subject(try await CustodyAccess.agreement(idRaw, req, checking: !adding), req)
        case .custodyCheck:
            guard let id = UUID(uuidString: idRaw), let c = try await req.store.custody.check(id) else { throw DomainError.notFound(Noun.subject) }
            let a = try await CustodyAccess.agreement(c.agreementID.uuidString, req, checking: true)
            if adding { throw DomainError.forbidden }
            let s = try await CustodyAccess.subject(a, req)
            return SubjectRef(kind: .custodyCheck, id: c.id, communityID: c.communityID, areaID: c.areaID, label: "\(s.label) \(c.kind.title.zhHans)")
        case .rectification:
            // Its record and its owner's alerts (CR-3); nothing is attached to it by hand.
            let r = try await CustomerRelationsAccess.rectification(idRaw, req)
            if adding { throw DomainError.forbidden }
            return CustomerRelationsAccess.rectificationSubject(r)
        case .cultureEvent:
            // Photos of a held event (CR-4): added by the CS manager or the head.
            let e = try await CustomerRelationsAccess.event(idRaw, req, adding ? .manageCustomerRelations : .readCustomerRelations)
            return CustomerRelationsAccess.eventSubject(e)
        case .survey:
            // A satisfaction survey's record (CR-2): seen by readers of customer relations; its
            // statistics table is archived at closing, nothing is attached to it by hand.
            let (s, _) = try await SurveyAccess.survey(idRaw, .readCustomerRelations, req)
            if adding { throw DomainError.forbidden }
            return SubjectRef(kind: .survey, id: s.id, communityID: s.communityID, areaID: s.areaIDs.count == 1 ? s.areaIDs[0] : nil, label: "\(s.title)(\(s.period))")
        default:
            throw DomainError.notFound(Noun.subject)
        }
    }
}
