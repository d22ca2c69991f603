import Foundation

/// The two languages every screen and message is written in.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zhHans = "zh-Hans"
    case en = "en"

    /// Picks the caller's language from an HTTP `Accept-Language` header, honouring q-values.
    /// Chinese in any script or region maps to zh-Hans; anything else unknown falls back to zh-Hans,
    /// the language of the service center.
    public static func preferred(acceptLanguage header: String?) -> Language {
        guard let header, !header.isEmpty else { return .zhHans }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            let lang: Language?
            if tag.hasPrefix("zh") { lang = .zhHans } else if tag.hasPrefix("en") { lang = .en } else { lang = nil }
            // q=0 means "not acceptable".
            if let lang, q > 0, q > (best?.1 ?? -1) { best = (lang, q) }
        }
        return best?.0 ?? .zhHans
    }

    /// Parses a stored or submitted language code ("zh-Hans", "zh", "en").
    public init?(code: String) {
        switch code.lowercased() {
        case "zh-hans", "zh", "zh-cn": self = .zhHans
        case "en", "en-us", "en-gb": self = .en
        default: return nil
        }
    }
}
