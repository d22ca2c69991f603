import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The CS manager's checkpoints (FLD-3): per area, with location, key-spot flag and checklist;
/// the A4 sheet of labels with a QR code each; and the coverage grid per area and week, missed
/// ones red.
enum CheckpointPages {
    enum S {
        static let title = Message(zh: "巡查检查点", en: "Patrol checkpoints")
        static let add = Message(zh: "新增检查点", en: "Add a checkpoint")
        static let name = Message(zh: "名称", en: "Name")
        static let location = Message(zh: "位置", en: "Location")
        static let area = Message(zh: "责任区域", en: "Area")
        static let building = Message(zh: "楼栋", en: "Building")
        static let commonArea = Message(zh: "楼外公共区域", en: "Common area outside buildings")
        static let keySpot = Message(zh: "重点部位(每天巡查)", en: "Key spot (visited daily)")
        static let checklist = Message(zh: "检查清单(每行一项:类别: 检查内容)", en: "Checklist (one item per line: category: what to check)")
        static let checklistHint = Message(zh: "类别:", en: "Categories: ")
        static let save = Message(zh: "保存", en: "Save")
        static let retire = Message(zh: "停用此检查点", en: "Take off the route")
        static let labels = Message(zh: "打印检查点标签", en: "Print checkpoint labels")
        static let labelsTitle = Message(zh: "检查点标签", en: "Checkpoint labels")
        static let scanHint = Message(zh: "扫码巡查 · 无法扫码请输入编号", en: "Scan to patrol · or type the code")
        static let edit = Message(zh: "修改", en: "Edit")
        static let items = Message(zh: "检查项", en: "Items")
        static let code = Message(zh: "编号", en: "Code")
        static let coverage = Message(zh: "巡查覆盖", en: "Patrol coverage")
        static let week = Message(zh: "周(周一)", en: "Week (Monday)")
        static let show = Message(zh: "查看", en: "Show")
        static let weekly = Message(zh: "本周", en: "Week")
        static let missedLegend = Message(zh: "红色:应巡未巡(重点部位每天,全部检查点每周)", en: "Red: due and not visited (key spots daily, every checkpoint weekly)")
        static let none = Message(zh: "还没有检查点。", en: "No checkpoints yet.")
        static let previous = Message(zh: "上一周", en: "Previous week")
        static let next = Message(zh: "下一周", en: "Next week")
        static let responsible = Message(zh: "责任区域客户主任", en: "Responsible area supervisor")
    }

