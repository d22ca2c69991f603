import Fluent
import Foundation
import PropDeskCore

/// The one place where capabilities plug into the platform (PLT-1, PLT-2): each registers its
/// subject kinds' handler (clocks, acknowledgements) and its duties' measurer. A new capability
/// adds one line to each list here, beside its migrations (`PropDeskMigrations`) and backup
/// tables (`Backup.tables`).
extension Store {
    /// Handlers by subject kind.
    var subjectHandlers: [SubjectKind: any SubjectHandler] {
        let (now, outbox, measurers) = (self.now, webhookEnabled, dutyMeasurers)
        let handlers: [any SubjectHandler] = [
            WorkOrderClocks(now: now, outbox: outbox),
            DutyPeriodHandler(store: { DutyStore(db: $0, now: now, measurers: measurers) }),
        ]
        return Dictionary(uniqueKeysWithValues: handlers.map { ($0.kind, $0) })
    }

    /// Measurers of every capability's duties, in the order the scorecard lists them.
    var dutyMeasurers: [any DutyMeasurer] {
        [WorkOrderDuties()]
    }

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
