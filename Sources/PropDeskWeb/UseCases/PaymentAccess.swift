import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may see and take money (FEE-1, FEE-2, SEC-2): staff with `readFees` see the accounts of
/// the units they reach; the front desk and finance (`collectFees`) take payments and deposits;
/// finance (`manageFees`) voids, refunds and forfeits. A resident sees their own units'
/// accounts and receipts, read only. Engineers see no money. Anything outside the caller's
/// scope is "not found". The one path for the API and the pages.
enum PaymentAccess {
    /// A unit whose account the caller may see (`.readFees`; a resident: only their own) or act on.
    static func unit(_ raw: String, _ permission: Permission, _ req: Request) async throws -> UnitDetail {
        let p = try req.requirePrincipal()
        if p.role == .resident {
            guard permission == .readFees, let id = UUID(uuidString: raw), p.unitIDs.contains(id),
                  let d = try await req.store.registry.unit(id) else { throw DomainError.notFound(Noun.unit) }
            return d
        }
        return try await Scoped.unit(raw, permission, req)
    }

    /// A receipt the caller may see (and with `permission` act on); a resident: of their own units.
    static func receipt(_ raw: String, _ permission: Permission, _ req: Request) async throws -> Receipt {
        let p = try req.requirePrincipal()
        if p.role == .resident {
            guard permission == .readFees, let id = UUID(uuidString: raw), let r = try await req.store.fees.receipt(id),
                  p.unitIDs.contains(r.unitID) else { throw DomainError.notFound(Noun.receipt) }
            return r
        }
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let r = try await req.store.fees.receipt(id),
              policy.canSee(community: r.communityID, area: r.areaID) else { throw DomainError.notFound(Noun.receipt) }
        return r
    }

    /// A deposit the staff caller may see (and with `permission` act on).
    static func deposit(_ raw: String, _ permission: Permission, _ req: Request) async throws -> Deposit {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), let d = try await req.store.fees.deposit(id),
              policy.canSee(community: d.communityID, area: d.areaID) else { throw DomainError.notFound(Noun.deposit) }
        return d
    }

    /// Whose day the caller may look at or close: their own with `collectFees`; anyone's with `manageFees`.
    static func cashierName(_ asked: String?, _ req: Request) throws -> String? {
        let (_, policy) = try req.requireStaff()
        let asked = asked?.trimmingCharacters(in: .whitespaces)
        if policy.has(.manageFees) { return (asked?.isEmpty ?? true) ? nil : asked }
        try policy.requireRole(.collectFees)
        return req.actor.name
    }
}
