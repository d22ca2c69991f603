import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Payments, receipts, daily closes and deposits over JSON (FEE-1, FEE-2): the same access
/// checks (`PaymentAccess`) and store as the pages. Money in fen.
extension APIHandler {
    static func receipt(_ r: Receipt) throws -> Components.Schemas.Receipt {
        .init(id: r.id.uuidString, communityId: r.communityID.uuidString, unitId: r.unitID.uuidString, areaId: r.areaID?.uuidString, year: r.year,
              number: r.number, printedNumber: r.printedNumber, kind: try convert(r.kind), amount: r.amountFen, method: try convert(r.method),
              reference: r.reference, payer: r.payer, cashierName: r.cashierName, issuedAt: r.issuedAt, day: r.day, depositId: r.depositID?.uuidString,
              voided: r.voided, voidedAt: r.voidedAt, voidedByName: r.voidedByName, voidReason: r.voidReason, closeId: r.closeID?.uuidString)
    }

    static func receiptDetails(_ r: Receipt, _ req: Request) async throws -> Components.Schemas.ReceiptDetails {
        let lines = try await req.store.fees.allocations(receipt: r.id)
        return .init(receipt: try receipt(r), allocations: lines.map { .init(billId: $0.bill.id.uuidString, period: $0.bill.period, itemName: $0.bill.itemName, amount: $0.fen) })
    }

    static func dailyClose(_ c: FeeStore.DailyClose) throws -> Components.Schemas.DailyClose {
        .init(id: c.id.uuidString, cashierName: c.cashierName, day: c.day, receipts: c.receipts, voided: c.voided, total: c.totalFen,
              byMethod: try PaymentMethod.allCases.compactMap { m in try c.byMethod[m.rawValue].map { .init(method: try convert(m), amount: $0) } },
              expectedCash: c.expectedCashFen, countedCash: c.countedCashFen, difference: c.differenceFen, note: c.note, closedAt: c.closedAt,
              closedByName: c.closedByName)
    }

    static func deposit(_ d: Deposit) throws -> Components.Schemas.Deposit {
        .init(id: d.id.uuidString, unitId: d.unitID.uuidString, kind: try convert(d.kind), amount: d.amountFen, status: try convert(d.status),
              renovationId: d.renovationID?.uuidString, payer: d.payer, receivedAt: d.receivedAt, receivedByName: d.receivedByName,
              settledAt: d.settledAt, settledByName: d.settledByName, settleReason: d.settleReason)
    }

