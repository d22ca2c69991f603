/// Numbers written with leading zeros ("00402", "2026-10-01") without `String(format:)`, which
/// goes through Core Foundation's formatter and cost more than the rest of an order's number on
/// every intake (issue 19).
extension Int {
    /// The decimal digits, padded with zeros on the left to at least `width` (a minus sign, if
    /// any, counts as one of them).
    public func zeroPadded(_ width: Int) -> String {
        let sign = self < 0 ? "-" : ""
        let digits = String(magnitude)
        let zeros = width - sign.count - digits.count
        return sign + (zeros > 0 ? String(repeating: "0", count: zeros) : "") + digits
    }
}
