import XCTest
@testable import PropDeskCore

final class ValidationTests: XCTestCase {
    // MARK: phone

    func testMobileNumberIsAcceptedAsIs_REG2() throws {
        XCTAssertEqual(try Validate.phone("13812345678"), "13812345678")
    }

    func testCountryCodeBlanksAndDashesAreDroppedFromAMobileNumber_REG2() throws {
        XCTAssertEqual(try Validate.phone("+86 138-1234-5678"), "13812345678")
        XCTAssertEqual(try Validate.phone("138 1234 5678"), "13812345678")
    }

    func testLandlineWithAreaCodeIsAcceptedAsDigits_REG2() throws {
        XCTAssertEqual(try Validate.phone("0755-12345678"), "075512345678")
        XCTAssertEqual(try Validate.phone("(010) 8888 6666"), "01088886666")
    }

    func testShortPhoneIsRejectedWithAMessageInBothLanguages_SEC5() {
        let error = expectDomainError(try Validate.phone("12345"))
        XCTAssertEqual(error?.kind, .invalidInput)
        XCTAssertEqual(error?.code, "invalid_input")
        XCTAssertEqual(error?.details.first?.field, "phone")
        let detail = error?.details.first?.message
        XCTAssertEqual(detail?.zhHans, "电话号码格式不正确:12345")
        XCTAssertEqual(detail?.en, "Not a valid phone number: 12345")
        XCTAssertTrue(error?.message.zhHans.contains("12345") ?? false)
        XCTAssertTrue(error?.message.en.contains("12345") ?? false)
    }

    func testPhoneErrorNamesTheFieldItWasGiven_SEC5() {
        XCTAssertEqual(expectDomainError(try Validate.phone("x", field: "contactPhone"))?.details.first?.field, "contactPhone")
    }

    func testPhoneRejectsLettersFullWidthDigitsForeignPrefixesAndWrongLengths_REG2() {
        for bad in ["", "1381234567a", "１３８１２３４５６７８", "+1 415 555 0100", "138123456789", "23812345678", "075512"] {
            XCTAssertNotNil(expectDomainError(try Validate.phone(bad)), bad)
        }
    }

    // MARK: resident ID number (GB 11643)

    func testGB11643ExampleHasCheckCharacterXAndIsValid_REG2() {
        XCTAssertEqual(ResidentIDNumber.checkCharacter(first17: "11010519491231002"), "X")
        XCTAssertTrue(ResidentIDNumber.isValid("11010519491231002X"))
    }

    func testNumberWithItsComputedCheckCharacterIsValid_REG2() throws {
        let first17 = "44030519800101123"
        let check = try XCTUnwrap(ResidentIDNumber.checkCharacter(first17: first17))
        XCTAssertTrue(ResidentIDNumber.isValid(first17 + String(check)))
    }

    func testEveryWrongCheckCharacterIsInvalid_REG2() throws {
        let first17 = "44030519800101123"
        let check = try XCTUnwrap(ResidentIDNumber.checkCharacter(first17: first17))
        for wrong in "0123456789X" where wrong != check {
            XCTAssertFalse(ResidentIDNumber.isValid(first17 + String(wrong)), String(wrong))
        }
    }

    func testWrongLengthIsInvalid_REG2() {
        XCTAssertFalse(ResidentIDNumber.isValid(""))
        XCTAssertFalse(ResidentIDNumber.isValid("11010519491231002"))
        XCTAssertFalse(ResidentIDNumber.isValid("11010519491231002X1"))
        XCTAssertFalse(ResidentIDNumber.isValid("110105491231002"))
    }

    func testCheckCharacterNeedsExactlySeventeenDigits_REG2() {
        XCTAssertNil(ResidentIDNumber.checkCharacter(first17: "1101051949123100"))
        XCTAssertNil(ResidentIDNumber.checkCharacter(first17: "110105194912310021"))
        XCTAssertNil(ResidentIDNumber.checkCharacter(first17: "1101051949123100A"))
    }

    func testValidateAcceptsLowerCaseXAndReturnsUpperCase_REG2() throws {
        XCTAssertFalse(ResidentIDNumber.isValid("11010519491231002x"))
        XCTAssertEqual(try Validate.idNumber(" 11010519491231002x ", type: .residentID), "11010519491231002X")
    }

