import Foundation
import SQLKit

/// How the schema distributes by community (RUN-5), the way Citus distributes tables: every table
/// is one of three kinds, and a table that is none of them is a defect `problems` names.
///
/// - **Distributed** by `community_id` (every table of a community's business): the column is
///   NOT NULL, the primary key and every unique key include it, and a reference to another
///   distributed table names it on both sides, so one community's rows of every table live on
///   one node and everything a request does inside a community stays on that node.
/// - **Reference** tables, small and read on almost every request, copied to every node. They may
///   only point at other reference tables.
/// - **Coordinator** tables, kept on the coordinator alone (bookkeeping, and the live events' one
///   cursor over all communities).
///
/// docs/SCALE-OUT.md is the plan table by table.
public enum Distribution {
    public static let referenceTables: Set<String> = [
        "communities", "areas", "buildings", "users", "user_scopes", "api_tokens", "settings", "sign_in_throttles",
    ]
    public static let coordinatorTables: Set<String> = ["_fluent_migrations", "_fluent_sessions", "live_events"]

    /// The community of rows that belong to the whole installation rather than to one community
    /// (an audit entry of a password reset): the distribution column is never NULL.
    public static let installation = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// A window of rows found due, by community: each community once, in the order its first row
    /// came, with how many rows it had there. Background work takes that many from each community
    /// in one statement naming it, so every statement stays on one node (the sweeper's clocks,
    /// the webhook outbox).
    public static func byCommunity(_ communities: [UUID]) -> [(community: UUID, count: Int)] {
        var order: [UUID] = []
        var counts: [UUID: Int] = [:]
        for c in communities {
            if counts[c] == nil { order.append(c) }
            counts[c, default: 0] += 1
        }
        return order.map { ($0, counts[$0] ?? 0) }
    }

    /// Every table of the current schema (PostgreSQL), by name.
    static func tables(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.relname
            """).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// Whether a table is distributed: every table but the reference and coordinator ones.
    static func isDistributed(_ table: String) -> Bool { !referenceTables.contains(table) && !coordinatorTables.contains(table) }

    /// The distributed tables of the current schema (PostgreSQL).
    static func distributed(_ sql: any SQLDatabase) async throws -> [String] { try await tables(sql).filter(isDistributed) }

    struct Key {
        let table: String
        let name: String
        let kind: String          // "p" primary, "u" unique, "f" foreign, "i" unique index
        let columns: [String]
        let parent: String?       // a foreign key's table
        let parentColumns: [String]
        let definition: String
    }

    /// The keys of the current schema (PostgreSQL): constraints, and unique indexes that are not constraints.
    static func keys(_ sql: any SQLDatabase) async throws -> [Key] {
        let rows = try await sql.raw("""
            SELECT k.conrelid::regclass::text AS "table", k.conname AS name, k.contype::text AS kind,
                   ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
                         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o) AS columns,
                   CASE WHEN k.contype = 'f' THEN k.confrelid::regclass::text END AS parent,
                   ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
                         JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o) AS parent_columns,
                   pg_get_constraintdef(k.oid) AS definition
            FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
            WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u', 'f')
            UNION ALL
            SELECT i.indrelid::regclass::text, c.relname::text, 'i',
                   ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(n, o)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n ORDER BY u.o),
                   NULL, ARRAY[]::text[], pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            ORDER BY 1, 2
            """).all()
        return try rows.map { r in
            Key(table: try r.decode(column: "table", as: String.self), name: try r.decode(column: "name", as: String.self),
                kind: try r.decode(column: "kind", as: String.self), columns: try r.decode(column: "columns", as: [String].self),
                parent: try r.decode(column: "parent", as: String?.self), parentColumns: try r.decode(column: "parent_columns", as: [String].self),
                definition: try r.decode(column: "definition", as: String.self))
        }
    }

    /// What keeps the schema (PostgreSQL) from being distributed by community, a line per defect
    /// naming its table; empty when every table could be distributed or copied as it stands.
    public static func problems(_ sql: any SQLDatabase) async throws -> [String] {
        let all = try await tables(sql)
        let distributed = Set(all.filter(isDistributed))
        var out: [String] = []
        let communityColumn = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT table_name::text AS t, is_nullable::text AS nullable FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name = 'community_id'
            """).all().map { (try $0.decode(column: "t", as: String.self), try $0.decode(column: "nullable", as: String.self) == "YES") })
        let keys = try await keys(sql)
        for table in all where distributed.contains(table) {
            switch communityColumn[table] {
            case nil: out.append("\(table): no community_id column")
            case true?: out.append("\(table): community_id may be NULL")
            default: break
            }
            if !keys.contains(where: { $0.table == table && $0.kind == "p" }) { out.append("\(table): no primary key") }
        }
        for k in keys {
            let child = distributed.contains(k.table)
            switch k.kind {
            case "p", "u", "i":
                guard child && !k.columns.contains("community_id") else { continue }
                out.append("\(k.table): \(k.kind == "p" ? "primary key" : "unique key \(k.name)") (\(k.columns.joined(separator: ", "))) without community_id")
            case "f":
                let parent = k.parent ?? ""
                if referenceTables.contains(k.table) && !referenceTables.contains(parent) {
                    out.append("\(k.table): reference table points at \(parent), which is not a reference table (\(k.name))")
                } else if child && distributed.contains(parent) {
                    let paired = zip(k.columns, k.parentColumns).contains { $0 == "community_id" && $1 == "community_id" }
                    if !paired { out.append("\(k.table): reference \(k.name) to \(parent) does not pair community_id with community_id") }
                } else if child && coordinatorTables.contains(parent) {
                    out.append("\(k.table): points at the coordinator's table \(parent) (\(k.name))")
                }
            default: break
            }
        }
        return out
    }
}
