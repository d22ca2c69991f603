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

final class KeyMovementModel: Model, @unchecked Sendable {
    static let schema = "key_movements"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "count") var count: Int
    @Field(key: "party") var party: String
    @Field(key: "id_checked") var idChecked: String
    @Field(key: "purpose") var purpose: String
    @OptionalField(key: "expected_back") var expectedBack: Date?
    @Field(key: "at") var at: Date
    @Field(key: "by_name") var byName: String
    init() {}

    init(_ m: KeyMovement) {
        id = m.id; communityID = m.communityID; unitID = m.unitID; kind = m.kind.rawValue; count = m.count; party = m.party; idChecked = m.idChecked
        purpose = m.purpose; expectedBack = m.expectedBack; at = m.at; byName = m.byName
    }

    var domain: KeyMovement {
        KeyMovement(id: id!, communityID: communityID, unitID: unitID, kind: KeyMovementKind(rawValue: kind) ?? .received, count: count, party: party,
                    idChecked: idChecked, purpose: purpose, expectedBack: expectedBack, at: at, byName: byName)
    }
}

final class KeyReconciliationModel: Model, @unchecked Sendable {
    static let schema = "key_reconciliations"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "by_name") var byName: String
    @Field(key: "units") var units: Int
    /// JSON: the units whose count on the board differed from the ledger.
    @Field(key: "differences") var differences: String
    @Field(key: "note") var note: String
    init() {}
}

final class VisitorModel: Model, @unchecked Sendable {
    static let schema = "visitors"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "name") var name: String
    @Field(key: "id_type") var idType: String
    @Field(key: "id_number_sealed") var idNumberSealed: String
    @Field(key: "id_number_masked") var idNumberMasked: String
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "host") var host: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "phone") var phone: String
    @Field(key: "in_at") var inAt: Date
    @OptionalField(key: "out_at") var outAt: Date?
    @Field(key: "registered_by") var registeredBy: String
    init() {}

    var domain: Visitor {
        Visitor(id: id!, communityID: communityID, name: name, idType: IDDocumentType(rawValue: idType) ?? .residentID, idNumberMasked: idNumberMasked, unitID: unitID,
                host: host, purpose: purpose, phone: phone, inAt: inAt, outAt: outAt, registeredBy: registeredBy)
    }
}

final class UnitPassModel: Model, @unchecked Sendable {
    static let schema = "unit_passes"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "number") var number: String
    @Field(key: "plate") var plate: String
    @Field(key: "holder") var holder: String
    @Field(key: "valid_from") var validFrom: String
    @Field(key: "valid_until") var validUntil: String
    @Field(key: "status") var status: String
    @OptionalField(key: "replaces") var replaces: UUID?
    @Field(key: "issued_at") var issuedAt: Date
    init() {}

    init(_ p: UnitPass) {
        id = p.id; communityID = p.communityID; unitID = p.unitID; kind = p.kind.rawValue; number = p.number; plate = p.plate; holder = p.holder
        validFrom = p.validFrom; validUntil = p.validUntil; status = p.status.rawValue; replaces = p.replaces; issuedAt = p.issuedAt
    }

    var domain: UnitPass {
        UnitPass(id: id!, communityID: communityID, unitID: unitID, kind: PassKind(rawValue: kind) ?? .accessCard, number: number, plate: plate, holder: holder,
                 validFrom: validFrom, validUntil: validUntil, status: PassStatus(rawValue: status) ?? .active, replaces: replaces, issuedAt: issuedAt)
    }
}

extension UnitPassModel: BackupTable {}
extension VisitorModel: BackupTable {}
extension KeyMovementModel: BackupTable {}
extension KeyReconciliationModel: BackupTable {}
extension DutyLogDayModel: BackupTable {}
extension ShiftHandoverModel: BackupTable {}
