#!/usr/bin/env node
// How long a close the server decides takes to reach a client's `close` event (issue 23 item 2).
//
//   nice -n 10 node --experimental-websocket bench/closeLatency.mjs [--target T] [--n 5] [--idle]
//
// Targets (each started by this script on a free port, with its own state, and stopped after):
//   hearth-wrangler   Hearth under `wrangler dev` (the dev proxy in front of workerd)   [default]
//   hearth-miniflare  Hearth in workerd through Miniflare's API (bench/workerd.mjs): no wrangler proxy
//   repro-wrangler    the minimal worker below under `wrangler dev`
//   repro-miniflare   the minimal worker below in workerd through Miniflare, no wrangler proxy
//   all               every target, one after the other
// `--url http://127.0.0.1:8787` measures a server that is already running (a Hearth target).
//
// Clients: `raw` (a TCP socket that speaks just enough RFC 6455: it records when the close frame
// arrives, echoes it as every client does, and records when the server ends TCP), `ws` (the npm
// package), `node` (Node's built-in WebSocket, undici's; Node 20 needs --experimental-websocket) and,
// with --chromium, a real browser page. For `node` and `chromium` the frame's time is when
// readyState turns CLOSING (polled every 5 ms).
// Figures are milliseconds from the request to: `frame` (the close frame is read) and `event`
// (the client's `close` event; for `raw`, the server's TCP FIN). Median and max of --n runs.
//
// Hearth cases: 4003 and 4009 refused inside a room (campaign: a stranger; a full campaign), 4004
// refused inside a room (tabletop, unknown session), 4001 refused by the worker
// (tabletop, bad token), 4001 for a revoked token (tabletop: the room reads it), 4001 on relay (refuse "http" today: what a client offering no
// subprotocol sees), 4010 the feed's connection age limit (a 300 ms TTL, figures from the frame),
// and with --idle 4000 the games lobby's 40 s idle close (once per client). `--storm K` then refuses
// K sockets inside rooms at once and counts the "Network connection lost" lines wrangler logged.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync, createWriteStream, readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WsClient from "ws";
import { freePort, waitFor } from "./localServer.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(here, ".out", "closes");
mkdirSync(out, { recursive: true });

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const N = Number(opt("n", 5));
const IDLE = args.includes("--idle");
/** Run before the process exits (the browser of --chromium). */
const cleanupsAtExit = [];
/** Repro targets: another compatibility date or flags (comma-separated) than wrangler.toml's. */
const COMPAT_DATE = opt("compat-date", null);
const COMPAT_FLAGS = opt("flags", null)?.split(",").filter(Boolean) ?? [];
/** Only the cases whose name contains this. */
const ONLY = opt("only", null);
const TIMEOUT_MS = Number(opt("timeout", 25_000));
const NodeWebSocket = globalThis.WebSocket ?? (await import("undici")).WebSocket;

// ---- the minimal reproduction: one worker, one Durable Object, nothing of Hearth ---------------
// /worker/plain       the worker accepts a pair and closes it (4001)
// /do/hib             the object accepts as hibernatable and closes at once (4004): today's room refusal
// /do/plain           the object accepts plainly and closes at once
// /do/halfopen        the object accepts with { allowHalfOpen: true } and closes at once
// /do/hib-later?ms=   hibernatable, closed by the object after `ms` (an alarm-like server close, 4010)
// /do/plain-later?ms= plain accept, closed after `ms`
// /do/hib-reply?ms=   hibernatable, closed after `ms`, and webSocketClose calls close() again
// /do/hib-busy?ms=    hibernatable, closed after `ms`, the object kept from hibernating for 20 s
const REPRO = `
import { DurableObject } from "cloudflare:workers";
function pair() { const [c, s] = Object.values(new WebSocketPair()); return [c, s]; }
export class Box extends DurableObject {
  async fetch(req) {
    const url = new URL(req.url); const mode = url.pathname.split("/")[2]; const ms = Number(url.searchParams.get("ms") ?? 300);
    const [client, server] = pair();
    if (mode === "hib") { this.ctx.acceptWebSocket(server, ["refused"]); server.close(4004, "Session not found"); }
    else if (mode === "plain") { server.accept(); server.close(4004, "Session not found"); }
    else if (mode === "halfopen") { server.accept({ allowHalfOpen: true }); server.close(4004, "Session not found"); }
    else if (mode === "hib-later") { this.ctx.acceptWebSocket(server); setTimeout(() => server.close(4010, "Connection age limit"), ms); }
    else if (mode === "hib-busy") { this.ctx.acceptWebSocket(server); setTimeout(() => server.close(4010, "Connection age limit"), ms); this.ctx.waitUntil(new Promise((r) => setTimeout(r, 20_000))); }
    else if (mode === "hib-reply") { this.ctx.acceptWebSocket(server, ["reply"]); setTimeout(() => server.close(4010, "Connection age limit"), ms); }
    else if (mode === "plain-later") { server.accept(); setTimeout(() => server.close(4010, "Connection age limit"), ms); }
    else return new Response("?", { status: 404 });
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketClose(ws, code, reason) { if (this.ctx.getTags(ws).includes("reply")) try { ws.close(code, reason); } catch {} }
}
export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    if (url.pathname === "/health") return new Response("ok");
    if (url.pathname === "/worker/plain") { const [client, server] = pair(); server.accept(); server.close(4001, "Invalid token"); return new Response(null, { status: 101, webSocket: client }); }
    if (url.pathname.startsWith("/do/")) return env.BOX.get(env.BOX.idFromName(url.searchParams.get("room") ?? "r")).fetch(req);
    return new Response("?", { status: 404 });
  },
};`;

