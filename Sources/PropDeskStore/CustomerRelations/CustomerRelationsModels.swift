import Fluent
import Foundation
import PropDeskCore

final class InterviewModel: Model, @unchecked Sendable {
    static let schema = "interviews"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "unit_label") var unitLabel: String
    @Field(key: "person") var person: String
    @Field(key: "channel") var channel: String
    @Field(key: "at") var at: Date
    @OptionalField(key: "by_id") var byID: UUID?
    @Field(key: "by_name") var byName: String
    init() {}

    init(_ i: Interview) {
        id = i.id; communityID = i.communityID; areaID = i.areaID; unitID = i.unitID; unitLabel = i.unitLabel; person = i.person
        channel = i.channel.rawValue; at = i.at; byID = i.byID; byName = i.byName
    }

    func domain(points: [InterviewPoint]) -> Interview {
        Interview(id: id!, communityID: communityID, areaID: areaID, unitID: unitID, unitLabel: unitLabel, person: person,
                  channel: InterviewChannel(rawValue: channel) ?? .visit, at: at, byID: byID, byName: byName, points: points)
    }
}

final class InterviewPointModel: Model, @unchecked Sendable {
    static let schema = "interview_points"
    @ID(key: .id) var id: UUID?
    @Field(key: "interview_id") var interviewID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "text") var text: String
    @Field(key: "topic") var topic: String
    @OptionalField(key: "issue_id") var issueID: UUID?
    init() {}

    init(_ p: InterviewPoint, community: UUID, seq: Int) {
        id = p.id; interviewID = p.interviewID; communityID = community; self.seq = seq; text = p.text; topic = p.topic.rawValue; issueID = p.issueID
    }

    var domain: InterviewPoint {
        InterviewPoint(id: id!, interviewID: interviewID, text: text, topic: InterviewTopic(rawValue: topic) ?? .other, issueID: issueID)
    }
}

final class CommonIssueModel: Model, @unchecked Sendable {
    static let schema = "common_issues"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "topic") var topic: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "by_name") var byName: String
    init() {}

    init(_ i: CommonIssue) {
        id = i.id; communityID = i.communityID; areaID = i.areaID; title = i.title; topic = i.topic.rawValue; createdAt = i.createdAt; byName = i.byName
    }

    func domain(count: Int) -> CommonIssue {
        CommonIssue(id: id!, communityID: communityID, areaID: areaID, title: title, topic: InterviewTopic(rawValue: topic) ?? .other, pointCount: count,
                    createdAt: createdAt, byName: byName)
    }
}

final class RectificationModel: Model, @unchecked Sendable {
    static let schema = "rectifications"
    @ID(key: .id) var id: UUID?
    @Field(key: "issue_id") var issueID: UUID
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "measure") var measure: String
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "owner_name") var ownerName: String
    @Field(key: "due_day") var dueDay: String
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "done_at") var doneAt: Date?
    @OptionalField(key: "done_note") var doneNote: String?
    @OptionalField(key: "done_by_name") var doneByName: String?
    @OptionalField(key: "notice_id") var noticeID: UUID?
    init() {}

    init(_ r: Rectification) {
        id = r.id; issueID = r.issueID; communityID = r.communityID; areaID = r.areaID; measure = r.measure; ownerID = r.ownerID; ownerName = r.ownerName
        dueDay = r.dueDay; dueAt = r.dueAt; status = r.status.rawValue; createdAt = r.createdAt; doneAt = r.doneAt; doneNote = r.doneNote
        doneByName = r.doneByName; noticeID = r.noticeID
    }

    var domain: Rectification {
        Rectification(id: id!, issueID: issueID, communityID: communityID, areaID: areaID, measure: measure, ownerID: ownerID, ownerName: ownerName,
                      dueDay: dueDay, dueAt: dueAt, status: RectificationStatus(rawValue: status) ?? .open, createdAt: createdAt, doneAt: doneAt,
                      doneNote: doneNote, doneByName: doneByName, noticeID: noticeID)
    }
}

final class CulturePlanModel: Model, @unchecked Sendable {
    static let schema = "culture_plans"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "title") var title: String
    @Field(key: "goals") var goals: String
    @Field(key: "budget_fen") var budgetFen: Int
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by_name") var createdByName: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "approved_by_name") var approvedByName: String?
    init() {}

    init(_ p: CulturePlan) {
        id = p.id; communityID = p.communityID; year = p.year; title = p.title; goals = p.goals; budgetFen = p.budgetFen; status = p.status.rawValue
        createdAt = p.createdAt; createdByName = p.createdByName; submittedAt = p.submittedAt; approvedAt = p.approvedAt; approvedByName = p.approvedByName
    }

    var domain: CulturePlan {
        CulturePlan(id: id!, communityID: communityID, year: year, title: title, goals: goals, budgetFen: budgetFen,
                    status: CulturePlanStatus(rawValue: status) ?? .draft, createdAt: createdAt, createdByName: createdByName, submittedAt: submittedAt,
                    approvedAt: approvedAt, approvedByName: approvedByName)
    }
}

final class CultureEventModel: Model, @unchecked Sendable {
    static let schema = "culture_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "title") var title: String
    @Field(key: "day") var day: String
    @Field(key: "place") var place: String
    @Field(key: "budget_fen") var budgetFen: Int
    @OptionalField(key: "attendance") var attendance: Int?
    @OptionalField(key: "record") var record: String?
    @OptionalField(key: "recorded_at") var recordedAt: Date?
    @OptionalField(key: "recorded_by_name") var recordedByName: String?
    init() {}

    init(_ e: CultureEvent) {
        id = e.id; planID = e.planID; communityID = e.communityID; title = e.title; day = e.day; place = e.place; budgetFen = e.budgetFen
        attendance = e.attendance; record = e.record; recordedAt = e.recordedAt; recordedByName = e.recordedByName
    }

    var domain: CultureEvent {
        CultureEvent(id: id!, planID: planID, communityID: communityID, title: title, day: day, place: place, budgetFen: budgetFen, attendance: attendance,
                     record: record, recordedAt: recordedAt, recordedByName: recordedByName)
    }
}

extension InterviewModel: BackupTable {}
extension CommonIssueModel: BackupTable {}
extension InterviewPointModel: BackupTable {}
extension RectificationModel: BackupTable {}
extension CulturePlanModel: BackupTable {}
extension CultureEventModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension RectificationModel: CommunityRow {}
