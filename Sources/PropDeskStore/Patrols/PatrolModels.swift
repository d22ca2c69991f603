import Fluent
import Foundation
import PropDeskCore

final class CheckpointModel: Model, @unchecked Sendable {
    static let schema = "patrol_checkpoints"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @OptionalField(key: "building_id") var buildingID: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "location") var location: String
    @Field(key: "key_spot") var keySpot: Bool
    /// The checklist as JSON.
    @Field(key: "items") var items: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "retired_at") var retiredAt: Date?
    init() {}

    init(_ c: Checkpoint) {
        id = c.id; communityID = c.communityID; areaID = c.areaID; buildingID = c.buildingID; code = c.code; name = c.name; location = c.location
        keySpot = c.keySpot; items = AuditEntry.snapshot(c.items); createdAt = c.createdAt; retiredAt = c.retiredAt
    }

    var domain: Checkpoint {
        Checkpoint(id: id!, communityID: communityID, areaID: areaID, buildingID: buildingID, code: code, name: name, location: location, keySpot: keySpot,
                   items: (try? JSONDecoder().decode([ChecklistItem].self, from: Data(items.utf8))) ?? [], createdAt: createdAt, retiredAt: retiredAt)
    }
}

final class PatrolRoundModel: Model, @unchecked Sendable {
    static let schema = "patrol_rounds"
    @ID(key: .id) var id: UUID?
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @Field(key: "scope") var scope: String
    @OptionalField(key: "patroller_id") var patrollerID: UUID?
    @Field(key: "patroller_name") var patrollerName: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    init() {}

    init(_ r: PatrolRound) {
        id = r.id; communityID = r.communityID; areaID = r.areaID; scope = r.scope.rawValue; patrollerID = r.patrollerID
        patrollerName = r.patrollerName; startedAt = r.startedAt; finishedAt = r.finishedAt
    }

    var domain: PatrolRound {
        PatrolRound(id: id!, communityID: communityID, areaID: areaID, scope: RoundScope(rawValue: scope) ?? .full, patrollerID: patrollerID,
                    patrollerName: patrollerName, startedAt: startedAt, finishedAt: finishedAt)
    }
}

final class PatrolVisitModel: Model, @unchecked Sendable {
    static let schema = "patrol_visits"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "checkpoint_id") var checkpointID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "area_id") var areaID: UUID
    @Field(key: "at") var at: Date
    @OptionalField(key: "by_id") var byID: UUID?
    @Field(key: "by_name") var byName: String
    /// The answers as JSON.
    @Field(key: "results") var results: String
    @Field(key: "note") var note: String
    init() {}

    init(_ v: CheckpointVisit) {
        id = v.id; roundID = v.roundID; checkpointID = v.checkpointID; communityID = v.communityID; areaID = v.areaID; at = v.at; byID = v.byID
        byName = v.byName; results = AuditEntry.snapshot(v.results); note = v.note
    }

    func domain(findings: [PatrolFinding]) -> CheckpointVisit {
        CheckpointVisit(id: id!, roundID: roundID, checkpointID: checkpointID, communityID: communityID, areaID: areaID, at: at, byID: byID, byName: byName,
                        results: (try? JSONDecoder().decode([ItemResult].self, from: Data(results.utf8))) ?? [], note: note, findings: findings)
    }
}

final class PatrolFindingModel: Model, @unchecked Sendable {
    static let schema = "patrol_findings"
    @ID(key: .id) var id: UUID?
    @Field(key: "visit_id") var visitID: UUID
    @Field(key: "checkpoint_id") var checkpointID: UUID
    @Field(key: "community_id") var communityID: UUID
    @Field(key: "item_id") var itemID: String
    @Field(key: "order_id") var orderID: UUID
    @Field(key: "order_number") var orderNumber: String
    @Field(key: "priority") var priority: String
    init() {}

    init(_ f: PatrolFinding, communityID: UUID) {
        id = UUID(); visitID = f.visitID; checkpointID = f.checkpointID; self.communityID = communityID; itemID = f.itemID; orderID = f.orderID
        orderNumber = f.orderNumber; priority = f.priority.rawValue
    }

    var domain: PatrolFinding {
        PatrolFinding(visitID: visitID, checkpointID: checkpointID, itemID: itemID, orderID: orderID, orderNumber: orderNumber,
                      priority: Priority(rawValue: priority) ?? .normal)
    }
}

extension CheckpointModel: BackupTable {}
extension PatrolRoundModel: BackupTable {}
extension PatrolVisitModel: BackupTable {}
extension PatrolFindingModel: BackupTable {}
