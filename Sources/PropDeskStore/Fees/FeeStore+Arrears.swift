import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The two lists of an area and month (S2 4.5.1, 4.5.3).
public enum ArrearsListKind: String, Sendable, Codable, CaseIterable {
    /// 欠费清单 — the month's arrears of the area; finance prepares it, the area's supervisor
    /// receives it, within the first ten days of the month (S2 4.5.1).
    case list
    /// 长期欠费报告 — the units more than six months in arrears. The supervisor prepares it after
    /// checking with finance and submits it; the CS manager (chaseArrears over the whole
    /// community) receives it, every month (S2 4.5.3).
    case longTerm = "long_term"

    public var label: Message {
        switch self {
        case .list: Message(zh: "欠费清单", en: "Arrears list")
        case .longTerm: Message(zh: "长期欠费报告", en: "Long-term arrears report")
        }
    }
}

/// A snapshot of an area's arrears for one month (FEE-3): one per area, month and kind. Preparing
/// it again replaces its lines until it has been received; after that it is what was handed over.
public struct ArrearsList: Sendable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var areaID: UUID
    public var month: String
    public var kind: ArrearsListKind
    public var units: Int
    public var totalFen: Int
    public var preparedAt: Date
    public var preparedByName: String
    public var receivedAt: Date?
    public var receivedByName: String?
    /// Biggest first.
    public var lines: [UnitArrears]

    public var received: Bool { receivedAt != nil }
}

/// One long-term unit's reminders in a month against S2 4.5.4: a phone call every week and, when
/// someone lives there, two door visits.
public struct ReminderShortfall: Sendable {
    public var arrears: UnitArrears
    /// A current occupant in the registry: the two visits are owed.
    public var livedIn: Bool
    /// The weeks of the month judged so far (ended), and those without a phone call (1-based).
    public var weeksJudged: Int
    public var weeksWithoutCall: [Int]
    /// Door visits that found someone at home (a visit with outcome nobody_home is not counted).
    public var visits: Int
    public var visitsMissing: Int { livedIn ? max(0, ReminderRules.visitsPerMonth - visits) : 0 }
    public var shortfall: Int { weeksWithoutCall.count + visitsMissing }
    public var met: Bool { shortfall == 0 }
}

/// S2 4.5.4 as counted by PropDesk, stated once:
/// - the month's weeks are the 7-day blocks from the 1st (1–7, 8–14, 15–21) and 22 to the month's
///   end — four weekly calls a month; a week counts once it has ended;
/// - every phone reminder counts as the week's call, answered or not (the call was made);
/// - "two door visits a month when someone is home" counts door visits whose outcome is not
///   nobody_home, and is owed only for units with a current occupant in the registry.
public enum ReminderRules {
    public static let visitsPerMonth = 2
    public static let weeksPerMonth = 4

    /// The start of each week of the month and the month's end.
    public static func weeks(from: Date, until: Date, timeZone: String) -> [(from: Date, until: Date)] {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let starts = (0..<weeksPerMonth).map { cal.date(byAdding: .day, value: 7 * $0, to: from) ?? from }
        return starts.enumerated().map { i, s in (s, i + 1 < starts.count ? starts[i + 1] : until) }
    }

    public static func shortfall(_ a: UnitArrears, livedIn: Bool, reminders: [ArrearsReminder], from: Date, until: Date, timeZone: String,
                                 asOf: Date) -> ReminderShortfall {
        let weeks = weeks(from: from, until: until, timeZone: timeZone)
        var judged = 0
        var missing: [Int] = []
        for (i, w) in weeks.enumerated() where w.until <= asOf {
            judged += 1
            if !reminders.contains(where: { $0.kind == .phone && $0.at >= w.from && $0.at < w.until }) { missing.append(i + 1) }
        }
        let visits = reminders.filter { $0.kind == .visit && $0.outcome != .nobodyHome && $0.at >= from && $0.at < until }.count
        return ReminderShortfall(arrears: a, livedIn: livedIn, weeksJudged: judged, weeksWithoutCall: missing, visits: visits)
    }
}

