import NIOCore
import PropDeskStore
import Vapor

extension Application {
    /// Waits `seconds` on one of the server's event loops (`EventLoop.pause`: NIO's timers, which
    /// fire under a shifted wall clock where `Task.sleep` never returns); ends early when the task
    /// is cancelled (shutdown).
    func pause(seconds: Double) async {
        await eventLoopGroup.any().pause(seconds: seconds)
    }
}
