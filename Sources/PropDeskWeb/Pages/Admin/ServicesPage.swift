import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 价目表与派工规则 (INT-10, INT-15) in one page: the public price list — add an item, take one
/// off the list — and the dispatch rules — category × area → a team, round-robin. Every change
/// through the store calls the API makes, audited.
enum ServicesPage {
    enum S {
        static let title = Message(zh: "价目表与派工规则", en: "Prices and dispatch rules")
        static let prices = Message(zh: "有偿服务价目表", en: "Paid-service price list")
        static let code = Message(zh: "编号", en: "Code")
        static let nameZh = Message(zh: "名称(中文)", en: "Name (Chinese)")
        static let nameEn = Message(zh: "名称(英文)", en: "Name (English)")
        static let unitZh = Message(zh: "单位(中文)", en: "Per (Chinese)")
        static let unitEn = Message(zh: "单位(英文)", en: "Per (English)")
        static let price = Message(zh: "价格(元)", en: "Price (yuan)")
        static let add = Message(zh: "添加", en: "Add")
        static let onList = Message(zh: "公示中", en: "Listed")
        static let offList = Message(zh: "已下架", en: "Withdrawn")
        static let takeOff = Message(zh: "下架", en: "Take off the list")
        static let putOn = Message(zh: "重新上架", en: "List again")
        static let rules = Message(zh: "派工规则(从上到下,第一条匹配的规则派工)", en: "Dispatch rules (the first that matches dispatches)")
        static let rule = Message(zh: "规则名称", en: "Rule name")
        static let anyCategory = Message(zh: "任意类别", en: "Any category")
        static let anyArea = Message(zh: "任意区域", en: "Any area")
        static let members = Message(zh: "轮流派给", en: "Take turns")
        static let remove = Message(zh: "删除", en: "Remove")
        static let saved = Message(zh: "已保存", en: "Saved")
    }

    static func scope(_ req: Request) async throws -> Community {
        try await AdminScope.community(req, anyOf: [.manageServices]).0
    }

