import { describe, expect, it } from "vitest";
import { testCtx } from "../../core/testCtx.ts";
import type { QuestDelta } from "./deltas";
import { isoTime } from "./deltas";
import { questKind } from "./questKind";
import type { QuestSnapshot } from "./view";
import { AT_LIGHTHOUSE, QuestSession, ROOM, T0, admin, ana, ben, cai, publisher, types } from "./testHarness";

const SEED_DELTA_TYPES = [
  "PLAYER_JOINED",
  "PLAYER_LEFT",
  "OBJECT_AVAILABLE",
  "OBJECT_ARRIVED",
  "OBJECT_COMPLETED",
  "NODE_UNLOCKED",
  "NODE_COMPLETED",
  "PUZZLE_SUBMITTED",
  "ACTION_ATTEMPTED",
  "ACTION_SUCCESS",
  "ACTION_FAIL",
  "CONSENSUS_UPDATED",
];

describe("questKind", () => {
  it("is the quest kind with its schemas and hooks", () => {
    expect(questKind.name).toBe("quest");
    expect(questKind.config).toBeDefined();
    expect(typeof questKind.sockets!.presence).toBe("function");
    expect(typeof questKind.sockets!.admit).toBe("function");
    expect(questKind.limits).toBeUndefined();
  });
});

