import Foundation
import Logging

/// The SQL statements the database drivers were sent, read from their log (both log each
/// statement, with its text as the `sql` metadata, at trace level here). A test passes it to
/// `TestApp.make(statements:)`, or sets `app.logger = log.logger` before the app opens a connection.
final class StatementLog: @unchecked Sendable {
    private let lock = NSLock()
    private var captured: [String] = []

    var statements: [String] { lock.withLock { captured } }

    var logger: Logger {
        var logger = Logger(label: "statements") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func add(_ sql: String) { lock.withLock { captured.append(sql) } }

    /// Whether the statement's condition names `column` with a value (`column = $n`, quoted or not).
    static func names(_ statement: String, _ column: String) -> Bool {
        statement.replacingOccurrences(of: "\"", with: "").contains("\(column) = $")
    }

    /// The table a `SELECT … FROM t …` reads, as written (quotes removed).
    static func table(of statement: String) -> String? {
        guard let from = statement.range(of: "FROM ", options: .caseInsensitive) else { return nil }
        let name = statement[from.upperBound...].prefix { !$0.isWhitespace }
        return name.replacingOccurrences(of: "\"", with: "")
    }

    struct Handler: LogHandler {
        let log: StatementLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            if case .string(let sql)? = event.metadata?["sql"] { log.add(sql) }
        }
    }
}
