import Fluent
import Foundation
import PropDeskCore

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

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension UnitPassModel: CommunityRow {}
