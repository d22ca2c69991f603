import Crypto
import Fluent
import Foundation
import PropDeskCore

/// Photos on work orders (INT-3, INT-11). The caller has already decided that the actor may
/// see and change the order; this store keeps the pictures safe and once each.
public struct PhotoStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    /// Adds these pictures to the order in one transaction: every one is checked first, so a
    /// bad file among good ones changes nothing. A picture the order already has is not added
    /// again (a retried upload or a double click).
    @discardableResult
    public func add(_ files: [(bytes: [UInt8], caption: String)], to order: WorkOrder, by actor: Actor) async throws -> [OrderPhoto] {
        let checked = try files.map { f -> (OrderPhoto, [UInt8]) in
            let type = try OrderPhoto.contentType(of: f.bytes)
            let caption = try Validate.text(f.caption, field: "caption", max: 200, required: false)
            let digest = SHA256.hash(data: f.bytes).map { String(format: "%02x", $0) }.joined()
            return (OrderPhoto(id: UUID(), communityID: order.communityID, orderID: order.id, contentType: type, size: f.bytes.count,
                               digest: digest, caption: caption, uploadedByID: actor.userID, uploadedByName: actor.name, uploadedAt: now()), f.bytes)
        }
        guard !checked.isEmpty else { return [] }
        return try await db.transaction { tx in
            let existing = try await OrderPhotoModel.query(on: tx).filter(\.$orderID == order.id).all()
            var digests = Set(existing.map(\.digest))
            var added: [OrderPhoto] = []
            for (photo, bytes) in checked where digests.insert(photo.digest).inserted {
                added.append(photo)
                try await OrderPhotoModel(photo).create(on: tx)
                try await OrderPhotoBlobModel(id: photo.id, bytes: Data(bytes)).create(on: tx)
            }
            guard existing.count + added.count <= OrderPhoto.maxPerOrder else {
                throw DomainError.invalid(field: "photos", Message(zh: "一张工单最多 \(OrderPhoto.maxPerOrder) 张照片",
                                                                   en: "An order can have at most \(OrderPhoto.maxPerOrder) photos"))
            }
            return added
        }
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
