import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// The platform under every capability (PLT-1 … PLT-3, REP-2): clocks on subjects other than
/// orders fire and escalate, a thousand due clocks fire in one sweep, timelines are
/// tamper-evident, and the standards scorecard agrees with the month summary.
final class PlatformTests: XCTestCase {
    /// From the test clock's start (2026-11-18 19:06 in Shanghai) to seven minutes past the end
    /// of November there.
    static let toDecember: Double = 17_580

    func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }

    func periodID(_ app: Application, duty: String, community: UUID) async throws -> UUID {
        let row = try await sql(app).raw("SELECT id FROM duty_periods WHERE duty_id = \(bind: duty) AND community_id = \(bind: community)").first()
        return try XCTUnwrap(row).decode(column: "id", as: UUID.self)
    }

    /// A burst pipe reported on the hotline: an emergency nobody reaches.
    @discardableResult
    func emergency(_ app: Application, _ w: World) async throws -> WorkOrder {
        try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                     description: "卫生间水管爆裂"), by: Actor.console("test")).order
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

    /// November's emergency (the world's) is never reached: at the month's end the duty period's
    /// deadline clock decides "missed" and alerts the CS manager; a day later, nobody having
    /// acknowledged it, the center head. The other community's month had no emergency: no alert.
    /// (The world's own orders were cancelled, so only the burst pipe counts.)
    func testPLT1_PLT2_aMissedDutyPeriodAlertsTheCSManagerThenTheCenterHead() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            try await emergency(app, w)
            let opened = try await app.store.duties.openPeriods()
            let duties = app.store.duties.duties
            let perCommunity = duties.filter { $0.scope == .community }.count, perArea = duties.filter { $0.scope == .area }.count
            XCTAssertEqual(opened, 2 * perCommunity + perArea * (w.a.areas.count + w.b.areas.count), "one period per duty and community (or area)")
            let again = try await app.store.duties.openPeriods()
            XCTAssertEqual(again, 0, "opening twice opens nothing")
            let dutyID = "S0-2.3-emergency-arrival"
            let period = try await periodID(app, duty: dutyID, community: w.a.community.id)

            clock.advance(minutes: Self.toDecember)
            _ = try await drain(app)
            let stored = try await app.store.duties.period(period)
            let decided = try XCTUnwrap(stored)
            XCTAssertEqual(decided.outcome, .missed)
            XCTAssertEqual(decided.denominator, 1)
            XCTAssertEqual(decided.numerator, 0)
            var alerts = try await app.store.alerts.alerts(of: .dutyPeriod, period)
            XCTAssertEqual(alerts.map(\.level), [.csManager])
            XCTAssertEqual(alerts.first?.kind, .dutyMissed)
            XCTAssertEqual(alerts.first?.subjectLabel, "S0 2.3 · 2026-11")
            let otherPeriod = try await periodID(app, duty: dutyID, community: w.b.community.id)
            let quiet = try await app.store.duties.period(otherPeriod)
            XCTAssertEqual(quiet?.outcome, .noRecords)
            let none = try await app.store.alerts.alerts(of: .dutyPeriod, otherPeriod)
            XCTAssertEqual(none.count, 0)

            // The CS manager sees it on the alert list of the API, with a link to its page.
            let res = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/alerts?open=true", as: "a.manager", in: w)
            XCTAssertEqual(res.status, .ok, res.text)
            let list = try XCTUnwrap(try res.json() as? [[String: Any]])
            let duty = try XCTUnwrap(list.first { $0["kind"] as? String == "duty_missed" && $0["subjectLabel"] as? String == "S0 2.3 · 2026-11" }, res.text)
            XCTAssertEqual(duty["subjectKind"] as? String, "duty_period")
            XCTAssertNil(duty["orderId"])
            let path = try XCTUnwrap(duty["subjectPath"] as? String)
            XCTAssertEqual(path, "/subjects/duty_period/\(period.uuidString)")
            // The period's own page: what it asks, its value, its record and a place for evidence.
            let page = try await app.call(.GET, path, as: "a.manager", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(#"data-event="decided""#), page.text)
            XCTAssertTrue(page.text.contains("0% (0/1)"))
            XCTAssertTrue(page.text.contains(#"id="document-form""#))
            let card = try await app.call(.GET, "/c/\(w.a.community.id)/scorecard?month=2026-11", as: "a.manager", in: w)
            XCTAssertTrue(card.text.contains(#"href="\#(path)""#), "the scorecard row links its period")
            XCTAssertTrue(card.text.contains(#"data-outcome="missed""#))
            let engineer = try await app.call(.GET, path, as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
            let stranger = try await app.call(.GET, path, as: "b.head", in: w)
            XCTAssertEqual(stranger.status, .notFound)

            clock.advance(minutes: 24 * 60 + 1)
            let second = try await drain(app)
            XCTAssertGreaterThanOrEqual(second.alerts, 1)
            alerts = try await app.store.alerts.alerts(of: .dutyPeriod, period)
            XCTAssertEqual(alerts.map(\.level), [.csManager, .centerHead])
            let entries = try await app.store.timelines.entries(.dutyPeriod, period)
            XCTAssertEqual(entries.map(\.kind), ["decided", "alerted", "alerted"])
            XCTAssertEqual(entries.map(\.seq), [1, 2, 3])
            let afterwards = try await drain(app)
            XCTAssertEqual(afterwards.fired, 0, "nothing fires twice")
        }
    }

    /// An acknowledged miss does not climb to the center head; the acknowledgement is on the
    /// period's timeline.
    func testPLT1_INT7_anAcknowledgedMissStopsTheEscalation() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            try await emergency(app, w)
            try await app.store.duties.openPeriods()
            let period = try await periodID(app, duty: "S0-2.3-emergency-arrival", community: w.a.community.id)
            clock.advance(minutes: Self.toDecember)
            _ = try await drain(app)
            let raised = try await app.store.alerts.alerts(of: .dutyPeriod, period)
            let first = try XCTUnwrap(raised.first)
            let res = try await app.call(.POST, "/api/v1/alerts/\(first.id)/acknowledge", as: "a.manager", in: w, json: #"{"note":"已安排复盘"}"#)
            XCTAssertEqual(res.status, .ok, res.text)
            clock.advance(minutes: 24 * 60 + 1)
            _ = try await drain(app)
            let alerts = try await app.store.alerts.alerts(of: .dutyPeriod, period)
            XCTAssertEqual(alerts.map(\.level), [.csManager])
            let entries = try await app.store.timelines.entries(.dutyPeriod, period)
            XCTAssertEqual(entries.map(\.kind), ["decided", "alerted", "acknowledged"])
            XCTAssertEqual(entries.last?.note, "已安排复盘")
            XCTAssertEqual(entries.last?.actorName.isEmpty, false)
        }
    }

    /// PLT-3: an entry changed in SQL behind PropDesk's back, and one removed, are each named.
    func testPLT3_aTimelineEntryChangedOrRemovedInSQLIsNamedByVerify() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            try await emergency(app, w)
            try await app.store.duties.openPeriods()
            clock.advance(minutes: Self.toDecember)
            _ = try await drain(app)
            clock.advance(minutes: 24 * 60 + 1)
            _ = try await drain(app)
            let clean = try await app.store.timelines.verify(page: 2)
            XCTAssertGreaterThan(clean.entries, 2)
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")

            let period = try await periodID(app, duty: "S0-2.3-emergency-arrival", community: w.a.community.id)
            try await sql(app).raw("UPDATE timeline_entries SET note = 'nothing happened' WHERE subject_id = \(bind: period) AND seq = 2").run()
            var result = try await app.store.timelines.verify(page: 2)
            XCTAssertEqual(result.findings.count, 1)
            XCTAssertEqual(result.findings.first?.entry.subjectID, period)
            XCTAssertEqual(result.findings.first?.entry.seq, 2)
            XCTAssertEqual(result.findings.first?.problem, .changed)

            try await sql(app).raw("DELETE FROM timeline_entries WHERE subject_id = \(bind: period) AND seq = 2").run()
            result = try await app.store.timelines.verify(page: 2)
            XCTAssertEqual(result.findings.first?.entry.seq, 3)
            XCTAssertEqual(result.findings.first?.problem, .gap(expected: 2))
        }
    }

    /// PLT-2, PLT-3: an order's steps are its subject's hash-chained timeline; a step's time
    /// moved in SQL (to hide a late arrival) is named by verify, and the order page still reads.
    func testPLT3_anOrdersStepMovedInSQLIsNamedByVerify() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let order = try await emergency(app, w)
            clock.advance(minutes: 3)
            let staff = try await app.store.accounts.accounts(community: w.a.community.id)
            let engineer = try XCTUnwrap(staff.first { $0.username == "a.engineer" }?.id)
            let assignee = try await app.store.orders.assignee(engineer, community: w.a.community.id)
            try await app.store.orders.perform(.dispatch(assignee), on: order.id, by: Actor.console("desk"))
            clock.advance(minutes: 30)
            _ = try await drain(app)
            let loaded = try await app.store.orders.detail(order.id)
            let detail = try XCTUnwrap(loaded)
            XCTAssertGreaterThanOrEqual(detail.events.count, 3)
            XCTAssertEqual(detail.events.map(\.seq), Array(1...detail.events.count))
            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")

            let dispatched = try XCTUnwrap(detail.events.first { $0.kind == .dispatched })
            try await sql(app).raw("UPDATE timeline_entries SET at = \(bind: dispatched.at.addingTimeInterval(-600)) WHERE id = \(bind: dispatched.id)").run()
            let result = try await app.store.timelines.verify()
            XCTAssertEqual(result.findings.count, 1)
            XCTAssertEqual(result.findings.first?.entry.id, dispatched.id)
            XCTAssertEqual(result.findings.first?.problem, .changed)
            let page = try await app.call(.GET, "/api/v1/orders/\(order.id)", as: "a.manager", in: w)
            XCTAssertEqual(page.status, .ok)
        }
    }

    /// REP-2: the scorecard lists the work-order duties with the month summary's own figures and
    /// links to the orders behind them, as a page, as CSV and as JSON; an engineer may not see it.
    func testREP2_theScorecardAgreesWithTheSummaryAndLinksTheOrders() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let emergencyOrder = try await emergency(app, w)
            clock.advance(minutes: 60)
            _ = try await drain(app)
            let cid = w.a.community.id
            let summary = try await app.call(.GET, "/api/v1/communities/\(cid)/summary?month=2026-11", as: "a.manager", in: w)
            let s = try XCTUnwrap(try summary.json() as? [String: Any])
            let clocks = try XCTUnwrap(s["clocks"] as? [[String: Any]])
            let emergency = try XCTUnwrap(clocks.first { $0["kind"] as? String == "arrival" && $0["emergencyOnly"] as? Bool == true })

            let res = try await app.call(.GET, "/api/v1/communities/\(cid)/scorecard?month=2026-11", as: "a.manager", in: w)
            XCTAssertEqual(res.status, .ok, res.text)
            let card = try XCTUnwrap(try res.json() as? [String: Any])
            let rows = try XCTUnwrap(card["rows"] as? [[String: Any]])
            XCTAssertEqual(rows.map { $0["citation"] as? String }, ["S0 2.3", "S0 2.3", "S4 4.9", "S2 4.2.1", "S2 4.2.1", "S2 4.2.2", "S2 4.1.1", "S2 4.1.2",
                                                                   "S2 4.3.1", "S2 4.3.1", "S2 4.3.3", "S2 4.8.2", "S2 4.9.2", "S2 4.9.3", "S4 4.8", "S4 4.12",
                                                                   "S4 1⑥", "S4 1⑥", "S2 4.5.1", "S2 4.5.3", "S2 4.5.4", "S4 篇4",
                                                                   "S0 3.4", "S2 3.1.6", "S0 3.3", "S0 3.1", "S0 3.2"])
            let row = try XCTUnwrap(rows.first { $0["dutyId"] as? String == "S0-2.3-emergency-arrival" })
            XCTAssertEqual(row["numerator"] as? Int, emergency["met"] as? Int)
            XCTAssertEqual(row["denominator"] as? Int, emergency["decided"] as? Int)
            XCTAssertEqual(row["denominator"] as? Int, 1, "the burst pipe is an hour late")
            XCTAssertEqual(row["outcome"] as? String, "at_risk", "November is not over yet")
            let records = try XCTUnwrap(row["records"] as? [[String: Any]])
            XCTAssertEqual(records.first?["path"] as? String, "/orders/\(emergencyOrder.id.uuidString)")
            XCTAssertEqual(records.first?["missed"] as? Bool, true)

            let page = try await app.call(.GET, "/c/\(cid)/scorecard?month=2026-11", as: "a.manager", in: w, json: nil)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("id=\"duty-S0-2.3-emergency-arrival\" data-outcome=\"at_risk\""), page.text)
            XCTAssertTrue(page.text.contains("href=\"/orders/\(emergencyOrder.id.uuidString)\""))
            let csv = try await app.call(.GET, "/c/\(cid)/scorecard.csv?month=2026-11", as: "a.manager", in: w, json: nil)
            XCTAssertEqual(csv.status, .ok)
            XCTAssertEqual(csv.headers.contentType?.subType, "csv")
            XCTAssertTrue(csv.text.contains("S0 2.3"))
            XCTAssertTrue(csv.text.contains(emergencyOrder.number), "the misses are named in the CSV")

            let engineer = try await app.call(.GET, "/api/v1/communities/\(cid)/scorecard?month=2026-11", as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
            let otherCommunity = try await app.call(.GET, "/api/v1/communities/\(w.b.community.id)/scorecard?month=2026-11", as: "a.manager", in: w)
            XCTAssertEqual(otherCommunity.status, .notFound)
            let badMonth = try await app.call(.GET, "/api/v1/communities/\(cid)/scorecard?month=2026-13", as: "a.manager", in: w)
            XCTAssertEqual(badMonth.status, .unprocessableEntity)
        }
    }

    /// PLT-2, P4: a thousand due clocks fire in one sweep — one transaction, bulk writes — and on
    /// PostgreSQL two sweepers together still fire each exactly once: no clock gets more alerts
    /// than the escalation levels it reached.
    func testPLT2_P4_aThousandDueClocksFireInOneSweepEachExactlyOnce() async throws {
        let app = try await TestApp.make()
        do {
            let size = ScaleGenerator.Size.forTest(communities: 1, units: 20, people: 40, orders: 20, due: 1000)
            _ = try await app.store.generator.generate(size, passwordHash: "x")
            let due = try await app.store.clocks.dueClocks(limit: 5000).count
            XCTAssertGreaterThanOrEqual(due, 1000)
            let alertsBefore = try await AlertModelCount.count(app)
            let other = isPostgres ? try await TestApp.make(reset: false) : app
            async let one = app.store.clocks.sweep(limit: 2000)
            async let two = other.store.clocks.sweep(limit: 2000)
            let (r1, r2) = try await (one, two)
            if other !== app { try await other.asyncShutdown() }
            let rest = try await drain(app)
            let fired = r1.fired + r2.fired + rest.fired
            XCTAssertEqual(fired, due, "each due clock fired once: \(r1), \(r2)")
            if !isPostgres { XCTAssertEqual(max(r1.fired, r2.fired), due, "one sweep fired them all (SQLite: the two take turns)") }
            let left = try await app.store.clocks.dueClocks(limit: 10).count
            XCTAssertEqual(left, 0)
            // Exactly once: each clock's alerts are one per escalation level it reached.
            let rows = try await sql(app).raw("""
                SELECT c.id AS id, c.level AS level, (SELECT COUNT(*) FROM alerts a WHERE a.subject_id = c.subject_id AND a.clock_kind = c.kind
                    AND a.kind = 'overdue' AND a.raised_at >= c.started_at) AS alerts
                FROM sla_clocks c WHERE c.kind IN ('response', 'arrival', 'completion') AND c.level > 0 AND c.stopped_at IS NULL
                """).all()
            XCTAssertGreaterThanOrEqual(rows.count, 500)
            for r in rows {
                let level = try r.decode(column: "level", as: Int.self)
                let alerts = try r.decode(column: "alerts", as: Int.self)
                let id = try r.decode(column: "id", as: UUID.self)
                XCTAssertEqual(alerts, level, "clock \(id)")
            }
            let alertsAfter = try await AlertModelCount.count(app)
            XCTAssertEqual(alertsAfter - alertsBefore, r1.alerts + r2.alerts + rest.alerts)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// PLT-2, P4, what a round costs on one file: SQLite is one file with one writer, so a round
    /// whose due clocks span twenty communities holds them, reads their contracts and their
    /// timelines' chain ends, and writes them back in a handful of statements — not four per
    /// community, which is what a round cost when it went community by community (0.99 ms per
    /// fired clock on a 100-community file, docs/PERFORMANCE.md). PostgreSQL keeps one statement
    /// per community (RUN-5), proved by the test below.
    func testPLT2_P4_onOneFileARoundAcrossTwentyCommunitiesTakesItsStatementsByTheBatch() async throws {
        try XCTSkipIf(isPostgres, "PostgreSQL names one community per statement (RUN-5)")
        let log = StatementLog()
        let app = try await TestApp.make(statements: log)
        do {
            let size = ScaleGenerator.Size.forTest(communities: 20, units: 200, people: 400, orders: 20, due: 200)
            _ = try await app.store.generator.generate(size, passwordHash: "x")
            let due = try await app.store.clocks.dueClocks(limit: 5000)
            XCTAssertEqual(Set(due.map(\.communityID)).count, 20, "the due clocks span every community")
            let before = log.statements.count
            let report = try await app.store.clocks.sweep(limit: 1000)
            XCTAssertEqual(report.fired, due.count, "one round fired every due clock")
            XCTAssertGreaterThan(report.alerts, 0)
            let statements = log.statements.dropFirst(before).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            func count(_ matches: (String) -> Bool) -> Int { statements.filter(matches).count }
            let clockReads = count { $0.hasPrefix("SELECT") && StatementLog.table(of: $0) == "sla_clocks" }
            let clockWrites = count { $0.hasPrefix("UPDATE sla_clocks") || $0.hasPrefix("UPDATE \"sla_clocks\"") }
            let contractReads = count { StatementLog.table(of: $0) == "service_contracts" }
            let chainEnds = count { $0.contains("MAX(m.seq)") }
            // Due list + hold: 2 reads; the writes in hundreds; contracts once; chain ends per kind.
            XCTAssertLessThanOrEqual(clockReads, 3, "clock reads: \(clockReads)")
            XCTAssertLessThanOrEqual(clockWrites, (due.count + 99) / 100, "clock writes: \(clockWrites)")
            XCTAssertEqual(contractReads, 1, "contract reads: \(contractReads)")
            XCTAssertGreaterThan(chainEnds, 0)
            XCTAssertLessThanOrEqual(chainEnds, 2, "chain-end reads: \(chainEnds)")
            XCTAssertGreaterThan(clockReads, 0)
            XCTAssertGreaterThan(clockWrites, 0)
            XCTAssertLessThan(statements.count, 30, "a round across 20 communities took \(statements.count) statements: \(statements.map { $0.prefix(60) })")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// RUN-5, the queries: every statement that locks rows of a table distributed by community
    /// names the community, so on a cluster distributed by `community_id` it goes to the one node
    /// that keeps them (a distributed PostgreSQL refuses `FOR UPDATE` across nodes); so does
    /// every write of a clock, and every look for a timeline's chain end (whose inner query a
    /// distributed PostgreSQL takes only when it is joined on the community). The
    /// statements are those the driver was sent, read from its log, while orders are stepped
    /// (knowing their community and not), the sweeper fires, the webhook outbox is claimed, an
    /// alert is acknowledged, and fee, front-desk and supervisor records change. (SQLite, one
    /// writer at a time, locks no rows.)
    func testRUN5_rowLocksClockWritesAndChainEndsNameTheirCommunity() async throws {
        try XCTSkipUnless(isPostgres, "SQLite locks no rows: its writers take turns")
        try await withWorld { app, w in
            let log = StatementLog()
            app.logger = log.logger
            let store = app.store
            let test = PropDeskCore.Actor.console("test")
            let fresh = try await emergency(app, w)
            _ = try await store.orders.perform(.cancel(reason: "业户来电取消"), on: fresh.id, by: test)
            let complaint = w.a.orders[1]
            _ = try? await store.orders.perform(.contact(note: "已联系业户"), on: complaint.id, community: complaint.communityID, by: test)
            _ = try await emergency(app, w)   // left alone: its clocks fire below
            let later = Store(db: app.db, cipher: store.cipher, now: { Date().addingTimeInterval(3 * 86400) }, webhookEnabled: true)
            let swept = try await later.clocks.sweep(limit: 1000)
            XCTAssertGreaterThan(swept.alerts, 0)
            // A complaint raises an alert at once (INT-8), which waits in the webhook outbox.
            _ = try await later.orders.create(OrderDraft(communityID: w.b.community.id, kind: .complaint, channel: .walkIn, unitID: w.b.units[0].id,
                                                         description: "投诉保安夜间不巡逻"), by: test)
            let claimed = try await later.orders.claimDeliveries(limit: 20, lease: 60)
            XCTAssertFalse(claimed.isEmpty, "the alert waits in the webhook outbox")
            if let alert = w.a.alertID { _ = try? await store.alerts.acknowledge(alert, note: "已致电业户", by: test) }
            if let r = w.b.receipt { _ = try? await store.fees.void(receipt: r.id, reason: "收款有误", by: test) }
            if let d = w.b.dutyDay { _ = try? await store.dutyLog.sign(d.id, note: "", by: test) }
            if let h = w.b.handover { _ = try? await store.dutyLog.take(h.id, carryOver: [], by: test) }
            if let c = w.b.custody { _ = try? await store.custody.end(c.id, note: "业主收回", by: test) }
            if let s = w.b.spotCheck { _ = try? await store.supervision.call(s.id, outcome: .confirmed, note: "", by: test) }
            if let r = w.b.rectification { _ = try? await store.customerRelations.done(r.id, note: "已整改", by: test) }
            if let c = w.b.card { _ = try? await store.assignments.mark(c.id, posted: true, by: test) }
            if let p = w.b.pass { _ = try? await store.passes.replaceLost(p.id, newNumber: "M-0001", by: test) }
            if let n = w.b.notice { _ = try? await store.notices.markTakenDown(n.id, by: test) }

            let locks = log.statements.filter { $0.uppercased().contains("FOR UPDATE") }
            var tables = Set<String>()
            for statement in locks {
                let table = try XCTUnwrap(StatementLog.table(of: statement), statement)
                tables.insert(table)
                guard !Distribution.referenceTables.contains(table) else { continue }
                XCTAssertTrue(StatementLog.names(statement, "community_id"), "\(table) locked without its community: \(statement)")
            }
            // Orders, clocks, the outbox, alerts, receipts, duty logs, handovers, custody, spot
            // checks, rectifications, cards, passes, notices: at least these were locked above.
            XCTAssertTrue(tables.isSuperset(of: ["work_orders", "sla_clocks", "webhook_deliveries", "alerts", "receipts", "duty_log_days", "shift_handovers",
                                                 "custody_agreements", "spot_checks", "rectifications", "contact_cards", "unit_passes", "notices"]),
                          "tables locked: \(tables.sorted())")
            let statements = log.statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let clockWrites = statements.filter { $0.hasPrefix("UPDATE sla_clocks") || $0.hasPrefix("UPDATE \"sla_clocks\"") }
            XCTAssertGreaterThanOrEqual(clockWrites.count, 3, "the step, the sweep and the acknowledgement wrote clocks")
            XCTAssertTrue(clockWrites.contains { $0.contains("CASE id") }, "the sweep wrote the order's fired clocks back in bulk")
            for statement in clockWrites { XCTAssertTrue(StatementLog.names(statement, "community_id"), "a clock written without its community: \(statement)") }
            let chainEnds = statements.filter { $0.contains("MAX(m.seq)") }
            XCTAssertFalse(chainEnds.isEmpty)
            for statement in chainEnds {
                XCTAssertTrue(statement.contains("t.community_id = $") && statement.contains("m.community_id = t.community_id"), statement)
            }
        }
    }

    /// RUN-2, the dialect seam: SQLite has one writer (the write queue), so its "locks" hold
    /// everything asked; PostgreSQL locks rows, and with SKIP LOCKED a second transaction gets
    /// none of the rows the first holds — and all of them once it commits.
    func testRUN2_rowLocksFollowTheDatabasesDialect() async throws {
        XCTAssertEqual(SQLiteWriters().lockClause(skipLocked: true), "")
        XCTAssertEqual(PostgresWriters().lockClause(skipLocked: true), " FOR UPDATE SKIP LOCKED")
        XCTAssertEqual(PostgresWriters().lockClause(skipLocked: false), " FOR UPDATE")
        try await withWorld { app, w in
            let order = try await emergency(app, w)
            guard isPostgres else {
                let held = try await app.db.lockRows("work_orders", community: order.communityID, ids: [order.id], skipLocked: true)
                XCTAssertEqual(held, [order.id])
                return
            }
            let other = try await TestApp.make(reset: false)
            do {
                let (locked, release) = AsyncStream.makeStream(of: Void.self)
                let (taken, done) = AsyncStream.makeStream(of: Void.self)
                async let holder: Set<UUID> = app.db.transaction { tx in
                    let mine = try await tx.lockRows("work_orders", community: order.communityID, ids: [order.id], skipLocked: false)
                    release.yield()
                    for await _ in taken { break }
                    return mine
                }
                for await _ in locked { break }
                let skipped = try await other.db.transaction { try await $0.lockRows("work_orders", community: order.communityID, ids: [order.id], skipLocked: true) }
                done.yield()
                let first = try await holder
                XCTAssertEqual(first, [order.id])
                XCTAssertEqual(skipped, [], "the row another transaction holds is skipped")
                let after = try await other.db.transaction { try await $0.lockRows("work_orders", community: order.communityID, ids: [order.id], skipLocked: true) }
                XCTAssertEqual(after, [order.id])
                // RUN-5: the lock names the row's community; named with another, it holds nothing.
                let elsewhere = try await other.db.transaction { try await $0.lockRows("work_orders", community: w.b.community.id, ids: [order.id], skipLocked: false) }
                XCTAssertEqual(elsewhere, [])
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }

    /// P3 (issue 19): on PostgreSQL the tables behind the lists' index-only reads are vacuumed after
    /// every 1,000 inserted or updated rows, not after a fifth of the table — or the newest orders,
    /// the ones every page walks first, are read from the table as well as from the index
    /// (page 250: 6.0 → 0.8 ms once vacuumed, docs/PERFORMANCE.md).
    func testP3_onPostgreSQLTheListTablesAreVacuumedAfterEveryThousandWritesWhateverTheirSize() async throws {
        try XCTSkipUnless(isPostgres, "SQLite keeps no visibility map: its index reads never visit the table for it")
        try await withWorld { app, _ in
            let rows = try await (app.db as! any SQLDatabase).raw("""
                SELECT c.relname AS name, array_to_string(c.reloptions, ',') AS options FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'
                """).all()
            let options = Dictionary(uniqueKeysWithValues: try rows.map {
                (try $0.decode(column: "name", as: String.self), Set((try $0.decode(column: "options", as: String?.self) ?? "").split(separator: ",").map(String.init)))
            })
            let wanted: Set = ["autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=1000",
                               "autovacuum_vacuum_insert_scale_factor=0", "autovacuum_vacuum_insert_threshold=1000"]
            for table in ["work_orders", "sla_clocks"] {
                XCTAssertEqual(options[table], wanted, table)
            }
            // Only those: a small table keeps PostgreSQL's defaults.
            XCTAssertEqual(options["communities"], Set<String>())
        }
    }

    /// SEC-6 with the platform: every table a capability creates is in the backup, except the
    /// ones kept out on purpose; migrations run in their numbered order.
    func testSEC6_PLT1_everyTableIsInTheBackupExceptTheTransientOnes() async throws {
        try await withWorld { app, _ in
            let sql = app.db as! any SQLDatabase
            let rows = isPostgres
                ? try await sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()").all()
                : try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
            let tables = Set(try rows.map { try $0.decode(column: "name", as: String.self) })
            let transient: Set<String> = ["_fluent_migrations", "_fluent_sessions", "live_events", "sign_in_throttles", "settings"]
            let counts = try await app.store.backup.counts()
            XCTAssertEqual(Set(counts.keys), tables.subtracting(transient), "a table missing from the backup, or a backup table that does not exist")
            let names = PropDeskMigrations.all.map(\.name)
            XCTAssertEqual(names, names.sorted())
            XCTAssertEqual(names.last, "0037_AUnitsRecordsByTheUnit")
        }
    }
}

enum AlertModelCount {
    static func count(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM alerts").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
