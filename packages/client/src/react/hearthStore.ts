import { HearthClientError } from "../hearthClientError.js";
import {
  HearthSocket,
  type ConnectionState,
  type HearthAck,
  type HearthSnapshot,
  type HearthSocketOptions,
} from "../hearthSocket.js";
import type { Unsubscribe } from "../typedEmitter.js";

/**
 * What a view renders. Immutable: every change makes a new object, so
 * `useSyncExternalStore` can compare snapshots with `Object.is`.
 */
export interface HearthView<In extends object, R> {
  state: ConnectionState;
  /** The last snapshot (fresh connect, resume fallback, epoch reset); undefined until one arrives. */
  snapshot: HearthSnapshot<In> | undefined;
  /** Frames since the last snapshot, oldest first, at most `maxFrames` (older ones dropped). */
  frames: readonly In[];
  /** `fromSnapshot(snapshot)` folded with `reduce` over every frame since; `initial` before the first snapshot. */
  reduced: R;
  /** The last non-fatal problem the socket reported (see HearthClientError codes). */
  error: HearthClientError | undefined;
}

export interface HearthStoreOptions<In extends object, Out extends object, R> extends HearthSocketOptions<Out> {
  /** Folds one frame into the reduced view. Without it, `reduced` stays `fromSnapshot(snapshot)`. */
  reduce?: (state: R, frame: In) => R;
  /** The reduced view a snapshot starts from. Default: `snapshot.state` (a snapshot replaces state). */
  fromSnapshot?: (snapshot: HearthSnapshot<In>) => R;
  /** `reduced` before the first snapshot (and during server rendering). Default undefined. */
  initial?: R;
  /** How many frames `frames` keeps. Default 100; 0 keeps none (use `reduce`). */
  maxFrames?: number;
}

/** Callbacks the store reads at call time, so a component can pass fresh closures every render. */
type LatestCallbacks<In extends object, Out extends object, R> = Pick<
  HearthStoreOptions<In, Out, R>,
  "getToken" | "hello" | "reduce" | "fromSnapshot"
>;

/**
 * A framework-free holder of one HearthSocket and the view derived from its
 * events, shaped for React's `useSyncExternalStore` (`subscribe`, `getSnapshot`,
 * `getServerSnapshot` are bound and stable) but usable from any UI library.
 *
 * Lifetime is reference counted by `subscribe`: the first subscriber creates the
 * socket (with `startClosed`, so every listener is attached before an attempt
 * starts) and calls `connect()`; when the last one leaves, the socket is closed
 * one microtask later unless someone subscribed again meanwhile. That deferral
 * is what makes React StrictMode's mount, unmount, mount in one commit keep one
 * socket instead of opening and closing two. A later subscribe after the close
 * makes a new socket (a closed HearthSocket stays closed), with a fresh view.
 */
export class HearthStore<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>, R = unknown> {
  private readonly options: HearthStoreOptions<In, Out, R>;
  private latest: LatestCallbacks<In, Out, R>;
  private readonly listeners = new Set<() => void>();
  private readonly initialView: HearthView<In, R>;
  private view: HearthView<In, R>;
  private current: HearthSocket<In, Out> | undefined;
  private stopSocket: Unsubscribe[] = [];
  private releaseScheduled = false;
  private disposed = false;

  constructor(options: HearthStoreOptions<In, Out, R>) {
    this.options = options;
    this.latest = pickCallbacks(options);
    this.initialView = { state: "idle", snapshot: undefined, frames: [], reduced: options.initial as R, error: undefined };
    this.view = this.initialView;
  }

  /** The socket while one exists (subscribed, or held for a `send` made just before subscribing). */
  get socket(): HearthSocket<In, Out> | undefined {
    return this.current;
  }

  /** Replaces the callbacks (getToken, hello, reduce, fromSnapshot) used from now on; the socket is kept. */
  setCallbacks(callbacks: LatestCallbacks<In, Out, R>): void {
    this.latest = pickCallbacks(callbacks);
  }

