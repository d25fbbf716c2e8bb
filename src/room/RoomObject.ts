import { DurableObject } from "cloudflare:workers";
import { Errors, type HearthError } from "../core/hearthError.ts";
import type { Actor } from "../core/kind.ts";
import type { SystemRegistry } from "../core/system.ts";
import { consoleLogger, withFields, type Logger } from "./logger.ts";
import type { MetricsPoint } from "./metricsPoint.ts";
import { Room } from "./Room.ts";
import { recordRoom } from "./roomDirectory.ts";
import { SocketRevocation } from "./socketRevocation.ts";
import type { DeliveryAck, Envelope } from "./RoomHost.ts";
import type { TokenCheck } from "./refreshToken.ts";
import { renderConnect, renderRefusal } from "./renderConnect.ts";
import { CONNECT_HEADER, GATEWAY_HEADER, PLACE_HEADER, SOURCE_HEADER, type ConnectRequest, type CreateRoom, type GatewayInput, type PushBatch, type PushMark, type RemoteConnected, type RevokeTarget, type RoomRpc, type SubmitOptions } from "./rpc.ts";
import { Gateway } from "./gateway/Gateway.ts";
import { InputTally } from "./inputTally.ts";
import { sqlitePushLedger } from "./gateway/pushLedger.ts";
import { PushChannel } from "./remote/pushChannel.ts";
import { RemoteSide } from "./remote/remoteSide.ts";
import { RemoteSocket } from "./remote/RemoteSocket.ts";
import { RemoteSockets } from "./remote/remoteSockets.ts";
import { sqliteRemoteRows } from "./remote/remoteRows.ts";
import { SqliteRoomStore } from "./store/sqliteRoomStore.ts";
import { stubCache } from "./stubCache.ts";

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
    /** [S2] The room's sockets on gateways, and its side of them. */
    readonly #remote: RemoteSockets;
    readonly #remoteSide: RemoteSide;
    /** [S1] What the room sends its sockets on gateways. */
    readonly #pushes: PushChannel;
    /** [S2] Set when this object is a gateway (its name says so): it holds other rooms' sockets. */
    readonly #gateway: Gateway<WebSocket> | null;
    readonly #directory: D1Database | undefined;
    /** [V4]/[V5]/[V8] Revocation for this room's sockets, over D1; none without a directory. */
    readonly #revocation: SocketRevocation | undefined;
    readonly #tally = new InputTally();
    /** Every line names the room (its object name), so Workers Logs can filter one room's story. */
    readonly #log: Logger;

    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env as never);
      // Answered by the runtime without waking the object: idle rooms stay hibernated.
      ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
      const { rooms: ns, directory, metrics, verifyToken } = bindingsOf(env);
      this.#directory = directory;
      this.#log = withFields(consoleLogger, { room: ctx.id.name ?? ctx.id.toString() });
      const call = stubCache(ns);
      const keepAlive = (work: Promise<unknown>) => ctx.waitUntil(work.catch((err) => this.#log.error("background_failed", { err: String(err) })));
      const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
      const myName = ctx.id.name ?? "";
      const pushes = (this.#pushes = new PushChannel({
        source: myName,
        incarnation: crypto.randomUUID().slice(0, 8),
        deliver: (gateway, batch) => call(gateway, (s) => s.push(batch)),
        keepAlive,
        wait,
        lost: (gateway) => this.#remoteSide.lost(gateway),
      }));
      this.#remote = new RemoteSockets({
        rows: sqliteRemoteRows(ctx.storage.sql),
        name: myName,
        send: (gateway, conn, frame) => pushes.send(gateway, conn, frame),
        close: (gateway, conn, code, reason) => pushes.close(gateway, conn, code, reason),
        follow: (gateway, conn, stream, since, epoch) => pushes.follow(gateway, conn, stream, since, epoch),
        now: Date.now,
        left: (ws) => this.#revocation?.untrack(ws),
      });
      this.#gateway = isGatewayName(myName)
        ? new Gateway<WebSocket>({
            name: myName,
            accept: (ws, tags) => ctx.acceptWebSocket(ws, tags),
            sockets: (tag) => ctx.getWebSockets(tag),
            autoPongAt: (ws) => ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null,
            source: (name) => ({
              remoteConnect: (req, gateway) => call(name, (s) => s.remoteConnect(req, gateway)),
              remoteInput: (gateway, items, applied) => call(name, (s) => s.remoteInput(gateway, items, applied)),
            }),
            routeOf: (kind) => {
              const route = systems.get(kind)?.kind.sockets?.route;
              return route ? (frame) => route(frame) : null;
            },
            heartbeatOf: (kind) => systems.get(kind)?.kind.sockets?.heartbeat ?? null,
            ledger: sqlitePushLedger(ctx.storage.sql),
            rode: () => this.#tally.add("ride"),
            keepAlive,
            setAlarm: async (at) => {
              const current = await ctx.storage.getAlarm();
              if (current === null || current > at) await ctx.storage.setAlarm(at);
            },
            now: Date.now,
            wait,
            newId: () => crypto.randomUUID().slice(0, 13),
            log: this.#log,
          })
        : null;
      const remote = this.#remote;
      this.#room = new Room({
        spread: remote,
        store: new SqliteRoomStore(ctx.storage, { keyedFields: (kind) => systems.get(kind)?.kind.keyedFields ?? [] }),
        log: this.#log,
        systems,
        // Bound to this object's name: a `rooms` claim is checked against it, as at connect.
        ...(verifyToken ? { verifyToken: (token: string, room: string | null) => verifyToken(token, room ?? ctx.id.name ?? "") } : {}),
        host: {
          accept: (ws, tags) => (ws instanceof RemoteSocket ? remote.accept(ws, tags) : ctx.acceptWebSocket(ws as WebSocket, tags)),
          sockets: (tag) => {
            const far = remote.sockets(tag);
            return far.length ? [...ctx.getWebSockets(tag), ...far] : ctx.getWebSockets(tag);
          },
          // A gateway keeps its sockets' idle rule where their pings arrive ([S3]): the room never idles them out.
          autoPongAt: (ws) => (ws instanceof RemoteSocket ? Date.now() : (ctx.getWebSocketAutoResponseTimestamp(ws as WebSocket)?.getTime() ?? null)),
          later: (fn, ms) => void setTimeout(fn, ms),
          getAlarm: () => ctx.storage.getAlarm(),
          setAlarm: (at) => ctx.storage.setAlarm(at),
          deliver: (to, envelope) => call(to, (s) => s.receive(envelope)),
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
      this.#revocation = directory ? new SocketRevocation({ db: directory, room: this.#room, name: () => this.#name(), keepAlive, log: this.#log }) : undefined;
      this.#remoteSide = new RemoteSide(this.#room, remote, this.#log);
    }

    override async fetch(request: Request): Promise<Response> {
      this.#tally.add("connect");
      const source = request.headers.get(SOURCE_HEADER);
      if (source !== null) return this.#gatewayConnect(request, source);
      const raw = request.headers.get(CONNECT_HEADER);
      if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !raw) {
        return Response.json({ error: { code: "NOT_FOUND", message: "Rooms only accept WebSocket upgrades here." } }, { status: 404 });
      }
      let req: ConnectRequest | undefined;
      try {
        req = JSON.parse(raw) as ConnectRequest;
        // [S5] Past its own share, the room sends the socket to a gateway (only a worker that asked hears it).
        const place = () => (request.headers.get(PLACE_HEADER) ? this.#room.placement() : null);
        const placed = (gateway: string) => new Response(null, { status: 307, headers: { [GATEWAY_HEADER]: gateway } });
        const gateway = place();
        if (gateway !== null) return placed(gateway);
        if (req.revocation && this.#revocation) {
          const revoked = await this.#revocation.refusal(req);
          if (revoked) return renderRefusal(revoked, req.protocol);
          // Other connects went on during the read: the room may have filled its share meanwhile.
          const now = place();
          if (now !== null) return placed(now);
        }
        const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
        const first = this.#revocation?.first(req) ?? false;
        const result = this.#room.connect(req, server);
        if (result.ok && first) this.#revocation?.track(req);
        return renderConnect(result, client, req.protocol);
      } catch (err) {
        this.#log.error("connect_failed", { err: String(err), stack: (err as Error).stack, ...(req?.requestId ? { requestId: req.requestId } : {}) });
        return Response.json({ error: Errors.internal() }, { status: 500 });
      }
    }

    /** [S2] This object is a gateway: the socket joins the room `source`, which decides. */
    async #gatewayConnect(request: Request, source: string): Promise<Response> {
      const raw = request.headers.get(CONNECT_HEADER);
      if (!this.#gateway || !raw || request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !isGatewayName(this.ctx.id.name ?? "", source)) {
        return Response.json({ error: { code: "NOT_FOUND", message: "Not a gateway of this room." } }, { status: 404 });
      }
      let req: ConnectRequest | undefined;
      try {
        req = JSON.parse(raw) as ConnectRequest;
        const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
        return renderConnect(await this.#gateway.connect(req, source, server), client, req.protocol);
      } catch (err) {
        this.#log.error("connect_failed", { err: String(err), stack: (err as Error).stack, ...(req?.requestId ? { requestId: req.requestId } : {}) });
        return Response.json({ error: Errors.internal() }, { status: 500 });
      }
    }

    async remoteConnect(req: ConnectRequest, gateway: string): Promise<RemoteConnected> {
      this.#tally.add("connect");
      const revoked = await this.#revocation?.refusal(req);
      if (revoked) return revoked;
      const first = this.#revocation?.first(req) ?? false;
      const result = this.#guard("remote_connect", () => this.#remoteSide.connect(req, gateway));
      if ("code" in result && !("close" in result)) return { ok: false, close: { code: 1011, reason: "Internal error" }, error: result, overHttp: false };
      if (result.ok && first) this.#revocation?.track(req);
      return result as RemoteConnected;
    }

    async remoteInput(gateway: string, items: GatewayInput[], applied?: PushMark): Promise<{ ok: true; push?: PushBatch }> {
      this.#tally.add("remote", items.length);
      // [S1] What these inputs cause for their own gateway rides on this answer (pushChannel.ts).
      this.#pushes.applied(gateway, applied);
      this.#pushes.hold(gateway);
      let push: PushBatch | undefined;
      try {
        await this.#remoteSide.input(gateway, items);
      } catch (err) {
        // Logged, never thrown back: the gateway would retry frames that were applied.
        this.#log.error("room_op_failed", { op: "remote_input", err: String(err), stack: (err as Error).stack });
      } finally {
        push = this.#pushes.ride(gateway);
      }
      return push ? { ok: true, push } : { ok: true };
    }

    async push(batch: PushBatch) {
      this.#tally.add("push");
      if (!this.#gateway) return { ok: false as const, code: "NOT_A_GATEWAY", message: "This object holds no gateway." };
      const gateway = this.#gateway;
      return this.#guard("push", () => gateway.push(batch));
    }

    /** [S5] How many inputs this object took since it woke, by way in (inputTally.ts). */
    async load() {
      return { ok: true as const, ...this.#tally.report() };
    }

    async spread() {
      return this.#guard("spread", () => {
        const s = this.#room.spread();
        return "objects" in s ? { ok: true as const, ...s } : s;
      });
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

    #name(): string {
      const meta = this.#room.meta();
      return this.ctx.id.name ?? meta?.name ?? meta?.roomId ?? this.ctx.id.toString();
    }

    async revoke(target: RevokeTarget) {
      return this.#guard("revoke", () => ({ ok: true as const, closed: this.#room.revoke(target) }));
    }

    async submit(actor: Actor, command: unknown, opts?: SubmitOptions) {
      this.#tally.add("http");
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
      this.#tally.add("message");
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
      this.#tally.add("frame");
      const att = this.#gateway?.attachment(ws);
      if (this.#gateway && att) return void this.#guard("message", () => this.#gateway!.message(ws, att, message));
      // A token frame is checked asynchronously ([K1]): its failures are logged like a frame's.
      const done = this.#guard("message", () => this.#room.message(ws, message));
      if (done instanceof Promise) {
        await done.catch((err: unknown) => this.#log.error("room_op_failed", { op: "message", err: String(err), stack: (err as Error).stack }));
      }
    }

    override async webSocketClose(ws: WebSocket): Promise<void> {
      const att = this.#gateway?.attachment(ws);
      if (this.#gateway && att) return void this.#guard("close", () => this.#gateway!.closed(ws, att));
      this.#guard("close", () => this.#room.closed(ws));
      this.#guard("close", () => this.#revocation?.untrack(ws));
    }

    override async webSocketError(ws: WebSocket): Promise<void> {
      const att = this.#gateway?.attachment(ws);
      if (this.#gateway && att) return void this.#guard("socket_error", () => this.#gateway!.closed(ws, att));
      this.#guard("socket_error", () => this.#room.closed(ws));
      this.#guard("socket_error", () => this.#revocation?.untrack(ws));
    }

    override async alarm(): Promise<void> {
      try {
        await this.#room.alarm();
        await this.#gateway?.alarm();
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

/** Whether `name` is a gateway's (`<room>:gw:<k>`, objectName.ts), of the room `source` when given. */
function isGatewayName(name: string, source?: string): boolean {
  const m = /^(.*):gw:\d+$/.exec(name);
  return !!m && (source === undefined || m[1] === source);
}
