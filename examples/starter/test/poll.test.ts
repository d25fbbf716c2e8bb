import { testToken } from "@hearth/server/testing";
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

type Json = Record<string, any>;

/** One HTTP call into the Worker (workerd, real Durable Objects). */
async function api(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const res = await SELF.fetch(`https://starter.test${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

/** A real WebSocket into the Worker whose frames are awaited in order (no sleeps). */
async function openSocket(path: string) {
  const res = await SELF.fetch(`https://starter.test${path}`, { headers: { Upgrade: "websocket" } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  const frames: Json[] = [];
  let wake = () => {};
  ws.addEventListener("message", (e) => {
    frames.push(JSON.parse(e.data as string) as Json);
    wake();
  });
  ws.accept();
  return {
    send: (frame: Json) => ws.send(JSON.stringify(frame)),
    /** The next frame, waiting for it if it has not come yet (vitest's timeout ends a hang). */
    async next(): Promise<Json> {
      while (frames.length === 0) await new Promise<void>((r) => (wake = r));
      return frames.shift()!;
    },
    close: () => ws.close(1000, "done"),
  };
}

async function newPoll(owner: string) {
  const created = await api("POST", "/api/polls", await testToken({ sub: owner }), { question: "Lunch?", options: ["soup", "salad"] });
  expect(created.status).toBe(201);
  return created.json.pollId as string;
}

describe("the poll system in the Worker", () => {
  it("creates a poll, streams tallies to a socket, takes HTTP votes and closes", async () => {
    const pollId = await newPoll("ann");
    const ann = await openSocket(`/ws/polls/${pollId}?token=${await testToken({ sub: "ann" })}`);
    expect(await ann.next()).toMatchObject({ type: "snapshot", seq: 0, state: { question: "Lunch?", counts: [0, 0], myVote: null } });

    ann.send({ type: "vote", option: 1, id: "a1" });
    expect(await ann.next()).toMatchObject({ type: "tally", counts: [0, 1], seq: 1 });
    expect(await ann.next()).toMatchObject({ type: "ack", id: "a1", seq: 1 });

    const bob = await testToken({ sub: "bob" });
    const vote = await api("POST", `/api/polls/${pollId}/votes`, bob, { option: 1 }, { "Idempotency-Key": "bob-1" });
    expect(vote).toMatchObject({ status: 200, json: { seq: 2, result: { counts: [0, 2] } } });
    expect(await ann.next()).toMatchObject({ type: "tally", counts: [0, 2], seq: 2 });
    // A retry with the same key is answered from the first time, not applied again (no new tally: the next frame is the close below).
    expect(await api("POST", `/api/polls/${pollId}/votes`, bob, { option: 1 }, { "Idempotency-Key": "bob-1" })).toMatchObject({ status: 200, json: { seq: 2, replayed: true } });

    expect(await api("GET", `/api/polls/${pollId}`, bob)).toMatchObject({ status: 200, json: { seq: 2, state: { counts: [0, 2], myVote: 1 } } });

    ann.send({ type: "close", id: "c1" });
    expect(await ann.next()).toMatchObject({ type: "closed", counts: [0, 2], seq: 3 });
    expect((await api("POST", `/api/polls/${pollId}/votes`, bob, { option: 0 })).json).toMatchObject({ error: { code: "POLL_CLOSED" } });
    ann.close();
  });

  it("refuses bad input with stable codes", async () => {
    const ann = await testToken({ sub: "ann" });
    expect(await api("POST", "/api/polls", null, { question: "Q", options: ["a", "b"] })).toMatchObject({ status: 401, json: { error: { code: "TOKEN_MISSING" } } });
    expect(await api("POST", "/api/polls", ann, { question: "Q", options: ["a"] })).toMatchObject({ status: 400, json: { error: { code: "BAD_REQUEST" } } });
    const pollId = await newPoll("ann");
    expect(await api("POST", `/api/polls/${pollId}/votes`, ann, { option: 5 })).toMatchObject({ status: 400, json: { error: { code: "BAD_OPTION" } } });
    expect(await api("GET", `/api/polls/${crypto.randomUUID()}`, ann)).toMatchObject({ status: 404, json: { error: { code: "ROOM_NOT_FOUND" } } });
  });

  it("runs without a D1 directory: the routes that need one say so", async () => {
    const admin = await testToken({ sub: "ops", scope: "rooms:admin" });
    expect(await api("GET", "/api/rooms", admin)).toMatchObject({ status: 501, json: { error: { code: "DIRECTORY_NOT_CONFIGURED" } } });
    expect(await api("GET", "/health", null)).toEqual({ status: 200, json: { ok: true } });
  });
});
