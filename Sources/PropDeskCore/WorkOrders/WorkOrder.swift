import Foundation

/// Where an order stands (INT-5): received → dispatched → accepted → resident contacted →
/// on site → work done → (resident sign-off) → return visit pending → closed; plus on hold
/// and cancelled.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case received, dispatched, accepted, contacted
    case onSite = "on_site"
    case completed
    case visitPending = "visit_pending"
    case closed, cancelled
    case onHold = "on_hold"

    public var title: Message {
        switch self {
        case .received: Message(zh: "已受理", en: "Received")
        case .dispatched: Message(zh: "已派工", en: "Dispatched")
        case .accepted: Message(zh: "已接单", en: "Accepted")
        case .contacted: Message(zh: "已联系业户", en: "Resident contacted")
        case .onSite: Message(zh: "已到场", en: "On site")
        case .completed: Message(zh: "已完工待验收", en: "Done, awaiting sign-off")
        case .visitPending: Message(zh: "待回访", en: "Return visit pending")
        case .closed: Message(zh: "已关闭", en: "Closed")
        case .cancelled: Message(zh: "已撤销", en: "Withdrawn")
        case .onHold: Message(zh: "挂起", en: "On hold")
        }
    }

    /// Still work for the center (counts on boards and in a unit's context).
    public var isOpen: Bool { ![.closed, .cancelled, .visitPending, .completed].contains(self) }
    public var isFinal: Bool { self == .closed || self == .cancelled }
    public static let open: [OrderStatus] = allCases.filter(\.isOpen)
    /// Dispatched and nobody on site yet: a callback to explain a delay still makes sense (S4 4.9).
    public static let awaitingArrival: Set<OrderStatus> = [.dispatched, .accepted, .contacted]
}

/// A person an order is given to.
public struct Assignee: Sendable, Codable, Equatable {
    public let id: UUID
    public let name: String
    public init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A work order: the record of one request and everything done about it. Its history lives in
/// `OrderEvent`s, which are only ever appended (INT-5).
public struct WorkOrder: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    /// Human number, e.g. "CHHY-2611-00042".
    public var number: String
    public var seq: Int
    public var kind: RequestKind
    public var channel: Channel
    public var category: Category
    public var priority: Priority
    public var status: OrderStatus
    public var heldFrom: OrderStatus?
    public var holdReason: String?
    // Where and who (INT-3)
    public var unitID: UUID?
    public var buildingID: UUID?
    public var areaID: UUID?
    public var location: String
    public var requesterID: UUID?
    public var contactName: String
    public var contactPhone: String
    public var description: String
    public var expectedAt: Date?
    /// The dictionary word that made it an emergency (INT-4).
    public var emergencyKeyword: String?
    public var createdByID: UUID?
    public var createdByName: String
    public var createdAt: Date
    public var updatedAt: Date
    // Who does it (INT-15)
    public var assigneeID: UUID?
    public var assigneeName: String?
    public var inPool: Bool
    /// A complaint's named owner (INT-8).
    public var ownerID: UUID?
    public var ownerName: String?
    public var incidentID: UUID?
    /// The order a complaint grew out of (INT-19), and the complaint an order turned into.
    public var parentID: UUID?
    public var complaintID: UUID?
    // Paid service (INT-10), money in fen
    public var catalogueItemID: UUID?
    public var listPrice: Int?
    public var agreedPrice: Int?
    public var extras: Int
    public var receiptNumber: String?
    public var settledAt: Date?
    // Acceptance (INT-11) and return visit (INT-12)
    public var rating: Int?
    public var ratingComment: String?
    public var returnVisitRequired: Bool
    public var reopenCount: Int
    public var completedAt: Date?
    public var closedAt: Date?
    public var closeReason: String?
    public var outcome: String?
    /// Optimistic lock: every change bumps it, and a store write fails if it moved meanwhile.
    public var version: Int

