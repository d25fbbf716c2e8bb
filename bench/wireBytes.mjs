#!/usr/bin/env node
// Bytes on the wire ([W1], [C8], issue 26 item 5): what permessage-deflate (workerd's
// `web_socket_compression` compatibility flag), each frame compressed on its own or with a window
// per socket (`?compression=message|context`), and document deltas (`?delta=1`) do to the bytes per
// delivery and the server's memory per socket, for campaign pushes (seed 001: `campaign_updated`
// carries the whole structured_data), quest pushes (seed 000: `runtime_delta`) and small frames in
// a relay room (about the size of a games roll's frames).
//
//   node bench/wireBytes.mjs [--sockets 90] [--updates 30] [--out bench/.out/wireBytes.json] [--results] [--from run.json]
//
// --results replaces the "## Bytes on the wire" section of bench/RESULTS.md with this run's table
// (`npm run bench` rewrites that file whole: run this after it).
//
// Each mode gets a fresh workerd (bench/workerd.mjs: Hearth's real worker, SQLite on tmpfs), with or
// without the flag. Wire bytes are what the client's TCP socket read (`_socket.bytesRead`: frame
// headers and compression included) during the update phase, divided by the deliveries; payload
// bytes are the frames' text as the app sees it. Memory per socket is S4's measure (bench/README.md):
// the workerd process's RSS growth from one open socket to all of them, idle, and again after the
// updates (deflate keeps a zlib context per socket once it has sent on it). All traffic goes to
// 127.0.0.1; the run stops by itself.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SignJWT } from "jose";
import WebSocket from "ws";
import { processRssBytes, round, sleep } from "./loadgen.mjs";
import { bundleWorker, JWT_SECRET, OUT, startWorkerd } from "./workerd.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SOCKETS = Number(arg("sockets", 90)); // a campaign takes 100 connections by default
const UPDATES = Number(arg("updates", 30));
const OUT_FILE = arg("out", path.join(OUT, "wireBytes.json"));
const SETTLE_MS = 1500;

const secret = new TextEncoder().encode(JWT_SECRET);
const sign = (sub, claims = {}) => new SignJWT({ name: sub, ...claims }).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("2h").sign(secret);

// `compression`: what the client asks for ([C8]); the route's own choice is "context" for campaign
// and quest, "message" for relay rooms.
const MODES = [
  { name: "plain JSON", flags: [], deflate: false, delta: false },
  { name: "permessage-deflate", flags: ["web_socket_compression"], deflate: true, delta: false, compression: "context" },
  { name: "deflate per message", flags: ["web_socket_compression"], deflate: true, delta: false, compression: "message" },
  { name: "deltas (?delta=1)", flags: [], deflate: false, delta: true },
  { name: "deltas + deflate", flags: ["web_socket_compression"], deflate: true, delta: true, compression: "context" },
];
const ask = (mode) => (mode.compression ? `&compression=${mode.compression}` : "");

/** A campaign's structured_data of a realistic size, in the seed's shapes. */
function campaignData() {
  return {
    narrative: "The caravan halts at the broken bridge; the river is loud below.",
    all_narratives: Array.from({ length: 30 }, (_, i) => `Beat ${i}: the road winds on past the old watchtower, and the rain does not stop.`),
    turn: "1",
    status: "exploring",
    characters: Array.from({ length: 6 }, (_, i) => `Hero ${i} (level ${3 + i} ranger): HP ${30 + i}/40, AC 14, carrying rope, torch and rations.`).join("\n"),
    turn_info: { active: "Hero 0", round: 1, order: ["Hero 0", "Hero 1", "Hero 2", "Hero 3", "Hero 4", "Hero 5"] },
    environmental_conditions: "Heavy rain; the river is rising; visibility thirty feet.",
    immediate_threats: "A troll (84 HP) sixty feet away, under the bridge.",
    story_progression: "Act 2, chapter 5: the bridge, the ferry and the mill are behind them.",
  };
}

