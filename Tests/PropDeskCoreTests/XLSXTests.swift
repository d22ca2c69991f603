import XCTest
@testable import PropDeskCore

/// The spreadsheet reader behind the registry import (REG-4) and opening balances (FEE-1): real
/// .xlsx files written by openpyxl and by hand, DEFLATE streams written by zlib, and damaged,
/// encrypted and bomb-like files that must be refused with a bilingual error and never crash.
final class XLSXTests: XCTestCase {

    // MARK: workbooks

    func testREG4_xlsxSharedStringsNumbersEmptyCellsAndGapsReadLikeCSV() throws {
        let rows = try XLSX.rows(XLSXFixtures.registry)
        XCTAssertEqual(rows, [
            CSV.Row(line: 1, fields: ["building", "room", "floor", "kind", "floor_area", "area", "resident_name", "relation", "phone"]),
            CSV.Row(line: 2, fields: ["3栋", "1201", "12", "residential", "89.5", "东区", "王建国", "owner", "13812345678"]),
            // F3 is empty; 98.6 is stored as 98.59999999999999 and read as Excel shows it.
            CSV.Row(line: 3, fields: ["3栋", "1202", "12", "residential", "98.6", "", "李娜", "tenant", "13912345678"]),
            // Row 4 is blank (left out, the line numbers stay Excel's); C5 is empty.
            CSV.Row(line: 5, fields: ["商业街", "S01", "", "commercial", "40"]),
        ])
        XCTAssertFalse(rows.contains { $0.fields.contains("nonsense") }, "the second sheet is not read")
    }

    func testREG4_xlsxAndTheSameCSVGiveTheSamePlan() throws {
        let fromXLSX = try RegistryImport.plan(rows: try ImportFile.rows(XLSXFixtures.registry, encoding: nil))
        let csv = """
        building,room,floor,kind,floor_area,area,resident_name,relation,phone
        3栋,1201,12,residential,89.5,东区,王建国,owner,13812345678
        3栋,1202,12,residential,98.6,,李娜,tenant,13912345678

        商业街,S01,,commercial,40

        """
        XCTAssertEqual(fromXLSX, try RegistryImport.plan(csv: csv))
        XCTAssertEqual(fromXLSX.units.map(\.line), [2, 3, 5])
        XCTAssertEqual(fromXLSX.units.map(\.room), ["1201", "1202", "S01"], "1201 stays 1201, not 1201.0")
        XCTAssertEqual(fromXLSX.units[1].floorArea, FloorArea(hundredths: 9860))
        XCTAssertEqual(fromXLSX.residents.map(\.name), ["王建国", "李娜"])
    }

    func testREG4_xlsxLineErrorsNameTheExcelRow() throws {
        // The registry file with the kind of C5's row removed: line 5 is reported, nothing planned.
        var rows = try XLSX.rows(XLSXFixtures.registry)
        rows[3] = CSV.Row(line: rows[3].line, fields: ["商业街", "S01", "", "", "40"])
        let error = expectDomainError(try RegistryImport.plan(rows: rows))
        XCTAssertEqual(error?.code, "import_rejected")
        XCTAssertEqual(error?.details.compactMap(\.line), [5])
    }

    func testFEE1_openingBalancesImportFromXLSXReadsInlineStringsAndMonthDates() throws {
        let rows = try ImportFile.rows(XLSXFixtures.openingBalances, encoding: .gbk)
        XCTAssertEqual(rows, [
            CSV.Row(line: 1, fields: ["楼栋", "房号", "金额", "起始月份", "月数", "说明"]),
            CSV.Row(line: 2, fields: ["1栋", "1201", "1200", "2025-01", "12", "旧系统结转"]),
            // D3 is the date 2025-07-01 formatted yyyy-mm: read as the month Excel shows.
            CSV.Row(line: 3, fields: ["2栋", "1201", "89.5", "2025-07", "1"]),
        ], "a named encoding is ignored for a workbook; the sheet 说明 is not read")
        let plan = try OpeningBalanceImport.plan(rows: rows)
        XCTAssertEqual(plan.lines.map(\.amountFen), [120_000, 8_950])
        XCTAssertEqual(plan.lines.map(\.since), ["2025-01", "2025-07"])
        XCTAssertEqual(plan.lines.map(\.months), [12, 1])
        XCTAssertEqual(plan.lines.map(\.line), [2, 3])
    }

