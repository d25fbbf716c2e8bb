import type { Actor, PresenceChange } from "../../core/kind.ts";
import type { Attachment } from "../connections.ts";
import type { KindInput } from "../dispatch.ts";
import { objectActor, TIMER_ACTOR } from "../kindCtx.ts";
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
export type Stage = "limits" | "decode" | "validate" | "authorize" | "dedup" | "apply" | "commit" | "fanOut";

/** Who an input acts as: never taken from a frame, always from the token or the core. */
export function actorOf(input: Input): Actor {
  switch (input.source) {
    case "socket":
      return input.att.actor;
    case "http":
      return input.actor;
    case "timer":
      return TIMER_ACTOR;
    case "object":
      return objectActor(input.envelope.from);
    case "presence":
      return input.change.actor;
  }
}

/** The connection an input came over (what ctx.connId says), if a socket. */
export const connIdOf = (input: Input): string | null => (input.source === "socket" ? input.att.connId : null);

/**
 * An input as its kind sees it and the journal keeps it (dispatch.ts): the
 * validated command, the message with its sender, or the presence change;
 * nothing of the transport.
 */
export function kindInput(input: Input, command: unknown): KindInput {
  const actor = actorOf(input);
  switch (input.source) {
    case "socket":
    case "http":
      return { source: input.source, actor, body: command };
    case "object":
      return { source: "object", actor, body: { from: input.envelope.from, body: input.envelope.body } };
    case "presence":
      return { source: "presence", actor, body: { kind: input.change.kind, params: input.change.params } };
    case "timer":
      return { source: "timer", actor, body: null };
  }
}
