import Foundation

/// A page of a list: 1-based page number, at most `maxPer` items. A page past the end of the
/// list is an empty page; a page number past `maxPage` is refused, so no input can overflow the
/// offset (a huge page number once trapped the process).
public struct PageQuery: Sendable, Equatable {
    public static let maxPer = 100
    public static let maxPage = 1_000_000
    public let page: Int
    public let per: Int

    public init(page: Int?, per: Int?) throws {
        let p = page ?? 1, n = per ?? 50
        guard (1...Self.maxPage).contains(p) else {
            throw DomainError.invalid(field: "page", Message(zh: "页码应在 1 到 \(Self.maxPage) 之间", en: "page must be between 1 and \(Self.maxPage)"))
        }
        guard (1...Self.maxPer).contains(n) else {
            throw DomainError.invalid(field: "per", Message(zh: "每页条数应在 1 到 \(Self.maxPer) 之间", en: "per must be between 1 and \(Self.maxPer)"))
        }
        self.page = p
        self.per = n
    }

    /// At most (maxPage - 1) × maxPer: the bounds above keep it far from overflowing.
    public var offset: Int {
        let (value, overflow) = (page - 1).multipliedReportingOverflow(by: per)
        return overflow ? Int.max : value
    }
}

public struct Paged<T: Sendable>: Sendable {
    public let items: [T]
    public let page: Int
    public let per: Int
    public let total: Int

    public init(items: [T], page: Int, per: Int, total: Int) {
        self.items = items
        self.page = page
        self.per = per
        self.total = total
    }
}

/// What the front desk sees for one typeahead hit: a unit, and the person when a person matched.
public struct SearchHit: Sendable, Equatable {
    public let unitID: UUID
    public let unitLabel: String
    public let personID: UUID?
    public let personName: String?
    public let phoneMasked: String?
    public let relation: OccupantRelation?

    public init(unitID: UUID, unitLabel: String, personID: UUID?, personName: String?, phoneMasked: String?, relation: OccupantRelation?) {
        self.unitID = unitID
        self.unitLabel = unitLabel
        self.personID = personID
        self.personName = personName
        self.phoneMasked = phoneMasked
        self.relation = relation
    }
}

/// A community with the counts shown on the home page.
public struct CommunitySummary: Sendable, Equatable {
    public let community: Community
    public let buildings: Int
    public let units: Int
    public let people: Int
    public init(community: Community, buildings: Int, units: Int, people: Int) {
        self.community = community
        self.buildings = buildings
        self.units = units
        self.people = people
    }
}

/// A unit with its building and the people who hold it.
public struct UnitDetail: Sendable {
    public let unit: PropertyUnit
    public let buildingName: String
    public let occupants: [(person: Person, relation: OccupantRelation)]
    public init(unit: PropertyUnit, buildingName: String, occupants: [(person: Person, relation: OccupantRelation)]) {
        self.unit = unit
        self.buildingName = buildingName
        self.occupants = occupants
    }
    public var label: String { PropertyUnit.label(building: buildingName, room: unit.roomNumber) }
}

/// A person with the units they hold.
public struct PersonDetail: Sendable {
    public let person: Person
    public let holdings: [(unitID: UUID, label: String, areaID: UUID?, relation: OccupantRelation)]
    public init(person: Person, holdings: [(unitID: UUID, label: String, areaID: UUID?, relation: OccupantRelation)]) {
        self.person = person
        self.holdings = holdings
    }
}

