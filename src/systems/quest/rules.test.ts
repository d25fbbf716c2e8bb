import { describe, expect, it } from "vitest";
import type { Actor } from "../../core/kind.ts";
import { isoTime } from "./deltas";
import { POSITION_INTERVAL_MS } from "./rules";
import { AT_LIGHTHOUSE, FAR_AWAY, QuestSession, ROOM, admin, ana, ben, cai, player, publisher, stranger, types } from "./testHarness";

/** A quest of `n` objects with one text node each, for window tests. */
function chain(n: number, window: number) {
  return {
    questId: "chain",
    title: "Chain",
    window,
    objects: Array.from({ length: n }, (_, i) => ({
      id: `o${i + 1}`,
      name: `Object ${i + 1}`,
      timeline: [{ id: `n${i + 1}`, kind: "text" }],
    })),
  };
}

/** One object whose timeline is exactly `timeline`, then a text node `after`. */
function single(timeline: unknown[], extra: Record<string, unknown> = {}) {
  return {
    questId: "single",
    title: "Single",
    ...extra,
    objects: [{ id: "o1", name: "Only", timeline: [...timeline, { id: "after", kind: "text" }] }],
  };
}

/** harbor-walk with the riddle unlocked. */
function atRiddle(players: Actor[] = [ana, ben, cai]) {
  const s = new QuestSession({ players });
  s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1" });
  s.ok(ana, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" });
  return s;
}

const submit = (nodeId: string, answer: string) => ({ type: "PUZZLE_SUBMIT", nodeId, answer });
const success = (nodeId: string, extra: Record<string, unknown> = {}) => ({ type: "ACTION_RESULT", nodeId, success: true, ...extra });

describe("who acts", () => {
  it("a player acts for themselves; naming the same id is fine", () => {
    const s = new QuestSession();
    expect(s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1", playerId: "p-ana" })[0]).toMatchObject({ playerId: "p-ana" });
  });

  it("FORBIDDEN (403) when a player token names another player", () => {
    new QuestSession().rejected(ana, { type: "OBJECT_ARRIVE", objectId: "object1", playerId: "p-ben" }, "FORBIDDEN", 403);
  });

  it("NOT_ON_TEAM (403) for a player outside the roster, also via a service", () => {
    const s = new QuestSession();
    s.rejected(stranger, { type: "OBJECT_ARRIVE", objectId: "object1" }, "NOT_ON_TEAM", 403);
    s.rejected(publisher, { type: "OBJECT_ARRIVE", objectId: "object1", playerId: "p-eve" }, "NOT_ON_TEAM", 403);
  });

  it("PLAYER_ID_REQUIRED (400) for a service that names nobody", () => {
    new QuestSession().rejected(publisher, { type: "OBJECT_ARRIVE", objectId: "object1" }, "PLAYER_ID_REQUIRED", 400);
  });

  it("FORBIDDEN (403) for a service without a publishing scope", () => {
    const reader: Actor = { ...publisher, scopes: [] };
    new QuestSession().rejected(reader, { type: "OBJECT_ARRIVE", objectId: "object1", playerId: "p-ana" }, "FORBIDDEN", 403);
  });

  it("a rooms:admin service may act for a player too", () => {
    expect(new QuestSession().ok(admin, { type: "OBJECT_ARRIVE", objectId: "object1", playerId: "p-cai" })[0]).toMatchObject({
      type: "OBJECT_ARRIVED",
      playerId: "p-cai",
    });
  });
});

describe("arrival", () => {
  it("inside the radius: OBJECT_ARRIVED then NODE_UNLOCKED of the first node", () => {
    const s = new QuestSession();
    expect(s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1", lat: 59.9141, lng: 10.7525 })).toEqual([
      { type: "OBJECT_ARRIVED", playerId: "p-ana", objectId: "object1", first: true, timestamp: isoTime(s.now) },
      { type: "NODE_UNLOCKED", playerId: "p-ana", objectId: "object1", nodeId: "tl_object1__audio_intro", timestamp: isoTime(s.now) },
    ]);
    expect(s.state.objects.object1?.status).toBe("arrived");
  });

  it("OUT_OF_RANGE (409) outside the radius, with the distance", () => {
    const r = new QuestSession().rejected(ana, { type: "OBJECT_ARRIVE", objectId: "object1", ...FAR_AWAY }, "OUT_OF_RANGE", 409);
    expect(r.details).toEqual({ distanceM: 1112, radiusM: 40 });
  });

  it("UNKNOWN_OBJECT (404)", () => {
    new QuestSession().rejected(ana, { type: "OBJECT_ARRIVE", objectId: "object9" }, "UNKNOWN_OBJECT", 404);
  });

  it("OBJECT_NOT_AVAILABLE (409) outside the window", () => {
    new QuestSession().rejected(ana, { type: "OBJECT_ARRIVE", objectId: "object3", lat: 59.9075, lng: 10.744 }, "OBJECT_NOT_AVAILABLE", 409);
  });

  it("ALREADY_ARRIVED (409) for the same player twice; a teammate's arrival is recorded without re-unlocking", () => {
    const s = new QuestSession();
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1", ...AT_LIGHTHOUSE });
    s.rejected(ana, { type: "OBJECT_ARRIVE", objectId: "object1" }, "ALREADY_ARRIVED", 409);
    expect(s.ok(ben, { type: "OBJECT_ARRIVE", objectId: "object1" })).toMatchObject([{ type: "OBJECT_ARRIVED", playerId: "p-ben", first: false }]);
    expect(s.state.objects.object1?.arrivals.map((a) => a.playerId)).toEqual(["p-ana", "p-ben"]);
  });

  it("OBJECT_ALREADY_COMPLETED (409) once the object is done", () => {
    const s = new QuestSession({ definition: chain(2, 1) });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    s.ok(ana, { type: "NODE_COMPLETE", nodeId: "n1" });
    s.rejected(ben, { type: "OBJECT_ARRIVE", objectId: "o1" }, "OBJECT_ALREADY_COMPLETED", 409);
  });

  it("an object with an empty timeline completes on arrival", () => {
    const def = chain(2, 1);
    def.objects[0]!.timeline = [];
    const s = new QuestSession({ definition: def });
    expect(types(s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" }))).toEqual(["OBJECT_ARRIVED", "OBJECT_COMPLETED", "OBJECT_AVAILABLE"]);
  });
});

describe("nodes", () => {
  it("UNKNOWN_NODE (404)", () => {
    new QuestSession().rejected(ana, { type: "NODE_COMPLETE", nodeId: "tl_nope" }, "UNKNOWN_NODE", 404);
  });

  it("NODE_LOCKED (409) before the object is reached and before the previous node is done", () => {
    const s = new QuestSession();
    s.rejected(ana, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" }, "NODE_LOCKED", 409);
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1" });
    s.rejected(ana, submit("tl_object1__riddle", "anchor"), "NODE_LOCKED", 409);
  });

  it("NODE_KIND_MISMATCH (400) when the event does not fit the node", () => {
    const s = atRiddle();
    s.rejected(ana, { type: "NODE_COMPLETE", nodeId: "tl_object1__riddle" }, "NODE_KIND_MISMATCH", 400);
    s.rejected(ana, { type: "ACTION_ATTEMPT", nodeId: "tl_object1__riddle" }, "NODE_KIND_MISMATCH", 400);
    s.rejected(ana, submit("tl_object1__audio_intro", "x"), "NODE_KIND_MISMATCH", 400);
  });

  it("NODE_ALREADY_COMPLETED (409) for a finished session node, from anyone", () => {
    const s = atRiddle();
    s.rejected(ben, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" }, "NODE_ALREADY_COMPLETED", 409);
  });
});

describe("puzzles", () => {
  it("a wrong answer is accepted as a counted attempt: PUZZLE_SUBMITTED {correct:false}, nothing unlocks", () => {
    const s = atRiddle();
    expect(s.ok(ben, submit("tl_object1__riddle", "a boat"))).toEqual([
      {
        type: "PUZZLE_SUBMITTED",
        playerId: "p-ben",
        objectId: "object1",
        nodeId: "tl_object1__riddle",
        correct: false,
        attempts: 1,
        attemptsLeft: 2,
        timestamp: isoTime(s.now),
      },
    ]);
    expect(s.state.nodes.tl_object1__riddle).toMatchObject({ status: "unlocked", teamAttempts: 1 });
    expect(s.state.nodes.tl_object1__lift?.status).toBe("locked");
  });

  it("never echoes the submitted answer to the team", () => {
    const s = atRiddle();
    expect(JSON.stringify(s.ok(ana, submit("tl_object1__riddle", "Anchor")))).not.toMatch(/anchor/i);
  });

  it("accepts accents, case and spacing that differ from the author's answer", () => {
    const s = new QuestSession({ definition: single([{ id: "p", kind: "puzzle", answers: ["Café Bjørvika"] }]) });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(ana, submit("p", "  CAFE   bjorvika ")).map((d) => d.type)).toEqual(["PUZZLE_SUBMITTED", "NODE_COMPLETED", "NODE_UNLOCKED"]);
  });

  it("a team puzzle shares one budget; the last wrong try closes it as failed and the walk goes on", () => {
    const s = atRiddle();
    s.ok(ana, submit("tl_object1__riddle", "rope"));
    s.ok(ben, submit("tl_object1__riddle", "sail"));
    expect(s.ok(cai, submit("tl_object1__riddle", "mast"))).toMatchObject([
      { type: "PUZZLE_SUBMITTED", playerId: "p-cai", correct: false, attempts: 3, attemptsLeft: 0 },
      { type: "NODE_COMPLETED", playerId: "p-cai", nodeId: "tl_object1__riddle", scope: "session", failed: true },
      { type: "NODE_UNLOCKED", nodeId: "tl_object1__lift" },
    ]);
    expect(s.state.nodes.tl_object1__riddle).toMatchObject({ status: "completed", failed: true });
    // Even the right answer is refused now, with the stable code.
    const r = s.rejected(ana, submit("tl_object1__riddle", "anchor"), "ATTEMPTS_EXHAUSTED", 409);
    expect(r.details).toEqual({ maxAttempts: 3 });
  });

  it("a team puzzle solved on its last attempt is NODE_ALREADY_COMPLETED, not exhausted", () => {
    const s = atRiddle();
    s.ok(ana, submit("tl_object1__riddle", "rope"));
    s.ok(ana, submit("tl_object1__riddle", "sail"));
    expect(s.ok(ana, submit("tl_object1__riddle", "anchor"))[0]).toMatchObject({ correct: true, attemptsLeft: 0 });
    s.rejected(ben, submit("tl_object1__riddle", "anchor"), "NODE_ALREADY_COMPLETED", 409);
  });

  it("a solved puzzle does not carry a failed flag", () => {
    const s = atRiddle();
    const [, completed] = s.ok(ana, submit("tl_object1__riddle", "anchor"));
    expect(completed).not.toHaveProperty("failed");
  });

  it("a player-scope puzzle gives each player their own budget", () => {
    const s = new QuestSession({ definition: single([{ id: "p", kind: "puzzle", scope: "player", answers: ["42"], maxAttempts: 1 }]) });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(ana, submit("p", "41"))).toMatchObject([
      { type: "PUZZLE_SUBMITTED", correct: false, attempts: 1, attemptsLeft: 0 },
      { type: "NODE_COMPLETED", playerId: "p-ana", scope: "player", failed: true },
    ]);
    s.rejected(ana, submit("p", "42"), "ATTEMPTS_EXHAUSTED", 409);
    expect(s.ok(ben, submit("p", "42"))).toMatchObject([
      { type: "PUZZLE_SUBMITTED", playerId: "p-ben", correct: true, attempts: 1, attemptsLeft: 0 },
      { type: "NODE_COMPLETED", playerId: "p-ben", scope: "player" },
    ]);
    s.rejected(ben, submit("p", "42"), "NODE_ALREADY_COMPLETED", 409);
    // The last player done closes the node for the team and the next one unlocks.
    expect(s.ok(cai, submit("p", "42"))).toMatchObject([
      { type: "PUZZLE_SUBMITTED", playerId: "p-cai", correct: true },
      { type: "NODE_COMPLETED", playerId: "p-cai", scope: "player" },
      { type: "NODE_UNLOCKED", nodeId: "after" },
    ]);
    expect(s.state.nodes.p).toMatchObject({ status: "completed", succeeded: ["p-ben", "p-cai"], exhausted: ["p-ana"] });
  });

  it("without maxAttempts, attempts are counted but never run out", () => {
    const s = new QuestSession({ definition: single([{ id: "p", kind: "puzzle", answers: ["yes"] }]) });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    for (let i = 1; i <= 5; i++) expect(s.ok(ana, submit("p", "no"))).toMatchObject([{ attempts: i, attemptsLeft: null }]);
  });
});

describe("consensus gates", () => {
  const gate = (required: "all" | number, kind = "action", extra: Record<string, unknown> = {}) =>
    single([{ id: "g", kind, consensus: { required }, ...extra }]);

  it('"all" counts each player once, however often they succeed', () => {
    const s = new QuestSession({ definition: gate("all") });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(ana, success("g"))).toMatchObject([{ type: "ACTION_SUCCESS" }, { type: "CONSENSUS_UPDATED", count: 1, required: 3 }]);
    // Two tabs / a reconnect / the service retrying for the same player.
    s.rejected(ana, success("g"), "ALREADY_COUNTED", 409);
    s.rejected(publisher, success("g", { playerId: "p-ana" }), "ALREADY_COUNTED", 409);
    s.rejected(ana, { type: "ACTION_ATTEMPT", nodeId: "g" }, "ALREADY_COUNTED", 409);
    expect(s.state.nodes.g?.succeeded).toEqual(["p-ana"]);
    s.ok(ben, success("g"));
    expect(types(s.ok(cai, success("g")))).toEqual(["ACTION_SUCCESS", "CONSENSUS_UPDATED", "NODE_COMPLETED", "NODE_UNLOCKED"]);
  });

  it("a numeric gate closes at that count", () => {
    const s = new QuestSession({ definition: gate(2) });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(cai, success("g"))).toMatchObject([{}, { type: "CONSENSUS_UPDATED", playerId: "p-cai", count: 1, required: 2 }]);
    expect(s.ok(ben, success("g"))).toMatchObject([
      { type: "ACTION_SUCCESS" },
      { type: "CONSENSUS_UPDATED", count: 2, required: 2 },
      { type: "NODE_COMPLETED", nodeId: "g", scope: "session", playerId: "p-ben" },
      { type: "NODE_UNLOCKED", nodeId: "after" },
    ]);
    s.rejected(ana, success("g"), "NODE_ALREADY_COMPLETED", 409);
  });

  it("a numeric gate larger than the team is capped at the team (a solo run can finish)", () => {
    const s = new QuestSession({ definition: gate(3), mode: "solo", players: [ana] });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(ana, success("g"))).toMatchObject([{}, { type: "CONSENSUS_UPDATED", count: 1, required: 1 }, { type: "NODE_COMPLETED" }, {}]);
  });

  it("ACTION_FAIL changes no count", () => {
    const s = new QuestSession({ definition: gate("all") });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(ana, { type: "ACTION_RESULT", nodeId: "g", success: false })).toMatchObject([{ type: "ACTION_FAIL", playerId: "p-ana", nodeId: "g" }]);
    expect(s.state.nodes.g?.succeeded).toEqual([]);
  });

  it("a text gate counts NODE_COMPLETE from each player", () => {
    const s = new QuestSession({ definition: gate(2, "text") });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(types(s.ok(ana, { type: "NODE_COMPLETE", nodeId: "g" }))).toEqual(["CONSENSUS_UPDATED"]);
    expect(types(s.ok(ben, { type: "NODE_COMPLETE", nodeId: "g" }))).toEqual(["CONSENSUS_UPDATED", "NODE_COMPLETED", "NODE_UNLOCKED"]);
  });

  it("a puzzle gate fails once too few players can still solve it", () => {
    const s = new QuestSession({ definition: gate("all", "puzzle", { answers: ["x"], maxAttempts: 1 }) });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    s.ok(ana, submit("g", "x"));
    expect(s.ok(ben, submit("g", "y"))).toMatchObject([
      { type: "PUZZLE_SUBMITTED", correct: false, attemptsLeft: 0 },
      { type: "NODE_COMPLETED", nodeId: "g", failed: true },
      { type: "NODE_UNLOCKED", nodeId: "after" },
    ]);
  });

  it("a new team member raises an open 'all' gate: CONSENSUS_UPDATED without playerId", () => {
    const s = new QuestSession({ definition: gate("all") });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    s.ok(ana, success("g"));
    const dan = player("p-dan", "Dan");
    expect(s.ok(admin, { type: "REGISTER_PLAYER", playerId: "p-dan", playerName: "Dan" })).toEqual([
      { type: "PLAYER_REGISTERED", playerId: "p-dan", playerName: "Dan", timestamp: isoTime(s.now) },
      { type: "CONSENSUS_UPDATED", objectId: "o1", nodeId: "g", count: 1, required: 4, timestamp: isoTime(s.now) },
    ]);
    s.ok(ben, success("g"));
    s.ok(cai, success("g"));
    expect(s.state.nodes.g?.status).toBe("unlocked");
    expect(types(s.ok(dan, success("g")))).toContain("NODE_COMPLETED");
  });
});