// ---- clients ---------------------------------------------------------------------------------

/** A raw RFC 6455 client: the close frame's arrival and the server's TCP FIN, separately. */
function rawClient(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const r = { client: "raw", status: null, code: null, reason: null, frame: null, event: null };
    const sock = connect(Number(u.port), u.hostname);
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const timer = setTimeout(() => (sock.destroy(), resolve({ ...r, timedOut: true })), TIMEOUT_MS);
    sock.on("connect", () => {
      sock.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\n\r\n`);
    });
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf("\r\n\r\n");
        if (end === -1) return;
        r.status = Number(buf.subarray(9, 12).toString());
        buf = buf.subarray(end + 4);
        upgraded = true;
        if (r.status !== 101) return; // an HTTP refusal: wait for the body and FIN
      }
      while (r.status === 101 && buf.length >= 2 && r.frame === null) {
        const opcode = buf[0] & 0x0f;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) (len = buf.readUInt16BE(2)), (off = 4);
        if (buf.length < off + len) return;
        const payload = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (opcode === 8) {
          r.frame = performance.now() - t0;
          r.code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          r.reason = payload.subarray(2).toString();
          // Echo the close (masked, as a client must), as ws and undici do.
          const mask = randomBytes(4);
          const body = Buffer.from(payload.subarray(0, 2));
          for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
          sock.write(Buffer.concat([Buffer.from([0x88, 0x80 | body.length]), mask, body]));
        }
      }
    });
    sock.on("end", () => {
      r.event = performance.now() - t0;
      sock.end();
    });
    sock.on("close", () => {
      clearTimeout(timer);
      r.event ??= performance.now() - t0;
      resolve(r);
    });
    sock.on("error", () => {});
  });
}

function wsClient(url) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const r = { client: "ws", status: null, code: null, reason: null, frame: null, event: null };
    const ws = new WsClient(url);
    const timer = setTimeout(() => (ws.terminate(), resolve({ ...r, timedOut: true })), TIMEOUT_MS);
    ws.on("upgrade", (res) => (r.status = res.statusCode));
    ws.on("unexpected-response", (_req, res) => {
      r.status = res.statusCode;
      res.resume();
      res.on("end", () => {
        r.event = performance.now() - t0;
        clearTimeout(timer);
        resolve(r);
      });
    });
    ws.on("open", () => {
      // ws reads the close frame in its receiver ('conclude') before the socket ends.
      ws._receiver?.once("conclude", () => (r.frame = performance.now() - t0));
    });
    ws.on("error", () => {});
    ws.on("close", (code, reason) => {
      clearTimeout(timer);
      Object.assign(r, { code, reason: reason.toString(), event: performance.now() - t0 });
      resolve(r);
    });
  });
}

function nodeClient(url) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const r = { client: "node", status: null, code: null, reason: null, frame: null, event: null };
    const ws = new NodeWebSocket(url);
    const timer = setTimeout(() => (ws.close(), resolve({ ...r, timedOut: true })), TIMEOUT_MS);
    ws.addEventListener("open", () => (r.status = 101));
    ws.addEventListener("error", () => {});
    // readyState turns CLOSING (2) when the server's close frame is read: that is the frame's time.
    const poll = setInterval(() => ws.readyState === 2 && r.frame === null && (r.frame = performance.now() - t0), 5);
    ws.addEventListener("close", (e) => {
      clearInterval(poll);
      clearTimeout(timer);
      Object.assign(r, { code: e.code, reason: e.reason, event: performance.now() - t0 });
      resolve(r);
    });
  });
}

/** `--chromium`: the same in a real browser page (playwright-core, CHROMIUM or /usr/bin/chromium). */
let page = null;
async function chromiumClient(url) {
  const r = await page.evaluate(
    ({ u, ms }) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const r = { client: "chromium", status: null, code: null, reason: null, frame: null, event: null };
        const ws = new WebSocket(u);
        const poll = setInterval(() => ws.readyState === 2 && r.frame === null && (r.frame = performance.now() - t0), 5);
        const timer = setTimeout(() => (clearInterval(poll), resolve({ ...r, timedOut: true })), ms);
        ws.onopen = () => (r.status = 101);
        ws.onclose = (e) => {
          clearInterval(poll);
          clearTimeout(timer);
          resolve({ ...r, code: e.code, reason: e.reason, event: performance.now() - t0 });
        };
      }),
    { u: url, ms: TIMEOUT_MS },
  );
  return r;
}

const CLIENTS = { raw: rawClient, ws: wsClient, node: nodeClient, ...(args.includes("--chromium") ? { chromium: chromiumClient } : {}) };
if (CLIENTS.chromium) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  cleanupsAtExit.push(() => browser.close());
  page = await browser.newPage();
}

// ---- servers -----------------------------------------------------------------------------------

/** `wrangler dev` on a free port, its own state; returns { url, secret, stop, log }. */
async function startWrangler({ config, stateDir, label }) {
  const wranglerBin = path.join(root, "node_modules/wrangler/bin/wrangler.js");
  rmSync(stateDir, { recursive: true, force: true });
  if (config === undefined) {
    const m = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "DIRECTORY", "--local", "--persist-to", stateDir], { cwd: root, env: { ...process.env, CI: "1" }, stdio: "ignore" });
    if (m.status !== 0) throw new Error("D1 migrations failed");
  }
  const port = await freePort();
  const secret = randomBytes(32).toString("hex");
  const logFile = path.join(out, `${label}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [wranglerBin, "dev", ...(config ? ["--config", config] : []), "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()), "--persist-to", stateDir,
      ...(config ? [] : ["--var", `HEARTH_JWT_SECRET:${secret}`]), "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" } },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`);
  return {
    url,
    logFile,
    stop: async () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 1500));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function startMiniflare({ repro, label }) {
  const { bundleWorker, startWorkerd, workerdLog } = await import("./workerd.mjs");
  if (!repro) {
    const scriptPath = await bundleWorker();
    const w = await startWorkerd({ scriptPath, stateDir: path.join(out, `${label}-state-${process.pid}`) });
    return { url: w.url, logFile: workerdLog.file, stop: () => w.dispose() };
  }
  const miniflare = await import("miniflare");
  const options = {
    host: "127.0.0.1",
    port: 0,
    modules: true,
    script: REPRO,
    compatibilityDate: COMPAT_DATE ?? /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(root, "wrangler.toml"), "utf8"))[1],
    compatibilityFlags: COMPAT_FLAGS,
    durableObjects: { BOX: { className: "Box", useSQLite: true } },
    handleStructuredLogs: ({ level, message }) => logLines.push(`${level} ${message}`),
  };
  const logLines = [];
  const mf = new miniflare.Miniflare(typeof miniflare.convertV4MiniflareOptions === "function" ? miniflare.convertV4MiniflareOptions(options) : options);
  const url = (await mf.ready).href.replace(/\/$/, "");
  const logFile = path.join(out, `${label}.log`);
  return { url, logFile, stop: async () => (writeFileSync(logFile, logLines.join("\n")), await mf.dispose()) };
}

async function startTarget(target) {
  // Per process: two runs at once must not share (or delete) each other's state.
  if (target === "hearth-wrangler") return startWrangler({ stateDir: path.join(out, `hearth-state-${process.pid}`), label: `${target}-${process.pid}` });
  if (target === "hearth-miniflare") return startMiniflare({ repro: false, label: target });
  if (target === "repro-miniflare") return startMiniflare({ repro: true, label: target });
  if (target === "repro-wrangler") {
    const dir = path.join(out, "repro");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "index.js"), REPRO);
    const date = COMPAT_DATE ?? /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(root, "wrangler.toml"), "utf8"))[1];
    writeFileSync(
      path.join(dir, "wrangler.toml"),
      `name = "close-repro"\nmain = "index.js"\ncompatibility_date = "${date}"\ncompatibility_flags = ${JSON.stringify(COMPAT_FLAGS)}\n[[durable_objects.bindings]]\nname = "BOX"\nclass_name = "Box"\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["Box"]\n`,
    );
    return startWrangler({ config: path.join(dir, "wrangler.toml"), stateDir: path.join(out, `repro-state-${process.pid}`), label: `${target}-${process.pid}` });
  }
  throw new Error(`unknown target ${target}`);
}

// ---- cases ---------------------------------------------------------------------------------------

async function token(base, claims) {
  const res = await fetch(`${base}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(claims) });
  if (!res.ok) throw new Error(`/dev/token ${res.status}`);
  return (await res.json()).token;
}

