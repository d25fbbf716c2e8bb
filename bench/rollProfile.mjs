#!/usr/bin/env node
// Where does a games roll's CPU go? `npm run bench:roll-profile -- [flags]` runs seed 004's games
// (bench/gamesHearth.mjs, the load bench/games.mjs drives) against the bench worker in workerd
// (Miniflare, Durable Object SQLite on tmpfs, workerd pinned to cpu 1 and this process to cpu 0, as
// the games bench does), and over the measurement window:
//   - reads workerd's CPU time (/proc utime + stime) and divides it by the rolls: CPU ms per roll,
//     all objects together (gateways, games, lobby) and workerd's own work;
//   - unless --no-profile, takes a V8 CPU profile of the worker's isolate over the Chrome DevTools
//     protocol (workerd's inspector: every Durable Object of the worker runs in that one isolate),
//     and prints self time by function and by source file (the bundle's `// src/...` markers), and
//     the share of the process's CPU the JS profile accounts for.
// The profile goes to bench/.out/roll-<stamp>.cpuprofile (open it in Chrome DevTools).
//
//   --games 100   --seconds 20   --interval-us 500 (sampling)   --no-profile   --json <file>
//   --server-cpu 1 --gen-cpu 0  (which core each is pinned to; swap them when another run holds cpu 1)
//   --no-deflate  (the load generator's sockets don't offer permessage-deflate: bench/wsNoDeflate.mjs)
//   --flags a,b   (extra compatibility flags for workerd, e.g. no_web_socket_compression)
//   --root <dir>  (another checkout's bench/worker.ts, e.g. a main before the cuts, for A/B runs)
//   --heap        (also what the isolate keeps alive: V8's sampling heap profiler from before set-up,
//                  read after a full GC at the window's end; live MB by source file and function,
//                  the profile in bench/.out/heap-<stamp>.json; bench/heapProfile.mjs)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { round } from "./loadgen.mjs";
import { register } from "node:module";
import { indexProfile, inclusiveTimes } from "./cpuProfile.mjs";
import { liveBySite } from "./heapProfile.mjs";
import { canPin, cpuSeconds } from "./gamesServers.mjs";
import { bundleWorker, JWT_SECRET, OUT, pinToCpu, startWorkerd } from "./workerd.mjs";

const { values: flags } = parseArgs({
  options: {
    games: { type: "string", default: "100" },
    seconds: { type: "string", default: "20" },
    "interval-us": { type: "string", default: "500" },
    "no-profile": { type: "boolean", default: false },
    json: { type: "string" },
    root: { type: "string" },
    flags: { type: "string", default: "" },
    "no-deflate": { type: "boolean", default: false },
    heap: { type: "boolean", default: false },
    "server-cpu": { type: "string", default: "1" },
    "gen-cpu": { type: "string", default: "0" },
  },
});
// --no-deflate: gamesHearth.mjs gets bench/wsNoDeflate.mjs where it imports `ws` (a module resolve hook).
if (flags["no-deflate"]) {
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === "ws" && context.parentURL?.endsWith("/bench/gamesHearth.mjs")) return { url: ${JSON.stringify(new URL("./wsNoDeflate.mjs", import.meta.url).href)}, shortCircuit: true };
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
const { runHearth } = await import("./gamesHearth.mjs");
const G = Number(flags.games);
const windowMs = Number(flags.seconds) * 1000;
const profiling = !flags["no-profile"];
const heap = flags.heap;
const log = (m) => process.stdout.write(`[roll ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const load = () => os.loadavg().map((v) => round(v, 2));

const pin = canPin(os.availableParallelism());
if (pin) pinToCpu(process.pid, Number(flags["gen-cpu"]));
const scriptPath = flags.root ? await bundleOther(path.resolve(flags.root)) : await bundleWorker();
const bundle = readFileSync(scriptPath, "utf8").split("\n");
const PORT = 9300 + Math.floor(Math.random() * 500);
const stateDir = `/dev/shm/hearth-roll-profile-${process.pid}`;
const compatFlags = flags.flags.split(",").map((f) => f.trim()).filter(Boolean);
const w = await startWorkerd({ scriptPath, cpu: pin ? Number(flags["server-cpu"]) : null, stateDir, flags: compatFlags, ...(profiling || heap ? { inspectorPort: PORT } : {}) });

/** bench/worker.ts of another checkout, bundled as bench/workerd.mjs bundles this one's. */
async function bundleOther(root) {
  const outfile = path.join(OUT, "worker-other.js");
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [path.join(root, "bench/worker.ts")], outfile, bundle: true, format: "esm", platform: "browser", target: "es2022",
    conditions: ["workerd", "worker", "browser"], external: ["cloudflare:*", "node:*"], minify: false, sourcemap: false, logLevel: "warning",
  });
  return outfile;
}

/** A CDP session on the user worker's isolate. */
async function inspector() {
  const targets = await (await fetch(`http://127.0.0.1:${PORT}/json`)).json();
  const target = targets.find((t) => /core:user/i.test(t.title ?? "") || /core:user/.test(t.id ?? "")) ?? targets[0];
  const cdp = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
  await new Promise((r, j) => (cdp.once("open", r), cdp.once("error", j)));
  let nextId = 0;
  const pending = new Map();
  cdp.on("message", (m) => {
    const msg = JSON.parse(m.toString());
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result ?? msg.error);
  });
  const call = (method, params = {}, ms = 30_000) =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      setTimeout(() => resolve(undefined), ms).unref();
      cdp.send(JSON.stringify({ id, method, params }));
    });
  return { call, close: () => cdp.close(), title: target.title ?? target.id };
}

