import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Work orders in the JSON API (INT-1 … INT-19). Each step is its own POST; who may take it is
/// decided by `OrderAccess`, whether it is possible now by `OrderMachine`.
extension APIHandler {
    // MARK: Intake

    func createOrder(_ input: Operations.CreateOrder.Input) async throws -> Operations.CreateOrder.Output {
        let req = try RequestContext.current
        guard let communityID = UUID(uuidString: input.path.communityId) else { throw DomainError.notFound(Noun.community) }
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let draft = OrderDraft(
            communityID: communityID, kind: try convert(b.kind), channel: try convert(b.channel),
            category: b.category.flatMap { Category(rawValue: $0.rawValue) }, priority: b.priority.flatMap { Priority(rawValue: $0.rawValue) },
            unitID: try b.unitId.map { try Parse.uuid($0, field: "unitId") }, buildingID: try b.buildingId.map { try Parse.uuid($0, field: "buildingId") },
            location: b.location ?? "", requesterID: try b.requesterId.map { try Parse.uuid($0, field: "requesterId") },
            contactName: b.contactName ?? "", contactPhone: b.contactPhone ?? "", description: b.description, expectedAt: b.expectedAt,
            catalogueItemID: try b.catalogueItemId.map { try Parse.uuid($0, field: "catalogueItemId") })
        let result = try await OrderAccess.create(draft, idempotencyKey: input.headers.idempotencyKey, req)
        let body = try await OrderAccess.view(result, req)
        return result.created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func classifyText(_ input: Operations.ClassifyText.Input) async throws -> Operations.ClassifyText.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .createOrders, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let contract = try await req.store.orders.contract(community: communityID)
        let r = contract.classifier.classify(try Parse.short(b.text, field: "text", max: 2000))
        return .ok(.init(body: .json(.init(
            category: try convert(r.category), emergency: r.emergency, priority: try convert(r.priority),
            matched: r.matched, arrivalTargetSeconds: r.emergency ? contract.target(kind: .repair, priority: .emergency).arrival : nil))))
    }

    // MARK: Reads

