import { CloseCode, CloseReason } from "../../core/closeCodes.ts";
import { hearthError } from "../../core/hearthError.ts";
import { hostedRoomOf, hostObjectOf } from "../../core/objectName.ts";
import { consoleLogger, withFields, type Logger } from "../logger.ts";
import { HOSTED_METRICS_FLUSH_MS } from "../metrics.ts";
import type { TokenCheck } from "../refreshToken.ts";
import type { RemoteConnected } from "../rpc.ts";
import { HOSTED_RETIRE_MS, type HostedRooms } from "./hostedRooms.ts";
import { RoomSlot, type HostGateway, type RoomSlotDeps } from "./roomSlot.ts";

/** What every hosted slot shares with the object's own (its storage, systems, calls out). */
export type SlotCommon = Omit<RoomSlotDeps, "name" | "hostedRoom" | "metricsFlushMs" | "now" | "log" | "own" | "here" | "getAlarm" | "setAlarm" | "verifyToken" | "left">;

/**
 * How long a hosted room nobody asked for stays assembled in memory. Its rows stay (a follower's
 * cursor stays good until HOSTED_RETIRE_MS), and the next input re-reads them ([R1]). Without this
 * a gateway kept in memory every game it hosted in the last ten minutes and every game a socket
 * here still follows, ~11 KB each: 115 MB of live heap seven minutes into a 500-game bench run, 81
 * MB with it (bench/ROLL-COST.md, stop 43).
 */
export const HOSTED_UNLOAD_MS = 60_000;

/** [S8] A gateway asked for a room this object doesn't host: refused as a missing room. */
export function notHostedHere(room: string): RemoteConnected {
  return { ok: false, close: { code: CloseCode.notFound, reason: CloseReason.notFound }, error: hearthError("ROOM_NOT_FOUND", `No room ${room} here.`, 404), overHttp: false };
}

export interface HostedSlotsDeps {
  /** The gateway object's own name: only addresses inside it are hosted here. */
  object: string;
  registry: HostedRooms;
  common: SlotCommon;
  /** The gateway the rooms live in: their follows of its sockets start there. */
  here?: HostGateway;
  keyedFields(kind: string): readonly string[];
  /** Checks a token presented on an open socket for the room it names ([K1]). */
  verifyToken?: (token: string, room: string) => Promise<TokenCheck>;
  /** The object's one alarm, never later than `at`. */
  alarmBy(at: number): Promise<void>;
  keepAlive(work: Promise<unknown>): void;
  transaction(fn: () => void): void;
  now(): number;
  log: Logger;
}

/**
 * [S8] The rooms a gateway object hosts, as slots: each assembled on first use, its alarm run when
 * due, and retired once nobody is in it and it stays quiet for HOSTED_RETIRE_MS.
 */
export class HostedSlots {
  readonly #d: HostedSlotsDeps;
  readonly #open = new Map<string, RoomSlot>();
  /** Hosted rooms asked for after they were retired, already logged once. */
  readonly #gone = new Set<string>();
  /** When idle slots were last looked for (at most every quarter of HOSTED_UNLOAD_MS). */
  #sweptAt = 0;

  constructor(deps: HostedSlotsDeps) {
    this.#d = deps;
  }

  /** The slot of hosted room `name` (created when `create`, for a message that creates it); null when this object doesn't host it. */
  slot(name: string, create = false): RoomSlot | null {
    if (hostObjectOf(name) !== this.#d.object) return null;
    const now = this.#d.now();
    const open = this.#open.get(name);
    if (open) {
      open.usedAt = now;
      return open;
    }
    const n = this.#d.registry.numberOf(name, create);
    if (n === null) return null;
    this.#unloadIdle(now);
    const slot = this.#make(name, n);
    slot.usedAt = now;
    this.#open.set(name, slot);
    return slot;
  }

  /** How many hosted rooms are assembled in memory now (the rest are rows only). */
  loaded(): number {
    return this.#open.size;
  }

  /**
   * Lets go of the slots nobody asked for in HOSTED_UNLOAD_MS and that nothing in memory waits on
   * (no push in flight or unacknowledged, no message to deliver, no figure unsaved): as the
   * object's eviction would, for them alone. Their alarm shares stay in `hosted_rooms`: a timer or
   * a retention sweep assembles the room again when it is due, as an input does. A new slot's
   * pushes start a new incarnation, which the gateway takes as new (pushLedger.ts).
   */
  #unloadIdle(now: number): void {
    if (now - this.#sweptAt < HOSTED_UNLOAD_MS / 4) return;
    this.#sweptAt = now;
    for (const [name, slot] of this.#open) if (now - slot.usedAt >= HOSTED_UNLOAD_MS && slot.settled()) this.#open.delete(name);
  }

  /** Hosted room `name`: number `n` in the shared tables, its alarm its share of the object's. */
  #make(name: string, n: number): RoomSlot {
    const { registry, verifyToken } = this.#d;
    return new RoomSlot(
      {
        ...this.#d.common,
        name,
        hostedRoom: n,
        metricsFlushMs: HOSTED_METRICS_FLUSH_MS,
        now: this.#d.now,
        log: withFields(consoleLogger, { room: name }),
        own: null,
        ...(this.#d.here ? { here: this.#d.here } : {}),
        getAlarm: async () => registry.wakeAt(name),
        setAlarm: async (at) => {
          registry.setWake(name, at);
          await this.#d.alarmBy(at);
        },
        // A `rooms` claim names the room, wherever it is hosted.
        ...(verifyToken ? { verifyToken: (token: string, room: string | null) => verifyToken(token, room ?? hostedRoomOf(name)) } : {}),
      },
      this.#d.keyedFields,
    );
  }

  /** After an input: a hosted room nobody is in any more is looked at again after HOSTED_RETIRE_MS. */
  settle(slot: RoomSlot): void {
    if (slot.remote.count() > 0) return;
    const at = this.#d.now() + HOSTED_RETIRE_MS;
    if (this.#d.registry.retireLater(slot.name, at)) this.#d.keepAlive(this.#d.alarmBy(at));
  }

  /**
   * Inputs for a room that isn't here (retired since a socket started following it) are dropped,
   * never retried, and said once per room: a client can't make it a log line per frame.
   */
  missing(room: string, gateway: string): void {
    if (this.#gone.has(room)) return;
    if (this.#gone.size >= 1_000) this.#gone.clear();
    this.#gone.add(room);
    this.#d.log.info("hosted_room_gone", { gateway, room });
  }

  /** The object's alarm fired: each hosted room whose time has come runs its own, the quiet ones retire, and the alarm is set to the next. */
  async alarm(): Promise<void> {
    const { registry } = this.#d;
    const due = registry.takeDue(this.#d.now());
    for (const name of due.wake) {
      const slot = this.slot(name);
      if (!slot) continue;
      await slot.room.alarm();
      this.settle(slot);
    }
    for (const name of due.retire) {
      const slot = this.slot(name);
      if (!slot || slot.remote.count() > 0 || !slot.room.quiet()) continue;
      this.#d.transaction(() => registry.retire(name));
      this.#open.delete(name);
      this.#d.log.info("hosted_room_retired", { hosted: name });
    }
    this.#unloadIdle(this.#d.now());
    const next = registry.nextWake();
    if (next !== null) await this.#d.alarmBy(next);
  }
}
