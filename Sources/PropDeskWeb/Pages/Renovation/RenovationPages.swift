import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Renovation files in pages (FLD-4, S0 5, S4 篇3): the list and the desk's registration form;
/// one file with its documents checklist, deposit and protection, approval, inspections and
/// violations (notice → stop → report, each with photos); and the printed permit, notice and
/// report.
enum RenovationPages {
    enum S {
        static let title = Message(zh: "装修管理", en: "Renovations")
        static let register = Message(zh: "登记装修申请", en: "Register a renovation")
        static let building = Message(zh: "楼栋", en: "Building")
        static let room = Message(zh: "房号", en: "Room")
        static let applicant = Message(zh: "申请人(业主)", en: "Applicant (owner)")
        static let applicantPhone = Message(zh: "申请人电话", en: "Applicant's phone")
        static let contractor = Message(zh: "施工单位", en: "Contractor")
        static let contractorPhone = Message(zh: "施工单位电话", en: "Contractor's phone")
        static let works = Message(zh: "装修项目", en: "Works")
        static let startsOn = Message(zh: "开工日期", en: "Starts on")
        static let endsOn = Message(zh: "完工日期", en: "Ends on")
        static let deposit = Message(zh: "装修押金(元)", en: "Deposit (yuan)")
        static let every = Message(zh: "巡查频次(每几天一次)", en: "Inspect every (days)")
        static let protection = Message(zh: "公共区域保护措施", en: "Common-area protection")
        static let protectionHint = Message(zh: "例:电梯轿厢已加装防护板,楼道地面铺设保护膜", en: "e.g. lift car lined with boards, corridor floor covered")
        static let save = Message(zh: "保存", en: "Save")
        static let number = Message(zh: "编号", en: "Number")
        static let unit = Message(zh: "房屋", en: "Unit")
        static let status = Message(zh: "状态", en: "Status")
        static let none = Message(zh: "暂无装修档案。", en: "No renovation files yet.")
        static let documents = Message(zh: "申报资料", en: "Documents")
        static let received = Message(zh: "已收", en: "Received")
        static let missingDoc = Message(zh: "未收", en: "Missing")
        static let upload = Message(zh: "上传扫描件", en: "Upload a scan")
        static let approve = Message(zh: "批准装修", en: "Approve")
        static let missing = Message(zh: "尚缺:", en: "Still missing: ")
        static let permit = Message(zh: "打印装修许可证", en: "Print the permit")
        static let permitTitle = Message(zh: "装修施工许可证", en: "Renovation permit")
        static let inspections = Message(zh: "装修巡查记录", en: "Inspections")
        static let inspect = Message(zh: "记录巡查", en: "Record an inspection")
        static let ok = Message(zh: "正常", en: "In order")
        static let problem = Message(zh: "发现问题", en: "Problem found")
        static let completion = Message(zh: "完工验收(合格即结案)", en: "Completion inspection (closes the file when passed)")
        static let note = Message(zh: "情况说明", en: "Note")
        static let photos = Message(zh: "照片", en: "Photos")
        static let violations = Message(zh: "违章处理", en: "Violations")
        static let newViolation = Message(zh: "发出违章整改通知", en: "Issue a violation notice")
        static let rule = Message(zh: "违反的规定", en: "Rule broken")
        static let requirement = Message(zh: "整改要求", en: "What must be done")
        static let deadline = Message(zh: "整改期限", en: "Deadline")
        static let issue = Message(zh: "发出通知", en: "Issue the notice")
        static let authority = Message(zh: "上报单位", en: "Reported to")
        static let notice = Message(zh: "打印整改通知书", en: "Print the notice")
        static let noticeTitle = Message(zh: "违章装修整改通知书", en: "Renovation violation notice")
        static let report = Message(zh: "打印书面报告", en: "Print the report")
        static let reportTitle = Message(zh: "违章装修情况报告", en: "Report of a renovation violation")
        static let correct = Message(zh: "更正通知(原通知保留)", en: "Correct the notice (the original stays)")
        static let reason = Message(zh: "更正原因", en: "Why it is corrected")
        static let timeline = Message(zh: "记录(防篡改)", en: "Record (tamper-evident)")
        static let toInspect = Message(zh: "今天待巡查的装修", en: "Renovations to inspect today")
        static let corrects = Message(zh: "更正第 %@ 条记录", en: "Corrects entry %@")
        static let signature = Message(zh: "签收人:____________  日期:____________", en: "Received by: ____________  Date: ____________")
    }

    static func yuan(_ fen: Int) -> String { String(format: "%d.%02d", fen / 100, fen % 100) }

