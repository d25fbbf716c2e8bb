import type { AnyKind, KindCtx, RoomLimits } from "../core/kind.ts";
import type { System } from "../core/system.ts";
import type { Codec } from "../protocol/codec.ts";
import type { AbuseGuard } from "./abuseGuard.ts";
import type { AlarmClock } from "./alarmClock.ts";
import type { Connections } from "./connections.ts";
import type { Groups } from "./groups.ts";
import type { Logger } from "./logger.ts";
import type { RoomMetrics } from "./metrics.ts";
import type { Outbox } from "./outbox.ts";
import type { Presence } from "./presence.ts";
import type { RoomHost } from "./RoomHost.ts";
import type { RoomMeta, RoomStore } from "./store/RoomStore.ts";

/** A room that exists: its meta and the system it runs. */
export interface Loaded {
  meta: RoomMeta;
  system: System;
  kind: AnyKind;
  codec: Codec;
  limits: RoomLimits;
  /** What other objects call this one (outbox sender id). */
  name: string;
}

/** Live deliveries since this Room instance loaded (memory only: hibernation starts them again). */
export interface SendCounts {
  /** When counting started (ms). */
  since: number;
  /** Frames handed to sockets by fan-out. */
  sent: number;
  /** Sends that failed (the socket is dropped on the first, seed 003). */
  failed: number;
}

/**
 * Everything the parts of a loaded room share. One per Room instance and
 * room incarnation (rebuilt after create/reset); only `state` changes, and
 * only in commit.ts.
 */
export interface RoomContext {
  readonly store: RoomStore;
  readonly host: RoomHost;
  readonly log: Logger;
  readonly now: () => number;
  readonly newId: () => string;
  readonly l: Loaded;
  /** The committed state (a cache of store.state()). */
  state: unknown;
  /** Head seq at the last retention trim (amortized trimming in commit.ts). */
  trimmedAt: number;
  readonly conns: Connections;
  readonly presence: Presence;
  readonly groups: Groups;
  readonly abuse: AbuseGuard;
  readonly alarm: AlarmClock;
  readonly outbox: Outbox;
  readonly sends: SendCounts;
  /** Operating figures ([M1]): every room keeps them, counted in memory, saved at most every 5 s. */
  readonly metrics: RoomMetrics;
}
