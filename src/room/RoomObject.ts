import { DurableObject } from "cloudflare:workers";
import { Errors, type HearthError } from "../core/hearthError.ts";
import type { Actor } from "../core/kind.ts";
import type { SystemRegistry } from "../core/system.ts";
import { consoleLogger, withFields, type Logger } from "./logger.ts";
import type { MetricsPoint } from "./metricsPoint.ts";
import { Room } from "./Room.ts";
import type { Attachment } from "./connections.ts";
import { forgetSocketRoom, recordSocketRoom } from "./revocations.ts";
import { recordRoom } from "./roomDirectory.ts";
import type { DeliveryAck, Envelope } from "./RoomHost.ts";
import type { TokenCheck } from "./refreshToken.ts";
import { refuseWithClose } from "./refuseWithClose.ts";
import { CONNECT_HEADER, type ConnectRequest, type CreateRoom, type RevokeTarget, type RoomRpc, type SubmitOptions } from "./rpc.ts";
import { SqliteRoomStore } from "./store/sqliteRoomStore.ts";

/** The bindings the shell uses, found in its env by the worker entry that exports it. */
export interface RoomBindings {
  /** The objects outbox messages go to (itself, the same namespace). */
  rooms: DurableObjectNamespace;
  /** Where the rooms it creates are listed (the D1 directory); absent: nowhere. */
  directory?: D1Database;
  /** Workers Analytics Engine: each room's figures, every time they are saved; absent (local runs): a no-op. */
  metrics?: { writeDataPoint(point: MetricsPoint): void };
  /**
   * Checks a token presented on an open socket ([K1]) for the object named `room`, as the
   * worker checks a new connection's (src/http/auth/roomTokenCheck.ts); absent: refreshes are refused.
   */
  verifyToken?: (token: string, room: string) => Promise<TokenCheck>;
}

type Rpc = { [K in keyof RoomRpc]: RoomRpc[K] };

/**
 * The Durable Object class of every room, for a given set of systems. The
 * shell is thin on purpose: it adapts the runtime (hibernatable sockets, the
 * alarm, SQLite, the namespace) to `Room`, creates socket pairs, renders
 * refusals as JSON or close codes, and makes sure nothing thrown crosses the
 * boundary unlogged. The worker entry exports `roomObject(registry)`.
 */
