import Fluent
import FluentSQL
import SQLKit

/// Communities, areas, buildings, units, people and their links (REG-1, REG-2).
/// Only column types and constraints that SQLite and PostgreSQL both understand.
struct CreateRegistry: AsyncMigration {
    var name: String { "0001_CreateRegistry" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        // Typeahead ranges (term >= q AND term < q + U+10FFFF) need code-point order; PostgreSQL's
        // locale collations ignore punctuation, so the column is declared "C" there. SQLite's
        // default BINARY collation already is code-point order for UTF-8.
        let termType: DatabaseSchema.DataType = sql.dialect.name == "postgresql"
            ? .sql(unsafeRaw: "TEXT COLLATE \"C\"") : .string
        try await db.schema("communities")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("time_zone", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "code")
            .create()
        try await db.schema("areas")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("name", .string, .required)
            .unique(on: "community_id", "name")
            .create()
        try await db.schema("buildings")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid, .references("areas", "id"))
            .field("name", .string, .required)
            .field("floors", .int, .required)
            .unique(on: "community_id", "name")
            .create()
        try await db.schema("units")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("building_id", .uuid, .required, .references("buildings", "id"))
            .field("area_id", .uuid, .references("areas", "id"))
            .field("room_number", .string, .required)
            .field("floor", .int, .required)
            .field("kind", .string, .required)
            .field("floor_area_hundredths", .int, .required)
            .unique(on: "building_id", "room_number")
            .create()
        try await db.schema("people")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("phone", .string, .required)
            .field("id_type", .string)
            .field("id_number_sealed", .string)
            .field("id_number_masked", .string)
            .create()
        try await db.schema("occupancies")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("relation", .string, .required)
            .unique(on: "unit_id", "person_id")
            .create()
        try await db.schema("search_terms")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("area_id", .uuid)
            .field("term", termType, .required)
            .field("unit_id", .uuid, .required)
            .field("person_id", .uuid)
            .create()

        try await sql.create(index: "units_community_building").on("units").column("community_id").column("building_id").column("floor").column("room_number").run()
        try await sql.create(index: "units_community_area").on("units").column("community_id").column("area_id").run()
        try await sql.create(index: "people_community_name").on("people").column("community_id").column("name").run()
        try await sql.create(index: "occupancies_person").on("occupancies").column("person_id").run()
        try await sql.create(index: "occupancies_community_unit").on("occupancies").column("community_id").column("unit_id").run()
        try await sql.create(index: "buildings_community_area").on("buildings").column("community_id").column("area_id").run()
        // The typeahead: a prefix range on term inside one community.
        try await sql.create(index: "search_terms_lookup").on("search_terms").column("community_id").column("term").run()
        try await sql.create(index: "search_terms_unit").on("search_terms").column("unit_id").run()
        try await sql.create(index: "search_terms_person").on("search_terms").column("person_id").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["search_terms", "occupancies", "people", "units", "buildings", "areas", "communities"] {
            try await db.schema(table).delete()
        }
    }
}
