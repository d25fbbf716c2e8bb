// `node bench/games.mjs`: seed 004's games through Hearth's real worker in workerd. For each G,
// G concurrent bigger_dice games (2 players + 1 spectator each, every socket its own user) roll
// as fast as turns allow for BENCH_GAMES_MS (default 30 s): a player rolls as soon as its
// turn_changed arrives, and a game that ends is followed at once by a new room (create, join,
// spectate, ready), as a real lobby sees it. Figures: rolls/s (rolled frames the spectators
// received) and roll-to-delivery latency (the roller's send to the spectator's receipt).
// Writes bench/GAMES.md. Options: BENCH_GAMES_G=10,100,500  BENCH_GAMES_MS=30000
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import WebSocket from "ws";
import { now, round, Samples, sleep } from "./loadgen.mjs";
import { bundleWorker, JWT_SECRET, pinToCpu, startWorkerd } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_GAMES_G ?? "10,100,500").split(",").map(Number).filter((n) => n > 0);
const MEASURE_MS = Number(process.env.BENCH_GAMES_MS ?? 30_000);
const SETUP_MS = Number(process.env.BENCH_GAMES_SETUP_MS ?? 120_000);
const log = (m) => process.stdout.write(`[games] ${m}\n`);

let taskset = false;
try {
  execFileSync("taskset", ["-V"], { stdio: "ignore" });
  taskset = os.availableParallelism() >= 2;
} catch {}
if (taskset) pinToCpu(process.pid, 0);

const secret = new TextEncoder().encode(JWT_SECRET);
const sign = (sub, name) => new SignJWT({ sub, name }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(secret);

async function socket(url, onFrame) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  ws.on("message", (data) => onFrame(JSON.parse(String(data))));
  return ws;
}

async function run(base, G) {
  const shard = `bench${G}x${Date.now().toString(36)}`;
  const lat = new Samples(1 << 16);
  let measuring = false;
  let rolls = 0;
  let gamesEnded = 0;
  let errors = 0;
  let limited = 0;
  const games = [];
  /** The last frame each socket sent: what a RATE_LIMITED refusal refers to. */
  const last = new Map();
  const send = (ws, f) => {
    last.set(ws, f);
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(f));
  };
  for (let i = 0; i < G; i++) {
    const g = { i, n: 0, name: "", roomId: null, pending: null, started: false, ids: [], ws: [] };
    const newRoom = () => {
      g.name = `${shard}-${i}-${g.n++}`;
      g.roomId = null;
      send(g.ws[0], { type: "create_room", game_type: "bigger_dice", room_name: g.name });
    };
    const onPlayer = (k) => (f) => {
      if (f.type === "error") {
        // Over the lobby's per-socket budget (20/s): back off and send the refused frame again, as a client would.
        if (f.code === "RATE_LIMITED" && last.has(g.ws[k])) {
          limited++;
          const again = last.get(g.ws[k]);
          setTimeout(() => send(g.ws[k], again), 100);
        } else errors++;
        if (process.env.BENCH_GAMES_DEBUG) log(`error ${f.code} ${f.message}`);
      }
      if (k === 0 && f.type === "room_created" && f.room_name === g.name) {
        g.roomId = f.room_id;
        send(g.ws[1], { type: "join_room", room_name: g.name });
      } else if (k === 1 && f.type === "room_state" && f.room?.status === "Waiting" && f.room_id === g.roomId) {
        send(g.ws[2], { type: "spectate", room_id: g.roomId });
        send(g.ws[0], { type: "ready", room_id: g.roomId });
        send(g.ws[1], { type: "ready", room_id: g.roomId });
      } else if (f.type === "turn_changed" && f.room_id === g.roomId && f.current_turn === g.ids[k]) {
        g.started = true;
        g.pending = now();
        send(g.ws[k], { type: "bigger_dice.roll", room_id: g.roomId });
      } else if (k === 0 && f.type === "game_ended" && f.room_id === g.roomId) {
        if (measuring) gamesEnded++;
        newRoom();
      }
    };
    const onSpectator = (f) => {
      if (f.type === "bigger_dice.rolled" && f.room_id === g.roomId && g.pending !== null) {
        if (measuring) {
          rolls++;
          lat.push(now() - g.pending);
        }
        g.pending = null;
      }
    };
    for (let k = 0; k < 3; k++) {
      const id = 10_000_000 + G * 10_000 + i * 3 + k;
      g.ids.push(id);
      const token = await sign(String(id), `u${id}`);
      g.ws.push(await socket(`${base.replace("http", "ws")}/ws/games?lobby=${shard}&token=${token}`, k === 2 ? onSpectator : onPlayer(k)));
    }
    g.newRoom = newRoom;
    games.push(g);
  }
  log(`G=${G}: ${G * 3} sockets open`);
  // The seed's client pings every 30 s; so do these (the lobby closes sockets silent for 40 s).
  const pinger = setInterval(() => games.forEach((g) => g.ws.forEach((ws) => send(ws, { type: "ping" }))), 20_000);
  for (const g of games) g.newRoom();
  const setupEnd = Date.now() + SETUP_MS;
  while (games.some((g) => !g.started) && Date.now() < setupEnd) await sleep(100);
  const started = games.filter((g) => g.started).length;
  measuring = true;
  const t0 = now();
  await sleep(MEASURE_MS);
  measuring = false;
  const secs = (now() - t0) / 1000;
  clearInterval(pinger);
  for (const g of games) g.ws.forEach((ws) => ws.terminate());
  return { G, sockets: G * 3, gamesStarted: started, rollsPerSec: round(rolls / secs, 1), gamesEndedPerSec: round(gamesEnded / secs, 2), errors, rateLimited: limited, ...lat.summary() };
}

async function main() {
  const scriptPath = await bundleWorker();
  const results = [];
  for (const G of SIZES) {
    const stateDir = `/dev/shm/hearth-games-bench-${process.pid}-${G}`;
    const server = await startWorkerd({ scriptPath, cpu: taskset ? 1 : null, stateDir });
    try {
      const r = await run(server.url, G);
      log(JSON.stringify(r));
      results.push(r);
    } finally {
      await server.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
  const rows = results.map((r) => `| ${r.G} | ${r.sockets} | ${r.gamesStarted} | ${r.rollsPerSec} | ${r.gamesEndedPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.errors} | ${r.rateLimited} |`);
  const md = `# Games benchmark (seed 004)

\`node bench/games.mjs\` (${new Date().toISOString()}): G concurrent bigger_dice games, 2 players + 1 spectator each
(every socket its own user) on one lobby object, rolling as fast as turns allow for ${MEASURE_MS / 1000} s; each finished
game is followed at once by a new room. Latency: a roll's send to the spectator's receipt of \`bigger_dice.rolled\`
(lobby -> game -> lobby -> sockets: two outbox hops). Machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores,
${taskset ? "load generator on cpu 0, workerd on cpu 1" : "no pinning"}; load average at the end ${os.loadavg().map((v) => v.toFixed(2)).join(" ")}
(the machine is shared). Durable Object SQLite on tmpfs.

| G | sockets | games started | rolls/s | games ended/s | p50 ms | p99 ms | max ms | errors | rate-limited (retried) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
  mkdirSync(here, { recursive: true });
  writeFileSync(path.join(here, "GAMES.md"), md);
  log("wrote bench/GAMES.md");
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