    func listOrders(_ input: Operations.ListOrders.Input) async throws -> Operations.ListOrders.Output {
        let req = try RequestContext.current
        let p = try req.requirePrincipal()
        guard let communityID = UUID(uuidString: input.path.communityId) else { throw DomainError.notFound(Noun.community) }
        var filter = WorkOrderStore.OrderFilter()
        if p.role == .resident {
            guard p.scopes.contains(where: { $0.communityID == communityID }) else { throw DomainError.notFound(Noun.community) }
            filter.resident = (p.unitIDs, p.personID)
        } else {
            let (_, areas) = try Scoped.community(input.path.communityId, .readOrders, req)
            filter.visibleAreas = areas
        }
        let q = input.query
        if let raw = q.status?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            let names = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard raw == "open" || !names.isEmpty else {
                throw DomainError.invalid(field: "status", Message(zh: "请写出工单状态,用逗号分隔", en: "Name the statuses, separated by commas"))
            }
            filter.statuses = raw == "open" ? OrderStatus.open : try names.map {
                guard let s = OrderStatus(rawValue: $0) else {
                    throw DomainError.invalid(field: "status", Message(zh: "未知的工单状态:\($0)", en: "Unknown status: \($0)"))
                }
                return s
            }
        }
        filter.kind = q.kind.flatMap { RequestKind(rawValue: $0.rawValue) }
        filter.priority = q.priority.flatMap { Priority(rawValue: $0.rawValue) }
        filter.areaID = try q.areaId.map { try Parse.uuid($0, field: "areaId") }
        filter.assigneeID = try q.assigneeId.map { try Parse.uuid($0, field: "assigneeId") }
        filter.unitID = try q.unitId.map { try Parse.uuid($0, field: "unitId") }
        filter.incidentID = try q.incidentId.map { try Parse.uuid($0, field: "incidentId") }
        filter.overdue = q.overdue ?? false
        if q.from != nil || q.to != nil {
            let zone = try await req.store.registry.community(communityID)?.timeZone ?? "Asia/Shanghai"
            try FindOrders.days(from: q.from, to: q.to, time: LocalTime(zone), into: &filter)
        }
        try await FindOrders.text(q.q, into: &filter, community: communityID, areas: filter.visibleAreas, req)
        let page = try PageQuery(page: q.page, per: q.per)
        let result = try await req.store.orders.list(community: communityID, filter: filter, page: page)
        let contract = try await req.store.orders.contract(community: communityID)
        let items = try result.items.map { try OrderAccess.map($0.order, clocks: $0.clocks, contract: contract, req: req, principal: p, actions: false) }
        return .ok(.init(body: .json(.init(items: items, page: result.page, per: result.per, total: result.total))))
    }

    func getOrder(_ input: Operations.GetOrder.Input) async throws -> Operations.GetOrder.Output {
        let req = try RequestContext.current
        let (order, p) = try await OrderAccess.load(input.path.orderId, req)
        guard let d = try await req.store.orders.detail(order.id) else { throw DomainError.notFound(Noun.order) }
        let lang = req.language
        let body = Components.Schemas.OrderDetail(
            order: try OrderAccess.map(d.order, clocks: d.clocks.currentRound, contract: d.contract, req: req, principal: p),
            timeline: try d.events.filter { p.role != .resident || $0.isShownToResidents }.map { try OrderAccess.event($0, lang) },
            allClocks: try d.clocks.map { try OrderAccess.clock($0, d.contract, req) },
            alerts: p.role == .resident ? [] : try d.alerts.map { try OrderAccess.alert($0, lang) },
            context: try d.context.map { try OrderAccess.context($0, principal: p) })
        return .ok(.init(body: .json(body)))
    }

    func getUnitContext(_ input: Operations.GetUnitContext.Input) async throws -> Operations.GetUnitContext.Output {
        let req = try RequestContext.current
        let detail = try await Scoped.unit(input.path.unitId, .readOrders, req)
        let (p, _) = try req.requireStaff()
        return .ok(.init(body: .json(try OrderAccess.context(try await req.store.orders.unitContext(detail.unit.id, community: detail.unit.communityID), principal: p))))
    }

    func getWorkload(_ input: Operations.GetWorkload.Input) async throws -> Operations.GetWorkload.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .dispatchOrders, req)
        let rows = try await req.store.orders.workload(community: communityID)
        return .ok(.init(body: .json(rows.map { .init(engineer: .init(id: $0.0.id.uuidString, name: $0.0.name), openOrders: $0.1) })))
    }

    // MARK: Steps

    func dispatchOrder(_ input: Operations.DispatchOrder.Input) async throws -> Operations.DispatchOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { order, _, req in
            try await OrderAccess.dispatchAction(mode: b.mode.rawValue, assignee: b.assigneeId, order: order, req)
        })))
    }

    func takeOrder(_ input: Operations.TakeOrder.Input) async throws -> Operations.TakeOrder.Output {
        .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, p, _ in .take(Assignee(id: p.userID, name: p.displayName)) })))
    }

    func reassignOrder(_ input: Operations.ReassignOrder.Input) async throws -> Operations.ReassignOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { order, _, req in
            .reassign(try await req.store.orders.assignee(try Parse.uuid(b.assigneeId, field: "assigneeId"), community: order.communityID), reason: b.reason)
        })))
    }

    func acceptOrder(_ input: Operations.AcceptOrder.Input) async throws -> Operations.AcceptOrder.Output {
        .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .accept })))
    }

    func contactResident(_ input: Operations.ContactResident.Input) async throws -> Operations.ContactResident.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .contact(note: b.note ?? "") })))
    }

    func checkIn(_ input: Operations.CheckIn.Input) async throws -> Operations.CheckIn.Output {
        .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .checkIn })))
    }

    func completeOrder(_ input: Operations.CompleteOrder.Input) async throws -> Operations.CompleteOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .complete(note: b.note ?? "") })))
    }

    func signOffOrder(_ input: Operations.SignOffOrder.Input) async throws -> Operations.SignOffOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, p, _ in
            .signOff(rating: b.rating, comment: b.comment ?? "", onResidentDevice: p.role != .resident)
        })))
    }

    func rejectOrder(_ input: Operations.RejectOrder.Input) async throws -> Operations.RejectOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, p, _ in
            .reject(rating: b.rating, comment: b.comment ?? "", onResidentDevice: p.role != .resident)
        })))
    }

    func recordReturnVisit(_ input: Operations.RecordReturnVisit.Input) async throws -> Operations.RecordReturnVisit.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let visit = ReturnVisit(method: try convert(b.method), satisfied: b.satisfied, answer: b.answer,
                                onDissatisfied: b.onDissatisfied.flatMap { ReturnVisit.OnDissatisfied(rawValue: $0.rawValue) } ?? .reopen)
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .returnVisit(visit) })))
    }

    func holdOrder(_ input: Operations.HoldOrder.Input) async throws -> Operations.HoldOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .hold(reason: b.reason) })))
    }

    func resumeOrder(_ input: Operations.ResumeOrder.Input) async throws -> Operations.ResumeOrder.Output {
        .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .resume })))
    }

    func cancelOrder(_ input: Operations.CancelOrder.Input) async throws -> Operations.CancelOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in
            .cancel(reason: b.reason, loggedByMistake: b.loggedByMistake ?? false)
        })))
    }

    func answerOrder(_ input: Operations.AnswerOrder.Input) async throws -> Operations.AnswerOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .answer(note: b.answer) })))
    }

    func replyToComplaint(_ input: Operations.ReplyToComplaint.Input) async throws -> Operations.ReplyToComplaint.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .reply(opinion: b.opinion, reply: b.reply) })))
    }

    func recordCallBack(_ input: Operations.RecordCallBack.Input) async throws -> Operations.RecordCallBack.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let outcome = try CallbackOutcome(rawValue: b.outcome.rawValue)
            .orThrow(field: "outcome", Message(zh: "未知的回电结果", en: "Unknown callback outcome"))
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .callBack(outcome, note: b.note ?? "") })))
    }

    func revealOrderPhone(_ input: Operations.RevealOrderPhone.Input) async throws -> Operations.RevealOrderPhone.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let req = try RequestContext.current
        let revealed = try await OrderAccess.revealPhone(input.path.orderId, purpose: b.purpose, req)
        return .ok(.init(body: .json(.init(orderNumber: revealed.order, phone: revealed.number))))
    }

    func reopenOrder(_ input: Operations.ReopenOrder.Input) async throws -> Operations.ReopenOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .reopen(reason: b.reason) })))
    }

    func agreePrice(_ input: Operations.AgreePrice.Input) async throws -> Operations.AgreePrice.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .agreePrice(fen: b.agreedPrice) })))
    }

    func addExtra(_ input: Operations.AddExtra.Input) async throws -> Operations.AddExtra.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in
            .addExtra(fen: b.amount, note: b.note, consentBy: b.consentBy)
        })))
    }

    func settleOrder(_ input: Operations.SettleOrder.Input) async throws -> Operations.SettleOrder.Output {
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .settle(receipt: b.receiptNumber) })))
    }
}
