import FluentKit
import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// Satisfaction surveys (CR-2, S0 3.3) on a real database, through the portal and the staff pages.
final class SurveyTests: XCTestCase {
    func who(_ w: World, _ username: String) -> Actor { Actor(userID: w.accounts[username]!.id, name: w.accounts[username]!.displayName) }

    func form(_ app: Application, _ path: String, as user: String, in w: World, _ fields: [(String, String)]) async throws -> XCTHTTPResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await app.call(.POST, path, as: user, in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
    }

    static let questions = [
        SurveyQuestion(code: "overall", kind: .scale, text: "总体满意度"),
        SurveyQuestion(code: "improve", kind: .multiple, text: "优先改进", options: ["客服", "维修", "保洁"], required: false),
        SurveyQuestion(code: "opinion", kind: .text, text: "意见建议", required: false),
    ]

    /// An open survey of community A's whole community, drafted and opened by the CS manager.
    func openSurvey(_ app: Application, _ w: World, title: String = "2026 年下半年满意度调查") async throws -> Survey {
        let manager = who(w, "a.manager")
        let s = try await app.store.surveys.create(.init(id: UUID(), title: title, period: "2026-H2", areaIDs: [], questions: Self.questions),
                                                   community: w.a.community.id, by: manager)
        return try await app.store.surveys.open(s.id, by: manager)
    }

    /// A second resident account living in `unit` (a family member of the owner).
    func secondResident(_ app: Application, _ w: inout World, unit: UUID) async throws -> String {
        let admin = Actor.console("test")
        let person = try await app.store.registry.createPerson(.init(communityID: w.a.community.id, kind: .individual, name: "王小明", phone: "13800009999",
                                                                     idType: nil, idNumber: nil, units: [(unit, .family)]), by: admin)
        let hash = try await SignIn.hash(World.password, on: app)
        let account = try await app.store.accounts.create(UserAccount(username: "13800009999", displayName: "王小明", role: .resident,
                                                                      scopes: [Scope(communityID: w.a.community.id)], personID: person.person.id),
                                                          passwordHash: hash, by: admin)
        w.accounts["13800009999"] = account
        w.tokens["13800009999"] = try await app.store.accounts.issueToken(for: account.id).token
        return "13800009999"
    }

