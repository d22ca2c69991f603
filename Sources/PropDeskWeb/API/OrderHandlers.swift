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
        let body = try await OrderAccess.view(result.order, req)
        return result.created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func classifyText(_ input: Operations.ClassifyText.Input) async throws -> Operations.ClassifyText.Output {
        let req = try RequestContext.current
        let (communityID, _) = try Scoped.community(input.path.communityId, .createOrders, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let contract = try await req.store.orders.contract(community: communityID)
        let r = contract.classifier.classify(try Parse.short(b.text, field: "text", max: 2000))
        let priority: Priority = r.emergency ? .emergency : .normal
        return .ok(.init(body: .json(.init(
            category: try convert(r.category), emergency: r.emergency, priority: try convert(priority),
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
            filter.unitIDs = p.unitIDs
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
        let page = try PageQuery(page: q.page, per: q.per)
        let result = try await req.store.orders.list(community: communityID, filter: filter, page: page)
        let contract = try await req.store.orders.contract(community: communityID)
        let items = try result.items.map { try OrderAccess.map($0.order, clocks: $0.clocks, contract: contract, req: req, principal: p) }
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
            context: try d.context.map { try OrderAccess.context($0) })
        return .ok(.init(body: .json(body)))
    }

    func getUnitContext(_ input: Operations.GetUnitContext.Input) async throws -> Operations.GetUnitContext.Output {
        let req = try RequestContext.current
        let detail = try await Scoped.unit(input.path.unitId, .readOrders, req)
        return .ok(.init(body: .json(try OrderAccess.context(try await req.store.orders.unitContext(detail.unit.id)))))
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
        return .ok(.init(body: .json(try await OrderAccess.step(input.path.orderId) { _, _, _ in .cancel(reason: b.reason) })))
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

/// Who may see an order and take which step (SEC-2): staff by role and scope (community and,
/// for supervisors, area); residents only their own units' orders, and only their own steps.
enum OrderAccess {
    static func load(_ raw: String, _ req: Request) async throws -> (WorkOrder, Principal) {
        let p = try req.requirePrincipal()
        guard let id = UUID(uuidString: raw), let order = try await req.store.orders.order(id) else { throw DomainError.notFound(Noun.order) }
        if p.role == .resident {
            guard let unit = order.unitID, p.unitIDs.contains(unit) else { throw DomainError.notFound(Noun.order) }
        } else {
            let policy = AccessPolicy(p)
            try policy.requireRole(.readOrders)
            guard policy.canSee(community: order.communityID, area: order.areaID) else { throw DomainError.notFound(Noun.order) }
        }
        return (order, p)
    }

    /// Registers a request for the caller: residents only for their own units through the portal
    /// (INT-14), staff inside their scope (SEC-2). The one path for the API and the pages.
    static func create(_ draft: OrderDraft, idempotencyKey: String?, photos: [PhotoStore.Upload] = [], _ req: Request) async throws -> WorkOrderStore.Created {
        let p = try req.requirePrincipal()
        var draft = draft
        let communityID = draft.communityID
        if p.role == .resident {
            // A resident reports for one of their own units, through the portal (INT-14, SEC-2).
            guard p.scopes.contains(where: { $0.communityID == communityID }) else { throw DomainError.notFound(Noun.community) }
            guard let unit = draft.unitID, p.unitIDs.contains(unit) else {
                throw DomainError.invalid(field: "unitId", Message(zh: "请选择您自己的房屋", en: "Choose one of your own units"))
            }
            draft.channel = .portal
            draft.requesterID = p.personID
            if draft.priority != nil && draft.priority != .emergency { draft.priority = nil }
        } else {
            let policy = AccessPolicy(p)
            try policy.requireRole(.createOrders)
            guard policy.reach(communityID) != .none else { throw DomainError.notFound(Noun.community) }
            if case .areas(let areas) = policy.reach(communityID), let unitID = draft.unitID,
               let unit = try await req.store.registry.unit(unitID), !(unit.unit.areaID.map(areas.contains) ?? false) {
                throw DomainError.notFound(Noun.unit)
            }
        }
        return try await req.store.orders.create(draft, idempotencyKey: idempotencyKey, photos: photos, by: req.actor)
    }

    /// Whether this principal may ask for this step at all; the machine then says whether it
    /// is possible in the order's state.
    static func permitted(_ action: OrderAction, _ order: WorkOrder, _ p: Principal) -> Bool {
        let policy = AccessPolicy(p)
        let isAssignee = order.assigneeID == p.userID
        if p.role == .resident {
            switch action {
            case .signOff, .reject: return true
            case .cancel: return [.received, .dispatched].contains(order.status)
            default: return false
            }
        }
        switch action {
        case .dispatch, .pool, .reassign: return policy.has(.dispatchOrders)
        case .take, .accept, .contact, .checkIn, .complete, .agreePrice, .addExtra: return policy.has(.doWork)
        case .signOff, .reject: return policy.has(.doWork) && isAssignee
        case .returnVisit, .reopen: return policy.has(.reviewOrders)
        case .hold, .resume: return policy.has(.dispatchOrders) || (policy.has(.doWork) && isAssignee)
        case .cancel: return policy.has(.dispatchOrders)
        case .settle: return policy.has(.settleOrders)
        case .autoClose, .resolveByIncident: return false
        }
    }

    /// Runs one step for the caller and answers with the order after it.
    static func step(_ raw: String, _ make: (WorkOrder, Principal, Request) async throws -> OrderAction) async throws -> Components.Schemas.Order {
        let req = try RequestContext.current
        return try await view(try await perform(raw, req, make), req)
    }

    /// Loads the order in the caller's scope, builds the step, checks the caller may ask for
    /// it, and runs it on the machine: the one path for the API and the pages.
    static func perform(_ raw: String, _ req: Request, photos: [PhotoStore.Upload] = [],
                        _ make: (WorkOrder, Principal, Request) async throws -> OrderAction) async throws -> WorkOrder {
        let (order, p) = try await load(raw, req)
        let action = try await make(order, p, req)
        guard permitted(action, order, p) else { throw DomainError.forbidden }
        return try await req.store.orders.perform(action, on: order.id, photos: photos, by: req.actor)
    }

    /// Dispatch to the pool (抢单), to a named person, or by the community's rules (INT-15).
    static func dispatchAction(mode: String, assignee: String?, order: WorkOrder, _ req: Request) async throws -> OrderAction {
        switch mode {
        case "pool": return .pool
        case "person":
            guard let raw = assignee, !raw.isEmpty else {
                throw DomainError.invalid(field: "assigneeId", Message(zh: "请选择派给谁", en: "Choose whom to dispatch to"))
            }
            return .dispatch(try await req.store.orders.assignee(try Parse.uuid(raw, field: "assigneeId"), community: order.communityID))
        case "rule":
            let rules = try await req.store.orders.rules(community: order.communityID)
            guard let rule = DispatchRule.pick(rules, category: order.category, areaID: order.areaID), let (who, _) = rule.next() else {
                throw DomainError.conflict(code: "no_rule", Message(zh: "没有适用的派工规则,请手动派工", en: "No dispatch rule matches; dispatch by hand"))
            }
            return .dispatch(who)
        default:
            throw DomainError.invalid(field: "mode", Message(zh: "派工方式只能是 人员、规则 或 抢单池", en: "Dispatch mode must be person, rule or pool"))
        }
    }

    static func view(_ order: WorkOrder, _ req: Request) async throws -> Components.Schemas.Order {
        let p = try req.requirePrincipal()
        let contract = try await req.store.orders.contract(community: order.communityID)
        return try map(order, clocks: try await req.store.orders.view(order).clocks, contract: contract, req: req, principal: p)
    }

    /// The steps the caller could take now: each candidate is tried on the pure machine.
    static func allowed(_ order: WorkOrder, clocks: [SLAClock], contract: ServiceContract, principal p: Principal) -> [String] {
        let me = Assignee(id: p.userID, name: p.displayName)
        let actor = Actor(userID: p.userID, name: p.displayName)
        let candidates: [(String, OrderAction)] = [
            ("dispatch", .pool), ("take", .take(me)), ("reassign", .reassign(Assignee(id: UUID(), name: ""), reason: "-")),
            ("accept", .accept), ("contact", .contact(note: "")), ("check-in", .checkIn), ("complete", .complete(note: "-")),
            ("sign-off", .signOff(rating: 5, comment: "", onResidentDevice: p.role != .resident)),
            ("reject", .reject(rating: 1, comment: "-", onResidentDevice: p.role != .resident)),
            ("return-visit", .returnVisit(ReturnVisit(method: .phone, satisfied: true, answer: "-"))), ("hold", .hold(reason: "-")),
            ("resume", .resume), ("cancel", .cancel(reason: "-")), ("reopen", .reopen(reason: "-")), ("price", .agreePrice(fen: 0)),
            ("extras", .addExtra(fen: 1, note: "-", consentBy: "-")), ("settle", .settle(receipt: "-")),
        ]
        let machine = OrderMachine(contract: contract)
        return candidates.compactMap { name, action in
            guard permitted(action, order, p) else { return nil }
            return (try? machine.apply(action, to: order, clocks: clocks, by: actor, at: Date(), nextEventSeq: 1)) == nil ? nil : name
        }
    }

    static func map(_ o: WorkOrder, clocks: [SLAClock], contract: ServiceContract, req: Request, principal p: Principal) throws -> Components.Schemas.Order {
        let lang = req.language
        // The phone number is for the engineer who goes there and for the resident (SEC-3).
        let fullPhone = o.assigneeID == p.userID || (p.role == .resident && o.unitID.map(p.unitIDs.contains) == true)
        return Components.Schemas.Order(
            id: o.id.uuidString, communityId: o.communityID.uuidString, number: o.number, kind: try convert(o.kind),
            channel: try convert(o.channel), category: try convert(o.category),
            priority: try convert(o.priority), status: try convert(o.status), statusTitle: o.status.title.text(lang),
            heldFrom: o.heldFrom.flatMap { .init(rawValue: $0.rawValue) }, holdReason: o.holdReason, unitId: o.unitID?.uuidString,
            buildingId: o.buildingID?.uuidString, areaId: o.areaID?.uuidString, location: o.location, requesterId: o.requesterID?.uuidString,
            contactName: o.contactName, contactPhone: fullPhone || o.contactPhone.isEmpty ? o.contactPhone : Mask.phone(o.contactPhone),
            description: o.description, expectedAt: o.expectedAt, emergencyKeyword: o.emergencyKeyword, createdByName: o.createdByName,
            createdAt: o.createdAt, updatedAt: o.updatedAt, assigneeId: o.assigneeID?.uuidString, assigneeName: o.assigneeName, inPool: o.inPool,
            ownerId: o.ownerID?.uuidString, ownerName: o.ownerName, incidentId: o.incidentID?.uuidString, parentId: o.parentID?.uuidString,
            complaintId: o.complaintID?.uuidString, catalogueItemId: o.catalogueItemID?.uuidString, listPrice: o.listPrice,
            agreedPrice: o.agreedPrice, extras: o.extras, total: o.total, receiptNumber: o.receiptNumber, settledAt: o.settledAt,
            rating: o.rating, ratingComment: o.ratingComment, returnVisitRequired: o.returnVisitRequired, reopenCount: o.reopenCount,
            completedAt: o.completedAt, closedAt: o.closedAt, closeReason: o.closeReason, outcome: o.outcome, version: o.version,
            clocks: try clocks.map { try clock($0, contract, req) }, allowedActions: allowed(o, clocks: clocks, contract: contract, principal: p))
    }

    static func clock(_ c: SLAClock, _ contract: ServiceContract, _ req: Request) throws -> Components.Schemas.Clock {
        let now = req.application.propdesk.now()
        return .init(kind: try convert(c.kind), round: c.round, targetSeconds: c.targetSeconds, serviceHoursOnly: c.serviceHoursOnly,
                     startedAt: c.startedAt, dueAt: c.dueAt, pausedAt: c.pausedAt, stoppedAt: c.stoppedAt, breachedAt: c.breachedAt,
                     heldSeconds: c.heldSeconds, level: c.level, met: c.met, secondsLeft: c.secondsLeft(at: now, hours: contract.hours))
    }

    static func event(_ e: OrderEvent, _ lang: Language) throws -> Components.Schemas.OrderEvent {
        .init(seq: e.seq, kind: e.kind.rawValue, title: e.kind.title.text(lang), actorId: e.actorID?.uuidString, actorName: e.actorName,
              at: e.at, from: e.from.flatMap { .init(rawValue: $0.rawValue) }, to: try convert(e.to), note: e.note,
              data: .init(additionalProperties: e.data))
    }

    static func alert(_ a: Alert, _ lang: Language) throws -> Components.Schemas.Alert {
        let isOrder = a.subjectKind == .workOrder
        return .init(id: a.id.uuidString, communityId: a.communityID.uuidString, subjectKind: try convert(a.subjectKind),
              subjectId: a.subjectID.uuidString, subjectLabel: a.subjectLabel, subjectPath: SubjectLinks.path(a.subject),
              orderId: isOrder ? a.subjectID.uuidString : nil, orderNumber: isOrder ? a.subjectLabel : nil,
              kind: try convert(a.kind), clockKind: a.clockKind.flatMap { .init(rawValue: $0.rawValue) },
              level: try convert(a.level), targetUserId: a.targetUserID?.uuidString, raisedAt: a.raisedAt, dueAt: a.dueAt,
              message: a.message.text(lang), acknowledgedByName: a.acknowledgedByName, acknowledgedAt: a.acknowledgedAt,
              acknowledgeNote: a.acknowledgeNote)
    }

    static func brief(_ o: WorkOrder) throws -> Components.Schemas.OrderBrief {
        .init(id: o.id.uuidString, number: o.number, kind: try convert(o.kind), status: try convert(o.status),
              priority: try convert(o.priority), createdAt: o.createdAt, description: o.description)
    }

    static func context(_ c: WorkOrderStore.UnitContext) throws -> Components.Schemas.UnitContext {
        .init(openOrders: try c.openOrders.map(brief), recentComplaints: try c.recentComplaints.map(brief), arrearsKnown: c.arrearsFen != nil, arrears: c.arrearsFen)
    }
}
