import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// S4 4.8 as a duty (PLT-1): the CS manager checks and signs the front desk's duty log of each
/// day by the end of the next working day. A month's value: days due in it signed in time.
struct DutyLogDuties: DutyMeasurer {
    static let signed = Duty(
        id: "S4-4.8-duty-log-signed", citation: "S4 4.8",
        title: Message(zh: "客服组负责人每天检查值班日志并签字", en: "The duty log checked and signed every day"),
        asks: Message(zh: "客服组负责人每天检查前台《值班日志》并签字确认", en: "The CS manager checks the front desk's duty log every day and signs it"),
        scope: .community, period: .withinWorkingDays(1), target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "duty_log")

    var duties: [Duty] { [Self.signed] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let asOf = min(place.asOf, place.until)
        let days = try await DutyLogDayModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$signDueAt >= place.from)
            .filter(\.$signDueAt < place.until).sort(\.$signDueAt).all().map(\.domain).filter { $0.signedAt != nil || $0.signDueAt <= asOf }
        let path = "/c/\(place.communityID.uuidString)/duty-log"
        var misses: [RecordLink] = [], kept: [RecordLink] = []
        for d in days {
            if d.signedOnTime {
                kept.append(RecordLink(label: d.day, path: "\(path)?day=\(d.day)", missed: false))
            } else {
                misses.append(RecordLink(label: "\(d.day)\(d.signedAt == nil ? "(未签字)" : "(逾期签字)")", path: "\(path)?day=\(d.day)", missed: true))
            }
        }
        return DutyMeasurement(numerator: kept.count, denominator: days.count, records: Array((misses + kept.reversed()).prefix(WorkOrderDuties.recordLimit)))
    }
}

/// Fires the signature deadline of a day's log (S4 4.8): unsigned, the CS manager is alerted
/// and the log's record says so.
struct DutyLogSignatures: SubjectHandler {
    var kind: SubjectKind { .dutyLogDay }

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        var report = SweepReport()
        for c in clocks {
            try await ClockRows.breach(c, on: tx)
            guard let day = try await tx.lockedFind(DutyLogDayModel.self, c.subjectID, community: c.communityID)?.domain, day.signedAt == nil else {
                report.skipped += 1
                continue
            }
            let subject = SubjectRef(kind: .dutyLogDay, id: day.id, communityID: day.communityID, areaID: nil, label: "值班日志 · \(day.day)")
            let alert = Alert.about(subject, .deadlinePassed, clock: c, level: .csManager, at: at)
            try await AlertModel(alert).create(on: tx)
            _ = try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .dutyLogDay, subjectID: day.id, communityID: day.communityID, seq: 0,
                                                                      kind: "sign_overdue", actorID: nil, actorName: DutyStore.system.name, at: at,
                                                                      note: alert.message.zhHans, data: ["alert": alert.kind.rawValue])])
            try await LiveEvents.publish(alert: alert, subject: subject, on: tx, at: at)
            report.fired += 1
            report.alerts += 1
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        _ = try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .dutyLogDay, subjectID: alert.subjectID, communityID: alert.communityID, seq: 0,
                                                                  kind: "acknowledged", actorID: actor.userID, actorName: actor.name, at: at,
                                                                  note: alert.acknowledgeNote, data: ["alert": alert.kind.rawValue])])
    }
}
