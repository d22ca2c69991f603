import Fluent
import FluentSQL
import Foundation
import PropDeskCore

/// Reads and writes of the registry (REG-1, REG-2). Every read names its community and, for an
/// area-limited reader, the areas it may see (RUN-5, SEC-2); every write is audited (SEC-4).
public struct RegistryStore: Sendable {
    let db: any Database
    let cipher: FieldCipher
    let now: @Sendable () -> Date

    var audit: AuditLog { AuditLog(db: db) }

    // MARK: Communities

    public func communities(visible: Set<UUID>?) async throws -> [CommunitySummary] {
        let q = CommunityModel.query(on: db).sort(\.$code)
        if let visible { q.filter(\.$id ~~ visible) }
        let list = try await q.all()
        guard !list.isEmpty else { return [] }
        let ids = list.compactMap(\.id)
        async let b = countByCommunity("buildings", ids)
        async let u = countByCommunity("units", ids)
        async let p = countByCommunity("people", ids)
        let (bc, uc, pc) = try await (b, u, p)
        return list.map { CommunitySummary(community: $0.domain, buildings: bc[$0.id!] ?? 0, units: uc[$0.id!] ?? 0, people: pc[$0.id!] ?? 0) }
    }

    private func countByCommunity(_ table: String, _ ids: [UUID]) async throws -> [UUID: Int] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().column("community_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(table).where("community_id", .in, ids).groupBy("community_id").all()
        var out: [UUID: Int] = [:]
        for r in rows { out[try r.decode(column: "community_id", as: UUID.self)] = try r.decode(column: "n", as: Int.self) }
        return out
    }

    /// The communities by code, without counts: for menus and switchers.
    public func communityList(visible: Set<UUID>?) async throws -> [Community] {
        let q = CommunityModel.query(on: db).sort(\.$code)
        if let visible { q.filter(\.$id ~~ visible) }
        return try await q.all().map(\.domain)
    }

    public func community(_ id: UUID) async throws -> Community? {
        try await CommunityModel.find(id, on: db)?.domain
    }

    public func createCommunity(_ c: Community, by actor: Actor) async throws -> Community {
        var c = c
        c.code = try Validate.name(c.code, field: "code", max: 20).uppercased()
        c.name = try Validate.name(c.name, field: "name")
        guard TimeZone(identifier: c.timeZone) != nil else {
            throw DomainError.invalid(field: "timeZone", Message(zh: "未知时区:\(c.timeZone)", en: "Unknown time zone: \(c.timeZone)"))
        }
        let code = c.code
        if try await CommunityModel.query(on: db).filter(\.$code == code).first() != nil {
            throw DomainError.conflict(code: "duplicate_code", Message(zh: "小区编号 \(code) 已存在", en: "Community code \(code) already exists"))
        }
        try await insertAudited(CommunityModel(c, at: now()), entity: "community", id: c.id, community: c.id, snapshot: c, by: actor)
        return c
    }

    /// Inserts a new record, whatever else belongs with it, and its audit entry (SEC-4) in one
    /// transaction: either all of it is stored or none of it.
    private func insertAudited<M: Model, S: Encodable & Sendable>(_ model: M, entity: String, id: UUID, community: UUID, snapshot: S,
                                                                  by actor: Actor, with extra: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        let at = now()
        try await db.writeTransaction { tx in
            try await model.create(on: tx)
            try await extra?(tx)
            try await AuditLog(db: tx).record(actor, .create, entity: entity, id: id, community: community, after: snapshot, at: at)
        }
    }

    // MARK: Areas and buildings

    public func areas(community: UUID, only: Set<UUID>? = nil) async throws -> [Area] {
        let q = AreaModel.query(on: db).filter(\.$communityID == community).sort(\.$name)
        if let only { q.filter(\.$id ~~ only) }
        return try await q.all().map(\.domain)
    }

    public func area(_ id: UUID) async throws -> Area? { try await AreaModel.find(id, on: db)?.domain }

    public func createArea(_ a: Area, by actor: Actor) async throws -> Area {
        var a = a
        a.name = try Validate.name(a.name, field: "name", max: 30)
        let (cid, name) = (a.communityID, a.name)
        if try await AreaModel.query(on: db).filter(\.$communityID == cid).filter(\.$name == name).first() != nil {
            throw DomainError.conflict(code: "duplicate_area", Message(zh: "责任区域「\(name)」已存在", en: "Area \"\(name)\" already exists"))
        }
        try await insertAudited(AreaModel(a), entity: "area", id: a.id, community: a.communityID, snapshot: a, by: actor)
        return a
    }

