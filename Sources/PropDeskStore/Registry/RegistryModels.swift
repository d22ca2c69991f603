import Fluent
import Foundation
import PropDeskCore

final class CommunityModel: Model, @unchecked Sendable {
    static let schema = "communities"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "address") var address: String
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "created_at") var createdAt: Date
    init() {}

    init(_ c: Community, at: Date) {
        id = c.id; code = c.code; name = c.name; address = c.address; timeZone = c.timeZone; createdAt = at
    }

    var domain: Community { Community(id: id!, code: code, name: name, address: address, timeZone: timeZone) }
}

final class AreaModel: Model, @unchecked Sendable {
    static let schema = "areas"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "name") var name: String
    init() {}
    init(_ a: Area) { id = a.id; communityID = a.communityID; name = a.name }
    var domain: Area { Area(id: id!, communityID: communityID, name: name) }
}

final class BuildingModel: Model, @unchecked Sendable {
    static let schema = "buildings"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "floors") var floors: Int
    init() {}
    init(_ b: Building) { id = b.id; communityID = b.communityID; areaID = b.areaID; name = b.name; floors = b.floors }
    var domain: Building { Building(id: id!, communityID: communityID, areaID: areaID, name: name, floors: floors) }
}

final class UnitModel: Model, @unchecked Sendable {
    static let schema = "units"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "building_id") var buildingID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "room_number") var roomNumber: String
    @Field(key: "floor") var floor: Int
    @Field(key: "kind") var kind: String
    @Field(key: "floor_area_hundredths") var floorAreaHundredths: Int
    init() {}
    init(_ u: PropertyUnit) {
        id = u.id; communityID = u.communityID; buildingID = u.buildingID; areaID = u.areaID
        roomNumber = u.roomNumber; floor = u.floor; kind = u.kind.rawValue; floorAreaHundredths = u.floorArea.hundredths
    }
    var domain: PropertyUnit {
        PropertyUnit(id: id!, communityID: communityID, buildingID: buildingID, areaID: areaID, roomNumber: roomNumber, floor: floor,
             kind: UnitKind(rawValue: kind) ?? .residential, floorArea: FloorArea(hundredths: floorAreaHundredths))
    }
}

final class PersonModel: Model, @unchecked Sendable {
    static let schema = "people"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    @Field(key: "phone") var phone: String
    @OptionalField(key: "id_type") var idType: String?
    /// AES-GCM sealed box (SEC-3): the ID number never rests on disk in clear.
    @OptionalField(key: "id_number_sealed") var idNumberSealed: String?
    @OptionalField(key: "id_number_masked") var idNumberMasked: String?
    init() {}
    init(_ p: Person, sealed: String?) {
        id = p.id; communityID = p.communityID; kind = p.kind.rawValue; name = p.name; phone = p.phone
        idType = p.idDocumentType?.rawValue; idNumberSealed = sealed; idNumberMasked = p.idNumberMasked
    }
    var domain: Person {
        Person(id: id!, communityID: communityID, kind: PersonKind(rawValue: kind) ?? .individual, name: name, phone: phone,
               idDocumentType: idType.flatMap(IDDocumentType.init(rawValue:)), idNumberMasked: idNumberMasked)
    }
}

final class OccupancyModel: Model, @unchecked Sendable {
    static let schema = "occupancies"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "relation") var relation: String
    init() {}
    init(_ o: Occupancy) { id = o.id; communityID = o.communityID; unitID = o.unitID; personID = o.personID; relation = o.relation.rawValue }
    var domain: Occupancy {
        Occupancy(id: id!, communityID: communityID, unitID: unitID, personID: personID, relation: OccupantRelation(rawValue: relation) ?? .family)
    }
}

/// Suffix keys for typeahead (see `SearchTerms`); rebuilt whenever the unit or person changes.
final class SearchTermModel: Model, @unchecked Sendable {
    static let schema = "search_terms"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "term") var term: String
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "person_id") var personID: UUID?
    init() {}
    init(communityID: UUID, areaID: UUID?, term: String, unitID: UUID, personID: UUID?) {
        self.id = UUID(); self.communityID = communityID; self.areaID = areaID; self.term = term
        self.unitID = unitID; self.personID = personID
    }
}
