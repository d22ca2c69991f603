import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Where and when a duty is measured: one community (or one of its areas) and one month.
public struct DutyPlace: Sendable {
    public let communityID: UUID
    public let areaID: UUID?
    /// "2026-11".
    public let period: String
    public let from: Date
    public let until: Date
    public let timeZone: String
    /// When it is measured: a period still running counts only its days (weeks) that have ended.
    public let asOf: Date
}

/// A capability's side of its duties (PLT-1): which it registers and how each is measured from
/// its records. Registered once, in `Platform`.
public protocol DutyMeasurer: Sendable {
    var duties: [Duty] { get }
    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement
}

/// Duties, their periods and the standards scorecard (PLT-1, REP-2). Each duty of each
/// community (or area) gets a row per month with a deadline clock at its end; when that clock
/// fires, the period is measured from the records and decided, and a miss raises an alert to
/// the duty's owner, then — if nobody acknowledges it within a day — to the center head.
public struct DutyStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    let measurers: [any DutyMeasurer]
    var sql: any SQLDatabase { db as! any SQLDatabase }
    static let system = Actor(userID: nil, name: "PropDesk")

    /// Every registered duty, in registration order.
    public var duties: [Duty] { measurers.flatMap(\.duties) }

    func measurer(of duty: Duty) -> (any DutyMeasurer)? { measurers.first { $0.duties.contains(duty) } }

    /// The scorecard of one community (or one area) for one month: every registered duty of
    /// that scope with its value, target, outcome and records (REP-2). `only` narrows it to some
    /// duties (the dashboard's few rows), measured exactly as the full scorecard measures them.
    public func scorecard(community: UUID, month: String, timeZone: String, areaID: UUID? = nil, only: Set<String>? = nil) async throws -> [DutyResult] {
        let (from, until) = try MonthSummary.range(month: month, timeZone: timeZone)
        let at = now()
        let place = DutyPlace(communityID: community, areaID: areaID, period: month, from: from, until: until, timeZone: timeZone, asOf: at)
        // A yearly clause (S2 4.3.1's 36 %) shows its year so far beside the month.
        let year = try Self.year(of: month, timeZone: timeZone)
        let yearPlace = DutyPlace(communityID: community, areaID: areaID, period: year.label, from: year.from, until: year.until, timeZone: timeZone,
                                  asOf: min(at, until))
        var rows: [DutyResult] = []
        for m in measurers {
            for duty in m.duties where (only?.contains(duty.id) ?? true) && (areaID == nil || duty.scope == .area || duty.scope == .community) {
                let p = duty.period.judgedMonthly ? place : yearPlace
                let measured = try await m.measure(duty, at: p, on: db)
                rows.append(DutyResult(duty: duty, communityID: community, areaID: areaID, period: p.period, from: p.from, until: p.until,
                                       measurement: measured, at: at))
            }
        }
        return rows
    }

    // MARK: Periods and their deadline clocks

    /// Makes sure every monthly duty of every community has its period for the month of `at`
    /// (in the community's time zone) with a deadline clock at the month's end. Idempotent and
    /// safe across processes (one row per duty, place and month; a second insert is ignored).
    /// Returns how many periods were opened.
    @discardableResult
    public func openPeriods(at: Date? = nil) async throws -> Int {
        let at = at ?? now()
        let communities = try await CommunityModel.query(on: db).all()
        let all = duties
        guard !all.isEmpty else { return 0 }
        var opened = 0
        for c in communities {
            guard let cid = c.id else { continue }
            let month = Self.month(of: at, timeZone: c.timeZone)
            let monthRange = try MonthSummary.range(month: month, timeZone: c.timeZone)
            let year = try Self.year(of: month, timeZone: c.timeZone)
            let areas = all.contains { $0.scope == .area } ? try await AreaModel.query(on: db).filter(\.$communityID == cid).all().compactMap(\.id) : []
            opened += try await db.writeTransaction { tx in
                var n = 0
                for duty in all {
                    let (period, from, until) = duty.period.judgedMonthly ? (month, monthRange.0, monthRange.1) : (year.label, year.from, year.until)
                    let places: [UUID?] = duty.scope == .area ? areas.map { Optional($0) } : [nil]
                    for area in places {
                        let id = UUID()
                        let inserted = try await (tx as! any SQLDatabase).raw("""
                            INSERT INTO duty_periods (id, duty_id, community_id, area_id, scope_key, period, starts_at, ends_at)
                            VALUES (\(bind: id), \(bind: duty.id), \(bind: cid), \(bind: area), \(bind: area?.uuidString ?? ""), \(bind: period), \(bind: from), \(bind: until))
                            ON CONFLICT DO NOTHING RETURNING id
                            """).first()
                        guard inserted != nil else { continue }
                        let clock = SLAClock(subjectKind: .dutyPeriod, subjectID: id, communityID: cid, kind: .deadline, round: 1,
                                             targetSeconds: max(0, Int(until.timeIntervalSince(from))), serviceHoursOnly: false,
                                             startedAt: from, dueAt: until, nextFireAt: until)
                        try await SLAClockModel(clock).create(on: tx)
                        n += 1
                    }
                }
                return n
            }
        }
        return opened
    }

    /// "2026-11": the month `date` falls in, in the time zone.
    public static func month(of date: Date, timeZone: String) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year ?? 2000, c.month ?? 1)
    }

    /// The year a month ("2026-11") falls in: "2026", from its first month to the next year's.
    public static func year(of month: String, timeZone: String) throws -> (label: String, from: Date, until: Date) {
        let label = String(month.prefix(4))
        guard let y = Int(label) else { throw DomainError.invalid(field: "month", Message(zh: "月份格式应为 2026-11", en: "A month is written 2026-11")) }
        let from = try MonthSummary.range(month: String(format: "%04d-01", y), timeZone: timeZone).0
        // The end of December (not the next January's start, which for 2100 is out of range).
        let until = try MonthSummary.range(month: String(format: "%04d-12", y), timeZone: timeZone).until
        return (label, from, until)
    }

    /// A duty period as stored.
    public struct Period: Sendable, Codable {
        public let id: UUID
        public let dutyID: String
        public let communityID: UUID
        public let areaID: UUID?
        public let period: String
        public let startsAt: Date
        public let endsAt: Date
        public let outcome: DutyOutcome?
        public let numerator: Int?
        public let denominator: Int?
        public var decidedAt: Date?
    }

    public func period(_ id: UUID) async throws -> Period? {
        try await sql.raw("SELECT * FROM duty_periods WHERE id = \(bind: id)").first().map(Self.period)
    }

    /// The decided periods of one community and month.
    public func periods(community: UUID, month: String) async throws -> [Period] {
        try await sql.raw("SELECT * FROM duty_periods WHERE community_id = \(bind: community) AND period = \(bind: month)").all().map(Self.period)
    }

    static func period(_ r: any SQLRow) throws -> Period {
        Period(id: try r.decode(column: "id", as: UUID.self), dutyID: try r.decode(column: "duty_id", as: String.self),
               communityID: try r.decode(column: "community_id", as: UUID.self), areaID: try r.decode(column: "area_id", as: UUID?.self),
               period: try r.decode(column: "period", as: String.self), startsAt: try r.decode(column: "starts_at", as: Date.self),
               endsAt: try r.decode(column: "ends_at", as: Date.self),
               outcome: try r.decode(column: "outcome", as: String?.self).flatMap(DutyOutcome.init(rawValue:)),
               numerator: try r.decode(column: "numerator", as: Int?.self), denominator: try r.decode(column: "denominator", as: Int?.self),
               decidedAt: try r.decode(column: "decided_at", as: Date?.self))
    }

    func subject(_ p: Period, _ duty: Duty?) -> SubjectRef {
        SubjectRef(kind: .dutyPeriod, id: p.id, communityID: p.communityID, areaID: p.areaID, label: "\(duty?.citation ?? p.dutyID) · \(p.period)")
    }
}

