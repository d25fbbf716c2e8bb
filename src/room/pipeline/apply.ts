import { applied, type Actor, type ApplyResult } from "../../core/kind.ts";
import { Errors, hearthError } from "../../core/hearthError.ts";
import { kindCtx, objectActor, TIMER_ACTOR } from "../kindCtx.ts";
import type { RoomContext } from "../roomContext.ts";
import type { Input } from "./input.ts";

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

/**
 * Stage 5: the pure kind decides. A kind that throws costs this input, never
 * the room. A kind may refuse a presence change (logged), but the core still
 * records who is here: presence is a fact, not a request.
 */
export function apply(rc: RoomContext, input: Input, command: unknown, now: number): ApplyResult<unknown> {
  const { kind } = rc.l;
  const ctx = kindCtx(rc, actorOf(input), input.source === "socket" ? input.att.connId : null, now);
  try {
    switch (input.source) {
      case "socket":
      case "http":
        return kind.apply(rc.state, command, ctx);
      case "timer":
        return kind.wake ? kind.wake(rc.state, ctx) : applied(rc.state);
      case "object":
        return kind.receive
          ? kind.receive(rc.state, { from: input.envelope.from, body: input.envelope.body }, ctx)
          : hearthError("NO_RECEIVER", `Rooms of kind ${kind.name} take no messages from other objects.`, 400);
      case "presence": {
        if (!kind.presence) return applied(rc.state);
        const r = kind.presence(rc.state, input.change, ctx);
        if (r.ok) return r;
        rc.log.warn("presence_rejected", { roomId: rc.l.meta.roomId, code: r.code });
        return applied(rc.state);
      }
    }
  } catch (err) {
    rc.log.error("kind_threw", { roomId: rc.l.meta.roomId, source: input.source, err: String(err) });
    return input.source === "presence" ? applied(rc.state) : Errors.internal();
  }
}
