import Foundation
import NIOCore
import PropDeskCore
import PropDeskStore
import Vapor

/// Which live events one open page may receive: the same scope rules as the API (SEC-2).
struct LiveFilter: Sendable {
    let principal: Principal
    let community: UUID?

    func admits(_ e: WorkOrderStore.LiveEvent) -> Bool {
        if let community, e.communityID != community { return false }
        if principal.role == .resident { return e.unitID.map(principal.unitIDs.contains) ?? false }
        let policy = AccessPolicy(principal)
        guard policy.has(.readOrders) else { return false }
        return policy.canSee(community: e.communityID, area: e.areaID)
    }
}

struct LiveHubKey: StorageKey { typealias Value = LiveHub }

extension Application {
    var liveHub: LiveHub {
        guard let hub = storage[LiveHubKey.self] else { fatalError("configure(_:) has not run") }
        return hub
    }
}

/// Pushes live events to open pages as server-sent events (INT-7). Every change is written to
/// the `live_events` table in the transaction that made it; each app process reads that table
/// while someone is listening, so a page connected to any process sees changes made by any
/// other (RUN-2). Reading costs one indexed query per tick, in proportion to what is new; a
/// `LiveCursor` makes sure an event whose transaction commits after a newer one is not lost.
actor LiveHub {
    private let app: Application
    private var subscribers: [UUID: (LiveFilter, AsyncStream<ArraySlice<UInt8>>.Continuation)] = [:]
    private var cursor: LiveCursor?
    private var polling: Task<Void, Never>?
    /// Seconds between reads of the event table.
    let interval: Double

    init(app: Application, interval: Double = 0.3) {
        self.app = app
        self.interval = interval
    }

    nonisolated func subscribe(_ filter: LiveFilter, for duration: Duration) -> AsyncStream<ArraySlice<UInt8>> {
        let (stream, continuation) = AsyncStream.makeStream(of: ArraySlice<UInt8>.self, bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        continuation.yield(ArraySlice(Array("retry: 3000\n: connected\n\n".utf8)))
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        Task {
            await self.add(id, filter, continuation)
            let (seconds, attoseconds) = duration.components
            await self.app.pause(seconds: Double(seconds) + Double(attoseconds) / 1e18)
            continuation.finish()
        }
        return stream
    }

    private func add(_ id: UUID, _ filter: LiveFilter, _ c: AsyncStream<ArraySlice<UInt8>>.Continuation) async {
        if cursor == nil { cursor = LiveCursor(last: (try? await app.store.orders.lastLiveEventID()) ?? 0) }
        subscribers[id] = (filter, c)
        if polling == nil {
            polling = Task { await self.poll() }
        }
    }

    private func remove(_ id: UUID) {
        subscribers[id] = nil
    }

    var listeners: Int { subscribers.count }

    private func poll() async {
        var idle = 0.0
        while !subscribers.isEmpty && !Task.isCancelled {
            do {
                var reader = cursor ?? LiveCursor(last: 0)
                let events = try await app.store.orders.liveEvents(after: reader)
                // A transaction that committed late is delivered when it shows, not skipped.
                let deliver = Set(reader.take(events.map(\.id), at: Date()))
                cursor = reader
                for e in events where deliver.contains(e.id) {
                    let frame = ArraySlice(Array("id: \(e.id)\nevent: \(e.kind)\ndata: \(e.payload)\n\n".utf8))
                    for (filter, c) in subscribers.values where filter.admits(e) { c.yield(frame) }
                }
                idle = events.isEmpty ? idle + interval : 0
                if idle >= 15 {
                    // A comment line keeps proxies from closing a quiet stream.
                    for (_, c) in subscribers.values { c.yield(ArraySlice(Array(": ping\n\n".utf8))) }
                    idle = 0
                }
            } catch {
                app.logger.warning("live events: \(error)")
            }
            await app.pause(seconds: interval)
        }
        polling = nil
    }
}
