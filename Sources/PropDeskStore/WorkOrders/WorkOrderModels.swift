import Fluent
import Foundation
import PropDeskCore

// Generated field lists kept in the order of the domain types; see WorkOrderStore for the logic.

final class WorkOrderModel: Model, @unchecked Sendable {
    static let schema = "work_orders"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "number") var number: String
    @Field(key: "seq") var seq: Int
    @Field(key: "kind") var kind: String
    @Field(key: "channel") var channel: String
    @Field(key: "category") var category: String
    @Field(key: "priority") var priority: String
    @Field(key: "status") var status: String
    @OptionalField(key: "held_from") var heldFrom: String?
    @OptionalField(key: "hold_reason") var holdReason: String?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @OptionalField(key: "building_id") var buildingID: UUID?
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "location") var location: String
    @OptionalField(key: "requester_id") var requesterID: UUID?
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_phone") var contactPhone: String
    @Field(key: "description") var details: String
    @OptionalField(key: "expected_at") var expectedAt: Date?
    @OptionalField(key: "emergency_keyword") var emergencyKeyword: String?
    @OptionalField(key: "created_by_id") var createdByID: UUID?
    @Field(key: "created_by_name") var createdByName: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @OptionalField(key: "assignee_name") var assigneeName: String?
    @Field(key: "in_pool") var inPool: Bool
    @OptionalField(key: "owner_id") var ownerID: UUID?
    @OptionalField(key: "owner_name") var ownerName: String?
    @OptionalField(key: "incident_id") var incidentID: UUID?
    @OptionalField(key: "parent_id") var parentID: UUID?
    @OptionalField(key: "complaint_id") var complaintID: UUID?
    @OptionalField(key: "catalogue_item_id") var catalogueItemID: UUID?
    @OptionalField(key: "list_price") var listPrice: Int?
    @OptionalField(key: "agreed_price") var agreedPrice: Int?
    @Field(key: "extras") var extras: Int
    @OptionalField(key: "receipt_number") var receiptNumber: String?
    @OptionalField(key: "settled_at") var settledAt: Date?
    @OptionalField(key: "rating") var rating: Int?
    @OptionalField(key: "rating_comment") var ratingComment: String?
    @Field(key: "return_visit_required") var returnVisitRequired: Bool
    @Field(key: "reopen_count") var reopenCount: Int
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "close_reason") var closeReason: String?
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "version") var version: Int
    @OptionalField(key: "idempotency_key") var idempotencyKey: String?
    @OptionalField(key: "idempotency_fingerprint") var idempotencyFingerprint: String?
    init() {}
    convenience init(_ d: WorkOrder) {
        self.init()
        set(d)
    }

    func set(_ d: WorkOrder) {
        id = d.id
        communityID = d.communityID
        number = d.number
        seq = d.seq
        kind = d.kind.rawValue
        channel = d.channel.rawValue
        category = d.category.rawValue
        priority = d.priority.rawValue
        status = d.status.rawValue
        heldFrom = d.heldFrom?.rawValue
        holdReason = d.holdReason
        unitID = d.unitID
        buildingID = d.buildingID
        areaID = d.areaID
        location = d.location
        requesterID = d.requesterID
        contactName = d.contactName
        contactPhone = d.contactPhone
        details = d.description
        expectedAt = d.expectedAt
        emergencyKeyword = d.emergencyKeyword
        createdByID = d.createdByID
        createdByName = d.createdByName
        createdAt = d.createdAt
        updatedAt = d.updatedAt
        assigneeID = d.assigneeID
        assigneeName = d.assigneeName
        inPool = d.inPool
        ownerID = d.ownerID
        ownerName = d.ownerName
        incidentID = d.incidentID
        parentID = d.parentID
        complaintID = d.complaintID
        catalogueItemID = d.catalogueItemID
        listPrice = d.listPrice
        agreedPrice = d.agreedPrice
        extras = d.extras
        receiptNumber = d.receiptNumber
        settledAt = d.settledAt
        rating = d.rating
        ratingComment = d.ratingComment
        returnVisitRequired = d.returnVisitRequired
        reopenCount = d.reopenCount
        completedAt = d.completedAt
        closedAt = d.closedAt
        closeReason = d.closeReason
        outcome = d.outcome
        version = d.version
    }
    var domain: WorkOrder {
        WorkOrder(id: id!, communityID: communityID, number: number, seq: seq, kind: RequestKind(rawValue: kind)!, channel: Channel(rawValue: channel)!, category: Category(rawValue: category)!, priority: Priority(rawValue: priority)!, status: OrderStatus(rawValue: status)!, heldFrom: heldFrom.flatMap(OrderStatus.init(rawValue:)), holdReason: holdReason, unitID: unitID, buildingID: buildingID, areaID: areaID, location: location, requesterID: requesterID, contactName: contactName, contactPhone: contactPhone, description: details, expectedAt: expectedAt, emergencyKeyword: emergencyKeyword, createdByID: createdByID, createdByName: createdByName, createdAt: createdAt, updatedAt: updatedAt, assigneeID: assigneeID, assigneeName: assigneeName, inPool: inPool, ownerID: ownerID, ownerName: ownerName, incidentID: incidentID, parentID: parentID, complaintID: complaintID, catalogueItemID: catalogueItemID, listPrice: listPrice, agreedPrice: agreedPrice, extras: extras, receiptNumber: receiptNumber, settledAt: settledAt, rating: rating, ratingComment: ratingComment, returnVisitRequired: returnVisitRequired, reopenCount: reopenCount, completedAt: completedAt, closedAt: closedAt, closeReason: closeReason, outcome: outcome, version: version)
    }
}

