import Foundation

/// One entry of a subject's timeline (PLT-2, PLT-3): append-only, with who and when. Entries are
/// chained: each carries the hash of the one before it and its own hash over every field, so an
/// entry changed or removed behind PropDesk's back breaks the chain at exactly that place, and
/// `propdesk verify` names it.
public struct TimelineEntry: Sendable, Equatable, Codable {
    public var id: UUID
    public var subjectKind: SubjectKind
    public var subjectID: UUID
    public var communityID: UUID
    /// 1, 2, 3 … within the subject, with no gaps.
    public var seq: Int
    /// What happened: "outcome", "alerted", "acknowledged" …
    public var kind: String
    public var actorID: UUID?
    public var actorName: String
    /// Kept to the millisecond, so that it reads back exactly as it was hashed.
    public var at: Date
    public var note: String?
    /// A change of state, when the entry is one ("dispatched" → "accepted").
    public var fromState: String?
    public var toState: String?
    public var data: [String: String]
    /// The previous entry's hash; "" for the first.
    public var prevHash: String
    public var hash: String

    public init(id: UUID = .timeOrdered(), subjectKind: SubjectKind, subjectID: UUID, communityID: UUID, seq: Int, kind: String, actorID: UUID?,
                actorName: String, at: Date, note: String?, fromState: String? = nil, toState: String? = nil, data: [String: String],
                prevHash: String = "", hash: String = "") {
        self.id = id
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.communityID = communityID
        self.seq = seq
        self.kind = kind
        self.actorID = actorID
        self.actorName = actorName
        self.at = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded() / 1000)
        self.note = note
        self.fromState = fromState
        self.toState = toState
        self.data = data
        self.prevHash = prevHash
        self.hash = hash
    }

    /// Every field but the hash itself, in a fixed order, each with its length, so that no two
    /// different entries read alike.
    public var canonical: String {
        let ms = Int64((at.timeIntervalSince1970 * 1000).rounded())
        var fields = [id.uuidString, subjectKind.rawValue, subjectID.uuidString, communityID.uuidString, String(seq), kind,
                      actorID?.uuidString ?? "-", actorName, String(ms), note.map { "+" + $0 } ?? "-", fromState.map { "+" + $0 } ?? "-",
                      toState.map { "+" + $0 } ?? "-", prevHash]
        for key in data.keys.sorted() { fields.append(key); fields.append(data[key] ?? "") }
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}

/// Walks timelines and says where the first one breaks (PLT-3).
public enum TimelineChain {
    public enum Break: Sendable, Equatable {
        /// The entry's fields no longer give its hash: it was changed.
        case changed
        /// It does not follow the entry before it: something before it was removed or changed.
        case unlinked
        /// A number is missing before it: an entry was removed.
        case gap(expected: Int)

        public var title: Message {
            switch self {
            case .changed: Message(zh: "记录内容被改动", en: "the entry was changed")
            case .unlinked: Message(zh: "与前一条记录的链接断开(前一条被改动或删除)", en: "it no longer follows the entry before it (that one was changed or removed)")
            case .gap(let n): Message(zh: "缺少第 \(n) 条记录(被删除)", en: "entry \(n) is missing (removed)")
            }
        }
    }

    public struct Finding: Sendable, Equatable {
        public let entry: TimelineEntry
        public let problem: Break
    }

    /// Links one entry to the chain: sets its `prevHash` and `hash`.
    public static func seal(_ entry: TimelineEntry, after previous: String, hash: (String) -> String) -> TimelineEntry {
        var e = entry
        e.prevHash = previous
        e.hash = hash(e.canonical)
        return e
    }

    /// Checks one subject's entries in `seq` order, continuing after `previous` (seq, hash) from
    /// an earlier page; returns the first break, or nil and where the chain now ends.
    public static func check(_ entries: [TimelineEntry], after previous: (seq: Int, hash: String)?, hash: (String) -> String)
        -> (finding: Finding?, last: (seq: Int, hash: String)?) {
        var last = previous
        for e in entries {
            let expected = (last?.seq ?? 0) + 1
            if e.seq != expected { return (Finding(entry: e, problem: .gap(expected: expected)), last) }
            if hash(e.canonical) != e.hash { return (Finding(entry: e, problem: .changed), last) }
            if e.prevHash != (last?.hash ?? "") { return (Finding(entry: e, problem: .unlinked), last) }
            last = (e.seq, e.hash)
        }
        return (nil, last)
    }
}
