// Turns the per-round results into bench/results.json (one fixed shape) and bench/RESULTS.md.
// Rates, latencies and sizes: median over rounds (maxMs: the largest). Counts: summed over rounds.
import { existsSync, readFileSync } from "node:fs";
import { round } from "./loadgen.mjs";

const TARGET_ORDER = ["hearth-default", "hearth", "partyserver", "raw", "ws"];
const HEARTHS = ["hearth-default", "hearth"];
const RATIO_HEAD = "D/partyserver | D/raw | off/partyserver | off/raw";
const ratios = (v) => HEARTHS.flatMap((h) => [ratio(v(h), v("partyserver")), ratio(v(h), v("raw"))]).join(" | ");

// Issue 14's aims: [label, scenario, key, baseline, bound, better]; evaluated for both Hearth configs.
const AIMS = [
  ["S1 fan-out deliveries/s >= 1.5x raw", "S1", "deliveriesPerSec", "raw", 1.5, "higher"],
  ["S2 p99 <= 0.8x partyserver", "S2", "p99Ms", "partyserver", 0.8, "lower"],
  ["S2 p99 <= 1.0x raw", "S2", "p99Ms", "raw", 1.0, "lower"],
  ["S3 ingest events/s >= 1.0x raw", "S3", "eventsPerSec", "raw", 1.0, "higher"],
  ["S4 idle bytes/socket <= 1.0x partyserver", "S4", "bytesPerSocket", "partyserver", 1.0, "lower"],
  ["open 1,000 sockets in one room <= 1.2x raw", "S1", "connectMs", "raw", 1.2, "lower"],
  ["S5 catch-up <= 1.0x raw", "S5", "catchUpMs", "raw", 1.0, "lower"],
];

// [key, label, aggregation, better] per scenario: what results.json carries and the table shows.
export const FIGURES = {
  S1: [
    ["deliveriesPerSec", "deliveries/s", "median", "higher"],
    ["eventsPerSec", "events/s", "median", "higher"],
    ["failedPublishes", "failed publishes", "sum", "lower"],
    ["lost", "lost deliveries", "sum", "lower"],
  ],
  S2: [
    ["p50Ms", "p50 ms", "median", "lower"],
    ["p95Ms", "p95 ms", "median", "lower"],
    ["p99Ms", "p99 ms", "median", "lower"],
    ["maxMs", "max ms", "max", "lower"],
    ["failedPublishes", "failed publishes", "sum", "lower"],
    ["lost", "lost deliveries", "sum", "lower"],
  ],
  S3: [
    ["eventsPerSec", "events/s", "median", "higher"],
    ["p50Ms", "POST p50 ms", "median", "lower"],
    ["p99Ms", "POST p99 ms", "median", "lower"],
    ["failedPublishes", "failed publishes", "sum", "lower"],
    ["lost", "lost deliveries", "sum", "lower"],
  ],
  S4: [
    ["bytesPerSocket", "RSS bytes/socket", "median", "lower"],
    ["bytesPerSocketAfterOne", "RSS bytes/socket after one event to every socket", "median", "lower"],
  ],
  T1: [
    ["deliveriesPerSec", "deliveries/s", "median", "higher"],
    ["p50Ms", "p50 ms", "median", "lower"],
    ["p99Ms", "p99 ms", "median", "lower"],
    ["lost", "lost deliveries", "sum", "lower"],
  ],
  Q1: [
    ["deliveriesPerSec", "deliveries/s", "median", "higher"],
    ["p50Ms", "p50 ms", "median", "lower"],
    ["p99Ms", "p99 ms", "median", "lower"],
    ["maxMs", "max ms", "max", "lower"],
    ["lost", "lost deliveries", "sum", "lower"],
    ["duplicates", "duplicate deliveries", "sum", "lower"],
    ["failedPublishes", "failed POSTs", "sum", "lower"],
    ["postP50Ms", "POST p50 ms", "median", "lower"],
    ["postP99Ms", "POST p99 ms", "median", "lower"],
  ],
  S5: [
    ["catchUpMs", "catch-up ms", "median", "lower"],
    ["lost", "lost events", "sum", "lower"],
    ["repeated", "repeated events", "sum", "lower"],
    ["snapshotFallbacks", "snapshot fallbacks", "sum", "lower"],
    ["silentGaps", "told recovered, yet missing events (sockets)", "sum", "lower"],
    ["failedPublishes", "failed publishes", "sum", "lower"],
  ],
};

