import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Satisfaction surveys over JSON (CR-2, S0 3.3): questionnaires, opening and closing, the
/// statistics table (frozen at closing), paper forms and the resident's own answer — the same use
/// cases (`SurveyAccess`) and store as the pages.
extension APIHandler {
    static func surveyQuestion(_ q: SurveyQuestion) -> Components.Schemas.SurveyQuestion {
        .init(code: q.code, kind: .init(rawValue: q.kind.rawValue) ?? .text, text: q.text, options: q.options, required: q.required)
    }

    static func survey(_ s: Survey, counts: Components.Schemas.SurveyCounts?) -> Components.Schemas.Survey {
        .init(id: s.id.uuidString, communityId: s.communityID.uuidString, title: s.title, period: s.period, areaIds: s.areaIDs.map(\.uuidString),
              questions: s.questions.map(Self.surveyQuestion), status: .init(rawValue: s.status.rawValue) ?? .draft, createdAt: s.createdAt,
              createdBy: s.createdByName, openedAt: s.openedAt, closedAt: s.closedAt, closedBy: s.closedByName, counts: counts)
    }

    /// Households answered so far; for a caller limited to some areas, over those areas only.
    static func surveyCounts(_ s: Survey, areas: Set<UUID>?, _ req: Request) async throws -> Components.Schemas.SurveyCounts {
        var byArea: [UUID?: Int] = [:]
        var portal = 0, paper = 0
        if let areas {
            for r in try await req.store.surveys.responses(survey: s.id, areas: areas) {
                byArea[r.areaID, default: 0] += 1
                if r.channel == .portal { portal += 1 } else { paper += 1 }
            }
        } else {
            let c = try await req.store.surveys.counts(survey: s.id)
            (byArea, portal, paper) = (c.byArea, c.portal, c.paper)
        }
        let ordered = byArea.sorted { ($0.key?.uuidString ?? "~") < ($1.key?.uuidString ?? "~") }
        return .init(responded: byArea.values.reduce(0, +), portal: portal, paper: paper,
                     areas: ordered.map { .init(areaId: $0.key?.uuidString, responded: $0.value) })
    }

    static func surveyCell(_ c: SurveyStatistics.Cell) -> Components.Schemas.SurveyCell {
        .init(areaId: c.areaID?.uuidString, answered: c.answered, counts: c.counts, sharesPerMille: c.answered > 0 ? c.perMille.map { $0 ?? 0 } : nil,
              meanHundredths: c.meanHundredths, satisfiedPerMille: c.satisfiedPerMille)
    }

    static func surveyStatistics(_ s: Survey, _ stats: SurveyStatistics, _ cmp: SurveyComparison?) -> Components.Schemas.SurveyStatistics {
        .init(surveyId: s.id.uuidString, status: .init(rawValue: s.status.rawValue) ?? .draft, frozen: s.status == .closed, computedAt: stats.computedAt,
              households: stats.households, responded: stats.responded, ratePerMille: stats.ratePerMille,
              areas: stats.areas.map { .init(areaId: $0.areaID?.uuidString, households: $0.households, responded: $0.responded, ratePerMille: $0.ratePerMille) },
              questions: stats.questions.map { q in
                  .init(code: q.code, kind: .init(rawValue: q.kind.rawValue) ?? .text, text: q.text, options: q.options, all: surveyCell(q.all),
                        byArea: q.byArea.map(surveyCell), texts: q.texts)
              },
              comparison: cmp.map { c in
                  .init(previousId: c.previousID.uuidString, previousTitle: c.previousTitle, rateBeforePerMille: c.rateBefore, rateNowPerMille: c.rateNow,
                        rows: c.rows.map { r in
                            .init(code: r.code, text: r.text, meanBeforeHundredths: r.meanBefore, meanNowHundredths: r.meanNow, meanChangeHundredths: r.meanChange,
                                  satisfiedBeforePerMille: r.satisfiedBefore, satisfiedNowPerMille: r.satisfiedNow, satisfiedChangePerMille: r.satisfiedChange)
                        })
              })
    }

    static func surveyResponse(_ r: SurveyResponse) -> Components.Schemas.SurveyResponse {
        .init(id: r.id.uuidString, surveyId: r.surveyID.uuidString, unitId: r.unitID.uuidString, areaId: r.areaID?.uuidString,
              channel: .init(rawValue: r.channel.rawValue) ?? .paper, personId: r.personID?.uuidString, byName: r.byName, at: r.at,
              answers: r.answers.map { .init(code: $0.code, choices: $0.choices, text: $0.text) })
    }

