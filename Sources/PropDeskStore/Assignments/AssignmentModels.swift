import Fluent
import Foundation
import PropDeskCore

final class AssignmentTableModel: Model, @unchecked Sendable {
    static let schema = "assignment_tables"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "version") var version: Int
    @Field(key: "status") var status: String
    /// The rows as JSON.
    @Field(key: "rows") var rows: String
    @Field(key: "note") var note: String
    @OptionalField(key: "drafted_by_id") var draftedByID: UUID?
    @Field(key: "drafted_by") var draftedBy: String
    @Field(key: "drafted_at") var draftedAt: Date
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "decided_by_id") var decidedByID: UUID?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decision_note") var decisionNote: String?
    init() {}

    init(_ t: AssignmentTable) {
        id = t.id; communityID = t.communityID; version = t.version; status = t.status.rawValue; rows = AuditEntry.snapshot(t.rows); note = t.note
        draftedByID = t.draftedByID; draftedBy = t.draftedBy; draftedAt = t.draftedAt; submittedAt = t.submittedAt; decidedByID = t.decidedByID
        decidedBy = t.decidedBy; decidedAt = t.decidedAt; decisionNote = t.decisionNote
    }

    var domain: AssignmentTable {
        AssignmentTable(id: id!, communityID: communityID, version: version, status: AssignmentStatus(rawValue: status) ?? .draft,
                        rows: (try? JSONDecoder().decode([AssignmentRow].self, from: Data(rows.utf8))) ?? [], note: note, draftedByID: draftedByID,
                        draftedBy: draftedBy, draftedAt: draftedAt, submittedAt: submittedAt, decidedByID: decidedByID, decidedBy: decidedBy,
                        decidedAt: decidedAt, decisionNote: decisionNote)
    }
}

final class StaffChangeModel: Model, @unchecked Sendable {
    static let schema = "staff_changes"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "user_name") var userName: String
    @Field(key: "kind") var kind: String
    @Field(key: "at") var at: Date
    @Field(key: "due_at") var dueAt: Date
    @OptionalField(key: "resolved_by_table_id") var resolvedByTableID: UUID?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    init() {}

    init(_ c: StaffChange) {
        id = c.id; communityID = c.communityID; userID = c.userID; userName = c.userName; kind = c.kind.rawValue; at = c.at; dueAt = c.dueAt
        resolvedByTableID = c.resolvedByTableID; resolvedAt = c.resolvedAt
    }

    var domain: StaffChange {
        StaffChange(id: id!, communityID: communityID, userID: userID, userName: userName, kind: StaffChange.Kind(rawValue: kind) ?? .moved, at: at,
                    dueAt: dueAt, resolvedByTableID: resolvedByTableID, resolvedAt: resolvedAt)
    }
}

final class ContactCardModel: Model, @unchecked Sendable {
    static let schema = "contact_cards"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @Field(key: "area_name") var areaName: String
    @Field(key: "table_id") var tableID: UUID
    @Field(key: "supervisor_id") var supervisorID: UUID
    @Field(key: "supervisor_name") var supervisorName: String
    @Field(key: "mobile") var mobile: String
    @Field(key: "work_phone") var workPhone: String
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "due_at") var dueAt: Date
    @OptionalField(key: "printed_at") var printedAt: Date?
    @OptionalField(key: "posted_at") var postedAt: Date?
    @OptionalField(key: "posted_by") var postedBy: String?
    init() {}

    init(_ c: ContactCard) {
        id = c.id; communityID = c.communityID; areaID = c.areaID; areaName = c.areaName; tableID = c.tableID; supervisorID = c.supervisorID
        supervisorName = c.supervisorName; mobile = c.mobile; workPhone = c.workPhone; issuedAt = c.issuedAt; dueAt = c.dueAt; printedAt = c.printedAt
        postedAt = c.postedAt; postedBy = c.postedBy
    }

    var domain: ContactCard {
        ContactCard(id: id!, communityID: communityID, areaID: areaID, areaName: areaName, tableID: tableID, supervisorID: supervisorID,
                    supervisorName: supervisorName, mobile: mobile, workPhone: workPhone, issuedAt: issuedAt, dueAt: dueAt, printedAt: printedAt,
                    postedAt: postedAt, postedBy: postedBy)
    }
}

extension AssignmentTableModel: BackupTable {}
extension StaffChangeModel: BackupTable {}
extension ContactCardModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension AssignmentTableModel: CommunityRow {}
extension ContactCardModel: CommunityRow {}
