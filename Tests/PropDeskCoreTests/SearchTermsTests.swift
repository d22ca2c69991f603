import XCTest
@testable import PropDeskCore

final class SearchTermsTests: XCTestCase {
    private func substrings(of text: String, minLength: Int) -> [String] {
        let chars = Array(text)
        var result: [String] = []
        for start in chars.indices {
            var end = start + minLength
            while end <= chars.count {
                result.append(String(chars[start..<end]))
                end += 1
            }
        }
        return result
    }

    // MARK: units

    func testUnitTermsHoldTheWholeLabelAndTheRoom_INT3() {
        let terms = SearchTerms.forUnit(building: "3栋", room: "1201")
        XCTAssertTrue(terms.contains("3-1201"), "\(terms)")
        XCTAssertTrue(terms.contains("1201"), "\(terms)")
    }

    func testUnitTermsNeverStartWithADashOrAreShorterThanTwo_INT3() {
        let terms = SearchTerms.forUnit(building: "3栋", room: "1201")
        XCTAssertFalse(terms.isEmpty)
        XCTAssertFalse(terms.contains { $0.hasPrefix("-") }, "\(terms)")
        XCTAssertTrue(terms.allSatisfy { $0.count >= 2 }, "\(terms)")
    }

    func testBuildingMarkersAllNormaliseToTheSameUnitTerms_INT3() {
        let expected = SearchTerms.forUnit(building: "3栋", room: "1201")
        for building in ["3号楼", "3幢", "3#", "3座", "3", " 3栋 "] {
            XCTAssertEqual(SearchTerms.forUnit(building: building, room: "1201"), expected, building)
        }
    }

    func testLettersInUnitLabelsAreLowerCased_INT3() {
        let terms = SearchTerms.forUnit(building: "A座", room: "1201")
        XCTAssertTrue(terms.contains("a-1201"), "\(terms)")
        XCTAssertEqual(SearchTerms.query("A座1201"), "a-1201")
    }

    func testTypedUnitQueryIsAPrefixOfAUnitTerm_INT3() throws {
        let terms = SearchTerms.forUnit(building: "3栋", room: "1201")
        for typed in ["3栋1201", "3栋 1201", "3-12", "3号楼12", "120", "1201"] {
            let q = try XCTUnwrap(SearchTerms.query(typed), typed)
            XCTAssertTrue(terms.contains { $0.hasPrefix(q) }, "\(typed) → \(q) in \(terms)")
        }
    }

    // MARK: people

    func testPersonTermsHoldEveryNameSuffix_INT3() {
        let terms = SearchTerms.forPerson(name: "王建国", phone: "13812345678")
        for term in ["王建国", "建国", "国"] {
            XCTAssertTrue(terms.contains(term), term)
        }
    }

    func testPersonTermsHoldPhoneSuffixesOfAtLeastThreeDigitsOnly_INT3() {
        let terms = SearchTerms.forPerson(name: "王建国", phone: "13812345678")
        for term in ["13812345678", "5678", "678"] {
            XCTAssertTrue(terms.contains(term), term)
        }
        XCTAssertFalse(terms.contains("78"))
        XCTAssertFalse(terms.contains("8"))
    }

    func testAnyPhoneFragmentOfThreeOrMoreDigitsIsAPrefixOfSomeTerm_INT3() {
        let phone = "13812345678"
        let terms = SearchTerms.forPerson(name: "王建国", phone: phone)
        for fragment in substrings(of: phone, minLength: SearchTerms.minPhoneDigits) {
            XCTAssertTrue(terms.contains { $0.hasPrefix(fragment) }, fragment)
        }
    }

    func testAnyPartOfTheNameIsAPrefixOfSomeTerm_INT3() {
        let terms = SearchTerms.forPerson(name: "欧阳建国", phone: "13812345678")
        for fragment in substrings(of: "欧阳建国", minLength: 1) {
            XCTAssertTrue(terms.contains { $0.hasPrefix(fragment) }, fragment)
        }
    }

    func testPhoneSeparatorsDoNotChangePersonTerms_INT3() {
        XCTAssertEqual(SearchTerms.forPerson(name: "王建国", phone: "138-1234-5678"),
                       SearchTerms.forPerson(name: "王建国", phone: "13812345678"))
    }

    func testPersonTermsAreSortedAndUnique_INT3() {
        let terms = SearchTerms.forPerson(name: "王王", phone: "13813813800")
        XCTAssertEqual(terms, Array(Set(terms)).sorted())
    }

    func testShortPhoneGivesNoPhoneTerms_INT3() {
        XCTAssertEqual(SearchTerms.forPerson(name: "李", phone: "12"), ["李"])
    }

    // MARK: queries

    func testQueryNormalisesBuildingMarkersToADash_INT3() {
        XCTAssertEqual(SearchTerms.query("3栋1201"), "3-1201")
        XCTAssertEqual(SearchTerms.query("3栋 1201"), "3-1201")
        XCTAssertEqual(SearchTerms.query("3号楼-1201"), "3-1201")
    }

    func testSingleDigitOrLatinLetterIsTooShortToSearch_INT3() {
        XCTAssertNil(SearchTerms.query("1"))
        XCTAssertNil(SearchTerms.query("a"))
        XCTAssertNil(SearchTerms.query(""))
        XCTAssertNil(SearchTerms.query("   "))
    }

    func testSingleChineseCharacterAndTwoDigitsAreSearchable_INT3() {
        XCTAssertEqual(SearchTerms.query("王"), "王")
        XCTAssertEqual(SearchTerms.query("12"), "12")
        XCTAssertEqual(SearchTerms.query(" 5678 "), "5678")
    }

    func testUpperBoundEnclosesEveryTermWithThePrefix_INT3() {
        let terms = SearchTerms.forPerson(name: "王建国", phone: "13812345678")
            + SearchTerms.forUnit(building: "3栋", room: "1201")
        for prefix in ["王", "建", "138", "567", "12", "3-"] {
            let upper = SearchTerms.upperBound(prefix)
            for term in terms where term.hasPrefix(prefix) {
                XCTAssertTrue(prefix <= term && term < upper, "\(prefix) \(term)")
            }
            XCTAssertTrue(terms.contains { $0.hasPrefix(prefix) }, prefix)
        }
    }
}
