import XCTest
@testable import PropDeskCore

final class AccessPolicyTests: XCTestCase {
    private static let north = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!
    private static let south = UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!
    private static let eastArea = UUID(uuidString: "00000000-0000-4000-8000-0000000000b1")!
    private static let westArea = UUID(uuidString: "00000000-0000-4000-8000-0000000000b2")!

    private func policy(_ role: Role, _ scopes: [Scope]) -> AccessPolicy {
        AccessPolicy(Principal(userID: UUID(), username: role.rawValue, displayName: role.rawValue,
                               role: role, scopes: scopes))
    }

    private var north: UUID { Self.north }
    private var south: UUID { Self.south }
    private var eastArea: UUID { Self.eastArea }
    private var westArea: UUID { Self.westArea }

    // MARK: reach and canSee

    func testAdminReachesEveryCommunityWithoutAnyScope_SEC2() {
        let admin = policy(.admin, [])
        XCTAssertEqual(admin.reach(north), .whole)
        XCTAssertEqual(admin.reach(south), .whole)
        XCTAssertTrue(admin.canSee(community: south, area: westArea))
        XCTAssertTrue(admin.canSee(community: north, area: nil))
    }

    func testAdminVisibleCommunityIDsIsNilMeaningAll_SEC2() {
        XCTAssertNil(policy(.admin, []).visibleCommunityIDs)
        XCTAssertNil(policy(.admin, [Scope(communityID: north)]).visibleCommunityIDs)
    }

    func testCenterHeadReachesWholeOwnCommunityAndNoneOfAnother_SEC2() {
        let head = policy(.centerHead, [Scope(communityID: north)])
        XCTAssertEqual(head.reach(north), .whole)
        XCTAssertEqual(head.reach(south), CommunityReach.none)
        XCTAssertTrue(head.canSee(community: north, area: eastArea))
        XCTAssertTrue(head.canSee(community: north, area: nil))
        XCTAssertFalse(head.canSee(community: south, area: nil))
        XCTAssertFalse(head.canSee(community: south, area: eastArea))
    }

