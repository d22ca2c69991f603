import Foundation

/// A DEFLATE decoder (RFC 1951: stored, fixed and dynamic Huffman blocks) in pure Swift, for the
/// spreadsheet imports (REG-4, FEE-1). Every read is bounds-checked and the output is capped, so
/// a damaged or hostile stream ends in `Inflate.Failure`, never a crash or an unbounded buffer.
public enum Inflate {
    public enum Failure: Error, Sendable, Equatable {
        /// The stream is not valid DEFLATE data (bad block type, bad code, distance too far, cut short…).
        case corrupt
        /// The output would be larger than the limit the caller allowed.
        case tooLarge
    }

    /// Decodes a raw DEFLATE stream (no zlib or gzip header) of at most `limit` bytes of output.
    public static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(Failure) -> [UInt8] {
        var bits = BitReader(input)
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, max(input.count * 4, 1024)))
        var final = false
        while !final {
            final = try bits.read(1) == 1
            switch try bits.read(2) {
            case 0: try stored(&bits, into: &out, limit: limit)
            case 1: try codes(&bits, Huffman.fixedLiterals, Huffman.fixedDistances, into: &out, limit: limit)
            case 2:
                let (literals, distances) = try dynamicTables(&bits)
                try codes(&bits, literals, distances, into: &out, limit: limit)
            default: throw .corrupt
            }
        }
        return out
    }

    /// A stored block: LEN and its complement, then LEN bytes as they are.
    private static func stored(_ bits: inout BitReader, into out: inout [UInt8], limit: Int) throws(Failure) {
        bits.alignToByte()
        let length = try bits.read(16)
        guard try bits.read(16) == length ^ 0xFFFF else { throw .corrupt }
        guard out.count + length <= limit else { throw .tooLarge }
        try bits.copyBytes(length, into: &out)
    }

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                              4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order code-length code lengths are sent in (RFC 1951 §3.2.7).
    private static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The literal/length and distance codes of a dynamic block.
    private static func dynamicTables(_ bits: inout BitReader) throws(Failure) -> (Huffman, Huffman) {
        let literalCount = try bits.read(5) + 257
        let distanceCount = try bits.read(5) + 1
        let codeLengthCount = try bits.read(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .corrupt }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengthLengths[codeLengthOrder[i]] = try UInt8(bits.read(3)) }
        let codeLengthCode = try Huffman(lengths: codeLengthLengths[...])

        let total = literalCount + distanceCount
        var lengths: [UInt8] = []
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try bits.decode(codeLengthCode)
            switch symbol {
            case 0...15: lengths.append(UInt8(symbol))
            case 16:
                guard let previous = lengths.last else { throw .corrupt }
                let repeatCount = try bits.read(2) + 3
                guard lengths.count + repeatCount <= total else { throw .corrupt }
                lengths += repeatElement(previous, count: repeatCount)
            case 17, 18:
                let repeatCount = try symbol == 17 ? bits.read(3) + 3 : bits.read(7) + 11
                guard lengths.count + repeatCount <= total else { throw .corrupt }
                lengths += repeatElement(0, count: repeatCount)
            default: throw .corrupt
            }
        }
        // A block without an end-of-block code could never end.
        guard lengths[256] != 0 else { throw .corrupt }
        return (try Huffman(lengths: lengths[0..<literalCount]), try Huffman(lengths: lengths[literalCount..<total]))
    }

    /// The compressed data of a Huffman block: literals and (length, distance) back-references.
    private static func codes(_ bits: inout BitReader, _ literals: Huffman, _ distances: Huffman,
                              into out: inout [UInt8], limit: Int) throws(Failure) {
        while true {
            let symbol = try bits.decode(literals)
            if symbol < 256 {
                guard out.count < limit else { throw .tooLarge }
                out.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let li = symbol - 257
            guard li < lengthBase.count else { throw .corrupt }
            let length = try bits.read(lengthExtra[li]) + lengthBase[li]
            let di = try bits.decode(distances)
            guard di < distanceBase.count else { throw .corrupt }
            let distance = try bits.read(distanceExtra[di]) + distanceBase[di]
            guard distance <= out.count else { throw .corrupt }
            guard out.count + length <= limit else { throw .tooLarge }
            let start = out.count - distance
            for i in 0..<length { out.append(out[start + i]) }
        }
    }
}

