import Foundation

/// Reads a request's text and proposes a category and a priority (INT-4, INT-21).
///
/// The dictionary starts with S0 2.3 — burst pipe 水管爆裂, leak at a key spot 关键部位漏水,
/// backflow 室内返水, power outage 停电 — plus the dangers every center treats the same way
/// (people trapped, gas, fire, smoke, electric shock); a community adds its own words in its
/// service contract. Below emergencies sit urgent concepts (a leak into the flat below, a
/// dripping ceiling, a large leak, no water at all, an overflowing toilet).
///
/// How a text is read:
/// - It is normalised once: full-width forms folded, lower case, white space dropped (so
///   "水 管 爆 裂" and "ＢＵＲＳＴ　ＰＩＰＥ" read as written without gaps), while runs of ASCII
///   letters and digits are kept as English words and reduced to stems by a small, explicit
///   stemmer ("bursting" → burst, "pipes" → pip, "flooded" → flood, "trapped" → trap).
/// - A concept is a few groups of words; it is present when one word of every group occurs
///   within a short window, in any order: {pipe, hose…} × {burst, bust} matches "burst pipe",
///   "the pipe has burst" and "pipes bursting". English words are compared by stem and the
///   window counts words; Chinese words are literal and the window counts characters.
/// - A match does not count when the text says it is over or not happening (negation,
///   resolution, a planned outage, a non-emergency compound); see `Cues` below.
///
/// Everything is prepared once (stems, literals indexed by first character), so `classify`
/// makes one pass over the text and a few small arrays: it runs on every keystroke at the
/// front desk and on every order registered.
public struct Classifier: Sendable {
    public struct Keyword: Sendable, Codable, Hashable {
        public let text: String
        public let category: Category
        public init(_ text: String, _ category: Category) {
            self.text = text
            self.category = category
        }
    }

    public struct Result: Sendable, Equatable {
        public let category: Category
        /// `.emergency`, `.urgent` or `.normal`.
        public let priority: Priority
        /// The dictionary entry that decided it (emergency or urgent), to show the front desk why.
        public let matched: String?

        public var emergency: Bool { priority == .emergency }

        public init(category: Category, priority: Priority, matched: String?) {
            self.category = category
            self.priority = priority
            self.matched = matched
        }

        /// An emergency, or else a normal request.
        public init(category: Category, emergency: Bool, matched: String?) {
            self.init(category: category, priority: emergency ? .emergency : .normal, matched: matched)
        }
    }

    /// One entry of the dictionary. `label` is what the front desk is shown. Every group needs
    /// one of its words, all within `window` (words for English, characters for Chinese; 0 for a
    /// single group), in any order unless `ordered`. A `plannable` concept (an outage) is not an emergency when the text speaks
    /// of a planned one ("明天停电", "power cut tomorrow"): that is an inquiry, answered from the
    /// incident's script (INT-16).
    struct Concept: Sendable {
        let label: String
        let category: Category
        let priority: Priority
        let window: Int
        let plannable: Bool
        var ordered = false
        let groups: [[String]]
    }

    private static func emergency(_ label: String, _ category: Category, within window: Int = 0, plannable: Bool = false,
                                  ordered: Bool = false, _ groups: [String]...) -> Concept {
        Concept(label: label, category: category, priority: .emergency, window: window, plannable: plannable, ordered: ordered, groups: groups)
    }

    private static func urgent(_ label: String, _ category: Category, within window: Int = 0, plannable: Bool = false,
                               _ groups: [String]...) -> Concept {
        Concept(label: label, category: category, priority: .urgent, window: window, plannable: plannable, groups: groups)
    }

    // MARK: The standard dictionary

