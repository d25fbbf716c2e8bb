import type { Actor } from "../core/kind.ts";
import type { TokenGrant } from "./connections.ts";
import type { MirrorOf, RefusalStyle } from "../core/mirror.ts";
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
  snapshot(actor: Actor, kind?: string): Promise<RoomSnapshot | HearthError>;
  history(actor: Actor, before: number | undefined, limit: number, kind?: string): Promise<HistoryPage | HearthError>;
  reset(actor: Actor): Promise<{ ok: true; epoch: string } | HearthError>;
  /** Another object's outbox delivering one message. */
  receive(envelope: Envelope): Promise<DeliveryAck>;
  /** Operators only (the worker checks rooms:admin): the state at a seq by replay, the raw log with its inputs, the open sockets. */
  stateAt(viewer: Actor, at: number): Promise<InspectedState | HearthError>;
  inspectLog(before: number | undefined, limit: number): Promise<InspectedLog | HearthError>;
  connections(): Promise<{ ok: true; total: number; list: InspectedConnection[] } | HearthError>;
  /** The room's operating figures ([M1]), the one source of its counts (deliveries included). The worker checks who may read them. */
  metrics(kind?: string): Promise<({ ok: true } & MetricsReport) | HearthError>;
  /** [V3] The revoke route: closes with 4001 this user's sockets (only those of token `jti`, when given). */
  revoke(target: RevokeTarget): Promise<{ ok: true; closed: number } | HearthError>;
}

/** Whose sockets a revocation closes in one room. */
export interface RevokeTarget {
  userId: string;
  /** Only the sockets of this token id. */
  jti?: string;
  /** A user's revocation spares sockets of tokens issued after it (ms; compared with the socket's `iat`). */
  revokedAt?: number;
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
  /** Created as a mirror of another room's log: its epoch, and the seq its log starts at (mirror.ts). */
  mirror?: MirrorOf;
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
  /** The token's `jti` and `iat`, kept in the socket's attachment for revocation ([V3]). */
  jti?: string;
  iat?: number;
  /** Subprotocol to echo (never the token). */
  protocol?: string;
  /** How a refusal reaches the caller (mirror.ts RefusalStyle); default "close". */
  refuse?: RefusalStyle;
  /** The worker's request id (X-Request-Id): the room's log lines about this connect carry it. */
  requestId?: string;
  /** What the token itself granted, before a route adjusted the actor; a fresh token must grant the same ([K3]). */
  grant?: TokenGrant;
}

/** Room.connect's answer; the shell renders a refusal as JSON (`overHttp`) or as a close. */
export type ConnectResult =
  | { ok: true }
  | { ok: false; close: { code: number; reason: string }; error: HearthError; overHttp: boolean };

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
}

export interface HistoryPage {
  ok: true;
  entries: Record<string, unknown>[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}
