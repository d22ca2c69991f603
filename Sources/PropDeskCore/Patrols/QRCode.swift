import Foundation

/// The QR code (二维码) printed on a patrol checkpoint's label (巡更点标签). A guard's phone scans it
/// to open the checkpoint's page, so it carries a short URL such as
/// `https://desk.example.cn/p/AB12CD` — rarely more than about 120 bytes.
///
/// Written here rather than taken from a package because the core imports Foundation only and
/// labels are printed on Linux servers, where there is no CoreImage generator.
///
/// This is ISO/IEC 18004:2015 restricted to what a label needs: one byte-mode segment (the
/// text's UTF-8, no ECI, which is what phones expect for URLs), the smallest of versions 1…40
/// that holds it at the chosen error correction, and the mask with the lowest penalty. The
/// tests compare it module for module with segno, a Python encoder (`scripts/qr-reference`).
public struct QRCode: Sendable, Equatable {
    /// How much of the symbol may be damaged and still read: about 7 %, 15 %, 25 % and 30 %.
    /// Higher levels need a larger symbol for the same text.
    public enum ErrorCorrection: String, Sendable, CaseIterable {
        case low = "L", medium = "M", quartile = "Q", high = "H"

        /// Row in the block tables below, which follow the standard's L, M, Q, H order.
        fileprivate var tableRow: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }

