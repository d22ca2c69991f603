import Foundation
import PropDeskAPI
import PropDeskCore

/// Domain values to the contract's types and back. Personal data leaves only masked (SEC-3).
enum Map {
    static func me(_ p: Principal) -> Components.Schemas.Me {
        .init(id: p.userID.uuidString, username: p.username, displayName: p.displayName, role: role(p.role),
              roleTitle: p.role.title.text(p.language), language: Components.Schemas.Language(rawValue: p.language.rawValue)!,
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

    static func unit(_ d: UnitDetail) -> Components.Schemas.Unit {
        let u = d.unit
        return .init(id: u.id.uuidString, communityId: u.communityID.uuidString, buildingId: u.buildingID.uuidString, buildingName: d.buildingName,
                     areaId: u.areaID?.uuidString, label: d.label, roomNumber: u.roomNumber, floor: u.floor,
                     kind: Components.Schemas.UnitKind(rawValue: u.kind.rawValue)!, floorArea: u.floorArea.description,
                     occupants: d.occupants.map { .init(personId: $0.person.id.uuidString, name: $0.person.name, phoneMasked: Mask.phone($0.person.phone),
                                                        relation: Components.Schemas.Relation(rawValue: $0.relation.rawValue)!) })
    }

    static func person(_ d: PersonDetail) -> Components.Schemas.Person {
        let p = d.person
        return .init(id: p.id.uuidString, communityId: p.communityID.uuidString, kind: Components.Schemas.PersonKind(rawValue: p.kind.rawValue)!,
                     name: p.name, phoneMasked: Mask.phone(p.phone), idType: p.idDocumentType.flatMap { Components.Schemas.IdDocumentType(rawValue: $0.rawValue) },
                     idNumberMasked: p.idNumberMasked,
                     units: d.holdings.map { .init(unitId: $0.unitID.uuidString, label: $0.label, relation: Components.Schemas.Relation(rawValue: $0.relation.rawValue)!) })
    }

    static func hit(_ h: SearchHit) -> Components.Schemas.SearchHit {
        .init(unitId: h.unitID.uuidString, unitLabel: h.unitLabel, personId: h.personID?.uuidString, personName: h.personName,
              phoneMasked: h.phoneMasked, relation: h.relation.flatMap { Components.Schemas.Relation(rawValue: $0.rawValue) })
    }

    static func user(_ a: UserAccount, lang: Language) -> Components.Schemas.User {
        .init(id: a.id.uuidString, username: a.username, displayName: a.displayName, role: role(a.role), roleTitle: a.role.title.text(lang),
              badgeNumber: a.badgeNumber, phoneMasked: a.phone.map(Mask.phone), scopes: a.scopes.map(scope), active: a.active)
    }

    static func audit(_ e: AuditEntry) -> Components.Schemas.AuditEntry {
        .init(id: e.id.uuidString, communityId: e.communityID?.uuidString, actorId: e.actorID?.uuidString, actorName: e.actorName, at: e.at,
              entity: e.entity, entityId: e.entityID?.uuidString, action: e.action.rawValue, before: e.before, after: e.after)
    }

    static func role(_ r: Role) -> Components.Schemas.Role { Components.Schemas.Role(rawValue: r.rawValue)! }
    static func role(_ r: Components.Schemas.Role) -> Role { Role(rawValue: r.rawValue)! }
    static func kind(_ k: Components.Schemas.UnitKind) -> UnitKind { UnitKind(rawValue: k.rawValue)! }
    static func relation(_ r: Components.Schemas.Relation) -> OccupantRelation { OccupantRelation(rawValue: r.rawValue)! }
    static func personKind(_ k: Components.Schemas.PersonKind) -> PersonKind { PersonKind(rawValue: k.rawValue)! }
    static func idType(_ t: Components.Schemas.IdDocumentType) -> IDDocumentType { IDDocumentType(rawValue: t.rawValue)! }
}
