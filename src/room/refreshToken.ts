import { CloseCode, CloseReason } from "../core/closeCodes.ts";
import type { Actor } from "../core/kind.ts";
import type { AlarmClock } from "./alarmClock.ts";
import type { Attachment } from "./connections.ts";
import type { Logger } from "./logger.ts";
import type { Outlet } from "./outlet.ts";
import type { HostSocket } from "./RoomHost.ts";
import { drop, socketDeadline, type SweepPort } from "./sweep.ts";

/**
 * Token refresh on an open socket ([K1]-[K5], docs/protocol.md "Presenting a fresh token").
 *
 * Any client may send `{"type":"hearth.token","token":"<jwt>"}` (or, in the event family,
 * `{"event":"hearth.token","data":{"token":"<jwt>"}}`) over its open socket. The room takes it
 * before the codec and the kind (no seed frame is named `hearth.token`), checks the token as the
 * worker checks a new connection, and either moves the socket's deadline and answers
 * `{"type":"hearth.token","ok":true,"expiresAt":<ms>}`, or closes the socket with 4001.
 * The token itself is never logged.
 */
export const TOKEN_FRAME = "hearth.token";

/** Frames longer than this are never taken for a token frame (they go to the pipeline, which refuses them by size). */
const MAX_TOKEN_FRAME_CHARS = 16 * 1024;

/**
 * What the worker's verifier says of a presented token, for this room: the actor it would get
 * on a new connection (`actorFor(claims, objectName)`; null when a `rooms` claim leaves this room
 * out), and its expiry in ms. A refusal carries the verifier's code (TOKEN_INVALID, TOKEN_EXPIRED,
 * AUTH_NOT_CONFIGURED).
 */
export type TokenCheck =
  | { ok: true; actor: Actor | null; expiresAt: number | null }
  | { ok: false; code: string; message: string };

/**
 * The port the room verifies presented tokens through: the worker's verifier, and `actorFor` for
 * the object named `room` (the socket's TokenGrant room; null: this object's own name).
 */
export type VerifyToken = (token: string, room: string | null) => Promise<TokenCheck>;

/** A token frame as the client sent it; `form` decides the shape of the answer. */
export interface TokenFrame {
  form: "type" | "event";
  /** The token, or null when the frame names `hearth.token` but carries no string token. */
  token: string | null;
}

/** Whether `data` is a token frame ([K1]): cheap for every other frame (one substring check). */
export function tokenFrameOf(data: string | ArrayBuffer): TokenFrame | null {
  if (typeof data !== "string" || data.length > MAX_TOKEN_FRAME_CHARS || !data.includes(`"${TOKEN_FRAME}"`)) return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (o.type === TOKEN_FRAME) return { form: "type", token: tokenIn(o.token) };
  if (o.event === TOKEN_FRAME) {
    const d = o.data;
    return { form: "event", token: d !== null && typeof d === "object" && !Array.isArray(d) ? tokenIn((d as Record<string, unknown>).token) : null };
  }
  return null;
}

const tokenIn = (t: unknown): string | null => (typeof t === "string" && t.length > 0 ? t : null);

/** The answer frame, shaped like the frame the client sent. */
export function tokenReply(form: TokenFrame["form"], body: Record<string, unknown>): string {
  return JSON.stringify(form === "type" ? { type: TOKEN_FRAME, ...body } : { event: TOKEN_FRAME, data: body });
}

export type RefreshJudgement = { ok: true; expiresAt: number | null } | { ok: false; reason: string };

/** Close reasons of a refused refresh (all 4001; a reason is at most 123 bytes). */
export const RefreshRefusal = {
  missing: "Token frame without a token",
  otherUser: "Token is for another user",
  changed: "Token changes the socket's role or scopes",
} as const;

/**
 * Whether a presented token may carry on `socket` ([K2]-[K3]): it verified (signature, issuer,
 * audience, not expired), admits the room the socket's token was admitted to (its `rooms` claim,
 * if any), names the same user, and gives the same role there (the token's, before a route set
 * its own) and the same Hearth scopes. A token that would
 * change who the socket is closes it: the client reconnects, and the connect decides afresh.
 */
export function judgeRefresh(socket: Pick<Attachment, "actor" | "grant">, check: TokenCheck, now: number): RefreshJudgement {
  const { actor } = socket;
  if (!check.ok) return { ok: false, reason: check.code === "TOKEN_EXPIRED" ? CloseReason.tokenExpired : CloseReason.invalidToken };
  if (check.expiresAt !== null && check.expiresAt <= now) return { ok: false, reason: CloseReason.tokenExpired };
  if (!check.actor) return { ok: false, reason: CloseReason.tokenNotForRoom };
  const next = check.actor;
  if (next.userId !== actor.userId) return { ok: false, reason: RefreshRefusal.otherUser };
  if (next.role !== (socket.grant?.role ?? actor.role) || next.service !== actor.service || !sameSet(next.scopes, actor.scopes)) return { ok: false, reason: RefreshRefusal.changed };
  return { ok: true, expiresAt: check.expiresAt };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const s of sa) if (!sb.has(s)) return false;
  return true;
}

/** What applying a judged refresh touches. */
export interface RefreshPort {
  sweep: Pick<SweepPort, "sockets" | "limits" | "outlet" | "presence">;
  outlet: Pick<Outlet, "send">;
  alarm: Pick<AlarmClock, "ensure">;
  log: Logger;
  roomId: string;
}

/**
 * Applies a refresh to an open socket ([K4]): on success the attachment's `expiresAt` moves
 * (and is persisted on the socket, so it survives hibernation), the alarm is re-armed for the
 * socket's next deadline and the client gets its ack; otherwise the socket closes with 4001.
 */
export function applyRefresh(port: RefreshPort, ws: HostSocket, att: Attachment, form: TokenFrame["form"], judged: RefreshJudgement): void {
  if (!judged.ok) {
    port.log.info("token_refresh_refused", { roomId: port.roomId, user: att.actor.userId, reason: judged.reason });
    return drop(port.sweep, ws, att, CloseCode.invalidToken, judged.reason);
  }
  att.expiresAt = judged.expiresAt;
  ws.serializeAttachment(att);
  void port.alarm.ensure(socketDeadline(port.sweep, ws, att));
  port.log.info("token_refreshed", { roomId: port.roomId, user: att.actor.userId, expiresAt: judged.expiresAt });
  port.outlet.send(ws, tokenReply(form, { ok: true, expiresAt: judged.expiresAt }));
}
