import Crypto
import Fluent
import Foundation
import PropDeskCore

/// Photos on work orders (INT-3, INT-11). The caller has already decided that the actor may
/// see and change the order; this store keeps the pictures safe and once each.
public struct PhotoStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    /// Pictures checked before anything is written: type by magic bytes, caption, digest. A bad
    /// file among good ones is refused here, so nothing at all is kept.
    public struct Upload: Sendable {
        let contentType: String
        let size: Int
        let digest: String
        let caption: String
        let bytes: [UInt8]
    }

    public static func check(_ files: [(bytes: [UInt8], caption: String)]) throws -> [Upload] {
        try files.map { f in
            Upload(contentType: try OrderPhoto.contentType(of: f.bytes), size: f.bytes.count,
                   digest: SHA256.hash(data: f.bytes).map { String(format: "%02x", $0) }.joined(),
                   caption: try Validate.text(f.caption, field: "caption", max: 200, required: false), bytes: f.bytes)
        }
    }

    /// Adds these pictures to the order in one transaction. A picture the order already has is
    /// not added again (a retried upload or a double click).
    @discardableResult
    public func add(_ files: [(bytes: [UInt8], caption: String)], to order: WorkOrder, by actor: Actor) async throws -> [OrderPhoto] {
        let checked = try Self.check(files)
        guard !checked.isEmpty else { return [] }
        let at = now()
        return try await db.writeTransaction { tx in try await PhotoStore(db: tx, now: now).attach(checked, to: order, by: actor, at: at) }
    }

    /// Inside the caller's transaction — the order's own, when photos come with a new order or a
    /// step — so the order and its photos are kept together or not at all.
    func attach(_ uploads: [Upload], to order: WorkOrder, by actor: Actor, at: Date) async throws -> [OrderPhoto] {
        guard !uploads.isEmpty else { return [] }
        let existing = try await OrderPhotoModel.query(on: db).filter(\.$orderID == order.id).all()
        var digests = Set(existing.map(\.digest))
        var added: [OrderPhoto] = []
        for u in uploads where digests.insert(u.digest).inserted {
            let photo = OrderPhoto(id: UUID(), communityID: order.communityID, orderID: order.id, contentType: u.contentType, size: u.size,
                                   digest: u.digest, caption: u.caption, uploadedByID: actor.userID, uploadedByName: actor.name, uploadedAt: at)
            added.append(photo)
            try await OrderPhotoModel(photo).create(on: db)
            try await OrderPhotoBlobModel(id: photo.id, bytes: Data(u.bytes)).create(on: db)
        }
        guard existing.count + added.count <= OrderPhoto.maxPerOrder else {
            throw DomainError.invalid(field: "photos", Message(zh: "一张工单最多 \(OrderPhoto.maxPerOrder) 张照片",
                                                               en: "An order can have at most \(OrderPhoto.maxPerOrder) photos"))
        }
        return added
    }

    /// The order's photos, oldest first, without their bytes.
    public func photos(order: UUID) async throws -> [OrderPhoto] {
        try await OrderPhotoModel.query(on: db).filter(\.$orderID == order).sort(\.$uploadedAt).all().map(\.domain)
    }

    /// One photo and its bytes.
    public func photo(_ id: UUID) async throws -> (OrderPhoto, Data)? {
        guard let m = try await OrderPhotoModel.find(id, on: db), let blob = try await OrderPhotoBlobModel.find(id, on: db) else { return nil }
        return (m.domain, blob.bytes)
    }
}
