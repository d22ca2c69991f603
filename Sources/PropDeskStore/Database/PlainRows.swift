import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// A row of the hot reads (order lists, the boards, the sweeper) whose columns are read by
/// their type, not through `Decodable`. SQLKit's `decode(column:as:)` asks each value's type at
/// run time whether it converts itself and, for an optional, builds a decoder object around it:
/// for a page of 20 orders and their clocks (~2,000 values) that was an eighth of the list's
/// server time at a million orders (`perf` of the release build, docs/PERFORMANCE.md). On SQLite
/// the driver's values are kept, with the columns' positions found once for the whole result,
/// and each converted straight by its type; on PostgreSQL each cell is decoded by its type from
/// the driver's row.
struct PlainRow: Sendable {
    /// Where each column of a result lies, shared by all its rows.
    final class Columns: Sendable {
        let position: [String: Int]
        init(_ names: [String]) { position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// SQLite: the row's values in column order, and where each column lies.
    private let values: [SQLiteData]
    private let columns: Columns?
    /// PostgreSQL: the driver's row.
    private let cells: PostgresRandomAccessRow?
    /// Elsewhere: the SQLKit row.
    private let row: (any SQLRow)?

    /// Thrown when a column holds a value of another type than the one read.
    struct Unreadable: Error, CustomStringConvertible {
        let column: String
        var description: String { "unreadable value in column \(column)" }
    }

    init(_ values: [SQLiteData], columns: Columns) {
        self.values = values
        self.columns = columns
        cells = nil
        row = nil
    }

    init(_ row: PostgresRow) {
        values = []
        columns = nil
        cells = row.makeRandomAccess()
        self.row = nil
    }

    init(_ row: any SQLRow) {
        values = []
        columns = nil
        cells = nil
        self.row = row
    }

    private func read<T: SQLiteDataConvertible & PostgresDecodable & Decodable>(_ column: String, as _: T.Type) throws -> T? {
        if let cells {
            guard cells.contains(column) else { return nil }
            let cell = cells[column]
            guard cell.bytes != nil else { return nil }
            do { return try cell.decode(T.self) } catch { throw Unreadable(column: column) }
        }
        guard let columns else { return try row?.decode(column: column, as: T?.self) }
        guard let i = columns.position[column] else { return nil }
        let data = values[i]
        if case .null = data { return nil }
        guard let value = T(sqliteData: data) else { throw Unreadable(column: column) }
        return value
    }

    /// Whether the values are the driver's own (the fast path), not a SQLKit row's.
    var readsDriverValues: Bool { cells != nil || columns != nil }

    private func required<T>(_ value: T?, _ column: String) throws -> T {
        guard let value else { throw Unreadable(column: column) }
        return value
    }

    func uuid(_ column: String) throws -> UUID? { try read(column, as: UUID.self) }
    func string(_ column: String) throws -> String? { try read(column, as: String.self) }
    func int(_ column: String) throws -> Int? { try read(column, as: Int.self) }
    func date(_ column: String) throws -> Date? { try read(column, as: Date.self) }
    func bool(_ column: String) throws -> Bool? { try read(column, as: Bool.self) }

    func uuid(required column: String) throws -> UUID { try required(uuid(column), column) }
    func string(required column: String) throws -> String { try required(string(column), column) }
    func int(required column: String) throws -> Int { try required(int(column), column) }
    func date(required column: String) throws -> Date { try required(date(column), column) }
    func bool(required column: String) throws -> Bool { try required(bool(column), column) }

    /// A text column that names a case of `E`.
    func value<E: RawRepresentable>(_ column: String, as _: E.Type) throws -> E where E.RawValue == String {
        guard let v = E(rawValue: try string(required: column)) else { throw Unreadable(column: column) }
        return v
    }
}

extension SQLDatabase {
    /// Runs `query` and returns its rows as `PlainRow`s. On SQLite the statement goes to the
    /// driver directly — serialised, bound and logged as SQLKit does it — so its rows keep
    /// their values as the driver read them.
    func plainRows(_ query: any SQLExpression) async throws -> [PlainRow] {
        let (sql, binds) = serialize(query)
        if let pg = self as? any PostgresDatabase, let bindings = Self.postgresBindings(binds) {
            log(sql, binds)
            let result = try await pg.withConnection { $0.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: $0.logger) }.get()
            return result.rows.map(PlainRow.init)
        }
        guard let lite = self as? any SQLiteDatabase else {
            nonisolated(unsafe) var rows: [PlainRow] = []
            try await execute(sql: query) { rows.append(PlainRow($0)) }
            return rows
        }
        log(sql, binds)
        let encoder = SQLiteDataEncoder()
        let rows = try await lite.query(sql, try binds.map { try encoder.encode($0) }).get()
        guard let first = rows.first else { return [] }
        let columns = PlainRow.Columns(first.columns.map(\.name))
        return rows.map { PlainRow($0.columns.map(\.data), columns: columns) }
    }
}

extension SQLDatabase {
    /// Logged as SQLKit logs the statements it runs (tests read which statements ran from it).
    fileprivate func log(_ sql: String, _ binds: [any Encodable & Sendable]) {
        if let level = queryLogLevel {
            logger.log(level: level, "Executing query", metadata: ["sql": .string(sql), "binds": .array(binds.map { .string("\($0)") })])
        }
    }

    /// The binds as PostgreSQL's own types, as the driver binds them; nil when one is not such
    /// a value (the statement then goes through SQLKit).
    fileprivate static func postgresBindings(_ binds: [any Encodable & Sendable]) -> PostgresBindings? {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            if (bind as Optional<Any>) == nil {
                bindings.appendNull()
            } else if let value = bind as? any PostgresThrowingDynamicTypeEncodable {
                do { try bindings.append(value, context: .default) } catch { return nil }
            } else {
                return nil
            }
        }
        return bindings
    }
}

extension SQLQueryFetcher {
    /// The query's rows as `PlainRow`s (see `SQLDatabase.plainRows`).
    func plainRows() async throws -> [PlainRow] { try await database.plainRows(query) }
}
