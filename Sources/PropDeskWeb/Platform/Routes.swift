import Foundation
import PropDeskCore

/// Typed paths of the platform's pages, so page files name a destination instead of spelling a
/// URL (the older pages still spell theirs; they move here as they are touched).
enum Routes {
    static func order(_ id: UUID) -> String { "/orders/\(id.uuidString)" }
    static func scorecard(_ community: UUID, month: String? = nil, area: UUID? = nil) -> String {
        var q: [String] = []
        if let month { q.append("month=\(month)") }
        if let area { q.append("area=\(area.uuidString)") }
        return "/c/\(community.uuidString)/scorecard" + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }
    static func scorecardCSV(_ community: UUID, month: String, area: UUID?) -> String {
        "/c/\(community.uuidString)/scorecard.csv?month=\(month)" + (area.map { "&area=\($0.uuidString)" } ?? "")
    }
    static func subject(_ kind: SubjectKind, _ id: UUID) -> String { "/subjects/\(kind.rawValue)/\(id.uuidString)" }
    static func evidence(_ id: UUID) -> String { "/evidence/\(id.uuidString)" }
}

/// Where a subject is shown (PLT-2): an order on its page; anything else through
/// `/subjects/:kind/:id`, which finds its page (a duty's period: the scorecard of its month).
enum SubjectLinks {
    static func path(_ s: SubjectRef) -> String {
        s.kind == .workOrder ? Routes.order(s.id) : Routes.subject(s.kind, s.id)
    }
}
