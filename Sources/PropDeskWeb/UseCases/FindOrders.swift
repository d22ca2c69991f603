import Foundation
import PropDeskCore
import PropDeskStore
import Vapor

/// Finding orders (INT-3): by number, digits of the caller's phone, a room number or a name —
/// the registry's search finds the units — and by date, kind and status. The one path for the
/// API's list, the search page and the intake box.
enum FindOrders {
    /// Puts a typed text into the filter: nil or blank changes nothing.
    static func text(_ raw: String?, into filter: inout WorkOrderStore.OrderFilter, community: UUID, areas: Set<UUID>?, _ req: Request) async throws {
        guard let t = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return }
        guard t.unicodeScalars.count <= 60 else {
            throw DomainError.invalid(field: "q", Message(zh: "查询内容最多 60 个字", en: "Search for at most 60 characters"))
        }
        let text = t
        // Nothing left to look for once LIKE's own characters are dropped: no filter, not "everything matches".
        if case .words(let w) = WorkOrderStore.OrderSearch(text).shape, w.isEmpty { return }
        filter.text = text
        if case .number = WorkOrderStore.OrderSearch(text).shape { return }
        filter.textUnits = Array(Set(try await req.store.registry.search(community: community, areas: areas, query: text).map(\.unitID)))
    }

    /// A day range typed as "2026-11-01" … "2026-11-29" (both included), in the community's zone.
    static func days(from: String?, to: String?, time: LocalTime, into filter: inout WorkOrderStore.OrderFilter) throws {
        func day(_ raw: String?, field: String) throws -> Date? {
            guard let t = raw?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
            guard t.count == 10, let d = try? time.parse(t + "T00:00", field: field) else {
                throw DomainError.invalid(field: field, Message(zh: "日期格式应为 2026-11-23", en: "Write the date as 2026-11-23"))
            }
            return d
        }
        if let f = try day(from, field: "from") { filter.createdFrom = time.day(f).0 }
        if let t = try day(to, field: "to") { filter.createdBefore = time.day(t).1 }
        if let a = filter.createdFrom, let b = filter.createdBefore, a >= b {
            throw DomainError.invalid(field: "to", Message(zh: "结束日期不能早于开始日期", en: "The end date cannot be before the start date"))
        }
    }
}