        /// The two bits written in the format information (Table 12); not in L, M, Q, H order.
        fileprivate var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }
    }

    /// The text does not fit in version 40 at this error correction level.
    public struct TooLong: Error, Sendable, Equatable {
        /// The text's length in UTF-8 bytes.
        public let byteCount: Int
        /// The most bytes version 40 holds at `correction` (2,953 at L down to 1,273 at H).
        public let maximumByteCount: Int
        public let correction: ErrorCorrection
    }

    /// 1…40; the symbol has `17 + 4 × version` modules a side.
    public let version: Int
    public let correction: ErrorCorrection
    /// The data mask pattern 0…7 that was applied.
    public let mask: Int
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row by row, `true` for a dark module.
    private let modules: [Bool]

    /// Encodes `text` as UTF-8 in byte mode in the smallest version that holds it.
    public init(_ text: String, correction: ErrorCorrection = .medium) throws {
        let byteCount = text.utf8.count
        guard let version = (1...40).first(where: { Self.byteCapacity(version: $0, correction: correction) >= byteCount }) else {
            throw TooLong(byteCount: byteCount,
                          maximumByteCount: Self.byteCapacity(version: 40, correction: correction),
                          correction: correction)
        }
        var grid = Grid(version: version)
        grid.place(Self.finalMessage(Array(text.utf8), version: version, correction: correction))

        // Ties go to the lower mask number, as in segno and most encoders.
        var bestMask = 0
        var bestPenalty = Int.max
        for mask in 0..<8 {
            let penalty = grid.masked(mask).penalty()
            if penalty < bestPenalty {
                bestMask = mask
                bestPenalty = penalty
            }
        }
        grid = grid.masked(bestMask)
        // Format and version information are drawn after the mask is chosen, so the penalty was
        // scored with those modules light (the order of ISO/IEC 18004 §7.8–7.10, which segno keeps).
        grid.drawFormatInformation(correction: correction, mask: bestMask)
        grid.drawVersionInformation()

        self.version = version
        self.correction = correction
        self.mask = bestMask
        self.size = grid.size
        self.modules = grid.dark
    }

    /// Whether the module in column `x`, row `y` is dark; anything outside the symbol is quiet
    /// zone and light, so a renderer need not check bounds.
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// One line per row, "1" for dark and "0" for light: for tests and for reading a diff.
    public func text() -> String {
        (0..<size).map { y in
            String((0..<size).map { x in isDark(x: x, y: y) ? "1" : "0" })
        }.joined(separator: "\n")
    }

    /// A self-contained SVG for printing: a white square and one path of dark modules, each
    /// horizontal run of dark modules drawn as one rectangle so a label stays a few kilobytes.
    /// `moduleSize` (user units per module) is held to 1…100 and `quietZone` (modules of white
    /// around the symbol; scanners want 4) to 0…40, so a size taken from a request cannot overflow.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4) -> String {
        let unit = min(max(moduleSize, 1), 100)
        let margin = min(max(quietZone, 0), 40)
        let side = (size + 2 * margin) * unit
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\((x + margin) * unit) \((y + margin) * unit)h\(run * unit)v\(unit)h-\(run * unit)z"
                x += run
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side)" height="\(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/>\
            </svg>
            """
    }
}

// MARK: - Capacity and codewords

extension QRCode {
    /// Error correction codewords in each block, by level (L, M, Q, H) and version 1…40
    /// (ISO/IEC 18004 Table 9).
    private static let errorCorrectionCodewordsPerBlock: [[Int]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Error correction blocks, by level (L, M, Q, H) and version 1…40 (Table 9). Where the
    /// table lists two block sizes, the longer blocks hold one more data codeword and come last.
    private static let errorCorrectionBlocks: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules left for codewords once the function patterns and the format and version
    /// information are drawn; for versions 2–6, 14–20 and 21–34 not a multiple of 8, and the
    /// remainder stays light.
    private static func codewordModules(version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentsPerSide = version / 7 + 2
            modules -= (25 * alignmentsPerSide - 10) * alignmentsPerSide - 55
        }
        if version >= 7 {
            modules -= 36
        }
        return modules
    }

    private static func dataCodewordCount(version: Int, correction: ErrorCorrection) -> Int {
        let row = correction.tableRow
        return codewordModules(version: version) / 8
            - errorCorrectionCodewordsPerBlock[row][version - 1] * errorCorrectionBlocks[row][version - 1]
    }

    /// Byte mode spends 4 bits on the mode and 8 (versions 1–9) or 16 bits on the length.
    private static func lengthBits(version: Int) -> Int {
        version <= 9 ? 8 : 16
    }

    /// The most bytes of text `version` holds at `correction`.
    static func byteCapacity(version: Int, correction: ErrorCorrection) -> Int {
        (dataCodewordCount(version: version, correction: correction) * 8 - 4 - lengthBits(version: version)) / 8
    }

    /// The codewords placed in the symbol: the data, then error correction, interleaved (§7.4–7.6).
    /// The caller has checked that the bytes fit.
    static func finalMessage(_ bytes: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let data = dataCodewords(bytes, version: version, correction: correction)
        return interleavedWithErrorCorrection(data, version: version, correction: correction)
    }

    /// Mode, length, the bytes, a terminator of up to four zero bits, zero bits to the byte,
    /// then the pad codewords 0xEC and 0x11 in turn (§7.4.9–7.4.10).
    private static func dataCodewords(_ bytes: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, correction: correction)
        var stream = BitStream()
        stream.append(0b0100, bits: 4)
        stream.append(bytes.count, bits: lengthBits(version: version))
        for byte in bytes {
            stream.append(Int(byte), bits: 8)
        }
        stream.append(0, bits: min(4, capacity * 8 - stream.count))
        stream.append(0, bits: (8 - stream.count % 8) % 8)
        var codewords = stream.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords, and interleaves:
    /// the first data codeword of every block, then the second…, then the error correction
    /// codewords the same way (§7.6), so a smudge spreads over many blocks.
    private static func interleavedWithErrorCorrection(_ data: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let row = correction.tableRow
        let blockCount = errorCorrectionBlocks[row][version - 1]
        let errorCorrectionLength = errorCorrectionCodewordsPerBlock[row][version - 1]
        let totalCodewords = codewordModules(version: version) / 8
        let shortBlockCount = blockCount - totalCodewords % blockCount
        let shortBlockDataLength = totalCodewords / blockCount - errorCorrectionLength
        let divisor = ReedSolomon.divisor(degree: errorCorrectionLength)

        var dataBlocks: [ArraySlice<UInt8>] = []
        var errorCorrectionBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortBlockDataLength + (block < shortBlockCount ? 0 : 1)
            let blockData = data[start..<start + length]
            dataBlocks.append(blockData)
            errorCorrectionBlocks.append(ReedSolomon.remainder(of: blockData, divisor: divisor))
            start += length
        }

        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords)
        for index in 0...shortBlockDataLength {
            for block in dataBlocks where index < block.count {
                result.append(block[block.startIndex + index])
            }
        }
        for index in 0..<errorCorrectionLength {
            for block in errorCorrectionBlocks {
                result.append(block[index])
            }
        }
        return result
    }
}

/// Bits written most significant first and read back as bytes.
private struct BitStream {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, bits: Int) {
        for shift in stride(from: bits - 1, through: 0, by: -1) {
            if count % 8 == 0 {
                bytes.append(0)
            }
            if (value >> shift) & 1 == 1 {
                bytes[count / 8] |= UInt8(0x80 >> (count % 8))
            }
            count += 1
        }
    }
}

/// Reed–Solomon error correction over GF(256) with the field polynomial x⁸+x⁴+x³+x²+1 (0x11D)
/// and generator roots α⁰…αⁿ⁻¹, α = 2 (§7.5.2).
private enum ReedSolomon {
    /// `exponent[i]` is αⁱ, written twice over so a sum of two logarithms needs no reduction.
    private static let exponent: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for power in 0..<255 {
            table[power] = UInt8(value)
            table[power + 255] = UInt8(value)
            value <<= 1
            if value >= 256 {
                value ^= 0x11D
            }
        }
        return table
    }()

    private static let logarithm: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for power in 0..<255 {
            table[Int(exponent[power])] = power
        }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return exponent[logarithm[Int(a)] + logarithm[Int(b)]]
    }

    /// The generator polynomial's coefficients after its leading 1, highest power first.
    static func divisor(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = multiply(coefficients[index], root)
                if index + 1 < degree {
                    coefficients[index] ^= coefficients[index + 1]
                }
            }
            root = multiply(root, 2)
        }
        return coefficients
    }

    /// The remainder of data · xⁿ divided by the generator: the block's error correction codewords.
    static func remainder(of data: ArraySlice<UInt8>, divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices {
                result[index] ^= multiply(divisor[index], factor)
            }
        }
        return result
    }
}

// MARK: - The module grid

/// The symbol while it is built: dark modules, and which modules are function patterns or
/// format and version information (reserved), which masks never touch and codewords skip.
private struct Grid {
    let version: Int
    let size: Int
    private(set) var dark: [Bool]
    private var reserved: [Bool]

    /// Draws the function patterns and reserves the format and version areas, left light for now.
    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = Array(repeating: false, count: size * size)
        reserved = Array(repeating: false, count: size * size)

        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index.isMultiple(of: 2))
            setFunction(x: index, y: 6, dark: index.isMultiple(of: 2))
        }
        // Finder patterns with their light separators: rings at distance 2 and 4 from the centre are light.
        for (centreX, centreY) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let ring = max(abs(dx), abs(dy))
                    let x = centreX + dx, y = centreY + dy
                    if x >= 0, y >= 0, x < size, y < size {
                        setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
                    }
                }
            }
        }
        let centres = Self.alignmentCentres(version: version)
        for cy in centres {
            for cx in centres {
                let last = centres.count - 1
                let overlapsFinder = (cx == centres[0] && cy == centres[0])
                    || (cx == centres[0] && cy == centres[last])
                    || (cx == centres[last] && cy == centres[0])
                guard !overlapsFinder else { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        setFunction(x: cx + dx, y: cy + dy, dark: max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }
        for (first, second) in Self.formatPositions(size: size) {
            setFunction(x: first.x, y: first.y, dark: false)
            setFunction(x: second.x, y: second.y, dark: false)
        }
        setFunction(x: 8, y: size - 8, dark: false)
        if version >= 7 {
            for bit in 0..<18 {
                setFunction(x: size - 11 + bit % 3, y: bit / 3, dark: false)
                setFunction(x: bit / 3, y: size - 11 + bit % 3, dark: false)
            }
        }
    }

    /// Centres of the alignment patterns on each axis (Annex E): 6, then from `size − 7` down
    /// by an even step, so any uneven gap falls between the first two. The step is the closed
    /// form of the table (as in Nayuki's encoder), checked against all forty rows by the tests.
    static func alignmentCentres(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        let last = version * 4 + 10
        return [6] + (0..<count - 1).map { last - $0 * step }.reversed()
    }

    /// The two copies of each format bit, least significant first (Figure 25).
    static func formatPositions(size: Int) -> [((x: Int, y: Int), (x: Int, y: Int))] {
        (0..<15).map { bit in
            let nearFinder: (x: Int, y: Int) = switch bit {
            case 0...5: (8, bit)
            case 6: (8, 7)
            case 7: (8, 8)
            case 8: (7, 8)
            default: (14 - bit, 8)
            }
            let split: (x: Int, y: Int) = bit < 8 ? (size - 1 - bit, 8) : (8, size - 15 + bit)
            return (nearFinder, split)
        }
    }

    private mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
        dark[y * size + x] = isDark
        reserved[y * size + x] = true
    }

    /// Places the codeword bits, most significant first, in two-module columns from the right,
    /// upwards and downwards in turn, skipping the vertical timing column and reserved modules
    /// (§7.7.3). Modules left over are remainder bits and stay light.
    mutating func place(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bit = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 {
                right = 5
            }
            let upwards = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let y = upwards ? size - 1 - vertical : vertical
                for x in (right - 1...right).reversed() where !reserved[y * size + x] && bit < bitCount {
                    dark[y * size + x] = (codewords[bit / 8] >> (7 - bit % 8)) & 1 == 1
                    bit += 1
                }
            }
            right -= 2
        }
    }

    /// A copy with data mask `mask` applied (Table 10; x is the column, y the row).
    func masked(_ mask: Int) -> Grid {
        var copy = self
        for y in 0..<size {
            for x in 0..<size where !reserved[y * size + x] {
                let invert = switch mask {
                case 0: (x + y) % 2 == 0
                case 1: y % 2 == 0
                case 2: x % 3 == 0
                case 3: (x + y) % 3 == 0
                case 4: (x / 3 + y / 2) % 2 == 0
                case 5: x * y % 2 + x * y % 3 == 0
                case 6: (x * y % 2 + x * y % 3) % 2 == 0
                default: ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if invert {
                    copy.dark[y * size + x].toggle()
                }
            }
        }
        return copy
    }

    /// The level and mask with their BCH(15, 5) check bits, XORed with 0x5412 so they are never
    /// all light (§7.9.1). Drawn twice, and the dark module beside the lower-left finder.
    mutating func drawFormatInformation(correction: QRCode.ErrorCorrection, mask: Int) {
        let data = correction.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 {
            remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
        }
        let bits = (data << 10 | remainder) ^ 0x5412
        for (bit, (first, second)) in Self.formatPositions(size: size).enumerated() {
            let isDark = (bits >> bit) & 1 == 1
            dark[first.y * size + first.x] = isDark
            dark[second.y * size + second.x] = isDark
        }
        dark[(size - 8) * size + 8] = true
    }

    /// From version 7 on, the version with its BCH(18, 6) check bits, in two 6 × 3 blocks (§7.10).
    mutating func drawVersionInformation() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 {
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
        }
        let bits = version << 12 | remainder
        for bit in 0..<18 {
            let isDark = (bits >> bit) & 1 == 1
            dark[(bit / 3) * size + size - 11 + bit % 3] = isDark
            dark[(size - 11 + bit % 3) * size + bit / 3] = isDark
        }
    }

    // MARK: Penalty (§7.8.3, Table 11)

    /// The sum of the four penalties; lower reads more reliably. Counted with few branches:
    /// on data that looks random, mispredicted branches were most of an encoding's time.
    func penalty() -> Int {
        var total = 0
        // Rows, then columns, as 0 and 1, each with four light modules of quiet zone either side.
        let stride = size + 8
        var lines = [UInt8](repeating: 0, count: 2 * size * stride)
        for y in 0..<size {
            for x in 0..<size {
                let module: UInt8 = dark[y * size + x] ? 1 : 0
                lines[y * stride + 4 + x] = module
                lines[(size + x) * stride + 4 + y] = module
            }
        }
        for line in 0..<2 * size {
            total += Self.linePenalty(lines, start: line * stride, count: stride)
        }
        // N2: 3 for each 2 × 2 block of one colour, overlapping blocks counted separately.
        for y in 1..<size {
            for x in 1..<size {
                let darkInBlock = (dark[y * size + x] ? 1 : 0) + (dark[y * size + x - 1] ? 1 : 0)
                    + (dark[(y - 1) * size + x] ? 1 : 0) + (dark[(y - 1) * size + x - 1] ? 1 : 0)
                total += darkInBlock % 4 == 0 ? 3 : 0
            }
        }
        // N4: 10 for each whole 5 % step the share of dark modules lies away from half.
        var darkCount = 0
        for isDark in dark {
            darkCount += isDark ? 1 : 0
        }
        let moduleCount = size * size
        total += 10 * (abs(20 * darkCount - 10 * moduleCount) / moduleCount)
        return total
    }

    /// N1 and N3 along one row or column: `lines[start..<start + count]`, which begins and ends
    /// with four light modules.
    private static func linePenalty(_ lines: [UInt8], start: Int, count: Int) -> Int {
        let line = lines[start..<start + count]
        let end = start + count - 4
        var penalty = 0

        // N1: a run of five or more modules of one colour scores 3, plus 1 for each module beyond five.
        var runLength = 1
        for index in start + 5..<end {
            let sameColour = Int(1 ^ line[index] ^ line[index - 1])
            runLength = runLength * sameColour + 1
            penalty += runLength == 5 ? 3 : (runLength > 5 ? 1 : 0)
        }

        // N3: 40 for each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) run with four light
        // modules before or after it, the quiet zone counting as light. `window` holds the last
        // 15 modules, so a pattern is seen with the four modules on each side of it. A counted
        // pattern's modules are not used again, as in segno (a pattern can overlap itself only
        // from its fifth module on, so that is the only case where it matters).
        let pattern = 0b1011101 << 4
        var window = 0
        var nextStart = 0
        for index in line.indices {
            window = (window << 1 | Int(line[index])) & 0x7FFF
            let patternStart = index - 10
            if window & 0x7F0 == pattern, patternStart >= nextStart, window & 0xF == 0 || window >> 11 == 0 {
                penalty += 40
                nextStart = patternStart + 7
            }
        }
        return penalty
    }
}