final class IncidentModel: Model, @unchecked Sendable {
    static let schema = "incidents"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "title") var title: String
    @Field(key: "category") var category: String
    /// Space-separated building ids; empty: the whole community.
    @Field(key: "building_ids") var buildingIDs: String
    @Field(key: "starts_at") var startsAt: Date
    @OptionalField(key: "ends_at") var endsAt: Date?
    @Field(key: "script") var script: String
    @Field(key: "created_by_name") var createdByName: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closing_note") var closingNote: String?
    @Field(key: "linked_orders") var linkedOrders: Int
    init() {}

    init(_ i: Incident) {
        id = i.id; communityID = i.communityID; title = i.title; category = i.category.rawValue
        buildingIDs = i.buildingIDs.map(\.uuidString).joined(separator: " "); startsAt = i.startsAt; endsAt = i.endsAt; script = i.script
        createdByName = i.createdByName; createdAt = i.createdAt; closedAt = i.closedAt; closingNote = i.closingNote; linkedOrders = i.linkedOrders
    }

    var domain: Incident {
        Incident(id: id!, communityID: communityID, title: title, category: Category(rawValue: category) ?? .other,
                 buildingIDs: buildingIDs.split(separator: " ").compactMap { UUID(uuidString: String($0)) }, startsAt: startsAt, endsAt: endsAt,
                 script: script, createdByName: createdByName, createdAt: createdAt, closedAt: closedAt, closingNote: closingNote,
                 linkedOrders: linkedOrders)
    }
}

final class CatalogueItemModel: Model, @unchecked Sendable {
    static let schema = "catalogue_items"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "code") var code: String
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "unit_zh") var unitZh: String
    @Field(key: "unit_en") var unitEn: String
    @Field(key: "price_fen") var priceFen: Int
    @Field(key: "active") var active: Bool
    init() {}

    init(_ c: CatalogueItem) {
        id = c.id; communityID = c.communityID; code = c.code; nameZh = c.name.zhHans; nameEn = c.name.en
        unitZh = c.unit.zhHans; unitEn = c.unit.en; priceFen = c.price; active = c.active
    }

    var domain: CatalogueItem {
        CatalogueItem(id: id!, communityID: communityID, code: code, name: Message(zh: nameZh, en: nameEn),
                      unit: Message(zh: unitZh, en: unitEn), price: priceFen, active: active)
    }
}

final class DispatchRuleModel: Model, @unchecked Sendable {
    static let schema = "dispatch_rules"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @OptionalField(key: "category") var category: String?
    @OptionalField(key: "area_id") var areaID: UUID?
    /// JSON list of {id, name}.
    @Field(key: "members") var members: String
    @Field(key: "cursor") var cursor: Int
    init() {}

    init(_ r: DispatchRule) {
        id = r.id; communityID = r.communityID; position = r.position; name = r.name; category = r.category?.rawValue
        areaID = r.areaID; members = AuditEntry.snapshot(r.members); cursor = r.cursor
    }

    var domain: DispatchRule {
        DispatchRule(id: id!, communityID: communityID, position: position, name: name, category: category.flatMap(Category.init(rawValue:)),
                     areaID: areaID, members: (try? JSONDecoder().decode([Assignee].self, from: Data(members.utf8))) ?? [], cursor: cursor)
    }
}

/// One row per community: its service contract as JSON (INT-6).
final class ServiceContractModel: Model, @unchecked Sendable {
    static let schema = "service_contracts"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "body") var body: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// An alert on its way to the center's own SMS / WeChat gateway: written in the same
/// transaction as the alert, sent by the background service, retried with back-off.
final class WebhookDeliveryModel: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "alert_id") var alertID: UUID
    @Field(key: "payload") var payload: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @OptionalField(key: "last_status") var lastStatus: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// The live-event log every app process reads to push changes to open pages (RUN-2, INT-7).
final class LiveEventModel: Model, @unchecked Sendable {
    static let schema = "live_events"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "community_id") var communityID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "payload") var payload: String
    @Field(key: "at") var at: Date
    init() {}
}
