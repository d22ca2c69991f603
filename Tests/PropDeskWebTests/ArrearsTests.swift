import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// Arrears, the monthly lists, reminders, the collection rate and INT-17 (FEE-3, FEE-4, S2 4.5,
/// S4 篇4) on a real database. Bills are seeded as rows; payments, voids and credit notes go
/// through the store as the desk and finance make them.
final class ArrearsTests: XCTestCase {
    static func shanghai(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 10, _ min: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min))!
    }

    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    func to(_ clock: TestClock, _ date: Date) { clock.advance(minutes: date.timeIntervalSince(clock.now) / 60) }

    /// Fresh tokens after the clock has moved on by weeks (the world's expire).
    func renewed(_ app: Application, _ w: World, _ users: [String]) async throws -> World {
        var w = w
        for u in users { w.tokens[u] = try await app.store.accounts.issueToken(for: w.accounts[u]!.id).token }
        return w
    }

    func areaOf(_ app: Application, _ unit: PropertyUnit) async throws -> UUID? {
        try await app.store.registry.unit(unit.id)?.unit.areaID
    }

    func areaID(_ app: Application, _ unit: PropertyUnit) async throws -> UUID {
        guard let a = try await areaOf(app, unit) else { throw DomainError.notFound(Noun.area) }
        return a
    }

    @discardableResult
    func bill(_ app: Application, _ w: World, _ unit: PropertyUnit, _ period: String, _ fen: Int, item: String = "住宅物业服务费") async throws -> Bill {
        let b = Bill(communityID: unit.communityID, areaID: try await areaOf(app, unit), unitID: unit.id, itemID: nil, itemName: item, period: period,
                     origin: .opening, key: "test:\(unit.id.uuidString):\(period):\(item)", amountFen: fen, runID: nil, createdAt: app.propdesk.now())
        try await BillModel(b).create(on: app.db)
        return b
    }

    /// Months `from` … `from + n − 1` unpaid, 21,032 fen each.
    @discardableResult
    func unpaid(_ app: Application, _ w: World, _ unit: PropertyUnit, from: String, months n: Int) async throws -> Int {
        for i in 0..<n { try await bill(app, w, unit, FeeMonth.adding(i, to: from), 21_032) }
        return 21_032 * n
    }

    func object(_ res: XCTHTTPResponse, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        guard let o = try res.json() as? [String: Any] else {
            XCTFail("not an object: \(res.status) \(res.text.prefix(300))", file: file, line: line)
            return [:]
        }
        return o
    }

    // MARK: FEE-3

    func testFEE3_aUnitSevenMonthsInArrearsIsInTheLongTermReportAndOneFiveMonthsIsNot() async throws {
        let clock = TestClock(Self.shanghai(2026, 11, 5))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let area = try await areaID(app, w.a.units[0])
            let second = try await areaOf(app, w.a.units[1])
            XCTAssertEqual(second, area)
            let seven = try await unpaid(app, w, w.a.units[0], from: "2026-04", months: 7)
            let five = try await unpaid(app, w, w.a.units[1], from: "2026-06", months: 5)

            let rows = try await app.store.fees.arrears(community: cid, area: area)
            XCTAssertEqual(rows.map(\.unitID), [w.a.units[0].id, w.a.units[1].id], "biggest first")
            XCTAssertEqual(rows.map(\.outstandingFen), [seven, five])
            XCTAssertEqual(rows.map(\.months), [7, 5])
            XCTAssertEqual(rows.map(\.isLongTerm), [true, false])
            XCTAssertEqual(rows.first?.oldestPeriod, "2026-04")
            let one = try await app.store.fees.unitArrears(w.a.units[0].id, community: w.a.community.id)
            XCTAssertEqual(one?.outstandingFen, seven)
            XCTAssertEqual(one?.months, 7)
            let none = try await app.store.fees.unitArrears(w.a.units[2].id, community: w.a.community.id)
            XCTAssertNil(none)

            // The month's list carries both; the long-term report only the seven-month unit.
            let list = try await app.store.fees.prepareList(community: cid, area: area, month: "2026-11", kind: .list, by: who(w, "a.finance"))
            XCTAssertEqual(Set(list.lines.map(\.unitID)), [w.a.units[0].id, w.a.units[1].id])
            XCTAssertEqual(list.totalFen, seven + five)

            // Over the API: the supervisor prepares the report, cannot receive it; the CS manager does.
            let res = try await app.call(.POST, "/api/v1/communities/\(cid)/arrears-lists", as: "a.supervisor", in: w,
                                         json: #"{"areaId":"\#(area)","month":"2026-11","kind":"long_term"}"#)
            XCTAssertEqual(res.status, .created, res.text)
            let report = try object(res)
            let lines = try XCTUnwrap(report["lines"] as? [[String: Any]])
            XCTAssertEqual(lines.map { $0["unitId"] as? String }, [w.a.units[0].id.uuidString])
            XCTAssertEqual(lines.first?["months"] as? Int, 7)
            XCTAssertEqual(lines.first?["longTerm"] as? Bool, true)
            XCTAssertEqual(report["total"] as? Int, seven)
            let id = try XCTUnwrap(report["id"] as? String)
            let bySupervisor = try await app.call(.POST, "/api/v1/arrears-lists/\(id)/receive", as: "a.supervisor", in: w)
            XCTAssertEqual(bySupervisor.status, .forbidden, "the supervisor does not receive their own report")
            let byManager = try await app.call(.POST, "/api/v1/arrears-lists/\(id)/receive", as: "a.manager", in: w)
            XCTAssertEqual(byManager.status, .ok, byManager.text)
            XCTAssertNotNil(try object(byManager)["receivedAt"])
            // A received report is final.
            do {
                _ = try await app.store.fees.prepareList(community: cid, area: area, month: "2026-11", kind: .longTerm, by: who(w, "a.supervisor"))
                XCTFail("a received report was prepared again")
            } catch let e as DomainError { XCTAssertEqual(e.kind, .conflict) }
            // Finance alone prepares the month's list.
            let notFinance = try await app.call(.POST, "/api/v1/communities/\(cid)/arrears-lists", as: "a.supervisor", in: w,
                                                json: #"{"areaId":"\#(area)","month":"2026-11","kind":"list"}"#)
            XCTAssertEqual(notFinance.status, .forbidden)

            let page = try await app.call(.GET, "/c/\(cid)/arrears/long-term?month=2026-11", as: "a.supervisor", in: w)
            XCTAssertEqual(page.status, .ok)
            let labels = try await app.store.registry.unitLabels([w.a.units[0].id, w.a.units[1].id])
            XCTAssertTrue(page.text.contains(labels[w.a.units[0].id]!))
            XCTAssertFalse(page.text.contains(labels[w.a.units[1].id]!), "five months is not long term")
        }
    }

    func testFEE3_aListReceivedAfterTheTenthMissesTheDuty() async throws {
        let clock = TestClock(Self.shanghai(2026, 11, 2))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let east = try await areaID(app, w.a.units[0])
            let west = try await areaID(app, w.a.units[2])
            try await unpaid(app, w, w.a.units[0], from: "2026-09", months: 2)
            try await unpaid(app, w, w.a.units[2], from: "2026-09", months: 2)
            let finance = who(w, "a.finance")
            let late = try await app.store.fees.prepareList(community: cid, area: east, month: "2026-11", kind: .list, by: finance)
            let early = try await app.store.fees.prepareList(community: cid, area: west, month: "2026-11", kind: .list, by: finance)
            to(clock, Self.shanghai(2026, 11, 3))
            _ = try await app.store.fees.receiveList(early.id, by: who(w, "a.manager"))
            // 11 November, 09:00 in Shanghai: the first ten days are over.
            to(clock, Self.shanghai(2026, 11, 11, 9))
            let received = try await app.call(.POST, "/api/v1/arrears-lists/\(late.id)/receive", as: "a.supervisor", in: w)
            XCTAssertEqual(received.status, .ok, received.text)
            to(clock, Self.shanghai(2026, 12, 1, 9))
            let duty = FeeDuties.listReceived.id
            let eastRows = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai", areaID: east)
            let eastRow = try XCTUnwrap(eastRows.first { $0.duty.id == duty })
            XCTAssertEqual(eastRow.outcome, .missed, "\(eastRow.measurement)")
            XCTAssertEqual(eastRow.measurement.records.first?.missed, true)
            let westRows = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai", areaID: west)
            XCTAssertEqual(westRows.first { $0.duty.id == duty }?.outcome, .met)
            let all = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai")
            let row = try XCTUnwrap(all.first { $0.duty.id == duty })
            XCTAssertEqual(row.duty.citation, "S2 4.5.1")
            XCTAssertEqual(row.measurement.numerator, 1)
            XCTAssertEqual(row.measurement.denominator, 2)
            XCTAssertEqual(row.outcome, .missed)
        }
    }

    func testFEE3_reminderShortfallsCountWeeklyCallsAndTwoVisitsWhenSomeoneIsHome() async throws {
        let clock = TestClock(Self.shanghai(2026, 11, 1, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let area = try await areaID(app, w.a.units[0])
            // A vacant unit in the same building: nobody lives there, so no visits are owed.
            let vacant = try await app.store.registry.createUnit(PropertyUnit(communityID: cid, buildingID: w.a.buildings[0].id, areaID: nil, roomNumber: "1801",
                                                                              floor: 18, kind: .residential, floorArea: FloorArea(hundredths: 9000)),
                                                                 by: .console("test"))
            try await unpaid(app, w, w.a.units[0], from: "2026-03", months: 8)
            try await unpaid(app, w, vacant, from: "2026-03", months: 8)
            try await unpaid(app, w, w.a.units[1], from: "2026-08", months: 3)
            let sup = who(w, "a.supervisor")
            func log(_ unit: PropertyUnit, _ day: Int, _ kind: ReminderKind, _ outcome: ReminderOutcome, form: UUID = UUID()) async throws {
                to(clock, Self.shanghai(2026, 11, day, 15))
                _ = try await app.store.fees.remind(community: cid, unit: unit.id, kind: kind, outcome: outcome, note: "", formID: form, by: sup)
            }
            // Lived in: calls in weeks 1, 2 and 4; one visit found someone, one found nobody home.
            let form = UUID()
            try await log(w.a.units[0], 2, .phone, .noAnswer, form: form)
            try await log(w.a.units[0], 2, .phone, .noAnswer, form: form)
            try await log(w.a.units[0], 5, .visit, .promised)
            try await log(w.a.units[0], 9, .phone, .promised)
            try await log(w.a.units[0], 12, .visit, .nobodyHome)
            try await log(w.a.units[0], 23, .phone, .refused)
            // Vacant: a call every week.
            for day in [3, 10, 17, 28] { try await log(vacant, day, .phone, .noAnswer) }
            let logged = try await app.store.fees.reminders(unit: w.a.units[0].id, community: w.a.community.id)
            XCTAssertEqual(logged.count, 5, "a form sent twice saves one reminder")

            let rows = try await app.store.fees.reminderShortfalls(community: cid, area: area, month: "2026-11", asOf: Self.shanghai(2026, 12, 1, 0))
            XCTAssertEqual(Set(rows.map(\.arrears.unitID)), [w.a.units[0].id, vacant.id], "three months is not long term")
            let lived = try XCTUnwrap(rows.first { $0.arrears.unitID == w.a.units[0].id })
            XCTAssertTrue(lived.livedIn)
            XCTAssertEqual(lived.weeksJudged, 4)
            XCTAssertEqual(lived.weeksWithoutCall, [3])
            XCTAssertEqual(lived.visits, 1, "a visit finding nobody home does not count")
            XCTAssertEqual(lived.visitsMissing, 1)
            XCTAssertFalse(lived.met)
            let empty = try XCTUnwrap(rows.first { $0.arrears.unitID == vacant.id })
            XCTAssertFalse(empty.livedIn)
            XCTAssertTrue(empty.met, "\(empty)")

            to(clock, Self.shanghai(2026, 12, 1, 9))
            let card = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai", areaID: area)
            let row = try XCTUnwrap(card.first { $0.duty.id == FeeDuties.reminders.id })
            XCTAssertEqual(row.measurement.numerator, 1)
            XCTAssertEqual(row.measurement.denominator, 2)
            XCTAssertEqual(row.outcome, .missed)
            let miss = try XCTUnwrap(row.measurement.records.first)
            XCTAssertTrue(miss.missed)
            XCTAssertTrue(miss.label.contains("第 3 周未电话催缴"), miss.label)
            XCTAssertEqual(miss.path, "/units/\(w.a.units[0].id.uuidString)/reminders")

            // The same form over the API is idempotent too, and the log page shows it.
            let w = try await renewed(app, w, ["a.supervisor"])
            let formID = UUID()
            let body = #"{"formId":"\#(formID)","kind":"visit","outcome":"promised","note":"业主答应月底缴清"}"#
            let first = try await app.call(.POST, "/api/v1/units/\(w.a.units[0].id)/reminders", as: "a.supervisor", in: w, json: body)
            let again = try await app.call(.POST, "/api/v1/units/\(w.a.units[0].id)/reminders", as: "a.supervisor", in: w, json: body)
            XCTAssertEqual(first.status, .created, first.text)
            XCTAssertEqual(try object(first)["id"] as? String, try object(again)["id"] as? String)
            let page = try await app.call(.GET, "/units/\(w.a.units[0].id)/reminders", as: "a.supervisor", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("业主答应月底缴清"))
            let letter = try await app.call(.GET, "/units/\(w.a.units[0].id)/reminder-letter", as: "a.supervisor", in: w)
            XCTAssertEqual(letter.status, .ok)
            XCTAssertTrue(letter.text.contains(Money.yuan(21_032 * 8)), "the letter's total")
            XCTAssertTrue(letter.text.contains(w.a.people[0].person.name), "the owner's name")
        }
    }

    func testFEE3_aSupervisorSeesOnlyTheirAreasArrearsAndAnEngineerNone() async throws {
        let clock = TestClock(Self.shanghai(2026, 11, 5))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let west = try await areaID(app, w.a.units[2])
            try await unpaid(app, w, w.a.units[0], from: "2026-09", months: 2)
            try await unpaid(app, w, w.a.units[2], from: "2026-08", months: 3)
            let labels = try await app.store.registry.unitLabels([w.a.units[0].id, w.a.units[2].id])

            let mine = try await app.call(.GET, "/api/v1/communities/\(cid)/arrears", as: "a.supervisor", in: w)
            XCTAssertEqual(mine.status, .ok, mine.text)
            let ids = ((try mine.json() as? [[String: Any]]) ?? []).compactMap { $0["unitId"] as? String }
            XCTAssertEqual(ids, [w.a.units[0].id.uuidString])
            let other = try await app.call(.GET, "/api/v1/communities/\(cid)/arrears?areaId=\(west)", as: "a.supervisor", in: w)
            XCTAssertEqual(other.status, .notFound)
            let finance = try await app.call(.GET, "/api/v1/communities/\(cid)/arrears", as: "a.finance", in: w)
            XCTAssertEqual(((try finance.json() as? [[String: Any]]) ?? []).count, 2)
            let page = try await app.call(.GET, "/c/\(cid)/arrears", as: "a.supervisor", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(labels[w.a.units[0].id]!))
            XCTAssertFalse(page.text.contains(labels[w.a.units[2].id]!))
            let otherUnit = try await app.call(.GET, "/units/\(w.a.units[2].id)/reminders", as: "a.supervisor", in: w)
            XCTAssertEqual(otherUnit.status, .notFound)
            let otherCommunity = try await app.call(.GET, "/api/v1/communities/\(w.b.community.id)/arrears", as: "a.finance", in: w)
            XCTAssertEqual(otherCommunity.status, .notFound)

            for path in ["/api/v1/communities/\(cid)/arrears", "/api/v1/communities/\(cid)/collection-rate?month=2026-11",
                         "/api/v1/units/\(w.a.units[0].id)/reminders", "/c/\(cid)/arrears", "/c/\(cid)/collection-rate",
                         "/units/\(w.a.units[0].id)/reminders", "/units/\(w.a.units[0].id)/reminder-letter"] {
                let res = try await app.call(.GET, path, as: "a.engineer", in: w)
                XCTAssertEqual(res.status, .forbidden, path)
                XCTAssertFalse(res.text.contains("¥"), path)
            }
        }
    }

    // MARK: FEE-4

    /// Area East, March 2026. Due (January–March, credits deducted):
    ///   unit 0: 3 × 21,032 = 63,096; unit 1: 3 × 15,000 − 3,000 credit = 42,000 → 105,096.
    /// Collected by 31 March 24:00 Shanghai against those bills:
    ///   42,064 (unit 0, Jan + Feb) + 15,000 + 5,000 (unit 1, Jan + part of Feb) + 1,000 (unit 1, Mar, 23:30 on the 31st) = 63,064.
    /// Not counted: a voided receipt of 15,000, unit 0's April bill paid early (not due yet), unit 0's
    /// March paid at 00:10 on 1 April, last December's bill, and the West area's bill.
    /// Rate: 63,064 / 105,096 = 600 ‰ (60.0 %).
    func testFEE4_theCollectionRateOfAHandComputedExampleMatchesToTheFen() async throws {
        let clock = TestClock(Self.shanghai(2026, 1, 5))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let east = try await areaID(app, w.a.units[0])
            let (u0, u1, u2) = (w.a.units[0], w.a.units[1], w.a.units[2])
            try await bill(app, w, u0, "2025-12", 10_000)
            let u0b = [try await bill(app, w, u0, "2026-01", 21_032), try await bill(app, w, u0, "2026-02", 21_032),
                       try await bill(app, w, u0, "2026-03", 21_032), try await bill(app, w, u0, "2026-04", 21_032)]
            let u1b = [try await bill(app, w, u1, "2026-01", 15_000), try await bill(app, w, u1, "2026-02", 15_000), try await bill(app, w, u1, "2026-03", 15_000)]
            try await bill(app, w, u2, "2026-01", 9_999)
            let finance = who(w, "a.finance")
            let desk = who(w, "a.desk")
            _ = try await app.store.fees.creditNote(bill: u1b[1].id, amountFen: 3_000, reason: "空置期减免", formID: UUID(), by: finance)
            func pay(_ unit: PropertyUnit, _ fen: Int, _ bills: [Bill], at: Date) async throws -> Receipt {
                to(clock, at)
                return try await app.store.fees.pay(FeeStore.Payment(unitID: unit.id, amountFen: fen, method: .cash, reference: "", payer: "业主",
                                                                     billIDs: bills.map(\.id)), community: cid, by: desk)
            }
            _ = try await pay(u0, 42_064, [u0b[0], u0b[1]], at: Self.shanghai(2026, 3, 10))
            let wrong = try await pay(u1, 15_000, [u1b[0]], at: Self.shanghai(2026, 3, 15))
            to(clock, Self.shanghai(2026, 3, 16))
            _ = try await app.store.fees.void(receipt: wrong.id, reason: "收错户", by: finance)
            _ = try await pay(u1, 20_000, [u1b[0], u1b[1]], at: Self.shanghai(2026, 3, 20))
            _ = try await pay(u0, 21_032, [u0b[3]], at: Self.shanghai(2026, 3, 25))
            _ = try await pay(u1, 1_000, [u1b[2]], at: Self.shanghai(2026, 3, 31, 23, 30))
            _ = try await pay(u0, 21_032, [u0b[2]], at: Self.shanghai(2026, 4, 1, 0, 10))

            let rate = try await app.store.fees.collectionRate(community: cid, area: east, month: "2026-03")
            XCTAssertEqual(rate, CollectionRate(dueFen: 105_096, collectedFen: 63_064))
            XCTAssertEqual(rate.perMille, 600)
            let whole = try await app.store.fees.collectionRate(community: cid, area: nil, month: "2026-03")
            XCTAssertEqual(whole, CollectionRate(dueFen: 105_096 + 9_999, collectedFen: 63_064))
            // By April the early payment and the one after midnight count; April's bill is due too.
            let april = try await app.store.fees.collectionRate(community: cid, area: east, month: "2026-04")
            XCTAssertEqual(april, CollectionRate(dueFen: 105_096 + 21_032, collectedFen: 63_064 + 21_032 + 21_032))

            let w = try await renewed(app, w, ["a.finance"])
            let res = try await app.call(.GET, "/api/v1/communities/\(cid)/collection-rate?month=2026-03&areaId=\(east)", as: "a.finance", in: w)
            XCTAssertEqual(res.status, .ok, res.text)
            let o = try object(res)
            XCTAssertEqual(o["due"] as? Int, 105_096)
            XCTAssertEqual(o["collected"] as? Int, 63_064)
            XCTAssertEqual(o["perMille"] as? Int, 600)
            XCTAssertEqual(o["targetPerMille"] as? Int, 950)
            let page = try await app.call(.GET, "/c/\(cid)/collection-rate?month=2026-03", as: "a.finance", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(CollectionRate.definition.zhHans), "the definition is written on the page")
            XCTAssertTrue(page.text.contains("60%"))

            let card = try await app.store.duties.scorecard(community: cid, month: "2026-03", timeZone: "Asia/Shanghai", areaID: east)
            let row = try XCTUnwrap(card.first { $0.duty.id == FeeDuties.collection.id })
            XCTAssertEqual(row.duty.citation, "S4 篇4")
            XCTAssertEqual(row.measurement.numerator, 63_064)
            XCTAssertEqual(row.measurement.denominator, 105_096)
            XCTAssertEqual(row.outcome, .missed)
        }
    }

    // MARK: INT-17

    func testINT17_anEmergencyFromAUnitInArrearsIsAcceptedWithItsFifteenMinuteClockAndShowsTheArrearsToTheDesk() async throws {
        let clock = TestClock(Self.shanghai(2026, 11, 20))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let owed = try await unpaid(app, w, w.a.units[0], from: "2026-04", months: 7)
            let body = #"{"kind":"repair","channel":"hotline","unitId":"\#(w.a.units[0].id)","description":"厨房水管爆裂,水流到客厅了"}"#
            let res = try await app.call(.POST, "/api/v1/communities/\(cid)/orders", as: "a.desk", in: w, json: body)
            XCTAssertTrue([200, 201].contains(res.status.code), res.text)
            let order = try object(res)
            XCTAssertEqual(order["priority"] as? String, "emergency")
            let arrival = try XCTUnwrap((order["clocks"] as? [[String: Any]])?.first { $0["kind"] as? String == "arrival" })
            XCTAssertEqual(arrival["targetSeconds"] as? Int, 900)
            XCTAssertEqual(arrival["secondsLeft"] as? Int, 900, "the clock runs from the moment it was taken, arrears or not")
            let id = try XCTUnwrap(order["id"] as? String)

            let page = try await app.call(.GET, "/orders/\(id)", as: "a.desk", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(Money.yuan(owed)), "the desk sees the arrears")
            XCTAssertTrue(page.text.contains("共 7 个月"))
            XCTAssertFalse(page.text.contains("未接入收费系统"))
            let detail = try await app.call(.GET, "/api/v1/orders/\(id)", as: "a.desk", in: w)
            let context = try XCTUnwrap(try object(detail)["context"] as? [String: Any])
            XCTAssertEqual(context["arrears"] as? Int, owed)
            XCTAssertEqual(context["arrearsMonths"] as? Int, 7)
            XCTAssertEqual(context["arrearsKnown"] as? Bool, true)
            let intake = try await app.call(.GET, "/c/\(cid)/intake/context?unit=\(w.a.units[0].id)", as: "a.desk", in: w)
            XCTAssertTrue(intake.text.contains(Money.yuan(owed)), "the intake screen shows it when the unit is chosen")

            // The engineer sent there sees the order and no money at all.
            let engineer = w.accounts["a.engineer"]!.id
            let sent = try await app.call(.POST, "/api/v1/orders/\(id)/dispatch", as: "a.desk", in: w, json: #"{"mode":"person","assigneeId":"\#(engineer)"}"#)
            XCTAssertEqual(sent.status, .ok, sent.text)
            let theirs = try await app.call(.GET, "/orders/\(id)", as: "a.engineer", in: w)
            XCTAssertEqual(theirs.status, .ok)
            XCTAssertFalse(theirs.text.contains(Money.yuan(owed)))
            XCTAssertFalse(theirs.text.contains("欠费"))
            let theirAPI = try await app.call(.GET, "/api/v1/orders/\(id)", as: "a.engineer", in: w)
            XCTAssertEqual(theirAPI.status, .ok, theirAPI.text)
            let theirContext = try object(theirAPI)["context"] as? [String: Any]
            XCTAssertNil(theirContext?["arrears"])
            XCTAssertNil(theirContext?["arrearsMonths"])
            XCTAssertEqual(theirContext?["arrearsKnown"] as? Bool, false)
            let unitContext = try await app.call(.GET, "/api/v1/units/\(w.a.units[0].id)/context", as: "a.engineer", in: w)
            XCTAssertFalse(unitContext.text.contains("\(owed)"))
        }
    }

    // MARK: Review (issue 17, wave 2)

    /// Receiving a list that was already received answered 200 to anyone who may read fees (the
    /// front desk, finance): now only those who may chase arrears hear "received"; the rest are refused.
    func testFEE3_onlyThoseWhoChaseArrearsMayReceiveAListEvenOnceReceived() async throws {
        let clock = TestClock(Self.shanghai(2026, 11, 2))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let east = try await areaID(app, w.a.units[0])
            try await unpaid(app, w, w.a.units[0], from: "2026-09", months: 2)
            let l = try await app.store.fees.prepareList(community: cid, area: east, month: "2026-11", kind: .list, by: who(w, "a.finance"))
            for user in ["a.desk", "a.finance", "a.engineer"] {
                let res = try await app.call(.POST, "/api/v1/arrears-lists/\(l.id)/receive", as: user, in: w)
                XCTAssertEqual(res.status, .forbidden, "\(user) before: \(res.text)")
            }
            let ok = try await app.call(.POST, "/api/v1/arrears-lists/\(l.id)/receive", as: "a.supervisor", in: w)
            XCTAssertEqual(ok.status, .ok, ok.text)
            for user in ["a.desk", "a.finance", "a.engineer"] {
                let res = try await app.call(.POST, "/api/v1/arrears-lists/\(l.id)/receive", as: user, in: w)
                XCTAssertEqual(res.status, .forbidden, "\(user) after: \(res.text)")
            }
            let stored = try await app.store.fees.list(l.id)
            XCTAssertTrue(stored?.receivedByName?.contains(w.accounts["a.supervisor"]!.displayName) ?? false, stored?.receivedByName ?? "not received")
        }
    }
}
