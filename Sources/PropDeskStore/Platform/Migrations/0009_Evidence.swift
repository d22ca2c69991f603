import Fluent
import FluentSQL
import SQLKit

/// Evidence on any subject (PLT-4): the files' facts in `evidence`, their bytes in
/// `evidence_blobs` keyed by SHA-256, so the same file is stored once however often it is
/// attached. Work-order photos move here on both databases (same ids, so links keep working)
/// and their old tables go.
struct CreateEvidence: AsyncMigration {
    var name: String { "0009_Evidence" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("evidence")
            .id()
            .field("subject_kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("community_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("digest", .string, .required)
            .field("caption", .string, .required)
            .field("signed_by", .string)
            .field("uploaded_by_id", .uuid)
            .field("uploaded_by_name", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "subject_kind", "subject_id", "digest")
            .create()
        try await db.schema("evidence_blobs")
            .field("digest", .string, .identifier(auto: false))
            .field("bytes", .data, .required)
            .create()
        try await sql.raw("""
            INSERT INTO evidence (id, subject_kind, subject_id, community_id, kind, content_type, size, digest, caption, signed_by,
                                  uploaded_by_id, uploaded_by_name, uploaded_at)
            SELECT id, 'work_order', order_id, community_id, 'photo', content_type, size, digest, caption, NULL, uploaded_by_id,
                   uploaded_by_name, uploaded_at FROM order_photos
            """).run()
        // "WHERE true" lets SQLite read ON CONFLICT as the insert's, not the select's.
        try await sql.raw("""
            INSERT INTO evidence_blobs (digest, bytes)
            SELECT p.digest, b.bytes FROM order_photos p JOIN order_photo_blobs b ON b.id = p.id WHERE true
            ON CONFLICT (digest) DO NOTHING
            """).run()
        try await db.schema("order_photo_blobs").delete()
        try await db.schema("order_photos").delete()
    }

    func revert(on db: any Database) async throws {
        try await CreateOrderPhotos().prepare(on: db)
        let sql = db as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO order_photos (id, community_id, order_id, content_type, size, digest, caption, uploaded_by_id, uploaded_by_name, uploaded_at)
            SELECT id, community_id, subject_id, content_type, size, digest, caption, uploaded_by_id, uploaded_by_name, uploaded_at
            FROM evidence WHERE subject_kind = 'work_order' AND kind = 'photo'
            """).run()
        try await sql.raw("""
            INSERT INTO order_photo_blobs (id, bytes) SELECT e.id, b.bytes FROM evidence e JOIN evidence_blobs b ON b.digest = e.digest
            WHERE e.subject_kind = 'work_order' AND e.kind = 'photo'
            """).run()
        try await db.schema("evidence_blobs").delete()
        try await db.schema("evidence").delete()
    }
}
