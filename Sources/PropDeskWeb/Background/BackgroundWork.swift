import Crypto
import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The background service of `propdesk serve` (INT-6, INT-7, INT-18, RUN-2): fires due clocks,
/// sends queued webhook deliveries, prunes old live events. Due times live in the database, so a
/// restart loses nothing; every process may run it, and each firing still happens once.
final class BackgroundWork: Sendable {
    let app: Application
    let interval: Double

    init(app: Application, interval: Double) {
        self.app = app
        self.interval = interval
    }

    /// Starts the loop and hands it to the application: `app.asyncShutdown()` cancels it and
    /// waits for the round in progress to end, so a sweep is never cut off halfway.
    func startForApplicationLifetime() {
        app.lifecycle.use(Lifetime(task: start()))
    }

    struct Lifetime: LifecycleHandler {
        let task: Task<Void, Never>
        func shutdownAsync(_ application: Application) async {
            task.cancel()
            await task.value
        }
    }

    func start() -> Task<Void, Never> {
        Task {
            var lastPrune = Date.distantPast
            var lastPeriods = Date.distantPast
            while !Task.isCancelled {
                // Each duty's period for this month, with its deadline clock (PLT-1); a new month's
                // periods open within ten minutes of it starting.
                if Date().timeIntervalSince(lastPeriods) > 600 {
                    do { try await app.store.duties.openPeriods() } catch { app.logger.error("duties: \(String(reflecting: error))") }
                    lastPeriods = Date()
                }
                await tick()
                if Date().timeIntervalSince(lastPrune) > 3600 {
                    try? await app.store.orders.pruneLiveEvents(olderThan: app.propdesk.now().addingTimeInterval(-86400))
                    try? await app.store.accounts.pruneSignInAttempts(throttle: SignIn.throttle)
                    lastPrune = Date()
                }
                await app.pause(seconds: interval)
            }
        }
    }

    /// One round: clocks first, then the webhook outbox.
    func tick() async {
        do {
            var report = try await app.store.clocks.sweep()
            while report.fired >= 200 { report = try await app.store.clocks.sweep() }
            if report.fired > 0 {
                app.logger.info("sweeper: \(report.fired) clocks fired, \(report.alerts) alerts, \(report.closed) orders closed")
            }
        } catch {
            app.logger.error("sweeper: \(String(reflecting: error))")
        }
        await deliverWebhooks()
    }

    func deliverWebhooks() async {
        guard let url = app.propdesk.config.webhookURL, let secret = app.propdesk.config.webhookSecret else { return }
        do {
            let batch = try await app.store.orders.claimDeliveries(limit: 20, lease: 60)
            for d in batch {
                let (status, error) = await Webhook.send(d, to: url, secret: secret, client: app.client,
                                                         at: app.propdesk.now())
                try await app.store.orders.recordDelivery(d.id, status: status, error: error)
            }
        } catch {
            app.logger.error("webhook: \(String(reflecting: error))")
        }
    }
}

/// Signed JSON POSTs to the center's gateway. The receiver checks
/// `X-PropDesk-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` and rejects
/// old timestamps, so a captured request cannot be replayed later.
enum Webhook {
    static func signature(body: String, timestamp: Int, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Hex.lowercase(mac)
    }

    static func send(_ d: WorkOrderStore.Delivery, to url: URL, secret: String, client: any Client, at: Date) async -> (Int?, String?) {
        let timestamp = Int(at.timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "application/json; charset=utf-8")
        headers.add(name: .userAgent, value: "PropDesk-Webhook/1")
        headers.add(name: "X-PropDesk-Delivery", value: d.id.uuidString)
        headers.add(name: "X-PropDesk-Attempt", value: String(d.attempts + 1))
        headers.add(name: "X-PropDesk-Timestamp", value: String(timestamp))
        headers.add(name: "X-PropDesk-Signature", value: signature(body: d.payload, timestamp: timestamp, secret: secret))
        do {
            let response = try await client.post(URI(string: url.absoluteString), headers: headers) { req in
                req.body = ByteBuffer(string: d.payload)
            }
            let code = Int(response.status.code)
            return (code, (200..<300).contains(code) ? nil : "HTTP \(code)")
        } catch {
            return (nil, String(describing: error))
        }
    }
}
