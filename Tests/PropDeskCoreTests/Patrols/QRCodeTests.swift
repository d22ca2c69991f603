import XCTest
@testable import PropDeskCore

/// SPEC FLD3: a patrol checkpoint's label carries its URL as a QR code. The expected symbols come
/// from segno, an independent Python encoder, through `scripts/qr-reference`, which says how they
/// were made and the one correction applied to segno.
final class QRCodeTests: XCTestCase {
    func testFLD3_qrMatchesSegnoForSeveralLengthsAndLevels() throws {
        for reference in segnoSymbols {
            let code = try QRCode(reference.text, correction: reference.correction)
            let label = "\(reference.text.utf8.count) bytes at \(reference.correction.rawValue): \(reference.text)"
            XCTAssertEqual(code.version, reference.version, label)
            XCTAssertEqual(code.size, 17 + 4 * reference.version, label)
            XCTAssertEqual(code.mask, reference.mask, label)
            XCTAssertNil(firstDifference(code, reference.modules), label)
        }
    }

    /// Capacity, block tables and Reed–Solomon codewords of every version at every level, checked
    /// on the codewords alone: drawing and masking 160 symbols would make this suite slow.
    func testFLD3_codewordsMatchSegnoForEveryVersionAndLevel() {
        for reference in segnoCodewords {
            let label = "version \(reference.version) \(reference.correction.rawValue)"
            XCTAssertEqual(QRCode.byteCapacity(version: reference.version, correction: reference.correction),
                           reference.capacity, label)
            let text = sweepText(byteCount: reference.capacity, version: reference.version)
            let codewords = QRCode.finalMessage(Array(text.utf8), version: reference.version, correction: reference.correction)
            XCTAssertEqual(fnv1a64(codewords), reference.digest, label)
        }
    }

    /// One whole symbol in every version: alignment patterns, version information, placement
    /// around them, and the choice of mask.
    func testFLD3_qrMatchesSegnoInEveryVersion() throws {
        for reference in segnoSweep {
            let text = sweepText(byteCount: reference.byteCount, version: reference.version)
            let code = try QRCode(text, correction: reference.correction)
            let label = "version \(reference.version) \(reference.correction.rawValue), \(reference.byteCount) bytes"
            XCTAssertEqual(code.version, reference.version, label)
            XCTAssertEqual(code.mask, reference.mask, label)
            XCTAssertEqual(fnv1a64(Array(code.text().utf8)), reference.digest, label)
        }
    }

    func testFLD3_svgDrawsExactlyTheDarkModulesAsOnePathOfRuns() throws {
        let code = try QRCode("https://desk.example.cn/p/AB12CD")
        let unit = 3, margin = 2
        let svg = code.svg(moduleSize: unit, quietZone: margin)
        let side = (code.size + 2 * margin) * unit

        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" width=\"\(side)\" height=\"\(side)\" shape-rendering=\"crispEdges\">"))
        XCTAssertTrue(svg.hasSuffix("</svg>"))
        XCTAssertTrue(svg.contains("<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"))
        XCTAssertEqual(svg.components(separatedBy: "<path ").count, 2)
        XCTAssertFalse(svg.contains("href"))

        let path = try XCTUnwrap(svg.components(separatedBy: " d=\"").last?.components(separatedBy: "\"").first)
        var drawn = Array(repeating: Array(repeating: false, count: code.size), count: code.size)
        var runs = 0
        for command in path.split(separator: "z") {
            // "M{x} {y}h{width}v{unit}h-{width}"
            let numbers = command.split(whereSeparator: { "Mhv -".contains($0) }).compactMap { Int($0) }
            XCTAssertEqual(numbers.count, 5, String(command))
            guard numbers.count == 5 else { continue }
            XCTAssertEqual(numbers[3], unit)
            XCTAssertEqual(numbers[4], numbers[2])
            let x = numbers[0] / unit - margin, y = numbers[1] / unit - margin
            guard y >= 0, y < code.size, x >= 0, x + numbers[2] / unit <= code.size else {
                XCTFail("rectangle outside the symbol: \(command)")
                continue
            }
            for offset in 0..<numbers[2] / unit {
                drawn[y][x + offset] = true
            }
            runs += 1
        }
        XCTAssertNil(firstDifference(code, drawn))

        let expectedRuns = (0..<code.size).reduce(0) { count, y in
            count + (0..<code.size).filter { x in code.isDark(x: x, y: y) && !code.isDark(x: x - 1, y: y) }.count
        }
        XCTAssertEqual(runs, expectedRuns, "each horizontal run of dark modules is one rectangle")
        XCTAssertFalse(code.isDark(x: -1, y: 0), "outside the symbol is quiet zone")
        XCTAssertFalse(code.isDark(x: 0, y: code.size))

        let held = code.svg(moduleSize: .max, quietZone: -1)
        XCTAssertTrue(held.contains("viewBox=\"0 0 \(code.size * 100) \(code.size * 100)\""), "sizes are held to 1…100 and 0…40")
    }

    func testFLD3_textLongerThanVersion40HoldsThrowsTooLong() throws {
        for (correction, maximum) in [(QRCode.ErrorCorrection.low, 2953), (.high, 1273)] {
            XCTAssertEqual(try QRCode(String(repeating: "x", count: maximum), correction: correction).version, 40)
            XCTAssertThrowsError(try QRCode(String(repeating: "x", count: maximum + 1), correction: correction)) { error in
                XCTAssertEqual(error as? QRCode.TooLong,
                               QRCode.TooLong(byteCount: maximum + 1, maximumByteCount: maximum, correction: correction))
            }
        }
        // The limit is in UTF-8 bytes: 985 Chinese characters are 2,955 bytes.
        XCTAssertThrowsError(try QRCode(String(repeating: "检", count: 985), correction: .low)) { error in
            XCTAssertEqual((error as? QRCode.TooLong)?.byteCount, 2955)
        }
    }

    /// The first module where `code` differs from `expected` (rows of dark = true), or nil.
    private func firstDifference(_ code: QRCode, _ expected: [[Bool]]) -> String? {
        guard expected.count == code.size, expected.allSatisfy({ $0.count == code.size }) else {
            return "expected \(expected.count) rows, the code has \(code.size)"
        }
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) != expected[y][x] {
                return "first difference at x \(x), y \(y)"
            }
        }
        return nil
    }
}

