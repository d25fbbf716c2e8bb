#!/usr/bin/env bash
# The quest flow of README "Quest runtime", end to end against a local Hearth (npm start).
# Needs curl and jq. H (as in the README) defaults to http://localhost:8787.
set -euo pipefail
H=${H:-http://localhost:8787}
tok() { curl -s -X POST "$H/dev/token" -H 'content-type: application/json' -d "$1" | jq -r .token; }

ADMIN=$(tok '{"sub":"quest-admin","scope":"rooms:admin"}')
ANN=$(tok '{"sub":"ann","name":"Ann"}')
BOB=$(tok '{"sub":"bob","name":"Bob"}')

echo '# 1. store the quest definition (admin)'
curl -s -X PUT "$H/api/quests/harbor-walk" -H "authorization: Bearer $ADMIN" \
  -H 'content-type: application/json' --data @examples/quests/harbor-walk.json; echo

echo '# 2. Ann registers a team; Bob joins with the code'
TEAM=$(curl -s -X POST "$H/api/teams" -H "authorization: Bearer $ANN" \
  -d '{"questId":"harbor-walk","playerName":"Ann","mode":"team"}')
echo "$TEAM"
CODE=$(echo "$TEAM" | jq -r .teamCode)
curl -s -X POST "$H/api/teams/$CODE/join" -H "authorization: Bearer $BOB" -d '{"playerName":"Bob"}'; echo

echo "# 3. Bob's phone listens (websocketUrl + ?teamCode=) and sends the seed's join frame"
: > /tmp/quest-ws.log   # emptied first, so the wait below sees only this run
node examples/quest-listen.mjs "$(echo "$TEAM" | jq -r .websocketUrl)?teamCode=$CODE&token=$BOB" "$CODE" > /tmp/quest-ws.log &
LISTENER=$!
until [ -s /tmp/quest-ws.log ]; do kill -0 $LISTENER; sleep 0.1; done   # in the session: its snapshot arrived

echo '# 4. Ann plays: arrive, finish the intro, answer the riddle (wrong, then right)'
ev() { curl -s -X POST "$H/api/runtime/session/$CODE/events" -H "authorization: Bearer $ANN" -H "Idempotency-Key: $1" -d "$2" | jq -c '{success, deltas: [.deltas[]?.type], error, seq}'; }
ev arrive-1 '{"type":"OBJECT_ARRIVE","objectId":"object1","lat":59.9139,"lng":10.7522}'
ev arrive-1 '{"type":"OBJECT_ARRIVE","objectId":"object1","lat":59.9139,"lng":10.7522}'   # a retry: same answer, applied once
ev intro-1 '{"type":"NODE_COMPLETE","nodeId":"tl_object1__audio_intro"}'
ev riddle-1 '{"type":"PUZZLE_SUBMIT","nodeId":"tl_object1__riddle","answer":"boat"}'
ev riddle-2 '{"type":"PUZZLE_SUBMIT","nodeId":"tl_object1__riddle","answer":"  ANCHOR "}'
ev locked-1 '{"type":"NODE_COMPLETE","nodeId":"tl_object2__letter"}'

echo '# 5. the snapshot a reconnecting phone fetches (never any answers)'
curl -s "$H/api/runtime/session/$CODE" -H "authorization: Bearer $BOB" | jq -c '{seq, status: .snapshot.status, available: .snapshot.availableObjectIds, object1: [.snapshot.objects[0].nodes[] | {id, status}]}'

sleep 1; kill $LISTENER 2>/dev/null || true
echo "# 6. what Bob's socket received"
cat /tmp/quest-ws.log
