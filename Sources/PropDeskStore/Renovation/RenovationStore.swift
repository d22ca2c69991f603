import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Renovation files (FLD-4, S0 5, S4 篇3): registration, the documents checklist (scans as
/// evidence on the file), deposit and common-area protection, approval only when nothing is
/// missing, inspections, the completion inspection that closes the file — and violations:
/// numbered written notice with a deadline clock, stop measures, a written report to the
/// authority, each step an entry on the violation's hash-chained timeline, never edited.
/// The caller has decided that the actor may see and act in the file's community and area.
public struct RenovationStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { db as! any SQLDatabase }

    // MARK: The file

    /// What the desk registers.
    public struct Application: Sendable {
        public var unitID: UUID
        public var applicant: String
        public var applicantPhone: String
        public var contractor: String
        public var contractorPhone: String
        public var works: String
        public var startsOn: String
        public var endsOn: String
        public var depositFen: Int
        public var inspectEveryDays: Int

        public init(unitID: UUID, applicant: String, applicantPhone: String, contractor: String, contractorPhone: String, works: String,
                    startsOn: String, endsOn: String, depositFen: Int = 0, inspectEveryDays: Int = 1) {
            self.unitID = unitID
            self.applicant = applicant
            self.applicantPhone = applicantPhone
            self.contractor = contractor
            self.contractorPhone = contractorPhone
            self.works = works
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.depositFen = depositFen
            self.inspectEveryDays = inspectEveryDays
        }
    }

    static func checkMoney(_ fen: Int) throws {
        guard (0...100_000_000).contains(fen) else {
            throw DomainError.invalid(field: "depositFen", Message(zh: "押金金额应在 0 至 100 万元之间(以分计)", en: "The deposit must be between 0 and 1,000,000 yuan (in fen)"))
        }
    }

    static func checkEvery(_ days: Int) throws {
        guard (1...30).contains(days) else {
            throw DomainError.invalid(field: "inspectEveryDays", Message(zh: "巡查频次应为每 1 至 30 天一次", en: "Inspect every 1 to 30 days"))
        }
    }

    public func register(_ a: Application, community: UUID, by actor: Actor) async throws -> Renovation {
        guard let unit = try await UnitModel.find(a.unitID, on: db), unit.communityID == community,
              let c = try await CommunityModel.find(community, on: db) else { throw DomainError.notFound(Noun.unit) }
        let applicant = try Validate.name(a.applicant, field: "applicant", max: 60)
        let phone = try Validate.phone(a.applicantPhone, field: "applicantPhone")
        let contractor = try Validate.name(a.contractor, field: "contractor", max: 100)
        let contractorPhone = try Validate.phone(a.contractorPhone, field: "contractorPhone")
        let works = try Validate.text(a.works, field: "works", max: 500, required: true)
        let starts = try Renovation.date(a.startsOn, field: "startsOn"), ends = try Renovation.date(a.endsOn, field: "endsOn")
        guard starts <= ends else {
            throw DomainError.invalid(field: "endsOn", Message(zh: "完工日期不能早于开工日期", en: "The end date cannot be before the start date"))
        }
        try Self.checkMoney(a.depositFen)
        try Self.checkEvery(a.inspectEveryDays)
        let at = now()
        let month = String(DutyStore.month(of: at, timeZone: c.timeZone).dropFirst(2).filter(\.isNumber))
        for attempt in 1...3 {
            do {
                return try await db.writeTransaction { tx in
                    let count = try await RenovationModel.query(on: tx).filter(\.$communityID == community).count()
                    let r = Renovation(communityID: community, unitID: unit.id!, buildingID: unit.buildingID, areaID: unit.areaID,
                                       number: "ZX-\(c.code)-\(month)-\(String(format: "%03d", count + 1))", applicant: applicant, applicantPhone: phone,
                                       contractor: contractor, contractorPhone: contractorPhone, works: works, startsOn: starts, endsOn: ends,
                                       depositFen: a.depositFen, inspectEveryDays: a.inspectEveryDays, createdAt: at)
                    try await RenovationModel(r).create(on: tx)
                    try await TimelineStore(db: tx).append([Self.entry(r, "registered", actor, at, data: ["number": r.number, "works": works])])
                    try await AuditLog(db: tx).record(actor, .create, entity: "renovation", id: r.id, community: community, after: ["number": r.number], at: at)
                    return r
                }
            } catch where (error as? any DatabaseError)?.isConstraintFailure == true && attempt < 3 {
                continue
            }
        }
        throw DomainError(.internalError, code: "renovation_number", Message(zh: "装修编号生成失败,请重试", en: "No renovation number; please retry"))
    }

    static func entry(_ r: Renovation, _ kind: String, _ actor: Actor, _ at: Date, note: String? = nil, data: [String: String] = [:]) -> TimelineEntry {
        TimelineEntry(subjectKind: .renovation, subjectID: r.id, communityID: r.communityID, seq: 0, kind: kind, actorID: actor.userID, actorName: actor.name,
                      at: at, note: note, data: data)
    }

    public func renovation(_ id: UUID) async throws -> Renovation? { try await RenovationModel.find(id, on: db)?.domain }

    /// The unit a desk names by building and room ("3栋", "1201").
    public func unit(community: UUID, building: UUID, room: String) async throws -> UUID? {
        try await UnitModel.query(on: db).filter(\.$communityID == community).filter(\.$buildingID == building).filter(\.$roomNumber == room).first()?.id
    }

    /// A community's files (of some areas), open ones first, newest first.
    public func renovations(community: UUID, areas: Set<UUID>? = nil, open: Bool? = nil, limit: Int = 200) async throws -> [Renovation] {
        let q = RenovationModel.query(on: db).filter(\.$communityID == community)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        if let open { q.filter(\.$status, open ? .notEqual : .equal, RenovationStatus.closed.rawValue) }
        return try await q.sort(\.$createdAt, .descending).limit(limit).all().map(\.domain)
            .sorted { ($0.status == .closed ? 1 : 0) < ($1.status == .closed ? 1 : 0) }
    }

    /// The captions of the file's scanned documents: the checklist is read from them.
    public func documentCaptions(_ id: UUID) async throws -> [String] {
        try await EvidenceStore(db: db, now: now).list(.renovation, id).filter { $0.kind == .document }.map(\.caption)
    }

    /// The deposit received, how the common areas are protected, how often it is inspected.
    public func update(_ id: UUID, depositFen: Int?, protection: String?, inspectEveryDays: Int?, by actor: Actor) async throws -> Renovation {
        guard var r = try await renovation(id) else { throw DomainError.notFound(Noun.renovation) }
        guard r.status != .closed else { throw Self.closedError }
        var data: [String: String] = [:]
        if let fen = depositFen { try Self.checkMoney(fen); r.depositFen = fen; data["depositFen"] = String(fen) }
        if let p = protection { r.protection = try Validate.text(p, field: "protection", max: 500, required: true); data["protection"] = r.protection }
        if let every = inspectEveryDays { try Self.checkEvery(every); r.inspectEveryDays = every; data["inspectEveryDays"] = String(every) }
        guard !data.isEmpty else { return r }
        let at = now()
        let changed = r
        let changes = data
        try await db.writeTransaction { tx in
            _ = try await tx.lockRows("renovations", community: changed.communityID, ids: [id], skipLocked: false)
            try await RenovationModel.query(on: tx).filter(\.$id == id).set(\.$depositFen, to: changed.depositFen).set(\.$protection, to: changed.protection)
                .set(\.$inspectEveryDays, to: changed.inspectEveryDays).update()
            try await TimelineStore(db: tx).append([Self.entry(changed, "updated", actor, at, data: changes)])
        }
        return changed
    }

    static let closedError = DomainError.conflict(code: "renovation_closed", Message(zh: "装修档案已结案", en: "The renovation file is closed"))

    /// Approves the application (the permit goes on the door) — only when every required
    /// document is scanned, the deposit received and the protection recorded (S0 5.3).
    public func approve(_ id: UUID, by actor: Actor) async throws -> Renovation {
        guard var r = try await renovation(id) else { throw DomainError.notFound(Noun.renovation) }
        guard r.status == .applied else {
            if r.status == .approved { return r }
            throw Self.closedError
        }
        let missing = r.missing(documentCaptions: try await documentCaptions(id))
        guard missing.isEmpty else {
            throw DomainError.conflict(code: "renovation_incomplete", Message(
                zh: "资料不齐,不能批准:缺少\(missing.map(\.zhHans).joined(separator: "、"))",
                en: "Cannot approve while something is missing: \(missing.map(\.en).joined(separator: ", "))"))
        }
        let at = now()
        r.status = .approved
        r.approvedAt = at
        r.approvedByName = actor.name
        let approved = r
        try await db.writeTransaction { tx in
            _ = try await tx.lockRows("renovations", community: approved.communityID, ids: [id], skipLocked: false)
            try await RenovationModel.query(on: tx).filter(\.$id == id).filter(\.$status == RenovationStatus.applied.rawValue)
                .set(\.$status, to: RenovationStatus.approved.rawValue).set(\.$approvedAt, to: at).set(\.$approvedByName, to: actor.name).update()
            try await TimelineStore(db: tx).append([Self.entry(approved, "approved", actor, at, data: ["depositFen": String(approved.depositFen),
                                                                                                     "protection": approved.protection])])
            try await AuditLog(db: tx).record(actor, .update, entity: "renovation", id: id, community: approved.communityID,
                                              before: ["status": "applied"], after: ["status": "approved"], at: at)
        }
        return approved
    }

    // MARK: Inspections (S0 5.4, S2 4.2.2)

    /// Records an inspection with its photos. The completion inspection, passed, closes the
    /// file — refused while a violation is still open.
    public func inspect(_ id: UUID, passed: Bool, note: String, completion: Bool, photos: [EvidenceStore.Upload], by actor: Actor) async throws -> RenovationInspection {
        guard let r = try await renovation(id) else { throw DomainError.notFound(Noun.renovation) }
        guard r.status == .approved else {
            throw r.status == .closed ? Self.closedError
                : DomainError.conflict(code: "renovation_not_approved", Message(zh: "装修尚未批准,不能巡查", en: "The renovation is not approved yet"))
        }
        let note = try Validate.text(note, field: "note", max: 1000, required: !passed)
        if completion && passed {
            let open = try await violations(renovation: id).filter { $0.status.isOpen }
            if !open.isEmpty {
                throw DomainError.conflict(code: "violations_open", Message(
                    zh: "还有未整改的违章(\(open.map(\.number).joined(separator: "、"))),不能验收结案",
                    en: "Violations still open (\(open.map(\.number).joined(separator: ", "))): the file cannot be closed"))
            }
        }
        let at = now()
        let inspection = RenovationInspection(renovationID: id, at: at, byID: actor.userID, byName: actor.name, passed: passed, note: note, completion: completion)
        let closes = completion && passed
        try await db.writeTransaction { tx in
            _ = try await tx.lockRows("renovations", community: r.communityID, ids: [id], skipLocked: false)
            try await RenovationInspectionModel(inspection, community: r.communityID).create(on: tx)
            let subject = SubjectRef(kind: .renovation, id: id, communityID: r.communityID, areaID: r.areaID, label: r.number)
            _ = try await EvidenceStore(db: tx, now: { at }).attach(photos, to: subject, by: actor, at: at, limit: Evidence.maxPerSubject)
            var entries = [Self.entry(r, completion ? "completion_inspected" : "inspected", actor, at, note: note.isEmpty ? nil : note,
                                      data: ["passed": passed ? "yes" : "no", "photos": String(photos.count)])]
            if closes {
                try await RenovationModel.query(on: tx).filter(\.$id == id).set(\.$status, to: RenovationStatus.closed.rawValue).set(\.$closedAt, to: at).update()
                entries.append(Self.entry(r, "closed", actor, at))
            }
            try await TimelineStore(db: tx).append(entries)
        }
        return inspection
    }

    public func inspections(renovation id: UUID) async throws -> [RenovationInspection] {
        try await RenovationInspectionModel.query(on: db).filter(\.$renovationID == id).sort(\.$at, .descending).all().map(\.domain)
    }

    /// When each of these renovations was inspected in [from, until).
    func inspectionTimes(_ ids: [UUID], from: Date, until: Date) async throws -> [UUID: [Date]] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: [Date]] = [:]
        for m in try await RenovationInspectionModel.query(on: db).filter(\.$renovationID ~~ ids).filter(\.$at >= from).filter(\.$at < until).all() {
            out[m.renovationID, default: []].append(m.at)
        }
        return out
    }

    /// The approved renovations of these areas not yet inspected in their current window (the
    /// supervisor's list for today).
    public func dueForInspection(community: UUID, areas: Set<UUID>?, timeZone: String, at: Date) async throws -> [Renovation] {
        let open = try await renovations(community: community, areas: areas, open: true).filter { $0.status == .approved }
        let today = PatrolCoverage.day(of: at, timeZone: timeZone)
        // One read for all files: back as far as the longest window reaches.
        let longest = open.map(\.inspectEveryDays).max() ?? 1
        let times = try await inspectionTimes(open.map(\.id), from: today.start.addingTimeInterval(-Double(longest - 1) * 86400), until: today.end)
        return open.filter { r in
            let from = today.start.addingTimeInterval(-Double(r.inspectEveryDays - 1) * 86400)
            return !(times[r.id] ?? []).contains { $0 >= from }
        }
    }

    // MARK: Violations (S0 5.1: notice, stop, report)

    /// What a written notice says: the rule broken, what must be done, by when.
    public struct Notice: Sendable, Equatable {
        public var rule: String
        public var requirement: String
        public var deadline: Date
        /// The timeline entry that says it (the notice or its latest correction).
        public var seq: Int
        public var issuedAt: Date
        public var issuedBy: String
        /// The entry this one corrects, when it is a correction.
        public var corrects: Int?
    }

    public func issueNotice(renovation id: UUID, rule: String, requirement: String, deadline: Date, photos: [EvidenceStore.Upload],
                            by actor: Actor) async throws -> RenovationViolation {
        guard let r = try await renovation(id), let c = try await CommunityModel.find(r.communityID, on: db) else { throw DomainError.notFound(Noun.renovation) }
        guard r.status == .approved else {
            throw r.status == .closed ? Self.closedError
                : DomainError.conflict(code: "renovation_not_approved", Message(zh: "装修尚未批准", en: "The renovation is not approved yet"))
        }
        let rule = try Validate.text(rule, field: "rule", max: 300, required: true)
        let requirement = try Validate.text(requirement, field: "requirement", max: 500, required: true)
        let at = now()
        guard deadline > at, deadline < at.addingTimeInterval(90 * 86400) else {
            throw DomainError.invalid(field: "deadline", Message(zh: "整改期限应在今后 90 天内", en: "The deadline must be within the next 90 days"))
        }
        let month = String(DutyStore.month(of: at, timeZone: c.timeZone).dropFirst(2).filter(\.isNumber))
        for attempt in 1...3 {
            do {
                return try await db.writeTransaction { tx in
                    // The file's record gets an entry too: hold the file, so two writers never take one number.
                    _ = try await tx.lockRows("renovations", community: r.communityID, ids: [id], skipLocked: false)
                    let count = try await RenovationViolationModel.query(on: tx).filter(\.$communityID == r.communityID).count()
                    let v = RenovationViolation(renovationID: id, communityID: r.communityID, areaID: r.areaID,
                                                number: "WG-\(c.code)-\(month)-\(String(format: "%03d", count + 1))", status: .noticed, deadline: deadline, createdAt: at)
                    try await RenovationViolationModel(v).create(on: tx)
                    let subject = Self.subject(v)
                    _ = try await EvidenceStore(db: tx, now: { at }).attach(photos, to: subject, by: actor, at: at, limit: Evidence.maxPerSubject)
                    try await TimelineStore(db: tx).append([
                        Self.entry(v, "notice_issued", actor, at, data: ["number": v.number, "rule": rule, "requirement": requirement,
                                                                          "deadline": Self.iso(deadline), "renovation": r.number]),
                    ])
                    try await TimelineStore(db: tx).append([Self.entry(r, "violation", actor, at, data: ["violation": v.number, "rule": rule])])
                    try await ClockRows.startDeadline(.renovationViolation, v.id, community: v.communityID, from: at, due: deadline, on: tx)
                    return v
                }
            } catch where (error as? any DatabaseError)?.isConstraintFailure == true && attempt < 3 {
                continue
            }
        }
        throw DomainError(.internalError, code: "violation_number", Message(zh: "违章编号生成失败,请重试", en: "No violation number; please retry"))
    }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    public static func subjectRef(_ v: RenovationViolation) -> SubjectRef { subject(v) }

    static func subject(_ v: RenovationViolation) -> SubjectRef {
        SubjectRef(kind: .renovationViolation, id: v.id, communityID: v.communityID, areaID: v.areaID, label: v.number)
    }

    static func entry(_ v: RenovationViolation, _ kind: String, _ actor: Actor, _ at: Date, note: String? = nil, data: [String: String]) -> TimelineEntry {
        TimelineEntry(subjectKind: .renovationViolation, subjectID: v.id, communityID: v.communityID, seq: 0, kind: kind, actorID: actor.userID,
                      actorName: actor.name, at: at, note: note, data: data)
    }

    /// A notice is never edited: a correction is a new entry that names the entry it corrects;
    /// the printed notice shows the latest with that reference.
    public func correctNotice(_ violationID: UUID, rule: String, requirement: String, deadline: Date, reason: String, by actor: Actor) async throws -> Notice {
        guard let v = try await violation(violationID) else { throw DomainError.notFound(Noun.violation) }
        guard v.status.isOpen else { throw DomainError.conflict(code: "violation_closed", Message(zh: "该违章已整改", en: "This violation is corrected already")) }
        guard let current = try await notice(violationID) else { throw DomainError.notFound(Noun.violation) }
        let rule = try Validate.text(rule, field: "rule", max: 300, required: true)
        let requirement = try Validate.text(requirement, field: "requirement", max: 500, required: true)
        let reason = try Validate.text(reason, field: "reason", max: 300, required: true)
        let at = now()
        guard deadline > at, deadline < at.addingTimeInterval(90 * 86400) else {
            throw DomainError.invalid(field: "deadline", Message(zh: "整改期限应在今后 90 天内", en: "The deadline must be within the next 90 days"))
        }
        return try await db.writeTransaction { tx in
            _ = try await tx.lockRows("renovation_violations", community: v.communityID, ids: [violationID], skipLocked: false)
            try await RenovationViolationModel.query(on: tx).filter(\.$id == violationID).set(\.$deadline, to: deadline).update()
            try await (tx as! any SQLDatabase).raw("""
                UPDATE sla_clocks SET due_at = \(bind: deadline), next_fire_at = \(bind: deadline), level = 0, breached_at = NULL
                WHERE community_id = \(bind: v.communityID) AND subject_kind = 'renovation_violation' AND subject_id = \(bind: violationID) AND stopped_at IS NULL
                """).run()
            let sealed = try await TimelineStore(db: tx).append([Self.entry(v, "notice_corrected", actor, at, note: reason, data: [
                "number": v.number, "rule": rule, "requirement": requirement, "deadline": Self.iso(deadline), "corrects": String(current.seq),
            ])])
            return Notice(rule: rule, requirement: requirement, deadline: deadline, seq: sealed.first?.seq ?? 0, issuedAt: at, issuedBy: actor.name,
                          corrects: current.seq)
        }
    }

    /// Stop measures, the written report to the authority, or the correction confirmed: each an
    /// entry on the violation's timeline with its photos; a corrected violation stops its clock.
    public func step(_ violationID: UUID, _ step: RenovationViolation.Step, note: String, authority: String?, photos: [EvidenceStore.Upload],
                     by actor: Actor) async throws -> RenovationViolation {
        guard var v = try await violation(violationID) else { throw DomainError.notFound(Noun.violation) }
        guard step.allowed(from: v.status) else {
            throw DomainError.conflict(code: "violation_step", Message(zh: "违章当前为「\(v.status.title.zhHans)」,不能\(step.title.zhHans)",
                                                                       en: "The violation is \(v.status.title.en.lowercased()): cannot \(step.title.en.lowercased())"))
        }
        let note = try Validate.text(note, field: "note", max: 1000, required: true)
        var data = ["from": v.status.rawValue, "to": step.to.rawValue]
        if step == .report { data["authority"] = try Validate.text(authority ?? "", field: "authority", max: 100, required: true) }
        let at = now()
        v.status = step.to
        let changed = v
        let facts = data
        try await db.writeTransaction { tx in
            _ = try await tx.lockRows("renovation_violations", community: changed.communityID, ids: [violationID], skipLocked: false)
            try await RenovationViolationModel.query(on: tx).filter(\.$id == violationID).set(\.$status, to: changed.status.rawValue).update()
            _ = try await EvidenceStore(db: tx, now: { at }).attach(photos, to: Self.subject(changed), by: actor, at: at, limit: Evidence.maxPerSubject)
            try await TimelineStore(db: tx).append([Self.entry(changed, step.rawValue, actor, at, note: note, data: facts)])
            if step == .correct {
                try await ClockRows.stopDeadline(.renovationViolation, violationID, community: changed.communityID, at: at, on: tx)
            }
        }
        return changed
    }

    public func violation(_ id: UUID) async throws -> RenovationViolation? { try await RenovationViolationModel.find(id, on: db)?.domain }

    public func violations(renovation id: UUID) async throws -> [RenovationViolation] {
        try await RenovationViolationModel.query(on: db).filter(\.$renovationID == id).sort(\.$createdAt).all().map(\.domain)
    }

    /// The notice as it stands: read from the violation's timeline (the issued notice or its
    /// latest correction), never from an editable row.
    public func notice(_ violationID: UUID) async throws -> Notice? {
        let entries = try await TimelineStore(db: db).entries(.renovationViolation, violationID)
        guard let e = entries.last(where: { $0.kind == "notice_issued" || $0.kind == "notice_corrected" }) else { return nil }
        return Notice(rule: e.data["rule"] ?? "", requirement: e.data["requirement"] ?? "",
                      deadline: e.data["deadline"].flatMap { ISO8601DateFormatter().date(from: $0) } ?? e.at, seq: e.seq, issuedAt: e.at,
                      issuedBy: e.actorName, corrects: e.data["corrects"].flatMap { Int($0) })
    }
}

