// Seed path T1: chat into a 20-player tabletop table (seed 002), Hearth only (no baseline has a
// tabletop). POST /api/sessions (DM = player 0), every player opens /ws/game/:id with its own token
// (no batch=1: seed clients parse one JSON a frame; {event, data} frames both ways), then every player chats at
// `perPlayerRate` messages/s for `measureMs`. The chat text is the 200-byte bench event, so the
// load generator counts deliveries per (message, socket) and latency from send to receipt.
import { SignJWT } from "jose";
import { closeAll, connectAll, CpuMeter, makeClients, makePayload, now, openLoop, Phase, round, sleep } from "./loadgen.mjs";
import { JWT_SECRET } from "./workerd.mjs";
import { request } from "./http.mjs";

const secret = new TextEncoder().encode(JWT_SECRET);
const sign = (sub, claims = {}) =>
  new SignJWT({ name: `player ${sub}`, ...claims }).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("2h").sign(secret);

export const CHAT_DEFAULTS = { players: 20, perPlayerRate: 5, warmMs: 1000, measureMs: 6000 };

export async function tabletopChat({ server, cfg, tag }) {
  const users = Array.from({ length: cfg.players }, (_, k) => `chat-${tag}-${k}`);
  const service = await sign("bench-service", { scope: "rooms:admin events:publish" });
  const res = await request(`${server.http}/api/sessions`, {
    body: JSON.stringify({ campaign_id: "bench", dm_user_id: users[0], players: users }),
    headers: { authorization: `Bearer ${service}`, "content-type": "application/json" },
  });
  if (res.status !== 201) throw new Error(`POST /api/sessions: ${res.status} ${res.text ?? res.error}`);
  const sessionId = JSON.parse(res.text).session_id;
  const tokens = await Promise.all(users.map((u) => sign(u)));

  const rate = cfg.players * cfg.perPlayerRate;
  const warmEvents = Math.round((cfg.warmMs / 1000) * rate);
  const phase = new Phase(tag, { expected: cfg.players, latencyFrom: warmEvents });
  const clients = makeClients(cfg.players);
  for (const c of clients) c.join(phase);
  const connect = await connectAll(clients, (c) => `${server.ws}/ws/game/${sessionId}?token=${tokens[c.id]}`, { batch: cfg.players });
  if (connect.failed + connect.refused > 0) throw new Error(`${connect.failed + connect.refused} of ${cfg.players} sockets did not open: ${JSON.stringify(connect.errors)}`);
  await sleep(500); // a player is in the room on connect (room_joined), no join_room needed

  const cpu = new CpuMeter(server.pid, server.core);
  const total = warmEvents + Math.round((cfg.measureMs / 1000) * rate);
  let tWarm = null;
  let warmDeliveries = 0;
  await openLoop({
    total,
    rate,
    warmAt: warmEvents,
    onWarm: () => {
      tWarm = now();
      warmDeliveries = phase.deliveries;
      cpu.start();
    },
    send: (i) => {
      phase.reserve(i);
      const t = now();
      phase.sentAt[i] = t;
      phase.accepted[i] = 1; // the socket send is the publish; a refusal shows as lost deliveries
      const sender = clients[i % cfg.players];
      sender.ws.send(JSON.stringify({ event: "chat_message", data: { message: makePayload(tag, i, t) } }));
    },
  });
  const tEnd = now();
  const endDeliveries = phase.deliveries;
  const usage = cpu.stop();
  const drainMs = await phase.drain({ quietMs: 2000, maxMs: 8000 });
  await closeAll(clients);
  const lat = phase.latency.summary();
  return {
    messagesPerSec: round(rate),
    deliveriesPerSec: round((endDeliveries - warmDeliveries) / ((tEnd - tWarm) / 1000)),
    p50Ms: lat.p50Ms,
    p99Ms: lat.p99Ms,
    maxMs: lat.maxMs,
    samples: lat.count,
    lost: phase.lost(),
    duplicates: phase.duplicates,
    socketDrops: clients.reduce((n, c) => n + c.drops, 0),
    connectMs: connect.ms,
    drainMs,
    ...usage,
  };
}
