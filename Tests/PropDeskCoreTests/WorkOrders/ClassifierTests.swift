import XCTest
@testable import PropDeskCore

/// INT-4, INT-21: every request gets a category and a priority; emergencies (S0 2.3) are found by a
/// keyword dictionary in Chinese and English that a community can extend, and can be set by hand.
/// English is matched by word stems within a short window, not only as literal phrases; a mention
/// that is resolved, negated, planned or part of a harmless compound stays normal.
final class ClassifierTests: XCTestCase {
    private let classifier = Classifier()

    /// Checks each phrase on its own, so that a failure names the phrase and what it was read as.
    private func assertPriority(_ expected: Priority, _ texts: [String], atLeast: Bool = false,
                                file: StaticString = #filePath, line: UInt = #line) {
        for text in texts {
            let r = classifier.classify(text)
            let ok = atLeast ? r.priority >= expected : r.priority == expected
            XCTAssertTrue(ok, "\"\(text)\" should be \(atLeast ? "at least " : "")\(expected.rawValue), was \(r.priority.rawValue) "
                              + "(category \(r.category.rawValue), matched \(r.matched ?? "nothing"))", file: file, line: line)
        }
    }

    private func assertEmergencies(_ cases: [(String, PropDeskCore.Category)], file: StaticString = #filePath, line: UInt = #line) {
        for (text, category) in cases {
            let r = classifier.classify(text)
            XCTAssertEqual(r.priority, .emergency, "\"\(text)\" should be an emergency, was \(r.priority.rawValue) "
                           + "(category \(r.category.rawValue), matched \(r.matched ?? "nothing"))", file: file, line: line)
            XCTAssertEqual(r.category, category, "\"\(text)\": category", file: file, line: line)
            XCTAssertNotNil(r.matched, "\"\(text)\": the front desk is shown which entry decided it", file: file, line: line)
        }
    }

    // MARK: The dictionary and its literal entries

    func testINT4_burstPipeIsAWaterEmergency() {
        XCTAssertEqual(classifier.classify("厨房水管爆裂"),
                       Classifier.Result(category: .water, priority: .emergency, matched: "水管爆裂"))
    }

    func testINT4_burstPipeInEnglishIsAWaterEmergency() {
        XCTAssertEqual(classifier.classify("There is a burst pipe under the kitchen sink"),
                       Classifier.Result(category: .water, priority: .emergency, matched: "burst pipe"))
    }

    func testINT4_matchingIgnoresCaseFullWidthFormsAndSpacing() {
        for text in ["BURST PIPE in 1201", "ＢＵＲＳＴ　ＰＩＰＥ", "Burst   pipe!", "burst\tpipe", "burstpipe"] {
            let result = classifier.classify(text)
            XCTAssertTrue(result.emergency, text)
            XCTAssertEqual(result.category, .water, text)
            XCTAssertEqual(result.matched, "burst pipe", text)
        }
        for text in ["水 管 爆 裂", "厨房　水管　爆裂了", "\n水管爆裂\n"] {
            XCTAssertEqual(classifier.classify(text), Classifier.Result(category: .water, priority: .emergency, matched: "水管爆裂"), text)
        }
    }

    func testINT4_theOtherS0EmergenciesAreDetected() {
        assertEmergencies([
            ("卫生间关键部位漏水", .water),   // leak at a key spot
            ("一楼室内返水", .water),          // backflow
            ("整栋楼停电了", .electricity),    // power outage
            ("Power outage in building 3", .electricity),
            ("Sewage BACKFLOW in the basement", .water),
            ("有人困在电梯里", .elevator),
            ("厨房有煤气味", .gas),
        ])
    }

    func testINT4_standardListNamesS0AndLifeSafetyEntriesInBothLanguages() {
        let labels = Set(Classifier.standardEmergencies.map(\.text))
        for label in ["水管爆裂", "关键部位漏水", "室内返水", "停电", "电梯困人", "燃气泄漏", "着火", "冒烟",
                      "burst pipe", "leak at a key spot", "backflow", "power outage", "trapped in lift", "gas leak", "fire", "smoke"] {
            XCTAssertTrue(labels.contains(label), "standard emergencies lack \(label)")
        }
        XCTAssertEqual(labels.count, Classifier.standardEmergencies.count, "one entry per label")
        XCTAssertEqual(Classifier().emergencies.count, Classifier.standardEmergencies.count)
    }

