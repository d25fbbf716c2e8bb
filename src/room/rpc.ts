import type { Actor } from "../core/kind.ts";
import type { HearthError } from "../core/hearthError.ts";
import type { InspectedConnection, InspectedLog, InspectedState } from "./inspect.ts";
import type { MetricsReport } from "./metrics.ts";
import type { DeliveryAck, Envelope } from "./RoomHost.ts";

/**
 * The room's RPC surface, declared once: the Durable Object implements it
 * (`implements RoomRpc`) and the worker types its stubs with it. Every value
 * is plain JSON, so it crosses the RPC boundary unchanged.
 */
export interface RoomRpc {
  /** WebSocket upgrades only; the verified connect request rides in CONNECT_HEADER. */
  fetch(request: Request): Promise<Response>;
  create(init: CreateRoom): Promise<Created | HearthError>;
  submit(actor: Actor, command: unknown, opts?: SubmitOptions): Promise<Outcome>;
  snapshot(actor: Actor, kind?: string, options?: SnapshotOptions): Promise<RoomSnapshot | HearthError>;
  history(actor: Actor, before: number | undefined, limit: number, kind?: string): Promise<HistoryPage | HearthError>;
  reset(actor: Actor): Promise<{ ok: true; epoch: string } | HearthError>;
  /** Another object's outbox delivering one message. */
  receive(envelope: Envelope): Promise<DeliveryAck>;
  /** Operators only (the worker checks rooms:admin): the state at a seq by replay, the raw log with its inputs, the open sockets. */
  stateAt(viewer: Actor, at: number): Promise<InspectedState | HearthError>;
  inspectLog(before: number | undefined, limit: number): Promise<InspectedLog | HearthError>;
  connections(): Promise<{ ok: true; total: number; list: InspectedConnection[] } | HearthError>;
  /** Operating figures of a room whose kind keeps them (Kind.metrics). The worker checks who may read them. */
  metrics(kind?: string): Promise<({ ok: true } & MetricsReport) | HearthError>;
}

/** Header the worker sets (after verifying the token) on the upgrade it forwards; never taken from outside. */
export const CONNECT_HEADER = "x-hearth-connect";

export interface CreateRoom {
  roomId: string;
  kind: string;
  config: Record<string, unknown>;
  createdBy: string;
  /** The object's own name (what other objects address it by); defaults to roomId. */
  name?: string;
  /** Start in this epoch instead of a new one (a relay tree's shard shares its root's). */
  epoch?: string;
  /** Start the log at this seq instead of 0 (a relay tree's shard created after its root logged events). */
  head?: number;
}

export interface Created {
  ok: true;
  roomId: string;
  kind: string;
  epoch: string;
}

export interface ConnectRequest {
  roomId: string;
  /** The system the route expects; a room of another kind is "not found" here. */
  kind?: string;
  actor: Actor;
  /** Query parameters other than the token (since, epoch, character_id, ...). */
  params: Record<string, string>;
  expiresAt: number | null;
  /** Subprotocol to echo (never the token). */
  protocol?: string;
  /**
   * How to refuse: "http" answers before the upgrade with a JSON error
   * (Hearth's own routes); "close" accepts and closes with a code, for seeds
   * whose clients expect 4003/4004/4009, and for every client offering `hearth`.
   */
  refuse?: "http" | "close";
  /**
   * "http": a full room answers 503 ROOM_FULL before the upgrade, whatever `refuse` says, so the
   * worker can place the socket in another object (the feed's shards). Default: close 4009.
   */
  onFull?: "http";
  /** The worker's request id (X-Request-Id): the room's log lines about this connect carry it. */
  requestId?: string;
}

/** Room.connect's answer; the shell renders a refusal as JSON or as a close, per `refuse`. */
export type ConnectResult =
  | { ok: true }
  | { ok: false; close: { code: number; reason: string }; error: HearthError; always?: "close" | "http" };

export interface SubmitOptions {
  /** Include the caller's view of the new state in the outcome (seed 000 answers with a snapshot). */
  withView?: boolean;
  idempotencyKey?: string;
  /** Hash of the request body: same key + different body is a 422. */
  bodyHash?: string;
  /** When the worker received the request (ms): the start of its broadcast latency (metrics). */
  receivedAt?: number;
}

export type Outcome =
  | { ok: true; seq: number; epoch: string; result: unknown; view?: unknown; replayed?: boolean }
  | HearthError;

export interface RoomSnapshot {
  ok: true;
  roomId: string;
  kind: string;
  seq: number;
  epoch: string;
  createdAt: number;
  state: unknown;
  /** Only when asked for (`stats: true`) by a service: open sockets and live deliveries since the object woke. */
  stats?: { sockets: number; since: number; sent: number; failed: number };
}

export interface SnapshotOptions {
  /** Add the room's delivery figures (services only; metrics routes such as `GET /api/feed`). */
  stats?: boolean;
}

export interface HistoryPage {
  ok: true;
  entries: Record<string, unknown>[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}
