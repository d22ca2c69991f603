import Foundation

/// A new request as the front desk, a resident or a patrol registers it (INT-3).
public struct OrderDraft: Sendable {
    public var communityID: UUID
    public var kind: RequestKind
    public var channel: Channel
    public var category: Category?
    public var priority: Priority?
    public var unitID: UUID?
    public var buildingID: UUID?
    public var areaID: UUID?
    public var location: String
    public var requesterID: UUID?
    public var contactName: String
    public var contactPhone: String
    public var description: String
    public var expectedAt: Date?
    public var catalogueItemID: UUID?
    public var listPrice: Int?
    public var parentID: UUID?

    public init(communityID: UUID, kind: RequestKind, channel: Channel, category: Category? = nil, priority: Priority? = nil,
                unitID: UUID? = nil, buildingID: UUID? = nil, areaID: UUID? = nil, location: String = "", requesterID: UUID? = nil,
                contactName: String = "", contactPhone: String = "", description: String, expectedAt: Date? = nil,
                catalogueItemID: UUID? = nil, listPrice: Int? = nil, parentID: UUID? = nil) {
        self.communityID = communityID
        self.kind = kind
        self.channel = channel
        self.category = category
        self.priority = priority
        self.unitID = unitID
        self.buildingID = buildingID
        self.areaID = areaID
        self.location = location
        self.requesterID = requesterID
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.description = description
        self.expectedAt = expectedAt
        self.catalogueItemID = catalogueItemID
        self.listPrice = listPrice
        self.parentID = parentID
    }
}

/// The result of one step: the order as it now is, what to append to its timeline, its clocks
/// (changed and new), alerts to raise, and a complaint to open when a resident is dissatisfied.
public struct Transition: Sendable {
    public var order: WorkOrder
    public var events: [OrderEvent]
    public var clocks: [SLAClock]
    public var alerts: [Alert]
    public var complaint: OrderDraft?
}

/// The work-order life cycle as one type (INT-5 … INT-19). Every step either yields the next
/// state or throws a `DomainError` that says, in both languages, why not. It is pure: the
/// clock, the actor and the contract are handed in, so tests can walk a whole order in
/// simulated minutes.
public struct OrderMachine: Sendable {
    public let contract: ServiceContract

    public init(contract: ServiceContract) { self.contract = contract }

    // MARK: Intake

