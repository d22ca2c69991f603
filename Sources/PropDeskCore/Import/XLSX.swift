import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the first worksheet of an Excel workbook (.xlsx, Office Open XML) as rows of text, the
/// same rows `CSV.parse` gives, so the registry import (REG-4) and opening balances (FEE-1) take
/// either file. Pure Swift: a ZIP reader (stored and deflate entries), `Inflate`, and XMLParser.
/// Hostile files are refused, never trusted: at most 50 MB unpacked in all, 200,000 rows, no
/// ZIP64, no encryption, no DTDs; anything malformed is a `DomainError.invalid` on "file".
public enum XLSX {
    public static let maxUnpackedBytes = 50 * 1024 * 1024
    public static let maxRows = 200_000
    /// Columns beyond this (IV, the old Excel limit) holding a value make the file refused.
    public static let maxColumns = 256
    static let maxEntries = 10_000

    /// A ZIP file starts with a local file header, "PK\u{3}\u{4}".
    public static func isWorkbook(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// An OLE2 compound file: an old .xls workbook, or an .xlsx saved with a password.
    public static func isLegacyOrEncryptedWorkbook(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    /// The first sheet (in tab order) as rows; each row's `line` is its Excel row number, empty
    /// rows are left out, gaps between cells become empty fields and trailing empty cells are dropped.
    public static func rows(_ bytes: [UInt8]) throws -> [CSV.Row] {
        if isLegacyOrEncryptedWorkbook(bytes) { throw Refusal.legacyOrEncrypted }
        var zip = try ZipArchive(bytes)
        let workbookPath = "xl/workbook.xml"
        guard let workbookXML = try zip.contents(of: workbookPath) else { throw Refusal.missingPart(workbookPath) }
        let workbook = WorkbookReader()
        try parse(workbookXML, part: workbookPath, with: workbook)
        guard let sheetID = workbook.firstSheetRelationship else { throw Refusal.missingPart("sheet") }

        let relsPath = "xl/_rels/workbook.xml.rels"
        guard let relsXML = try zip.contents(of: relsPath) else { throw Refusal.missingPart(relsPath) }
        let rels = RelationshipsReader()
        try parse(relsXML, part: relsPath, with: rels)
        guard let sheetTarget = rels.targets[sheetID], let sheetPath = resolve(sheetTarget.target, from: "xl") else {
            throw Refusal.missingPart("sheet \(sheetID)")
        }

        var strings: [String] = []
        let stringsPath = rels.targets.values.first { $0.type.hasSuffix("/sharedStrings") }.flatMap { resolve($0.target, from: "xl") } ?? "xl/sharedStrings.xml"
        if let xml = try zip.contents(of: stringsPath) {
            let reader = SharedStringsReader()
            try parse(xml, part: stringsPath, with: reader)
            strings = reader.strings
        }

        var dateStyles: [Int: DateStyle] = [:]
        let stylesPath = rels.targets.values.first { $0.type.hasSuffix("/styles") }.flatMap { resolve($0.target, from: "xl") } ?? "xl/styles.xml"
        if let xml = try zip.contents(of: stylesPath) {
            let reader = StylesReader()
            try parse(xml, part: stylesPath, with: reader)
            dateStyles = reader.dateStyles
        }

        guard let sheetXML = try zip.contents(of: sheetPath) else { throw Refusal.missingPart(sheetPath) }
        let sheet = SheetReader(strings: strings, dateStyles: dateStyles, date1904: workbook.date1904)
        try parse(sheetXML, part: sheetPath, with: sheet)
        return sheet.rows
    }

    // MARK: refusals

    enum Refusal {
        static let damaged = DomainError.invalid(field: "file",
            Message(zh: "文件不是有效的 XLSX 工作簿(压缩包已损坏)", en: "The file is not a valid XLSX workbook (the archive is damaged)"))
        static let zip64 = DomainError.invalid(field: "file",
            Message(zh: "不支持 ZIP64 格式的工作簿,请在 Excel 中另存为 .xlsx 或 CSV 后再导入", en: "ZIP64 workbooks are not supported; save it again as .xlsx or CSV and import that"))
        static let encrypted = DomainError.invalid(field: "file",
            Message(zh: "工作簿已加密,请取消密码后再导入", en: "The workbook is encrypted; remove the password and import it again"))
        static let legacyOrEncrypted = DomainError.invalid(field: "file",
            Message(zh: "这是旧版 .xls 文件或设有密码的工作簿,请取消密码并另存为 .xlsx 或 CSV 后再导入",
                    en: "This is an old .xls file or a password-protected workbook; remove the password, save it as .xlsx or CSV and import that"))
        static let tooLarge = DomainError.invalid(field: "file",
            Message(zh: "工作簿解压后超过 \(maxUnpackedBytes >> 20) MB,请分批导入", en: "The workbook is larger than \(maxUnpackedBytes >> 20) MB unpacked; import it in parts"))
        static let tooManyRows = DomainError.invalid(field: "file",
            Message(zh: "工作表超过 \(maxRows) 行,请分批导入", en: "The sheet has more than \(maxRows) rows; import it in parts"))
        static func unsupportedMethod(_ method: Int) -> DomainError {
            DomainError.invalid(field: "file", Message(zh: "工作簿使用了不支持的压缩方式(\(method))", en: "The workbook uses an unsupported compression method (\(method))"))
        }
        static func oversized(_ part: String) -> DomainError {
            DomainError.invalid(field: "file", Message(zh: "工作簿中的 \(part) 解压后比声明的大,文件已损坏或被篡改",
                                                       en: "The workbook's \(part) unpacks to more than it declares: the file is damaged or tampered with"))
        }
        static func missingPart(_ part: String) -> DomainError {
            DomainError.invalid(field: "file", Message(zh: "工作簿不完整:缺少 \(part)", en: "The workbook is incomplete: \(part) is missing"))
        }
        static func badXML(_ part: String) -> DomainError {
            DomainError.invalid(field: "file", Message(zh: "工作簿中的 \(part) 无法读取", en: "The workbook's \(part) cannot be read"))
        }
        static func badCell(_ ref: String, _ why: Message) -> DomainError {
            DomainError.invalid(field: "file", Message(zh: "单元格 \(ref) 无法读取:\(why.zhHans)", en: "Cell \(ref) cannot be read: \(why.en)"))
        }
    }

    // MARK: XML

    /// Parses one part with `reader`; DTDs (and so entity expansion) are refused before parsing.
    static func parse(_ bytes: [UInt8], part: String, with reader: PartReader) throws {
        if contains(bytes, Array("<!DOCTYPE".utf8)) || contains(bytes, Array("<!ENTITY".utf8)) { throw Refusal.badXML(part) }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        let ok = parser.parse()
        if let failure = reader.failure { throw failure }
        guard ok, parser.parserError == nil, reader.isWhole else { throw Refusal.badXML(part) }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// A relationship target made a path inside the archive: relative to `folder`, or absolute from the root.
    static func resolve(_ target: String, from folder: String) -> String? {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for part in target.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": guard parts.popLast() != nil else { return nil }
            default: parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The local part of an element or attribute name ("x:row" → "row").
    static func local(_ name: String) -> Substring {
        name.split(separator: ":", omittingEmptySubsequences: false).last ?? Substring(name)
    }

    /// "AB12" → 27 (zero-based column); nil when the reference has no letters or too many.
    static func column(ofReference ref: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in ref.unicodeScalars {
            guard let v = letterValue(scalar) else { break }
            letters += 1
            guard letters <= 3 else { return nil }
            index = index * 26 + v
        }
        return letters == 0 ? nil : index - 1
    }

    private static func letterValue(_ s: Unicode.Scalar) -> Int? {
        switch s.value {
        case 65...90: Int(s.value) - 64
        case 97...122: Int(s.value) - 96
        default: nil
        }
    }
}

// MARK: ZIP

/// The entries of a ZIP archive, from its central directory; contents unpacked on demand against
/// one budget for the whole workbook, each checked against its size and CRC-32.
struct ZipArchive {
    struct Entry {
        let method: Int
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let localOffset: Int
    }

    private let bytes: [UInt8]
    private var entries: [String: Entry] = [:]
    private var budget = XLSX.maxUnpackedBytes

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        let end = try Self.endOfCentralDirectory(bytes)
        guard try Self.u16(bytes, end + 4) == 0, try Self.u16(bytes, end + 6) == 0 else { throw XLSX.Refusal.damaged }
        let count = try Self.u16(bytes, end + 10)
        let size = try Self.u32(bytes, end + 12)
        let offset = try Self.u32(bytes, end + 16)
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF { throw XLSX.Refusal.zip64 }
        // A ZIP64 end-of-central-directory locator right before the record.
        if end >= 20, bytes[(end - 20)..<(end - 16)].elementsEqual([0x50, 0x4B, 0x06, 0x07]) { throw XLSX.Refusal.zip64 }
        guard count <= XLSX.maxEntries, offset + size <= end else { throw XLSX.Refusal.damaged }

        var p = offset
        for _ in 0..<count {
            guard try Self.u32(bytes, p) == 0x0201_4B50 else { throw XLSX.Refusal.damaged }
            let flags = try Self.u16(bytes, p + 8)
            let method = try Self.u16(bytes, p + 10)
            let crc = try UInt32(Self.u32(bytes, p + 16))
            let compressedSize = try Self.u32(bytes, p + 20)
            let size = try Self.u32(bytes, p + 24)
            let nameLength = try Self.u16(bytes, p + 28)
            let extraLength = try Self.u16(bytes, p + 30)
            let commentLength = try Self.u16(bytes, p + 32)
            let localOffset = try Self.u32(bytes, p + 42)
            let nameEnd = p + 46 + nameLength
            guard nameEnd <= bytes.count else { throw XLSX.Refusal.damaged }
            if compressedSize == 0xFFFF_FFFF || size == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF { throw XLSX.Refusal.zip64 }
            // Bit 0: encrypted; bit 6: strong encryption; method 99: AES.
            if flags & 0x41 != 0 || method == 99 { throw XLSX.Refusal.encrypted }
            let name = String(decoding: bytes[(p + 46)..<nameEnd], as: UTF8.self)
            if entries[name] == nil {
                entries[name] = Entry(method: method, crc: crc, compressedSize: compressedSize, size: size, localOffset: localOffset)
            }
            p = nameEnd + extraLength + commentLength
        }
    }

    /// The unpacked bytes of `name`, or nil when the archive has no such entry.
    mutating func contents(of name: String) throws -> [UInt8]? {
        guard let e = entries[name] else { return nil }
        guard try Self.u32(bytes, e.localOffset) == 0x0403_4B50 else { throw XLSX.Refusal.damaged }
        let start = try e.localOffset + 30 + Self.u16(bytes, e.localOffset + 26) + Self.u16(bytes, e.localOffset + 28)
        guard start <= bytes.count, e.compressedSize <= bytes.count - start else { throw XLSX.Refusal.damaged }
        guard e.size <= budget else { throw XLSX.Refusal.tooLarge }
        let data = bytes[start..<(start + e.compressedSize)]
        let out: [UInt8]
        switch e.method {
        case 0:
            guard e.compressedSize == e.size else { throw XLSX.Refusal.damaged }
            out = Array(data)
        case 8:
            do {
                out = try Inflate.inflate(data, limit: e.size)
            } catch .tooLarge {
                // More output than the entry declares: damaged, or built to blow up.
                throw XLSX.Refusal.oversized(name)
            } catch {
                throw XLSX.Refusal.damaged
            }
        default:
            throw XLSX.Refusal.unsupportedMethod(e.method)
        }
        guard out.count == e.size, CRC32.checksum(out) == e.crc else { throw XLSX.Refusal.damaged }
        budget -= out.count
        return out
    }

    /// The offset of the end-of-central-directory record, searched from the end (it may carry a comment).
    private static func endOfCentralDirectory(_ bytes: [UInt8]) throws -> Int {
        guard bytes.count >= 22 else { throw XLSX.Refusal.damaged }
        var i = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 { return i }
            i -= 1
        }
        throw XLSX.Refusal.damaged
    }

    private static func u16(_ b: [UInt8], _ i: Int) throws -> Int {
        guard i >= 0, i <= b.count - 2 else { throw XLSX.Refusal.damaged }
        return Int(b[i]) | Int(b[i + 1]) << 8
    }

    private static func u32(_ b: [UInt8], _ i: Int) throws -> Int {
        guard i >= 0, i <= b.count - 4 else { throw XLSX.Refusal.damaged }
        return Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
    }
}

// MARK: part readers

/// An XMLParser delegate that can stop the parse with a domain error, and that checks the
/// document is whole: Foundation's parser on Linux recovers from errors and never finishes the
/// last chunk, so a truncated or unbalanced part must be caught here.
class PartReader: NSObject, XMLParserDelegate {
    private(set) var failure: DomainError?
    private(set) var parseErrorSeen = false
    private var depth = 0
    private var rootClosed = false

    /// Every element opened was closed, down to the root.
    var isWhole: Bool { rootClosed && depth == 0 && !parseErrorSeen }

    func fail(_ error: DomainError, _ parser: XMLParser) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    /// Hooks for the parts: an element opened (local name) or closed, and text.
    func didOpen(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {}
    func didClose(_ name: Substring, _ parser: XMLParser) {}
    func didRead(_ string: String) {}

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if rootClosed { parseErrorSeen = true }
        depth += 1
        didOpen(XLSX.local(name), attributes, parser)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        if depth == 0 { rootClosed = true }
        if depth < 0 { parseErrorSeen = true }
        didClose(XLSX.local(name), parser)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { didRead(string) }
    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) { didRead(String(decoding: CDATABlock, as: UTF8.self)) }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { parseErrorSeen = true }
}

/// xl/workbook.xml: the relationship id of the first sheet, and the date system.
final class WorkbookReader: PartReader {
    private(set) var firstSheetRelationship: String?
    private(set) var date1904 = false

    override func didOpen(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
        switch name {
        case "sheet" where firstSheetRelationship == nil:
            // r:id, whatever the prefix of the relationships namespace is called.
            firstSheetRelationship = attributes.first { $0.key.hasSuffix(":id") }?.value
        case "workbookPr":
            date1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
        default: break
        }
    }
}

/// A .rels part: relationship id → type and target.
final class RelationshipsReader: PartReader {
    private(set) var targets: [String: (type: String, target: String)] = [:]

    override func didOpen(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
        guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"],
              attributes["TargetMode"] != "External" else { return }
        targets[id] = (attributes["Type"] ?? "", target)
    }
}

/// xl/sharedStrings.xml: each <si>'s text runs joined, phonetic guides (<rPh>) left out.
final class SharedStringsReader: PartReader {
    private(set) var strings: [String] = []
    private var current = ""
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    override func didOpen(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
        switch name {
        case "si": inItem = true; current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = inItem && phoneticDepth == 0
        default: break
        }
    }

    override func didClose(_ name: Substring, _ parser: XMLParser) {
        switch name {
        case "si": strings.append(current); inItem = false
        case "rPh": phoneticDepth = max(0, phoneticDepth - 1)
        case "t": inText = false
        default: break
        }
    }

    override func didRead(_ string: String) {
        if inText { current += string }
    }
}

/// How a date-formatted number is written out: a month ("2025-07") or a day ("2025-07-15").
enum DateStyle: Sendable, Equatable {
    case month, day

    /// Built-in formats: 14–16 and 22 are days, 17 a month; 27–31, 36, 50–58 the zh-CN date formats.
    static func builtIn(_ id: Int) -> DateStyle? {
        switch id {
        case 17, 27, 36, 50, 52, 57: .month
        case 14, 15, 16, 22, 28, 29, 30, 31, 51, 53, 54, 58: .day
        default: nil
        }
    }

    /// A custom format code that shows a year or a day is a date; quoted text, [..] and escapes do not count.
    static func custom(_ code: String) -> DateStyle? {
        var plain = ""
        var quoted = false, bracket = false, escaped = false
        for ch in code {
            if escaped { escaped = false; continue }
            switch ch {
            case "\"": quoted.toggle()
            case "\\" where !quoted: escaped = true
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default: if !quoted && !bracket { plain.append(ch) }
            }
        }
        let lower = plain.lowercased()
        if lower.contains("d") { return .day }
        if lower.contains("y") { return .month }
        return nil
    }
}

/// xl/styles.xml: which cell styles (indexes into <cellXfs>) show dates.
final class StylesReader: PartReader {
    private(set) var dateStyles: [Int: DateStyle] = [:]
    private var customFormats: [Int: String] = [:]
    private var inCellFormats = false
    private var styleIndex = 0

    override func didOpen(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] { customFormats[id] = code }
        case "cellXfs": inCellFormats = true
        case "xf" where inCellFormats:
            if let id = attributes["numFmtId"].flatMap({ Int($0) }),
               let style = customFormats[id].map(DateStyle.custom) ?? DateStyle.builtIn(id) {
                dateStyles[styleIndex] = style
            }
            styleIndex += 1
        default: break
        }
    }

