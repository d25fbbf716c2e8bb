import { applied, reject, type AnyKind, type ApplyResult, type Incoming, type KindCtx, type PresenceChange } from "../core/kind.ts";
import type { JournalRecord } from "./store/RoomStore.ts";

/**
 * What a kind is handed for one input, in the form the journal keeps it
 * ([J1]): the pipeline builds it from a live input, replay reads it back.
 * socket/http: the validated command; object: `{from, body}`;
 * presence: `{kind, params}` (the actor is the joiner); timer: null.
 */
export type KindInput = Pick<JournalRecord, "source" | "actor" | "body">;

/**
 * The one map from an input to the kind hook that decides it, shared by the
 * pipeline (apply.ts) and replay, so time travel can't part from what the
 * room did. A kind without the hook an input needs: a timer or a presence
 * change is a no-op; a command or a message is refused with a code.
 * A refused presence change keeps the state (presence is a fact, not a
 * request); `onPresenceRefused` hears the code.
 */
export function dispatch(kind: AnyKind, state: unknown, input: KindInput, ctx: KindCtx, onPresenceRefused?: (code: string) => void): ApplyResult<unknown> {
  switch (input.source) {
    case "socket":
    case "http":
      return kind.apply ? kind.apply(state, input.body, ctx) : reject("NO_COMMANDS", `Rooms of kind ${kind.name} take no commands.`, 400);
    case "timer":
      return kind.wake ? kind.wake(state, ctx) : applied(state);
    case "object":
      return kind.receive ? kind.receive(state, input.body as Incoming, ctx) : reject("NO_RECEIVER", `Rooms of kind ${kind.name} take no messages from other objects.`, 400);
    case "presence": {
      const hook = kind.sockets?.presence;
      if (!hook) return applied(state);
      const r = hook(state, { ...(input.body as Omit<PresenceChange, "actor">), actor: input.actor }, ctx);
      if (r.ok) return r;
      onPresenceRefused?.(r.code);
      return applied(state);
    }
  }
}
