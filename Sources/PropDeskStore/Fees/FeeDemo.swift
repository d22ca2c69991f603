import Fluent
import Foundation
import PropDeskCore

/// The demo's fees (FEE-1 … FEE-5, S2 4.5): a year of bills and payments (`FeeHistory`), then the
/// story's days played through the stores as the center works — finance prepares each area's
/// arrears list in the first days of the month and the supervisors receive it (one area received
/// last month's list only on the 12th: a miss of S2 4.5.1); each supervisor submits the long-term
/// report to the CS manager; the supervisors call long-term households every week and knock on their
/// doors twice a month, but not always (shortfalls of S2 4.5.4); a household a few months behind
/// pays at the desk after a call; one payment is voided (wrong method) and taken again; deposits
/// are received, one refunded and one forfeited; a bill is credited; each cashier closes the day
/// (one evening ¥50 short).
enum FeeDemo {
    typealias Act = FrontDeskDemo.Act

    struct Cast: Sendable {
        let community: UUID
        let desks: [Actor]
        let finance: Actor
        let manager: Actor
        /// Each area with its supervisor.
        let areas: [(area: UUID, supervisor: Actor)]
        /// Units with someone living there (the door visits and the deposits).
        let lived: Set<UUID>
    }

    static func at(_ start: Date, day d: Int, hour: Double) -> Date { SupervisionDemo.at(start, day: d, hour: hour) }

