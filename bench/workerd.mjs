// Builds bench/worker.ts and runs it in workerd through Miniflare's API: no wrangler dev proxy
// process in front, no per-request logging.
import { build } from "esbuild";
import * as miniflare from "miniflare";
import { execFileSync } from "node:child_process";
import { createWriteStream, readFileSync, readdirSync, existsSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
export const OUT = path.join(here, ".out");
export const JWT_SECRET = "bench-secret-not-for-production-0123456789abcdef";

/** Bundles the bench worker (Hearth + partyserver + raw) into one ES module. */
export async function bundleWorker() {
  mkdirSync(OUT, { recursive: true });
  const outfile = path.join(OUT, "worker.js");
  await build({
    entryPoints: [path.join(here, "worker.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    minify: false,
    sourcemap: false,
    logLevel: "warning",
  });
  return outfile;
}

function compatibilityDate() {
  const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
  return /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "2026-11-01";
}

/** workerd children of this process (Miniflare spawns it directly). */
function workerdPids() {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === process.pid) pids.push(Number(entry));
    } catch {
      // The process went away while we looked.
    }
  }
  return pids;
}

export function pinToCpu(pid, cpu) {
  if (cpu === null || cpu === undefined) return false;
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Sets the nice value of every thread of `pid` (Linux keeps it per thread); children inherit it. */
export function reniceAll(pid, value) {
  let done = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      execFileSync("renice", ["-n", String(value), "-p", tid], { stdio: "ignore" });
      done++;
    } catch {
      // Not permitted, or the thread ended.
    }
  }
  return done > 0;
}

async function applyMigrations(mf) {
  const dir = path.join(root, "migrations");
  if (!existsSync(dir)) return 0;
  const files = readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
  if (files.length === 0) return 0;
  const db = await mf.getD1Database("DIRECTORY");
  let count = 0;
  for (const file of files) {
    const sql = readFileSync(path.join(dir, file), "utf8")
      .split("\n")
      .filter((line) => !line.trim().startsWith("--"))
      .join("\n");
    for (const statement of sql.split(/;\s*(?:\n|$)/)) {
      if (statement.trim() === "") continue;
      await db.prepare(statement).run();
      count++;
    }
  }
  return count;
}

/**
 * Starts workerd with the bench worker. Returns { url, pid, dispose }.
 * `cpu` pins every workerd thread to that core (null: no pinning).
 */
export const workerdLog = { file: path.join(OUT, "workerd.log"), counts: {}, stream: null };

/** Worker console output goes to bench/.out/workerd.log, not the progress output. */
function sinkLog({ level, message }) {
  workerdLog.counts[level] = (workerdLog.counts[level] ?? 0) + 1;
  if (!workerdLog.stream) {
    mkdirSync(OUT, { recursive: true });
    workerdLog.stream = createWriteStream(workerdLog.file, { flags: "w" });
  }
  workerdLog.stream.write(`${level} ${message}\n`);
}

export async function startWorkerd({ scriptPath, cpu = null, stateDir, inspectorPort, flags = [], d1 = true }) {
  if (stateDir) {
    rmSync(stateDir, { recursive: true, force: true });
    mkdirSync(stateDir, { recursive: true });
  }
  const before = new Set(workerdPids());
  const options = {
    host: "127.0.0.1",
    port: 0,
    logRequests: false,
    handleStructuredLogs: sinkLog,
    modules: true,
    scriptPath,
    compatibilityDate: compatibilityDate(),
    // `flags`: extra compatibility flags (bench/wireBytes.mjs: web_socket_compression).
    compatibilityFlags: ["nodejs_compat", ...flags],
    bindings: {
      HEARTH_JWT_SECRET: JWT_SECRET,
      HEARTH_DEV_AUTH: "1",
    },
    durableObjects: {
      ROOMS: { className: "RoomObject", useSQLite: true },
      PartyRoom: { className: "PartyRoom", useSQLite: true },
      RAW: { className: "RawRoom", useSQLite: true },
      RAWGAME: { className: "RawGame", useSQLite: true },
      RAWSEAMGAME: { className: "RawSeamGame", useSQLite: true },
      RAWSEAMGW: { className: "RawSeamGateway", useSQLite: true },
    },
    // `d1: false`: no DIRECTORY binding (no revocation checks, no room directory), to price D1 per input.
    ...(d1 ? { d1Databases: { DIRECTORY: "hearth-directory-bench" } } : {}),
    // bench/profileConnect.mjs: a V8 inspector on the worker's isolate, to take a CPU profile.
    ...(inspectorPort ? { inspectorPort } : {}),
    ...(stateDir ? { resourcePersistencePath: stateDir } : {}),
  };
  // Miniflare 5 takes a new option shape and converts the v4 one (documented above) for us.
  const mf = new miniflare.Miniflare(
    typeof miniflare.convertV4MiniflareOptions === "function" ? miniflare.convertV4MiniflareOptions(options) : options,
  );
  const url = await mf.ready;
  const pid = workerdPids().find((p) => !before.has(p));
  const pinned = pid ? pinToCpu(pid, cpu) : false;
  const migrations = d1 ? await applyMigrations(mf) : 0;
  return {
    url: url.href.replace(/\/$/, ""),
    pid,
    pinned,
    migrations,
    // The state dir is on tmpfs (RAM) in every bench: a 1,000-game run leaves ~1 GB there, and a
    // few left behind starved the machine (page-cache thrashing, workerd in disk wait).
    dispose: async () => {
      await mf.dispose();
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
