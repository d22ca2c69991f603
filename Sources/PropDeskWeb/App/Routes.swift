import Foundation
import PropDeskCore

/// Every page's path, typed: page files name a destination instead of spelling a URL, so a link
/// cannot point nowhere. The routes themselves are registered in `Pages/Pages.swift`.
enum Routes {
    static let home = "/"
    static let login = "/login"
    static let logout = "/logout"
    static let my = "/my"
    static let portal = "/portal"
    static let portalReport = "/portal/report"
    static let portalPrices = "/portal/prices"
    static let switchCommunity = "/c/switch"
    static let apiDocs = "/openapi.yaml"
    static let admin = "/admin"
    static let password = "/password"
    static func oneTimeCode(_ person: UUID) -> String { "/people/\(person.uuidString)/one-time-code" }
    static let adminAccounts = "/admin/accounts"
    static func adminAccount(_ id: UUID) -> String { "/admin/accounts/\(id.uuidString)" }
    static func adminContract(_ community: UUID) -> String { "/admin/c/\(community.uuidString)/contract" }
    static func adminImport(_ community: UUID) -> String { "/admin/c/\(community.uuidString)/import" }
    static func adminServices(_ community: UUID) -> String { "/admin/c/\(community.uuidString)/services" }
    static func adminRegistry(_ community: UUID) -> String { "/admin/c/\(community.uuidString)/registry" }
    static let adminCommunities = "/admin/communities"
    static func language(_ to: String, back encoded: String) -> String { "/lang?to=\(to)&back=\(encoded)" }
    static func order(_ id: UUID) -> String { "/orders/\(id.uuidString)" }
    static func orderStep(_ id: UUID, _ step: String) -> String { "/orders/\(id.uuidString)/step/\(step)" }
    static func revealPhone(_ id: UUID) -> String { "/orders/\(id.uuidString)/reveal-phone" }
    static func intake(_ community: String) -> String { "/c/\(community)/intake" }
    static func intakeSearch(_ community: String) -> String { "/c/\(community)/intake/search" }
    static func intakeContext(_ community: String) -> String { "/c/\(community)/intake/context" }
    static func intakeCreated(_ community: UUID, _ order: UUID) -> String { "/c/\(community.uuidString)/intake?created=\(order.uuidString)" }
    static func board(_ community: String) -> String { "/c/\(community)/board" }
    static func orderSearch(_ community: UUID) -> String { "/c/\(community.uuidString)/orders" }
    static func unitHistory(_ unit: UUID) -> String { "/units/\(unit.uuidString)/history" }
    static func boardOf(_ community: UUID, assignee: UUID) -> String { "/c/\(community.uuidString)/board?assignee=\(assignee.uuidString)" }
    static func register(_ community: String) -> String { "/c/\(community)/print/register" }
    static func incidents(_ community: UUID) -> String { "/c/\(community.uuidString)/incidents" }
    static func closeIncident(_ id: UUID) -> String { "/incidents/\(id.uuidString)/close" }
    static func acknowledge(_ alert: UUID) -> String { "/alerts/\(alert.uuidString)/acknowledge" }
    static func scorecard(_ community: UUID, month: String? = nil, area: UUID? = nil) -> String {
        var q: [String] = []
        if let month { q.append("month=\(month)") }
        if let area { q.append("area=\(area.uuidString)") }
        return "/c/\(community.uuidString)/scorecard" + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }
    static func scorecardCSV(_ community: UUID, month: String, area: UUID?) -> String {
        "/c/\(community.uuidString)/scorecard.csv?month=\(month)" + (area.map { "&area=\($0.uuidString)" } ?? "")
    }
    /// The dashboard (REP-1); `table` + `format` make it a download.
    static func dashboard(_ community: UUID, month: String? = nil, area: UUID? = nil, table: String? = nil, format: String? = nil) -> String {
        let q = [month.map { "month=\($0)" }, area.map { "area=\($0.uuidString)" }, table.map { "table=\($0)" }, format.map { "format=\($0)" }].compactMap { $0 }
        return "/c/\(community.uuidString)/dashboard" + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }
    /// The printable monthly service work report (REP-1, S0 3.4).
    static func monthlyReport(_ community: UUID, month: String? = nil) -> String {
        "/c/\(community.uuidString)/reports/monthly" + (month.map { "?month=\($0)" } ?? "")
    }
    static func publishMonthlyReport(_ community: UUID) -> String { "/c/\(community.uuidString)/reports/monthly/publish" }
    /// The notice board (CR-1): list + publish form, one notice, the day's board work, A4 print, the portal's.
    static func notices(_ community: UUID, state: String? = nil) -> String {
        "/c/\(community.uuidString)/notices" + (state.map { "?state=\($0)" } ?? "")
    }
    static func notice(_ community: UUID, _ id: UUID) -> String { "/c/\(community.uuidString)/notices/\(id.uuidString)" }
    static func noticeStep(_ community: UUID, _ id: UUID, _ step: String) -> String { "/c/\(community.uuidString)/notices/\(id.uuidString)/\(step)" }
    static func noticePrint(_ community: UUID, _ id: UUID) -> String { "/c/\(community.uuidString)/notices/\(id.uuidString)/print" }
    static func noticeBoard(_ community: UUID, day: String? = nil) -> String {
        "/c/\(community.uuidString)/notices/board" + (day.map { "?day=\($0)" } ?? "")
    }
    static let portalNotices = "/portal/notices"
    static let patrol = "/patrol"
    static let patrolRounds = "/patrol/rounds"
    static func patrolRound(_ id: UUID) -> String { "/patrol/rounds/\(id.uuidString)" }
    static func finishRound(_ id: UUID) -> String { "/patrol/rounds/\(id.uuidString)/finish" }
    static func checkpointForm(_ code: String) -> String { "/p/\(code)" }
    static func checkpoints(_ community: UUID) -> String { "/c/\(community.uuidString)/patrol/checkpoints" }
    static func checkpoint(_ community: UUID, _ id: UUID) -> String { "/c/\(community.uuidString)/patrol/checkpoints/\(id.uuidString)" }
    static func retireCheckpoint(_ community: UUID, _ id: UUID) -> String { "/c/\(community.uuidString)/patrol/checkpoints/\(id.uuidString)/retire" }
    static func checkpointLabels(_ community: UUID, area: UUID?) -> String {
        "/c/\(community.uuidString)/patrol/labels" + (area.map { "?area=\($0.uuidString)" } ?? "")
    }
    static func patrolCoverage(_ community: UUID, area: UUID?, week: String?) -> String {
        var q: [String] = []
        if let area { q.append("area=\(area.uuidString)") }
        if let week { q.append("week=\(week)") }
        return "/c/\(community.uuidString)/patrol/coverage" + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }
    static func renovations(_ community: UUID) -> String { "/c/\(community.uuidString)/renovations" }
    static func renovation(_ id: UUID) -> String { "/renovations/\(id.uuidString)" }
    static func renovationUpdate(_ id: UUID) -> String { "/renovations/\(id.uuidString)/update" }
    static func renovationDocuments(_ id: UUID) -> String { "/renovations/\(id.uuidString)/documents" }
    static func renovationApprove(_ id: UUID) -> String { "/renovations/\(id.uuidString)/approve" }
    static func renovationInspections(_ id: UUID) -> String { "/renovations/\(id.uuidString)/inspections" }
    static func renovationViolations(_ id: UUID) -> String { "/renovations/\(id.uuidString)/violations" }
    static func renovationPermit(_ id: UUID) -> String { "/renovations/\(id.uuidString)/permit" }
    static func violationStep(_ id: UUID, _ step: String) -> String { "/violations/\(id.uuidString)/steps/\(step)" }
    static func violationCorrect(_ id: UUID) -> String { "/violations/\(id.uuidString)/correct" }
    static func violationNotice(_ id: UUID) -> String { "/violations/\(id.uuidString)/notice" }
    static func violationReport(_ id: UUID) -> String { "/violations/\(id.uuidString)/report" }
    static func subject(_ kind: SubjectKind, _ id: UUID) -> String { "/subjects/\(kind.rawValue)/\(id.uuidString)" }
    // Customer interviews and rectifications (CR-3), the culture plan (CR-4).
    static func interviews(_ community: UUID, month: String? = nil) -> String {
        "/c/\(community.uuidString)/interviews" + (month.map { "?month=\($0)" } ?? "")
    }
    static func issues(_ community: UUID) -> String { "/c/\(community.uuidString)/issues" }
    static func issuePoints(_ id: UUID) -> String { "/issues/\(id.uuidString)/points" }
    static func issueRectifications(_ id: UUID) -> String { "/issues/\(id.uuidString)/rectifications" }
    static func rectificationDone(_ id: UUID) -> String { "/rectifications/\(id.uuidString)/done" }
    static func culture(_ community: UUID, year: Int? = nil) -> String {
        "/c/\(community.uuidString)/culture" + (year.map { "?year=\($0)" } ?? "")
    }
    static func cultureEvents(_ plan: UUID) -> String { "/culture-plans/\(plan.uuidString)/events" }
    static func cultureSubmit(_ plan: UUID) -> String { "/culture-plans/\(plan.uuidString)/submit" }
    static func cultureDecide(_ plan: UUID) -> String { "/culture-plans/\(plan.uuidString)/decide" }
    static func cultureRecord(_ event: UUID) -> String { "/culture-events/\(event.uuidString)/record" }
    // The supervisor's records (FLD-1, FLD-2, FLD-5 … FLD-7).
    static let visits = "/visits"
    static let log = "/log"
    static func workLog(_ id: UUID) -> String { "/logs/\(id.uuidString)" }
    static func communityVisits(_ community: UUID, area: UUID? = nil, month: String? = nil) -> String {
        var q: [String] = []
        if let area { q.append("area=\(area.uuidString)") }
        if let month { q.append("month=\(month)") }
        return "/c/\(community.uuidString)/visits" + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }
    static func supervision(_ community: UUID, month: String? = nil) -> String {
        "/c/\(community.uuidString)/supervision" + (month.map { "?month=\($0)" } ?? "")
    }
    static func inspections(_ community: UUID) -> String { "/c/\(community.uuidString)/inspections" }
    static func spotChecks(_ community: UUID, month: String? = nil) -> String {
        "/c/\(community.uuidString)/spot-checks" + (month.map { "?month=\($0)" } ?? "")
    }
    static func spotCheckDraw(_ community: UUID) -> String { "/c/\(community.uuidString)/spot-checks/draw" }
    static func spotCheck(_ id: UUID) -> String { "/spot-checks/\(id.uuidString)" }
    static func spotCheckReveal(_ id: UUID) -> String { "/spot-checks/\(id.uuidString)/reveal" }
    static func assignments(_ community: UUID) -> String { "/c/\(community.uuidString)/assignments" }
    static func assignment(_ id: UUID) -> String { "/assignments/\(id.uuidString)" }
    static func assignmentSubmit(_ id: UUID) -> String { "/assignments/\(id.uuidString)/submit" }
    static func assignmentDecide(_ id: UUID) -> String { "/assignments/\(id.uuidString)/decide" }
    static func assignmentPrint(_ id: UUID) -> String { "/assignments/\(id.uuidString)/print" }
    static func contactCards(_ community: UUID) -> String { "/c/\(community.uuidString)/contact-cards" }
    static func contactCardsPrint(_ community: UUID) -> String { "/c/\(community.uuidString)/contact-cards/print" }
    static func contactCardPosted(_ id: UUID) -> String { "/contact-cards/\(id.uuidString)/posted" }
    static func dutyLog(_ community: UUID) -> String { "/c/\(community.uuidString)/duty-log" }
    static func dutyLogSign(_ id: UUID) -> String { "/duty-log/\(id.uuidString)/sign" }
    static func handover(_ community: UUID) -> String { "/c/\(community.uuidString)/handover" }
    static func handoverTake(_ id: UUID) -> String { "/handovers/\(id.uuidString)/take" }
    static func evidence(_ id: UUID) -> String { "/evidence/\(id.uuidString)" }
    // Move-ins (FD-1).
    static func moveIns(_ community: UUID) -> String { "/c/\(community.uuidString)/move-ins" }
    static func moveIn(_ id: UUID) -> String { "/move-ins/\(id.uuidString)" }
    static func moveInStep(_ id: UUID, _ step: String) -> String { "/move-ins/\(id.uuidString)/\(step)" }
    static func moveInReinspect(_ id: UUID, _ defect: UUID) -> String { "/move-ins/\(id.uuidString)/defects/\(defect.uuidString)/reinspect" }
    static func moveInPrint(_ id: UUID) -> String { "/move-ins/\(id.uuidString)/print" }
    static func keys(_ community: UUID) -> String { "/c/\(community.uuidString)/keys" }
    static func keyMovements(_ community: UUID) -> String { "/c/\(community.uuidString)/keys/movements" }
    static func keyCount(_ community: UUID) -> String { "/c/\(community.uuidString)/keys/count" }
    static func keysPrint(_ community: UUID) -> String { "/c/\(community.uuidString)/keys/print" }
    static func visitors(_ community: UUID, day: String? = nil) -> String { "/c/\(community.uuidString)/visitors" + (day.map { "?day=\($0)" } ?? "") }
    static func visitorLeave(_ id: UUID) -> String { "/visitors/\(id.uuidString)/leave" }
    static func visitorReveal(_ id: UUID) -> String { "/visitors/\(id.uuidString)/reveal" }
    static func passes(_ community: UUID, unit: UUID? = nil) -> String { "/c/\(community.uuidString)/passes" + (unit.map { "?unit=\($0.uuidString)" } ?? "") }
    static func passStep(_ id: UUID, _ step: String) -> String { "/passes/\(id.uuidString)/\(step)" }
    static func passPrint(_ id: UUID) -> String { "/passes/\(id.uuidString)/print" }
    static func residentFile(_ unit: UUID) -> String { "/units/\(unit.uuidString)/file" }
    // Units in custody (FD-2).
    static func custodyList(_ community: UUID) -> String { "/c/\(community.uuidString)/custody" }
    static func custodyRain(_ community: UUID) -> String { "/c/\(community.uuidString)/custody/rain" }
    static func custodyRainOver(_ community: UUID) -> String { "/c/\(community.uuidString)/custody/rain-over" }
    static func custody(_ id: UUID) -> String { "/custody/\(id.uuidString)" }
    static func custodyReadings(_ id: UUID) -> String { "/custody/\(id.uuidString)/readings" }
    static func custodyChecks(_ id: UUID) -> String { "/custody/\(id.uuidString)/checks" }
    static func custodyEnd(_ id: UUID) -> String { "/custody/\(id.uuidString)/end" }
    // Fees (FEE-1, FEE-5): the finance workspace, the schedule, billing runs, bills, opening balances.
    static func fees(_ community: UUID) -> String { "/c/\(community.uuidString)/fees" }
    /// The customer-relations workspace (CR-1 … CR-4).
    static func relations(_ community: UUID) -> String { "/c/\(community.uuidString)/relations" }
    static func feeItems(_ community: UUID) -> String { "/c/\(community.uuidString)/fees/items" }
    static func feeItem(_ community: UUID, _ item: UUID) -> String { "/c/\(community.uuidString)/fees/items/\(item.uuidString)" }
    static func feeRuns(_ community: UUID, period: String? = nil) -> String { "/c/\(community.uuidString)/fees/runs" + (period.map { "?period=\($0)" } ?? "") }
    static func feeOpening(_ community: UUID) -> String { "/c/\(community.uuidString)/fees/opening" }
    static func feeSchedule(_ community: UUID) -> String { "/c/\(community.uuidString)/fee-schedule" }
    static func bill(_ id: UUID) -> String { "/bills/\(id.uuidString)" }
    static func billCredit(_ id: UUID) -> String { "/bills/\(id.uuidString)/credit-notes" }
    // Fees (FEE-1 payments, FEE-2 deposits): a unit's account, receipts, the cashier's day and close, deposits, the resident's fees.
    static func unitAccount(_ unit: UUID) -> String { "/units/\(unit.uuidString)/account" }
    static func unitPayments(_ unit: UUID) -> String { "/units/\(unit.uuidString)/payments" }
    static func receipt(_ id: UUID) -> String { "/receipts/\(id.uuidString)" }
    static func receiptPrint(_ id: UUID) -> String { "/receipts/\(id.uuidString)/print" }
    static func receiptVoid(_ id: UUID) -> String { "/receipts/\(id.uuidString)/void" }
    static func cashier(_ community: UUID, day: String? = nil, cashier: String? = nil) -> String {
        var q: [String] = []
        if let day { q.append("day=\(day)") }
        if let cashier { q.append("cashier=\(cashier.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
        return "/c/\(community.uuidString)/cashier" + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }
    static func cashierClose(_ community: UUID) -> String { "/c/\(community.uuidString)/cashier/close" }
    static func deposits(_ community: UUID) -> String { "/c/\(community.uuidString)/deposits" }
    static func deposit(_ id: UUID) -> String { "/deposits/\(id.uuidString)" }
    static func depositRefund(_ id: UUID) -> String { "/deposits/\(id.uuidString)/refund" }
    static func depositForfeit(_ id: UUID) -> String { "/deposits/\(id.uuidString)/forfeit" }
    static let portalFees = "/portal/fees"
    // Fees (FEE-3, FEE-4): arrears of an area, the monthly lists, reminders and letters, the collection rate.
    static func arrears(_ community: UUID, area: UUID? = nil) -> String {
        "/c/\(community.uuidString)/arrears" + (area.map { "?area=\($0.uuidString)" } ?? "")
    }
    static func arrearsLists(_ community: UUID) -> String { "/c/\(community.uuidString)/arrears/lists" }
    static func arrearsLongTerm(_ community: UUID) -> String { "/c/\(community.uuidString)/arrears/long-term" }
    static func arrearsList(_ id: UUID) -> String { "/arrears-lists/\(id.uuidString)" }
    static func arrearsListReceive(_ id: UUID) -> String { "/arrears-lists/\(id.uuidString)/receive" }
    static func unitReminders(_ unit: UUID) -> String { "/units/\(unit.uuidString)/reminders" }
    static func reminderLetter(_ unit: UUID) -> String { "/units/\(unit.uuidString)/reminder-letter" }
    static func collectionRate(_ community: UUID) -> String { "/c/\(community.uuidString)/collection-rate" }
}

/// Where a subject is shown (PLT-2): an order or a move-in on its page; anything else through
/// `/subjects/:kind/:id`, which finds its page (a duty's period: the scorecard of its month).
enum SubjectLinks {
    static func path(_ s: SubjectRef) -> String {
        switch s.kind {
        case .workOrder: Routes.order(s.id)
        case .moveIn: Routes.moveIn(s.id)
        case .custodyAgreement: Routes.custody(s.id)
        case .notice: Routes.notice(s.communityID, s.id)
        case .survey: Routes.survey(s.communityID, s.id)
        default: Routes.subject(s.kind, s.id)
        }
    }
}
