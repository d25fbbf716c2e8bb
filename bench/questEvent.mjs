// Seed path Q1: HTTP runtime events into a 50-player quest session (seed 000), Hearth only (no
// baseline has a quest runtime). The seed's flow: a quest definition (PUT /api/quests/:questId, a
// rooms:admin service), POST /api/teams by player 0 (the session; sessionId = teamCode), POST
// /api/teams/:code/join by the other 49, then every player opens /ws/quest?teamCode=&token= (no
// batch=1: seed clients parse one JSON a frame) and sends {"type":"join"}. Player 0 arrives at the
// quest's one object, which unlocks its action node; then a service POSTs
// `ACTION_ATTEMPT {nodeId, playerId}` (the player rotates over the team) to
// /api/runtime/session/:sessionId/events open loop at `rate`/s, and every socket should get one
// `{type:"runtime_delta", deltas:[ACTION_ATTEMPTED ...], seq, epoch}` per event.
//
// The bench event can't travel in the frame: a runtime_delta carries only derived deltas (type,
// ids, ISO timestamp), no field of a runtime event is echoed verbatim, and unknown fields are
// stripped. So events are matched by seq: the POST's answer names the seq its event committed at,
// and a runtime_delta frame with that seq is that event (frames that arrive before the answer wait
// in `pending`). This is the `claim` hook in loadgen.mjs's visit. Latency runs from just before
// the first POST attempt to each socket's receipt, as in S2.
import { SignJWT } from "jose";
import { closeAll, connectAll, CpuMeter, makeClients, now, openLoop, Phase, round, Samples, sleep } from "./loadgen.mjs";
import { JWT_SECRET } from "./workerd.mjs";
import { keepAliveAgent, request } from "./http.mjs";

const secret = new TextEncoder().encode(JWT_SECRET);
const sign = (sub, claims = {}) =>
  new SignJWT({ name: `player ${sub}`, ...claims }).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("2h").sign(secret);

export const QUEST_DEFAULTS = { players: 50, rate: 20, warmMs: 1000, measureMs: 6000, concurrency: 16 };

const OBJECT_ID = "bench-stop";
const NODE_ID = "bench-action";
const EVENT_DELTA = "ACTION_ATTEMPTED";
const RETRYABLE = new Set([0, 408, 425, 429, 500, 502, 503, 504]);

/** A Phase that takes runtime_delta frames and counts them as the event that committed at their seq. */
class QuestPhase extends Phase {
  constructor(tag, opts) {
    super(tag, opts);
    this.bySeq = new Map(); // seq -> event id, from the POST answers
    this.pending = new Map(); // seq -> [[client, at], ...] received before the answer
    this.otherDeltas = 0; // runtime_delta frames that are not bench events (PLAYER_JOINED, ...)
  }
  claim(client, node, at) {
    if (node.type !== "runtime_delta") return false;
    if (typeof node.seq !== "number" || !Array.isArray(node.deltas) || !node.deltas.some((d) => d?.type === EVENT_DELTA)) {
      this.otherDeltas++;
      return true;
    }
    const i = this.bySeq.get(node.seq);
    if (i !== undefined) this.deliver(client, { b: this.tag, i, t: this.sentAt[i] }, at);
    else {
      const list = this.pending.get(node.seq);
      if (list) list.push([client, at]);
      else this.pending.set(node.seq, [[client, at]]);
    }
    return true;
  }
  resolve(seq, i) {
    this.bySeq.set(seq, i);
    const list = this.pending.get(seq);
    if (!list) return;
    this.pending.delete(seq);
    for (const [client, at] of list) this.deliver(client, { b: this.tag, i, t: this.sentAt[i] }, at);
  }
  unmatched() {
    let n = 0;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }
}

async function call(method, url, token, body) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

