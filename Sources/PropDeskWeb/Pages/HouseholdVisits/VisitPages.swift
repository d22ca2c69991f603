import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Household visits in pages (FLD-5, S2 4.3): the supervisor's phone view — quota progress for
/// the month and year, the visit form (unit by typeahead, door or phone, who was met, notes,
/// opinions raised → requests in one go), the households not visited for longest — and the
/// month's visit records of an area for the CS manager and the scorecard's links.
enum VisitPages {
    enum S {
        static let title = Message(zh: "家访", en: "Household visits")
        static let record = Message(zh: "记录家访", en: "Record a visit")
        static let unit = Message(zh: "房屋(输入楼栋或房号选择)", en: "Unit (type the building or room)")
        static let mode = Message(zh: "方式", en: "How")
        static let met = Message(zh: "接待人", en: "Who was met")
        static let metHint = Message(zh: "例:业主李女士", en: "e.g. the owner, Ms Li")
        static let notes = Message(zh: "家访情况", en: "Notes")
        static let raised = Message(zh: "业户提出的意见(每条生成一张工单)", en: "Opinions raised (each becomes a request)")
        static let kind = Message(zh: "类别", en: "Kind")
        static let none = Message(zh: "—", en: "—")
        static let text = Message(zh: "内容", en: "What was said")
        static let save = Message(zh: "保存家访记录", en: "Save the visit")
        static let month = Message(zh: "本月", en: "This month")
        static let year = Message(zh: "本年", en: "This year")
        static let phone = Message(zh: "电话访问", en: "Phone visits")
        static let visited = Message(zh: "已访", en: "Visited")
        static let required = Message(zh: "应访", en: "Required")
        static let households = Message(zh: "户", en: "households")
        static let daysLeft = Message(zh: "本月剩余天数", en: "Days left this month")
        static let cap = Message(zh: "上限", en: "cap")
        static let suggest = Message(zh: "建议家访(最久未访)", en: "Suggested next (not visited for longest)")
        static let never = Message(zh: "从未家访", en: "Never visited")
        static let last = Message(zh: "上次", en: "Last")
        static let today = Message(zh: "今天的家访", en: "Today's visits")
        static let noVisits = Message(zh: "暂无家访记录。", en: "No visits yet.")
        static let noAreas = Message(zh: "您没有负责的区域。", en: "You have no area.")
        static let saved = Message(zh: "已保存家访记录", en: "Visit saved")
        static let again = Message(zh: "此家访已保存过,未重复登记", en: "This visit was saved already; nothing was added twice")
        static let filed = Message(zh: "已生成工单", en: "Requests filed")
        static let records = Message(zh: "家访记录", en: "Visit records")
        static let when = Message(zh: "时间", en: "When")
        static let by = Message(zh: "家访人", en: "By")
        static let check = Message(zh: "抽查", en: "Spot check")
        static let unknownUnit = Message(zh: "没有这个房屋,请从列表中选择", en: "No such unit: pick one from the list")
        static let fromTable = Message(zh: "户数取自已批准的区域工作分配表", en: "Households from the approved assignment table")
        static let fromRegistry = Message(zh: "尚无已批准的分配表:户数取自房屋登记", en: "No approved table yet: households from the registry")
        static let area = Message(zh: "区域", en: "Area")
    }

    struct Place {
        let scope: ConsoleScope
        let areas: [Area]
    }

    static func place(_ req: Request, _ permission: Permission = .visitHouseholds) async throws -> Place {
        let (current, _) = try await ConsoleScope.current(req)
        guard let community = current else { throw DomainError.notFound(Noun.community) }
        let scope = try await ConsoleScope.resolve(req, permission, community: community.id)
        let all = try await req.store.registry.areas(community: community.id)
        return Place(scope: scope, areas: scope.areas.map { mine in all.filter { mine.contains($0.id) } } ?? all)
    }

