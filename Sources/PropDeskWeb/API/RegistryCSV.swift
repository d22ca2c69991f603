import Foundation
import PropDeskCore
import PropDeskStore

/// The export shared by the API and the command line; a clear-text export is audited.
enum RegistryCSV {
    /// Phones are in clear only for an exporter who may reveal them; otherwise masked.
    static func export(_ store: Store, community: UUID, revealIDNumbers: Bool, revealPhones: Bool, language: Language, by actor: Actor) async throws -> String {
        var text = RegistryExport.header(language) + "\r\n"
        try await store.exporter.export(community: community, revealIDNumbers: revealIDNumbers) { rows in
            for r in rows { text += RegistryExport.line(revealPhones ? r : r.withMaskedPhone) + "\r\n" }
        }
        try await store.audit.record(AuditEntry(communityID: community, actorID: actor.userID, actorName: actor.name, at: store.now(),
            entity: "registry", entityID: nil, action: .export, after: AuditEntry.snapshot(["idNumbersInClear": revealIDNumbers, "phonesInClear": revealPhones])))
        return text
    }
}
