import { describe, expect, it } from "vitest";
import { NOW_ISO, NO_FIGHT, NO_TURN, alice, bob, ctx, deepFreeze, dm, ok, sessionWith } from "./fixtures";
import { apply } from "./rules";
import { view } from "./view";

describe("view", () => {
  const config = { campaign_id: 7, dm_user_id: dm.userId, players: [alice.userId, bob.userId] };

  it("gives a player the session, who is online and the turn, without the invite list", () => {
    const s = sessionWith([dm, alice], config);
    expect(view(s, bob)).toEqual({
      session_id: "session-42",
      campaign_id: 7,
      created_at: NOW_ISO,
      dm_user_id: dm.userId,
      players: [
        { user_id: dm.userId, username: "Dana", is_dm: true, connected_at: NOW_ISO },
        { user_id: alice.userId, username: "Alice", is_dm: false, connected_at: NOW_ISO },
      ],
      player_count: 2,
      combat: NO_FIGHT,
      turn: NO_TURN,
      you: { user_id: bob.userId, is_dm: false, in_room: false },
    });
  });

  it("shows the DM the invite list", () => {
    const s = sessionWith([dm], config);
    expect(view(s, dm)).toMatchObject({ you: { is_dm: true, in_room: true }, invited: [alice.userId, bob.userId] });
  });

  it("never contains a whisper, for anyone", () => {
    let s = sessionWith([dm, alice, bob], config);
    s = deepFreeze(ok(apply(s, { type: "whisper", to_user_id: bob.userId, message: "the secret door" }, ctx(alice))).state);
    for (const viewer of [dm, alice, bob]) expect(JSON.stringify(view(s, viewer))).not.toContain("secret door");
  });
});
