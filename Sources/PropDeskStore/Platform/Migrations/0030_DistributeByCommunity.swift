import Fluent
import FluentSQL
import Foundation
import SQLKit

/// Every row carries its community, and on PostgreSQL every key includes it (RUN-5, issue 19), so
/// that the tables can be distributed by `community_id` (`Distribution`, docs/SCALE-OUT.md).
///
/// On both databases:
/// - the three child tables that knew their community only through their parent (a renovation's
///   inspections, a move-in's files, an arrears list's lines) get `community_id`, filled from it;
/// - an audit entry of the whole installation (a password reset) is filed under
///   `Distribution.installation` instead of NULL;
/// - a file's bytes are kept once per community that holds it, keyed `(community_id, digest)`
///   (before: once for the installation), so no community's evidence lives on another's node.
///
/// On PostgreSQL, in one transaction, read from its catalogue so that every table is covered:
/// - the primary key of every distributed table becomes `(id, community_id)`;
/// - a unique key without the community gets it as its last column (numbers, form ids and
///   patrol codes are unique within a community, no longer across the installation);
/// - a reference between two distributed tables pairs `community_id` with `community_id`:
///   `(x_id, community_id) → (id, community_id)`.
///
/// The community goes last, not first: Citus asks only that a key *include* the distribution
/// column, and a key that still starts with `id` (or with a unique key's own columns) still
/// serves every read by id or by those columns. With the community first, each read by id alone
/// — a unit at intake, an order's step, a timeline's chain end — would have no index to use and
/// would read the whole table (measured: intake at 200,000 orders fell from ~300 to ~150 a second).
/// - the one reference from a reference table into a distributed one (`users.person_id`) is
///   dropped: the account store checks the person instead.
///
/// SQLite is one file on one machine and never distributed: its keys stay as they are (a
/// primary key cannot change there without copying the table), and its unique keys stay the
/// stricter, installation-wide ones.
struct DistributeByCommunity: AsyncMigration {
    var name: String { "0030_DistributeByCommunity" }

    /// Child tables and the parent they take their community from.
    static let children = [("renovation_inspections", "renovation_id", "renovations"), ("move_in_files", "move_in_id", "move_ins"),
                           ("arrears_list_lines", "list_id", "arrears_lists")]

    /// In one transaction on both databases: a failure (a full disk while the files' bytes are
    /// copied) leaves the schema as it was, and the next start runs it again.
    func prepare(on db: any Database) async throws {
        try await db.transaction { try await Self.apply(on: $0) }
    }

