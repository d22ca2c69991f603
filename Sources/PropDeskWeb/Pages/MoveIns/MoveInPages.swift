import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Move-ins in pages (FD-1, S4 篇1 1 and 篇3): the community's cases and the form to open one; one
/// case as a checklist — each required document with its upload and a ✓ once it is in, the
/// resident registration form, each agreement with a signature pad, the hand-over, the first
/// fees, the joint inspection with meter readings and defects (each filed as a warranty order),
/// re-inspection per defect, the owner's sign-off and "完成入住", refused with the list of what is
/// missing; and the printed checklist and inspection form.
enum MoveInPages {
    enum S {
        static let title = Message(zh: "入住办理", en: "Move-ins")
        static let open = Message(zh: "办理入住", en: "Open a move-in")
        static let unit = Message(zh: "房屋(输入楼栋或房号选择)", en: "Unit (type the building or room)")
        static let unitShort = Message(zh: "房屋", en: "Unit")
        static let buyerKind = Message(zh: "办理方式", en: "Buyer")
        static let buyerName = Message(zh: "购房人(业主/单位)名称", en: "Buyer's name (owner or company)")
        static let buyerPhone = Message(zh: "联系电话", en: "Phone")
        static let status = Message(zh: "状态", en: "Status")
        static let openedAt = Message(zh: "开始办理", en: "Opened")
        static let none = Message(zh: "暂无入住办理记录。", en: "No move-ins yet.")
        static let unknownUnit = Message(zh: "没有这个房屋,请从列表中选择", en: "No such unit: pick one from the list")
        static let documents = Message(zh: "① 验明资料", en: "① Documents checked")
        static let upload = Message(zh: "上传扫描件", en: "Upload a scan")
        static let view = Message(zh: "查看", en: "View")
        static let registration = Message(zh: "② 住户登记表", en: "② Resident registration form")
        static let ownerName = Message(zh: "业主姓名", en: "Owner's name")
        static let phone = Message(zh: "业主电话", en: "Owner's phone")
        static let members = Message(zh: "家庭成员人数(含业主)", en: "Household members (owner included)")
        static let emergencyContact = Message(zh: "紧急联系人", en: "Emergency contact")
        static let emergencyPhone = Message(zh: "紧急联系人电话", en: "Emergency contact's phone")
        static let agreements = Message(zh: "② 签署协议", en: "② Agreements signed")
        static let signer = Message(zh: "签字人", en: "Signed by")
        static let signHere = Message(zh: "请在框内签名", en: "Sign in the box")
        static let clear = Message(zh: "清除", en: "Clear")
        static let sign = Message(zh: "保存签名", en: "Save signature")
        static let signedBy = Message(zh: "已签:%@", en: "Signed by %@")
        static let handover = Message(zh: "③ 发放物品", en: "③ Items handed over")
        static let keys = Message(zh: "钥匙(把)", en: "Keys")
        static let handbook = Message(zh: "《住户手册》", en: "Residents' handbook")
        static let drawings = Message(zh: "房屋水电图", en: "Water and electricity drawings")
        static let keysNote = Message(zh: "钥匙交付同时记入钥匙台账(开发商移交→交付业主)。", en: "The keys also go into the key ledger (from the developer, to the owner).")
        static let fees = Message(zh: "④ 首期费用(仅登记,由收费模块入账)", en: "④ First fees (noted only; the fees module posts them)")
        static let feeFrom = Message(zh: "物业管理费起计日期", en: "Management fee charged from")
        static let managementFee = Message(zh: "每月物业管理费(元)", en: "Monthly management fee (yuan)")
        static let movingDeposit = Message(zh: "搬迁押金(元)", en: "Moving deposit (yuan)")
        static let utilitiesDeposit = Message(zh: "水电押金(元)", en: "Water/electricity deposit (yuan)")
        static let inspection = Message(zh: "⑤ 联合验房", en: "⑤ Joint inspection")
        static let water = Message(zh: "水表读数(m³)", en: "Water meter (m³)")
        static let electricity = Message(zh: "电表读数(kWh)", en: "Electricity meter (kWh)")
        static let gas = Message(zh: "燃气表读数(m³,无燃气表留空)", en: "Gas meter (m³; empty if none)")
        static let defects = Message(zh: "质量问题(每行一条,每条生成一张地产保修工单)", en: "Defects (one per line; each becomes a warranty order)")
        static let record = Message(zh: "登记验房结果", en: "Record the inspection")
        static let noDefects = Message(zh: "验房未发现质量问题。", en: "No defects found.")
        static let reinspect = Message(zh: "复检合格", en: "Re-inspected: passed")
        static let passed = Message(zh: "已复检合格", en: "Re-inspected, passed")
        static let waitingRepair = Message(zh: "待维修完工后复检", en: "Re-inspect once repaired")
        static let signOff = Message(zh: "业主验房签字确认", en: "Owner signs off the inspection")
        static let signOffLater = Message(zh: "全部缺陷复检合格后,请业主签字确认。", en: "Once every defect passes re-inspection, the owner signs off.")
        static let complete = Message(zh: "完成入住", en: "Complete the move-in")
        static let stillMissing = Message(zh: "还缺:", en: "Still missing: ")
        static let ready = Message(zh: "资料齐全,可以完成入住。", en: "Everything is in: the move-in can be completed.")
        static let print = Message(zh: "打印入住交接表及验房表", en: "Print the checklist and inspection form")
        static let printTitle = Message(zh: "业主入住交接表及房屋质量验收登记表", en: "Move-in checklist and inspection form")
        static let files = Message(zh: "扫描件与签名", en: "Scans and signatures")
        static let timeline = Message(zh: "记录(防篡改)", en: "Record (tamper-evident)")
        static let save = Message(zh: "保存", en: "Save")
        static let saved = Message(zh: "已保存", en: "Saved")
        static let noFile = Message(zh: "请先选择文件", en: "Choose a file first")
        static let noSignature = Message(zh: "请先在框内签名", en: "Please sign in the box first")
        static let completed = Message(zh: "已完成入住,资料已归入住户档案", en: "Move-in completed; everything is filed in the resident file")
        static let signature = Message(zh: "业主签字:____________  客服:____________  日期:____________",
                                       en: "Owner: ____________  Front desk: ____________  Date: ____________")
    }

