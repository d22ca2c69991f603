import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Every query of business data names its community (RUN-5: on a distributed PostgreSQL that is
/// what sends it to one node). A query that also names a narrower key with an index of its own —
/// a unit, an engineer, an incident — must still be read by that key's index. PostgreSQL plans
/// from its statistics and does so. SQLite keeps none: told the community too, it took the
/// community's list index and walked it (10,000 orders at a million for a unit's dozen). Written
/// `+community_id`, the condition stays but cannot choose an index.
extension Database {
    /// The community column, as a query beside a narrower key writes it.
    var communityBesideANarrowerKey: String { isPostgres ? "community_id" : "+community_id" }
}

extension SQLPredicateBuilder {
    /// `community_id = community`, kept off the community's indexes on SQLite (see above).
    @discardableResult
    func whereCommunity(_ community: UUID, besideANarrowerKeyOn db: any Database) -> Self {
        self.where(SQLRaw(db.communityBesideANarrowerKey), .equal, SQLBind(community))
    }

    /// `community_id IN communities`, the same way.
    @discardableResult
    func whereCommunities(_ communities: some Collection<UUID>, besideANarrowerKeyOn db: any Database) -> Self {
        self.where(SQLRaw(db.communityBesideANarrowerKey), .in, SQLBind.group(Array(communities)))
    }
}

extension QueryBuilder {
    /// `community_id = community` for a Fluent query that names a narrower key (see above).
    @discardableResult
    func filterCommunityBesideANarrowerKey(_ community: UUID) -> Self {
        filter(.sql(SQLBinaryExpression(SQLRaw(database.communityBesideANarrowerKey), .equal, SQLBind(community))))
    }

    /// `community_id IN communities`, the same way.
    @discardableResult
    func filterCommunitiesBesideANarrowerKey(_ communities: some Collection<UUID>) -> Self {
        filter(.sql(SQLBinaryExpression(SQLRaw(database.communityBesideANarrowerKey), .in, SQLBind.group(Array(communities)))))
    }
}