    /// Registers a request: classifies it (INT-4), decides whether it will get a return visit
    /// (INT-12), and starts its clocks (INT-6) unless an incident already covers it (INT-16).
    public func open(_ draft: OrderDraft, id: UUID = .timeOrdered(), number: String, seq: Int, incidentID: UUID? = nil,
                     owner: Assignee? = nil, by actor: Actor, at now: Date) throws -> Transition {
        let description = try Validate.text(draft.description, field: "description", max: 2000, required: true)
        let location = try Validate.text(draft.location, field: "location", max: 200, required: draft.unitID == nil)
        let contactName = try Validate.text(draft.contactName, field: "contactName", max: 60, required: false)
        let phone = draft.contactPhone.trimmingCharacters(in: .whitespaces).isEmpty ? "" : try Validate.phone(draft.contactPhone, field: "contactPhone")
        if let price = draft.listPrice { try OrderMachine.checkMoney(price, field: "listPrice") }
        let verdict = contract.classifier.classify(description)
        // The dictionary proposes emergency, urgent (a leak into the flat below) or normal; the
        // desk's own choice wins.
        let priority = draft.priority ?? verdict.priority
        let order = WorkOrder(
            id: id, communityID: draft.communityID, number: number, seq: seq, kind: draft.kind, channel: draft.channel,
            category: draft.category ?? verdict.category, priority: priority, status: .received, heldFrom: nil, holdReason: nil,
            unitID: draft.unitID, buildingID: draft.buildingID, areaID: draft.areaID, location: location, requesterID: draft.requesterID,
            contactName: contactName, contactPhone: phone, description: description, expectedAt: draft.expectedAt,
            emergencyKeyword: verdict.emergency ? verdict.matched : nil, createdByID: actor.userID, createdByName: actor.name,
            createdAt: now, updatedAt: now, assigneeID: nil, assigneeName: nil, inPool: false,
            ownerID: draft.kind == .complaint ? owner?.id : nil, ownerName: draft.kind == .complaint ? owner?.name : nil,
            incidentID: incidentID, parentID: draft.parentID, complaintID: nil, catalogueItemID: draft.catalogueItemID,
            listPrice: draft.listPrice, agreedPrice: nil, extras: 0, receiptNumber: nil, settledAt: nil, rating: nil, ratingComment: nil,
            // A patrol finding has no resident to visit back: the supervisor who found it accepts the work (FLD-3).
            returnVisitRequired: draft.kind == .complaint || (draft.channel != .patrol && OrderMachine.sampled(seq: seq, percent: contract.returnVisitPercent)),
            reopenCount: 0, completedAt: nil, closedAt: nil, closeReason: nil, outcome: nil, version: 1)
        var events = [event(order, 1, .created, actor, now, from: nil, note: nil, data: [
            "kind": order.kind.rawValue, "priority": order.priority.rawValue, "channel": order.channel.rawValue,
        ].merging(order.emergencyKeyword.map { ["keyword": $0] } ?? [:]) { a, _ in a })]
        var clocks: [SLAClock] = []
        var alerts: [Alert] = []
        if let incidentID {
            events.append(event(order, 2, .linkedToIncident, actor, now, from: .received, note: nil, data: ["incident": incidentID.uuidString]))
        } else {
            clocks = startTargets(order, round: 1, at: now, including: [.response, .arrival, .completion])
        }
        if order.kind == .complaint { alerts.append(Alert.about(order, .complaint, level: .csManager, at: now)) }
        return Transition(order: order, events: events, clocks: clocks, alerts: alerts, complaint: nil)
    }

    /// Return-visit sampling (INT-12): exactly `percent` of every hundred consecutive orders,
    /// spread evenly, so the share is never below the contract's figure.
    public static func sampled(seq: Int, percent: Int) -> Bool {
        guard seq > 0 else { return false }
        return (seq * percent) / 100 != ((seq - 1) * percent) / 100
    }

    // MARK: Steps

