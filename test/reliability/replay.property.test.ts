import fc from "fast-check";
import { describe, expect, it } from "vitest";
import harborWalk from "../../examples/quests/harbor-walk.json";
import type { RoomHarness } from "../../src/room/testing/roomHarness.ts";
import { settle } from "../../src/room/testing/roomHarness.ts";
import { figuresFor } from "./figures.ts";
import { hostileFrames } from "./hostileFrames.ts";
import { FUZZ_TARGETS, harnessFor, type FuzzTarget } from "./roomsUnderFuzz.ts";
import { runs } from "./scale.ts";

const nodes = harborWalk.objects.flatMap((o) => o.timeline.map((n) => n.id));
const objects = harborWalk.objects.map((o) => ({ objectId: o.id, lat: o.location.lat, lng: o.location.lng }));

/** Commands each kind accepts in some state, so random sequences really move it. */
const meaningful: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  relay: fc.oneof(
    fc.record({ type: fc.constant("publish"), data: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ type: fc.constant("whisper"), to: fc.constantFrom("u-ann", "u-bob"), data: fc.string() }),
  ),
  tabletop: fc.oneof(
    fc.record({ event: fc.constant("chat_message"), data: fc.record({ message: fc.string({ minLength: 1, maxLength: 30 }) }) }),
    fc.record({ event: fc.constant("dice_roll"), data: fc.record({ formula: fc.constantFrom("1d20+5", "2d6", "4d6-1", "1d100", "3d8+2") }) }),
    fc.record({ event: fc.constant("dm_narration"), data: fc.record({ narration: fc.string({ minLength: 1, maxLength: 30 }) }) }),
    fc.record({ event: fc.constant("player_action"), data: fc.record({ action_type: fc.constantFrom("attack", "hide"), details: fc.jsonValue({ maxDepth: 2 }) }) }),
    fc.record({ event: fc.constant("whisper"), data: fc.record({ to_user_id: fc.constantFrom("u-ann", "u-bob"), message: fc.string({ minLength: 1, maxLength: 20 }) }) }),
  ),
  quest: fc.oneof(
    fc.constantFrom(...objects).map((o) => ({ type: "OBJECT_ARRIVE", ...o })),
    fc.constantFrom(...nodes).map((nodeId) => ({ type: "NODE_COMPLETE", nodeId })),
    fc.tuple(fc.constantFrom(...nodes), fc.constantFrom("anchor", "Bjørvika", "wrong")).map(([nodeId, answer]) => ({ type: "PUZZLE_SUBMIT", nodeId, answer })),
    fc.constantFrom(...nodes).map((nodeId) => ({ type: "ACTION_ATTEMPT", nodeId })),
    fc.tuple(fc.constantFrom(...nodes), fc.boolean()).map(([nodeId, success]) => ({ type: "ACTION_RESULT", nodeId, success })),
  ),
  fixture: fc.oneof(
    fc.record({ type: fc.constant("inc"), by: fc.integer({ min: -5, max: 5 }) }),
    fc.record({ type: fc.constantFrom("enter", "exit", "say"), group: fc.constantFrom("red", "blue") }),
    fc.constant({ type: "others" }),
  ),
};

/** One input of a sequence: who sends it, what, and how long after the previous one. */
const step = (target: FuzzTarget) =>
  fc.record({
    who: fc.constantFrom<"sender" | "bystander">("sender", "bystander"),
    data: fc.oneof({ weight: 3, arbitrary: meaningful[target.kind]!.map((f) => JSON.stringify(f)) }, { weight: 1, arbitrary: hostileFrames(target.family, target.names).map((f) => f.data) }),
    after: fc.integer({ min: 0, max: 5_000 }),
  });

type Step = { who: "sender" | "bystander"; data: string | ArrayBuffer; at: number };

/** Feeds `steps` to a fresh room of `target`; returns the room and the steps that committed something. */
async function play(target: FuzzTarget, steps: Step[]): Promise<{ h: RoomHarness; committed: Step[] }> {
  const h = harnessFor(target);
  const sockets = { sender: h.connect(target.sender), bystander: h.connect(target.bystander) };
  const committed: Step[] = [];
  for (const s of steps) {
    h.clock.t = s.at;
    const head = h.store.head();
    const state = JSON.stringify(h.store.state());
    h.room.message(sockets[s.who], s.data);
    await settle();
    // A commit may change state without logging a frame (fixture `enter`), or log without a state change.
    if (h.store.head() !== head || JSON.stringify(h.store.state()) !== state) committed.push(s);
  }
  return { h, committed };
}

const everything = (h: RoomHarness) => ({ state: h.store.state(), head: h.store.head(), log: h.store.entriesAfter(0, 100_000).map((e) => ({ ...e })) });

/**
 * Kinds are pure and the pipeline adds nothing of its own: a room fed only
 * the inputs that committed, at the same times, ends in the same state with
 * the same log (refused inputs left no trace), and the same inputs twice give
 * the same room (dice and ids come from the seed and the seq, not from chance).
 */
describe("replay determinism", () => {
  for (const target of FUZZ_TARGETS) {
    it(`[REPLAY] ${target.kind}: replaying the committed inputs from init rebuilds the same state and log`, async (ctx) => {
      const figures = figuresFor(ctx);
      await fc.assert(
        fc.asyncProperty(fc.array(step(target), { minLength: 1, maxLength: 30 }), async (raw) => {
          figures.cases++;
          let at = 1_000_000;
          const steps = raw.map((s): Step => ({ who: s.who, data: s.data, at: (at += s.after) }));
          figures.frames += steps.length;
          const first = await play(target, steps);
          const again = await play(target, steps);
          const replayed = await play(target, first.committed);
          expect(everything(again.h)).toEqual(everything(first.h));
          expect(everything(replayed.h)).toEqual(everything(first.h));
          // Every seq is committed exactly once: no gap (lost), no repeat (doubled).
          const seqs = first.h.store.entriesAfter(0, 100_000).map((e) => e.seq);
          const unique = new Set(seqs);
          figures.doubled += seqs.length - unique.size;
          figures.lost += seqs.filter((s, i) => i > 0 && s !== seqs[i - 1]! + 1).length;
          figures.refused += steps.length - first.committed.length;
          expect(figures.doubled + figures.lost).toBe(0);
        }),
        { numRuns: runs(20) },
      );
    });
  }
});
