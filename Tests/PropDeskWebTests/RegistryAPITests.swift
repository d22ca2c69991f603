import FluentKit
import Foundation
import PropDeskAPI
import PropDeskCore
import SQLKit
import XCTVapor
@testable import PropDeskStore
@testable import PropDeskWeb

final class RegistryAPITests: XCTestCase {
    let csvType = HTTPMediaType(type: "text", subType: "csv")

    func testImportWithOneBadRowWritesNothingAndNamesTheRow_REG4() async throws {
        try await withWorld { app, w in
            let before = try await app.store.backup.counts()
            let csv = """
            楼栋,房号,楼层,类型,建筑面积,责任区域,住户姓名,关系,电话
            5栋,101,1,住宅,88.5,北区,赵六,业主,13911112222
            5栋,102,1,住宅,abc,北区,钱七,业主,13911113333
            5栋,103,1,住宅,90,北区,孙八,业主,13911114444
            """
            let res = try await app.call(.POST, "/api/v1/communities/\(w.a.community.id)/import", as: "a.manager", in: w,
                                         language: "en", contentType: csvType, bytes: Array(csv.utf8))
            XCTAssertEqual(res.status, .unprocessableEntity)
            let json = try XCTUnwrap(try res.json() as? [String: Any])
            XCTAssertEqual(json["code"] as? String, "import_rejected")
            let details = try XCTUnwrap(json["details"] as? [[String: Any]])
            XCTAssertEqual(details.count, 1)
            XCTAssertEqual(details.first?["line"] as? Int, 3)
            XCTAssertTrue((details.first?["message"] as? String ?? "").contains("floor area"))
            let after = try await app.store.backup.counts()
            XCTAssertEqual(before.filter { $0.key != "audit_entries" }, after.filter { $0.key != "audit_entries" })
            XCTAssertEqual(before["audit_entries"], after["audit_entries"])
        }
    }

    func testGBKImportDryRunThenRealRunThenReimportIsIdempotent_REG4_RUN6() async throws {
        try await withWorld { app, w in
            let csv = "楼栋,房号,类型,建筑面积,责任区域,住户姓名,关系,电话,证件类型,证件号码\r\n"
                + "5栋,101,住宅,88.5,北区,赵六,业主,13911112222,身份证,11010519491231002X\r\n"
                + "5栋,101,住宅,88.5,北区,赵小六,家属,13911112223,,\r\n"
                + "商业街,S01,商铺,120,北区,翠湖便利店,业主,075512345678,,\r\n"
            let gbk = try TextEncoding.gbk.encode(csv)
            let path = "/api/v1/communities/\(w.a.community.id)/import"
            let dry = try await app.call(.POST, path + "?dryRun=true", as: "a.manager", in: w, contentType: csvType, bytes: gbk)
            XCTAssertEqual(dry.status, .ok, dry.text)
            let dryReport = try XCTUnwrap(try dry.json() as? [String: Any])
            XCTAssertEqual(dryReport["dryRun"] as? Bool, true)
            XCTAssertEqual(dryReport["unitsCreated"] as? Int, 2)
            XCTAssertEqual(dryReport["peopleCreated"] as? Int, 3)
            let unitsAfterDry = try await app.store.registry.units(community: w.a.community.id, areas: nil, building: nil, page: try PageQuery(page: 1, per: 100)).total
            XCTAssertEqual(unitsAfterDry, 3, "a dry run writes nothing")

            let real = try await app.call(.POST, path, as: "a.manager", in: w, contentType: csvType, bytes: gbk)
            XCTAssertEqual(real.status, .ok, real.text)
            let report = try XCTUnwrap(try real.json() as? [String: Any])
            XCTAssertEqual(report["areasCreated"] as? Int, 1)
            XCTAssertEqual(report["buildingsCreated"] as? Int, 2)
            XCTAssertEqual(report["unitsCreated"] as? Int, 2)
            XCTAssertEqual(report["linksCreated"] as? Int, 3)
            let search = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/search?q=%E8%B5%B5%E5%85%AD", as: "a.desk", in: w)
            XCTAssertTrue(search.text.contains("5栋-101"), "imported residents are searchable: \(search.text)")

            let again = try await app.call(.POST, path, as: "a.manager", in: w, contentType: csvType, bytes: gbk)
            let second = try XCTUnwrap(try again.json() as? [String: Any])
            XCTAssertEqual(second["unitsCreated"] as? Int, 0)
            XCTAssertEqual(second["unitsUnchanged"] as? Int, 2)
            XCTAssertEqual(second["peopleCreated"] as? Int, 0)
            XCTAssertEqual(second["linksUnchanged"] as? Int, 3)
        }
    }

