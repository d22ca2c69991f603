import XCTest
@testable import PropDeskCore

final class LocalizationTests: XCTestCase {
    // MARK: Accept-Language

    func testHigherQValueWinsRegardlessOfOrder() {
        XCTAssertEqual(Language.preferred(acceptLanguage: "en;q=0.9, zh-CN;q=0.8"), .en)
        XCTAssertEqual(Language.preferred(acceptLanguage: "zh-CN;q=0.8, en;q=0.9"), .en)
        XCTAssertEqual(Language.preferred(acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8"), .zhHans)
    }

    func testTagWithoutQValueCountsAsOne() {
        XCTAssertEqual(Language.preferred(acceptLanguage: "en-US,en;q=0.9"), .en)
        XCTAssertEqual(Language.preferred(acceptLanguage: "en;q=0.5, zh"), .zhHans)
    }

    func testAnyChineseScriptOrRegionMapsToSimplifiedChinese() {
        XCTAssertEqual(Language.preferred(acceptLanguage: "zh-TW"), .zhHans)
        XCTAssertEqual(Language.preferred(acceptLanguage: "zh-Hant-HK"), .zhHans)
    }

    func testMissingEmptyOrUnknownHeaderFallsBackToChinese() {
        XCTAssertEqual(Language.preferred(acceptLanguage: nil), .zhHans)
        XCTAssertEqual(Language.preferred(acceptLanguage: ""), .zhHans)
        XCTAssertEqual(Language.preferred(acceptLanguage: "fr"), .zhHans)
        XCTAssertEqual(Language.preferred(acceptLanguage: "fr-FR, de;q=0.7"), .zhHans)
    }

    func testUnknownLanguagesAreSkippedInFavourOfAKnownOne() {
        XCTAssertEqual(Language.preferred(acceptLanguage: "fr-FR, en;q=0.5"), .en)
    }

    func testLanguageCodeParsesStoredAndSubmittedCodes() {
        XCTAssertEqual(Language(code: "zh-Hans"), .zhHans)
        XCTAssertEqual(Language(code: "zh"), .zhHans)
        XCTAssertEqual(Language(code: "ZH-CN"), .zhHans)
        XCTAssertEqual(Language(code: "en"), .en)
        XCTAssertEqual(Language(code: "en-GB"), .en)
        XCTAssertEqual(Language(code: "EN-us"), .en)
        XCTAssertNil(Language(code: "fr"))
        XCTAssertNil(Language(code: ""))
    }

    func testLanguageRawValuesRoundTripThroughCode() {
        for language in Language.allCases {
            XCTAssertEqual(Language(code: language.rawValue), language)
        }
    }

    // MARK: Message and DomainError

    func testMessagePicksTheTextOfTheLanguage() {
        let m = Message(zh: "楼栋", en: "building")
        XCTAssertEqual(m.text(.zhHans), "楼栋")
        XCTAssertEqual(m.text(.en), "building")
    }

    func testNotFoundNamesTheThingInBothLanguagesCapitalisedInEnglish_SEC5() {
        let e = DomainError.notFound(Noun.building)
        XCTAssertEqual(e.kind, .notFound)
        XCTAssertEqual(e.code, "not_found")
        XCTAssertEqual(e.message.zhHans, "未找到楼栋。")
        XCTAssertEqual(e.message.en, "Building not found.")
    }

    func testInvalidCarriesTheFieldAsADetail_SEC5() {
        let e = DomainError.invalid(field: "phone", Message(zh: "格式不正确", en: "bad format"))
        XCTAssertEqual(e.kind, .invalidInput)
        XCTAssertEqual(e.code, "invalid_input")
        XCTAssertEqual(e.details, [DomainError.Detail(field: "phone", message: Message(zh: "格式不正确", en: "bad format"))])
        XCTAssertTrue(e.message.zhHans.contains("格式不正确"))
        XCTAssertTrue(e.message.en.contains("bad format"))
    }

    func testLockedSaysHowManyMinutes_SEC1() {
        let e = DomainError.locked(minutes: 7)
        XCTAssertEqual(e.kind, .locked)
        XCTAssertEqual(e.code, "account_locked")
        XCTAssertTrue(e.message.zhHans.contains("7"))
        XCTAssertTrue(e.message.en.contains("7 minutes"))
    }

    func testConflictKeepsTheGivenCode() {
        let e = DomainError.conflict(code: "duplicate_unit", Message(zh: "重复", en: "duplicate"))
        XCTAssertEqual(e.kind, .conflict)
        XCTAssertEqual(e.code, "duplicate_unit")
        XCTAssertTrue(e.details.isEmpty)
    }

    func testStandardErrorsHaveDistinctCodesAndBothLanguages() {
        let all = [DomainError.unauthenticated, .forbidden, .badCredentials]
        XCTAssertEqual(Set(all.map(\.code)).count, all.count)
        for e in all {
            XCTAssertFalse(e.message.zhHans.isEmpty)
            XCTAssertFalse(e.message.en.isEmpty)
        }
        XCTAssertEqual(DomainError.badCredentials.kind, .unauthenticated)
    }
}
