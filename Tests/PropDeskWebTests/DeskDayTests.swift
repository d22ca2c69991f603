import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import XCTVapor
@testable import PropDeskWeb

/// The office's first day (issue 13) through the API and the pages on a real database:
/// inquiries answered at the desk, complaints that end only with a return visit, callbacks that
/// can be made, orders found by number and phone, a resident who sees only their own requests,
/// and administration in pages.
final class DeskDayTests: XCTestCase {
    func json(_ res: XCTHTTPResponse, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        guard let o = try res.json() as? [String: Any] else {
            XCTFail("not an object: \(res.status) \(res.text.prefix(300))", file: file, line: line)
            return [:]
        }
        return o
    }

    func create(_ app: Application, _ w: World, as user: String = "a.desk", unit: Int = 0, kind: String = "repair", text: String,
                phone: String? = nil) async throws -> [String: Any] {
        let extra = phone.map { #","contactPhone":"\#($0)""# } ?? ""
        let res = try await app.call(.POST, "/api/v1/communities/\(w.a.community.id)/orders", as: user, in: w,
                                     json: #"{"kind":"\#(kind)","channel":"hotline","unitId":"\#(w.a.units[unit].id)","description":"\#(text)"\#(extra)}"#)
        XCTAssertEqual(res.status, .created, res.text)
        return try json(res)
    }

    func step(_ app: Application, _ w: World, _ id: Any?, _ path: String, as user: String, json body: String = "{}") async throws -> XCTHTTPResponse {
        try await app.call(.POST, "/api/v1/orders/\(id as! String)/\(path)", as: user, in: w, json: body)
    }

    func form(_ app: Application, _ path: String, as user: String, in w: World, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
    }

    func clockOf(_ order: [String: Any], _ kind: String) -> [String: Any]? {
        (order["clocks"] as? [[String: Any]])?.first { $0["kind"] as? String == kind }
    }

    // MARK: 1. Inquiries and complaints

    func testINT5_theDeskAnswersAnInquiryInOneStepAndItsClocksAreMet() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, kind: "inquiry", text: "物业费截止日期是哪天?")
            XCTAssertEqual(order["status"] as? String, "received")
            XCTAssertTrue((order["allowedActions"] as? [String] ?? []).contains("answer"))
            XCTAssertEqual((order["allowedActions"] as? [String])?.last, "cancel", "withdrawing is never the first choice")
            clock.advance(minutes: 3)
            let blank = try await step(app, w, order["id"], "answer", as: "a.desk", json: #"{"answer":"  "}"#)
            XCTAssertEqual(blank.status, .unprocessableEntity, "an empty answer changes nothing")
            let res = try await step(app, w, order["id"], "answer", as: "a.desk", json: #"{"answer":"每月 25 日前缴纳,可在前台或微信缴费"}"#)
            XCTAssertEqual(res.status, .ok, res.text)
            let answered = try json(res)
            XCTAssertEqual(answered["status"] as? String, "closed")
            XCTAssertEqual(answered["closeReason"] as? String, "answered")
            XCTAssertEqual(answered["outcome"] as? String, "每月 25 日前缴纳,可在前台或微信缴费")
            let response = try XCTUnwrap(clockOf(answered, "response"))
            XCTAssertEqual(response["met"] as? Bool, true)
            XCTAssertNotNil(response["stoppedAt"])
            // At the intake screen: registered and closed in one form.
            let key = UUID().uuidString
            let fields = [("kind", "inquiry"), ("channel", "hotline"), ("unitId", w.a.units[0].id.uuidString), ("description", "快递柜在哪里?"),
                          ("answer", "在 1 栋大堂东侧"), ("idempotencyKey", key)]
            let one = try await form(app, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w, fields)
            XCTAssertEqual(one.status, .seeOther, one.text)
            let again = try await form(app, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w, fields)
            XCTAssertEqual(again.status, .seeOther, "a double click changes nothing more")
            let found = try await app.store.orders.list(community: w.a.community.id, filter: .init(unitID: w.a.units[0].id), page: try PageQuery(page: 1, per: 50))
                .items.map(\.order).filter { $0.description == "快递柜在哪里?" }
            XCTAssertEqual(found.map(\.status), [.closed])
            XCTAssertEqual(found.first?.outcome, "在 1 栋大堂东侧")
            let wrongKind = try await form(app, "/c/\(w.a.community.id)/intake", as: "a.desk", in: w,
                                           [("kind", "repair"), ("channel", "hotline"), ("unitId", w.a.units[0].id.uuidString), ("description", "灯不亮"),
                                            ("answer", "已答复"), ("idempotencyKey", UUID().uuidString)])
            XCTAssertEqual(wrongKind.status, .unprocessableEntity, "a repair is not answered away")
            // A repair is not "answered": it needs someone to go there.
            let repair = try await create(app, w, text: "卧室灯不亮")
            let refused = try await step(app, w, repair["id"], "answer", as: "a.desk", json: #"{"answer":"已答复"}"#)
            XCTAssertEqual(refused.status, .conflict, refused.text)
            // An engineer cannot answer at the desk's place.
            let other = try await create(app, w, kind: "inquiry", text: "停车位怎么租?")
            let engineer = try await step(app, w, other["id"], "answer", as: "a.engineer", json: #"{"answer":"x"}"#)
            XCTAssertEqual(engineer.status, .forbidden)
        }
    }

    func testINT8_aComplaintEndsOnlyWithItsReplyAndReturnVisit() async throws {
        try await withWorld { app, w in
            let complaint = try await create(app, w, kind: "complaint", text: "楼下装修噪音每天早上七点就开始")
            // The desk cannot make it go away.
            let cancel = try await step(app, w, complaint["id"], "cancel", as: "a.desk", json: #"{"reason":"业户不再追究"}"#)
            XCTAssertEqual(cancel.status, .forbidden, cancel.text)
            // Nor can the manager, unless it was logged by mistake.
            let notMistake = try await step(app, w, complaint["id"], "cancel", as: "a.manager", json: #"{"reason":"业户不再追究"}"#)
            XCTAssertEqual(notMistake.status, .conflict, notMistake.text)
            XCTAssertTrue(notMistake.text.contains("回访") || notMistake.text.contains("return visit"), notMistake.text)
            // The owner investigates and answers the resident; the return visit follows.
            let blank = try await step(app, w, complaint["id"], "reply", as: "a.manager", json: #"{"opinion":"已核实","reply":" "}"#)
            XCTAssertEqual(blank.status, .unprocessableEntity)
            let reply = try await step(app, w, complaint["id"], "reply", as: "a.manager",
                                       json: #"{"opinion":"已约谈装修户,限定 8:00 后施工","reply":"已要求装修户 8 点后施工,并安排巡查"}"#)
            XCTAssertEqual(reply.status, .ok, reply.text)
            let replied = try json(reply)
            XCTAssertEqual(replied["status"] as? String, "visit_pending")
            XCTAssertEqual(replied["returnVisitRequired"] as? Bool, true)
            XCTAssertFalse((replied["allowedActions"] as? [String] ?? []).contains("cancel"), "no way round the return visit")
            let late = try await step(app, w, complaint["id"], "cancel", as: "a.manager", json: #"{"reason":"误登","loggedByMistake":true}"#)
            XCTAssertEqual(late.status, .conflict, "answered complaints are not withdrawn")
            let visit = try await step(app, w, complaint["id"], "return-visit", as: "a.desk", json: #"{"method":"phone","satisfied":true,"answer":"满意,已不吵了"}"#)
            XCTAssertEqual(visit.status, .ok, visit.text)
            let closed = try json(visit)
            XCTAssertEqual(closed["status"] as? String, "closed")
            XCTAssertEqual(closed["outcome"] as? String, "已要求装修户 8 点后施工,并安排巡查")
            // A complaint logged by mistake is withdrawn by the manager, with a reason.
            let mistake = try await create(app, w, kind: "complaint", text: "误选类型,其实是咨询")
            let withdrawn = try await step(app, w, mistake["id"], "cancel", as: "a.manager", json: #"{"reason":"前台误选投诉类型","loggedByMistake":true}"#)
            XCTAssertEqual(withdrawn.status, .ok, withdrawn.text)
            XCTAssertEqual(try json(withdrawn)["closeReason"] as? String, "logged_by_mistake")
        }
    }

    // MARK: 2. Callbacks

    func testINT7_theDeskRevealsTheNumberAuditedAndRecordsTheCallback() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, text: "卫生间水龙头一直滴水", phone: "13912345678")
            let engineer = w.accounts["a.engineer"]!.id
            _ = try await step(app, w, order["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            clock.advance(minutes: 21)
            _ = try await app.store.clocks.sweep()
            func openTasks() async throws -> [Alert] {
                try await app.store.alerts.alerts(community: w.a.community.id, visibleAreas: nil, openOnly: true, for: nil, limit: 50)
                    .filter { $0.kind == .callback && $0.subjectID.uuidString == order["id"] as? String }
            }
            let tasks = try await openTasks()
            XCTAssertEqual(tasks.count, 1)
            // The number is masked on the board; revealing it needs a purpose and is audited.
            let board = try await app.call(.GET, "/c/\(w.a.community.id)/board", as: "a.desk", in: w)
            XCTAssertTrue(board.text.contains("139****5678"), "masked on the board")
            XCTAssertFalse(board.text.contains("13912345678"))
            XCTAssertTrue(board.text.contains(Routes.revealPhone(UUID(uuidString: order["id"] as! String)!)))
            let noPurpose = try await step(app, w, order["id"], "reveal-phone", as: "a.desk", json: #"{"purpose":" "}"#)
            XCTAssertEqual(noPurpose.status, .unprocessableEntity)
            let revealed = try await step(app, w, order["id"], "reveal-phone", as: "a.desk", json: #"{"purpose":"回电解释维修人员未到原因"}"#)
            XCTAssertEqual(revealed.status, .ok, revealed.text)
            XCTAssertEqual(try json(revealed)["phone"] as? String, "13912345678")
            let audit = try await app.store.audit.entries(entityID: UUID(uuidString: order["id"] as! String)!, limit: 50).filter { $0.action == .reveal }
            XCTAssertEqual(audit.count, 1)
            XCTAssertTrue((audit.first?.after ?? "").contains("回电解释维修人员未到原因"))
            let finance = try await step(app, w, order["id"], "reveal-phone", as: "a.finance", json: #"{"purpose":"x"}"#)
            XCTAssertEqual(finance.status, .forbidden, "finance may not reveal phones")
            // Nobody answered: the task stays for another try, and the try is on the timeline.
            let none = try await step(app, w, order["id"], "call-back", as: "a.desk", json: #"{"outcome":"no_answer"}"#)
            XCTAssertEqual(none.status, .ok, none.text)
            let stillOpen = try await openTasks()
            XCTAssertEqual(stillOpen.count, 1)
            // Reached: the task is done, with what was heard.
            let page = try await form(app, "/orders/\(order["id"] as! String)/step/call-back", as: "a.desk", in: w,
                                      [("outcome", "reached"), ("note", "已解释,师傅 10 分钟内到"), ("back", "/c/\(w.a.community.id)/board")])
            XCTAssertEqual(page.status, .seeOther)
            let afterCall = try await openTasks()
            XCTAssertEqual(afterCall.count, 0)
            let detail = try json(try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "a.desk", in: w))
            let calls = (detail["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "called_back" }
            XCTAssertEqual(calls.map { ($0["data"] as? [String: String])?["outcome"] }, ["no_answer", "reached"])
            XCTAssertEqual(calls.last?["note"] as? String, "已解释,师傅 10 分钟内到")
            // The resident never sees what the desk heard.
            let mine = try json(try await app.call(.GET, "/api/v1/orders/\(order["id"] as! String)", as: "13800001000", in: w))
            XCTAssertFalse((mine["timeline"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "called_back" })
        }
    }

    func testINT7_aCallbackTaskAgesOutOnceTheEngineerIsThere() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await create(app, w, text: "厨房下水道堵了")
            let engineer = w.accounts["a.engineer"]!.id
            _ = try await step(app, w, order["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            clock.advance(minutes: 21)
            let swept = try await app.store.clocks.sweep()
            let open = try await app.store.alerts.alerts(community: w.a.community.id, visibleAreas: nil, openOnly: true, for: nil, limit: 50).filter { $0.kind == .callback }
            XCTAssertEqual(open.count, 1)
            // The sweep says how many of its alerts are callback tasks (the demo's desk looks only then).
            XCTAssertEqual(swept.callbacks, 1)
            XCTAssertGreaterThanOrEqual(swept.alerts, swept.callbacks)
            clock.advance(minutes: 1)
            let quiet = try await app.store.clocks.sweep()
            XCTAssertEqual(quiet.callbacks, 0)
            let checkIn = try await step(app, w, order["id"], "check-in", as: "a.engineer")
            XCTAssertEqual(checkIn.status, .ok, checkIn.text)
            let after = try await app.store.alerts.alerts(community: w.a.community.id, visibleAreas: nil, openOnly: true, for: nil, limit: 50).filter { $0.kind == .callback }
            XCTAssertEqual(after.count, 0, "nobody should ring to explain a delay that is over")
            let board = try await app.call(.GET, "/c/\(w.a.community.id)/board", as: "a.desk", in: w)
            XCTAssertFalse(board.text.contains("callback-task"))
        }
    }

    // MARK: 5. Finding things

    func testINT3_ordersAreFoundByNumberPhoneDigitsAndDates() async throws {
        try await withWorld { app, w in
            let a = try await create(app, w, text: "阳台推拉门卡住", phone: "13655550123")
            _ = try await create(app, w, unit: 2, text: "卧室灯不亮", phone: "13700009999")
            let number = a["number"] as! String
            func find(_ query: String, as user: String = "a.desk") async throws -> [String] {
                let res = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/orders?\(query)", as: user, in: w)
                XCTAssertEqual(res.status, .ok, res.text)
                return (try json(res)["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            }
            let byNumber = try await find("q=\(number)")
            XCTAssertEqual(byNumber, [number])
            let lower = try await find("q=\(number.lowercased())")
            XCTAssertEqual(lower, [number])
            let digits = try await find("q=0123")
            XCTAssertEqual(digits, [number])
            let words = try await find("q=\("推拉门".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            XCTAssertEqual(words, [number])
            let none = try await find("q=\(number.dropLast())9")
            XCTAssertTrue(none.isEmpty || !none.contains(number))
            // An area supervisor finds only their areas' orders (unit 2 lies in the other area).
            let supervisor = try await find("q=9999", as: "a.supervisor")
            XCTAssertTrue(supervisor.isEmpty)
            let bad = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/orders?from=2026-11-30&to=2026-11-01", as: "a.desk", in: w)
            XCTAssertEqual(bad.status, .unprocessableEntity, bad.text)
            // The search page and the intake box find it too.
            let page = try await app.call(.GET, "/c/\(w.a.community.id)/orders?q=0123", as: "a.desk", in: w)
            XCTAssertTrue(page.text.contains(number), "the search page lists it")
            let intake = try await app.call(.GET, "/c/\(w.a.community.id)/intake/search?q=\(number)", as: "a.desk", in: w)
            XCTAssertTrue(intake.text.contains("data-href=\"/orders/\(a["id"] as! String)\""), intake.text)
            let history = try await app.call(.GET, "/units/\(w.a.units[0].id)/history", as: "a.desk", in: w)
            XCTAssertEqual(history.status, .ok)
            XCTAssertTrue(history.text.contains(number))
            let foreign = try await app.call(.GET, "/units/\(w.b.units[0].id)/history", as: "a.desk", in: w)
            XCTAssertEqual(foreign.status, .notFound)
        }
    }

    func testSEC2_eachRoleLandsOnItsWorkAndDeepLinksKeepTheirQuery() async throws {
        try await withWorld { app, w in
            let desk = try await app.call(.GET, "/", as: "a.desk", in: w)
            XCTAssertEqual(desk.headers.first(name: .location), "/c/\(w.a.community.id)/intake")
            let supervisor = try await app.call(.GET, "/", as: "a.supervisor", in: w)
            XCTAssertEqual(supervisor.headers.first(name: .location), "/c/\(w.a.community.id)/dashboard")
            // The CS manager runs the day's dispatching: the live board; the center head the month (REP-1).
            let manager = try await app.call(.GET, "/", as: "a.manager", in: w)
            XCTAssertEqual(manager.headers.first(name: .location), "/c/\(w.a.community.id)/board")
            let head = try await app.call(.GET, "/", as: "a.head", in: w)
            XCTAssertEqual(head.headers.first(name: .location), "/c/\(w.a.community.id)/dashboard")
            let admin = try await app.call(.GET, "/", as: "admin", in: w)
            XCTAssertEqual(admin.headers.first(name: .location), "/admin")
            let stranger = try await app.sendRequest(.GET, "/c/\(w.a.community.id)/orders?q=0123&kind=repair", headers: ["Accept": "text/html"])
            let location = try XCTUnwrap(stranger.headers.first(name: .location))
            XCTAssertTrue(location.hasPrefix("/login?next="), location)
            XCTAssertEqual(location.dropFirst("/login?next=".count).removingPercentEncoding, "/c/\(w.a.community.id)/orders?q=0123&kind=repair")
        }
    }

    // MARK: 7. The resident sees only what is theirs

    func testSEC2_INT14_aResidentReportsACommonAreaAndNeverSeesInternalOrOthersOrders() async throws {
        try await withWorld { app, w in
            let building = w.a.buildings[0].id
            let report = try await form(app, "/portal/report", as: "13800001000", in: w, [
                ("unitId", "building:\(building.uuidString)"), ("kind", "repair"), ("location", "3楼走廊"), ("description", "走廊灯不亮"),
                ("idempotencyKey", UUID().uuidString),
            ])
            XCTAssertEqual(report.status, .seeOther, report.text)
            let other = try await form(app, "/portal/report", as: "13800001000", in: w, [
                ("unitId", "building:\(w.a.buildings[1].id.uuidString)"), ("kind", "repair"), ("location", "大堂"), ("description", "灯不亮"),
                ("idempotencyKey", UUID().uuidString),
            ])
            XCTAssertEqual(other.status, .unprocessableEntity, "not a building the resident lives in")
            let mine = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/orders", as: "13800001000", in: w)
            let items = try json(mine)["items"] as? [[String: Any]] ?? []
            let corridor = try XCTUnwrap(items.first { $0["description"] as? String == "走廊灯不亮" })
            XCTAssertNil(corridor["unitId"])
            XCTAssertEqual(corridor["buildingId"] as? String, building.uuidString)
            // A neighbour's common-area report and the center's internal complaint stay out of sight.
            let neighbour = try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, buildingID: building,
                location: "电梯厅", requesterID: w.a.people[1].person.id, description: "电梯按钮坏了"), by: .console("test")).order
            let rated = try await create(app, w, text: "马桶水箱漏水")
            let engineer = w.accounts["a.engineer"]!.id
            _ = try await step(app, w, rated["id"], "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            _ = try await step(app, w, rated["id"], "check-in", as: "a.engineer")
            _ = try await step(app, w, rated["id"], "complete", as: "a.engineer", json: #"{"note":"换了进水阀"}"#)
            let signed = try await step(app, w, rated["id"], "sign-off", as: "13800001000", json: #"{"rating":1,"comment":"还是漏"}"#)
            XCTAssertEqual(signed.status, .ok, signed.text)
            let internalID = try XCTUnwrap(try json(signed)["complaintId"] as? String)
            let list = try json(try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/orders?per=100", as: "13800001000", in: w))["items"] as? [[String: Any]] ?? []
            let ids = Set(list.compactMap { $0["id"] as? String })
            XCTAssertFalse(ids.contains(internalID), "the internal complaint is the center's")
            XCTAssertFalse(ids.contains(neighbour.id.uuidString), "another household's report")
            XCTAssertTrue(ids.contains(rated["id"] as! String))
            let direct = try await app.call(.GET, "/api/v1/orders/\(internalID)", as: "13800001000", in: w)
            XCTAssertEqual(direct.status, .notFound)
            let page = try await app.call(.GET, "/portal", as: "13800001000", in: w)
            XCTAssertFalse(page.text.contains("业户不满意"))
            // The order page says what happens next, without the center's clock table.
            let orderPage = try await app.call(.GET, "/orders/\(corridor["id"] as! String)", as: "13800001000", in: w)
            XCTAssertTrue(orderPage.text.contains("id=\"next-step\""))
            XCTAssertFalse(orderPage.text.contains("id=\"clocks\""))
            XCTAssertFalse(orderPage.text.contains("do-cancel\"") && orderPage.text.range(of: "do-cancel")!.lowerBound < orderPage.text.range(of: "timeline")!.lowerBound
                           && !orderPage.text.contains("<details class=\"withdraw\""), "withdrawing is tucked away")
        }
    }

    func testINT14_SEC1_aResidentWhoForgotThePasswordGetsAOneTimeCodeFromTheDesk() async throws {
        try await withWorld { app, w in
            let person = w.a.people[0].person.id
            let history = try await app.call(.GET, "/units/\(w.a.units[0].id)/history", as: "a.desk", in: w)
            XCTAssertTrue(history.text.contains(Routes.oneTimeCode(person)), "the desk finds the button by the unit")
            let issued = try await form(app, Routes.oneTimeCode(person), as: "a.desk", in: w, [])
            XCTAssertEqual(issued.status, .ok, issued.text)
            let marker = "data-code=\""
            let code = String(try XCTUnwrap(issued.text.components(separatedBy: marker).dropFirst().first).prefix(10))
            XCTAssertEqual(code.count, 10)
            let noCode = try await form(app, Routes.oneTimeCode(w.a.people[1].person.id), as: "a.desk", in: w, [])
            XCTAssertEqual(noCode.status, .conflict, "no portal account, no code")
            let engineer = try await form(app, Routes.oneTimeCode(person), as: "a.engineer", in: w, [])
            XCTAssertEqual(engineer.status, .forbidden)
            // The old password is gone; the code signs in, but only to set a new password.
            var h = HTTPHeaders()
            h.replaceOrAdd(name: .accept, value: "text/html")
            h.contentType = .urlEncodedForm
            let old = try await app.sendRequest(.POST, "/login", headers: h, body: ByteBuffer(string: "username=13800001000&password=\(World.password)"))
            XCTAssertEqual(old.status, .unauthorized)
            let signed = try await app.sendRequest(.POST, "/login", headers: h, body: ByteBuffer(string: "username=13800001000&password=\(code)&next=/portal"))
            XCTAssertEqual(signed.headers.first(name: .location), "/password")
            var session = h
            session.cookie = ["propdesk-session": try XCTUnwrap(signed.headers.setCookie?["propdesk-session"])]
            let portal = try await app.sendRequest(.GET, "/portal", headers: session)
            XCTAssertEqual(portal.headers.first(name: .location), "/password", "nothing else until a new password is set")
            let page = try await app.sendRequest(.GET, "/password", headers: session)
            let token = try XCTUnwrap(HardeningTests.formToken(in: page.text))
            let mismatch = try await app.sendRequest(.POST, "/password", headers: session, body: ByteBuffer(string: "_csrf=\(token)&password=a-new-long-password&again=other-password"))
            XCTAssertEqual(mismatch.status, .unprocessableEntity)
            let set = try await app.sendRequest(.POST, "/password", headers: session, body: ByteBuffer(string: "_csrf=\(token)&password=a-new-long-password&again=a-new-long-password"))
            XCTAssertEqual(set.status, .seeOther)
            let now = try await app.sendRequest(.GET, "/portal", headers: session)
            XCTAssertEqual(now.status, .ok)
            let reuse = try await app.sendRequest(.POST, "/login", headers: h, body: ByteBuffer(string: "username=13800001000&password=\(code)"))
            XCTAssertEqual(reuse.status, .unauthorized, "the code works once")
        }
    }

    // MARK: 8. Sign-off on the engineer's phone

    func testINT11_theResidentSignsOnTheEngineersPhoneWithOneChoice() async throws {
        try await withWorld { app, w in
            let order = try await create(app, w, text: "卫生间灯不亮")
            let id = order["id"] as! String
            let engineer = w.accounts["a.engineer"]!.id
            _ = try await step(app, w, id, "dispatch", as: "a.desk", json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            _ = try await step(app, w, id, "check-in", as: "a.engineer")
            _ = try await step(app, w, id, "complete", as: "a.engineer", json: #"{"note":"换了灯泡"}"#)
            let page = try await app.call(.GET, "/orders/\(id)", as: "a.engineer", in: w)
            XCTAssertEqual(page.text.components(separatedBy: "class=\"stars-input\"").count - 1, 1, "one group of stars")
            XCTAssertTrue(page.text.contains("id=\"handover-pad\""))
            let unsigned = try await form(app, "/orders/\(id)/step/handover", as: "a.engineer", in: w, [("verdict", "accept"), ("rating", "5"), ("signature", "")])
            XCTAssertEqual(unsigned.status, .seeOther)
            let still = try await app.store.orders.order(UUID(uuidString: id)!)
            XCTAssertEqual(still?.status, .completed, "no signature, no sign-off")
            let png = "data:image/png;base64," + Data(PagesTests.png).base64EncodedString()
            let res = try await form(app, "/orders/\(id)/step/handover", as: "a.engineer", in: w,
                                     [("verdict", "accept"), ("rating", "4"), ("comment", "很快"), ("signedBy", "王建国"), ("signature", png)])
            XCTAssertEqual(res.status, .seeOther)
            let after = try await app.store.orders.order(UUID(uuidString: id)!)
            XCTAssertEqual(after?.rating, 4)
            XCTAssertTrue([.closed, .visitPending].contains(after?.status))
            let evidence = try await app.store.evidence.list(.workOrder, UUID(uuidString: id)!)
            XCTAssertEqual(evidence.filter { $0.kind == .signature }.map(\.signedBy), ["王建国"])
            let shown = try await app.call(.GET, "/orders/\(id)", as: "a.desk", in: w)
            let timeline = shown.text.components(separatedBy: "id=\"timeline\"").last ?? ""
            XCTAssertTrue(timeline.contains("业户本人签字(在 a.engineer 的手机上)"), "signed by the resident on the engineer's device: \(timeline.prefix(1500))")
        }
    }

    // MARK: 6. Administration in pages

    func testSEC4_theAdministratorManagesAccountsInPagesAndTheLastAdminStays() async throws {
        try await withWorld { app, w in
            let create = try await form(app, "/admin/accounts", as: "admin", in: w, [
                ("username", "a.desk2"), ("displayName", "前台小李"), ("role", "front_desk"), ("scope[]", w.a.community.id.uuidString), ("password", "a-long-password-1"),
            ])
            XCTAssertEqual(create.status, .seeOther)
            let made = try await app.store.accounts.accounts(community: w.a.community.id).first { $0.username == "a.desk2" }
            let account = try XCTUnwrap(made)
            XCTAssertEqual(account.role, .frontDesk)
            let deactivate = try await form(app, "/admin/accounts/\(account.id)/active", as: "admin", in: w, [("active", "false")])
            XCTAssertEqual(deactivate.status, .seeOther)
            let off = try await app.store.accounts.account(account.id)
            XCTAssertEqual(off?.active, false)
            // The only administrator cannot deactivate or demote themselves.
            let me = w.accounts["admin"]!.id
            _ = try await form(app, "/admin/accounts/\(me)/active", as: "admin", in: w, [("active", "false")])
            let still = try await app.store.accounts.account(me)
            XCTAssertEqual(still?.active, true)
            await XCTAssertThrowsErrorAsync(try await app.store.accounts.update(me, .init(role: .centerHead, scopes: [Scope(communityID: w.a.community.id)]), by: .console("t")))
            let audit = try await app.store.audit.entries(entityID: account.id, limit: 50).filter { $0.action == .update }
            XCTAssertTrue(audit.contains { ($0.before ?? "").contains("\"active\":true") && ($0.after ?? "").contains("\"active\":false") }, "before and after")
            let desk = try await app.call(.GET, "/admin/accounts", as: "a.desk", in: w)
            XCTAssertEqual(desk.status, .forbidden)
        }
    }

    func testREG1_REG3_theRegistryIsKeptInPagesWithItsValidation() async throws {
        try await withWorld { app, w in
            let made = try await form(app, Routes.adminCommunities, as: "admin", in: w, [("code", "NEW"), ("name", "新城花园"), ("address", "新城路 1 号")])
            XCTAssertEqual(made.status, .seeOther)
            let created = try await app.store.registry.communityList(visible: nil).first { $0.code == "NEW" }
            XCTAssertNotNil(created)
            let denied = try await form(app, Routes.adminCommunities, as: "a.head", in: w, [("code", "NOPE"), ("name", "不行")])
            XCTAssertEqual(denied.status, .forbidden)
            let base = Routes.adminRegistry(w.a.community.id)
            _ = try await form(app, "\(base)/areas", as: "a.manager", in: w, [("name", "北区")])
            let areas = try await app.store.registry.areas(community: w.a.community.id)
            XCTAssertTrue(areas.contains { $0.name == "北区" })
            _ = try await form(app, "\(base)/buildings", as: "a.manager", in: w, [("name", "9栋"), ("floors", "0")])
            let noBuilding = try await app.store.registry.buildings(community: w.a.community.id).contains { $0.name == "9栋" }
            XCTAssertFalse(noBuilding, "a building with no floors is refused")
            _ = try await form(app, "\(base)/buildings", as: "a.manager", in: w, [("name", "9栋"), ("floors", "18")])
            let buildings = try await app.store.registry.buildings(community: w.a.community.id)
            let nine = try XCTUnwrap(buildings.first { $0.name == "9栋" })
            _ = try await form(app, "\(base)/units", as: "a.manager", in: w, [("buildingId", nine.id.uuidString), ("room", "0801"), ("floor", "8"), ("floorArea", "96.5"), ("kind", "residential")])
            let units = try await app.store.registry.units(community: w.a.community.id, areas: nil, building: nine.id, page: try PageQuery(page: 1, per: 10))
            XCTAssertEqual(units.items.map(\.unit.roomNumber), ["0801"])
            _ = try await form(app, "\(base)/people", as: "a.desk", in: w, [("name", "周敏"), ("phone", "13712345678"), ("buildingId", nine.id.uuidString), ("room", "0801"), ("relation", "owner")])
            let detail = try await app.store.registry.unit(units.items[0].unit.id)
            XCTAssertEqual(detail?.occupants.map(\.person.name), ["周敏"])
            _ = try await form(app, "\(base)/people", as: "a.desk", in: w, [("name", "错号"), ("phone", "123"), ("buildingId", nine.id.uuidString), ("room", "0801"), ("relation", "owner")])
            let again = try await app.store.registry.unit(units.items[0].unit.id)
            XCTAssertEqual(again?.occupants.count, 1, "a bad phone number changes nothing")
            let engineer = try await app.call(.GET, base, as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
        }
    }

    func testINT10_INT15_theManagerKeepsThePriceListAndDispatchRulesInPages() async throws {
        try await withWorld { app, w in
            let base = Routes.adminServices(w.a.community.id)
            let added = try await form(app, "\(base)/items", as: "a.manager", in: w, [("code", "KS-01"), ("nameZh", "疏通下水道"), ("unitZh", "次"), ("price", "80.50")])
            XCTAssertEqual(added.status, .seeOther)
            let active = try await app.store.orders.catalogue(community: w.a.community.id, activeOnly: true)
            let item = try XCTUnwrap(active.first { $0.code == "KS-01" })
            XCTAssertEqual(item.price, 8050, "money in integer fen")
            _ = try await form(app, "\(base)/items", as: "a.manager", in: w, [("code", "KS-02"), ("nameZh", "坏价"), ("unitZh", "次"), ("price", "8.505")])
            let none = try await app.store.orders.catalogue(community: w.a.community.id, activeOnly: false).filter { $0.code == "KS-02" }
            XCTAssertTrue(none.isEmpty, "three decimals of a yuan are refused")
            _ = try await form(app, "\(base)/items/\(item.id)", as: "a.manager", in: w, [("active", "false")])
            let listed = try await app.store.orders.catalogue(community: w.a.community.id, activeOnly: true).map(\.code)
            XCTAssertFalse(listed.contains("KS-01"), "taken off the public list")
            let engineer = w.accounts["a.engineer"]!.id
            let rule = try await form(app, "\(base)/rules", as: "a.manager", in: w, [("name", "水电班"), ("category", "water"), ("member[]", engineer.uuidString)])
            XCTAssertEqual(rule.status, .seeOther)
            let rules = try await app.store.orders.rules(community: w.a.community.id)
            XCTAssertEqual(rules.map(\.name), ["水电班"])
            // A rule dispatches the next water repair; the order page names no rule and no account.
            let byRule = try await create(app, w, text: "厨房水龙头漏水")
            XCTAssertEqual(byRule["assigneeName"] as? String, "a.engineer")
            let shown = try await app.call(.GET, "/orders/\(byRule["id"] as! String)", as: "a.desk", in: w)
            let timeline = shown.text.components(separatedBy: "id=\"timeline\"").last ?? ""
            XCTAssertTrue(timeline.contains("自动派工"), String(timeline.prefix(800)))
            XCTAssertFalse(timeline.contains("水电班") || timeline.contains("PropDesk") || timeline.contains("(a.desk)"))
            let page = try await app.call(.GET, base, as: "a.manager", in: w)
            XCTAssertTrue(page.text.contains("疏通下水道") && page.text.contains("水电班"), "\(page.status) \(page.headers) \(page.text.prefix(500))")
            _ = try await form(app, "\(base)/rules/\(rules[0].id)/remove", as: "a.manager", in: w, [])
            let after = try await app.store.orders.rules(community: w.a.community.id)
            XCTAssertTrue(after.isEmpty)
            let desk = try await app.call(.GET, base, as: "a.desk", in: w)
            XCTAssertEqual(desk.status, .forbidden, "the desk reads prices, it does not set them")
        }
    }

    func testINT6_theAdministratorChangesTheArrivalTargetAndTheNextOrderUsesIt() async throws {
        try await withWorld { app, w in
            let page = try await app.call(.GET, "/admin/c/\(w.a.community.id)/contract", as: "admin", in: w)
            XCTAssertEqual(page.status, .ok)
            var fields: [(String, String)] = []
            let contract = try await app.store.orders.contract(community: w.a.community.id)
            for (i, t) in contract.targets.enumerated() {
                fields += [("t\(i).kind", t.kind?.rawValue ?? ""), ("t\(i).priority", t.priority?.rawValue ?? ""),
                           ("t\(i).response", t.response.map { String($0 / 60) } ?? ""),
                           ("t\(i).arrival", (t.kind == .repair && t.priority == nil) || (t.kind == nil && t.priority == .normal) ? "90" : t.arrival.map { String($0 / 60) } ?? ""),
                           ("t\(i).completion", t.completion.map { String($0 / 60) } ?? "")]
                if t.serviceHoursOnly { fields.append(("t\(i).hoursOnly", "1")) }
            }
            fields += [("rows", String(contract.targets.count)), ("opens", "08:30"), ("closes", "18:00"), ("callbackAfter", "20"), ("autoCloseDays", "7"),
                       ("returnVisitPercent", "10"), ("dissatisfiedAtOrBelow", "2"), ("keywords", "化粪池满溢,water")]
            fields += (1...7).map { ("weekday[]", String($0)) }
            let before = try await create(app, w, text: "卧室灯不亮")
            let save = try await form(app, "/admin/c/\(w.a.community.id)/contract", as: "admin", in: w, fields)
            XCTAssertEqual(save.status, .seeOther)
            let stored = try await app.store.orders.contract(community: w.a.community.id)
            let shown = try await app.call(.GET, "/admin/c/\(w.a.community.id)/contract", as: "admin", in: w)
            XCTAssertEqual(stored.emergencyKeywords.map(\.text), ["化粪池满溢"], String(shown.text.components(separatedBy: "role=\"alert\"").dropFirst().first?.prefix(300) ?? ""))
            let after = try await create(app, w, text: "卧室灯不亮了")
            let was = try XCTUnwrap(clockOf(before, "arrival")?["targetSeconds"] as? Int)
            let now = try XCTUnwrap(clockOf(after, "arrival")?["targetSeconds"] as? Int)
            XCTAssertEqual(now, 90 * 60, "the next order uses the new target (was \(was))")
            let emergency = try await create(app, w, text: "楼下化粪池满溢了")
            XCTAssertEqual(emergency["priority"] as? String, "emergency")
            // A contract that breaks the standard is refused and changes nothing.
            var bad = fields.filter { !$0.0.hasSuffix(".arrival") }
            bad += contract.targets.indices.map { ("t\($0).arrival", "60") }
            _ = try await form(app, "/admin/c/\(w.a.community.id)/contract", as: "admin", in: w, bad)
            let unchanged = try await app.store.orders.contract(community: w.a.community.id)
            XCTAssertEqual(unchanged, stored)
            let desk = try await app.call(.GET, "/admin/c/\(w.a.community.id)/contract", as: "a.desk", in: w)
            XCTAssertEqual(desk.status, .forbidden)
        }
    }
}

func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch {}
}
