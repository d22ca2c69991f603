import Foundation

/// The columns of an opening-balance file (期初欠费), as the center's old finance system exports
/// them. Headers may be English or Chinese, in any order.
public enum OpeningBalanceColumn: String, CaseIterable, Sendable {
    case building, room, amount, since, months, note

    public var chinese: String {
        switch self {
        case .building: "楼栋"
        case .room: "房号"
        case .amount: "金额"
        case .since: "起始月份"
        case .months: "月数"
        case .note: "说明"
        }
    }

    static func match(_ header: String) -> OpeningBalanceColumn? {
        let h = header.trimmingCharacters(in: .whitespaces)
        return allCases.first { $0.rawValue == h.lowercased() || $0.chinese == h }
    }

    static let required: [OpeningBalanceColumn] = [.building, .room, .amount, .since]
}

/// A checked opening-balance file: every line valid, the unit still to be found by the store.
public struct OpeningBalancePlan: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let line: Int
        public let building: String
        public let room: String
        public let amountFen: Int
        /// The first month the amount covers ("yyyy-MM").
        public let since: String
        /// How many months it covers (1 … 120).
        public let months: Int
        public let note: String

        /// The months covered, in order.
        public var periods: [String] { (0..<months).map { FeeMonth.adding($0, to: since) } }
        /// The amount of each month: split evenly in fen, the remainder on the first month.
        public var amounts: [Int] { OpeningBalanceImport.spread(amountFen, months: months) }
    }

    public var lines: [Line] = []
}

/// Opening balances (FEE-1): read and checked as a whole before anything is written, with one
/// error listing every bad line (line, field, message) — the report of the registry import (REG-4).
public enum OpeningBalanceImport {
    public static let maxRows = 100_000
    public static let maxMonths = 120

    public static func plan(csv text: String) throws -> OpeningBalancePlan {
        try plan(rows: try CSV.parse(text))
    }

    /// Checks rows already split into fields (a CSV file, or a spreadsheet's first sheet).
    public static func plan(rows: [CSV.Row]) throws -> OpeningBalancePlan {
        guard let header = rows.first else {
            throw DomainError(.invalidInput, code: "import_empty", Message(zh: "文件是空的", en: "The file is empty"))
        }
        var index: [OpeningBalanceColumn: Int] = [:]
        var problems: [DomainError.Detail] = []
        for (i, name) in header.fields.enumerated() where !name.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let col = OpeningBalanceColumn.match(name) else {
                problems.append(.init(line: header.line, field: name, message: Message(zh: "未知的列:\(name)", en: "Unknown column: \(name)")))
                continue
            }
            index[col] = i
        }
        for col in OpeningBalanceColumn.required where index[col] == nil {
            problems.append(.init(line: header.line, field: col.rawValue,
                message: Message(zh: "缺少必需的列:\(col.chinese)", en: "Missing required column: \(col.rawValue)")))
        }
        guard problems.isEmpty else { throw RegistryImport.rejected(problems) }
        guard rows.count - 1 <= maxRows else {
            throw DomainError(.invalidInput, code: "import_too_large",
                Message(zh: "文件超过 \(maxRows) 行,请分批导入", en: "The file has more than \(maxRows) rows; import it in parts"))
        }
        var plan = OpeningBalancePlan()
        // Two lines of one unit must not cover the same month: their bills would share a key.
        var covered: [String: Int] = [:]
        for row in rows.dropFirst() {
            func value(_ c: OpeningBalanceColumn) -> String {
                guard let i = index[c], i < row.fields.count else { return "" }
                return row.fields[i].trimmingCharacters(in: .whitespaces)
            }
            var lineProblems: [DomainError.Detail] = []
            func fail(_ c: OpeningBalanceColumn, _ m: Message) { lineProblems.append(.init(line: row.line, field: c.rawValue, message: m)) }

            let building = value(.building), room = value(.room)
            if building.isEmpty || building.count > 30 { fail(.building, Message(zh: "楼栋为空或过长", en: "building is empty or too long")) }
            if room.isEmpty || room.count > 20 { fail(.room, Message(zh: "房号为空或过长", en: "room is empty or too long")) }
            var amount = 0
            do {
                amount = try Money.fen(fromYuan: value(.amount), field: "amount")
                if amount == 0 { fail(.amount, Message(zh: "金额须大于 0", en: "the amount must be more than zero")) }
            } catch {
                fail(.amount, Message(zh: "金额无效:\(value(.amount))(写成元,最多两位小数)", en: "invalid amount: \(value(.amount)) (yuan, at most two decimals)"))
            }
            let since = value(.since)
            if !FeeMonth.isValid(since) { fail(.since, Message(zh: "起始月份无效:\(since)(应写成 2025-07)", en: "invalid first month: \(since) (write 2025-07)")) }
            var months = 1
            let monthsText = value(.months)
            if !monthsText.isEmpty {
                if monthsText.count <= 3, let m = Int(monthsText), (1...maxMonths).contains(m) { months = m } else {
                    fail(.months, Message(zh: "月数无效:\(monthsText)(1–\(maxMonths))", en: "invalid number of months: \(monthsText) (1–\(maxMonths))"))
                }
            }
            let note = value(.note)
            if note.count > 200 { fail(.note, Message(zh: "说明过长(200 字以内)", en: "the note is too long (up to 200 characters)")) }
            if lineProblems.isEmpty {
                let line = OpeningBalancePlan.Line(line: row.line, building: building, room: room, amountFen: amount, since: since, months: months, note: note)
                if amount < months {
                    fail(.amount, Message(zh: "金额不足以分摊到 \(months) 个月(每月至少 1 分)", en: "the amount is too small to spread over \(months) months (at least one fen a month)"))
                }
                for p in line.periods {
                    let key = building + "\u{1}" + room + "\u{1}" + p
                    if let earlier = covered[key] {
                        fail(.since, Message(zh: "与第 \(earlier) 行的同一房屋月份重叠(\(p))", en: "overlaps line \(earlier) for the same unit (\(p))"))
                        break
                    }
                    covered[key] = row.line
                }
                if lineProblems.isEmpty { plan.lines.append(line) }
            }
            problems += lineProblems
        }
        guard problems.isEmpty else { throw RegistryImport.rejected(problems) }
        guard !plan.lines.isEmpty else {
            throw DomainError(.invalidInput, code: "import_empty", Message(zh: "文件没有数据行", en: "The file has no data rows"))
        }
        return plan
    }

    /// The all-or-nothing rejection listing every bad line, worded as the registry import's (REG-4).
    public static func rejected(_ problems: [DomainError.Detail]) -> DomainError { RegistryImport.rejected(problems) }

    /// `fen` split over `months` months: evenly, the remainder on the first month.
    public static func spread(_ fen: Int, months: Int) -> [Int] {
        guard months > 0 else { return [] }
        let each = fen / months
        return (0..<months).map { $0 == 0 ? each + fen % months : each }
    }
}

/// What an opening-balance import did.
public struct OpeningBalanceReport: Sendable, Equatable, Codable {
    public var lines = 0
    public var billsCreated = 0
    /// Bills of the file that were already there (the same file imported again).
    public var billsExisting = 0
    public var totalFen = 0

    public init() {}
}
