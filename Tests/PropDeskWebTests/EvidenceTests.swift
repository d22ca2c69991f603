import FluentKit
import Foundation
import PropDeskCore
import PropDeskStore
import SQLKit
import XCTVapor
@testable import PropDeskWeb

/// Evidence on any subject (PLT-4) through the JSON API: photos, scanned documents and drawn
/// signatures, content-addressed and immutable, type- and size-checked by their bytes, seen only
/// by those who may see the subject.
final class EvidenceTests: XCTestCase {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 7, 7, 7]
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0]
    static let pdf: [UInt8] = Array("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)

    func openOrder(_ app: Application, _ w: World) async throws -> WorkOrder {
        try await app.store.orders.create(OrderDraft(communityID: w.a.community.id, kind: .repair, channel: .hotline, unitID: w.a.units[0].id,
                                                     description: "阳台地漏堵塞"), by: Actor.console("test")).order
    }

    func attach(_ app: Application, _ w: World, _ path: String, as user: String, _ bytes: [UInt8]) async throws -> XCTHTTPResponse {
        try await app.call(.POST, path, as: user, in: w, contentType: HTTPMediaType(type: "application", subType: "octet-stream"), bytes: bytes)
    }

    func count(_ app: Application, _ table: String) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    func testPLT4_aPhotoADocumentAndASignatureAttachToAnOrderAndComeBackAsTheyWere() async throws {
        try await withWorld { app, w in
            let order = try await openOrder(app, w)
            let base = "/api/v1/subjects/work_order/\(order.id.uuidString)/evidence"
            let photo = try await attach(app, w, base + "?kind=photo&caption=%E5%9C%B0%E6%BC%8F", as: "a.desk", Self.jpeg)
            XCTAssertEqual(photo.status, .created, photo.text)
            let doc = try await attach(app, w, base + "?kind=document", as: "a.desk", Self.pdf)
            XCTAssertEqual(doc.status, .created, doc.text)
            let sig = try await attach(app, w, base + "?kind=signature&signedBy=%E7%8E%8B%E8%8A%B3", as: "a.desk", Self.png)
            XCTAssertEqual(sig.status, .created, sig.text)
            let signed = try XCTUnwrap(try sig.json() as? [String: Any])
            XCTAssertEqual(signed["signedBy"] as? String, "王芳")
            XCTAssertEqual(signed["contentType"] as? String, "image/png")
            XCTAssertEqual(signed["kind"] as? String, "signature")

            // The same bytes again (a retry): the same file, kept once.
            let again = try await attach(app, w, base + "?kind=document", as: "a.desk", Self.pdf)
            XCTAssertEqual(again.status, .created)
            let first = try XCTUnwrap(try doc.json() as? [String: Any])
            let second = try XCTUnwrap(try again.json() as? [String: Any])
            XCTAssertEqual(first["id"] as? String, second["id"] as? String)
            let files = try await count(app, "evidence")
            let blobs = try await count(app, "evidence_blobs")
            XCTAssertEqual(files, 3)
            XCTAssertEqual(blobs, 3)

            let list = try await app.call(.GET, base, as: "a.manager", in: w)
            XCTAssertEqual(list.status, .ok, list.text)
            let items = try XCTUnwrap(try list.json() as? [[String: Any]])
            XCTAssertEqual(items.compactMap { $0["kind"] as? String }.sorted(), ["document", "photo", "signature"])
            let pdfItem = try XCTUnwrap(items.first { $0["kind"] as? String == "document" })
            XCTAssertEqual(pdfItem["digest"] as? String, EvidenceStore.digest(Self.pdf))
            let content = try await app.call(.GET, try XCTUnwrap(pdfItem["contentPath"] as? String), as: "a.manager", in: w)
            XCTAssertEqual(content.status, .ok)
            XCTAssertEqual(content.headers.contentType?.description, "application/pdf")
            XCTAssertEqual(Array(content.body.readableBytesView), Self.pdf)

            // The photo is also the order's photo, as the order page shows it.
            let photos = try await app.store.photos.photos(order: order.id)
            XCTAssertEqual(photos.count, 1)
            XCTAssertEqual(photos.first?.caption, "地漏")
            // And the resident who reported from the unit may see the files of their order.
            let resident = try await app.call(.GET, base, as: "13800001000", in: w)
            XCTAssertEqual(resident.status, .ok, resident.text)
        }
    }

    func testPLT4_aWrongTypeAMissingSignerOrAnOversizedFileIsRefusedAndNothingIsKept() async throws {
        try await withWorld { app, w in
            let order = try await openOrder(app, w)
            let base = "/api/v1/subjects/work_order/\(order.id.uuidString)/evidence"
            let cases: [(String, [UInt8], HTTPStatus, String)] = [
                ("?kind=photo", Self.pdf, .unprocessableEntity, "a PDF is not a photo"),
                ("?kind=signature&signedBy=x", Self.jpeg, .unprocessableEntity, "a signature is a PNG"),
                ("?kind=signature", Self.png, .unprocessableEntity, "a signature says who signed"),
                ("?kind=document", Array("<html>not a pdf</html>".utf8), .unprocessableEntity, "HTML named .pdf"),
                ("?kind=photo", [], .unprocessableEntity, "empty"),
                ("?kind=photo", Self.jpeg + [UInt8](repeating: 0, count: EvidenceKind.photo.maxBytes), .payloadTooLarge, "over 8 MB"),
                ("?kind=document", Self.pdf + [UInt8](repeating: 0, count: EvidenceKind.document.maxBytes + (64 << 10)), .payloadTooLarge, "over the body limit"),
                ("?kind=video", Self.jpeg, .unprocessableEntity, "no such kind"),
            ]
            for (query, bytes, status, why) in cases {
                let res = try await attach(app, w, base + query, as: "a.desk", bytes)
                XCTAssertEqual(res.status, status, "\(why): \(res.text.prefix(300))")
                let body = try XCTUnwrap(try res.json() as? [String: Any], why)
                XCTAssertNotNil(body["message"], why)
            }
            let files = try await count(app, "evidence")
            let blobs = try await count(app, "evidence_blobs")
            XCTAssertEqual(files, 0)
            XCTAssertEqual(blobs, 0)
        }
    }

    func testPLT4_SEC2_filesOfASubjectTheCallerMayNotSeeAreNotFound() async throws {
        try await withWorld { app, w in
            let order = try await openOrder(app, w)
            let base = "/api/v1/subjects/work_order/\(order.id.uuidString)/evidence"
            let added = try await attach(app, w, base + "?kind=photo", as: "a.desk", Self.jpeg)
            let id = try XCTUnwrap(try added.json() as? [String: Any])["id"] as? String
            let other = try await app.call(.GET, base, as: "b.head", in: w)
            XCTAssertEqual(other.status, .notFound)
            let bytes = try await app.call(.GET, "/api/v1/evidence/\(try XCTUnwrap(id))/content", as: "b.head", in: w)
            XCTAssertEqual(bytes.status, .notFound)
            let write = try await attach(app, w, base + "?kind=photo", as: "b.head", Self.png)
            XCTAssertEqual(write.status, .notFound)
            let anonymous = try await app.call(.GET, base, as: nil, in: w)
            XCTAssertEqual(anonymous.status, .unauthorized)
            let unknownKind = try await app.call(.GET, "/api/v1/subjects/bill/\(order.id.uuidString)/evidence", as: "a.manager", in: w)
            XCTAssertEqual(unknownKind.status, .unprocessableEntity)

            // A finished order takes no more files.
            try await app.store.orders.perform(.cancel(reason: "重复登记"), on: order.id, by: Actor.console("test"))
            let late = try await attach(app, w, base + "?kind=photo", as: "a.desk", Self.png)
            XCTAssertEqual(late.status, .conflict)
        }
    }

    /// Evidence belongs to any subject: the CS manager files the review of a missed duty's month.
    func testPLT4_PLT2_aScannedReviewAttachesToADutyPeriod() async throws {
        try await withWorld { app, w in
            try await app.store.duties.openPeriods()
            let row = try await (app.db as! any SQLDatabase).raw("SELECT id FROM duty_periods WHERE community_id = \(bind: w.a.community.id)").first()
            let period = try XCTUnwrap(row).decode(column: "id", as: UUID.self)
            let base = "/api/v1/subjects/duty_period/\(period.uuidString)/evidence"
            let res = try await attach(app, w, base + "?kind=document&caption=%E6%95%B4%E6%94%B9", as: "a.manager", Self.pdf)
            XCTAssertEqual(res.status, .created, res.text)
            let engineer = try await attach(app, w, base + "?kind=document", as: "a.engineer", Self.pdf)
            XCTAssertEqual(engineer.status, .forbidden)
            let list = try await app.call(.GET, base, as: "a.head", in: w)
            XCTAssertEqual((try list.json() as? [[String: Any]])?.count, 1)
        }
    }

    /// The page way: a signature drawn on the order page's pad (sent as a PNG data URL) and a
    /// scanned PDF from a form; both listed on the page and served to those who see the order.
    func testPLT4_aSignatureDrawnOnTheOrderPageIsKeptWithWhoSignedAndWhen() async throws {
        try await withWorld { app, w in
            let order = try await openOrder(app, w)
            let page = try await app.call(.GET, "/orders/\(order.id)", as: "a.desk", in: w)
            XCTAssertTrue(page.text.contains(#"id="signature-pad""#), "the pad is on the page")
            let action = "/subjects/work_order/\(order.id.uuidString)/signature"
            func post(_ fields: [(String, String)]) async throws -> XCTHTTPResponse {
                let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
                return try await app.call(.POST, action, as: "a.desk", in: w, contentType: .urlEncodedForm, bytes: Array(body.utf8))
            }
            let empty = try await post([("signedBy", "王芳"), ("signature", "")])
            XCTAssertEqual(empty.status, .seeOther)
            let none = try await app.store.evidence.list(.workOrder, order.id)
            XCTAssertEqual(none.count, 0, "nothing drawn, nothing kept")
            let notPNG = try await post([("signedBy", "王芳"), ("signature", "data:image/png;base64," + Data(Self.jpeg).base64EncodedString())])
            XCTAssertEqual(notPNG.status, .seeOther)
            let stillNone = try await app.store.evidence.list(.workOrder, order.id)
            XCTAssertEqual(stillNone.count, 0, "a JPEG dressed as a PNG is refused")

            let signed = try await post([("signedBy", "王芳"), ("signature", "data:image/png;base64," + Data(Self.png).base64EncodedString())])
            XCTAssertEqual(signed.status, .seeOther)
            XCTAssertEqual(signed.headers.first(name: .location), "/orders/\(order.id.uuidString)")
            let files = try await app.store.evidence.list(.workOrder, order.id)
            let signature = try XCTUnwrap(files.first)
            XCTAssertEqual(signature.kind, .signature)
            XCTAssertEqual(signature.signedBy, "王芳")
            XCTAssertEqual(signature.uploadedByName.isEmpty, false)

            let boundary = "evidence-test"
            var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n验收单\r\n".utf8)
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8) + Self.pdf
            body += Array("\r\n--\(boundary)--\r\n".utf8)
            let doc = try await app.call(.POST, "/subjects/work_order/\(order.id.uuidString)/documents", as: "a.desk", in: w,
                                         contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]), bytes: body)
            XCTAssertEqual(doc.status, .seeOther)
            let all = try await app.store.evidence.list(.workOrder, order.id)
            XCTAssertEqual(all.map(\.kind), [.signature, .document])
            XCTAssertEqual(all.last?.caption, "验收单")

            let shown = try await app.call(.GET, "/orders/\(order.id)", as: "a.manager", in: w)
            XCTAssertTrue(shown.text.contains("/evidence/\(signature.id.uuidString)"))
            XCTAssertTrue(shown.text.contains("王芳"))
            let bytes = try await app.call(.GET, "/evidence/\(signature.id.uuidString)", as: "a.manager", in: w)
            XCTAssertEqual(bytes.status, .ok)
            XCTAssertEqual(Array(bytes.body.readableBytesView), Self.png)
            XCTAssertEqual(bytes.headers.contentType?.description, "image/png")
            let stranger = try await app.call(.GET, "/evidence/\(signature.id.uuidString)", as: "b.head", in: w)
            XCTAssertEqual(stranger.status, .notFound)
        }
    }

    /// SEC-6 with PLT-3/PLT-4: files and hash-chained timelines survive backup and restore — the
    /// restored database verifies clean and serves the same bytes.
    func testSEC6_PLT4_filesAndSealedTimelinesSurviveBackupAndRestore() async throws {
        let file = NSTemporaryDirectory() + "propdesk-evidence-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var original: [String: Int] = [:]
        var fileID: UUID?
        var entries = 0
        try await withWorld { app, w in
            let order = try await openOrder(app, w)
            let added = try await attach(app, w, "/api/v1/subjects/work_order/\(order.id.uuidString)/evidence?kind=document", as: "a.desk", Self.pdf)
            fileID = UUID(uuidString: try XCTUnwrap(try added.json() as? [String: Any])["id"] as? String ?? "")
            original = try await app.store.backup.write(to: file, at: Date())
            entries = try await app.store.timelines.verify().entries
            XCTAssertEqual(original["evidence"], 1)
            XCTAssertEqual(original["evidence_blobs"], 1)
            XCTAssertEqual(original["timeline_entries"], entries)
        }
        let fresh = try await TestApp.make()
        do {
            let restored = try await fresh.store.backup.restore(from: file)
            XCTAssertEqual(restored, original)
            let check = try await fresh.store.timelines.verify()
            XCTAssertEqual(check.entries, entries)
            XCTAssertEqual(check.findings.count, 0)
            let content = try await fresh.store.evidence.content(try XCTUnwrap(fileID))
            XCTAssertEqual(content.map { Array($0.1) }, Self.pdf)
        } catch {
            try? await fresh.asyncShutdown()
            throw error
        }
        try await fresh.asyncShutdown()
    }
}