    func testINT4_resultKeepsEmergencyFlagAndAddsPriority() {
        let old = Classifier.Result(category: .water, emergency: true, matched: "水管爆裂")
        XCTAssertEqual(old.priority, .emergency)
        XCTAssertTrue(old.emergency)
        XCTAssertEqual(Classifier.Result(category: .other, emergency: false, matched: nil).priority, .normal)
        XCTAssertFalse(Classifier.Result(category: .water, priority: .urgent, matched: "漏水到楼下").emergency)
    }

    func testINT4_ordinaryTextGetsACategoryButIsNotAnEmergency() {
        XCTAssertEqual(classifier.classify("电梯按钮坏了"), Classifier.Result(category: .elevator, priority: .normal, matched: nil))
        // The longer hint wins: 门禁 (access control) is security, not 门 (door).
        XCTAssertEqual(classifier.classify("门禁卡刷不开").category, .security)
        XCTAssertEqual(classifier.classify("The bathroom tap is dripping").category, .water)
        XCTAssertEqual(classifier.classify("The bathroom tap is dripping").priority, .normal)
        XCTAssertEqual(classifier.classify("the gas bill is wrong").category, .fees)
    }

    func testINT4_textWithNoKnownWordIsOther() {
        XCTAssertEqual(classifier.classify("请问快递放哪里"), Classifier.Result(category: .other, priority: .normal, matched: nil))
        XCTAssertEqual(classifier.classify(""), Classifier.Result(category: .other, priority: .normal, matched: nil))
    }

    // MARK: INT-21: real phrasings, both languages

    func testINT4_thirtyEnglishEmergencyPhrasingsAreEmergencies() {
        let cases: [(String, PropDeskCore.Category)] = [
            ("someone is stuck in the elevator", .elevator),
            ("the kitchen water pipe has burst", .water),
            ("the power is out in our flat", .electricity),
            ("I can smell gas", .gas),
            ("sewage is backing up through the floor drain", .water),
            ("My mum is trapped in the lift between the 5th and 6th floor", .elevator),
            ("Lift stuck with two kids inside, please hurry", .elevator),
            ("There's a burst pipe under the kitchen sink", .water),
            ("Pipes bursting in the basement car park", .water),
            ("Water is pouring through the ceiling from the flat above", .water),
            ("The bathroom is flooded, water everywhere", .water),
            ("Our whole building has no electricity", .electricity),
            ("Power cut in block 3 since 8pm", .electricity),
            ("We have no power at all", .electricity),
            ("Strong smell of gas in the stairwell on floor 12", .gas),
            ("Gas leaking from the meter outside 1203", .gas),
            ("There's smoke coming out of the electrical cupboard", .security),
            ("Fire in the bin room!", .security),
            ("The socket is sparking and smells of burning", .electricity),
            ("My son got an electric shock from the bathroom light switch", .electricity),
            ("Water is leaking into the fuse box", .water),
            ("Dirty water is coming up through the shower drain", .water),
            ("The toilet is backing up with sewage", .water),
            ("Blackout in the entire tower", .electricity),
            ("The lift dropped two floors and stopped", .elevator),
            ("Washing machine hose burst in the laundry", .water),
            ("Flooding in the underground garage", .water),
            ("The electricity has gone off in the whole flat", .electricity),
            ("I think there is a gas leak in the kitchen", .gas),
            ("Somebody's trapped in elevator B", .elevator),
            ("Kitchen on fire in 1502", .security),
            ("Smoke in the corridor on the 8th floor", .security),
            ("The water heater burst and is spraying water", .water),
            ("Carbon monoxide alarm going off and my head hurts", .gas),
            ("Sewer is overflowing into the courtyard", .water),
            ("Our power went out and the neighbours' too", .electricity),
            ("The pipe under the basin split and water is gushing out", .water),
            ("Water has got into the socket behind the fridge", .water),
            ("Stuck between floors, the alarm button does nothing", .elevator),
            ("Lost power about an hour ago", .electricity),
            ("Floor drain is overflowing with black water", .water),
            ("The cleaner was electrocuted by a cable in the basement", .electricity),
            ("The radiator pipe has burst", .water),
            ("THE POWER IS OUT!!!", .electricity),
            ("Ｔｈｅ ｐｏｗｅｒ ｉｓ ｏｕｔ", .electricity),
            ("There’s water pouring out of the light fitting", .water),
            ("smoke alarm going off and there is smoke everywhere", .security),
            ("The lift was fixed last week, but someone is stuck in the lift again", .elevator),
            ("someone is stuck in the lift again, it was only fixed last week", .elevator),
            ("The burst pipe still hasn't been fixed", .water),
            ("Electricity failure in building 7, lifts not working", .electricity),
            ("Water coming up through the floor drain", .water),
            ("The basement is under water", .water),
            ("The socket in the kitchen is smoking", .electricity),
            ("No electric in the whole house", .electricity),
            ("Fire alarm is ringing and I can see smoke", .security),
            ("Sewage coming into the flat through the toilet", .water),
            ("HELP!!! my daughter is stuck in lift 2", .elevator),
            ("there's water coming out of the electricity meter cupboard", .water),
            ("sewage all over the bathroom floor", .water),
            ("power's gone in the whole block", .electricity),
            ("our flat has been flooded by the neighbour upstairs", .water),
            ("the breaker box is on fire", .security),
            ("There's a flood in my bathroom", .water),
            ("We are stuck in the lift!", .elevator),
            ("Help, elevator stuck, 3 people inside", .elevator),
            ("smell gas in the hallway", .gas),
            ("Electrical fire in the meter room", .security),
            ("Pipe burst!!", .water),
        ]
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        assertEmergencies(cases)
    }

