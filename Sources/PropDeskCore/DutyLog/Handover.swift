import Foundation

/// 交接班 (FD-4, S4 4.7): the outgoing person hands the desk over — the assets counted, the
/// open items carried over, anomalies — and both confirm. An important item still unfinished
/// refuses the handover until it is resolved or the incoming person takes it over explicitly
/// ("重要的工作未处理完毕,不允许交班").
public struct ShiftHandover: Sendable, Equatable, Identifiable {
    public struct AssetCheck: Sendable, Equatable, Codable {
        public var name: String
        public var ok: Bool
        public var note: String

        public init(name: String, ok: Bool, note: String = "") {
            self.name = name
            self.ok = ok
            self.note = note
        }
    }

    public struct OpenItem: Sendable, Equatable, Codable {
        public var text: String
        public var important: Bool
        /// Finished before the handover.
        public var resolved: Bool
        /// Taken over by the incoming person (their name), for an important item not finished.
        public var carriedOverBy: String?

        public init(text: String, important: Bool, resolved: Bool = false, carriedOverBy: String? = nil) {
            self.text = text
            self.important = important
            self.resolved = resolved
            self.carriedOverBy = carriedOverBy
        }

        /// An important item neither finished nor taken over blocks the handover.
        public var blocks: Bool { important && !resolved && carriedOverBy == nil }
    }

    public var id: UUID
    public var communityID: UUID
    public var shift: DeskShift
    public var fromID: UUID?
    public var fromName: String
    public var toID: UUID?
    public var toName: String?
    public var assets: [AssetCheck]
    public var items: [OpenItem]
    public var anomalies: String
    public var handedAt: Date
    public var takenAt: Date?

    public init(id: UUID = UUID(), communityID: UUID, shift: DeskShift, fromID: UUID?, fromName: String, toID: UUID? = nil, toName: String? = nil,
                assets: [AssetCheck], items: [OpenItem], anomalies: String, handedAt: Date, takenAt: Date? = nil) {
        self.id = id
        self.communityID = communityID
        self.shift = shift
        self.fromID = fromID
        self.fromName = fromName
        self.toID = toID
        self.toName = toName
        self.assets = assets
        self.items = items
        self.anomalies = anomalies
        self.handedAt = handedAt
        self.takenAt = takenAt
    }

    /// The assets counted at every handover unless the community configures its own.
    public static let defaultAssets = ["电脑", "电话机", "对讲机", "钥匙箱", "打印机", "值班日志", "印章"]

    /// Checks what the outgoing person hands over: every asset counted once, each problem
    /// explained, items worded, no important item left unfinished without being taken over.
    public static func check(assets: [AssetCheck], items: [OpenItem], anomalies: String) throws -> ([AssetCheck], [OpenItem], String) {
        guard !assets.isEmpty, assets.count <= 40, Set(assets.map(\.name)).count == assets.count else {
            throw DomainError.invalid(field: "assets", Message(zh: "请逐项清点 1 至 40 件物品,每件一次", en: "Count 1 to 40 assets, each once"))
        }
        let a = try assets.map { x in
            AssetCheck(name: try Validate.text(x.name, field: "assets.name", max: 40, required: true), ok: x.ok,
                       note: try Validate.text(x.note, field: "assets.note", max: 200, required: !x.ok))
        }
        guard items.count <= 30 else {
            throw DomainError.invalid(field: "items", Message(zh: "交接事项最多 30 条", en: "At most 30 open items"))
        }
        let i = try items.map { x in
            OpenItem(text: try Validate.text(x.text, field: "items.text", max: 300, required: true), important: x.important, resolved: x.resolved,
                     carriedOverBy: x.carriedOverBy)
        }
        return (a, i, try Validate.text(anomalies, field: "anomalies", max: 1000, required: false))
    }
}

extension SubjectKind {
    /// A shift handover at the front desk (FD-4).
    public static let shiftHandover = SubjectKind(rawValue: "shift_handover")
}
