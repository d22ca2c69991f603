import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// 房屋住户登记 (REG-1 … REG-3) in pages: a community's areas and buildings, a new unit, a new
/// resident for a unit — through the registry's own validation and audit, the same store calls
/// as the API; the bulk path is the import page beside it. The administrator also opens new
/// communities here.
enum RegistryPage {
    enum S {
        static let title = Message(zh: "房屋住户登记", en: "Registry")
        static let areas = Message(zh: "责任区域", en: "Areas")
        static let buildings = Message(zh: "楼栋", en: "Buildings")
        static let newArea = Message(zh: "新区域名称", en: "New area")
        static let newBuilding = Message(zh: "新楼栋名称", en: "New building")
        static let floors = Message(zh: "层数", en: "Floors")
        static let newUnit = Message(zh: "新增房屋", en: "Add a unit")
        static let room = Message(zh: "房号", en: "Room")
        static let floor = Message(zh: "楼层", en: "Floor")
        static let floorArea = Message(zh: "建筑面积(m²)", en: "Floor area (m²)")
        static let unitKind = Message(zh: "房屋类型", en: "Unit kind")
        static let newPerson = Message(zh: "新增住户", en: "Add a resident")
        static let name = Message(zh: "姓名", en: "Name")
        static let relation = Message(zh: "关系", en: "Relation")
        static let add = Message(zh: "添加", en: "Add")
        static let none = Message(zh: "不分区", en: "No area")
        static let saved = Message(zh: "已保存", en: "Saved")
        static let units = Message(zh: "房屋数", en: "Units")
        static let noUnit = Message(zh: "该楼栋没有这个房号", en: "That building has no such room")
        static let newCommunity = Message(zh: "新建小区", en: "New community")
        static let code = Message(zh: "小区编号(字母)", en: "Code (letters)")
        static let address = Message(zh: "地址", en: "Address")
    }

    static func scope(_ req: Request) async throws -> (Community, AccessPolicy) {
        try await AdminScope.community(req, anyOf: [.editStructure, .editPeople])
    }

    /// GET /admin/c/:cid/registry
    static func render(_ req: Request) async throws -> Response {
        let (community, policy) = try await scope(req)
        let lang = req.language
        let path = Routes.adminRegistry(community.id)
        let areas = try await req.store.registry.areas(community: community.id)
        let buildings = try await req.store.registry.buildings(community: community.id)
        let areaName = Dictionary(uniqueKeysWithValues: areas.map { ($0.id, $0.name) })
        func input(_ name: String, _ label: Message, type: String = "text", required: Bool = true) -> BodyNode {
            H.field(label.text(lang), "reg-\(name)", H.input([("type", type), ("id", "reg-\(name)"), ("name", name), ("maxlength", "60")] + (required ? [("required", "required")] : [])))
        }
        let buildingOptions = buildings.map { ($0.id.uuidString, $0.name) }
        var kids: [BodyNode] = [
            H.el("section", [("class", "card")], [
                H.el("h2", [], text: S.areas.text(lang)),
                H.el("p", [("id", "areas")], text: areas.map(\.name).joined(separator: "、")),
                H.el("h2", [], text: S.buildings.text(lang)),
                H.el("p", [("id", "buildings")], text: buildings.map { b in [b.name, b.areaID.flatMap { areaName[$0] }].compactMap { $0 }.joined(separator: "·") }.joined(separator: "、")),
            ]),
        ]
        if policy.has(.editStructure) {
            kids.append(H.form("\(path)/areas", [("class", "card inline-form"), ("id", "add-area")], [input("name", S.newArea), H.button(S.add.text(lang), [("id", "do-add-area")])]))
            kids.append(H.form("\(path)/buildings", [("class", "card inline-form"), ("id", "add-building")], [
                input("name", S.newBuilding), input("floors", S.floors, type: "number"),
                H.field(Strings.area.text(lang), "reg-building-area", H.select("reg-building-area", name: "areaId", [("", S.none.text(lang))] + areas.map { ($0.id.uuidString, $0.name) }, selected: "")),
                H.button(S.add.text(lang), [("id", "do-add-building")]),
            ]))
            kids.append(H.form("\(path)/units", [("class", "card inline-form"), ("id", "add-unit")], [
                H.el("h2", [], text: S.newUnit.text(lang)),
                H.field(Strings.buildings.text(lang), "reg-unit-building", H.select("reg-unit-building", name: "buildingId", buildingOptions, selected: nil)),
                input("room", S.room), input("floor", S.floor, type: "number"), input("floorArea", S.floorArea),
                H.field(S.unitKind.text(lang), "reg-unit-kind", H.select("reg-unit-kind", name: "kind", UnitKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: UnitKind.residential.rawValue)),
                H.button(S.add.text(lang), [("id", "do-add-unit")]),
            ]))
        }
        if policy.has(.editPeople) {
            kids.append(H.form("\(path)/people", [("class", "card inline-form"), ("id", "add-person")], [
                H.el("h2", [], text: S.newPerson.text(lang)),
                input("name", S.name), input("phone", Strings.phone, type: "tel"),
                H.field(Strings.buildings.text(lang), "reg-person-building", H.select("reg-person-building", name: "buildingId", buildingOptions, selected: nil)),
                input("room", S.room),
                H.field(S.relation.text(lang), "reg-person-relation", H.select("reg-person-relation", name: "relation", OccupantRelation.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: OccupantRelation.owner.rawValue)),
                H.button(S.add.text(lang), [("id", "do-add-person")]),
            ]))
        }
        return Layout.page(title: Message(zh: "\(community.name) · \(S.title.zhHans)", en: "\(community.name) · \(S.title.en)"), request: req,
                           frame: Frame(community: community, bodyClass: "wide"), kids)
    }

