import Foundation

/// 满意度调查 (CR-2, S0 3.3): a questionnaire put to the households of a community (or some of its
/// areas) for a period, answered once per household on the portal or on paper, whose statistics
/// table is kept ("有调查统计表并建档保存") — frozen when the survey is closed.

/// What a question asks for.
public enum SurveyQuestionKind: String, Sendable, Codable, CaseIterable {
    /// One of the options.
    case single
    /// Any of the options (at least one when required).
    case multiple
    /// 1 (very dissatisfied) … 5 (very satisfied).
    case scale
    /// Free text (opinions and suggestions).
    case text

    public var title: Message {
        switch self {
        case .single: Message(zh: "单选", en: "Single choice")
        case .multiple: Message(zh: "多选", en: "Multiple choice")
        case .scale: Message(zh: "满意度(1–5 分)", en: "Satisfaction (1–5)")
        case .text: Message(zh: "意见建议(文字)", en: "Free text")
        }
    }

    /// The five points of a scale question, 1 first.
    public static let scaleLabels: [Message] = [
        Message(zh: "非常不满意", en: "Very dissatisfied"), Message(zh: "不满意", en: "Dissatisfied"), Message(zh: "一般", en: "Neutral"),
        Message(zh: "满意", en: "Satisfied"), Message(zh: "非常满意", en: "Very satisfied"),
    ]
}

/// One question. `code` ("Q1", "clean") is what the comparison with the previous survey matches on.
public struct SurveyQuestion: Sendable, Codable, Equatable {
    public var code: String
    public var kind: SurveyQuestionKind
    public var text: String
    /// The choices of a single or multiple question (none for scale and text).
    public var options: [String]
    public var required: Bool

    public init(code: String, kind: SurveyQuestionKind, text: String, options: [String] = [], required: Bool = true) {
        self.code = code
        self.kind = kind
        self.text = text
        self.options = options
        self.required = required
    }

    /// The labels counted for this question: its options, or the scale's five points.
    public func choiceLabels(_ lang: Language) -> [String] {
        kind == .scale ? SurveyQuestionKind.scaleLabels.map { $0.text(lang) } : options
    }

    /// A questionnaire's questions, checked: 1–30 questions, unique codes (letters, digits, - and
    /// _, at most 20), text ≤ 200, choice questions 2–10 options each ≤ 60.
    public static func check(_ questions: [SurveyQuestion]) throws -> [SurveyQuestion] {
        guard !questions.isEmpty else {
            throw DomainError.invalid(field: "questions", Message(zh: "问卷至少要有一个问题", en: "A questionnaire needs at least one question"))
        }
        guard questions.count <= 30 else {
            throw DomainError.invalid(field: "questions", Message(zh: "问卷最多 30 个问题", en: "At most 30 questions"))
        }
        var seen = Set<String>()
        return try questions.enumerated().map { i, q in
            let n = i + 1
            let code = q.code.trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty, code.count <= 20, code.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }) else {
                throw DomainError.invalid(field: "questions.code", Message(zh: "第 \(n) 题的编号只能用字母、数字、- 和 _(最多 20 个)",
                                                                           en: "Question \(n): the code takes letters, digits, - and _ (at most 20)"))
            }
            guard seen.insert(code.lowercased()).inserted else {
                throw DomainError.invalid(field: "questions.code", Message(zh: "题目编号重复:\(code)", en: "Question code used twice: \(code)"))
            }
            let text = q.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.unicodeScalars.count <= 200 else {
                throw DomainError.invalid(field: "questions.text", Message(zh: "第 \(n) 题的题目不能为空,最多 200 个字", en: "Question \(n) needs a text of at most 200 characters"))
            }
            var options: [String] = []
            if q.kind == .single || q.kind == .multiple {
                options = q.options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                guard (2...10).contains(options.count), options.allSatisfy({ $0.unicodeScalars.count <= 60 }), Set(options).count == options.count else {
                    throw DomainError.invalid(field: "questions.options", Message(zh: "第 \(n) 题需要 2–10 个不重复的选项,每个最多 60 个字",
                                                                                  en: "Question \(n) needs 2–10 distinct options of at most 60 characters"))
                }
            }
            return SurveyQuestion(code: code, kind: q.kind, text: text, options: options, required: q.required)
        }
    }

    /// The questions of a standard S0 3.3 satisfaction survey: each service line on the scale,
    /// overall satisfaction, what to improve first, and a free opinion.
    public static let standard: [SurveyQuestion] = [
        SurveyQuestion(code: "desk", kind: .scale, text: "您对客服中心接待与办事的满意程度"),
        SurveyQuestion(code: "repair", kind: .scale, text: "您对报修维修服务(及时性、质量)的满意程度"),
        SurveyQuestion(code: "clean", kind: .scale, text: "您对公共区域保洁的满意程度"),
        SurveyQuestion(code: "green", kind: .scale, text: "您对绿化养护的满意程度"),
        SurveyQuestion(code: "security", kind: .scale, text: "您对秩序维护(门岗、巡逻、停车)的满意程度"),
        SurveyQuestion(code: "overall", kind: .scale, text: "总体而言,您对物业服务的满意程度"),
        SurveyQuestion(code: "improve", kind: .multiple, text: "您最希望优先改进的方面(可多选)",
                       options: ["客服接待", "维修服务", "保洁", "绿化", "秩序维护", "公共设施"], required: false),
        SurveyQuestion(code: "opinion", kind: .text, text: "您对物业服务的其他意见和建议", required: false),
    ]
}

