import XCTest
@testable import PropDeskCore

/// INT-3 / INT-11 photos are recognised by their bytes; INT-10 prices typed in yuan become fen.
final class PhotoAndMoneyTests: XCTestCase {
    func testINT11_onlyRealImagesAreAcceptedWhateverTheirName() throws {
        XCTAssertEqual(try OrderPhoto.contentType(of: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), "image/jpeg")
        XCTAssertEqual(try OrderPhoto.contentType(of: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), "image/png")
        XCTAssertEqual(try OrderPhoto.contentType(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)), "image/webp")
        for bad in [[], Array("<script>alert(1)</script>".utf8), Array("%PDF-1.7".utf8), [0x89, 0x50, 0x4E]] as [[UInt8]] {
            XCTAssertThrowsError(try OrderPhoto.contentType(of: bad)) { e in
                XCTAssertEqual((e as? DomainError)?.details.first?.field, "photos")
            }
        }
        XCTAssertThrowsError(try OrderPhoto.contentType(of: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: OrderPhoto.maxBytes)))
    }

    func testINT10_yuanTypedByAPersonBecomesFen() throws {
        XCTAssertEqual(try Money.fen(fromYuan: "120", field: "amount"), 12000)
        XCTAssertEqual(try Money.fen(fromYuan: " 85.5 ", field: "amount"), 8550)
        XCTAssertEqual(try Money.fen(fromYuan: "¥0.05", field: "amount"), 5)
        XCTAssertEqual(try Money.fen(fromYuan: "￥1000000", field: "amount"), 100_000_000)
        for bad in ["", "-5", "1.234", "1,000", "abc", "1.", ".5", "1e3", "１２", "10000001"] {
            XCTAssertThrowsError(try Money.fen(fromYuan: bad, field: "amount"), bad) { e in
                XCTAssertEqual((e as? DomainError)?.details.first?.field, "amount")
            }
        }
    }
}