    /// GET /c/:cid/patrol/checkpoints
    static func list(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .managePatrols)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let lang = req.language
        let cid = scope.community.id
        let areas = try await req.store.registry.areas(community: cid)
        let buildings = try await req.store.registry.buildings(community: cid)
        let points = try await req.store.patrols.checkpoints(community: cid)
        let head = [S.code, S.name, S.location, S.area, S.keySpot, S.items]
        let table: BodyNode = points.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) :
            H.el("table", [("class", "register"), ("id", "checkpoints")], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + points.map { c in
                H.el("tr", [("data-code", c.code)], [
                    H.el("td", [], [H.link(c.code, Routes.checkpoint(cid, c.id))]),
                    H.el("td", [], text: c.name), H.el("td", [], text: c.location),
                    H.el("td", [], text: areas.first { $0.id == c.areaID }?.name ?? ""),
                    H.el("td", [], text: c.keySpot ? "✓" : ""),
                    H.el("td", [], text: "\(c.items.count)"),
                ])
            })
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, [
            H.el("p", [], [H.link(S.labels.text(lang), Routes.checkpointLabels(cid, area: nil), [("class", "button secondary"), ("id", "labels-link")]), .text(" "),
                           H.link(S.coverage.text(lang), Routes.patrolCoverage(cid, area: areas.first?.id, week: nil), [("class", "button secondary")])]),
            table,
            H.el("details", [("class", "card"), ("id", "add-checkpoint")] + (points.isEmpty ? [("open", "open")] : []), [
                H.el("summary", [], text: S.add.text(lang)),
                editor(nil, action: Routes.checkpoints(cid), areas: areas, buildings: buildings, lang),
            ]),
        ])
    }

    static func editor(_ c: Checkpoint?, action: String, areas: [Area], buildings: [Building], _ lang: Language) -> BodyNode {
        let defaultList = [PatrolCategory.cleaning, .lighting, .doorsWindows].map { "\($0.title.zhHans): \($0.defaultCheck.zhHans)" }.joined(separator: "\n")
        return H.form(action, [("class", "checkpoint-editor")], [
            H.field(S.name.text(lang), "cp-name", H.input([("type", "text"), ("id", "cp-name"), ("name", "name"), ("required", "required"), ("maxlength", "40"), ("value", c?.name ?? "")])),
            H.field(S.location.text(lang), "cp-location", H.input([("type", "text"), ("id", "cp-location"), ("name", "location"), ("required", "required"), ("maxlength", "200"), ("value", c?.location ?? "")])),
            H.field(S.area.text(lang), "cp-area", H.select("cp-area", name: "areaId", areas.map { ($0.id.uuidString, $0.name) }, selected: c?.areaID.uuidString)),
            H.field(S.building.text(lang), "cp-building", H.select("cp-building", name: "buildingId", [("", S.commonArea.text(lang))] + buildings.map { ($0.id.uuidString, $0.name) },
                                                                   selected: c?.buildingID?.uuidString ?? "")),
            H.el("label", [("class", "check")], [H.input([("type", "checkbox"), ("name", "keySpot"), ("value", "on"), ("id", "cp-key")] + (c?.keySpot == true ? [("checked", "checked")] : [])),
                                                 .text(" " + S.keySpot.text(lang))]),
            H.field(S.checklist.text(lang), "cp-checklist", H.el("textarea", [("id", "cp-checklist"), ("name", "checklist"), ("rows", "6"), ("required", "required")], text: c?.checklistText ?? defaultList),
                    hint: S.checklistHint.text(lang) + PatrolCategory.allCases.map { $0.title.text(lang) }.joined(separator: lang == .en ? ", " : "、")),
            H.button(S.save.text(lang), [("id", "cp-save")]),
        ])
    }

    struct Form: Content {
        var name: String?
        var location: String?
        var areaId: String?
        var buildingId: String?
        var keySpot: String?
        var checklist: String?
    }

    static func draft(_ req: Request) throws -> PatrolStore.CheckpointDraft {
        let f = try req.content.decode(Form.self)
        return PatrolStore.CheckpointDraft(
            areaID: try Parse.uuid(f.areaId ?? "", field: "areaId"),
            buildingID: try (f.buildingId).flatMap { $0.isEmpty ? nil : try Parse.uuid($0, field: "buildingId") },
            name: f.name ?? "", location: f.location ?? "", keySpot: f.keySpot == "on",
            items: try Checkpoint.parseChecklist(f.checklist ?? ""))
    }

    /// POST /c/:cid/patrol/checkpoints
    static func add(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .managePatrols)
        do {
            let c = try await PatrolAccess.addCheckpoint(community: scope.community.id.uuidString, try draft(req), req)
            Flash.set(req, Message(zh: "已新增检查点 \(c.name)(编号 \(c.code))", en: "Checkpoint \(c.name) added (code \(c.code))"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.checkpoints(scope.community.id), redirectType: .normal)
    }

    /// GET /c/:cid/patrol/checkpoints/:id
    static func show(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .managePatrols)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let c = try await PatrolAccess.checkpoint(req.parameters.get("id") ?? "", req, .managePatrols)
        guard c.communityID == scope.community.id else { throw DomainError.notFound(Noun.checkpoint) }
        let lang = req.language
        let areas = try await req.store.registry.areas(community: c.communityID)
        let buildings = try await req.store.registry.buildings(community: c.communityID)
        return Layout.page(title: Message(zh: "\(c.name) · \(c.code)", en: "\(c.name) · \(c.code)"), request: req, frame: scope.frame, communities: scope.communities, [
            H.el("p", [], [H.link(S.title.text(lang), Routes.checkpoints(c.communityID))]),
            H.el("div", [("class", "label-preview")], [.raw((try? QRCode(labelURL(c, req), correction: .medium))?.svg(moduleSize: 4) ?? ""), H.el("div", [("class", "code")], text: c.code)]),
            H.el("section", [("class", "card")], [editor(c, action: Routes.checkpoint(c.communityID, c.id), areas: areas, buildings: buildings, lang)]),
            c.retiredAt == nil ? H.form(Routes.retireCheckpoint(c.communityID, c.id), [("class", "step")], [H.button(S.retire.text(lang), primary: false)]) : .text(""),
        ])
    }

    /// POST /c/:cid/patrol/checkpoints/:id
    static func change(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .managePatrols)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let c = try await PatrolAccess.checkpoint(req.parameters.get("id") ?? "", req, .managePatrols)
        guard c.communityID == scope.community.id else { throw DomainError.notFound(Noun.checkpoint) }
        do {
            let saved = try await req.store.patrols.changeCheckpoint(c.id, try draft(req), by: req.actor)
            Flash.set(req, Message(zh: "已保存 \(saved.name)", en: "Saved \(saved.name)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.checkpoint(c.communityID, c.id), redirectType: .normal)
    }

    /// POST /c/:cid/patrol/checkpoints/:id/retire
    static func retire(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .managePatrols)
        guard scope.areas == nil else { throw DomainError.forbidden }
        let c = try await PatrolAccess.checkpoint(req.parameters.get("id") ?? "", req, .managePatrols)
        guard c.communityID == scope.community.id else { throw DomainError.notFound(Noun.checkpoint) }
        _ = try await req.store.patrols.retireCheckpoint(c.id, by: req.actor)
        Flash.set(req, Message(zh: "已停用 \(c.name)", en: "\(c.name) taken off the route"))
        return req.redirect(to: Routes.checkpoints(c.communityID), redirectType: .normal)
    }

    /// What a label's QR code opens: this server's checkpoint form. The host the manager is
    /// using is the one the phones on the same network reach.
    static func labelURL(_ c: Checkpoint, _ req: Request) -> String {
        let host = req.headers.first(name: .host) ?? "localhost"
        let scheme = req.headers.first(name: "X-Forwarded-Proto") == "https" ? "https" : "http"
        return "\(scheme)://\(host)\(Routes.checkpointForm(c.code))"
    }

    /// GET /c/:cid/patrol/labels?area= — the A4 sheet of labels, 2 × 4 per page.
    static func labels(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .managePatrols)
        let lang = req.language
        let area = try (req.query[String.self, at: "area"]).flatMap { $0.isEmpty ? nil : try Parse.uuid($0, field: "area") }
        let points = try await req.store.patrols.checkpoints(community: scope.community.id, areas: area.map { [$0] } ?? scope.areas)
        let areas = try await req.store.registry.areas(community: scope.community.id)
        let labels: [BodyNode] = points.map { c in
            H.el("div", [("class", "qr-label"), ("data-code", c.code)], [
                H.el("div", [("class", "qr-name")], text: c.name),
                .raw((try? QRCode(labelURL(c, req), correction: .medium))?.svg(moduleSize: 4) ?? ""),
                H.el("div", [("class", "qr-code")], text: c.code),
                H.el("div", [("class", "qr-meta")], text: "\(areas.first { $0.id == c.areaID }?.name ?? "") · \(c.location)"),
                H.el("div", [("class", "qr-hint")], text: S.scanHint.text(lang)),
            ])
        }
        return PrintForms.sheet(req, title: S.labelsTitle, community: scope.community, [
            H.el("h2", [], text: S.labelsTitle.text(lang)),
            H.el("div", [("class", "qr-sheet"), ("id", "qr-sheet")], labels),
        ])
    }

    /// GET /c/:cid/patrol/coverage?area=&week=2026-11-23 — checkpoints × the week's days.
    static func coverage(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .patrol)
        let lang = req.language
        let community = scope.community
        let all = try await req.store.registry.areas(community: community.id)
        let areas = scope.areas.map { mine in all.filter { mine.contains($0.id) } } ?? all
        let requested = try (req.query[String.self, at: "area"]).flatMap { $0.isEmpty ? nil : try Parse.uuid($0, field: "area") }
        if let requested, !areas.contains(where: { $0.id == requested }) { throw DomainError.notFound(Noun.area) }
        guard let area = requested.flatMap({ id in areas.first { $0.id == id } }) ?? areas.first else { throw DomainError.notFound(Noun.area) }
        let now = req.application.propdesk.now()
        let weekRaw = req.query[String.self, at: "week"] ?? ""
        let anchor = try weekRaw.isEmpty ? PatrolCoverage.day(of: now, timeZone: community.timeZone)
            : PatrolCoverage.day(weekRaw, timeZone: community.timeZone).orThrow(field: "week", Message(zh: "日期格式应为 2026-11-23", en: "A date looks like 2026-11-23"))
        let week = PatrolCoverage.week(of: anchor.start, timeZone: community.timeZone)
        var days: [PatrolCoverage.Span] = []
        var d = PatrolCoverage.day(of: week.start, timeZone: community.timeZone)
        while d.start < week.end { days.append(d); d = PatrolCoverage.day(of: d.end, timeZone: community.timeZone) }
        let points = try await req.store.patrols.checkpoints(community: community.id, areas: [area.id], retired: true)
            .filter { $0.createdAt < week.end && ($0.retiredAt.map { $0 > week.start } ?? true) }
        let visits = try await req.store.patrols.visitTimes(community: community.id, area: area.id, from: week.start, until: week.end)
        let time = LocalTime(community.timeZone)
        let head: [BodyNode] = [H.el("th", [], text: S.name.text(lang))] + days.map { H.el("th", [], text: String($0.label.suffix(5))) } + [H.el("th", [], text: S.weekly.text(lang))]
        let rows: [BodyNode] = points.map { c in
            let cells: [BodyNode] = days.map { day in
                let at = (visits[c.id] ?? []).filter { $0 >= day.start && $0 < day.end }.sorted()
                let due = c.keySpot && c.isDue(from: day.start, until: day.end) && day.end <= now
                if let first = at.first { return H.el("td", [("class", "visited")], text: time.format(first, "HH:mm")) }
                return H.el("td", [("class", due ? "missed" : "")], text: due ? "✗" : "")
            }
            let weekDone = !(visits[c.id] ?? []).isEmpty
            let weekDue = c.isDue(from: week.start, until: week.end) && week.end <= now
            return H.el("tr", [("data-code", c.code)], [H.el("th", [], text: c.name + (c.keySpot ? " ★" : ""))] + cells + [
                H.el("td", [("class", weekDone ? "visited" : weekDue ? "missed" : "")], text: weekDone ? "✓" : weekDue ? "✗" : ""),
            ])
        }
        let previous = PatrolCoverage.day(of: week.start.addingTimeInterval(-3600), timeZone: community.timeZone)
        let next = PatrolCoverage.day(of: week.end.addingTimeInterval(3600), timeZone: community.timeZone)
        let responsible = try await req.store.patrols.responsible(areas: [area.id])[area.id] ?? []
        return Layout.page(title: S.coverage, request: req, frame: scope.frame, communities: scope.communities, [
            H.el("h2", [], text: "\(area.name) · \(week.label)"),
            H.el("p", [("id", "responsible")], text: "\(S.responsible.text(lang)):\(responsible.isEmpty ? "—" : responsible.joined(separator: "、"))"),
            H.el("form", [("method", "get"), ("class", "inline-form")], [
                H.field(S.area.text(lang), "cov-area", H.select("cov-area", name: "area", areas.map { ($0.id.uuidString, $0.name) }, selected: area.id.uuidString)),
                H.field(S.week.text(lang), "cov-week", H.input([("type", "date"), ("id", "cov-week"), ("name", "week"), ("value", week.label)])),
                H.button(S.show.text(lang), primary: false),
                H.link(S.previous.text(lang), Routes.patrolCoverage(community.id, area: area.id, week: previous.label), [("class", "button secondary")]),
                H.link(S.next.text(lang), Routes.patrolCoverage(community.id, area: area.id, week: next.label), [("class", "button secondary")]),
            ]),
            H.el("p", [("class", "muted")], text: S.missedLegend.text(lang)),
            H.el("table", [("class", "register coverage"), ("id", "coverage")], [H.el("tr", [], head)] + rows),
        ])
    }
}
