import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Satisfaction surveys (CR-2, S0 3.3): questionnaires, their answers (one per household), the
/// statistics table — live while open, frozen at closing — and the comparison with the previous
/// closed survey. The caller has decided that the actor may do this in this community (areas).
public struct SurveyStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// A questionnaire as the CS manager drafts it. `id` is made when the form is drawn, so a form
    /// sent twice creates one survey.
    public struct Draft: Sendable {
        public var id: UUID
        public var title: String
        public var period: String
        /// Empty: the whole community.
        public var areaIDs: [UUID]
        public var questions: [SurveyQuestion]

        public init(id: UUID, title: String, period: String, areaIDs: [UUID], questions: [SurveyQuestion]) {
            self.id = id
            self.title = title
            self.period = period
            self.areaIDs = areaIDs
            self.questions = questions
        }
    }

    /// Who fills the form in: a resident on the portal (their person record), or staff entering a
    /// paper form (their name is kept on the response).
    public enum Respondent: Sendable {
        case resident(personID: UUID?, userID: UUID, name: String)
        case paper(Actor)
    }

    /// One household's form. `responseID` is made when the form is drawn: resent, it is stored once.
    public struct Answering: Sendable {
        public var responseID: UUID
        public var unitID: UUID
        public var answers: [SurveyAnswer]

        public init(responseID: UUID, unitID: UUID, answers: [SurveyAnswer]) {
            self.responseID = responseID
            self.unitID = unitID
            self.answers = answers
        }
    }

    public struct Recorded: Sendable {
        public let response: SurveyResponse
        /// false: this very form was stored before and is handed back unchanged.
        public let created: Bool
    }

    // MARK: Questionnaires

    /// Drafts a survey. Areas must be the community's; the questions are checked (codes unique).
    public func create(_ d: Draft, community: UUID, by actor: Actor) async throws -> Survey {
        let title = try Validate.text(d.title, field: "title", max: 100, required: true)
        let period = try Survey.checkPeriod(d.period)
        let questions = try SurveyQuestion.check(d.questions)
        let known = Set(try await AreaModel.query(on: db).filter(\.$communityID == community).all().compactMap(\.id))
        let areas = Array(Set(d.areaIDs)).sorted { $0.uuidString < $1.uuidString }
        guard areas.allSatisfy(known.contains) else { throw DomainError.notFound(Noun.area) }
        if let first = try await survey(d.id) {
            guard first.communityID == community else { throw Self.idReused }
            return first
        }
        let survey = Survey(id: d.id, communityID: community, title: title, period: period, areaIDs: areas, questions: questions, createdAt: now(),
                            createdByName: actor.name)
        do {
            try await db.writeTransaction { tx in
                try await SurveyModel(survey).create(on: tx)
                for (i, q) in questions.enumerated() { try await SurveyQuestionModel(survey: survey.id, community: community, position: i, q).create(on: tx) }
                try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .survey, subjectID: survey.id, communityID: community, seq: 0, kind: "drafted",
                                                                      actorID: actor.userID, actorName: actor.name, at: survey.createdAt, note: nil,
                                                                      toState: SurveyStatus.draft.rawValue,
                                                                      data: ["title": title, "period": period, "questions": "\(questions.count)"])])
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await self.survey(d.id), first.communityID == community { return first }
            throw error
        }
        return survey
    }

    static let idReused = DomainError.conflict(code: "form_id_reused", Message(zh: "此表单编号已被使用", en: "This form's id was already used"))

    public func survey(_ id: UUID) async throws -> Survey? {
        guard let m = try await SurveyModel.find(id, on: db) else { return nil }
        return m.domain(questions: try await questions(of: id))
    }

    func questions(of survey: UUID) async throws -> [SurveyQuestion] {
        try await SurveyQuestionModel.query(on: db).filter(\.$surveyID == survey).sort(\.$position).all().map(\.domain)
    }

    /// A community's surveys, newest first.
    public func surveys(community: UUID, status: SurveyStatus? = nil, limit: Int = 200) async throws -> [Survey] {
        let q = SurveyModel.query(on: db).filter(\.$communityID == community)
        if let status { q.filter(\.$status == status.rawValue) }
        let models = try await q.sort(\.$createdAt, .descending).limit(max(1, min(limit, 500))).all()
        let ids = models.compactMap(\.id)
        let qs = Dictionary(grouping: try await SurveyQuestionModel.query(on: db).filter(\.$surveyID ~~ ids).sort(\.$position).all(), by: \.surveyID)
        return models.map { $0.domain(questions: (qs[$0.id!] ?? []).map(\.domain)) }
    }

    /// draft → open: residents and staff may answer from now on. Opening an open survey changes nothing.
    public func open(_ id: UUID, by actor: Actor) async throws -> Survey {
        guard let s = try await survey(id) else { throw DomainError.notFound(Noun.survey) }
        switch s.status {
        case .open: return s
        case .closed: throw Self.closedError
        case .draft: break
        }
        let at = now()
        try await db.writeTransaction { tx in
            let moved = try await (tx as! any SQLDatabase).raw("""
                UPDATE surveys SET status = 'open', opened_at = \(bind: at) WHERE id = \(bind: id) AND status = 'draft' RETURNING id
                """).first()
            guard moved != nil else { return }
            try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .survey, subjectID: id, communityID: s.communityID, seq: 0, kind: "opened",
                                                                  actorID: actor.userID, actorName: actor.name, at: at, note: nil, fromState: "draft",
                                                                  toState: "open", data: [:])])
        }
        return try await survey(id) ?? s
    }

    static let closedError = DomainError.conflict(code: "survey_closed", Message(zh: "调查已结束,不再接受答卷,结果已归档", en: "The survey is closed: no more answers, its results are archived"))
    static let notOpenError = DomainError.conflict(code: "survey_not_open", Message(zh: "调查尚未开始", en: "The survey is not open yet"))

    /// open → closed: the statistics are computed once, from the answers as they stand, and stored
    /// with the survey (调查统计表建档保存, S0 3.3); from now on that copy is what is served, and no
    /// answer is accepted. Closing a closed survey changes nothing.
    public func close(_ id: UUID, by actor: Actor) async throws -> Survey {
        guard let s = try await survey(id) else { throw DomainError.notFound(Noun.survey) }
        switch s.status {
        case .closed: return s
        case .draft: throw Self.notOpenError
        case .open: break
        }
        let at = now()
        let now = self.now
        try await db.writeTransaction { tx in
            // The status changes first: an answer racing the close either committed before (and
            // is counted below) or finds the survey closed.
            let moved = try await (tx as! any SQLDatabase).raw("""
                UPDATE surveys SET status = 'closed', closed_at = \(bind: at), closed_by_name = \(bind: actor.name)
                WHERE id = \(bind: id) AND status = 'open' RETURNING id
                """).first()
            guard moved != nil else { return }
            let inside = SurveyStore(db: tx, now: now)
            let stats = try await inside.compute(s, at: at)
            let json = String(decoding: try Self.encoder.encode(stats), as: UTF8.self)
            try await (tx as! any SQLDatabase).raw("UPDATE surveys SET statistics_json = \(bind: json) WHERE id = \(bind: id)").run()
            try await TimelineStore(db: tx).append([TimelineEntry(
                subjectKind: .survey, subjectID: id, communityID: s.communityID, seq: 0, kind: "closed", actorID: actor.userID, actorName: actor.name, at: at,
                note: nil, fromState: "open", toState: "closed",
                data: ["responded": "\(stats.responded)", "households": "\(stats.households)", "rate": SurveyStatistics.percent(stats.ratePerMille)])])
        }
        return try await survey(id) ?? s
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    // MARK: Answers

    /// Stores one household's answers. The unit must be the community's, asked by the survey, and
    /// (for staff limited to some areas) in `areas`. One response per unit: a second form of the
    /// same household — another resident, the portal after paper — is refused
    /// ("already_answered"); the same form resent (the same `responseID`, even in parallel) is
    /// handed back unchanged. Only households answer: not a parking space (422).
    public func answer(_ input: Answering, survey id: UUID, as respondent: Respondent, areas: Set<UUID>? = nil) async throws -> Recorded {
        guard let s = try await survey(id) else { throw DomainError.notFound(Noun.survey) }
        guard let unit = try await UnitModel.find(input.unitID, on: db), unit.communityID == s.communityID,
              areas.map({ mine in unit.areaID.map(mine.contains) ?? false }) ?? true else { throw DomainError.notFound(Noun.unit) }
        if let first = try await response(input.responseID) { return try Self.replay(first, input, survey: id) }
        switch s.status {
        case .draft: throw Self.notOpenError
        case .closed: throw Self.closedError
        case .open: break
        }
        // Only households answer: the units `households(_:)` counts (not a parking space, in an
        // area), so the statistics' whole stays the sum of its areas (CR-2, S0 3.3).
        guard unit.kind != UnitKind.parking.rawValue, unit.areaID != nil else {
            throw DomainError.invalid(field: "unitId", Message(zh: "车位等非住户房屋不参加满意度调查,请选择住户房屋",
                                                               en: "Only households answer the survey: a parking space or a unit outside every area cannot"))
        }
        guard s.covers(area: unit.areaID) else {
            throw DomainError.invalid(field: "unitId", Message(zh: "此房屋不在本次调查范围内", en: "This unit is not among the households asked"))
        }
        let answers = try s.check(input.answers)
        if try await response(survey: id, unit: input.unitID, community: s.communityID) != nil {
            // The same form resent while its first copy was being stored is that copy, not a second answer.
            if let first = try await response(input.responseID) { return try Self.replay(first, input, survey: id) }
            throw Self.answeredError
        }
        let response: SurveyResponse
        switch respondent {
        case .resident(let person, let user, let name):
            response = SurveyResponse(id: input.responseID, surveyID: id, communityID: s.communityID, unitID: input.unitID, areaID: unit.areaID, channel: .portal,
                                      personID: person, byName: name, byUserID: user, at: now(), answers: answers)
        case .paper(let actor):
            response = SurveyResponse(id: input.responseID, surveyID: id, communityID: s.communityID, unitID: input.unitID, areaID: unit.areaID, channel: .paper,
                                      personID: nil, byName: actor.name, byUserID: actor.userID, at: now(), answers: answers)
        }
        do {
            let stillOpen = try await db.writeTransaction { tx -> Bool in
                // Takes the survey's row (a close waits, or has already won): answers after the
                // close never reach the table.
                let open = try await (tx as! any SQLDatabase).raw("UPDATE surveys SET status = status WHERE id = \(bind: id) AND status = 'open' RETURNING id").first()
                guard open != nil else { return false }
                try await Self.insert([response], on: tx)
                return true
            }
            guard stillOpen else { throw Self.closedError }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await self.response(input.responseID) { return try Self.replay(first, input, survey: id) }
            throw Self.answeredError
        }
        return Recorded(response: response, created: true)
    }

    static let answeredError = DomainError.conflict(code: "already_answered", Message(zh: "这户已经填写过本次调查,每户只能填写一次",
                                                                                      en: "This household has already answered this survey; one answer per household"))

    static func replay(_ first: SurveyResponse, _ input: Answering, survey: UUID) throws -> Recorded {
        guard first.surveyID == survey, first.unitID == input.unitID else { throw idReused }
        return Recorded(response: first, created: false)
    }

    static let responseColumns = ["id", "survey_id", "community_id", "unit_id", "area_id", "channel", "person_id", "by_user_id", "by_name", "at"]
    static let answerColumns = ["id", "response_id", "survey_id", "community_id", "code", "choice", "text"]

    /// Writes responses and their answers in multi-row inserts (the demo writes hundreds at once).
    static func insert(_ responses: [SurveyResponse], on db: any Database) async throws {
        var rows: [BulkRows.Row] = []
        var answers: [BulkRows.Row] = []
        for r in responses {
            rows.append([r.id, r.surveyID, r.communityID, r.unitID, r.areaID, r.channel.rawValue, r.personID, r.byUserID, r.byName, r.at])
            for a in r.answers {
                if let t = a.text, !t.isEmpty { answers.append([UUID(), r.id, r.surveyID, r.communityID, a.code, Int?.none, t]) }
                for c in a.choices { answers.append([UUID(), r.id, r.surveyID, r.communityID, a.code, c, String?.none]) }
            }
        }
        try await BulkRows.insert(SurveyResponseModel.schema, responseColumns, rows, on: db)
        try await BulkRows.insert(SurveyAnswerModel.schema, answerColumns, answers, on: db)
    }

    public func response(_ id: UUID) async throws -> SurveyResponse? {
        guard let m = try await SurveyResponseModel.find(id, on: db) else { return nil }
        return try await assemble([m]).first
    }

    /// The household's response to a survey, if it answered.
    public func response(survey: UUID, unit: UUID, community: UUID) async throws -> SurveyResponse? {
        guard let m = try await SurveyResponseModel.query(on: db).filter(\.$surveyID == survey).filter(\.$unitID == unit)
            .filterCommunityBesideANarrowerKey(community).first() else { return nil }
        return try await assemble([m]).first
    }

    /// Every response of a survey (some areas), newest first, with answers.
    public func responses(survey: UUID, areas: Set<UUID>? = nil) async throws -> [SurveyResponse] {
        let q = SurveyResponseModel.query(on: db).filter(\.$surveyID == survey)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        return try await assemble(try await q.sort(\.$at, .descending).all())
    }

    func assemble(_ models: [SurveyResponseModel]) async throws -> [SurveyResponse] {
        guard let survey = models.first?.surveyID else { return [] }
        let ids = Set(models.compactMap(\.id))
        // All of one survey's answers in one indexed read (a survey's responses are a few hundred).
        let rows = try await sql.raw("SELECT response_id, code, choice, text FROM survey_answers WHERE survey_id = \(bind: survey)").all()
        var byResponse: [UUID: [String: SurveyAnswer]] = [:]
        var order: [UUID: [String]] = [:]
        for r in rows {
            let rid = try r.decode(column: "response_id", as: UUID.self)
            guard ids.contains(rid) else { continue }
            let code = try r.decode(column: "code", as: String.self)
            var a = byResponse[rid]?[code] ?? SurveyAnswer(code: code)
            if a.choices.isEmpty && a.text == nil { order[rid, default: []].append(code) }
            if let c = try r.decode(column: "choice", as: Int?.self) { a.choices.append(c) }
            if let t = try r.decode(column: "text", as: String?.self) { a.text = t }
            byResponse[rid, default: [:]][code] = a
        }
        return models.map { m in
            let id = m.id!
            let answers = (order[id] ?? []).compactMap { byResponse[id]?[$0] }.map { a in var a = a; a.choices.sort(); return a }
            return SurveyResponse(id: id, surveyID: m.surveyID, communityID: m.communityID, unitID: m.unitID, areaID: m.areaID,
                                  channel: SurveyChannel(rawValue: m.channel) ?? .paper, personID: m.personID, byName: m.byName, byUserID: m.byUserID, at: m.at,
                                  answers: answers)
        }
    }

    // MARK: Statistics

    /// Households asked per area: the registry's non-parking units of the survey's areas (or of
    /// every area of the community).
    public func households(_ s: Survey) async throws -> [UUID: Int] {
        let all = try await AssignmentStore(db: db, now: now).households(community: s.communityID)
        var out: [UUID: Int] = [:]
        let known = try await AreaModel.query(on: db).filter(\.$communityID == s.communityID).all().compactMap(\.id)
        for a in known where s.covers(area: a) { out[a] = all[a] ?? 0 }
        return out
    }

    func compute(_ s: Survey, at: Date) async throws -> SurveyStatistics {
        SurveyStatistics.compute(s, responses: try await responses(survey: s.id), households: try await households(s), at: at)
    }

    /// The statistics table: for a closed survey the copy frozen at closing (later rows, if any
    /// reached the table, change nothing); while open, computed now.
    public func statistics(_ s: Survey) async throws -> SurveyStatistics {
        if s.status == .closed, let frozen = try await frozen(s.id) { return frozen }
        return try await compute(s, at: now())
    }

    func frozen(_ id: UUID) async throws -> SurveyStatistics? {
        guard let json = try await sql.raw("SELECT statistics_json FROM surveys WHERE id = \(bind: id)").first()?.decode(column: "statistics_json", as: String?.self)
        else { return nil }
        return try Self.decoder.decode(SurveyStatistics.self, from: Data(json.utf8))
    }

    /// Live counts while open: households answered per area (nil: no area) and by channel.
    public func counts(survey: UUID) async throws -> (byArea: [UUID?: Int], portal: Int, paper: Int) {
        var byArea: [UUID?: Int] = [:]
        var portal = 0, paper = 0
        for r in try await sql.raw("SELECT area_id, channel, COUNT(*) AS n FROM survey_responses WHERE survey_id = \(bind: survey) GROUP BY area_id, channel").all() {
            let n = try r.decode(column: "n", as: Int.self)
            byArea[try r.decode(column: "area_id", as: UUID?.self), default: 0] += n
            if try r.decode(column: "channel", as: String.self) == SurveyChannel.portal.rawValue { portal += n } else { paper += n }
        }
        return (byArea, portal, paper)
    }

    /// The closed survey of the same community closed last before this one (or before now, for an
    /// open one).
    public func previous(_ s: Survey) async throws -> Survey? {
        let q = SurveyModel.query(on: db).filter(\.$communityID == s.communityID).filter(\.$status == SurveyStatus.closed.rawValue).filter(\.$id != s.id)
        if let closed = s.closedAt { q.filter(\.$closedAt < closed) }
        guard let m = try await q.sort(\.$closedAt, .descending).first() else { return nil }
        return m.domain(questions: try await questions(of: m.id!))
    }

    /// This survey against the previous closed one (nil when there is none).
    public func comparison(_ s: Survey, statistics now: SurveyStatistics, visibleAreas: Set<UUID>? = nil) async throws -> SurveyComparison? {
        guard let p = try await previous(s) else { return nil }
        var before = try await statistics(p)
        if let visibleAreas { before = before.restricted(to: visibleAreas) }
        return SurveyComparison.compare(now: now, before: before, previous: p)
    }

    /// Units of some areas a paper form may be entered for, with their labels, those that have not
    /// answered yet first.
    public func units(_ s: Survey, areas: Set<UUID>?) async throws -> [(id: UUID, label: String, answered: Bool)] {
        let q = UnitModel.query(on: db).filter(\.$communityID == s.communityID).filter(\.$kind != UnitKind.parking.rawValue)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        let units = try await q.limit(20_000).all().filter { s.covers(area: $0.areaID) }
        let ids = Set(units.compactMap(\.id))
        let labels = try await RegistryStore.unitLabels(ids, on: db)
        let answered = Set(try await sql.raw("SELECT unit_id FROM survey_responses WHERE survey_id = \(bind: s.id)").all().map { try $0.decode(column: "unit_id", as: UUID.self) })
        return ids.map { ($0, labels[$0] ?? "", answered.contains($0)) }.sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
    }
}
