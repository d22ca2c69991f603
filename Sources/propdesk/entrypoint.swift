import Logging
import PropDeskWeb
import Vapor

/// make, configure, execute; on error shut down cleanly (vapor/template).
@main
enum Entrypoint {
    static func main() async throws {
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
