#!/usr/bin/env bash
# Seed 001 end to end against a local Hearth (npm start): a DM creates a campaign, loads it,
# updates it over HTTP and over the DM socket, a late player gets campaign_active, the DM
# switches to a second campaign, then reads the metrics. Needs curl, jq and node (ws).
# H (as in the README) defaults to http://localhost:8787.
set -euo pipefail
H=${H:-http://localhost:8787}
WS=${H/http/ws}
tok() { curl -s -X POST "$H/dev/token" -H 'content-type: application/json' -d "$1" | jq -r .token; }
post() { curl -s -X POST "$H$1" -H "authorization: Bearer $DM_T" -H 'content-type: application/json' "${@:3}" -d "$2"; echo; }

RUN=$(date +%s)
DM=dm-$RUN; CAMP=dragon-$RUN; CAMP2=heist-$RUN
DM_T=$(tok "{\"sub\":\"$DM\",\"name\":\"Dana the DM\"}")
ANN=$(tok '{"sub":"ann","name":"Ann"}'); BOB=$(tok '{"sub":"bob","name":"Bob"}'); EVE=$(tok '{"sub":"eve","name":"Eve"}')

echo '# 1. the DM creates two campaigns (only Ann and Bob may play the first)'
post /api/campaigns "{\"campaign_id\":\"$CAMP\",\"dm_user_id\":\"$DM\",\"players\":[\"ann\",\"bob\"]}"
post /api/campaigns "{\"campaign_id\":\"$CAMP2\",\"dm_user_id\":\"$DM\"}" > /dev/null

echo "# 2. the DM's page and Ann's page connect (Ann sends a status once open)"
: > /tmp/campaign-dm.log; : > /tmp/campaign-ann.log   # emptied first, so the wait below sees only this run
node examples/campaign-listen.mjs "$WS/ws/campaign/dm?campaign=$CAMP&token=$DM_T" dm > /tmp/campaign-dm.log &
DM_PID=$!
node examples/campaign-listen.mjs "$WS/ws/campaign/player?campaign=$CAMP&token=$ANN" ann '{"type":"player_status","status":"ready"}' '{"type":"heartbeat"}' > /tmp/campaign-ann.log &
ANN_PID=$!
until [ -s /tmp/campaign-dm.log ] && [ -s /tmp/campaign-ann.log ]; do kill -0 $DM_PID $ANN_PID; sleep 0.1; done   # both snapshots arrived

echo '# 3. load, then update (a retry with the same Idempotency-Key is answered, not applied again)'
post "/api/campaigns/$CAMP/load" '{"structured_data":{"narrative":"The gates of Emberfall open.","turn":"Round 1","status":"exploring","characters":"Thorn, Mira"}}' | jq -c '{active, seq}'
post "/api/campaigns/$CAMP/update" '{"structured_data":{"narrative":"A dragon lands on the wall.","immediate_threats":"Red dragon"}}' -H 'Idempotency-Key: upd-1' | jq -c '{seq}'
post "/api/campaigns/$CAMP/update" '{"structured_data":{"narrative":"A dragon lands on the wall.","immediate_threats":"Red dragon"}}' -H 'Idempotency-Key: upd-1' | jq -c '{seq, replayed}'

echo '# 4. Bob connects mid-campaign: snapshot, then campaign_active with the latest data'
node examples/campaign-listen.mjs "$WS/ws/campaign/player?campaign=$CAMP&token=$BOB" bob > /tmp/campaign-bob.log &
BOB_PID=$!
echo '# 5. Eve is not invited: her socket is closed 4003; a player sending a DM frame gets DM_ONLY'
timeout 3 node examples/campaign-listen.mjs "$WS/ws/campaign/player?campaign=$CAMP&token=$EVE" eve || true
timeout 2 node examples/campaign-listen.mjs "$WS/ws/campaign/player?campaign=$CAMP&token=$ANN" ann2 '{"type":"campaign_deactivated","id":"nope"}' | grep -v snapshot | grep -v campaign_active || true

echo '# 6. the state a page fetches, with who is online'
curl -s "$H/api/campaigns/$CAMP" -H "authorization: Bearer $ANN" | jq -c '{active, seq, epoch, narrative: .structured_data.narrative, online}'

echo "# 7. the DM switches to the second campaign: $CAMP is deactivated first, then $CAMP2 loaded"
post "/api/dms/$DM/active" "{\"campaign_id\":\"$CAMP2\",\"structured_data\":{\"narrative\":\"The vault job begins.\"}}" | jq -c '{campaign_id, deactivated, seq}'

echo '# 8. metrics for the first campaign (DM or services only)'
curl -s "$H/api/campaigns/$CAMP/metrics" -H "authorization: Bearer $DM_T" | jq -c '{connections, messages, bytes, errors, broadcasts: {count: .broadcasts.count, latencyMs: {mean: .broadcasts.latencyMs.mean, p95: .broadcasts.latencyMs.p95}}}'

sleep 1; kill $DM_PID $ANN_PID $BOB_PID 2>/dev/null || true
echo '# 9. what the sockets received'
cat /tmp/campaign-dm.log /tmp/campaign-ann.log /tmp/campaign-bob.log
