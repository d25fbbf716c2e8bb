import { hostedRoomOf } from "../core/objectName.ts";
import { Receivers } from "./hosted/receivers.ts";
import type { Actor, AnyKind, KindCtx, RoomLimits } from "../core/kind.ts";
import type { System } from "../core/system.ts";
import type { Codec } from "../protocol/codec.ts";
import { AbuseGuard } from "./abuseGuard.ts";
import { AlarmClock } from "./alarmClock.ts";
import type { Reader } from "./audience.ts";
import type { CatchUpPort } from "./catchUp.ts";
import { Connections } from "./connections.ts";
import { DocumentDeltas } from "./documentDeltas.ts";
import { Groups } from "./groups.ts";
import type { InspectPort } from "./inspect.ts";
import { FlowControl } from "./flowControl.ts";
import { buildCtx } from "./kindCtx.ts";
import { resolveLimits } from "./limits.ts";
import type { Logger } from "./logger.ts";
import { RoomMetrics } from "./metrics.ts";
import { metricsPoint } from "./metricsPoint.ts";
import { Outbox } from "./outbox.ts";
import { Outlet } from "./outlet.ts";
import type { StateCell } from "./pipeline/commit.ts";
import type { Input } from "./pipeline/input.ts";
import type { LimitsPort } from "./pipeline/limits.ts";
import { runPipeline, type PipelinePorts, type Verdict } from "./pipeline/runPipeline.ts";
import { Presence } from "./presence.ts";
import { Retention } from "./retention.ts";
import type { RoomHost } from "./RoomHost.ts";
import type { RoomMeta, RoomStore } from "./store/RoomStore.ts";
import type { SweepPort } from "./sweep.ts";
import type { RefreshPort } from "./refreshToken.ts";

export interface AssembleDeps {
  store: RoomStore;
  host: RoomHost;
  log: Logger;
  now: () => number;
  metricsFlushMs: number | undefined;
}

/**
 * A room that exists, as its parts. Room.ts holds one per room incarnation
 * (rebuilt after create/reset) and hands each part only the port it needs;
 * no part receives this whole.
 */
export interface RoomParts {
  meta: RoomMeta;
  system: System;
  kind: AnyKind;
  codec: Codec;
  limits: RoomLimits;
  /** What other objects call this one (outbox sender id). */
  name: string;
  store: RoomStore;
  log: Logger;
  state: StateCell;
  conns: Connections;
  outlet: Outlet;
  /** Slow-reader bounds and `cursor` frames ([F1]-[F3]). */
  flow: FlowControl;
  presence: Presence;
  alarm: AlarmClock;
  outbox: Outbox;
  metrics: RoomMetrics;
  /** The one kind context builder (kindCtx.ts) over the live room. */
  ctx(actor: Actor, connId?: string | null, now?: number): KindCtx;
  /** Who `actor` is for audiences: their current groups (Emit.groups). */
  reader(actor: Actor): Reader;
  run(input: Input, now?: number): Verdict;
  /** Stage 1 alone (size, rate, strikes): for control frames the room takes before the pipeline ([K1]). */
  gate: LimitsPort;
  /** What applying a fresh token touches (refreshToken.ts). */
  refresh: RefreshPort;
  catchUp: CatchUpPort;
  sweep: SweepPort;
  inspect: InspectPort;
}