async function api(base, method, url, token, body) {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** One client socket: counts frames of `types` and the bytes its TCP socket read. */
function openSocket(url, { deflate, protocols }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols ?? [], { perMessageDeflate: deflate });
    const c = { ws, frames: 0, payload: 0, counted: new Set(), docs: 0, deltas: 0, extensions: "" };
    // `ws.extensions` names the extension only; its parameters are in the 101's header.
    ws.once("upgrade", (res) => (c.extensions = res.headers["sec-websocket-extensions"] ?? ""));
    ws.on("message", (data) => {
      const text = data.toString();
      c.payload += text.length;
      c.frames++;
      for (const f of unbatch(JSON.parse(text))) {
        if (f.delta) c.deltas++;
        if (typeof f.seq === "number") c.counted.add(f.seq);
      }
    });
    ws.once("open", () => resolve(c));
    ws.once("error", reject);
  });
}
const unbatch = (f) => (f.type === "batch" && Array.isArray(f.frames) ? f.frames : [f]);
const bytesRead = (c) => c.ws._socket?.bytesRead ?? 0;

async function waitFor(cond, ms, what) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function campaignRun(server, mode) {
  const base = server.url;
  const svc = await sign("bench-svc", { scope: "events:publish" });
  const dm = "dm-bench";
  const id = "camp-bench";
  await api(base, "POST", "/api/campaigns", svc, { campaign_id: id, dm_user_id: dm });
  const dmToken = await sign(dm);
  const data = campaignData();
  await api(base, "POST", `/api/campaigns/${id}/load`, dmToken, { structured_data: data });
  const wsBase = base.replace(/^http/, "ws");
  const url = async (i) => `${wsBase}/ws/campaign/player?campaign=${id}&token=${await sign(`p${i}`)}${mode.delta ? "&delta=1" : ""}${ask(mode)}`;
  const first = await openSocket(await url(0), mode);
  await sleep(SETTLE_MS);
  const rssBase = processRssBytes(server.pid);
  const rest = [];
  for (let i = 1; i < SOCKETS; i++) rest.push(await openSocket(await url(i), mode));
  const all = [first, ...rest];
  const negotiated = all.every((c) => c.ws.extensions.includes("permessage-deflate"));
  await sleep(SETTLE_MS);
  const rssIdle = processRssBytes(server.pid);
  const before = all.map((c) => ({ bytes: bytesRead(c), payload: c.payload }));
  let docBytes = 0;
  for (let u = 1; u <= UPDATES; u++) {
    const turn_info = { ...data.turn_info, active: `Hero ${u % 6}`, round: u };
    data.all_narratives = [...data.all_narratives, `Turn ${u}: Hero ${u % 6} acts.`];
    const res = await api(base, "POST", `/api/campaigns/${id}/update`, dmToken, { structured_data: { turn: String(u + 1), turn_info, narrative: `Turn ${u}.`, all_narratives: data.all_narratives } });
    docBytes += JSON.stringify(res.structured_data).length;
    await waitFor(() => all.every((c) => c.counted.has(res.seq)), 20_000, `update ${u} on every socket`);
  }
  const wire = all.reduce((n, c, i) => n + bytesRead(c) - before[i].bytes, 0);
  const payload = all.reduce((n, c, i) => n + c.payload - before[i].payload, 0);
  await sleep(SETTLE_MS);
  const rssAfter = processRssBytes(server.pid);
  const deliveries = SOCKETS * UPDATES;
  for (const c of all) c.ws.terminate();
  // Whether this server negotiates permessage-deflate with a client that offers it (the flag's effect).
  const probe = await openSocket(await url(SOCKETS), { deflate: true });
  const serverOffersDeflate = probe.ws.extensions.includes("permessage-deflate");
  probe.ws.terminate();
  return {
    system: "campaign (seed 001)",
    serverFlags: mode.flags.join(",") || "(none)",
    serverOffersDeflate,
    mode: mode.name,
    negotiatedDeflate: negotiated,
    perMessage: all.every((c) => c.extensions.includes("server_no_context_takeover")),
    deltaFrames: all.reduce((n, c) => n + c.deltas, 0),
    deliveries,
    docBytesAvg: round(docBytes / UPDATES),
    payloadBytesPerDelivery: round(payload / deliveries),
    wireBytesPerDelivery: round(wire / deliveries),
    idleBytesPerSocket: round((rssIdle - rssBase) / (SOCKETS - 1)),
    afterUpdatesBytesPerSocket: round((rssAfter - rssBase) / (SOCKETS - 1)),
  };
}

