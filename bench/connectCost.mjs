#!/usr/bin/env node
// Issue 26 item 3: what a connect storm costs the server. Opens --sockets sockets (200 at a time,
// as the calibration scenario does) into one room of a fresh workerd (the bench worker, pinned to
// cpu 1; this process to cpu 0) and reads workerd's CPU time (/proc utime+stime) from the first
// upgrade to the last open, plus 500 ms for what the opens caused (presence frames). Per variant,
// rounds alternate between the variants, each on a fresh workerd:
//   raw         the raw Durable Object (bench/worker.ts RawRoom): accepts, sends nothing
//   hearth      a relay room, default config (presence on), tokens never seen before
//   hearth-off  the same with {"presence":false}
//   hearth-nod1 the default room without the D1 binding (no revocation, no socket_rooms): what
//               D1 costs, by difference
//
// --server wrangler: the same worker under `wrangler dev` (bench/wrangler.bench.toml, its D1
// migrated first, the open-file soft limit raised to the hard one as `npm start` does), pinned to
// cpu 1; the CPU is wrangler's node and workerd together (the dev proxy is part of the cost).
// hearth-nod1 has no wrangler form.
//
// Run it through npm (the project's Node 24; wrangler needs it): npm run bench:connect -- [flags]
//   node bench/connectCost.mjs [--sockets 1000] [--rounds 2] [--variants raw,hearth,hearth-off] [--server workerd|wrangler] [--out file.json]
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { SignJWT } from "jose";
import { request } from "./http.mjs";
import { round, sleep } from "./loadgen.mjs";
import { cpuSeconds, groupPids, launch } from "./gamesServers.mjs";
import { freePort, waitFor } from "./localServer.mjs";
import { bundleWorker, JWT_SECRET, OUT, pinToCpu, startWorkerd } from "./workerd.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const { values: flags } = parseArgs({
  options: {
    sockets: { type: "string", default: "1000" },
    rounds: { type: "string", default: "2" },
    variants: { type: "string", default: "raw,hearth,hearth-off" },
    out: { type: "string" },
    server: { type: "string", default: "workerd" },
  },
});
const SOCKETS = Number(flags.sockets);
const VARIANTS = {
  raw: { raw: true },
  hearth: {},
  "hearth-off": { config: { presence: false } },
  "hearth-nod1": { d1: false },
};
const variants = flags.variants.split(",").filter((v) => VARIANTS[v]);
const secret = new TextEncoder().encode(JWT_SECRET);
const sign = (sub, claims = {}) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("2h").sign(secret);
const cpuMs = (pid) => {
  const s = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
};
const log = (m) => process.stderr.write(`[connect] ${m}\n`);

