import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Evidence on any subject through the JSON API (PLT-4): an app client lists, attaches and
/// downloads the files of subjects its user may see.
extension APIHandler {
    func listEvidence(_ input: Operations.ListEvidence.Input) async throws -> Operations.ListEvidence.Output {
        let req = try RequestContext.current
        let subject = try await SubjectAccess.subject(input.path.subjectKind.rawValue, input.path.subjectId, adding: false, req)
        let files = try await req.store.evidence.list(subject.kind, subject.id)
        return .ok(.init(body: .json(try files.map(Self.evidence))))
    }

    func attachEvidence(_ input: Operations.AttachEvidence.Input) async throws -> Operations.AttachEvidence.Output {
        let req = try RequestContext.current
        let subject = try await SubjectAccess.subject(input.path.subjectKind.rawValue, input.path.subjectId, adding: true, req)
        let kind: EvidenceKind = try convert(input.query.kind)
        guard case .binary(let body) = input.body else { throw DomainError.forbidden }
        // The body limit has already refused anything larger than the largest kind; the kind's
        // own limit is checked with the bytes (413 with a clear message).
        let bytes = try await [UInt8](collecting: body, upTo: BodyLimitMiddleware.evidence)
        let upload = try EvidenceStore.check(bytes, kind: kind, caption: input.query.caption ?? "", signedBy: input.query.signedBy)
        let store = req.store.evidence
        let limit = subject.kind == .workOrder && kind == .photo ? OrderPhoto.maxPerOrder : Evidence.maxPerSubject
        let added = try await store.attach([upload], to: subject, by: req.actor, limit: limit)
        var file = added.first
        if file == nil { file = try await store.list(subject.kind, subject.id).first { $0.digest == upload.digestText } }
        guard let file else { throw DomainError.notFound(Noun.subject) }
        return .created(.init(body: .json(try Self.evidence(file))))
    }

    func getEvidenceContent(_ input: Operations.GetEvidenceContent.Input) async throws -> Operations.GetEvidenceContent.Output {
        let req = try RequestContext.current
        guard let id = UUID(uuidString: input.path.evidenceId), let item = try await req.store.evidence.item(id) else { throw DomainError.notFound(Noun.subject) }
        _ = try await SubjectAccess.subject(item.subjectKind.rawValue, item.subjectID.uuidString, adding: false, req)
        _ = try await ResidentFileAccess.viewing(item, req)
        guard let (file, data) = try await req.store.evidence.content(id) else { throw DomainError.notFound(Noun.subject) }
        let body = HTTPBody([UInt8](data))
        switch file.contentType {
        case "image/jpeg": return .ok(.init(body: .jpeg(body)))
        case "image/png": return .ok(.init(body: .png(body)))
        case "image/webp": return .ok(.init(body: .imageWebp(body)))
        default: return .ok(.init(body: .pdf(body)))
        }
    }

    static func evidence(_ e: Evidence) throws -> Components.Schemas.Evidence {
        .init(id: e.id.uuidString, subjectKind: try convert(e.subjectKind), subjectId: e.subjectID.uuidString, kind: try convert(e.kind),
              contentType: try Components.Schemas.Evidence.ContentTypePayload(rawValue: e.contentType).orThrow(), size: e.size, digest: e.digest, caption: e.caption, signedBy: e.signedBy,
              uploadedByName: e.uploadedByName, uploadedAt: e.uploadedAt, contentPath: "/api/v1/evidence/\(e.id.uuidString)/content")
    }
}

extension Optional {
    /// The value, or an error saying the contract cannot carry it.
    func orThrow() throws -> Wrapped {
        guard let self else {
            throw DomainError.invalid(field: "contentType", Message(zh: "不支持的取值", en: "Unsupported value"))
        }
        return self
    }
}