    struct Form: Content {
        var name: String?
        var floors: String?
        var areaId: String?
        var buildingId: String?
        var room: String?
        var floor: String?
        var floorArea: String?
        var kind: String?
        var phone: String?
        var relation: String?
        var code: String?
        var address: String?
    }

    static func integer(_ raw: String?, field: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let n = Int((raw ?? "").trimmingCharacters(in: .whitespaces)), range.contains(n) else {
            throw DomainError.invalid(field: field, Message(zh: "\(field) 应为 \(range.lowerBound) 到 \(range.upperBound) 的整数", en: "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
        }
        return n
    }

    /// POST /admin/c/:cid/registry/{areas|buildings|units|people}
    static func add(_ req: Request) async throws -> Response {
        let (community, policy) = try await scope(req)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        let what = req.url.path.split(separator: "/").last.map(String.init) ?? ""
        let cid = community.id
        do {
            switch what {
            case "areas":
                try policy.requireRole(.editStructure)
                _ = try await req.store.registry.createArea(Area(communityID: cid, name: f.name ?? ""), by: req.actor)
            case "buildings":
                try policy.requireRole(.editStructure)
                _ = try await req.store.registry.createBuilding(Building(communityID: cid, areaID: try IntakePage.nonEmpty(f.areaId).map { try Parse.uuid($0, field: "areaId") },
                                                                         name: f.name ?? "", floors: try integer(f.floors, field: "floors", 1...200)), by: req.actor)
            case "units":
                try policy.requireRole(.editStructure)
                let kind = try UnitKind(rawValue: f.kind ?? "").orThrow(field: "kind", Message(zh: "请选择房屋类型", en: "Choose the unit kind"))
                _ = try await req.store.registry.createUnit(PropertyUnit(communityID: cid, buildingID: try Parse.uuid(f.buildingId ?? "", field: "buildingId"), areaID: nil,
                    roomNumber: f.room ?? "", floor: try integer(f.floor, field: "floor", -10...200), kind: kind, floorArea: try Parse.floorArea(f.floorArea ?? "")), by: req.actor)
            case "people":
                try policy.requireRole(.editPeople)
                let building = try Parse.uuid(f.buildingId ?? "", field: "buildingId")
                let room = (f.room ?? "").trimmingCharacters(in: .whitespaces)
                let units = try await req.store.registry.units(community: cid, areas: nil, building: building, page: try PageQuery(page: 1, per: PageQuery.maxPer))
                guard let unit = units.items.first(where: { $0.unit.roomNumber == room }) else { throw DomainError.invalid(field: "room", S.noUnit) }
                let relation = try OccupantRelation(rawValue: f.relation ?? "").orThrow(field: "relation", Message(zh: "请选择关系", en: "Choose the relation"))
                _ = try await req.store.registry.createPerson(.init(communityID: cid, kind: .individual, name: f.name ?? "", phone: f.phone ?? "", idType: nil, idNumber: nil,
                                                                    units: [(unit.unit.id, relation)]), by: req.actor)
            default:
                throw DomainError.notFound(Noun.page)
            }
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.adminRegistry(cid), redirectType: .normal)
    }

    /// POST /admin/communities — the administrator opens a new community.
    static func createCommunity(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.manageCommunities)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        do {
            let c = try await req.store.registry.createCommunity(Community(code: f.code ?? "", name: f.name ?? "", address: f.address ?? ""), by: req.actor)
            Flash.set(req, S.saved)
            return req.redirect(to: Routes.adminRegistry(c.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.admin, redirectType: .normal)
        }
    }

    static func newCommunityForm(_ lang: Language) -> BodyNode {
        H.form(Routes.adminCommunities, [("class", "card inline-form"), ("id", "new-community")], [
            H.el("h2", [], text: S.newCommunity.text(lang)),
            H.field(S.code.text(lang), "nc-code", H.input([("type", "text"), ("id", "nc-code"), ("name", "code"), ("required", "required"), ("maxlength", "10")])),
            H.field(S.name.text(lang), "nc-name", H.input([("type", "text"), ("id", "nc-name"), ("name", "name"), ("required", "required"), ("maxlength", "60")])),
            H.field(S.address.text(lang), "nc-address", H.input([("type", "text"), ("id", "nc-address"), ("name", "address"), ("maxlength", "200")])),
            H.button(S.add.text(lang), [("id", "do-new-community")]),
        ])
    }
}
