import { describe, expect, it } from "vitest";
import { alice, ctx, dmSocket, newTable, NOW_ISO, ok } from "./fixtures.ts";
import { presenceTable as presence } from "./presence.ts";

describe("campaign presence (a DM's table)", () => {
  it("a player's join and leave go to the DM only, once each", () => {
    const joined = ok(presence(newTable(), { kind: "join", actor: alice, params: {} }, ctx(alice)));
    expect(joined.state.players_online).toEqual([{ user_id: "alice", username: "Alice", connected_at: NOW_ISO }]);
    expect(joined.emits).toEqual([{ body: { type: "player_joined", user_id: "alice", username: "Alice", timestamp: NOW_ISO }, to: ["dm-1"] }]);
    expect(ok(presence(joined.state, { kind: "join", actor: alice, params: {} }, ctx(alice))).emits).toEqual([]);
    const left = ok(presence(joined.state, { kind: "leave", actor: alice, params: {} }, ctx(alice)));
    expect(left.state.players_online).toEqual([]);
    expect(left.emits).toEqual([{ body: { type: "player_left", user_id: "alice", username: "Alice", timestamp: NOW_ISO }, to: ["dm-1"] }]);
    expect(ok(presence(left.state, { kind: "leave", actor: alice, params: {} }, ctx(alice))).emits).toEqual([]);
  });

  it("the DM is recorded online but never announced as a player", () => {
    const r = ok(presence(newTable(), { kind: "join", actor: dmSocket, params: {} }, ctx(dmSocket)));
    expect(r.state).toMatchObject({ dm_online: true, players_online: [] });
    expect(r.emits).toEqual([]);
    expect(ok(presence(r.state, { kind: "leave", actor: dmSocket, params: {} }, ctx(dmSocket))).state.dm_online).toBe(false);
  });
});
