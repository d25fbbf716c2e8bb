import { z } from "zod";
import { applied, reject, type CommandKind } from "../../core/kind.ts";

/**
 * The generic room: members publish JSON events that every peer receives,
 * may whisper to one member, and see who is here. It is what Hearth's
 * `/api/rooms` surface (and the benchmarks) run on.
 *
 * State is only a counter: who is online comes from the core (ctx.online /
 * the view's room facts), so a publish never rewrites a member list.
 */
export interface RelayState {
  published: number;
  /** [R-PRES2] When the last `presence.count` went out, and the count it said. */
  countAt?: number;
  countSaid?: number;
  /** [R-PRES2] A count held back by `presenceCountMs`: the wake at countAt + presenceCountMs says it. */
  countDue?: true;
}

/** How many members a snapshot lists by name; `onlineCount` always has the total. */
export const ONLINE_LIST_MAX = 100;

/** Default `presenceDetailMax`: above this many members online, presence is counts-only ([R-PRES1]). */
export const PRESENCE_DETAIL_MAX = 100;

/**
 * Default `presenceCountMs` ([R-PRES2]): in counts-only presence, at most one `presence.count` a
 * second. Each goes to every member, so a join storm of 100 -> 1,000 members cost ~22,000 frames
 * at the steps alone (55 broadcasts, ~1 ms of workerd CPU per connect); a viewer count that moves
 * once a second is what a crowd's UI shows anyway.
 */
export const PRESENCE_COUNT_MS = 1_000;

/**
 * Counts-only presence: the count is announced only when it lands on a multiple of a step that
 * grows with the room (the largest power of two <= count/16, at least 1), so a room crossing one
 * doubling gets ~16 `presence.count` frames however many joined: a storm to n members costs O(n)
 * frames in total, not O(n^2). The step needs nothing stored; [R-PRES2]'s wait keeps when the last
 * count went out in the state.
 */
export function countStep(count: number): number {
  let step = 1;
  while (step * 2 <= count / 16) step *= 2;
  return step;
}

const topic = z.string().min(1).max(100);
const data = z.unknown().refine((v) => v !== undefined, "`data` is required");

export const relayCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("publish"), topic: topic.optional(), data }),
  z.object({ type: z.literal("whisper"), to: z.string().min(1).max(200), data }),
  z.object({ type: z.literal("ping") }),
]);
export type RelayCommand = z.infer<typeof relayCommand>;

export const relayKind: CommandKind<RelayState, RelayCommand> = {
  name: "relay",
  command: relayCommand,
  /**
   * `presence: false` keeps join/leave out of the stream (the online list stays in the
   * snapshot): big broadcast rooms would otherwise send n frames for every join.
   */
  config: z
    .object({ presence: z.boolean().optional(), presenceDetailMax: z.number().int().min(0).max(100_000).optional(), presenceCountMs: z.number().int().min(0).max(60_000).optional() })
    .passthrough(),
  init: () => ({ published: 0 }),

  apply(state, command, ctx) {
    const from = ctx.actor.userId;
    switch (command.type) {
      case "ping":
        return applied(state, [], { replies: [{ type: "pong", timestamp: ctx.now }] });
      case "publish": {
        if (ctx.actor.role === "viewer") return reject("FORBIDDEN", "Viewers may not publish.", 403);
        const body = { type: "publish", ...(command.topic ? { topic: command.topic } : {}), data: command.data, from, timestamp: ctx.now };
        return applied({ ...state, published: state.published + 1 }, [{ body }], { result: { published: state.published + 1 } });
      }
      case "whisper": {
        // A whisper is a publish to one member: viewers may do neither (checked first, so a
        // viewer cannot probe who is present either).
        if (ctx.actor.role === "viewer") return reject("FORBIDDEN", "Viewers may not whisper.", 403);
        if (!ctx.online.some((a) => a.userId === command.to)) return reject("NOT_PRESENT", `User ${command.to} is not in this room.`, 404);
        const body = { type: "whisper", to: command.to, data: command.data, from, timestamp: ctx.now };
        return applied(state, [{ body, to: [command.to, from] }]);
      }
    }
  },

  // The list is capped: every joiner gets a snapshot, so an uncapped list makes filling a big room O(n^2).
  view: (state, _viewer, room) => ({
    published: state.published,
    onlineCount: room.online.length,
    online: room.online.slice(0, ONLINE_LIST_MAX).map((a) => ({ id: a.userId, name: a.name })),
  }),

  /** [R-PRES2] The count held back is said now, if it is still counts-only and still news. */
  wake(state, ctx) {
    if (!state.countDue) return applied(state);
    const { countDue: _due, ...rest } = state;
    const count = ctx.online.length;
    if (ctx.config.presence === false || count <= detailMax(ctx.config) || count === state.countSaid) return applied(rest);
    return countSaid(rest, count, ctx.now);
  },

  sockets: {
    presence(state, change, ctx) {
      if (ctx.config.presence === false) return applied(state);
      // Presence is ephemeral (`log: false`): the snapshot says who is online, so it is never replayed
      // and a join storm never fills the log ([R-PRES1]). ctx.online already reflects this change.
      const max = detailMax(ctx.config);
      const count = ctx.online.length;
      const before = change.kind === "join" ? count - 1 : count + 1;
      if (count > max || before > max) {
        // Counts-only: one frame to everyone when the count lands on a step, or when it crosses the threshold.
        const crossed = (count > max) !== (before > max);
        const every = countEvery(ctx.config);
        const onStep = count % countStep(count) === 0;
        const waited = state.countAt === undefined || ctx.now - state.countAt >= every;
        // A crossing never waits; [R-PRES2] a step goes at once only `every` or more after the last count.
        if (crossed || (onStep && waited)) return countSaid(state, count, ctx.now);
        // [R-PRES2] Anything else is held for the wake, one at a time: a step soon after the last count,
        // and a count between steps too, so the count a storm ends at is said within `every` of its
        // last change however its last step was timed (with `every` 0, steps only).
        if (every === 0 || state.countDue || count === state.countSaid) return applied(state);
        return applied({ ...state, countDue: true }, [], { wakeAt: Math.max(ctx.now, (state.countAt ?? ctx.now) + every) });
      }
      const { userId, name } = change.actor;
      const body = { type: change.kind === "join" ? "presence.join" : "presence.leave", user: { id: userId, name }, timestamp: ctx.now };
      return applied(state, [{ body, log: false }]);
    },
  },
};

const detailMax = (config: Record<string, unknown>) => (typeof config.presenceDetailMax === "number" ? config.presenceDetailMax : PRESENCE_DETAIL_MAX);
const countEvery = (config: Record<string, unknown>) => (typeof config.presenceCountMs === "number" ? config.presenceCountMs : PRESENCE_COUNT_MS);

/** One `presence.count` to everyone (ephemeral), remembered so the next waits its time. */
function countSaid(state: RelayState, count: number, now: number) {
  const { countDue: _due, ...rest } = state;
  return applied({ ...rest, countAt: now, countSaid: count }, [{ body: { type: "presence.count", count, timestamp: now }, log: false }]);
}
