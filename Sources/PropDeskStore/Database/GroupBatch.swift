import FluentKit
import Foundation
import PropDeskCore
import SQLKit

/// The inserts of one group commit of intakes (issue 19; per community on PostgreSQL, per file on
/// SQLite), gathered so the group is written in one go instead of each intake's own statements:
/// on this 2-core machine an intake is bound by the CPU its statements cost, not by the fsync the
/// group already shares (docs/PERFORMANCE.md, fourth and fifth sessions).
///
/// While a group's writes run (`WriteQueue`), `BulkRows.insert` hands its rows here instead of
/// sending them; they go out, table by table in the order each table was first written, after
/// the group's last write and before its COMMIT. A write must therefore not read back what it
/// inserted — an intake does not. What a group has learnt once is kept for its other writes: the
/// community row it locked and read, with the last number taken so far (numbers stay gap-free:
/// should any write of the group fail, the whole transaction is undone and each write is run
/// again alone — see `WriteQueue.commitBatch`).
final class GroupBatch: @unchecked Sendable {
    /// The group being written by this task, if any. Its writes run one after another, never at once.
    @TaskLocal static var current: GroupBatch?

    /// A community as an intake reads it, with the last number given out in this group.
    struct Community: Sendable {
        let code: String
        let timeZone: String
        var last: Int
        let openIncidents: Int
        let rules: Int
        let contract: ServiceContract
    }

    var communities: [UUID: Community] = [:]
    /// Set once the rows are sent: an error after it comes from the COMMIT, and the group may be stored.
    private(set) var flushed = false
    private var order: [String] = []
    private var pending: [String: (table: String, columns: [String], rows: [BulkRows.Row])] = [:]
    /// Statements sent, for the tests.
    private(set) var statements = 0

    func add(_ table: String, _ columns: [String], _ rows: [BulkRows.Row]) {
        let key = table + "(" + columns.joined(separator: ",") + ")"
        if pending[key] == nil {
            order.append(key)
            pending[key] = (table, columns, [])
        }
        pending[key]!.rows += rows
    }

    /// Sends every gathered row: on PostgreSQL all tables in one statement (each table's INSERT
    /// but the last in a `WITH`; a reference between them is checked at the statement's end), else
    /// one multi-row INSERT per table (per chunk of the binds' limit).
    func flush(on db: any Database) async throws {
        let tables = order.compactMap { pending[$0] }
        let binds = tables.reduce(0) { $0 + $1.rows.count * $1.columns.count }
        if db.isPostgres, tables.count > 1, binds <= BulkInsert.maxBinds, let last = tables.last {
            var q = SQLQueryString("WITH ")
            for (n, t) in tables.dropLast().enumerated() {
                q += SQLQueryString((n == 0 ? "" : ", ") + "w\(n) AS (")
                q += BulkRows.statement(t.table, t.columns, t.rows)
                q += SQLQueryString(")")
            }
            q += SQLQueryString(" ")
            q += BulkRows.statement(last.table, last.columns, last.rows)
            try await (db as! any SQLDatabase).raw(q).run()
            statements += 1
        } else {
            for t in tables { statements += try await BulkRows.send(t.table, t.columns, t.rows, on: db) }
        }
        flushed = true
    }
}