/// A whole symbol from segno: rows as hex digits, most significant bit first, padded to a digit.
private struct ReferenceSymbol {
    let text: String
    let correction: QRCode.ErrorCorrection
    let version: Int
    let mask: Int
    let rows: String

    var modules: [[Bool]] {
        let size = 17 + 4 * version
        return rows.split(separator: "\n").map { line in
            Array(line.flatMap { digit in
                let value = digit.hexDigitValue ?? 0
                return (0..<4).map { value >> (3 - $0) & 1 == 1 }
            }.prefix(size))
        }
    }
}

/// The most bytes a version holds at a level, and a digest of segno's codewords for that many
/// bytes of `sweepText(byteCount:version:)`.
private struct ReferenceCodewords {
    let version: Int
    let correction: QRCode.ErrorCorrection
    let capacity: Int
    let digest: UInt64
}

/// A symbol from segno summarised: the text is `sweepText(byteCount:version:)`.
private struct ReferenceDigest {
    let version: Int
    let correction: QRCode.ErrorCorrection
    let byteCount: Int
    let mask: Int
    let digest: UInt64
}

/// The same text as `sweep_text` in scripts/qr-reference: ASCII that varies along its length.
private func sweepText(byteCount: Int, version: Int) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/?=&")
    return String((0..<byteCount).map { alphabet[($0 * $0 + 7 * $0 + version) % alphabet.count] })
}

/// FNV-1a, 64 bits: enough to tell two symbols apart, and a few lines in Python and in Swift.
private func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xCBF2_9CE4_8422_2325) { digest, byte in (digest ^ UInt64(byte)) &* 0x100_0000_01B3 }
}