    func testINT4_thirtyChinesePhrasingsAreEmergencies() {
        let cases: [(String, PropDeskCore.Category)] = [
            ("厨房水管爆了", .water),
            ("卫生间水管破裂,水一直往外喷", .water),
            ("电梯里有人被困", .elevator),
            ("家里没电了", .electricity),
            ("闻到煤气味", .gas),
            ("厨房着火了", .security),
            ("配电箱冒烟", .electricity),
            ("下水道返水,屋里全是污水", .water),
            ("地漏冒污水", .water),
            ("3号楼2单元电梯困人,请快来", .elevator),
            ("有人困在电梯里出不来", .elevator),
            ("电梯卡在8楼和9楼之间,里面有人", .elevator),
            ("整栋楼停电了", .electricity),
            ("全小区断电", .electricity),
            ("楼道里一股燃气味", .gas),
            ("天然气泄漏了,很浓的味道", .gas),
            ("厨房燃气管漏气", .gas),
            ("热水器软管爆了,水喷得到处都是", .water),
            ("暖气片爆裂,屋里水漫金山", .water),
            ("水表接头断了,水哗哗地流", .water),
            ("卫生间漏水漏到配电箱里了", .water),
            ("电表箱进水了", .water),
            ("吸顶灯在滴水", .water),
            ("电梯井进水了", .water),
            ("马桶往上冒水,全是粪水", .water),
            ("一楼室内返水,地上都是污水", .water),
            ("下水道污水倒灌进屋", .water),
            ("插座冒火花", .electricity),
            ("孩子摸插座被电到了", .electricity),
            ("楼道冒黑烟", .security),
            ("五楼起火了,快来人", .security),
            ("家里跳闸后一点电都没有", .electricity),
            ("小区东门那栋楼失火", .security),
            ("地下车库被淹了", .water),
            ("水龙头断了,水止不住", .water),
            ("电线烧焦了,有焦糊味", .electricity),
            ("电梯突然下坠,人被困在里面", .elevator),
            ("我们这个单元没有电了", .electricity),
            ("卫生间水管爆裂,水流到楼下", .water),
            ("楼上漏水严重,我家天花板往下淌水", .water),
            ("厨房管道爆开了", .water),
            ("电梯困人!!!", .elevator),
            ("燃气灶那边有嘶嘶声,闻到臭味", .gas),
            ("停电了,几点恢复?", .electricity),
            ("地漏往上冒脏水", .water),
            ("电梯上周修好了,今天又困人了", .elevator),
            ("水管 爆 了", .water),
            ("ＸＸ小区停电了", .electricity),
            ("电梯停了,我妈在里面", .elevator),
            ("电梯门打不开了,里面有人", .elevator),
            ("插座冒火星", .electricity),
            ("家里电闸跳了推不上去", .electricity),
            ("液化气罐漏气", .gas),
            ("小孩被关在电梯里了", .elevator),
            ("楼道里着火了,有浓烟", .security),
            ("家里燃气泄漏,怎么办", .gas),
            ("电梯坏了,里面困着人", .elevator),
            ("厨房的煤气管道被老鼠咬破了,有味道", .gas),
            ("厨房下水道往上返污水", .water),
            ("楼下车库进水了,水很深", .water),
            ("有人被困在电梯里了,已经半小时了", .elevator),
            ("家里停电了,电表箱冒烟", .electricity),
            ("楼道起火冒烟", .security),
        ]
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        assertEmergencies(cases)
    }

