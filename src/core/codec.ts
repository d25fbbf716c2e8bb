/**
 * A codec maps one system's wire frames to commands and Hearth's frames back
 * to wire text. Two families exist: `{type, ...}` (seeds 000/001/003/004) and
 * `{event, data}` (seed 002). Whatever the family, Hearth's own fields
 * (`seq`, `epoch`, `recovered`) sit at the top level of the frame so one
 * client SDK can read them for every system.
 */

/** A decoded client frame: the command for the kind, plus an optional client id for dedup. */
export interface Decoded {
  ok: true;
  command: { type: string } & Record<string, unknown>;
  /** Client-chosen command id; a repeated id is acknowledged, not re-applied. */
  id?: string;
}

export interface DecodeError {
  ok: false;
  code: "BAD_JSON" | "BAD_FRAME" | "JSON_TOO_DEEP" | "JSON_TOO_COMPLEX";
  message: string;
}

export interface FrameMeta {
  seq: number;
  epoch: string;
}

export interface Codec {
  readonly name: string;
  decode(text: string): Decoded | DecodeError;
  /** A logged or ephemeral broadcast body, with its seq/epoch when logged. */
  encode(body: Record<string, unknown>, meta?: FrameMeta): string;
  /** The full state for one viewer. `recovered` is set only when answering a resume. */
  snapshot(view: unknown, meta: FrameMeta & { recovered?: boolean }): string;
  /** Ends a successful replay. */
  recovered(meta: FrameMeta): string;
  /** An error for one socket; `connId` is that socket's id, which a codec may name (seed 004's `socket_id`). */
  error(code: string, message: string, extra?: Record<string, unknown>, connId?: string): string;
  /** Acknowledges a client command that carried an `id`. */
  ack(id: string, meta: { seq?: number; duplicate?: boolean }, connId?: string): string;
  /** Several frames (each already encoded by this codec) as one, for sockets that asked for batches ([B1]). */
  batch(frames: readonly string[]): string;
}