    /// Quota progress of areas, as cards (the phone) or rows.
    static func progressCards(_ progress: [VisitProgress], areas: [Area], fromTable: Bool, _ lang: Language) -> BodyNode {
        H.el("div", [("class", "visit-progress")], progress.map { p in
            let name = areas.first { $0.id == p.areaID }?.name ?? ""
            let monthOK = p.month >= p.quota.monthly
            return H.el("div", [("class", "card quota \(monthOK ? "ok" : "short")"), ("id", "quota-\(p.areaID.uuidString.prefix(8))")], [
                H.el("h3", [], text: "\(name) · \(p.quota.households) \(S.households.text(lang))"),
                H.el("p", [("class", "quota-month")], text: "\(S.month.text(lang)):\(S.visited.text(lang)) \(p.month) / \(S.required.text(lang)) \(p.quota.monthly) · \(S.daysLeft.text(lang)) \(p.daysLeft)"),
                H.el("p", [], text: "\(S.year.text(lang)):\(p.year) / \(p.quota.yearly) · \(S.phone.text(lang)) \(p.phoneYear) / \(S.cap.text(lang)) \(p.quota.phoneCap)"),
                H.el("small", [("class", "muted")], text: (fromTable ? S.fromTable : S.fromRegistry).text(lang)),
            ])
        })
    }

