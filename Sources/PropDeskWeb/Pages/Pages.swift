import Foundation
import PropDeskCore
import Vapor

/// The routes of the pages: the staff console, the engineer's phone view and the resident
/// portal. Every handler checks who is asking (SEC-2); forms post back here and redirect.
enum Pages {
    static func register(_ app: Application) throws {
        app.get("login") { req in SignInPage.render(req, error: nil, username: "") }
        app.post("login") { req in try await SignInPage.submit(req) }
        app.post("logout") { req -> Response in
            SessionLife.end(req)
            return req.redirect(to: "/login")
        }
        app.get("lang") { req in try await switchLanguage(req) }
        app.get { req in try await HomePage.render(req) }
        app.get("password") { req in try await PasswordPage.render(req) }
        app.post("password") { req in try await PasswordPage.submit(req) }

        // Everything below needs a signed-in person before any input is read (SEC-2).
        let signedIn = app.grouped(SignedInGate())

        // Staff console, per community.
        signedIn.get("c", "switch") { req in try await switchCommunity(req) }
        signedIn.get("c", ":cid", "intake") { req in try await IntakePage.render(req) }
        signedIn.post("c", ":cid", "intake") { req in try await IntakePage.submit(req) }
        signedIn.get("c", ":cid", "intake", "search") { req in try await IntakePage.search(req) }
        signedIn.get("c", ":cid", "intake", "context") { req in try await IntakePage.context(req) }
        signedIn.get("c", ":cid", "board") { req in try await BoardPage.render(req) }
        signedIn.get("c", ":cid", "orders") { req in try await OrderSearchPage.render(req) }
        signedIn.get("units", ":unitId", "history") { req in try await OrderSearchPage.history(req) }
        signedIn.post("people", ":personId", "one-time-code") { req in try await PasswordPage.issue(req) }
        signedIn.get("c", ":cid", "print", "register") { req in try await PrintForms.register(req) }
        signedIn.get("c", ":cid", "scorecard") { req in try await ScorecardPage.render(req) }
        signedIn.get("c", ":cid", "scorecard.csv") { req in try await ScorecardPage.csv(req) }
        signedIn.get("c", ":cid", "dashboard") { req in try await DashboardPage.render(req) }
        signedIn.get("c", ":cid", "reports", "monthly") { req in try await MonthlyReportPage.render(req) }
        signedIn.post("c", ":cid", "reports", "monthly", "publish") { req in try await MonthlyReportPage.publish(req) }
        signedIn.get("subjects", ":kind", ":id") { req in try await ScorecardPage.subject(req) }
        signedIn.on(.POST, "subjects", ":kind", ":id", "signature", body: .collect(maxSize: "2mb")) { req in try await EvidencePages.sign(req) }
        signedIn.on(.POST, "subjects", ":kind", ":id", "documents", body: .collect(maxSize: "21mb")) { req in try await EvidencePages.addDocument(req) }
        signedIn.get("evidence", ":eid") { req in try await EvidencePages.show(req) }
        signedIn.post("alerts", ":aid", "acknowledge") { req in try await AlertViews.acknowledge(req) }
        signedIn.post("c", ":cid", "incidents") { req in try await IncidentForms.create(req) }
        signedIn.post("incidents", ":iid", "close") { req in try await IncidentForms.close(req) }

        // Administration in pages (accounts, the service contract, the registry import).
        signedIn.get("admin") { req in try await AccountPages.index(req) }
        signedIn.get("admin", "accounts") { req in try await AccountPages.list(req) }
        signedIn.post("admin", "accounts") { req in try await AccountPages.create(req) }
        signedIn.get("admin", "accounts", ":userId") { req in try await AccountPages.show(req) }
        signedIn.post("admin", "accounts", ":userId") { req in try await AccountPages.change(req) }
        signedIn.post("admin", "accounts", ":userId", "active") { req in try await AccountPages.change(req) }
        signedIn.post("admin", "accounts", ":userId", "password") { req in try await AccountPages.change(req) }
        signedIn.get("admin", "c", ":cid", "contract") { req in try await ContractPage.render(req) }
        signedIn.post("admin", "c", ":cid", "contract") { req in try await ContractPage.save(req) }
        signedIn.get("admin", "c", ":cid", "services") { req in try await ServicesPage.render(req) }
        signedIn.post("admin", "c", ":cid", "services", "items") { req in try await ServicesPage.change(req) }
        signedIn.post("admin", "c", ":cid", "services", "items", ":id") { req in try await ServicesPage.change(req) }
        signedIn.post("admin", "c", ":cid", "services", "rules") { req in try await ServicesPage.change(req) }
        signedIn.post("admin", "c", ":cid", "services", "rules", ":id", "remove") { req in try await ServicesPage.change(req) }
        signedIn.get("admin", "c", ":cid", "registry") { req in try await RegistryPage.render(req) }
        for part in ["areas", "buildings", "units", "people"] {
            signedIn.post("admin", "c", ":cid", "registry", PathComponent(stringLiteral: part)) { req in try await RegistryPage.add(req) }
        }
        signedIn.post("admin", "communities") { req in try await RegistryPage.createCommunity(req) }
        signedIn.get("admin", "c", ":cid", "import") { req in try await ImportPage.render(req) }
        signedIn.on(.POST, "admin", "c", ":cid", "import", body: .collect(maxSize: "33mb")) { req in try await ImportPage.submit(req) }

        // One order, for everyone who may see it.
        signedIn.get("orders", ":oid") { req in try await OrderPage.render(req) }
        signedIn.post("orders", ":oid", "step", ":name") { req in try await OrderSteps.submit(req) }
        signedIn.post("orders", ":oid", "reveal-phone") { req in try await CallbackTasks.reveal(req) }
        signedIn.on(.POST, "orders", ":oid", "photos", body: .collect(maxSize: "64mb")) { req in try await Photos.add(req) }
        signedIn.get("orders", ":oid", "photos", ":pid") { req in try await Photos.show(req) }
        signedIn.get("orders", ":oid", "print", "dispatch") { req in try await PrintForms.dispatch(req) }
        signedIn.get("orders", ":oid", "print", "feedback") { req in try await PrintForms.feedback(req) }

        // Patrols (FLD-3): the supervisor's phone, the checkpoint a label opens, the manager's pages.
        signedIn.get("patrol") { req in try await PatrolPages.today(req) }
        signedIn.post("patrol", "rounds") { req in try await PatrolPages.start(req) }
        signedIn.get("patrol", "rounds", ":rid") { req in try await PatrolPages.round(req) }
        signedIn.post("patrol", "rounds", ":rid", "finish") { req in try await PatrolPages.finish(req) }
        signedIn.get("p", ":code") { req in try await PatrolPages.form(req) }
        signedIn.on(.POST, "p", ":code", body: .collect(maxSize: "64mb")) { req in try await PatrolPages.submit(req) }
        signedIn.get("c", ":cid", "patrol", "checkpoints") { req in try await CheckpointPages.list(req) }
        signedIn.post("c", ":cid", "patrol", "checkpoints") { req in try await CheckpointPages.add(req) }
        signedIn.get("c", ":cid", "patrol", "checkpoints", ":id") { req in try await CheckpointPages.show(req) }
        signedIn.post("c", ":cid", "patrol", "checkpoints", ":id") { req in try await CheckpointPages.change(req) }
        signedIn.post("c", ":cid", "patrol", "checkpoints", ":id", "retire") { req in try await CheckpointPages.retire(req) }
        signedIn.get("c", ":cid", "patrol", "labels") { req in try await CheckpointPages.labels(req) }
        signedIn.get("c", ":cid", "patrol", "coverage") { req in try await CheckpointPages.coverage(req) }

        // Renovation files (FLD-4): registration, documents, approval, inspections, violations, prints.
        signedIn.get("c", ":cid", "renovations") { req in try await RenovationPages.list(req) }
        signedIn.post("c", ":cid", "renovations") { req in try await RenovationPages.register(req) }
        signedIn.get("renovations", ":rid") { req in try await RenovationPages.show(req) }
        signedIn.post("renovations", ":rid", "update") { req in try await RenovationPages.update(req) }
        signedIn.on(.POST, "renovations", ":rid", "documents", body: .collect(maxSize: "21mb")) { req in try await RenovationPages.addDocument(req) }
        signedIn.post("renovations", ":rid", "approve") { req in try await RenovationPages.approve(req) }
        signedIn.on(.POST, "renovations", ":rid", "inspections", body: .collect(maxSize: "64mb")) { req in try await RenovationPages.inspect(req) }
        signedIn.on(.POST, "renovations", ":rid", "violations", body: .collect(maxSize: "64mb")) { req in try await RenovationPages.issue(req) }
        signedIn.get("renovations", ":rid", "permit") { req in try await RenovationPages.permit(req) }
        signedIn.on(.POST, "violations", ":vid", "steps", ":step", body: .collect(maxSize: "64mb")) { req in try await RenovationPages.step(req) }
        signedIn.post("violations", ":vid", "correct") { req in try await RenovationPages.correct(req) }
        signedIn.get("violations", ":vid", "notice") { req in try await RenovationPages.notice(req) }
        signedIn.get("violations", ":vid", "report") { req in try await RenovationPages.report(req) }

        // The supervisor's records (FLD-5, FLD-6) and the manager's supervision (FLD-1, FLD-2, FLD-7).
        signedIn.get("visits") { req in try await VisitPages.today(req) }
        signedIn.post("visits") { req in try await VisitPages.submit(req) }
        signedIn.get("c", ":cid", "visits") { req in try await VisitPages.list(req) }
        signedIn.get("log") { req in try await WorkLogPages.today(req) }
        signedIn.post("log") { req in try await WorkLogPages.writeToday(req) }
        signedIn.get("logs", ":id") { req in try await WorkLogPages.show(req) }
        signedIn.post("logs", ":id") { req in try await WorkLogPages.write(req) }
        signedIn.get("c", ":cid", "supervision") { req in try await SupervisionPages.render(req) }
        signedIn.on(.POST, "c", ":cid", "inspections", body: .collect(maxSize: "64mb")) { req in try await SupervisionPages.inspect(req) }
        signedIn.get("c", ":cid", "spot-checks") { req in try await SupervisionPages.spotChecks(req) }
        signedIn.post("c", ":cid", "spot-checks", "draw") { req in try await SupervisionPages.draw(req) }
        signedIn.post("spot-checks", ":id") { req in try await SupervisionPages.call(req) }
        signedIn.post("spot-checks", ":id", "reveal") { req in try await SupervisionPages.reveal(req) }
        signedIn.get("c", ":cid", "assignments") { req in try await AssignmentPages.list(req) }
        signedIn.post("c", ":cid", "assignments") { req in try await AssignmentPages.draft(req) }
        signedIn.get("assignments", ":id") { req in try await AssignmentPages.show(req) }
        signedIn.post("assignments", ":id", "submit") { req in try await AssignmentPages.submit(req) }
        signedIn.post("assignments", ":id", "decide") { req in try await AssignmentPages.decide(req) }
        signedIn.get("assignments", ":id", "print") { req in try await AssignmentPages.print(req) }
        signedIn.get("c", ":cid", "contact-cards") { req in try await AssignmentPages.cards(req) }
        signedIn.get("c", ":cid", "contact-cards", "print") { req in try await AssignmentPages.printCards(req) }
        signedIn.post("contact-cards", ":id", "posted") { req in try await AssignmentPages.posted(req) }

        // The notice board (CR-1).
        signedIn.get("c", ":cid", "notices") { req in try await NoticePages.list(req) }
        signedIn.post("c", ":cid", "notices") { req in try await NoticePages.publish(req) }
        signedIn.get("c", ":cid", "notices", "board") { req in try await NoticePages.board(req) }
        signedIn.get("c", ":cid", "notices", ":nid") { req in try await NoticePages.detail(req) }
        signedIn.get("c", ":cid", "notices", ":nid", "print") { req in try await NoticePages.print(req) }
        signedIn.post("c", ":cid", "notices", ":nid", "withdraw") { req in try await NoticePages.withdraw(req) }
        signedIn.post("c", ":cid", "notices", ":nid", "posted") { req in try await NoticePages.boardStep(req, posted: true) }
        signedIn.post("c", ":cid", "notices", ":nid", "taken-down") { req in try await NoticePages.boardStep(req, posted: false) }
        signedIn.get("portal", "notices") { req in try await NoticePages.portal(req) }

        // Customer interviews, common issues and rectifications (CR-3), the culture plan (CR-4).
        signedIn.get("c", ":cid", "interviews") { req in try await CustomerRelationsPages.interviews(req) }
        signedIn.post("c", ":cid", "interviews") { req in try await CustomerRelationsPages.recordInterview(req) }
        signedIn.get("c", ":cid", "issues") { req in try await CustomerRelationsPages.issues(req) }
        signedIn.post("c", ":cid", "issues") { req in try await CustomerRelationsPages.group(req) }
        signedIn.post("issues", ":id", "rectifications") { req in try await CustomerRelationsPages.rectify(req) }
        signedIn.post("rectifications", ":id", "done") { req in try await CustomerRelationsPages.done(req) }
        signedIn.get("c", ":cid", "culture") { req in try await CustomerRelationsPages.culture(req) }
        signedIn.post("c", ":cid", "culture") { req in try await CustomerRelationsPages.draftPlan(req) }
        signedIn.post("culture-plans", ":id", "events") { req in try await CustomerRelationsPages.addEvent(req) }
        signedIn.post("culture-plans", ":id", "submit") { req in try await CustomerRelationsPages.submit(req) }
        signedIn.post("culture-plans", ":id", "decide") { req in try await CustomerRelationsPages.decide(req) }
        signedIn.on(.POST, "culture-events", ":id", "record", body: .collect(maxSize: "64mb")) { req in try await CustomerRelationsPages.recordEvent(req) }

        // The front desk's duty log (FD-3).
        signedIn.get("c", ":cid", "duty-log") { req in try await DutyLogPages.render(req) }
        signedIn.post("c", ":cid", "duty-log") { req in try await DutyLogPages.write(req) }
        signedIn.post("duty-log", ":id", "sign") { req in try await DutyLogPages.sign(req) }
        signedIn.get("c", ":cid", "handover") { req in try await HandoverPages.render(req) }
        signedIn.post("c", ":cid", "handover") { req in try await HandoverPages.handOver(req) }
        signedIn.post("handovers", ":id", "take") { req in try await HandoverPages.take(req) }

        // Move-ins (FD-1): the cases, one case's checklist and steps, the printed form.
        signedIn.get("c", ":cid", "move-ins") { req in try await MoveInPages.list(req) }
        signedIn.post("c", ":cid", "move-ins") { req in try await MoveInPages.open(req) }
        signedIn.get("move-ins", ":id") { req in try await MoveInPages.show(req) }
        signedIn.on(.POST, "move-ins", ":id", "documents", body: .collect(maxSize: "21mb")) { req in try await MoveInPages.addDocument(req) }
        signedIn.on(.POST, "move-ins", ":id", "signatures", body: .collect(maxSize: "2mb")) { req in try await MoveInPages.sign(req) }
        signedIn.post("move-ins", ":id", "registration") { req in try await MoveInPages.register(req) }
        signedIn.post("move-ins", ":id", "handover") { req in try await MoveInPages.handOver(req) }
        signedIn.post("move-ins", ":id", "fees") { req in try await MoveInPages.fees(req) }
        signedIn.post("move-ins", ":id", "inspection") { req in try await MoveInPages.inspect(req) }
        signedIn.post("move-ins", ":id", "defects", ":did", "reinspect") { req in try await MoveInPages.reinspect(req) }
        signedIn.post("move-ins", ":id", "complete") { req in try await MoveInPages.complete(req) }
        signedIn.get("move-ins", ":id", "print") { req in try await MoveInPages.print(req) }

        // The desk's keys, visitors and passes (FD-5, FD-7, FD-6) and the resident file (REG-5).
        signedIn.get("c", ":cid", "keys") { req in try await KeyPages.render(req) }
        signedIn.post("c", ":cid", "keys", "movements") { req in try await KeyPages.move(req) }
        signedIn.post("c", ":cid", "keys", "count") { req in try await KeyPages.count(req) }
        signedIn.get("c", ":cid", "keys", "print") { req in try await KeyPages.print(req) }
        signedIn.get("c", ":cid", "visitors") { req in try await VisitorPages.render(req) }
        signedIn.post("c", ":cid", "visitors") { req in try await VisitorPages.arrive(req) }
        signedIn.post("visitors", ":id", "leave") { req in try await VisitorPages.leave(req) }
        signedIn.post("visitors", ":id", "reveal") { req in try await VisitorPages.reveal(req) }
        signedIn.get("c", ":cid", "passes") { req in try await PassPages.render(req) }
        signedIn.post("c", ":cid", "passes") { req in try await PassPages.issue(req) }
        signedIn.post("passes", ":id", ":step") { req in try await PassPages.step(req) }
        signedIn.get("passes", ":id", "print") { req in try await PassPages.print(req) }
        signedIn.get("units", ":unitId", "file") { req in try await ResidentFilePages.render(req) }

        // Units in custody (FD-2): the list, heavy rain, one agreement's readings, checks and end.
        signedIn.get("c", ":cid", "custody") { req in try await CustodyPages.list(req) }
        signedIn.post("c", ":cid", "custody") { req in try await CustodyPages.open(req) }
        signedIn.post("c", ":cid", "custody", "rain") { req in try await CustodyPages.warn(req) }
        signedIn.post("c", ":cid", "custody", "rain-over") { req in try await CustodyPages.rainOver(req) }
        signedIn.get("custody", ":id") { req in try await CustodyPages.show(req) }
        signedIn.post("custody", ":id", "readings") { req in try await CustodyPages.reading(req) }
        signedIn.post("custody", ":id", "checks") { req in try await CustodyPages.check(req) }
        signedIn.post("custody", ":id", "end") { req in try await CustodyPages.end(req) }

        // Fees — billing (FEE-1, FEE-5): the workspace, fee items, billing runs, bills, opening balances.
        signedIn.get("c", ":cid", "fees") { req in try await FeesHome.render(req) }
        signedIn.get("c", ":cid", "relations") { req in try await RelationsHome.render(req) }
        signedIn.get("c", ":cid", "fees", "items") { req in try await BillingPages.items(req) }
        signedIn.post("c", ":cid", "fees", "items") { req in try await BillingPages.createItem(req) }
        signedIn.get("c", ":cid", "fees", "items", ":itemId") { req in try await BillingPages.editItem(req) }
        signedIn.post("c", ":cid", "fees", "items", ":itemId") { req in try await BillingPages.updateItem(req) }
        signedIn.get("c", ":cid", "fees", "runs") { req in try await BillingPages.runs(req) }
        signedIn.post("c", ":cid", "fees", "runs") { req in try await BillingPages.run(req) }
        signedIn.get("c", ":cid", "fees", "opening") { req in try await BillingPages.opening(req) }
        signedIn.on(.POST, "c", ":cid", "fees", "opening", body: .collect(maxSize: "21mb")) { req in try await BillingPages.importOpening(req) }
        signedIn.get("bills", ":id") { req in try await BillingPages.bill(req) }
        signedIn.post("bills", ":id", "credit-notes") { req in try await BillingPages.creditNote(req) }
        // The public fee schedule (FEE-5, S0 1.1): no sign-in.
        app.get("c", ":cid", "fee-schedule") { req in try await BillingPages.schedule(req) }
        // Fees — payments, receipts, the daily close (FEE-1) and deposits (FEE-2); the resident's fees.
        signedIn.get("units", ":unitId", "account") { req in try await PaymentPages.account(req) }
        signedIn.post("units", ":unitId", "payments") { req in try await PaymentPages.pay(req) }
        signedIn.get("receipts", ":id") { req in try await PaymentPages.show(req) }
        signedIn.get("receipts", ":id", "print") { req in try await PaymentPages.print(req) }
        signedIn.post("receipts", ":id", "void") { req in try await PaymentPages.voidReceipt(req) }
        signedIn.get("c", ":cid", "cashier") { req in try await PaymentPages.day(req) }
        signedIn.post("c", ":cid", "cashier", "close") { req in try await PaymentPages.closeDay(req) }
        signedIn.get("c", ":cid", "deposits") { req in try await DepositPages.list(req) }
        signedIn.post("c", ":cid", "deposits") { req in try await DepositPages.receive(req) }
        signedIn.get("deposits", ":id") { req in try await DepositPages.show(req) }
        signedIn.post("deposits", ":id", "refund") { req in try await DepositPages.refund(req) }
        signedIn.post("deposits", ":id", "forfeit") { req in try await DepositPages.forfeit(req) }
        signedIn.get("portal", "fees") { req in try await PortalFeesPages.render(req) }
        // Fees — arrears (FEE-3): the area's list, the monthly lists, long-term report, reminders, letters; the collection rate (FEE-4).
        signedIn.get("c", ":cid", "arrears") { req in try await ArrearsPages.arrears(req) }
        signedIn.get("c", ":cid", "arrears", "lists") { req in try await ArrearsPages.lists(req) }
        signedIn.post("c", ":cid", "arrears", "lists") { req in try await ArrearsPages.prepare(req) }
        signedIn.get("c", ":cid", "arrears", "long-term") { req in try await ArrearsPages.longTerm(req) }
        signedIn.get("arrears-lists", ":id") { req in try await ArrearsPages.list(req) }
        signedIn.post("arrears-lists", ":id", "receive") { req in try await ArrearsPages.receive(req) }
        signedIn.get("units", ":unitId", "reminders") { req in try await ArrearsPages.reminders(req) }
        signedIn.post("units", ":unitId", "reminders") { req in try await ArrearsPages.remind(req) }
        signedIn.get("units", ":unitId", "reminder-letter") { req in try await ArrearsPages.letter(req) }
        signedIn.get("c", ":cid", "collection-rate") { req in try await ArrearsPages.rate(req) }
        // Satisfaction surveys (CR-2): list and builder, one survey (statistics, export), open/close, paper forms; the resident's side.
        signedIn.get("c", ":cid", "surveys") { req in try await SurveyPages.list(req) }
        signedIn.post("c", ":cid", "surveys") { req in try await SurveyPages.create(req) }
        signedIn.get("c", ":cid", "surveys", ":surveyId") { req in try await SurveyPages.show(req) }
        signedIn.post("c", ":cid", "surveys", ":surveyId", "open") { req in try await SurveyPages.open(req) }
        signedIn.post("c", ":cid", "surveys", ":surveyId", "close") { req in try await SurveyPages.close(req) }
        signedIn.get("c", ":cid", "surveys", ":surveyId", "paper") { req in try await SurveyPages.paperForm(req) }
        signedIn.post("c", ":cid", "surveys", ":surveyId", "paper") { req in try await SurveyPages.paperSubmit(req) }
        signedIn.get("portal", "surveys") { req in try await PortalSurveyPages.list(req) }
        signedIn.get("portal", "surveys", ":surveyId") { req in try await PortalSurveyPages.form(req) }
        signedIn.post("portal", "surveys", ":surveyId") { req in try await PortalSurveyPages.submit(req) }

        // The engineer's phone view and the resident portal.
        signedIn.get("my") { req in try await MyOrdersPage.render(req) }
        signedIn.get("portal") { req in try await PortalPages.home(req) }
        signedIn.get("portal", "report") { req in try await PortalPages.report(req) }
        signedIn.on(.POST, "portal", "report", body: .collect(maxSize: "64mb")) { req in try await PortalPages.submitReport(req) }
        signedIn.get("portal", "prices") { req in try await PortalPages.prices(req) }
        // The public price list (INT-10): no sign-in.
        app.get("prices", ":cid") { req in try await PortalPages.prices(req) }
    }

