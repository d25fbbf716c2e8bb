import { describe, expect, it } from "vitest";
import { alice, as, ctx, dmHttp, newTable, NOW_ISO, ok } from "./fixtures.ts";
import { applyTable } from "./rules.ts";
import { viewTable } from "./view.ts";
import { welcomeTable as welcome } from "./welcome.ts";

describe("campaign welcome and view (a DM's table)", () => {
  it("welcome is nothing while inactive, and the seed's campaign_active with the latest data while active", () => {
    expect(welcome(newTable(), { actor: alice, params: {} }, [], ctx(alice))).toEqual([]);
    const state = ok(applyTable(newTable(), { type: "campaign_loaded", structured_data: { narrative: "now" } }, ctx(dmHttp))).state;
    expect(welcome(state, { actor: as("bob", "player"), params: {} }, [], ctx(alice))).toEqual([
      { type: "campaign_active", campaign_id: "camp-1", structured_data: { narrative: "now" }, timestamp: NOW_ISO },
    ]);
  });

  it("a socket's view follows the active campaign; an HTTP reader of one campaign sees that one; the uninvited see no data", () => {
    let s = ok(applyTable(newTable(), { type: "register", campaign_id: "b", players: ["bob"], created_at: NOW_ISO }, ctx(as("hearth", "api")))).state;
    s = ok(applyTable(s, { type: "switch", campaign_id: "b", structured_data: { narrative: "B" } }, ctx(dmHttp))).state;
    expect(viewTable(s, as("bob", "player:camp-1"))).toMatchObject({ campaign_id: "b", active: true, structured_data: { narrative: "B" } });
    expect(viewTable(s, as("dm-1", "api:camp-1"))).toMatchObject({ campaign_id: "camp-1", active: false, active_campaign_id: "b", players: null });
    expect(viewTable(s, alice)).toMatchObject({ campaign_id: "b", structured_data: null });
    expect(viewTable(s, alice).players).toBeUndefined();
    expect(welcome(s, { actor: alice, params: {} }, [], ctx(alice))).toEqual([]);
  });
});
