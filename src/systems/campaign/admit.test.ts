import { describe, expect, it } from "vitest";
import { admit } from "./admit.ts";
import { alice, dmAsPlayer, dmSocket, mallory, newCampaign, service } from "./fixtures.ts";
import { ROLE } from "./roles.ts";

describe("campaign admit", () => {
  const invited = newCampaign(["alice"]);

  it("the DM socket is the DM's alone", () => {
    expect(admit(invited, { actor: dmSocket, params: {} })).toBeNull();
    for (const actor of [{ ...alice, role: ROLE.dm }, { ...service, role: ROLE.dm }]) {
      expect(admit(newCampaign(), { actor, params: {} })).toMatchObject({ code: "NOT_CAMPAIGN_DM", status: 403 });
    }
  });

  it("with players, only they, the DM and services connect or read; without, any signed-in user", () => {
    expect(admit(invited, { actor: alice, params: {} })).toBeNull();
    expect(admit(invited, { actor: dmAsPlayer, params: {} })).toBeNull();
    expect(admit(invited, { actor: service, params: {} })).toBeNull();
    expect(admit(invited, { actor: mallory, params: {} })).toMatchObject({ code: "NOT_INVITED", status: 403 });
    expect(admit(newCampaign(), { actor: mallory, params: {} })).toBeNull();
  });
});