    func testINT4_resolvedOrUnrelatedMentionsStayNormal() {
        // Resolved, negated, planned, asked about, or a harmless compound (extinguisher, drill,
        // detector, bill, socket, cigarette, U-bend 返水弯, a hob that won't light 打不着火).
        let english = [
            "thanks, the lift that was stuck yesterday works again",
            "the gas bill is wrong",
            "no longer smells of gas, all fixed",
            "fire extinguisher expired in the corridor",
            "When is the fire drill this month?",
            "Someone keeps smoking in the stairwell",
            "The smoke detector in my hallway keeps beeping",
            "The burst pipe was repaired yesterday, thank you",
            "Is there a planned power cut tomorrow?",
            "The power was out for an hour but it's back on now",
            "Notice about the scheduled power outage on Saturday",
            "The lift button is stuck",
            "Can you replace the flood light in the car park?",
            "The fire exit door is blocked by bikes",
            "Our electricity bill is much higher than last month",
            "There is no gas leak, the smell was from the bins",
            "Second-hand smoke from the neighbour's balcony",
            "Fire alarm test on Friday at 10am",
            "The lift got stuck last week but it's been fixed",
            "The power socket in the bedroom is loose",
            "The dripping tap in the kitchen needs a new washer",
            "Thanks for sorting out the power cut so quickly",
            "Thank you for fixing the burst pipe yesterday",
            "The hallway smells of smoke from someone's cigarette",
            "Could you find out why the power keeps tripping?",
            "Neighbours setting off fireworks every night",
            "The restaurant exhaust smoke comes into my window",
            "No hot water since this morning",
        ]
        let chinese = [
            "昨天电梯困人的事谢谢,已经好了",
            "电梯已经修好了",
            "请问明天停电几点恢复",
            "咨询一下停电通知",
            "燃气费账单不对",
            "灭火器过期了",
            "下周三消防演练",
            "楼道有人抽烟",
            "燃气灶打不着火",
            "卫生间返水弯漏水了",
            "手机没电了,请回电",
            "已经没有煤气味了",
            "水管爆裂已经修好了,谢谢",
            "楼道烟雾报警器一直响",
            "地漏防返水芯坏了",
            "电梯按钮卡住了",
            "火灾隐患:楼道堆放杂物",
            "停水通知什么时候发?",
            "上次停电的事情已经解决了",
            "没有闻到煤气味,是邻居在做饭",
            "电梯卡丢了,怎么补办",
            "谢谢你们及时处理了停电问题",
            "停电的问题已经处理了,谢谢",
            "感谢师傅修好了爆裂的水管",
            "客厅插座没电",
            "电梯困人应急演练通知",
            "火警电话是多少",
            "能不能晚上停电梯",
        ]
        XCTAssertGreaterThanOrEqual(english.count, 10)
        XCTAssertGreaterThanOrEqual(chinese.count, 10)
        assertPriority(.normal, english)
        assertPriority(.normal, chinese)
    }

