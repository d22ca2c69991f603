import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The key board in pages (FD-5, S4 4.12): who holds what now (on the board, lent to whom since
/// when and until when, overdue loans in red), the forms to receive, lend, take back and hand
/// back keys, the monthly count of the board against the ledger, the ledger itself and its
/// printed copy. Who holds what is always the ledger replayed, never typed.
enum KeyPages {
    enum S {
        static let title = Message(zh: "钥匙托管", en: "Keys held")
        static let now = Message(zh: "钥匙现况", en: "Who holds what now")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let onBoard = Message(zh: "在钥匙板", en: "On the board")
        static let lent = Message(zh: "借出", en: "Lent")
        static let none = Message(zh: "目前没有托管钥匙。", en: "No keys are held.")
        static let receive = Message(zh: "收存钥匙", en: "Receive keys")
        static let from = Message(zh: "交来人", en: "From whom")
        static let count = Message(zh: "数量(把)", en: "Keys")
        static let lend = Message(zh: "借出钥匙", en: "Lend keys")
        static let to = Message(zh: "借用人", en: "To whom")
        static let idKind = Message(zh: "核验证件", en: "ID checked")
        static let idLast4 = Message(zh: "证件号后四位", en: "Last 4 characters of the ID number")
        static let idHint = Message(zh: "只记证件种类和后四位,不记完整号码", en: "Only the kind and the last four characters are kept, never the whole number")
        static let purpose = Message(zh: "用途", en: "Purpose")
        static let expectedBack = Message(zh: "预计归还", en: "Due back")
        static let since = Message(zh: "借出于", en: "since")
        static let due = Message(zh: "应还", en: "due")
        static let overdue = Message(zh: "逾期未还", en: "Overdue")
        static let giveBack = Message(zh: "归还", en: "Returned")
        static let handBack = Message(zh: "退还业主", en: "Hand back to the owner")
        static let owner = Message(zh: "领取人(业主)", en: "Taken by (owner)")
        static let monthly = Message(zh: "每月盘点(S4 4.12)", en: "Monthly count (S4 4.12)")
        static let counted = Message(zh: "实点", en: "Counted")
        static let ledger = Message(zh: "台账", en: "Ledger")
        static let note = Message(zh: "说明", en: "Note")
        static let countIt = Message(zh: "记录盘点结果", en: "Record the count")
        static let counts = Message(zh: "盘点记录", en: "Counts made")
        static let noCounts = Message(zh: "近一年没有盘点记录。", en: "No counts in the past year.")
        static let differences = Message(zh: "处差异", en: "difference(s)")
        static let history = Message(zh: "钥匙台账", en: "Key ledger")
        static let when = Message(zh: "时间", en: "When")
        static let kind = Message(zh: "事项", en: "Movement")
        static let party = Message(zh: "交来人/借用人", en: "From / to")
        static let by = Message(zh: "经办", en: "Desk")
        static let print = Message(zh: "打印钥匙台账", en: "Print the key ledger")
        static let saved = Message(zh: "已记录", en: "Recorded")
        static let countNothing = Message(zh: "钥匙板上没有需要盘点的钥匙", en: "There are no keys on the board to count")
    }

    static func scope(_ req: Request) async throws -> ConsoleScope {
        _ = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        return try await ConsoleScope.resolve(req, .keepDutyLog)
    }

    /// GET /c/:cid/keys
    static func render(_ req: Request) async throws -> Response {
        let scope = try await scope(req)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let now = req.application.propdesk.now()
        let holdings = try await req.store.keys.holdings(community: c.id)
        let movements = try await req.store.keys.movements(community: c.id, limit: 200)
        let labels = try await req.store.registry.unitLabels(Set(holdings.map(\.unitID) + movements.map(\.unitID)))
        let sorted = holdings.sorted { (labels[$0.unitID] ?? "") < (labels[$1.unitID] ?? "") }
        let buildings = try await req.store.registry.buildings(community: c.id)
        let counts = try await req.store.keys.reconciliations(community: c.id, from: now.addingTimeInterval(-366 * 86400), until: now.addingTimeInterval(60))
        var kids: [BodyNode] = [H.el("p", [], [H.link(S.print.text(lang), Routes.keysPrint(c.id), [("id", "keys-print")])])]

        kids.append(H.el("section", [("class", "card"), ("id", "keys-now")], [H.el("h2", [], text: S.now.text(lang)),
            sorted.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("div", [("class", "table-wrap")], [
                H.el("table", [("id", "key-holdings")], [H.el("tr", [], [S.unit, S.onBoard, S.lent, S.handBack].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })]
                    + sorted.map { h in holdingRow(h, label: labels[h.unitID] ?? "", community: c.id, now: now, time: time, lang) }),
            ]),
        ]))

        kids.append(H.form(Routes.keyMovements(c.id), [("id", "receive-form"), ("class", "card")], [
            H.el("h2", [], text: S.receive.text(lang)),
            H.hidden("kind", KeyMovementKind.received.rawValue), H.hidden("movementId", UUID().uuidString),
            DeskForms.unitFields(buildings, prefix: "rk", lang),
            H.field(S.from.text(lang), "rk-party", H.input([("type", "text"), ("id", "rk-party"), ("name", "party"), ("required", "required"), ("maxlength", "40")])),
            H.field(S.count.text(lang), "rk-count", H.input([("type", "number"), ("id", "rk-count"), ("name", "count"), ("min", "1"), ("max", "50"), ("value", "1"), ("required", "required")])),
            H.button(S.receive.text(lang), [("id", "receive-keys")]),
        ]))

        kids.append(H.form(Routes.keyMovements(c.id), [("id", "lend-form"), ("class", "card")], [
            H.el("h2", [], text: S.lend.text(lang)),
            H.hidden("kind", KeyMovementKind.lent.rawValue), H.hidden("movementId", UUID().uuidString),
            DeskForms.unitFields(buildings, prefix: "lk", lang),
            H.field(S.to.text(lang), "lk-party", H.input([("type", "text"), ("id", "lk-party"), ("name", "party"), ("required", "required"), ("maxlength", "40")])),
            H.field(S.idKind.text(lang), "lk-id-kind", H.select("lk-id-kind", name: "idKind", IDDocumentType.allCases.map { ($0.rawValue, DeskForms.title($0).text(lang)) },
                                                                selected: IDDocumentType.residentID.rawValue)),
            H.field(S.idLast4.text(lang), "lk-id-last4", H.input([("type", "text"), ("id", "lk-id-last4"), ("name", "idLast4"), ("required", "required"), ("minlength", "4"),
                                                                 ("maxlength", "4"), ("pattern", "[0-9A-Za-z]{4}"), ("autocomplete", "off")]), hint: S.idHint.text(lang)),
            H.field(S.purpose.text(lang), "lk-purpose", H.input([("type", "text"), ("id", "lk-purpose"), ("name", "purpose"), ("required", "required"), ("maxlength", "200")])),
            H.field(S.count.text(lang), "lk-count", H.input([("type", "number"), ("id", "lk-count"), ("name", "count"), ("min", "1"), ("max", "50"), ("value", "1"), ("required", "required")])),
            H.field(S.expectedBack.text(lang), "lk-back", H.input([("type", "datetime-local"), ("id", "lk-back"), ("name", "expectedBack"), ("required", "required")])),
            H.button(S.lend.text(lang), [("id", "lend-keys")]),
        ]))

        var count: [BodyNode] = [H.el("h2", [], text: S.monthly.text(lang))]
        if sorted.isEmpty {
            count.append(H.el("p", [("class", "muted")], text: S.countNothing.text(lang)))
        } else {
            count.append(H.form(Routes.keyCount(c.id), [("id", "count-form")], [
                H.el("table", [("id", "count-table")], [H.el("tr", [], [S.unit, S.ledger, S.counted].map { H.el("th", [("scope", "col")], text: $0.text(lang)) })] + sorted.map { h in
                    let id = "count-\(h.unitID.uuidString.prefix(8))"
                    return H.el("tr", [], [
                        H.el("td", [], [H.el("label", [("for", id)], text: labels[h.unitID] ?? "")]),
                        H.el("td", [], text: String(h.onBoard)),
                        H.el("td", [], [H.input([("type", "number"), ("id", id), ("name", "counted[\(h.unitID.uuidString)]"), ("min", "0"), ("max", "50"), ("required", "required")])]),
                    ])
                }),
                H.field(S.note.text(lang), "count-note", H.input([("type", "text"), ("id", "count-note"), ("name", "note"), ("maxlength", "500")])),
                H.button(S.countIt.text(lang), [("id", "count-keys")]),
            ]))
        }
        count.append(H.el("h3", [], text: S.counts.text(lang)))
        count.append(counts.isEmpty ? H.el("p", [("class", "muted")], text: S.noCounts.text(lang)) : H.el("ul", [("id", "key-counts")], counts.reversed().map { r in
            H.el("li", [("class", r.differences > 0 ? "error" : "")], text: "\(time.format(r.at)) · \(OrderViews.person(r.byName, lang)) · \(r.differences) \(S.differences.text(lang))")
        }))
        kids.append(H.el("section", [("class", "card"), ("id", "key-count")], count))

        kids.append(H.el("section", [("class", "card"), ("id", "key-ledger")], [H.el("h2", [], text: S.history.text(lang)), ledger(movements, labels: labels, time: time, lang)]))
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func holdingRow(_ h: KeyHolding, label: String, community: UUID, now: Date, time: LocalTime, _ lang: PropDeskCore.Language) -> BodyNode {
        let tag = String(h.unitID.uuidString.prefix(8))
        let loans: [BodyNode] = h.loans.enumerated().map { i, loan in
            let late = loan.expectedBack.map { $0 < now } ?? false
            let text = "\(loan.party) × \(loan.count) · \(S.since.text(lang)) \(time.format(loan.since))"
                + (loan.expectedBack.map { " · \(S.due.text(lang)) \(time.format($0))" } ?? "") + (late ? " · \(S.overdue.text(lang))" : "")
            return H.el("div", [("class", late ? "error overdue" : ""), ("data-party", loan.party)], [
                .text(text + " "),
                H.form(Routes.keyMovements(community), [("class", "inline"), ("id", "return-\(tag)-\(i)")], [
                    H.hidden("kind", KeyMovementKind.returned.rawValue), H.hidden("movementId", UUID().uuidString), H.hidden("unitId", h.unitID.uuidString),
                    H.hidden("party", loan.party), H.hidden("count", String(loan.count)),
                    H.el("button", [("type", "submit"), ("class", "secondary small"), ("id", "return-\(tag)-\(i)-go")], text: S.giveBack.text(lang)),
                ]),
            ])
        }
        let handBack: BodyNode = h.onBoard > 0 ? H.form(Routes.keyMovements(community), [("class", "inline"), ("id", "handback-\(tag)")], [
            H.hidden("kind", KeyMovementKind.handedBack.rawValue), H.hidden("movementId", UUID().uuidString), H.hidden("unitId", h.unitID.uuidString),
            H.el("label", [("class", "sr-only"), ("for", "handback-\(tag)-party")], text: S.owner.text(lang)),
            H.input([("type", "text"), ("id", "handback-\(tag)-party"), ("name", "party"), ("required", "required"), ("maxlength", "40"), ("placeholder", S.owner.text(lang))]),
            H.el("label", [("class", "sr-only"), ("for", "handback-\(tag)-count")], text: S.count.text(lang)),
            H.input([("type", "number"), ("id", "handback-\(tag)-count"), ("name", "count"), ("min", "1"), ("max", String(h.onBoard)), ("value", String(h.onBoard))]),
            H.el("button", [("type", "submit"), ("class", "secondary small"), ("id", "handback-\(tag)-go")], text: S.handBack.text(lang)),
        ]) : .text("")
        return H.el("tr", [("data-unit", label), ("data-on-board", String(h.onBoard)), ("data-lent", String(h.loans.map(\.count).reduce(0, +)))], [
            H.el("td", [], text: label), H.el("td", [("class", "on-board")], text: String(h.onBoard)), H.el("td", [], loans), H.el("td", [], [handBack]),
        ])
    }

    static func ledger(_ movements: [KeyMovement], labels: [UUID: String], time: LocalTime, _ lang: PropDeskCore.Language) -> BodyNode {
        guard !movements.isEmpty else { return H.el("p", [("class", "muted")], text: S.none.text(lang)) }
        return H.el("div", [("class", "table-wrap")], [H.el("table", [("class", "register"), ("id", "key-movements")], [
            H.el("tr", [], [S.when, S.unit, S.kind, S.count, S.party, S.idKind, S.purpose, S.expectedBack, S.by].map { H.el("th", [("scope", "col")], text: $0.text(lang)) }),
        ] + movements.map { m in
            H.el("tr", [("data-kind", m.kind.rawValue)], [
                H.el("td", [], text: time.format(m.at)), H.el("td", [], text: labels[m.unitID] ?? ""), H.el("td", [], text: m.kind.title.text(lang)),
                H.el("td", [], text: String(m.count)), H.el("td", [], text: m.party), H.el("td", [], text: m.idChecked), H.el("td", [], text: m.purpose),
                H.el("td", [], text: m.expectedBack.map { time.format($0) } ?? ""), H.el("td", [], text: OrderViews.person(m.byName, lang)),
            ])
        })])
    }

    struct MoveForm: Content {
        var kind: String?
        var movementId: String?
        var unitId: String?
        var buildingId: String?
        var room: String?
        var party: String?
        var count: String?
        var idKind: String?
        var idLast4: String?
        var purpose: String?
        var expectedBack: String?
    }

    /// POST /c/:cid/keys/movements — one movement: received, lent, returned or handed back.
    static func move(_ req: Request) async throws -> Response {
        let cid = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        do {
            guard let community = try await req.store.registry.community(cid) else { throw DomainError.notFound(Noun.community) }
            let f = try req.content.decode(MoveForm.self)
            let kind = try KeyMovementKind(rawValue: f.kind ?? "").orThrow(field: "kind", Message(zh: "请选择钥匙事项", en: "Choose what happened to the keys"))
            let unit = try await DeskForms.unit(id: f.unitId, building: f.buildingId, room: f.room, community: cid, req)
            let count = try DeskForms.integer(f.count, field: "count", 1...50)
            var idChecked = ""
            if kind == .lent {
                let type = try IDDocumentType(rawValue: f.idKind ?? "").orThrow(field: "idKind", Message(zh: "请选择核验的证件", en: "Choose the ID document checked"))
                idChecked = "\(DeskForms.title(type).zhHans) 后四位 \(try DeskForms.lastFour(f.idLast4))"
            }
            let back = kind == .lent ? try LocalTime(community.timeZone).parse(f.expectedBack ?? "", field: "expectedBack") : nil
            if kind == .lent, back == nil {
                throw DomainError.invalid(field: "expectedBack", Message(zh: "请填写预计归还时间", en: "Say when the keys are due back"))
            }
            let id = try (f.movementId ?? "").isEmpty ? nil : Parse.uuid(f.movementId ?? "", field: "movementId")
            _ = try await req.store.keys.record(.init(unitID: unit, kind: kind, count: count, party: f.party ?? "", idChecked: idChecked,
                                                      purpose: kind == .lent ? f.purpose ?? "" : "", expectedBack: back, id: id), community: cid, by: req.actor)
            Flash.set(req, Message(zh: "\(S.saved.zhHans):\(kind.title.zhHans) \(count) 把", en: "\(S.saved.en): \(kind.title.en.lowercased()), \(count)"))
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.keys(cid), redirectType: .normal)
    }

    struct CountForm: Content {
        var counted: [String: String]?
        var note: String?
    }

    /// POST /c/:cid/keys/count — the month's count of the board against the ledger.
    static func count(_ req: Request) async throws -> Response {
        let cid = try FrontDeskAccess.community(req.parameters.get("cid") ?? "", .keepDutyLog, req)
        do {
            let f = try req.content.decode(CountForm.self)
            guard (f.counted ?? [:]).count <= 5000 else { throw DomainError.invalid(field: "counted", Message(zh: "盘点的房屋太多", en: "Too many units in one count")) }
            var counted: [UUID: Int] = [:]
            for (raw, value) in f.counted ?? [:] {
                counted[try Parse.uuid(raw, field: "counted")] = try DeskForms.integer(value, field: "counted", 0...50)
            }
            guard !counted.isEmpty else { throw DomainError.invalid(field: "counted", S.countNothing) }
            let differences = try await req.store.keys.reconcile(community: cid, counted: counted, note: f.note ?? "", by: req.actor)
            let labels = try await req.store.registry.unitLabels(Set(differences.map(\.unitID)))
            let list = differences.map { "\(labels[$0.unitID] ?? "?") \($0.ledger)→\($0.counted)" }.joined(separator: "、")
            Flash.set(req, differences.isEmpty ? Message(zh: "盘点完成,账实相符", en: "Counted: the board matches the ledger")
                : Message(zh: "盘点完成,\(differences.count) 处差异已记录:\(list)", en: "Counted: \(differences.count) difference(s) recorded: \(list)"), error: !differences.isEmpty)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: Routes.keys(cid), redirectType: .normal)
    }

    /// GET /c/:cid/keys/print — the key ledger on paper: who holds what now, then every movement.
    static func print(_ req: Request) async throws -> Response {
        let scope = try await scope(req)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let holdings = try await req.store.keys.holdings(community: c.id)
        let movements = try await req.store.keys.movements(community: c.id, limit: 500)
        let labels = try await req.store.registry.unitLabels(Set(holdings.map(\.unitID) + movements.map(\.unitID)))
        let rows = holdings.sorted { (labels[$0.unitID] ?? "") < (labels[$1.unitID] ?? "") }.map { h in
            H.el("tr", [], [H.el("td", [], text: labels[h.unitID] ?? ""), H.el("td", [], text: String(h.onBoard)),
                            H.el("td", [], text: h.loans.map { "\($0.party) × \($0.count)" + ($0.expectedBack.map { " (\(S.due.text(lang)) \(time.format($0)))" } ?? "") }.joined(separator: ";"))])
        }
        return PrintForms.sheet(req, title: S.history, community: c, [
            H.el("h2", [], text: S.history.text(lang)),
            H.el("p", [("class", "muted")], text: time.format(req.application.propdesk.now())),
            H.el("table", [("class", "form-table"), ("id", "print-holdings")], [H.el("tr", [], [S.unit, S.onBoard, S.lent].map { H.el("th", [], text: $0.text(lang)) })] + rows),
            ledger(movements, labels: labels, time: time, lang),
        ])
    }
}

/// What the desk's forms share (FD-5 … FD-7): a unit named by its building and room, the kinds
/// of ID document, small bounded numbers.
enum DeskForms {
    static func title(_ t: IDDocumentType) -> Message {
        switch t {
        case .residentID: Message(zh: "居民身份证", en: "Resident ID card")
        case .passport: Message(zh: "护照", en: "Passport")
        case .permit: Message(zh: "通行证/居住证", en: "Travel or residence permit")
        case .businessLicence: Message(zh: "营业执照", en: "Business licence")
        }
    }

    static func unitFields(_ buildings: [Building], prefix: String, required: Bool = true, _ lang: PropDeskCore.Language) -> BodyNode {
        H.el("div", [("class", "row")], [
            H.field(RenovationPages.S.building.text(lang), "\(prefix)-building",
                    H.select("\(prefix)-building", name: "buildingId", (required ? [] : [("", "—")]) + buildings.map { ($0.id.uuidString, $0.name) }, selected: nil)),
            H.field(RenovationPages.S.room.text(lang), "\(prefix)-room",
                    H.input([("type", "text"), ("id", "\(prefix)-room"), ("name", "room"), ("maxlength", "20"), ("placeholder", "1201")] + (required ? [("required", "required")] : []))),
        ])
    }

    /// The unit a form names: by id (a row's own form) or by building and room.
    static func unit(id: String?, building: String?, room: String?, community: UUID, _ req: Request) async throws -> UUID {
        if let id, !id.isEmpty {
            guard let u = UUID(uuidString: id), let unit = try await req.store.registry.unit(u), unit.unit.communityID == community else { throw DomainError.notFound(Noun.unit) }
            return u
        }
        let b = try Parse.uuid(building ?? "", field: "buildingId")
        let room = try Validate.text(room ?? "", field: "room", max: 20, required: true)
        guard let unit = try await req.store.renovations.unit(community: community, building: b, room: room) else {
            throw DomainError.invalid(field: "room", Message(zh: "该楼栋没有房号 \(room)", en: "The building has no room \(room)"))
        }
        return unit
    }

    static func integer(_ raw: String?, field: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let n = Int((raw ?? "").trimmingCharacters(in: .whitespaces)), range.contains(n) else {
            throw DomainError.invalid(field: field, Message(zh: "应为 \(range.lowerBound) 到 \(range.upperBound) 的整数", en: "A whole number from \(range.lowerBound) to \(range.upperBound)"))
        }
        return n
    }

    /// The last four characters of an ID number, the only part a loan keeps (SEC-3: minimum data).
    static func lastFour(_ raw: String?) throws -> String {
        let t = (raw ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard t.count == 4, t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw DomainError.invalid(field: "idLast4", Message(zh: "请填写证件号码的后四位", en: "Give the last four characters of the ID number"))
        }
        return t
    }
}