    static func join(_ missing: [MoveInMissing], _ lang: Language) -> String {
        missing.map { $0.title.text(lang) }.joined(separator: lang == .en ? "; " : "、")
    }

    // MARK: List and opening

    /// GET /c/:cid/move-ins
    static func list(_ req: Request) async throws -> Response {
        let scope = try await ConsoleScope.resolve(req, .handleMoveIns)
        let lang = req.language
        let c = scope.community
        let time = LocalTime(c.timeZone)
        let cases = try await req.store.moveIns.cases(community: c.id, areas: scope.areas)
        let labels = try await req.store.registry.unitLabels(Set(cases.map(\.unitID)))
        let head = [S.unitShort, S.buyerName, S.buyerKind, S.status, S.openedAt, S.stillMissing]
        var kids: [BodyNode] = [cases.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) :
            H.el("table", [("class", "register"), ("id", "move-ins")], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + cases.map { m in
                let missing = m.status == .completed ? [] : m.missing()
                return H.el("tr", [("data-status", m.status.rawValue)], [
                    H.el("td", [], [H.link(labels[m.unitID] ?? "", Routes.moveIn(m.id))]), H.el("td", [], text: m.buyerName),
                    H.el("td", [], text: m.buyerKind.title.text(lang)), H.el("td", [], text: m.status.title.text(lang)),
                    H.el("td", [], text: time.format(m.openedAt)), H.el("td", [], text: missing.isEmpty ? "—" : String(missing.count)),
                ])
            })]
        let units = try await req.store.moveIns.units(community: c.id, areas: scope.areas)
        kids.append(H.el("section", [("class", "card"), ("id", "open-move-in")], [
            H.el("h2", [], text: S.open.text(lang)),
            H.form(Routes.moveIns(c.id), [("id", "move-in-form")], [
                H.hidden("caseId", UUID().uuidString),
                H.field(S.unit.text(lang), "mi-unit", H.input([("id", "mi-unit"), ("name", "unit"), ("list", "mi-unit-list"), ("required", "required"),
                                                               ("autocomplete", "off"), ("maxlength", "40")])),
                H.el("datalist", [("id", "mi-unit-list")], units.map { H.el("option", [("value", $0.label)]) }),
                H.field(S.buyerKind.text(lang), "mi-kind", H.select("mi-kind", name: "buyerKind", BuyerKind.allCases.map { ($0.rawValue, $0.title.text(lang)) }, selected: nil)),
                H.field(S.buyerName.text(lang), "mi-name", H.input([("type", "text"), ("id", "mi-name"), ("name", "buyerName"), ("required", "required"), ("maxlength", "60")])),
                H.field(S.buyerPhone.text(lang), "mi-phone", H.input([("type", "tel"), ("id", "mi-phone"), ("name", "buyerPhone"), ("required", "required")])),
                H.button(S.open.text(lang), [("id", "mi-open")]),
            ]),
        ]))
        return Layout.page(title: S.title, request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    struct OpenForm: Content {
        var caseId: String?
        var unit: String?
        var unitId: String?
        var buyerKind: String?
        var buyerName: String?
        var buyerPhone: String?
    }

    /// POST /c/:cid/move-ins — a resent form opens one case.
    static func open(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, areas) = try Scoped.community(raw, .handleMoveIns, req)
        do {
            let f = try req.content.decode(OpenForm.self)
            let caseID = try Parse.uuid(f.caseId ?? "", field: "caseId")
            let unit: UUID
            if let id = f.unitId, !id.isEmpty {
                unit = try Parse.uuid(id, field: "unitId")
            } else {
                let wanted = (f.unit ?? "").trimmingCharacters(in: .whitespaces)
                let units = try await req.store.moveIns.units(community: cid, areas: areas)
                guard let hit = units.first(where: { $0.label == wanted }) else { throw DomainError.invalid(field: "unit", S.unknownUnit) }
                unit = hit.id
            }
            guard let kind = BuyerKind(rawValue: f.buyerKind ?? "") else {
                throw DomainError.invalid(field: "buyerKind", Message(zh: "请选择办理方式", en: "Choose who is taking the unit over"))
            }
            let c = try await MoveInAccess.open(community: raw, .init(caseID: caseID, unitID: unit, buyerKind: kind, buyerName: f.buyerName ?? "",
                                                                     buyerPhone: f.buyerPhone ?? ""), req)
            Flash.set(req, Message(zh: "已开始办理入住,请按清单逐项完成", en: "Move-in opened: work through the checklist"))
            return req.redirect(to: Routes.moveIn(c.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.moveIns(cid), redirectType: .normal)
        }
    }

    // MARK: One case

    /// A signature pad inside its form, as EvidencePages draws it (Public/app.js fills the
    /// hidden `signature` field from `canvas.signature-pad` when the form is sent).
    static func pad(_ action: String, item: String, signer: String, _ lang: Language) -> BodyNode {
        H.form(action, [("class", "signature-form"), ("id", "sign-\(item)")], [
            H.hidden("item", item),
            H.field(S.signer.text(lang), "signer-\(item)", H.input([("type", "text"), ("id", "signer-\(item)"), ("name", "signedBy"), ("maxlength", "50"),
                                                                    ("required", "required"), ("value", signer)])),
            H.el("p", [("class", "muted")], text: S.signHere.text(lang)),
            H.el("canvas", [("id", "pad-\(item)"), ("class", "signature-pad"), ("width", "600"), ("height", "200"), ("aria-label", S.signHere.text(lang))]),
            H.hidden("signature", ""),
            H.el("div", [("class", "row")], [
                H.el("button", [("type", "button"), ("class", "secondary small signature-clear")], text: S.clear.text(lang)),
                H.button(S.sign.text(lang), [("id", "save-\(item)")]),
            ]),
        ])
    }

    static func mark(_ done: Bool, _ text: String) -> BodyNode {
        H.el("span", [("class", done ? "received" : "missing")], text: (done ? "✓ " : "✗ ") + text)
    }

    /// GET /move-ins/:id
    static func show(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        let scope = try await ConsoleScope.resolve(req, .handleMoveIns, community: m.communityID)
        let lang = req.language
        let time = LocalTime(scope.community.timeZone)
        let unit = try await req.store.registry.unitLabels([m.unitID])[m.unitID] ?? ""
        let files = try await req.store.evidence.list(.moveIn, m.id)
        let byID = Dictionary(uniqueKeysWithValues: files.map { ($0.id, $0) })
        let orders = try await req.store.orders.orders(Set(m.defects.map(\.orderID)))
        let entries = try await req.store.timelines.entries(.moveIn, m.id)
        let open = m.status != .completed
        let missing = m.missing()
        let facts: [(Message, String)] = [
            (S.unitShort, unit + (m.commercial ? " · \(UnitKind.commercial.title.text(lang))" : "")), (S.buyerName, m.buyerName),
            (S.buyerKind, m.buyerKind.title.text(lang)), (S.buyerPhone, Mask.phone(m.buyerPhone)), (S.status, m.status.title.text(lang)),
            (S.openedAt, "\(time.format(m.openedAt)) · \(OrderViews.person(m.openedByName, lang))"),
        ] + (m.completedAt.map { [(MoveInStatus.completed.title, "\(time.format($0)) · \(OrderViews.person(m.completedByName ?? "", lang))")] } ?? [])
        var kids: [BodyNode] = [
            H.el("p", [], [H.link(S.title.text(lang), Routes.moveIns(m.communityID)), .text(" · "),
                           H.link(S.print.text(lang), Routes.moveInPrint(m.id), [("id", "print-link")])]),
            H.el("section", [("class", "card")], [H.el("dl", [("class", "facts")], facts.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) })]),
        ]
        if open {
            kids.append(H.el("p", [("class", missing.isEmpty ? "notice" : "error"), ("id", "move-in-missing")],
                             text: missing.isEmpty ? S.ready.text(lang) : S.stillMissing.text(lang) + join(missing, lang)))
        }

