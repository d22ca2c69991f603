import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and handle money (FEE-1 … FEE-5, SEC-2): finance, the head, the CS manager, the
/// front desk and area supervisors read fees — a supervisor only for the units of their areas;
/// engineers see no money at all. A record outside the caller's reach is "not found". The one
/// path for the API and the pages.
enum FeeAccess {
    /// The community and, for an area-limited caller, the areas they may see.
    static func community(_ raw: String, _ permission: Permission, _ req: Request) throws -> (UUID, Set<UUID>?) {
        try Scoped.community(raw, permission, req)
    }

    /// The whole community, for the work only finance does on all of it (billing runs, the schedule, imports).
    static func wholeCommunity(_ raw: String, _ permission: Permission, _ req: Request) throws -> UUID {
        try Scoped.community(raw, permission, req, wholeCommunity: true).0
    }

    /// A unit the caller may reach with `permission`.
    static func unit(_ raw: String, _ permission: Permission, _ req: Request) async throws -> UnitDetail {
        try await Scoped.unit(raw, permission, req)
    }

    /// A bill the caller may see, and with `permission` act on.
    static func bill(_ raw: String, _ permission: Permission, _ req: Request) async throws -> Bill {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let b = try await req.store.fees.bill(id),
              policy.canSee(community: b.communityID, area: b.areaID) else { throw DomainError.notFound(Noun.bill) }
        return b
    }

    /// A fee item of a community finance manages.
    static func item(_ raw: String, _ req: Request) async throws -> FeeItem {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.manageFees)
        guard let id = UUID(uuidString: raw), let i = try await req.store.fees.item(id), policy.reach(i.communityID) == .whole else {
            throw DomainError.notFound(Noun.feeItem)
        }
        return i
    }

    /// Opening balances from an XLSX workbook or a CSV (UTF-8 or GBK, named or sniffed), all or nothing.
    static func importOpeningBalances(_ bytes: [UInt8], encoding name: String?, community: UUID, _ req: Request) async throws -> OpeningBalanceReport {
        let encoding = try name.flatMap { $0.isEmpty ? nil : $0 }.map { n in
            try TextEncoding(name: n) ?? { throw DomainError.invalid(field: "encoding", Message(zh: "不支持的编码 \(n)", en: "Unsupported encoding \(n)")) }()
        }
        let plan = try OpeningBalanceImport.plan(rows: try ImportFile.rows(bytes, encoding: encoding))
        return try await req.store.fees.importOpeningBalances(plan, community: community, by: req.actor)
    }
}
