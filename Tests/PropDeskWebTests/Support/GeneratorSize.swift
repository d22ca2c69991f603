import PropDeskStore

extension ScaleGenerator.Size {
    /// A generator's size for a test: one year of history, the rest as asked.
    static func forTest(communities: Int, units: Int, people: Int, orders: Int, due: Int) -> Self {
        var size = Self()
        size.communities = communities
        size.units = units
        size.people = people
        size.orders = orders
        size.years = 1
        size.dueClocks = due
        return size
    }
}