const cdp = profiling || heap ? await inspector() : null;
// Sampled from before set-up, so what the run keeps alive is seen wherever it was allocated.
if (heap) {
  await cdp.call("HeapProfiler.enable");
  await cdp.call("HeapProfiler.startSampling", { samplingInterval: 16_384 });
}
if (profiling) {
  await cdp.call("Profiler.enable");
  await cdp.call("Profiler.setSamplingInterval", { interval: Number(flags["interval-us"]) });
}

// The window: runHearth's own (it logs its start, after its read of every object's load, which at
// 1,000 games takes seconds of the server's CPU and is not a roll's cost), for --seconds.
let window = null;
let windowDone;
const windowOver = new Promise((r) => (windowDone = r));
const onLog = (m) => {
  log(m);
  if (window === null && /window of .* starts/.test(m)) {
    window = { cpu0: cpuSeconds([w.pid]), at: performance.now(), load0: load() };
    const started = profiling ? cdp.call("Profiler.start") : Promise.resolve();
    started.then(() =>
      setTimeout(async () => {
        window.cpu1 = cpuSeconds([w.pid]);
        window.secs = (performance.now() - window.at) / 1000;
        window.load1 = load();
        window.profile = profiling ? (await cdp.call("Profiler.stop", {}, 120_000))?.profile : null;
        if (heap) window.heap = await liveHeap();
        windowDone();
      }, windowMs),
    );
  }
};
let lobbyName = null;
const onLogLobby = (m) => {
  lobbyName ??= /(games:lobby:[^:\s]+)/.exec(m)?.[1] ?? null;
  onLog(m);
};
const result = await runHearth({ url: w.url, secret: JWT_SECRET, G, measureMs: windowMs, setupMs: 180_000, pingMs: 20_000, openConcurrency: 60, log: onLogLobby });
// Inputs each gateway took since it woke, by way in (POST /api/objects/load): push calls per socket frame.
const gatewayInputs = lobbyName ? await gatewayLoads(lobbyName).catch((err) => (console.error(`gateway loads: ${err}`), null)) : null;
await windowOver;
cdp?.close();
await w.dispose();

