import Foundation

/// What residents typically ask, by kind and category, with how often each comes in: the demo
/// (RUN-3) and `propdesk generate` draw their requests from here.
public enum SampleRequests {
    public static let texts: [(RequestKind, Category?, [String])] = [
        (.repair, .water, ["卫生间水龙头一直滴水", "厨房下水道堵塞,水排不下去", "马桶水箱不停流水", "阳台地漏反味", "热水器进水管接头渗水"]),
        (.repair, .electricity, ["客厅插座没电", "卧室吸顶灯不亮", "厨房插座一用就跳闸", "楼道声控灯不亮"]),
        (.repair, .doorWindow, ["入户门锁芯卡住打不开", "卧室窗户关不严,漏风", "阳台推拉门滑轮坏了"]),
        (.repair, .elevator, ["2号电梯按钮失灵", "电梯运行时有异响"]),
        (.repair, .water, ["厨房水管爆裂,水流到客厅了", "楼上渗水到我家天花板,关键部位漏水", "卫生间地漏返水,室内返水严重"]),
        (.repair, .electricity, ["家里突然停电了,邻居家有电"]),
        (.help, .security, ["老人被锁在门外,请帮忙联系开锁", "小孩把自己反锁在卫生间"]),
        (.inquiry, .fees, ["物业费的收费标准是多少?", "停车位月租怎么办理?", "装修需要办理哪些手续?"]),
        (.suggestion, .greening, ["小区东门的绿化带可以多种些花", "建议在儿童游乐区增加遮阳棚"]),
        (.complaint, .noise, ["楼上晚上十一点后还在装修,噪音很大", "保安夜间巡逻不到位,车库有陌生人"]),
        (.complaint, .cleaning, ["楼道垃圾两天没人清理", "地下车库积水无人处理"]),
        (.dispute, .noise, ["楼上邻居家的狗整夜叫,沟通无果"]),
        (.violation, .security, ["有人在消防通道停车", "楼顶有人私搭违建"]),
        (.query, .fees, ["这个月的水费比平时高很多,怀疑水表有问题"]),
        (.warranty, .doorWindow, ["新房交付半年,外墙窗户渗水", "地下室墙面返潮开裂"]),
        (.paidService, .water, ["厨房下水道堵了,需要疏通"]),
        (.paidService, .cleaning, ["想预约家庭保洁三小时"]),
    ]

    /// Relative frequency of each line of `texts`: everyday repairs most, emergencies a few.
    public static let weights = [30, 14, 6, 3, 3, 2, 3, 10, 4, 4, 3, 3, 2, 2, 3, 5, 3]

    public static func pick<R: RandomNumberGenerator>(using rng: inout R) -> (RequestKind, Category?, [String]) {
        var pick = Int.random(in: 0..<weights.reduce(0, +), using: &rng)
        var index = 0
        while pick >= weights[index] { pick -= weights[index]; index += 1 }
        return texts[index]
    }
}
