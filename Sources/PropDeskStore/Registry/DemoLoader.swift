import Fluent
import Foundation
import PropDeskCore

/// Loads the demo service center (RUN-3) in one transaction with bulk inserts.
public struct DemoLoader: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    public func load(_ demo: DemoData, passwordHash: String, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws {
        guard try await store.isEmpty() else {
            throw DomainError.conflict(code: "not_empty", Message(zh: "数据库已有数据,演示数据只能装入空数据库", en: "The database already has data; the demo loads only into an empty one"))
        }
        let at = store.now()
        let cipher = store.cipher
        try await store.db.transaction { tx in
            let accounts = try await Self.insert(demo, passwordHash: passwordHash, cipher: cipher, at: at, on: tx, progress: progress)
            try await AuditLog(db: tx).record(.console("demo"), .importBatch, entity: "demo", id: nil, community: nil,
                after: ["communities": demo.communities.count, "units": demo.units.count, "people": demo.residents.count, "accounts": accounts], at: at)
        }
    }

    /// Writes the registry and accounts of `demo` with bulk inserts inside the caller's
    /// transaction; returns the number of accounts. Shared with `ScaleGenerator`.
    static func insert(_ demo: DemoData, passwordHash: String, cipher: FieldCipher, at: Date, on tx: any Database,
                       progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> Int {
        func insert<M: Model>(_ label: String, _ models: [M]) async throws {
            try await BulkInsert.run(models, on: tx) { progress?(label, $0, models.count) }
        }
        try await insert("communities", demo.communities.map { CommunityModel($0, at: at) })
        try await insert("areas", demo.areas.map(AreaModel.init))
        try await insert("buildings", demo.buildings.map(BuildingModel.init))
        try await insert("units", demo.units.map(UnitModel.init))
        try await insert("people", try demo.residents.map { PersonModel($0.person, sealed: try $0.idNumber.map(cipher.seal)) })
        try await insert("occupancies", demo.residents.map { OccupancyModel($0.occupancy) })

        let buildingName = Dictionary(uniqueKeysWithValues: demo.buildings.map { ($0.id, $0.name) })
        let unitByID = Dictionary(uniqueKeysWithValues: demo.units.map { ($0.id, $0) })
        var terms: [BulkRows.Row] = demo.units.flatMap { u in
            SearchTerms.forUnit(building: buildingName[u.buildingID] ?? "", room: u.roomNumber).map {
                BulkRows.termRow(community: u.communityID, area: u.areaID, term: $0, unit: u.id, person: nil)
            }
        }
        for h in demo.residents {
            let unit = unitByID[h.occupancy.unitID]
            terms += SearchTerms.forPerson(name: h.person.name, phone: h.person.phone).map {
                BulkRows.termRow(community: h.person.communityID, area: unit?.areaID, term: $0, unit: h.occupancy.unitID, person: h.person.id)
            }
        }
        try await BulkRows.insert("search_terms", BulkRows.termColumns, terms, on: tx)
        progress?("search terms", terms.count, terms.count)
        let accounts = demo.staff.map(\.account) + demo.residentAccounts
        try await insert("accounts", accounts.map { UserModel($0, passwordHash: passwordHash, at: at) })
        try await insert("scopes", accounts.flatMap { a in a.scopes.map { UserScopeModel(userID: a.id, scope: $0) } })
        return accounts.count
    }
}

/// Multi-row INSERTs of as many rows as fit the databases' limit on bound values (SQLite
/// 32,766; PostgreSQL 65,535): one statement per chunk, so a million rows are a few thousand
/// statements.
enum BulkInsert {
    static let maxBinds = 30_000

    static func run<M: Model>(_ models: [M], on db: any Database, done: ((Int) -> Void)? = nil) async throws {
        guard !models.isEmpty else { return }
        let columns = max(1, M.keys.count)
        var count = 0
        for chunk in models.chunked(into: max(1, maxBinds / columns)) {
            try await chunk.create(on: db)
            count += chunk.count
            done?(count)
        }
    }
}
