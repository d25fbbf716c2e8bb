import type { Actor } from "../../core/kind.ts";
import { systemRegistry, type System } from "../../core/system.ts";
import type { Logger } from "../logger.ts";
import type { VerifyToken } from "../refreshToken.ts";
import { Room } from "../Room.ts";
import type { ConnectRequest, ConnectResult } from "../rpc.ts";
import { MemoryRoomStore } from "../store/memoryRoomStore.ts";
import { FakeHost, FakeSocket } from "./fakeHost.ts";
import { fixtureSystem } from "./fixtureKind.ts";

export const user = (userId: string, extra: Partial<Actor> = {}): Actor => ({ userId, name: userId, role: "member", service: false, scopes: [], ...extra });

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public t = 1_000_000) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
    return this.t;
  }
}

export const quietLog: Logger & { lines: { level: string; event: string; fields?: Record<string, unknown> }[] } = {
  lines: [],
  info(event, fields) {
    quietLog.lines.push({ level: "info", event, ...(fields ? { fields } : {}) });
  },
  warn(event, fields) {
    quietLog.lines.push({ level: "warn", event, ...(fields ? { fields } : {}) });
  },
  error(event, fields) {
    quietLog.lines.push({ level: "error", event, ...(fields ? { fields } : {}) });
  },
};

/**
 * One room over the memory store and a fake host. `evict()` drops the Room
 * instance (its caches) and builds a fresh one over the same store and
 * sockets, as the runtime does after eviction or hibernation.
 */
export class RoomHarness {
  readonly store = new MemoryRoomStore();
  readonly host = new FakeHost();
  readonly clock: TestClock;
  room: Room;
  #ids = 0;
  readonly #systems: readonly System[];

  readonly #metricsFlushMs: number | undefined;
  readonly #verifyToken: VerifyToken | undefined;

  /** `metricsFlushMs`: how often figures are saved (tests of other deadlines push it out of their way). `verifyToken`: the refresh port ([K1]). */
  constructor(opts: { clock?: TestClock; systems?: readonly System[]; metricsFlushMs?: number; verifyToken?: VerifyToken } = {}) {
    this.clock = opts.clock ?? new TestClock();
    this.#verifyToken = opts.verifyToken;
    this.#systems = opts.systems ?? [fixtureSystem];
    this.#metricsFlushMs = opts.metricsFlushMs;
    this.room = this.#fresh();
  }

  #fresh(): Room {
    return new Room({
      store: this.store,
      host: this.host,
      log: quietLog,
      systems: systemRegistry(this.#systems),
      now: this.clock.now,
      newId: () => `id-${++this.#ids}-0000`,
      newSeed: () => 42,
      ...(this.#metricsFlushMs === undefined ? {} : { metricsFlushMs: this.#metricsFlushMs }),
      ...(this.#verifyToken ? { verifyToken: this.#verifyToken } : {}),
    });
  }

  create(config: Record<string, unknown> = {}, roomId = "room-1", kind = "fixture") {
    const r = this.room.create({ roomId, kind, config, createdBy: "test" });
    if (!r.ok) throw new Error(`create failed: ${r.code}`);
    return this;
  }

  evict(): Room {
    this.room = this.#fresh();
    return this.room;
  }

  connectResult(actor: Actor, params: Record<string, string> = {}, extra: Partial<ConnectRequest> = {}): { ws: FakeSocket; result: ConnectResult } {
    const ws = new FakeSocket();
    const result = this.room.connect({ roomId: "room-1", actor, params, expiresAt: null, ...extra }, ws);
    return { ws, result };
  }

  /** Connects and returns the socket with its first frames (snapshot, welcome) already taken. */
  connect(actor: Actor, params: Record<string, string> = {}, extra: Partial<ConnectRequest> = {}): FakeSocket {
    const { ws, result } = this.connectResult(actor, params, extra);
    if (!result.ok) throw new Error(`connect refused: ${result.error.code}`);
    ws.take();
    return ws;
  }

  send(ws: FakeSocket, frame: Record<string, unknown> | string) {
    this.room.message(ws, typeof frame === "string" ? frame : JSON.stringify(frame));
    return ws.take();
  }

  /** Runs the alarm if it is due (as the runtime would), and waits for its work. */
  async fireAlarm(): Promise<boolean> {
    await settle();
    const at = this.host.alarmAt;
    if (at === null || at > this.clock.t) return false;
    this.host.alarmAt = null;
    await this.room.alarm();
    return true;
  }
}

/** Lets queued microtasks (a dead socket's deferred leave) run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
