/**
 * Hearth's close codes as the client names them: the server's table (src/core/closeCodes.ts in the
 * Hearth repo) plus 1006. Written out here because the SDK is a package of its own that ships
 * without server code; closeCodes.test.ts fails if the two tables ever disagree.
 */
export const CLOSE_CODES = {
  /** Room ended: the server is done with us. */
  NORMAL: 1000,
  /** What browsers report when the socket died without a close frame. */
  ABNORMAL: 1006,
  IDLE: 4000,
  INVALID_TOKEN: 4001,
  FORBIDDEN: 4003,
  NOT_FOUND: 4004,
  /** Rate limit or message size abuse. */
  ABUSE: 4008,
  ROOM_FULL: 4009,
  /** Connection age limit: reconnect (and resume) at once. */
  MAX_AGE: 4010,
  /** Fell behind the room's send bound: reconnect and resume. */
  TOO_SLOW: 4011,
} as const;

/**
 * What to do after a close:
 * - "final": retrying cannot help (room ended, not allowed, not found).
 * - "auth": the token was rejected; worth exactly one retry if a fresh token can be fetched.
 * - "retry-slow": the server pushed back (rate limit, room full); retry, but never instantly.
 * - "retry": anything else, including 1006 (network), 1001 (server going away) and 1011/1012
 *   (restart): transient by assumption, because a client that gives up on an unknown code
 *   strands the user, while one that retries with backoff costs the server little.
 */
export type CloseAction = "final" | "auth" | "retry-slow" | "retry";

export function closePolicy(code: number): CloseAction {
  switch (code) {
    case CLOSE_CODES.NORMAL:
    case CLOSE_CODES.FORBIDDEN:
    case CLOSE_CODES.NOT_FOUND:
      return "final";
    case CLOSE_CODES.INVALID_TOKEN:
      return "auth";
    case CLOSE_CODES.ABUSE:
    case CLOSE_CODES.ROOM_FULL:
      return "retry-slow";
    default:
      return "retry";
  }
}
