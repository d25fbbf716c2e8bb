import { z } from "zod";
import { applied, reject, type CommandKind } from "../../core/kind.ts";
import { defineSystem } from "../../core/system.ts";
import { typeCodec } from "../../protocol/typeCodec.ts";

/**
 * A small kind that exercises every hook of the contract, for the core's own
 * tests (it is not served by the worker): counting, whispers, groups, timers
 * and messages to other objects.
 */
export interface FixtureState {
  count: number;
  /** userId -> groups the user is in. */
  groups: Record<string, string[]>;
  wakes: number;
  received: { from: string; n: number }[];
}

export const fixtureCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("inc"), by: z.number().int().default(1) }),
  z.object({ type: z.literal("noop") }),
  z.object({ type: z.literal("boom") }),
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("whisper"), to: z.string() }),
  z.object({ type: z.literal("say"), group: z.string() }),
  z.object({ type: z.literal("others") }),
  z.object({ type: z.literal("enter"), group: z.string() }),
  z.object({ type: z.literal("exit"), group: z.string() }),
  z.object({ type: z.literal("wake_at"), at: z.number().nullable() }),
  z.object({ type: z.literal("send"), to: z.string(), n: z.number(), create: z.boolean().optional() }),
  z.object({ type: z.literal("refuse") }),
]);
type FixtureCommand = z.infer<typeof fixtureCommand>;

export const fixtureKind: CommandKind<FixtureState, FixtureCommand> = {
  name: "fixture",
  command: fixtureCommand,
  config: z.object({ label: z.string().optional() }).passthrough(),
  init: () => ({ count: 0, groups: {}, wakes: 0, received: [] }),
  apply(state, c, ctx) {
    const from = ctx.actor.userId;
    switch (c.type) {
      case "inc":
        return applied({ ...state, count: state.count + c.by }, [{ body: { type: "count", count: state.count + c.by, from } }], { result: { count: state.count + c.by } });
      case "noop":
        return applied(state);
      case "boom":
        throw new Error("fixture kind bug");
      case "ping":
        return applied(state, [], { replies: [{ type: "pong", conn: ctx.connId }] });
      case "whisper":
        return applied(state, [{ body: { type: "whisper", from }, to: [c.to, from] }]);
      case "say":
        return applied(state, [{ body: { type: "said", group: c.group, from }, groups: [c.group] }]);
      case "others":
        return applied(state, [{ body: { type: "others", from }, skipOrigin: true }], { replies: [{ type: "sent" }] });
      case "enter":
      case "exit": {
        const mine = new Set(state.groups[from] ?? []);
        if (c.type === "enter") mine.add(c.group);
        else mine.delete(c.group);
        return applied({ ...state, groups: { ...state.groups, [from]: [...mine] } });
      }
      case "wake_at":
        return applied(state, [], { wakeAt: c.at });
      case "send":
        return applied(state, [{ body: { type: "sent", to: c.to, n: c.n } }], {
          effects: [{ to: c.to, body: { n: c.n }, ...(c.create ? { create: { kind: "fixture", config: { label: "made" } } } : {}) }],
        });
      case "refuse":
        return reject("NOT_ALLOWED", "The fixture refuses.", 403);
    }
  },
  view: (state, viewer, ctx) => ({ count: state.count, wakes: state.wakes, received: state.received, me: viewer.userId, online: ctx.online.map((a) => a.userId), label: ctx.config.label ?? null }),
  sockets: {
    presence: (state, change, ctx) => applied(state, [{ body: { type: change.kind, user: change.actor.userId, at: ctx.now } }]),
    admit: (_state, info) => (info.actor.userId === "banned" ? reject("BANNED", "Banned here.", 403) : null),
    groupsOf: (state, actor) => state.groups[actor.userId] ?? [],
  },
  wake: (state, ctx) => applied({ ...state, wakes: state.wakes + 1 }, [{ body: { type: "woke", at: ctx.now } }]),
  receive: (state, message) => {
    const n = Number(message.body.n);
    return applied({ ...state, received: [...state.received, { from: message.from, n }] }, [{ body: { type: "got", from: message.from, n } }]);
  },
};

export const fixtureSystem = defineSystem({ name: "fixture", kind: fixtureKind, codec: typeCodec({ name: "fixture", connIdField: "socket_id" }) });
