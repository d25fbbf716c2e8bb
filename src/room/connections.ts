import type { Actor } from "../core/kind.ts";
import { OPEN, type HostSocket, type RoomHost } from "./RoomHost.ts";

/**
 * What a socket's token granted at connect: the object name its `rooms` claim was checked against
 * (roomAccess's; a campaign socket lives at the DM's table, a feed socket on a gateway) and the role
 * it gave there, before a route set its own (campaign's `player:<id>`).
 */
export interface TokenGrant {
  room: string;
  role: string;
}

/** Survives hibernation on the socket itself (at most 16 KiB: params are capped by the worker). */
export interface Attachment {
  v: 1;
  connId: string;
  actor: Actor;
  params: Record<string, string>;
  connectedAt: number;
  /** Last frame seen; written only when the system has an idle timeout, at most every timeout/4. */
  seenAt: number;
  /** Token expiry (ms): the socket is closed with 4001 at that time; a fresh token moves it ([K4]). */
  expiresAt: number | null;
  /** What the token granted at connect (TokenGrant above); absent for sockets from before [K3]. */
  grant?: TokenGrant;
  /** The token's `jti`, when it has one: a revocation of that token id closes this socket ([V3]). Absent on older sockets. */
  jti?: string;
  /** The token's `iat` (seconds): a user's revocation closes sockets of tokens issued at or before it. Absent on older sockets. */
  iat?: number;
  /** [S6] A socket that follows this room over a connection another room admitted (a gateway's). */
  following?: true;
}

/** Whether a socket asked for batched frames at connect (`?batch=1`, [B1]). */
export const wantsBatches = (att: Attachment) => att.params.batch === "1";

/** Hibernation tag of a user's sockets (tags are capped at 256 chars; ids are capped at 200). */
export const userTag = (userId: string) => `u:${userId}`;

/**
 * The socket registry: which sockets are open, who each one is (its
 * attachment, decoded once per wake-up), and which ones died mid-fan-out.
 * It sends nothing: every frame leaves through the outlet (outlet.ts).
 *
 * It keeps its own index of the sockets (all, and per user), read from the
 * runtime once per wake-up and updated on add/close/failed send, so a connect's
 * capacity checks cost O(1) instead of listing every socket (which made filling
 * one object quadratic, issue 14). The index may still hold a socket the peer
 * closed whose close event is on its way; counts are therefore made exact (by
 * pruning) whenever they reach a limit, and `open()` filters by readyState.
 */
export class Connections {
  readonly #host: RoomHost;
  #attachments = new WeakMap<HostSocket, Attachment>();
  #seen = new WeakMap<HostSocket, number>();
  #gone = new WeakSet<HostSocket>();
  #all: Set<HostSocket> | null = null;
  readonly #byUser = new Map<string, Set<HostSocket>>();
  /** The index as an array, for fan-out to everyone; rebuilt after the index changed (never changed in place: a caller may hold it). */
  #everyone: readonly HostSocket[] | null = null;
  /** How many sockets in the index asked for batches ([B1]): none, and the outlet never looks a socket up to ask. */
  #batching = 0;

  constructor(host: RoomHost) {
    this.#host = host;
  }

  add(ws: HostSocket, att: Attachment): void {
    const all = this.#index();
    this.#host.accept(ws, [userTag(att.actor.userId)]);
    ws.serializeAttachment(att);
    this.#attachments.set(ws, att);
    this.#indexAdd(all, ws, att.actor.userId);
  }

