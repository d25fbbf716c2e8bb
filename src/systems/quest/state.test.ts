import { describe, expect, it } from "vitest";
import quest from "../../../examples/quests/harbor-walk.json";
import { questConfigSchema } from "./schema";
import { initQuest, windowObjectIds } from "./state";
import { QuestSession, ROOM, T0, ana, deepFreeze } from "./testHarness";

const config = (extra: Record<string, unknown> = {}) => ({ questId: "harbor-walk", definition: quest, mode: "team", ...extra });

describe("initQuest", () => {
  it("opens the first `window` objects and locks every node", () => {
    const state = initQuest(config(), { now: T0, roomId: ROOM });
    expect(state).toMatchObject({ sessionId: ROOM, questId: "harbor-walk", mode: "team", createdAt: T0, completedAt: null, players: [] });
    expect(state.objects).toMatchObject({
      object1: { status: "available", availableAt: T0, arrivals: [] },
      object2: { status: "available", availableAt: T0 },
      object3: { status: "locked", availableAt: null },
    });
    expect(Object.values(state.nodes).map((n) => n.status)).toEqual(Array(7).fill("locked"));
    expect(windowObjectIds(state, questConfigSchema.parse(config()).definition)).toEqual(["object1", "object2"]);
  });

  it("registers players named in the config, once each", () => {
    const players = [
      { playerId: "p-ana", playerName: "Ana" },
      { playerId: "p-ana", playerName: "Ana again" },
      { playerId: "p-ben", playerName: "Ben" },
    ];
    const state = initQuest(config({ players }), { now: T0, roomId: ROOM });
    expect(state.players).toEqual([
      { playerId: "p-ana", playerName: "Ana", registeredAt: T0, online: false },
      { playerId: "p-ben", playerName: "Ben", registeredAt: T0, online: false },
    ]);
  });

  // Was: `state.definition...answers`. The definition is moving out of state into the room's
  // config (ctx.config), so the answers are checked where they live from now on.
  it("keeps the answers server-side in the config (view() is what strips them)", () => {
    const parsed = questConfigSchema.parse(config());
    initQuest(parsed, { now: T0, roomId: ROOM });
    expect(parsed.definition.objects[0]?.timeline[1]?.answers).toEqual(["anchor", "an anchor"]);
  });

  it("stores progress only: no definition, no answers in state (every hook reads ctx.config)", () => {
    const state = initQuest(config(), { now: T0, roomId: ROOM });
    expect(state).not.toHaveProperty("definition");
    expect(JSON.stringify(state)).not.toContain("anchor");
  });

  it("throws on a config the core should have refused", () => {
    expect(() => initQuest({ questId: "x", definition: quest, mode: "team" }, { now: T0, roomId: ROOM })).toThrow(/questId/);
  });

  it("is plain JSON: survives a round trip unchanged", () => {
    const state = initQuest(config(), { now: T0, roomId: ROOM });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it("drops a definition that a state written before it moved to ctx.config still carries, with its next change", () => {
    const s = new QuestSession();
    s.state = deepFreeze({ ...s.state, definition: s.config.definition } as typeof s.state);
    s.presence("join", ana);
    expect(s.state).not.toHaveProperty("definition");
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1" });
    expect(s.state).not.toHaveProperty("definition");
  });
});
