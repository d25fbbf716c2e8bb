/**
 * The one error value of Hearth, used by kinds (rule rejections such as
 * NOT_YOUR_TURN) and by the core (ROOM_NOT_FOUND, RATE_LIMITED, ...) alike.
 * `code` is stable and documented; `message` is for humans; `status` is what
 * an HTTP caller sees (409 when a kind leaves it out: a rule said no).
 */
export interface HearthError {
  ok: false;
  code: string;
  message: string;
  status?: number;
  details?: unknown;
}

export const hearthError = (code: string, message: string, status?: number, details?: unknown): HearthError => ({
  ok: false,
  code,
  message,
  ...(status === undefined ? {} : { status }),
  ...(details === undefined ? {} : { details }),
});

/** The HTTP status of an error: a kind's rejection without one is a conflict with its rules. */
export const statusOf = (err: HearthError): number => err.status ?? 409;

/** The core's own errors. Kinds define theirs beside their rules. */
export const Errors = {
  notFound: () => hearthError("ROOM_NOT_FOUND", "No such room or session.", 404),
  exists: () => hearthError("ROOM_EXISTS", "A room with this id already exists.", 409),
  badCommand: (details: unknown) => hearthError("BAD_COMMAND", "The command is not valid for this room.", 400, details),
  tooLarge: (max: number) => hearthError("FRAME_TOO_LARGE", `Frames and bodies may be at most ${max} bytes.`, 413),
  rateLimited: () => hearthError("RATE_LIMITED", "Too many messages; slow down.", 429),
  idempotencyMismatch: () =>
    hearthError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request body.", 422),
  internal: () => hearthError("INTERNAL", "Something went wrong inside the room; nothing was applied.", 500),
} as const;