    /// In order of precedence when several match: people first, then fire and electricity, then
    /// water, then outages. English words are written plainly; they are stemmed when prepared.
    static let standardConcepts: [Concept] = [
        // People trapped in a lift
        emergency("电梯困人", .elevator, within: 10, ["电梯", "梯内", "轿厢", "轿箱"],
                  ["困人", "被困", "困在", "困住", "困着", "困了", "被关", "关在", "关人", "关住", "出不来", "夹人", "夹伤", "坠落", "下坠", "急坠", "坠梯", "溜梯", "冲顶", "蹲底", "掉下去", "掉下来"]),
        emergency("电梯困人", .elevator, within: 12, ["电梯"],
                  ["卡住", "卡在", "停在", "停住", "不动", "停了", "停运", "故障", "坏了", "坏在", "打不开", "开不了"],
                  ["里面有人", "里边有人", "有人在里面", "在里面", "在里边", "有人被", "卡着人", "之间", "中间", "半空", "两层"]),
        emergency("电梯困人", .elevator, ["困人", "困梯"]),
        emergency("trapped in lift", .elevator, within: 5, ["stuck", "trapped", "caught"], ["lift", "elevator"]),
        emergency("trapped in lift", .elevator, within: 4, ["locked"], ["in", "inside"], ["lift", "elevator"]),
        emergency("trapped in lift", .elevator, within: 4, ["stuck", "trapped", "stopped", "stalled", "halted"], ["between"], ["floor"]),
        emergency("lift fell", .elevator, within: 3, ["lift", "elevator"], ["fell", "fall", "dropped", "plunged", "plummeted", "freefall"]),
        emergency("有人被困", .doorWindow, ["被困", "困住"]),
        // Gas
        emergency("燃气泄漏", .gas, within: 14, ["燃气", "煤气", "天然气", "液化气", "瓦斯"],
                  ["泄漏", "泄露", "漏", "味", "闻到", "嘶嘶", "爆炸", "爆燃", "呛"]),
        emergency("gas leak", .gas, within: 5, ["gas"],
                  ["smell", "leak", "hiss", "stink", "whiff", "explode", "explosion", "odour", "odor", "fume"]),
        emergency("gas leak", .gas, within: 1, ["carbon"], ["monoxide"]),
        // Electricity: sparks and shocks (before fire and smoke, so a smoking socket is electrical)
        emergency("电线打火", .electricity, within: 6, ["插座", "电线", "开关", "电箱", "配电箱", "电表", "线路", "插头", "电闸", "电表箱", "电器"],
                  ["火花", "火星", "打火", "冒火", "烧焦", "烧了", "烧坏", "冒烟", "起火", "着火"]),
        emergency("电线打火", .electricity, ["冒火花", "电火花", "冒火星"]),
        emergency("sparking", .electricity, within: 4, ["spark"],
                  ["socket", "outlet", "plug", "switch", "wire", "wiring", "cable", "panel", "box", "meter", "fuse", "light", "breaker"]),
        emergency("sparking", .electricity, within: 5, ["smoking"],
                  ["socket", "outlet", "plug", "wire", "wiring", "cable", "box", "meter", "panel", "fuse", "switch", "appliance", "heater", "light"]),
        emergency("触电", .electricity, ["触电", "电到人", "被电到", "被电了", "被电击", "电击", "电伤", "漏电伤人"]),
        emergency("electric shock", .electricity, within: 4,
                  ["electric", "electricity", "electrical", "socket", "outlet", "plug", "switch", "wire", "appliance", "current", "live"],
                  ["shock", "electrocute"]),
        emergency("electric shock", .electricity, ["electrocuted"]),
        // Fire and smoke
        emergency("着火", .security, ["着火", "火灾", "起火", "失火", "火警", "烧起来", "燃起来", "冒火", "火光", "烧着了"]),
        emergency("fire", .security, ["fire", "blaze", "ablaze", "inferno"]),
        emergency("fire", .security, within: 3, ["flame"], ["coming", "spread", "everywhere", "see", "shoot", "huge", "big"]),
        emergency("burning smell", .security, within: 4, ["burn", "burnt", "burning"],
                  ["smell", "smoke", "something", "socket", "wire", "plug", "outlet", "cable", "rubber", "plastic", "insulation", "meter"]),
        emergency("冒烟", .security, ["冒烟", "浓烟", "烟雾", "冒黑烟", "起烟", "烧焦味", "焦糊味", "焦味", "烟很大"]),
        emergency("smoke", .security, ["smoke", "smoky"]),
        // S0 2.3: burst pipe
        emergency("水管爆裂", .water, within: 6,
                  ["水管", "管子", "管道", "软管", "水龙头", "龙头", "阀门", "总阀", "主管", "立管", "暖气管", "暖气片", "水表", "热水器", "进水管", "上水管", "水箱"],
                  ["爆", "破裂", "裂开", "裂了", "破了", "炸了", "炸裂", "崩了", "断了", "脱落", "喷水", "飙水", "呲水", "滋水", "射水"]),
        emergency("水管爆裂", .water, ["爆管", "爆水管"]),
        emergency("burst pipe", .water, within: 5,
                  ["pipe", "hose", "main", "radiator", "tank", "heater", "boiler", "joint", "fitting", "valve"], ["burst", "bust"]),
        emergency("burst pipe", .water, within: 3, ["pipe", "hose"], ["split", "snapped", "exploded"]),
        // Uncontrolled water, flooding, a large leak
        emergency("大量漏水", .water, within: 4, ["水"], ["喷出", "喷涌", "哗哗", "往外喷", "到处喷", "涌出来", "狂喷", "直喷", "喷得"]),
        emergency("大量漏水", .water, ["大量漏水", "漏水严重", "严重漏水", "水漫金山", "水漫进", "水漫到", "漫进", "被淹", "淹了", "水淹", "淹水", "发大水", "到处是水", "进水很深"]),
        emergency("大量漏水", .water, within: 6, ["漏水", "漏"], ["严重", "大量", "止不住", "不止", "关不住", "堵不住"]),
        emergency("大量漏水", .water, within: 6, ["车库", "地下室", "地库", "电梯厅", "大堂"], ["进水", "灌水", "水很深", "淹"]),
        emergency("water gushing", .water, within: 4, ["water"], ["pour", "gush", "spray", "spurt", "stream", "everywhere", "cascade"]),
        emergency("flooding", .water, ["flood", "underwater", "inundated"]),
        emergency("flooding", .water, within: 1, ["under"], ["water"]),
        emergency("major leak", .water, within: 2, ["major", "massive", "serious", "huge", "severe"], ["leak"]),
        // S0 2.3: leak at a key spot (electrics, lift shaft, risers, main valves)
        emergency("关键部位漏水", .water, ["关键部位漏水"]),
        emergency("关键部位漏水", .water, within: 6,
                  ["漏水", "进水", "渗水", "滴水", "淋水", "灌水", "渗漏", "往下滴", "在滴", "漏到", "渗到", "流进", "泡水"],
                  ["配电箱", "配电房", "配电室", "配电间", "电箱", "电表箱", "电表", "电闸", "插座", "电线", "线路", "电梯井", "井道", "电梯",
                   "强电井", "弱电井", "电井", "机房", "总阀", "总管", "主管", "立管", "水泵房", "变压器",
                   "灯里", "灯罩", "灯座", "吊灯", "吸顶灯", "灯具", "顶灯", "浴霸", "开关盒"]),
        emergency("leak at a key spot", .water, within: 5, ["leak", "drip", "seep", "pour", "trickle", "wet", "flood"],
                  ["fuse", "fusebox", "breaker", "switchboard", "distribution", "panel", "socket", "outlet", "wiring", "shaft", "substation",
                   "transformer", "light", "lamp"]),
        emergency("leak at a key spot", .water, within: 6, ["water", "leak", "drip", "seep"], ["electricity", "electric", "electrical"],
                  ["meter", "cupboard", "box", "room", "panel", "cabinet"]),
        emergency("leak at a key spot", .water, within: 5, ["water"], ["in", "into", "inside", "reached"],
                  ["fuse", "fusebox", "breaker", "switchboard", "socket", "outlet", "wiring", "shaft", "panel"]),
        // S0 2.3: backflow
        emergency("室内返水", .water, ["室内返水", "返水", "反水", "倒灌"]),
        emergency("室内返水", .water, within: 8,
                  ["地漏", "下水道", "下水口", "下水管", "排水口", "马桶", "坐便", "洗手池", "洗菜池", "面盆", "淋浴", "浴缸"],
                  ["冒水", "冒污水", "冒脏水", "冒黑水", "冒臭水", "冒粪水", "往上冒", "往外冒", "冒出", "涌出", "涌上来", "冒上来", "翻上来",
                   "返污水", "返脏水", "往上返", "返上来"]),
        emergency("室内返水", .water, within: 6, ["污水", "粪水", "脏水", "黑水", "粪便"], ["溢", "漫", "冒", "涌", "返", "流进", "流到", "进屋", "进家"]),
        emergency("backflow", .water, ["backflow"]),
        emergency("backflow", .water, within: 4, ["sewage", "sewer", "drain", "toilet", "foul", "waste", "dirty"], ["back"], ["up"]),
        emergency("backflow", .water, within: 4, ["sewage", "sewer", "foul"],
                  ["overflow", "bubble", "gush", "pour", "spill", "flood", "everywhere", "rise", "leak", "up", "out", "come", "over", "floor"]),
        emergency("backflow", .water, within: 6, ["drain", "plughole"], ["dirty", "sewage", "foul", "black", "brown", "filthy", "smelly"],
                  ["water", "up", "out", "come"]),
        emergency("backflow", .water, within: 3, ["drain"], ["overflow"]),
        emergency("backflow", .water, within: 6, ["water"], ["up"], ["drain", "plughole", "toilet", "shower", "bath"]),
        emergency("backflow", .water, within: 4, ["dirty", "foul", "black", "filthy", "sewage"], ["water"], ["up"]),
        // S0 2.3: power outage
        emergency("停电", .electricity, plannable: true, ["停电", "断电", "没电", "没有电", "掉电", "电没了", "电断了", "电停了", "一点电都没有"]),
        emergency("停电", .electricity, within: 8, plannable: true, ["跳闸", "电闸跳", "空开跳", "总闸跳", "闸跳了"],
                  ["推不上", "合不上", "送不上", "复位不了", "拉不上"]),
        // "The power is out", not "water coming out of the electricity cupboard".
        emergency("power outage", .electricity, within: 3, plannable: true, ordered: true, ["power", "electricity"],
                  ["out", "outage", "cut", "off", "gone", "down", "fail", "failure", "lost", "dead"]),
        emergency("power outage", .electricity, within: 2, plannable: true, ["lost", "lose"], ["power", "electricity"]),
        emergency("no power", .electricity, within: 1, plannable: true, ["no", "without"], ["power", "electricity", "electric"]),
        emergency("power outage", .electricity, plannable: true, ["blackout"]),
        emergency("power outage", .electricity, within: 4, plannable: true, ["all", "whole", "entire", "every"], ["light"], ["out", "off"]),

        // Urgent: water into the flat below, a dripping ceiling
        urgent("漏水到楼下", .water, within: 10, ["漏", "渗", "滴水", "在滴", "往下滴", "往下流", "往下淌", "淌水", "滴答", "水印", "洇", "湿了"],
               ["楼下", "下层", "邻居", "天花板", "天花", "吊顶", "屋顶", "房顶", "顶棚", "楼上", "顶上", "楼顶", "顶楼"]),
        urgent("leak into the flat below", .water, within: 6, ["leak", "drip", "seep", "trickle", "water"],
               ["downstairs", "below", "ceiling", "upstairs", "neighbour", "neighbor"]),
        // Urgent: a large leak
        urgent("漏水较多", .water, within: 8, ["漏水", "漏"], ["厉害", "很多", "好多", "很大", "挺大", "一直", "不停", "不断", "哗哗", "一地", "满地"]),
        urgent("broken pipe", .water, within: 3, ["pipe", "hose"], ["broke", "broken", "cracked"]),
        urgent("bad leak", .water, within: 3,
               ["bad", "badly", "big", "lot", "heavy", "heavily", "constant", "constantly", "nonstop", "continuous", "continuously"], ["leak"]),
        // Urgent: no water at all
        urgent("停水", .water, plannable: true, ["停水", "没水", "没有水", "断水", "不出水", "一滴水都没有", "一点水都没有", "水停了"]),
        urgent("no water", .water, within: 1, plannable: true, ["no", "without"], ["water"]),
        urgent("no water", .water, within: 2, plannable: true, ["no"], ["running"], ["water"]),
        urgent("no water", .water, within: 2, plannable: true, ["water"], ["off", "cut", "gone"]),
        // Urgent: a blocked toilet or sink overflowing
        urgent("马桶堵塞外溢", .water, within: 8,
               ["马桶", "坐便", "便池", "蹲便", "蹲坑", "水池", "洗手池", "洗菜池", "面盆", "洗手盆", "浴缸", "下水道", "地漏"],
               ["溢出", "溢", "漫出", "漫", "满出来", "淌出来", "流出来"]),
        urgent("toilet overflowing", .water, within: 4, ["toilet", "loo", "sink", "basin", "bath"], ["overflow", "spill"]),
        // Urgent: current leaking from an appliance or socket (tingling, not yet a shock)
        urgent("漏电", .electricity, ["漏电", "麻手"]),
    ]

