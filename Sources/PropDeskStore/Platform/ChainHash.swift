import FluentSQLiteDriver
import Foundation
import PropDeskCore

/// A timeline hash as it is stored (issue 19): on SQLite its 32 bytes (a blob), on PostgreSQL
/// the 64 hexadecimal characters PropDesk computes and compares. Every timeline entry holds two
/// (its own and the one before it), so on SQLite a million orders' 6.8 million entries are about
/// 400 MB smaller than with text.
///
/// Like `UUID`, the SQLite driver asks the value to convert itself before encoding it; on
/// PostgreSQL it encodes as its text. Reading takes both forms: text is what a file holds before
/// `CompactTimelines` rewrote it (and what PostgreSQL holds). The first entry of a chain follows
/// nothing: "" in Swift, an empty blob on SQLite.
struct ChainHash: Codable, Sendable, SQLiteDataConvertible {
    let hex: String

    init(_ hex: String) { self.hex = hex }

    init(from decoder: any Decoder) throws { hex = try decoder.singleValueContainer().decode(String.self) }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }

    init?(sqliteData: SQLiteData) {
        switch sqliteData {
        case .blob(let buffer): hex = Hex.lowercase(buffer.readableBytesView)
        case .text(let text): hex = text
        default: return nil
        }
    }

    /// A hash that is not hexadecimal (never written by PropDesk) is kept as its text, so that
    /// `verify` still finds the entry that holds it.
    var sqliteData: SQLiteData? {
        guard let bytes = Hex.bytes(hex) else { return .text(hex) }
        return .blob(ByteBuffer(bytes: bytes))
    }
}
