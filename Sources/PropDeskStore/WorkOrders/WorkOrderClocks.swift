import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Work orders on the platform (PLT-2): fires their due clocks in batches and notes
/// acknowledgements on their timelines.
struct WorkOrderClocks: SubjectHandler {
    let now: @Sendable () -> Date
    let outbox: Bool
    var kind: SubjectKind { .workOrder }

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        try await WorkOrderStore(db: tx, now: now, outbox: outbox).fire(clocks, at: at)
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        let s = WorkOrderStore(db: tx, now: now, outbox: outbox)
        guard try await s.lock(alert.subjectID, community: alert.communityID, skipLocked: false), let o = try await s.order(alert.subjectID) else { return }
        let chain = try await s.chainEnd(o)
        let e = OrderEvent(orderID: o.id, communityID: o.communityID, seq: chain.nextSeq, kind: .alertAcknowledged, actorID: actor.userID,
                           actorName: actor.name, at: at, from: o.status, to: o.status, note: alert.acknowledgeNote,
                           data: ["alert": alert.kind.rawValue, "level": alert.level.rawValue])
        try await TimelineStore(db: tx).append([TimelineEntry(e)], known: chain.known)
        try await s.publish(alert: alert, order: o, at: at, kind: "alert.acknowledged")
    }
}

extension WorkOrderStore {
    /// Fires a batch of due order clocks inside the sweeper's transaction, which holds the clock
    /// rows. Their orders are locked together, skipping those another process holds (a step in
    /// progress: their clocks wait for the next round); orders, contracts and timeline numbers
    /// are read once for the batch (on SQLite in one statement each, whatever the communities);
    /// what the machine decides is written as bulk inserts — the timeline entries, alerts, live events and webhook deliveries — and one update per clock
    /// that changed. Only an order that closes itself (INT-18) goes through the full step.
    func fire(_ clocks: [SLAClock], at: Date) async throws -> SweepReport {
        var report = SweepReport()
        var held = Set<UUID>()
        for (community, theirs) in Dictionary(grouping: clocks, by: \.communityID) {
            held.formUnion(try await db.lockRows(WorkOrderModel.schema, community: community, ids: Array(Set(theirs.map(\.subjectID))), skipLocked: true))
        }
        guard !held.isEmpty else { report.skipped = clocks.count; return report }
        var orders: [UUID: WorkOrder] = [:]
        for chunk in Array(held).chunked(into: 1000) {
            let rows = try await sql.select().column(OrderRows.orderList).from(WorkOrderModel.schema).where("id", .in, Array(chunk)).plainRows()
            for r in rows { let o = try OrderRows.order(r); orders[o.id] = o }
        }
        let contracts = try await self.contracts(communities: Set(orders.values.map(\.communityID)))
        var machines: [UUID: OrderMachine] = [:]
        var changed: [SLAClock] = []
        var events: [OrderEvent] = []
        var raised: [(Alert, WorkOrder)] = []
        var closing: [UUID] = []
        for c in clocks {
            guard let order = orders[c.subjectID] else { report.skipped += 1; continue }
            if machines[order.communityID] == nil { machines[order.communityID] = OrderMachine(contract: contracts[order.communityID] ?? ServiceContract()) }
            let (clock, alerts, action) = machines[order.communityID]!.fire(c, of: order, at: at)
            if clock != c { changed.append(clock) }
            report.fired += 1
            report.alerts += alerts.count
            report.callbacks += alerts.filter { $0.kind == .callback }.count
            for a in alerts {
                // Numbered and sealed when appended, after the chain's end is read once for all.
                events.append(OrderEvent(orderID: order.id, communityID: order.communityID, seq: 0, kind: .alerted, actorID: nil,
                                         actorName: Self.system.name, at: at, from: order.status, to: order.status, note: a.message.zhHans,
                                         data: ["alert": a.kind.rawValue, "level": a.level.rawValue, "clock": a.clockKind?.rawValue ?? ""]))
                raised.append((a, order))
            }
            if action == .autoClose { closing.append(order.id) }
        }
        try await ClockRows.update(changed, on: db)
        try await TimelineStore(db: db).append(events.map(TimelineEntry.init))
        try await BulkRows.insert(AlertModel.schema, BulkRows.alertColumns, raised.map { BulkRows.row($0.0) }, on: db)
        try await BulkRows.insert(LiveEventModel.schema, BulkRows.liveColumns, raised.map { liveRow(alert: $0.0, order: $0.1, at: at) }, on: db)
        if outbox {
            try await BulkRows.insert(WebhookDeliveryModel.schema, BulkRows.webhookColumns, raised.map { BulkRows.webhookRow($0.0, order: $0.1, at: at) }, on: db)
        }
        for id in closing {
            guard let order = try await self.orders([id])[id] else { continue }
            _ = try await apply(.autoClose, to: order, by: Self.system, at: at)
            report.closed += 1
        }
        return report
    }
}
