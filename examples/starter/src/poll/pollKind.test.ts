import { kindSession, testActor, testRoom } from "@hearth/server/testing";
import { describe, expect, it } from "vitest";
import { pollSystem } from "./index.ts";
import { pollKind, type PollState } from "./pollKind.ts";

const ann = testActor("ann");
const bob = testActor("bob");
const config = { question: "Lunch?", options: ["soup", "salad", "pie"], owner: "ann" };

describe("poll rules (the kind alone)", () => {
  it("counts one vote per user; a second vote replaces the first", () => {
    const poll = kindSession<PollState>(pollKind, { config });
    expect(poll.accepted(ann, { type: "vote", option: 0 }).emits).toEqual([{ body: { type: "tally", counts: [1, 0, 0] } }]);
    poll.accepted(bob, { type: "vote", option: 0 });
    expect(poll.accepted(bob, { type: "vote", option: 2 }).result).toEqual({ counts: [1, 0, 1] });
    expect(poll.view(bob)).toEqual({ question: "Lunch?", options: ["soup", "salad", "pie"], counts: [1, 0, 1], closed: false, myVote: 2 });
  });

  it("refuses what the rules forbid, leaving the state as it was", () => {
    const poll = kindSession<PollState>(pollKind, { config });
    expect(poll.rejected(ann, { type: "vote", option: 3 }, "BAD_OPTION").status).toBe(400);
    expect(poll.rejected(ann, { type: "vote", option: "soup" }, "BAD_COMMAND").details).toEqual([{ path: "option", message: expect.any(String) }]);
    expect(poll.rejected(bob, { type: "close" }, "FORBIDDEN").status).toBe(403);
    poll.accepted(ann, { type: "close" });
    expect(poll.rejected(bob, { type: "vote", option: 1 }, "POLL_CLOSED").status).toBe(409);
  });

  it("refuses a config without two options", () => {
    expect(() => kindSession(pollKind, { config: { ...config, options: ["only"] } })).toThrow(/config is not valid/);
  });
});

describe("a poll room (the kind inside a real Room, memory store)", () => {
  it("sends live tallies to every socket, with seqs, and keeps them across an eviction", () => {
    const room = testRoom({ systems: [pollSystem] }).create(config);
    const annSocket = room.connect(ann);
    const bobSocket = room.connect(bob);
    expect(annSocket.take()).toEqual([expect.objectContaining({ type: "snapshot", seq: 0, state: expect.objectContaining({ counts: [0, 0, 0], myVote: null }) })]);
    bobSocket.take();

    // A command with an id is acknowledged to its sender; the tally goes to everyone.
    expect(bobSocket.send({ type: "vote", option: 1, id: "v1" })).toEqual([
      expect.objectContaining({ type: "tally", counts: [0, 1, 0], seq: 1 }),
      expect.objectContaining({ type: "ack", id: "v1", seq: 1 }),
    ]);
    expect(annSocket.take()).toEqual([expect.objectContaining({ type: "tally", counts: [0, 1, 0], seq: 1 })]);

    // A refused frame answers its sender only, with the rule's code.
    expect(annSocket.send({ type: "vote", option: 9, id: "v2" })).toEqual([expect.objectContaining({ type: "error", code: "BAD_OPTION", id: "v2" })]);
    expect(bobSocket.take()).toEqual([]);

    // The same command over HTTP (what POST /api/polls/:id/votes submits).
    const outcome = room.submit(ann, { type: "vote", option: 1 });
    expect(outcome).toMatchObject({ ok: true, seq: 2, result: { counts: [0, 2, 0] } });

    room.evict();
    expect(room.snapshot(bob)).toMatchObject({ ok: true, seq: 2, state: { counts: [0, 2, 0], myVote: 1 } });
    expect(room.history(ann)).toMatchObject({ ok: true, entries: [{ type: "tally", seq: 2 }, { type: "tally", seq: 1 }] });
  });
});
