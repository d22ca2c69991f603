import Fluent
import Foundation
import PropDeskCore

final class NoticeModel: Model, @unchecked Sendable {
    static let schema = "notices"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    /// JSON list of building ids; empty: the whole community (or area).
    @Field(key: "building_ids") var buildingIDs: String
    @OptionalField(key: "area_id") var areaID: UUID?
    /// JSON list of the areas the notice reaches; empty: the whole community.
    @Field(key: "area_ids") var areaIDs: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "source") var source: String?
    @OptionalField(key: "published_by_id") var publishedByID: UUID?
    @Field(key: "published_by_name") var publishedByName: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdraw_reason") var withdrawReason: String?
    @OptionalField(key: "posted_at") var postedAt: Date?
    @OptionalField(key: "posted_by_name") var postedByName: String?
    @OptionalField(key: "taken_down_at") var takenDownAt: Date?
    @OptionalField(key: "taken_down_by_name") var takenDownByName: String?
    init() {}

    init(_ n: Notice, areaIDs areas: [UUID], publishedByID: UUID?) {
        id = n.id; communityID = n.communityID; kind = n.kind.rawValue; title = n.title; body = n.body
        buildingIDs = Self.encode(n.buildingIDs); areaID = n.areaID; areaIDs = Self.encode(areas); startsAt = n.startsAt; expiresAt = n.expiresAt
        source = n.source; self.publishedByID = publishedByID; publishedByName = n.publishedByName; createdAt = n.createdAt
        withdrawnAt = n.withdrawnAt; withdrawReason = n.withdrawReason; postedAt = n.postedAt; postedByName = n.postedByName
        takenDownAt = n.takenDownAt; takenDownByName = n.takenDownByName
    }

    var domain: Notice {
        Notice(id: id!, communityID: communityID, kind: NoticeKind(rawValue: kind) ?? .service, title: title, body: body, buildingIDs: Self.decode(buildingIDs),
               areaID: areaID, startsAt: startsAt, expiresAt: expiresAt, source: source, publishedByName: publishedByName, createdAt: createdAt,
               withdrawnAt: withdrawnAt, withdrawReason: withdrawReason, postedAt: postedAt, postedByName: postedByName, takenDownAt: takenDownAt,
               takenDownByName: takenDownByName)
    }

    /// The areas it reaches (empty: the whole community).
    var reach: [UUID] { Self.decode(areaIDs) }

    static func encode(_ ids: [UUID]) -> String { "[" + ids.map { "\"\($0.uuidString)\"" }.joined(separator: ",") + "]" }
    static func decode(_ text: String) -> [UUID] { ((try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []).compactMap(UUID.init(uuidString:)) }
}

extension NoticeModel: BackupTable {}

// Rows held by id in a write transaction, through their community (RUN-5, `Database.lockedFind`).
extension NoticeModel: CommunityRow {}
