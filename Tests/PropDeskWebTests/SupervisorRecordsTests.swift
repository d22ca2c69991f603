import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// The area supervisor's records (FLD-1, FLD-2, FLD-5 … FLD-7) on a real database: the approved
/// assignment table and the staff changes and lobby cards it settles, household visits against
/// quotas counted from the table, the daily log and its next-working-day review clock, and the
/// CS manager's and the front desk's checks on both — each as the duty it proves.
final class SupervisorRecordsTests: XCTestCase {
    static let monthlyDuty = "S2-4.3.1-monthly-visits"
    static let annualDuty = "S2-4.3.1-annual-coverage"
    static let phoneCapDuty = "S2-4.3.3-phone-cap"
    static let newTableDuty = "S2-4.1.1-new-table"
    static let cardDuty = "S2-4.1.2-card-posted"
    static let reviewDuty = "S2-4.8.2-log-reviewed"
    static let inspectionDuty = "S2-4.9.2-area-inspections"
    static let spotCheckDuty = "S2-4.9.3-visit-spot-checks"

    /// A local time in 2026 in the communities' time zone (November unless told).
    static func shanghai(_ day: Int, _ hour: Int, _ minute: Int = 0, month: Int = 11) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute))!
    }

    func who(_ w: World, _ username: String) -> Actor {
        Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName)
    }

    /// The people of community A these records involve; the stand-in is a second area
    /// supervisor, of the west area (areas[1]).
    struct Team {
        let supervisor: Actor
        let standIn: Actor
        let manager: Actor
        let head: Actor
        let desk: Actor
    }

    func team(_ app: Application, _ w: World) async throws -> Team {
        let account = try await app.store.accounts.create(UserAccount(username: "a.standin", displayName: "a.standin", role: .areaSupervisor,
            scopes: [Scope(communityID: w.a.community.id, areaID: w.a.areas[1].id)]), passwordHash: try await SignIn.hash(World.password, on: app),
            by: .console("test"))
        return Team(supervisor: who(w, "a.supervisor"), standIn: Actor(userID: account.id, name: account.displayName), manager: who(w, "a.manager"),
                    head: who(w, "a.head"), desk: who(w, "a.desk"))
    }

    func row(_ w: World, area: Int, supervisor: Actor, standIn: Actor?, households: Int, mobile: String) -> AssignmentRow {
        AssignmentRow(areaID: w.a.areas[area].id, areaName: "", supervisorID: supervisor.userID!, supervisorName: "", standInID: standIn?.userID,
                      standInName: "", mobile: mobile, workPhone: "0755-88886666", households: households,
                      keySpots: "\(w.a.buildings[area].name)大堂、地下车库")
    }

    /// The supervisor looks after the east area (stood in for by the stand-in), the stand-in the
    /// west area (100 households) the other way round.
    func rows(_ w: World, _ t: Team, households: Int) -> [AssignmentRow] {
        [row(w, area: 0, supervisor: t.supervisor, standIn: t.standIn, households: households, mobile: "13800002001"),
         row(w, area: 1, supervisor: t.standIn, standIn: t.supervisor, households: 100, mobile: "13800002002")]
    }

    /// Drafted and submitted by the CS manager, approved by the center head.
    func approve(_ app: Application, _ w: World, _ t: Team, _ rows: [AssignmentRow]) async throws -> AssignmentTable {
        let draft = try await app.store.assignments.draft(community: w.a.community.id, rows: rows, note: "", by: t.manager)
        _ = try await app.store.assignments.submit(draft.id, by: t.manager)
        return try await app.store.assignments.decide(draft.id, approve: true, note: "", by: t.head)
    }

    /// `count` residential units of the east area: the world's two and new ones in building 1.
    func eastUnits(_ app: Application, _ w: World, _ count: Int) async throws -> [PropertyUnit] {
        var units = [w.a.units[0], w.a.units[1]]
        for i in 0..<max(0, count - units.count) {
            units.append(try await app.store.registry.createUnit(PropertyUnit(communityID: w.a.community.id, buildingID: w.a.buildings[0].id, areaID: nil,
                roomNumber: String(format: "3%02d", i + 1), floor: 3, kind: .residential, floorArea: FloorArea(hundredths: 8950)), by: .console("test")))
        }
        XCTAssertTrue(units.allSatisfy { $0.areaID == w.a.areas[0].id })
        return Array(units.prefix(count))
    }

    /// One visit recorded through the store by a supervisor of the east area.
    @discardableResult
    func visit(_ app: Application, _ w: World, _ unit: PropertyUnit, mode: VisitMode = .door, raised: [RaisedItem] = [], id: UUID = UUID(),
               by actor: Actor) async throws -> VisitStore.Recorded {
        try await app.store.visits.record(VisitStore.VisitInput(visitID: id, unitID: unit.id, mode: mode, met: "王建国", notes: "了解居住情况", raised: raised),
                                          community: w.a.community.id, areas: [w.a.areas[0].id], by: actor)
    }

    /// The scorecard row of a duty: for the east area unless told (nil: the whole community).
    func duty(_ app: Application, _ w: World, _ id: String, month: String = "2026-11", area: Int? = 0,
              file: StaticString = #filePath, line: UInt = #line) async throws -> DutyResult {
        let card = try await app.store.duties.scorecard(community: w.a.community.id, month: month, timeZone: w.a.community.timeZone,
                                                        areaID: area.map { w.a.areas[$0].id })
        return try XCTUnwrap(card.first { $0.duty.id == id }, "\(card.map(\.duty.id))", file: file, line: line)
    }

    func visitOrders(_ app: Application, _ w: World) async throws -> [WorkOrder] {
        try await app.store.orders.list(community: w.a.community.id, filter: .init(), page: try PageQuery(page: 1, per: 100))
            .items.map(\.order).filter { $0.channel == .householdVisit }
    }

    /// Working days Monday to Friday, as the contract's service calendar.
    func weekdaysOnly(_ app: Application, _ w: World, _ t: Team) async throws {
        var contract = try await app.store.orders.contract(community: w.a.community.id)
        contract.hours.weekdays = Set(1...5)
        _ = try await app.store.orders.setContract(contract, community: w.a.community.id, by: t.head)
    }

    /// Moves the clock forward to `date` (whole minutes, so stored times stay exact).
    func move(_ clock: TestClock, to date: Date, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(date, clock.now, "the clock only moves forward", file: file, line: line)
        clock.advance(minutes: (date.timeIntervalSince(clock.now) / 60).rounded())
    }

    func drain(_ app: Application) async throws -> SweepReport {
        var total = SweepReport()
        for _ in 0..<20 {
            let r = try await app.store.clocks.sweep(limit: 1000)
            total.add(r)
            if r.fired == 0 { break }
        }
        return total
    }

    // MARK: Visit quotas (FLD-5, S2 4.3.1, 4.3.3)

    func testFLD5_elevenVisitsInFourHundredHouseholdsFailTheMonthlyQuotaAndATwelfthMeetsIt() async throws {
        let quota = VisitQuota(households: 400)
        XCTAssertEqual(quota.monthly, 12)
        XCTAssertEqual(quota.yearly, 144)
        XCTAssertEqual(quota.phoneCap, 43)
        XCTAssertEqual(VisitQuota(households: 401).monthly, 13, "3% of 401 is 12.03, rounded up")
        XCTAssertEqual(VisitQuota(households: 401).yearly, 145)
        XCTAssertEqual(VisitQuota(households: -5).monthly, 0)

        let clock = TestClock(Self.shanghai(20, 10, month: 10))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id, area = w.a.areas[0].id, tz = w.a.community.timeZone
            _ = try await approve(app, w, t, rows(w, t, households: 400))
            let homes = try await eastUnits(app, w, 12)
            let households = try await app.store.visits.households(community: cid)
            XCTAssertTrue(households.fromTable)
            XCTAssertEqual(households.perArea[area], 400, "the approved table's number, not the 12 units in the registry")

            // October: eleven households, one of them twice.
            for home in homes.prefix(11) {
                clock.advance(minutes: 20)
                try await visit(app, w, home, by: t.supervisor)
            }
            clock.advance(minutes: 20)
            try await visit(app, w, homes[0], mode: .phone, by: t.supervisor)
            let progress = try await app.store.visits.progress(community: cid, areas: [area], month: "2026-10", timeZone: tz, households: households.perArea)
            XCTAssertEqual(progress.count, 1)
            XCTAssertEqual(progress.first?.month, 11, "a household visited twice counts once")
            XCTAssertEqual(progress.first?.monthLeft, 1)
            XCTAssertEqual(progress.first?.quota.monthly, 12)
            XCTAssertEqual(progress.first?.daysLeft, 12, "20 to 31 October")
            let october = try await duty(app, w, Self.monthlyDuty, month: "2026-10")
            XCTAssertEqual(october.measurement.numerator, 11)
            XCTAssertEqual(october.measurement.denominator, 12)
            XCTAssertEqual(october.outcome, .atRisk)
            let short = try XCTUnwrap(october.measurement.records.first)
            XCTAssertTrue(short.missed)
            XCTAssertTrue(short.label.contains("已访 11 户 / 应访 12 户"), short.label)

            // The month over with eleven: missed.
            move(clock, to: Self.shanghai(1, 0, 10))
            let decided = try await duty(app, w, Self.monthlyDuty, month: "2026-10")
            XCTAssertEqual(decided.measurement.numerator, 11)
            XCTAssertEqual(decided.measurement.denominator, 12)
            XCTAssertEqual(decided.outcome, .missed)

            // November: the same eleven, then a twelfth.
            move(clock, to: Self.shanghai(10, 9))
            for home in homes.prefix(11) {
                clock.advance(minutes: 20)
                try await visit(app, w, home, by: t.supervisor)
            }
            let eleven = try await duty(app, w, Self.monthlyDuty)
            XCTAssertEqual(eleven.measurement.numerator, 11, "October's visits do not count for November")
            XCTAssertEqual(eleven.measurement.denominator, 12)
            XCTAssertEqual(eleven.outcome, .atRisk)
            clock.advance(minutes: 20)
            try await visit(app, w, homes[11], by: t.supervisor)
            let twelve = try await duty(app, w, Self.monthlyDuty)
            XCTAssertEqual(twelve.measurement.numerator, 12)
            XCTAssertEqual(twelve.measurement.denominator, 12)
            XCTAssertEqual(twelve.outcome, .inProgress)
            XCTAssertEqual(twelve.measurement.records.filter(\.missed).count, 0)

            let year = try await duty(app, w, Self.annualDuty)
            XCTAssertEqual(year.period, "2026")
            XCTAssertEqual(year.measurement.numerator, 12, "twelve households over October and November")
            XCTAssertEqual(year.measurement.denominator, 144)
            XCTAssertEqual(year.outcome, .atRisk)
            let west = try await duty(app, w, Self.monthlyDuty, area: 1)
            XCTAssertEqual(west.measurement.numerator, 0)
            XCTAssertEqual(west.measurement.denominator, 3, "3% of the west area's 100 households")

            move(clock, to: Self.shanghai(1, 0, 10, month: 12))
            let met = try await duty(app, w, Self.monthlyDuty)
            XCTAssertEqual(met.measurement.numerator, 12)
            XCTAssertEqual(met.outcome, .met)
            // The whole community: the west area short fails it too.
            let community = try await duty(app, w, Self.monthlyDuty, area: nil)
            XCTAssertEqual(community.measurement.numerator, 12)
            XCTAssertEqual(community.measurement.denominator, 15)
            XCTAssertEqual(community.outcome, .missed)
        }
    }

    func testFLD5_phoneOnlyHouseholdsOverThirtyPercentOfTheYearsQuotaFailTheCapAndALaterDoorVisitClearsOne() async throws {
        let quota = VisitQuota(households: 10)
        XCTAssertEqual(quota.yearly, 4)
        XCTAssertEqual(quota.phoneCap, 1)

        // Counted per household over the year: reached at the door once, not a phone household;
        // a visit found not to have happened counts for nothing.
        let (a, b, c) = (UUID(), UUID(), UUID())
        func v(_ unit: UUID, _ mode: VisitMode, _ at: Date, _ check: SpotCheckOutcome? = nil) -> HouseholdVisit {
            HouseholdVisit(communityID: UUID(), areaID: UUID(), unitID: unit, byID: nil, byName: "", at: at, mode: mode, met: "业主", notes: "", check: check)
        }
        let counted = VisitProgress.count([v(a, .phone, Self.shanghai(5, 10, month: 10)), v(a, .door, Self.shanghai(3, 10)), v(b, .phone, Self.shanghai(4, 10)),
                                           v(c, .door, Self.shanghai(5, 10), .notHappened)],
                                          monthFrom: Self.shanghai(1, 0), monthUntil: Self.shanghai(1, 0, month: 12))
        XCTAssertEqual(counted.month, 2)
        XCTAssertEqual(counted.year, 2)
        XCTAssertEqual(counted.phoneYear, 1)

        let clock = TestClock(Self.shanghai(20, 10, month: 10))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            _ = try await approve(app, w, t, rows(w, t, households: 10))
            let homes = try await eastUnits(app, w, 3)

            // October: two households only by phone, one at the door.
            clock.advance(minutes: 20)
            try await visit(app, w, homes[0], mode: .phone, by: t.supervisor)
            clock.advance(minutes: 20)
            try await visit(app, w, homes[1], mode: .phone, by: t.supervisor)
            clock.advance(minutes: 20)
            try await visit(app, w, homes[2], mode: .door, by: t.supervisor)
            let over = try await duty(app, w, Self.phoneCapDuty, month: "2026-10")
            XCTAssertEqual(over.period, "2026")
            XCTAssertEqual(over.measurement.numerator, 2)
            XCTAssertEqual(over.measurement.denominator, 4)
            XCTAssertEqual(over.outcome, .atRisk, "2 phone households out of 4 required is over 30%")
            let miss = try XCTUnwrap(over.measurement.records.first)
            XCTAssertTrue(miss.missed)
            XCTAssertTrue(miss.label.contains("电话访问 2 户 / 上限 1 户"), miss.label)

            // November: the second household is seen at the door; it is no longer a phone household.
            move(clock, to: Self.shanghai(10, 10))
            try await visit(app, w, homes[1], mode: .door, by: t.supervisor)
            let within = try await duty(app, w, Self.phoneCapDuty)
            XCTAssertEqual(within.measurement.numerator, 1)
            XCTAssertEqual(within.measurement.denominator, 4)
            XCTAssertEqual(within.outcome, .inProgress)
            let coverage = try await duty(app, w, Self.annualDuty)
            XCTAssertEqual(coverage.measurement.numerator, 3)
            XCTAssertEqual(coverage.measurement.denominator, 4)
        }
    }

    // MARK: What a household raises becomes a request (FLD-5, S2 4.3.4)

    func testFLD5_anOpinionRaisedOnAVisitFilesExactlyOneLinkedOrderEvenWhenTheFormIsSentTwice() async throws {
        let clock = TestClock(Self.shanghai(10, 10))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let unit = w.a.units[0]
            let visitID = UUID()
            let raised = [RaisedItem(kind: .repair, text: "卫生间水龙头关不紧")]
            let first = try await visit(app, w, unit, raised: raised, id: visitID, by: t.supervisor)
            XCTAssertTrue(first.created)
            XCTAssertEqual(first.visit.id, visitID)
            XCTAssertEqual(first.visit.filed.count, 1)
            let filed = try XCTUnwrap(first.visit.filed.first)
            XCTAssertEqual(filed.kind, .repair)

            let stored = try await app.store.orders.order(filed.orderID)
            let order = try XCTUnwrap(stored)
            XCTAssertEqual(order.channel, .householdVisit)
            XCTAssertEqual(order.kind, .repair)
            XCTAssertEqual(order.unitID, unit.id)
            XCTAssertEqual(order.areaID, w.a.areas[0].id)
            XCTAssertEqual(order.number, filed.number)
            XCTAssertEqual(order.contactName, "王建国")
            XCTAssertTrue(order.description.contains("卫生间水龙头关不紧"), order.description)
            let back = try await app.store.visits.visit(order: order.id)
            XCTAssertEqual(back?.id, visitID)
            XCTAssertEqual(back?.filed, first.visit.filed)

            // The same form again (a double tap, a retry): the same visit, nothing new.
            clock.advance(minutes: 1)
            let again = try await visit(app, w, unit, raised: raised, id: visitID, by: t.supervisor)
            XCTAssertFalse(again.created)
            XCTAssertEqual(again.visit.id, visitID)
            XCTAssertEqual(again.visit.filed, first.visit.filed)
            let orders = try await visitOrders(app, w)
            XCTAssertEqual(orders.map(\.id), [order.id])
            let visits = try await app.store.visits.visits(community: w.a.community.id, areas: nil, from: Self.shanghai(1, 0),
                                                           until: Self.shanghai(1, 0, month: 12))
            XCTAssertEqual(visits.map(\.id), [visitID])
            // The form's id reused for another household is refused, and files nothing.
            let reused = await refusal(try await self.visit(app, w, w.a.units[1], raised: raised, id: visitID, by: t.supervisor))
            XCTAssertEqual(reused?.kind, .conflict)
            XCTAssertEqual(reused?.code, "visit_id_reused")
            let still = try await visitOrders(app, w)
            XCTAssertEqual(still.count, 1)

            // The visit opened the supervisor's log of the day, which shows it.
            let opened = try await app.store.workLogs.log(supervisor: t.supervisor.userID!, day: "2026-11-10")
            let log = try XCTUnwrap(opened)
            let day = try await app.store.workLogs.dayRecords(log)
            XCTAssertEqual(day.visits.map(\.id), [visitID])
        }
    }

    func testFLD5_aVisitTheSpotCheckFoundDidNotHappenStopsCounting() async throws {
        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id, area = w.a.areas[0].id, tz = w.a.community.timeZone
            _ = try await approve(app, w, t, rows(w, t, households: 400))
            for home in try await eastUnits(app, w, 12) {
                clock.advance(minutes: 15)
                try await visit(app, w, home, by: t.supervisor)
            }
            let full = try await duty(app, w, Self.monthlyDuty)
            XCTAssertEqual(full.measurement.numerator, 12)
            XCTAssertEqual(full.outcome, .inProgress)

            clock.advance(minutes: 60)
            let drawn = try await app.store.supervision.draw(community: cid, month: "2026-11", timeZone: tz, seed: 7, by: t.desk)
            let picked = try XCTUnwrap(drawn?.plans.first?.picked)
            XCTAssertEqual(picked.count, 2, "⌈10% of 12⌉")
            let checks = try await app.store.supervision.checks(community: cid, areas: [area], from: Self.shanghai(1, 0), until: Self.shanghai(1, 0, month: 12))
            XCTAssertEqual(Set(checks.map(\.visitID)), Set(picked))
            let failing = try XCTUnwrap(checks.first { $0.visitID == picked[0] })
            let called = try await app.store.supervision.call(failing.id, outcome: .notHappened, note: "业户称当天无人上门", by: t.desk)
            XCTAssertEqual(called.outcome, .notHappened)
            let found = try await app.store.visits.visit(picked[0])
            XCTAssertEqual(found?.check, .notHappened)
            XCTAssertEqual(found?.counts, false)

            let after = try await duty(app, w, Self.monthlyDuty)
            XCTAssertEqual(after.measurement.numerator, 11, "the visit that did not happen counts for nothing")
            XCTAssertEqual(after.measurement.denominator, 12)
            XCTAssertEqual(after.outcome, .atRisk)
            let households = try await app.store.visits.households(community: cid).perArea
            let progress = try await app.store.visits.progress(community: cid, areas: [area], month: "2026-11", timeZone: tz, households: households)
            XCTAssertEqual(progress.first?.month, 11)
            XCTAssertEqual(progress.first?.year, 11)
            XCTAssertEqual(progress.first?.monthLeft, 1)

            // The other one confirmed: it still counts.
            let confirming = try XCTUnwrap(checks.first { $0.visitID == picked[1] })
            _ = try await app.store.supervision.call(confirming.id, outcome: .confirmed, note: "", by: t.desk)
            let confirmed = try await app.store.visits.visit(picked[1])
            XCTAssertEqual(confirmed?.check, .confirmed)
            XCTAssertEqual(confirmed?.counts, true)
            let same = try await duty(app, w, Self.monthlyDuty)
            XCTAssertEqual(same.measurement.numerator, 11)
        }
    }

    // MARK: The daily log and its review (FLD-6, S2 4.8)

    func testFLD6_aFridayLogIsDueForReviewByTheEndOfMondayAndAlertsOnlyAfterThat() async throws {
        let clock = TestClock(Self.shanghai(6, 10))  // Friday
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            try await weekdaysOnly(app, w, t)

            let log = try await app.store.workLogs.today(for: t.supervisor, community: cid)
            XCTAssertEqual(log.day, "2026-11-06")
            XCTAssertEqual(log.areaID, w.a.areas[0].id)
            XCTAssertEqual(log.dayStart, Self.shanghai(6, 0))
            XCTAssertEqual(log.dayEnd, Self.shanghai(7, 0))
            XCTAssertEqual(log.reviewDueAt, Self.shanghai(10, 0), "Saturday and Sunday are not working days: the end of Monday")
            let again = try await app.store.workLogs.today(for: t.supervisor, community: cid)
            XCTAssertEqual(again.id, log.id, "one log a day")
            _ = try await app.store.workLogs.write(.note, "巡查1栋大堂,照明正常", in: log.id, by: t.supervisor)
            let other = try await app.store.workLogs.today(for: t.standIn, community: cid)
            XCTAssertEqual(other.areaID, w.a.areas[1].id)
            XCTAssertEqual(other.reviewDueAt, Self.shanghai(10, 0))

            // Monday morning the CS manager replies to the stand-in's log only.
            move(clock, to: Self.shanghai(9, 9))
            let reply = try await app.store.workLogs.write(.review, "已阅,西区路灯报修请跟进", in: other.id, by: t.manager)
            XCTAssertEqual(reply.kind, "review")
            XCTAssertEqual(reply.data["onTime"], "1")
            let replied = try await app.store.workLogs.log(other.id)
            XCTAssertEqual(replied?.reviewedAt, Self.shanghai(9, 9))
            XCTAssertEqual(replied?.reviewedBy, "a.manager")
            XCTAssertEqual(replied?.reviewedOnTime, true)

            // Monday 23:59: nothing is late yet.
            move(clock, to: Self.shanghai(9, 23, 59))
            _ = try await drain(app)
            let early = try await app.store.alerts.alerts(of: .workLog, log.id)
            XCTAssertTrue(early.isEmpty, "\(early)")
            let waiting = try await duty(app, w, Self.reviewDuty)
            XCTAssertEqual(waiting.measurement.denominator, 0, "not due yet")

            // Tuesday 00:01: the supervisor's log was not replied to.
            move(clock, to: Self.shanghai(10, 0, 1))
            _ = try await drain(app)
            let alerts = try await app.store.alerts.alerts(of: .workLog, log.id)
            XCTAssertEqual(alerts.map(\.kind), [.deadlinePassed])
            let alert = try XCTUnwrap(alerts.first)
            XCTAssertEqual(alert.subjectKind, .workLog)
            XCTAssertEqual(alert.subjectID, log.id)
            XCTAssertEqual(alert.level, .csManager)
            XCTAssertEqual(alert.areaID, w.a.areas[0].id)
            XCTAssertEqual(alert.dueAt, Self.shanghai(10, 0))
            let entries = try await app.store.workLogs.entries(log)
            XCTAssertEqual(entries.map(\.kind), ["opened", "note", "review_overdue"])
            let quiet = try await app.store.alerts.alerts(of: .workLog, other.id)
            XCTAssertTrue(quiet.isEmpty, "the reply stopped its clock: \(quiet)")

            let missed = try await duty(app, w, Self.reviewDuty)
            XCTAssertEqual(missed.measurement.numerator, 0)
            XCTAssertEqual(missed.measurement.denominator, 1)
            XCTAssertEqual(missed.outcome, .atRisk)
            let record = try XCTUnwrap(missed.measurement.records.first)
            XCTAssertTrue(record.missed)
            XCTAssertTrue(record.label.contains("2026-11-06") && record.label.contains("未审阅"), record.label)
            XCTAssertEqual(record.path, "/logs/\(log.id.uuidString)")
            let kept = try await duty(app, w, Self.reviewDuty, area: 1)
            XCTAssertEqual(kept.measurement.numerator, 1)
            XCTAssertEqual(kept.measurement.denominator, 1)
            XCTAssertEqual(kept.outcome, .inProgress)

            // A reply on Tuesday is on the record, late; it raises nothing more.
            move(clock, to: Self.shanghai(10, 9))
            let late = try await app.store.workLogs.write(.review, "已阅", in: log.id, by: t.manager)
            XCTAssertEqual(late.data["onTime"], "0")
            _ = try await drain(app)
            let still = try await app.store.alerts.alerts(of: .workLog, log.id)
            XCTAssertEqual(still.count, 1)
            let lateDuty = try await duty(app, w, Self.reviewDuty)
            XCTAssertEqual(lateDuty.measurement.numerator, 0)
            XCTAssertEqual(lateDuty.measurement.denominator, 1)
            XCTAssertTrue(lateDuty.measurement.records.first?.label.contains("逾期审阅") == true, "\(lateDuty.measurement.records)")
        }
    }

    func testFLD6_onlyTheSupervisorWritesInTheirLogLateEntriesAreMarkedAndHandoversReachTheStandIn() async throws {
        let clock = TestClock(Self.shanghai(6, 10))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            let log = try await app.store.workLogs.today(for: t.supervisor, community: cid)
            clock.advance(minutes: 60)
            let note = try await app.store.workLogs.write(.note, "1栋电梯厅照明已报修", in: log.id, by: t.supervisor)
            XCTAssertNil(note.data["late"])

            // Another supervisor cannot write in it.
            let foreign = await refusal(try await app.store.workLogs.write(.note, "代写一条", in: log.id, by: t.standIn))
            XCTAssertEqual(foreign?.kind, .forbidden)
            XCTAssertEqual(foreign?.code, "not_your_log")
            // Nor can anyone write the records' own entries by hand.
            let forged = await refusal(try await app.store.workLogs.write(.inspection, "现场检查", in: log.id, by: t.manager))
            XCTAssertEqual(forged?.kind, .invalidInput)

            // A handover to the stand-in, seen on the stand-in's side.
            clock.advance(minutes: 60)
            let handover = try await app.store.workLogs.write(.handover, "2栋1201漏水回访待跟进", in: log.id, handoverTo: t.standIn.userID, by: t.supervisor)
            XCTAssertEqual(handover.data["to"], "a.standin")
            let toStandIn = try await app.store.workLogs.handovers(to: t.standIn.userID!, since: log.dayStart)
            XCTAssertEqual(toStandIn.count, 1)
            XCTAssertEqual(toStandIn.first?.logID, log.id)
            XCTAssertEqual(toStandIn.first?.items, "2栋1201漏水回访待跟进")
            XCTAssertEqual(toStandIn.first?.fromName, "a.supervisor")
            XCTAssertEqual(toStandIn.first?.toName, "a.standin")
            let toSupervisor = try await app.store.workLogs.handovers(to: t.supervisor.userID!, since: log.dayStart)
            XCTAssertTrue(toSupervisor.isEmpty)
            let inLog = try await app.store.workLogs.handovers(log: log.id)
            XCTAssertEqual(inLog.count, 1)
            let toSelf = await refusal(try await app.store.workLogs.write(.handover, "交给自己", in: log.id, handoverTo: t.supervisor.userID, by: t.supervisor))
            XCTAssertEqual(toSelf?.details.first?.field, "to")

            // Saturday morning: an entry in Friday's log is marked as added after the day.
            let before = try await app.store.workLogs.entries(log)
            move(clock, to: Self.shanghai(7, 8))
            let late = try await app.store.workLogs.write(.issue, "补记:周五傍晚2栋天面积水", in: log.id, by: t.supervisor)
            XCTAssertEqual(late.data["late"], "1")
            let after = try await app.store.workLogs.entries(log)
            XCTAssertEqual(after.map(\.kind), ["opened", "note", "handover", "issue"])
            XCTAssertEqual(Array(after.prefix(before.count)), before, "nothing written before changes")
            XCTAssertEqual(after.last?.prevHash, before.last?.hash)
            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")
        }
    }

    // MARK: Spot checks and inspections (FLD-7, S2 4.9)

    func testFLD7_theMonthlyDrawPicksTenPercentReproduciblyAndAFailedCallGoesIntoTheSupervisorsLog() async throws {
        XCTAssertEqual(SpotCheckSample.required(25), 3)
        XCTAssertEqual(SpotCheckSample.required(35), 4)
        XCTAssertEqual(SpotCheckSample.required(10), 1)
        XCTAssertEqual(SpotCheckSample.required(0), 0)

        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id, area = w.a.areas[0].id, tz = w.a.community.timeZone
            let homes = try await eastUnits(app, w, 5)
            var ids: [UUID] = []
            for i in 0..<25 {
                clock.advance(minutes: 10)
                ids.append(try await visit(app, w, homes[i % homes.count], mode: i % 4 == 0 ? .phone : .door, by: t.supervisor).visit.id)
            }

            clock.advance(minutes: 60)
            let made = try await app.store.supervision.draw(community: cid, month: "2026-11", timeZone: tz, seed: 42, by: t.desk)
            let draw = try XCTUnwrap(made)
            XCTAssertEqual(draw.seed, 42)
            XCTAssertEqual(draw.plans.count, 1, "only the east area has visits")
            let plan = try XCTUnwrap(draw.plans.first)
            XCTAssertEqual(plan.area, area)
            XCTAssertEqual(plan.population, ids, "the month's visits in the order they were made")
            XCTAssertTrue(plan.drawnBefore.isEmpty)
            XCTAssertEqual(plan.picked.count, 3, "⌈10% of 25⌉")
            XCTAssertEqual(Set(plan.picked).count, 3)
            XCTAssertTrue(Set(plan.picked).isSubset(of: Set(ids)))
            XCTAssertTrue(draw.reproduces)
            XCTAssertEqual(SpotCheckSample.draw(population: plan.population, drawn: [], seed: 42), plan.picked, "the same seed draws the same visits")
            let others = (1...8).map { SpotCheckSample.draw(population: plan.population, drawn: [], seed: 42 &+ UInt64($0)) }
            XCTAssertTrue(others.contains { $0 != plan.picked }, "another seed draws other visits")
            XCTAssertTrue(others.allSatisfy { $0.count == 3 && Set($0).count == 3 })

            // The share is reached: nothing more to draw.
            let second = try await app.store.supervision.draw(community: cid, month: "2026-11", timeZone: tz, by: t.desk)
            XCTAssertNil(second)
            let checks = try await app.store.supervision.checks(community: cid, areas: [area], from: Self.shanghai(1, 0), until: Self.shanghai(1, 0, month: 12))
            XCTAssertEqual(checks.count, 3)
            XCTAssertEqual(Set(checks.map(\.visitID)), Set(plan.picked))
            XCTAssertTrue(checks.allSatisfy { $0.outcome == nil && $0.supervisorName == "a.supervisor" })

            let untouched = try await duty(app, w, Self.spotCheckDuty)
            XCTAssertEqual(untouched.measurement.numerator, 0)
            XCTAssertEqual(untouched.measurement.denominator, 25)

            // Nobody answers: not yet checked.
            clock.advance(minutes: 30)
            let failing = checks[0]
            let unanswered = try await app.store.supervision.call(failing.id, outcome: .unreachable, note: "", by: t.desk)
            XCTAssertEqual(unanswered.outcome, .unreachable)
            let stillOpen = try await app.store.visits.visit(failing.visitID)
            XCTAssertNil(stillOpen?.check)
            let none = try await duty(app, w, Self.spotCheckDuty)
            XCTAssertEqual(none.measurement.numerator, 0)

            // Called again: the household says nobody came.
            clock.advance(minutes: 30)
            let noNote = await refusal(try await app.store.supervision.call(failing.id, outcome: .notHappened, note: "", by: t.desk))
            XCTAssertEqual(noNote?.details.first?.field, "note")
            _ = try await app.store.supervision.call(failing.id, outcome: .notHappened, note: "业户称当天无人上门", by: t.desk)
            let marked = try await app.store.visits.visit(failing.visitID)
            XCTAssertEqual(marked?.check, .notHappened)
            let logged = try await app.store.workLogs.log(supervisor: t.supervisor.userID!, day: "2026-11-10")
            let log = try XCTUnwrap(logged)
            let entries = try await app.store.workLogs.entries(log)
            let finding = try XCTUnwrap(entries.first { $0.kind == "spot_check_failed" }, "\(entries.map(\.kind))")
            XCTAssertEqual(finding.data["visit"], failing.visitID.uuidString)
            XCTAssertEqual(finding.data["check"], failing.id.uuidString)
            XCTAssertEqual(finding.actorName, "a.desk")
            XCTAssertTrue(finding.note?.contains("业户称当天无人上门") == true, finding.note ?? "nil")
            XCTAssertEqual(entries.filter { $0.kind == "spot_check_failed" }.count, 1)
            // A settled check is not called otherwise.
            let changed = await refusal(try await app.store.supervision.call(failing.id, outcome: .confirmed, note: "", by: t.desk))
            XCTAssertEqual(changed?.code, "spot_check_done")

            for check in checks.dropFirst() {
                _ = try await app.store.supervision.call(check.id, outcome: .confirmed, note: "", by: t.desk)
            }
            let checked = try await duty(app, w, Self.spotCheckDuty)
            XCTAssertEqual(checked.measurement.numerator, 3)
            XCTAssertEqual(checked.measurement.denominator, 25)
            XCTAssertEqual(checked.outcome, .inProgress)
            XCTAssertTrue(checked.measurement.records.contains { $0.missed && $0.label.contains("抽查不属实") }, "\(checked.measurement.records)")

            // Ten more visits: 3 of 35 is short of 10%, and the next draw adds one not drawn before.
            for i in 0..<10 {
                clock.advance(minutes: 10)
                ids.append(try await visit(app, w, homes[i % homes.count], by: t.supervisor).visit.id)
            }
            let short = try await duty(app, w, Self.spotCheckDuty)
            XCTAssertEqual(short.measurement.numerator, 3)
            XCTAssertEqual(short.measurement.denominator, 35)
            XCTAssertEqual(short.outcome, .atRisk)
            let topUp = try await app.store.supervision.draw(community: cid, month: "2026-11", timeZone: tz, by: t.desk)
            let more = try XCTUnwrap(topUp?.plans.first)
            XCTAssertEqual(more.population.count, 35)
            XCTAssertEqual(Set(more.drawnBefore), Set(plan.picked))
            XCTAssertEqual(more.picked.count, 1)
            XCTAssertFalse(plan.picked.contains(more.picked[0]))
            XCTAssertEqual(topUp?.reproduces, true)
            let draws = try await app.store.supervision.draws(community: cid, month: "2026-11")
            XCTAssertEqual(draws.count, 2)
            XCTAssertEqual(draws.first?.seed, 42)
            XCTAssertEqual(draws.first?.plans, draw.plans, "the plan is kept as drawn")
            XCTAssertEqual(draws.first?.reproduces, true)
        }
    }

    func testFLD7_oneInspectionAMonthMissesTheDutyTwoMeetItAndTheInspectionIsInTheSupervisorsLog() async throws {
        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id, area = w.a.areas[0].id
            _ = try await approve(app, w, t, rows(w, t, households: 400))
            let log = try await app.store.workLogs.today(for: t.supervisor, community: cid)
            let standInLog = try await app.store.workLogs.today(for: t.standIn, community: cid)

            clock.advance(minutes: 120)
            let first = try await app.store.supervision.inspect(community: cid, area: area, matchesLog: false, findings: "1栋大堂灯具损坏未见记录",
                                                                photos: [], by: t.manager)
            XCTAssertEqual(first.logID, log.id, "checked against the log the area's supervisor keeps today")
            XCTAssertEqual(first.inspectorName, "a.manager")
            let entries = try await app.store.workLogs.entries(log)
            let entry = try XCTUnwrap(entries.first { $0.kind == "inspection" }, "\(entries.map(\.kind))")
            XCTAssertEqual(entry.data["inspection"], first.id.uuidString)
            XCTAssertTrue(entry.note?.contains("1栋大堂灯具损坏未见记录") == true, entry.note ?? "nil")
            XCTAssertTrue(entry.note?.contains("与记录不符") == true, entry.note ?? "nil")
            let other = try await app.store.workLogs.entries(standInLog)
            XCTAssertFalse(other.contains { $0.kind == "inspection" }, "the west area's supervisor's log is not touched")

            let once = try await duty(app, w, Self.inspectionDuty)
            XCTAssertEqual(once.measurement.numerator, 1)
            XCTAssertEqual(once.measurement.denominator, 2)
            XCTAssertEqual(once.outcome, .atRisk)

            // The second, another day when the supervisor has no log open yet.
            move(clock, to: Self.shanghai(20, 15))
            let second = try await app.store.supervision.inspect(community: cid, area: area, matchesLog: true, findings: "与记录一致", photos: [], by: t.manager)
            XCTAssertNil(second.logID)
            let listed = try await app.store.supervision.inspections(community: cid, areas: [area], from: Self.shanghai(1, 0), until: Self.shanghai(1, 0, month: 12))
            XCTAssertEqual(listed.map(\.id), [second.id, first.id])
            let twice = try await duty(app, w, Self.inspectionDuty)
            XCTAssertEqual(twice.measurement.numerator, 2)
            XCTAssertEqual(twice.measurement.denominator, 2)
            XCTAssertEqual(twice.outcome, .inProgress)
            let west = try await duty(app, w, Self.inspectionDuty, area: 1)
            XCTAssertEqual(west.measurement.numerator, 0)
            XCTAssertEqual(west.measurement.denominator, 2)
            let community = try await duty(app, w, Self.inspectionDuty, area: nil)
            XCTAssertEqual(community.measurement.numerator, 2)
            XCTAssertEqual(community.measurement.denominator, 4)

            move(clock, to: Self.shanghai(1, 0, 10, month: 12))
            let met = try await duty(app, w, Self.inspectionDuty)
            XCTAssertEqual(met.outcome, .met)
            let westMissed = try await duty(app, w, Self.inspectionDuty, area: 1)
            XCTAssertEqual(westMissed.outcome, .missed)
        }
    }

    // MARK: The assignment table and staff changes (FLD-1, S2 3.2, 4.1.1)

    func testFLD1_aTableIsDecidedOnlyWhenSubmittedAndAReturnNeedsAReason() async throws {
        let clock = TestClock(Self.shanghai(6, 9))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            let draft = try await app.store.assignments.draft(community: cid, rows: rows(w, t, households: 400), note: "首版", by: t.manager)
            XCTAssertEqual(draft.status, .draft)
            XCTAssertEqual(draft.version, 1)
            XCTAssertEqual(draft.rows.map(\.areaName), [w.a.areas[0].name, w.a.areas[1].name])
            XCTAssertEqual(draft.rows.map(\.supervisorName), ["a.supervisor", "a.standin"])
            XCTAssertEqual(draft.rows.map(\.standInName), ["a.standin", "a.supervisor"])

            // Only an active area supervisor of the community can be named.
            var wrong = rows(w, t, households: 400)
            wrong[0].supervisorID = t.manager.userID!
            let notSupervisor = await refusal(try await app.store.assignments.draft(community: cid, rows: wrong, note: "", by: t.manager))
            XCTAssertEqual(notSupervisor?.details.first?.field, "supervisorId")

            let unsubmitted = await refusal(try await app.store.assignments.decide(draft.id, approve: true, note: "", by: t.head))
            XCTAssertEqual(unsubmitted?.kind, .conflict)
            XCTAssertEqual(unsubmitted?.code, "assignment_status")
            let stillDraft = try await app.store.assignments.table(draft.id)
            XCTAssertEqual(stillDraft?.status, .draft)

            clock.advance(minutes: 10)
            let submitted = try await app.store.assignments.submit(draft.id, by: t.manager)
            XCTAssertEqual(submitted.status, .submitted)
            XCTAssertEqual(submitted.submittedAt, clock.now)
            let noReason = await refusal(try await app.store.assignments.decide(draft.id, approve: false, note: "  ", by: t.head))
            XCTAssertEqual(noReason?.kind, .invalidInput)
            XCTAssertEqual(noReason?.details.first?.field, "note")
            let stillSubmitted = try await app.store.assignments.table(draft.id)
            XCTAssertEqual(stillSubmitted?.status, .submitted)

            clock.advance(minutes: 10)
            let returned = try await app.store.assignments.decide(draft.id, approve: false, note: "西区户数有误", by: t.head)
            XCTAssertEqual(returned.status, .returned)
            XCTAssertEqual(returned.decisionNote, "西区户数有误")
            XCTAssertEqual(returned.decidedBy, "a.head")
            let none = try await app.store.assignments.inForce(community: cid)
            XCTAssertNil(none)
            let noCards = try await app.store.assignments.cards(community: cid)
            XCTAssertTrue(noCards.isEmpty, "a returned table issues no cards")

            clock.advance(minutes: 10)
            _ = try await app.store.assignments.submit(draft.id, by: t.manager)
            let approved = try await app.store.assignments.decide(draft.id, approve: true, note: "", by: t.head)
            XCTAssertEqual(approved.status, .approved)
            XCTAssertEqual(approved.decidedAt, clock.now)
            let inForce = try await app.store.assignments.inForce(community: cid)
            XCTAssertEqual(inForce?.id, draft.id)
            let decidedAgain = await refusal(try await app.store.assignments.decide(draft.id, approve: false, note: "再退回", by: t.head))
            XCTAssertEqual(decidedAgain?.code, "assignment_status")
            let entries = try await app.store.timelines.entries(.assignmentTable, draft.id)
            XCTAssertEqual(entries.map(\.kind), ["drafted", "submitted", "returned", "submitted", "approved"])
            XCTAssertEqual(entries[2].note, "西区户数有误")

            let next = try await app.store.assignments.draft(community: cid, rows: rows(w, t, households: 410), note: "", by: t.manager)
            XCTAssertEqual(next.version, 2)
        }
    }

    func testFLD1_aDeactivatedSupervisorWithoutANewTableInThreeWorkingDaysAlertsAndMissesTheDuty() async throws {
        XCTAssertEqual(WorkingDays(ServiceHours(weekdays: Set(1...5))).endOfWorkingDay(3, after: Self.shanghai(6, 10)), Self.shanghai(12, 0),
                       "Friday: Monday, Tuesday, Wednesday")
        let clock = TestClock(Self.shanghai(6, 9))  // Friday
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            try await weekdaysOnly(app, w, t)
            _ = try await approve(app, w, t, rows(w, t, households: 400))

            // Someone not named in the table leaves: nothing to redo.
            clock.advance(minutes: 30)
            _ = try await app.store.accounts.update(w.accounts["a.engineer"]!.id, .init(active: false), by: who(w, "admin"))
            let unaffected = try await app.store.assignments.staffChanges(community: cid)
            XCTAssertTrue(unaffected.isEmpty)

            move(clock, to: Self.shanghai(6, 10))
            _ = try await app.store.accounts.update(t.supervisor.userID!, .init(active: false), by: who(w, "admin"))
            let changes = try await app.store.assignments.staffChanges(community: cid)
            XCTAssertEqual(changes.count, 1, "one change, though named twice (supervisor and stand-in)")
            let change = try XCTUnwrap(changes.first)
            XCTAssertEqual(change.kind, .deactivated)
            XCTAssertEqual(change.userID, t.supervisor.userID)
            XCTAssertEqual(change.at, Self.shanghai(6, 10))
            XCTAssertEqual(change.dueAt, Self.shanghai(12, 0), "three working days of the contract's calendar")
            XCTAssertNil(change.resolvedAt)

            // Wednesday 23:59: not yet due.
            move(clock, to: Self.shanghai(11, 23, 59))
            _ = try await drain(app)
            let early = try await app.store.alerts.alerts(of: .staffChange, change.id)
            XCTAssertTrue(early.isEmpty, "\(early)")
            let waiting = try await duty(app, w, Self.newTableDuty, area: nil)
            XCTAssertEqual(waiting.measurement.denominator, 0)
            XCTAssertEqual(waiting.outcome, .noRecords)

            // Thursday 00:01: no new table.
            move(clock, to: Self.shanghai(12, 0, 1))
            _ = try await drain(app)
            let alerts = try await app.store.alerts.alerts(of: .staffChange, change.id)
            XCTAssertEqual(alerts.map(\.kind), [.deadlinePassed])
            XCTAssertEqual(alerts.first?.subjectKind, .staffChange)
            XCTAssertEqual(alerts.first?.level, .csManager)
            XCTAssertEqual(alerts.first?.communityID, cid)
            let entries = try await app.store.timelines.entries(.staffChange, change.id)
            XCTAssertEqual(entries.map(\.kind), ["recorded", "deadline_passed"])
            let stored = try await app.store.assignments.staffChange(change.id)
            XCTAssertEqual(stored?.overdue(at: clock.now), true)
            let missed = try await duty(app, w, Self.newTableDuty, area: nil)
            XCTAssertEqual(missed.measurement.numerator, 0)
            XCTAssertEqual(missed.measurement.denominator, 1)
            XCTAssertEqual(missed.outcome, .atRisk)
            XCTAssertEqual(missed.measurement.records.first?.missed, true)
            // Nothing fires twice.
            clock.advance(minutes: 24 * 60)
            _ = try await drain(app)
            let again = try await app.store.alerts.alerts(of: .staffChange, change.id)
            XCTAssertEqual(again.count, 1)
        }
    }

    func testFLD1_aNewTableApprovedInTimeSettlesTheStaffChange() async throws {
        let clock = TestClock(Self.shanghai(6, 9))  // Friday
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            try await weekdaysOnly(app, w, t)
            let first = try await approve(app, w, t, rows(w, t, households: 400))
            move(clock, to: Self.shanghai(6, 10))
            _ = try await app.store.accounts.update(t.supervisor.userID!, .init(active: false), by: who(w, "admin"))
            let recorded = try await app.store.assignments.staffChanges(community: cid)
            let change = try XCTUnwrap(recorded.first)
            XCTAssertEqual(change.dueAt, Self.shanghai(12, 0))

            // Tuesday: the one who left cannot be named; the stand-in takes both areas.
            move(clock, to: Self.shanghai(10, 15))
            let gone = await refusal(try await app.store.assignments.draft(community: cid, rows: self.rows(w, t, households: 400), note: "", by: t.manager))
            XCTAssertEqual(gone?.details.first?.field, "supervisorId")
            let second = try await approve(app, w, t, [row(w, area: 0, supervisor: t.standIn, standIn: nil, households: 400, mobile: "13800002002"),
                                                       row(w, area: 1, supervisor: t.standIn, standIn: nil, households: 100, mobile: "13800002002")])
            XCTAssertEqual(second.version, 2)
            let settled = try await app.store.assignments.staffChange(change.id)
            XCTAssertEqual(settled?.resolvedAt, Self.shanghai(10, 15))
            XCTAssertEqual(settled?.resolvedByTableID, second.id)
            XCTAssertEqual(settled?.overdue(at: Self.shanghai(20, 0)), false)
            let superseded = try await app.store.assignments.table(first.id)
            XCTAssertEqual(superseded?.status, .superseded)
            let inForce = try await app.store.assignments.inForce(community: cid)
            XCTAssertEqual(inForce?.id, second.id)

            move(clock, to: Self.shanghai(12, 0, 1))
            _ = try await drain(app)
            let alerts = try await app.store.alerts.alerts(of: .staffChange, change.id)
            XCTAssertTrue(alerts.isEmpty, "\(alerts)")
            let entries = try await app.store.timelines.entries(.staffChange, change.id)
            XCTAssertEqual(entries.map(\.kind), ["recorded", "resolved"])
            XCTAssertEqual(entries.last?.data["table"], second.id.uuidString)
            let kept = try await duty(app, w, Self.newTableDuty, area: nil)
            XCTAssertEqual(kept.measurement.numerator, 1)
            XCTAssertEqual(kept.measurement.denominator, 1)
            XCTAssertEqual(kept.outcome, .inProgress)
            move(clock, to: Self.shanghai(1, 0, 10, month: 12))
            let met = try await duty(app, w, Self.newTableDuty, area: nil)
            XCTAssertEqual(met.outcome, .met)
        }
    }

    // MARK: Lobby contact cards (FLD-2, S2 4.1.2)

    func testFLD2_approvingTheFirstTableIssuesACardPerAreaAndAChangedMobileIssuesExactlyOneNewCard() async throws {
        let clock = TestClock(Self.shanghai(6, 10))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            let first = try await approve(app, w, t, rows(w, t, households: 400))
            let cards = try await app.store.assignments.cards(community: cid)
            XCTAssertEqual(cards.count, 2)
            XCTAssertEqual(Set(cards.map(\.areaID)), Set(w.a.areas.map(\.id)))
            XCTAssertTrue(cards.allSatisfy { $0.tableID == first.id && $0.issuedAt == Self.shanghai(6, 10) && $0.dueAt == Self.shanghai(9, 10) })
            let east = try XCTUnwrap(cards.first { $0.areaID == w.a.areas[0].id })
            let west = try XCTUnwrap(cards.first { $0.areaID == w.a.areas[1].id })
            XCTAssertEqual(east.supervisorName, "a.supervisor")
            XCTAssertEqual(east.mobile, "13800002001")
            XCTAssertEqual(west.supervisorName, "a.standin")

            // Saturday: the east card is posted; the west one only printed.
            move(clock, to: Self.shanghai(7, 11))
            let posted = try await app.store.assignments.mark(east.id, posted: true, by: t.desk)
            XCTAssertEqual(posted.postedAt, Self.shanghai(7, 11))
            XCTAssertEqual(posted.postedBy, "a.desk")
            let printed = try await app.store.assignments.mark(west.id, posted: false, by: t.desk)
            XCTAssertEqual(printed.printedAt, Self.shanghai(7, 11))
            XCTAssertNil(printed.postedAt)

            move(clock, to: Self.shanghai(9, 10, 1))
            _ = try await drain(app)
            let quiet = try await app.store.alerts.alerts(of: .contactCard, east.id)
            XCTAssertTrue(quiet.isEmpty, "\(quiet)")
            let late = try await app.store.alerts.alerts(of: .contactCard, west.id)
            XCTAssertEqual(late.map(\.kind), [.deadlinePassed])
            XCTAssertEqual(late.first?.areaID, w.a.areas[1].id)
            let westEntries = try await app.store.timelines.entries(.contactCard, west.id)
            XCTAssertEqual(westEntries.map(\.kind), ["printed", "deadline_passed"])
            let half = try await duty(app, w, Self.cardDuty, area: nil)
            XCTAssertEqual(half.measurement.numerator, 1)
            XCTAssertEqual(half.measurement.denominator, 2)
            XCTAssertEqual(half.outcome, .atRisk)
            let miss = try XCTUnwrap(half.measurement.records.first)
            XCTAssertTrue(miss.missed && miss.label.contains("a.standin"), miss.label)

            // A new table that changes only the west area's mobile: one new card, for the west.
            move(clock, to: Self.shanghai(10, 9))
            var changed = first.rows
            let i = try XCTUnwrap(changed.firstIndex { $0.areaID == w.a.areas[1].id })
            changed[i].mobile = "13900009999"
            let second = try await approve(app, w, t, changed)
            let all = try await app.store.assignments.cards(community: cid)
            XCTAssertEqual(all.count, 3)
            let new = all.filter { $0.tableID == second.id }
            XCTAssertEqual(new.count, 1)
            let card = try XCTUnwrap(new.first)
            XCTAssertEqual(card.areaID, w.a.areas[1].id)
            XCTAssertEqual(card.mobile, "13900009999")
            XCTAssertEqual(card.dueAt, Self.shanghai(13, 9))
            let latest = try await app.store.assignments.latestCards(community: cid)
            XCTAssertEqual(latest[w.a.areas[0].id]?.id, east.id, "the east card still shows what it should")
            XCTAssertEqual(latest[w.a.areas[1].id]?.id, card.id)

            move(clock, to: Self.shanghai(11, 9))
            _ = try await app.store.assignments.mark(card.id, posted: true, by: t.desk)
            let later = try await duty(app, w, Self.cardDuty, area: nil)
            XCTAssertEqual(later.measurement.numerator, 2)
            XCTAssertEqual(later.measurement.denominator, 3)
        }
    }

    // MARK: Scopes (SEC-2) on the new routes

    /// An area supervisor reaches their own area's visits, logs and quotas and nothing of the
    /// other area; the desk's call list, the manager's inspections and the head's approval are
    /// refused to them; over the pages as over the API.
    func testFLD5_anAreaSupervisorReachesOnlyTheirOwnAreasRecordsOnEveryNewRoute() async throws {
        let clock = TestClock(Self.shanghai(16, 10))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            // A visit in each area: the supervisor's in the east, the stand-in's in the west.
            let east = try await app.store.visits.record(.init(visitID: UUID(), unitID: w.a.units[0].id, mode: .door, met: "东区业主", notes: "东区家访", raised: []),
                                                         community: cid, areas: nil, by: t.supervisor).visit
            let west = try await app.store.visits.record(.init(visitID: UUID(), unitID: w.a.units[2].id, mode: .door, met: "西区业主", notes: "西区家访", raised: []),
                                                         community: cid, areas: nil, by: t.standIn).visit
            let found = try await app.store.workLogs.log(supervisor: t.standIn.userID!, day: "2026-11-16")
            let westLog = try XCTUnwrap(found)

            let list = try await app.call(.GET, "/api/v1/communities/\(cid)/household-visits", as: "a.supervisor", in: w)
            XCTAssertEqual(list.status, .ok, list.text)
            XCTAssertTrue(list.text.contains(east.id.uuidString))
            XCTAssertFalse(list.text.contains(west.id.uuidString), "the west area's visit is not the east supervisor's to see")
            let other = try await app.call(.GET, "/api/v1/communities/\(cid)/household-visits?areaId=\(w.a.areas[1].id)", as: "a.supervisor", in: w)
            XCTAssertEqual(other.status, .notFound)
            let page = try await app.call(.GET, "/c/\(cid)/visits?area=\(w.a.areas[1].id)", as: "a.supervisor", in: w)
            XCTAssertEqual(page.status, .notFound)
            let all = try await app.call(.GET, "/c/\(cid)/visits", as: "a.supervisor", in: w)
            XCTAssertEqual(all.status, .ok)
            XCTAssertTrue(all.text.contains("东区家访"))
            XCTAssertFalse(all.text.contains("西区家访"))
            let quotas = try await app.call(.GET, "/api/v1/communities/\(cid)/visit-quotas", as: "a.supervisor", in: w)
            let areas = try XCTUnwrap(try quotas.json() as? [[String: Any]]).compactMap { $0["areaId"] as? String }
            XCTAssertEqual(areas, [w.a.areas[0].id.uuidString])

            // Someone else's log: not found for the supervisor, readable and answerable by the manager.
            for path in ["/logs/\(westLog.id)", "/api/v1/work-logs/\(westLog.id)/entries"] {
                let res = try await app.call(.GET, path, as: "a.supervisor", in: w)
                XCTAssertEqual(res.status, .notFound, path)
            }
            let write = try await app.call(.POST, "/api/v1/work-logs/\(westLog.id)/entries", as: "a.supervisor", in: w, json: #"{"kind":"note","text":"不是我的"}"#)
            XCTAssertEqual(write.status, .notFound)
            let review = try await app.call(.POST, "/api/v1/work-logs/\(westLog.id)/entries", as: "a.manager", in: w, json: #"{"kind":"review","text":"已阅"}"#)
            XCTAssertEqual(review.status, .created, review.text)

            // What belongs to others' roles.
            let refused: [(HTTPMethod, String, String?)] = [
                (.GET, "/api/v1/communities/\(cid)/spot-checks", nil),
                (.POST, "/api/v1/communities/\(cid)/spot-check-draws", nil),
                (.POST, "/api/v1/communities/\(cid)/area-inspections", #"{"areaId":"\#(w.a.areas[0].id)","matchesLog":true,"findings":"自查"}"#),
                (.POST, "/api/v1/communities/\(cid)/assignment-tables", #"{"rows":[]}"#),
                (.GET, "/c/\(cid)/spot-checks", nil),
                (.GET, "/c/\(cid)/supervision", nil),
            ]
            for (method, path, json) in refused {
                let res = try await app.call(method, path, as: "a.supervisor", in: w, json: json)
                XCTAssertTrue([403, 404, 422].contains(res.status.code), "\(method) \(path) answered \(res.status.code)")
                XCTAssertFalse((200..<300).contains(res.status.code))
            }
            // Nothing of that changed a record.
            let inspections = try await app.store.supervision.inspections(community: cid, areas: nil, from: Self.shanghai(1, 0), until: Self.shanghai(30, 0))
            XCTAssertTrue(inspections.isEmpty)
            let tables = try await app.store.assignments.tables(community: cid)
            XCTAssertTrue(tables.isEmpty)
        }
    }

    /// A double tap never writes twice: a log entry and an inspection sent again with the id
    /// their form carried are recorded once (a second inspection would count toward S2 4.9.2).
    func testFLD7_aResentInspectionOrLogEntryIsRecordedOnce() async throws {
        let clock = TestClock(Self.shanghai(16, 10))
        try await withWorld(now: clock.read) { app, w in
            let t = try await team(app, w)
            let cid = w.a.community.id
            let log = try await app.store.workLogs.today(for: t.supervisor, community: cid)
            let entryID = UUID()
            let first = try await app.store.workLogs.write(.note, "巡查1栋大堂", in: log.id, entryID: entryID, by: t.supervisor)
            let again = try await app.store.workLogs.write(.note, "巡查1栋大堂", in: log.id, entryID: entryID, by: t.supervisor)
            XCTAssertEqual(first.id, again.id)
            XCTAssertEqual(first.seq, again.seq)
            let notes = try await app.store.workLogs.entries(log).filter { $0.kind == "note" }
            XCTAssertEqual(notes.count, 1)

            let id = UUID()
            let a = try await app.store.supervision.inspect(id: id, community: cid, area: w.a.areas[0].id, matchesLog: true, findings: "大堂整洁", photos: [], by: t.manager)
            let b = try await app.store.supervision.inspect(id: id, community: cid, area: w.a.areas[0].id, matchesLog: true, findings: "大堂整洁", photos: [], by: t.manager)
            XCTAssertEqual(a.id, b.id)
            let month = try await app.store.supervision.inspections(community: cid, areas: nil, from: Self.shanghai(1, 0), until: Self.shanghai(30, 0))
            XCTAssertEqual(month.count, 1)
            let other = await refusal(try await app.store.supervision.inspect(id: id, community: cid, area: w.a.areas[1].id, matchesLog: true,
                                                                               findings: "西区", photos: [], by: t.manager))
            XCTAssertEqual(other?.code, "inspection_id_reused")
        }
    }

    /// A passed deadline says what it means for its record: a log to review, a table to approve,
    /// a card to post — not a renovation's notice.
    func testFLD6_aPassedDeadlineSaysWhatIsLateForEachKindOfRecord() {
        let at = Self.shanghai(17, 0, 1)
        func message(_ kind: SubjectKind, _ label: String) -> Message {
            Alert.about(SubjectRef(kind: kind, id: UUID(), communityID: UUID(), areaID: nil, label: label), .deadlinePassed, clock: nil, level: .csManager, at: at).message
        }
        XCTAssertTrue(message(.workLog, "工作记录 · 黄强毓 · 2026-11-13").zhHans.contains("未在次一工作日内审阅回复"))
        XCTAssertTrue(message(.workLog, "log").en.contains("not reviewed by the end of the next working day"))
        XCTAssertTrue(message(.staffChange, "人员变动 · 郑文").zhHans.contains("三个工作日内仍未批准新的区域工作分配表"))
        XCTAssertTrue(message(.contactCard, "联系卡 · 东区").zhHans.contains("三天内仍未在大堂公告栏更新"))
        XCTAssertTrue(message(.renovationViolation, "WG-CHHY-2611-001").zhHans.contains("请制止施工或书面上报"))
        XCTAssertFalse(message(.workLog, "log").zhHans.contains("制止施工"))
    }
}
