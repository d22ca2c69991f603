import XCTest
@testable import PropDeskCore

final class CSVTests: XCTestCase {
    // MARK: parse

    func testPlainRowsAreSplitOnCommasWithLineNumbers_REG4() throws {
        XCTAssertEqual(try CSV.parse("a,b\nc,d\n"),
                       [CSV.Row(line: 1, fields: ["a", "b"]), CSV.Row(line: 2, fields: ["c", "d"])])
    }

    func testQuotedFieldKeepsCommasAndDoubledQuotes_REG4() throws {
        let rows = try CSV.parse("a,\"b,c\",\"say \"\"hi\"\"\"\n")
        XCTAssertEqual(rows, [CSV.Row(line: 1, fields: ["a", "b,c", "say \"hi\""])])
    }

    func testQuotedFieldMayHoldALineBreakAndLaterRowsKeepTheirFileLineNumbers_REG4() throws {
        let rows = try CSV.parse("name,note\n王建国,\"first line\nsecond line\"\n李芳,ok\n")
        XCTAssertEqual(rows.map(\.line), [1, 2, 4])
        XCTAssertEqual(rows[1].fields, ["王建国", "first line\nsecond line"])
        XCTAssertEqual(rows[2].fields, ["李芳", "ok"])
    }

    func testCRLFLineEndsAreAccepted_REG4() throws {
        let rows = try CSV.parse("a,b\r\nc,d\r\n")
        XCTAssertEqual(rows, [CSV.Row(line: 1, fields: ["a", "b"]), CSV.Row(line: 2, fields: ["c", "d"])])
    }

    func testCRLFInsideQuotesIsKeptAndCountedAsOneLine_REG4() throws {
        let rows = try CSV.parse("\"x\r\ny\",z\r\nq,w")
        XCTAssertEqual(rows, [CSV.Row(line: 1, fields: ["x\r\ny", "z"]), CSV.Row(line: 3, fields: ["q", "w"])])
    }

    func testUTF8ByteOrderMarkIsStripped_REG4() throws {
        let rows = try CSV.parse("\u{FEFF}building,room\n1栋,101")
        XCTAssertEqual(rows.first?.fields, ["building", "room"])
        XCTAssertEqual(rows.last, CSV.Row(line: 2, fields: ["1栋", "101"]))
    }

    func testLastRowWithoutLineBreakIsKept_REG4() throws {
        XCTAssertEqual(try CSV.parse("a,b\nc,d").count, 2)
    }

    func testBlankLinesAreSkippedButStillCounted_REG4() throws {
        let rows = try CSV.parse("a\n\nb\n\n")
        XCTAssertEqual(rows, [CSV.Row(line: 1, fields: ["a"]), CSV.Row(line: 3, fields: ["b"])])
    }

    func testEmptyFieldsArePreserved_REG4() throws {
        XCTAssertEqual(try CSV.parse("a,,c\n").first?.fields, ["a", "", "c"])
        XCTAssertEqual(try CSV.parse("a,\n").first?.fields, ["a", ""])
        XCTAssertEqual(try CSV.parse(",\n").first?.fields, ["", ""])
    }

    func testEmptyTextHasNoRows_REG4() throws {
        XCTAssertEqual(try CSV.parse(""), [])
        XCTAssertEqual(try CSV.parse("\u{FEFF}"), [])
    }

    func testUnclosedQuoteThrowsAndNamesTheLineTheRowStarts_REG4() {
        let error = expectDomainError(try CSV.parse("building,room\n1栋,\"101\n1栋,102\n"))
        XCTAssertEqual(error?.kind, .invalidInput)
        XCTAssertEqual(error?.code, "csv_unclosed_quote")
        XCTAssertEqual(error?.details.first?.line, 2)
        XCTAssertTrue(error?.message.en.contains("line 2") ?? false)
    }

    // MARK: line

    func testLineJoinsPlainFieldsWithCommas_REG4() {
        XCTAssertEqual(CSV.line(["3栋", "1201", "89.50"]), "3栋,1201,89.50")
        XCTAssertEqual(CSV.line(["a", "", "c"]), "a,,c")
    }

