import Fluent
import SQLKit

/// The typeahead's terms are removed in two ways only: a unit's own terms (its room and building,
/// `person_id IS NULL`) when the unit changes, and a person's when the person changes. Each index
/// now holds only the rows it is read for (issue 19, storage): a tenth of the terms are a unit's
/// own, so the index by unit shrinks to a tenth (at a million orders, 100,000 units and 300,000
/// residents, ~80 MB less on SQLite). Both databases.
struct SearchTermIndexes: AsyncMigration {
    var name: String { "0032_SearchTermIndexes" }

    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.drop(index: "search_terms_unit").run()
            try await sql.drop(index: "search_terms_person").run()
            try await sql.raw("CREATE INDEX search_terms_unit ON search_terms (unit_id) WHERE person_id IS NULL").run()
            try await sql.raw("CREATE INDEX search_terms_person ON search_terms (person_id) WHERE person_id IS NOT NULL").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.drop(index: "search_terms_unit").run()
            try await sql.drop(index: "search_terms_person").run()
            try await sql.create(index: "search_terms_unit").on("search_terms").column("unit_id").run()
            try await sql.create(index: "search_terms_person").on("search_terms").column("person_id").run()
        }
    }
}
