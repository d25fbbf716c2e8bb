import { describe, expect, it } from "vitest";
import type { Applied, ApplyResult, KindCtx } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { gameKind, type GameState } from "./gameKind.ts";
import type { ToLobby } from "./messages.ts";

const LOBBY = "games:lobby:t";
const config = gameKind.config!.parse({ room_id: "room_1", room_name: "R", game_type: "bigger_dice", lobby: LOBBY, abandon_after_ms: 1000, host: { userId: "1", username: "one" } });
const ctx = (over: Partial<KindCtx> = {}) => testCtx({ config, now: 5000, ...over });
const ok = (r: ApplyResult<GameState>): Applied<GameState> => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
};
const user = (id: string) => ({ userId: id, username: `u${id}` });
const cmd = (state: GameState, id: string, command: Record<string, unknown>, c = ctx()) =>
  gameKind.receive!(state, { from: LOBBY, body: { op: "cmd", user: user(id), conn: `c${id}`, command: { room_id: "room_1", ...command } } }, c);
const told = (r: Applied<GameState>) => r.effects![0]!.body as unknown as ToLobby;

function running(): GameState {
  let s = gameKind.init(config, ctx());
  s = ok(cmd(s, "2", { type: "join_room" })).state;
  s = ok(cmd(s, "1", { type: "ready" })).state;
  return ok(cmd(s, "2", { type: "ready" })).state;
}

