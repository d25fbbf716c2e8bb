import { describe, expect, it } from "vitest";
import type { Actor, Applied, ApplyResult, KindCtx } from "../../core/kind.ts";
import { entryOf, keysOf, sizeOf } from "../../core/keyedRecord.ts";
import { testCtx } from "../../core/testCtx.ts";
import { BROWSING, LISTING, lobbyKind, type LobbyState } from "./lobbyKind.ts";

const actor = (userId: string): Actor => ({ userId, name: `u${userId}`, role: "member", service: false, scopes: [] });
const ctx = (who: string, over: Partial<KindCtx> = {}) => testCtx({ actor: actor(who), connId: `c${who}`, roomId: "games:lobby:t", config: { abandon_after_ms: 500 }, now: 1000, ...over });
const ok = (r: ApplyResult<LobbyState>): Applied<LobbyState> => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
};
const send = (s: LobbyState, who: string, frame: Record<string, unknown>) => lobbyKind.apply(s, lobbyKind.command.parse(frame), ctx(who));
const fromGame = (s: LobbyState, roomId: string, body: Record<string, unknown>, from = `game:${roomId}`) => lobbyKind.receive!(s, { from, body: { op: "events", room_id: roomId, frames: [], ...body } }, ctx("x"));

function withRoom() {
  const r = ok(send(lobbyKind.init({}, ctx("1")), "1", { type: "create_room", game_type: "bigger_dice", room_name: "Den" }));
  return { state: r.state, roomId: keysOf(r.state.rooms)[0]!, created: r };
}

