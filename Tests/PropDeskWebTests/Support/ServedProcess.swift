import Foundation
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskWeb
#if canImport(Glibc)
import Glibc
#endif

/// The real `propdesk serve` process, as people run it (RUN-2): the binary this test run was built
/// with, on a database the test prepared, listening on a free loopback port. What a unit test
/// cannot see — background work owned by the running server, start-up, shutdown — shows here.
final class ServedProcess {
    let process = Process()
    let port: Int
    let logPath: String
    let base: String

    /// The `propdesk` executable beside the test bundle (`swift build --build-tests` builds both).
    static var binary: String {
        let here = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("propdesk").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/propdesk"
    }

    /// A free TCP port on 127.0.0.1, from the kernel.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Starts `propdesk serve` (with `arguments` after it) on `databaseURL` with the tests' data key
    /// and waits until `/livez` answers — at most `ready` seconds; `nil` returns at once.
    ///
    /// The port is free when asked, but another process may take it before the server binds it
    /// (the other pass's servers, or any outgoing connection's local port: both passes run side by
    /// side). A server that exits because its address is in use is started again on another port.
    static func start(databaseURL: String, arguments: [String] = [], dataDirectory: String? = nil, environment extra: [String: String] = [:],
                      ready: TimeInterval? = 60, client: any Client) async throws -> ServedProcess {
        var attempt = 1
        while true {
            do {
                return try await ServedProcess(port: freePort(), databaseURL: databaseURL, arguments: arguments, dataDirectory: dataDirectory,
                                               environment: extra, ready: ready, client: client)
            } catch let failure as Failure where failure.addressInUse && attempt < 3 {
                attempt += 1
            }
        }
    }

    private init(port: Int, databaseURL: String, arguments: [String], dataDirectory: String?, environment extra: [String: String],
                 ready: TimeInterval?, client: any Client) async throws {
        self.port = port
        base = "http://127.0.0.1:\(port)"
        let dir = dataDirectory ?? NSTemporaryDirectory() + "propdesk-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        logPath = dir + "/serve-\(port).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = databaseURL
        env["PROPDESK_DATA_DIR"] = dir
        env["PROPDESK_DATA_KEY"] = TestApp.key
        env["PROPDESK_BCRYPT_COST"] = "4"
        env["PROPDESK_PORT"] = String(port)
        env["LOG_LEVEL"] = "info"
        for (k, v) in extra { env[k] = v }
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve"] + arguments
        process.environment = env
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        guard let ready else { return }
        let deadline = Date().addingTimeInterval(ready)
        while Date() < deadline {
            if !process.isRunning { throw Failure("propdesk serve exited with \(process.terminationStatus):\n\(self.log)") }
            if let r = try? await client.get(URI(string: base + "/livez")), r.status == .ok { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        stop()
        throw Failure("propdesk serve did not answer /livez within \(Int(ready)) s:\n\(self.log)")
    }

    /// Sends raw bytes on a fresh connection and reads what comes back within `timeout` seconds —
    /// for requests no HTTP client would send (a 5 MB body announced and never sent).
    func raw(_ request: String, timeout: Int = 5) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out += buffer[0..<n]
            if let text = String(bytes: out, encoding: .utf8), let head = text.range(of: "\r\n\r\n"),
               let lengthLine = text[..<head.lowerBound].split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
               let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)),
               text.utf8.count - text[..<head.upperBound].utf8.count >= length { break }
        }
        return String(decoding: out, as: UTF8.self)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, as a service manager stops it; waits for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
        /// The server could not bind its port: taken by another process after it was found free.
        var addressInUse: Bool { description.contains("exited with") && description.contains("Address already in use") }
    }
}

/// The test database as a URL the `propdesk` binary understands: the PostgreSQL of this pass, or a
/// fresh SQLite file (the in-memory database of the other tests cannot be shared with a process).
enum ServedDatabase {
    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    /// The world built in-process on the database the server will use, and the app that built it
    /// (kept open to look at the database and to call the server with its HTTP client).
    static func world(now: @escaping @Sendable () -> Date = { Date() }) async throws -> (app: Application, world: World, url: String) {
        if let pg = postgresURL {
            let app = try await TestApp.make(now: now)
            do { return (app, try await World.build(app), pg) } catch { try? await app.asyncShutdown(); throw error }
        }
        let file = NSTemporaryDirectory() + "propdesk-served-\(UUID().uuidString).sqlite"
        let app = try await TestApp.make(now: now) { $0.database = .sqlite(path: file) }
        do { return (app, try await World.build(app), "sqlite://" + file) } catch { try? await app.asyncShutdown(); throw error }
    }
}
