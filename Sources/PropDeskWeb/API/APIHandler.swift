import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// The JSON API (RUN-4): each operation of openapi.yaml, thin — it checks who is asking and what
/// they may see (SEC-2), calls the store, and maps domain types to the contract's types.
struct APIHandler: APIProtocol {
    private var req: Request { get throws { try RequestContext.current } }

    // MARK: Auth

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        let req = try req
        guard case .json(let body) = input.body else { throw DomainError.badCredentials }
        let principal = try await SignIn.authenticate(username: body.username, password: body.password, on: req)
        let grant = try await req.store.accounts.issueToken(for: principal.userID)
        return .created(.init(body: .json(.init(token: grant.token, expiresAt: grant.expiresAt, user: try Map.me(principal)))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        let req = try req
        _ = try req.requirePrincipal()
        if case .bearer(let token) = req.storage[AuthMethodKey.self] { try await req.store.accounts.revokeToken(token) }
        return .noContent(.init())
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        .ok(.init(body: .json(try Map.me(try req.requirePrincipal()))))
    }

    // MARK: Communities

    func listCommunities(_ input: Operations.ListCommunities.Input) async throws -> Operations.ListCommunities.Output {
        let req = try req
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.readRegistry)
        return .ok(.init(body: .json(try await req.store.registry.communities(visible: policy.visibleCommunityIDs).map(Map.summary))))
    }

