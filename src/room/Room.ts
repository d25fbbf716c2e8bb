import { CloseCode, CloseReason } from "../core/closeCodes.ts";
import { Errors, hearthError, statusOf, type HearthError } from "../core/hearthError.ts";
import type { Actor } from "../core/kind.ts";
import { refusesOverHttp } from "../core/refusal.ts";
import type { SystemRegistry } from "../core/system.ts";
import { assembleRoom, type RoomParts } from "./assemble.ts";
import { gatewayRules, placement, spreadOf, type SpreadPort } from "./remote/roomSpread.ts";
import { catchUp } from "./catchUp.ts";
import type { Attachment } from "./connections.ts";
import { visibleBefore } from "./history.ts";
import { connectionsOf, logPage, stateAt, type InspectedConnection, type InspectedLog, type InspectedState } from "./inspect.ts";
import { createRoom, resetRoom, type LifecycleDeps } from "./lifecycle.ts";
import type { Logger } from "./logger.ts";
import { utf8Length, type MetricsReport } from "./metrics.ts";
import { deliveryAck } from "./pipeline/runPipeline.ts";
import { presentToken } from "./presentToken.ts";
import { tokenFrameOf, type VerifyToken } from "./refreshToken.ts";
import { REVOKED_REASON } from "./revocations.ts";
import { type DeliveryAck, type Envelope, type HostSocket, type RoomHost } from "./RoomHost.ts";
import type { ConnectRequest, ConnectResult, CreateRoom, Created, HistoryPage, Outcome, RevokeTarget, RoomSnapshot, Spread, SubmitOptions } from "./rpc.ts";
import type { RoomMeta, RoomStore } from "./store/RoomStore.ts";
import { drop, nextDeadline, socketDeadline, sweep } from "./sweep.ts";

export interface RoomDeps {
  store: RoomStore;
  host: RoomHost;
  log: Logger;
  /** Every system this server runs; the room finds its own by the kind name in its meta. */
  systems: SystemRegistry;
  now?: () => number;
  newId?: () => string;
  newSeed?: () => number;
  /** How often the room's figures are saved at most (default METRICS_FLUSH_MS). */
  metricsFlushMs?: number;
  /** Checks a token presented on an open socket ([K1]); absent, refreshes are answered `ok: false`. */
  verifyToken?: VerifyToken;
  /** [S5] The room's sockets on gateways, and where new ones go; absent: every socket is the room's own. */
  spread?: SpreadPort;
}

/**
 * One room. Every input (socket frame, HTTP command, timer, message from
 * another object, presence change) runs through runPipeline in one fixed
 * order (docs/spec.md); this class only routes inputs to it and turns its
 * verdicts into replies. It returns values and never touches the runtime:
 * the Durable Object shell (RoomObject.ts) creates sockets and renders
 * refusals, and unit tests run it over the memory store and a fake host.
 *
 * In-memory fields are caches: a fresh Room over the same storage and
 * sockets behaves the same (test/eviction.test.ts, [R1]).
 */
export class Room {
  readonly #deps: LifecycleDeps & { host: RoomHost; metricsFlushMs: number | undefined; verifyToken: VerifyToken | undefined; spread: SpreadPort | undefined };
  #rc: RoomParts | null = null;