    public func apply(_ action: OrderAction, to current: WorkOrder, clocks current_clocks: [SLAClock], by actor: Actor,
                      at now: Date, nextEventSeq: Int) throws -> Transition {
        var o = current
        var clocks = current_clocks
        var events: [OrderEvent] = []
        var alerts: [Alert] = []
        var complaint: OrderDraft?
        var seq = nextEventSeq
        let from = o.status
        func log(_ kind: OrderEvent.Kind, note: String? = nil, data: [String: String] = [:]) {
            events.append(event(o, seq, kind, actor, now, from: from, note: note, data: data))
            seq += 1
        }
        func require(_ allowed: Set<OrderStatus>) throws {
            guard allowed.contains(o.status) else { throw OrderMachine.illegal(action, o.status) }
        }
        func requireAssignee() throws {
            guard let id = o.assigneeID, id == actor.userID else {
                throw DomainError(.forbidden, code: "not_assignee", Message(zh: "只有该工单的维修人员可以执行此操作", en: "Only the engineer this order is assigned to can do this"))
            }
        }
        func stop(_ kinds: Set<ClockKind>) {
            for i in clocks.indices where kinds.contains(clocks[i].kind) && !clocks[i].isStopped { clocks[i].stop(at: now) }
        }
        let round = (clocks.map(\.round).max() ?? 0)

        switch action {
        case .dispatch(let who):
            try require([.received])
            guard o.incidentID == nil else { throw OrderMachine.illegal(action, o.status) }
            o.assigneeID = who.id
            o.assigneeName = who.name
            o.inPool = false
            o.status = .dispatched
            log(.dispatched, data: ["assignee": who.name, "assigneeId": who.id.uuidString])
            clocks += startCallback(o, round: max(round, 1), at: now, existing: clocks)

        case .pool:
            try require([.received])
            guard o.incidentID == nil else { throw OrderMachine.illegal(action, o.status) }
            o.inPool = true
            o.status = .dispatched
            log(.pooled)

        case .take(let who):
            guard o.status == .dispatched, o.inPool, o.assigneeID == nil else {
                throw DomainError.conflict(code: "not_in_pool", Message(zh: "该工单不在抢单池中或已被他人接走", en: "This order is not open for taking, or someone else took it"))
            }
            o.assigneeID = who.id
            o.assigneeName = who.name
            o.inPool = false
            o.status = .accepted
            log(.taken, data: ["assignee": who.name, "assigneeId": who.id.uuidString])
            stop([.response])
            clocks += startCallback(o, round: max(round, 1), at: now, existing: clocks)

        case .reassign(let who, let reason):
            try require([.dispatched, .accepted, .contacted, .onSite, .onHold])
            let reason = try Validate.text(reason, field: "reason", max: 500, required: true)
            guard who.id != o.assigneeID else {
                throw DomainError.conflict(code: "same_assignee", Message(zh: "工单已由此人负责", en: "The order is already assigned to this person"))
            }
            let previous = o.assigneeName ?? "—"
            o.assigneeID = who.id
            o.assigneeName = who.name
            o.inPool = false
            if [.accepted, .contacted, .onSite].contains(o.status) { o.status = .dispatched }
            if o.status == .onHold, let h = o.heldFrom, [.accepted, .contacted, .onSite].contains(h) { o.heldFrom = .dispatched }
            log(.reassigned, note: reason, data: ["from": previous, "assignee": who.name, "assigneeId": who.id.uuidString])

        case .accept:
            try require([.dispatched])
            try requireAssignee()
            o.status = .accepted
            log(.accepted)
            stop([.response])

        case .contact(let note):
            try require([.accepted])
            try requireAssignee()
            o.status = .contacted
            log(.contacted, note: try Validate.text(note, field: "note", max: 500, required: false))

        case .checkIn:
            // An engineer who runs straight to a burst pipe may check in without accepting first.
            try require([.dispatched, .accepted, .contacted])
            try requireAssignee()
            // Any order with an arrival clock (every emergency, whatever its kind) can be checked in:
            // `complete` requires on site for such orders.
            let hasArrival = clocks.contains { $0.kind == .arrival && $0.round == round }
            guard o.kind.needsVisit || o.kind == .dispute || o.kind == .violation || hasArrival else { throw OrderMachine.illegal(action, o.status) }
            o.status = .onSite
            log(.checkedIn)
            stop([.response, .arrival, .callback])

        case .complete(let note):
            let visit = clocks.contains { $0.kind == .arrival && $0.round == round }
            try require(visit ? [.onSite] : [.accepted, .contacted, .onSite])
            try requireAssignee()
            if o.kind == .paidService && o.agreedPrice == nil {
                throw DomainError.conflict(code: "price_not_agreed", Message(zh: "有偿服务须先与业户确认价格", en: "Agree the price with the resident before finishing a paid service"))
            }
            let note = try Validate.text(note, field: "note", max: 2000, required: true)
            o.status = .completed
            o.completedAt = now
            log(.completed, note: note)
            stop([.response, .arrival, .completion, .callback])
            clocks.append(SLAClock.start(.autoClose, for: o, target: contract.autoCloseDays * 86400, serviceHoursOnly: false,
                                         round: max(round, 1), at: now, hours: contract.hours))

        case .signOff(let rating, let comment, let onDevice):
            try require([.completed])
            try OrderMachine.checkRating(rating)
            let comment = try Validate.text(comment, field: "comment", max: 1000, required: false)
            o.rating = rating
            o.ratingComment = comment
            stop([.autoClose])
            o.status = o.returnVisitRequired ? .visitPending : .closed
            if o.status == .closed { o.closedAt = now; o.closeReason = "accepted" }
            log(.signedOff, note: comment.isEmpty ? nil : comment, data: ["rating": String(rating)].merging(onDevice ? ["onResidentDevice": "true"] : [:]) { a, _ in a })
            if rating <= contract.dissatisfiedAtOrBelow {
                // INT-19: a bad rating is never just a number.
                complaint = complaintDraft(from: o, because: Message(zh: "验收评分 \(rating) 分:\(comment)", en: "Rated \(rating) at sign-off: \(comment)").zhHans)
                log(.turnedIntoComplaint, note: comment)
                alerts.append(Alert.about(o, .dissatisfied, level: .csManager, at: now))
            }

        case .reject(let rating, let comment, let onDevice):
            try require([.completed])
            try OrderMachine.checkRating(rating)
            let comment = try Validate.text(comment, field: "comment", max: 1000, required: true)
            o.rating = rating
            o.ratingComment = comment
            log(.rejected, note: comment, data: ["rating": String(rating)].merging(onDevice ? ["onResidentDevice": "true"] : [:]) { a, _ in a })
            stop([.autoClose])
            reopen(&o, &clocks, round: round, now: now)
            log(.reopened, note: comment)
            alerts.append(Alert.about(o, .dissatisfied, level: .csManager, at: now))

        case .returnVisit(let visit):
            try require([.visitPending, .closed, .completed])
            guard o.closeReason != "returned" else {
                throw DomainError.conflict(code: "already_visited", Message(zh: "该工单已回访", en: "This order already had its return visit"))
            }
            let answer = try Validate.text(visit.answer, field: "answer", max: 2000, required: true)
            stop([.autoClose])
            log(.returnVisited, note: answer, data: ["method": visit.method.rawValue, "satisfied": String(visit.satisfied)])
            if visit.satisfied {
                o.status = .closed
                o.closedAt = now
                o.closeReason = "returned"
                if o.kind == .complaint && o.outcome == nil { o.outcome = answer }
            } else if visit.onDissatisfied == .complaint && o.kind != .complaint {
                o.status = .closed
                o.closedAt = now
                o.closeReason = "returned"
                complaint = complaintDraft(from: o, because: answer)
                log(.turnedIntoComplaint, note: answer)
                alerts.append(Alert.about(o, .dissatisfied, level: .csManager, at: now))
            } else {
                reopen(&o, &clocks, round: round, now: now)
                log(.reopened, note: answer)
                alerts.append(Alert.about(o, .dissatisfied, level: .csManager, at: now))
            }

        case .hold(let reason):
            try require([.dispatched, .accepted, .contacted, .onSite])
            let reason = try Validate.text(reason, field: "reason", max: 500, required: true)
            o.heldFrom = o.status
            o.holdReason = reason
            o.status = .onHold
            for i in clocks.indices where clocks[i].isRunning { clocks[i].pause(at: now, hours: contract.hours) }
            log(.held, note: reason)

        case .resume:
            try require([.onHold])
            o.status = o.heldFrom ?? .dispatched
            o.heldFrom = nil
            o.holdReason = nil
            let steps = contract.escalation(for: o.priority)
            for i in clocks.indices where clocks[i].pausedAt != nil { clocks[i].resume(at: now, hours: contract.hours, steps: steps) }
            log(.resumed)

        case .cancel(let reason, let loggedByMistake):
            try require([.received, .dispatched, .accepted, .contacted, .onSite, .onHold])
            // S0 2.5: a complaint ends with its reply and return visit, never by being withdrawn —
            // unless it should never have been logged.
            if o.kind == .complaint && !loggedByMistake {
                throw DomainError.conflict(code: "complaint_needs_return_visit", Message(
                    zh: "投诉须处理、回复业主并回访后才能结束;只有误登的投诉可由客服部门负责人撤销。",
                    en: "A complaint ends only after it is answered and the resident has had a return visit; only a complaint logged by mistake can be withdrawn, by the customer-service manager."))
            }
            let reason = try Validate.text(reason, field: "reason", max: 500, required: true)
            o.status = .cancelled
            o.closedAt = now
            o.closeReason = loggedByMistake ? "logged_by_mistake" : "cancelled"
            stop(Set(ClockKind.allCases))
            log(.cancelled, note: reason, data: loggedByMistake ? ["loggedByMistake": "true"] : [:])

        case .answer(let note):
            // S1 2.4: an inquiry answered on the phone is done there and then; its clocks are met.
            guard OrderMachine.answerable.contains(o.kind) else {
                throw DomainError.conflict(code: "not_answerable", Message(
                    zh: "只有咨询、建议和质疑可以当场答复办结;\(o.kind.title.zhHans)须按流程处理。",
                    en: "Only inquiries, suggestions and queries can be answered and closed at once; a \(o.kind.title.en.lowercased()) follows its own steps."))
            }
            try require([.received, .dispatched, .accepted, .contacted])
            let note = try Validate.text(note, field: "answerGiven", max: 2000, required: true)
            o.status = .closed
            o.completedAt = now
            o.closedAt = now
            o.closeReason = "answered"
            o.outcome = note
            o.returnVisitRequired = false
            stop(Set(ClockKind.allCases))
            log(.answered, note: note)

        case .reply(let opinion, let reply):
            // S0 2.5: the owner investigates and answers the resident; the return visit follows.
            guard o.kind == .complaint else {
                throw DomainError.conflict(code: "not_a_complaint", Message(zh: "只有投诉需要处理意见和回复", en: "Only a complaint is answered this way"))
            }
            try require([.received, .dispatched, .accepted, .contacted, .onSite])
            let opinion = try Validate.text(opinion, field: "opinion", max: 2000, required: true)
            let reply = try Validate.text(reply, field: "reply", max: 2000, required: true)
            o.status = .visitPending
            o.returnVisitRequired = true
            o.completedAt = now
            o.outcome = reply
            stop([.response, .arrival, .completion, .callback, .deadline])
            log(.replied, note: reply, data: ["opinion": opinion])

        case .callBack(let outcome, let note):
            try require([.received, .dispatched, .accepted, .contacted, .onSite, .onHold, .completed, .visitPending])
            let note = try Validate.text(note, field: "note", max: 500, required: false)
            log(.calledBack, note: note.isEmpty ? nil : note, data: ["outcome": outcome.rawValue])

        case .reopen(let reason):
            try require([.completed, .visitPending, .closed])
            guard o.closeReason != "incident" else { throw OrderMachine.illegal(action, o.status) }
            let reason = try Validate.text(reason, field: "reason", max: 500, required: true)
            stop([.autoClose])
            reopen(&o, &clocks, round: round, now: now)
            log(.reopened, note: reason)

        case .autoClose:
            try require([.completed])
            stop([.autoClose])
            o.status = o.returnVisitRequired ? .visitPending : .closed
            if o.status == .closed { o.closedAt = now; o.closeReason = "auto" }
            log(.autoClosed, data: ["days": String(contract.autoCloseDays)])

        case .agreePrice(let fen):
            guard o.kind == .paidService else { throw OrderMachine.notPaid }
            try require([.received, .dispatched, .accepted, .contacted])
            try OrderMachine.checkMoney(fen, field: "agreedPrice")
            o.agreedPrice = fen
            log(.priceAgreed, data: ["agreedPrice": String(fen)].merging(o.listPrice.map { ["listPrice": String($0)] } ?? [:]) { a, _ in a })

        case .addExtra(let fen, let note, let consentBy):
            guard o.kind == .paidService else { throw OrderMachine.notPaid }
            try require([.onSite])
            guard o.agreedPrice != nil else {
                throw DomainError.conflict(code: "price_not_agreed", Message(zh: "请先确认基本价格", en: "Agree the base price first"))
            }
            try OrderMachine.checkMoney(fen, field: "amount")
            guard fen > 0 else { throw DomainError.invalid(field: "amount", Message(zh: "追加金额必须大于 0", en: "The extra amount must be more than 0")) }
            let note = try Validate.text(note, field: "note", max: 500, required: true)
            let consent = try Validate.text(consentBy, field: "consentBy", max: 60, required: true)
            o.extras += fen
            log(.extraConsented, note: note, data: ["amount": String(fen), "consentBy": consent])

        case .settle(let receipt):
            guard o.kind == .paidService else { throw OrderMachine.notPaid }
            try require([.visitPending, .closed])
            guard o.agreedPrice != nil, o.settledAt == nil, o.closeReason != "cancelled" else {
                throw DomainError.conflict(code: "cannot_settle", Message(zh: "该工单无需结算或已结算", en: "This order has nothing to settle or is already settled"))
            }
            let receipt = try Validate.text(receipt, field: "receiptNumber", max: 40, required: true)
            o.receiptNumber = receipt
            o.settledAt = now
            log(.settled, data: ["receiptNumber": receipt, "total": String(o.total ?? 0)])

        case .resolveByIncident(let note):
            try require([.received])
            guard o.incidentID != nil else { throw OrderMachine.illegal(action, o.status) }
            o.status = .closed
            o.closedAt = now
            o.closeReason = "incident"
            o.outcome = note
            log(.incidentResolved, note: note)
        }
        o.updatedAt = now
        o.version += 1
        // Events name the status they led to.
        for i in events.indices { events[i].to = o.status }
        return Transition(order: o, events: events, clocks: clocks, alerts: alerts, complaint: complaint)
    }