    /// "CHHY-2611-00042": community code, year and month of intake (local), running number.
    public static func number(code: String, seq: Int, at: Date, timeZone: String) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month], from: at)
        return code + "-" + ((c.year ?? 2000) % 100).zeroPadded(2) + (c.month ?? 1).zeroPadded(2) + "-" + seq.zeroPadded(5)
    }

        public init(id: UUID, communityID: UUID, number: String, seq: Int, kind: RequestKind, channel: Channel, category: Category, priority: Priority, status: OrderStatus, heldFrom: OrderStatus?, holdReason: String?, unitID: UUID?, buildingID: UUID?, areaID: UUID?, location: String, requesterID: UUID?, contactName: String, contactPhone: String, description: String, expectedAt: Date?, emergencyKeyword: String?, createdByID: UUID?, createdByName: String, createdAt: Date, updatedAt: Date, assigneeID: UUID?, assigneeName: String?, inPool: Bool, ownerID: UUID?, ownerName: String?, incidentID: UUID?, parentID: UUID?, complaintID: UUID?, catalogueItemID: UUID?, listPrice: Int?, agreedPrice: Int?, extras: Int, receiptNumber: String?, settledAt: Date?, rating: Int?, ratingComment: String?, returnVisitRequired: Bool, reopenCount: Int, completedAt: Date?, closedAt: Date?, closeReason: String?, outcome: String?, version: Int) {
        self.id = id
        self.communityID = communityID
        self.number = number
        self.seq = seq
        self.kind = kind
        self.channel = channel
        self.category = category
        self.priority = priority
        self.status = status
        self.heldFrom = heldFrom
        self.holdReason = holdReason
        self.unitID = unitID
        self.buildingID = buildingID
        self.areaID = areaID
        self.location = location
        self.requesterID = requesterID
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.description = description
        self.expectedAt = expectedAt
        self.emergencyKeyword = emergencyKeyword
        self.createdByID = createdByID
        self.createdByName = createdByName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.assigneeID = assigneeID
        self.assigneeName = assigneeName
        self.inPool = inPool
        self.ownerID = ownerID
        self.ownerName = ownerName
        self.incidentID = incidentID
        self.parentID = parentID
        self.complaintID = complaintID
        self.catalogueItemID = catalogueItemID
        self.listPrice = listPrice
        self.agreedPrice = agreedPrice
        self.extras = extras
        self.receiptNumber = receiptNumber
        self.settledAt = settledAt
        self.rating = rating
        self.ratingComment = ratingComment
        self.returnVisitRequired = returnVisitRequired
        self.reopenCount = reopenCount
        self.completedAt = completedAt
        self.closedAt = closedAt
        self.closeReason = closeReason
        self.outcome = outcome
        self.version = version
    }

    public var total: Int? { agreedPrice.map { $0 + extras } }

    /// The center's own follow-up (a complaint it opened from a low rating or a bad return
    /// visit): staff work, not a request the resident made (SEC-2).
    public var isInternal: Bool { kind == .complaint && parentID != nil }

    /// Whether this resident may see the order: one of their units', or one they reported
    /// themselves (a common area of their building) — and never an internal one.
    public func isVisible(toResidentWithUnits units: Set<UUID>, person: UUID?) -> Bool {
        guard !isInternal else { return false }
        if let u = unitID, units.contains(u) { return true }
        return person != nil && requesterID == person
    }
}

