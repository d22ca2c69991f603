import NIOCore

extension EventLoop {
    /// Waits `seconds` on this event loop; ends early, silently, when the task is cancelled
    /// (shutdown). Every timed wait of the running server goes through here — the background loops
    /// (`Application.pause`) and the write queue's retries on a busy SQLite file — not through
    /// `Task.sleep`: Dispatch's timers, under `Task.sleep`, never fire in a process whose wall clock
    /// is shifted with `faketime` (the way a running server is tested with a clock hours or days
    /// ahead), while NIO's timers, counted on the monotonic clock, do (when only the wall clock is
    /// shifted: `FAKETIME_DONT_FAKE_MONOTONIC=1`; ServeProcessTests starts a server a day ahead).
    public func pause(seconds: Double) async {
        guard !Task.isCancelled else { return }
        let wait = scheduleTask(in: .nanoseconds(Int64(max(0, min(seconds, 86_400)) * 1e9))) {}
        await withTaskCancellationHandler {
            _ = try? await wait.futureResult.get()
        } onCancel: {
            wait.cancel()
        }
    }
}
