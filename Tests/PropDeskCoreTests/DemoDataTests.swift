import XCTest
@testable import PropDeskCore

final class DemoDataTests: XCTestCase {
    /// Built once: every test here reads the same demo.
    private static let demo = DemoData.make()
    private var demo: DemoData { Self.demo }

    func testTwoRunsWithTheSameSeedGiveIdenticalData_RUN3() {
        let again = DemoData.make()
        XCTAssertEqual(again.units.map(\.id), demo.units.map(\.id))
        XCTAssertEqual(again.residents.map(\.person.name), demo.residents.map(\.person.name))
        XCTAssertEqual(again.residents.map(\.person.phone), demo.residents.map(\.person.phone))
        XCTAssertEqual(again.residents.map(\.idNumber), demo.residents.map(\.idNumber))
        XCTAssertEqual(again.staff.map(\.account.id), demo.staff.map(\.account.id))
        XCTAssertEqual(again.communities, demo.communities)
    }

    func testAnotherSeedGivesOtherIdentifiers_RUN3() {
        let other = DemoData.make(seed: 1)
        XCTAssertNotEqual(other.units.first?.id, demo.units.first?.id)
        XCTAssertNotEqual(other.residents.map(\.person.name), demo.residents.map(\.person.name))
    }

    func testDemoHasTwoCommunities_RUN3() {
        XCTAssertEqual(demo.communities.count, 2)
        XCTAssertEqual(Set(demo.communities.map(\.code)).count, 2)
        XCTAssertEqual(Set(demo.communities.map(\.id)).count, 2)
    }

    func testAboutTwoThousandResidentialHouseholds_RUN3() {
        let residential = Set(demo.units.filter { $0.kind == .residential }.map(\.id))
        let households = demo.residents.filter { $0.occupancy.relation == .owner && residential.contains($0.occupancy.unitID) }
        XCTAssertTrue((1_800...2_300).contains(households.count), "\(households.count) households")
        XCTAssertEqual(Set(households.map(\.occupancy.unitID)).count, households.count, "one owner per flat")
    }

    func testDemoHasEveryKindOfUnit_RUN3() {
        XCTAssertEqual(Set(demo.units.map(\.kind)), Set(UnitKind.allCases))
    }

    func testEveryStaffRoleAppears_RUN3() {
        let roles = Set(demo.staff.map(\.account.role))
        XCTAssertEqual(roles, Set(Role.allCases.filter { $0 != .resident }))
    }

    func testAdminComesFirstAndIsNotScoped_RUN3() {
        XCTAssertEqual(demo.staff.first?.account.role, .admin)
        XCTAssertEqual(demo.staff.first?.account.username, "admin")
        XCTAssertEqual(demo.staff.first?.account.scopes, [])
    }

    func testEveryPhoneIsAValidNormalisedNumber_RUN3() throws {
        let phones = demo.residents.map(\.person.phone) + demo.staff.compactMap(\.account.phone)
        for phone in phones {
            XCTAssertEqual(try Validate.phone(phone), phone)
        }
    }

    func testPhoneNumbersAreUnique_RUN3() {
        let phones = demo.residents.map(\.person.phone) + demo.staff.compactMap(\.account.phone)
        XCTAssertEqual(Set(phones).count, phones.count)
    }

    func testEveryIDNumberIsValidAndStoredMasked_RUN3_SEC3() {
        var withID = 0
        for household in demo.residents {
            if let number = household.idNumber {
                withID += 1
                XCTAssertTrue(ResidentIDNumber.isValid(number), number)
                XCTAssertEqual(household.person.idNumberMasked, Mask.idNumber(number))
                XCTAssertEqual(household.person.idDocumentType, .residentID)
            } else {
                XCTAssertNil(household.person.idNumberMasked)
            }
        }
        XCTAssertGreaterThan(withID, 1_000)
    }

    func testAreaSupervisorsHaveExactlyOneAreaOfTheirOwnCommunity_RUN3_SEC2() throws {
        let supervisors = demo.staff.map(\.account).filter { $0.role == .areaSupervisor }
        XCTAssertEqual(supervisors.count, demo.areas.count)
        for account in supervisors {
            XCTAssertEqual(account.scopes.count, 1, account.username)
            let scope = try XCTUnwrap(account.scopes.first)
            let areaID = try XCTUnwrap(scope.areaID, account.username)
            let area = try XCTUnwrap(demo.areas.first { $0.id == areaID })
            XCTAssertEqual(area.communityID, scope.communityID)
        }
    }

