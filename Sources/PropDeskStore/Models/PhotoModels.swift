import Fluent
import Foundation
import PropDeskCore

final class OrderPhotoModel: Model, @unchecked Sendable {
    static let schema = "order_photos"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "order_id") var orderID: UUID
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "digest") var digest: String
    @Field(key: "caption") var caption: String
    @OptionalField(key: "uploaded_by_id") var uploadedByID: UUID?
    @Field(key: "uploaded_by_name") var uploadedByName: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
    convenience init(_ d: OrderPhoto) {
        self.init()
        id = d.id
        communityID = d.communityID
        orderID = d.orderID
        contentType = d.contentType
        size = d.size
        digest = d.digest
        caption = d.caption
        uploadedByID = d.uploadedByID
        uploadedByName = d.uploadedByName
        uploadedAt = d.uploadedAt
    }

    var domain: OrderPhoto {
        OrderPhoto(id: id!, communityID: communityID, orderID: orderID, contentType: contentType, size: size, digest: digest,
                   caption: caption, uploadedByID: uploadedByID, uploadedByName: uploadedByName, uploadedAt: uploadedAt)
    }
}

final class OrderPhotoBlobModel: Model, @unchecked Sendable {
    static let schema = "order_photo_blobs"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "bytes") var bytes: Data

    init() {}
    init(id: UUID, bytes: Data) {
        self.id = id
        self.bytes = bytes
    }
}
