import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// The front desk's duty log and shift handovers (FD-3, FD-4) on a real database.
final class DutyLogTests: XCTestCase {
    static func shanghai(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    func to(_ clock: TestClock, _ date: Date) { clock.advance(minutes: date.timeIntervalSince(clock.now) / 60) }

    func drain(_ app: Application) async throws {
        for _ in 0..<10 where try await app.store.clocks.sweep(limit: 500).fired > 0 {}
    }

    /// Entries are appended, a correction names the entry it corrects and leaves it as it was,
    /// a resent entry is written once, and an entry altered in SQL is named by verify.
    func testFD3_aCorrectionIsANewEntryAndAnEntryAlteredInSQLIsNamed() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let first = try await app.store.dutyLog.write(community: cid, text: "9:05 2栋停水,已通知工程部", shift: .day, by: desk)
            clock.advance(minutes: 30)
            let id = UUID()
            let wrong = try await app.store.dutyLog.write(community: cid, text: "9:30 3栋电梯困人,已解救", shift: .day, entryID: id, by: desk)
            let again = try await app.store.dutyLog.write(community: cid, text: "9:30 3栋电梯困人,已解救", shift: .day, entryID: id, by: desk)
            XCTAssertEqual(wrong.id, again.id, "a resent entry is written once")
            clock.advance(minutes: 10)
            let fix = try await app.store.dutyLog.write(community: cid, text: "更正:困人的是 5栋电梯,不是 3栋", shift: .day, corrects: wrong.seq, by: desk)
            XCTAssertEqual(fix.kind, "correction")
            XCTAssertEqual(fix.data["corrects"], String(wrong.seq))
            let found = try await app.store.dutyLog.day(community: cid, key: "2026-11-20")
            let day = try XCTUnwrap(found)
            let entries = try await app.store.dutyLog.entries(day)
            XCTAssertEqual(entries.map(\.text), ["9:05 2栋停水,已通知工程部", "9:30 3栋电梯困人,已解救", "更正:困人的是 5栋电梯,不是 3栋"])
            XCTAssertEqual(entries.map(\.corrects), [nil, nil, wrong.seq])
            XCTAssertEqual(entries[0].seq, first.seq)
            do {
                _ = try await app.store.dutyLog.write(community: cid, text: "更正不存在的记录", shift: .day, corrects: 99, by: desk)
                XCTFail("a correction of an entry that does not exist was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }

            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE timeline_entries SET note = \(bind: "9:30 一切正常") WHERE id = \(bind: wrong.id)").run()
            let result = try await app.store.timelines.verify()
            XCTAssertEqual(result.findings.count, 1)
            XCTAssertEqual(result.findings.first?.entry.id, wrong.id)
            XCTAssertEqual(result.findings.first?.problem, .changed)
        }
    }

    /// "不得撕页,记录不得涂改": every account of the world — the administrator too — tries every
    /// method on every path that could name a log, a day or an entry, pages and API; none edits or
    /// deletes anything. An entry removed in SQL is named by verify as a gap.
    func testFD3_noRouteEditsOrDeletesADutyLogEntryForAnyRole() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let first = try await app.store.dutyLog.write(community: cid, text: "9:05 2栋停水,已通知工程部", shift: .day, by: desk)
            let second = try await app.store.dutyLog.write(community: cid, text: "9:40 快递已通知业户领取", shift: .day, by: desk)
            let found = try await app.store.dutyLog.day(community: cid, key: "2026-11-20")
            let day = try XCTUnwrap(found)
            let before = try await app.store.dutyLog.entries(day)
            let d = day.id.uuidString, c = cid.uuidString, e = first.id.uuidString
            let paths = [
                "/api/v1/communities/\(c)/duty-log", "/api/v1/communities/\(c)/duty-log/entries", "/api/v1/communities/\(c)/duty-log/entries/\(first.seq)",
                "/api/v1/communities/\(c)/duty-log/entries/\(e)", "/api/v1/duty-log-days/\(d)", "/api/v1/duty-log-days/\(d)/entries/\(first.seq)",
                "/api/v1/duty-log-days/\(d)/signature", "/api/v1/timeline-entries/\(e)", "/api/v1/subjects/duty_log_day/\(d)/timeline",
                "/c/\(c)/duty-log", "/c/\(c)/duty-log/\(first.seq)", "/c/\(c)/duty-log/entries/\(e)", "/duty-log/\(d)", "/duty-log/\(d)/sign",
                "/duty-log/\(d)/entries/\(first.seq)", "/subjects/duty_log_day/\(d)", "/subjects/duty_log_day/\(d)/timeline",
            ]
            // The two routes that append (and only append) are left out of POST: writing is allowed.
            let appends: Set<String> = ["/api/v1/communities/\(c)/duty-log/entries", "/c/\(c)/duty-log"]
            let body = #"{"seq":\#(first.seq),"text":"改写","note":"改写","corrects":null,"id":"\#(e)"}"#
            var tried = 0
            for user in ["admin"] + World.usersOfA + ["b.head", "bb.supervisor"] {
                for path in paths {
                    for method in [HTTPMethod.PUT, .PATCH, .DELETE, .POST] where !(method == .POST && appends.contains(path)) {
                        let r = try await app.call(method, path, as: user, in: w, json: body)
                        tried += 1
                        // Signing (a POST the CS manager may make once the day is over) is the only
                        // other write, and the day is not over: refused too — the page's form by
                        // going back to the log with the reason as a flash, the API with an error.
                        let pageRefusal = method == .POST && path == "/duty-log/\(d)/sign" && r.status == .seeOther
                        XCTAssertTrue(r.status.code >= 400 || pageRefusal, "\(user) \(method) \(path) answered \(r.status.code)")
                    }
                }
            }
            XCTAssertGreaterThan(tried, 500)
            let after = try await app.store.dutyLog.entries(day)
            XCTAssertEqual(after, before, "no entry changed, none removed, none added")
            let still = try await app.store.dutyLog.day(day.id)
            XCTAssertNil(still?.signedAt, "a day not over is not signed")
            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")

            // Torn out behind PropDesk's back: verify names the gap.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM timeline_entries WHERE id = \(bind: first.id)").run()
            let torn = try await app.store.timelines.verify()
            XCTAssertEqual(torn.findings.count, 1, "\(torn.findings)")
            XCTAssertEqual(torn.findings.first?.entry.id, second.id, "the entry after the torn-out one is named")
        }
    }

    /// The demo plans the desk's story for any length of history, even none (`--demo-days 0`
    /// crashed on a closed range once): every step falls inside the history.
    func testRUN3_theFrontDeskDemoPlansAnyLengthOfHistory() {
        let end = Self.shanghai(29, 18)
        let desks = [Actor(userID: UUID(), name: "甲"), Actor(userID: UUID(), name: "乙")]
        let units = (0..<12).map { (id: UUID(), label: "1栋-\(1201 + $0)") }
        for days in [0, 1, 2, 3, 9, 40] {
            let start = end.addingTimeInterval(-Double(days) * 86400)
            var rng = SeededRandom(seed: 7)
            let plan = FrontDeskDemo.plan(community: UUID(), desks: desks, manager: desks[0], units: units, vacant: units.map(\.id), start: start, end: end,
                                          days: days, rng: &rng)
            XCTAssertFalse(plan.isEmpty, "\(days) days")
            XCTAssertTrue(plan.allSatisfy { $0.0 >= start.addingTimeInterval(-86400) }, "\(days) days: a step before the history")
        }
    }

    /// The desk's registers are the whole community's: a front-desk account limited to one area
    /// opens neither the duty log nor the handovers, by page or API (SEC-2).
    func testFD3_anAreaLimitedDeskAccountSeesNoDutyLogOrHandover() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id
            _ = try await app.store.dutyLog.write(community: cid, text: "9:05 2栋停水,已通知工程部", shift: .day, by: who(w, "a.desk"))
            let account = try await app.store.accounts.create(UserAccount(username: "a.area-desk", displayName: "a.area-desk", role: .frontDesk,
                scopes: [Scope(communityID: cid, areaID: w.a.areas[0].id)]), passwordHash: "!", by: .console("test"))
            var world = w
            world.tokens["a.area-desk"] = try await app.store.accounts.issueToken(for: account.id).token
            for path in ["/c/\(cid)/duty-log", "/c/\(cid)/handover", "/api/v1/communities/\(cid)/duty-log", "/api/v1/communities/\(cid)/handovers"] {
                let r = try await app.call(.GET, path, as: "a.area-desk", in: world)
                XCTAssertEqual(r.status, .notFound, "\(path): \(r.status)")
                XCTAssertFalse(r.text.contains("2栋停水"), path)
            }
            let whole = try await app.call(.GET, "/c/\(cid)/duty-log", as: "a.desk", in: world)
            XCTAssertTrue(whole.text.contains("2栋停水"), "the desk of the whole community reads it")
        }
    }

    /// A pass revoked cannot then be reported lost and replaced; the key ledger keeps no whole ID
    /// number and a count names only units of its community, 0 to 50 keys each.
    func testFD5_FD6_theLedgerKeepsNoIDNumberAndARevokedPassIsNotReplaced() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let card = try await app.store.passes.issue(.init(unitID: w.a.units[0].id, kind: .accessCard, number: "C-1", plate: "", holder: "王建国",
                                                              validFrom: "2026-01-01", validUntil: "2027-12-31"), community: cid, by: desk)
            _ = try await app.store.passes.revoke(card.id, reason: "业主搬离", by: desk)
            do {
                _ = try await app.store.passes.replaceLost(card.id, newNumber: "C-2", by: desk)
                XCTFail("a revoked card was replaced as lost")
            } catch let e as DomainError { XCTAssertEqual(e.code, "pass_not_active") }
            let passes = try await app.store.passes.passes(community: cid)
            XCTAssertEqual(passes.map(\.number), ["C-1"], "no replacement was made")
            XCTAssertEqual(passes.first?.status, .revoked)

            let u = w.a.units[0].id
            _ = try await app.store.keys.record(.init(unitID: u, kind: .received, count: 2, party: "业主"), community: cid, by: desk)
            do {
                _ = try await app.store.keys.record(.init(unitID: u, kind: .lent, count: 1, party: "张师傅", idChecked: "身份证 \(World.idNumber)", purpose: "维修"),
                                                    community: cid, by: desk)
                XCTFail("a whole ID number went into the key ledger")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }
            for counted in [[w.b.units[0].id: 1], [u: 51], [u: -1]] {
                do {
                    _ = try await app.store.keys.reconcile(community: cid, counted: counted, note: "", by: desk)
                    XCTFail("a count of \(counted) was recorded")
                } catch is DomainError {}
            }
            let none = try await app.store.keys.reconciliations(community: cid, from: .distantPast, until: .distantFuture)
            XCTAssertTrue(none.isEmpty)
        }
    }

    /// The CS manager signs a day's log once it is over; not signed by the end of the next
    /// working day, the sweeper alerts and S4 4.8 is missed; signed in time, it is met.
    func testFD3_aDayNotSignedByTheNextWorkingDayAlertsAndMissesTheDuty() async throws {
        let clock = TestClock(Self.shanghai(20, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let (desk, manager) = (who(w, "a.desk"), who(w, "a.manager"))
            _ = try await app.store.dutyLog.write(community: cid, text: "白班无异常", shift: .day, by: desk)
            let fridayFound = try await app.store.dutyLog.day(community: cid, key: "2026-11-20")
            let friday = try XCTUnwrap(fridayFound)
            XCTAssertEqual(friday.signDueAt, Self.shanghai(22, 0), "a seven-day contract: due at the end of Saturday")
            do {
                _ = try await app.store.dutyLog.sign(friday.id, note: "", by: manager)
                XCTFail("a day still running was signed")
            } catch let e as DomainError { XCTAssertEqual(e.code, "day_not_over") }
            to(clock, Self.shanghai(22, 0, 1))
            try await drain(app)
            let alerts = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: true, for: nil, limit: 50)
            XCTAssertEqual(alerts.filter { $0.subjectKind == .dutyLogDay && $0.subjectID == friday.id && $0.kind == .deadlinePassed }.count, 1)
            let late = try await app.store.dutyLog.sign(friday.id, note: "已阅", by: manager)
            XCTAssertFalse(late.signedOnTime)

            _ = try await app.store.dutyLog.write(community: cid, text: "夜班无异常", shift: .night, by: desk)
            let sundayFound = try await app.store.dutyLog.day(community: cid, key: "2026-11-22")
            let sunday = try XCTUnwrap(sundayFound)
            to(clock, Self.shanghai(23, 9))
            let signed = try await app.store.dutyLog.sign(sunday.id, note: "", by: manager)
            XCTAssertTrue(signed.signedOnTime)
            to(clock, Self.shanghai(24, 1))
            try await drain(app)
            let after = try await app.store.alerts.alerts(community: cid, visibleAreas: nil, openOnly: true, for: nil, limit: 50)
            XCTAssertFalse(after.contains { $0.subjectID == sunday.id }, "a signed day raises nothing")
            let rows = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai")
            let row = try XCTUnwrap(rows.first { $0.duty.id == "S4-4.8-duty-log-signed" })
            XCTAssertEqual(row.measurement.numerator, 1)
            XCTAssertEqual(row.measurement.denominator, 2)
            XCTAssertEqual(row.measurement.records.first?.label, "2026-11-20(逾期签字)")
        }
    }

    /// A handover with an unfinished important item is refused until the incoming person takes
    /// it over; a finished one or an unimportant one does not block; nobody takes over from
    /// themselves.
    func testFD4_aHandoverWithAnUnfinishedImportantItemIsRefusedUntilTakenOver() async throws {
        let clock = TestClock(Self.shanghai(20, 17, 50))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let (outgoing, incoming) = (who(w, "a.desk"), who(w, "a.manager"))
            let assets = ShiftHandover.defaultAssets.map { ShiftHandover.AssetCheck(name: $0, ok: $0 != "对讲机", note: $0 == "对讲机" ? "2号对讲机电池损坏" : "") }
            let items = [ShiftHandover.OpenItem(text: "5栋电梯困人后续:等待维保单位回复", important: true),
                         ShiftHandover.OpenItem(text: "快递柜钥匙归还", important: false),
                         ShiftHandover.OpenItem(text: "2栋停水通知已张贴", important: true, resolved: true)]
            let formID = UUID()
            let h = try await app.store.dutyLog.handOver(community: cid, shift: .day, assets: assets, items: items, anomalies: "", id: formID, by: outgoing)
            let twice = try await app.store.dutyLog.handOver(community: cid, shift: .day, assets: assets, items: items, anomalies: "", id: formID, by: outgoing)
            XCTAssertEqual(twice.id, h.id, "a double click hands over once")
            let waiting = try await app.store.dutyLog.handovers(community: cid)
            XCTAssertEqual(waiting.count, 1)
            XCTAssertTrue(h.items.allSatisfy { $0.carriedOverBy == nil })
            do {
                _ = try await app.store.dutyLog.take(h.id, carryOver: [], by: incoming)
                XCTFail("a handover with an unfinished important item was taken")
            } catch let e as DomainError {
                XCTAssertEqual(e.code, "important_item_open")
                XCTAssertTrue(e.message.zhHans.contains("5栋电梯困人后续"))
            }
            do {
                _ = try await app.store.dutyLog.take(h.id, carryOver: [0], by: outgoing)
                XCTFail("the outgoing person took over from themselves")
            } catch let e as DomainError { XCTAssertEqual(e.code, "handover_self") }
            let taken = try await app.store.dutyLog.take(h.id, carryOver: [0], by: incoming)
            XCTAssertNotNil(taken.takenAt)
            XCTAssertEqual(taken.toID, incoming.userID)
            XCTAssertEqual(taken.items[0].carriedOverBy, incoming.name)
            XCTAssertNil(taken.items[1].carriedOverBy)
            let again = try await app.store.dutyLog.take(h.id, carryOver: [], by: incoming)
            XCTAssertEqual(again.takenAt, taken.takenAt, "taking it twice changes nothing")
            do {
                _ = try await app.store.dutyLog.handOver(community: cid, shift: .night, assets: [ShiftHandover.AssetCheck(name: "电脑", ok: false)], items: [],
                                                         anomalies: "", by: outgoing)
                XCTFail("a missing asset without a word was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }
        }
    }
}

