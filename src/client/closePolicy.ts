import { CloseCode } from "../core/closeCodes";

/** Hearth's close codes as the client names them: the server's one table (src/core/closeCodes.ts) plus 1006. */
export const CLOSE_CODES = {
  /** Room ended: the server is done with us. */
  NORMAL: CloseCode.normal,
  /** What browsers report when the socket died without a close frame. */
  ABNORMAL: 1006,
  IDLE: CloseCode.idle,
  INVALID_TOKEN: CloseCode.invalidToken,
  FORBIDDEN: CloseCode.forbidden,
  NOT_FOUND: CloseCode.notFound,
  /** Rate limit or message size abuse. */
  ABUSE: CloseCode.abuse,
  ROOM_FULL: CloseCode.full,
  /** Connection age limit: reconnect (and resume) at once. */
  MAX_AGE: CloseCode.maxAge,
  /** Fell behind the room's send bound: reconnect and resume. */
  TOO_SLOW: CloseCode.tooSlow,
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
