// Renders bench/games-results.json (every run of bench/games.mjs) as bench/GAMES.md: the method,
// then each run newest first, with its figures and Hearth-to-Colyseus ratios against the aims.
const fmt = (v, digits = 0) => (v === null || v === undefined ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits }));
const secs = (ms) => (ms === null || ms === undefined ? "not all" : `${(ms / 1000).toFixed(1)} s`);
const codes = (o) => (o && Object.keys(o).length ? Object.entries(o).map(([k, v]) => `${k}: ${v}`).join(", ") : "0");

const METHOD = `# Games benchmark (seed 004): Hearth, Colyseus and a raw Durable Object

\`npm run bench:games\` (bench/games.mjs) plays seed 004's \`bigger_dice\` against each target in the same
run. For each number of games G, and each target in turn (the order alternates between sizes), it
starts a **fresh server process** pinned to CPU 1 (\`taskset -c 1\`) while the load generator runs on
CPU 0. Then G games run at once, 2 players + 1 spectator each, every socket its own user (own JWT).
A player rolls as soon as \`turn_changed\` names it; a finished game is followed at once by a new room.
Every socket pings (\`{"type":"ping"}\`, or Colyseus's \`ping\` message) from the moment it opens (the lobby closes
sockets silent for 40 s).

| target | what runs |
| --- | --- |
| **hearth-wrangler** | \`npm start\` as a user runs it: scripts/start.mjs -> \`wrangler dev\` (workerd), state on disk in a fresh directory, local tracing off (start.mjs's default). Seed 004's JSON over \`/ws/games\`, one lobby. |
| **hearth-workerd** | the same worker in workerd through Miniflare's API (bench/workerd.mjs): no wrangler, Durable Object SQLite on tmpfs. |
| **hearth-workerd-plain** | hearth-workerd, with load-generator sockets that don't offer permessage-deflate: every frame goes uncompressed, as Colyseus's server sends them (it declines compression). Browsers always offer it and workerd accepts, so hearth-workerd is what a browser gets; this row prices the compression. |
| **colyseus** | \`@colyseus/core\` + \`@colyseus/ws-transport\` (bench/colyseus/), one Colyseus room per game, plain messages with seed 004's names and fields, JWT checked in \`onAuth\`, nothing persisted. Driven by \`@colyseus/sdk\`: \`create\` / \`join\` by \`room_name\` / \`joinById\` for the spectator; each new game is a new room (3 new connections). |
| **raw-workerd**, **raw-workerd-plain** | the platform's floor for the same game (from 2026-12-07): hearth-workerd's workerd process, its games played on bench/rawGame.ts, one hibernating Durable Object per game holding its three sockets itself, a roll one \`webSocketMessage\` + one SQLite transaction (the roll's frames as log rows and the game's state, as durable as Hearth's roll) + 2.5 frames to each socket. No Hearth code: no token checked, no lobby, no gateway, no RPC between objects. Each new game is a new object (3 new connections), as with Colyseus. Driven by bench/gamesRaw.mjs; \`-plain\`: sockets that don't offer permessage-deflate. |
| **raw-seam-workerd**, **raw-seam-workerd-plain** | the same raw game with Hearth's topology (bench/rawSeam.ts, from 2026-12-07 07:04Z): the sockets on gateway objects (a game's three on one gateway, 100 sockets a gateway), a roll the socket's frame at the gateway, one RPC to the game's object (which commits and answers with the frames), one ledger write at the gateway and the sends. What the seam between objects costs the platform, still with no Hearth code. |

Columns: **rolls/s** counts \`bigger_dice.rolled\` frames the roller received for its own roll during
the window; **p50/p99** is that roll's latency (the roller's send to its receipt); **open+start** is
the time from the first socket opening until every game had started (sockets open
\`--open-concurrency\` at a time); **server CPU** and **gen CPU** are the server's and the load
generator's CPU over set-up and window (100% = one core); **closed** counts sockets the server
closed, by code; **busiest object's share** is the largest share of the window's inputs any one
Durable Object took (lobby, its gateways, the games; \`POST /api/objects/load\`). Runs from
2026-12-06 11:00Z on are games on streams (sockets on lobby gateways, a roll goes gateway -> game ->
gateways); the 09:40Z run is from before, when every roll went socket -> lobby -> game -> lobby.

Set-up is paced the same for both targets (from 2026-12-06 13:30Z): \`--open-concurrency\` / 3
(20) games at a time, each game's three sockets opened and its room set up (Hearth: create_room,
join_room, spectate; Colyseus: create, join by \`room_name\`, joinById, each an HTTP matchmaking
request and a WebSocket) before the pool takes the next game; games already set up play
meanwhile. Earlier runs opened all of Hearth's sockets first and then created every room at once
(\`--burst\`, still available): the worst case for Hearth's lobby list, where every room_created
reaches every socket still browsing. The set-up phase is bounded by \`--setup-seconds\` only after
the pool is done. Hearth's sockets are \`ws\` clients with its defaults, which offer
permessage-deflate as browsers do; workerd accepts it, so Hearth's figures include compressing
every frame (about 12% of workerd's CPU per roll with a window per socket; from the 2026-12-07 04:54Z run
on, the games route compresses each frame on its own, [C8], about 6-7%; bench/ROLL-COST.md); Colyseus's server declines it. **hearth-workerd-plain** is the same server with clients that don't offer it.
Both load generators are single Node processes on CPU 0. A run's \`notes\` in
bench/games-results.json (written after the run) are shown below it.
`;

