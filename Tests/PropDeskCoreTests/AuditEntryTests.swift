import XCTest
@testable import PropDeskCore

final class AuditEntryTests: XCTestCase {
    private struct Sample: Encodable {
        let zeta: Int
        let alpha: String
        let middle: Date
        let nested: [String: Int]
    }

    func testSnapshotIsJSONWithSortedKeysAtEveryLevel_SEC4() {
        let json = AuditEntry.snapshot(Sample(zeta: 1, alpha: "3栋/1201", middle: Date(timeIntervalSince1970: 0),
                                              nested: ["b": 2, "a": 1]))
        XCTAssertEqual(json, #"{"alpha":"3栋/1201","middle":"1970-01-01T00:00:00Z","nested":{"a":1,"b":2},"zeta":1}"#)
    }

    func testSnapshotOfTheSameValueIsAlwaysTheSameText_SEC4() {
        let community = Community(id: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!,
                                  code: "CHHY", name: "翠湖花园", address: "翠湖路 88 号")
        let first = AuditEntry.snapshot(community)
        XCTAssertEqual(first, AuditEntry.snapshot(community))
        let keys = ["address", "code", "id", "name", "timeZone"].map { "\"\($0)\":" }
        let positions = keys.compactMap { first.range(of: $0)?.lowerBound }
        XCTAssertEqual(positions.count, keys.count, first)
        XCTAssertEqual(positions, positions.sorted(), first)
    }

    func testActionCodesAreStable_SEC4() {
        XCTAssertEqual(AuditEntry.Action.importBatch.rawValue, "import")
        XCTAssertEqual(AuditEntry.Action.signIn.rawValue, "sign_in")
        XCTAssertEqual(AuditEntry.Action.reveal.rawValue, "reveal")
    }

    func testConsoleActorHasNoUserAndNamesTheCommand_SEC4() {
        let actor = PropDeskCore.Actor.console("import")
        XCTAssertNil(actor.userID)
        XCTAssertEqual(actor.name, "console:import")
    }
}
