import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Photos on an order (INT-3, INT-11): uploaded from a phone with a form, shown only to those
/// who may see the order.
enum Photos {
    struct Upload: Content {
        var photos: [File]?
        var caption: String?
        var back: String?
    }

    /// The pictures in this multipart form, each checked; an empty file input sends none.
    static func files(_ req: Request) throws -> [(bytes: [UInt8], caption: String)] {
        guard req.headers.contentType?.type == "multipart" else { return [] }
        let upload = try req.content.decode(Upload.self)
        let files = (upload.photos ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
        return try files.map { f in
            let bytes = Array(f.data.readableBytesView)
            _ = try OrderPhoto.contentType(of: bytes)
            return (bytes, upload.caption ?? "")
        }
    }

    /// POST /orders/:oid/photos
    static func add(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("oid") ?? ""
        let back = Paths.safe(try? req.content.get(String.self, at: "back"), fallback: "/orders/\(raw)")
        do {
            let (order, _) = try await OrderAccess.load(raw, req)
            guard ![.closed, .cancelled].contains(order.status) else {
                throw DomainError.conflict(code: "order_closed", Message(zh: "工单已结束,不能再添加照片", en: "The order is finished; no more photos can be added"))
            }
            let files = try files(req)
            guard !files.isEmpty else {
                throw DomainError.invalid(field: "photos", Message(zh: "请先选择照片", en: "Choose a photo first"))
            }
            let added = try await req.store.photos.add(files, to: order, by: req.actor)
            Flash.set(req, Message(zh: "已添加 \(added.count) 张照片", en: "\(added.count) photo(s) added"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }

    /// GET /orders/:oid/photos/:pid
    static func show(_ req: Request) async throws -> Response {
        let (order, _) = try await OrderAccess.load(req.parameters.get("oid") ?? "", req)
        guard let id = req.parameters.get("pid").flatMap(UUID.init(uuidString:)), let (photo, bytes) = try await req.store.photos.photo(id),
              photo.orderID == order.id else { throw DomainError.notFound(Noun.photo) }
        let response = Response(status: .ok, body: .init(data: bytes))
        response.headers.contentType = HTTPMediaType.fileExtension(photo.contentType == "image/png" ? "png" : photo.contentType == "image/webp" ? "webp" : "jpg")
        response.headers.cacheControl = .init(isPublic: false, maxAge: 3600)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}