/** Quest (seed 000): every accepted event is one `runtime_delta` to the whole team. Deltas already; only deflate applies. */
async function questRun(server, mode) {
  const base = server.url;
  const admin = await sign("bench-admin", { scope: "rooms:admin" });
  const svc = await sign("bench-svc", { scope: "events:publish" });
  const questId = "wire-quest";
  const objects = Array.from({ length: 4 }, (_, o) => ({
    id: `o${o}`,
    name: `Stop ${o}`,
    timeline: Array.from({ length: 8 }, (_, n) => ({ id: `tl_o${o}__n${n}`, kind: "text" })),
  }));
  await api(base, "PUT", `/api/quests/${questId}`, admin, { questId, title: "Wire quest", teamTravelMode: "co-located", window: 4, objects });
  const team = Math.min(SOCKETS, 50);
  const created = await api(base, "POST", "/api/teams", await sign("q0"), { questId, playerName: "q0", mode: "team" });
  const code = created.teamCode;
  for (let i = 1; i < team; i++) await api(base, "POST", `/api/teams/${code}/join`, await sign(`q${i}`), { playerName: `q${i}` });
  const wsUrl = created.websocketUrl.replace(/^https?:\/\/[^/]+/, base.replace(/^http/, "ws"));
  const all = [];
  for (let i = 0; i < team; i++) all.push(await openSocket(`${wsUrl}?teamCode=${code}&token=${await sign(`q${i}`)}${ask(mode)}`, mode));
  await sleep(SETTLE_MS);
  const events = [];
  for (let o = 0; o < 4; o++) {
    events.push({ type: "OBJECT_ARRIVE", objectId: `o${o}`, playerId: "q0" });
    for (let n = 0; n < 7; n++) events.push({ type: "NODE_COMPLETE", nodeId: `tl_o${o}__n${n}`, playerId: `q${n % team}` });
  }
  const before = all.map((c) => ({ bytes: bytesRead(c), payload: c.payload }));
  for (const e of events) {
    const res = await fetch(`${base}/api/runtime/session/${code}/events`, { method: "POST", headers: { authorization: `Bearer ${svc}`, "content-type": "application/json" }, body: JSON.stringify(e) });
    const body = await res.json();
    if (!res.ok) throw new Error(`quest event ${JSON.stringify(e)}: ${res.status} ${JSON.stringify(body)}`);
    const seq = body.seq;
    if (typeof seq === "number") await waitFor(() => all.every((c) => c.counted.has(seq)), 20_000, `quest seq ${seq}`);
    else await sleep(50);
  }
  await sleep(300);
  const deliveries = team * events.length;
  const wire = all.reduce((n, c, i) => n + bytesRead(c) - before[i].bytes, 0);
  const payload = all.reduce((n, c, i) => n + c.payload - before[i].payload, 0);
  for (const c of all) c.ws.terminate();
  return { system: "quest (seed 000)", mode: mode.name, negotiatedDeflate: all.every((c) => c.ws.extensions.includes("permessage-deflate")), perMessage: all.every((c) => c.extensions.includes("server_no_context_takeover")), deliveries, payloadBytesPerDelivery: round(payload / deliveries), wireBytesPerDelivery: round(wire / deliveries) };
}

/** Small frames (relay, [C8]): events the size of a games roll's frames, each to every socket of one room. */
async function relayRun(server, mode) {
  const base = server.url;
  const admin = await sign("bench-admin", { scope: "rooms:admin" });
  const svc = await sign("bench-svc", { scope: "events:publish" });
  const roomId = "wire-relay";
  await api(base, "POST", "/api/rooms", admin, { roomId, config: { presence: false } });
  const url = async (i) => `${base.replace(/^http/, "ws")}/ws/rooms/${roomId}?token=${await sign(`r${i}`)}${ask(mode)}`;
  const first = await openSocket(await url(0), mode);
  await sleep(SETTLE_MS);
  const rssBase = processRssBytes(server.pid);
  const all = [first];
  for (let i = 1; i < SOCKETS; i++) all.push(await openSocket(await url(i), mode));
  await sleep(SETTLE_MS);
  const before = all.map((c) => ({ bytes: bytesRead(c), payload: c.payload }));
  const events = UPDATES * 4;
  for (let u = 0; u < events; u++) {
    const data = { type: "bigger_dice.rolled", room_id: 4242, user_id: 1_000_000 + (u % 2), roll: 1 + ((u * 7) % 6), scores: { [1_000_000]: u * 3, [1_000_001]: u * 2 }, next_turn: 1_000_000 + ((u + 1) % 2) };
    const res = await api(base, "POST", `/api/rooms/${roomId}/events`, svc, { type: "publish", data });
    await waitFor(() => all.every((c) => c.counted.has(res.seq)), 20_000, `relay seq ${res.seq}`);
  }
  const deliveries = SOCKETS * events;
  const wire = all.reduce((n, c, i) => n + bytesRead(c) - before[i].bytes, 0);
  const payload = all.reduce((n, c, i) => n + c.payload - before[i].payload, 0);
  await sleep(SETTLE_MS);
  const rssAfter = processRssBytes(server.pid);
  for (const c of all) c.ws.terminate();
  return {
    system: "relay, small frames",
    mode: mode.name,
    negotiatedDeflate: all.every((c) => c.ws.extensions.includes("permessage-deflate")),
    perMessage: all.every((c) => c.extensions.includes("server_no_context_takeover")),
    deliveries,
    payloadBytesPerDelivery: round(payload / deliveries),
    wireBytesPerDelivery: round(wire / deliveries),
    afterUpdatesBytesPerSocket: round((rssAfter - rssBase) / (SOCKETS - 1)),
  };
}

