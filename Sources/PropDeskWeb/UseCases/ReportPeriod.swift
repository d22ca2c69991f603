import Foundation
import PropDeskCore
import PropDeskStore

/// The period a page or an operation is asked about — `?month=2026-11`, `?year=2026`,
/// `?day=2026-11-30` — by one rule everywhere: left out, it is the current one in the community's
/// time zone; malformed, it is refused with a 422 in the user's language (never silently replaced
/// by the current one, which would show this month's figures under a link the user thinks is
/// another month's).
enum ReportPeriod {
    static func month(_ raw: String?, timeZone: String, now: Date) throws -> String {
        guard let raw, !raw.isEmpty else { return DutyStore.month(of: now, timeZone: timeZone) }
        _ = try MonthSummary.range(month: raw, timeZone: timeZone)
        return raw
    }

    static func year(_ raw: String?, timeZone: String, now: Date) throws -> Int {
        guard let raw, !raw.isEmpty else { return Int(LocalTime(timeZone).format(now, "yyyy")) ?? 2026 }
        guard raw.count <= 4, let y = Int(raw) else {
            throw DomainError.invalid(field: "year", Message(zh: "年份应在 2000 至 2100 之间", en: "The year must be between 2000 and 2100"))
        }
        return try CustomerRelationsInput.year(y)
    }

    static func day(_ raw: String?, timeZone: String, now: Date) throws -> String {
        guard let raw, !raw.isEmpty else { return LocalTime(timeZone).format(now, "yyyy-MM-dd") }
        guard PatrolCoverage.day(raw, timeZone: timeZone) != nil else {
            throw DomainError.invalid(field: "day", Message(zh: "日期格式应为 2026-11-30", en: "A day is written 2026-11-30"))
        }
        return raw
    }
}
