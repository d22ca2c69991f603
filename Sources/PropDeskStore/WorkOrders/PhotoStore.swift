import Fluent
import Foundation
import PropDeskCore

/// Photos on work orders (INT-3, INT-11), kept as the orders' evidence (PLT-4). The caller has
/// already decided that the actor may see and change the order.
public struct PhotoStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    public typealias Upload = EvidenceStore.Upload

    /// Pictures checked before anything is written: type by magic bytes, caption, digest. A bad
    /// file among good ones is refused here, so nothing at all is kept.
    public static func check(_ files: [(bytes: [UInt8], caption: String)]) throws -> [Upload] {
        try files.map { try EvidenceStore.check($0.bytes, kind: .photo, caption: $0.caption, signedBy: nil, field: "photos") }
    }

    public static func subject(_ order: WorkOrder) -> SubjectRef {
        SubjectRef(kind: .workOrder, id: order.id, communityID: order.communityID, areaID: order.areaID, label: order.number)
    }

    /// Adds these pictures to the order in one transaction. A picture the order already has is
    /// not added again (a retried upload or a double click).
    @discardableResult
    public func add(_ files: [(bytes: [UInt8], caption: String)], to order: WorkOrder, by actor: Actor) async throws -> [OrderPhoto] {
        let checked = try Self.check(files)
        return try await EvidenceStore(db: db, now: now).attach(checked, to: Self.subject(order), by: actor, limit: OrderPhoto.maxPerOrder).map(OrderPhoto.init)
    }

    /// Inside the caller's transaction — the order's own, when photos come with a new order or a
    /// step — so the order and its photos are kept together or not at all.
    func attach(_ uploads: [Upload], to order: WorkOrder, by actor: Actor, at: Date) async throws -> [OrderPhoto] {
        try await EvidenceStore(db: db, now: now).attach(uploads, to: Self.subject(order), by: actor, at: at, limit: OrderPhoto.maxPerOrder).map(OrderPhoto.init)
    }

    /// The order's photos, oldest first, without their bytes.
    public func photos(order: UUID) async throws -> [OrderPhoto] {
        try await EvidenceStore(db: db, now: now).list(.workOrder, order).filter { $0.kind == .photo }.map(OrderPhoto.init)
    }

    /// One photo and its bytes.
    public func photo(_ id: UUID) async throws -> (OrderPhoto, Data)? {
        guard let (e, bytes) = try await EvidenceStore(db: db, now: now).content(id), e.subjectKind == .workOrder, e.kind == .photo else { return nil }
        return (OrderPhoto(e), bytes)
    }
}

extension OrderPhoto {
    init(_ e: Evidence) {
        self.init(id: e.id, communityID: e.communityID, orderID: e.subjectID, contentType: e.contentType, size: e.size, digest: e.digest,
                  caption: e.caption, uploadedByID: e.uploadedByID, uploadedByName: e.uploadedByName, uploadedAt: e.uploadedAt)
    }
}
