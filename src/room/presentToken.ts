import { CloseCode, CloseReason } from "../core/closeCodes.ts";
import type { RoomParts } from "./assemble.ts";
import type { Attachment } from "./connections.ts";
import { checkLimits } from "./pipeline/limits.ts";
import { applyRefresh, judgeRefresh, RefreshRefusal, tokenReply, type TokenCheck, type TokenFrame, type VerifyToken } from "./refreshToken.ts";
import { OPEN, type HostSocket } from "./RoomHost.ts";
import { drop } from "./sweep.ts";

export interface PresentTokenDeps {
  /** The worker's token check, handed in by the shell (absent: this server can't check tokens). */
  verify: VerifyToken | undefined;
  now(): number;
  /** The room's parts after the check's await: other events ran meanwhile (null: the room is gone). */
  reenter(): RoomParts | null;
}

/**
 * A fresh token on an open socket ([K1]-[K5]): rate-limited like any frame, then checked as a new
 * connection's token would be; the socket's deadline moves, or it closes with 4001.
 */
export async function presentToken(deps: PresentTokenDeps, rc: RoomParts, ws: HostSocket, att: Attachment, data: string | ArrayBuffer, frame: TokenFrame, now: number): Promise<void> {
  const limited = checkLimits(rc.gate, { source: "socket", ws, att, data }, now);
  if (limited) {
    rc.metrics.error(limited.code);
    if (limited.abuse) return drop(rc.sweep, ws, att, CloseCode.abuse, CloseReason.abuse);
    rc.outlet.send(ws, rc.codec.error(limited.code, limited.message, {}, att.connId));
    return;
  }
  if (frame.token === null) return applyRefresh(rc.refresh, ws, att, frame.form, { ok: false, reason: RefreshRefusal.missing });
  if (!deps.verify) {
    rc.outlet.send(ws, tokenReply(frame.form, { ok: false, code: "AUTH_NOT_CONFIGURED", message: "This server does not check tokens on open sockets." }));
    return;
  }
  const check: TokenCheck = await deps.verify(frame.token, att.grant?.room ?? null).catch((err: unknown) => {
    rc.log.error("token_check_failed", { roomId: rc.meta.roomId, err: String(err) });
    return { ok: false, code: "TOKEN_INVALID", message: "The token could not be checked." };
  });
  // Other events ran while the token was checked: the socket may be gone, the room reset.
  const live = deps.reenter();
  const current = live?.conns.attachment(ws);
  if (!live || !current || current.connId !== att.connId || ws.readyState !== OPEN || live.conns.isGone(ws)) return;
  applyRefresh(live.refresh, ws, current, frame.form, judgeRefresh(current, check, deps.now()));
}