    func createCommunity(_ input: Operations.CreateCommunity.Input) async throws -> Operations.CreateCommunity.Output {
        let req = try req
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.manageCommunities)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let c = try await req.store.registry.createCommunity(
            Community(code: b.code, name: b.name, address: b.address ?? "", timeZone: b.timeZone ?? "Asia/Shanghai"), by: req.actor)
        return .created(.init(body: .json(Map.community(c))))
    }

    func getCommunity(_ input: Operations.GetCommunity.Input) async throws -> Operations.GetCommunity.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .readRegistry, req)
        guard let s = try await req.store.registry.communities(visible: [id]).first else { throw DomainError.notFound(Noun.community) }
        return .ok(.init(body: .json(Map.summary(s))))
    }

    // MARK: Areas, buildings, units

    func listAreas(_ input: Operations.ListAreas.Input) async throws -> Operations.ListAreas.Output {
        let req = try req
        let (id, areas) = try Scoped.community(input.path.communityId, .readRegistry, req)
        return .ok(.init(body: .json(try await req.store.registry.areas(community: id, only: areas).map(Map.area))))
    }

    func createArea(_ input: Operations.CreateArea.Input) async throws -> Operations.CreateArea.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .editStructure, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let a = try await req.store.registry.createArea(Area(communityID: id, name: b.name), by: req.actor)
        return .created(.init(body: .json(Map.area(a))))
    }

    func listBuildings(_ input: Operations.ListBuildings.Input) async throws -> Operations.ListBuildings.Output {
        let req = try req
        let (id, areas) = try Scoped.community(input.path.communityId, .readRegistry, req)
        return .ok(.init(body: .json(try await req.store.registry.buildings(community: id, areas: areas).map(Map.building))))
    }

    func createBuilding(_ input: Operations.CreateBuilding.Input) async throws -> Operations.CreateBuilding.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .editStructure, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let building = try await req.store.registry.createBuilding(
            Building(communityID: id, areaID: try b.areaId.map { try Parse.uuid($0, field: "areaId") }, name: b.name, floors: b.floors), by: req.actor)
        return .created(.init(body: .json(Map.building(building))))
    }

    func listUnits(_ input: Operations.ListUnits.Input) async throws -> Operations.ListUnits.Output {
        let req = try req
        let (id, areas) = try Scoped.community(input.path.communityId, .readRegistry, req)
        let page = try PageQuery(page: input.query.page, per: input.query.per)
        let building = try input.query.buildingId.map { try Parse.uuid($0, field: "buildingId") }
        let result = try await req.store.registry.units(community: id, areas: areas, building: building, page: page)
        return .ok(.init(body: .json(.init(items: try result.items.map(Map.unit), page: result.page, per: result.per, total: result.total))))
    }

    func createUnit(_ input: Operations.CreateUnit.Input) async throws -> Operations.CreateUnit.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .editStructure, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let unit = try await req.store.registry.createUnit(
            PropertyUnit(communityID: id, buildingID: try Parse.uuid(b.buildingId, field: "buildingId"), areaID: nil, roomNumber: b.roomNumber,
                 floor: b.floor, kind: try Map.kind(b.kind), floorArea: try Parse.floorArea(b.floorArea)), by: req.actor)
        guard let detail = try await req.store.registry.unit(unit.id) else { throw DomainError.notFound(Noun.unit) }
        return .created(.init(body: .json(try Map.unit(detail))))
    }

    func getUnit(_ input: Operations.GetUnit.Input) async throws -> Operations.GetUnit.Output {
        let req = try req
        let detail = try await Scoped.unit(input.path.unitId, .readRegistry, req)
        return .ok(.init(body: .json(try Map.unit(detail))))
    }

    func updateUnit(_ input: Operations.UpdateUnit.Input) async throws -> Operations.UpdateUnit.Output {
        let req = try req
        let detail = try await Scoped.unit(input.path.unitId, .editStructure, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        _ = try await req.store.registry.updateUnit(detail.unit.id, .init(kind: b.kind.map(Map.kind), floorArea: try b.floorArea.map(Parse.floorArea), floor: b.floor), by: req.actor)
        guard let after = try await req.store.registry.unit(detail.unit.id) else { throw DomainError.notFound(Noun.unit) }
        return .ok(.init(body: .json(try Map.unit(after))))
    }

    func addOccupant(_ input: Operations.AddOccupant.Input) async throws -> Operations.AddOccupant.Output {
        let req = try req
        let detail = try await Scoped.unit(input.path.unitId, .editPeople, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let personID = try Parse.uuid(b.personId, field: "personId")
        _ = try await Scoped.person(b.personId, .editPeople, req)
        try await req.store.registry.link(person: personID, unit: detail.unit.id, relation: try Map.relation(b.relation), by: req.actor)
        guard let after = try await req.store.registry.unit(detail.unit.id) else { throw DomainError.notFound(Noun.unit) }
        return .created(.init(body: .json(try Map.unit(after))))
    }

    // MARK: People

    func listPeople(_ input: Operations.ListPeople.Input) async throws -> Operations.ListPeople.Output {
        let req = try req
        let (id, areas) = try Scoped.community(input.path.communityId, .readRegistry, req)
        let page = try PageQuery(page: input.query.page, per: input.query.per)
        let result = try await req.store.registry.people(community: id, areas: areas, page: page)
        return .ok(.init(body: .json(.init(items: try result.items.map(Map.person), page: result.page, per: result.per, total: result.total))))
    }

    func createPerson(_ input: Operations.CreatePerson.Input) async throws -> Operations.CreatePerson.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .editPeople, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let links = try b.units.map { (unitID: try Parse.uuid($0.unitId, field: "unitId"), relation: try Map.relation($0.relation)) }
        let detail = try await req.store.registry.createPerson(.init(communityID: id, kind: b.kind.map(Map.personKind) ?? .individual, name: b.name, phone: b.phone,
            idType: b.idType.map(Map.idType), idNumber: b.idNumber, units: links), by: req.actor)
        return .created(.init(body: .json(try Map.person(detail))))
    }

    func getPerson(_ input: Operations.GetPerson.Input) async throws -> Operations.GetPerson.Output {
        let req = try req
        return .ok(.init(body: .json(try Map.person(try await Scoped.person(input.path.personId, .readRegistry, req)))))
    }

    func updatePerson(_ input: Operations.UpdatePerson.Input) async throws -> Operations.UpdatePerson.Output {
        let req = try req
        let detail = try await Scoped.person(input.path.personId, .editPeople, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let after = try await req.store.registry.updatePerson(detail.person.id, .init(name: b.name, phone: b.phone, idType: b.idType.map(Map.idType), idNumber: b.idNumber), by: req.actor)
        return .ok(.init(body: .json(try Map.person(after))))
    }

    func revealPerson(_ input: Operations.RevealPerson.Input) async throws -> Operations.RevealPerson.Output {
        let req = try req
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        guard !b.fields.isEmpty else {
            throw DomainError.invalid(field: "fields", Message(zh: "请说明要查看电话还是证件号码", en: "Say which to reveal: phone, idNumber or both"))
        }
        let wantsPhone = b.fields.contains(.phone), wantsID = b.fields.contains(.idNumber)
        let detail = try await Scoped.person(input.path.personId, wantsID ? .revealIDNumber : .revealPhone, req)
        if wantsPhone && wantsID { try AccessPolicy(try req.requirePrincipal()).requireRole(.revealPhone) }
        var actor = req.actor
        if let purpose = b.purpose?.trimmingCharacters(in: .whitespaces), !purpose.isEmpty { actor = Actor(userID: actor.userID, name: "\(actor.name) — \(purpose.prefix(200))") }
        let revealed = try await req.store.registry.reveal(person: detail.person.id, phone: wantsPhone, idNumber: wantsID, by: actor)
        return .ok(.init(body: .json(.init(phone: revealed.phone, idNumber: revealed.idNumber))))
    }

    // MARK: Search, import, export

    func search(_ input: Operations.Search.Input) async throws -> Operations.Search.Output {
        let req = try req
        let (id, areas) = try Scoped.community(input.path.communityId, .readRegistry, req)
        let hits = try await req.store.registry.search(community: id, areas: areas, query: try Parse.short(input.query.q, field: "q", max: 40))
        return .ok(.init(body: .json(hits.map(Map.hit))))
    }

    func importRegistry(_ input: Operations.ImportRegistry.Input) async throws -> Operations.ImportRegistry.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .importExport, req, wholeCommunity: true)
        // CSV or an XLSX workbook: ImportFile tells them apart by the bytes, whatever the type says.
        let body: HTTPBody
        switch input.body {
        case .csv(let b), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let b): body = b
        }
        let bytes = try await [UInt8](collecting: body, upTo: 32 * 1024 * 1024)
        let report = try await ImportRegistry.run(bytes, encoding: input.query.encoding, community: id, dryRun: input.query.dryRun ?? false, req)
        return .ok(.init(body: .json(.init(dryRun: report.dryRun, areasCreated: report.areasCreated, buildingsCreated: report.buildingsCreated,
            unitsCreated: report.unitsCreated, unitsUpdated: report.unitsUpdated, unitsUnchanged: report.unitsUnchanged,
            peopleCreated: report.peopleCreated, linksCreated: report.linksCreated, linksUnchanged: report.linksUnchanged))))
    }

    func exportRegistry(_ input: Operations.ExportRegistry.Input) async throws -> Operations.ExportRegistry.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .importExport, req, wholeCommunity: true)
        let reveal = input.query.revealIdNumbers ?? false
        if reveal { try AccessPolicy(try req.requirePrincipal()).requireRole(.revealIDNumber) }
        let encoding: TextEncoding = input.query.encoding == .gbk ? .gbk : .utf8
        let text = try await RegistryCSV.export(req.store, community: id, revealIDNumbers: reveal,
                                                revealPhones: AccessPolicy(try req.requirePrincipal()).has(.revealPhone), language: req.language, by: req.actor)
        // Excel in China opens UTF-8 CSV correctly only with a byte-order mark.
        let bytes = (encoding == .utf8 ? [0xEF, 0xBB, 0xBF] : []) + (try encoding.encode(text))
        return .ok(.init(body: .csv(HTTPBody(bytes))))
    }

    // MARK: Accounts and audit

    func listCommunityUsers(_ input: Operations.ListCommunityUsers.Input) async throws -> Operations.ListCommunityUsers.Output {
        let req = try req
        let (id, _) = try Scoped.community(input.path.communityId, .readUsers, req, wholeCommunity: true)
        return .ok(.init(body: .json(try await req.store.accounts.accounts(community: id).map { try Map.user($0, lang: req.language) })))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let req = try req
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.manageUsers)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let scopes = try b.scopes.map { Scope(communityID: try Parse.uuid($0.communityId, field: "communityId"), areaID: try $0.areaId.map { try Parse.uuid($0, field: "areaId") }) }
        let account = UserAccount(username: b.username, displayName: b.displayName, role: try Map.role(b.role), scopes: scopes, badgeNumber: b.badgeNumber,
                                  phone: try b.phone.map { try Validate.phone($0) }, personID: try b.personId.map { try Parse.uuid($0, field: "personId") })
        let created = try await req.store.accounts.create(account, passwordHash: try await SignIn.hash(try Validate.password(b.password), on: req.application), by: req.actor)
        return .created(.init(body: .json(try Map.user(created, lang: req.language))))
    }

    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let req = try req
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.readAudit)
        var communities = policy.visibleCommunityIDs
        if let c = input.query.communityId {
            let id = try Parse.uuid(c, field: "communityId")
            guard policy.canSee(community: id, area: nil) else { throw DomainError.notFound(Noun.community) }
            communities = [id]
        }
        let entries = try await req.store.audit.entries(entityID: try input.query.entityId.map { try Parse.uuid($0, field: "entityId") },
                                                        communityIDs: communities, limit: try Parse.bounded(input.query.limit, field: "limit", 1...500, default: 100))
        return .ok(.init(body: .json(entries.map(Map.audit))))
    }
}