describe("lobbyKind", () => {
  it("creates the game object with the lobby's name and abandonment time, and tells its host and the list's browsers", () => {
    const { roomId, created } = withRoom();
    const body = { type: "room_created", room_id: roomId, room_name: "Den", game_type: "bigger_dice", host_id: 1, host_username: "u1" };
    // Its host at once; the list's browsers with the next list push (one push per gateway for every room created meanwhile).
    expect(created.emits).toEqual([{ body, to: ["1"] }]);
    expect(created.wakeAt).toBe(1500);
    // A joinable room: both of the list's audiences.
    expect(ok(lobbyKind.wake!(created.state, ctx("x", { now: 1500 }))).emits).toEqual([{ body, groups: [BROWSING, LISTING] }]);
    // list_push_ms 0: its host and the list's audiences at once.
    const now = ok(lobbyKind.apply(lobbyKind.init({}, ctx("1")), lobbyKind.command.parse({ type: "create_room", game_type: "bigger_dice", room_name: "Den" }), ctx("1", { config: { list_push_ms: 0 } })));
    expect(now.emits).toEqual([{ body, to: ["1"] }, { body, groups: [BROWSING, LISTING] }]);
    expect(created.effects).toEqual([{ to: `game:${roomId}`, body: { op: "open", conn: "c1" }, create: { kind: "games.game", config: expect.objectContaining({ lobby: "games:lobby:t", abandon_after_ms: 500, host: { userId: "1", username: "u1" } }) }, host: "sender" }]);
  });

  it("strips a frame's identity fields and forwards who the token says", () => {
    const { state, roomId } = withRoom();
    const r = ok(send(state, "2", { type: "bigger_dice.roll", room_id: roomId, user_id: 1, username: "u1", avatar_id: 3 }));
    expect(r.effects).toEqual([{ to: `game:${roomId}`, body: { op: "cmd", user: { userId: "2", username: "u2" }, conn: "c2", command: { type: "bigger_dice.roll", room_id: roomId } } }]);
    expect(r.state).toBe(state);
  });

  it("[P14] holds the ack of a forwarded command with an id (pending) and passes the id to the game", () => {
    const { state, roomId } = withRoom();
    const r = ok(lobbyKind.apply(state, lobbyKind.command.parse({ type: "bigger_dice.roll", room_id: roomId }), ctx("2", { commandId: "r1" })));
    expect(r.pending).toBe(true);
    expect(r.effects).toEqual([{ to: `game:${roomId}`, body: { op: "cmd", user: { userId: "2", username: "u2" }, conn: "c2", command: { type: "bigger_dice.roll", room_id: roomId }, id: "r1" } }]);
    // Without an id nothing is held (no ack either way), and the message is as before.
    expect(ok(send(state, "2", { type: "bigger_dice.roll", room_id: roomId })).pending).toBeUndefined();
  });

  it("[P14] [P5] turns the game's answer into the sender's ack, or its error with the id, room_id and the socket", () => {
    const { state, roomId } = withRoom();
    const acked = ok(fromGame(state, roomId, { frames: [{ body: { type: "dice_rolled", room_id: roomId } }], answer: { userId: "2", conn: "c2", id: "r1" } }));
    expect(acked.answers).toEqual([{ userId: "2", connId: "c2", id: "r1" }]);
    expect(acked.emits).toHaveLength(1);
    const refused = ok(fromGame(state, roomId, { answer: { userId: "2", conn: "c2", id: "r2", error: { code: "NOT_YOUR_TURN", message: "Not yet." } } }));
    expect(refused.answers).toEqual([{ userId: "2", connId: "c2", id: "r2", error: { code: "NOT_YOUR_TURN", message: "Not yet.", extra: { room_id: roomId } } }]);
    expect(refused.emits).toEqual([]);
  });

  it("claims a seat on join so a second join elsewhere is refused, and releases it when the game refuses", () => {
    const { state, roomId } = withRoom();
    const joined = ok(send(state, "2", { type: "join_room", room_name: " den " }));
    expect(entryOf(joined.state.seats, "2")).toBe(roomId);
    const released = ok(fromGame(joined.state, roomId, { refusedJoin: "2" }));
    expect(entryOf(released.state.seats, "2")).toBeUndefined();
  });

  it("sends a game's frames to its room's group only, and those who just left it too", () => {
    const { state, roomId } = withRoom();
    const summary = { status: "Waiting", host: { userId: "1", username: "u1" }, players: [{ userId: "1", username: "u1" }], spectators: [{ userId: "3", username: "u3" }], maxPlayers: 2 };
    const watched = ok(fromGame(state, roomId, { summary }));
    expect(lobbyKind.sockets!.groupsOf!(watched.state, actor("3"), ctx("3"))).toEqual([`room:${roomId}`]);
    // In no room: browsing the list (the lobby-wide frames' audience).
    expect(lobbyKind.sockets!.groupsOf!(watched.state, actor("4"), ctx("4"))).toEqual([BROWSING]);
    const left = ok(fromGame(watched.state, roomId, { summary: { ...summary, spectators: [] }, frames: [{ body: { type: "spectator_left", room_id: roomId } }] }));
    expect(left.emits[0]).toEqual({ body: { type: "spectator_left", room_id: roomId }, groups: [`room:${roomId}`], to: ["3"], log: false });
    // The lobby-wide change waits for the next push (list_push_ms, 500 by default), latest summary winning.
    expect(left.emits).toHaveLength(1);
    expect(entryOf(left.state.changed, roomId)).toMatchObject({ spectator_count: 0 });
    // The push the room's creation asked for (at 1500) carries this change too.
    expect(state.pushAt).toBe(1500);
    expect(watched.wakeAt).toBeUndefined();
    expect(left.wakeAt).toBeUndefined();
  });

  it("pushes the batched room changes in one rooms_updated frame when its timer fires: all to the listing users, a room created and filled meanwhile not to the browsers", () => {
    const { state, roomId } = withRoom();
    const summary = { status: "InProgress", host: { userId: "1", username: "u1" }, players: [{ userId: "1", username: "u1" }, { userId: "2", username: "u2" }], spectators: [], maxPlayers: 2 };
    const started = ok(fromGame(state, roomId, { summary }));
    // User 9 asked for the whole list and is online.
    const listing = ok(send(started.state, "9", { type: "list_rooms" })).state;
    const pushed = ok(lobbyKind.wake!(listing, ctx("x", { now: 1500, online: [actor("9")] })));
    // The room's creation first, then what changed since.
    expect(pushed.emits).toEqual([
      { body: expect.objectContaining({ type: "room_created", room_id: roomId }), groups: [LISTING] },
      { body: { type: "rooms_updated", rooms: [expect.objectContaining({ room_id: roomId, status: "InProgress", player_count: 2 })], open_rooms: 1 }, groups: [LISTING] },
    ]);
    // The seated players are not browsing; a user in no room is.
    expect(lobbyKind.sockets!.groupsOf!(pushed.state, actor("2"), ctx("2"))).toEqual([`room:${roomId}`]);
    // 2 entries to one socket: 10 ms at 200 a second.
    expect(pushed.state).toMatchObject({ pushAt: null, quietUntil: 1510 });
    // With no listing user online, nothing of this push would reach anyone: no frame, no log row.
    expect(ok(lobbyKind.wake!(started.state, ctx("x", { now: 1500 }))).emits).toEqual([]);
    expect([sizeOf(pushed.state.changed), sizeOf(pushed.state.announce!)]).toEqual([0, 0]);
    expect(ok(lobbyKind.wake!(pushed.state, ctx("x"))).emits).toEqual([]);
  });

  it("finds an open room by name through its index, frees the name when the room ends, and builds the index for a lobby saved without it", () => {
    const { state, roomId } = withRoom();
    expect(entryOf(state.names!, "den")).toBe(roomId);
    expect(send(state, "2", { type: "create_room", game_type: "bigger_dice", room_name: " DEN " })).toMatchObject({ ok: false, code: "ROOM_NAME_TAKEN" });
    expect(ok(send(state, "2", { type: "join_room", room_name: "dEn" })).effects).toMatchObject([{ to: `game:${roomId}` }]);
    const over = ok(fromGame(state, roomId, { summary: { status: "Abandoned", host: { userId: "1", username: "u1" }, players: [], spectators: [], maxPlayers: 2 } }));
    expect(entryOf(over.state.names!, "den")).toBeUndefined();
    // (Another room id: the test context's random is constant.)
    const another = (s: LobbyState, name: string) => lobbyKind.apply(s, lobbyKind.command.parse({ type: "create_room", game_type: "bigger_dice", room_name: name }), ctx("2", { random: () => 0.25 }));
    expect(entryOf(ok(another(over.state, "Den")).state.names!, "den")).toEqual(expect.any(String));
    // A lobby saved before the index: the name is still taken, and its next room starts the index with every open room.
    const { names: _names, ...old } = state;
    expect(send(old, "2", { type: "join_room", room_name: "Den" })).toMatchObject({ ok: true });
    const next = ok(another(old, "Other"));
    expect([entryOf(next.state.names!, "den"), typeof entryOf(next.state.names!, "other")]).toEqual([roomId, "string"]);
  });

  it("drops a room that ended, frees its name and seats, and ignores a message from another game", () => {
    const { state, roomId } = withRoom();
    expect(fromGame(state, roomId, {}, "game:room_other")).toMatchObject({ ok: false, code: "NOT_THIS_GAME" });
    // [S8] A game hosted in a gateway speaks from its address there; another game's address is still another game.
    expect(fromGame(state, roomId, {}, "games:lobby:t:gw:0/game:room_other")).toMatchObject({ ok: false, code: "NOT_THIS_GAME" });
    expect(fromGame(state, roomId, {}, `games:lobby:t:gw:0/game:${roomId}`)).toMatchObject({ ok: true });
    const over = ok(fromGame(state, roomId, { summary: { status: "Finished", host: { userId: "1", username: "u1" }, players: [{ userId: "1", username: "u1" }], spectators: [], maxPlayers: 2 } }));
    expect([sizeOf(over.state.rooms), sizeOf(over.state.seats)]).toEqual([0, 0]);
    expect(entryOf(over.state.changed, roomId)).toMatchObject({ status: "Finished" });
    // Its players browse the list again, so the push that says it ended reaches them.
    expect(lobbyKind.sockets!.groupsOf!(over.state, actor("1"), ctx("1"))).toEqual([BROWSING]);
    expect(ok(send(over.state, "1", { type: "create_room", game_type: "bigger_dice", room_name: "Den" })).emits).toHaveLength(1);
  });

  it("tells each room a user was in when their last socket closes", () => {
    const { state, roomId } = withRoom();
    const r = ok(lobbyKind.sockets!.presence!(state, { kind: "leave", actor: actor("1"), params: {} }, ctx("1")));
    expect(r.effects).toEqual([{ to: `game:${roomId}`, body: { op: "gone", user: { userId: "1", username: "u1" } } }]);
  });

  it("paces rooms_updated by summaries per second: after a push of n rooms the next waits n / list_summaries_per_sec", () => {
    let state = lobbyKind.init({}, ctx("0"));
    const ids: string[] = [];
    for (let i = 1; i <= 40; i++) {
      // Each room its own id: the test context's random is the same sequence every time.
      let n = i * 7919;
      const random = () => ((n = (n * 48271) % 2147483647) / 2147483647);
      const r = ok(lobbyKind.apply(state, lobbyKind.command.parse({ type: "create_room", game_type: "bigger_dice", room_name: `R${i}` }), ctx(String(i), { random })));
      ids.push(keysOf(r.state.rooms).find((id) => !ids.includes(id))!);
      state = r.state;
    }
    const summary = (u: string) => ({ status: "Waiting", host: { userId: u, username: `u${u}` }, players: [{ userId: u, username: `u${u}` }], spectators: [{ userId: "s", username: "us" }], maxPlayers: 2 });
    const config = { list_push_ms: 500, list_summaries_per_sec: 20 };
    // One user browsing (the pace is per socket of an audience that has one online).
    const online = [actor("b")];
    const from = (s: LobbyState, i: number, now: number) => ok(lobbyKind.receive!(s, { from: `game:${ids[i]}`, body: { op: "events", room_id: ids[i], frames: [], summary: summary(String(i + 1)) } }, ctx("x", { config, now, online })));
    for (let i = 0; i < 40; i++) state = from(state, i, 1000).state;
    expect(state.pushAt).toBe(1500);
    const pushed = ok(lobbyKind.wake!(state, ctx("x", { config, now: 1500, online })));
    expect((pushed.emits.at(-1)!.body as { rooms: unknown[] }).rooms).toHaveLength(40);
    // 40 room_created and 40 summaries at 20/s: the next push waits 4 s, not 500 ms.
    expect(pushed.emits).toHaveLength(41);
    // Each room is still joinable (one player of two): the browsers got them all too.
    expect(pushed.emits.every((e) => e.groups!.includes(BROWSING))).toBe(true);
    const again = from(pushed.state, 0, 1600);
    expect(again.wakeAt).toBe(5500);
    expect(entryOf(again.state.changed, ids[0]!)).toBeDefined();
  });

  it("paces the list by what it sends to all browsers together: n entries to b browsers wait n x b / list_sends_per_sec", () => {
    const { state, roomId } = withRoom();
    const summary = { status: "Waiting", host: { userId: "1", username: "u1" }, players: [{ userId: "1", username: "u1" }], spectators: [{ userId: "2", username: "u2" }], maxPlayers: 2 };
    const started = ok(fromGame(state, roomId, { summary }));
    // 100 users online, 2 of them in the room: 98 browse. The push holds 2 entries (the room_created and the summary).
    const online = Array.from({ length: 100 }, (_, i) => actor(String(i + 1)));
    const wake = (config: Record<string, number>) => ok(lobbyKind.wake!(started.state, ctx("x", { now: 1500, online, config }))).state.quietUntil;
    expect(wake({ list_sends_per_sec: 98 })).toBe(1500 + 2000);
    // The per-socket pace still applies when it is the longer wait; by default (2,000 a second) 196 sends wait 98 ms.
    expect(wake({ list_sends_per_sec: 1_000_000, list_summaries_per_sec: 1 })).toBe(1500 + 2000);
    expect(wake({})).toBe(1500 + 98);
  });

  it("shows a connecting socket the joinable rooms the browsers were shown and how many are open; list_rooms shows them all and makes its user listing", () => {
    const { state, roomId } = withRoom();
    const started = ok(fromGame(state, roomId, { summary: { status: "InProgress", host: { userId: "1", username: "u1" }, players: [{ userId: "1", username: "u1" }, { userId: "2", username: "u2" }], spectators: [], maxPlayers: 2 } }));
    const next = ok(lobbyKind.apply(started.state, lobbyKind.command.parse({ type: "create_room", game_type: "bigger_dice", room_name: "Nook" }), ctx("3", { random: () => 0.25 })));
    const view = (s: LobbyState) => lobbyKind.sockets!.joinView!(s, actor("4"), ctx("4")) as { rooms: { room_name: string }[]; open_rooms: number };
    // Nook reaches the browsers with the next push, a connecting socket too (its snapshot is the browsers' view).
    expect(view(next.state)).toEqual({ rooms: [], open_rooms: 2 });
    const pushed = ok(lobbyKind.wake!(next.state, ctx("x", { now: 1500 })));
    expect(view(pushed.state).rooms.map((r) => r.room_name)).toEqual(["Nook"]);
    expect(view(pushed.state).open_rooms).toBe(2);
    expect(lobbyKind.sockets!.groupsOf!(pushed.state, actor("4"), ctx("4"))).toEqual([BROWSING]);
    const listed = ok(send(pushed.state, "4", { type: "list_rooms" }));
    expect((listed.replies![0] as { rooms: unknown[] }).rooms).toHaveLength(2);
    expect(lobbyKind.sockets!.groupsOf!(listed.state, actor("4"), ctx("4"))).toEqual([LISTING]);
    // The listing users are listed for fan-out (a frame to them visits their sockets, not every one).
    expect(lobbyKind.sockets!.membersOf!(listed.state, LISTING)).toEqual(["4"]);
    // Asking again writes nothing; the user's last socket closing ends it.
    expect(ok(send(listed.state, "4", { type: "list_rooms" })).state).toBe(listed.state);
    const gone = ok(lobbyKind.sockets!.presence!(listed.state, { kind: "leave", actor: actor("4"), params: {} }, ctx("4")));
    expect(lobbyKind.sockets!.groupsOf!(gone.state, actor("4"), ctx("4"))).toEqual([BROWSING]);
  });

  it("keeps who is in which room right as rooms change (the carried group index), and lists a room's members for fan-out", () => {
    const groupsOf = lobbyKind.sockets!.groupsOf!;
    const membersOf = lobbyKind.sockets!.membersOf!;
    const p = (u: string) => ({ userId: u, username: `u${u}` });
    let state = ok(send(lobbyKind.init({}, ctx("1")), "1", { type: "create_room", game_type: "bigger_dice", room_name: "A" })).state;
    state = ok(lobbyKind.apply(state, lobbyKind.command.parse({ type: "create_room", game_type: "bigger_dice", room_name: "B" }), ctx("4", { random: () => 0.25 }))).state;
    const [a, b] = keysOf(state.rooms).sort((x, y) => entryOf(state.rooms, x)!.roomName.localeCompare(entryOf(state.rooms, y)!.roomName)) as [string, string];
    // Each read of groupsOf builds the index the next state's is carried from.
    const users = ["1", "2", "3", "4", "5"];
    const check = (s: LobbyState) => {
      // A copy of the state has no index yet: it is built from scratch, and must agree.
      const fresh = JSON.parse(JSON.stringify(s)) as LobbyState;
      for (const u of users) expect(groupsOf(s, actor(u), ctx(u))).toEqual(groupsOf(fresh, actor(u), ctx(u)));
      for (const r of [a, b]) {
        const listed = new Set(membersOf(s, `room:${r}`));
        for (const u of users) expect(listed.has(u)).toBe(groupsOf(s, actor(u), ctx(u)).includes(`room:${r}`));
      }
    };
    check(state);
    const steps = [
      [a, { status: "Waiting", host: p("1"), players: [p("1"), p("2")], spectators: [p("3")], maxPlayers: 2 }],
      [b, { status: "Waiting", host: p("4"), players: [p("4")], spectators: [p("3"), p("5")], maxPlayers: 2 }],
      [a, { status: "InProgress", host: p("1"), players: [p("1"), p("2")], spectators: [], maxPlayers: 2 }],
      [b, { status: "Finished", host: p("4"), players: [p("4")], spectators: [], maxPlayers: 2 }],
    ] as const;
    for (const [room, summary] of steps) {
      state = ok(fromGame(state, room, { summary })).state;
      check(state);
    }
    // A summary that moved no player (ready, started, a spectator) leaves the seats record as it was: nothing to copy or write.
    const seatsBefore = state.seats;
    state = ok(fromGame(state, a, { summary: { status: "InProgress", host: p("1"), players: [p("1"), p("2")], spectators: [p("5")], maxPlayers: 2 } })).state;
    expect(state.seats).toBe(seatsBefore);
    check(state);
    expect(groupsOf(state, actor("4"), ctx("4"))).toEqual([BROWSING]);
    expect(membersOf(state, BROWSING)).toBeUndefined();
  });
});
