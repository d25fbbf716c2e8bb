import { z } from "zod";

/**
 * What the lobby and a game object say to each other through the outbox
 * (exactly once, in order, per sender). Both sides parse what they receive:
 * a message is data from another object, not a trusted value.
 */
const person = z.object({ userId: z.string().min(1).max(200), username: z.string().max(200) });
export type PersonMsg = z.infer<typeof person>;

/** Lobby -> game: a player's command (identity from the lobby socket's token), or a user's last socket closing. */
export const toGame = z.discriminatedUnion("op", [
  /** The room was created: its host's socket (`conn`) follows the game from its first frame ([S6]). */
  z.object({ op: z.literal("open"), conn: z.string().max(100).nullable().optional() }),
  z.object({
    op: z.literal("cmd"),
    user: person,
    conn: z.string().max(100).nullable(),
    command: z.object({ type: z.string().max(64) }).catchall(z.unknown()),
    /** The socket command's `id`: the game answers it (`answer`), and the lobby acks only then. */
    id: z.string().max(200).optional(),
  }),
  z.object({ op: z.literal("gone"), user: person }),
]);
export type ToGame = z.infer<typeof toGame>;

/** The lobby's mirror of a room: enough to list it, route to it and name its audience. */
export const summary = z.object({
  status: z.enum(["Waiting", "InProgress", "Finished", "Abandoned"]),
  host: person,
  players: z.array(person).max(64),
  spectators: z.array(person).max(10_000),
  maxPlayers: z.number().int(),
});
export type Summary = z.infer<typeof summary>;

/** Game -> lobby: frames for the room (or for `to` users only), and the room's summary when it changed. */
export const toLobby = z.object({
  op: z.literal("events"),
  room_id: z.string(),
  /** Frames the lobby relays: none since games are streams ([S6]); kept for messages already in flight. */
  frames: z.array(z.object({ body: z.record(z.string(), z.unknown()), to: z.array(z.string()).optional() })).default([]),
  /** [S6] The sender's socket follows this game from this cursor (its own frames since then are replayed to it). */
  follow: z.object({ userId: z.string().min(1).max(200), conn: z.string().min(1).max(100), since: z.number().int().min(0), epoch: z.string().max(64) }).optional(),
  summary: summary.optional(),
  /** A join the game refused: the lobby drops the user's claim on a seat. */
  refusedJoin: z.string().optional(),
  /** The outcome of a command that carried an `id`: the sender's socket gets its ack, or the error with the id. */
  answer: z
    .object({
      userId: z.string().min(1).max(200),
      conn: z.string().min(1).max(100),
      id: z.string().min(1).max(200),
      error: z.object({ code: z.string().max(100), message: z.string().max(1000) }).optional(),
    })
    .optional(),
});
export type ToLobby = z.infer<typeof toLobby>;
