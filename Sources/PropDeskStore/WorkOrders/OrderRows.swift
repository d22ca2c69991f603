import Fluent
import Foundation
import PropDeskCore
import SQLKit

/// Orders and clocks read straight from SQL rows on the paths that read many of them (order
/// lists, boards, the engineer's list). Fluent finds a model's fields by reflection for every
/// row it decodes, which cost more than the query itself: a page of 20 orders and their clocks
/// spent two thirds of its time there (docs/PERFORMANCE.md, P3). The column lists are the
/// models' (`BulkRowsTests` checks them).
enum OrderRows {
    static let orderColumns = [
        "id", "community_id", "number", "seq", "kind", "channel", "category", "priority", "status", "held_from", "hold_reason",
        "unit_id", "building_id", "area_id", "location", "requester_id", "contact_name", "contact_phone", "description", "expected_at",
        "emergency_keyword", "created_by_id", "created_by_name", "created_at", "updated_at", "assignee_id", "assignee_name", "in_pool",
        "owner_id", "owner_name", "incident_id", "parent_id", "complaint_id", "catalogue_item_id", "list_price", "agreed_price", "extras",
        "receipt_number", "settled_at", "rating", "rating_comment", "return_visit_required", "reopen_count", "completed_at", "closed_at",
        "close_reason", "outcome", "version", "idempotency_key", "idempotency_fingerprint",
    ]

    static let clockColumns = ["id", "subject_kind", "subject_id", "community_id", "kind", "round", "target_seconds", "service_hours_only", "started_at", "due_at",
                               "paused_at", "remaining_at_pause", "held_seconds", "stopped_at", "breached_at", "level", "next_fire_at"]

    /// Writes an order's row as it is after a step: every column but its identity and the
    /// intake's idempotency key, in one UPDATE.
    static func update(_ o: WorkOrder, on db: any Database) async throws {
        try await BulkRows.update(WorkOrderModel.schema, orderColumns, BulkRows.row(o), fixed: ["id", "community_id", "idempotency_key", "idempotency_fingerprint"],
                                  community: o.communityID, id: o.id, on: db)
    }

    /// The column lists as one piece of SQL text each, for `select().column(…)` (see `BulkRows.list`).
    static let orderList = SQLRaw(BulkRows.list(orderColumns))
    static let clockList = SQLRaw(BulkRows.list(clockColumns))

    static func order(_ r: PlainRow) throws -> WorkOrder {
        WorkOrder(
            id: try r.uuid(required: "id"), communityID: try r.uuid(required: "community_id"),
            number: try r.string(required: "number"), seq: try r.int(required: "seq"), kind: try r.value("kind", as: RequestKind.self),
            channel: try r.value("channel", as: Channel.self), category: try r.value("category", as: Category.self),
            priority: try r.value("priority", as: Priority.self), status: try r.value("status", as: OrderStatus.self),
            heldFrom: try r.string("held_from").flatMap(OrderStatus.init(rawValue:)), holdReason: try r.string("hold_reason"),
            unitID: try r.uuid("unit_id"), buildingID: try r.uuid("building_id"), areaID: try r.uuid("area_id"),
            location: try r.string(required: "location"), requesterID: try r.uuid("requester_id"),
            contactName: try r.string(required: "contact_name"), contactPhone: try r.string(required: "contact_phone"),
            description: try r.string(required: "description"), expectedAt: try r.date("expected_at"),
            emergencyKeyword: try r.string("emergency_keyword"), createdByID: try r.uuid("created_by_id"),
            createdByName: try r.string(required: "created_by_name"), createdAt: try r.date(required: "created_at"),
            updatedAt: try r.date(required: "updated_at"), assigneeID: try r.uuid("assignee_id"), assigneeName: try r.string("assignee_name"),
            inPool: try r.bool(required: "in_pool"), ownerID: try r.uuid("owner_id"), ownerName: try r.string("owner_name"),
            incidentID: try r.uuid("incident_id"), parentID: try r.uuid("parent_id"), complaintID: try r.uuid("complaint_id"),
            catalogueItemID: try r.uuid("catalogue_item_id"), listPrice: try r.int("list_price"), agreedPrice: try r.int("agreed_price"),
            extras: try r.int(required: "extras"), receiptNumber: try r.string("receipt_number"), settledAt: try r.date("settled_at"),
            rating: try r.int("rating"), ratingComment: try r.string("rating_comment"),
            returnVisitRequired: try r.bool(required: "return_visit_required"), reopenCount: try r.int(required: "reopen_count"),
            completedAt: try r.date("completed_at"), closedAt: try r.date("closed_at"), closeReason: try r.string("close_reason"),
            outcome: try r.string("outcome"), version: try r.int(required: "version"))
    }

    static func clock(_ r: PlainRow) throws -> SLAClock {
        SLAClock(id: try r.uuid(required: "id"), subjectKind: SubjectKind(rawValue: try r.string(required: "subject_kind")),
                 subjectID: try r.uuid(required: "subject_id"), communityID: try r.uuid(required: "community_id"),
                 kind: try r.value("kind", as: ClockKind.self), round: try r.int(required: "round"),
                 targetSeconds: try r.int(required: "target_seconds"), serviceHoursOnly: try r.bool(required: "service_hours_only"),
                 startedAt: try r.date(required: "started_at"), dueAt: try r.date(required: "due_at"), pausedAt: try r.date("paused_at"),
                 remainingAtPause: try r.int("remaining_at_pause"), heldSeconds: try r.int(required: "held_seconds"),
                 stoppedAt: try r.date("stopped_at"), breachedAt: try r.date("breached_at"), level: try r.int(required: "level"),
                 nextFireAt: try r.date("next_fire_at"))
    }
}
