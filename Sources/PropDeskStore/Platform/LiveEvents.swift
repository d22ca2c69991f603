import Fluent
import Foundation
import PropDeskCore

/// Live events of subjects other than orders (INT-7, PLT-2): what an open board needs to know
/// that something about a subject changed. Staff only: published without a unit, so residents'
/// streams never carry them.
enum LiveEvents {
    struct SubjectPayload: Codable, Sendable {
        let type: String
        let subjectKind: String
        let subjectId: UUID
        let label: String
        let alert: LivePayload.AlertPart?
    }

    static func publish(alert a: Alert, subject: SubjectRef, on db: any Database, at: Date, kind: String = "alert.raised") async throws {
        let payload = SubjectPayload(type: kind, subjectKind: subject.kind.rawValue, subjectId: subject.id, label: subject.label,
                                     alert: .init(id: a.id, kind: a.kind.rawValue, level: a.level.rawValue, targetUserId: a.targetUserID,
                                                  message: a.message.zhHans, messageEn: a.message.en))
        let m = LiveEventModel()
        m.communityID = subject.communityID
        m.areaID = subject.areaID
        m.unitID = nil
        m.kind = kind
        m.payload = AuditEntry.snapshot(payload)
        m.at = at
        try await m.create(on: db)
    }
}
