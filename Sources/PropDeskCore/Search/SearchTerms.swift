import Foundation

/// Typeahead keys for the front desk (INT-3): a caller is found by typing any part of a room
/// number, a name or a phone number. Each searchable text is stored as all of its suffixes, so
/// "any part of" becomes "a prefix of some suffix" — a range scan on an ordinary B-tree index
/// whose cost grows with the matches asked for, not with the size of the registry.
public enum SearchTerms {
    /// Shortest phone fragment worth searching: two digits match half the registry.
    public static let minPhoneDigits = 3
    public static let maxResults = 20

    public static func forUnit(building: String, room: String) -> [String] {
        let label = normalize(PropertyUnit.label(building: building, room: room))
        return suffixes(of: label, minLength: 2).filter { !$0.hasPrefix("-") }
    }

    public static func forPerson(name: String, phone: String) -> [String] {
        var terms = suffixes(of: normalize(name), minLength: 1)
        let digits = phone.filter(\.isNumber)
        terms += suffixes(of: digits, minLength: minPhoneDigits)
        return Array(Set(terms)).sorted()
    }

    /// The key a query is looked up by, or `nil` when it is too short to be useful.
    public static func query(_ text: String) -> String? {
        // A phone typed with separators ("138-1234-5678", "138 1234") is looked up by its digits;
        // shorter digit groups ("3-1201") are building and room.
        let compact = text.filter { !" -()+".contains($0) }
        if compact.count >= 7, compact.allSatisfy({ $0.isASCII && $0.isNumber }), compact.count < text.trimmingCharacters(in: .whitespaces).count {
            return compact
        }
        let q = normalize(text)
        guard !q.isEmpty else { return nil }
        if q.allSatisfy({ $0.isASCII && $0.isNumber }) { return q.count >= 2 ? q : nil }
        if q.count == 1, let s = q.unicodeScalars.first, s.isASCII { return nil }
        return q
    }

    /// The exclusive upper bound of the range of terms that start with `prefix`.
    public static func upperBound(_ prefix: String) -> String { prefix + "\u{10FFFF}" }

    /// Lower case, no blanks; 栋/幢/号楼/#/空格 between building and room become "-".
    static func normalize(_ text: String) -> String {
        var t = text.lowercased().trimmingCharacters(in: .whitespaces)
        for marker in ["号楼", "栋", "幢", "#", "座"] { t = t.replacingOccurrences(of: marker, with: "-") }
        t = t.replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
        while t.contains("--") { t = t.replacingOccurrences(of: "--", with: "-") }
        if t.hasSuffix("-") && t.count > 1 { t.removeLast() }
        return t
    }

    static func suffixes(of text: String, minLength: Int) -> [String] {
        let chars = Array(text)
        guard chars.count >= minLength else { return [] }
        return (0...(chars.count - minLength)).map { String(chars[$0...]) }
    }
}