async function hearthCases(base) {
  const ws = base.replace(/^http/, "ws");
  const user = await token(base, { sub: "bench-user" });
  const admin = await token(base, { sub: "bench-admin", scope: "rooms:admin" });
  const feed = `ttl${randomUUID().slice(0, 8)}`;
  const made = await fetch(`${base}/api/feeds`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ feed, connectionTtlMs: 300 }) });
  if (!made.ok) throw new Error(`POST /api/feeds ${made.status} ${await made.text()}`);
  // Seed 001: a campaign with one invited player and room for one socket, its DM connected (holds
  // the one place): a stranger is refused 4003 inside the room, the invited player 4009.
  const campaign = `c${randomUUID().slice(0, 8)}`;
  const dm = await token(base, { sub: `dm-${campaign}` });
  const invited = await token(base, { sub: `p-${campaign}` });
  const mc = await fetch(`${base}/api/campaigns`, { method: "POST", headers: { authorization: `Bearer ${dm}`, "content-type": "application/json" }, body: JSON.stringify({ campaign_id: campaign, dm_user_id: `dm-${campaign}`, players: [`p-${campaign}`], max_connections: 1 }) });
  if (!mc.ok) throw new Error(`POST /api/campaigns ${mc.status} ${await mc.text()}`);
  const dmSocket = new WsClient(`${ws}/ws/campaign/dm?campaign=${campaign}&token=${dm}`);
  await new Promise((resolve, reject) => (dmSocket.once("open", resolve), dmSocket.once("error", reject)));
  cleanups.push(() => dmSocket.terminate());
  // A token whose jti is revoked and that the worker never verified: the room reads the revocation
  // and refuses it ([V5], [V8]; before stop 33 the worker did).
  const jti = `j${randomUUID().slice(0, 8)}`;
  const revoked = await token(base, { sub: `gone-${jti}`, jti });
  const rv = await fetch(`${base}/api/revocations`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ jti }) });
  if (!rv.ok) throw new Error(`POST /api/revocations ${rv.status} ${await rv.text()}`);
  return [
    { name: "4001 revoked token (tabletop)", url: () => `${ws}/ws/game/${randomUUID()}?token=${revoked}` },
    { name: "4003 in room (campaign, player not invited)", url: () => `${ws}/ws/campaign/player?campaign=${campaign}&token=${user}` },
    { name: "4009 in room (campaign full)", url: () => `${ws}/ws/campaign/player?campaign=${campaign}&token=${invited}` },
    { name: "4004 in room (tabletop unknown session)", url: () => `${ws}/ws/game/${randomUUID()}?token=${user}` },
    { name: "4001 in worker (tabletop bad token)", url: () => `${ws}/ws/game/${randomUUID()}?token=bad` },
    { name: "4001 relay, no subprotocol (bad token)", url: () => `${ws}/ws/rooms/r${randomUUID().slice(0, 8)}?token=bad` },
    { name: "4010 feed TTL 300 ms (established)", url: () => `${ws}/ws/feed?feed=${feed}&token=${user}` },
    ...(IDLE ? [{ name: "4000 games idle 40 s (established)", url: () => `${ws}/ws/games?token=${user}`, once: true }] : []),
  ];
}