/// Arrears, the monthly lists, reminders and the collection rate (FEE-3, FEE-4, INT-17).
/// The caller has checked the actor's role and reach.
extension FeeStore {
    // MARK: Arrears

    /// Units of the community (one area) that still owe something, biggest first. Read from the
    /// partial index `bills_open`: the cost follows the open bills of the area, not the history.
    /// A bill issued ahead (next month's run) is not owed before its month: only periods up to
    /// the community's current month count.
    public func arrears(community: UUID, area: UUID?) async throws -> [UnitArrears] {
        let current = Self.month(now(), timeZone: try await self.community(community).timeZone)
        var scope: SQLQueryString = "community_id = \(bind: community) AND period <= \(bind: current)"
        if let area { scope += " AND area_id = \(bind: area)" }
        let rows = try await sql.raw("""
            SELECT unit_id, area_id, CAST(SUM(outstanding_fen) AS BIGINT) AS owed, COUNT(DISTINCT period) AS months, MIN(period) AS oldest
            FROM bills WHERE \(scope) AND outstanding_fen > 0 GROUP BY unit_id, area_id
            """).all()
        var byUnit: [UUID: UnitArrears] = [:]
        for r in rows {
            let a = try Self.arrearsRow(r)
            // A unit moved between areas keeps one line: its bills are summed.
            if var old = byUnit[a.unitID] {
                old.outstandingFen += a.outstandingFen
                old.months += a.months
                old.oldestPeriod = min(old.oldestPeriod, a.oldestPeriod)
                byUnit[a.unitID] = old
            } else {
                byUnit[a.unitID] = a
            }
        }
        return byUnit.values.sorted { ($0.outstandingFen, $1.unitID.uuidString) > ($1.outstandingFen, $0.unitID.uuidString) }
    }

    /// One unit's arrears (INT-17), nil when it owes nothing: one indexed read of its open bills,
    /// its community named beside the unit (RUN-5).
    public func unitArrears(_ unit: UUID, community: UUID) async throws -> UnitArrears? {
        guard let zone = try await sql.raw("""
            SELECT time_zone AS zone FROM communities WHERE id = \(bind: community)
            """).first()?.decode(column: "zone", as: String.self) else { return nil }
        let current = Self.month(now(), timeZone: zone)
        let rows = try await sql.raw("""
            SELECT unit_id, area_id, CAST(SUM(outstanding_fen) AS BIGINT) AS owed, COUNT(DISTINCT period) AS months, MIN(period) AS oldest
            FROM bills WHERE unit_id = \(bind: unit) AND \(unsafeRaw: db.communityBesideANarrowerKey) = \(bind: community)
            AND outstanding_fen > 0 AND period <= \(bind: current) GROUP BY unit_id, area_id
            """).all().map(Self.arrearsRow)
        guard var a = rows.first else { return nil }
        for r in rows.dropFirst() {
            a.outstandingFen += r.outstandingFen
            a.months += r.months
            a.oldestPeriod = min(a.oldestPeriod, r.oldestPeriod)
        }
        return a
    }

    static func arrearsRow(_ r: any SQLRow) throws -> UnitArrears {
        UnitArrears(unitID: try r.decode(column: "unit_id", as: UUID.self), areaID: try r.decode(column: "area_id", as: UUID?.self),
                    outstandingFen: try r.decode(column: "owed", as: Int.self), months: try r.decode(column: "months", as: Int.self),
                    oldestPeriod: try r.decode(column: "oldest", as: String.self))
    }

    // MARK: Lists (S2 4.5.1, 4.5.3)

