import Fluent
import Foundation
import PropDeskCore

/// S4 4.12 as a duty (PLT-1): the key board counted against the ledger once a month, the
/// differences recorded. A month's value: the counts made in it.
struct KeyDuties: DutyMeasurer {
    static let keysReconciled = Duty(
        id: "S4-4.12-keys-reconciled", citation: "S4 4.12",
        title: Message(zh: "每月核对托管钥匙", en: "Keys held counted against the ledger every month"),
        asks: Message(zh: "托管钥匙每月清点一次,钥匙板实物与登记台账核对,差异记录在案", en: "Once a month the key board is counted against the ledger and differences recorded"),
        scope: .community, period: .month, target: .countAtLeast(1), owner: .csManager, capability: "keys")

    var duties: [Duty] { [Self.keysReconciled] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let counts = try await KeyStore(db: db, now: { place.asOf }).reconciliations(community: place.communityID, from: place.from, until: place.until)
        let path = "/c/\(place.communityID.uuidString)/keys"
        return DutyMeasurement(numerator: counts.count, denominator: nil, records: counts.map { c in
            RecordLink(label: "\(AssignmentDuties.day(c.at, place.timeZone)) · \(c.byName) · 差异 \(c.differences) 处", path: path, missed: false)
        })
    }
}
