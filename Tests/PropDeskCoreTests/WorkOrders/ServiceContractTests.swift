import XCTest
@testable import PropDeskCore

/// INT-6 / INT-7 / INT-12 / INT-18: the community's service contract — targets per kind ×
/// priority, escalation steps, callback, auto-close, return-visit share — and the floors the
/// standards put under it (S0 2.3: emergencies on site within 15 minutes; INT-12: ≥ 10 %).
final class ServiceContractTests: XCTestCase {
    func testINT6_defaultContractIsValidAndFollowsTheStandards() throws {
        let contract = try ServiceContract().validated()
        XCTAssertEqual(contract.callbackAfter, 20 * 60)       // S4 4.9
        XCTAssertEqual(contract.autoCloseDays, 7)             // INT-18
        XCTAssertEqual(contract.returnVisitPercent, 10)       // INT-12
        XCTAssertEqual(contract.target(kind: .repair, priority: .emergency).arrival, 15 * 60)  // S0 2.3
        XCTAssertEqual(contract.escalation(for: .emergency), [0, 5 * 60, 15 * 60])           // INT-7
    }

    func testINT6_mostSpecificTargetWins() {
        let contract = ServiceContract()
        XCTAssertEqual(contract.target(kind: .repair, priority: .urgent).arrival, 60 * 60)
        XCTAssertEqual(contract.target(kind: .repair, priority: .normal).arrival, 2 * 3600)
        XCTAssertEqual(contract.target(kind: .repair, priority: .low).arrival, 2 * 3600)
        XCTAssertEqual(contract.target(kind: .help, priority: .emergency).arrival, 15 * 60)
        XCTAssertEqual(contract.target(kind: .complaint, priority: .normal).completion, 3 * 86400)
        let fallback = contract.target(kind: .inquiry, priority: .normal)
        XCTAssertEqual(fallback.response, 30 * 60)
        XCTAssertNil(fallback.arrival)
        XCTAssertEqual(fallback.completion, 86400)
        // An empty contract still answers.
        XCTAssertEqual(ServiceContract(targets: []).target(kind: .repair, priority: .normal).response, 30 * 60)
    }

    func testINT6_S0_2_3_emergencyArrivalOverFifteenMinutesIsRejected() {
        var contract = ServiceContract()
        contract.targets[0].arrival = 16 * 60
        assertInvalid(expectDomainError(try contract.validated()), field: "targets")
        contract.targets[0].arrival = 15 * 60
        XCTAssertNoThrow(try contract.validated())
        contract.targets[0].arrival = 10 * 60
        XCTAssertNoThrow(try contract.validated())
        contract.targets[0].arrival = nil
        assertInvalid(expectDomainError(try contract.validated()), field: "targets")
    }

    func testINT6_S0_2_3_everyEmergencyRuleIsHeldToFifteenMinutes() throws {
        var slowRepair = ServiceContract()
        slowRepair.targets.insert(ServiceContract.Target(kind: .repair, priority: .emergency, response: 600, arrival: 3600,
                                                         completion: 8 * 3600, serviceHoursOnly: false), at: 0)
        assertInvalid(expectDomainError(try slowRepair.validated()), field: "targets")

        let noEmergencyRule = ServiceContract(targets: [ServiceContract.Target(kind: .repair, response: 1800, arrival: 7200,
                                                                               completion: 86400, serviceHoursOnly: true)])
        assertInvalid(expectDomainError(try noEmergencyRule.validated()), field: "targets")

        var officeHours = ServiceContract()
        officeHours.targets[0].serviceHoursOnly = true
        assertInvalid(expectDomainError(try officeHours.validated()), field: "targets")
    }

    func testINT12_returnVisitShareBelowTenPercentIsRejected() {
        assertInvalid(expectDomainError(try ServiceContract(returnVisitPercent: 9).validated()), field: "returnVisitPercent")
        assertInvalid(expectDomainError(try ServiceContract(returnVisitPercent: 0).validated()), field: "returnVisitPercent")
        XCTAssertNoThrow(try ServiceContract(returnVisitPercent: 10).validated())
        XCTAssertNoThrow(try ServiceContract(returnVisitPercent: 100).validated())
        assertInvalid(expectDomainError(try ServiceContract(returnVisitPercent: 101).validated()), field: "returnVisitPercent")
    }

    func testINT6_otherContractLimits() {
        assertInvalid(expectDomainError(try ServiceContract(callbackAfter: 0).validated()), field: "callbackAfter")
        assertInvalid(expectDomainError(try ServiceContract(callbackAfter: 31 * 60).validated()), field: "callbackAfter")
        assertInvalid(expectDomainError(try ServiceContract(autoCloseDays: 0).validated()), field: "autoCloseDays")
        assertInvalid(expectDomainError(try ServiceContract(autoCloseDays: 91).validated()), field: "autoCloseDays")
        assertInvalid(expectDomainError(try ServiceContract(dissatisfiedAtOrBelow: 5).validated()), field: "dissatisfiedAtOrBelow")
        assertInvalid(expectDomainError(try ServiceContract(escalationSteps: [.normal: [60, 0]]).validated()), field: "escalationSteps")
        assertInvalid(expectDomainError(try ServiceContract(escalationSteps: [.normal: []]).validated()), field: "escalationSteps")
        assertInvalid(expectDomainError(try ServiceContract(escalationSteps: [.normal: [0, 1, 2, 3]]).validated()), field: "escalationSteps")
        assertInvalid(expectDomainError(try ServiceContract(emergencyKeywords: [Classifier.Keyword(" ", .water)]).validated()),
                      field: "emergencyKeywords")
        var zeroTarget = ServiceContract()
        zeroTarget.targets[1].completion = 0
        assertInvalid(expectDomainError(try zeroTarget.validated()), field: "targets")
        assertInvalid(expectDomainError(try ServiceContract(hours: ServiceHours(opens: 600, closes: 600)).validated()), field: "hours")
    }

    func testINT7_missingEscalationStepsFallBackToTheStandard() {
        let contract = ServiceContract(escalationSteps: [:])
        XCTAssertEqual(contract.escalation(for: .urgent), [0, 30 * 60, 2 * 3600])
    }

    func testINT6_contractSurvivesAStoreRoundTrip() throws {
        let contract = ServiceContract(hours: ServiceHours(holidays: ["2026-10-01"]), returnVisitPercent: 20,
                                       emergencyKeywords: [Classifier.Keyword("化粪池满溢", .water)])
        let data = try JSONEncoder().encode(contract)
        XCTAssertEqual(try JSONDecoder().decode(ServiceContract.self, from: data), contract)
    }
}
