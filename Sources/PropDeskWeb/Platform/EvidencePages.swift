import Foundation
import Plot
import PropDeskCore
import PropDeskStore
import Vapor

/// Evidence on the pages (PLT-4): a subject's signatures and scanned documents, a pad to sign on
/// the phone's screen, a form to add a scan, and the file itself for those who may see it.
enum EvidencePages {
    enum S {
        static let title = Message(zh: "签名与扫描件", en: "Signatures and documents")
        static let none = Message(zh: "还没有签名或扫描件。", en: "No signatures or documents yet.")
        static let signHere = Message(zh: "请在框内签名", en: "Sign in the box")
        static let signer = Message(zh: "签字人", en: "Signed by")
        static let clear = Message(zh: "清除", en: "Clear")
        static let saveSignature = Message(zh: "保存签名", en: "Save signature")
        static let document = Message(zh: "扫描件(PDF 或图片)", en: "Scanned document (PDF or image)")
        static let caption = Message(zh: "说明", en: "Caption")
        static let signedAt = Message(zh: "签于", en: "signed")
        static let noSignature = Message(zh: "请先在框内签名", en: "Please sign in the box first")
        static let noFile = Message(zh: "请先选择文件", en: "Choose a file first")
        static let saved = Message(zh: "已保存签名", en: "Signature saved")
        static let added = Message(zh: "已添加扫描件", en: "Document added")
    }

    /// The section for a subject: what is there, and (when the caller may add) the two forms.
    /// `suffix` keeps ids apart when a page shows several subjects' sections (a renovation and its violations).
    static func section(_ files: [Evidence], subject: SubjectRef, canAdd: Bool, time: LocalTime, _ lang: PropDeskCore.Language, suffix: String = "",
                        title: Message? = nil) -> BodyNode {
        let shown = files.filter { $0.kind != .photo || subject.kind != .workOrder }
        var kids: [BodyNode] = [H.el("h2", [], text: (title ?? S.title).text(lang))]
        kids.append(shown.isEmpty ? H.el("p", [("class", "muted")], text: S.none.text(lang)) : H.el("ul", [("class", "evidence"), ("id", "evidence\(suffix)")], shown.map { e in
            let href = Routes.evidence(e.id)
            var item: [BodyNode] = []
            // A resident file's document is opened on purpose, never shown inline: each view is
            // audited (REG-5), and an ID scan should not be on screen whenever the page loads.
            if (e.kind == .signature || e.contentType.hasPrefix("image/")) && !ResidentFileStore.isFileDocument(e) {
                item.append(H.el("a", [("href", href)], [.selfClosedElement(named: "img", attributes: [
                    .init(name: "src", value: href), .init(name: "alt", value: e.kind.title.text(lang)), .init(name: "loading", value: "lazy"),
                    .init(name: "class", value: e.kind == .signature ? "signature" : "scan")])]))
            } else {
                item.append(H.link("📄 " + (e.caption.isEmpty ? e.kind.title.text(lang) : e.caption), href))
            }
            let who = e.kind == .signature
                ? "\(S.signer.text(lang)) \(e.signedBy ?? "") · \(S.signedAt.text(lang)) \(time.format(e.uploadedAt))"
                : [e.kind.title.text(lang), e.caption, OrderViews.person(e.uploadedByName, lang), time.format(e.uploadedAt)].filter { !$0.isEmpty }.joined(separator: " · ")
            item.append(H.el("span", [("class", "muted")], text: who))
            return H.el("li", [("data-kind", e.kind.rawValue)], item)
        }))
        if canAdd {
            let base = Routes.subject(subject.kind, subject.id)
            kids.append(H.form(base + "/signature", [("class", "signature-form"), ("id", "signature-form\(suffix)")], [
                H.field(S.signer.text(lang), "signature-name\(suffix)", H.input([("type", "text"), ("id", "signature-name\(suffix)"), ("name", "signedBy"), ("maxlength", "50"), ("required", "required")])),
                H.el("p", [("class", "muted")], text: S.signHere.text(lang)),
                H.el("canvas", [("id", "signature-pad\(suffix)"), ("class", "signature-pad"), ("width", "600"), ("height", "200"), ("aria-label", S.signHere.text(lang))]),
                H.hidden("signature", ""),
                H.el("div", [("class", "row")], [
                    H.el("button", [("type", "button"), ("class", "secondary small signature-clear"), ("id", "signature-clear\(suffix)")], text: S.clear.text(lang)),
                    H.button(S.saveSignature.text(lang), [("id", "signature-save\(suffix)")]),
                ]),
            ]))
            kids.append(H.form(base + "/documents", [("enctype", "multipart/form-data"), ("class", "inline-form"), ("id", "document-form\(suffix)")], [
                H.field(S.document.text(lang), "document-file\(suffix)", H.input([("type", "file"), ("id", "document-file\(suffix)"), ("name", "file"), ("accept", "application/pdf,image/jpeg,image/png")])),
                H.field(S.caption.text(lang), "document-caption\(suffix)", H.input([("type", "text"), ("id", "document-caption\(suffix)"), ("name", "caption"), ("maxlength", "200")])),
                H.button(Strings.upload.text(lang), [("id", "document-upload\(suffix)")], primary: false),
            ]))
        }
        return H.el("section", [("class", "card"), ("id", "evidence-section\(suffix)")], kids)
    }

