import Fluent

/// Photos on work orders (INT-3, INT-11). The bytes live in their own table so that listing an
/// order's photos never reads the pictures themselves.
struct CreateOrderPhotos: AsyncMigration {
    var name: String { "0004_CreateOrderPhotos" }

    func prepare(on db: any Database) async throws {
        try await db.schema("order_photos")
            .id()
            .field("community_id", .uuid, .required)
            .field("order_id", .uuid, .required, .references("work_orders", "id"))
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("digest", .string, .required)
            .field("caption", .string, .required)
            .field("uploaded_by_id", .uuid)
            .field("uploaded_by_name", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "order_id", "digest")
            .create()
        try await db.schema("order_photo_blobs")
            .field("id", .uuid, .identifier(auto: false), .references("order_photos", "id"))
            .field("bytes", .data, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("order_photo_blobs").delete()
        try await db.schema("order_photos").delete()
    }
}
