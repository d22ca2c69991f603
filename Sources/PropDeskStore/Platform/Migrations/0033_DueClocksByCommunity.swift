import Fluent
import FluentSQL
import SQLKit

/// The sweeper holds due clocks community by community (RUN-5): "this community's clocks due by
/// now, oldest first" is a range of this partial index, as "all clocks due by now" is of
/// `sla_clocks_due`. Only clocks that will still fire are in it (a few per open order), so it is
/// small whatever the number of orders.
struct DueClocksByCommunity: AsyncMigration {
    var name: String { "0033_DueClocksByCommunity" }

    func prepare(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            CREATE INDEX sla_clocks_due_by_community ON sla_clocks (community_id, next_fire_at) WHERE next_fire_at IS NOT NULL
            """).run()
    }

    func revert(on db: any Database) async throws {
        try await (db as! any SQLDatabase).drop(index: "sla_clocks_due_by_community").run()
    }
}
