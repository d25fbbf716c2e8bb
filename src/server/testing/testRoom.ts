import type { Actor } from "../../core/kind.ts";
import type { System } from "../../core/system.ts";
import type { FakeSocket } from "../../room/testing/fakeHost.ts";
import { RoomHarness, TestClock } from "../../room/testing/roomHarness.ts";

export type Frame = Record<string, unknown>;

/** One socket into a test room; frames wait in a queue until the test takes them (no timers, no sleeps). */
export interface TestSocket {
  /** Every frame this socket received since the last take, parsed. */
  take(): Frame[];
  /** Sends one frame (an object is JSON-encoded) and returns what this socket received for it. */
  send(frame: Frame | string): Frame[];
  /** Closes the socket as a client going away would (the room sees it leave). */
  close(): void;
  /** The close code and reason the room closed it with, or null while open. */
  readonly closed: { code: number | undefined; reason: string | undefined } | null;
}

export interface TestRoomOptions {
  /** The systems the room may run; the first one's kind is created unless `create` names another. */
  systems: readonly System[];
  /** The clock's start (ms). Default 1_000_000. */
  now?: number;
}

/** The room's id and name in a test room. */
export const TEST_ROOM_ID = "room-1";

/**
 * One real Room (the core's pipeline, log, replay, presence, timers) over the in-memory store,
 * with sockets the test reads explicitly and a clock it moves by hand. The same kind, codec and
 * rules as in workerd, minus the runtime: for a system's unit tests in plain Node.
 */
export class TestRoom {
  readonly #harness: RoomHarness;
  readonly #systems: readonly System[];

  constructor(options: TestRoomOptions) {
    if (options.systems.length === 0) throw new Error("testRoom: name at least one system");
    this.#systems = options.systems;
    this.#harness = new RoomHarness({ systems: options.systems, clock: new TestClock(options.now ?? 1_000_000) });
  }

  /** Milliseconds since epoch, as the room sees them. */
  get now(): number {
    return this.#harness.clock.t;
  }

  /** Moves the clock (timers come due; run them with `fireAlarm`). */
  advance(ms: number): number {
    return this.#harness.clock.advance(ms);
  }

  /** Creates the room with this config (validated by the kind's `config`); `kind` defaults to the first system's. */
  create(config: Record<string, unknown> = {}, kind = this.#systems[0]!.name): this {
    this.#harness.create(config, TEST_ROOM_ID, kind);
    return this;
  }

  /** Opens a socket for `actor` (its snapshot and welcome frames are left in `take()`); throws with the code when refused. */
  connect(actor: Actor, params: Record<string, string> = {}): TestSocket {
    const { ws, result } = this.#harness.connectResult(actor, params);
    if (!result.ok) throw new Error(`connect refused: ${result.error.code}: ${result.error.message}`);
    return this.#socket(ws);
  }

  #socket(ws: FakeSocket): TestSocket {
    const harness = this.#harness;
    return {
      take: () => ws.take(),
      send: (frame) => harness.send(ws, frame),
      close: () => {
        ws.readyState = 3;
        harness.room.closed(ws);
      },
      get closed() {
        return ws.closed;
      },
    };
  }

  /** A command as an HTTP route submits it (`stub.submit`): the outcome with its seq, result and state, or a rejection. */
  submit(actor: Actor, command: unknown, options: { idempotencyKey?: string } = {}) {
    return this.#harness.room.submit(actor, command, options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {});
  }

  /** What `actor` may see of the room now (the kind's view, with seq and epoch). */
  snapshot(actor: Actor) {
    return this.#harness.room.snapshot(actor);
  }

  /** A page of the log as `actor` may read it, newest first (`next`: pass as `before` for older entries). */
  history(actor: Actor, options: { before?: number; limit?: number } = {}) {
    return this.#harness.room.history(actor, options.before, options.limit ?? 50);
  }

  /** Runs the room's alarm if it is due by the test clock (the kind's `wake`); false if nothing was due. */
  fireAlarm(): Promise<boolean> {
    return this.#harness.fireAlarm();
  }

  /**
   * Drops the Room instance and builds a fresh one over the same store and sockets, as the
   * runtime does after eviction or hibernation: what the kind keeps must survive it.
   */
  evict(): this {
    this.#harness.evict();
    return this;
  }
}

/** A TestRoom for these systems (see TestRoom). */
export function testRoom(options: TestRoomOptions): TestRoom {
  return new TestRoom(options);
}