    func testExportWritesTheImportFormatAndMasksIDNumbersUnlessRevealed_REG4_SEC3() async throws {
        try await withWorld { app, w in
            let path = "/api/v1/communities/\(w.a.community.id)/export"
            let masked = try await app.call(.GET, path, as: "a.manager", in: w)
            XCTAssertEqual(masked.status, .ok)
            XCTAssertFalse(masked.text.contains(World.idNumber))
            XCTAssertTrue(masked.text.contains("1栋,1201,12,residential,89.50"))
            let plan = try RegistryImport.plan(csv: String(masked.text.drop(while: { $0 == "\u{FEFF}" })))
            XCTAssertEqual(plan.units.count, 3)
            XCTAssertEqual(plan.residents.count, 3)
            XCTAssertNil(plan.residents.first(where: { $0.name == "王建国" })?.idNumber, "a masked number means: keep what is on file")

            let byAdmin = try await app.call(.GET, path + "?revealIdNumbers=true", as: "admin", in: w)
            XCTAssertEqual(byAdmin.status, .forbidden)
            let clear = try await app.call(.GET, path + "?revealIdNumbers=true&encoding=gbk", as: "a.manager", in: w)
            XCTAssertEqual(clear.status, .ok)
            let decoded = try TextEncoding.gbk.decode(Array(clear.body.readableBytesView))
            XCTAssertTrue(decoded.contains(World.idNumber))
            let audit = try await app.store.audit.entries(communityIDs: [w.a.community.id], limit: 10)
            XCTAssertTrue(audit.contains { $0.action == .export && ($0.after ?? "").contains("true") })
        }
    }

