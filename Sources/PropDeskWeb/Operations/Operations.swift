import Foundation
import Metrics
import Prometheus
import PropDeskAPI
import SQLKit
import Vapor

/// Health, metrics, the API contract and the stylesheet: routes that need no sign-in.
enum OperationalRoutes {
    /// Prometheus can be bootstrapped once per process; every app in it shares the registry.
    static let registry: PrometheusCollectorRegistry = {
        let r = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: r))
        return r
    }()

    static let publicPaths: Set<String> = ["/healthz", "/metrics", "/openapi.yaml", "/assets/app.css", "/login", "/logout", "/lang", "/api/v1/auth/token"]

    static func register(_ app: Application) throws {
        _ = registry
        app.get("healthz") { req async throws -> Response in
            // The database must answer, or the process is not healthy.
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1").all()
            let r = Response(status: .ok, body: .init(string: "ok\n"))
            r.headers.contentType = .plainText
            r.headers.cacheControl = .init(noStore: true)
            return r
        }
        app.get("metrics") { _ -> Response in
            var buffer = [UInt8]()
            registry.emit(into: &buffer)
            let r = Response(status: .ok, body: .init(data: Data(buffer)))
            r.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4")
            return r
        }
        app.get("openapi.yaml") { _ -> Response in
            let r = Response(status: .ok, body: .init(string: OpenAPIDocument.yaml))
            r.headers.replaceOrAdd(name: .contentType, value: "application/yaml; charset=utf-8")
            return r
        }
        let css = Assets.css
        app.get("assets", "app.css") { _ -> Response in
            let r = Response(status: .ok, body: .init(string: css))
            r.headers.replaceOrAdd(name: .contentType, value: "text/css; charset=utf-8")
            r.headers.cacheControl = .init(isPublic: true, maxAge: 3600)
            return r
        }
    }
}

enum Assets {
    static let css: String = {
        guard let url = Bundle.module.url(forResource: "Public/app", withExtension: "css") ?? Bundle.module.url(forResource: "app", withExtension: "css"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()
}
