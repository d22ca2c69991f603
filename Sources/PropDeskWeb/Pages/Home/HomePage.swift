import Foundation
import PropDeskCore
import Vapor

/// 首页: the signed-in staff member's communities with counts and a way into each one's screens.
enum HomePage {
    static func render(_ req: Request) async throws -> Response {
        if req.principal?.mustChangePassword == true { return req.redirect(to: Routes.password) }
        let principal = try req.requirePrincipal()
        let lang = req.language
        let policy = AccessPolicy(principal)
        var kids: [BodyNode] = [H.el("p", [("class", "lead")], text: "\(Strings.welcome.text(lang)),\(principal.displayName)")]

        // Residents and engineers start where their work is: the portal, their orders.
        if principal.role == .resident { return req.redirect(to: Routes.portal) }
        if principal.role == .engineer { return req.redirect(to: Routes.my) }
        // Each role lands on its work: the desk on intake, the CS manager on the live board (the
        // day's dispatching is theirs), the center head and the area supervisors on the dashboard
        // (REP-1; a supervisor's shows only their areas), finance on the fees; the administrator on
        // administration.
        if principal.role == .admin { return req.redirect(to: Routes.admin) }
        if req.query[String.self, at: "all"] == nil, let community = try await ConsoleScope.current(req).0 {
            switch principal.role {
            case .frontDesk: return req.redirect(to: Routes.intake(community.id.uuidString))
            case .csManager: return req.redirect(to: Routes.board(community.id.uuidString))
            case .centerHead, .areaSupervisor: return req.redirect(to: Routes.dashboard(community.id))
            case .finance: return req.redirect(to: Routes.fees(community.id))  // finance's work is the fees workspace (issue 17)
            default: break
            }
        }

        let summaries = try await req.store.registry.communities(visible: policy.visibleCommunityIDs)
        if summaries.isEmpty {
            kids.append(H.el("p", [("class", "muted")], text: Strings.noCommunities.text(lang)))
        } else {
            var rows: [BodyNode] = [H.el("tr", [], [Strings.community, Strings.code, Strings.scope, Strings.buildings, Strings.units, Strings.people, Strings.open].map {
                H.el("th", [("scope", "col")], text: $0.text(lang))
            })]
            for s in summaries {
                let scope: String
                switch policy.reach(s.community.id) {
                case .whole, .none: scope = principal.role == .admin ? Strings.allCommunities.text(lang) : Strings.wholeCommunity.text(lang)
                case .areas(let ids):
                    scope = try await req.store.registry.areas(community: s.community.id, only: ids).map(\.name).joined(separator: "、")
                }
                rows.append(H.el("tr", [("data-community", s.community.id.uuidString)], [
                    H.el("td", [], text: s.community.name), H.el("td", [], text: s.community.code), H.el("td", [], text: scope),
                    H.el("td", [("class", "num")], text: String(s.buildings)), H.el("td", [("class", "num")], text: String(s.units)),
                    H.el("td", [("class", "num")], text: String(s.people)),
                    H.el("td", [], Nav.items(principal, community: s.community.id).filter { ["intake", "board"].contains($0.key) }.map {
                        H.link($0.title.text(lang), $0.href, [("class", "button small"), ("id", "\($0.key)-\(s.community.code)")])
                    }),
                ]))
            }
            kids.append(H.el("section", [("class", "card")], [
                H.el("h2", [], text: Strings.myCommunities.text(lang)),
                H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "communities")], rows)]),
            ]))
        }
        kids.append(H.el("p", [("class", "muted")], [H.link(Strings.apiDocs.text(lang), Routes.apiDocs)]))
        return Layout.page(title: Strings.home, request: req, kids)
    }
}
