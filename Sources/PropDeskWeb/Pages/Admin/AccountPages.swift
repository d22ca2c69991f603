import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 系统管理 (SEC-1, SEC-4): accounts in pages — create, change role and scopes, deactivate,
/// reset a password — each change audited with before and after by the same store calls the
/// API makes; the last administrator cannot lock everyone out.
enum AccountPages {
    enum S {
        static let admin = Message(zh: "系统管理", en: "Administration")
        static let accounts = Message(zh: "账户", en: "Accounts")
        static let newAccount = Message(zh: "新建账户", en: "New account")
        static let name = Message(zh: "姓名", en: "Name")
        static let active = Message(zh: "有效", en: "Active")
        static let inactive = Message(zh: "已停用", en: "Deactivated")
        static let edit = Message(zh: "修改", en: "Edit")
        static let save = Message(zh: "保存", en: "Save")
        static let create = Message(zh: "创建", en: "Create")
        static let deactivate = Message(zh: "停用账户", en: "Deactivate")
        static let activate = Message(zh: "恢复账户", en: "Reactivate")
        static let resetPassword = Message(zh: "重置密码", en: "Reset password")
        static let newPassword = Message(zh: "新密码(至少 10 位)", en: "New password (10 characters or more)")
        static let wholeCommunity = Message(zh: "全小区", en: "Whole community")
        static let contract = Message(zh: "服务标准与时限", en: "Service contract")
        static let importRegistry = Message(zh: "导入房屋住户", en: "Import units and residents")
        static let created = Message(zh: "账户已创建", en: "Account created")
        static let changed = Message(zh: "已保存", en: "Saved")
        static let passwordSet = Message(zh: "密码已重置,该账户的登录令牌已作废", en: "Password reset; the account's API tokens are revoked")
    }