/// A canonical Huffman code as one lookup table indexed by the next `bits` input bits
/// (least significant first): each entry holds symbol << 4 | code length; 0 marks no code.
struct Huffman: Sendable {
    let table: [UInt16]
    let bits: Int

    init(lengths: ArraySlice<UInt8>) throws(Inflate.Failure) {
        var count = [Int](repeating: 0, count: 16)
        for l in lengths {
            guard l <= 15 else { throw .corrupt }
            count[Int(l)] += 1
        }
        count[0] = 0
        // Over-subscribed codes are invalid; incomplete ones are allowed (a lone distance code).
        var left = 1
        for len in 1...15 {
            left = left * 2 - count[len]
            guard left >= 0 else { throw .corrupt }
        }
        let maxLength = max(1, (1...15).last { count[$0] > 0 } ?? 1)
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for len in 1...15 {
            code = (code + count[len - 1]) << 1
            next[len] = code
        }
        var table = [UInt16](repeating: 0, count: 1 << maxLength)
        for (symbol, l) in lengths.enumerated() where l > 0 {
            let len = Int(l)
            let c = next[len]
            next[len] += 1
            var reversed = 0
            for b in 0..<len where c & (1 << b) != 0 { reversed |= 1 << (len - 1 - b) }
            let entry = UInt16(symbol << 4 | len)
            var i = reversed
            while i < table.count {
                table[i] = entry
                i += 1 << len
            }
        }
        self.table = table
        self.bits = maxLength
    }

    /// The fixed codes of block type 1 (RFC 1951 §3.2.6).
    static let fixedLiterals: Huffman = {
        let lengths = [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
            + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)
        // The fixed lengths form a complete code, so this cannot fail.
        return (try? Huffman(lengths: lengths[...])) ?? Huffman(empty: ())
    }()
    static let fixedDistances: Huffman = (try? Huffman(lengths: [UInt8](repeating: 5, count: 30)[...])) ?? Huffman(empty: ())

    /// A code with no symbols: every lookup fails as corrupt.
    private init(empty: Void) { table = [0, 0]; bits = 1 }
}

/// Reads a DEFLATE stream's bits, least significant first, never past the end of the input.
struct BitReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int
    private var buffer: UInt64 = 0
    private var count = 0

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    private mutating func refill() {
        while count <= 56, position < bytes.endIndex {
            buffer |= UInt64(bytes[position]) << UInt64(count)
            position += 1
            count += 8
        }
    }

    /// The next `n` (0…16) bits as a number.
    mutating func read(_ n: Int) throws(Inflate.Failure) -> Int {
        if n == 0 { return 0 }
        if count < n {
            refill()
            guard count >= n else { throw .corrupt }
        }
        let value = Int(buffer & ((1 << UInt64(n)) - 1))
        buffer >>= UInt64(n)
        count -= n
        return value
    }

    /// One symbol of `code`; bits past the end of the input read as zero but may not be used.
    mutating func decode(_ code: Huffman) throws(Inflate.Failure) -> Int {
        if count < code.bits { refill() }
        let index = Int(buffer & ((1 << UInt64(code.bits)) - 1))
        guard index < code.table.count else { throw .corrupt }
        let entry = code.table[index]
        let length = Int(entry & 15)
        guard length > 0, length <= count else { throw .corrupt }
        buffer >>= UInt64(length)
        count -= length
        return Int(entry >> 4)
    }

    mutating func alignToByte() {
        let drop = count % 8
        buffer >>= UInt64(drop)
        count -= drop
    }

    /// `n` whole bytes (after `alignToByte`): first those already buffered, then straight from the input.
    mutating func copyBytes(_ n: Int, into out: inout [UInt8]) throws(Inflate.Failure) {
        var remaining = n
        while remaining > 0, count >= 8 {
            out.append(try UInt8(truncatingIfNeeded: read(8)))
            remaining -= 1
        }
        guard remaining > 0 else { return }
        guard count == 0, bytes.endIndex - position >= remaining else { throw .corrupt }
        out.append(contentsOf: bytes[position..<position + remaining])
        position += remaining
    }
}

/// CRC-32 (ISO 3309, as ZIP uses it), to tell a damaged entry from a good one.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