    /// The acts of one community over the `days` days before `end`.
    static func plan(_ cast: Cast, start: Date, end: Date, days: Int, rng: inout SeededRandom) -> [(Date, Act)] {
        guard !cast.desks.isEmpty, !cast.areas.isEmpty, days > 0 else { return [] }
        var out: [(Date, Act)] = []
        let cid = cast.community
        // Lists, reports, calls and visits over the whole story; the desk's acts in its last weeks.
        let first = 0
        let tz = FrontDeskDemo.zone
        let lateArea = cast.areas[0].area

        for d in first...days {
            let morning = at(start, day: d, hour: 9)
            guard morning < end else { break }
            let dayOfMonth = Int(FeeStore.day(morning, timeZone: tz).suffix(2)) ?? 1
            let month = FeeStore.month(morning, timeZone: tz)
            // S2 4.5.1: finance prepares the month's lists on the 3rd; the supervisors take them the next days.
            if dayOfMonth == 3 {
                for (area, supervisor) in cast.areas {
                    out.append((at(start, day: d, hour: 10), Act { s in
                        let list = try await s.fees.prepareList(community: cid, area: area, month: month, kind: .list, by: cast.finance)
                        _ = list
                    }))
                    let late = area == lateArea && FeeMonth.distance(from: month, to: FeeStore.month(end, timeZone: tz)) == 1
                    let receiveDay = d + (late ? 9 : Int.random(in: 1...3, using: &rng))
                    out.append((at(start, day: receiveDay, hour: 9.5), Act { s in
                        guard let list = try await s.fees.lists(community: cid, areas: [area], month: month, kind: .list).first else { return }
                        _ = try await s.fees.receiveList(list.id, by: supervisor)
                    }))
                    // S2 4.5.3: the long-term report, checked with finance, to the CS manager.
                    out.append((at(start, day: d + Int.random(in: 4...8, using: &rng), hour: 16), Act { s in
                        let report = try await s.fees.prepareList(community: cid, area: area, month: month, kind: .longTerm, by: supervisor)
                        _ = try await s.fees.receiveList(report.id, by: cast.manager)
                    }))
                }
            }
            // S2 4.5.4: a call to every long-term household each week (Tuesdays) and two door visits a
            // month (the 8th, with a second try the next evening where nobody was home, and the 22nd).
            // The second area's supervisor forgets one week's calls a month, the third area's the
            // second visit: their shortfalls show on the scorecard.
            let weekday = Calendar(identifier: .gregorian).component(.weekday, from: morning)
            for (k, (area, supervisor)) in cast.areas.enumerated() {
                let skipCalls = k == 1 && (dayOfMonth - 1) / 7 == 2
                if weekday == 3, !skipCalls {
                    out.append((at(start, day: d, hour: 14 + Double(k) * 0.3), Act { s in
                        for (n, a) in try await s.fees.arrears(community: cid, area: area).filter(\.isLongTerm).enumerated() {
                            let outcome: ReminderOutcome = n % 4 == 0 ? .noAnswer : (n % 4 == 1 ? .refused : .promised)
                            _ = try await s.fees.remind(community: cid, unit: a.unitID, kind: .phone, outcome: outcome,
                                                        note: outcome == .promised ? "业主表示月底前缴清" : "", formID: nil, by: supervisor)
                        }
                    }))
                }
                let visitDay = dayOfMonth == 8 || dayOfMonth == 9 || (dayOfMonth == 22 && k != 2)
                if visitDay {
                    out.append((at(start, day: d, hour: 19), Act { s in
                        let since = s.now().addingTimeInterval(-36 * 3600)
                        for (n, a) in try await s.fees.arrears(community: cid, area: area).filter(\.isLongTerm).enumerated() where cast.lived.contains(a.unitID) {
                            if dayOfMonth == 9 {
                                // The second try, only where nobody opened yesterday.
                                let tried = try await s.fees.reminders(unit: a.unitID, community: cid).first { $0.kind == .visit && $0.at >= since }
                                guard tried?.outcome == .nobodyHome else { continue }
                            }
                            let away = dayOfMonth == 8 && n % 3 == 0
                            _ = try await s.fees.remind(community: cid, unit: a.unitID, kind: .visit, outcome: away ? .nobodyHome : .promised,
                                                        note: away ? "晚七点上门无人应答,门缝留催缴函" : "已当面送达催缴函,业主承诺分期缴纳",
                                                        formID: nil, by: supervisor)
                        }
                    }))
                }
            }
        }

        let desk = cast.desks[0]
        // A household a few months behind pays at the desk after the supervisor's call; then a
        // payment typed with the wrong method is voided and taken again.
        out.append((at(start, day: max(0, days - 6), hour: 10.5), Act { s in
            guard let a = try await s.fees.arrears(community: cid, area: cast.areas[0].area).first(where: { !$0.isLongTerm && $0.months >= 2 }) else { return }
            _ = try await s.fees.remind(community: cid, unit: a.unitID, kind: .phone, outcome: .promised, note: "业主答应明天到前台缴费", formID: nil,
                                        by: cast.areas[0].supervisor)
        }))
        out.append((at(start, day: max(0, days - 5), hour: 10.5), Act { s in
            guard let a = try await s.fees.arrears(community: cid, area: cast.areas[0].area).first(where: { !$0.isLongTerm && $0.months >= 2 }) else { return }
            let wrong = try await s.fees.pay(.init(unitID: a.unitID, amountFen: a.outstandingFen, method: .cash, reference: "", payer: "业主本人",
                                                    billIDs: nil, formID: nil), community: cid, by: desk)
            _ = try await s.fees.void(receipt: wrong.id, reason: "收款方式录错:业主实际用微信支付", by: cast.finance)
            _ = try await s.fees.pay(.init(unitID: a.unitID, amountFen: a.outstandingFen, method: .wechat, reference: "WX420026112\(Int.random(in: 10000...99999))",
                                           payer: "业主本人", billIDs: nil, formID: nil), community: cid, by: desk)
        }))
        // Deposits (FEE-2, S4 篇3 (3)).
        let movers = Array(cast.lived.sorted { $0.uuidString < $1.uuidString }.prefix(3))
        for (n, unit) in movers.enumerated() {
            let kind: DepositKind = n == 1 ? .utilities : .moving
            let amount = kind == .moving ? 100_000 : 50_000
            out.append((at(start, day: max(first, days - 20 + n * 3), hour: 11), Act { s in
                _ = try await s.fees.receiveDeposit(community: cid, unit: unit, kind: kind, amountFen: amount, method: .wechat,
                                                    reference: "WX4200261101\(n)", payer: "业主", renovationID: nil, formID: nil, by: desk)
            }))
        }
        if movers.count >= 2 {
            out.append((at(start, day: max(0, days - 10), hour: 15), Act { s in
                guard let d = try await s.fees.deposits(unit: movers[0], community: cid).first(where: { $0.status == .held }) else { return }
                _ = try await s.fees.refundDeposit(d.id, reason: "搬迁完毕,公共设施检查无损坏,凭押金收据退款", by: cast.finance)
            }))
            out.append((at(start, day: max(0, days - 4), hour: 15), Act { s in
                guard let d = try await s.fees.deposits(unit: movers[1], community: cid).first(where: { $0.status == .held }) else { return }
                _ = try await s.fees.refundDeposit(d.id, reason: "已办理供电局、自来水公司托收,凭押金收据退款", by: cast.finance)
            }))
        }
        if movers.count >= 3 {
            out.append((at(start, day: max(0, days - 2), hour: 16), Act { s in
                guard let d = try await s.fees.deposits(unit: movers[2], community: cid).first(where: { $0.status == .held }) else { return }
                _ = try await s.fees.forfeitDeposit(d.id, reason: "搬运时撞坏电梯轿厢壁板,押金抵扣维修费(维修单已附)", by: cast.finance)
            }))
        }
        // A credit note: a vacant flat's fee reduced as the service contract allows.
        out.append((at(start, day: max(0, days - 8), hour: 11), Act { s in
            guard let a = try await s.fees.arrears(community: cid, area: cast.areas.last!.area).first,
                  let bill = try await s.fees.bills(unit: a.unitID, community: cid).first(where: { $0.outstandingFen > 100 }) else { return }
            _ = try await s.fees.creditNote(bill: bill.id, amountFen: bill.outstandingFen * 3 / 10, reason: "空置房按前期物业服务合同第五条减收 30%",
                                            formID: nil, by: cast.finance)
        }))
        // The daily close of each cashier for the last week (one evening ¥50 short).
        for d in max(first, days - 7)..<days {
            for (k, cashier) in cast.desks.enumerated() {
                out.append((at(start, day: d, hour: 20.5 + Double(k) * 0.1), Act { s in
                    let day = FeeStore.day(s.now(), timeZone: tz)
                    let receipts = try await s.fees.receipts(community: cid, day: day, cashierName: cashier.name)
                    guard !receipts.isEmpty else { return }
                    let cash = receipts.filter { !$0.voided && $0.method == .cash }.reduce(0) { $0 + $1.amountFen * $1.kind.sign }
                    let short = d == days - 3 && k == 0
                    _ = try await s.fees.closeDay(community: cid, cashierName: cashier.name, day: day, countedCashFen: max(0, cash - (short ? 5000 : 0)),
                                                  note: short ? "现金短款 ¥50,原因待查(疑找零差错)" : "", by: cashier)
                }))
            }
        }
        return out
    }
}
