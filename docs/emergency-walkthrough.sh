#!/usr/bin/env bash
# The whole life of an emergency order through the JSON API (INT-1 … INT-12), on the demo data:
#   swift run propdesk serve --demo        # in another terminal; note the printed password
#   PASSWORD=xxxx-xxxx-xxxx docs/emergency-walkthrough.sh
# Needs curl and python3 (for reading JSON). Prints each step and the final timeline.
set -euo pipefail
BASE="${BASE:-http://127.0.0.1:8080}/api/v1"
: "${PASSWORD:?set PASSWORD to the demo password (data/demo-credentials.txt)}"
DESK_USER="${DESK_USER:-chhy.desk1}"
ENGINEER_USER="${ENGINEER_USER:-chhy.engineer1}"

json() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }
call() { # method path token [body] [extra curl args…]
  local method=$1 path=$2 token=$3 body=${4:-}; shift 4 || shift $#
  curl -sS -X "$method" "$BASE$path" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
       -H 'Accept-Language: zh-Hans' ${body:+-d "$body"} "$@"
}
token() {
  curl -sS -X POST "$BASE/auth/token" -H 'Content-Type: application/json' \
       -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" | json 'd["token"]'
}

DESK=$(token "$DESK_USER")
ENGINEER=$(token "$ENGINEER_USER")
ENGINEER_ID=$(call GET /me "$ENGINEER" | json 'd["id"]')
COMMUNITY=$(call GET /me "$DESK" | json 'd["scopes"][0]["communityId"]')

# A resident of this community with a portal account (the demo's resident accounts are phone numbers).
RESIDENT_USER=$(grep -E '^1[0-9]{10} ' "${CREDENTIALS:-data/demo-credentials.txt}" | awk '{print $1}' | while read -r u; do
  t=$(token "$u"); c=$(call GET /me "$t" | json 'd["scopes"][0]["communityId"]')
  if [ "$c" = "$COMMUNITY" ]; then echo "$u"; break; fi; done)
RESIDENT=$(token "$RESIDENT_USER")
UNIT=$(call GET /me "$RESIDENT" | json 'd["unitIds"][0]')
echo "1. The front desk types part of the caller's phone (INT-3):"
HIT=$(call GET "/communities/$COMMUNITY/search?q=${RESIDENT_USER: -6}" "$DESK")
echo "$HIT" | json '[h["unitLabel"] + " " + h.get("personName", "") + " " + h.get("phoneMasked", "") for h in d][:3]'
PERSON=$(echo "$HIT" | json '[h for h in d if h["unitId"] == "'"$UNIT"'"][0].get("personId", "")')

echo "2. As the desk types, the dictionary flags the emergency (INT-4):"
call POST "/communities/$COMMUNITY/classify" "$DESK" '{"text":"厨房水管爆裂,水流到客厅了"}' | json 'd'

echo "3. Register it, with an Idempotency-Key (SEC-5):"
BODY="{\"kind\":\"repair\",\"channel\":\"hotline\",\"unitId\":\"$UNIT\",\"requesterId\":\"$PERSON\",\"description\":\"厨房水管爆裂,水流到客厅了\"}"
KEY="call-$(date +%s%N)"
ORDER=$(call POST "/communities/$COMMUNITY/orders" "$DESK" "$BODY" -H "Idempotency-Key: $KEY")
ID=$(echo "$ORDER" | json 'd["id"]')
echo "$ORDER" | json '(d["number"], d["priority"], d["status"], [(c["kind"], c["targetSeconds"], c["secondsLeft"]) for c in d["clocks"]])'
echo "   …the same request again (a retry or double click) returns the same order:"
call POST "/communities/$COMMUNITY/orders" "$DESK" "$BODY" -H "Idempotency-Key: $KEY" -o /dev/null -w '   HTTP %{http_code}\n'

echo "4. Who is free (INT-15), then dispatch (the rule may already have done it):"
call GET "/communities/$COMMUNITY/workload" "$DESK" | json '[(w["engineer"]["name"], w["openOrders"]) for w in d]'
STATUS=$(call GET "/orders/$ID" "$DESK" | json 'd["order"]["status"]')
if [ "$STATUS" = "received" ]; then
  call POST "/orders/$ID/dispatch" "$DESK" "{\"mode\":\"person\",\"assigneeId\":\"$ENGINEER_ID\"}" | json '(d["status"], d["assigneeName"])'
else
  ASSIGNEE=$(call GET "/orders/$ID" "$DESK" | json 'd["order"]["assigneeId"]')
  if [ "$ASSIGNEE" != "$ENGINEER_ID" ]; then
    call POST "/orders/$ID/reassign" "$DESK" "{\"assigneeId\":\"$ENGINEER_ID\",\"reason\":\"离现场最近\"}" | json '(d["status"], d["assigneeName"])'
  fi
fi

echo "5. An illegal step is refused with 409 and changes nothing (INT-5):"
call POST "/orders/$ID/complete" "$ENGINEER" '{"note":"x"}' -w '   HTTP %{http_code}\n' | tail -c 200; echo

echo "6. The engineer accepts, calls ahead, checks in on site, finishes (INT-5, INT-6):"
step() { call POST "/orders/$ID/$1" "$ENGINEER" "$2" | json '"   " + d["status"] + "  allowed next: " + ",".join(d["allowedActions"])'; }
step accept '{}'
step contact '{"note":"电话告知 5 分钟到"}'
step check-in '{}'
step complete '{"note":"更换爆裂的软管,已止水"}'

echo "7. The resident signs off and rates it (INT-11, INT-14):"
call POST "/orders/$ID/sign-off" "$RESIDENT" '{"rating":5,"comment":"十分钟就到了,谢谢"}' | json '(d["status"], d["rating"])'

echo "8. The order file: timeline and clocks against targets (INT-5, INT-6):"
call GET "/orders/$ID" "$DESK" | json '"\n".join(["   %s  %-10s %s %s" % (e["at"], e["kind"], e["actorName"], e.get("note", "")) for e in d["timeline"]] + ["   clock %-10s target %5ss met=%s" % (c["kind"], c["targetSeconds"], c.get("met")) for c in d["allClocks"]])'
if [ "$(call GET "/orders/$ID" "$DESK" | json 'd["order"]["status"]')" = "visit_pending" ]; then
  echo "9. Sampled for a return visit (INT-12):"
  call POST "/orders/$ID/return-visit" "$DESK" '{"method":"phone","satisfied":true,"answer":"业主很满意"}' | json '(d["status"], d["closeReason"])'
fi
