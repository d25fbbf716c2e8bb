import { applied, reject, type CommandKind } from "@hearth/server";
import { z } from "zod";

/**
 * The rules of a poll: a question, two to ten options, one vote per user (a new vote replaces
 * the old one) until the poll's owner closes it. Pure: no I/O, no clock, no randomness of its
 * own, so the room's log replays to the same state.
 */

/** What the room is created with (validated once, at creation; never copied into state). */
export const pollConfig = z.object({
  question: z.string().trim().min(1).max(200),
  options: z.array(z.string().trim().min(1).max(100)).min(2).max(10),
  /** The user who may close the poll: the route puts the creator's id here. */
  owner: z.string().min(1),
});
export type PollConfig = z.infer<typeof pollConfig>;

/** The state: who voted for which option (by index), and whether voting is over. */
export interface PollState {
  votes: Record<string, number>;
  closed: boolean;
}

export const pollCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("vote"), option: z.number().int().min(0) }),
  z.object({ type: z.literal("close") }),
]);
export type PollCommand = z.infer<typeof pollCommand>;

/** Votes per option, in the options' order. */
export function tally(state: PollState, optionCount: number): number[] {
  const counts = new Array<number>(optionCount).fill(0);
  for (const option of Object.values(state.votes)) counts[option] = (counts[option] ?? 0) + 1;
  return counts;
}

export const pollKind: CommandKind<PollState, PollCommand> = {
  name: "poll",
  config: pollConfig,
  command: pollCommand,
  init: () => ({ votes: {}, closed: false }),

  apply(state, command, ctx) {
    const config = ctx.config as PollConfig;
    switch (command.type) {
      case "vote": {
        if (state.closed) return reject("POLL_CLOSED", "This poll is closed.", 409);
        if (command.option >= config.options.length) {
          return reject("BAD_OPTION", `Option ${command.option} does not exist; this poll has ${config.options.length}.`, 400);
        }
        const next = { ...state, votes: { ...state.votes, [ctx.actor.userId]: command.option } };
        const counts = tally(next, config.options.length);
        // Everyone sees the new counts; the ballot itself stays secret (no user id in the frame).
        return applied(next, [{ body: { type: "tally", counts } }], { result: { counts } });
      }
      case "close": {
        if (ctx.actor.userId !== config.owner) return reject("FORBIDDEN", "Only the poll's owner may close it.", 403);
        if (state.closed) return reject("POLL_CLOSED", "This poll is already closed.", 409);
        const next = { ...state, closed: true };
        const counts = tally(next, config.options.length);
        return applied(next, [{ body: { type: "closed", counts } }], { result: { counts } });
      }
    }
  },

  /** What one viewer sees: the counts, and their own vote only. */
  view(state, viewer, ctx) {
    const config = ctx.config as PollConfig;
    return {
      question: config.question,
      options: config.options,
      counts: tally(state, config.options.length),
      closed: state.closed,
      myVote: state.votes[viewer.userId] ?? null,
    };
  },

  // Sockets are welcome (live tallies); the kind needs no presence or admission hook of its own.
  sockets: {},
};