    func testIDNumberNeverAppearsUnmaskedToARoleThatMayNotRevealIt_SEC3() async throws {
        try await withWorld { app, w in
            let person = w.a.people[0].person
            let paths = ["/api/v1/people/\(person.id)", "/api/v1/communities/\(w.a.community.id)/people", "/api/v1/units/\(w.a.units[0].id)",
                         "/api/v1/communities/\(w.a.community.id)/search?q=%E7%8E%8B", "/api/v1/communities/\(w.a.community.id)/export"]
            for user in World.usersOfA + ["admin"] {
                let principal = try await app.store.accounts.principal(userID: w.accounts[user]!.id)
                let mayRevealPhones = AccessPolicy(try XCTUnwrap(principal)).has(.revealPhone)
                for path in paths {
                    let res = try await app.call(.GET, path, as: user, in: w)
                    XCTAssertFalse(res.text.contains(World.idNumber), "\(user) saw the ID number at \(path)")
                    if !(path.hasSuffix("/export") && mayRevealPhones) {
                        XCTAssertFalse(res.text.contains("13800001000"), "\(user) saw a full phone at \(path)")
                    }
                }
            }
            // At rest the number is sealed, not stored in clear.
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT id_number_sealed, id_number_masked FROM people").all()
            for row in rows {
                let sealed = try row.decode(column: "id_number_sealed", as: String?.self)
                XCTAssertFalse((sealed ?? "").contains(World.idNumber))
            }
            let reveal = #"{"fields":["idNumber"],"purpose":"入住核验"}"#
            for user in ["a.engineer", "a.finance", "a.supervisor", "admin"] {
                let res = try await app.call(.POST, "/api/v1/people/\(person.id)/reveal", as: user, in: w, json: reveal)
                XCTAssertEqual(res.status, .forbidden, "\(user) may not reveal an ID number")
            }
            let ok = try await app.call(.POST, "/api/v1/people/\(person.id)/reveal", as: "a.desk", in: w, json: reveal)
            XCTAssertEqual(ok.status, .ok)
            XCTAssertTrue(ok.text.contains(World.idNumber))
            let phone = try await app.call(.POST, "/api/v1/people/\(person.id)/reveal", as: "a.engineer", in: w, json: #"{"fields":["phone"]}"#)
            XCTAssertTrue(phone.text.contains("13800001000"))
            let audit = try await app.store.audit.entries(entityID: person.id, limit: 10).filter { $0.action == .reveal }
            XCTAssertEqual(audit.count, 2)
            XCTAssertTrue(audit.contains { $0.actorName.contains("a.desk") && $0.actorName.contains("入住核验") && ($0.after ?? "").contains("idNumber") })
        }
    }

    func testAChangeIsAuditedWithWhoWhenBeforeAndAfter_SEC4() async throws {
        let fixed = Date(timeIntervalSince1970: 1_790_000_000)
        try await withWorld(now: { fixed }) { app, w in
            let unit = w.a.units[0]
            let res = try await app.call(.PATCH, "/api/v1/units/\(unit.id)", as: "a.manager", in: w, json: #"{"floorArea":"91.25"}"#)
            XCTAssertEqual(res.status, .ok, res.text)
            XCTAssertTrue(res.text.contains("91.25"))
            let audit = try await app.call(.GET, "/api/v1/audit?entityId=\(unit.id)", as: "a.head", in: w)
            XCTAssertEqual(audit.status, .ok)
            let entries = try XCTUnwrap(try audit.json() as? [[String: Any]])
            let update = try XCTUnwrap(entries.first { $0["action"] as? String == "update" })
            XCTAssertEqual(update["actorId"] as? String, w.accounts["a.manager"]?.id.uuidString)
            XCTAssertTrue((update["before"] as? String ?? "").contains("\"hundredths\":8950"))
            XCTAssertTrue((update["after"] as? String ?? "").contains("\"hundredths\":9125"))
            XCTAssertEqual(update["at"] as? String, ISO8601DateFormatter().string(from: fixed))
            let forbidden = try await app.call(.GET, "/api/v1/audit?entityId=\(unit.id)", as: "a.desk", in: w)
            XCTAssertEqual(forbidden.status, .forbidden)
        }
    }

    func testBadInputGetsAClearErrorInTheCallersLanguageAndChangesNothing_SEC5() async throws {
        try await withWorld { app, w in
            let path = "/api/v1/communities/\(w.a.community.id)/units"
            let bad = #"{"buildingId":"\#(w.a.buildings[0].id)","roomNumber":"1301","floor":13,"kind":"residential","floorArea":"-3"}"#
            let en = try await app.call(.POST, path, as: "a.manager", in: w, json: bad, language: "en")
            XCTAssertEqual(en.status, .unprocessableEntity)
            XCTAssertTrue(en.text.contains("Invalid floor area"), en.text)
            let zh = try await app.call(.POST, path, as: "a.manager", in: w, json: bad, language: "zh-CN,zh;q=0.9")
            XCTAssertTrue(zh.text.contains("建筑面积无效"), zh.text)
            let malformed = try await app.call(.POST, path, as: "a.manager", in: w, json: "{not json", language: "en")
            XCTAssertEqual(malformed.status, .unprocessableEntity)
            XCTAssertTrue(malformed.text.contains("not well formed"), malformed.text)
            let duplicate = #"{"buildingId":"\#(w.a.buildings[0].id)","roomNumber":"1201","floor":12,"kind":"residential","floorArea":"80"}"#
            let conflict = try await app.call(.POST, path, as: "a.manager", in: w, json: duplicate, language: "en")
            XCTAssertEqual(conflict.status, .conflict)
            XCTAssertTrue(conflict.text.contains("already exists"))
            let badPhone = try await app.call(.POST, "/api/v1/communities/\(w.a.community.id)/people", as: "a.desk", in: w,
                json: #"{"name":"某人","phone":"12345","units":[{"unitId":"\#(w.a.units[0].id)","relation":"owner"}]}"#)
            XCTAssertTrue(badPhone.text.contains("电话号码格式不正确"), badPhone.text)
            let total = try await app.store.registry.units(community: w.a.community.id, areas: nil, building: nil, page: try PageQuery(page: 1, per: 100)).total
            XCTAssertEqual(total, 3)
            let people = try await app.store.registry.people(community: w.a.community.id, areas: nil, page: try PageQuery(page: 1, per: 100)).total
            XCTAssertEqual(people, 3)
            let page = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/units?per=1000", as: "a.desk", in: w, language: "en")
            XCTAssertEqual(page.status, .unprocessableEntity)
        }
    }

    func testTypeaheadFindsACallerByAnyPartOfRoomNameOrPhone_INT3() async throws {
        try await withWorld { app, w in
            let base = "/api/v1/communities/\(w.a.community.id)/search?q="
            let byRoom = try await app.call(.GET, base + "1%E6%A0%8B1201", as: "a.desk", in: w)
            XCTAssertTrue(byRoom.text.contains("王建国"), "a room number brings the unit's residents: \(byRoom.text)")
            for (query, expected) in [("1201", "1栋-1201"), ("1%E6%A0%8B1201", "1栋-1201"), ("%E5%BB%BA%E5%9B%BD", "王建国"), ("0001000", "王建国"), ("1000", "王建国")] {
                let res = try await app.call(.GET, base + query, as: "a.desk", in: w)
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains(expected), "\(query) → \(res.text)")
                for other in w.b.people { XCTAssertFalse(res.text.contains(other.person.name), "no person of community B") }
            }
            let tooShort = try await app.call(.GET, base + "1", as: "a.desk", in: w)
            let hits = try XCTUnwrap(try tooShort.json() as? [Any])
            XCTAssertTrue(hits.isEmpty)
            // A renamed person is found by the new name only.
            _ = try await app.call(.PATCH, "/api/v1/people/\(w.a.people[0].person.id)", as: "a.desk", in: w, json: #"{"name":"王建华"}"#)
            let old = try await app.call(.GET, base + "%E5%BB%BA%E5%9B%BD", as: "a.desk", in: w)
            XCTAssertFalse(old.text.contains("王"))
            let new = try await app.call(.GET, base + "%E5%BB%BA%E5%8D%8E", as: "a.desk", in: w)
            XCTAssertTrue(new.text.contains("王建华"))
        }
    }

    /// The typeahead's terms are removed two ways (a unit's own, a person's); each index holds
    /// only the rows it removes (0032, issue 19 storage), and the removals still use them.
    func testINT3_eachTypeaheadIndexHoldsOnlyTheTermsItRemoves() async throws {
        try await withWorld { app, w in
            let sql = app.db as! any SQLDatabase
            for (index, condition) in [("search_terms_unit", "person_id IS NULL"), ("search_terms_person", "person_id IS NOT NULL")] {
                let definition = try await (app.db.isPostgres
                    ? sql.raw("SELECT indexdef AS d FROM pg_indexes WHERE indexname = \(bind: index)")
                    : sql.raw("SELECT sql AS d FROM sqlite_schema WHERE type = 'index' AND name = \(bind: index)")).first()?.decode(column: "d", as: String.self)
                XCTAssertTrue(definition?.contains(condition) == true, "\(index): \(definition ?? "missing")")
            }
            if app.db.isSQLite {
                let unit = w.a.units[0].id, person = w.a.people[0].person.id
                for (statement, index) in [("DELETE FROM search_terms WHERE unit_id = \(bind: unit) AND person_id IS NULL" as SQLQueryString, "search_terms_unit"),
                                           ("DELETE FROM search_terms WHERE person_id = \(bind: person)", "search_terms_person")] {
                    var explain = SQLQueryString("EXPLAIN QUERY PLAN ")
                    explain += statement
                    let plan = try await sql.raw(explain).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
                    XCTAssertTrue(plan.contains(index), plan)
                }
            }
            // The unit's own terms stay when its resident is renamed; the person's are replaced.
            let base = "/api/v1/communities/\(w.a.community.id)/search?q="
            _ = try await app.call(.PATCH, "/api/v1/people/\(w.a.people[0].person.id)", as: "a.desk", in: w, json: #"{"name":"王建华"}"#)
            let byRoom = try await app.call(.GET, base + "1201", as: "a.desk", in: w)
            XCTAssertTrue(byRoom.text.contains("1栋-1201") && byRoom.text.contains("王建华"), byRoom.text)
        }
    }

    func testServedOpenAPIDocumentIsTheContractAndCoversEveryAPIRoute_RUN4() async throws {
        try await withWorld { app, w in
            let res = try await app.sendRequest(.GET, "/openapi.yaml")
            XCTAssertEqual(res.status, .ok)
            XCTAssertEqual(res.text, OpenAPIDocument.yaml)
            for route in app.routes.all where route.path.first?.description == "api" {
                let path = "/" + route.path.dropFirst(2).map { c -> String in
                    if case .parameter(let p) = c { return "{\(p)}" }
                    return c.description
                }.joined(separator: "/")
                XCTAssertTrue(res.text.contains("\n  \(path):"), "\(path) is served but not in openapi.yaml")
            }
        }
    }

    func testHealthAndMetricsAnswer_RUN1() async throws {
        try await withWorld(adjust: { $0.metricsToken = "prometheus-0123456789" }) { app, w in
            let health = try await app.sendRequest(.GET, "/healthz")
            XCTAssertEqual(health.status, .ok)
            _ = try await app.call(.GET, "/api/v1/me", as: "a.desk", in: w)
            var h = HTTPHeaders()
            h.bearerAuthorization = .init(token: "prometheus-0123456789")
            let metrics = try await app.sendRequest(.GET, "/metrics", headers: h)
            XCTAssertEqual(metrics.status, .ok)
            XCTAssertTrue(metrics.text.contains("http_requests_total"), String(metrics.text.prefix(300)))
        }
    }
}