const cpuS = window.cpu1 - window.cpu0;
const rolls = result.rollsPerSec * window.secs;
const summary = {
  at: new Date().toISOString(),
  command: `node bench/rollProfile.mjs ${process.argv.slice(2).join(" ")}`.trim(),
  G, worker: flags.root ?? ".", compatFlags, deflateOffered: !flags["no-deflate"], profiled: profiling, rollsPerSec: result.rollsPerSec, p50Ms: result.p50Ms, p99Ms: result.p99Ms,
  gamesFinished: result.gamesFinished, errors: result.errors, closedByServer: result.closedByServer,
  gatewayInputs,
  workerdCpuPct: round((100 * cpuS) / window.secs, 0), cpuMsPerRoll: round((1000 * cpuS) / rolls, 3),
  load: [window.load0, window.load1], pinned: w.pinned,
  // What the clients received in the window, per roll, by frame type: what a roll costs in sends.
  framesPerRoll: Object.fromEntries(Object.entries(result.received?.window ?? {}).sort((a, b) => b[1].frames - a[1].frames).map(([type, v]) => [type, round(v.frames / Math.max(1, result.rolls ?? rolls), 3)])),
};
if (gatewayInputs) log(`gateways' inputs since they woke: ${JSON.stringify(gatewayInputs)} (push calls per socket frame ${round(gatewayInputs.push / gatewayInputs.frame, 2)})`);
log(`frames received per roll: ${JSON.stringify(summary.framesPerRoll)}`);
log(`${G} games: ${summary.rollsPerSec} rolls/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms; workerd ${summary.workerdCpuPct}% of a core = ${summary.cpuMsPerRoll} ms CPU per roll; load ${window.load0.join(" ")} -> ${window.load1.join(" ")}`);

