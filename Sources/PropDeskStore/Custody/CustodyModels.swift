import Fluent
import Foundation
import PropDeskCore

final class CustodyAgreementModel: Model, @unchecked Sendable {
    static let schema = "custody_agreements"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "owner_name") var ownerName: String
    @Field(key: "owner_phone") var ownerPhone: String
    @Field(key: "start_day") var startDay: String
    @OptionalField(key: "end_day") var endDay: String?
    @Field(key: "fee_rate_per_mille") var feeRatePerMille: Int
    @Field(key: "water_limit") var waterLimit: Int
    @Field(key: "electricity_limit") var electricityLimit: Int
    @Field(key: "note") var note: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by_name") var createdByName: String
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "ended_by_name") var endedByName: String?
    init() {}

    init(_ a: CustodyAgreement) {
        id = a.id; communityID = a.communityID; unitID = a.unitID; areaID = a.areaID; ownerName = a.ownerName; ownerPhone = a.ownerPhone
        startDay = a.startDay; endDay = a.endDay; feeRatePerMille = a.feeRatePerMille; waterLimit = a.waterLimit; electricityLimit = a.electricityLimit
        note = a.note; createdAt = a.createdAt; createdByName = a.createdByName; endedAt = a.endedAt; endedByName = a.endedByName
    }

    var domain: CustodyAgreement {
        CustodyAgreement(id: id!, communityID: communityID, unitID: unitID, areaID: areaID, ownerName: ownerName, ownerPhone: ownerPhone, startDay: startDay,
                         endDay: endDay, feeRatePerMille: feeRatePerMille, waterLimit: waterLimit, electricityLimit: electricityLimit, note: note,
                         createdAt: createdAt, createdByName: createdByName, endedAt: endedAt, endedByName: endedByName)
    }
}

extension CustodyAgreementModel: BackupTable {}

final class RainWarningModel: Model, @unchecked Sendable {
    static let schema = "rain_warnings"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "issued_by_name") var issuedByName: String
    @OptionalField(key: "over_at") var overAt: Date?
    @OptionalField(key: "over_by_name") var overByName: String?
    @Field(key: "note") var note: String
    init() {}

    init(_ w: RainWarning) {
        id = w.id; communityID = w.communityID; issuedAt = w.issuedAt; issuedByName = w.issuedByName; overAt = w.overAt; overByName = w.overByName; note = w.note
    }

    var domain: RainWarning {
        RainWarning(id: id!, communityID: communityID, issuedAt: issuedAt, issuedByName: issuedByName, overAt: overAt, overByName: overByName, note: note)
    }
}

extension RainWarningModel: BackupTable {}

final class MeterReadingModel: Model, @unchecked Sendable {
    static let schema = "custody_readings"
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "month") var month: String
    @Field(key: "baseline") var baseline: Bool
    @Field(key: "water") var water: Int
    @Field(key: "electricity") var electricity: Int
    @OptionalField(key: "water_used") var waterUsed: Int?
    @OptionalField(key: "electricity_used") var electricityUsed: Int?
    @Field(key: "water_allowed") var waterAllowed: Int
    @Field(key: "electricity_allowed") var electricityAllowed: Int
    @Field(key: "read_at") var readAt: Date
    @Field(key: "by_name") var byName: String
    @Field(key: "note") var note: String
    init() {}

    init(_ r: MeterReading) {
        id = r.id; agreementID = r.agreementID; communityID = r.communityID; unitID = r.unitID; month = r.month; baseline = r.baseline; water = r.water
        electricity = r.electricity; waterUsed = r.waterUsed; electricityUsed = r.electricityUsed; waterAllowed = r.waterAllowed
        electricityAllowed = r.electricityAllowed; readAt = r.readAt; byName = r.byName; note = r.note
    }

    var domain: MeterReading {
        MeterReading(id: id!, agreementID: agreementID, communityID: communityID, unitID: unitID, month: month, baseline: baseline, water: water,
                     electricity: electricity, waterUsed: waterUsed, electricityUsed: electricityUsed, waterAllowed: waterAllowed,
                     electricityAllowed: electricityAllowed, readAt: readAt, byName: byName, note: note)
    }
}

extension MeterReadingModel: BackupTable {}

final class CustodyCheckModel: Model, @unchecked Sendable {
    static let schema = "custody_checks"
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "rain_warning_id") var rainWarningID: UUID?
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "done_at") var doneAt: Date?
    @OptionalField(key: "by_name") var byName: String?
    @Field(key: "findings") var findings: String
    @Field(key: "problem") var problem: Bool
    @Field(key: "owner_notified") var ownerNotified: Bool
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    /// The id the form sent when it completed a check opened by a rain warning: sent twice, done once.
    @OptionalField(key: "form_id") var formID: UUID?
    init() {}

    init(_ c: CustodyCheck) {
        id = c.id; agreementID = c.agreementID; communityID = c.communityID; unitID = c.unitID; areaID = c.areaID; kind = c.kind.rawValue
        rainWarningID = c.rainWarningID; openedAt = c.openedAt; dueAt = c.dueAt; doneAt = c.doneAt; byName = c.byName; findings = c.findings
        problem = c.problem; ownerNotified = c.ownerNotified; cancelledAt = c.cancelledAt
    }

    var domain: CustodyCheck {
        CustodyCheck(id: id!, agreementID: agreementID, communityID: communityID, unitID: unitID, areaID: areaID, kind: CustodyCheckKind(rawValue: kind) ?? .weekly,
                     rainWarningID: rainWarningID, openedAt: openedAt, dueAt: dueAt, doneAt: doneAt, byName: byName, findings: findings, problem: problem,
                     ownerNotified: ownerNotified, cancelledAt: cancelledAt)
    }
}

extension CustodyCheckModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension CustodyCheckModel: CommunityRow {}
extension CustodyAgreementModel: CommunityRow {}
