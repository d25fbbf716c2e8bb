/**
 * Mirrors: one room's log followed by other objects, with the seqs and the
 * epoch it gave. The feed's shards mirror their root, so every subscriber of
 * every shard sees the same seq for the same event and can resume on any
 * shard. This is the one core facility for a room spread over objects (the
 * streams work grows it into the general one); the room core knows these
 * types and nothing else of the feed.
 */

/**
 * A room created into a mirror set (a source and the rooms that follow it): the epoch they all share,
 * and, for a follower added late, the seq its log starts at (default 0). A source passes only the epoch.
 */
export interface MirrorOf {
  epoch: string;
  /** The source's head when the mirror was added: its first snapshot says how far it reflects. */
  head?: number;
}

/**
 * A frame of the source, logged here at exactly the seq the source gave it and
 * sent to every socket. One at or below this room's head was had already and
 * is dropped (neither logged nor sent): mirrored delivery is at least once.
 */
export interface MirroredFrame {
  seq: number;
  body: Record<string, unknown>;
}

/**
 * How a connect refusal reaches whoever asked. "http": a JSON error before
 * the upgrade (Hearth's own routes), except capacity, which always closes with
 * 4009 so a client learns to back off; "close": accept and close with a code
 * (seeds that demand 4003/4004/4009, every client offering `hearth`);
 * "placing": a worker placing the socket among a room's objects hears every
 * refusal over HTTP, capacity included, and tries the next object.
 */
export type RefusalStyle = "http" | "close" | "placing";

/**
 * Whether a connect refusal goes back over HTTP (true) or as a close. A room
 * at capacity ("roomFull") is heard over HTTP only by a placing worker; a user
 * with too many sockets ("userFull") always hears a close.
 */
export function refusesOverHttp(style: RefusalStyle | undefined, why: "roomFull" | "userFull" | "other"): boolean {
  if (why === "userFull") return false;
  if (style === "placing") return true;
  return style === "http" && why === "other";
}
