import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import XCTVapor
@testable import PropDeskWeb

/// Units in custody (FD-2, S4 篇1 1⑥) on a real database: meter limits that alert at once,
/// heavy-rain checks with deadlines, the weekly exterior check as a duty, and the pages' reach.
final class CustodyTests: XCTestCase {
    static func shanghai(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0, year: Int = 2026) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    func to(_ clock: TestClock, _ date: Date) { clock.advance(minutes: date.timeIntervalSince(clock.now) / 60) }

    func drain(_ app: Application) async throws {
        for _ in 0..<10 where try await app.store.clocks.sweep(limit: 500).fired > 0 {}
    }

    func sign(_ app: Application, _ w: World, unit: Int, start: String, waterLimit: Int = CustodyAgreement.defaultWaterLimit,
              electricityLimit: Int = CustodyAgreement.defaultElectricityLimit) async throws -> CustodyAgreement {
        try await app.store.custody.open(.init(unitID: w.a.units[unit].id, ownerName: w.a.people[unit].person.name, ownerPhone: "13800001234", startDay: start,
                                               water: 100_000, electricity: 5_000_000, waterLimit: waterLimit, electricityLimit: electricityLimit),
                                         community: w.a.community.id, by: who(w, "a.desk"))
    }

    func meterAlerts(_ app: Application, _ a: CustodyAgreement) async throws -> [Alert] {
        try await app.store.alerts.alerts(of: .custodyAgreement, a.id).filter { $0.kind == .meterOverThreshold }
    }

