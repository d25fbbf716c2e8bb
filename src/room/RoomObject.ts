import { DurableObject } from "cloudflare:workers";
import { Errors, type HearthError } from "../core/hearthError.ts";
import type { Actor } from "../core/kind.ts";
import { hostObjectOf, isGatewayName, isHostedIn } from "../core/objectName.ts";
import type { SystemRegistry } from "../core/system.ts";
import { consoleLogger, withFields, type Logger } from "./logger.ts";
import { bestEffort, type MetricsPoint } from "./metricsPoint.ts";
import type { Room } from "./Room.ts";
import { recordRoom } from "./roomDirectory.ts";
import { SocketRevocation } from "./socketRevocation.ts";
import type { DeliveryAck, Envelope } from "./RoomHost.ts";
import type { TokenCheck } from "./refreshToken.ts";
import { renderConnect, renderRefusal } from "./renderConnect.ts";
import { CONNECT_HEADER, GATEWAY_HEADER, PLACE_HEADER, SOURCE_HEADER, type ConnectRequest, type CreateRoom, type GatewayInput, type PushAck, type PushBatch, type PushMark, type RemoteConnected, type RevokeTarget, type RoomRpc, type SubmitOptions } from "./rpc.ts";
import { Gateway } from "./gateway/Gateway.ts";
import { HostedRooms } from "./hosted/hostedRooms.ts";
import { HostedSlots, notHostedHere } from "./hosted/hostedSlots.ts";
import { RoomSlot, sourceOf, type CallRoom } from "./hosted/roomSlot.ts";
import { InputTally } from "./inputTally.ts";
import { sqlitePushLedger, withLocalSources } from "./gateway/pushLedger.ts";
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
    /** The object's own room (a gateway's does not exist: it holds other rooms' sockets). */
    readonly #own: RoomSlot;
    readonly #room: Room;
    /** [S2] Set when this object is a gateway (its name says so): it holds other rooms' sockets. */
    readonly #gateway: Gateway<WebSocket> | null;
    /** [S8] The rooms hosted in this gateway object, by address (`<object>/<room>`). */
    readonly #hosted: HostedSlots | null;
    readonly #directory: D1Database | undefined;
    /** [V4]/[V5]/[V8] Revocation for this room's sockets, over D1; none without a directory. */
    readonly #revocation: SocketRevocation | undefined;
    readonly #tally = new InputTally();
    /** Every line names the room (its object name), so Workers Logs can filter one room's story. */
    readonly #log: Logger;
    readonly #myName: string;

    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env as never);
      // Answered by the runtime without waking the object: idle rooms stay hibernated.
      ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
      const { rooms: ns, directory, metrics, verifyToken } = bindingsOf(env);
      this.#directory = directory;
      const myName = (this.#myName = ctx.id.name ?? "");
      this.#log = withFields(consoleLogger, { room: ctx.id.name ?? ctx.id.toString() });
      const call: CallRoom = stubCache(ns);
      const keepAlive = (work: Promise<unknown>) => ctx.waitUntil(work.catch((err) => this.#log.error("background_failed", { err: String(err) })));
      const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
      const alarmBy = (at: number) => this.#alarmBy(at);
      const gateway = (this.#gateway = isGatewayName(myName)
        ? new Gateway<WebSocket>({
            name: myName,
            accept: (ws, tags) => ctx.acceptWebSocket(ws, tags),
            sockets: (tag) => ctx.getWebSockets(tag),
            autoPongAt: (ws) => ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null,
            source: (name) => sourceOf(name, myName, this, call),
            routeOf: (kind) => {
              const route = systems.get(kind)?.kind.sockets?.route;
              return route ? (frame) => route(frame) : null;
            },
            heartbeatOf: (kind) => systems.get(kind)?.kind.sockets?.heartbeat ?? null,
            ledger: withLocalSources(sqlitePushLedger(ctx.storage.sql), (source) => isHostedIn(source, myName)),
            rode: () => this.#tally.add("ride"),
            keepAlive,
            setAlarm: alarmBy,
            now: Date.now,
            wait,
            newId: () => crypto.randomUUID().slice(0, 13),
            log: this.#log,
          })
        : null);
      const keyedFields = (kind: string) => systems.get(kind)?.kind.keyedFields ?? [];
      const exportMetrics = metrics ? bestEffort(metrics, this.#log) : undefined;
      const common = {
        storage: ctx.storage,
        systems,
        deliver: (to: string, envelope: Envelope) => call(hostObjectOf(to), (s) => s.receive(envelope)),
        // [S8] A hosted room's push to the gateway it lives in is a call in place, not an RPC.
        push: (to: string, batch: PushBatch): Promise<PushAck> =>
          to === myName && gateway ? Promise.resolve(this.#guard("push", () => gateway.push(batch)) as PushAck) : call(to, (s) => s.push(batch)),
        keepAlive,
        wait,
        ...(exportMetrics ? { exportMetrics } : {}),
      };
      this.#own = new RoomSlot(
        {
          ...common,
          name: myName,
          log: this.#log,
          own: {
            accept: (ws, tags) => ctx.acceptWebSocket(ws, tags),
            sockets: (tag) => ctx.getWebSockets(tag),
            autoPongAt: (ws) => ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null,
          },
          getAlarm: () => ctx.storage.getAlarm(),
          setAlarm: (at) => ctx.storage.setAlarm(at),
          // Bound to this object's name: a `rooms` claim is checked against it, as at connect.
          ...(verifyToken ? { verifyToken: (token: string, room: string | null) => verifyToken(token, room ?? ctx.id.name ?? "") } : {}),
          left: (ws) => this.#revocation?.untrack(ws),
        },
        keyedFields,
      );
      this.#room = this.#own.room;
      this.#hosted = gateway
        ? new HostedSlots({ object: myName, registry: new HostedRooms(ctx.storage.sql), common, here: gateway, keyedFields, ...(verifyToken ? { verifyToken } : {}), alarmBy, keepAlive: (w) => ctx.waitUntil(w), transaction: (fn) => ctx.storage.transactionSync(fn), now: Date.now, log: this.#log })
        : null;
      this.#revocation = directory ? new SocketRevocation({ db: directory, room: this.#room, name: () => this.#name(), keepAlive, log: this.#log }) : undefined;
    }

    /**
     * [S8] The slot of the room `name` addresses: the object's own, or one hosted here (created
     * when `create`, for a message that creates its room); null for a room this object doesn't hold.
     */
    #slot(name: string | undefined, create = false): RoomSlot | null {
      if (name === undefined || !name.includes("/")) return this.#own;
      return this.#hosted?.slot(name, create) ?? null;
    }

    /** The object's one alarm, never later than `at` (its parts share it). */
    async #alarmBy(at: number): Promise<void> {
      const current = await this.ctx.storage.getAlarm();
      if (current === null || current > at) await this.ctx.storage.setAlarm(at);
    }

    /** [S8] After an input to a hosted room: one nobody is in any more may be retired later. */
    #settle(slot: RoomSlot): void {
      if (slot !== this.#own) this.#hosted?.settle(slot);
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

    async remoteConnect(req: ConnectRequest, gateway: string, room?: string): Promise<RemoteConnected> {
      this.#tally.add("connect");
      const slot = this.#slot(room);
      if (!slot) return notHostedHere(room!);
      // A hosted room's sockets all follow it from a lobby's connection, whose revocations were read then.
      const revoked = slot === this.#own ? await this.#revocation?.refusal(req) : undefined;
      if (revoked) return revoked;
      const first = slot === this.#own ? (this.#revocation?.first(req) ?? false) : false;
      const result = this.#guard("remote_connect", () => slot.remoteConnect(req, gateway));
      if ("code" in result && !("close" in result)) return { ok: false, close: { code: 1011, reason: "Internal error" }, error: result, overHttp: false };
      if (result.ok && first) this.#revocation?.track(req);
      return result as RemoteConnected;
    }

    async remoteInput(gateway: string, items: GatewayInput[], applied?: PushMark, room?: string): Promise<{ ok: true; push?: PushBatch }> {
      this.#tally.add("remote", items.length);
      const slot = this.#slot(room);
      if (!slot) {
        // A hosted room retired since a socket started following it: dropped, never retried.
        if (room) this.#hosted?.missing(room, gateway);
        return { ok: true };
      }
      // Logged, never thrown back: the gateway would retry frames that were applied.
      const answer = await slot.remoteInput(gateway, items, applied, (err) => this.#log.error("room_op_failed", { op: "remote_input", err: String(err), stack: (err as Error).stack }));
      this.#settle(slot);
      return answer;
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
      if (created.ok) this.#record(this.#room);
      return created;
    }

    /** Lists the room that was just created in the directory (after the reply; never fails the create). */
    #record(room: Room): void {
      const meta = room.meta();
      if (!this.#directory || !meta) return;
      const name = room === this.#room ? (this.ctx.id.name ?? meta.name ?? meta.roomId) : (meta.name ?? meta.roomId);
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

    async snapshot(actor: Actor, kind?: string, room?: string) {
      return this.#read("snapshot", room, (r) => r.snapshot(actor, kind));
    }

    async history(actor: Actor, before: number | undefined, limit: number, kind?: string, room?: string) {
      return this.#read("history", room, (r) => r.history(actor, before, limit, kind));
    }

    async reset(actor: Actor) {
      return this.#guard("reset", () => this.#room.reset(actor));
    }

    async stateAt(viewer: Actor, at: number, room?: string) {
      return this.#read("state_at", room, (r) => r.stateAt(viewer, at));
    }

    async inspectLog(before: number | undefined, limit: number, room?: string) {
      return this.#read("log", room, (r) => r.inspectLog(before, limit));
    }

    async connections(room?: string) {
      return this.#read("connections", room, (r) => r.connections());
    }

    async metrics(kind?: string, room?: string) {
      return this.#read("metrics", room, (r) => r.metrics(kind));
    }

    /** A read of the object's own room, or ([S8], `room`: its address) of one hosted here. */
    #read<T>(op: string, room: string | undefined, fn: (room: Room) => T): T | HearthError {
      const slot = room === undefined ? this.#own : room.includes("/") ? this.#slot(room) : null;
      if (!slot) return { ...Errors.notFound(), status: 404 };
      return this.#guard(op, () => fn(slot.room));
    }

    async receive(envelope: Envelope): Promise<DeliveryAck> {
      this.#tally.add("message");
      try {
        const slot = this.#slot(envelope.to, envelope.create !== undefined);
        if (!slot) return { ok: false, retry: false, code: "ROOM_NOT_FOUND", message: `No room ${envelope.to} in ${this.#myName}.` };
        const existed = !envelope.create || slot.room.exists();
        const ack = slot.room.receive(envelope);
        if (!existed && slot.room.exists()) this.#record(slot.room);
        this.#settle(slot);
        return ack;
      } catch (err) {
        this.#log.error("room_op_failed", { op: "receive", err: String(err), stack: (err as Error).stack });
        return { ok: false, retry: true, code: "INTERNAL", message: "The receiver failed; the sender will retry." };
      }
    }

    override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
      this.#tally.add("frame");
      const att = this.#gateway?.attachment(ws);
      // A gateway's frame for a room hosted in it: this event stays open until that room has it (Gateway.message).
      // A token frame is checked asynchronously ([K1]): its failures are logged like a frame's.
      const done = this.#gateway && att ? this.#guard("message", () => this.#gateway!.message(ws, att, message)) : this.#guard("message", () => this.#room.message(ws, message));
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
        // [S8] Each hosted room whose time has come runs its alarm (or retires).
        await this.#hosted?.alarm();
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
