import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Navigation by role: each person sees the screens their work needs, for their community.
enum Nav {
    struct Item { let key: String; let title: Message; let href: String }

    static func items(_ p: Principal, community: UUID?) -> [Item] {
        if p.role == .resident {
            return [Item(key: "portal", title: Strings.myRequests, href: Routes.portal),
                    Item(key: "report", title: Strings.report, href: Routes.portalReport),
                    Item(key: "my-fees", title: PortalFeesPages.S.title, href: Routes.portalFees),
                    Item(key: "my-surveys", title: PortalSurveyPages.S.title, href: Routes.portalSurveys),
                    Item(key: "my-notices", title: NoticePages.S.portalTitle, href: Routes.portalNotices),
                    Item(key: "prices", title: Strings.prices, href: Routes.portalPrices)]
        }
        let policy = AccessPolicy(p)
        var out: [Item] = []
        if let c = community?.uuidString {
            if policy.has(.createOrders) { out.append(Item(key: "intake", title: Strings.intake, href: Routes.intake(c))) }
            if policy.has(.readOrders) { out.append(Item(key: "board", title: Strings.board, href: Routes.board(c))) }
        }
        if let c = community, policy.has(.readOrders) {
            out.append(Item(key: "orders", title: OrderSearchPage.S.title, href: Routes.orderSearch(c)))
        }
        if policy.has(.doWork) { out.append(Item(key: "my", title: Strings.myOrders, href: Routes.my)) }
        if policy.has(.patrol) { out.append(Item(key: "patrol", title: PatrolPages.S.today, href: Routes.patrol)) }
        if policy.has(.visitHouseholds) {
            out.append(Item(key: "visits", title: VisitPages.S.title, href: Routes.visits))
            out.append(Item(key: "log", title: WorkLogPages.S.title, href: Routes.log))
        }
        if let c = community, policy.has(.superviseAreas) || policy.has(.approveAssignments) {
            out.append(Item(key: "supervision", title: SupervisionPages.S.title, href: Routes.supervision(c)))
        } else if let c = community, policy.has(.spotCheckVisits) {
            out.append(Item(key: "spot-checks", title: SupervisionPages.S.spotChecks, href: Routes.spotChecks(c)))
        }
        if let c = community, RenovationAccess.readers.contains(where: policy.has) {
            out.append(Item(key: "renovations", title: RenovationPages.S.title, href: Routes.renovations(c)))
        }
        if let c = community, policy.has(.keepDutyLog) {
            out.append(Item(key: "duty-log", title: DutyLogPages.S.title, href: Routes.dutyLog(c)))
            out.append(Item(key: "keys", title: KeyPages.S.title, href: Routes.keys(c)))
            out.append(Item(key: "visitors", title: VisitorPages.S.title, href: Routes.visitors(c)))
            out.append(Item(key: "passes", title: PassPages.S.title, href: Routes.passes(c)))
        }
        if let c = community, policy.has(.handleMoveIns) {
            out.append(Item(key: "move-ins", title: MoveInPages.S.title, href: Routes.moveIns(c)))
        }
        if let c = community, policy.has(.keepCustody) {
            out.append(Item(key: "custody", title: CustodyPages.S.title, href: Routes.custodyList(c)))
        }
        if let c = community, policy.has(.readFees) {
            out.append(Item(key: "fees", title: BillingPages.S.workspace, href: Routes.fees(c)))
        }
        if let c = community?.uuidString, policy.has(.readOrders) {
            out.append(Item(key: "register", title: Strings.register, href: Routes.register(c)))
        }
        if let c = community, policy.has(.readDashboards) {
            out.append(Item(key: "dashboard", title: DashboardPage.S.title, href: Routes.dashboard(c)))
        }
        if let c = community, policy.has(.reviewOrders) {
            out.append(Item(key: "scorecard", title: ScorecardPage.S.title, href: Routes.scorecard(c)))
        }
        // Notices, surveys, interviews and rectifications, the culture plan: one workspace (CR-1 … CR-4).
        if let c = community, policy.has(.readCustomerRelations) {
            out.append(Item(key: "relations", title: RelationsHome.S.title, href: Routes.relations(c)))
        }
        if policy.has(.manageUsers) || policy.has(.manageContract) || policy.has(.manageServices) {
            out.append(Item(key: "admin", title: AccountPages.S.admin, href: Routes.admin))
        }
        return out
    }

