#!/usr/bin/env node
// Flow control for slow readers (issue 24 item 5, docs/protocol.md "Flow control", [F1]-[F3]).
//
//   nice -n 10 node bench/slowReader.mjs [--readers 10] [--rate 50] [--kb 16] [--seconds 15] [--wrangler | --url http://127.0.0.1:8787]
//                                        [--small-buffers] [--phases baseline,bounded,unbounded,silent,silent-slow]
//
// --small-buffers (Linux, root or unprivileged user namespaces): re-runs this script inside a
// fresh network namespace (`unshare -rn`: its own loopback, brought up) whose TCP buffers are
// 4 KiB (`sysctl net.ipv4.tcp_rmem/tcp_wmem = 4096 4096 4096`; per namespace, the host's are
// untouched), so a stalled reader's backlog cannot hide in the kernel's socket buffers and shows
// in workerd's memory instead. Results go to bench/.out/slow-reader-small-buffers.json.
//
// Starts Hearth in workerd through Miniflare's API (bench/workerd.mjs, as bench/feed.mjs: no dev
// proxy in front), or with --wrangler under `wrangler dev` (wrangler needs Node >= 22), or measures
// a server already running (--url; no memory figure then), then runs three
// phases, each in a fresh relay room, each publishing `rate` events/s of `kb` KiB over HTTP for
// `seconds` while `readers` healthy sockets read everything and, as the SDK does, send a `cursor`
// every second ([F1], [F4]):
//   baseline   healthy readers only
//   bounded    plus two stalled readers (their TCP reads paused): one that sent a cursor once
//              ([F2], bound maxUnackedBytes, default 4 MiB) and one that never does nor pings
//              ([F3], bound maxSilentBytes, default 8 MiB); the room's default limits
//   unbounded  the same stalled readers in a room whose three bounds are null (the old behaviour)
//   silent     healthy readers that never send anything (seed-style, no heartbeat), no stalled
//              reader, default limits: at this rate (far over 8 MiB/min) [F3] cuts each once it
//              got maxSilentBytes within a minute; it is not reconnected here
//   silent-slow the same silent readers, sent slowly: 4 events/s of 1 KiB (~4.4 KB/s) to a room
//              whose [F3] bound is 64 KiB per 10 s (6.5 KB/s), so in total they get more than the
//              bound and are never cut (the rate gate, [F3])
//   slow-baseline / slow-stalled (only with --phases): 50 events/s of 2 KiB (~6 MiB/min, under
//              [F3]'s default 8 MiB/min), without / with a stalled reader that never acknowledges
//              nor pings: [F3]'s cost, such a reader is not cut and what it is sent stays queued
// Figures: the healthy readers' publish-to-delivery p50/p99 (ms); per stalled reader, how it
// ended (once reading resumes after the phase: its close code, or still open) and how much it
// received in all (what the runtime had buffered for it, bounded by its bound); the workerd
// processes' resident memory (RSS, MB) before and at the end of each phase. Figures go to stdout
// and bench/.out/slow-reader.json.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { freePort, waitFor } from "./localServer.mjs";
import { bundleWorker, startWorkerd } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(here, ".out");
mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const READERS = Number(opt("readers", 10));
const RATE = Number(opt("rate", 50));
const KB = Number(opt("kb", 16));
const SECONDS = Number(opt("seconds", 15));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `wrangler dev` on a free port with its own state (as bench/closeLatency.mjs). */
async function startWrangler() {
  const wranglerBin = path.join(root, "node_modules/wrangler/bin/wrangler.js");
  const stateDir = path.join(out, `slow-reader-state-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });
  const m = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "DIRECTORY", "--local", "--persist-to", stateDir], { cwd: root, env: { ...process.env, CI: "1" }, stdio: "ignore" });
  if (m.status !== 0) throw new Error("D1 migrations failed");
  const port = await freePort();
  const log = createWriteStream(path.join(out, `slow-reader-${process.pid}.log`));
  const child = spawn(
    process.execPath,
    [wranglerBin, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()), "--persist-to", stateDir,
      "--var", `HEARTH_JWT_SECRET:${randomBytes(32).toString("hex")}`, "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" } },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`);
  return {
    url,
    pid: child.pid,
    stop: async () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      await sleep(1500);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Resident memory (MB) of the workerd process `pid` (Miniflare) or of those in process group `pid` (wrangler); null without one. */
function workerdRssMb(pid) {
  if (pid === undefined) return null;
  try {
    const own = readFileSync(`/proc/${pid}/status`, "utf8");
    if (/^Name:\s*workerd/m.test(own)) return Math.round(Number(/^VmRSS:\s*(\d+)/m.exec(own)?.[1] ?? 0) / 1024);
  } catch {
    return null;
  }
  try {
    let kb = 0;
    for (const dir of readdirSync("/proc")) {
      if (!/^\d+$/.test(dir)) continue;
      let status;
      try {
        status = readFileSync(`/proc/${dir}/status`, "utf8");
      } catch {
        continue;
      }
      if (!/^Name:\s*workerd/m.test(status)) continue;
      // Only ours: its process group is wrangler's (spawned detached, so the group id is its pid).
      const stat = readFileSync(`/proc/${dir}/stat`, "utf8");
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp !== pid) continue;
      kb += Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    }
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}

async function token(base, claims) {
  const res = await fetch(`${base}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(claims) });
  if (!res.ok) throw new Error(`/dev/token ${res.status}`);
  return (await res.json()).token;
}

function pct(sorted, p) {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

function openSocket(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** One phase in a fresh room; `stalled`: add the two stalled readers. */
async function phase(base, pid, name, { stalled, limits, silentHealthy = false, rate = RATE, kb = KB, stalledKinds = [["stalled-acking", true], ["stalled-silent", false]] }) {
  const roomId = `slow-${name}-${Date.now().toString(36)}`;
  const admin = await token(base, { sub: "bench-admin", scope: "rooms:admin" });
  const created = await fetch(`${base}/api/rooms`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ roomId, config: limits ? { limits } : {} }) });
  if (created.status !== 201) throw new Error(`create room: ${created.status} ${await created.text()}`);
  const wsUrl = async (sub) => `${base.replace("http", "ws")}/ws/rooms/${roomId}?token=${await token(base, { sub, name: sub })}`;

  const sent = new Map(); // bench id -> publish time
  const latencies = [];
  const healthy = [];
  const healthyClosed = [];
  const timers = [];
  for (let i = 0; i < READERS; i++) {
    const ws = await openSocket(await wsUrl(`reader-${i}`));
    const got = { frames: 0, chars: 0 };
    ws.on("close", (code) => healthyClosed.push(code));
    if (!silentHealthy) timers.push(setInterval(() => ws.readyState === 1 && ws.send(JSON.stringify({ type: "cursor", ...got })), 1000));
    ws.on("message", (data) => {
      const text = data.toString();
      if (text === "pong") return;
      got.frames++;
      got.chars += text.length;
      if (!text.includes('"benchId"')) return;
      const id = JSON.parse(text).data?.benchId;
      const t = sent.get(id);
      if (t !== undefined) latencies.push(now() - t);
    });
    healthy.push(ws);
  }
  const stalledReaders = [];
  if (stalled) {
    for (const [sub, acks] of stalledKinds) {
      const ws = await openSocket(await wsUrl(sub));
      const r = { sub, acks, ws, chars: 0, frames: 0, close: null };
      ws.on("message", (data) => {
        const text = data.toString();
        if (text === "pong") return;
        r.frames++;
        r.chars += text.length;
      });
      ws.on("close", (code) => (r.close = code));
      await sleep(300); // its snapshot and the joins
      // [F1]: one cursor (what it got so far), then never again: from now on it is behind.
      if (acks) ws.send(JSON.stringify({ type: "cursor", frames: r.frames, chars: r.chars }));
      // Stop reading: TCP's receive window fills, then the runtime buffers everything else.
      ws._socket.pause();
      stalledReaders.push(r);
    }
  }
  const rssBefore = workerdRssMb(pid);
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    const v = workerdRssMb(pid);
    if (v !== null && (peakRss === null || v > peakRss)) peakRss = v;
  }, 250);
  const service = await token(base, { sub: "bench-svc", scope: "events:publish" });
  const payload = "x".repeat(kb * 1024);
  const total = rate * SECONDS;
  const start = now();
  let inFlight = 0;
  let failed = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= 8) await sleep(1);
    inFlight++;
    sent.set(i, now());
    fetch(`${base}/api/rooms/${roomId}/events`, { method: "POST", headers: { authorization: `Bearer ${service}`, "content-type": "application/json" }, body: JSON.stringify({ type: "publish", data: { benchId: i, payload } }) })
      .then((res) => {
        if (!res.ok) failed++;
        return res.arrayBuffer();
      })
      .catch(() => failed++)
      .finally(() => inFlight--);
  }
  while (inFlight > 0) await sleep(10);
  await sleep(1000);
  const rssEnd = workerdRssMb(pid);
  clearInterval(sampler);
  if (rssEnd !== null && (peakRss === null || rssEnd > peakRss)) peakRss = rssEnd;
  // Read again: what the runtime buffered for each stalled reader arrives, then its close (if any).
  for (const r of stalledReaders) r.ws._socket.resume();
  // Until each has its close frame or got nothing new for 30 s, at most 120 s: after a long zero
  // window (small buffers) the kernel resumes sending only at its next persist probe, which backs
  // off to tens of seconds.
  {
    const until = Date.now() + 120_000;
    let last = -1;
    let still = Date.now();
    while (Date.now() < until && stalledReaders.some((r) => !r.ws._closeFrameReceived)) {
      const got = stalledReaders.reduce((n, r) => n + r.chars, 0);
      if (got !== last) [last, still] = [got, Date.now()];
      else if (Date.now() - still > 30_000) break;
      await sleep(100);
    }
    await sleep(stalledReaders.length ? 500 : 3000);
  }
  for (const t of timers) clearInterval(t);
  const sorted = latencies.sort((a, b) => a - b);
  const result = {
    phase: name,
    limits: limits ?? "defaults (maxUnackedBytes 4 MiB, maxSilentBytes 8 MiB per silentWindowMs 60 s)",
    rate,
    kb,
    published: total,
    failedPublishes: failed,
    healthyDeliveries: latencies.length,
    expectedDeliveries: total * READERS,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    rssMb: { before: rssBefore, peak: peakRss, end: rssEnd },
    // Close frames the healthy readers got (their `close` events wait for TCP's end).
    healthyClosed: healthy.filter((ws) => ws._closeFrameReceived).length,
    // The close frame's code (ws records it on the frame; its `close` event waits for TCP's end).
    stalled: stalledReaders.map((r) => ({ reader: r.sub, closeCode: r.close ?? (r.ws._closeFrameReceived ? r.ws._closeCode : null), receivedMiB: Math.round((r.chars / 1048576) * 100) / 100, frames: r.frames })),
  };
  for (const ws of healthy) ws.close();
  for (const r of stalledReaders) r.ws.terminate();
  return result;
}

// --small-buffers: run the whole bench again inside its own network namespace with 4 KiB TCP buffers.
const SMALL = args.includes("--small-buffers");
if (SMALL && process.env.HEARTH_BENCH_NETNS !== "1") {
  const inner = [process.execPath, fileURLToPath(import.meta.url), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const script = `set -e; ip link set lo up; sysctl -q -w net.ipv4.tcp_rmem="4096 4096 4096" net.ipv4.tcp_wmem="4096 4096 4096"; echo "netns: tcp_rmem=$(sysctl -n net.ipv4.tcp_rmem) tcp_wmem=$(sysctl -n net.ipv4.tcp_wmem)"; exec ${inner}`;
  const r = spawnSync("unshare", ["-rn", "sh", "-c", script], { stdio: "inherit", env: { ...process.env, HEARTH_BENCH_NETNS: "1" } });
  process.exit(r.status ?? 1);
}
const given = opt("url", null);
async function startMiniflare() {
  const w = await startWorkerd({ scriptPath: await bundleWorker(), stateDir: path.join(out, `slow-reader-mf-${process.pid}`) });
  return { url: w.url, pid: w.pid, stop: () => w.dispose() };
}
// A fresh server per phase (unless --url), so each phase's memory figure is its own.
const start = () => (given ? { url: given, pid: undefined, stop: async () => {} } : args.includes("--wrangler") ? startWrangler() : startMiniflare());
const results = [];
{
  const run = async (name, o) => {
    const server = await start();
    try {
      return await phase(server.url, server.pid, name, o);
    } finally {
      await server.stop();
    }
  };
  const wanted = opt("phases", "baseline,bounded,unbounded,silent,silent-slow").split(",");
  // slow-baseline, slow-stalled: only when named in --phases.
  for (const [name, o] of [
    ["baseline", { stalled: false }],
    ["bounded", { stalled: true }],
    ["unbounded", { stalled: true, limits: { maxUnackedBytes: null, maxUnackedFrames: null, maxSilentBytes: null } }],
    ["silent", { stalled: false, silentHealthy: true }],
    ["silent-slow", { stalled: false, silentHealthy: true, rate: 4, kb: 1, limits: { maxSilentBytes: 65536, silentWindowMs: 10_000 } }],
    // [F3]'s cost (opt-in): a stalled silent reader sent under the gate (50 x 2 KiB/s ~ 6 MiB/min < 8 MiB/min) is not cut.
    ["slow-baseline", { stalled: false, kb: 2 }],
    ["slow-stalled", { stalled: true, kb: 2, stalledKinds: [["stalled-silent", false]] }],
  ].filter(([n]) => wanted.includes(n))) {
    const r = await run(name, o);
    results.push(r);
    console.log(JSON.stringify(r));
  }
}
const loadavg = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
writeFileSync(path.join(out, SMALL ? "slow-reader-small-buffers.json" : "slow-reader.json"), JSON.stringify({ readers: READERS, rate: RATE, kb: KB, seconds: SECONDS, smallBuffers: SMALL, loadavg, results }, null, 2));
console.log(`\nslow readers${SMALL ? " (4 KiB TCP buffers, own netns)" : ""}: ${READERS} healthy readers, ${RATE} events/s of ${KB} KiB for ${SECONDS} s (${((RATE * KB) / 1024).toFixed(1)} MiB/s to each socket); load average ${loadavg}`);
for (const r of results) {
  const st = r.stalled.map((s) => `${s.reader} ${s.closeCode ?? "open"} after ${s.receivedMiB} MiB`).join(", ");
  const load = r.rate !== RATE || r.kb !== KB ? ` [${r.rate}/s of ${r.kb} KiB]` : "";
  console.log(`  ${r.phase.padEnd(9)}${load} p50 ${r.p50} ms  p99 ${r.p99} ms  deliveries ${r.healthyDeliveries}/${r.expectedDeliveries} (healthy closed: ${r.healthyClosed})  workerd RSS ${r.rssMb.before} -> peak ${r.rssMb.peak} -> end ${r.rssMb.end} MB${st ? `  | ${st}` : ""}`);
}
