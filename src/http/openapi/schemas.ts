import { z } from "zod";

/**
 * Response shapes many routes share, for their `describeRoute` docs. Top-level
 * fields are exact (the contract test refuses a field the document doesn't
 * name); what a kind's view holds is left open (`state: unknown`): each
 * system's README describes it, and it changes with the kind, not the route.
 */

const seq = z.number().int().min(0).describe("The room's log position after this call (see docs/protocol.md, Ordering).");
const epoch = z.string().describe("The room's log epoch: a resume with `since` is valid only in the same epoch.");
export const seqEpoch = { seq, epoch };

/** Hearth's one HTTP error shape (docs/protocol.md, HTTP errors); the builder narrows `code` per status. */
export const errorBody = (code: z.ZodType = z.string()) =>
  z.object({
    error: z.object({
      code: code.describe("Stable, documented; switch on this."),
      message: z.string().describe("For humans; may change."),
      details: z.unknown().optional().describe("Validation issues `[{path, message}]`, or facts about the refusal."),
    }),
  });

/** A room's snapshot (`GET /api/rooms/:roomId` and every system's read of one room). */
export const roomSnapshot = z.object({
  roomId: z.string(),
  kind: z.string(),
  ...seqEpoch,
  createdAt: z.number().describe("ms since the epoch"),
  state: z.unknown().describe("The kind's view of the room for this caller (see the system's README)."),
});

/** One page of a room's logged frames, newest first. */
export const historyPage = z.object({
  entries: z.array(z.record(z.string(), z.unknown())).describe("Logged frames this caller may see, newest first."),
  next: z.number().int().nullable().describe("Pass as `before` for the next (older) page; null when there is none."),
});

/** What a command sent over HTTP answers. */
export const commandOutcome = z.object({
  ...seqEpoch,
  result: z.unknown().describe("The kind's answer to the command (null for most)."),
  replayed: z.literal(true).optional().describe("Present on an `Idempotency-Key` replay."),
});

const counters = <K extends string>(...keys: K[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.number()])) as Record<K, z.ZodNumber>);

/** A room's operating figures ([M1], src/room/metrics.ts). */
export const metricsReport = {
  since: z.number().describe("ms since the epoch: when counting started"),
  connections: counters("current", "opened", "closed", "refused", "peak"),
  messages: counters("in", "out", "http"),
  bytes: counters("in", "out"),
  errors: z.object({ total: z.number(), byCode: z.record(z.string(), z.number()) }),
  broadcasts: z.object({
    count: z.number(),
    recipients: z.number(),
    latencyMs: z.object({
      total: z.number(),
      max: z.number(),
      mean: z.number(),
      p50: z.number().nullable(),
      p95: z.number().nullable(),
      buckets: z.array(z.number()),
      bucketsMs: z.array(z.number()),
    }),
  }),
  deliveries: counters("sent", "failed"),
};

/** Query parameters every socket route reads (the token, and the resume cursor every room honours). */
export const socketQuery = z.object({
  token: z.string().optional().describe("The bearer token, for clients that can't set headers (or use the `bearer.<jwt>` subprotocol)."),
  since: z.string().regex(/^\d{1,15}$/).optional().describe("Resume: the last `seq` this client saw. Missed frames are replayed, else a fresh snapshot says `recovered: false`."),
  epoch: z.string().optional().describe("Resume: the `epoch` that `since` belongs to."),
  batch: z.literal("1").optional().describe("`1`: frames may arrive as JSON arrays of frames (fewer WebSocket messages under load)."),
  compression: z
    .enum(["message", "context"])
    .optional()
    .describe("How permessage-deflate compresses frames when the client offers it: `message`, each frame on its own (least server CPU); `context`, a window per socket (fewest bytes for frames that repeat each other). Without it, the route's own choice; any other value is ignored."),
});
