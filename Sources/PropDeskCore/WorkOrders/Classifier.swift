import Foundation

/// Reads a request's text and proposes a category and whether it is an emergency (INT-4).
/// The emergency list starts with S0 2.3 — burst pipe, leak at a key spot, backflow, power
/// outage — plus the dangers every center treats the same way; a community adds its own
/// words in its service contract. Matching ignores case, spaces and full-width forms.
public struct Classifier: Sendable {
    public struct Keyword: Sendable, Codable, Hashable {
        public let text: String
        public let category: Category
        public init(_ text: String, _ category: Category) {
            self.text = text
            self.category = category
        }
    }

    public struct Result: Sendable, Equatable {
        public let category: Category
        public let emergency: Bool
        /// The dictionary entry that decided it, to show the front desk why.
        public let matched: String?
    }

    public static let standardEmergencies: [Keyword] = [
        // S0 2.3
        Keyword("水管爆裂", .water), Keyword("爆管", .water), Keyword("爆水管", .water), Keyword("水管爆", .water),
        Keyword("关键部位漏水", .water), Keyword("大量漏水", .water), Keyword("漏水严重", .water), Keyword("水漫", .water),
        Keyword("室内返水", .water), Keyword("返水", .water), Keyword("污水倒灌", .water), Keyword("下水道反水", .water),
        Keyword("停电", .electricity), Keyword("断电", .electricity), Keyword("没电了", .electricity),
        // Life safety, treated as emergencies by every center
        Keyword("电梯困人", .elevator), Keyword("困在电梯", .elevator), Keyword("关在电梯", .elevator),
        Keyword("燃气泄漏", .gas), Keyword("煤气泄漏", .gas), Keyword("煤气味", .gas), Keyword("燃气味", .gas),
        Keyword("着火", .security), Keyword("火灾", .security), Keyword("冒烟", .security), Keyword("触电", .electricity),
        Keyword("burst pipe", .water), Keyword("pipe burst", .water), Keyword("flooding", .water), Keyword("flooded", .water),
        Keyword("major leak", .water), Keyword("backflow", .water), Keyword("sewage backup", .water),
        Keyword("power outage", .electricity), Keyword("power cut", .electricity), Keyword("blackout", .electricity), Keyword("no power", .electricity),
        Keyword("trapped in elevator", .elevator), Keyword("stuck in the lift", .elevator), Keyword("stuck in lift", .elevator),
        Keyword("gas leak", .gas), Keyword("smell of gas", .gas), Keyword("on fire", .security), Keyword("smoke coming", .security),
        Keyword("electric shock", .electricity),
    ]

    /// Everyday words → category, for the non-emergency rest.
    public static let categoryHints: [Keyword] = [
        Keyword("漏水", .water), Keyword("水管", .water), Keyword("水龙头", .water), Keyword("马桶", .water), Keyword("下水", .water),
        Keyword("堵", .water), Keyword("水压", .water), Keyword("热水", .water), Keyword("停水", .water), Keyword("没水", .water),
        Keyword("没有水", .water), Keyword("水表", .water),
        Keyword("电", .electricity), Keyword("灯", .electricity), Keyword("电表", .electricity), Keyword("插座", .electricity), Keyword("跳闸", .electricity),
        Keyword("燃气", .gas), Keyword("煤气", .gas),
        Keyword("门", .doorWindow), Keyword("窗", .doorWindow), Keyword("锁", .doorWindow),
        Keyword("电梯", .elevator), Keyword("垃圾", .cleaning), Keyword("保洁", .cleaning), Keyword("卫生", .cleaning),
        Keyword("绿化", .greening), Keyword("树", .greening), Keyword("草", .greening),
        Keyword("噪音", .noise), Keyword("吵", .noise), Keyword("装修声", .noise),
        Keyword("物业费", .fees), Keyword("收费", .fees), Keyword("缴费", .fees), Keyword("账单", .fees),
        Keyword("车位", .parking), Keyword("停车", .parking), Keyword("门禁", .security), Keyword("保安", .security), Keyword("监控", .security),
        Keyword("leak", .water), Keyword("no water", .water), Keyword("tap", .water), Keyword("toilet", .water), Keyword("drain", .water), Keyword("clog", .water),
        Keyword("light", .electricity), Keyword("socket", .electricity), Keyword("electric", .electricity),
        Keyword("door", .doorWindow), Keyword("window", .doorWindow), Keyword("lock", .doorWindow),
        Keyword("elevator", .elevator), Keyword("lift", .elevator), Keyword("garbage", .cleaning), Keyword("rubbish", .cleaning),
        Keyword("tree", .greening), Keyword("grass", .greening), Keyword("noise", .noise), Keyword("noisy", .noise),
        Keyword("fee", .fees), Keyword("bill", .fees), Keyword("parking", .parking), Keyword("guard", .security),
    ]

    /// A keyword with its normalized UTF-8, so matching is a byte search (the classifier runs on
    /// every keystroke at the front desk and on every order registered).
    struct Prepared: Sendable {
        let keyword: Keyword
        let bytes: [UInt8]
        init(_ k: Keyword) {
            keyword = k
            bytes = Array(Classifier.normalize(k.text).utf8)
        }
    }

    /// Longer words first, so "电梯" wins over "电".
    static let hintsLongestFirst = categoryHints.sorted { $0.text.count > $1.text.count }.map(Prepared.init)
    static let preparedStandard = standardEmergencies.map(Prepared.init)

    public let emergencies: [Keyword]
    private let prepared: [Prepared]

    /// The standard list plus a community's own words (from its service contract).
    public init(extra: [Keyword] = []) {
        emergencies = extra + Classifier.standardEmergencies
        prepared = extra.map(Prepared.init) + Classifier.preparedStandard
    }

    public func classify(_ text: String) -> Result {
        let t = Array(Classifier.normalize(text).utf8)
        if let hit = prepared.first(where: { Classifier.contains(t, $0.bytes) }) {
            return Result(category: hit.keyword.category, emergency: true, matched: hit.keyword.text)
        }
        if let hit = Classifier.hintsLongestFirst.first(where: { Classifier.contains(t, $0.bytes) }) {
            return Result(category: hit.keyword.category, emergency: false, matched: nil)
        }
        return Result(category: .other, emergency: false, matched: nil)
    }

    /// Whether `needle` occurs in `haystack`. On UTF-8 a byte match is a character match: no
    /// character's encoding starts inside another's.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// Lower case, no white space, full-width letters and digits folded to ASCII.
    static func normalize(_ s: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if (0xFF01...0xFF5E).contains(u.value), let half = Unicode.Scalar(u.value - 0xFEE0) {
                scalars.append(half)
            } else {
                scalars.append(u)
            }
        }
        return String(scalars).lowercased().filter { !$0.isWhitespace }
    }
}