extension DutyLogTests {
    /// Who holds what now is the ledger replayed: received, lent, returned, handed back; lending
    /// more than the board holds or a return from someone who holds none is refused; the monthly
    /// count records the differences and meets S4 4.12.
    func testFD5_whoHoldsWhatNowMatchesTheMovementsAndTheCountRecordsDifferences() async throws {
        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let (u0, u1) = (w.a.units[0].id, w.a.units[1].id)
            _ = try await app.store.keys.record(.init(unitID: u0, kind: .received, count: 3, party: "业主王建国"), community: cid, by: desk)
            _ = try await app.store.keys.record(.init(unitID: u1, kind: .received, count: 2, party: "业主李秀英"), community: cid, by: desk)
            clock.advance(minutes: 60)
            let (_, lent) = try await app.store.keys.record(.init(unitID: u0, kind: .lent, count: 2, party: "装修工人张师傅", idChecked: "身份证 后四位 1234",
                                                                  purpose: "进户测量", expectedBack: Self.shanghai(10, 17)), community: cid, by: desk)
            XCTAssertEqual(lent.onBoard, 1)
            XCTAssertEqual(lent.loans.map(\.party), ["装修工人张师傅"])
            for (input, code) in [(KeyStore.Movement(unitID: u0, kind: .lent, count: 2, party: "另一人", idChecked: "身份证", purpose: "看房"), "keys_not_on_board"),
                                  (KeyStore.Movement(unitID: u0, kind: .returned, count: 1, party: "另一人"), "keys_not_lent")] {
                do {
                    _ = try await app.store.keys.record(input, community: cid, by: desk)
                    XCTFail("accepted \(input.kind)")
                } catch let e as DomainError { XCTAssertEqual(e.code, code) }
            }
            do {
                _ = try await app.store.keys.record(.init(unitID: u1, kind: .lent, count: 1, party: "某人"), community: cid, by: desk)
                XCTFail("a loan without an ID checked and a purpose was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }
            clock.advance(minutes: 60)
            _ = try await app.store.keys.record(.init(unitID: u0, kind: .returned, count: 2, party: "装修工人张师傅"), community: cid, by: desk)
            _ = try await app.store.keys.record(.init(unitID: u1, kind: .handedBack, count: 2, party: "业主李秀英"), community: cid, by: desk)
            let holdings = try await app.store.keys.holdings(community: cid)
            XCTAssertEqual(holdings.map(\.unitID), [u0])
            XCTAssertEqual(holdings.first?.onBoard, 3)
            XCTAssertEqual(holdings.first?.loans, [])

            let before = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai")
            XCTAssertEqual(before.first { $0.duty.id == "S4-4.12-keys-reconciled" }?.measurement.numerator, 0)
            let differences = try await app.store.keys.reconcile(community: cid, counted: [u0: 2], note: "少一把,已询问业主", by: desk)
            XCTAssertEqual(differences, [KeyStore.Difference(unitID: u0, ledger: 3, counted: 2)])
            let after = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: "Asia/Shanghai")
            let row = try XCTUnwrap(after.first { $0.duty.id == "S4-4.12-keys-reconciled" })
            XCTAssertEqual(row.measurement.numerator, 1)
            XCTAssertEqual(row.outcome, .inProgress)
        }
    }
}

