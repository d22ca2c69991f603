import Foundation

/// A table a center takes away to Excel (REP-1 "tables exportable to CSV and XLSX"): a title,
/// column headers and typed cells. The same value renders as CSV (UTF-8 with a BOM, so Excel in
/// China opens the Chinese headers right) and as the Office Open XML parts of a one-sheet
/// workbook whose numbers stay numbers (fen as yuan "#,##0.00", per mille as "0.0%", days as
/// dates). Pure: the web layer zips the parts (`ExportResponse.xlsx`).
public struct TableExport: Sendable, Equatable {
    /// One typed cell.
    public enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int)
        /// Money in fen, shown as yuan with two decimals.
        case fen(Int)
        /// A share in per mille (953 = 95.3%), shown as a percent with one decimal.
        case perMille(Int)
        /// A number with two decimals given in hundredths (425 = 4.25), e.g. an average rating.
        case hundredths(Int)
        /// A day "yyyy-MM-dd" (the community's calendar day).
        case date(String)
        case empty
    }

    public let title: String
    public let headers: [String]
    public let rows: [[Cell]]

    public init(title: String, headers: [String], rows: [[Cell]]) {
        self.title = title
        self.headers = headers
        self.rows = rows
    }

    // MARK: CSV

    /// RFC 4180 text with a UTF-8 BOM and CR LF line ends; the headers are the first line.
    /// Text cells are guarded against spreadsheet formulas (`CSV.line`); numbers are plain. Control
    /// characters are dropped as in the workbook, so both carry the same text.
    public func csv() -> String {
        var out = "\u{FEFF}" + CSV.line(headers.map(XMLText.clean)) + "\r\n"
        for row in rows {
            out += row.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    public func csvData() -> Data { Data(csv().utf8) }

    static func csvField(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): CSV.line([XMLText.clean(s)])
        case .integer(let n): String(n)
        case .fen(let f): Self.yuan(f)
        case .perMille(let p): Self.percent(p)
        case .hundredths(let h): Self.yuan(h)
        case .date(let d): CSV.line([d])
        case .empty: ""
        }
    }

    /// 123456 fen → "1234.56"; -5 → "-0.05". No grouping, so Excel and scripts read it back as a number.
    public static func yuan(_ fen: Int) -> String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return (fen < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    /// 953 per mille → "95.3%".
    public static func percent(_ perMille: Int) -> String {
        let magnitude = perMille.magnitude
        return (perMille < 0 ? "-" : "") + "\(magnitude / 10).\(magnitude % 10)%"
    }

    // MARK: XLSX (Office Open XML, ECMA-376)

    /// The file name and bytes of every part of the workbook, in the order they go into the zip
    /// (`[Content_Types].xml` first).
    public func workbookParts() -> [(path: String, data: Data)] {
        [
            ("[Content_Types].xml", Self.contentTypes),
            ("_rels/.rels", Self.rootRels),
            ("docProps/core.xml", core),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", Self.workbookRels),
            ("xl/styles.xml", Self.styles),
            ("xl/worksheets/sheet1.xml", sheet),
        ].map { ($0.0, Data($0.1.utf8)) }
    }

    /// Style indexes in `styles` cellXfs.
    enum Style: Int {
        case plain = 0, header = 1, yuan = 2, percent = 3, date = 4, hundredths = 5
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """

    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """

    static let workbookRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    /// Number formats 164 (yuan), 165 (percent), 166 (date) and the built-in 2 ("0.00"); a bold header font.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0.00"/><numFmt numFmtId="165" formatCode="0.0%"/>\
        <numFmt numFmtId="166" formatCode="yyyy-mm-dd"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="6">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    var core: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(XMLText.escape(title))</dc:title><dc:creator>PropDesk</dc:creator></cp:coreProperties>
        """
    }

    var workbook: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(XMLText.escape(Self.sheetName(title)))" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    }

    /// Excel's sheet-name rules: at most 31 characters, none of []:*?/\ , not empty.
    static func sheetName(_ title: String) -> String {
        let cleaned = String(title.map { "[]:*?/\\".contains($0) || $0.isNewline ? " " : $0 }.prefix(31)).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    var sheet: String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            """
        xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        let widths = columnWidths()
        if !widths.isEmpty {
            xml += "<cols>" + widths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }.joined() + "</cols>"
        }
        xml += "<sheetData>"
        xml += row(1, headers.map { Cell.text($0) }, header: true)
        for (i, cells) in rows.enumerated() {
            xml += row(i + 2, cells, header: false)
        }
        xml += "</sheetData></worksheet>"
        return xml
    }

    func row(_ number: Int, _ cells: [Cell], header: Bool) -> String {
        var xml = "<row r=\"\(number)\">"
        for (i, cell) in cells.enumerated() {
            let ref = Self.column(i) + String(number)
            switch cell {
            case .text(let s):
                xml += "<c r=\"\(ref)\" t=\"inlineStr\"\(header ? " s=\"\(Style.header.rawValue)\"" : "")><is><t xml:space=\"preserve\">\(XMLText.escape(s))</t></is></c>"
            case .integer(let n):
                xml += "<c r=\"\(ref)\"><v>\(n)</v></c>"
            case .fen(let f):
                xml += "<c r=\"\(ref)\" s=\"\(Style.yuan.rawValue)\"><v>\(Self.yuan(f))</v></c>"
            case .perMille(let p):
                xml += "<c r=\"\(ref)\" s=\"\(Style.percent.rawValue)\"><v>\(Self.fraction(p))</v></c>"
            case .hundredths(let h):
                xml += "<c r=\"\(ref)\" s=\"\(Style.hundredths.rawValue)\"><v>\(Self.yuan(h))</v></c>"
            case .date(let d):
                if let serial = Self.serial(day: d) {
                    xml += "<c r=\"\(ref)\" s=\"\(Style.date.rawValue)\"><v>\(serial)</v></c>"
                } else {
                    xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(d))</t></is></c>"
                }
            case .empty:
                continue
            }
        }
        return xml + "</row>"
    }

    /// 953 per mille → "0.953" (exact decimal text, no binary rounding).
    static func fraction(_ perMille: Int) -> String {
        let m = perMille.magnitude
        let digits = String(m % 1000)
        return (perMille < 0 ? "-" : "") + "\(m / 1000)." + String(repeating: "0", count: 3 - digits.count) + digits
    }

    /// 0 → "A", 25 → "Z", 26 → "AA".
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    /// "yyyy-MM-dd" → Excel's day serial (days since 1899-12-30, the 1900 date system); nil when not a real day.
    static func serial(day: String) -> Int? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard day.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1900...9999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? cal.timeZone
        guard let date = cal.date(from: DateComponents(year: y, month: m, day: d)),
              cal.component(.day, from: date) == d,
              let epoch = cal.date(from: DateComponents(year: 1899, month: 12, day: 30)) else { return nil }
        return Int(date.timeIntervalSince(epoch) / 86_400)
    }

    /// Rough column widths in Excel character units: a Chinese character counts two.
    func columnWidths() -> [Int] {
        let count = max(headers.count, rows.map(\.count).max() ?? 0)
        return (0..<count).map { i in
            let texts = [i < headers.count ? headers[i] : ""] + rows.map { i < $0.count ? Self.csvField($0[i]) : "" }
            let widest = texts.map { $0.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E7F ? 2 : 1) } }.max() ?? 0
            return min(60, max(8, widest + 2))
        }
    }
}

/// XML text and attribute escaping for the generated documents (XLSX parts, SVG): the five
/// predefined entities, and characters XML 1.0 forbids (C0 controls other than tab, LF, CR,
/// and U+FFFE/U+FFFF) dropped, so any user text yields a well-formed document.
public enum XMLText {
    /// The text without the characters XML 1.0 forbids.
    public static func clean(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.append(contentsOf: s.unicodeScalars.filter(allowed))
        return out
    }

    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        !((scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE || scalar.value == 0xFFFF)
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if allowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
