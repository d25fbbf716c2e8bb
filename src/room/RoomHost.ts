import type { MetricsPoint } from "./metricsPoint.ts";
import type { CreateSpec } from "../core/kind.ts";
/**
 * What a Room needs from the runtime, and nothing more: the Durable Object
 * shell implements it over workerd (hibernatable sockets, the alarm, the
 * namespace), and unit tests implement it with a fake whose queues the test
 * flushes (test/fakes/fakeHost.ts). A Room never touches a runtime global.
 */

/** The part of a (hibernatable) WebSocket a Room uses. A real WebSocket satisfies it. */
export interface HostSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  readonly readyState: number;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
  /** [S6] Only a socket on a gateway (RemoteSocket): start following another room's stream over this connection. */
  follow?(stream: string, since?: number, epoch?: string): void;
  /** [S8] Only a socket on a gateway: that gateway's object name. */
  readonly gateway?: string;
}

/** `readyState` of an open socket (WebSocket.OPEN). */
export const OPEN = 1;

/** A message from one object's outbox to another object (see outbox.ts). */
export interface Envelope {
  /** The sender's object name; with `seq`, what the receiver deduplicates by. */
  from: string;
  /** The receiver's own name (its room id if the envelope creates it). */
  to: string;
  /** Per (sender, receiver) pair: 1, 2, 3, ... in the order the sender committed them. */
  seq: number;
  body: Record<string, unknown>;
  /** Create the receiver with this kind and config if it does not exist yet. */
  create?: CreateSpec;
}

/** The receiver's answer: the sender deletes the message on `ok`, retries on `retry`, drops it otherwise. */
export type DeliveryAck =
  | { ok: true; duplicate: boolean }
  | { ok: false; retry: boolean; code: string; message: string };

export interface RoomHost {
  /** Makes `ws` hibernatable, findable by `tags` later. */
  accept(ws: HostSocket, tags: string[]): void;
  /** All sockets, or those accepted with `tag`. */
  sockets(tag?: string): HostSocket[];
  /** When the runtime last auto-answered a `ping` on this socket (ms), if ever. */
  autoPongAt(ws: HostSocket): number | null;
  /**
   * Whether the room keeps `ws`'s idle rule. Not for a socket a gateway holds: the gateway keeps
   * it where the pings arrive ([S3]), and a room that set its alarm by such a socket's idle time
   * woke every 40 s for as long as the socket stayed (a finished game, for every socket that still
   * follows it). Absent: every socket.
   */
  idlesHere?(ws: HostSocket): boolean;
  /**
   * Runs `fn` after `ms` while the object is awake (a batch's flush, [B1]). Not durable:
   * what it carries is in memory anyway, and a pending timer keeps the object from
   * hibernating until it ran.
   */
  later(fn: () => void, ms: number): void;
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
  /** Delivers an outbox message to the object named `to` and returns its answer. */
  deliver(to: string, envelope: Envelope): Promise<DeliveryAck>;
  /** Sends one room's figures outward (Workers Analytics Engine); absent: nowhere. Must not throw. */
  exportMetrics?(point: MetricsPoint): void;
  /**
   * [S8] A room hosted in a gateway: whether that gateway holds socket `connId` (KindCtx.holds), and
   * starting its follow of this room there (false: no such socket of that user). Absent elsewhere.
   */
  holds?(connId: string): boolean;
  followHere?(connId: string, userId: string, since?: number, epoch?: string): boolean;
}