function reproCases(base) {
  const ws = base.replace(/^http/, "ws");
  const room = () => `room=${randomUUID().slice(0, 8)}`;
  return [
    { name: "worker accept()+close()", url: () => `${ws}/worker/plain` },
    { name: "DO acceptWebSocket()+close() (hibernatable)", url: () => `${ws}/do/hib?${room()}` },
    { name: "DO accept()+close()", url: () => `${ws}/do/plain?${room()}` },
    { name: "DO accept({allowHalfOpen})+close()", url: () => `${ws}/do/halfopen?${room()}` },
    { name: "DO hibernatable, close after 300 ms", url: () => `${ws}/do/hib-later?ms=300&${room()}` },
    { name: "DO accept(), close after 300 ms", url: () => `${ws}/do/plain-later?ms=300&${room()}` },
    { name: "DO hibernatable, close after 300 ms, object kept awake 20 s", url: () => `${ws}/do/hib-busy?ms=300&${room()}` },
    { name: "DO hibernatable, close after 300 ms, webSocketClose closes", url: () => `${ws}/do/hib-reply?ms=300&${room()}` },
  ];
}

/** Closed after a target's cases (sockets a case holds open). */
const cleanups = [];

/**
 * `--storm K`: K refusals inside rooms at once, every other client dropping TCP right after the
 * 101 (a page that navigates away): what a wrangler log shows when rooms refuse many sockets.
 */
