import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The resident file in a page (住户档案, REG-5, S4 篇3): one unit's occupants, move-ins with
/// their documents, agreements and joint inspection, custody agreements, renovation files,
/// permits and cards, keys held, requests, household visits and visitors. Confidential (SEC-3):
/// only roles with `readResidentFiles` that reach the unit open it; links to scans and
/// signatures appear only with `readResidentDocuments`, and each view of one is audited by
/// GET /evidence/:eid. There is no bulk export or download of the file.
enum ResidentFilePages {
    enum S {
        static let title = Message(zh: "住户档案", en: "Resident file")
        static let confidential = Message(zh: "本档案保密:仅限服务中心内部查阅,不提供批量导出或打包下载;每次查看扫描件、签名均记录在案(S4 4.16)。",
                                          en: "Confidential: for use inside the service center only. There is no bulk export or download; every view of a scan or signature is recorded (S4 4.16).")
        static let occupants = Message(zh: "住户", en: "Occupants")
        static let noOccupants = Message(zh: "未登记住户。", en: "No occupants registered.")
        static let moveIns = Message(zh: "入住办理", en: "Move-in")
        static let noMoveIns = Message(zh: "没有入住办理记录。", en: "No move-in on file.")
        static let custody = Message(zh: "房屋托管协议", en: "Custody agreements")
        static let noCustody = Message(zh: "没有托管协议。", en: "No custody agreement.")
        static let renovations = Message(zh: "装修档案", en: "Renovation files")
        static let noRenovations = Message(zh: "没有装修档案。", en: "No renovation file.")
        static let passes = Message(zh: "停车证与门禁卡", en: "Permits and cards")
        static let noPasses = Message(zh: "没有停车证或门禁卡。", en: "No permits or cards.")
        static let keys = Message(zh: "托管钥匙", en: "Keys held")
        static let noKeys = Message(zh: "服务中心未托管该房钥匙。", en: "The center holds no keys of this unit.")
        static let orders = Message(zh: "报修与诉求", en: "Requests")
        static let allOrders = Message(zh: "全部 %@ 条", en: "All %@")
        static let visits = Message(zh: "家访记录", en: "Household visits")
        static let noVisits = Message(zh: "没有家访记录。", en: "No household visits.")
        static let visitors = Message(zh: "访客登记", en: "Visitors")
        static let documents = Message(zh: "资料", en: "Documents")
        static let noDocuments = Message(zh: "无扫描件", en: "No scans")
        static let hidden = Message(zh: "%@ 份扫描件/签名(无查阅权限)", en: "%@ scan(s)/signature(s) (not open to your role)")
        static let inspection = Message(zh: "联合验房", en: "Joint inspection")
        static let meters = Message(zh: "水 %@ · 电 %@ · 气 %@", en: "Water %@ · electricity %@ · gas %@")
        static let defects = Message(zh: "整改项", en: "Defects")
        static let reinspected = Message(zh: "已复检", en: "re-inspected")
        static let open = Message(zh: "待复检", en: "awaiting re-inspection")
        static let opened = Message(zh: "开始办理", en: "Opened")
        static let completed = Message(zh: "完成", en: "Completed")
        static let feeRate = Message(zh: "管理费 %@%", en: "Management fee %@%")
        static let ongoing = Message(zh: "至今", en: "ongoing")
        static let link = Message(zh: "住户档案", en: "Resident file")
    }