// BEGIN segno fixture: made by scripts/qr-reference from segno 1.6.6 (heuer/segno#148 fixed); regenerate, do not edit.
private let segnoSymbols: [ReferenceSymbol] = [
    ReferenceSymbol(text: "7", correction: .low, version: 1, mask: 4, rows: """
        fefbf8
        82aa08
        ba82e8
        baf2e8
        ba0ae8
        82d208
        feabf8
        007800
        ce5178
        d9d958
        1eb3e0
        f8a6b8
        660e28
        00ce20
        fe6c00
        829950
        bab3f8
        ba3958
        ba73e0
        82a6a0
        fece28
        """),
    ReferenceSymbol(text: "P", correction: .high, version: 1, mask: 0, rows: """
        fecbf8
        821208
        ba0ae8
        ba92e8
        ba52e8
        826208
        feabf8
        005000
        2ecc48
        79ee30
        a37888
        38ba30
        8acca8
        008b40
        fe0f78
        82f5c0
        baf368
        ba1630
        baf488
        823c30
        fe06b8
        """),
    ReferenceSymbol(text: "/p/K7Q2M9", correction: .quartile, version: 1, mask: 0, rows: """
        fec3f8
        82ca08
        bacae8
        badae8
        bac2e8
        826208
        feabf8
        008800
        6b42f8
        e48348
        5fb7b8
        8155c8
        a3a490
        00ceb8
        fea6c8
        821c00
        bafaa0
        ba4270
        bae9c8
        82c2d0
        fe6bd8
        """),
    ReferenceSymbol(text: "/p/K7Q2M9?floor=3", correction: .medium, version: 2, mask: 2, rows: """
        fe1d3f8
        8227a08
        bad42e8
        ba93ae8
        ba902e8
        82c1a08
        feaabf8
        00a3800
        be10be0
        d42e420
        3a57528
        00b4488
        fbebfc8
        e980870
        8eb9f38
        9d929d0
        8650fb0
        00cf880
        fe46aa8
        82ec898
        ba8bf88
        bac0e58
        baf8908
        8253cc8
        fed0238
        """),
    ReferenceSymbol(text: "/p/K7Q2M9?floor=3", correction: .high, version: 3, mask: 3, rows: """
        fe7383f8
        82662208
        ba0d92e8
        ba27c2e8
        ba8312e8
        821c7a08
        feaaabf8
        00ed1000
        33ad2680
        60996d68
        ffd7f9d0
        b00caf90
        6e97dde8
        cc86de28
        a2723bd8
        3db90188
        364c7118
        1de89640
        8722ed30
        1926eb30
        7ae85fa8
        00c518f8
        fec4bad0
        823a7888
        ba722f88
        baedbcd0
        bab74a08
        8226e310
        fe70d3d0
        """),
    ReferenceSymbol(text: "三号楼大堂 检查点", correction: .low, version: 2, mask: 6, rows: """
        fe9ebf8
        8263208
        ba2a2e8
        ba0aae8
        ba52ae8
        8229a08
        feaabf8
        00b2000
        da73a08
        644b908
        02b5290
        d87dbd8
        f75fc50
        8c40150
        ef1ae20
        8194b88
        b70ffc8
        00d88d0
        fe74a80
        82088b8
        ba92f80
        bafb878
        ba2c438
        82ee2d8
        fede0c8
        """),
    ReferenceSymbol(text: "三号楼大堂 检查点", correction: .medium, version: 2, mask: 1, rows: """
        fefebf8
        8205208
        bad02e8
        ba502e8
        ba5e2e8
        82b1208
        feaabf8
        001c000
        a351928
        88a13a0
        ea81bb0
        044d5e0
        06afc50
        25ee2d8
        d6e8ab0
        045e120
        da2bfe8
        00a08e8
        fef4a80
        82668b0
        ba40f90
        ba512d0
        baa8d18
        8256ce0
        fede0c8
        """),
    ReferenceSymbol(text: "三号楼大堂 检查点", correction: .quartile, version: 3, mask: 1, rows: """
        fe025bf8
        82212a08
        ba48bae8
        ba9742e8
        ba642ae8
        82d5fa08
        feaaabf8
        00aa4800
        6238db40
        21c40b98
        22360a90
        cc3eff20
        7b9a8868
        04ad9aa8
        0763ea70
        29172fa8
        b320ed68
        284aa088
        db5cd260
        19c5e3f0
        c6bcafd0
        00cb58a8
        fe1f8aa0
        826948e0
        ba3f4fd8
        ba5e1250
        baf76d58
        82ec5920
        fe47f4a8
        """),
    ReferenceSymbol(text: "三号楼大堂 检查点", correction: .high, version: 4, mask: 2, rows: """
        feb11d3f8
        82db91208
        bae6352e8
        ba0800ae8
        ba44a42e8
        82b341a08
        feaaaabf8
        00e519000
        3ad0a1f38
        3888deaa8
        82322d458
        cc1927780
        a760ece38
        65254eb28
        eeec1be78
        456ef0f30
        235c50268
        8c4585be0
        7a5fbd7b8
        5908f1208
        4225537d8
        adde289e8
        bfeeac568
        9c463ec08
        b6c524f90
        00d1208b8
        fe0fabaa8
        826c998d0
        baff17f90
        bad5ddb50
        baf845980
        827afc540
        fe35885b0
        """),
    ReferenceSymbol(text: "https://desk.example.cn/p/AB12", correction: .low, version: 2, mask: 6, rows: """
        fecc3f8
        8246a08
        ba6d2e8
        ba25ae8
        ba0eae8
        825a208
        feaabf8
        00de000
        da4ba08
        95a31f0
        1a512c8
        711ab78
        367a308
        dd63c90
        c7032f8
        a1d2568
        8e8dfb0
        00e88b0
        fe3aa88
        822d880
        baa3f90
        bad6618
        ba54cf8
        82a05b8
        feeb848
        """),
    ReferenceSymbol(text: "https://desk.example.cn/p/AB12", correction: .high, version: 4, mask: 2, rows: """
        feeba1bf8
        828564a08
        ba816dae8
        ba0f0b2e8
        ba7290ae8
        82f68a208
        feaaaabf8
        009b7e800
        3add6af38
        dc27c3e28
        4fdc82b30
        50e251660
        f2433f090
        aca659328
        73d21a670
        2d3a1e368
        ee2ca85b8
        c97d2db00
        7e5a24030
        7cfd37a78
        8b30429d8
        f9708c078
        8fe4bd8f0
        9074fd170
        a6aea9fd8
        00c1348c8
        fe3a15ab0
        8261678f8
        baa894f98
        bae4cb4b0
        baa65ce00
        8229c4720
        fe1dd5a50
        """),
    ReferenceSymbol(text: "https://desk.example.cn/p/AB12CD", correction: .medium, version: 3, mask: 3, rows: """
        fea77bf8
        82d4a208
        ba7082e8
        ba8362e8
        ba0292e8
        8225f208
        feaaabf8
        0089f000
        b7456258
        e4d71688
        cfb4c6b0
        78089888
        87b36060
        f8b29238
        361df7b8
        79ba8890
        b6e37cd0
        6c028d70
        af6727a0
        0046e820
        428ebfe0
        0099b8f8
        fec29ad0
        829788c8
        ba616fb0
        bad4fdc8
        baca8928
        824a0cd0
        feb69c10
        """),
    ReferenceSymbol(text: "https://desk.example.cn/p/K7Q2M9?n=三号楼大堂检查点#", correction: .medium, version: 4, mask: 0, rows: """
        fe05b33f8
        82b3d7208
        ba1ef52e8
        ba57202e8
        ba82ab2e8
        82498e208
        feaaaabf8
        005467800
        aa004d890
        3165c6718
        6f4a40738
        fd8698088
        929aaf050
        79aa204a8
        2f485b598
        c4974dbd0
        ae076ce40
        889e0cf08
        0a7c4c428
        e9d83a380
        9ff37c8c0
        210c0c3b8
        9b79dbef8
        641466db0
        aaeaccf90
        00e3ec8c8
        fe6a09aa8
        8274b2880
        bab9cefd0
        ba0750088
        bacd398a8
        820ad78f0
        fee0e54d8
        """),
    ReferenceSymbol(text: "https://desk.example.cn/p/K7Q2M9?n=三号楼大堂检查点#", correction: .quartile, version: 5, mask: 4, rows: """
        fe060cbbf8
        823e156a08
        ba9cdccae8
        ba687b1ae8
        badad572e8
        82d0556a08
        feaaaaabf8
        005f6cc000
        4abe4495a0
        90ea222348
        e71131e460
        4cab22ac58
        83a4cd8f28
        1514f934a0
        1e770bebe0
        701eda15b0
        dfc7a4a760
        99465f3880
        82bce09a20
        0c4d57e630
        6263261230
        b8c5a1f4e0
        bedac8fc38
        ed5caccf60
        ca19c3f578
        f0e4dbd150
        22540d2d10
        11e6c90300
        c77ddc0fa8
        00e8b728d0
        fe20cfeae0
        8240f5a8a0
        badecc9ff8
        ba20bdd270
        ba664ca230
        82a5f2f130
        fe2c3fe778
        """),
    ReferenceSymbol(text: "https://desk.example.cn/patrol/checkpoints/K7Q2M9?community=lakeside-gardens&building=3&floor=1&spot=lobby-east-door&v=2", correction: .low, version: 6, mask: 2, rows: """
        fe42910fbf8
        82c96c70208
        ba4baf002e8
        baf17976ae8
        ba0ff9652e8
        82d02cf8a08
        feaaaaaabf8
        003a9fb3800
        fb9cf2fcd50
        9c76890bbd8
        7327c6d6d80
        2cbd36b8fc8
        8a52c2ff060
        b98d5963b88
        6fe3cab8440
        74eb1d99bd0
        1b4f5a4f060
        b130b70bf98
        a6c14e1c880
        d98aa7921c0
        1eb863fc068
        b8c79d47e88
        6a3a6674f20
        cdb08d222d0
        d79e4bf5438
        5574ef4bf98
        2b478c74770
        895d9fb2100
        0663e2fd160
        adc95f2bfd8
        97e1c8de200
        990b0e28f50
        9727d9ecfb8
        0090b50f8b8
        fee1e839aa0
        8243b60b890
        baa832c4fa0
        baa7f36f048
        babc021d6c0
        82b28e0ab50
        fefe47e7520
        """),
    ReferenceSymbol(text: "https://desk.example.cn/patrol/checkpoints/K7Q2M9?community=lakeside-gardens&building=3&floor=1&spot=lobby-east-door&v=2", correction: .high, version: 11, mask: 2, rows: """
        fec48a453ff45bf8
        8287c99f69c65a08
        baee4c569c3dbae8
        ba3696454c74eae8
        ba24338f83a9f2e8
        82e20688a676a208
        feaaaaaaaaaaabf8
        00a1361896cb0800
        3ad53a9fd294ff38
        fd434e8ca855c620
        4a81889a2baf2078
        08a5277e87ec1cd0
        9b8958ec8032ad68
        55a9be283efdc650
        0ea30ad49d167038
        8d8eb78c1cd96088
        03d798961990fd68
        3c42a2f54d7046a8
        32b623aea90eb190
        2d3932bc9a981bc0
        fbf6b797d5a1ad30
        bc904550bcfdc220
        9a74ee558f0e30d8
        3110e3d2b1ea4618
        5684df1d1855b1f0
        71bafcf14f78ce90
        9b2649636c67f998
        b4bef7f9336b0c90
        3fe5a94f96a1dff0
        68f59288b1f588d0
        3a9992aad3d35aa8
        58ee14f8c4ab18d8
        efec94efcdf19ff0
        8105169ca678c300
        3271b8b6abdff7d8
        78326fe1c55409c8
        838cf2ff6c87dcb8
        74174d1eedf54d00
        7a94d9b618852758
        ccb5fb4c6e230d98
        ca930170ff5fb2f0
        b92b94a1f46bdf48
        7faebbd2a35d2298
        d9905b7669ab6f40
        6f66fa5f4552b788
        e5a517f94d754b60
        9e3979f1e656fed8
        e9cecdaf49caed98
        8229a1eaf8055ef8
        a0f830b8e3505f60
        3e00dbcfb7273738
        e8cb352288ab2c50
        f3b00b3f9772dfe8
        00cb0928d4a048b0
        fe5fde1ac077aab8
        823b9b688bab5898
        ba97bd3f9473dfb8
        ba96796f4bb05be8
        bad2a964135ca628
        822e4a5e5a8b6f08
        fe5315657577ecb8
        """),
    ReferenceSymbol(text: "巡更点 三号楼大堂 检查点 / Checkpoint: Building 3 lobby, east door. Scan on every round; report a fault with the button below. https://desk.example.cn/p/AB12CD?community=lakeside-gardens&round=night&ref=label-2025-11&lang=zh-Hans&print=a4r", correction: .medium, version: 11, mask: 4, rows: """
        fe90f3025a61dbf8
        825860e4f9069a08
        ba26f908990bbae8
        bac43b5724926ae8
        bad5625fca3d32e8
        82cf0fe89513e208
        feaaaaaaaaaaabf8
        00867f28f91a8800
        8bea8d2fa84fefc8
        d9af385724c607c0
        cb04637709e53720
        ed731a79770c81b8
        c704bbe804b40b68
        0da1c44e56b97248
        937b186542f4b6e0
        244b14281f1d8af0
        17b32a25697dbae8
        ad3230064a342640
        0ff8f6631a617f28
        6935b7c97a2efed8
        faf603b8fb6a8ae0
        01760ecbd7642780
        3faff9655f676a40
        94859be85e28d1b8
        56ac6aad9d69caf0
        1c90c3595a38f540
        c2d8dbf442b57620
        a45b48e9d81bdeb8
        afa6232fdf6beff0
        28c82b88998a58b0
        aabd32ead2656ae0
        08fb54f8994918b0
        afd6683ff7b07fa8
        750cdfd1da69b6e0
        c7965e90c5f43830
        1d65f5683f5bc7b8
        1a5cd366fd39a2a0
        298b1ad486fda350
        7761ed10dae53888
        509c745d5f2f0f50
        672bc6f7db6fef28
        1991629ddae5fec0
        13d8fbb4d23f3520
        6483b1497c59eea0
        f6595c27d96cb638
        2c7823ddc738b280
        46563dd4d6a03570
        fc82155e7d4ba7a8
        4a711f361d2de620
        90f867d8158b5c80
        3f40f459d4509fb0
        e80c3209190fe5a8
        f27dc82fa0216fa0
        00d333d892fda8f0
        fe9b4dcacbfdaad0
        821eb6a8895de8b0
        bafae32fbe19ffb8
        ba282f871b70ad08
        ba5a45dfcba4ff30
        822ab884bf1b6910
        fec2ed309f798138
        """),
    ReferenceSymbol(text: "巡更点 三号楼大堂 检查点 / Checkpoint: Building 3 lobby, east door. Scan on every round; report a fault with the button below. https://desk.example.cn/p/AB12CD?community=lakeside-gardens&round=night&ref=label-2025-11&lang=zh-Hans&print=a4r", correction: .quartile, version: 14, mask: 2, rows: """
        fee806b31369b8f6bf8
        8220cb894a597572208
        ba05329f6eb841902e8
        ba713d36e867f6c32e8
        ba8133fe2daf8261ae8
        82cff98850e8f20e208
        feaaaaaaaaaaaaaabf8
        00387e8cac8883f5800
        7f57bcf8ecef9c0e188
        f8f3330e8d4b9579050
        beba2ecffe166a0ded8
        c5be7f82292c1395128
        221c222b483cf866f28
        18971bb501c814f3930
        83f4519c9f92f7a76a8
        3134c6852d428315578
        ff9ba8e669d7562e3b0
        490f7dcc876a914be30
        eaa9c1cb6f14e42f2b8
        c1b5892012b92b56068
        2e8282a66da5b8c98e0
        9dbf4ae1d7ea1b6b6a0
        2a966c180e16750f6f8
        3402ca2242254bb3910
        cfe35ef80e8ffe0afb8
        d88085883a2898ab8a0
        fa8e2bafcf1ad50eab8
        a8d9218eb838c9f1898
        0fd8cafb043f9a62ff0
        21ddbe4f5c658283640
        4a95a68d784ae48ef48
        64c027dab2a41b9d898
        0e0cfea901bed2aa518
        2cfe4e02536722e8730
        cfa08bf5c4003c0f938
        8434d06c30a18f19888
        b67afeb31a943a52928
        98c9ae78876dbbe0750
        bf2dd6ac33c2f7a4d18
        a8fb24a448e267ca098
        43464438bab6fcf9b38
        2853283eed6f0876980
        eea95da940427c2f858
        740e86020b5acd94280
        af8be8fec0bfb423fb8
        d8a50e8cf87892e48c0
        ba9bcaadb08add3eab8
        08fece8e5c58cad58c0
        4fd997fd235fba01fa8
        6c9eda3af37aa84a920
        a2769e50d00f2e252e8
        f026d5304462c998000
        ce134e278c78fbcd7f0
        b57cee952824d9f0c20
        8ffff3c9b80f3427218
        042d2908361287f7d08
        4b33a9294760956b6b0
        34a338e5d467d8f09c0
        7b3877255307f4b5518
        e41df25b02aa89d4918
        8af8561d101c1e0e6a0
        8123ff0a69a052e0198
        d68c6a47264564ad5c0
        1966603777a80f5cb40
        8a51a8fb7b4fd6ccff8
        00cc4988dc28b3eb8c8
        febf26a8dc0ae46ca80
        828e92898dd897918d8
        ba9cbffee00fe469fb8
        bada2716d2ce36e0ec8
        ba9f2ae8da34d9aede8
        82dd18fd55df03d3c88
        fe02407a7a72a6284f8
        """),
]

