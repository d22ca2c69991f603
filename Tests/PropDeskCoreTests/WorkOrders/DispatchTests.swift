import XCTest
@testable import PropDeskCore

/// INT-15: dispatch by hand, by rule (category × area → team or person, round-robin inside a
/// team), or open for engineers to take (抢单).
final class DispatchTests: XCTestCase {
    private let a = Assignee(id: WO.uuid(21), name: "甲")
    private let b = Assignee(id: WO.uuid(22), name: "乙")
    private let c = Assignee(id: WO.uuid(23), name: "丙")

    private func rule(_ position: Int, _ name: String, category: PropDeskCore.Category? = nil, areaID: UUID? = nil,
                      members: [Assignee]) -> DispatchRule {
        DispatchRule(communityID: WO.communityID, position: position, name: name, category: category, areaID: areaID, members: members)
    }

    func testINT15_roundRobinCyclesThroughTheTeam() throws {
        var team = rule(1, "水电班", members: [a, b, c])
        var picked: [String] = []
        for _ in 0..<7 {
            let (who, moved) = try XCTUnwrap(team.next())
            picked.append(who.name)
            team = moved
        }
        XCTAssertEqual(picked, ["甲", "乙", "丙", "甲", "乙", "丙", "甲"])
        XCTAssertEqual(team.cursor, 0)
    }

    func testINT15_nextDoesNotChangeTheRuleItIsCalledOn() throws {
        let team = rule(1, "水电班", members: [a, b])
        _ = try XCTUnwrap(team.next())
        XCTAssertEqual(team.cursor, -1)
        XCTAssertEqual(team.next()?.0, a)
    }

    func testINT15_singlePersonRuleAlwaysGivesThatPerson() throws {
        var solo = rule(1, "电梯专员", members: [c])
        for _ in 0..<3 {
            let (who, moved) = try XCTUnwrap(solo.next())
            XCTAssertEqual(who, c)
            solo = moved
        }
        XCTAssertNil(rule(2, "空", members: []).next())
    }

    func testINT15_rulesFilterByCategoryAndArea() {
        let waterInArea = rule(1, "A 区水电", category: .water, areaID: WO.areaID, members: [a])
        XCTAssertTrue(waterInArea.matches(category: .water, areaID: WO.areaID))
        XCTAssertFalse(waterInArea.matches(category: .electricity, areaID: WO.areaID))
        XCTAssertFalse(waterInArea.matches(category: .water, areaID: WO.otherAreaID))
        XCTAssertFalse(waterInArea.matches(category: .water, areaID: nil))

        let anyCategory = rule(2, "A 区综合", areaID: WO.areaID, members: [b])
        XCTAssertTrue(anyCategory.matches(category: .elevator, areaID: WO.areaID))
        XCTAssertFalse(anyCategory.matches(category: .elevator, areaID: WO.otherAreaID))

        let anyArea = rule(3, "电梯", category: .elevator, members: [c])
        XCTAssertTrue(anyArea.matches(category: .elevator, areaID: WO.otherAreaID))
        XCTAssertTrue(anyArea.matches(category: .elevator, areaID: nil))
        XCTAssertFalse(anyArea.matches(category: .water, areaID: WO.areaID))
    }

    func testINT15_pickPrefersTheLowestPositionAmongMatchingRules() {
        let fallback = rule(9, "兜底", members: [c])
        let elevator = rule(2, "电梯", category: .elevator, members: [b])
        let water = rule(1, "A 区水", category: .water, areaID: WO.areaID, members: [a])
        let rules = [fallback, elevator, water]
        XCTAssertEqual(DispatchRule.pick(rules, category: .water, areaID: WO.areaID)?.name, "A 区水")
        XCTAssertEqual(DispatchRule.pick(rules, category: .water, areaID: WO.otherAreaID)?.name, "兜底")
        XCTAssertEqual(DispatchRule.pick(rules, category: .elevator, areaID: WO.areaID)?.name, "电梯")
        XCTAssertNil(DispatchRule.pick([water, elevator], category: .noise, areaID: nil))
    }

    func testINT15_pickSkipsRulesWithoutMembers() {
        let empty = rule(1, "空班组", category: .water, members: [])
        let team = rule(2, "水电班", category: .water, members: [a])
        XCTAssertEqual(DispatchRule.pick([empty, team], category: .water, areaID: nil)?.name, "水电班")
    }

