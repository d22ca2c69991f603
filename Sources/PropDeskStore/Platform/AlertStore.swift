import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Alerts of every subject (INT-7, PLT-2): the lists the boards show and the acknowledgement,
/// which the subject's handler notes on its timeline.
public struct AlertStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    let handlers: [SubjectKind: any SubjectHandler]

    /// Newest first. `visibleAreas` (an area supervisor's) keeps the alerts of those areas;
    /// `principal` keeps those addressed to them, by person or by role.
    public func alerts(community: UUID, visibleAreas: Set<UUID>?, openOnly: Bool, for principal: Principal?, limit: Int,
                       kind: AlertKind? = nil) async throws -> [Alert] {
        let q = AlertModel.query(on: db).filter(\.$communityID == community)
        if openOnly { q.filter(\.$acknowledgedAt == nil) }
        if let kind { q.filter(\.$kind == kind.rawValue) }
        if let areas = visibleAreas { q.filter(\.$areaID ~~ areas) }
        if let p = principal {
            let level = AlertLevel.allCases.first { $0.role == p.role }?.rawValue ?? "-"
            q.group(.or) { $0.filter(\.$targetUserID == p.userID).group(.and) { $0.filter(\.$targetUserID == nil).filter(\.$level == level) } }
        }
        return try await q.sort(\.$raisedAt, .descending).limit(min(max(limit, 1), 500)).all().map(\.domain)
    }

    public func alert(_ id: UUID) async throws -> Alert? { try await AlertModel.find(id, on: db)?.domain }

    /// The alerts of one subject, oldest first.
    public func alerts(of subject: SubjectKind, _ id: UUID) async throws -> [Alert] {
        try await AlertModel.query(on: db).filter(\.$subjectKind == subject.rawValue).filter(\.$subjectID == id).sort(\.$raisedAt).all().map(\.domain)
    }

    /// Records who saw an alert, under a lock on the alert row. A second acknowledgement changes
    /// nothing and returns the first.
    public func acknowledge(_ alertID: UUID, note: String, by actor: Actor) async throws -> Alert {
        let at = now()
        let note = try Validate.text(note, field: "note", max: 500, required: false)
        let handlers = self.handlers
        return try await db.writeTransaction { tx in
            guard let a = try await tx.lockedFind(AlertModel.self, alertID) else { throw DomainError.notFound(Noun.alert) }
            if a.acknowledgedAt != nil { return a.domain }
            a.acknowledgedAt = at
            a.acknowledgedByID = actor.userID
            a.acknowledgedByName = actor.name
            a.acknowledgeNote = note.isEmpty ? nil : note
            try await a.update(on: tx)
            try await handlers[SubjectKind(rawValue: a.subjectKind)]?.acknowledged(a.domain, by: actor, at: at, on: tx)
            return a.domain
        }
    }
}
