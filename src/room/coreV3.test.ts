import { describe, expect, it } from "vitest";
import { z } from "zod";
import { applied, type Answer, type CommandKind, type Kind } from "../core/kind.ts";
import { defineSystem } from "../core/system.ts";
import { typeCodec } from "../protocol/typeCodec.ts";
import { dispatch } from "./dispatch.ts";
import { replay } from "./replay.ts";
import { fixtureSystem } from "./testing/fixtureKind.ts";
import { RoomHarness, settle, user } from "./testing/roomHarness.ts";

const ann = user("ann");
const bob = user("bob");

/** A kind only timers and other objects drive: no commands, no sockets (a game object, a feed root). */
const quietKind: Kind<{ n: number }, never> = {
  name: "quiet",
  init: () => ({ n: 0 }),
  view: (s) => s,
};
const quietSystem = defineSystem({ name: "quiet", kind: quietKind, codec: typeCodec() });

/** A kind whose `grant` command needs rooms:admin, decided by the authorize stage. */
const guardedKind: CommandKind<{ grants: number }, { type: "grant" } | { type: "hello" }> = {
  name: "guarded",
  command: z.discriminatedUnion("type", [z.object({ type: z.literal("grant") }), z.object({ type: z.literal("hello") })]),
  authorize: { grant: { anyOf: ["rooms:admin"], message: "Granting needs rooms:admin." } },
  init: () => ({ grants: 0 }),
  apply: (s, c) => (c.type === "grant" ? applied({ grants: s.grants + 1 }, [{ body: { type: "granted" } }]) : applied(s, [], { replies: [{ type: "hi" }] })),
  view: (s) => s,
  sockets: {},
};
const guardedSystem = defineSystem({ name: "guarded", kind: guardedKind, codec: typeCodec() });

/** A kind that hands `later` on (pending) and settles it when a message says how it went. */
const handingKind: CommandKind<{ n: number }, { type: "later" } | { type: "now" }> = {
  name: "handing",
  command: z.discriminatedUnion("type", [z.object({ type: z.literal("later") }), z.object({ type: z.literal("now") })]),
  init: () => ({ n: 0 }),
  apply: (s, c, ctx) =>
    c.type === "later" ? applied(s, [], { pending: true, replies: [{ type: "handed", id: ctx.commandId ?? null, conn: ctx.connId }] }) : applied(s, [], { replies: [{ type: "done" }] }),
  receive: (s, m) => applied({ n: s.n + 1 }, [{ body: { type: "settled" } }], { answers: [m.body as unknown as Answer] }),
  view: (s) => s,
  sockets: {},
};
const handingSystem = defineSystem({ name: "handing", kind: handingKind, codec: typeCodec({ connIdField: "socket_id" }) });

