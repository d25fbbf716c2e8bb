import { describe, expect, it } from "vitest";
import type { Actor } from "../../core/kind.ts";
import { isoTime } from "./deltas";
import type { QuestSnapshot, SnapshotNode } from "./view";
import { questView } from "./view";
import { QuestSession, ROOM, T0, admin, ana, ben, cai, stranger } from "./testHarness";

const view = (s: QuestSession, viewer: Actor) => questView(s.state, viewer, s.ctx(viewer));
const node = (snap: QuestSnapshot, nodeId: string): SnapshotNode => {
  for (const o of snap.objects) {
    if (o.status === "locked") continue;
    const found = o.nodes.find((n) => n.id === nodeId);
    if (found) return found;
  }
  throw new Error(`no visible node ${nodeId}`);
};

/** Every answer string of harbor-walk, and its folded form. */
const SECRETS = [/anchor/i, /bj[øo]rvika/i];

function expectNoAnswers(snap: unknown) {
  const json = JSON.stringify(snap);
  expect(json).not.toContain('"answers"');
  for (const secret of SECRETS) expect(json).not.toMatch(secret);
}

describe("view", () => {
  it("starts with the window open, locked objects reduced to their id, and no answers", () => {
    const s = new QuestSession();
    const snap = view(s, ana);
    expect(snap).toMatchObject({
      sessionId: ROOM,
      questId: "harbor-walk",
      title: "Harbor Walk",
      mode: "team",
      teamTravelMode: "co-located",
      window: 2,
      status: "active",
      completed: false,
      completedAt: null,
      createdAt: isoTime(T0),
      playerId: "p-ana",
      objectsCompleted: 0,
      objectsTotal: 3,
      availableObjectIds: ["object1", "object2"],
    });
    expect(snap.objects[2]).toEqual({ id: "object3", index: 2, status: "locked" });
    expect(snap.objects[0]).toMatchObject({ id: "object1", status: "available", name: "Old Lighthouse", location: { lat: 59.9139, lng: 10.7522, radiusM: 40 } });
    expectNoAnswers(snap);
  });

  it("shows a node's content only once it unlocks", () => {
    const s = new QuestSession();
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1" });
    const snap = view(s, ben);
    expect(node(snap, "tl_object1__audio_intro")).toMatchObject({
      status: "unlocked",
      title: "The keeper's welcome",
      media: { type: "audio", url: "https://example.com/harbor-walk/keeper-intro.mp3", durationS: 95 },
    });
    const riddle = node(snap, "tl_object1__riddle");
    expect(riddle).toMatchObject({ status: "locked", kind: "puzzle", scope: "session", maxAttempts: 3, attempts: { used: 0, left: 3 } });
    expect(riddle).not.toHaveProperty("text");
    expect(riddle).not.toHaveProperty("title");
  });

  it("never leaks answers, at any point of a full run, to any viewer", () => {
    const s = new QuestSession();
    const viewers = [ana, ben, cai, admin, stranger];
    const check = () => viewers.forEach((v) => expectNoAnswers(view(s, v)));
    check();
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object1" });
    s.ok(ana, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" });
    check();
    s.ok(ben, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "ANCHOR" });
    check();
    for (const p of [ana, ben, cai]) s.ok(p, { type: "ACTION_RESULT", nodeId: "tl_object1__lift", success: true });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "object2" });
    for (const p of [ana, ben, cai]) s.ok(p, { type: "NODE_COMPLETE", nodeId: "tl_object2__letter" });
    s.ok(cai, { type: "PUZZLE_SUBMIT", nodeId: "tl_object2__district", answer: "Bjørvika" });
    check();
    expect(view(s, ana).objectsCompleted).toBe(2);
  });

  it("shows consensus progress with who has counted", () => {
    const s = new QuestSession();
    s.ok(ana, { events: [
      { type: "OBJECT_ARRIVE", objectId: "object1" },
      { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" },
      { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "anchor" },
      { type: "ACTION_RESULT", nodeId: "tl_object1__lift", success: true },
    ] });
    const lift = node(view(s, ben), "tl_object1__lift");
    expect(lift.consensus).toEqual({ count: 1, required: 3, playerIds: ["p-ana"] });
    expect(lift.mine).toBe("todo");
    expect(node(view(s, ana), "tl_object1__lift").mine).toBe("succeeded");
  });

  it("shows who finished a player-scope node, and each viewer only their own attempts", () => {
    const def = {
      questId: "pp",
      title: "PP",
      objects: [{ id: "o1", name: "O", timeline: [{ id: "p", kind: "puzzle", scope: "player", answers: ["yes"], maxAttempts: 2 }] }],
    };
    const s = new QuestSession({ definition: def });
    s.ok(ana, { type: "OBJECT_ARRIVE", objectId: "o1" });
    s.ok(ana, { type: "PUZZLE_SUBMIT", nodeId: "p", answer: "no" });
    s.ok(ben, { type: "PUZZLE_SUBMIT", nodeId: "p", answer: "no" });
    s.ok(ben, { type: "PUZZLE_SUBMIT", nodeId: "p", answer: "no" });
    s.ok(cai, { type: "PUZZLE_SUBMIT", nodeId: "p", answer: "yes" });
    const forAna = node(view(s, ana), "p");
    expect(forAna).toMatchObject({ attempts: { used: 1, left: 1 }, mine: "todo", players: { done: 2, total: 3, playerIds: ["p-cai", "p-ben"] } });
    expect(node(view(s, ben), "p")).toMatchObject({ attempts: { used: 2, left: 0 }, mine: "failed" });
    expect(node(view(s, cai), "p")).toMatchObject({ attempts: { used: 1, left: 1 }, mine: "succeeded" });
    // A service sees team progress but no one's private attempt count.
    const forService = node(view(s, admin), "p");
    expect(forService).not.toHaveProperty("attempts");
    expect(forService).not.toHaveProperty("mine");
  });

  it("marks a failed team puzzle and reports the team's budget", () => {
    const s = new QuestSession();
    s.ok(ana, { events: [{ type: "OBJECT_ARRIVE", objectId: "object1" }, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" }] });
    for (const answer of ["a", "b", "c"]) s.ok(ben, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer });
    expect(node(view(s, cai), "tl_object1__riddle")).toMatchObject({ status: "completed", failed: true, attempts: { used: 3, left: 0 }, completedBy: "p-ben" });
  });

  it("has no positions or throttle data and names the viewer (null for services and strangers)", () => {
    const def = { questId: "ind", title: "Ind", teamTravelMode: "independent", objects: [{ id: "o1", name: "O", timeline: [] }] };
    const s = new QuestSession({ definition: def });
    s.accepted(ana, { type: "player_state_update", lat: 12.345678, lng: 98.765432 });
    const snap = view(s, ben);
    expect(JSON.stringify(snap)).not.toContain("12.345678");
    expect(JSON.stringify(snap)).not.toContain("lastPosition");
    expect(snap.playerId).toBe("p-ben");
    expect(view(s, admin).playerId).toBeNull();
    expect(view(s, stranger).playerId).toBeNull();
  });

  it("reports online players from presence", () => {
    const s = new QuestSession();
    s.presence("join", cai);
    expect(view(s, ana).players).toEqual([
      { playerId: "p-ana", playerName: "Ana", online: false },
      { playerId: "p-ben", playerName: "Ben", online: false },
      { playerId: "p-cai", playerName: "Cai", online: true },
    ]);
  });
});