/** The bench worker under `wrangler dev`, pinned to cpu 1, fresh state: { url, cpuMs(), dispose() }. */
async function startWrangler() {
  const stateDir = `/dev/shm/hearth-connect-wrangler-${process.pid}`;
  rmSync(stateDir, { recursive: true, force: true });
  const wrangler = path.join(root, "node_modules/wrangler/bin/wrangler.js");
  const config = path.join(root, "bench/wrangler.bench.toml");
  const env = { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", X_LOCAL_OBSERVABILITY: "false" };
  execFileSync(process.execPath, [wrangler, "d1", "migrations", "apply", "DIRECTORY", "--local", "-c", config, "--persist-to", stateDir], { env, stdio: "ignore" });
  const port = await freePort();
  const raise = 'ulimit -Sn "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const p = launch("taskset", ["-c", "1", "sh", "-c", raise, "sh", process.execPath, wrangler, "dev", "-c", config, "--port", String(port), "--ip", "127.0.0.1", "--persist-to", stateDir, "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false"], { env, label: `connect-wrangler-${port}` });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/__bench/health`, 180_000);
  } catch (err) {
    await p.stop();
    throw new Error(`${err.message}; see ${p.logFile}`);
  }
  return {
    url,
    cpuMs: () => Math.round(cpuSeconds(groupPids(p.child.pid)) * 1000),
    dispose: async () => {
      await p.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function startServer(v, scriptPath) {
  if (flags.server === "wrangler") {
    if (v.d1 === false) throw new Error("hearth-nod1 has no wrangler form");
    return startWrangler();
  }
  const stateDir = `/dev/shm/hearth-connect-${process.pid}`;
  const w = await startWorkerd({ scriptPath, cpu: 1, stateDir, d1: v.d1 !== false });
  return {
    url: w.url,
    cpuMs: () => cpuMs(w.pid),
    dispose: async () => {
      await w.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function measure(name, scriptPath) {
  const v = VARIANTS[name];
  const w = await startServer(v, scriptPath);
  try {
    const roomId = `cc-${Date.now()}`;
    const ws = w.url.replace(/^http/, "ws");
    if (!v.raw) {
      const admin = await sign("bench-admin", { name: "admin", scope: "rooms:admin" });
      const res = await request(`${w.url}/api/rooms`, { body: JSON.stringify({ roomId, kind: "relay", ...(v.config ? { config: v.config } : {}) }), headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" } });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
    }
    // Every socket a user the worker has never seen (no cached verification or revocation answer).
    const tokens = await Promise.all(Array.from({ length: SOCKETS + 1 }, (_, i) => sign(`u-${i}`, { name: `user ${i}` })));
    const url = (t) => (v.raw ? `${ws}/raw/${roomId}` : `${ws}/ws/rooms/${roomId}?token=${t}`);
    const sockets = [];
    let frames = 0;
    const open = (t) =>
      new Promise((resolve, reject) => {
        const s = new WebSocket(url(t), { perMessageDeflate: false });
        sockets.push(s);
        s.on("message", () => frames++);
        s.once("open", resolve);
        s.once("error", reject);
      });
    await open(tokens[SOCKETS]); // wakes the room; not counted
    await sleep(300);
    frames = 0;
    const c0 = w.cpuMs();
    const t0 = performance.now();
    for (let k = 0; k < SOCKETS; k += 200) await Promise.all(tokens.slice(k, Math.min(k + 200, SOCKETS)).map(open));
    const openMs = performance.now() - t0;
    await sleep(500);
    const cpu = w.cpuMs() - c0;
    for (const s of sockets) s.terminate();
    return { variant: name, server: flags.server, sockets: SOCKETS, openMs: round(openMs), workerdCpuMs: cpu, cpuMsPerConnect: round(cpu / SOCKETS, 2), framesReceived: frames, load1: round(os.loadavg()[0], 2) };
  } finally {
    await w.dispose();
  }
}

pinToCpu(process.pid, 0);
const scriptPath = flags.server === "wrangler" ? null : await bundleWorker();
const loadStart = os.loadavg().map((x) => round(x, 2));
const runs = [];
for (let r = 1; r <= Number(flags.rounds); r++) {
  for (const name of variants) {
    const res = await measure(name, scriptPath);
    runs.push({ round: r, ...res });
    log(`round ${r} ${name.padEnd(12)} open ${res.openMs} ms, workerd ${res.cpuMsPerConnect} ms CPU a connect, ${res.framesReceived} frames, load ${res.load1}`);
  }
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const summary = Object.fromEntries(variants.map((name) => [name, { openMs: median(runs.filter((x) => x.variant === name).map((x) => x.openMs)), cpuMsPerConnect: median(runs.filter((x) => x.variant === name).map((x) => x.cpuMsPerConnect)) }]));
if (summary.raw) for (const [name, s] of Object.entries(summary)) if (name !== "raw") Object.assign(s, { openVsRaw: round(s.openMs / summary.raw.openMs, 2), cpuVsRaw: round(s.cpuMsPerConnect / summary.raw.cpuMsPerConnect, 2) });
const result = { at: new Date().toISOString(), server: flags.server, command: `node bench/connectCost.mjs ${process.argv.slice(2).join(" ")}`.trim(), loadStart, loadEnd: os.loadavg().map((x) => round(x, 2)), summary, runs };
for (const [name, s] of Object.entries(summary)) log(`${name.padEnd(12)} ${JSON.stringify(s)}`);
const out = flags.out ?? `${OUT}/connect-cost.json`;
mkdirSync(OUT, { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2));
log(`wrote ${out}`);
