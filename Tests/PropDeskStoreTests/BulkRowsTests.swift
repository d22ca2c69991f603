import FluentKit
import Foundation
import XCTest
@testable import PropDeskStore

/// RUN-6: the generator's direct rows name exactly the columns of the Fluent models, in order,
/// so generated data reads back through the models like any other.
final class BulkRowsTests: XCTestCase {
    func testBulkRowColumnsAreTheModelsColumns_RUN6() {
        XCTAssertEqual(BulkRows.orderColumns, WorkOrderModel.keys.map(\.description))
        XCTAssertEqual(BulkRows.clockColumns, SLAClockModel.keys.map(\.description))
        XCTAssertEqual(BulkRows.alertColumns, AlertModel.keys.map(\.description))
        XCTAssertEqual(BulkRows.termColumns, SearchTermModel.keys.map(\.description))
    }
}