    /// The emergency entries of the standard dictionary, one per label (both languages): what a
    /// community's own words (its service contract) are added to.
    public static let standardEmergencies: [Keyword] = {
        var seen = Set<String>()
        return standardConcepts.filter { $0.priority == .emergency && seen.insert($0.label).inserted }.map { Keyword($0.label, $0.category) }
    }()

    /// Everyday words → category, for requests that are neither emergencies nor urgent. English
    /// words match by stem; when several match, the longer word wins (电梯 over 电, 门禁 over 门).
    public static let categoryHints: [Keyword] = [
        Keyword("漏水", .water), Keyword("水管", .water), Keyword("水龙头", .water), Keyword("马桶", .water), Keyword("下水", .water),
        Keyword("堵", .water), Keyword("水压", .water), Keyword("热水", .water), Keyword("停水", .water), Keyword("没水", .water),
        Keyword("没有水", .water), Keyword("水表", .water), Keyword("地漏", .water), Keyword("渗水", .water),
        Keyword("电", .electricity), Keyword("灯", .electricity), Keyword("电表", .electricity), Keyword("插座", .electricity), Keyword("跳闸", .electricity),
        Keyword("燃气", .gas), Keyword("煤气", .gas), Keyword("天然气", .gas),
        Keyword("门", .doorWindow), Keyword("窗", .doorWindow), Keyword("锁", .doorWindow),
        Keyword("电梯", .elevator), Keyword("垃圾", .cleaning), Keyword("保洁", .cleaning), Keyword("卫生", .cleaning),
        Keyword("绿化", .greening), Keyword("树", .greening), Keyword("草", .greening),
        Keyword("噪音", .noise), Keyword("吵", .noise), Keyword("装修声", .noise),
        Keyword("物业费", .fees), Keyword("收费", .fees), Keyword("缴费", .fees), Keyword("账单", .fees),
        Keyword("燃气费", .fees), Keyword("煤气费", .fees), Keyword("天然气费", .fees), Keyword("电费", .fees), Keyword("水费", .fees),
        Keyword("车位", .parking), Keyword("停车", .parking), Keyword("门禁", .security), Keyword("保安", .security), Keyword("监控", .security),
        Keyword("消防", .security), Keyword("灭火器", .security), Keyword("抽烟", .security),
        Keyword("leak", .water), Keyword("water", .water), Keyword("pipe", .water), Keyword("tap", .water), Keyword("toilet", .water),
        Keyword("drain", .water), Keyword("clog", .water), Keyword("sink", .water), Keyword("sewage", .water), Keyword("drip", .water),
        Keyword("light", .electricity), Keyword("socket", .electricity), Keyword("electric", .electricity), Keyword("electricity", .electricity),
        Keyword("power", .electricity), Keyword("fuse", .electricity), Keyword("breaker", .electricity),
        Keyword("gas", .gas),
        Keyword("door", .doorWindow), Keyword("window", .doorWindow), Keyword("lock", .doorWindow),
        Keyword("elevator", .elevator), Keyword("lift", .elevator), Keyword("garbage", .cleaning), Keyword("rubbish", .cleaning),
        Keyword("trash", .cleaning), Keyword("tree", .greening), Keyword("grass", .greening), Keyword("noise", .noise), Keyword("noisy", .noise),
        Keyword("fee", .fees), Keyword("bill", .fees), Keyword("parking", .parking), Keyword("guard", .security),
        Keyword("extinguisher", .security), Keyword("smoking", .security),
    ]

    // MARK: Cues: what makes a match not count

