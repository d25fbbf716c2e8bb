import { describe, expect, it } from "vitest";
import { alice, as, ctx, dmAsPlayer, dmHttp, dmSocket, mallory, newTable, NOW_ISO, ok, service } from "./fixtures.ts";
import { campaignKind } from "./campaignKind.ts";
import { applyTable as apply } from "./rules.ts";
import { initRecord } from "./state.ts";
import { MAX_FRAME_BYTES } from "./schema.ts";

const loaded = (data: Record<string, unknown> = { narrative: "start", turn: "1" }) =>
  ok(apply(newTable(), { type: "campaign_loaded", structured_data: data }, ctx(dmSocket))).state;

describe("campaign rules (a DM's table, one campaign)", () => {
  it("load activates and broadcasts the seed's frame to everyone", () => {
    const r = ok(apply(newTable(), { type: "campaign_loaded", structured_data: { narrative: "start" } }, ctx(dmHttp)));
    expect(r.state).toMatchObject({ active: "camp-1", campaigns: { "camp-1": { structured_data: { narrative: "start" }, changed_at: NOW_ISO } } });
    expect(r.emits).toEqual([{ body: { type: "campaign_loaded", timestamp: NOW_ISO, campaign_id: "camp-1", structured_data: { narrative: "start" } } }]);
    expect(r.result).toEqual({ campaign_id: "camp-1", active: true, structured_data: { narrative: "start" }, deactivated: [] });
  });

  it("update merges top-level fields and broadcasts the whole", () => {
    const r = ok(apply(loaded(), { type: "campaign_updated", structured_data: { narrative: "next", status: null } }, ctx(dmSocket)));
    expect(r.emits[0]!.body.structured_data).toEqual({ narrative: "next", turn: "1", status: null });
  });

  it("update and deactivate on an inactive campaign are CAMPAIGN_INACTIVE (409), and change nothing", () => {
    for (const command of [{ type: "campaign_updated", structured_data: {} }, { type: "campaign_deactivated" }] as const) {
      expect(apply(newTable(), command, ctx(dmSocket))).toMatchObject({ ok: false, code: "CAMPAIGN_INACTIVE", status: 409 });
    }
  });

  it("deactivate saves the data to the campaign's record (outbox) and sends none; the table keeps only active data", () => {
    const r = ok(apply(loaded(), { type: "campaign_deactivated" }, ctx(service)));
    expect(r.state).toMatchObject({ active: null, campaigns: { "camp-1": { structured_data: null, saves: 1 } } });
    expect(r.emits).toEqual([{ body: { type: "campaign_deactivated", timestamp: NOW_ISO, campaign_id: "camp-1" } }]);
    expect(r.effects).toEqual([{ to: "campaign:camp-1", body: { op: "saved", saves: 1, structured_data: { narrative: "start", turn: "1" } } }]);
  });

  it("a player socket never sends DM frames (DM_ONLY), even the DM's own; others are NOT_CAMPAIGN_DM", () => {
    const load = { type: "campaign_loaded", structured_data: {} } as const;
    expect(apply(newTable(), load, ctx(alice))).toMatchObject({ ok: false, code: "DM_ONLY", status: 403 });
    expect(apply(newTable(), load, ctx(dmAsPlayer))).toMatchObject({ ok: false, code: "DM_ONLY" });
    expect(apply(newTable(), load, ctx(mallory))).toMatchObject({ ok: false, code: "NOT_CAMPAIGN_DM", status: 403 });
    expect(apply(newTable(), load, ctx({ ...service, role: "player:camp-1" }))).toMatchObject({ ok: false, code: "DM_ONLY" });
  });

  it("player_status reaches the DM only and is not logged; only player sockets send it", () => {
    const r = ok(apply(newTable(), { type: "player_status", status: "typing" }, ctx(alice)));
    expect(r.emits).toEqual([
      { body: { type: "player_status", user_id: "alice", username: "Alice", status: "typing", timestamp: NOW_ISO }, to: ["dm-1"], log: false },
    ]);
    expect(apply(newTable(), { type: "player_status", status: "ready" }, ctx(dmSocket))).toMatchObject({ ok: false, code: "PLAYERS_ONLY" });
  });

  it("a heartbeat is a reply with the time and changes nothing", () => {
    const state = newTable();
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

describe("campaign rules: switching at a DM's table", () => {
  const two = () => ok(apply(newTable(), { type: "register", campaign_id: "b", players: ["bob"], created_at: NOW_ISO }, ctx(service))).state;

  it("a switch deactivates the active campaign and loads the next in one commit, deactivated first", () => {
    const s1 = ok(apply(two(), { type: "switch", campaign_id: "camp-1", structured_data: { narrative: "A" } }, ctx(dmHttp)));
    expect(s1.result).toMatchObject({ dm_user_id: "dm-1", campaign_id: "camp-1", deactivated: [] });
    const s2 = ok(apply(s1.state, { type: "switch", campaign_id: "b" }, ctx(dmHttp)));
    expect(s2.state.active).toBe("b");
    expect(s2.result).toMatchObject({ campaign_id: "b", deactivated: ["camp-1"], structured_data: {} });
    // An invite-only campaign's frames go to its players and the DM; an open one's to everyone.
    expect(s2.emits.map((e) => [e.body.type, e.body.campaign_id, e.to])).toEqual([
      ["campaign_deactivated", "camp-1", undefined],
      ["campaign_loaded", "b", ["bob", "dm-1"]],
    ]);
    expect(s2.effects).toEqual([{ to: "campaign:camp-1", body: { op: "saved", saves: 1, structured_data: { narrative: "A" } } }]);
    // Back without data: the record's data, as the worker read it, if the record has every save; else STALE_DATA.
    for (const stored of [undefined, { saves: 0, structured_data: null }]) {
      expect(apply(s2.state, { type: "switch", campaign_id: "camp-1", ...(stored ? { stored } : {}) }, ctx(dmHttp))).toMatchObject({ ok: false, code: "STALE_DATA", status: 409 });
    }
    const s3 = ok(apply(s2.state, { type: "switch", campaign_id: "camp-1", stored: { saves: 1, structured_data: { narrative: "A" } } }, ctx(dmHttp)));
    expect(s3.result).toMatchObject({ deactivated: ["b"], structured_data: { narrative: "A" } });
    // B's data goes to its record in turn.
    expect(s3.effects).toEqual([{ to: "campaign:b", body: { op: "saved", saves: 1, structured_data: {} } }]);
    // Loading another campaign is the same switch.
    const s4 = ok(apply(s3.state, { type: "campaign_loaded", campaign_id: "b", structured_data: { n: 1 } }, ctx(dmSocket)));
    expect(s4.result).toMatchObject({ campaign_id: "b", deactivated: ["camp-1"] });
  });

  it("a DM frame names its campaign, else the one its sender came through, else the active one", () => {
    const s = ok(apply(two(), { type: "campaign_loaded", structured_data: { n: 1 } }, ctx(as("dm-1", "dm:b")))).state;
    expect(s.active).toBe("b");
    expect(ok(apply(s, { type: "campaign_updated", structured_data: { n: 2 } }, ctx(as("dm-1", "dm")))).emits[0]!.body).toMatchObject({ campaign_id: "b" });
    expect(apply(s, { type: "campaign_updated", campaign_id: "camp-1", structured_data: {} }, ctx(dmHttp))).toMatchObject({ ok: false, code: "CAMPAIGN_INACTIVE" });
    expect(apply(two(), { type: "campaign_deactivated" }, ctx(as("dm-1", "dm")))).toMatchObject({ ok: false, code: "NO_ACTIVE_CAMPAIGN" });
    expect(apply(s, { type: "switch", campaign_id: "zzz" }, ctx(dmHttp))).toMatchObject({ ok: false, code: "CAMPAIGN_NOT_FOUND", status: 404 });
  });

  it("registering is idempotent; a switch by a player socket is DM_ONLY, by anyone else NOT_CAMPAIGN_DM", () => {
    const t = two();
    expect(ok(apply(t, { type: "register", campaign_id: "b", created_at: NOW_ISO }, ctx(service))).state).toBe(t);
    expect(apply(t, { type: "switch", campaign_id: "b" }, ctx(dmAsPlayer))).toMatchObject({ ok: false, code: "DM_ONLY" });
    expect(apply(t, { type: "switch", campaign_id: "b" }, ctx(mallory))).toMatchObject({ ok: false, code: "NOT_CAMPAIGN_DM" });
  });
});

describe("campaign record", () => {
  it("applies the table's saves in order, once, from a table only", () => {
    const rec = initRecord({ campaign_id: "camp-1", dm_user_id: "dm-1" }, { now: 0, roomId: "camp-1" });
    const receive = campaignKind.receive!;
    const saved = (saves: number, narrative: string) => ({ from: "campaign.table:dm-1", body: { op: "saved", saves, structured_data: { narrative } } });
    const one = ok(receive(rec, saved(1, "one"), ctx(service))).state;
    expect(one).toMatchObject({ saves: 1, structured_data: { narrative: "one" } });
    expect(ok(receive(one, saved(1, "again"), ctx(service))).state).toBe(one);
    expect(receive(rec, { ...saved(1, "x"), from: "campaign:other" }, ctx(service))).toMatchObject({ ok: false, code: "NOT_A_TABLE" });
  });
});
