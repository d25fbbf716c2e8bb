import { describe, expect, it } from "vitest";
import { api, connect, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

interface Seat {
  id: string;
  token: string;
  socket: TestSocket;
}

const svc = () => token({ sub: "rollscape-api", scope: "events:publish" });

async function createSession(players?: string[]) {
  const dm = `dm-${crypto.randomUUID().slice(0, 6)}`;
  const res = await api("POST", "/api/sessions", await svc(), { campaign_id: 7, dm_user_id: dm, ...(players ? { players } : {}) });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { sessionId: res.json.session_id as string, dm };
}

async function seat(sessionId: string, id: string, characterId?: string, query = ""): Promise<Seat> {
  const t = await token({ sub: id, name: id.toUpperCase() });
  const socket = await open(`/ws/game/${sessionId}?token=${t}${characterId ? `&character_id=${characterId}` : ""}${query}`);
  return { id, token: t, socket };
}

/** Reads the connect frames (snapshot + welcome) up to and including `history`. */
async function welcome(s: TestSocket) {
  const frames: Frame[] = [];
  for (;;) {
    const f = await s.next();
    frames.push(f);
    if (f.event === "history") return frames;
  }
}

const roomEvents = (frames: Frame[]) => frames.filter((f) => typeof f.seq === "number");

describe("tabletop sessions (seed 002) end to end", () => {
  it("runs a DM and three players through chat, rolls, a whisper, combat and a resume", async () => {
    const p = ["p1", "p2", "p3"].map((x) => `${x}-${crypto.randomUUID().slice(0, 4)}`);
    const { sessionId, dm } = await createSession(p);

    const dmSeat = await seat(sessionId, dm);
    const w = await welcome(dmSeat.socket);
    expect(w.map((f) => f.event)).toEqual(["snapshot", "room_joined", "player_list", "history"]);
    expect(w[0]).toMatchObject({ event: "snapshot", seq: expect.any(Number), epoch: expect.any(String) });
    expect(w[1]!.data).toMatchObject({ session_id: sessionId, player: { user_id: dm, is_dm: true } });

    const seats: Seat[] = [];
    for (const [i, id] of p.entries()) {
      const s = await seat(sessionId, id, `char-${i}`);
      const wf = await welcome(s.socket);
      const player = (wf[1]!.data as { player: Record<string, unknown> }).player;
      expect(Object.keys(player).sort()).toEqual(["character_id", "connected_at", "is_dm", "user_id", "username"].concat(player.character_name ? ["character_name"] : []).sort());
      expect(player).toMatchObject({ user_id: id, username: id.toUpperCase(), character_id: `char-${i}`, is_dm: false });
      seats.push(s);
    }
    const [a, b, c] = seats as [Seat, Seat, Seat];
    // The DM heard three player_joined, each once.
    const joined = (await dmSeat.socket.drain()).filter((f) => f.event === "player_joined");
    expect(joined.map((f) => (f.data as { player: { user_id: string } }).player.user_id)).toEqual(p);
    for (const s of seats) await s.socket.drain();

    // Chat reaches the whole room.
    a.socket.send({ event: "chat_message", data: { message: "Hello, table!" } });
    for (const s of [dmSeat, a, b, c]) {
      expect(await s.socket.nextMatching((f) => f.event === "chat_message")).toMatchObject({
        event: "chat_message",
        data: { message: "Hello, table!", player: { user_id: a.id } },
        seq: expect.any(Number),
      });
    }

    // Dice are rolled by the server: a client-sent result is ignored.
    b.socket.send({ event: "dice_roll", data: { formula: "4d6kh3+2", result: 99, rolls: [6, 6, 6, 6] } });
    const roll = (await c.socket.nextMatching((f) => f.event === "dice_roll")).data as Record<string, any>;
    expect(roll.formula).toBe("4d6kh3+2");
    expect(roll.rolls).toHaveLength(4);
    expect(roll.kept).toHaveLength(3);
    for (const d of roll.rolls) expect(d >= 1 && d <= 6).toBe(true);
    expect(roll.result).toBe(roll.kept.reduce((x: number, y: number) => x + y, 0) + 2);
    expect(roll.modifier).toBe(2);
    expect(roll.player).toMatchObject({ user_id: b.id });
    expect(typeof roll.timestamp).toBe("string");

    // A whisper reaches only its target and its sender.
    a.socket.send({ event: "whisper", data: { to_user_id: b.id, message: "the DM is bluffing" } });
    expect((await b.socket.nextMatching((f) => f.event === "whisper")).data).toMatchObject({ message: "the DM is bluffing", from_user_id: a.id });
    expect((await a.socket.nextMatching((f) => f.event === "whisper")).data).toMatchObject({ to_user_id: b.id });
    expect((await c.socket.drain()).filter((f) => f.event === "whisper")).toEqual([]);
    expect((await dmSeat.socket.drain()).filter((f) => f.event === "whisper")).toEqual([]);

    // Only the DM narrates, changes turns and updates combat.
    c.socket.send({ event: "dm_narration", data: { narration: "I am the DM now" } });
    expect(await c.socket.nextMatching((f) => f.event === "error")).toEqual({ event: "error", data: { message: "Only DM can send narration", code: "DM_ONLY" } });
    c.socket.send({ event: "turn_change", data: { turn: "next" } });
    expect((await c.socket.nextMatching((f) => f.event === "error")).data).toMatchObject({ message: "Only DM can change turns" });
    c.socket.send({ event: "combat_update", data: { combat: { active: true } } });
    expect((await c.socket.nextMatching((f) => f.event === "error")).data).toMatchObject({ message: "Only DM can update combat" });
    expect((await a.socket.drain()).filter((f) => ["dm_narration", "turn_change", "combat_update"].includes(f.event as string))).toEqual([]);

    dmSeat.socket.send({ event: "dm_narration", data: { narration: "A goblin ambush!" } });
    expect((await a.socket.nextMatching((f) => f.event === "dm_narration")).data).toMatchObject({ narration: "A goblin ambush!" });

    // A combat round: initiative given, turns advance and wrap into round 2.
    dmSeat.socket.send({
      event: "combat_update",
      data: { combat: { active: true, participants: [
        { id: "goblin", name: "Goblin", initiative: 12, is_npc: true },
        { id: "char-0", name: "Aria", initiative: 18, user_id: a.id },
        { id: "char-1", name: "Bram", initiative: 5, user_id: b.id },
      ] } },
    });
    const combat = (await b.socket.nextMatching((f) => f.event === "combat_update")).data as { combat: { participants: { id: string }[]; round: number } };
    expect(combat.combat.participants.map((x) => x.id)).toEqual(["char-0", "goblin", "char-1"]);
    expect(combat.combat.round).toBe(1);
    for (let i = 0; i < 3; i++) dmSeat.socket.send({ event: "turn_change", data: { turn: "next" } });
    // Starting combat announces the first turn too, then each "next" advances it.
    const turns: any[] = [];
    for (let i = 0; i < 4; i++) turns.push((await a.socket.nextMatching((f) => f.event === "turn_change")).data);
    expect(turns.map((t) => [t.turn.current_character_id, t.turn.round])).toEqual([["char-0", 1], ["goblin", 1], ["char-1", 1], ["char-0", 2]]);

    // c drops; more happens; c resumes and gets exactly what it missed, in order.
    const cFrames = roomEvents(c.socket.frames);
    const last = cFrames.at(-1)!;
    c.socket.close();
    await dmSeat.socket.nextMatching((f) => f.event === "player_left");
    a.socket.send({ event: "chat_message", data: { message: "c left?" } });
    dmSeat.socket.send({ event: "turn_change", data: { turn: "next" } });
    a.socket.send({ event: "player_action", data: { action_type: "attack", details: { target: "goblin" } } });
    await dmSeat.socket.nextMatching((f) => f.event === "player_action");
    const back = await open(`/ws/game/${sessionId}?token=${c.token}&character_id=char-2&since=${last.seq}&epoch=${last.epoch}`);
    const replay: Frame[] = [];
    for (;;) {
      const f = await back.next();
      replay.push(f);
      if (f.event === "recovered" || f.event === "snapshot") break;
    }
    expect(replay.at(-1)).toMatchObject({ event: "recovered", recovered: true });
    const missed = replay.filter((f) => typeof f.seq === "number" && f.event !== "recovered");
    expect(missed.map((f) => f.event)).toEqual(expect.arrayContaining(["chat_message", "turn_change", "player_action"]));
    const seqs = missed.map((f) => f.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs[0]).toBeGreaterThan(last.seq as number);
    expect(JSON.stringify(replay)).not.toContain("the DM is bluffing");
    // The present turn state is in room_joined after the replay.
    const rj = await back.nextMatching((f) => f.event === "room_joined");
    expect((rj.data as any).turn).toMatchObject({ current_character_id: "goblin", round: 2 });

    // History with paging, whispers filtered per viewer.
    const h1 = await api("GET", `/api/sessions/${sessionId}/history?limit=3`, c.token);
    expect(h1.status).toBe(200);
    expect(h1.json.entries).toHaveLength(3);
    const h2 = await api("GET", `/api/sessions/${sessionId}/history?limit=200&before=${h1.json.next}`, c.token);
    const all = [...h1.json.entries, ...h2.json.entries];
    expect(all.some((f: Frame) => f.event === "chat_message")).toBe(true);
    expect(JSON.stringify(all)).not.toContain("the DM is bluffing");
    const bHistory = await api("GET", `/api/sessions/${sessionId}/history?limit=200`, b.token);
    expect(JSON.stringify(bHistory.json)).toContain("the DM is bluffing");

    // Room info (seed 002 shape).
    const info = await api("GET", `/ws/room/${sessionId}/info`, dmSeat.token);
    expect(info.json).toMatchObject({ session_id: sessionId, campaign_id: 7, player_count: 4, created_at: expect.any(String) });
    expect(info.json.players).toHaveLength(4);
  });

  it("a DM leaving keeps the room alive; two tabs count once", async () => {
    const { sessionId, dm } = await createSession();
    const d = await seat(sessionId, dm);
    await welcome(d.socket);
    const p1 = await seat(sessionId, "solo-player");
    await welcome(p1.socket);
    const p1b = await seat(sessionId, "solo-player");
    await welcome(p1b.socket);
    expect((await d.socket.drain()).filter((f) => f.event === "player_joined")).toHaveLength(1);
    d.socket.close();
    await p1.socket.nextMatching((f) => f.event === "player_left");
    p1.socket.send({ event: "chat_message", data: { message: "still here" } });
    expect((await p1b.socket.nextMatching((f) => f.event === "chat_message")).data).toMatchObject({ message: "still here" });
    const d2 = await seat(sessionId, dm);
    const w = await welcome(d2.socket);
    expect(JSON.stringify(w.at(-1))).toContain("still here");
  });

  it("refuses with the seed's close codes", async () => {
    const { sessionId } = await createSession(["invited"]);
    const bad = await open(`/ws/game/${sessionId}?token=not-a-jwt`);
    expect(await bad.waitClosed()).toEqual({ code: 4001, reason: "Invalid token" });
    const none = await open(`/ws/game/${sessionId}`);
    expect(await none.waitClosed()).toEqual({ code: 4001, reason: "Invalid token" });
    const missing = await open(`/ws/game/does-not-exist?token=${await token({ sub: "invited" })}`);
    expect(await missing.waitClosed()).toEqual({ code: 4004, reason: "Session not found" });
    const stranger = await open(`/ws/game/${sessionId}?token=${await token({ sub: "stranger" })}`);
    expect((await stranger.waitClosed()).code).toBe(4003);
    const invited = await connect(`/ws/game/${sessionId}?token=${await token({ sub: "invited" })}`);
    expect((await invited.socket!.next()).event).toBe("snapshot");
    // Strangers can't read the session over HTTP either.
    expect((await api("GET", `/ws/room/${sessionId}/info`, await token({ sub: "stranger" }))).status).toBe(403);
  });

  it("bad frames get documented errors and nothing else changes", async () => {
    const { sessionId, dm } = await createSession();
    const d = await seat(sessionId, dm);
    await welcome(d.socket);
    const p = await seat(sessionId, "player-x");
    await welcome(p.socket);
    await d.socket.drain();
    const before = await api("GET", `/api/sessions/${sessionId}`, d.token);
    const cases: [unknown, string][] = [
      [{ event: "summon_dragon", data: {} }, "BAD_COMMAND"],
      [{ event: "chat_message", data: { message: 42 } }, "BAD_COMMAND"],
      [{ event: "chat_message", data: { message: "x".repeat(3000) } }, "BAD_COMMAND"],
      [{ event: "dice_roll", data: { formula: "999d999999" } }, "BAD_FORMULA"],
      [{ event: "chat_message", data: "not an object" }, "BAD_FRAME"],
      [{ type: "chat_message" }, "BAD_FRAME"],
    ];
    for (const [frame, code] of cases) {
      p.socket.send(frame as Frame);
      expect((await p.socket.nextMatching((f) => f.event === "error")).data, code).toMatchObject({ code, message: expect.any(String) });
    }
    // 1 MB of chat: past the frame limit, refused without reaching the kind.
    p.socket.send({ event: "chat_message", data: { message: "x".repeat(1_000_000) } });
    expect((await p.socket.nextMatching((f) => f.event === "error")).data).toMatchObject({ code: "FRAME_TOO_LARGE" });
    expect(await d.socket.drain()).toEqual([]);
    const after = await api("GET", `/api/sessions/${sessionId}`, d.token);
    expect(after.json.seq).toBe(before.json.seq);
    p.socket.send({ event: "ping", data: { timestamp: 123 } });
    expect((await p.socket.nextMatching((f) => f.event === "pong")).data).toMatchObject({ timestamp: 123 });
  });

  it("only a service or the DM may create a session", async () => {
    const self = await api("POST", "/api/sessions", await token({ sub: "dm-9" }), { campaign_id: 1, dm_user_id: "dm-9" });
    expect(self.status).toBe(201);
    const other = await api("POST", "/api/sessions", await token({ sub: "mallory" }), { campaign_id: 1, dm_user_id: "dm-9" });
    expect(other.status).toBe(403);
    const bad = await api("POST", "/api/sessions", await svc(), { dm_user_id: "x" });
    expect(bad.status).toBe(400);
  });
});