    static func requireAdmin(_ req: Request, _ permission: Permission = .manageUsers) throws -> (Principal, AccessPolicy) {
        let (p, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        return (p, policy)
    }

    /// GET /admin
    static func index(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        guard policy.has(.manageUsers) || policy.has(.manageContract) || policy.has(.manageServices) || policy.has(.importExport) else { throw DomainError.forbidden }
        let lang = req.language
        let communities = try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
        var links: [BodyNode] = []
        if policy.has(.manageUsers) { links.append(H.el("li", [], [H.link(S.accounts.text(lang), Routes.adminAccounts, [("id", "admin-accounts")])])) }
        for c in communities {
            var row: [BodyNode] = [H.el("strong", [], text: c.name + " ")]
            if policy.has(.manageContract) { row.append(H.link(S.contract.text(lang), Routes.adminContract(c.id), [("class", "button small secondary"), ("id", "contract-\(c.code)")])) }
            if (policy.has(.editStructure) || policy.has(.editPeople)) && policy.reach(c.id) == .whole {
                row.append(H.link(RegistryPage.S.title.text(lang), Routes.adminRegistry(c.id), [("class", "button small secondary"), ("id", "registry-\(c.code)")]))
            }
            if policy.has(.manageServices) && policy.reach(c.id) == .whole {
                row.append(H.link(ServicesPage.S.title.text(lang), Routes.adminServices(c.id), [("class", "button small secondary"), ("id", "services-\(c.code)")]))
            }
            if policy.has(.importExport) && policy.reach(c.id) == .whole {
                row.append(H.link(S.importRegistry.text(lang), Routes.adminImport(c.id), [("class", "button small secondary"), ("id", "import-\(c.code)")]))
            }
            links.append(H.el("li", [], row))
        }
        return Layout.page(title: S.admin, request: req, [H.el("section", [("class", "card")], [H.el("ul", [("class", "admin-links")], links)])]
                           + (policy.has(.manageCommunities) ? [RegistryPage.newCommunityForm(lang)] : []))
    }

    /// GET /admin/accounts
    static func list(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        let lang = req.language
        let accounts = try await req.store.accounts.accounts(community: nil)
        let (communities, areaNames, areasOf) = try await areas(req)
        let names = Dictionary(uniqueKeysWithValues: communities.map { ($0.id, $0.name) })
        func scopeText(_ a: UserAccount) -> String {
            a.scopes.map { s in [names[s.communityID] ?? "?", s.areaID.flatMap { areaNames[$0] }].compactMap { $0 }.joined(separator: "·") }.joined(separator: "、")
        }
        let rows: [BodyNode] = [H.el("tr", [], [Strings.username, S.name, Strings.role, Strings.scope, Strings.status, S.edit].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]
            + accounts.filter { $0.role != .resident }.map { a in
                H.el("tr", [("data-username", a.username), ("class", a.active ? "" : "muted")], [
                    H.el("td", [], text: a.username), H.el("td", [], text: a.displayName), H.el("td", [], text: a.role.title.text(lang)),
                    H.el("td", [], text: a.role == .admin ? Strings.allCommunities.text(lang) : scopeText(a)),
                    H.el("td", [], text: (a.active ? S.active : S.inactive).text(lang)),
                    H.el("td", [], [H.link(S.edit.text(lang), Routes.adminAccount(a.id), [("id", "edit-\(a.username)")])]),
                ])
            }
        let create = H.form(Routes.adminAccounts, [("class", "card"), ("id", "new-account")], [
            H.el("h2", [], text: S.newAccount.text(lang)),
            H.field(Strings.username.text(lang), "na-username", H.input([("type", "text"), ("id", "na-username"), ("name", "username"), ("required", "required"), ("maxlength", "40")])),
            H.field(S.name.text(lang), "na-name", H.input([("type", "text"), ("id", "na-name"), ("name", "displayName"), ("required", "required"), ("maxlength", "60")])),
            H.field(Strings.role.text(lang), "na-role", H.select("na-role", name: "role", Role.allCases.filter { $0 != .resident }.map { ($0.rawValue, $0.title.text(lang)) }, selected: Role.frontDesk.rawValue)),
            scopePicker(communities, areas: areaNames, selected: [], prefix: "na", lang, areasOf: areasOf),
            H.field(Strings.badge.text(lang), "na-badge", H.input([("type", "text"), ("id", "na-badge"), ("name", "badgeNumber"), ("maxlength", "40")])),
            H.field(S.newPassword.text(lang), "na-password", H.input([("type", "password"), ("id", "na-password"), ("name", "password"), ("required", "required"), ("autocomplete", "new-password")])),
            H.button(S.create.text(lang), [("id", "do-create-account")]),
        ])
        return Layout.page(title: S.accounts, request: req, frame: Frame(bodyClass: "wide"), [
            H.el("div", [("class", "table-wrap card")], [H.el("table", [("id", "accounts")], rows)]), create,
        ])
    }

    /// Every community, the names of their areas, and which areas each has: what a scope is made of.
    static func areas(_ req: Request) async throws -> ([Community], [UUID: String], [UUID: [UUID]]) {
        let communities = try await req.store.registry.communityList(visible: nil)
        var names: [UUID: String] = [:], of: [UUID: [UUID]] = [:]
        for c in communities {
            for a in try await req.store.registry.areas(community: c.id) { names[a.id] = a.name; of[c.id, default: []].append(a.id) }
        }
        return (communities, names, of)
    }

    /// Scopes as checkboxes: a community as a whole, or some of its areas.
    static func scopePicker(_ communities: [Community], areas: [UUID: String], selected: [Scope], prefix: String, _ lang: Language,
                            areasOf: [UUID: [UUID]] = [:]) -> BodyNode {
        H.el("fieldset", [("class", "scopes"), ("id", "\(prefix)-scopes")], [H.el("legend", [], text: Strings.scope.text(lang))] + communities.map { c in
            let whole = selected.contains(Scope(communityID: c.id, areaID: nil))
            return H.el("div", [("class", "scope")], [
                H.el("label", [], [H.input([("type", "checkbox"), ("name", "scope[]"), ("value", c.id.uuidString), ("id", "\(prefix)-scope-\(c.code)")] + (whole ? [("checked", "checked")] : [])),
                                   .text(" \(c.name) · \(S.wholeCommunity.text(lang))")]),
            ] + areas.filter { id, _ in areasOf[c.id]?.contains(id) ?? false }.sorted { $0.value < $1.value }.map { id, name in
                let on = selected.contains(Scope(communityID: c.id, areaID: id))
                return H.el("label", [("class", "area")], [H.input([("type", "checkbox"), ("name", "scope[]"), ("value", "\(c.id.uuidString):\(id.uuidString)")] + (on ? [("checked", "checked")] : [])),
                                                           .text(" " + name)])
            })
        })
    }

    static func scopes(_ raw: [String]?) throws -> [Scope] {
        try (raw ?? []).map { v in
            let parts = v.split(separator: ":").map(String.init)
            return Scope(communityID: try Parse.uuid(parts.first ?? "", field: "scope"), areaID: try parts.count > 1 ? Parse.uuid(parts[1], field: "scope") : nil)
        }
    }

    struct CreateForm: Content {
        var username: String?
        var displayName: String?
        var role: String?
        var scope: [String]?
        var badgeNumber: String?
        var password: String?
    }

    /// POST /admin/accounts
    static func create(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        let f = try req.content.decode(CreateForm.self)
        do {
            guard let role = Role(rawValue: f.role ?? ""), role != .resident else {
                throw DomainError.invalid(field: "role", Message(zh: "请选择角色", en: "Choose a role"))
            }
            let account = UserAccount(username: f.username ?? "", displayName: f.displayName ?? "", role: role,
                                      scopes: role == .admin ? [] : try scopes(f.scope), badgeNumber: (f.badgeNumber ?? "").isEmpty ? nil : f.badgeNumber)
            let hash = try await SignIn.hash(try Validate.password(f.password ?? ""), on: req.application)
            let created = try await req.store.accounts.create(account, passwordHash: hash, by: req.actor)
            Flash.set(req, Message(zh: "\(S.created.zhHans):\(created.username)", en: "\(S.created.en): \(created.username)"))
            return req.redirect(to: Routes.adminAccount(created.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.adminAccounts, redirectType: .normal)
        }
    }

    /// GET /admin/accounts/:userId
    static func show(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        let lang = req.language
        guard let id = req.parameters.get("userId").flatMap(UUID.init(uuidString:)), let a = try await req.store.accounts.account(id), a.role != .resident else {
            throw DomainError.notFound(Noun.user)
        }
        let (communities, areaNames, areasOf) = try await areas(req)
        let path = Routes.adminAccount(a.id)
        let edit = H.form(path, [("class", "card"), ("id", "edit-account")], [
            H.el("h2", [], text: "\(a.username) · \((a.active ? S.active : S.inactive).text(lang))"),
            H.field(S.name.text(lang), "ea-name", H.input([("type", "text"), ("id", "ea-name"), ("name", "displayName"), ("value", a.displayName), ("required", "required"), ("maxlength", "60")])),
            H.field(Strings.role.text(lang), "ea-role", H.select("ea-role", name: "role", Role.allCases.filter { $0 != .resident }.map { ($0.rawValue, $0.title.text(lang)) }, selected: a.role.rawValue)),
            scopePicker(communities, areas: areaNames, selected: a.scopes, prefix: "ea", lang, areasOf: areasOf),
            H.field(Strings.badge.text(lang), "ea-badge", H.input([("type", "text"), ("id", "ea-badge"), ("name", "badgeNumber"), ("value", a.badgeNumber ?? ""), ("maxlength", "40")])),
            H.button(S.save.text(lang), [("id", "do-save-account")]),
        ])
        let toggle = H.form("\(path)/active", [("class", "card inline-form"), ("id", "toggle-account")], [
            H.hidden("active", a.active ? "false" : "true"),
            H.button((a.active ? S.deactivate : S.activate).text(lang), [("id", a.active ? "do-deactivate" : "do-activate")], primary: false),
        ])
        let password = H.form("\(path)/password", [("class", "card inline-form"), ("id", "reset-password")], [
            H.field(S.newPassword.text(lang), "rp-password", H.input([("type", "password"), ("id", "rp-password"), ("name", "password"), ("required", "required"), ("autocomplete", "new-password")])),
            H.button(S.resetPassword.text(lang), [("id", "do-reset-password")], primary: false),
        ])
        return Layout.page(title: Message(zh: "账户 \(a.username)", en: "Account \(a.username)"), request: req, [
            H.el("p", [], [H.link("← " + S.accounts.text(lang), Routes.adminAccounts)]), edit, toggle, password,
        ])
    }

    struct EditForm: Content {
        var displayName: String?
        var role: String?
        var scope: [String]?
        var badgeNumber: String?
        var active: String?
        var password: String?
    }

    /// POST /admin/accounts/:userId, …/active, …/password
    static func change(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        guard let id = req.parameters.get("userId").flatMap(UUID.init(uuidString:)), let a = try await req.store.accounts.account(id), a.role != .resident else {
            throw DomainError.notFound(Noun.user)
        }
        let f = try req.content.decode(EditForm.self)
        let what = req.url.path.split(separator: "/").last.map(String.init) ?? ""
        do {
            switch what {
            case "active":
                _ = try await req.store.accounts.update(id, .init(active: f.active == "true"), by: req.actor)
                Flash.set(req, S.changed)
            case "password":
                try await req.store.accounts.setPassword(id, hash: try await SignIn.hash(try Validate.password(f.password ?? ""), on: req.application), by: req.actor)
                Flash.set(req, S.passwordSet)
            default:
                guard let role = Role(rawValue: f.role ?? ""), role != .resident else {
                    throw DomainError.invalid(field: "role", Message(zh: "请选择角色", en: "Choose a role"))
                }
                _ = try await req.store.accounts.update(id, .init(displayName: f.displayName, role: role, scopes: role == .admin ? [] : try scopes(f.scope),
                                                                  badgeNumber: f.badgeNumber ?? ""), by: req.actor)
                Flash.set(req, S.changed)
            }
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.adminAccount(id), redirectType: .normal)
    }
}