private let segnoCodewords: [ReferenceCodewords] = [
    ReferenceCodewords(version: 1, correction: .low, capacity: 17, digest: 0x0e35b2a710f7018f),
    ReferenceCodewords(version: 1, correction: .medium, capacity: 14, digest: 0x92084ce5234f64e7),
    ReferenceCodewords(version: 1, correction: .quartile, capacity: 11, digest: 0xfc1a70017122e615),
    ReferenceCodewords(version: 1, correction: .high, capacity: 7, digest: 0x57a5577e878d04b5),
    ReferenceCodewords(version: 2, correction: .low, capacity: 32, digest: 0xfa939760ffebcdcb),
    ReferenceCodewords(version: 2, correction: .medium, capacity: 26, digest: 0x3ae6ed90c05a9073),
    ReferenceCodewords(version: 2, correction: .quartile, capacity: 20, digest: 0xdb60a01157219277),
    ReferenceCodewords(version: 2, correction: .high, capacity: 14, digest: 0xba768e1a996e800f),
    ReferenceCodewords(version: 3, correction: .low, capacity: 53, digest: 0xa58aaa3fc4222ce9),
    ReferenceCodewords(version: 3, correction: .medium, capacity: 42, digest: 0xa7f88af6c69e1d4b),
    ReferenceCodewords(version: 3, correction: .quartile, capacity: 32, digest: 0x74eeec56b45292d5),
    ReferenceCodewords(version: 3, correction: .high, capacity: 24, digest: 0x807554c86867de89),
    ReferenceCodewords(version: 4, correction: .low, capacity: 78, digest: 0x2dc1f9cd62658261),
    ReferenceCodewords(version: 4, correction: .medium, capacity: 62, digest: 0xcbe0d576053ae661),
    ReferenceCodewords(version: 4, correction: .quartile, capacity: 46, digest: 0x856ca46b989674bd),
    ReferenceCodewords(version: 4, correction: .high, capacity: 34, digest: 0xcf9a215d2c4266a9),
    ReferenceCodewords(version: 5, correction: .low, capacity: 106, digest: 0xd3a06274ef16c0bb),
    ReferenceCodewords(version: 5, correction: .medium, capacity: 84, digest: 0x62f08153c03c08cd),
    ReferenceCodewords(version: 5, correction: .quartile, capacity: 60, digest: 0xb151156c1c0b1e79),
    ReferenceCodewords(version: 5, correction: .high, capacity: 44, digest: 0x63efca8ba9a2db19),
    ReferenceCodewords(version: 6, correction: .low, capacity: 134, digest: 0x3626c2c5a8d6ac41),
    ReferenceCodewords(version: 6, correction: .medium, capacity: 106, digest: 0x9131db8c87e27549),
    ReferenceCodewords(version: 6, correction: .quartile, capacity: 74, digest: 0x8d76b9bf9a8add8d),
    ReferenceCodewords(version: 6, correction: .high, capacity: 58, digest: 0x6718fc010de763a1),
    ReferenceCodewords(version: 7, correction: .low, capacity: 154, digest: 0x565af5987cc77f39),
    ReferenceCodewords(version: 7, correction: .medium, capacity: 122, digest: 0xdc2956c7259dcb4d),
    ReferenceCodewords(version: 7, correction: .quartile, capacity: 86, digest: 0x4c3c5c76d28e8149),
    ReferenceCodewords(version: 7, correction: .high, capacity: 64, digest: 0x19b5b9f66c830795),
    ReferenceCodewords(version: 8, correction: .low, capacity: 192, digest: 0x397c75d677a573d5),
    ReferenceCodewords(version: 8, correction: .medium, capacity: 152, digest: 0xf57711b664a4e769),
    ReferenceCodewords(version: 8, correction: .quartile, capacity: 108, digest: 0xa798a7046b90916d),
    ReferenceCodewords(version: 8, correction: .high, capacity: 84, digest: 0x84936ab021e5f795),
    ReferenceCodewords(version: 9, correction: .low, capacity: 230, digest: 0x55bd45023398812d),
    ReferenceCodewords(version: 9, correction: .medium, capacity: 180, digest: 0x33121e54b7c06ea5),
    ReferenceCodewords(version: 9, correction: .quartile, capacity: 130, digest: 0x44a1e39478267915),
    ReferenceCodewords(version: 9, correction: .high, capacity: 98, digest: 0xb86df18ca7bc71bd),
    ReferenceCodewords(version: 10, correction: .low, capacity: 271, digest: 0xf24fa986614d5ed1),
    ReferenceCodewords(version: 10, correction: .medium, capacity: 213, digest: 0xbfef863995580173),
    ReferenceCodewords(version: 10, correction: .quartile, capacity: 151, digest: 0xa712dd0ccbfe8c95),
    ReferenceCodewords(version: 10, correction: .high, capacity: 119, digest: 0x7f579685f37321d1),
    ReferenceCodewords(version: 11, correction: .low, capacity: 321, digest: 0xfe82fec087a4e939),
    ReferenceCodewords(version: 11, correction: .medium, capacity: 251, digest: 0x185a29b77b226edb),
    ReferenceCodewords(version: 11, correction: .quartile, capacity: 177, digest: 0x8590ccbeaea99ced),
    ReferenceCodewords(version: 11, correction: .high, capacity: 137, digest: 0x89048d4b41fd80a7),
    ReferenceCodewords(version: 12, correction: .low, capacity: 367, digest: 0xfbc12bd6f7828aa5),
    ReferenceCodewords(version: 12, correction: .medium, capacity: 287, digest: 0x0511c9e24f6592cd),
    ReferenceCodewords(version: 12, correction: .quartile, capacity: 203, digest: 0x891eb34414c98f41),
    ReferenceCodewords(version: 12, correction: .high, capacity: 155, digest: 0x0da340ca80a3b161),
    ReferenceCodewords(version: 13, correction: .low, capacity: 425, digest: 0xc7be9fbbf036a57d),
    ReferenceCodewords(version: 13, correction: .medium, capacity: 331, digest: 0x9442edf57351db9d),
    ReferenceCodewords(version: 13, correction: .quartile, capacity: 241, digest: 0xd05a18a156056bf9),
    ReferenceCodewords(version: 13, correction: .high, capacity: 177, digest: 0xd9a96461266b2d59),
    ReferenceCodewords(version: 14, correction: .low, capacity: 458, digest: 0x7e740f8587d0c8cd),
    ReferenceCodewords(version: 14, correction: .medium, capacity: 362, digest: 0x3ca71095c2caeac7),
    ReferenceCodewords(version: 14, correction: .quartile, capacity: 258, digest: 0xea26fa8b8e7003a5),
    ReferenceCodewords(version: 14, correction: .high, capacity: 194, digest: 0xa952ca1158385cc1),
    ReferenceCodewords(version: 15, correction: .low, capacity: 520, digest: 0x4efffc200fb3c58f),
    ReferenceCodewords(version: 15, correction: .medium, capacity: 412, digest: 0x88bb4cfa1d00212b),
    ReferenceCodewords(version: 15, correction: .quartile, capacity: 292, digest: 0x3983e0de92c29f4b),
    ReferenceCodewords(version: 15, correction: .high, capacity: 220, digest: 0xb146acc06472ef6d),
    ReferenceCodewords(version: 16, correction: .low, capacity: 586, digest: 0x5a9c1b4b352e9127),
    ReferenceCodewords(version: 16, correction: .medium, capacity: 450, digest: 0x7088138d5ac89bd1),
    ReferenceCodewords(version: 16, correction: .quartile, capacity: 322, digest: 0x89c24926d0e5e373),
    ReferenceCodewords(version: 16, correction: .high, capacity: 250, digest: 0x956cd7fbc2d7a359),
    ReferenceCodewords(version: 17, correction: .low, capacity: 644, digest: 0xa5c85fe776e20f9d),
    ReferenceCodewords(version: 17, correction: .medium, capacity: 504, digest: 0xd5c4bb974376d3c1),
    ReferenceCodewords(version: 17, correction: .quartile, capacity: 364, digest: 0x1af5adb1d25a5857),
    ReferenceCodewords(version: 17, correction: .high, capacity: 280, digest: 0xd14b4345df640aef),
    ReferenceCodewords(version: 18, correction: .low, capacity: 718, digest: 0xa9a1dd8d8d24a85f),
    ReferenceCodewords(version: 18, correction: .medium, capacity: 560, digest: 0x28e4efb4a0dc1807),
    ReferenceCodewords(version: 18, correction: .quartile, capacity: 394, digest: 0x5421d13d78fc6a7f),
    ReferenceCodewords(version: 18, correction: .high, capacity: 310, digest: 0x2a4710626931df8b),
    ReferenceCodewords(version: 19, correction: .low, capacity: 792, digest: 0xe347331a0b5be8dd),
    ReferenceCodewords(version: 19, correction: .medium, capacity: 624, digest: 0x653c96ee1dcb0975),
    ReferenceCodewords(version: 19, correction: .quartile, capacity: 442, digest: 0x1286a0e32037099f),
    ReferenceCodewords(version: 19, correction: .high, capacity: 338, digest: 0x865677aa50c88ccf),
    ReferenceCodewords(version: 20, correction: .low, capacity: 858, digest: 0xfe277470bf9f7127),
    ReferenceCodewords(version: 20, correction: .medium, capacity: 666, digest: 0xc1e41a6ef153742b),
    ReferenceCodewords(version: 20, correction: .quartile, capacity: 482, digest: 0x16bcf1579e7859c1),
    ReferenceCodewords(version: 20, correction: .high, capacity: 382, digest: 0x68ae508f3a0b2781),
    ReferenceCodewords(version: 21, correction: .low, capacity: 929, digest: 0x1fc66dc5b57d1741),
    ReferenceCodewords(version: 21, correction: .medium, capacity: 711, digest: 0xdcfa0d089ab12b6f),
    ReferenceCodewords(version: 21, correction: .quartile, capacity: 509, digest: 0xe0b7f21ca046d7b1),
    ReferenceCodewords(version: 21, correction: .high, capacity: 403, digest: 0x00e902c38c13d11d),
    ReferenceCodewords(version: 22, correction: .low, capacity: 1003, digest: 0x9def1bdc7e4d3eeb),
    ReferenceCodewords(version: 22, correction: .medium, capacity: 779, digest: 0x7964dc565403abf9),
    ReferenceCodewords(version: 22, correction: .quartile, capacity: 565, digest: 0x45c1e8c3ee497449),
    ReferenceCodewords(version: 22, correction: .high, capacity: 439, digest: 0x4c5380a093a06e0d),
    ReferenceCodewords(version: 23, correction: .low, capacity: 1091, digest: 0x1f0a0788ae19178b),
    ReferenceCodewords(version: 23, correction: .medium, capacity: 857, digest: 0x04cefa5fbd046be1),
    ReferenceCodewords(version: 23, correction: .quartile, capacity: 611, digest: 0x6607b79f64ca59a3),
    ReferenceCodewords(version: 23, correction: .high, capacity: 461, digest: 0x57647fb4525b63d5),
    ReferenceCodewords(version: 24, correction: .low, capacity: 1171, digest: 0x505f7a7504344509),
    ReferenceCodewords(version: 24, correction: .medium, capacity: 911, digest: 0xa323b052ed5694fd),
    ReferenceCodewords(version: 24, correction: .quartile, capacity: 661, digest: 0xa5eed56b93d62dbf),
    ReferenceCodewords(version: 24, correction: .high, capacity: 511, digest: 0x640db903f5175bc9),
    ReferenceCodewords(version: 25, correction: .low, capacity: 1273, digest: 0x7104808ecdf2cce1),
    ReferenceCodewords(version: 25, correction: .medium, capacity: 997, digest: 0xc8e2468285eb53fd),
    ReferenceCodewords(version: 25, correction: .quartile, capacity: 715, digest: 0x59614e404ad8cacf),
    ReferenceCodewords(version: 25, correction: .high, capacity: 535, digest: 0x34a00377264c01e9),
    ReferenceCodewords(version: 26, correction: .low, capacity: 1367, digest: 0x881c69b75c77ad05),
    ReferenceCodewords(version: 26, correction: .medium, capacity: 1059, digest: 0xdc08807b127caddd),
    ReferenceCodewords(version: 26, correction: .quartile, capacity: 751, digest: 0x185ab02ab0c49bfd),
    ReferenceCodewords(version: 26, correction: .high, capacity: 593, digest: 0x284dc3265de88a7d),
    ReferenceCodewords(version: 27, correction: .low, capacity: 1465, digest: 0x12585fc99f1a94d5),
    ReferenceCodewords(version: 27, correction: .medium, capacity: 1125, digest: 0x372d1211356ae62f),
    ReferenceCodewords(version: 27, correction: .quartile, capacity: 805, digest: 0xd9d9e840af8d2241),
    ReferenceCodewords(version: 27, correction: .high, capacity: 625, digest: 0xb242d67b87a9c0bd),
    ReferenceCodewords(version: 28, correction: .low, capacity: 1528, digest: 0x80a87d7173a55f17),
    ReferenceCodewords(version: 28, correction: .medium, capacity: 1190, digest: 0x38bab46eb4b97825),
    ReferenceCodewords(version: 28, correction: .quartile, capacity: 868, digest: 0xdaaf2ce227708b47),
    ReferenceCodewords(version: 28, correction: .high, capacity: 658, digest: 0x381261ff37bb741f),
    ReferenceCodewords(version: 29, correction: .low, capacity: 1628, digest: 0x1417776cf653d7d9),
    ReferenceCodewords(version: 29, correction: .medium, capacity: 1264, digest: 0x0f4fb7e3ed7390bd),
    ReferenceCodewords(version: 29, correction: .quartile, capacity: 908, digest: 0x7c8e8c722dc62c55),
    ReferenceCodewords(version: 29, correction: .high, capacity: 698, digest: 0x6fe7df70c4659fb9),
    ReferenceCodewords(version: 30, correction: .low, capacity: 1732, digest: 0x09665bc13096d229),
    ReferenceCodewords(version: 30, correction: .medium, capacity: 1370, digest: 0x703ca0a750bfc93d),
    ReferenceCodewords(version: 30, correction: .quartile, capacity: 982, digest: 0xb305bf5f12241813),
    ReferenceCodewords(version: 30, correction: .high, capacity: 742, digest: 0x8993a628c79dc0b7),
    ReferenceCodewords(version: 31, correction: .low, capacity: 1840, digest: 0xca2f3e0b735ddf05),
    ReferenceCodewords(version: 31, correction: .medium, capacity: 1452, digest: 0x985ea0e59666f35d),
    ReferenceCodewords(version: 31, correction: .quartile, capacity: 1030, digest: 0x01dd3d68ed518be3),
    ReferenceCodewords(version: 31, correction: .high, capacity: 790, digest: 0x02142ea0c16f1a7d),
    ReferenceCodewords(version: 32, correction: .low, capacity: 1952, digest: 0x7114f6a2f873c2a3),
    ReferenceCodewords(version: 32, correction: .medium, capacity: 1538, digest: 0x533f34bd60cdffc7),
    ReferenceCodewords(version: 32, correction: .quartile, capacity: 1112, digest: 0x55a67f8650e23c75),
    ReferenceCodewords(version: 32, correction: .high, capacity: 842, digest: 0x3fbd6a6a3eb430e7),
    ReferenceCodewords(version: 33, correction: .low, capacity: 2068, digest: 0x868ae42133ad0487),
    ReferenceCodewords(version: 33, correction: .medium, capacity: 1628, digest: 0x7cb275d4c78e4c41),
    ReferenceCodewords(version: 33, correction: .quartile, capacity: 1168, digest: 0xfa09db43e3c8b16d),
    ReferenceCodewords(version: 33, correction: .high, capacity: 898, digest: 0xf7f3293bcbfb0933),
    ReferenceCodewords(version: 34, correction: .low, capacity: 2188, digest: 0xe7c7d768dfa100ff),
    ReferenceCodewords(version: 34, correction: .medium, capacity: 1722, digest: 0x66e7e184e10f43ad),
    ReferenceCodewords(version: 34, correction: .quartile, capacity: 1228, digest: 0xab0b8eedfdfa0ddf),
    ReferenceCodewords(version: 34, correction: .high, capacity: 958, digest: 0xfa82f82937621047),
    ReferenceCodewords(version: 35, correction: .low, capacity: 2303, digest: 0x5fd6f778544dd9d1),
    ReferenceCodewords(version: 35, correction: .medium, capacity: 1809, digest: 0x70dfb9aa055f0019),
    ReferenceCodewords(version: 35, correction: .quartile, capacity: 1283, digest: 0x45949b1b65195f7d),
    ReferenceCodewords(version: 35, correction: .high, capacity: 983, digest: 0x936b54df1310d85d),
    ReferenceCodewords(version: 36, correction: .low, capacity: 2431, digest: 0xcfc2bdb114d11111),
    ReferenceCodewords(version: 36, correction: .medium, capacity: 1911, digest: 0x462e7786a362a2f1),
    ReferenceCodewords(version: 36, correction: .quartile, capacity: 1351, digest: 0x8cf39d892c939305),
    ReferenceCodewords(version: 36, correction: .high, capacity: 1051, digest: 0xd164d575cf6109ed),
    ReferenceCodewords(version: 37, correction: .low, capacity: 2563, digest: 0x1c496407c9acd52b),
    ReferenceCodewords(version: 37, correction: .medium, capacity: 1989, digest: 0x768a8a696fa7d2a1),
    ReferenceCodewords(version: 37, correction: .quartile, capacity: 1423, digest: 0x672eedf817307181),
    ReferenceCodewords(version: 37, correction: .high, capacity: 1093, digest: 0x6114b7833fddf4f5),
    ReferenceCodewords(version: 38, correction: .low, capacity: 2699, digest: 0x41e43ca28a5771f5),
    ReferenceCodewords(version: 38, correction: .medium, capacity: 2099, digest: 0xc0d3590ab4566877),
    ReferenceCodewords(version: 38, correction: .quartile, capacity: 1499, digest: 0x40ca5ce230dc5671),
    ReferenceCodewords(version: 38, correction: .high, capacity: 1139, digest: 0x0be4f61c645c0421),
    ReferenceCodewords(version: 39, correction: .low, capacity: 2809, digest: 0x2918471acfc9be99),
    ReferenceCodewords(version: 39, correction: .medium, capacity: 2213, digest: 0x9156616bac54de31),
    ReferenceCodewords(version: 39, correction: .quartile, capacity: 1579, digest: 0x2b3b26a32ba1178f),
    ReferenceCodewords(version: 39, correction: .high, capacity: 1219, digest: 0xa5440e072f3a51cf),
    ReferenceCodewords(version: 40, correction: .low, capacity: 2953, digest: 0x2e1f4cbdbeee9377),
    ReferenceCodewords(version: 40, correction: .medium, capacity: 2331, digest: 0x8092b963533b25af),
    ReferenceCodewords(version: 40, correction: .quartile, capacity: 1663, digest: 0x856efd00037276a1),
    ReferenceCodewords(version: 40, correction: .high, capacity: 1273, digest: 0x05bdde03b34e7229),
]