/// Fires the deadline clocks of duty periods (PLT-1): decides the period from the records and,
/// on a miss, alerts through the INT-7 chain — the duty's owner first, the center head a day
/// later if the first alert is still not acknowledged.
struct DutyPeriodHandler: SubjectHandler {
    let store: @Sendable (any Database) -> DutyStore
    var kind: SubjectKind { .dutyPeriod }
    static let escalateAfter: TimeInterval = 24 * 3600

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        let duties = store(tx)
        let sql = tx as! any SQLDatabase
        var report = SweepReport()
        for c in clocks {
            var clock = c
            guard let period = try await duties.period(c.subjectID) else {
                try await ClockRows.park([c], on: tx)
                report.skipped += 1
                continue
            }
            let duty = duties.duties.first { $0.id == period.dutyID }
            let subject = duties.subject(period, duty)
            var entries: [TimelineEntry] = []
            var alerts: [Alert] = []
            func entry(_ kind: String, _ note: String?, _ data: [String: String]) {
                entries.append(TimelineEntry(subjectKind: .dutyPeriod, subjectID: period.id, communityID: period.communityID, seq: 0, kind: kind,
                                             actorID: nil, actorName: DutyStore.system.name, at: at, note: note, data: data))
            }
            if clock.level == 0 {
                // The period is over: measure it and decide.
                guard let duty, let measurer = duties.measurer(of: duty),
                      let community = try await CommunityModel.find(period.communityID, on: tx) else {
                    clock.nextFireAt = nil
                    clock.stoppedAt = at
                    try await save(clock, on: sql)
                    report.skipped += 1
                    continue
                }
                let place = DutyPlace(communityID: period.communityID, areaID: period.areaID, period: period.period, from: period.startsAt,
                                      until: period.endsAt, timeZone: community.timeZone, asOf: at)
                let m = try await measurer.measure(duty, at: place, on: tx)
                let outcome = duty.outcome(m, periodOver: true)
                try await sql.raw("""
                    UPDATE duty_periods SET outcome = \(bind: outcome.rawValue), numerator = \(bind: m.numerator), denominator = \(bind: m.denominator),
                    decided_at = \(bind: at) WHERE id = \(bind: period.id)
                    """).run()
                entry("decided", nil, ["outcome": outcome.rawValue, "value": m.valueText, "target": duty.target.text.en])
                clock.level = 1
                if outcome == .missed {
                    clock.breachedAt = clock.dueAt
                    let a = Alert.about(subject, .dutyMissed, clock: clock, level: duty.owner, at: at)
                    alerts.append(a)
                    entry("alerted", a.message.zhHans, ["alert": a.kind.rawValue, "level": a.level.rawValue])
                    clock.nextFireAt = duty.owner == .centerHead ? nil : clock.dueAt.addingTimeInterval(Self.escalateAfter)
                } else {
                    clock.nextFireAt = nil
                }
            } else {
                // A day after a miss: the center head hears of it if nobody acknowledged it.
                let open = try await AlertModel.query(on: tx).filter(\.$subjectKind == SubjectKind.dutyPeriod.rawValue)
                    .filter(\.$subjectID == period.id).filter(\.$acknowledgedAt == nil).count()
                if open > 0 {
                    let a = Alert.about(subject, .dutyMissed, clock: clock, level: .centerHead, at: at)
                    alerts.append(a)
                    entry("alerted", a.message.zhHans, ["alert": a.kind.rawValue, "level": a.level.rawValue])
                }
                clock.level = 2
                clock.nextFireAt = nil
            }
            if clock.nextFireAt == nil { clock.stoppedAt = at }
            try await save(clock, on: sql)
            try await TimelineStore(db: tx).append(entries)
            for a in alerts {
                try await AlertModel(a).create(on: tx)
                try await LiveEvents.publish(alert: a, subject: subject, on: tx, at: at)
            }
            report.fired += 1
            report.alerts += alerts.count
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .dutyPeriod, subjectID: alert.subjectID, communityID: alert.communityID, seq: 0,
                                                              kind: "acknowledged", actorID: actor.userID, actorName: actor.name, at: at,
                                                              note: alert.acknowledgeNote, data: ["alert": alert.kind.rawValue, "level": alert.level.rawValue])])
        try await LiveEvents.publish(alert: alert, subject: alert.subject, on: tx, at: at, kind: "alert.acknowledged")
    }

    private func save(_ c: SLAClock, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE sla_clocks SET level = \(bind: c.level), breached_at = \(bind: c.breachedAt), stopped_at = \(bind: c.stoppedAt),
            next_fire_at = \(bind: c.nextFireAt) WHERE \(ClockRows.identified(c))
            """).run()
    }
}