function median(xs) {
  const v = xs.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function aggregate(rounds, key, how) {
  const values = rounds.filter((r) => !r.error).map((r) => r[key]);
  const numbers = values.filter((x) => typeof x === "number" && Number.isFinite(x));
  if (numbers.length === 0) return null;
  if (how === "sum") return numbers.reduce((a, b) => a + b, 0);
  if (how === "max") return Math.max(...numbers);
  return round(median(numbers), 2);
}

function ratio(a, b) {
  if (typeof a !== "number" || typeof b !== "number") return "–";
  if (a === 0 && b === 0) return "=";
  if (b === 0) return "–";
  return `${(a / b).toFixed(2)}x`;
}

function fmt(v) {
  if (v === null || v === undefined) return "–";
  if (typeof v !== "number") return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
}

export function renderResults({ date, machine, runs, cfg, skipped, targets, scenarios, budgetHit }) {
  const json = { date, machine, scenarios: {} };
  for (const sid of Object.keys(FIGURES)) {
    if (!runs[sid]) continue;
    json.scenarios[sid] = {};
    for (const tid of TARGET_ORDER) {
      const rounds = runs[sid][tid] ?? [];
      const entry = {};
      for (const [key, , how] of FIGURES[sid]) entry[key] = aggregate(rounds, key, how);
      if (["S1", "S2", "S3", "T1", "Q1"].includes(sid)) {
        entry.serverCpuPct = aggregate(rounds, "serverCpuPct", "median");
        entry.clientCpuPct = aggregate(rounds, "clientCpuPct", "median");
        entry.serverCoreOthersPct = aggregate(rounds, "serverCoreOthersPct", "median");
      }
      if (sid === "S4") {
        for (const k of ["sockets", "wanted", "notAttempted", "connectFailed", "refused"]) entry[k] = aggregate(rounds, k, "median");
      }
      if (skipped[tid]) entry.skipped = skipped[tid];
      const errors = rounds.filter((r) => r.error).map((r) => r.error);
      if (errors.length) entry.errors = errors;
      const note = rounds.find((r) => r.note)?.note;
      if (note) entry.note = note;
      entry.rounds = rounds;
      json.scenarios[sid][tid] = entry;
    }
  }

  const label = (tid) => targets[tid]?.label ?? tid;
  const lines = [];
  lines.push("# Hearth benchmark results", "");
  lines.push(`Run ${date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}, workerd ${machine.workerd} (Miniflare ${machine.miniflare} API, no wrangler dev proxy).`);
  lines.push(`Hearth rooms: \`relay\`, one user per socket, every socket opted in to batch frames (\`batch=1\`, as the SDK does). Two Hearth columns: **Hearth default** (D) is the relay kind's default config (presence broadcasts on), what a user gets; **Hearth** (off) is config \`${JSON.stringify(machine.hearthRoomConfig)}\`, like the baselines, none of which announces joins.`);
  lines.push(`Pinning: ${machine.pinning}. ${machine.storage}. Nice ${machine.nice}; ${machine.reruns ?? 0} crowded runs measured again. Load average ${machine.loadAvgStart.join(" / ")} at start, ${machine.loadAvgEnd.join(" / ")} at end. ${machine.rounds} rounds, targets in alternation, every measurement on a fresh server process. Whole run: ${machine.durationSec} s.${machine.quick ? " QUICK MODE: reduced sizes, not comparable." : ""}`);
  lines.push("");
  lines.push("The machine is shared and noisy: read the ratios (measured in the same run) rather than the bare numbers. Ratios are Hearth divided by the baseline (D: Hearth default, off: presence off), so above 1x is better for rates and worse for times, bytes and counts.");
  lines.push("");
  lines.push(`| Scenario | Figure | ${TARGET_ORDER.map(label).join(" | ")} | ${RATIO_HEAD} |`);
  lines.push(`| --- | --- | ${TARGET_ORDER.map(() => "---:").join(" | ")} | ---: | ---: | ---: | ---: |`);
  for (const sid of Object.keys(FIGURES)) {
    if (!json.scenarios[sid]) continue;
    for (const [key, name] of FIGURES[sid]) {
      const v = (tid) => json.scenarios[sid][tid][key];
      lines.push(`| ${scenarios[sid].title} | ${name} | ${TARGET_ORDER.map((t) => fmt(v(t))).join(" | ")} | ${ratios(v)} |`);
    }
  }
  lines.push("");
  lines.push("`–`: not measured or not applicable; `=`: both zero.");
  lines.push("");

  lines.push("## Where the time went", "");
  lines.push("Median share of one core used during the measured stretch: server under test / load generator (in brackets: other processes and steal on the server's core, i.e. noise). A server near 100% is the limit; a load generator near 100% means the figure is the client's ceiling, not the server's; a server well below 100% with noise in brackets was crowded out.", "");
  lines.push(`| Scenario | ${TARGET_ORDER.map(label).join(" | ")} |`);
  lines.push(`| --- | ${TARGET_ORDER.map(() => "---:").join(" | ")} |`);
  for (const sid of ["S1", "S2", "S3", "T1", "Q1"]) {
    if (!json.scenarios[sid]) continue;
    const cell = (tid) => {
      const e = json.scenarios[sid][tid];
      if (e.serverCpuPct === null) return "–";
      const others = e.serverCoreOthersPct;
      const pct = (v) => `${Math.round(v)}%`;
      return `${pct(e.serverCpuPct)} / ${pct(e.clientCpuPct)}${others === null || others === undefined ? "" : ` (${pct(others)})`}`;
    };
    lines.push(`| ${scenarios[sid].title} | ${TARGET_ORDER.map(cell).join(" | ")} |`);
  }
  lines.push("");
  const setup = [
    ["S1", "connectMs", `open ${cfg.S1.sockets} sockets in one room (S1 set-up, ms)`],
    ["S4", "connectMs", `open the S4 sockets (ms)`],
    ["S4", "sockets", "S4 sockets open when measured"],
    ["S4", "wanted", "S4 sockets wanted"],
    ["S4", "notAttempted", "S4 sockets not tried (connect budget ran out)"],
    ["S4", "connectFailed", "S4 sockets that failed every handshake attempt"],
    ["S4", "refused", "S4 sockets refused with 4009"],
    ["S5", "reconnectMs", `S5: all ${cfg.S5.sockets} sockets open again (ms)`],
    ["S5", "settledMs", "S5: every socket told recovered or not (ms)"],
  ].filter(([sid]) => runs[sid]);
  if (setup.length) {
    lines.push("Set-up and reconnect costs (median of rounds):", "");
    lines.push(`| Figure | ${TARGET_ORDER.map(label).join(" | ")} | ${RATIO_HEAD} |`);
    lines.push(`| --- | ${TARGET_ORDER.map(() => "---:").join(" | ")} | ---: | ---: | ---: | ---: |`);
    for (const [sid, key, name] of setup) {
      const v = (t) => aggregate(runs[sid][t] ?? [], key, "median");
      lines.push(`| ${name} | ${TARGET_ORDER.map((t) => fmt(v(t))).join(" | ")} | ${ratios(v)} |`);
    }
    lines.push("");
  }

  if (runs.T1 || runs.Q1) {
    lines.push("## Seed paths (Hearth only)", "");
    lines.push("No baseline has these systems, so each is shown beside same-run relay figures: S2 (publish -> delivery into 1,000 sockets at 10 events/s) for latency, S3 for throughput.", "");
  }
  const m = (sid, tid, key, how = "median") => fmt(aggregate(runs[sid]?.[tid] ?? [], key, how));
  if (runs.T1) {
    lines.push("| Figure | T1 tabletop chat (20 players) | S2 Hearth default | S2 Hearth presence off | S2 raw DO |", "| --- | ---: | ---: | ---: | ---: |");
    lines.push(`| p50 ms | ${m("T1", "hearth", "p50Ms")} | ${m("S2", "hearth-default", "p50Ms")} | ${m("S2", "hearth", "p50Ms")} | ${m("S2", "raw", "p50Ms")} |`);
    lines.push(`| p99 ms | ${m("T1", "hearth", "p99Ms")} | ${m("S2", "hearth-default", "p99Ms")} | ${m("S2", "hearth", "p99Ms")} | ${m("S2", "raw", "p99Ms")} |`);
    lines.push(`| deliveries/s (T1) / S3 accepted events/s | ${m("T1", "hearth", "deliveriesPerSec")} | ${m("S3", "hearth-default", "eventsPerSec")} | ${m("S3", "hearth", "eventsPerSec")} | ${m("S3", "raw", "eventsPerSec")} |`);
    lines.push("", "T1 is open loop at the offered rate (it shows whether the table keeps up and at what latency), not a saturation figure.", "");
  }
  if (runs.Q1) {
    lines.push(`| Figure | Q1 quest event (${cfg.Q1.players} players) | S2 Hearth default | S2 Hearth presence off | S2 raw DO |`, "| --- | ---: | ---: | ---: | ---: |");
    lines.push(`| p50 ms | ${m("Q1", "hearth", "p50Ms")} | ${m("S2", "hearth-default", "p50Ms")} | ${m("S2", "hearth", "p50Ms")} | ${m("S2", "raw", "p50Ms")} |`);
    lines.push(`| p99 ms | ${m("Q1", "hearth", "p99Ms")} | ${m("S2", "hearth-default", "p99Ms")} | ${m("S2", "hearth", "p99Ms")} | ${m("S2", "raw", "p99Ms")} |`);
    lines.push(`| max ms | ${m("Q1", "hearth", "maxMs", "max")} | ${m("S2", "hearth-default", "maxMs", "max")} | ${m("S2", "hearth", "maxMs", "max")} | ${m("S2", "raw", "maxMs", "max")} |`);
    lines.push(`| lost deliveries | ${m("Q1", "hearth", "lost", "sum")} | ${m("S2", "hearth-default", "lost", "sum")} | ${m("S2", "hearth", "lost", "sum")} | ${m("S2", "raw", "lost", "sum")} |`);
    lines.push(`| POST p50 ms (Q1) / S3 POST p50 ms | ${m("Q1", "hearth", "postP50Ms")} | ${m("S3", "hearth-default", "p50Ms")} | ${m("S3", "hearth", "p50Ms")} | ${m("S3", "raw", "p50Ms")} |`);
    lines.push(`| POST p99 ms (Q1) / S3 POST p99 ms | ${m("Q1", "hearth", "postP99Ms")} | ${m("S3", "hearth-default", "p99Ms")} | ${m("S3", "hearth", "p99Ms")} | ${m("S3", "raw", "p99Ms")} |`);
    lines.push(`| deliveries/s (Q1) | ${m("Q1", "hearth", "deliveriesPerSec")} | | | |`);
    lines.push(`| duplicates / failed POSTs (Q1) | ${m("Q1", "hearth", "duplicates", "sum")} / ${m("Q1", "hearth", "failedPublishes", "sum")} | | | |`);
    lines.push("", "Q1 is open loop at the offered rate too; S3's POSTs are back to back (16 at once) into a 100-socket relay room, so its POST times include queueing that Q1's don't.", "");
  }
  lines.push("## Issue 14's aims", "");
  lines.push("Met or not in this run, for both Hearth configs (ratio in brackets). `?`: a figure is missing.", "");
  lines.push("| Aim | Hearth default | Hearth presence off |", "| --- | --- | --- |");
  const aimCell = (tid, sid, key, base, bound, better) => {
    const a = aggregate(runs[sid]?.[tid] ?? [], key, "median");
    const b = aggregate(runs[sid]?.[base] ?? [], key, "median");
    if (typeof a !== "number" || typeof b !== "number" || b === 0) return "?";
    const r = a / b;
    const met = better === "higher" ? r >= bound : r <= bound;
    return `${met ? "met" : "not met"} (${r.toFixed(2)}x)`;
  };
  for (const [name, sid, key, base, bound, better] of AIMS) {
    lines.push(`| ${name} | ${HEARTHS.map((h) => aimCell(h, sid, key, base, bound, better)).join(" | ")} |`);
  }
  const everyOpen = (tid) => {
    const rs = (runs.S4?.[tid] ?? []).filter((r) => !r.error);
    if (rs.length === 0) return "?";
    const short = rs.filter((r) => r.sockets + (r.refused ?? 0) < r.wanted);
    return short.length === 0 ? `met (${rs.map((r) => r.sockets).join(", ")} of ${rs[0].wanted})` : `not met (${rs.map((r) => `${r.sockets}${r.refused ? `, ${r.refused} refused 4009` : ""}`).join("; ")} of ${rs[0].wanted})`;
  };
  if (runs.S4) lines.push(`| S4: every socket opens (or is refused with 4009) | ${HEARTHS.map(everyOpen).join(" | ")} |`);
  lines.push("");

  lines.push("## Rounds", "");
  lines.push("The headline figure of every run, in the order measured, so drift across a run is visible.", "");
  lines.push(`| Scenario | Round | ${TARGET_ORDER.map(label).join(" | ")} |`);
  lines.push(`| --- | --- | ${TARGET_ORDER.map(() => "---:").join(" | ")} |`);
  for (const sid of Object.keys(FIGURES)) {
    if (!json.scenarios[sid]) continue;
    const [key, name] = FIGURES[sid][0];
    const n = Math.max(...TARGET_ORDER.map((t) => json.scenarios[sid][t].rounds.length));
    for (let i = 0; i < n; i++) {
      const cell = (tid) => {
        const r = json.scenarios[sid][tid].rounds[i];
        return r ? (r.error ? "error" : fmt(r[key])) : "–";
      };
      lines.push(`| ${scenarios[sid].title} (${name}) | ${i + 1} | ${TARGET_ORDER.map(cell).join(" | ")} |`);
    }
  }
  lines.push("");

  lines.push("## Notes", "");
  const notes = [];
  for (const [tid, reason] of Object.entries(skipped)) notes.push(`${label(tid)} not measured: ${reason}.`);
  if (machine.s4Note) notes.push(machine.s4Note + ".");
  if (budgetHit) notes.push("The time budget ran out before every run started; missing rounds are `–`.");
  for (const sid of Object.keys(json.scenarios)) {
    for (const tid of TARGET_ORDER) {
      for (const err of json.scenarios[sid][tid].errors ?? []) notes.push(`${sid} ${label(tid)}: ${err}`);
    }
  }
  for (const tid of TARGET_ORDER) {
    const gaps = json.scenarios.S5?.[tid]?.silentGaps;
    if (gaps) notes.push(`S5 ${label(tid)}: ${gaps} socket resumes ended with \`recovered: true\` although missed events never arrived (a silent gap; see \`lostById\` in results.json).`);
  }
  if (runs.T1) notes.push(`T1 tabletop chat is a seed path, Hearth only (no baseline has a tabletop): ${cfg.T1.players} players on /ws/game without batch=1, each chatting ${cfg.T1.perPlayerRate}/s for ${cfg.T1.measureMs / 1000} s (open loop, ${cfg.T1.players * cfg.T1.perPlayerRate} messages/s, ${cfg.T1.players ** 2 * cfg.T1.perPlayerRate} deliveries/s offered); latency is chat send -> each player's receipt. Read it against S2 (relay publish -> delivery) of the same run.`);
  if (runs.Q1) notes.push(`Q1 quest event is a seed path, Hearth only (no baseline has a quest runtime): ${cfg.Q1.players} players registered through POST /api/teams and /api/teams/:code/join, each on /ws/quest?teamCode= without batch=1 (after the seed's \`join\` frame); a service POSTs \`ACTION_ATTEMPT\` (acting for each player in turn) to /api/runtime/session/:sessionId/events at ${cfg.Q1.rate}/s for ${cfg.Q1.measureMs / 1000} s after ${cfg.Q1.warmMs / 1000} s warm-up (open loop, ${cfg.Q1.rate * cfg.Q1.players} deliveries/s offered), and every socket should get one \`runtime_delta\`. A runtime_delta carries only derived deltas, not the posted payload, so deliveries are matched to events by the \`seq\` each POST's answer names (loadgen.mjs \`claim\` hook). Latency runs from just before the POST to each socket's receipt; POST times include the answer's snapshot (the whole 50-player view).`);
  notes.push("partyserver here only broadcasts (no storage), as partyserver apps typically do; Hearth and the raw DO write one SQLite row per event before broadcasting; Node ws keeps events in memory only.");
  notes.push("S5 for partyserver: it has no history, so missed events cannot be recovered (`–`); its reconnect time is in results.json (`reconnectMs`).");
  notes.push(
    `Sizes: S1 ${cfg.S1.sockets} sockets, ${cfg.S1.measureMs / 1000} s measured after ${cfg.S1.warmMs / 1000} s warm-up, window ${cfg.S1.window} events / ${cfg.S1.concurrency} POSTs; S2 ${cfg.S2.rate} events/s for ${cfg.S2.measureMs / 1000} s; S3 ${cfg.S3.concurrency} concurrent publishers for ${cfg.S3.measureMs / 1000} s; S4 ${cfg.S4.rooms} x ${cfg.S4.perRoom} sockets; S5 ${cfg.S5.sockets} sockets, ${cfg.S5.missed} missed + ${cfg.S5.live} live events.`,
  );
  for (const n of notes) lines.push(`- ${n}`);
  lines.push("");
  lines.push("Full per-round figures (CPU, connect times, failure reasons): `bench/results.json`. How to read this: `bench/README.md`.");
  // The hand-written reading of the figures (what limits Hearth) travels with every regenerated file.
  const analysis = new URL("./ANALYSIS.md", import.meta.url);
  if (existsSync(analysis)) lines.push("", readFileSync(analysis, "utf8").trimEnd());
  lines.push("");
  return { json, markdown: lines.join("\n") };
}
