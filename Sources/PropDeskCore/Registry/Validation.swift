import Foundation

/// Input rules shared by the API, the pages and the importer, so each field is judged once.
public enum Validate {
    public static func name(_ raw: String, field: String, max: Int = 60) throws -> String {
        try text(raw, field: field, max: max, required: true)
    }

    /// Free text trimmed of surrounding white space, at most `max` characters, and not empty
    /// when `required`.
    public static func text(_ raw: String, field: String, max: Int, required: Bool) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && t.isEmpty {
            throw DomainError.invalid(field: field, Message(zh: "\(fieldTitle(field).zhHans)不能为空", en: "\(fieldTitle(field).en) must not be empty"))
        }
        // Counted in Unicode scalars, as JSON Schema's maxLength counts (a decomposed "é" is two).
        guard t.unicodeScalars.count <= max else {
            throw DomainError.invalid(field: field, Message(zh: "\(fieldTitle(field).zhHans)最多 \(max) 个字", en: "\(fieldTitle(field).en) is longer than \(max) characters"))
        }
        return t
    }

    /// Mainland mobile (11 digits from 1) or a landline with area code; returns digits only
    /// (a leading "+86" is dropped).
    public static func phone(_ raw: String, field: String = "phone") throws -> String {
        var digits = raw.filter { !" -()".contains($0) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) }
        let ok = digits.allSatisfy { $0.isASCII && $0.isNumber }
            && ((digits.count == 11 && digits.hasPrefix("1")) || (digits.hasPrefix("0") && (10...12).contains(digits.count)))
        guard ok else {
            throw DomainError.invalid(field: field, Message(zh: "电话号码格式不正确:\(raw)", en: "Not a valid phone number: \(raw)"))
        }
        return digits
    }

    /// Checks an ID document number; resident ID cards must carry a correct check digit.
    public static func idNumber(_ raw: String, type: IDDocumentType, field: String = "idNumber") throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces).uppercased()
        switch type {
        case .residentID:
            guard ResidentIDNumber.isValid(t) else {
                throw DomainError.invalid(field: field, Message(zh: "身份证号码无效(应为 18 位且校验位正确)", en: "Invalid resident ID number (18 characters with a correct check digit)"))
            }
        case .passport, .permit, .businessLicence:
            guard (5...30).contains(t.count), t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw DomainError.invalid(field: field, Message(zh: "证件号码格式不正确", en: "Invalid document number"))
            }
        }
        return t
    }

    public static func floor(_ value: Int, field: String = "floor") throws -> Int {
        guard (-5...200).contains(value) else {
            throw DomainError.invalid(field: field, Message(zh: "楼层应在 -5 到 200 之间", en: "Floor must be between -5 and 200"))
        }
        return value
    }

    public static func password(_ raw: String) throws -> String {
        guard raw.count >= 10 else {
            throw DomainError.invalid(field: "password", Message(zh: "密码至少 10 位", en: "Password must be at least 10 characters"))
        }
        return raw
    }

    public static func username(_ raw: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...40).contains(t.count), t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw DomainError.invalid(field: "username", Message(zh: "用户名须为 3-40 位字母、数字或 ._-", en: "Username must be 3-40 letters, digits or ._-"))
        }
        return t
    }

    static func fieldTitle(_ field: String) -> Message {
        switch field {
        case "name": Message(zh: "名称", en: "Name")
        case "building": Message(zh: "楼栋", en: "Building")
        case "roomNumber", "room": Message(zh: "房号", en: "Room number")
        case "code": Message(zh: "编号", en: "Code")
        case "displayName": Message(zh: "姓名", en: "Display name")
        // As the intake and portal label them.
        case "description": Message(zh: "情况描述", en: "What happened")
        case "location": Message(zh: "地点", en: "Location")
        case "contactName": Message(zh: "联系人", en: "Contact name")
        case "reason": Message(zh: "原因", en: "Reason")
        case "note": Message(zh: "说明", en: "Note")
        case "checklist": Message(zh: "检查项", en: "Checklist item")
        case "comment": Message(zh: "评价", en: "Comment")
        case "answer": Message(zh: "业户原话", en: "Resident's answer")
        case "answerGiven": Message(zh: "答复内容", en: "The answer given")
        case "opinion": Message(zh: "处理意见", en: "Findings and action taken")
        case "reply": Message(zh: "回复业主", en: "Answer to the resident")
        case "purpose": Message(zh: "查看原因", en: "Purpose")
        case "consentBy": Message(zh: "同意人", en: "Consenting person")
        case "receiptNumber": Message(zh: "收据号", en: "Receipt number")
        case "title": Message(zh: "标题", en: "Title")
        case "script": Message(zh: "答复口径", en: "Caller script")
        // Fees (FEE-1, FEE-2).
        case "payer": Message(zh: "缴款人", en: "Payer")
        case "reference": Message(zh: "交易流水号", en: "Transaction reference")
        case "cashierName": Message(zh: "收款员", en: "Cashier")
        case "itemName": Message(zh: "收费项目", en: "Fee item")
        default: Message(zh: field, en: field)
        }
    }
}

/// 居民身份证号码 (GB 11643-1999): 17 digits and a check character.
public enum ResidentIDNumber {
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checks: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    public static func checkCharacter(first17: String) -> Character? {
        let digits = first17.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == 17, first17.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checks[sum % 11]
    }

    public static func isValid(_ number: String) -> Bool {
        guard number.count == 18 else { return false }
        let first17 = String(number.prefix(17))
        return checkCharacter(first17: first17) == number.last
    }
}

/// Masking of personal data for display (SEC-3): shown only in full to a role that reveals it.
public enum Mask {
    /// "13812345678" → "138****5678"; short numbers keep only their last two digits.
    public static func phone(_ phone: String) -> String {
        guard phone.count >= 7 else { return String(repeating: "*", count: max(0, phone.count - 2)) + phone.suffix(2) }
        return phone.prefix(3) + String(repeating: "*", count: phone.count - 7) + phone.suffix(4)
    }

    /// Every character but the last four becomes "*".
    public static func idNumber(_ number: String) -> String {
        guard number.count > 4 else { return String(repeating: "*", count: number.count) }
        return String(repeating: "*", count: number.count - 4) + number.suffix(4)
    }
}