if (window.profile) {
  const profile = window.profile;
  const file = path.join(OUT, `roll-${summary.at.replace(/[:.]/g, "-")}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  Object.assign(summary, analyse(profile, cpuS, rolls));
  summary.profileFile = path.relative(process.cwd(), file);
  print(summary);
}
if (window.heap) {
  const { profile, used, live } = window.heap;
  const file = path.join(OUT, `heap-${summary.at.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(profile));
  summary.heap = { usedMb: used, liveAfterGcMb: live, file: path.relative(process.cwd(), file), ...liveBySite(profile, fileOfFrame()) };
  log(`heap: ${used} MB used at the window's end, ${live} MB live after a full GC (${summary.heap.sampledLiveMb} MB sampled); ${summary.heap.file}`);
  console.log("\nlive heap by source file (MB):");
  for (const f of summary.heap.files) console.log(`  ${f.mb.toFixed(1).padStart(7)}  ${f.name}`);
  console.log("\nlive heap by allocating function (MB):");
  for (const f of summary.heap.functions) console.log(`  ${f.mb.toFixed(1).padStart(7)}  ${f.name}`);
}
if (flags.json) writeFileSync(flags.json, JSON.stringify(summary, null, 2));

/** The isolate's heap at the window's end: used, then live after a full GC, and the sampling profile of what is live. */
async function liveHeap() {
  const mb = (r) => round((r?.usedSize ?? NaN) / 1e6, 1);
  const used = mb(await cdp.call("Runtime.getHeapUsage"));
  await cdp.call("HeapProfiler.collectGarbage", {}, 120_000);
  const live = mb(await cdp.call("Runtime.getHeapUsage"));
  const profile = (await cdp.call("HeapProfiler.getSamplingProfile", {}, 300_000))?.profile;
  await cdp.call("HeapProfiler.stopSampling");
  return { used, live, profile };
}

/** The lobby's gateways' input counts by way in, summed (frames from sockets, push calls, ...). */
async function gatewayLoads(lobby) {
  const { SignJWT } = await import("jose");
  const admin = await new SignJWT({ sub: "bench-admin", name: "bench", scope: "rooms:admin" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("1h").sign(new TextEncoder().encode(JWT_SECRET));
  const names = Array.from({ length: Math.ceil((G * 3) / 100) + 1 }, (_, k) => `${lobby}:gw:${k}`);
  const res = await fetch(`${w.url}/api/objects/load`, { method: "POST", headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" }, body: JSON.stringify({ names }) });
  const sum = {};
  for (const o of (await res.json()).objects) for (const [way, n] of Object.entries(o.inputs ?? {})) sum[way] = (sum[way] ?? 0) + n;
  return sum;
}

/** A profile frame's source file: the bundle's lines mapped back to src/, another script by its name, else "(native)". */
function fileOfFrame() {
  const moduleOf = moduleOfLine();
  return (f) => (f.url ? (f.url.endsWith("worker.js") ? moduleOf(f.lineNumber) : f.url.split("/").pop()) : "(native)");
}

/** The source file each line of the bundle came from (esbuild writes `// src/x.ts` before each module). */
function moduleOfLine() {
  const starts = [];
  bundle.forEach((line, i) => {
    const m = /^\/\/ ((?:src|bench|node_modules|packages)\/\S+)$/.exec(line);
    if (m) starts.push([i, m[1].replace(/^node_modules\/(\.pnpm\/)?/, "npm:")]);
  });
  return (line) => {
    let lo = 0, hi = starts.length - 1, found = "(bundle)";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) (found = starts[mid][1]), (lo = mid + 1);
      else hi = mid - 1;
    }
    return found;
  };
}

function analyse(profile, cpuS, rolls) {
  const index = indexProfile(profile);
  const { byId, dt } = index;
  const where = fileOfFrame();
  const fnSelf = new Map();
  const fileSelf = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of dt) {
    const f = byId.get(id).callFrame;
    total += us;
    if (f.functionName === "(idle)") idle += us;
    const key = `${f.functionName || "(anonymous)"} ${where(f)}${f.url ? `:${f.lineNumber + 1}` : ""}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
    const file = f.url ? where(f) : f.functionName;
    fileSelf.set(file, (fileSelf.get(file) ?? 0) + us);
  }
  // Inclusive time of phases: a sample counts for a phase if a frame of that name is on its stack.
  const phases = ["webSocketMessage", "onSocketMessage", "remoteInput", "flush", "runPipeline", "decode", "apply", "commit", "fanOut", "push", "applyPush", "deliver", "send", "serializeAttachment", "deserializeAttachment", "transactionSync", "exec", "stringify", "parse", "alarm", "(garbage collector)", "(program)"];
  const inclusive = inclusiveTimes(index, phases);
  const busyUs = total - idle;
  const perRoll = (us) => round(us / 1000 / rolls, 3);
  const top = (m, n) => [...m].filter(([k]) => k !== "(idle)" && !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: round(us / 1000, 1), share: round(us / busyUs, 3), msPerRoll: perRoll(us) }));
  return {
    sampledMs: round(total / 1000, 0),
    jsBusyMs: round(busyUs / 1000, 0),
    // The process's CPU over the window against what the isolate's sampler saw busy: the rest is
    // workerd's work outside the isolate's thread's JS (other threads, I/O, idle-marked C++).
    jsShareOfProcessCpu: round(busyUs / 1e6 / cpuS, 3),
    jsBusyMsPerRoll: perRoll(busyUs),
    phases: Object.entries(inclusive).filter(([, us]) => us > 0).map(([name, us]) => ({ name, ms: round(us / 1000, 1), share: round(us / busyUs, 3), msPerRoll: perRoll(us) })),
    files: top(fileSelf, 30),
    functions: top(fnSelf, 40),
  };
}

function print(s) {
  log(`isolate busy ${s.jsBusyMs} ms of ${s.sampledMs} ms sampled = ${(100 * s.jsShareOfProcessCpu).toFixed(0)}% of workerd's CPU; ${s.jsBusyMsPerRoll} ms per roll; ${s.profileFile}`);
  console.log("\nphase (inclusive: share of busy, ms per roll):");
  for (const p of s.phases) console.log(`  ${p.name.padEnd(24)} ${(100 * p.share).toFixed(1).padStart(5)}%  ${p.msPerRoll.toFixed(3)}`);
  console.log("\nself time by source file:");
  for (const f of s.files) console.log(`  ${(100 * f.share).toFixed(1).padStart(5)}%  ${f.msPerRoll.toFixed(3)} ms  ${f.name}`);
  console.log("\nself time by function:");
  for (const f of s.functions) console.log(`  ${(100 * f.share).toFixed(1).padStart(5)}%  ${f.msPerRoll.toFixed(3)} ms  ${f.name}`);
}
