// The servers bench/games.mjs measures, each a fresh process (and fresh state) per measurement,
// every thread pinned to one core with taskset when the machine has two:
//   hearth-wrangler  `npm start` as a user runs it (scripts/start.mjs -> wrangler dev), state on disk
//   hearth-workerd   Hearth's worker in workerd through Miniflare's API (bench/workerd.mjs), state on tmpfs
//   hearth-workerd-plain   the same, its clients offering no permessage-deflate (as Colyseus's server declines it)
//   colyseus         bench/colyseus/server.mjs (@colyseus/core + ws-transport), in memory
//   raw-workerd      the same workerd as hearth-workerd, its games played on bench/rawGame.ts (one
//                    Durable Object per game, no Hearth code): the platform's floor for the game
//   raw-workerd-plain   the same, its clients offering no permessage-deflate
//   raw-seam-workerd(-plain)   the same game with Hearth's topology (bench/rawSeam.ts): sockets on
//                    gateway objects, one RPC per roll to the game's object
import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitFor } from "./localServer.mjs";
import { bundleWorker, JWT_SECRET, startWorkerd } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(here, ".out");

export const TARGETS = ["hearth-wrangler", "hearth-workerd", "hearth-workerd-plain", "colyseus", "raw-workerd", "raw-workerd-plain", "raw-seam-workerd", "raw-seam-workerd-plain"];
/** What a run without --targets measures: Hearth's forms, Colyseus, and the platform's floor. */
export const DEFAULT_TARGETS = ["hearth-wrangler", "hearth-workerd", "hearth-workerd-plain", "colyseus", "raw-workerd-plain"];

/** `taskset -c <cpu>` in front of a command when pinning is on. */
const pinned = (cpu, cmd, args) => (cpu === null ? [cmd, args] : ["taskset", ["-c", String(cpu), cmd, ...args]]);

/** Pids of a process group (a detached child's pid is its group id). */
export function groupPids(pgid) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** CPU seconds (user + system) the processes have used so far. */
export function cpuSeconds(pids) {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // gone
    }
  }
  return total;
}

function dirMb(dir) {
  let bytes = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else
        try {
          bytes += statSync(p).size;
        } catch {
          // gone
        }
    }
  };
  walk(dir);
  return Math.round(bytes / 1e5) / 10;
}

/** Starts a detached child (its own process group) with output to a log file. */
export function launch(cmd, args, { env, label }) {
  mkdirSync(out, { recursive: true });
  const logFile = path.join(out, `games-${label}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(cmd, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const stop = async () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && groupPids(child.pid).length > 0) await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // gone
    }
  };
  return { child, logFile, stop };
}

/** `npm start` (scripts/start.mjs) on a free port with fresh state on disk, as a user runs it. */
async function hearthWrangler({ cpu, localTracing }) {
  const port = await freePort();
  const stateDir = path.join(out, `games-state-${process.pid}-${port}`);
  rmSync(stateDir, { recursive: true, force: true });
  const [cmd, args] = pinned(cpu, process.execPath, [
    path.join(root, "scripts/start.mjs"),
    "--ip", "127.0.0.1", "--persist-to", stateDir, "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false",
  ]);
  const env = { PORT: String(port), CI: "1", WRANGLER_SEND_METRICS: "false", ...(localTracing ? { X_LOCAL_OBSERVABILITY: "true" } : {}) };
  const p = launch(cmd, args, { env, label: `hearth-wrangler-${port}` });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/health`, 180_000);
  } catch (err) {
    await p.stop();
    throw new Error(`${err.message}; see ${p.logFile}`);
  }
  // start.mjs keeps the project's .dev.vars secret (it writes one if there is none).
  const secret = /^HEARTH_JWT_SECRET=(.*)$/m.exec(readFileSync(path.join(root, ".dev.vars"), "utf8"))?.[1]?.trim();
  const fdLimit = /open-file limit (\S+)/.exec(readFileSync(p.logFile, "utf8"))?.[1] ?? null;
  return {
    url,
    secret,
    pids: () => groupPids(p.child.pid),
    logFile: p.logFile,
    facts: { fdLimit, state: "disk (bench/.out)", localTracing: Boolean(localTracing) },
    stop: async () => {
      const traceMb = dirMb(path.join(stateDir, "v3", "observability"));
      await p.stop();
      rmSync(stateDir, { recursive: true, force: true });
      return { traceMb };
    },
  };
}

let bundled = null;
/** Hearth's worker in one workerd through Miniflare (no wrangler), Durable Object SQLite on tmpfs. */
async function hearthWorkerd({ cpu }) {
  bundled ??= await bundleWorker();
  const stateDir = `/dev/shm/hearth-games-bench-${process.pid}-${Date.now()}`;
  const server = await startWorkerd({ scriptPath: bundled, cpu, stateDir });
  return {
    url: server.url,
    secret: JWT_SECRET,
    pids: () => (server.pid ? [server.pid] : []),
    facts: { state: "tmpfs", pinned: server.pinned },
    stop: async () => {
      await server.dispose();
      rmSync(stateDir, { recursive: true, force: true });
      return {};
    },
  };
}

async function colyseus({ cpu }) {
  const port = await freePort();
  const [cmd, args] = pinned(cpu, process.execPath, [path.join(here, "colyseus/server.mjs"), "--port", String(port)]);
  const p = launch(cmd, args, { env: { BENCH_JWT_SECRET: JWT_SECRET }, label: `colyseus-${port}` });
  let said = "";
  p.child.stdout.on("data", (d) => (said += d));
  const deadline = Date.now() + 60_000;
  while (!/listening on/.test(said)) {
    if (Date.now() > deadline || p.child.exitCode !== null) {
      await p.stop();
      throw new Error(`colyseus did not start; see ${p.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, secret: JWT_SECRET, pids: () => groupPids(p.child.pid), facts: { state: "memory" }, stop: async () => (await p.stop(), {}) };
}

export function startTarget(target, opts) {
  if (target === "hearth-wrangler") return hearthWrangler(opts);
  // -plain: the same server; its load generator's sockets don't offer permessage-deflate (bench/games.mjs).
  // raw-*: the same bench worker; its load generator plays on /raw-games or /raw-seam (gamesRaw.mjs).
  if (target === "hearth-workerd" || target === "hearth-workerd-plain" || target.startsWith("raw-")) return hearthWorkerd(opts);
  if (target === "colyseus") return colyseus(opts);
  throw new Error(`unknown target ${target} (one of ${TARGETS.join(", ")})`);
}

/** Whether taskset can pin (it exists and there are two cores). */
export function canPin(cores) {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return cores >= 2;
  } catch {
    return false;
  }
}