/// One step in an order's life, with who and when. Appended, never changed (INT-5).
public struct OrderEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case created, dispatched, pooled, taken, reassigned, accepted, contacted
        case checkedIn = "checked_in"
        case completed
        case signedOff = "signed_off"
        case rejected
        case returnVisited = "return_visited"
        case held, resumed, cancelled, reopened, closed
        case autoClosed = "auto_closed"
        case turnedIntoComplaint = "turned_into_complaint"
        case linkedToIncident = "linked_to_incident"
        case incidentResolved = "incident_resolved"
        case priceAgreed = "price_agreed"
        case extraConsented = "extra_consented"
        case settled
        case alerted
        case alertAcknowledged = "alert_acknowledged"
        case answered
        case replied
        case calledBack = "called_back"

        public var title: Message {
            switch self {
            case .created: Message(zh: "受理登记", en: "Registered")
            case .dispatched: Message(zh: "派工", en: "Dispatched")
            case .pooled: Message(zh: "放入抢单池", en: "Opened for engineers to take")
            case .taken: Message(zh: "抢单", en: "Taken from the pool")
            case .reassigned: Message(zh: "改派", en: "Reassigned")
            case .accepted: Message(zh: "接单", en: "Accepted")
            case .contacted: Message(zh: "提前告知业户", en: "Resident contacted")
            case .checkedIn: Message(zh: "到场签到", en: "Checked in on site")
            case .completed: Message(zh: "完工", en: "Work done")
            case .signedOff: Message(zh: "业户验收签字", en: "Signed off by the resident")
            case .rejected: Message(zh: "验收不通过", en: "Acceptance failed")
            case .returnVisited: Message(zh: "回访", en: "Return visit")
            case .held: Message(zh: "挂起", en: "Put on hold")
            case .resumed: Message(zh: "恢复处理", en: "Resumed")
            case .cancelled: Message(zh: "撤销工单", en: "Withdrawn")
            case .reopened: Message(zh: "重新处理", en: "Reopened")
            case .closed: Message(zh: "关闭", en: "Closed")
            case .autoClosed: Message(zh: "逾期未验收自动关闭", en: "Closed automatically (no answer)")
            case .turnedIntoComplaint: Message(zh: "转为投诉", en: "Turned into a complaint")
            case .linkedToIncident: Message(zh: "并入突发事件", en: "Linked to an incident")
            case .incidentResolved: Message(zh: "突发事件已解决", en: "Incident resolved")
            case .priceAgreed: Message(zh: "确认服务价格", en: "Price agreed")
            case .extraConsented: Message(zh: "业户同意追加费用", en: "Extra cost agreed by the resident")
            case .settled: Message(zh: "结算", en: "Settled")
            case .alerted: Message(zh: "超时提醒", en: "Alert raised")
            case .alertAcknowledged: Message(zh: "提醒已确认", en: "Alert acknowledged")
            case .answered: Message(zh: "当场答复办结", en: "Answered and closed")
            case .replied: Message(zh: "投诉处理意见及回复业主", en: "Complaint handled and answered")
            case .calledBack: Message(zh: "已回电", en: "Called back")
            }
        }
    }

    public var id: UUID
    public var orderID: UUID
    public var communityID: UUID
    public var seq: Int
    public var kind: Kind
    public var actorID: UUID?
    public var actorName: String
    public var at: Date
    public var from: OrderStatus?
    public var to: OrderStatus
    public var note: String?
    /// Small typed facts of the step (assignee, rating, price in fen, receipt number …).
    public var data: [String: String]

    public init(id: UUID = .timeOrdered(), orderID: UUID, communityID: UUID, seq: Int, kind: Kind, actorID: UUID?, actorName: String,
                at: Date, from: OrderStatus?, to: OrderStatus, note: String? = nil, data: [String: String] = [:]) {
        self.id = id
        self.orderID = orderID
        self.communityID = communityID
        self.seq = seq
        self.kind = kind
        self.actorID = actorID
        self.actorName = actorName
        self.at = at
        self.from = from
        self.to = to
        self.note = note
        self.data = data
    }

    /// Whether a resident sees this step of their order (SEC-2): escalations inside the center —
    /// who was alerted for lateness, who acknowledged it, what the desk heard on a callback —
    /// are the staff's, not the resident's.
    public var isShownToResidents: Bool { ![.alerted, .alertAcknowledged, .calledBack].contains(kind) }
}

/// What the center hears in a return visit (INT-12).
public struct ReturnVisit: Sendable, Equatable {
    public enum Method: String, Sendable, Codable, CaseIterable { case phone, inPerson = "in_person" }
    /// What to do with a dissatisfied answer (INT-19).
    public enum OnDissatisfied: String, Sendable, Codable, CaseIterable { case reopen, complaint }

    public let method: Method
    public let satisfied: Bool
    public let answer: String
    public let onDissatisfied: OnDissatisfied

    public init(method: Method, satisfied: Bool, answer: String, onDissatisfied: OnDissatisfied = .reopen) {
        self.method = method
        self.satisfied = satisfied
        self.answer = answer
        self.onDissatisfied = onDissatisfied
    }
}

/// What the front desk heard when it called a resident back (S4 4.9): a call that reached
/// nobody leaves the callback task open for another try.
public enum CallbackOutcome: String, Sendable, Codable, CaseIterable {
    case reached
    case engineerArrived = "engineer_arrived"
    case rescheduled
    case noAnswer = "no_answer"
    case wrongNumber = "wrong_number"

    public var title: Message {
        switch self {
        case .reached: Message(zh: "已联系上,已解释原因", en: "Reached, reason explained")
        case .engineerArrived: Message(zh: "业户称维修人员已到场", en: "Resident says the engineer has arrived")
        case .rescheduled: Message(zh: "业户另约时间", en: "Resident asked for another time")
        case .noAnswer: Message(zh: "无人接听", en: "No answer")
        case .wrongNumber: Message(zh: "号码错误", en: "Wrong number")
        }
    }

    /// Whether the task is done with this call.
    public var closesTask: Bool { self != .noAnswer }
}