    /// A month that used 6 m³ of water (the limit is 5) raises an alert to the desk at once, in
    /// the same transaction; a month of 4 m³ does not; the same form sent twice records once.
    func testFD2_waterReadingSixCubicMetresOverAMonthRaisesAnAlert() async throws {
        let clock = TestClock(Self.shanghai(11, 2, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let a = try await sign(app, w, unit: 0, start: "2026-11-02")
            XCTAssertEqual(a.feeRatePerMille, 700)
            XCTAssertEqual(a.areaID, w.a.areas[0].id)
            to(clock, Self.shanghai(11, 30, 10))
            let calm = try await app.store.custody.record(.init(month: "2026-11", water: 104_000, electricity: 5_010_000), agreement: a.id, by: desk)
            XCTAssertEqual(calm.waterUsed, 4_000)
            XCTAssertFalse(calm.isOver)
            let none = try await meterAlerts(app, a)
            XCTAssertEqual(none.count, 0, "4 m³ is within the limit")

            to(clock, Self.shanghai(12, 31, 10))
            let id = UUID()
            let over = try await app.store.custody.record(.init(readingID: id, month: "2026-12", water: 110_000, electricity: 5_020_000), agreement: a.id, by: desk)
            XCTAssertEqual(over.waterUsed, 6_000)
            XCTAssertTrue(over.waterOver)
            XCTAssertFalse(over.electricityOver)
            let again = try await app.store.custody.record(.init(readingID: id, month: "2026-12", water: 110_000, electricity: 5_020_000), agreement: a.id, by: desk)
            XCTAssertEqual(again.id, over.id, "a resent reading is recorded once")
            let alerts = try await meterAlerts(app, a)
            XCTAssertEqual(alerts.count, 1)
            XCTAssertEqual(alerts.first?.level, .frontDesk)
            XCTAssertEqual(alerts.first?.raisedAt, clock.now, "raised with the reading, not by a later sweep")
            let entries = try await app.store.timelines.entries(.custodyAgreement, a.id)
            XCTAssertEqual(entries.map(\.kind), ["opened", "reading", "reading", "reading", "over_threshold"])
            XCTAssertTrue(entries.last?.note?.contains("用水 6 m³") ?? false, entries.last?.note ?? "")

            for (reading, code) in [(CustodyStore.Reading(month: "2026-12", water: 111_000, electricity: 5_020_000), "reading_month_taken"),
                                    (CustodyStore.Reading(month: "2027-01", water: 109_000, electricity: 5_020_000), "invalid_input")] {
                to(clock, Self.shanghai(1, 2, 10, year: 2027))
                do {
                    _ = try await app.store.custody.record(reading, agreement: a.id, by: desk)
                    XCTFail("accepted \(reading.month) \(reading.water)")
                } catch let e as DomainError { XCTAssertEqual(e.code, code) }
            }
            let readings = try await app.store.custody.readings(agreement: a.id)
            XCTAssertEqual(readings.map(\.month), ["2026-11", "2026-11", "2026-12"])
            XCTAssertEqual(readings.map(\.baseline), [true, false, false])
        }
    }

    /// Limits agreed with the owner decide: 6 m³ under a 10 m³ limit is fine, 60 kWh over a
    /// 50 kWh limit alerts; a skipped month doubles what the next reading may use.
    func testFD2_anAgreementsOwnLimitsDecideTheAlert() async throws {
        let clock = TestClock(Self.shanghai(11, 2, 9))
        try await withWorld(now: clock.read) { app, w in
            let desk = who(w, "a.desk")
            let a = try await sign(app, w, unit: 0, start: "2026-11-02", waterLimit: 10_000, electricityLimit: 50_000)
            to(clock, Self.shanghai(11, 30, 10))
            let first = try await app.store.custody.record(.init(month: "2026-11", water: 106_000, electricity: 5_030_000), agreement: a.id, by: desk)
            XCTAssertFalse(first.isOver)
            to(clock, Self.shanghai(12, 31, 10))
            let second = try await app.store.custody.record(.init(month: "2026-12", water: 107_000, electricity: 5_090_000), agreement: a.id, by: desk)
            XCTAssertTrue(second.electricityOver)
            XCTAssertFalse(second.waterOver)
            let alerts = try await meterAlerts(app, a)
            XCTAssertEqual(alerts.count, 1)

            let b = try await sign(app, w, unit: 1, start: "2026-11-02")
            to(clock, Self.shanghai(2, 28, 10, year: 2027))
            let skipped = try await app.store.custody.record(.init(month: "2027-01", water: 109_000, electricity: 5_030_000), agreement: b.id, by: desk)
            XCTAssertEqual(skipped.waterAllowed, 15_000, "November to January: three months' allowance")
            XCTAssertFalse(skipped.isOver)
            let none = try await meterAlerts(app, b)
            XCTAssertEqual(none.count, 0)

            do {
                _ = try await app.store.custody.open(.init(unitID: w.a.units[1].id, ownerName: "李秀英", ownerPhone: "13800001235", startDay: "2027-02-01",
                                                           water: 0, electricity: 0), community: w.a.community.id, by: desk)
                XCTFail("a unit already in custody was signed in again")
            } catch let e as DomainError { XCTAssertEqual(e.code, "unit_in_custody") }
            do {
                _ = try await app.store.custody.open(.init(unitID: w.a.units[2].id, ownerName: "张伟", ownerPhone: "13800001236", startDay: "2027-02-01",
                                                           water: 0, electricity: 0, waterLimit: 0), community: w.a.community.id, by: desk)
                XCTFail("a zero limit was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }
        }
    }

    /// 大雨预警 opens a before-rain and an after-rain check for every unit in custody in the
    /// community (and no other); pressed twice it opens nothing more. A before-rain check not done
    /// within six hours alerts the CS manager; 雨停 gives the after-rain checks 24 hours; the rain
    /// duty counts the checks done in time.
    func testFD2_aHeavyRainWarningOpensChecksForEveryUnitInCustodyAndIsMeasured() async throws {
        let clock = TestClock(Self.shanghai(11, 2, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let u0 = try await sign(app, w, unit: 0, start: "2026-11-02")
            let u1 = try await sign(app, w, unit: 1, start: "2026-11-02")
            let gone = try await sign(app, w, unit: 2, start: "2026-11-02")
            _ = try await app.store.custody.end(gone.id, note: "业主收回", by: desk)
            let bHead = Actor(userID: w.accounts["b.head"]!.id, name: "b.head")
            let other = try await app.store.custody.open(.init(unitID: w.b.units[0].id, ownerName: "王建国B", ownerPhone: "13900001000", startDay: "2026-11-02",
                                                               water: 0, electricity: 0), community: w.b.community.id, by: bHead)

            to(clock, Self.shanghai(11, 10, 8))
            let (warning, opened) = try await app.store.custody.warnOfRain(community: cid, by: desk)
            XCTAssertEqual(opened, 4, "two checks for each of the two units in custody")
            let (same, more) = try await app.store.custody.warnOfRain(community: cid, by: desk)
            XCTAssertEqual(same.id, warning.id)
            XCTAssertEqual(more, 0)
            let open = try await app.store.custody.openRainChecks(community: cid)
            XCTAssertEqual(Set(open.map(\.agreementID)), [u0.id, u1.id])
            XCTAssertEqual(open.filter { $0.kind == .beforeRain }.compactMap(\.dueAt), [Self.shanghai(11, 10, 14), Self.shanghai(11, 10, 14)])
            XCTAssertTrue(open.filter { $0.kind == .afterRain }.allSatisfy { $0.dueAt == nil })
            let otherChecks = try await app.store.custody.checks(agreement: other.id)
            XCTAssertEqual(otherChecks.count, 0, "another community's units are not touched")

            to(clock, Self.shanghai(11, 10, 10))
            let before = try await app.store.custody.check(.init(kind: .beforeRain, findings: "门窗关闭,排水口通畅"), agreement: u0.id, by: desk)
            XCTAssertTrue(before.doneOnTime)
            XCTAssertEqual(before.rainWarningID, warning.id)
            do {
                _ = try await app.store.custody.check(.init(kind: .afterRain), agreement: u0.id, by: desk)
                XCTFail("an after-rain check while it still rains was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "rain_not_over") }

            to(clock, Self.shanghai(11, 10, 14, 1))
            try await drain(app)
            let alerts = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: true, for: nil, limit: 100)
                .filter { $0.subjectKind == .custodyCheck }
            XCTAssertEqual(alerts.count, 1)
            XCTAssertEqual(alerts.first?.level, .csManager)
            XCTAssertEqual(alerts.first?.subjectID, open.first { $0.agreementID == u1.id && $0.kind == .beforeRain }?.id)

            to(clock, Self.shanghai(11, 10, 20))
            _ = try await app.store.custody.rainOver(community: cid, by: desk)
            let after = try await app.store.custody.openRainChecks(community: cid).filter { $0.kind == .afterRain }
            XCTAssertEqual(after.compactMap(\.dueAt), [Self.shanghai(11, 11, 20), Self.shanghai(11, 11, 20)])
            to(clock, Self.shanghai(11, 11, 10))
            let formID = UUID()
            let done = try await app.store.custody.check(.init(checkID: formID, kind: .afterRain, findings: "阳台有积水,已清理", problem: true, ownerNotified: true),
                                                         agreement: u0.id, by: desk)
            let resent = try await app.store.custody.check(.init(checkID: formID, kind: .afterRain, findings: "阳台有积水,已清理", problem: true, ownerNotified: true),
                                                           agreement: u0.id, by: desk)
            XCTAssertEqual(resent.id, done.id, "a resent form completes the check once")
            XCTAssertTrue(done.doneOnTime)
            to(clock, Self.shanghai(11, 11, 21))
            let late = try await app.store.custody.check(.init(kind: .afterRain), agreement: u1.id, by: desk)
            XCTAssertFalse(late.doneOnTime)

            let rows = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai")
            let row = try XCTUnwrap(rows.first { $0.duty.id == "S4-1.6-custody-rain" })
            XCTAssertEqual(row.measurement.numerator, 2)
            XCTAssertEqual(row.measurement.denominator, 4)
            XCTAssertEqual(row.measurement.records.filter(\.missed).count, 2)
            XCTAssertTrue(row.measurement.records.filter(\.missed).allSatisfy { $0.label.contains("1栋-1202") }, "\(row.measurement.records)")
        }
    }

    /// Every unit in custody is checked from outside every week: a week without a check is a
    /// miss, named with the unit; a week the unit was in custody for only part of is not due.
    func testFD2_aWeekWithoutAnExteriorCheckMissesTheWeeklyDuty() async throws {
        let clock = TestClock(Self.shanghai(11, 2, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let u0 = try await sign(app, w, unit: 0, start: "2026-11-02")
            let u1 = try await sign(app, w, unit: 1, start: "2026-11-11")
            to(clock, Self.shanghai(11, 3, 15))
            let id = UUID()
            let first = try await app.store.custody.check(.init(checkID: id, kind: .weekly, findings: "外观正常"), agreement: u0.id, by: desk)
            let again = try await app.store.custody.check(.init(checkID: id, kind: .weekly, findings: "外观正常"), agreement: u0.id, by: desk)
            XCTAssertEqual(first.id, again.id)
            to(clock, Self.shanghai(11, 18, 15))
            _ = try await app.store.custody.check(.init(kind: .weekly), agreement: u1.id, by: desk)
            to(clock, Self.shanghai(11, 20, 15))
            _ = try await app.store.custody.check(.init(kind: .weekly), agreement: u0.id, by: desk)
            do {
                _ = try await app.store.custody.check(.init(kind: .weekly, problem: true), agreement: u0.id, by: desk)
                XCTFail("a problem without a word was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }

            to(clock, Self.shanghai(11, 23, 10))
            let rows = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai")
            let row = try XCTUnwrap(rows.first { $0.duty.id == "S4-1.6-custody-weekly" })
            XCTAssertEqual(row.measurement.numerator, 3, "u0 in the weeks of 11-02 and 11-16, u1 in the week of 11-16")
            XCTAssertEqual(row.measurement.denominator, 4, "u1 is not due in the week it was signed in")
            XCTAssertEqual(row.measurement.records.filter(\.missed).map(\.label), ["2026-11-09 · 1栋-1201(未巡查)"])
            XCTAssertEqual(row.outcome, .atRisk)
        }
    }

    /// The desk signs a unit in by its room label and records a reading over the limit in pages;
    /// another community's center head gets 404 for the list, the agreement and its forms; an
    /// engineer is refused; the area supervisor records a check of a unit in their area.
    func testFD2_anotherCommunitysDeskGets404AndTheDeskWorksInPages() async throws {
        let clock = TestClock(Self.shanghai(11, 2, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            func form(_ path: String, as user: String, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
                let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
                return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
            }
            let signed = try await form("/c/\(cid)/custody", as: "a.desk", [
                ("agreementId", UUID().uuidString), ("unit", "1栋-1201"), ("ownerName", "王建国"), ("ownerPhone", "13800001000"), ("startDay", "2026-11-02"),
                ("endDay", ""), ("water", "100.5"), ("electricity", "5000"), ("waterLimit", "5"), ("electricityLimit", "20"), ("note", ""),
            ])
            XCTAssertEqual(signed.status, .seeOther, signed.text)
            let list = try await app.store.custody.agreements(unit: w.a.units[0].id, community: w.a.community.id)
            let a = try XCTUnwrap(list.first)
            XCTAssertEqual(signed.headers.first(name: .location), "/custody/\(a.id.uuidString)")
            let baseline = try await app.store.custody.readings(agreement: a.id)
            XCTAssertEqual(baseline.first?.water, 100_500)

            let read = try await form("/custody/\(a.id)/readings", as: "a.desk", [("readingId", UUID().uuidString), ("month", "2026-11"), ("water", "106.5"),
                                                                                  ("electricity", "5010")])
            XCTAssertEqual(read.status, .seeOther)
            let page = try await app.call(.GET, "/custody/\(a.id)", as: "a.desk", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("num over"), "the month over its limit shows in red")
            let overview = try await app.call(.GET, "/c/\(cid)/custody", as: "a.desk", in: w)
            XCTAssertEqual(overview.status, .ok)
            XCTAssertTrue(overview.text.contains("1栋-1201"))
            XCTAssertTrue(overview.text.contains("nav-custody"))

            for (method, path) in [(HTTPMethod.GET, "/c/\(cid)/custody"), (.GET, "/custody/\(a.id)"), (.POST, "/custody/\(a.id)/end"),
                                   (.GET, "/subjects/custody_agreement/\(a.id)")] {
                let res = method == .GET ? try await app.call(.GET, path, as: "b.head", in: w) : try await form(path, as: "b.head", [])
                XCTAssertEqual(res.status, .notFound, "\(method) \(path)")
            }
            let rain = try await form("/c/\(cid)/custody/rain", as: "b.head", [])
            XCTAssertEqual(rain.status, .notFound)
            let opened = try await app.store.custody.openRainWarning(community: cid)
            XCTAssertNil(opened, "nothing changed")
            let warned = try await form("/c/\(cid)/custody/rain", as: "a.desk", [])
            XCTAssertEqual(warned.status, .seeOther)
            let raining = try await app.call(.GET, "/c/\(cid)/custody", as: "a.desk", in: w)
            XCTAssertTrue(raining.text.contains("id=\"rain-over\""))
            XCTAssertTrue(raining.text.contains("open-rain-checks"))
            let agreementPage = try await app.call(.GET, "/custody/\(a.id)", as: "a.desk", in: w)
            XCTAssertTrue(agreementPage.text.contains("check-form-"), "the open before-rain check has its own form")
            let engineer = try await app.call(.GET, "/c/\(cid)/custody", as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)

            let check = try await form("/custody/\(a.id)/checks", as: "a.supervisor", [("checkId", UUID().uuidString), ("kind", "weekly"), ("findings", "外墙无渗水")])
            XCTAssertEqual(check.status, .seeOther)
            let checks = try await app.store.custody.checks(agreement: a.id).filter { $0.kind == .weekly }
            XCTAssertEqual(checks.count, 1)
            XCTAssertTrue(checks.first?.byName?.hasPrefix("a.supervisor") ?? false, "\(checks)")
            let reading = try await form("/custody/\(a.id)/readings", as: "a.supervisor", [("month", "2026-11"), ("water", "1"), ("electricity", "1")])
            XCTAssertEqual(reading.status, .forbidden, "readings are the desk's")
        }
    }
}
