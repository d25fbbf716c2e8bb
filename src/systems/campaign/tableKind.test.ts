import { describe, expect, it } from "vitest";
import type { Actor } from "../../core/kind.ts";
import { alice, ctx, NOW_ISO, ok, service } from "./fixtures.ts";
import { ROLE } from "./roles.ts";
import { admitTable, applyTable, initTable, viewTable, welcomeTable, type TableState } from "./tableKind.ts";

const at = (userId: string, role: string): Actor => ({ userId, name: userId, role, service: false, scopes: [] });
const dm = at("dm-1", ROLE.api);
const created_at = NOW_ISO;

function table(): TableState {
  const t = initTable({ dm_user_id: "dm-1", campaigns: [{ campaign_id: "a", created_at }] });
  return ok(applyTable(t, { type: "register", campaign_id: "b", players: ["bob"], created_at }, ctx(service))).state;
}

describe("a DM's table", () => {
  it("a switch deactivates the active campaign and loads the next in one commit, deactivated first", () => {
    const s1 = ok(applyTable(table(), { type: "switch", campaign_id: "a", structured_data: { narrative: "A" } }, ctx(dm)));
    expect(s1.result).toMatchObject({ dm_user_id: "dm-1", campaign_id: "a", deactivated: [] });
    const s2 = ok(applyTable(s1.state, { type: "switch", campaign_id: "b" }, ctx(dm)));
    expect(s2.state.active).toBe("b");
    expect(s2.result).toMatchObject({ campaign_id: "b", deactivated: ["a"], structured_data: {} });
    expect(s2.emits.map((e) => [e.body.type, e.body.campaign_id, e.to])).toEqual([
      ["campaign_deactivated", "a", undefined],
      ["campaign_loaded", "b", ["bob", "dm-1"]],
    ]);
    // Back to A without data: its last data.
    const s3 = ok(applyTable(s2.state, { type: "switch", campaign_id: "a" }, ctx(dm)));
    expect(s3.result).toMatchObject({ deactivated: ["b"], structured_data: { narrative: "A" } });
  });

  it("a DM frame names its campaign, else the one its sender came through, else the active one", () => {
    const s = ok(applyTable(table(), { type: "campaign_loaded", structured_data: { n: 1 } }, ctx(at("dm-1", "dm:b")))).state;
    expect(s.active).toBe("b");
    expect(ok(applyTable(s, { type: "campaign_updated", structured_data: { n: 2 } }, ctx(at("dm-1", ROLE.dm)))).emits[0]!.body).toMatchObject({ campaign_id: "b" });
    expect(applyTable(s, { type: "campaign_updated", campaign_id: "a", structured_data: {} }, ctx(dm))).toMatchObject({ ok: false, code: "CAMPAIGN_INACTIVE" });
    expect(applyTable(table(), { type: "campaign_deactivated" }, ctx(at("dm-1", ROLE.dm)))).toMatchObject({ ok: false, code: "NO_ACTIVE_CAMPAIGN" });
    expect(applyTable(s, { type: "switch", campaign_id: "zzz" }, ctx(dm))).toMatchObject({ ok: false, code: "CAMPAIGN_NOT_FOUND", status: 404 });
  });

  it("player sockets never send DM frames; others are NOT_CAMPAIGN_DM", () => {
    expect(applyTable(table(), { type: "switch", campaign_id: "a" }, ctx(at("dm-1", "player:a")))).toMatchObject({ ok: false, code: "DM_ONLY" });
    expect(applyTable(table(), { type: "switch", campaign_id: "a" }, ctx(at("mallory", "api:a")))).toMatchObject({ ok: false, code: "NOT_CAMPAIGN_DM" });
  });

  it("admission: by campaign, that campaign's invite list; by DM, any of the DM's campaigns", () => {
    const s = table();
    expect(admitTable(s, { actor: at("bob", "player:b"), params: {} })).toBeNull();
    expect(admitTable(s, { actor: at("eve", "player:b"), params: {} })).toMatchObject({ code: "NOT_INVITED" });
    expect(admitTable(s, { actor: at("eve", "player"), params: {} })).toBeNull(); // campaign a invites anyone
    expect(admitTable(s, { actor: at("eve", "dm:a"), params: {} })).toMatchObject({ code: "NOT_CAMPAIGN_DM" });
    const closed = initTable({ dm_user_id: "dm-1", campaigns: [{ campaign_id: "c", players: ["bob"], created_at }] });
    expect(admitTable(closed, { actor: at("eve", "player"), params: {} })).toMatchObject({ code: "NOT_INVITED" });
  });

  it("a socket's view and welcome follow the active campaign; an HTTP reader of one campaign sees that one", () => {
    const s = ok(applyTable(table(), { type: "switch", campaign_id: "b", structured_data: { narrative: "B" } }, ctx(dm))).state;
    expect(viewTable(s, at("bob", "player:a"))).toMatchObject({ campaign_id: "b", active: true, structured_data: { narrative: "B" } });
    expect(viewTable(s, at("dm-1", "api:a"))).toMatchObject({ campaign_id: "a", active: false, active_campaign_id: "b", players: null });
    // Not invited to the active campaign: no data, no welcome.
    expect(viewTable(s, alice)).toMatchObject({ campaign_id: "b", structured_data: null });
    expect(welcomeTable(s, { actor: alice, params: {} }, [], ctx(alice))).toEqual([]);
    expect(welcomeTable(s, { actor: at("bob", "player"), params: {} }, [], ctx(alice))).toEqual([{ type: "campaign_active", campaign_id: "b", structured_data: { narrative: "B" }, timestamp: NOW_ISO }]);
  });
});
