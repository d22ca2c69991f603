import XCTest
@testable import PropDeskCore

final class ImportTests: XCTestCase {
    private static let englishHeader = "building,room,floor,kind,floor_area,area,resident_name,relation,phone,id_type,id_number"
    private static let chineseHeader = "楼栋,房号,楼层,类型,建筑面积,责任区域,住户姓名,关系,电话,证件类型,证件号码"

    /// A file with the full English header of the export.
    private func rows(_ rows: String...) -> String {
        ([Self.englishHeader] + rows).joined(separator: "\n") + "\n"
    }

    private func csv(_ header: String, _ rows: String...) -> String {
        ([header] + rows).joined(separator: "\n") + "\n"
    }

    private func rejection(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> DomainError? {
        let error = expectDomainError(try RegistryImport.plan(csv: text), file: file, line: line)
        if let error, error.code == "import_rejected" { XCTAssertEqual(error.kind, .invalidInput, file: file, line: line) }
        return error
    }

    // MARK: good files

    func testFileWithEnglishHeadersGivesUnitsAndResidents_REG4() throws {
        let plan = try RegistryImport.plan(csv: rows(
            "3栋,1201,12,residential,89.5,东区,王建国,owner,13812345678,resident_id,11010519491231002X",
            "3栋,1202,12,residential,98.60,东区,,,,,",
            "商业街,S01,1,commercial,40,,翠湖便利店,owner,0755-12345678,business_licence,91440300MA5D1234XY"))
        XCTAssertEqual(plan.units, [
            .init(line: 2, building: "3栋", area: "东区", room: "1201", floor: 12, kind: .residential, floorArea: FloorArea(hundredths: 8950)),
            .init(line: 3, building: "3栋", area: "东区", room: "1202", floor: 12, kind: .residential, floorArea: FloorArea(hundredths: 9860)),
            .init(line: 4, building: "商业街", area: nil, room: "S01", floor: 1, kind: .commercial, floorArea: FloorArea(hundredths: 4000)),
        ])
        XCTAssertEqual(plan.residents, [
            .init(line: 2, building: "3栋", room: "1201", name: "王建国", kind: .individual, relation: .owner,
                  phone: "13812345678", idType: .residentID, idNumber: "11010519491231002X"),
            .init(line: 4, building: "商业街", room: "S01", name: "翠湖便利店", kind: .company, relation: .owner,
                  phone: "075512345678", idType: .businessLicence, idNumber: "91440300MA5D1234XY"),
        ])
        XCTAssertEqual(plan.buildings.map { $0.name }, ["3栋", "商业街"])
        XCTAssertEqual(plan.buildings.map { $0.area }, ["东区", nil])
    }

    func testFileWithChineseHeadersAndChineseValuesParses_REG4() throws {
        let plan = try RegistryImport.plan(csv: csv(Self.chineseHeader,
            "3栋,1201,,住宅,89.5,东区,王建国,业主,138 1234 5678,身份证,11010519491231002X"))
        XCTAssertEqual(plan.units.count, 1)
        XCTAssertEqual(plan.units.first?.kind, .residential)
        XCTAssertEqual(plan.units.first?.floor, 12)
        let resident = try XCTUnwrap(plan.residents.first)
        XCTAssertEqual(resident.relation, .owner)
        XCTAssertEqual(resident.phone, "13812345678")
        XCTAssertEqual(resident.idType, .residentID)
        XCTAssertEqual(resident.idNumber, "11010519491231002X")
    }

    func testChineseAndEnglishHeadersGiveTheSamePlan_REG4() throws {
        let row = "3栋,1201,12,住宅,89.5,东区,王建国,业主,13812345678,身份证,11010519491231002X"
        XCTAssertEqual(try RegistryImport.plan(csv: csv(Self.chineseHeader, row)),
                       try RegistryImport.plan(csv: csv(Self.englishHeader, row)))
    }

    func testColumnsMayComeInAnyOrderAndOnlyUnitColumnsAreRequired_REG4() throws {
        let plan = try RegistryImport.plan(csv: csv("Floor_Area, KIND ,room,building", "89.5,residential,502,1栋"))
        XCTAssertEqual(plan.units, [.init(line: 2, building: "1栋", area: nil, room: "502", floor: 5, kind: .residential,
                                          floorArea: FloorArea(hundredths: 8950))])
        XCTAssertTrue(plan.residents.isEmpty)
    }

    func testUnitWithTwoResidentsOverTwoRowsGivesOneUnitAndTwoResidents_REG4() throws {
        let plan = try RegistryImport.plan(csv: rows(
            "3栋,1201,,住宅,89.5,东区,王建国,业主,13812345678,,",
            "3栋,1201,,住宅,89.5,东区,李芳,家属,13912345678,,"))
        XCTAssertEqual(plan.units.count, 1)
        XCTAssertEqual(plan.units.first?.line, 2)
        XCTAssertEqual(plan.residents.map(\.name), ["王建国", "李芳"])
        XCTAssertEqual(plan.residents.map(\.relation), [.owner, .family])
        XCTAssertEqual(plan.residents.map(\.room), ["1201", "1201"])
    }

    func testRelationDefaultsToOwnerWhenLeftEmpty_REG4() throws {
        let plan = try RegistryImport.plan(csv: csv("building,room,kind,floor_area,resident_name,phone",
                                                     "1栋,101,residential,89.5,王建国,13812345678"))
        XCTAssertEqual(plan.residents.first?.relation, .owner)
        XCTAssertNil(plan.residents.first?.idType)
        XCTAssertNil(plan.residents.first?.idNumber)
    }

    func testFloorIsDerivedFromTheRoomNumberWhenTheFloorColumnIsEmpty_REG4() throws {
        let plan = try RegistryImport.plan(csv: rows(
            "3栋,1201,,residential,89.5,,,,,,",
            "3栋,502,,residential,89.5,,,,,,",
            "3栋,B1-08,,parking,12.5,,,,,,",
            "3栋,2101,-1,residential,89.5,,,,,,"))
        XCTAssertEqual(plan.units.map(\.floor), [12, 5, 1, -1])
    }

    func testDerivedFloorReadsTheTrailingDigitsOfTheRoom_REG4() {
        XCTAssertEqual(RegistryImport.derivedFloor(room: "1201"), 12)
        XCTAssertEqual(RegistryImport.derivedFloor(room: "502"), 5)
        XCTAssertEqual(RegistryImport.derivedFloor(room: "B1-08"), 1)
        XCTAssertEqual(RegistryImport.derivedFloor(room: "S01"), 1)
        XCTAssertEqual(RegistryImport.derivedFloor(room: "A-1803"), 18)
        XCTAssertEqual(RegistryImport.derivedFloor(room: ""), 1)
    }

    func testFileWithByteOrderMarkAndCRLFImports_REG4() throws {
        let plan = try RegistryImport.plan(csv: "\u{FEFF}building,room,kind,floor_area\r\n1栋,101,residential,89.5\r\n")
        XCTAssertEqual(plan.units.map(\.room), ["101"])
    }

    func testGBKFileFromExcelImports_REG4() throws {
        let text = csv("楼栋,房号,类型,建筑面积,住户姓名,电话", "3栋,1201,住宅,89.5,王建国,13812345678")
        let bytes = try TextEncoding.gbk.encode(text)
        let encoding = TextEncoding.sniff(bytes)
        XCTAssertEqual(encoding, .gbk)
        let plan = try RegistryImport.plan(csv: try encoding.decode(bytes))
        XCTAssertEqual(plan.units.first?.building, "3栋")
        XCTAssertEqual(plan.residents.first?.name, "王建国")
    }

    func testExportedRowsImportBackToTheSameUnitsAndResidents_REG4() throws {
        let exported = [
            RegistryExport.Row(building: "3栋", room: "1201", floor: 12, kind: .residential, floorArea: FloorArea(hundredths: 8950),
                               area: "东区", resident: (name: "王建国", relation: .owner, phone: "13812345678",
                                                        idType: .residentID, idNumber: "11010519491231002X")),
            RegistryExport.Row(building: "3栋", room: "1202", floor: 12, kind: .residential, floorArea: FloorArea(hundredths: 9860),
                               area: "东区", resident: nil),
        ]
        for language in Language.allCases {
            let text = ([RegistryExport.header(language)] + exported.map(RegistryExport.line)).joined(separator: "\n")
            let plan = try RegistryImport.plan(csv: text)
            XCTAssertEqual(plan.units.map(\.room), ["1201", "1202"], "\(language)")
            XCTAssertEqual(plan.units.map(\.floorArea.hundredths), [8950, 9860], "\(language)")
            XCTAssertEqual(plan.residents.map(\.idNumber), ["11010519491231002X"], "\(language)")
        }
    }

    func testExportHeaderIsTheImportHeaderInEachLanguage_REG4() {
        XCTAssertEqual(RegistryExport.header(.en), Self.englishHeader)
        XCTAssertEqual(RegistryExport.header(.zhHans), Self.chineseHeader)
    }

    // MARK: masked ID numbers

    func testMaskedIDNumberIsIgnoredAndKeepsWhatIsOnFile_REG4_SEC3() throws {
        let plan = try RegistryImport.plan(csv: rows(
            "3栋,1201,12,residential,89.5,,王建国,owner,13812345678,resident_id,**************002X"))
        XCTAssertEqual(plan.residents.count, 1)
        XCTAssertNil(plan.residents.first?.idNumber)
        XCTAssertNil(plan.residents.first?.idType)
    }

    func testPassportTypeInChineseIsAccepted_REG4() throws {
        let plan = try RegistryImport.plan(csv: rows("3栋,1201,12,residential,89.5,,John Smith,租户,13812345678,护照,e12345678"))
        XCTAssertEqual(plan.residents.first?.idType, .passport)
        XCTAssertEqual(plan.residents.first?.idNumber, "E12345678")
        XCTAssertEqual(plan.residents.first?.relation, .tenant)
    }

    // MARK: rejected files (all-or-nothing, every bad row reported)

    func testOneBadRowRejectsWholeFileAndNamesTheLine_REG4() {
        let error = rejection(csv("building,room,kind,floor_area",
                                   "1栋,101,residential,89.5",
                                   "1栋,102,residential,abc",
                                   "1栋,103,residential,90"))
        XCTAssertEqual(error?.code, "import_rejected")
        XCTAssertEqual(error?.details.count, 1)
        XCTAssertEqual(error?.details.first?.line, 3)
        XCTAssertEqual(error?.details.first?.field, "floor_area")
        XCTAssertTrue(error?.details.first?.message.en.contains("abc") ?? false)
        XCTAssertEqual(error?.message.en, "1 row(s) have errors; nothing was imported")
    }

    func testEveryBadRowIsReportedNotOnlyTheFirst_REG4() {
        let error = rejection(csv("building,room,floor,kind,floor_area",
                                   "1栋,101,1,villa,89.5",
                                   "1栋,102,1,residential,89.5",
                                   "1栋,103,abc,residential,89.5",
                                   "1栋,,1,residential,89.5"))
        XCTAssertEqual(error?.code, "import_rejected")
        XCTAssertEqual(error?.details.compactMap(\.line), [2, 4, 5])
        XCTAssertEqual(error?.details.compactMap(\.field), ["kind", "floor", "room"])
        XCTAssertTrue(error?.message.en.hasPrefix("3 row(s)") ?? false)
    }

    func testSeveralProblemsOnOneRowAreAllReported_REG4() {
        let error = rejection(csv("building,room,kind,floor_area", ",,shop,0"))
        XCTAssertEqual(Set(error?.details.compactMap(\.field) ?? []), ["building", "room", "kind", "floor_area"])
        XCTAssertTrue(error?.details.allSatisfy { $0.line == 2 } ?? false)
    }

    func testMissingRequiredColumnIsReported_REG4() {
        let error = rejection(csv("building,room,kind", "1栋,101,residential"))
        XCTAssertEqual(error?.code, "import_rejected")
        XCTAssertEqual(error?.details.map(\.field), ["floor_area"])
        XCTAssertEqual(error?.details.first?.line, 1)
        XCTAssertTrue(error?.details.first?.message.zhHans.contains("建筑面积") ?? false)
    }

    func testUnknownColumnIsReported_REG4() {
        let error = rejection(csv("building,room,kind,floor_area,colour", "1栋,101,residential,89.5,red"))
        XCTAssertEqual(error?.code, "import_rejected")
        XCTAssertEqual(error?.details.first?.field, "colour")
        XCTAssertEqual(error?.details.first?.line, 1)
        XCTAssertEqual(error?.details.first?.message.en, "Unknown column: colour")
    }

    func testConflictingDuplicateUnitRowsAreReportedAtTheLaterLine_REG4() {
        let error = rejection(csv("building,room,kind,floor_area",
                                   "1栋,101,residential,89.5",
                                   "1栋,101,residential,98.6"))
        XCTAssertEqual(error?.details.count, 1)
        XCTAssertEqual(error?.details.first?.line, 3)
        XCTAssertEqual(error?.details.first?.field, "room")
        XCTAssertTrue(error?.details.first?.message.en.contains("line 2") ?? false)
    }

    func testDuplicateResidentOfTheSameUnitIsReported_REG4() {
        let error = rejection(csv("building,room,kind,floor_area,resident_name,phone",
                                   "1栋,101,residential,89.5,王建国,13812345678",
                                   "1栋,101,residential,89.5,王建国,138-1234-5678"))
        XCTAssertEqual(error?.details.count, 1)
        XCTAssertEqual(error?.details.first?.line, 3)
        XCTAssertEqual(error?.details.first?.field, "resident_name")
    }

    func testBuildingGivenTwoDifferentAreasIsReported_REG4() {
        let error = rejection(csv("building,room,kind,floor_area,area",
                                   "1栋,101,residential,89.5,东区",
                                   "1栋,102,residential,89.5,西区"))
        XCTAssertEqual(error?.details.first?.line, 3)
        XCTAssertEqual(error?.details.first?.field, "area")
    }

    func testBadPhoneNamesTheLine_REG4() {
        let error = rejection(rows("3栋,1201,12,residential,89.5,,王建国,owner,12345,,"))
        XCTAssertEqual(error?.details.first?.line, 2)
        XCTAssertEqual(error?.details.first?.field, "phone")
        XCTAssertTrue(error?.details.first?.message.en.contains("12345") ?? false)
    }

    func testResidentWithoutPhoneIsReported_REG4() {
        let error = rejection(rows("3栋,1201,12,residential,89.5,,王建国,owner,,,"))
        XCTAssertEqual(error?.details.first?.field, "phone")
    }

    func testResidentFieldsWithoutANameAreReported_REG4() {
        let error = rejection(rows("3栋,1201,12,residential,89.5,,,owner,13812345678,,"))
        XCTAssertEqual(error?.details.first?.line, 2)
        XCTAssertEqual(error?.details.first?.field, "resident_name")
    }

    func testInvalidIDCheckDigitIsReported_REG4() {
        let error = rejection(rows("3栋,1201,12,residential,89.5,,王建国,owner,13812345678,resident_id,110105194912310021"))
        XCTAssertEqual(error?.details.first?.line, 2)
        XCTAssertEqual(error?.details.first?.field, "id_number")
    }

    func testIDNumberWithoutTypeIsCheckedAsAResidentID_REG4() {
        let error = rejection(rows("3栋,1201,12,residential,89.5,,王建国,owner,13812345678,,110105194912310021"))
        XCTAssertEqual(error?.details.first?.field, "id_number")
    }

    func testUnknownDocumentTypeIsReported_REG4() {
        let error = rejection(rows("3栋,1201,12,residential,89.5,,王建国,owner,13812345678,驾照,12345678"))
        XCTAssertEqual(error?.details.first?.field, "id_type")
    }

    func testUnknownRelationIsReported_REG4() {
        let error = rejection(rows("3栋,1201,12,residential,89.5,,王建国,friend,13812345678,,"))
        XCTAssertEqual(error?.details.first?.field, "relation")
    }

    func testFloorOutsideMinusFiveToTwoHundredIsReported_REG4() {
        XCTAssertEqual(rejection(rows("3栋,1201,201,residential,89.5,,,,,,"))?.details.first?.field, "floor")
        XCTAssertEqual(rejection(rows("3栋,1201,-6,residential,89.5,,,,,,"))?.details.first?.field, "floor")
    }

    func testTooLongBuildingOrRoomIsReported_REG4() {
        let error = rejection(csv("building,room,kind,floor_area",
                                   "\(String(repeating: "楼", count: 31)),\(String(repeating: "1", count: 21)),residential,89.5"))
        XCTAssertEqual(error?.details.compactMap(\.field), ["building", "room"])
    }

    func testEmptyFileAndHeaderOnlyFileAreRejected_REG4() {
        XCTAssertEqual(expectDomainError(try RegistryImport.plan(csv: ""))?.code, "import_empty")
        XCTAssertEqual(expectDomainError(try RegistryImport.plan(csv: "building,room,kind,floor_area\n"))?.code, "import_empty")
    }

    func testUnclosedQuoteRejectsTheFile_REG4() {
        let error = expectDomainError(try RegistryImport.plan(csv: "building,room,kind,floor_area\n\"1栋,101,residential,89.5\n"))
        XCTAssertEqual(error?.code, "csv_unclosed_quote")
    }
}
