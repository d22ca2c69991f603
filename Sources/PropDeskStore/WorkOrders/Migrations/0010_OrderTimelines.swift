import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Work orders' timelines move onto the platform's hash-chained timeline (PLT-2, PLT-3): every
/// `order_events` row becomes a `timeline_entries` entry of its order — same id, number, actor,
/// time, status change and facts — sealed in order, so `propdesk verify` covers orders from now
/// on. Read a page at a time by (order, number), so it costs one pass however large the table.
struct MoveOrderTimelines: AsyncMigration {
    var name: String { "0010_OrderTimelines" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        var after: (order: UUID, seq: Int)?
        var end: (order: UUID, hash: String)?
        let decoder = JSONDecoder()
        while true {
            let q = sql.select().columns("id", "community_id", "order_id", "seq", "kind", "actor_id", "actor_name", "at", "from_status", "to_status",
                                         "note", "data").from("order_events")
            if let a = after {
                // Before 0028 a SQLite file holds identifiers as text, and a UUID is bound as its 16
                // bytes (which sort after every text): the page key is bound in the stored form.
                let key: any Encodable & Sendable = db.isSQLite ? a.order.uuidString : a.order
                q.where(group: { g in
                    g.where("order_id", .greaterThan, key)
                        .orWhere(group: { $0.where("order_id", .equal, key).where("seq", .greaterThan, a.seq) })
                })
            }
            let rows = try await q.orderBy("order_id").orderBy("seq").limit(5_000).all()
            if rows.isEmpty { break }
            var sealed: [TimelineEntry] = []
            sealed.reserveCapacity(rows.count)
            for r in rows {
                let order = try r.decode(column: "order_id", as: UUID.self)
                let data = try r.decode(column: "data", as: String.self)
                let entry = TimelineEntry(id: try r.decode(column: "id", as: UUID.self), subjectKind: .workOrder, subjectID: order,
                                          communityID: try r.decode(column: "community_id", as: UUID.self), seq: try r.decode(column: "seq", as: Int.self),
                                          kind: try r.decode(column: "kind", as: String.self), actorID: try r.decode(column: "actor_id", as: UUID?.self),
                                          actorName: try r.decode(column: "actor_name", as: String.self), at: try r.decode(column: "at", as: Date.self),
                                          note: try r.decode(column: "note", as: String?.self), fromState: try r.decode(column: "from_status", as: String?.self),
                                          toState: try r.decode(column: "to_status", as: String.self),
                                          data: (try? decoder.decode([String: String].self, from: Data(data.utf8))) ?? [:])
                let previous = end?.order == order ? end!.hash : ""
                let e = TimelineChain.seal(entry, after: previous, hash: TimelineStore.sha256)
                end = (order, e.hash)
                sealed.append(e)
                after = (order, e.seq)
            }
            try await BulkRows.insert("timeline_entries", TimelineStore.columns, sealed.map(TimelineStore.row), on: db)
        }
        try await db.schema("order_events").delete()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("order_events")
            .id()
            .field("community_id", .uuid, .required)
            .field("order_id", .uuid, .required, .references("work_orders", "id"))
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("at", .datetime, .required)
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("note", .string)
            .field("data", .string, .required)
            .unique(on: "order_id", "seq")
            .create()
        try await sql.raw("""
            INSERT INTO order_events (id, community_id, order_id, seq, kind, actor_id, actor_name, at, from_status, to_status, note, data)
            SELECT id, community_id, subject_id, seq, kind, actor_id, actor_name, at, from_state, COALESCE(to_state, ''), note, data
            FROM timeline_entries WHERE subject_kind = 'work_order'
            """).run()
        try await sql.raw("DELETE FROM timeline_entries WHERE subject_kind = 'work_order'").run()
    }
}