/// Fires the correction deadline of a violation (FLD-4): if it is still open, the CS manager is
/// alerted and the violation's timeline says so; a corrected one stopped its clock already.
struct ViolationDeadlines: SubjectHandler {
    let now: @Sendable () -> Date
    var kind: SubjectKind { .renovationViolation }

    func fire(_ clocks: [SLAClock], at: Date, on tx: any Database) async throws -> SweepReport {
        var report = SweepReport()
        for c in clocks {
            try await ClockRows.breach(c, on: tx)
            // Hold the violation (a step may be written at this moment) before its record grows.
            guard let v = try await tx.lockedFind(RenovationViolationModel.self, c.subjectID, community: c.communityID)?.domain, v.status.isOpen else {
                report.skipped += 1
                continue
            }
            let alert = Alert.about(RenovationStore.subject(v), .deadlinePassed, clock: c, level: .csManager, at: at)
            try await AlertModel(alert).create(on: tx)
            try await TimelineStore(db: tx).append([RenovationStore.entry(v, "deadline_passed", DutyStore.system, at, note: alert.message.zhHans,
                                                                          data: ["status": v.status.rawValue, "alert": alert.kind.rawValue])])
            try await LiveEvents.publish(alert: alert, subject: alert.subject, on: tx, at: at)
            report.fired += 1
            report.alerts += 1
        }
        return report
    }

    func acknowledged(_ alert: Alert, by actor: Actor, at: Date, on tx: any Database) async throws {
        guard let v = try await RenovationViolationModel.find(alert.subjectID, on: tx)?.domain else { return }
        try await TimelineStore(db: tx).append([RenovationStore.entry(v, "acknowledged", actor, at, note: alert.acknowledgeNote,
                                                                      data: ["alert": alert.kind.rawValue])])
    }
}