export async function questEvent({ server, cfg, tag }) {
  const admin = await sign("bench-admin", { scope: "rooms:admin" });
  const service = await sign("bench-service", { scope: "events:publish" });
  const users = Array.from({ length: cfg.players }, (_, k) => `quest-${tag}-${k}`);
  const tokens = await Promise.all(users.map((u) => sign(u)));

  // The quest: one object without a location, whose timeline is one action node. ACTION_ATTEMPT
  // on an unlocked action node only informs (ACTION_ATTEMPTED), so it can repeat without end.
  const questId = `bench-${tag}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64);
  await call("PUT", `${server.http}/api/quests/${questId}`, admin, {
    title: "Bench quest",
    objects: [{ id: OBJECT_ID, name: "Bench stop", timeline: [{ id: NODE_ID, kind: "action", title: "Bench action" }] }],
  });
  const team = await call("POST", `${server.http}/api/teams`, tokens[0], { questId, playerName: "player 0", mode: "team" });
  const code = team.teamCode;
  await Promise.all(users.slice(1).map((_, k) => call("POST", `${server.http}/api/teams/${code}/join`, tokens[k + 1], { playerName: `player ${k + 1}` })));
  const eventsUrl = `${server.http}/api/runtime/session/${code}/events`;
  await call("POST", eventsUrl, service, { type: "OBJECT_ARRIVE", objectId: OBJECT_ID, playerId: users[0] });

  const warmEvents = Math.round((cfg.warmMs / 1000) * cfg.rate);
  const total = warmEvents + Math.round((cfg.measureMs / 1000) * cfg.rate);
  const phase = new QuestPhase(tag, { expected: cfg.players, latencyFrom: warmEvents });
  const clients = makeClients(cfg.players);
  for (const c of clients) c.join(phase);
  const wsUrl = new URL(team.websocketUrl);
  const base = `${server.ws}${wsUrl.pathname}`; // /ws/quest (the answer names the worker's own host)
  const connect = await connectAll(clients, (c) => `${base}?teamCode=${code}&token=${tokens[c.id]}`, { batch: cfg.players });
  if (connect.failed + connect.refused > 0) throw new Error(`${connect.failed + connect.refused} of ${cfg.players} sockets did not open: ${JSON.stringify(connect.errors)}`);
  for (const c of clients) c.ws.send(JSON.stringify({ type: "join", sessionId: code, playerName: `player ${c.id}` }));
  await sleep(700); // joins answered, PLAYER_JOINED deltas delivered

  const agent = keepAliveAgent(cfg.concurrency);
  const headers = { authorization: `Bearer ${service}`, "content-type": "application/json" };
  const postMs = new Samples(1024);
  const failures = {};
  let failedPosts = 0;
  let abandoned = 0;
  let badAnswers = 0;
  let tWarm = null;
  const post = async (i) => {
    phase.reserve(i);
    const t0 = now();
    phase.sentAt[i] = t0;
    const body = JSON.stringify({ type: "ACTION_ATTEMPT", nodeId: NODE_ID, playerId: users[i % cfg.players] });
    const h = { ...headers, "idempotency-key": `${tag}.${i}` };
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await request(eventsUrl, { body, headers: h, agent, timeoutMs: 15_000 });
      if (res.status === 200) {
        let seq;
        try {
          seq = JSON.parse(res.text).seq;
        } catch {}
        if (typeof seq !== "number") {
          badAnswers++;
          break;
        }
        phase.accepted[i] = 1;
        if (tWarm !== null && t0 >= tWarm) postMs.push(now() - t0);
        phase.resolve(seq, i);
        return;
      }
      failedPosts++;
      const key = res.status ? `${res.status} ${res.text?.slice(0, 80) ?? ""}` : String(res.error);
      failures[key] = (failures[key] ?? 0) + 1;
      if (!RETRYABLE.has(res.status) || attempt === 5) break;
      const retryAfter = Number(res.retryAfter);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 2000) : Math.min(50 * 2 ** attempt, 1000));
    }
    abandoned++;
    phase.settle(i);
  };

  const cpu = new CpuMeter(server.pid, server.core);
  const posts = [];
  let warmDeliveries = 0;
  await openLoop({
    total,
    rate: cfg.rate,
    warmAt: warmEvents,
    onWarm: () => {
      tWarm = now();
      warmDeliveries = phase.deliveries;
      cpu.start();
    },
    send: (i) => posts.push(post(i)),
  });
  const tEnd = now();
  const endDeliveries = phase.deliveries;
  const usage = cpu.stop();
  await Promise.all(posts);
  const drainMs = await phase.drain({ quietMs: 2000, maxMs: 8000 });
  await closeAll(clients);
  agent.destroy();
  const lat = phase.latency.summary();
  const post_ = postMs.summary();
  return {
    eventsPerSec: round(cfg.rate),
    deliveriesPerSec: round((endDeliveries - warmDeliveries) / ((tEnd - tWarm) / 1000)),
    p50Ms: lat.p50Ms,
    p99Ms: lat.p99Ms,
    maxMs: lat.maxMs,
    samples: lat.count,
    lost: phase.lost(),
    duplicates: phase.duplicates,
    failedPublishes: failedPosts,
    abandonedPublishes: abandoned,
    badAnswers,
    postFailures: failures,
    postP50Ms: post_.p50Ms,
    postP99Ms: post_.p99Ms,
    postMaxMs: post_.maxMs,
    accepted: phase.acceptedCount(),
    events: total,
    unmatchedFrames: phase.unmatched(),
    otherDeltaFrames: phase.otherDeltas,
    socketDrops: clients.reduce((n, c) => n + c.drops, 0),
    connectMs: connect.ms,
    drainMs,
    ...usage,
  };
}
