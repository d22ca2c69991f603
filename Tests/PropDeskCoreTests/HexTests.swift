import XCTest
@testable import PropDeskCore

/// Hexadecimal text both ways: a timeline hash is written as its bytes on SQLite and read back
/// as the text it was computed as (PLT-3, issue 19 storage).
final class HexTests: XCTestCase {
    func testPLT3_hexTextAndItsBytesRoundTripAndAnythingElseIsRefused() {
        let bytes: [UInt8] = (0...255).map { UInt8($0) }
        let text = Hex.lowercase(bytes)
        XCTAssertEqual(text.count, 512)
        XCTAssertEqual(Hex.bytes(text), bytes)
        XCTAssertEqual(Hex.bytes(text.uppercased()), bytes)
        XCTAssertEqual(Hex.bytes(""), [])
        XCTAssertNil(Hex.bytes("abc"), "odd length")
        XCTAssertNil(Hex.bytes("0g"), "not a digit")
        XCTAssertNil(Hex.bytes("中文"), "not ASCII")
    }
}
