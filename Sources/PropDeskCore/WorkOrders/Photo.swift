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
    public static let maxBytes = 8 * 1024 * 1024
    /// Most photos on one order.
    public static let maxPerOrder = 12

    /// The image type of these bytes, or a clear error when they are not a JPEG, PNG or WebP
    /// picture, are empty, or are too large.
    public static func contentType(of bytes: [UInt8]) throws -> String {
        guard !bytes.isEmpty else {
            throw DomainError.invalid(field: "photos", Message(zh: "照片是空的", en: "The photo is empty"))
        }
        guard bytes.count <= maxBytes else {
            throw DomainError.invalid(field: "photos", Message(zh: "照片不能超过 8 MB", en: "A photo may be at most 8 MB"))
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        throw DomainError.invalid(field: "photos", Message(zh: "只能上传 JPEG、PNG 或 WebP 照片", en: "Only JPEG, PNG or WebP photos can be uploaded"))
    }
}
