import Fluent
import Foundation
import PropDeskCore

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

extension VisitorModel: BackupTable {}
