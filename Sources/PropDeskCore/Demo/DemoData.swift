import Foundation

/// A small deterministic random source (SplitMix64): the same seed gives the same demo.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A realistic service center to look at on first start (RUN-3): two communities, their
/// buildings, units and areas, about two thousand households, and staff of every role.
/// Identifiers derive from the seed, so two runs produce identical data.
public struct DemoData: Sendable {
    public struct Household: Sendable {
        public let person: Person
        public let idNumber: String?
        public let occupancy: Occupancy
    }

    public struct StaffMember: Sendable {
        public let account: UserAccount
    }

    public var communities: [Community] = []
    public var areas: [Area] = []
    public var buildings: [Building] = []
    public var units: [PropertyUnit] = []
    public var residents: [Household] = []
    public var staff: [StaffMember] = []
    /// Resident portal accounts (username = phone).
    public var residentAccounts: [UserAccount] = []

    /// One community to build: towers of flats, shops on a street, parking spaces, areas.
    public struct Plan: Sendable {
        let code: String, name: String, address: String
        let towers: Int, floors: Int, flatsPerFloor: Int, shops: Int, parking: Int, areaNames: [String]

        public init(code: String, name: String, address: String, towers: Int, floors: Int, flatsPerFloor: Int, shops: Int, parking: Int, areaNames: [String]) {
            self.code = code
            self.name = name
            self.address = address
            self.towers = towers
            self.floors = floors
            self.flatsPerFloor = flatsPerFloor
            self.shops = shops
            self.parking = parking
            self.areaNames = areaNames
        }
    }

    /// How full the communities are and what else comes with them.
    public struct Layout: Sendable {
        public var occupiedPercent = 94
        /// Family members and tenants beside the owner of an occupied flat.
        public var extraOccupants = 0...2
        /// Phone numbers are unique per serial: give each separately made community its own range.
        public var phoneSerialStart = 0
        public var residentAccountsPerCommunity = 3
        public var withAdmin = true
        public init() {}
    }

    static let plans = [
        Plan(code: "CHHY", name: "翠湖花园", address: "深圳市南山区翠湖路 88 号", towers: 16, floors: 18, flatsPerFloor: 4,
             shops: 24, parking: 60, areaNames: ["东区", "西区", "南区", "北区"]),
        Plan(code: "JXJY", name: "锦绣家园", address: "深圳市福田区锦绣路 16 号", towers: 12, floors: 18, flatsPerFloor: 4,
             shops: 16, parking: 40, areaNames: ["一区", "二区", "三区"]),
    ]

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let givenChars = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽浩宇轩然子涵梓豪睿博文昊天俊鹏")
    static let mobilePrefixes = ["138", "139", "137", "136", "135", "150", "151", "152", "158", "159", "186", "187", "188", "189", "133", "153", "177", "180", "181", "199"]
    static let regionCodes = ["440305", "440304", "440303", "440306", "110105", "310104", "430102", "420106"]

    public static func make(seed: UInt64 = 20261123) -> DemoData {
        make(seed: seed, plans: plans, layout: Layout())
    }