    public func buildings(community: UUID, areas: Set<UUID>? = nil) async throws -> [Building] {
        let q = BuildingModel.query(on: db).filter(\.$communityID == community)
        if let areas { q.filter(\.$areaID ~~ areas) }
        return try await q.all().map(\.domain).sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
    }

    public func building(_ id: UUID) async throws -> Building? { try await BuildingModel.find(id, on: db)?.domain }

    public func createBuilding(_ b: Building, by actor: Actor) async throws -> Building {
        var b = b
        b.name = try Validate.name(b.name, field: "name", max: 30)
        b.floors = try Validate.floor(b.floors, field: "floors")
        if let areaID = b.areaID {
            guard let area = try await AreaModel.find(areaID, on: db), area.communityID == b.communityID else {
                throw DomainError.invalid(field: "areaId", Message(zh: "责任区域不属于该小区", en: "The area is not in this community"))
            }
        }
        let (cid, name) = (b.communityID, b.name)
        if try await BuildingModel.query(on: db).filter(\.$communityID == cid).filter(\.$name == name).first() != nil {
            throw DomainError.conflict(code: "duplicate_building", Message(zh: "楼栋「\(name)」已存在", en: "Building \"\(name)\" already exists"))
        }
        try await insertAudited(BuildingModel(b), entity: "building", id: b.id, community: b.communityID, snapshot: b, by: actor)
        return b
    }

    // MARK: Units

    public func units(community: UUID, areas: Set<UUID>?, building: UUID?, page: PageQuery) async throws -> Paged<UnitDetail> {
        let q = UnitModel.query(on: db).filter(\.$communityID == community)
        if let areas { q.filter(\.$areaID ~~ areas) }
        if let building { q.filter(\.$buildingID == building) }
        let total = try await q.count()
        let models = try await q.sort(\.$buildingID).sort(\.$floor).sort(\.$roomNumber).range(page.offset..<(page.offset + page.per)).all()
        return Paged(items: try await details(models), page: page.page, per: page.per, total: total)
    }

    /// "3栋-1201" for each of these units: two indexed reads however many orders a screen lists.
    public func unitLabels(_ ids: Set<UUID>) async throws -> [UUID: String] { try await Self.unitLabels(ids, on: db) }

    static func unitLabels(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let units = try await UnitModel.query(on: db).filter(\.$id ~~ ids).all()
        let buildings = try await BuildingModel.query(on: db).filter(\.$id ~~ Set(units.map(\.buildingID))).all()
        let names = Dictionary(uniqueKeysWithValues: buildings.map { ($0.id!, $0.name) })
        return Dictionary(uniqueKeysWithValues: units.map { ($0.id!, PropertyUnit.label(building: names[$0.buildingID] ?? "", room: $0.roomNumber)) })
    }

    public func unit(_ id: UUID) async throws -> UnitDetail? {
        guard let m = try await UnitModel.find(id, on: db) else { return nil }
        return try await details([m]).first
    }

