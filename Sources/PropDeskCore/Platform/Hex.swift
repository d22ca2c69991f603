/// Bytes as lower-case hexadecimal text (digests, signatures, token hashes). One table lookup per
/// half byte: `String(format: "%02x")` per byte cost a few percent of every intake (issue 19).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of lower- or upper-case hexadecimal text; nil for anything else (an odd length,
    /// a character that is not a digit).
    public static func bytes(_ text: String) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var digits = utf8.makeIterator()
        while let h = digits.next(), let l = digits.next() {
            guard let high = value(h), let low = value(l) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
