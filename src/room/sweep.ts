import { CloseCode, CloseReason } from "../core/closeCodes.ts";
import type { RoomLimits } from "../core/kind.ts";
import type { Attachment, Connections } from "./connections.ts";
import type { RoomMetrics } from "./metrics.ts";
import type { Outbox } from "./outbox.ts";
import type { Outlet } from "./outlet.ts";
import type { Presence } from "./presence.ts";
import type { Retention } from "./retention.ts";
import type { HostSocket } from "./RoomHost.ts";
import type { RoomStore } from "./store/RoomStore.ts";

/** What the sweep and the deadlines use. */
export interface SweepPort {
  sockets: Pick<Connections, "open" | "attachment" | "lastSeen">;
  limits: Pick<RoomLimits, "idleTimeoutMs" | "maxConnectionAgeMs" | "logMaxAgeMs">;
  outlet: Pick<Outlet, "close">;
  presence: Pick<Presence, "present" | "leaveIfLast">;
  retention: Pick<Retention, "trim">;
  store: Pick<RoomStore, "wakeAt" | "oldestAt">;
  outbox: Pick<Outbox, "nextAt">;
  metrics: Pick<RoomMetrics, "flushAt">;
}

/** Never schedule the alarm closer than this to now: a deadline in the past must not spin it. */
const MIN_ALARM_GAP_MS = 250;
/** Socket deadlines are rounded up to this, so thousands of expiries share a few alarms. */
const SOCKET_GRAIN_MS = 1_000;

/**
 * The socket deadlines and housekeeping that run on the alarm: close sockets
 * whose token expired (4001), that outlived the connection age limit (4010),
 * or that stayed silent past an idle timeout a system asked for (4000);
 * reconcile presence with the open sockets; trim the log (retention.ts). Idempotent, as
 * alarms are at-least-once.
 *
 * Silence is judged as of `dueAt`, when the alarm came due, not when it ran. A busy object runs
 * its alarm late, behind the frames that reached it first: those were handled (and counted as
 * life) before this sweep, but frames that arrived after `dueAt` wait behind the alarm. Judged as
 * of `now`, a socket that pinged on time while the object was busy would be closed for the
 * object's own lateness; judged as of `dueAt`, a heartbeat counts from when it arrived, as far
 * as this object can see. A socket that was silent at `dueAt` is closed exactly as before; one
 * that became overdue since is looked at by the next alarm (nextDeadline), once its queued
 * frames had their turn. `dueAt` null (unknown after hibernation, or a retry): `now`.
 */
export function sweep(port: SweepPort, now: number, dueAt: number | null = null): void {
  const silentAsOf = dueAt === null ? now : Math.min(now, dueAt);
  for (const ws of port.sockets.open()) {
    const att = port.sockets.attachment(ws);
    if (!att) continue;
    const why = overdue(port, ws, att, now, silentAsOf);
    if (why) drop(port, ws, att, why.code, why.reason);
  }
  for (const userId of port.presence.present()) port.presence.leaveIfLast(userId);
  port.retention.trim(now);
}

/** Closes a socket and lets its user leave if it was their last. */
export function drop(port: Pick<SweepPort, "outlet" | "presence">, ws: HostSocket, att: Attachment, code: number, reason: string): void {
  port.outlet.close(ws, code, reason);
  port.presence.leaveIfLast(att.actor.userId);
}

function overdue(port: SweepPort, ws: HostSocket, att: Attachment, now: number, silentAsOf: number): { code: number; reason: string } | null {
  const { idleTimeoutMs, maxConnectionAgeMs } = port.limits;
  // Token expiry and age are the server's own clocks: they count to `now`.
  if (att.expiresAt !== null && now >= att.expiresAt) return { code: CloseCode.invalidToken, reason: CloseReason.tokenExpired };
  if (maxConnectionAgeMs !== null && now - att.connectedAt >= maxConnectionAgeMs) return { code: CloseCode.maxAge, reason: CloseReason.maxAge };
  const seen = idleTimeoutMs === null ? null : port.sockets.lastSeen(ws, att);
  if (idleTimeoutMs !== null && seen !== null && silentAsOf - seen > idleTimeoutMs) return { code: CloseCode.idle, reason: CloseReason.idle };
  return null;
}

/** When this socket must be looked at next: token expiry, age limit, or idle timeout. */
export function socketDeadline(port: Pick<SweepPort, "sockets" | "limits">, ws: HostSocket, att: Attachment): number | null {
  const { idleTimeoutMs, maxConnectionAgeMs } = port.limits;
  // A socket whose idle rule is kept where it is held (a gateway's, [S3]) sets no idle deadline here.
  const seen = idleTimeoutMs === null ? null : port.sockets.lastSeen(ws, att);
  const idleAt = idleTimeoutMs === null || seen === null ? null : seen + idleTimeoutMs + 1;
  return earliest([att.expiresAt, maxConnectionAgeMs === null ? null : att.connectedAt + maxConnectionAgeMs, idleAt]);
}

/** The next time anything needs the alarm: the kind's timer, outbox retries, sockets, retention. */
export function nextDeadline(port: SweepPort, now: number): number | null {
  const times: (number | null)[] = [port.store.wakeAt(), port.outbox.nextAt(), port.metrics.flushAt()];
  for (const ws of port.sockets.open()) {
    const att = port.sockets.attachment(ws);
    const at = att && socketDeadline(port, ws, att);
    if (at) times.push(Math.ceil(at / SOCKET_GRAIN_MS) * SOCKET_GRAIN_MS);
  }
  // Age retention is coarse (at most ~24 runs per retention period): waking a hibernated room each
  // time one entry ages out would cost more than keeping it a little longer.
  const oldest = port.store.oldestAt();
  const { logMaxAgeMs } = port.limits;
  if (oldest !== null) times.push(Math.max(oldest + logMaxAgeMs, now + Math.max(60_000, logMaxAgeMs / 24)));
  const at = earliest(times);
  return at === null ? null : Math.max(at, now + MIN_ALARM_GAP_MS);
}

export function earliest(times: readonly (number | null)[]): number | null {
  let min: number | null = null;
  for (const t of times) if (t !== null && (min === null || t < min)) min = t;
  return min;
}
