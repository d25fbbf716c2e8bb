import { describe, expect, it } from "vitest";
import { newRoom, publish } from "./helpers/rooms.ts";
import { api, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

/** [J1] time travel: the state at a seq, rebuilt by replaying the journal through the pure kind. */

const admin = () => adminToken();
const inspect = async (name: string) => (await api("GET", `/api/admin/rooms/${encodeURIComponent(name)}`, await admin())).json;
const stateAt = async (name: string, at: number | string) => api("GET", `/api/admin/rooms/${encodeURIComponent(name)}/state?at=${at}`, await admin());

async function welcome(s: TestSocket) {
  for (;;) if ((await s.next()).event === "history") return;
}

describe("[J1] the state at any seq equals the snapshot taken then", () => {
  it("a tabletop session with server-rolled dice and initiative: every past snapshot is rebuilt exactly", async () => {
    const svc = await token({ sub: "rollscape-api", scope: "events:publish" });
    const dm = `dm-${crypto.randomUUID().slice(0, 6)}`;
    const [p1, p2] = ["p1", "p2"].map((x) => `${x}-${crypto.randomUUID().slice(0, 4)}`) as [string, string];
    const created = await api("POST", "/api/sessions", svc, { campaign_id: 9, dm_user_id: dm, players: [p1, p2] });
    const name = `tabletop:${created.json.session_id}`;
    const seat = async (id: string, character?: string) => {
      const s = await open(`/ws/game/${created.json.session_id}?token=${await token({ sub: id, name: id.toUpperCase() })}${character ? `&character_id=${character}` : ""}`);
      await welcome(s);
      return s;
    };
    const snapshots: { seq: number; state: unknown }[] = [];
    const take = async () => {
      const snap = await inspect(name);
      snapshots.push({ seq: snap.seq, state: snap.state });
    };
    // A seq names the state after the last input that left the head there: the DM's join logs
    // nothing (seq 0 still), so the snapshot "at 0" is taken after it.
    const d = await seat(dm);
    await take();
    const a = await seat(p1, "char-a");
    await take();
    const b = await seat(p2, "char-b");
    a.send({ event: "chat_message", data: { message: "hello" } });
    await b.nextMatching((f: Frame) => f.event === "chat_message");
    b.send({ event: "dice_roll", data: { formula: "4d6kh3+2" } });
    await a.nextMatching((f: Frame) => f.event === "dice_roll");
    await take();
    // Initiative left out: the server rolls it (ctx.random, seeded by the seq).
    d.send({ event: "combat_update", data: { combat: { active: true, participants: [{ id: "gob", name: "Goblin", is_npc: true }, { id: "char-a", name: "Aria", user_id: p1 }] } } });
    await a.nextMatching((f: Frame) => f.event === "combat_update");
    await take();
    d.send({ event: "turn_change", data: {} });
    await a.nextMatching((f: Frame) => f.event === "turn_change");
    a.close();
    await d.nextMatching((f: Frame) => f.event === "player_left");
    await take();

    expect(new Set(snapshots.map((s) => s.seq)).size).toBe(snapshots.length);
    for (const snap of snapshots) {
      const res = await stateAt(name, snap.seq);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.state, `state at seq ${snap.seq}`).toEqual(snap.state);
      expect(res.json).toMatchObject({ at: snap.seq, head: snapshots.at(-1)!.seq });
    }
    // The combat snapshot really holds rolled initiative: the replay rolled the same dice.
    const combat = JSON.stringify(snapshots[4]!.state);
    expect(combat).toContain("initiative");
    b.close();
    d.close();
  });

  it("a relay room: counts and who was online at each seq, from the presence journal", async () => {
    const roomId = await newRoom();
    const ann = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "ann", name: "Ann" })}`);
    await ann.next();
    await publish(roomId, { n: 1 });
    await ann.nextMatching((f) => f.type === "publish");
    const bob = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "bob", name: "Bob" })}`);
    await bob.next();
    const mid = await inspect(roomId);
    await publish(roomId, { n: 2 });
    await publish(roomId, { n: 3 });
    await bob.nextMatching((f) => f.type === "publish" && (f.data as { n: number }).n === 3);
    const end = await inspect(roomId);
    expect(mid.state).toMatchObject({ published: 1, onlineCount: 2 });
    expect((await stateAt(roomId, mid.seq)).json.state).toEqual(mid.state);
    expect((await stateAt(roomId, end.seq)).json.state).toEqual(end.state);
    const start = await stateAt(roomId, 0);
    // Ann's join logged nothing: "at 0" is the state after it.
    expect(start.json).toMatchObject({ at: 0, state: { published: 0, onlineCount: 1 }, online: ["ann"], inputs: 1 });
    ann.close();
    bob.close();
  });
});

