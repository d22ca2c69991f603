import Fluent
import Foundation
import PropDeskCore

final class RenovationModel: Model, @unchecked Sendable {
    static let schema = "renovations"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "building_id") var buildingID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "number") var number: String
    @Field(key: "applicant") var applicant: String
    @Field(key: "applicant_phone") var applicantPhone: String
    @Field(key: "contractor") var contractor: String
    @Field(key: "contractor_phone") var contractorPhone: String
    @Field(key: "works") var works: String
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "deposit_fen") var depositFen: Int
    @Field(key: "inspect_every_days") var inspectEveryDays: Int
    @Field(key: "protection") var protection: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "approved_by_name") var approvedByName: String?
    @OptionalField(key: "closed_at") var closedAt: Date?
    init() {}

    init(_ r: Renovation) {
        id = r.id; communityID = r.communityID; unitID = r.unitID; buildingID = r.buildingID; areaID = r.areaID; number = r.number; applicant = r.applicant
        applicantPhone = r.applicantPhone; contractor = r.contractor; contractorPhone = r.contractorPhone; works = r.works; startsOn = r.startsOn
        endsOn = r.endsOn; depositFen = r.depositFen; inspectEveryDays = r.inspectEveryDays; protection = r.protection; status = r.status.rawValue
        createdAt = r.createdAt; approvedAt = r.approvedAt; approvedByName = r.approvedByName; closedAt = r.closedAt
    }

    var domain: Renovation {
        Renovation(id: id!, communityID: communityID, unitID: unitID, buildingID: buildingID, areaID: areaID, number: number, applicant: applicant,
                   applicantPhone: applicantPhone, contractor: contractor, contractorPhone: contractorPhone, works: works, startsOn: startsOn, endsOn: endsOn,
                   depositFen: depositFen, inspectEveryDays: inspectEveryDays, protection: protection, status: RenovationStatus(rawValue: status) ?? .applied,
                   createdAt: createdAt, approvedAt: approvedAt, approvedByName: approvedByName, closedAt: closedAt)
    }
}

final class RenovationInspectionModel: Model, @unchecked Sendable {
    static let schema = "renovation_inspections"
    @ID(key: .id) var id: UUID?
    /// The renovation's community (RUN-5); optional only so that a backup from before 0030 still reads.
    @OptionalField(key: "community_id") var communityID: UUID?
    @Field(key: "renovation_id") var renovationID: UUID
    @Field(key: "at") var at: Date
    @OptionalField(key: "by_id") var byID: UUID?
    @Field(key: "by_name") var byName: String
    @Field(key: "passed") var passed: Bool
    @Field(key: "note") var note: String
    @Field(key: "completion") var completion: Bool
    init() {}

    init(_ i: RenovationInspection, community: UUID) {
        id = i.id; communityID = community; renovationID = i.renovationID; at = i.at; byID = i.byID; byName = i.byName; passed = i.passed; note = i.note; completion = i.completion
    }

    var domain: RenovationInspection {
        RenovationInspection(id: id!, renovationID: renovationID, at: at, byID: byID, byName: byName, passed: passed, note: note, completion: completion)
    }
}

final class RenovationViolationModel: Model, @unchecked Sendable {
    static let schema = "renovation_violations"
    @ID(key: .id) var id: UUID?
    @Field(key: "renovation_id") var renovationID: UUID
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "number") var number: String
    @Field(key: "status") var status: String
    @Field(key: "deadline") var deadline: Date
    @Field(key: "created_at") var createdAt: Date
    init() {}

    init(_ v: RenovationViolation) {
        id = v.id; renovationID = v.renovationID; communityID = v.communityID; areaID = v.areaID; number = v.number; status = v.status.rawValue
        deadline = v.deadline; createdAt = v.createdAt
    }

    var domain: RenovationViolation {
        RenovationViolation(id: id!, renovationID: renovationID, communityID: communityID, areaID: areaID, number: number,
                            status: ViolationStatus(rawValue: status) ?? .noticed, deadline: deadline, createdAt: createdAt)
    }
}

extension RenovationModel: BackupTable {}
extension RenovationInspectionModel: CommunityChild {
    static var parentSchema: String { RenovationModel.schema }
    var parentID: UUID { renovationID }
}
extension RenovationViolationModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension RenovationViolationModel: CommunityRow {}
