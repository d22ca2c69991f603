import Foundation

/// RFC 4180 CSV: quoted fields, doubled quotes, CR LF or LF line ends, a UTF-8 BOM ignored.
public enum CSV {
    public struct Row: Sendable, Equatable {
        /// 1-based line number in the file where the row starts, for error reports.
        public let line: Int
        public let fields: [String]
    }

    public static func parse(_ text: String) throws -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }

        func endRow() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
        }

        while let c = pending {
            pending = iterator.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = iterator.next() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r":
                if pending == "\n" { pending = iterator.next() }
                endRow(); line += 1; rowStart = line
            case "\n":
                endRow(); line += 1; rowStart = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            throw DomainError(.invalidInput, code: "csv_unclosed_quote",
                Message(zh: "第 \(rowStart) 行的引号没有闭合", en: "Unclosed quote in the row starting at line \(rowStart)"),
                details: [.init(line: rowStart, message: Message(zh: "引号没有闭合", en: "unclosed quote"))])
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }

    /// One CSV line; quotes a field when it holds a comma, quote or line break, and defuses
    /// spreadsheet formulas (a field that starts with = + - @ is prefixed with ').
    public static func line(_ fields: [String]) -> String {
        fields.map { raw in
            var f = raw
            if let first = f.first, "=+@".contains(first) || (first == "-" && f.count > 1 && !f.dropFirst().allSatisfy(\.isNumber)) {
                f = "'" + f
            }
            if f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return f
        }.joined(separator: ",")
    }
}

/// The encodings a service center's files arrive in: UTF-8, and GBK as Excel in China saves CSV.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gbk = "gbk"

    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "gbk", "gb2312", "gb18030", "cp936": self = .gbk
        default: return nil
        }
    }

    public func decode(_ bytes: [UInt8]) throws -> String {
        switch self {
        case .utf8:
            guard let s = String(validating: bytes, as: UTF8.self) else { throw Self.undecodable(self) }
            return s
        case .gbk:
            return try Iconv.convert(bytes, from: "GB18030", to: "UTF-8").map { String(decoding: $0, as: UTF8.self) } ?? { throw Self.undecodable(self) }()
        }
    }

    public func encode(_ text: String) throws -> [UInt8] {
        switch self {
        case .utf8: return Array(text.utf8)
        case .gbk:
            guard let out = try Iconv.convert(Array(text.utf8), from: "UTF-8", to: "GB18030") else {
                throw DomainError(.invalidInput, code: "unencodable", Message(zh: "有字符无法用 GBK 表示", en: "Some characters cannot be written in GBK"))
            }
            return out
        }
    }

    /// Chooses an encoding for a file that did not say: valid UTF-8 is taken as UTF-8, anything else as GBK.
    public static func sniff(_ bytes: [UInt8]) -> TextEncoding {
        String(validating: bytes, as: UTF8.self) == nil ? .gbk : .utf8
    }

    static func undecodable(_ e: TextEncoding) -> DomainError {
        DomainError(.invalidInput, code: "bad_encoding",
            Message(zh: "文件不是有效的 \(e.rawValue.uppercased()) 编码", en: "The file is not valid \(e.rawValue.uppercased()) text"))
    }
}

/// glibc's iconv; GB18030 is a superset of GBK, so it reads both.
enum Iconv {
    static func convert(_ input: [UInt8], from: String, to: String) throws -> [UInt8]? {
        let cd = iconv_open(to, from)
        guard cd != iconv_t(bitPattern: -1) else {
            throw DomainError(.invalidInput, code: "encoding_unavailable", Message(zh: "系统缺少编码 \(from)", en: "Encoding \(from) is not available"))
        }
        defer { iconv_close(cd) }
        var inBytes = input.map { CChar(bitPattern: $0) }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 2 + 16)
        var chunk = [CChar](repeating: 0, count: 64 * 1024)
        return inBytes.withUnsafeMutableBufferPointer { inBuf -> [UInt8]? in
            var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
            var inLeft = inBuf.count
            while inLeft > 0 {
                let (ok, produced) = chunk.withUnsafeMutableBufferPointer { outBuf -> (Bool, Int) in
                    var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                    var outLeft = outBuf.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let produced = outBuf.count - outLeft
                    return (r != -1 || errno == E2BIG, produced)
                }
                output.append(contentsOf: chunk[0..<produced].map { UInt8(bitPattern: $0) })
                if !ok { return nil }
            }
            return output
        }
    }
}
