import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 导入房屋住户 (REG-4): the registry file (.xlsx or CSV) as an upload — try it first (dry run: everything is
/// checked and counted, nothing kept), then import it all or nothing; a bad line is reported by
/// number and changes nothing.
enum ImportPage {
    enum S {
        static let file = Message(zh: "Excel 工作簿(.xlsx,读取第一个工作表)或 CSV 文件(UTF-8 或 GBK)", en: "Excel workbook (.xlsx, its first sheet is read) or CSV file (UTF-8 or GBK)")
        static let encoding = Message(zh: "编码", en: "Encoding")
        static let auto = Message(zh: "自动识别", en: "Detect")
        static let dryRun = Message(zh: "试导入(只检查,不保存)", en: "Dry run (check only, keep nothing)")
        static let go = Message(zh: "上传", en: "Upload")
        static let report = Message(zh: "导入结果", en: "Import report")
        static let tried = Message(zh: "试导入完成,没有保存任何数据", en: "Dry run done: nothing was kept")
        static let done = Message(zh: "导入完成", en: "Imported")
        static let failed = Message(zh: "导入失败,没有保存任何数据", en: "Import failed: nothing was kept")
        static let line = Message(zh: "第 %d 行", en: "Line %d")
        static let counts: [(Message, KeyPath<RegistryImportReport, Int>)] = [
            (Message(zh: "新区域", en: "Areas created"), \.areasCreated), (Message(zh: "新楼栋", en: "Buildings created"), \.buildingsCreated),
            (Message(zh: "新房屋", en: "Units created"), \.unitsCreated), (Message(zh: "更新房屋", en: "Units updated"), \.unitsUpdated),
            (Message(zh: "未变房屋", en: "Units unchanged"), \.unitsUnchanged), (Message(zh: "新住户", en: "People created"), \.peopleCreated),
            (Message(zh: "新入住关系", en: "Links created"), \.linksCreated), (Message(zh: "未变入住关系", en: "Links unchanged"), \.linksUnchanged),
        ]
    }

    static func scope(_ req: Request) async throws -> Community {
        try await AdminScope.community(req, anyOf: [.importExport]).0
    }

    /// GET /admin/c/:cid/import
    static func render(_ req: Request) async throws -> Response {
        page(try await scope(req), req, result: nil)
    }

    static func page(_ community: Community, _ req: Request, result: [BodyNode]?) -> Response {
        let lang = req.language
        let form = H.form(Routes.adminImport(community.id), [("enctype", "multipart/form-data"), ("class", "card"), ("id", "import-form")], [
            H.field(S.file.text(lang), "import-file", H.input([("type", "file"), ("id", "import-file"), ("name", "file"), ("accept", ".csv,text/csv,.xlsx,\(ImportFile.xlsxContentType)"), ("required", "required")])),
            H.field(S.encoding.text(lang), "import-encoding", H.select("import-encoding", name: "encoding", [("", S.auto.text(lang)), ("utf-8", "UTF-8"), ("gbk", "GBK")], selected: "")),
            H.el("label", [], [H.input([("type", "checkbox"), ("name", "dryRun"), ("value", "1"), ("id", "import-dry-run"), ("checked", "checked")]), .text(" " + S.dryRun.text(lang))]),
            H.button(S.go.text(lang), [("id", "do-import")]),
        ])
        return Layout.page(title: Message(zh: "\(community.name) · 导入房屋住户", en: "\(community.name) · Import units and residents"), request: req,
                           frame: Frame(community: community), [form] + (result ?? []))
    }

    struct Upload: Content {
        var file: File?
        var encoding: String?
        var dryRun: String?
    }

    /// POST /admin/c/:cid/import — answers with the report on the same page.
    static func submit(_ req: Request) async throws -> Response {
        let community = try await scope(req)
        let lang = req.language
        let f = try req.content.decode(Upload.self)
        let dryRun = f.dryRun == "1"
        var out: [BodyNode] = [H.el("h2", [], text: S.report.text(lang))]
        do {
            guard let file = f.file, file.data.readableBytes > 0 else {
                throw DomainError.invalid(field: "file", Message(zh: "请选择要导入的 CSV 文件", en: "Choose the CSV file to import"))
            }
            let report = try await ImportRegistry.run(Array(file.data.readableBytesView), encoding: f.encoding, community: community.id, dryRun: dryRun, req)
            out.append(H.el("p", [("class", "notice"), ("id", "import-outcome"), ("data-dry-run", dryRun ? "1" : "0")], text: (dryRun ? S.tried : S.done).text(lang)))
            out.append(H.el("dl", [("class", "facts"), ("id", "import-counts")], S.counts.map { m, k in
                H.el("div", [], [H.el("dt", [], text: m.text(lang)), H.el("dd", [("class", "num")], text: String(report[keyPath: k]))])
            }))
        } catch let e as DomainError {
            out.append(H.el("p", [("class", "error"), ("role", "alert"), ("id", "import-outcome")], text: "\(S.failed.text(lang)):\(e.message.text(lang))"))
            if !e.details.isEmpty {
                out.append(H.el("ul", [("class", "import-errors"), ("id", "import-errors")], e.details.prefix(200).map { d in
                    H.el("li", [], text: [d.line.map { String(format: S.line.text(lang), $0) }, d.field, d.message.text(lang)].compactMap { $0 }.joined(separator: " · "))
                }))
            }
        }
        return page(community, req, result: [H.el("section", [("class", "card"), ("id", "import-report")], out)])
    }
}
