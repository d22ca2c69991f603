import FluentKit
import Foundation
import PropDeskCore
import XCTVapor
@testable import PropDeskWeb

/// The console and portal pages (issue 4) on the real app and database: forms post to the same
/// order machine as the API, refusals change nothing, and every page answers only in scope.
final class PagesTests: XCTestCase {
    func form(_ app: Application, _ path: String, as user: String, in w: World, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
    }

    func multipart(_ app: Application, _ path: String, as user: String, in w: World, fields: [(String, String)], files: [[UInt8]]) async throws -> XCTHTTPResponse {
        let boundary = "propdesk-test-boundary"
        var body: [UInt8] = []
        for (k, v) in fields { body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8) }
        for (i, f) in files.enumerated() {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"photos[]\"; filename=\"p\(i).png\"\r\nContent-Type: image/png\r\n\r\n".utf8) + f + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await app.call(.POST, path, as: user, in: w, contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]), bytes: body)
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]

    func testINT3_SEC5_theIntakeFormRegistersOnceEvenWhenSubmittedTwice() async throws {
        try await withWorld { app, w in
            let page = try await app.call(.GET, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w)
            XCTAssertEqual(page.status, .ok)
            let key = try XCTUnwrap(page.text.range(of: #"name="idempotencyKey" value="([^"]+)""#, options: .regularExpression).map { String(page.text[$0]) })
                .replacingOccurrences(of: #"name="idempotencyKey" value=""#, with: "").dropLast()
            let fields = [("unitId", w.a.units[0].id.uuidString), ("requesterId", w.a.people[0].person.id.uuidString), ("kind", "repair"), ("channel", "hotline"),
                          ("priority", ""), ("description", "厨房水管爆裂"), ("idempotencyKey", String(key))]
            let before = try await app.store.orders.list(community: w.a.community.id, filter: .init(), page: try PageQuery(page: 1, per: 100)).total
            let first = try await form(app, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w, fields)
            let second = try await form(app, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w, fields)
            XCTAssertEqual(first.status, .seeOther)
            XCTAssertEqual(first.headers.first(name: .location), second.headers.first(name: .location), "a double click lands on the same order")
            let after = try await app.store.orders.list(community: w.a.community.id, filter: .init(), page: try PageQuery(page: 1, per: 100))
            XCTAssertEqual(after.total, before + 1)
            let order = after.items[0].order
            XCTAssertEqual(order.priority, .emergency, "INT-4: the dictionary decided, the desk left priority automatic")
            XCTAssertEqual(order.contactPhone, w.a.people[0].person.phone, "the caller's phone comes from the registry")
            let shown = try await app.call(.GET, try XCTUnwrap(first.headers.first(name: .location)), as: "a.desk", in: w)
            XCTAssertTrue(shown.text.contains(#"id="created-number">\#(order.number)<"#), "the order number is on screen")
        }
    }

    func testINT3_SEC5_aRefusedIntakeShowsTheErrorInTheUsersLanguageAndKeepsWhatWasTyped() async throws {
        try await withWorld { app, w in
            let before = try await app.store.backup.counts()
            let res = try await form(app, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w,
                                     [("kind", "repair"), ("channel", "hotline"), ("location", "3栋大堂"), ("description", "  "), ("idempotencyKey", UUID().uuidString)])
            XCTAssertEqual(res.status, .unprocessableEntity)
            XCTAssertTrue(res.text.contains(#"id="intake-error""#))
            XCTAssertTrue(res.text.contains("3栋大堂"), "what was typed is still there")
            let bad = try await form(app, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w, [("kind", "teleport"), ("description", "x")])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            let after = try await app.store.backup.counts()
            XCTAssertEqual(before["work_orders"], after["work_orders"], "nothing was registered")
            let outside = try await form(app, "/c/\(w.b.community.id)/intake", as: "a.desk", in: w, [("kind", "repair"), ("description", "x")])
            XCTAssertEqual(outside.status, .notFound, "SEC-2: not the desk's community")
        }
    }

    func testINT3_INT17_typeaheadAndUnitContextStayInScope() async throws {
        try await withWorld { app, w in
            let hits = try await app.call(.GET, "/c/\(w.a.community.id)/intake/search?q=1201", as: "a.supervisor", in: w)
            XCTAssertTrue(hits.text.contains("1栋-1201"))
            XCTAssertFalse(hits.text.contains("2栋-1201"), "an area supervisor finds only their area")
            let ctx = try await app.call(.GET, "/c/\(w.a.community.id)/intake/context?unit=\(w.a.units[0].id)", as: "a.desk", in: w)
            XCTAssertEqual(ctx.status, .ok)
            XCTAssertTrue(ctx.text.contains("unit-context"))
            let foreign = try await app.call(.GET, "/c/\(w.a.community.id)/intake/context?unit=\(w.b.units[0].id)", as: "a.desk", in: w)
            XCTAssertEqual(foreign.status, .notFound)
        }
    }

    func testINT5_aStepFormRunsTheMachineAndAnIllegalOneChangesNothing() async throws {
        try await withWorld { app, w in
            let o = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                                 description: "门锁坏了"), by: Actor(userID: nil, name: "test")).order
            let page = try await app.call(.GET, "/orders/\(o.id)", as: "a.desk", in: w)
            XCTAssertTrue(page.text.contains(#"id="step-dispatch""#), "the desk may dispatch a received order")
            XCTAssertFalse(page.text.contains(#"id="step-check-in""#), "…but not check in for the engineer")
            let engineer = try await app.call(.GET, "/orders/\(o.id)", as: "a.engineer", in: w)
            XCTAssertFalse(engineer.text.contains(#"id="step-dispatch""#))

            let illegal = try await form(app, "/orders/\(o.id)/step/check-in", as: "a.engineer", in: w, [("back", "/orders/\(o.id)")])
            XCTAssertEqual(illegal.status, .seeOther)
            let unchanged = try await app.store.orders.order(o.id)
            XCTAssertEqual(unchanged?.status, .received)
            XCTAssertEqual(unchanged?.version, o.version)

            let dispatched = try await form(app, "/orders/\(o.id)/step/dispatch", as: "a.desk", in: w,
                                            [("mode", "person"), ("assigneeId", w.accounts["a.engineer"]!.id.uuidString), ("back", "https://evil.example/")])
            XCTAssertEqual(dispatched.headers.first(name: .location), "/orders/\(o.id)", "SEC-5: never an open redirect")
            let after = try await app.store.orders.order(o.id)
            XCTAssertEqual(after?.status, .dispatched)
            XCTAssertEqual(after?.assigneeID, w.accounts["a.engineer"]!.id)
            let badMoney = try await form(app, "/orders/\(o.id)/step/price", as: "a.engineer", in: w, [("amount", "12.345")])
            XCTAssertEqual(badMoney.status, .seeOther)
            let stillNoPrice = try await app.store.orders.order(o.id)
            XCTAssertNil(stillNoPrice?.agreedPrice)
        }
    }

    func testINT11_photosAreCheckedKeptOnceAndShownOnlyInScope() async throws {
        try await withWorld { app, w in
            let o = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                                 description: "墙面渗水"), by: Actor(userID: nil, name: "test")).order
            let notImage = try await multipart(app, "/orders/\(o.id)/photos", as: "a.desk", in: w, fields: [("back", "/")], files: [Array("%PDF-1.7".utf8), Self.png])
            XCTAssertEqual(notImage.status, .seeOther)
            let none = try await app.store.photos.photos(order: o.id)
            XCTAssertTrue(none.isEmpty, "one bad file: nothing is kept")
            for _ in 0..<2 {
                _ = try await multipart(app, "/orders/\(o.id)/photos", as: "a.desk", in: w, fields: [("caption", "漏点")], files: [Self.png])
            }
            let kept = try await app.store.photos.photos(order: o.id)
            XCTAssertEqual(kept.count, 1, "the same picture twice is kept once")
            let mine = try await app.call(.GET, "/orders/\(o.id)/photos/\(kept[0].id)", as: "13800001000", in: w)
            XCTAssertEqual(mine.status, .ok, "the resident of the unit sees it")
            XCTAssertEqual(mine.headers.contentType, .png)
            XCTAssertEqual(Array(mine.body.readableBytesView), Self.png)
            let stranger = try await app.call(.GET, "/orders/\(o.id)/photos/\(kept[0].id)", as: "b.head", in: w)
            XCTAssertEqual(stranger.status, .notFound)
        }
    }

    func testINT14_aResidentReportsForTheirOwnUnitOnlyAndFollowsIt() async throws {
        try await withWorld { app, w in
            let foreign = try await form(app, "/portal/report", as: "13800001000", in: w,
                                         [("unitId", w.a.units[1].id.uuidString), ("kind", "repair"), ("description", "漏水"), ("idempotencyKey", UUID().uuidString)])
            XCTAssertEqual(foreign.status, .unprocessableEntity, "not the resident's unit")
            let res = try await multipart(app, "/portal/report", as: "13800001000", in: w,
                                          fields: [("unitId", w.a.units[0].id.uuidString), ("kind", "repair"), ("description", "卫生间天花板漏水"), ("idempotencyKey", UUID().uuidString)],
                                          files: [Self.png])
            XCTAssertEqual(res.status, .seeOther)
            let list = try await app.store.orders.list(community: w.a.community.id, filter: .init(unitID: w.a.units[0].id), page: try PageQuery(page: 1, per: 5))
            let o = list.items[0].order
            XCTAssertEqual(o.channel, .portal)
            XCTAssertEqual(o.requesterID, w.a.people[0].person.id)
            let photos = try await app.store.photos.photos(order: o.id)
            XCTAssertEqual(photos.count, 1)
            let portal = try await app.call(.GET, "/portal", as: "13800001000", in: w)
            XCTAssertTrue(portal.text.contains(o.number))
            let detail = try await app.call(.GET, "/orders/\(o.id)", as: "13800001000", in: w)
            XCTAssertTrue(detail.text.contains(#"id="timeline""#))
            XCTAssertFalse(detail.text.contains("print-dispatch"), "no staff forms for a resident")
            let board = try await app.call(.GET, "/c/\(w.a.community.id)/board", as: "13800001000", in: w)
            XCTAssertEqual(board.status, .forbidden)
        }
    }

    func testINT13_INT15_theBoardAndThePrintFormsShowTheOrders() async throws {
        try await withWorld { app, w in
            let o = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                                 description: "电梯异响"), by: Actor(userID: nil, name: "test")).order
            let board = try await app.call(.GET, "/c/\(w.a.community.id)/board", as: "a.manager", in: w)
            XCTAssertEqual(board.status, .ok)
            XCTAssertTrue(board.text.contains(#"data-order-number="\#(o.number)""#))
            XCTAssertTrue(board.text.contains("2栋今日停水检修"), "INT-16: the incident's caller script is on the board")
            let filtered = try await app.call(.GET, "/c/\(w.a.community.id)/board?kind=complaint", as: "a.manager", in: w)
            XCTAssertFalse(filtered.text.contains(#"data-order-number="\#(o.number)""#))
            let sheet = try await app.call(.GET, "/orders/\(o.id)/print/dispatch", as: "a.desk", in: w)
            XCTAssertTrue(sheet.text.contains("派工单 \(o.number)"))
            let feedback = try await app.call(.GET, "/orders/\(o.id)/print/feedback", as: "a.desk", in: w)
            XCTAssertTrue(feedback.text.contains("反馈单 \(o.number)"))
            let day = LocalTime(w.a.community.timeZone).format(o.createdAt, "yyyy-MM-dd")
            let register = try await app.call(.GET, "/c/\(w.a.community.id)/print/register?day=\(day)", as: "a.desk", in: w)
            XCTAssertTrue(register.text.contains(o.number))
            let residentSheet = try await app.call(.GET, "/orders/\(o.id)/print/dispatch", as: "13800001000", in: w)
            XCTAssertEqual(residentSheet.status, .forbidden)
        }
    }

    func testINT16_anIncidentIsAnnouncedFromTheBoardAndClosingItClosesItsCalls() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id
            let building = w.a.buildings[0].id
            let res = try await form(app, "/c/\(cid)/incidents", as: "a.manager", in: w,
                                     [("title", "1栋停电抢修"), ("category", "electricity"), ("buildingIds[]", building.uuidString), ("script", "1栋停电抢修中,预计一小时恢复。")])
            XCTAssertEqual(res.status, .seeOther)
            let open = try await app.store.orders.incidents(community: cid, openOnly: true)
            let incident = try XCTUnwrap(open.first { $0.title == "1栋停电抢修" })
            XCTAssertEqual(incident.buildingIDs, [building])
            let board = try await app.call(.GET, "/c/\(cid)/board", as: "a.desk", in: w)
            XCTAssertTrue(board.text.contains("1栋停电抢修中,预计一小时恢复。"), "the desk reads the script from the board")
            let call = try await app.store.orders.create(OrderDraft(communityID: cid, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                                    description: "家里停电了"), by: Actor(userID: nil, name: "test")).order
            XCTAssertEqual(call.incidentID, incident.id, "a matching call is linked, not dispatched again")
            let foreignBuilding = try await form(app, "/c/\(cid)/incidents", as: "a.manager", in: w,
                                                 [("title", "x"), ("category", "water"), ("buildingIds[]", w.b.buildings[0].id.uuidString), ("script", "x")])
            XCTAssertEqual(foreignBuilding.status, .seeOther)
            let count = try await app.store.orders.incidents(community: cid, openOnly: true).count
            XCTAssertEqual(count, 2, "SEC-2: a building of B is refused; the fixture's incident and the new one remain")
            let byEngineer = try await form(app, "/incidents/\(incident.id)/close", as: "a.engineer", in: w, [("note", "x")])
            XCTAssertEqual(byEngineer.status, .seeOther)
            let stillOpen = try await app.store.orders.incident(incident.id)
            XCTAssertNil(stillOpen?.closedAt, "an engineer may not close an incident")
            _ = try await form(app, "/incidents/\(incident.id)/close", as: "a.manager", in: w, [("note", "已恢复供电")])
            let closed = try await app.store.orders.incident(incident.id)
            XCTAssertNotNil(closed?.closedAt)
            let after = try await app.store.orders.order(call.id)
            XCTAssertEqual(after?.status, .closed, "closing the incident closes its calls")
        }
    }
}
