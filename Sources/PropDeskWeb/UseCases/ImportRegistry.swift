import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The registry import (REG-4) for the API and the upload page: an XLSX workbook (told by its ZIP
/// signature) or a CSV whose encoding is named or sniffed (UTF-8, or GBK as Excel writes it), planned, then applied all or nothing — or tried
/// and rolled back for a dry run. A bad line fails the whole file with a per-line report.
enum ImportRegistry {
    static func run(_ bytes: [UInt8], encoding name: String?, community: UUID, dryRun: Bool, _ req: Request) async throws -> RegistryImportReport {
        let encoding = try name.flatMap { $0.isEmpty ? nil : $0 }.map { n in
            try TextEncoding(name: n) ?? { throw DomainError.invalid(field: "encoding", Message(zh: "不支持的编码 \(n)", en: "Unsupported encoding \(n)")) }()
        }
        let plan = try RegistryImport.plan(rows: try ImportFile.rows(bytes, encoding: encoding))
        return try await req.store.importer.apply(plan, community: community, dryRun: dryRun, by: req.actor)
    }
}
