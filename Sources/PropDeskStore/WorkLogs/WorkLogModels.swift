import Fluent
import Foundation
import PropDeskCore

final class WorkLogModel: Model, @unchecked Sendable {
    static let schema = "work_logs"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "supervisor_id") var supervisorID: UUID
    @Field(key: "supervisor_name") var supervisorName: String
    @Field(key: "day") var day: String
    @Field(key: "day_start") var dayStart: Date
    @Field(key: "day_end") var dayEnd: Date
    @Field(key: "review_due_at") var reviewDueAt: Date
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    init() {}

    init(_ l: WorkLog) {
        id = l.id; communityID = l.communityID; areaID = l.areaID; supervisorID = l.supervisorID; supervisorName = l.supervisorName; day = l.day
        dayStart = l.dayStart; dayEnd = l.dayEnd; reviewDueAt = l.reviewDueAt; reviewedAt = l.reviewedAt; reviewedBy = l.reviewedBy
    }

    var domain: WorkLog {
        WorkLog(id: id!, communityID: communityID, areaID: areaID, supervisorID: supervisorID, supervisorName: supervisorName, day: day, dayStart: dayStart,
                dayEnd: dayEnd, reviewDueAt: reviewDueAt, reviewedAt: reviewedAt, reviewedBy: reviewedBy)
    }
}

final class WorkLogHandoverModel: Model, @unchecked Sendable {
    static let schema = "work_log_handovers"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "log_id") var logID: UUID
    @Field(key: "from_name") var fromName: String
    @Field(key: "to_id") var toID: UUID
    @Field(key: "to_name") var toName: String
    @Field(key: "at") var at: Date
    @Field(key: "items") var items: String
    init() {}
}

extension WorkLogModel: BackupTable {}
extension WorkLogHandoverModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension WorkLogModel: CommunityRow {}
