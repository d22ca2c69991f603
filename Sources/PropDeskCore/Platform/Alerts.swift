import Foundation

/// Who an alert is for (INT-7): the assignee first, then the CS manager, then the center head;
/// the front desk for callbacks (S4 4.9).
public enum AlertLevel: String, Sendable, Codable, CaseIterable {
    case assignee
    case csManager = "cs_manager"
    case centerHead = "center_head"
    case frontDesk = "front_desk"

    public var title: Message {
        switch self {
        case .assignee: Message(zh: "责任人", en: "Assignee")
        case .csManager: Message(zh: "客服部门负责人", en: "CS manager")
        case .centerHead: Message(zh: "服务中心负责人", en: "Center head")
        case .frontDesk: Message(zh: "前台", en: "Front desk")
        }
    }

    /// The role that sees alerts of this level (the assignee's alerts go to the person).
    public var role: Role? {
        switch self {
        case .assignee: nil
        case .csManager: .csManager
        case .centerHead: .centerHead
        case .frontDesk: .frontDesk
        }
    }

    static func escalation(_ level: Int) -> AlertLevel {
        switch level {
        case ...1: .assignee
        case 2: .csManager
        default: .centerHead
        }
    }
}

public enum AlertKind: String, Sendable, Codable, CaseIterable {
    /// A clock passed its target (INT-7).
    case overdue
    /// Call the resident: nobody on site `callbackAfter` (20 minutes by S4 4.9) after dispatch.
    case callback
    /// A dissatisfied resident: a complaint was opened or the order reopened (INT-19).
    case dissatisfied
    /// A new complaint needs its owner (INT-8).
    case complaint
    /// A duty's period ended short of its target (PLT-1): the standards scorecard shows a miss.
    case dutyMissed = "duty_missed"
    /// A deadline on a record passed with the record still open (a violation's correction, FLD-4).
    case deadlinePassed = "deadline_passed"
    /// A unit in custody used more water or electricity in a month than its agreement allows (FD-2).
    case meterOverThreshold = "meter_over_threshold"
}

/// One alert about one subject, and who saw it (INT-7, PLT-2). Alerts are never deleted;
/// acknowledging records who and when.
public struct Alert: Sendable, Codable, Equatable {
    public var id: UUID
    public var communityID: UUID
    public var subjectKind: SubjectKind
    public var subjectID: UUID
    /// How people name the subject: the order's number, "S0 2.3 · 2026-11".
    public var subjectLabel: String
    public var areaID: UUID?
    public var kind: AlertKind
    public var clockKind: ClockKind?
    public var level: AlertLevel
    /// A person (the assignee); otherwise everyone of `level.role` in the community.
    public var targetUserID: UUID?
    public var raisedAt: Date
    public var dueAt: Date?
    public var acknowledgedByID: UUID?
    public var acknowledgedByName: String?
    public var acknowledgedAt: Date?
    public var acknowledgeNote: String?

    public init(id: UUID = .timeOrdered(), communityID: UUID, subjectKind: SubjectKind = .workOrder, subjectID: UUID, subjectLabel: String, areaID: UUID?, kind: AlertKind,
                clockKind: ClockKind?, level: AlertLevel, targetUserID: UUID?, raisedAt: Date, dueAt: Date?,
                acknowledgedByID: UUID? = nil, acknowledgedByName: String? = nil, acknowledgedAt: Date? = nil, acknowledgeNote: String? = nil) {
        self.id = id
        self.communityID = communityID
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.subjectLabel = subjectLabel
        self.areaID = areaID
        self.kind = kind
        self.clockKind = clockKind
        self.level = level
        self.targetUserID = targetUserID
        self.raisedAt = raisedAt
        self.dueAt = dueAt
        self.acknowledgedByID = acknowledgedByID
        self.acknowledgedByName = acknowledgedByName
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgeNote = acknowledgeNote
    }

    static func about(_ order: WorkOrder, _ kind: AlertKind, clock: SLAClock? = nil, level: AlertLevel, at now: Date) -> Alert {
        let target = level == .assignee ? order.assigneeID : nil
        // An order nobody holds yet: its first alert goes to the front desk that dispatches.
        let level = (level == .assignee && target == nil) ? .frontDesk : level
        return Alert(communityID: order.communityID, subjectID: order.id, subjectLabel: order.number, areaID: order.areaID, kind: kind,
                     clockKind: clock?.kind, level: level, targetUserID: target, raisedAt: now, dueAt: clock?.dueAt)
    }

    /// An alert about a subject other than an order (a duty's period …), to everyone of the
    /// level's role in the community (or area).
    public static func about(_ subject: SubjectRef, _ kind: AlertKind, clock: SLAClock?, level: AlertLevel, at now: Date) -> Alert {
        Alert(communityID: subject.communityID, subjectKind: subject.kind, subjectID: subject.id, subjectLabel: subject.label, areaID: subject.areaID,
              kind: kind, clockKind: clock?.kind, level: level, targetUserID: nil, raisedAt: now, dueAt: clock?.dueAt)
    }

