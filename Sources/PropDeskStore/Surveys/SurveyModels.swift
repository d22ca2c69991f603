import Fluent
import Foundation
import PropDeskCore

final class SurveyModel: Model, @unchecked Sendable {
    static let schema = "surveys"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "title") var title: String
    @Field(key: "period") var period: String
    /// Area ids joined by ","; empty for the whole community.
    @Field(key: "area_ids") var areaIDs: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by_name") var createdByName: String
    @OptionalField(key: "opened_at") var openedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closed_by_name") var closedByName: String?
    /// The statistics as computed at closing (JSON of `SurveyStatistics`); nil until closed.
    @OptionalField(key: "statistics_json") var statisticsJSON: String?
    init() {}

    init(_ s: Survey) {
        id = s.id; communityID = s.communityID; title = s.title; period = s.period; areaIDs = s.areaIDs.map(\.uuidString).joined(separator: ",")
        status = s.status.rawValue; createdAt = s.createdAt; createdByName = s.createdByName; openedAt = s.openedAt; closedAt = s.closedAt; closedByName = s.closedByName
    }

    func domain(questions: [SurveyQuestion]) -> Survey {
        Survey(id: id!, communityID: communityID, title: title, period: period, areaIDs: areaIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) },
               questions: questions, status: SurveyStatus(rawValue: status) ?? .draft, createdAt: createdAt, createdByName: createdByName, openedAt: openedAt,
               closedAt: closedAt, closedByName: closedByName)
    }
}

final class SurveyQuestionModel: Model, @unchecked Sendable {
    static let schema = "survey_questions"
    @ID(key: .id) var id: UUID?
    @Field(key: "survey_id") var surveyID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "code") var code: String
    @Field(key: "kind") var kind: String
    @Field(key: "text") var text: String
    @Field(key: "options_json") var optionsJSON: String
    @Field(key: "required") var required: Bool
    init() {}

    init(survey: UUID, community: UUID, position: Int, _ q: SurveyQuestion) {
        id = UUID(); surveyID = survey; communityID = community; self.position = position; code = q.code; kind = q.kind.rawValue; text = q.text
        optionsJSON = String(decoding: (try? JSONEncoder().encode(q.options)) ?? Data("[]".utf8), as: UTF8.self); required = q.required
    }

    var domain: SurveyQuestion {
        SurveyQuestion(code: code, kind: SurveyQuestionKind(rawValue: kind) ?? .text, text: text,
                       options: (try? JSONDecoder().decode([String].self, from: Data(optionsJSON.utf8))) ?? [], required: required)
    }
}

final class SurveyResponseModel: Model, @unchecked Sendable {
    static let schema = "survey_responses"
    @ID(key: .id) var id: UUID?
    @Field(key: "survey_id") var surveyID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "area_id") var areaID: UUID?
    @Field(key: "channel") var channel: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "by_user_id") var byUserID: UUID?
    @Field(key: "by_name") var byName: String
    @Field(key: "at") var at: Date
    init() {}
}

final class SurveyAnswerModel: Model, @unchecked Sendable {
    static let schema = "survey_answers"
    @ID(key: .id) var id: UUID?
    @Field(key: "response_id") var responseID: UUID
    @Field(key: "survey_id") var surveyID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "code") var code: String
    @OptionalField(key: "choice") var choice: Int?
    @OptionalField(key: "text") var text: String?
    init() {}
}

extension SurveyModel: BackupTable {}
extension SurveyQuestionModel: BackupTable {}
extension SurveyResponseModel: BackupTable {}
extension SurveyAnswerModel: BackupTable {}
