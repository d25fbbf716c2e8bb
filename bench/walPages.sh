#!/bin/bash
# Pages written to SQLite's WAL per games roll, every object of the server counted (bench/ROLL-COST.md,
# stop 41). Runs the games bench for one target and, during its window, counts with uprobes on the
# workerd binary: walWriteOneFrame (one page written to a WAL), sqlite3PagerCommitPhaseOne (one
# commit) and sqlite3_step (one statement step). Needs `perf` and the right to add uprobes (root).
#
#   bash bench/walPages.sh [games=100] [target=hearth-workerd-plain] [seconds=20]
#
# The count is exact (not sampled), so it moves far less between runs than rolls/s does; the uprobes
# cost some CPU, so read rolls/s from a run without them.
set -euo pipefail
G=${1:-100}
T=${2:-hearth-workerd-plain}
S=${3:-20}
cd "$(dirname "$0")/.."
W=$(readlink -f node_modules/@cloudflare/workerd-linux-64/bin/workerd)
for f in walWriteOneFrame sqlite3PagerCommitPhaseOne sqlite3_step; do
  perf probe -l 2>/dev/null | grep -q "probe_workerd:$f " || perf probe -q -x "$W" "$f"
done
OUT=$(mktemp -d)
npm run bench:games -- --games "$G" --targets "$T" --seconds $((S + 10)) --setup-seconds 120 --out "$OUT/games.json" > "$OUT/games.log" 2>&1 &
BENCH=$!
until grep -q "window of $((S + 10)) s starts" "$OUT/games.log" 2>/dev/null; do
  kill -0 $BENCH 2>/dev/null || { cat "$OUT/games.log"; exit 1; }
  sleep 1
done
PID=$(pgrep -f "bin/workerd serve" | head -1)
perf stat -x, -e probe_workerd:walWriteOneFrame,probe_workerd:sqlite3PagerCommitPhaseOne,probe_workerd:sqlite3_step -p "$PID" -- sleep "$S" 2> "$OUT/stat.csv"
wait $BENCH
ROLLS=$(grep -o '"rollsPerSec":[0-9.]*' "$OUT/games.log" | tail -1 | cut -d: -f2)
node -e '
const [csv, rolls, s, g, t, load] = process.argv.slice(1);
const n = Object.fromEntries(require("fs").readFileSync(csv, "utf8").trim().split("\n").map((l) => l.split(",")).map((c) => [c[2].split(":")[1], Number(c[0])]));
const per = (k) => (n[k] / (Number(rolls) * Number(s))).toFixed(2);
console.log(`${t} G=${g}: ${rolls} rolls/s (under the probes); per roll: ${per("walWriteOneFrame")} WAL pages, ${per("sqlite3PagerCommitPhaseOne")} commits, ${per("sqlite3_step")} statement steps; load ${load}`);
' "$OUT/stat.csv" "$ROLLS" "$S" "$G" "$T" "$(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$OUT"