    /// One more step right after `open` (a rule dispatching a new order), as one transition.
    public func continuing(_ t: Transition, with action: OrderAction, by actor: Actor, at now: Date) throws -> Transition {
        let next = try apply(action, to: t.order, clocks: t.clocks, by: actor, at: now, nextEventSeq: (t.events.last?.seq ?? 0) + 1)
        return Transition(order: next.order, events: t.events + next.events, clocks: next.clocks, alerts: t.alerts + next.alerts,
                          complaint: t.complaint ?? next.complaint)
    }

    // MARK: Clocks

    /// What the sweeper does with a due clock: escalate an overdue step (INT-7), tell the front
    /// desk to call (S4 4.9), or close a forgotten order (INT-18). Catches up after downtime.
    public func fire(_ clock: SLAClock, of order: WorkOrder, at now: Date) -> (clock: SLAClock, alerts: [Alert], action: OrderAction?) {
        var c = clock
        var alerts: [Alert] = []
        guard !c.isStopped, c.pausedAt == nil, let first = c.nextFireAt, first <= now else { return (c, [], nil) }
        switch c.kind {
        case .response, .arrival, .completion, .deadline:
            let steps = contract.escalation(for: order.priority)
            while let next = c.nextFireAt, next <= now {
                c.level += 1
                if c.breachedAt == nil { c.breachedAt = c.dueAt }
                alerts.append(Alert.about(order, .overdue, clock: c, level: AlertLevel.escalation(c.level), at: now))
                c.nextFireAt = c.nextFiring(steps: steps)
            }
            return (c, alerts, nil)
        case .callback:
            c.level = 1
            c.stop(at: now)
            return (c, OrderStatus.awaitingArrival.contains(order.status) ? [Alert.about(order, .callback, clock: c, level: .frontDesk, at: now)] : [], nil)
        case .autoClose:
            c.level = 1
            c.nextFireAt = nil
            return (c, [], order.status == .completed ? .autoClose : nil)
        }
    }

