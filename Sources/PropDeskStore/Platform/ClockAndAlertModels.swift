import Fluent
import Foundation
import PropDeskCore

/// Clocks and alerts of every subject (PLT-2); rows of `sla_clocks` and `alerts`.
final class SLAClockModel: Model, @unchecked Sendable {
    static let schema = "sla_clocks"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject_kind") var subjectKind: String
    @Field(key: "subject_id") var subjectID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "round") var round: Int
    @Field(key: "target_seconds") var targetSeconds: Int
    @Field(key: "service_hours_only") var serviceHoursOnly: Bool
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "due_at") var dueAt: Date
    @OptionalField(key: "paused_at") var pausedAt: Date?
    @OptionalField(key: "remaining_at_pause") var remainingAtPause: Int?
    @Field(key: "held_seconds") var heldSeconds: Int
    @OptionalField(key: "stopped_at") var stoppedAt: Date?
    @OptionalField(key: "breached_at") var breachedAt: Date?
    @Field(key: "level") var level: Int
    @OptionalField(key: "next_fire_at") var nextFireAt: Date?

    init() {}
    convenience init(_ d: SLAClock) {
        self.init()
        set(d)
    }

    func set(_ d: SLAClock) {
        id = d.id
        subjectKind = d.subjectKind.rawValue
        subjectID = d.subjectID
        communityID = d.communityID
        kind = d.kind.rawValue
        round = d.round
        targetSeconds = d.targetSeconds
        serviceHoursOnly = d.serviceHoursOnly
        startedAt = d.startedAt
        dueAt = d.dueAt
        pausedAt = d.pausedAt
        remainingAtPause = d.remainingAtPause
        heldSeconds = d.heldSeconds
        stoppedAt = d.stoppedAt
        breachedAt = d.breachedAt
        level = d.level
        nextFireAt = d.nextFireAt
    }
    var domain: SLAClock {
        SLAClock(id: id!, subjectKind: SubjectKind(rawValue: subjectKind), subjectID: subjectID, communityID: communityID, kind: ClockKind(rawValue: kind)!, round: round, targetSeconds: targetSeconds, serviceHoursOnly: serviceHoursOnly, startedAt: startedAt, dueAt: dueAt, pausedAt: pausedAt, remainingAtPause: remainingAtPause, heldSeconds: heldSeconds, stoppedAt: stoppedAt, breachedAt: breachedAt, level: level, nextFireAt: nextFireAt)
    }
}

final class AlertModel: Model, @unchecked Sendable {
    static let schema = "alerts"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "subject_kind") var subjectKind: String
    @Field(key: "subject_id") var subjectID: UUID
    @Field(key: "subject_label") var subjectLabel: String
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "clock_kind") var clockKind: String?
    @Field(key: "level") var level: String
    @OptionalField(key: "target_user_id") var targetUserID: UUID?
    @Field(key: "raised_at") var raisedAt: Date
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "acknowledged_by_id") var acknowledgedByID: UUID?
    @OptionalField(key: "acknowledged_by_name") var acknowledgedByName: String?
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    @OptionalField(key: "acknowledge_note") var acknowledgeNote: String?

    init() {}
    convenience init(_ d: Alert) {
        self.init()
        set(d)
    }

    func set(_ d: Alert) {
        id = d.id
        communityID = d.communityID
        subjectKind = d.subjectKind.rawValue
        subjectID = d.subjectID
        subjectLabel = d.subjectLabel
        areaID = d.areaID
        kind = d.kind.rawValue
        clockKind = d.clockKind?.rawValue
        level = d.level.rawValue
        targetUserID = d.targetUserID
        raisedAt = d.raisedAt
        dueAt = d.dueAt
        acknowledgedByID = d.acknowledgedByID
        acknowledgedByName = d.acknowledgedByName
        acknowledgedAt = d.acknowledgedAt
        acknowledgeNote = d.acknowledgeNote
    }
    var domain: Alert {
        Alert(id: id!, communityID: communityID, subjectKind: SubjectKind(rawValue: subjectKind), subjectID: subjectID, subjectLabel: subjectLabel, areaID: areaID, kind: AlertKind(rawValue: kind)!, clockKind: clockKind.flatMap(ClockKind.init(rawValue:)), level: AlertLevel(rawValue: level)!, targetUserID: targetUserID, raisedAt: raisedAt, dueAt: dueAt, acknowledgedByID: acknowledgedByID, acknowledgedByName: acknowledgedByName, acknowledgedAt: acknowledgedAt, acknowledgeNote: acknowledgeNote)
    }
}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension AlertModel: CommunityRow {}
