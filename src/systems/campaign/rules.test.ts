import { describe, expect, it } from "vitest";
import { alice, ctx, dmAsPlayer, dmHttp, dmSocket, mallory, newCampaign, NOW_ISO, ok, service } from "./fixtures.ts";
import { apply } from "./rules.ts";
import { MAX_FRAME_BYTES } from "./schema.ts";

const loaded = (data: Record<string, unknown> = { narrative: "start", turn: "1" }) =>
  ok(apply(newCampaign(), { type: "campaign_loaded", structured_data: data }, ctx(dmSocket))).state;

describe("campaign rules", () => {
  it("load activates and broadcasts the seed's frame to everyone", () => {
    const r = ok(apply(newCampaign(), { type: "campaign_loaded", structured_data: { narrative: "start" } }, ctx(dmHttp)));
    expect(r.state).toMatchObject({ active: true, structured_data: { narrative: "start" }, changed_at: NOW_ISO });
    expect(r.emits).toEqual([{ body: { type: "campaign_loaded", timestamp: NOW_ISO, campaign_id: "camp-1", structured_data: { narrative: "start" } } }]);
    expect(r.result).toEqual({ campaign_id: "camp-1", active: true, structured_data: { narrative: "start" } });
  });

  it("update merges top-level fields and broadcasts the whole", () => {
    const r = ok(apply(loaded(), { type: "campaign_updated", structured_data: { narrative: "next", status: null } }, ctx(dmSocket)));
    expect(r.emits[0]!.body.structured_data).toEqual({ narrative: "next", turn: "1", status: null });
  });

  it("update and deactivate on an inactive campaign are CAMPAIGN_INACTIVE (409), and change nothing", () => {
    for (const command of [{ type: "campaign_updated", structured_data: {} }, { type: "campaign_deactivated" }] as const) {
      expect(apply(newCampaign(), command, ctx(dmSocket))).toMatchObject({ ok: false, code: "CAMPAIGN_INACTIVE", status: 409 });
    }
  });

  it("deactivate keeps the data for a later load but sends none", () => {
    const r = ok(apply(loaded(), { type: "campaign_deactivated" }, ctx(service)));
    expect(r.state).toMatchObject({ active: false, structured_data: { narrative: "start", turn: "1" } });
    expect(r.emits).toEqual([{ body: { type: "campaign_deactivated", timestamp: NOW_ISO, campaign_id: "camp-1" } }]);
  });

  it("a player socket never sends DM frames (DM_ONLY), even the DM's own; others are NOT_CAMPAIGN_DM", () => {
    const load = { type: "campaign_loaded", structured_data: {} } as const;
    expect(apply(newCampaign(), load, ctx(alice))).toMatchObject({ ok: false, code: "DM_ONLY", status: 403 });
    expect(apply(newCampaign(), load, ctx(dmAsPlayer))).toMatchObject({ ok: false, code: "DM_ONLY" });
    expect(apply(newCampaign(), load, ctx(mallory))).toMatchObject({ ok: false, code: "NOT_CAMPAIGN_DM", status: 403 });
    expect(apply(newCampaign(), load, ctx({ ...service, role: "player" }))).toMatchObject({ ok: false, code: "DM_ONLY" });
  });

  it("player_status reaches the DM only and is not logged; only player sockets send it", () => {
    const r = ok(apply(newCampaign(), { type: "player_status", status: "typing" }, ctx(alice)));
    expect(r.emits).toEqual([
      { body: { type: "player_status", user_id: "alice", username: "Alice", status: "typing", timestamp: NOW_ISO }, to: ["dm-1"], log: false },
    ]);
    expect(apply(newCampaign(), { type: "player_status", status: "ready" }, ctx(dmSocket))).toMatchObject({ ok: false, code: "PLAYERS_ONLY" });
  });

  it("a heartbeat is a reply with the time and changes nothing", () => {
    const state = newCampaign();
    const r = ok(apply(state, { type: "heartbeat" }, ctx(alice)));
    expect(r.state).toBe(state);
    expect(r.emits).toEqual([]);
    expect(r.replies).toEqual([{ type: "heartbeat", timestamp: NOW_ISO }]);
  });

  it("a merge that would pass 256 KiB is refused", () => {
    const half = "x".repeat(MAX_FRAME_BYTES / 2);
    const state = loaded({ narrative: half });
    expect(apply(state, { type: "campaign_updated", structured_data: { story_progression: half } }, ctx(dmSocket))).toMatchObject({
      ok: false,
      code: "STRUCTURED_DATA_TOO_LARGE",
      status: 413,
    });
  });
});
