import { z } from "zod";
import { applied, reject, type Kind } from "../../core/kind.ts";

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
}

/** How many members a snapshot lists by name; `onlineCount` always has the total. */
export const ONLINE_LIST_MAX = 100;

const topic = z.string().min(1).max(100);
const data = z.unknown().refine((v) => v !== undefined, "`data` is required");

export const relayCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("publish"), topic: topic.optional(), data }),
  z.object({ type: z.literal("whisper"), to: z.string().min(1).max(200), data }),
  z.object({ type: z.literal("ping") }),
]);
export type RelayCommand = z.infer<typeof relayCommand>;

export const relayKind: Kind<RelayState, RelayCommand> = {
  name: "relay",
  command: relayCommand,
  /**
   * `presence: false` keeps join/leave out of the stream (the online list stays in the
   * snapshot): big broadcast rooms would otherwise send n frames for every join.
   */
  config: z.object({ presence: z.boolean().optional() }).passthrough(),
  init: () => ({ published: 0 }),

  apply(state, command, ctx) {
    const from = ctx.actor.userId;
    switch (command.type) {
      case "ping":
        return applied(state, [], { replies: [{ type: "pong", timestamp: ctx.now }] });
      case "publish": {
        if (ctx.actor.role === "viewer") return reject("FORBIDDEN", "Viewers may not publish.", 403);
        const body = { type: "publish", ...(command.topic ? { topic: command.topic } : {}), data: command.data, from, timestamp: ctx.now };
        return applied({ published: state.published + 1 }, [{ body }], { result: { published: state.published + 1 } });
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

  presence(state, change, ctx) {
    if (ctx.config.presence === false) return applied(state);
    const { userId, name } = change.actor;
    const body = { type: change.kind === "join" ? "presence.join" : "presence.leave", user: { id: userId, name }, timestamp: ctx.now };
    return applied(state, [{ body }]);
  },
};