  constructor(deps: RoomDeps) {
    this.#deps = {
      store: deps.store,
      host: deps.host,
      log: deps.log,
      systems: deps.systems,
      now: deps.now ?? Date.now,
      newId: deps.newId ?? (() => crypto.randomUUID()),
      newSeed: deps.newSeed ?? (() => (Math.random() * 2 ** 32) >>> 0),
      metricsFlushMs: deps.metricsFlushMs,
      verifyToken: deps.verifyToken,
      spread: deps.spread,
    };
  }

  // ------------------------------------------------------------- lifecycle

  create(init: CreateRoom): Created | HearthError {
    const created = createRoom(this.#deps, init);
    if (created.ok) this.#rc = null; // ROOM_EXISTS (every games connect asks it) keeps the parts: no re-read.
    return created;
  }

  /** The room's meta, or null when it doesn't exist. */
  meta(): RoomMeta | null {
    return this.#enter()?.meta ?? null;
  }

  /** [S8] Nothing will wake this room by itself (no socket, no kind timer, nothing to deliver): a hosted one that stays so retires. */
  quiet(): boolean {
    const rc = this.#enter();
    return !rc || (rc.conns.count() === 0 && rc.store.wakeAt() === null && rc.store.outbox(1).length === 0);
  }

  /** [R1] Nothing waits on this incarnation's parts (no message to deliver, no figure unsaved): they may go. Timers are rows. */
  settled(): boolean {
    const rc = this.#rc;
    return !rc || (rc.store.outbox(1).length === 0 && rc.metrics.flushAt() === null);
  }

  exists(kind?: string): boolean {
    const rc = this.#enter();
    return !!rc && (kind === undefined || rc.meta.kind === kind);
  }

  /** Cuts history: new epoch, empty log, fresh state. Connected sockets get a recovered:false snapshot, then rejoin. */
  reset(actor: Actor): { ok: true; epoch: string } | HearthError {
    const old = this.#enter();
    if (!old) return Errors.notFound();
    const epoch = resetRoom(this.#deps, old.meta, actor);
    this.#rc = null;
    const rc = this.#enter()!;
    const open = rc.conns.open();
    for (const ws of open) {
      const att = rc.conns.attachment(ws);
      if (att) rc.outlet.send(ws, rc.codec.snapshot(rc.kind.view(rc.state.get(), att.actor, rc.ctx(att.actor)), { seq: 0, epoch, recovered: false }));
    }
    for (const ws of open) {
      const att = rc.conns.attachment(ws);
      if (att) rc.presence.connected(att);
    }
    return { ok: true, epoch };
  }

  // ----------------------------------------------------------- connections

  /** Admits a socket the shell created (not yet accepted) or says why not: its user's join commits first (peers hear it, it doesn't), then its catch-up. */
  connect(req: ConnectRequest, ws: HostSocket): ConnectResult {
    const rc = this.#enter();
    if (!rc || (req.kind !== undefined && rc.meta.kind !== req.kind)) {
      const error = Errors.notFound();
      return { ok: false, close: { code: CloseCode.notFound, reason: CloseReason.notFound }, error, overHttp: refusesOverHttp(req.refuse, "other") };
    }
    const result = this.#connect(rc, req, ws);
    if (result.ok) rc.metrics.connected(rc.conns.size());
    else rc.metrics.refused(result.error.code);
    this.#metricsTick(rc);
    return result;
  }

  #connect(rc: RoomParts, req: ConnectRequest, ws: HostSocket): ConnectResult {
    if (!rc.kind.sockets) {
      const error = hearthError("NO_SOCKETS", `Rooms of kind ${rc.kind.name} hold no sockets.`, 403);
      return { ok: false, close: { code: CloseCode.forbidden, reason: error.message }, error, overHttp: refusesOverHttp(req.refuse, "other") };
    }
    const refused = this.#admission(rc, req.actor, req.params);
    if (refused) return { ok: false, close: { code: CloseCode.forbidden, reason: refused.message.slice(0, 120) }, error: refused, overHttp: refusesOverHttp(req.refuse, "other") };
    // Capacity always closes with 4009 (refusal.ts).
    const full = (reason: string, why: "roomFull" | "userFull"): ConnectResult => ({ ok: false, close: { code: CloseCode.full, reason }, error: hearthError("ROOM_FULL", reason, 503), overHttp: refusesOverHttp(req.refuse, why) });
    if (rc.conns.atLimit(rc.limits.maxConnections)) return full(CloseReason.full, "roomFull");
    if (rc.conns.atLimit(rc.limits.maxSocketsPerUser, req.actor.userId)) return full(CloseReason.userFull, "userFull");

    const now = this.#deps.now();
    const att: Attachment = {
      v: 1,
      connId: req.connId ?? this.#deps.newId(),
      actor: req.actor,
      params: req.params,
      connectedAt: now,
      seenAt: now,
      expiresAt: req.expiresAt,
      ...(req.grant ? { grant: req.grant } : {}),
      ...(req.jti !== undefined ? { jti: req.jti } : {}),
      ...(req.iat !== undefined ? { iat: req.iat } : {}),
      ...(req.following ? { following: true as const } : {}),
    };
    rc.conns.add(ws, att);
    rc.presence.connected(att, ws);
    catchUp(rc.catchUp, ws, att);
    void rc.alarm.ensure(socketDeadline(rc.sweep, ws, att));
    return { ok: true };
  }

  /** [S5] Where a new socket goes: null for this object, or the gateway to forward it to (roomSpread.ts). */
  placement(): string | null {
    const rc = this.#enter();
    return rc ? placement(rc, this.#deps.spread) : null;
  }

  /** [S5] Whether `gateway` may hold one more of this room's sockets; and the idle rule it keeps for them. */
  gatewayRules(gateway: string, following: boolean): { admits: boolean; idleTimeoutMs: number | null; kind: string } {
    const rc = this.#enter();
    return rc ? gatewayRules(rc, this.#deps.spread, gateway, following) : { admits: false, idleTimeoutMs: null, kind: "" };
  }

  /** [S5] The room's sockets over its objects. */
  spread(): Spread | HearthError {
    const rc = this.#enter();
    return rc ? spreadOf(rc, this.#deps.spread) : Errors.notFound();
  }

  /** A frame from a socket; a token frame ([K1]) is verified asynchronously and returns the promise of it. */
  message(ws: HostSocket, data: string | ArrayBuffer): void | Promise<void> {
    const rc = this.#enter();
    const att = rc?.conns.attachment(ws);
    if (!rc || !att) {
      try {
        ws.close(CloseCode.notFound, CloseReason.notFound);
      } catch {
        // Already closed.
      }
      return;
    }
    const now = this.#deps.now();
    rc.conns.touch(ws, att, now, rc.limits.idleTimeoutMs);
    rc.metrics.received(typeof data === "string" ? utf8Length(data) : data.byteLength);
    const tokenFrame = tokenFrameOf(data);
    if (tokenFrame) return presentToken({ verify: this.#deps.verifyToken, now: this.#deps.now, reenter: () => this.#enter() }, rc, ws, att, data, tokenFrame, now);
    // Flow control ([F1]): a `cursor` frame is consumed here, before the pipeline (no kind, no log, no budget).
    const cursor = rc.flow.received(ws, data);
    if (cursor === "abuse") return drop(rc.sweep, ws, att, CloseCode.abuse, CloseReason.abuse);
    if (cursor === "cursor") return;
    const verdict = rc.run({ source: "socket", ws, att, data }, now);
    if (!verdict.ok) rc.metrics.error(verdict.error.code);
    // After this frame's replies went out (below), on the next turn: they count too.
    queueMicrotask(() => this.#metricsTick(rc));
    const { codec, outlet } = rc;
    const connId = att.connId;
    if (!verdict.ok) {
      if (verdict.abuse) {
        rc.log.warn("socket_abuse", { roomId: rc.meta.roomId, user: att.actor.userId, code: verdict.error.code });
        return drop(rc.sweep, ws, att, CloseCode.abuse, CloseReason.abuse);
      }
      const { code, message, details } = verdict.error;
      outlet.send(ws, codec.error(code, message, { ...(verdict.id === undefined ? {} : { id: verdict.id }), ...(details === undefined ? {} : { details }) }, connId));
      return;
    }
    if (!verdict.duplicate) for (const reply of verdict.applied.replies ?? []) outlet.send(ws, codec.encode(reply));
    // A pending command is not applied yet: the kind answers it later (Applied.answers, [P14]).
    if (!verdict.duplicate && verdict.applied.pending) return;
    if (verdict.id !== undefined) outlet.send(ws, codec.ack(verdict.id, { seq: verdict.seq, ...(verdict.duplicate ? { duplicate: true } : {}) }, connId));
  }

  closed(ws: HostSocket): void {
    const rc = this.#enter();
    const att = rc?.conns.attachment(ws);
    if (!rc) return;
    rc.outlet.close(ws, CloseCode.normal, "");
    if (att) rc.presence.leaveIfLast(att.actor.userId);
    if (att) {
      rc.metrics.closed();
      this.#metricsTick(rc);
    }
  }

  /** [V3] Closes with 4001 `userId`'s open sockets (token `jti`'s only, when given; else those issued at or before `revokedAt`, when given); how many. */
  revoke(target: RevokeTarget): number {
    const rc = this.#enter();
    if (!rc) return 0;
    let closed = 0;
    for (const ws of this.#socketsOf(rc, target.userId, target.jti)) {
      const att = rc.conns.attachment(ws)!;
      if (target.jti === undefined && target.revokedAt !== undefined && att.iat !== undefined && att.iat * 1000 > target.revokedAt) continue;
      drop(rc.sweep, ws, att, CloseCode.invalidToken, REVOKED_REASON);
      closed++;
    }
    if (closed > 0) rc.log.info("sockets_revoked", { user: target.userId, ...(target.jti !== undefined ? { jti: target.jti } : {}), closed });
    return closed;
  }

  /** The user's open sockets here with token `jti` ('' or none: a token without one), followers ([S6], [V4]) left out. */
  holds(userId: string, jti: string | undefined): number {
    const rc = this.#enter();
    return rc ? this.#socketsOf(rc, userId, jti ?? "").filter((ws) => !rc.conns.attachment(ws)?.following).length : 0;
  }

  /** The user's open sockets; with `jti` (a string), only those whose token has that id ('' : none). */
  #socketsOf(rc: RoomParts, userId: string, jti: string | undefined): HostSocket[] {
    return rc.conns.open(userId).filter((ws) => {
      const att = rc.conns.attachment(ws);
      return !!att && (jti === undefined || (att.jti ?? "") === jti);
    });
  }

  // ------------------------------------------------------------------ HTTP

  submit(actor: Actor, command: unknown, opts: SubmitOptions = {}): Outcome {
    const rc = this.#enter();
    if (!rc) return Errors.notFound();
    const answer = (seq: number, result: unknown, state: unknown): Outcome => ({
      ok: true,
      seq,
      epoch: rc.meta.epoch,
      result,
      ...(opts.withView ? { view: rc.kind.view(state, actor, rc.ctx(actor)) } : {}),
    });
    const verdict = rc.run({ source: "http", actor, body: command, opts, answer });
    rc.metrics.http();
    if (!verdict.ok) rc.metrics.error(verdict.error.code);
    this.#metricsTick(rc);
    if (!verdict.ok) return { ...verdict.error, status: statusOf(verdict.error) };
    if (verdict.duplicate) return { ...verdict.response!, replayed: true };
    return verdict.response!;
  }

  snapshot(actor: Actor, kind?: string): RoomSnapshot | HearthError {
    const rc = this.#enter();
    if (!rc || (kind !== undefined && rc.meta.kind !== kind)) return Errors.notFound();
    const refused = actor.service ? null : this.#admission(rc, actor, {});
    if (refused) return refused;
    const { meta } = rc;
    const state = rc.kind.view(rc.state.get(), actor, rc.ctx(actor));
    return { ok: true, roomId: meta.roomId, kind: meta.kind, seq: rc.store.head(), epoch: meta.epoch, createdAt: meta.createdAt, state };
  }

  history(actor: Actor, before: number | undefined, limit: number, kind?: string): HistoryPage | HearthError {
    const rc = this.#enter();
    if (!rc || (kind !== undefined && rc.meta.kind !== kind)) return Errors.notFound();
    const refused = actor.service ? null : this.#admission(rc, actor, {});
    if (refused) return refused;
    const page = visibleBefore(rc.store, rc.reader(actor), before ?? rc.store.head() + 1, Math.min(Math.max(limit, 1), 200));
    return { ok: true, ...page };
  }

  // ------------------------------------------------- objects and the alarm

  /** A message from another object's outbox; created first if the envelope says how. */
  receive(envelope: Envelope): DeliveryAck {
    if (!this.#enter() && envelope.create) {
      const { kind, config } = envelope.create;
      const made = this.create({ roomId: envelope.to, name: envelope.to, kind, config, createdBy: envelope.from });
      if (!made.ok && made.code !== "ROOM_EXISTS") return { ok: false, retry: false, code: made.code, message: made.message };
    }
    const rc = this.#enter();
    if (!rc) return { ok: false, retry: false, code: "ROOM_NOT_FOUND", message: `No object named ${envelope.to}.` };
    return deliveryAck(rc.run({ source: "object", envelope }));
  }

  /** The one alarm: the kind's timer, socket deadlines and housekeeping, outbox retries; then the next one. */
  async alarm(): Promise<void> {
    const rc = this.#enter();
    if (!rc) return;
    const dueAt = rc.alarm.fired();
    const now = this.#deps.now();
    rc.run({ source: "timer" }, now);
    sweep(rc.sweep, now, dueAt);
    rc.metrics.flush(now);
    await rc.outbox.flush();
    await rc.alarm.ensure(nextDeadline(rc.sweep, this.#deps.now()));
  }

  /** The room's operating figures ([M1]), kept by every room. Who may read them is the worker's call. */
  metrics(kind?: string): ({ ok: true } & MetricsReport) | HearthError {
    const rc = this.#enter();
    if (!rc || (kind !== undefined && rc.meta.kind !== kind)) return Errors.notFound();
    return { ok: true, ...rc.metrics.report(rc.conns.count()) };
  }

  // ------------------------------------------------------------ inspection

  /** Time travel ([J1]): the room at seq `at`, as `viewer` (an operator) would have seen it. */
  stateAt(viewer: Actor, at: number): InspectedState | HearthError {
    const rc = this.#enter();
    return rc ? stateAt(rc.inspect, viewer, at) : Errors.notFound();
  }

  /** The raw log (every audience) with the journaled inputs behind it. */
  inspectLog(before: number | undefined, limit: number): InspectedLog | HearthError {
    const rc = this.#enter();
    return rc ? logPage(rc.store, before, Math.min(Math.max(limit, 1), 200)) : Errors.notFound();
  }

  connections(): { ok: true; total: number; list: InspectedConnection[] } | HearthError {
    const rc = this.#enter();
    return rc ? { ok: true, ...connectionsOf(rc.conns) } : Errors.notFound();
  }

  // ------------------------------------------------------------- internals

  /** Saves the figures if their last save is old enough, and makes sure the alarm saves the tail. */
  #metricsTick(rc: RoomParts): void {
    rc.metrics.flush(this.#deps.now());
    void rc.alarm.ensure(rc.metrics.flushAt());
  }

  /** Whoever may not connect may not read either (services may). */
  #admission(rc: RoomParts, actor: Actor, params: Record<string, string>): HearthError | null {
    const r = rc.kind.sockets?.admit?.(rc.state.get(), { actor, params }, rc.ctx(actor));
    return r ? { ...r, status: r.status ?? 403 } : null;
  }

  /**
   * Every event of the object enters here: the room's parts (assembled once per
   * incarnation), after the outlet sent every batch whose flush timer workerd
   * dropped ([B1]): the next event is the first chance to notice.
   */
  #enter(): RoomParts | null {
    if (this.#rc) {
      this.#rc.outlet.flushOverdue();
      return this.#rc;
    }
    const { store, log, systems } = this.#deps;
    const meta = store.meta();
    if (!meta) return null;
    const system = systems.get(meta.kind);
    if (!system) {
      log.error("unknown_kind", { roomId: meta.roomId, kind: meta.kind });
      return null;
    }
    this.#rc = assembleRoom(this.#deps, meta, system);
    return this.#rc;
  }
}
