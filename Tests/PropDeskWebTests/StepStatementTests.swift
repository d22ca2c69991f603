import Foundation
import PropDeskCore
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

/// What one order step sends to the database (issue 19: the demo plays ~7,500 steps on the debug
/// build, and a desk's every click is one). A step reads the order once and where its timeline
/// ends once; the chain it seals after that end still verifies.
final class StepStatementTests: XCTestCase {
    private func timelineEndReads(_ statements: some Collection<String>) -> Int {
        statements.filter { $0.contains("FROM timeline_entries t") }.count
    }

    private func orderReads(_ statements: some Collection<String>) -> Int {
        statements.filter { s in
            s.trimmingCharacters(in: .whitespacesAndNewlines).uppercased().hasPrefix("SELECT") && s.contains("held_from") && s.contains("work_orders")
        }.count
    }

    /// The desk, the engineer and a fresh repair order at a unit of community A.
    private func anOrder(_ app: Application, _ world: World, _ text: String) async throws -> (desk: Actor, engineer: UserAccount, order: WorkOrder) {
        let desk = Actor(userID: world.accounts["a.desk"]!.id, name: "a.desk")
        let order = try await app.store.orders.create(OrderDraft(communityID: world.a.community.id, kind: .repair, channel: .hotline, unitID: world.a.units[2].id,
                                                                 description: text), by: desk).order
        return (desk, world.accounts["a.engineer"]!, order)
    }

    /// The step numbers its events from the chain's end and seals them after it: one read, not
    /// two (the number was read, then the end again to seal). Each entry still follows the one
    /// before, and `verify` finds nothing.
    func testPLT3_anOrderStepReadsItsTimelinesEndOnceAndTheChainStillVerifies() async throws {
        try await withLoggedWorld { app, world, log in
            let a = world.a
            let (desk, engineer, order) = try await anOrder(app, world, "卧室灯不亮")
            let created = try await app.store.timelines.entries(.workOrder, order.id).count
            let steps: [(OrderAction, Actor)] = [
                (.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), desk),
                (.accept, Actor(userID: engineer.id, name: engineer.displayName)),
                (.contact(note: "电话告知约 30 分钟到"), Actor(userID: engineer.id, name: engineer.displayName)),
            ]
            for (action, who) in steps {
                let before = log.statements.count
                try await app.store.orders.perform(action, on: order.id, community: a.community.id, by: who)
                let sent = log.statements.dropFirst(before)
                XCTAssertEqual(timelineEndReads(sent), 1, "\(action): \(sent.joined(separator: "\n"))")
                XCTAssertEqual(orderReads(sent), 1, "\(action): \(sent.joined(separator: "\n"))")
            }
            let entries = try await app.store.timelines.entries(.workOrder, order.id)
            XCTAssertGreaterThan(entries.count, created + 2)
            XCTAssertEqual(entries.map(\.seq), Array(1...entries.count))
            for (previous, next) in zip(entries, entries.dropFirst()) { XCTAssertEqual(next.prevHash, previous.hash) }
            let verified = try await app.store.timelines.verify()
            XCTAssertEqual(verified.findings.count, 0, "\(verified.findings)")
        }
    }

    /// The demo decides a step from the order as it stands ("whoever holds it", a return visit
    /// only when one is due) inside the step, under the order's lock: the order is read once, and
    /// no step chosen writes nothing.
    func testRUN3_aStepDecidedFromTheOrderReadsItOnceAndNoneChosenWritesNothing() async throws {
        try await withLoggedWorld { app, world, log in
            let a = world.a
            let (desk, engineer, order) = try await anOrder(app, world, "客厅插座没电")
            let entries = try await app.store.timelines.entries(.workOrder, order.id).count

            var before = log.statements.count
            let none = try await app.store.orders.perform(on: order.id, community: a.community.id, deciding: { _ in nil })
            XCTAssertNil(none)
            let idle = log.statements.dropFirst(before)
            XCTAssertEqual(orderReads(idle), 1)
            XCTAssertFalse(idle.contains { s in ["INSERT", "UPDATE", "DELETE"].contains { s.uppercased().contains($0 + " ") } }, idle.joined(separator: "\n"))
            let untouched = try await app.store.timelines.entries(.workOrder, order.id).count
            XCTAssertEqual(untouched, entries)

            before = log.statements.count
            let dispatched = try await app.store.orders.perform(on: order.id, community: a.community.id, deciding: { o in
                o.assigneeID == nil ? (.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), desk) : nil
            })
            let step = try XCTUnwrap(dispatched)
            XCTAssertNil(step.before.assigneeID)
            XCTAssertEqual(step.after.assigneeID, engineer.id)
            XCTAssertEqual(orderReads(log.statements.dropFirst(before)), 1)
            let stored = try await app.store.orders.order(order.id)
            XCTAssertEqual(stored?.assigneeID, engineer.id)

            // Decided again from the order as it now stands: nobody dispatches it twice.
            let again = try await app.store.orders.perform(on: order.id, community: a.community.id, deciding: { o in
                o.assigneeID == nil ? (.dispatch(Assignee(id: engineer.id, name: engineer.displayName)), desk) : nil
            })
            XCTAssertNil(again)

            // An order of another community is not found, whatever is decided.
            let other = world.b.community.id
            let refused = await refusal(try await app.store.orders.perform(on: order.id, community: other, deciding: { _ in (.accept, desk) }))
            XCTAssertEqual(refused?.kind, .notFound)
        }
    }
}