    func responseCount(_ app: Application, _ survey: UUID) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM survey_responses WHERE survey_id = \(bind: survey)").first()!.decode(column: "n", as: Int.self)
    }

    /// One household, one answer: the owner answers on the portal (a resent form is stored once
    /// and kept in the owner's name); a second resident of the same unit, and the desk entering a
    /// paper form for that unit, are both refused; a paper form for another unit is marked paper
    /// with the clerk's name; a supervisor cannot enter a form for a unit outside their areas.
    func testCR2_aHouseholdCannotAnswerASurveyTwice_portalPaperAndTwoResidents() async throws {
        try await withWorld { app, world in
            var w = world
            let s = try await openSurvey(app, w)
            let unit = w.a.units[0]
            let path = Routes.portalSurvey(s.id)
            let formID = UUID().uuidString
            let fields = [("responseId", formID), ("unitId", unit.id.uuidString), ("a[overall]", "3"), ("mc[improve__1]", "1"), ("t[opinion]", "电梯维修要快")]
            let first = try await form(app, path, as: "13800001000", in: w, fields)
            XCTAssertEqual(first.status, .seeOther, first.text)
            let again = try await form(app, path, as: "13800001000", in: w, fields)
            XCTAssertEqual(again.status, .seeOther)
            var n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 1, "a resent form is stored once")
            let stored = try await app.store.surveys.response(survey: s.id, unit: unit.id, community: s.communityID)
            let r = try XCTUnwrap(stored)
            XCTAssertEqual(r.channel, .portal)
            XCTAssertEqual(r.personID, w.a.people[0].person.id, "a portal answer is identified by the person")
            XCTAssertEqual(r.answers, [SurveyAnswer(code: "overall", choices: [3]), SurveyAnswer(code: "improve", choices: [1]), SurveyAnswer(code: "opinion", text: "电梯维修要快")])

            // A second resident of the same household.
            let other = try await secondResident(app, &w, unit: unit.id)
            let page = try await app.call(.GET, path, as: other, in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("survey-answered"), "the household is shown as answered")
            let second = try await form(app, path, as: other, in: w, [("responseId", UUID().uuidString), ("unitId", unit.id.uuidString), ("a[overall]", "0")])
            XCTAssertEqual(second.status, .seeOther)
            n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 1, "a second resident of one unit cannot answer again")
            do {
                _ = try await app.store.surveys.answer(.init(responseID: UUID(), unitID: unit.id, answers: [SurveyAnswer(code: "overall", choices: [0])]), survey: s.id,
                                                       as: .resident(personID: nil, userID: w.accounts[other]!.id, name: other))
                XCTFail("a second answer of one household was stored")
            } catch let e as DomainError { XCTAssertEqual(e.code, "already_answered") }

            // Paper for the same unit: refused, through the page and the store.
            let label = try await app.store.registry.unitLabels([unit.id])[unit.id]!
            let paper = try await form(app, Routes.surveyPaper(w.a.community.id, s.id), as: "a.desk", in: w,
                                       [("responseId", UUID().uuidString), ("unit", label), ("a[overall]", "4")])
            XCTAssertEqual(paper.status, .seeOther)
            n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 1, "a paper form cannot add a second answer for a household that answered on the portal")
            do {
                _ = try await app.store.surveys.answer(.init(responseID: UUID(), unitID: unit.id, answers: [SurveyAnswer(code: "overall", choices: [4])]), survey: s.id,
                                                       as: .paper(who(w, "a.desk")))
                XCTFail("a paper form for an answered household was stored")
            } catch let e as DomainError { XCTAssertEqual(e.code, "already_answered") }

            // Paper for another unit: marked paper, with the clerk's name.
            let label1 = try await app.store.registry.unitLabels([w.a.units[1].id])[w.a.units[1].id]!
            let ok = try await form(app, Routes.surveyPaper(w.a.community.id, s.id), as: "a.desk", in: w,
                                    [("responseId", UUID().uuidString), ("unit", label1), ("a[overall]", "4")])
            XCTAssertEqual(ok.status, .seeOther)
            let paperStored = try await app.store.surveys.response(survey: s.id, unit: w.a.units[1].id, community: s.communityID)
            let p = try XCTUnwrap(paperStored)
            XCTAssertEqual(p.channel, .paper)
            XCTAssertTrue(p.byName.contains("a.desk"), p.byName)
            XCTAssertNil(p.personID)

            // An area supervisor of areas[0] cannot enter a form for a unit of areas[1].
            let outside = w.a.units[2]
            XCTAssertNotEqual(outside.areaID, w.a.areas[0].id)
            do {
                _ = try await SurveyStore(db: app.db, now: { Date() }).answer(.init(responseID: UUID(), unitID: outside.id, answers: [SurveyAnswer(code: "overall", choices: [1])]),
                                                                              survey: s.id, as: .paper(who(w, "a.supervisor")), areas: [w.a.areas[0].id])
                XCTFail("a supervisor entered a form outside their areas")
            } catch let e as DomainError { XCTAssertEqual(e.kind, .notFound) }
            n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 2)
        }
    }

    /// Closing freezes the table: after close no answer is accepted (store, portal, paper page),
    /// and even a row that reached the table behind the application's back changes nothing
    /// served — the page, the statistics and the duty still show what was frozen.
    func testCR2_aClosedSurveysResultsCannotChange() async throws {
        try await withWorld { app, w in
            let s = try await openSurvey(app, w)
            let desk = who(w, "a.desk")
            for (unit, point) in [(w.a.units[0], 4), (w.a.units[1], 2)] {
                _ = try await app.store.surveys.answer(.init(responseID: UUID(), unitID: unit.id, answers: [SurveyAnswer(code: "overall", choices: [point])]),
                                                       survey: s.id, as: .paper(desk))
            }
            let closed = try await app.store.surveys.close(s.id, by: who(w, "a.manager"))
            XCTAssertEqual(closed.status, .closed)
            let frozen = try await app.store.surveys.statistics(closed)
            XCTAssertEqual(frozen.responded, 2)
            // (5 + 3) / 2 = 4.00; one of two satisfied = 50.0 %.
            XCTAssertEqual(frozen.cell("overall", area: nil)?.meanHundredths, 400)
            XCTAssertEqual(frozen.cell("overall", area: nil)?.satisfiedPerMille, 500)
            let pageBefore = try await app.call(.GET, Routes.survey(w.a.community.id, s.id), as: "a.manager", in: w)
            XCTAssertEqual(pageBefore.status, .ok)

            do {
                _ = try await app.store.surveys.answer(.init(responseID: UUID(), unitID: w.a.units[2].id, answers: [SurveyAnswer(code: "overall", choices: [0])]),
                                                       survey: s.id, as: .paper(desk))
                XCTFail("a closed survey accepted an answer")
            } catch let e as DomainError { XCTAssertEqual(e.code, "survey_closed") }
            let portal = try await form(app, Routes.portalSurvey(s.id), as: "13800001000", in: w,
                                        [("responseId", UUID().uuidString), ("unitId", w.a.units[0].id.uuidString), ("a[overall]", "0")])
            XCTAssertTrue([303, 404].contains(portal.status.code), "\(portal.status)")
            let label = try await app.store.registry.unitLabels([w.a.units[2].id])[w.a.units[2].id]!
            _ = try await form(app, Routes.surveyPaper(w.a.community.id, s.id), as: "a.desk", in: w,
                               [("responseId", UUID().uuidString), ("unit", label), ("a[overall]", "0")])
            let n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 2, "nothing was added after closing")
            let reopened = try? await app.store.surveys.open(s.id, by: who(w, "a.manager"))
            XCTAssertNil(reopened, "a closed survey cannot be opened again")

            // A late row written straight into the table (as a stray process might).
            let late = SurveyResponse(id: UUID(), surveyID: s.id, communityID: w.a.community.id, unitID: w.a.units[2].id, areaID: w.a.units[2].areaID,
                                      channel: .paper, personID: nil, byName: "x", byUserID: nil, at: Date(), answers: [SurveyAnswer(code: "overall", choices: [0])])
            try await SurveyStore.insert([late], on: app.db)
            let after = try await app.store.surveys.statistics(closed)
            XCTAssertEqual(after, frozen, "a closed survey's statistics are the frozen copy")
            let again = try await app.store.surveys.close(s.id, by: who(w, "a.manager"))
            let afterClose = try await app.store.surveys.statistics(again)
            XCTAssertEqual(afterClose, frozen, "closing again recomputes nothing")
            let pageAfter = try await app.call(.GET, Routes.survey(w.a.community.id, s.id), as: "a.manager", in: w)
            XCTAssertEqual(Self.between(pageAfter.text, "id=\"survey-statistics\"", "id=\"survey-comparison\""),
                           Self.between(pageBefore.text, "id=\"survey-statistics\"", "id=\"survey-comparison\""))

            // The S0 3.3 duty counts the frozen figures: 2 of the community's 3 households.
            let month = DutyStore.month(of: Date(), timeZone: w.a.community.timeZone)
            let card = try await app.store.duties.scorecard(community: w.a.community.id, month: month, timeZone: w.a.community.timeZone)
            let row = try XCTUnwrap(card.first { $0.duty.id == "S0-3.3-satisfaction-survey" })
            XCTAssertEqual(row.measurement.numerator, 2)
            XCTAssertEqual(row.measurement.denominator, 3)
        }
    }

    static func between(_ text: String, _ from: String, _ to: String) -> String {
        guard let a = text.range(of: from), let b = text.range(of: to, range: a.upperBound..<text.endIndex) else { return "" }
        return String(text[a.upperBound..<b.lowerBound])
    }

    /// The statistics of a hand-made example, computed by hand:
    ///
    /// Areas East (4 households) and West (6). Five households answer:
    ///   East r1: overall 5, improve {客服, 维修}, know 是
    ///   East r2: overall 4, improve {维修},       know 是
    ///   East r3: overall 2, improve —,            know 否
    ///   West r4: overall 3, improve {维修},       know 是
    ///   West r5: overall 4, improve {客服, 保洁}, know —
    /// Response rate 5/10 = 50.0 %; East 3/4 = 75.0 %; West 2/6 = 33.33… → 33.3 %.
    /// overall, all: 5+4+2+3+4 = 18 over 5 = 3.60; points 1…5 counted [0,1,1,2,1] → 0, 20.0, 20.0,
    ///   40.0, 20.0 %; satisfied (4 or 5): r1, r2, r5 = 3/5 = 60.0 %.
    /// overall, East: 11/3 = 3.666… → 3.67 (half up); satisfied 2/3 = 66.66… → 66.7 %;
    ///   counts [0,1,0,1,1] → 33.3 % each of 2, 4, 5.
    /// overall, West: 7/2 = 3.50; satisfied 1/2 = 50.0 %.
    /// improve, all: answered by r1, r2, r4, r5 = 4; 客服 2 (50.0 %), 维修 3 (75.0 %), 保洁 1 (25.0 %)
    ///   — 150 % in all, a multiple choice. East: 2 answered; 客服 1 (50.0 %), 维修 2 (100.0 %), 保洁 0.
    /// know, all: 4 answered; 是 3 (75.0 %), 否 1 (25.0 %).
    /// Seen by East's supervisor: households 4, answered 3, overall 3.67 — West left out.
    /// Against a previous survey whose overall was 3, 4 (3.50, satisfied 50.0 %): +0.10 and +10.0 %.
    func testCR2_statisticsOfAHandMadeExampleAreExact() throws {
        let c = UUID(), east = UUID(), west = UUID()
        let questions = [
            SurveyQuestion(code: "overall", kind: .scale, text: "总体满意度"),
            SurveyQuestion(code: "improve", kind: .multiple, text: "优先改进", options: ["客服", "维修", "保洁"], required: false),
            SurveyQuestion(code: "know", kind: .single, text: "知道服务电话吗", options: ["是", "否"], required: false),
        ]
        let s = Survey(communityID: c, title: "测试", period: "2026-H2", areaIDs: [], questions: questions, status: .open, createdAt: Date(), createdByName: "m")
        func r(_ area: UUID, _ overall: Int, _ improve: [Int], _ know: Int?) -> SurveyResponse {
            var answers = [SurveyAnswer(code: "overall", choices: [overall - 1])]
            if !improve.isEmpty { answers.append(SurveyAnswer(code: "improve", choices: improve)) }
            if let know { answers.append(SurveyAnswer(code: "know", choices: [know])) }
            return SurveyResponse(id: UUID(), surveyID: s.id, communityID: c, unitID: UUID(), areaID: area, channel: .paper, personID: nil, byName: "d", byUserID: nil,
                                  at: Date(), answers: answers)
        }
        let responses = [r(east, 5, [0, 1], 0), r(east, 4, [1], 0), r(east, 2, [], 1), r(west, 3, [1], 0), r(west, 4, [0, 2], nil)]
        let stats = SurveyStatistics.compute(s, responses: responses, households: [east: 4, west: 6], at: Date())
        XCTAssertEqual(stats.households, 10)
        XCTAssertEqual(stats.responded, 5)
        XCTAssertEqual(stats.ratePerMille, 500)
        XCTAssertEqual(stats.areas.first { $0.areaID == east }?.ratePerMille, 750)
        XCTAssertEqual(stats.areas.first { $0.areaID == west }?.ratePerMille, 333)

        let all = try XCTUnwrap(stats.cell("overall", area: nil))
        XCTAssertEqual(all.answered, 5)
        XCTAssertEqual(all.counts, [0, 1, 1, 2, 1])
        XCTAssertEqual(all.perMille, [0, 200, 200, 400, 200])
        XCTAssertEqual(all.meanHundredths, 360)
        XCTAssertEqual(all.satisfiedPerMille, 600)
        let e = try XCTUnwrap(stats.cell("overall", area: east))
        XCTAssertEqual(e.counts, [0, 1, 0, 1, 1])
        XCTAssertEqual(e.perMille, [0, 333, 0, 333, 333])
        XCTAssertEqual(e.meanHundredths, 367)
        XCTAssertEqual(e.satisfiedPerMille, 667)
        let wc = try XCTUnwrap(stats.cell("overall", area: west))
        XCTAssertEqual(wc.meanHundredths, 350)
        XCTAssertEqual(wc.satisfiedPerMille, 500)
        XCTAssertEqual(SurveyStatistics.mean(e.meanHundredths), "3.67")
        XCTAssertEqual(SurveyStatistics.percent(e.satisfiedPerMille), "66.7%")

        let improve = try XCTUnwrap(stats.cell("improve", area: nil))
        XCTAssertEqual(improve.answered, 4)
        XCTAssertEqual(improve.counts, [2, 3, 1])
        XCTAssertEqual(improve.perMille, [500, 750, 250])
        XCTAssertNil(improve.meanHundredths)
        let improveEast = try XCTUnwrap(stats.cell("improve", area: east))
        XCTAssertEqual(improveEast.answered, 2)
        XCTAssertEqual(improveEast.perMille, [500, 1000, 0])
        let know = try XCTUnwrap(stats.cell("know", area: nil))
        XCTAssertEqual(know.answered, 4)
        XCTAssertEqual(know.perMille, [750, 250])

        let seen = stats.restricted(to: [east])
        XCTAssertEqual(seen.households, 4)
        XCTAssertEqual(seen.responded, 3)
        XCTAssertEqual(seen.cell("overall", area: nil)?.meanHundredths, 367)
        XCTAssertNil(seen.cell("overall", area: west))

        let previous = Survey(communityID: c, title: "上次", period: "2026-H1", areaIDs: [], questions: questions, status: .closed, createdAt: Date(), createdByName: "m")
        let before = SurveyStatistics.compute(previous, responses: [r(east, 3, [], nil), r(west, 4, [], nil)], households: [east: 4, west: 6], at: Date())
        let cmp = SurveyComparison.compare(now: stats, before: before, previous: previous)
        XCTAssertEqual(cmp.rows.map(\.code), ["overall"], "only scale questions are compared")
        XCTAssertEqual(cmp.rows[0].meanChange, 10)
        XCTAssertEqual(cmp.rows[0].satisfiedChange, 100)
        XCTAssertEqual(SurveyComparison.signedMean(cmp.rows[0].meanChange), "+0.10")
        XCTAssertEqual(cmp.rateBefore, 200)
    }

    /// Bad answers change nothing and say why in both languages: a required question left out, a
    /// point outside 1–5, two choices on a single question.
    func testCR2_badAnswersAreRefusedInBothLanguages() async throws {
        try await withWorld { app, w in
            let s = try await openSurvey(app, w)
            for bad in [[SurveyAnswer(code: "improve", choices: [0])], [SurveyAnswer(code: "overall", choices: [5])], [SurveyAnswer(code: "overall", choices: [1, 2])],
                        [SurveyAnswer(code: "nope", choices: [1])]] {
                do {
                    _ = try await app.store.surveys.answer(.init(responseID: UUID(), unitID: w.a.units[0].id, answers: bad), survey: s.id, as: .paper(who(w, "a.desk")))
                    XCTFail("accepted \(bad)")
                } catch let e as DomainError {
                    XCTAssertEqual(e.code, "invalid_input")
                    XCTAssertFalse(e.message.zhHans.isEmpty)
                    XCTAssertFalse(e.message.en.isEmpty)
                }
            }
            let n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 0)
        }
    }

    /// The pages: the manager's list with the builder, the survey page with its statistics table,
    /// the charts and the exports; another community's survey is not found.
    func testCR2_surveyPagesShowStatisticsChartsAndExports() async throws {
        try await withWorld { app, w in
            let s = try await openSurvey(app, w)
            _ = try await app.store.surveys.answer(.init(responseID: UUID(), unitID: w.a.units[0].id, answers: [SurveyAnswer(code: "overall", choices: [4])]),
                                                   survey: s.id, as: .paper(who(w, "a.desk")))
            let list = try await app.call(.GET, Routes.surveys(w.a.community.id), as: "a.manager", in: w)
            XCTAssertEqual(list.status, .ok)
            XCTAssertTrue(list.text.contains("survey-builder"))
            let page = try await app.call(.GET, Routes.survey(w.a.community.id, s.id), as: "a.manager", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("<svg"), "bar charts are drawn")
            XCTAssertTrue(page.text.contains("调查统计表"))
            let csv = try await app.call(.GET, Routes.survey(w.a.community.id, s.id) + "?format=csv", as: "a.manager", in: w)
            XCTAssertEqual(csv.status, .ok)
            XCTAssertTrue(csv.text.contains("overall"), csv.text)
            let xlsx = try await app.call(.GET, Routes.survey(w.a.community.id, s.id) + "?format=xlsx", as: "a.manager", in: w)
            XCTAssertEqual(xlsx.status, .ok)
            XCTAssertEqual(Array(xlsx.body.readableBytesView.prefix(2)), [0x50, 0x4B], "a zip (xlsx)")
            let engineer = try await app.call(.GET, Routes.survey(w.a.community.id, s.id), as: "a.engineer", in: w)
            XCTAssertEqual(engineer.status, .forbidden)
            let stranger = try await app.call(.GET, Routes.survey(w.b.community.id, s.id), as: "b.head", in: w)
            XCTAssertEqual(stranger.status, .notFound)
        }
    }

    /// The demo writes two closed surveys per community in bulk, the second compared with the first.
    func testCR2_theDemoWritesTwoClosedSurveysComparedWithEachOther() async throws {
        try await withWorld { app, w in
            let cid = w.a.community.id
            try await SurveyDemo.write(community: cid, manager: who(w, "a.manager"), clerks: [who(w, "a.desk")], asOf: Date(), seed: 7, on: app.db)
            try await SurveyDemo.write(community: cid, manager: who(w, "a.manager"), clerks: [who(w, "a.desk")], asOf: Date(), seed: 7, on: app.db)
            let surveys = try await app.store.surveys.surveys(community: cid)
            XCTAssertEqual(surveys.count, 2, "written once")
            XCTAssertTrue(surveys.allSatisfy { $0.status == .closed })
            let latest = try XCTUnwrap(surveys.max { ($0.closedAt ?? .distantPast) < ($1.closedAt ?? .distantPast) })
            let stats = try await app.store.surveys.statistics(latest)
            XCTAssertEqual(stats.responded, w.a.units.count)
            let cmp = try await app.store.surveys.comparison(latest, statistics: stats)
            XCTAssertNotNil(cmp, "the latest survey is compared with last year's")
        }
    }

    // MARK: The JSON API (CR-2)

    func api(_ app: Application, _ method: HTTPMethod, _ path: String, as user: String, in w: World, json: String? = nil,
             language: String = "zh-Hans") async throws -> (XCTHTTPResponse, [String: Any]) {
        let res = try await app.call(method, "/api/v1" + path, as: user, in: w, json: json, language: language)
        return (res, (try? res.json() as? [String: Any]) ?? [:])
    }

    func answerJSON(_ responseID: UUID = UUID(), unit: UUID, overall: Int) -> String {
        #"{"responseId":"\#(responseID)","unitId":"\#(unit)","answers":[{"code":"overall","choices":[\#(overall)]},{"code":"improve","choices":[0,2]}]}"#
    }

    /// A JSON object with its keys sorted, to compare two answers whole.
    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// One household, one answer, over the API: the resident's answer is stored once however often
    /// it is sent (201, then 200); a second resident of the household and the desk's paper form
    /// for it are refused with 409 "already_answered" and the store's message in the caller's
    /// language — Chinese and English; nothing is added.
    func testCR2_aSecondAnswerOfAHouseholdOverTheAPIIs409InBothLanguages() async throws {
        try await withWorld { app, world in
            var w = world
            let s = try await openSurvey(app, w)
            let unit = w.a.units[0].id
            let formID = UUID()
            let (first, body) = try await api(app, .POST, "/me/surveys/\(s.id)/responses", as: "13800001000", in: w, json: answerJSON(formID, unit: unit, overall: 3))
            XCTAssertEqual(first.status, .created, first.text)
            XCTAssertEqual(body["channel"] as? String, "portal")
            XCTAssertEqual(body["personId"] as? String, w.a.people[0].person.id.uuidString)
            let (resent, _) = try await api(app, .POST, "/me/surveys/\(s.id)/responses", as: "13800001000", in: w, json: answerJSON(formID, unit: unit, overall: 3))
            XCTAssertEqual(resent.status, .ok, "the same form sent again is handed back")
            let (mine, _) = try await api(app, .GET, "/me/surveys", as: "13800001000", in: w)
            XCTAssertEqual(mine.status, .ok)
            let listed = try XCTUnwrap(try mine.json() as? [[String: Any]])
            let units = try XCTUnwrap(listed.first { ($0["survey"] as? [String: Any])?["id"] as? String == s.id.uuidString }?["units"] as? [[String: Any]])
            XCTAssertEqual(units.first { $0["unitId"] as? String == unit.uuidString }?["answered"] as? Bool, true)

            let other = try await secondResident(app, &w, unit: unit)
            let (zh, zhBody) = try await api(app, .POST, "/me/surveys/\(s.id)/responses", as: other, in: w, json: answerJSON(unit: unit, overall: 0))
            XCTAssertEqual(zh.status, .conflict, zh.text)
            XCTAssertEqual(zhBody["code"] as? String, "already_answered")
            XCTAssertEqual(zhBody["message"] as? String, SurveyStore.answeredError.message.zhHans)
            let (en, enBody) = try await api(app, .POST, "/me/surveys/\(s.id)/responses", as: other, in: w, json: answerJSON(unit: unit, overall: 0), language: "en")
            XCTAssertEqual(en.status, .conflict)
            XCTAssertEqual(enBody["message"] as? String, SurveyStore.answeredError.message.en)
            XCTAssertNotEqual(zhBody["message"] as? String, enBody["message"] as? String)

            // The desk's paper form for the same household: refused too; for another one: stored as paper.
            let (paper, paperBody) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w, json: answerJSON(unit: unit, overall: 4), language: "en")
            XCTAssertEqual(paper.status, .conflict, paper.text)
            XCTAssertEqual(paperBody["message"] as? String, SurveyStore.answeredError.message.en)
            var n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 1, "nothing was added for the household")
            let (ok, okBody) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w, json: answerJSON(unit: w.a.units[1].id, overall: 4))
            XCTAssertEqual(ok.status, .created, ok.text)
            XCTAssertEqual(okBody["channel"] as? String, "paper")
            XCTAssertTrue((okBody["byName"] as? String ?? "").contains(w.accounts["a.desk"]!.displayName), "\(okBody)")
            n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 2)

            // A bad form over the API changes nothing and says why.
            let (bad, badBody) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w,
                                               json: #"{"responseId":"\#(UUID())","unitId":"\#(w.a.units[2].id)","answers":[{"code":"overall","choices":[7]}]}"#)
            XCTAssertEqual(bad.status, .unprocessableEntity, bad.text)
            XCTAssertEqual(badBody["code"] as? String, "invalid_input")
            n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 2)
        }
    }

    /// Closing over the API freezes the statistics: the API serves the very numbers the page shows
    /// (the same `SurveyAccess.statistics`), marked frozen; after an answer is refused (409) and a
    /// late row is written behind the application's back, the API's answer is unchanged. The area
    /// supervisor's statistics hold only their area's column.
    func testCR2_aClosedSurveysStatisticsOverTheAPIEqualThePagesFrozenOnes() async throws {
        try await withWorld { app, w in
            let s = try await openSurvey(app, w)
            for (unit, point) in [(w.a.units[0], 4), (w.a.units[1], 2), (w.a.units[2], 3)] {
                let (r, _) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w, json: answerJSON(unit: unit.id, overall: point))
                XCTAssertEqual(r.status, .created, r.text)
            }
            let (live, liveBody) = try await api(app, .GET, "/surveys/\(s.id)/statistics", as: "a.manager", in: w)
            XCTAssertEqual(live.status, .ok, live.text)
            XCTAssertEqual(liveBody["frozen"] as? Bool, false)
            let (closed, closedBody) = try await api(app, .POST, "/surveys/\(s.id)/close", as: "a.manager", in: w)
            XCTAssertEqual(closed.status, .ok, closed.text)
            XCTAssertEqual(closedBody["status"] as? String, "closed")

            let (res, stats) = try await api(app, .GET, "/surveys/\(s.id)/statistics", as: "a.manager", in: w)
            XCTAssertEqual(res.status, .ok, res.text)
            XCTAssertEqual(stats["frozen"] as? Bool, true)
            let closedSurvey = try await app.store.surveys.survey(s.id)
            let frozen = try await app.store.surveys.statistics(try XCTUnwrap(closedSurvey))
            XCTAssertEqual(stats["households"] as? Int, frozen.households)
            XCTAssertEqual(stats["responded"] as? Int, 3)
            XCTAssertEqual(stats["ratePerMille"] as? Int, frozen.ratePerMille)
            let questions = try XCTUnwrap(stats["questions"] as? [[String: Any]])
            let overall = try XCTUnwrap(questions.first { $0["code"] as? String == "overall" })
            let all = try XCTUnwrap(overall["all"] as? [String: Any])
            // (5 + 3 + 4) / 3 = 4.00; two of three answered 4 or 5 = 666.6… → 667 ‰.
            XCTAssertEqual(all["meanHundredths"] as? Int, 400)
            XCTAssertEqual(all["satisfiedPerMille"] as? Int, 667)
            XCTAssertEqual(all["counts"] as? [Int], frozen.cell("overall", area: nil)?.counts)
            XCTAssertEqual(all["sharesPerMille"] as? [Int], frozen.cell("overall", area: nil)?.perMille.map { $0 ?? 0 })
            for cell in try XCTUnwrap(overall["byArea"] as? [[String: Any]]) {
                let area = try XCTUnwrap((cell["areaId"] as? String).flatMap(UUID.init(uuidString:)))
                XCTAssertEqual(cell["meanHundredths"] as? Int, frozen.cell("overall", area: area)?.meanHundredths)
                XCTAssertEqual(cell["counts"] as? [Int], frozen.cell("overall", area: area)?.counts)
            }
            // The page's table of the same question shows the same figures.
            let page = try await app.call(.GET, Routes.survey(w.a.community.id, s.id), as: "a.manager", in: w)
            let table = Self.between(page.text, "id=\"q-overall\"", "</table>")
            let allRow = Self.between(table, "data-area=\"all\"", "</tr>")
            XCTAssertTrue(allRow.contains(">\(SurveyStatistics.mean(all["meanHundredths"] as? Int))<"), allRow)
            XCTAssertTrue(allRow.contains(">\(SurveyStatistics.percent(all["satisfiedPerMille"] as? Int))<"), allRow)

            // Nothing moves the archived figures.
            let (late, lateBody) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w, json: answerJSON(unit: w.a.units[0].id, overall: 0))
            XCTAssertEqual(late.status, .conflict)
            XCTAssertEqual(lateBody["code"] as? String, "survey_closed")
            let stray = SurveyResponse(id: UUID(), surveyID: s.id, communityID: w.a.community.id, unitID: w.a.units[0].id, areaID: w.a.units[0].areaID,
                                       channel: .paper, personID: nil, byName: "x", byUserID: nil, at: Date(), answers: [SurveyAnswer(code: "overall", choices: [0])])
            try await (app.db as! any SQLDatabase).raw("DELETE FROM survey_answers WHERE survey_id = \(bind: s.id)").run()
            try await (app.db as! any SQLDatabase).raw("DELETE FROM survey_responses WHERE survey_id = \(bind: s.id)").run()
            try await SurveyStore.insert([stray], on: app.db)
            let (again, againBody) = try await api(app, .GET, "/surveys/\(s.id)/statistics", as: "a.manager", in: w)
            XCTAssertEqual(again.status, .ok)
            XCTAssertEqual(try Self.canonical(againBody), try Self.canonical(stats), "a closed survey's statistics never change")
            let (reclosed, _) = try await api(app, .POST, "/surveys/\(s.id)/close", as: "a.manager", in: w)
            XCTAssertEqual(reclosed.status, .ok)
            let (afterClose, afterCloseBody) = try await api(app, .GET, "/surveys/\(s.id)/statistics", as: "a.manager", in: w)
            XCTAssertEqual(afterClose.status, .ok)
            XCTAssertEqual(try Self.canonical(afterCloseBody), try Self.canonical(stats), "closing again recomputes nothing")

            // The area supervisor of areas[0]: only that column, the whole being its sum.
            let mine = w.a.areas[0].id
            let (sup, supBody) = try await api(app, .GET, "/surveys/\(s.id)/statistics", as: "a.supervisor", in: w)
            XCTAssertEqual(sup.status, .ok, sup.text)
            let supOverall = try XCTUnwrap((supBody["questions"] as? [[String: Any]])?.first { $0["code"] as? String == "overall" })
            let supAreas = try XCTUnwrap(supOverall["byArea"] as? [[String: Any]]).compactMap { $0["areaId"] as? String }
            XCTAssertEqual(supAreas, [mine.uuidString])
            XCTAssertEqual(supBody["responded"] as? Int, frozen.areas.first { $0.areaID == mine }?.responded)
            XCTAssertEqual((supOverall["all"] as? [String: Any])?["meanHundredths"] as? Int, frozen.cell("overall", area: mine)?.meanHundredths)
            XCTAssertFalse(sup.text.contains(w.a.areas[1].id.uuidString), "another area's column is not shown")
        }
    }

    /// Roles over the API: an engineer gets 403 on every survey operation; the desk may not draft,
    /// open or close; the CS manager drafts (idempotent by surveyId) and opens; another
    /// community's head finds nothing.
    func testCR2_anEngineerGets403FromTheSurveyAPI() async throws {
        try await withWorld { app, w in
            let s = try await openSurvey(app, w)
            let c = w.a.community.id
            let id = UUID()
            let draft = #"{"surveyId":"\#(id)","title":"2027 年满意度调查","period":"2027","questions":[{"code":"overall","kind":"scale","text":"总体满意度"},{"code":"know","kind":"single","text":"知道服务电话吗","options":["是","否"],"required":false}]}"#
            let calls: [(HTTPMethod, String, String?)] = [
                (.GET, "/communities/\(c)/surveys", nil), (.POST, "/communities/\(c)/surveys", draft), (.GET, "/surveys/\(s.id)", nil),
                (.POST, "/surveys/\(s.id)/open", nil), (.POST, "/surveys/\(s.id)/close", nil), (.GET, "/surveys/\(s.id)/statistics", nil),
                (.POST, "/surveys/\(s.id)/responses", answerJSON(unit: w.a.units[0].id, overall: 4)),
            ]
            for (method, path, json) in calls {
                let (r, body) = try await api(app, method, path, as: "a.engineer", in: w, json: json)
                XCTAssertEqual(r.status, .forbidden, "\(method) \(path): \(r.text)")
                XCTAssertNotNil(body["message"] as? String)
            }
            let (mine, _) = try await api(app, .GET, "/me/surveys", as: "a.engineer", in: w)
            XCTAssertEqual(mine.status, .forbidden)
            var n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 0)
            for path in ["/communities/\(c)/surveys", "/surveys/\(s.id)/close"] {
                let (r, _) = try await api(app, .POST, path, as: "a.desk", in: w, json: path.hasSuffix("surveys") ? draft : nil)
                XCTAssertEqual(r.status, .forbidden, "desk \(path)")
            }

            let (created, createdBody) = try await api(app, .POST, "/communities/\(c)/surveys", as: "a.manager", in: w, json: draft)
            XCTAssertEqual(created.status, .created, created.text)
            XCTAssertEqual(createdBody["status"] as? String, "draft")
            XCTAssertEqual((createdBody["questions"] as? [[String: Any]])?.count, 2)
            let (twice, _) = try await api(app, .POST, "/communities/\(c)/surveys", as: "a.manager", in: w, json: draft)
            XCTAssertEqual(twice.status, .created)
            let drafted = try await app.store.surveys.surveys(community: c)
            XCTAssertEqual(drafted.count, 2, "the questionnaire sent twice is drafted once")
            let (opened, openedBody) = try await api(app, .POST, "/surveys/\(id)/open", as: "a.manager", in: w)
            XCTAssertEqual(opened.status, .ok, opened.text)
            XCTAssertEqual(openedBody["status"] as? String, "open")
            let (list, _) = try await api(app, .GET, "/communities/\(c)/surveys?status=open", as: "a.desk", in: w)
            XCTAssertEqual(list.status, .ok)
            XCTAssertEqual((try list.json() as? [[String: Any]])?.count, 2)

            let (stranger, _) = try await api(app, .GET, "/surveys/\(s.id)/statistics", as: "b.head", in: w)
            XCTAssertEqual(stranger.status, .notFound)
            let (strangerPaper, _) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "b.head", in: w, json: answerJSON(unit: w.a.units[0].id, overall: 4))
            XCTAssertEqual(strangerPaper.status, .notFound)
            n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 0)

            // The survey's timeline (drafted, opened) links to the survey's page.
            let entries = try await app.store.timelines.entries(.survey, s.id)
            XCTAssertEqual(entries.map(\.kind), ["drafted", "opened"])
            let subject = SubjectRef(kind: .survey, id: s.id, communityID: c, areaID: nil, label: s.title)
            XCTAssertEqual(SubjectLinks.path(subject), Routes.survey(c, s.id))
        }
    }

    // MARK: Attack review (issue 18)

    /// Only households answer (CR-2, S0 3.3): a parking space of the community is refused with a
    /// clear 422 in both languages, on paper and on the portal, and the statistics' whole stays
    /// the sum of its areas.
    func testCR2_aParkingSpaceCannotAnswerASurvey() async throws {
        try await withWorld { app, w in
            let s = try await openSurvey(app, w)
            let parking = try await app.store.registry.createUnit(PropertyUnit(communityID: w.a.community.id, buildingID: w.a.buildings[0].id, areaID: nil,
                                                                               roomNumber: "P-018", floor: 1, kind: .parking, floorArea: FloorArea(hundredths: 1250)),
                                                                  by: .console("test"))
            let (zh, zhBody) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w, json: answerJSON(unit: parking.id, overall: 4))
            XCTAssertEqual(zh.status, .unprocessableEntity, zh.text)
            XCTAssertEqual(zhBody["code"] as? String, "invalid_input")
            let (en, enBody) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w, json: answerJSON(unit: parking.id, overall: 4),
                                             language: "en")
            XCTAssertEqual(en.status, .unprocessableEntity)
            XCTAssertTrue((enBody["message"] as? String ?? "").contains("household"), "\(enBody)")
            XCTAssertNotEqual(zhBody["message"] as? String, enBody["message"] as? String)
            do {
                _ = try await app.store.surveys.answer(.init(responseID: UUID(), unitID: parking.id, answers: [SurveyAnswer(code: "overall", choices: [4])]),
                                                       survey: s.id, as: .paper(who(w, "a.desk")))
                XCTFail("a parking space answered")
            } catch let e as DomainError {
                XCTAssertEqual(e.code, "invalid_input")
            }
            // A household still answers, and the whole is the sum of the areas.
            let (ok, _) = try await api(app, .POST, "/surveys/\(s.id)/responses", as: "a.desk", in: w, json: answerJSON(unit: w.a.units[0].id, overall: 4))
            XCTAssertEqual(ok.status, .created, ok.text)
            let n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 1)
            let stats = try await app.store.surveys.statistics(s)
            let households = try await app.store.surveys.households(s)
            XCTAssertEqual(stats.households, households.values.reduce(0, +))
            XCTAssertEqual(stats.responded, 1)
        }
    }

    /// Twenty parallel resends of one form (the same responseId) are all answered with the first
    /// response (one 201, the rest 200) — none is "already answered" — and it is stored once.
    func testCR2_twentyParallelResendsOfOneResponseAllGetTheFirst() async throws {
        try await withWorld { app, w in
            let s = try await openSurvey(app, w)
            let formID = UUID()
            let body = answerJSON(formID, unit: w.a.units[0].id, overall: 3)
            let path = "/api/v1/me/surveys/\(s.id)/responses"
            let headers = w.headers("13800001000")
            let answers = try await withThrowingTaskGroup(of: (UInt, String).self) { [headers] group in
                for _ in 0..<20 {
                    group.addTask {
                        let res = try await app.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
                        let id = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])?["id"] as? String
                        return (res.status.code, id ?? String(decoding: Data(res.body.readableBytesView), as: UTF8.self))
                    }
                }
                return try await group.reduce(into: [(UInt, String)]()) { $0.append($1) }
            }
            XCTAssertEqual(answers.count, 20)
            XCTAssertEqual(answers.filter { $0.0 == 201 }.count, 1, "\(answers)")
            XCTAssertEqual(answers.filter { $0.0 == 200 }.count, 19, "\(answers)")
            XCTAssertEqual(Set(answers.map { $0.1.lowercased() }), [formID.uuidString.lowercased()], "\(answers)")
            let n = try await responseCount(app, s.id)
            XCTAssertEqual(n, 1)
        }
    }
}
