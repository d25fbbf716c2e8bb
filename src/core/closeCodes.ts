/**
 * The one table of WebSocket close codes (PROTOCOLS.md §1, docs/protocol.md).
 * The server closes with these and the client SDK decides from them whether
 * to reconnect (packages/client/src/closePolicy.ts keeps a copy, checked equal by a test): 1000, 4001,
 * 4003 and 4004 are final; the rest invite a reconnect.
 */
export const CloseCode = {
  normal: 1000,
  /** Silent past the idle timeout of a system that asks for one (seed 004: 40 s). Hearth's own. */
  idle: 4000,
  invalidToken: 4001,
  forbidden: 4003,
  notFound: 4004,
  abuse: 4008,
  full: 4009,
  /** Older than the system's connection age limit (seed 003: 1 hour). Reconnect at once. Hearth's own. */
  maxAge: 4010,
  /**
   * The socket fell too far behind ([F2], [F3]): what it was sent and has not acknowledged (`cursor`
   * frames), or, for a socket that never acknowledges, what it was sent since it last showed
   * life, passed the system's bound. Reconnect and resume from the cursor. Hearth's own.
   */
  tooSlow: 4011,
} as const;

/** Reasons are short: a close reason may be at most 123 bytes. */
export const CloseReason = {
  invalidToken: "Invalid token",
  tokenExpired: "Token expired",
  notFound: "Session not found",
  idle: "Idle timeout",
  full: "Room full",
  userFull: "Too many connections for this user",
  abuse: "Rate limit or frame size exceeded",
  maxAge: "Connection age limit reached",
  tooSlow: "Too far behind",
  originNotAllowed: "Origin not allowed",
  tokenNotForRoom: "Token is not valid for this room",
} as const;
