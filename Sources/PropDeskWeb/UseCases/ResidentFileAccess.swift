import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may open a resident file (REG-5, SEC-3): a role with `readResidentFiles` that reaches the
/// unit's community (and, for a supervisor, its area); its scanned documents and signatures are
/// shown only with `readResidentDocuments`, and every view of one is audited — through the page
/// and through the API alike. The file has no bulk export: documents leave one by one, each
/// view recorded (S4 4.16).
enum ResidentFileAccess {
    /// The unit's file, or "not found" outside the caller's reach.
    static func file(_ raw: String, _ req: Request) async throws -> ResidentFile {
        let detail = try await Scoped.unit(raw, .readResidentFiles, req)
        let (_, policy) = try req.requireStaff()
        var areas: Set<UUID>?
        if case .areas(let a) = policy.reach(detail.unit.communityID) { areas = a }
        guard let file = try await req.store.residentFile.file(unit: detail.unit.id, visibleAreas: areas) else { throw DomainError.notFound(Noun.unit) }
        return file
    }

    /// May the caller follow the links to the file's documents?
    static func mayReadDocuments(_ req: Request) -> Bool {
        guard let p = req.principal else { return false }
        return AccessPolicy(p).has(.readResidentDocuments)
    }

    /// Called once the caller may see the item's subject, before its bytes go out: a move-in's
    /// document needs `readResidentDocuments`; any resident-file document
    /// or signature is written to the audit trail (who, when, which document, which unit).
    /// Returns whether the item is such a document (its response must not be cached, so that
    /// every view reaches here).
    static func viewing(_ item: Evidence, _ req: Request) async throws -> Bool {
        guard ResidentFileStore.isFileDocument(item) else { return false }
        if ResidentFileStore.restrictedKinds.contains(item.subjectKind), !mayReadDocuments(req) { throw DomainError.forbidden }
        let unit = try await req.store.residentFile.unit(of: item.subjectKind, item.subjectID)
        try await req.store.residentFile.documentViewed(item, unit: unit, by: req.actor)
        return true
    }
}