/** Builds a loaded room's parts and wires each one's port. */
export function assembleRoom(deps: AssembleDeps, meta: RoomMeta, system: System): RoomParts {
  const { store, host, log, now } = deps;
  const { kind, codec } = system;
  const limits = resolveLimits(kind.limits, meta.config);
  const name = meta.name ?? meta.roomId;
  /** The room's own name wherever it is hosted (what a kind names itself by in a follow). */
  const ownName = hostedRoomOf(name);
  let current = store.state();
  const state: StateCell = { get: () => current, set: (s) => void (current = s) };

  const conns = new Connections(host);
  const metrics = new RoomMetrics(
    store.metrics(),
    now(),
    (json) => store.saveMetrics(json),
    host.exportMetrics ? (c, before) => host.exportMetrics!(metricsPoint(name, meta.kind, c, before, conns.size())) : undefined,
    deps.metricsFlushMs,
  );
  const abuse = new AbuseGuard(limits);
  const flow = new FlowControl({ limits, autoPongAt: (ws) => host.autoPongAt(ws), abuse, now });
  const outlet = new Outlet({
    sockets: conns,
    figures: metrics,
    // A dead socket's leave runs on its own turn: after the fan-out that found it.
    onDead: (userId) => queueMicrotask(() => presence.leaveIfLast(userId)),
    batch: { now, later: (fn, ms) => host.later(fn, ms), wrap: (frames) => codec.batch(frames) },
    flow,
  });
  const connected = conns.open().flatMap((ws) => conns.attachment(ws)?.actor ?? []);
  const run = (input: Input, at?: number) => runPipeline(pipeline, input, at);
  const presence = new Presence(store.presence(), connected, (input) => void run(input), (userId) => conns.hasOpen(userId));
  const groups = new Groups();
  const alarm = new AlarmClock(host);
  const outbox = new Outbox({ store, host, log, from: name, now, alarm });
  const retention = new Retention(store, limits, store.head());
  const holds = host.holds?.bind(host);
  const ctx = (actor: Actor, connId: string | null = null, at = now()) =>
    buildCtx({ meta, head: store.head(), online: presence.onlineList(), ...(holds ? { holds } : {}) }, actor, connId, at);
  const reader = (actor: Actor) => groups.reader(kind.sockets?.groupsOf, current, actor, () => ctx(actor));
  const membersOf = kind.sockets?.membersOf?.bind(kind.sockets);

  // One budget per socket, shared by the pipeline, token frames and flow control's cursors.
  const gate: LimitsPort = { limits, abuse };
  const sweep: SweepPort = { sockets: conns, limits, outlet, presence, retention, store, outbox, metrics };

  const pipeline: PipelinePorts = {
    now,
    limits: gate,
    codec,
    validate: { kind, log, roomId: meta.roomId },
    authorize: kind.authorize,
    dedup: { store, isPresent: (u) => presence.isPresent(u), hasOpen: (u) => conns.hasOpen(u) },
    apply: { kind, state: state.get, ctx, log, roomId: meta.roomId },
    commit: { store, codec, epoch: meta.epoch, state, presence, retention, receivers: new Receivers(store) },
    // [W1] Sockets that asked for document deltas get them from the fan-out only (replay stays full).
    fanOut: { sockets: conns, reader, ...(membersOf ? { members: (g: string) => membersOf(current, g) } : {}), outlet: kind.sockets?.documents ? new DocumentDeltas(kind.sockets.documents, conns).wrap(outlet) : outlet },
    after: {
      broadcast: (latencyMs, recipients) => metrics.broadcast(latencyMs, recipients),
      effects: () => outbox.kick(),
      wakeAt: (at) => void alarm.ensure(at),
      answers: (answers, seq) => {
        for (const a of answers) {
          const ws = conns.open(a.userId).find((w) => conns.attachment(w)?.connId === a.connId);
          if (!ws) continue;
          const frame = a.error
            ? codec.error(a.error.code, a.error.message, { id: a.id, ...a.error.extra }, a.connId)
            : codec.ack(a.id, { seq }, a.connId);
          outlet.send(ws, frame);
        }
      },
      follows: (follows) => {
        for (const f of follows) {
          const ws = conns.open(f.userId).find((w) => conns.attachment(w)?.connId === f.connId);
          // A socket of this object's own can't follow another (only a gateway holds several streams).
          if (ws?.follow) ws.follow(f.stream, f.since, f.epoch);
          else if (ws) log.warn("follow_needs_gateway", { roomId: meta.roomId, stream: f.stream });
          // [S8] A hosted room asking to be followed by a socket of its own gateway: started there.
          else if (f.stream === ownName && host.followHere) host.followHere(f.connId, f.userId, f.since, f.epoch);
        }
      },
    },
  };

  return {
    meta,
    system,
    kind,
    codec,
    limits,
    name,
    store,
    log,
    state,
    conns,
    outlet,
    flow,
    presence,
    alarm,
    outbox,
    metrics,
    ctx,
    reader,
    run,
    gate,
    catchUp: { store, roomId: meta.roomId, epoch: meta.epoch, codec, kind, state: state.get, maxReplay: limits.logMaxEntries, ctx, reader, outlet, log },
    sweep,
    refresh: { sweep, outlet, alarm, log, roomId: meta.roomId },
    inspect: { store, meta, kind },
  };
}
