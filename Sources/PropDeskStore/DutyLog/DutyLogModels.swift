import Fluent
import Foundation
import PropDeskCore

final class DutyLogDayModel: Model, @unchecked Sendable {
    static let schema = "duty_log_days"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "day") var day: String
    @Field(key: "day_start") var dayStart: Date
    @Field(key: "day_end") var dayEnd: Date
    @Field(key: "sign_due_at") var signDueAt: Date
    @OptionalField(key: "signed_at") var signedAt: Date?
    @OptionalField(key: "signed_by") var signedBy: String?
    init() {}

    var domain: DutyLogDay {
        DutyLogDay(id: id!, communityID: communityID, day: day, dayStart: dayStart, dayEnd: dayEnd, signDueAt: signDueAt, signedAt: signedAt, signedBy: signedBy)
    }
}

final class ShiftHandoverModel: Model, @unchecked Sendable {
    static let schema = "shift_handovers"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "shift") var shift: String
    @OptionalField(key: "from_id") var fromID: UUID?
    @Field(key: "from_name") var fromName: String
    @OptionalField(key: "to_id") var toID: UUID?
    @OptionalField(key: "to_name") var toName: String?
    /// JSON.
    @Field(key: "assets") var assets: String
    /// JSON.
    @Field(key: "items") var items: String
    @Field(key: "anomalies") var anomalies: String
    @Field(key: "handed_at") var handedAt: Date
    @OptionalField(key: "taken_at") var takenAt: Date?
    init() {}

    init(_ h: ShiftHandover) {
        id = h.id; communityID = h.communityID; shift = h.shift.rawValue; fromID = h.fromID; fromName = h.fromName; toID = h.toID; toName = h.toName
        assets = AuditEntry.snapshot(h.assets); items = AuditEntry.snapshot(h.items); anomalies = h.anomalies; handedAt = h.handedAt; takenAt = h.takenAt
    }

    var domain: ShiftHandover {
        ShiftHandover(id: id!, communityID: communityID, shift: DeskShift(rawValue: shift) ?? .day, fromID: fromID, fromName: fromName, toID: toID, toName: toName,
                      assets: (try? JSONDecoder().decode([ShiftHandover.AssetCheck].self, from: Data(assets.utf8))) ?? [],
                      items: (try? JSONDecoder().decode([ShiftHandover.OpenItem].self, from: Data(items.utf8))) ?? [],
                      anomalies: anomalies, handedAt: handedAt, takenAt: takenAt)
    }
}

extension DutyLogDayModel: BackupTable {}
extension ShiftHandoverModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension DutyLogDayModel: CommunityRow {}
extension ShiftHandoverModel: CommunityRow {}