  subscribe = (listener: () => void): Unsubscribe => {
    this.listeners.add(listener);
    this.ensureSocket()?.connect();
    return () => {
      this.listeners.delete(listener);
      this.scheduleRelease();
    };
  };

  getSnapshot = (): HearthView<In, R> => this.view;

  /** No socket exists on a server render: always the initial view (state "idle"). */
  getServerSnapshot = (): HearthView<In, R> => this.initialView;

  /**
   * `HearthSocket.send`. Creates the socket if there is none yet (a child
   * component's effect runs before its parent subscribes), so the frame is
   * queued and goes out once live; that socket is closed again if no one
   * subscribes by the next microtask.
   * @throws HearthClientError CLOSED after `close()`, QUEUE_FULL as HearthSocket.send.
   */
  send = (frame: Out): void => {
    this.requireSocket().send(frame);
  };

  /** `HearthSocket.sendCommand`, with the same socket rule as `send`. */
  sendCommand = (command: Out & { id?: string }): Promise<HearthAck> => this.requireSocket().sendCommand(command);

  /** Final: closes the socket now and refuses new ones. Idempotent. */
  close(): void {
    this.disposed = true;
    this.dropSocket();
  }

  // ---- internals -------------------------------------------------------------

  private requireSocket(): HearthSocket<In, Out> {
    const socket = this.ensureSocket();
    if (!socket) throw new HearthClientError("CLOSED", "HearthStore is closed");
    if (this.listeners.size === 0) this.scheduleRelease();
    return socket;
  }

  private ensureSocket(): HearthSocket<In, Out> | undefined {
    if (this.disposed) return undefined;
    if (this.current) return this.current;
    const { reduce: _reduce, fromSnapshot: _fromSnapshot, initial: _initial, maxFrames: _maxFrames, ...socketOptions } = this.options;
    const socket = new HearthSocket<In, Out>({
      ...socketOptions,
      // Indirections, so the newest closures are used without making a new socket.
      // Only when given: the presence of getToken changes how close 4001 is handled.
      ...(this.options.getToken ? { getToken: () => (this.latest.getToken ?? this.options.getToken)!() } : {}),
      ...(this.options.hello ? { hello: () => this.latest.hello?.() } : {}),
      startClosed: true,
    });
    this.current = socket;
    this.view = { ...this.initialView, state: socket.state };
    this.stopSocket = [
      socket.on("state", (state) => this.update({ state })),
      socket.on("snapshot", (snapshot) => {
        const fromSnapshot = this.latest.fromSnapshot ?? ((s: HearthSnapshot<In>) => s.state as R);
        this.update({ snapshot, frames: [], reduced: fromSnapshot(snapshot) });
      }),
      socket.on("frame", (frame) => {
        const max = this.options.maxFrames ?? 100;
        const frames = max <= 0 ? this.view.frames : [...this.view.frames, frame].slice(-max);
        const reduced = this.latest.reduce ? this.latest.reduce(this.view.reduced, frame) : this.view.reduced;
        this.update({ frames, reduced });
      }),
      socket.on("error", (error) => this.update({ error })),
    ];
    return socket;
  }

  private scheduleRelease(): void {
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    queueMicrotask(() => {
      this.releaseScheduled = false;
      if (this.listeners.size === 0) this.dropSocket();
    });
  }

  private dropSocket(): void {
    const socket = this.current;
    if (!socket) return;
    for (const stop of this.stopSocket) stop();
    this.stopSocket = [];
    this.current = undefined;
    socket.close();
    this.update({ state: "closed" });
  }

  private update(patch: Partial<HearthView<In, R>>): void {
    this.view = { ...this.view, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}

function pickCallbacks<In extends object, Out extends object, R>(source: LatestCallbacks<In, Out, R>): LatestCallbacks<In, Out, R> {
  const { getToken, hello, reduce, fromSnapshot } = source;
  return { getToken, hello, reduce, fromSnapshot };
}
