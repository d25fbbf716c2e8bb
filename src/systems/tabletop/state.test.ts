import { describe, expect, it } from "vitest";
import { NOW, NOW_ISO, NO_FIGHT } from "./fixtures";
import { initTabletopState } from "./state";

describe("initTabletopState", () => {
  it("builds an empty room from the session config", () => {
    expect(
      initTabletopState({ campaign_id: "camp-7", dm_user_id: "dm-1", players: ["u-a"] }, { now: NOW, roomId: "s-1" }),
    ).toEqual({
      session_id: "s-1",
      campaign_id: "camp-7",
      dm_user_id: "dm-1",
      invited: ["u-a"],
      created_at: NOW_ISO,
      players: [],
      combat: NO_FIGHT,
      turn: null,
      combat_changed_at: null,
    });
  });

  it("keeps a given created_at and opens the room to everyone without a players list", () => {
    const s = initTabletopState(
      { campaign_id: 3, dm_user_id: 9, created_at: "2023-12-01T08:00:00Z" },
      { now: NOW, roomId: "s-2" },
    );
    expect(s).toMatchObject({ campaign_id: 3, dm_user_id: "9", invited: null, created_at: "2023-12-01T08:00:00Z" });
  });

  it("a config that does not validate yields a room without a DM rather than a crash", () => {
    expect(initTabletopState({ nonsense: true }, { now: NOW, roomId: "s-3" })).toMatchObject({
      campaign_id: "",
      dm_user_id: "",
      invited: null,
    });
  });
});
