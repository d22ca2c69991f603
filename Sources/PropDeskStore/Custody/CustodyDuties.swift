import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// S4 篇1 1⑥ as duties (PLT-1): every unit in custody is checked from outside every week, and
/// before and after heavy rain. The weekly value: unit-weeks with a check, of the unit-weeks due
/// (a unit is due in a Monday-to-Sunday week it was in custody for the whole of, judged in the
/// month its Sunday falls in). The rain value: rain checks done by their due time, of those due.
struct CustodyDuties: DutyMeasurer {
    static let weekly = Duty(
        id: "S4-1.6-custody-weekly", citation: "S4 1⑥",
        title: Message(zh: "每周对托管房进行户外巡查", en: "Units in custody checked from outside every week"),
        asks: Message(zh: "每周安排人员对托管房进行户外巡查,发现问题及时处理并通知业主",
                      en: "Every week someone checks each unit in custody from outside; problems are handled and the owner told"),
        scope: .community, period: .week, target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "custody")
    static let rain = Duty(
        id: "S4-1.6-custody-rain", citation: "S4 1⑥",
        title: Message(zh: "大雨前后对托管房进行户外巡查", en: "Units in custody checked before and after heavy rain"),
        asks: Message(zh: "大雨预警发出后 \(RainWarning.beforeRainHours) 小时内完成雨前巡查,雨停后 \(RainWarning.afterRainHours) 小时内完成雨后巡查",
                      en: "Before-rain checks within \(RainWarning.beforeRainHours) hours of the warning; after-rain checks within \(RainWarning.afterRainHours) hours of the rain stopping"),
        scope: .community, period: .withinDays(1), target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "custody")

    var duties: [Duty] { [Self.weekly, Self.rain] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        duty.id == Self.weekly.id ? try await measureWeekly(place, on: db) : try await measureRain(place, on: db)
    }

    static func path(_ id: UUID) -> String { "/custody/\(id.uuidString)" }

    func measureWeekly(_ place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let asOf = min(place.asOf, place.until)
        let weeks = PatrolCoverage.weeks(endingIn: place.from, until: place.until, endedBy: asOf, timeZone: place.timeZone)
        guard let first = weeks.first, let last = weeks.last else { return DutyMeasurement(numerator: 0, denominator: 0) }
        let agreements = try await CustodyAgreementModel.query(on: db).filter(\.$communityID == place.communityID).all().map(\.domain)
        guard !agreements.isEmpty else { return DutyMeasurement(numerator: 0, denominator: 0) }
        let done = try await CustodyCheckModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$doneAt >= first.start)
            .filter(\.$doneAt < last.end).all().compactMap { m in m.doneAt.map { (m.agreementID, $0) } }
        let checked = Dictionary(grouping: done, by: \.0).mapValues { $0.map(\.1) }
        let labels = try await RegistryStore.unitLabels(Set(agreements.map(\.unitID)), on: db)
        var kept: [RecordLink] = [], misses: [RecordLink] = []
        for week in weeks {
            let sunday = PatrolCoverage.day(of: week.end.addingTimeInterval(-1), timeZone: place.timeZone).label
            for a in agreements where a.covers(from: week.label, to: sunday) {
                let label = "\(week.label) · \(labels[a.unitID] ?? "")"
                if (checked[a.id] ?? []).contains(where: { $0 >= week.start && $0 < week.end }) {
                    kept.append(RecordLink(label: label, path: Self.path(a.id), missed: false))
                } else {
                    misses.append(RecordLink(label: "\(label)(未巡查)", path: Self.path(a.id), missed: true))
                }
            }
        }
        return DutyMeasurement(numerator: kept.count, denominator: kept.count + misses.count,
                               records: Array((misses + kept.reversed()).prefix(WorkOrderDuties.recordLimit)))
    }

    func measureRain(_ place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let asOf = min(place.asOf, place.until)
        let checks = try await CustodyCheckModel.query(on: db).filter(\.$communityID == place.communityID).filter(\.$cancelledAt == nil)
            .filter(\.$kind != CustodyCheckKind.weekly.rawValue).filter(\.$dueAt >= place.from).filter(\.$dueAt < place.until).sort(\.$dueAt).all().map(\.domain)
            .filter { c in c.doneAt != nil || (c.dueAt.map { $0 <= asOf } ?? false) }
        let labels = try await RegistryStore.unitLabels(Set(checks.map(\.unitID)), on: db)
        var kept: [RecordLink] = [], misses: [RecordLink] = []
        for c in checks {
            let due = c.dueAt.map { AssignmentDuties.day($0, place.timeZone) } ?? ""
            let label = "\(due) · \(labels[c.unitID] ?? "") · \(c.kind.title.zhHans)"
            if c.doneOnTime {
                kept.append(RecordLink(label: label, path: Self.path(c.agreementID), missed: false))
            } else {
                misses.append(RecordLink(label: label + (c.doneAt == nil ? "(未巡查)" : "(逾期)"), path: Self.path(c.agreementID), missed: true))
            }
        }
        return DutyMeasurement(numerator: kept.count, denominator: checks.count, records: Array((misses + kept.reversed()).prefix(WorkOrderDuties.recordLimit)))
    }
}

/// Fires a rain check's deadline (FD-2): not done in time, the CS manager is alerted and the
/// agreement's timeline says so. For the agreement's own alerts (a meter over its limit) it
/// notes acknowledgements on the same timeline.
struct CustodyDeadlines: SubjectHandler {
    let kind: SubjectKind

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        var report = SweepReport()
        for c in clocks {
            try await ClockRows.breach(c, on: tx)
            guard kind == .custodyCheck else {
                report.skipped += 1
                continue
            }
            guard let check = try await tx.lockedFind(CustodyCheckModel.self, c.subjectID, community: c.communityID)?.domain, check.isOpen,
                  let a = try await CustodyAgreementModel.find(check.agreementID, on: tx)?.domain else {
                report.skipped += 1
                continue
            }
            let unit = try await RegistryStore.unitLabels([check.unitID], on: tx)[check.unitID] ?? ""
            let subject = SubjectRef(kind: .custodyCheck, id: check.id, communityID: check.communityID, areaID: check.areaID,
                                     label: "托管房 \(unit) \(check.kind.title.zhHans)")
            let alert = Alert.about(subject, .deadlinePassed, clock: c, level: .csManager, at: at)
            try await AlertModel(alert).create(on: tx)
            _ = try await TimelineStore(db: tx).append([CustodyStore.entry(a, "check_overdue", DutyStore.system, at, note: alert.message.zhHans,
                                                                           data: ["kind": check.kind.rawValue, "alert": alert.id.uuidString])])
            try await LiveEvents.publish(alert: alert, subject: subject, on: tx, at: at)
            report.fired += 1
            report.alerts += 1
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        let agreementID = alert.subjectKind == .custodyCheck ? try await CustodyCheckModel.find(alert.subjectID, on: tx)?.agreementID : alert.subjectID
        guard let agreementID, let a = try await CustodyAgreementModel.find(agreementID, on: tx)?.domain else { return }
        _ = try await TimelineStore(db: tx).append([CustodyStore.entry(a, "acknowledged", actor, at, note: alert.acknowledgeNote,
                                                                       data: ["alert": alert.kind.rawValue])])
    }
}
