// The load generator for the `raw-workerd` target: the same game as gamesHearth.mjs and
// gamesColyseus.mjs against bench/rawGame.ts (one Durable Object per game, no Hearth code). Each game
// is three sockets (2 players, 1 spectator) to `/raw-games/<name>?seat=k&id=<id>`; a player rolls as
// soon as `turn_changed` names it; at `game_ended` the three sockets close and open a new game (a
// new object), as the Colyseus client leaves a room and joins the next. Every socket sends the
// seed's `ping` every pingMs. `deflate`: whether the sockets offer permessage-deflate (workerd
// answers it itself here: a window per socket). `seam`: the same game with Hearth's topology
// (bench/rawSeam.ts): each game's three sockets on a gateway object (100 sockets a gateway, in
// game order), a roll one RPC from the gateway to the game's object.
import WebSocket from "ws";
import { now } from "./loadgen.mjs";
import { setUpAndMeasure, Tally } from "./gamesTally.mjs";

export async function runRaw({ url, G, measureMs, setupMs, pingMs, openConcurrency, deflate = true, seam = false, log }) {
  const shard = `raw${G}x${Date.now().toString(36)}`;
  const t = new Tally();
  let ending = false;
  const games = [];
  for (let i = 0; i < G; i++) games.push({ i, n: 0, started: false, sentAt: [null, null], ids: [0, 1, 2].map((k) => 30_000_000 + G * 10_000 + i * 3 + k), ws: [] });

  const open = (g, name, k) =>
    new Promise((resolve, reject) => {
      const path = seam ? `raw-seam/${shard}-gw-${Math.floor((g.i * 3) / 100)}?game=${name}&` : `raw-games/${name}?`;
      const ws = new WebSocket(`${url.replace("http", "ws")}/${path}seat=${k}&id=${g.ids[k]}`, { handshakeTimeout: 30_000, perMessageDeflate: deflate });
      ws.once("open", () => {
        g.ws[k] = ws; // before any frame of this game can arrive
        if (ending) ws.terminate(); // opened after the window closed
        const pinger = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), pingMs);
        ws.once("close", (code) => {
          clearInterval(pinger);
          if (!ending && !ws.leftOnPurpose) t.close(code);
        });
        ws.on("message", (data) => {
          const text = String(data);
          const f = JSON.parse(text);
          t.frame(f.type, text.length);
          onFrame(g, k, ws, f);
        });
        resolve(ws);
      });
      ws.once("error", reject);
    });

  const onFrame = (g, k, ws, f) => {
    if (ws !== g.ws[k]) return; // a late frame of the previous game
    if (f.type === "error") t.error(f.code ?? "?");
    else if (k < 2 && f.type === "turn_changed" && f.current_turn === g.ids[k]) {
      g.started = true;
      g.sentAt[k] = now();
      ws.send(JSON.stringify({ type: "bigger_dice.roll", room_id: f.room_id }));
    } else if (k < 2 && f.type === "bigger_dice.rolled" && f.player_id === g.ids[k]) {
      t.rolled(g.sentAt[k]);
      g.sentAt[k] = null;
    } else if (k === 0 && f.type === "game_ended") {
      t.finished();
      for (const s of g.ws) {
        s.leftOnPurpose = true;
        s.close(1000);
      }
      play(g).catch((err) => !ending && t.error(`PLAY_FAILED ${String(err?.message ?? err).slice(0, 60)}`));
    }
  };

  /** One game: the spectator and the players connect; the object starts the game when both players are in. */
  const play = async (g) => {
    if (ending) return;
    const name = `${shard}-${g.i}-${g.n++}`;
    g.ws = [];
    await Promise.all([0, 1, 2].map((k) => open(g, name, k)));
  };

  const phases = await setUpAndMeasure({
    G, openConcurrency, setupMs, measureMs, t, log,
    setUp: (i) => play(games[i]),
    waiting: () => games.some((g) => !g.started && g.ws.length === 3),
    started: () => games.filter((g) => g.started).length,
  });
  ending = true;
  for (const g of games) for (const s of g.ws) s?.terminate(); // (a game between two objects has holes)
  return { ...phases, ...t.summary(phases.secs) };
}