    /// Small, explicit word lists. Decisions, so that a reader can check them:
    /// - Negation: a negator right before a matched word ("no smell of gas", "not stuck",
    ///   "没有漏水", "没有闻到煤气味", "是否停电") cancels the match. "can't" is not a negator
    ///   ("I can't get out of the lift").
    /// - Resolution: "fixed", "works again", "back on", "no longer", "修好了", "已恢复" … cancel a
    ///   match they follow (in the same sentence or the next one), or precede in the same clause
    ///   ("Thanks, repaired the burst pipe") — unless the words in between name another category
    ///   ("水管爆了,电梯已经修好了", "Burst pipe in 1201! The lift was repaired."). Not when blocked ("needs to be fixed", "hasn't been fixed", "还没修好", "修不好了"),
    ///   not in a question ("is it fixed?", "修好了吗"), not inside the match ("the pipe they
    ///   fixed has burst"), and never when the clause says it came back ("again", "still", "又",
    ///   "还在": "someone is stuck in the lift again, it was only fixed last week").
    /// - Planned outages: "请问明天停电几点恢复", "停电通知", "power cut tomorrow" are inquiries
    ///   about a planned outage, answered from the incident's script (INT-16) — normal, not an
    ///   emergency. "停电了,几点恢复?" (the power is out now) stays an emergency.
    /// - A time in the past alone ("yesterday", "昨天") does not cancel: "no power since
    ///   yesterday" is still an outage.
    /// - A drill is not the real thing: "电梯困人应急演练" (演练/演习 in the same clause).
    /// - Non-emergency compounds: "fire extinguisher/drill/exit/alarm", "cigarette smoke",
    ///   "smoke detector", "gas bill", "power socket", "flood light", "返水弯" (a U-bend),
    ///   "防返水", "打不着火" (a hob that won't light), "手机没电", "插座没电" (one dead socket
    ///   is a repair, not an outage), "烟雾报警器", "火灾隐患".
    ///   A smoke alarm that goes off, without smoke or fire in the text, is left normal: the
    ///   desk decides (most are low batteries or cooking).
    enum Cues {
        static let negators = ["no", "not", "never", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "hasnt", "havent", "nobody"]
        static let resolved = ["fixed", "repaired", "resolved", "restored", "sorted", "mended", "unblocked", "cleared", "anymore"]
        static let resolvedPhrases = [["works", "again"], ["working", "again"], ["works", "fine"], ["working", "fine"], ["working", "normally"],
                                      ["working", "now"], ["back", "on"], ["back", "to", "normal"], ["no", "longer"], ["any", "more"],
                                      ["no", "more"], ["all", "good"], ["all", "clear"], ["false", "alarm"], ["no", "need"], ["never", "mind"]]
            + ["fixing", "sorting", "repairing", "resolving", "restoring", "dealing"].flatMap { [["thanks", "for", $0], ["thank", "you", "for", $0]] }
        /// Words that, up to two words before a resolution word, show it has not happened.
        static let blockers = ["to", "be", "need", "needs", "please", "must", "should", "want", "wants", "get", "cant", "cannot", "wont", "hadnt"]
        static let recurrence = ["again", "still", "keeps", "another", "repeatedly"]
        static let planned = ["tomorrow", "scheduled", "planned", "notice", "announcement", "announced", "upcoming"]
        static let plannedPhrases = [["next", "week"], ["next", "month"]]
        static let contrast = ["but", "however", "although", "though", "whereas"]

        static let zhNegators = ["没有", "没", "不", "无", "未", "不是", "并非", "是否", "防止", "避免", "以免", "不到"]
        /// "不停地冒烟", "不断漏水": 不 followed by these is not a negation.
        static let zhNotNegating: Set<Character> = ["停", "断", "住", "少", "知", "小", "得", "行"]
        /// Verbs allowed between a negator and the word it negates: "没有闻到煤气味".
        static let zhNegatedVerbs = ["闻到", "看到", "听到", "发现", "再"]
        static let zhResolved = ["已经好了", "修好了", "已修好", "已经修好", "修复了", "已修复", "已经修复", "恢复了", "已恢复", "已经恢复",
                                 "恢复正常", "恢复供电", "恢复供水", "来电了", "已来电", "有电了", "来水了", "有水了", "已解决", "解决了",
                                 "已经解决", "处理好了", "已处理", "处理完了", "处理了", "及时处理", "没事了", "正常了", "好了", "不漏了", "不冒了", "没味了",
                                 "不用来了", "不用了", "已排除", "排除了", "误报"]
        /// A resolution word right after one of these is not one: "还没好了", "修不好了".
        static let zhResolvedBlockedAfter: Set<Character> = ["没", "未", "不"]
        /// …nor right before one of these: "修好了吗", "好了没有".
        static let zhResolvedBlockedBefore: Set<Character> = ["吗", "么", "没", "?"]
        static let zhRecurrence = ["又", "再次", "还在", "仍然", "仍在", "依然", "还是", "反复", "老是", "总是"]
        static let zhPlanned = ["明天", "明日", "后天", "下周", "下星期", "下礼拜", "下个月", "计划", "停电通知", "停水通知", "通知停电", "通知停水",
                                "公告", "预告", "将于"]
        static let zhContrast = ["但", "可是", "不过", "然而", "结果"]
        /// Any dictionary word inside one of these is not read: "打不着火" is not a fire.
        static let zhCompounds = ["打不着火", "点不着火", "不着火", "返水弯", "反水弯", "存水弯", "防返水", "防反水", "防倒灌",
                                  "烟雾报警", "烟雾探测", "烟雾感应", "火灾隐患", "火灾演练", "火灾演习", "火灾保险", "火警演练", "火警测试", "防火灾",
                                  "手机没电", "手机电没", "车没电", "电瓶没电", "电池没电", "遥控器没电", "门锁没电", "智能锁没电", "指纹锁没电",
                                  "没电梯", "没电话", "没电视", "断电器", "断电保护", "燃气费", "煤气费", "天然气费", "燃气账单", "煤气账单",
                                  "漏电保护", "漏保", "防漏电", "漏电开关", "困难", "困扰", "困惑", "没水平",
                                  "插座没电", "插座没有电", "插座不通电", "开关没电", "停电梯", "火警电话", "喷水池", "水管保温", "管道保温"]
        /// A drill is not the real thing: "电梯困人应急演练".
        static let zhDrill = ["演练", "演习"]

        /// An English word is not read when one of `contexts` is within `before`/`after` words.
        struct Compound: Sendable {
            let targets: [String]
            let contexts: [String]
            let before: Int
            let after: Int
        }
        static let compounds: [Compound] = [
            Compound(targets: ["fire"], contexts: ["extinguisher", "drill", "door", "exit", "escape", "alarm", "hydrant", "hose", "safety",
                                                   "inspection", "lane", "equipment", "access", "prevention", "regulation", "certificate",
                                                   "insurance", "blanket", "hazard", "risk", "test", "training", "code"], before: 0, after: 2),
            Compound(targets: ["smoke", "smoky"], contexts: ["cigarette", "cigar", "tobacco", "secondhand", "second", "bbq", "barbecue",
                                                             "incense", "vape", "detector", "alarm", "sensor", "exhaust", "cooking",
                                                             "chimney", "restaurant", "free", "sign", "ban", "policy"], before: 2, after: 4),
            Compound(targets: ["out"], contexts: ["find", "figure", "check", "work", "carry", "fill", "look", "point", "sort"], before: 1, after: 0),
            Compound(targets: ["flood"], contexts: ["light", "lamp", "prevention", "control", "season", "insurance", "barrier", "warning"],
                     before: 0, after: 1),
            Compound(targets: ["gas", "power", "electricity", "water"], contexts: ["bill", "fee", "charge", "tariff", "price", "payment",
                                                                                  "invoice", "account", "recharge", "reading", "balance"],
                     before: 2, after: 1),
            Compound(targets: ["power"], contexts: ["socket", "point", "outlet", "strip", "bank", "button", "cord", "cable", "adapter"],
                     before: 0, after: 1),
            Compound(targets: ["stuck"], contexts: ["button", "key", "card", "window", "drawer"], before: 2, after: 0),
            Compound(targets: ["sewage", "sewer", "drain"], contexts: ["smell", "stink", "odour", "odor"], before: 2, after: 2),
        ]
    }

