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

/// INT-7, RUN-2: the live events' payload is written as JSON text directly (issue 19), and must
/// stay exactly what `JSONEncoder` wrote: the boards and any reader of stored events see no change.
final class LivePayloadTextTests: XCTestCase {
    func testINT7_theLivePayloadsTextIsTheEncodersTextForAnyString() throws {
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let awkward = ["", "CHHY-2612-00042", "漏水 \"紧急\" \\ 5/6 楼", controls, "emoji 🚰 and \u{2028}\u{2029} and \u{7F}", "tab\tnew\nline"]
        for (n, text) in awkward.enumerated() {
            let alert = LivePayload.AlertPart(id: UUID(), kind: "overdue", level: "manager", targetUserId: n % 2 == 0 ? UUID() : nil,
                                              message: text, messageEn: "late: " + text)
            let payload = LivePayload(type: "alert.raised", orderId: UUID(), number: text, status: "dispatched", priority: "emergency",
                                      kind: "repair", assigneeId: n % 3 == 0 ? nil : UUID(), unitId: n % 2 == 0 ? nil : UUID(),
                                      events: n == 0 ? [] : [text, "created"], alert: n == 1 ? nil : alert)
            XCTAssertEqual(payload.json, AuditEntry.snapshot(payload), "payload \(n)")
            let back = try JSONDecoder().decode(LivePayload.self, from: Data(payload.json.utf8))
            XCTAssertEqual(back.number, text)
            XCTAssertEqual(back.alert?.message, n == 1 ? nil : text)
        }
    }
}
