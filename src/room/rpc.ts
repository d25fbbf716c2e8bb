import type { Actor } from "../core/kind.ts";
import type { TokenGrant } from "./connections.ts";
import type { RefusalStyle } from "../core/refusal.ts";
import type { HearthError } from "../core/hearthError.ts";
import type { InputTally } from "./inputTally.ts";
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
  /** Reads take `room`: a room hosted in this object ([S8], its `<object>/<room>` address) instead of its own. */
  snapshot(actor: Actor, kind?: string, room?: string): Promise<RoomSnapshot | HearthError>;
  history(actor: Actor, before: number | undefined, limit: number, kind?: string, room?: string): Promise<HistoryPage | HearthError>;
  reset(actor: Actor): Promise<{ ok: true; epoch: string } | HearthError>;
  /** Another object's outbox delivering one message. */
  receive(envelope: Envelope): Promise<DeliveryAck>;
  /** Operators only (the worker checks rooms:admin): the state at a seq by replay, the raw log with its inputs, the open sockets. */
  stateAt(viewer: Actor, at: number, room?: string): Promise<InspectedState | HearthError>;
  inspectLog(before: number | undefined, limit: number, room?: string): Promise<InspectedLog | HearthError>;
  connections(room?: string): Promise<{ ok: true; total: number; list: InspectedConnection[] } | HearthError>;
  /** The room's operating figures ([M1]), the one source of its counts (deliveries included). The worker checks who may read them. */
  metrics(kind?: string, room?: string): Promise<({ ok: true } & MetricsReport) | HearthError>;
  /** [V3] The revoke route: closes with 4001 this user's sockets (only those of token `jti`, when given). */
  revoke(target: RevokeTarget): Promise<{ ok: true; closed: number } | HearthError>;
  /**
   * [S2] A gateway admits a socket into this room: the room runs its connect as for its own socket.
   * `room`: a room hosted in this object ([S8], its `<object>/<room>` address) instead of its own.
   */
  remoteConnect(req: ConnectRequest, gateway: string, room?: string): Promise<RemoteConnected>;
  /**
   * [S3] What a gateway's sockets sent (frames, closes), in the order they arrived there. `applied`:
   * the last push from this room the gateway applied (its ledger's record). [S1] The answer may
   * carry the room's next push to that gateway (what the input caused), instead of a `push` call.
   */
  remoteInput(gateway: string, items: GatewayInput[], applied?: PushMark, room?: string): Promise<{ ok: true; push?: PushBatch }>;
  /** [S1] A room pushing what its sockets on this gateway get, in order. */
  push(batch: PushBatch): Promise<PushAck>;
  /** [S5] The inputs this object took since it woke, by way in (room, gateway or both). */
  load(): Promise<{ ok: true } & ReturnType<InputTally["report"]>>;
  /** [S5] Where the room's sockets are: its own object and its gateways. */
  spread(): Promise<({ ok: true } & Spread) | HearthError>;
}

/** [S5] A room's sockets over its objects (GET /api/rooms/:roomId for an admin). */
export interface Spread {
  /** Objects holding the room's sockets: the room's own and its gateways with sockets. */
  objects: number;
  sockets: number;
  gateways: { name: string; sockets: number }[];
}

/**
 * Set by the room on a connect it wants held elsewhere ([S5]): the gateway object the worker
 * forwards the same upgrade to. Only when the worker asked (PLACE_HEADER), never to a client.
 */
export const GATEWAY_HEADER = "x-hearth-gateway";
/** Set by the worker on an upgrade it can re-forward to a gateway (forwardUpgrade). */
export const PLACE_HEADER = "x-hearth-place";
/** Set by the worker on an upgrade forwarded to a gateway: the room object the socket joins. */
export const SOURCE_HEADER = "x-hearth-source";

/** One thing a room pushes to a gateway for its sockets, in the order the room sent them. */
export type PushItem =
  /** A frame for these sockets of the gateway (by connection id). */
  | { t: "send"; conns: string[]; frame: string }
  | { t: "close"; conn: string; code: number; reason: string }
  /** [S6] The socket starts following the room `stream` too, from `since` of `epoch` when given. */
  | { t: "follow"; conn: string; stream: string; since?: number; epoch?: string };

/**
 * A room's push to a gateway: numbered per room incarnation, so a retry after a lost
 * answer is recognised and applied once.
 */
export interface PushBatch {
  source: string;
  incarnation: string;
  push: number;
  gateway: string;
  items: PushItem[];
  /**
   * The push before this one, sent again in the same call: a push that rode on an input's answer
   * and is not known to be applied yet. The gateway applies it first, unless it already did.
   */
  prior?: PushBatch;
}

/** Which push of which room incarnation a gateway applied last. */
export interface PushMark {
  incarnation: string;
  push: number;
}

export type PushAck = { ok: true; duplicate?: boolean } | { ok: false; code: string; message: string };

/** What a gateway's socket did, forwarded to its room in order. */
export type GatewayInput = { conn: string; data: string | ArrayBuffer } | { conn: string; closed: true };

/** The room's answer to a gateway's connect: admitted (and the socket's idle rule, which the gateway keeps), or refused. */
export type RemoteConnected = { ok: true; idleTimeoutMs: number | null; kind: string } | Extract<ConnectResult, { ok: false }>;

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
  /** How a refusal reaches the caller (refusal.ts RefusalStyle); default "close". */
  refuse?: RefusalStyle;
  /**
   * [V5] The worker did not read this token's revocations (its isolate had no answer cached): the
   * room reads them, with its other D1 work in one batch ([V8]), before it admits the socket, and
   * refuses a revoked token in this style (close 4001 for a browser, as the worker would have).
   */
  revocation?: { refuse: RefusalStyle };
  /** The worker's request id (X-Request-Id): the room's log lines about this connect carry it. */
  requestId?: string;
  /** What the token itself granted, before a route adjusted the actor; a fresh token must grant the same ([K3]). */
  grant?: TokenGrant;
  /** Set by a gateway only ([S2]): the connection id it routes this socket's frames by. */
  connId?: string;
  /** Set by a gateway following a stream for a socket ([S6]): its catch-up ends without `recovered` when the kind has no snapshots. */
  following?: true;
}

/** Room.connect's answer; the shell renders a refusal as JSON (`overHttp`) or as a close. */
export type ConnectResult =
  | { ok: true }
  | {
      ok: false;
      close: { code: number; reason: string };
      error: HearthError;
      overHttp: boolean;
      /** [V5] A revoked token's refusal: until when it stays refused, so the worker remembers it (REVOKED_UNTIL_HEADER). */
      revokedUntil?: number;
    };

/**
 * [V5] On a room's refusal of a revoked token: until when (ms) it stays refused. The worker
 * remembers it (a retry is refused at the edge, waking no room) and takes the header off.
 */
export const REVOKED_UNTIL_HEADER = "x-hearth-revoked-until";

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
