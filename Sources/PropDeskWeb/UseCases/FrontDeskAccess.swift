import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Who may do what at the front desk (FD-3 … FD-7), the one path the pages and the API share:
/// the desk's registers are the whole community's (an area-limited caller has none of them);
/// a record of a community the caller cannot reach is "not found".
enum FrontDeskAccess {
    /// The community of a desk register, for a caller with `permission` over all of it.
    static func community(_ raw: String, _ permission: Permission, _ req: Request) throws -> UUID {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        guard let id = UUID(uuidString: raw), policy.reach(id) == .whole else { throw DomainError.notFound(Noun.community) }
        return id
    }

    private static func whole(_ community: UUID, _ permission: Permission, _ req: Request) throws -> Bool {
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(permission)
        return policy.reach(community) == .whole
    }

    // MARK: Duty log (FD-3) and handover (FD-4)

    static func day(_ raw: String, _ req: Request) async throws -> DutyLogDay {
        guard let id = UUID(uuidString: raw), let day = try await req.store.dutyLog.day(id), try whole(day.communityID, .keepDutyLog, req) else {
            throw DomainError.notFound(Noun.dutyLog)
        }
        return day
    }

    /// The CS manager (or the head) signs a day's log once the day is over (S4 4.8).
    static func sign(_ raw: String, note: String, _ req: Request) async throws -> DutyLogDay {
        guard let id = UUID(uuidString: raw), let day = try await req.store.dutyLog.day(id), try whole(day.communityID, .keepDutyLog, req) else {
            throw DomainError.notFound(Noun.dutyLog)
        }
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.superviseAreas)
        return try await req.store.dutyLog.sign(day.id, note: note, by: req.actor)
    }

    static func handover(_ raw: String, _ req: Request) async throws -> ShiftHandover {
        guard let id = UUID(uuidString: raw), let h = try await req.store.dutyLog.handover(id), try whole(h.communityID, .keepDutyLog, req) else {
            throw DomainError.notFound(Noun.handover)
        }
        return h
    }

    // MARK: Visitors (FD-7) and passes (FD-6)

    static func visitor(_ raw: String, _ req: Request) async throws -> Visitor {
        guard let id = UUID(uuidString: raw), let v = try await req.store.visitors.visitor(id), try whole(v.communityID, .keepDutyLog, req) else {
            throw DomainError.notFound(Noun.visitor)
        }
        return v
    }

    /// A visitor's whole ID number, for a caller who may reveal ID numbers; the store audits it.
    static func revealVisitorID(_ raw: String, _ req: Request) async throws -> String {
        let v = try await visitor(raw, req)
        let (_, policy) = try req.requireStaff()
        try policy.requireRole(.revealIDNumber)
        return try await req.store.visitors.reveal(v.id, community: v.communityID, by: req.actor)
    }

    static func pass(_ raw: String, _ req: Request) async throws -> UnitPass {
        guard let id = UUID(uuidString: raw), let p = try await req.store.passes.pass(id), try whole(p.communityID, .keepDutyLog, req) else {
            throw DomainError.notFound(Noun.pass)
        }
        return p
    }
}
