import Fluent
import FluentSQL
import SQLKit

/// Move-ins (FD-1): one case per unit and buyer with its forms, the files that say which scan or
/// signature is which item of the checklist, and the defects of the joint inspection with the
/// warranty order each became. Scans and signatures themselves are evidence on the case.
struct CreateMoveIns: AsyncMigration {
    var name: String { "0022_MoveIns" }

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema("move_ins")
            .id()
            .field("community_id", .uuid, .required, .references("communities", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("building_id", .uuid, .required)
            .field("area_id", .uuid)
            .field("buyer_name", .string, .required)
            .field("buyer_kind", .string, .required)
            .field("buyer_phone", .string, .required)
            .field("commercial", .bool, .required)
            .field("status", .string, .required)
            .field("opened_at", .datetime, .required)
            .field("opened_by_name", .string, .required)
            .field("reg_owner_name", .string)
            .field("reg_phone", .string)
            .field("reg_members", .int)
            .field("reg_emergency_contact", .string)
            .field("reg_emergency_phone", .string)
            .field("keys_handed", .int, .required)
            .field("handbook_handed", .bool, .required)
            .field("drawings_handed", .bool, .required)
            .field("handed_over_at", .datetime)
            .field("fee_from", .string)
            .field("management_fee_fen", .int64)
            .field("moving_deposit_fen", .int64)
            .field("utilities_deposit_fen", .int64)
            .field("inspection_form_id", .uuid)
            .field("inspected_at", .datetime)
            .field("inspected_by_name", .string)
            .field("water_thousandths", .int64)
            .field("electricity_thousandths", .int64)
            .field("gas_thousandths", .int64)
            .field("completed_at", .datetime)
            .field("completed_by_name", .string)
            .create()
        try await sql.raw("CREATE INDEX move_ins_community ON move_ins (community_id, opened_at)").run()
        try await sql.raw("CREATE INDEX move_ins_unit ON move_ins (unit_id, opened_at)").run()
        try await db.schema("move_in_files")
            .id()
            .field("move_in_id", .uuid, .required, .references("move_ins", "id"))
            .field("item", .string, .required)
            .field("evidence_id", .uuid, .required)
            .field("at", .datetime, .required)
            .field("by_name", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX move_in_files_case ON move_in_files (move_in_id, at)").run()
        try await db.schema("move_in_defects")
            .id()
            .field("move_in_id", .uuid, .required, .references("move_ins", "id"))
            .field("community_id", .uuid, .required)
            .field("text", .string, .required)
            .field("order_id", .uuid, .required)
            .field("order_number", .string, .required)
            .field("created_at", .datetime, .required)
            .field("reinspected_at", .datetime)
            .field("reinspected_by_name", .string)
            .unique(on: "order_id")
            .create()
        try await sql.raw("CREATE INDEX move_in_defects_case ON move_in_defects (move_in_id, created_at)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["move_in_defects", "move_in_files", "move_ins"] { try await db.schema(t).delete() }
    }
}
