// Issue 26 item 1: what one input costs, per input kind. Two halves (bench/INPUT-COST.md says how
// each figure is obtained):
//   counts  bench/inputCostProbe.ts, bundled here and run in Node: Hearth's Room, pipeline and
//           SqliteRoomStore over node:sqlite; SQL statements, rows written, JSON encodes and
//           decodes, socket sends, per input (averaged over PROBE_N inputs after one warm input).
//   cpu     workerd (the bench worker, pinned to cpu 1 like npm run bench): the process's CPU
//           time (/proc utime+stime) over COST_N inputs of one kind, divided by COST_N, for
//           Hearth, the raw DO and partyserver.
//
//   node bench/inputCost.mjs            # both halves; writes bench/input-cost.json
//   COST_ONLY=counts node bench/inputCost.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import WebSocket from "ws";
import { request } from "./http.mjs";
import { makePayload, processCpuMs, round, sleep } from "./loadgen.mjs";
import { TARGETS } from "./targets.mjs";
import { bundleWorker, OUT, pinToCpu } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const ONLY = env.COST_ONLY ?? "";
const N = Number(env.COST_N ?? 400);
const ONLY_TARGETS = env.COST_TARGETS?.split(",");
const log = (m) => process.stderr.write(`[cost] ${m}\n`);

async function counts() {
  mkdirSync(OUT, { recursive: true });
  const outfile = path.join(OUT, "inputCostProbe.mjs");
  await build({ entryPoints: [path.join(here, "inputCostProbe.ts")], outfile, bundle: true, format: "esm", platform: "node", target: "node22", external: ["node:*", "cloudflare:*"], logLevel: "error" });
  const out = execFileSync(process.execPath, ["--no-warnings", outfile], { encoding: "utf8", env: { ...env, PROBE_N: String(env.PROBE_N ?? 200) } });
  return JSON.parse(out);
}

const open = (url) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });

/** Waits until `ws` has received `n` more messages (counting batch frames' elements is not needed: no batch=1). */
const receiver = (ws) => {
  let got = 0;
  const waiters = [];
  ws.on("message", () => {
    got++;
    while (waiters.length && waiters[0].n <= got) waiters.shift().resolve();
  });
  return { until: (n) => new Promise((resolve) => (n <= got ? resolve() : waiters.push({ n, resolve }))), get got() { return got; } };
};

/** CPU ms of the server process per input over `n` inputs of `fn(i)`. */
async function cpuPer(pid, n, fn) {
  const step = (i) => Promise.race([fn(i), sleep(10_000).then(() => Promise.reject(new Error(`input ${i} got no answer in 10 s`)))]);
  await step(-1);
  const before = processCpuMs(pid);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await step(i);
  await sleep(100); // let the last fan-out finish
  const cpu = processCpuMs(pid) - before;
  return { cpuMsPerInput: round(cpu / n, 3), wallMsPerInput: round((performance.now() - t0) / n, 3) };
}

async function cpu() {
  let taskset = false;
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    taskset = os.availableParallelism() >= 2;
  } catch {}
  if (taskset) pinToCpu(process.pid, 0);
  const stateDir = `/dev/shm/hearth-cost-${process.pid}`;
  const scriptPath = await bundleWorker();
  const ctx = { scriptPath, stateDir, serverCpu: taskset ? 1 : null, taskset };
  const rows = [];
  const LISTENERS = 10;
  for (const tid of ["hearth-seed", "raw", "partyserver"]) {
    const target = TARGETS[tid];
    if (ONLY_TARGETS && !ONLY_TARGETS.includes(tid)) continue;
    // HTTP event: one POST at a time into a room with 10 listening sockets.
    let server = await target.start(ctx);
    try {
      const room = await target.room(server, `cost-${tid}`);
      await room.create();
      await room.prepare(LISTENERS + N + 2);
      const socks = [];
      for (let k = 0; k < LISTENERS; k++) socks.push(await open(room.socketUrl(k)));
      const rx = receiver(socks[LISTENERS - 1]);
      await sleep(300);
      const base = rx.got;
      let sent = 0;
      const http = await cpuPer(server.pid, N, async (i) => {
        const req = room.publish(makePayload("cost", i + 1, 0), `cost.${i + 1}`);
        const res = await request(req.url, { body: req.body, headers: req.headers });
        if (res.status < 200 || res.status >= 300) throw new Error(`${tid} POST ${res.status}`);
        await rx.until(base + ++sent);
      });
      rows.push({ system: tid, input: "HTTP event (10 listeners)", ...http });
      log(`${tid} HTTP event ${JSON.stringify(http)}`);
      // Connect: sockets opened one after another (each waits for the previous handshake).
      const more = [];
      const conn = await cpuPer(server.pid, Math.min(N, 300), async (i) => {
        more.push(await open(room.socketUrl(LISTENERS + 1 + i + 1)));
      });
      rows.push({ system: tid, input: "connect (one at a time; room default config)", ...conn });
      log(`${tid} connect ${JSON.stringify(conn)}`);
      for (const ws of [...socks, ...more]) ws.terminate();
    } finally {
      await server.stop().catch(() => {});
      rmSync(stateDir, { recursive: true, force: true });
    }
    if (tid !== "hearth-seed") continue;
    // Socket command: one socket publishes, waits for its own ack, 10 listeners.
    server = await target.start(ctx);
    try {
      const room = await target.room(server, `cost-sock`);
      await room.create();
      await room.prepare(LISTENERS);
      const socks = [];
      for (let k = 0; k < LISTENERS; k++) socks.push(await open(room.socketUrl(k)));
      // Every socket publishes in turn (each is its own user, so no one's per-user budget runs out).
      const acks = new Map();
      for (const ws of socks)
        ws.on("message", (d) => {
          const f = JSON.parse(String(d));
          if (f.type === "ack" || f.type === "error") acks.get(f.id)?.(f);
        });
      await sleep(300);
      const sock = await cpuPer(server.pid, N, (i) =>
        new Promise((resolve) => {
          const id = `c${i + 2}`;
          acks.set(id, resolve);
          socks[(i + 1) % socks.length].send(JSON.stringify({ type: "publish", data: JSON.parse(makePayload("cost", i, 0)), id }));
        }),
      );
      rows.push({ system: tid, input: "socket command (publish + ack, 10 listeners)", ...sock });
      log(`${tid} socket command ${JSON.stringify(sock)}`);
      for (const ws of socks) ws.terminate();
    } finally {
      await server.stop().catch(() => {});
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
  return { rows, loadAvg: os.loadavg().map((v) => round(v, 2)), pinning: taskset ? "load generator cpu 0, workerd cpu 1" : "none" };
}

const result = { date: new Date().toISOString(), n: N };
if (ONLY !== "cpu") result.counts = await counts();
if (ONLY !== "counts") result.cpu = await cpu();
const file = env.COST_OUT ? path.resolve(env.COST_OUT) : path.join(here, "input-cost.json");
writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
if (result.counts) console.table(result.counts);
if (result.cpu) console.table(result.cpu.rows);
log(`wrote ${file}`);
process.exit(0);