export function roomObject(systems: SystemRegistry, bindingsOf: (env: unknown) => RoomBindings): RoomObjectClass {
  return class RoomObject extends DurableObject implements Rpc {
    readonly #room: Room;
    readonly #directory: D1Database | undefined;
    /** Every line names the room (its object name), so Workers Logs can filter one room's story. */
    readonly #log: Logger;

    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env as never);
      // Answered by the runtime without waking the object: idle rooms stay hibernated.
      ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
      const { rooms: ns, directory, metrics, verifyToken } = bindingsOf(env);
      this.#directory = directory;
      this.#log = withFields(consoleLogger, { room: ctx.id.name ?? ctx.id.toString() });
      this.#room = new Room({
        store: new SqliteRoomStore(ctx.storage),
        log: this.#log,
        systems,
        // Bound to this object's name: a `rooms` claim is checked against it, as at connect.
        ...(verifyToken ? { verifyToken: (token: string, room: string | null) => verifyToken(token, room ?? ctx.id.name ?? "") } : {}),
        host: {
          accept: (ws, tags) => ctx.acceptWebSocket(ws as WebSocket, tags),
          sockets: (tag) => ctx.getWebSockets(tag),
          autoPongAt: (ws) => ctx.getWebSocketAutoResponseTimestamp(ws as WebSocket)?.getTime() ?? null,
          later: (fn, ms) => void setTimeout(fn, ms),
          getAlarm: () => ctx.storage.getAlarm(),
          setAlarm: (at) => ctx.storage.setAlarm(at),
          deliver: (to, envelope) => (ns.get(ns.idFromName(to)) as unknown as RoomRpc).receive(envelope),
          ...(metrics
            ? {
                exportMetrics: (point) => {
                  try {
                    metrics.writeDataPoint(point);
                  } catch (err) {
                    // Figures are best effort: never cost the room an input.
                    this.#log.warn("metrics_export_failed", { err: String(err) });
                  }
                },
              }
            : {}),
        },
      });
    }

    override async fetch(request: Request): Promise<Response> {
      const raw = request.headers.get(CONNECT_HEADER);
      if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !raw) {
        return Response.json({ error: { code: "NOT_FOUND", message: "Rooms only accept WebSocket upgrades here." } }, { status: 404 });
      }
      let req: ConnectRequest | undefined;
      try {
        req = JSON.parse(raw) as ConnectRequest;
        const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
        const first = this.#directory ? this.#room.holds(req.actor.userId, req.jti) === 0 : false;
        const result = this.#room.connect(req, server);
        if (result.ok && first) this.#trackSockets(req);
        if (result.ok) return new Response(null, { status: 101, webSocket: client, ...(req.protocol ? { headers: { "Sec-WebSocket-Protocol": req.protocol } } : {}) });
        if (result.overHttp) return Response.json({ error: { code: result.error.code, message: result.error.message } }, { status: result.error.status ?? 403 });
        // Accepted plainly, never as hibernatable: the runtime keeps a hibernatable socket's TCP
        // connection open after its closing handshake until the object hibernates (~10 s under
        // wrangler dev), and the client's close event waits for it (bench/closeLatency.mjs,
        // docs/closes.md). Half-open, so the runtime doesn't tear the socket down itself when the
        // client echoes the close: that auto-teardown is what logged "Network connection lost".
        // Never in ctx.getWebSockets(), so no room part ever counts it.
        return refuseWithClose(result.close.code, result.close.reason, req.protocol, (refused) => refused.accept({ allowHalfOpen: true }));
      } catch (err) {
        this.#log.error("connect_failed", { err: String(err), stack: (err as Error).stack, ...(req?.requestId ? { requestId: req.requestId } : {}) });
        return Response.json({ error: Errors.internal() }, { status: 500 });
      }
    }

    async create(init: CreateRoom) {
      const created = this.#guard("create", () => this.#room.create(init));
      if (created.ok) this.#record();
      return created;
    }

    /** Lists the room that was just created in the directory (after the reply; never fails the create). */
    #record(): void {
      const meta = this.#room.meta();
      if (!this.#directory || !meta) return;
      const name = this.ctx.id.name ?? meta.name ?? meta.roomId;
      this.ctx.waitUntil(
        recordRoom(this.#directory, { name, kind: meta.kind, roomId: meta.roomId, createdAt: meta.createdAt, createdBy: meta.createdBy }).catch((err) =>
          this.#log.error("directory_write_failed", { name, err: String(err) }),
        ),
      );
    }

    /**
     * [V4] The first socket of (user, jti) here: where the revoke route will look for it. The same
     * D1 batch reads the revocations, so a connect that raced one is closed here (after the 101).
     */
    #trackSockets(req: ConnectRequest): void {
      const db = this.#directory!;
      const t = { sub: req.actor.userId, jti: req.jti, iat: req.iat };
      this.ctx.waitUntil(
        recordSocketRoom(db, t, this.#name(), Date.now())
          .then((revoked) => {
            if (revoked) this.#room.revoke({ userId: t.sub, jti: t.jti ?? "" });
          })
          .catch((err) => this.#log.error("socket_rooms_write_failed", { err: String(err) })),
      );
    }

    /** [V4] The last socket of (user, jti) here closed: the revoke route no longer needs to come. */
    #untrackSockets(ws: WebSocket): void {
      if (!this.#directory) return;
      const att = ws.deserializeAttachment() as Attachment | null;
      if (!att || att.v !== 1 || this.#room.holds(att.actor.userId, att.jti) > 0) return;
      this.ctx.waitUntil(
        forgetSocketRoom(this.#directory, att.actor.userId, att.jti, this.#name()).catch((err) => this.#log.error("socket_rooms_write_failed", { err: String(err) })),
      );
    }

    #name(): string {
      const meta = this.#room.meta();
      return this.ctx.id.name ?? meta?.name ?? meta?.roomId ?? this.ctx.id.toString();
    }

    async revoke(target: RevokeTarget) {
      return this.#guard("revoke", () => ({ ok: true as const, closed: this.#room.revoke(target) }));
    }

    async submit(actor: Actor, command: unknown, opts?: SubmitOptions) {
      return this.#guard("submit", () => this.#room.submit(actor, command, opts));
    }

    async snapshot(actor: Actor, kind?: string) {
      return this.#guard("snapshot", () => this.#room.snapshot(actor, kind));
    }

    async history(actor: Actor, before: number | undefined, limit: number, kind?: string) {
      return this.#guard("history", () => this.#room.history(actor, before, limit, kind));
    }

    async reset(actor: Actor) {
      return this.#guard("reset", () => this.#room.reset(actor));
    }

    async stateAt(viewer: Actor, at: number) {
      return this.#guard("state_at", () => this.#room.stateAt(viewer, at));
    }

    async inspectLog(before: number | undefined, limit: number) {
      return this.#guard("log", () => this.#room.inspectLog(before, limit));
    }

    async connections() {
      return this.#guard("connections", () => this.#room.connections());
    }

    async metrics(kind?: string) {
      return this.#guard("metrics", () => this.#room.metrics(kind));
    }

    async receive(envelope: Envelope): Promise<DeliveryAck> {
      try {
        const existed = !envelope.create || this.#room.exists();
        const ack = this.#room.receive(envelope);
        if (!existed && this.#room.exists()) this.#record();
        return ack;
      } catch (err) {
        this.#log.error("room_op_failed", { op: "receive", err: String(err), stack: (err as Error).stack });
        return { ok: false, retry: true, code: "INTERNAL", message: "The receiver failed; the sender will retry." };
      }
    }

    override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
      // A token frame is checked asynchronously ([K1]): its failures are logged like a frame's.
      const done = this.#guard("message", () => this.#room.message(ws, message));
      if (done instanceof Promise) {
        await done.catch((err: unknown) => this.#log.error("room_op_failed", { op: "message", err: String(err), stack: (err as Error).stack }));
      }
    }

    override async webSocketClose(ws: WebSocket): Promise<void> {
      this.#guard("close", () => this.#room.closed(ws));
      this.#guard("close", () => this.#untrackSockets(ws));
    }

    override async webSocketError(ws: WebSocket): Promise<void> {
      this.#guard("socket_error", () => this.#room.closed(ws));
      this.#guard("socket_error", () => this.#untrackSockets(ws));
    }

    override async alarm(): Promise<void> {
      try {
        await this.#room.alarm();
      } catch (err) {
        // Rethrow so the runtime retries the alarm (at-least-once); everything on it is idempotent.
        this.#log.error("alarm_failed", { err: String(err), stack: (err as Error).stack });
        throw err;
      }
    }

    #guard<T>(op: string, fn: () => T): T | HearthError {
      try {
        return fn();
      } catch (err) {
        this.#log.error("room_op_failed", { op, err: String(err), stack: (err as Error).stack });
        return { ...Errors.internal(), status: 500 };
      }
    }
  };
}

/**
 * What roomObject returns, spelled out: a declaration file can't describe an anonymous class
 * with protected members (DurableObject's `ctx`, `env`), and @hearth/server ships declarations.
 */
export type RoomObjectClass = new (ctx: DurableObjectState, env: unknown) => DurableObject & Rpc;