    override func didClose(_ name: Substring, _ parser: XMLParser) {
        if name == "cellXfs" { inCellFormats = false }
    }
}

/// A worksheet's <sheetData>: rows of cells, each written out as the text Excel would show in a CSV.
final class SheetReader: PartReader {
    private(set) var rows: [CSV.Row] = []
    private let strings: [String]
    private let dateStyles: [Int: DateStyle]
    private let date1904: Bool

    private var rowNumber = 0
    private var cells: [Int: String] = [:]
    private var nextColumn = 0
    private var cellRef = ""
    private var cellColumn = 0
    private var cellType = "n"
    private var cellStyle: Int?
    private var value: String?
    private var inline = ""
    private var inInline = false
    private var phoneticDepth = 0
    private var capture: Capture?
    private var text = ""

    private enum Capture { case value, inlineText }

    init(strings: [String], dateStyles: [Int: DateStyle], date1904: Bool) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
    }

    override func didOpen(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
        switch name {
        case "row":
            let number: Int
            if let r = attributes["r"] {
                guard let n = Int(r), n > rowNumber, n <= 1_048_576 else {
                    return fail(XLSX.Refusal.badCell("row \(r)", Message(zh: "行号无效", en: "invalid row number")), parser)
                }
                number = n
            } else {
                number = rowNumber + 1
            }
            rowNumber = number
            cells = [:]
            nextColumn = 0
        case "c":
            if let r = attributes["r"] {
                guard let c = XLSX.column(ofReference: r) else {
                    return fail(XLSX.Refusal.badCell(r, Message(zh: "单元格引用无效", en: "invalid cell reference")), parser)
                }
                cellColumn = c
                cellRef = r
            } else {
                cellColumn = nextColumn
                cellRef = "\(rowNumber):\(nextColumn + 1)"
            }
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap { Int($0) }
            value = nil
            inline = ""
        case "v": capture = .value; text = ""
        case "is": inInline = true
        case "rPh": phoneticDepth += 1
        case "t" where inInline && phoneticDepth == 0: capture = .inlineText; text = ""
        default: break
        }
    }

    override func didClose(_ name: Substring, _ parser: XMLParser) {
        switch name {
        case "v":
            if capture == .value { value = text }
            capture = nil
        case "t":
            if capture == .inlineText { inline += text }
            capture = nil
        case "rPh": phoneticDepth = max(0, phoneticDepth - 1)
        case "is": inInline = false
        case "c":
            nextColumn = cellColumn + 1
            let shown: String
            switch cellDisplay() {
            case .success(let s): shown = s
            case .failure(let e): return fail(e, parser)
            }
            guard !shown.isEmpty else { return }
            guard cellColumn < XLSX.maxColumns else {
                return fail(XLSX.Refusal.badCell(cellRef, Message(zh: "超出 \(XLSX.maxColumns) 列", en: "beyond column \(XLSX.maxColumns)")), parser)
            }
            cells[cellColumn] = shown
        case "row":
            guard let last = cells.keys.max() else { return }
            guard rows.count < XLSX.maxRows else { return fail(XLSX.Refusal.tooManyRows, parser) }
            rows.append(CSV.Row(line: rowNumber, fields: (0...last).map { cells[$0] ?? "" }))
        default: break
        }
    }

    override func didRead(_ string: String) {
        if capture != nil { text += string }
    }


    /// The cell's text by its type: shared string, inline string, formula string, boolean, error or number.
    private func cellDisplay() -> Result<String, DomainError> {
        switch cellType {
        case "inlineStr": return .success(inline)
        case "s":
            guard let v = value else { return .success("") }
            guard let i = Int(v.trimmingCharacters(in: .whitespaces)), i >= 0, i < strings.count else {
                return .failure(XLSX.Refusal.badCell(cellRef, Message(zh: "共享字符串编号无效", en: "invalid shared string index")))
            }
            return .success(strings[i])
        case "b":
            switch value {
            case "1": return .success("TRUE")
            case "0": return .success("FALSE")
            case nil: return .success("")
            default: return .failure(XLSX.Refusal.badCell(cellRef, Message(zh: "逻辑值无效", en: "invalid boolean")))
            }
        case "n":
            guard let v = value else { return .success("") }
            if let style = cellStyle.flatMap({ dateStyles[$0] }), let date = Self.date(serial: v, style: style, date1904: date1904) {
                return .success(date)
            }
            return .success(Self.shown(number: v))
        default:
            // "str" (a formula's text), "e" (#N/A…), "d" (ISO date): the value as written.
            return .success(value ?? "")
        }
    }

    /// A number as written in the XML, except that Excel shows (and saves to CSV) at most 15
    /// significant digits: "98.59999999999999", as some writers store 98.6, reads "98.6".
    static func shown(number v: String) -> String {
        let digits = v.drop { $0 == "-" || $0 == "0" || $0 == "." }.filter(\.isNumber).count
        guard digits > 15, !v.contains(where: { $0 == "e" || $0 == "E" }), let d = Double(v), d.isFinite else { return v }
        let rounded = String(format: "%.15g", d)
        return rounded.contains("e") ? v : rounded
    }

    /// An Excel date serial as "yyyy-MM" or "yyyy-MM-dd" (the time of day dropped); nil when out of range.
    static func date(serial text: String, style: DateStyle, date1904: Bool) -> String? {
        guard let serial = Double(text), serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        // Days since 1970-01-01: the 1900 system counts from 1899-12-30 (with Lotus's phantom
        // 1900-02-29, so serials below 61 are one day later), the 1904 system from 1904-01-01.
        if date1904 { days -= 24_107 } else { days += days < 61 ? -25_568 : -25_569 }
        let (y, m, d) = RFC3339.civil(fromDays: days)
        let ym = String(format: "%04d-%02d", y, m)
        return style == .month ? ym : ym + String(format: "-%02d", d)
    }

}

/// An uploaded import file (REG-4, FEE-1) as rows: the first sheet of an XLSX workbook when the
/// bytes are a ZIP, otherwise CSV text in the named encoding or, when none is named, the sniffed one.
public enum ImportFile {
    public static let xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    public static func rows(_ bytes: [UInt8], encoding: TextEncoding?) throws -> [CSV.Row] {
        if XLSX.isWorkbook(bytes) || XLSX.isLegacyOrEncryptedWorkbook(bytes) { return try XLSX.rows(bytes) }
        return try CSV.parse(try (encoding ?? TextEncoding.sniff(bytes)).decode(bytes))
    }
}