    func testLineQuotesFieldsWithCommasQuotesOrLineBreaks_REG4() {
        XCTAssertEqual(CSV.line(["a,b"]), "\"a,b\"")
        XCTAssertEqual(CSV.line(["say \"hi\""]), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.line(["two\nlines", "x"]), "\"two\nlines\",x")
        XCTAssertEqual(CSV.line(["cr\rhere"]), "\"cr\rhere\"")
    }

    func testLineDefusesSpreadsheetFormulasWithALeadingQuote_REG4() {
        XCTAssertEqual(CSV.line(["=SUM(A1:A9)"]), "'=SUM(A1:A9)")
        XCTAssertEqual(CSV.line(["+1"]), "'+1")
        XCTAssertEqual(CSV.line(["@x"]), "'@x")
        XCTAssertEqual(CSV.line(["-cmd|' /C calc'!A0"]), "'-cmd|' /C calc'!A0")
        XCTAssertEqual(CSV.line(["=SUM(A1,A2)"]), "\"'=SUM(A1,A2)\"")
    }

    func testLineLeavesNegativeNumbersAndALoneDashAlone_REG4() {
        XCTAssertEqual(CSV.line(["-5"]), "-5")
        XCTAssertEqual(CSV.line(["-1", "-"]), "-1,-")
    }

    func testLineThenParseGivesTheSameFields_REG4() throws {
        let fields = ["翠湖花园", "a,b", "say \"hi\"", "two\nlines", "", "-5"]
        XCTAssertEqual(try CSV.parse(CSV.line(fields) + "\r\n"), [CSV.Row(line: 1, fields: fields)])
    }

    // MARK: encodings

    func testGBKRoundTripOfChineseText_REG4() throws {
        let text = "翠湖花园 3栋-1201 王建国"
        let bytes = try TextEncoding.gbk.encode(text)
        XCTAssertEqual(bytes.count, 24, "two bytes per Chinese character, one per ASCII")
        XCTAssertNotEqual(bytes, Array(text.utf8))
        XCTAssertEqual(try TextEncoding.gbk.decode(bytes), text)
    }

    func testGBKBytesOfKnownCharacters_REG4() throws {
        XCTAssertEqual(try TextEncoding.gbk.encode("测试"), [0xB2, 0xE2, 0xCA, 0xD4])
        XCTAssertEqual(try TextEncoding.gbk.decode([0xB2, 0xE2, 0xCA, 0xD4]), "测试")
        XCTAssertEqual(try TextEncoding.gbk.encode("a,1"), Array("a,1".utf8))
    }

    func testUTF8EncodeIsTheUTF8BytesAndDecodesBack_REG4() throws {
        let text = "楼栋,房号"
        XCTAssertEqual(try TextEncoding.utf8.encode(text), Array(text.utf8))
        XCTAssertEqual(try TextEncoding.utf8.decode(Array(text.utf8)), text)
    }

    func testDecodingInvalidUTF8Throws_REG4() {
        let error = expectDomainError(try TextEncoding.utf8.decode([0xB2, 0xE2, 0xCA, 0xD4]))
        XCTAssertEqual(error?.kind, .invalidInput)
        XCTAssertEqual(error?.code, "bad_encoding")
    }

    func testDecodingTruncatedGBKThrows_REG4() {
        XCTAssertEqual(expectDomainError(try TextEncoding.gbk.decode([0x41, 0xB2]))?.code, "bad_encoding")
    }

    func testSniffTellsGBKFromUTF8_REG4() throws {
        let text = "楼栋,房号,住户姓名\n3栋,1201,王建国\n"
        XCTAssertEqual(TextEncoding.sniff(try TextEncoding.gbk.encode(text)), .gbk)
        XCTAssertEqual(TextEncoding.sniff(Array(text.utf8)), .utf8)
        XCTAssertEqual(TextEncoding.sniff(Array("building,room\n".utf8)), .utf8)
    }

    func testEncodingNamesIncludeTheGBFamily_REG4() {
        XCTAssertEqual(TextEncoding(name: "UTF-8"), .utf8)
        XCTAssertEqual(TextEncoding(name: "utf_8"), .utf8)
        XCTAssertEqual(TextEncoding(name: "GB2312"), .gbk)
        XCTAssertEqual(TextEncoding(name: "gb18030"), .gbk)
        XCTAssertEqual(TextEncoding(name: "CP936"), .gbk)
        XCTAssertNil(TextEncoding(name: "latin1"))
    }
}