/// Everything that can happen to an order. Each is one POST in the API.
public enum OrderAction: Sendable, Equatable {
    case dispatch(Assignee)
    case pool
    case take(Assignee)
    case reassign(Assignee, reason: String)
    case accept
    case contact(note: String)
    case checkIn
    case complete(note: String)
    case signOff(rating: Int, comment: String, onResidentDevice: Bool)
    case reject(rating: Int, comment: String, onResidentDevice: Bool)
    case returnVisit(ReturnVisit)
    case hold(reason: String)
    case resume
    /// 撤销工单. A complaint is only withdrawn when it was logged by mistake (S0 2.5).
    case cancel(reason: String, loggedByMistake: Bool = false)
    case reopen(reason: String)
    case autoClose
    case agreePrice(fen: Int)
    case addExtra(fen: Int, note: String, consentBy: String)
    case settle(receipt: String)
    case resolveByIncident(note: String)
    /// 当场答复 / 办结: an inquiry, suggestion or query answered there and then (S1 2.4).
    case answer(note: String)
    /// A complaint's 处理意见 and 回复业主, by its owner; its return visit follows (S0 2.5).
    case reply(opinion: String, reply: String)
    /// 已回电: the desk called the resident back (S4 4.9).
    case callBack(CallbackOutcome, note: String)

    public var name: String {
        switch self {
        case .dispatch: "dispatch"
        case .pool: "pool"
        case .take: "take"
        case .reassign: "reassign"
        case .accept: "accept"
        case .contact: "contact"
        case .checkIn: "check_in"
        case .complete: "complete"
        case .signOff: "sign_off"
        case .reject: "reject"
        case .returnVisit: "return_visit"
        case .hold: "hold"
        case .resume: "resume"
        case .cancel: "cancel"
        case .reopen: "reopen"
        case .autoClose: "auto_close"
        case .agreePrice: "agree_price"
        case .addExtra: "add_extra"
        case .settle: "settle"
        case .resolveByIncident: "resolve_by_incident"
        case .answer: "answer"
        case .reply: "reply"
        case .callBack: "call_back"
        }
    }

    public var title: Message {
        switch self {
        case .dispatch: Message(zh: "派工", en: "dispatch")
        case .pool: Message(zh: "放入抢单池", en: "open for taking")
        case .take: Message(zh: "抢单", en: "take")
        case .reassign: Message(zh: "改派", en: "reassign")
        case .accept: Message(zh: "接单", en: "accept")
        case .contact: Message(zh: "联系业户", en: "contact the resident")
        case .checkIn: Message(zh: "到场签到", en: "check in on site")
        case .complete: Message(zh: "完工", en: "complete")
        case .signOff: Message(zh: "验收签字", en: "sign off")
        case .reject: Message(zh: "验收不通过", en: "reject")
        case .returnVisit: Message(zh: "回访", en: "record a return visit")
        case .hold: Message(zh: "挂起", en: "put on hold")
        case .resume: Message(zh: "恢复", en: "resume")
        case .cancel: Message(zh: "撤销工单", en: "withdraw the order")
        case .reopen: Message(zh: "重新处理", en: "reopen")
        case .autoClose: Message(zh: "自动关闭", en: "close automatically")
        case .agreePrice: Message(zh: "确认价格", en: "agree the price")
        case .addExtra: Message(zh: "追加费用", en: "add an extra cost")
        case .settle: Message(zh: "结算", en: "settle")
        case .resolveByIncident: Message(zh: "随突发事件关闭", en: "close with the incident")
        case .answer: Message(zh: "当场答复办结", en: "answer and close")
        case .reply: Message(zh: "回复业主", en: "answer the resident")
        case .callBack: Message(zh: "记录回电", en: "record the callback")
        }
    }
}

/// An order's timeline is its subject's timeline on the platform (PLT-2, PLT-3): each step is a
/// hash-chained entry whose state change is the order's status change.
extension TimelineEntry {
    public init(_ e: OrderEvent) {
        self.init(id: e.id, subjectKind: .workOrder, subjectID: e.orderID, communityID: e.communityID, seq: e.seq, kind: e.kind.rawValue,
                  actorID: e.actorID, actorName: e.actorName, at: e.at, note: e.note, fromState: e.from?.rawValue, toState: e.to.rawValue,
                  data: e.data)
    }
}

extension OrderEvent {
    /// The order's step this entry records, or nil when it is not one (another subject's entry,
    /// or a kind this version does not know).
    public init?(_ t: TimelineEntry) {
        guard t.subjectKind == .workOrder, let kind = Kind(rawValue: t.kind), let to = t.toState.flatMap(OrderStatus.init(rawValue:)) else { return nil }
        self.init(id: t.id, orderID: t.subjectID, communityID: t.communityID, seq: t.seq, kind: kind, actorID: t.actorID, actorName: t.actorName,
                  at: t.at, from: t.fromState.flatMap(OrderStatus.init(rawValue:)), to: to, note: t.note, data: t.data)
    }
}
