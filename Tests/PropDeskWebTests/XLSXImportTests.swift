import FluentKit
import Foundation
import PropDeskCore
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// Excel workbooks through the two import endpoints (REG-4, FEE-1): told apart from CSV by their
/// ZIP signature whatever the content type says, all or nothing, and idempotent like the CSV.
final class XLSXImportTests: XCTestCase {
    let xlsxType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    let csvType = HTTPMediaType(type: "text", subType: "csv")

    func testREG4_importFromXLSXThroughTheAPIThenAgainAsCSVTypeAndADamagedWorkbookWritesNothing() async throws {
        try await withWorld { app, w in
            let path = "/api/v1/communities/\(w.a.community.id)/import"
            let damaged = Array(XLSXFixtures.registry.prefix(XLSXFixtures.registry.count - 30))
            let before = try await app.store.backup.counts()
            let refused = try await app.call(.POST, path, as: "a.manager", in: w, language: "en", contentType: xlsxType, bytes: damaged)
            XCTAssertEqual(refused.status, .unprocessableEntity, refused.text)
            XCTAssertTrue(refused.text.contains("XLSX"), refused.text)
            let afterRefusal = try await app.store.backup.counts()
            XCTAssertEqual(before.filter { $0.key != "audit_entries" }, afterRefusal.filter { $0.key != "audit_entries" })

            let first = try await app.call(.POST, path, as: "a.manager", in: w, contentType: xlsxType, bytes: XLSXFixtures.registry)
            XCTAssertEqual(first.status, .ok, first.text)
            let report = try XCTUnwrap(try first.json() as? [String: Any])
            XCTAssertEqual(report["unitsCreated"] as? Int, 3)
            XCTAssertEqual(report["buildingsCreated"] as? Int, 2)
            XCTAssertEqual(report["peopleCreated"] as? Int, 2)
            XCTAssertEqual(report["linksCreated"] as? Int, 2)
            let search = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/search?q=%E6%9D%8E%E5%A8%9C", as: "a.desk", in: w)
            XCTAssertTrue(search.text.contains("3栋-1202"), "imported from the workbook: \(search.text)")

            // The same workbook sent as text/csv: recognised by its signature, and nothing new.
            let again = try await app.call(.POST, path, as: "a.manager", in: w, contentType: csvType, bytes: XLSXFixtures.registry)
            XCTAssertEqual(again.status, .ok, again.text)
            let second = try XCTUnwrap(try again.json() as? [String: Any])
            XCTAssertEqual(second["unitsCreated"] as? Int, 0)
            XCTAssertEqual(second["unitsUnchanged"] as? Int, 3)
            XCTAssertEqual(second["linksUnchanged"] as? Int, 2)
        }
    }

    func testFEE1_openingBalancesImportFromXLSXThroughTheAPIIsAllOrNothingAndImportsOnce() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id
            let path = "/api/v1/communities/\(c)/opening-balances"
            func bills() async throws -> Int { try await BillModel.query(on: app.db).filter(\.$communityID == c).count() }

            // The workbook cut short (as by a broken upload): refused, nothing written.
            let damaged = Array(XLSXFixtures.openingBalances.prefix(XLSXFixtures.openingBalances.count / 2))
            let refused = try await app.call(.POST, path, as: "a.finance", in: w, language: "en", contentType: xlsxType, bytes: damaged)
            XCTAssertEqual(refused.status, .unprocessableEntity, refused.text)
            var count = try await bills()
            XCTAssertEqual(count, 0)

            let first = try await app.call(.POST, path, as: "a.finance", in: w, contentType: xlsxType, bytes: XLSXFixtures.openingBalances)
            XCTAssertEqual(first.status, .ok, first.text)
            let report = try XCTUnwrap(try first.json() as? [String: Any])
            XCTAssertEqual(report["lines"] as? Int, 2)
            XCTAssertEqual(report["billsCreated"] as? Int, 13)
            XCTAssertEqual(report["total"] as? Int, 128_950)
            // 2栋 1201's line: ¥89.5 for the month written in Excel as a date cell formatted yyyy-mm.
            let unitBills = try await app.store.fees.bills(unit: w.a.units[2].id, community: w.a.community.id)
            XCTAssertEqual(unitBills.map(\.period), ["2025-07"])
            XCTAssertEqual(unitBills.map(\.amountFen), [8_950])

            // Again, with the GBK encoding named (ignored for a workbook): nothing new.
            let again = try await app.call(.POST, path + "?encoding=gbk", as: "a.finance", in: w, contentType: csvType, bytes: XLSXFixtures.openingBalances)
            XCTAssertEqual(again.status, .ok, again.text)
            XCTAssertEqual((try again.json() as? [String: Any])?["billsCreated"] as? Int, 0)
            XCTAssertEqual((try again.json() as? [String: Any])?["billsExisting"] as? Int, 13)
            count = try await bills()
            XCTAssertEqual(count, 13)
        }
    }
}
