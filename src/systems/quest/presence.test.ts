import { describe, expect, it } from "vitest";
import { isoTime } from "./deltas";
import { questAdmit } from "./presence";
import { QuestSession, ROOM, admin, ana, ben, publisher, stranger } from "./testHarness";

describe("presence", () => {
  it("a player's first socket: PLAYER_JOINED to the whole team, online in state", () => {
    const s = new QuestSession();
    const r = s.presence("join", ben);
    expect(r.emits).toEqual([
      { body: { type: "runtime_delta", sessionId: ROOM, deltas: [{ type: "PLAYER_JOINED", playerId: "p-ben", playerName: "Ben", timestamp: isoTime(s.now) }] } },
    ]);
    expect(s.state.players.find((p) => p.playerId === "p-ben")?.online).toBe(true);
    expect(s.state.players.find((p) => p.playerId === "p-ana")?.online).toBe(false);
  });

  it("the last socket closing: PLAYER_LEFT, offline again", () => {
    const s = new QuestSession();
    s.presence("join", ben);
    s.tick(60_000);
    const r = s.presence("leave", ben);
    expect(r.emits[0]?.body.deltas).toEqual([{ type: "PLAYER_LEFT", playerId: "p-ben", playerName: "Ben", timestamp: isoTime(s.now) }]);
    expect(s.state.players.find((p) => p.playerId === "p-ben")?.online).toBe(false);
  });

  it("services and strangers make no presence news", () => {
    const s = new QuestSession();
    const before = s.state;
    expect(s.presence("join", publisher).emits).toEqual([]);
    expect(s.presence("join", stranger).emits).toEqual([]);
    expect(s.state).toBe(before);
  });
});

describe("admit", () => {
  it("lets team members and services open a socket", () => {
    const { state } = new QuestSession();
    expect(questAdmit(state, { actor: ana, params: { teamCode: ROOM } })).toBeNull();
    expect(questAdmit(state, { actor: admin, params: {} })).toBeNull();
  });

  it("refuses anyone else with NOT_ON_TEAM (403, close 4003)", () => {
    const { state } = new QuestSession();
    expect(questAdmit(state, { actor: stranger, params: {} })).toMatchObject({ ok: false, code: "NOT_ON_TEAM", status: 403 });
  });
});
