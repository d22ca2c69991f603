import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Rows for the biggest tables, written straight through SQLKit. A Fluent model finds its fields
/// by reflection on every save, which costs more than the insert itself at a million rows;
/// these lists name the same columns in the models' order (a test checks them against the
/// models, and reads generated rows back through them).
enum BulkRows {
    typealias Row = [any Encodable & Sendable]

    /// Multi-row INSERTs of as many rows as fit the databases' limit on bound values.
    /// Inside a group commit of intakes (`GroupBatch`) the rows are gathered and sent with the group's.
    static func insert(_ table: String, _ columns: [String], _ rows: [Row], on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        if let batch = GroupBatch.current { return batch.add(table, columns, rows) }
        _ = try await send(table, columns, rows, on: db)
    }

    /// Sends the rows now; returns the statements it took.
    static func send(_ table: String, _ columns: [String], _ rows: [Row], on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        var statements = 0
        for chunk in rows.chunked(into: max(1, BulkInsert.maxBinds / columns.count)) {
            try await sql.raw(statement(table, columns, chunk)).run()
            statements += 1
        }
        return statements
    }

    /// `INSERT INTO table (columns) VALUES (…), (…)` for these rows, all in one statement.
    static func statement<Rows: Collection<Row>>(_ table: String, _ columns: [String], _ rows: Rows) -> SQLQueryString {
        var q = SQLQueryString("INSERT INTO " + quoted(table) + " (" + list(columns) + ") VALUES ")
        for (n, row) in rows.enumerated() { q += n == 0 ? "(\(binds: row))" : ", (\(binds: row))" }
        return q
    }

    /// One row's columns but `fixed` set from `row` (in `columns`' order), found by its
    /// community and id (RUN-5: one node's rows, distributed by community), and by `subject`
    /// where the table is kept in that order (clocks, migration 0036).
    static func update(_ table: String, _ columns: [String], _ row: Row, fixed: Set<String>, community: UUID, id: UUID,
                       subject: (column: String, id: UUID)? = nil, on db: any Database) async throws {
        var q = SQLQueryString("UPDATE " + quoted(table) + " SET ")
        var first = true
        for (column, value) in zip(columns, row) where !fixed.contains(column) {
            q += SQLQueryString((first ? "" : ", ") + quoted(column) + " = ")
            q += "\(bind: value)"
            first = false
        }
        q += " WHERE community_id = \(bind: community)"
        if let subject { q += SQLQueryString(" AND " + quoted(subject.column)) + " = \(bind: subject.id)" }
        q += " AND id = \(bind: id)"
        try await (db as! any SQLDatabase).raw(q).run()
    }

    /// Our table and column names written as SQL text once, quoted as both databases quote
    /// them. SQLKit escapes each identifier it serialises through a generic `replacing`, which
    /// took a sixth of an intake's CPU with fifty columns a row (issue 19); these names are plain
    /// lower-case words with nothing to escape.
    static func quoted(_ name: String) -> String { "\"" + name + "\"" }
    static func list(_ columns: [String]) -> String { columns.map(quoted).joined(separator: ", ") }

    static let orderColumns = OrderRows.orderColumns

    static func row(_ d: WorkOrder) -> Row { row(d, idempotencyKey: nil, fingerprint: nil) }

    static func row(_ d: WorkOrder, idempotencyKey: String?, fingerprint: String?) -> Row {
        [d.id, d.communityID, d.number, d.seq, d.kind.rawValue, d.channel.rawValue, d.category.rawValue, d.priority.rawValue, d.status.rawValue,
         d.heldFrom?.rawValue, d.holdReason, d.unitID, d.buildingID, d.areaID, d.location, d.requesterID, d.contactName, d.contactPhone,
         d.description, d.expectedAt, d.emergencyKeyword, d.createdByID, d.createdByName, d.createdAt, d.updatedAt, d.assigneeID,
         d.assigneeName, d.inPool, d.ownerID, d.ownerName, d.incidentID, d.parentID, d.complaintID, d.catalogueItemID, d.listPrice,
         d.agreedPrice, d.extras, d.receiptNumber, d.settledAt, d.rating, d.ratingComment, d.returnVisitRequired, d.reopenCount,
         d.completedAt, d.closedAt, d.closeReason, d.outcome, d.version, idempotencyKey, fingerprint]
    }

    static let clockColumns = OrderRows.clockColumns

    static func row(_ c: SLAClock) -> Row {
        [c.id, c.subjectKind.rawValue, c.subjectID, c.communityID, c.kind.rawValue, c.round, c.targetSeconds, c.serviceHoursOnly, c.startedAt, c.dueAt, c.pausedAt,
         c.remainingAtPause, c.heldSeconds, c.stoppedAt, c.breachedAt, c.level, c.nextFireAt]
    }

    static let alertColumns = ["id", "community_id", "subject_kind", "subject_id", "subject_label", "area_id", "kind", "clock_kind", "level", "target_user_id",
                               "raised_at", "due_at", "acknowledged_by_id", "acknowledged_by_name", "acknowledged_at", "acknowledge_note"]

    static func row(_ a: Alert) -> Row {
        [a.id, a.communityID, a.subjectKind.rawValue, a.subjectID, a.subjectLabel, a.areaID, a.kind.rawValue, a.clockKind?.rawValue, a.level.rawValue, a.targetUserID,
         a.raisedAt, a.dueAt, a.acknowledgedByID, a.acknowledgedByName, a.acknowledgedAt, a.acknowledgeNote]
    }

    static let liveColumns = ["community_id", "area_id", "unit_id", "kind", "payload", "at"]

    static let webhookColumns = ["id", "community_id", "alert_id", "payload", "attempts", "next_attempt_at", "delivered_at", "last_status",
                                 "last_error", "created_at"]

    /// An alert's delivery to the outbound webhook, due now.
    static func webhookRow(_ a: Alert, order: WorkOrder, at: Date) -> Row {
        [UUID(), a.communityID, a.id, AuditEntry.snapshot(WebhookPayload(alert: a, order: order)), 0, at, Date?.none, Int?.none, String?.none, at]
    }

    static let termColumns = ["id", "community_id", "area_id", "term", "unit_id", "person_id"]

    static func termRow(community: UUID, area: UUID?, term: String, unit: UUID, person: UUID?) -> Row {
        [UUID(), community, area, term, unit, person]
    }
}
