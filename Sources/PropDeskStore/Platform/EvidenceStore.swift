import Crypto
import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Evidence on any subject (PLT-4): photos, scanned documents and drawn signatures. The caller
/// has decided that the actor may see and add to the subject; this store checks every file by
/// its magic bytes and size before anything is written, keeps each file once (by SHA-256), and
/// never changes or removes one.
public struct EvidenceStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    /// A file checked before anything is written.
    public struct Upload: Sendable {
        public let kind: EvidenceKind
        /// SHA-256 of the bytes, hex.
        public var digestText: String { digest }
        let contentType: String
        let size: Int
        let digest: String
        let caption: String
        let signedBy: String?
        let bytes: [UInt8]
    }

    public static func digest(_ bytes: [UInt8]) -> String { Hex.lowercase(SHA256.hash(data: bytes)) }

    /// Checks one file: its type by magic bytes and size for its kind, its caption, and for a
    /// signature the signer's name. Throws a clear error and keeps nothing when one is wrong.
    public static func check(_ bytes: [UInt8], kind: EvidenceKind, caption: String, signedBy: String?, field: String = "file") throws -> Upload {
        let type = try Evidence.contentType(of: bytes, kind: kind, field: field)
        let caption = try Validate.text(caption, field: "caption", max: 200, required: false)
        var signer: String?
        if kind == .signature {
            signer = try Validate.text(signedBy ?? "", field: "signedBy", max: 50, required: true)
        }
        return Upload(kind: kind, contentType: type, size: bytes.count, digest: digest(bytes), caption: caption, signedBy: signer, bytes: bytes)
    }

    /// Attaches checked files to a subject in one transaction of their own.
    @discardableResult
    public func attach(_ uploads: [Upload], to subject: SubjectRef, by actor: Actor, limit: Int = Evidence.maxPerSubject) async throws -> [Evidence] {
        guard !uploads.isEmpty else { return [] }
        let at = now()
        let now = self.now
        return try await db.writeTransaction { tx in
            try await EvidenceStore(db: tx, now: now).attach(uploads, to: subject, by: actor, at: at, limit: limit)
        }
    }

    /// Inside the caller's transaction (an order's, when photos come with it). A file the subject
    /// already has is not added again (a retried upload, a double click); its bytes are stored
    /// once for every subject of the community that holds them.
    func attach(_ uploads: [Upload], to subject: SubjectRef, by actor: Actor, at: Date, limit: Int) async throws -> [Evidence] {
        guard !uploads.isEmpty else { return [] }
        let existing = try await EvidenceModel.query(on: db).filter(\.$subjectKind == subject.kind.rawValue).filter(\.$subjectID == subject.id).all()
        var digests = Set(existing.map(\.digest))
        var added: [Evidence] = []
        let sql = db as! any SQLDatabase
        for u in uploads where digests.insert(u.digest).inserted {
            let e = Evidence(subjectKind: subject.kind, subjectID: subject.id, communityID: subject.communityID, kind: u.kind, contentType: u.contentType,
                             size: u.size, digest: u.digest, caption: u.caption, signedBy: u.signedBy, uploadedByID: actor.userID,
                             uploadedByName: actor.name, uploadedAt: at)
            try await EvidenceModel(e).create(on: db)
            try await sql.raw("""
                INSERT INTO evidence_blobs (community_id, digest, bytes) VALUES (\(bind: subject.communityID), \(bind: u.digest), \(bind: Data(u.bytes)))
                ON CONFLICT (community_id, digest) DO NOTHING
                """).run()
            added.append(e)
        }
        guard existing.count + added.count <= limit else {
            throw DomainError.invalid(field: "file", Message(zh: "每条记录最多 \(limit) 个附件", en: "A record can have at most \(limit) files"))
        }
        return added
    }

    /// A subject's files, oldest first, without their bytes.
    public func list(_ kind: SubjectKind, _ id: UUID) async throws -> [Evidence] {
        try await EvidenceModel.query(on: db).filter(\.$subjectKind == kind.rawValue).filter(\.$subjectID == id).sort(\.$uploadedAt).all().map(\.domain)
    }

    public func item(_ id: UUID) async throws -> Evidence? { try await EvidenceModel.find(id, on: db)?.domain }

    /// One file and its bytes.
    public func content(_ id: UUID) async throws -> (Evidence, Data)? {
        guard let e = try await item(id) else { return nil }
        let row = try await (db as! any SQLDatabase).raw("SELECT bytes FROM evidence_blobs WHERE community_id = \(bind: e.communityID) AND digest = \(bind: e.digest)").first()
        guard let bytes = try row?.decode(column: "bytes", as: Data.self) else { return nil }
        return (e, bytes)
    }
}
