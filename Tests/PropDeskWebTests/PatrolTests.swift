import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// Patrols (FLD-3, FLD-8) on a real database: checkpoints and their checklists, visits saved one
/// checkpoint at a time, failed items that become work orders exactly once, daily and weekly
/// coverage as duties, hash-chained rounds, the supervisor's pages and the printed labels.
final class PatrolTests: XCTestCase {
    static let dailyDuty = "S2-4.2.1-key-spots-daily"

    /// A local time in November 2026 in the communities' time zone.
    static func shanghai(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    func who(_ w: World, _ username: String) -> Actor {
        Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName)
    }

    /// A checkpoint of community A, added by the CS manager (area 0 unless told).
    func addSpot(_ app: Application, _ w: World, area: Int = 0, name: String, keySpot: Bool = true,
                 checklist: String = "公共照明: 大堂灯具完好\n清洁卫生") async throws -> Checkpoint {
        let draft = PatrolStore.CheckpointDraft(areaID: w.a.areas[area].id, buildingID: w.a.buildings[area].id, name: name, location: "\(name)入口处",
                                                keySpot: keySpot, items: try Checkpoint.parseChecklist(checklist))
        return try await app.store.patrols.addCheckpoint(draft, community: w.a.community.id, by: who(w, "a.manager"))
    }

    func allPass(_ c: Checkpoint) -> [ItemResult] { c.items.map { ItemResult(itemID: $0.id, passed: true) } }

    /// One checkpoint done through the store, by the area supervisor unless told.
    func visit(_ app: Application, _ w: World, _ c: Checkpoint, results: [ItemResult]? = nil, id: UUID = UUID(), round: UUID? = nil,
               photos: [EvidenceStore.Upload] = [], as user: String = "a.supervisor") async throws -> PatrolStore.Recorded {
        try await app.store.patrols.record(.init(visitID: id, roundID: round, results: results ?? allPass(c), note: "", photos: photos),
                                           at: c, by: who(w, user))
    }

    func patrolOrders(_ app: Application, _ w: World) async throws -> [WorkOrder] {
        try await app.store.orders.list(community: w.a.community.id, filter: .init(), page: try PageQuery(page: 1, per: 100))
            .items.map(\.order).filter { $0.channel == .patrol }
    }

    func form(_ app: Application, _ path: String, as user: String, in w: World, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
    }

    /// The checkpoint form's fields with every item passed.
    func passedForm(_ c: Checkpoint, visitID: UUID) -> [(String, String)] {
        [("visitId", visitID.uuidString), ("note", "")] + c.items.map { ("pass[\($0.id)]", "pass") }
    }

    // MARK: Coverage and the daily duty

