import Foundation

/// Lock-out after repeated failed sign-ins (SEC-1): five failures within fifteen minutes lock
/// the account for fifteen minutes. A success clears the count.
public struct SignInThrottle: Sendable {
    public var maxFailures: Int
    public var window: TimeInterval
    public var lockDuration: TimeInterval

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60, lockDuration: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
        self.lockDuration = lockDuration
    }

    public struct State: Sendable, Equatable {
        public var failures: Int
        public var firstFailureAt: Date?
        public var lockedUntil: Date?
        public init(failures: Int = 0, firstFailureAt: Date? = nil, lockedUntil: Date? = nil) {
            self.failures = failures
            self.firstFailureAt = firstFailureAt
            self.lockedUntil = lockedUntil
        }
    }

    /// Throws `locked` while the account is locked.
    public func check(_ state: State, now: Date) throws {
        if let until = state.lockedUntil, until > now {
            throw DomainError.locked(minutes: max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up))))
        }
    }

    public func recordingFailure(_ state: State, now: Date) -> State {
        let lockOver = state.lockedUntil.map { $0 <= now } ?? false
        let windowOver = state.firstFailureAt.map { now.timeIntervalSince($0) > window } ?? true
        var s = (lockOver || windowOver) ? State(failures: 0, firstFailureAt: now) : state
        s.failures += 1
        if s.failures >= maxFailures { s.lockedUntil = now.addingTimeInterval(lockDuration) }
        return s
    }
}