    static func answering(_ b: Components.Schemas.SurveyAnswering) throws -> SurveyStore.Answering {
        SurveyStore.Answering(responseID: try Parse.uuid(b.responseId, field: "responseId"), unitID: try Parse.uuid(b.unitId, field: "unitId"),
                              answers: b.answers.map { SurveyAnswer(code: $0.code, choices: $0.choices ?? [], text: $0.text) })
    }

    func listSurveys(_ input: Operations.ListSurveys.Input) async throws -> Operations.ListSurveys.Output {
        let req = try RequestContext.current
        let (_, areas, surveys) = try await SurveyAccess.list(community: input.path.communityId, req)
        let status = input.query.status.flatMap { SurveyStatus(rawValue: $0.rawValue) }
        var out: [Components.Schemas.Survey] = []
        for s in surveys where status.map({ s.status == $0 }) ?? true {
            out.append(Self.survey(s, counts: try await Self.surveyCounts(s, areas: areas, req)))
        }
        return .ok(.init(body: .json(out)))
    }

    func createSurvey(_ input: Operations.CreateSurvey.Input) async throws -> Operations.CreateSurvey.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let questions = try b.questions.map { q in
            SurveyQuestion(code: q.code, kind: try convert(q.kind), text: q.text, options: q.options ?? [], required: q.required ?? true)
        }
        let draft = SurveyStore.Draft(id: try Parse.uuid(b.surveyId, field: "surveyId"), title: b.title, period: b.period,
                                      areaIDs: try (b.areaIds ?? []).map { try Parse.uuid($0, field: "areaIds") }, questions: questions)
        let s = try await SurveyAccess.create(community: input.path.communityId, draft, req)
        return .created(.init(body: .json(Self.survey(s, counts: try await Self.surveyCounts(s, areas: nil, req)))))
    }

    func getSurvey(_ input: Operations.GetSurvey.Input) async throws -> Operations.GetSurvey.Output {
        let req = try RequestContext.current
        let (s, areas) = try await SurveyAccess.survey(input.path.surveyId, .readCustomerRelations, req)
        return .ok(.init(body: .json(Self.survey(s, counts: try await Self.surveyCounts(s, areas: areas, req)))))
    }

    func openSurvey(_ input: Operations.OpenSurvey.Input) async throws -> Operations.OpenSurvey.Output {
        let req = try RequestContext.current
        let s = try await SurveyAccess.open(input.path.surveyId, req)
        return .ok(.init(body: .json(Self.survey(s, counts: try await Self.surveyCounts(s, areas: nil, req)))))
    }

    func closeSurvey(_ input: Operations.CloseSurvey.Input) async throws -> Operations.CloseSurvey.Output {
        let req = try RequestContext.current
        let s = try await SurveyAccess.close(input.path.surveyId, req)
        return .ok(.init(body: .json(Self.survey(s, counts: try await Self.surveyCounts(s, areas: nil, req)))))
    }

    func getSurveyStatistics(_ input: Operations.GetSurveyStatistics.Input) async throws -> Operations.GetSurveyStatistics.Output {
        let req = try RequestContext.current
        let (s, areas) = try await SurveyAccess.survey(input.path.surveyId, .readCustomerRelations, req)
        let (stats, cmp) = try await SurveyAccess.statistics(s, areas: areas, req)
        return .ok(.init(body: .json(Self.surveyStatistics(s, stats, cmp))))
    }

    func recordSurveyResponse(_ input: Operations.RecordSurveyResponse.Input) async throws -> Operations.RecordSurveyResponse.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = try await SurveyAccess.enterPaper(input.path.surveyId, try Self.answering(b), req)
        let body = Self.surveyResponse(r.response)
        return r.created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func listMySurveys(_ input: Operations.ListMySurveys.Input) async throws -> Operations.ListMySurveys.Output {
        let req = try RequestContext.current
        let open = try await SurveyAccess.residentOpen(req)
        let labels = try await req.store.registry.unitLabels(Set(open.flatMap { $0.1.map(\.unit) }))
        return .ok(.init(body: .json(open.map { s, units in
            .init(survey: Self.survey(s, counts: nil), units: units.map { .init(unitId: $0.unit.uuidString, label: labels[$0.unit] ?? "", answered: $0.answered) })
        })))
    }

    func answerMySurvey(_ input: Operations.AnswerMySurvey.Input) async throws -> Operations.AnswerMySurvey.Output {
        let req = try RequestContext.current
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let r = try await SurveyAccess.answerAsResident(input.path.surveyId, try Self.answering(b), req)
        let body = Self.surveyResponse(r.response)
        return r.created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }
}
