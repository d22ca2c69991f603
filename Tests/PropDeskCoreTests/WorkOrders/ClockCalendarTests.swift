import XCTest
@testable import PropDeskCore

/// INT-6: clocks run on a calendar — emergencies 24/7, other kinds on the community's service
/// hours, skipping days off and holidays where the contract says so.
final class ClockCalendarTests: XCTestCase {
    private let hour = 3600
    /// Default hours: 08:30–18:00, every day, Asia/Shanghai.
    private let office = ClockCalendar(hours: ServiceHours())
    private let roundTheClock = ClockCalendar(hours: nil)

    func testINT6_roundTheClockIsPlainWallTime() {
        let threeAM = WO.local(2026, 10, 1, 3, 0)
        XCTAssertEqual(roundTheClock.add(15 * 60, to: threeAM), WO.local(2026, 10, 1, 3, 15))
        XCTAssertEqual(roundTheClock.add(0, to: threeAM), threeAM)
        XCTAssertEqual(roundTheClock.seconds(from: threeAM, to: WO.local(2026, 10, 2, 3, 0)), 86400)
        XCTAssertEqual(roundTheClock.seconds(from: WO.local(2026, 10, 2, 3, 0), to: threeAM), -86400)
    }

    func testINT6_twoHoursFrom1750RunsOutAt1020TheNextDay() {
        // 10 minutes left today (17:50–18:00), 110 minutes tomorrow from 08:30.
        XCTAssertEqual(office.add(2 * hour, to: WO.local(2026, 9, 22, 17, 50)), WO.local(2026, 9, 23, 10, 20))
    }

    func testINT6_insideServiceHoursItIsPlainAddition() {
        XCTAssertEqual(office.add(2 * hour, to: WO.local(2026, 9, 22, 9, 0)), WO.local(2026, 9, 22, 11, 0))
        // Exactly reaching closing time stays on the same day.
        XCTAssertEqual(office.add(hour, to: WO.local(2026, 9, 22, 17, 0)), WO.local(2026, 9, 22, 18, 0))
    }

    func testINT6_beforeOpeningTheClockStartsAtOpening() {
        XCTAssertEqual(office.add(30 * 60, to: WO.local(2026, 9, 22, 6, 0)), WO.local(2026, 9, 22, 9, 0))
        XCTAssertEqual(office.add(30 * 60, to: WO.local(2026, 9, 22, 20, 0)), WO.local(2026, 9, 23, 9, 0))
    }

    func testINT6_holidaysAreSkipped() {
        let national = ClockCalendar(hours: ServiceHours(holidays: ["2026-10-01", "2026-10-02"]))
        XCTAssertEqual(national.add(2 * hour, to: WO.local(2026, 9, 30, 17, 50)), WO.local(2026, 10, 3, 10, 20))
        XCTAssertEqual(national.seconds(from: WO.local(2026, 9, 30, 17, 50), to: WO.local(2026, 10, 3, 10, 20)), 2 * hour)
        // Nothing counts on the holiday itself.
        XCTAssertEqual(national.seconds(from: WO.local(2026, 10, 1, 0, 0), to: WO.local(2026, 10, 2, 23, 59)), 0)
    }

    func testINT6_daysOffAreSkipped() {
        // Monday to Friday only; 2026-09-25 is a Friday.
        let weekdays = ClockCalendar(hours: ServiceHours(weekdays: Set(1...5)))
        XCTAssertEqual(weekdays.add(2 * hour, to: WO.local(2026, 9, 25, 17, 0)), WO.local(2026, 9, 28, 9, 30))
    }

    func testINT6_secondsAcrossANightCountOnlyServiceHours() {
        XCTAssertEqual(office.seconds(from: WO.local(2026, 9, 22, 17, 0), to: WO.local(2026, 9, 23, 9, 30)), 2 * hour)
        XCTAssertEqual(office.seconds(from: WO.local(2026, 9, 23, 9, 30), to: WO.local(2026, 9, 22, 17, 0)), -2 * hour)
        XCTAssertEqual(office.seconds(from: WO.local(2026, 9, 22, 19, 0), to: WO.local(2026, 9, 23, 8, 0)), 0)
    }

    func testINT6_secondsIsTheInverseOfAdd() {
        let calendars = [office, roundTheClock,
                         ClockCalendar(hours: ServiceHours(opens: 9 * 60, closes: 17 * 60, weekdays: Set(1...5), holidays: ["2026-10-01"]))]
        let starts = [WO.local(2026, 9, 22, 0, 0), WO.local(2026, 9, 22, 8, 29, 59), WO.local(2026, 9, 25, 12, 34, 56),
                      WO.local(2026, 9, 25, 17, 59), WO.local(2026, 9, 26, 23, 0), WO.local(2026, 9, 30, 17, 50)]
        let durations = [0, 1, 59, 15 * 60, 2 * hour, 9 * hour + 1800, 24 * hour, 3 * 86400, 15 * 86400]
        for calendar in calendars {
            for start in starts {
                for seconds in durations {
                    let end = calendar.add(seconds, to: start)
                    XCTAssertGreaterThanOrEqual(end, start)
                    XCTAssertEqual(calendar.seconds(from: start, to: end), seconds, "\(start) + \(seconds)")
                }
            }
        }
    }

    /// Holidays are found by their "yyyy-MM-dd" key and orders are numbered "CODE-yyMM-nnnnn",
    /// both written with leading zeros without `String(format:)` (issue 19): the same text.
    func testINT6_dayKeysAndOrderNumbersPadWithZerosAsTheFormatterDid() {
        for v in [0, 7, 42, 999, 1000, 99_999, 100_000, 1_234_567, -5, -123_456] {
            XCTAssertEqual(v.zeroPadded(5), String(format: "%05d", v))
            XCTAssertEqual(v.zeroPadded(2), String(format: "%02d", v))
        }
        XCTAssertEqual(ClockCalendar.dayKey(2026, 1, 5), "2026-01-05")
        XCTAssertEqual(ClockCalendar.dayKey(999, 12, 31), "0999-12-31")
        XCTAssertEqual(WorkOrder.number(code: "CHHY", seq: 42, at: WO.local(2026, 1, 3, 9, 0), timeZone: "Asia/Shanghai"), "CHHY-2601-00042")
        XCTAssertEqual(WorkOrder.number(code: "CHHY", seq: 123_456, at: WO.local(2026, 11, 3, 9, 0), timeZone: "Asia/Shanghai"), "CHHY-2611-123456")
        // A holiday written with its zeros is found (2 January 2026 is a Friday).
        let newYear = ClockCalendar(hours: ServiceHours(holidays: ["2026-01-02"]))
        XCTAssertEqual(newYear.add(hour, to: WO.local(2026, 1, 1, 17, 30)), WO.local(2026, 1, 3, 9, 0))
    }

    func testINT6_hoursValidation() {
        XCTAssertNoThrow(try ServiceHours().validated())
        assertInvalid(expectDomainError(try ServiceHours(opens: 18 * 60, closes: 8 * 60).validated()), field: "hours")
        assertInvalid(expectDomainError(try ServiceHours(weekdays: []).validated()), field: "hours.weekdays")
        assertInvalid(expectDomainError(try ServiceHours(weekdays: [0, 8]).validated()), field: "hours.weekdays")
        assertInvalid(expectDomainError(try ServiceHours(timeZone: "Mars/Olympus").validated()), field: "hours.timeZone")
    }
}
