import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The area supervisor's patrol on the phone (FLD-3, FLD-8): 今天 — what is left today and this
/// week, the open round, open findings — and the checkpoint form a label's QR code opens, with
/// big pass/fail choices, a note per failed item and the camera.
enum PatrolPages {
    enum S {
        static let today = Message(zh: "今天的巡查", en: "Today's patrol")
        static let keySpotsLeft = Message(zh: "今天未巡的重点部位", en: "Key spots not yet visited today")
        static let weekLeft = Message(zh: "本周未巡的检查点", en: "Checkpoints not yet visited this week")
        static let allDone = Message(zh: "都已巡查 ✓", en: "All visited ✓")
        static let openFindings = Message(zh: "未完成的巡查问题", en: "Open findings")
        static let noFindings = Message(zh: "没有未完成的问题。", en: "No open findings.")
        static let startKey = Message(zh: "开始重点部位巡查", en: "Start a key-spot round")
        static let startFull = Message(zh: "开始全面巡查", en: "Start a full round")
        static let finish = Message(zh: "结束本轮巡查", en: "Finish this round")
        static let roundOpen = Message(zh: "进行中的巡查", en: "Round in progress")
        static let code = Message(zh: "检查点编号", en: "Checkpoint code")
        static let codeHint = Message(zh: "无法扫码时,输入标签下方的 6 位编号", en: "Cannot scan? Type the 6-character code under the label")
        static let open = Message(zh: "打开", en: "Open")
        static let noCode = Message(zh: "没有这个检查点编号", en: "No checkpoint has this code")
        static let pass = Message(zh: "合格", en: "Pass")
        static let fail = Message(zh: "不合格", en: "Fail")
        static let whatIsWrong = Message(zh: "问题描述(不合格时必填)", en: "What is wrong (required when failed)")
        static let photos = Message(zh: "拍照", en: "Photos")
        static let note = Message(zh: "备注", en: "Note")
        static let save = Message(zh: "保存此检查点", en: "Save this checkpoint")
        static let lastVisits = Message(zh: "最近巡查", en: "Recent visits")
        static let keySpot = Message(zh: "重点部位", en: "Key spot")
        static let noAreas = Message(zh: "您没有负责的区域。", en: "You have no area to patrol.")
        static let visited = Message(zh: "已巡", en: "Visited")
        static let round = Message(zh: "巡查记录", en: "Patrol round")
        static let timeline = Message(zh: "记录(防篡改)", en: "Record (tamper-evident)")
        static let checkpoints = Message(zh: "检查点", en: "Checkpoints")
        static let coverage = Message(zh: "巡查覆盖", en: "Patrol coverage")
    }

    /// The community the page is about, and the caller's areas in it.
    struct Place {
        let scope: ConsoleScope
        let areas: [Area]
    }

    static func place(_ req: Request) async throws -> Place {
        let (current, _) = try await ConsoleScope.current(req)
        guard let community = current else { throw DomainError.notFound(Noun.community) }
        let scope = try await ConsoleScope.resolve(req, .patrol, community: community.id)
        let all = try await req.store.registry.areas(community: community.id)
        return Place(scope: scope, areas: scope.areas.map { mine in all.filter { mine.contains($0.id) } } ?? all)
    }

