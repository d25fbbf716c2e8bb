// The load generator for Hearth's games (seed 004's JSON over a plain WebSocket, `ws` package):
// G games, 2 players + 1 spectator each, every socket its own user, all in one lobby. A player
// rolls as soon as `turn_changed` names it; a finished game is followed at once by a new room
// (create_room, join_room, spectate, ready x2), as a lobby sees it. Set-up is paced as the Colyseus
// client's is (openConcurrency / 3 games at a time, each game's sockets opened and its room set up
// before the next); `burst` opens every socket first and then creates every room at once, the worst
// case for the lobby list (every room_created reaches every socket still browsing). Every socket pings from the
// moment it opens, as the seed's client does (30 s period; the lobby closes sockets silent for
// 40 s), so slow set-up at 500-1,000 games can't get a waiting socket closed.
import { SignJWT } from "jose";
import WebSocket from "ws";
import { now, sleep } from "./loadgen.mjs";
import { measureWindow, pool, Tally } from "./gamesTally.mjs";

const frame = (f) => JSON.stringify(f);

export async function runHearth({ url, secret, G, measureMs, setupMs, pingMs, openConcurrency, burst = false, deflate = true, log }) {
  const key = new TextEncoder().encode(secret);
  const sign = (sub) => new SignJWT({ sub, name: `u${sub}` }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(key);
  const lobby = `bench${G}x${Date.now().toString(36)}`;
  const t = new Tally();
  const games = [];
  const sockets = [];
  let ending = false;
  /** The last frame each socket sent: what a RATE_LIMITED refusal refers to. */
  const last = new Map();
  const send = (ws, f) => {
    last.set(ws, f);
    if (ws.readyState === WebSocket.OPEN) ws.send(frame(f));
  };

  const open = (g, k, onFrame) =>
    new Promise((resolve, reject) => {
      sign(String(g.ids[k])).then((token) => {
        // A handshake the server never answers fails after 30 s instead of hanging the run. `deflate`:
        // whether the socket offers permessage-deflate, as browsers always do (workerd accepts it).
        const ws = new WebSocket(`${url.replace("http", "ws")}/ws/games?lobby=${lobby}&token=${token}`, { handshakeTimeout: 30_000, perMessageDeflate: deflate });
        ws.once("open", () => {
          // The seed's heartbeat, from the socket's first moment.
          const pinger = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(frame({ type: "ping" })), pingMs);
          ws.once("close", (code) => {
            clearInterval(pinger);
            if (!ending) t.close(code);
          });
          ws.on("message", (data) => {
            const text = String(data);
            const f = JSON.parse(text);
            t.frame(f.type, text.length);
            onFrame(f);
          });
          resolve(ws);
        });
        ws.once("error", reject);
      }, reject);
    });

  for (let i = 0; i < G; i++) {
    const g = { i, n: 0, name: "", roomId: null, sentAt: [null, null], started: false, ids: [0, 1, 2].map((k) => 10_000_000 + G * 10_000 + i * 3 + k), ws: [] };
    g.newRoom = () => {
      g.name = `${lobby}-${i}-${g.n++}`;
      g.roomId = null;
      send(g.ws[0], { type: "create_room", game_type: "bigger_dice", room_name: g.name });
    };
    g.on = (k) => (f) => {
      if (f.type === "error") {
        // Over the lobby's per-socket budget (20/s): back off and send the refused frame again, as a client would.
        if (f.code === "RATE_LIMITED" && last.has(g.ws[k])) {
          const again = last.get(g.ws[k]);
          setTimeout(() => send(g.ws[k], again), 100);
        }
        t.error(f.code ?? "?");
      } else if (k === 0 && f.type === "room_created" && f.room_name === g.name) {
        g.roomId = f.room_id;
        send(g.ws[1], { type: "join_room", room_name: g.name });
      } else if (k === 2 && f.type === "room_state" && f.room_id === g.roomId) {
        g.joined?.();
      } else if (k === 1 && f.type === "room_state" && f.room?.status === "Waiting" && f.room_id === g.roomId) {
        send(g.ws[2], { type: "spectate", room_id: g.roomId });
        send(g.ws[0], { type: "ready", room_id: g.roomId });
        send(g.ws[1], { type: "ready", room_id: g.roomId });
      } else if (k < 2 && f.type === "turn_changed" && f.room_id === g.roomId && f.current_turn === g.ids[k]) {
        g.started = true;
        g.sentAt[k] = now();
        send(g.ws[k], { type: "bigger_dice.roll", room_id: g.roomId });
      } else if (k < 2 && f.type === "bigger_dice.rolled" && f.room_id === g.roomId && f.player_id === g.ids[k]) {
        t.rolled(g.sentAt[k]);
        g.sentAt[k] = null;
      } else if (k === 0 && f.type === "game_ended" && f.room_id === g.roomId) {
        t.finished();
        g.newRoom();
      }
    };
    games.push(g);
  }

  const admin = await new SignJWT({ sub: "bench-admin", name: "bench", scope: "rooms:admin" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(key);
  const t0 = now();
  let openFailed = 0;
  const openErrors = {};
  const openOne = async (g, k, j) => {
    try {
      g.ws[k] = await open(g, k, g.on(k));
      sockets.push(g.ws[k]);
    } catch (err) {
      openFailed++;
      const why = err?.code ?? String(err?.message ?? err).slice(0, 60);
      openErrors[why] = (openErrors[why] ?? 0) + 1;
    }
    if ((j + 1) % 1000 === 0) log(`G=${G}: ${j + 1} sockets attempted, ${sockets.length} open, ${openFailed} failed ${JSON.stringify(openErrors)}`);
  };
  // (every() skips holes: a failed open leaves one.)
  const playableNow = (g) => [0, 1, 2].every((k) => g.ws[k]);
  if (burst) {
    // The worst case (--burst): every socket opens and browses the list, then every game is created at once.
    await pool(G * 3, openConcurrency, (j) => openOne(games[Math.floor(j / 3)], j % 3, j));
  } else {
    // Paced as the Colyseus client is (gamesColyseus.mjs): openConcurrency / 3 games at a time,
    // each opening its three sockets and set up (created, joined, watched) before the next starts.
    await pool(G, Math.max(1, Math.floor(openConcurrency / 3)), async (i) => {
      const g = games[i];
      await Promise.all([0, 1, 2].map((k) => openOne(g, k, i * 3 + k)));
      if (!playableNow(g)) return;
      const joined = new Promise((resolve) => (g.joined = resolve));
      g.newRoom();
      await Promise.race([joined, sleep(60_000)]);
      g.joined = null;
    });
  }
  const socketsOpenMs = now() - t0;
  log(`G=${G}: ${sockets.length}/${G * 3} sockets open${burst ? "" : " and their games set up"} in ${(socketsOpenMs / 1000).toFixed(1)} s`);
  const playable = games.filter(playableNow);
  if (burst) for (const g of playable) g.newRoom();
  const setupEnd = Date.now() + setupMs;
  let progressAt = Date.now() + 15_000;
  while (playable.some((g) => !g.started) && Date.now() < setupEnd) {
    await sleep(50);
    if (Date.now() < progressAt) continue;
    progressAt = Date.now() + 15_000;
    const top = Object.entries(t.received.setup).sort((x, y) => y[1].bytes - x[1].bytes).slice(0, 4);
    const lobbyLoad = await lobbyInputs(url, admin, `games:lobby:${lobby}`).catch(() => "?");
    log(`G=${G}: ${games.filter((g) => g.started).length} games started; lobby inputs ${lobbyLoad}; received so far ${top.map(([k, v]) => `${k} ${v.frames} frames ${(v.bytes / 1e6).toFixed(1)} MB`).join(", ")}`);
  }
  const gamesStarted = games.filter((g) => g.started).length;
  const startedMs = gamesStarted === G ? now() - t0 : null;
  t.setupDone = true;
  log(`G=${G}: ${gamesStarted}/${G} games started${startedMs === null ? " (not all within the set-up budget)" : ` in ${(startedMs / 1000).toFixed(1)} s`}`);
  // Each object's inputs at the window's start and end ([S5] POST /api/objects/load): the busiest
  // object's share of all inputs the window cost. The lobby and every gateway it may have (100
  // sockets each, names past the last are empty objects); the games live in the gateways of their
  // creators' sockets ([S8]), so their inputs are those gateways'.
  const lobbyName = `games:lobby:${lobby}`;
  const objectNames = () => [lobbyName, ...Array.from({ length: Math.ceil((G * 3) / 100) + 2 }, (_, k) => `${lobbyName}:gw:${k}`)];
  const before = await loads(url, admin, objectNames()).catch((err) => (log(`load read failed: ${err}`), null));
  // The window (its log line is where bench/rollProfile.mjs starts its CPU window and profile): after
  // the load read above. The window is what was counted; reading the loads after it is not.
  const secs = await measureWindow(t, G, measureMs, log);
  const after = before && (await loads(url, admin, objectNames()).catch((err) => (log(`load read failed: ${err}`), null)));
  const share = before && after ? busiest(before, after) : null;
  if (share) log(`G=${G}: busiest object ${share.name} took ${(share.share * 100).toFixed(1)}% of ${share.total} inputs in the window`);
  const stillOpenAtEnd = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  ending = true;
  for (const ws of sockets) ws.terminate();
  return { busiest: share, sockets: G * 3, socketsOpen: sockets.length, openFailed, openErrors, stillOpenAtEnd, socketsOpenMs: Math.round(socketsOpenMs), gamesStarted, openAndStartMs: startedMs === null ? null : Math.round(startedMs), secs, ...t.summary(secs) };
}

/** The lobby's inputs by way in, as one short line (set-up progress). */
async function lobbyInputs(url, token, name) {
  const res = await fetch(`${url}/api/objects/load`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ names: [name] }) });
  const o = (await res.json()).objects[0];
  return Object.entries(o.inputs).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(" ");
}

/** Each named object's input total (by name), read 2,000 names at a time. */
async function loads(url, token, names) {
  const out = new Map();
  for (let i = 0; i < names.length; i += 2000) {
    const res = await fetch(`${url}/api/objects/load`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ names: names.slice(i, i + 2000) }) });
    if (!res.ok) throw new Error(`objects/load ${res.status}`);
    for (const o of (await res.json()).objects) out.set(o.name, o.total);
  }
  return out;
}

/** The object that took the most of the window's inputs, and its share. */
function busiest(before, after) {
  let total = 0;
  let top = { name: "", n: 0 };
  for (const [name, end] of after) {
    const n = Math.max(0, end - (before.get(name) ?? 0));
    total += n;
    if (n > top.n) top = { name, n };
  }
  return total === 0 ? null : { name: top.name, inputs: top.n, total, share: Math.round((top.n / total) * 1000) / 1000 };
}
