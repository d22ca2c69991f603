import Fluent
import FluentSQL
import SQLKit

/// Satisfaction surveys (CR-2, S0 3.3): the questionnaire, one response per household and survey
/// (UNIQUE(survey_id, unit_id) — the database itself refuses a second answer from one unit), the
/// answers one row per chosen option, and the statistics frozen at closing.
struct CreateSurveys: AsyncMigration {
    var name: String { "0026_Surveys" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("surveys")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("title", .string, .required)
            .field("period", .string, .required)
            .field("area_ids", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by_name", .string, .required)
            .field("opened_at", .datetime)
            .field("closed_at", .datetime)
            .field("closed_by_name", .string)
            .field("statistics_json", .string)
            .create()
        try await sql.raw("CREATE INDEX surveys_community ON surveys (community_id, status, closed_at)").run()
        try await db.schema("survey_questions")
            .id()
            .field("survey_id", .uuid, .required, .references("surveys", "id"))
            .field("community_id", .uuid, .required)
            .field("position", .int, .required)
            .field("code", .string, .required)
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("options_json", .string, .required)
            .field("required", .bool, .required)
            .unique(on: "survey_id", "code")
            .create()
        try await db.schema("survey_responses")
            .id()
            .field("survey_id", .uuid, .required, .references("surveys", "id"))
            .field("community_id", .uuid, .required)
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("area_id", .uuid)
            .field("channel", .string, .required)
            .field("person_id", .uuid)
            .field("by_user_id", .uuid)
            .field("by_name", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "survey_id", "unit_id")
            .create()
        try await db.schema("survey_answers")
            .id()
            .field("response_id", .uuid, .required, .references("survey_responses", "id"))
            .field("survey_id", .uuid, .required)
            .field("community_id", .uuid, .required)
            .field("code", .string, .required)
            .field("choice", .int)
            .field("text", .string)
            .create()
        try await sql.raw("CREATE INDEX survey_answers_survey ON survey_answers (survey_id, response_id)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["survey_answers", "survey_responses", "survey_questions", "surveys"] { try await db.schema(t).delete() }
    }
}