    /// Snapshots the area's arrears for `month` (all of them, or the long-term ones). Preparing
    /// again refreshes the lines while the list has not been received; a received list is final.
    public func prepareList(community: UUID, area: UUID, month: String, kind: ArrearsListKind, by actor: Actor) async throws -> ArrearsList {
        guard FeeMonth.isValid(month) else {
            throw DomainError.invalid(field: "month", Message(zh: "月份格式应为 2026-11", en: "A month is written 2026-11"))
        }
        _ = try await self.community(community)
        guard let a = try await AreaModel.find(area, on: db), a.communityID == community else { throw DomainError.notFound(Noun.area) }
        let all = try await arrears(community: community, area: area)
        let lines = kind == .longTerm ? all.filter(\.isLongTerm) : all
        let at = now()
        do {
            return try await writeList(community: community, area: area, month: month, kind: kind, lines: lines, at: at, by: actor)
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // Two preparing the same list at once (PostgreSQL): the loser refreshes the winner's.
            return try await writeList(community: community, area: area, month: month, kind: kind, lines: lines, at: at, by: actor)
        }
    }

    /// Writes (or refreshes) the snapshot of one area, month and kind, in one transaction.
    func writeList(community: UUID, area: UUID, month: String, kind: ArrearsListKind, lines: [UnitArrears], at: Date, by actor: Actor) async throws -> ArrearsList {
        let id = try await db.writeTransaction { tx in
            var existing = try await ArrearsListModel.query(on: tx).filter(\.$areaID == area).filter(\.$month == month)
                .filter(\.$kind == kind.rawValue).first()
            if let id = existing?.id {   // locked and read again: a receipt stamped meanwhile makes it final
                existing = try await tx.lockedFind(ArrearsListModel.self, id, community: community)
            }
            if let existing, existing.receivedAt != nil {
                throw DomainError.conflict(code: "arrears_list_received", Message(
                    zh: "该清单已于签收后定稿,不能再重新生成", en: "This list has been received and is final; it cannot be prepared again"))
            }
            let m = existing ?? ArrearsListModel()
            if existing == nil {
                m.id = UUID()
                m.communityID = community
                m.areaID = area
                m.month = month
                m.kind = kind.rawValue
            } else {
                try await ArrearsListLineModel.query(on: tx).filter(\.$listID == m.id!).delete()
            }
            m.units = lines.count
            m.totalFen = lines.reduce(0) { $0 + $1.outstandingFen }
            m.preparedAt = at
            m.preparedByName = actor.name
            try await m.save(on: tx)
            let listID = m.id!
            try await BulkRows.insert(ArrearsListLineModel.schema, ["id", "community_id", "list_id", "unit_id", "outstanding_fen", "months", "oldest_period"],
                                      lines.map { [UUID(), community, listID, $0.unitID, $0.outstandingFen, $0.months, $0.oldestPeriod] }, on: tx)
            return listID
        }
        guard let list = try await list(id) else { throw DomainError.notFound(Noun.arrearsList) }
        return list
    }

    /// The supervisor (or, for the long-term report, the CS manager) stamps the list received.
    /// Receiving twice keeps the first stamp.
    public func receiveList(_ id: UUID, by actor: Actor) async throws -> ArrearsList {
        let at = now()
        try await sql.raw("""
            UPDATE arrears_lists SET received_at = \(bind: at), received_by_name = \(bind: actor.name)
            WHERE id = \(bind: id) AND received_at IS NULL
            """).run()
        guard let list = try await list(id) else { throw DomainError.notFound(Noun.arrearsList) }
        return list
    }

    public func list(_ id: UUID, withLines: Bool = true) async throws -> ArrearsList? {
        guard let m = try await ArrearsListModel.find(id, on: db) else { return nil }
        let lines = withLines ? try await ArrearsListLineModel.query(on: db).filter(\.$listID == id).all() : []
        return Self.list(m, lines: lines)
    }

