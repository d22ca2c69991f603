import Fluent
import FluentSQL
import Foundation
import PropDeskCore
import SQLKit

/// Fees and arrears (FEE-1 … FEE-5, INT-17). The store is split by concern into extensions:
/// `FeeStore+Billing` (the schedule, billing runs, bills, credit notes, opening balances),
/// `FeeStore+Payments` (receipts, payments, voids, deposits, the daily close) and
/// `FeeStore+Arrears` (arrears, lists, reminders, the collection rate).
public struct FeeStore: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { db as! any SQLDatabase }

    public init(db: any Database, now: @escaping @Sendable () -> Date) {
        self.db = db
        self.now = now
    }

    /// The community, or "not found".
    func community(_ id: UUID, on db: (any Database)? = nil) async throws -> CommunityModel {
        guard let c = try await CommunityModel.find(id, on: db ?? self.db) else { throw DomainError.notFound(Noun.community) }
        return c
    }

    /// The unit, or "not found" when it does not exist or belongs to another community.
    func unit(_ id: UUID, community: UUID, on db: (any Database)? = nil) async throws -> UnitModel {
        guard let u = try await UnitModel.find(id, on: db ?? self.db), u.communityID == community else { throw DomainError.notFound(Noun.unit) }
        return u
    }

    /// "yyyy-MM-dd" of an instant in the community's time zone.
    static func day(_ at: Date, timeZone: String) -> String { WorkingDays(ServiceHours(timeZone: timeZone)).dayKey(at) }

    /// "yyyy-MM" of an instant in the community's time zone.
    static func month(_ at: Date, timeZone: String) -> String { String(day(at, timeZone: timeZone).prefix(7)) }
}
