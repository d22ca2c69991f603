import Foundation
import XCTest
@testable import PropDeskCore

/// RUN-6 data generation at scale and REP-1 month figures, pure.
final class ScaleAndSummaryTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func cast() throws -> ScaleHistory.Cast {
        var layout = DemoData.Layout()
        layout.occupiedPercent = 100
        layout.extraOccupants = 1...3
        let data = DemoData.make(seed: 7, plans: [DemoData.Plan(code: "C001", name: "翠湖花园", address: "深圳", towers: 2, floors: 5, flatsPerFloor: 4,
                                                                shops: 0, parking: 0, areaNames: ["一区", "二区"])], layout: layout)
        XCTAssertEqual(data.units.count, 40)
        XCTAssertEqual(Double(data.residents.count) / 40, 3, accuracy: 0.5, "about three people per unit")
        return try XCTUnwrap(ScaleHistory.Cast(data, community: data.communities[0]))
    }

    func testGeneratedHistoryIsDeterministicAndEveryTimelineIsWhole_RUN6() throws {
        let cast = try cast()
        let from = now.addingTimeInterval(-365 * 86400), to = now.addingTimeInterval(-30 * 86400)
        let a = ScaleHistory().make(cast, firstSeq: 1, count: 400, from: from, to: to, now: now, overdue: 6, seed: 42)
        let b = ScaleHistory().make(cast, firstSeq: 1, count: 400, from: from, to: to, now: now, overdue: 6, seed: 42)
        XCTAssertEqual(a.orders, b.orders, "same seed, same orders")
        XCTAssertEqual(a.events.map(\.id), b.events.map(\.id))
        XCTAssertEqual(a.clocks.map(\.id), b.clocks.map(\.id))
        XCTAssertNotEqual(a.orders.map(\.id), ScaleHistory().make(cast, firstSeq: 1, count: 400, from: from, to: to, now: now, seed: 43).orders.map(\.id))

        XCTAssertEqual(a.orders.count, 406)
        XCTAssertEqual(a.orders.map(\.seq), Array(1...406))
        XCTAssertEqual(Set(a.orders.map(\.number)).count, 406)
        let events = Dictionary(grouping: a.events, by: \.orderID)
        for o in a.orders {
            let timeline = try XCTUnwrap(events[o.id])
            XCTAssertEqual(timeline.first?.kind, .created)
            XCTAssertEqual(timeline.map(\.seq), Array(1...timeline.count), "no gaps in \(o.number)")
            XCTAssertEqual(timeline.map(\.at), timeline.map(\.at).sorted())
        }
        let history = a.orders.prefix(400)
        let closed = history.filter { $0.status == .closed }.count
        XCTAssertGreaterThan(closed, 360, "a month later nearly everything is closed")
        XCTAssertTrue(history.contains { $0.status == .cancelled })
        XCTAssertTrue(history.contains { $0.priority == .emergency })
        XCTAssertTrue(history.contains { $0.rating != nil })
        XCTAssertTrue(history.contains { $0.closeReason == "returned" }, "a sample was visited back (INT-12)")
        XCTAssertTrue(history.contains { $0.settledAt != nil }, "paid services were settled (INT-10)")
        XCTAssertTrue(a.alerts.contains { $0.kind == .overdue }, "a few arrived late and were escalated (INT-7)")
        XCTAssertTrue(a.orders.allSatisfy { $0.createdAt >= from && $0.createdAt <= now })
        XCTAssertEqual(Set(a.clocks.map(\.id)).count, a.clocks.count, "one row per clock")

        // Only the six unattended calls have clocks due: response and arrival each.
        let due = a.clocks.filter { $0.nextFireAt.map { $0 <= now } ?? false }
        XCTAssertEqual(due.count, 12)
        XCTAssertEqual(Set(due.map(\.kind)), [.response, .arrival])
    }

    func testMonthSummaryFigures_REP1() throws {
        XCTAssertEqual(MonthSummary.percentile([], 50), nil)
        XCTAssertEqual(MonthSummary.percentile([7], 90), 7)
        XCTAssertEqual(MonthSummary.percentile(Array(1...10), 50), 5)
        XCTAssertEqual(MonthSummary.percentile(Array(1...10), 90), 9)
        XCTAssertEqual(MonthSummary.percentile(Array(1...100), 90), 90)

        let (from, until) = try MonthSummary.range(month: "2026-10", timeZone: "Asia/Shanghai")
        XCTAssertEqual(from, ISO8601DateFormatter().date(from: "2026-09-30T16:00:00Z"))
        XCTAssertEqual(until, ISO8601DateFormatter().date(from: "2026-10-31T16:00:00Z"))
        for bad in ["2026-13", "2026-1", "26-10", "2026/10", "", "abcd-ef"] {
            XCTAssertThrowsError(try MonthSummary.range(month: bad, timeZone: "Asia/Shanghai")) { error in
                XCTAssertEqual((error as? DomainError)?.message.zhHans.contains("YYYY-MM"), true)
            }
        }

        let t0 = from.addingTimeInterval(3600)
        func arrival(_ minutes: Int, emergency: Bool = true, stopped: Bool = true, held: Int = 0) -> MonthSummary.ClockRow {
            let due = t0.addingTimeInterval(Double(15 * 60 + held))
            let stop = t0.addingTimeInterval(Double(minutes * 60 + held))
            return .init(kind: .arrival, priority: emergency ? .emergency : .normal, startedAt: t0, dueAt: due, stoppedAt: stopped ? stop : nil,
                         breachedAt: minutes * 60 > 15 * 60 ? due : nil, heldSeconds: held)
        }
        let rows = [arrival(5), arrival(10), arrival(12, held: 3600), arrival(30), arrival(40, emergency: false), arrival(3, stopped: false), arrival(20, stopped: false)]
        let s = MonthSummary(month: "2026-10", from: from, until: until,
                             byKind: [.init(kind: .repair, orders: 6, emergencies: 5), .init(kind: .inquiry, orders: 1, emergencies: 0), .init(kind: .help, orders: 0, emergencies: 0)],
                             clocks: rows, ratings: 3, ratingSum: 13)
        XCTAssertEqual(s.orders, 7)
        XCTAssertEqual(s.byKind.map(\.kind), [.repair, .inquiry], "kinds with orders, most first")
        XCTAssertEqual(s.averageRating, 4.33)
        let all = try XCTUnwrap(s.clocks.first { $0.kind == .arrival && !$0.emergencyOnly })
        // Decided: five stopped, plus the running one already late; the running one on time is not decided.
        XCTAssertEqual(all.decided, 6)
        XCTAssertEqual(all.met, 3)
        XCTAssertEqual(all.attainmentPercent, 50)
        XCTAssertEqual(all.medianSeconds, 12 * 60, "time on hold is not counted")
        XCTAssertEqual(all.p90Seconds, 40 * 60)
        let emergencies = try XCTUnwrap(s.clocks.first { $0.kind == .arrival && $0.emergencyOnly })
        XCTAssertEqual(emergencies.decided, 5)
        XCTAssertEqual(emergencies.met, 3)
        XCTAssertEqual(emergencies.attainmentPercent, 60)
        XCTAssertEqual(s.clocks.first { $0.kind == .response }?.attainmentPercent, nil)
    }
}
