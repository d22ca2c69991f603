import Foundation

/// Progress for long command-line work (RUN-6): counts, percent and an estimate of the time
/// left, on one line of standard error, at most a few times a second.
public final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastPrint = Date.distantPast
    private var lastLabel = ""

    public init() {}

    public func update(_ label: String, _ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let start = started[label] ?? now
        started[label] = start
        guard done >= total || now.timeIntervalSince(lastPrint) > 0.25 || label != lastLabel else { return }
        if label != lastLabel, !lastLabel.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
        lastPrint = now
        lastLabel = label
        let elapsed = now.timeIntervalSince(start)
        var line = "  \(label): \(done)/\(total)"
        if total > 0 { line += " (\(done * 100 / total)%)" }
        if done > 0, done < total, elapsed > 0.5 {
            line += String(format: ", about %.0f s left", elapsed / Double(done) * Double(total - done))
        }
        FileHandle.standardError.write(Data(("\r" + line + "   ").utf8))
    }

    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if !lastLabel.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
        lastLabel = ""
    }
}
