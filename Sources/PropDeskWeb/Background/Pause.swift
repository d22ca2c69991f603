import NIOCore
import Vapor

extension Application {
    /// Waits `seconds` on one of the server's event loops; ends early, silently, when the task is
    /// cancelled (shutdown). The background loops wait with this, not `Task.sleep`: Dispatch's
    /// timers, under `Task.sleep`, never fire in a process whose wall clock is shifted with
    /// `faketime` (the way a running server is tested with a clock hours or days ahead), while
    /// NIO's timers, counted on the monotonic clock, do (when only the wall clock is shifted:
    /// `FAKETIME_DONT_FAKE_MONOTONIC=1`; ServeProcessTests starts a server a day ahead).
    func pause(seconds: Double) async {
        guard !Task.isCancelled else { return }
        let wait = eventLoopGroup.any().scheduleTask(in: .nanoseconds(Int64(max(0, seconds) * 1e9))) {}
        await withTaskCancellationHandler {
            _ = try? await wait.futureResult.get()
        } onCancel: {
            wait.cancel()
        }
    }
}