    func takePayment(_ input: Operations.TakePayment.Input) async throws -> Operations.TakePayment.Output {
        let req = try RequestContext.current
        let unit = try await PaymentAccess.unit(input.path.unitId, .collectFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let bills = try (b.billIds ?? []).map { try Parse.uuid($0, field: "billIds") }
        let r = try await req.store.fees.pay(FeeStore.Payment(
            unitID: unit.unit.id, amountFen: b.amount, method: try convert(b.method), reference: b.reference ?? "", payer: b.payer ?? "",
            billIDs: bills.isEmpty ? nil : bills, formID: try Parse.uuid(b.formId, field: "formId")), community: unit.unit.communityID, by: req.actor)
        return .created(.init(body: .json(try await Self.receiptDetails(r, req))))
    }

    func listUnitReceipts(_ input: Operations.ListUnitReceipts.Input) async throws -> Operations.ListUnitReceipts.Output {
        let req = try RequestContext.current
        let unit = try await PaymentAccess.unit(input.path.unitId, .readFees, req)
        return .ok(.init(body: .json(try await req.store.fees.receipts(unit: unit.unit.id, community: unit.unit.communityID).map(Self.receipt))))
    }

    func getReceipt(_ input: Operations.GetReceipt.Input) async throws -> Operations.GetReceipt.Output {
        let req = try RequestContext.current
        let r = try await PaymentAccess.receipt(input.path.receiptId, .readFees, req)
        return .ok(.init(body: .json(try await Self.receiptDetails(r, req))))
    }

    func voidReceipt(_ input: Operations.VoidReceipt.Input) async throws -> Operations.VoidReceipt.Output {
        let req = try RequestContext.current
        let r = try await PaymentAccess.receipt(input.path.receiptId, .manageFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let v = try await req.store.fees.void(receipt: r.id, reason: b.reason, by: req.actor)
        return .ok(.init(body: .json(try await Self.receiptDetails(v, req))))
    }

    func listDailyCloses(_ input: Operations.ListDailyCloses.Input) async throws -> Operations.ListDailyCloses.Output {
        let req = try RequestContext.current
        let (cid, _) = try Scoped.community(input.path.communityId, .collectFees, req)
        let cashier = try PaymentAccess.cashierName(nil, req)
        let closes = try await req.store.fees.closes(community: cid, day: input.query.day).filter { cashier == nil || $0.cashierName == cashier }
        return .ok(.init(body: .json(try closes.map(Self.dailyClose))))
    }

    func closeDay(_ input: Operations.CloseDay.Input) async throws -> Operations.CloseDay.Output {
        let req = try RequestContext.current
        let (cid, _) = try Scoped.community(input.path.communityId, .collectFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let cashier = try PaymentAccess.cashierName(b.cashierName, req) ?? req.actor.name
        let c = try await req.store.fees.closeDay(community: cid, cashierName: cashier, day: b.day, countedCashFen: b.countedCash, note: b.note ?? "", by: req.actor)
        return .created(.init(body: .json(try Self.dailyClose(c))))
    }

    func listUnitDeposits(_ input: Operations.ListUnitDeposits.Input) async throws -> Operations.ListUnitDeposits.Output {
        let req = try RequestContext.current
        let unit = try await PaymentAccess.unit(input.path.unitId, .readFees, req)
        guard try req.requirePrincipal().role.isStaff else { throw DomainError.forbidden }
        return .ok(.init(body: .json(try await req.store.fees.deposits(unit: unit.unit.id, community: unit.unit.communityID).map(Self.deposit))))
    }

    func receiveDeposit(_ input: Operations.ReceiveDeposit.Input) async throws -> Operations.ReceiveDeposit.Output {
        let req = try RequestContext.current
        let unit = try await PaymentAccess.unit(input.path.unitId, .collectFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let (d, r) = try await req.store.fees.receiveDeposit(
            community: unit.unit.communityID, unit: unit.unit.id, kind: try convert(b.kind), amountFen: b.amount, method: try convert(b.method),
            reference: b.reference ?? "", payer: b.payer, renovationID: try b.renovationId.map { try Parse.uuid($0, field: "renovationId") },
            formID: try Parse.uuid(b.formId, field: "formId"), by: req.actor)
        return .created(.init(body: .json(.init(deposit: try Self.deposit(d), receipt: try Self.receipt(r)))))
    }

    func refundDeposit(_ input: Operations.RefundDeposit.Input) async throws -> Operations.RefundDeposit.Output {
        let req = try RequestContext.current
        let d = try await PaymentAccess.deposit(input.path.depositId, .manageFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let method: PaymentMethod = try b.method.map { try convert($0) } ?? .cash
        let (after, r) = try await req.store.fees.refundDeposit(d.id, reason: b.reason, method: method, reference: b.reference ?? "", by: req.actor)
        return .ok(.init(body: .json(.init(deposit: try Self.deposit(after), receipt: try Self.receipt(r)))))
    }

    func forfeitDeposit(_ input: Operations.ForfeitDeposit.Input) async throws -> Operations.ForfeitDeposit.Output {
        let req = try RequestContext.current
        let d = try await PaymentAccess.deposit(input.path.depositId, .manageFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let (after, r) = try await req.store.fees.forfeitDeposit(d.id, reason: b.reason, by: req.actor)
        return .ok(.init(body: .json(.init(deposit: try Self.deposit(after), receipt: try Self.receipt(r)))))
    }
}