describe("[J1] what time travel refuses", () => {
  it("LOG_TRIMMED once retention cut the start of the journal, with the earliest seq the log still holds", async () => {
    const roomId = await newRoom({ limits: { logMaxEntries: 10 } });
    // Retention runs every 64 seqs: publish past it.
    for (let i = 0; i < 70; i++) expect((await publish(roomId, { i })).status).toBe(200);
    const res = await stateAt(roomId, 69);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("LOG_TRIMMED");
    expect(res.json.error.details.earliestSeq).toBeGreaterThan(1);
    const log = await api("GET", `/api/admin/rooms/${roomId}/log?limit=5`, await admin());
    expect(log.json.tail).toBe(res.json.error.details.earliestSeq);
  });

  it("BAD_SEQ past the head or malformed, 403 for users, 404 for an unknown room", async () => {
    const roomId = await newRoom();
    await publish(roomId, { n: 1 });
    expect((await stateAt(roomId, 2)).json.error).toMatchObject({ code: "BAD_SEQ", details: { head: 1 } });
    expect((await stateAt(roomId, "x")).json.error.code).toBe("BAD_REQUEST");
    expect((await api("GET", `/api/admin/rooms/${roomId}/state?at=1`, await token({ sub: "u" }))).status).toBe(403);
    expect((await stateAt(`nope-${crypto.randomUUID().slice(0, 8)}`, 0)).json.error.code).toBe("ROOM_NOT_FOUND");
  });
});

describe("the inspector's log and connections", () => {
  it("pages the raw log newest first with the inputs behind it, whispers included; lists open sockets", async () => {
    const roomId = await newRoom();
    const ann = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "ann", name: "Ann" })}`);
    await ann.next();
    const bob = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "bob", name: "Bob" })}`);
    await bob.next();
    ann.send({ type: "publish", data: { hi: 1 }, id: "c1" });
    await ann.nextMatching((f) => f.type === "ack");
    ann.send({ type: "whisper", to: "bob", data: "psst", id: "c2" });
    await ann.nextMatching((f) => f.type === "ack");
    const room = await inspect(roomId);
    expect(room.connections.total).toBe(2);
    expect(room.connections.list.map((c: { userId: string }) => c.userId).sort()).toEqual(["ann", "bob"]);
    const log = await api("GET", `/api/admin/rooms/${roomId}/log?limit=10`, await admin());
    expect(log.status).toBe(200);
    expect(log.json.entries.map((e: { seq: number }) => e.seq)).toEqual([2, 1]);
    expect(log.json.entries[0]).toMatchObject({ to: ["bob", "ann"], frame: { type: "whisper", data: "psst" } });
    // The publish moved the state, the whisper logged a frame: each is journaled on its log row (joins too).
    const inputs = log.json.inputs as { source: string; seq: number; actor: { userId: string }; body: unknown }[];
    expect(inputs.filter((i) => i.source !== "presence")).toEqual([
      expect.objectContaining({ source: "socket", seq: 1, actor: expect.objectContaining({ userId: "ann" }), body: { type: "publish", data: { hi: 1 } } }),
      expect.objectContaining({ source: "socket", seq: 2, actor: expect.objectContaining({ userId: "ann" }), body: { type: "whisper", to: "bob", data: "psst" } }),
    ]);
    expect(log.json).toMatchObject({ head: 2, tail: 1, next: null });
    ann.close();
    bob.close();
  });
});