    private func startTargets(_ o: WorkOrder, round: Int, at now: Date, including kinds: [ClockKind]) -> [SLAClock] {
        let t = contract.target(kind: o.kind, priority: o.priority)
        let hoursOnly = t.serviceHoursOnly && o.priority != .emergency
        var out: [SLAClock] = []
        for kind in kinds {
            let seconds: Int?
            switch kind {
            case .response: seconds = t.response
            case .arrival: seconds = o.kind.needsVisit || o.kind == .dispute || o.kind == .violation || o.priority == .emergency ? t.arrival : nil
            case .completion: seconds = t.completion
            default: seconds = nil
            }
            guard let seconds else { continue }
            // An arrival later than the target because the resident asked for it counts from then.
            let notBefore = kind == .arrival ? o.expectedAt : nil
            out.append(SLAClock.start(kind, for: o, target: seconds, serviceHoursOnly: hoursOnly, round: round, at: now,
                                      hours: contract.hours, notBefore: notBefore))
        }
        return out
    }

    private func startCallback(_ o: WorkOrder, round: Int, at now: Date, existing: [SLAClock]) -> [SLAClock] {
        guard o.kind == .repair || o.kind == .warranty,
              !existing.contains(where: { $0.kind == .callback && $0.round == round }),
              existing.contains(where: { $0.kind == .arrival && $0.round == round && !$0.isStopped }) else { return [] }
        return [SLAClock.start(.callback, for: o, target: contract.callbackAfter, serviceHoursOnly: false, round: round, at: now, hours: contract.hours)]
    }