// --from <json>: render a saved run into RESULTS.md (with --results) without measuring again.
const from = arg("from", null);
const scriptPath = from ? null : await bundleWorker();
const stateDir = `/dev/shm/hearth-wire-${process.pid}`;
const results = [];
const load = [];
for (const mode of from ? [] : MODES) {
  const server = await startWorkerd({ scriptPath, stateDir, flags: mode.flags });
  try {
    load.push(os.loadavg()[0]);
    results.push(await campaignRun(server, mode));
    if (!mode.delta) results.push(await questRun(server, mode));
    if (!mode.delta) results.push(await relayRun(server, mode));
    console.log(JSON.stringify(results.slice(mode.delta ? -1 : -3)));
  } finally {
    await server.dispose();
  }
}
rmSync(stateDir, { recursive: true, force: true });
const report = from
  ? JSON.parse(readFileSync(from, "utf8"))
  : { date: new Date().toISOString(), sockets: SOCKETS, updates: UPDATES, loadavg1m: load.map((l) => round(l, 2)), cpus: os.cpus().length, results };
if (!from) {
  mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  writeFileSync(OUT_FILE, JSON.stringify(report, null, 2));
  console.log(`wrote ${OUT_FILE}`);
}
if (process.argv.includes("--results")) {
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), "RESULTS.md");
  const old = readFileSync(file, "utf8");
  const start = old.indexOf("\n## Bytes on the wire");
  const rest = start < 0 ? "" : old.slice(start + 1).replace(/^## Bytes on the wire[^]*?(?=\n## |$)/, "");
  const head = start < 0 ? old.replace(/\n*$/, "\n") : old.slice(0, start + 1);
  writeFileSync(file, `${head}\n${markdown(report)}${rest ? `\n${rest.replace(/^\n+/, "")}` : ""}`);
  console.log(`updated ${file}`);
}

