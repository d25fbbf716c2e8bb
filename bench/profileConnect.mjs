#!/usr/bin/env node
// Where does a connect's time go? Starts the bench worker in workerd with a V8 inspector, creates
// one relay room (the kind's default config unless PROFILE_CONFIG='{"presence":false}'), takes a
// CPU profile while PROFILE_SOCKETS (1000) sockets open, and prints the functions with the most
// self time plus the share of a few named stages. The .cpuprofile goes to bench/.out/ (open it in
// Chrome DevTools). Run: npm exec -- node bench/profileConnect.mjs
import { writeFileSync } from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import { SignJWT } from "jose";
import { connectAll, closeAll, makeClients, sleep } from "./loadgen.mjs";
import { indexProfile, inclusiveTimes } from "./cpuProfile.mjs";
import { request } from "./http.mjs";
import { bundleWorker, JWT_SECRET, OUT, startWorkerd } from "./workerd.mjs";

const SOCKETS = Number(process.env.PROFILE_SOCKETS ?? 1000);
const CONFIG = process.env.PROFILE_CONFIG ? JSON.parse(process.env.PROFILE_CONFIG) : null;
const PORT = 9300 + Math.floor(Math.random() * 500);
const secret = new TextEncoder().encode(JWT_SECRET);
const sign = (sub, claims = {}) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("2h").sign(secret);

const scriptPath = await bundleWorker();
const w = await startWorkerd({ scriptPath, inspectorPort: PORT });
const targets = await (await fetch(`http://127.0.0.1:${PORT}/json`)).json();
const target = targets.find((t) => /hearth|core:user|bench/i.test(t.title ?? "")) ?? targets[0];
const cdp = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => cdp.once("open", r));
let nextId = 0;
const pending = new Map();
cdp.on("message", (m) => {
  const msg = JSON.parse(m.toString());
  if (msg.id !== undefined) pending.get(msg.id)?.(msg.result ?? msg.error);
});
// workerd's inspector does not answer every method (a forced GC, for one): give up after 5 s.
const call = (method, params = {}) =>
  new Promise((resolve) => {
    const id = ++nextId;
    pending.set(id, resolve);
    setTimeout(() => resolve(undefined), 5_000).unref();
    cdp.send(JSON.stringify({ id, method, params }));
  });

const admin = await sign("bench-publisher", { name: "p", scope: "rooms:admin events:publish" });
const roomId = `prof-${Date.now()}`;
const created = await request(`${w.url}/api/rooms`, {
  body: JSON.stringify({ roomId, kind: "relay", ...(CONFIG ? { config: CONFIG } : {}) }),
  headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
});
if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
const tokens = await Promise.all(Array.from({ length: SOCKETS }, (_, i) => sign(`u-${i}`, { name: `user ${i}` })));
const ws = w.url.replace(/^http/, "ws");

await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 200 });
await call("Profiler.start");
const clients = makeClients(SOCKETS);
// Wire frames and bytes the sockets received during the storm (snapshots, presence, batches).
const wire = { frames: 0, bytes: 0 };
for (const c of clients) {
  let socket = null;
  Object.defineProperty(c, "ws", {
    get: () => socket,
    set: (ws) => {
      socket = ws;
      ws?.on("message", (d) => {
        wire.frames++;
        wire.bytes += d.length ?? 0;
      });
    },
  });
}
const t0 = performance.now();
const result = await connectAll(clients, (c) => `${ws}/ws/rooms/${roomId}?token=${tokens[c.id]}&batch=1`, { batch: 200 });
const ms = performance.now() - t0;
await sleep(500);
const { profile } = await call("Profiler.stop");
await closeAll(clients);
cdp.close();
await w.dispose();

const file = path.join(OUT, `connect-${CONFIG ? "custom" : "default"}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));

// Self time per function, from the samples.
const index = indexProfile(profile);
const { byId, dt } = index;
const self = new Map();
let total = 0;
for (const [id, us] of dt) {
  const f = byId.get(id).callFrame;
  const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + us);
  total += us;
}
// Inclusive time of named stages: any sample with a frame of that name on its stack.
const stages = ["jwtVerify", "verifyToken", "connectRequest", "upgradeToRoom", "fetch", "connect", "catchUp", "connected", "runPipeline", "commit", "fanOut", "journalRecord", "snapshot", "view", "acceptWebSocket", "serializeAttachment", "ensure", "(idle)", "(program)", "(garbage collector)"];
const inclusive = inclusiveTimes(index, stages);
const busy = total - inclusive["(idle)"];
console.log(`profile: ${SOCKETS} sockets (${result.opened ?? SOCKETS - (result.failed ?? 0)} opened) in ${Math.round(ms)} ms, config ${JSON.stringify(CONFIG)}; ${wire.frames} wire frames (${Math.round(wire.bytes / 1024)} KiB) ; busy ${Math.round(busy / 1000)} ms of ${Math.round(total / 1000)} ms sampled; ${file}`);
console.log("\nstage (inclusive, share of busy time):");
for (const [s, us] of Object.entries(inclusive)) if (us > 0 && s !== "(idle)") console.log(`  ${s.padEnd(22)} ${(us / 1000).toFixed(1).padStart(8)} ms  ${((100 * us) / busy).toFixed(1)}%`);
console.log("\ntop self time:");
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`);