    /// GET /visits — the supervisor's visits on the phone.
    static func today(_ req: Request) async throws -> Response {
        let place = try await place(req)
        let lang = req.language
        let community = place.scope.community
        let now = req.application.propdesk.now()
        let time = LocalTime(community.timeZone)
        let month = DutyStore.month(of: now, timeZone: community.timeZone)
        let areaIDs = place.areas.map(\.id)
        let (households, fromTable) = try await req.store.visits.households(community: community.id)
        let progress = try await req.store.visits.progress(community: community.id, areas: areaIDs, month: month, timeZone: community.timeZone, households: households)
        let units = try await req.store.visits.units(community: community.id, areas: Set(areaIDs))
        let day = PatrolCoverage.day(of: now, timeZone: community.timeZone)
        let mine = try await req.store.visits.visits(community: community.id, areas: Set(areaIDs), by: place.scope.principal.userID, from: day.start, until: day.end)
        let labels = try await req.store.registry.unitLabels(Set(mine.map(\.unitID)))
        var kids: [BodyNode] = []
        if place.areas.isEmpty { kids.append(H.el("p", [("class", "muted")], text: S.noAreas.text(lang))) }
        kids.append(progressCards(progress, areas: place.areas, fromTable: fromTable, lang))
        let prefill = req.query[String.self, at: "unit"] ?? ""
        kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.record.text(lang)), form(units: units, prefill: prefill, lang)]))
        kids.append(H.el("section", [("class", "card"), ("id", "today-visits")], [
            H.el("h2", [], text: "\(S.today.text(lang)) (\(mine.count))"),
            mine.isEmpty ? H.el("p", [("class", "muted")], text: S.noVisits.text(lang)) : visitList(mine, labels: labels, time: time, lang),
        ]))
        for area in place.areas {
            let next = try await req.store.visits.suggestions(community: community.id, area: area.id, limit: 8)
            let names = try await req.store.registry.unitLabels(Set(next.map(\.unitID)))
            kids.append(H.el("section", [("class", "card suggestions"), ("id", "suggest-\(area.id.uuidString.prefix(8))")], [
                H.el("h2", [], text: "\(S.suggest.text(lang)) · \(area.name)"),
                H.el("ul", [("class", "checkpoint-list")], next.map { s in
                    let label = names[s.unitID] ?? ""
                    let when = s.lastVisit.map { "\(S.last.text(lang)) \(time.format($0, "yyyy-MM-dd"))" } ?? S.never.text(lang)
                    return H.el("li", [], [H.link("\(label) · \(when)", Routes.visits + "?unit=" + (label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                                  [("class", "button big secondary")])])
                }),
            ]))
        }
        kids.append(H.el("p", [], [H.link(WorkLogPages.S.title.text(lang), Routes.log)]))
        if place.scope.policy.has(.readFees) {
            // FEE-3: the area's arrears list and reminders, on the same phone.
            kids.append(H.el("p", [], [H.link(ArrearsPages.S.title.text(lang), Routes.arrears(community.id), [("id", "visits-arrears")]), .text(" · "),
                                       H.link(ArrearsPages.S.longTerm.text(lang), Routes.arrearsLongTerm(community.id))]))
        }
        return Layout.page(title: S.title, request: req, frame: place.scope.frame, communities: place.scope.communities, kids)
    }

    static func form(units: [(id: UUID, label: String)], prefill: String, _ lang: Language) -> BodyNode {
        var kids: [BodyNode] = [
            H.hidden("visitId", UUID().uuidString),
            H.field(S.unit.text(lang), "visit-unit", H.input([("id", "visit-unit"), ("name", "unit"), ("list", "unit-list"), ("required", "required"),
                                                               ("autocomplete", "off"), ("value", prefill), ("maxlength", "40")])),
            H.el("datalist", [("id", "unit-list")], units.map { H.el("option", [("value", $0.label)]) }),
            H.el("fieldset", [("class", "big-choice")], [H.el("legend", [], text: S.mode.text(lang))] + VisitMode.allCases.map { m in
                H.el("label", [("class", "choice")], [H.input([("type", "radio"), ("name", "mode"), ("value", m.rawValue), ("id", "mode-\(m.rawValue)")]
                                                             + (m == .door ? [("checked", "checked")] : [])), .text(" " + m.title.text(lang))])
            }),
            H.field(S.met.text(lang), "visit-met", H.input([("id", "visit-met"), ("name", "met"), ("required", "required"), ("maxlength", "60"),
                                                             ("placeholder", S.metHint.text(lang))])),
            H.field(S.notes.text(lang), "visit-notes", H.el("textarea", [("id", "visit-notes"), ("name", "notes"), ("rows", "3"), ("maxlength", "1000")])),
            H.el("h3", [], text: S.raised.text(lang)),
        ]
        for i in 0..<3 {
            kids.append(H.el("div", [("class", "raised-row")], [
                H.field("\(S.kind.text(lang)) \(i + 1)", "raised-kind-\(i)", H.select("raised-kind-\(i)", name: "raisedKind[k\(i)]",
                                                                                     [("", S.none.text(lang))] + RaisedItem.kinds.map { ($0.rawValue, $0.title.text(lang)) }, selected: "")),
                H.field("\(S.text.text(lang)) \(i + 1)", "raised-text-\(i)", H.input([("id", "raised-text-\(i)"), ("name", "raisedText[k\(i)]"), ("maxlength", "500")])),
            ]))
        }
        kids.append(H.button(S.save.text(lang), [("id", "save-visit"), ("class", "primary big")]))
        return H.form(Routes.visits, [("id", "visit-form")], kids)
    }

    static func visitList(_ visits: [HouseholdVisit], labels: [UUID: String], time: LocalTime, _ lang: Language) -> BodyNode {
        H.el("ul", [("class", "visit-list")], visits.map { v in
            var line: [BodyNode] = [.text("\(time.format(v.at, "MM-dd HH:mm")) · \(labels[v.unitID] ?? "") · \(v.mode.title.text(lang)) · \(v.met)")]
            if !v.notes.isEmpty { line.append(.text(" · \(v.notes)")) }
            for f in v.filed {
                line.append(.text(" · "))
                line.append(H.link("\(f.kind.title.text(lang)) \(f.number)", Routes.order(f.orderID), [("class", "filed-order")]))
            }
            if let c = v.check { line.append(H.el("span", [("class", c == .notHappened ? "badge bad" : "badge")], text: " \(S.check.text(lang)):\(c.title.text(lang))")) }
            return H.el("li", [("id", "visit-\(v.id.uuidString.prefix(8))")], line)
        })
    }

    struct VisitForm: Content {
        var visitId: String?
        var unit: String?
        var unitId: String?
        var mode: String?
        var met: String?
        var notes: String?
        var raisedKind: [String: String]?
        var raisedText: [String: String]?
    }

    /// POST /visits — records the visit and files its opinions; a resent form saves nothing twice.
    static func submit(_ req: Request) async throws -> Response {
        let place = try await place(req)
        do {
            let f = try req.content.decode(VisitForm.self)
            let visitID = try Parse.uuid(f.visitId ?? "", field: "visitId")
            let unit: UUID
            if let raw = f.unitId, !raw.isEmpty {
                unit = try Parse.uuid(raw, field: "unitId")
            } else {
                let wanted = (f.unit ?? "").trimmingCharacters(in: .whitespaces)
                let units = try await req.store.visits.units(community: place.scope.community.id, areas: place.scope.areas)
                guard let hit = units.first(where: { $0.label == wanted }) else { throw DomainError.invalid(field: "unit", S.unknownUnit) }
                unit = hit.id
            }
            guard let mode = VisitMode(rawValue: f.mode ?? "door") else {
                throw DomainError.invalid(field: "mode", Message(zh: "方式只能是上门或电话", en: "A visit is at the door or by phone"))
            }
            var raised: [RaisedItem] = []
            for i in 0..<5 {
                let kindRaw = f.raisedKind?["k\(i)"] ?? ""
                let text = (f.raisedText?["k\(i)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if kindRaw.isEmpty && text.isEmpty { continue }
                guard let kind = RequestKind(rawValue: kindRaw) else {
                    throw DomainError.invalid(field: "raisedKind", Message(zh: "第 \(i + 1) 条意见请选择类别", en: "Choose a kind for opinion \(i + 1)"))
                }
                raised.append(RaisedItem(kind: kind, text: text))
            }
            let r = try await SupervisionAccess.recordVisit(community: place.scope.community.id.uuidString,
                                                            .init(visitID: visitID, unitID: unit, mode: mode, met: f.met ?? "", notes: f.notes ?? "", raised: raised), req)
            let numbers = r.visit.filed.map(\.number).joined(separator: " ")
            let msg = r.created ? S.saved : S.again
            Flash.set(req, numbers.isEmpty ? msg : Message(zh: "\(msg.zhHans) · \(S.filed.zhHans) \(numbers)", en: "\(msg.en) · \(S.filed.en) \(numbers)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.visits, redirectType: .normal)
    }

    /// GET /c/:cid/visits?area=&month= — the month's visit records of an area (or all).
    static func list(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        let scope = try await ConsoleScope.resolve(req, SupervisionAccess.visitReaders.first(where: policy.has) ?? .visitHouseholds)
        let lang = req.language
        let community = scope.community
        let now = req.application.propdesk.now()
        let month = try ReportPeriod.month(req.query[String.self, at: "month"], timeZone: community.timeZone, now: now)
        let (from, until) = try MonthSummary.range(month: month, timeZone: community.timeZone)
        var areas = scope.areas
        if let raw = req.query[String.self, at: "area"], !raw.isEmpty {
            let a = try Parse.uuid(raw, field: "area")
            if let mine = areas, !mine.contains(a) { throw DomainError.notFound(Noun.area) }
            areas = [a]
        }
        let all = try await req.store.registry.areas(community: community.id)
        let shown = all.filter { areas?.contains($0.id) ?? true }
        let visits = try await req.store.visits.visits(community: community.id, areas: areas, from: from, until: until, limit: 2000)
        let labels = try await req.store.registry.unitLabels(Set(visits.map(\.unitID)))
        let (households, fromTable) = try await req.store.visits.households(community: community.id)
        let progress = try await req.store.visits.progress(community: community.id, areas: shown.map(\.id), month: month, timeZone: community.timeZone, households: households)
        let time = LocalTime(community.timeZone)
        return Layout.page(title: Message(zh: "\(S.records.zhHans) · \(month)", en: "\(S.records.en) · \(month)"), request: req, frame: scope.frame,
                           communities: scope.communities, [
            progressCards(progress, areas: shown, fromTable: fromTable, lang),
            H.el("table", [("class", "list"), ("id", "visit-records")], [
                H.el("thead", [], [H.el("tr", [], [S.when, S.area, RenovationPages.S.unit, S.mode, S.by, S.met, S.notes, S.filed, S.check].map { H.el("th", [], text: $0.text(lang)) })]),
                H.el("tbody", [], visits.map { v in
                    H.el("tr", [("class", v.counts ? "" : "struck")], [
                        H.el("td", [], text: time.format(v.at)), H.el("td", [], text: all.first { $0.id == v.areaID }?.name ?? ""),
                        H.el("td", [], text: labels[v.unitID] ?? ""), H.el("td", [], text: v.mode.title.text(lang)), H.el("td", [], text: OrderViews.person(v.byName, lang)),
                        H.el("td", [], text: v.met), H.el("td", [], text: v.notes),
                        H.el("td", [], v.filed.map { H.link("\($0.number) ", Routes.order($0.orderID)) }),
                        H.el("td", [], text: v.check?.title.text(lang) ?? ""),
                    ])
                }),
            ]),
        ])
    }
}
