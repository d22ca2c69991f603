import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Move-ins (入住/入伙, FD-1, S4 篇1 1 and 篇3): a case per unit and buyer; the documents
/// checked by buyer kind (scans as evidence on the case, each recorded as the item it is), the
/// resident registration form, the agreements each signed, the items handed over (the keys also
/// in the key ledger), the first fees noted, the joint inspection with meter readings whose
/// defects become warranty orders in the same transaction, their re-inspection, the owner's
/// sign-off, and completion only when nothing is missing. Every step is an entry on the case's
/// hash-chained timeline. The resident file reads a unit's cases with `cases(unit:)` and their
/// files with `EvidenceStore.list(.moveIn, id)`. The caller has decided that the actor may act
/// in the case's community and area.
public struct MoveInStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    let outbox: Bool

    // MARK: Opening

    /// What the desk types to open a case. `caseID` is made when the form is drawn, so a form sent
    /// twice opens one case.
    public struct Opening: Sendable {
        public var caseID: UUID
        public var unitID: UUID
        public var buyerKind: BuyerKind
        public var buyerName: String
        public var buyerPhone: String

        public init(caseID: UUID, unitID: UUID, buyerKind: BuyerKind, buyerName: String, buyerPhone: String) {
            self.caseID = caseID
            self.unitID = unitID
            self.buyerKind = buyerKind
            self.buyerName = buyerName
            self.buyerPhone = buyerPhone
        }
    }

    static func required(_ raw: String, field: String, max: Int, _ title: Message) throws -> String {
        let t = try Validate.text(raw, field: field, max: max, required: false)
        guard !t.isEmpty else { throw DomainError.invalid(field: field, Message(zh: "请填写\(title.zhHans)", en: "Enter the \(title.en.lowercased())")) }
        return t
    }

    /// Opens a case for a unit of `community` in one of `areas` (nil: any). One case per unit is
    /// in progress at a time; a parking space has no move-in.
    public func open(_ o: Opening, community: UUID, areas: Set<UUID>? = nil, by actor: Actor) async throws -> MoveInCase {
        let name = try Self.required(o.buyerName, field: "buyerName", max: 60, Message(zh: "购房人姓名", en: "Buyer's name"))
        let phone = try Validate.phone(o.buyerPhone, field: "buyerPhone")
        guard let unit = try await UnitModel.find(o.unitID, on: db), unit.communityID == community,
              areas.map({ a in unit.areaID.map(a.contains) ?? false }) ?? true else { throw DomainError.notFound(Noun.unit) }
        guard unit.kind != UnitKind.parking.rawValue else {
            throw DomainError.invalid(field: "unitId", Message(zh: "车位不办理入住", en: "A parking space has no move-in"))
        }
        if let first = try await moveIn(o.caseID) { return try Self.replay(first, o) }
        let at = now()
        let c = MoveInCase(id: o.caseID, communityID: community, unitID: o.unitID, buildingID: unit.buildingID, areaID: unit.areaID, buyerName: name,
                           buyerKind: o.buyerKind, buyerPhone: phone, commercial: unit.kind == UnitKind.commercial.rawValue, openedAt: at,
                           openedByName: actor.name)
        let label = try await RegistryStore.unitLabels([o.unitID], on: db)[o.unitID] ?? unit.roomNumber
        do {
            return try await db.writeTransaction { tx in
                // Hold the unit, so two desks never open two cases for it at once.
                _ = try await tx.lockRows(UnitModel.schema, community: c.communityID, ids: [c.unitID], skipLocked: false)
                let running = try await MoveInModel.query(on: tx).filter(\.$unitID == c.unitID).filterCommunityBesideANarrowerKey(c.communityID).filter(\.$status != MoveInStatus.completed.rawValue).first()
                if let running {
                    throw DomainError.conflict(code: "move_in_running", Message(zh: "\(label) 已有办理中的入住(\(running.buyerName)),请在原记录上继续",
                                                                                en: "\(label) already has a move-in in progress (\(running.buyerName)); continue that one"))
                }
                try await MoveInModel(c).create(on: tx)
                try await TimelineStore(db: tx).append([Self.entry(c, "opened", actor, at, data: [
                    "unit": label, "buyer": name, "buyerKind": c.buyerKind.rawValue, "commercial": c.commercial ? "yes" : "no",
                    "documents": c.requiredDocuments.map(\.rawValue).joined(separator: " "),
                ])])
                try await AuditLog(db: tx).record(actor, .create, entity: "move_in", id: c.id, community: community,
                                                  after: ["unit": label, "buyerKind": c.buyerKind.rawValue], at: at)
                return c
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let first = try await moveIn(o.caseID) { return try Self.replay(first, o) }
            throw error
        }
    }

    static func replay(_ first: MoveInCase, _ o: Opening) throws -> MoveInCase {
        guard first.unitID == o.unitID else {
            throw DomainError.conflict(code: "move_in_id_reused", Message(zh: "此表单编号已用于另一房屋的入住", en: "This form's id was already used for another unit"))
        }
        return first
    }

    static func entry(_ c: MoveInCase, _ kind: String, _ actor: Actor, _ at: Date, note: String? = nil, data: [String: String] = [:]) -> TimelineEntry {
        TimelineEntry(subjectKind: .moveIn, subjectID: c.id, communityID: c.communityID, seq: 0, kind: kind, actorID: actor.userID, actorName: actor.name,
                      at: at, note: note, data: data)
    }

    /// The case as a subject: its evidence and timeline are kept under it.
    public static func subject(_ c: MoveInCase, label: String) -> SubjectRef {
        SubjectRef(kind: .moveIn, id: c.id, communityID: c.communityID, areaID: c.areaID, label: label)
    }

    // MARK: Reading

    public func moveIn(_ id: UUID) async throws -> MoveInCase? {
        guard let m = try await MoveInModel.find(id, on: db) else { return nil }
        return try await load([m]).first
    }

    /// A unit's move-ins, newest first: what its resident file shows (REG-5).
    public func cases(unit: UUID, community: UUID) async throws -> [MoveInCase] {
        try await load(try await MoveInModel.query(on: db).filter(\.$unitID == unit).filterCommunityBesideANarrowerKey(community).sort(\.$openedAt, .descending).limit(100).all())
    }

    /// A community's move-ins (of some areas), in progress first, newest first.
    public func cases(community: UUID, areas: Set<UUID>? = nil, limit: Int = 200) async throws -> [MoveInCase] {
        let q = MoveInModel.query(on: db).filter(\.$communityID == community)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        let all = try await load(try await q.sort(\.$openedAt, .descending).limit(max(1, min(limit, 1000))).all())
        return all.filter { $0.status != .completed } + all.filter { $0.status == .completed }
    }

    func load(_ models: [MoveInModel]) async throws -> [MoveInCase] {
        let ids = models.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let defects = Dictionary(grouping: try await MoveInDefectModel.query(on: db).filter(\.$moveInID ~~ ids).sort(\.$createdAt).all(), by: \.moveInID)
        let files = Dictionary(grouping: try await MoveInFileModel.query(on: db).filter(\.$moveInID ~~ ids).sort(\.$at).all(), by: \.moveInID)
        return models.map { m in
            m.domain(defects: (defects[m.id!] ?? []).map(\.domain), files: (files[m.id!] ?? []).compactMap(\.domain))
        }
    }

    /// The units a move-in may be opened for (not parking), for the form's typeahead.
    public func units(community: UUID, areas: Set<UUID>?) async throws -> [(id: UUID, label: String)] {
        let q = UnitModel.query(on: db).filter(\.$communityID == community).filter(\.$kind != UnitKind.parking.rawValue)
        if let areas { q.filter(\.$areaID ~~ Array(areas)) }
        let ids = try await q.limit(20_000).all().compactMap(\.id)
        let labels = try await RegistryStore.unitLabels(Set(ids), on: db)
        return ids.map { ($0, labels[$0] ?? "") }.sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
    }

    // MARK: Steps

    static let completedError = DomainError.conflict(code: "move_in_completed", Message(zh: "入住已办结,不能再修改", en: "The move-in is completed; nothing more can be changed"))

    /// Runs one step on a case still in progress: the case is held and read afresh inside the
    /// transaction, so two desks never write over each other.
    func step<T: Sendable>(_ id: UUID, _ body: @escaping @Sendable (MoveInCase, any Database) async throws -> T) async throws -> T {
        try await db.writeTransaction { tx in
            guard let m = try await tx.lockedFind(MoveInModel.self, id), let c = try await MoveInStore(db: tx, now: now, outbox: outbox).load([m]).first else {
                throw DomainError.notFound(Noun.moveIn)
            }
            return try await body(c, tx)
        }
    }

    /// A scan of a document, or the drawn signature of an agreement or of the inspection sign-off,
    /// attached as evidence on the case and recorded as that item. The same file sent twice is
    /// kept once and recorded once.
    public func addFile(_ id: UUID, item: MoveInFileItem, upload: EvidenceStore.Upload, fileName: String = "", by actor: Actor) async throws -> MoveInCase {
        guard upload.kind == (item.isSignature ? .signature : .document) else {
            throw DomainError.invalid(field: "file", item.isSignature ? Message(zh: "请在签名框内签名", en: "Sign in the box")
                                                                        : Message(zh: "请上传扫描件(PDF 或图片)", en: "Upload a scan (PDF or image)"))
        }
        let name = String(fileName.trimmingCharacters(in: .whitespaces).prefix(80))
        let caption = "\(item.key) · \(item.title.zhHans)" + (name.isEmpty ? "" : " · \(name)")
        let file = EvidenceStore.Upload(kind: upload.kind, contentType: upload.contentType, size: upload.size, digest: upload.digest, caption: caption,
                                        signedBy: upload.signedBy, bytes: upload.bytes)
        let at = now()
        let label = try await caseLabel(id)
        return try await step(id) { c, tx in
            guard c.status != .completed else { throw Self.completedError }
            switch item {
            case .document(let d):
                guard c.requiredDocuments.contains(d) else {
                    throw DomainError.invalid(field: "document", Message(zh: "\(d.title.zhHans)不是本次办理所需资料", en: "\(d.title.en) is not needed for this move-in"))
                }
            case .agreement: break
            case .inspectionSignOff:
                guard c.inspection != nil else {
                    throw DomainError.conflict(code: "move_in_not_inspected", Message(zh: "尚未验房,业主不能签字确认", en: "Not inspected yet: the owner cannot sign it off"))
                }
                if let open = c.defects.first(where: { !$0.passed }) {
                    throw DomainError.conflict(code: "move_in_defect_open", Message(zh: "缺陷尚未复检合格:\(open.text)(\(open.orderNumber))",
                                                                                   en: "A defect is not re-inspected yet: \(open.text) (\(open.orderNumber))"))
                }
            }
            let subject = Self.subject(c, label: label)
            let added = try await EvidenceStore(db: tx, now: { at }).attach([file], to: subject, by: actor, at: at, limit: Evidence.maxPerSubject)
            let evidence: UUID
            if let e = added.first {
                evidence = e.id
            } else if let same = try await EvidenceModel.query(on: tx).filter(\.$subjectKind == SubjectKind.moveIn.rawValue).filter(\.$subjectID == c.id)
                .filter(\.$digest == file.digest).first()?.id {
                evidence = same
            } else {
                throw DomainError.notFound(Noun.subject)
            }
            var out = c
            if c.file(item)?.evidenceID != evidence {
                try await MoveInFileModel(moveIn: c.id, community: c.communityID, item: item, evidence: evidence, at: at, byName: actor.name).create(on: tx)
                var data = ["item": item.key, "evidence": evidence.uuidString, "digest": String(file.digest.prefix(16))]
                if let s = file.signedBy { data["signedBy"] = s }
                try await TimelineStore(db: tx).append([Self.entry(c, item.isSignature ? "signed" : "document", actor, at, note: item.title.zhHans, data: data)])
                out.files.append(MoveInFile(item: item, evidenceID: evidence, at: at))
            }
            return out
        }
    }

    func caseLabel(_ id: UUID) async throws -> String {
        guard let m = try await MoveInModel.find(id, on: db) else { throw DomainError.notFound(Noun.moveIn) }
        let unit = try await RegistryStore.unitLabels([m.unitID], on: db)[m.unitID] ?? ""
        return "\(unit) · \(m.buyerName)"
    }

    /// 住户登记表: filled in (or corrected) while the case is in progress.
    public func register(_ id: UUID, _ r: ResidentRegistration, by actor: Actor) async throws -> MoveInCase {
        let owner = try Self.required(r.ownerName, field: "ownerName", max: 60, Message(zh: "业主姓名", en: "Owner's name"))
        let phone = try Validate.phone(r.phone, field: "phone")
        guard (1...30).contains(r.householdMembers) else {
            throw DomainError.invalid(field: "householdMembers", Message(zh: "家庭成员人数应在 1 至 30 之间", en: "Household members: 1 to 30"))
        }
        let contact = try Self.required(r.emergencyContact, field: "emergencyContact", max: 60, Message(zh: "紧急联系人", en: "Emergency contact"))
        let contactPhone = try Validate.phone(r.emergencyPhone, field: "emergencyPhone")
        let at = now()
        return try await step(id) { c, tx in
            guard c.status != .completed else { throw Self.completedError }
            try await MoveInModel.query(on: tx).filter(\.$id == id).set(\.$regOwnerName, to: owner).set(\.$regPhone, to: phone)
                .set(\.$regMembers, to: r.householdMembers).set(\.$regEmergencyContact, to: contact).set(\.$regEmergencyPhone, to: contactPhone).update()
            try await TimelineStore(db: tx).append([Self.entry(c, "registered", actor, at, data: [
                "owner": owner, "phone": Mask.phone(phone), "members": String(r.householdMembers), "emergencyContact": contact,
            ])])
            var out = c
            out.registration = ResidentRegistration(ownerName: owner, phone: phone, householdMembers: r.householdMembers, emergencyContact: contact,
                                                    emergencyPhone: contactPhone)
            return out
        }
    }

    /// Who hands the keys to the center at move-in, in the key ledger.
    static let developer = "开发商"

    /// Keys, 住户手册 and 房屋水电图 handed to the owner (S4 篇1 1③). The keys are handed once: in
    /// the same transaction the key ledger records them received from the developer and handed
    /// over to the buyer (FD-5), so the ledger's history of the unit is complete. The handbook
    /// and drawings may follow later; the same form sent again changes nothing.
    public func handOver(_ id: UUID, _ h: MoveInHandover, by actor: Actor) async throws -> MoveInCase {
        guard (0...50).contains(h.keys) else { throw DomainError.invalid(field: "keys", Message(zh: "钥匙数量应在 0 至 50 把之间", en: "0 to 50 keys")) }
        let at = now()
        return try await step(id) { c, tx in
            guard c.status != .completed else { throw Self.completedError }
            let before = c.handover ?? MoveInHandover(keys: 0, handbook: false, drawings: false)
            if before.keys > 0 && h.keys > 0 && h.keys != before.keys {
                throw DomainError.conflict(code: "keys_handed", Message(zh: "钥匙已交付 \(before.keys) 把,不能再改为 \(h.keys) 把", en: "\(before.keys) keys were handed over already; cannot change to \(h.keys)"))
            }
            let newKeys = before.keys == 0 ? h.keys : 0
            let after = MoveInHandover(keys: before.keys + newKeys, handbook: before.handbook || h.handbook, drawings: before.drawings || h.drawings)
            guard after != before || c.handover == nil else { return c }
            guard after.keys > 0 || after.handbook || after.drawings else {
                throw DomainError.invalid(field: "keys", Message(zh: "请填写交付的钥匙数量或勾选交付的物品", en: "Enter the keys handed over or tick what was handed over"))
            }
            if newKeys > 0 {
                _ = try await tx.lockRows(UnitModel.schema, community: c.communityID, ids: [c.unitID], skipLocked: false)
                let movements = try await KeyMovementModel.query(on: tx).filter(\.$communityID == c.communityID).filter(\.$unitID == c.unitID).sort(\.$at).all().map(\.domain)
                var holding = KeyHolding.replay(unit: c.unitID, movements)
                // Handed on the moment after they came in, so the ledger replays them in that order.
                let received = KeyMovement(communityID: c.communityID, unitID: c.unitID, kind: .received, count: newKeys, party: Self.developer,
                                           purpose: "入住交付 / Move-in", at: at, byName: actor.name)
                let handed = KeyMovement(communityID: c.communityID, unitID: c.unitID, kind: .handedBack, count: newKeys, party: c.buyerName,
                                         purpose: "入住交付 / Move-in", at: at.addingTimeInterval(0.001), byName: actor.name)
                try holding.apply(received)
                try holding.apply(handed)
                try await KeyMovementModel(received).create(on: tx)
                try await KeyMovementModel(handed).create(on: tx)
            }
            try await MoveInModel.query(on: tx).filter(\.$id == id).set(\.$keysHanded, to: after.keys).set(\.$handbookHanded, to: after.handbook)
                .set(\.$drawingsHanded, to: after.drawings).set(\.$handedOverAt, to: at).update()
            try await TimelineStore(db: tx).append([Self.entry(c, "handed_over", actor, at, data: [
                "keys": String(after.keys), "handbook": after.handbook ? "yes" : "no", "drawings": after.drawings ? "yes" : "no",
            ])])
            var out = c
            out.handover = after
            return out
        }
    }

    static func checkMoney(_ fen: Int, field: String) throws {
        guard (0...100_000_000).contains(fen) else {
            throw DomainError.invalid(field: field, Message(zh: "金额应在 0 至 100 万元之间", en: "An amount between 0 and 1,000,000 yuan"))
        }
    }

    /// "2026-11-01": a plain date, checked.
    static func day(_ raw: String, field: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "-").compactMap { Int($0) }
        guard t.count == 10, parts.count == 3, (2000...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            throw DomainError.invalid(field: field, Message(zh: "日期格式应为 2026-11-01", en: "A date looks like 2026-11-01"))
        }
        return t
    }

    /// The first fees, noted (S4 篇3 (3)): posted by the fees capability, not here.
    public func noteFees(_ id: UUID, _ f: MoveInFees, by actor: Actor) async throws -> MoveInCase {
        let from = try Self.day(f.managementFeeFrom, field: "managementFeeFrom")
        try Self.checkMoney(f.managementFeeFen, field: "managementFee")
        guard f.managementFeeFen > 0 else {
            throw DomainError.invalid(field: "managementFee", Message(zh: "请填写每月物业管理费", en: "Enter the monthly management fee"))
        }
        try Self.checkMoney(f.movingDepositFen, field: "movingDeposit")
        try Self.checkMoney(f.utilitiesDepositFen, field: "utilitiesDeposit")
        let at = now()
        return try await step(id) { c, tx in
            guard c.status != .completed else { throw Self.completedError }
            try await MoveInModel.query(on: tx).filter(\.$id == id).set(\.$feeFrom, to: from).set(\.$managementFeeFen, to: f.managementFeeFen)
                .set(\.$movingDepositFen, to: f.movingDepositFen).set(\.$utilitiesDepositFen, to: f.utilitiesDepositFen).update()
            try await TimelineStore(db: tx).append([Self.entry(c, "fees_noted", actor, at, data: [
                "from": from, "managementFeeFen": String(f.managementFeeFen), "movingDepositFen": String(f.movingDepositFen),
                "utilitiesDepositFen": String(f.utilitiesDepositFen),
            ])])
            var out = c
            out.fees = MoveInFees(managementFeeFrom: from, managementFeeFen: f.managementFeeFen, movingDepositFen: f.movingDepositFen,
                                  utilitiesDepositFen: f.utilitiesDepositFen)
            return out
        }
    }

    /// The joint inspection (S4 篇1 1⑤): the meters read with the owner, and each defect found
    /// filed as a developer-warranty work order (from the desk's walk-in channel, for the unit,
    /// the buyer as contact) linked to the case — all in one transaction. Recorded once;
    /// `formID` is made when the form is drawn, so the same form sent again files nothing twice.
    public func inspect(_ id: UUID, formID: UUID, meters: MeterReadings, defects raw: [String], by actor: Actor) async throws -> MoveInCase {
        for v in [meters.waterThousandths, meters.electricityThousandths, meters.gasThousandths ?? 0] where !(0...MeterReadings.maxThousandths).contains(v) {
            throw DomainError.invalid(field: "meters", Message(zh: "表读数超出范围", en: "A meter reading is out of range"))
        }
        let defects = try raw.map { try Validate.text($0, field: "defects", max: 200, required: false) }.filter { !$0.isEmpty }
        guard defects.count <= 30 else {
            throw DomainError.invalid(field: "defects", Message(zh: "一次验房最多登记 30 项缺陷", en: "At most 30 defects per inspection"))
        }
        let at = now()
        let (now, outbox) = (self.now, self.outbox)
        let label = try await caseLabel(id)
        return try await step(id) { c, tx in
            if let done = c.inspection {
                let same = try await MoveInModel.find(id, on: tx)?.inspectionFormID == formID
                guard same else {
                    throw DomainError.conflict(code: "move_in_inspected", Message(zh: "已于 \(Self.iso(done.at)) 验房,不能重复登记", en: "Inspected already at \(Self.iso(done.at))"))
                }
                return c
            }
            guard c.status != .completed else { throw Self.completedError }
            let orders = WorkOrderStore(db: tx, now: now, outbox: outbox)
            let unitLabel = try await RegistryStore.unitLabels([c.unitID], on: tx)[c.unitID] ?? ""
            var out = c
            for text in defects {
                let draft = OrderDraft(communityID: c.communityID, kind: .warranty, channel: .walkIn, unitID: c.unitID, buildingID: c.buildingID,
                                       areaID: c.areaID, location: unitLabel, contactName: c.buyerName, contactPhone: c.buyerPhone,
                                       description: "入住验房发现:\(text)")
                let order = try await orders.createInside(draft, photos: [], by: actor, at: at)
                let defect = MoveInDefect(caseID: c.id, text: text, orderID: order.id, orderNumber: order.number)
                try await MoveInDefectModel(defect, community: c.communityID, at: at).create(on: tx)
                out.defects.append(defect)
            }
            try await MoveInModel.query(on: tx).filter(\.$id == id).set(\.$inspectionFormID, to: formID).set(\.$inspectedAt, to: at)
                .set(\.$inspectedByName, to: actor.name).set(\.$waterThousandths, to: meters.waterThousandths)
                .set(\.$electricityThousandths, to: meters.electricityThousandths).set(\.$gasThousandths, to: meters.gasThousandths)
                .set(\.$status, to: MoveInStatus.inspecting.rawValue).update()
            var data = ["water": MeterReadings.format(meters.waterThousandths), "electricity": MeterReadings.format(meters.electricityThousandths),
                        "gas": meters.gasThousandths.map(MeterReadings.format) ?? "-", "defects": String(out.defects.count), "case": label]
            if !out.defects.isEmpty { data["orders"] = out.defects.map(\.orderNumber).joined(separator: " ") }
            try await TimelineStore(db: tx).append([Self.entry(c, "inspected", actor, at, note: defects.isEmpty ? nil : defects.joined(separator: ";"), data: data)])
            out.inspection = MoveInInspection(at: at, byName: actor.name, meters: meters)
            out.status = .inspecting
            return out
        }
    }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    /// One defect re-inspected and passed with the owner (S4 篇1 1⑤): only once its warranty
    /// order's work is done. Passed already: nothing changes.
    public func reinspect(_ id: UUID, defect: UUID, by actor: Actor) async throws -> MoveInCase {
        let at = now()
        return try await step(id) { c, tx in
            guard c.status != .completed else { throw Self.completedError }
            guard let d = c.defects.first(where: { $0.id == defect }) else { throw DomainError.notFound(Noun.moveInDefect) }
            if d.passed { return c }
            guard let order = try await WorkOrderModel.find(d.orderID, on: tx)?.domain else { throw DomainError.notFound(Noun.order) }
            guard MoveInDefect.reinspectable(order.status) else {
                throw DomainError.conflict(code: "warranty_order_open", Message(
                    zh: "保修工单 \(order.number) 当前为「\(order.status.title.zhHans)」,完工后才能复检", en: "Warranty order \(order.number) is \(order.status.title.en.lowercased()): re-inspect once it is done"))
            }
            try await MoveInDefectModel.query(on: tx).filter(\.$id == defect).set(\.$reinspectedAt, to: at).set(\.$reinspectedByName, to: actor.name).update()
            try await TimelineStore(db: tx).append([Self.entry(c, "reinspected", actor, at, note: d.text, data: ["order": order.number, "passed": "yes"])])
            var out = c
            if let i = out.defects.firstIndex(where: { $0.id == defect }) {
                out.defects[i].reinspectedAt = at
                out.defects[i].reinspectedBy = actor.name
            }
            return out
        }
    }

    /// Completes the move-in: refused, naming each item, while a required document, the
    /// registration form, a signature, an item handed over, the fees, the inspection or an
    /// open defect is missing. Completed, the case and its files stand in the unit's resident file.
    public func complete(_ id: UUID, by actor: Actor) async throws -> MoveInCase {
        let at = now()
        return try await step(id) { c, tx in
            if c.status == .completed { return c }
            let missing = c.missing()
            guard missing.isEmpty else { throw MoveInCase.incomplete(missing) }
            try await MoveInModel.query(on: tx).filter(\.$id == id).set(\.$status, to: MoveInStatus.completed.rawValue).set(\.$completedAt, to: at)
                .set(\.$completedByName, to: actor.name).update()
            try await TimelineStore(db: tx).append([Self.entry(c, "completed", actor, at, data: [
                "files": String(c.files.count), "defects": String(c.defects.count), "keys": String(c.handover?.keys ?? 0),
            ])])
            try await AuditLog(db: tx).record(actor, .update, entity: "move_in", id: c.id, community: c.communityID,
                                              before: ["status": c.status.rawValue], after: ["status": MoveInStatus.completed.rawValue], at: at)
            var out = c
            out.status = .completed
            out.completedAt = at
            out.completedByName = actor.name
            return out
        }
    }
}
