import { describe, expect, it } from "vitest";
import { hasEntry, keyedFrom, keysOf, type Keyed } from "../../core/keyedRecord.ts";
import { BROWSING, browsersView, LISTING, listPush, roomSummary } from "./lobbyList.ts";
import type { LobbyRoom, LobbyState, RoomCreated } from "./lobbyState.ts";

const p = (u: string) => ({ userId: u, username: `u${u}` });
const room = (id: string, over: Partial<LobbyRoom> = {}): LobbyRoom => ({
  roomId: id,
  roomName: id,
  gameType: "bigger_dice",
  createdAt: Number(id.replace(/\D/g, "")),
  status: "Waiting",
  host: p("1"),
  players: [p("1")],
  spectators: [],
  maxPlayers: 2,
  ...over,
});
const lobby = (rooms: LobbyRoom[], shown?: string[]): LobbyState => ({
  rooms: keyedFrom(rooms.map((r) => [r.roomId, r] as const)),
  seats: {},
  changed: {},
  pushAt: null,
  ...(shown ? { shown: keyedFrom(shown.map((id) => [id, true] as const)) } : {}),
});
const created = (id: string): RoomCreated => ({ type: "room_created", room_id: id, room_name: id, game_type: "bigger_dice", host_id: 1, host_username: "u1" });
const full = (id: string, over: Partial<LobbyRoom> = {}) => room(id, { players: [p("1"), p("2")], ...over });
const ids = (shown: Keyed<true>) => keysOf(shown).sort();
const updated = (emits: ReturnType<typeof listPush>["emits"], group: string) =>
  emits.filter((e) => e.body.type === "rooms_updated" && e.groups!.includes(group)).flatMap((e) => (e.body.rooms as { room_id: string; status: string }[]).map((r) => `${r.room_id}:${r.status}`));
const announced = (emits: ReturnType<typeof listPush>["emits"], group: string) => emits.filter((e) => e.body.type === "room_created" && e.groups!.includes(group)).map((e) => e.body.room_id);

describe("the lobby list's two audiences (lobbyList.ts)", () => {
  it("tells the listing users of every room created and changed; the browsers of a room still joinable at the push only", () => {
    // r1 was created and filled between two pushes; r2 was created and is still waiting for a player.
    const state = lobby([full("r1"), room("r2")], []);
    const push = listPush(state, [created("r1"), created("r2")], [roomSummary(full("r1"))]);
    expect(announced(push.emits, LISTING)).toEqual(["r1", "r2"]);
    expect(updated(push.emits, LISTING)).toEqual(["r1:Waiting"]);
    expect(announced(push.emits, BROWSING)).toEqual(["r2"]);
    expect(updated(push.emits, BROWSING)).toEqual([]);
    expect(ids(push.shown)).toEqual(["r2"]);
    expect(push.entries).toEqual({ browsing: 1, listing: 3 });
  });

  it("tells the browsers once when a room they were shown fills, starts or ends, and nothing of it after", () => {
    const shownFull = listPush(lobby([full("r1")], ["r1"]), [], [roomSummary(full("r1"))]);
    expect(updated(shownFull.emits, BROWSING)).toEqual(["r1:Waiting"]);
    expect(ids(shownFull.shown)).toEqual([]);
    // Its start and end: the listing users only.
    const after = { ...lobby([full("r1", { status: "InProgress" })]), shown: shownFull.shown };
    const started = listPush(after, [], [roomSummary(full("r1", { status: "InProgress" }))]);
    expect(updated(started.emits, LISTING)).toEqual(["r1:InProgress"]);
    expect(updated(started.emits, BROWSING)).toEqual([]);
    const ended = listPush({ ...lobby([]), shown: started.shown }, [], [roomSummary(full("r1", { status: "Finished" }))]);
    expect(updated(ended.emits, BROWSING)).toEqual([]);
    expect(updated(ended.emits, LISTING)).toEqual(["r1:Finished"]);
    // A shown room that ends while still joinable (abandoned by its host) is told to the browsers.
    const abandoned = listPush(lobby([], ["r2"]), [], [roomSummary(room("r2", { status: "Abandoned" }))]);
    expect(updated(abandoned.emits, BROWSING)).toEqual(["r2:Abandoned"]);
    expect(ids(abandoned.shown)).toEqual([]);
  });

  it("shows the browsers a room that becomes joinable again, and its changes while it stays so", () => {
    // r1 was full (not shown); its second player left.
    const freed = listPush(lobby([room("r1")], []), [], [roomSummary(room("r1"))]);
    expect(updated(freed.emits, BROWSING)).toEqual(["r1:Waiting"]);
    expect(ids(freed.shown)).toEqual(["r1"]);
    // A spectator arrives: still joinable, still in view.
    const watched = room("r1", { spectators: [p("9")] });
    const again = listPush({ ...lobby([watched]), shown: freed.shown }, [], [roomSummary(watched)]);
    expect(updated(again.emits, BROWSING)).toEqual(["r1:Waiting"]);
  });

  it("sends one rooms_updated to both audiences when the browsers hear all of it, with the count of open rooms", () => {
    const push = listPush(lobby([room("r1"), full("r2", { status: "InProgress" })], ["r1"]), [], [roomSummary(room("r1", { spectators: [p("9")] }))]);
    expect(push.emits).toEqual([{ body: { type: "rooms_updated", rooms: [expect.objectContaining({ room_id: "r1" })], open_rooms: 2 }, groups: [BROWSING, LISTING] }]);
  });

  it("leaves out the frames only listing users would get when none is online, never the browsers'", () => {
    const state = lobby([full("r1"), room("r2")], []);
    const push = listPush(state, [created("r1"), created("r2")], [roomSummary(full("r1"))], false);
    expect(push.emits.map((e) => [e.body.type, e.body.room_id ?? null, e.groups])).toEqual([["room_created", "r2", [BROWSING, LISTING]]]);
    // The view moves all the same.
    expect(ids(push.shown)).toEqual(["r2"]);
  });

  it("tells the browsers of a lobby saved before the view existed every change once, then keeps the view", () => {
    const old = lobby([room("r1"), full("r2", { status: "InProgress" })]);
    const push = listPush(old, [], [roomSummary(full("r2", { status: "InProgress" }))]);
    expect(updated(push.emits, BROWSING)).toEqual(["r2:InProgress"]);
    // Its view starts as every joinable room, which is what its snapshot showed.
    expect(ids(push.shown)).toEqual(["r1"]);
    expect(browsersView(old).rooms.map((r) => r.room_id)).toEqual(["r1"]);
  });

  it("shows a connecting socket the browsers' view, rooms as they are now, and the count of open rooms", () => {
    const state = lobby([room("r1", { spectators: [p("9")] }), room("r3"), full("r2", { status: "InProgress" })], ["r1"]);
    const view = browsersView(state);
    expect(view.rooms).toEqual([expect.objectContaining({ room_id: "r1", spectator_count: 1 })]);
    expect(view.open_rooms).toBe(3);
    expect(hasEntry(state.shown!, "r3")).toBe(false);
  });
});
