import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Units in custody (FD-2, S4 篇1 1⑥): the agreement with its baseline readings, the monthly
/// readings (a month over the agreed limit raises an alert in the same transaction), the
/// exterior checks and the heavy-rain warnings that open them. Everything that happens to an
/// agreement is appended to its hash-chained timeline. The caller has decided the actor may act
/// for the community (and the unit's area).
public struct CustodyStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    // MARK: Agreements

    /// What the desk fills in when it signs a 《托管协议》: the unit, the owner, the days, the
    /// meters as read together (the baseline), and the limits if the owner agreed others.
    public struct Opening: Sendable {
        public var agreementID: UUID
        public var unitID: UUID
        public var ownerName: String
        public var ownerPhone: String
        public var startDay: String
        public var endDay: String?
        /// The meters at signing, in thousandths (litres, watt-hours).
        public var water: Int
        public var electricity: Int
        public var waterLimit: Int
        public var electricityLimit: Int
        public var feeRatePerMille: Int
        public var note: String

        public init(agreementID: UUID = UUID(), unitID: UUID, ownerName: String, ownerPhone: String, startDay: String, endDay: String? = nil, water: Int,
                    electricity: Int, waterLimit: Int = CustodyAgreement.defaultWaterLimit, electricityLimit: Int = CustodyAgreement.defaultElectricityLimit,
                    feeRatePerMille: Int = CustodyAgreement.defaultFeeRatePerMille, note: String = "") {
            self.agreementID = agreementID
            self.unitID = unitID
            self.ownerName = ownerName
            self.ownerPhone = ownerPhone
            self.startDay = startDay
            self.endDay = endDay
            self.water = water
            self.electricity = electricity
            self.waterLimit = waterLimit
            self.electricityLimit = electricityLimit
            self.feeRatePerMille = feeRatePerMille
            self.note = note
        }
    }

    /// Signs a unit into custody with its baseline reading. A unit already in custody on any of
    /// the days is refused; the same form sent twice opens one agreement.
    public func open(_ o: Opening, community: UUID, by actor: Actor) async throws -> CustodyAgreement {
        let owner = try Validate.text(o.ownerName, field: "ownerName", max: 40, required: false)
        guard !owner.isEmpty else { throw DomainError.invalid(field: "ownerName", Message(zh: "请填写业主姓名", en: "Write the owner's name")) }
        let phone = try Validate.phone(o.ownerPhone, field: "ownerPhone")
        let note = try Validate.text(o.note, field: "note", max: 500, required: false)
        guard let c = try await CommunityModel.find(community, on: db) else { throw DomainError.notFound(Noun.community) }
        let start = try Self.day(o.startDay, field: "startDay", timeZone: c.timeZone)
        let end = try o.endDay.map { try Self.day($0, field: "endDay", timeZone: c.timeZone) }
        if let end, end < start {
            throw DomainError.invalid(field: "endDay", Message(zh: "托管截止日不能早于开始日", en: "The last day cannot be before the first"))
        }
        try Self.meter(o.water, field: "water")
        try Self.meter(o.electricity, field: "electricity")
        guard (1...1_000_000).contains(o.waterLimit) else {
            throw DomainError.invalid(field: "waterLimit", Message(zh: "每月用水限额应在 0.001 至 1000 m³ 之间", en: "The monthly water limit is 0.001 to 1000 m³"))
        }
        guard (1...1_000_000).contains(o.electricityLimit) else {
            throw DomainError.invalid(field: "electricityLimit", Message(zh: "每月用电限额应在 0.001 至 1000 kWh 之间", en: "The monthly electricity limit is 0.001 to 1000 kWh"))
        }
        guard (0...1000).contains(o.feeRatePerMille) else {
            throw DomainError.invalid(field: "feeRatePerMille", Message(zh: "收费比例应在 0 至 100% 之间", en: "The fee rate is 0 to 100 %"))
        }
        guard let unit = try await UnitModel.find(o.unitID, on: db), unit.communityID == community else { throw DomainError.notFound(Noun.unit) }
        let at = now()
        return try await db.writeTransaction { tx in
            _ = try await tx.lockRows(UnitModel.schema, community: community, ids: [o.unitID], skipLocked: false)
            if let done = try await CustodyAgreementModel.find(o.agreementID, on: tx) {
                guard done.communityID == community, done.unitID == o.unitID else { throw DomainError.notFound(Noun.custodyAgreement) }
                return done.domain
            }
            let others = try await CustodyAgreementModel.query(on: tx).filter(\.$communityID == community).filter(\.$unitID == o.unitID).all().map(\.domain)
            if let other = others.first(where: { $0.startDay <= (end ?? "9999-12-31") && start <= ($0.endDay ?? "9999-12-31") }) {
                throw DomainError.conflict(code: "unit_in_custody", Message(
                    zh: "该房屋已在托管中(\(other.startDay) 起,业主 \(other.ownerName)),请先结束原托管协议",
                    en: "The unit is already in custody (from \(other.startDay), owner \(other.ownerName)); end that agreement first"))
            }
            let a = CustodyAgreement(id: o.agreementID, communityID: community, unitID: o.unitID, areaID: unit.areaID, ownerName: owner, ownerPhone: phone,
                                     startDay: start, endDay: end, feeRatePerMille: o.feeRatePerMille, waterLimit: o.waterLimit,
                                     electricityLimit: o.electricityLimit, note: note, createdAt: at, createdByName: actor.name)
            try await CustodyAgreementModel(a).create(on: tx)
            let baseline = MeterReading(agreementID: a.id, communityID: community, unitID: a.unitID, month: String(start.prefix(7)), baseline: true,
                                        water: o.water, electricity: o.electricity, waterAllowed: 0, electricityAllowed: 0, readAt: at, byName: actor.name)
            try await MeterReadingModel(baseline).create(on: tx)
            _ = try await TimelineStore(db: tx).append([
                Self.entry(a, "opened", actor, at, note: note.isEmpty ? nil : note, data: [
                    "owner": owner, "startDay": start, "endDay": end ?? "", "feeRatePerMille": String(a.feeRatePerMille),
                    "waterLimit": MeterValue.text(a.waterLimit), "electricityLimit": MeterValue.text(a.electricityLimit),
                ]),
                Self.entry(a, "reading", actor, at, data: ["month": baseline.month, "baseline": "1", "water": MeterValue.text(baseline.water),
                                                          "electricity": MeterValue.text(baseline.electricity)]),
            ])
            try await AuditLog(db: tx).record(actor, .create, entity: "custody_agreement", id: a.id, community: community,
                                              after: ["unit": a.unitID.uuidString, "owner": owner, "startDay": start], at: at)
            return a
        }
    }

    public func agreement(_ id: UUID) async throws -> CustodyAgreement? { try await CustodyAgreementModel.find(id, on: db)?.domain }

    /// A unit's agreements, newest first (the resident file, REG-5).
    public func agreements(unit: UUID, community: UUID) async throws -> [CustodyAgreement] {
        try await CustodyAgreementModel.query(on: db).filter(\.$communityID == community).filter(\.$unitID == unit).sort(\.$startDay, .descending).sort(\.$createdAt, .descending).all().map(\.domain)
    }

    /// A community's agreements (in its areas, for an area-limited caller), newest first; with
    /// `on`, only those covering that day ("2026-11-20").
    public func agreements(community: UUID, areas: Set<UUID>? = nil, on day: String? = nil) async throws -> [CustodyAgreement] {
        let q = CustodyAgreementModel.query(on: db).filter(\.$communityID == community)
        if let areas { q.filter(\.$areaID ~~ areas) }
        let all = try await q.sort(\.$startDay, .descending).sort(\.$createdAt, .descending).all().map(\.domain)
        guard let day else { return all }
        return all.filter { $0.covers(day) }
    }

    /// "2026-11-20": today in the community's time zone.
    public func today(community: UUID) async throws -> String {
        let tz = try await CommunityModel.find(community, on: db)?.timeZone ?? "Asia/Shanghai"
        return PatrolCoverage.day(of: now(), timeZone: tz).label
    }

    /// The unit a room label names ("1栋-1201", as the desk types it), in the community.
    public func unit(community: UUID, label raw: String) async throws -> UUID? {
        let label = raw.trimmingCharacters(in: .whitespaces)
        guard !label.isEmpty, label.count <= 60 else { return nil }
        let buildings = try await BuildingModel.query(on: db).filter(\.$communityID == community).all()
        for b in buildings.sorted(by: { $0.name.count > $1.name.count }) where label.hasPrefix(b.name + "-") {
            let room = String(label.dropFirst(b.name.count + 1))
            guard let bid = b.id else { continue }
            if let u = try await UnitModel.query(on: db).filter(\.$buildingID == bid).filter(\.$roomNumber == room).first() { return u.id }
        }
        return nil
    }

    /// Ends the custody today (or on the agreed last day, if that came first); rain checks still
    /// open are cancelled with their deadlines. Ending twice changes nothing.
    public func end(_ id: UUID, note raw: String, by actor: Actor) async throws -> CustodyAgreement {
        let note = try Validate.text(raw, field: "note", max: 500, required: false)
        let at = now()
        guard let found = try await CustodyAgreementModel.find(id, on: db) else { throw DomainError.notFound(Noun.custodyAgreement) }
        let today = try await self.today(community: found.communityID)
        return try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(CustodyAgreementModel.self, id, community: found.communityID) else { throw DomainError.notFound(Noun.custodyAgreement) }
            if m.endedAt != nil { return m.domain }
            m.endDay = min(m.endDay ?? today, today)
            m.endedAt = at
            m.endedByName = actor.name
            try await m.update(on: tx)
            let open = try await CustodyCheckModel.query(on: tx).filter(\.$agreementID == id).filter(\.$doneAt == nil).filter(\.$cancelledAt == nil).all()
            for c in open {
                c.cancelledAt = at
                try await c.update(on: tx)
                if let cid = c.id { try await ClockRows.stopDeadline(.custodyCheck, cid, community: c.communityID, at: at, on: tx) }
            }
            _ = try await TimelineStore(db: tx).append([Self.entry(m.domain, "ended", actor, at, note: note.isEmpty ? nil : note,
                                                                   data: ["endDay": m.endDay ?? "", "cancelledChecks": String(open.count)])])
            try await AuditLog(db: tx).record(actor, .update, entity: "custody_agreement", id: id, community: m.communityID,
                                              after: ["endDay": m.endDay ?? ""], at: at)
            return m.domain
        }
    }

    // MARK: Meter readings

    /// A monthly reading as the desk takes it: the month it closes ("2026-11"), both meters.
    public struct Reading: Sendable {
        public var readingID: UUID
        public var month: String
        public var water: Int
        public var electricity: Int
        public var note: String

        public init(readingID: UUID = UUID(), month: String, water: Int, electricity: Int, note: String = "") {
            self.readingID = readingID
            self.month = month
            self.water = water
            self.electricity = electricity
            self.note = note
        }
    }

    /// Records a month's reading. What was used since the reading before is compared with the
    /// agreement's limits; over either, an alert goes to the front desk in the same transaction
    /// and the agreement's timeline says by how much. The same form sent twice records once.
    public func record(_ r: Reading, agreement id: UUID, by actor: Actor) async throws -> MeterReading {
        let note = try Validate.text(r.note, field: "note", max: 500, required: false)
        guard MonthKey.isValid(r.month) else {
            throw DomainError.invalid(field: "month", Message(zh: "月份格式应为 2026-11", en: "A month looks like 2026-11"))
        }
        try Self.meter(r.water, field: "water")
        try Self.meter(r.electricity, field: "electricity")
        guard let found = try await CustodyAgreementModel.find(id, on: db) else { throw DomainError.notFound(Noun.custodyAgreement) }
        let today = try await self.today(community: found.communityID)
        guard r.month <= String(today.prefix(7)) else {
            throw DomainError.invalid(field: "month", Message(zh: "不能登记未来月份 \(r.month) 的读数", en: "\(r.month) has not come yet"))
        }
        let at = now()
        return try await db.writeTransaction { tx in
            guard let a = try await tx.lockedFind(CustodyAgreementModel.self, id, community: found.communityID)?.domain else { throw DomainError.notFound(Noun.custodyAgreement) }
            if let done = try await MeterReadingModel.find(r.readingID, on: tx) {
                guard done.agreementID == id else { throw DomainError.notFound(Noun.custodyAgreement) }
                return done.domain
            }
            guard a.endedAt == nil else { throw Self.ended }
            let readings = try await Self.readings(agreement: id, on: tx)
            guard let previous = readings.last else { throw DomainError.notFound(Noun.custodyAgreement) }
            let reading = try MeterReading.next(after: previous, agreement: a, id: r.readingID, month: r.month, water: r.water, electricity: r.electricity,
                                                at: at, by: actor.name, note: note)
            try await MeterReadingModel(reading).create(on: tx)
            var entries = [Self.entry(a, "reading", actor, at, note: note.isEmpty ? nil : note, data: [
                "month": reading.month, "water": MeterValue.text(reading.water), "electricity": MeterValue.text(reading.electricity),
                "waterUsed": MeterValue.text(reading.waterUsed ?? 0), "electricityUsed": MeterValue.text(reading.electricityUsed ?? 0),
            ])]
            if reading.isOver {
                let label = try await RegistryStore.unitLabels([a.unitID], on: tx)[a.unitID] ?? ""
                let subject = Self.subject(a, label: "\(label) · \(reading.month)")
                let alert = Alert.about(subject, .meterOverThreshold, clock: nil, level: .frontDesk, at: at)
                try await AlertModel(alert).create(on: tx)
                try await LiveEvents.publish(alert: alert, subject: subject, on: tx, at: at)
                entries.append(Self.entry(a, "over_threshold", DutyStore.system, at, note: Self.overText(reading).zhHans,
                                          data: ["alert": alert.id.uuidString, "month": reading.month]))
            }
            _ = try await TimelineStore(db: tx).append(entries)
            return reading
        }
    }

    /// "用水 6 m³,超过限额 5 m³": what went over, in words.
    public static func overText(_ r: MeterReading) -> Message {
        var zh: [String] = [], en: [String] = []
        if r.waterOver {
            zh.append("用水 \(MeterValue.text(r.waterUsed ?? 0)) m³,超过限额 \(MeterValue.text(r.waterAllowed)) m³")
            en.append("water \(MeterValue.text(r.waterUsed ?? 0)) m³, over the limit of \(MeterValue.text(r.waterAllowed)) m³")
        }
        if r.electricityOver {
            zh.append("用电 \(MeterValue.text(r.electricityUsed ?? 0)) kWh,超过限额 \(MeterValue.text(r.electricityAllowed)) kWh")
            en.append("electricity \(MeterValue.text(r.electricityUsed ?? 0)) kWh, over the limit of \(MeterValue.text(r.electricityAllowed)) kWh")
        }
        return Message(zh: zh.joined(separator: ";"), en: en.joined(separator: "; "))
    }

    /// An agreement's readings in the order they were taken: the baseline, then month by month.
    public func readings(agreement: UUID) async throws -> [MeterReading] { try await Self.readings(agreement: agreement, on: db) }

    static func readings(agreement: UUID, on db: any Database) async throws -> [MeterReading] {
        try await MeterReadingModel.query(on: db).filter(\.$agreementID == agreement).all().map(\.domain)
            .sorted { ($0.baseline ? 0 : 1, $0.month) < ($1.baseline ? 0 : 1, $1.month) }
    }

    /// The latest reading of each of these agreements.
    public func latestReadings(_ agreements: [UUID]) async throws -> [UUID: MeterReading] {
        guard !agreements.isEmpty else { return [:] }
        let all = try await MeterReadingModel.query(on: db).filter(\.$agreementID ~~ agreements).all().map(\.domain)
        return Dictionary(grouping: all, by: \.agreementID).compactMapValues { rs in
            rs.max { ($0.baseline ? 0 : 1, $0.month) < ($1.baseline ? 0 : 1, $1.month) }
        }
    }

    // MARK: Exterior checks

    /// An exterior check as recorded by whoever went. `checkID` is the open rain check it
    /// completes, or a new id from the form (sent twice, recorded once).
    public struct CheckInput: Sendable {
        public var checkID: UUID
        public var kind: CustodyCheckKind
        public var findings: String
        public var problem: Bool
        public var ownerNotified: Bool

        public init(checkID: UUID = UUID(), kind: CustodyCheckKind, findings: String = "", problem: Bool = false, ownerNotified: Bool = false) {
            self.checkID = checkID
            self.kind = kind
            self.findings = findings
            self.problem = problem
            self.ownerNotified = ownerNotified
        }
    }

    /// Records an exterior check. A rain check completes the open one of its kind (stopping its
    /// deadline); an after-rain check waits until the rain is over. A problem needs its
    /// description (发现问题及时处理并通知业主).
    public func check(_ input: CheckInput, agreement id: UUID, by actor: Actor) async throws -> CustodyCheck {
        let findings = try Validate.text(input.findings, field: "findings", max: 1000, required: false)
        if input.problem && findings.isEmpty {
            throw DomainError.invalid(field: "findings", Message(zh: "发现问题时请写明问题及处理情况", en: "Describe the problem found and what was done"))
        }
        let at = now()
        return try await db.writeTransaction { tx in
            guard let a = try await tx.lockedFind(CustodyAgreementModel.self, id)?.domain else { throw DomainError.notFound(Noun.custodyAgreement) }
            let mine = try await CustodyCheckModel.query(on: tx).filter(\.$agreementID == id).all()
            if let sent = mine.first(where: { $0.id == input.checkID || $0.formID == input.checkID }), sent.doneAt != nil { return sent.domain }
            guard a.endedAt == nil else { throw Self.ended }
            let target: CustodyCheckModel?
            if let named = mine.first(where: { $0.id == input.checkID }) {
                target = named
            } else if input.kind != .weekly {
                target = mine.filter { $0.kind == input.kind.rawValue && $0.doneAt == nil && $0.cancelledAt == nil }.min { $0.openedAt < $1.openedAt }
                target?.formID = input.checkID
            } else {
                target = nil
            }
            let m: CustodyCheckModel
            if let target {
                guard target.cancelledAt == nil else { throw Self.ended }
                if target.kind == CustodyCheckKind.afterRain.rawValue && target.dueAt == nil {
                    throw DomainError.conflict(code: "rain_not_over", Message(zh: "雨还没停:请在前台标记雨停后再做雨后巡查", en: "The rain is not over yet: mark it over at the desk first"))
                }
                m = target
            } else {
                m = CustodyCheckModel(CustodyCheck(id: input.checkID, agreementID: id, communityID: a.communityID, unitID: a.unitID, areaID: a.areaID,
                                                   kind: input.kind, openedAt: at))
            }
            m.doneAt = at
            m.byName = actor.name
            m.findings = findings
            m.problem = input.problem
            m.ownerNotified = input.ownerNotified
            if target == nil { try await m.create(on: tx) } else { try await m.update(on: tx) }
            if let cid = m.id, target != nil { try await ClockRows.stopDeadline(.custodyCheck, cid, community: m.communityID, at: at, on: tx) }
            let check = m.domain
            _ = try await TimelineStore(db: tx).append([Self.entry(a, "check", actor, at, note: findings.isEmpty ? nil : findings, data: [
                "kind": check.kind.rawValue, "problem": check.problem ? "1" : "0", "ownerNotified": check.ownerNotified ? "1" : "0",
                "onTime": check.doneOnTime ? "1" : "0",
            ])])
            return check
        }
    }

    public func check(_ id: UUID) async throws -> CustodyCheck? { try await CustodyCheckModel.find(id, on: db)?.domain }

    /// An agreement's checks, newest first (open rain checks included).
    public func checks(agreement: UUID) async throws -> [CustodyCheck] {
        try await CustodyCheckModel.query(on: db).filter(\.$agreementID == agreement).sort(\.$openedAt, .descending).all().map(\.domain)
    }

    /// The last check done of each agreement of the community.
    public func lastChecks(community: UUID) async throws -> [UUID: CustodyCheck] {
        let done = try await CustodyCheckModel.query(on: db).filter(\.$communityID == community).filter(\.$doneAt != nil).all().map(\.domain)
        return Dictionary(grouping: done, by: \.agreementID).compactMapValues { cs in cs.max { ($0.doneAt ?? .distantPast) < ($1.doneAt ?? .distantPast) } }
    }

    /// Rain checks not yet done, soonest due first (those still waiting for the rain to stop last).
    public func openRainChecks(community: UUID, areas: Set<UUID>? = nil) async throws -> [CustodyCheck] {
        let q = CustodyCheckModel.query(on: db).filter(\.$communityID == community).filter(\.$doneAt == nil).filter(\.$cancelledAt == nil)
        if let areas { q.filter(\.$areaID ~~ areas) }
        return try await q.all().map(\.domain).sorted { ($0.dueAt ?? .distantFuture, $0.kind.rawValue) < ($1.dueAt ?? .distantFuture, $1.kind.rawValue) }
    }

    // MARK: Heavy rain

    /// The desk presses 大雨预警: every unit in custody today gets a before-rain check due within
    /// six hours and an after-rain check that falls due when the rain is over. Pressed again
    /// while a warning is still open, it returns that warning and opens nothing more.
    public func warnOfRain(community: UUID, note raw: String = "", by actor: Actor) async throws -> (warning: RainWarning, opened: Int) {
        let note = try Validate.text(raw, field: "note", max: 500, required: false)
        let today = try await self.today(community: community)
        let at = now()
        return try await db.writeTransaction { tx in
            try await tx.lockReferenceRow(CommunityModel.schema, id: community)
            if let open = try await Self.openWarning(community: community, on: tx) { return (open, 0) }
            let w = RainWarning(communityID: community, issuedAt: at, issuedByName: actor.name, note: note)
            try await RainWarningModel(w).create(on: tx)
            let agreements = try await CustodyStore(db: tx, now: { at }).agreements(community: community, on: today).filter { $0.endedAt == nil }
            let due = at.addingTimeInterval(TimeInterval(RainWarning.beforeRainHours * 3600))
            var entries: [TimelineEntry] = []
            for a in agreements {
                let before = CustodyCheck(agreementID: a.id, communityID: community, unitID: a.unitID, areaID: a.areaID, kind: .beforeRain, rainWarningID: w.id,
                                          openedAt: at, dueAt: due)
                let after = CustodyCheck(agreementID: a.id, communityID: community, unitID: a.unitID, areaID: a.areaID, kind: .afterRain, rainWarningID: w.id,
                                         openedAt: at)
                try await CustodyCheckModel(before).create(on: tx)
                try await CustodyCheckModel(after).create(on: tx)
                try await ClockRows.startDeadline(.custodyCheck, before.id, community: community, from: at, due: due, on: tx)
                entries.append(Self.entry(a, "rain_warning", actor, at, note: note.isEmpty ? nil : note, data: ["warning": w.id.uuidString]))
            }
            _ = try await TimelineStore(db: tx).append(entries)
            return (w, agreements.count * 2)
        }
    }

    /// The desk presses 雨停: the warning's after-rain checks fall due within 24 hours.
    public func rainOver(community: UUID, by actor: Actor) async throws -> RainWarning {
        let at = now()
        return try await db.writeTransaction { tx in
            try await tx.lockReferenceRow(CommunityModel.schema, id: community)
            guard let open = try await RainWarningModel.query(on: tx).filter(\.$communityID == community).filter(\.$overAt == nil).first(),
                  let wid = open.id else {
                throw DomainError.conflict(code: "no_rain_warning", Message(zh: "当前没有大雨预警", en: "There is no heavy-rain warning open"))
            }
            open.overAt = at
            open.overByName = actor.name
            try await open.update(on: tx)
            let due = at.addingTimeInterval(TimeInterval(RainWarning.afterRainHours * 3600))
            let after = try await CustodyCheckModel.query(on: tx).filter(\.$rainWarningID == wid).filter(\.$kind == CustodyCheckKind.afterRain.rawValue)
                .filter(\.$doneAt == nil).filter(\.$cancelledAt == nil).all()
            for c in after {
                c.dueAt = due
                try await c.update(on: tx)
                if let cid = c.id { try await ClockRows.startDeadline(.custodyCheck, cid, community: community, from: at, due: due, on: tx) }
            }
            return open.domain
        }
    }

    /// The warning still open (the rain not yet marked over), if any.
    public func openRainWarning(community: UUID) async throws -> RainWarning? { try await Self.openWarning(community: community, on: db) }

    static func openWarning(community: UUID, on db: any Database) async throws -> RainWarning? {
        try await RainWarningModel.query(on: db).filter(\.$communityID == community).filter(\.$overAt == nil).sort(\.$issuedAt, .descending).first()?.domain
    }

    // MARK: Helpers

    static let ended = DomainError.conflict(code: "custody_ended", Message(zh: "托管协议已结束", en: "The custody agreement has ended"))

    static func subject(_ a: CustodyAgreement, label: String) -> SubjectRef {
        SubjectRef(kind: .custodyAgreement, id: a.id, communityID: a.communityID, areaID: a.areaID, label: label)
    }

    static func entry(_ a: CustodyAgreement, _ kind: String, _ actor: Actor, _ at: Date, note: String? = nil, data: [String: String]) -> TimelineEntry {
        TimelineEntry(subjectKind: .custodyAgreement, subjectID: a.id, communityID: a.communityID, seq: 0, kind: kind, actorID: actor.userID,
                      actorName: actor.name, at: at, note: note, data: data)
    }

    static func day(_ raw: String, field: String, timeZone: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        guard let d = PatrolCoverage.day(t, timeZone: timeZone), d.label == t else {
            throw DomainError.invalid(field: field, Message(zh: "日期格式应为 2026-11-01", en: "A date looks like 2026-11-01"))
        }
        return t
    }

    static func meter(_ v: Int, field: String) throws {
        guard (0...MeterValue.maximum).contains(v) else {
            throw DomainError.invalid(field: field, Message(zh: "读数应在 0 至 99999999.999 之间", en: "A reading is 0 to 99999999.999"))
        }
    }
}