    static func apply(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for (table, parentColumn, parent) in children {
            try await db.schema(table).field("community_id", .uuid).update()
            try await sql.raw("""
                UPDATE \(ident: table) SET community_id = (SELECT p.community_id FROM \(ident: parent) p WHERE p.id = \(ident: table).\(ident: parentColumn))
                """).run()
        }
        // An intake's idempotency key is one account's within one community, on both databases.
        try await sql.drop(index: "work_orders_idempotency").run()
        try await sql.raw("CREATE UNIQUE INDEX work_orders_idempotency ON work_orders (community_id, created_by_id, idempotency_key)").run()
        try await sql.raw("UPDATE audit_entries SET community_id = \(bind: Distribution.installation) WHERE community_id IS NULL").run()

        try await db.schema("evidence_blobs_by_community")
            .field("community_id", .uuid, .required)
            .field("digest", .string, .required)
            .field("bytes", .data, .required)
            .compositeIdentifier(over: "community_id", "digest")
            .create()
        try await sql.raw("""
            INSERT INTO evidence_blobs_by_community (community_id, digest, bytes)
            SELECT e.community_id, b.digest, b.bytes FROM (SELECT DISTINCT community_id, digest FROM evidence) e
            JOIN evidence_blobs b ON b.digest = e.digest
            """).run()
        try await db.schema("evidence_blobs").delete()
        try await sql.raw("ALTER TABLE evidence_blobs_by_community RENAME TO evidence_blobs").run()

        guard db.isPostgres else { return }
        for table in children.map(\.0) + ["audit_entries"] {
            try await sql.raw("ALTER TABLE \(ident: table) ALTER COLUMN community_id SET NOT NULL").run()
        }
        let distributed = Set(try await Distribution.distributed(sql))
        let keys = try await Distribution.keys(sql)
        let references = keys.filter { $0.kind == "f" && distributed.contains($0.table) && distributed.contains($0.parent ?? "")
            && !$0.columns.contains("community_id") && $0.columns.count == 1 && $0.parentColumns == ["id"] }
        for k in references { try await sql.raw("ALTER TABLE \(ident: k.table) DROP CONSTRAINT \(ident: k.name)").run() }
        for k in keys where k.kind == "f" && Distribution.referenceTables.contains(k.table) && distributed.contains(k.parent ?? "") {
            try await sql.raw("ALTER TABLE \(ident: k.table) DROP CONSTRAINT \(ident: k.name)").run()
        }
        for k in keys where distributed.contains(k.table) && !k.columns.contains("community_id") {
            let columns = SQLKit.SQLList((k.columns + ["community_id"]).map { SQLIdentifier($0) })
            switch k.kind {
            case "p":
                try await sql.raw("ALTER TABLE \(ident: k.table) DROP CONSTRAINT \(ident: k.name), ADD PRIMARY KEY (\(columns))").run()
            case "u":
                try await sql.raw("ALTER TABLE \(ident: k.table) DROP CONSTRAINT \(ident: k.name), ADD CONSTRAINT \(ident: k.name) UNIQUE (\(columns))").run()
            case "i":
                // A unique index (with its own condition, if any): the same, the community last.
                guard let open = k.definition.range(of: "USING btree ("),
                      let close = k.definition[open.upperBound...].firstIndex(of: ")") else { continue }
                var definition = k.definition
                definition.insert(contentsOf: ", community_id", at: close)
                try await sql.raw("DROP INDEX \(ident: k.name)").run()
                try await sql.raw("\(unsafeRaw: definition)").run()
            default: break
            }
        }
        for k in references {
            try await sql.raw("""
                ALTER TABLE \(ident: k.table) ADD CONSTRAINT \(ident: k.name)
                FOREIGN KEY (\(ident: k.columns[0]), community_id) REFERENCES \(ident: k.parent!) (id, community_id)
                """).run()
        }
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if db.isPostgres {
            try await db.transaction { tx in
                let sql = tx as! any SQLDatabase
                let distributed = Set(try await Distribution.distributed(sql))
                let keys = try await Distribution.keys(sql)
                let references = keys.filter { $0.kind == "f" && distributed.contains($0.table) && distributed.contains($0.parent ?? "")
                    && $0.columns.count == 2 && $0.columns[1] == "community_id" && $0.parentColumns == ["id", "community_id"] }
                for k in references { try await sql.raw("ALTER TABLE \(ident: k.table) DROP CONSTRAINT \(ident: k.name)").run() }
                for k in keys where distributed.contains(k.table) && k.columns.last == "community_id" && k.columns.count > 1 {
                    let columns = SQLKit.SQLList(k.columns.dropLast().map { SQLIdentifier($0) })
                    switch k.kind {
                    case "p" where k.table != "evidence_blobs":
                        try await sql.raw("ALTER TABLE \(ident: k.table) DROP CONSTRAINT \(ident: k.name), ADD PRIMARY KEY (\(columns))").run()
                    // Fluent names a unique key by its columns: one that never named the community gets its old columns back.
                    case "u" where k.name.hasPrefix("uq:") && !k.name.contains(".community_id"):
                        try await sql.raw("ALTER TABLE \(ident: k.table) DROP CONSTRAINT \(ident: k.name), ADD CONSTRAINT \(ident: k.name) UNIQUE (\(columns))").run()
                    default: break
                    }
                }
                for k in references {
                    try await sql.raw("""
                        ALTER TABLE \(ident: k.table) ADD CONSTRAINT \(ident: k.name) FOREIGN KEY (\(ident: k.columns[0])) REFERENCES \(ident: k.parent!) (id)
                        """).run()
                }
                try await sql.raw("ALTER TABLE users ADD CONSTRAINT users_person_id_fkey FOREIGN KEY (person_id) REFERENCES people (id)").run()
                try await sql.raw("ALTER TABLE audit_entries ALTER COLUMN community_id DROP NOT NULL").run()
            }
        }
        try await sql.drop(index: "work_orders_idempotency").run()
        try await sql.raw("CREATE UNIQUE INDEX work_orders_idempotency ON work_orders (created_by_id, idempotency_key)").run()
        try await sql.raw("UPDATE audit_entries SET community_id = NULL WHERE community_id = \(bind: Distribution.installation)").run()
        try await db.schema("evidence_blobs_installation")
            .field("digest", .string, .identifier(auto: false))
            .field("bytes", .data, .required)
            .create()
        // "WHERE true" lets SQLite read ON CONFLICT as the insert's, not the select's.
        try await sql.raw("""
            INSERT INTO evidence_blobs_installation (digest, bytes) SELECT digest, bytes FROM evidence_blobs WHERE true ON CONFLICT (digest) DO NOTHING
            """).run()
        try await db.schema("evidence_blobs").delete()
        try await sql.raw("ALTER TABLE evidence_blobs_installation RENAME TO evidence_blobs").run()
        for (table, _, _) in Self.children { try await db.schema(table).deleteField("community_id").update() }
    }
}