    func testValidateRejectsResidentIDWithBadCheckDigit_REG2() {
        let error = expectDomainError(try Validate.idNumber("110105194912310021", type: .residentID))
        XCTAssertEqual(error?.kind, .invalidInput)
        XCTAssertEqual(error?.details.first?.field, "idNumber")
    }

    func testPassportNumberIsCheckedForLengthAndLettersOrDigitsOnly_REG2() throws {
        XCTAssertEqual(try Validate.idNumber("E12345678", type: .passport), "E12345678")
        XCTAssertEqual(try Validate.idNumber(" e12345678 ", type: .passport), "E12345678")
        XCTAssertEqual(try Validate.idNumber("91440300MA5D1234XY", type: .businessLicence), "91440300MA5D1234XY")
        XCTAssertEqual(try Validate.idNumber("H12345678", type: .permit), "H12345678")
        for bad in ["E123", "E123-45678", "护照12345", String(repeating: "A", count: 31)] {
            XCTAssertNotNil(expectDomainError(try Validate.idNumber(bad, type: .passport)), bad)
        }
    }

    // MARK: names, usernames, passwords, floors

    func testNameIsTrimmedAndMustNotBeEmptyOrTooLong_SEC5() throws {
        XCTAssertEqual(try Validate.name("  翠湖花园 ", field: "name"), "翠湖花园")
        let empty = expectDomainError(try Validate.name("   ", field: "name"))
        XCTAssertEqual(empty?.details.first?.field, "name")
        XCTAssertEqual(empty?.details.first?.message, Message(zh: "名称不能为空", en: "Name must not be empty"))
        XCTAssertNotNil(expectDomainError(try Validate.name(String(repeating: "楼", count: 61), field: "name")))
        XCTAssertNotNil(expectDomainError(try Validate.name("abcdef", field: "code", max: 5)))
        XCTAssertEqual(try Validate.name(String(repeating: "楼", count: 60), field: "name").count, 60)
    }

    func testUsernameIsTrimmedLowerCasedAndLimitedToLettersDigitsAndDotDashUnderscore_REG3() throws {
        XCTAssertEqual(try Validate.username("  Front.Desk_1 "), "front.desk_1")
        XCTAssertEqual(try Validate.username("chhy.supervisor-2"), "chhy.supervisor-2")
        for bad in ["ab", "王小明", "a b c", "name@example", String(repeating: "a", count: 41)] {
            let error = expectDomainError(try Validate.username(bad))
            XCTAssertEqual(error?.details.first?.field, "username", bad)
        }
    }

    func testPasswordNeedsAtLeastTenCharacters_SEC1() throws {
        XCTAssertEqual(try Validate.password("0123456789"), "0123456789")
        XCTAssertEqual(try Validate.password("十个汉字的密码口令长"), "十个汉字的密码口令长")
        let error = expectDomainError(try Validate.password("012345678"))
        XCTAssertEqual(error?.details.first?.field, "password")
    }

    func testFloorMustBeBetweenMinusFiveAndTwoHundred_REG1() throws {
        XCTAssertEqual(try Validate.floor(-5), -5)
        XCTAssertEqual(try Validate.floor(200), 200)
        XCTAssertNotNil(expectDomainError(try Validate.floor(-6)))
        XCTAssertNotNil(expectDomainError(try Validate.floor(201)))
    }

    // MARK: masking (SEC-3)

    func testMobileIsMaskedToFirstThreeAndLastFour_SEC3() {
        XCTAssertEqual(Mask.phone("13812345678"), "138****5678")
    }

    func testLandlineIsMaskedKeepingItsLength_SEC3() {
        XCTAssertEqual(Mask.phone("075512345678"), "075*****5678")
        XCTAssertEqual(Mask.phone("12345"), "***45")
        XCTAssertEqual(Mask.phone(""), "")
    }

    func testIDNumberShowsOnlyTheLastFourCharacters_SEC3() {
        let number = "11010519491231002X"
        let masked = Mask.idNumber(number)
        XCTAssertEqual(masked, "**************002X")
        XCTAssertEqual(masked.count, number.count)
        XCTAssertFalse(masked.contains(String(number.prefix(14))))
        XCTAssertEqual(masked.filter { $0 != "*" }, "002X")
    }

    func testShortIDNumberIsMaskedCompletely_SEC3() {
        XCTAssertEqual(Mask.idNumber("1234"), "****")
        XCTAssertEqual(Mask.idNumber(""), "")
    }

