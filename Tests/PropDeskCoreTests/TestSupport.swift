import XCTest
@testable import PropDeskCore

/// Evaluates `body`, which must throw a `DomainError`; returns it so a test can check the kind,
/// code and details. Records a failure (and returns nil) when nothing or something else is thrown.
func expectDomainError<T>(_ body: @autoclosure () throws -> T,
                          file: StaticString = #filePath, line: UInt = #line) -> DomainError? {
    do {
        _ = try body()
        XCTFail("expected a DomainError, but nothing was thrown", file: file, line: line)
    } catch let error as DomainError {
        return error
    } catch {
        XCTFail("expected a DomainError, got \(error)", file: file, line: line)
    }
    return nil
}
