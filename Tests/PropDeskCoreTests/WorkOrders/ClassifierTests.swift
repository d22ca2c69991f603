import XCTest
@testable import PropDeskCore

/// INT-4: every request gets a category and a priority; emergencies (S0 2.3) are found by a
/// keyword dictionary in Chinese and English that a community can extend, and can be set by hand.
final class ClassifierTests: XCTestCase {
    private let classifier = Classifier()

    func testINT4_burstPipeIsAWaterEmergency() {
        XCTAssertEqual(classifier.classify("厨房水管爆裂"),
                       Classifier.Result(category: .water, emergency: true, matched: "水管爆裂"))
    }

    func testINT4_burstPipeInEnglishIsAWaterEmergency() {
        XCTAssertEqual(classifier.classify("There is a burst pipe under the kitchen sink"),
                       Classifier.Result(category: .water, emergency: true, matched: "burst pipe"))
    }

    func testINT4_matchingIgnoresCaseFullWidthFormsAndSpacing() {
        for text in ["BURST PIPE in 1201", "ＢＵＲＳＴ　ＰＩＰＥ", "Burst   pipe!", "burst\tpipe", "burstpipe"] {
            let result = classifier.classify(text)
            XCTAssertTrue(result.emergency, text)
            XCTAssertEqual(result.category, .water, text)
            XCTAssertEqual(result.matched, "burst pipe", text)
        }
        for text in ["水 管 爆 裂", "厨房　水管　爆裂了", "\n水管爆裂\n"] {
            XCTAssertEqual(classifier.classify(text), Classifier.Result(category: .water, emergency: true, matched: "水管爆裂"), text)
        }
    }

    func testINT4_theOtherS0EmergenciesAreDetected() {
        let cases: [(String, PropDeskCore.Category)] = [
            ("卫生间关键部位漏水", .water),   // leak at a key spot
            ("一楼室内返水", .water),          // backflow
            ("整栋楼停电了", .electricity),    // power outage
            ("Power outage in building 3", .electricity),
            ("Sewage BACKFLOW in the basement", .water),
            ("有人困在电梯里", .elevator),
            ("厨房有煤气味", .gas),
        ]
        for (text, category) in cases {
            let result = classifier.classify(text)
            XCTAssertTrue(result.emergency, text)
            XCTAssertEqual(result.category, category, text)
            XCTAssertNotNil(result.matched, text)
        }
    }

    func testINT4_ordinaryTextGetsACategoryButIsNotAnEmergency() {
        XCTAssertEqual(classifier.classify("电梯按钮坏了"), Classifier.Result(category: .elevator, emergency: false, matched: nil))
        // The longer hint wins: 门禁 (access control) is security, not 门 (door).
        XCTAssertEqual(classifier.classify("门禁卡刷不开").category, .security)
        XCTAssertEqual(classifier.classify("The bathroom tap is dripping").category, .water)
        XCTAssertFalse(classifier.classify("The bathroom tap is dripping").emergency)
    }

    func testINT4_textWithNoKnownWordIsOther() {
        XCTAssertEqual(classifier.classify("请问快递放哪里"), Classifier.Result(category: .other, emergency: false, matched: nil))
    }

    func testINT4_communityExtraKeywordMakesANewWordAnEmergency() {
        let text = "地下化粪池满溢"
        XCTAssertFalse(classifier.classify(text).emergency)
        let extended = Classifier(extra: [Classifier.Keyword("化粪池满溢", .water)])
        XCTAssertEqual(extended.classify(text), Classifier.Result(category: .water, emergency: true, matched: "化粪池满溢"))
        // The standard list still applies.
        XCTAssertTrue(extended.classify("厨房水管爆裂").emergency)
        // The contract carries the words to the classifier it hands out.
        let contract = ServiceContract(emergencyKeywords: [Classifier.Keyword("化粪池满溢", .water)])
        XCTAssertTrue(contract.classifier.classify(text).emergency)
    }

    func testINT4_openingAnOrderClassifiesItAndRecordsTheKeyword() throws {
        let walk = try OrderWalk(WO.draft(.repair, "厨房水管爆裂,水流不止"))
        XCTAssertEqual(walk.order.priority, .emergency)
        XCTAssertEqual(walk.order.category, .water)
        XCTAssertEqual(walk.order.emergencyKeyword, "水管爆裂")
        XCTAssertEqual(walk.events.first?.data["keyword"], "水管爆裂")
        XCTAssertEqual(walk.events.first?.data["priority"], "emergency")
    }

    func testINT4_ordinaryOrderIsNormalPriority() throws {
        let walk = try OrderWalk(WO.draft(.repair, "电梯按钮坏了"))
        XCTAssertEqual(walk.order.priority, .normal)
        XCTAssertEqual(walk.order.category, .elevator)
        XCTAssertNil(walk.order.emergencyKeyword)
    }

    func testINT4_communityKeywordMakesAnOpenedOrderAnEmergency() throws {
        let machine = OrderMachine(contract: ServiceContract(emergencyKeywords: [Classifier.Keyword("化粪池满溢", .water)]))
        let walk = try OrderWalk(WO.draft(.repair, "地下化粪池满溢"), machine: machine)
        XCTAssertEqual(walk.order.priority, .emergency)
        XCTAssertEqual(walk.order.emergencyKeyword, "化粪池满溢")
        XCTAssertEqual(walk.clock(.arrival)?.targetSeconds, 15 * 60)
    }

    func testINT4_priorityAndCategoryGivenByHandWin() throws {
        // Burst pipe text, but the front desk judged it normal (e.g. an old report, already isolated).
        let downgraded = try OrderWalk(WO.draft(.repair, "厨房水管爆裂,已关阀门", category: .publicFacility, priority: .normal))
        XCTAssertEqual(downgraded.order.priority, .normal)
        XCTAssertEqual(downgraded.order.category, .publicFacility)
        XCTAssertEqual(downgraded.clock(.arrival)?.targetSeconds, 2 * 3600)

        // Ordinary text, set to emergency by hand: the 15-minute, around-the-clock target applies.
        let raised = try OrderWalk(WO.draft(.repair, "阳台有异响", priority: .emergency))
        XCTAssertEqual(raised.order.priority, .emergency)
        XCTAssertNil(raised.order.emergencyKeyword)
        XCTAssertEqual(raised.clock(.arrival)?.dueAt, WO.plus(15))
        XCTAssertEqual(raised.clock(.arrival)?.serviceHoursOnly, false)
    }

    func testINT4_priorityOrderRunsFromLowToEmergency() {
        XCTAssertLessThan(Priority.low, .normal)
        XCTAssertLessThan(Priority.normal, .urgent)
        XCTAssertLessThan(Priority.urgent, .emergency)
        XCTAssertEqual(Priority.allCases.max(), .emergency)
    }
}
