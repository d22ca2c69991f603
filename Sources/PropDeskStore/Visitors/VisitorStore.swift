import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Visitor registration (FD-7): the ID number is sealed with the installation's key like a
/// resident's and kept masked beside it; only `reveal` opens it, and writes who asked to the
/// audit trail.
public struct VisitorStore: Sendable {
    let db: any Database
    let cipher: FieldCipher
    let now: @Sendable () -> Date

    public struct Arrival: Sendable {
        public var name: String
        public var idType: IDDocumentType
        public var idNumber: String
        public var unitID: UUID?
        public var host: String
        public var purpose: String
        public var phone: String
        /// The form's own id: a registration sent twice is stored once (SEC-5).
        public var visitorID: UUID?

        public init(name: String, idType: IDDocumentType, idNumber: String, unitID: UUID?, host: String, purpose: String, phone: String, visitorID: UUID? = nil) {
            self.visitorID = visitorID
            self.name = name
            self.idType = idType
            self.idNumber = idNumber
            self.unitID = unitID
            self.host = host
            self.purpose = purpose
            self.phone = phone
        }
    }

    public func arrive(_ a: Arrival, community: UUID, by actor: Actor) async throws -> Visitor {
        let name = try Validate.name(a.name, field: "name", max: 40)
        let number = try Validate.idNumber(a.idNumber, type: a.idType)
        let host = try Validate.text(a.host, field: "host", max: 60, required: true)
        let purpose = try Validate.text(a.purpose, field: "purpose", max: 200, required: true)
        let phone = a.phone.isEmpty ? "" : try Validate.phone(a.phone)
        if let u = a.unitID {
            guard let unit = try await UnitModel.find(u, on: db), unit.communityID == community else { throw DomainError.notFound(Noun.unit) }
        }
        if let id = a.visitorID, let sent = try await VisitorModel.find(id, on: db) {
            guard sent.communityID == community else { throw DomainError.notFound(Noun.visitor) }
            return sent.domain
        }
        let at = now()
        let m = VisitorModel()
        m.id = a.visitorID ?? UUID(); m.communityID = community; m.name = name; m.idType = a.idType.rawValue; m.idNumberSealed = try cipher.seal(number)
        m.idNumberMasked = Mask.idNumber(number); m.unitID = a.unitID; m.host = host; m.purpose = purpose; m.phone = phone; m.inAt = at; m.registeredBy = actor.name
        do {
            try await db.writeTransaction { tx in
                try await m.create(on: tx)
                try await AuditLog(db: tx).record(actor, .create, entity: "visitor", id: m.id, community: community,
                                                  after: ["name": name, "idNumber": m.idNumberMasked, "host": host], at: at)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same form, sent twice at once: the first one stands.
            guard let id = a.visitorID, let sent = try await VisitorModel.find(id, on: db), sent.communityID == community else { throw error }
            return sent.domain
        }
        return m.domain
    }

    public func leave(_ id: UUID, community: UUID, by actor: Actor) async throws -> Visitor {
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await VisitorModel.find(id, on: tx), m.communityID == community else { throw DomainError.notFound(Noun.visitor) }
            if m.outAt == nil {
                m.outAt = at
                try await m.update(on: tx)
            }
            return m.domain
        }
    }

    public func visitor(_ id: UUID) async throws -> Visitor? { try await VisitorModel.find(id, on: db)?.domain }

    /// Visitors who came in [from, until); inside now first.
    public func visitors(community: UUID, from: Date, until: Date) async throws -> [Visitor] {
        try await VisitorModel.query(on: db).filter(\.$communityID == community).filter(\.$inAt >= from).filter(\.$inAt < until).sort(\.$inAt, .descending)
            .limit(500).all().map(\.domain).sorted { ($0.inside ? 0 : 1) < ($1.inside ? 0 : 1) }
    }

    /// The whole ID number, for a role that may reveal it (the caller checks), audited.
    public func reveal(_ id: UUID, community: UUID, by actor: Actor) async throws -> String {
        guard let m = try await VisitorModel.find(id, on: db), m.communityID == community else { throw DomainError.notFound(Noun.visitor) }
        let number = try cipher.open(m.idNumberSealed)
        try await AuditLog(db: db).record(actor, .reveal, entity: "visitor", id: id, community: community, after: ["fields": ["idNumber"]], at: now())
        return number
    }
}
