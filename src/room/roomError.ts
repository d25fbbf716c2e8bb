/**
 * Errors are values. `code` is stable and documented; `message` is for humans;
 * `status` is what an HTTP caller sees.
 */
export interface RoomError {
  ok: false;
  code: string;
  message: string;
  status: number;
  details?: unknown;
}

export const roomError = (code: string, message: string, status: number, details?: unknown): RoomError => ({
  ok: false,
  code,
  message,
  status,
  ...(details === undefined ? {} : { details }),
});

export const Errors = {
  notFound: () => roomError("ROOM_NOT_FOUND", "No such room or session.", 404),
  exists: () => roomError("ROOM_EXISTS", "A room with this id already exists.", 409),
  badCommand: (details: unknown) => roomError("BAD_COMMAND", "The command is not valid for this room.", 400, details),
  tooLarge: (max: number) => roomError("FRAME_TOO_LARGE", `Frames and bodies may be at most ${max} bytes.`, 413),
  rateLimited: () => roomError("RATE_LIMITED", "Too many messages; slow down.", 429),
  idempotencyMismatch: () =>
    roomError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request body.", 422),
  internal: () => roomError("INTERNAL", "Something went wrong inside the room; nothing was applied.", 500),
} as const;