/// draft → open → closed: drafted by the CS manager, answered while open, archived when closed.
public enum SurveyStatus: String, Sendable, Codable, CaseIterable {
    case draft, open, closed

    public var title: Message {
        switch self {
        case .draft: Message(zh: "草稿", en: "Draft")
        case .open: Message(zh: "进行中", en: "Open")
        case .closed: Message(zh: "已结束(已归档)", en: "Closed (archived)")
        }
    }
}

/// How a household's answers came in.
public enum SurveyChannel: String, Sendable, Codable, CaseIterable {
    /// Answered by a resident on the portal (the person is recorded).
    case portal
    /// A paper form entered by staff (the staff member is recorded).
    case paper

    public var title: Message {
        switch self {
        case .portal: Message(zh: "业主网上填写", en: "Portal")
        case .paper: Message(zh: "纸质问卷录入", en: "Paper form")
        }
    }
}

/// One survey (满意度调查): its questionnaire, period ("2026", "2026-H2", "2026-11"), scope (the
/// whole community when `areaIDs` is empty) and state.
public struct Survey: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var communityID: UUID
    public var title: String
    public var period: String
    public var areaIDs: [UUID]
    public var questions: [SurveyQuestion]
    public var status: SurveyStatus
    public var createdAt: Date
    public var createdByName: String
    public var openedAt: Date?
    public var closedAt: Date?
    public var closedByName: String?

    public init(id: UUID = UUID(), communityID: UUID, title: String, period: String, areaIDs: [UUID], questions: [SurveyQuestion], status: SurveyStatus = .draft,
                createdAt: Date, createdByName: String, openedAt: Date? = nil, closedAt: Date? = nil, closedByName: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.title = title
        self.period = period
        self.areaIDs = areaIDs
        self.questions = questions
        self.status = status
        self.createdAt = createdAt
        self.createdByName = createdByName
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closedByName = closedByName
    }

    /// Whether a unit of `area` is one of the households asked.
    public func covers(area: UUID?) -> Bool {
        areaIDs.isEmpty || area.map(areaIDs.contains) ?? false
    }

    /// "2026", "2026-H1", "2026-H2" or "2026-11".
    public static func checkPeriod(_ raw: String) throws -> String {
        let p = raw.trimmingCharacters(in: .whitespaces)
        let parts = p.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let year = parts.first.flatMap { $0.count == 4 ? Int($0) : nil }
        let ok: Bool
        switch parts.count {
        case 1: ok = year != nil
        case 2: ok = year != nil && (parts[1] == "H1" || parts[1] == "H2" || (parts[1].count == 2 && Int(parts[1]).map { (1...12).contains($0) } ?? false))
        default: ok = false
        }
        guard ok, let y = year, (2000...2100).contains(y) else {
            throw DomainError.invalid(field: "period", Message(zh: "调查期间写作 2026、2026-H2 或 2026-11", en: "A period is written 2026, 2026-H2 or 2026-11"))
        }
        return p
    }

    /// Checks one household's answers against the questionnaire: every required question
    /// answered, choices within range (one for single and scale), texts ≤ 500. Returns them in
    /// question order, unanswered questions left out.
    public func check(_ answers: [SurveyAnswer]) throws -> [SurveyAnswer] {
        var byCode: [String: SurveyAnswer] = [:]
        for a in answers {
            guard questions.contains(where: { $0.code == a.code }) else {
                throw DomainError.invalid(field: "answers", Message(zh: "问卷中没有这个问题:\(a.code)", en: "No such question: \(a.code)"))
            }
            guard byCode[a.code] == nil else {
                throw DomainError.invalid(field: "answers", Message(zh: "同一问题回答了两次:\(a.code)", en: "Question answered twice: \(a.code)"))
            }
            byCode[a.code] = a
        }
        var out: [SurveyAnswer] = []
        for (i, q) in questions.enumerated() {
            let n = i + 1
            let a = byCode[q.code]
            let choices = Array(Set(a?.choices ?? [])).sorted()
            let text = (a?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let empty = q.kind == .text ? text.isEmpty : choices.isEmpty
            if empty {
                if q.required {
                    throw DomainError.invalid(field: "answers", Message(zh: "第 \(n) 题未作答:\(q.text)", en: "Question \(n) is not answered: \(q.text)"))
                }
                continue
            }
            switch q.kind {
            case .text:
                guard text.unicodeScalars.count <= 500 else {
                    throw DomainError.invalid(field: "answers", Message(zh: "第 \(n) 题最多 500 个字", en: "Question \(n): at most 500 characters"))
                }
                out.append(SurveyAnswer(code: q.code, text: text))
            case .scale, .single, .multiple:
                let count = q.kind == .scale ? 5 : q.options.count
                guard choices.allSatisfy({ (0..<count).contains($0) }), q.kind == .multiple || choices.count == 1 else {
                    throw DomainError.invalid(field: "answers", Message(zh: "第 \(n) 题的选择无效", en: "Question \(n): not a valid choice"))
                }
                out.append(SurveyAnswer(code: q.code, choices: choices))
            }
        }
        guard !out.isEmpty else {
            throw DomainError.invalid(field: "answers", Message(zh: "问卷是空的,没有任何回答", en: "The form is empty"))
        }
        return out
    }
}