    /// Back to work after a failed acceptance or a bad return visit: same engineer when there
    /// is one, fresh clocks (a new round), the old ones kept.
    private func reopen(_ o: inout WorkOrder, _ clocks: inout [SLAClock], round: Int, now: Date) {
        o.reopenCount += 1
        o.status = o.assigneeID == nil ? .received : .dispatched
        o.completedAt = nil
        o.closedAt = nil
        o.closeReason = nil
        if o.kind == .complaint { o.outcome = nil }
        o.returnVisitRequired = true
        for i in clocks.indices where !clocks[i].isStopped { clocks[i].stop(at: now) }
        let fresh = startTargets(o, round: round + 1, at: now, including: o.assigneeID == nil ? [.response, .arrival, .completion] : [.arrival, .completion])
        clocks += fresh
        if o.assigneeID != nil { clocks += startCallback(o, round: round + 1, at: now, existing: clocks) }
    }

    private func complaintDraft(from o: WorkOrder, because reason: String) -> OrderDraft {
        OrderDraft(communityID: o.communityID, kind: .complaint, channel: o.channel, category: o.category, priority: .urgent,
                   unitID: o.unitID, buildingID: o.buildingID, areaID: o.areaID, location: o.location, requesterID: o.requesterID,
                   contactName: o.contactName, contactPhone: o.contactPhone,
                   description: "工单 \(o.number) 业户不满意 / Resident dissatisfied with order \(o.number): \(reason)", parentID: o.id)
    }