    /// The lists of a community (some areas; one month or all), newest month first, without lines.
    public func lists(community: UUID, areas: Set<UUID>?, month: String? = nil, kind: ArrearsListKind? = nil) async throws -> [ArrearsList] {
        let q = ArrearsListModel.query(on: db).filter(\.$communityID == community)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        if let month { q.filter(\.$month == month) }
        if let kind { q.filter(\.$kind == kind.rawValue) }
        return try await q.sort(\.$month, .descending).sort(\.$preparedAt, .descending).limit(500).all().map { Self.list($0, lines: []) }
    }

    static func list(_ m: ArrearsListModel, lines: [ArrearsListLineModel]) -> ArrearsList {
        ArrearsList(id: m.id!, communityID: m.communityID, areaID: m.areaID, month: m.month, kind: ArrearsListKind(rawValue: m.kind) ?? .list,
                    units: m.units, totalFen: m.totalFen, preparedAt: m.preparedAt, preparedByName: m.preparedByName, receivedAt: m.receivedAt,
                    receivedByName: m.receivedByName,
                    lines: lines.map { UnitArrears(unitID: $0.unitID, areaID: m.areaID, outstandingFen: $0.outstandingFen, months: $0.months,
                                                   oldestPeriod: $0.oldestPeriod) }
                        .sorted { ($0.outstandingFen, $1.unitID.uuidString) > ($1.outstandingFen, $0.unitID.uuidString) })
    }

    // MARK: Reminders (S2 4.5.2, 4.5.4)

    /// Logs one reminder of a unit. `formID` is made when the form is drawn: a form sent twice
    /// saves one reminder.
    public func remind(community: UUID, unit: UUID, kind: ReminderKind, outcome: ReminderOutcome, note: String, formID: UUID?,
                       by actor: Actor) async throws -> ArrearsReminder {
        let note = try Validate.text(note, field: "note", max: 500, required: false)
        let u = try await self.unit(unit, community: community)
        if let formID, let first = try await reminder(formID: formID) { return try Self.replay(first, unit: unit) }
        let r = ArrearsReminder(communityID: community, unitID: unit, areaID: u.areaID, kind: kind, outcome: outcome, at: now(),
                                byID: actor.userID, byName: actor.name, note: note)
        do {
            try await db.writeTransaction { tx in try await ArrearsReminderModel(r, formID: formID).create(on: tx) }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let formID, let first = try await reminder(formID: formID) { return try Self.replay(first, unit: unit) }
            throw error
        }
        return r
    }

    func reminder(formID: UUID) async throws -> ArrearsReminder? {
        try await ArrearsReminderModel.query(on: db).filter(\.$formID == formID).first()?.domain
    }

    static func replay(_ first: ArrearsReminder, unit: UUID) throws -> ArrearsReminder {
        guard first.unitID == unit else {
            throw DomainError.conflict(code: "form_id_reused", Message(zh: "此表单编号已用于另一户的催缴记录", en: "This form's id was already used for another unit"))
        }
        return first
    }

    /// A unit's reminders, newest first.
    public func reminders(unit: UUID, community: UUID) async throws -> [ArrearsReminder] {
        try await ArrearsReminderModel.query(on: db).filter(\.$unitID == unit).filterCommunityBesideANarrowerKey(community).sort(\.$at, .descending).limit(500).all().map(\.domain)
    }

    /// Reminders of a community (one area) in [from, until), oldest first.
    public func reminders(community: UUID, area: UUID?, from: Date, until: Date) async throws -> [ArrearsReminder] {
        let q = ArrearsReminderModel.query(on: db).filter(\.$communityID == community).filter(\.$at >= from).filter(\.$at < until)
        if let area { q.filter(\.$areaID == area) }
        return try await q.sort(\.$at).all().map(\.domain)
    }

