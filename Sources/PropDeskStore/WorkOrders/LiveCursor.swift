import Foundation

/// Where a reader of `live_events` stands. Ids are taken when a row is inserted but the row is
/// seen only when its transaction commits: on PostgreSQL a transaction that took id 6 may commit
/// after one that took 7, and a reader that asks only for `id > 7` would never deliver 6. The
/// cursor remembers the ids it stepped over (gaps) and asks for them again until they arrive or
/// `patience` passes — longer than any transaction runs; a gap that never fills was a rolled-back
/// insert. Every event is delivered once.
public struct LiveCursor: Sendable, Equatable {
    public private(set) var last: Int
    /// Skipped ids, and when each was first found missing.
    public private(set) var gaps: [Int: Date] = [:]
    public let patience: TimeInterval
    /// More skipped ids than this at once are not all tracked (a jump after a long quiet spell).
    public static let maxGaps = 1000

    public init(last: Int, patience: TimeInterval = 60) {
        self.last = last
        self.patience = patience
    }

    /// The ids to ask for besides `id > last`.
    public var missing: [Int] { gaps.keys.sorted() }

    /// Takes the ids just read (`id > last` or one of `missing`) and returns those to deliver, in
    /// order: each new id once, each late one when it finally shows.
    public mutating func take(_ ids: [Int], at now: Date) -> [Int] {
        var deliver: [Int] = []
        for id in ids.sorted() {
            if gaps.removeValue(forKey: id) != nil {
                deliver.append(id)
            } else if id > last {
                var skipped = last + 1
                while skipped < id && gaps.count < Self.maxGaps {
                    gaps[skipped] = now
                    skipped += 1
                }
                last = id
                deliver.append(id)
            }
        }
        gaps = gaps.filter { now.timeIntervalSince($0.value) < patience }
        return deliver
    }
}
