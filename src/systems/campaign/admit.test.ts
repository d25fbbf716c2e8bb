import { describe, expect, it } from "vitest";
import { admitTable as admit } from "./admit.ts";
import { alice, as, dmAsPlayer, dmSocket, mallory, newTable, NOW_ISO, service } from "./fixtures.ts";
import { initTable } from "./state.ts";

describe("campaign admit (a DM's table)", () => {
  const invited = newTable(["alice"]);

  it("the DM socket is the DM's alone", () => {
    expect(admit(invited, { actor: dmSocket, params: {} })).toBeNull();
    for (const actor of [as("alice", "dm:camp-1"), { ...service, role: "dm:camp-1" }, as("alice", "dm")]) {
      expect(admit(newTable(), { actor, params: {} })).toMatchObject({ code: "NOT_CAMPAIGN_DM", status: 403 });
    }
  });

  it("through a campaign: with players, only they, the DM and services connect or read; without, any signed-in user", () => {
    expect(admit(invited, { actor: alice, params: {} })).toBeNull();
    expect(admit(invited, { actor: dmAsPlayer, params: {} })).toBeNull();
    expect(admit(invited, { actor: service, params: {} })).toBeNull();
    expect(admit(invited, { actor: mallory, params: {} })).toMatchObject({ code: "NOT_INVITED", status: 403 });
    expect(admit(newTable(), { actor: mallory, params: {} })).toBeNull();
    expect(admit(newTable(), { actor: as("alice", "player:other"), params: {} })).toMatchObject({ code: "CAMPAIGN_NOT_FOUND" });
  });

  it("by DM (`?dm=`): allowed in at least one of the DM's campaigns", () => {
    const mixed = initTable({ dm_user_id: "dm-1", campaigns: [{ campaign_id: "c", players: ["bob"], created_at: NOW_ISO }] });
    expect(admit(mixed, { actor: as("bob", "player"), params: {} })).toBeNull();
    expect(admit(mixed, { actor: as("eve", "player"), params: {} })).toMatchObject({ code: "NOT_INVITED" });
    expect(admit(newTable(), { actor: as("eve", "player"), params: {} })).toBeNull();
  });
});