    /// GET /patrol — 今天; with ?code= it opens that checkpoint's form.
    static func today(_ req: Request) async throws -> Response {
        if let raw = req.query[String.self, at: "code"], !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            if let code = Checkpoint.normalizedCode(raw) { return req.redirect(to: Routes.checkpointForm(code)) }
            Flash.set(req, S.noCode, error: true)
            return req.redirect(to: Routes.patrol)
        }
        let place = try await place(req)
        let lang = req.language
        let community = place.scope.community
        let now = req.application.propdesk.now()
        let day = PatrolCoverage.day(of: now, timeZone: community.timeZone)
        let week = PatrolCoverage.week(of: now, timeZone: community.timeZone)
        let checkpoints = try await req.store.patrols.checkpoints(community: community.id, areas: Set(place.areas.map(\.id)))
        let visits = try await req.store.patrols.visitTimes(community: community.id, area: nil, from: week.start, until: week.end)
        let findings = try await req.store.patrols.openFindings(checkpoints: checkpoints.map(\.id))
        let rounds = try await req.store.patrols.openRounds(of: place.scope.principal.userID, community: community.id)
        let time = LocalTime(community.timeZone)
        var kids: [BodyNode] = [codeForm(lang)]
        if place.areas.isEmpty { kids.append(H.el("p", [("class", "muted")], text: S.noAreas.text(lang))) }
        for area in place.areas {
            let mine = checkpoints.filter { $0.areaID == area.id }
            // What is due today and this week, but also a checkpoint added today (not due yet) is listed.
            let keyLeft = mine.filter { $0.keySpot && !(visits[$0.id] ?? []).contains { $0 >= day.start && $0 < day.end } }
            let weekLeft = mine.filter { !$0.keySpot && (visits[$0.id] ?? []).isEmpty }
            let open = rounds.filter { $0.areaID == area.id }
            var section: [BodyNode] = [H.el("h2", [], text: area.name)]
            for r in open {
                section.append(H.el("div", [("class", "card round-open"), ("id", "round-\(r.id.uuidString.prefix(8))")], [
                    H.el("strong", [], text: "\(S.roundOpen.text(lang)) · \(r.scope.title.text(lang)) · \(time.format(r.startedAt, "HH:mm"))"), .text(" "),
                    H.link(S.round.text(lang), Routes.patrolRound(r.id)),
                    H.form(Routes.finishRound(r.id), [("class", "inline")], [H.button(S.finish.text(lang), primary: false)]),
                ]))
            }
            if open.isEmpty {
                section.append(H.el("div", [("class", "round-start")], RoundScope.allCases.map { scope in
                    H.form(Routes.patrolRounds, [("class", "inline")], [
                        H.hidden("areaId", area.id.uuidString), H.hidden("scope", scope.rawValue),
                        H.button((scope == .keySpots ? S.startKey : S.startFull).text(lang), [("id", "start-\(scope.rawValue)-\(area.id.uuidString.prefix(8))")],
                                 primary: scope == .keySpots),
                    ])
                }))
            }
            section.append(H.el("h3", [], text: "\(S.keySpotsLeft.text(lang)) (\(keyLeft.count))"))
            section.append(list(keyLeft, lang, empty: S.allDone))
            section.append(H.el("h3", [], text: "\(S.weekLeft.text(lang)) (\(weekLeft.count))"))
            section.append(list(weekLeft, lang, empty: S.allDone))
            let areaFindings = findings.filter { f in mine.contains { $0.id == f.checkpointID } }
            section.append(H.el("h3", [], text: "\(S.openFindings.text(lang)) (\(areaFindings.count))"))
            section.append(findingList(areaFindings, checkpoints: mine, lang))
            kids.append(H.el("section", [("class", "card patrol-area"), ("id", "area-\(area.id.uuidString.prefix(8))")], section))
        }
        // Renovating units due for inspection today (S2 4.2.2): part of the same walk.
        if place.scope.policy.has(.inspectRenovations) {
            let due = try await req.store.renovations.dueForInspection(community: community.id, areas: Set(place.areas.map(\.id)), timeZone: community.timeZone, at: now)
            let units = try await req.store.registry.unitLabels(Set(due.map(\.unitID)))
            kids.append(H.el("section", [("class", "card"), ("id", "renovations-due")], [
                H.el("h2", [], text: "\(RenovationPages.S.toInspect.text(lang)) (\(due.count))"),
                due.isEmpty ? H.el("p", [("class", "muted")], text: S.allDone.text(lang)) : H.el("ul", [("class", "checkpoint-list")], due.map { r in
                    H.el("li", [], [H.link("\(units[r.unitID] ?? r.number) · \(r.works)", Routes.renovation(r.id), [("class", "button big")])])
                }),
            ]))
        }
        if place.scope.policy.has(.managePatrols) || place.scope.areas != nil {
            kids.append(H.el("p", [], [H.link(S.coverage.text(lang), Routes.patrolCoverage(community.id, area: place.areas.first?.id, week: nil)),
                                       .text(place.scope.policy.has(.managePatrols) ? " · " : ""),
                                       place.scope.policy.has(.managePatrols) ? H.link(S.checkpoints.text(lang), Routes.checkpoints(community.id)) : .text("")]))
        }
        return Layout.page(title: S.today, request: req, frame: Frame(community: community, bodyClass: "phone-first"), communities: place.scope.communities, kids)
    }

    static func codeForm(_ lang: Language) -> BodyNode {
        H.el("form", [("method", "get"), ("action", Routes.patrol), ("class", "inline-form code-form"), ("id", "code-form")], [
            H.field(S.code.text(lang), "checkpoint-code", H.input([("type", "text"), ("id", "checkpoint-code"), ("name", "code"), ("maxlength", "12"),
                                                                   ("autocapitalize", "characters"), ("autocomplete", "off"), ("class", "short")]),
                    hint: S.codeHint.text(lang)),
            H.button(S.open.text(lang), primary: false),
        ])
    }

    static func list(_ points: [Checkpoint], _ lang: Language, empty: Message) -> BodyNode {
        guard !points.isEmpty else { return H.el("p", [("class", "muted")], text: empty.text(lang)) }
        return H.el("ul", [("class", "checkpoint-list")], points.map { c in
            H.el("li", [], [H.link("\(c.name) · \(c.location)", Routes.checkpointForm(c.code), [("class", "button big"), ("data-code", c.code)])])
        })
    }

    static func findingList(_ findings: [PatrolStore.OpenFinding], checkpoints: [Checkpoint], _ lang: Language) -> BodyNode {
        guard !findings.isEmpty else { return H.el("p", [("class", "muted")], text: S.noFindings.text(lang)) }
        return H.el("ul", [("class", "findings")], findings.map { f in
            let c = checkpoints.first { $0.id == f.checkpointID }
            return H.el("li", [], [H.link(f.orderNumber, Routes.order(f.orderID)), .text(" "), OrderViews.statusBadge(f.status, lang), .text(" "),
                                   OrderViews.priorityBadge(f.priority, lang), .text(" \(c?.name ?? "") · \(f.description.prefix(60))")])
        })
    }

    /// GET /p/:code — the checkpoint's form (the QR code on its label opens it).
    static func form(_ req: Request) async throws -> Response {
        let c = try await PatrolAccess.checkpoint(req.parameters.get("code") ?? "", req)
        let lang = req.language
        guard let community = try await req.store.registry.community(c.communityID) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        let p = try req.requirePrincipal()
        let round = try await req.store.patrols.openRounds(of: p.userID, community: c.communityID).first { $0.areaID == c.areaID }
        let findings = try await req.store.patrols.openFindings(checkpoints: [c.id])
        let recent = try await req.store.patrols.visits(checkpoint: c.id, limit: 5)
        var fields: [BodyNode] = [H.hidden("visitId", UUID().uuidString)]
        if let round { fields.append(H.hidden("roundId", round.id.uuidString)) }
        for item in c.items {
            fields.append(H.el("fieldset", [("class", "check-item"), ("id", "item-\(item.id)")], [
                H.el("legend", [], [H.el("small", [("class", "muted")], text: item.category.title.text(lang)), H.el("br"), .text(item.text)]),
                H.el("div", [("class", "choices")], [
                    H.el("label", [("class", "choice pass")], [H.input([("type", "radio"), ("name", "pass[i\(item.id)]"), ("value", "pass"), ("required", "required"), ("id", "pass-\(item.id)")]), .text(" " + S.pass.text(lang))]),
                    H.el("label", [("class", "choice fail")], [H.input([("type", "radio"), ("name", "pass[i\(item.id)]"), ("value", "fail"), ("id", "fail-\(item.id)")]), .text(" " + S.fail.text(lang))]),
                ]),
                H.input([("type", "text"), ("name", "itemNote[i\(item.id)]"), ("id", "note-\(item.id)"), ("maxlength", "500"), ("placeholder", S.whatIsWrong.text(lang)), ("aria-label", S.whatIsWrong.text(lang))]),
            ]))
        }
        fields.append(H.field(S.photos.text(lang), "visit-photos", H.input([("type", "file"), ("id", "visit-photos"), ("name", "photos[]"), ("accept", "image/*"), ("capture", "environment"), ("multiple", "multiple")])))
        fields.append(H.field(S.note.text(lang), "visit-note", H.el("textarea", [("id", "visit-note"), ("name", "note"), ("rows", "2"), ("maxlength", "1000")], [])))
        fields.append(H.el("button", [("type", "submit"), ("class", "primary big"), ("id", "visit-submit")], text: S.save.text(lang)))
        var kids: [BodyNode] = [
            H.el("p", [("class", "muted")], text: "\(c.code) · \(c.location)" + (c.keySpot ? " · \(S.keySpot.text(lang))" : "")),
        ]
        if !findings.isEmpty {
            kids.append(H.el("section", [("class", "card"), ("id", "checkpoint-findings")], [H.el("h2", [], text: S.openFindings.text(lang)), findingList(findings, checkpoints: [c], lang)]))
        }
        kids.append(H.form(Routes.checkpointForm(c.code), [("enctype", "multipart/form-data"), ("class", "card checkpoint-form"), ("id", "checkpoint-form")], fields))
        if !recent.isEmpty {
            kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.lastVisits.text(lang)), H.el("ul", [], recent.map { v in
                H.el("li", [], [.text("\(time.format(v.at)) · \(OrderViews.person(v.byName, lang)) · \(v.failed.isEmpty ? S.pass.text(lang) : "\(S.fail.text(lang)) \(v.failed.count)") "),
                                H.link(S.round.text(lang), Routes.patrolRound(v.roundID))])
            })]))
        }
        return Layout.page(title: Message(zh: c.name, en: c.name), request: req, frame: Frame(community: community, bodyClass: "phone-first"), kids)
    }

    struct VisitForm: Content {
        var visitId: String?
        var roundId: String?
        var note: String?
        var pass: [String: String]?
        var itemNote: [String: String]?
    }

    /// POST /p/:code — saves the checkpoint; failed items become work orders.
    static func submit(_ req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        let c = try await PatrolAccess.checkpoint(code, req)
        do {
            let form = try req.content.decode(VisitForm.self)
            let visitID = try Parse.uuid(form.visitId ?? "", field: "visitId")
            let roundID = try (form.roundId).flatMap { $0.isEmpty ? nil : try Parse.uuid($0, field: "roundId") }
            let results = c.items.compactMap { item -> ItemResult? in
                // Keys are "i1", "i2" …: a number alone would read as an array index in a multipart body.
                guard let v = form.pass?["i" + item.id] ?? form.pass?[item.id], v == "pass" || v == "fail" else { return nil }
                return ItemResult(itemID: item.id, passed: v == "pass", note: form.itemNote?["i" + item.id] ?? form.itemNote?[item.id] ?? "")
            }
            let photos = try Photos.files(req).map { try EvidenceStore.check($0.bytes, kind: .photo, caption: c.name, signedBy: nil, field: "photos") }
            let recorded = try await PatrolAccess.record(c.id.uuidString, visitID: visitID, roundID: roundID, results: results, note: form.note ?? "",
                                                         photos: photos, req)
            let orders = recorded.visit.findings.map { $0.orderNumber }.joined(separator: "、")
            let failed = recorded.visit.failed.count
            Flash.set(req, failed == 0
                ? Message(zh: "已保存 \(c.name):全部合格", en: "Saved \(c.name): all passed")
                : Message(zh: "已保存 \(c.name):\(failed) 项不合格,已生成工单 \(orders)", en: "Saved \(c.name): \(failed) failed, work order(s) \(orders) created"))
            return req.redirect(to: Routes.patrol, redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.checkpointForm(c.code), redirectType: .normal)
        }
    }

    /// POST /patrol/rounds
    static func start(_ req: Request) async throws -> Response {
        do {
            let (current, _) = try await ConsoleScope.current(req)
            let r = try await PatrolAccess.startRound(community: current?.id.uuidString ?? "", area: (try? req.content.get(String.self, at: "areaId")) ?? "",
                                                      scope: (try? req.content.get(String.self, at: "scope")) ?? "", req)
            Flash.set(req, Message(zh: "已开始:\(r.scope.title.zhHans)", en: "Started: \(r.scope.title.en)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.patrol, redirectType: .normal)
    }

    /// POST /patrol/rounds/:rid/finish
    static func finish(_ req: Request) async throws -> Response {
        let r = try await PatrolAccess.round(req.parameters.get("rid") ?? "", req)
        let done = try await req.store.patrols.finishRound(r.id, by: req.actor)
        let visits = try await req.store.patrols.visits(round: done.id)
        Flash.set(req, Message(zh: "本轮巡查已结束:巡查 \(visits.count) 个检查点", en: "Round finished: \(visits.count) checkpoint(s) visited"))
        return req.redirect(to: Routes.patrol, redirectType: .normal)
    }

    /// GET /patrol/rounds/:rid — a round's visits with answers, photos and orders, and its
    /// hash-chained record.
    static func round(_ req: Request) async throws -> Response {
        let r = try await PatrolAccess.round(req.parameters.get("rid") ?? "", req)
        let lang = req.language
        guard let community = try await req.store.registry.community(r.communityID) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        let visits = try await req.store.patrols.visits(round: r.id)
        let checkpoints = try await req.store.patrols.checkpoints(community: r.communityID, areas: [r.areaID], retired: true)
        var kids: [BodyNode] = [H.el("p", [], text: "\(r.scope.title.text(lang)) · \(r.patrollerName) · \(time.format(r.startedAt))"
                                                   + (r.finishedAt.map { " – \(time.format($0, "HH:mm"))" } ?? ""))]
        for v in visits {
            let c = checkpoints.first { $0.id == v.checkpointID }
            let files = try await req.store.evidence.list(.patrolVisit, v.id)
            var rows: [BodyNode] = (c?.items ?? []).map { item in
                let res = v.results.first { $0.itemID == item.id }
                let finding = v.findings.first { $0.itemID == item.id }
                return H.el("tr", [("class", res?.passed == false ? "failed" : "")], [
                    H.el("td", [], text: item.text),
                    H.el("td", [], text: res.map { $0.passed ? S.pass.text(lang) : "\(S.fail.text(lang)):\($0.note)" } ?? "—"),
                    H.el("td", [], [finding.map { H.link($0.orderNumber, Routes.order($0.orderID)) } ?? .text("")]),
                ])
            }
            if !v.note.isEmpty { rows.append(H.el("tr", [], [H.el("td", [], text: S.note.text(lang)), H.el("td", [("colspan", "2")], text: v.note)])) }
            kids.append(H.el("section", [("class", "card"), ("id", "visit-\(v.id.uuidString.prefix(8))")], [
                H.el("h2", [], text: "\(time.format(v.at, "HH:mm")) · \(c?.name ?? "")"),
                H.el("table", [("class", "register")], rows),
                H.el("ul", [("class", "evidence")], files.map { e in
                    H.el("li", [], [H.el("img", [("src", Routes.evidence(e.id)), ("alt", e.caption), ("class", "scan")]), .text(e.caption)])
                }),
            ]))
        }
        let entries = try await req.store.timelines.entries(.patrolRound, r.id)
        kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.timeline.text(lang)), RenovationPages.timeline(entries, time, lang)]))
        return Layout.page(title: S.round, request: req, frame: Frame(community: community, bodyClass: "phone-first"), kids)
    }
}
