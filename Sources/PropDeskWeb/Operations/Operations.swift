import Foundation
import PropDeskCore
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

    static let publicPaths: Set<String> = ["/livez", "/healthz", "/metrics", "/openapi.yaml", "/assets/app.css", "/assets/app.js", "/prices/:cid", "/c/:cid/fee-schedule", "/login", "/logout", "/lang", "/api/v1/auth/token"]

    static func register(_ app: Application) throws {
        _ = registry
        // Liveness: the process answers, nothing else is asked — no database, no session. Also
        // the benchmarks' ceiling: the cheapest route this server binary can serve.
        app.get("livez") { _ -> Response in
            let r = Response(status: .ok, body: .init(string: "ok\n"))
            r.headers.contentType = .plainText
            return r
        }
        app.get("healthz") { req async throws -> Response in
            // The database must answer, or the process is not healthy.
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1").all()
            let r = Response(status: .ok, body: .init(string: "ok\n"))
            r.headers.contentType = .plainText
            r.headers.cacheControl = .init(noStore: true)
            return r
        }
        // Prometheus, with the configured token only: the figures say how busy the center is.
        app.get("metrics") { req -> Response in
            guard let token = req.application.propdesk.config.metricsToken else {
                throw DomainError(.notFound, code: "metrics_off", Message(zh: "未启用 /metrics(请设置 PROPDESK_METRICS_TOKEN)", en: "/metrics is off (set PROPDESK_METRICS_TOKEN)"))
            }
            guard let sent = req.headers.bearerAuthorization?.token, ConstantTime.equal(sent, token) else { throw DomainError.unauthenticated }
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
        for (name, text, type) in [("app.css", Assets.css, "text/css"), ("app.js", Assets.js, "text/javascript")] {
            app.get("assets", .constant(name)) { _ -> Response in
                let r = Response(status: .ok, body: .init(string: text))
                r.headers.replaceOrAdd(name: .contentType, value: "\(type); charset=utf-8")
                r.headers.cacheControl = .init(isPublic: true, maxAge: 300)
                return r
            }
        }
    }
}

/// The one stylesheet and the one script, hand-written and served by PropDesk itself.
enum Assets {
    static let css = load("app", "css")
    static let js = load("app", "js")

    static func load(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: "Public/\(name)", withExtension: ext) ?? Bundle.module.url(forResource: name, withExtension: ext),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }
}
