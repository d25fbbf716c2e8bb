// `npm run bench:games -- [flags]`: seed 004's games (bigger_dice) on Hearth and on Colyseus in
// the same run. For each number of games G and each target (alternating), a fresh server process
// pinned to CPU 1 (taskset) while this load generator runs on CPU 0; G concurrent games (2 players +
// 1 spectator each, every socket its own user) roll as fast as turns allow for --seconds. Figures
// per measurement: rolls/s, roll latency (the roller's send to its own receipt of
// `bigger_dice.rolled`) p50/p99, the time to open every socket and start every game, games
// started/finished, errors, sockets the server closed, server and load-generator CPU, and the load
// average at start and end. Appends the run to bench/games-results.json and renders bench/GAMES.md.
//
//   --games 10,100,500,1000   --targets hearth-wrangler,hearth-workerd,hearth-workerd-plain,colyseus,raw-workerd-plain
//                             (the default; also raw-workerd, raw-seam-workerd, raw-seam-workerd-plain)   --seconds 30
//   --setup-seconds 300       --ping-seconds 20   --open-concurrency 60   --local-tracing
//   --out <file.json>         (another results file; GAMES.md is then left alone)
//   --burst                   (Hearth: open every socket, then create every room at once; the
//                              default paces set-up as the Colyseus client does, 20 games at a time)
import { writeFileSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { round } from "./loadgen.mjs";
import { pinToCpu } from "./workerd.mjs";
import { runColyseus } from "./gamesColyseus.mjs";
import { runHearth } from "./gamesHearth.mjs";
import { runRaw } from "./gamesRaw.mjs";
import { renderGames } from "./gamesReport.mjs";
import { canPin, cpuSeconds, DEFAULT_TARGETS, startTarget, TARGETS } from "./gamesServers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    games: { type: "string", default: "10,100,500,1000" },
    targets: { type: "string", default: DEFAULT_TARGETS.join(",") },
    seconds: { type: "string", default: "30" },
    "setup-seconds": { type: "string", default: "300" },
    "ping-seconds": { type: "string", default: "20" },
    "open-concurrency": { type: "string", default: "60" },
    "local-tracing": { type: "boolean", default: false },
    burst: { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const list = (s) => s.split(",").map((x) => x.trim()).filter(Boolean);
const SIZES = list(flags.games).map(Number);
const targets = list(flags.targets);
for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; one of ${TARGETS.join(", ")}`);
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--games takes positive integers, got ${flags.games}`);
const opts = {
  measureMs: Number(flags.seconds) * 1000,
  setupMs: Number(flags["setup-seconds"]) * 1000,
  pingMs: Number(flags["ping-seconds"]) * 1000,
  openConcurrency: Number(flags["open-concurrency"]),
  burst: flags.burst,
};
const outFile = flags.out ? path.resolve(flags.out) : path.join(here, "games-results.json");
const log = (m) => process.stdout.write(`[games ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const load = () => os.loadavg().map((v) => round(v, 2));

const pin = canPin(os.availableParallelism());
if (pin) pinToCpu(process.pid, 0);

async function measure(target, G) {
  const loadStart = load();
  const server = await startTarget(target, { cpu: pin ? 1 : null, localTracing: flags["local-tracing"] });
  const cpu0 = { server: cpuSeconds(server.pids()), gen: process.cpuUsage(), at: performance.now() };
  let result;
  try {
    const run = target === "colyseus" ? runColyseus : target.startsWith("raw-") ? runRaw : runHearth;
    // -plain: clients that don't offer permessage-deflate (Colyseus's server never compresses).
    const r = await run({ url: server.url, secret: server.secret, G, ...opts, log, deflate: !target.endsWith("-plain"), seam: target.startsWith("raw-seam-") });
    const wall = (performance.now() - cpu0.at) / 1000;
    const gen = process.cpuUsage(cpu0.gen);
    result = {
      target, G, ...r,
      // Over set-up and measurement together: near 100% on the server means its core was the limit.
      serverCpuPct: round((100 * (cpuSeconds(server.pids()) - cpu0.server)) / wall, 0),
      loadgenCpuPct: round((100 * (gen.user + gen.system)) / 1e6 / wall, 0),
      loadStart, loadEnd: load(),
    };
  } finally {
    // What the server leaves behind (hearth-wrangler: the size of its local trace) is known after it stops.
    Object.assign(server.facts, await server.stop());
  }
  return { ...result, ...server.facts };
}

const started = new Date().toISOString();
const results = [];
for (const [n, G] of SIZES.entries()) {
  // Alternate which target goes first, so neither always gets the quieter slot.
  const order = n % 2 === 0 ? targets : [...targets].reverse();
  for (const target of order) {
    log(`${target} G=${G}: starting`);
    try {
      const r = await measure(target, G);
      log(`${target} G=${G}: ${JSON.stringify(r)}`);
      results.push(r);
    } catch (err) {
      log(`${target} G=${G}: FAILED ${err.stack ?? err}`);
      results.push({ target, G, failed: String(err.message ?? err), loadEnd: load() });
    }
  }
}

const run = {
  started,
  ended: new Date().toISOString(),
  command: `node bench/games.mjs ${process.argv.slice(2).join(" ")}`.trim(),
  machine: { cpu: os.cpus()[0]?.model ?? "?", cores: os.cpus().length, pinning: pin ? "load generator cpu 0, server cpu 1 (taskset)" : "none", node: process.version },
  options: { ...opts, localTracing: flags["local-tracing"] },
  results,
};
const history = existsSync(outFile) ? JSON.parse(readFileSync(outFile, "utf8")) : { runs: [] };
history.runs.push(run);
writeFileSync(outFile, JSON.stringify(history, null, 2) + "\n");
log(`appended the run to ${path.relative(process.cwd(), outFile)}`);
if (!flags.out) {
  writeFileSync(path.join(here, "GAMES.md"), renderGames(history));
  log("wrote bench/GAMES.md");
}
process.exit(0);