/// One answer: the chosen option indices (a scale's point as 0…4 for 1…5), or the text.
public struct SurveyAnswer: Sendable, Codable, Equatable {
    public var code: String
    public var choices: [Int]
    public var text: String?

    public init(code: String, choices: [Int] = [], text: String? = nil) {
        self.code = code
        self.choices = choices
        self.text = text
    }
}

/// One household's completed questionnaire (one per unit per survey).
public struct SurveyResponse: Sendable, Equatable, Identifiable {
    /// The form's id, made when the form is drawn: a form sent twice is stored once.
    public var id: UUID
    public var surveyID: UUID
    public var communityID: UUID
    public var unitID: UUID
    public var areaID: UUID?
    public var channel: SurveyChannel
    /// The resident who answered on the portal.
    public var personID: UUID?
    /// The resident's (portal) or the staff member's (paper) name.
    public var byName: String
    public var byUserID: UUID?
    public var at: Date
    public var answers: [SurveyAnswer]

    public init(id: UUID, surveyID: UUID, communityID: UUID, unitID: UUID, areaID: UUID?, channel: SurveyChannel, personID: UUID?, byName: String,
                byUserID: UUID?, at: Date, answers: [SurveyAnswer]) {
        self.id = id
        self.surveyID = surveyID
        self.communityID = communityID
        self.unitID = unitID
        self.areaID = areaID
        self.channel = channel
        self.personID = personID
        self.byName = byName
        self.byUserID = byUserID
        self.at = at
        self.answers = answers
    }
}

extension Noun {
    public static let survey = Message(zh: "满意度调查", en: "survey")
}

extension SubjectKind {
    /// A satisfaction survey (CR-2): opened, closed, its timeline.
    public static let survey = SubjectKind(rawValue: "survey")
}
