/// A user-visible text in both languages. Every string a person reads goes through one of these,
/// so a missing translation is a compile error, not a blank on screen.
public struct Message: Sendable, Hashable {
    public let zhHans: String
    public let en: String

    public init(zh: String, en: String) {
        self.zhHans = zh
        self.en = en
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .zhHans: zhHans
        case .en: en
        }
    }
}