    public static func make(seed: UInt64, plans: [Plan], layout: Layout) -> DemoData {
        var rng = SeededRandom(seed: seed)
        var ids = SeededRandom(seed: seed ^ 0xD1CE)
        func uuid() -> UUID { UUID.seeded(&ids) }
        var phoneSerial = layout.phoneSerialStart
        func phone() -> String {
            phoneSerial += 1
            let prefix = mobilePrefixes[phoneSerial % mobilePrefixes.count]
            // An odd multiplier modulo 10^8 is a bijection: unique, scattered numbers.
            let body = (phoneSerial &* 48_271 &+ 12_345_678) % 100_000_000
            return prefix + String(format: "%08d", body)
        }
        func name() -> String {
            let s = surnames[Int(rng.next() % UInt64(surnames.count))]
            let n = Int(rng.next() % 3) == 0 ? 1 : 2
            return String(s) + String((0..<n).map { _ in givenChars[Int(rng.next() % UInt64(givenChars.count))] })
        }
        func residentID() -> String {
            let region = regionCodes[Int(rng.next() % UInt64(regionCodes.count))]
            let year = 1950 + Int(rng.next() % 55), month = 1 + Int(rng.next() % 12), day = 1 + Int(rng.next() % 28)
            let seq = Int(rng.next() % 1000)
            let first17 = region + String(format: "%04d%02d%02d%03d", year, month, day, seq)
            return first17 + String(ResidentIDNumber.checkCharacter(first17: first17)!)
        }

        var demo = DemoData()
        for plan in plans {
            let community = Community(id: uuid(), code: plan.code, name: plan.name, address: plan.address)
            demo.communities.append(community)
            let areas = plan.areaNames.map { Area(id: uuid(), communityID: community.id, name: $0) }
            demo.areas += areas

            var communityBuildings: [Building] = []
            for t in 1...plan.towers {
                let area = areas[(t - 1) * areas.count / plan.towers]
                communityBuildings.append(Building(id: uuid(), communityID: community.id, areaID: area.id, name: "\(t)栋", floors: plan.floors))
            }
            let street = Building(id: uuid(), communityID: community.id, areaID: areas.first?.id, name: "商业街", floors: 1)
            let garage = Building(id: uuid(), communityID: community.id, areaID: nil, name: "地下车库", floors: 1)
            demo.buildings += communityBuildings + [street, garage]

            let flatSizes = [8950, 9860, 12030, 14375]
            for b in communityBuildings {
                for f in 1...plan.floors {
                    for r in 1...plan.flatsPerFloor {
                        let unit = PropertyUnit(id: uuid(), communityID: community.id, buildingID: b.id, areaID: b.areaID,
                                        roomNumber: String(format: "%d%02d", f, r), floor: f, kind: .residential,
                                        floorArea: FloorArea(hundredths: flatSizes[r - 1]))
                        demo.units.append(unit)
                        // About 94% of flats are occupied.
                        guard rng.next() % 100 < UInt64(layout.occupiedPercent) else { continue }
                        let owner = Person(id: uuid(), communityID: community.id, name: name(), phone: phone(), idDocumentType: .residentID)
                        let ownerID = residentID()
                        demo.residents.append(Household(person: owner.withMaskedID(ownerID), idNumber: ownerID,
                            occupancy: Occupancy(id: uuid(), communityID: community.id, unitID: unit.id, personID: owner.id, relation: .owner)))
                        let extra = layout.extraOccupants.lowerBound + Int(rng.next() % UInt64(layout.extraOccupants.count))
                        for _ in 0..<extra {
                            let tenant = rng.next() % 5 == 0
                            let p = Person(id: uuid(), communityID: community.id, name: name(), phone: phone())
                            demo.residents.append(Household(person: p, idNumber: nil,
                                occupancy: Occupancy(id: uuid(), communityID: community.id, unitID: unit.id, personID: p.id, relation: tenant ? .tenant : .family)))
                        }
                    }
                }
            }
            for s in stride(from: 1, through: plan.shops, by: 1) {
                let unit = PropertyUnit(id: uuid(), communityID: community.id, buildingID: street.id, areaID: street.areaID,
                                roomNumber: String(format: "S%02d", s), floor: 1, kind: .commercial,
                                floorArea: FloorArea(hundredths: 4000 + Int(rng.next() % 12000)))
                demo.units.append(unit)
                let company = Person(id: uuid(), communityID: community.id, kind: .company,
                                     name: "\(plan.name)\(["便利店", "药房", "洗衣店", "餐厅", "理发店", "水果店"][s % 6])\(s)号铺", phone: phone())
                demo.residents.append(Household(person: company, idNumber: nil,
                    occupancy: Occupancy(id: uuid(), communityID: community.id, unitID: unit.id, personID: company.id, relation: s % 3 == 0 ? .tenant : .owner)))
            }
            for p in stride(from: 1, through: plan.parking, by: 1) {
                demo.units.append(PropertyUnit(id: uuid(), communityID: community.id, buildingID: garage.id, areaID: nil,
                                       roomNumber: String(format: "P%03d", p), floor: -1, kind: .parking,
                                       floorArea: FloorArea(hundredths: 1250)))
            }

            // Staff of every role; usernames say community and role so a newcomer can try each.
            let prefix = plan.code.lowercased()
            func staff(_ role: Role, _ suffix: String, scopes: [Scope], badge: Int) {
                demo.staff.append(StaffMember(account: UserAccount(id: uuid(), username: "\(prefix).\(suffix)", displayName: name(),
                    role: role, scopes: scopes, badgeNumber: String(format: "%@-%03d", plan.code, badge), phone: phone())))
            }
            let whole = [Scope(communityID: community.id)]
            staff(.centerHead, "head", scopes: whole, badge: 1)
            staff(.csManager, "manager", scopes: whole, badge: 2)
            staff(.frontDesk, "desk1", scopes: whole, badge: 3)
            staff(.frontDesk, "desk2", scopes: whole, badge: 4)
            for (i, area) in areas.enumerated() {
                staff(.areaSupervisor, "supervisor\(i + 1)", scopes: [Scope(communityID: community.id, areaID: area.id)], badge: 10 + i)
            }
            for i in 1...4 { staff(.engineer, "engineer\(i)", scopes: whole, badge: 20 + i) }
            staff(.finance, "finance", scopes: whole, badge: 30)

            // Three resident portal accounts per community: the first owners on file, the last of
            // them in another building (a notice for one building reaches one and not the other, CR-1).
            let owners = demo.residents.filter { $0.person.communityID == community.id && $0.occupancy.relation == .owner && $0.person.kind == .individual }
            func building(_ h: Household) -> UUID? { demo.units.first { $0.id == h.occupancy.unitID }?.buildingID }
            var picked = Array(owners.prefix(max(0, layout.residentAccountsPerCommunity - 1)))
            let firstBuilding = picked.first.flatMap(building)
            if layout.residentAccountsPerCommunity > 0,
               let other = owners.first(where: { h in !picked.contains { $0.person.id == h.person.id } && building(h) != firstBuilding }) {
                picked.append(other)
            }
            for h in picked {
                demo.residentAccounts.append(UserAccount(id: uuid(), username: h.person.phone, displayName: h.person.name, role: .resident,
                    scopes: [Scope(communityID: community.id)], phone: h.person.phone, personID: h.person.id))
            }
        }
        if layout.withAdmin {
            demo.staff.insert(StaffMember(account: UserAccount(id: uuid(), username: "admin", displayName: "系统管理员", role: .admin, scopes: [])), at: 0)
        }
        return demo
    }
}

extension Person {
    func withMaskedID(_ number: String) -> Person {
        var p = self
        p.idNumberMasked = Mask.idNumber(number)
        return p
    }
}
