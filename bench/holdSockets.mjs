// `npm run bench:sockets -- [--sockets 10000] [--rooms 10] [--hold-seconds 60] [--url http://127.0.0.1:8787]`
// Does a local `npm start` hold many sockets? Opens --sockets plain relay sockets (/ws/rooms/:id,
// every socket its own user, rooms created {"presence":false} so joins don't fan out), spread over
// --rooms rooms, holds them for --hold-seconds, and reports how many opened, how many are still
// open at the end, why the others failed or closed, and the open-file limits on both sides.
// Without --url it starts `npm start` itself (scripts/start.mjs, fresh state, not pinned).
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import WebSocket from "ws";
import { pool } from "./gamesTally.mjs";
import { startTarget } from "./gamesServers.mjs";

const { values: flags } = parseArgs({
  options: {
    sockets: { type: "string", default: "10000" },
    rooms: { type: "string", default: "10" },
    "hold-seconds": { type: "string", default: "60" },
    concurrency: { type: "string", default: "100" },
    url: { type: "string" },
    secret: { type: "string" },
  },
});
const N = Number(flags.sockets);
const ROOMS = Number(flags.rooms);
const log = (m) => process.stdout.write(`[sockets ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const softLimit = () => /Max open files\s+(\d+|unlimited)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1] ?? "?";

const server = flags.url
  ? { url: flags.url, secret: flags.secret ?? /^HEARTH_JWT_SECRET=(.*)$/m.exec(readFileSync(new URL("../.dev.vars", import.meta.url), "utf8"))?.[1]?.trim(), facts: {}, pids: () => [], stop: async () => ({}) }
  : await startTarget("hearth-wrangler", { cpu: null });
const key = new TextEncoder().encode(server.secret);
const sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(key);

const run = `hold${Date.now().toString(36)}`;
const admin = await sign({ sub: "svc-admin", scope: "rooms:admin" });
for (let r = 0; r < ROOMS; r++) {
  const res = await fetch(`${server.url}/api/rooms`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: JSON.stringify({ roomId: `${run}-${r}`, config: { presence: false } }),
  });
  if (res.status !== 201) throw new Error(`creating room ${r}: ${res.status} ${await res.text()}`);
}

const sockets = [];
const openNow = () => sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
const failed = {};
const closed = {};
let ending = false;
const t0 = performance.now();
await pool(N, Number(flags.concurrency), async (i) => {
  const token = await sign({ sub: `h${i}`, name: `h${i}` });
  await new Promise((resolve) => {
    // A handshake the server never answers fails after 30 s instead of hanging the run.
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/ws/rooms/${run}-${i % ROOMS}?token=${token}`, { handshakeTimeout: 30_000 });
    ws.once("open", () => {
      sockets.push(ws);
      ws.on("close", (code) => !ending && (closed[code] = (closed[code] ?? 0) + 1));
      resolve();
    });
    ws.once("unexpected-response", (_req, res) => {
      failed[`http ${res.statusCode}`] = (failed[`http ${res.statusCode}`] ?? 0) + 1;
      resolve();
    });
    ws.once("error", (err) => {
      failed[err.code ?? err.message] = (failed[err.code ?? err.message] ?? 0) + 1;
      resolve();
    });
  });
  if ((i + 1) % 1000 === 0) log(`${i + 1} attempted, ${sockets.length} opened, ${openNow()} open now, failed ${JSON.stringify(failed)}, closed ${JSON.stringify(closed)}`);
});
const openSecs = (performance.now() - t0) / 1000;
log(`${sockets.length}/${N} open after ${openSecs.toFixed(1)} s; holding ${flags["hold-seconds"]} s`);
await new Promise((r) => setTimeout(r, Number(flags["hold-seconds"]) * 1000));
const stillOpen = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
// Descriptors the server's processes hold now (wrangler's node, workerd): about one per socket.
const serverFds = server.pids().reduce((n, pid) => {
  try {
    return n + readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return n;
  }
}, 0);
const result = {
  at: new Date().toISOString(),
  attempted: N,
  rooms: ROOMS,
  opened: sockets.length,
  openSecs: Math.round(openSecs * 10) / 10,
  stillOpenAfterHold: stillOpen,
  holdSeconds: Number(flags["hold-seconds"]),
  failed,
  closedByServer: closed,
  serverFdLimit: server.facts.fdLimit ?? "(not started here)",
  serverFdsInUse: server.pids().length ? serverFds : "(not started here)",
  loadGeneratorFdLimit: softLimit(),
};
log(JSON.stringify(result));
ending = true;
for (const ws of sockets) ws.terminate();
await server.stop();
process.exit(0);