    /// Where a subject's page is, to come back to after a form.
    static func back(_ s: SubjectRef, _ req: Request) async throws -> String { SubjectLinks.path(s) }

    /// A signature drawn on a pad, as the page sends it (a PNG data URL), checked as evidence;
    /// nil when nothing was drawn.
    static func signature(_ dataURL: String?, signedBy: String?, caption: String) throws -> EvidenceStore.Upload? {
        let prefix = "data:image/png;base64,"
        guard let url = dataURL, url.hasPrefix(prefix), let data = Data(base64Encoded: String(url.dropFirst(prefix.count))), !data.isEmpty else { return nil }
        return try EvidenceStore.check(Array(data), kind: .signature, caption: caption, signedBy: signedBy)
    }

    struct SignatureForm: Content {
        var signedBy: String?
        var signature: String?
    }

    /// POST /subjects/:kind/:id/signature — a signature drawn on the screen, sent as a PNG data URL.
    static func sign(_ req: Request) async throws -> Response {
        let subject = try await SubjectAccess.subject(req.parameters.get("kind") ?? "", req.parameters.get("id") ?? "", adding: true, req)
        let back = try await back(subject, req)
        do {
            let form = try req.content.decode(SignatureForm.self)
            guard let upload = try signature(form.signature, signedBy: form.signedBy, caption: "") else {
                throw DomainError.invalid(field: "signature", S.noSignature)
            }
            try await req.store.evidence.attach([upload], to: subject, by: req.actor)
            Flash.set(req, S.saved)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }

    struct DocumentForm: Content {
        var file: File?
        var caption: String?
    }

    /// POST /subjects/:kind/:id/documents — a scanned document from a multipart form.
    static func addDocument(_ req: Request) async throws -> Response {
        let subject = try await SubjectAccess.subject(req.parameters.get("kind") ?? "", req.parameters.get("id") ?? "", adding: true, req)
        let back = try await back(subject, req)
        do {
            let form = try req.content.decode(DocumentForm.self)
            guard let file = form.file, file.data.readableBytes > 0 else { throw DomainError.invalid(field: "file", S.noFile) }
            let upload = try EvidenceStore.check(Array(file.data.readableBytesView), kind: .document, caption: form.caption ?? "", signedBy: nil)
            try await req.store.evidence.attach([upload], to: subject, by: req.actor)
            Flash.set(req, S.added)
        } catch let e as DomainError {
            Flash.set(req, e.message, error: true)
        }
        return req.redirect(to: back, redirectType: .normal)
    }

    /// GET /evidence/:eid — the file, for those who may see its subject; a resident file's
    /// document is audited on every view and never cached (REG-5, SEC-3).
    static func show(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("eid").flatMap(UUID.init(uuidString:)), let item = try await req.store.evidence.item(id) else {
            throw DomainError.notFound(Noun.subject)
        }
        _ = try await SubjectAccess.subject(item.subjectKind.rawValue, item.subjectID.uuidString, adding: false, req)
        let fileDocument = try await ResidentFileAccess.viewing(item, req)
        guard let (file, bytes) = try await req.store.evidence.content(id) else { throw DomainError.notFound(Noun.subject) }
        let response = Response(status: .ok, body: .init(data: bytes))
        let parts = file.contentType.split(separator: "/")
        response.headers.contentType = HTTPMediaType(type: String(parts.first ?? "application"), subType: String(parts.last ?? "octet-stream"))
        response.headers.cacheControl = fileDocument ? .init(noStore: true) : .init(isPublic: false, maxAge: 3600)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(file.kind.rawValue)-\(file.id.uuidString.prefix(8)).\(parts.last ?? "bin")\"")
        return response
    }
}