    func testINT4_everydayRequestsAreNeitherEmergencyNorUrgent() {
        assertPriority(.normal, [
            "The corridor light is out",
            "The kitchen tap is dripping",
            "The toilet is blocked",
            "My access card doesn't work",
            "The lift is out of order",
            "Noise from upstairs renovation",
            "Can someone collect the bulky rubbish",
            "How do I pay the management fee?",
            "Someone parked in my space",
            "The window won't close",
            "The heating is not working",
            "There's a crack in the bathroom tile",
            "The shower drain is slow",
            "Smell from the drain in the bathroom",
            "My power bill is too high",
            "The water pressure is low",
            "There's a leak under the kitchen sink",
            "Gas meter reading request",
            "The lift is making a strange noise",
            "The fire door on floor 3 doesn't close",
            "We'd like to book the function room for a birthday party",
            "Is gas included in the rent?",
            "The outlet in the bedroom doesn't work",
            "The bathroom fan is broken",
            "Smoke-free building policy question",
            "Please turn off the water tomorrow for my renovation",
            "The lift doors close too fast",
            "The drain in the car park is blocked with leaves",
            "My neighbour's drill is too loud",
            "Can you check out the power points in the lobby?",
            "The lift was out of service all morning",
            "The tap is broken",
            "Please remove the graffiti near the fire hydrant",
            "Water bill seems too high this month",
            "The lights in the lobby are too dim",
            "The garage door is stuck",
            "There is no lighting in the stairwell",
            "The smoke alarm battery needs replacing",
        ])
        assertPriority(.normal, [
            "楼道灯不亮了",
            "卫生间水龙头滴水",
            "厨房下水道堵了",
            "马桶堵了",
            "门禁卡刷不开",
            "电梯按钮坏了",
            "电梯经常停运,什么时候修",
            "楼上装修噪音太大",
            "小区垃圾没人清理",
            "物业费怎么交",
            "车位被占了",
            "阳台窗户关不上",
            "燃气表换电池",
            "暖气不热",
            "热水器不出热水",
            "墙面渗水发霉",
            "灯一闪一闪的",
            "楼道有烟头",
            "厨房有油烟味",
            "建议在小区增加灭火器",
            "消防通道被堵",
            "天然气公司什么时候来检查",
            "电梯里很闷,空调坏了",
            "电梯里有人抽烟",
            "电梯卡在哪里办理",
            "水管有点渗水",
            "水压太低了",
            "水费账单有问题",
            "对电梯收费很困惑",
            "防盗门锁坏了",
            "请帮忙疏通下水道",
            "楼下邻居养狗太吵",
            "快递柜坏了",
            "绿化带的树枝断了",
            "想咨询一下装修手续",
            "水管保温层破了",
            "网线接头掉了",
            "小区喷水池管道坏了",
            "阀门有点漏水",
            "下雨天车库门口有积水",
        ])
    }

    func testINT4_leakIntoTheFlatBelowIsAtLeastUrgent() {
        let r = classifier.classify("卫生间漏水,楼下天花板在滴水")
        XCTAssertEqual(r, Classifier.Result(category: .water, priority: .urgent, matched: "漏水到楼下"))
        XCTAssertFalse(r.emergency)
        assertPriority(.urgent, [
            "卫生间漏水,楼下天花板在滴水",
            "楼上漏水渗到我家天花板",
            "家里没水了",
            "停水了,什么时候来水",
            "马桶堵了溢出来了",
            "厨房水龙头一直漏水",
            "Water is leaking into the flat below",
            "The ceiling is dripping",
            "The toilet is blocked and overflowing",
            "There is no water at all in the flat",
            "The pipe under the sink is leaking badly",
            "Water coming through my ceiling from upstairs",
            "水从楼上一直往下流",
            "顶楼漏雨,天花板湿了",
            "楼下说我家漏水到他家了",
            "暖气管漏水,水流了一地",
            "楼上往下漏水,我家吊顶都塌了",
        ], atLeast: true)
        // Urgent sits below emergency: a burst pipe flooding the flat below is still an emergency.
        XCTAssertEqual(classifier.classify("卫生间水管爆裂,水流到楼下").priority, .emergency)
    }

    // MARK: What cancels a match, and what does not

    func testINT4_aPlannedOutageIsAnInquiryButACurrentOneIsAnEmergency() {
        assertPriority(.normal, ["请问明天停电几点恢复", "咨询一下停电通知", "下周二计划停水吗", "Is there a planned power cut tomorrow?",
                                 "Notice about the scheduled power outage on Saturday"])
        assertPriority(.emergency, ["停电了,几点恢复?", "整栋楼停电了,什么时候来电", "The power is out, when will it be back?"])
    }

    func testINT4_itCameBackAfterARepairIsStillAnEmergency() {
        assertPriority(.emergency, [
            "电梯上周修好了,今天又困人了",
            "水管爆了,还没修好",
            "The burst pipe still hasn't been fixed",
            "The pipe they fixed has burst",  // the repair is inside the match: not a resolution
            "someone is stuck in the lift again, it was only fixed last week",
            "Is the gas leak fixed? I can still smell gas",
            "Burst pipe in 1201! The lift was repaired yesterday, thanks.",  // the repair is about something else
            "水管爆了,电梯已经修好了",
            "电梯修好了,水管爆了",
        ])
    }