extension DutyLogTests {
    /// A visitor's ID number is stored sealed and shown masked; the database holds no clear
    /// copy; revealing it is audited; leaving sets the time out once.
    func testFD7_aVisitorsIDNumberIsSealedMaskedAndRevealedOnlyWithAnAuditEntry() async throws {
        let clock = TestClock(Self.shanghai(12, 14))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let v = try await app.store.visitors.arrive(.init(name: "赵访客", idType: .residentID, idNumber: World.idNumber, unitID: w.a.units[0].id,
                                                              host: "王建国", purpose: "探亲", phone: ""), community: cid, by: desk)
            XCTAssertNotEqual(v.idNumberMasked, World.idNumber)
            XCTAssertTrue(v.idNumberMasked.contains("*"))
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT * FROM visitors WHERE id = \(bind: v.id)").all()
            XCTAssertEqual(rows.count, 1)
            for column in ["id_number_sealed", "id_number_masked", "name", "host"] {
                let value = try rows[0].decode(column: column, as: String.self)
                XCTAssertFalse(value.contains(World.idNumber), "\(column) holds the number in clear")
            }
            let audits = try await app.store.audit.entries(communityIDs: [cid], limit: 50).filter { $0.entity == "visitor" && $0.action == .reveal }.count
            let number = try await app.store.visitors.reveal(v.id, community: cid, by: who(w, "a.manager"))
            XCTAssertEqual(number, World.idNumber)
            let after = try await app.store.audit.entries(communityIDs: [cid], limit: 50).filter { $0.entity == "visitor" && $0.action == .reveal }.count
            XCTAssertEqual(after, audits + 1)
            let today = try await app.store.visitors.visitors(community: cid, from: Self.shanghai(12, 0), until: Self.shanghai(13, 0))
            XCTAssertEqual(today.map(\.inside), [true])
            clock.advance(minutes: 45)
            let out = try await app.store.visitors.leave(v.id, community: cid, by: desk)
            clock.advance(minutes: 45)
            let again = try await app.store.visitors.leave(v.id, community: cid, by: desk)
            XCTAssertEqual(out.outAt, again.outAt)
            do {
                _ = try await app.store.visitors.leave(v.id, community: w.b.community.id, by: desk)
                XCTFail("another community's desk let the visitor out")
            } catch let e as DomainError { XCTAssertEqual(e.code, "not_found") }
        }
    }
}