    /// GET /units/:unitId/file
    static func render(_ req: Request) async throws -> Response {
        let file = try await ResidentFileAccess.file(req.parameters.get("unitId") ?? "", req)
        let (_, policy) = try req.requireStaff()
        let lang = req.language
        let community = try await req.store.registry.community(file.unit.unit.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let documents = policy.has(.readResidentDocuments)
        let unit = file.unit
        var kids: [BodyNode] = [
            H.el("p", [("class", "notice"), ("id", "file-confidential")], text: S.confidential.text(lang)),
            H.el("p", [("class", "muted")], text: "\(unit.unit.kind.title.text(lang)) · \(unit.unit.floorArea) m²"),
        ]

        kids.append(section("file-occupants", S.occupants, lang, unit.occupants.isEmpty ? [empty(S.noOccupants, lang)] : [H.el("ul", [], unit.occupants.map { o in
            H.el("li", [], text: [o.person.name, o.relation.title.text(lang), o.person.phone.isEmpty ? "" : Mask.phone(o.person.phone),
                                  o.person.idDocumentType.map { DeskForms.title($0).text(lang) + " " + (o.person.idNumberMasked ?? "") } ?? ""]
                .filter { !$0.isEmpty }.joined(separator: " · "))
        })]))

        kids.append(section("file-move-ins", S.moveIns, lang, file.moveIns.isEmpty ? [empty(S.noMoveIns, lang)] : file.moveIns.map { c in
            var box: [BodyNode] = [H.el("h3", [], [H.link("\(c.buyerName) · \(c.buyerKind.title.text(lang)) · \(c.status.title.text(lang))", Routes.subject(.moveIn, c.id))]),
                                   H.el("p", [("class", "muted")], text: "\(S.opened.text(lang)) \(time.format(c.openedAt))"
                                        + (c.completedAt.map { " · \(S.completed.text(lang)) \(time.format($0))" } ?? ""))]
            if let i = c.inspection {
                let meters = S.meters.text(lang).replacingFirst("%@", MeterReadings.format(i.meters.waterThousandths))
                    .replacingFirst("%@", MeterReadings.format(i.meters.electricityThousandths)).replacingFirst("%@", i.meters.gasThousandths.map(MeterReadings.format) ?? "—")
                box.append(H.el("p", [], text: "\(S.inspection.text(lang)):\(time.format(i.at)) · \(OrderViews.person(i.byName, lang)) · \(meters)"))
            }
            if !c.defects.isEmpty {
                box.append(H.el("ul", [("class", "defects")], c.defects.map { d in
                    H.el("li", [], [.text("\(d.text) · "), H.link(d.orderNumber, Routes.order(d.orderID)), .text(" · \(d.passed ? S.reinspected.text(lang) : S.open.text(lang))")])
                }))
            }
            let titles = Dictionary(c.files.map { ($0.evidenceID, $0.item.title) }, uniquingKeysWith: { a, _ in a })
            box.append(evidenceList(file.moveInDocuments[c.id] ?? [], titles: titles, allowed: documents, time: time, lang))
            return H.el("div", [("class", "file-entry"), ("data-move-in", c.id.uuidString)], box)
        }))

        kids.append(section("file-custody", S.custody, lang, file.custody.isEmpty ? [empty(S.noCustody, lang)] : file.custody.map { a in
            H.el("div", [("class", "file-entry")], [
                H.el("h3", [], [H.link("\(a.ownerName) · \(a.startDay) – \(a.endDay ?? S.ongoing.text(lang))", Routes.subject(.custodyAgreement, a.id))]),
                H.el("p", [("class", "muted")], text: S.feeRate.text(lang).replacingFirst("%@", String(format: "%.1f", Double(a.feeRatePerMille) / 10))
                     + (a.ownerPhone.isEmpty ? "" : " · \(Mask.phone(a.ownerPhone))")),
                evidenceList(file.custodyDocuments[a.id] ?? [], titles: [:], allowed: documents, time: time, lang),
            ])
        }))

        let readsRenovations = RenovationAccess.readers.contains(where: policy.has)
        kids.append(section("file-renovations", S.renovations, lang, file.renovations.isEmpty ? [empty(S.noRenovations, lang)] : file.renovations.map { r in
            let head = "\(r.number) · \(r.works) · \(r.startsOn) – \(r.endsOn) · \(r.status.title.text(lang))"
            return H.el("div", [("class", "file-entry")], [
                H.el("h3", [], readsRenovations ? [H.link(head, Routes.renovation(r.id))] : [.text(head)]),
                evidenceList(file.renovationDocuments[r.id] ?? [], titles: [:], allowed: documents, time: time, lang),
            ])
        }))

        kids.append(section("file-passes", S.passes, lang, file.passes.isEmpty ? [empty(S.noPasses, lang)] : [H.el("ul", [], file.passes.map { p in
            H.el("li", [("data-status", p.status.rawValue)], text: [p.kind.title.text(lang), p.number, p.plate, p.holder, "\(p.validFrom) – \(p.validUntil)", p.status.title.text(lang)]
                .filter { !$0.isEmpty }.joined(separator: " · "))
        })] + (policy.has(.keepDutyLog) ? [H.el("p", [], [H.link(PassPages.S.unitHistory.text(lang), Routes.passes(unit.unit.communityID, unit: unit.unit.id))])] : [])))

        // The unit's account: bills, receipts, deposits (FEE-1, FEE-2) — for those who may see money.
        if policy.has(.readFees) {
            kids.append(H.el("p", [], [H.link(PaymentPages.S.account.text(lang), Routes.unitAccount(unit.unit.id), [("id", "unit-account-link")])]))
        }

        let lent = file.keys.loans.map { "\($0.party) × \($0.count)" }.joined(separator: "、")
        kids.append(section("file-keys", S.keys, lang, file.keyMovements.isEmpty ? [empty(S.noKeys, lang)] : [
            H.el("p", [("id", "file-key-holding")], text: "\(KeyPages.S.onBoard.text(lang)) \(file.keys.onBoard)" + (lent.isEmpty ? "" : " · \(KeyPages.S.lent.text(lang)) \(lent)")),
            KeyPages.ledger(file.keyMovements, labels: [unit.unit.id: unit.label], time: time, lang),
        ]))

        kids.append(section("file-orders", S.orders, lang, [
            OrderSearchPage.table(file.orders, units: [unit.unit.id: unit.label], time: time, lang),
            H.el("p", [], [H.link(S.allOrders.text(lang).replacingFirst("%@", String(file.ordersTotal)), Routes.unitHistory(unit.unit.id))]),
        ]))

        kids.append(section("file-visits", S.visits, lang, file.householdVisits.isEmpty ? [empty(S.noVisits, lang)] : [H.el("ul", [], file.householdVisits.map { v in
            H.el("li", [], text: "\(time.format(v.at)) · \(v.mode.title.text(lang)) · \(OrderViews.person(v.byName, lang)) · \(v.met)" + (v.notes.isEmpty ? "" : " · \(v.notes)"))
        })]))

        kids.append(section("file-visitors", S.visitors, lang, [
            VisitorPages.table(file.visitors, labels: [unit.unit.id: unit.label], time: time, mayReveal: false, back: "", lang),
        ]))

        return Layout.page(title: Message(zh: "\(S.title.zhHans) · \(unit.label)", en: "\(S.title.en) · \(unit.label)"), request: req,
                           frame: Frame(community: community, bodyClass: "wide"), kids)
    }

    static func section(_ id: String, _ title: Message, _ lang: PropDeskCore.Language, _ kids: [BodyNode]) -> BodyNode {
        H.el("section", [("class", "card"), ("id", id)], [H.el("h2", [], text: title.text(lang))] + kids)
    }

    static func empty(_ m: Message, _ lang: PropDeskCore.Language) -> BodyNode { H.el("p", [("class", "muted")], text: m.text(lang)) }

    /// A subject's scans and signatures: links for a role that may open them (each view audited),
    /// otherwise only how many there are.
    static func evidenceList(_ files: [Evidence], titles: [UUID: Message], allowed: Bool, time: LocalTime, _ lang: PropDeskCore.Language) -> BodyNode {
        guard !files.isEmpty else { return H.el("p", [("class", "muted")], text: S.noDocuments.text(lang)) }
        guard allowed else { return H.el("p", [("class", "muted documents-hidden")], text: S.hidden.text(lang).replacingFirst("%@", String(files.count))) }
        return H.el("ul", [("class", "file-documents")], files.map { e in
            let name = titles[e.id]?.text(lang) ?? (e.caption.isEmpty ? e.kind.title.text(lang) : e.caption)
            return H.el("li", [("data-kind", e.kind.rawValue)], [
                H.link((e.kind == .signature ? "✍ " : "📄 ") + name, Routes.evidence(e.id)),
                .text(" · \(e.kind == .signature ? e.signedBy ?? "" : OrderViews.person(e.uploadedByName, lang)) · \(time.format(e.uploadedAt))"),
            ])
        })
    }

    /// The link shown wherever staff see a unit (the unit's history, an order's unit facts).
    static func link(_ unit: UUID, _ req: Request) -> [BodyNode] {
        guard let p = req.principal, AccessPolicy(p).has(.readResidentFiles) else { return [] }
        return [H.el("p", [], [H.link(S.link.text(req.language), Routes.residentFile(unit), [("class", "resident-file-link")])])]
    }
}

extension String {
    /// "%@ of %@" with its first "%@" replaced.
    func replacingFirst(_ target: String, _ with: String) -> String {
        guard let r = range(of: target) else { return self }
        return replacingCharacters(in: r, with: with)
    }
}
