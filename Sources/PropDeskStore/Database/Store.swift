import Fluent
import FluentSQL
import Foundation
import PropDeskCore

/// The one door to the database: the web layer and the commands see domain types only.
public struct Store: Sendable {
    public let db: any Database
    public let cipher: FieldCipher
    public let now: @Sendable () -> Date
    /// Alerts are also queued for the outbound webhook (when one is configured).
    public let webhookEnabled: Bool

    public init(db: any Database, cipher: FieldCipher, now: @escaping @Sendable () -> Date = { Date() }, webhookEnabled: Bool = false) {
        self.db = db
        self.cipher = cipher
        self.now = now
        self.webhookEnabled = webhookEnabled
    }

    public var registry: RegistryStore { RegistryStore(db: db, cipher: cipher, now: now) }
    public var accounts: AccountStore { AccountStore(db: db, now: now) }
    public var audit: AuditLog { AuditLog(db: db) }
    public var importer: RegistryImporter { RegistryImporter(db: db, cipher: cipher, now: now) }
    public var exporter: RegistryExporter { RegistryExporter(db: db, cipher: cipher) }
    public var backup: Backup { Backup(db: db) }
    /// Free pages of a SQLite file returned to the disk (`propdesk compact`).
    public var compaction: FileCompaction { FileCompaction(db: db) }
    public var orders: WorkOrderStore { WorkOrderStore(db: db, now: now, outbox: webhookEnabled) }
    /// Patrols: checkpoints, rounds, visits, findings, coverage (FLD-3, FLD-8).
    public var patrols: PatrolStore { PatrolStore(db: db, now: now, outbox: webhookEnabled) }
    /// Renovation files, inspections and violations (FLD-4).
    public var renovations: RenovationStore { RenovationStore(db: db, now: now) }
    /// Area assignment tables, staff changes, lobby contact cards (FLD-1, FLD-2).
    public var assignments: AssignmentStore { AssignmentStore(db: db, now: now) }
    /// Household visits and their quotas (FLD-5).
    public var visits: VisitStore { VisitStore(db: db, now: now, outbox: webhookEnabled) }
    /// Supervisors' daily work logs (FLD-6).
    public var workLogs: WorkLogStore { WorkLogStore(db: db, now: now) }
    /// The CS manager's inspections and the desk's spot checks (FLD-7).
    public var supervision: SupervisionStore { SupervisionStore(db: db, now: now) }
    /// The front desk's duty log and shift handovers (FD-3, FD-4).
    public var dutyLog: DutyLogStore { DutyLogStore(db: db, now: now) }
    /// The key ledger (FD-5).
    public var keys: KeyStore { KeyStore(db: db, now: now) }
    /// Visitor registration (FD-7).
    public var visitors: VisitorStore { VisitorStore(db: db, cipher: cipher, now: now) }
    /// Parking permits and access cards (FD-6).
    public var passes: PassStore { PassStore(db: db, now: now) }
    /// Move-ins: documents, agreements, hand-over, joint inspection and completion (FD-1).
    public var moveIns: MoveInStore { MoveInStore(db: db, now: now, outbox: webhookEnabled) }
    /// One unit's resident file, and the audit of each view of its documents (REG-5, SEC-3).
    public var residentFile: ResidentFileStore { ResidentFileStore(db: db, cipher: cipher, now: now) }
    /// Units in custody: agreements, meter readings, exterior and rain checks (FD-2).
    public var custody: CustodyStore { CustodyStore(db: db, now: now) }
    /// Fees and arrears (FEE-1 … FEE-5).
    public var fees: FeeStore { FeeStore(db: db, now: now) }
    /// The notice board (CR-1).
    public var notices: NoticeStore { NoticeStore(db: db, now: now) }
    /// Satisfaction surveys and their statistics (CR-2).
    public var surveys: SurveyStore { SurveyStore(db: db, now: now) }
    /// Customer interviews, common issues and rectifications, the culture plan (CR-3, CR-4).
    public var customerRelations: CustomerRelationsStore {
        let notices = self.notices
        return CustomerRelationsStore(db: db, now: now, publish: { draft, actor in try await notices.publish(draft, by: actor) })
    }
    public var photos: PhotoStore { PhotoStore(db: db, now: now) }
    public var reports: ReportStore { ReportStore(db: db) }
    public var generator: ScaleGenerator { ScaleGenerator(store: self) }

    /// One installation fact (table `settings`), or nil.
    public func setting(_ key: String) async throws -> String? {
        try await (db as! any SQLDatabase).raw("SELECT value FROM settings WHERE key = \(bind: key)").first()?.decode(column: "value", as: String.self)
    }

    public func setSetting(_ key: String, _ value: String) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """).run()
    }

    /// True when no community exists yet (a fresh database).
    public func isEmpty() async throws -> Bool {
        let communities = try await CommunityModel.query(on: db).count()
        let users = try await UserModel.query(on: db).count()
        return communities == 0 && users == 0
    }
}
