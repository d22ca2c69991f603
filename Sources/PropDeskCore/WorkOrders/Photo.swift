import Foundation

/// A photo on a work order (INT-3, INT-11): what the resident saw, what the engineer left.
/// Only real images are kept, recognised by their first bytes, never by the file name.
public struct OrderPhoto: Sendable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var orderID: UUID
    public var contentType: String
    public var size: Int
    /// SHA-256 of the bytes: the same picture sent twice (a retry, a double click) is kept once.
    public var digest: String
    public var caption: String
    public var uploadedByID: UUID?
    public var uploadedByName: String
    public var uploadedAt: Date

    public init(id: UUID, communityID: UUID, orderID: UUID, contentType: String, size: Int, digest: String, caption: String,
                uploadedByID: UUID?, uploadedByName: String, uploadedAt: Date) {
        self.id = id
        self.communityID = communityID
        self.orderID = orderID
        self.contentType = contentType
        self.size = size
        self.digest = digest
        self.caption = caption
        self.uploadedByID = uploadedByID
        self.uploadedByName = uploadedByName
        self.uploadedAt = uploadedAt
    }

    /// Largest accepted photo: a phone picture, not a video.
    public static let maxBytes = EvidenceKind.photo.maxBytes
    /// Most photos on one order.
    public static let maxPerOrder = 12

    /// The image type of these bytes, or a clear error when they are not a JPEG, PNG or WebP
    /// picture, are empty, or are too large (PLT-4's photo rules).
    public static func contentType(of bytes: [UInt8]) throws -> String {
        try Evidence.contentType(of: bytes, kind: .photo, field: "photos")
    }
}
