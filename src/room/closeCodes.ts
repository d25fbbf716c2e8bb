/**
 * The one table of WebSocket close codes (PROTOCOLS.md §1). Clients treat
 * 4001/4003/4004 and 1000 as final; the rest invite a reconnect.
 */
export const CloseCode = {
  normal: 1000,
  /** Socket silent past the idle timeout (no frame, no auto-pong). Hearth's own. */
  idle: 4000,
  invalidToken: 4001,
  forbidden: 4003,
  notFound: 4004,
  abuse: 4008,
  full: 4009,
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
} as const;
