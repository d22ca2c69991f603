import Foundation
import PropDeskCore
import XCTest
@testable import PropDeskStore

final class StoreUnitTests: XCTestCase {
    func testIDNumbersAreSealedWithAESGCMAndOpenOnlyWithTheKey_SEC3() throws {
        let cipher = try FieldCipher(keyBytes: Array(repeating: 7, count: 32))
        let sealed = try cipher.seal("11010519491231002X")
        XCTAssertFalse(sealed.contains("11010519491231002X"))
        XCTAssertNotEqual(sealed, try cipher.seal("11010519491231002X"), "a fresh nonce every time")
        XCTAssertEqual(try cipher.open(sealed), "11010519491231002X")
        let other = try FieldCipher(keyBytes: Array(repeating: 8, count: 32))
        XCTAssertThrowsError(try other.open(sealed))
        XCTAssertThrowsError(try FieldCipher(keyBytes: [1, 2, 3]))
    }

    func testDatabaseURLChoosesTheDatabase_RUN1() throws {
        XCTAssertEqual(try DatabaseSettings.from(databaseURL: nil, dataDirectory: "/tmp/x"), .sqlite(path: "/tmp/x/propdesk.sqlite"))
        XCTAssertEqual(try DatabaseSettings.from(databaseURL: "postgres://a:b@h:5432/d", dataDirectory: "d"), .postgres(url: "postgres://a:b@h:5432/d"))
        XCTAssertEqual(try DatabaseSettings.from(databaseURL: "sqlite:///var/p.sqlite", dataDirectory: "d"), .sqlite(path: "/var/p.sqlite"))
        XCTAssertThrowsError(try DatabaseSettings.from(databaseURL: "mysql://root:secret@h/d", dataDirectory: "d")) { error in
            let message = (error as? DomainError)?.message.en ?? ""
            XCTAssertTrue(message.contains("DATABASE_URL"))
            XCTAssertFalse(message.contains("secret"), "the password is never echoed")
        }
        XCTAssertEqual(DatabaseSettings.postgres(url: "postgres://a:b@h/d").redacted, "postgres://***@h/d")
    }
}
