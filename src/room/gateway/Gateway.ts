import { CloseCode, CloseReason } from "../../core/closeCodes.ts";
import { hostedRoomOf, isHostedIn } from "../../core/objectName.ts";
import type { Logger } from "../logger.ts";
import type { ConnectRequest, GatewayInput, PushAck, PushBatch, RemoteConnected, RoomRpc } from "../rpc.ts";
import type { PushLedger } from "./pushLedger.ts";
import { SourceChannel } from "./sourceChannel.ts";

/** What a gateway keeps on each socket it holds (hibernation-proof; `v: 2` is never a room's own). */
export interface GatewayAttachment {
  v: 2;
  /** The room object the socket belongs to. */
  source: string;
  conn: string;
  userId: string;
  /** The room's idle rule for its sockets, kept here where the frames and pings arrive ([S3]). */
  idleMs: number | null;
  seenAt: number;
  /** The room's kind: its `route` says which followed stream a frame is for ([S6]). */
  kind: string;
  /** [S6] Other rooms this socket follows (object names), in the order it started following them. */
  follows: string[];
  /** The verified connect request, so the socket can follow more streams as itself ([S6]). */
  req: ConnectRequest;
}

/** The part of a runtime socket a gateway uses. */
export interface GatewaySocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
}

export interface GatewayDeps<W extends GatewaySocket> {
  /** This gateway's object name. */
  name: string;
  accept(ws: W, tags: string[]): void;
  sockets(tag?: string): W[];
  autoPongAt(ws: W): number | null;
  source(name: string): Pick<RoomRpc, "remoteConnect" | "remoteInput">;
  /** The kind's frame router ([S6], SocketFace.route), by kind name; null: every frame goes to the room. */
  routeOf(kind: string): ((frame: unknown) => string | null) | null;
  /** The kind's own heartbeat frame and its answer ([S7], SocketFace.heartbeat), by kind name. */
  heartbeatOf(kind: string): { ping: string; pong: string } | null;
  ledger: PushLedger;
  /** A push that came in an input call's answer was applied (the object's input tally). */
  rode?(): void;
  keepAlive(work: Promise<unknown>): void;
  setAlarm(at: number): Promise<void>;
  now(): number;
  wait(ms: number): Promise<void>;
  newId(): string;
  log: Logger;
}

/** [S6] Streams one socket follows at most besides its own room; past it the oldest is let go. */
export const MAX_FOLLOWS = 8;

export const connTag = (conn: string) => `c:${conn}`;
export const sourceTag = (source: string) => `s:${source}`;
export const isGatewayAttachment = (a: unknown): a is GatewayAttachment => (a as { v?: unknown } | null)?.v === 2;

/**
 * [S2] A gateway object: it holds sockets for a room whose sockets outgrew
 * one object, and nothing else. The room admits each socket (remoteConnect:
 * the same connect, catch-up and presence as for a socket of its own) and
 * pushes what its sockets here get, in order ([S1]); the gateway sends each
 * frame to the sockets the push names, so a frame costs the gateway
 * O(recipients). What a socket sends goes to the room, in order, with the
 * socket's connection id ([S3]); the room knows who it is from its own
 * record of the connect, never from the gateway's word.
 */
export class Gateway<W extends GatewaySocket> {
  readonly #d: GatewayDeps<W>;
  readonly #toSource: SourceChannel;
  /** Sockets whose connect is in flight: frames pushed for them wait here until they are accepted. */
  readonly #pending = new Map<string, { frames: string[]; close?: { code: number; reason: string } }>();
  readonly #seen = new Map<string, number>();
  /**
   * Each held socket by connection id, with its attachment, read from the runtime once per
   * wake-up: a push names sockets by id, and listing a tag and deserializing an attachment per
   * socket per frame cost more than the sends (a lobby-wide frame names every socket).
   */
  #byConn: Map<string, { ws: W; att: GatewayAttachment }> | null = null;
  readonly #atts = new WeakMap<W, GatewayAttachment>();