    func testFLD3_aDayWithOneKeySpotNotVisitedShowsThatSpotMissedAndTheDailyDutyMissed() async throws {
        let clock = TestClock(Self.shanghai(10, 9))
        try await withWorld(now: clock.read) { app, w in
            let cid = w.a.community.id, area = w.a.areas[0].id, tz = w.a.community.timeZone
            let lobby = try await addSpot(app, w, name: "1栋大堂")
            let playground = try await addSpot(app, w, name: "儿童游乐场", checklist: "康体休闲设施\n清洁卫生")
            _ = try await addSpot(app, w, name: "1栋天面", keySpot: false, checklist: "天面")
            clock.advance(minutes: 25 * 60)  // 11 November, 10:00: both key spots
            _ = try await visit(app, w, lobby)
            _ = try await visit(app, w, playground)
            clock.advance(minutes: 24 * 60)  // 12 November: only the lobby
            _ = try await visit(app, w, lobby)
            clock.advance(minutes: 24 * 60)  // 13 November, 10:00

            let day1 = PatrolCoverage.day(of: Self.shanghai(11, 12), timeZone: tz)
            let day2 = PatrolCoverage.day(of: Self.shanghai(12, 0, 30), timeZone: tz)
            XCTAssertEqual(day2.label, "2026-11-12")
            XCTAssertEqual(day2.start, Self.shanghai(12, 0))
            let points = try await app.store.patrols.checkpoints(community: cid, areas: [area])
            XCTAssertEqual(points.count, 3)
            let times = try await app.store.patrols.visitTimes(community: cid, area: area, from: day1.start, until: day2.end)
            XCTAssertEqual(times[lobby.id]?.count, 2)
            XCTAssertTrue(PatrolCoverage.missed(points, visitedAt: times, in: day1, keySpotsOnly: true).isEmpty)
            XCTAssertEqual(PatrolCoverage.missed(points, visitedAt: times, in: day2, keySpotsOnly: true).map(\.id), [playground.id],
                           "the roof is not a key spot: it is due weekly, not daily")

            // The scorecard of the area: 11 November kept, 12 November missed, the month running.
            let card = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: tz, areaID: area)
            let daily = try XCTUnwrap(card.first { $0.duty.id == Self.dailyDuty })
            XCTAssertEqual(daily.measurement.numerator, 1)
            XCTAssertEqual(daily.measurement.denominator, 2, "only the two whole days since the spots were put on the route, and not today")
            let miss = try XCTUnwrap(daily.measurement.records.first { $0.missed }, "\(daily.measurement.records)")
            XCTAssertTrue(miss.label.contains("2026-11-12") && miss.label.contains("儿童游乐场"), miss.label)
            XCTAssertFalse(miss.label.contains("1栋大堂"), miss.label)
            XCTAssertEqual(daily.measurement.records.filter(\.missed).count, 1)
            XCTAssertEqual(daily.outcome, .atRisk, "November is not over yet")

            // The miss links to the week's coverage grid, which names the spot left out.
            XCTAssertTrue(miss.path.hasPrefix("/c/\(cid.uuidString)/patrol/coverage?area=\(area.uuidString)&week="), miss.path)
            let grid = try await app.call(.GET, miss.path, as: "a.manager", in: w)
            XCTAssertEqual(grid.status, .ok, String(grid.text.prefix(500)))
            XCTAssertTrue(grid.text.contains("儿童游乐场"))
            let stranger = try await app.call(.GET, miss.path, as: "b.head", in: w)
            XCTAssertEqual(stranger.status, .notFound)

            // After the month: every day from the 11th to the 30th judged, and the month missed.
            clock.advance(minutes: 17 * 24 * 60 + 14 * 60 + 10)  // 1 December, 00:10
            let december = try await app.store.duties.scorecard(community: cid, month: "2026-11", timeZone: tz, areaID: area)
            let decided = try XCTUnwrap(december.first { $0.duty.id == Self.dailyDuty })
            XCTAssertEqual(decided.measurement.numerator, 1)
            XCTAssertEqual(decided.measurement.denominator, 20)
            XCTAssertEqual(decided.outcome, .missed)
        }
    }

    // MARK: Findings become orders (FLD-3, FLD-8)

    func testFLD3_aFailedItemCreatesExactlyOneOrderWithThePhotoAndTheLinkEvenWhenSubmittedTwice() async throws {
        try await withWorld { app, w in
            let lobby = try await addSpot(app, w, name: "1栋大堂")
            let photo = try EvidenceStore.check(EvidenceTests.jpeg, kind: .photo, caption: "吊灯损坏", signedBy: nil)
            let results = [ItemResult(itemID: "1", passed: false, note: "大堂吊灯不亮,两只灯管损坏"), ItemResult(itemID: "2", passed: true)]
            let visitID = UUID()
            let first = try await visit(app, w, lobby, results: results, id: visitID, photos: [photo])
            XCTAssertTrue(first.created)
            XCTAssertEqual(first.visit.findings.count, 1)
            // The same form again (a double tap, a retry): the same visit, nothing new.
            let again = try await visit(app, w, lobby, results: results, id: visitID, photos: [photo])
            XCTAssertFalse(again.created)
            XCTAssertEqual(again.visit.id, visitID)
            XCTAssertEqual(again.visit.findings, first.visit.findings)
            // A new form for the same checkpoint on the same round (another tab): the first answers stand.
            let otherTab = UUID()
            let third = try await visit(app, w, lobby, results: results, id: otherTab, round: first.visit.roundID, photos: [photo])
            XCTAssertFalse(third.created)
            XCTAssertEqual(third.visit.id, visitID)
            let unsaved = try await app.store.patrols.visit(otherTab)
            XCTAssertNil(unsaved)
            let visits = try await app.store.patrols.visits(round: first.visit.roundID)
            XCTAssertEqual(visits.map(\.id), [visitID])

            let orders = try await patrolOrders(app, w)
            XCTAssertEqual(orders.count, 1, "exactly one order for the failed item")
            let order = try XCTUnwrap(orders.first)
            XCTAssertEqual(order.id, first.visit.findings.first?.orderID)
            XCTAssertEqual(order.areaID, w.a.areas[0].id)
            XCTAssertEqual(order.category, .electricity, "a lighting item is electrical work")
            XCTAssertTrue(order.description.contains("大堂吊灯不亮") && order.description.contains(lobby.code), order.description)
            let photos = try await app.store.photos.photos(order: order.id)
            XCTAssertEqual(photos.count, 1, "the photo is on the order")
            XCTAssertEqual(photos.first?.digest, photo.digestText)
            let onVisit = try await app.store.evidence.list(.patrolVisit, visitID)
            XCTAssertEqual(onVisit.map(\.digest), [photo.digestText], "and on the visit, once")

            let link = try await app.store.patrols.finding(order: order.id)
            let (finding, checkpoint) = try XCTUnwrap(link)
            XCTAssertEqual(finding.visitID, visitID)
            XCTAssertEqual(finding.itemID, "1")
            XCTAssertEqual(finding.orderNumber, order.number)
            XCTAssertEqual(checkpoint.id, lobby.id)
            let open = try await app.store.patrols.openFindings(checkpoints: [lobby.id])
            XCTAssertEqual(open.map(\.orderID), [order.id])
            XCTAssertEqual(open.first?.itemID, "1")
        }
    }

    func testFLD8_aBurstPipeFoundOnPatrolIsAnEmergencyWithTheFifteenMinuteArrivalClock() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let garage = try await addSpot(app, w, name: "地下车库", checklist: "排水井/渠\n公共照明")
            clock.advance(minutes: 10)
            let recorded = try await visit(app, w, garage, results: [ItemResult(itemID: "1", passed: false, note: "地下车库水管爆裂"),
                                                                     ItemResult(itemID: "2", passed: true)])
            let finding = try XCTUnwrap(recorded.visit.findings.first)
            XCTAssertEqual(finding.priority, .emergency)
            let stored = try await app.store.orders.order(finding.orderID)
            let order = try XCTUnwrap(stored)
            XCTAssertEqual(order.priority, .emergency, "the INT-4 dictionary decides, as at the desk")
            XCTAssertEqual(order.channel, .patrol)
            XCTAssertEqual(order.category, .water)
            XCTAssertEqual(order.createdAt.timeIntervalSince(clock.now), 0, accuracy: 0.001)
            let view = try await app.store.orders.view(order)
            let arrival = try XCTUnwrap(view.clocks.first { $0.kind == .arrival })
            XCTAssertEqual(arrival.targetSeconds, 900)
            XCTAssertFalse(arrival.serviceHoursOnly)
            XCTAssertEqual(arrival.dueAt.timeIntervalSince(order.createdAt), 900, accuracy: 1)
            XCTAssertTrue(arrival.isRunning)
        }
    }

    // MARK: Who may patrol where (SEC-2)

    func testFLD3_aSupervisorOfAreaACannotSeeOrRecordInAreaB() async throws {
        try await withWorld { app, w in
            var world = w
            let account = try await app.store.accounts.create(UserAccount(username: "b.supervisor", displayName: "b.supervisor", role: .areaSupervisor,
                scopes: [Scope(communityID: w.b.community.id, areaID: w.b.areas[0].id)]), passwordHash: try await SignIn.hash(World.password, on: app),
                by: .console("test"))
            world.tokens["b.supervisor"] = try await app.store.accounts.issueToken(for: account.id).token
            let mine = try await addSpot(app, world, area: 0, name: "1栋大堂")
            let theirs = try await addSpot(app, world, area: 1, name: "2栋大堂")

            // The supervisor's own area: the form, the visit, the way back to today's page.
            let page = try await app.call(.GET, "/p/\(mine.code)", as: "a.supervisor", in: world)
            XCTAssertEqual(page.status, .ok, String(page.text.prefix(500)))
            let ok = UUID()
            let saved = try await form(app, "/p/\(mine.code)", as: "a.supervisor", in: world, passedForm(mine, visitID: ok))
            XCTAssertEqual(saved.status, .seeOther, String(saved.text.prefix(500)))
            XCTAssertEqual(saved.headers.first(name: .location).map { $0.hasPrefix("/patrol") }, true)
            let kept = try await app.store.patrols.visit(ok)
            XCTAssertEqual(kept?.checkpointID, mine.id)
            XCTAssertEqual(kept?.byID, w.accounts["a.supervisor"]!.id)
            let today = try await app.call(.GET, "/patrol", as: "a.supervisor", in: world)
            XCTAssertEqual(today.status, .ok)

            // Another area of the same community: not found, and nothing kept.
            let other = try await app.call(.GET, "/p/\(theirs.code)", as: "a.supervisor", in: world)
            XCTAssertEqual(other.status, .notFound)
            let refused = UUID()
            let post = try await form(app, "/p/\(theirs.code)", as: "a.supervisor", in: world, passedForm(theirs, visitID: refused))
            XCTAssertEqual(post.status, .notFound)
            let none = try await app.store.patrols.visit(refused)
            XCTAssertNil(none)
            let theirVisits = try await app.store.patrols.visits(checkpoint: theirs.id)
            XCTAssertTrue(theirVisits.isEmpty)

            // A supervisor of community B: not found either.
            let foreign = try await app.call(.GET, "/p/\(mine.code)", as: "b.supervisor", in: world)
            XCTAssertEqual(foreign.status, .notFound)
            let foreignID = UUID()
            let foreignPost = try await form(app, "/p/\(mine.code)", as: "b.supervisor", in: world, passedForm(mine, visitID: foreignID))
            XCTAssertEqual(foreignPost.status, .notFound)
            let foreignVisit = try await app.store.patrols.visit(foreignID)
            XCTAssertNil(foreignVisit)
            let mineVisits = try await app.store.patrols.visits(checkpoint: mine.id)
            XCTAssertEqual(mineVisits.map(\.id), [ok])
            let orders = try await patrolOrders(app, world)
            XCTAssertTrue(orders.isEmpty)
        }
    }

    // MARK: Checklists

    func testFLD3_checklistsAreCheckedAndAResultMustCoverEveryItem() async throws {
        try await withWorld { app, w in
            let items = try Checkpoint.parseChecklist("公共照明: 灯具完好\ncleaning\n\n  排水井/渠：井盖完好  \nElevators")
            XCTAssertEqual(items.map(\.category), [.lighting, .cleaning, .drains, .elevators])
            XCTAssertEqual(items.map(\.id), ["1", "2", "3", "4"])
            XCTAssertEqual(items.map(\.text), ["灯具完好", PatrolCategory.cleaning.defaultCheck.zhHans, "井盖完好", PatrolCategory.elevators.defaultCheck.zhHans])
            do {
                _ = try Checkpoint.parseChecklist("公共照明: 灯具完好\n保安岗亭: 有人值守")
                XCTFail("an unknown category is refused")
            } catch let e as DomainError {
                XCTAssertEqual(e.details.first?.field, "checklist")
                XCTAssertTrue(e.message.zhHans.contains("保安岗亭: 有人值守"), e.message.zhHans)
            }
            XCTAssertThrowsError(try Checkpoint.parseChecklist(" \n \n"), "an empty checklist")
            XCTAssertThrowsError(try Checkpoint.parseChecklist(Array(repeating: "cleaning", count: 31).joined(separator: "\n")), "more than 30 items")
            XCTAssertEqual(Checkpoint.normalizedCode(" acd-efg "), "ACDEFG")
            XCTAssertNil(Checkpoint.normalizedCode("ACDEF0"), "0 is never printed on a label")
            XCTAssertNil(Checkpoint.normalizedCode("ACDEF"))

            let spot = try await addSpot(app, w, name: "1栋电梯厅", checklist: "公共照明: 灯具完好\ncleaning\n电梯")
            func refused(_ results: [ItemResult], _ says: String, line: UInt = #line) {
                do {
                    _ = try CheckpointVisit.checkResults(results, against: spot)
                    XCTFail("accepted", line: line)
                } catch let e as DomainError {
                    XCTAssertTrue(e.message.zhHans.contains(says), e.message.zhHans, line: line)
                } catch {
                    XCTFail("\(error)", line: line)
                }
            }
            let one = ItemResult(itemID: "1", passed: true), two = ItemResult(itemID: "2", passed: true), three = ItemResult(itemID: "3", passed: true)
            refused([one, two], "还有 1 项未检查")
            refused([one, two, ItemResult(itemID: "3", passed: false, note: "  ")], "请写明问题")
            refused([one, two, three, ItemResult(itemID: "9", passed: true)], "检查项 9 不在")
            refused([one, two, three, two], "填了两次")
            let fine = try CheckpointVisit.checkResults([three, ItemResult(itemID: "1", passed: false, note: " 灯管闪烁 "), two], against: spot)
            XCTAssertEqual(fine.count, 3)
            XCTAssertEqual(fine.first { !$0.passed }?.note, "灯管闪烁")

            // Through the store: a visit that leaves an item out keeps nothing, not even a round.
            await XCTAssertThrowsErrorAsync(try await self.visit(app, w, spot, results: [one, two]))
            let visits = try await app.store.patrols.visits(checkpoint: spot.id)
            XCTAssertTrue(visits.isEmpty)
            let rounds = try await app.store.patrols.openRounds(of: w.accounts["a.supervisor"]!.id, community: w.a.community.id)
            XCTAssertTrue(rounds.isEmpty)
            // A checkpoint needs a checklist and an area of its own community.
            await XCTAssertThrowsErrorAsync(try await app.store.patrols.addCheckpoint(.init(areaID: w.a.areas[0].id, buildingID: nil, name: "空清单",
                location: "某处", keySpot: true, items: []), community: w.a.community.id, by: self.who(w, "a.manager")))
            await XCTAssertThrowsErrorAsync(try await app.store.patrols.addCheckpoint(.init(areaID: w.b.areas[0].id, buildingID: nil, name: "别处",
                location: "某处", keySpot: true, items: items), community: w.a.community.id, by: self.who(w, "a.manager")))
        }
    }

    // MARK: Rounds are hash-chained (PLT-3)

    func testFLD3_roundTimelineIsHashChainedAndVerifyDetectsAnAlteredVisit() async throws {
        let clock = TestClock()
        try await withWorld(now: clock.read) { app, w in
            let supervisor = who(w, "a.supervisor")
            let lobby = try await addSpot(app, w, name: "1栋大堂")
            let roof = try await addSpot(app, w, name: "1栋天面", keySpot: false, checklist: "天面")
            let round = try await app.store.patrols.startRound(community: w.a.community.id, area: w.a.areas[0].id, scope: .full, by: supervisor)
            let rejoined = try await app.store.patrols.startRound(community: w.a.community.id, area: w.a.areas[0].id, scope: .full, by: supervisor)
            XCTAssertEqual(rejoined.id, round.id, "a second tap rejoins today's round")
            clock.advance(minutes: 5)
            let first = try await visit(app, w, lobby, round: round.id)
            clock.advance(minutes: 7)
            let second = try await visit(app, w, roof, round: round.id)
            XCTAssertEqual([first.visit.roundID, second.visit.roundID], [round.id, round.id])
            clock.advance(minutes: 3)
            _ = try await app.store.patrols.finishRound(round.id, by: supervisor)

            let entries = try await app.store.timelines.entries(.patrolRound, round.id)
            XCTAssertEqual(entries.map(\.kind), ["started", "visited", "visited", "finished"])
            XCTAssertEqual(entries.map(\.seq), [1, 2, 3, 4])
            XCTAssertEqual(entries[1].data["checkpoint"], lobby.code)
            XCTAssertEqual(entries[2].data["visit"], second.visit.id.uuidString)
            XCTAssertEqual(entries[2].at, second.visit.at)
            XCTAssertEqual(entries[3].data["visits"], "2")
            XCTAssertEqual(entries[2].prevHash, entries[1].hash)
            let clean = try await app.store.timelines.verify()
            XCTAssertEqual(clean.findings.count, 0, "\(clean.findings)")

            // The roof visit moved an hour earlier in SQL, behind PropDesk's back.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE timeline_entries SET at = \(bind: entries[2].at.addingTimeInterval(-3600)) WHERE id = \(bind: entries[2].id)").run()
            let result = try await app.store.timelines.verify()
            XCTAssertEqual(result.findings.count, 1)
            XCTAssertEqual(result.findings.first?.entry.id, entries[2].id)
            XCTAssertEqual(result.findings.first?.entry.subjectID, round.id)
            XCTAssertEqual(result.findings.first?.problem, .changed)
        }
    }

    // MARK: Checkpoints and labels in pages

    func testFLD3_printedLabelsCarryAQRCodeAndTheShortCode() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id, area = w.a.areas[0].id
            let base = "/c/\(cid)/patrol/checkpoints"
            let list = try await app.call(.GET, base, as: "a.manager", in: w)
            XCTAssertEqual(list.status, .ok, String(list.text.prefix(500)))
            let fields = [("areaId", area.uuidString), ("buildingId", w.a.buildings[0].id.uuidString), ("name", "1栋大堂"), ("location", "1栋一楼入口"),
                          ("keySpot", "on"), ("checklist", "公共照明: 灯具完好\n清洁卫生")]
            let added = try await form(app, base, as: "a.manager", in: w, fields)
            XCTAssertEqual(added.status, .seeOther, String(added.text.prefix(500)))
            let points = try await app.store.patrols.checkpoints(community: cid, areas: [area])
            let made = try XCTUnwrap(points.first { $0.name == "1栋大堂" })
            XCTAssertTrue(made.keySpot)
            XCTAssertEqual(made.items.map(\.category), [.lighting, .cleaning])
            XCTAssertEqual(made.items.first?.text, "灯具完好")
            XCTAssertEqual(Checkpoint.normalizedCode(made.code), made.code)
            // The supervisor walks the route but does not draw it.
            let supervisor = try await form(app, base, as: "a.supervisor", in: w, fields.map { $0.0 == "name" ? ("name", "私加检查点") : $0 })
            XCTAssertEqual(supervisor.status, .forbidden)
            let after = try await app.store.patrols.checkpoints(community: cid)
            XCTAssertFalse(after.contains { $0.name == "私加检查点" })

            let playground = try await addSpot(app, w, name: "儿童游乐场", checklist: "康体休闲设施")
            let labels = try await app.call(.GET, "/c/\(cid)/patrol/labels?area=\(area)", as: "a.manager", in: w)
            XCTAssertEqual(labels.status, .ok, String(labels.text.prefix(500)))
            XCTAssertGreaterThanOrEqual(labels.text.components(separatedBy: "<svg").count - 1, 2, "a QR code per checkpoint")
            for c in [made, playground] {
                XCTAssertTrue(labels.text.contains(c.code), "the label of \(c.name) prints \(c.code)")
                XCTAssertTrue(labels.text.contains(c.name))
            }
            let desk = try await app.call(.GET, "/c/\(cid)/patrol/labels?area=\(area)", as: "a.desk", in: w)
            XCTAssertEqual(desk.status, .forbidden)
        }
    }
}
