import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import XCTVapor
@testable import PropDeskWeb

/// RUN-3 demo, SEC-6 backup and restore, on whichever database the suite runs on.
final class OperationsTests: XCTestCase {
    func testDemoLoadsARealisticServiceCenterThatStaffCanUseEvenAfterAnInterruptedLoad_RUN3() async throws {
        let app = try await TestApp.make()
        do {
            let demo = DemoData.make()
            // An earlier load was cut off during its playback: its marker and a half-written
            // community are still there. `serve --demo` recognises it and loads the demo again.
            try await app.store.setSetting(DemoCommand.loadingKey, "loading")
            _ = try await app.store.registry.createCommunity(Community(code: "HALF", name: "半途"), by: .console("test"))
            try await DemoCommand.fillIfEmpty(app, console: Terminal(), days: 3)
            let marker = try await app.store.setting(DemoCommand.loadingKey)
            XCTAssertEqual(marker, "loaded")
            let credentials = try String(contentsOfFile: DemoCommand.credentialsPath(app), encoding: .utf8)
            XCTAssertTrue(credentials.contains("chhy.desk1"))
            let summaries = try await app.store.registry.communities(visible: nil)
            XCTAssertEqual(summaries.count, 2)
            XCTAssertEqual(summaries.map(\.units).reduce(0, +), demo.units.count)
            XCTAssertEqual(summaries.map(\.people).reduce(0, +), demo.residents.count)
            let desk = try XCTUnwrap(demo.staff.first { $0.account.username == "chhy.desk1" })
            let principal = try await app.store.accounts.principal(userID: desk.account.id)
            XCTAssertEqual(principal?.role, .frontDesk)
            let someone = try XCTUnwrap(demo.residents.first { $0.person.kind == .individual })
            let hits = try await app.store.registry.search(community: someone.person.communityID, areas: nil, query: String(someone.person.phone.suffix(6)))
            XCTAssertTrue(hits.contains { $0.personID == someone.person.id })
            await XCTAssertThrowsErrorAsync(try await DemoLoader(store: app.store).load(demo, passwordHash: "x"), "a second load is refused")
            // A few days of history were played through the real machine and sweeper.
            var kinds: Set<RequestKind> = []
            var statuses: Set<OrderStatus> = []
            for c in summaries {
                let page = try await app.store.orders.list(community: c.community.id, filter: .init(), page: try PageQuery(page: 1, per: 100))
                kinds.formUnion(page.items.map(\.order.kind))
                statuses.formUnion(page.items.map(\.order.status))
                for v in page.items.prefix(5) {
                    let d = try await app.store.orders.detail(v.order.id)!
                    XCTAssertEqual(d.events.first?.kind, .created)
                    XCTAssertEqual(d.events.map(\.seq), Array(1...d.events.count))
                }
            }
            XCTAssertGreaterThan(kinds.count, 3, "\(kinds)")
            XCTAssertTrue(statuses.contains(.closed), "\(statuses)")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    func testBackupThenRestoreIntoAnEmptyDatabaseGivesIdenticalRowCounts_SEC6() async throws {
        let file = NSTemporaryDirectory() + "propdesk-backup-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var original: [String: Int] = [:]
        var sampleID: UUID?
        try await withWorld { app, w in
            _ = try await app.call(.PATCH, "/api/v1/units/\(w.a.units[0].id)", as: "a.manager", in: w, json: #"{"floorArea":"77.70"}"#)
            original = try await app.store.backup.write(to: file, at: Date())
            sampleID = w.a.people[0].person.id
            XCTAssertGreaterThan(original["units"] ?? 0, 0)
            await XCTAssertThrowsErrorAsync(try await app.store.backup.restore(from: file), "restore refuses a database that has data")
        }
        let fresh = try await TestApp.make()
        do {
            let restored = try await fresh.store.backup.restore(from: file)
            XCTAssertEqual(restored, original)
            let counts = try await fresh.store.backup.counts()
            XCTAssertEqual(counts, original)
            let person = try await fresh.store.registry.person(try XCTUnwrap(sampleID))
            XCTAssertEqual(person?.person.name, "王建国")
            let revealed = try await fresh.store.registry.reveal(person: try XCTUnwrap(sampleID), phone: false, idNumber: true, by: .console("test"))
            XCTAssertEqual(revealed.idNumber, World.idNumber, "sealed values survive the round trip with the same key")
        } catch {
            try? await fresh.asyncShutdown()
            throw error
        }
        try await fresh.asyncShutdown()
    }
}

func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, _ message: String, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail(message, file: file, line: line)
    } catch {}
}