describe("the sliding window", () => {
  it("window 1: one object at a time, each completion reveals the next", () => {
    const s = new QuestSession({ definition: chain(3, 1) });
    expect(Object.values(s.state.objects).map((o) => o.status)).toEqual(["available", "locked", "locked"]);
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(ana, { type: "NODE_COMPLETE", nodeId: "n1" })).toMatchObject([
      { type: "NODE_COMPLETED", nodeId: "n1" },
      { type: "OBJECT_COMPLETED", objectId: "o1" },
      { type: "OBJECT_AVAILABLE", objectId: "o2" },
    ]);
    expect(Object.values(s.state.objects).map((o) => o.status)).toEqual(["completed", "available", "locked"]);
  });

  it("window 2: finishing the second object first slides over the third, the first stays available", () => {
    const s = new QuestSession({ definition: chain(3, 2) });
    s.ok(ben, { type: "OBJECT_ARRIVE", objectId: "o2" });
    expect(types(s.ok(ben, { type: "NODE_COMPLETE", nodeId: "n2" }))).toEqual(["NODE_COMPLETED", "OBJECT_COMPLETED", "OBJECT_AVAILABLE"]);
    expect(Object.values(s.state.objects).map((o) => o.status)).toEqual(["available", "completed", "available"]);
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    // Nothing left to reveal: no OBJECT_AVAILABLE.
    expect(types(s.ok(ana, { type: "NODE_COMPLETE", nodeId: "n1" }))).toEqual(["NODE_COMPLETED", "OBJECT_COMPLETED"]);
  });

  it("a window wider than the quest makes everything available at once", () => {
    const s = new QuestSession({ definition: chain(2, 5) });
    expect(Object.values(s.state.objects).map((o) => o.status)).toEqual(["available", "available"]);
  });

  it("the last object completes the quest: QUEST_COMPLETED and completedAt", () => {
    const s = new QuestSession({ definition: chain(1, 1) });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    expect(s.ok(ana, { type: "NODE_COMPLETE", nodeId: "n1" })).toMatchObject([
      {},
      { type: "OBJECT_COMPLETED" },
      { type: "QUEST_COMPLETED", playerId: "p-ana", questId: "chain", timestamp: isoTime(s.now) },
    ]);
    expect(s.state.completedAt).toBe(s.now);
  });
});

