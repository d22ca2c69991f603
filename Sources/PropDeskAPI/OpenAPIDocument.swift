import Foundation

/// The contract of the JSON API, exactly as the generator read it: served at `/openapi.yaml`,
/// so the published document and the compiled types come from the same file.
public enum OpenAPIDocument {
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("openapi.yaml is missing from the PropDeskAPI bundle") }
        return text
    }()
}
