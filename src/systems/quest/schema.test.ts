import { describe, expect, it } from "vitest";
import quest from "../../../examples/quests/harbor-walk.json";
import { questCommandSchema, questConfigSchema, questDefinitionSchema } from "./schema";

const minimal = () => ({
  questId: "q1",
  title: "Q",
  objects: [{ id: "o1", name: "One", timeline: [{ id: "n1", kind: "text" }] }],
});

/** The issues' paths and messages, which is what an author reads. */
function issues(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("quest definition", () => {
  it("accepts the harbor-walk example with its defaults filled in", () => {
    const def = questDefinitionSchema.parse(quest);
    expect(def.questId).toBe("harbor-walk");
    expect(def.window).toBe(2);
    expect(def.objects.map((o) => o.id)).toEqual(["object1", "object2", "object3"]);
    const intro = def.objects[0]?.timeline[0];
    expect(intro).toMatchObject({ id: "tl_object1__audio_intro", kind: "audio", scope: "session" });
    expect(def.objects[0]?.timeline[2]?.consensus).toEqual({ required: "all" });
    expect(def.objects[1]?.timeline[0]?.scope).toBe("player");
  });

  it("defaults teamTravelMode to co-located, window to 1 and scope to session", () => {
    const def = questDefinitionSchema.parse(minimal());
    expect(def.teamTravelMode).toBe("co-located");
    expect(def.window).toBe(1);
    expect(def.objects[0]?.timeline[0]?.scope).toBe("session");
  });

  it("names the duplicate object id", () => {
    const def = minimal();
    def.objects.push({ id: "o1", name: "Again", timeline: [{ id: "n2", kind: "text" }] });
    expect(issues(questDefinitionSchema, def)).toEqual([{ path: "objects.1.id", message: 'duplicate object id "o1"' }]);
  });

  it("names a node id that repeats in another object", () => {
    const def = minimal();
    def.objects.push({ id: "o2", name: "Two", timeline: [{ id: "n1", kind: "audio" }] });
    expect(issues(questDefinitionSchema, def)).toEqual([{ path: "objects.1.timeline.0.id", message: 'duplicate node id "n1"' }]);
  });

  it("requires answers on puzzles and refuses puzzle-only fields elsewhere", () => {
    const def = {
      ...minimal(),
      objects: [
        {
          id: "o1",
          name: "One",
          timeline: [
            { id: "p", kind: "puzzle" },
            { id: "t", kind: "text", answers: ["x"], maxAttempts: 2 },
            { id: "a", kind: "action", scope: "player", consensus: { required: "all" } },
            { id: "q", kind: "puzzle", answers: ["ok", "?!"] },
          ],
        },
      ],
    };
    expect(issues(questDefinitionSchema, def)).toEqual([
      { path: "objects.0.timeline.0.answers", message: "a puzzle node needs answers" },
      { path: "objects.0.timeline.1.answers", message: "answers are only for puzzle nodes" },
      { path: "objects.0.timeline.1.maxAttempts", message: "maxAttempts is only for puzzle nodes" },
      { path: "objects.0.timeline.2.consensus", message: 'consensus gates are session-scope; drop scope "player"' },
      { path: "objects.0.timeline.3.answers.1", message: "an answer needs at least one letter or digit" },
    ]);
  });

  it("rejects unknown fields so a typo like maxAttempt is not silently ignored", () => {
    const def = minimal();
    (def.objects[0]!.timeline[0] as Record<string, unknown>).maxAttempt = 3;
    const found = issues(questDefinitionSchema, def);
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe("objects.0.timeline.0");
    expect(found[0]?.message).toContain("maxAttempt");
  });

  it.each([
    ["window below 1", (d: any) => (d.window = 0), "window"],
    ["window not an integer", (d: any) => (d.window = 1.5), "window"],
    ["latitude beyond 90", (d: any) => (d.objects[0].location = { lat: 91, lng: 0, radiusM: 10 }), "objects.0.location.lat"],
    ["a negative radius", (d: any) => (d.objects[0].location = { lat: 0, lng: 0, radiusM: -1 }), "objects.0.location.radiusM"],
    ["an empty node id", (d: any) => (d.objects[0].timeline[0].id = ""), "objects.0.timeline.0.id"],
    ["an unknown node kind", (d: any) => (d.objects[0].timeline[0].kind = "video"), "objects.0.timeline.0.kind"],
    ["a questId unfit for a URL", (d: any) => (d.questId = "a/b"), "questId"],
    ["a 201-char title", (d: any) => (d.title = "x".repeat(201)), "title"],
    ["no objects", (d: any) => (d.objects = []), "objects"],
    ["consensus of 0", (d: any) => (d.objects[0].timeline[0].consensus = { required: 0 }), "objects.0.timeline.0.consensus.required"],
    ["consensus of 'most'", (d: any) => (d.objects[0].timeline[0].consensus = { required: "most" }), "objects.0.timeline.0.consensus.required"],
    [
      "a javascript: media url",
      (d: any) => (d.objects[0].timeline[0].media = { type: "audio", url: "javascript:alert(1)" }),
      "objects.0.timeline.0.media.url",
    ],
  ])("rejects %s and names the field", (_label, mutate, path) => {
    const def = minimal();
    mutate(def);
    expect(issues(questDefinitionSchema, def).map((i) => i.path)).toEqual([path]);
  });

  it("refuses an oversized definition", () => {
    const def = minimal();
    def.objects = Array.from({ length: 100 }, (_, i) => ({
      id: `o${i}`,
      name: "N",
      timeline: [{ id: `n${i}`, kind: "text", text: "x".repeat(4000) } as { id: string; kind: string }],
    }));
    expect(issues(questDefinitionSchema, def)[0]?.message).toMatch(/larger than 200000/);
  });
});

describe("room config", () => {
  it("accepts {questId, definition, mode}", () => {
    const config = questConfigSchema.parse({ questId: "harbor-walk", definition: quest, mode: "team" });
    expect(config.mode).toBe("team");
  });

  it("names questId when it differs from the definition's", () => {
    expect(issues(questConfigSchema, { questId: "other", definition: quest, mode: "team" })).toEqual([
      { path: "questId", message: "questId must equal definition.questId" },
    ]);
  });

  it("names players when a solo session lists two", () => {
    const players = [
      { playerId: "a", playerName: "A" },
      { playerId: "b", playerName: "B" },
    ];
    expect(issues(questConfigSchema, { questId: "harbor-walk", definition: quest, mode: "solo", players })).toEqual([
      { path: "players", message: "a solo session has one player" },
    ]);
  });

  it("names a bad definition field through the config path", () => {
    const definition = { ...minimal(), window: 0 };
    expect(issues(questConfigSchema, { questId: "q1", definition, mode: "team" }).map((i) => i.path)).toEqual(["definition.window"]);
  });
});

describe("commands", () => {
  it.each([
    { type: "OBJECT_ARRIVE", objectId: "object1" },
    { type: "OBJECT_ARRIVE", objectId: "object1", lat: 59.9, lng: 10.7, playerId: "p" },
    { type: "NODE_COMPLETE", nodeId: "n" },
    { type: "PUZZLE_SUBMIT", nodeId: "n", answer: "anchor" },
    { type: "ACTION_ATTEMPT", nodeId: "n" },
    { type: "ACTION_RESULT", nodeId: "n", success: false },
    { type: "REGISTER_PLAYER", playerId: "p", playerName: "P" },
    { type: "join", sessionId: "7TCJEM", playerName: "Ana" },
    { type: "join_session", sessionId: "7TCJEM" },
    { type: "player_state_update", lat: 1, lng: 2, accuracyM: 5 },
    { type: "BATCH", events: [{ type: "NODE_COMPLETE", nodeId: "n" }] },
  ])("accepts $type", (command) => {
    expect(questCommandSchema.parse(command)).toEqual(command);
  });

  it("reads a bare {events} body as a BATCH", () => {
    expect(questCommandSchema.parse({ events: [{ type: "ACTION_ATTEMPT", nodeId: "n" }] })).toEqual({
      type: "BATCH",
      events: [{ type: "ACTION_ATTEMPT", nodeId: "n" }],
    });
  });

  it("strips unknown fields from a position update so they are never relayed", () => {
    expect(questCommandSchema.parse({ type: "player_state_update", lat: 1, lng: 2, html: "<script>" })).toEqual({
      type: "player_state_update",
      lat: 1,
      lng: 2,
    });
  });

  it.each([
    ["an unknown type", { type: "TELEPORT" }, "type"],
    ["lat without lng", { type: "OBJECT_ARRIVE", objectId: "o", lat: 1 }, "lng"],
    ["a 201-char answer", { type: "PUZZLE_SUBMIT", nodeId: "n", answer: "x".repeat(201) }, "answer"],
    ["a non-boolean success", { type: "ACTION_RESULT", nodeId: "n", success: "yes" }, "success"],
    ["an empty nodeId", { type: "NODE_COMPLETE", nodeId: "" }, "nodeId"],
    ["a latitude of 100", { type: "player_state_update", lat: 100, lng: 0 }, "lat"],
    ["an empty batch", { type: "BATCH", events: [] }, "events"],
    ["a batch of 51", { type: "BATCH", events: Array.from({ length: 51 }, () => ({ type: "ACTION_ATTEMPT", nodeId: "n" })) }, "events"],
    ["a batch holding a REGISTER_PLAYER", { type: "BATCH", events: [{ type: "REGISTER_PLAYER", playerId: "p", playerName: "P" }] }, "events.0.type"],
    ["an empty playerName", { type: "REGISTER_PLAYER", playerId: "p", playerName: " " }, "playerName"],
  ])("rejects %s", (_label, command, path) => {
    expect(issues(questCommandSchema, command).map((i) => i.path)).toEqual([path]);
  });
});
