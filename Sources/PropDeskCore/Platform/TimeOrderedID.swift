import Foundation

extension UUID {
    /// A new identifier that begins with the moment it was made (RFC 9562, version 7): 48 bits
    /// of Unix milliseconds, then 74 random bits. Rows written one after another then land next
    /// to each other in every index on the identifier — the last page of the B-tree instead of a
    /// random one (issue 19: an intake touched a dozen scattered index pages, each written to the
    /// log at the commit; half-empty pages after random inserts also swell the file). Used for
    /// the rows written by the thousand: orders, their clocks, timeline entries and alerts.
    /// Still unguessable: 74 random bits.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        var random = SystemRandomNumberGenerator()
        return timeOrdered(at: date, using: &random)
    }

    /// The same with a given source of randomness (a seeded one repeats its identifiers).
    public static func timeOrdered<R: RandomNumberGenerator>(at date: Date, using random: inout R) -> UUID {
        let ms = UInt64(max(0, min(date.timeIntervalSince1970 * 1000, Double(1 << 48 - 1))))
        let a = random.next(), b = random.next()
        func byte(_ v: UInt64, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: v >> (8 * i)) }
        return UUID(uuid: (byte(ms, 5), byte(ms, 4), byte(ms, 3), byte(ms, 2), byte(ms, 1), byte(ms, 0),
                           0x70 | (byte(a, 0) & 0x0F), byte(a, 1),
                           0x80 | (byte(b, 0) & 0x3F), byte(b, 1), byte(b, 2), byte(b, 3), byte(b, 4), byte(b, 5), byte(b, 6), byte(b, 7)))
    }
}