    func testINT15_ruleDispatchFeedsTheMachine() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        let chosen = try XCTUnwrap(DispatchRule.pick([rule(1, "A 区水", category: .water, areaID: WO.areaID, members: [a, b])],
                                                     category: walk.order.category, areaID: walk.order.areaID))
        let (who, _) = try XCTUnwrap(chosen.next())
        try walk.apply(.dispatch(who), by: PropDeskCore.Actor.console("dispatch-rules"), at: WO.plus(1))
        XCTAssertEqual(walk.order.assigneeID, a.id)
        XCTAssertEqual(walk.order.status, .dispatched)
    }

    // MARK: The pool (抢单)

    func testINT15_pooledOrderCanBeTakenOnceOnly() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.pool, by: WO.frontDesk, at: WO.plus(1))
        XCTAssertEqual(walk.order.status, .dispatched)
        XCTAssertTrue(walk.order.inPool)
        XCTAssertNil(walk.order.assigneeID)
        XCTAssertEqual(walk.events.last?.kind, .pooled)
        XCTAssertNil(walk.clock(.callback))

        try walk.apply(.take(WO.engineer), by: WO.engineerActor, at: WO.plus(3))
        XCTAssertEqual(walk.order.status, .accepted)
        XCTAssertFalse(walk.order.inPool)
        XCTAssertEqual(walk.order.assigneeID, WO.engineerID)
        XCTAssertEqual(walk.events.last?.kind, .taken)
        XCTAssertEqual(walk.events.last?.data["assigneeId"], WO.engineerID.uuidString)
        XCTAssertEqual(walk.clock(.response)?.stoppedAt, WO.plus(3))
        XCTAssertEqual(walk.clock(.callback)?.dueAt, WO.plus(23))

        let second = expectDomainError(try walk.apply(.take(WO.otherEngineer), by: WO.otherEngineerActor, at: WO.plus(4)))
        XCTAssertEqual(second?.kind, .conflict)
        XCTAssertEqual(second?.code, "not_in_pool")
        XCTAssertFalse(second?.message.zhHans.isEmpty ?? true)
        XCTAssertFalse(second?.message.en.isEmpty ?? true)
        XCTAssertEqual(walk.order.assigneeID, WO.engineerID)
    }

    func testINT15_anOrderNotInThePoolCannotBeTaken() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        XCTAssertEqual(expectDomainError(try walk.apply(.take(WO.engineer), by: WO.engineerActor, at: WO.plus(1)))?.code, "not_in_pool")
        try walk.apply(.dispatch(WO.otherEngineer), by: WO.frontDesk, at: WO.plus(1))
        XCTAssertEqual(expectDomainError(try walk.apply(.take(WO.engineer), by: WO.engineerActor, at: WO.plus(2)))?.code, "not_in_pool")
    }

    func testINT15_poolingTwiceIsIllegalAndAPooledOrderCanStillBeAssignedByHand() throws {
        var walk = try OrderWalk(WO.draft(.repair, "卫生间水龙头滴水"))
        try walk.apply(.pool, by: WO.frontDesk, at: WO.plus(1))
        assertIllegal(expectDomainError(try walk.apply(.pool, by: WO.frontDesk, at: WO.plus(2))))
        try walk.apply(.reassign(WO.otherEngineer, reason: "无人抢单,指派"), by: WO.frontDesk, at: WO.plus(30))
        XCTAssertFalse(walk.order.inPool)
        XCTAssertEqual(walk.order.assigneeID, WO.otherEngineerID)
        XCTAssertEqual(walk.events.last?.data["from"], "—")
    }
}

/// INT-16: one incident covers buildings and a time window; matching requests are linked to it
/// instead of dispatched again; closing the incident closes them.
final class IncidentTests: XCTestCase {
    private func incident(buildings: [UUID] = [WO.buildingID], endsAt: Date? = WO.plus(6 * 60), closedAt: Date? = nil) -> Incident {
        Incident(id: WO.uuid(500), communityID: WO.communityID, title: "3 栋停水", category: .water, buildingIDs: buildings,
                 startsAt: WO.t0, endsAt: endsAt, script: "3 栋因管道抢修停水,预计 18:00 恢复。", createdByName: "前台小李",
                 createdAt: WO.t0, closedAt: closedAt)
    }

