import Fluent
import Foundation
import PropDeskCore

/// Applies a checked import plan (REG-4) in one transaction: all of it or none of it. A dry run
/// performs the very same work and then rolls it back, so its report is what a real run would do.
public struct RegistryImporter: Sendable {
    let db: any Database
    let cipher: FieldCipher
    let now: @Sendable () -> Date

    struct DryRunRollback: Error { let report: RegistryImportReport }

    public func apply(_ plan: RegistryImportPlan, community: UUID, dryRun: Bool, by actor: Actor,
                      progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> RegistryImportReport {
        guard try await CommunityModel.find(community, on: db) != nil else { throw DomainError.notFound(Noun.community) }
        do {
            return try await db.writeTransaction { tx in
                let report = try await self.run(plan, community: community, dryRun: dryRun, by: actor, on: tx, progress: progress)
                if dryRun { throw DryRunRollback(report: report) }
                return report
            }
        } catch let rollback as DryRunRollback {
            return rollback.report
        }
    }

    private func run(_ plan: RegistryImportPlan, community: UUID, dryRun: Bool, by actor: Actor, on tx: any Database,
                     progress: (@Sendable (Int, Int) -> Void)?) async throws -> RegistryImportReport {
        var report = RegistryImportReport(dryRun: dryRun)
        let total = plan.units.count + plan.residents.count
        var done = 0

        var areaByName = Dictionary(uniqueKeysWithValues: try await AreaModel.query(on: tx).filter(\.$communityID == community).all().map { ($0.name, $0) })
        var newAreas: [AreaModel] = []
        for name in Set(plan.buildings.compactMap(\.area)) where areaByName[name] == nil {
            let m = AreaModel(Area(communityID: community, name: name))
            areaByName[name] = m
            newAreas.append(m)
        }
        try await createAll(newAreas, on: tx)
        report.areasCreated = newAreas.count

        var buildingByName = Dictionary(uniqueKeysWithValues: try await BuildingModel.query(on: tx).filter(\.$communityID == community).all().map { ($0.name, $0) })
        var newBuildings: [BuildingModel] = []
        let maxFloor = Dictionary(plan.units.map { ($0.building, $0.floor) }, uniquingKeysWith: max)
        for b in plan.buildings where buildingByName[b.name] == nil {
            let m = BuildingModel(Building(communityID: community, areaID: b.area.flatMap { areaByName[$0]?.id }, name: b.name, floors: max(1, maxFloor[b.name] ?? 1)))
            buildingByName[b.name] = m
            newBuildings.append(m)
        }
        try await createAll(newBuildings, on: tx)
        report.buildingsCreated = newBuildings.count

        let buildingIDs = Set(plan.units.compactMap { buildingByName[$0.building]?.id })
        var unitByKey: [String: UnitModel] = [:]
        for u in try await UnitModel.query(on: tx).filter(\.$buildingID ~~ buildingIDs).all() { unitByKey["\(u.buildingID)|\(u.roomNumber)"] = u }
        var newUnits: [UnitModel] = []
        for row in plan.units {
            let building = buildingByName[row.building]!
            let key = "\(building.id!)|\(row.room)"
            if let existing = unitByKey[key] {
                if existing.kind != row.kind.rawValue || existing.floorAreaHundredths != row.floorArea.hundredths || existing.floor != row.floor {
                    existing.kind = row.kind.rawValue
                    existing.floorAreaHundredths = row.floorArea.hundredths
                    existing.floor = row.floor
                    try await existing.update(on: tx)
                    report.unitsUpdated += 1
                } else {
                    report.unitsUnchanged += 1
                }
            } else {
                let m = UnitModel(PropertyUnit(communityID: community, buildingID: building.id!, areaID: building.areaID, roomNumber: row.room,
                                       floor: row.floor, kind: row.kind, floorArea: row.floorArea))
                unitByKey[key] = m
                newUnits.append(m)
            }
            done += 1
            if done % 1000 == 0 { progress?(done, total) }
        }
        try await createAll(newUnits, on: tx)
        report.unitsCreated = newUnits.count
        let bname = Dictionary(uniqueKeysWithValues: buildingByName.values.map { ($0.id!, $0.name) })
        try await createAll(newUnits.flatMap { u in
            SearchTerms.forUnit(building: bname[u.buildingID] ?? "", room: u.roomNumber).map {
                SearchTermModel(communityID: community, areaID: u.areaID, term: $0, unitID: u.id!, personID: nil)
            }
        }, on: tx)

        // People are matched by name and phone inside the community: a re-import does not duplicate them.
        let phones = Set(plan.residents.map(\.phone))
        var personByKey: [String: PersonModel] = [:]
        for chunk in Array(phones).chunked(into: 500) {
            for p in try await PersonModel.query(on: tx).filter(\.$communityID == community).filter(\.$phone ~~ Array(chunk)).all() {
                personByKey["\(p.name)|\(p.phone)"] = p
            }
        }
        var linked = Set<String>()
        let unitIDs = Set(unitByKey.values.compactMap(\.id))
        for chunk in Array(unitIDs).chunked(into: 500) {
            for l in try await OccupancyModel.query(on: tx).filter(\.$unitID ~~ Array(chunk)).all() { linked.insert("\(l.unitID)|\(l.personID)") }
        }
        var newPeople: [PersonModel] = []
        var newLinks: [OccupancyModel] = []
        var newTerms: [SearchTermModel] = []
        for row in plan.residents {
            let unit = unitByKey["\(buildingByName[row.building]!.id!)|\(row.room)"]!
            let key = "\(row.name)|\(row.phone)"
            let person: PersonModel
            if let existing = personByKey[key] {
                person = existing
            } else {
                let p = Person(communityID: community, kind: row.kind, name: row.name, phone: row.phone,
                               idDocumentType: row.idNumber == nil ? nil : row.idType, idNumberMasked: row.idNumber.map(Mask.idNumber))
                person = PersonModel(p, sealed: try row.idNumber.map(cipher.seal))
                personByKey[key] = person
                newPeople.append(person)
            }
            if linked.insert("\(unit.id!)|\(person.id!)").inserted {
                newLinks.append(OccupancyModel(Occupancy(communityID: community, unitID: unit.id!, personID: person.id!, relation: row.relation)))
                newTerms += SearchTerms.forPerson(name: person.name, phone: person.phone).map {
                    SearchTermModel(communityID: community, areaID: unit.areaID, term: $0, unitID: unit.id!, personID: person.id!)
                }
            } else {
                report.linksUnchanged += 1
            }
            done += 1
            if done % 1000 == 0 { progress?(done, total) }
        }
        try await createAll(newPeople, on: tx)
        try await createAll(newLinks, on: tx)
        try await createAll(newTerms, on: tx)
        report.peopleCreated = newPeople.count
        report.linksCreated = newLinks.count
        progress?(total, total)
        try await AuditLog(db: tx).record(actor, .importBatch, entity: "registry", id: nil, community: community, after: report, at: now())
        return report
    }

    private func createAll<M: Model>(_ models: [M], on db: any Database) async throws {
        for chunk in models.chunked(into: 500) { try await chunk.create(on: db) }
    }
}

/// Writes the registry of one community as the import file format (REG-4), a chunk at a time.
public struct RegistryExporter: Sendable {
    let db: any Database
    let cipher: FieldCipher