private let segnoSweep: [ReferenceDigest] = [
    ReferenceDigest(version: 1, correction: .low, byteCount: 17, mask: 7, digest: 0x04a6efa85a574a3b),
    ReferenceDigest(version: 2, correction: .medium, byteCount: 26, mask: 6, digest: 0xd224af85f2f1c62b),
    ReferenceDigest(version: 3, correction: .quartile, byteCount: 32, mask: 2, digest: 0x3527b3dff76c27c2),
    ReferenceDigest(version: 4, correction: .high, byteCount: 34, mask: 1, digest: 0xa22a0c1d8db6290b),
    ReferenceDigest(version: 5, correction: .low, byteCount: 79, mask: 3, digest: 0x5f502878860040c5),
    ReferenceDigest(version: 6, correction: .medium, byteCount: 85, mask: 7, digest: 0x7107cf4ddccafd8b),
    ReferenceDigest(version: 7, correction: .quartile, byteCount: 75, mask: 4, digest: 0x7a0988f9bc2332d1),
    ReferenceDigest(version: 8, correction: .high, byteCount: 65, mask: 2, digest: 0x083e7a073820adef),
    ReferenceDigest(version: 9, correction: .low, byteCount: 230, mask: 2, digest: 0xc5de1fbd0386312f),
    ReferenceDigest(version: 10, correction: .medium, byteCount: 213, mask: 5, digest: 0x520ef12c2eba525d),
    ReferenceDigest(version: 11, correction: .quartile, byteCount: 177, mask: 3, digest: 0xe3772def87c02e19),
    ReferenceDigest(version: 12, correction: .high, byteCount: 155, mask: 4, digest: 0xaa94f47158af5b1d),
    ReferenceDigest(version: 13, correction: .low, byteCount: 368, mask: 2, digest: 0x92d113675125ced3),
    ReferenceDigest(version: 14, correction: .medium, byteCount: 332, mask: 4, digest: 0x2f136df412be2e7b),
    ReferenceDigest(version: 15, correction: .quartile, byteCount: 259, mask: 0, digest: 0x0e859f7179330d69),
    ReferenceDigest(version: 16, correction: .high, byteCount: 221, mask: 1, digest: 0x875693bbaba775e0),
    ReferenceDigest(version: 17, correction: .low, byteCount: 644, mask: 2, digest: 0x8fa07d8c0f7f6bc3),
    ReferenceDigest(version: 18, correction: .medium, byteCount: 560, mask: 1, digest: 0xd8019c6befa1f928),
    ReferenceDigest(version: 19, correction: .quartile, byteCount: 442, mask: 2, digest: 0x09b274b39bda34bf),
    ReferenceDigest(version: 20, correction: .high, byteCount: 382, mask: 4, digest: 0x1d3de6f798bdb8b5),
    ReferenceDigest(version: 21, correction: .low, byteCount: 859, mask: 2, digest: 0xd285b3a9be623ae1),
    ReferenceDigest(version: 22, correction: .medium, byteCount: 712, mask: 3, digest: 0xb013e501795fd779),
    ReferenceDigest(version: 23, correction: .quartile, byteCount: 566, mask: 2, digest: 0x3f023aaead2db83f),
    ReferenceDigest(version: 24, correction: .high, byteCount: 462, mask: 4, digest: 0x0d423bfcf6d77d19),
    ReferenceDigest(version: 25, correction: .low, byteCount: 1273, mask: 2, digest: 0x6d17a1b56ae642bf),
    ReferenceDigest(version: 26, correction: .medium, byteCount: 1059, mask: 4, digest: 0x1e9ac74637f85a07),
    ReferenceDigest(version: 27, correction: .quartile, byteCount: 805, mask: 3, digest: 0x8c9696828380236f),
    ReferenceDigest(version: 28, correction: .high, byteCount: 658, mask: 2, digest: 0x67a86b3fe3353af8),
    ReferenceDigest(version: 29, correction: .low, byteCount: 1529, mask: 4, digest: 0x5a91b7acc4899150),
    ReferenceDigest(version: 30, correction: .medium, byteCount: 1265, mask: 3, digest: 0xd61a3de7ab3fdcc0),
    ReferenceDigest(version: 31, correction: .quartile, byteCount: 983, mask: 2, digest: 0xaca00d9fdcfa5f5a),
    ReferenceDigest(version: 32, correction: .high, byteCount: 791, mask: 1, digest: 0x69f94951f4d50bb6),
    ReferenceDigest(version: 33, correction: .low, byteCount: 2068, mask: 2, digest: 0xb93de7da780d683a),
    ReferenceDigest(version: 34, correction: .medium, byteCount: 1722, mask: 1, digest: 0x00a9dbc79ee9c762),
    ReferenceDigest(version: 35, correction: .quartile, byteCount: 1283, mask: 1, digest: 0xb354d0e404c1bdb6),
    ReferenceDigest(version: 36, correction: .high, byteCount: 1051, mask: 1, digest: 0x0bbb44ee8b1e58d2),
    ReferenceDigest(version: 37, correction: .low, byteCount: 2432, mask: 2, digest: 0x32852913ca6fc3d9),
    ReferenceDigest(version: 38, correction: .medium, byteCount: 1990, mask: 2, digest: 0x313b5d49763425f5),
    ReferenceDigest(version: 39, correction: .quartile, byteCount: 1500, mask: 2, digest: 0x0e06b72fcc816d0d),
    ReferenceDigest(version: 40, correction: .high, byteCount: 1220, mask: 4, digest: 0x27b441f4eeb90cf5),
]
// END segno fixture
