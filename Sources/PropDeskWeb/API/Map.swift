import Foundation
import PropDeskAPI
import PropDeskCore

/// Domain values to the contract's types and back. Personal data leaves only masked (SEC-3).
enum Map {
    static func me(_ p: Principal) throws -> Components.Schemas.Me {
        .init(id: p.userID.uuidString, username: p.username, displayName: p.displayName, role: try role(p.role),
              roleTitle: p.role.title.text(p.language), language: try convert(p.language),
              scopes: p.scopes.map(scope), unitIds: p.role == .resident ? p.unitIDs.map(\.uuidString).sorted() : nil)
    }

    static func scope(_ s: Scope) -> Components.Schemas.Scope {
        .init(communityId: s.communityID.uuidString, areaId: s.areaID?.uuidString)
    }

    static func community(_ c: Community) -> Components.Schemas.Community {
        .init(id: c.id.uuidString, code: c.code, name: c.name, address: c.address, timeZone: c.timeZone)
    }

    static func summary(_ s: CommunitySummary) -> Components.Schemas.CommunitySummary {
        .init(community: community(s.community), buildings: s.buildings, units: s.units, people: s.people)
    }

    static func area(_ a: Area) -> Components.Schemas.Area {
        .init(id: a.id.uuidString, communityId: a.communityID.uuidString, name: a.name)
    }

    static func building(_ b: Building) -> Components.Schemas.Building {
        .init(id: b.id.uuidString, communityId: b.communityID.uuidString, areaId: b.areaID?.uuidString, name: b.name, floors: b.floors)
    }

    static func unit(_ d: UnitDetail) throws -> Components.Schemas.Unit {
        let u = d.unit
        return .init(id: u.id.uuidString, communityId: u.communityID.uuidString, buildingId: u.buildingID.uuidString, buildingName: d.buildingName,
                     areaId: u.areaID?.uuidString, label: d.label, roomNumber: u.roomNumber, floor: u.floor,
                     kind: try convert(u.kind), floorArea: u.floorArea.description,
                     occupants: try d.occupants.map { .init(personId: $0.person.id.uuidString, name: $0.person.name, phoneMasked: Mask.phone($0.person.phone),
                                                        relation: try convert($0.relation)) })
    }

    static func person(_ d: PersonDetail) throws -> Components.Schemas.Person {
        let p = d.person
        return .init(id: p.id.uuidString, communityId: p.communityID.uuidString, kind: try convert(p.kind),
                     name: p.name, phoneMasked: Mask.phone(p.phone), idType: p.idDocumentType.flatMap { Components.Schemas.IdDocumentType(rawValue: $0.rawValue) },
                     idNumberMasked: p.idNumberMasked,
                     units: try d.holdings.map { .init(unitId: $0.unitID.uuidString, label: $0.label, relation: try convert($0.relation)) })
    }

    static func hit(_ h: SearchHit) -> Components.Schemas.SearchHit {
        .init(unitId: h.unitID.uuidString, unitLabel: h.unitLabel, personId: h.personID?.uuidString, personName: h.personName,
              phoneMasked: h.phoneMasked, relation: h.relation.flatMap { Components.Schemas.Relation(rawValue: $0.rawValue) })
    }

    static func user(_ a: UserAccount, lang: Language) throws -> Components.Schemas.User {
        .init(id: a.id.uuidString, username: a.username, displayName: a.displayName, role: try role(a.role), roleTitle: a.role.title.text(lang),
              badgeNumber: a.badgeNumber, phoneMasked: a.phone.map(Mask.phone), scopes: a.scopes.map(scope), active: a.active)
    }

    static func audit(_ e: AuditEntry) -> Components.Schemas.AuditEntry {
        .init(id: e.id.uuidString, communityId: e.communityID?.uuidString, actorId: e.actorID?.uuidString, actorName: e.actorName, at: e.at,
              entity: e.entity, entityId: e.entityID?.uuidString, action: e.action.rawValue, before: e.before, after: e.after)
    }

    static func role(_ r: Role) throws -> Components.Schemas.Role { try convert(r) }
    static func role(_ r: Components.Schemas.Role) throws -> Role { try convert(r) }
    static func kind(_ k: Components.Schemas.UnitKind) throws -> UnitKind { try convert(k) }
    static func relation(_ r: Components.Schemas.Relation) throws -> OccupantRelation { try convert(r) }
    static func personKind(_ k: Components.Schemas.PersonKind) throws -> PersonKind { try convert(k) }
    static func idType(_ t: Components.Schemas.IdDocumentType) throws -> IDDocumentType { try convert(t) }
}

/// Between the contract's enums and the domain's, by raw value. A value one side lacks is an error
/// answered to the caller in their language, never a trap of the whole process.
func convert<From: RawRepresentable, To: RawRepresentable>(_ value: From) throws -> To where From.RawValue == String, To.RawValue == String {
    guard let converted = To(rawValue: value.rawValue) else {
        throw DomainError.invalid(field: String(describing: To.self), Message(zh: "不支持的取值:\(value.rawValue)", en: "Unsupported value: \(value.rawValue)"))
    }
    return converted
}
