import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see an order and take which step (SEC-2): staff by role and scope (community and,
/// for supervisors, area); residents only their own units' orders, and only their own steps.
enum OrderAccess {
    static func load(_ raw: String, _ req: Request) async throws -> (WorkOrder, Principal) {
        let p = try req.requirePrincipal()
        guard let id = UUID(uuidString: raw), let order = try await req.store.orders.order(id) else { throw DomainError.notFound(Noun.order) }
        if p.role == .resident {
            guard order.isVisible(toResidentWithUnits: p.unitIDs, person: p.personID) else { throw DomainError.notFound(Noun.order) }
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
            if let unit = draft.unitID {
                guard p.unitIDs.contains(unit) else {
                    throw DomainError.invalid(field: "unitId", Message(zh: "请选择您自己的房屋", en: "Choose one of your own units"))
                }
            } else {
                // A common area (a corridor light, the lift) of a building they live in.
                var buildings = Set<UUID>()
                for u in p.unitIDs { if let b = try await req.store.registry.unit(u)?.unit.buildingID { buildings.insert(b) } }
                guard let b = draft.buildingID, buildings.contains(b) else {
                    throw DomainError.invalid(field: "unitId", Message(zh: "请选择您自己的房屋或所在楼栋的公共区域", en: "Choose one of your own units or a common area of your building"))
                }
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
            case .cancel(_, let mistake): return !mistake && order.kind != .complaint && [.received, .dispatched].contains(order.status)
            default: return false
            }
        }
        switch action {
        case .dispatch, .pool, .reassign: return policy.has(.dispatchOrders)
        case .take, .accept, .contact, .checkIn, .complete, .agreePrice, .addExtra: return policy.has(.doWork)
        case .signOff, .reject: return policy.has(.doWork) && isAssignee
        case .returnVisit, .reopen: return policy.has(.reviewOrders)
        case .hold, .resume: return policy.has(.dispatchOrders) || (policy.has(.doWork) && isAssignee)
        case .cancel(_, let mistake): return mistake || order.kind == .complaint ? policy.has(.handleComplaints) : policy.has(.dispatchOrders)
        case .settle: return policy.has(.settleOrders)
        case .autoClose, .resolveByIncident: return false
        case .answer: return policy.has(.dispatchOrders) || (policy.has(.doWork) && isAssignee)
        case .reply: return order.ownerID == p.userID || policy.has(.handleComplaints)
        case .callBack: return policy.has(.dispatchOrders) || policy.has(.reviewOrders)
        }
    }

    /// Runs one step for the caller and answers with the order after it.
    static func step(_ raw: String, _ make: (WorkOrder, Principal, Request) async throws -> OrderAction) async throws -> Components.Schemas.Order {
        let req = try RequestContext.current
        return try await view(try await perform(raw, req, make), req)
    }

    /// Loads the order in the caller's scope, builds the step, checks the caller may ask for
    /// it, and runs it on the machine: the one path for the API and the pages.
    static func perform(_ raw: String, _ req: Request, photos: [PhotoStore.Upload] = [], evidence: [EvidenceStore.Upload] = [],
                        _ make: (WorkOrder, Principal, Request) async throws -> OrderAction) async throws -> WorkOrder {
        let (order, p) = try await load(raw, req)
        let action = try await make(order, p, req)
        guard permitted(action, order, p) else { throw DomainError.forbidden }
        return try await req.store.orders.perform(action, on: order.id, community: order.communityID, photos: photos, evidence: evidence, by: req.actor)
    }

    /// The caller's full number, for staff who may reveal phones (SEC-3), audited with a purpose:
    /// the one path for the API and the pages.
    static func revealPhone(_ raw: String, purpose: String, _ req: Request) async throws -> (order: String, number: String) {
        let (order, p) = try await load(raw, req)
        guard p.role != .resident else { throw DomainError.forbidden }
        try AccessPolicy(p).requireRole(.revealPhone)
        return (order.number, try await req.store.orders.revealPhone(of: order.id, purpose: purpose, by: req.actor))
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

    /// A registered order as its answer: a new one with the clocks and contract it was written
    /// with (nothing read again), a replayed one as it is stored now.
    static func view(_ created: WorkOrderStore.Created, _ req: Request) async throws -> Components.Schemas.Order {
        guard let clocks = created.clocks, let contract = created.contract else { return try await view(created.order, req) }
        return try map(created.order, clocks: clocks, contract: contract, req: req, principal: try req.requirePrincipal())
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
            ("resume", .resume), ("reopen", .reopen(reason: "-")), ("price", .agreePrice(fen: 0)),
            ("extras", .addExtra(fen: 1, note: "-", consentBy: "-")), ("settle", .settle(receipt: "-")),
            ("answer", .answer(note: "-")), ("reply", .reply(opinion: "-", reply: "-")),
            ("call-back", .callBack(.reached, note: "")),
            // Withdrawing comes last: never the first button a clerk sees.
            ("cancel", .cancel(reason: "-", loggedByMistake: order.kind == .complaint)),
        ]
        let machine = OrderMachine(contract: contract)
        return candidates.compactMap { name, action in
            guard permitted(action, order, p) else { return nil }
            return (try? machine.apply(action, to: order, clocks: clocks, by: actor, at: Date(), nextEventSeq: 1)) == nil ? nil : name
        }
    }

    /// The order as the API shows it. `actions`: whether to list the steps the caller may take —
    /// each is tried on the order (a dry run of the machine), so lists leave them out (issue 19).
    static func map(_ o: WorkOrder, clocks: [SLAClock], contract: ServiceContract, req: Request, principal p: Principal,
                    actions: Bool = true) throws -> Components.Schemas.Order {
        let lang = req.language
        // The phone number is for the engineer who goes there and for the resident (SEC-3).
        let fullPhone = o.assigneeID == p.userID || (p.role == .resident && o.isVisible(toResidentWithUnits: p.unitIDs, person: p.personID))
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
            clocks: try clocks.map { try clock($0, contract, req) }, allowedActions: actions ? allowed(o, clocks: clocks, contract: contract, principal: p) : nil)
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

    /// The unit's context; its arrears (INT-17) only for callers who may see money (readFees) —
    /// an engineer's answer carries no amount at all.
    static func context(_ c: WorkOrderStore.UnitContext, principal p: Principal) throws -> Components.Schemas.UnitContext {
        let money = AccessPolicy(p).has(.readFees) && c.arrearsFen != nil
        return .init(openOrders: try c.openOrders.map(brief), recentComplaints: try c.recentComplaints.map(brief), arrearsKnown: money,
                     arrears: money ? c.arrearsFen : nil, arrearsMonths: money ? c.arrearsMonths : nil)
    }
}
