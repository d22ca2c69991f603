import SQLKit

/// `EXISTS (subquery)`: whether the subquery finds a row — a test of one row by its key inside a
/// query over others (an order's late clock while its list is walked, `WorkOrderStore.list`).
struct SQLExists: SQLExpression {
    let subquery: SQLSubquery

    init(_ subquery: SQLSubquery) { self.subquery = subquery }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("EXISTS ")
        subquery.serialize(to: &serializer)
    }
}
