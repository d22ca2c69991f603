import Foundation
import XCTest
@testable import PropDeskCore

/// RUN-4: the API writes dates as its contract says (RFC 3339, UTC, whole seconds). The fast writer
/// must write exactly what Foundation's ISO-8601 formatter writes, for any instant it can be asked.
final class RFC3339Tests: XCTestCase {
    func testRUN4_theFastDateWriterWritesWhatFoundationWrites() {
        let foundation = ISO8601DateFormatter()
        foundation.formatOptions = [.withInternetDateTime]
        foundation.timeZone = TimeZone(identifier: "UTC")
        var instants: [Double] = [0, -1, -0.5, 0.999, 59.9999, 86_399.5, 86_400, 951_782_400, 951_868_799.75, 1_796_014_032.5525784,
                                  4_107_542_399, -12_212_553_600, -12_212_553_599.9996, 253_402_300_799.4, -0.0004, -0.0005, 0.9994, 0.9995, 1_709_164_800, -2_208_988_800, -86_401]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { instants.append(Double.random(in: -12_212_553_600..<253_402_300_800, using: &rng)) }
        for _ in 0..<5_000 { instants.append(Double(Int.random(in: 1_700_000_000..<1_900_000_000, using: &rng)) + Double.random(in: 0..<1, using: &rng)) }
        var wrong: [String] = []
        for t in instants {
            let date = Date(timeIntervalSince1970: t)
            let mine = RFC3339.utc(date)
            let theirs = foundation.string(from: date)
            if mine != theirs { wrong.append("\(t): \(mine ?? "nil") ≠ \(theirs)") }
        }
        XCTAssertEqual(wrong.count, 0, wrong.prefix(10).joined(separator: "\n"))
        XCTAssertEqual(RFC3339.utc(Date(timeIntervalSince1970: 1_796_014_032.5)), "2026-11-30T04:47:12Z")
        XCTAssertNil(RFC3339.utc(Date(timeIntervalSince1970: 253_402_300_800)), "year 10000 is left to Foundation")
        XCTAssertNil(RFC3339.utc(Date(timeIntervalSince1970: -12_212_553_601)), "1582 and before (Julian in Foundation) are left to Foundation")
        XCTAssertNil(RFC3339.utc(Date(timeIntervalSince1970: .nan)))
    }
}