    public var subject: SubjectRef { SubjectRef(kind: subjectKind, id: subjectID, communityID: communityID, areaID: areaID, label: subjectLabel) }

    /// Whether this alert is addressed to the principal (by person or by role).
    public func isFor(_ principal: Principal) -> Bool {
        if let targetUserID { return targetUserID == principal.userID }
        return level.role == principal.role
    }

    /// What a passed deadline means for its kind of record.
    private var deadlineMessage: Message {
        let who = level.title
        switch subjectKind {
        case .workLog:
            return Message(zh: "\(subjectLabel) 未在次一工作日内审阅回复,已通知\(who.zhHans):请审阅并在记录中回复",
                           en: "\(subjectLabel): not reviewed by the end of the next working day; \(who.en) alerted — review it and reply in the log")
        case .staffChange:
            return Message(zh: "\(subjectLabel):三个工作日内仍未批准新的区域工作分配表,已通知\(who.zhHans)",
                           en: "\(subjectLabel): no new assignment table approved within three working days; \(who.en) alerted")
        case .custodyCheck:
            return Message(zh: "\(subjectLabel) 未按时完成,已通知\(who.zhHans):请安排人员对托管房进行户外巡查",
                           en: "\(subjectLabel) was not done in time; \(who.en) alerted — send someone to check the unit in custody from outside")
        case .dutyLogDay:
            return Message(zh: "\(subjectLabel) 未在次一工作日内检查签字,已通知\(who.zhHans):请检查值班日志并签字确认",
                           en: "\(subjectLabel): not checked and signed by the end of the next working day; \(who.en) alerted — check the duty log and sign it")
        case .contactCard:
            return Message(zh: "\(subjectLabel):三天内仍未在大堂公告栏更新,已通知\(who.zhHans)",
                           en: "\(subjectLabel): not republished on the lobby board within three days; \(who.en) alerted")
        case .rectification:
            return Message(zh: "\(subjectLabel):已过计划完成日期仍未完成整改,请责任人尽快落实并登记完成情况",
                           en: "\(subjectLabel): the due day passed and the measure is not done; owner, carry it out and record it")
        case .notice:
            return Message(zh: "公告 \(subjectLabel) 已过期或撤回,次日结束仍未从公告栏揭下,已通知\(who.zhHans):请揭下并在公告栏工作中确认",
                           en: "Notice \(subjectLabel): expired or withdrawn and still on the board at the end of the next day; \(who.en) alerted — take it down and confirm it")
        default:
            return Message(zh: "\(subjectLabel) 整改期限已到仍未整改,已通知\(who.zhHans):请制止施工或书面上报",
                           en: "\(subjectLabel): the deadline passed and it is not corrected; \(who.en) alerted — stop the works or report it")
        }
    }

    /// What the alert says, in both languages.
    public var message: Message {
        switch kind {
        case .overdue:
            let step = clockKind?.title ?? Message(zh: "", en: "")
            return Message(zh: "工单 \(subjectLabel) \(step.zhHans)超时,已通知\(level.title.zhHans)",
                           en: "Order \(subjectLabel): \(step.en.lowercased()) is overdue; \(level.title.en) alerted")
        case .callback:
            // The wait before this alert is the contract's (`callbackAfter`, S4 4.9 says 20 minutes).
            return Message(zh: "工单 \(subjectLabel) 派工后在约定时间内仍无人到场:请致电业户解释原因并约定时间",
                           en: "Order \(subjectLabel): nobody on site within the agreed time after dispatch — call the resident, explain and agree a time")
        case .dissatisfied:
            return Message(zh: "工单 \(subjectLabel) 业户不满意,已重新处理或转为投诉", en: "Order \(subjectLabel): the resident is dissatisfied; reopened or turned into a complaint")
        case .complaint:
            return Message(zh: "新投诉 \(subjectLabel) 待处理", en: "New complaint \(subjectLabel) needs its owner")
        case .dutyMissed:
            return Message(zh: "规范条款 \(subjectLabel) 本期未达标,已通知\(level.title.zhHans):请查看规范符合度并整改",
                           en: "Standard clause \(subjectLabel) was missed this period; \(level.title.en) alerted — see the standards scorecard and correct it")
        case .deadlinePassed:
            return deadlineMessage
        case .meterOverThreshold:
            return Message(zh: "托管房 \(subjectLabel) 本月用水或用电超过托管限额,已通知\(level.title.zhHans):请安排人员入户查看并通知业主",
                           en: "Unit in custody \(subjectLabel) used more water or electricity this month than agreed; \(level.title.en) alerted — check inside and tell the owner")
        }
    }
}
