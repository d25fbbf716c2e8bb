import { describe, expect, it } from "vitest";
import { alice, ctx, dmSocket, newCampaign, NOW_ISO, ok } from "./fixtures.ts";
import { apply } from "./rules.ts";
import { welcome } from "./welcome.ts";

describe("campaign welcome", () => {
  it("is nothing while inactive, and the seed's campaign_active with the latest data while active", () => {
    expect(welcome(newCampaign(), { actor: alice, params: {} }, [], ctx(alice))).toEqual([]);
    const state = ok(apply(newCampaign(), { type: "campaign_loaded", structured_data: { narrative: "now" } }, ctx(dmSocket))).state;
    expect(welcome(state, { actor: alice, params: {} }, [], ctx(alice))).toEqual([
      { type: "campaign_active", campaign_id: "camp-1", structured_data: { narrative: "now" }, timestamp: NOW_ISO },
    ]);
  });
});
