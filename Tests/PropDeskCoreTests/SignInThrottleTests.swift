import XCTest
@testable import PropDeskCore

final class SignInThrottleTests: XCTestCase {
    private static let start = Date(timeIntervalSince1970: 1_800_000_000)
    private let throttle = SignInThrottle()

    private func minute(_ m: Double) -> Date { Self.start.addingTimeInterval(m * 60) }

    private func failures(at minutes: [Double], from state: SignInThrottle.State = .init()) -> SignInThrottle.State {
        minutes.reduce(state) { throttle.recordingFailure($0, now: minute($1)) }
    }

    func testDefaultsAreFiveFailuresInFifteenMinutesLockingFifteenMinutes_SEC1() {
        XCTAssertEqual(throttle.maxFailures, 5)
        XCTAssertEqual(throttle.window, 15 * 60)
        XCTAssertEqual(throttle.lockDuration, 15 * 60)
    }

    func testFreshAccountIsNotLocked_SEC1() {
        XCTAssertNoThrow(try throttle.check(SignInThrottle.State(), now: minute(0)))
    }

    func testFourFailuresDoNotLock_SEC1() {
        let state = failures(at: [0, 1, 2, 3])
        XCTAssertEqual(state.failures, 4)
        XCTAssertNil(state.lockedUntil)
        XCTAssertNoThrow(try throttle.check(state, now: minute(3.5)))
    }

    func testFifthFailureWithinFifteenMinutesLocksForFifteenMinutes_SEC1() {
        let state = failures(at: [0, 1, 2, 3, 4])
        XCTAssertEqual(state.failures, 5)
        XCTAssertEqual(state.lockedUntil, minute(19))
        let error = expectDomainError(try throttle.check(state, now: minute(5)))
        XCTAssertEqual(error?.kind, .locked)
        XCTAssertEqual(error?.code, "account_locked")
        XCTAssertEqual(error, DomainError.locked(minutes: 14))
    }

    func testFifthFailureExactlyAtTheEndOfTheWindowStillLocks_SEC1() {
        let state = failures(at: [0, 1, 2, 3, 15])
        XCTAssertEqual(state.failures, 5)
        XCTAssertNotNil(expectDomainError(try throttle.check(state, now: minute(16))))
    }

    func testRemainingLockTimeIsRoundedUpToWholeMinutes_SEC1() {
        let state = SignInThrottle.State(failures: 5, firstFailureAt: minute(0), lockedUntil: minute(10))
        XCTAssertEqual(expectDomainError(try throttle.check(state, now: minute(0.5))), DomainError.locked(minutes: 10))
        XCTAssertEqual(expectDomainError(try throttle.check(state, now: minute(9.99))), DomainError.locked(minutes: 1))
    }

    func testLockEndsAfterLockDurationAndTheNextFailureCountsFromOne_SEC1() {
        let locked = failures(at: [0, 1, 2, 3, 4])
        let lockEnd = minute(4).addingTimeInterval(throttle.lockDuration)
        XCTAssertNoThrow(try throttle.check(locked, now: lockEnd))
        XCTAssertNoThrow(try throttle.check(locked, now: lockEnd.addingTimeInterval(1)))

        let next = throttle.recordingFailure(locked, now: lockEnd.addingTimeInterval(60))
        XCTAssertEqual(next.failures, 1)
        XCTAssertNil(next.lockedUntil)
        XCTAssertEqual(next.firstFailureAt, lockEnd.addingTimeInterval(60))
        XCTAssertNoThrow(try throttle.check(next, now: lockEnd.addingTimeInterval(61)))
    }

    func testFailuresSpreadBeyondTheWindowResetTheCount_SEC1() {
        let state = failures(at: [0, 5, 10, 14, 16])
        XCTAssertEqual(state.failures, 1)
        XCTAssertEqual(state.firstFailureAt, minute(16))
        XCTAssertNil(state.lockedUntil)
        XCTAssertNoThrow(try throttle.check(state, now: minute(16)))
    }

    func testCountAfterAResetLocksOnlyAtTheFifthFailureOfTheNewWindow_SEC1() {
        let state = failures(at: [0, 1, 20, 21, 22, 23])
        XCTAssertEqual(state.failures, 4)
        XCTAssertNil(state.lockedUntil)
        let locked = throttle.recordingFailure(state, now: minute(24))
        XCTAssertEqual(locked.lockedUntil, minute(39))
    }

    func testCustomLimitsAreHonoured_SEC1() {
        let strict = SignInThrottle(maxFailures: 3, window: 60, lockDuration: 300)
        var state = SignInThrottle.State()
        for second in [0.0, 10, 20] { state = strict.recordingFailure(state, now: Self.start.addingTimeInterval(second)) }
        XCTAssertEqual(state.lockedUntil, Self.start.addingTimeInterval(320))
        XCTAssertEqual(expectDomainError(try strict.check(state, now: Self.start.addingTimeInterval(30)))?.kind, .locked)
        XCTAssertNoThrow(try strict.check(state, now: Self.start.addingTimeInterval(320)))
    }
}