    // MARK: floor area (REG-1)

    func testFloorAreaParsesDecimalsIntoHundredths_REG1() throws {
        XCTAssertEqual(try XCTUnwrap(FloorArea(text: "89.5")).hundredths, 8950)
        XCTAssertEqual(try XCTUnwrap(FloorArea(text: "89.50")).hundredths, 8950)
        XCTAssertEqual(try XCTUnwrap(FloorArea(text: "120")).hundredths, 12000)
        XCTAssertEqual(try XCTUnwrap(FloorArea(text: " 0.01 ")).hundredths, 1)
        XCTAssertEqual(try XCTUnwrap(FloorArea(text: "99999.99")).hundredths, 9_999_999)
    }

    func testFloorAreaDescriptionAlwaysHasTwoDecimals_REG1() {
        XCTAssertEqual(FloorArea(text: "89.5")?.description, "89.50")
        XCTAssertEqual(FloorArea(text: "120")?.description, "120.00")
        XCTAssertEqual(FloorArea(hundredths: 5).description, "0.05")
        XCTAssertEqual(FloorArea(hundredths: 14375).description, "143.75")
    }

    func testFloorAreaRejectsZeroNegativeTooPreciseTooLargeAndNonASCII_REG1() {
        for bad in ["0", "0.00", "-1", "1.234", "abc", "", "１２", "12.", ".5", "1,5", "1.2.3", "100000", "89.5m²", "８９.5"] {
            XCTAssertNil(FloorArea(text: bad), bad)
        }
    }

    func testFloorAreasCompareBySize_REG1() throws {
        let small = try XCTUnwrap(FloorArea(text: "89.5")), large = try XCTUnwrap(FloorArea(text: "120"))
        XCTAssertLessThan(small, large)
        XCTAssertEqual(small.squareMetres, 89.5, accuracy: 0.0001)
    }

    func testUnitKindAcceptsEnglishCodesAndChineseWords_REG1() {
        XCTAssertEqual(UnitKind(loose: "residential"), .residential)
        XCTAssertEqual(UnitKind(loose: " Commercial "), .commercial)
        XCTAssertEqual(UnitKind(loose: "住宅"), .residential)
        XCTAssertEqual(UnitKind(loose: "底商"), .commercial)
        XCTAssertEqual(UnitKind(loose: "商铺"), .commercial)
        XCTAssertEqual(UnitKind(loose: "停车位"), .parking)
        XCTAssertNil(UnitKind(loose: "villa"))
        XCTAssertNil(UnitKind(loose: ""))
    }

    func testRelationAcceptsEnglishCodesAndChineseWords_REG2() {
        XCTAssertEqual(OccupantRelation(loose: "Owner"), .owner)
        XCTAssertEqual(OccupantRelation(loose: "业主"), .owner)
        XCTAssertEqual(OccupantRelation(loose: "租客"), .tenant)
        XCTAssertEqual(OccupantRelation(loose: "家属"), .family)
        XCTAssertNil(OccupantRelation(loose: "friend"))
    }

    func testUnitLabelJoinsBuildingAndRoomWithADash_REG1() {
        XCTAssertEqual(PropertyUnit.label(building: "3栋", room: "1201"), "3栋-1201")
    }

    // MARK: paging

    func testPageQueryDefaultsToPageOneOfFifty() throws {
        let page = try PageQuery(page: nil, per: nil)
        XCTAssertEqual(page.page, 1)
        XCTAssertEqual(page.per, 50)
        XCTAssertEqual(page.offset, 0)
    }

    func testPageQueryOffsetSkipsEarlierPages() throws {
        XCTAssertEqual(try PageQuery(page: 3, per: 20).offset, 40)
        XCTAssertEqual(try PageQuery(page: 1, per: PageQuery.maxPer).per, 100)
    }

    func testPageQueryRejectsPageZeroAndPerOutsideOneToHundred_SEC5() {
        XCTAssertEqual(expectDomainError(try PageQuery(page: 0, per: nil))?.details.first?.field, "page")
        XCTAssertEqual(expectDomainError(try PageQuery(page: -1, per: 10))?.details.first?.field, "page")
        XCTAssertEqual(expectDomainError(try PageQuery(page: nil, per: 101))?.details.first?.field, "per")
        XCTAssertEqual(expectDomainError(try PageQuery(page: 1, per: 0))?.details.first?.field, "per")
    }
}
