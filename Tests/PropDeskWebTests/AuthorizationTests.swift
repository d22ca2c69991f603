import FluentKit
import Foundation
import PropDeskCore
import XCTVapor
@testable import PropDeskWeb

/// SEC-2: every route checks who is asking and what they may see.
final class AuthorizationTests: XCTestCase {
    /// A well-formed body for each route that takes one, so a refusal is the authorization's
    /// doing and not the body parser's.
    func body(for method: HTTPMethod, _ path: String, _ w: World) -> (json: String?, bytes: [UInt8]?, type: HTTPMediaType?) {
        let target = w.b
        switch (method, path) {
        case (.POST, "/api/v1/auth/token"): return (#"{"username":"nobody","password":"wrong-password"}"#, nil, nil)
        case (.POST, "/api/v1/communities"): return (#"{"code":"ZZZ","name":"新小区"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/areas"): return (#"{"name":"新区"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/buildings"): return (#"{"name":"9栋","floors":10}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/units"):
            return (#"{"buildingId":"\#(target.buildings[0].id)","roomNumber":"901","floor":9,"kind":"residential","floorArea":"88.00"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/people"):
            return (#"{"name":"新住户","phone":"13700001111","units":[{"unitId":"\#(target.units[0].id)","relation":"tenant"}]}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/import"):
            return (nil, Array("building,room,kind,floor_area\n9栋,101,residential,80\n".utf8), HTTPMediaType(type: "text", subType: "csv"))
        case (.PATCH, "/api/v1/units/:unitId"): return (#"{"floorArea":"99.00"}"#, nil, nil)
        case (.POST, "/api/v1/units/:unitId/occupants"): return (#"{"personId":"\#(target.people[1].person.id)","relation":"family"}"#, nil, nil)
        case (.PATCH, "/api/v1/people/:personId"): return (#"{"name":"改名"}"#, nil, nil)
        case (.POST, "/api/v1/people/:personId/reveal"): return (#"{"fields":["phone","idNumber"]}"#, nil, nil)
        case (.POST, "/api/v1/users"):
            return (#"{"username":"intruder","displayName":"x","role":"center_head","password":"long-enough-password","scopes":[{"communityId":"\#(target.community.id)"}]}"#, nil, nil)
        case (.POST, "/login"): return (nil, Array("username=nobody&password=wrong".utf8), .urlEncodedForm)
        case (.POST, "/api/v1/communities/:communityId/orders"):
            return (#"{"kind":"repair","channel":"hotline","unitId":"\#(target.units[0].id)","description":"门锁坏了"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/classify"): return (#"{"text":"厨房水管爆裂"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/dispatch"): return (#"{"mode":"pool"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/reassign"):
            return (#"{"assigneeId":"\#(w.accounts["a.engineer"]!.id)","reason":"换人"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/contact"), (.POST, "/api/v1/orders/:orderId/complete"),
             (.POST, "/api/v1/alerts/:alertId/acknowledge"), (.POST, "/api/v1/incidents/:incidentId/close"):
            return (#"{"note":"已处理"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/sign-off"), (.POST, "/api/v1/orders/:orderId/reject"):
            return (#"{"rating":5,"comment":"好"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/return-visit"): return (#"{"method":"phone","satisfied":true,"answer":"满意"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/hold"), (.POST, "/api/v1/orders/:orderId/cancel"), (.POST, "/api/v1/orders/:orderId/reopen"):
            return (#"{"reason":"业户要求"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/price"): return (#"{"agreedPrice":5000}"#, nil, nil)
        case (.POST, "/api/v1/checkpoints/:checkpointId/visits"):
            return (#"{"visitId":"\#(UUID())","results":[{"itemId":"1","passed":false,"note":"天面积水"}]}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/patrol-rounds"): return (#"{"areaId":"\#(target.areas[1].id)","scope":"full"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/checkpoints"):
            return (#"{"areaId":"\#(target.areas[0].id)","name":"walker","location":"walker","items":[{"category":"roof","text":"walker"}]}"#, nil, nil)
        case (.POST, "/p/:code"): return (nil, Array("visitId=\(UUID())&pass[1]=fail&itemNote[1]=walker".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/patrol/checkpoints"), (.POST, "/c/:cid/patrol/checkpoints/:id"):
            return (nil, Array("areaId=\(target.areas[0].id)&name=walker&location=walker&checklist=roof".utf8), .urlEncodedForm)
        case (.POST, "/patrol/rounds"): return (nil, Array("areaId=\(target.areas[1].id)&scope=full".utf8), .urlEncodedForm)
        // The supervisor's records (FLD-1 … FLD-7).
        case (.POST, "/api/v1/communities/:communityId/household-visits"):
            return (#"{"visitId":"\#(UUID())","unitId":"\#(target.units[2].id)","mode":"door","met":"walker","raised":[{"kind":"repair","text":"walker"}]}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/my-work-log/entries"), (.POST, "/api/v1/work-logs/:logId/entries"):
            return (#"{"kind":"review","text":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/assignment-tables"):
            return (#"{"rows":[{"areaId":"\#(target.areas[0].id)","supervisorId":"\#(w.accounts["bb.supervisor"]!.id)","mobile":"1","households":1,"keySpots":"x"}]}"#, nil, nil)
        case (.POST, "/api/v1/assignment-tables/:tableId/decision"): return (#"{"approve":false,"note":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/area-inspections"):
            return (#"{"areaId":"\#(target.areas[1].id)","matchesLog":false,"findings":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/spot-checks/:spotCheckId/outcome"): return (#"{"outcome":"not_happened","note":"walker"}"#, nil, nil)
        case (.POST, "/visits"):
            return (nil, Array("visitId=\(UUID())&unitId=\(target.units[2].id)&mode=door&met=walker&raisedKind[k0]=repair&raisedText[k0]=walker".utf8), .urlEncodedForm)
        case (.POST, "/log"), (.POST, "/logs/:id"): return (nil, Array("kind=review&text=walker".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/inspections"): return (nil, Array("areaId=\(target.areas[1].id)&matchesLog=no&findings=walker".utf8), .urlEncodedForm)
        case (.POST, "/spot-checks/:id"): return (nil, Array("outcome=not_happened&note=walker".utf8), .urlEncodedForm)
        case (.POST, "/assignments/:id/decide"): return (nil, Array("decision=return&note=walker".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/assignments"):
            return (nil, Array("areaId[r0]=\(target.areas[0].id)&supervisorId[r0]=\(w.accounts["bb.supervisor"]!.id)&mobile[r0]=1&households[r0]=1&keySpots[r0]=x".utf8), .urlEncodedForm)
        // The front desk's registers (FD-3 … FD-7).
        case (.POST, "/api/v1/communities/:communityId/duty-log/entries"): return (#"{"text":"walker","shift":"day"}"#, nil, nil)
        case (.POST, "/api/v1/duty-log-days/:dayId/signature"): return (#"{"note":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/handovers"): return (#"{"shift":"day","assets":[{"name":"电脑","ok":true}]}"#, nil, nil)
        case (.POST, "/api/v1/handovers/:handoverId/take"): return (#"{"carryOver":[]}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/keys/movements"):
            return (#"{"unitId":"\#(target.units[0].id)","kind":"handed_back","count":1,"party":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/keys/counts"): return (#"{"counted":[{"unitId":"\#(target.units[0].id)","count":0}],"note":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/visitors"):
            return (#"{"name":"walker","idType":"passport","idNumber":"E99999999","host":"walker","purpose":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/passes"):
            return (#"{"unitId":"\#(target.units[0].id)","kind":"access_card","number":"W-1","holder":"walker","validFrom":"2026-01-01","validUntil":"2027-01-01"}"#, nil, nil)
        case (.POST, "/api/v1/passes/:passId/renew"): return (#"{"validUntil":"2029-01-01"}"#, nil, nil)
        case (.POST, "/api/v1/passes/:passId/revoke"): return (#"{"reason":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/passes/:passId/replace"): return (#"{"number":"W-2"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/move-ins"):
            return (#"{"caseId":"\#(UUID())","unitId":"\#(target.units[0].id)","buyerKind":"individual","buyerName":"walker","buyerPhone":"13700002222"}"#, nil, nil)
        case (.POST, "/api/v1/move-ins/:moveInId/files"): return (nil, [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31], HTTPMediaType(type: "application", subType: "octet-stream"))
        case (.POST, "/api/v1/move-ins/:moveInId/registration"):
            return (#"{"ownerName":"walker","phone":"13700002222","householdMembers":2,"emergencyContact":"walker","emergencyPhone":"13700003333"}"#, nil, nil)
        case (.POST, "/api/v1/move-ins/:moveInId/handover"): return (#"{"keys":2,"handbook":true,"drawings":true}"#, nil, nil)
        case (.POST, "/api/v1/move-ins/:moveInId/fees"):
            return (#"{"managementFeeFrom":"2026-11-01","managementFeeFen":30000,"movingDepositFen":0,"utilitiesDepositFen":0}"#, nil, nil)
        case (.POST, "/api/v1/move-ins/:moveInId/inspection"): return (#"{"formId":"\#(UUID())","water":"1.5","electricity":"2","defects":["walker"]}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/custody"):
            return (#"{"agreementId":"\#(UUID())","unitId":"\#(target.units[0].id)","ownerName":"walker","ownerPhone":"13700002222","startDay":"2026-11-01","water":"1","electricity":"1"}"#, nil, nil)
        case (.POST, "/api/v1/custody/:agreementId/readings"): return (#"{"readingId":"\#(UUID())","month":"2026-11","water":"99","electricity":"99"}"#, nil, nil)
        case (.POST, "/api/v1/custody/:agreementId/end"): return (#"{"note":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/custody/:agreementId/checks"): return (#"{"checkId":"\#(UUID())","kind":"weekly","findings":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/extras"): return (#"{"amount":1000,"note":"加换阀门","consentBy":"业主"}"#, nil, nil)
        case (.POST, "/api/v1/orders/:orderId/settle"): return (#"{"receiptNumber":"R0001"}"#, nil, nil)
        // The notice board (CR-1).
        case (.POST, "/api/v1/communities/:communityId/notices"):
            return (#"{"kind":"service","title":"walker","body":"walker","startsAt":"2026-01-01T00:00:00Z","expiresAt":"2026-01-02T00:00:00Z"}"#, nil, nil)
        case (.POST, "/api/v1/notices/:noticeId/withdrawal"): return (#"{"reason":"walker"}"#, nil, nil)
        case (.POST, "/c/:cid/notices"): return (nil, Array("kind=service&title=walker&body=walker&startsOn=2026-01-01&expiresOn=2026-01-02".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/notices/:nid/withdraw"): return (nil, Array("reason=walker".utf8), .urlEncodedForm)
        // Satisfaction surveys (CR-2): a paper form for B's units[0], a portal answer, a questionnaire.
        case (.POST, "/c/:cid/surveys/:surveyId/paper"):
            return (nil, Array("responseId=\(UUID())&unitId=\(target.units[0].id)&a%5Boverall%5D=4".utf8), .urlEncodedForm)
        case (.POST, "/portal/surveys/:surveyId"):
            return (nil, Array("responseId=\(UUID())&unitId=\(target.units[0].id)&a%5Boverall%5D=4".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/surveys"):
            return (nil, Array("surveyId=\(UUID())&title=walker&period=2026&qCode%5Bk0%5D=q1&qKind%5Bk0%5D=scale&qText%5Bk0%5D=walker".utf8), .urlEncodedForm)
        case (.POST, "/api/v1/communities/:communityId/surveys"):
            return (#"{"surveyId":"\#(UUID())","title":"walker","period":"2026","questions":[{"code":"q1","kind":"scale","text":"walker"}]}"#, nil, nil)
        case (.POST, "/api/v1/surveys/:surveyId/responses"), (.POST, "/api/v1/me/surveys/:surveyId/responses"):
            return (#"{"responseId":"\#(UUID())","unitId":"\#(target.units[0].id)","answers":[{"code":"overall","choices":[4]}]}"#, nil, nil)
        // Interviews, common issues, rectifications and the culture plan (CR-3, CR-4).
        case (.POST, "/c/:cid/interviews"):
            return (nil, Array("interviewId=\(UUID())&channel=visit&buildingId=\(target.buildings[1].id)&room=1201&person=walker&topic%5Bi0%5D=repair&point%5Bi0%5D=walker".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/issues"):
            return (nil, Array("issueId=\(UUID())&title=walker&topic=other&areaId=\(target.areas[1].id)&points%5B%5D=\(target.interview!.points[0].id)".utf8), .urlEncodedForm)
        case (.POST, "/issues/:id/rectifications"):
            return (nil, Array("rectificationId=\(UUID())&measure=walker&ownerId=\(w.accounts["b.head"]!.id)&dueDay=2099-01-01".utf8), .urlEncodedForm)
        case (.POST, "/rectifications/:id/done"): return (nil, Array("note=walker".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/culture"): return (nil, Array("year=2099&title=walker&budget=100".utf8), .urlEncodedForm)
        case (.POST, "/culture-plans/:id/events"):
            return (nil, Array("eventId=\(UUID())&title=walker&day=2099-01-01&place=walker&budget=1".utf8), .urlEncodedForm)
        case (.POST, "/culture-plans/:id/decide"): return (nil, Array("decision=return".utf8), .urlEncodedForm)
        case (.POST, "/culture-events/:id/record"): return (nil, Array("attendance=1&record=walker".utf8), .urlEncodedForm)
        case (.POST, "/api/v1/communities/:communityId/interviews"):
            return (#"{"interviewId":"\#(UUID())","unitId":"\#(target.units[0].id)","person":"walker","channel":"visit","points":[{"text":"walker","topic":"repair"}]}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/issues"):
            return (#"{"issueId":"\#(UUID())","title":"walker","topic":"other","areaId":"\#(target.areas[1].id)","pointIds":["\#(target.interview!.points[0].id)"]}"#, nil, nil)
        case (.POST, "/api/v1/issues/:issueId/points"): return (#"{"pointIds":["\#(target.interview!.points[0].id)"]}"#, nil, nil)
        case (.POST, "/api/v1/issues/:issueId/rectifications"):
            return (#"{"rectificationId":"\#(UUID())","measure":"walker","ownerId":"\#(w.accounts["b.head"]!.id)","dueDay":"2099-01-01"}"#, nil, nil)
        case (.POST, "/api/v1/rectifications/:rectificationId/done"): return (#"{"note":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/culture-plan"): return (#"{"year":2099,"title":"walker","budget":100}"#, nil, nil)
        case (.POST, "/api/v1/culture-plans/:planId/events"):
            return (#"{"eventId":"\#(UUID())","title":"walker","day":"2099-01-01","place":"walker","budget":1}"#, nil, nil)
        case (.POST, "/api/v1/culture-plans/:planId/decision"): return (#"{"approve":true}"#, nil, nil)
        case (.POST, "/api/v1/culture-events/:eventId/record"): return (#"{"attendance":1,"record":"walker"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/incidents"): return (#"{"title":"停电","category":"electricity","script":"正在抢修"}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/catalogue"):
            return (#"{"code":"X1","nameZh":"疏通","nameEn":"Unblocking","unitZh":"次","unitEn":"job","price":5000}"#, nil, nil)
        case (.POST, "/api/v1/communities/:communityId/dispatch-rules"):
            return (#"{"name":"水电组","memberIds":["\#(w.accounts["a.engineer"]!.id)"]}"#, nil, nil)
        case (.PUT, "/api/v1/communities/:communityId/service-contract"):
            return (String(decoding: try! JSONEncoder().encode(APIHandler.contract(ServiceContract())), as: UTF8.self), nil, nil)
        // The pages' forms.
        case (.POST, "/c/:cid/intake"):
            return (nil, Array("kind=repair&channel=hotline&unitId=\(target.units[0].id)&description=%E9%97%A8%E9%94%81%E5%9D%8F%E4%BA%86&idempotencyKey=walker".utf8), .urlEncodedForm)
        case (.POST, "/orders/:oid/step/:name"): return (nil, Array("reason=walker&back=/".utf8), .urlEncodedForm)
        case (.POST, "/alerts/:aid/acknowledge"), (.POST, "/orders/:oid/photos"): return (nil, Array("back=/".utf8), .urlEncodedForm)
        case (.POST, "/c/:cid/incidents"): return (nil, Array("title=walker&category=water&script=walker&back=/".utf8), .urlEncodedForm)
        case (.POST, "/incidents/:iid/close"): return (nil, Array("note=walker&back=/".utf8), .urlEncodedForm)
        case (.POST, "/portal/report"):
            return (nil, Array("kind=repair&unitId=\(target.units[0].id)&description=walker&idempotencyKey=walker".utf8), .urlEncodedForm)
        default: return (nil, nil, nil)
        }
    }

    func concretePath(_ route: Route, _ w: World) -> String {
        let target = w.b
        return "/" + route.path.map { c -> String in
            switch c {
            case .constant(let s): return s
            case .parameter("communityId"): return target.community.id.uuidString
            case .parameter("unitId"): return target.units[0].id.uuidString
            case .parameter("personId"): return target.people[0].person.id.uuidString
            case .parameter("orderId"): return target.orders[0].id.uuidString
            case .parameter("alertId"): return target.alertID!.uuidString
            case .parameter("incidentId"): return target.incident!.id.uuidString
            case .parameter("cid"): return target.community.id.uuidString
            case .parameter("oid"): return target.orders[0].id.uuidString
            case .parameter("aid"): return target.alertID!.uuidString
            case .parameter("iid"): return target.incident!.id.uuidString
            case .parameter("pid"): return UUID().uuidString
            case .parameter("userId"): return w.accounts["b.head"]!.id.uuidString
            case .parameter("code"): return target.checkpoint!.code
            case .parameter("logId"): return target.log!.id.uuidString
            case .parameter("tableId"): return target.table!.id.uuidString
            case .parameter("spotCheckId"): return target.spotCheck!.id.uuidString
            case .parameter("dayId"): return target.dutyDay!.id.uuidString
            case .parameter("handoverId"): return target.handover!.id.uuidString
            case .parameter("visitorId"): return target.visitor!.id.uuidString
            case .parameter("passId"): return target.pass!.id.uuidString
            case .parameter("moveInId"): return target.moveIn!.id.uuidString
            case .parameter("agreementId"): return target.custody!.id.uuidString
            case .parameter("defectId"): return UUID().uuidString
            case .parameter("itemId"): return target.feeItem!.id.uuidString
            case .parameter("billId"): return target.bill!.id.uuidString
            case .parameter("receiptId"): return target.receipt!.id.uuidString
            case .parameter("depositId"): return target.deposit!.id.uuidString
            case .parameter("listId"): return target.arrearsList!.id.uuidString
            case .parameter("noticeId"), .parameter("nid"): return target.notice!.id.uuidString
            case .parameter("surveyId"): return target.survey!.id.uuidString
            case .parameter("interviewId"): return target.interview!.id.uuidString
            case .parameter("issueId"): return target.issue!.id.uuidString
            case .parameter("rectificationId"): return target.rectification!.id.uuidString
            case .parameter("planId"): return target.culturePlan!.id.uuidString
            case .parameter("eventId"): return target.cultureEvent!.id.uuidString
            case .parameter("id") where route.path.first?.description == "issues": return target.issue!.id.uuidString
            case .parameter("id") where route.path.first?.description == "rectifications": return target.rectification!.id.uuidString
            case .parameter("id") where route.path.first?.description == "culture-plans": return target.culturePlan!.id.uuidString
            case .parameter("id") where route.path.first?.description == "culture-events": return target.cultureEvent!.id.uuidString
            case .parameter("id") where route.path.first?.description == "bills": return target.bill!.id.uuidString
            case .parameter("id") where route.path.first?.description == "receipts": return target.receipt!.id.uuidString
            case .parameter("id") where route.path.first?.description == "deposits": return target.deposit!.id.uuidString
            case .parameter("id") where route.path.first?.description == "arrears-lists": return target.arrearsList!.id.uuidString
            case .parameter("id") where route.path.first?.description == "duty-log": return target.dutyDay!.id.uuidString
            case .parameter("id") where route.path.first?.description == "handovers": return target.handover!.id.uuidString
            case .parameter("id") where route.path.first?.description == "visitors": return target.visitor!.id.uuidString
            case .parameter("id") where route.path.first?.description == "passes": return target.pass!.id.uuidString
            case .parameter("id") where route.path.first?.description == "move-ins": return target.moveIn!.id.uuidString
            case .parameter("id") where route.path.first?.description == "custody": return target.custody!.id.uuidString
            // ":id" is whatever the route's first part names.
            case .parameter("id") where route.path.first?.description == "logs": return target.log!.id.uuidString
            case .parameter("id") where route.path.first?.description == "assignments": return target.table!.id.uuidString
            case .parameter("id") where route.path.first?.description == "spot-checks": return target.spotCheck!.id.uuidString
            case .parameter("id") where route.path.first?.description == "contact-cards": return target.card!.id.uuidString
            case .parameter("checkpointId"), .parameter("id"): return target.checkpoint!.id.uuidString
            // The step that would do the most harm if the scope check failed.
            case .parameter("name"): return "cancel"
            case .parameter(let p): return p
            case .anything, .catchall: return "x"
            }
        }.joined(separator: "/") + (routeKey(route) == "/api/v1/events" ? "?seconds=1" : "")
    }

    func routeKey(_ route: Route) -> String { "/" + route.path.map(\.description).joined(separator: "/") }

    /// Strings of community B that must never reach a user of community A.
    func secretsOfB(_ w: World) -> [String] {
        [w.b.community.id.uuidString, w.b.community.name] + w.b.units.map(\.id.uuidString) + w.b.people.map(\.person.id.uuidString)
            + w.b.people.map(\.person.name) + w.b.areas.map(\.name) + w.b.orders.flatMap { [$0.id.uuidString, $0.number] }
            + [w.b.incident!.id.uuidString, w.b.alertID!.uuidString, w.b.checkpoint!.code, w.b.checkpoint!.name]
            + [w.b.table!.id.uuidString, w.b.card!.id.uuidString, w.b.visit!.id.uuidString, w.b.log!.id.uuidString, w.b.spotCheck!.id.uuidString, "BBB家访"]
            + [w.b.dutyDay!.id.uuidString, w.b.handover!.id.uuidString, w.b.visitor!.id.uuidString, w.b.pass!.id.uuidString, "BBB值班记录", "访客乙", "BBB-0001"]
            + [w.b.moveIn!.id.uuidString, "BBB入住业主", w.b.custody!.id.uuidString, "BBB托管业主"]
            + [w.b.bill!.id.uuidString, w.b.receipt!.id.uuidString, w.b.deposit!.id.uuidString, w.b.arrearsList!.id.uuidString, "BBB缴费人", "BBB押金人", "BBB催缴电话"]
            + [w.b.notice!.id.uuidString, "BBB公告"]
            + [w.b.survey!.id.uuidString, "BBB满意度调查", "BBB总体满意度"]
            + [w.b.interview!.id.uuidString, w.b.issue!.id.uuidString, w.b.rectification!.id.uuidString, w.b.culturePlan!.id.uuidString,
               w.b.cultureEvent!.id.uuidString, "BBB受访人", "BBB访谈意见", "BBB共性问题", "BBB整改措施", "BBB文化计划", "BBB文化活动"]
    }

    func testEveryRouteGivesUsersOfCommunityANothingOfCommunityB_SEC2() async throws {
        try await withWorld { app, w in
            let auditBefore = try await app.store.audit.entries(communityIDs: [w.b.community.id], limit: 500).count
            let countsBefore = try await app.store.backup.counts()
            let routes = app.routes.all
            XCTAssertGreaterThan(routes.count, 25)
            for user in World.usersOfA {
                for route in routes {
                    let key = routeKey(route)
                    let path = concretePath(route, w)
                    let b = body(for: route.method, key, w)
                    let res = try await app.call(route.method, path, as: user, in: w, json: b.json, contentType: b.type, bytes: b.bytes)
                    if (200..<300).contains(res.status.code) {
                        // A public route (the price list) shows public things by design.
                        for secret in secretsOfB(w) where !OperationalRoutes.publicPaths.contains(key) {
                            XCTAssertFalse(res.text.contains(secret), "\(user) \(route.method) \(key) leaked \(secret)")
                        }
                    } else {
                        XCTAssertTrue([301, 303, 401, 403, 404, 422, 423].contains(res.status.code),
                                      "\(user) \(route.method) \(key) answered \(res.status.code): \(res.text.prefix(200))")
                    }
                }
            }
            let auditAfter = try await app.store.audit.entries(communityIDs: [w.b.community.id], limit: 500).count
            XCTAssertEqual(auditAfter, auditBefore, "a user of A changed something in B")
            let countsAfter = try await app.store.backup.counts()
            XCTAssertEqual(countsAfter.filter { $0.key != "api_tokens" && $0.key != "audit_entries" }, countsBefore.filter { $0.key != "api_tokens" && $0.key != "audit_entries" })
        }
    }

    func testEveryNonPublicRouteRefusesAnonymousCallers_SEC2() async throws {
        try await withWorld { app, w in
            for route in app.routes.all {
                let key = routeKey(route)
                guard !OperationalRoutes.publicPaths.contains(key) else { continue }
                let b = body(for: route.method, key, w)
                let res = try await app.call(route.method, concretePath(route, w), as: nil, in: w, json: b.json, contentType: b.type, bytes: b.bytes)
                XCTAssertEqual(res.status, .unauthorized, "\(route.method) \(key) answered \(res.status.code) without sign-in")
            }
        }
    }

    func testAnInvalidOrExpiredTokenIsRefused_SEC1() async throws {
        try await withWorld { app, w in
            var h = HTTPHeaders()
            h.bearerAuthorization = .init(token: "pd_not-a-real-token")
            let res = try await app.sendRequest(.GET, "/api/v1/me", headers: h)
            XCTAssertEqual(res.status, .unauthorized)
            let ok = try await app.call(.GET, "/api/v1/me", as: "a.desk", in: w)
            XCTAssertEqual(ok.status, .ok)
            let revoke = try await app.call(.DELETE, "/api/v1/auth/token", as: "a.desk", in: w)
            XCTAssertEqual(revoke.status, .noContent)
            let after = try await app.call(.GET, "/api/v1/me", as: "a.desk", in: w)
            XCTAssertEqual(after.status, .unauthorized)
        }
    }

    func testRoleMatrixDecidesWritesInsideOwnCommunity_SEC2() async throws {
        try await withWorld { app, w in
            let a = w.a
            let building = #"{"name":"8栋","floors":12}"#
            for (user, expected) in [("a.engineer", 403), ("a.finance", 403), ("a.desk", 403), ("a.supervisor", 403), ("13800001000", 403), ("a.manager", 201)] {
                let res = try await app.call(.POST, "/api/v1/communities/\(a.community.id)/buildings", as: user, in: w, json: building.replacingOccurrences(of: "8栋", with: "8栋\(user)"))
                XCTAssertEqual(Int(res.status.code), expected, "\(user): \(res.text)")
            }
            let person = #"{"name":"新租户","phone":"13711112222","units":[{"unitId":"\#(a.units[0].id)","relation":"tenant"}]}"#
            let byDesk = try await app.call(.POST, "/api/v1/communities/\(a.community.id)/people", as: "a.desk", in: w, json: person)
            XCTAssertEqual(byDesk.status, .created)
            let byEngineer = try await app.call(.POST, "/api/v1/communities/\(a.community.id)/people", as: "a.engineer", in: w, json: person)
            XCTAssertEqual(byEngineer.status, .forbidden)
            let community = try await app.call(.POST, "/api/v1/communities", as: "a.head", in: w, json: #"{"code":"NEW","name":"新"}"#)
            XCTAssertEqual(community.status, .forbidden)
            let byAdmin = try await app.call(.POST, "/api/v1/communities", as: "admin", in: w, json: #"{"code":"NEW","name":"新"}"#)
            XCTAssertEqual(byAdmin.status, .created)
        }
    }

    func testAreaSupervisorSeesOnlyTheirAreas_SEC2() async throws {
        try await withWorld { app, w in
            let a = w.a
            let list = try await app.call(.GET, "/api/v1/communities/\(a.community.id)/units", as: "a.supervisor", in: w)
            XCTAssertEqual(list.status, .ok)
            let json = try XCTUnwrap(try list.json() as? [String: Any])
            XCTAssertEqual(json["total"] as? Int, 2, "only the two units of building 1 in the supervisor's area")
            let other = try await app.call(.GET, "/api/v1/units/\(a.units[2].id)", as: "a.supervisor", in: w)
            XCTAssertEqual(other.status, .notFound)
            let mine = try await app.call(.GET, "/api/v1/units/\(a.units[0].id)", as: "a.supervisor", in: w)
            XCTAssertEqual(mine.status, .ok)
            let people = try await app.call(.GET, "/api/v1/communities/\(a.community.id)/people", as: "a.supervisor", in: w)
            XCTAssertFalse(people.text.contains("张伟"), "the resident of the other area is not listed")
            XCTAssertTrue(people.text.contains("王建国"))
            let search = try await app.call(.GET, "/api/v1/communities/\(a.community.id)/search?q=1201", as: "a.supervisor", in: w)
            XCTAssertTrue(search.text.contains("1栋-1201"))
            XCTAssertFalse(search.text.contains("2栋-1201"))
        }
    }

    func testResidentSeesOnlyTheirOwnUnits_SEC2() async throws {
        try await withWorld { app, w in
            let me = try await app.call(.GET, "/api/v1/me", as: "13800001000", in: w)
            XCTAssertEqual(me.status, .ok)
            XCTAssertTrue(me.text.contains(w.a.units[0].id.uuidString))
            XCTAssertFalse(me.text.contains(w.a.units[1].id.uuidString))
            let list = try await app.call(.GET, "/api/v1/communities/\(w.a.community.id)/units", as: "13800001000", in: w)
            XCTAssertEqual(list.status, .forbidden)
        }
    }
}
