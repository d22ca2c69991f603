import Fluent
import Foundation
import PropDeskCore

final class HouseholdVisitModel: Model, @unchecked Sendable {
    static let schema = "household_visits"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "by_id") var byID: UUID?
    @Field(key: "by_name") var byName: String
    @Field(key: "at") var at: Date
    @Field(key: "mode") var mode: String
    @Field(key: "met") var met: String
    @Field(key: "notes") var notes: String
    @OptionalField(key: "check_outcome") var checkOutcome: String?
    init() {}

    init(_ v: HouseholdVisit) {
        id = v.id; communityID = v.communityID; areaID = v.areaID; unitID = v.unitID; byID = v.byID; byName = v.byName; at = v.at; mode = v.mode.rawValue
        met = v.met; notes = v.notes; checkOutcome = v.check?.rawValue
    }

    func domain(filed: [HouseholdVisit.Filed]) -> HouseholdVisit {
        HouseholdVisit(id: id!, communityID: communityID, areaID: areaID, unitID: unitID, byID: byID, byName: byName, at: at, mode: VisitMode(rawValue: mode) ?? .door,
                       met: met, notes: notes, filed: filed, check: checkOutcome.flatMap(SpotCheckOutcome.init(rawValue:)))
    }
}

final class HouseholdVisitOrderModel: Model, @unchecked Sendable {
    static let schema = "household_visit_orders"
    @ID(key: .id) var id: UUID?
    @Field(key: "visit_id") var visitID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "order_id") var orderID: UUID
    @Field(key: "order_number") var orderNumber: String
    @Field(key: "kind") var kind: String
    init() {}

    init(visit: UUID, community: UUID, _ f: HouseholdVisit.Filed) {
        id = UUID(); visitID = visit; communityID = community; orderID = f.orderID; orderNumber = f.number; kind = f.kind.rawValue
    }

    var domain: HouseholdVisit.Filed { HouseholdVisit.Filed(orderID: orderID, number: orderNumber, kind: RequestKind(rawValue: kind) ?? .inquiry) }
}

extension HouseholdVisitModel: BackupTable {}
extension HouseholdVisitOrderModel: BackupTable {}