describe("a team of three walks harbor-walk end to end", () => {
  it("emits every seed delta type where it belongs and completes the quest", () => {
    const s = new QuestSession({ players: [] });
    const seen: QuestDelta[] = [];
    const step = (actor: typeof ana, command: unknown) => {
      const deltas = s.ok(actor, command);
      for (const d of deltas) expect(d.timestamp).toBe(isoTime(s.now));
      seen.push(...deltas);
      s.tick(1000);
      return deltas;
    };

    // The worker registers the team.
    for (const p of [ana, ben, cai]) {
      const at = isoTime(s.now);
      expect(step(admin, { type: "REGISTER_PLAYER", playerId: p.userId, playerName: p.name })).toEqual([
        { type: "PLAYER_REGISTERED", playerId: p.userId, playerName: p.name, timestamp: at },
      ]);
    }

    // Ana's phone connects.
    const joined = s.presence("join", ana);
    expect(joined.emits).toEqual([
      { body: { type: "runtime_delta", sessionId: ROOM, deltas: [{ type: "PLAYER_JOINED", playerId: "p-ana", playerName: "Ana", timestamp: isoTime(s.now) }] } },
    ]);
    seen.push(...(joined.emits[0]!.body.deltas as QuestDelta[]));
    const joinedReply = s.accepted(ana, { type: "join", sessionId: ROOM, playerName: "Ana" });
    expect(joinedReply.replies).toEqual([{ type: "joined", sessionId: ROOM, playerId: "p-ana", playerName: "Ana" }]);

    // Window 2: the first two objects are available from the start (no delta: init has no emits).
    const start = questKind.view(s.state, ana, testCtx({ config: s.config })) as QuestSnapshot;
    expect(start.availableObjectIds).toEqual(["object1", "object2"]);

    // Object 1: arrival unlocks the audio intro.
    expect(step(ana, { type: "OBJECT_ARRIVE", objectId: "object1", ...AT_LIGHTHOUSE })).toMatchObject([
      { type: "OBJECT_ARRIVED", playerId: "p-ana", objectId: "object1", first: true },
      { type: "NODE_UNLOCKED", playerId: "p-ana", objectId: "object1", nodeId: "tl_object1__audio_intro" },
    ]);
    expect(step(ben, { type: "OBJECT_ARRIVE", objectId: "object1" })).toMatchObject([
      { type: "OBJECT_ARRIVED", playerId: "p-ben", objectId: "object1", first: false },
    ]);
    expect(step(ben, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" })).toMatchObject([
      { type: "NODE_COMPLETED", playerId: "p-ben", nodeId: "tl_object1__audio_intro", scope: "session" },
      { type: "NODE_UNLOCKED", nodeId: "tl_object1__riddle" },
    ]);

    // The riddle: a wrong answer is counted and shared, then an uppercased, padded right one.
    expect(step(cai, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "boat" })).toMatchObject([
      { type: "PUZZLE_SUBMITTED", playerId: "p-cai", correct: false, attempts: 1, attemptsLeft: 2 },
    ]);
    expect(step(ana, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "  AN   Anchor! " })).toMatchObject([
      { type: "PUZZLE_SUBMITTED", playerId: "p-ana", correct: true, attempts: 2, attemptsLeft: 1 },
      { type: "NODE_COMPLETED", playerId: "p-ana", nodeId: "tl_object1__riddle", scope: "session" },
      { type: "NODE_UNLOCKED", nodeId: "tl_object1__lift" },
    ]);

    // The lift needs all three; a failed try and a repeated success change no count.
    expect(types(step(ana, { type: "ACTION_ATTEMPT", nodeId: "tl_object1__lift" }))).toEqual(["ACTION_ATTEMPTED"]);
    expect(types(step(ana, { type: "ACTION_RESULT", nodeId: "tl_object1__lift", success: false }))).toEqual(["ACTION_FAIL"]);
    expect(step(ana, { type: "ACTION_RESULT", nodeId: "tl_object1__lift", success: true })).toMatchObject([
      { type: "ACTION_SUCCESS", playerId: "p-ana" },
      { type: "CONSENSUS_UPDATED", playerId: "p-ana", nodeId: "tl_object1__lift", count: 1, required: 3 },
    ]);
    s.rejected(ana, { type: "ACTION_RESULT", nodeId: "tl_object1__lift", success: true }, "ALREADY_COUNTED", 409);
    expect(step(ben, { type: "ACTION_RESULT", nodeId: "tl_object1__lift", success: true })).toMatchObject([
      { type: "ACTION_SUCCESS", playerId: "p-ben" },
      { type: "CONSENSUS_UPDATED", count: 2, required: 3 },
    ]);
    // Cai's result arrives from a backend service acting for Cai; the gate closes and the window slides.
    expect(step(publisher, { type: "ACTION_RESULT", nodeId: "tl_object1__lift", success: true, playerId: "p-cai" })).toMatchObject([
      { type: "ACTION_SUCCESS", playerId: "p-cai" },
      { type: "CONSENSUS_UPDATED", playerId: "p-cai", count: 3, required: 3 },
      { type: "NODE_COMPLETED", playerId: "p-cai", nodeId: "tl_object1__lift", scope: "session" },
      { type: "OBJECT_COMPLETED", playerId: "p-cai", objectId: "object1" },
      { type: "OBJECT_AVAILABLE", objectId: "object3" },
    ]);

    // Object 2: the letter is per player; the district puzzle waits for all three.
    expect(types(step(cai, { type: "OBJECT_ARRIVE", objectId: "object2" }))).toEqual(["OBJECT_ARRIVED", "NODE_UNLOCKED"]);
    expect(step(ana, { type: "NODE_COMPLETE", nodeId: "tl_object2__letter" })).toMatchObject([
      { type: "NODE_COMPLETED", playerId: "p-ana", nodeId: "tl_object2__letter", scope: "player" },
    ]);
    s.rejected(ana, { type: "PUZZLE_SUBMIT", nodeId: "tl_object2__district", answer: "x" }, "NODE_LOCKED", 409);
    s.rejected(ana, { type: "NODE_COMPLETE", nodeId: "tl_object2__letter" }, "NODE_ALREADY_COMPLETED", 409);
    expect(types(step(ben, { type: "NODE_COMPLETE", nodeId: "tl_object2__letter" }))).toEqual(["NODE_COMPLETED"]);
    expect(step(cai, { type: "NODE_COMPLETE", nodeId: "tl_object2__letter" })).toMatchObject([
      { type: "NODE_COMPLETED", playerId: "p-cai", scope: "player" },
      { type: "NODE_UNLOCKED", nodeId: "tl_object2__district" },
    ]);
    // The author wrote "Bjørvika"; Ben types it without the ø.
    expect(step(ben, { type: "PUZZLE_SUBMIT", nodeId: "tl_object2__district", answer: "BJORVIKA" })).toMatchObject([
      { type: "PUZZLE_SUBMITTED", correct: true, attempts: 1, attemptsLeft: 4 },
      { type: "NODE_COMPLETED", nodeId: "tl_object2__district" },
      { type: "OBJECT_COMPLETED", objectId: "object2" },
    ]);

    // Object 3: a numeric gate of 2, then the farewell ends the quest.
    expect(types(step(ana, { type: "OBJECT_ARRIVE", objectId: "object3" }))).toEqual(["OBJECT_ARRIVED", "NODE_UNLOCKED"]);
    expect(step(ben, { type: "ACTION_RESULT", nodeId: "tl_object3__stamp", success: true })).toMatchObject([
      { type: "ACTION_SUCCESS" },
      { type: "CONSENSUS_UPDATED", count: 1, required: 2 },
    ]);
    expect(step(ana, { type: "ACTION_RESULT", nodeId: "tl_object3__stamp", success: true })).toMatchObject([
      { type: "ACTION_SUCCESS" },
      { type: "CONSENSUS_UPDATED", count: 2, required: 2 },
      { type: "NODE_COMPLETED", nodeId: "tl_object3__stamp" },
      { type: "NODE_UNLOCKED", nodeId: "tl_object3__farewell" },
    ]);
    s.rejected(cai, { type: "ACTION_RESULT", nodeId: "tl_object3__stamp", success: true }, "NODE_ALREADY_COMPLETED", 409);
    const finishedAt = isoTime(s.now);
    expect(step(cai, { type: "NODE_COMPLETE", nodeId: "tl_object3__farewell" })).toMatchObject([
      { type: "NODE_COMPLETED", playerId: "p-cai", nodeId: "tl_object3__farewell" },
      { type: "OBJECT_COMPLETED", objectId: "object3" },
      { type: "QUEST_COMPLETED", playerId: "p-cai", questId: "harbor-walk" },
    ]);

    const left = s.presence("leave", ana);
    seen.push(...(left.emits[0]!.body.deltas as QuestDelta[]));

    const seenTypes = new Set(seen.map((d) => d.type));
    for (const type of SEED_DELTA_TYPES) expect(seenTypes, type).toContain(type);
    expect(seenTypes).toContain("QUEST_COMPLETED");

    const end = questKind.view(s.state, ben, testCtx({ config: s.config })) as QuestSnapshot;
    expect(end).toMatchObject({ status: "completed", completed: true, objectsCompleted: 3, objectsTotal: 3, availableObjectIds: [] });
    expect(end.completedAt).toBe(finishedAt);
    expect(end.createdAt).toBe(isoTime(T0));
    expect(end.players).toEqual([
      { playerId: "p-ana", playerName: "Ana", online: false },
      { playerId: "p-ben", playerName: "Ben", online: false },
      { playerId: "p-cai", playerName: "Cai", online: false },
    ]);
  });

  it("replays the same commands to the same state (apply is deterministic)", () => {
    const script = (s: QuestSession) => {
      s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1" });
      s.tick(10).ok(ben, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" });
      s.tick(10).ok(cai, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "rope" });
      s.tick(10).ok(ana, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "anchor" });
      return JSON.stringify(s.state);
    };
    expect(script(new QuestSession())).toBe(script(new QuestSession()));
  });
});
