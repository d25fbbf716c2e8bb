import type { Actor, PresenceChange } from "../../core/kind.ts";
import type { Attachment } from "../connections.ts";
import type { Outcome, SubmitOptions } from "../rpc.ts";
import type { Envelope, HostSocket } from "../RoomHost.ts";

/**
 * Everything a room reacts to, as one type: every input takes the same path
 * through runPipeline.ts, so ordering, dedup, logging and fan-out behave the
 * same whichever way an event arrives.
 */
export type Input =
  /** A frame from a connected socket. */
  | { source: "socket"; ws: HostSocket; att: Attachment; data: string | ArrayBuffer }
  /** A command over HTTP (DO RPC `submit`); `answer` builds what the caller (and a retry) gets. */
  | { source: "http"; actor: Actor; body: unknown; opts: SubmitOptions; answer: (seq: number, result: unknown, state: unknown) => Outcome }
  /** The kind's timer is due. */
  | { source: "timer" }
  /** Another object's outbox delivering one message. */
  | { source: "object"; envelope: Envelope }
  /** A user's first socket opened or last one closed; `exclude` is a socket about to get its catch-up. */
  | { source: "presence"; change: PresenceChange; exclude?: HostSocket };

export type Source = Input["source"];

/** The pipeline's stages, in the one order they run (docs/spec.md [P1]). */
export type Stage = "limits" | "decode" | "validate" | "dedup" | "apply" | "commit" | "fanOut";
