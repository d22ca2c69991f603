import Foundation
import XCTest
@testable import PropDeskStore

/// INT-7 / RUN-2: live events whose transactions commit out of id order are still delivered, once.
final class LiveCursorTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func testINT7_anEventThatCommitsAfterANewerOneIsDeliveredWhenItShowsAndOnlyOnce() {
        var cursor = LiveCursor(last: 5)
        // 7 committed before 6: 7 is delivered and 6 remembered as missing.
        XCTAssertEqual(cursor.take([7], at: t0), [7])
        XCTAssertEqual(cursor.missing, [6])
        XCTAssertEqual(cursor.last, 7)
        // The next read brings 6 (late) and 8: both delivered; nothing is missing any more.
        XCTAssertEqual(cursor.take([6, 8], at: t0.addingTimeInterval(1)), [6, 8])
        XCTAssertEqual(cursor.missing, [])
        // Read again (an overlapping page): nothing is delivered twice.
        XCTAssertEqual(cursor.take([6, 7, 8], at: t0.addingTimeInterval(2)), [])
    }

    func testINT7_aGapThatNeverFillsWasARollbackAndIsForgottenAfterThePatience() {
        var cursor = LiveCursor(last: 10, patience: 60)
        XCTAssertEqual(cursor.take([13], at: t0), [13])
        XCTAssertEqual(cursor.missing, [11, 12])
        XCTAssertEqual(cursor.take([], at: t0.addingTimeInterval(59)), [])
        XCTAssertEqual(cursor.missing, [11, 12])
        XCTAssertEqual(cursor.take([], at: t0.addingTimeInterval(61)), [])
        XCTAssertEqual(cursor.missing, [])
        // A huge jump tracks a bounded number of gaps.
        XCTAssertEqual(cursor.take([13 + 50_000], at: t0.addingTimeInterval(62)), [13 + 50_000])
        XCTAssertEqual(cursor.missing.count, LiveCursor.maxGaps)
    }
}
