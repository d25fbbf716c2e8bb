// Seed 003 (ClashBot's workflow event feed), as a client written from its document: subscribers
// open the feed's WebSocket and switch on `type`; the workflow publishes `workflow.started`,
// `tournament.registered`, `players.assigned`, `teams.locked` and every subscriber receives
// `{type, tournamentId, data, timestamp}`; `{"type":"ping"}` -> `{"type":"pong","timestamp"}`,
// anything else -> `{"type":"ack","message":"Message received"}`.
// Additions to the seed's client: a token (`?token=`). The feed's URL is the deployment's
// (`wss://<host>/ws/feed` instead of the API Gateway stage URL); the publisher is the workflow's
// backend with an `events:publish` token.
import assert from "node:assert/strict";
import { test } from "node:test";
import { devToken } from "./helpers.mjs";
import { SeedSocket, call, unique } from "./seedSocket.mjs";

const SEED_TYPES = ["workflow.started", "tournament.registered", "players.assigned", "teams.locked"];

/** The seed's payloads, for one tournament. */
function workflow(tournamentId) {
  const teamId = `team-${tournamentId}`;
  return [
    { type: "workflow.started", tournamentId, data: { tournamentId, executionArn: `arn:aws:states:us-east-1:123:execution:assign:${tournamentId}` } },
    { type: "tournament.registered", tournamentId, data: { tournamentId, startTime: "2024-01-01T18:00:00.000Z" } },
    { type: "players.assigned", tournamentId, data: { tournamentId, teamId, assignedCount: 5 } },
    { type: "teams.locked", tournamentId, data: { tournamentId, teamId, status: "locked" } },
  ];
}

test("seed 003: every subscriber receives the workflow's four events in order, with the seed's fields; ping -> pong, anything else -> ack", { timeout: 120_000 }, async () => {
  const publisher = await devToken({ sub: "workflow", scope: "events:publish" });
  // The seed's client: `onmessage` parses and switches on `data.type`; here it keeps the seed's events.
  const subscribers = [];
  for (let i = 0; i < 3; i++) {
    const s = await SeedSocket.open(`/ws/feed?token=${await devToken({ sub: `fan-${unique()}` })}`);
    s.events = [];
    s.onFrame = (data) => {
      if (SEED_TYPES.includes(data.type)) s.events.push(data);
    };
    subscribers.push(s);
  }
  // Every socket is placed before the first publish: its first frame is Hearth's snapshot.
  for (const s of subscribers) await s.waitFor(() => true, "the first frame");

  const tournamentId = `tournament-${unique()}`;
  const sent = workflow(tournamentId);
  for (const body of sent) {
    const r = await call("POST", "/api/feed/events", publisher, body);
    assert.ok(r.status === 202 || r.status === 200, JSON.stringify(r.json));
  }
  for (const s of subscribers) {
    await s.until(() => s.events.filter((e) => e.tournamentId === tournamentId).length === sent.length, "the four events");
    const got = s.events.filter((e) => e.tournamentId === tournamentId);
    assert.deepEqual(got.map((e) => ({ type: e.type, tournamentId: e.tournamentId, data: e.data })), sent);
    for (const e of got) assert.ok(!Number.isNaN(Date.parse(e.timestamp)), "ISO timestamp");
  }
  // The same event carries the same timestamp everywhere.
  assert.deepEqual(new Set(subscribers.map((s) => s.events.at(-1).timestamp)).size, 1);

  const [s] = subscribers;
  s.send({ type: "ping" });
  const pong = await s.waitType("pong");
  assert.ok(!Number.isNaN(Date.parse(pong.timestamp)));
  s.send({ type: "hello", anything: 1 });
  assert.equal((await s.waitType("ack")).message, "Message received");
  for (const sub of subscribers) sub.close();
});

test("seed 003: a publish without events:publish is refused, and reaches nobody", { timeout: 60_000 }, async () => {
  const s = await SeedSocket.open(`/ws/feed?token=${await devToken({ sub: `fan-${unique()}` })}`);
  await s.waitFor(() => true, "the first frame");
  const tournamentId = `tournament-${unique()}`;
  const r = await call("POST", "/api/feed/events", await devToken({ sub: "not-a-service" }), workflow(tournamentId)[0]);
  assert.equal(r.status, 403);
  // A later, allowed publish arrives; the refused one never did.
  const ok = await call("POST", "/api/feed/events", await devToken({ sub: "workflow", scope: "events:publish" }), workflow(tournamentId)[3]);
  assert.ok(ok.status === 202 || ok.status === 200);
  await s.waitFor((f) => f.tournamentId === tournamentId, "the allowed event");
  assert.deepEqual(s.frames.filter((f) => f.tournamentId === tournamentId).map((f) => f.type), ["teams.locked"]);
  s.close();
});