    // MARK: Instances

    public let emergencies: [Keyword]
    /// The community's own words, prepared (nil when there are none).
    private let extraLexicon: Lexicon?

    /// The standard dictionary plus a community's own words (from its service contract). Its
    /// words are emergencies, matched as written (case, spaces and full-width forms aside); an
    /// English phrase also matches by stems, its words in any order a word or two apart.
    public init(extra: [Keyword] = []) {
        emergencies = extra + Classifier.standardEmergencies
        var lexicon = Lexicon()
        for keyword in extra { lexicon.addExtra(keyword) }
        extraLexicon = lexicon.rules.isEmpty ? nil : lexicon
    }

    public func classify(_ text: String) -> Result {
        let std = Classifier.standard
        var reading = Reading(text)
        let extra = extraLexicon
        reading.annotate(std, extra: extra)
        var best: (rank: Int, result: Result)?
        func consider(_ lexicon: Lexicon, _ rule: Int, order: Int) {
            let info = lexicon.rules[rule]
            let rank = (info.priority == .emergency ? 0 : 1) * 1_000_000 + order * 10_000 + rule
            if best == nil || rank < best!.rank {
                best = (rank, Result(category: info.category, priority: info.priority, matched: info.label))
            }
        }
        if let extra { for r in reading.matchedRules(extra, lexiconIndex: 1) { consider(extra, r, order: 0) } }
        for r in reading.matchedRules(std, lexiconIndex: 0) { consider(std, r, order: 1) }
        if let best { return best.result }
        return Result(category: reading.hintCategory(std), priority: .normal, matched: nil)
    }

    // MARK: Stemming

    /// Irregular forms, to their base word.
    static let irregular: [String: String] = [
        "broke": "break", "broken": "break", "caught": "catch", "fell": "fall", "fallen": "fall", "burnt": "burn", "smelt": "smell",
        "leaky": "leak", "smoky": "smoke", "smokey": "smoke", "blew": "blow", "blown": "blow", "came": "come", "saw": "see",
    ]
    /// Words kept as they are: "smoking" is a cigarette, not smoke; "fired" is not a fire.
    static let unstemmed: Set<String> = ["smoking", "smoker", "smokers", "fired", "fires", "firing", "spread", "need", "speed", "shred"]

    /// A small suffix stripper, applied to dictionary words and text words alike: plural -s/-es/
    /// -ies, then -ing/-ed (undoubling "trapp" → trap, but not "smell"), then a final -e
    /// ("pipe" and "piping" → pip).
    static func stem(_ word: String) -> String {
        var buffer = Array(word.utf8)
        return stem(word, &buffer)
    }