        // ① Documents by buyer kind (and a commercial unit's business licence).
        kids.append(H.el("section", [("class", "card"), ("id", "documents")], [
            H.el("h2", [], text: S.documents.text(lang)),
            H.el("ul", [("class", "doc-checklist"), ("id", "doc-checklist")], m.requiredDocuments.map { doc in
                let file = m.file(.document(doc))
                var li: [BodyNode] = [mark(file != nil, doc.title.text(lang)), .text(" ")]
                if let file { li.append(H.link(S.view.text(lang), Routes.evidence(file.evidenceID))) }
                if open {
                    li.append(H.form(Routes.moveInStep(m.id, "documents"), [("enctype", "multipart/form-data"), ("class", "inline doc-upload"), ("id", "doc-\(doc.rawValue)")], [
                        H.hidden("document", doc.rawValue),
                        H.input([("type", "file"), ("name", "file"), ("accept", "application/pdf,image/jpeg,image/png"), ("required", "required"),
                                 ("aria-label", "\(S.upload.text(lang)) · \(doc.title.text(lang))")]),
                        H.button(S.upload.text(lang), primary: false),
                    ]))
                }
                return H.el("li", [("data-document", doc.rawValue), ("data-received", file == nil ? "no" : "yes")], li)
            }),
        ]))

