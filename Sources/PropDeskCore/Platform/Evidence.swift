import Foundation

/// What a piece of evidence is (PLT-4).
public enum EvidenceKind: String, Sendable, Codable, CaseIterable {
    /// A picture: the leak the resident saw, the repair the engineer left, a violation.
    case photo
    /// A scanned document: a renovation permit, a signed notice, an inspection sheet (PDF or image).
    case document
    /// A signature drawn on the phone's screen, kept as a PNG with who signed and when.
    case signature

    public var title: Message {
        switch self {
        case .photo: Message(zh: "照片", en: "Photo")
        case .document: Message(zh: "扫描件", en: "Scanned document")
        case .signature: Message(zh: "签名", en: "Signature")
        }
    }

    /// Largest accepted file of this kind.
    public var maxBytes: Int {
        switch self {
        case .photo: 8 << 20
        case .document: 20 << 20
        case .signature: 1 << 20
        }
    }

    /// The types accepted, recognised by their first bytes, never by a name or a header.
    public var accepted: Set<String> {
        switch self {
        case .photo: ["image/jpeg", "image/png", "image/webp"]
        case .document: ["application/pdf", "image/jpeg", "image/png"]
        case .signature: ["image/png"]
        }
    }
}

/// One file attached to a subject (PLT-4): content-addressed (SHA-256 of the bytes, so the same
/// file is kept once), immutable once attached — there is no way to change or remove it — with
/// who attached it, when, and for a signature who signed.
public struct Evidence: Sendable, Equatable, Codable {
    public var id: UUID
    public var subjectKind: SubjectKind
    public var subjectID: UUID
    public var communityID: UUID
    public var kind: EvidenceKind
    public var contentType: String
    public var size: Int
    public var digest: String
    public var caption: String
    /// For a signature: the name of the person who signed.
    public var signedBy: String?
    public var uploadedByID: UUID?
    public var uploadedByName: String
    public var uploadedAt: Date

    public init(id: UUID = UUID(), subjectKind: SubjectKind, subjectID: UUID, communityID: UUID, kind: EvidenceKind, contentType: String, size: Int,
                digest: String, caption: String, signedBy: String?, uploadedByID: UUID?, uploadedByName: String, uploadedAt: Date) {
        self.id = id
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.communityID = communityID
        self.kind = kind
        self.contentType = contentType
        self.size = size
        self.digest = digest
        self.caption = caption
        self.signedBy = signedBy
        self.uploadedByID = uploadedByID
        self.uploadedByName = uploadedByName
        self.uploadedAt = uploadedAt
    }

    /// Most files on one subject.
    public static let maxPerSubject = 50

    /// The type of these bytes by their magic numbers, or nil.
    public static func sniff(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }

    /// The accepted type of these bytes for this kind, or a clear error in both languages when
    /// they are empty, too large, or not what the kind accepts.
    public static func contentType(of bytes: [UInt8], kind: EvidenceKind, field: String = "file") throws -> String {
        guard !bytes.isEmpty else {
            throw DomainError.invalid(field: field, Message(zh: "文件是空的", en: "The file is empty"))
        }
        guard bytes.count <= kind.maxBytes else {
            let mb = kind.maxBytes >> 20
            throw DomainError(.tooLarge, code: "too_large", Message(zh: "\(kind.title.zhHans)不能超过 \(mb) MB", en: "A \(kind.title.en.lowercased()) may be at most \(mb) MB"))
        }
        guard let type = sniff(bytes), kind.accepted.contains(type) else {
            let names = kind.accepted.sorted().map { $0.split(separator: "/").last.map(String.init)?.uppercased() ?? $0 }.joined(separator: "、")
            throw DomainError.invalid(field: field, Message(zh: "\(kind.title.zhHans)只能是 \(names) 文件", en: "A \(kind.title.en.lowercased()) must be a \(names.replacingOccurrences(of: "、", with: ", ")) file"))
        }
        return type
    }
}
