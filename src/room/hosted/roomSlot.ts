import { hostObjectOf, isHostedIn } from "../../core/objectName.ts";
import type { SystemRegistry } from "../../core/system.ts";
import type { Logger } from "../logger.ts";
import type { MetricsPoint } from "../metricsPoint.ts";
import { Room } from "../Room.ts";
import type { DeliveryAck, Envelope, HostSocket, RoomHost } from "../RoomHost.ts";
import type { TokenCheck } from "../refreshToken.ts";
import type { ConnectRequest, GatewayInput, PushAck, PushBatch, PushMark, RemoteConnected, RoomRpc } from "../rpc.ts";
import { PushChannel } from "../remote/pushChannel.ts";
import { RemoteSide } from "../remote/remoteSide.ts";
import { RemoteSocket } from "../remote/RemoteSocket.ts";
import { RemoteSockets } from "../remote/remoteSockets.ts";
import { sqliteRemoteRows } from "../remote/remoteRows.ts";
import { hostedSql } from "../store/hostedSql.ts";
import { SqliteRoomStore } from "../store/sqliteRoomStore.ts";

/** A call to another object's room RPC, through the object's stub cache. */
export type CallRoom = <T>(object: string, call: (stub: RoomRpc) => Promise<T>) => Promise<T>;

type Source = Pick<RoomRpc, "remoteConnect" | "remoteInput">;

/**
 * [S3] Where a gateway's frames for the room `name` go: a room hosted in this same object (`here`)
 * is called in place ([S8], `self`: the object's own methods), any other over RPC.
 */
export function sourceOf(name: string, here: string, self: Source, call: CallRoom): Source {
  if (isHostedIn(name, here)) {
    return {
      remoteConnect: async (req, gateway) => self.remoteConnect(req, gateway, name),
      remoteInput: async (gateway, items, applied) => self.remoteInput(gateway, items, applied, name),
    };
  }
  const object = hostObjectOf(name);
  const room = object === name ? undefined : name;
  return {
    remoteConnect: (req, gateway) => call(object, (s) => s.remoteConnect(req, gateway, room)),
    remoteInput: (gateway, items, applied) => call(object, (s) => s.remoteInput(gateway, items, applied, room)),
  };
}

/** [S8] The gateway a hosted room lives in, as far as the room reaches into it: the follows of its sockets (Gateway.followHere). */
export interface HostGateway {
  holds(conn: string): boolean;
  followHere(conn: string, userId: string, stream: string, since?: number, epoch?: string): boolean;
}

/** The sockets the object holds itself (hibernatable, accepted by the runtime); a hosted room has none. */
export interface OwnSockets {
  accept(ws: WebSocket, tags: string[]): void;
  sockets(tag?: string): WebSocket[];
  autoPongAt(ws: WebSocket): number | null;
}

export interface RoomSlotDeps {
  /** The room's name: the object's own, or its address inside this object ([S8], `<object>/<room>`). */
  name: string;
  storage: DurableObjectStorage;
  /** [S8] Its number among the rooms this object hosts (its rows in the shared tables, hostedSql.ts); absent: the object's own room. */
  hostedRoom?: number;
  systems: SystemRegistry;
  log: Logger;
  /** The object's own sockets, for its own room only. */
  own: OwnSockets | null;
  /** [S8] A hosted room's gateway (absent for an object's own room). */
  here?: HostGateway;
  /** The room's one alarm (the object's, or its share of it when hosted). */
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
  /** Sends a room's message (outbox.ts) to the object that holds its receiver. */
  deliver(to: string, envelope: Envelope): Promise<DeliveryAck>;
  /** A push to a gateway: this object's own gateway is called in place ([S8]), any other over RPC. */
  push(gateway: string, batch: PushBatch): Promise<PushAck>;
  keepAlive(work: Promise<unknown>): void;
  wait(ms: number): Promise<void>;
  /** Checks a token presented on an open socket against this room ([K1]). */
  verifyToken?: (token: string, room: string | null) => Promise<TokenCheck>;
  exportMetrics?: (point: MetricsPoint) => void;
  /** The room's clock (Date.now when absent); a hosted room runs on its object's. */
  now?: () => number;
  /** How often the room's figures are saved at most (Room's default when absent). */
  metricsFlushMs?: number;
  /** A remote socket left (revocation stops tracking it). */
  left?: (ws: HostSocket) => void;
}

/**
 * One room inside a Durable Object: the Room over its tables, its sockets on gateways and the
 * push channel to them, and its side of those gateways. An object holds its own room and, when
 * it is a gateway, the rooms hosted in it ([S8]): each a slot, the same parts over its own tables,
 * so a hosted room behaves exactly as it would in an object of its own.
 */