  constructor(deps: GatewayDeps<W>) {
    this.#d = deps;
    this.#toSource = new SourceChannel({
      deliver: async (source, items) => {
        // [S1] The call says which push of the room this gateway applied last; the answer may carry the next one.
        const answer = await deps.source(source).remoteInput(deps.name, items, deps.ledger.last(source) ?? undefined);
        if (answer?.push) this.#applyRiding(answer.push);
      },
      keepAlive: deps.keepAlive,
      wait: deps.wait,
      lost: (source) => {
        deps.log.warn("gateway_source_lost", { source });
        for (const ws of deps.sockets(sourceTag(source))) this.#close(ws, 1011, "Room unavailable");
      },
    });
  }

  /** Admits `ws` into `source` (the room decides); on success it is accepted here, with what was pushed for it meanwhile. */
  async connect(req: ConnectRequest, source: string, ws: W): Promise<RemoteConnected> {
    const conn = this.#d.newId();
    this.#pending.set(conn, { frames: [] });
    let result: RemoteConnected;
    try {
      result = await this.#d.source(source).remoteConnect({ ...req, connId: conn }, this.#d.name);
    } catch (err) {
      this.#pending.delete(conn);
      throw err;
    }
    const waiting = this.#pending.get(conn)!;
    this.#pending.delete(conn);
    if (!result.ok) return result;
    const now = this.#d.now();
    const att: GatewayAttachment = { v: 2, source, conn, userId: req.actor.userId, idleMs: result.idleTimeoutMs, seenAt: now, kind: result.kind, follows: [], req };
    this.#d.accept(ws, [connTag(conn), sourceTag(source)]);
    this.#save(ws, att);
    for (const f of waiting.frames) this.#send(ws, f);
    if (waiting.close) this.#close(ws, waiting.close.code, waiting.close.reason);
    else if (att.idleMs !== null) void this.#d.setAlarm(now + att.idleMs + 1);
    return result;
  }

  /** [S1] A room's push: applied once (by its number), each frame to the sockets it names. */
  push(batch: PushBatch): PushAck {
    if (batch.gateway !== this.#d.name) return { ok: false, code: "NOT_THIS_GATEWAY", message: `This is ${this.#d.name}, not ${batch.gateway}.` };
    // A riding push sent again with what followed it: applied first, unless it already was.
    if (batch.prior) {
      const first = this.push(batch.prior);
      if (!first.ok) return first;
    }
    const last = this.#d.ledger.last(batch.source);
    if (last && last.incarnation === batch.incarnation && batch.push <= last.push) return { ok: true, duplicate: true };
    this.#d.ledger.record(batch.source, batch.incarnation, batch.push);
    for (const item of batch.items) {
      if (item.t === "send") {
        for (const conn of item.conns) {
          // Connects in flight are rare: most pushes skip building their keys.
          const waiting = this.#pending.size === 0 ? undefined : (this.#pending.get(`${conn}@${batch.source}`) ?? this.#pending.get(conn));
          if (waiting) waiting.frames.push(item.frame);
          else this.#send(this.#socket(conn, batch.source), item.frame);
        }
      } else if (item.t === "follow") {
        const ws = this.#socket(item.conn, batch.source);
        if (ws) this.#d.keepAlive(this.#follow(ws, item.stream, item.since, item.epoch));
      } else {
        const waiting = this.#pending.get(item.conn);
        if (waiting) waiting.close = { code: item.code, reason: item.reason };
        else {
          const ws = this.#socket(item.conn, batch.source);
          if (ws) this.#close(ws, item.code, item.reason, batch.source);
        }
      }
    }
    return { ok: true };
  }

  /** A push that came in an input's answer: applied as a push call's would be (never thrown into the input's retry). */
  #applyRiding(batch: PushBatch): void {
    try {
      this.#d.rode?.();
      const ack = this.push(batch);
      if (!ack.ok) this.#d.log.warn("riding_push_refused", { source: batch.source, code: ack.code });
    } catch (err) {
      // Not recorded as applied: the room sends it again as a push call.
      this.#d.log.error("riding_push_failed", { source: batch.source, err: String(err) });
    }
  }

  /** [S8] Whether a socket with this connection id is held here (KindCtx.holds of a room hosted here). */
  holds(conn: string): boolean {
    return this.#index().has(conn);
  }

  /**
   * [S8] A room hosted in this object asks one of the sockets here to follow it (its kind named
   * the socket: a game its creator's lobby opened for that socket). Started as the socket's own
   * room would ask for it, with no hop through that room. False when this user holds no socket
   * with that connection id here. (Every room hosted in a gateway was placed there by the room
   * whose sockets it holds.)
   */
  followHere(conn: string, userId: string, stream: string, since?: number, epoch?: string): boolean {
    const held = this.#index().get(conn);
    if (!held || held.att.userId !== userId) return false;
    this.#d.keepAlive(this.#follow(held.ws, stream, since, epoch));
    return true;
  }

  /** A socket's frame, on to its room; the delivery to a room hosted here it started, which the caller awaits (SourceChannel.enqueue), or null. */
  message(ws: W, att: GatewayAttachment, data: string | ArrayBuffer): Promise<void> | null {
    // A socket this gateway closed (its close not yet echoed) speaks for no room any more.
    if (!this.#index().has(att.conn)) return null;
    this.#touch(ws, att);
    // [S7] The protocol's heartbeat is answered here: a lobby of thousands of pinging sockets
    // would otherwise spend an input, a commit check and a push on each ping.
    const beat = typeof data === "string" ? this.#d.heartbeatOf(att.kind) : null;
    if (beat && data === beat.ping) {
      this.#send(ws, beat.pong);
      return null;
    }
    // A room hosted here takes the frame in place: this event stays open until it has (no
    // waitUntil per frame). A room elsewhere is an RPC away: the event ends now, or the runtime
    // would read this socket's next frame only after that round trip.
    const source = this.#routeOf(att, data);
    return this.#toSource.enqueue(source, { conn: att.conn, data }, isHostedIn(source, this.#d.name));
  }

  /** [S6] Which room a frame goes to: a followed stream its kind's router names, or the socket's room. */
  #routeOf(att: GatewayAttachment, data: string | ArrayBuffer): string {
    if (att.follows.length === 0 || typeof data !== "string") return att.source;
    const route = this.#d.routeOf(att.kind);
    if (!route) return att.source;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return att.source;
    }
    const stream = route(frame);
    if (stream === null) return att.source;
    // [S8] A followed room hosted in some object is followed by its address; the router names the room.
    return att.follows.find((f) => f === stream || hostedRoomOf(f) === stream) ?? att.source;
  }

  /**
   * [S6] The socket follows `stream` too: that room admits it as a follower (catch-up from the
   * cursor it was given), then its frames for that room go there directly. One that follows it
   * already is left alone. A room that doesn't exist yet (created through an outbox message a
   * moment later) is asked again a few times.
   */
  async #follow(ws: W, stream: string, since?: number, epoch?: string): Promise<void> {
    const att = this.attachment(ws);
    if (!isGatewayAttachment(att) || att.follows.includes(stream) || stream === att.source) return;
    const params = { ...att.req.params, ...(since === undefined ? {} : { since: String(since) }), ...(epoch === undefined ? {} : { epoch }) };
    if (since === undefined) delete params.since;
    // The route's kind check was for the socket's own room; the followed one is named by the room that asked.
    // (Its token's revocations were read when it connected: a follow doesn't read them again.)
    const { kind: _kind, revocation: _revocation, ...asked } = att.req;
    const req: ConnectRequest = { ...asked, params, connId: att.conn, following: true };
    for (let attempt = 0; attempt < 6; attempt++) {
      this.#pending.set(`${att.conn}@${stream}`, { frames: [] });
      let result: RemoteConnected;
      try {
        result = await this.#d.source(stream).remoteConnect(req, this.#d.name);
      } catch {
        result = { ok: false, close: { code: 1011, reason: "" }, error: { ok: false, code: "UNAVAILABLE", message: "" }, overHttp: false };
      }
      const waiting = this.#pending.get(`${att.conn}@${stream}`)!;
      this.#pending.delete(`${att.conn}@${stream}`);
      if (result.ok) {
        const now = this.attachment(ws);
        if (!now) return;
        // A socket that played game after game would follow every one it ever joined (its
        // attachment growing, each frame's route check longer): the oldest are let go, and that
        // room hears the socket left it, as on a close.
        const follows = [...now.follows, stream];
        for (const old of follows.splice(0, Math.max(0, follows.length - MAX_FOLLOWS))) this.#toSource.enqueue(old, { conn: att.conn, closed: true });
        this.#save(ws, { ...now, follows });
        for (const f of waiting.frames) this.#send(ws, f);
        return;
      }
      if (result.error.code !== "ROOM_NOT_FOUND" && result.error.code !== "UNAVAILABLE") {
        this.#d.log.info("follow_refused", { stream, code: result.error.code });
        return;
      }
      await this.#d.wait(50 * 2 ** attempt);
    }
  }

  closed(ws: W, att: GatewayAttachment): void {
    // The client's close is echoed at once: its `close` event waits for it.
    try {
      ws.close(1000, "");
    } catch {
      // Already closed.
    }
    this.#toSource.enqueue(att.source, { conn: att.conn, closed: true });
    for (const stream of att.follows) this.#toSource.enqueue(stream, { conn: att.conn, closed: true });
    this.#seen.delete(att.conn);
    this.#index().delete(att.conn);
    if (this.#d.sockets(sourceTag(att.source)).every((s) => s === ws)) this.#d.ledger.forget(att.source);
  }

  /** The idle rule of each socket's room ([S3]), kept here: 4000 for a socket silent past it. */
  async alarm(): Promise<void> {
    const now = this.#d.now();
    let next: number | null = null;
    for (const ws of this.#d.sockets()) {
      const att = this.attachment(ws);
      if (!att || att.idleMs === null) continue;
      const seen = Math.max(this.#seen.get(att.conn) ?? 0, att.seenAt, this.#d.autoPongAt(ws) ?? 0);
      if (now - seen > att.idleMs) this.#close(ws, CloseCode.idle, CloseReason.idle);
      else next = Math.min(next ?? Infinity, seen + att.idleMs + 1);
    }
    if (next !== null) await this.#d.setAlarm(next);
  }

  /**
   * One frame to one socket. A socket the runtime still lists after a close (CLOSING) throws on
   * send: it is closed here and its room told, and the rest of the push goes on (the push is
   * recorded as applied: a retry must not resend what the other sockets got).
   */
  #send(ws: W | undefined, frame: string): void {
    if (!ws) return;
    try {
      ws.send(frame);
    } catch {
      this.#close(ws, 1011, "Send failed");
    }
  }

  #touch(ws: W, att: GatewayAttachment): void {
    if (att.idleMs === null) return;
    const now = this.#d.now();
    this.#seen.set(att.conn, now);
    if (now - att.seenAt > att.idleMs / 4) this.#save(ws, { ...att, seenAt: now });
  }

  #socket(conn: string, source: string): W | undefined {
    const held = this.#index().get(conn);
    return held && (held.att.source === source || held.att.follows.includes(source)) ? held.ws : undefined;
  }

  /** A held socket's attachment (cached; the runtime's copy is written on every change). */
  attachment(ws: W): GatewayAttachment | null {
    let att = this.#atts.get(ws);
    if (!att) {
      const raw = ws.deserializeAttachment();
      if (!isGatewayAttachment(raw)) return null;
      this.#atts.set(ws, (att = raw));
    }
    return att;
  }

  #save(ws: W, att: GatewayAttachment): void {
    ws.serializeAttachment(att);
    this.#atts.set(ws, att);
    this.#index().set(att.conn, { ws, att });
  }

  #index(): Map<string, { ws: W; att: GatewayAttachment }> {
    if (this.#byConn) return this.#byConn;
    this.#byConn = new Map();
    for (const ws of this.#d.sockets()) {
      const att = this.attachment(ws);
      if (att) this.#byConn.set(att.conn, { ws, att });
    }
    return this.#byConn;
  }

  /**
   * Closes a socket here; every room it is in hears of it, but the one that closed it (`closedBy`).
   * A lobby's revoke closes a games socket: the game it follows must drop it now, not when the
   * client echoes the close (a client that never does could keep playing).
   */
  #close(ws: W, code: number, reason: string, closedBy?: string): void {
    const att = this.attachment(ws);
    if (att) this.#index().delete(att.conn);
    try {
      ws.close(code, reason);
    } catch {
      // Already closing.
    }
    if (att) for (const s of [att.source, ...att.follows]) if (s !== closedBy) this.#toSource.enqueue(s, { conn: att.conn, closed: true });
  }
}
