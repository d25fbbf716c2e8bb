import { describe, expect, it } from "vitest";
import quest from "../../../examples/quests/harbor-walk.json";
import { questConfigSchema } from "./schema";
import { initQuest, windowObjectIds } from "./state";
import { ROOM, T0 } from "./testHarness";

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
    expect(windowObjectIds(state)).toEqual(["object1", "object2"]);
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

  it("throws on a config the core should have refused", () => {
    expect(() => initQuest({ questId: "x", definition: quest, mode: "team" }, { now: T0, roomId: ROOM })).toThrow(/questId/);
  });

  it("is plain JSON: survives a round trip unchanged", () => {
    const state = initQuest(config(), { now: T0, roomId: ROOM });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