/** What the table says, computed from it (ratios against plain JSON). */
function reading(r) {
  const c = (mode) => r.results.find((x) => x.system.startsWith("campaign") && x.mode === mode);
  const [plain, deflate, perMessage, delta, both] = MODES.map((m) => c(m.name));
  if (!plain || !deflate || !perMessage || !delta || !both) return [];
  const relay = (mode) => r.results.find((x) => x.system.startsWith("relay") && x.mode === mode);
  const [rPlain, rContext, rMessage] = ["plain JSON", "permessage-deflate", "deflate per message"].map(relay);
  const x = (a, b) => `${round(a / b, 1)}x`;
  const kib = (b) => `${round(b / 1024)} KiB`;
  const offered = plain.serverOffersDeflate;
  return [
    `Reading: against plain JSON, a campaign delivery is ${x(plain.wireBytesPerDelivery, deflate.wireBytesPerDelivery)} smaller on the wire with permessage-deflate, ${x(plain.wireBytesPerDelivery, delta.wireBytesPerDelivery)} with deltas and ${x(plain.wireBytesPerDelivery, both.wireBytesPerDelivery)} with both (deflate keeps the previous frame in its window, so a whole document that changed a little compresses to almost nothing). Deflate costs the server about ${kib(deflate.idleBytesPerSocket - plain.idleBytesPerSocket)} more RSS per socket (a zlib context per socket); deltas keep one document per stream for the room and one \`Map\` entry (stream -> seq) per socket, a few hundred bytes, yet this run shows ${kib(delta.idleBytesPerSocket - plain.idleBytesPerSocket)} idle and ${kib(delta.afterUpdatesBytesPerSocket - plain.afterUpdatesBytesPerSocket)} after the updates over plain: not isolated here; likely V8 heap not yet collected (each broadcast is parsed once and a patch built), and a 90-socket RSS figure is coarse on this shared machine (load above). Deflate's cost is of another order and shows in both columns.`,
    "",
    ...(rPlain && rContext && rMessage
      ? [
          `Per message ([C8]): a campaign delivery with each frame compressed on its own is ${x(plain.wireBytesPerDelivery, perMessage.wireBytesPerDelivery)} smaller than plain (${x(perMessage.wireBytesPerDelivery, deflate.wireBytesPerDelivery)} the bytes of a window per socket), and its RSS per socket after the updates is ${kib(perMessage.afterUpdatesBytesPerSocket)} against ${kib(deflate.afterUpdatesBytesPerSocket)} with a window: no saving, as each socket's compressor is allocated whole either way. Small frames (relay, ${rPlain.payloadBytesPerDelivery} B of JSON a delivery): ${rPlain.wireBytesPerDelivery} B on the wire plain, ${rMessage.wireBytesPerDelivery} B compressed per message, ${rContext.wireBytesPerDelivery} B with a window per socket; RSS per socket after the events ${kib(rPlain.afterUpdatesBytesPerSocket)}, ${kib(rMessage.afterUpdatesBytesPerSocket)} and ${kib(rContext.afterUpdatesBytesPerSocket)} (this figure carries what the campaign and quest runs left in the same workerd). What per message buys is CPU: bench/ROLL-COST.md ("Compressing each frame on its own").`,
          "",
        ]
      : []),
    `Which to use: ${offered ? "workerd already accepts permessage-deflate at this project's compatibility date without the `web_socket_compression` flag (the run checks it: a client that offers it gets it), so wrangler.toml is left as it is; browsers and `ws` always offer it, so they get the fewest bytes" : "workerd accepts permessage-deflate only with the `web_socket_compression` flag"}. Deltas (\`?delta=1\`, the SDK's \`documents\` option) are for clients that can't or don't negotiate compression and for rooms where the per-socket memory of deflate matters (a Durable Object has 128 MB); with deflate on top they still shave the rest. Quest pushes are already deltas (\`runtime_delta\`); only compression applies to them.`,
  ];
}

function markdown(r) {
  const kb = (b) => (b === undefined ? "–" : `${round(b / 1024, 1)} KiB`);
  const rows = r.results.map((x) =>
    `| ${x.system} | ${x.mode} | ${x.negotiatedDeflate ? (x.perMessage ? "yes, per message" : "yes") : "no"} | ${x.payloadBytesPerDelivery.toLocaleString("en")} | ${x.wireBytesPerDelivery.toLocaleString("en")} | ${x.deltaFrames ?? "–"} | ${kb(x.idleBytesPerSocket)} | ${kb(x.afterUpdatesBytesPerSocket)} |`,
  );
  const camp = r.results.find((x) => x.system.startsWith("campaign"));
  return [
    "## Bytes on the wire",
    "",
    `\`node bench/wireBytes.mjs --sockets ${r.sockets} --updates ${r.updates} --results\` on ${r.date.slice(0, 10)} (${r.cpus} cores, shared; 1-minute load average at each mode's start: ${r.loadavg1m.join(", ")}). One fresh workerd per mode (bench/workerd.mjs). Campaign: ${r.sockets} player sockets, ${r.updates} \`POST /update\`s of a small change (turn, turn_info, narrative, one more all_narratives entry) to a ${camp ? `${(camp.docBytesAvg / 1024).toFixed(1)} KiB` : "few-KiB"} structured_data; quest: a team of ${Math.min(r.sockets, 50)} and 32 runtime events, each one \`runtime_delta\` to the team. Wire bytes: what the client's TCP socket read, frame headers included. Memory: the workerd process's RSS growth per socket from one socket to all (S4's measure), idle after connect and again after the updates.`,
    "",
    "| system | mode | deflate negotiated | payload B/delivery | wire B/delivery | delta frames | RSS/socket idle | RSS/socket after updates |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...reading(r),
    "",
  ].join("\n");
}
