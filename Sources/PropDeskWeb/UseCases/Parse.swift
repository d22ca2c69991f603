import Foundation
import OpenAPIRuntime
import PropDeskAPI
import PropDeskCore
import PropDeskStore
import Vapor

enum Parse {
    static func uuid(_ raw: String, field: String) throws -> UUID {
        guard let id = UUID(uuidString: raw) else {
            throw DomainError.invalid(field: field, Message(zh: "\(field) 不是有效的编号", en: "\(field) is not a valid id"))
        }
        return id
    }

    /// A number from the query within the contract's bounds: outside them it is refused, not
    /// quietly clamped, so the caller learns the rule.
    static func bounded(_ value: Int?, field: String, _ range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let value else { return fallback }
        guard range.contains(value) else {
            throw DomainError.invalid(field: field, Message(zh: "\(field) 应在 \(range.lowerBound) 到 \(range.upperBound) 之间",
                                                            en: "\(field) must be between \(range.lowerBound) and \(range.upperBound)"))
        }
        return value
    }

    /// Text from the query or a body that is only read, never stored, within the contract's maxLength.
    static func short(_ text: String, field: String, max: Int) throws -> String {
        guard text.unicodeScalars.count <= max else {
            throw DomainError.invalid(field: field, Message(zh: "\(field) 最多 \(max) 个字", en: "\(field) is longer than \(max) characters"))
        }
        return text
    }

    static func floorArea(_ raw: String) throws -> FloorArea {
        guard let a = FloorArea(text: raw) else {
            throw DomainError.invalid(field: "floorArea", Message(zh: "建筑面积无效:\(raw)(大于 0,最多两位小数)", en: "Invalid floor area: \(raw) (more than 0, at most two decimals)"))
        }
        return a
    }
}
