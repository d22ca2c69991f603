import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and act on move-ins (SEC-2, FD-1): the front desk and its managers
/// (`handleMoveIns`), each only in their community and areas; a case outside the caller's scope
/// is "not found". Its scanned documents (ID copies, contracts) may also be opened by whoever may
/// read a resident file's documents (REG-5). The one path for the pages and, later, the API.
enum MoveInAccess {
    /// A case the caller may see; with `acting`, one they may act on (handleMoveIns).
    static func moveIn(_ raw: String, _ req: Request, acting: Bool = true) async throws -> MoveInCase {
        let (_, policy) = try req.requireStaff()
        if acting { try policy.requireRole(.handleMoveIns) }
        else if !policy.has(.handleMoveIns) && !policy.has(.readResidentDocuments) { throw DomainError.forbidden }
        guard let id = UUID(uuidString: raw), let c = try await req.store.moveIns.moveIn(id),
              policy.canSee(community: c.communityID, area: c.areaID) else { throw DomainError.notFound(Noun.moveIn) }
        return c
    }

    /// The case as a subject of evidence, named by its unit and buyer.
    static func subject(_ c: MoveInCase, _ req: Request) async throws -> SubjectRef {
        let unit = try await req.store.registry.unitLabels([c.unitID])[c.unitID] ?? ""
        return MoveInStore.subject(c, label: "\(unit) · \(c.buyerName)")
    }

    /// The joint inspection's meter readings as typed ("1234.567"): water and electricity
    /// required, gas only where the unit has a gas meter.
    static func meters(water: String, electricity: String, gas: String) throws -> MeterReadings {
        let w = try MeterReadings.parse(water, field: "water", title: Message(zh: "水表", en: "Water meter"))
            .orThrow(field: "water", Message(zh: "请填写水表读数", en: "Enter the water meter reading"))
        let e = try MeterReadings.parse(electricity, field: "electricity", title: Message(zh: "电表", en: "Electricity meter"))
            .orThrow(field: "electricity", Message(zh: "请填写电表读数", en: "Enter the electricity meter reading"))
        let g = try MeterReadings.parse(gas, field: "gas", title: Message(zh: "燃气表", en: "Gas meter"))
        return MeterReadings(waterThousandths: w, electricityThousandths: e, gasThousandths: g)
    }

    /// Opens a case for a unit the caller may reach.
    static func open(community raw: String, _ o: MoveInStore.Opening, _ req: Request) async throws -> MoveInCase {
        let (community, areas) = try Scoped.community(raw, .handleMoveIns, req)
        return try await req.store.moveIns.open(o, community: community, areas: areas, by: req.actor)
    }
}