async function storm(base, k) {
  const ws = base.replace(/^http/, "ws");
  const user = await token(base, { sub: "storm" });
  const t0 = performance.now();
  const runs = [];
  for (let i = 0; i < k; i++) {
    runs.push(
      new Promise((resolve) => {
        const c = new WsClient(`${ws}/ws/game/${randomUUID()}?token=${user}`);
        if (i % 2) c.on("upgrade", () => setImmediate(() => c.terminate()));
        c.on("error", () => {});
        c.on("close", (code) => resolve(code));
      }),
    );
  }
  const codes = await Promise.all(runs);
  const counts = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  console.log(`\nstorm: ${k} refusals in rooms (every other one dropped after the 101) in ${Math.round(performance.now() - t0)} ms; close codes ${JSON.stringify(counts)}`);
  await new Promise((r) => setTimeout(r, 3000)); // let the runtime log what it logs
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const fmt = (x) => (x === null || x === undefined ? "-" : `${Math.round(x)}`);

async function measure(target, base) {
  const cases = (target.startsWith("repro") ? reproCases(base) : await hearthCases(base)).filter((c) => !ONLY || c.name.includes(ONLY));
  console.log(`\n## ${target} (${base})`);
  console.log(`| case | client | status | code reason | frame ms (median) | close event ms (median / max) | n |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
  const rows = [];
  for (const c of cases) {
    for (const [name, client] of Object.entries(CLIENTS)) {
      const runs = [];
      for (let i = 0; i < (c.once ? 1 : N); i++) runs.push(await client(c.url()));
      const events = runs.map((r) => (r.timedOut ? null : r.event));
      const first = runs[0];
      const row = { target, case: c.name, client: name, status: first.status, code: first.code, reason: first.reason, frame: median(runs.map((r) => r.frame)), event: median(events), max: Math.max(...events.map((e) => e ?? Infinity)), n: runs.length, timedOut: runs.filter((r) => r.timedOut).length };
      rows.push(row);
      console.log(`| ${c.name} | ${name} | ${row.status ?? "-"} | ${row.code ?? "-"} ${row.reason ?? ""} | ${fmt(row.frame)} | ${fmt(row.event)} / ${fmt(row.max)}${row.timedOut ? ` (${row.timedOut} timed out)` : ""} | ${row.n} |`);
    }
  }
  if (!target.startsWith("repro") && opt("storm", null)) await storm(base, Number(opt("storm", 0)));
  for (const fn of cleanups.splice(0)) fn();
  return rows;
}

const targets = opt("target", "hearth-wrangler") === "all" ? ["repro-miniflare", "repro-wrangler", "hearth-miniflare", "hearth-wrangler"] : [opt("target", "hearth-wrangler")];
console.log(`closeLatency: n=${N}, ${new Date().toISOString()}, load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
const all = [];
const given = opt("url", null);
for (const target of targets) {
  const server = given ? { url: given, stop: async () => {}, logFile: null } : await startTarget(target);
  try {
    if (page) await page.goto(`${server.url}/health`);
    all.push(...(await measure(target, server.url)));
  } finally {
    await server.stop();
  }
  if (server.logFile) {
    let text = "";
    try {
      text = readFileSync(server.logFile, "utf8");
    } catch {
      // no log
    }
    const lost = (text.match(/Network connection lost/g) ?? []).length;
    console.log(`\n${target}: "Network connection lost" lines in its log: ${lost} (${server.logFile})`);
  }
}
for (const fn of cleanupsAtExit) await fn();
writeFileSync(path.join(out, `results-${process.pid}.json`), JSON.stringify(all, null, 1));
process.exit(0);