describe("gameKind", () => {
  it("takes messages only from its own lobby, and only well-formed ones", () => {
    const s = gameKind.init(config, ctx());
    expect(gameKind.receive!(s, { from: "games:lobby:other", body: { op: "open" } }, ctx())).toMatchObject({ ok: false, code: "NOT_MY_LOBBY" });
    expect(gameKind.receive!(s, { from: LOBBY, body: { op: "cmd", user: "1" } }, ctx())).toMatchObject({ ok: false, code: "BAD_MESSAGE" });
  });

  it("[S8] a socket on the game's own gateway follows it from there; one elsewhere is followed through the lobby", () => {
    const s = gameKind.init(config, ctx());
    const open = (holds: (conn: string) => boolean) => ok(gameKind.receive!(s, { from: LOBBY, body: { op: "open", conn: "c1" } }, ctx({ holds, head: 0, epoch: "e" })));
    // The host's socket is here: the game asks its gateway, and tells the lobby nothing (no summary changed).
    const here = open((conn) => conn === "c1");
    expect(here.follows).toEqual([{ userId: "1", connId: "c1", stream: "game:room_1", since: 0, epoch: "e" }]);
    expect(here.effects).toBeUndefined();
    // Elsewhere (or a game in an object of its own, no `holds`): the lobby is told, as before.
    for (const elsewhere of [open(() => false), ok(gameKind.receive!(s, { from: LOBBY, body: { op: "open", conn: "c1" } }, ctx({ head: 0, epoch: "e" })))]) {
      expect(elsewhere.follows).toBeUndefined();
      expect(told(elsewhere)).toEqual({ op: "events", room_id: "room_1", frames: [], follow: { userId: "1", conn: "c1", since: 0, epoch: "e" } });
    }
    // A joiner on the gateway follows from there, and the lobby still hears the new summary.
    const joined = ok(cmd(s, "2", { type: "join_room" }, ctx({ holds: () => true, head: 1, epoch: "e" })));
    expect(joined.follows).toEqual([{ userId: "2", connId: "c2", stream: "game:room_1", since: 1, epoch: "e" }]);
    expect(told(joined).follow).toBeUndefined();
    expect(told(joined).summary?.players.map((p) => p.userId)).toEqual(["1", "2"]);
  });

  it("[P14] [P5] answers a command with an id: the ack after its frames, or the error carrying the id (no error frame)", () => {
    const s = running();
    const turn = s.room.currentTurn!;
    const waiting = turn === "1" ? "2" : "1";
    const withId = (who: string, id: string) => gameKind.receive!(s, { from: LOBBY, body: { op: "cmd", user: user(who), conn: `c${who}`, id, command: { room_id: "room_1", type: "bigger_dice.roll" } } }, ctx());
    const rolled = ok(withId(turn, "r1"));
    expect(told(rolled).answer).toEqual({ userId: turn, conn: `c${turn}`, id: "r1" });
    // The frames go to the game's own followers ([S6]), not through the lobby.
    expect(rolled.emits.length).toBeGreaterThan(0);
    expect(told(rolled).frames).toEqual([]);
    const refused = ok(withId(waiting, "r2"));
    expect(refused.state).toBe(s);
    expect(told(refused)).toEqual({ op: "events", room_id: "room_1", frames: [], answer: { userId: waiting, conn: `c${waiting}`, id: "r2", error: { code: "NOT_YOUR_TURN", message: expect.any(String) } } });
  });

  it("answers a refusal with an error frame for the sender only and keeps the very same state", () => {
    const s = running();
    const waiting = s.room.currentTurn === "1" ? "2" : "1";
    const r = ok(cmd(s, waiting, { type: "bigger_dice.roll" }));
    expect(r.state).toBe(s);
    expect(r.emits).toEqual([]);
    expect(told(r)).toEqual({ op: "events", room_id: "room_1", frames: [{ body: { type: "error", code: "NOT_YOUR_TURN", message: expect.any(String), socket_id: `c${waiting}`, room_id: "room_1" }, to: [waiting] }] });
  });

  it("starts when both players are ready: game_started, turn 1, and a new summary for the lobby", () => {
    let s = gameKind.init(config, ctx());
    s = ok(cmd(s, "2", { type: "join_room" })).state;
    s = ok(cmd(s, "1", { type: "ready" })).state;
    const r = ok(cmd(s, "2", { type: "ready" }));
    expect(r.state.room).toMatchObject({ status: "InProgress", turnNumber: 1 });
    expect(told(r).summary).toMatchObject({ status: "InProgress" });
    // Every frame goes to the game's own log and its members (the sockets that follow it, [S6]).
    expect(r.emits.map((e) => e.body.type)).toEqual(["player_ready", "game_started", "turn_changed"]);
    expect(r.emits.every((e) => e.groups?.[0] === "members")).toBe(true);
  });

  it("starts the abandonment timer when the last player drops, clears it on rejoin, and abandons on wake", () => {
    let s = running();
    s = ok(gameKind.receive!(s, { from: LOBBY, body: { op: "gone", user: user("1") } }, ctx())).state;
    const both = ok(gameKind.receive!(s, { from: LOBBY, body: { op: "gone", user: user("2") } }, ctx()));
    expect(both.wakeAt).toBe(6000);
    const back = ok(cmd(both.state, "2", { type: "rejoin_room" }));
    expect(back.wakeAt).toBeNull();
    expect(ok(gameKind.wake!(back.state, ctx({ now: 6000 }))).state.room.status).toBe("InProgress");
    const gone = ok(gameKind.wake!(both.state, ctx({ now: 6000 })));
    expect(gone.state.room).toMatchObject({ status: "Abandoned", finishedAt: 6000 });
    expect(told(gone).summary).toMatchObject({ status: "Abandoned" });
  });

  it("starts the timer when the last connected player leaves a waiting room whose other player dropped", () => {
    let s = ok(cmd(gameKind.init(config, ctx()), "2", { type: "join_room" })).state;
    s = ok(gameKind.receive!(s, { from: LOBBY, body: { op: "gone", user: user("2") } }, ctx())).state;
    expect(s.abandonAt).toBeNull();
    const left = ok(cmd(s, "1", { type: "leave_room" }));
    expect(left.state.room).toMatchObject({ status: "Waiting", hostId: "2", players: [{ userId: "2", connected: false }] });
    expect(left.wakeAt).toBe(6000);
    expect(ok(gameKind.wake!(left.state, ctx({ now: 6000 }))).state.room.status).toBe("Abandoned");
  });

  it("forfeits a running game to the other player when one leaves", () => {
    const r = ok(cmd(running(), "1", { type: "leave_room" }));
    expect(r.state.room).toMatchObject({ status: "Finished", winnerId: "2" });
    expect(r.emits.map((f) => f.body)).toMatchObject([{ type: "player_left", user_id: 1 }, { type: "game_ended", winner_id: 2, reason: "forfeit" }]);
  });
});
