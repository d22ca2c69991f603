import Fluent
import Foundation
import PropDeskCore

final class MoveInModel: Model, @unchecked Sendable {
    static let schema = "move_ins"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "building_id") var buildingID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "buyer_name") var buyerName: String
    @Field(key: "buyer_kind") var buyerKind: String
    @Field(key: "buyer_phone") var buyerPhone: String
    @Field(key: "commercial") var commercial: Bool
    @Field(key: "status") var status: String
    @Field(key: "opened_at") var openedAt: Date
    @Field(key: "opened_by_name") var openedByName: String
    @OptionalField(key: "reg_owner_name") var regOwnerName: String?
    @OptionalField(key: "reg_phone") var regPhone: String?
    @OptionalField(key: "reg_members") var regMembers: Int?
    @OptionalField(key: "reg_emergency_contact") var regEmergencyContact: String?
    @OptionalField(key: "reg_emergency_phone") var regEmergencyPhone: String?
    @Field(key: "keys_handed") var keysHanded: Int
    @Field(key: "handbook_handed") var handbookHanded: Bool
    @Field(key: "drawings_handed") var drawingsHanded: Bool
    @OptionalField(key: "handed_over_at") var handedOverAt: Date?
    @OptionalField(key: "fee_from") var feeFrom: String?
    @OptionalField(key: "management_fee_fen") var managementFeeFen: Int?
    @OptionalField(key: "moving_deposit_fen") var movingDepositFen: Int?
    @OptionalField(key: "utilities_deposit_fen") var utilitiesDepositFen: Int?
    @OptionalField(key: "inspection_form_id") var inspectionFormID: UUID?
    @OptionalField(key: "inspected_at") var inspectedAt: Date?
    @OptionalField(key: "inspected_by_name") var inspectedByName: String?
    @OptionalField(key: "water_thousandths") var waterThousandths: Int?
    @OptionalField(key: "electricity_thousandths") var electricityThousandths: Int?
    @OptionalField(key: "gas_thousandths") var gasThousandths: Int?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "completed_by_name") var completedByName: String?
    init() {}

    init(_ c: MoveInCase) {
        id = c.id; communityID = c.communityID; unitID = c.unitID; buildingID = c.buildingID; areaID = c.areaID; buyerName = c.buyerName
        buyerKind = c.buyerKind.rawValue; buyerPhone = c.buyerPhone; commercial = c.commercial; status = c.status.rawValue; openedAt = c.openedAt
        openedByName = c.openedByName; keysHanded = 0; handbookHanded = false; drawingsHanded = false
    }

    func domain(defects: [MoveInDefect], files: [MoveInFile]) -> MoveInCase {
        var registration: ResidentRegistration?
        if let regOwnerName, let regPhone, let regMembers {
            registration = ResidentRegistration(ownerName: regOwnerName, phone: regPhone, householdMembers: regMembers,
                                                emergencyContact: regEmergencyContact ?? "", emergencyPhone: regEmergencyPhone ?? "")
        }
        let handover = handedOverAt == nil ? nil : MoveInHandover(keys: keysHanded, handbook: handbookHanded, drawings: drawingsHanded)
        var fees: MoveInFees?
        if let feeFrom { fees = MoveInFees(managementFeeFrom: feeFrom, managementFeeFen: managementFeeFen ?? 0, movingDepositFen: movingDepositFen ?? 0,
                                           utilitiesDepositFen: utilitiesDepositFen ?? 0) }
        var inspection: MoveInInspection?
        if let inspectedAt {
            inspection = MoveInInspection(at: inspectedAt, byName: inspectedByName ?? "", meters: MeterReadings(
                waterThousandths: waterThousandths ?? 0, electricityThousandths: electricityThousandths ?? 0, gasThousandths: gasThousandths))
        }
        return MoveInCase(id: id!, communityID: communityID, unitID: unitID, buildingID: buildingID, areaID: areaID, buyerName: buyerName,
                          buyerKind: BuyerKind(rawValue: buyerKind) ?? .individual, buyerPhone: buyerPhone, commercial: commercial,
                          status: MoveInStatus(rawValue: status) ?? .open, openedAt: openedAt, openedByName: openedByName, registration: registration,
                          handover: handover, fees: fees, inspection: inspection, defects: defects, files: files, completedAt: completedAt,
                          completedByName: completedByName)
    }
}

/// Which evidence on a case is which item of the checklist (FD-1): the item's key
/// (`MoveInFileItem.key`: "business_licence", "owners_covenant", "inspection_sign_off") and the
/// evidence id. A later file for the same item is a new row; the latest one counts.
final class MoveInFileModel: Model, @unchecked Sendable {
    static let schema = "move_in_files"
    @ID(key: .id) var id: UUID?
    /// The case's community (RUN-5); optional only so that a backup from before 0030 still reads.
    @OptionalField(key: "community_id") var communityID: UUID?
    @Field(key: "move_in_id") var moveInID: UUID
    @Field(key: "item") var item: String
    @Field(key: "evidence_id") var evidenceID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "by_name") var byName: String
    init() {}

    init(moveIn: UUID, community: UUID, item: MoveInFileItem, evidence: UUID, at: Date, byName: String) {
        id = UUID(); communityID = community; moveInID = moveIn; self.item = item.key; evidenceID = evidence; self.at = at; self.byName = byName
    }

    var domain: MoveInFile? { MoveInFileItem(key: item).map { MoveInFile(item: $0, evidenceID: evidenceID, at: at) } }
}

final class MoveInDefectModel: Model, @unchecked Sendable {
    static let schema = "move_in_defects"
    @ID(key: .id) var id: UUID?
    @Field(key: "move_in_id") var moveInID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "text") var text: String
    @Field(key: "order_id") var orderID: UUID
    @Field(key: "order_number") var orderNumber: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "reinspected_at") var reinspectedAt: Date?
    @OptionalField(key: "reinspected_by_name") var reinspectedByName: String?
    init() {}

    init(_ d: MoveInDefect, community: UUID, at: Date) {
        id = d.id; moveInID = d.caseID; communityID = community; text = d.text; orderID = d.orderID; orderNumber = d.orderNumber; createdAt = at
    }

    var domain: MoveInDefect {
        MoveInDefect(id: id!, caseID: moveInID, text: text, orderID: orderID, orderNumber: orderNumber, reinspectedAt: reinspectedAt, reinspectedBy: reinspectedByName)
    }
}

extension MoveInModel: BackupTable {}
extension MoveInFileModel: CommunityChild {
    static var parentSchema: String { MoveInModel.schema }
    var parentID: UUID { moveInID }
}
extension MoveInDefectModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension MoveInModel: CommunityRow {}