        // ② The registration form and the agreements.
        let r = m.registration
        var reg: [BodyNode] = [H.el("h2", [], [mark(r != nil, S.registration.text(lang))])]
        if open {
            reg.append(H.form(Routes.moveInStep(m.id, "registration"), [("id", "registration-form")], [
                H.field(S.ownerName.text(lang), "reg-owner", H.input([("type", "text"), ("id", "reg-owner"), ("name", "ownerName"), ("required", "required"), ("maxlength", "60"), ("value", r?.ownerName ?? m.buyerName)])),
                // Phones are never written into the page whole (SEC-3): left empty, the number on file stays.
                H.field(S.phone.text(lang), "reg-phone", H.input([("type", "tel"), ("id", "reg-phone"), ("name", "phone"), ("placeholder", Mask.phone(r?.phone ?? m.buyerPhone))])),
                H.field(S.members.text(lang), "reg-members", H.input([("type", "number"), ("min", "1"), ("max", "30"), ("id", "reg-members"), ("name", "householdMembers"), ("required", "required"), ("value", r.map { String($0.householdMembers) } ?? "")])),
                H.field(S.emergencyContact.text(lang), "reg-contact", H.input([("type", "text"), ("id", "reg-contact"), ("name", "emergencyContact"), ("required", "required"), ("maxlength", "60"), ("value", r?.emergencyContact ?? "")])),
                H.field(S.emergencyPhone.text(lang), "reg-contact-phone", H.input([("type", "tel"), ("id", "reg-contact-phone"), ("name", "emergencyPhone")] + (r.map { [("placeholder", Mask.phone($0.emergencyPhone))] } ?? [("required", "required")]))),
                H.button(S.save.text(lang), [("id", "registration-save")], primary: false),
            ]))
        } else if let r {
            reg.append(PrintForms.facts([(S.ownerName, r.ownerName), (S.phone, Mask.phone(r.phone)), (S.members, String(r.householdMembers)),
                                         (S.emergencyContact, "\(r.emergencyContact) \(Mask.phone(r.emergencyPhone))")], lang))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "registration")], reg))

        var agreements: [BodyNode] = [H.el("h2", [], text: S.agreements.text(lang))]
        for a in MoveInAgreement.allCases {
            let file = m.file(.agreement(a))
            let signer = file.flatMap { byID[$0.evidenceID]?.signedBy }
            var row: [BodyNode] = [H.el("h3", [], [mark(file != nil, a.title.text(lang))])]
            if let file {
                row.append(H.el("p", [], [.text(S.signedBy.text(lang).replacingOccurrences(of: "%@", with: signer ?? "") + " · \(time.format(file.at)) "),
                                          H.link(S.view.text(lang), Routes.evidence(file.evidenceID))]))
            } else if open {
                row.append(pad(Routes.moveInStep(m.id, "signatures"), item: a.rawValue, signer: r?.ownerName ?? m.buyerName, lang))
            }
            agreements.append(H.el("div", [("class", "agreement"), ("id", "agreement-\(a.rawValue)"), ("data-signed", file == nil ? "no" : "yes")], row))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "agreements")], agreements))

        // ③ Items handed over.
        let h = m.handover
        var hand: [BodyNode] = [H.el("h2", [], text: S.handover.text(lang)), H.el("ul", [("id", "handover-items")], [
            H.el("li", [], [mark((h?.keys ?? 0) > 0, "\(S.keys.text(lang)) \(h?.keys ?? 0)")]),
            H.el("li", [], [mark(h?.handbook == true, S.handbook.text(lang))]),
            H.el("li", [], [mark(h?.drawings == true, S.drawings.text(lang))]),
        ])]
        if open && (h == nil || h?.handbook == false || h?.drawings == false || (h?.keys ?? 0) == 0) {
            func check(_ name: String, _ title: Message, _ done: Bool) -> BodyNode {
                H.el("label", [("class", "check")], [H.input([("type", "checkbox"), ("name", name), ("value", "on"), ("id", "ho-\(name)")] + (done ? [("checked", "checked")] : [])),
                                                     .text(" " + title.text(lang))])
            }
            hand.append(H.form(Routes.moveInStep(m.id, "handover"), [("id", "handover-form")], [
                H.field(S.keys.text(lang), "ho-keys", H.input([("type", "number"), ("min", "0"), ("max", "50"), ("id", "ho-keys"), ("name", "keys"), ("value", String(h?.keys ?? 0))]
                                                              + ((h?.keys ?? 0) > 0 ? [("readonly", "readonly")] : [])), hint: S.keysNote.text(lang)),
                check("handbook", S.handbook, h?.handbook == true), check("drawings", S.drawings, h?.drawings == true),
                H.button(S.save.text(lang), [("id", "handover-save")], primary: false),
            ]))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "handover")], hand))

        // ④ First fees.
        let f = m.fees
        var fees: [BodyNode] = [H.el("h2", [], [mark(f != nil, S.fees.text(lang))])]
        if let f {
            fees.append(PrintForms.facts([(S.feeFrom, f.managementFeeFrom), (S.managementFee, RenovationPages.yuan(f.managementFeeFen)),
                                          (S.movingDeposit, RenovationPages.yuan(f.movingDepositFen)), (S.utilitiesDeposit, RenovationPages.yuan(f.utilitiesDepositFen))], lang))
        }
        if open {
            fees.append(H.form(Routes.moveInStep(m.id, "fees"), [("id", "fees-form")], [
                H.field(S.feeFrom.text(lang), "fee-from", H.input([("type", "date"), ("id", "fee-from"), ("name", "managementFeeFrom"), ("required", "required"), ("value", f?.managementFeeFrom ?? "")])),
                H.field(S.managementFee.text(lang), "fee-management", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "fee-management"), ("name", "managementFee"), ("required", "required"), ("value", f.map { RenovationPages.yuan($0.managementFeeFen) } ?? "")])),
                H.field(S.movingDeposit.text(lang), "fee-moving", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "fee-moving"), ("name", "movingDeposit"), ("value", f.map { RenovationPages.yuan($0.movingDepositFen) } ?? "")])),
                H.field(S.utilitiesDeposit.text(lang), "fee-utilities", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "fee-utilities"), ("name", "utilitiesDeposit"), ("value", f.map { RenovationPages.yuan($0.utilitiesDepositFen) } ?? "")])),
                H.button(S.save.text(lang), [("id", "fees-save")], primary: false),
            ]))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "fees")], fees))

        // ⑤ The joint inspection, defects → warranty orders → re-inspection, the owner's sign-off.
        var insp: [BodyNode] = [H.el("h2", [], [mark(m.inspection != nil, S.inspection.text(lang))])]
        if let i = m.inspection {
            insp.append(PrintForms.facts([(S.water, MeterReadings.format(i.meters.waterThousandths)),
                                          (S.electricity, MeterReadings.format(i.meters.electricityThousandths)),
                                          (S.gas, i.meters.gasThousandths.map(MeterReadings.format) ?? "—"),
                                          (S.inspection, "\(time.format(i.at)) · \(OrderViews.person(i.byName, lang))")], lang))
            insp.append(m.defects.isEmpty ? H.el("p", [("class", "muted")], text: S.noDefects.text(lang)) : H.el("ul", [("id", "defects")], m.defects.map { d in
                let order = orders[d.orderID]
                var li: [BodyNode] = [mark(d.passed, d.text), .text(" · "), H.link(d.orderNumber, Routes.order(d.orderID), [("class", "warranty-order")]),
                                      .text(" · " + (order?.status.title.text(lang) ?? ""))]
                if d.passed {
                    li.append(.text(" · \(S.passed.text(lang)) \(d.reinspectedAt.map { time.format($0) } ?? "") \(OrderViews.person(d.reinspectedBy ?? "", lang))"))
                } else if open, let order, MoveInDefect.reinspectable(order.status) {
                    li.append(H.form(Routes.moveInReinspect(m.id, d.id), [("class", "inline"), ("id", "reinspect-\(d.id.uuidString.prefix(8))")],
                                     [H.button(S.reinspect.text(lang), primary: false)]))
                } else {
                    li.append(.text(" · " + S.waitingRepair.text(lang)))
                }
                return H.el("li", [("data-passed", d.passed ? "yes" : "no")], li)
            }))
            let signOff = m.file(.inspectionSignOff)
            insp.append(H.el("h3", [], [mark(signOff != nil, S.signOff.text(lang))]))
            if let signOff {
                let signer = byID[signOff.evidenceID]?.signedBy ?? ""
                insp.append(H.el("p", [("id", "sign-off")], [.text(S.signedBy.text(lang).replacingOccurrences(of: "%@", with: signer) + " · \(time.format(signOff.at)) "),
                                                             H.link(S.view.text(lang), Routes.evidence(signOff.evidenceID))]))
            } else if open && m.defects.allSatisfy(\.passed) {
                insp.append(pad(Routes.moveInStep(m.id, "signatures"), item: MoveInFileItem.inspectionSignOff.key, signer: r?.ownerName ?? m.buyerName, lang))
            } else if open {
                insp.append(H.el("p", [("class", "muted")], text: S.signOffLater.text(lang)))
            }
        } else if open {
            insp.append(H.form(Routes.moveInStep(m.id, "inspection"), [("id", "inspection-form")], [
                H.hidden("formId", UUID().uuidString),
                H.field(S.water.text(lang), "in-water", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "in-water"), ("name", "water"), ("required", "required")])),
                H.field(S.electricity.text(lang), "in-electricity", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "in-electricity"), ("name", "electricity"), ("required", "required")])),
                H.field(S.gas.text(lang), "in-gas", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "in-gas"), ("name", "gas")])),
                H.field(S.defects.text(lang), "in-defects", H.el("textarea", [("id", "in-defects"), ("name", "defects"), ("rows", "5"), ("maxlength", "6000")])),
                H.button(S.record.text(lang), [("id", "inspection-save")]),
            ]))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "inspection")], insp))

        if open {
            kids.append(H.form(Routes.moveInStep(m.id, "complete"), [("id", "complete-form"), ("class", "step")], [H.button(S.complete.text(lang), [("id", "complete")])]))
        }
        let subject = try await MoveInAccess.subject(m, req)
        kids.append(EvidencePages.section(files, subject: subject, canAdd: false, time: time, lang, title: S.files))
        kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.timeline.text(lang)), timeline(entries, time, lang)]))
        return Layout.page(title: Message(zh: "入住办理 · \(unit)", en: "Move-in · \(unit)"), request: req, frame: scope.frame, communities: scope.communities, kids)
    }

    static func timeline(_ entries: [TimelineEntry], _ time: LocalTime, _ lang: Language) -> BodyNode {
        H.el("ol", [("class", "timeline")], entries.map { e in
            let facts = e.data.filter { !["evidence", "digest", "case"].contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return H.el("li", [("data-event", e.kind)], text: "#\(e.seq) \(time.format(e.at)) · \(OrderViews.person(e.actorName, lang)) · \(eventTitle(e.kind).text(lang))"
                        + "\(e.note.map { " · \($0)" } ?? "") · \(facts) · \(e.hash.prefix(12))")
        })
    }

    static func eventTitle(_ kind: String) -> Message {
        switch kind {
        case "opened": Message(zh: "开始办理", en: "Opened")
        case "document": Message(zh: "收到资料", en: "Document received")
        case "signed": Message(zh: "签字", en: "Signed")
        case "registered": Message(zh: "住户登记", en: "Registration form")
        case "handed_over": Message(zh: "发放物品", en: "Items handed over")
        case "fees_noted": Message(zh: "登记首期费用", en: "First fees noted")
        case "inspected": Message(zh: "联合验房", en: "Joint inspection")
        case "reinspected": Message(zh: "复检合格", en: "Re-inspected")
        case "completed": Message(zh: "完成入住", en: "Completed")
        default: Message(zh: kind, en: kind)
        }
    }

    // MARK: Steps

    static func back(_ id: UUID, _ req: Request, _ message: Message, error: Bool = false) -> Response {
        Flash.set(req, message, error: error)
        return req.redirect(to: Routes.moveIn(id), redirectType: .normal)
    }

    struct DocumentForm: Content { var document: String?; var file: File? }

    /// POST /move-ins/:id/documents — one scanned document for one item of the checklist.
    static func addDocument(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(DocumentForm.self)
            let doc = try MoveInDocument(rawValue: f.document ?? "").orThrow(field: "document", Message(zh: "请选择资料项", en: "Choose which document"))
            guard let file = f.file, file.data.readableBytes > 0 else { throw DomainError.invalid(field: "file", S.noFile) }
            let upload = try EvidenceStore.check(Array(file.data.readableBytesView), kind: .document, caption: "", signedBy: nil, field: "file")
            _ = try await req.store.moveIns.addFile(m.id, item: .document(doc), upload: upload, fileName: file.filename, by: req.actor)
            return back(m.id, req, Message(zh: "已收:\(doc.title.zhHans)", en: "Received: \(doc.title.en)"))
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    struct SignatureForm: Content { var item: String?; var signedBy: String?; var signature: String? }

    /// POST /move-ins/:id/signatures — an agreement's or the inspection sign-off's signature, drawn on the pad.
    static func sign(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(SignatureForm.self)
            guard let item = MoveInFileItem(key: f.item ?? ""), item.isSignature else {
                throw DomainError.invalid(field: "item", Message(zh: "请选择要签署的协议", en: "Choose what is signed"))
            }
            guard let upload = try EvidencePages.signature(f.signature, signedBy: f.signedBy, caption: "") else {
                throw DomainError.invalid(field: "signature", S.noSignature)
            }
            _ = try await req.store.moveIns.addFile(m.id, item: item, upload: upload, by: req.actor)
            return back(m.id, req, Message(zh: "已签:\(item.title.zhHans)", en: "Signed: \(item.title.en)"))
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    struct RegistrationForm: Content {
        var ownerName: String?
        var phone: String?
        var householdMembers: String?
        var emergencyContact: String?
        var emergencyPhone: String?
    }

    /// POST /move-ins/:id/registration
    static func register(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(RegistrationForm.self)
            let members = try Int((f.householdMembers ?? "").trimmingCharacters(in: .whitespaces))
                .orThrow(field: "householdMembers", Message(zh: "请填写家庭成员人数", en: "Enter the number of household members"))
            let given = { (raw: String?) in (raw ?? "").trimmingCharacters(in: .whitespaces) }
            let phone = given(f.phone).isEmpty ? (m.registration?.phone ?? m.buyerPhone) : given(f.phone)
            let emergency = given(f.emergencyPhone).isEmpty ? (m.registration?.emergencyPhone ?? "") : given(f.emergencyPhone)
            _ = try await req.store.moveIns.register(m.id, ResidentRegistration(ownerName: f.ownerName ?? "", phone: phone, householdMembers: members,
                                                                                emergencyContact: f.emergencyContact ?? "", emergencyPhone: emergency), by: req.actor)
            return back(m.id, req, S.saved)
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    struct HandoverForm: Content { var keys: String?; var handbook: String?; var drawings: String? }

    /// POST /move-ins/:id/handover
    static func handOver(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(HandoverForm.self)
            let raw = (f.keys ?? "").trimmingCharacters(in: .whitespaces)
            let keys = try raw.isEmpty ? 0 : Int(raw).orThrow(field: "keys", Message(zh: "钥匙数量应为整数", en: "Keys: a whole number"))
            let done = try await req.store.moveIns.handOver(m.id, MoveInHandover(keys: keys, handbook: f.handbook == "on", drawings: f.drawings == "on"), by: req.actor)
            return back(m.id, req, Message(zh: "已登记发放物品(钥匙 \(done.handover?.keys ?? 0) 把)", en: "Hand-over recorded (\(done.handover?.keys ?? 0) keys)"))
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    struct FeesForm: Content { var managementFeeFrom: String?; var managementFee: String?; var movingDeposit: String?; var utilitiesDeposit: String? }

    /// POST /move-ins/:id/fees
    static func fees(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(FeesForm.self)
            _ = try await req.store.moveIns.noteFees(m.id, MoveInFees(
                managementFeeFrom: f.managementFeeFrom ?? "", managementFeeFen: try RenovationPages.fen(f.managementFee, field: "managementFee") ?? 0,
                movingDepositFen: try RenovationPages.fen(f.movingDeposit, field: "movingDeposit") ?? 0,
                utilitiesDepositFen: try RenovationPages.fen(f.utilitiesDeposit, field: "utilitiesDeposit") ?? 0), by: req.actor)
            return back(m.id, req, S.saved)
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    struct InspectionForm: Content { var formId: String?; var water: String?; var electricity: String?; var gas: String?; var defects: String? }

    /// POST /move-ins/:id/inspection — meter readings and defects; each defect a warranty order.
    static func inspect(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            let f = try req.content.decode(InspectionForm.self)
            let formID = try Parse.uuid(f.formId ?? "", field: "formId")
            let meters = try MoveInAccess.meters(water: f.water ?? "", electricity: f.electricity ?? "", gas: f.gas ?? "")
            let lines = (f.defects ?? "").split(whereSeparator: \.isNewline).prefix(31).map(String.init)
            let done = try await req.store.moveIns.inspect(m.id, formID: formID, meters: meters, defects: lines, by: req.actor)
            let numbers = done.defects.map(\.orderNumber).joined(separator: " ")
            return back(m.id, req, done.defects.isEmpty ? Message(zh: "已登记验房,未发现质量问题", en: "Inspection recorded; no defects")
                                                        : Message(zh: "已登记验房,保修工单:\(numbers)", en: "Inspection recorded; warranty orders: \(numbers)"))
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    /// POST /move-ins/:id/defects/:did/reinspect
    static func reinspect(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            let defect = try Parse.uuid(req.parameters.get("did") ?? "", field: "defect")
            _ = try await req.store.moveIns.reinspect(m.id, defect: defect, by: req.actor)
            return back(m.id, req, S.passed)
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    /// POST /move-ins/:id/complete — refused with the list of what is missing.
    static func complete(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        do {
            _ = try await req.store.moveIns.complete(m.id, by: req.actor)
            return back(m.id, req, S.completed)
        } catch let e as DomainError { return back(m.id, req, e.message, error: true) }
    }

    // MARK: Printed form

    /// GET /move-ins/:id/print — 业主入住交接表 and 房屋质量验收登记表: what is done is printed, what
    /// is not is a box to tick by hand; lines for the signatures.
    static func print(_ req: Request) async throws -> Response {
        let m = try await MoveInAccess.moveIn(req.parameters.get("id") ?? "", req)
        let lang = req.language
        let community = try await req.store.registry.community(m.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let unit = try await req.store.registry.unitLabels([m.unitID])[m.unitID] ?? ""
        func box(_ done: Bool, _ text: String) -> String { (done ? "☑ " : "☐ ") + text }
        let r = m.registration, h = m.handover, f = m.fees, i = m.inspection
        var checklist: [String] = m.requiredDocuments.map { box(m.file(.document($0)) != nil, $0.title.text(lang)) }
        checklist += MoveInAgreement.allCases.map { box(m.file(.agreement($0)) != nil, $0.title.text(lang)) }
        checklist += [box((h?.keys ?? 0) > 0, "\(S.keys.text(lang)) \(h.map { String($0.keys) } ?? "____")"), box(h?.handbook == true, S.handbook.text(lang)),
                      box(h?.drawings == true, S.drawings.text(lang))]
        var kids: [BodyNode] = [
            H.el("h2", [], text: S.printTitle.text(lang)),
            PrintForms.facts([(S.unitShort, unit), (S.buyerName, m.buyerName), (S.buyerKind, m.buyerKind.title.text(lang)), (S.buyerPhone, Mask.phone(m.buyerPhone)),
                              (S.openedAt, time.format(m.openedAt)), (S.status, m.status.title.text(lang))], lang),
            H.el("h3", [], text: S.documents.text(lang) + " · " + S.agreements.text(lang) + " · " + S.handover.text(lang)),
            H.el("ul", [("class", "print-checklist"), ("id", "print-checklist")], checklist.map { H.el("li", [], text: $0) }),
            H.el("h3", [], text: S.registration.text(lang)),
            PrintForms.facts([(S.ownerName, r?.ownerName ?? ""), (S.phone, r.map { Mask.phone($0.phone) } ?? ""), (S.members, r.map { String($0.householdMembers) } ?? ""),
                              (S.emergencyContact, r.map { "\($0.emergencyContact) \(Mask.phone($0.emergencyPhone))" } ?? "")], lang),
            H.el("h3", [], text: S.fees.text(lang)),
            PrintForms.facts([(S.feeFrom, f?.managementFeeFrom ?? ""), (S.managementFee, f.map { RenovationPages.yuan($0.managementFeeFen) } ?? ""),
                              (S.movingDeposit, f.map { RenovationPages.yuan($0.movingDepositFen) } ?? ""),
                              (S.utilitiesDeposit, f.map { RenovationPages.yuan($0.utilitiesDepositFen) } ?? "")], lang),
            H.el("h3", [], text: S.inspection.text(lang)),
            PrintForms.facts([(S.water, i.map { MeterReadings.format($0.meters.waterThousandths) } ?? ""),
                              (S.electricity, i.map { MeterReadings.format($0.meters.electricityThousandths) } ?? ""),
                              (S.gas, i.map { $0.meters.gasThousandths.map(MeterReadings.format) ?? "—" } ?? "")], lang),
        ]
        let head = [Message(zh: "序号", en: "No."), Message(zh: "质量问题", en: "Defect"), Message(zh: "保修工单", en: "Warranty order"),
                    Message(zh: "复检", en: "Re-inspection")]
        var rows: [BodyNode] = [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })]
        for (n, d) in m.defects.enumerated() {
            rows.append(H.el("tr", [], [H.el("td", [], text: String(n + 1)), H.el("td", [], text: d.text), H.el("td", [], text: d.orderNumber),
                                        H.el("td", [], text: d.reinspectedAt.map { "☑ \(time.format($0))" } ?? "☐")]))
        }
        // Blank rows to write in what the joint inspection finds on paper.
        for n in m.defects.count..<max(m.defects.count, 6) {
            rows.append(H.el("tr", [("class", "tall")], [H.el("td", [], text: String(n + 1)), H.el("td", [], text: ""), H.el("td", [], text: ""), H.el("td", [], text: "")]))
        }
        kids.append(H.el("table", [("class", "form-table"), ("id", "print-defects")], rows))
        kids.append(H.el("p", [], text: S.signature.text(lang)))
        return PrintForms.sheet(req, title: S.printTitle, community: community, kids)
    }
}