    /// `bytes` holds `word`'s UTF-8 and is used as scratch space.
    static func stem(_ word: String, _ bytes: inout [UInt8]) -> String {
        if unstemmed.contains(word) { return word }
        if let base = irregular[word] { return stem(base) }
        stemBytes(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func stemBytes(_ w: inout [UInt8]) {
        guard w.count > 3, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return }
        // Letters by name, so the rules read like the comment above.
        let d: UInt8 = 0x64, e: UInt8 = 0x65, g: UInt8 = 0x67, h: UInt8 = 0x68, i: UInt8 = 0x69, n: UInt8 = 0x6E, s: UInt8 = 0x73, u: UInt8 = 0x75
        func at(_ k: Int) -> UInt8 { w[w.count - k] }  // at(1) is the last letter
        func isVowel(_ c: UInt8) -> Bool { c == 0x61 || c == e || c == i || c == 0x6F || c == u || c == 0x79 }
        if at(3) == i && at(2) == e && at(1) == s && w.count > 4 {                                  // -ies
            w.removeLast(3); w.append(0x79)
        } else if at(2) == e && at(1) == s && w.count >= 5
                    && (at(3) == s || at(3) == 0x78 || at(3) == 0x7A || (at(3) == h && (at(4) == 0x63 || at(4) == s))) {  // -ses -xes -zes -ches -shes
            w.removeLast(2)
        } else if at(1) == s && w.count >= 4 && at(2) != s && at(2) != u && at(2) != i {            // -s, not -ss -us -is
            w.removeLast()
        }
        var stripped = false
        if w.count >= 6 && at(3) == i && at(2) == n && at(1) == g {                                 // -ing
            w.removeLast(3); stripped = true
        } else if w.count >= 5 && at(2) == e && at(1) == d {                                        // -ed
            w.removeLast(2); stripped = true
        }
        if stripped, w.count >= 3, at(1) == at(2), !isVowel(at(1)), at(1) != 0x6C, at(1) != s, at(1) != 0x7A {  // trapp → trap, not smell
            w.removeLast()
        }
        if w.count > 3 && at(1) == e { w.removeLast() }
    }

    // MARK: Prepared dictionary

    static let standard: Lexicon = {
        var lexicon = Lexicon()
        for concept in standardConcepts { lexicon.addConcept(concept) }
        // Longer words first; among equals, the list's order.
        let ranked = categoryHints.enumerated().sorted { ($1.element.text.count, $0.offset) < ($0.element.text.count, $1.offset) }
        for (rank, hint) in ranked.enumerated() { lexicon.addHint(hint.element, rank: Int32(rank)) }
        lexicon.addCues()
        return lexicon
    }()

    /// Flags of an English word as typed.
    struct WordFlags: OptionSet, Sendable {
        let rawValue: UInt8
        static let negator = WordFlags(rawValue: 1)
        static let blocker = WordFlags(rawValue: 2)
        static let resolved = WordFlags(rawValue: 4)
        static let recurrence = WordFlags(rawValue: 8)
        static let planned = WordFlags(rawValue: 16)
        static let contrast = WordFlags(rawValue: 32)
    }

    enum CueKind: UInt8, Sendable { case resolved, recurrence, planned, contrast, drill }

    struct Lexicon: Sendable {
        struct Rule: Sendable {
            let label: String
            let category: Category
            let priority: Priority
            let window: Int
            let byWords: Bool
            let plannable: Bool
            let ordered: Bool
            let groupBase: Int
            let groupCount: Int
        }
        /// A word's part in a rule; `group` -1: the word alone is the rule (a literal phrase).
        struct Posting: Sendable {
            let rule: Int32
            let group: Int32
        }
        struct Stem: Sendable {
            var postings: [Posting] = []
            var hint: Int32 = .max
            var hintCategory: Category = .other
            var compoundTarget: [Int32] = []
            var compoundContext: [Int32] = []
            var phraseStarts: [Int32] = []
        }
        struct Literal: Sendable {
            let chars: [UInt32]
            /// Must begin and end on English word boundaries.
            let aligned: Bool
            var postings: [Posting] = []
            var hint: Int32 = .max
            var hintCategory: Category = .other
            var cue: CueKind?
            var compound = false
        }
        struct Phrase: Sendable {
            let stems: [Int32]
            let kind: CueKind
        }

        var rules: [Rule] = []
        var groupTotal = 0
        var stemIDs: [String: Int32] = [:]
        var stems: [Stem] = []
        var literals: [Literal] = []
        var literalIDs: [[UInt32]: [Int32]] = [:]
        var byFirst: [UInt32: [Int32]] = [:]
        var words: [String: WordFlags] = [:]
        var phrases: [Phrase] = []
        var zhNegators: [[UInt32]] = []
        var zhNegatedVerbs: [[UInt32]] = []

        static func isASCII(_ s: String) -> Bool { s.unicodeScalars.allSatisfy { $0.isASCII } }

        mutating func stemID(_ word: String) -> Int32 {
            let st = Classifier.stem(word)
            if let id = stemIDs[st] { return id }
            let id = Int32(stems.count)
            stems.append(Stem())
            stemIDs[st] = id
            return id
        }

        mutating func literalID(_ text: String, aligned: Bool) -> Int32? {
            let chars = Reading.normalizedChars(text)
            guard !chars.isEmpty else { return nil }
            if let ids = literalIDs[chars], let id = ids.first(where: { literals[Int($0)].aligned == aligned }) { return id }
            let id = Int32(literals.count)
            literals.append(Literal(chars: chars, aligned: aligned))
            literalIDs[chars, default: []].append(id)
            byFirst[chars[0], default: []].append(id)
            return id
        }

        private mutating func newRule(_ c: Concept, byWords: Bool, groupCount: Int) -> Int32 {
            rules.append(Rule(label: c.label, category: c.category, priority: c.priority, window: c.window, byWords: byWords,
                              plannable: c.plannable, ordered: c.ordered, groupBase: groupTotal, groupCount: groupCount))
            groupTotal += groupCount
            return Int32(rules.count - 1)
        }

        mutating func addConcept(_ c: Concept) {
            let english = c.groups.allSatisfy { $0.allSatisfy(Lexicon.isASCII) }
            let rule = newRule(c, byWords: english, groupCount: c.groups.count)
            for (g, group) in c.groups.enumerated() {
                for word in group {
                    let posting = Posting(rule: rule, group: Int32(g))
                    if english {
                        stems[Int(stemID(word))].postings.append(posting)
                    } else if let id = literalID(word, aligned: false) {
                        literals[Int(id)].postings.append(posting)
                    }
                }
            }
            // An English label is also read as written, without spaces ("burstpipe"), word-aligned.
            if english, c.label.allSatisfy({ $0.isLetter || $0 == " " }), let id = literalID(c.label, aligned: true) {
                literals[Int(id)].postings.append(Posting(rule: rule, group: -1))
            }
        }

        /// A community's word: a literal phrase; an English one also by its stems.
        mutating func addExtra(_ k: Keyword) {
            let concept = Concept(label: k.text, category: k.category, priority: .emergency, window: 0, plannable: false, groups: [])
            let english = Lexicon.isASCII(k.text)
            let words = english ? Reading(k.text).tokenWords() : []
            guard let id = literalID(k.text, aligned: english && !words.isEmpty) else { return }
            let literalRule = newRule(concept, byWords: false, groupCount: 0)
            literals[Int(id)].postings.append(Posting(rule: literalRule, group: -1))
            if !words.isEmpty {
                let rule = newRule(Concept(label: k.text, category: k.category, priority: .emergency, window: words.count + 1, plannable: false,
                                           groups: words.map { [$0] }), byWords: true, groupCount: words.count)
                for (g, word) in words.enumerated() { stems[Int(stemID(word))].postings.append(Posting(rule: rule, group: Int32(g))) }
            }
        }

        mutating func addHint(_ k: Keyword, rank: Int32) {
            if Lexicon.isASCII(k.text) {
                let id = Int(stemID(k.text))
                if rank < stems[id].hint { stems[id].hint = rank; stems[id].hintCategory = k.category }
            } else if let id = literalID(k.text, aligned: false).map(Int.init), rank < literals[id].hint {
                literals[id].hint = rank
                literals[id].hintCategory = k.category
            }
        }

        mutating func addCues() {
            typealias C = Classifier.Cues
            for (list, flag) in [(C.negators, WordFlags.negator), (C.negators + C.blockers, .blocker), (C.resolved, .resolved),
                                 (C.recurrence, .recurrence), (C.planned, .planned), (C.contrast, .contrast)] {
                for w in list { words[w, default: []].insert(flag) }
            }
            for (list, kind) in [(C.resolvedPhrases, CueKind.resolved), (C.plannedPhrases, .planned)] {
                for p in list {
                    let ids = p.map { stemID($0) }
                    phrases.append(Phrase(stems: ids, kind: kind))
                    stems[Int(ids[0])].phraseStarts.append(Int32(phrases.count - 1))
                }
            }
            for (i, c) in C.compounds.enumerated() {
                for t in c.targets { stems[Int(stemID(t))].compoundTarget.append(Int32(i)) }
                for x in c.contexts { stems[Int(stemID(x))].compoundContext.append(Int32(i)) }
            }
            for (list, kind) in [(C.zhResolved, CueKind.resolved), (C.zhRecurrence, .recurrence), (C.zhPlanned, .planned), (C.zhContrast, .contrast),
                                 (C.zhDrill, .drill)] {
                for w in list { if let id = literalID(w, aligned: false) { literals[Int(id)].cue = kind } }
            }
            for w in C.zhCompounds { if let id = literalID(w, aligned: false) { literals[Int(id)].compound = true } }
            zhNegators = C.zhNegators.map(Reading.normalizedChars)
            zhNegatedVerbs = C.zhNegatedVerbs.map(Reading.normalizedChars)
        }
    }

    // MARK: Reading one text

    struct Reading {
        struct Token {
            let start: Int
            let end: Int
            var stem: Int32 = -1
            var extraStem: Int32 = -1
            var flags: WordFlags = []
            var masked = false
        }
        struct Occurrence {
            let literal: Int32
            let start: Int
            let end: Int
        }
        struct Cue {
            let kind: CueKind
            let start: Int
            let end: Int
        }

        /// The normalised text without white space.
        var chars: [UInt32] = []
        /// For each character, the English word it belongs to, or -1.
        var tokenOfChar: [Int32] = []
        var tokens: [Token] = []
        /// Character positions where a clause ends; `question[i]`: the clause ended with "?".
        var breaks: [Int] = []
        var question: [Bool] = []
        var cues: [Cue] = []
        var occurrences: [Occurrence] = []
        var extraOccurrences: [Occurrence] = []
        var compounds: [(start: Int, end: Int)] = []

        static func fold(_ v: UInt32) -> UInt32 {
            var v = v
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }
            if v >= 0x41 && v <= 0x5A { return v + 32 }
            if v >= 0xC0 && v < 0x2000, let u = Unicode.Scalar(v), u.properties.changesWhenLowercased,
               let lower = u.properties.lowercaseMapping.unicodeScalars.first {
                return lower.value
            }
            return v
        }

        static func isWordChar(_ v: UInt32) -> Bool { (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) }
        /// Unicode white space, spelled out (the property lookup is slow on every keystroke).
        static func isSpace(_ v: UInt32) -> Bool {
            if v < 0x80 { return v == 0x20 || (0x09...0x0D).contains(v) }
            return v == 0x85 || v == 0xA0 || v == 0x1680 || (0x2000...0x200A).contains(v) || v == 0x2028 || v == 0x2029
                || v == 0x202F || v == 0x205F || v == 0x3000
        }

        static func normalizedChars(_ text: String) -> [UInt32] { Reading(text).chars }

        init(_ text: String) {
            chars.reserveCapacity(text.utf8.count)
            tokenOfChar.reserveCapacity(text.utf8.count)
            var spaced = false
            var previous: UInt32 = 0
            for u in text.unicodeScalars {
                let v = Reading.fold(u.value)
                if Reading.isSpace(v) {
                    spaced = true
                    if v == 0x0A || v == 0x0D || v == 0x2028 || v == 0x2029 { addBreak(question: false) }
                    continue
                }
                // "can't", "neighbour’s": the apostrophe joins the word.
                if (v == 0x27 || v == 0x2019) && Reading.isWordChar(previous) { continue }
                if Reading.isWordChar(v) {
                    if spaced || !Reading.isWordChar(previous) || tokens.isEmpty {
                        tokens.append(Token(start: chars.count, end: chars.count + 1))
                    } else {
                        let last = tokens.count - 1
                        tokens[last] = Token(start: tokens[last].start, end: chars.count + 1)
                    }
                    tokenOfChar.append(Int32(tokens.count - 1))
                } else {
                    tokenOfChar.append(-1)
                }
                chars.append(v)
                previous = v
                spaced = false
                switch v {
                case 0x2E, 0x21, 0x3B, 0x3002, 0x2026: addBreak(question: false)  // . ! ; 。 …
                case 0x3F: addBreak(question: true)                                  // ?
                default: break
                }
            }
        }

        private mutating func addBreak(question q: Bool) {
            if let last = breaks.last, last == chars.count {
                question[question.count - 1] = question[question.count - 1] || q
            } else {
                breaks.append(chars.count)
                question.append(q)
            }
        }

        func word(_ t: Token) -> String {
            String(decoding: chars[t.start..<t.end].map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        }

        func tokenWords() -> [String] { tokens.map(word) }

        /// The clause a character position belongs to.
        func clause(_ p: Int) -> Int {
            var lo = 0, hi = breaks.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if breaks[mid] <= p { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        func isQuestion(_ clause: Int) -> Bool { clause < question.count && question[clause] }

        func matches(_ literal: [UInt32], at i: Int) -> Bool {
            guard i >= 0, i + literal.count <= chars.count else { return false }
            for k in 0..<literal.count where chars[i + k] != literal[k] { return false }
            return true
        }

        /// Words, compounds, cues and literal phrases, in one pass each.
        mutating func annotate(_ std: Lexicon, extra: Lexicon?) {
            // English words: stems and flags.
            var bytes: [UInt8] = []
            for i in tokens.indices {
                bytes.removeAll(keepingCapacity: true)
                for p in tokens[i].start..<tokens[i].end { bytes.append(UInt8(truncatingIfNeeded: chars[p])) }
                let raw = String(decoding: bytes, as: UTF8.self)
                let st = Classifier.stem(raw, &bytes)
                tokens[i].stem = std.stemIDs[st] ?? -1
                tokens[i].extraStem = extra?.stemIDs[st] ?? -1
                tokens[i].flags = std.words[raw] ?? []
            }
            // Non-emergency compounds ("fire extinguisher", "gas bill").
            for i in tokens.indices where tokens[i].stem >= 0 {
                for c in std.stems[Int(tokens[i].stem)].compoundTarget {
                    let rule = Classifier.Cues.compounds[Int(c)]
                    let lo = max(0, i - rule.before), hi = min(tokens.count - 1, i + rule.after)
                    if (lo...hi).contains(where: { $0 != i && tokens[$0].stem >= 0 && std.stems[Int(tokens[$0].stem)].compoundContext.contains(c) }) {
                        tokens[i].masked = true
                    }
                }
            }
            // English cues.
            var inPhrase = Set<Int>()
            for i in tokens.indices {
                let t = tokens[i]
                if t.flags.contains(.contrast) { breaks.append(t.start); question.append(false) }
                if t.stem >= 0 {
                    for p in std.stems[Int(t.stem)].phraseStarts {
                        let phrase = std.phrases[Int(p)]
                        let n = phrase.stems.count
                        guard i + n <= tokens.count, (0..<n).allSatisfy({ tokens[i + $0].stem == phrase.stems[$0] }) else { continue }
                        if phrase.kind == .resolved && blockedBefore(i) { continue }
                        cues.append(Cue(kind: phrase.kind, start: t.start, end: tokens[i + n - 1].end))
                        for k in i..<(i + n) { inPhrase.insert(k) }
                    }
                }
                if t.flags.contains(.resolved) && !blockedBefore(i) && !(i + 1 < tokens.count && word(tokens[i + 1]) == "yet") {
                    cues.append(Cue(kind: .resolved, start: t.start, end: t.end))
                }
                if t.flags.contains(.planned) { cues.append(Cue(kind: .planned, start: t.start, end: t.end)) }
            }
            for i in tokens.indices where tokens[i].flags.contains(.recurrence) && !inPhrase.contains(i) {
                cues.append(Cue(kind: .recurrence, start: tokens[i].start, end: tokens[i].end))
            }
            // Literal phrases (Chinese words, English labels, a community's words).
            occurrences = scanLiterals(std)
            if let extra { extraOccurrences = scanLiterals(extra) }
            for o in occurrences {
                let lit = std.literals[Int(o.literal)]
                if lit.compound { compounds.append((o.start, o.end)) }
                guard let kind = lit.cue else { continue }
                if kind == .contrast { breaks.append(o.start); question.append(false); continue }
                if kind == .resolved {
                    if o.start > 0, let c = Unicode.Scalar(chars[o.start - 1]), Cues.zhResolvedBlockedAfter.contains(Character(c)) { continue }
                    if o.end < chars.count, let c = Unicode.Scalar(chars[o.end]), Cues.zhResolvedBlockedBefore.contains(Character(c)) { continue }
                }
                cues.append(Cue(kind: kind, start: o.start, end: o.end))
            }
            // Clause breaks from contrast words come last: keep them in order.
            if breaks.count > 1 && zip(breaks, breaks.dropFirst()).contains(where: { $0 > $1 }) {
                let sorted = zip(breaks, question).sorted { $0.0 < $1.0 }
                breaks = sorted.map(\.0)
                question = sorted.map(\.1)
            }
            // A resolution in a question ("is it fixed?") is none.
            let asked = cues.map { $0.kind == .resolved && isQuestion(clause($0.start)) }
            cues = zip(cues, asked).filter { !$0.1 }.map(\.0)
        }

        /// "needs to be fixed", "hasn't been fixed", "still not fixed".
        func blockedBefore(_ i: Int) -> Bool {
            (max(0, i - 2)..<i).contains { tokens[$0].flags.contains(.blocker) }
        }

        func scanLiterals(_ lexicon: Lexicon) -> [Occurrence] {
            var out: [Occurrence] = []
            guard !lexicon.byFirst.isEmpty else { return out }
            for i in chars.indices {
                guard let candidates = lexicon.byFirst[chars[i]] else { continue }
                for id in candidates {
                    let lit = lexicon.literals[Int(id)]
                    guard matches(lit.chars, at: i) else { continue }
                    let end = i + lit.chars.count
                    if lit.aligned {
                        let first = tokenOfChar[i], last = tokenOfChar[end - 1]
                        guard first >= 0, last >= 0, tokens[Int(first)].start == i, tokens[Int(last)].end == end else { continue }
                    }
                    out.append(Occurrence(literal: id, start: i, end: end))
                }
            }
            return out
        }

        /// Inside a non-emergency compound, or covering a masked English word.
        func isMasked(_ start: Int, _ end: Int) -> Bool {
            if compounds.contains(where: { $0.start <= start && end <= $0.end && !($0.start == start && $0.end == end) }) { return true }
            return coversMaskedWord(start, end)
        }

        func coversMaskedWord(_ start: Int, _ end: Int) -> Bool {
            for p in start..<end where tokenOfChar[p] >= 0 && tokens[Int(tokenOfChar[p])].masked { return true }
            return false
        }

        /// The rules of a lexicon that the text states and does not cancel.
        func matchedRules(_ lexicon: Lexicon, lexiconIndex: Int) -> [Int] {
            var found: [Int] = []
            var done = [Bool](repeating: false, count: lexicon.rules.count)
            // The latest occurrence of each rule's group: start, end, word index (or -1).
            var lastStart = [Int](repeating: -1, count: lexicon.groupTotal)
            var lastEnd = [Int](repeating: -1, count: lexicon.groupTotal)
            var lastWord = [Int](repeating: -1, count: lexicon.groupTotal)

            func feed(_ posting: Lexicon.Posting, start: Int, end: Int, word: Int) {
                let r = Int(posting.rule)
                guard !done[r] else { return }
                let rule = lexicon.rules[r]
                if posting.group < 0 {
                    if !cancelled(rule, parts: [(start, end, word)]) { done[r] = true; found.append(r) }
                    return
                }
                let slot = rule.groupBase + Int(posting.group)
                lastStart[slot] = start; lastEnd[slot] = end; lastWord[slot] = word
                var parts: [(start: Int, end: Int, word: Int)] = []
                parts.reserveCapacity(rule.groupCount)
                for g in rule.groupBase..<(rule.groupBase + rule.groupCount) {
                    guard lastStart[g] >= 0 else { return }
                    if rule.byWords ? word - lastWord[g] > rule.window : start - lastStart[g] > rule.window { return }
                    if rule.ordered, let previous = parts.last, lastStart[g] < previous.start { return }
                    parts.append((lastStart[g], lastEnd[g], lastWord[g]))
                }
                if !cancelled(rule, parts: parts) { done[r] = true; found.append(r) }
            }

            // English words in order, then literal phrases in order (rules never mix the two).
            for (i, t) in tokens.enumerated() where !t.masked {
                let id = lexiconIndex == 0 ? t.stem : t.extraStem
                guard id >= 0 else { continue }
                for p in lexicon.stems[Int(id)].postings { feed(p, start: t.start, end: t.end, word: i) }
            }
            for o in (lexiconIndex == 0 ? occurrences : extraOccurrences) where !isMasked(o.start, o.end) {
                let lit = lexicon.literals[Int(o.literal)]
                let word = lit.aligned ? Int(tokenOfChar[o.start]) : -1
                for p in lit.postings { feed(p, start: o.start, end: o.end, word: word) }
            }
            return found
        }

        /// Whether a match is negated, resolved, or a planned outage (see `Cues`).
        func cancelled(_ rule: Lexicon.Rule, parts: [(start: Int, end: Int, word: Int)]) -> Bool {
            let start = parts.map(\.start).min()!, end = parts.map(\.end).max()!
            let words = Set(parts.map(\.word).filter { $0 >= 0 })
            let std = Classifier.standard
            // Negation.
            for part in parts {
                if part.word >= 0 {
                    // English: the word before, when it is not itself part of the match.
                    let before = part.word - 1
                    if before >= 0, !words.contains(before), tokens[before].flags.contains(.negator) { return true }
                } else if negatedHan(at: part.start, std) {
                    return true
                }
            }
            let firstClause = clause(start), lastClause = clause(max(start, end - 1))
            // A planned outage; a drill.
            if cues.contains(where: { ($0.kind == .drill || ($0.kind == .planned && rule.plannable))
                                        && (firstClause...lastClause).contains(clause($0.start)) }) {
                return true
            }
            // Resolution, unless it is about something else or the clause says it came back.
            let resolved = cues.contains { cue in
                guard cue.kind == .resolved else { return false }
                if cue.end <= start {
                    let c = clause(cue.start)
                    return c == firstClause && !mentionsOtherCategory(c == 0 ? 0 : breaks[c - 1], start, than: rule.category, std)
                }
                guard cue.start >= end, clause(cue.start) <= lastClause + 1 else { return false }
                return !mentionsOtherCategory(end, cue.start, than: rule.category, std)
            }
            guard resolved else { return false }
            return !cues.contains { $0.kind == .recurrence && (firstClause...lastClause).contains(clause($0.start)) }
        }

        /// 没有漏水, 没有闻到煤气味, 是否停电 — but not 不停冒烟.
        func negatedHan(at start: Int, _ std: Lexicon) -> Bool {
            var ends = [start]
            for verb in std.zhNegatedVerbs where matches(verb, at: start - verb.count) { ends.append(start - verb.count) }
            for e in ends {
                for neg in std.zhNegators where matches(neg, at: e - neg.count) {
                    if neg == [0x4E0D], e < chars.count, let c = Unicode.Scalar(chars[e]), Cues.zhNotNegating.contains(Character(c)) { continue }
                    return true
                }
            }
            return false
        }

        /// Whether the text between a match and a resolution names something of another category
        /// ("水管爆了,电梯已经修好了", "Burst pipe! The lift was repaired."): then the resolution is
        /// about that, not about the match.
        func mentionsOtherCategory(_ from: Int, _ to: Int, than category: Category, _ std: Lexicon) -> Bool {
            for t in tokens where t.stem >= 0 && t.start >= from && t.end <= to {
                let s = std.stems[Int(t.stem)]
                if s.hint != .max && s.hintCategory != category { return true }
            }
            for o in occurrences where o.start >= from && o.end <= to {
                let lit = std.literals[Int(o.literal)]
                if lit.hint != .max && lit.hintCategory != category { return true }
            }
            return false
        }

        /// The category of the best everyday word (the longer word wins). A Chinese compound
        /// still names its category ("客厅插座没电" is electricity, though not an outage).
        func hintCategory(_ std: Lexicon) -> Category {
            var best: (rank: Int32, category: Category) = (.max, .other)
            for t in tokens where t.stem >= 0 && !t.masked {
                let s = std.stems[Int(t.stem)]
                if s.hint < best.rank { best = (s.hint, s.hintCategory) }
            }
            for o in occurrences where !coversMaskedWord(o.start, o.end) {
                let lit = std.literals[Int(o.literal)]
                if lit.hint < best.rank { best = (lit.hint, lit.hintCategory) }
            }
            return best.category
        }
    }
}
