import { applied, type Actor, type AnyKind, type ApplyResult, type KindCtx } from "../../core/kind.ts";
import { Errors } from "../../core/hearthError.ts";
import { dispatch } from "../dispatch.ts";
import type { Logger } from "../logger.ts";
import { actorOf, connIdOf, kindInput, type Input } from "./input.ts";

/** What stage 6 uses: the kind, the committed state, the one context builder, and a log. */
export interface ApplyPort {
  kind: AnyKind;
  state(): unknown;
  ctx(actor: Actor, connId: string | null, now: number): KindCtx;
  log: Logger;
  roomId: string;
}

/**
 * Stage 6: the pure kind decides, through the one dispatch replay uses too
 * (dispatch.ts). A kind that throws costs this input, never the room. A kind
 * may refuse a presence change (logged), but the core still records who is
 * here: presence is a fact, not a request.
 */
export function apply(port: ApplyPort, input: Input, command: unknown, now: number, id?: string): ApplyResult<unknown> {
  const state = port.state();
  const base = port.ctx(actorOf(input), connIdOf(input), now);
  // A socket command's id, for a kind that answers it later ([P14]); never for other sources.
  const ctx = input.source === "socket" && id !== undefined ? { ...base, commandId: id } : base;
  try {
    return dispatch(port.kind, state, kindInput(input, command), ctx, (code) => port.log.warn("presence_rejected", { roomId: port.roomId, code }));
  } catch (err) {
    port.log.error("kind_threw", { roomId: port.roomId, source: input.source, err: String(err) });
    return input.source === "presence" ? applied(state) : Errors.internal();
  }
}
