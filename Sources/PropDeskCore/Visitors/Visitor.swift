import Foundation

/// 来访登记 (FD-7, S1 篇三): a visitor at the gate or the desk — name, ID document (kept sealed;
/// shown masked, revealed only to roles that may, with an audit entry), whom they visit, why,
/// in and out.
public struct Visitor: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var name: String
    public var idType: IDDocumentType
    /// "110105********002X": the whole number never leaves the store in clear.
    public var idNumberMasked: String
    public var unitID: UUID?
    public var host: String
    public var purpose: String
    public var phone: String
    public var inAt: Date
    public var outAt: Date?
    public var registeredBy: String

    public init(id: UUID = UUID(), communityID: UUID, name: String, idType: IDDocumentType, idNumberMasked: String, unitID: UUID?, host: String, purpose: String,
                phone: String, inAt: Date, outAt: Date? = nil, registeredBy: String) {
        self.id = id
        self.communityID = communityID
        self.name = name
        self.idType = idType
        self.idNumberMasked = idNumberMasked
        self.unitID = unitID
        self.host = host
        self.purpose = purpose
        self.phone = phone
        self.inAt = inAt
        self.outAt = outAt
        self.registeredBy = registeredBy
    }

    public var inside: Bool { outAt == nil }
}
