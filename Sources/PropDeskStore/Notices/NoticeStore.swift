import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// The notice board (公告栏, CR-1, S0 3.4, S2 3.1.6): notices published to the community, an
/// area or some buildings, shown on the portal while current (the state is computed from the
/// clock, so an expired notice is never shown, even between sweeps), and their physical life
/// on the board — put up, taken down once over. A deadline clock per notice fires at the expiry
/// (the timeline says "expired") and again at the end of the next day, when a notice still on
/// the board raises an alert to the front desk. The caller has decided the actor may act.
public struct NoticeStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    /// Publishes a notice (CR-1). Idempotent: the same `formID` (a form sent twice) or the same
    /// `source` ("incident:<id>" …) returns the notice first published.
    public func publish(_ d: NoticeDraft, by actor: Actor) async throws -> Notice {
        try d.validate(at: now())
        guard try await CommunityModel.find(d.communityID, on: db) != nil else { throw DomainError.notFound(Noun.community) }
        if let found = try await earlier(d) { return found }
        let buildingIDs = Array(Set(d.buildingIDs)).sorted { $0.uuidString < $1.uuidString }
        guard buildingIDs.count <= 500 else {
            throw DomainError.invalid(field: "buildingIDs", Message(zh: "楼栋过多", en: "Too many buildings"))
        }
        let buildings = buildingIDs.isEmpty ? [] : try await BuildingModel.query(on: db).filter(\.$communityID == d.communityID).filter(\.$id ~~ buildingIDs).all()
        guard buildings.count == buildingIDs.count else { throw DomainError.notFound(Noun.building) }
        if let area = d.areaID {
            guard let a = try await AreaModel.find(area, on: db), a.communityID == d.communityID else { throw DomainError.notFound(Noun.area) }
            if buildings.contains(where: { $0.areaID != area }) {
                throw DomainError.invalid(field: "buildingIDs", Message(zh: "所选楼栋不全在该区域内", en: "Some of the buildings are not in that area"))
            }
        }
        // The areas it reaches, for area supervisors' scope; empty: the whole community.
        let reach: [UUID] = d.areaID.map { [$0] } ?? Array(Set(buildings.compactMap(\.areaID))).sorted { $0.uuidString < $1.uuidString }
        let at = now()
        let notice = Notice(id: d.formID ?? UUID(), communityID: d.communityID, kind: d.kind, title: d.title.trimmingCharacters(in: .whitespacesAndNewlines),
                            body: d.body.trimmingCharacters(in: .whitespacesAndNewlines), buildingIDs: buildingIDs, areaID: d.areaID, startsAt: d.startsAt,
                            expiresAt: d.expiresAt, source: d.source, publishedByName: actor.name, createdAt: at)
        do {
            return try await db.writeTransaction { tx in
                let store = NoticeStore(db: tx, now: now)
                if let found = try await store.earlier(d) { return found }
                try await NoticeModel(notice, areaIDs: reach, publishedByID: actor.userID).create(on: tx)
                try await ClockRows.startDeadline(.notice, notice.id, community: notice.communityID, from: at, due: max(at, notice.expiresAt), on: tx)
                _ = try await TimelineStore(db: tx).append([store.entry(notice, "published", actor, at, note: notice.title,
                                                                       data: ["kind": notice.kind.rawValue, "source": notice.source ?? ""])])
                try await AuditLog(db: tx).record(actor, .create, entity: "notice", id: notice.id, community: notice.communityID,
                                                  after: ["kind": notice.kind.rawValue, "title": notice.title, "source": notice.source ?? ""], at: at)
                return notice
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // A parallel publish of the same form or source won the unique index: hand back its notice.
            if let found = try await earlier(d) { return found }
            throw error
        }
    }

    /// The notice this draft was already published as: by its form id or by its source.
    func earlier(_ d: NoticeDraft) async throws -> Notice? {
        if let id = d.formID, let sent = try await NoticeModel.find(id, on: db) {
            guard sent.communityID == d.communityID else {
                throw DomainError.conflict(code: "notice_id_reused", Message(zh: "此表单编号已用于另一条公告", en: "This form's id was already used for another notice"))
            }
            return sent.domain
        }
        if let source = d.source,
           let sent = try await NoticeModel.query(on: db).filter(\.$communityID == d.communityID).filter(\.$source == source).first() {
            return sent.domain
        }
        return nil
    }

    public func notice(_ id: UUID) async throws -> Notice? { try await NoticeModel.find(id, on: db)?.domain }

    /// The areas a notice reaches (empty: the whole community), for area scope.
    public func reach(_ id: UUID) async throws -> [UUID] { try await NoticeModel.find(id, on: db)?.reach ?? [] }

    /// Whether an area supervisor of `areas` sees it: community-wide, or reaching one of them.
    static func visible(_ m: NoticeModel, to areas: [UUID]?) -> Bool {
        guard let areas else { return true }
        let reach = m.reach
        return reach.isEmpty || reach.contains(where: areas.contains)
    }

    /// The staff list (CR-1): newest first, by state at now, narrowed to `areas` for an area
    /// supervisor (community-wide notices and those reaching one of the areas).
    public func notices(community: UUID, state: NoticeState?, areas: [UUID]?, limit: Int) async throws -> [Notice] {
        let at = now()
        let q = NoticeModel.query(on: db).filter(\.$communityID == community)
        switch state {
        case .scheduled?: q.filter(\.$withdrawnAt == nil).filter(\.$startsAt > at)
        case .current?: q.filter(\.$withdrawnAt == nil).filter(\.$startsAt <= at).filter(\.$expiresAt > at)
        case .expired?: q.filter(\.$withdrawnAt == nil).filter(\.$expiresAt <= at)
        case .withdrawn?: q.filter(\.$withdrawnAt != nil)
        case nil: break
        }
        let rows = try await q.sort(\.$startsAt, .descending).limit(max(1, min(limit, 2000)) * (areas == nil ? 1 : 4)).all()
        return Array(rows.filter { Self.visible($0, to: areas) }.map(\.domain).filter { state == nil || $0.state(at: at) == state }.prefix(max(1, limit)))
    }

    /// The notices current at `at` for a resident of `building` (the portal): that building's own
    /// first, then its area's, then the whole community's; newest first within each.
    public func current(community: UUID, building: UUID, at: Date) async throws -> [Notice] {
        try await current(community: community, buildings: [building], at: at)
    }

    /// The same for a resident of several buildings: notices for any of them first.
    public func current(community: UUID, buildings: [UUID], at: Date) async throws -> [Notice] {
        let areas = Set(try await BuildingModel.query(on: db).filter(\.$communityID == community).filter(\.$id ~~ buildings).all().compactMap(\.areaID))
        let rows = try await NoticeModel.query(on: db).filter(\.$communityID == community).filter(\.$withdrawnAt == nil)
            .filter(\.$startsAt <= at).filter(\.$expiresAt > at).sort(\.$startsAt, .descending).limit(500).all().map(\.domain)
        func rank(_ n: Notice) -> Int? {
            if !n.buildingIDs.isEmpty { return n.buildingIDs.contains(where: buildings.contains) ? 0 : nil }
            if let a = n.areaID { return areas.contains(a) ? 1 : nil }
            return 2
        }
        let ranked: [(Int, Notice)] = rows.filter { $0.state(at: at) == .current }.compactMap { n in rank(n).map { ($0, n) } }
        return ranked.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
    }

    /// Withdraws a notice (CR-1): off the portal at once; if it was on the board, it is to be
    /// taken down by the end of the next day.
    public func withdraw(_ id: UUID, reason raw: String, by actor: Actor) async throws -> Notice {
        let reason = try Validate.text(raw, field: "reason", max: 200, required: true)
        let at = now()
        let now = self.now
        return try await db.writeTransaction { tx in
            let store = NoticeStore(db: tx, now: now)
            var n = try await store.locked(id)
            if n.withdrawnAt != nil { return n }
            guard n.state(at: at) != .expired else {
                throw DomainError.conflict(code: "notice_expired", Message(zh: "公告已过期,无需撤回", en: "The notice has already expired"))
            }
            n.withdrawnAt = at
            n.withdrawReason = reason
            try await (tx as! any SQLDatabase).raw("UPDATE notices SET withdrawn_at = \(bind: at), withdraw_reason = \(bind: reason) WHERE id = \(bind: id)").run()
            _ = try await TimelineStore(db: tx).append([store.entry(n, "withdrawn", actor, at, note: reason, data: [:])])
            try await store.rearmTakeDown(n, at: at, on: tx)
            try await AuditLog(db: tx).record(actor, .update, entity: "notice", id: id, community: n.communityID, after: ["withdrawn": reason], at: at)
            return n
        }
    }

    /// Confirms the notice is on the physical board (S2 3.1.6). Sent twice, it is recorded once.
    public func markPosted(_ id: UUID, by actor: Actor) async throws -> Notice {
        let at = now()
        let now = self.now
        return try await db.writeTransaction { tx in
            let store = NoticeStore(db: tx, now: now)
            var n = try await store.locked(id)
            if n.postedAt != nil { return n }
            guard !n.isOver(at: at) else {
                throw DomainError.conflict(code: "notice_over", Message(zh: "公告已过期或撤回,不能张贴", en: "The notice has expired or was withdrawn; it cannot be put up"))
            }
            n.postedAt = at
            n.postedByName = actor.name
            try await (tx as! any SQLDatabase).raw("UPDATE notices SET posted_at = \(bind: at), posted_by_name = \(bind: actor.name) WHERE id = \(bind: id)").run()
            _ = try await TimelineStore(db: tx).append([store.entry(n, "posted", actor, at, note: nil, data: [:])])
            return n
        }
    }

    /// Confirms the notice was taken down from the physical board (S2 3.1.6: collecting expired
    /// notices). Sent twice, it is recorded once.
    public func markTakenDown(_ id: UUID, by actor: Actor) async throws -> Notice {
        let at = now()
        let now = self.now
        return try await db.writeTransaction { tx in
            let store = NoticeStore(db: tx, now: now)
            var n = try await store.locked(id)
            if n.takenDownAt != nil { return n }
            guard n.postedAt != nil else {
                throw DomainError.conflict(code: "notice_not_posted", Message(zh: "此公告尚未确认张贴,无需揭下", en: "This notice was never confirmed as put up"))
            }
            n.takenDownAt = at
            n.takenDownByName = actor.name
            try await (tx as! any SQLDatabase).raw("UPDATE notices SET taken_down_at = \(bind: at), taken_down_by_name = \(bind: actor.name) WHERE id = \(bind: id)").run()
            _ = try await TimelineStore(db: tx).append([store.entry(n, "taken_down", actor, at, note: nil, data: [:])])
            if n.isOver(at: at) { try await ClockRows.stopDeadline(.notice, id, community: n.communityID, at: at, on: tx) }
            return n
        }
    }

    /// The board's work of a day (S2 3.1.6): notices to put up (running that day, not yet
    /// posted) and to take down (on the board, over by the end of that day — earlier days'
    /// leftovers included).
    public func boardWork(community: UUID, day: String, areas: [UUID]?) async throws -> (putUp: [Notice], takeDown: [Notice]) {
        guard let c = try await CommunityModel.find(community, on: db) else { throw DomainError.notFound(Noun.community) }
        guard let span = PatrolCoverage.day(day, timeZone: c.timeZone) else {
            throw DomainError.invalid(field: "day", Message(zh: "日期不正确", en: "Not a valid day"))
        }
        let putUp = try await NoticeModel.query(on: db).filter(\.$communityID == community).filter(\.$withdrawnAt == nil).filter(\.$postedAt == nil)
            .filter(\.$startsAt < span.end).filter(\.$expiresAt > max(span.start, now())).sort(\.$startsAt).limit(500).all()
        let onBoard = try await NoticeModel.query(on: db).filter(\.$communityID == community).filter(\.$postedAt != nil).filter(\.$takenDownAt == nil)
            .sort(\.$expiresAt).limit(2000).all()
        let takeDown = onBoard.filter { Self.visible($0, to: areas) }.map(\.domain).filter { $0.endedAt <= span.end }
        return (putUp.filter { Self.visible($0, to: areas) }.map(\.domain), takeDown)
    }

    /// The end of the next day after the notice came off (S2 3.1.6): by then it is off the board.
    public static func takeDownDue(_ n: Notice, timeZone: String) -> Date {
        let day = PatrolCoverage.day(of: n.endedAt.addingTimeInterval(-1), timeZone: timeZone)
        return PatrolCoverage.day(of: day.end, timeZone: timeZone).end
    }

    /// The notice's timeline (CR-1).
    public func timeline(_ id: UUID) async throws -> [TimelineEntry] { try await TimelineStore(db: db).entries(.notice, id) }

    // MARK: - inside a write transaction

    func locked(_ id: UUID) async throws -> Notice {
        guard let n = try await db.lockedFind(NoticeModel.self, id)?.domain else { throw DomainError.notFound(Noun.notice) }
        return n
    }

    func entry(_ n: Notice, _ kind: String, _ actor: Actor, _ at: Date, note: String?, data: [String: String]) -> TimelineEntry {
        TimelineEntry(subjectKind: .notice, subjectID: n.id, communityID: n.communityID, seq: 0, kind: kind, actorID: actor.userID, actorName: actor.name,
                      at: at, note: note, data: data)
    }

    /// After a withdrawal: the clock now waits for the take-down (when it is on the board), or stops.
    func rearmTakeDown(_ n: Notice, at: Date, on tx: any Database) async throws {
        guard n.postedAt != nil, n.takenDownAt == nil, let c = try await CommunityModel.find(n.communityID, on: tx) else {
            try await ClockRows.stopDeadline(.notice, n.id, community: n.communityID, at: at, on: tx)
            return
        }
        let due = Self.takeDownDue(n, timeZone: c.timeZone)
        try await (tx as! any SQLDatabase).raw("""
            UPDATE sla_clocks SET level = 1, due_at = \(bind: due), next_fire_at = \(bind: due)
            WHERE community_id = \(bind: n.communityID) AND subject_kind = \(bind: SubjectKind.notice.rawValue) AND subject_id = \(bind: n.id) AND stopped_at IS NULL
            """).run()
    }
}