    private func event(_ o: WorkOrder, _ seq: Int, _ kind: OrderEvent.Kind, _ actor: Actor, _ now: Date, from: OrderStatus?,
                       note: String?, data: [String: String]) -> OrderEvent {
        OrderEvent(orderID: o.id, communityID: o.communityID, seq: seq, kind: kind, actorID: actor.userID, actorName: actor.name,
                   at: now, from: from, to: o.status, note: note, data: data)
    }

    // MARK: Checks

    static func illegal(_ action: OrderAction, _ status: OrderStatus) -> DomainError {
        DomainError.conflict(code: "illegal_transition",
            Message(zh: "工单当前状态为「\(status.title.zhHans)」,不能\(action.title.zhHans)。",
                    en: "The order is \(status.title.en.lowercased()); you cannot \(action.title.en) now."))
    }

    /// The kinds the desk may answer and close at once (S1 2.4).
    public static let answerable: Set<RequestKind> = [.inquiry, .suggestion, .query]

    static let notPaid = DomainError.conflict(code: "not_paid_service",
        Message(zh: "只有有偿服务工单有价格和结算", en: "Only paid-service orders have a price and a settlement"))

    static func checkRating(_ rating: Int) throws {
        guard (1...5).contains(rating) else {
            throw DomainError.invalid(field: "rating", Message(zh: "评分应为 1 到 5", en: "The rating must be 1 to 5"))
        }
    }

    static func checkMoney(_ fen: Int, field: String) throws {
        guard (0...100_000_000).contains(fen) else {
            throw DomainError.invalid(field: field, Message(zh: "金额应在 0 到 100 万元之间(以分计)", en: "The amount must be between 0 and 1,000,000 yuan (in fen)"))
        }
    }
}