    /// Calls `write` with batches of rows in building/floor/room order. ID numbers are in clear
    /// only with `revealIDNumbers` (the caller has checked the permission and audits it).
    public func export(community: UUID, revealIDNumbers: Bool, write: (_ rows: [RegistryExport.Row]) async throws -> Void) async throws {
        let buildings = try await BuildingModel.query(on: db).filter(\.$communityID == community).all()
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        let areas = Dictionary(uniqueKeysWithValues: try await AreaModel.query(on: db).filter(\.$communityID == community).all().map { ($0.id!, $0.name) })
        for b in buildings {
            let units = try await UnitModel.query(on: db).filter(\.$buildingID == b.id!).sort(\.$floor).sort(\.$roomNumber).all()
            for chunk in units.chunked(into: 500) {
                let links = try await OccupancyModel.query(on: db).filter(\.$unitID ~~ chunk.compactMap(\.id)).all()
                let people = Dictionary(uniqueKeysWithValues: try await PersonModel.query(on: db).filter(\.$id ~~ Set(links.map(\.personID))).all().map { ($0.id!, $0) })
                let linksByUnit = Dictionary(grouping: links, by: \.unitID)
                var rows: [RegistryExport.Row] = []
                for u in chunk {
                    let base = (b.name, u.roomNumber, u.floor, UnitKind(rawValue: u.kind) ?? .residential, FloorArea(hundredths: u.floorAreaHundredths), b.areaID.flatMap { areas[$0] })
                    let occupants = (linksByUnit[u.id!] ?? []).sorted { ($0.relation == "owner" ? 0 : 1, $0.personID.uuidString) < ($1.relation == "owner" ? 0 : 1, $1.personID.uuidString) }
                    if occupants.isEmpty {
                        rows.append(.init(building: base.0, room: base.1, floor: base.2, kind: base.3, floorArea: base.4, area: base.5, resident: nil))
                    }
                    for l in occupants {
                        guard let p = people[l.personID] else { continue }
                        let number = revealIDNumbers ? try p.idNumberSealed.map(cipher.open) : p.idNumberMasked
                        rows.append(.init(building: base.0, room: base.1, floor: base.2, kind: base.3, floorArea: base.4, area: base.5,
                            resident: (p.name, OccupantRelation(rawValue: l.relation) ?? .family, p.phone, p.idType.flatMap(IDDocumentType.init(rawValue:)), number)))
                    }
                }
                try await write(rows)
            }
        }
    }
}
