#!/usr/bin/env node
// Time from a revocation to the last close of the revoked user's sockets (issue 24 item 7, [V1]..[V5]).
//
//   nice -n 10 node bench/revocation.mjs [--rooms 3,30,100] [--runs 3]
//
// Hearth in workerd through Miniflare (bench/workerd.mjs: no wrangler proxy; local D1 is SQLite in
// the same process, so D1's network round trip in production is not in these figures). For each
// room count K: half relay rooms, half tabletop sessions, one socket of the user in each (real TCP,
// the `ws` package) plus one bystander socket; then `POST /api/revocations {user_id}` and the time
// to the route's answer and to the last 4001 close frame. Also the cost of the check on an HTTP call:
// `GET /api/rooms/:id` with a token seen for the first time in the last second (a D1 read) and again.
import { SignJWT } from "jose";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WsClient from "ws";
import { bundleWorker, JWT_SECRET, startWorkerd } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const roomCounts = arg("rooms", "3,30,100").split(",").map(Number);
const runs = Number(arg("runs", "3"));
const key = new TextEncoder().encode(JWT_SECRET);
const tokenFor = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("1h").sign(key);
const uid = (p) => `${p}-${Math.random().toString(36).slice(2, 10)}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const w = await startWorkerd({ scriptPath: await bundleWorker(), stateDir: path.join(here, ".out", `revocation-state-${process.pid}`) });
const base = w.url;
const wsBase = base.replace(/^http/, "ws");
const admin = await tokenFor({ sub: "bench-admin", scope: "rooms:admin events:publish" });
const api = async (method, p, tok, body) => {
  const res = await fetch(`${base}${p}`, { method, headers: { Authorization: `Bearer ${tok}`, ...(body ? { "Content-Type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: await res.json().catch(() => null) };
};

async function newRelay() {
  const roomId = uid("r");
  const r = await api("POST", "/api/rooms", admin, { roomId });
  if (r.status !== 201) throw new Error(`create relay: ${r.status} ${JSON.stringify(r.json)}`);
  return `/ws/rooms/${roomId}`;
}
async function newSession() {
  const r = await api("POST", "/api/sessions", admin, { campaign_id: 7, dm_user_id: uid("dm") });
  if (r.status !== 201) throw new Error(`create session: ${r.status} ${JSON.stringify(r.json)}`);
  return `/ws/game/${r.json.session_id}`;
}

/**
 * Opens a socket and waits for its first frame. `closed` resolves with {code, at} when the close
 * *frame* arrives (polled every 2 ms on ws's receiver state), then drops the TCP connection: the
 * `close` event of an established hibernatable socket waits ~10-15 s for the runtime to end TCP
 * (docs/closes.md), which is not the revocation's time.
 */
function openSocket(p, tok) {
  return new Promise((resolve, reject) => {
    const ws = new WsClient(`${wsBase}${p}${p.includes("?") ? "&" : "?"}token=${tok}`);
    const closed = new Promise((r) => {
      const poll = setInterval(() => {
        if (!ws._closeFrameReceived && ws.readyState !== WsClient.CLOSED) return;
        clearInterval(poll);
        r({ code: ws._closeCode, at: performance.now() });
        ws.terminate();
      }, 2);
    });
    ws.once("message", () => resolve({ ws, closed }));
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`refused ${res.statusCode} ${p}`)));
  });
}

const lines = [];
for (const k of roomCounts) {
  const answered = [];
  const lastClose = [];
  for (let run = 0; run < runs; run++) {
    const user = uid("banned");
    const tok = await tokenFor({ sub: user, jti: uid("jti") });
    const paths = await Promise.all(Array.from({ length: k }, (_, i) => (i % 2 === 0 ? newRelay() : newSession())));
    const sockets = [];
    for (const p of paths) sockets.push(await openSocket(p, tok));
    const bystander = await openSocket(paths[0], await tokenFor({ sub: uid("other") }));
    const t0 = performance.now();
    const res = await api("POST", "/api/revocations", admin, { user_id: user });
    answered.push(performance.now() - t0);
    const closes = await Promise.all(sockets.map((s) => s.closed));
    if (closes.some((c) => c.code !== 4001) || res.json?.closed !== k) throw new Error(`K=${k}: ${JSON.stringify(res.json)} codes ${closes.map((c) => c.code)}`);
    lastClose.push(Math.max(...closes.map((c) => c.at)) - t0);
    if (bystander.ws.readyState !== WsClient.OPEN) throw new Error("the bystander was closed");
    bystander.ws.close();
  }
  lines.push(`rooms=${k} (relay+tabletop) runs=${runs}: route answered median ${median(answered).toFixed(1)} ms (max ${Math.max(...answered).toFixed(1)}), last 4001 close median ${median(lastClose).toFixed(1)} ms (max ${Math.max(...lastClose).toFixed(1)})`);
  console.log(lines.at(-1));
}

// The check's cost on an HTTP call: a token the isolate hasn't checked in the last second, then again.
const room = (await newRelay()).split("/").pop();
const cold = [];
const warm = [];
for (let i = 0; i < 30; i++) {
  const tok = await tokenFor({ sub: uid("u"), jti: uid("j") });
  let t = performance.now();
  await api("GET", `/api/rooms/${room}`, tok);
  cold.push(performance.now() - t);
  t = performance.now();
  await api("GET", `/api/rooms/${room}`, tok);
  warm.push(performance.now() - t);
}
lines.push(`GET /api/rooms/:id, 30 tokens: first call (signature + D1 revocation read) median ${median(cold).toFixed(1)} ms, second (both cached) median ${median(warm).toFixed(1)} ms`);
console.log(lines.at(-1));
await w.dispose();
