import Fluent
import Foundation
import PropDeskCore

/// What one capability brings to the platform (PLT-1, PLT-2): its migrations, its tables in
/// backups (parents before children), the handler of its subject kind (fire its clocks, note
/// acknowledgements) and the measurer of its duties. A new capability (patrols, renovation,
/// visits …) is one more entry in `Capabilities.all`, beside its own folders.
struct Capability: Sendable {
    let name: String
    let migrations: [any Migration]
    let backupTables: [any BackupTable.Type]
    let handlers: [@Sendable (Store) -> any SubjectHandler]
    let duties: (any DutyMeasurer)?

    init(_ name: String, migrations: [any Migration], backupTables: [any BackupTable.Type],
         handler: (@Sendable (Store) -> any SubjectHandler)? = nil, handlers: [@Sendable (Store) -> any SubjectHandler] = [],
         duties: (any DutyMeasurer)? = nil) {
        self.name = name
        self.migrations = migrations
        self.backupTables = backupTables
        self.handlers = (handler.map { [$0] } ?? []) + handlers
        self.duties = duties
    }
}

/// The one place where capabilities plug in, in dependency order.
enum Capabilities {
    static let all: [Capability] = [
        Capability("registry", migrations: [CreateRegistry(), SearchTermIndexes()],
                   backupTables: [CommunityModel.self, AreaModel.self, BuildingModel.self, UnitModel.self, PersonModel.self, OccupancyModel.self,
                                  SearchTermModel.self]),
        Capability("accounts", migrations: [CreateAccounts(), CreateSignInThrottles(), CreateSettings(), OneTimeCodes()],
                   backupTables: [UserModel.self, UserScopeModel.self, APITokenModel.self, AuditEntryModel.self]),
        Capability("work_orders", migrations: [CreateWorkOrders(), CreateOrderPhotos(), OrderListIndexes(), MoveOrderTimelines(), ListFilterIndexes()],
                   backupTables: [ServiceContractModel.self, CatalogueItemModel.self, DispatchRuleModel.self, IncidentModel.self, WorkOrderModel.self,
                                  WebhookDeliveryModel.self],
                   handler: { WorkOrderClocks(now: $0.now, outbox: $0.webhookEnabled) }, duties: WorkOrderDuties()),
        Capability("patrols", migrations: [CreatePatrols()],
                   backupTables: [CheckpointModel.self, PatrolRoundModel.self, PatrolVisitModel.self, PatrolFindingModel.self],
                   duties: PatrolDuties()),
        Capability("renovation", migrations: [CreateRenovations()],
                   backupTables: [RenovationModel.self, RenovationInspectionModel.self, RenovationViolationModel.self],
                   handler: { ViolationDeadlines(now: $0.now) }, duties: RenovationDuties()),
        Capability("assignments", migrations: [CreateAssignments()],
                   backupTables: [AssignmentTableModel.self, StaffChangeModel.self, ContactCardModel.self],
                   handlers: [{ _ in AssignmentDeadlines(kind: .staffChange) }, { _ in AssignmentDeadlines(kind: .contactCard) }],
                   duties: AssignmentDuties()),
        Capability("household_visits", migrations: [CreateHouseholdVisits()],
                   backupTables: [HouseholdVisitModel.self, HouseholdVisitOrderModel.self], duties: VisitDuties()),
        Capability("work_logs", migrations: [CreateWorkLogs()],
                   backupTables: [WorkLogModel.self, WorkLogHandoverModel.self], handler: { _ in WorkLogReviews() }, duties: WorkLogDuties()),
        Capability("supervision", migrations: [CreateSupervision()],
                   backupTables: [AreaInspectionModel.self, SpotCheckDrawModel.self, SpotCheckModel.self], duties: SupervisionDuties()),
        Capability("duty_log", migrations: [CreateDutyLog()],
                   backupTables: [DutyLogDayModel.self, ShiftHandoverModel.self], handler: { _ in DutyLogSignatures() }, duties: DutyLogDuties()),
        Capability("keys", migrations: [CreateKeys()], backupTables: [KeyMovementModel.self, KeyReconciliationModel.self], duties: KeyDuties()),
        Capability("visitors", migrations: [CreateVisitors()], backupTables: [VisitorModel.self]),
        Capability("passes", migrations: [CreatePasses()], backupTables: [UnitPassModel.self]),
        Capability("move_ins", migrations: [CreateMoveIns()], backupTables: [MoveInModel.self, MoveInFileModel.self, MoveInDefectModel.self]),
        Capability("custody", migrations: [CreateCustody()],
                   backupTables: [CustodyAgreementModel.self, RainWarningModel.self, MeterReadingModel.self, CustodyCheckModel.self],
                   handlers: [{ _ in CustodyDeadlines(kind: .custodyCheck) }, { _ in CustodyDeadlines(kind: .custodyAgreement) }], duties: CustodyDuties()),
        Capability("fees", migrations: [CreateFees()],
                   backupTables: [FeeItemModel.self, BillingRunModel.self, BillModel.self, CreditNoteModel.self, ReceiptCounterModel.self, ReceiptModel.self,
                                  PaymentAllocationModel.self, DepositModel.self, DailyCloseModel.self, ArrearsListModel.self, ArrearsListLineModel.self,
                                  ArrearsReminderModel.self],
                   duties: FeeDuties()),
        Capability("notices", migrations: [CreateNotices()], backupTables: [NoticeModel.self], handler: { _ in NoticeExpiry() }, duties: NoticeDuties()),
        Capability("surveys", migrations: [CreateSurveys()],
                   backupTables: [SurveyModel.self, SurveyQuestionModel.self, SurveyResponseModel.self, SurveyAnswerModel.self], duties: SurveyDuties()),
        Capability("customer_relations", migrations: [CreateCustomerRelations()],
                   backupTables: [InterviewModel.self, CommonIssueModel.self, InterviewPointModel.self, RectificationModel.self, CulturePlanModel.self,
                                  CultureEventModel.self],
                   handler: { _ in RectificationDeadlines() }, duties: CustomerRelationsDuties()),
        Capability("platform", migrations: [CreatePlatform(), CreateEvidence(), CompactIdentifiers(), DistributeByCommunity(), CompactTimelines(), DueClocksByCommunity(), VacuumListTablesOften(),
                                              IndexOnlyWhatIsSet(), ClocksKeptByTheirSubject(), AUnitsRecordsByTheUnit()],
                   backupTables: [SLAClockModel.self, AlertModel.self, EvidenceModel.self, EvidenceBlobTable.self, TimelineTable.self, DutyPeriodTable.self],
                   handler: { store in
                       let (now, measurers) = (store.now, store.dutyMeasurers)
                       return DutyPeriodHandler(store: { DutyStore(db: $0, now: now, measurers: measurers) })
                   }),
    ]
}

extension Store {
    /// Handlers by subject kind.
    var subjectHandlers: [SubjectKind: any SubjectHandler] {
        let handlers = Capabilities.all.flatMap { $0.handlers.map { make in make(self) } }
        return Dictionary(uniqueKeysWithValues: handlers.map { ($0.kind, $0) })
    }

    /// Measurers of every capability's duties, in the order the scorecard lists them.
    var dutyMeasurers: [any DutyMeasurer] { Capabilities.all.compactMap(\.duties) }

    /// The one sweeper of every subject's clocks.
    public var clocks: ClockSweeper { ClockSweeper(db: db, now: now, handlers: subjectHandlers) }
    /// Alerts of every subject.
    public var alerts: AlertStore { AlertStore(db: db, now: now, handlers: subjectHandlers) }
    /// Hash-chained timelines of subjects (PLT-3).
    public var timelines: TimelineStore { TimelineStore(db: db) }
    /// Evidence on every subject (PLT-4).
    public var evidence: EvidenceStore { EvidenceStore(db: db, now: now) }
    /// Duties, their periods and the scorecard (PLT-1, REP-2).
    public var duties: DutyStore { DutyStore(db: db, now: now, measurers: dutyMeasurers) }
}
