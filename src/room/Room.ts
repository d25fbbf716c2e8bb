import type { Actor, AnyKind, Applied, ApplyCtx, Emit, RoomLimits, ViewCtx } from "../kinds/kind.ts";
import type { Codec } from "../protocol/codec.ts";
import { CloseCode, CloseReason } from "./closeCodes.ts";
import { closeWith } from "./closeWith.ts";
import { DEDUP_TTL_MS, resolveLimits, roomLimitsOverride } from "./limits.ts";
import type { Logger } from "./logger.ts";
import { parseCursor, planResume } from "./planResume.ts";
import { Errors, roomError, type RoomError } from "./roomError.ts";
import type { LogEntry, RoomMeta, RoomStore } from "./store/RoomStore.ts";
import { seededRandom } from "./seededRandom.ts";
import { systemFor, type System } from "./systems.ts";
import { TokenBucket } from "./TokenBucket.ts";

/** What the runtime gives a Room: its sockets and its alarm. The DO implements it. */
export interface RoomHost {
  accept(ws: WebSocket, tags: string[]): void;
  /** All sockets, or those accepted with `tag`. */
  sockets(tag?: string): WebSocket[];
  /** When the runtime last auto-answered a `ping` on this socket (ms), if ever. */
  autoPongAt(ws: WebSocket): number | null;
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
}

/** Survives hibernation on the socket itself. */
export interface Attachment {
  v: 1;
  connId: string;
  actor: Actor;
  params: Record<string, string>;
  connectedAt: number;
  /** Last frame seen, written at most every idleTimeout/4 so the sweep survives hibernation cheaply. */
  seenAt: number;
  /** Token expiry (ms); the sweep closes the socket with 4001 after it. */
  expiresAt: number | null;
}

export interface CreateRoom {
  roomId: string;
  kind: string;
  config: Record<string, unknown>;
  createdBy: string;
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
   * whose clients expect 4003/4004/4009.
   */
  refuse?: "http" | "close";
}

export interface SubmitOptions {
  /** Include the caller's view of the new state in the outcome (seed 000 answers with a snapshot). */
  withView?: boolean;
  idempotencyKey?: string;
  /** Hash of the request body: same key + different body is a 422. */
  bodyHash?: string;
}

export type Outcome =
  | { ok: true; seq: number; epoch: string; result: unknown; view?: unknown; replayed?: boolean }
  | RoomError;

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

export interface RoomDeps {
  store: RoomStore;
  host: RoomHost;
  log: Logger;
  now?: () => number;
  newId?: () => string;
  systems?: (kind: string) => System | undefined;
}

interface Loaded {
  meta: RoomMeta;
  system: System;
  kind: AnyKind;
  codec: Codec;
  limits: RoomLimits;
}

/**
 * One room's pipeline: limit -> decode -> validate -> authorize/apply (pure
 * kind) -> commit (one transaction) -> fan out (encode once). In-memory
 * fields are caches; everything that matters is in the store or on the
 * socket attachments, so a fresh Room over the same storage and sockets
 * behaves the same (test/eviction.test.ts).
 */
export class Room {
  readonly #store: RoomStore;
  readonly #host: RoomHost;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #systems: (kind: string) => System | undefined;

  #loaded: Loaded | null = null;
  #state: unknown;
  #presence = new Set<string>();
  #online = new Map<string, Actor>();
  /** `#online` as the list kinds read; rebuilt only after a join or leave, not per command. */
  #onlineList: readonly Actor[] | null = null;
  #attachments = new WeakMap<WebSocket, Attachment>();
  #buckets = new WeakMap<WebSocket, TokenBucket>();
  #strikes = new WeakMap<WebSocket, number>();
  #seen = new WeakMap<WebSocket, number>();
  /** HTTP submits of user tokens, per user: the same budget as one socket. Memory only, bounded. */
  #httpBuckets = new Map<string, TokenBucket>();
  #gone = new WeakSet<WebSocket>();
  #alarmAt: number | null | undefined;

