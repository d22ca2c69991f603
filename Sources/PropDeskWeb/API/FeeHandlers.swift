import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

/// Billing over JSON (FEE-1, FEE-5): fee items, billing runs and their preview, bills, credit
/// notes and opening balances — the same use cases and store as the pages. Money in fen.
extension APIHandler {
    static func feeItem(_ i: FeeItem) throws -> Components.Schemas.FeeItem {
        .init(id: i.id.uuidString, communityId: i.communityID.uuidString, code: i.code, name: i.name, basis: try convert(i.basis),
              unitKind: try i.unitKind.map { try convert($0) }, rate: i.rateFen, legalBasis: i.legalBasis, custodyDiscount: i.custodyDiscount,
              fromMonth: i.fromMonth, untilMonth: i.untilMonth, active: i.active)
    }

    static func bill(_ b: Bill, notes: [FeeStore.CreditNote]?) throws -> Components.Schemas.Bill {
        .init(id: b.id.uuidString, communityId: b.communityID.uuidString, areaId: b.areaID?.uuidString, unitId: b.unitID.uuidString,
              itemId: b.itemID?.uuidString, itemName: b.itemName, period: b.period, origin: try convert(b.origin), amount: b.amountFen,
              credited: b.creditedFen, paid: b.paidFen, outstanding: b.outstandingFen, note: b.note, createdAt: b.createdAt,
              creditNotes: notes?.map { .init(id: $0.id.uuidString, amount: $0.amountFen, reason: $0.reason, createdAt: $0.createdAt, byName: $0.byName) })
    }

    static func billingRun(_ r: FeeStore.BillingRun) -> Components.Schemas.BillingRun {
        .init(id: r.id.uuidString, period: r.period, billsCreated: r.billsCreated, total: r.totalFen, createdAt: r.createdAt, byName: r.byName)
    }

    static func feeItem(_ b: Components.Schemas.NewFeeItem, id: UUID, community: UUID, createdAt: Date) throws -> FeeItem {
        FeeItem(id: id, communityID: community, code: b.code, name: b.name, basis: try convert(b.basis), unitKind: try b.unitKind.map { try convert($0) },
                rateFen: b.rate, legalBasis: b.legalBasis, custodyDiscount: b.custodyDiscount ?? true, fromMonth: b.fromMonth, untilMonth: b.untilMonth,
                active: b.active ?? true, createdAt: createdAt)
    }

    func listFeeItems(_ input: Operations.ListFeeItems.Input) async throws -> Operations.ListFeeItems.Output {
        let req = try RequestContext.current
        let (community, _) = try FeeAccess.community(input.path.communityId, .readFees, req)
        return .ok(.init(body: .json(try await req.store.fees.items(community: community).map(Self.feeItem))))
    }

    func createFeeItem(_ input: Operations.CreateFeeItem.Input) async throws -> Operations.CreateFeeItem.Output {
        let req = try RequestContext.current
        let community = try FeeAccess.wholeCommunity(input.path.communityId, .manageFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let id = try Parse.uuid(b.itemId, field: "itemId")
        if let existing = try await req.store.fees.item(id), existing.communityID != community { throw DomainError.notFound(Noun.feeItem) }
        let item = try Self.feeItem(b, id: id, community: community, createdAt: req.application.propdesk.now())
        return .created(.init(body: .json(try Self.feeItem(try await req.store.fees.saveItem(item, by: req.actor)))))
    }

    func updateFeeItem(_ input: Operations.UpdateFeeItem.Input) async throws -> Operations.UpdateFeeItem.Output {
        let req = try RequestContext.current
        let existing = try await FeeAccess.item(input.path.itemId, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        let item = try Self.feeItem(b, id: existing.id, community: existing.communityID, createdAt: existing.createdAt)
        return .ok(.init(body: .json(try Self.feeItem(try await req.store.fees.saveItem(item, by: req.actor)))))
    }

    func listBillingRuns(_ input: Operations.ListBillingRuns.Input) async throws -> Operations.ListBillingRuns.Output {
        let req = try RequestContext.current
        let community = try FeeAccess.wholeCommunity(input.path.communityId, .manageFees, req)
        return .ok(.init(body: .json(try await req.store.fees.runs(community: community).map(Self.billingRun))))
    }

    func runBilling(_ input: Operations.RunBilling.Input) async throws -> Operations.RunBilling.Output {
        let req = try RequestContext.current
        let community = try FeeAccess.wholeCommunity(input.path.communityId, .manageFees, req)
        guard case .json(let b) = input.body else { throw DomainError.forbidden }
        return .created(.init(body: .json(Self.billingRun(try await req.store.fees.runBilling(community: community, period: b.period, by: req.actor)))))
    }

    func previewBilling(_ input: Operations.PreviewBilling.Input) async throws -> Operations.PreviewBilling.Output {
        let req = try RequestContext.current
        let community = try FeeAccess.wholeCommunity(input.path.communityId, .manageFees, req)
        let p = try await req.store.fees.preview(community: community, period: input.query.period)
        return .ok(.init(body: .json(.init(period: p.period, units: p.units, bills: p.bills, total: p.totalFen, alreadyBilled: p.alreadyBilled,
            lines: p.lines.map { .init(itemId: $0.item.id.uuidString, code: $0.item.code, name: $0.item.name, bills: $0.bills, total: $0.fen) }))))
    }

    func importOpeningBalances(_ input: Operations.ImportOpeningBalances.Input) async throws -> Operations.ImportOpeningBalances.Output {
        let req = try RequestContext.current
        let community = try FeeAccess.wholeCommunity(input.path.communityId, .manageFees, req)
        // CSV or an XLSX workbook: ImportFile tells them apart by the bytes, whatever the type says.
        let body: HTTPBody
        switch input.body {
        case .csv(let b), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let b): body = b
        }
        let bytes = try await [UInt8](collecting: body, upTo: 32 * 1024 * 1024)
        let r = try await FeeAccess.importOpeningBalances(bytes, encoding: input.query.encoding, community: community, req)
        return .ok(.init(body: .json(.init(lines: r.lines, billsCreated: r.billsCreated, billsExisting: r.billsExisting, total: r.totalFen))))
    }

    func listUnitBills(_ input: Operations.ListUnitBills.Input) async throws -> Operations.ListUnitBills.Output {
        let req = try RequestContext.current
        let unit = try await FeeAccess.unit(input.path.unitId, .readFees, req)
        return .ok(.init(body: .json(try await req.store.fees.bills(unit: unit.unit.id, community: unit.unit.communityID).map { try Self.bill($0, notes: nil) })))
    }

    func getBill(_ input: Operations.GetBill.Input) async throws -> Operations.GetBill.Output {
        let req = try RequestContext.current
        let b = try await FeeAccess.bill(input.path.billId, .readFees, req)
        return .ok(.init(body: .json(try Self.bill(b, notes: try await req.store.fees.creditNotes(bill: b.id)))))
    }

    func createCreditNote(_ input: Operations.CreateCreditNote.Input) async throws -> Operations.CreateCreditNote.Output {
        let req = try RequestContext.current
        let b = try await FeeAccess.bill(input.path.billId, .manageFees, req)
        guard case .json(let body) = input.body else { throw DomainError.forbidden }
        let after = try await req.store.fees.creditNote(bill: b.id, amountFen: body.amount, reason: body.reason,
                                                        formID: try Parse.uuid(body.formId, field: "formId"), by: req.actor)
        return .created(.init(body: .json(try Self.bill(after, notes: try await req.store.fees.creditNotes(bill: b.id)))))
    }
}
