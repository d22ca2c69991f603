import Foundation
import PropDeskCore
import Vapor
import ZIPFoundation

/// The two take-away formats of a table page (REP-1): `?format=csv` or `?format=xlsx`.
enum ExportFormat: String, CaseIterable {
    case csv, xlsx

    /// The `format` query parameter: nil when absent or empty (show the page), an unknown one is bad input.
    static func requested(_ req: Request) throws -> ExportFormat? {
        guard let raw = req.query[String.self, at: "format"], !raw.isEmpty else { return nil }
        guard let format = ExportFormat(rawValue: raw.lowercased()) else {
            throw DomainError.invalid(field: "format", Message(zh: "导出格式只能是 csv 或 xlsx", en: "The export format must be csv or xlsx"))
        }
        return format
    }
}

/// A `TableExport` as a download: CSV for any tool, or a real .xlsx (the workbook's Office
/// Open XML parts zipped with ZIPFoundation) that Excel and WPS open with numbers as numbers.
enum ExportResponse {
    /// `name` is the file's base name (ASCII, e.g. "dashboard-2026-10"); the table's title is
    /// offered as the UTF-8 file name as well.
    static func csv(_ table: TableExport, name: String = "export") -> Response {
        download(table.csvData(), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
                 name: name, title: table.title, ext: "csv")
    }

    static func xlsx(_ table: TableExport, name: String = "export") throws -> Response {
        download(try workbook(table), type: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                 name: name, title: table.title, ext: "xlsx")
    }

    static func response(_ table: TableExport, format: ExportFormat, name: String) throws -> Response {
        switch format {
        case .csv: csv(table, name: name)
        case .xlsx: try xlsx(table, name: name)
        }
    }

    /// The .xlsx bytes: every part deflated into one in-memory zip.
    static func workbook(_ table: TableExport) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in table.workbookParts() {
            let data = part.data
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                let start = Int(position)
                return data.subdata(in: start..<min(data.count, start + size))
            }
        }
        guard let data = archive.data else { throw Abort(.internalServerError) }
        return data
    }

    static func download(_ data: Data, type: HTTPMediaType, name: String, title: String, ext: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        let ascii = String(name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }.prefix(80))
        let base = ascii.isEmpty ? "export" : ascii
        let utf8 = (title.isEmpty ? base : title + "-" + base).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? base
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(base).\(ext)\"; filename*=UTF-8''\(utf8).\(ext)")
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
