/**
 * Every problem the SDK reports is one of these codes, so an app can branch on
 * `err.code` instead of parsing messages (same idea as the server's stable
 * error codes).
 */
export type HearthClientErrorCode =
  /** `send`/`sendCommand` while the SDK already holds `queueMax` messages. */
  | "QUEUE_FULL"
  /** The socket was closed for good (by `close()` or a final close code). */
  | "CLOSED"
  /** The server sent something that is not a JSON object (or a binary frame). */
  | "BAD_FRAME"
  /** `getToken` threw or rejected; the attempt is retried with backoff. */
  | "TOKEN_FAILED"
  /** The WebSocket constructor threw (bad URL, blocked scheme, ...). */
  | "SOCKET_FAILED"
  /** An app listener threw; reported so it cannot break the SDK's bookkeeping. */
  | "LISTENER_FAILED"
  /** The server answered a command id with an error frame; the command was not applied. */
  | "COMMAND_REJECTED"
  /** A resume never ended with a `recovered` marker or snapshot; the SDK went live anyway. */
  | "RESUME_TIMEOUT"
  /** A fresh connection got no snapshot within `resumeTimeoutMs`; the SDK went live anyway. */
  | "SNAPSHOT_TIMEOUT"
  /** The server answered a fresh token with `ok: false` (it checks no tokens on open sockets); the socket closes at `exp` and reconnects. */
  | "TOKEN_REFRESH_REFUSED";

export class HearthClientError extends Error {
  override readonly name = "HearthClientError";

  constructor(
    readonly code: HearthClientErrorCode,
    message: string,
    /** The offending frame, close info or thrown value, when there is one. */
    readonly detail?: unknown,
  ) {
    super(message);
  }
}