    /// Refuses a stranger with 401 before any parameter or body is read.
    struct SignedInGate: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            guard let p = request.principal else { throw DomainError.unauthenticated }
            if p.mustChangePassword { return request.redirect(to: Routes.password) }
            return try await next.respond(to: request)
        }
    }

    /// GET /c/switch?c=<community>&page=board — the header's community switcher.
    static func switchCommunity(_ req: Request) async throws -> Response {
        let (_, policy) = try req.requireStaff()
        guard let id = req.query[String.self, at: "c"].flatMap(UUID.init(uuidString:)), policy.reach(id) != .none else { throw DomainError.notFound(Noun.community) }
        let page = req.query[String.self, at: "page"] ?? "board"
        let known = ["intake", "board", "orders", "print/register"]
        return req.redirect(to: "/c/\(id.uuidString)/\(known.contains(page) ? page : "board")")
    }

    /// Remembers the choice in a cookie and, for a signed-in user, in the account.
    static func switchLanguage(_ req: Request) async throws -> Response {
        guard let code = req.query[String.self, at: "to"], let lang = Language(code: code) else {
            throw DomainError.invalid(field: "to", Message(zh: "不支持的语言", en: "Unsupported language"))
        }
        if let p = req.principal { try await req.store.accounts.setLanguage(lang, for: p.userID) }
        let response = req.redirect(to: Paths.safe(req.query[String.self, at: "back"], fallback: "/"))
        response.cookies["lang"] = HTTPCookies.Value(string: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func errorPage(_ error: DomainError, status: HTTPResponseStatus, request: Request) -> Response {
        let lang = request.language
        return Layout.page(title: Strings.error, request: request, status: status, [
            H.el("p", [("class", "error"), ("role", "alert")], text: error.message.text(lang)),
            H.link(Strings.back.text(lang), "/"),
        ])
    }
}