/// Fires a notice's clock (CR-1, S2 3.1.6). First at the expiry: "expired" on its timeline, and
/// — when it is on the board — the clock waits until the end of the next day. Then, if it is
/// still not taken down: an alert to the front desk and "take_down_overdue" on its timeline.
struct NoticeExpiry: SubjectHandler {
    var kind: SubjectKind { .notice }

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        let sql = tx as! any SQLDatabase
        var report = SweepReport()
        for c in clocks {
            guard let m = try await tx.lockedFind(NoticeModel.self, c.subjectID, community: c.communityID), let community = try await CommunityModel.find(m.communityID, on: tx) else {
                try await ClockRows.park([c], stoppedAt: at, on: tx)
                report.skipped += 1
                continue
            }
            let n = m.domain
            let timeline = TimelineStore(db: tx)
            let system = DutyStore.system
            let onBoard = n.postedAt != nil && n.takenDownAt == nil
            if c.level == 0 {
                // The expiry itself (a withdrawn notice's clock was moved on at the withdrawal).
                if n.withdrawnAt == nil {
                    _ = try await timeline.append([TimelineEntry(subjectKind: .notice, subjectID: n.id, communityID: n.communityID, seq: 0, kind: "expired",
                                                                 actorID: nil, actorName: system.name, at: at, note: nil, data: [:])])
                }
                if onBoard {
                    let due = NoticeStore.takeDownDue(n, timeZone: community.timeZone)
                    try await sql.raw("UPDATE sla_clocks SET level = 1, due_at = \(bind: due), next_fire_at = \(bind: max(due, at)) WHERE \(ClockRows.identified(c))").run()
                } else {
                    try await ClockRows.park([c], stoppedAt: at, on: tx)
                    report.closed += 1
                }
                report.fired += 1
                continue
            }
            guard onBoard else {
                try await ClockRows.park([c], stoppedAt: at, on: tx)
                report.closed += 1
                continue
            }
            try await ClockRows.breach(c, level: 2, on: tx)
            let reach = m.reach
            let subject = SubjectRef(kind: .notice, id: n.id, communityID: n.communityID, areaID: reach.count == 1 ? reach[0] : nil, label: n.title)
            let alert = Alert.about(subject, .deadlinePassed, clock: c, level: .frontDesk, at: at)
            try await AlertModel(alert).create(on: tx)
            _ = try await timeline.append([TimelineEntry(subjectKind: .notice, subjectID: n.id, communityID: n.communityID, seq: 0, kind: "take_down_overdue",
                                                         actorID: nil, actorName: system.name, at: at, note: alert.message.zhHans,
                                                         data: ["alert": alert.kind.rawValue])])
            try await LiveEvents.publish(alert: alert, subject: subject, on: tx, at: at)
            report.fired += 1
            report.alerts += 1
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        _ = try await TimelineStore(db: tx).append([TimelineEntry(subjectKind: .notice, subjectID: alert.subjectID, communityID: alert.communityID, seq: 0,
                                                                  kind: "acknowledged", actorID: actor.userID, actorName: actor.name, at: at,
                                                                  note: alert.acknowledgeNote, data: ["alert": alert.kind.rawValue])])
    }
}
