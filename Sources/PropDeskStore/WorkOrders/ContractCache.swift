import Foundation
import PropDeskCore

/// Decoded service contracts by community, kept while their stored text is unchanged. The text is
/// still read from the database on every use (another process may have saved a new contract);
/// only the JSON decoding is skipped when it is the same, as it is for nearly every intake.
final class ContractCache: @unchecked Sendable {
    static let shared = ContractCache()

    private let lock = NSLock()
    private var decoded: [UUID: (body: String, contract: ServiceContract)] = [:]

    func contract(_ community: UUID, body: String) -> ServiceContract {
        if let hit = lock.withLock({ decoded[community] }), hit.body == body { return hit.contract }
        let contract = (try? JSONDecoder().decode(ServiceContract.self, from: Data(body.utf8))) ?? ServiceContract()
        lock.withLock {
            // A process serves a bounded set of communities; the cap only guards against a leak.
            if decoded.count >= 10_000 { decoded.removeAll() }
            decoded[community] = (body, contract)
        }
        return contract
    }
}
