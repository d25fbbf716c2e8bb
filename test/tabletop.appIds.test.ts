import { describe, expect, it } from "vitest";
import { api, connect, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";
import { initTabletopState } from "../src/systems/tabletop/state.ts";

// Seed 002's sessions are the app's own rows: `/ws/game/{session_id}` takes the id the app already
// has (an integer in the seed). POST /api/sessions takes that id; without one it still mints a UUID.

const svc = () => token({ sub: "rollscape-api", scope: "events:publish" });
const unique = () => crypto.randomUUID().slice(0, 8);

async function create(body: Record<string, unknown>) {
  return api("POST", "/api/sessions", await svc(), { campaign_id: 1, dm_user_id: `dm-${unique()}`, ...body });
}

/** Reads the connect frames up to and including `history` (the welcome's last). */
async function welcome(s: TestSocket) {
  const frames: Frame[] = [];
  for (;;) {
    const f = await s.next();
    frames.push(f);
    if (f.event === "history") return frames;
  }
}

describe("tabletop sessions under the app's own ids (seed 002)", () => {
  it("a session created with session_id: 42 is reachable at /ws/game/42, with 42 echoed as the integer it was", async () => {
    const created = await create({ session_id: 42, campaign_id: 1, dm_user_id: "dm-42" });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toEqual({ session_id: 42 });

    const dm = await open(`/ws/game/42?token=${await token({ sub: "dm-42", name: "DM" })}`);
    const w = await welcome(dm);
    expect(w.find((f) => f.event === "room_joined")?.data).toMatchObject({ session_id: 42, campaign_id: 1, player: { user_id: "dm-42", is_dm: true } });

    const player = await open(`/ws/game/42?token=${await token({ sub: "p-42", name: "Mira" })}&character_id=7`);
    await welcome(player);
    player.send({ event: "chat_message", data: { message: "hello 42" } });
    expect(await dm.nextMatching((f) => f.event === "chat_message")).toMatchObject({ data: { message: "hello 42", player: { user_id: "p-42" } } });

    const info = await api("GET", "/ws/room/42/info", await token({ sub: "p-42" }));
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ session_id: 42, campaign_id: 1, player_count: 2 });
    expect(info.json.players.map((p: { user_id: string }) => p.user_id).sort()).toEqual(["dm-42", "p-42"]);

    player.send({ event: "leave_room", data: {} });
    expect(await player.nextMatching((f) => f.event === "room_left")).toMatchObject({ data: { session_id: 42 } });
    dm.close();
    player.close();
  });

  it("takes string ids of up to 64 safe characters and keeps them as strings", async () => {
    const id = `table_${unique()}-${"x".repeat(64 - 15)}`;
    expect(id).toHaveLength(64);
    const created = await create({ session_id: id, dm_user_id: "dm-s" });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toEqual({ session_id: id });
    const info = await api("GET", `/ws/room/${id}/info`, await token({ sub: "dm-s" }));
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ session_id: id, player_count: 0 });
    const s = await open(`/ws/game/${id}?token=${await token({ sub: "dm-s" })}`);
    expect((await welcome(s)).find((f) => f.event === "room_joined")?.data).toMatchObject({ session_id: id });
    s.close();
  });

  it("still mints a UUID when no session_id is given", async () => {
    const a = await create({});
    const b = await create({});
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.json.session_id).not.toBe(b.json.session_id);
    const info = await api("GET", `/ws/room/${a.json.session_id}/info`, await svc());
    expect(info.json).toMatchObject({ session_id: a.json.session_id });
  });

  it("an existing id is 409 ROOM_EXISTS, whether given as the integer or its text, and the first session is untouched", async () => {
    const n = 1_000_000 + Math.floor(Math.random() * 1_000_000);
    const first = await create({ session_id: n, campaign_id: "first" });
    expect(first.status).toBe(201);
    for (const again of [n, String(n)]) {
      const dup = await create({ session_id: again, campaign_id: "second" });
      expect(dup.status).toBe(409);
      expect(dup.json.error).toMatchObject({ code: "ROOM_EXISTS", message: expect.stringContaining(String(n)) });
    }
    const info = await api("GET", `/ws/room/${n}/info`, await svc());
    expect(info.json).toMatchObject({ session_id: n, campaign_id: "first" });
  });

  it("refuses ids outside the safe alphabet or over 64 characters, and non-integer numbers (400, nothing created)", async () => {
    for (const bad of ["has space", "a:b", "x".repeat(65), "", "ünï", "../42", 4.5, true, null]) {
      const res = await create({ session_id: bad });
      expect(res.status, `${JSON.stringify(bad)} -> ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.error.code).toBe("BAD_REQUEST");
    }
  });

  it("an id nobody created is still close 4004 Session not found", async () => {
    const r = await connect(`/ws/game/${900_000_000 + Math.floor(Math.random() * 1000)}?token=${await token({ sub: "someone" })}`);
    expect(r.socket).not.toBeNull();
    expect(await r.socket!.waitClosed(5000)).toMatchObject({ code: 4004 });
  });

  it("a room takes the app's id from its config only when the id's text is the room's own (else the room id)", () => {
    const base = { campaign_id: 1, dm_user_id: "dm" };
    expect(initTabletopState({ ...base, session_id: 42 }, { now: 0, roomId: "42" }).session_id).toBe(42);
    expect(initTabletopState({ ...base, session_id: "t-1" }, { now: 0, roomId: "t-1" }).session_id).toBe("t-1");
    expect(initTabletopState({ ...base, session_id: 43 }, { now: 0, roomId: "42" }).session_id).toBe("42");
    expect(initTabletopState(base, { now: 0, roomId: "9b1c" }).session_id).toBe("9b1c");
  });
});
