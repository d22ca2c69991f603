import Fluent
import Foundation
import PropDeskCore

/// The demo's patrols (FLD-3): every area gets its checkpoints — lobbies and the playground as
/// key spots — and its supervisor walks them, key spots nearly every day and the whole area once
/// a week. The story has misses: a spot forgotten now and then, a whole day lost to a meeting,
/// and failed items that became work orders, one of them a burst pipe in the car park.
struct PatrolDemo {
    struct Visit: Sendable {
        let checkpoint: Checkpoint
        let results: [ItemResult]
        let note: String
        let who: Actor
    }

    static let places: [(name: String, location: String, key: Bool, building: Bool, items: [PatrolCategory])] = [
        ("大堂", "首层大堂及电梯厅", true, true, [.cleaning, .lighting, .doorsWindows, .elevators]),
        ("儿童游乐场", "中心花园北侧", true, false, [.recreation, .cleaning, .greening]),
        ("主出入口", "小区东门岗亭至车行道", true, false, [.roads, .signs, .streetLights]),
        ("地下车库", "负一层车库及排水沟", false, false, [.lighting, .drains, .signs, .cleaning]),
        ("天面", "楼顶天面及水箱间", false, true, [.roof, .drains]),
        ("楼道", "各层楼梯间及消防通道", false, true, [.corridors, .lighting, .doorsWindows]),
        ("外墙与绿化带", "楼宇外墙及四周绿化", false, true, [.facades, .greening]),
    ]

    /// What a supervisor writes when an item fails, by category.
    static let faults: [PatrolCategory: [String]] = [
        .cleaning: ["电梯厅地面有污渍未清理", "垃圾桶满溢,周边有散落垃圾"],
        .lighting: ["两盏灯不亮", "感应灯失灵,一直常亮"],
        .doorsWindows: ["单元门闭门器损坏,门关不上", "走廊窗户玻璃开裂"],
        .elevators: ["电梯按键失灵", "轿厢照明不亮"],
        .recreation: ["滑梯扶手松动,有安全隐患", "秋千链条锈蚀"],
        .greening: ["草坪有裸土,需补种", "灌木枯死两株"],
        .roads: ["路面有坑洼积水", "减速带松脱"],
        .signs: ["消防通道标识脱落", "路牌被遮挡"],
        .streetLights: ["路灯不亮", "灯杆倾斜"],
        .drains: ["排水沟堵塞,雨后积水", "井盖破损"],
        .roof: ["天面有杂物堆放", "防水层起鼓"],
        .corridors: ["楼道堆放杂物,影响通行", "消防通道被电动车占用"],
        .facades: ["外墙瓷砖空鼓", "外墙有渗水痕迹"],
    ]

    /// Checkpoints for every area of the community, on the route from `at`.
    static func checkpoints(community: UUID, on store: Store, by actor: Actor) async throws -> [Checkpoint] {
        let areas = try await store.registry.areas(community: community)
        let buildings = try await store.registry.buildings(community: community)
        var out: [Checkpoint] = []
        for area in areas {
            let inArea = buildings.filter { $0.areaID == area.id }
            for (i, place) in places.enumerated() {
                let building = place.building ? inArea[safe: i % max(1, inArea.count)] : nil
                let name = building.map { "\($0.name)\(place.name)" } ?? "\(area.name)\(place.name)"
                let items = place.items.enumerated().map { ChecklistItem(id: String($0.offset + 1), category: $0.element, text: $0.element.defaultCheck.zhHans) }
                out.append(try await store.patrols.addCheckpoint(.init(areaID: area.id, buildingID: building?.id, name: name, location: place.location,
                                                                        keySpot: place.key, items: items), community: community, by: actor))
            }
        }
        return out
    }

    /// A day's visits of one area: its key spots (one in twelve forgotten, one day in twenty lost
    /// entirely), and on Wednesdays the rest of the area too. About one item in forty fails.
    static func day(_ day: Date, checkpoints: [Checkpoint], supervisor: Actor, weekday: Int, rng: inout SeededRandom) -> [(Date, Visit)] {
        guard Int.random(in: 0..<20, using: &rng) != 0 else { return [] }
        var t = day.addingTimeInterval(Double(9 * 3600 + Int.random(in: 0..<5400, using: &rng)))
        var out: [(Date, Visit)] = []
        for c in checkpoints where c.keySpot || weekday == 4 {
            if c.keySpot && Int.random(in: 0..<12, using: &rng) == 0 { continue }
            t = t.addingTimeInterval(Double(Int.random(in: 4...15, using: &rng) * 60))
            let results = c.items.map { item -> ItemResult in
                guard Int.random(in: 0..<40, using: &rng) == 0 else { return ItemResult(itemID: item.id, passed: true) }
                return ItemResult(itemID: item.id, passed: false, note: faults[item.category]?.randomElement(using: &rng) ?? "需要处理")
            }
            out.append((t, Visit(checkpoint: c, results: results, note: "", who: supervisor)))
        }
        return out
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
