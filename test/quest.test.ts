import { describe, expect, it } from "vitest";
import harborWalk from "../examples/quests/harbor-walk.json";
import { api, connect, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

const LIGHTHOUSE = { lat: 59.9139, lng: 10.7522 };
const OPERA = { lat: 59.9105, lng: 10.727 };

async function putQuest() {
  const res = await api("PUT", "/api/quests/harbor-walk", await adminToken(), harborWalk);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
}

interface Player {
  id: string;
  name: string;
  token: string;
  socket?: TestSocket;
}

async function player(id: string, name: string): Promise<Player> {
  return { id, name, token: await token({ sub: id, name }) };
}

/** Ann registers the team; Bob and Cid join with the code; everyone opens the seed's socket and sends `join`. */
async function team() {
  await putQuest();
  const ann = await player(`ann-${crypto.randomUUID().slice(0, 6)}`, "Ann");
  const bob = await player(`bob-${crypto.randomUUID().slice(0, 6)}`, "Bob");
  const cid = await player(`cid-${crypto.randomUUID().slice(0, 6)}`, "Cid");
  const created = await api("POST", "/api/teams", ann.token, { questId: "harbor-walk", playerName: "Ann", mode: "team" });
  expect(created.status).toBe(201);
  const teamCode = created.json.teamCode as string;
  expect(teamCode).toMatch(/^[A-Z0-9]{6}$/);
  expect(created.json).toEqual({ teamCode, session: { sessionId: teamCode, playerName: "Ann", mode: "team" }, websocketUrl: "wss://hearth.test/ws/quest" });
  for (const p of [bob, cid]) {
    const joined = await api("POST", `/api/teams/${teamCode}/join`, p.token, { playerName: p.name });
    expect(joined.status).toBe(200);
    expect(joined.json).toEqual({ teamCode, session: { sessionId: teamCode, playerName: p.name, mode: "team" }, websocketUrl: "wss://hearth.test/ws/quest" });
  }
  for (const p of [ann, bob, cid]) {
    // The seed's client: websocketUrl + "?teamCode=" + teamCode, then a `join` frame.
    p.socket = await open(`/ws/quest?teamCode=${teamCode}&token=${p.token}`);
    const snap = await p.socket.next();
    expect(snap).toMatchObject({ type: "snapshot", state: { sessionId: teamCode, questId: "harbor-walk" } });
    p.socket.send({ type: "join", sessionId: teamCode, playerName: p.name });
    await p.socket.nextMatching((f) => f.type === "joined");
  }
  for (const p of [ann, bob, cid]) await p.socket!.drain();
  return { teamCode, ann, bob, cid };
}

async function event(teamCode: string, p: Player, body: unknown, headers: Record<string, string> = {}) {
  return api("POST", `/api/runtime/session/${teamCode}/events`, p.token, body, headers);
}

const types = (deltas: { type: string }[]) => deltas.map((d) => d.type);

/** Every other connection gets the same deltas as a seed runtime_delta frame with seq/epoch. */
async function expectBroadcast(teamCode: string, sockets: TestSocket[], deltas: unknown[]) {
  for (const s of sockets) {
    const f = await s.nextMatching((x) => x.type === "runtime_delta");
    expect(f).toMatchObject({ type: "runtime_delta", sessionId: teamCode, deltas, seq: expect.any(Number), epoch: expect.any(String) });
  }
}

describe("quest runtime (seed 000) end to end", () => {
  it("plays a 3-player team through a puzzle, a consensus gate and the sliding window", async () => {
    const { teamCode, ann, bob, cid } = await team();
    const all = [ann, bob, cid].map((p) => p.socket!);

    // Arrival at object1 (inside the geofence) unlocks its first node.
    let r = await event(teamCode, ann, { type: "OBJECT_ARRIVE", objectId: "object1", ...LIGHTHOUSE });
    expect(r.status).toBe(200);
    expect(r.json.success).toBe(true);
    expect(types(r.json.deltas)).toEqual(["OBJECT_ARRIVED", "NODE_UNLOCKED"]);
    expect(r.json.deltas[1]).toMatchObject({ nodeId: "tl_object1__audio_intro", timestamp: expect.any(String) });
    expect(r.json.snapshot).toMatchObject({ sessionId: teamCode, availableObjectIds: ["object1", "object2"] });
    await expectBroadcast(teamCode, all, r.json.deltas);

    r = await event(teamCode, bob, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" });
    expect(types(r.json.deltas)).toEqual(["NODE_COMPLETED", "NODE_UNLOCKED"]);
    await expectBroadcast(teamCode, all, r.json.deltas);

    // Puzzle: a wrong answer counts an attempt and unlocks nothing; an accented, shouted right one solves it.
    r = await event(teamCode, cid, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "boat" });
    expect(r.status).toBe(200);
    expect(r.json.deltas).toEqual([expect.objectContaining({ type: "PUZZLE_SUBMITTED", correct: false, playerId: cid.id })]);
    await expectBroadcast(teamCode, all, r.json.deltas);
    r = await event(teamCode, cid, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "  ÁNCHOR " });
    expect(types(r.json.deltas)).toEqual(["PUZZLE_SUBMITTED", "NODE_COMPLETED", "NODE_UNLOCKED"]);
    expect(r.json.deltas[0]).toMatchObject({ correct: true });
    await expectBroadcast(teamCode, all, r.json.deltas);

    // Consensus gate "all": each player counted once, even when Ann succeeds twice.
    const lift = "tl_object1__lift";
    r = await event(teamCode, ann, { type: "ACTION_ATTEMPT", nodeId: lift });
    expect(types(r.json.deltas)).toEqual(["ACTION_ATTEMPTED"]);
    r = await event(teamCode, ann, { type: "ACTION_RESULT", nodeId: lift, success: true });
    expect(r.json.deltas).toEqual([
      expect.objectContaining({ type: "ACTION_SUCCESS", playerId: ann.id }),
      expect.objectContaining({ type: "CONSENSUS_UPDATED", nodeId: lift, count: 1, required: 3 }),
    ]);
    const again = await event(teamCode, ann, { type: "ACTION_RESULT", nodeId: lift, success: true });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("ALREADY_COUNTED");
    r = await event(teamCode, bob, { type: "ACTION_RESULT", nodeId: lift, success: false });
    expect(types(r.json.deltas)).toEqual(["ACTION_FAIL"]);
    r = await event(teamCode, bob, { type: "ACTION_RESULT", nodeId: lift, success: true });
    expect(r.json.deltas[1]).toMatchObject({ type: "CONSENSUS_UPDATED", count: 2, required: 3 });
    r = await event(teamCode, cid, { type: "ACTION_RESULT", nodeId: lift, success: true });
    expect(types(r.json.deltas)).toEqual(["ACTION_SUCCESS", "CONSENSUS_UPDATED", "NODE_COMPLETED", "OBJECT_COMPLETED", "OBJECT_AVAILABLE"]);
    expect(r.json.deltas[4]).toMatchObject({ objectId: "object3" });
    expect(r.json.snapshot.availableObjectIds).toEqual(["object2", "object3"]);

    // Every frame the sockets saw was a runtime_delta with strictly increasing seq.
    for (const s of all) {
      const frames = (await s.drain()).concat(s.frames.filter((f) => f.type === "runtime_delta"));
      const seqs = s.frames.filter((f) => f.type === "runtime_delta").map((f) => f.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(frames.every((f) => f.type === "runtime_delta")).toBe(true);
    }

    // The snapshot never carries answers, for anyone.
    const snap = await api("GET", `/api/runtime/session/${teamCode}`, bob.token);
    expect(snap.status).toBe(200);
    expect(snap.json).toMatchObject({ success: true, snapshot: { sessionId: teamCode }, seq: expect.any(Number) });
    const text = JSON.stringify(snap.json).toLowerCase();
    expect(text).not.toContain("anchor");
    expect(text).not.toContain("bjørvika");
    expect(text).not.toContain("answers");
  });

  it("announces PLAYER_JOINED / PLAYER_LEFT from presence, once per player", async () => {
    const { teamCode, ann, bob } = await team();
    const tab2 = await open(`/ws/quest?teamCode=${teamCode}&token=${bob.token}`);
    await tab2.next();
    expect((await ann.socket!.drain()).filter((f) => f.type === "runtime_delta")).toEqual([]);
    bob.socket!.close();
    tab2.close();
    const left = await ann.socket!.nextMatching((f) => f.type === "runtime_delta");
    expect(left.deltas).toEqual([expect.objectContaining({ type: "PLAYER_LEFT", playerId: bob.id })]);
  });

  it("a player who disconnects mid-quest resumes gaplessly", async () => {
    const { teamCode, ann, cid } = await team();
    await event(teamCode, ann, { type: "OBJECT_ARRIVE", objectId: "object1" });
    const last = await cid.socket!.nextMatching((f) => f.type === "runtime_delta");
    cid.socket!.close();
    await event(teamCode, ann, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" });
    await event(teamCode, ann, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "anchor" });
    const back = await open(`/ws/quest?teamCode=${teamCode}&token=${cid.token}&since=${last.seq}&epoch=${last.epoch}`);
    const frames: Frame[] = [];
    for (;;) {
      const f = await back.next();
      frames.push(f);
      if (f.type === "recovered" || f.type === "snapshot") break;
    }
    // Cid's own PLAYER_LEFT (seq last+1) came after the cursor: replayed too, then the two missed events.
    const replayed = frames.filter((f) => f.type === "runtime_delta");
    expect(replayed.map((f) => (f.deltas as { type: string }[]).map((d) => d.type))).toEqual([
      ["PLAYER_LEFT"],
      ["NODE_COMPLETED", "NODE_UNLOCKED"],
      ["PUZZLE_SUBMITTED", "NODE_COMPLETED", "NODE_UNLOCKED"],
      ["PLAYER_JOINED"],
    ]);
    const from = last.seq as number;
    expect(replayed.map((f) => f.seq)).toEqual([from + 1, from + 2, from + 3, from + 4]);
    expect(frames.at(-1)).toMatchObject({ type: "recovered", recovered: true, seq: from + 4 });
  });

  it("retried events with the same Idempotency-Key apply once", async () => {
    const { teamCode, ann, bob } = await team();
    const first = await event(teamCode, ann, { type: "OBJECT_ARRIVE", objectId: "object1" }, { "Idempotency-Key": "arrive-1" });
    const retry = await event(teamCode, ann, { type: "OBJECT_ARRIVE", objectId: "object1" }, { "Idempotency-Key": "arrive-1" });
    expect(retry.status).toBe(200);
    expect(retry.json.deltas).toEqual(first.json.deltas);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    await bob.socket!.nextMatching((f) => f.type === "runtime_delta");
    expect((await bob.socket!.drain()).filter((f) => f.type === "runtime_delta")).toEqual([]);
  });

  it("bad events get their documented errors and change nothing", async () => {
    const { teamCode, ann, bob } = await team();
    const before = (await api("GET", `/api/runtime/session/${teamCode}`, ann.token)).json;
    const eve = await player("eve", "Eve");
    const cases: [unknown, number, string][] = [
      [{ type: "TELEPORT" }, 400, "BAD_COMMAND"],
      [{ type: "NODE_COMPLETE", nodeId: "tl_nowhere" }, 404, "UNKNOWN_NODE"],
      [{ type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" }, 409, "NODE_LOCKED"],
      [{ type: "OBJECT_ARRIVE", objectId: "object3" }, 409, "OBJECT_NOT_AVAILABLE"],
      [{ type: "OBJECT_ARRIVE", objectId: "object2", ...LIGHTHOUSE }, 409, "OUT_OF_RANGE"],
      [{ type: "OBJECT_ARRIVE", objectId: "object1", playerId: bob.id }, 403, "FORBIDDEN"],
    ];
    for (const [body, status, code] of cases) {
      const r = await event(teamCode, ann, body);
      expect(r.status, code).toBe(status);
      expect(r.json.error.code, JSON.stringify(body)).toBe(code);
      expect(r.json.success).toBe(false);
    }
    const wrongTeam = await event(teamCode, eve, { type: "OBJECT_ARRIVE", objectId: "object1" });
    expect([wrongTeam.status, wrongTeam.json.error.code]).toEqual([403, "NOT_ON_TEAM"]);
    const oversized = await event(teamCode, ann, { type: "PUZZLE_SUBMIT", nodeId: "x", answer: "a".repeat(70_000) });
    expect(oversized.status).toBe(413);
    const malformed = await event(teamCode, ann, "{type: OBJECT");
    expect([malformed.status, malformed.json.error.code]).toEqual([400, "BAD_JSON"]);
    const unknownSession = await api("POST", "/api/runtime/session/QQQQQQ/events", ann.token, { type: "NODE_COMPLETE", nodeId: "x" });
    expect(unknownSession.status).toBe(404);
    // Eve can neither read nor join the session.
    expect((await api("GET", `/api/runtime/session/${teamCode}`, eve.token)).status).toBe(403);
    const eveSocket = await connect(`/ws/quest?teamCode=${teamCode}&token=${eve.token}`);
    expect(eveSocket.response.status).toBe(403);
    // Socket: malformed frames get error frames, the session is untouched.
    ann.socket!.send("not json");
    expect(await ann.socket!.next()).toMatchObject({ type: "error", code: "BAD_JSON" });
    ann.socket!.send({ type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" });
    expect(await ann.socket!.next()).toMatchObject({ type: "error", code: "NODE_LOCKED" });
    const after = (await api("GET", `/api/runtime/session/${teamCode}`, ann.token)).json;
    expect(after.seq).toBe(before.seq);
    expect(after.snapshot).toEqual(before.snapshot);
    expect((await bob.socket!.drain()).filter((f) => f.type === "runtime_delta")).toEqual([]);
  });

  it("quest definitions are validated with errors naming the bad field, and need rooms:admin", async () => {
    const bad = { ...harborWalk, objects: [{ ...harborWalk.objects[0], timeline: [{ id: "n", kind: "puzzle" }] }] };
    const r = await api("PUT", "/api/quests/harbor-walk", await adminToken(), bad);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("BAD_QUEST");
    expect(r.json.error.message).toMatch(/objects\.0\.timeline\.0/);
    const player = await api("PUT", "/api/quests/harbor-walk", await token({ sub: "p" }), harborWalk);
    expect(player.status).toBe(403);
    const noQuest = await api("POST", "/api/teams", await token({ sub: "p" }), { questId: "nope", playerName: "P", mode: "solo" });
    expect(noQuest.status).toBe(404);
  });

  it("relays player_state_update only in independent quests, throttled, to teammates", async () => {
    await api("PUT", "/api/quests/city-run", await adminToken(), { ...harborWalk, questId: "city-run", teamTravelMode: "independent" });
    const ann = await player(`ann-${crypto.randomUUID().slice(0, 6)}`, "Ann");
    const bob = await player(`bob-${crypto.randomUUID().slice(0, 6)}`, "Bob");
    const created = await api("POST", "/api/teams", ann.token, { questId: "city-run", playerName: "Ann", mode: "team" });
    const code = created.json.teamCode;
    await api("POST", `/api/teams/${code}/join`, bob.token, { playerName: "Bob" });
    const a = await open(`/ws/quest?teamCode=${code}&token=${ann.token}`);
    const b = await open(`/ws/quest?teamCode=${code}&token=${bob.token}`);
    await a.drain();
    await b.drain();
    a.send({ type: "player_state_update", ...OPERA, secret: "dropped" });
    const pos = await b.nextMatching((f) => f.type === "player_state_update");
    expect(pos).toMatchObject({ playerId: ann.id, ...OPERA });
    expect(pos.seq).toBeUndefined();
    expect(pos.secret).toBeUndefined();
    a.send({ type: "player_state_update", lat: 1, lng: 1 });
    // The room answers a's frames in order: once it refused the next one, it has handled this one.
    a.send({ type: "no_such_command" });
    await a.waitFor((f) => f.type === "error");
    expect((await b.drain()).filter((f) => f.type === "player_state_update")).toEqual([]);
    expect((await a.drain()).filter((f) => f.type === "player_state_update")).toEqual([]);
  });
});