  constructor(deps: RoomDeps) {
    this.#store = deps.store;
    this.#host = deps.host;
    this.#log = deps.log;
    this.#now = deps.now ?? Date.now;
    this.#newId = deps.newId ?? (() => crypto.randomUUID());
    this.#systems = deps.systems ?? systemFor;
  }

  // ---------------------------------------------------------------- loading

  #load(): Loaded | null {
    if (this.#loaded) return this.#loaded;
    const meta = this.#store.meta();
    if (!meta) return null;
    const system = this.#systems(meta.kind);
    if (!system) {
      this.#log.error("unknown_kind", { roomId: meta.roomId, kind: meta.kind });
      return null;
    }
    this.#loaded = { meta, system, kind: system.kind, codec: system.codec, limits: resolveLimits(system.kind.limits, meta.config) };
    this.#state = this.#store.state();
    this.#presence = new Set(this.#store.presence());
    this.#online.clear();
    this.#onlineList = null;
    for (const ws of this.#openSockets()) {
      const att = this.#attachment(ws);
      if (att) this.#online.set(att.actor.userId, att.actor);
    }
    return this.#loaded;
  }

  create(init: CreateRoom): { ok: true; roomId: string; kind: string; epoch: string } | RoomError {
    if (this.#store.meta()) return Errors.exists();
    const system = this.#systems(init.kind);
    if (!system) return roomError("UNKNOWN_KIND", `No room kind named ${init.kind}.`, 400);
    const { limits, ...kindConfig } = init.config;
    const limitCheck = roomLimitsOverride.safeParse(limits ?? {});
    if (!limitCheck.success) return roomError("BAD_CONFIG", "The room's `limits` are not valid.", 400, issues(limitCheck.error));
    const parsed = system.kind.config ? system.kind.config.safeParse(kindConfig) : { success: true as const, data: kindConfig };
    if (!parsed.success) return roomError("BAD_CONFIG", "The room configuration is not valid.", 400, issues(parsed.error));
    if (limits !== undefined) parsed.data.limits = limitCheck.data;
    const now = this.#now();
    const meta: RoomMeta = {
      roomId: init.roomId,
      kind: init.kind,
      config: parsed.data,
      epoch: this.#newId().slice(0, 8),
      seed: (Math.random() * 2 ** 32) >>> 0,
      createdAt: now,
      createdBy: init.createdBy,
    };
    this.#store.create(meta, system.kind.init(meta.config, { now, roomId: init.roomId }));
    this.#loaded = null;
    this.#log.info("room_created", { roomId: init.roomId, kind: init.kind });
    return { ok: true, roomId: init.roomId, kind: init.kind, epoch: meta.epoch };
  }

  exists(kind?: string): boolean {
    const l = this.#load();
    return !!l && (kind === undefined || l.meta.kind === kind);
  }

  // ------------------------------------------------------------ connections

  connect(req: ConnectRequest): Response {
    const l = this.#load();
    if (!l || (req.kind !== undefined && l.meta.kind !== req.kind)) {
      return refuse(req, CloseCode.notFound, CloseReason.notFound, Errors.notFound());
    }
    const info = { actor: req.actor, params: req.params };
    const refusal = l.kind.admit?.(this.#state, info);
    if (refusal) {
      const err = roomError(refusal.code, refusal.message, refusal.status ?? 403);
      return refuse(req, CloseCode.forbidden, refusal.message, err);
    }
    // Capacity is refused with close 4009 on every route: a client learns to back off, where a
    // refused upgrade would only look like a network failure (1006) to a browser.
    const open = this.#openSockets();
    if (open.length >= l.limits.maxConnections) return closeWith(CloseCode.full, CloseReason.full, req.protocol);
    if (this.#openSockets(userTag(req.actor.userId)).length >= l.limits.maxSocketsPerUser) return closeWith(CloseCode.full, CloseReason.userFull, req.protocol);

    const now = this.#now();
    const pair = new WebSocketPair();
    const client = pair[0];
    const server = pair[1];
    const att: Attachment = {
      v: 1,
      connId: this.#newId(),
      actor: req.actor,
      params: req.params,
      connectedAt: now,
      seenAt: now,
      expiresAt: req.expiresAt,
    };
    this.#host.accept(server, [userTag(req.actor.userId)]);
    server.serializeAttachment(att);
    this.#attachments.set(server, att);
    this.#online.set(req.actor.userId, req.actor);
    this.#onlineList = null;

    // The join commits first (peers hear it; this socket doesn't), then this socket's catch-up
    // reflects the head including its own join. Nothing else runs in between, so no live frame
    // can overtake the catch-up.
    this.#join(att, server);
    this.#sendCatchUp(server, att, l);
    void this.#ensureSweep(l);
    return new Response(null, {
      status: 101,
      webSocket: client,
      ...(req.protocol ? { headers: { "Sec-WebSocket-Protocol": req.protocol } } : {}),
    });
  }

  #sendCatchUp(ws: WebSocket, att: Attachment, l: Loaded): void {
    const head = this.#store.head();
    const window = { epoch: l.meta.epoch, head, tail: this.#store.tail(), maxReplay: l.limits.logMaxEntries };
    const plan = planResume(parseCursor(att.params), window);
    const meta = { seq: head, epoch: l.meta.epoch };
    let recent: Record<string, unknown>[] = [];
    if (plan.mode === "replay") {
      // Page through to the head: `recovered: true` promises nothing in between was skipped.
      for (let after = plan.after; after < head; ) {
        const page = this.#store.entriesAfter(after, 500);
        if (page.length === 0) break;
        for (const e of page) if (visible(e, att.actor.userId)) this.#send(ws, e.frame);
        after = page[page.length - 1]!.seq;
      }
      this.#send(ws, l.codec.recovered(meta));
    } else {
      const recovered = plan.mode === "snapshot" ? { recovered: false } : {};
      this.#send(ws, l.codec.snapshot(l.kind.view(this.#state, att.actor, this.#viewCtx()), { ...meta, ...recovered }));
      if (plan.mode === "snapshot") this.#log.info("resume_fallback", { roomId: l.meta.roomId, reason: plan.reason });
      const want = l.kind.historyOnJoin ?? 0;
      if (want > 0) recent = this.#visibleBefore(head + 1, want, att.actor.userId).entries.reverse();
    }
    for (const body of l.kind.welcome?.(this.#state, { actor: att.actor, params: att.params }, recent) ?? []) {
      this.#send(ws, l.codec.encode(body));
    }
  }

  message(ws: WebSocket, data: string | ArrayBuffer): void {
    const l = this.#load();
    const att = this.#attachment(ws);
    if (!l || !att) return void this.#safeClose(ws, CloseCode.notFound, CloseReason.notFound);
    const now = this.#now();
    this.#touch(ws, att, now, l);

    const text = typeof data === "string" ? data : null;
    const size = text === null ? (data as ArrayBuffer).byteLength : byteLength(text, l.limits.maxFrameBytes);
    if (size > l.limits.maxFrameBytes) return this.#strike(ws, l, Errors.tooLarge(l.limits.maxFrameBytes));
    let bucket = this.#buckets.get(ws);
    if (!bucket) this.#buckets.set(ws, (bucket = new TokenBucket(l.limits.rateBurst, l.limits.ratePerSec, now)));
    if (!bucket.take(now)) return this.#strike(ws, l, Errors.rateLimited());
    this.#strikes.delete(ws);
    if (text === null) return this.#send(ws, l.codec.error("BAD_FRAME", "Binary frames are not supported; send JSON text."));

    const decoded = l.codec.decode(text);
    if (!decoded.ok) return this.#send(ws, l.codec.error(decoded.code, decoded.message));
    const idExtra = decoded.id === undefined ? undefined : { id: decoded.id };
    const parsed = l.kind.command.safeParse(decoded.command);
    if (!parsed.success) {
      const e = Errors.badCommand(issues(parsed.error));
      return this.#send(ws, l.codec.error(e.code, e.message, { ...idExtra, details: e.details }));
    }
    if (decoded.id !== undefined) {
      const seen = this.#store.commandSeq(att.actor.userId, decoded.id);
      if (seen !== null) return this.#send(ws, l.codec.ack(decoded.id, { seq: seen, duplicate: true }));
    }
    const result = this.#apply(l, att.actor, parsed.data, now);
    if (!result.ok) return this.#send(ws, l.codec.error(result.code, result.message, { ...idExtra, ...(result.details === undefined ? {} : { details: result.details }) }));
    const seq = this.#commit(l, result, {
      origin: ws,
      now,
      ...(decoded.id === undefined ? {} : { commandId: { userId: att.actor.userId, id: decoded.id } }),
    });
    for (const reply of result.replies ?? []) this.#send(ws, l.codec.encode(reply));
    if (decoded.id !== undefined) this.#send(ws, l.codec.ack(decoded.id, { seq }));
  }

  closed(ws: WebSocket): void {
    this.#gone.add(ws);
    this.#safeClose(ws, CloseCode.normal, "");
    const att = this.#attachment(ws);
    if (att && this.#load()) this.#leaveIfLast(att.actor.userId);
  }

  // ------------------------------------------------------------------ HTTP

  submit(actor: Actor, command: unknown, opts: SubmitOptions = {}): Outcome {
    const l = this.#load();
    if (!l) return Errors.notFound();
    const now = this.#now();
    const key = opts.idempotencyKey ? `${actor.userId}\u0000${opts.idempotencyKey}` : undefined;
    if (key) {
      const prior = this.#store.idempotency(key);
      if (prior) {
        if (prior.hash !== (opts.bodyHash ?? "")) return Errors.idempotencyMismatch();
        return { ...(JSON.parse(prior.response) as Outcome & { ok: true }), replayed: true };
      }
    }
    // Services are trusted backends (and publish in bulk); users get the budget a socket has.
    if (!actor.service && !this.#httpBucket(l, actor.userId, now).take(now)) return Errors.rateLimited();
    const parsed = l.kind.command.safeParse(command);
    if (!parsed.success) return Errors.badCommand(issues(parsed.error));
    const result = this.#apply(l, actor, parsed.data, now);
    if (!result.ok) return roomError(result.code, result.message, result.status ?? 409, result.details);
    const outcome = (seq: number): Outcome => ({
      ok: true,
      seq,
      epoch: l.meta.epoch,
      result: result.result ?? null,
      ...(opts.withView ? { view: l.kind.view(result.state, actor, this.#viewCtx()) } : {}),
    });
    // The idempotency record is part of the same transaction as the change it remembers.
    let answer: Outcome | undefined;
    this.#commit(l, result, {
      now,
      ...(key ? { idempotency: (seq: number) => ({ key, hash: opts.bodyHash ?? "", response: JSON.stringify((answer = outcome(seq))), at: now }) } : {}),
    });
    return answer ?? outcome(this.#store.head());
  }

  snapshot(actor: Actor, kind?: string): RoomSnapshot | RoomError {
    const l = this.#load();
    if (!l || (kind !== undefined && l.meta.kind !== kind)) return Errors.notFound();
    const refused = this.#readRefusal(l, actor);
    if (refused) return refused;
    return {
      ok: true,
      roomId: l.meta.roomId,
      kind: l.meta.kind,
      seq: this.#store.head(),
      epoch: l.meta.epoch,
      createdAt: l.meta.createdAt,
      state: l.kind.view(this.#state, actor, this.#viewCtx()),
    };
  }

  history(actor: Actor, before: number | undefined, limit: number, kind?: string): HistoryPage | RoomError {
    const l = this.#load();
    if (!l || (kind !== undefined && l.meta.kind !== kind)) return Errors.notFound();
    const refused = this.#readRefusal(l, actor);
    if (refused) return refused;
    const page = this.#visibleBefore(before ?? this.#store.head() + 1, Math.min(Math.max(limit, 1), 200), actor.userId);
    return { ok: true, ...page };
  }

  /** Cuts history: new epoch, empty log, fresh state. Connected sockets get a recovered:false snapshot. */
  reset(actor: Actor): { ok: true; epoch: string } | RoomError {
    const l = this.#load();
    if (!l) return Errors.notFound();
    const epoch = this.#newId().slice(0, 8);
    const state = l.kind.init(l.meta.config, { now: this.#now(), roomId: l.meta.roomId });
    this.#store.reset(epoch, state);
    this.#loaded = null;
    const fresh = this.#load();
    if (!fresh) return Errors.notFound();
    this.#log.info("room_reset", { roomId: fresh.meta.roomId, by: actor.userId, epoch });
    const open = this.#openSockets();
    for (const ws of open) {
      const att = this.#attachment(ws);
      if (att) this.#send(ws, fresh.codec.snapshot(fresh.kind.view(this.#state, att.actor, this.#viewCtx()), { seq: 0, epoch, recovered: false }));
    }
    for (const ws of open) {
      const att = this.#attachment(ws);
      if (att) this.#join(att);
    }
    return { ok: true, epoch };
  }

  // ----------------------------------------------------------------- sweep

  /** The alarm: closes silent and expired sockets, reconciles presence, trims the log. Idempotent. */
  async sweep(): Promise<void> {
    this.#alarmAt = null;
    const l = this.#load();
    if (!l) return;
    const now = this.#now();
    for (const ws of this.#openSockets()) {
      const att = this.#attachment(ws);
      if (!att) continue;
      const seen = Math.max(this.#seen.get(ws) ?? 0, att.seenAt, this.#host.autoPongAt(ws) ?? 0);
      if (att.expiresAt !== null && now >= att.expiresAt) this.#drop(ws, att, CloseCode.invalidToken, CloseReason.tokenExpired);
      else if (now - seen > l.limits.idleTimeoutMs) this.#drop(ws, att, CloseCode.idle, CloseReason.idle);
    }
    for (const userId of [...this.#presence]) this.#leaveIfLast(userId);
    this.#store.trim({ now, maxEntries: l.limits.logMaxEntries, maxAgeMs: l.limits.logMaxAgeMs, dedupTtlMs: DEDUP_TTL_MS });
    await this.#ensureSweep(l);
  }

  async #ensureSweep(l: Loaded): Promise<void> {
    if (this.#openSockets().length === 0) return;
    if (this.#alarmAt === undefined) this.#alarmAt = await this.#host.getAlarm();
    if (this.#alarmAt !== null) return;
    this.#alarmAt = this.#now() + Math.ceil(l.limits.idleTimeoutMs / 2);
    await this.#host.setAlarm(this.#alarmAt);
  }

  // ------------------------------------------------------------- internals

  #httpBucket(l: Loaded, userId: string, now: number): TokenBucket {
    let bucket = this.#httpBuckets.get(userId);
    if (!bucket) {
      // Forget the oldest caller first; a forgotten bucket only starts full again.
      if (this.#httpBuckets.size >= 10_000) this.#httpBuckets.delete(this.#httpBuckets.keys().next().value!);
      this.#httpBuckets.set(userId, (bucket = new TokenBucket(l.limits.rateBurst, l.limits.ratePerSec, now)));
    }
    return bucket;
  }

  #onlineActors(): readonly Actor[] {
    return (this.#onlineList ??= [...this.#online.values()]);
  }

  #viewCtx(): ViewCtx {
    return { online: this.#onlineActors() };
  }

  /** Whoever may not connect may not read either (services may). */
  #readRefusal(l: Loaded, actor: Actor): RoomError | null {
    if (actor.service) return null;
    const r = l.kind.admit?.(this.#state, { actor, params: {} });
    return r ? roomError(r.code, r.message, r.status ?? 403) : null;
  }

  /** What a kind may know about this moment: seeded by the seq the command will get, so replays match. */
  #ctx(l: Loaded, actor: Actor, now: number): ApplyCtx {
    return {
      actor,
      roomId: l.meta.roomId,
      now,
      random: seededRandom(l.meta.seed, this.#store.head() + 1),
      config: l.meta.config,
      online: this.#onlineActors(),
    };
  }

  #apply(l: Loaded, actor: Actor, command: unknown, now: number) {
    try {
      return l.kind.apply(this.#state, command, this.#ctx(l, actor, now));
    } catch (err) {
      // A kind bug must cost one command, never the room.
      this.#log.error("kind_threw", { roomId: l.meta.roomId, err: String(err) });
      return Errors.internal();
    }
  }

  /** One transaction for state + log + dedup records, then fan-out. Returns the head seq. */
  #commit(
    l: Loaded,
    result: Applied<unknown>,
    opts: {
      now: number;
      origin?: WebSocket;
      commandId?: { userId: string; id: string };
      idempotency?: (seq: number) => { key: string; hash: string; response: string; at: number };
      presence?: { add?: string[]; remove?: string[] };
      /** A socket that must not get these frames now (it is about to get its catch-up). */
      exclude?: WebSocket;
    },
  ): number {
    let seq = this.#store.head();
    const entries: LogEntry[] = [];
    const frames: string[] = [];
    for (const emit of result.emits) {
      if (emit.log === false) {
        frames.push(l.codec.encode(emit.body));
        continue;
      }
      seq += 1;
      const frame = l.codec.encode(emit.body, { seq, epoch: l.meta.epoch });
      entries.push({ seq, at: opts.now, frame, to: emit.to ?? null });
      frames.push(frame);
    }
    const dirty = result.state !== this.#state || entries.length > 0 || opts.commandId || opts.idempotency || opts.presence;
    if (dirty) {
      this.#store.commit({
        state: result.state,
        entries,
        ...(opts.idempotency ? { idempotency: opts.idempotency(seq) } : {}),
        ...(opts.commandId ? { commandId: { ...opts.commandId, seq, at: opts.now } } : {}),
        ...(opts.presence ? { presence: opts.presence } : {}),
      });
      this.#state = result.state;
    }
    this.#fanOut(result.emits, frames, opts.origin, opts.exclude);
    return seq;
  }

  #fanOut(emits: readonly Emit[], frames: readonly string[], origin?: WebSocket, exclude?: WebSocket): void {
    if (emits.length === 0) return;
    let sockets = this.#openSockets();
    if (exclude) sockets = sockets.filter((ws) => ws !== exclude);
    emits.forEach((emit, i) => {
      const frame = frames[i]!;
      const to = emit.to ? new Set(emit.to) : null;
      for (const ws of sockets) {
        if (emit.skipOrigin && ws === origin) continue;
        if (to && !to.has(this.#attachment(ws)?.actor.userId ?? "")) continue;
        this.#send(ws, frame);
      }
    });
  }

  #join(att: Attachment, exclude?: WebSocket): void {
    const l = this.#loaded;
    if (!l || this.#presence.has(att.actor.userId)) return;
    this.#presenceChange(l, "join", att.actor, att.params, exclude);
  }

  #leaveIfLast(userId: string): void {
    const l = this.#loaded;
    if (!l || !this.#presence.has(userId)) return;
    if (this.#openSockets(userTag(userId)).length > 0) return;
    const actor = this.#online.get(userId) ?? { userId, name: userId, role: "member", service: false, scopes: [] };
    this.#online.delete(userId);
    this.#onlineList = null;
    this.#presenceChange(l, "leave", actor, {});
  }

  #presenceChange(l: Loaded, kind: "join" | "leave", actor: Actor, params: Record<string, string>, exclude?: WebSocket): void {
    const now = this.#now();
    const change = { kind, actor, params };
    let result: Applied<unknown> = { ok: true, state: this.#state, emits: [] };
    if (l.kind.presence) {
      const r = this.#presenceApply(l, change, now);
      if (r.ok) result = r;
      else this.#log.warn("presence_rejected", { roomId: l.meta.roomId, code: r.code });
    }
    const presence = kind === "join" ? { add: [actor.userId] } : { remove: [actor.userId] };
    this.#commit(l, result, { now, presence, ...(exclude ? { exclude } : {}) });
    if (kind === "join") this.#presence.add(actor.userId);
    else this.#presence.delete(actor.userId);
  }

  #presenceApply(l: Loaded, change: { kind: "join" | "leave"; actor: Actor; params: Record<string, string> }, now: number) {
    try {
      return l.kind.presence!(this.#state, change, this.#ctx(l, change.actor, now));
    } catch (err) {
      this.#log.error("kind_threw", { roomId: l.meta.roomId, err: String(err), in: "presence" });
      return Errors.internal();
    }
  }

  #strike(ws: WebSocket, l: Loaded, err: RoomError): void {
    const strikes = (this.#strikes.get(ws) ?? 0) + 1;
    this.#strikes.set(ws, strikes);
    if (strikes >= l.limits.strikesBeforeClose) {
      const att = this.#attachment(ws);
      this.#log.warn("socket_abuse", { roomId: l.meta.roomId, user: att?.actor.userId, code: err.code });
      if (att) this.#drop(ws, att, CloseCode.abuse, CloseReason.abuse);
      return;
    }
    this.#send(ws, l.codec.error(err.code, err.message));
  }

  #drop(ws: WebSocket, att: Attachment, code: number, reason: string): void {
    this.#gone.add(ws);
    this.#safeClose(ws, code, reason);
    this.#leaveIfLast(att.actor.userId);
  }

  #touch(ws: WebSocket, att: Attachment, now: number, l: Loaded): void {
    this.#seen.set(ws, now);
    if (now - att.seenAt > l.limits.idleTimeoutMs / 4) {
      att.seenAt = now;
      ws.serializeAttachment(att);
    }
  }

  #attachment(ws: WebSocket): Attachment | null {
    let att = this.#attachments.get(ws);
    if (!att) {
      const raw = ws.deserializeAttachment() as Attachment | null;
      if (!raw || raw.v !== 1) return null;
      att = raw;
      this.#attachments.set(ws, att);
    }
    return att;
  }

  #openSockets(tag?: string): WebSocket[] {
    return this.#host.sockets(tag).filter((ws) => !this.#gone.has(ws) && ws.readyState === WebSocket.OPEN);
  }

  #visibleBefore(before: number, limit: number, userId: string): { entries: Record<string, unknown>[]; next: number | null } {
    const out: Record<string, unknown>[] = [];
    let cursor = before;
    // Whispers to others are skipped, so keep reading until the page is full or the log ends.
    while (out.length < limit) {
      const rows = this.#store.entriesBefore(cursor, limit * 2);
      if (rows.length === 0) return { entries: out, next: null };
      for (const e of rows) {
        cursor = e.seq;
        if (!visible(e, userId)) continue;
        out.push(JSON.parse(e.frame) as Record<string, unknown>);
        if (out.length === limit) break;
      }
    }
    return { entries: out, next: cursor > this.#store.tail() ? cursor : null };
  }

  #send(ws: WebSocket, frame: string): void {
    try {
      ws.send(frame);
    } catch {
      // A dead connection is removed on the first failed send (seed 003).
      // Leave after the current fan-out, so peers never see seq N+1 before N.
      const att = this.#attachment(ws);
      this.#gone.add(ws);
      if (att) queueMicrotask(() => this.#leaveIfLast(att.actor.userId));
    }
  }

  #safeClose(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed or closing: nothing to do.
    }
  }
}

function refuse(req: ConnectRequest, code: number, reason: string, err: RoomError): Response {
  if (req.refuse === "http") return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status });
  return closeWith(code, reason.slice(0, 120), req.protocol);
}

/** Hibernation tag of a user's sockets (tags are capped at 256 chars; ids are capped at 200). */
const userTag = (userId: string) => `u:${userId}`;

const visible = (e: LogEntry, userId: string) => e.to === null || e.to.includes(userId);

/** UTF-8 length, computed exactly only when the cheap bound says it might matter. */
function byteLength(text: string, max: number): number {
  if (text.length * 3 <= max) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[] }) {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
