import { describe, expect, it } from "vitest";
import { admit } from "./admit";
import { alice, carol, dm, mallory, newSession } from "./fixtures";

describe("admit", () => {
  const invited = newSession({ campaign_id: "c", dm_user_id: dm.userId, players: [alice.userId, carol.userId] });

  it("with a players list lets in the listed players and the DM", () => {
    expect(admit(invited, { actor: alice, params: {} })).toBeNull();
    expect(admit(invited, { actor: carol, params: {} })).toBeNull();
    expect(admit(invited, { actor: dm, params: {} })).toBeNull();
  });

  it("with a players list refuses anyone else with NOT_INVITED / 403", () => {
    expect(admit(invited, { actor: mallory, params: {} })).toEqual({
      ok: false,
      code: "NOT_INVITED",
      message: "You are not a player in this session",
      status: 403,
    });
  });

  it("without a players list lets any authenticated user in", () => {
    expect(admit(newSession(), { actor: mallory, params: {} })).toBeNull();
  });

  it("an empty players list admits only the DM", () => {
    const solo = newSession({ campaign_id: "c", dm_user_id: dm.userId, players: [] });
    expect(admit(solo, { actor: dm, params: {} })).toBeNull();
    expect(admit(solo, { actor: alice, params: {} })?.code).toBe("NOT_INVITED");
  });
});
