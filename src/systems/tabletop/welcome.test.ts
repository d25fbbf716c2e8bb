import { describe, expect, it } from "vitest";
import { NOW, NOW_ISO, NO_FIGHT, NO_TURN, alice, bob, ctx, deepFreeze, dm, newSession, ok, sessionWith } from "./fixtures";
import { apply } from "./rules";
import { HISTORY_ON_JOIN, welcome } from "./welcome";

describe("welcome", () => {
  it("sends room_joined, player_list and the history so far, in that order", () => {
    const s = sessionWith([dm, alice]);
    const recent = [
      { event: "chat_message", data: { message: "hi" } },
      { event: "whisper", data: { message: "for alice", to_user_id: alice.userId } },
    ];
    const players = [
      { user_id: dm.userId, username: "Dana", is_dm: true, connected_at: NOW_ISO },
      { user_id: alice.userId, username: "Alice", is_dm: false, connected_at: NOW_ISO },
    ];
    expect(welcome(s, { actor: alice, params: {} }, recent)).toEqual([
      {
        event: "room_joined",
        data: { session_id: "session-42", campaign_id: "camp-7", player: players[1], players, combat: NO_FIGHT, turn: NO_TURN },
      },
      { event: "player_list", data: { players, total_players: 2 } },
      { event: "history", data: { entries: recent } },
    ]);
  });

  it("asks the core for the newest 50 logged frames", () => {
    expect(HISTORY_ON_JOIN).toBe(50);
  });

  it("shows a reconnecting player the fight as it is now", () => {
    let s = sessionWith([dm, alice]);
    s = deepFreeze(
      ok(apply(s, { type: "combat_update", combat: { active: true, participants: [{ name: "Orc", initiative: 4 }, { name: "Thorn", initiative: 9, user_id: alice.userId }] } }, ctx(dm))).state,
    );
    s = deepFreeze(ok(apply(s, { type: "turn_change", turn: "next" }, ctx(dm, { now: NOW + 30_000 }))).state);
    const frames = welcome(s, { actor: alice, params: {} }, []);
    expect(frames.map((f) => f.event)).toEqual(["room_joined", "player_list", "history", "combat_update", "turn_change"]);
    expect(frames[3]).toEqual({ event: "combat_update", data: { combat: s.combat, timestamp: "2024-01-15T10:00:30.000Z" } });
    expect(frames[4]).toMatchObject({
      event: "turn_change",
      data: { turn: { current_character_name: "Orc", current_turn: 1, round: 1 }, timestamp: "2024-01-15T10:00:30.000Z" },
    });
    expect(frames[0]).toMatchObject({ data: { combat: { active: true, current_turn: 1 } } });
  });

  it("still lists the joiner if the core has not run presence yet", () => {
    const s = sessionWith([dm]);
    const frames = welcome(s, { actor: bob, params: { character_id: "c-2" } }, []);
    const joiner = { user_id: bob.userId, username: "Bob", character_id: "c-2", is_dm: false, connected_at: NOW_ISO };
    expect(frames[0]).toMatchObject({ event: "room_joined", data: { player: joiner } });
    expect(frames[1]).toMatchObject({ event: "player_list", data: { total_players: 2 } });
    expect(s.players).toHaveLength(1);
  });

  it("works on a brand-new room", () => {
    expect(welcome(newSession(), { actor: dm, params: {} }, []).map((f) => f.event)).toEqual([
      "room_joined",
      "player_list",
      "history",
    ]);
  });
});
