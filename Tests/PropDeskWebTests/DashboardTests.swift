import FluentKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PropDeskCore
import PropDeskStore
import XCTVapor
@testable import PropDeskWeb

/// REP-1 dashboards: the same numbers as the month summary and the scorecard, an area
/// supervisor's areas only, SVG charts that are well-formed and self-contained, and XLSX
/// exports that a real reader (openpyxl) opens with the CSV's cells.
final class DashboardTests: XCTestCase {
    func month(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year!, c.month!)
    }

    /// This month in community A: an emergency in the east area reached on time, an everyday repair
    /// in the west area, and a complaint in the east area.
    func seedOrders(_ app: Application, _ w: World) async throws {
        let c = w.a.community.id
        let engineer = try XCTUnwrap(w.accounts["a.engineer"])
        let manager = Actor(userID: w.accounts["a.manager"]!.id, name: "a.manager")
        let worker = Actor(userID: engineer.id, name: engineer.displayName)
        let o = try await app.store.orders.create(OrderDraft(communityID: c, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                             description: "卫生间水管爆裂,水流不止"), by: manager).order
        _ = try await app.store.orders.perform(.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), on: o.id, by: manager)
        _ = try await app.store.orders.perform(.checkIn, on: o.id, by: worker)
        _ = try await app.store.orders.create(OrderDraft(communityID: c, kind: .repair, channel: .walkIn, unitID: w.a.units[2].id,
                                                         description: "客厅插座没电"), by: manager)
        _ = try await app.store.orders.create(OrderDraft(communityID: c, kind: .complaint, channel: .walkIn, unitID: w.a.units[1].id,
                                                         description: "投诉电梯噪音"), by: manager)
    }

    func object(_ res: XCTHTTPResponse) throws -> [String: Any] {
        XCTAssertEqual(res.status, .ok, res.text)
        return try XCTUnwrap(try res.json() as? [String: Any])
    }

    // MARK: Same numbers

    func testREP1_dashboardAgreesWithTheMonthSummaryAndTheScorecard() async throws {
        try await withWorld { app, w in
            try await seedOrders(app, w)
            let c = w.a.community.id
            let m = month(app.propdesk.now())
            let dashboard = try object(try await app.call(.GET, "/api/v1/communities/\(c)/dashboard?month=\(m)", as: "a.manager", in: w))
            let summary = try object(try await app.call(.GET, "/api/v1/communities/\(c)/summary?month=\(m)", as: "a.manager", in: w))
            let scorecard = try object(try await app.call(.GET, "/api/v1/communities/\(c)/scorecard?month=\(m)", as: "a.manager", in: w))

            // The month's figures are the month summary's, field for field.
            let mine = try XCTUnwrap(dashboard["summary"] as? [String: Any])
            XCTAssertEqual(NSDictionary(dictionary: mine), NSDictionary(dictionary: summary))
            XCTAssertGreaterThanOrEqual(summary["orders"] as? Int ?? 0, 5)
            let kinds = try XCTUnwrap(summary["byKind"] as? [[String: Any]])
            let complaints = kinds.first { $0["kind"] as? String == "complaint" }?["orders"] as? Int
            XCTAssertEqual(dashboard["complaints"] as? Int, complaints)
            XCTAssertEqual(complaints, 2)

            // Visit coverage, patrols and the collection rate are the scorecard's own rows.
            let rows = try XCTUnwrap(scorecard["rows"] as? [[String: Any]])
            let duties = try XCTUnwrap(dashboard["duties"] as? [[String: Any]])
            XCTAssertEqual(duties.compactMap { $0["dutyId"] as? String }, DashboardAccess.dutyIDs)
            for d in duties {
                let row = try XCTUnwrap(rows.first { $0["dutyId"] as? String == d["dutyId"] as? String })
                for key in ["value", "numerator", "denominator", "outcome", "target"] {
                    XCTAssertEqual(d[key].map { "\($0)" }, row[key].map { "\($0)" }, "\(d["dutyId"] ?? "") \(key)")
                }
            }

            // The trend's last month, counted by one grouped query, is the month summary again.
            let trend = try XCTUnwrap(dashboard["trend"] as? [[String: Any]])
            XCTAssertEqual(trend.count, 12)
            let last = try XCTUnwrap(trend.last)
            XCTAssertEqual(last["month"] as? String, m)
            XCTAssertEqual(last["orders"] as? Int, summary["orders"] as? Int)
            XCTAssertEqual(last["complaints"] as? Int, complaints)
            XCTAssertEqual(last["ratings"] as? Int, summary["ratings"] as? Int)
            let clocks = try XCTUnwrap(summary["clocks"] as? [[String: Any]])
            for (kind, key) in [("response", "responsePercent"), ("arrival", "arrivalPercent"), ("completion", "completionPercent")] {
                let all = clocks.first { $0["kind"] as? String == kind && $0["emergencyOnly"] as? Bool == false }
                XCTAssertEqual(last[key] as? Double, all?["attainmentPercent"] as? Double, kind)
            }
            XCTAssertEqual(clocks.first { $0["kind"] as? String == "arrival" && $0["emergencyOnly"] as? Bool == true }?["met"] as? Int, 1)
            XCTAssertEqual(trend.dropLast().reduce(0) { $0 + ($1["orders"] as? Int ?? 0) }, 0, "nothing before this month")

            // The open backlog: the cancelled orders of the world are not open, the five new ones are.
            let open = try XCTUnwrap(dashboard["openOrders"] as? [String: Any])
            XCTAssertEqual(open["total"] as? Int, 3)

            // The page shows the same: its SLA table and the head lands on it.
            let page = try await app.call(.GET, "/c/\(c)/dashboard?month=\(m)", as: "a.head", in: w)
            XCTAssertEqual(page.status, .ok, page.text)
            XCTAssertTrue(page.text.contains("数据看板"))
            XCTAssertTrue(page.text.contains(#"data-figure="orders"><td>工单数</td><td class="num">\#(summary["orders"] as? Int ?? -1)</td>"#), page.text)
            let english = try await app.call(.GET, "/api/v1/communities/\(c)/dashboard?month=\(m)", as: "a.head", in: w, language: "en")
            XCTAssertTrue(english.text.contains("Under 1 day"), english.text)
            let landing = try await app.call(.GET, "/", as: "a.head", in: w)
            XCTAssertEqual(landing.headers.first(name: .location), "/c/\(c)/dashboard")
        }
    }

    // MARK: Scope

    func testREP1_aSupervisorsDashboardShowsOnlyTheirAreas() async throws {
        try await withWorld { app, w in
            try await seedOrders(app, w)
            let c = w.a.community.id
            let m = month(app.propdesk.now())
            let east = w.a.areas[0], west = w.a.areas[1]
            let own = try object(try await app.call(.GET, "/api/v1/communities/\(c)/dashboard?month=\(m)", as: "a.supervisor", in: w))
            XCTAssertEqual(own["areaId"] as? String, east.id.uuidString)
            let expected = try await app.store.reports.monthSummary(community: c, month: m, timeZone: w.a.community.timeZone, visibleAreas: [east.id])
            let whole = try await app.store.reports.monthSummary(community: c, month: m, timeZone: w.a.community.timeZone, visibleAreas: nil)
            XCTAssertEqual((own["summary"] as? [String: Any])?["orders"] as? Int, expected.orders)
            XCTAssertLessThan(expected.orders, whole.orders)
            XCTAssertEqual((own["openOrders"] as? [String: Any])?["total"] as? Int, 2, "the emergency and the complaint of the east area")

            // Another area of the same community is not found, on the API, the page and the export.
            for path in ["/api/v1/communities/\(c)/dashboard?month=\(m)&areaId=\(west.id)",
                         "/api/v1/communities/\(c)/dashboard/export?month=\(m)&areaId=\(west.id)&format=csv",
                         "/c/\(c)/dashboard?month=\(m)&area=\(west.id)", "/c/\(c)/dashboard?month=\(m)&area=\(west.id)&format=xlsx"] {
                let r = try await app.call(.GET, path, as: "a.supervisor", in: w)
                XCTAssertEqual(r.status, .notFound, path)
            }
            let page = try await app.call(.GET, "/c/\(c)/dashboard?month=\(m)", as: "a.supervisor", in: w)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains(east.name))
            XCTAssertFalse(page.text.contains(west.name), "the west area is not even offered")
            XCTAssertFalse(page.text.contains("全小区"))
            // The whole-community monthly report is not theirs.
            let report = try await app.call(.GET, "/c/\(c)/reports/monthly?month=\(m)", as: "a.supervisor", in: w)
            XCTAssertEqual(report.status, .forbidden)
            // The head may pick the west area, and then sees only its orders.
            let westView = try object(try await app.call(.GET, "/api/v1/communities/\(c)/dashboard?month=\(m)&areaId=\(west.id)", as: "a.head", in: w))
            XCTAssertEqual((westView["summary"] as? [String: Any])?["orders"] as? Int, 1)
            // Other roles and communities.
            for (user, status) in [("a.engineer", HTTPStatus.forbidden), ("a.finance", .forbidden), ("a.desk", .forbidden), ("b.head", .notFound),
                                   (nil, .unauthorized)] as [(String?, HTTPStatus)] {
                let r = try await app.call(.GET, "/api/v1/communities/\(c)/dashboard?month=\(m)", as: user, in: w)
                XCTAssertEqual(r.status, status, "\(user ?? "anonymous"): \(r.text.prefix(200))")
            }
            let bad = try await app.call(.GET, "/c/\(c)/dashboard?month=2026-13", as: "a.head", in: w)
            XCTAssertEqual(bad.status, .unprocessableEntity)
            let badFormat = try await app.call(.GET, "/c/\(c)/dashboard?format=pdf", as: "a.head", in: w)
            XCTAssertEqual(badFormat.status, .unprocessableEntity)
        }
    }

    // MARK: Exports

    /// Reads an .xlsx with openpyxl (system python): every row's cells as JSON, with number formats.
    func readWorkbook(_ data: Data) throws -> (sheet: String, rows: [[[String: Any]]]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.xlsx")
        try data.write(to: file)
        let script = """
            import json, sys, datetime, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.worksheets[0]
            rows = []
            for row in ws.iter_rows():
                out = []
                for c in row:
                    v = c.value
                    if isinstance(v, datetime.datetime): out.append({"t": "d", "v": v.strftime("%Y-%m-%d"), "f": c.number_format})
                    elif isinstance(v, bool) or v is None: out.append({"t": "none"})
                    elif isinstance(v, (int, float)): out.append({"t": "n", "v": v, "f": c.number_format})
                    else: out.append({"t": "s", "v": str(v), "bold": bool(c.font.b)})
                rows.append(out)
            print(json.dumps({"sheet": ws.title, "rows": rows}, ensure_ascii=False))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, file.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, errors)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: bytes) as? [String: Any], errors)
        return (json["sheet"] as? String ?? "", json["rows"] as? [[[String: Any]]] ?? [])
    }

    /// The CSV's cells and the workbook's are the same: text equal, numbers equal (a percent
    /// "95.3%" is 0.953 in the workbook), days equal, empty equal.
    func assertSameCells(_ csv: String, _ rows: [[[String: Any]]], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(csv.hasPrefix("\u{FEFF}"), "a BOM for Excel", file: file, line: line)
        let lines = try CSV.parse(csv).map(\.fields)
        XCTAssertEqual(lines.count, rows.count, file: file, line: line)
        for (r, (fields, cells)) in zip(lines, rows).enumerated() {
            for (i, field) in fields.enumerated() {
                let cell = i < cells.count ? cells[i] : ["t": "none"]
                switch cell["t"] as? String {
                case "s": XCTAssertEqual(cell["v"] as? String, field, "row \(r) col \(i)", file: file, line: line)
                case "d": XCTAssertEqual(cell["v"] as? String, field, "row \(r) col \(i)", file: file, line: line)
                case "n":
                    let v = try XCTUnwrap(cell["v"] as? Double, file: file, line: line)
                    let expected = field.hasSuffix("%") ? (Double(field.dropLast()) ?? .nan) / 100 : (Double(field) ?? .nan)
                    XCTAssertEqual(v, expected, accuracy: 1e-9, "row \(r) col \(i): \(field)", file: file, line: line)
                default: XCTAssertEqual(field, "", "row \(r) col \(i)", file: file, line: line)
                }
            }
        }
    }

    func testREP1_xlsxExportOpensInARealReaderWithTheSameCellsAsTheCSV() async throws {
        // The table type itself, with text that must be escaped and every kind of cell.
        let tricky = TableExport(title: "测试<表>&[1]", headers: ["名称", "金额(元)", "比例", "日期", "数量", "评分"], rows: [
            [.text("<script>&\"引号\"'</script>"), .fen(123_456), .perMille(953), .date("2026-10-05"), .integer(-7), .hundredths(425)],
            [.text("=SUM(A1)"), .fen(-5), .perMille(0), .date("2026-02-30"), .empty, .empty],
            [.text("换行\n第二行\u{0001}"), .fen(0), .perMille(1000), .date("2026-12-31"), .integer(0), .hundredths(500)],
        ])
        let book = try readWorkbook(try ExportResponse.workbook(tricky))
        XCTAssertEqual(book.sheet, "测试<表>& 1")
        XCTAssertEqual(book.rows[0].first?["bold"] as? Bool, true, "headers are bold")
        XCTAssertEqual(book.rows[1][0]["v"] as? String, "<script>&\"引号\"'</script>")
        XCTAssertEqual(book.rows[1][1]["f"] as? String, "#,##0.00")
        XCTAssertEqual(book.rows[1][2]["f"] as? String, "0.0%")
        XCTAssertEqual(book.rows[1][3]["t"] as? String, "d")
        XCTAssertEqual(book.rows[2][3]["v"] as? String, "2026-02-30", "not a real day stays text")
        XCTAssertEqual(book.rows[3][0]["v"] as? String, "换行\n第二行", "a control character is dropped, not a broken file")
        let csv = tricky.csv()
        XCTAssertTrue(csv.contains("'=SUM(A1)"), "no formula in the CSV")
        // The workbook keeps the formula-looking text as text (an inline string is never evaluated);
        // the CSV guards it with a quote, so compare that one cell apart.
        var rows = book.rows
        rows[2][0] = ["t": "s", "v": "'=SUM(A1)"]
        try assertSameCells(csv, rows)

        // The dashboard's own tables, through the page and the API.
        try await withWorld { app, w in
            try await seedOrders(app, w)
            let c = w.a.community.id
            let m = month(app.propdesk.now())
            for table in ["figures", "trend"] {
                let csv = try await app.call(.GET, "/c/\(c)/dashboard?month=\(m)&table=\(table)&format=csv", as: "a.head", in: w)
                XCTAssertEqual(csv.status, .ok, csv.text)
                XCTAssertEqual(csv.headers.contentType?.subType, "csv")
                let xlsx = try await app.call(.GET, "/c/\(c)/dashboard?month=\(m)&table=\(table)&format=xlsx", as: "a.head", in: w)
                XCTAssertEqual(xlsx.status, .ok)
                XCTAssertTrue(xlsx.headers.first(name: .contentDisposition)?.contains(".xlsx") ?? false)
                let book = try readWorkbook(Data(xlsx.body.readableBytesView))
                XCTAssertEqual(book.rows.first?.first?["v"] as? String, table == "figures" ? "指标" : "月份", "Chinese headers")
                try assertSameCells(csv.text, book.rows)
                let api = try await app.call(.GET, "/api/v1/communities/\(c)/dashboard/export?month=\(m)&table=\(table)&format=xlsx", as: "a.manager", in: w)
                XCTAssertEqual(api.status, .ok, api.text)
                try assertSameCells(csv.text, try readWorkbook(Data(api.body.readableBytesView)).rows)
            }
            let trend = try await app.call(.GET, "/c/\(c)/dashboard?month=\(m)&table=trend&format=csv", as: "a.head", in: w)
            let lastLine = try XCTUnwrap(try CSV.parse(trend.text).last?.fields)
            XCTAssertEqual(lastLine.first, m)
            XCTAssertEqual(lastLine[1], "5", "the three new orders and the world's two")
        }
    }

    // MARK: Charts

    /// Parses SVG text as XML: nil when well-formed, else the parser's error.
    func xmlError(_ text: String) -> String? {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() ? nil : (parser.parserError.map { "\($0)" } ?? "parse failed")
    }

    func assertSelfContained(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(xmlError(svg), svg, file: file, line: line)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), file: file, line: line)
        let rest = svg.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        for needle in ["http:", "https:", "//", "href", "url(", "<script", "<image", "@import", "<foreignObject"] {
            XCTAssertFalse(rest.contains(needle), "\(needle) in \(svg.prefix(300))", file: file, line: line)
        }
        XCTAssertTrue(svg.contains("<title id="), file: file, line: line)
        XCTAssertTrue(svg.contains("<desc id="), file: file, line: line)
        XCTAssertTrue(svg.contains("viewBox=\"0 0 "), file: file, line: line)
    }

    func testREP1_svgChartsAreWellFormedAndReferenceNoOtherHost() async throws {
        let evil = "<script>alert('x')</script> & \"http://evil.example/a.png\" \u{0002}"
        let chart = SVGChart(id: "c\"1<", title: evil, summary: evil, labels: ["东区", evil, "2026-10"],
                             series: [ChartSeries(name: evil, values: [3, nil, 12.5]), ChartSeries(name: "紧急", values: [100, 0, -4])],
                             unit: "%", decimals: 1, maximum: 100, target: 95)
        let bars = chart.bars()
        let lines = chart.lines()
        let grid = SVGChart.smallMultiples(id: "grid", title: evil, summary: evil, panels: [chart, chart, chart, chart], columns: 3)
        let empty = SVGChart(id: "e", title: "空", summary: "", labels: [], series: []).bars()
        for svg in [bars, lines, grid, empty] {
            XCTAssertFalse(svg.contains("evil.example") && svg.contains("\"http://evil"), "text is escaped")
            XCTAssertTrue(svg.contains("&lt;script&gt;") || svg == empty)
            XCTAssertNil(xmlError(svg))
        }
        // Escaped text may mention a URL as words; marks and attributes never load one.
        let words = SVGChart(id: "w", title: "图", summary: "说明", labels: ["一", "二"], series: [ChartSeries(name: "数", values: [1, 2])])
        for svg in [words.bars(), words.lines(), SVGChart.smallMultiples(id: "g", title: "图", summary: "说明", panels: [words, words])] { assertSelfContained(svg) }
        XCTAssertTrue(bars.contains("12.5%"), "values are written beside the marks")
        XCTAssertTrue(bars.contains("—"), "a missing figure is a gap, not zero")

        // The dashboard page's charts, as embedded.
        try await withWorld { app, w in
            try await seedOrders(app, w)
            let page = try await app.call(.GET, "/c/\(w.a.community.id)/dashboard", as: "a.head", in: w)
            XCTAssertEqual(page.status, .ok)
            var found = 0
            var rest = page.text[...]
            while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
                assertSelfContained(String(rest[start.lowerBound..<end.upperBound]))
                found += 1
                rest = rest[end.upperBound...]
            }
            XCTAssertEqual(found, 3, "backlog, SLA and the 12-month small multiples")
            XCTAssertTrue(page.text.contains("id=\"trend-table\""), "every chart has its table")
        }
    }

    // MARK: The monthly report

    func testREP1_monthlyReportPrintsAndIsPublishedOnceAsAWorkReportNotice() async throws {
        let clock = TestClock(Date())
        try await withWorld(now: clock.read) { app, w in
            try await seedOrders(app, w)
            let c = w.a.community.id
            let m = month(app.propdesk.now())
            let report = try await app.call(.GET, "/c/\(c)/reports/monthly?month=\(m)", as: "a.head", in: w)
            XCTAssertEqual(report.status, .ok, report.text)
            XCTAssertTrue(report.text.contains("本月受理工单 5 件,其中投诉 2 件"), report.text)
            XCTAssertTrue(report.text.contains("客户服务中心(盖章)"))
            XCTAssertTrue(report.text.contains("class=\"print"), "the print frame")
            // The month's report goes on the board once the month is over (S0 3.4).
            let end = try MonthSummary.range(month: m, timeZone: "Asia/Shanghai").until
            clock.advance(minutes: end.timeIntervalSince(clock.now) / 60 + 1)
            // Early in a month that is up to 31 days on, past a session's 30 days: sign in again.
            var w = w
            for user in ["a.head", "a.supervisor", "a.manager"] {
                w.tokens[user] = try await app.store.accounts.issueToken(for: try XCTUnwrap(w.accounts[user]).id).token
            }
            func publish(_ formID: String) async throws -> XCTHTTPResponse {
                let body = "month=\(m)&days=30&formId=\(formID)"
                return try await app.call(.POST, "/c/\(c)/reports/monthly/publish", as: "a.head", in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
            }
            let first = try await publish(UUID().uuidString)
            XCTAssertEqual(first.status, .seeOther, first.text)
            let again = try await publish(UUID().uuidString)
            XCTAssertEqual(again.headers.first(name: .location), first.headers.first(name: .location), "the same month's report is one notice")
            let notices = try await app.store.notices.notices(community: c, state: nil, areas: nil, limit: 50).filter { $0.kind == .workReport }
            XCTAssertEqual(notices.count, 1)
            XCTAssertEqual(notices.first?.source, "report:\(m)")
            XCTAssertTrue(notices.first?.body.contains("本月受理工单 5 件") ?? false)
            // Only those who publish notices may; bad input changes nothing.
            let supervisor = try await app.call(.POST, "/c/\(c)/reports/monthly/publish", as: "a.supervisor", in: w, contentType: .urlEncodedForm,
                                                bytes: Array("month=\(m)&days=30".utf8))
            XCTAssertEqual(supervisor.status, .forbidden)
            let badDays = try await app.call(.POST, "/c/\(c)/reports/monthly/publish", as: "a.manager", in: w, contentType: .urlEncodedForm,
                                             bytes: Array("month=2020-01&days=400".utf8))
            XCTAssertEqual(badDays.status, .seeOther)
            let count = try await app.store.notices.notices(community: c, state: nil, areas: nil, limit: 50).filter { $0.kind == .workReport }.count
            XCTAssertEqual(count, 1)
        }
    }

    // MARK: Attack review (issue 18)

    static func shanghai(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// A month that is not over (this one, next month, 2099-12) is refused on the report's form
    /// with the page's error (a flash after the redirect, not a JSON 422), and so is a month that
    /// does not parse; nothing is published. The page offers no publish button for such a month.
    /// Once the month has ended, in the community's time zone, it is published.
    func testREP1_aMonthlyReportOfAMonthNotOverIsRefusedOnThePage() async throws {
        let clock = TestClock(Self.shanghai(2026, 11, 30, 23, 58))
        try await withWorld(now: clock.read) { app, w in
            let c = w.a.community.id
            func publish(_ month: String, language: String = "zh-Hans") async throws -> XCTHTTPResponse {
                try await app.call(.POST, "/c/\(c)/reports/monthly/publish", as: "a.head", in: w, language: language, contentType: .urlEncodedForm,
                                   bytes: Array("month=\(month)&days=30&formId=\(UUID())".utf8))
            }
            func reports() async throws -> [Notice] {
                try await app.store.notices.notices(community: c, state: nil, areas: nil, limit: 50).filter { $0.kind == .workReport }
            }
            for m in ["2026-11", "2026-12", "2099-12", "2100-12"] {
                let r = try await publish(m)
                XCTAssertEqual(r.status, .seeOther, "\(m): \(r.text)")
                XCTAssertEqual(r.headers.first(name: .location), "/c/\(c.uuidString)/reports/monthly?month=\(m)")
                // The page shows why.
                var headers = w.headers("a.head", json: false)
                if let cookie = r.headers.first(name: .setCookie)?.split(separator: ";").first { headers.add(name: .cookie, value: String(cookie)) }
                let page = try await app.sendRequest(.GET, "/c/\(c.uuidString)/reports/monthly?month=\(m)", headers: headers)
                XCTAssertEqual(page.status, .ok)
                XCTAssertTrue(page.body.string.contains("\(m) 尚未结束"), "\(m): the flash is shown")
                XCTAssertFalse(page.body.string.contains("id=\"publish-report\""), "no publish button for a month not over")
                XCTAssertTrue(page.body.string.contains("report-not-over"))
            }
            let en = try await publish("2026-11", language: "en")
            XCTAssertEqual(en.status, .seeOther)
            for bad in ["2026-13", "1999-12", "abc", "2026-1%27"] {
                let r = try await publish(bad)
                XCTAssertEqual(r.status, .seeOther, "\(bad): the page's error, not a JSON 422: \(r.text)")
                XCTAssertEqual(r.headers.first(name: .location), "/c/\(c.uuidString)/reports/monthly")
            }
            var published = try await reports()
            XCTAssertEqual(published.count, 0, "nothing published for a month not over")

            // October is over: offered and published.
            let october = try await app.call(.GET, "/c/\(c)/reports/monthly?month=2026-10", as: "a.head", in: w)
            XCTAssertTrue(october.text.contains("id=\"publish-report\""))
            let oct = try await publish("2026-10")
            XCTAssertEqual(oct.status, .seeOther)
            // Two minutes later, in Shanghai, November is over too.
            clock.advance(minutes: 3)
            let nov = try await publish("2026-11")
            XCTAssertEqual(nov.status, .seeOther)
            published = try await reports()
            XCTAssertEqual(Set(published.compactMap(\.source)), ["report:2026-10", "report:2026-11"])
        }
    }

    /// The months at the edges of the contract's range (2000-01 … 2100-12) are served: the trend
    /// of an early 2000 month starts at 2000-01 instead of asking for 1999, and a 2100 month's
    /// year ends with December 2100 instead of asking for 2101.
    func testREP1_dashboardMonthsAtTheEdgesOfTheRangeAreServed() async throws {
        try await withWorld { app, w in
            let c = w.a.community.id
            for (m, count) in [("2000-01", 1), ("2000-06", 6), ("2000-11", 11), ("2000-12", 12), ("2100-01", 12), ("2100-12", 12)] {
                let dashboard = try object(try await app.call(.GET, "/api/v1/communities/\(c)/dashboard?month=\(m)", as: "a.manager", in: w))
                let trend = try XCTUnwrap(dashboard["trend"] as? [[String: Any]])
                XCTAssertEqual(trend.count, count, m)
                XCTAssertEqual(trend.last?["month"] as? String, m)
                XCTAssertTrue(trend.allSatisfy { ($0["month"] as? String ?? "") >= "2000-01" }, m)
                let page = try await app.call(.GET, "/c/\(c)/dashboard?month=\(m)", as: "a.manager", in: w)
                XCTAssertEqual(page.status, .ok, "\(m): \(page.text.prefix(300))")
                let scorecard = try await app.call(.GET, "/api/v1/communities/\(c)/scorecard?month=\(m)", as: "a.manager", in: w)
                XCTAssertEqual(scorecard.status, .ok, "\(m): \(scorecard.text.prefix(300))")
                let report = try await app.call(.GET, "/c/\(c)/reports/monthly?month=\(m)", as: "a.head", in: w)
                XCTAssertEqual(report.status, .ok, m)
            }
            XCTAssertEqual(MonthTrend.months(endingWith: "2000-03", count: 12), ["2000-01", "2000-02", "2000-03"])
            XCTAssertEqual(MonthTrend.months(endingWith: "2026-02", count: 3), ["2025-12", "2026-01", "2026-02"])
            // Outside the range is still a clear 422.
            let outside = try await app.call(.GET, "/api/v1/communities/\(c)/dashboard?month=1999-12", as: "a.manager", in: w)
            XCTAssertEqual(outside.status, .unprocessableEntity)
        }
    }
}