function table(run) {
  const rows = run.results.map((r) =>
    r.failed
      ? `| ${r.target} | ${r.G} | failed: ${r.failed.replace(/\|/g, "/").slice(0, 120)} | | | | | | | | | | | ${r.loadEnd?.join(" ") ?? ""} |`
      : `| ${r.target} | ${r.G} | ${r.socketsOpen}/${r.sockets} | ${r.gamesStarted} | ${secs(r.openAndStartMs)} | **${fmt(r.rollsPerSec, 1)}** | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${r.gamesFinished} | ${codes(r.errors)} | ${codes(r.closedByServer)} | ${r.busiest ? `${(r.busiest.share * 100).toFixed(1)}% (${r.busiest.name.replace(/^games:lobby:[^:]+/, "lobby").replace(/^game:.*/, "a game")})` : "–"} | ${fmt(r.serverCpuPct)}% / ${fmt(r.loadgenCpuPct)}% | ${r.loadStart.join(" ")} -> ${r.loadEnd.join(" ")} |`,
  );
  return [
    "| target | G | sockets open | games started | open+start | rolls/s | p50 ms | p99 ms | games finished | errors | closed | busiest object's share of inputs | server / gen CPU | load avg start -> end |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** A run's measurement of target t at G games (not a failed one), and its sizes in order. */
function measured(run) {
  return { by: (t, G) => run.results.find((r) => r.target === t && r.G === G && !r.failed), sizes: [...new Set(run.results.map((r) => r.G))] };
}

function ratios(run) {
  const { by, sizes } = measured(run);
  const lines = [];
  for (const hearth of ["hearth-wrangler", "hearth-workerd", "hearth-workerd-plain"]) {
    for (const G of sizes) {
      const h = by(hearth, G);
      const c = by("colyseus", G);
      if (!h || !c) continue;
      const rate = c.rollsPerSec ? h.rollsPerSec / c.rollsPerSec : null;
      const p99 = h.p99Ms !== null && c.p99Ms ? h.p99Ms / c.p99Ms : null;
      const aimed = G === 100 || G === 500;
      const verdict = !aimed ? "" : rate !== null && rate >= 0.25 && p99 !== null && p99 <= 5 ? "meets both" : `misses${rate === null || rate < 0.25 ? " rolls/s" : ""}${p99 === null || p99 > 5 ? " p99" : ""}`;
      lines.push(`| ${hearth} | ${G} | ${fmt(h.rollsPerSec, 1)} / ${fmt(c.rollsPerSec, 1)} | **${rate === null ? "–" : rate.toFixed(3)}x** | ${fmt(h.p99Ms, 1)} / ${fmt(c.p99Ms, 1)} ms | **${p99 === null ? "–" : p99.toFixed(1)}x** | ${verdict} |`);
    }
  }
  if (lines.length === 0) return "";
  return [
    "Hearth against Colyseus (aims: rolls/s at least 0.25x, p99 at most 5x, at 100 and 500 games):",
    "",
    "| Hearth target | G | rolls/s Hearth / Colyseus | ratio | p99 Hearth / Colyseus | ratio | aims |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...lines,
  ].join("\n");
}

/** The raw Durable Object's rows, when the run has them: how far the platform itself is from Colyseus, and Hearth from the platform. */
function floor(run) {
  const { by, sizes } = measured(run);
  const lines = [];
  for (const raw of ["raw-workerd-plain", "raw-workerd", "raw-seam-workerd-plain", "raw-seam-workerd"]) {
    for (const G of sizes) {
      const r = by(raw, G);
      if (!r) continue;
      const c = by("colyseus", G);
      const cpuPerRoll = (x) => (x.rollsPerSec && x.serverCpuPct ? `${((x.serverCpuPct / 100) * 1000 / x.rollsPerSec).toFixed(2)}` : "–");
      const vs = (a, b, k) => (a && b && a[k] && b[k] ? `${(a[k] / b[k]).toFixed(2)}x` : "–");
      const hearth = ["hearth-workerd", "hearth-workerd-plain"].map((t) => by(t, G)).filter(Boolean);
      const hearthCells = hearth.map((h) => `${h.target}: ${vs(h, r, "rollsPerSec")} rolls/s, ${vs(h, r, "p99Ms")} p99`).join("; ");
      lines.push(`| ${raw} | ${G} | ${fmt(r.rollsPerSec, 1)} | ${c ? `**${vs(r, c, "rollsPerSec")}**` : "–"} | ${c ? vs(r, c, "p99Ms") : "–"} | ${cpuPerRoll(r)} | ${hearthCells || "–"} |`);
    }
  }
  if (lines.length === 0) return "";
  return [
    "The platform's floor (bench/rawGame.ts): the raw Durable Object against Colyseus, and Hearth against the raw object (rolls/s: above 1x is faster; p99: above 1x is slower). CPU ms a roll is the server's CPU over set-up and window divided by the window's rolls, so it overstates a little where set-up was long:",
    "",
    "| raw target | G | rolls/s | raw / Colyseus rolls/s | raw / Colyseus p99 | server CPU ms a roll (approx.) | Hearth / raw |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...lines,
  ].join("\n");
}

export function renderGames(history) {
  const runs = [...history.runs].reverse();
  const sections = runs.map((run, i) => {
    const o = run.options;
    const traces = run.results.filter((r) => r.traceMb !== undefined).map((r) => `${r.G}: ${r.traceMb} MB`);
    return [
      `## ${i === 0 ? "Latest run" : "Earlier run"}: ${run.started.slice(0, 16).replace("T", " ")}Z`,
      "",
      `\`${run.command}\` — ${o.measureMs / 1000} s windows, pings every ${o.pingMs / 1000} s, ${o.openConcurrency} sockets opening at a time, ` +
        `set-up budget ${o.setupMs / 1000} s. Machine: ${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.pinning}, Node ${run.machine.node}. ` +
        `The machine is shared with other sessions: the load average (1/5/15 min) is in each row.` +
        (traces.length ? ` hearth-wrangler local trace size after each run (G: MB): ${traces.join(", ")}.` : ""),
      "",
      table(run),
      "",
      ratios(run),
      "",
      floor(run),
      "",
      ...(run.notes ? [run.notes, ""] : []),
    ].join("\n");
  });
  return `${METHOD}\n${sections.join("\n")}\nThe first games bench (Hearth only, latency to the spectator): bench/GAMES-2026-12-02.md.\n`;
}
