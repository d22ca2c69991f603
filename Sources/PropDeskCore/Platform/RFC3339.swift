import Foundation

/// An instant written as RFC 3339 in UTC, whole seconds (`2026-11-30T04:05:06Z`) — what the API
/// writes for every date. Foundation's ISO-8601 formatter took 5 % of an order list in the profile
/// (issue 19: a list carries ~10 dates per order); this is arithmetic on the seconds since 1970
/// (the civil-from-days algorithm, proleptic Gregorian), with the same text as the formatter.
public enum RFC3339 {
    /// `nil` outside the years 1583–9999 (the caller falls back to Foundation): Foundation writes
    /// earlier dates in the Julian calendar, and the four-digit form ends with 9999.
    public static func utc(_ date: Date) -> String? {
        let t = date.timeIntervalSince1970
        guard t.isFinite, t >= -12_212_553_600, t < 253_402_300_800 else { return nil }
        // Foundation rounds to the millisecond, then drops the fraction: 59.9996 s is written as 1 min.
        let seconds = Int(((t * 1000).rounded() / 1000).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        var bytes = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int, _ at: Int, _ width: Int) {
            var v = value
            for i in stride(from: at + width - 1, through: at, by: -1) {
                bytes[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(year, 0, 4); bytes[4] = 45
        put(month, 5, 2); bytes[7] = 45
        put(day, 8, 2); bytes[10] = 84
        put(inDay / 3_600, 11, 2); bytes[13] = 58
        put(inDay / 60 % 60, 14, 2); bytes[16] = 58
        put(inDay % 60, 17, 2); bytes[19] = 90
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's civil-from-days).
    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
