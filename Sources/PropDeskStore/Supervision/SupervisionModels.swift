import Fluent
import Foundation
import PropDeskCore

final class AreaInspectionModel: Model, @unchecked Sendable {
    static let schema = "area_inspections"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @OptionalField(key: "log_id") var logID: UUID?
    @OptionalField(key: "inspector_id") var inspectorID: UUID?
    @Field(key: "inspector_name") var inspectorName: String
    @Field(key: "at") var at: Date
    @Field(key: "matches_log") var matchesLog: Bool
    @Field(key: "findings") var findings: String
    init() {}

    init(_ i: AreaInspection) {
        id = i.id; communityID = i.communityID; areaID = i.areaID; logID = i.logID; inspectorID = i.inspectorID; inspectorName = i.inspectorName; at = i.at
        matchesLog = i.matchesLog; findings = i.findings
    }

    var domain: AreaInspection {
        AreaInspection(id: id!, communityID: communityID, areaID: areaID, logID: logID, inspectorID: inspectorID, inspectorName: inspectorName, at: at,
                       matchesLog: matchesLog, findings: findings)
    }
}

final class SpotCheckDrawModel: Model, @unchecked Sendable {
    static let schema = "spot_check_draws"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "month") var month: String
    /// The seed, as a decimal string (a UInt64 does not fit every database's integer).
    @Field(key: "seed") var seed: String
    /// Per area: the population in order, what was drawn before and what this draw picked (JSON).
    @Field(key: "plan") var plan: String
    @Field(key: "drawn_at") var drawnAt: Date
    @Field(key: "drawn_by") var drawnBy: String
    init() {}
}

final class SpotCheckModel: Model, @unchecked Sendable {
    static let schema = "spot_checks"
    @ID(key: .id) var id: UUID?
    @Field(key: "draw_id") var drawID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @Field(key: "visit_id") var visitID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "supervisor_name") var supervisorName: String
    @Field(key: "visited_at") var visitedAt: Date
    @Field(key: "mode") var mode: String
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "note") var note: String
    @OptionalField(key: "called_at") var calledAt: Date?
    @OptionalField(key: "called_by") var calledBy: String?
    init() {}

    init(_ s: SpotCheck) {
        id = s.id; drawID = s.drawID; communityID = s.communityID; areaID = s.areaID; visitID = s.visitID; unitID = s.unitID; supervisorName = s.supervisorName
        visitedAt = s.visitedAt; mode = s.mode.rawValue; outcome = s.outcome?.rawValue; note = s.note; calledAt = s.calledAt; calledBy = s.calledBy
    }

    var domain: SpotCheck {
        SpotCheck(id: id!, drawID: drawID, communityID: communityID, areaID: areaID, visitID: visitID, unitID: unitID, supervisorName: supervisorName,
                  visitedAt: visitedAt, mode: VisitMode(rawValue: mode) ?? .door, outcome: outcome.flatMap(SpotCheckOutcome.init(rawValue:)), note: note,
                  calledAt: calledAt, calledBy: calledBy)
    }
}

extension AreaInspectionModel: BackupTable {}
extension SpotCheckDrawModel: BackupTable {}
extension SpotCheckModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension SpotCheckModel: CommunityRow {}