    /// GET /admin/c/:cid/services
    static func render(_ req: Request) async throws -> Response {
        let community = try await scope(req)
        let lang = req.language
        let path = Routes.adminServices(community.id)
        let items = try await req.store.orders.catalogue(community: community.id, activeOnly: false)
        let rules = try await req.store.orders.rules(community: community.id)
        let areas = try await req.store.registry.areas(community: community.id)
        let engineers = try await req.store.orders.workload(community: community.id).map(\.0)
        let areaName = Dictionary(uniqueKeysWithValues: areas.map { ($0.id, $0.name) })
        func text(_ name: String, _ label: Message, required: Bool = true) -> BodyNode {
            H.field(label.text(lang), "svc-\(name)", H.input([("type", "text"), ("id", "svc-\(name)"), ("name", name), ("maxlength", "60")] + (required ? [("required", "required")] : [])))
        }
        let priceRows: [BodyNode] = [H.el("tr", [], [S.code, S.nameZh, S.unitZh, S.price, Strings.status, S.takeOff].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]
            + items.map { i in
                H.el("tr", [("data-code", i.code)], [
                    H.el("td", [], text: i.code), H.el("td", [], text: i.name.text(lang)), H.el("td", [], text: i.unit.text(lang)),
                    H.el("td", [("class", "num")], text: Money.yuan(i.price)), H.el("td", [], text: (i.active ? S.onList : S.offList).text(lang)),
                    H.el("td", [], [H.form("\(path)/items/\(i.id.uuidString)", [("class", "inline")], [
                        H.hidden("active", i.active ? "false" : "true"),
                        H.button((i.active ? S.takeOff : S.putOn).text(lang), [("class", "secondary small")], primary: false),
                    ])]),
                ])
            }
        let addItem = H.form("\(path)/items", [("class", "inline-form"), ("id", "add-item")], [
            text("code", S.code), text("nameZh", S.nameZh), text("nameEn", S.nameEn, required: false), text("unitZh", S.unitZh),
            text("unitEn", S.unitEn, required: false), text("price", S.price), H.button(S.add.text(lang), [("id", "do-add-item")]),
        ])
        let ruleRows: [BodyNode] = [H.el("tr", [], [S.rule, Strings.category, Strings.area, S.members, S.remove].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]
            + rules.map { r in
                H.el("tr", [("data-rule", r.name)], [
                    H.el("td", [], text: r.name), H.el("td", [], text: r.category?.title.text(lang) ?? S.anyCategory.text(lang)),
                    H.el("td", [], text: r.areaID.flatMap { areaName[$0] } ?? S.anyArea.text(lang)),
                    H.el("td", [], text: r.members.map(\.name).joined(separator: "、")),
                    H.el("td", [], [H.form("\(path)/rules/\(r.id.uuidString)/remove", [("class", "inline")], [
                        H.button(S.remove.text(lang), [("class", "secondary small")], primary: false),
                    ])]),
                ])
            }
        let addRule = H.form("\(path)/rules", [("class", "inline-form"), ("id", "add-rule")], [
            text("name", S.rule),
            H.field(Strings.category.text(lang), "rule-category", H.select("rule-category", name: "category", [("", S.anyCategory.text(lang))] + PropDeskCore.Category.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: "")),
            H.field(Strings.area.text(lang), "rule-area", H.select("rule-area", name: "areaId", [("", S.anyArea.text(lang))] + areas.map { ($0.id.uuidString, $0.name) }, selected: "")),
            H.el("fieldset", [("class", "members")], [H.el("legend", [], text: S.members.text(lang))] + engineers.map { e in
                H.el("label", [], [H.input([("type", "checkbox"), ("name", "member[]"), ("value", e.id.uuidString)]), .text(" " + e.name)])
            }),
            H.button(S.add.text(lang), [("id", "do-add-rule")]),
        ])
        return Layout.page(title: Message(zh: "\(community.name) · \(S.title.zhHans)", en: "\(community.name) · \(S.title.en)"), request: req,
                           frame: Frame(community: community, bodyClass: "wide"), [
            H.el("section", [("class", "card")], [H.el("h2", [], text: S.prices.text(lang)),
                                                  H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "price-items")], priceRows)]), addItem]),
            H.el("section", [("class", "card")], [H.el("h2", [], text: S.rules.text(lang)),
                                                  H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "dispatch-rules")], ruleRows)]), addRule]),
        ])
    }

    struct Form: Content {
        var code: String?
        var nameZh: String?
        var nameEn: String?
        var unitZh: String?
        var unitEn: String?
        var price: String?
        var active: String?
        var name: String?
        var category: String?
        var areaId: String?
        var member: [String]?
    }

    /// POST /admin/c/:cid/services/items, …/items/:id, …/rules, …/rules/:id/remove
    static func change(_ req: Request) async throws -> Response {
        let community = try await scope(req)
        let back = Routes.adminServices(community.id)
        // A button with no fields (remove) sends an empty body.
        let f = (try? req.content.decode(Form.self)) ?? Form()
        let parts = req.url.path.split(separator: "/").map(String.init)
        do {
            switch (parts.count, parts.last) {
            case (5, "items"):
                let zh = f.nameZh ?? "", unitZh = f.unitZh ?? ""
                _ = try await req.store.orders.addCatalogueItem(CatalogueItem(
                    communityID: community.id, code: f.code ?? "", name: Message(zh: zh, en: (f.nameEn ?? "").isEmpty ? zh : f.nameEn!),
                    unit: Message(zh: unitZh, en: (f.unitEn ?? "").isEmpty ? unitZh : f.unitEn!), price: try Money.fen(fromYuan: f.price ?? "", field: "price")), by: req.actor)
            case (6, _) where parts[4] == "items":
                _ = try await req.store.orders.setCatalogueItemActive(try Parse.uuid(parts[5], field: "id"), community: community.id, active: f.active == "true", by: req.actor)
            case (5, "rules"):
                _ = try await req.store.orders.addRule(name: f.name ?? "", category: f.category.flatMap { PropDeskCore.Category(rawValue: $0) },
                                                       areaID: try IntakePage.nonEmpty(f.areaId).map { try Parse.uuid($0, field: "areaId") },
                                                       memberIDs: try (f.member ?? []).map { try Parse.uuid($0, field: "memberIds") }, community: community.id, by: req.actor)
            case (7, "remove"):
                try await req.store.orders.removeRule(try Parse.uuid(parts[5], field: "id"), community: community.id, by: req.actor)
            default:
                throw DomainError.notFound(Noun.page)
            }
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }
}
