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

    struct Unreadable: Error, CustomStringConvertible {
        let column: String
        var description: String { "work order row: unreadable value in \(column)" }
    }

    static func order(_ r: any SQLRow) throws -> WorkOrder {
        func s(_ c: String) throws -> String { try r.decode(column: c, as: String.self) }
        func os(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        func u(_ c: String) throws -> UUID? { try r.decode(column: c, as: UUID?.self) }
        func d(_ c: String) throws -> Date? { try r.decode(column: c, as: Date?.self) }
        func i(_ c: String) throws -> Int { try r.decode(column: c, as: Int.self) }
        func oi(_ c: String) throws -> Int? { try r.decode(column: c, as: Int?.self) }
        func e<E: RawRepresentable>(_ c: String, _: E.Type) throws -> E where E.RawValue == String {
            guard let v = E(rawValue: try s(c)) else { throw Unreadable(column: c) }
            return v
        }
        return WorkOrder(
            id: try r.decode(column: "id", as: UUID.self), communityID: try r.decode(column: "community_id", as: UUID.self),
            number: try s("number"), seq: try i("seq"), kind: try e("kind", RequestKind.self), channel: try e("channel", Channel.self),
            category: try e("category", Category.self), priority: try e("priority", Priority.self), status: try e("status", OrderStatus.self),
            heldFrom: try os("held_from").flatMap(OrderStatus.init(rawValue:)), holdReason: try os("hold_reason"), unitID: try u("unit_id"),
            buildingID: try u("building_id"), areaID: try u("area_id"), location: try s("location"), requesterID: try u("requester_id"),
            contactName: try s("contact_name"), contactPhone: try s("contact_phone"), description: try s("description"),
            expectedAt: try d("expected_at"), emergencyKeyword: try os("emergency_keyword"), createdByID: try u("created_by_id"),
            createdByName: try s("created_by_name"), createdAt: try r.decode(column: "created_at", as: Date.self),
            updatedAt: try r.decode(column: "updated_at", as: Date.self), assigneeID: try u("assignee_id"), assigneeName: try os("assignee_name"),
            inPool: try r.decode(column: "in_pool", as: Bool.self), ownerID: try u("owner_id"), ownerName: try os("owner_name"),
            incidentID: try u("incident_id"), parentID: try u("parent_id"), complaintID: try u("complaint_id"),
            catalogueItemID: try u("catalogue_item_id"), listPrice: try oi("list_price"), agreedPrice: try oi("agreed_price"),
            extras: try i("extras"), receiptNumber: try os("receipt_number"), settledAt: try d("settled_at"), rating: try oi("rating"),
            ratingComment: try os("rating_comment"), returnVisitRequired: try r.decode(column: "return_visit_required", as: Bool.self),
            reopenCount: try i("reopen_count"), completedAt: try d("completed_at"), closedAt: try d("closed_at"),
            closeReason: try os("close_reason"), outcome: try os("outcome"), version: try i("version"))
    }

    static func clock(_ r: any SQLRow) throws -> SLAClock {
        guard let kind = ClockKind(rawValue: try r.decode(column: "kind", as: String.self)) else { throw Unreadable(column: "kind") }
        return SLAClock(id: try r.decode(column: "id", as: UUID.self), subjectKind: SubjectKind(rawValue: try r.decode(column: "subject_kind", as: String.self)),
                        subjectID: try r.decode(column: "subject_id", as: UUID.self),
                        communityID: try r.decode(column: "community_id", as: UUID.self), kind: kind,
                        round: try r.decode(column: "round", as: Int.self), targetSeconds: try r.decode(column: "target_seconds", as: Int.self),
                        serviceHoursOnly: try r.decode(column: "service_hours_only", as: Bool.self),
                        startedAt: try r.decode(column: "started_at", as: Date.self), dueAt: try r.decode(column: "due_at", as: Date.self),
                        pausedAt: try r.decode(column: "paused_at", as: Date?.self), remainingAtPause: try r.decode(column: "remaining_at_pause", as: Int?.self),
                        heldSeconds: try r.decode(column: "held_seconds", as: Int.self), stoppedAt: try r.decode(column: "stopped_at", as: Date?.self),
                        breachedAt: try r.decode(column: "breached_at", as: Date?.self), level: try r.decode(column: "level", as: Int.self),
                        nextFireAt: try r.decode(column: "next_fire_at", as: Date?.self))
    }
}