    func testStaffVisibleCommunityIDsAreTheirScopedCommunities_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea),
                                                  Scope(communityID: south, areaID: westArea)])
        XCTAssertEqual(supervisor.visibleCommunityIDs, [north, south])
        XCTAssertEqual(policy(.frontDesk, []).visibleCommunityIDs, [])
    }

    func testAreaSupervisorReachesOnlyTheAssignedAreas_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea)])
        XCTAssertEqual(supervisor.reach(north), .areas([eastArea]))
        XCTAssertEqual(supervisor.reach(south), CommunityReach.none)
    }

    func testAreaSupervisorSeesOwnAreaButNotAnotherAreaOfTheSameCommunity_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea)])
        XCTAssertTrue(supervisor.canSee(community: north, area: eastArea))
        XCTAssertFalse(supervisor.canSee(community: north, area: westArea))
    }

    func testAreaSupervisorDoesNotSeeCommunityWideRecordsWithoutArea_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea)])
        XCTAssertFalse(supervisor.canSee(community: north, area: nil))
    }

    func testAreaSupervisorDoesNotSeeSameAreaIDUnderAnotherCommunity_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea)])
        XCTAssertFalse(supervisor.canSee(community: south, area: eastArea))
    }

    func testSupervisorOfTwoAreasReachesBoth_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea),
                                                  Scope(communityID: north, areaID: westArea)])
        XCTAssertEqual(supervisor.reach(north), .areas([eastArea, westArea]))
        XCTAssertTrue(supervisor.canSee(community: north, area: westArea))
    }

    func testWholeCommunityScopeWinsOverAnAreaScopeOfTheSameCommunity_SEC2() {
        let manager = policy(.csManager, [Scope(communityID: north, areaID: eastArea), Scope(communityID: north)])
        XCTAssertEqual(manager.reach(north), .whole)
        XCTAssertTrue(manager.canSee(community: north, area: nil))
    }

    // MARK: require

    func testRequireThrowsForbiddenWhenTheRoleLacksThePermission_SEC2() {
        let finance = policy(.finance, [Scope(communityID: north)])
        let error = expectDomainError(try finance.require(.editPeople, community: north, thing: Noun.person))
        XCTAssertEqual(error?.kind, .forbidden)
        XCTAssertEqual(error?.code, "forbidden")
    }

    func testRequireThrowsNotFoundWhenTheCommunityIsOutOfScope_SEC2() {
        let head = policy(.centerHead, [Scope(communityID: north)])
        let error = expectDomainError(try head.require(.readRegistry, community: south, thing: Noun.unit))
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertEqual(error?.code, "not_found")
        XCTAssertEqual(error?.message.zhHans, "未找到房屋。")
        XCTAssertEqual(error?.message.en, "Unit not found.")
    }

    func testRequireThrowsNotFoundForAnotherAreaOfASupervisor_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea)])
        let error = expectDomainError(try supervisor.require(.readRegistry, community: north, area: westArea,
                                                             thing: Noun.unit))
        XCTAssertEqual(error?.kind, .notFound)
    }

    func testRequireChecksThePermissionBeforeTheScope_SEC2() {
        let engineer = policy(.engineer, [Scope(communityID: north)])
        let error = expectDomainError(try engineer.require(.editStructure, community: south, thing: Noun.building))
        XCTAssertEqual(error?.kind, .forbidden)
    }

    func testRequirePassesWithPermissionInsideScope_SEC2() {
        let supervisor = policy(.areaSupervisor, [Scope(communityID: north, areaID: eastArea)])
        XCTAssertNoThrow(try supervisor.require(.readRegistry, community: north, area: eastArea, thing: Noun.unit))
        XCTAssertNoThrow(try policy(.admin, []).require(.manageCommunities, community: south, thing: Noun.community))
    }

    func testRequireRoleThrowsForbiddenOnlyWithoutThePermission_SEC2() {
        let error = expectDomainError(try policy(.frontDesk, [Scope(communityID: north)]).requireRole(.manageUsers))
        XCTAssertEqual(error, DomainError.forbidden)
        XCTAssertNoThrow(try policy(.admin, []).requireRole(.manageUsers))
    }

    // MARK: the role matrix

    func testResidentHasNoRegistryPermissionAtAll_SEC2() {
        XCTAssertTrue(Permission.granted(to: .resident).isEmpty)
        let resident = policy(.resident, [Scope(communityID: north)])
        XCTAssertFalse(resident.has(.readRegistry))
        let error = expectDomainError(try resident.require(.readRegistry, community: north, thing: Noun.unit))
        XCTAssertEqual(error?.kind, .forbidden)
    }

    func testEveryStaffRoleMayReadTheRegistry_SEC2() {
        for role in Role.allCases where role.isStaff {
            XCTAssertTrue(Permission.granted(to: role).contains(.readRegistry), "\(role)")
        }
        XCTAssertFalse(Role.resident.isStaff)
    }

    func testRevealIDNumberIsGrantedOnlyToCenterHeadCSManagerAndFrontDesk_SEC3() {
        let revealers = Set(Role.allCases.filter { Permission.granted(to: $0).contains(.revealIDNumber) })
        XCTAssertEqual(revealers, [.centerHead, .csManager, .frontDesk])
        XCTAssertFalse(policy(.admin, []).has(.revealIDNumber))
        XCTAssertFalse(policy(.engineer, [Scope(communityID: north)]).has(.revealIDNumber))
    }

    func testRevealPhoneIsNotGrantedToAdminFinanceOrResident_SEC3() {
        for role in [Role.admin, .finance, .resident] {
            XCTAssertFalse(Permission.granted(to: role).contains(.revealPhone), "\(role)")
        }
        XCTAssertTrue(Permission.granted(to: .engineer).contains(.revealPhone))
    }

    func testOnlyAdminManagesCommunitiesAndAccounts_REG3() {
        for permission in [Permission.manageCommunities, .manageUsers] {
            let holders = Set(Role.allCases.filter { Permission.granted(to: $0).contains(permission) })
            XCTAssertEqual(holders, [.admin], "\(permission)")
        }
    }

    func testImportExportIsLimitedToAdminCenterHeadAndCSManager_REG4() {
        let holders = Set(Role.allCases.filter { Permission.granted(to: $0).contains(.importExport) })
        XCTAssertEqual(holders, [.admin, .centerHead, .csManager])
    }

    func testAuditTrailIsReadableOnlyByAdminAndCenterHead_SEC4() {
        let holders = Set(Role.allCases.filter { Permission.granted(to: $0).contains(.readAudit) })
        XCTAssertEqual(holders, [.admin, .centerHead])
    }

    func testRoleRawValuesAreTheStoredCodes() {
        XCTAssertEqual(Role.allCases.map(\.rawValue),
                       ["admin", "center_head", "cs_manager", "front_desk", "area_supervisor", "engineer", "finance", "resident"])
        XCTAssertEqual(Role(rawValue: "area_supervisor"), .areaSupervisor)
    }

    func testEveryRoleHasATitleInBothLanguages() {
        for role in Role.allCases {
            XCTAssertFalse(role.title.zhHans.isEmpty, "\(role)")
            XCTAssertFalse(role.title.en.isEmpty, "\(role)")
        }
        XCTAssertEqual(Role.areaSupervisor.title.zhHans, "区域客户主任")
    }

    func testPrincipalDefaultsToChineseAndNoHoldings() {
        let p = Principal(userID: UUID(), username: "u", displayName: "U", role: .frontDesk, scopes: [])
        XCTAssertEqual(p.language, .zhHans)
        XCTAssertNil(p.personID)
        XCTAssertTrue(p.unitIDs.isEmpty)
    }
}