    /// The long-term units of the area (or community) in `month` with their reminder shortfall
    /// (S2 4.5.4), the misses first. The units are the month's long-term report when it was
    /// prepared, otherwise those long-term in arrears now.
    public func reminderShortfalls(community: UUID, area: UUID?, month: String, asOf: Date? = nil) async throws -> [ReminderShortfall] {
        let c = try await self.community(community)
        let (from, until) = try MonthSummary.range(month: month, timeZone: c.timeZone)
        let snapshots = try await ArrearsListModel.query(on: db).filter(\.$communityID == community).filter(\.$month == month)
            .filter(\.$kind == ArrearsListKind.longTerm.rawValue).all().filter { m in area.map { $0 == m.areaID } ?? true }
        var units: [UnitArrears] = []
        var covered = Set<UUID?>()
        if !snapshots.isEmpty {
            let lines = try await ArrearsListLineModel.query(on: db).filter(\.$listID ~~ snapshots.compactMap(\.id)).all()
            let areaOf = Dictionary(uniqueKeysWithValues: snapshots.map { ($0.id!, $0.areaID) })
            units = lines.map { UnitArrears(unitID: $0.unitID, areaID: areaOf[$0.listID], outstandingFen: $0.outstandingFen, months: $0.months,
                                            oldestPeriod: $0.oldestPeriod) }
            covered = Set(snapshots.map { Optional($0.areaID) })
        }
        units += try await arrears(community: community, area: area).filter { $0.isLongTerm && !covered.contains($0.areaID) }
        guard !units.isEmpty else { return [] }
        let ids = units.map(\.unitID)
        let lived = Set(try await OccupancyModel.query(on: db).filter(\.$communityID == community).filter(\.$unitID ~~ ids).all().map(\.unitID))
        let reminders = Dictionary(grouping: try await ArrearsReminderModel.query(on: db).filter(\.$unitID ~~ ids).filterCommunityBesideANarrowerKey(community).filter(\.$at >= from)
            .filter(\.$at < until).all().map(\.domain), by: \.unitID)
        let at = asOf ?? now()
        return units.map {
            ReminderRules.shortfall($0, livedIn: lived.contains($0.unitID), reminders: reminders[$0.unitID] ?? [], from: from, until: until,
                                    timeZone: c.timeZone, asOf: at)
        }.sorted { ($0.shortfall, $0.arrears.outstandingFen) > ($1.shortfall, $1.arrears.outstandingFen) }
    }

    // MARK: Collection rate (FEE-4, S4 篇4)

    /// Of the bills of January up to `month` (credits deducted), what had been paid by the end of
    /// `month` in the community's time zone; allocations of voided receipts count for nothing.
    public func collectionRate(community: UUID, area: UUID?, month: String) async throws -> CollectionRate {
        guard FeeMonth.isValid(month) else {
            throw DomainError.invalid(field: "month", Message(zh: "月份格式应为 2026-11", en: "A month is written 2026-11"))
        }
        let c = try await self.community(community)
        let end = try MonthSummary.range(month: month, timeZone: c.timeZone).until
        let first = String(month.prefix(4)) + "-01"
        // Periodic fees and opening balances only: a one-off charge (a paid service) is paid when it is settled.
        var scope: SQLQueryString = "b.community_id = \(bind: community) AND b.period >= \(bind: first) AND b.period <= \(bind: month) AND b.origin <> \(bind: BillOrigin.oneOff.rawValue)"
        if let area { scope += " AND b.area_id = \(bind: area)" }
        let due = try await sql.raw("SELECT CAST(COALESCE(SUM(b.amount_fen - b.credited_fen), 0) AS BIGINT) AS fen FROM bills b WHERE \(scope)").first()?
            .decode(column: "fen", as: Int.self) ?? 0
        let collected = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(a.amount_fen), 0) AS BIGINT) AS fen FROM payment_allocations a JOIN bills b ON b.id = a.bill_id
            WHERE \(scope) AND a.voided = \(bind: false) AND a.paid_at < \(bind: end)
            """).first()?.decode(column: "fen", as: Int.self) ?? 0
        return CollectionRate(dueFen: due, collectedFen: collected)
    }
}
