import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Alerts (INT-7), incidents (INT-16), the price list (INT-10), dispatch rules (INT-15), the
/// service contract (INT-6) and the live event stream.
extension APIHandler {
    // MARK: Alerts

    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output {
        let req = try RequestContext.current
        let (communityID, areas) = try Scoped.community(input.path.communityId, .readOrders, req)
        let p = try req.requirePrincipal()
        let list = try await req.store.alerts.alerts(community: communityID, visibleAreas: areas, openOnly: input.query.open ?? false,
                                                     for: input.query.mine == true ? p : nil,
                                                     limit: try Parse.bounded(input.query.limit, field: "limit", 1...500, default: 100))
        return .ok(.init(body: .json(try list.map { try OrderAccess.alert($0, req.language) })))
    }

    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output {
        let req = try RequestContext.current
        let a = try await Scoped.alert(input.path.alertId, req)
        var note = ""
        if case .json(let b) = input.body { note = b.note ?? "" }
        let acked = try await req.store.alerts.acknowledge(a.id, note: note, by: req.actor)
        return .ok(.init(body: .json(try OrderAccess.alert(acked, req.language))))
    }

    // MARK: Incidents

    func listIncidents(_ input: Operations.ListIncidents.Input) async throws -> Operations.ListIncidents.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .readOrders, req)
        let list = try await req.store.orders.incidents(community: communityID, openOnly: input.query.open ?? false)
        return .ok(.init(body: .json(try list.map(Self.incident))))
    }

    func createIncident(_ input: Operations.CreateIncident.Input) async throws -> Operations.CreateIncident.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .manageIncidents, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let now = req.application.propdesk.now()
        let incident = try await req.store.orders.createIncident(Incident(
            communityID: communityID, title: b.title, category: try convert(b.category),
            buildingIDs: try (b.buildingIds ?? []).map { try Parse.uuid($0, field: "buildingIds") }, startsAt: b.startsAt ?? now,
            endsAt: b.endsAt, script: b.script, createdByName: req.actor.name, createdAt: now), by: req.actor)
        return .created(.init(body: .json(try Self.incident(incident))))
    }

    func closeIncident(_ input: Operations.CloseIncident.Input) async throws -> Operations.CloseIncident.Output {
        let req = try RequestContext.current
        let i = try await Scoped.incident(input.path.incidentId, .manageIncidents, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try Self.incident(try await req.store.orders.closeIncident(i.id, note: b.note ?? "", by: req.actor)))))
    }

    static func incident(_ i: Incident) throws -> Components.Schemas.Incident {
        .init(id: i.id.uuidString, communityId: i.communityID.uuidString, title: i.title, category: try convert(i.category),
              buildingIds: i.buildingIDs.map(\.uuidString), startsAt: i.startsAt, endsAt: i.endsAt, script: i.script,
              createdByName: i.createdByName, createdAt: i.createdAt, closedAt: i.closedAt, closingNote: i.closingNote,
              linkedOrders: i.linkedOrders, open: i.isOpen)
    }

    // MARK: Catalogue and rules

    func listCatalogue(_ input: Operations.ListCatalogue.Input) async throws -> Operations.ListCatalogue.Output {
        let req = try RequestContext.current
        let p = try req.requirePrincipal()
        let communityID: UUID
        if p.role == .resident {
            // The price list is public to the community's residents (INT-10, S0 1.1).
            guard let id = UUID(uuidString: input.path.communityId), p.scopes.contains(where: { $0.communityID == id }) else {
                throw DomainError.notFound(Noun.community)
            }
            communityID = id
        } else {
            (communityID, _) = try Scoped.community(input.path.communityId, .readRegistry, req)
        }
        let items = try await req.store.orders.catalogue(community: communityID, activeOnly: p.role == .resident)
        return .ok(.init(body: .json(items.map { Self.item($0, req.language) })))
    }

    func addCatalogueItem(_ input: Operations.AddCatalogueItem.Input) async throws -> Operations.AddCatalogueItem.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .manageServices, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let item = try await req.store.orders.addCatalogueItem(CatalogueItem(
            communityID: communityID, code: b.code, name: Message(zh: b.nameZh, en: b.nameEn), unit: Message(zh: b.unitZh, en: b.unitEn),
            price: b.price), by: req.actor)
        return .created(.init(body: .json(Self.item(item, req.language))))
    }

    static func item(_ c: CatalogueItem, _ lang: Language) -> Components.Schemas.CatalogueItem {
        .init(id: c.id.uuidString, code: c.code, name: c.name.text(lang), unit: c.unit.text(lang), price: c.price, priceText: Money.yuan(c.price), active: c.active)
    }

    func listDispatchRules(_ input: Operations.ListDispatchRules.Input) async throws -> Operations.ListDispatchRules.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .dispatchOrders, req)
        return .ok(.init(body: .json(try await req.store.orders.rules(community: communityID).map(Self.rule))))
    }

    func addDispatchRule(_ input: Operations.AddDispatchRule.Input) async throws -> Operations.AddDispatchRule.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .manageServices, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let rule = try await req.store.orders.addRule(
            name: b.name, category: b.category.flatMap { Category(rawValue: $0.rawValue) }, areaID: try b.areaId.map { try Parse.uuid($0, field: "areaId") },
            memberIDs: try b.memberIds.map { try Parse.uuid($0, field: "memberIds") }, community: communityID, by: req.actor)
        return .created(.init(body: .json(Self.rule(rule))))
    }

    static func rule(_ r: DispatchRule) -> Components.Schemas.DispatchRule {
        .init(id: r.id.uuidString, position: r.position, name: r.name, category: r.category.flatMap { .init(rawValue: $0.rawValue) },
              areaId: r.areaID?.uuidString, members: r.members.map { .init(id: $0.id.uuidString, name: $0.name) })
    }

    // MARK: Service contract

    func getServiceContract(_ input: Operations.GetServiceContract.Input) async throws -> Operations.GetServiceContract.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .readOrders, req)
        return .ok(.init(body: .json(try Self.contract(try await req.store.orders.contract(community: communityID)))))
    }

    func putServiceContract(_ input: Operations.PutServiceContract.Input) async throws -> Operations.PutServiceContract.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .manageContract, req, wholeCommunity: true)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        var steps: [Priority: [Int]] = [:]
        for (key, value) in b.escalationSteps.additionalProperties {
            guard let p = Priority(rawValue: key) else {
                throw DomainError.invalid(field: "escalationSteps", Message(zh: "未知优先级:\(key)", en: "Unknown priority: \(key)"))
            }
            steps[p] = value
        }
        let contract = ServiceContract(
            targets: b.targets.map {
                .init(kind: $0.kind.flatMap { RequestKind(rawValue: $0.rawValue) }, priority: $0.priority.flatMap { Priority(rawValue: $0.rawValue) },
                      response: $0.response, arrival: $0.arrival, completion: $0.completion, serviceHoursOnly: $0.serviceHoursOnly)
            },
            hours: ServiceHours(opens: b.opens, closes: b.closes, weekdays: Set(b.weekdays), holidays: Set(b.holidays), timeZone: b.timeZone),
            escalationSteps: steps, callbackAfter: b.callbackAfter, autoCloseDays: b.autoCloseDays, returnVisitPercent: b.returnVisitPercent,
            dissatisfiedAtOrBelow: b.dissatisfiedAtOrBelow,
            emergencyKeywords: try b.emergencyKeywords.map { Classifier.Keyword($0.text, try convert($0.category)) },
            warrantyLiaisonID: try b.warrantyLiaisonId.map { try Parse.uuid($0, field: "warrantyLiaisonId") })
        let stored = try await req.store.orders.setContract(contract, community: communityID, by: req.actor)
        return .ok(.init(body: .json(try Self.contract(stored))))
    }

    static func contract(_ c: ServiceContract) throws -> Components.Schemas.ServiceContract {
        .init(targets: c.targets.map {
                  .init(kind: $0.kind.flatMap { .init(rawValue: $0.rawValue) }, priority: $0.priority.flatMap { .init(rawValue: $0.rawValue) },
                        response: $0.response, arrival: $0.arrival, completion: $0.completion, serviceHoursOnly: $0.serviceHoursOnly)
              },
              opens: c.hours.opens, closes: c.hours.closes, weekdays: c.hours.weekdays.sorted(), holidays: c.hours.holidays.sorted(),
              timeZone: c.hours.timeZone,
              escalationSteps: .init(additionalProperties: Dictionary(uniqueKeysWithValues: c.escalationSteps.map { ($0.key.rawValue, $0.value) })),
              callbackAfter: c.callbackAfter, autoCloseDays: c.autoCloseDays, returnVisitPercent: c.returnVisitPercent,
              dissatisfiedAtOrBelow: c.dissatisfiedAtOrBelow,
              emergencyKeywords: try c.emergencyKeywords.map { .init(text: $0.text, category: try convert($0.category)) },
              warrantyLiaisonId: c.warrantyLiaisonID?.uuidString)
    }

    // MARK: Live events

    func streamEvents(_ input: Operations.StreamEvents.Input) async throws -> Operations.StreamEvents.Output {
        let req = try RequestContext.current
        let p = try req.requirePrincipal()
        if p.role.isStaff { try AccessPolicy(p).requireRole(.readOrders) }
        var only: UUID?
        if let raw = input.query.communityId {
            guard let id = UUID(uuidString: raw), AccessPolicy(p).reach(id) != .none else { throw DomainError.notFound(Noun.community) }
            only = id
        }
        let seconds = try Parse.bounded(input.query.seconds, field: "seconds", 1...3600, default: 3600)
        let stream = req.application.liveHub.subscribe(LiveFilter(principal: p, community: only), for: .seconds(seconds))
        return .ok(.init(body: .textEventStream(HTTPBody(stream, length: .unknown, iterationBehavior: .single))))
    }
}
