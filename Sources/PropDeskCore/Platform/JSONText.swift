import Foundation

/// JSON written straight as text, for the few payloads written on every intake and every fired
/// clock (the live events): `JSONEncoder` with sorted keys took a twelfth of a sweep's CPU
/// (issue 19). The output is the same text `AuditEntry.snapshot` writes for the same value —
/// keys in the order the caller gives (sorted, as there), absent optionals left out, strings
/// escaped as `JSONEncoder` escapes them (without escaping "/") — and a test holds it to that.
public struct JSONText {
    private var text = "{"
    private var first = true

    public init() {}

    public mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        field(key)
        Self.quote(value, into: &text)
    }

    public mutating func uuid(_ key: String, _ value: UUID?) { string(key, value?.uuidString) }

    public mutating func strings(_ key: String, _ values: [String]) {
        field(key)
        text += "["
        for (n, v) in values.enumerated() {
            if n > 0 { text += "," }
            Self.quote(v, into: &text)
        }
        text += "]"
    }

    /// An object already written (`JSONText.done`), or nothing when nil.
    public mutating func object(_ key: String, _ json: String?) {
        guard let json else { return }
        field(key)
        text += json
    }

    public func done() -> String { text + "}" }

    private mutating func field(_ key: String) {
        if !first { text += "," }
        first = false
        Self.quote(key, into: &text)
        text += ":"
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as it is.
    static func quote(_ s: String, into out: inout String) {
        out += "\""
        var plain = true
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C { plain = false; break }
        if plain {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }
}
