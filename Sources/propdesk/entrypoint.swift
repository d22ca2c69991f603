import Logging
import NIOCore
import NIOPosix
import PropDeskWeb
import Vapor

/// make, configure, execute; on error shut down cleanly (vapor/template).
@main
enum Entrypoint {
    static func main() async throws {
        // Swift's tasks run on SwiftNIO's event loops instead of a second pool of threads: a
        // request no longer wakes a thread to hop from the loop to a task and back at every
        // await. On this 2-core machine the hops were half the server's time on `/livez`
        // (kernel task switches) and a third on an intake (issue 19, P1 and P3). Blocking work
        // (bcrypt, SQLite) stays on the thread pools it already uses.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let config: AppConfig
        do {
            config = try AppConfig.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("propdesk: \(error)\n".utf8))
            exit(2)
        }
        let app = try await Application.make(env)
        do {
            try await configure(app, config)
            app.registerPropDeskCommands()
            try await app.execute()
        } catch {
            if let message = consoleMessage(for: error) { FileHandle.standardError.write(Data("propdesk: \(message)\n".utf8)) }
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