    func testXLSX_firstSheetInTabOrderWithInlineRunsFormulasBooleansErrorsAndCellsWithoutReferences() throws {
        let rows = try XLSX.rows(XLSXFixtures.handMade)
        XCTAssertEqual(rows, [
            // Rich inline text joined, its phonetic guide left out; a formula's cached text; TRUE; #N/A.
            CSV.Row(line: 2, fields: ["", "翠湖 花园 ", "a<b", "TRUE", "#N/A"]),
            // A row and cells without r follow on; 45839 in the zh-CN month format 57 → 2025-07;
            // 7 in a custom format whose only "d" is quoted stays 7; 45853.75 in format 14 → the day.
            CSV.Row(line: 3, fields: ["no ref", "0.1", "2025-07", "7", "2025-07-15"]),
            CSV.Row(line: 5, fields: Array(repeating: "", count: 26) + ["-12.5E3"]),
        ])
    }

    func testXLSX_sharedStringsJoinRunsAndLeaveOutPhoneticGuides() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <si><t>甲</t></si><si><r><t>王</t></r><r><rPr><b/></rPr><t xml:space="preserve">建国 </t></r><rPh sb="0" eb="1"><t>wang</t></rPh></si><si><t/></si></sst>
        """
        let reader = SharedStringsReader()
        try XLSX.parse(Array(xml.utf8), part: "xl/sharedStrings.xml", with: reader)
        XCTAssertEqual(reader.strings, ["甲", "王建国 ", ""])
    }

    func testXLSX_columnLettersDatesAndNumbers() {
        XCTAssertEqual(XLSX.column(ofReference: "A1"), 0)
        XCTAssertEqual(XLSX.column(ofReference: "Z9"), 25)
        XCTAssertEqual(XLSX.column(ofReference: "AA10"), 26)
        XCTAssertEqual(XLSX.column(ofReference: "XFD1048576"), 16383)
        XCTAssertNil(XLSX.column(ofReference: "12"))
        XCTAssertNil(XLSX.column(ofReference: "ABCD1"))
        XCTAssertEqual(SheetReader.date(serial: "45839", style: .month, date1904: false), "2025-07")
        XCTAssertEqual(SheetReader.date(serial: "1", style: .day, date1904: false), "1900-01-01")
        XCTAssertEqual(SheetReader.date(serial: "61", style: .day, date1904: false), "1900-03-01")
        XCTAssertEqual(SheetReader.date(serial: "44377", style: .day, date1904: true), "2025-07-01")
        XCTAssertNil(SheetReader.date(serial: "abc", style: .day, date1904: false))
        XCTAssertEqual(SheetReader.shown(number: "1201"), "1201")
        XCTAssertEqual(SheetReader.shown(number: "89.5"), "89.5")
        XCTAssertEqual(SheetReader.shown(number: "98.599999999999994"), "98.6")
        XCTAssertEqual(SheetReader.shown(number: "0.30000000000000004"), "0.3")
        XCTAssertEqual(SheetReader.shown(number: "110105194912310021"), "110105194912310021", "too big for 15 digits without an exponent: kept")
        XCTAssertEqual(DateStyle.custom("yyyy\"年\"m\"月\""), .month)
        XCTAssertEqual(DateStyle.custom("[$-804]yyyy/m/d"), .day)
        XCTAssertNil(DateStyle.custom("#,##0.00\"元\""))
        XCTAssertNil(DateStyle.custom("[Red]0.00"))
        XCTAssertNil(DateStyle.custom("General"))
    }

    // MARK: refused files

    private func refusal(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let error = expectDomainError(try ImportFile.rows(bytes, encoding: nil), file: file, line: line) else { return }
        XCTAssertEqual(error.kind, .invalidInput, file: file, line: line)
        XCTAssertEqual(error.details.first?.field, "file", file: file, line: line)
        XCTAssertTrue(error.message.en.contains(fragment), "\(error.message.en) lacks \(fragment)", file: file, line: line)
        XCTAssertFalse(error.message.zhHans.isEmpty, file: file, line: line)
    }

    func testXLSX_damagedArchivesAreRefused() throws {
        let good = XLSXFixtures.registry
        refusal(Array(good.prefix(good.count / 2)), "damaged")
        refusal([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 40), "damaged")
        refusal([0x50, 0x4B, 0x03, 0x04], "damaged")

        // One byte of the sheet's compressed data flipped: the inflater or the CRC-32 notices.
        let (central, local) = try XCTUnwrap(Zip.entry(good, "xl/worksheets/sheet1.xml"))
        let start = local + 30 + Zip.u16(good, local + 26) + Zip.u16(good, local + 28)
        var flipped = good
        flipped[start + Zip.u32(good, central + 20) / 2] ^= 0xFF
        refusal(flipped, "damaged")

        // The central directory pointing past the end of the file.
        var pointing = good
        Zip.put32(&pointing, central + 42, UInt32(good.count + 100))
        refusal(pointing, "damaged")

        // Without its workbook part.
        var renamed = good
        let nameStart = try XCTUnwrap(Zip.entry(good, "xl/workbook.xml")).central + 46
        renamed[nameStart] = UInt8(ascii: "y")
        refusal(renamed, "xl/workbook.xml is missing")
    }

    func testXLSX_encryptedZip64AndOldFilesAreRefusedWithAClearReason() throws {
        let good = XLSXFixtures.registry
        let (central, _) = try XCTUnwrap(Zip.entry(good, "xl/worksheets/sheet1.xml"))
        var encrypted = good
        encrypted[central + 8] |= 1
        refusal(encrypted, "encrypted")

        var zip64 = good
        let end = try XCTUnwrap(Zip.endOfCentralDirectory(good))
        zip64[end + 10] = 0xFF; zip64[end + 11] = 0xFF
        refusal(zip64, "ZIP64")

        var bzip2 = good
        bzip2[central + 10] = 12
        refusal(bzip2, "compression method (12)")

        refusal([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504), ".xls")
    }

    func testXLSX_bombLikeEntriesAreRefusedBeforeTheyGrow() throws {
        let good = XLSXFixtures.registry
        let (central, _) = try XCTUnwrap(Zip.entry(good, "xl/worksheets/sheet1.xml"))
        // Declared larger than the 50 MB budget: refused before inflating.
        var huge = good
        Zip.put32(&huge, central + 24, 60 * 1024 * 1024)
        refusal(huge, "50 MB")
        // Declared small but inflating to more: the inflater stops at the declared size.
        var lying = good
        Zip.put32(&lying, central + 24, 100)
        refusal(lying, "more than it declares")
    }

    func testXLSX_tooManyRowsFarColumnsBadIndexesAndDTDsAreRefused() throws {
        func sheet(_ body: String) -> [UInt8] {
            Array("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(body)</sheetData></worksheet>".utf8)
        }
        func read(_ xml: [UInt8], strings: [String] = []) throws -> [CSV.Row] {
            let reader = SheetReader(strings: strings, dateStyles: [:], date1904: false)
            try XLSX.parse(xml, part: "sheet", with: reader)
            return reader.rows
        }
        let many = String(repeating: "<row><c><v>1</v></c></row>", count: XLSX.maxRows + 1)
        XCTAssertTrue(expectDomainError(try read(sheet(many)))?.message.en.contains("200000 rows") ?? false)
        XCTAssertEqual(try read(sheet(String(repeating: "<row><c><v>1</v></c></row>", count: 3))).map(\.line), [1, 2, 3])

        XCTAssertTrue(expectDomainError(try read(sheet("<row r=\"1\"><c r=\"KZ1\"><v>1</v></c></row>")))?.message.en.contains("beyond column") ?? false)
        XCTAssertEqual(try read(sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"KZ1\" s=\"3\"/></row>")).first?.fields, ["1"],
                       "an empty formatted cell far right is no column")
        XCTAssertNotNil(expectDomainError(try read(sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>"), strings: ["a"])))
        XCTAssertNotNil(expectDomainError(try read(sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>"), strings: ["a"])))
        XCTAssertNotNil(expectDomainError(try read(sheet("<row r=\"2\"/><row r=\"2\"><c><v>1</v></c></row>"))), "rows go down")
        XCTAssertNotNil(expectDomainError(try read(sheet("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"))))
        XCTAssertNotNil(expectDomainError(try read(sheet("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>yes</v></c></row>"))))
        XCTAssertNotNil(expectDomainError(try read(sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c>"))), "not well-formed")
        XCTAssertNotNil(expectDomainError(try read(Array("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>".utf8))), "cut short")
        XCTAssertNotNil(expectDomainError(try read(Array("<worksheet/><worksheet/>".utf8))), "two roots")

        let bomb = """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\
        <worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>
        """
        XCTAssertNotNil(expectDomainError(try read(Array(bomb.utf8))), "no DTDs, so no entity expansion")
    }

    func testXLSX_randomDamageNeverCrashes() {
        var rng = Rng(seed: 17)
        for _ in 0..<300 {
            var bytes = XLSXFixtures.registry
            for _ in 0..<(1 + rng.next() % 4) { bytes[rng.next() % bytes.count] ^= UInt8(1 + rng.next() % 255) }
            do { _ = try XLSX.rows(bytes) } catch is DomainError {} catch { XCTFail("not a DomainError: \(error)") }
        }
    }

    func testCSVStillWorksThroughImportFile() throws {
        XCTAssertEqual(try ImportFile.rows(Array("a,b\n1,2\n".utf8), encoding: nil).map(\.fields), [["a", "b"], ["1", "2"]])
        let gbk = try TextEncoding.gbk.encode("楼栋,房号\n1栋,101\n")
        XCTAssertEqual(try ImportFile.rows(gbk, encoding: nil).last?.fields, ["1栋", "101"])
    }

    // MARK: DEFLATE

    func testInflateReadsZlibStreamsAtLevels0_1_9AndAFixedBlock() throws {
        XCTAssertEqual(XLSXFixtures.level0.first.map { ($0 >> 1) & 3 }, 0, "stored")
        XCTAssertEqual(XLSXFixtures.level9.first.map { ($0 >> 1) & 3 }, 2, "dynamic")
        XCTAssertEqual(XLSXFixtures.fixed.first.map { ($0 >> 1) & 3 }, 1, "fixed")
        XCTAssertEqual(try Inflate.inflate(XLSXFixtures.level0[...], limit: 1 << 20), XLSXFixtures.payload(200))
        XCTAssertEqual(try Inflate.inflate(XLSXFixtures.level1[...], limit: 1 << 20), XLSXFixtures.payload(1500))
        XCTAssertEqual(try Inflate.inflate(XLSXFixtures.level9[...], limit: 1 << 20), XLSXFixtures.payload(1500))
        XCTAssertEqual(try Inflate.inflate(XLSXFixtures.fixed[...], limit: 1 << 20), Array("hello hello hello 你好 hello".utf8))
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
    }

    func testInflateReadsSeveralStoredBlocksAndAnEmptyOne() throws {
        func stored(_ data: [UInt8], final: Bool) -> [UInt8] {
            let n = data.count
            return [final ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)] + data
        }
        let a = Array(repeating: UInt8(ascii: "a"), count: 65_535), b = Array("第二块".utf8)
        XCTAssertEqual(try Inflate.inflate((stored(a, final: false) + stored([], final: false) + stored(b, final: true))[...], limit: 1 << 20), a + b)
    }

    func testInflateRefusesDamagedStreamsAndStopsAtTheLimit() {
        func failure(_ bytes: [UInt8], limit: Int = 1 << 20) -> Inflate.Failure? {
            do { _ = try Inflate.inflate(bytes[...], limit: limit); return nil } catch { return error }
        }
        let level9 = XLSXFixtures.level9
        XCTAssertEqual(failure(Array(level9.prefix(level9.count / 2))), .corrupt, "cut short")
        XCTAssertEqual(failure([]), .corrupt)
        XCTAssertEqual(failure([0x07]), .corrupt, "block type 3")
        XCTAssertEqual(failure([0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5]), .corrupt, "LEN and NLEN disagree")
        XCTAssertEqual(failure([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2]), .corrupt, "stored block cut short")
        XCTAssertEqual(failure(level9, limit: 1000), .tooLarge)

        // A match before any output: a distance past the start.
        var w = BitWriter()
        w.header(final: true, type: 1)
        w.fixedLength258()
        w.code(0, bits: 5)
        XCTAssertEqual(failure(w.bytes), .corrupt)

        // A bomb: one literal, then 4,000 matches of 258 bytes — about 6 KB that would make 1 MB.
        var bomb = BitWriter()
        bomb.header(final: true, type: 1)
        bomb.code(0x30, bits: 8)
        for _ in 0..<4000 { bomb.fixedLength258(); bomb.code(0, bits: 5) }
        bomb.code(0, bits: 7)
        XCTAssertLessThan(bomb.bytes.count, 8_000)
        XCTAssertEqual(try Inflate.inflate(bomb.bytes[...], limit: 2 << 20).count, 1 + 4000 * 258)
        XCTAssertEqual(failure(bomb.bytes, limit: 64 * 1024), .tooLarge)
    }

    func testInflateNeverCrashesOnRandomInput() {
        var rng = Rng(seed: 4)
        for round in 0..<2000 {
            var bytes = (0..<(rng.next() % 300)).map { _ in UInt8(rng.next() % 256) }
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = (bytes[0] & ~6) | 4 }   // mostly dynamic blocks
            _ = try? Inflate.inflate(bytes[...], limit: 1 << 16)
        }
        for i in stride(from: 0, to: XLSXFixtures.level1.count, by: 97) {
            var bytes = XLSXFixtures.level1
            bytes[i] ^= 0x5A
            _ = try? Inflate.inflate(bytes[...], limit: 1 << 20)
        }
    }
}

// MARK: helpers

/// Reads and patches the ZIP structures of a fixture, to damage it on purpose.
private enum Zip {
    static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }
    static func put32(_ b: inout [UInt8], _ i: Int, _ v: UInt32) {
        for k in 0..<4 { b[i + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
    }

    static func endOfCentralDirectory(_ b: [UInt8]) -> Int? {
        stride(from: b.count - 22, through: 0, by: -1).first { b[$0] == 0x50 && b[$0 + 1] == 0x4B && b[$0 + 2] == 5 && b[$0 + 3] == 6 }
    }

    /// The offsets of `name`'s central-directory header and local header.
    static func entry(_ b: [UInt8], _ name: String) -> (central: Int, local: Int)? {
        guard let end = endOfCentralDirectory(b) else { return nil }
        var p = u32(b, end + 16)
        for _ in 0..<u16(b, end + 10) {
            let n = u16(b, p + 28)
            if String(decoding: b[(p + 46)..<(p + 46 + n)], as: UTF8.self) == name { return (p, u32(b, p + 42)) }
            p += 46 + n + u16(b, p + 30) + u16(b, p + 32)
        }
        return nil
    }
}

/// Writes DEFLATE bits by hand (least significant first; Huffman codes most significant first).
private struct BitWriter {
    var bytes: [UInt8] = []
    private var bit = 0

    mutating func bits(_ value: Int, _ n: Int) {
        for i in 0..<n {
            if bit == 0 { bytes.append(0) }
            if value & (1 << i) != 0 { bytes[bytes.count - 1] |= UInt8(1 << bit) }
            bit = (bit + 1) % 8
        }
    }

    mutating func code(_ value: Int, bits n: Int) {
        for i in stride(from: n - 1, through: 0, by: -1) { bits((value >> i) & 1, 1) }
    }

    mutating func header(final: Bool, type: Int) { bits(final ? 1 : 0, 1); bits(type, 2) }

    /// Length 258 in the fixed code: symbol 285, the 8-bit code 11000101, no extra bits.
    mutating func fixedLength258() { code(0b1100_0101, bits: 8) }
}

/// A small deterministic generator (SplitMix64) for the damage tests.
private struct Rng {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
}
