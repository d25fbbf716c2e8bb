import { CloseCode, CloseReason } from "../core/closeCodes.ts";
import type { Attachment } from "./connections.ts";
import { DEDUP_TTL_MS } from "./limits.ts";
import type { HostSocket } from "./RoomHost.ts";
import type { RoomContext } from "./roomContext.ts";

/** Never schedule the alarm closer than this to now: a deadline in the past must not spin it. */
const MIN_ALARM_GAP_MS = 250;
/** Socket deadlines are rounded up to this, so thousands of expiries share a few alarms. */
const SOCKET_GRAIN_MS = 1_000;

/**
 * The socket deadlines and housekeeping that run on the alarm: close sockets
 * whose token expired (4001), that outlived the connection age limit (4010),
 * or that stayed silent past an idle timeout a system asked for (4000);
 * reconcile presence with the open sockets; trim the log. Idempotent, as
 * alarms are at-least-once.
 */
export function sweep(rc: RoomContext, now: number): void {
  for (const ws of rc.conns.open()) {
    const att = rc.conns.attachment(ws);
    if (!att) continue;
    const why = overdue(rc, ws, att, now);
    if (why) drop(rc, ws, att, why.code, why.reason);
  }
  for (const userId of rc.presence.present()) rc.presence.leaveIfLast(userId);
  const { logMaxEntries, logMaxAgeMs } = rc.l.limits;
  rc.store.trim({ now, maxEntries: logMaxEntries, maxAgeMs: logMaxAgeMs, dedupTtlMs: DEDUP_TTL_MS });
}

/** Closes a socket and lets its user leave if it was their last. */
export function drop(rc: RoomContext, ws: HostSocket, att: Attachment, code: number, reason: string): void {
  rc.conns.close(ws, code, reason);
  rc.presence.leaveIfLast(att.actor.userId);
}

function overdue(rc: RoomContext, ws: HostSocket, att: Attachment, now: number): { code: number; reason: string } | null {
  const { idleTimeoutMs, maxConnectionAgeMs } = rc.l.limits;
  if (att.expiresAt !== null && now >= att.expiresAt) return { code: CloseCode.invalidToken, reason: CloseReason.tokenExpired };
  if (maxConnectionAgeMs !== null && now - att.connectedAt >= maxConnectionAgeMs) return { code: CloseCode.maxAge, reason: CloseReason.maxAge };
  if (idleTimeoutMs !== null && now - rc.conns.lastSeen(ws, att) > idleTimeoutMs) return { code: CloseCode.idle, reason: CloseReason.idle };
  return null;
}

/** When this socket must be looked at next: token expiry, age limit, or idle timeout. */
export function socketDeadline(rc: RoomContext, ws: HostSocket, att: Attachment): number | null {
  const { idleTimeoutMs, maxConnectionAgeMs } = rc.l.limits;
  return earliest([
    att.expiresAt,
    maxConnectionAgeMs === null ? null : att.connectedAt + maxConnectionAgeMs,
    idleTimeoutMs === null ? null : rc.conns.lastSeen(ws, att) + idleTimeoutMs + 1,
  ]);
}

/** The next time anything needs the alarm: the kind's timer, outbox retries, sockets, retention. */
export function nextDeadline(rc: RoomContext, now: number): number | null {
  const times: (number | null)[] = [rc.store.wakeAt(), rc.outbox.nextAt(), rc.metrics.flushAt()];
  for (const ws of rc.conns.open()) {
    const att = rc.conns.attachment(ws);
    const at = att && socketDeadline(rc, ws, att);
    if (at) times.push(Math.ceil(at / SOCKET_GRAIN_MS) * SOCKET_GRAIN_MS);
  }
  // Age retention is coarse (at most ~24 runs per retention period): waking a hibernated room each
  // time one entry ages out would cost more than keeping it a little longer.
  const oldest = rc.store.oldestAt();
  const { logMaxAgeMs } = rc.l.limits;
  if (oldest !== null) times.push(Math.max(oldest + logMaxAgeMs, now + Math.max(60_000, logMaxAgeMs / 24)));
  const at = earliest(times);
  return at === null ? null : Math.max(at, now + MIN_ALARM_GAP_MS);
}

export function earliest(times: readonly (number | null)[]): number | null {
  let min: number | null = null;
  for (const t of times) if (t !== null && (min === null || t < min)) min = t;
  return min;
}