    /// "1280.50" yuan → 128050 fen; empty → nil.
    static func fen(_ raw: String?, field: String) throws -> Int? {
        let t = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole <= 1_000_000,
              parts.count == 1 || (parts[1].count <= 2 && parts[1].allSatisfy(\.isNumber)) else {
            throw DomainError.invalid(field: field, Message(zh: "金额格式应为 2000 或 2000.50", en: "An amount looks like 2000 or 2000.50"))
        }
        let cents = parts.count == 2 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0 : 0
        return whole * 100 + cents
    }

    // MARK: List and registration

    /// GET /c/:cid/renovations
    static func list(_ req: Request) async throws -> Response {
        let (p, policy) = try req.requireStaff()
        try RenovationAccess.requireAny(policy)
        guard let raw = req.parameters.get("cid") else { throw DomainError.notFound(Noun.community) }
        let (cid, files) = try await RenovationAccess.list(community: raw, req)
        guard let community = try await req.store.registry.community(cid) else { throw DomainError.notFound(Noun.community) }
        let lang = req.language
        let units = try await req.store.registry.unitLabels(Set(files.map(\.unitID)))
        let communities = try await req.store.registry.communityList(visible: policy.visibleCommunityIDs)
        let head = [S.number, S.unit, S.applicant, S.works, S.startsOn, S.status]
        var kids: [BodyNode] = [files.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) :
            H.el("table", [("class", "register"), ("id", "renovations")], [H.el("tr", [], head.map { H.el("th", [], text: $0.text(lang)) })] + files.map { r in
                H.el("tr", [("data-status", r.status.rawValue)], [
                    H.el("td", [], [H.link(r.number, Routes.renovation(r.id))]), H.el("td", [], text: units[r.unitID] ?? ""),
                    H.el("td", [], text: r.applicant), H.el("td", [], text: r.works), H.el("td", [], text: "\(r.startsOn) – \(r.endsOn)"),
                    H.el("td", [], text: r.status.title.text(lang)),
                ])
            })]
        if policy.has(.registerRenovations) {
            let buildings = try await req.store.registry.buildings(community: cid, areas: { if case .areas(let a) = policy.reach(cid) { return a }; return nil }())
            kids.append(H.el("details", [("class", "card"), ("id", "register-renovation")] + (files.isEmpty ? [("open", "open")] : []), [
                H.el("summary", [], text: S.register.text(lang)),
                H.form(Routes.renovations(cid), [("id", "renovation-form")], [
                    H.field(S.building.text(lang), "rv-building", H.select("rv-building", name: "buildingId", buildings.map { ($0.id.uuidString, $0.name) }, selected: nil)),
                    H.field(S.room.text(lang), "rv-room", H.input([("type", "text"), ("id", "rv-room"), ("name", "room"), ("required", "required"), ("maxlength", "20")])),
                    H.field(S.applicant.text(lang), "rv-applicant", H.input([("type", "text"), ("id", "rv-applicant"), ("name", "applicant"), ("required", "required"), ("maxlength", "60")])),
                    H.field(S.applicantPhone.text(lang), "rv-phone", H.input([("type", "tel"), ("id", "rv-phone"), ("name", "applicantPhone"), ("required", "required")])),
                    H.field(S.contractor.text(lang), "rv-contractor", H.input([("type", "text"), ("id", "rv-contractor"), ("name", "contractor"), ("required", "required"), ("maxlength", "100")])),
                    H.field(S.contractorPhone.text(lang), "rv-cphone", H.input([("type", "tel"), ("id", "rv-cphone"), ("name", "contractorPhone"), ("required", "required")])),
                    H.field(S.works.text(lang), "rv-works", H.input([("type", "text"), ("id", "rv-works"), ("name", "works"), ("required", "required"), ("maxlength", "500")])),
                    H.field(S.startsOn.text(lang), "rv-start", H.input([("type", "date"), ("id", "rv-start"), ("name", "startsOn"), ("required", "required")])),
                    H.field(S.endsOn.text(lang), "rv-end", H.input([("type", "date"), ("id", "rv-end"), ("name", "endsOn"), ("required", "required")])),
                    H.field(S.deposit.text(lang), "rv-deposit", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "rv-deposit"), ("name", "deposit")])),
                    H.field(S.every.text(lang), "rv-every", H.input([("type", "number"), ("min", "1"), ("max", "30"), ("id", "rv-every"), ("name", "inspectEveryDays"), ("value", "1")])),
                    H.button(S.register.text(lang), [("id", "rv-submit")]),
                ]),
            ]))
        }
        _ = p
        return Layout.page(title: S.title, request: req, frame: Frame(community: community), communities: communities, kids)
    }

    struct RegisterForm: Content {
        var buildingId: String?
        var room: String?
        var applicant: String?
        var applicantPhone: String?
        var contractor: String?
        var contractorPhone: String?
        var works: String?
        var startsOn: String?
        var endsOn: String?
        var deposit: String?
        var inspectEveryDays: String?
    }

    /// POST /c/:cid/renovations
    static func register(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("cid") ?? ""
        let (cid, _) = try Scoped.community(raw, .registerRenovations, req)
        do {
            let f = try req.content.decode(RegisterForm.self)
            let building = try Parse.uuid(f.buildingId ?? "", field: "buildingId")
            let room = try Validate.text(f.room ?? "", field: "room", max: 20, required: true)
            guard let unit = try await req.store.renovations.unit(community: cid, building: building, room: room) else {
                throw DomainError.invalid(field: "room", Message(zh: "该楼栋没有房号 \(room)", en: "The building has no room \(room)"))
            }
            let every = Int((f.inspectEveryDays ?? "1").trimmingCharacters(in: .whitespaces)) ?? 0
            let r = try await RenovationAccess.register(community: raw, .init(
                unitID: unit, applicant: f.applicant ?? "", applicantPhone: f.applicantPhone ?? "", contractor: f.contractor ?? "",
                contractorPhone: f.contractorPhone ?? "", works: f.works ?? "", startsOn: f.startsOn ?? "", endsOn: f.endsOn ?? "",
                depositFen: try fen(f.deposit, field: "deposit") ?? 0, inspectEveryDays: every), req)
            Flash.set(req, Message(zh: "已登记 \(r.number),请收齐资料后报批", en: "Registered \(r.number); collect the documents, then approve"))
            return req.redirect(to: Routes.renovation(r.id), redirectType: .normal)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
            return req.redirect(to: Routes.renovations(cid), redirectType: .normal)
        }
    }

    // MARK: One file

    /// GET /renovations/:rid
    static func show(_ req: Request) async throws -> Response {
        let r = try await RenovationAccess.renovation(req.parameters.get("rid") ?? "", req)
        let (_, policy) = try req.requireStaff()
        let lang = req.language
        guard let community = try await req.store.registry.community(r.communityID) else { throw DomainError.notFound(Noun.community) }
        let time = LocalTime(community.timeZone)
        let units = try await req.store.registry.unitLabels([r.unitID])
        let files = try await req.store.evidence.list(.renovation, r.id)
        let captions = files.filter { $0.kind == .document }.map(\.caption)
        let missing = r.missing(documentCaptions: captions)
        let inspections = try await req.store.renovations.inspections(renovation: r.id)
        let violations = try await req.store.renovations.violations(renovation: r.id)
        let entries = try await req.store.timelines.entries(.renovation, r.id)
        let open = r.status != .closed
        let facts: [(Message, String)] = [
            (S.unit, units[r.unitID] ?? ""), (S.status, r.status.title.text(lang)), (S.applicant, "\(r.applicant) \(Mask.phone(r.applicantPhone))"),
            (S.contractor, "\(r.contractor) \(Mask.phone(r.contractorPhone))"), (S.works, r.works), (S.startsOn, "\(r.startsOn) – \(r.endsOn)"),
            (S.deposit, yuan(r.depositFen)), (S.every, "\(r.inspectEveryDays)"), (S.protection, r.protection.isEmpty ? "—" : r.protection),
        ]
        var kids: [BodyNode] = [
            H.el("p", [], [H.link(S.title.text(lang), Routes.renovations(r.communityID))]),
            H.el("section", [("class", "card")], [H.el("dl", [("class", "facts")], facts.map { H.el("div", [], [H.el("dt", [], text: $0.0.text(lang)), H.el("dd", [], text: $0.1)]) })]),
        ]
        // Documents, deposit, protection (S4 篇3), and approval.
        var docs: [BodyNode] = [H.el("h2", [], text: S.documents.text(lang))]
        docs.append(H.el("ul", [("class", "doc-checklist"), ("id", "doc-checklist")], RenovationDocument.allCases.map { doc in
            let scan = files.first { $0.kind == .document && doc.matches(caption: $0.caption) }
            var li: [BodyNode] = [H.el("span", [("class", scan == nil ? "missing" : "received")], text: (scan == nil ? "✗ " : "✓ ") + doc.title.text(lang)), .text(" ")]
            if let scan { li.append(H.link(S.received.text(lang), Routes.evidence(scan.id))) }
            if open && policy.has(.registerRenovations) {
                li.append(H.form(Routes.renovationDocuments(r.id), [("enctype", "multipart/form-data"), ("class", "inline doc-upload"), ("id", "doc-\(doc.rawValue)")], [
                    H.hidden("document", doc.rawValue),
                    H.input([("type", "file"), ("name", "file"), ("accept", "application/pdf,image/jpeg,image/png"), ("required", "required"), ("aria-label", "\(S.upload.text(lang)) · \(doc.title.text(lang))")]),
                    H.button(S.upload.text(lang), primary: false),
                ]))
            }
            return H.el("li", [("data-document", doc.rawValue), ("data-received", scan == nil ? "no" : "yes")], li)
        }))
        if open && policy.has(.registerRenovations) {
            docs.append(H.form(Routes.renovationUpdate(r.id), [("class", "renovation-update"), ("id", "renovation-update")], [
                H.field(S.deposit.text(lang), "rv-deposit", H.input([("type", "text"), ("inputmode", "decimal"), ("id", "rv-deposit"), ("name", "deposit"), ("value", r.depositFen > 0 ? yuan(r.depositFen) : "")])),
                H.field(S.protection.text(lang), "rv-protection", H.input([("type", "text"), ("id", "rv-protection"), ("name", "protection"), ("maxlength", "500"), ("value", r.protection), ("placeholder", S.protectionHint.text(lang))])),
                H.field(S.every.text(lang), "rv-every", H.input([("type", "number"), ("min", "1"), ("max", "30"), ("id", "rv-every"), ("name", "inspectEveryDays"), ("value", String(r.inspectEveryDays))])),
                H.button(S.save.text(lang), primary: false),
            ]))
        }
        if r.status == .applied {
            if !missing.isEmpty { docs.append(H.el("p", [("class", "error"), ("id", "approval-missing")], text: S.missing.text(lang) + missing.map { $0.text(lang) }.joined(separator: lang == .en ? ", " : "、"))) }
            if policy.has(.approveRenovations) {
                docs.append(H.form(Routes.renovationApprove(r.id), [("class", "step"), ("id", "approve-form")], [H.button(S.approve.text(lang), [("id", "approve")])]))
            }
        } else {
            docs.append(H.el("p", [], [H.link(S.permit.text(lang), Routes.renovationPermit(r.id), [("class", "button secondary"), ("id", "permit-link")])]))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "documents")], docs))
        // Inspections (S0 5.4).
        var insp: [BodyNode] = [H.el("h2", [], text: S.inspections.text(lang))]
        if r.status == .approved && policy.has(.inspectRenovations) {
            insp.append(H.form(Routes.renovationInspections(r.id), [("enctype", "multipart/form-data"), ("id", "inspection-form"), ("class", "inspection-form")], [
                H.el("div", [("class", "choices")], [
                    H.el("label", [("class", "choice pass")], [H.input([("type", "radio"), ("name", "result"), ("value", "pass"), ("checked", "checked"), ("id", "insp-pass")]), .text(" " + S.ok.text(lang))]),
                    H.el("label", [("class", "choice fail")], [H.input([("type", "radio"), ("name", "result"), ("value", "fail"), ("id", "insp-fail")]), .text(" " + S.problem.text(lang))]),
                ]),
                H.field(S.note.text(lang), "insp-note", H.input([("type", "text"), ("id", "insp-note"), ("name", "note"), ("maxlength", "1000")])),
                H.field(S.photos.text(lang), "insp-photos", H.input([("type", "file"), ("id", "insp-photos"), ("name", "photos[]"), ("accept", "image/*"), ("capture", "environment"), ("multiple", "multiple")])),
                H.el("label", [("class", "check")], [H.input([("type", "checkbox"), ("name", "completion"), ("value", "on"), ("id", "insp-completion")]), .text(" " + S.completion.text(lang))]),
                H.button(S.inspect.text(lang), [("id", "inspect")]),
            ]))
        }
        insp.append(H.el("ul", [("id", "inspections")], inspections.map { i in
            H.el("li", [("class", i.passed ? "" : "failed")], text: "\(time.format(i.at)) · \(i.byName) · \(i.completion ? S.completion.text(lang) + " · " : "")\(i.passed ? S.ok.text(lang) : S.problem.text(lang))\(i.note.isEmpty ? "" : ":" + i.note)")
        }))
        kids.append(H.el("section", [("class", "card")], insp))
        // Violations (S0 5.1).
        var viol: [BodyNode] = [H.el("h2", [], text: S.violations.text(lang))]
        for v in violations {
            let notice = try await req.store.renovations.notice(v.id)
            var card: [BodyNode] = [
                H.el("h3", [], text: "\(v.number) · \(v.status.title.text(lang))"),
                H.el("p", [], text: "\(S.rule.text(lang)):\(notice?.rule ?? "") · \(S.requirement.text(lang)):\(notice?.requirement ?? "") · \(S.deadline.text(lang)):\(time.format(v.deadline))"),
                H.el("p", [], [H.link(S.notice.text(lang), Routes.violationNotice(v.id), [("class", "button secondary")]), .text(" "),
                               v.status == .reported || v.status == .stopped ? H.link(S.report.text(lang), Routes.violationReport(v.id), [("class", "button secondary")]) : .text("")]),
            ]
            if v.status.isOpen && policy.has(.inspectRenovations) {
                for step in RenovationViolation.Step.allCases where step.allowed(from: v.status) {
                    card.append(H.form(Routes.violationStep(v.id, step.rawValue), [("enctype", "multipart/form-data"), ("class", "violation-step"), ("id", "\(step.rawValue)-\(v.number)")], [
                        H.input([("type", "text"), ("name", "note"), ("required", "required"), ("maxlength", "1000"), ("placeholder", S.note.text(lang)), ("aria-label", "\(step.title.text(lang)) · \(S.note.text(lang))")]),
                        step == .report ? H.input([("type", "text"), ("name", "authority"), ("required", "required"), ("maxlength", "100"), ("placeholder", S.authority.text(lang)), ("aria-label", S.authority.text(lang))]) : .text(""),
                        H.input([("type", "file"), ("name", "photos[]"), ("accept", "image/*"), ("multiple", "multiple"), ("aria-label", S.photos.text(lang))]),
                        H.button(step.title.text(lang), primary: step == .correct),
                    ]))
                }
                card.append(H.el("details", [], [H.el("summary", [], text: S.correct.text(lang)), H.form(Routes.violationCorrect(v.id), [("class", "violation-correct")], [
                    H.field(S.rule.text(lang), "cr-rule-\(v.number)", H.input([("type", "text"), ("id", "cr-rule-\(v.number)"), ("name", "rule"), ("required", "required"), ("value", notice?.rule ?? "")])),
                    H.field(S.requirement.text(lang), "cr-req-\(v.number)", H.input([("type", "text"), ("id", "cr-req-\(v.number)"), ("name", "requirement"), ("required", "required"), ("value", notice?.requirement ?? "")])),
                    H.field(S.deadline.text(lang), "cr-dl-\(v.number)", H.input([("type", "datetime-local"), ("id", "cr-dl-\(v.number)"), ("name", "deadline"), ("required", "required"), ("value", time.format(v.deadline, "yyyy-MM-dd'T'HH:mm"))])),
                    H.field(S.reason.text(lang), "cr-why-\(v.number)", H.input([("type", "text"), ("id", "cr-why-\(v.number)"), ("name", "reason"), ("required", "required")])),
                    H.button(S.correct.text(lang), primary: false),
                ])]))
            }
            card.append(timeline(try await req.store.timelines.entries(.renovationViolation, v.id), time, lang))
            // Photos of each step and signatures (who received the notice) are evidence on the violation.
            card.append(EvidencePages.section(try await req.store.evidence.list(.renovationViolation, v.id), subject: RenovationStore.subjectRef(v),
                                              canAdd: v.status.isOpen && policy.has(.inspectRenovations), time: time, lang, suffix: "-\(v.number)",
                                              title: Message(zh: "\(v.number) 照片与签名", en: "\(v.number): photos and signatures")))
            viol.append(H.el("div", [("class", "violation"), ("id", "violation-\(v.number)"), ("data-status", v.status.rawValue)], card))
        }
        if r.status == .approved && policy.has(.inspectRenovations) {
            viol.append(H.el("details", [("id", "new-violation")], [H.el("summary", [], text: S.newViolation.text(lang)),
                H.form(Routes.renovationViolations(r.id), [("enctype", "multipart/form-data"), ("id", "violation-form")], [
                    H.field(S.rule.text(lang), "vi-rule", H.input([("type", "text"), ("id", "vi-rule"), ("name", "rule"), ("required", "required"), ("maxlength", "300")])),
                    H.field(S.requirement.text(lang), "vi-req", H.input([("type", "text"), ("id", "vi-req"), ("name", "requirement"), ("required", "required"), ("maxlength", "500")])),
                    H.field(S.deadline.text(lang), "vi-deadline", H.input([("type", "datetime-local"), ("id", "vi-deadline"), ("name", "deadline"), ("required", "required")])),
                    H.field(S.photos.text(lang), "vi-photos", H.input([("type", "file"), ("id", "vi-photos"), ("name", "photos[]"), ("accept", "image/*"), ("capture", "environment"), ("multiple", "multiple")])),
                    H.button(S.issue.text(lang), [("id", "issue-notice")]),
                ]),
            ]))
        }
        kids.append(H.el("section", [("class", "card"), ("id", "violations")], viol))
        // Photos of inspections, scans, and signatures (the owner's on the permit or the completion).
        kids.append(EvidencePages.section(files, subject: SubjectRef(kind: .renovation, id: r.id, communityID: r.communityID, areaID: r.areaID, label: r.number),
                                          canAdd: open && policy.has(.registerRenovations), time: time, lang))
        kids.append(H.el("section", [("class", "card")], [H.el("h2", [], text: S.timeline.text(lang)), timeline(entries, time, lang)]))
        return Layout.page(title: Message(zh: "\(r.number) · \(units[r.unitID] ?? "")", en: "\(r.number) · \(units[r.unitID] ?? "")"), request: req,
                           frame: Frame(community: community), kids)
    }

    /// A patrol round's, a renovation file's or a violation's record, in the reader's language:
    /// each entry's number, time, who, what, its facts and the start of its seal.
    static func timeline(_ entries: [TimelineEntry], _ time: LocalTime, _ lang: Language) -> BodyNode {
        H.el("ol", [("class", "timeline")], entries.map { e in
            let facts = e.data.filter { !["from", "visit", "area"].contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return H.el("li", [("data-event", e.kind)], text: "#\(e.seq) \(time.format(e.at)) · \(OrderViews.person(e.actorName, lang)) · \(eventTitle(e.kind).text(lang))"
                        + "\(e.note.map { " · \($0)" } ?? "") · \(facts) · \(e.hash.prefix(12))")
        })
    }

    static func eventTitle(_ kind: String) -> Message {
        switch kind {
        case "registered": Message(zh: "登记", en: "Registered")
        case "updated": Message(zh: "更新押金/保护措施", en: "Deposit or protection recorded")
        case "approved": Message(zh: "批准", en: "Approved")
        case "inspected": Message(zh: "巡查", en: "Inspected")
        case "completion_inspected": Message(zh: "完工验收", en: "Completion inspection")
        case "closed": Message(zh: "结案", en: "Closed")
        case "violation": Message(zh: "发现违章", en: "Violation found")
        case "notice_issued": Message(zh: "发出整改通知", en: "Notice issued")
        case "notice_corrected": Message(zh: "更正整改通知", en: "Notice corrected")
        case "stop": Message(zh: "制止施工", en: "Works stopped")
        case "report": Message(zh: "书面上报", en: "Reported to the authority")
        case "correct": Message(zh: "已整改", en: "Corrected")
        case "deadline_passed": Message(zh: "期限已到", en: "Deadline passed")
        case "acknowledged": Message(zh: "提醒已确认", en: "Alert acknowledged")
        case "started": Message(zh: "开始巡查", en: "Round started")
        case "visited": Message(zh: "巡查检查点", en: "Checkpoint visited")
        case "finished": Message(zh: "结束巡查", en: "Round finished")
        case "drafted": Message(zh: "拟制", en: "Drafted")
        case "submitted": Message(zh: "报批", en: "Submitted")
        case "returned": Message(zh: "退回", en: "Returned")
        case "opened": Message(zh: "开始记录", en: "Log opened")
        case "review_overdue": Message(zh: "逾期未审阅", en: "Review overdue")
        case "recorded": Message(zh: "记录", en: "Recorded")
        case "spot_check": Message(zh: "抽查回访", en: "Spot check")
        case "posted": Message(zh: "已张贴", en: "Posted")
        case "printed": Message(zh: "已打印", en: "Printed")
        case "resolved": Message(zh: "已解决", en: "Settled")
        default: Message(zh: kind, en: kind)
        }
    }

    // MARK: Steps

    static func back(_ r: Renovation, _ req: Request, _ message: Message) -> Response {
        Flash.set(req, message)
        return req.redirect(to: Routes.renovation(r.id), redirectType: .normal)
    }

    static func refused(_ id: UUID, _ req: Request, _ e: DomainError) -> Response {
        Flash.set(req, e.message, error: true)
        return req.redirect(to: Routes.renovation(id), redirectType: .normal)
    }

    struct UpdateForm: Content { var deposit: String?; var protection: String?; var inspectEveryDays: String? }

    /// POST /renovations/:rid/update
    static func update(_ req: Request) async throws -> Response {
        let r = try await RenovationAccess.renovation(req.parameters.get("rid") ?? "", req, .registerRenovations)
        do {
            let f = try req.content.decode(UpdateForm.self)
            let every = try (f.inspectEveryDays).flatMap { $0.isEmpty ? nil : try Int($0).orThrow(field: "inspectEveryDays", Message(zh: "请填写天数", en: "Enter a number of days")) }
            let p = (f.protection ?? "").trimmingCharacters(in: .whitespaces)
            _ = try await req.store.renovations.update(r.id, depositFen: try fen(f.deposit, field: "deposit"), protection: p.isEmpty ? nil : p, inspectEveryDays: every, by: req.actor)
            return back(r, req, Message(zh: "已保存", en: "Saved"))
        } catch let e as DomainError { return refused(r.id, req, e) }
    }

    struct DocumentForm: Content { var document: String?; var file: File? }

    /// POST /renovations/:rid/documents
    static func addDocument(_ req: Request) async throws -> Response {
        let r = try await RenovationAccess.renovation(req.parameters.get("rid") ?? "", req, .registerRenovations)
        do {
            let f = try req.content.decode(DocumentForm.self)
            let doc = try RenovationDocument(rawValue: f.document ?? "").orThrow(field: "document", Message(zh: "请选择资料项", en: "Choose which document"))
            guard let file = f.file, file.data.readableBytes > 0 else { throw DomainError.invalid(field: "file", Message(zh: "请先选择文件", en: "Choose a file first")) }
            _ = try await RenovationAccess.addDocument(r, document: doc, bytes: Array(file.data.readableBytesView), fileName: file.filename, req)
            return back(r, req, Message(zh: "已收:\(doc.title.zhHans)", en: "Received: \(doc.title.en)"))
        } catch let e as DomainError { return refused(r.id, req, e) }
    }

    /// POST /renovations/:rid/approve
    static func approve(_ req: Request) async throws -> Response {
        let r = try await RenovationAccess.renovation(req.parameters.get("rid") ?? "", req, .approveRenovations)
        do {
            let a = try await req.store.renovations.approve(r.id, by: req.actor)
            return back(a, req, Message(zh: "已批准 \(a.number):请打印许可证张贴于门上", en: "Approved \(a.number): print the permit for the door"))
        } catch let e as DomainError { return refused(r.id, req, e) }
    }

    struct InspectionForm: Content { var result: String?; var note: String?; var completion: String? }

    static func photos(_ req: Request, caption: String) throws -> [EvidenceStore.Upload] {
        try Photos.files(req).map { try EvidenceStore.check($0.bytes, kind: .photo, caption: caption, signedBy: nil, field: "photos") }
    }

    /// POST /renovations/:rid/inspections
    static func inspect(_ req: Request) async throws -> Response {
        let r = try await RenovationAccess.renovation(req.parameters.get("rid") ?? "", req, .inspectRenovations)
        do {
            let f = try req.content.decode(InspectionForm.self)
            let i = try await req.store.renovations.inspect(r.id, passed: f.result != "fail", note: f.note ?? "", completion: f.completion == "on",
                                                            photos: try photos(req, caption: r.number), by: req.actor)
            return back(r, req, i.completion && i.passed ? Message(zh: "验收合格,已结案", en: "Passed the completion inspection; closed")
                                                         : Message(zh: "已记录巡查", en: "Inspection recorded"))
        } catch let e as DomainError { return refused(r.id, req, e) }
    }

    struct NoticeForm: Content { var rule: String?; var requirement: String?; var deadline: String?; var reason: String? }

    /// POST /renovations/:rid/violations
    static func issue(_ req: Request) async throws -> Response {
        let r = try await RenovationAccess.renovation(req.parameters.get("rid") ?? "", req, .inspectRenovations)
        do {
            let f = try req.content.decode(NoticeForm.self)
            guard let community = try await req.store.registry.community(r.communityID) else { throw DomainError.notFound(Noun.community) }
            let deadline = try LocalTime(community.timeZone).parse(f.deadline ?? "", field: "deadline")
                .orThrow(field: "deadline", Message(zh: "请填写整改期限", en: "Enter the deadline"))
            let v = try await req.store.renovations.issueNotice(renovation: r.id, rule: f.rule ?? "", requirement: f.requirement ?? "", deadline: deadline,
                                                               photos: try photos(req, caption: r.number), by: req.actor)
            return back(r, req, Message(zh: "已发出整改通知 \(v.number):请打印送达", en: "Notice \(v.number) issued: print and deliver it"))
        } catch let e as DomainError { return refused(r.id, req, e) }
    }

    /// POST /violations/:vid/correct
    static func correct(_ req: Request) async throws -> Response {
        let (v, r) = try await RenovationAccess.violation(req.parameters.get("vid") ?? "", req, .inspectRenovations)
        do {
            let f = try req.content.decode(NoticeForm.self)
            guard let community = try await req.store.registry.community(r.communityID) else { throw DomainError.notFound(Noun.community) }
            let deadline = try LocalTime(community.timeZone).parse(f.deadline ?? "", field: "deadline")
                .orThrow(field: "deadline", Message(zh: "请填写整改期限", en: "Enter the deadline"))
            _ = try await req.store.renovations.correctNotice(v.id, rule: f.rule ?? "", requirement: f.requirement ?? "", deadline: deadline,
                                                            reason: f.reason ?? "", by: req.actor)
            return back(r, req, Message(zh: "已更正 \(v.number),原通知仍保留在记录中", en: "\(v.number) corrected; the original stays on the record"))
        } catch let e as DomainError { return refused(r.id, req, e) }
    }

    struct StepForm: Content { var note: String?; var authority: String? }

    /// POST /violations/:vid/steps/:step
    static func step(_ req: Request) async throws -> Response {
        let (v, r) = try await RenovationAccess.violation(req.parameters.get("vid") ?? "", req, .inspectRenovations)
        do {
            let step = try RenovationViolation.Step(rawValue: req.parameters.get("step") ?? "").orThrow(field: "step", Message(zh: "未知的步骤", en: "Unknown step"))
            let f = try req.content.decode(StepForm.self)
            let done = try await req.store.renovations.step(v.id, step, note: f.note ?? "", authority: f.authority, photos: try photos(req, caption: v.number), by: req.actor)
            return back(r, req, Message(zh: "\(done.number):\(done.status.title.zhHans)", en: "\(done.number): \(done.status.title.en)"))
        } catch let e as DomainError { return refused(r.id, req, e) }
    }

    // MARK: Printed forms

    /// GET /renovations/:rid/permit — for the door.
    static func permit(_ req: Request) async throws -> Response {
        let r = try await RenovationAccess.renovation(req.parameters.get("rid") ?? "", req)
        guard r.status != .applied else { throw DomainError.conflict(code: "renovation_not_approved", Message(zh: "装修尚未批准", en: "The renovation is not approved yet")) }
        let lang = req.language
        let community = try await req.store.registry.community(r.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let units = try await req.store.registry.unitLabels([r.unitID])
        return PrintForms.sheet(req, title: S.permitTitle, community: community, [
            H.el("h2", [], text: S.permitTitle.text(lang)),
            PrintForms.facts([(S.number, r.number), (S.unit, units[r.unitID] ?? ""), (S.applicant, r.applicant), (S.contractor, "\(r.contractor) \(r.contractorPhone)"),
                              (S.works, r.works), (S.startsOn, "\(r.startsOn) – \(r.endsOn)"), (S.protection, r.protection),
                              (Message(zh: "批准", en: "Approved"), "\(r.approvedByName ?? "") \(r.approvedAt.map { time.format($0) } ?? "")")], lang),
            H.el("p", [], text: lang == .en ? "Working hours: 8:00–12:00, 14:00–18:00; no noisy work at weekends. Keep this permit on the door."
                                             : "施工时间:8:00–12:00,14:00–18:00;周末及节假日禁止噪音施工。本证须张贴于户门外。"),
        ])
    }

    /// GET /violations/:vid/notice — the written notice: numbered, the rule, the deadline; a
    /// corrected notice says which entry it corrects.
    static func notice(_ req: Request) async throws -> Response {
        let (v, r) = try await RenovationAccess.violation(req.parameters.get("vid") ?? "", req)
        guard let n = try await req.store.renovations.notice(v.id) else { throw DomainError.notFound(Noun.violation) }
        let lang = req.language
        let community = try await req.store.registry.community(r.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let units = try await req.store.registry.unitLabels([r.unitID])
        var kids: [BodyNode] = [
            H.el("h2", [], text: S.noticeTitle.text(lang)),
            PrintForms.facts([(S.number, v.number), (S.unit, units[r.unitID] ?? ""), (S.applicant, r.applicant), (S.contractor, r.contractor),
                              (S.rule, n.rule), (S.requirement, n.requirement), (S.deadline, time.format(n.deadline)),
                              (Message(zh: "发出", en: "Issued"), "\(n.issuedBy) \(time.format(n.issuedAt))")], lang),
        ]
        if let c = n.corrects { kids.append(H.el("p", [("class", "muted")], text: S.corrects.text(lang).replacingOccurrences(of: "%@", with: String(c)))) }
        kids.append(H.el("p", [], text: lang == .en ? "If it is not corrected by the deadline, the works will be stopped and the matter reported in writing to the authority."
                                                    : "逾期未整改的,本服务中心将制止施工,并书面报告有关行政主管部门。"))
        kids.append(H.el("p", [], text: S.signature.text(lang)))
        return PrintForms.sheet(req, title: S.noticeTitle, community: community, kids)
    }

    /// GET /violations/:vid/report — the written report to the authority.
    static func report(_ req: Request) async throws -> Response {
        let (v, r) = try await RenovationAccess.violation(req.parameters.get("vid") ?? "", req)
        guard let n = try await req.store.renovations.notice(v.id) else { throw DomainError.notFound(Noun.violation) }
        let lang = req.language
        let community = try await req.store.registry.community(r.communityID)
        let time = LocalTime(community?.timeZone ?? "Asia/Shanghai")
        let units = try await req.store.registry.unitLabels([r.unitID])
        let entries = try await req.store.timelines.entries(.renovationViolation, v.id)
        return PrintForms.sheet(req, title: S.reportTitle, community: community, [
            H.el("h2", [], text: S.reportTitle.text(lang)),
            PrintForms.facts([(S.number, v.number), (S.unit, units[r.unitID] ?? ""), (S.applicant, r.applicant), (S.contractor, r.contractor),
                              (S.rule, n.rule), (S.requirement, n.requirement), (S.deadline, time.format(n.deadline)),
                              (S.status, v.status.title.text(lang))], lang),
            timeline(entries, time, lang),
            H.el("p", [], text: S.signature.text(lang)),
        ])
    }
}
