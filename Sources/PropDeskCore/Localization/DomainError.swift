/// Errors that reach a person: each has a stable code for programs, an HTTP-like kind for the
/// web layer, and a message in both languages.
public struct DomainError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case invalidInput      // 400 / 422
        case unauthenticated   // 401
        case forbidden         // 403
        case notFound          // 404
        case conflict          // 409
        case locked            // 423
        case tooManyRequests   // 429
        case tooLarge          // 413
        case methodNotAllowed  // 405
        case internalError     // 500
    }

    public let kind: Kind
    public let code: String
    public let message: Message
    /// Per-row or per-field details (an import's bad rows, a form's bad fields).
    public let details: [Detail]

    public struct Detail: Sendable, Equatable {
        public let line: Int?
        public let field: String?
        public let message: Message
        public init(line: Int? = nil, field: String? = nil, message: Message) {
            self.line = line
            self.field = field
            self.message = message
        }
    }

    public init(_ kind: Kind, code: String, _ message: Message, details: [Detail] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.details = details
    }

    public static func == (a: DomainError, b: DomainError) -> Bool {
        a.kind == b.kind && a.code == b.code && a.message == b.message && a.details == b.details
    }
}

extension DomainError {
    public static let unauthenticated = DomainError(.unauthenticated, code: "unauthenticated",
        Message(zh: "请先登录。", en: "Please sign in first."))
    public static let forbidden = DomainError(.forbidden, code: "forbidden",
        Message(zh: "您无权执行此操作。", en: "You are not allowed to do this."))
    public static let badCredentials = DomainError(.unauthenticated, code: "bad_credentials",
        Message(zh: "用户名或密码错误。", en: "Wrong username or password."))

    public static func notFound(_ what: Message) -> DomainError {
        DomainError(.notFound, code: "not_found",
            Message(zh: "未找到\(what.zhHans)。", en: "\(what.en.prefix(1).uppercased() + what.en.dropFirst()) not found."))
    }

    public static func locked(minutes: Int) -> DomainError {
        DomainError(.locked, code: "account_locked",
            Message(zh: "登录失败次数过多,账户已锁定,请 \(minutes) 分钟后再试。",
                    en: "Too many failed sign-ins: the account is locked. Try again in \(minutes) minutes."))
    }

    public static func invalid(field: String, _ message: Message) -> DomainError {
        DomainError(.invalidInput, code: "invalid_input",
            Message(zh: "输入有误:\(message.zhHans)", en: "Invalid input: \(message.en)"),
            details: [Detail(field: field, message: message)])
    }

    /// A body over the limit of its kind of route, refused before it is read.
    public static func tooLarge(limitBytes: Int) -> DomainError {
        let mb = limitBytes >= 1 << 20 ? "\(limitBytes >> 20) MB" : "\(limitBytes >> 10) KB"
        return DomainError(.tooLarge, code: "too_large", Message(zh: "提交的内容过大(此处上限 \(mb))", en: "The request body is too large (the limit here is \(mb))"))
    }

    /// A page form without this session's form token, or sent from another site (CSRF).
    public static let staleForm = DomainError(.forbidden, code: "form_token",
        Message(zh: "表单已失效或来自其他网站,未做任何更改。请刷新页面后重试", en: "This form has expired or came from another site; nothing was changed. Reload the page and try again"))

    public static func conflict(code: String, _ message: Message) -> DomainError {
        DomainError(.conflict, code: code, message)
    }
}

/// Names of things, used inside messages ("未找到楼栋" / "Building not found").
public enum Noun {
    public static let community = Message(zh: "小区", en: "community")
    public static let building = Message(zh: "楼栋", en: "building")
    public static let unit = Message(zh: "房屋", en: "unit")
    public static let area = Message(zh: "责任区域", en: "area")
    public static let person = Message(zh: "住户", en: "person")
    public static let user = Message(zh: "用户", en: "user")
    public static let page = Message(zh: "页面", en: "page")
    public static let order = Message(zh: "工单", en: "work order")
    public static let alert = Message(zh: "提醒", en: "alert")
    public static let subject = Message(zh: "记录", en: "record")
    public static let incident = Message(zh: "突发事件", en: "incident")
    public static let catalogueItem = Message(zh: "服务项目", en: "catalogue item")
    public static let rule = Message(zh: "派工规则", en: "dispatch rule")
    public static let photo = Message(zh: "照片", en: "photo")
    public static let checkpoint = Message(zh: "检查点", en: "checkpoint")
    public static let patrolRound = Message(zh: "巡查", en: "patrol round")
    public static let renovation = Message(zh: "装修档案", en: "renovation file")
    public static let violation = Message(zh: "违章", en: "violation")
    public static let assignmentTable = Message(zh: "区域工作分配表", en: "assignment table")
    public static let householdVisit = Message(zh: "家访记录", en: "household visit")
    public static let workLog = Message(zh: "工作记录", en: "work log")
    public static let spotCheck = Message(zh: "抽查", en: "spot check")
    public static let contactCard = Message(zh: "联系卡", en: "contact card")
    public static let dutyLog = Message(zh: "值班日志", en: "duty log")
    public static let handover = Message(zh: "交接班记录", en: "shift handover")
    public static let visitor = Message(zh: "访客", en: "visitor")
    public static let pass = Message(zh: "停车证/门禁卡", en: "permit or card")
    public static let moveIn = Message(zh: "入住办理记录", en: "move-in")
    public static let moveInDefect = Message(zh: "验房缺陷", en: "inspection defect")
    public static let custodyAgreement = Message(zh: "托管协议", en: "custody agreement")
    public static let receipt = Message(zh: "收据", en: "receipt")
    public static let deposit = Message(zh: "押金", en: "deposit")
    public static let dailyClose = Message(zh: "日结", en: "daily close")
    public static let bill = Message(zh: "账单", en: "bill")
    public static let feeItem = Message(zh: "收费项目", en: "fee item")
    public static let arrearsList = Message(zh: "欠费清单", en: "arrears list")
    public static let notice = Message(zh: "公告", en: "notice")
}
