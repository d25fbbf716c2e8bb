// `npm run bench`: every scenario against every target, targets in alternation (A B C D A B C D),
// each measurement on a freshly started server process; then bench/results.json and
// bench/RESULTS.md. Options (environment):
//   BENCH_ROUNDS=2              rounds per scenario (at least 2 for a real run)
//   BENCH_TARGETS=hearth,raw    subset of hearth-default,hearth,partyserver,raw,ws
//                               (hearth-default: the relay kind's default config, presence on)
//   BENCH_SCENARIOS=S1,S2       subset of S1..S5, T1 (tabletop chat), Q1 (quest event; both Hearth only)
//   BENCH_QUICK=1               short durations and fewer sockets, for trying the harness
//   BENCH_OUT=path.json         write the results JSON elsewhere, and the table beside it as path.md
//                               (bench/RESULTS.md is then untouched)
//   BENCH_STATE_DIR=dir         where Durable Object storage lives (default: tmpfs /dev/shm)
//   BENCH_HEARTH_ROOM_CONFIG='{}'   config for the Hearth rooms (default {"presence":false})
//   BENCH_NICE=-5               run the load generator and servers at this nice value (needs the
//                               privilege): other work on a shared machine then disturbs less
//   BENCH_RERUNS=6              at most this many S1-S3 runs are repeated because other
//                               processes took over 30% of the server's core (0: never)
import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { round, sleep } from "./loadgen.mjs";
import { renderResults } from "./report.mjs";
import { DEFAULTS, SCENARIOS } from "./scenarios.mjs";
import { HEARTH_ROOM_CONFIG, TARGETS } from "./targets.mjs";
import { bundleWorker, OUT, pinToCpu, reniceAll } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const env = process.env;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s`;
const log = (msg) => process.stdout.write(`[bench ${elapsed()}] ${msg}\n`);

const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 2));
const QUICK = env.BENCH_QUICK === "1";
const scenarioIds = (env.BENCH_SCENARIOS ?? "S1,S2,S3,S4,S5,T1,Q1").split(",").map((s) => s.trim().toUpperCase()).filter((s) => SCENARIOS[s]);
let targetIds = (env.BENCH_TARGETS ?? "hearth-default,hearth,partyserver,raw,ws").split(",").map((s) => s.trim()).filter((t) => TARGETS[t]);
const BUDGET_MS = Number(env.BENCH_BUDGET_S ?? 1100) * 1000; // no run starts that would end after this
const RUN_TIMEOUT_MS = 120_000; // one scenario on one target

const cfg = structuredClone(DEFAULTS);
if (QUICK) {
  Object.assign(cfg.S1, { sockets: 200, warmMs: 1000, measureMs: 3000 });
  Object.assign(cfg.S2, { sockets: 200, measureMs: 3000 });
  Object.assign(cfg.S3, { sockets: 20, measureMs: 3000 });
  Object.assign(cfg.S4, { rooms: 4, perRoom: 250, settleMs: 1000 });
  Object.assign(cfg.S5, { sockets: 200, missed: 100 });
}

// Cores: the load generator (this process) on one, the server under test on another.
const cpus = os.availableParallelism();
let taskset = false;
try {
  execFileSync("taskset", ["-V"], { stdio: "ignore" });
  taskset = cpus >= 2;
} catch {
  taskset = false;
}
const clientCpu = taskset ? 0 : null;
const serverCpu = taskset ? 1 : null;
if (taskset) pinToCpu(process.pid, clientCpu);
// Children (workerd, the ws server) inherit the nice value of the thread that spawns them.
const NICE = env.BENCH_NICE !== undefined && env.BENCH_NICE !== "" ? Number(env.BENCH_NICE) : null;
const niced = NICE !== null && Number.isFinite(NICE) ? reniceAll(process.pid, NICE) : false;

// A measured stretch (S1-S3) in which other processes took more than CROWDED_PCT of the server's
// core is repeated once, while the run is ahead of its schedule; the crowded one stays in the
// JSON under `discarded`. EST_S is a rough per-run duration used for that schedule.
const RERUNS = Number(env.BENCH_RERUNS ?? 6);
const CROWDED_PCT = 30;
const EST_S = { S1: 10, S2: 9, S3: 7, S4: 12, S5: 5, T1: 10, Q1: 11 };
const EST_HEARTH_EXTRA_S = { S1: 10, S2: 12, S3: 0, S4: 35, S5: 28, T1: 0, Q1: 0 };

function version(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}
function openFileLimit() {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    return Number(line.split(/\s{2,}/)[1]);
  } catch {
    return null;
  }
}

// Durable Object storage (SQLite) goes to tmpfs by default: every statement still runs, but a
// commit doesn't wait for this VM's disk flush (2-3 ms, shared and noisy), which would otherwise
// turn the persisting targets' figures into a disk benchmark. BENCH_STATE_DIR=<dir> to choose.
function defaultStateDir() {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return { dir: `/dev/shm/hearth-bench-${process.pid}`, kind: "tmpfs (/dev/shm)" };
  } catch {
    return { dir: path.join(OUT, "state"), kind: "disk (bench/.out/state)" };
  }
}
const state = env.BENCH_STATE_DIR ? { dir: path.resolve(env.BENCH_STATE_DIR), kind: `BENCH_STATE_DIR ${env.BENCH_STATE_DIR}` } : defaultStateDir();

const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: cpus,
  memoryGiB: round(os.totalmem() / 2 ** 30, 1),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  workerd: version("workerd"),
  miniflare: version("miniflare"),
  partyserver: version("partyserver"),
  ws: version("ws"),
  pinning: taskset ? `load generator on cpu ${clientCpu}, server under test on cpu ${serverCpu} (taskset)` : "none (taskset or a second core missing)",
  loadAvgStart: os.loadavg().map((v) => round(v, 2)),
  openFileLimit: openFileLimit(),
  storage: `Durable Object SQLite on ${state.kind}`,
  nice: niced ? NICE : 0,
  hearthRoomConfig: HEARTH_ROOM_CONFIG,
  rounds: ROUNDS,
  quick: QUICK,
};

// workerd holds two descriptors per WebSocket (the connection and a dup of it), so S4 needs
// about twice its socket count in open files; it is scaled down to fit rather than crash.
const fdNeed = 2 * cfg.S4.rooms * cfg.S4.perRoom + 300;
if (machine.openFileLimit !== null && machine.openFileLimit < fdNeed) {
  const perRoom = Math.floor((machine.openFileLimit - 300) / (2 * cfg.S4.rooms));
  machine.s4Note = `S4 ran ${cfg.S4.rooms} x ${perRoom} sockets: workerd needs 2 open files per WebSocket and the open-file limit here is ${machine.openFileLimit} (raise the hard limit for the full 10,000)`;
  log(machine.s4Note);
  cfg.S4.perRoom = perRoom;
}

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function brief(id, r) {
  if (r.error) return `ERROR ${r.error}`;
  const f = (k, unit = "") => (r[k] === null || r[k] === undefined ? "" : `${k}=${r[k]}${unit} `);
  const extra =
    r.serverCpuPct !== undefined
      ? `cpu server ${r.serverCpuPct}% client ${r.clientCpuPct}%${r.serverCoreOthersPct !== undefined ? ` others ${r.serverCoreOthersPct}%` : ""}`
      : "";
  switch (id) {
    case "S1":
      return `${f("deliveriesPerSec")}${f("failedPublishes")}${f("lost")}${f("duplicates")}${extra}`;
    case "S2":
      return `${f("p50Ms")}${f("p95Ms")}${f("p99Ms")}${f("maxMs")}${f("lost")}${extra}`;
    case "S3":
      return `${f("eventsPerSec")}${f("p99Ms")}${f("failedPublishes")}${f("lost")}${extra}`;
    case "S4":
      return `${f("bytesPerSocket")}${f("sockets")}${f("wanted")}${f("notAttempted")}${f("connectFailed")}${f("refused")}${f("rssBaseMB")}${f("rssIdleMB")}${f("connectMs")}`;
    case "T1":
      return `${f("deliveriesPerSec")}${f("p50Ms")}${f("p99Ms")}${f("lost")}${extra}`;
    case "Q1":
      return `${f("deliveriesPerSec")}${f("p50Ms")}${f("p99Ms")}${f("maxMs")}${f("lost")}${f("duplicates")}${f("failedPublishes")}${f("postP50Ms")}${f("postP99Ms")}${extra}`;
    case "S5":
      return `${f("catchUpMs")}${f("reconnectMs")}${f("lost")}${f("repeated")}${f("snapshotFallbacks")}${f("failedPublishes")}`;
    default:
      return JSON.stringify(r);
  }
}

// Servers that are up right now, so an interrupted run still stops them. (Miniflare also stops
// its workerd on SIGINT and may exit first; the state directory goes on any exit.)
const live = new Set();
process.on("exit", () => rmSync(state.dir, { recursive: true, force: true }));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    log(`${signal}: stopping servers`);
    Promise.allSettled([...live].map((s) => s.stop())).finally(() => {
      rmSync(state.dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  log(`machine: ${machine.cpu}, ${machine.cores} cores; ${machine.pinning}`);
  log(`scenarios ${scenarioIds.join(",")}; targets ${targetIds.join(",")}; ${ROUNDS} rounds${QUICK ? " (quick)" : ""}`);
  const scriptPath = await bundleWorker();
  const ctx = { scriptPath, stateDir: state.dir, serverCpu, taskset };

  // Hearth joins when its generic room API answers; until then the others still run.
  const skipped = {};
  for (const id of targetIds) {
    const target = TARGETS[id];
    const server = await target.start(ctx);
    live.add(server);
    try {
      const reason = await target.unavailable(server);
      if (reason) skipped[id] = reason;
    } finally {
      live.delete(server);
      await server.stop();
    }
  }
  for (const [id, reason] of Object.entries(skipped)) log(`target ${id} skipped: ${reason}`);
  targetIds = targetIds.filter((id) => !skipped[id]);

  const runs = {}; // runs[S][target] = [round results]
  let budgetHit = false;
  let reruns = 0;
  const plan = [];
  for (const sid of scenarioIds)
    for (let round = 1; round <= ROUNDS; round++)
      for (const tid of targetIds) if (!SCENARIOS[sid].only || SCENARIOS[sid].only.includes(tid)) plan.push({ sid, round, tid });
  // Presence on: every join is a frame to every member, so its S4 storm runs to the 60 s connect budget.
  const estimate = ({ sid, tid }) => EST_S[sid] + (tid.startsWith("hearth") ? EST_HEARTH_EXTRA_S[sid] : 0) + (tid === "hearth-default" && sid === "S4" ? 40 : 0);

  const measure = async (sid, tid, tag) => {
    const target = TARGETS[tid];
    const server = await target.start(ctx);
    live.add(server);
    try {
      return await withTimeout(SCENARIOS[sid].run({ target, server, cfg: cfg[sid], tag }), RUN_TIMEOUT_MS, `${sid} ${tid}`);
    } catch (e) {
      return { error: String(e?.message ?? e) };
    } finally {
      live.delete(server);
      await server.stop().catch(() => {});
      await sleep(300); // let TIME_WAIT sockets and the scheduler settle between runs
    }
  };

  for (let p = 0; p < plan.length; p++) {
    const { sid, round, tid } = plan[p];
    runs[sid] ??= Object.fromEntries(targetIds.map((t) => [t, []]));
    if (Date.now() - started + estimate(plan[p]) * 1000 > BUDGET_MS) {
      if (!budgetHit) log(`time budget reached: remaining runs skipped`);
      budgetHit = true;
      continue;
    }
    let result = await measure(sid, tid, `${sid}r${round}${tid}`);
    const crowded = (r) => typeof r.serverCoreOthersPct === "number" && r.serverCoreOthersPct > CROWDED_PCT;
    if (crowded(result) && reruns < RERUNS) {
      const rest = plan.slice(p + 1).reduce((sum, item) => sum + estimate(item), 0);
      if ((Date.now() - started) / 1000 + estimate(plan[p]) + rest < BUDGET_MS / 1000 - 10) {
        reruns++;
        log(`${sid} round ${round} ${tid.padEnd(11)} crowded (others took ${result.serverCoreOthersPct}% of the server core): measuring again`);
        const again = await measure(sid, tid, `${sid}r${round}${tid}b`);
        if (!again.error && (again.serverCoreOthersPct ?? 0) <= result.serverCoreOthersPct) {
          again.discarded = [{ ...result, reason: "crowded" }];
          result = again;
        } else {
          result.discarded = [{ ...again, reason: "crowded rerun, no better" }];
        }
      }
    }
    result.round = round;
    runs[sid][tid].push(result);
    log(`${sid} round ${round} ${tid.padEnd(11)} ${brief(sid, result)}`);
  }
  machine.reruns = reruns;

  rmSync(state.dir, { recursive: true, force: true });
  machine.loadAvgEnd = os.loadavg().map((v) => round(v, 2));
  machine.durationSec = round((Date.now() - started) / 1000);
  const date = new Date().toISOString();
  const { json, markdown } = renderResults({ date, machine, runs, cfg, skipped, targets: TARGETS, scenarios: SCENARIOS, budgetHit });

  const outJson = env.BENCH_OUT ? path.resolve(env.BENCH_OUT) : path.join(here, "results.json");
  writeFileSync(outJson, JSON.stringify(json, null, 2) + "\n");
  writeFileSync(path.join(OUT, `run-${date.replace(/[:.]/g, "-")}.json`), JSON.stringify({ date, machine, cfg, skipped, runs }, null, 2) + "\n");
  const outMd = env.BENCH_OUT ? outJson.replace(/\.json$/, "") + ".md" : path.join(here, "RESULTS.md");
  writeFileSync(outMd, markdown);
  log(`wrote ${path.relative(root, outJson)} and ${path.relative(root, outMd)} in ${machine.durationSec}s`);
}

main().then(
  () => process.exit(0),
  async (e) => {
    console.error(e);
    await Promise.allSettled([...live].map((s) => s.stop()));
    rmSync(state.dir, { recursive: true, force: true });
    process.exit(1);
  },
);
