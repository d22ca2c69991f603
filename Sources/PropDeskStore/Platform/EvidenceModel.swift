import Fluent
import Foundation
import PropDeskCore

/// A file attached to a subject (PLT-4); its bytes are in `evidence_blobs`, once per community and digest.
final class EvidenceModel: Model, @unchecked Sendable {
    static let schema = "evidence"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject_kind") var subjectKind: String
    @Field(key: "subject_id") var subjectID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "digest") var digest: String
    @Field(key: "caption") var caption: String
    @OptionalField(key: "signed_by") var signedBy: String?
    @OptionalField(key: "uploaded_by_id") var uploadedByID: UUID?
    @Field(key: "uploaded_by_name") var uploadedByName: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
    convenience init(_ d: Evidence) {
        self.init()
        id = d.id
        subjectKind = d.subjectKind.rawValue
        subjectID = d.subjectID
        communityID = d.communityID
        kind = d.kind.rawValue
        contentType = d.contentType
        size = d.size
        digest = d.digest
        caption = d.caption
        signedBy = d.signedBy
        uploadedByID = d.uploadedByID
        uploadedByName = d.uploadedByName
        uploadedAt = d.uploadedAt
    }

    var domain: Evidence {
        Evidence(id: id!, subjectKind: SubjectKind(rawValue: subjectKind), subjectID: subjectID, communityID: communityID,
                 kind: EvidenceKind(rawValue: kind) ?? .document, contentType: contentType, size: size, digest: digest, caption: caption,
                 signedBy: signedBy, uploadedByID: uploadedByID, uploadedByName: uploadedByName, uploadedAt: uploadedAt)
    }
}