extension DutyLogTests {
    /// A parking permit issued, renewed, reported lost and replaced, another revoked: history
    /// kept on the timeline, numbers never issued twice, expiring permits listed.
    func testFD6_permitsAreIssuedRenewedReplacedAndRevokedWithTheirHistory() async throws {
        let clock = TestClock(Self.shanghai(12, 14))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id
            let desk = who(w, "a.desk")
            let permit = try await app.store.passes.issue(.init(unitID: w.a.units[0].id, kind: .parkingPermit, number: "P-0001", plate: "粤b 12345",
                                                                 holder: "王建国", validFrom: "2026-11-01", validUntil: "2026-11-30"), community: cid, by: desk)
            XCTAssertEqual(permit.plate, "粤B12345")
            do {
                _ = try await app.store.passes.issue(.init(unitID: w.a.units[1].id, kind: .parkingPermit, number: "P-0001", plate: "粤B54321", holder: "李秀英",
                                                           validFrom: "2026-11-01", validUntil: "2027-10-31"), community: cid, by: desk)
                XCTFail("a permit number was issued twice")
            } catch let e as DomainError { XCTAssertEqual(e.code, "pass_number_taken") }
            do {
                _ = try await app.store.passes.issue(.init(unitID: w.a.units[1].id, kind: .parkingPermit, number: "P-0002", plate: "12345", holder: "李秀英",
                                                           validFrom: "2026-11-01", validUntil: "2027-10-31"), community: cid, by: desk)
                XCTFail("a plate without its province was accepted")
            } catch let e as DomainError { XCTAssertEqual(e.code, "invalid_input") }
            let expiring = try await app.store.passes.expiring(community: cid, today: "2026-11-12", within: 30)
            XCTAssertEqual(expiring.map(\.number), ["P-0001"])
            let renewed = try await app.store.passes.renew(permit.id, until: "2027-11-30", by: desk)
            XCTAssertEqual(renewed.validUntil, "2027-11-30")
            let none = try await app.store.passes.expiring(community: cid, today: "2026-11-12", within: 30)
            XCTAssertTrue(none.isEmpty)
            let replacement = try await app.store.passes.replaceLost(permit.id, newNumber: "P-0003", by: desk)
            XCTAssertEqual(replacement.replaces, permit.id)
            XCTAssertEqual(replacement.validUntil, "2027-11-30")
            let old = try await app.store.passes.pass(permit.id)
            XCTAssertEqual(old?.status, .lost)
            XCTAssertFalse(old?.valid(on: "2026-11-12") ?? true)
            XCTAssertTrue(replacement.valid(on: "2026-11-12"))
            let card = try await app.store.passes.issue(.init(unitID: w.a.units[0].id, kind: .accessCard, number: "C-88", plate: "", holder: "王建国",
                                                               validFrom: "2026-11-01", validUntil: "2028-10-31"), community: cid, by: desk)
            _ = try await app.store.passes.revoke(card.id, reason: "业主搬离", by: desk)
            do {
                _ = try await app.store.passes.renew(card.id, until: "2029-10-31", by: desk)
                XCTFail("a revoked card was renewed")
            } catch let e as DomainError { XCTAssertEqual(e.code, "pass_not_active") }
            let history = try await app.store.timelines.entries(.unitPass, permit.id).map(\.kind)
            XCTAssertEqual(history, ["issued", "renewed", "lost"])
            let passes = try await app.store.passes.passes(community: cid, unit: w.a.units[0].id)
            XCTAssertEqual(Set(passes.map(\.number)), ["P-0001", "P-0003", "C-88"])
        }
    }
}