    private func details(_ models: [UnitModel]) async throws -> [UnitDetail] {
        guard !models.isEmpty else { return [] }
        let unitIDs = models.compactMap(\.id)
        let buildingIDs = Set(models.map(\.buildingID))
        let communities = Set(models.map(\.communityID))
        let buildings = try await BuildingModel.query(on: db).filter(\.$communityID ~~ communities).filter(\.$id ~~ buildingIDs).all()
        let names = Dictionary(uniqueKeysWithValues: buildings.map { ($0.id!, $0.name) })
        let links = try await OccupancyModel.query(on: db).filter(\.$communityID ~~ communities).filter(\.$unitID ~~ unitIDs).all()
        let people = try await PersonModel.query(on: db).filter(\.$communityID ~~ communities).filter(\.$id ~~ Set(links.map(\.personID))).all()
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.domain) })
        let linksByUnit = Dictionary(grouping: links, by: \.unitID)
        return models.map { m in
            let occupants = (linksByUnit[m.id!] ?? []).compactMap { l in byID[l.personID].map { ($0, OccupantRelation(rawValue: l.relation) ?? .family) } }
                .sorted { ($0.1 == .owner ? 0 : 1, $0.0.name) < ($1.1 == .owner ? 0 : 1, $1.0.name) }
            return UnitDetail(unit: m.domain, buildingName: names[m.buildingID] ?? "?", occupants: occupants)
        }
    }

    public func createUnit(_ u: PropertyUnit, by actor: Actor) async throws -> PropertyUnit {
        var u = u
        u.roomNumber = try Validate.name(u.roomNumber, field: "roomNumber", max: 20)
        u.floor = try Validate.floor(u.floor)
        guard let building = try await BuildingModel.find(u.buildingID, on: db), building.communityID == u.communityID else {
            throw DomainError.invalid(field: "buildingId", Message(zh: "楼栋不属于该小区", en: "The building is not in this community"))
        }
        u.areaID = building.areaID
        let (bid, room) = (u.buildingID, u.roomNumber)
        if try await UnitModel.query(on: db).filter(\.$buildingID == bid).filter(\.$roomNumber == room).first() != nil {
            throw DomainError.conflict(code: "duplicate_unit", Message(zh: "\(building.name) \(room) 已存在", en: "\(building.name) \(room) already exists"))
        }
        let created = u, buildingName = building.name
        try await insertAudited(UnitModel(u), entity: "unit", id: u.id, community: u.communityID, snapshot: u, by: actor) { tx in
            try await Self.indexUnit(created, buildingName: buildingName, on: tx)
        }
        return u
    }

    public struct UnitChange: Sendable {
        public var kind: UnitKind?
        public var floorArea: FloorArea?
        public var floor: Int?
        public init(kind: UnitKind? = nil, floorArea: FloorArea? = nil, floor: Int? = nil) {
            self.kind = kind
            self.floorArea = floorArea
            self.floor = floor
        }
    }

    public func updateUnit(_ id: UUID, _ change: UnitChange, by actor: Actor) async throws -> PropertyUnit {
        if let f = change.floor { _ = try Validate.floor(f) }
        let at = now()
        return try await db.writeTransaction { tx in
            guard let m = try await UnitModel.find(id, on: tx) else { throw DomainError.notFound(Noun.unit) }
            let before = m.domain
            if let k = change.kind { m.kind = k.rawValue }
            if let a = change.floorArea { m.floorAreaHundredths = a.hundredths }
            if let f = change.floor { m.floor = f }
            let after = m.domain
            guard after != before else { return after }
            try await m.update(on: tx)
            try await AuditLog(db: tx).record(actor, .update, entity: "unit", id: id, community: m.communityID, before: before, after: after, at: at)
            return after
        }
    }

    // MARK: People

    public func people(community: UUID, areas: Set<UUID>?, page: PageQuery) async throws -> Paged<PersonDetail> {
        let q = PersonModel.query(on: db).filter(\.$communityID == community)
        if let areas {
            q.join(OccupancyModel.self, on: \OccupancyModel.$personID == \PersonModel.$id)
                .join(UnitModel.self, on: \UnitModel.$id == \OccupancyModel.$unitID)
                .filter(UnitModel.self, \.$areaID ~~ areas)
                .unique()
        }
        let total = try await q.count(\.$id)
        let models = try await q.sort(\.$name).sort(\.$id).range(page.offset..<(page.offset + page.per)).all()
        return Paged(items: try await personDetails(models), page: page.page, per: page.per, total: total)
    }

    public func person(_ id: UUID) async throws -> PersonDetail? {
        guard let m = try await PersonModel.find(id, on: db) else { return nil }
        return try await personDetails([m]).first
    }

    private func personDetails(_ models: [PersonModel]) async throws -> [PersonDetail] {
        guard !models.isEmpty else { return [] }
        let communities = Set(models.map(\.communityID))
        let links = try await OccupancyModel.query(on: db).filter(\.$personID ~~ models.compactMap(\.id)).filterCommunitiesBesideANarrowerKey(communities).all()
        let units = try await UnitModel.query(on: db).filter(\.$communityID ~~ communities).filter(\.$id ~~ Set(links.map(\.unitID))).all()
        let buildings = try await BuildingModel.query(on: db).filter(\.$communityID ~~ communities).filter(\.$id ~~ Set(units.map(\.buildingID))).all()
        let bname = Dictionary(uniqueKeysWithValues: buildings.map { ($0.id!, $0.name) })
        let unitByID = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0) })
        let byPerson = Dictionary(grouping: links, by: \.personID)
        return models.map { m in
            let holdings = (byPerson[m.id!] ?? []).compactMap { l -> (UUID, String, UUID?, OccupantRelation)? in
                guard let u = unitByID[l.unitID] else { return nil }
                return (u.id!, PropertyUnit.label(building: bname[u.buildingID] ?? "?", room: u.roomNumber), u.areaID, OccupantRelation(rawValue: l.relation) ?? .family)
            }.sorted { $0.1 < $1.1 }
            return PersonDetail(person: m.domain, holdings: holdings.map { (unitID: $0.0, label: $0.1, areaID: $0.2, relation: $0.3) })
        }
    }

    public struct NewPerson: Sendable {
        public var communityID: UUID
        public var kind: PersonKind
        public var name: String
        public var phone: String
        public var idType: IDDocumentType?
        public var idNumber: String?
        public var units: [(unitID: UUID, relation: OccupantRelation)]
        public init(communityID: UUID, kind: PersonKind, name: String, phone: String, idType: IDDocumentType?, idNumber: String?,
                    units: [(unitID: UUID, relation: OccupantRelation)]) {
            self.communityID = communityID; self.kind = kind; self.name = name; self.phone = phone
            self.idType = idType; self.idNumber = idNumber; self.units = units
        }
    }

    public func createPerson(_ new: NewPerson, by actor: Actor) async throws -> PersonDetail {
        let name = try Validate.name(new.name, field: "name")
        let phone = try Validate.phone(new.phone)
        var idNumber: String?
        if let raw = new.idNumber, !raw.isEmpty {
            idNumber = try Validate.idNumber(raw, type: new.idType ?? .residentID)
        }
        guard Set(new.units.map(\.unitID)).count == new.units.count else {
            throw DomainError.invalid(field: "units", Message(zh: "同一房屋只能列出一次", en: "Each unit may be listed once"))
        }
        let units = try await UnitModel.query(on: db).filter(\.$id ~~ new.units.map(\.unitID)).all()
        guard units.count == new.units.count, units.allSatisfy({ $0.communityID == new.communityID }) else {
            throw DomainError.invalid(field: "units", Message(zh: "房屋不存在或不属于该小区", en: "A unit does not exist or is not in this community"))
        }
        let person = Person(communityID: new.communityID, kind: new.kind, name: name, phone: phone,
                            idDocumentType: idNumber == nil ? nil : (new.idType ?? .residentID), idNumberMasked: idNumber.map(Mask.idNumber))
        let sealed = try idNumber.map(cipher.seal)
        let at = now()
        try await db.writeTransaction { tx in
            try await PersonModel(person, sealed: sealed).create(on: tx)
            for link in new.units {
                try await OccupancyModel(Occupancy(communityID: new.communityID, unitID: link.unitID, personID: person.id, relation: link.relation)).create(on: tx)
            }
            try await Self.indexPerson(person.id, on: tx)
            try await AuditLog(db: tx).record(actor, .create, entity: "person", id: person.id, community: person.communityID, after: person, at: at)
        }
        return try await self.person(person.id)!
    }

    public struct PersonChange: Sendable {
        public var name: String?
        public var phone: String?
        public var idType: IDDocumentType?
        public var idNumber: String?
        public init(name: String? = nil, phone: String? = nil, idType: IDDocumentType? = nil, idNumber: String? = nil) {
            self.name = name; self.phone = phone; self.idType = idType; self.idNumber = idNumber
        }
    }

    public func updatePerson(_ id: UUID, _ change: PersonChange, by actor: Actor) async throws -> PersonDetail {
        let name = try change.name.map { try Validate.name($0, field: "name") }
        let phone = try change.phone.map { try Validate.phone($0) }
        let idNumber = try change.idNumber.map { try Validate.idNumber($0, type: change.idType ?? .residentID) }
        let sealed = try idNumber.map(cipher.seal)
        let at = now()
        try await db.writeTransaction { tx in
            guard let m = try await PersonModel.find(id, on: tx) else { throw DomainError.notFound(Noun.person) }
            let before = m.domain
            if let name { m.name = name }
            if let phone { m.phone = phone }
            if let idNumber, let sealed {
                m.idType = (change.idType ?? .residentID).rawValue
                m.idNumberSealed = sealed
                m.idNumberMasked = Mask.idNumber(idNumber)
            }
            // A changed ID number with the same last four digits still differs in its sealed value.
            guard m.domain != before || idNumber != nil else { return }
            try await m.update(on: tx)
            try await Self.indexPerson(id, on: tx)
            try await AuditLog(db: tx).record(actor, .update, entity: "person", id: id, community: m.communityID, before: before, after: m.domain, at: at)
        }
        guard let detail = try await person(id) else { throw DomainError.notFound(Noun.person) }
        return detail
    }

    public func link(person personID: UUID, unit unitID: UUID, relation: OccupantRelation, by actor: Actor) async throws {
        guard let p = try await PersonModel.find(personID, on: db), let u = try await UnitModel.find(unitID, on: db), p.communityID == u.communityID else {
            throw DomainError.invalid(field: "unitId", Message(zh: "房屋不存在或不属于该住户的小区", en: "The unit does not exist or is in another community"))
        }
        if try await OccupancyModel.query(on: db).filter(\.$communityID == p.communityID).filter(\.$personID == personID).filter(\.$unitID == unitID).first() != nil {
            throw DomainError.conflict(code: "already_linked", Message(zh: "该住户已登记在此房屋", en: "This person is already registered at this unit"))
        }
        let occ = Occupancy(communityID: p.communityID, unitID: unitID, personID: personID, relation: relation)
        let at = now()
        try await db.writeTransaction { tx in
            try await OccupancyModel(occ).create(on: tx)
            try await Self.indexPerson(personID, on: tx)
            try await AuditLog(db: tx).record(actor, .create, entity: "occupancy", id: occ.id, community: occ.communityID, after: occ, at: at)
        }
    }

    /// The full phone and ID number of a person, for a role that may see them; every reveal is
    /// written to the audit trail with who asked and which fields they saw (SEC-3).
    public func reveal(person id: UUID, phone: Bool, idNumber: Bool, by actor: Actor) async throws -> (phone: String?, idNumber: String?) {
        guard let m = try await PersonModel.find(id, on: db) else { throw DomainError.notFound(Noun.person) }
        let number = try idNumber ? m.idNumberSealed.map(cipher.open) : nil
        let fields = [phone ? "phone" : nil, idNumber ? "idNumber" : nil].compactMap { $0 }
        try await audit.record(actor, .reveal, entity: "person", id: id, community: m.communityID, after: ["fields": fields], at: now())
        return (phone ? m.phone : nil, number)
    }

    // MARK: Typeahead

    /// Up to `SearchTerms.maxResults` hits for a fragment of a room number, name or phone.
    public func search(community: UUID, areas: Set<UUID>?, query text: String) async throws -> [SearchHit] {
        guard let key = SearchTerms.query(text) else { return [] }
        if let areas, areas.isEmpty { return [] }
        // Terms and occupancies are read as plain rows: at the front desk's typing speed the
        // reflection Fluent spends on each model outweighed the index range scan itself.
        let sql = db as! any SQLDatabase
        let q = sql.select().column("unit_id").column("person_id").from(SearchTermModel.schema)
            .where("community_id", .equal, community).where("term", .greaterThanOrEqual, key).where("term", .lessThan, SearchTerms.upperBound(key))
        if let areas { q.where("area_id", .in, Array(areas)) }
        let terms = try await q.limit(SearchTerms.maxResults * 4).all().map {
            (unitID: try $0.decode(column: "unit_id", as: UUID.self), personID: try $0.decode(column: "person_id", as: UUID?.self))
        }
        var seen = Set<String>()
        var picked: [(unitID: UUID, personID: UUID?)] = []
        // A unit found by its room number brings its residents: the caller is one of them.
        let unitOnly = Array(Set(terms.filter { $0.personID == nil }.map(\.unitID)))
        let residents = unitOnly.isEmpty ? [] : try await sql.select().column("unit_id").column("person_id").column("relation")
            .from(OccupancyModel.schema).where("community_id", .equal, community).where("unit_id", .in, unitOnly).all().map {
                (unitID: try $0.decode(column: "unit_id", as: UUID.self), personID: try $0.decode(column: "person_id", as: UUID.self),
                 relation: try $0.decode(column: "relation", as: String.self))
            }
        let residentsByUnit = Dictionary(grouping: residents, by: \.unitID)
        for t in terms {
            let expanded = t.personID == nil
                ? (residentsByUnit[t.unitID] ?? []).sorted { ($0.relation == "owner" ? 0 : 1) < ($1.relation == "owner" ? 0 : 1) }.map { (t.unitID, Optional($0.personID)) }
                : []
            for hit in expanded.isEmpty ? [(t.unitID, t.personID)] : expanded where seen.insert("\(hit.0)|\(hit.1?.uuidString ?? "")").inserted {
                picked.append((hit.0, hit.1))
            }
        }
        picked = Array(picked.prefix(SearchTerms.maxResults))
        guard !picked.isEmpty else { return [] }
        func rows(_ table: String, _ columns: [String], where column: String, in ids: some Collection<UUID>) async throws -> [any SQLRow] {
            ids.isEmpty ? [] : try await sql.select().columns(columns).from(table).where("community_id", .equal, community).where(column, .in, Array(Set(ids))).all()
        }
        let units = try await rows(UnitModel.schema, ["id", "building_id", "room_number"], where: "id", in: picked.map(\.unitID)).map {
            (id: try $0.decode(column: "id", as: UUID.self), building: try $0.decode(column: "building_id", as: UUID.self),
             room: try $0.decode(column: "room_number", as: String.self))
        }
        let bname = Dictionary(uniqueKeysWithValues: try await rows(BuildingModel.schema, ["id", "name"], where: "id", in: units.map(\.building)).map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self))
        })
        let personIDs = Set(picked.compactMap(\.personID))
        let personByID = Dictionary(uniqueKeysWithValues: try await rows(PersonModel.schema, ["id", "name", "phone"], where: "id", in: personIDs).map {
            (try $0.decode(column: "id", as: UUID.self), (name: try $0.decode(column: "name", as: String.self), phone: try $0.decode(column: "phone", as: String.self)))
        })
        let links = personIDs.isEmpty ? [] : try await sql.select().columns("unit_id", "person_id", "relation").from(OccupancyModel.schema)
            .where("community_id", .equal, community).where("person_id", .in, Array(personIDs)).where("unit_id", .in, Array(Set(picked.map(\.unitID)))).all()
        var relation: [String: String] = [:]
        for l in links {
            relation["\(try l.decode(column: "unit_id", as: UUID.self))|\(try l.decode(column: "person_id", as: UUID.self))"] = try l.decode(column: "relation", as: String.self)
        }
        let unitByID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        return picked.compactMap { t in
            guard let u = unitByID[t.unitID] else { return nil }
            let p = t.personID.flatMap { id in personByID[id].map { (id: id, name: $0.name, phone: $0.phone) } }
            return SearchHit(unitID: u.id, unitLabel: PropertyUnit.label(building: bname[u.building] ?? "?", room: u.room),
                             personID: p?.id, personName: p?.name, phoneMasked: p.map { Mask.phone($0.phone) },
                             relation: p.flatMap { relation["\(u.id)|\($0.id)"] }.flatMap(OccupantRelation.init(rawValue:)))
        }
    }

    static func indexUnit(_ u: PropertyUnit, buildingName: String, on db: any Database) async throws {
        try await SearchTermModel.query(on: db).filter(\.$unitID == u.id).filterCommunityBesideANarrowerKey(u.communityID).filter(\.$personID == nil).delete()
        let rows = SearchTerms.forUnit(building: buildingName, room: u.roomNumber).map {
            SearchTermModel(communityID: u.communityID, areaID: u.areaID, term: $0, unitID: u.id, personID: nil)
        }
        if !rows.isEmpty { try await rows.create(on: db) }
    }

    /// One set of terms per unit the person holds, so a hit names the caller and their unit.
    static func indexPerson(_ id: UUID, on db: any Database) async throws {
        guard let p = try await PersonModel.find(id, on: db) else { return }
        try await SearchTermModel.query(on: db).filter(\.$personID == id).filterCommunityBesideANarrowerKey(p.communityID).delete()
        let links = try await OccupancyModel.query(on: db).filter(\.$personID == id).filterCommunityBesideANarrowerKey(p.communityID).all()
        let units = try await UnitModel.query(on: db).filter(\.$communityID == p.communityID).filter(\.$id ~~ links.map(\.unitID)).all()
        let terms = SearchTerms.forPerson(name: p.name, phone: p.phone)
        let rows = units.flatMap { u in terms.map { SearchTermModel(communityID: p.communityID, areaID: u.areaID, term: $0, unitID: u.id!, personID: id) } }
        for chunk in rows.chunked(into: 500) { try await chunk.create(on: db) }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension ArraySlice where Element: Model {
    func create(on db: any Database) async throws { try await Array(self).create(on: db) }
}