describe("BATCH", () => {
  it("applies events in order and produces one frame with all deltas", () => {
    const s = new QuestSession();
    const deltas = s.ok(ana, {
      type: "BATCH",
      events: [
        { type: "OBJECT_ARRIVE", objectId: "object1" },
        { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" },
        submit("tl_object1__riddle", "anchor"),
      ],
    });
    expect(types(deltas)).toEqual(["OBJECT_ARRIVED", "NODE_UNLOCKED", "NODE_COMPLETED", "NODE_UNLOCKED", "PUZZLE_SUBMITTED", "NODE_COMPLETED", "NODE_UNLOCKED"]);
  });

  it("is all or nothing: a rejected event leaves the state as it was and names its index", () => {
    const s = new QuestSession();
    const r = s.rejected(
      ana,
      {
        type: "BATCH",
        events: [
          { type: "OBJECT_ARRIVE", objectId: "object1" },
          { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" },
          { type: "NODE_COMPLETE", nodeId: "tl_object1__riddle" },
        ],
      },
      "NODE_KIND_MISMATCH",
      400,
    );
    expect(r.details).toEqual({ index: 2 });
    expect(s.state.objects.object1?.status).toBe("available");
    expect(s.state.nodes.tl_object1__audio_intro?.status).toBe("locked");
  });

  it("keeps a rejection's own details next to the index", () => {
    const s = new QuestSession();
    const r = s.rejected(ana, { events: [{ type: "OBJECT_ARRIVE", objectId: "object1", ...FAR_AWAY }] }, "OUT_OF_RANGE", 409);
    expect(r.details).toEqual({ index: 0, distanceM: 1112, radiusM: 40 });
  });

  it("a service's batch-level playerId applies to events that name none", () => {
    const s = new QuestSession();
    const deltas = s.ok(publisher, {
      events: [{ type: "OBJECT_ARRIVE", objectId: "object1" }, { type: "OBJECT_ARRIVE", objectId: "object2", playerId: "p-cai" }],
      playerId: "p-ben",
    });
    expect(deltas.filter((d) => d.type === "OBJECT_ARRIVED").map((d) => ("playerId" in d ? d.playerId : null))).toEqual(["p-ben", "p-cai"]);
  });

  it("checks who acts per event: one bad playerId rejects the whole batch", () => {
    const s = new QuestSession();
    const r = s.rejected(
      ana,
      { events: [{ type: "OBJECT_ARRIVE", objectId: "object1" }, { type: "OBJECT_ARRIVE", objectId: "object2", playerId: "p-ben" }] },
      "FORBIDDEN",
      403,
    );
    expect(r.details).toEqual({ index: 1 });
  });
});

describe("REGISTER_PLAYER", () => {
  it("FORBIDDEN (403) for a player and for a service without rooms:admin", () => {
    const s = new QuestSession();
    s.rejected(ana, { type: "REGISTER_PLAYER", playerId: "p-x", playerName: "X" }, "FORBIDDEN", 403);
    s.rejected(publisher, { type: "REGISTER_PLAYER", playerId: "p-x", playerName: "X" }, "FORBIDDEN", 403);
  });

  it("is idempotent (no frame) and renames with a new name", () => {
    const s = new QuestSession();
    const again = s.accepted(admin, { type: "REGISTER_PLAYER", playerId: "p-ana", playerName: "Ana" });
    expect(again.emits).toEqual([]);
    expect(s.ok(admin, { type: "REGISTER_PLAYER", playerId: "p-ana", playerName: "Anna" })).toMatchObject([{ type: "PLAYER_REGISTERED", playerName: "Anna" }]);
    expect(s.state.players.map((p) => p.playerName)).toEqual(["Anna", "Ben", "Cai"]);
  });

  it("TEAM_FULL (409) for a second player in a solo session", () => {
    const s = new QuestSession({ mode: "solo", players: [ana] });
    s.rejected(admin, { type: "REGISTER_PLAYER", playerId: "p-ben", playerName: "Ben" }, "TEAM_FULL", 409);
  });

  it("TEAM_FULL (409) past 50 players", () => {
    const fifty = Array.from({ length: 50 }, (_, i) => player(`p${i}`, `P${i}`));
    const s = new QuestSession({ players: fifty });
    s.rejected(admin, { type: "REGISTER_PLAYER", playerId: "p50", playerName: "P50" }, "TEAM_FULL", 409);
  });

  it("keeps ids like __proto__ as plain data", () => {
    const s = new QuestSession();
    s.ok(admin, { type: "REGISTER_PLAYER", playerId: "__proto__", playerName: "Proto" });
    const proto = player("__proto__", "Proto");
    s.ok(proto, { type: "OBJECT_ARRIVE", objectId: "object1" });
    expect(s.state.objects.object1?.arrivals[0]?.playerId).toBe("__proto__");
    expect(Object.getPrototypeOf(s.state.lastPositionAt)).toBe(Object.prototype);
  });
});

describe("join (seed 000 socket frame)", () => {
  it("answers the joining socket only, changing nothing", () => {
    const s = new QuestSession();
    const before = s.state;
    const r = s.accepted(ben, { type: "join", sessionId: ROOM, playerName: "Ben" });
    expect(r.replies).toEqual([{ type: "joined", sessionId: ROOM, playerId: "p-ben", playerName: "Ben" }]);
    expect(r.emits).toEqual([]);
    expect(s.state).toBe(before);
  });

  it("accepts the old join_session name and a lowercased team code", () => {
    const s = new QuestSession();
    expect(s.accepted(ben, { type: "join_session", sessionId: ROOM.toLowerCase() }).replies).toHaveLength(1);
  });

  it("SESSION_MISMATCH (400) for another session's code; NOT_ON_TEAM (403) for a stranger", () => {
    const s = new QuestSession();
    s.rejected(ben, { type: "join", sessionId: "AAAAAA" }, "SESSION_MISMATCH", 400);
    s.rejected(stranger, { type: "join", sessionId: ROOM }, "NOT_ON_TEAM", 403);
  });
});

describe("player_state_update", () => {
  const ping = (lat = 59.91, lng = 10.75) => ({ type: "player_state_update", lat, lng, accuracyM: 8 });
  const independent = () => ({ ...(JSON.parse(JSON.stringify(new QuestSession().config.definition)) as object), teamTravelMode: "independent" });

  it("co-located: dropped silently, state untouched", () => {
    const s = new QuestSession();
    const before = s.state;
    const r = s.accepted(ana, ping());
    expect(r.emits).toEqual([]);
    expect(r.replies).toBeUndefined();
    expect(s.state).toBe(before);
  });

  it("independent: relayed ephemerally to the rest of the team, not the sender's socket", () => {
    const s = new QuestSession({ definition: independent() });
    const r = s.accepted(ana, ping());
    expect(r.emits).toEqual([
      {
        body: { type: "player_state_update", playerId: "p-ana", lat: 59.91, lng: 10.75, accuracyM: 8, timestamp: isoTime(s.now) },
        to: ["p-ben", "p-cai"],
        log: false,
        skipOrigin: true,
      },
    ]);
  });

  it("independent: at most one per player per 5 s; extras are dropped without an error", () => {
    const s = new QuestSession({ definition: independent() });
    expect(s.accepted(ana, ping()).emits).toHaveLength(1);
    const throttledState = s.state;
    const extra = s.tick(POSITION_INTERVAL_MS - 1).accepted(ana, ping(59.92));
    expect(extra.emits).toEqual([]);
    expect(s.state).toBe(throttledState);
    // Another player's clock is their own.
    expect(s.accepted(ben, ping()).emits).toHaveLength(1);
    expect(s.tick(1).accepted(ana, ping(59.93)).emits).toMatchObject([{ body: { lat: 59.93 } }]);
  });

  it("a lone player's position goes nowhere", () => {
    const s = new QuestSession({ definition: independent(), mode: "solo", players: [ana] });
    expect(s.accepted(ana, ping()).emits).toEqual([]);
  });

  it("NOT_ON_TEAM (403) for a stranger", () => {
    new QuestSession({ definition: independent() }).rejected(stranger, ping(), "NOT_ON_TEAM", 403);
  });
});

describe("purity", () => {
  it("never mutates the state it is given (inputs are deep-frozen by the harness) and uses no clock", () => {
    const s = atRiddle();
    s.ok(ana, submit("tl_object1__riddle", "anchor"));
    s.ok(ana, success("tl_object1__lift"));
    expect(s.state.nodes.tl_object1__riddle?.completedAt).toBe(s.now);
    expect(Object.isFrozen(s.state.nodes)).toBe(true);
  });

  it("uses the room id from ctx as the sessionId", () => {
    const s = new QuestSession();
    const r = s.accepted(ana, { type: "OBJECT_ARRIVE", objectId: "object1" });
    expect(r.emits[0]?.body.sessionId).toBe(ROOM);
  });

  it("cai can still act after ben: each command is independent of the actor order", () => {
    const s = atRiddle();
    expect(s.ok(cai, submit("tl_object1__riddle", "anchor"))[0]).toMatchObject({ playerId: "p-cai", correct: true });
    expect(s.ok(ben, success("tl_object1__lift"))[1]).toMatchObject({ count: 1, required: 3 });
  });
});