    func testOtherStaffAreScopedToOneWholeCommunity_RUN3_SEC2() {
        for account in demo.staff.map(\.account) where account.role != .admin && account.role != .areaSupervisor {
            XCTAssertEqual(account.scopes.count, 1, account.username)
            XCTAssertNil(account.scopes.first?.areaID, account.username)
        }
    }

    func testUsernamesAreUniqueAndValid_RUN3() throws {
        let usernames = demo.staff.map(\.account.username) + demo.residentAccounts.map(\.username)
        XCTAssertEqual(Set(usernames).count, usernames.count)
        for username in usernames {
            XCTAssertEqual(try Validate.username(username), username)
        }
    }

    func testStaffCarryBadgeNumbersOfTheirCommunity_REG3() {
        let codes = Dictionary(uniqueKeysWithValues: demo.communities.map { ($0.id, $0.code) })
        var badges: [String] = []
        for account in demo.staff.map(\.account) where account.role != .admin {
            guard let badge = account.badgeNumber, let code = account.scopes.first.flatMap({ codes[$0.communityID] }) else {
                XCTFail("\(account.username) has no badge or community"); continue
            }
            XCTAssertTrue(badge.hasPrefix(code + "-"), badge)
            badges.append(badge)
        }
        XCTAssertEqual(Set(badges).count, badges.count)
    }

    func testResidentAccountsBelongToIndividualOwnersOnFile_RUN3() {
        XCTAssertEqual(demo.residentAccounts.count, 6)
        let owners = Dictionary(uniqueKeysWithValues: demo.residents
            .filter { $0.occupancy.relation == .owner }.map { ($0.person.id, $0.person) })
        for account in demo.residentAccounts {
            XCTAssertEqual(account.role, .resident)
            let person = owners[account.personID ?? UUID()]
            XCTAssertNotNil(person, account.username)
            XCTAssertEqual(person?.kind, .individual)
            XCTAssertEqual(account.username, person?.phone)
            XCTAssertEqual(account.scopes.map(\.communityID), [person?.communityID].compactMap { $0 })
        }
    }

    func testEveryRecordAgreesWithItsBuildingAndCommunity_RUN5() {
        let buildings = Dictionary(uniqueKeysWithValues: demo.buildings.map { ($0.id, $0) })
        let units = Dictionary(uniqueKeysWithValues: demo.units.map { ($0.id, $0) })
        let communities = Set(demo.communities.map(\.id))
        for unit in demo.units {
            let building = buildings[unit.buildingID]
            XCTAssertEqual(building?.communityID, unit.communityID)
            XCTAssertEqual(building?.areaID, unit.areaID)
            XCTAssertTrue(communities.contains(unit.communityID))
        }
        for household in demo.residents {
            XCTAssertEqual(household.occupancy.personID, household.person.id)
            XCTAssertEqual(household.occupancy.communityID, household.person.communityID)
            XCTAssertEqual(units[household.occupancy.unitID]?.communityID, household.person.communityID)
        }
        for area in demo.areas { XCTAssertTrue(communities.contains(area.communityID)) }
    }

    func testIdentifiersAndRoomsAreUnique_RUN3() {
        XCTAssertEqual(Set(demo.units.map(\.id)).count, demo.units.count)
        XCTAssertEqual(Set(demo.residents.map(\.person.id)).count, demo.residents.count)
        XCTAssertEqual(Set(demo.buildings.map(\.id)).count, demo.buildings.count)
        let rooms = demo.units.map { "\($0.buildingID)/\($0.roomNumber)" }
        XCTAssertEqual(Set(rooms).count, rooms.count)
    }

    func testFlatsAreNumberedByFloor_RUN3() {
        for unit in demo.units where unit.kind == .residential {
            XCTAssertEqual(RegistryImport.derivedFloor(room: unit.roomNumber), unit.floor, unit.roomNumber)
        }
    }
}
