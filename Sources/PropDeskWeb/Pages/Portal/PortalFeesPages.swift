import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// The resident's fees on the portal (issue 17 item 8, FEE-1): for each of my units what is
/// still owed, the receipts (each printable) and the public fee schedule with its legal basis.
/// Never another unit's.
enum PortalFeesPages {
    enum S {
        static let title = Message(zh: "我的物业费", en: "My fees")
        static let schedule = Message(zh: "收费标准及依据(公示)", en: "The fee schedule and its legal basis (public)")
        static let owed = Message(zh: "未缴合计", en: "Still owed")
        static let paidUp = Message(zh: "已缴清,谢谢!", en: "All paid, thank you!")
        static let noUnits = Message(zh: "您的账号尚未关联房屋。", en: "Your account has no units yet.")
        static let details = Message(zh: "账单与收据详情", en: "Bills and receipts")
        static let print = Message(zh: "打印", en: "Print")
        static let openBills = Message(zh: "未缴账单", en: "Bills still open")
        static let receipts = Message(zh: "缴费收据", en: "Receipts")
        static let howToPay = Message(zh: "缴费请到服务中心前台(现金、刷卡、微信、支付宝、银行转账均可),收据当场开具。",
                                      en: "Pay at the service center's front desk (cash, card, WeChat, Alipay or bank transfer); the receipt is issued there.")
    }

    /// GET /portal/fees
    static func render(_ req: Request) async throws -> Response {
        let p = try PortalPages.requireResident(req)
        let lang = req.language
        let (community, _) = try await ConsoleScope.current(req)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let labels = try await req.store.registry.unitLabels(p.unitIDs)
        var kids: [BodyNode] = [H.el("p", [("class", "muted")], text: S.howToPay.text(lang))]
        if let community {
            kids.append(H.el("p", [], [H.link(S.schedule.text(lang), Routes.feeSchedule(community.id), [("id", "fee-schedule-link")])]))
        }
        if p.unitIDs.isEmpty { kids.append(H.el("p", [("class", "muted")], text: S.noUnits.text(lang))) }
        // A resident's units are those of their person record, in its one community.
        for unit in p.unitIDs.sorted(by: { (labels[$0] ?? "") < (labels[$1] ?? "") }) {
            guard let community else { break }
            let open = try await req.store.fees.openBills(unit: unit, community: community.id)
            let receipts = try await req.store.fees.receipts(unit: unit, community: community.id)
            let owed = open.reduce(0) { $0 + $1.outstandingFen }
            var card: [BodyNode] = [
                H.el("h2", [], text: labels[unit] ?? ""),
                H.el("p", [("class", owed > 0 ? "notice" : "muted"), ("data-owed", "\(owed)")],
                     text: owed > 0 ? "\(S.owed.text(lang)) \(Money.yuan(owed))" : S.paidUp.text(lang)),
            ]
            if !open.isEmpty {
                card.append(H.el("h3", [], text: S.openBills.text(lang)))
                card.append(H.el("ul", [("class", "portal-list my-bills")], open.map { b in
                    H.el("li", [("data-bill", b.id.uuidString)], text: "\(b.period) · \(b.itemName) · \(Money.yuan(b.outstandingFen))")
                }))
            }
            if !receipts.isEmpty {
                card.append(H.el("h3", [], text: S.receipts.text(lang)))
                card.append(H.el("ul", [("class", "portal-list my-receipts")], receipts.prefix(24).map { r in
                    H.el("li", [("data-number", r.printedNumber)], [
                        H.link(r.printedNumber, Routes.receipt(r.id)), .text(" · \(time.format(r.issuedAt, "yyyy-MM-dd")) · \(r.kind.label.text(lang)) · \(Money.yuan(r.amountFen))"
                                                                      + (r.voided ? " · \(PaymentPages.S.void.text(lang))" : "") + " "),
                        H.link(S.print.text(lang), Routes.receiptPrint(r.id)),
                    ])
                }))
            }
            card.append(H.el("p", [], [H.link(S.details.text(lang), Routes.unitAccount(unit))]))
            kids.append(H.el("section", [("class", "card"), ("data-unit", unit.uuidString)], card))
        }
        return Layout.page(title: S.title, request: req, frame: Frame(community: community, bodyClass: "phone-first"), kids)
    }
}