describe("core v3", () => {
  it("[P14] a pending command is not acked; its answer later acks (after that input's frames) or refuses it with its id, on its one socket", () => {
    const h = new RoomHarness({ systems: [handingSystem] }).create({}, "room-1", "handing");
    const a = h.connect(ann);
    const a2 = h.connect(ann);
    const b = h.connect(bob);
    a2.take();
    b.take();
    const handed = h.send(a, { type: "later", id: "l1" });
    expect(handed).toEqual([{ type: "handed", id: "l1", conn: expect.any(String) }]);
    const conn = handed[0]!.conn as string;
    // Other commands are acked as ever.
    expect(h.send(a, { type: "now", id: "n1" })).toEqual([{ type: "done" }, { type: "ack", id: "n1", seq: expect.any(Number), socket_id: conn }]);
    h.room.receive({ from: "other", to: "room-1", seq: 1, body: { userId: "ann", connId: conn, id: "l1" } });
    const head = h.store.head();
    expect(a.take()).toEqual([{ type: "settled", seq: head, epoch: expect.any(String) }, { type: "ack", id: "l1", seq: head, socket_id: conn }]);
    // ann's other socket and bob hear the frame, not the ack.
    expect(a2.take().map((f) => f.type)).toEqual(["settled"]);
    expect(b.take().map((f) => f.type)).toEqual(["settled"]);
    h.send(a, { type: "later", id: "l2" });
    h.room.receive({ from: "other", to: "room-1", seq: 2, body: { userId: "ann", connId: conn, id: "l2", error: { code: "NOPE", message: "No.", extra: { room_id: "r9" } } } });
    expect(a.take().filter((f) => f.type !== "settled")).toEqual([{ type: "error", code: "NOPE", message: "No.", id: "l2", room_id: "r9", socket_id: conn }]);
    expect(a2.take().filter((f) => f.type === "error")).toEqual([]);
    // A socket gone by then gets nothing, and nothing breaks.
    expect(h.room.receive({ from: "other", to: "room-1", seq: 3, body: { userId: "ann", connId: "gone", id: "l3" } })).toMatchObject({ ok: true });
  });

  it("[P10] the authorize stage refuses a command the kind's table denies, before dedup, writing nothing; others pass", () => {
    const h = new RoomHarness({ systems: [guardedSystem] }).create({}, "room-1", "guarded");
    const a = h.connect(ann);
    const head = h.store.head();
    expect(h.send(a, { type: "grant", id: "g1" })).toEqual([{ type: "error", code: "SCOPE_REQUIRED", message: "Granting needs rooms:admin.", id: "g1" }]);
    expect(h.store.head()).toBe(head);
    expect(h.store.commandSeq("ann", "g1")).toBeNull();
    expect(h.send(a, { type: "hello" })).toEqual([{ type: "hi" }]);
    const admin = user("ops", { service: true, scopes: ["rooms:admin"] });
    expect(h.room.submit(admin, { type: "grant" })).toMatchObject({ ok: true, seq: head + 1 });
    expect(h.room.submit(ann, { type: "grant" })).toMatchObject({ ok: false, code: "SCOPE_REQUIRED", status: 403 });
  });

  it("[P11] a failed reply or ack is handled like a failed fan-out send: the socket is dropped and its user leaves after the turn", async () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    const b = h.connect(bob);
    a.take();
    b.failSends = true;
    // bob's ack (and the count it caused) can't reach him.
    h.send(b, { type: "inc", id: "c1" });
    expect(a.take().map((f) => f.type)).toEqual(["count"]);
    await settle();
    expect(a.take()).toMatchObject([{ type: "leave", user: "bob" }]);
    expect(h.room.metrics()).toMatchObject({ connections: { current: 1 } });
  });

  it("[P12] one dispatch: a kind without the hook an input needs refuses it with a code in the pipeline and in replay alike", () => {
    const ctx = { actor: ann, connId: null, roomId: "r", now: 0, random: () => 0.5, config: {}, online: [], head: 0, epoch: "e" };
    expect(dispatch(quietKind, { n: 0 }, { source: "object", actor: ann, body: { from: "x", body: {} } }, ctx)).toMatchObject({ ok: false, code: "NO_RECEIVER" });
    expect(dispatch(quietKind, { n: 0 }, { source: "http", actor: ann, body: { type: "x" } }, ctx)).toMatchObject({ ok: false, code: "NO_COMMANDS" });
    expect(dispatch(quietKind, { n: 0 }, { source: "timer", actor: ann, body: null }, ctx)).toEqual({ ok: true, state: { n: 0 }, emits: [] });
    const meta = { roomId: "r", kind: "quiet", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "t", journal: true as const };
    const record = { seq: 1, h: 0, at: 0, source: "object" as const, actor: ann, conn: null, body: { from: "x", body: {} } };
    expect(replay(quietKind, meta, [record], 1)).toMatchObject({ ok: false, code: "REPLAY_DIVERGED", details: { code: "NO_RECEIVER" } });
  });

  it("[P13] a kind without a socket face holds no sockets (NO_SOCKETS, close 4003) and one without commands takes none (NO_COMMANDS)", () => {
    const h = new RoomHarness({ systems: [quietSystem, fixtureSystem] }).create({}, "room-1", "quiet");
    expect(h.connectResult(ann).result).toMatchObject({ ok: false, close: { code: 4003 }, error: { code: "NO_SOCKETS" } });
    expect(h.room.submit(ann, { type: "anything" })).toMatchObject({ ok: false, code: "NO_COMMANDS", status: 400 });
  });
});
