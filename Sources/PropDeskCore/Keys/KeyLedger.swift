import Foundation

/// 钥匙托管 (FD-5, S4 4.12): the keys the center holds for units — received from an owner (how
/// many), lent (to whom, their ID checked, why, until when), returned — as a ledger of
/// movements; who holds what now is computed from it, never typed. Each month the desk counts
/// the key board against the ledger and records the differences.
public enum KeyMovementKind: String, Sendable, Codable, CaseIterable {
    /// Keys handed to the center (by the owner, at move-in, by a contractor).
    case received
    /// Lent out of the board, to be returned.
    case lent
    /// Brought back to the board.
    case returned
    /// Given back to the owner for good.
    case handedBack = "handed_back"

    public var title: Message {
        switch self {
        case .received: Message(zh: "收存", en: "Received")
        case .lent: Message(zh: "借出", en: "Lent")
        case .returned: Message(zh: "归还", en: "Returned")
        case .handedBack: Message(zh: "退还业主", en: "Handed back to the owner")
        }
    }
}

public struct KeyMovement: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var kind: KeyMovementKind
    public var count: Int
    /// From whom (received) or to whom (lent, handed back).
    public var party: String
    /// Lending: the ID document was checked (its kind and last digits, never the whole number).
    public var idChecked: String
    public var purpose: String
    public var expectedBack: Date?
    public var at: Date
    public var byName: String

    public init(id: UUID = UUID(), communityID: UUID, unitID: UUID, kind: KeyMovementKind, count: Int, party: String, idChecked: String = "", purpose: String = "",
                expectedBack: Date? = nil, at: Date, byName: String) {
        self.id = id
        self.communityID = communityID
        self.unitID = unitID
        self.kind = kind
        self.count = count
        self.party = party
        self.idChecked = idChecked
        self.purpose = purpose
        self.expectedBack = expectedBack
        self.at = at
        self.byName = byName
    }
}

/// Who holds a unit's keys now, from its movements in order: on the board, and lent (to whom,
/// how many, due back when).
public struct KeyHolding: Sendable, Equatable {
    public struct Loan: Sendable, Equatable {
        public var party: String
        public var count: Int
        public var since: Date
        public var expectedBack: Date?
    }

    public var unitID: UUID
    public var onBoard: Int
    public var loans: [Loan]

    public var total: Int { onBoard + loans.map(\.count).reduce(0, +) }

    /// Replays movements (oldest first). A movement the holding cannot allow — lending more
    /// than is on the board, a return from someone who holds none — is refused by `apply`.
    public static func replay(unit: UUID, _ movements: [KeyMovement]) -> KeyHolding {
        var h = KeyHolding(unitID: unit, onBoard: 0, loans: [])
        for m in movements.sorted(by: { $0.at < $1.at }) { try? h.apply(m) }
        return h
    }

    public mutating func apply(_ m: KeyMovement) throws {
        guard m.count > 0 else { throw DomainError.invalid(field: "count", Message(zh: "钥匙数量至少 1 把", en: "At least one key")) }
        switch m.kind {
        case .received:
            onBoard += m.count
        case .lent:
            guard m.count <= onBoard else {
                throw DomainError.conflict(code: "keys_not_on_board", Message(zh: "钥匙板上只有 \(onBoard) 把,不能借出 \(m.count) 把", en: "Only \(onBoard) on the board; cannot lend \(m.count)"))
            }
            onBoard -= m.count
            loans.append(Loan(party: m.party, count: m.count, since: m.at, expectedBack: m.expectedBack))
        case .returned:
            var left = m.count
            for i in loans.indices where loans[i].party == m.party && left > 0 {
                let back = min(left, loans[i].count)
                loans[i].count -= back
                left -= back
            }
            guard left == 0 else {
                throw DomainError.conflict(code: "keys_not_lent", Message(zh: "\(m.party) 没有借出这么多钥匙", en: "\(m.party) did not borrow that many keys"))
            }
            loans.removeAll { $0.count == 0 }
            onBoard += m.count
        case .handedBack:
            guard m.count <= onBoard else {
                throw DomainError.conflict(code: "keys_not_on_board", Message(zh: "钥匙板上只有 \(onBoard) 把,不能退还 \(m.count) 把", en: "Only \(onBoard) on the board; cannot hand back \(m.count)"))
            }
            onBoard -= m.count
        }
    }
}
