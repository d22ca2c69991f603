import Foundation
import XCTest
@testable import PropDeskCore

/// The identifiers of the rows written by the thousand begin with their millisecond (issue 19):
/// rows written one after another sit side by side in every index on the identifier.
final class TimeOrderedIDTests: XCTestCase {
    func testRUN1_aTimeOrderedIdentifierBeginsWithItsMillisecondAndIsVersion7() {
        let at = Date(timeIntervalSince1970: 1_795_000_000.123)
        let id = UUID.timeOrdered(at: at)
        let u = id.uuid
        let ms = [u.0, u.1, u.2, u.3, u.4, u.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        XCTAssertEqual(ms, 1_795_000_000_123)
        XCTAssertEqual(u.6 >> 4, 7, "version 7")
        XCTAssertEqual(u.8 >> 6, 0b10, "RFC 9562 variant")
    }

    func testRUN1_laterIdentifiersSortAfterEarlierOnesAsBytesAndAsText() {
        // One a millisecond (in the middle of each, away from rounding at its edges).
        let ids = (0..<2_000).map { UUID.timeOrdered(at: Date(timeIntervalSince1970: (1_795_000_000_000 + Double($0) + 0.5) / 1000)) }
        let text = ids.map(\.uuidString)
        XCTAssertTrue(zip(text, text.dropFirst()).allSatisfy { $0 < $1 }, "text order is time order")
        let bytes = ids.map { withUnsafeBytes(of: $0.uuid) { Array($0) } }
        XCTAssertTrue(zip(bytes, bytes.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }, "byte order (SQLite's blobs, PostgreSQL's uuid) is time order")
        XCTAssertEqual(Set(ids).count, ids.count)
        // Within one millisecond they differ by their 74 random bits.
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let same = (0..<1_000).map { _ in UUID.timeOrdered(at: start) }
        XCTAssertEqual(Set(same).count, same.count)
        XCTAssertEqual(Set(same.map { $0.uuidString.prefix(13) }).count, 1, "one millisecond, one prefix")
    }

    func testRUN1_ordersClocksTimelineEntriesAndOrderEventsAreMadeWithThem() {
        let community = UUID(), order = UUID.timeOrdered()
        let clock = SLAClock(subjectID: order, communityID: community, kind: .response, round: 1, targetSeconds: 900, serviceHoursOnly: false,
                             startedAt: Date(), dueAt: Date().addingTimeInterval(900), nextFireAt: nil)
        let event = OrderEvent(orderID: order, communityID: community, seq: 1, kind: .created, actorID: nil, actorName: "前台", at: Date(),
                               from: nil, to: .received)
        for id in [clock.id, event.id] { XCTAssertEqual(id.uuid.6 >> 4, 7, "version 7 by default") }
    }

    func testRUN1_aSeededSourceGivesTheSameIdentifiers() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7)
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        XCTAssertEqual((0..<5).map { _ in UUID.timeOrdered(at: at, using: &a) }, (0..<5).map { _ in UUID.timeOrdered(at: at, using: &b) })
    }
}
