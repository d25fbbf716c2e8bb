import { gatewayObjectName } from "../../core/objectName.ts";
import type { HostSocket } from "../RoomHost.ts";
import { RemoteSocket, type RemoteSink } from "./RemoteSocket.ts";
import type { RemoteRows } from "./remoteRows.ts";

/** A placement not yet followed by its connect is counted this long, then forgotten (the client gave up). */
const RESERVED_MS = 15_000;

export interface RemoteSocketsDeps {
  rows: RemoteRows;
  /** The room's object name: its gateways are named from it. */
  name: string;
  send: RemoteSink["send"];
  close: RemoteSink["close"];
  follow: RemoteSink["follow"];
  now: () => number;
  /** A socket left the room, closed here or there ([V4]: its `socket_rooms` row may go). */
  left?: (ws: RemoteSocket) => void;
}

/**
 * [S2] The room's sockets that live on gateway objects: one RemoteSocket per
 * socket, kept in the room's storage (so the room's eviction loses none) and
 * handed to the room as if they were its own (the host's `sockets()`). It
 * also places new sockets ([S5]): the room's own object first, then gateway
 * 0, 1, 2, ... each up to `socketsPerObject`, counting placements still on
 * their way so a crowd arriving together spreads instead of overfilling one.
 * A gateway left empty is simply no longer chosen before a lower one with room;
 * it holds nothing once its last socket closed.
 */
export class RemoteSockets implements RemoteSink {
  readonly #d: RemoteSocketsDeps;
  #byConn: Map<string, RemoteSocket> | null = null;
  readonly #perGateway = new Map<string, number>();
  readonly #reserved = new Map<string, number[]>();

  constructor(deps: RemoteSocketsDeps) {
    this.#d = deps;
  }

  send(gateway: string, conn: string, frame: string): void {
    this.#d.send(gateway, conn, frame);
  }

  close(gateway: string, conn: string, code: number, reason: string): void {
    const ws = this.#map().get(conn);
    this.#forget(conn);
    this.#d.close(gateway, conn, code, reason);
    if (ws) this.#d.left?.(ws);
  }

  follow(gateway: string, conn: string, stream: string, since?: number, epoch?: string): void {
    this.#d.follow(gateway, conn, stream, since, epoch);
  }

  save(socket: RemoteSocket): void {
    if (socket.readyState !== 1 || !this.#map().has(socket.conn)) return;
    this.#d.rows.put({ conn: socket.conn, gateway: socket.gateway, tags: [...socket.tags], attachment: socket.deserializeAttachment() });
  }

  /** A socket a gateway admits: not in the room until the room accepts it (Connections.add -> accept). */
  create(gateway: string, conn: string): RemoteSocket {
    return new RemoteSocket(gateway, conn, [], null, this);
  }

  accept(ws: RemoteSocket, tags: string[]): void {
    (ws as { tags: readonly string[] }).tags = tags;
    this.#map().set(ws.conn, ws);
    this.#perGateway.set(ws.gateway, (this.#perGateway.get(ws.gateway) ?? 0) + 1);
    // The placement it came from is used up.
    this.#reserved.get(ws.gateway)?.shift();
  }

  sockets(tag?: string): HostSocket[] {
    const all = [...this.#map().values()];
    return tag === undefined ? all : all.filter((ws) => ws.tags.includes(tag));
  }

  /** How many of the room's sockets live on gateways. */
  count(): number {
    return this.#map().size;
  }

  byConn(conn: string): RemoteSocket | undefined {
    return this.#map().get(conn);
  }

  /** The gateway says the socket closed: it leaves the registry (the room then runs its close). */
  closedThere(conn: string): RemoteSocket | undefined {
    const ws = this.#map().get(conn);
    if (!ws) return undefined;
    ws.markClosed();
    this.#forget(conn);
    this.#d.left?.(ws);
    return ws;
  }

  /** Every socket the room holds on `gateway` (a gateway that stopped answering). */
  on(gateway: string): RemoteSocket[] {
    return [...this.#map().values()].filter((ws) => ws.gateway === gateway);
  }

  /**
   * Where the next socket goes when the room's own object holds `local` and may hold `own`
   * (default `perObject`): null is the room itself.
   */
  place(local: number, perObject: number | null, own = perObject): string | null {
    if (perObject === null || local < (own ?? perObject)) return null;
    this.#map();
    const now = this.#d.now();
    for (let k = 0; ; k++) {
      const gateway = gatewayObjectName(this.#d.name, k);
      const reserved = (this.#reserved.get(gateway) ?? []).filter((until) => until > now);
      if ((this.#perGateway.get(gateway) ?? 0) + reserved.length >= perObject) continue;
      reserved.push(now + RESERVED_MS);
      this.#reserved.set(gateway, reserved);
      return gateway;
    }
  }

  /** Whether `gateway` may take one more socket (a connect that was not placed, or raced a crowd). */
  hasRoom(gateway: string, perObject: number | null): boolean {
    this.#map();
    return perObject !== null && (this.#perGateway.get(gateway) ?? 0) < perObject;
  }

  /** [S5] The gateways holding sockets, and how many each. */
  gateways(): { name: string; sockets: number }[] {
    this.#map();
    return [...this.#perGateway].filter(([, n]) => n > 0).map(([name, sockets]) => ({ name, sockets })).sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  }

  #forget(conn: string): void {
    const ws = this.#map().get(conn);
    if (!ws) return;
    this.#map().delete(conn);
    const n = (this.#perGateway.get(ws.gateway) ?? 1) - 1;
    if (n > 0) this.#perGateway.set(ws.gateway, n);
    else this.#perGateway.delete(ws.gateway);
    this.#d.rows.delete(conn);
  }

  /** The registry, read from storage once per incarnation. */
  #map(): Map<string, RemoteSocket> {
    if (this.#byConn) return this.#byConn;
    this.#byConn = new Map();
    for (const row of this.#d.rows.all()) {
      const ws = new RemoteSocket(row.gateway, row.conn, row.tags, row.attachment, this);
      this.#byConn.set(row.conn, ws);
      this.#perGateway.set(row.gateway, (this.#perGateway.get(row.gateway) ?? 0) + 1);
    }
    return this.#byConn;
  }
}