  /** The index, read from the runtime on first use after a wake-up. */
  #index(): Set<HostSocket> {
    if (this.#all) return this.#all;
    const all = (this.#all = new Set());
    for (const ws of this.#host.sockets()) {
      if (this.#gone.has(ws) || ws.readyState !== OPEN) continue;
      const user = this.attachment(ws)?.actor.userId;
      if (user !== undefined) this.#indexAdd(all, ws, user);
    }
    return all;
  }

  #indexAdd(all: Set<HostSocket>, ws: HostSocket, userId: string): void {
    if (all.has(ws)) return;
    all.add(ws);
    this.#everyone = null;
    const att = this.#attachments.get(ws);
    if (att && wantsBatches(att)) this.#batching++;
    let mine = this.#byUser.get(userId);
    if (!mine) this.#byUser.set(userId, (mine = new Set()));
    mine.add(ws);
  }

  /** Drops the socket from the index at once (it failed a send, or is being closed). */
  forget(ws: HostSocket): void {
    this.#gone.add(ws);
    if (!this.#all?.delete(ws)) return;
    this.#everyone = null;
    const att = this.#attachments.get(ws);
    if (att && wantsBatches(att)) this.#batching--;
    const user = att?.actor.userId;
    const mine = user === undefined ? undefined : this.#byUser.get(user);
    if (mine?.delete(ws) && mine.size === 0) this.#byUser.delete(user!);
  }

  /** Drops index entries whose socket is no longer open (a close event not yet delivered). */
  #prune(set: Iterable<HostSocket>): void {
    for (const ws of [...set]) if (ws.readyState !== OPEN) this.forget(ws);
  }

  /**
   * Whether `user` (or, without one, the room) already has `limit` open sockets.
   * O(1) below the limit; exact at it.
   */
  atLimit(limit: number, userId?: string): boolean {
    const all = this.#index();
    const set = userId === undefined ? all : this.#byUser.get(userId);
    if (!set || set.size < limit) return false;
    this.#prune(set);
    // Pruning may have emptied (and dropped) the user's set: read the size afresh.
    return (userId === undefined ? all.size : (this.#byUser.get(userId)?.size ?? 0)) >= limit;
  }

  /** How many sockets the index holds: O(1), may include a socket whose close event is on its way (metrics' peak). */
  size(): number {
    return this.#index().size;
  }

  /** How many sockets are open (exact; O(n)). */
  count(): number {
    const all = this.#index();
    this.#prune(all);
    return all.size;
  }

  /** Whether this user has an open socket; O(that user's sockets). */
  hasOpen(userId: string): boolean {
    this.#index();
    const mine = this.#byUser.get(userId);
    if (!mine) return false;
    this.#prune(mine);
    return (this.#byUser.get(userId)?.size ?? 0) > 0;
  }

  attachment(ws: HostSocket): Attachment | null {
    let att = this.#attachments.get(ws);
    if (!att) {
      const raw = ws.deserializeAttachment() as Attachment | null;
      if (!raw || raw.v !== 1) return null;
      att = raw;
      this.#attachments.set(ws, att);
    }
    return att;
  }

  /**
   * Every socket in the index, for a fan-out to everyone: the same array until a socket is added
   * or dropped, and no readyState read per socket (a native call each: 7% of the isolate in a
   * 1,000-socket fan-out). A socket whose close event is still on its way may be in it: its send
   * goes nowhere or fails, and a failed send buries it (outlet.ts), as for any dead socket.
   */
  everyone(): readonly HostSocket[] {
    return (this.#everyone ??= [...this.#index()]);
  }

  /** Whether any socket in the index asked for batches ([B1]). */
  anyBatching(): boolean {
    this.#index();
    return this.#batching > 0;
  }

  /** Open sockets (all, or one user's), minus those that failed a send or were closed by us. */
  open(userId?: string): HostSocket[] {
    const all = this.#index();
    const set = userId === undefined ? all : this.#byUser.get(userId);
    const out: HostSocket[] = [];
    if (set) for (const ws of set) if (ws.readyState === OPEN) out.push(ws);
    return out;
  }

  /** Records that the client spoke; persisted (sparingly) only when an idle timeout needs it. */
  touch(ws: HostSocket, att: Attachment, now: number, idleTimeoutMs: number | null): void {
    if (idleTimeoutMs === null) return;
    this.#seen.set(ws, now);
    if (now - att.seenAt > idleTimeoutMs / 4) {
      att.seenAt = now;
      ws.serializeAttachment(att);
    }
  }

  /** When the client last showed life (a frame, or a `ping` the runtime answered while we slept); null: its idle rule is kept elsewhere (RoomHost.idlesHere). */
  lastSeen(ws: HostSocket, att: Attachment): number | null {
    if (this.#host.idlesHere && !this.#host.idlesHere(ws)) return null;
    return Math.max(this.#seen.get(ws) ?? 0, att.seenAt, this.#host.autoPongAt(ws) ?? 0);
  }

  /** Whether the socket was dropped (closed by us or dead on a send). */
  isGone(ws: HostSocket): boolean {
    return this.#gone.has(ws);
  }
}
