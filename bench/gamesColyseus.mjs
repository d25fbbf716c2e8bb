// The load generator for the Colyseus target (bench/colyseus/): the same game as gamesHearth.mjs,
// through Colyseus's own client (@colyseus/sdk), the way a Colyseus app plays it: each game is a
// room from the matchmaker (player 1 `create("bigger_dice", {room_name})`, player 2
// `join("bigger_dice", {room_name})`, the spectator `joinById(roomId, {spectate: true})`), then
// `ready` x2 and rolls on `turn_changed`. A finished game is followed at once by a new room (the
// three leave the old one). Every room connection sends `ping` every pingMs from its first moment.
import { Client } from "@colyseus/sdk";
import { SignJWT } from "jose";
import { now } from "./loadgen.mjs";
import { setUpAndMeasure, Tally } from "./gamesTally.mjs";

export async function runColyseus({ url, secret, G, measureMs, setupMs, pingMs, openConcurrency, log }) {
  const key = new TextEncoder().encode(secret);
  const sign = (sub) => new SignJWT({ sub, name: `u${sub}` }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(key);
  const shard = `bench${G}x${Date.now().toString(36)}`;
  const t = new Tally();
  let ending = false;
  const games = [];

  for (let i = 0; i < G; i++) games.push({ i, n: 0, started: false, sentAt: [null, null], ids: [0, 1, 2].map((k) => 20_000_000 + G * 10_000 + i * 3 + k), clients: [], rooms: [] });

  /** One room connection: heartbeat, frames, server closes. */
  const attach = (g, k, room) => {
    room.reconnection.enabled = false; // as the Hearth side: a socket the server closes stays closed (and is counted)
    const pinger = setInterval(() => room.connection.isOpen && room.send("ping"), pingMs);
    room.onLeave((code) => {
      clearInterval(pinger);
      if (!ending && !room.leftOnPurpose) t.close(code);
    });
    room.onMessage("*", (type, f) => onFrame(g, k, room, type, f));
    return room;
  };

  const onFrame = (g, k, room, type, f) => {
    if (room !== g.rooms[k]) return; // a late frame of the previous game
    if (type === "error") t.error(f?.code ?? "?");
    else if (k < 2 && type === "turn_changed" && f.current_turn === g.ids[k]) {
      g.started = true;
      g.sentAt[k] = now();
      room.send("bigger_dice.roll", { room_id: f.room_id });
    } else if (k < 2 && type === "bigger_dice.rolled" && f.player_id === g.ids[k]) {
      t.rolled(g.sentAt[k]);
      g.sentAt[k] = null;
    } else if (k === 0 && type === "game_ended") {
      t.finished();
      for (const r of g.rooms) {
        r.leftOnPurpose = true;
        r.leave(true).catch(() => {});
      }
      play(g).catch((err) => !ending && t.error(`PLAY_FAILED ${String(err?.message ?? err).slice(0, 60)}`));
    }
  };

  /** One game: create, join, spectate, ready x2 (the first turn_changed then starts the rolls). */
  const play = async (g) => {
    if (ending) return;
    const room_name = `${shard}-${g.i}-${g.n++}`;
    const [c0, c1, c2] = g.clients;
    const r0 = attach(g, 0, await c0.create("bigger_dice", { room_name }));
    g.rooms = [r0];
    const r1 = attach(g, 1, await c1.join("bigger_dice", { room_name }));
    const r2 = attach(g, 2, await c2.joinById(r0.roomId, { spectate: true }));
    g.rooms = [r0, r1, r2];
    r0.send("ready", { room_id: r0.roomId });
    r1.send("ready", { room_id: r0.roomId });
  };

  const phases = await setUpAndMeasure({
    G, openConcurrency, setupMs, measureMs, t, log,
    setUp: async (i) => {
      const g = games[i];
      for (const id of g.ids) {
        const c = new Client(url);
        c.auth.token = await sign(String(id));
        g.clients.push(c);
      }
      await play(g);
    },
    waiting: () => games.some((g) => !g.started && g.rooms.length === 3),
    started: () => games.filter((g) => g.started).length,
  });
  ending = true;
  for (const g of games) for (const r of g.rooms) r.connection.close();
  return { ...phases, ...t.summary(phases.secs) };
}
