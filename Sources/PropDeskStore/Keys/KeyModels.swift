import Fluent
import Foundation
import PropDeskCore

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

extension KeyMovementModel: BackupTable {}

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

extension KeyReconciliationModel: BackupTable {}