export class RoomSlot {
  readonly name: string;
  readonly room: Room;
  readonly remote: RemoteSockets;
  readonly #side: RemoteSide;
  readonly #pushes: PushChannel;
  /** [S8] When the object last asked for this slot (HostedSlots: an idle hosted room's slot is let go). */
  usedAt = 0;

  constructor(d: RoomSlotDeps, keyedFields: (kind: string) => readonly string[]) {
    this.name = d.name;
    const pushes = (this.#pushes = new PushChannel({
      source: d.name,
      incarnation: crypto.randomUUID().slice(0, 8),
      deliver: (gateway, batch) => d.push(gateway, batch),
      keepAlive: d.keepAlive,
      wait: d.wait,
      lost: (gateway) => this.#side.lost(gateway),
    }));
    const remote = (this.remote = new RemoteSockets({
      rows: sqliteRemoteRows(d.hostedRoom === undefined ? d.storage.sql : hostedSql(d.storage.sql, d.hostedRoom)),
      name: d.name,
      send: (gateway, conn, frame) => pushes.send(gateway, conn, frame),
      close: (gateway, conn, code, reason) => pushes.close(gateway, conn, code, reason),
      follow: (gateway, conn, stream, since, epoch) => pushes.follow(gateway, conn, stream, since, epoch),
      now: Date.now,
      left: (ws) => d.left?.(ws),
    }));
    const own = d.own;
    // A gateway keeps its sockets' idle rule where their pings arrive ([S3]): the room neither idles
    // them out nor wakes for them; for flow control ([F3]) they always look alive.
    const heldHere = (ws: HostSocket) => own !== null && !(ws instanceof RemoteSocket);
    const host: RoomHost = {
      accept: (ws, tags) => {
        if (ws instanceof RemoteSocket) return remote.accept(ws, tags);
        if (!own) throw new Error("a hosted room holds no sockets of its own");
        own.accept(ws as WebSocket, tags);
      },
      sockets: (tag) => {
        const far = remote.sockets(tag);
        if (!own) return far;
        return far.length ? [...own.sockets(tag), ...far] : own.sockets(tag);
      },
      autoPongAt: (ws) => (own && heldHere(ws) ? own.autoPongAt(ws as WebSocket) : Date.now()),
      idlesHere: heldHere,
      later: (fn, ms) => void setTimeout(fn, ms),
      getAlarm: d.getAlarm,
      setAlarm: d.setAlarm,
      deliver: d.deliver,
      ...(d.exportMetrics ? { exportMetrics: d.exportMetrics } : {}),
      ...(d.here ? { holds: (conn: string) => d.here!.holds(conn), followHere: (conn: string, userId: string, since?: number, epoch?: string) => d.here!.followHere(conn, userId, d.name, since, epoch) } : {}),
    };
    this.room = new Room({
      spread: remote,
      store: new SqliteRoomStore(d.storage, { keyedFields, ...(d.hostedRoom === undefined ? {} : { hostedRoom: d.hostedRoom }) }),
      ...(d.metricsFlushMs === undefined ? {} : { metricsFlushMs: d.metricsFlushMs }),
      ...(d.now ? { now: d.now } : {}),
      log: d.log,
      systems: d.systems,
      ...(d.verifyToken ? { verifyToken: d.verifyToken } : {}),
      host,
    });
    this.#side = new RemoteSide(this.room, remote, d.log);
  }

  /** [S2] A gateway's socket asks to join (or follow) this room. */
  remoteConnect(req: ConnectRequest, gateway: string): RemoteConnected {
    return this.#side.connect(req, gateway);
  }

  /**
   * [S3] What a gateway's sockets sent, in order; [S1] what it causes for that gateway rides on
   * the answer. `fail` logs what went wrong: never thrown back, or the gateway would retry
   * frames that were applied.
   */
  async remoteInput(gateway: string, items: GatewayInput[], applied: PushMark | undefined, fail: (err: unknown) => void): Promise<{ ok: true; push?: PushBatch }> {
    this.#pushes.applied(gateway, applied);
    this.#pushes.hold(gateway);
    let push: PushBatch | undefined;
    try {
      await this.#side.input(gateway, items);
    } catch (err) {
      fail(err);
    } finally {
      push = this.#pushes.ride(gateway);
    }
    return push ? { ok: true, push } : { ok: true };
  }

  /** [S8] Nothing waits on this slot's memory: no push in flight or unacknowledged, and the room settled (Room.settled). */
  settled(): boolean {
    return this.#pushes.idle() && this.room.settled();
  }

  /** The gateway stopped answering: the room gives up its sockets there. */
  lost(gateway: string): void {
    this.#side.lost(gateway);
  }
}
