import { Errors, hearthError, type HearthError } from "../core/hearthError.ts";
import type { Actor } from "../core/kind.ts";
import type { SystemRegistry } from "../core/system.ts";
import { initCtx } from "./kindCtx.ts";
import { roomLimitsOverride, topLevelSpread } from "./limits.ts";
import type { Logger } from "./logger.ts";
import type { CreateRoom, Created } from "./rpc.ts";
import type { RoomMeta, RoomStore } from "./store/RoomStore.ts";
import { issues } from "./pipeline/validate.ts";

export interface LifecycleDeps {
  store: RoomStore;
  systems: SystemRegistry;
  log: Logger;
  now: () => number;
  newId: () => string;
  /** The room's random seed (ctx.random); injected so tests can fix it. */
  newSeed: () => number;
}

/** Creates the room: validates the config by the system's schema, stores meta and the kind's initial state. */
export function createRoom(deps: LifecycleDeps, init: CreateRoom): Created | HearthError {
  if (deps.store.meta()) return Errors.exists();
  const system = deps.systems.get(init.kind);
  if (!system) return hearthError("UNKNOWN_KIND", `No room kind named ${init.kind}.`, 400);
  const { limits, ...kindConfig } = init.config;
  const limitCheck = roomLimitsOverride.safeParse(limits ?? {});
  if (!limitCheck.success) return hearthError("BAD_CONFIG", "The room's `limits` are not valid.", 400, issues(limitCheck.error));
  const spreadCheck = topLevelSpread.safeParse(init.config);
  if (!spreadCheck.success) return hearthError("BAD_CONFIG", "`socketsPerObject` must be a whole number from 2 to 32000.", 400, issues(spreadCheck.error));
  const parsed = system.kind.config ? system.kind.config.safeParse(kindConfig) : { success: true as const, data: kindConfig };
  if (!parsed.success) return hearthError("BAD_CONFIG", "The room configuration is not valid.", 400, issues(parsed.error));
  if (limits !== undefined) parsed.data.limits = limitCheck.data;
  const now = deps.now();
  const meta: RoomMeta = {
    roomId: init.roomId,
    kind: init.kind,
    config: parsed.data,
    epoch: deps.newId().slice(0, 8),
    seed: deps.newSeed() >>> 0,
    createdAt: now,
    createdBy: init.createdBy,
    journal: true,
    ...(init.name && init.name !== init.roomId ? { name: init.name } : {}),
  };
  deps.store.create(meta, system.kind.init(meta.config, initCtx(meta, now, init.createdBy)));
  deps.log.info("room_created", { roomId: init.roomId, kind: init.kind });
  return { ok: true, roomId: init.roomId, kind: init.kind, epoch: meta.epoch };
}

/** Cuts history: a new epoch, an empty log, the kind's initial state. */
export function resetRoom(deps: LifecycleDeps, meta: RoomMeta, by: Actor): string {
  const system = deps.systems.get(meta.kind)!;
  const epoch = deps.newId().slice(0, 8);
  const at = deps.now();
  deps.store.reset(epoch, system.kind.init(meta.config, initCtx(meta, at, by.userId)), { at, userId: by.userId });
  deps.log.info("room_reset", { roomId: meta.roomId, by: by.userId, epoch });
  return epoch;
}
