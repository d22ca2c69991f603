import Fluent
import Foundation
import PropDeskCore

/// S2 4.1.1 and 4.1.2 as duties (PLT-1): every staff change met by a new approved table within
/// three working days; every new contact card posted within three days. A month's value is the
/// share of the changes (cards) falling due in it that were settled in time.
struct AssignmentDuties: DutyMeasurer {
    static let newTable = Duty(
        id: "S2-4.1.1-new-table", citation: "S2 4.1.1",
        title: Message(zh: "人员变动后三天内批准新的区域工作分配表", en: "New approved assignment table within 3 working days of a staff change"),
        asks: Message(zh: "人员变动或分配表内容变更时,客户服务部门负责人必须在三天内拟制新的区域管理服务工作分配表,报物业服务中心负责人批准后执行",
                      en: "After a staff change the CS manager drafts a new area assignment table within three days, approved by the center head"),
        scope: .community, period: .withinWorkingDays(StaffChange.workingDays), target: .shareAtLeast(perMille: 1000), owner: .centerHead,
        capability: "assignments")
    static let cardPosted = Duty(
        id: "S2-4.1.2-card-posted", citation: "S2 4.1.2",
        title: Message(zh: "区域客户主任信息变动后三天内更新大堂公告", en: "Lobby contact card republished within 3 days of a change"),
        asks: Message(zh: "在楼宇大堂公告栏张贴本区域客户主任照片、姓名、手机号码、工作电话;信息改变后三天内完成变更",
                      en: "The area supervisor's photo, name, mobile and work phone on the lobby board; republished within three days of a change"),
        scope: .community, period: .withinDays(ContactCard.daysToPost), target: .shareAtLeast(perMille: 1000), owner: .csManager, capability: "assignments")

    var duties: [Duty] { [Self.newTable, Self.cardPosted] }

    func measure(_ duty: Duty, at place: DutyPlace, on db: any Database) async throws -> DutyMeasurement {
        let store = AssignmentStore(db: db, now: { place.asOf })
        let asOf = min(place.asOf, place.until)
        let c = place.communityID.uuidString
        // Due in the month, and either settled or already past due by now.
        var items: [(label: String, path: String, ok: Bool)] = []
        if duty.id == Self.newTable.id {
            for s in try await store.staffChanges(community: place.communityID, from: place.from, until: place.until)
            where s.dueAt < place.until && (s.resolvedAt != nil || s.dueAt <= asOf) {
                let ok = s.resolvedAt.map { $0 <= s.dueAt } ?? false
                items.append(("\(s.userName) · \(s.kind.title.zhHans) · \(Self.day(s.at, place.timeZone))\(ok ? "" : "(逾期)")", "/c/\(c)/assignments", ok))
            }
        } else {
            for card in try await store.cards(community: place.communityID, from: place.from, until: place.until)
            where card.dueAt < place.until && (card.postedAt != nil || card.dueAt <= asOf) {
                let ok = card.postedAt.map { $0 <= card.dueAt } ?? false
                items.append(("\(card.areaName) · \(card.supervisorName) · \(Self.day(card.issuedAt, place.timeZone))\(ok ? "" : "(未按时张贴)")",
                              "/c/\(c)/contact-cards", ok))
            }
        }
        let records = items.filter { !$0.ok }.map { RecordLink(label: $0.label, path: $0.path, missed: true) }
            + items.filter(\.ok).map { RecordLink(label: $0.label, path: $0.path, missed: false) }
        return DutyMeasurement(numerator: items.filter(\.ok).count, denominator: items.count, records: Array(records.prefix(WorkOrderDuties.recordLimit)))
    }

    static func day(_ d: Date, _ tz: String) -> String {
        WorkingDays(ServiceHours(timeZone: tz)).dayKey(d)
    }
}