    func testINT4_negationCancelsOnlyWhatItNegates() {
        assertPriority(.normal, ["没有漏水,也没有停电", "已经没有煤气味了", "There is no gas leak", "The lift is not stuck anymore"])
        // 不停 is "non-stop", and "can't" is not "no".
        assertPriority(.emergency, ["不停地冒烟", "I can't get out, I'm trapped in the lift", "没想到水管爆了"])
    }

    func testINT4_englishIsMatchedByStems() {
        XCTAssertEqual(Classifier.stem("bursting"), Classifier.stem("burst"))
        XCTAssertEqual(Classifier.stem("pipes"), Classifier.stem("pipe"))
        XCTAssertEqual(Classifier.stem("piping"), Classifier.stem("pipe"))
        XCTAssertEqual(Classifier.stem("flooded"), Classifier.stem("flood"))
        XCTAssertEqual(Classifier.stem("flooding"), Classifier.stem("flood"))
        XCTAssertEqual(Classifier.stem("trapped"), Classifier.stem("trap"))
        XCTAssertEqual(Classifier.stem("smelling"), Classifier.stem("smell"))
        XCTAssertEqual(Classifier.stem("gases"), "gas")
        XCTAssertEqual(Classifier.stem("gas"), "gas")
        XCTAssertEqual(Classifier.stem("broken"), Classifier.stem("break"))
        XCTAssertNotEqual(Classifier.stem("smoking"), Classifier.stem("smoke"), "smoking is a cigarette")
        // Either order, a few words apart.
        for text in ["burst pipe", "pipe burst", "the pipe in the kitchen has burst", "pipes bursting"] {
            XCTAssertEqual(classifier.classify(text).matched, "burst pipe", text)
        }
        // Too far apart is not a concept.
        XCTAssertEqual(classifier.classify("The pipe insulation in the garage looks old and last winter a tyre burst").priority, .normal)
    }

    func testINT4_everyPrefixOfATypedTextIsClassified() {
        // The front desk classifies on every keystroke.
        let text = "您好,3栋1201,厨房水管爆了,水一直往外喷,已经流到楼下了!Also the power is out."
        var prefix = ""
        var priorities: [Priority] = []
        for ch in text {
            prefix.append(ch)
            priorities.append(classifier.classify(prefix).priority)
        }
        XCTAssertEqual(priorities.first, .normal)
        XCTAssertEqual(priorities.last, .emergency)
    }

    // MARK: A community's own words

    func testINT4_communityExtraKeywordMakesANewWordAnEmergency() {
        let text = "地下化粪池满溢"
        XCTAssertFalse(classifier.classify(text).emergency)
        let extended = Classifier(extra: [Classifier.Keyword("化粪池满溢", .water)])
        XCTAssertEqual(extended.classify(text), Classifier.Result(category: .water, priority: .emergency, matched: "化粪池满溢"))
        // The standard list still applies.
        XCTAssertTrue(extended.classify("厨房水管爆裂").emergency)
        // The contract carries the words to the classifier it hands out.
        let contract = ServiceContract(emergencyKeywords: [Classifier.Keyword("化粪池满溢", .water)])
        XCTAssertTrue(contract.classifier.classify(text).emergency)
    }

    func testINT4_communityEnglishPhraseMatchesAsWrittenAndByStems() {
        let text = "the septic tanks are overflowing again"
        XCTAssertFalse(classifier.classify(text).emergency)
        let extended = Classifier(extra: [Classifier.Keyword("Septic tank overflow", .water)])
        for t in [text, "SEPTIC TANK OVERFLOW", "ｓｅｐｔｉｃ　ｔａｎｋ　ｏｖｅｒｆｌｏｗ", "overflow at the septic tank"] {
            XCTAssertEqual(extended.classify(t), Classifier.Result(category: .water, priority: .emergency, matched: "Septic tank overflow"), t)
        }
        // A blank word never makes everything an emergency.
        XCTAssertFalse(Classifier(extra: [Classifier.Keyword(" ", .water)]).classify("请问快递放哪里").emergency)
    }

    // MARK: Orders

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
