import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and act on satisfaction surveys (CR-2, SEC-2) — the one path for the API and the
/// pages. The CS manager and the head draft, open and close; the desk and area supervisors enter
/// paper forms (a supervisor only for units of their areas); everyone with
/// `readCustomerRelations` reads — an area supervisor only surveys that ask their areas, and only
/// their areas' columns of the statistics. A resident answers for their own household only. A
/// survey of another community is "not found".
enum SurveyAccess {
    /// A survey the staff caller may see, with `permission`; and the areas they are limited to.
    static func survey(_ raw: String, _ permission: Permission, _ req: Request, community: String? = nil) async throws -> (Survey, Set<UUID>?) {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let s = try await req.store.surveys.survey(id),
              community.map({ $0.lowercased() == s.communityID.uuidString.lowercased() }) ?? true else { throw DomainError.notFound(Noun.survey) }
        switch policy.reach(s.communityID) {
        case .none: throw DomainError.notFound(Noun.survey)
        case .whole: return (s, nil)
        case .areas(let mine):
            guard s.areaIDs.isEmpty || !mine.isDisjoint(with: s.areaIDs) else { throw DomainError.notFound(Noun.survey) }
            return (s, mine)
        }
    }

    /// A community's surveys the caller may see.
    static func list(community raw: String, _ req: Request) async throws -> (UUID, Set<UUID>?, [Survey]) {
        let (community, areas) = try Scoped.community(raw, .readCustomerRelations, req)
        let all = try await req.store.surveys.surveys(community: community)
        return (community, areas, all.filter { s in areas.map { s.areaIDs.isEmpty || !$0.isDisjoint(with: s.areaIDs) } ?? true })
    }

    /// Drafts a questionnaire (the whole community's business: head and CS manager).
    static func create(community raw: String, _ d: SurveyStore.Draft, _ req: Request) async throws -> Survey {
        let (community, _) = try Scoped.community(raw, .manageSurveys, req, wholeCommunity: true)
        return try await req.store.surveys.create(d, community: community, by: req.actor)
    }

    static func open(_ raw: String, _ req: Request, community: String? = nil) async throws -> Survey {
        let (s, _) = try await survey(raw, .manageSurveys, req, community: community)
        return try await req.store.surveys.open(s.id, by: req.actor)
    }

    static func close(_ raw: String, _ req: Request, community: String? = nil) async throws -> Survey {
        let (s, _) = try await survey(raw, .manageSurveys, req, community: community)
        return try await req.store.surveys.close(s.id, by: req.actor)
    }

    /// A paper form entered by staff: the response is marked paper, with the staff member's name.
    static func enterPaper(_ raw: String, _ input: SurveyStore.Answering, _ req: Request, community: String? = nil) async throws -> SurveyStore.Recorded {
        let (s, areas) = try await survey(raw, .enterSurveyResponses, req, community: community)
        return try await req.store.surveys.answer(input, survey: s.id, as: .paper(req.actor), areas: areas)
    }

    /// The statistics as the caller may see them (a supervisor: their areas only), with the
    /// comparison with the previous closed survey.
    static func statistics(_ s: Survey, areas: Set<UUID>?, _ req: Request) async throws -> (SurveyStatistics, SurveyComparison?) {
        var stats = try await req.store.surveys.statistics(s)
        if let areas { stats = stats.restricted(to: areas) }
        return (stats, try await req.store.surveys.comparison(s, statistics: stats, visibleAreas: areas))
    }

    // MARK: The resident

    static func resident(_ req: Request) throws -> Principal {
        let p = try req.requirePrincipal()
        guard p.role == .resident else { throw DomainError.forbidden }
        return p
    }

    /// A survey of the resident's community that asks at least one of their units.
    static func residentSurvey(_ raw: String, _ req: Request) async throws -> (Survey, [UUID]) {
        let p = try resident(req)
        guard let id = UUID(uuidString: raw), let s = try await req.store.surveys.survey(id), s.status != .draft,
              p.scopes.contains(where: { $0.communityID == s.communityID }) else { throw DomainError.notFound(Noun.survey) }
        let units = try await askedUnits(s, p, req)
        guard !units.isEmpty else { throw DomainError.notFound(Noun.survey) }
        return (s, units)
    }

    /// The resident's units this survey asks.
    static func askedUnits(_ s: Survey, _ p: Principal, _ req: Request) async throws -> [UUID] {
        var out: [UUID] = []
        for id in p.unitIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let d = try await req.store.registry.unit(id), d.unit.communityID == s.communityID, d.unit.kind != .parking, s.covers(area: d.unit.areaID) else { continue }
            out.append(id)
        }
        return out
    }

    /// The resident answers for one of their own households; identified on the response.
    static func answerAsResident(_ raw: String, _ input: SurveyStore.Answering, _ req: Request) async throws -> SurveyStore.Recorded {
        let p = try resident(req)
        let (s, units) = try await residentSurvey(raw, req)
        guard units.contains(input.unitID) else { throw DomainError.notFound(Noun.unit) }
        return try await req.store.surveys.answer(input, survey: s.id, as: .resident(personID: p.personID, userID: p.userID, name: p.displayName))
    }

    /// Open surveys asking one of the resident's households, with whether each unit answered.
    static func residentOpen(_ req: Request) async throws -> [(Survey, [(unit: UUID, answered: Bool)])] {
        let p = try resident(req)
        var out: [(Survey, [(unit: UUID, answered: Bool)])] = []
        for community in Set(p.scopes.map(\.communityID)) {
            for s in try await req.store.surveys.surveys(community: community, status: .open) {
                var units: [(unit: UUID, answered: Bool)] = []
                for u in try await askedUnits(s, p, req) { units.append((u, try await req.store.surveys.response(survey: s.id, unit: u, community: s.communityID) != nil)) }
                if !units.isEmpty { out.append((s, units)) }
            }
        }
        return out
    }
}