    static func bar(_ p: Principal, community: Community?, request: Request) -> BodyNode {
        let path = request.url.path
        return H.el("nav", [("class", "main"), ("aria-label", Strings.navigation.text(request.language))], items(p, community: community?.id).map { item in
            H.link(item.title.text(request.language), item.href, [("id", "nav-\(item.key)")] + (path == item.href ? [("aria-current", "page")] : []))
        })
    }

    /// A plain GET form: works by keyboard and without script.
    static func switcher(_ communities: [Community], current: Community, request: Request) -> BodyNode {
        let lang = request.language
        let page = request.url.path.split(separator: "/").dropFirst(2).joined(separator: "/")
        return H.el("form", [("method", "get"), ("action", Routes.switchCommunity), ("class", "switcher")], [
            H.el("label", [("for", "community-switch"), ("class", "sr-only")], text: Strings.community.text(lang)),
            H.select("community-switch", name: "c", communities.map { ($0.id.uuidString, $0.name) }, selected: current.id.uuidString, [("data-autosubmit", "1")]),
            H.hidden("page", page.isEmpty ? "board" : page),
            H.el("button", [("type", "submit"), ("class", "secondary small")], text: Strings.switchCommunity.text(lang)),
        ])
    }
}

/// The community a staff page is about, checked against the caller's scope (SEC-2).
struct ConsoleScope {
    let principal: Principal
    let policy: AccessPolicy
    let community: Community
    /// The areas an area supervisor may see; nil for the whole community.
    let areas: Set<UUID>?
    /// Every community the caller may switch to.
    let communities: [Community]

    var frame: Frame { Frame(community: community) }

    static func resolve(_ req: Request, _ permission: Permission) async throws -> ConsoleScope {
        // Who is asking is checked before any parameter is read (SEC-2).
        try AccessPolicy(try req.requireStaff().0).requireRole(permission)
        guard let raw = req.parameters.get("cid"), let id = UUID(uuidString: raw) else { throw DomainError.notFound(Noun.community) }
        return try await resolve(req, permission, community: id)
    }

    /// The same for a page not under /c/:cid (the supervisor's 今天): a community already chosen.
    static func resolve(_ req: Request, _ permission: Permission, community id: UUID) async throws -> ConsoleScope {
        let (p, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        let areas: Set<UUID>?
        switch policy.reach(id) {
        case .none: throw DomainError.notFound(Noun.community)
        case .whole: areas = nil
        case .areas(let a): areas = a
        }
        guard let community = try await req.store.registry.community(id) else { throw DomainError.notFound(Noun.community) }
        req.session.data["cid"] = id.uuidString
        let communities = try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
        return ConsoleScope(principal: p, policy: policy, community: community, areas: areas, communities: communities)
    }

    /// The community the caller last worked in, or their first: for pages not tied to one.
    static func current(_ req: Request) async throws -> (Community?, [Community]) {
        guard let p = req.principal else { return (nil, []) }
        let policy = AccessPolicy(p)
        if p.role == .resident {
            let id = p.scopes.first?.communityID
            return (try await id.asyncMap { try await req.store.registry.community($0) } ?? nil, [])
        }
        let list = try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
        let remembered = req.hasSession ? req.session.data["cid"].flatMap(UUID.init(uuidString:)) : nil
        return (list.first { $0.id == remembered } ?? list.first, list)
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}