    func testINT16_absorbsMatchingCategoryBuildingAndWindow() {
        let i = incident()
        XCTAssertTrue(i.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.plus(60)))
        XCTAssertTrue(i.absorbs(kind: .help, category: .water, buildingID: WO.buildingID, at: WO.plus(60)))
        XCTAssertTrue(i.absorbs(kind: .inquiry, category: .water, buildingID: WO.buildingID, at: WO.plus(60)))
        // Window bounds are inclusive.
        XCTAssertTrue(i.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.t0))
        XCTAssertTrue(i.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.plus(6 * 60)))
    }

    func testINT16_doesNotAbsorbOtherCategoriesBuildingsTimesOrKinds() {
        let i = incident()
        XCTAssertFalse(i.absorbs(kind: .repair, category: .electricity, buildingID: WO.buildingID, at: WO.plus(60)))
        XCTAssertFalse(i.absorbs(kind: .repair, category: .water, buildingID: WO.otherBuildingID, at: WO.plus(60)))
        XCTAssertFalse(i.absorbs(kind: .repair, category: .water, buildingID: nil, at: WO.plus(60)))
        XCTAssertFalse(i.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.plus(-1)))
        XCTAssertFalse(i.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.plus(6 * 60 + 1)))
        // A complaint about the outage is its own matter.
        XCTAssertFalse(i.absorbs(kind: .complaint, category: .water, buildingID: WO.buildingID, at: WO.plus(60)))
    }

    func testINT16_closedIncidentAbsorbsNothing() {
        let closed = incident(closedAt: WO.plus(120))
        XCTAssertFalse(closed.isOpen)
        XCTAssertFalse(closed.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.plus(60)))
        XCTAssertFalse(closed.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.plus(180)))
    }

    func testINT16_wholeCommunityAndOpenEndedIncidents() {
        let whole = incident(buildings: [], endsAt: nil)
        XCTAssertTrue(whole.absorbs(kind: .repair, category: .water, buildingID: WO.otherBuildingID, at: WO.plus(60)))
        XCTAssertTrue(whole.absorbs(kind: .repair, category: .water, buildingID: nil, at: WO.plus(60)))
        XCTAssertTrue(whole.absorbs(kind: .repair, category: .water, buildingID: WO.buildingID, at: WO.plus(60 * 24 * 30)))
    }

    func testINT16_incidentValidation() throws {
        XCTAssertEqual(try incident().validated().title, "3 栋停水")
        assertInvalid(expectDomainError(try incident(endsAt: WO.t0).validated()), field: "endsAt")
        var noScript = incident()
        noScript.script = "  "
        assertInvalid(expectDomainError(try noScript.validated()), field: "script")
        var noTitle = incident()
        noTitle.title = ""
        assertInvalid(expectDomainError(try noTitle.validated()), field: "title")
    }

    func testINT16_linkedOrderHasNoClocksAndIsResolvedWithTheIncident() throws {
        let incidentID = WO.uuid(500)
        var walk = try OrderWalk(WO.draft(.repair, "家里没水了"), incidentID: incidentID)
        XCTAssertEqual(walk.order.incidentID, incidentID)
        XCTAssertTrue(walk.clocks.isEmpty)
        XCTAssertEqual(walk.events.map(\.kind), [.created, .linkedToIncident])
        XCTAssertEqual(walk.events.map(\.seq), [1, 2])
        XCTAssertEqual(walk.events.last?.data["incident"], incidentID.uuidString)
        XCTAssertEqual(walk.order.status, .received)

        // Not dispatched again, not pooled.
        assertIllegal(expectDomainError(try walk.apply(.dispatch(WO.engineer), by: WO.frontDesk, at: WO.plus(1))))
        assertIllegal(expectDomainError(try walk.apply(.pool, by: WO.frontDesk, at: WO.plus(1))))

        try walk.apply(.resolveByIncident(note: "管道已修复,恢复供水"), by: PropDeskCore.Actor.console("incident"), at: WO.plus(300))
        XCTAssertEqual(walk.order.status, .closed)
        XCTAssertEqual(walk.order.closeReason, "incident")
        XCTAssertEqual(walk.order.closedAt, WO.plus(300))
        XCTAssertEqual(walk.order.outcome, "管道已修复,恢复供水")
        XCTAssertEqual(walk.events.last?.kind, .incidentResolved)
        XCTAssertEqual(walk.events.last?.seq, 3)
        // Closed with the incident: it cannot be reopened as if it had been repaired.
        assertIllegal(expectDomainError(try walk.apply(.reopen(reason: "x"), by: WO.frontDesk, at: WO.plus(301))))
    }

    func testINT16_onlyIncidentLinkedOrdersResolveByIncident() throws {
        var walk = try OrderWalk(WO.draft(.repair, "家里没水了"))
        assertIllegal(expectDomainError(try walk.apply(.resolveByIncident(note: "x"), by: WO.frontDesk, at: WO.plus(1))))
    }

    func testINT16_emergencyTextLinkedToAnIncidentStartsNoClock() throws {
        // During a notified outage, "停电" calls must not each start a 15-minute emergency clock.
        let walk = try OrderWalk(WO.draft(.repair, "家里停电了"), incidentID: WO.uuid(501))
        XCTAssertEqual(walk.order.priority, .emergency)
        XCTAssertTrue(walk.clocks.isEmpty)
        XCTAssertTrue(walk.alerts.isEmpty)
    }
}
