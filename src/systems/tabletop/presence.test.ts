import { describe, expect, it } from "vitest";
import { NOW, NOW_ISO, alice, bob, ctx, deepFreeze, dm, newSession, ok, sessionWith } from "./fixtures";
import { presence } from "./presence";
import { apply } from "./rules";

describe("presence", () => {
  it("the first user in the room is recorded without a broadcast (nobody to tell)", () => {
    const r = ok(presence(newSession(), { kind: "join", actor: dm, params: {} }, ctx(dm)));
    expect(r.state.players).toEqual([
      { user_id: dm.userId, username: "Dana", is_dm: true, connected_at: NOW_ISO },
    ]);
    expect(r.emits).toEqual([]);
  });

  it("a join tells everyone else, with the character from the socket's parameters", () => {
    const s = sessionWith([dm, bob]);
    const r = ok(
      presence(
        s,
        { kind: "join", actor: alice, params: { character_id: "789", character_name: "Thorn" } },
        ctx(alice, { online: [dm, bob, alice] }),
      ),
    );
    const thorn = {
      user_id: alice.userId,
      username: "Alice",
      character_id: "789",
      character_name: "Thorn",
      is_dm: false,
      connected_at: NOW_ISO,
    };
    expect(r.state.players.at(-1)).toEqual(thorn);
    expect(r.emits).toEqual([
      { body: { event: "player_joined", data: { player: thorn, total_players: 3 } }, to: [dm.userId, bob.userId] },
    ]);
  });

  it("a second join of the same user (second tab) changes nothing", () => {
    const s = sessionWith([dm, alice]);
    const r = ok(presence(s, { kind: "join", actor: alice, params: {} }, ctx(alice, { now: NOW + 5000 })));
    expect(r.state).toBe(s);
    expect(r.emits).toEqual([]);
  });

  it("ignores an oversized or empty character parameter and a huge display name", () => {
    const big = { ...bob, name: "B".repeat(500) };
    const r = ok(presence(newSession(), { kind: "join", actor: big, params: { character_id: "x".repeat(129), character_name: " " } }, ctx(big)));
    expect(r.state.players[0]).toEqual({ user_id: bob.userId, username: "B".repeat(100), is_dm: false, connected_at: NOW_ISO });
  });

  it("a leave tells the room; a second leave changes nothing", () => {
    const s = sessionWith([dm, alice, bob]);
    const r = ok(presence(s, { kind: "leave", actor: alice, params: {} }, ctx(alice)));
    expect(r.state.players.map((p) => p.user_id)).toEqual([dm.userId, bob.userId]);
    expect(r.emits).toEqual([
      {
        body: {
          event: "player_left",
          data: { player: { user_id: alice.userId, username: "Alice", is_dm: false, connected_at: NOW_ISO }, total_players: 2 },
        },
      },
    ]);
    const again = ok(presence(deepFreeze(r.state), { kind: "leave", actor: alice, params: {} }, ctx(alice)));
    expect(again.emits).toEqual([]);
    expect(again.state).toBe(r.state);
  });

  it("the DM leaving keeps the room, its fight and its players going", () => {
    let s = sessionWith([dm, alice, bob]);
    s = deepFreeze(ok(apply(s, { type: "combat_update", combat: { active: true, participants: [{ name: "Orc", initiative: 4 }] } }, ctx(dm))).state);
    const r = ok(presence(s, { kind: "leave", actor: dm, params: {} }, ctx(dm)));
    expect(r.state.combat.active).toBe(true);
    expect(r.state.players.map((p) => p.user_id)).toEqual([alice.userId, bob.userId]);
    expect(r.emits[0]?.body).toMatchObject({ event: "player_left", data: { player: { is_dm: true }, total_players: 2 } });
    // Players keep playing while the DM is away.
    expect(ok(apply(r.state, { type: "chat_message", message: "brb?" }, ctx(alice))).emits).toHaveLength(1);
  });
});
